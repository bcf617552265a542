/*
 * change.c: one difference between two snapshots, its attributes and the
 * statements that apply it, and its form in the diff document.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "json.h"
#include "xalloc.h"

static const char *const op_names[] = { "add", "drop", "alter", "rename" };

const char *
op_name(enum op op)
{
	return op_names[op];
}

struct change *
change_new(const char *kind, const char *object, const char *table,
    enum op op, const cJSON *before, const cJSON *after)
{
	struct change *c = xcalloc(1, sizeof(*c));

	c->kind = xstrdup(kind);
	c->object = xstrdup(object);
	c->table = table ? xstrdup(table) : NULL;
	c->op = op;
	c->before = before;
	c->after = after;
	c->attrs = cJSON_CreateArray();
	c->restores_data = 1;
	return c;
}

void
change_free(struct change *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nsql; i++)
		free(c->sql[i].sql);
	free(c->sql);
	free(c->kind);
	free(c->object);
	free(c->table);
	free(c->renamed_from);
	cJSON_Delete(c->attrs);
	cJSON_Delete(c->evidence);
	free(c);
}

char *
change_id(const struct change *c)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "%s:%s:%s", c->kind, c->object, op_name(c->op));
	return buf_detach(&b, NULL);
}

/*
 * Statements stay sorted by phase; within a phase they keep the order in
 * which the kind's code wrote them, which is the order they must run in.
 */
void
change_sql_take(struct change *c, int phase, int rank, char *sql)
{
	size_t i;

	if (c->nsql == c->asql) {
		c->asql = c->asql ? 2 * c->asql : 4;
		c->sql = xrealloc(c->sql, c->asql * sizeof(*c->sql));
	}
	i = c->nsql;
	while (i > 0 && c->sql[i - 1].phase > phase) {
		c->sql[i] = c->sql[i - 1];
		i--;
	}
	c->sql[i].sql = sql;
	c->sql[i].phase = phase;
	c->sql[i].rank = rank;
	c->nsql++;
}

void
change_sql(struct change *c, int phase, int rank, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	change_sql_take(c, phase, rank, buf_detach(&b, NULL));
}

static cJSON *
dup_or_null(const cJSON *v)
{
	return v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull();
}

void
change_attr(struct change *c, const char *name, const cJSON *before,
    const cJSON *after)
{
	cJSON *a = cJSON_CreateObject();

	cJSON_AddStringToObject(a, "name", name);
	cJSON_AddItemToObject(a, "before", dup_or_null(before));
	cJSON_AddItemToObject(a, "after", dup_or_null(after));
	cJSON_AddItemToArray(c->attrs, a);
}

int
change_cmp(struct change *c, const char *name, const cJSON *a,
    const cJSON *b, const char *mname)
{
	const cJSON *va = member(a, mname), *vb = member(b, mname);

	if (json_equal(va, vb))
		return 0;
	change_attr(c, name, va, vb);
	return 1;
}

int
change_has_attr(const struct change *c, const char *name)
{
	const cJSON *a;

	cJSON_ArrayForEach(a, c->attrs) {
		const char *n = json_str(a, "name");

		if (n && strcmp(n, name) == 0)
			return 1;
	}
	return 0;
}

void
changes_add(struct changes *l, struct change *c)
{
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? 2 * l->alloc : 16;
		l->v = xrealloc(l->v, l->alloc * sizeof(*l->v));
	}
	l->v[l->n++] = c;
}

void
changes_add_if(struct changes *l, struct change *c)
{
	if (cJSON_GetArraySize(c->attrs) > 0)
		changes_add(l, c);
	else
		change_free(c);
}

void
changes_release(struct changes *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		change_free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->alloc = 0;
}

int
phase_first(const struct change *c)
{
	return c->nsql ? c->sql[0].phase : PH_COMMENT;
}

static cJSON *
sql_array(const struct change *c)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; c && i < c->nsql; i++)
		json_push_str(arr, c->sql[i].sql);
	return arr;
}

cJSON *
change_json(struct change *c)
{
	cJSON *o = cJSON_CreateObject();
	char *id = change_id(c);

	json_add_str(o, "id", id);
	free(id);
	json_add_str(o, "object_kind", c->kind);
	json_add_str(o, "object", c->object);
	json_add_str(o, "table", c->table);
	json_add_str(o, "op", op_name(c->op));
	json_add_str(o, "renamed_from", c->renamed_from);
	cJSON_AddItemToObject(o, "before", dup_or_null(c->before));
	cJSON_AddItemToObject(o, "after", dup_or_null(c->after));
	cJSON_AddItemToObject(o, "attributes", c->attrs);
	c->attrs = NULL;
	cJSON_AddItemToObject(o, "forward_sql", sql_array(c));
	cJSON_AddItemToObject(o, "rollback_sql", sql_array(c->reverse));
	json_add_bool(o, "rollback_restores_data", c->restores_data);
	if (c->evidence) {
		cJSON_AddItemToObject(o, "evidence", c->evidence);
		c->evidence = NULL;
	} else {
		json_add_null(o, "evidence");
	}
	return o;
}
