/*
 * tables: rules for tables, schemas and partitions.
 *
 * A dropped table is "still referenced" when prod queries name it, when
 * views, functions or other tables' foreign keys depend on it (the diff's
 * `dependents`), or when application code names it.
 */
#include <string.h>

#include "buf.h"
#include "json.h"
#include "review.h"

static void
dropped(struct change *c)
{
	struct buf users = BUF_INIT;
	cJSON *ev = ev_new();

	describe_users(&users, c);
	ev_users(ev, c);
	ev_size(ev, c);
	if (users.len > 0)
		finding_add(c, "dropped-table-still-referenced", SEV_CRITICAL,
		    ev, "%s (%s) is dropped but %s still use it; they fail "
		    "with \"relation does not exist\" once the migration "
		    "commits, and its rows are lost.", c->object,
		    hum_size(c).s, users.data);
	else
		finding_add(c, "dropped-table", SEV_HIGH, ev, "%s is dropped "
		    "with all its rows (%s); the rollback can recreate the "
		    "table but not its data.", c->object, hum_size(c).s);
	set_risk(c, RISK_DATA_LOSS, "The rows of %s are gone once it is "
	    "dropped; the rollback recreates an empty table.", c->object);
	suggest(c, SEV_HIGH, "Rename %s (or revoke access to it) first and "
	    "watch for errors for a release; take a dump of it, then drop "
	    "it once nothing has used it.", c->object);
	buf_release(&users);
}

static void
renamed(struct change *c)
{
	const char *old = c->renamed_from ? c->renamed_from : "the old name";
	struct buf users = BUF_INIT;
	cJSON *ev = ev_new();

	describe_users(&users, c);
	ev_users(ev, c);
	if (count_items(c->queries) > 0)
		finding_add(c, "renamed-table", SEV_CRITICAL, ev, "%s is "
		    "renamed to %s while %s still use the old name; they fail "
		    "with \"relation does not exist\" once the migration "
		    "commits.", old, c->object, users.data);
	else
		finding_add(c, "renamed-table", SEV_HIGH, ev,
		    "%s is renamed to "
		    "%s; every query and application statement using the old "
		    "name fails once the migration commits.", old, c->object);
	set_risk(c, RISK_SAFE, "Renaming the table back restores it; no data "
	    "is lost.");
	suggest(c, SEV_HIGH, "Rename the table and create a view named %s "
	    "over it (simple views are updatable) so old readers keep "
	    "working; drop the view once the application uses %s.", old,
	    c->object);
	buf_release(&users);
}

static int
policies_after(const struct change *c)
{
	size_t i, n = count_items(json_arr(c->after, "policies"));

	/* Policies added by other changes of the same diff count too. */
	for (i = 0; i < c->nall; i++)
		if (strcmp(c->all[i].kind, "policy") == 0 &&
		    strcmp(c->all[i].op, "drop") != 0 && c->all[i].table &&
		    strcmp(c->all[i].table, c->object) == 0)
			n++;
	return n > 0;
}

static void
partition(struct change *c, const char *parent, int attach)
{
	cJSON *ev = ev_new();
	int conc = c->heavy.what && strstr(c->heavy.what, "CONCURRENTLY");

	ev_size(ev, c);
	if (attach) {
		finding_add(c, "partition-attached", is_large(c) ? SEV_HIGH :
		    SEV_MEDIUM, ev, "%s becomes a partition of %s: the "
		    "partition (%s) is locked ACCESS EXCLUSIVE and scanned to "
		    "check its bound unless a validated CHECK already proves "
		    "it, and queries on %s start to see its rows.", c->object,
		    parent, hum_size(c).s, parent);
		suggest(c, SEV_MEDIUM, "Add a CHECK constraint matching the "
		    "partition bound as NOT VALID, VALIDATE it, then ATTACH "
		    "PARTITION: the attach then skips the scan.");
		set_risk(c, RISK_SAFE, "DETACH PARTITION restores the "
		    "topology; no data is lost.");
	} else {
		finding_add(c, "partition-detached",
		    !conc && is_large(c) ? SEV_HIGH : SEV_MEDIUM, ev, "%s is "
		    "detached from %s%s; queries on %s no longer see its rows "
		    "(%s).", c->object, parent, conc ? " concurrently" :
		    ", taking ACCESS EXCLUSIVE on both tables", parent,
		    hum_size(c).s);
		if (!conc)
			suggest(c, SEV_MEDIUM, "Use ALTER TABLE %s DETACH "
			    "PARTITION %s CONCURRENTLY (PostgreSQL 14+), "
			    "outside a transaction block.", parent, c->object);
		set_risk(c, RISK_SAFE, "ATTACH PARTITION restores the topology "
		    "(it scans the partition unless a CHECK proves the "
		    "bound).");
	}
}

static void
altered(struct change *c)
{
	const cJSON *a;

	cJSON_ArrayForEach(a, c->attrs) {
		const char *name = json_str(a, "name");
		const char *from = attr_str(a, "before");
		const char *to = attr_str(a, "after");

		if (name == NULL)
			continue;
		if (strcmp(name, "persistence") == 0 && to &&
		    strcmp(to, "unlogged") == 0) {
			cJSON *ev = ev_new();

			ev_size(ev, c);
			ev_sql(ev, c);
			finding_add(c, "table-set-unlogged", SEV_HIGH, ev, "%s "
			    "becomes UNLOGGED: it is rewritten (%s) under "
			    "ACCESS "
			    "EXCLUSIVE, emptied after a crash, and no longer "
			    "replicated to standbys.", c->object,
			    hum_size(c).s);
			set_risk(c, RISK_LOSSY, "SET LOGGED rewrites the table "
			    "again; rows are lost if the server crashes while "
			    "it is unlogged.");
		} else if (strcmp(name, "rls_enabled") == 0 && cJSON_IsTrue(
		    cJSON_GetObjectItemCaseSensitive(a, "after")) &&
		    !policies_after(c)) {
			finding_add(c, "rls-enabled-without-policy",
			    SEV_CRITICAL, NULL, "Row level security is enabled "
			    "on %s but it has no policy in staging, so every "
			    "role except the owner and superusers sees no rows "
			    "and cannot write any.", c->object);
			suggest(c, SEV_CRITICAL, "Create the policies first, "
			    "then ENABLE ROW LEVEL SECURITY in the same "
			    "transaction.");
			set_risk(c, RISK_SAFE, "DISABLE ROW LEVEL SECURITY "
			    "restores access.");
		} else if (strcmp(name, "partition_of") == 0) {
			if (to && from == NULL)
				partition(c, to, 1);
			else if (from && to == NULL)
				partition(c, from, 0);
		}
	}
}

void
rules_table(struct change *c)
{
	const char *parent;

	if (strcmp(c->op, "drop") == 0) {
		dropped(c);
	} else if (strcmp(c->op, "rename") == 0) {
		renamed(c);
	} else if (strcmp(c->op, "add") == 0) {
		set_risk(c, RISK_LOSSY, "Dropping the new table restores the "
		    "schema; rows written to it after the migration are "
		    "lost.");
		if ((parent = json_str(c->after, "partition_of")) != NULL)
			partition(c, parent, 1);
	} else {
		altered(c);
	}
}

void
rules_schema(struct change *c)
{
	cJSON *ev;

	if (strcmp(c->op, "drop") == 0) {
		ev = ev_new();
		ev_dependents(ev, c);
		ev_queries(ev, c);
		finding_add(c, "dropped-schema", SEV_CRITICAL, ev, "Schema %s "
		    "is dropped, and with it every object it still holds; "
		    "anything that names it fails.", c->object);
		set_risk(c, RISK_DATA_LOSS, "Recreating the schema brings back "
		    "none of the objects or data that were in it.");
	} else if (strcmp(c->op, "add") == 0) {
		set_risk(c, RISK_SAFE, "Dropping the new schema restores "
		    "prod.");
	}
}
