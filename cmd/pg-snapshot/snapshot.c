/*
 * snapshot: connect, read every object kind in one consistent read-only
 * transaction, then build the document.
 *
 * Consistency.  All catalog rows come from one REPEATABLE READ snapshot,
 * shared by every connection through pg_export_snapshot() (as pg_dump -j
 * does).  The deparse functions (pg_get_indexdef, pg_get_triggerdef,
 * pg_get_functiondef, format_type, and the names inside pg_get_viewdef
 * and pg_get_constraintdef) read the latest committed catalog instead, so
 * DDL committed while the snapshot runs can show through in those texts;
 * an object dropped meanwhile gives a NULL definition, which makes the
 * whole snapshot run again once, then fail with EX_TEMPFAIL.
 *
 * Locks.  No table is locked explicitly (pg_dump takes ACCESS SHARE on
 * every table; a queued ACCESS EXCLUSIVE behind that would stall prod),
 * but pg_get_expr, pg_get_viewdef and pg_get_indexdef take ACCESS SHARE
 * briefly, so lock_timeout bounds the wait behind DDL and a timeout ends
 * the run with EX_TEMPFAIL.  The transaction is kept short: results are
 * fetched, the transaction ends, and only then is JSON built.
 */
#include <err.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "buf.h"
#include "db.h"
#include "die.h"
#include "json.h"
#include "pool.h"
#include "snapshot.h"
#include "xalloc.h"

/*
 * In build order, parents before the children attached to them, which is
 * also the order queries are handed to connections.  The split parts come
 * first and the rest after them: each connection works through its own
 * slices, and whichever is done first takes the remaining queries, so
 * both finish together.
 */
static const struct part *const parts[] = {
	&part_schemas, &part_extensions, &part_column_comments,
	&part_collations, &part_tables, &part_views, &part_columns,
	&part_constraints, &part_opclasses, &part_index_trees, &part_indexes,
	&part_sequence_owners, &part_sequences, &part_types, &part_triggers,
	&part_policies, &part_view_deps, &part_functions,
};
#define NPARTS (sizeof(parts) / sizeof(parts[0]))

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static cJSON *
source_build(const struct snap *s, PGconn *conn, PGresult *info,
    time_t taken)
{
	cJSON *o = cJSON_CreateObject();
	const char *host = PQhost(conn), *port = PQport(conn);
	char *version = xstrdup(PQgetvalue(info, 0, 1)), when[32];

	/* "15.18 (Debian 15.18-1.pgdg120+1)" -> "15.18" */
	version[strcspn(version, " ")] = '\0';
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&taken));
	json_add_str(o, "label", s->opts->label);
	json_add_str(o, "database", PQgetvalue(info, 0, 0));
	/* A Unix socket directory is no host: null, so a path never leaks. */
	json_add_str(o, "host", host == NULL || *host == '\0' ||
	    *host == '/' || *host == '@' ? NULL : host);
	if (port != NULL && *port != '\0')
		json_add_int64(o, "port", strtol(port, NULL, 10));
	else
		json_add_null(o, "port");
	json_add_str(o, "server_version", version);
	json_add_int64(o, "server_version_num", s->version);
	json_add_str(o, "taken_at", when);
	free(version);
	return o;
}

/*
 * Begin the read-only transaction.  Parallel query is turned off: this
 * program already spreads its queries over connections, and worker
 * processes starting for each of them only compete for the same CPUs.
 * So is JIT compilation, which the planner's estimates for the larger
 * catalog queries set off and which cost more than it saved: 0.15 s of
 * a 1.5 s run on the bench schema.
 * work_mem is raised so that sorting a large schema's columns or indexes
 * (tens of megabytes) is not spilled to disk.  From PostgreSQL 15 on,
 * statistics are read without caching (stats_fetch_consistency = none):
 * each counter is read once, and caching cost about 4 microseconds a call,
 * 0.3 s over a 10,000-table schema's tables and indexes.
 */
static void
begin(const struct snap_opts *opts, PGconn *conn, const char *id,
    int version)
{
	db_begin_snapshot(conn, id, opts->statement_timeout_ms,
	    opts->lock_timeout_ms);
	db_exec(conn, "starting the read-only transaction", version >= 150000 ?
	    "SET LOCAL max_parallel_workers_per_gather = 0;"
	    "SET LOCAL jit = off;"
	    "SET LOCAL work_mem = '64MB';"
	    "SET LOCAL stats_fetch_consistency = none" :
	    "SET LOCAL max_parallel_workers_per_gather = 0;"
	    "SET LOCAL jit = off;"
	    "SET LOCAL work_mem = '64MB'");
}

/*
 * Connect the leader and begin the snapshot; start connecting the
 * workers, which connect_workers() joins to the snapshot once the leader
 * has done its first queries.  Returns the number of connections and, for
 * more than one, the exported snapshot's name in *id.
 */
static int
connect_leader(const struct snap_opts *opts, PGconn **conns, char **id)
{
	PGresult *r;
	int n = opts->jobs, i;

	*id = NULL;
	conns[0] = db_connect(opts->conninfo, "pg-snapshot");
	for (i = 1; i < n; i++)
		conns[i] = db_connect_start(opts->conninfo, "pg-snapshot");
	begin(opts, conns[0], NULL, PQserverVersion(conns[0]));
	if (n == 1)
		return 1;
	/* A standby before PG10 cannot export; then work alone. */
	if ((r = db_try(conns[0], "SELECT pg_export_snapshot()", NULL)) ==
	    NULL) {
		warnx("cannot export the snapshot; using one connection");
		for (i = 1; i < n; i++)
			db_finish(conns[i]);
		db_exec(conns[0], "restarting the read-only transaction",
		    "ROLLBACK");
		begin(opts, conns[0], NULL, PQserverVersion(conns[0]));
		return 1;
	}
	*id = xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return n;
}

static void
connect_workers(const struct snap_opts *opts, PGconn **conns, int n,
    const char *id)
{
	for (int i = 1; i < n; i++) {
		db_connect_finish(conns[i], 60 * 1000);
		begin(opts, conns[i], id, PQserverVersion(conns[i]));
	}
}

/*
 * The first member's string value of a raw object ({"name":"..."), with
 * JSON's escapes undone, as far as it fits in `out`.
 */
static void
raw_name(const cJSON *item, char *out, size_t size)
{
	const char *p = item->valuestring ? strchr(item->valuestring, ':') :
	    NULL;
	size_t n = 0;

	for (p = p && p[1] == '"' ? p + 2 : ""; *p && *p != '"' &&
	    n + 1 < size; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			switch (*p) {
			case 'b': out[n++] = '\b'; continue;
			case 'f': out[n++] = '\f'; continue;
			case 'n': out[n++] = '\n'; continue;
			case 'r': out[n++] = '\r'; continue;
			case 't': out[n++] = '\t'; continue;
			case 'u':	/* \u00XX, as jsonout writes it */
				if (p[1] && p[2] && p[3] && p[4]) {
					out[n++] = (char)strtol((char[]){ p[3],
					    p[4], 0 }, NULL, 16);
					p += 4;
				}
				continue;
			}
		}
		out[n++] = *p;
	}
	out[n] = '\0';
}

struct keyed {
	char		*key;
	size_t		 at;		/* the original position: a stable sort */
	cJSON		*item;
};

static int
cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->at > y->at) - (x->at < y->at);
}

/*
 * Sort an array of objects by name, as strcmp orders names, each name
 * read once: index evidence is made of raw objects (indexes.c), whose
 * names must be unescaped first, and the slices' results come one after
 * the other.
 */
static void
sort_by_name(cJSON *arr)
{
	struct keyed *v;
	size_t n = 0, i;
	char name[1024];
	cJSON *it;

	for (it = arr->child; it != NULL; it = it->next)
		n++;
	if (n < 2)
		return;
	v = xcalloc(n, sizeof(*v));
	for (i = 0, it = arr->child; it != NULL; it = it->next, i++) {
		if (cJSON_IsRaw(it))
			raw_name(it, name, sizeof(name));
		v[i].key = xstrdup(cJSON_IsRaw(it) ? name :
		    json_str(it, "name") ? json_str(it, "name") : "");
		v[i].at = i;
		v[i].item = it;
	}
	qsort(v, n, sizeof(*v), cmp_keyed);
	arr->child = v[0].item;
	for (i = 0; i < n; i++) {
		v[i].item->prev = v[i ? i - 1 : n - 1].item;
		v[i].item->next = i + 1 < n ? v[i + 1].item : NULL;
		free(v[i].key);
	}
	free(v);
}

/*
 * Parts are built in order as soon as all their queries have finished, by
 * a thread of their own, while this one hands the server its next
 * queries: a connection whose query ends during a build is not left idle.
 * Queries are handed out in the same order.  The builder sees a query's
 * result only once `ready` says so, under the lock.
 */
struct builder {
	struct snap		*s;
	struct pool_query	*q;
	size_t			 nq;
	int			 nconns;
	size_t			 next;	/* the next part to build */
	char			*ready;	/* per query, under `lock` */
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;
};

static int
part_ready(const struct builder *b, const struct part *p)
{
	for (size_t j = 0; j < b->nq; j++)
		if (b->q[j].tag == p && !b->ready[j])
			return 0;
	return 1;
}

static void *
build_all(void *arg)
{
	struct builder *b = arg;
	const struct part *p;

	while (b->next < NPARTS) {
		pthread_mutex_lock(&b->lock);
		while (!part_ready(b, parts[b->next]))
			pthread_cond_wait(&b->wake, &b->lock);
		pthread_mutex_unlock(&b->lock);
		p = parts[b->next++];
		for (size_t j = 0; j < b->nq; j++) {
			if (b->q[j].tag != p)
				continue;
			progress("%s: %d rows", p->purpose,
			    PQntuples(b->q[j].res));
			if (p->build == NULL) {
				*(const PGresult **)((char *)b->s +
				    p->keep_at) = b->q[j].res;
				continue;
			}
			p->build(b->s, b->q[j].res);
			if (!p->keep) {
				PQclear(b->q[j].res);
				b->q[j].res = NULL;
			}
		}
		/*
		 * Slices come one after the other; names sort as strcmp
		 * does.  Tables, views and index evidence are sorted, and
		 * the tables' stats summed, as soon as they are all read,
		 * while the server still works, rather than at the end.
		 */
		if (p == &part_tables) {
			sort_by_name(b->s->tables);
			stats_finish(b->s);
		} else if (p == &part_views) {
			sort_by_name(b->s->views);
		} else if (p == &part_indexes && b->s->index_stats != NULL) {
			sort_by_name(b->s->index_stats);
		}
	}
	return NULL;
}

static char bounds_tag;		/* the query dividing the tables */

/*
 * Write a query's SQL: its part's whole query, or for a split part the
 * slice it stands for.
 */
static void
write_query(struct builder *b, struct pool_query *q)
{
	const struct part *p = q->tag;
	struct buf sql = BUF_INIT;

	b->s->nslices = p->split ? b->nconns : 1;
	b->s->slice = q->slice;
	if (p->by_index)
		buf_addstr(&sql, "SET LOCAL enable_seqscan = off;");
	if (p->sql != NULL)
		p->sql(b->s, &sql);
	else
		buf_addstr(&sql, p->text);
	if (p->by_index)
		buf_addstr(&sql, ";SET LOCAL enable_seqscan TO DEFAULT");
	q->sql = buf_detach(&sql, NULL);
	q->wait = 0;
}

/* The split parts' queries, once the tables are divided. */
static void
write_split(struct builder *b)
{
	for (size_t j = 0; j < b->nq; j++)
		if (b->q[j].wait)
			write_query(b, &b->q[j]);
}

/*
 * A query has finished.  The names of column types are read here, on the
 * connection that read the columns, before the builder sees them.
 */
static void
query_done(void *arg, PGconn *conn, struct pool_query *q)
{
	struct builder *b = arg;

	if (q->tag == &bounds_tag) {
		slice_bounds_read(b->s, q->res, b->nconns);
		write_split(b);
		return;
	}
	if (q->tag == &part_columns)
		typenames_fetch(b->s, conn, q->res);
	pthread_mutex_lock(&b->lock);
	b->ready[q - b->q] = 1;
	pthread_cond_signal(&b->wake);
	pthread_mutex_unlock(&b->lock);
}

static void
document_begin(struct snap *s, cJSON *source)
{
	s->root = cJSON_CreateObject();
	cJSON_AddStringToObject(s->root, "kind", "snapshot");
	cJSON_AddNumberToObject(s->root, "version", 1);
	cJSON_AddItemToObject(s->root, "source", source);
	s->schemas = obj_add_array(s->root, "schemas");
	s->extensions = obj_add_array(s->root, "extensions");
	s->types = obj_add_array(s->root, "types");
	s->sequences = obj_add_array(s->root, "sequences");
	s->tables = obj_add_array(s->root, "tables");
	if (s->opts->stats)
		s->index_stats = obj_add_array(s->root, "index_stats");
	else
		obj_add(s->root, "index_stats", cJSON_CreateNull());
	s->views = obj_add_array(s->root, "views");
	s->functions = obj_add_array(s->root, "functions");
	obj_add(s->root, "query_stats", cJSON_CreateNull());
}

static cJSON *
take_once(const struct snap_opts *opts, int *raced)
{
	struct snap s = { .opts = opts };
	struct builder b = { .s = &s };
	struct pool_hooks hooks = { query_done, &b };
	pthread_t builder;
	struct pool_query *q;
	struct buf sql = BUF_INIT;
	PGconn **conns = xcalloc(opts->jobs, sizeof(*conns));
	PGresult *info;
	cJSON *source;
	char *snapshot_id;
	double t0 = now_seconds();
	time_t taken = time(NULL);
	size_t i, nq = 0;
	int nconns, k;

	nconns = connect_leader(opts, conns, &snapshot_id);
	s.version = db_server_version(conns[0]);
	if (s.version < 120000)
		errx(EX_UNAVAILABLE, "server version %d is not supported "
		    "(PostgreSQL 12 or later is)", s.version);
	filter_build(&s);
	info = db_query(conns[0], "reading the server version",
	    "SELECT current_database(), current_setting('server_version')",
	    0, NULL);
	source = source_build(&s, conns[0], info, taken);
	PQclear(info);
	document_begin(&s, source);

	connect_workers(opts, conns, nconns, snapshot_id);
	free(snapshot_id);
	/*
	 * A split part has a query per connection, on that connection, written
	 * once the leader's first query has divided the tables; the other
	 * connections begin with the parts that are not split.
	 */
	q = xcalloc(NPARTS * nconns + 1, sizeof(*q));
	if (nconns > 1) {
		slice_bounds_sql(&sql, nconns);
		q[nq++] = (struct pool_query){ .purpose = "dividing the tables",
		    .sql = buf_detach(&sql, NULL), .conn = 0,
		    .tag = &bounds_tag };
	}
	b.q = q;
	b.nconns = nconns;
	for (i = 0; i < NPARTS; i++) {
		for (k = 0; k < (parts[i]->split ? nconns : 1); k++) {
			q[nq] = (struct pool_query){ .purpose =
			    parts[i]->purpose, .tag = parts[i], .slice = k,
			    .conn = parts[i]->split && nconns > 1 ? k : -1 };
			if (parts[i]->split && nconns > 1)
				q[nq].wait = 1;
			else
				write_query(&b, &q[nq]);
			nq++;
		}
	}
	b.nq = nq;
	progress("running %zu catalog queries on %d connection%s", nq,
	    nconns, nconns == 1 ? "" : "s");
	b.ready = xcalloc(nq, 1);
	pthread_mutex_init(&b.lock, NULL);
	pthread_cond_init(&b.wake, NULL);
	if ((errno = pthread_create(&builder, NULL, build_all, &b)) != 0)
		err(EX_OSERR, "pthread_create");
	pool_run(conns, nconns, q, nq, &hooks);
	pthread_join(builder, NULL);
	pthread_cond_destroy(&b.wake);
	pthread_mutex_destroy(&b.lock);
	free(b.ready);
	for (i = 0; i < nq; i++)
		free((char *)q[i].sql);
	if (opts->stats)
		obj_replace(s.root, cJSON_GetObjectItemCaseSensitive(s.root,
		    "query_stats"), "query_stats", querystats_read(conns[0]));
	/* The workers' snapshots end; the leader's serves follow-ups. */
	for (i = 1; i < (size_t)nconns; i++)
		db_commit(conns[i]);
	s.conn = conns[0];

	indexes_finish(&s);
	constraints_finish(&s);
	db_commit(conns[0]);
	if (opts->stats && opts->sequence_values)
		sequence_values_read(&s, conns, nconns);
	for (k = 0; k < nconns; k++)
		db_finish(conns[k]);
	free(conns);
	for (i = 0; i < nq; i++)
		PQclear(q[i].res);
	free(q);
	cJSON_AddNumberToObject(source, "snapshot_seconds",
	    round((now_seconds() - t0) * 1000) / 1000);

	typenames_free(&s);
	for (i = 0; i < s.ncolmem; i++)
		free(s.colmem[i]);
	free(s.colmem);
	for (k = 0; s.bounds != NULL && k <= nconns; k++)
		free(s.bounds[k]);
	free(s.bounds);
	free(s.rels);
	free(s.seq_oids);
	free(s.ns_filter);
	free(s.pattern_filter);
	*raced = s.raced || s.raced_types;
	return s.root;
}

cJSON *
snapshot_take(const struct snap_opts *opts)
{
	cJSON *doc;
	int raced;

	for (int attempt = 0; attempt < 2; attempt++) {
		doc = take_once(opts, &raced);
		if (!raced)
			return doc;
		cJSON_Delete(doc);
		note("an object changed while the catalog was read; "
		    "reading it again");
	}
	errx(EX_TEMPFAIL, "objects kept changing while the catalog was "
	    "read; try again later");
}
