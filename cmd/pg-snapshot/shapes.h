/*
 * shapes: deparse each distinct expression once.
 *
 * pg_get_constraintdef() of a CHECK constraint and pg_get_indexdef() of an
 * index with expressions or a predicate open the table to name its
 * columns, which builds the table's relation cache entry: about 100
 * microseconds a table, over a second on a 10,000-table schema where
 * every table has a CHECK.  Yet such schemas repeat themselves: the same
 * `CHECK (amount >= 0)` or `lower(email)` index on table after table.
 *
 * Two objects deparse to the same text after their own names when their
 * stored expression trees are the same once the trees' ":location N"
 * fields (positions in the CREATE statement's text, never printed) are
 * removed, when the columns the trees refer to by number have the same
 * names, and when everything else the deparser prints (flags, options,
 * the types and collations of key columns) is the same.  The caller puts
 * all that in a key; objects of one key form a group, and the server
 * deparses only the first object of each group.  Every member's text is
 * then its own prefix (e.g. "CREATE INDEX t2_idx ON s.t2") followed by
 * what comes after the first object's prefix in the first object's text.
 * Where that text does not start with its prefix as expected, every
 * member of the group is deparsed by the server after all.
 */
#ifndef SHAPES_H
#define SHAPES_H

#include <stddef.h>
#include <libpq-fe.h>

#include "buf.h"

struct shapes;

/* Called with each object's text, or NULL when the object went away. */
typedef void (*shape_done)(void *arg, void *obj, const char *text);

/* `func` is the deparse function: "pg_get_indexdef" for example. */
struct shapes *shapes_new(const char *func);

/*
 * Ask for the text of the object of OID `oid`.  `key` (NULL: deparse it
 * alone) is the group key; `prefix` is the part of its text that is its
 * own (copied); `obj` is handed back to done().
 */
void	 shapes_add(struct shapes *sh, const struct buf *key, unsigned oid,
	    const char *prefix, void *obj);

/* Deparse on `conn`, call done() for every object, free `sh`. */
void	 shapes_run(struct shapes *sh, PGconn *conn, const char *purpose,
	    shape_done done, void *arg);

/*
 * Append a stored expression tree (pg_node_tree text) to a key, without
 * its ":location N" fields, and collect the attribute numbers of its
 * Vars into `attnos` (at most `max`; *n counts them).  Returns 0 when the
 * tree refers to something other than plain columns of its one table
 * (a whole-row or system column, another range table entry or query
 * level), or to more than `max` columns: then the object must be
 * deparsed alone.
 */
int	 shape_tree(struct buf *key, const char *tree, int *attnos, int *n,
	    int max);

#endif
