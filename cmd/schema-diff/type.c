/*
 * type.c: enums, domains and composite types.
 *
 * Enum labels can be added (ALTER TYPE ... ADD VALUE, placed before BEGIN
 * because a label added in a transaction cannot be used until it commits)
 * and renamed, never dropped.  Staging losing or reordering labels needs a
 * rebuild of the type: a new type, every column converted through text,
 * the old type dropped and the new one renamed.  The rollback of an added
 * label is that same rebuild, which fails as soon as one row holds the new
 * label; the rollback says so instead of emitting it.
 *
 * Domain CHECK constraints are listed by definition, without their names,
 * so one is dropped by looking its name up by definition at apply time.
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "json.h"
#include "sqlquote.h"
#include "xalloc.h"

static int
type_rank(const cJSON *t)
{
	const char *k = json_str(t, "type");

	if (k && strcmp(k, "enum") == 0)
		return 0;
	if (k && strcmp(k, "domain") == 0)
		return 1;
	return 2;
}

static const char *
sql_kind(const cJSON *t)
{
	const char *k = json_str(t, "type");

	return k && strcmp(k, "domain") == 0 ? "DOMAIN" : "TYPE";
}

static void
add_labels(struct buf *b, const cJSON *labels)
{
	const cJSON *l;
	int first = 1;

	cJSON_ArrayForEach(l, labels) {
		if (!cJSON_IsString(l))
			continue;
		if (!first)
			buf_addstr(b, ", ");
		sql_add_literal(b, l->valuestring);
		first = 0;
	}
}

static char *
create_sql(const char *q, const cJSON *t)
{
	struct buf b = BUF_INIT;
	const char *k = json_str(t, "type");
	const cJSON *it;

	if (k && strcmp(k, "enum") == 0) {
		buf_addf(&b, "CREATE TYPE %s AS ENUM (", q);
		add_labels(&b, json_arr(t, "labels"));
		buf_addstr(&b, ");");
	} else if (k && strcmp(k, "domain") == 0) {
		buf_addf(&b, "CREATE DOMAIN %s AS %s", q,
		    json_str(t, "base_type"));
		sql_add_collate(&b, json_str(t, "collation"));
		if (json_str(t, "default"))
			buf_addf(&b, " DEFAULT %s", json_str(t, "default"));
		if (json_true(t, "not_null"))
			buf_addstr(&b, " NOT NULL");
		cJSON_ArrayForEach(it, json_arr(t, "checks"))
			if (cJSON_IsString(it))
				buf_addf(&b, " %s", it->valuestring);
		buf_addch(&b, ';');
	} else if (k && strcmp(k, "composite") == 0) {
		int first = 1;

		buf_addf(&b, "CREATE TYPE %s AS (", q);
		cJSON_ArrayForEach(it, json_arr(t, "attributes")) {
			if (!first)
				buf_addstr(&b, ", ");
			sql_add_bare(&b, json_str(it, "name"));
			buf_addf(&b, " %s", json_str(it, "type"));
			first = 0;
		}
		buf_addstr(&b, ");");
	} else {
		buf_addf(&b, "-- type %s (%s) cannot be created from the "
		    "snapshot", q, k ? k : "unknown");
	}
	return buf_detach(&b, NULL);
}

/* Is `a` a subsequence of `b`, in order? */
static int
labels_grow(const cJSON *a, const cJSON *b)
{
	const cJSON *it;
	int last = -1;

	cJSON_ArrayForEach(it, a) {
		int i = cJSON_IsString(it) ? json_str_index(b, it->valuestring) :
		    -1;

		if (i <= last)
			return 0;
		last = i;
	}
	return 1;
}

/* Same length, the differing positions all hold labels new to `b`. */
static int
labels_renamed(const cJSON *a, const cJSON *b)
{
	int i, n = cJSON_GetArraySize(a);

	if (n != cJSON_GetArraySize(b))
		return 0;
	for (i = 0; i < n; i++) {
		const char *la = cJSON_GetArrayItem(a, i)->valuestring;
		const char *lb = cJSON_GetArrayItem(b, i)->valuestring;

		if (la == NULL || lb == NULL)
			return 0;
		if (strcmp(la, lb) != 0 && (json_str_index(a, lb) >= 0 ||
		    json_str_index(b, la) >= 0))
			return 0;
	}
	return 1;
}

static void
enum_add_values(struct change *c, const char *q, const cJSON *a,
    const cJSON *b)
{
	int i, n = cJSON_GetArraySize(b);

	for (i = 0; i < n; i++) {
		const char *l = cJSON_GetArrayItem(b, i)->valuestring;
		struct buf s = BUF_INIT;

		if (json_str_index(a, l) >= 0)
			continue;
		buf_addf(&s, "ALTER TYPE %s ADD VALUE ", q);
		sql_add_literal(&s, l);
		if (i > 0) {
			buf_addstr(&s, " AFTER ");
			sql_add_literal(&s,
			    cJSON_GetArrayItem(b, i - 1)->valuestring);
		} else if (cJSON_GetArraySize(a) > 0) {
			buf_addstr(&s, " BEFORE ");
			sql_add_literal(&s,
			    cJSON_GetArrayItem(a, 0)->valuestring);
		}
		buf_addch(&s, ';');
		change_sql_take(c, PH_PRE_ENUM, 0, buf_detach(&s, NULL));
	}
	c->restores_data = 0;
}

/* Does column type `ct` use the type named `q` (itself or an array)? */
static int
uses_type(const char *ct, const char *q)
{
	size_t n = strlen(q);

	return ct && strncmp(ct, q, n) == 0 &&
	    (ct[n] == '\0' || strcmp(ct + n, "[]") == 0);
}

/*
 * Rebuild an enum whose labels were removed or reordered: every column of
 * the type in the current state goes through text to the new type.
 */
static void
enum_rebuild(struct ctx *x, struct change *c, const char *name,
    const char *q, const cJSON *b)
{
	char *last = name_last(name), *schema = name_schema(name);
	char *tmpname, *tq, *lq;
	const cJSON *t, *col;
	struct buf s = BUF_INIT;

	tmpname = xmalloc(strlen(last) + 8);
	strcpy(tmpname, last);
	strcat(tmpname, "__new");
	tq = sql_qualified(schema, tmpname);
	lq = sql_ident(last);
	buf_addf(&s, "CREATE TYPE %s AS ENUM (", tq);
	add_labels(&s, json_arr(b, "labels"));
	buf_addstr(&s, ");");
	change_sql_take(c, PH_TYPE, 0, buf_detach(&s, NULL));
	cJSON_ArrayForEach(t, json_arr(x->from, "tables")) {
		const char *tn = json_str(t, "name");
		const cJSON *tt = objidx_find(&x->to_tables,
		    ctx_renamed(x, tn));

		cJSON_ArrayForEach(col, json_arr(t, "columns")) {
			const char *ct = json_str(col, "type");
			const char *cn = json_str(col, "name");
			const cJSON *tc;
			char *tqn, *cq;
			int arr;

			if (!uses_type(ct, name) || cn == NULL)
				continue;
			arr = ct[strlen(name)] == '[';
			tqn = sql_name(ctx_renamed(x, tn));
			cq = sql_bare(cn);
			if (json_str(col, "default"))
				change_sql(c, PH_TYPE, 0, "ALTER TABLE %s "
				    "ALTER COLUMN %s DROP DEFAULT;", tqn, cq);
			change_sql(c, PH_TYPE, 0, "ALTER TABLE %s ALTER COLUMN "
			    "%s TYPE %s%s USING %s::text%s::%s%s;", tqn, cq,
			    tq, arr ? "[]" : "", cq, arr ? "[]" : "", tq,
			    arr ? "[]" : "");
			tc = find_named(json_arr(tt, "columns"), cn);
			if (json_str(col, "default") && tc &&
			    json_str(tc, "default") &&
			    json_equal(member(tc, "default"),
			    member(col, "default")))
				change_sql(c, PH_COLUMN, 0, "ALTER TABLE %s "
				    "ALTER COLUMN %s SET DEFAULT %s;", tqn, cq,
				    json_str(tc, "default"));
			free(tqn);
			free(cq);
		}
	}
	change_sql(c, PH_TYPE, 0, "DROP TYPE %s;", q);
	change_sql(c, PH_TYPE, 0, "ALTER TYPE %s RENAME TO %s;", tq, lq);
	free(tmpname);
	free(tq);
	free(lq);
	free(last);
	free(schema);
}

static void
enum_alter(struct ctx *x, struct change *c, const char *name, const char *q,
    const cJSON *a, const cJSON *b)
{
	const cJSON *la = json_arr(a, "labels"), *lb = json_arr(b, "labels");
	int i, n;

	if (!change_cmp(c, "labels", a, b, "labels"))
		return;
	if (labels_grow(la, lb)) {
		enum_add_values(c, q, la, lb);
	} else if (labels_renamed(la, lb)) {
		n = cJSON_GetArraySize(la);
		for (i = 0; i < n; i++) {
			const char *oa = cJSON_GetArrayItem(la, i)->valuestring;
			const char *ob = cJSON_GetArrayItem(lb, i)->valuestring;
			struct buf s = BUF_INIT;

			if (strcmp(oa, ob) == 0)
				continue;
			buf_addf(&s, "ALTER TYPE %s RENAME VALUE ", q);
			sql_add_literal(&s, oa);
			buf_addstr(&s, " TO ");
			sql_add_literal(&s, ob);
			buf_addch(&s, ';');
			change_sql_take(c, PH_TYPE, 0, buf_detach(&s, NULL));
		}
	} else if (x->reverse && labels_grow(lb, la)) {
		change_sql(c, PH_TYPE, 0, "-- enum labels cannot be dropped: "
		    "%s keeps the labels added to it; rebuild the type by "
		    "hand once no row holds them", q);
	} else {
		enum_rebuild(x, c, name, q, b);
		c->restores_data = 0;
	}
}

static char *
drop_check_sql(const char *q, const char *def)
{
	struct buf s = BUF_INIT;
	char *lit = sql_literal(q), *dlit = sql_literal(def);

	buf_addf(&s, "DO $drift$DECLARE c name; BEGIN SELECT conname INTO "
	    "STRICT c FROM pg_catalog.pg_constraint WHERE contypid = "
	    "%s::pg_catalog.regtype AND pg_catalog.pg_get_constraintdef(oid)"
	    " = %s; EXECUTE pg_catalog.format('ALTER DOMAIN %%s DROP "
	    "CONSTRAINT %%I', %s, c); END$drift$;", lit, dlit, lit);
	free(lit);
	free(dlit);
	return buf_detach(&s, NULL);
}

static void
domain_alter(struct change *c, const char *q, const cJSON *a,
    const cJSON *b)
{
	const cJSON *it;

	if (change_cmp(c, "base_type", a, b, "base_type"))
		change_sql(c, PH_TYPE, 0, "-- the base type of domain %s "
		    "cannot be altered: recreate it and the columns using it",
		    q);
	if (change_cmp(c, "collation", a, b, "collation"))
		change_sql(c, PH_TYPE, 0, "-- the collation of domain %s "
		    "cannot be altered: recreate it and the columns using it",
		    q);
	if (change_cmp(c, "default", a, b, "default")) {
		if (json_str(b, "default"))
			change_sql(c, PH_TYPE, 0, "ALTER DOMAIN %s SET DEFAULT "
			    "%s;", q, json_str(b, "default"));
		else
			change_sql(c, PH_TYPE, 0, "ALTER DOMAIN %s DROP "
			    "DEFAULT;", q);
	}
	if (change_cmp(c, "not_null", a, b, "not_null"))
		change_sql(c, PH_TYPE, 0, "ALTER DOMAIN %s %s NOT NULL;", q,
		    json_true(b, "not_null") ? "SET" : "DROP");
	if (change_cmp(c, "checks", a, b, "checks")) {
		cJSON_ArrayForEach(it, json_arr(a, "checks"))
			if (cJSON_IsString(it) && json_str_index(json_arr(b,
			    "checks"), it->valuestring) < 0)
				change_sql_take(c, PH_TYPE, 0,
				    drop_check_sql(q, it->valuestring));
		cJSON_ArrayForEach(it, json_arr(b, "checks"))
			if (cJSON_IsString(it) && json_str_index(json_arr(a,
			    "checks"), it->valuestring) < 0)
				change_sql(c, PH_TYPE, 0, "ALTER DOMAIN %s ADD "
				    "%s;", q, it->valuestring);
	}
}

static void
composite_alter(struct change *c, const char *q, const cJSON *a,
    const cJSON *b)
{
	const cJSON *aa = json_arr(a, "attributes");
	const cJSON *ab = json_arr(b, "attributes");
	const cJSON *it;

	if (!change_cmp(c, "attributes", a, b, "attributes"))
		return;
	cJSON_ArrayForEach(it, aa) {
		const cJSON *o = find_named(ab, json_str(it, "name"));
		char *n = sql_bare(json_str(it, "name"));

		if (o == NULL)
			change_sql(c, PH_TYPE, 0, "ALTER TYPE %s DROP "
			    "ATTRIBUTE %s;", q, n);
		else if (!json_equal(member(it, "type"), member(o, "type")))
			change_sql(c, PH_TYPE, 0, "ALTER TYPE %s ALTER "
			    "ATTRIBUTE %s TYPE %s;", q, n, json_str(o, "type"));
		free(n);
	}
	cJSON_ArrayForEach(it, ab) {
		char *n;

		if (find_named(aa, json_str(it, "name")))
			continue;
		n = sql_bare(json_str(it, "name"));
		change_sql(c, PH_TYPE, 0, "ALTER TYPE %s ADD ATTRIBUTE %s %s;",
		    q, n, json_str(it, "type"));
		free(n);
	}
}

static void
one_type(struct ctx *x, const cJSON *a, const cJSON *b, void *arg)
{
	const char *name = json_str(a ? a : b, "name");
	char *q = sql_name(name);
	struct change *c;

	(void)arg;
	if (a && b && !json_equal(member(a, "type"), member(b, "type"))) {
		one_type(x, a, NULL, arg);
		one_type(x, NULL, b, arg);
	} else if (a == NULL) {
		c = change_new("type", name, NULL, OP_ADD, NULL, b);
		change_sql_take(c, PH_TYPE, type_rank(b), create_sql(q, b));
		meta_create(c, sql_kind(b), q, b);
		changes_add(x->out, c);
	} else if (b == NULL) {
		c = change_new("type", name, NULL, OP_DROP, a, NULL);
		change_sql(c, PH_DROP_TYPE, 2 - type_rank(a), "DROP %s %s;",
		    sql_kind(a), q);
		changes_add(x->out, c);
	} else {
		const char *k = json_str(a, "type");

		c = change_new("type", name, NULL, OP_ALTER, a, b);
		c->rank = type_rank(a);
		if (k && strcmp(k, "enum") == 0)
			enum_alter(x, c, name, q, a, b);
		else if (k && strcmp(k, "domain") == 0)
			domain_alter(c, q, a, b);
		else if (k && strcmp(k, "composite") == 0)
			composite_alter(c, q, a, b);
		meta_alter(x, c, sql_kind(b), q, "type", name, a, b);
		meta_grants(x, "TYPE", q, "type", name, NULL, a, b);
		changes_add_if(x->out, c);
	}
	free(q);
}

void
diff_types(struct ctx *x)
{
	pair_by_name(x, json_arr(x->from, "types"), json_arr(x->to, "types"),
	    one_type, NULL);
}
