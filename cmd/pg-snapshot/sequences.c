/*
 * sequences: pg_sequence (PG10+) with the column that owns each sequence.
 * last_value is evidence, null unless --sequence-values asks for it (see
 * sequence_values_read()).  It needs SELECT or USAGE on the sequence and
 * pg_sequence_last_value() raises an error without it, so it is only
 * called where has_sequence_privilege() says it may be.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "die.h"
#include "json.h"
#include "pool.h"
#include "snapshot.h"
#include "xalloc.h"

static void
sequences_sql(const struct snap *s, struct buf *sql)
{
	buf_addf(sql,
	    "SELECT format('%%I.%%I', n.nspname, c.relname) AS name,"
	    " format_type(q.seqtypid, NULL) AS data_type, q.seqstart,"
	    " q.seqincrement, q.seqmin, q.seqmax, q.seqcache, q.seqcycle,"
	    " c.oid, pg_get_userbyid(c.relowner) AS owner,"
	    " d.description AS comment,"
	    " " GRANTS("c.relacl", "c.relowner") " AS grants"
	    " FROM pg_sequence q JOIN pg_class c ON c.oid = q.seqrelid"
	    " JOIN pg_namespace n ON n.oid = c.relnamespace"
	    " LEFT JOIN pg_description d ON d.objoid = c.oid"
	    "  AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0"
	    " WHERE %s AND " NOT_EXT("pg_class", "c.oid")
	    " ORDER BY format('%%I.%%I', n.nspname, c.relname)" C_ORDER,
	    s->ns_filter);
}

/*
 * The column that owns a sequence (OWNED BY or serial through a pg_depend
 * 'a' row, identity through 'i'), named from the columns already read:
 * a subquery per sequence cost 40 microseconds each.
 */
static void
sequence_owners_sql(const struct snap *s, struct buf *sql)
{
	(void)s;
	buf_addstr(sql,
	    "SELECT d.objid, d.refobjid, d.refobjsubid FROM pg_depend d"
	    " WHERE d.classid = 'pg_class'::regclass"
	    " AND d.refclassid = 'pg_class'::regclass"
	    " AND d.deptype IN ('a', 'i')"
	    " AND d.objid IN (SELECT seqrelid FROM pg_sequence)"
	    " ORDER BY d.objid, d.refobjid, d.refobjsubid");
}

const struct part part_sequence_owners = {
	"reading sequence owners", 0, 1, sequence_owners_sql,
	NULL,
	offsetof(struct snap, sequence_owners)
};

static cJSON *
owned_by(struct snap *s, unsigned seq)
{
	const PGresult *r = s->sequence_owners;
	const struct rel *rel;
	const char *col;
	struct buf b = BUF_INIT;
	cJSON *item;
	int row;

	if (r == NULL || (row = row_by_oid(r, seq)) < 0)
		return cJSON_CreateNull();
	while (row > 0 && row_oid(r, row - 1, 0) == seq)
		row--;		/* the first, as the server orders them */
	if ((rel = rel_find(s, row_oid(r, row, 1))) == NULL ||
	    (col = rel_attname(rel, (int)db_get_int64(r, row, 2, 0))) ==
	    NULL) {
		s->raced = 1;	/* its table or column went away meanwhile */
		return cJSON_CreateNull();
	}
	buf_addf(&b, "%s.%s", rel->name, col);
	item = cJSON_CreateString(b.data);
	buf_release(&b);
	return item;
}

static void
sequences_build(struct snap *s, const PGresult *r)
{
	s->seq_oids = xcalloc(PQntuples(r) + 1, sizeof(*s->seq_oids));
	s->nseqs = PQntuples(r);
	for (int i = 0; i < PQntuples(r); i++) {
		cJSON *o = cJSON_CreateObject();

		s->seq_oids[i] = row_oid(r, i, 8);
		row_str(o, "name", r, i, 0);
		row_str(o, "data_type", r, i, 1);
		row_int(o, "start", r, i, 2);
		row_int(o, "increment", r, i, 3);
		row_int(o, "min", r, i, 4);
		row_int(o, "max", r, i, 5);
		row_int(o, "cache", r, i, 6);
		row_bool(o, "cycle", r, i, 7);
		obj_add(o, "owned_by", owned_by(s, row_oid(r, i, 8)));
		row_str(o, "owner", r, i, 9);
		row_str(o, "comment", r, i, 10);
		row_json(o, "grants", r, i, 11);
		obj_add(o, "last_value", cJSON_CreateNull());
		cJSON_AddItemToArray(s->sequences, o);
	}
}

const struct part part_sequences = {
	"reading sequences", 0, 0, sequences_sql, sequences_build
};

/*
 * --sequence-values: each sequence's last value, read after the catalog
 * snapshot has ended, in statements of SEQ_BATCH sequences each, spread
 * over the connections.
 *
 * pg_sequence_last_value() opens the sequence and takes a lock on it
 * that lasts until the end of the transaction: inside the snapshot's
 * transaction 10,000 sequences would take 10,000 locks at once, more
 * than a default server's lock table holds (max_locks_per_transaction
 * 64 times max_connections), and opening them was a third of the run's
 * time on the bench schema, which is why the values are asked for.  A
 * sequence is not transactional anyway: the value read is the one on
 * disk at that moment, whichever snapshot reads it.  A sequence dropped
 * meanwhile reads as null (has_sequence_privilege() is null for it).
 */
#define SEQ_BATCH 500

void
sequence_values_read(struct snap *s, PGconn **conns, int nconns)
{
	size_t n = s->nseqs, nq = (n + SEQ_BATCH - 1) / SEQ_BATCH, i, j, k;
	struct pool_query *q = xcalloc(nq + 1, sizeof(*q));
	struct buf sql = BUF_INIT;
	cJSON *o, **objs = xcalloc(n + 1, sizeof(*objs));

	for (o = s->sequences->child, i = 0; o != NULL && i < n; o = o->next)
		objs[i++] = o;
	for (k = 0; k < nq; k++) {
		buf_reset(&sql);
		buf_addstr(&sql, "SELECT CASE WHEN has_sequence_privilege(x.oid,"
		    " 'SELECT,USAGE') THEN pg_sequence_last_value(x.oid) END"
		    " FROM unnest('{");
		for (j = k * SEQ_BATCH; j < n && j < (k + 1) * SEQ_BATCH; j++)
			buf_addf(&sql, "%s%u", j > k * SEQ_BATCH ? "," : "",
			    s->seq_oids[j]);
		buf_addstr(&sql, "}'::oid[]) WITH ORDINALITY x(oid, ord)"
		    " ORDER BY x.ord");
		q[k] = (struct pool_query){ .purpose = "reading sequence values",
		    .sql = xstrdup(sql.data), .conn = -1, .tolerant = 1 };
	}
	/* evidence: a batch that fails (a sequence dropped) stays null */
	pool_run(conns, nconns, q, nq, NULL);
	for (k = 0; k < nq; k++) {
		const PGresult *r = q[k].res;

		for (j = k * SEQ_BATCH, i = 0; r != NULL && j < n &&
		    (int)i < PQntuples(r); j++, i++)
			if (!db_is_null(r, (int)i, 0))
				obj_replace(objs[j],
				    cJSON_GetObjectItemCaseSensitive(objs[j],
				    "last_value"), "last_value", json_int64_item(
				    db_get_int64(r, (int)i, 0, 0)));
		PQclear(q[k].res);
		free((char *)q[k].sql);
	}
	progress("reading sequence values: %zu sequences", n);
	free(q);
	free(objs);
	buf_release(&sql);
}
