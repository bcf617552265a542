/*
 * shapes: deparse each distinct expression once (see shapes.h).
 *
 * Groups are found through an open-addressing hash table of their keys.
 * The server deparses, in one query, the first member of each group and
 * every object that has no group; a group whose first text does not start
 * with its prefix has all its members deparsed by a second query.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "die.h"
#include "shapes.h"
#include "xalloc.h"

struct item {
	unsigned	 oid;
	char		*prefix;
	void		*obj;
	long		 next;		/* next member of its group, or -1 */
};

struct group {
	char		*key;
	size_t		 keylen;
	uint64_t	 hash;
	long		 first, last;	/* items */
};

struct shapes {
	const char	*func;
	struct item	*items;
	size_t		 nitems, itemalloc;
	struct group	*groups;
	size_t		 ngroups, groupalloc;
	long		*table;		/* group index + 1, 0 for empty */
	size_t		 tablesize;	/* a power of two */
};

struct shapes *
shapes_new(const char *func)
{
	struct shapes *sh = xcalloc(1, sizeof(*sh));

	sh->func = func;
	return sh;
}

static uint64_t
hash_key(const char *p, size_t n)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */

	while (n-- > 0) {
		h ^= (unsigned char)*p++;
		h *= 1099511628211ULL;
	}
	return h;
}

static void
table_grow(struct shapes *sh)
{
	size_t size = sh->tablesize ? 2 * sh->tablesize : 1024, i, j;
	long *t = xcalloc(size, sizeof(*t));

	for (i = 0; i < sh->ngroups; i++) {
		j = sh->groups[i].hash & (size - 1);
		while (t[j] != 0)
			j = (j + 1) & (size - 1);
		t[j] = (long)i + 1;
	}
	free(sh->table);
	sh->table = t;
	sh->tablesize = size;
}

/* The group of `key`, created when new. */
static struct group *
group_of(struct shapes *sh, const struct buf *key)
{
	uint64_t h = hash_key(key->data, key->len);
	struct group *g;
	size_t j;

	if (2 * (sh->ngroups + 1) > sh->tablesize)
		table_grow(sh);
	for (j = h & (sh->tablesize - 1); sh->table[j] != 0;
	    j = (j + 1) & (sh->tablesize - 1)) {
		g = &sh->groups[sh->table[j] - 1];
		if (g->hash == h && g->keylen == key->len &&
		    memcmp(g->key, key->data, key->len) == 0)
			return g;
	}
	if (sh->ngroups == sh->groupalloc) {
		sh->groupalloc = sh->groupalloc ? 2 * sh->groupalloc : 64;
		sh->groups = xrealloc(sh->groups,
		    sh->groupalloc * sizeof(*sh->groups));
	}
	sh->table[j] = (long)sh->ngroups + 1;
	g = &sh->groups[sh->ngroups++];
	g->key = xmalloc(key->len);
	memcpy(g->key, key->data, key->len);
	g->keylen = key->len;
	g->hash = h;
	g->first = g->last = -1;
	return g;
}

void
shapes_add(struct shapes *sh, const struct buf *key, unsigned oid,
    const char *prefix, void *obj)
{
	struct group *g;
	long at = (long)sh->nitems;

	if (sh->nitems == sh->itemalloc) {
		sh->itemalloc = sh->itemalloc ? 2 * sh->itemalloc : 64;
		sh->items = xrealloc(sh->items,
		    sh->itemalloc * sizeof(*sh->items));
	}
	sh->items[at] = (struct item){ .oid = oid, .obj = obj, .next = -1,
	    .prefix = xstrdup(prefix ? prefix : "") };
	sh->nitems++;
	if (key == NULL)
		return;		/* alone: deparsed as it is */
	g = group_of(sh, key);
	if (g->first < 0)
		g->first = at;
	else
		sh->items[g->last].next = at;
	g->last = at;
}

/* 1 for an item that is not the first of its group. */
static char *
members(const struct shapes *sh)
{
	char *m = xcalloc(sh->nitems + 1, 1);

	for (size_t i = 0; i < sh->ngroups; i++)
		for (long k = sh->items[sh->groups[i].first].next; k >= 0;
		    k = sh->items[k].next)
			m[k] = 1;
	return m;
}

/*
 * Deparse the items marked in `want` (in item order); their texts land
 * in texts[i], NULL for an object that went away.
 */
static PGresult *
deparse(const struct shapes *sh, PGconn *conn, const char *purpose,
    const char *want, const char **texts)
{
	struct buf sql = BUF_INIT;
	PGresult *r;
	size_t i, n = 0;
	int row;

	buf_addf(&sql, "SELECT %s(x.oid) FROM unnest('{", sh->func);
	for (i = 0; i < sh->nitems; i++)
		if (want[i])
			buf_addf(&sql, "%s%u", n++ ? "," : "", sh->items[i].oid);
	buf_addstr(&sql, "}'::oid[]) WITH ORDINALITY x(oid, ord)"
	    " ORDER BY x.ord");
	r = db_query(conn, purpose, sql.data, 0, NULL);
	buf_release(&sql);
	for (i = 0, row = 0; i < sh->nitems; i++)
		if (want[i])
			texts[i] = row < PQntuples(r) ?
			    db_get_str(r, row++, 0) : NULL;
	return r;
}

void
shapes_run(struct shapes *sh, PGconn *conn, const char *purpose,
    shape_done done, void *arg)
{
	const char **texts = xcalloc(sh->nitems + 1, sizeof(*texts));
	char *member = members(sh), *want = xcalloc(sh->nitems + 1, 1);
	PGresult *r1 = NULL, *r2 = NULL;
	struct buf text = BUF_INIT;
	int again = 0;
	size_t i, n = 0;

	for (i = 0; i < sh->nitems; i++)
		n += want[i] = !member[i];
	if (sh->nitems > 0)
		r1 = deparse(sh, conn, purpose, want, texts);
	/* A first text that does not fit: deparse its group's members. */
	memset(want, 0, sh->nitems);
	for (i = 0; i < sh->ngroups; i++) {
		const struct item *f = &sh->items[sh->groups[i].first];
		const char *t = texts[sh->groups[i].first];

		if (t != NULL && strncmp(t, f->prefix, strlen(f->prefix)) != 0)
			for (long k = f->next; k >= 0; k = sh->items[k].next)
				want[k] = again = 1;
	}
	if (again)
		r2 = deparse(sh, conn, purpose, want, texts);
	for (i = 0; i < sh->nitems; i++)
		n += want[i];
	progress("%s: %zu of %zu deparsed by the server", purpose, n,
	    sh->nitems);
	for (i = 0; i < sh->ngroups; i++) {
		const struct item *f = &sh->items[sh->groups[i].first];
		const char *t = texts[sh->groups[i].first];
		size_t skip = strlen(f->prefix);

		for (long k = f->next; k >= 0; k = sh->items[k].next) {
			if (want[k])
				continue;
			if (t == NULL) {
				texts[k] = NULL;
				continue;
			}
			buf_reset(&text);
			buf_addstr(&text, sh->items[k].prefix);
			buf_addstr(&text, t + skip);
			done(arg, sh->items[k].obj, text.data);
			member[k] = 2;		/* done */
		}
	}
	for (i = 0; i < sh->nitems; i++)
		if (member[i] != 2)
			done(arg, sh->items[i].obj, texts[i]);
	buf_release(&text);
	PQclear(r1);
	PQclear(r2);
	for (i = 0; i < sh->nitems; i++)
		free(sh->items[i].prefix);
	for (i = 0; i < sh->ngroups; i++)
		free(sh->groups[i].key);
	free(sh->items);
	free(sh->groups);
	free(sh->table);
	free(sh);
	free(texts);
	free(member);
	free(want);
}

/* The integer after `field` at p (e.g. ":varattno 3"), or 0 if absent. */
static int
field_at(const char *p, const char *field, long *v)
{
	size_t n = strlen(field);
	char *end;

	if (strncmp(p, field, n) != 0)
		return 0;
	*v = strtol(p + n, &end, 10);
	return end != p + n;
}

int
shape_tree(struct buf *key, const char *tree, int *attnos, int *n, int max)
{
	const char *p = tree, *run = tree;
	long v;

	if (tree == NULL) {
		buf_addstr(key, "<>");
		return 1;
	}
	for (; *p; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;		/* an escaped character of a token */
			continue;
		}
		if (*p != ' ' || p[1] != ':')
			continue;
		if (field_at(p, " :location ", &v)) {
			buf_add(key, run, (size_t)(p - run));
			p += strlen(" :location ");
			p += *p == '-';
			while (p[1] >= '0' && p[1] <= '9')
				p++;
			run = p + 1;
		} else if (field_at(p, " :varattno ", &v)) {
			if (v <= 0 || *n >= max)
				return 0;
			attnos[(*n)++] = (int)v;
		} else if (field_at(p, " :varno ", &v)) {
			if (v != 1)
				return 0;
		} else if (field_at(p, " :varlevelsup ", &v)) {
			if (v != 0)
				return 0;
		}
	}
	buf_add(key, run, (size_t)(p - run));
	return 1;
}
