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
#include "jsonout.h"
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
const struct part part_sequence_owners = {
	"reading sequence owners", 0, 1, NULL, NULL,
	offsetof(struct snap, sequence_owners),
	"SELECT d.objid, d.refobjid, d.refobjsubid FROM pg_depend d"
	" WHERE d.classid = 'pg_class'::regclass"
	" AND d.refclassid = 'pg_class'::regclass"
	" AND d.deptype IN ('a', 'i')"
	" AND d.objid IN (SELECT seqrelid FROM pg_sequence)"
	" ORDER BY d.objid, d.refobjid, d.refobjsubid"
};

/* The owning column's name, "schema.table.column", as JSON into `b`. */
static void
owned_by(struct snap *s, unsigned seq, struct buf *b)
{
	const PGresult *r = s->sequence_owners;
	const struct rel *rel;
	const char *col;
	struct buf name = BUF_INIT;
	int row;

	if (r == NULL || (row = row_by_oid(r, seq)) < 0) {
		buf_addstr(b, "null");
		return;
	}
	while (row > 0 && row_oid(r, row - 1, 0) == seq)
		row--;		/* the first, as the server orders them */
	if ((rel = rel_find(s, row_oid(r, row, 1))) == NULL ||
	    (col = rel_attname(rel, (int)db_get_int64(r, row, 2, 0))) ==
	    NULL) {
		s->raced = 1;	/* its table or column went away meanwhile */
		buf_addstr(b, "null");
		return;
	}
	buf_addf(&name, "%s.%s", rel->name, col);
	json_buf_string(b, name.data);
	buf_release(&name);
}

/* Each sequence is a raw object whose last member is last_value. */
static void
sequences_build(struct snap *s, const PGresult *r)
{
	struct buf b = BUF_INIT;
	cJSON *grants;
	char *text;

	s->seq_oids = xcalloc(PQntuples(r) + 1, sizeof(*s->seq_oids));
	s->nseqs = PQntuples(r);
	for (int i = 0; i < PQntuples(r); i++) {
		s->seq_oids[i] = row_oid(r, i, 8);
		raw_str(&b, "name", r, i, 0);
		raw_str(&b, "data_type", r, i, 1);
		raw_int(&b, "start", r, i, 2);
		raw_int(&b, "increment", r, i, 3);
		raw_int(&b, "min", r, i, 4);
		raw_int(&b, "max", r, i, 5);
		raw_int(&b, "cache", r, i, 6);
		raw_bool(&b, "cycle", r, i, 7);
		raw_key(&b, "owned_by");
		owned_by(s, s->seq_oids[i], &b);
		raw_str(&b, "owner", r, i, 9);
		raw_str(&b, "comment", r, i, 10);
		raw_key(&b, "grants");
		if (db_is_null(r, i, 11)) {
			buf_addstr(&b, "[]");
		} else {
			/* the server's JSON, printed as the rest is */
			grants = row_json_item(r, i, 11);
			text = json_compact(grants);
			buf_addstr(&b, text);
			free(text);
			cJSON_Delete(grants);
		}
		raw_key(&b, "last_value");
		buf_addstr(&b, "null");
		cJSON_AddItemToArray(s->sequences, raw_finish(&b));
	}
	buf_release(&b);
}

const struct part part_sequences = {
	.purpose = "reading sequences", .sql = sequences_sql,
	.build = sequences_build, .by_index = 1
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

/* Put `value`, a bigint's text, for the null that ends a sequence. */
static void
set_last_value(cJSON *item, const char *value)
{
	struct buf b = BUF_INIT;
	size_t len = strlen(item->valuestring);

	buf_add(&b, item->valuestring, len - strlen("null}"));
	buf_addstr(&b, value);
	buf_addch(&b, '}');
	free(item->valuestring);
	item->valuestring = buf_detach(&b, NULL);
}

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
				set_last_value(objs[j], PQgetvalue(r, (int)i, 0));
		PQclear(q[k].res);
		free((char *)q[k].sql);
	}
	progress("reading sequence values: %zu sequences", n);
	free(q);
	free(objs);
	buf_release(&sql);
}
