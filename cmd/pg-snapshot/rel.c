/*
 * rel: relations by OID.  Tables and views are added in name order while
 * their rows are built; children (columns, constraints, indexes,
 * triggers, policies, view dependencies) then find their parent with a
 * binary search over the same array, sorted by OID once on first use.
 */
#include <stdlib.h>

#include "db.h"

#include "snapshot.h"
#include "xalloc.h"

struct rel *
rel_add(struct snap *s, unsigned oid, cJSON *obj)
{
	struct rel *r;

	if (s->nrels == s->relalloc) {
		s->relalloc = s->relalloc ? 2 * s->relalloc : 1024;
		s->rels = xrealloc(s->rels, s->relalloc * sizeof(*s->rels));
	}
	r = &s->rels[s->nrels++];
	*r = (struct rel){ .oid = oid, .obj = obj };
	s->rels_sorted = 0;
	return r;
}

static int
cmp_oid(const void *a, const void *b)
{
	unsigned x = ((const struct rel *)a)->oid;
	unsigned y = ((const struct rel *)b)->oid;

	return (x > y) - (x < y);
}

struct rel *
rel_find(struct snap *s, unsigned oid)
{
	struct rel key = { .oid = oid };

	if (!s->rels_sorted) {
		qsort(s->rels, s->nrels, sizeof(*s->rels), cmp_oid);
		s->rels_sorted = 1;
	}
	return bsearch(&key, s->rels, s->nrels, sizeof(*s->rels), cmp_oid);
}

int
rel_attrow(const struct rel *r, int attnum)
{
	int lo = 0, hi = r->ncols - 1, mid, n;

	while (r->cols != NULL && lo <= hi) {
		mid = lo + (hi - lo) / 2;
		n = r->cols[mid].attnum;
		if (n == attnum)
			return mid;
		if (n < attnum)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* System columns a CHECK constraint may name (attnum -1 to -6). */
static const char *const system_columns[] = {
	"ctid", "xmin", "cmin", "xmax", "cmax", "tableoid",
};

const char *
rel_attname(const struct rel *r, int attnum)
{
	int row;

	if (attnum < 0 && -attnum <= (int)(sizeof(system_columns) /
	    sizeof(system_columns[0])))
		return system_columns[-attnum - 1];
	row = rel_attrow(r, attnum);
	return row < 0 ? NULL : r->cols[row].name;
}
