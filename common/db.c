/*
 * db: connecting, the read-only snapshot transaction, query-or-die and row
 * getters over libpq.  Errors are classified by SQLSTATE class where the
 * server sent one, and by libpq's connection status where it did not,
 * because a connection failure carries no SQLSTATE.
 */
#include <err.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "buf.h"
#include "db.h"
#include "sqlquote.h"
#include "xalloc.h"

/*
 * libpq messages end in a newline and continue on tab-indented lines
 * ("\tIs the server running locally..."); make them one line.
 */
static char *
one_line(const char *msg)
{
	struct buf b = BUF_INIT;
	const char *p;

	for (p = msg ? msg : ""; *p; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t') {
			if (b.len > 0 && b.data[b.len - 1] != ' ')
				buf_addch(&b, ' ');
			continue;
		}
		buf_addch(&b, *p);
	}
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		buf_setlen(&b, b.len - 1);
	return buf_detach(&b, NULL);
}

/*
 * A refused login has no SQLSTATE on the client side before PG 17's
 * protocol changes reach every server, so recognise libpq's and the
 * server's wording (stable across 12-17) for authentication failures.
 */
static int
is_auth_failure(PGconn *conn, const char *msg)
{
	static const char *const words[] = {
		"authentication failed", "pg_hba.conf", "no password supplied",
		"password is required", "permission denied", "role \"",
	};

	if (PQconnectionNeedsPassword(conn))
		return 1;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(msg, words[i]) != NULL)
			return 1;
	return 0;
}

/* The keywords and values of a connection; 0 when conninfo is bad. */
static void
conn_params(const char *conninfo, const char *application_name,
    const char **keys, const char **vals)
{
	PQconninfoOption *opts;
	char *perr = NULL, *msg;

	keys[0] = "dbname";
	keys[1] = "application_name";
	keys[2] = NULL;
	vals[0] = conninfo;
	vals[1] = application_name;
	vals[2] = NULL;
	/* A malformed conninfo is the caller's configuration, not the net. */
	if (conninfo != NULL && *conninfo != '\0') {
		opts = PQconninfoParse(conninfo, &perr);
		if (opts == NULL) {
			msg = one_line(perr ? perr : "out of memory");
			errx(EX_CONFIG, "invalid connection string: %s", msg);
		}
		PQconninfoFree(opts);
	} else {
		vals[0] = NULL;
	}
}

static void
conn_check(PGconn *conn)
{
	char *msg;
	int code;

	if (conn == NULL)
		errx(EX_OSERR, "connecting: out of memory");
	if (PQstatus(conn) != CONNECTION_OK) {
		msg = one_line(PQerrorMessage(conn));
		code = is_auth_failure(conn, msg) ? EX_NOPERM : EX_UNAVAILABLE;
		PQfinish(conn);
		errx(code, "%s", msg);
	}
}

PGconn *
db_connect(const char *conninfo, const char *application_name)
{
	const char *keys[3], *vals[3];
	PGconn *conn;

	conn_params(conninfo, application_name, keys, vals);
	conn = PQconnectdbParams(keys, vals, 1);
	conn_check(conn);
	return conn;
}

PGconn *
db_connect_start(const char *conninfo, const char *application_name)
{
	const char *keys[3], *vals[3];
	PGconn *conn;

	conn_params(conninfo, application_name, keys, vals);
	if ((conn = PQconnectStartParams(keys, vals, 1)) == NULL)
		errx(EX_OSERR, "connecting: out of memory");
	if (PQstatus(conn) == CONNECTION_BAD)
		conn_check(conn);
	/* Send the startup packet now where the socket is ready for it. */
	if (PQconnectPoll(conn) == PGRES_POLLING_FAILED)
		conn_check(conn);
	return conn;
}

void
db_connect_finish(PGconn *conn, int timeout_ms)
{
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	struct pollfd pfd;
	int n;

	while (st != PGRES_POLLING_OK && st != PGRES_POLLING_FAILED) {
		pfd.fd = PQsocket(conn);
		pfd.events = st == PGRES_POLLING_READING ? POLLIN : POLLOUT;
		pfd.revents = 0;
		if ((n = poll(&pfd, 1, timeout_ms)) < 0 && errno != EINTR)
			err(EX_OSERR, "poll");
		if (n == 0)
			errx(EX_UNAVAILABLE, "connecting: no answer in %d s",
			    timeout_ms / 1000);
		if (n > 0)
			st = PQconnectPoll(conn);
	}
	conn_check(conn);
}

void
db_finish(PGconn *conn)
{
	if (conn != NULL)
		PQfinish(conn);
}

_Noreturn void
db_fail(PGconn *conn, PGresult *res, const char *purpose)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) :
	    NULL;
	char *msg;
	int code = EX_SOFTWARE;

	msg = one_line(res && *PQresultErrorMessage(res) ?
	    PQresultErrorMessage(res) : PQerrorMessage(conn));
	if (PQstatus(conn) != CONNECTION_OK)
		code = EX_UNAVAILABLE;
	else if (state == NULL)
		code = EX_SOFTWARE;
	else if (strcmp(state, "42501") == 0 || strncmp(state, "28", 2) == 0)
		code = EX_NOPERM;
	else if (strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0)
		code = EX_TEMPFAIL;	/* lock_timeout, statement_timeout */
	else if (strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0)
		code = EX_UNAVAILABLE;	/* connection exception, shutdown */
	PQclear(res);
	errx(code, "%s: %s", purpose, msg);
}

int
db_check(PGconn *conn, PGresult *res, const char *purpose)
{
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
		db_fail(conn, res, purpose);
	return 0;
}

PGresult *
db_query(PGconn *conn, const char *purpose, const char *sql, int nparams,
    const char *const *params)
{
	PGresult *res;

	res = nparams > 0 ?
	    PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0) :
	    PQexec(conn, sql);
	db_check(conn, res, purpose);
	return res;
}

void
db_exec(PGconn *conn, const char *purpose, const char *sql)
{
	PQclear(db_query(conn, purpose, sql, 0, NULL));
}

PGresult *
db_try(PGconn *conn, const char *sql, char *sqlstate)
{
	PGresult *res = PQexec(conn, sql);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	const char *state;

	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
		return res;
	if (PQstatus(conn) != CONNECTION_OK)
		db_fail(conn, res, "connection lost");
	if (sqlstate != NULL) {
		state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
		snprintf(sqlstate, 6, "%s", state ? state : "XX000");
	}
	PQclear(res);
	return NULL;
}

void
db_begin_snapshot(PGconn *conn, const char *snapshot_id,
    int statement_timeout_ms, int lock_timeout_ms)
{
	struct buf sql = BUF_INIT;

	buf_addstr(&sql, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;");
	/* Must be the first statement of the transaction. */
	if (snapshot_id != NULL) {
		buf_addstr(&sql, "SET TRANSACTION SNAPSHOT ");
		sql_add_literal(&sql, snapshot_id);
		buf_addch(&sql, ';');
	}
	buf_addf(&sql, "SET LOCAL search_path = pg_catalog;"
	    "SET LOCAL statement_timeout = %d;"
	    "SET LOCAL lock_timeout = %d;",
	    statement_timeout_ms, lock_timeout_ms);
	db_exec(conn, "starting the read-only transaction", sql.data);
	buf_release(&sql);
}

void
db_commit(PGconn *conn)
{
	db_exec(conn, "ending the read-only transaction", "COMMIT");
}

int
db_col(const PGresult *res, const char *name)
{
	int col = PQfnumber(res, name);

	if (col < 0)
		errx(EX_SOFTWARE, "query result has no column \"%s\"", name);
	return col;
}

const char *
db_get_str(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	return PQgetvalue(res, row, col);
}

int
db_is_null(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col);
}

int64_t
db_get_int64(const PGresult *res, int row, int col, int64_t dflt)
{
	if (PQgetisnull(res, row, col))
		return dflt;
	return strtoll(PQgetvalue(res, row, col), NULL, 10);
}

double
db_get_double(const PGresult *res, int row, int col, double dflt)
{
	if (PQgetisnull(res, row, col))
		return dflt;
	return strtod(PQgetvalue(res, row, col), NULL);
}

int
db_get_bool(const PGresult *res, int row, int col)
{
	return !PQgetisnull(res, row, col) &&
	    PQgetvalue(res, row, col)[0] == 't';
}

int
db_server_version(const PGconn *conn)
{
	return PQserverVersion(conn);
}
