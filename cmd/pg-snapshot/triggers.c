/*
 * triggers and policies of tables (and INSTEAD OF triggers of views).
 * Internal triggers (those enforcing foreign keys) are not schema a user
 * wrote; triggers cloned onto partitions are reported on the parent only
 * (tgparentid from PG13; on 12 clones are marked tgisinternal).
 */
#include "db.h"
#include "snapshot.h"

static void
triggers_sql(const struct snap *s, struct buf *sql)
{
	buf_addf(sql,
	    "SELECT t.tgrelid, quote_ident(t.tgname), pg_get_triggerdef(t.oid),"
	    " CASE t.tgenabled WHEN 'O' THEN 'origin' WHEN 'D' THEN 'disabled'"
	    "  WHEN 'R' THEN 'replica' WHEN 'A' THEN 'always' END,"
	    " " DESCR("pg_trigger", "t.oid", "0")
	    " FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
	    " JOIN pg_namespace n ON n.oid = c.relnamespace"
	    " WHERE NOT t.tgisinternal%s AND %s"
	    " ORDER BY quote_ident(t.tgname)" C_ORDER,
	    s->version >= 130000 ? " AND t.tgparentid = 0" : "",
	    s->ns_filter);
}

static void
triggers_build(struct snap *s, const PGresult *r)
{
	for (int i = 0; i < PQntuples(r); i++) {
		struct rel *rel = rel_find(s, row_oid(r, i, 0));
		cJSON *o;

		if (rel == NULL || rel->triggers == NULL)
			continue;
		o = cJSON_CreateObject();
		row_str(o, "name", r, i, 1);
		row_def(s, o, "definition", r, i, 2);
		row_str(o, "enabled", r, i, 3);
		row_str(o, "comment", r, i, 4);
		cJSON_AddItemToArray(rel->triggers, o);
	}
}

const struct part part_triggers = {
	"reading triggers", 0, 0, triggers_sql, triggers_build
};

static void
policies_sql(const struct snap *s, struct buf *sql)
{
	buf_addf(sql,
	    "SELECT p.polrelid, quote_ident(p.polname),"
	    " CASE p.polcmd WHEN '*' THEN 'ALL' WHEN 'r' THEN 'SELECT'"
	    "  WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'"
	    "  WHEN 'd' THEN 'DELETE' END,"
	    " p.polpermissive,"
	    " (SELECT json_agg(x.r ORDER BY x.r" C_ORDER ") FROM (SELECT"
	    "  CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r) END"
	    "  AS r FROM unnest(p.polroles) r) x),"
	    " pg_get_expr(p.polqual, p.polrelid),"
	    " pg_get_expr(p.polwithcheck, p.polrelid),"
	    " " DESCR("pg_policy", "p.oid", "0")
	    " FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid"
	    " JOIN pg_namespace n ON n.oid = c.relnamespace"
	    " WHERE %s ORDER BY quote_ident(p.polname)" C_ORDER, s->ns_filter);
}

static void
policies_build(struct snap *s, const PGresult *r)
{
	for (int i = 0; i < PQntuples(r); i++) {
		struct rel *rel = rel_find(s, row_oid(r, i, 0));
		cJSON *o;

		if (rel == NULL || rel->policies == NULL)
			continue;
		o = cJSON_CreateObject();
		row_str(o, "name", r, i, 1);
		row_str(o, "command", r, i, 2);
		row_bool(o, "permissive", r, i, 3);
		row_json(o, "roles", r, i, 4);
		row_str(o, "using", r, i, 5);
		row_str(o, "with_check", r, i, 6);
		row_str(o, "comment", r, i, 7);
		cJSON_AddItemToArray(rel->policies, o);
	}
}

const struct part part_policies = {
	"reading policies", 0, 0, policies_sql, policies_build
};
