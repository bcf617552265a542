/*
 * constraints: primary keys, unique, foreign key, check and exclusion
 * constraints of the tables, in one query.  Constraints a partition
 * inherits (conparentid <> 0, or not conislocal) are reported on the
 * parent only.  NOT NULL constraint rows (contype 'n', PG18) are left to
 * the columns' `nullable`.
 *
 * Column lists are named here from the columns already read rather than
 * by a subquery per constraint, and the definitions of primary key,
 * unique and foreign key constraints are written here exactly as
 * pg_get_constraintdef() writes them ("PRIMARY KEY (a, b) INCLUDE (c)
 * DEFERRABLE", "FOREIGN KEY (a) REFERENCES s.t(id) ON DELETE CASCADE"):
 * the server spent 50 microseconds on each foreign key.  CHECK
 * constraints are deparsed by the server once per shape (shapes.h), and
 * exclusion constraints, which are index definitions, one by one.  On
 * PostgreSQL 18, whose foreign keys may have PERIOD and constraints may
 * be NOT ENFORCED, the server writes every foreign key too.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "shapes.h"
#include "snapshot.h"
#include "xalloc.h"

#define MAX_VARS 64

static void
constraints_sql(const struct snap *s, struct buf *sql)
{
	int v18 = s->version >= 180000;

	buf_addf(sql,
	    "SELECT con.conrelid, quote_ident(con.conname), con.contype,"
	    " CASE WHEN con.contype = 'x'%s THEN"
	    "  pg_get_constraintdef(con.oid) END,"
	    " con.convalidated, con.condeferrable, con.condeferred,"
	    " con.conkey::text, con.confrelid, con.confkey::text,"
	    " d.description, x.indnkeyatts, x.indkey::text, %s,"
	    " CASE WHEN con.contype = 'c' THEN con.conbin::text END,"
	    " con.connoinherit, con.confmatchtype, con.confupdtype,"
	    " con.confdeltype, %s, con.oid, %s"
	    " FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid"
	    " JOIN pg_namespace n ON n.oid = c.relnamespace"
	    " LEFT JOIN pg_index x ON x.indexrelid = con.conindid"
	    "  AND con.contype IN ('p', 'u')"
	    " LEFT JOIN pg_description d ON d.objoid = con.oid"
	    "  AND d.classoid = 'pg_constraint'::regclass"
	    " WHERE con.contype IN ('p', 'u', 'f', 'c', 'x')"
	    " AND con.conparentid = 0 AND con.conislocal AND %s%s"
	    " ORDER BY quote_ident(con.conname)" C_ORDER,
	    v18 ? " OR con.contype = 'f'" : "",
	    s->version >= 150000 ? "x.indnullsnotdistinct" : "false",
	    s->version >= 150000 ? "con.confdelsetcols::text" : "NULL::text",
	    v18 ? "con.conenforced" : "true",
	    s->ns_filter, slice_filter(s, "con.conrelid"));
}

static const char *
contype_name(char t)
{
	switch (t) {
	case 'p': return "primary_key";
	case 'u': return "unique";
	case 'f': return "foreign_key";
	case 'c': return "check";
	default:  return "exclusion";
	}
}

/*
 * Name the columns of an array of attnums as PostgreSQL prints it
 * ("{1,3}" for a smallint[], "1 3" for an int2vector), from position
 * `from` on.  Returns 0 when a column is unknown.
 */
static int
name_columns(const struct rel *rel, const char *nums, int from, cJSON *arr,
    struct buf *list)
{
	const char *p = nums, *name;
	char *end;
	int pos = 0;
	long n;

	while (p != NULL && *p != '\0') {
		if (*p == '{' || *p == '}' || *p == ',' || *p == ' ') {
			p++;
			continue;
		}
		n = strtol(p, &end, 10);
		if (end == p)
			return 0;
		p = end;
		if (pos++ < from)
			continue;
		if ((name = rel_attname(rel, (int)n)) == NULL)
			return 0;
		if (arr != NULL)
			cJSON_AddItemToArray(arr, cJSON_CreateString(name));
		if (list != NULL) {
			if (list->len > 0 && list->data[list->len - 1] != '(')
				buf_addstr(list, ", ");
			buf_addstr(list, name);
		}
	}
	return 1;
}

/* pg_get_constraintdef() of a primary key or unique constraint. */
static void
key_definition(struct snap *s, cJSON *o, const struct rel *rel,
    const PGresult *r, int i)
{
	struct buf def = BUF_INIT;
	int nkey = (int)db_get_int64(r, i, 11, 0);
	const char *indkey = db_get_str(r, i, 12);

	buf_addstr(&def, PQgetvalue(r, i, 2)[0] == 'p' ? "PRIMARY KEY " :
	    "UNIQUE ");
	if (db_get_bool(r, i, 13))
		buf_addstr(&def, "NULLS NOT DISTINCT ");
	buf_addch(&def, '(');
	if (indkey == NULL ||
	    !name_columns(rel, PQgetvalue(r, i, 7), 0, NULL, &def)) {
		s->raced = 1;	/* the index went away meanwhile */
		obj_add(o, "definition", cJSON_CreateNull());
		buf_release(&def);
		return;
	}
	buf_addch(&def, ')');
	if (strchr(indkey, ' ') != NULL) {
		size_t mark = def.len;

		buf_addstr(&def, " INCLUDE (");
		if (!name_columns(rel, indkey, nkey, NULL, &def))
			s->raced = 1;
		if (def.data[def.len - 1] == '(')
			buf_setlen(&def, mark);		/* no INCLUDE columns */
		else
			buf_addch(&def, ')');
	}
	if (db_get_bool(r, i, 5))
		buf_addstr(&def, " DEFERRABLE");
	if (db_get_bool(r, i, 6))
		buf_addstr(&def, " INITIALLY DEFERRED");
	obj_add(o, "definition", cJSON_CreateString(def.data));
	buf_release(&def);
}

static const char *
fk_action(char a)
{
	switch (a) {
	case 'r': return " %s RESTRICT";
	case 'c': return " %s CASCADE";
	case 'n': return " %s SET NULL";
	case 'd': return " %s SET DEFAULT";
	default:  return NULL;		/* 'a', NO ACTION: not printed */
	}
}

/* pg_get_constraintdef() of a foreign key (PostgreSQL 12 to 17). */
static void
fk_definition(struct snap *s, cJSON *o, const struct rel *rel,
    const struct rel *ref, const PGresult *r, int i)
{
	struct buf def = BUF_INIT;
	const char *action;
	int ok;

	buf_addstr(&def, "FOREIGN KEY (");
	ok = name_columns(rel, PQgetvalue(r, i, 7), 0, NULL, &def);
	buf_addf(&def, ") REFERENCES %s(", ref ? ref->name : "");
	ok = ok && ref != NULL &&
	    name_columns(ref, PQgetvalue(r, i, 9), 0, NULL, &def);
	buf_addch(&def, ')');
	switch (PQgetvalue(r, i, 16)[0]) {
	case 'f': buf_addstr(&def, " MATCH FULL"); break;
	case 'p': buf_addstr(&def, " MATCH PARTIAL"); break;
	}
	if ((action = fk_action(PQgetvalue(r, i, 17)[0])) != NULL)
		buf_addf(&def, action, "ON UPDATE");
	if ((action = fk_action(PQgetvalue(r, i, 18)[0])) != NULL)
		buf_addf(&def, action, "ON DELETE");
	if (!db_is_null(r, i, 19)) {
		buf_addstr(&def, " (");
		ok = ok && name_columns(rel, PQgetvalue(r, i, 19), 0, NULL,
		    &def);
		buf_addch(&def, ')');
	}
	if (db_get_bool(r, i, 5))
		buf_addstr(&def, " DEFERRABLE");
	if (db_get_bool(r, i, 6))
		buf_addstr(&def, " INITIALLY DEFERRED");
	if (!db_get_bool(r, i, 4))
		buf_addstr(&def, " NOT VALID");
	if (!ok) {
		s->raced = 1;	/* a column or table went away meanwhile */
		obj_add(o, "definition", cJSON_CreateNull());
	} else {
		obj_add(o, "definition", cJSON_CreateString(def.data));
	}
	buf_release(&def);
}

/*
 * The group key of a CHECK constraint: its flags, its expression and the
 * names of the columns the expression uses; 0 to deparse it alone.
 */
static int
check_key(const struct rel *rel, const PGresult *r, int i, struct buf *key)
{
	int attnos[MAX_VARS], n = 0;

	buf_reset(key);
	buf_addf(key, "%s%s%s%s%s\1", PQgetvalue(r, i, 4),
	    PQgetvalue(r, i, 5), PQgetvalue(r, i, 6), PQgetvalue(r, i, 15),
	    PQgetvalue(r, i, 21));
	if (!shape_tree(key, db_get_str(r, i, 14), attnos, &n, MAX_VARS))
		return 0;
	for (int k = 0; k < n; k++) {
		if (rel_attrow(rel, attnos[k]) < 0)
			return 0;
		buf_addf(key, "\1%s", rel_attname(rel, attnos[k]));
	}
	return 1;
}

static void
check_done(void *arg, void *obj, const char *def)
{
	struct snap *s = arg;
	cJSON *o = obj;

	if (def == NULL)
		s->raced = 1;
	else
		obj_replace(o, cJSON_GetObjectItemCaseSensitive(o,
		    "definition"), "definition", cJSON_CreateString(def));
}

static void
constraints_build(struct snap *s, const PGresult *r)
{
	struct buf key = BUF_INIT;

	if (s->check_shapes == NULL)
		s->check_shapes = shapes_new("pg_get_constraintdef");
	for (int i = 0; i < PQntuples(r); i++) {
		struct rel *rel = rel_find(s, row_oid(r, i, 0)), *ref = NULL;
		char type = PQgetvalue(r, i, 2)[0];
		cJSON *o, *refs, *cols;

		if (rel == NULL || rel->constraints == NULL)
			continue;
		o = cJSON_CreateObject();
		row_str(o, "name", r, i, 1);
		obj_add(o, "type", cJSON_CreateString(contype_name(type)));
		cols = obj_add_array(o, "columns");
		if (!db_is_null(r, i, 7) &&
		    !name_columns(rel, PQgetvalue(r, i, 7), 0, cols, NULL))
			s->raced = 1;
		if (type == 'f')
			ref = rel_find(s, row_oid(r, i, 8));
		if (type == 'p' || type == 'u') {
			key_definition(s, o, rel, r, i);
		} else if (type == 'f' && s->version < 180000) {
			fk_definition(s, o, rel, ref, r, i);
		} else if (type == 'c') {
			obj_add(o, "definition", cJSON_CreateNull());
			shapes_add(s->check_shapes, check_key(rel, r, i, &key) ?
			    &key : NULL, row_oid(r, i, 20), "", o);
		} else {
			row_def(s, o, "definition", r, i, 3);
		}
		row_bool(o, "validated", r, i, 4);
		row_bool(o, "deferrable", r, i, 5);
		row_bool(o, "initially_deferred", r, i, 6);
		if (type == 'f') {
			refs = cJSON_CreateObject();
			obj_add(refs, "table", ref ? cJSON_CreateString(
			    ref->name) : cJSON_CreateNull());
			cols = obj_add_array(refs, "columns");
			if (ref == NULL || !name_columns(ref,
			    PQgetvalue(r, i, 9), 0, cols, NULL))
				s->raced = 1;
			obj_add(o, "references", refs);
		} else {
			obj_add(o, "references", cJSON_CreateNull());
		}
		row_str(o, "comment", r, i, 10);
		cJSON_AddItemToArray(rel->constraints, o);
	}
	buf_release(&key);
}

void
constraints_finish(struct snap *s)
{
	if (s->check_shapes != NULL)
		shapes_run(s->check_shapes, s->conn,
		    "reading check constraints", check_done, s);
	s->check_shapes = NULL;
}

const struct part part_constraints = {
	"reading constraints", 1, 0, constraints_sql, constraints_build
};
