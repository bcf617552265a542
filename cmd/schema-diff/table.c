/*
 * table.c: tables, their table-level attributes, and table renames.
 *
 * A table added or dropped is one change whose SQL creates or drops it
 * whole (columns, constraints, indexes, triggers, policies, grants,
 * comments): its parts are not reported again.  A table present on both
 * sides is compared attribute by attribute and its parts are handed to
 * the column, constraint, index, trigger and policy files.
 *
 * A rename is reported only when exactly one dropped table and exactly one
 * added table of the same schema have the same shape (kind, persistence,
 * partitioning and every column with its type, nullability, default,
 * identity, generation and collation), each being the other's only
 * candidate.  Anything less certain stays a drop and an add.
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "json.h"
#include "sqlquote.h"
#include "xalloc.h"

static const char *const col_shape[] = { "name", "type", "nullable",
    "default", "identity", "generated", "collation" };
static const char *const table_shape[] = { "kind", "persistence",
    "partition_key", "partition_of", "partition_bound" };

static int
same_columns(const cJSON *a, const cJSON *b)
{
	const cJSON *ca = json_arr(a, "columns"), *cb = json_arr(b, "columns");
	const cJSON *it;
	size_t i;

	if (cJSON_GetArraySize(ca) != cJSON_GetArraySize(cb) ||
	    cJSON_GetArraySize(ca) == 0)
		return 0;
	cJSON_ArrayForEach(it, ca) {
		const cJSON *o = find_named(cb, json_str(it, "name"));

		if (o == NULL)
			return 0;
		for (i = 0; i < sizeof(col_shape) / sizeof(col_shape[0]); i++)
			if (!json_equal(member(it, col_shape[i]),
			    member(o, col_shape[i])))
				return 0;
	}
	return 1;
}

static int
same_shape(const cJSON *a, const cJSON *b)
{
	char *sa = name_schema(json_str(a, "name"));
	char *sb = name_schema(json_str(b, "name"));
	size_t i;
	int same = strcmp(sa, sb) == 0;

	free(sa);
	free(sb);
	for (i = 0; same && i < sizeof(table_shape) / sizeof(table_shape[0]);
	    i++)
		same = json_equal(member(a, table_shape[i]),
		    member(b, table_shape[i]));
	return same && same_columns(a, b);
}

/* The tables of `x` not named in `y`: the dropped or the added ones. */
static const cJSON **
only_in(const struct objidx *x, const struct objidx *y, size_t *np)
{
	const cJSON **v = xcalloc(x->n + 1, sizeof(*v));
	size_t i, n = 0;

	for (i = 0; i < x->n; i++)
		if (!objidx_find(y, json_str(x->v[i], "name")))
			v[n++] = x->v[i];
	*np = n;
	return v;
}

static void
find_renames(struct ctx *x)
{
	size_t na, nb, i, j;
	const cJSON **da = only_in(&x->from_tables, &x->to_tables, &na);
	const cJSON **db = only_in(&x->to_tables, &x->from_tables, &nb);

	for (i = 0; i < na && nb > 0; i++) {
		const cJSON *match = NULL;
		int n = 0, back = 0;

		for (j = 0; j < nb; j++) {
			if (same_shape(da[i], db[j])) {
				match = db[j];
				n++;
			}
		}
		if (n != 1)
			continue;
		for (j = 0; j < na; j++)
			if (same_shape(da[j], match))
				back++;
		if (back == 1)
			ctx_add_rename(&x->ren_from, &x->ren_to, &x->nren,
			    json_str(da[i], "name"), json_str(match, "name"));
	}
	free(da);
	free(db);
}

static int
is_renamed_to(const struct ctx *x, const char *name)
{
	size_t i;

	for (i = 0; i < x->nren; i++)
		if (strcmp(x->ren_to[i], name) == 0)
			return 1;
	return 0;
}

static const char *
sql_kind(const cJSON *t)
{
	const char *k = json_str(t, "kind");

	return k && strcmp(k, "foreign_table") == 0 ? "FOREIGN TABLE" :
	    "TABLE";
}

void
table_create_sql(struct ctx *x, struct change *c, const cJSON *t)
{
	const char *name = json_str(t, "name");
	const char *parent = json_str(t, "partition_of");
	const char *kind = json_str(t, "kind");
	char *q = sql_name(name);
	struct buf b = BUF_INIT;
	const cJSON *it;
	int rank = parent ? 1 : 0, first = 1;

	(void)x;
	if (kind && strcmp(kind, "foreign_table") == 0) {
		change_sql(c, PH_CREATE_TABLE, rank, "-- foreign table %s "
		    "cannot be created from the snapshot (server and "
		    "options are not recorded)", q);
		free(q);
		return;
	}
	buf_addf(&b, "CREATE %sTABLE %s",
	    json_str(t, "persistence") && strcmp(json_str(t, "persistence"),
	    "unlogged") == 0 ? "UNLOGGED " : "", q);
	if (parent) {
		char *pq = sql_name(parent);

		buf_addf(&b, " PARTITION OF %s %s", pq,
		    json_str(t, "partition_bound") ? json_str(t,
		    "partition_bound") : "DEFAULT");
		free(pq);
	} else {
		buf_addstr(&b, " (");
		cJSON_ArrayForEach(it, json_arr(t, "columns")) {
			buf_addstr(&b, first ? "\n    " : ",\n    ");
			column_def(&b, it);
			first = 0;
		}
		buf_addstr(&b, first ? ")" : "\n)");
	}
	if (json_str(t, "partition_key"))
		buf_addf(&b, " PARTITION BY %s", json_str(t, "partition_key"));
	buf_addch(&b, ';');
	change_sql_take(c, PH_CREATE_TABLE, rank, buf_detach(&b, NULL));

	cJSON_ArrayForEach(it, json_arr(t, "constraints"))
		constraint_add_sql(c, name, it, 1);
	cJSON_ArrayForEach(it, json_arr(t, "indexes"))
		if (json_str(it, "constraint") == NULL)
			index_create_sql(c, it, 0);
	cJSON_ArrayForEach(it, json_arr(t, "triggers"))
		trigger_create_sql(c, name, it);
	cJSON_ArrayForEach(it, json_arr(t, "policies"))
		policy_create_sql(c, name, it);
	if (json_true(t, "rls_enabled"))
		change_sql(c, PH_RLS, 0, "ALTER TABLE %s ENABLE ROW LEVEL "
		    "SECURITY;", q);
	if (json_true(t, "rls_forced"))
		change_sql(c, PH_RLS, 0, "ALTER TABLE %s FORCE ROW LEVEL "
		    "SECURITY;", q);
	cJSON_ArrayForEach(it, json_arr(t, "columns")) {
		if (json_str(it, "comment")) {
			char *cn = name_join(q, json_str(it, "name"));

			change_sql_take(c, PH_COMMENT, 0, sql_comment("COLUMN",
			    cn, json_str(it, "comment")));
			free(cn);
		}
	}
	cJSON_ArrayForEach(it, json_arr(t, "constraints")) {
		if (json_str(it, "comment")) {
			struct buf n = BUF_INIT;

			sql_add_bare(&n, json_str(it, "name"));
			buf_addf(&n, " ON %s", q);
			change_sql_take(c, PH_COMMENT, 0, sql_comment(
			    "CONSTRAINT", n.data, json_str(it, "comment")));
			buf_release(&n);
		}
	}
	meta_create(c, sql_kind(t), q, t);
	free(q);
}

static void
table_add(struct ctx *x, const cJSON *b)
{
	struct change *c = change_new("table", json_str(b, "name"), NULL,
	    OP_ADD, NULL, b);

	table_create_sql(x, c, b);
	c->rank = json_str(b, "partition_of") ? 1 : 0;
	changes_add(x->out, c);
}

static void
table_drop(struct ctx *x, const cJSON *a)
{
	struct change *c = change_new("table", json_str(a, "name"), NULL,
	    OP_DROP, a, NULL);
	char *q = sql_name(json_str(a, "name"));
	int rank = json_str(a, "partition_of") ? 0 : 1;

	change_sql(c, PH_DROP_TABLE, rank, "DROP %s %s;", sql_kind(a), q);
	c->rank = rank;
	c->restores_data = 0;
	changes_add(x->out, c);
	free(q);
}

static void
partition_sql(struct change *c, const char *q, const cJSON *a,
    const cJSON *b)
{
	const char *pa = json_str(a, "partition_of");
	const char *pb = json_str(b, "partition_of");
	char *qp;

	if (pa) {
		qp = sql_name(pa);
		change_sql(c, PH_DETACH, 0, "ALTER TABLE %s DETACH PARTITION "
		    "%s;", qp, q);
		free(qp);
	}
	if (pb) {
		qp = sql_name(pb);
		change_sql(c, PH_ATTACH, 0, "ALTER TABLE %s ATTACH PARTITION "
		    "%s %s;", qp, q, json_str(b, "partition_bound") ?
		    json_str(b, "partition_bound") : "DEFAULT");
		free(qp);
	}
}

static void
table_alter(struct ctx *x, const cJSON *a, const cJSON *b)
{
	const char *name = json_str(b, "name");
	int renamed = strcmp(json_str(a, "name"), name) != 0;
	struct change *c = change_new("table", name, NULL,
	    renamed ? OP_RENAME : OP_ALTER, a, b);
	char *q = sql_name(name);
	int part;

	if (renamed) {
		char *qa = sql_name(json_str(a, "name"));
		char *last = name_last(name), *lq = sql_ident(last);

		c->renamed_from = xstrdup(json_str(a, "name"));
		change_sql(c, PH_RENAME_TABLE, 0, "ALTER %s %s RENAME TO %s;",
		    sql_kind(a), qa, lq);
		free(qa);
		free(last);
		free(lq);
	}
	if (change_cmp(c, "kind", a, b, "kind"))
		change_sql(c, PH_ALTER_TABLE, 0, "-- %s cannot change from %s "
		    "to %s in place: recreate it", q, json_str(a, "kind"),
		    json_str(b, "kind"));
	if (change_cmp(c, "persistence", a, b, "persistence"))
		change_sql(c, PH_ALTER_TABLE, 0, "ALTER TABLE %s SET %s;", q,
		    json_str(b, "persistence") && strcmp(json_str(b,
		    "persistence"), "unlogged") == 0 ? "UNLOGGED" : "LOGGED");
	if (change_cmp(c, "partition_key", a, b, "partition_key"))
		change_sql(c, PH_ALTER_TABLE, 0, "-- the partition key of %s "
		    "cannot be altered: recreate the table", q);
	part = change_cmp(c, "partition_of", a, b, "partition_of");
	part |= change_cmp(c, "partition_bound", a, b, "partition_bound");
	if (part)
		partition_sql(c, q, a, b);
	if (change_cmp(c, "rls_enabled", a, b, "rls_enabled"))
		change_sql(c, PH_RLS, 0, "ALTER TABLE %s %s ROW LEVEL "
		    "SECURITY;", q, json_true(b, "rls_enabled") ? "ENABLE" :
		    "DISABLE");
	if (change_cmp(c, "rls_forced", a, b, "rls_forced"))
		change_sql(c, PH_RLS, 0, "ALTER TABLE %s %s ROW LEVEL "
		    "SECURITY;", q, json_true(b, "rls_forced") ? "FORCE" :
		    "NO FORCE");
	meta_alter(x, c, sql_kind(b), q, "table", name, a, b);
	if (renamed)
		changes_add(x->out, c);
	else
		changes_add_if(x->out, c);
	meta_grants(x, "TABLE", q, "table", name, name, a, b);
	diff_columns(x, a, b);
	diff_constraints(x, a, b);
	diff_indexes(x, a, b);
	diff_triggers(x, a, b);
	diff_policies(x, a, b);
	free(q);
}

static void
one_table(struct ctx *x, const cJSON *a, const cJSON *b, void *arg)
{
	(void)arg;
	if (a && b)
		table_alter(x, a, b);
	else if (a && strcmp(ctx_renamed(x, json_str(a, "name")),
	    json_str(a, "name")) != 0)
		table_alter(x, a, objidx_find(&x->to_tables,
		    ctx_renamed(x, json_str(a, "name"))));
	else if (a)
		table_drop(x, a);
	else if (!is_renamed_to(x, json_str(b, "name")))
		table_add(x, b);
}

void
diff_tables(struct ctx *x)
{
	find_renames(x);
	pair_by_name(x, json_arr(x->from, "tables"), json_arr(x->to,
	    "tables"), one_table, NULL);
}
