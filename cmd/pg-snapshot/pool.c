/*
 * pool: libpq's asynchronous interface over several connections, waited
 * on with poll(2), so the server works on several catalog queries in
 * parallel while this process stays single-threaded.
 */
#include <err.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sysexits.h>
#include <time.h>

#include "db.h"
#include "die.h"
#include "pool.h"
#include "xalloc.h"

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Read what the server sent; store finished results.  1 when done. */
static int
collect(PGconn *conn, struct pool_query *q)
{
	PGresult *res;

	if (!PQconsumeInput(conn))
		db_fail(conn, NULL, q->purpose);
	while (!PQisBusy(conn)) {
		if ((res = PQgetResult(conn)) == NULL)
			return 1;
		if (q->tolerant && PQresultStatus(res) == PGRES_FATAL_ERROR &&
		    PQstatus(conn) == CONNECTION_OK) {
			PQclear(res);
			res = NULL;
		} else {
			db_check(conn, res, q->purpose);
		}
		/* of several statements, the rows are the result */
		if (res != NULL && q->res != NULL &&
		    PQresultStatus(res) == PGRES_COMMAND_OK &&
		    PQresultStatus(q->res) == PGRES_TUPLES_OK) {
			PQclear(res);
			continue;
		}
		PQclear(q->res);
		q->res = res;
	}
	return 0;
}

/*
 * The first query not yet sent that connection `c` may run, or -1.  A
 * query still waiting holds back the unpinned queries after it: taken
 * meanwhile, they would only delay the pinned ones.
 */
static long
next_for(struct pool_query *q, size_t nq, int c)
{
	int held = 0;

	for (size_t i = 0; i < nq; i++) {
		if (q[i].wait) {
			held = 1;
			continue;
		}
		if (!q[i].sent && (q[i].conn == c || (q[i].conn < 0 &&
		    !held)))
			return (long)i;
	}
	return -1;
}

/* Give every idle connection its next query; the number running. */
static int
send_next(PGconn **conns, int nconns, struct pool_query *q, size_t nq,
    long *busy, double *started)
{
	long next;
	int running = 0;

	for (int i = 0; i < nconns; i++) {
		if (busy[i] < 0 && (next = next_for(q, nq, i)) >= 0) {
			if (!PQsendQuery(conns[i], q[next].sql))
				db_fail(conns[i], NULL, q[next].purpose);
			q[next].sent = 1;
			busy[i] = next;
			started[i] = now_seconds();
		}
		running += busy[i] >= 0;
	}
	return running;
}

void
pool_run(PGconn **conns, int nconns, struct pool_query *q, size_t nq,
    const struct pool_hooks *hooks)
{
	struct pollfd *pfd = xcalloc(nconns, sizeof(*pfd));
	long *busy = xmalloc(nconns * sizeof(*busy));
	double *started = xmalloc(nconns * sizeof(*started));
	int i;

	for (i = 0; i < nconns; i++)
		busy[i] = -1;
	while (send_next(conns, nconns, q, nq, busy, started) > 0) {
		for (i = 0; i < nconns; i++) {
			pfd[i].fd = busy[i] < 0 ? -1 : PQsocket(conns[i]);
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
		}
		if (poll(pfd, nconns, -1) < 0) {
			if (errno == EINTR)
				continue;
			err(EX_OSERR, "poll");
		}
		for (i = 0; i < nconns; i++) {
			if (busy[i] < 0 || pfd[i].revents == 0)
				continue;
			if (collect(conns[i], &q[busy[i]])) {
				progress("%s: %.2f s", q[busy[i]].purpose,
				    now_seconds() - started[i]);
				if (hooks != NULL && hooks->done != NULL)
					hooks->done(hooks->arg, conns[i],
					    &q[busy[i]]);
				busy[i] = -1;
			}
		}
	}
	free(started);
	free(busy);
	free(pfd);
}
