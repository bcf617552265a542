/*
 * types: enums (labels in sort order), domains and composite types, in
 * one query.  Row types of tables and views, array types and base types
 * written in C are not user types here.
 */
#include "db.h"
#include "snapshot.h"

static void
types_sql(const struct snap *s, struct buf *sql)
{
	buf_addf(sql,
	    "SELECT format('%%I.%%I', n.nspname, t.typname) AS name,"
	    " t.typtype,"
	    " pg_get_userbyid(t.typowner) AS owner,"
	    " " DESCR("pg_type", "t.oid", "0") " AS comment,"
	    " " GRANTS("t.typacl", "t.typowner") " AS grants,"
	    " CASE WHEN t.typtype = 'e' THEN (SELECT json_agg(e.enumlabel"
	    "  ORDER BY e.enumsortorder) FROM pg_enum e"
	    "  WHERE e.enumtypid = t.oid) END AS labels,"
	    " CASE WHEN t.typtype = 'd' THEN"
	    "  format_type(t.typbasetype, t.typtypmod) END AS base_type,"
	    " t.typnotnull AS not_null,"
	    " CASE WHEN t.typtype = 'd' THEN pg_get_expr(t.typdefaultbin, 0)"
	    "  END AS \"default\","
	    /* contype 'n' rows (PG17+) are the NOT NULL, already above */
	    " CASE WHEN t.typtype = 'd' THEN (SELECT json_agg(x.def ORDER BY"
	    "  x.def" C_ORDER ") FROM (SELECT pg_get_constraintdef(c.oid)"
	    "  AS def FROM pg_constraint c WHERE c.contypid = t.oid"
	    "  AND c.contype = 'c') x) END AS checks,"
	    " CASE WHEN t.typtype = 'd' AND t.typcollation <> bt.typcollation"
	    "  THEN (SELECT format('%%I.%%I', cn.nspname, co.collname)"
	    "  FROM pg_collation co JOIN pg_namespace cn"
	    "  ON cn.oid = co.collnamespace WHERE co.oid = t.typcollation)"
	    "  END AS collation,"
	    " CASE WHEN t.typtype = 'c' THEN (SELECT json_agg("
	    "  json_build_object('name', quote_ident(a.attname),"
	    "  'type', format_type(a.atttypid, a.atttypmod))"
	    "  ORDER BY a.attnum) FROM pg_attribute a"
	    "  WHERE a.attrelid = t.typrelid AND a.attnum > 0"
	    "  AND NOT a.attisdropped) END AS attributes"
	    " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
	    " LEFT JOIN pg_type bt ON bt.oid = t.typbasetype"
	    " LEFT JOIN pg_class rc ON rc.oid = t.typrelid"
	    " WHERE (t.typtype IN ('e', 'd')"
	    "  OR (t.typtype = 'c' AND rc.relkind = 'c'))"
	    " AND %s AND " NOT_EXT("pg_type", "t.oid")
	    " ORDER BY format('%%I.%%I', n.nspname, t.typname)" C_ORDER,
	    s->ns_filter);
}

static void
types_build(struct snap *s, const PGresult *r)
{
	for (int i = 0; i < PQntuples(r); i++) {
		cJSON *o = cJSON_CreateObject();
		char kind = PQgetvalue(r, i, 1)[0];

		row_str(o, "name", r, i, 0);
		obj_add(o, "type", cJSON_CreateString(kind == 'e' ? "enum" :
		    kind == 'd' ? "domain" : "composite"));
		row_str(o, "owner", r, i, 2);
		row_str(o, "comment", r, i, 3);
		row_json(o, "grants", r, i, 4);
		if (kind == 'e') {
			row_json(o, "labels", r, i, 5);
		} else if (kind == 'd') {
			row_str(o, "base_type", r, i, 6);
			row_bool(o, "not_null", r, i, 7);
			row_str(o, "default", r, i, 8);
			row_json(o, "checks", r, i, 9);
			row_str(o, "collation", r, i, 10);
		} else {
			row_json(o, "attributes", r, i, 11);
		}
		cJSON_AddItemToArray(s->types, o);
	}
}

const struct part part_types = {
	"reading types", 0, 0, types_sql, types_build
};
