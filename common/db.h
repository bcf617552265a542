/*
 * db: libpq for programs that read a database and never write to it.
 *
 * A connection comes from a conninfo string, a postgres:// URI or
 * "service=NAME" (NULL or "" means the PG* environment alone); passwords
 * come from libpq's own mechanisms (.pgpass, PGPASSFILE, service files,
 * PGPASSWORD), never from our command lines.
 *
 * Every function here either succeeds or ends the program with the exit
 * status of the pipeline spec and a one-line message naming what was being
 * done:
 *   69 EX_UNAVAILABLE  server unreachable, connection lost
 *   75 EX_TEMPFAIL     lock_timeout or statement_timeout hit (retry later)
 *   77 EX_NOPERM       authentication refused, SQLSTATE 42501
 *                      (insufficient_privilege) or 28xxx
 *   70 EX_SOFTWARE     any other error
 * so callers never check.  The exception is db_try(), which reports errors
 * instead, for the queries a program can do without.
 *
 * A PGresult from db_query() belongs to the caller, who PQclear()s it.
 * The row getters lend pointers into the result, valid until PQclear().
 */
#ifndef DB_H
#define DB_H

#include <stdint.h>
#include <libpq-fe.h>

/*
 * Connect with `application_name` set; `conninfo` may be NULL for the
 * environment.  Exits 69 or 77 with libpq's message on failure.
 */
PGconn	*db_connect(const char *conninfo, const char *application_name);
/*
 * The same in two steps, so that several connections are made at once:
 * start it, then wait for it (at most timeout_ms with no progress).
 * libpq's connect_timeout only bounds db_connect(), so the caller makes
 * its first connection that way and the others in steps.
 */
PGconn	*db_connect_start(const char *conninfo,
	    const char *application_name);
void	 db_connect_finish(PGconn *conn, int timeout_ms);
void	 db_finish(PGconn *conn);

/*
 * Begin the read-only snapshot transaction:
 *   BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY
 *   [SET TRANSACTION SNAPSHOT 'snapshot_id']    (when not NULL)
 *   SET LOCAL search_path = pg_catalog, statement_timeout, lock_timeout
 * Timeouts are in milliseconds, 0 for none.  With search_path fixed every
 * name a deparse function prints for a user object is schema-qualified.
 */
void	 db_begin_snapshot(PGconn *conn, const char *snapshot_id,
	    int statement_timeout_ms, int lock_timeout_ms);
/* COMMIT, or exit as db_query() does. */
void	 db_commit(PGconn *conn);

/*
 * Run `sql` (with `nparams` text parameters, which may be NULL for SQL
 * NULL) and return its result, which must be PGRES_TUPLES_OK or
 * PGRES_COMMAND_OK; otherwise exit as the header says, naming `purpose`
 * ("reading indexes") and the server's message.
 */
PGresult *db_query(PGconn *conn, const char *purpose, const char *sql,
	    int nparams, const char *const *params);
/* db_query() for a command whose result is not needed. */
void	 db_exec(PGconn *conn, const char *purpose, const char *sql);
/*
 * Run `sql`; return its result, or NULL when the server reported an error,
 * in which case `*sqlstate` (when not NULL) receives the five-character
 * SQLSTATE in a buffer of at least 6 bytes.  A lost connection still
 * exits 69.
 */
PGresult *db_try(PGconn *conn, const char *sql, char *sqlstate);

/*
 * Check a result obtained some other way (PQgetResult): return 0 when it
 * is a success, else exit as db_query() does.
 */
int	 db_check(PGconn *conn, PGresult *res, const char *purpose);

/* Exit as db_query() would for a failed `res` (which is cleared). */
_Noreturn void db_fail(PGconn *conn, PGresult *res, const char *purpose);

/*
 * Column number of `name` in `res`; a missing column is a programming
 * error (exit 70).  Call once per query, not per row.
 */
int	 db_col(const PGresult *res, const char *name);
/* The value, or NULL for SQL NULL. */
const char *db_get_str(const PGresult *res, int row, int col);
/* Integer value; SQL NULL gives `dflt`. */
int64_t	 db_get_int64(const PGresult *res, int row, int col, int64_t dflt);
/* Float value; SQL NULL gives `dflt`. */
double	 db_get_double(const PGresult *res, int row, int col, double dflt);
/* 1 for 't', 0 for 'f' or SQL NULL. */
int	 db_get_bool(const PGresult *res, int row, int col);
int	 db_is_null(const PGresult *res, int row, int col);

/* server_version_num, e.g. 150004. */
int	 db_server_version(const PGconn *conn);

#endif
