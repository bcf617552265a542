/*
 * function.c: functions, procedures, aggregates and window functions.
 *
 * The name carries the identity arguments, so a changed argument list is a
 * drop and an add.  A changed return type or kind needs DROP then CREATE;
 * anything else is CREATE OR REPLACE from pg_get_functiondef's text.
 * Aggregates have no definition in the snapshot and cannot be re-created
 * from it: their SQL says so.
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "json.h"
#include "sqlquote.h"
#include "xalloc.h"

static const char *
sql_kind(const cJSON *f)
{
	const char *k = json_str(f, "kind");

	if (k && strcmp(k, "procedure") == 0)
		return "PROCEDURE";
	if (k && strcmp(k, "aggregate") == 0)
		return "AGGREGATE";
	return "FUNCTION";
}

/* The name with its schema and function name parts requoted. */
static char *
sql_fname(const char *name)
{
	const char *paren = strchr(name, '(');
	char *head, *q;
	struct buf b = BUF_INIT;

	if (paren == NULL)
		return sql_name(name);
	head = xstrndup(name, (size_t)(paren - name));
	q = sql_name(head);
	buf_addf(&b, "%s%s", q, paren);
	free(head);
	free(q);
	return buf_detach(&b, NULL);
}

static void
create_sql(struct change *c, const char *q, const cJSON *f, int phase)
{
	const char *def = json_str(f, "definition");
	size_t n;

	if (def == NULL) {
		change_sql(c, phase, 0, "-- %s %s cannot be created from the "
		    "snapshot (no definition recorded)", sql_kind(f), q);
		c->restores_data = 0;
		return;
	}
	n = strlen(def);
	while (n > 0 && (def[n - 1] == '\n' || def[n - 1] == ' ' ||
	    def[n - 1] == ';'))
		n--;
	change_sql(c, phase, 0, "%.*s;", (int)n, def);
}

static void
one_function(struct ctx *x, const cJSON *a, const cJSON *b, void *arg)
{
	const char *name = json_str(a ? a : b, "name");
	char *q = sql_fname(name);
	struct change *c;

	(void)arg;
	if (a == NULL) {
		c = change_new("function", name, NULL, OP_ADD, NULL, b);
		create_sql(c, q, b, PH_FUNCTION);
		meta_create(c, sql_kind(b), q, b);
		changes_add(x->out, c);
	} else if (b == NULL) {
		c = change_new("function", name, NULL, OP_DROP, a, NULL);
		change_sql(c, PH_DROP_FUNCTION, 0, "DROP %s %s;", sql_kind(a),
		    q);
		changes_add(x->out, c);
	} else {
		int redo, body = 0;

		c = change_new("function", name, NULL, OP_ALTER, a, b);
		redo = change_cmp(c, "returns", a, b, "returns");
		if (!json_equal(member(a, "kind"), member(b, "kind"))) {
			change_cmp(c, "definition", a, b, "definition");
			redo = 1;
		}
		body |= change_cmp(c, "language", a, b, "language");
		body |= change_cmp(c, "volatility", a, b, "volatility");
		body |= change_cmp(c, "security_definer", a, b,
		    "security_definer");
		if (!change_has_attr(c, "definition"))
			body |= change_cmp(c, "definition", a, b,
			    "definition");
		if (redo) {
			change_sql(c, PH_REPLACE_FUNCTION, 0, "DROP %s %s;",
			    sql_kind(a), q);
			create_sql(c, q, b, PH_FUNCTION);
			meta_create(c, sql_kind(b), q, b);
		} else if (body) {
			create_sql(c, q, b, PH_FUNCTION);
		}
		meta_alter(x, c, sql_kind(b), q, "function", name, a, b);
		meta_grants(x, sql_kind(b), q, "function", name, NULL, a, b);
		changes_add_if(x->out, c);
	}
	free(q);
}

void
diff_functions(struct ctx *x)
{
	pair_by_name(x, json_arr(x->from, "functions"), json_arr(x->to,
	    "functions"), one_function, NULL);
}
