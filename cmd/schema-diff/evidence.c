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
 *
 * Prod is indexed once (struct evidx): the words of every query and what
 * points at what (view dependencies, foreign keys, columns of a type),
 * each sorted for binary search, so that evidence for thousands of
 * changes costs O(changes log n) and not O(changes * n).
 */
#define _GNU_SOURCE	/* strcasestr */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diff.h"
#include "json.h"
#include "sqlquote.h"
#include "xalloc.h"

#define MAX_QUERIES 10

struct ref {
	char		*target;	/* what is pointed at */
	char		*dependent;	/* "view:public.v", ... */
	const char	*owner;		/* relation that points */
};

struct word {
	char		*word;		/* folded, or '"' + quoted */
	size_t		 query;
};

struct evidx {
	const cJSON	 *prod;
	struct objidx	  tables, index_stats;
	struct ref	 *refs;
	size_t		  nrefs, arefs;
	struct word	 *words;
	size_t		  nwords, awords;
	const cJSON	**queries;
	size_t		  nqueries;
};

static int
word_char(int ch)
{
	return isalnum((unsigned char)ch) || ch == '_' || ch == '$' ||
	    (unsigned char)ch >= 0x80;
}

static int
has_word(const char *text, const char *w)
{
	size_t n = strlen(w);
	const char *p;

	if (n == 0)
		return 0;
	for (p = text; (p = strcasestr(p, w)) != NULL; p++)
		if ((p == text || !word_char(p[-1])) && !word_char(p[n]))
			return 1;
	return 0;
}

/* Does `text` name `name` (unquoted), unquoted or quoted? */
static int
mentions(const char *text, const char *name)
{
	struct buf quoted = BUF_INIT;
	int hit;

	buf_addf(&quoted, "\"%s\"", name);
	hit = strstr(text, quoted.data) != NULL ||
	    (!sql_needs_quote(name) && has_word(text, name));
	buf_release(&quoted);
	return hit;
}

static void
add_ref(struct evidx *e, const char *target, const char *dependent,
    const char *owner)
{
	if (e->nrefs == e->arefs) {
		e->arefs = e->arefs ? 2 * e->arefs : 64;
		e->refs = xrealloc(e->refs, e->arefs * sizeof(*e->refs));
	}
	e->refs[e->nrefs].target = xstrdup(target);
	e->refs[e->nrefs].dependent = xstrdup(dependent);
	e->refs[e->nrefs].owner = owner;
	e->nrefs++;
}

static void
add_word(struct evidx *e, char *w, size_t q)
{
	if (e->nwords == e->awords) {
		e->awords = e->awords ? 2 * e->awords : 256;
		e->words = xrealloc(e->words, e->awords * sizeof(*e->words));
	}
	e->words[e->nwords].word = w;
	e->words[e->nwords].query = q;
	e->nwords++;
}

/* Split a query into unquoted words (folded) and quoted names. */
static void
tokenize(struct evidx *e, const char *text, size_t q)
{
	const char *p = text;

	while (*p) {
		struct buf b = BUF_INIT;

		if (*p == '"') {
			buf_addch(&b, '"');
			for (p++; *p; p++) {
				if (*p == '"' && p[1] == '"')
					p++;
				else if (*p == '"')
					break;
				buf_addch(&b, *p);
			}
			if (*p)
				p++;
			add_word(e, buf_detach(&b, NULL), q);
		} else if (word_char(*p)) {
			while (word_char(*p))
				buf_addch(&b, tolower((unsigned char)*p++));
			add_word(e, buf_detach(&b, NULL), q);
		} else {
			p++;
		}
	}
}

static int
cmp_ref(const void *a, const void *b)
{
	return strcmp(((const struct ref *)a)->target,
	    ((const struct ref *)b)->target);
}

static int
cmp_word(const void *pa, const void *pb)
{
	const struct word *a = pa, *b = pb;
	int r = strcmp(a->word, b->word);

	if (r)
		return r;
	return a->query < b->query ? -1 : a->query > b->query;
}

static void
index_refs(struct evidx *e)
{
	const cJSON *v, *d, *tb, *it;
	struct buf b = BUF_INIT;

	cJSON_ArrayForEach(v, json_arr(e->prod, "views")) {
		const char *vn = json_str(v, "name");

		if (vn == NULL)
			continue;
		buf_reset(&b);
		buf_addf(&b, "%s:%s", json_true(v, "materialized") ?
		    "materialized_view" : "view", vn);
		cJSON_ArrayForEach(d, json_arr(v, "depends_on"))
			if (cJSON_IsString(d))
				add_ref(e, d->valuestring, b.data, vn);
	}
	cJSON_ArrayForEach(tb, json_arr(e->prod, "tables")) {
		const char *tn = json_str(tb, "name");

		if (tn == NULL)
			continue;
		cJSON_ArrayForEach(it, json_arr(tb, "constraints")) {
			const cJSON *ref = json_obj(it, "references"), *col;
			const char *rt = json_str(ref, "table");
			char *cn;

			if (rt == NULL || json_str(it, "name") == NULL)
				continue;
			cn = name_join(tn, json_str(it, "name"));
			buf_reset(&b);
			buf_addf(&b, "constraint:%s", cn);
			add_ref(e, rt, b.data, tn);
			cJSON_ArrayForEach(col, json_arr(ref, "columns")) {
				char *target;

				if (!cJSON_IsString(col))
					continue;
				target = name_join(rt, col->valuestring);
				add_ref(e, target, b.data, tn);
				free(target);
			}
			free(cn);
		}
		cJSON_ArrayForEach(it, json_arr(tb, "columns")) {
			const char *ct = json_str(it, "type");
			char *cn, *base;
			size_t n;

			if (ct == NULL || json_str(it, "name") == NULL)
				continue;
			n = strlen(ct);
			while (n > 2 && strcmp(ct + n - 2, "[]") == 0)
				n -= 2;
			base = xstrndup(ct, n);
			cn = name_join(tn, json_str(it, "name"));
			buf_reset(&b);
			buf_addf(&b, "column:%s", cn);
			add_ref(e, base, b.data, tn);
			free(base);
			free(cn);
		}
	}
	buf_release(&b);
	if (e->nrefs > 1)
		qsort(e->refs, e->nrefs, sizeof(*e->refs), cmp_ref);
}

struct evidx *
evidence_index(const cJSON *prod)
{
	struct evidx *e = xcalloc(1, sizeof(*e));
	const cJSON *qs = json_arr(json_obj(prod, "query_stats"), "queries");
	const cJSON *q;

	e->prod = prod;
	objidx_build(&e->tables, json_arr(prod, "tables"));
	objidx_build(&e->index_stats, json_arr(prod, "index_stats"));
	index_refs(e);
	e->queries = xcalloc((size_t)cJSON_GetArraySize(qs) + 1,
	    sizeof(*e->queries));
	cJSON_ArrayForEach(q, qs) {
		if (json_str(q, "query") == NULL)
			continue;
		tokenize(e, json_str(q, "query"), e->nqueries);
		e->queries[e->nqueries++] = q;
	}
	if (e->nwords > 1)
		qsort(e->words, e->nwords, sizeof(*e->words), cmp_word);
	return e;
}

void
evidence_free(struct evidx *e)
{
	size_t i;

	if (e == NULL)
		return;
	for (i = 0; i < e->nrefs; i++) {
		free(e->refs[i].target);
		free(e->refs[i].dependent);
	}
	for (i = 0; i < e->nwords; i++)
		free(e->words[i].word);
	free(e->refs);
	free(e->words);
	free(e->queries);
	objidx_release(&e->tables);
	objidx_release(&e->index_stats);
	free(e);
}

struct target {
	char	*kind;		/* kind, grant/comment unwrapped */
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
			if (t->table == NULL && strcmp(t->kind, "table") == 0)
				t->table = xstrdup(t->name);
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
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t
lower_ref(const struct evidx *e, const char *target)
{
	size_t lo = 0, hi = e->nrefs;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (strcmp(e->refs[mid].target, target) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
is_whole(const char *kind)
{
	return strcmp(kind, "table") == 0 || strcmp(kind, "view") == 0 ||
	    strcmp(kind, "materialized_view") == 0;
}

static cJSON *
dependents(const struct evidx *e, const struct target *t)
{
	cJSON *out = cJSON_CreateArray();
	const char **list = NULL;
	char *last = name_last(t->name);
	char *tlast = t->table ? name_last(t->table) : NULL;
	size_t n = 0, i, len = strlen(t->name);
	int whole = is_whole(t->kind), is_col = strcmp(t->kind, "column") == 0;
	const cJSON *f;
	struct buf b = BUF_INIT;

	for (i = lower_ref(e, t->name); i < e->nrefs; i++) {
		const struct ref *r = &e->refs[i];

		if (strncmp(r->target, t->name, len) != 0)
			break;
		if (r->target[len] != '\0' &&
		    !(whole && r->target[len] == '.'))
			continue;
		if (whole && strcmp(r->owner, t->name) == 0)
			continue;
		list = xrealloc(list, (n + 1) * sizeof(*list));
		list[n++] = xstrdup(r->dependent);
	}
	if (whole || is_col) {
		cJSON_ArrayForEach(f, json_arr(e->prod, "functions")) {
			const char *def = json_str(f, "definition");

			if (def == NULL || json_str(f, "name") == NULL)
				continue;
			if (is_col ? !(tlast && mentions(def, tlast) &&
			    mentions(def, last)) : !mentions(def, last))
				continue;
			buf_reset(&b);
			buf_addf(&b, "function:%s", json_str(f, "name"));
			list = xrealloc(list, (n + 1) * sizeof(*list));
			list[n++] = xstrdup(b.data);
		}
	}
	if (n > 1)
		qsort(list, n, sizeof(*list), cmp_str);
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(list[i], list[i - 1]) != 0)
			json_push_str(out, list[i]);
	for (i = 0; i < n; i++)
		free((char *)list[i]);
	free(list);
	free(last);
	free(tlast);
	buf_release(&b);
	return out;
}

/* Mark in `hit` the queries holding word `w`. */
static void
mark_word(const struct evidx *e, const char *w, unsigned char *hit)
{
	size_t lo = 0, hi = e->nwords;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (strcmp(e->words[mid].word, w) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < e->nwords && strcmp(e->words[lo].word, w) == 0; lo++)
		hit[e->words[lo].query] = 1;
}

/* Mark the queries naming `name` (unquoted) unquoted or quoted. */
static void
mark_name(const struct evidx *e, const char *name, unsigned char *hit)
{
	struct buf q = BUF_INIT;

	buf_addf(&q, "\"%s", name);	/* as tokenize() keeps it */
	mark_word(e, q.data, hit);
	if (!sql_needs_quote(name))
		mark_word(e, name, hit);
	buf_release(&q);
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
queries(const struct evidx *e, const struct target *t)
{
	cJSON *out = cJSON_CreateArray();
	unsigned char *hit, *thit = NULL;
	const cJSON **hits;
	char *last;
	size_t n = 0, i;

	if (strcmp(t->kind, "schema") == 0 ||
	    strcmp(t->kind, "extension") == 0 || e->nqueries == 0)
		return out;
	last = name_last(t->name);
	/* a function's name ends at its argument list */
	if (strchr(last, '('))
		*strchr(last, '(') = '\0';
	hit = xcalloc(e->nqueries, 1);
	mark_name(e, last, hit);
	if (strcmp(t->kind, "column") == 0) {
		char *tlast = t->table ? name_last(t->table) : NULL;

		thit = xcalloc(e->nqueries, 1);
		if (tlast)
			mark_name(e, tlast, thit);
		free(tlast);
	}
	hits = xcalloc(e->nqueries + 1, sizeof(*hits));
	for (i = 0; i < e->nqueries; i++)
		if (hit[i] && (thit == NULL || thit[i]))
			hits[n++] = e->queries[i];
	if (n > 1)
		qsort(hits, n, sizeof(*hits), cmp_queries);
	for (i = 0; i < n && i < MAX_QUERIES; i++) {
		cJSON *o = cJSON_CreateObject();

		json_add_str(o, "query", json_str(hits[i], "query"));
		cJSON_AddItemToObject(o, "calls", json_int64_item(
		    json_int64(member(hits[i], "calls"))));
		cJSON_AddItemToArray(out, o);
	}
	free(hits);
	free(hit);
	free(thit);
	free(last);
	return out;
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
evidence_add(struct change *c, const struct evidx *e)
{
	struct target t;
	cJSON *ev = cJSON_CreateObject();
	const cJSON *tb = NULL, *stats = NULL, *ix = NULL;

	target_of(c, &t);
	if (t.table)
		tb = objidx_find(&e->tables, t.table);
	if (tb)
		stats = json_obj(tb, "stats");
	add_stat(ev, "table_rows", stats, "rows");
	add_stat(ev, "table_bytes", stats, "total_bytes");
	if (strcmp(t.kind, "index") == 0)
		ix = objidx_find(&e->index_stats, t.name);
	add_stat(ev, "index_scans", ix, "idx_scan");
	cJSON_AddItemToObject(ev, "dependents", dependents(e, &t));
	cJSON_AddItemToObject(ev, "queries", queries(e, &t));
	c->evidence = ev;
	target_release(&t);
}
