/*
 * meta: page title and labels.  Labels are Confluence's: lower case, no
 * spaces; the risk label lets a space's pages be listed by risk.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "meta.h"
#include "review.h"
#include "xalloc.h"
#include "xmlesc.h"

enum source { FROM_ROOT, FROM_PROD, FROM_STAGING, FROM_SUMMARY };

static const struct placeholder {
	const char	*name;
	enum source	 source;
	const char	*member;
} placeholders[] = {
	{ "pair",	FROM_ROOT,	"pair" },
	{ "from_label",	FROM_PROD,	"label" },
	{ "to_label",	FROM_STAGING,	"label" },
	{ "from_db",	FROM_PROD,	"database" },
	{ "to_db",	FROM_STAGING,	"database" },
	{ "from_host",	FROM_PROD,	"host" },
	{ "to_host",	FROM_STAGING,	"host" },
	{ "risk",	FROM_SUMMARY,	"risk" },
	{ "verdict",	FROM_SUMMARY,	"verdict" },
	{ NULL,		FROM_ROOT,	NULL }
};

/*
 * The value of placeholder `name` (n bytes) in r, NULL when the review has
 * none; *known says whether the name is a placeholder at all.
 */
static const char *
value(const struct review *r, const char *name, size_t n, int *known)
{
	const struct placeholder *p;

	for (p = placeholders; p->name != NULL; p++)
		if (strlen(p->name) == n && strncmp(p->name, name, n) == 0)
			break;
	*known = p->name != NULL;
	if (!*known || r == NULL)
		return NULL;
	switch (p->source) {
	case FROM_ROOT:		return json_str(r->root, p->member);
	case FROM_PROD:		return json_str(r->from, p->member);
	case FROM_STAGING:	return json_str(r->to, p->member);
	case FROM_SUMMARY:	return json_str(r->summary, p->member);
	}
	return NULL;
}

/*
 * Expand into `out`; returns NULL or the first problem.  With r NULL it
 * only checks.
 */
static const char *
expand(struct buf *out, const char *tmpl, const struct review *r)
{
	static char msg[96];
	const char *p = tmpl, *end, *v;
	int known;

	while (*p) {
		if ((p[0] == '{' && p[1] == '{') ||
		    (p[0] == '}' && p[1] == '}')) {
			buf_addch(out, *p);
			p += 2;
			continue;
		}
		if (*p != '{') {
			buf_addch(out, *p++);
			continue;
		}
		if ((end = strchr(p, '}')) == NULL) {
			snprintf(msg, sizeof(msg), "unclosed \"{\" in "
			    "\"%.40s\"", p);
			return msg;
		}
		v = value(r, p + 1, (size_t)(end - p - 1), &known);
		if (!known) {
			snprintf(msg, sizeof(msg), "unknown placeholder "
			    "\"%.*s\"", (int)(end - p + 1 > 40 ? 40 :
			    end - p + 1), p);
			return msg;
		}
		buf_addstr(out, v ? v : "");
		p = end + 1;
	}
	return NULL;
}

const char *
meta_check_title(const char *tmpl)
{
	struct buf b = BUF_INIT;
	const char *problem = expand(&b, tmpl, NULL);

	buf_release(&b);
	return problem;
}

/* One space for each run of white space, none at either end. */
static void
squeeze(struct buf *b)
{
	size_t o = 0;
	int space = 1;

	for (size_t i = 0; i < b->len; i++) {
		char c = b->data[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (!space)
				b->data[o++] = ' ';
			space = 1;
		} else {
			b->data[o++] = c;
			space = 0;
		}
	}
	while (o > 0 && b->data[o - 1] == ' ')
		o--;
	buf_setlen(b, o);
}

/* Cut to META_TITLE_MAX characters, never inside one. */
static void
cut(struct buf *b)
{
	size_t chars = 0;

	for (size_t i = 0; i < b->len; i++) {
		if (((unsigned char)b->data[i] & 0xc0) == 0x80)
			continue;
		if (++chars > META_TITLE_MAX) {
			warnx("page title cut to %d characters",
			    META_TITLE_MAX);
			buf_setlen(b, i);
			squeeze(b);
			return;
		}
	}
}

char *
meta_title(const char *tmpl, const struct review *r)
{
	struct buf raw = BUF_INIT, title = BUF_INIT;

	if (expand(&raw, tmpl, r) != NULL)
		abort();	/* main() checked the template */
	xml_add_clean(&title, raw.data);
	buf_release(&raw);
	/* Control characters are gone; new lines and tabs remain. */
	squeeze(&title);
	cut(&title);
	return buf_detach(&title, NULL);
}

cJSON *
meta_page(const struct review *r, const char *tmpl, const char *space,
    const char *parent_id)
{
	cJSON *page = cJSON_CreateObject(), *labels;
	struct buf risk = BUF_INIT;
	char *title = meta_title(tmpl, r);

	json_add_str(page, "space", space);
	json_add_str(page, "parent_id", parent_id);
	json_add_str(page, "title", title);
	labels = cJSON_AddArrayToObject(page, "labels");
	json_push_str(labels, "schema-drift");
	json_push_str(labels, "migration-review");
	buf_addf(&risk, "risk-%s", r->risk ? r->risk : "none");
	json_push_str(labels, risk.data);
	buf_release(&risk);
	free(title);
	return page;
}
