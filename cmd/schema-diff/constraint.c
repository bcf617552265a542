/*
 * constraint.c: table constraints (primary key, unique, foreign key, check,
 * exclusion), named inside their table.
 *
 * Foreign keys and checks are added NOT VALID, which takes its lock only
 * briefly, and validated after COMMIT in their own transaction, which
 * scans without blocking writes.  A definition that changes is dropped and
 * added again; pg_get_constraintdef's " NOT VALID" suffix is not part of
 * the definition compared, the `validated` attribute says it.
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "json.h"
#include "sqlquote.h"
#include "xalloc.h"

#define NOT_VALID " NOT VALID"

static char *
plain_def(const char *def)
{
	size_t n = strlen(def), k = strlen(NOT_VALID);

	if (n >= k && strcmp(def + n - k, NOT_VALID) == 0)
		return xstrndup(def, n - k);
	return xstrdup(def);
}

static int
con_is(const cJSON *con, const char *type)
{
	const char *t = json_str(con, "type");

	return t && strcmp(t, type) == 0;
}

static char *
comment_target(const char *tq, const cJSON *con)
{
	struct buf b = BUF_INIT;

	sql_add_bare(&b, json_str(con, "name"));
	buf_addf(&b, " ON %s", tq);
	return buf_detach(&b, NULL);
}

void
constraint_add_sql(struct change *c, const char *table, const cJSON *con,
    int new_table)
{
	char *tq = sql_name(table), *nq = sql_bare(json_str(con, "name"));
	char *def = plain_def(json_str(con, "definition") ?
	    json_str(con, "definition") : "");
	int fk = con_is(con, "foreign_key"), check = con_is(con, "check");
	int validated = !member(con, "validated") ||
	    json_true(con, "validated");
	int phase = fk ? PH_ADD_FK : new_table ? PH_CREATE_TABLE :
	    PH_ADD_CONSTRAINT;

	if ((fk || check) && !(new_table && validated)) {
		change_sql(c, phase, 0, "ALTER TABLE %s ADD CONSTRAINT %s %s "
		    "NOT VALID;", tq, nq, def);
		if (validated)
			change_sql(c, PH_POST_VALIDATE, 0, "ALTER TABLE %s "
			    "VALIDATE CONSTRAINT %s;", tq, nq);
	} else {
		change_sql(c, phase, new_table ? 1 : 0, "ALTER TABLE %s ADD "
		    "CONSTRAINT %s %s;", tq, nq, def);
	}
	if (!new_table && json_str(con, "comment")) {
		char *ct = comment_target(tq, con);

		change_sql_take(c, PH_COMMENT, 0, sql_comment("CONSTRAINT",
		    ct, json_str(con, "comment")));
		free(ct);
	}
	free(def);
	free(tq);
	free(nq);
}

static void
drop_sql(struct change *c, const char *tq, const cJSON *con)
{
	char *nq = sql_bare(json_str(con, "name"));

	change_sql(c, con_is(con, "foreign_key") ? PH_DROP_FK :
	    PH_DROP_CONSTRAINT, 0, "ALTER TABLE %s DROP CONSTRAINT %s;", tq,
	    nq);
	free(nq);
}

static void
one_constraint(struct ctx *x, const cJSON *tb, const cJSON *a,
    const cJSON *b)
{
	const char *table = json_str(tb, "name");
	char *obj = name_join(table, json_str(a ? a : b, "name"));
	char *tq = sql_name(table);
	struct change *c;

	if (a == NULL) {
		c = change_new("constraint", obj, table, OP_ADD, NULL, b);
		constraint_add_sql(c, table, b, 0);
		changes_add(x->out, c);
	} else if (b == NULL) {
		c = change_new("constraint", obj, table, OP_DROP, a, NULL);
		drop_sql(c, tq, a);
		changes_add(x->out, c);
	} else {
		char *da = plain_def(json_str(a, "definition") ?
		    json_str(a, "definition") : "");
		char *db = plain_def(json_str(b, "definition") ?
		    json_str(b, "definition") : "");
		char *na = norm_def(x, table, da);
		char *ct = comment_target(tq, b);
		int redo = 0, va, vb;

		c = change_new("constraint", obj, table, OP_ALTER, a, b);
		if (!json_equal(member(a, "type"), member(b, "type")) ||
		    strcmp(na, db) != 0) {
			cJSON *ja = cJSON_CreateString(da);
			cJSON *jb = cJSON_CreateString(db);

			change_attr(c, "definition", ja, jb);
			cJSON_Delete(ja);
			cJSON_Delete(jb);
			redo = 1;
		}
		change_cmp(c, "deferrable", a, b, "deferrable");
		va = !member(a, "validated") || json_true(a, "validated");
		vb = !member(b, "validated") || json_true(b, "validated");
		if (change_cmp(c, "validated", a, b, "validated") && va &&
		    !vb)
			redo = 1;
		if (redo) {
			drop_sql(c, tq, a);
			constraint_add_sql(c, table, b, 0);
		} else if (!va && vb) {
			char *nq = sql_bare(json_str(b, "name"));

			change_sql(c, PH_POST_VALIDATE, 0, "ALTER TABLE %s "
			    "VALIDATE CONSTRAINT %s;", tq, nq);
			free(nq);
		}
		/* Re-adding it re-applies staging's comment. */
		if (!redo)
			meta_comment(x, c, "CONSTRAINT", ct, "constraint", obj,
			    a, b);
		else
			change_cmp(c, "comment", a, b, "comment");
		changes_add_if(x->out, c);
		free(da);
		free(db);
		free(na);
		free(ct);
	}
	free(obj);
	free(tq);
}

void
diff_constraints(struct ctx *x, const cJSON *ta, const cJSON *tb)
{
	const cJSON *ca = json_arr(ta, "constraints");
	const cJSON *cb = json_arr(tb, "constraints");
	const cJSON *it;

	cJSON_ArrayForEach(it, ca)
		one_constraint(x, tb, it, find_named(cb, json_str(it, "name")));
	cJSON_ArrayForEach(it, cb)
		if (find_named(ca, json_str(it, "name")) == NULL)
			one_constraint(x, tb, NULL, it);
}
