/*
 * snapshot: what the parts of pg-snapshot share.
 *
 * A snapshot is taken in two phases.  First every catalog query (one per
 * object kind, see the `parts` table in snapshot.c) runs inside one
 * REPEATABLE READ READ ONLY transaction, spread over one or more
 * connections that share an exported snapshot; the results are kept and
 * the transaction ends.  Then each part's build function turns its result
 * into JSON, in an order where parents (tables, views) exist before their
 * children (columns, indexes) are attached by OID.
 *
 * Every name a query returns is already quoted by the server (quote_ident,
 * format('%I.%I')), so names in the document are exactly as PostgreSQL
 * writes them; role names (owners, grantees, policy roles) are plain.
 */
#ifndef SNAPSHOT_H
#define SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>
#include <libpq-fe.h>
#include <cjson/cJSON.h>

#include "buf.h"

struct snap_opts {
	const char	*conninfo;	/* NULL: the PG* environment */
	const char	*label;
	char		**include;	/* -n patterns, NULL-terminated */
	char		**exclude;	/* -N patterns, NULL-terminated */
	int		 stats;		/* 0 with --no-stats */
	int		 sequence_values; /* --sequence-values */
	int		 jobs;		/* connections, >= 1 */
	int		 statement_timeout_ms;
	int		 lock_timeout_ms;
};

/*
 * A table's column as constraints and indexes look it up, kept after the
 * columns result is freed (that result, 26 MB on the bench schema, would
 * otherwise stay to the end only for these few fields).
 */
struct relcol {
	int		 attnum;
	unsigned	 typid, coll;
	const char	*name;		/* quoted */
};

/*
 * A relation found by OID: every table of the user schemas (also those
 * -n/-N or extension ownership leave out, whose names and columns are
 * still needed for foreign keys that reference them) and every view.
 */
struct rel {
	unsigned	 oid;
	cJSON		*obj;		/* NULL: not in the document */
	const char	*name;		/* qualified; lent by its result */
	char		 relkind;
	unsigned	 parent;	/* partition parent's OID, or 0 */
	const struct relcol *cols;	/* by attnum; NULL when not read */
	int		 ncols;
	/* columns is NULL again once columns_build() has written it whole */
	cJSON		*columns, *constraints, *indexes, *triggers, *policies;
	cJSON		*depends_on;	/* views only */
	int		 has_stats;
	int64_t		 st_rows, st_bytes, st_seq, st_idx, st_live;
	const char	*st_analyzed;	/* lent by the tables result */
};

struct snap {
	const struct snap_opts *opts;
	int		 version;	/* server_version_num */
	char		*ns_filter;	/* predicate on pg_namespace alias n */
	char		*pattern_filter; /* only the -n/-N part, or "true" */
	cJSON		*root;
	cJSON		*schemas, *extensions, *types, *sequences, *tables;
	cJSON		*index_stats, *views, *functions;
	struct rel	*rels;
	size_t		 nrels, relalloc;
	int		 rels_sorted;
	int		 raced;		/* a deparse gave NULL: retry */
	int		 raced_types;	/* the same, seen by typenames.c */
	PGconn		*conn;		/* the leader, for follow-up queries */
	int		 slice, nslices; /* see slice_filter() */
	char		**bounds;	/* nslices + 1 OIDs, or NULL */
	const PGresult	*opclasses;	/* see indexes.c */
	const PGresult	*index_trees;	/* partitioned indexes' evidence */
	const PGresult	*sequence_owners; /* see sequences.c */
	unsigned	*seq_oids;	/* the sequences' OIDs, in order */
	size_t		 nseqs;
	const PGresult	*column_comments, *collations; /* see tables.c */
	void		**colmem;	/* what the relcols live in */
	size_t		 ncolmem;
	struct typenames *typenames;
	struct shapes	*index_shapes;	/* definitions the server writes */
	struct shapes	*check_shapes;
};

/*
 * Take the snapshot; the caller owns the returned document and frees it
 * with cJSON_Delete().  Exits with the pipeline's status on any failure.
 */
cJSON	*snapshot_take(const struct snap_opts *opts);

/*
 * One object kind: how to query it and how to turn rows into JSON.  A
 * part that is `split` reads its tables in s->nslices slices, one per
 * connection, and its sql() is called once for each s->slice; build() is
 * then called with each slice's result in turn.  A result is freed as
 * soon as it is built unless the part says to `keep` it, so that its
 * memory serves the rest of the document.
 */
struct part {
	const char	*purpose;	/* "reading columns", for messages */
	int		 split;
	int		 keep;		/* later parts read its rows */
	void		(*sql)(const struct snap *s, struct buf *sql);
	void		(*build)(struct snap *s, const PGresult *res);
	/*
	 * A part without build() only keeps its (single) result for later
	 * parts to look up, at this offset in struct snap.
	 */
	size_t		 keep_at;
	const char	*text;		/* the query itself, when sql is NULL */
	/*
	 * Read through indexes only (enable_seqscan off for this query).
	 * A slice covers about 1/nslices of a large catalog, which the
	 * planner would rather scan whole; but a backend's first touch of
	 * each shared buffer page costs more than the row's work, so a
	 * range read through the index, touching only the slice's pages,
	 * is the cheaper one.
	 */
	int		 by_index;
};

extern const struct part part_schemas, part_extensions, part_types,
	part_sequences, part_tables, part_views, part_columns,
	part_constraints, part_opclasses, part_indexes, part_triggers,
	part_policies, part_view_deps, part_functions, part_index_trees,
	part_sequence_owners, part_column_comments,
	part_collations;

/* The columns of the columns query (tables.c), which rel.c reads too. */
enum {
	COL_REL, COL_NAME, COL_NUM, COL_TYPMOD, COL_NULLABLE, COL_DEFAULT,
	COL_IDENTITY, COL_GENERATED, COL_TYPID, COL_COLL
};

/*
 * typenames.c: format_type() of every (type, typmod) pair of a columns
 * result not asked before, in one query on `conn`; then the name (NULL
 * when unknown) and the type's collation of a pair.  Fetching happens on
 * the querying thread, before the builder thread reads the pairs.
 */
void	 typenames_fetch(struct snap *s, PGconn *conn, const PGresult *cols);
const char *typenames_get(const struct snap *s, unsigned typid, int typmod,
	    unsigned *collation);
void	 typenames_free(struct snap *s);

/*
 * After every part is built, while the transaction is still open: the
 * definitions left to the server, deparsed once per shape (shapes.h).
 */
void	 indexes_finish(struct snap *s);
void	 constraints_finish(struct snap *s);
/*
 * After the snapshots' transactions: --sequence-values (sequences.c), on
 * every connection at once.
 */
void	 sequence_values_read(struct snap *s, PGconn **conns, int nconns);

/* stats.c: partitioned tables' evidence, summed from their leaves. */
void	 stats_finish(struct snap *s);

/* pg_stat_statements, read on the leader inside a savepoint. */
cJSON	*querystats_read(PGconn *conn);

/* rel.c: the OID map of relations. */
struct rel *rel_add(struct snap *s, unsigned oid, cJSON *obj);
/* The relation, or NULL when there is none of that OID. */
struct rel *rel_find(struct snap *s, unsigned oid);
/* The quoted name of column `attnum`, or NULL when not known. */
const char *rel_attname(const struct rel *r, int attnum);
/* Its index in r->cols, or -1. */
int	 rel_attrow(const struct rel *r, int attnum);

/* filter.c: -n/-N patterns as SQL predicates. */
void	 filter_build(struct snap *s);
/*
 * " AND oid >= lo AND oid < hi" on the SQL expression `oid`, or "" when
 * there is one slice; the string is static, valid until the next call.
 * Slices are ranges of OIDs, split where slice_bounds() found equal
 * numbers of tables: rows of the catalogs lie mostly in the order
 * their objects were made, so each connection reads its own pages
 * (reading a page first costs a backend more than the row's work).
 * slice_filter() bounds the first and last slices by the lowest and
 * highest table OIDs, so that the rows of objects made after the last
 * table (indexes and views added later) are not scanned for tables;
 * slice_filter_open() leaves them open, for the parts that read such
 * objects (views, and indexes of materialized views).  Without bounds,
 * slices are OIDs modulo nslices.
 */
const char *slice_filter(const struct snap *s, const char *oid);
const char *slice_filter_open(const struct snap *s, const char *oid);
void	 slice_bounds_sql(struct buf *sql, int nslices);
void	 slice_bounds_read(struct snap *s, const PGresult *r, int nslices);

/*
 * row.c: add a result cell to an object under a constant key (the key is
 * not copied, so it must be a string literal).  NULL becomes JSON null.
 */
void	 row_str(cJSON *o, const char *key, const PGresult *r, int row,
	    int col);
void	 row_int(cJSON *o, const char *key, const PGresult *r, int row,
	    int col);
void	 row_num(cJSON *o, const char *key, const PGresult *r, int row,
	    int col);
void	 row_bool(cJSON *o, const char *key, const PGresult *r, int row,
	    int col);
/* A JSON text cell parsed; SQL NULL gives an empty array. */
void	 row_json(cJSON *o, const char *key, const PGresult *r, int row,
	    int col);
cJSON	*row_json_item(const PGresult *r, int row, int col);
/* Add an item under a constant key. */
void	 obj_add(cJSON *o, const char *key, cJSON *item);
/* Put `item` in place of member `old` of `o`, under the constant `key`. */
void	 obj_replace(cJSON *o, cJSON *old, const char *key, cJSON *item);
cJSON	*obj_add_array(cJSON *o, const char *key);
/* A definition that must not be NULL: NULL means a concurrent change. */
void	 row_def(struct snap *s, cJSON *o, const char *key,
	    const PGresult *r, int row, int col);
unsigned row_oid(const PGresult *r, int row, int col);
/* The row of a result ordered by the OID in its first column, or -1. */
int	 row_by_oid(const PGresult *r, unsigned oid);

/*
 * An object written as JSON text into `b` (empty to start) and returned
 * by raw_finish() as one raw item, which leaves `b` empty again.  raw_int
 * takes an integer column, whose text is already JSON.
 */
void	 raw_str(struct buf *b, const char *key, const PGresult *r, int row,
	    int col);
void	 raw_int(struct buf *b, const char *key, const PGresult *r, int row,
	    int col);
void	 raw_bool(struct buf *b, const char *key, const PGresult *r, int row,
	    int col);
cJSON	*raw_finish(struct buf *b);
/* Just the key, for a value written by the caller. */
void	 raw_key(struct buf *b, const char *key);

/*
 * SQL fragments every part uses.  NOT_EXT(catalog, oid) keeps objects no
 * extension owns; only top-level members carry the 'e' dependency, so
 * children are filtered through their parent.  It is written as NOT IN
 * over the extensions' dependencies (found through the index on
 * refclassid) so that the server hashes that small set once instead of
 * probing pg_depend for every object.  GRANTS(acl, owner) is the
 * JSON array of explicit grants other than the owner's own, NULL (read as
 * []) for the default ACL.  C_ORDER sorts names bytewise, as strcmp does.
 */
#define NOT_EXT(cat, oid) \
	oid " NOT IN (SELECT x.objid FROM pg_depend x WHERE x.refclassid =" \
	" 'pg_extension'::regclass AND x.deptype = 'e' AND x.classid = '" \
	cat "'::regclass)"
#define GRANTS(acl, owner) \
	"CASE WHEN " acl " IS NOT NULL THEN (SELECT json_agg(" \
	"json_build_object(" \
	"'grantee', g.grantee, 'privileges', g.privileges, 'grantable', " \
	"g.grantable) ORDER BY g.grantee COLLATE \"C\") FROM (SELECT " \
	"CASE WHEN a.grantee = 0 THEN 'public' ELSE " \
	"pg_get_userbyid(a.grantee) END AS grantee, array_agg(" \
	"a.privilege_type ORDER BY a.privilege_type COLLATE \"C\") AS " \
	"privileges, bool_and(a.is_grantable) AS grantable FROM aclexplode(" \
	acl ") a WHERE a.grantee <> " owner " GROUP BY 1) g) END"
#define DESCR(cat, oid, sub) \
	"(SELECT d.description FROM pg_description d WHERE d.classoid = '" \
	cat "'::regclass AND d.objoid = " oid " AND d.objsubid = " sub ")"
#define C_ORDER " COLLATE \"C\""

#endif
