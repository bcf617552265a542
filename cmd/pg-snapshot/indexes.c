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
 * Each deparse opens the table and builds its relation cache entry, the
 * costly part, so an index that is not plain is deparsed once, by
 * pg_get_indexdef(), and its expressions and predicate are read back
 * from that text rather than by pg_get_indexdef(oid, column) and
 * pg_get_expr(indpred) calls of their own.  An expression column is
 * therefore written as in the definition ("lower((email)::text)").
 *
 * Indexes of partitions attached to a partitioned index (relispartition,
 * which spares an anti-join with pg_inherits that cost 5 microseconds an
 * index) are reported on the parent only.
 */
#include <err.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "buf.h"
#include "db.h"
#include "json.h"
#include "jsonout.h"
#include "shapes.h"
#include "snapshot.h"
#include "sqlquote.h"
#include "xalloc.h"

#define MAX_KEYS 32	/* INDEX_MAX_KEYS */

const struct part part_opclasses = {
	"reading operator classes", 0, 1, NULL, NULL,
	offsetof(struct snap, opclasses),
	"SELECT oid, opcmethod, opcintype, opcdefault,"
	" opcnamespace = 'pg_catalog'::regnamespace FROM pg_opclass"
	" ORDER BY oid"
};

static void
indexes_sql(const struct snap *s, struct buf *sql)
{
	/* the range on both sides of the join: the planner does not carry it */
	char *on_class = xstrdup(slice_filter_open(s, "c.oid"));

	buf_addf(sql,
	    "SELECT i.indexrelid, i.indrelid,"
	    " format('%%I.%%I', n.nspname, ic.relname),"
	    " quote_ident(ic.relname),"
	    " quote_ident(am.amname), i.indisunique, i.indisprimary,"
	    " i.indisvalid, i.indnkeyatts, i.indkey::text, i.indclass::text,"
	    " i.indcollation::text, i.indoption::text, ip.plain,"
	    " CASE WHEN NOT ip.plain THEN i.indexprs::text END,"
	    " i.indexprs IS NOT NULL OR c.relkind = 'm',"
	    " quote_ident(con.conname),"
	    " i.indpred IS NOT NULL,"
	    " CASE WHEN ic.relkind = 'i' THEN pg_stat_get_numscans(ic.oid) END,"
	    " CASE WHEN ic.relkind = 'i' THEN greatest(ic.relpages, 0)::bigint"
	    "  * current_setting('block_size')::bigint END,"
	    " CASE WHEN NOT ip.plain THEN i.indpred::text END,"
	    " CASE WHEN NOT ip.plain THEN ic.reloptions::text END,"
	    " CASE WHEN NOT ip.plain AND am.amname NOT IN ('btree', 'hash')"
	    "  THEN (SELECT true FROM pg_attribute ia"
	    "  WHERE ia.attrelid = i.indexrelid AND ia.attoptions IS NOT NULL"
	    "  LIMIT 1) END,"
	    " ic.relkind, %s"
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
	    " WHERE c.relkind IN ('r', 'p', 'm') AND %s%s%s"
	    " AND NOT ic.relispartition"
	    " ORDER BY format('%%I.%%I', n.nspname, ic.relname)" C_ORDER,
	    s->version >= 150000 ? "i.indnullsnotdistinct" : "false",
	    s->version >= 150000 ? " AND NOT i.indnullsnotdistinct" : "",
	    s->ns_filter, on_class, slice_filter_open(s, "i.indrelid"));
	free(on_class);
}

/*
 * The evidence of partitioned indexes, summed over their leaves: kept
 * out of the query above, where a subquery on pg_partition_tree() made
 * the whole query several times slower even where it never ran.
 */
static void
index_trees_sql(const struct snap *s, struct buf *sql)
{
	buf_addf(sql,
	    "SELECT ic.oid, sum(pg_stat_get_numscans(pt.relid))::bigint,"
	    " (sum(greatest(lc.relpages, 0))"
	    "  * current_setting('block_size')::bigint)::bigint"
	    " FROM pg_class ic JOIN pg_namespace n ON n.oid = ic.relnamespace"
	    " CROSS JOIN LATERAL pg_partition_tree(ic.oid) pt"
	    " JOIN pg_class lc ON lc.oid = pt.relid"
	    " WHERE ic.relkind = 'I' AND pt.isleaf AND %s"
	    " GROUP BY ic.oid ORDER BY ic.oid", s->ns_filter);
}

const struct part part_index_trees = {
	"reading partitioned index statistics", 0, 1, index_trees_sql,
	NULL,
	offsetof(struct snap, index_trees)
};

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

/* Would pg_get_indexdef() leave out operator class `opc` for `type`? */
static int
opclass_is_default(const PGresult *oc, unsigned long opc, unsigned type)
{
	int row = row_by_oid(oc, (unsigned)opc);
	const char *method;

	if (row < 0 || !db_get_bool(oc, row, 3) || !db_get_bool(oc, row, 4))
		return 0;
	if (row_oid(oc, row, 2) == type)
		return 1;
	/* another type's default: only when `type` has no default here */
	method = PQgetvalue(oc, row, 1);
	for (int i = 0; i < PQntuples(oc); i++)
		if (db_get_bool(oc, i, 3) &&
		    strcmp(PQgetvalue(oc, i, 1), method) == 0 &&
		    row_oid(oc, i, 2) == type)
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
		if (coll[k] != 0 && coll[k] != rel->cols[row].coll)
			return 0;
		if (!opclass_is_default(s->opclasses, opc[k],
		    rel->cols[row].typid))
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

/*
 * Scanning a definition: skip a quoted identifier or a string literal
 * starting at p, or one character.
 */
static const char *
skip_token(const char *p)
{
	char q = *p;

	if (q != '"' && q != '\'')
		return *p ? p + 1 : p;
	for (p++; *p; p++)
		if (*p == q) {
			if (p[1] != q)
				return p + 1;
			p++;		/* doubled quote */
		}
	return p;
}

/* The closing parenthesis matching the one at p, or NULL. */
static const char *
match_paren(const char *p)
{
	int depth = 0;

	while (*p) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p;
		p = skip_token(p);
	}
	return NULL;
}

/* Skip a parenthesised group, a quoted token or a character. */
static const char *
skip_group(const char *p)
{
	const char *m;

	if (*p != '(')
		return skip_token(p);
	m = match_paren(p);
	return m ? m + 1 : p + strlen(p);
}

static void
push_strn(cJSON *arr, const char *p, size_t n)
{
	char *s;

	if (arr == NULL)
		return;
	s = xstrndup(p, n);

	cJSON_AddItemToArray(arr, cJSON_CreateString(s));
	free(s);
}

/*
 * Read the key columns and the predicate back from pg_get_indexdef()
 * output: "... USING am (col, (expr), func(x) DESC, ...)[ INCLUDE (...)]
 * [ WITH (...)][ WHERE pred]".  Names before the column list may be
 * quoted and hold anything, so quotes are skipped throughout.  An element
 * is a column name, a parenthesised expression (shown without its
 * parentheses) or a function call, then maybe a collation, an operator
 * class and an order, which are left out.  0 when the text is not
 * understood.
 */
static int
parse_definition(const char *def, int nkey, cJSON *cols,
    const char **pred)
{
	const char *p = def, *open, *close, *e, *end;
	int k = 0;

	while (*p && *p != '(')
		p = skip_token(p);
	if (*p != '(' || (close = match_paren(p)) == NULL)
		return 0;
	for (open = p + 1; open < close && k < nkey; k++) {
		while (*open == ' ')
			open++;
		if (*open == '(') {
			if ((e = match_paren(open)) == NULL)
				return 0;
			push_strn(cols, open + 1, e - open - 1);
			end = e + 1;
		} else {
			for (end = open; *end && *end != ' ' && *end != ',' &&
			    end < close; )
				end = skip_group(end);
			push_strn(cols, open, end - open);
		}
		/* to the next element at this level */
		for (p = end; p < close && *p != ','; )
			p = skip_group(p);
		open = p + 1;
	}
	*pred = NULL;
	for (p = close + 1; *p; ) {
		if (strncmp(p, " WHERE ", 7) == 0) {
			*pred = p + 7;
			break;
		}
		p = skip_group(p);
	}
	return k == nkey;
}

/* An index waiting for its definition from the server (shapes.c). */
struct pending {
	cJSON		*obj;
	int		 nkey;
	int		 columns;	/* read the columns back */
	int		 predicate;	/* read the predicate back */
};

static void
definition_done(void *arg, void *obj, const char *def)
{
	struct snap *s = arg;
	struct pending *p = obj;
	const char *pred = NULL;
	cJSON *o = p->obj;

	if (def == NULL) {
		s->raced = 1;		/* dropped meanwhile */
	} else {
		obj_replace(o, cJSON_GetObjectItemCaseSensitive(o,
		    "definition"), "definition", cJSON_CreateString(def));
		if ((p->columns || p->predicate) && !parse_definition(def,
		    p->nkey, p->columns ? cJSON_GetObjectItemCaseSensitive(o,
		    "columns") : NULL, &pred))
			errx(EX_SOFTWARE, "%s: cannot read the index definition",
			    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
			    o, "name")));
		if (pred != NULL)
			obj_replace(o, cJSON_GetObjectItemCaseSensitive(o,
			    "predicate"), "predicate", cJSON_CreateString(pred));
	}
	free(p);
}

/*
 * The group key of an index that is not plain (see shapes.h): everything
 * pg_get_indexdef() prints after "CREATE [UNIQUE ]INDEX name ON table".
 * 0 when it must be deparsed alone: a partitioned index ("ON ONLY"), per
 * column operator class options, or columns not known here (a
 * materialized view's).  Options are looked up (column 22) only for
 * access methods other than btree and hash, whose operator classes in
 * pg_catalog take none; an operator class from elsewhere might.
 */
static int
index_key(const struct snap *s, const struct rel *rel, const PGresult *r,
    int i, struct buf *key)
{
	unsigned long keys[MAX_KEYS], opc[MAX_KEYS];
	int attnos[MAX_KEYS], n = 0, nkeys, row, k;

	if (PQgetvalue(r, i, 23)[0] != 'i' || db_get_bool(r, i, 22) ||
	    rel->cols == NULL)
		return 0;
	for (k = split_vector(PQgetvalue(r, i, 10), opc) - 1; k >= 0; k--)
		if ((row = row_by_oid(s->opclasses, (unsigned)opc[k])) < 0 ||
		    !db_get_bool(s->opclasses, row, 4))
			return 0;
	buf_reset(key);
	/* am, unique, nulls not distinct, nkeyatts, vectors, options */
	for (k = 4; k <= 5; k++)
		buf_addf(key, "%s\1", PQgetvalue(r, i, k));
	buf_addf(key, "%s\1", PQgetvalue(r, i, 24));
	for (k = 8; k <= 12; k++)
		buf_addf(key, "%s\1", PQgetvalue(r, i, k));
	buf_addf(key, "%s\1", PQgetvalue(r, i, 21));
	if (!shape_tree(key, db_get_str(r, i, 14), attnos, &n, MAX_KEYS))
		return 0;
	buf_addch(key, '\1');
	if (!shape_tree(key, db_get_str(r, i, 20), attnos, &n, MAX_KEYS))
		return 0;
	/* key columns by name, type and collation; columns in expressions */
	nkeys = split_vector(PQgetvalue(r, i, 9), keys);
	for (k = 0; k < nkeys; k++) {
		if (keys[k] == 0)
			continue;
		if ((row = rel_attrow(rel, (int)keys[k])) < 0)
			return 0;
		buf_addf(key, "\1%s\2%u\2%u", rel->cols[row].name,
		    rel->cols[row].typid, rel->cols[row].coll);
	}
	for (k = 0; k < n; k++) {
		if (rel_attrow(rel, attnos[k]) < 0)
			return 0;
		buf_addf(key, "\1%s", rel_attname(rel, attnos[k]));
	}
	return 1;
}

/* The evidence of one index, as a raw object. */
static void
index_stats(struct snap *s, const PGresult *r, int i, struct buf *b)
{
	int t;

	raw_str(b, "name", r, i, 2);
	if (PQgetvalue(r, i, 23)[0] == 'I' && s->index_trees != NULL &&
	    (t = row_by_oid(s->index_trees, row_oid(r, i, 0))) >= 0) {
		raw_int(b, "idx_scan", s->index_trees, t, 1);
		raw_int(b, "bytes", s->index_trees, t, 2);
	} else if (PQgetvalue(r, i, 23)[0] == 'I') {
		raw_key(b, "idx_scan");		/* no leaves */
		buf_addstr(b, "null");
		raw_key(b, "bytes");
		buf_addstr(b, "null");
	} else {
		raw_int(b, "idx_scan", r, i, 18);
		raw_int(b, "bytes", r, i, 19);
	}
	cJSON_AddItemToArray(s->index_stats, raw_finish(b));
}

/*
 * A plain index, whose definition is written here, as a raw object: a
 * quarter of the program's time went to cJSON nodes, a dozen for each
 * index.  0 when it is not plain after all.
 */
static int
plain_index(struct snap *s, const struct rel *rel, const PGresult *r, int i,
    struct buf *def, struct buf *b)
{
	unsigned long key[MAX_KEYS];
	int nkey = (int)db_get_int64(r, i, 8, 0), natts, k;
	const char *name;

	buf_reset(def);
	if (!plain_definition(s, rel, r, i, def))
		return 0;
	raw_str(b, "name", r, i, 2);
	raw_key(b, "columns");
	buf_addch(b, '[');
	natts = split_vector(PQgetvalue(r, i, 9), key);
	for (k = 0; k < nkey && k < natts; k++) {
		if ((name = rel_attname(rel, (int)key[k])) == NULL)
			s->raced = 1;
		if (k > 0)
			buf_addch(b, ',');
		json_buf_string(b, name);
	}
	buf_addch(b, ']');
	raw_key(b, "definition");
	json_buf_string(b, def->data);
	raw_bool(b, "unique", r, i, 5);
	raw_bool(b, "primary", r, i, 6);
	raw_str(b, "constraint", r, i, 16);
	raw_key(b, "predicate");
	buf_addstr(b, "null");
	raw_bool(b, "valid", r, i, 7);
	cJSON_AddItemToArray(rel->indexes, raw_finish(b));
	return 1;
}

static void
indexes_build(struct snap *s, const PGresult *r)
{
	struct buf def = BUF_INIT, key = BUF_INIT, b = BUF_INIT;
	struct pending *p;
	cJSON *o, *cols;

	if (s->index_shapes == NULL)
		s->index_shapes = shapes_new("pg_get_indexdef");
	for (int i = 0; i < PQntuples(r); i++) {
		struct rel *rel = rel_find(s, row_oid(r, i, 1));

		if (rel == NULL || rel->indexes == NULL)
			continue;
		if (s->index_stats != NULL)
			index_stats(s, r, i, &b);
		if (db_get_bool(r, i, 13) && plain_index(s, rel, r, i, &def,
		    &b))
			continue;
		o = cJSON_CreateObject();
		row_str(o, "name", r, i, 2);
		cols = obj_add_array(o, "columns");
		obj_add(o, "definition", cJSON_CreateNull());
		p = xmalloc(sizeof(*p));
		p->obj = o;
		p->nkey = (int)db_get_int64(r, i, 8, 0);
		p->columns = db_get_bool(r, i, 15);
		p->predicate = db_get_bool(r, i, 17);
		buf_reset(&def);
		buf_addf(&def, "CREATE %sINDEX %s ON %s",
		    db_get_bool(r, i, 5) ? "UNIQUE " : "",
		    PQgetvalue(r, i, 3), rel->name);
		shapes_add(s->index_shapes, index_key(s, rel, r, i, &key) ?
		    &key : NULL, row_oid(r, i, 0), def.data, p);
		if (!db_get_bool(r, i, 15) && !key_names(rel, r, i, cols))
			s->raced = 1;
		row_bool(o, "unique", r, i, 5);
		row_bool(o, "primary", r, i, 6);
		row_str(o, "constraint", r, i, 16);
		obj_add(o, "predicate", cJSON_CreateNull());
		row_bool(o, "valid", r, i, 7);
		cJSON_AddItemToArray(rel->indexes, o);
	}
	buf_release(&def);
	buf_release(&key);
	buf_release(&b);
}

/* Deparse what indexes_build() left, once per shape. */
void
indexes_finish(struct snap *s)
{
	if (s->index_shapes != NULL)
		shapes_run(s->index_shapes, s->conn,
		    "reading index definitions", definition_done, s);
	s->index_shapes = NULL;
}

const struct part part_indexes = {
	.purpose = "reading indexes", .split = 1, .sql = indexes_sql,
	.build = indexes_build, .by_index = 1
};
