/*
 * narrative: the review in prose (Markdown), assembled from the findings.
 *
 * Sections: the verdict and why, what changes, what breaks, locks and
 * duration, deploy order, rollback plan.  Every sentence comes from the
 * assessed changes, in diff order, so the text is as deterministic as the
 * JSON.  The deploy order follows expand/contract: code first for
 * anything dropped or renamed, CONCURRENTLY statements outside the
 * transaction, blocking statements under a lock_timeout, drops last.
 */
#include <string.h>

#include "assess.h"
#include "buf.h"
#include "json.h"
#include "review.h"

/* Rules that restate what another section of the narrative covers. */
static int
cross_rule(const char *rule)
{
	return rule && (strcmp(rule, "long-lock-on-large-table") == 0 ||
	    strcmp(rule, "irreversible-change") == 0);
}

/* The most severe finding, preferring one about the object itself. */
static const char *
top_message(const struct change *c)
{
	const cJSON *first = cJSON_GetArrayItem(c->findings, 0), *f;

	if (first == NULL)
		return NULL;
	cJSON_ArrayForEach(f, c->findings) {
		const char *s = json_str(f, "severity");

		if (s == NULL || strcmp(s, json_str(first, "severity")) != 0)
			break;
		if (!cross_rule(json_str(f, "rule")))
			return json_str(f, "message");
	}
	return json_str(first, "message");
}

/* "2 added, 1 dropped and 3 altered", leaving out zero counts. */
static void
counts(struct buf *b, size_t n1, const char *w1, size_t n2, const char *w2,
    size_t n3, const char *w3, size_t n4, const char *w4)
{
	const size_t n[4] = { n1, n2, n3, n4 };
	const char *const w[4] = { w1, w2, w3, w4 };
	size_t i, total = 0, k = 0;

	for (i = 0; i < 4; i++)
		total += n[i] > 0;
	for (i = 0; i < 4; i++) {
		if (n[i] == 0)
			continue;
		if (k > 0)
			buf_addstr(b, k + 1 == total ? " and " : ", ");
		buf_addf(b, "%zu %s", n[i], w[i]);
		k++;
	}
}

/* "Sign-off: @a, @b." when the owners file names anyone. */
static void
owners_line(struct buf *b, const cJSON *owners)
{
	const cJSON *o;
	int k = 0;

	cJSON_ArrayForEach(o, owners) {
		if (!cJSON_IsString(o))
			continue;
		buf_addf(b, "%s%s", k++ ? ", " : "\nSign-off: ",
		    o->valuestring);
	}
	if (k)
		buf_addstr(b, ".\n");
}

static void
intro(struct buf *b, const cJSON *review, const struct change *cs,
    size_t n)
{
	const cJSON *sum = json_obj(review, "summary");
	const char *db = json_str(json_obj(review, "from"), "database");
	const char *host = json_str(json_obj(review, "from"), "host");
	const char *verdict = json_str(sum, "verdict");
	size_t i, add = 0, drop = 0, alter = 0, ren = 0;

	for (i = 0; i < n; i++) {
		if (strcmp(cs[i].op, "add") == 0)
			add++;
		else if (strcmp(cs[i].op, "drop") == 0)
			drop++;
		else if (strcmp(cs[i].op, "rename") == 0)
			ren++;
		else
			alter++;
	}
	buf_addstr(b, "## Verdict\n\n");
	if (n == 0) {
		buf_addstr(b, "Prod already matches staging: there is nothing "
		    "to migrate and nothing to sign off.\n");
		return;
	}
	buf_addf(b, "Bringing prod");
	if (db)
		buf_addf(b, " (`%s`%s%s%s)", db, host ? " on `" : "",
		    host ? host : "", host ? "`" : "");
	buf_addf(b, " to the staging schema takes %s (", hum_count((int64_t)n,
	    "change", "changes").s);
	counts(b, add, "added", drop, "dropped", alter, "altered", ren,
	    "renamed");
	buf_addstr(b, "). ");
	if (verdict && strcmp(verdict, "block") == 0)
		buf_addstr(b, "**Verdict: block.** At least one change will "
		    "break prod or lose data as it stands; fix the critical "
		    "findings below before applying it.\n");
	else if (verdict && strcmp(verdict, "needs_signoff") == 0)
		buf_addstr(b, "**Verdict: needs sign-off.** Nothing is known "
		    "to break, but some changes lock tables, change behaviour "
		    "or cannot be fully rolled back; the owners should accept "
		    "them explicitly.\n");
	else
		buf_addstr(b, "**Verdict: safe.** No change blocks prod for "
		    "long, breaks a known reader or loses data.\n");
	owners_line(b, json_arr(review, "owners"));
}

static void
changes_list(struct buf *b, const struct change *cs, size_t n)
{
	size_t i;

	if (n == 0)
		return;
	buf_addstr(b, "\n## What changes\n\n");
	for (i = 0; i < n; i++) {
		const char *m = top_message(&cs[i]);

		buf_addf(b, "- **%s** `%s`: %s\n", sev_name(cs[i].sev),
		    cs[i].id,
		    m ? m : "no rule of the catalogue applies.");
	}
}

static void
breaks(struct buf *b, const struct change *cs, size_t n)
{
	size_t i, k = 0;
	const cJSON *f;

	if (n == 0)
		return;
	buf_addstr(b, "\n## What breaks\n\n");
	for (i = 0; i < n; i++) {
		cJSON_ArrayForEach(f, cs[i].findings) {
			enum sev s = SEV_INFO;

			sev_parse(json_str(f, "severity"), &s);
			if (s < SEV_HIGH || cross_rule(json_str(f, "rule")))
				continue;
			buf_addf(b, "- %s\n", json_str(f, "message"));
			k++;
		}
	}
	if (k == 0)
		buf_addstr(b, "No finding is high or critical: nothing known "
		    "to read or write these objects breaks.\n");
}

static void
locks(struct buf *b, const struct change *cs, size_t n)
{
	size_t i, k = 0;

	if (n == 0)
		return;
	buf_addstr(b, "\n## Locks and duration\n\n");
	for (i = 0; i < n; i++) {
		const struct change *c = &cs[i];

		if (c->heavy.what == NULL || (c->heavy.work == WORK_NONE &&
		    c->heavy.lock < LK_SH) ||
		    c->heavy.blocks == BLOCKS_NOTHING)
			continue;
		buf_addf(b, "- `%s`: %s takes %s and blocks %s", c->object,
		    c->heavy.what, lock_name(c->heavy.lock),
		    c->heavy.blocks == BLOCKS_ALL ? "reads and writes" :
		    "writes");
		if (c->heavy.work != WORK_NONE && c->seconds >= 0)
			buf_addf(b, " while it %s %s (%s, %s)",
			    c->heavy.work == WORK_REWRITE ? "rewrites" :
			    "scans", c->table ? c->table : c->object,
			    hum_size(c).s, hum_secs(c->seconds).s);
		else if (c->heavy.work != WORK_NONE)
			buf_addf(b, " while it %s %s (size unknown)",
			    c->heavy.work == WORK_REWRITE ? "rewrites" :
			    "scans", c->table ? c->table : c->object);
		else
			buf_addstr(b, ", briefly");
		buf_addstr(b, ".\n");
		k++;
	}
	if (k == 0)
		buf_addstr(b, "No statement blocks reads or writes beyond a "
		    "brief catalog update.\n");
	else
		buf_addstr(b, "\nDurations assume the throughput in "
		    "impact-agent(1) and exclude the wait for the lock itself: "
		    "a DDL statement waiting for its lock queues every later "
		    "query on the table behind it.\n");
}

static int
is_contract(const struct change *c)
{
	return strcmp(c->op, "drop") == 0 && (strcmp(c->kind, "column") == 0
	    || strcmp(c->kind, "table") == 0 || strcmp(c->kind, "view") == 0
	    || strcmp(c->kind, "materialized_view") == 0 ||
	    strcmp(c->kind, "function") == 0);
}

static void
deploy(struct buf *b, const struct change *cs, size_t n)
{
	size_t i, k = 0, conc = 0, blocking = 0, step = 1, contract = 0;
	const cJSON *sql;

	if (n == 0)
		return;
	for (i = 0; i < n; i++) {
		if (is_contract(&cs[i]) || strcmp(cs[i].op, "rename") == 0)
			contract++;
		if (cs[i].lock >= LK_SH || cs[i].downtime)
			blocking++;
		cJSON_ArrayForEach(sql, cs[i].fwd)
			if (cJSON_IsString(sql) && strstr(sql->valuestring,
			    "CONCURRENTLY"))
				conc++;
	}
	buf_addstr(b, "\n## Deploy order\n\n");
	if (contract > 0) {
		buf_addf(b, "%zu. Deploy application code that no longer uses ",
		    step++);
		for (i = 0; i < n; i++) {
			if (!is_contract(&cs[i]) &&
			    strcmp(cs[i].op, "rename") != 0)
				continue;
			buf_addf(b, "%s`%s`", k++ ? ", " : "",
			    strcmp(cs[i].op, "rename") == 0 &&
			    cs[i].renamed_from ? cs[i].renamed_from :
			    cs[i].object);
		}
		buf_addstr(b, ", and confirm in pg_stat_statements that no "
		    "query names them any more.\n");
	}
	if (conc > 0)
		buf_addf(b, "%zu. Run the %zu CONCURRENTLY %s each on its own, "
		    "outside a transaction block; check afterwards that no "
		    "index was left INVALID.\n", step++, conc,
		    conc == 1 ? "statement" : "statements");
	if (blocking > 0) {
		buf_addf(b, "%zu. Apply the %sforward script with "
		    "`SET lock_timeout = '5s'`, retrying on timeout, so a "
		    "waiting ALTER never queues all traffic behind it; run it "
		    "in a quiet period for the locks listed above.\n", step,
		    step > 1 ? "rest of the " : "");
		step++;
	} else
		buf_addf(b, "%zu. Apply the forward script; nothing in it "
		    "blocks prod traffic for long.\n", step++);
	if (contract > 0)
		buf_addf(b, "%zu. Keep the dropped data recoverable (a dump of "
		    "the affected tables and columns) until the release has "
		    "run cleanly.\n", step++);
}

static void
rollback(struct buf *b, const struct change *cs, size_t n)
{
	size_t i, k = 0;

	if (n == 0)
		return;
	buf_addstr(b, "\n## Rollback plan\n\n");
	for (i = 0; i < n; i++) {
		if (cs[i].risk < RISK_DATA_LOSS)
			continue;
		if (k++ == 0)
			buf_addstr(b, "These changes cannot be fully undone by "
			    "the rollback script:\n\n");
		buf_addf(b, "- `%s` (%s): %s\n", cs[i].id,
		    risk_name(cs[i].risk), cs[i].risk_notes);
	}
	if (k == 0)
		buf_addstr(b, "Every change rolls back with the rollback "
		    "script without losing prod data");
	else
		buf_addstr(b, "\nEverything else rolls back with the rollback "
		    "script");
	buf_addstr(b, "; data written to added objects after the migration "
	    "is lost when they are dropped again. Take a backup before "
	    "applying.\n");
}

static void
alternatives(struct buf *b, const struct change *cs, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (cs[i].alternative == NULL || cs[i].alt_sev < SEV_MEDIUM)
			continue;
		if (k++ == 0)
			buf_addstr(b, "\n## Safer alternatives\n\n");
		buf_addf(b, "- `%s`: %s\n", cs[i].object, cs[i].alternative);
	}
}

char *
narrative_write(const cJSON *review, const struct change *cs, size_t n)
{
	struct buf b = BUF_INIT;

	intro(&b, review, cs, n);
	changes_list(&b, cs, n);
	breaks(&b, cs, n);
	locks(&b, cs, n);
	deploy(&b, cs, n);
	rollback(&b, cs, n);
	alternatives(&b, cs, n);
	return buf_detach(&b, NULL);
}
