/*
 * policy.c: row level security policies, named inside their table.
 * Roles, USING and WITH CHECK change in place with ALTER POLICY; a changed
 * command or permissiveness, or an expression removed, needs a drop and a
 * create.
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "json.h"
#include "sqlquote.h"

static void
add_roles(struct buf *b, const cJSON *pol)
{
	const cJSON *r;
	int first = 1;

	cJSON_ArrayForEach(r, json_arr(pol, "roles")) {
		if (!cJSON_IsString(r))
			continue;
		if (!first)
			buf_addstr(b, ", ");
		sql_add_role(b, r->valuestring);
		first = 0;
	}
	if (first)
		buf_addstr(b, "PUBLIC");
}

void
policy_create_sql(struct change *c, const char *table, const cJSON *pol)
{
	struct buf b = BUF_INIT;
	char *tq = sql_name(table);
	const char *cmd = json_str(pol, "command");

	buf_addstr(&b, "CREATE POLICY ");
	sql_add_bare(&b, json_str(pol, "name"));
	buf_addf(&b, " ON %s AS %s FOR %s TO ", tq,
	    !member(pol, "permissive") || json_true(pol, "permissive") ?
	    "PERMISSIVE" : "RESTRICTIVE", cmd ? cmd : "ALL");
	add_roles(&b, pol);
	if (json_str(pol, "using"))
		buf_addf(&b, " USING (%s)", json_str(pol, "using"));
	if (json_str(pol, "with_check"))
		buf_addf(&b, " WITH CHECK (%s)", json_str(pol, "with_check"));
	buf_addch(&b, ';');
	change_sql_take(c, PH_CREATE_POLICY, 0, buf_detach(&b, NULL));
	free(tq);
}

static void
drop_sql(struct change *c, const char *tq, const cJSON *pol)
{
	char *nq = sql_bare(json_str(pol, "name"));

	change_sql(c, PH_DROP_POLICY, 0, "DROP POLICY %s ON %s;", nq, tq);
	free(nq);
}

static void
one_policy(struct ctx *x, const cJSON *tb, const cJSON *a, const cJSON *b)
{
	const char *table = json_str(tb, "name");
	char *obj = name_join(table, json_str(a ? a : b, "name"));
	char *tq = sql_name(table);
	struct change *c;

	if (a == NULL) {
		c = change_new("policy", obj, table, OP_ADD, NULL, b);
		policy_create_sql(c, table, b);
		changes_add(x->out, c);
	} else if (b == NULL) {
		c = change_new("policy", obj, table, OP_DROP, a, NULL);
		drop_sql(c, tq, a);
		changes_add(x->out, c);
	} else {
		int redo, roles, use, chk;

		c = change_new("policy", obj, table, OP_ALTER, a, b);
		redo = change_cmp(c, "command", a, b, "command");
		redo |= change_cmp(c, "permissive", a, b, "permissive");
		roles = change_cmp(c, "roles", a, b, "roles");
		use = change_cmp(c, "using", a, b, "using");
		chk = change_cmp(c, "with_check", a, b, "with_check");
		if ((use && !json_str(b, "using")) ||
		    (chk && !json_str(b, "with_check")))
			redo = 1;
		if (redo) {
			drop_sql(c, tq, a);
			policy_create_sql(c, table, b);
		} else if (roles || use || chk) {
			struct buf s = BUF_INIT;

			buf_addstr(&s, "ALTER POLICY ");
			sql_add_bare(&s, json_str(b, "name"));
			buf_addf(&s, " ON %s", tq);
			if (roles) {
				buf_addstr(&s, " TO ");
				add_roles(&s, b);
			}
			if (use)
				buf_addf(&s, " USING (%s)", json_str(b,
				    "using"));
			if (chk)
				buf_addf(&s, " WITH CHECK (%s)", json_str(b,
				    "with_check"));
			buf_addch(&s, ';');
			change_sql_take(c, PH_CREATE_POLICY, 0,
			    buf_detach(&s, NULL));
		}
		changes_add_if(x->out, c);
	}
	free(obj);
	free(tq);
}

void
diff_policies(struct ctx *x, const cJSON *ta, const cJSON *tb)
{
	const cJSON *pa = json_arr(ta, "policies");
	const cJSON *pb = json_arr(tb, "policies");
	const cJSON *it;

	cJSON_ArrayForEach(it, pa)
		one_policy(x, tb, it, find_named(pb, json_str(it, "name")));
	cJSON_ArrayForEach(it, pb)
		if (find_named(pa, json_str(it, "name")) == NULL)
			one_policy(x, tb, NULL, it);
}
