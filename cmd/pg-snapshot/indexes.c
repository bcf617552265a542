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
 * Indexes of partitions attached to a partitioned index are reported on
 * the parent only.
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

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
	"reading operator classes", 0, 1, opclasses_sql, opclasses_build
};

static void
indexes_sql(const struct snap *s, struct buf *sql)
{
	buf_addf(sql,
	    "SELECT i.indexrelid, i.indrelid,"
	    " format('%%I.%%I', n.nspname, ic.relname),"
	    " quote_ident(ic.relname),"
	    " quote_ident(am.amname), i.indisunique, i.indisprimary,"
	    " i.indisvalid, i.indnkeyatts, i.indkey::text, i.indclass::text,"
	    " i.indcollation::text, i.indoption::text, ip.plain,"
	    " CASE WHEN NOT ip.plain THEN pg_get_indexdef(i.indexrelid) END,"
	    " i.indexprs IS NOT NULL OR c.relkind = 'm',"
	    " quote_ident(con.conname),"
	    " i.indpred IS NOT NULL,"
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
	    " WHERE c.relkind IN ('r', 'p', 'm') AND %s%s"
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
	    s->ns_filter, slice_filter(s, "i.indrelid"));
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
	char *s = xstrndup(p, n);

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
	const char *pred;
	cJSON *o, *cols;

	for (int i = 0; i < PQntuples(r); i++) {
		struct rel *rel = rel_find(s, row_oid(r, i, 1));

		if (rel == NULL || rel->indexes == NULL)
			continue;
		o = cJSON_CreateObject();
		row_str(o, "name", r, i, 2);
		buf_reset(&def);
		cols = obj_add_array(o, "columns");
		pred = NULL;
		if (!db_get_bool(r, i, 13)) {
			row_def(s, o, "definition", r, i, 14);
			if (!db_is_null(r, i, 14) && (db_get_bool(r, i, 15) ||
			    db_get_bool(r, i, 17)) &&
			    !parse_definition(PQgetvalue(r, i, 14),
			    (int)db_get_int64(r, i, 8, 0), cols, &pred))
				errx(EX_SOFTWARE, "%s: cannot read the index "
				    "definition", PQgetvalue(r, i, 2));
		} else if (plain_definition(s, rel, r, i, &def)) {
			obj_add(o, "definition", cJSON_CreateString(def.data));
		} else {
			obj_add(o, "definition", cJSON_CreateNull());
			pending_add(&later, row_oid(r, i, 0), o);
		}
		if (!db_get_bool(r, i, 15) && !key_names(rel, r, i, cols))
			s->raced = 1;
		row_bool(o, "unique", r, i, 5);
		row_bool(o, "primary", r, i, 6);
		row_str(o, "constraint", r, i, 16);
		obj_add(o, "predicate", pred ? cJSON_CreateString(pred) :
		    cJSON_CreateNull());
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
	"reading indexes", 1, 0, indexes_sql, indexes_build
};
