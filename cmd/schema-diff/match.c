/*
 * match.c: finding the same object on both sides, and the small name
 * helpers every kind uses.  Objects are matched by their qualified "name";
 * arrays are sorted copies so that matching is O(n log n) and the order of
 * the snapshot arrays never matters.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "json.h"
#include "sqlquote.h"
#include "xalloc.h"

static const char *
name_of(const cJSON *o)
{
	const char *n = json_str(o, "name");

	return n ? n : "";
}

static int
cmp_items(const void *a, const void *b)
{
	return strcmp(name_of(*(const cJSON *const *)a),
	    name_of(*(const cJSON *const *)b));
}

void
objidx_build(struct objidx *x, const cJSON *arr)
{
	const cJSON *it;
	size_t n = 0;

	x->n = cJSON_IsArray(arr) ? (size_t)cJSON_GetArraySize(arr) : 0;
	x->v = xcalloc(x->n + 1, sizeof(*x->v));
	if (x->n == 0)
		return;
	cJSON_ArrayForEach(it, arr)
		x->v[n++] = it;
	qsort(x->v, x->n, sizeof(*x->v), cmp_items);
}

void
objidx_release(struct objidx *x)
{
	free(x->v);
	x->v = NULL;
	x->n = 0;
}

const cJSON *
objidx_find(const struct objidx *x, const char *name)
{
	size_t lo = 0, hi = x->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int r = strcmp(name, name_of(x->v[mid]));

		if (r == 0)
			return x->v[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const cJSON *
find_named(const cJSON *arr, const char *name)
{
	const cJSON *it;

	if (!cJSON_IsArray(arr))
		return NULL;
	cJSON_ArrayForEach(it, arr)
		if (strcmp(name_of(it), name) == 0)
			return it;
	return NULL;
}

const cJSON *
find_bare(const cJSON *arr, const char *bare)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, arr) {
		char *u = unq(name_of(it));
		int hit = strcmp(u, bare) == 0;

		free(u);
		if (hit)
			return it;
	}
	return NULL;
}

void
pair_by_name(struct ctx *x, const cJSON *a, const cJSON *b,
    void (*fn)(struct ctx *, const cJSON *, const cJSON *, void *),
    void *arg)
{
	struct objidx ia, ib;
	size_t i = 0, j = 0;

	objidx_build(&ia, a);
	objidx_build(&ib, b);
	while (i < ia.n || j < ib.n) {
		int r;

		if (i == ia.n)
			r = 1;
		else if (j == ib.n)
			r = -1;
		else
			r = strcmp(name_of(ia.v[i]), name_of(ib.v[j]));
		if (r == 0)
			fn(x, ia.v[i++], ib.v[j++], arg);
		else if (r < 0)
			fn(x, ia.v[i++], NULL, arg);
		else
			fn(x, NULL, ib.v[j++], arg);
	}
	objidx_release(&ia);
	objidx_release(&ib);
}

const cJSON *
member(const cJSON *obj, const char *name)
{
	const cJSON *v;

	if (obj == NULL)
		return NULL;
	v = cJSON_GetObjectItemCaseSensitive(obj, name);
	return cJSON_IsNull(v) ? NULL : v;
}

/* Absent and null are equal; numbers compare by value. */
int
json_equal(const cJSON *a, const cJSON *b)
{
	if (cJSON_IsNull(a))
		a = NULL;
	if (cJSON_IsNull(b))
		b = NULL;
	if (a == NULL || b == NULL)
		return a == b;
	if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
		return json_int64(a) == json_int64(b) &&
		    a->valuedouble == b->valuedouble;
	return cJSON_Compare(a, b, 1);
}

char *
unq(const char *name)
{
	char *part;

	if (name[0] != '"' || sql_split_name(name, &part, 1) != 1)
		return xstrdup(name);
	return part;
}

void
sql_add_bare(struct buf *b, const char *name)
{
	char *u = unq(name);

	sql_add_ident(b, u);
	free(u);
}

char *
sql_bare(const char *name)
{
	struct buf b = BUF_INIT;

	sql_add_bare(&b, name);
	return buf_detach(&b, NULL);
}

char *
name_join(const char *qname, const char *bare)
{
	struct buf b = BUF_INIT;

	buf_addstr(&b, qname);
	buf_addch(&b, '.');
	sql_add_bare(&b, bare);
	return buf_detach(&b, NULL);
}

char *
sql_name(const char *qname)
{
	char *parts[3];
	struct buf b = BUF_INIT;
	int i, n = sql_split_name(qname, parts, 3);

	for (i = 0; i < n; i++) {
		if (i)
			buf_addch(&b, '.');
		sql_add_ident(&b, parts[i]);
		free(parts[i]);
	}
	return buf_detach(&b, NULL);
}

/* The first (last == 0) or last part of a name, unquoted; "" for none. */
static char *
name_part(const char *qname, int last)
{
	char *parts[3];
	int i, n = sql_split_name(qname, parts, 3), keep = last ? n - 1 : 0;

	if (n == 0)
		return xstrdup("");
	for (i = 0; i < n; i++)
		if (i != keep)
			free(parts[i]);
	return parts[keep];
}

char *
name_schema(const char *qname)
{
	return name_part(qname, 0);
}

char *
name_last(const char *qname)
{
	return name_part(qname, 1);
}

static int
is_word(int ch)
{
	return isalnum((unsigned char)ch) || ch == '_' || ch == '$' ||
	    (unsigned char)ch >= 0x80;
}

char *
subst_word(const char *s, const char *old, const char *new)
{
	struct buf b = BUF_INIT;
	size_t n = strlen(old);
	const char *p = s;

	if (n == 0)
		return xstrdup(s);
	while (*p) {
		if (strncmp(p, old, n) == 0 &&
		    (p == s || !is_word(p[-1]) || !is_word(old[0])) &&
		    (!is_word(p[n]) || !is_word(old[n - 1]))) {
			buf_addstr(&b, new);
			p += n;
		} else {
			buf_addch(&b, *p++);
		}
	}
	return buf_detach(&b, NULL);
}

const char *
ctx_renamed(const struct ctx *x, const char *from_name)
{
	size_t i;

	for (i = 0; i < x->nren; i++)
		if (strcmp(x->ren_from[i], from_name) == 0)
			return x->ren_to[i];
	return from_name;
}

void
ctx_add_rename(char ***from, char ***to, size_t *n, const char *a,
    const char *b)
{
	*from = xrealloc(*from, (*n + 1) * sizeof(**from));
	*to = xrealloc(*to, (*n + 1) * sizeof(**to));
	(*from)[*n] = xstrdup(a);
	(*to)[*n] = xstrdup(b);
	(*n)++;
}

char *
norm_def(const struct ctx *x, const char *table, const char *def)
{
	char *s = xstrdup(def), *t;
	size_t i;

	for (i = 0; i < x->nren; i++) {
		t = subst_word(s, x->ren_from[i], x->ren_to[i]);
		free(s);
		s = t;
	}
	for (i = 0; table && i < x->ncren; i++) {
		char *qa, *qb;

		if (strcmp(x->cren_table[i], table) != 0)
			continue;
		qa = sql_bare(x->cren_from[i]);
		qb = sql_bare(x->cren_to[i]);
		t = subst_word(s, qa, qb);
		free(s);
		s = t;
		free(qa);
		free(qb);
	}
	return s;
}

static void
free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
ctx_release(struct ctx *x)
{
	objidx_release(&x->from_tables);
	objidx_release(&x->to_tables);
	objidx_release(&x->from_views);
	objidx_release(&x->to_views);
	objidx_release(&x->from_types);
	objidx_release(&x->to_types);
	free_strv(x->ren_from, x->nren);
	free_strv(x->ren_to, x->nren);
	free_strv(x->cren_table, x->ncren);
	free_strv(x->cren_from, x->ncren);
	free_strv(x->cren_to, x->ncren);
	x->nren = x->ncren = 0;
	cJSON_Delete(x->scratch);
	x->scratch = NULL;
}
