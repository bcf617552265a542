/*
 * schemas: schemas and extensions.  Extensions are listed whatever schema
 * they live in (plpgsql lives in pg_catalog), filtered only by -n/-N.
 */
#include "db.h"
#include "snapshot.h"

static void
schemas_sql(const struct snap *s, struct buf *sql)
{
	buf_addf(sql,
	    "SELECT quote_ident(n.nspname) AS name,"
	    " pg_get_userbyid(n.nspowner) AS owner,"
	    " " DESCR("pg_namespace", "n.oid", "0") " AS comment,"
	    " " GRANTS("n.nspacl", "n.nspowner") " AS grants"
	    " FROM pg_namespace n"
	    " WHERE %s AND " NOT_EXT("pg_namespace", "n.oid")
	    " ORDER BY quote_ident(n.nspname)" C_ORDER, s->ns_filter);
}

static void
schemas_build(struct snap *s, const PGresult *r)
{
	for (int i = 0; i < PQntuples(r); i++) {
		cJSON *o = cJSON_CreateObject();

		row_str(o, "name", r, i, 0);
		row_str(o, "owner", r, i, 1);
		row_str(o, "comment", r, i, 2);
		row_json(o, "grants", r, i, 3);
		cJSON_AddItemToArray(s->schemas, o);
	}
}

const struct part part_schemas = {
	"reading schemas", 0, 0, schemas_sql, schemas_build
};

static void
extensions_sql(const struct snap *s, struct buf *sql)
{
	buf_addf(sql,
	    "SELECT quote_ident(e.extname) AS name, e.extversion AS version,"
	    " quote_ident(n.nspname) AS schema"
	    " FROM pg_extension e JOIN pg_namespace n"
	    " ON n.oid = e.extnamespace"
	    " WHERE %s ORDER BY quote_ident(e.extname)" C_ORDER,
	    s->pattern_filter);
}

static void
extensions_build(struct snap *s, const PGresult *r)
{
	for (int i = 0; i < PQntuples(r); i++) {
		cJSON *o = cJSON_CreateObject();

		row_str(o, "name", r, i, 0);
		row_str(o, "version", r, i, 1);
		row_str(o, "schema", r, i, 2);
		cJSON_AddItemToArray(s->extensions, o);
	}
}

const struct part part_extensions = {
	"reading extensions", 0, 0, extensions_sql, extensions_build
};
