/*
 * types: rules for enums, domains and composite types.
 *
 * PostgreSQL has no ALTER TYPE ... DROP VALUE: an enum label, once added,
 * stays until the type is rebuilt (new type, every column rewritten with
 * USING col::text::new_type, old type dropped), which is why both adding
 * and removing labels are irreversible.
 */
#include <string.h>

#include "buf.h"
#include "json.h"
#include "review.h"

static void
labels(struct change *c, const cJSON *a)
{
	const cJSON *from = cJSON_GetObjectItemCaseSensitive(a, "before");
	const cJSON *to = cJSON_GetObjectItemCaseSensitive(a, "after");
	struct buf gone = BUF_INIT, added = BUF_INIT;
	int ngone = list_missing(from, to, "'", &gone);
	int nadded = list_missing(to, from, "'", &added);

	if (ngone > 0) {
		cJSON *ev = ev_new();

		ev_dependents(ev, c);
		ev_queries(ev, c);
		finding_add(c, "enum-value-removed", SEV_CRITICAL, ev, "%s "
		    "loses the %s %s%s: rows holding %s can no longer be read "
		    "back as a valid value, and PostgreSQL cannot drop an enum "
		    "label, so the type must be rebuilt and every column using "
		    "it rewritten.", c->object, ngone == 1 ? "label" :
		    "labels", gone.data, nadded ? " (renamed or replaced)" :
		    "", ngone == 1 ? "it" : "them");
		set_risk(c, RISK_IRREVERSIBLE, "A removed label can only come "
		    "back by rebuilding %s again; rows converted on the way "
		    "keep their new values.", c->object);
		suggest(c, SEV_CRITICAL, "First UPDATE rows holding %s to "
		    "another label in batches and deploy code that no longer "
		    "writes it; keep the label in the type (unused) rather "
		    "than rebuilding it.", gone.data);
	}
	if (nadded > 0) {
		finding_add(c, "enum-value-added", SEV_LOW, NULL,
		    "%s gains the "
		    "%s %s; PostgreSQL cannot drop an enum label, so the "
		    "rollback cannot remove %s, and readers that do not know "
		    "the new %s may fail on rows that hold %s.", c->object,
		    nadded == 1 ? "label" : "labels", added.data,
		    nadded == 1 ? "it" : "them", nadded == 1 ? "value" :
		    "values", nadded == 1 ? "it" : "them");
		set_risk(c, RISK_IRREVERSIBLE, "Enum labels cannot be dropped: "
		    "removing %s needs a rebuild of %s (new type, every column "
		    "rewritten under ACCESS EXCLUSIVE).", added.data,
		    c->object);
	}
	buf_release(&added);
	buf_release(&gone);
}

static void
domain(struct change *c, const cJSON *a, const char *name)
{
	cJSON *ev = ev_new();
	char *from = cJSON_PrintUnformatted(
	    cJSON_GetObjectItemCaseSensitive(a, "before"));
	char *to = cJSON_PrintUnformatted(
	    cJSON_GetObjectItemCaseSensitive(a, "after"));

	ev_dependents(ev, c);
	finding_add(c, "domain-changed", SEV_HIGH, ev, "The %s of domain %s "
	    "changes from %s to %s: %s", strcmp(name, "not_null") == 0 ?
	    "NOT NULL setting" : strcmp(name, "checks") == 0 ?
	    "CHECK constraints" : "base type", c->object,
	    from ? from : "null", to ? to : "null",
	    strcmp(name, "base_type") == 0 ? "every column of the domain is "
	    "converted, rewriting its table, and the domain is usually "
	    "dropped and recreated." : "adding a constraint scans every "
	    "column of the domain while holding SHARE on its tables "
	    "(blocking writes) and fails if any stored value violates it; "
	    "values accepted before may now be rejected.");
	if (strcmp(name, "base_type") != 0)
		suggest(c, SEV_HIGH, "Add new domain constraints as NOT VALID "
		    "(no scan, no lock on tables), then ALTER DOMAIN ... "
		    "VALIDATE CONSTRAINT.");
	set_risk(c, RISK_SAFE, "The opposite ALTER DOMAIN restores the "
	    "domain.");
	cJSON_free(to);
	cJSON_free(from);
}

void
rules_type(struct change *c)
{
	const cJSON *a;

	if (strcmp(c->op, "add") == 0) {
		set_risk(c, RISK_SAFE, "Dropping the new type restores prod.");
		return;
	}
	if (strcmp(c->op, "drop") == 0) {
		set_risk(c, RISK_DATA_LOSS, "Recreating %s restores the type, "
		    "but columns dropped with it (CASCADE) lose their values.",
		    c->object);
		return;
	}
	if (strcmp(c->op, "rename") == 0) {
		set_risk(c, RISK_SAFE, "Renaming the type back restores it.");
		return;
	}
	cJSON_ArrayForEach(a, c->attrs) {
		const char *name = json_str(a, "name");

		if (name == NULL)
			continue;
		if (strcmp(name, "labels") == 0)
			labels(c, a);
		else if (strcmp(name, "base_type") == 0 ||
		    strcmp(name, "not_null") == 0 ||
		    strcmp(name, "checks") == 0)
			domain(c, a, name);
		else if (strcmp(name, "attributes") == 0) {
			finding_add(c, "composite-type-changed", SEV_MEDIUM,
			    NULL, "The attributes of composite type %s change; "
			    "functions and columns using it see the new shape, "
			    "and code that reads it positionally may break.",
			    c->object);
			set_risk(c, RISK_LOSSY, "Restoring the old attributes "
			    "drops values stored in added ones.");
		}
	}
}
