/*
 * indexes: rules for index builds and drops.
 *
 * idx_scan counts come from the prod primary since its last stats reset;
 * reads served by replicas never reach them, so "no recorded scans" is
 * worded as what it is.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "review.h"

static void
built(struct change *c)
{
	struct buf b = BUF_INIT;
	cJSON *ev;

	if (c->seconds >= 0)
		buf_addf(&b, "%s", hum_secs(c->seconds).s);
	else
		buf_addstr(&b, "the whole build");
	if (fwd_does(c, "CREATE INDEX")) {
		ev = ev_new();
		ev_size(ev, c);
		ev_sql(ev, c);
		finding_add(c, "index-build-blocking",
		    c->bytes > c->cfg->large_bytes ? SEV_HIGH : SEV_MEDIUM, ev,
		    "%s is built without CONCURRENTLY, holding SHARE on %s "
		    "(%s): writes to the table are blocked for %s.", c->object,
		    c->table ? c->table : "its table",
		    hum_size(c).s, b.data);
		suggest(c, SEV_MEDIUM, "Use CREATE INDEX CONCURRENTLY, outside "
		    "a transaction block: it blocks no reads or writes (it "
		    "waits for older transactions, and a failed build leaves "
		    "an INVALID index to drop and retry).");
	} else if (fwd_does(c, "CREATE INDEX CONCURRENTLY")) {
		finding_add(c, "index-added", SEV_LOW, NULL, "%s is built "
		    "CONCURRENTLY on %s (%s): reads and writes continue; the "
		    "build waits for every older transaction and leaves an "
		    "INVALID index behind if it fails%s.", c->object,
		    c->table ? c->table : "its table", hum_size(c).s,
		    c->seconds >= 0 ? " (allow about three times a plain "
		    "build)" : "");
	}
	if (json_true(c->after, "unique") && !json_true(c->after, "primary")
	    && json_str(c->after, "constraint") == NULL && maybe_rows(c)) {
		ev = ev_new();
		ev_size(ev, c);
		finding_add(c, "unique-added", SEV_MEDIUM, ev, "The unique "
		    "index %s fails to build if %s (%s) holds duplicate keys; "
		    "a failed CONCURRENTLY build leaves an INVALID index that "
		    "still slows writes.", c->object, c->table ? c->table :
		    "its table", hum_size(c).s);
	}
	buf_release(&b);
}

static void
dropped(struct change *c)
{
	cJSON *ev = ev_new();
	char line[96];

	if (c->index_scans > 0) {
		snprintf(line, sizeof(line), "index_scans: %lld",
		    (long long)c->index_scans);
		json_push_str(ev, line);
		ev_queries(ev, c);
		finding_add(c, "index-dropped-in-use", c->index_scans >= 1000 ?
		    SEV_HIGH : SEV_MEDIUM, ev, "%s is dropped although prod "
		    "used it for %s since statistics were last reset; queries "
		    "that relied on it fall back to other plans, possibly "
		    "sequential scans of %s (%s).", c->object,
		    hum_count(c->index_scans, "index scan", "index scans").s,
		    c->table ? c->table : "its table", hum_size(c).s);
	} else {
		finding_add(c, "index-dropped", SEV_LOW, ev, "%s is dropped; "
		    "%s (reads served by replicas are not counted there).",
		    c->object, c->index_scans == 0 ? "prod recorded no scans "
		    "of it since statistics were last reset" : "prod has no "
		    "scan statistics for it");
	}
	if (fwd_does(c, "DROP INDEX"))
		suggest(c, SEV_LOW, "Use DROP INDEX CONCURRENTLY, outside a "
		    "transaction block, so the drop does not queue behind "
		    "running queries holding an ACCESS EXCLUSIVE lock.");
	set_risk(c, RISK_SAFE, "Recreating the index restores it (a full "
	    "build, best done CONCURRENTLY).");
}

void
rules_index(struct change *c)
{
	if (strcmp(c->op, "drop") == 0) {
		dropped(c);
	} else if (strcmp(c->op, "add") == 0) {
		built(c);
		set_risk(c, RISK_SAFE, "Dropping the new index restores prod.");
	} else if (strcmp(c->op, "alter") == 0) {
		finding_add(c, "index-definition-changed", SEV_MEDIUM, NULL,
		    "The definition of %s changes, so it is dropped and built "
		    "again; queries planned around the old definition may "
		    "change plans.", c->object);
		built(c);
		set_risk(c, RISK_SAFE, "Rebuilding the old definition restores "
		    "it.");
	} else {
		set_risk(c, RISK_SAFE, "Renaming the index back restores it.");
	}
}
