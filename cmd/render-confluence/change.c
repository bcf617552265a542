/*
 * change: the per-change parts of the page.  What a reviewer needs first
 * comes first: severity, lock and rollback risk in a small table, then the
 * findings with their evidence, then the SQL, which can be long and so
 * goes into expand sections past CODE_EXPAND_LINES.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "change.h"
#include "facts.h"
#include "json.h"
#include "markdown.h"
#include "markup.h"
#include "review.h"

/* More evidence lines or SQL lines than these go into expand sections. */
#define EVIDENCE_INLINE	3
#define CODE_EXPAND_LINES	12

/* "drop column", "rename table", ... */
static void
what(struct buf *b, const struct change *c)
{
	fact_words(b, c->op);
	buf_addch(b, ' ');
	fact_words(b, c->object_kind);
}

static void
lock_text(struct buf *b, const cJSON *a)
{
	const char *lock = json_str(a, "lock"), *blocks = json_str(a, "blocks");

	buf_addstr(b, lock ? lock : "none");
	if (blocks != NULL && strcmp(blocks, "nothing") != 0) {
		buf_addstr(b, ", blocks ");
		fact_words(b, blocks);
	}
}

static void
rewrite_text(struct buf *b, const cJSON *a)
{
	const char *rewrite = json_str(a, "rewrite");
	const cJSON *est = cJSON_GetObjectItemCaseSensitive(a,
	    "estimated_seconds");

	fact_words(b, rewrite ? rewrite : "none");
	if (cJSON_IsNumber(est)) {
		buf_addstr(b, ", ");
		fact_duration(b, est->valuedouble);
	}
}

static void
join(struct buf *b, const cJSON *arr, const char *sep)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, arr) {
		if (b->len > 0)
			buf_addstr(b, sep);
		buf_addstr(b, v->valuestring);
	}
}

/* Statements one per line, each ending in a newline. */
static char *
statements(const cJSON *arr)
{
	struct buf b = BUF_INIT;
	const cJSON *v;

	cJSON_ArrayForEach(v, arr) {
		buf_addstr(&b, v->valuestring);
		if (b.len > 0 && b.data[b.len - 1] != '\n')
			buf_addch(&b, '\n');
	}
	return buf_detach(&b, NULL);
}

static void
cell_text(struct markup *m, const char *text)
{
	mk_raw(m, "<td>");
	mk_text(m, text);
	mk_raw(m, "</td>");
}

void
change_row_header(struct markup *m)
{
	mk_raw(m, "<tr><th>#</th><th>Object</th><th>Change</th>"
	    "<th>Severity</th><th>Lock</th><th>Rewrite</th>"
	    "<th>Rollback</th><th>Owners</th></tr>");
}

void
change_row(struct markup *m, const struct change *c)
{
	const cJSON *rb = json_obj(c->assessment, "rollback");
	struct buf t = BUF_INIT;

	buf_addf(&t, "%zu", c->number);
	mk_raw(m, "<tr>");
	cell_text(m, t.data);
	mk_raw(m, "<td>");
	mk_anchor_link(m, c->anchor, c->object);
	mk_raw(m, "</td>");
	buf_reset(&t);
	what(&t, c);
	cell_text(m, t.data);
	mk_raw(m, "<td>");
	fact_severity(m, c->severity);
	mk_raw(m, "</td>");
	buf_reset(&t);
	lock_text(&t, c->assessment);
	cell_text(m, t.data);
	buf_reset(&t);
	rewrite_text(&t, c->assessment);
	cell_text(m, t.data);
	mk_raw(m, "<td>");
	fact_rollback(m, json_str(rb, "risk"));
	mk_raw(m, "</td>");
	buf_reset(&t);
	join(&t, json_arr(c->assessment, "owners"), ", ");
	cell_text(m, t.len ? t.data : "none");
	mk_raw(m, "</tr>");
	buf_release(&t);
}

/* A code block, inside an expand section when it is long. */
static void
sql_block(struct markup *m, const char *title, const char *sql)
{
	size_t lines = 0;
	struct buf t = BUF_INIT;

	for (const char *p = sql; *p; p++)
		lines += *p == '\n';
	if (lines <= CODE_EXPAND_LINES) {
		mk_code(m, "sql", title, sql);
		return;
	}
	buf_addf(&t, "%s (%zu lines)", title, lines);
	mk_expand_begin(m, t.data);
	mk_code(m, "sql", title, sql);
	mk_expand_end(m);
	buf_release(&t);
}

static void
fact_row(struct markup *m, const char *name)
{
	mk_raw(m, "<tr><th>");
	mk_text(m, name);
	mk_raw(m, "</th><td>");
}

/* The table the change sits on: its size decides how long locks last. */
static void
table_facts(struct markup *m, const struct change *c)
{
	const cJSON *ev = json_obj(c->json, "evidence"), *v;
	const char *table = json_str(c->json, "table");
	struct buf t = BUF_INIT;

	if (table == NULL && strcmp(c->object_kind, "table") == 0)
		table = c->object;
	if ((v = cJSON_GetObjectItemCaseSensitive(ev, "table_rows")) &&
	    cJSON_IsNumber(v)) {
		fact_count(&t, json_int64(v));
		buf_addstr(&t, " rows");
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(ev, "table_bytes")) &&
	    cJSON_IsNumber(v)) {
		buf_addstr(&t, t.len ? ", " : "");
		fact_bytes(&t, json_int64(v));
	}
	if (table == NULL && t.len == 0)
		return;
	fact_row(m, "Table");
	if (table != NULL)
		mk_code_inline(m, table);
	if (t.len > 0) {
		mk_text(m, table ? " (" : "");
		mk_text(m, t.data);
		mk_text(m, table ? ")" : "");
	}
	mk_raw(m, "</td></tr>");
	buf_release(&t);
}

/* The rollback cannot give back what the forward change takes. */
static int
loses_data(const cJSON *rollback)
{
	const char *risk = json_str(rollback, "risk");

	return risk != NULL && (strcmp(risk, "data_loss") == 0 ||
	    strcmp(risk, "irreversible") == 0);
}

static void
facts_table(struct markup *m, const struct change *c)
{
	const cJSON *a = c->assessment, *rb = json_obj(a, "rollback");
	const char *renamed = json_str(c->json, "renamed_from");
	struct buf t = BUF_INIT;

	mk_raw(m, "<table><tbody>");
	fact_row(m, "Severity");
	fact_severity(m, c->severity);
	mk_raw(m, "</td></tr>");
	fact_row(m, "Lock");
	lock_text(&t, a);
	mk_text(m, t.data);
	mk_raw(m, "</td></tr>");
	fact_row(m, "Rewrite");
	buf_reset(&t);
	rewrite_text(&t, a);
	mk_text(m, t.data);
	mk_raw(m, "</td></tr>");
	fact_row(m, "Rollback");
	fact_rollback(m, json_str(rb, "risk"));
	/* rollback_warning() shows the notes of a change that loses data. */
	if (json_str(rb, "notes") != NULL && !loses_data(rb)) {
		mk_text(m, " ");
		mk_text(m, json_str(rb, "notes"));
	}
	mk_raw(m, "</td></tr>");
	table_facts(m, c);
	if (renamed != NULL) {
		fact_row(m, "Renamed from");
		mk_code_inline(m, renamed);
		mk_raw(m, "</td></tr>");
	}
	buf_reset(&t);
	join(&t, json_arr(a, "owners"), ", ");
	fact_row(m, "Owners");
	mk_text(m, t.len ? t.data : "none matched");
	mk_raw(m, "</td></tr>");
	fact_row(m, "Change id");
	mk_code_inline(m, c->id);
	mk_raw(m, "</td></tr></tbody></table>");
	buf_release(&t);
}

/* An attribute value: strings as they are, anything else as JSON. */
static void
attribute_cell(struct markup *m, const cJSON *v)
{
	char *s;

	mk_raw(m, "<td>");
	if (v == NULL || cJSON_IsNull(v))
		mk_raw(m, "<em>none</em>");
	else if (cJSON_IsString(v))
		mk_code_inline(m, v->valuestring);
	else {
		s = json_print(v, 0);
		mk_code_inline(m, s);
		free(s);
	}
	mk_raw(m, "</td>");
}

static void
attributes(struct markup *m, const struct change *c)
{
	const cJSON *arr = json_arr(c->json, "attributes"), *at;

	if (cJSON_GetArraySize(arr) == 0)
		return;
	mk_raw(m, "<p><strong>What changes</strong></p><table><tbody>"
	    "<tr><th>Attribute</th><th>Prod (before)</th>"
	    "<th>Staging (after)</th></tr>");
	cJSON_ArrayForEach(at, arr) {
		mk_raw(m, "<tr>");
		cell_text(m, json_str(at, "name"));
		attribute_cell(m, cJSON_GetObjectItemCaseSensitive(at,
		    "before"));
		attribute_cell(m, cJSON_GetObjectItemCaseSensitive(at,
		    "after"));
		mk_raw(m, "</tr>");
	}
	mk_raw(m, "</tbody></table>");
}

/* An evidence line; "query: ..." lines show the query as code. */
static void
evidence_item(struct markup *m, const char *e)
{
	mk_raw(m, "<li>");
	if (strncmp(e, "query: ", 7) == 0) {
		mk_text(m, "query ");
		mk_code_inline(m, e + 7);
	} else
		mk_text(m, e);
	mk_raw(m, "</li>");
}

static void
findings(struct markup *m, const struct change *c)
{
	const cJSON *arr = json_arr(c->assessment, "findings"), *f, *e;
	struct buf t = BUF_INIT;
	int n;

	if (cJSON_GetArraySize(arr) == 0)
		return;
	mk_raw(m, "<p><strong>Findings</strong></p><ul>");
	cJSON_ArrayForEach(f, arr) {
		mk_raw(m, "<li>");
		fact_severity(m, json_str(f, "severity"));
		mk_text(m, " ");
		mk_code_inline(m, json_str(f, "rule"));
		mk_text(m, ": ");
		mk_text(m, json_str(f, "message"));
		n = cJSON_GetArraySize(json_arr(f, "evidence"));
		if (n > EVIDENCE_INLINE) {
			buf_reset(&t);
			buf_addf(&t, "Evidence (%d items)", n);
			mk_expand_begin(m, t.data);
		}
		if (n > 0)
			mk_raw(m, "<ul>");
		cJSON_ArrayForEach(e, json_arr(f, "evidence"))
			evidence_item(m, e->valuestring);
		if (n > 0)
			mk_raw(m, "</ul>");
		if (n > EVIDENCE_INLINE)
			mk_expand_end(m);
		mk_raw(m, "</li>");
	}
	mk_raw(m, "</ul>");
	buf_release(&t);
}

/* What the diff measured in prod: scans, dependents, queries. */
static void
evidence(struct markup *m, const struct change *c)
{
	const cJSON *ev = json_obj(c->json, "evidence"), *v, *q;
	const cJSON *scans = cJSON_GetObjectItemCaseSensitive(ev,
	    "index_scans");
	const cJSON *deps = json_arr(ev, "dependents");
	const cJSON *queries = json_arr(ev, "queries");
	int listed = cJSON_IsNumber(scans) || cJSON_GetArraySize(deps) > 0;
	struct buf t = BUF_INIT;

	if (!listed && cJSON_GetArraySize(queries) == 0)
		return;
	mk_raw(m, "<p><strong>Evidence from prod</strong></p>");
	mk_raw(m, listed ? "<ul>" : "");
	if (cJSON_IsNumber(scans)) {
		fact_count(&t, json_int64(scans));
		mk_raw(m, "<li>");
		mk_textf(m, "Index scans since statistics were reset: %s",
		    t.data);
		mk_raw(m, "</li>");
	}
	if (cJSON_GetArraySize(deps) > 0) {
		mk_raw(m, "<li>Depended on by: ");
		cJSON_ArrayForEach(v, deps) {
			if (v != deps->child)
				mk_text(m, ", ");
			mk_code_inline(m, v->valuestring);
		}
		mk_raw(m, "</li>");
	}
	mk_raw(m, listed ? "</ul>" : "");
	if (cJSON_GetArraySize(queries) > 0) {
		buf_reset(&t);
		buf_addf(&t, "Prod queries that name it (%d)",
		    cJSON_GetArraySize(queries));
		mk_expand_begin(m, t.data);
		buf_reset(&t);
		cJSON_ArrayForEach(q, queries) {
			v = cJSON_GetObjectItemCaseSensitive(q, "calls");
			if (cJSON_IsNumber(v))
				buf_addf(&t, "-- %" PRId64 " calls\n",
				    json_int64(v));
			buf_addstr(&t, json_str(q, "query"));
			buf_addstr(&t, q->next ? "\n\n" : "\n");
		}
		mk_code(m, "sql", "pg_stat_statements", t.data);
		mk_expand_end(m);
	}
	buf_release(&t);
}

static void
rollback_warning(struct markup *m, const struct change *c)
{
	const cJSON *rb = json_obj(c->assessment, "rollback");
	const char *risk = json_str(rb, "risk"), *notes = json_str(rb, "notes");

	if (!loses_data(rb))
		return;
	mk_panel_begin(m, "warning", strcmp(risk, "data_loss") == 0 ?
	    "Rollback cannot bring the data back" :
	    "Rollback cannot restore the prod schema");
	mk_raw(m, "<p>");
	mk_text(m, notes ? notes : "Take a backup before applying; the "
	    "rollback SQL alone does not undo this change.");
	mk_raw(m, "</p>");
	mk_panel_end(m);
}

static void
sql(struct markup *m, const struct change *c)
{
	const cJSON *rb = json_obj(c->assessment, "rollback");
	const cJSON *back = json_arr(rb, "sql");
	char *s;

	if (cJSON_GetArraySize(json_arr(c->json, "forward_sql")) > 0) {
		s = statements(json_arr(c->json, "forward_sql"));
		sql_block(m, "Forward SQL", s);
		free(s);
	}
	if (back == NULL)
		back = json_arr(c->json, "rollback_sql");
	if (cJSON_GetArraySize(back) > 0) {
		s = statements(back);
		sql_block(m, "Rollback SQL", s);
		free(s);
	}
}

void
change_section(struct markup *m, const struct change *c)
{
	const char *alt = json_str(c->assessment, "safer_alternative");
	struct buf t = BUF_INIT;
	size_t len;

	buf_addf(&t, "%zu. ", c->number);
	len = t.len;
	what(&t, c);
	if (t.data[len] >= 'a' && t.data[len] <= 'z')
		t.data[len] += 'A' - 'a';
	buf_addch(&t, ' ');
	buf_addstr(&t, c->object);
	mk_heading(m, 3, c->anchor, t.data);
	facts_table(m, c);
	rollback_warning(m, c);
	attributes(m, c);
	findings(m, c);
	evidence(m, c);
	if (alt != NULL && *alt != '\0') {
		mk_panel_begin(m, "tip", "Safer alternative");
		md_render(m, alt, 4);
		mk_panel_end(m);
	}
	sql(m, c);
	buf_release(&t);
}
