/*
 * views: views and materialized views, and what each one reads.
 *
 * pg_get_viewdef() takes ACCESS SHARE on the view and every relation it
 * reads and keeps those locks until the transaction ends; a database with
 * many thousands of views can exhaust the lock table
 * (max_locks_per_transaction), which ends the snapshot with an error.
 *
 * depends_on comes from the pg_depend rows of the view's rewrite rule:
 * columns as schema.table.column, whole relations as schema.name,
 * functions as schema.name(identity arguments), types as format_type
 * prints them.
 */
#include "db.h"
#include "snapshot.h"

static void
views_sql(const struct snap *s, struct buf *sql)
{
	buf_addf(sql,
	    "SELECT c.oid, format('%%I.%%I', n.nspname, c.relname),"
	    " c.relkind = 'm', pg_get_userbyid(c.relowner),"
	    " pg_get_viewdef(c.oid),"
	    " (SELECT json_agg(json_build_object('name', quote_ident("
	    "  a.attname), 'type', format_type(a.atttypid, a.atttypmod))"
	    "  ORDER BY a.attnum) FROM pg_attribute a"
	    "  WHERE a.attrelid = c.oid AND a.attnum > 0"
	    "  AND NOT a.attisdropped),"
	    " " DESCR("pg_class", "c.oid", "0") ","
	    " " GRANTS("c.relacl", "c.relowner")
	    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	    " WHERE c.relkind IN ('v', 'm') AND %s%s"
	    " AND " NOT_EXT("pg_class", "c.oid")
	    " ORDER BY format('%%I.%%I', n.nspname, c.relname)" C_ORDER,
	    s->ns_filter, slice_filter_open(s, "c.oid"));
}

static void
views_build(struct snap *s, const PGresult *r)
{
	for (int i = 0; i < PQntuples(r); i++) {
		cJSON *o = cJSON_CreateObject();
		int mat = db_get_bool(r, i, 2);
		struct rel *rel;

		row_str(o, "name", r, i, 1);
		row_bool(o, "materialized", r, i, 2);
		row_str(o, "owner", r, i, 3);
		row_def(s, o, "definition", r, i, 4);
		row_json(o, "columns", r, i, 5);
		rel = rel_add(s, row_oid(r, i, 0), o);
		rel->name = PQgetvalue(r, i, 1);
		rel->relkind = mat ? 'm' : 'v';
		rel->triggers = obj_add_array(o, "triggers");
		if (mat)
			rel->indexes = obj_add_array(o, "indexes");
		rel->depends_on = obj_add_array(o, "depends_on");
		row_str(o, "comment", r, i, 6);
		row_json(o, "grants", r, i, 7);
		cJSON_AddItemToArray(s->views, o);
	}
}

const struct part part_views = {
	"reading views", 1, 1, views_sql, views_build
};

static void
view_deps_sql(const struct snap *s, struct buf *sql)
{
	buf_addf(sql,
	    "SELECT * FROM (SELECT DISTINCT r.ev_class, CASE d.refclassid"
	    " WHEN 'pg_class'::regclass THEN"
	    "  format('%%I.%%I', rn.nspname, rc.relname)"
	    "  || CASE WHEN d.refobjsubid > 0 THEN"
	    "  '.' || quote_ident(ra.attname) ELSE '' END"
	    " WHEN 'pg_proc'::regclass THEN (SELECT format('%%I.%%I(%%s)',"
	    "  pn.nspname, p.proname, pg_get_function_identity_arguments("
	    "  p.oid)) FROM pg_proc p JOIN pg_namespace pn"
	    "  ON pn.oid = p.pronamespace WHERE p.oid = d.refobjid)"
	    " WHEN 'pg_type'::regclass THEN format_type(d.refobjid, NULL)"
	    " END AS dep"
	    " FROM pg_rewrite r JOIN pg_class v ON v.oid = r.ev_class"
	    " JOIN pg_namespace n ON n.oid = v.relnamespace"
	    " JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass"
	    " AND d.objid = r.oid AND d.deptype = 'n'"
	    " LEFT JOIN pg_class rc ON d.refclassid = 'pg_class'::regclass"
	    " AND rc.oid = d.refobjid"
	    " LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace"
	    " LEFT JOIN pg_attribute ra ON d.refclassid = 'pg_class'::regclass"
	    " AND ra.attrelid = d.refobjid AND ra.attnum = d.refobjsubid"
	    " WHERE v.relkind IN ('v', 'm') AND d.refobjid <> r.ev_class"
	    " AND d.refclassid IN ('pg_class'::regclass,"
	    " 'pg_proc'::regclass, 'pg_type'::regclass) AND %s"
	    ") q ORDER BY q.dep" C_ORDER, s->ns_filter);
}

static void
view_deps_build(struct snap *s, const PGresult *r)
{
	for (int i = 0; i < PQntuples(r); i++) {
		struct rel *rel = rel_find(s, row_oid(r, i, 0));
		const char *dep = db_get_str(r, i, 1);

		if (rel == NULL || rel->depends_on == NULL || dep == NULL)
			continue;
		cJSON_AddItemToArray(rel->depends_on, cJSON_CreateString(dep));
	}
}

const struct part part_view_deps = {
	"reading view dependencies", 0, 0, view_deps_sql, view_deps_build
};
