/*
 * column.c: the columns of a table present on both sides.
 *
 * Type, nullability, default, identity, generation, collation and comment
 * are separate attributes of one "alter" change; position alone is never a
 * change (PostgreSQL cannot reorder columns).  A dropped and an added
 * column are reported as a rename only when they sit at the same position
 * with the same shape and neither has another candidate.
 *
 * The statements of one alter run in the order PostgreSQL needs: identity
 * and default removed first, then the type (dependent views dropped before
 * and recreated after), then the new default, nullability and identity.
 * SET NOT NULL on a table with rows is proven by a CHECK validated after
 * COMMIT, so it scans without blocking writes and the final SET NOT NULL
 * takes its lock only briefly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "json.h"
#include "sqlquote.h"
#include "xalloc.h"

static const char *const shape[] = { "type", "nullable", "default",
    "identity", "generated", "collation" };

void
sql_add_collate(struct buf *b, const char *coll)
{
	if (coll == NULL)
		return;
	buf_addstr(b, " COLLATE ");
	if (strchr(coll, '"') || strchr(coll, '.'))
		buf_addstr(b, coll);
	else
		sql_add_ident(b, coll);
}

void
column_def(struct buf *b, const cJSON *col)
{
	const char *id = json_str(col, "identity");

	sql_add_bare(b, json_str(col, "name"));
	buf_addf(b, " %s", json_str(col, "type"));
	sql_add_collate(b, json_str(col, "collation"));
	if (json_str(col, "generated"))
		buf_addf(b, " GENERATED ALWAYS AS (%s) STORED",
		    json_str(col, "generated"));
	else if (id)
		buf_addf(b, " GENERATED %s AS IDENTITY",
		    strcmp(id, "always") == 0 ? "ALWAYS" : "BY DEFAULT");
	else if (json_str(col, "default"))
		buf_addf(b, " DEFAULT %s", json_str(col, "default"));
	if (member(col, "nullable") && !json_true(col, "nullable"))
		buf_addstr(b, " NOT NULL");
}

static int
same_shape(const cJSON *a, const cJSON *b)
{
	size_t i;

	for (i = 0; i < sizeof(shape) / sizeof(shape[0]); i++)
		if (!json_equal(member(a, shape[i]), member(b, shape[i])))
			return 0;
	return json_equal(member(a, "position"), member(b, "position")) &&
	    member(a, "position") != NULL;
}

/* The added column that `a` was renamed to, or NULL. */
static const cJSON *
rename_of(const cJSON *a, const cJSON *cols_a, const cJSON *cols_b)
{
	const cJSON *it, *match = NULL;
	int n = 0;

	cJSON_ArrayForEach(it, cols_b) {
		if (find_named(cols_a, json_str(it, "name")))
			continue;
		if (same_shape(a, it)) {
			match = it;
			n++;
		}
	}
	if (n != 1)
		return NULL;
	n = 0;
	cJSON_ArrayForEach(it, cols_a)
		if (!find_named(cols_b, json_str(it, "name")) &&
		    same_shape(it, match))
			n++;
	return n == 1 ? match : NULL;
}

static const cJSON *
renamed_from(const cJSON *b, const cJSON *cols_a, const cJSON *cols_b)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, cols_a)
		if (!find_named(cols_b, json_str(it, "name")) &&
		    rename_of(it, cols_a, cols_b) == b)
			return it;
	return NULL;
}

static int64_t
table_rows(const cJSON *t)
{
	const cJSON *v = member(json_obj(t, "stats"), "rows");

	return v ? json_int64(v) : -1;
}

/* Parse "name(n[,m])" into n and m; returns the count of numbers. */
static int
type_mods(const char *t, const char *base, long *n, long *m)
{
	size_t len = strlen(base);

	*n = *m = -1;
	if (strncmp(t, base, len) != 0)
		return 0;
	if (t[len] == '\0')
		return -1;
	if (t[len] != '(')
		return 0;
	return sscanf(t + len, "(%ld,%ld)", n, m);
}

/*
 * Does changing type `ta` to `tb` lose data for good, so that the rollback
 * cannot restore it: shorter strings, fewer digits, less precision,
 * integers from fractions, timestamps losing their zone?
 */
static int
type_loses_data(const char *ta, const char *tb)
{
	static const char *const sized[] = { "character varying",
	    "character", "numeric", "timestamp", "time", "bit varying",
	    "bit" };
	static const char *const ints[] = { "smallint", "integer", "bigint" };
	static const char *const frac[] = { "numeric", "real",
	    "double precision" };
	long na, ma, nb, mb;
	size_t i, j;
	int ka, kb;

	if (strncmp(ta, "timestamp", 9) == 0 &&
	    strstr(ta, "with time zone") && !strstr(tb, "with time zone") &&
	    strstr(tb, "without time zone") == NULL &&
	    strncmp(tb, "timestamp", 9) == 0)
		return 1;
	if (strstr(ta, "with time zone") && strstr(tb, "without time zone"))
		return 1;
	/* text to a bounded string type trims trailing spaces silently */
	if (strcmp(ta, "text") == 0 &&
	    (strncmp(tb, "character varying(", 18) == 0 ||
	    strncmp(tb, "character(", 10) == 0))
		return 1;
	for (i = 0; i < sizeof(frac) / sizeof(frac[0]); i++)
		for (j = 0; j < sizeof(ints) / sizeof(ints[0]); j++)
			if (strncmp(ta, frac[i], strlen(frac[i])) == 0 &&
			    strcmp(tb, ints[j]) == 0)
				return 1;
	for (i = 0; i < sizeof(sized) / sizeof(sized[0]); i++) {
		ka = type_mods(ta, sized[i], &na, &ma);
		kb = type_mods(tb, sized[i], &nb, &mb);
		if (ka == 0 || kb <= 0)
			continue;
		if (ka < 0)
			return 1;	/* unbounded to bounded */
		if (nb < na || (ka == 2 && kb == 2 && mb < ma) ||
		    (ka == 2 && kb == 1 && ma > 0))
			return 1;
		return 0;
	}
	return 0;
}

static char *
check_name(const char *table, const char *col)
{
	char *last = name_last(table);
	struct buf b = BUF_INIT;

	buf_addf(&b, "%s_%s_not_null", last, col);
	if (b.len > 63)
		buf_setlen(&b, 63);
	free(last);
	return buf_detach(&b, NULL);
}

static void
set_not_null(struct change *c, const char *tq, const char *table,
    const char *cq, const char *cname, int online)
{
	char *ck, *ckq;

	if (!online) {
		change_sql(c, PH_COLUMN, 0, "ALTER TABLE %s ALTER COLUMN %s "
		    "SET NOT NULL;", tq, cq);
		return;
	}
	ck = check_name(table, cname);
	ckq = sql_ident(ck);
	change_sql(c, PH_POST_NOT_NULL, 0, "ALTER TABLE %s ADD CONSTRAINT %s "
	    "CHECK (%s IS NOT NULL) NOT VALID;", tq, ckq, cq);
	change_sql(c, PH_POST_NOT_NULL, 0, "ALTER TABLE %s VALIDATE "
	    "CONSTRAINT %s;", tq, ckq);
	change_sql(c, PH_POST_NOT_NULL, 0, "ALTER TABLE %s ALTER COLUMN %s "
	    "SET NOT NULL;", tq, cq);
	change_sql(c, PH_POST_NOT_NULL, 0, "ALTER TABLE %s DROP CONSTRAINT "
	    "%s;", tq, ckq);
	free(ck);
	free(ckq);
}

static void
column_alter(struct ctx *x, struct change *c, const cJSON *ta,
    const cJSON *tb, const cJSON *a, const cJSON *b)
{
	const char *table = json_str(tb, "name");
	char *tq = sql_name(table), *cq = sql_bare(json_str(b, "name"));
	int type, def, nul, ident, gen, coll;
	const char *ia = json_str(a, "identity"), *ib = json_str(b, "identity");

	type = change_cmp(c, "type", a, b, "type");
	nul = change_cmp(c, "nullable", a, b, "nullable");
	def = change_cmp(c, "default", a, b, "default");
	ident = change_cmp(c, "identity", a, b, "identity");
	gen = change_cmp(c, "generated", a, b, "generated");
	coll = change_cmp(c, "collation", a, b, "collation");

	if (gen && json_str(b, "generated")) {
		/* A generation expression can only come with the column. */
		struct buf s = BUF_INIT;

		change_sql(c, PH_COLUMN, 0, "ALTER TABLE %s DROP COLUMN %s;",
		    tq, cq);
		buf_addf(&s, "ALTER TABLE %s ADD COLUMN ", tq);
		column_def(&s, b);
		buf_addch(&s, ';');
		change_sql_take(c, PH_COLUMN, 0, buf_detach(&s, NULL));
		goto out;
	}
	if (gen)
		change_sql(c, PH_COLUMN, 0, "ALTER TABLE %s ALTER COLUMN %s "
		    "DROP EXPRESSION;", tq, cq);
	if (ident && ia && !ib)
		change_sql(c, PH_COLUMN, 0, "ALTER TABLE %s ALTER COLUMN %s "
		    "DROP IDENTITY;", tq, cq);
	if (def && json_str(a, "default") && (type || coll ||
	    !json_str(b, "default") || (ident && ib)))
		change_sql(c, PH_COLUMN, 0, "ALTER TABLE %s ALTER COLUMN %s "
		    "DROP DEFAULT;", tq, cq);
	if (type || coll) {
		struct buf s = BUF_INIT;
		char *obj = name_join(json_str(ta, "name"),
		    json_str(a, "name"));

		buf_addf(&s, "ALTER TABLE %s ALTER COLUMN %s TYPE %s", tq, cq,
		    json_str(b, "type"));
		if (coll || json_str(b, "collation"))
			sql_add_collate(&s, json_str(b, "collation") ?
			    json_str(b, "collation") :
			    "pg_catalog.\"default\"");
		buf_addch(&s, ';');
		change_sql_take(c, PH_COLUMN, 0, buf_detach(&s, NULL));
		view_rebuild_dependents(x, c, obj);
		free(obj);
		if (type && type_loses_data(json_str(a, "type"),
		    json_str(b, "type")))
			c->restores_data = 0;
	}
	if (def && json_str(b, "default"))
		change_sql(c, PH_COLUMN, 0, "ALTER TABLE %s ALTER COLUMN %s "
		    "SET DEFAULT %s;", tq, cq, json_str(b, "default"));
	if (nul && json_true(b, "nullable"))
		change_sql(c, PH_COLUMN, 0, "ALTER TABLE %s ALTER COLUMN %s "
		    "DROP NOT NULL;", tq, cq);
	else if (nul)
		set_not_null(c, tq, table, cq, json_str(b, "name"),
		    !(ident && ib) && table_rows(ta) != 0);
	if (ident && ib && !ia)
		change_sql(c, PH_COLUMN, 0, "ALTER TABLE %s ALTER COLUMN %s "
		    "ADD GENERATED %s AS IDENTITY;", tq, cq,
		    strcmp(ib, "always") == 0 ? "ALWAYS" : "BY DEFAULT");
	else if (ident && ib)
		change_sql(c, PH_COLUMN, 0, "ALTER TABLE %s ALTER COLUMN %s "
		    "SET GENERATED %s;", tq, cq,
		    strcmp(ib, "always") == 0 ? "ALWAYS" : "BY DEFAULT");
out:
	free(tq);
	free(cq);
}

static void
add_cren(struct ctx *x, const char *table, const char *from, const char *to)
{
	x->cren_table = xrealloc(x->cren_table, (x->ncren + 1) *
	    sizeof(*x->cren_table));
	x->cren_table[x->ncren] = xstrdup(table);
	ctx_add_rename(&x->cren_from, &x->cren_to, &x->ncren, from, to);
}

static void
one_column(struct ctx *x, const cJSON *ta, const cJSON *tb, const cJSON *a,
    const cJSON *b)
{
	const char *table = json_str(tb, "name");
	char *tq = sql_name(table);
	char *obj = name_join(table, json_str(b ? b : a, "name"));
	char *cq = sql_bare(json_str(b ? b : a, "name"));
	struct change *c;
	struct buf s = BUF_INIT;

	if (a == NULL) {
		c = change_new("column", obj, table, OP_ADD, NULL, b);
		buf_addf(&s, "ALTER TABLE %s ADD COLUMN ", tq);
		column_def(&s, b);
		buf_addch(&s, ';');
		change_sql_take(c, PH_COLUMN, 0, buf_detach(&s, NULL));
		if (json_str(b, "comment")) {
			char *cn = name_join(tq, json_str(b, "name"));

			change_sql_take(c, PH_COMMENT, 0, sql_comment("COLUMN",
			    cn, json_str(b, "comment")));
			free(cn);
		}
		changes_add(x->out, c);
	} else if (b == NULL) {
		c = change_new("column", obj, table, OP_DROP, a, NULL);
		change_sql(c, PH_DROP_COLUMN, 0, "ALTER TABLE %s DROP COLUMN "
		    "%s;", tq, cq);
		c->restores_data = 0;
		changes_add(x->out, c);
	} else {
		int renamed = strcmp(json_str(a, "name"),
		    json_str(b, "name")) != 0;
		char *cn = name_join(tq, json_str(b, "name"));

		c = change_new("column", obj, table, renamed ? OP_RENAME :
		    OP_ALTER, a, b);
		if (renamed) {
			char *old = sql_bare(json_str(a, "name"));

			c->renamed_from = name_join(table, json_str(a, "name"));
			change_sql(c, PH_RENAME_COLUMN, 0, "ALTER TABLE %s "
			    "RENAME COLUMN %s TO %s;", tq, old, cq);
			free(old);
		}
		column_alter(x, c, ta, tb, a, b);
		meta_comment(x, c, "COLUMN", cn, "column", obj, a, b);
		if (renamed)
			changes_add(x->out, c);
		else
			changes_add_if(x->out, c);
		free(cn);
	}
	free(obj);
	free(cq);
	free(tq);
}

void
diff_columns(struct ctx *x, const cJSON *ta, const cJSON *tb)
{
	const cJSON *ca = json_arr(ta, "columns");
	const cJSON *cb = json_arr(tb, "columns");
	const cJSON *it;

	cJSON_ArrayForEach(it, ca) {
		const cJSON *o = find_named(cb, json_str(it, "name"));

		if (o == NULL && (o = rename_of(it, ca, cb)) != NULL)
			add_cren(x, json_str(tb, "name"), json_str(it, "name"),
			    json_str(o, "name"));
	}
	cJSON_ArrayForEach(it, ca) {
		const cJSON *o = find_named(cb, json_str(it, "name"));

		if (o == NULL)
			o = rename_of(it, ca, cb);
		one_column(x, ta, tb, it, o);
	}
	cJSON_ArrayForEach(it, cb)
		if (find_named(ca, json_str(it, "name")) == NULL &&
		    renamed_from(it, ca, cb) == NULL)
			one_column(x, ta, tb, NULL, it);
}
