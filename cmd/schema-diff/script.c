/*
 * script.c: the forward (or rollback) script: every change's statements in
 * phase order, those that cannot run in a transaction block (DROP/CREATE
 * INDEX CONCURRENTLY) or should not (ALTER TYPE ... ADD VALUE, whose label
 * is unusable until committed; VALIDATE CONSTRAINT and the SET NOT NULL
 * proof, which scan and are best run each in its own transaction) outside
 * BEGIN ... COMMIT.  A statement two changes both need (a view recreated
 * around two retyped columns) appears once.  No change gives "".
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "xalloc.h"

struct item {
	const struct stmt	*s;
	size_t			 change, pos;
	int			 dup;	/* text seen earlier */
};

static int
cmp_items(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;

	if (a->s->phase != b->s->phase)
		return a->s->phase < b->s->phase ? -1 : 1;
	if (a->s->rank != b->s->rank)
		return a->s->rank < b->s->rank ? -1 : 1;
	if (a->change != b->change)
		return a->change < b->change ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static int
cmp_text(const void *pa, const void *pb)
{
	const struct item *a = *(struct item *const *)pa;
	const struct item *b = *(struct item *const *)pb;
	int r = strcmp(a->s->sql, b->s->sql);

	if (r)
		return r;
	return a < b ? -1 : a > b;
}

/* Mark every item whose text an earlier item already has. */
static void
mark_dups(struct item *v, size_t n)
{
	struct item **p = xcalloc(n + 1, sizeof(*p));
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = &v[i];
	qsort(p, n, sizeof(*p), cmp_text);
	for (i = 1; i < n; i++)
		if (strcmp(p[i]->s->sql, p[i - 1]->s->sql) == 0)
			p[i]->dup = 1;
	free(p);
}

char *
script_build(const struct changes *l)
{
	struct buf b = BUF_INIT;
	struct item *v;
	size_t i, j, n = 0, total = 0;
	int in_tx = 0, functions = 0;

	for (i = 0; i < l->n; i++)
		total += l->v[i]->nsql;
	v = xcalloc(total + 1, sizeof(*v));
	for (i = 0; i < l->n; i++) {
		for (j = 0; j < l->v[i]->nsql; j++) {
			v[n].s = &l->v[i]->sql[j];
			v[n].change = i;
			v[n].pos = j;
			n++;
		}
	}
	qsort(v, n, sizeof(*v), cmp_items);
	mark_dups(v, n);
	for (i = 0; i < n; i++)
		if (v[i].s->phase == PH_FUNCTION)
			functions = 1;
	for (i = 0; i < n; i++) {
		const struct stmt *s = v[i].s;
		int tx = s->phase >= PH_TX_FIRST && s->phase <= PH_TX_LAST;

		if (v[i].dup)
			continue;
		if (tx && !in_tx) {
			buf_addstr(&b, "BEGIN;\n");
			/* bodies may name tables created further down */
			if (functions)
				buf_addstr(&b, "SET LOCAL "
				    "check_function_bodies = off;\n");
			in_tx = 1;
		} else if (!tx && in_tx) {
			buf_addstr(&b, "COMMIT;\n");
			in_tx = 0;
		}
		buf_addstr(&b, s->sql);
		buf_addch(&b, '\n');
	}
	if (in_tx)
		buf_addstr(&b, "COMMIT;\n");
	free(v);
	return buf_detach(&b, NULL);
}
