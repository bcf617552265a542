/*
 * review: reading and checking the review document (see review.h).
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "gfm.h"
#include "json.h"
#include "review.h"
#include "xalloc.h"

static const char *const severity_names[] = {
	"info", "low", "medium", "high", "critical"
};

const char *
severity_name(enum severity s)
{
	return severity_names[s];
}

static int
parse_severity(const char *s)
{
	for (size_t i = 0; i < sizeof(severity_names) /
	    sizeof(severity_names[0]); i++)
		if (strcmp(s, severity_names[i]) == 0)
			return (int)i;
	return -1;
}

enum severity
change_severity(const cJSON *c)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(c, "assessment");
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(a, "severity");

	return (enum severity)parse_severity(s->valuestring);
}

const char *
change_rollback_risk(const cJSON *c)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(c, "assessment");
	const cJSON *rb = cJSON_GetObjectItemCaseSensitive(a, "rollback");
	const cJSON *risk = cJSON_GetObjectItemCaseSensitive(rb, "risk");

	return cJSON_IsString(risk) ? risk->valuestring : NULL;
}

/* The pair names files and the hidden marker: nothing but [a-z0-9-]. */
static void
check_pair(const struct doc *d, const char *pair)
{
	if (*pair == '\0' || strspn(pair, "abcdefghijklmnopqrstuvwxyz"
	    "0123456789-") != strlen(pair))
		doc_fail(d, ".pair", "\"%s\" is not a pair id ([a-z0-9-]+)",
		    pair);
}

static void
check_fingerprint(const struct doc *d, const char *fp)
{
	if (*fp == '\0' || strspn(fp, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:+/=_") != strlen(fp))
		doc_fail(d, ".fingerprint", "\"%s\" is not a fingerprint", fp);
}

static void
add_owner(struct review *r, const char *h)
{
	for (size_t i = 0; i < r->nowners; i++)
		if (strcmp(r->owners[i], h) == 0)
			return;
	if (!gfm_is_handle(h)) {
		size_t n = 0;

		/* Up to the first control byte: no escapes reach a terminal. */
		while (n < 80 && (unsigned char)h[n] >= 0x20 && h[n] != 0x7f)
			n++;
		warnx("owner \"%.*s\" is not a GitHub handle; not tagged",
		    (int)n, h);
		return;
	}
	r->owners = xrealloc(r->owners, (r->nowners + 1) * sizeof(char *));
	r->owners[r->nowners++] = xstrdup(h);
}

static void
add_owners(struct review *r, const cJSON *obj, const char *where)
{
	const cJSON *arr = doc_opt_arr(r->doc, obj, where, "owners");
	const cJSON *o;

	cJSON_ArrayForEach(o, arr) {
		if (!cJSON_IsString(o))
			doc_fail(r->doc, where, "member \"owners\" holds %s, "
			    "not a string", json_type_name(o));
		add_owner(r, o->valuestring);
	}
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
load_change(struct review *r, const cJSON *c, int i)
{
	char where[64];
	const cJSON *a;
	const char *sev;

	snprintf(where, sizeof(where), ".changes[%d]", i);
	doc_need_item_obj(r->doc, c, where);
	doc_need_str(r->doc, c, where, "id");
	doc_opt_str(r->doc, c, where, "object");
	doc_opt_str(r->doc, c, where, "object_kind");
	doc_opt_str(r->doc, c, where, "op");
	doc_opt_str(r->doc, c, where, "renamed_from");
	a = doc_need_obj(r->doc, c, where, "assessment");
	snprintf(where, sizeof(where), ".changes[%d].assessment", i);
	sev = doc_need_str(r->doc, a, where, "severity");
	doc_opt_str(r->doc, a, where, "lock");
	doc_opt_arr(r->doc, a, where, "findings");
	if (doc_opt_obj(r->doc, a, where, "rollback") != NULL)
		doc_opt_str(r->doc, doc_opt_obj(r->doc, a, where, "rollback"),
		    where, "notes");
	if (parse_severity(sev) < 0)
		doc_fail(r->doc, where, "severity \"%s\" is not one of "
		    "critical, high, medium, low, info", sev);
	add_owners(r, a, where);
}

void
review_load(struct review *r, const struct doc *d, int need_page)
{
	const cJSON *root = d->root, *from, *to, *sum, *c, *cf, *page;
	int i = 0;

	memset(r, 0, sizeof(*r));
	r->doc = d;
	r->pair = doc_need_str(d, root, ".", "pair");
	check_pair(d, r->pair);
	r->fingerprint = doc_need_str(d, root, ".", "fingerprint");
	check_fingerprint(d, r->fingerprint);
	from = doc_need_obj(d, root, ".", "from");
	to = doc_need_obj(d, root, ".", "to");
	r->from_label = doc_opt_str(d, from, ".from", "label");
	r->to_label = doc_opt_str(d, to, ".to", "label");
	r->database = doc_opt_str(d, from, ".from", "database");
	if (r->from_label == NULL)
		r->from_label = "prod";
	if (r->to_label == NULL)
		r->to_label = "staging";
	sum = doc_need_obj(d, root, ".", "summary");
	r->risk = doc_opt_str(d, sum, ".summary", "risk");
	r->verdict = doc_opt_str(d, sum, ".summary", "verdict");
	r->headline = doc_opt_str(d, sum, ".summary", "headline");
	r->narrative = doc_opt_str(d, sum, ".summary", "narrative");
	r->requires_downtime = doc_opt_bool(d, sum, ".summary",
	    "requires_downtime", 0);
	r->changes = doc_need_arr(d, root, ".", "changes");
	cJSON_ArrayForEach(c, r->changes)
		load_change(r, c, i++);
	r->nchanges = i;
	if (r->nchanges > 0 && r->risk == NULL)
		doc_fail(d, ".summary", "member \"risk\" is missing");
	if (r->risk != NULL && parse_severity(r->risk) < 0)
		doc_fail(d, ".summary", "risk \"%s\" is not one of critical, "
		    "high, medium, low, info", r->risk);
	cf = need_page ? doc_need_obj(d, root, ".", "confluence") :
	    doc_opt_obj(d, root, ".", "confluence");
	if (cf != NULL)
		r->page_url = need_page ?
		    doc_need_str(d, cf, ".confluence", "url") :
		    doc_opt_str(d, cf, ".confluence", "url");
	page = doc_opt_obj(d, root, ".", "page");
	if (page != NULL)
		r->page_title = doc_opt_str(d, page, ".page", "title");
	add_owners(r, root, ".");
	if (r->nowners > 1)
		qsort(r->owners, r->nowners, sizeof(char *), cmp_str);
}

int
review_has_owner(const struct review *r, const char *handle)
{
	for (size_t i = 0; i < r->nowners; i++)
		if (strcmp(r->owners[i], handle) == 0)
			return 1;
	return 0;
}

void
review_release(struct review *r)
{
	for (size_t i = 0; i < r->nowners; i++)
		free(r->owners[i]);
	free(r->owners);
	r->owners = NULL;
	r->nowners = 0;
}
