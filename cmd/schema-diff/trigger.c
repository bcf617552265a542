/*
 * trigger.c: triggers, named inside their table.  A changed definition is
 * a drop and a create (CREATE OR REPLACE TRIGGER needs PostgreSQL 14);
 * the enabled state (origin, replica, always, disabled) is ALTER TABLE.
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "json.h"
#include "sqlquote.h"

static void
enable_sql(struct change *c, const char *tq, const cJSON *trg, int always)
{
	const char *e = json_str(trg, "enabled");
	const char *verb;
	char *nq;

	if (e == NULL || (!always && strcmp(e, "origin") == 0))
		return;
	if (strcmp(e, "disabled") == 0)
		verb = "DISABLE";
	else if (strcmp(e, "replica") == 0)
		verb = "ENABLE REPLICA";
	else if (strcmp(e, "always") == 0)
		verb = "ENABLE ALWAYS";
	else
		verb = "ENABLE";
	nq = sql_bare(json_str(trg, "name"));
	change_sql(c, PH_CREATE_TRIGGER, 0, "ALTER TABLE %s %s TRIGGER %s;",
	    tq, verb, nq);
	free(nq);
}

void
trigger_create_sql(struct change *c, const char *table, const cJSON *trg)
{
	const char *def = json_str(trg, "definition");
	char *tq = sql_name(table);

	if (def)
		change_sql(c, PH_CREATE_TRIGGER, 0, "%s;", def);
	else
		change_sql(c, PH_CREATE_TRIGGER, 0, "-- trigger %s on %s has "
		    "no definition in the snapshot", json_str(trg, "name"),
		    tq);
	enable_sql(c, tq, trg, 0);
	free(tq);
}

static void
drop_sql(struct change *c, const char *tq, const cJSON *trg)
{
	char *nq = sql_bare(json_str(trg, "name"));

	change_sql(c, PH_DROP_TRIGGER, 0, "DROP TRIGGER %s ON %s;", nq, tq);
	free(nq);
}

static void
one_trigger(struct ctx *x, const cJSON *tb, const cJSON *a, const cJSON *b)
{
	const char *table = json_str(tb, "name");
	char *obj = name_join(table, json_str(a ? a : b, "name"));
	char *tq = sql_name(table);
	struct change *c;

	if (a == NULL) {
		c = change_new("trigger", obj, table, OP_ADD, NULL, b);
		trigger_create_sql(c, table, b);
		changes_add(x->out, c);
	} else if (b == NULL) {
		c = change_new("trigger", obj, table, OP_DROP, a, NULL);
		drop_sql(c, tq, a);
		changes_add(x->out, c);
	} else {
		char *na = norm_def(x, table, json_str(a, "definition") ?
		    json_str(a, "definition") : "");
		const char *db = json_str(b, "definition");

		c = change_new("trigger", obj, table, OP_ALTER, a, b);
		if (strcmp(na, db ? db : "") != 0) {
			change_cmp(c, "definition", a, b, "definition");
			change_cmp(c, "enabled", a, b, "enabled");
			drop_sql(c, tq, a);
			trigger_create_sql(c, table, b);
		} else if (change_cmp(c, "enabled", a, b, "enabled")) {
			enable_sql(c, tq, b, 1);
		}
		changes_add_if(x->out, c);
		free(na);
	}
	free(obj);
	free(tq);
}

void
diff_triggers(struct ctx *x, const cJSON *ta, const cJSON *tb)
{
	const cJSON *ra = json_arr(ta, "triggers");
	const cJSON *rb = json_arr(tb, "triggers");
	const cJSON *it;

	cJSON_ArrayForEach(it, ra)
		one_trigger(x, tb, it, find_named(rb, json_str(it, "name")));
	cJSON_ArrayForEach(it, rb)
		if (find_named(ra, json_str(it, "name")) == NULL)
			one_trigger(x, tb, NULL, it);
}
