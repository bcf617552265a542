/*
 * diff.h: what the files of schema-diff share.
 *
 * A diff is computed in one direction at a time: `from` is the current
 * state, `to` the desired one.  The forward diff runs prod -> staging; the
 * rollback SQL of each change is the forward SQL of the matching change in
 * the reverse diff (staging -> prod), so both scripts come from the same
 * code and the same dependency ordering.
 *
 * Every SQL statement carries a phase (enum phase) that places it in the
 * script: before BEGIN, inside the transaction, or after COMMIT.  A change's
 * statements are kept in phase order and changes are sorted by the phase of
 * their first statement, then by rank, then by id.
 *
 * Changes own their strings, attribute arrays and statements; `before` and
 * `after` are lent from the snapshot documents, which outlive the changes.
 */
#ifndef SCHEMA_DIFF_DIFF_H
#define SCHEMA_DIFF_DIFF_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "buf.h"

enum op { OP_ADD, OP_DROP, OP_ALTER, OP_RENAME };

enum phase {
	PH_PRE_ENUM = 0,	/* ALTER TYPE ... ADD VALUE, before BEGIN */
	PH_PRE_DROP_INDEX,	/* DROP INDEX CONCURRENTLY, before BEGIN */
	PH_TX_FIRST = 10,
	PH_RENAME_TABLE = PH_TX_FIRST,
	PH_RENAME_COLUMN,
	PH_DROP_VIEW,
	PH_DROP_TRIGGER,
	PH_DROP_POLICY,
	PH_DROP_FK,
	PH_DROP_CONSTRAINT,
	PH_DROP_INDEX,
	PH_DETACH,
	PH_CREATE_SCHEMA,
	PH_CREATE_EXTENSION,
	PH_TYPE,
	PH_SEQUENCE,
	PH_REPLACE_FUNCTION,
	PH_FUNCTION,
	PH_CREATE_TABLE,
	PH_ALTER_TABLE,
	PH_DROP_COLUMN,
	PH_COLUMN,
	PH_ATTACH,
	PH_SEQUENCE_OWNED,
	PH_ADD_CONSTRAINT,
	PH_ADD_FK,
	PH_CREATE_INDEX,
	PH_CREATE_VIEW,
	PH_CREATE_TRIGGER,
	PH_CREATE_POLICY,
	PH_RLS,
	PH_DROP_TABLE,
	PH_DROP_SEQUENCE,
	PH_DROP_FUNCTION,
	PH_DROP_TYPE,
	PH_DROP_EXTENSION,
	PH_DROP_SCHEMA,
	PH_GRANT,
	PH_COMMENT,
	PH_TX_LAST = PH_COMMENT,
	PH_POST_INDEX = 60,	/* CREATE INDEX CONCURRENTLY, after COMMIT */
	PH_POST_VALIDATE,	/* VALIDATE CONSTRAINT, own transaction */
	PH_POST_NOT_NULL	/* SET NOT NULL proven by a validated CHECK */
};

struct stmt {
	char	*sql;		/* statement with ';', or comment */
	int	 phase;		/* enum phase */
	int	 rank;		/* order in the phase */
};

struct change {
	char		*kind;		/* object_kind */
	char		*object;
	char		*table;		/* NULL unless in a table */
	enum op		 op;
	char		*renamed_from;	/* NULL unless OP_RENAME */
	const cJSON	*before;	/* lent; NULL for add */
	const cJSON	*after;		/* lent; NULL for drop */
	cJSON		*attrs;		/* {name, before, after}s */
	struct stmt	*sql;
	size_t		 nsql, asql;
	int		 rank;		/* order within a phase */
	int		 restores_data;	/* rollback keeps data */
	struct change	*reverse;	/* lent: its rollback */
	cJSON		*evidence;	/* NULL until evidence_add() */
};

struct changes {
	struct change	**v;
	size_t		  n, alloc;
};

/* A sorted view of a snapshot array of objects, searched by "name". */
struct objidx {
	const cJSON	**v;
	size_t		  n;
};

/* One direction of comparison. */
struct ctx {
	const cJSON	*from;		/* snapshot we start from */
	const cJSON	*to;		/* snapshot we want */
	int		 reverse;	/* 1 for the rollback side */
	struct objidx	 from_tables, to_tables;
	struct objidx	 from_views, to_views;
	struct objidx	 from_types, to_types;
	struct changes	*out;
	/* tables renamed in this direction: from-name -> to-name */
	char		**ren_from, **ren_to;
	size_t		  nren;
	/* columns renamed in this direction, by to-side table name */
	char		**cren_table, **cren_from, **cren_to;
	size_t		  ncren;
	cJSON		 *scratch;	/* objects made up for comparison */
};

/* change.c */
struct change	*change_new(const char *kind, const char *object,
		    const char *table, enum op op, const cJSON *before,
		    const cJSON *after);
void		 change_free(struct change *c);
/* The id: object_kind ":" object ":" op.  Caller frees. */
char		*change_id(const struct change *c);
const char	*op_name(enum op op);
/* Append a statement in phase `phase`, printf-style. */
void		 change_sql(struct change *c, int phase, int rank,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Append a statement already built; takes `sql`. */
void		 change_sql_take(struct change *c, int phase, int rank,
		    char *sql);
/* Add an attribute {name, before, after}; the values are copied. */
void		 change_attr(struct change *c, const char *name,
		    const cJSON *before, const cJSON *after);
/*
 * Compare member `member` of `a` and `b` (absent = null) and record it as
 * attribute `name` when it differs.  Returns 1 when it differs.
 */
int		 change_cmp(struct change *c, const char *name,
		    const cJSON *a, const cJSON *b, const char *member);
int		 change_has_attr(const struct change *c, const char *name);
/* Add `c` to the list when it has attributes, else free it. */
void		 changes_add_if(struct changes *l, struct change *c);
void		 changes_add(struct changes *l, struct change *c);
void		 changes_release(struct changes *l);
/* The change as a JSON object of the diff document (evidence taken). */
cJSON		*change_json(struct change *c);
int		 phase_first(const struct change *c);

/* match.c */
void		 objidx_build(struct objidx *x, const cJSON *arr);
void		 objidx_release(struct objidx *x);
const cJSON	*objidx_find(const struct objidx *x, const char *name);
const cJSON	*find_named(const cJSON *arr, const char *name);
/* The same by the unquoted name, whichever form the array holds. */
const cJSON	*find_bare(const cJSON *arr, const char *bare);
/* Call fn(ctx, a, b, arg) for every name in either array, in name order. */
void		 pair_by_name(struct ctx *x, const cJSON *a, const cJSON *b,
		    void (*fn)(struct ctx *, const cJSON *, const cJSON *,
		    void *), void *arg);
int		 json_equal(const cJSON *a, const cJSON *b);
const cJSON	*member(const cJSON *obj, const char *name);
/*
 * Names inside a table (columns, constraints, triggers, policies) and of
 * extensions come as quote_ident prints them; unq() gives the name itself
 * and sql_bare() quotes it again, so either form in a snapshot works.
 * Callers free what they return.
 */
char		*unq(const char *name);
char		*sql_bare(const char *name);
void		 sql_add_bare(struct buf *b, const char *name);
/* "a.b.c" from a qualified name and a bare one.  Caller frees. */
char		*name_join(const char *qname, const char *bare);
/* Requote a qualified document name through sqlquote.  Caller frees. */
char		*sql_name(const char *qname);
/* The schema part of a qualified name, unquoted.  Caller frees. */
char		*name_schema(const char *qname);
/* The last part of a qualified name, unquoted.  Caller frees. */
char		*name_last(const char *qname);
/* Replace whole-word `old` by `new` in `s`; caller frees the result. */
char		*subst_word(const char *s, const char *old,
		    const char *new);
/* The name a from-side table has on the to side (renames). */
const char	*ctx_renamed(const struct ctx *x, const char *from_name);
void		 ctx_add_rename(char ***from, char ***to, size_t *n,
		    const char *a, const char *b);
/*
 * A from-side definition as it reads after this diff's renames: renamed
 * tables everywhere, renamed columns of `table` (a to-side name, or
 * NULL).  PostgreSQL rewrites stored definitions on rename, so comparing
 * the rewritten text avoids reporting them as changed.  Caller frees.
 */
char		*norm_def(const struct ctx *x, const char *table,
		    const char *def);
void		 ctx_release(struct ctx *x);

/* meta.c: owner, comment and grants, shared by every kind */
void		 meta_alter(struct ctx *x, struct change *c,
		    const char *sqlkind, const char *sqlname,
		    const char *kind, const char *name,
		    const cJSON *a, const cJSON *b);
/* Only the comment: an attribute of `c`, or a change of its own. */
void		 meta_comment(struct ctx *x, struct change *c,
		    const char *sqlkind, const char *sqlname,
		    const char *kind, const char *name,
		    const cJSON *a, const cJSON *b);
void		 meta_create(struct change *c, const char *sqlkind,
		    const char *sqlname, const cJSON *obj);
void		 meta_grants(struct ctx *x, const char *sqlkind,
		    const char *sqlname, const char *kind, const char *name,
		    const char *table, const cJSON *a, const cJSON *b);
/* COMMENT ON sqlkind sqlname IS ...; (NULL comment gives IS NULL) */
char		*sql_comment(const char *sqlkind, const char *sqlname,
		    const char *comment);
void		 sql_add_grant(struct buf *b, const char *sqlkind,
		    const char *sqlname, const cJSON *grant);
void		 sql_add_role(struct buf *b, const char *role);

/* the object kinds, one file each */
void		 diff_schemas(struct ctx *x);
void		 diff_extensions(struct ctx *x);
void		 diff_types(struct ctx *x);
void		 diff_sequences(struct ctx *x);
void		 diff_tables(struct ctx *x);
void		 table_create_sql(struct ctx *x, struct change *c,
		    const cJSON *t);
void		 diff_columns(struct ctx *x, const cJSON *ta,
		    const cJSON *tb);
void		 column_def(struct buf *b, const cJSON *col);
/*
 * " COLLATE coll" (nothing for NULL): a name already quoted or qualified
 * by the snapshot goes as it is, a bare one through sqlquote.
 */
void		 sql_add_collate(struct buf *b, const char *coll);
void		 diff_constraints(struct ctx *x, const cJSON *ta,
		    const cJSON *tb);
void		 constraint_add_sql(struct change *c, const char *table,
		    const cJSON *con, int new_table);
void		 diff_indexes(struct ctx *x, const cJSON *ta,
		    const cJSON *tb);
/* mode: 0 new table, 1 CONCURRENTLY, 2 in the transaction, 3 new view */
void		 index_create_sql(struct change *c, const cJSON *idx,
		    int mode);
void		 diff_views(struct ctx *x);
/* Drop and recreate views that read `obj` (a column or a view). */
void		 view_rebuild_dependents(struct ctx *x, struct change *c,
		    const char *obj);
void		 diff_functions(struct ctx *x);
void		 diff_triggers(struct ctx *x, const cJSON *ta,
		    const cJSON *tb);
void		 trigger_create_sql(struct change *c, const char *table,
		    const cJSON *trg);
void		 diff_policies(struct ctx *x, const cJSON *ta,
		    const cJSON *tb);
void		 policy_create_sql(struct change *c, const char *table,
		    const cJSON *pol);

/* order.c */
void		 changes_sort(struct changes *l);
/* Depth of a view in the view dependency graph of one snapshot. */
int		 view_depth(const struct objidx *views, const cJSON *view);

/* evidence.c: prod indexed once, then evidence per change */
struct evidx;
struct evidx	*evidence_index(const cJSON *prod);
void		 evidence_add(struct change *c, const struct evidx *e);
void		 evidence_free(struct evidx *e);

/* script.c: the forward script of a list of changes; caller frees */
char		*script_build(const struct changes *l);

/* filter.c */
struct filter {
	const char	**incl, **excl, **ignore;
	size_t		  nincl, nexcl, nignore;
};
int		 filter_keep(const struct filter *f, const struct change *c);

/* fingerprint.c: "sha256:<hex>" of the sorted ids and attributes */
char		*fingerprint(const struct changes *l);

/* diff.c */
cJSON		*diff_snapshots(const cJSON *prod, const cJSON *staging,
		    const struct filter *f, const char *pair, size_t *nchanges);

#endif
