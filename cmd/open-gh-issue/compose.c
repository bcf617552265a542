/*
 * compose: the title, body and comments of the sign-off issue (see
 * compose.h).  Sections, in order: marker, verdict, headline, link,
 * narrative (full only), change table, what cannot be undone, safer
 * alternatives (full only), sign-off checklist with the owners.  The
 * comments follow.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "compose.h"
#include "gfm.h"
#include "json.h"
#include "marker.h"
#include "xalloc.h"

/* The change block may take this much; a longer one is left out. */
#define BLOCK_MAX	24000
/* A model's narrative is cut here; the page has all of it. */
#define NARRATIVE_MAX	16000
/* Items listed per kind in a "what changed" comment. */
#define LIST_MAX	30
/* GitHub refuses titles over 256 characters; bytes are never fewer. */
#define TITLE_MAX	256

/* Shorten `b` to at most `max` bytes without splitting a character. */
static void
cut_utf8(struct buf *b, size_t max)
{
	if (b->len <= max)
		return;
	while (max > 0 && ((unsigned char)b->data[max] & 0xc0) == 0x80)
		max--;
	buf_setlen(b, max);
}

static void
gfm_plain(struct buf *b, const char *s)
{
	gfm_text(b, s, 0);
}

static const char *
plural(long n)
{
	return n == 1 ? "" : "s";
}

/* "staging → prod (app)", for a title or for Markdown. */
static void
add_pair_name(struct buf *b, const struct review *r, int title)
{
	void (*text)(struct buf *, const char *) = title ? gfm_title :
	    gfm_plain;

	text(b, r->to_label);
	buf_addstr(b, " → ");
	text(b, r->from_label);
	if (r->database != NULL) {
		buf_addstr(b, " (");
		text(b, r->database);
		buf_addch(b, ')');
	}
}

char *
compose_title(const struct review *r)
{
	struct buf b = BUF_INIT;

	buf_addstr(&b, "[schema drift] ");
	add_pair_name(&b, r, 1);
	buf_addf(&b, ": %s, %d change%s", r->risk ? r->risk : "none",
	    r->nchanges, plural(r->nchanges));
	if (b.len > TITLE_MAX) {
		cut_utf8(&b, TITLE_MAX - 3);
		buf_addstr(&b, "…");
	}
	return buf_detach(&b, NULL);
}

char *
compose_comment_marker(const char *kind, const char *fp)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "<!-- drift-review %s fingerprint=%s -->", kind, fp);
	return buf_detach(&b, NULL);
}

static void
add_counts(struct buf *b, const struct review *r)
{
	int n[SEV_CRITICAL + 1] = { 0 };
	const cJSON *c;
	int first = 1;

	cJSON_ArrayForEach(c, r->changes)
		n[change_severity(c)]++;
	for (int s = SEV_CRITICAL; s >= SEV_INFO; s--) {
		if (n[s] == 0)
			continue;
		buf_addf(b, "%s%d %s", first ? "" : ", ", n[s],
		    severity_name((enum severity)s));
		first = 0;
	}
}

static void
add_verdict(struct buf *b, const struct review *r)
{
	const char *v = r->verdict;

	buf_addstr(b, "**Verdict: ");
	if (v == NULL)
		buf_addstr(b, "none given");
	else if (strcmp(v, "needs_signoff") == 0)
		buf_addstr(b, "needs sign-off");
	else
		gfm_text(b, v, 0);
	buf_addf(b, ".** Highest risk **%s**; %d change%s (", r->risk,
	    r->nchanges, plural(r->nchanges));
	add_counts(b, r);
	buf_addstr(b, ").");
	if (r->requires_downtime)
		buf_addstr(b, " The migration **requires downtime**: it blocks "
		    "reads, or writes during a rewrite or scan of a large "
		    "table.");
	buf_addstr(b, "\n\n");
	if (r->headline != NULL && *r->headline != '\0') {
		buf_addstr(b, "> ");
		gfm_text(b, r->headline, 0);
		buf_addstr(b, "\n\n");
	}
}

/* Only schemes a browser opens; characters that end a link are encoded. */
static void
add_link(struct buf *b, const struct review *r)
{
	const char *u = r->page_url;

	if (u == NULL)
		return;
	buf_addstr(b, "Full review: ");
	if (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0 &&
	    strncmp(u, "file://", 7) != 0) {
		gfm_code(b, u, 0);
		buf_addstr(b, "\n\n");
		return;
	}
	buf_addch(b, '[');
	gfm_text(b, r->page_title ? r->page_title : "Confluence page", 0);
	buf_addstr(b, "](");
	for (const unsigned char *p = (const unsigned char *)u; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7f || strchr("()<>\"'`\\", *p))
			buf_addf(b, "%%%02X", *p);
		else
			buf_addch(b, *p);
	}
	buf_addstr(b, ")\n\n");
}

static void
add_object(struct buf *b, const cJSON *c, int flags)
{
	const char *obj = json_str(c, "object");
	const char *from = json_str(c, "renamed_from");

	if (from != NULL) {
		gfm_code(b, from, flags);
		buf_addstr(b, " → ");
	}
	gfm_code(b, obj ? obj : json_str(c, "id"), flags);
}

static void
add_kind(struct buf *b, const cJSON *c, int flags)
{
	const char *op = json_str(c, "op"), *kind = json_str(c, "object_kind");

	if (op != NULL)
		gfm_text(b, op, flags);
	if (op != NULL && kind != NULL)
		buf_addch(b, ' ');
	if (kind != NULL) {
		/* "materialized_view" reads better as words */
		char *k = xstrdup(kind);

		for (char *p = k; *p; p++)
			if (*p == '_')
				*p = ' ';
		gfm_text(b, k, flags);
		free(k);
	}
}

/* The first finding of the change's own severity: why it is rated so. */
static void
add_finding(struct buf *b, const cJSON *c)
{
	const cJSON *a = json_obj(c, "assessment");
	const cJSON *fs = json_arr(a, "findings"), *f, *best = NULL;
	const char *sev = json_str(a, "severity");
	int n = cJSON_GetArraySize(fs);

	cJSON_ArrayForEach(f, fs) {
		const char *fsev = json_str(f, "severity");

		if (best == NULL || (fsev && sev && strcmp(fsev, sev) == 0 &&
		    !(json_str(best, "severity") &&
		    strcmp(json_str(best, "severity"), sev) == 0)))
			best = f;
	}
	if (best == NULL || json_str(best, "message") == NULL)
		return;
	gfm_text(b, json_str(best, "message"), GFM_TABLE);
	if (n > 1)
		buf_addf(b, " (+%d more)", n - 1);
}

static void
add_change_owners(struct buf *b, const struct review *r, const cJSON *c)
{
	const cJSON *arr = json_arr(json_obj(c, "assessment"), "owners");
	const cJSON *o, *e;
	int first = 1;

	cJSON_ArrayForEach(o, arr) {
		if (!cJSON_IsString(o) || !review_has_owner(r, o->valuestring))
			continue;
		for (e = arr->child; e != o; e = e->next)
			if (cJSON_IsString(e) &&
			    strcmp(e->valuestring, o->valuestring) == 0)
				break;
		if (e != o)
			continue;	/* listed twice */
		buf_addstr(b, first ? "" : " ");
		buf_addstr(b, o->valuestring);
		first = 0;
	}
}

static void
add_row(struct buf *b, const struct review *r, const cJSON *c)
{
	const cJSON *a = json_obj(c, "assessment");
	enum severity s = change_severity(c);
	const char *lock = json_str(a, "lock");
	const char *risk = change_rollback_risk(c);

	buf_addstr(b, s >= SEV_HIGH ? "| **" : "| ");
	buf_addstr(b, severity_name(s));
	buf_addstr(b, s >= SEV_HIGH ? "** | " : " | ");
	add_kind(b, c, GFM_TABLE);
	buf_addstr(b, " | ");
	add_object(b, c, GFM_TABLE);
	buf_addstr(b, " | ");
	gfm_text(b, lock ? lock : "none", GFM_TABLE);
	buf_addstr(b, " | ");
	if (risk != NULL) {
		char *k = xstrdup(risk);

		for (char *p = k; *p; p++)
			if (*p == '_')
				*p = ' ';
		gfm_text(b, k, GFM_TABLE);
		free(k);
	}
	buf_addstr(b, " | ");
	add_finding(b, c);
	buf_addstr(b, " | ");
	add_change_owners(b, r, c);
	buf_addstr(b, " |\n");
}

/*
 * The table of changes at `min` severity or worse, worst first (the
 * review's order within a severity), at most `max_rows` rows.
 */
static void
add_table(struct buf *b, const struct review *r, enum severity min,
    int max_rows)
{
	const cJSON *c;
	int rows = 0, left = 0;

	for (int s = SEV_CRITICAL; s >= (int)min; s--)
		cJSON_ArrayForEach(c, r->changes) {
			if ((int)change_severity(c) != s)
				continue;
			if (rows == 0)
				buf_addstr(b, "| Severity | Change | Object | "
				    "Lock | Rollback | Why | Owners |\n"
				    "| --- | --- | --- | --- | --- | --- "
				    "| --- |\n");
			if (rows >= max_rows) {
				left++;
				continue;
			}
			add_row(b, r, c);
			rows++;
		}
	if (rows == 0)
		buf_addstr(b, "No change is of medium severity or worse.\n");
	else if (left > 0)
		buf_addf(b, "\n…and %d more change%s, left out to keep this "
		    "issue under GitHub's size limit: see the full review.\n",
		    left, plural(left));
	buf_addch(b, '\n');
}

static int
is_undoable(const cJSON *c)
{
	const char *risk = change_rollback_risk(c);

	return risk != NULL && (strcmp(risk, "irreversible") == 0 ||
	    strcmp(risk, "data_loss") == 0);
}

static int
count_undoable(const struct review *r)
{
	const cJSON *c;
	int n = 0;

	cJSON_ArrayForEach(c, r->changes)
		n += is_undoable(c);
	return n;
}

static void
add_undoable(struct buf *b, const struct review *r, int max_rows)
{
	const cJSON *c;
	int rows = 0, n = count_undoable(r);

	if (n == 0)
		return;
	buf_addf(b, "### Cannot be undone (%d)\n\n", n);
	cJSON_ArrayForEach(c, r->changes) {
		const cJSON *rb;
		const char *notes;

		if (!is_undoable(c))
			continue;
		if (rows++ >= max_rows) {
			buf_addf(b, "- …and %d more: see the full review\n",
			    n - max_rows);
			break;
		}
		rb = json_obj(json_obj(c, "assessment"), "rollback");
		notes = json_str(rb, "notes");
		buf_addstr(b, "- ");
		add_object(b, c, 0);
		buf_addstr(b, " (");
		add_kind(b, c, 0);
		buf_addstr(b, strcmp(change_rollback_risk(c), "data_loss") ==
		    0 ? "): **data is lost**" : "): **irreversible**");
		if (notes != NULL && *notes != '\0') {
			buf_addstr(b, ": ");
			gfm_text(b, notes, 0);
		}
		buf_addch(b, '\n');
	}
	buf_addch(b, '\n');
}

static void
add_alternatives(struct buf *b, const struct review *r, int max_rows)
{
	const cJSON *c;
	int rows = 0;

	cJSON_ArrayForEach(c, r->changes) {
		const char *alt = json_str(json_obj(c, "assessment"),
		    "safer_alternative");

		if (alt == NULL || *alt == '\0' || rows >= max_rows)
			continue;
		if (rows++ == 0)
			buf_addstr(b, "### Safer alternatives\n\n");
		buf_addstr(b, "- ");
		add_object(b, c, 0);
		buf_addstr(b, ": ");
		gfm_text(b, alt, 0);
		buf_addch(b, '\n');
	}
	if (rows > 0)
		buf_addch(b, '\n');
}

static void
add_narrative(struct buf *b, const struct review *r)
{
	size_t n;

	if (r->narrative == NULL || *r->narrative == '\0')
		return;
	n = strlen(r->narrative);
	if (n > NARRATIVE_MAX) {
		n = NARRATIVE_MAX;
		while (n > 0 && ((unsigned char)r->narrative[n] & 0xc0) == 0x80)
			n--;
	}
	{
		char *text = xstrndup(r->narrative, n);

		buf_addstr(b, "### Review\n\n");
		gfm_prose(b, text);
		while (b->len > 0 && b->data[b->len - 1] == '\n')
			buf_setlen(b, b->len - 1);
		if (n < strlen(r->narrative))
			buf_addstr(b, " …(cut)");
		buf_addstr(b, "\n\n");
		free(text);
	}
}

static void
add_signoff(struct buf *b, const struct review *r)
{
	int undo = count_undoable(r);

	if (r->nowners == 0)
		buf_addstr(b, "No owner matched the changed objects "
		    "(see `DRIFT_OWNERS_FILE`).\n\n");
	buf_addstr(b, "### Sign-off\n\nThis sign-off is for drift ");
	gfm_code(b, r->fingerprint, 0);
	buf_addstr(b, " only: when the drift changes, the list is reset and "
	    "a comment says what changed.\n\n");
	for (size_t i = 0; i < r->nowners; i++)
		buf_addf(b, "- [ ] %s: the changes to the objects owned are "
		    "understood and accepted\n", r->owners[i]);
	if (r->nowners == 0)
		buf_addstr(b, "- [ ] An owner of the changed objects accepts "
		    "the changes\n");
	if (undo > 0)
		buf_addf(b, "- [ ] The rollback plan is accepted although %d "
		    "change%s cannot be undone\n", undo, plural(undo));
	if (r->requires_downtime)
		buf_addstr(b, "- [ ] A maintenance window is agreed\n");
	buf_addf(b, "- [ ] The forward script was tried on a copy of ");
	gfm_text(b, r->from_label, 0);
	buf_addstr(b, "\n\n---\n_Written by drift-review for pair ");
	gfm_code(b, r->pair, 0);
	buf_addstr(b, "; the next run replaces this text, so discuss in the "
	    "comments._\n");
}

static char *
body_with(const struct review *r, int full, int max_rows)
{
	struct buf b = BUF_INIT;

	marker_write(&b, r->pair, r->fingerprint, r->changes, BLOCK_MAX);
	buf_addstr(&b, "## Schema drift: ");
	add_pair_name(&b, r, 0);
	buf_addstr(&b, "\n\n");
	add_verdict(&b, r);
	add_link(&b, r);
	if (full) {
		add_narrative(&b, r);
		buf_addstr(&b, "### Changes\n\n");
		add_table(&b, r, SEV_INFO, max_rows);
	} else {
		buf_addstr(&b, "### Changes of medium severity or worse\n\n");
		add_table(&b, r, SEV_MEDIUM, max_rows);
	}
	add_undoable(&b, r, max_rows);
	if (full)
		add_alternatives(&b, r, max_rows);
	add_signoff(&b, r);
	return buf_detach(&b, NULL);
}

char *
compose_body(const struct review *r, int full)
{
	int rows = r->nchanges;
	char *body;

	/* Halve the lists until the body fits; the page has them all. */
	for (;;) {
		body = body_with(r, full, rows);
		if (strlen(body) <= COMPOSE_BODY_MAX || rows == 0)
			return body;
		free(body);
		rows /= 2;
	}
}

struct id_list {
	struct buf text;	/* "- `id` (note)" lines, at most LIST_MAX */
	int	 n;		/* items, listed or not */
};

static void
list_add(struct id_list *l, const char *id, const char *note,
    const char *note2)
{
	if (l->n++ >= LIST_MAX)
		return;
	buf_addstr(&l->text, "- ");
	gfm_code(&l->text, id, 0);
	buf_addf(&l->text, " (%s%s%s)\n", note, note2 ? " → " : "",
	    note2 ? note2 : "");
}

static void
list_flush(struct buf *b, const char *what, struct id_list *l)
{
	if (l->n > 0) {
		buf_addf(b, "%s (%d):\n%s", what, l->n, l->text.data);
		if (l->n > LIST_MAX)
			buf_addf(b, "- …and %d more\n", l->n - LIST_MAX);
		buf_addch(b, '\n');
	}
	buf_release(&l->text);
}

static int
cmp_strp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* What is new, gone and different in `r` since the version `old`. */
static void
add_comparison(struct buf *b, const struct review *r,
    const struct marker *old)
{
	struct id_list added = { BUF_INIT, 0 }, gone = { BUF_INIT, 0 };
	struct id_list changed = { BUF_INIT, 0 };
	const char **ids = xcalloc((size_t)r->nchanges + 1, sizeof(char *));
	const cJSON *c;
	size_t n = 0;

	cJSON_ArrayForEach(c, r->changes) {
		const char *id = json_str(c, "id");
		const struct marker_change *mc = marker_find(old, id);
		const char *sev = severity_name(change_severity(c));

		ids[n++] = id;
		if (mc == NULL)
			list_add(&added, id, sev, NULL);
		else if (mc->hash != marker_change_hash(c))
			list_add(&changed, id, mc->severity,
			    strcmp(mc->severity, sev) ? sev : NULL);
	}
	qsort(ids, n, sizeof(char *), cmp_strp);
	for (size_t i = 0; i < old->nchanges; i++) {
		const char *id = old->changes[i].id;

		if (bsearch(&id, ids, n, sizeof(char *), cmp_strp) == NULL)
			list_add(&gone, id, old->changes[i].severity, NULL);
	}
	free(ids);
	if (added.n + gone.n + changed.n == 0)
		buf_addstr(b, "The same objects change, but not in the same "
		    "way: see the table in the issue.\n\n");
	list_flush(b, "New since the last version", &added);
	list_flush(b, "No longer part of the drift", &gone);
	list_flush(b, "Changed", &changed);
}

char *
compose_changed(const struct review *r, const char *old_body)
{
	struct buf b = BUF_INIT;
	struct marker old;
	char *mark = compose_comment_marker("changed", r->fingerprint);

	marker_parse(&old, old_body);
	buf_addf(&b, "%s\n**The drift changed** since the last version of "
	    "this issue (", mark);
	gfm_code(&b, old.fingerprint ? old.fingerprint : "unknown", 0);
	buf_addstr(&b, " → ");
	gfm_code(&b, r->fingerprint, 0);
	buf_addf(&b, "). **Earlier approvals no longer apply**: the sign-off "
	    "list is reset, please review again. Now: **%s**, %d change%s."
	    "\n\n", r->risk, r->nchanges, plural(r->nchanges));
	if (old.has_changes)
		add_comparison(&b, r, &old);
	else
		buf_addstr(&b, "The previous version did not record its "
		    "changes; the issue lists the current ones.\n\n");
	for (size_t i = 0; i < r->nowners; i++)
		buf_addf(&b, "%s%s", i ? " " : "", r->owners[i]);
	if (r->nowners > 0)
		buf_addch(&b, '\n');
	marker_release(&old);
	free(mark);
	cut_utf8(&b, COMPOSE_BODY_MAX);
	return buf_detach(&b, NULL);
}

char *
compose_resolved(const struct review *r)
{
	struct buf b = BUF_INIT;
	char *mark = compose_comment_marker("resolved", r->fingerprint);

	buf_addf(&b, "%s\n**Drift resolved**: ", mark);
	add_pair_name(&b, r, 0);
	buf_addstr(&b, ": the two no longer differ, so there is nothing left "
	    "to sign off. Closing.\n");
	free(mark);
	return buf_detach(&b, NULL);
}
