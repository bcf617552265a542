/*
 * evidence.c: what prod says about a changed object: its table's rows and
 * bytes, an index's scans, the views, foreign keys, columns and functions
 * that depend on it, and the pg_stat_statements queries that name it.
 *
 * A query names an object when the object's name appears as a whole word,
 * unquoted (case-insensitively, as PostgreSQL folds it) or in its quoted
 * form; a name that needs quoting is only looked for quoted.  A column is
 * looked for only in queries that also name its table, or every query
 * touching any "id" column would be evidence.  At most MAX_QUERIES are
 * kept, the most called first.
 */
#define _DEFAULT_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diff.h"
#include "json.h"
#include "sqlquote.h"
#include "xalloc.h"

#define MAX_QUERIES 10

static int
word_char(int ch)
{
	return isalnum((unsigned char)ch) || ch == '_' || ch == '$' ||
	    (unsigned char)ch >= 0x80;
}

static int
has_word(const char *text, const char *w, int fold)
{
	size_t n = strlen(w);
	const char *p;

	if (n == 0)
		return 0;
	for (p = text; *p; p++) {
		if ((fold ? strncasecmp(p, w, n) : strncmp(p, w, n)) != 0)
			continue;
		if ((p == text || !word_char(p[-1]) || !word_char(w[0])) &&
		    (!word_char(p[n]) || !word_char(w[n - 1])))
			return 1;
	}
	return 0;
}

/* Does `text` name the bare object name `name`? */
static int
mentions(const char *text, const char *name)
{
	char *q = sql_ident(name);
	struct buf quoted = BUF_INIT;
	int hit;

	buf_addf(&quoted, "\"%s\"", name);
	hit = has_word(text, quoted.data, 0) ||
	    (!sql_needs_quote(name) && has_word(text, name, 1)) ||
	    has_word(text, q, 0);
	buf_release(&quoted);
	free(q);
	return hit;
}

struct target {
	char	*kind;		/* object kind, with grant/comment unwrapped */
	char	*name;		/* qualified name in prod */
	char	*table;		/* prod table, or NULL */
};

static void
target_of(const struct change *c, struct target *t)
{
	const char *obj = c->object;

	t->kind = xstrdup(c->kind);
	t->table = c->table ? xstrdup(c->table) : NULL;
	if (strcmp(c->kind, "grant") == 0 || strcmp(c->kind, "comment") == 0) {
		const char *colon = strchr(obj, ':');
		const char *end;

		if (colon) {
			free(t->kind);
			t->kind = xstrndup(obj, (size_t)(colon - obj));
			obj = colon + 1;
			end = strcmp(c->kind, "grant") == 0 ?
			    strrchr(obj, ':') : NULL;
			t->name = end ? xstrndup(obj, (size_t)(end - obj)) :
			    xstrdup(obj);
			return;
		}
	}
	if (c->op == OP_RENAME && c->renamed_from) {
		t->name = xstrdup(c->renamed_from);
		if (strcmp(c->kind, "table") == 0) {
			free(t->table);
			t->table = xstrdup(c->renamed_from);
		}
	} else {
		t->name = xstrdup(obj);
	}
	if (t->table == NULL && strcmp(t->kind, "table") == 0)
		t->table = xstrdup(t->name);
}

static void
target_release(struct target *t)
{
	free(t->kind);
	free(t->name);
	free(t->table);
}

static int
dep_matches(const char *dep, const char *obj)
{
	size_t n = strlen(obj);

	return strncmp(dep, obj, n) == 0 && (dep[n] == '\0' || dep[n] == '.');
}

static int
has_str(const cJSON *arr, const char *s)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, arr) {
		char *u;
		int hit;

		if (!cJSON_IsString(it))
			continue;
		u = unq(it->valuestring);
		hit = strcmp(u, s) == 0;
		free(u);
		if (hit)
			return 1;
	}
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static cJSON *
dependents(const cJSON *prod, const struct target *t)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *v, *d, *tb, *it;
	char **list = NULL, *last = name_last(t->name);
	char *tlast = t->table ? name_last(t->table) : NULL;
	size_t n = 0, i;
	int is_col = strcmp(t->kind, "column") == 0;
	int whole = strcmp(t->kind, "table") == 0 ||
	    strcmp(t->kind, "view") == 0 ||
	    strcmp(t->kind, "materialized_view") == 0;
	struct buf b = BUF_INIT;

#define PUSH(...) do {							\
	buf_reset(&b);							\
	buf_addf(&b, __VA_ARGS__);					\
	list = xrealloc(list, (n + 1) * sizeof(*list));			\
	list[n++] = xstrdup(b.data);					\
} while (0)

	cJSON_ArrayForEach(v, json_arr(prod, "views")) {
		const char *vn = json_str(v, "name");

		if (vn == NULL || strcmp(vn, t->name) == 0)
			continue;
		cJSON_ArrayForEach(d, json_arr(v, "depends_on")) {
			if (!cJSON_IsString(d))
				continue;
			if (whole ? dep_matches(d->valuestring, t->name) :
			    strcmp(d->valuestring, t->name) == 0) {
				PUSH("%s:%s", json_true(v, "materialized") ?
				    "materialized_view" : "view", vn);
				break;
			}
		}
	}
	cJSON_ArrayForEach(tb, json_arr(prod, "tables")) {
		cJSON_ArrayForEach(it, json_arr(tb, "constraints")) {
			const cJSON *ref = json_obj(it, "references");
			const char *rt = json_str(ref, "table");

			if (rt == NULL || json_str(tb, "name") == NULL)
				continue;
			if ((strcmp(t->kind, "table") == 0 &&
			    strcmp(rt, t->name) == 0 &&
			    strcmp(json_str(tb, "name"), t->name) != 0) ||
			    (is_col && t->table && strcmp(rt, t->table) == 0 &&
			    has_str(json_arr(ref, "columns"), last))) {
				char *cn = name_join(json_str(tb, "name"),
				    json_str(it, "name"));

				PUSH("constraint:%s", cn);
				free(cn);
			}
		}
		if (strcmp(t->kind, "type") == 0) {
			cJSON_ArrayForEach(it, json_arr(tb, "columns")) {
				const char *ct = json_str(it, "type");
				size_t k = strlen(t->name);

				if (ct && strncmp(ct, t->name, k) == 0 &&
				    (ct[k] == '\0' || ct[k] == '[')) {
					char *cn = name_join(json_str(tb,
					    "name"), json_str(it, "name"));

					PUSH("column:%s", cn);
					free(cn);
				}
			}
		}
	}
	if (whole || is_col) {
		cJSON_ArrayForEach(v, json_arr(prod, "functions")) {
			const char *def = json_str(v, "definition");

			if (def == NULL)
				continue;
			if (is_col ? (tlast && mentions(def, tlast) &&
			    mentions(def, last)) : mentions(def, last))
				PUSH("function:%s", json_str(v, "name"));
		}
	}
#undef PUSH
	if (n > 1)
		qsort(list, n, sizeof(*list), cmp_str);
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(list[i], list[i - 1]) != 0)
			json_push_str(out, list[i]);
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	free(last);
	free(tlast);
	buf_release(&b);
	return out;
}

static int
cmp_queries(const void *pa, const void *pb)
{
	const cJSON *a = *(const cJSON *const *)pa;
	const cJSON *b = *(const cJSON *const *)pb;
	double ca = json_num(a, "calls", 0), cb = json_num(b, "calls", 0);

	if (ca != cb)
		return ca > cb ? -1 : 1;
	return strcmp(json_str(a, "query"), json_str(b, "query"));
}

static cJSON *
queries(const cJSON *prod, const struct target *t)
{
	const cJSON *qs = json_arr(json_obj(prod, "query_stats"), "queries");
	const cJSON *q, **hits;
	cJSON *out = cJSON_CreateArray();
	char *last, *tlast;
	size_t n = 0, i;
	int is_col = strcmp(t->kind, "column") == 0;

	if (strcmp(t->kind, "schema") == 0 ||
	    strcmp(t->kind, "extension") == 0 || qs == NULL)
		return out;
	last = name_last(t->name);
	/* a function's name ends at its argument list */
	if (strchr(last, '('))
		*strchr(last, '(') = '\0';
	tlast = t->table ? name_last(t->table) : NULL;
	hits = xcalloc((size_t)cJSON_GetArraySize(qs) + 1, sizeof(*hits));
	cJSON_ArrayForEach(q, qs) {
		const char *text = json_str(q, "query");

		if (text == NULL || !mentions(text, last))
			continue;
		if (is_col && (tlast == NULL || !mentions(text, tlast)))
			continue;
		hits[n++] = q;
	}
	qsort(hits, n, sizeof(*hits), cmp_queries);
	for (i = 0; i < n && i < MAX_QUERIES; i++) {
		cJSON *o = cJSON_CreateObject();

		json_add_str(o, "query", json_str(hits[i], "query"));
		cJSON_AddItemToObject(o, "calls", json_int64_item(
		    json_int64(member(hits[i], "calls"))));
		cJSON_AddItemToArray(out, o);
	}
	free(hits);
	free(last);
	free(tlast);
	return out;
}

static const cJSON *
find_table(const cJSON *prod, const char *name)
{
	return name ? find_named(json_arr(prod, "tables"), name) : NULL;
}

static void
add_stat(cJSON *ev, const char *key, const cJSON *obj, const char *name)
{
	const cJSON *v = member(obj, name);

	if (v && cJSON_IsNumber(v))
		cJSON_AddItemToObject(ev, key, json_int64_item(json_int64(v)));
	else
		json_add_null(ev, key);
}

void
evidence_add(struct change *c, const cJSON *prod)
{
	struct target t;
	cJSON *ev = cJSON_CreateObject();
	const cJSON *tb, *stats = NULL, *ix = NULL;

	target_of(c, &t);
	tb = find_table(prod, t.table);
	if (tb)
		stats = json_obj(tb, "stats");
	add_stat(ev, "table_rows", stats, "rows");
	add_stat(ev, "table_bytes", stats, "total_bytes");
	if (strcmp(t.kind, "index") == 0)
		ix = find_named(json_arr(prod, "index_stats"), t.name);
	add_stat(ev, "index_scans", ix, "idx_scan");
	cJSON_AddItemToObject(ev, "dependents", dependents(prod, &t));
	cJSON_AddItemToObject(ev, "queries", queries(prod, &t));
	c->evidence = ev;
	target_release(&t);
}
