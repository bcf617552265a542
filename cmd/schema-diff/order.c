/*
 * order.c: dependency order of changes.  Each statement's phase encodes
 * what must come first (renames, then drops of dependents, then creates
 * of types, sequences, functions and tables, then columns, constraints,
 * views, triggers and policies, then drops of what nothing uses any
 * more); the rank orders statements of one phase (view depth, partitions
 * after their parent).  Ties fall back on the id, so the order never
 * depends on the order of the snapshot arrays.
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"

static int
first_rank(const struct change *c)
{
	return c->nsql ? c->sql[0].rank : c->rank;
}

static int
cmp_changes(const void *pa, const void *pb)
{
	const struct change *a = *(struct change *const *)pa;
	const struct change *b = *(struct change *const *)pb;
	int r;
	char *ia, *ib;

	if (phase_first(a) != phase_first(b))
		return phase_first(a) < phase_first(b) ? -1 : 1;
	if (first_rank(a) != first_rank(b))
		return first_rank(a) < first_rank(b) ? -1 : 1;
	ia = change_id(a);
	ib = change_id(b);
	r = strcmp(ia, ib);
	free(ia);
	free(ib);
	return r;
}

void
changes_sort(struct changes *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_changes);
}
