/*
 * typenames: the names of column types, asked once per distinct type and
 * modifier.  A large schema has 100,000s of columns but only dozens of
 * (type, typmod) pairs, so format_type() runs dozens of times rather than
 * once per column, and the columns query needs no join with pg_type.
 * Each pair also carries its type's default collation, against which a
 * column's own collation is compared.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "snapshot.h"
#include "xalloc.h"

struct tn_entry {
	uint64_t	 key;		/* typid << 32 | (uint32_t)typmod */
	char		*name;		/* NULL until the server answers */
	unsigned	 collation;
};

struct typenames {
	struct tn_entry	*slots;
	size_t		 size, n;	/* size: a power of two */
};

static uint64_t
pair_key(unsigned typid, int typmod)
{
	return (uint64_t)typid << 32 | (uint32_t)typmod;
}

static size_t
slot_of(const struct typenames *t, uint64_t key)
{
	size_t j = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 20) &
	    (t->size - 1);

	while (t->slots[j].key != 0 && t->slots[j].key != key)
		j = (j + 1) & (t->size - 1);
	return j;
}

static void
grow(struct typenames *t)
{
	struct tn_entry *old = t->slots;
	size_t oldsize = t->size;

	t->size = oldsize ? 2 * oldsize : 256;
	t->slots = xcalloc(t->size, sizeof(*t->slots));
	for (size_t i = 0; i < oldsize; i++)
		if (old[i].key != 0)
			t->slots[slot_of(t, old[i].key)] = old[i];
	free(old);
}

/* The entry of a pair, added (nameless) when new; *added says so. */
static struct tn_entry *
entry(struct typenames *t, unsigned typid, int typmod, int *added)
{
	uint64_t key = pair_key(typid, typmod);
	size_t j;

	if (2 * (t->n + 1) > t->size)
		grow(t);
	j = slot_of(t, key);
	*added = t->slots[j].key == 0;
	if (*added) {
		t->slots[j].key = key;
		t->n++;
	}
	return &t->slots[j];
}

void
typenames_fetch(struct snap *s, PGconn *conn, const PGresult *cols)
{
	struct buf oids = BUF_INIT, mods = BUF_INIT, sql = BUF_INIT;
	struct tn_entry **wanted = NULL;
	size_t n = 0, alloc = 0;
	PGresult *r;
	int added;

	if (s->typenames == NULL)
		s->typenames = xcalloc(1, sizeof(*s->typenames));
	for (int i = 0; i < PQntuples(cols); i++) {
		struct tn_entry *e = entry(s->typenames,
		    row_oid(cols, i, COL_TYPID),
		    (int)db_get_int64(cols, i, COL_TYPMOD, -1), &added);

		if (!added)
			continue;
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 64;
			wanted = xrealloc(wanted, alloc * sizeof(*wanted));
		}
		wanted[n] = e;
		buf_addf(&oids, "%s%s", n ? "," : "",
		    PQgetvalue(cols, i, COL_TYPID));
		buf_addf(&mods, "%s%s", n ? "," : "",
		    PQgetvalue(cols, i, COL_TYPMOD));
		n++;
	}
	if (n > 0) {
		/* pointers into the table stay valid: no insertion below */
		buf_addf(&sql, "SELECT format_type(x.t, x.m), t.typcollation"
		    " FROM unnest('{%s}'::oid[], '{%s}'::int4[])"
		    " WITH ORDINALITY x(t, m, ord)"
		    " LEFT JOIN pg_type t ON t.oid = x.t ORDER BY x.ord",
		    oids.data, mods.data);
		r = db_query(conn, "reading column types", sql.data, 0,
		    NULL);
		for (size_t k = 0; k < n && (int)k < PQntuples(r); k++) {
			if (db_is_null(r, (int)k, 1)) {
				s->raced_types = 1;	/* it went away */
				continue;
			}
			wanted[k]->name = xstrdup(PQgetvalue(r, (int)k, 0));
			wanted[k]->collation = row_oid(r, (int)k, 1);
		}
		PQclear(r);
	}
	free(wanted);
	buf_release(&oids);
	buf_release(&mods);
	buf_release(&sql);
}

const char *
typenames_get(const struct snap *s, unsigned typid, int typmod,
    unsigned *collation)
{
	const struct typenames *t = s->typenames;
	size_t j;

	if (t == NULL || t->size == 0)
		return NULL;
	j = slot_of(t, pair_key(typid, typmod));
	if (t->slots[j].key == 0)
		return NULL;
	*collation = t->slots[j].collation;
	return t->slots[j].name;
}

void
typenames_free(struct snap *s)
{
	struct typenames *t = s->typenames;

	if (t == NULL)
		return;
	for (size_t i = 0; i < t->size; i++)
		free(t->slots[i].name);
	free(t->slots);
	free(t);
	s->typenames = NULL;
}
