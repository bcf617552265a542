/*
 * constraints: primary keys, unique, foreign key, check and exclusion
 * constraints of the tables, in one query.  Constraints a partition
 * inherits (conparentid <> 0, or not conislocal) are reported on the
 * parent only.  NOT NULL constraint rows (contype 'n', PG18) are left to
 * the columns' `nullable`.
 *
 * Column lists are named here from the columns already read rather than
 * by a subquery per constraint, and the definition of a primary key or
 * unique constraint is written here as pg_get_constraintdef() writes it
 * ("PRIMARY KEY (a, b) INCLUDE (c) DEFERRABLE"): the server is asked to
 * deparse only what holds expressions or options (checks, exclusions,
 * foreign keys with their actions).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "snapshot.h"

static void
constraints_sql(const struct snap *s, struct buf *sql)
{
	buf_addf(sql,
	    "SELECT con.conrelid, quote_ident(con.conname), con.contype,"
	    " CASE WHEN con.contype NOT IN ('p', 'u') THEN"
	    "  pg_get_constraintdef(con.oid) END,"
	    " con.convalidated, con.condeferrable, con.condeferred,"
	    " con.conkey::text, con.confrelid, con.confkey::text,"
	    " d.description, x.indnkeyatts, x.indkey::text, %s"
	    " FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid"
	    " JOIN pg_namespace n ON n.oid = c.relnamespace"
	    " LEFT JOIN pg_index x ON x.indexrelid = con.conindid"
	    "  AND con.contype IN ('p', 'u')"
	    " LEFT JOIN pg_description d ON d.objoid = con.oid"
	    "  AND d.classoid = 'pg_constraint'::regclass"
	    " WHERE con.contype IN ('p', 'u', 'f', 'c', 'x')"
	    " AND con.conparentid = 0 AND con.conislocal AND %s%s"
	    " ORDER BY quote_ident(con.conname)" C_ORDER,
	    s->version >= 150000 ? "x.indnullsnotdistinct" : "false",
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

static void
constraints_build(struct snap *s, const PGresult *r)
{
	for (int i = 0; i < PQntuples(r); i++) {
		struct rel *rel = rel_find(s, row_oid(r, i, 0)), *ref;
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
		if (type == 'p' || type == 'u')
			key_definition(s, o, rel, r, i);
		else
			row_def(s, o, "definition", r, i, 3);
		row_bool(o, "validated", r, i, 4);
		row_bool(o, "deferrable", r, i, 5);
		row_bool(o, "initially_deferred", r, i, 6);
		if (type == 'f') {
			refs = cJSON_CreateObject();
			ref = rel_find(s, row_oid(r, i, 8));
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
}

const struct part part_constraints = {
	"reading constraints", 1, 0, constraints_sql, constraints_build
};
