/*
 * functions: rules for functions, procedures, triggers and policies.
 *
 * A function's identity is its name and argument types, so a changed
 * argument list is a drop plus a create to PostgreSQL and to every
 * caller; a changed body is invisible to callers unless the function runs
 * with its owner's rights (SECURITY DEFINER).
 */
#include <string.h>

#include "buf.h"
#include "json.h"
#include "review.h"

static void
signature(struct change *c, const char *what)
{
	struct buf users = BUF_INIT;
	cJSON *ev = ev_new();
	int called = count_items(c->queries) > 0 || (c->app && c->app->n);

	describe_users(&users, c);
	ev_users(ev, c);
	if (called)
		finding_add(c, "function-signature-changed", SEV_CRITICAL, ev,
		    "%s %s while %s still call it; those calls fail with "
		    "\"function does not exist\".", c->object, what,
		    users.data);
	else
		finding_add(c, "function-signature-changed", SEV_HIGH, ev,
		    "%s %s; callers using the old signature (and triggers, "
		    "views or defaults built on it) fail.", c->object, what);
	set_risk(c, RISK_SAFE, "Recreating the function from its prod "
	    "definition restores it; its grants (EXECUTE) must be re-applied "
	    "and dependents recreated.");
	suggest(c, SEV_HIGH, "Create the new function beside the old one, "
	    "move callers to it, and drop the old one in a later release.");
	buf_release(&users);
}

void
rules_function(struct change *c)
{
	const cJSON *a;
	int body = 0, sig = 0;

	if (strcmp(c->op, "drop") == 0) {
		signature(c, "is dropped");
		return;
	}
	if (strcmp(c->op, "rename") == 0) {
		signature(c, c->renamed_from ? "replaces a renamed function" :
		    "is renamed");
		return;
	}
	if (strcmp(c->op, "add") == 0) {
		set_risk(c, RISK_SAFE, "Dropping the new function restores "
		    "prod.");
		return;
	}
	cJSON_ArrayForEach(a, c->attrs) {
		const char *name = json_str(a, "name");

		if (name == NULL)
			continue;
		if (strcmp(name, "returns") == 0 ||
		    strcmp(name, "arguments") == 0)
			sig = 1;
		else if (strcmp(name, "definition") == 0 ||
		    strcmp(name, "volatility") == 0 ||
		    strcmp(name, "security_definer") == 0 ||
		    strcmp(name, "language") == 0)
			body = 1;
	}
	if (sig)
		signature(c, "changes its arguments or return type");
	else if (body) {
		int secdef = json_true(c->after, "security_definer") ||
		    json_true(c->before, "security_definer");

		finding_add(c, "function-body-changed", secdef ? SEV_MEDIUM :
		    SEV_LOW, NULL, "The body or properties of %s change%s; "
		    "callers keep working but get the new behaviour.",
		    c->object, secdef ? ", and it runs with its owner's rights "
		    "(SECURITY DEFINER), so review it as a privilege change" :
		    "");
		set_risk(c, RISK_SAFE, "CREATE OR REPLACE with the prod body "
		    "restores it.");
	}
}

void
rules_trigger(struct change *c)
{
	const char *verb = strcmp(c->op, "add") == 0 ? "is added: it runs on "
	    "every matching write from now on" : strcmp(c->op, "drop") == 0 ?
	    "is dropped: whatever it did on each write (auditing, derived "
	    "columns, checks) stops" : "changes: writes behave differently";
	const cJSON *en = attr_get(c, "enabled");
	const char *to = attr_str(en, "after");

	if (en && to && strcmp(to, "disabled") == 0)
		verb = "is disabled: whatever it did on each write stops";
	finding_add(c, "trigger-changed", SEV_MEDIUM, NULL, "The trigger %s on "
	    "%s %s.", c->object, c->table ? c->table : "its table", verb);
	set_risk(c, RISK_SAFE, "Restoring the prod trigger definition undoes "
	    "it; writes made meanwhile keep what the new trigger did.");
}

void
rules_policy(struct change *c)
{
	const char *what = strcmp(c->op, "add") == 0 ? "is added" :
	    strcmp(c->op, "drop") == 0 ? "is dropped" : "changes";

	finding_add(c, "policy-changed", SEV_HIGH, NULL, "The row level "
	    "security policy %s on %s %s: which rows each role can see or "
	    "write changes, and a mistake here hides rows from the "
	    "application or exposes other tenants' rows.", c->object,
	    c->table ? c->table : "its table", what);
	set_risk(c, RISK_SAFE, "Restoring the prod policy undoes it.");
}
