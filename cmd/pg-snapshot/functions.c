/*
 * functions: functions, procedures, aggregates and window functions by
 * identity signature, schema.name(identity arguments) as
 * pg_get_function_identity_arguments() prints them, which is what DROP
 * and ALTER FUNCTION accept.  pg_get_functiondef() raises an error for an
 * aggregate, which would abort the whole transaction, so aggregates have
 * a null definition.
 */
#include "db.h"
#include "snapshot.h"

static void
functions_sql(const struct snap *s, struct buf *sql)
{
	buf_addf(sql,
	    "SELECT format('%%I.%%I(%%s)', n.nspname, p.proname,"
	    "  pg_get_function_identity_arguments(p.oid)),"
	    " p.prokind, pg_get_function_result(p.oid), l.lanname,"
	    " CASE p.provolatile WHEN 'v' THEN 'volatile'"
	    "  WHEN 's' THEN 'stable' ELSE 'immutable' END,"
	    " p.prosecdef,"
	    " CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) END,"
	    " pg_get_userbyid(p.proowner),"
	    " " DESCR("pg_proc", "p.oid", "0") ","
	    " " GRANTS("p.proacl", "p.proowner") ","
	    " pg_get_function_identity_arguments(p.oid)"
	    " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
	    " JOIN pg_language l ON l.oid = p.prolang"
	    " WHERE %s AND " NOT_EXT("pg_proc", "p.oid")
	    " ORDER BY format('%%I.%%I(%%s)', n.nspname, p.proname,"
	    " pg_get_function_identity_arguments(p.oid))" C_ORDER,
	    s->ns_filter);
}

static const char *
prokind_name(char k)
{
	switch (k) {
	case 'p': return "procedure";
	case 'a': return "aggregate";
	case 'w': return "window";
	default:  return "function";
	}
}

static void
functions_build(struct snap *s, const PGresult *r)
{
	for (int i = 0; i < PQntuples(r); i++) {
		cJSON *o = cJSON_CreateObject();
		char kind = PQgetvalue(r, i, 1)[0];

		row_str(o, "name", r, i, 0);
		obj_add(o, "kind", cJSON_CreateString(prokind_name(kind)));
		row_str(o, "arguments", r, i, 10);
		row_str(o, "returns", r, i, 2);
		row_str(o, "language", r, i, 3);
		row_str(o, "volatility", r, i, 4);
		row_bool(o, "security_definer", r, i, 5);
		if (kind == 'a')
			row_str(o, "definition", r, i, 6);
		else
			row_def(s, o, "definition", r, i, 6);
		row_str(o, "owner", r, i, 7);
		row_str(o, "comment", r, i, 8);
		row_json(o, "grants", r, i, 9);
		cJSON_AddItemToArray(s->functions, o);
	}
}

const struct part part_functions = {
	"reading functions", 0, 0, functions_sql, functions_build
};
