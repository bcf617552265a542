/*
 * summary: the review's verdict in numbers and one line.
 *
 * risk is the highest change severity; verdict is block on any critical
 * change, needs_signoff on any high or medium change or any rollback that
 * loses data, else safe (rules.md).  requires_downtime counts statements
 * that block reads while they scan or rewrite, or block writes while they
 * do so on a large table; a brief ACCESS EXCLUSIVE for a catalog-only
 * change is reported as its lock but is not downtime.
 */
#include <string.h>

#include "assess.h"
#include "buf.h"
#include "json.h"
#include "review.h"

/* Short headline phrases per rule; %s is the object. */
static const struct {
	const char	*rule;
	const char	*fmt;
} titles[] = {
	{ "dropped-column-still-referenced", "dropped column %s is still "
	    "used" },
	{ "dropped-table-still-referenced", "dropped table %s is still used" },
	{ "referenced-by-app-code", "application code still names %s" },
	{ "not-null-column-without-default", "NOT NULL column %s has no "
	    "default" },
	{ "rls-enabled-without-policy", "row level security on %s has no "
	    "policy" },
	{ "enum-value-removed", "enum %s loses a label" },
	{ "dropped-schema", "schema %s is dropped" },
	{ "dropped-column", "column %s is dropped with its data" },
	{ "dropped-table", "table %s is dropped with its data" },
	{ "dropped-view", "view %s is dropped" },
	{ "renamed-column", "column %s is renamed" },
	{ "renamed-table", "table %s is renamed" },
	{ "set-not-null", "SET NOT NULL scans %s under ACCESS EXCLUSIVE" },
	{ "long-lock-on-large-table", "%s is locked for a long scan or "
	    "rewrite" },
	{ "column-type-narrowed", "%s is narrowed" },
	{ "column-type-rewrite", "the type change of %s rewrites its table" },
	{ "fk-added-validating", "foreign key %s validates while blocking "
	    "writes" },
	{ "check-added-validating", "check %s validates under ACCESS "
	    "EXCLUSIVE" },
	{ "index-build-blocking", "index %s is built without CONCURRENTLY" },
	{ "index-dropped-in-use", "index %s is dropped while in use" },
	{ "function-signature-changed", "function %s changes signature" },
	{ "view-columns-changed", "view %s changes its columns" },
	{ "privilege-revoked", "a privilege is revoked (%s)" },
	{ "policy-changed", "policy %s changes" },
	{ "primary-key-changed", "the primary key %s changes" },
	{ "table-set-unlogged", "%s becomes UNLOGGED" },
	{ "volatile-default", "%s is added with a volatile default" },
	{ "default-dropped", "NOT NULL column %s loses its default" },
	{ "domain-changed", "domain %s changes" },
	{ "constraint-dropped", "constraint %s is dropped" },
	{ "sequence-changed", "sequence %s changes" },
	{ "extension-changed", "extension %s changes" },
	{ "partition-attached", "partition %s is attached" },
	{ "partition-detached", "partition %s is detached" },
	{ "irreversible-change", "the rollback of %s cannot restore prod" },
	{ "enum-value-added", "enum %s gains a label it cannot lose" },
	{ "composite-type-changed", "composite type %s changes" },
	{ "view-definition-changed", "view %s returns different rows" },
	{ "materialized-view-changed", "materialized view %s must be "
	    "refreshed" },
	{ "function-body-changed", "the body of %s changes" },
	{ "trigger-changed", "trigger %s changes how writes behave" },
	{ "default-changed", "the default of %s changes" },
	{ "identity-or-generated-changed", "identity or generation of %s "
	    "changes" },
	{ "collation-changed", "the collation of %s changes" },
	{ "unique-added", "%s can fail on duplicates" },
	{ "index-definition-changed", "index %s is rebuilt" },
	{ "index-added", "index %s is built concurrently" },
	{ "index-dropped", "unused index %s is dropped" },
	{ "drop-not-null", "%s may now hold NULL" },
	{ "privilege-granted", "a privilege is granted (%s)" },
	{ "owner-changed", "the owner of %s changes" },
	{ "comment-changed", "the comment on %s changes" },
	{ "column-type-compatible", "%s changes type without a rewrite" },
	{ NULL, NULL }
};

static void
title(struct buf *b, const char *rule, const char *object)
{
	int i;

	for (i = 0; titles[i].rule; i++) {
		if (strcmp(titles[i].rule, rule) == 0) {
			buf_addf(b, titles[i].fmt, object);
			return;
		}
	}
	buf_addf(b, "%s (%s)", object, rule);
}

static void
headline(struct buf *b, const struct change *cs, size_t n,
    const int *counts, int downtime, size_t nignored)
{
	const struct change *top = NULL;
	const cJSON *f;
	size_t i;
	int s, k = 0;

	if (n == 0) {
		buf_addstr(b,
		    "No schema drift to review: prod matches staging");
		if (nignored > 0)
			buf_addf(b, " apart from %zu ignored %s", nignored,
			    nignored == 1 ? "change" : "changes");
		return;
	}
	for (i = 0; i < n; i++)
		if (top == NULL || cs[i].sev > top->sev)
			top = &cs[i];
	buf_addf(b, "%zu %s", n, n == 1 ? "change" : "changes");
	for (s = SEV_CRITICAL; s >= SEV_MEDIUM; s--) {
		if (counts[s] == 0)
			continue;
		buf_addf(b, "%s%d %s", k++ ? ", " : " (", counts[s],
		    sev_name((enum sev)s));
	}
	if (k)
		buf_addch(b, ')');
	f = cJSON_GetArrayItem(top->findings, 0);
	if (f && top->sev >= SEV_MEDIUM) {
		buf_addstr(b, "; ");
		title(b, json_str(f, "rule"), top->object);
	} else {
		buf_addstr(b, "; nothing blocks or breaks prod");
	}
	if (downtime)
		buf_addstr(b, "; needs a maintenance window");
}

void
summary_fill(cJSON *summary, const struct change *cs, size_t n,
    size_t nignored)
{
	static const char *const members[] = {
		"risk", "changes", "by_severity", "irreversible",
		"requires_downtime", "verdict", "headline", "ignored", NULL
	};
	int counts[SEV_COUNT] = { 0 }, downtime = 0, s;
	size_t i, irrev = 0;
	enum sev risk = SEV_INFO;
	const char *verdict;
	cJSON *by = cJSON_CreateObject();
	struct buf head = BUF_INIT;

	for (i = 0; i < n; i++) {
		counts[cs[i].sev]++;
		if (cs[i].sev > risk)
			risk = cs[i].sev;
		if (cs[i].risk >= RISK_DATA_LOSS)
			irrev++;
		downtime |= cs[i].downtime;
	}
	if (counts[SEV_CRITICAL] > 0)
		verdict = "block";
	else if (counts[SEV_HIGH] + counts[SEV_MEDIUM] > 0 || irrev > 0)
		verdict = "needs_signoff";
	else
		verdict = "safe";
	for (s = SEV_CRITICAL; s >= SEV_INFO; s--)
		json_add_int64(by, sev_name((enum sev)s), counts[s]);
	headline(&head, cs, n, counts, downtime, nignored);

	for (s = 0; members[s]; s++)
		cJSON_DeleteItemFromObjectCaseSensitive(summary, members[s]);
	/* The diff's by_op counted the changes the config left out. */
	if (nignored > 0) {
		static const char *const ops[] = {
			"add", "drop", "alter", "rename", NULL
		};
		cJSON *by_op = cJSON_CreateObject();

		for (s = 0; ops[s]; s++) {
			int64_t k = 0;

			for (i = 0; i < n; i++)
				k += strcmp(cs[i].op, ops[s]) == 0;
			json_add_int64(by_op, ops[s], k);
		}
		cJSON_DeleteItemFromObjectCaseSensitive(summary, "by_op");
		cJSON_AddItemToObject(summary, "by_op", by_op);
	}
	json_add_str(summary, "risk", sev_name(risk));
	json_add_int64(summary, "changes", (int64_t)n);
	cJSON_AddItemToObject(summary, "by_severity", by);
	json_add_int64(summary, "irreversible", (int64_t)irrev);
	json_add_bool(summary, "requires_downtime", downtime);
	json_add_str(summary, "verdict", verdict);
	json_add_str(summary, "headline", head.data);
	json_add_int64(summary, "ignored", (int64_t)nignored);
	buf_release(&head);
}
