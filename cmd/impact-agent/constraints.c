/*
 * constraints: rules for added, dropped and changed constraints.
 *
 * Whether an added constraint scans the table is read from the forward
 * SQL (ADD ... NOT VALID plus a separate VALIDATE CONSTRAINT does not
 * block), so a diff tool that emits the safe form is credited for it.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "review.h"

static void
for_seconds(struct buf *b, const struct change *c)
{
	if (c->seconds >= 0)
		buf_addf(b, " for %s", hum_secs(c->seconds).s);
}

/* Another change of the diff drops a primary key of the same table. */
static const struct change *
pk_dropped_beside(const struct change *c)
{
	size_t i;

	for (i = 0; i < c->nall; i++) {
		const struct change *o = &c->all[i];
		const char *type = json_str(o->before, "type");

		if (o != c && strcmp(o->kind, "constraint") == 0 &&
		    strcmp(o->op, "drop") == 0 && o->table && c->table &&
		    strcmp(o->table, c->table) == 0 && type &&
		    strcmp(type, "primary_key") == 0)
			return o;
	}
	return NULL;
}

static void
columns_text(struct buf *b, const cJSON *con)
{
	const cJSON *col;
	int first = 1;

	buf_addch(b, '(');
	cJSON_ArrayForEach(col, json_arr(con, "columns")) {
		if (!cJSON_IsString(col))
			continue;
		buf_addf(b, "%s%s", first ? "" : ", ", col->valuestring);
		first = 0;
	}
	buf_addch(b, ')');
}

static void
pk_changed(struct change *c, const cJSON *old)
{
	struct buf from = BUF_INIT, to = BUF_INIT;

	columns_text(&from, old);
	columns_text(&to, c->after);
	finding_add(c, "primary-key-changed", SEV_HIGH, NULL, "The primary "
	    "key of %s changes from %s to %s: rows are identified "
	    "differently, foreign keys and ON CONFLICT clauses that target "
	    "the old key break, and the new key's index is built.", c->table,
	    from.data, to.data);
	buf_release(&to);
	buf_release(&from);
}

static void
added(struct change *c)
{
	const char *type = json_str(c->after, "type");
	const char *target = json_str(json_obj(c->after, "references"),
	    "table");
	struct buf b = BUF_INIT;
	const struct change *oldpk;
	cJSON *ev;

	if (type == NULL)
		type = "";
	for_seconds(&b, c);
	if (strcmp(type, "foreign_key") == 0 && maybe_rows(c) &&
	    fwd_does(c, "ADD FOREIGN KEY")) {
		ev = ev_new();
		ev_size(ev, c);
		ev_sql(ev, c);
		finding_add(c, "fk-added-validating", SEV_HIGH, ev,
		    "The foreign "
		    "key %s is added without NOT VALID, so PostgreSQL checks "
		    "every row of %s (%s) while holding SHARE ROW EXCLUSIVE on "
		    "it and on %s, blocking writes to both%s; the ALTER fails "
		    "on any orphan row.", c->object, c->table, hum_size(c).s,
		    target ? target : "the referenced table", b.data);
		suggest(c, SEV_HIGH, "ADD CONSTRAINT ... NOT VALID (brief "
		    "lock, new rows are checked at once), then VALIDATE "
		    "CONSTRAINT in a separate statement: it scans holding "
		    "only SHARE UPDATE EXCLUSIVE, which blocks no reads or "
		    "writes.");
	}
	if (strcmp(type, "check") == 0 && maybe_rows(c) &&
	    fwd_does(c, "ADD CHECK")) {
		ev = ev_new();
		ev_size(ev, c);
		ev_sql(ev, c);
		finding_add(c, "check-added-validating",
		    c->bytes > c->cfg->large_bytes ? SEV_HIGH : SEV_MEDIUM, ev,
		    "The check %s is added validated, so PostgreSQL scans %s "
		    "(%s) under ACCESS EXCLUSIVE, blocking reads and writes%s; "
		    "the ALTER fails if any row violates it.", c->object,
		    c->table, hum_size(c).s, b.data);
		suggest(c, SEV_MEDIUM, "ADD CONSTRAINT ... NOT VALID, then "
		    "VALIDATE CONSTRAINT separately: the scan then holds only "
		    "SHARE UPDATE EXCLUSIVE.");
	}
	if ((strcmp(type, "unique") == 0 || strcmp(type, "primary_key") == 0)
	    && maybe_rows(c) && (fwd_does(c, "ADD UNIQUE") ||
	    fwd_does(c, "ADD PRIMARY KEY") ||
	    fwd_does(c, "ADD CONSTRAINT ... USING INDEX"))) {
		int using = fwd_does(c, "ADD CONSTRAINT ... USING INDEX");

		ev = ev_new();
		ev_size(ev, c);
		ev_sql(ev, c);
		finding_add(c, "unique-added", SEV_MEDIUM, ev, "%s adds a %s "
		    "constraint on %s (%s): the ALTER fails if existing rows "
		    "hold duplicates%s%s.", c->object,
		    strcmp(type, "unique") == 0 ? "UNIQUE" : "PRIMARY KEY",
		    c->table, hum_size(c).s, strcmp(type, "primary_key") == 0 ?
		    " or NULLs" : "", using ? ", and attaching the prepared "
		    "index takes a brief ACCESS EXCLUSIVE lock" : ", and the "
		    "index is built under ACCESS EXCLUSIVE, blocking reads and "
		    "writes for the whole build");
		if (!using)
			suggest(c, SEV_MEDIUM,
			    "CREATE UNIQUE INDEX CONCURRENTLY "
			    "first (outside a transaction), then ADD "
			    "CONSTRAINT "
			    "... %s USING INDEX, which only takes a brief "
			    "lock.", strcmp(type, "unique") == 0 ? "UNIQUE" :
			    "PRIMARY KEY");
	}
	if (strcmp(type, "primary_key") == 0 &&
	    (oldpk = pk_dropped_beside(c)) != NULL)
		pk_changed(c, oldpk->before);
	set_risk(c, RISK_SAFE, "Dropping the constraint restores the prod "
	    "schema; no data changes.");
	buf_release(&b);
}

static int
upserts(const struct change *c, cJSON *ev)
{
	const cJSON *q;
	int n = 0;

	cJSON_ArrayForEach(q, c->queries) {
		const char *text = json_str(q, "query");

		if (text && (strstr(text, "ON CONFLICT") ||
		    strstr(text, "on conflict"))) {
			n++;
			json_push_str(ev, text);
		}
	}
	return n;
}

static void
dropped(struct change *c)
{
	const char *type = json_str(c->before, "type");
	int uniq = type && (strcmp(type, "unique") == 0 ||
	    strcmp(type, "primary_key") == 0);
	cJSON *ev = ev_new();
	int n = uniq ? upserts(c, ev) : 0;

	if (n > 0)
		finding_add(c, "constraint-dropped", SEV_HIGH, ev, "%s is "
		    "dropped while %s use ON CONFLICT in prod; without a "
		    "matching unique constraint they fail with \"there is no "
		    "unique or exclusion constraint matching the ON CONFLICT "
		    "specification\".", c->object, hum_count(n, "query",
		    "queries").s);
	else
		finding_add(c, "constraint-dropped", SEV_MEDIUM, ev, "%s is "
		    "dropped; %s.", c->object, type == NULL ? "rows it "
		    "rejected are accepted from now on" :
		    strcmp(type, "foreign_key") == 0 ? "rows that break the "
		    "relationship can be written from now on" :
		    strcmp(type, "check") == 0 ? "values it rejected are "
		    "accepted from now on" : strcmp(type, "primary_key") == 0 ?
		    "duplicate keys can be written and its index is dropped" :
		    "duplicates can be written and its index is dropped");
	set_risk(c, RISK_SAFE, "Re-adding the constraint restores the "
	    "schema, but fails if violating rows were written meanwhile.");
}

void
rules_constraint(struct change *c)
{
	const cJSON *cols;

	if (strcmp(c->op, "drop") == 0) {
		dropped(c);
	} else if (strcmp(c->op, "add") == 0) {
		added(c);
	} else if (strcmp(c->op, "alter") == 0) {
		const char *type = json_str(c->after, "type");

		set_risk(c, RISK_SAFE, "Restoring the prod definition of the "
		    "constraint undoes the change; it fails if rows written "
		    "meanwhile violate it.");
		added(c);
		cols = attr_get(c, "columns");
		if (cols && type && strcmp(type, "primary_key") == 0 &&
		    !has_finding(c, "primary-key-changed"))
			pk_changed(c, c->before);
	} else {
		set_risk(c, RISK_SAFE, "Renaming the constraint back restores "
		    "it.");
	}
}
