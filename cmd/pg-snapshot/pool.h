/*
 * pool: run a batch of queries over several connections at once.
 *
 * Each connection runs one query at a time; a query goes to whichever
 * connection is free first, in the order given, so the slowest queries
 * should come first; one still waiting (`wait`) holds back the unpinned
 * queries after it.  A query with `conn` >= 0 runs only on that
 * connection: a backend caches what it learns about each table (its
 * relcache entry, costly to build), so the queries that deparse the same
 * tables are kept on the same backend.  The connections are expected to
 * share one snapshot (SET TRANSACTION SNAPSHOT), which makes the split
 * invisible in the results.  A failed query ends the program as
 * db_query() does, unless it is `tolerant`.  A query may be several
 * statements (settings around a SELECT): its result is the one with rows.
 */
#ifndef POOL_H
#define POOL_H

#include <stddef.h>
#include <libpq-fe.h>

struct pool_query {
	const char	*purpose;
	const char	*sql;
	int		 conn;		/* the connection to use, or -1 */
	const void	*tag;		/* the caller's */
	int		 slice;		/* the caller's */
	int		 wait;		/* not to be sent until cleared */
	int		 tolerant;	/* an error leaves res NULL instead */
	int		 sent;		/* used by pool_run() */
	PGresult	*res;		/* set by pool_run(); caller clears */
};

/*
 * done() is called as each query finishes, with the connection it ran
 * on, which stays idle until done() returns: done() may run short
 * queries of its own on it.  Results are read as they come, so another
 * thread can work on them while the server runs the next queries.
 */
struct pool_hooks {
	void	(*done)(void *arg, PGconn *conn, struct pool_query *q);
	void	*arg;
};

void	pool_run(PGconn **conns, int nconns, struct pool_query *q,
	    size_t nq, const struct pool_hooks *hooks);

#endif
