/*
 * views: rules for views and materialized views.
 *
 * CREATE OR REPLACE VIEW can only append output columns; losing,
 * renaming or retyping one means DROP VIEW + CREATE VIEW, which also
 * drops the view's grants and comment.  A materialized view holds data:
 * creating or changing it runs its query, and REFRESH without
 * CONCURRENTLY locks its readers out for the whole refresh.
 */
#include <string.h>

#include "buf.h"
#include "json.h"
#include "review.h"

static int
is_matview(const struct change *c)
{
	return strcmp(c->kind, "materialized_view") == 0 ||
	    json_true(c->before, "materialized") ||
	    json_true(c->after, "materialized");
}

/* Lost, renamed or retyped output columns, listed into `out`. */
static int
columns_broken(const cJSON *from, const cJSON *to, struct buf *out)
{
	const cJSON *a, *b;
	int i = 0, n = 0;

	cJSON_ArrayForEach(a, from) {
		const char *name = json_str(a, "name");
		const char *type = json_str(a, "type");

		b = cJSON_GetArrayItem(to, i++);
		if (b && name && json_str(b, "name") &&
		    strcmp(name, json_str(b, "name")) == 0 &&
		    (type == NULL || json_str(b, "type") == NULL ||
		    strcmp(type, json_str(b, "type")) == 0))
			continue;
		buf_addf(out, "%s%s", n ? ", " : "", name ? name : "?");
		n++;
	}
	return n;
}

void
rules_view(struct change *c)
{
	const char *what = is_matview(c) ? "materialized view" : "view";
	struct buf users = BUF_INIT, cols = BUF_INIT;
	int used = count_items(c->queries) > 0 || (c->app && c->app->n > 0);
	cJSON *ev;

	describe_users(&users, c);
	set_risk(c, RISK_SAFE, "Recreating the %s from its prod definition "
	    "restores it; grants and comments must be re-applied.", what);
	if (strcmp(c->op, "drop") == 0) {
		ev = ev_new();
		ev_users(ev, c);
		if (used)
			finding_add(c, "dropped-view", SEV_CRITICAL, ev, "The "
			    "%s %s is dropped while %s still read it; they "
			    "fail with \"relation does not exist\".", what,
			    c->object, users.data);
		else
			finding_add(c, "dropped-view", SEV_HIGH, ev,
			    "The %s %s "
			    "is dropped; anything still reading it fails.",
			    what, c->object);
	} else if (strcmp(c->op, "add") == 0) {
		if (is_matview(c))
			finding_add(c, "materialized-view-changed", SEV_MEDIUM,
			    NULL, "The materialized view %s is created: its "
			    "query runs in full now, and it must be refreshed "
			    "to stay current (REFRESH without CONCURRENTLY "
			    "blocks its readers).", c->object);
	} else if (strcmp(c->op, "alter") == 0) {
		const cJSON *from = json_arr(c->before, "columns");
		const cJSON *to = json_arr(c->after, "columns");

		if (columns_broken(from, to, &cols) > 0) {
			ev = ev_new();
			ev_users(ev, c);
			finding_add(c, "view-columns-changed", used ?
			    SEV_CRITICAL : SEV_HIGH, ev, "The %s %s loses, "
			    "renames or retypes its output %s; it must be "
			    "dropped and recreated, which drops its grants, "
			    "and %s reading those columns break.", what,
			    c->object, cols.data, used ? users.data :
			    "queries");
		} else if (attr_get(c, "definition")) {
			finding_add(c, "view-definition-changed", SEV_MEDIUM,
			    NULL, "The definition of %s %s changes with the "
			    "same "
			    "columns; queries reading it may get different "
			    "rows.", what, c->object);
		}
		if (is_matview(c))
			finding_add(c, "materialized-view-changed", SEV_MEDIUM,
			    NULL, "The materialized view %s changes: it is "
			    "recreated and its query runs in full, and readers "
			    "are blocked while it is rebuilt or refreshed "
			    "without CONCURRENTLY.", c->object);
	}
	if (is_matview(c) && strcmp(c->op, "drop") != 0)
		suggest(c, SEV_MEDIUM, "Give %s a unique index and use REFRESH "
		    "MATERIALIZED VIEW CONCURRENTLY so readers are not "
		    "blocked.", c->object);
	buf_release(&cols);
	buf_release(&users);
}
