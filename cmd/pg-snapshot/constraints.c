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
#include "jsonout.h"
#include "shapes.h"
#include "snapshot.h"
#include "xalloc.h"

#define MAX_VARS 64

static void
constraints_sql(const struct snap *s, struct buf *sql)
{
	int v18 = s->version >= 180000;
	/* the range on both sides of the join: the planner does not carry it */
	char *on_class = xstrdup(slice_filter(s, "c.oid"));

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
	    " AND con.conparentid = 0 AND con.conislocal AND %s%s%s"
	    " ORDER BY quote_ident(con.conname)" C_ORDER,
	    v18 ? " OR con.contype = 'f'" : "",
	    s->version >= 150000 ? "x.indnullsnotdistinct" : "false",
	    s->version >= 150000 ? "con.confdelsetcols::text" : "NULL::text",
	    v18 ? "con.conenforced" : "true",
	    s->ns_filter, on_class, slice_filter(s, "con.conrelid"));
	free(on_class);
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
 * `from` on: as JSON strings, comma-separated, into `json`, and as an
 * SQL list into `list` (either may be NULL).  Returns 0 when a column is
 * unknown.
 */
static int
name_columns(const struct rel *rel, const char *nums, int from,
    struct buf *json, struct buf *list)
{
	const char *p = nums, *name;
	char *end;
	int pos = 0, out = 0;
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
		if (json != NULL) {
			if (out++ > 0)
				buf_addch(json, ',');
			json_buf_string(json, name);
		}
		if (list != NULL) {
			if (list->len > 0 && list->data[list->len - 1] != '(')
				buf_addstr(list, ", ");
			buf_addstr(list, name);
		}
	}
	return 1;
}

/*
 * pg_get_constraintdef() of a primary key or unique constraint into
 * `def`; 0 when its index or a column went away meanwhile.
 */
static int
key_definition(const struct rel *rel, const PGresult *r, int i,
    struct buf *def)
{
	int nkey = (int)db_get_int64(r, i, 11, 0), ok = 1;
	const char *indkey = db_get_str(r, i, 12);

	buf_addstr(def, PQgetvalue(r, i, 2)[0] == 'p' ? "PRIMARY KEY " :
	    "UNIQUE ");
	if (db_get_bool(r, i, 13))
		buf_addstr(def, "NULLS NOT DISTINCT ");
	buf_addch(def, '(');
	if (indkey == NULL ||
	    !name_columns(rel, PQgetvalue(r, i, 7), 0, NULL, def))
		return 0;
	buf_addch(def, ')');
	if (strchr(indkey, ' ') != NULL) {
		size_t mark = def->len;

		buf_addstr(def, " INCLUDE (");
		ok = name_columns(rel, indkey, nkey, NULL, def);
		if (def->data[def->len - 1] == '(')
			buf_setlen(def, mark);		/* no INCLUDE columns */
		else
			buf_addch(def, ')');
	}
	if (db_get_bool(r, i, 5))
		buf_addstr(def, " DEFERRABLE");
	if (db_get_bool(r, i, 6))
		buf_addstr(def, " INITIALLY DEFERRED");
	return ok;
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

/*
 * pg_get_constraintdef() of a foreign key (PostgreSQL 12 to 17) into
 * `def`; 0 when a column or table went away meanwhile.
 */
static int
fk_definition(const struct rel *rel, const struct rel *ref,
    const PGresult *r, int i, struct buf *def)
{
	const char *action;
	int ok;

	buf_addstr(def, "FOREIGN KEY (");
	ok = name_columns(rel, PQgetvalue(r, i, 7), 0, NULL, def);
	buf_addf(def, ") REFERENCES %s(", ref ? ref->name : "");
	ok = ok && ref != NULL &&
	    name_columns(ref, PQgetvalue(r, i, 9), 0, NULL, def);
	buf_addch(def, ')');
	switch (PQgetvalue(r, i, 16)[0]) {
	case 'f': buf_addstr(def, " MATCH FULL"); break;
	case 'p': buf_addstr(def, " MATCH PARTIAL"); break;
	}
	if ((action = fk_action(PQgetvalue(r, i, 17)[0])) != NULL)
		buf_addf(def, action, "ON UPDATE");
	if ((action = fk_action(PQgetvalue(r, i, 18)[0])) != NULL)
		buf_addf(def, action, "ON DELETE");
	if (!db_is_null(r, i, 19)) {
		buf_addstr(def, " (");
		ok = ok && name_columns(rel, PQgetvalue(r, i, 19), 0, NULL,
		    def);
		buf_addch(def, ')');
	}
	if (db_get_bool(r, i, 5))
		buf_addstr(def, " DEFERRABLE");
	if (db_get_bool(r, i, 6))
		buf_addstr(def, " INITIALLY DEFERRED");
	if (!db_get_bool(r, i, 4))
		buf_addstr(def, " NOT VALID");
	return ok;
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

/*
 * A CHECK waiting for its definition: its raw object, and the text
 * before and after the definition's value.
 */
struct pending_check {
	cJSON		*item;
	char		*head, *tail;
};

static void
check_done(void *arg, void *obj, const char *def)
{
	struct snap *s = arg;
	struct pending_check *p = obj;
	struct buf b = BUF_INIT;

	if (def == NULL)
		s->raced = 1;
	buf_addstr(&b, p->head);
	json_buf_string(&b, def);
	buf_addstr(&b, p->tail);
	free(p->item->valuestring);
	p->item->valuestring = buf_detach(&b, NULL);
	free(p->head);
	free(p->tail);
	free(p);
}

/*
 * Each constraint is a raw object (row.c): a cJSON node for every member
 * of 25,000 constraints was a sizeable share of the build.
 */
static void
constraints_build(struct snap *s, const PGresult *r)
{
	struct buf key = BUF_INIT, b = BUF_INIT, def = BUF_INIT;
	struct pending_check *p;
	size_t mark;
	int ok;

	if (s->check_shapes == NULL)
		s->check_shapes = shapes_new("pg_get_constraintdef");
	for (int i = 0; i < PQntuples(r); i++) {
		struct rel *rel = rel_find(s, row_oid(r, i, 0)), *ref = NULL;
		char type = PQgetvalue(r, i, 2)[0];
		cJSON *item;

		if (rel == NULL || rel->constraints == NULL)
			continue;
		raw_str(&b, "name", r, i, 1);
		raw_key(&b, "type");
		json_buf_string(&b, contype_name(type));
		raw_key(&b, "columns");
		buf_addch(&b, '[');
		if (!db_is_null(r, i, 7) &&
		    !name_columns(rel, PQgetvalue(r, i, 7), 0, &b, NULL))
			s->raced = 1;
		buf_addch(&b, ']');
		raw_key(&b, "definition");
		mark = b.len;
		if (type == 'f')
			ref = rel_find(s, row_oid(r, i, 8));
		buf_reset(&def);
		if (type == 'p' || type == 'u' ||
		    (type == 'f' && s->version < 180000)) {
			ok = type == 'f' ? fk_definition(rel, ref, r, i, &def) :
			    key_definition(rel, r, i, &def);
			if (!ok)
				s->raced = 1;	/* gone meanwhile */
			json_buf_string(&b, ok ? def.data : NULL);
		} else if (type != 'c') {
			if (db_is_null(r, i, 3))
				s->raced = 1;
			json_buf_string(&b, db_get_str(r, i, 3));
		}
		raw_bool(&b, "validated", r, i, 4);
		raw_bool(&b, "deferrable", r, i, 5);
		raw_bool(&b, "initially_deferred", r, i, 6);
		raw_key(&b, "references");
		if (type == 'f') {
			buf_addstr(&b, "{\"table\":");
			json_buf_string(&b, ref ? ref->name : NULL);
			buf_addstr(&b, ",\"columns\":[");
			if (ref == NULL || !name_columns(ref,
			    PQgetvalue(r, i, 9), 0, &b, NULL))
				s->raced = 1;
			buf_addstr(&b, "]}");
		} else {
			buf_addstr(&b, "null");
		}
		raw_str(&b, "comment", r, i, 10);
		if (type != 'c') {
			cJSON_AddItemToArray(rel->constraints, raw_finish(&b));
			continue;
		}
		/* a CHECK: the definition comes from shapes.c */
		buf_addch(&b, '}');
		p = xmalloc(sizeof(*p));
		p->head = xstrndup(b.data, mark);
		p->tail = xstrdup(b.data + mark);
		buf_setlen(&b, mark);
		buf_addstr(&b, "null");
		buf_addstr(&b, p->tail);
		p->item = item = cJSON_CreateRaw(b.data);
		buf_reset(&b);
		cJSON_AddItemToArray(rel->constraints, item);
		shapes_add(s->check_shapes, check_key(rel, r, i, &key) ?
		    &key : NULL, row_oid(r, i, 20), "", p);
	}
	buf_release(&key);
	buf_release(&b);
	buf_release(&def);
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
	.purpose = "reading constraints", .split = 1, .sql = constraints_sql,
	.build = constraints_build, .by_index = 1
};
