/*
 * page: the sections of the page other than the per-change ones, which
 * are in change.c.  Counts shown here are computed from the changes
 * themselves rather than copied from the summary, so the page cannot
 * contradict its own table.
 */
#include <string.h>

#include "buf.h"
#include "change.h"
#include "die.h"
#include "facts.h"
#include "json.h"
#include "markdown.h"
#include "markup.h"
#include "page.h"
#include "review.h"

static void
server_cell(struct markup *m, const cJSON *src)
{
	const char *host = json_str(src, "host");
	const char *version = json_str(src, "server_version");
	const cJSON *port = cJSON_GetObjectItemCaseSensitive(src, "port");
	struct buf t = BUF_INIT;

	if (host != NULL)
		buf_addstr(&t, host);
	if (host != NULL && cJSON_IsNumber(port))
		buf_addf(&t, ":%d", port->valueint);
	if (version != NULL)
		buf_addf(&t, "%sPostgreSQL %s", t.len ? ", " : "", version);
	mk_raw(m, "<td>");
	mk_text(m, t.len ? t.data : "unknown");
	mk_raw(m, "</td>");
	buf_release(&t);
}

static void
source_row(struct markup *m, const char *name, const cJSON *from,
    const cJSON *to, const char *member)
{
	const char *a = json_str(from, member), *b = json_str(to, member);

	mk_raw(m, "<tr><th>");
	mk_text(m, name);
	mk_raw(m, "</th><td>");
	mk_text(m, a ? a : "unknown");
	mk_raw(m, "</td><td>");
	mk_text(m, b ? b : "unknown");
	mk_raw(m, "</td></tr>");
}

/* The two databases: prod is what the migration is applied to. */
static void
databases(struct markup *m, const struct review *r)
{
	const char *fl = json_str(r->from, "label");
	const char *tl = json_str(r->to, "label");

	mk_raw(m, "<table><tbody><tr><th></th><th>");
	mk_textf(m, "From: %s (now)", fl ? fl : "prod");
	mk_raw(m, "</th><th>");
	mk_textf(m, "To: %s (wanted)", tl ? tl : "staging");
	mk_raw(m, "</th></tr>");
	source_row(m, "Database", r->from, r->to, "database");
	mk_raw(m, "<tr><th>Server</th>");
	server_cell(m, r->from);
	server_cell(m, r->to);
	mk_raw(m, "</tr>");
	source_row(m, "Snapshot taken", r->from, r->to, "taken_at");
	mk_raw(m, "</tbody></table>");
}

static void
identity(struct markup *m, const struct review *r)
{
	const char *pair = json_str(r->root, "pair");
	const char *fp = json_str(r->root, "fingerprint");
	const cJSON *agent = json_obj(r->root, "agent");
	const char *mode = json_str(agent, "mode");
	const char *model = json_str(agent, "model");

	mk_raw(m, "<p>");
	if (pair != NULL) {
		mk_text(m, "Pair ");
		mk_code_inline(m, pair);
		mk_text(m, ". ");
	}
	if (fp != NULL) {
		mk_text(m, "Drift fingerprint ");
		mk_code_inline(m, fp);
		mk_text(m, ". ");
	}
	/* After a failed model call the mode is "rules", model or not. */
	if (mode != NULL && strcmp(mode, "llm") == 0)
		mk_textf(m, "Assessed by the rules, then reasoned over by "
		    "the model %s.", model ? model : "(unnamed)");
	else
		mk_text(m, "Assessed by the rules alone.");
	mk_raw(m, "</p>");
}

static void
header(struct markup *m, const struct review *r)
{
	const char *headline = json_str(r->summary, "headline");
	const char *llm_error = json_str(json_obj(r->root, "agent"),
	    "llm_error");
	const char *panel = "info", *title = "Safe to apply";
	struct buf t = BUF_INIT;

	mk_raw(m, "<p><strong>Verdict</strong> ");
	fact_verdict(m, r->verdict);
	if (r->nchanges > 0) {
		mk_raw(m, " <strong>Highest severity</strong> ");
		fact_severity(m, r->risk);
		mk_textf(m, " %zu change%s", r->nchanges,
		    r->nchanges == 1 ? "" : "s");
	}
	mk_raw(m, "</p>");
	if (r->nchanges == 0) {
		panel = "tip";
		title = "No drift";
	} else if (r->verdict && strcmp(r->verdict, "block") == 0) {
		panel = "warning";
		title = "Blocked: do not apply as it stands";
	} else if (r->verdict && strcmp(r->verdict, "needs_signoff") == 0) {
		panel = "note";
		title = "Needs sign-off before it is applied";
	}
	if (headline == NULL) {
		if (r->nchanges == 0)
			buf_addstr(&t, "The prod schema matches staging.");
		else
			buf_addf(&t, "%zu schema change%s between staging "
			    "and prod.", r->nchanges,
			    r->nchanges == 1 ? "" : "s");
		headline = t.data;
	}
	mk_panel_begin(m, panel, title);
	mk_raw(m, "<p>");
	mk_text(m, headline);
	mk_raw(m, "</p>");
	mk_panel_end(m);
	if (llm_error != NULL) {
		mk_panel_begin(m, "note", "Written by the rules alone");
		mk_raw(m, "<p>");
		mk_textf(m, "The model call failed, so no model "
		    "reviewed these findings: %s", llm_error);
		mk_raw(m, "</p>");
		mk_panel_end(m);
	}
	databases(m, r);
	identity(m, r);
	buf_release(&t);
}

static void
summary_table(struct markup *m, const struct review *r)
{
	size_t count[5] = { 0 };
	static const char *names[5] = {
		"critical", "high", "medium", "low", "info"
	};

	for (size_t i = 0; i < r->nchanges; i++)
		count[r->changes[i].rank]++;
	mk_heading(m, 2, "changes", "Changes at a glance");
	mk_raw(m, "<p>");
	for (int s = 0; s < 5; s++) {
		if (count[s] == 0)
			continue;
		fact_severity(m, names[s]);
		mk_textf(m, " %zu ", count[s]);
	}
	mk_raw(m, "</p><table><tbody>");
	change_row_header(m);
	for (size_t i = 0; i < r->nchanges; i++)
		change_row(m, &r->changes[i]);
	mk_raw(m, "</tbody></table>");
}

static void
narrative(struct markup *m, const struct review *r)
{
	const char *text = json_str(r->summary, "narrative");

	if (text == NULL || *text == '\0')
		return;
	mk_heading(m, 2, "review", "Review");
	md_render(m, text, 3);
}

/* Changes whose rollback cannot give everything back. */
static size_t
count_lossy(const struct review *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nchanges; i++) {
		const char *risk = json_str(json_obj(r->changes[i].assessment,
		    "rollback"), "risk");

		n += risk && (strcmp(risk, "data_loss") == 0 ||
		    strcmp(risk, "irreversible") == 0);
	}
	return n;
}

static void
owners(struct markup *m, const struct review *r)
{
	const cJSON *all = json_arr(r->root, "owners"), *o;

	if (cJSON_GetArraySize(all) == 0) {
		mk_raw(m, "<p>No owner was matched to the changed objects; "
		    "the person applying the migration signs off.</p>");
		return;
	}
	mk_raw(m, "<table><tbody><tr><th>Owner</th><th>Changes</th></tr>");
	cJSON_ArrayForEach(o, all) {
		int first = 1;

		mk_raw(m, "<tr><td>");
		mk_text(m, o->valuestring);
		mk_raw(m, "</td><td>");
		for (size_t i = 0; i < r->nchanges; i++) {
			const struct change *c = &r->changes[i];
			struct buf t = BUF_INIT;

			if (json_str_index(json_arr(c->assessment, "owners"),
			    o->valuestring) < 0)
				continue;
			mk_text(m, first ? "" : ", ");
			buf_addf(&t, "%zu", c->number);
			mk_anchor_link(m, c->anchor, t.data);
			buf_release(&t);
			first = 0;
		}
		mk_raw(m, "</td></tr>");
	}
	mk_raw(m, "</tbody></table>");
}

static void
task(struct markup *m, const char *text)
{
	mk_task_begin(m);
	mk_text(m, text);
	mk_task_end(m);
}

static void
checklist(struct markup *m, const struct review *r)
{
	size_t lossy = count_lossy(r), critical = 0;
	struct buf t = BUF_INIT;

	for (size_t i = 0; i < r->nchanges; i++)
		critical += r->changes[i].rank == 0;
	mk_tasks_begin(m);
	task(m, "Every owner listed above has read the changes of their "
	    "objects");
	if (critical == 1)
		task(m, "The critical change has been fixed in staging, or "
		    "accepted in writing with the reason");
	else if (critical > 1) {
		buf_addf(&t, "The %zu critical changes have been fixed in "
		    "staging, or accepted in writing with the reason",
		    critical);
		task(m, t.data);
	}
	if (json_true(r->summary, "requires_downtime"))
		task(m, "A maintenance window is agreed: the migration "
		    "blocks prod for its duration");
	if (lossy > 0) {
		buf_reset(&t);
		buf_addf(&t, "A backup of prod is verified and restorable: "
		    "%zu change%s cannot be rolled back without it", lossy,
		    lossy == 1 ? "" : "s");
		task(m, t.data);
	}
	task(m, "The forward script was applied to a copy of prod and the "
	    "application was tested against it");
	task(m, "The rollback script was tested on that copy");
	mk_tasks_end(m);
	buf_release(&t);
}

static void
signoff(struct markup *m, const struct review *r)
{
	const char *fwd = json_str(r->root, "forward_script");
	const char *back = json_str(r->root, "rollback_script");

	mk_heading(m, 2, "sign-off", "Sign-off");
	owners(m, r);
	checklist(m, r);
	if (fwd == NULL && back == NULL)
		return;
	mk_heading(m, 3, "scripts", "Migration scripts");
	mk_raw(m, "<p>In the order they run; statements that cannot run "
	    "inside a transaction are outside it.</p>");
	if (fwd != NULL) {
		mk_expand_begin(m, "Forward script");
		mk_code(m, "sql", "forward.sql", fwd);
		mk_expand_end(m);
	}
	if (back != NULL) {
		mk_expand_begin(m, "Rollback script");
		mk_code(m, "sql", "rollback.sql", back);
		mk_expand_end(m);
	}
}

static void
footer(struct markup *m, const struct review *r)
{
	const cJSON *agent = json_obj(r->root, "agent");
	const char *rules = json_str(agent, "rules_version");

	mk_raw(m, "<hr/><p><em>");
	mk_textf(m, "Written by render-confluence %s", DRIFT_VERSION);
	if (rules != NULL)
		mk_textf(m, " from a review by rule catalogue version %s",
		    rules);
	mk_text(m, ". Edits to this page are replaced when the drift "
	    "changes.");
	mk_raw(m, "</em></p>");
}

void
page_write(struct markup *m, const struct review *r)
{
	header(m, r);
	if (r->nchanges > 0) {
		mk_toc(m);
		summary_table(m, r);
		narrative(m, r);
		mk_heading(m, 2, "by-severity", "Changes by severity");
		for (size_t i = 0; i < r->nchanges; i++)
			change_section(m, &r->changes[i]);
		signoff(m, r);
	}
	footer(m, r);
}
