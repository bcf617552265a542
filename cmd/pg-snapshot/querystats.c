/*
 * querystats: pg_stat_statements entries of the current database, as
 * evidence of which objects production queries use.
 *
 * The view is only usable when the extension is installed here, its
 * library is preloaded (otherwise reading it raises an error, so it is
 * read inside a savepoint), and this role may see other roles' query
 * texts (superuser or pg_read_all_stats; others see "<insufficient
 * privilege>" for every row but their own).  Anything less is reported as
 * available=false rather than as a partial list.  Entries with the same
 * text (from several roles, or top-level and nested) are summed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "db.h"
#include "json.h"
#include "snapshot.h"
#include "sqlquote.h"

#define QUERYSTATS_MAX	5000

static cJSON *
unavailable(void)
{
	cJSON *o = cJSON_CreateObject();

	json_add_bool(o, "available", 0);
	cJSON_AddItemToObject(o, "queries", cJSON_CreateArray());
	return o;
}

cJSON *
querystats_read(PGconn *conn)
{
	struct buf sql = BUF_INIT;
	PGresult *r;
	const char *schema, *extversion;
	int major = 0, minor = 0;
	cJSON *o, *arr;

	r = db_query(conn, "checking for pg_stat_statements",
	    "SELECT n.nspname, e.extversion,"
	    " pg_has_role(current_user, 'pg_read_all_stats', 'USAGE')"
	    " OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
	    " FROM pg_extension e JOIN pg_namespace n"
	    " ON n.oid = e.extnamespace"
	    " WHERE e.extname = 'pg_stat_statements'", 0, NULL);
	if (PQntuples(r) != 1 || !db_get_bool(r, 0, 2)) {
		PQclear(r);
		return unavailable();
	}
	schema = db_get_str(r, 0, 0);
	extversion = db_get_str(r, 0, 1);
	sscanf(extversion, "%d.%d", &major, &minor);
	/* 1.8 (PG13) split total_time into planning and execution */
	buf_addf(&sql, "SELECT query, sum(calls)::bigint,"
	    " sum(%s)::float8 FROM ",
	    major > 1 || (major == 1 && minor >= 8) ? "total_exec_time" :
	    "total_time");
	sql_add_ident(&sql, schema);
	buf_addf(&sql, ".pg_stat_statements WHERE dbid = (SELECT oid"
	    " FROM pg_database WHERE datname = current_database())"
	    " AND query IS NOT NULL"
	    " GROUP BY query ORDER BY 2 DESC, query" C_ORDER " LIMIT %d",
	    QUERYSTATS_MAX);
	PQclear(r);

	db_exec(conn, "reading pg_stat_statements", "SAVEPOINT querystats");
	r = db_try(conn, sql.data, NULL);
	buf_release(&sql);
	if (r == NULL) {
		/* not in shared_preload_libraries, or the view is not ours */
		db_exec(conn, "reading pg_stat_statements",
		    "ROLLBACK TO SAVEPOINT querystats");
		return unavailable();
	}
	db_exec(conn, "reading pg_stat_statements",
	    "RELEASE SAVEPOINT querystats");
	o = cJSON_CreateObject();
	json_add_bool(o, "available", 1);
	arr = obj_add_array(o, "queries");
	for (int i = 0; i < PQntuples(r); i++) {
		cJSON *q = cJSON_CreateObject();

		row_str(q, "query", r, i, 0);
		row_int(q, "calls", r, i, 1);
		row_num(q, "total_ms", r, i, 2);
		cJSON_AddItemToArray(arr, q);
	}
	PQclear(r);
	return o;
}
