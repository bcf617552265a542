/*
 * indexes: the indexes of tables and materialized views, and their
 * evidence (index_stats).
 *
 * pg_get_indexdef() costs 45 microseconds or more an index and takes an
 * ACCESS SHARE lock on the table, so on a schema with tens of thousands
 * of indexes the definition of a plain index is written here instead,
 * exactly as pg_get_indexdef() prints it:
 *   CREATE [UNIQUE ]INDEX name ON schema.table USING am (a, b)[ INCLUDE (c)]
 * An index is plain when it is a btree or hash index of a table (not a
 * partitioned index) with no expression, no predicate, no storage
 * options and no NULLS NOT DISTINCT, and every key column is in ASC
 * NULLS LAST order, with its column's collation and a default operator
 * class from pg_catalog that pg_get_indexdef() would not print: the
 * default for the column's type, or, where the type has none of its own
 * (a domain, an array, varchar), a default for a type it is binary
 * coercible to.  The server decides what it can see from pg_index; the
 * per-column part is checked here against the columns and operator
 * classes already read, and the few indexes that fail it are deparsed by
 * one more query.  Built-in btree and hash operator classes take no
 * options, so per-column options cannot occur.
 *
 * Indexes of partitions attached to a partitioned index are reported on
 * the parent only.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "json.h"
#include "snapshot.h"
#include "sqlquote.h"
#include "xalloc.h"

#define MAX_KEYS 32	/* INDEX_MAX_KEYS */

static void
opclasses_sql(const struct snap *s, struct buf *sql)
{
	(void)s;
	buf_addstr(sql, "SELECT oid, opcmethod, opcintype, opcdefault,"
	    " opcnamespace = 'pg_catalog'::regnamespace FROM pg_opclass"
	    " ORDER BY oid");
}

static void
opclasses_build(struct snap *s, const PGresult *r)
{
	s->opclasses = r;
}

const struct part part_opclasses = {
	"reading operator classes", opclasses_sql, opclasses_build
};

static void
indexes_sql(const struct snap *s, struct buf *sql)
{
	buf_addf(sql,
	    "SELECT i.indexrelid, i.indrelid,"
	    " format('%%I.%%I', n.nspname, ic.relname), quote_ident(ic.relname),"
	    " quote_ident(am.amname), i.indisunique, i.indisprimary,"
	    " i.indisvalid, i.indnkeyatts, i.indkey::text, i.indclass::text,"
	    " i.indcollation::text, i.indoption::text, ip.plain,"
	    " CASE WHEN NOT ip.plain THEN pg_get_indexdef(i.indexrelid) END,"
	    " CASE WHEN i.indexprs IS NOT NULL OR c.relkind = 'm' THEN"
	    "  (SELECT json_agg("
	    "  pg_get_indexdef(i.indexrelid, k, true) ORDER BY k)"
	    "  FROM generate_series(1, i.indnkeyatts::int) k) END,"
	    " quote_ident(con.conname),"
	    " pg_get_expr(i.indpred, i.indrelid),"
	    " %s"
	    " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid"
	    " JOIN pg_namespace n ON n.oid = ic.relnamespace"
	    " JOIN pg_class c ON c.oid = i.indrelid"
	    " JOIN pg_am am ON am.oid = ic.relam"
	    " LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid"
	    "  AND con.conrelid = i.indrelid"
	    "  AND con.contype IN ('p', 'u', 'x'),"
	    " LATERAL (SELECT ic.relkind = 'i' AND c.relkind <> 'm'"
	    "  AND am.amname IN ('btree', 'hash') AND i.indexprs IS NULL"
	    "  AND i.indpred IS NULL AND ic.reloptions IS NULL%s AS plain) ip"
	    " WHERE c.relkind IN ('r', 'p', 'm') AND %s"
	    " AND NOT EXISTS (SELECT 1 FROM pg_inherits h"
	    "  WHERE h.inhrelid = i.indexrelid)"
	    " ORDER BY format('%%I.%%I', n.nspname, ic.relname)" C_ORDER,
	    s->opts->stats ?
	    "CASE WHEN ic.relkind = 'I' THEN (SELECT"
	    "  sum(pg_stat_get_numscans(pt.relid)) FROM"
	    "  pg_partition_tree(ic.oid) pt WHERE pt.isleaf)::bigint"
	    "  ELSE pg_stat_get_numscans(ic.oid) END,"
	    " (CASE WHEN ic.relkind = 'I' THEN (SELECT"
	    "  sum(greatest(lc.relpages, 0)) FROM pg_partition_tree(ic.oid) pt"
	    "  JOIN pg_class lc ON lc.oid = pt.relid WHERE pt.isleaf)"
	    "  ELSE greatest(ic.relpages, 0) END)::bigint"
	    "  * current_setting('block_size')::bigint" :
	    "NULL::bigint, NULL::bigint",
	    s->version >= 150000 ? " AND NOT i.indnullsnotdistinct" : "",
	    s->ns_filter);
}

/* Split an oidvector/int2vector's text ("1 3") into at most MAX_KEYS. */
static int
split_vector(const char *text, unsigned long *v)
{
	char *end;
	int n = 0;

	while (text != NULL && *text != '\0' && n < MAX_KEYS) {
		v[n++] = strtoul(text, &end, 10);
		if (end == text)
			return n - 1;
		text = end;
	}
	return n;
}

static int
opclass_row(const PGresult *oc, unsigned long oid)
{
	int lo = 0, hi = PQntuples(oc) - 1, mid;
	unsigned long x;

	while (lo <= hi) {
		mid = lo + (hi - lo) / 2;
		x = strtoul(PQgetvalue(oc, mid, 0), NULL, 10);
		if (x == oid)
			return mid;
		if (x < oid)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* Would pg_get_indexdef() leave out operator class `opc` for `type`? */
static int
opclass_is_default(const PGresult *oc, unsigned long opc,
    const char *type)
{
	int row = opclass_row(oc, opc);
	const char *method;

	if (row < 0 || !db_get_bool(oc, row, 3) || !db_get_bool(oc, row, 4))
		return 0;
	if (strcmp(PQgetvalue(oc, row, 2), type) == 0)
		return 1;
	/* another type's default: only when `type` has no default here */
	method = PQgetvalue(oc, row, 1);
	for (int i = 0; i < PQntuples(oc); i++)
		if (db_get_bool(oc, i, 3) &&
		    strcmp(PQgetvalue(oc, i, 1), method) == 0 &&
		    strcmp(PQgetvalue(oc, i, 2), type) == 0)
			return 0;
	return 1;
}

/* The key columns' names, in order; 0 when one is not known. */
static int
key_names(const struct rel *rel, const PGresult *r, int i, cJSON *cols)
{
	unsigned long key[MAX_KEYS];
	int nkey = (int)db_get_int64(r, i, 8, 0), natts;
	const char *name;

	natts = split_vector(PQgetvalue(r, i, 9), key);
	for (int k = 0; k < nkey && k < natts; k++) {
		if ((name = rel_attname(rel, (int)key[k])) == NULL)
			return 0;
		cJSON_AddItemToArray(cols, cJSON_CreateString(name));
	}
	return 1;
}

/*
 * Write the definition of a plain index into `def`, or return 0 when a
 * key column needs more than its name.
 */
static int
plain_definition(const struct snap *s, const struct rel *rel,
    const PGresult *r, int i, struct buf *def)
{
	unsigned long key[MAX_KEYS], opc[MAX_KEYS], coll[MAX_KEYS];
	unsigned long opt[MAX_KEYS];
	int nkey = (int)db_get_int64(r, i, 8, 0), natts, row;

	natts = split_vector(PQgetvalue(r, i, 9), key);
	if (nkey > natts || split_vector(PQgetvalue(r, i, 10), opc) < nkey ||
	    split_vector(PQgetvalue(r, i, 11), coll) < nkey ||
	    split_vector(PQgetvalue(r, i, 12), opt) < nkey)
		return 0;
	for (int k = 0; k < nkey; k++) {
		if ((row = rel_attrow(rel, (int)key[k])) < 0 || opt[k] != 0)
			return 0;
		if (coll[k] != 0 && coll[k] != strtoul(PQgetvalue(rel->cols,
		    row, 11), NULL, 10))
			return 0;
		if (!opclass_is_default(s->opclasses, opc[k],
		    PQgetvalue(rel->cols, row, 10)))
			return 0;
	}
	buf_addf(def, "CREATE %sINDEX %s ON %s USING %s (",
	    db_get_bool(r, i, 5) ? "UNIQUE " : "", PQgetvalue(r, i, 3),
	    rel->name, PQgetvalue(r, i, 4));
	for (int k = 0; k < natts; k++) {
		const char *name = rel_attname(rel, (int)key[k]);

		if (name == NULL)
			return 0;
		if (k == nkey)
			buf_addstr(def, ") INCLUDE (");
		else if (k > 0)
			buf_addstr(def, ", ");
		buf_addstr(def, name);
	}
	buf_addch(def, ')');
	return 1;
}

/* Indexes whose definition the server must deparse after all. */
struct pending {
	cJSON		**items;
	unsigned	 *oids;
	size_t		 n, alloc;
};

static void
pending_add(struct pending *p, unsigned oid, cJSON *o)
{
	if (p->n == p->alloc) {
		p->alloc = p->alloc ? 2 * p->alloc : 64;
		p->items = xrealloc(p->items, p->alloc * sizeof(*p->items));
		p->oids = xrealloc(p->oids, p->alloc * sizeof(*p->oids));
	}
	p->items[p->n] = o;
	p->oids[p->n++] = oid;
}

static void
pending_fetch(struct snap *s, struct pending *p)
{
	struct buf sql = BUF_INIT;
	PGresult *r;

	if (p->n > 0) {
		buf_addstr(&sql, "SELECT pg_get_indexdef(x.oid)"
		    " FROM unnest('{");
		for (size_t i = 0; i < p->n; i++)
			buf_addf(&sql, "%s%u", i ? "," : "", p->oids[i]);
		buf_addstr(&sql, "}'::oid[]) WITH ORDINALITY x(oid, ord)"
		    " ORDER BY x.ord");
		r = db_query(s->conn, "reading index definitions", sql.data,
		    0, NULL);
		for (int i = 0; i < PQntuples(r) && (size_t)i < p->n; i++) {
			cJSON *o = p->items[i];
			cJSON *def = cJSON_GetObjectItemCaseSensitive(o,
			    "definition");

			if (db_is_null(r, i, 0))
				s->raced = 1;
			else
				obj_replace(o, def, "definition",
				    cJSON_CreateString(PQgetvalue(r, i, 0)));
		}
		PQclear(r);
	}
	buf_release(&sql);
	free(p->items);
	free(p->oids);
}

static void
indexes_build(struct snap *s, const PGresult *r)
{
	struct pending later = { 0 };
	struct buf def = BUF_INIT;
	cJSON *o, *cols;

	for (int i = 0; i < PQntuples(r); i++) {
		struct rel *rel = rel_find(s, row_oid(r, i, 1));

		if (rel == NULL || rel->indexes == NULL)
			continue;
		o = cJSON_CreateObject();
		row_str(o, "name", r, i, 2);
		buf_reset(&def);
		if (db_is_null(r, i, 15)) {
			cols = obj_add_array(o, "columns");
			if (!key_names(rel, r, i, cols))
				s->raced = 1;
		} else {
			row_json(o, "columns", r, i, 15);
		}
		if (!db_get_bool(r, i, 13)) {
			row_def(s, o, "definition", r, i, 14);
		} else if (plain_definition(s, rel, r, i, &def)) {
			obj_add(o, "definition", cJSON_CreateString(def.data));
		} else {
			obj_add(o, "definition", cJSON_CreateNull());
			pending_add(&later, row_oid(r, i, 0), o);
		}
		row_bool(o, "unique", r, i, 5);
		row_bool(o, "primary", r, i, 6);
		row_str(o, "constraint", r, i, 16);
		row_str(o, "predicate", r, i, 17);
		row_bool(o, "valid", r, i, 7);
		cJSON_AddItemToArray(rel->indexes, o);
		if (s->index_stats != NULL) {
			o = cJSON_CreateObject();
			row_str(o, "name", r, i, 2);
			row_int(o, "idx_scan", r, i, 18);
			row_int(o, "bytes", r, i, 19);
			cJSON_AddItemToArray(s->index_stats, o);
		}
	}
	pending_fetch(s, &later);
	buf_release(&def);
}

const struct part part_indexes = {
	"reading indexes", indexes_sql, indexes_build
};
