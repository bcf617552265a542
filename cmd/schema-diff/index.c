/*
 * index.c: indexes that do not back a constraint (those belong to the
 * constraint).
 *
 * New indexes on existing tables are built CONCURRENTLY after COMMIT and
 * dropped ones go CONCURRENTLY before BEGIN, so neither blocks writes;
 * partitioned tables refuse CONCURRENTLY, so theirs stay in the
 * transaction.  An index whose definition changes is dropped and rebuilt.
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "json.h"
#include "sqlquote.h"
#include "xalloc.h"

/* Insert CONCURRENTLY after CREATE [UNIQUE] INDEX. */
static char *
concurrent_def(const char *def)
{
	static const char *const heads[] = { "CREATE UNIQUE INDEX ",
	    "CREATE INDEX " };
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < 2; i++) {
		size_t n = strlen(heads[i]);

		if (strncmp(def, heads[i], n) == 0) {
			buf_add(&b, def, n);
			buf_addf(&b, "CONCURRENTLY %s", def + n);
			return buf_detach(&b, NULL);
		}
	}
	return xstrdup(def);
}

void
index_create_sql(struct change *c, const cJSON *idx, int mode)
{
	const char *def = json_str(idx, "definition");
	char *q = sql_name(json_str(idx, "name"));

	if (def == NULL) {
		change_sql(c, PH_CREATE_INDEX, 0, "-- index %s has no "
		    "definition in the snapshot", q);
	} else if (mode == 1) {
		char *cd = concurrent_def(def);

		change_sql(c, PH_POST_INDEX, 0, "%s;", cd);
		free(cd);
	} else {
		change_sql(c, mode == 0 ? PH_CREATE_TABLE : mode == 3 ?
		    PH_CREATE_VIEW : PH_CREATE_INDEX, mode == 3 ? 999 : 2,
		    "%s;", def);
	}
	if (json_str(idx, "comment"))
		change_sql_take(c, mode == 1 ? PH_POST_INDEX : PH_COMMENT, 0,
		    sql_comment("INDEX", q, json_str(idx, "comment")));
	free(q);
}

static int
is_partitioned(const cJSON *t)
{
	const char *k = json_str(t, "kind");

	return k && strcmp(k, "partitioned_table") == 0;
}

static void
drop_sql(struct change *c, const cJSON *t, const cJSON *idx)
{
	char *q = sql_name(json_str(idx, "name"));

	if (is_partitioned(t))
		change_sql(c, PH_DROP_INDEX, 0, "DROP INDEX %s;", q);
	else
		change_sql(c, PH_PRE_DROP_INDEX, 0, "DROP INDEX CONCURRENTLY "
		    "%s;", q);
	free(q);
}

static void
one_index(struct ctx *x, const cJSON *tb, const cJSON *a, const cJSON *b)
{
	const char *table = json_str(tb, "name");
	const char *name = json_str(a ? a : b, "name");
	int mode = is_partitioned(tb) ? 2 : 1;
	struct change *c;

	if (a == NULL) {
		c = change_new("index", name, table, OP_ADD, NULL, b);
		index_create_sql(c, b, mode);
		changes_add(x->out, c);
	} else if (b == NULL) {
		c = change_new("index", name, table, OP_DROP, a, NULL);
		drop_sql(c, tb, a);
		changes_add(x->out, c);
	} else {
		const char *da = json_str(a, "definition");
		const char *db = json_str(b, "definition");
		char *na = da ? norm_def(x, table, da) : NULL;
		char *q = sql_name(name);

		c = change_new("index", name, table, OP_ALTER, a, b);
		if ((na == NULL) != (db == NULL) || (na && strcmp(na, db))) {
			cJSON *ja = cJSON_CreateString(da ? da : "");
			cJSON *jb = cJSON_CreateString(db ? db : "");

			change_attr(c, "definition", ja, jb);
			cJSON_Delete(ja);
			cJSON_Delete(jb);
			change_cmp(c, "unique", a, b, "unique");
			change_cmp(c, "predicate", a, b, "predicate");
			drop_sql(c, tb, a);
			index_create_sql(c, b, mode);
			if (!json_equal(member(a, "comment"),
			    member(b, "comment")))
				change_cmp(c, "comment", a, b, "comment");
		} else {
			meta_comment(x, c, "INDEX", q, "index", name, a, b);
		}
		changes_add_if(x->out, c);
		free(na);
		free(q);
	}
}

static int
backs_constraint(const cJSON *idx)
{
	return json_str(idx, "constraint") != NULL;
}

void
diff_indexes(struct ctx *x, const cJSON *ta, const cJSON *tb)
{
	const cJSON *ia = json_arr(ta, "indexes");
	const cJSON *ib = json_arr(tb, "indexes");
	const cJSON *it, *o;

	cJSON_ArrayForEach(it, ia) {
		if (backs_constraint(it))
			continue;
		o = find_named(ib, json_str(it, "name"));
		one_index(x, tb, it, o && !backs_constraint(o) ? o : NULL);
	}
	cJSON_ArrayForEach(it, ib) {
		if (backs_constraint(it))
			continue;
		o = find_named(ia, json_str(it, "name"));
		if (o == NULL || backs_constraint(o))
			one_index(x, tb, NULL, it);
	}
}
