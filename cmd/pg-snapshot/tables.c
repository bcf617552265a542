/*
 * tables: tables, partitioned tables and foreign tables with their
 * evidence, then their columns in one query ordered by table and
 * position.  Both queries cover every table of the user schemas, also
 * those -n/-N or an extension leave out of the document: a foreign key
 * may reference them, and its columns are named from these rows.
 * Children arrays (constraints, indexes, triggers, policies) are created
 * empty here and filled by their own parts.
 *
 * Evidence: sizes are relpages (heap, TOAST and every index) times the
 * block size.  pg_total_relation_size() stat()s every file and takes a
 * lock per table, about 3 s over 10,000 tables, where relpages costs
 * milliseconds; like reltuples it is an estimate that VACUUM and ANALYZE
 * refresh, so a table filled since its last VACUUM reads smaller than it
 * is.  rows is reltuples, or n_live_tup where the table was never
 * analyzed.  Scan counters run since the last statistics reset and count
 * this server only, not its replicas.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "json.h"
#include "jsonout.h"
#include "snapshot.h"
#include "xalloc.h"

static void
tables_sql(const struct snap *s, struct buf *sql)
{
	/*
	 * ix: the pages and scans of a table's indexes; tx: the pages of its
	 * TOAST table and that table's indexes.  Looked up per table through
	 * the indexes on pg_index.indrelid and pg_class.oid: as joins the
	 * planner read all of pg_index and pg_class for each slice, and
	 * each backend's first touch of a page costs more than the lookup.
	 */
	buf_addf(sql,
	    "SELECT c.oid, format('%%I.%%I', n.nspname, c.relname) AS name,"
	    " c.relkind, c.relpersistence, pg_get_userbyid(c.relowner),"
	    " CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,"
	    " CASE WHEN pc.oid IS NOT NULL THEN"
	    "  format('%%I.%%I', pn.nspname, pc.relname) END,"
	    " CASE WHEN c.relispartition THEN"
	    "  pg_get_expr(c.relpartbound, c.oid) END,"
	    " c.relrowsecurity, c.relforcerowsecurity, d.description,"
	    " " GRANTS("c.relacl", "c.relowner") ","
	    " %s AND " NOT_EXT("pg_class", "c.oid") ","
	    " pc.oid,"
	    " CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint"
	    "  ELSE pg_stat_get_live_tuples(c.oid) END,"
	    " (greatest(c.relpages, 0) + coalesce(ix.pages, 0)"
	    "  + coalesce(tx.pages, 0))::bigint"
	    "  * current_setting('block_size')::bigint,"
	    " pg_stat_get_numscans(c.oid), ix.scans,"
	    " pg_stat_get_live_tuples(c.oid),"
	    " to_char(greatest(pg_stat_get_last_analyze_time(c.oid),"
	    "  pg_stat_get_last_autoanalyze_time(c.oid)) AT TIME ZONE 'UTC',"
	    "  'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
	    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	    " LEFT JOIN pg_inherits i ON i.inhrelid = c.oid"
	    "  AND c.relispartition"
	    " LEFT JOIN pg_class pc ON pc.oid = i.inhparent"
	    " LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace"
	    " LEFT JOIN pg_description d ON d.objoid = c.oid"
	    "  AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0"
	    " LEFT JOIN LATERAL (SELECT sum(greatest(ic.relpages, 0)) AS pages,"
	    "  sum(pg_stat_get_numscans(i.indexrelid)) AS scans"
	    "  FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid"
	    "  WHERE i.indrelid = c.oid) ix ON true"
	    " LEFT JOIN LATERAL (SELECT greatest(t.relpages, 0) + coalesce(("
	    "  SELECT sum(greatest(ic.relpages, 0)) FROM pg_index i"
	    "  JOIN pg_class ic ON ic.oid = i.indexrelid"
	    "  WHERE i.indrelid = t.oid), 0) AS pages"
	    "  FROM pg_class t WHERE t.oid = c.reltoastrelid) tx ON true"
	    " WHERE c.relkind IN ('r', 'p', 'f')"
	    " AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'"
	    "%s ORDER BY format('%%I.%%I', n.nspname, c.relname)" C_ORDER,
	    s->pattern_filter, slice_filter(s, "c.oid"));
}

static void
table_stats(struct snap *s, struct rel *rel, const PGresult *r, int i)
{
	if (!s->opts->stats)
		return;
	rel->has_stats = 1;
	rel->st_rows = db_get_int64(r, i, 14, 0);
	rel->st_bytes = db_get_int64(r, i, 15, 0);
	rel->st_seq = db_get_int64(r, i, 16, 0);
	rel->st_idx = db_get_int64(r, i, 17, 0);
	rel->st_live = db_get_int64(r, i, 18, 0);
	rel->st_analyzed = db_get_str(r, i, 19);
}

static void
tables_build(struct snap *s, const PGresult *r)
{
	for (int i = 0; i < PQntuples(r); i++) {
		char kind = PQgetvalue(r, i, 2)[0];
		struct rel *rel;
		cJSON *o;

		rel = rel_add(s, row_oid(r, i, 0), NULL);
		rel->name = PQgetvalue(r, i, 1);
		rel->relkind = kind;
		rel->parent = db_is_null(r, i, 13) ? 0 : row_oid(r, i, 13);
		table_stats(s, rel, r, i);
		if (!db_get_bool(r, i, 12))
			continue;	/* -n/-N or an extension's */
		rel->obj = o = cJSON_CreateObject();
		row_str(o, "name", r, i, 1);
		obj_add(o, "kind", cJSON_CreateString(kind == 'p' ?
		    "partitioned_table" : kind == 'f' ? "foreign_table" :
		    "table"));
		row_str(o, "owner", r, i, 4);
		obj_add(o, "persistence", cJSON_CreateString(
		    PQgetvalue(r, i, 3)[0] == 'u' ? "unlogged" :
		    "permanent"));
		row_str(o, "partition_key", r, i, 5);
		row_str(o, "partition_of", r, i, 6);
		row_str(o, "partition_bound", r, i, 7);
		row_bool(o, "rls_enabled", r, i, 8);
		row_bool(o, "rls_forced", r, i, 9);
		row_str(o, "comment", r, i, 10);
		rel->columns = obj_add_array(o, "columns");
		rel->constraints = obj_add_array(o, "constraints");
		rel->indexes = obj_add_array(o, "indexes");
		rel->triggers = obj_add_array(o, "triggers");
		rel->policies = obj_add_array(o, "policies");
		row_json(o, "grants", r, i, 11);
		cJSON_AddItemToArray(s->tables, o);
	}
}

const struct part part_tables = {
	.purpose = "reading tables", .split = 1, .keep = 1,
	.sql = tables_sql, .build = tables_build, .by_index = 1
};

/*
 * Columns: pg_attribute and the defaults, nothing else joined.  Type
 * names come from typenames.c (once per distinct type and modifier),
 * collation names and comments from small queries of their own, looked up
 * here by OID: on a 10,000-table schema the joins with pg_type,
 * pg_collation and pg_description and 125,000 format_type() calls were
 * half of this query's time.  A column's collation is reported only when
 * it differs from its type's default, so `text` and `text COLLATE
 * "default"` read the same.  A default cannot refer to a column, so it is
 * deparsed without its table (relid 0), which spares opening and locking
 * every table; a generation expression does refer to columns.
 */
static void
columns_sql(const struct snap *s, struct buf *sql)
{
	buf_addf(sql,
	    "SELECT a.attrelid, quote_ident(a.attname), a.attnum,"
	    " a.atttypmod, NOT a.attnotnull,"
	    " CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, 0) END,"
	    " CASE a.attidentity WHEN 'a' THEN 'always'"
	    "  WHEN 'd' THEN 'by default' END,"
	    " CASE WHEN a.attgenerated <> '' THEN"
	    "  pg_get_expr(ad.adbin, ad.adrelid) END,"
	    " a.atttypid, a.attcollation"
	    " FROM pg_attribute a"
	    " LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid"
	    "  AND ad.adnum = a.attnum"
	    " WHERE a.attrelid IN (SELECT c.oid FROM pg_class c"
	    "  JOIN pg_namespace n ON n.oid = c.relnamespace"
	    "  WHERE c.relkind IN ('r', 'p', 'f')"
	    "  AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema')"
	    " AND a.attnum > 0 AND NOT a.attisdropped%s"
	    " ORDER BY a.attrelid, a.attnum", slice_filter(s, "a.attrelid"));
}

/* The comment on column `attnum` of `rel`, or NULL. */
static const char *
column_comment(const struct snap *s, unsigned rel, const char *attnum)
{
	const PGresult *r = s->column_comments;
	int row;

	if (r == NULL || (row = row_by_oid(r, rel)) < 0)
		return NULL;
	while (row > 0 && row_oid(r, row - 1, 0) == rel)
		row--;
	for (; row < PQntuples(r) && row_oid(r, row, 0) == rel; row++)
		if (strcmp(PQgetvalue(r, row, 1), attnum) == 0)
			return PQgetvalue(r, row, 2);
	return NULL;
}

static void
column_raw(struct snap *s, const struct rel *rel, const PGresult *r, int i,
    struct buf *b)
{
	unsigned typcoll = 0, coll = row_oid(r, i, COL_COLL);
	const char *type, *collation = NULL;
	int row;

	type = typenames_get(s, row_oid(r, i, COL_TYPID),
	    (int)db_get_int64(r, i, COL_TYPMOD, -1), &typcoll);
	if (type == NULL)
		s->raced = 1;
	if (coll != typcoll) {
		if (s->collations != NULL &&
		    (row = row_by_oid(s->collations, coll)) >= 0)
			collation = PQgetvalue(s->collations, row, 1);
		else if (coll != 0)
			s->raced = 1;	/* a collation made meanwhile */
	}
	raw_str(b, "name", r, i, COL_NAME);
	raw_int(b, "position", r, i, COL_NUM);
	raw_key(b, "type");
	json_buf_string(b, type);
	raw_bool(b, "nullable", r, i, COL_NULLABLE);
	raw_str(b, "default", r, i, COL_DEFAULT);
	raw_str(b, "identity", r, i, COL_IDENTITY);
	raw_str(b, "generated", r, i, COL_GENERATED);
	raw_key(b, "collation");
	json_buf_string(b, collation);
	raw_key(b, "comment");
	json_buf_string(b, column_comment(s, rel->oid,
	    PQgetvalue(r, i, COL_NUM)));
}

/*
 * Put a table's columns in as one raw array, which leaves `arr` empty.
 * A raw item per column (125,000 of them on the bench schema) cost an
 * allocation and a node each, to build and to write out.  `arr` serves
 * every table and the item gets a copy of its exact length: a buffer of
 * its own grown by doubling took seven reallocations a table and kept a
 * quarter of its size as slack.
 */
static void
columns_flush(struct rel *rel, struct buf *arr)
{
	cJSON *item;

	if (rel == NULL || rel->columns == NULL || arr->len == 0)
		return;
	buf_addch(arr, ']');
	item = cJSON_CreateNull();
	item->type = cJSON_Raw;
	item->valuestring = xstrndup(arr->data, arr->len);
	buf_reset(arr);
	obj_replace(rel->obj, rel->columns, "columns", item);
	rel->columns = NULL;		/* written whole */
}

static void
columns_build(struct snap *s, const PGresult *r)
{
	struct buf b = BUF_INIT, arr = BUF_INIT;
	struct rel *rel = NULL;
	struct relcol *cols, *c;
	char *names;
	size_t size = 0;
	unsigned oid, last = 0;
	int n = PQntuples(r), len;

	for (int i = 0; i < n; i++)
		size += (size_t)PQgetlength(r, i, COL_NAME) + 1;
	cols = xmalloc(n * sizeof(*cols) + size);
	names = (char *)(cols + n);
	s->colmem = xrealloc(s->colmem, (s->ncolmem + 1) *
	    sizeof(*s->colmem));
	s->colmem[s->ncolmem++] = cols;
	for (int i = 0; i < n; i++) {
		if ((oid = row_oid(r, i, COL_REL)) != last) {
			columns_flush(rel, &arr);
			last = oid;
			if ((rel = rel_find(s, oid)) != NULL)
				rel->cols = &cols[i];
		}
		if (rel == NULL)
			continue;
		c = &cols[i];
		c->attnum = (int)db_get_int64(r, i, COL_NUM, 0);
		c->typid = row_oid(r, i, COL_TYPID);
		c->coll = row_oid(r, i, COL_COLL);
		len = PQgetlength(r, i, COL_NAME);
		memcpy(names, PQgetvalue(r, i, COL_NAME), len + 1);
		c->name = names;
		names += len + 1;
		rel->ncols++;
		if (rel->columns == NULL)
			continue;
		column_raw(s, rel, r, i, &b);
		buf_addch(&arr, arr.len == 0 ? '[' : ',');
		buf_add(&arr, b.data, b.len);
		buf_addch(&arr, '}');
		buf_reset(&b);
	}
	columns_flush(rel, &arr);
	buf_release(&b);
	buf_release(&arr);
}

const struct part part_columns = {
	.purpose = "reading columns", .split = 1,
	.sql = columns_sql, .build = columns_build, .by_index = 1
};

const struct part part_column_comments = {
	"reading column comments", 0, 1, NULL, NULL,
	offsetof(struct snap, column_comments),
	"SELECT d.objoid, d.objsubid, d.description"
	" FROM pg_description d WHERE d.classoid = 'pg_class'::regclass"
	" AND d.objsubid > 0 ORDER BY d.objoid, d.objsubid"
};

const struct part part_collations = {
	"reading collations", 0, 1, NULL, NULL,
	offsetof(struct snap, collations),
	"SELECT co.oid, format('%I.%I', n.nspname, co.collname)"
	" FROM pg_collation co"
	" JOIN pg_namespace n ON n.oid = co.collnamespace ORDER BY co.oid"
};
