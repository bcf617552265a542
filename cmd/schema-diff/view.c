/*
 * view.c: views and materialized views.
 *
 * A view whose definition changes keeps its identity with CREATE OR
 * REPLACE VIEW only when it keeps every output column (same names and
 * types, new ones appended) and nothing it reads is dropped or retyped;
 * otherwise it is dropped and created, with its grants and comment
 * re-applied (a new view has neither).  Dropping a view drops the views
 * that read it, so those are dropped first and created again after.
 * Views are dropped deepest first and created shallowest first.
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "json.h"
#include "sqlquote.h"
#include "xalloc.h"

#define MAX_DEPTH 64

/* The view a depends_on entry names (the view, or a column of it). */
static const cJSON *
dep_view(const struct objidx *views, const char *dep)
{
	const cJSON *v = objidx_find(views, dep);
	char *parts[3];
	int i, n;

	if (v)
		return v;
	n = sql_split_name(dep, parts, 3);
	if (n == 3) {
		char *q = sql_qualified(parts[0], parts[1]);

		v = objidx_find(views, q);
		free(q);
	}
	for (i = 0; i < n; i++)
		free(parts[i]);
	return v;
}

static int
depth_at(const struct objidx *views, const cJSON *view, int level)
{
	const cJSON *d;
	int max = 0;

	if (level > MAX_DEPTH)
		return 0;
	cJSON_ArrayForEach(d, json_arr(view, "depends_on")) {
		const cJSON *v;

		if (!cJSON_IsString(d))
			continue;
		v = dep_view(views, d->valuestring);
		if (v && v != view) {
			int dd = depth_at(views, v, level + 1) + 1;

			if (dd > max)
				max = dd;
		}
	}
	return max;
}

int
view_depth(const struct objidx *views, const cJSON *view)
{
	return depth_at(views, view, 0);
}

static int
is_mat(const cJSON *v)
{
	return json_true(v, "materialized");
}

static const char *
kind_of(const cJSON *v)
{
	return is_mat(v) ? "materialized_view" : "view";
}

static const char *
sql_kind(const cJSON *v)
{
	return is_mat(v) ? "MATERIALIZED VIEW" : "VIEW";
}

static char *
body(const cJSON *v)
{
	const char *def = json_str(v, "definition");
	size_t n;

	if (def == NULL)
		return xstrdup(" SELECT NULL");
	n = strlen(def);
	while (n > 0 && (def[n - 1] == ';' || def[n - 1] == ' ' ||
	    def[n - 1] == '\n' || def[n - 1] == '\t'))
		n--;
	return xstrndup(def, n);
}

static void
create_sql(struct ctx *x, struct change *c, const cJSON *v, int replace)
{
	char *q = sql_name(json_str(v, "name")), *def = body(v);
	const cJSON *it;
	int depth = view_depth(&x->to_views, v);

	change_sql(c, PH_CREATE_VIEW, depth, "CREATE %s%s %s AS\n%s;",
	    replace ? "OR REPLACE " : "", sql_kind(v), q, def);
	if (!replace) {
		cJSON_ArrayForEach(it, json_arr(v, "indexes"))
			index_create_sql(c, it, 3);
		meta_create(c, sql_kind(v), q, v);
	}
	free(q);
	free(def);
}

static void
drop_sql(struct ctx *x, struct change *c, const cJSON *v)
{
	char *q = sql_name(json_str(v, "name"));

	change_sql(c, PH_DROP_VIEW, MAX_DEPTH - view_depth(&x->from_views, v),
	    "DROP %s %s;", sql_kind(v), q);
	free(q);
}

/* Does `dep` (an entry of depends_on) name `obj` or something in it? */
static int
dep_matches(const char *dep, const char *obj)
{
	size_t n = strlen(obj);

	return strncmp(dep, obj, n) == 0 && (dep[n] == '\0' || dep[n] == '.');
}

static void
rebuild(struct ctx *x, struct change *c, const char *obj, int level)
{
	size_t i;

	if (level > MAX_DEPTH)
		return;
	for (i = 0; i < x->from_views.n; i++) {
		const cJSON *v = x->from_views.v[i], *d, *to;
		const char *name = json_str(v, "name");
		int hit = 0;

		cJSON_ArrayForEach(d, json_arr(v, "depends_on"))
			if (cJSON_IsString(d) && dep_matches(d->valuestring,
			    obj))
				hit = 1;
		if (!hit || name == NULL || strcmp(name, obj) == 0)
			continue;
		drop_sql(x, c, v);
		to = objidx_find(&x->to_views, name);
		if (to)
			create_sql(x, c, to, 0);
		rebuild(x, c, name, level + 1);
	}
}

void
view_rebuild_dependents(struct ctx *x, struct change *c, const char *obj)
{
	rebuild(x, c, obj, 0);
}

static int must_drop(struct ctx *x, const cJSON *a, int level);

/* Is a column the view reads dropped or retyped on the to side? */
static int
column_breaks(struct ctx *x, const char *dep)
{
	char *parts[3], *tq;
	const cJSON *ta, *tb, *ca, *cb;
	int i, n = sql_split_name(dep, parts, 3), breaks = 0;
	size_t k;

	if (n != 3)
		goto out;
	tq = sql_qualified(parts[0], parts[1]);
	ta = objidx_find(&x->from_tables, tq);
	if (ta) {
		const char *tbn = ctx_renamed(x, tq);

		tb = objidx_find(&x->to_tables, tbn);
		ca = find_bare(json_arr(ta, "columns"), parts[2]);
		cb = ca ? find_named(json_arr(tb, "columns"),
		    json_str(ca, "name")) : NULL;
		for (k = 0; ca && k < x->ncren; k++)
			if (strcmp(x->cren_table[k], tbn) == 0 &&
			    strcmp(x->cren_from[k], json_str(ca, "name")) == 0)
				cb = find_named(json_arr(tb, "columns"),
				    x->cren_to[k]);
		breaks = tb == NULL || cb == NULL || (ca && (!json_equal(
		    member(ca, "type"), member(cb, "type")) || !json_equal(
		    member(ca, "collation"), member(cb, "collation"))));
	}
	free(tq);
out:
	for (i = 0; i < n; i++)
		free(parts[i]);
	return breaks;
}

static int
columns_compatible(const cJSON *a, const cJSON *b)
{
	const cJSON *ca = json_arr(a, "columns"), *cb = json_arr(b, "columns");
	int i, n = cJSON_GetArraySize(ca);

	if (n > cJSON_GetArraySize(cb))
		return 0;
	for (i = 0; i < n; i++) {
		const cJSON *x = cJSON_GetArrayItem(ca, i);
		const cJSON *y = cJSON_GetArrayItem(cb, i);

		if (!json_equal(member(x, "name"), member(y, "name")) ||
		    !json_equal(member(x, "type"), member(y, "type")))
			return 0;
	}
	return 1;
}

static void
subst_in(char **s, const char *old, const char *new)
{
	char *t = subst_word(*s, old, new);

	free(*s);
	*s = t;
}

/*
 * Are the definitions the same once this diff's renames are applied?
 * After RENAME COLUMN a view prints the column as "t.new AS old" in its
 * select list and "t.new" elsewhere; both forms are brought to "t.new".
 */
static int
same_definition(struct ctx *x, const cJSON *a, const cJSON *b)
{
	char *na = norm_def(x, NULL, json_str(a, "definition") ?
	    json_str(a, "definition") : "");
	char *nb = xstrdup(json_str(b, "definition") ?
	    json_str(b, "definition") : "");
	size_t i;
	int same;

	for (i = 0; i < x->ncren; i++) {
		char *last = name_last(x->cren_table[i]);
		char *tq = sql_ident(last), *f = sql_bare(x->cren_from[i]);
		char *t = sql_bare(x->cren_to[i]);
		struct buf from = BUF_INIT, to = BUF_INIT, as = BUF_INIT;

		buf_addf(&from, "%s.%s", tq, f);
		buf_addf(&to, "%s.%s", tq, t);
		buf_addf(&as, "%s.%s AS %s", tq, t, f);
		subst_in(&na, from.data, to.data);
		subst_in(&nb, as.data, to.data);
		buf_release(&from);
		buf_release(&to);
		buf_release(&as);
		free(last);
		free(tq);
		free(f);
		free(t);
	}
	same = strcmp(na, nb) == 0;
	free(na);
	free(nb);
	return same;
}

static int
redefined(struct ctx *x, const cJSON *a, const cJSON *b)
{
	return !same_definition(x, a, b) ||
	    !json_equal(member(a, "columns"), member(b, "columns"));
}

/* Must the from-side view `a` be dropped rather than replaced? */
static int
must_drop(struct ctx *x, const cJSON *a, int level)
{
	const cJSON *b = objidx_find(&x->to_views, json_str(a, "name"));
	const cJSON *d;

	if (b == NULL || level > MAX_DEPTH)
		return 1;
	if (is_mat(a) != is_mat(b))
		return 1;
	if (redefined(x, a, b) && (is_mat(a) || !columns_compatible(a, b)))
		return 1;
	cJSON_ArrayForEach(d, json_arr(a, "depends_on")) {
		const cJSON *v;

		if (!cJSON_IsString(d))
			continue;
		v = dep_view(&x->from_views, d->valuestring);
		if (v && v != a && must_drop(x, v, level + 1))
			return 1;
		if (v == NULL && column_breaks(x, d->valuestring))
			return 1;
	}
	return 0;
}

static void
one_view(struct ctx *x, const cJSON *a, const cJSON *b, void *arg)
{
	const char *name = json_str(a ? a : b, "name");
	char *q = sql_name(name);
	struct change *c;

	(void)arg;
	if (a == NULL) {
		c = change_new(kind_of(b), name, NULL, OP_ADD, NULL, b);
		create_sql(x, c, b, 0);
		c->rank = view_depth(&x->to_views, b);
		changes_add(x->out, c);
	} else if (b == NULL || is_mat(a) != is_mat(b)) {
		c = change_new(kind_of(a), name, NULL, OP_DROP, a, NULL);
		drop_sql(x, c, a);
		view_rebuild_dependents(x, c, name);
		c->rank = MAX_DEPTH - view_depth(&x->from_views, a);
		changes_add(x->out, c);
		if (b)
			one_view(x, NULL, b, arg);
	} else {
		int redef = redefined(x, a, b);

		c = change_new(kind_of(b), name, NULL, OP_ALTER, a, b);
		if (redef) {
			if (!same_definition(x, a, b))
				change_cmp(c, "definition", a, b,
				    "definition");
			change_cmp(c, "columns", a, b, "columns");
		}
		if (redef && must_drop(x, a, 0)) {
			drop_sql(x, c, a);
			view_rebuild_dependents(x, c, name);
			create_sql(x, c, b, 0);
		} else if (redef) {
			create_sql(x, c, b, 1);
		}
		meta_alter(x, c, sql_kind(b), q, kind_of(b), name, a, b);
		meta_grants(x, sql_kind(b), q, kind_of(b), name, NULL, a, b);
		if (is_mat(a) && !(redef && must_drop(x, a, 0)))
			diff_indexes(x, a, b);
		changes_add_if(x->out, c);
	}
	free(q);
}

void
diff_views(struct ctx *x)
{
	pair_by_name(x, json_arr(x->from, "views"), json_arr(x->to, "views"),
	    one_view, NULL);
}
