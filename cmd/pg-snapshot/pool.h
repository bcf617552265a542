/*
 * pool: run a batch of queries over several connections at once.
 *
 * Each connection runs one query at a time; a query goes to whichever
 * connection is free first, in the order given, so the slowest queries
 * should come first.  The connections are expected to share one snapshot
 * (SET TRANSACTION SNAPSHOT), which makes the split invisible in the
 * results.  Any failed query ends the program as db_query() does.
 */
#ifndef POOL_H
#define POOL_H

#include <stddef.h>
#include <libpq-fe.h>

struct pool_query {
	const char	*purpose;
	const char	*sql;
	PGresult	*res;		/* set by pool_run(); caller clears */
};

void	pool_run(PGconn **conns, int nconns, struct pool_query *q,
	    size_t nq);

#endif
