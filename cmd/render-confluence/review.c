/*
 * review: type checks over the review document and the page order of its
 * changes.  Checking everything up front keeps the layout code free of
 * error paths: it reads members with json.h getters that return NULL for
 * an absent or null member and never meets a wrong type.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "json.h"
#include "review.h"
#include "xalloc.h"

static const char *severities[] = {
	"critical", "high", "medium", "low", "info", NULL
};

int
severity_rank(const char *severity)
{
	for (int i = 0; severity != NULL && severities[i] != NULL; i++)
		if (strcmp(severity, severities[i]) == 0)
			return i;
	return -1;
}

static const char *
need_severity(const struct doc *d, const cJSON *obj, const char *where,
    const char *name, int need)
{
	const char *s = need ? doc_need_str(d, obj, where, name) :
	    doc_opt_str(d, obj, where, name);

	if (s != NULL && severity_rank(s) < 0)
		doc_fail(d, where, "member \"%s\" is \"%.64s\", not one of "
		    "critical, high, medium, low, info", name, s);
	return s;
}

/* An optional array whose items are all strings. */
static void
opt_strings(const struct doc *d, const cJSON *obj, const char *where,
    const char *name)
{
	const cJSON *arr = doc_opt_arr(d, obj, where, name), *v;
	int i = 0;

	cJSON_ArrayForEach(v, arr) {
		if (!cJSON_IsString(v))
			doc_fail(d, where, "%s[%d] is %s, not a string", name,
			    i, json_type_name(v));
		i++;
	}
}

static void
opt_number(const struct doc *d, const cJSON *obj, const char *where,
    const char *name)
{
	(void)doc_opt_int(d, obj, where, name, 0);
}

static void
check_evidence(const struct doc *d, const cJSON *ev, const char *where)
{
	char w[160];
	const cJSON *q;
	int i = 0;

	opt_number(d, ev, where, "table_rows");
	opt_number(d, ev, where, "table_bytes");
	opt_number(d, ev, where, "index_scans");
	opt_strings(d, ev, where, "dependents");
	cJSON_ArrayForEach(q, doc_opt_arr(d, ev, where, "queries")) {
		snprintf(w, sizeof(w), "%s.queries[%d]", where, i++);
		doc_need_item_obj(d, q, w);
		doc_need_str(d, q, w, "query");
		opt_number(d, q, w, "calls");
	}
}

static void
check_assessment(const struct doc *d, struct change *c, const char *where)
{
	char w[128], fw[224];
	const cJSON *a, *f, *rb;
	int i = 0;

	snprintf(w, sizeof(w), "%s.assessment", where);
	a = c->assessment = doc_need_obj(d, c->json, where, "assessment");
	c->severity = need_severity(d, a, w, "severity", 1);
	c->rank = severity_rank(c->severity);
	doc_opt_str(d, a, w, "lock");
	doc_opt_str(d, a, w, "blocks");
	doc_opt_str(d, a, w, "rewrite");
	opt_number(d, a, w, "estimated_seconds");
	doc_opt_str(d, a, w, "safer_alternative");
	opt_strings(d, a, w, "owners");
	cJSON_ArrayForEach(f, doc_opt_arr(d, a, w, "findings")) {
		snprintf(fw, sizeof(fw), "%s.findings[%d]", w, i++);
		doc_need_item_obj(d, f, fw);
		doc_need_str(d, f, fw, "rule");
		need_severity(d, f, fw, "severity", 1);
		doc_need_str(d, f, fw, "message");
		opt_strings(d, f, fw, "evidence");
	}
	if ((rb = doc_opt_obj(d, a, w, "rollback")) != NULL) {
		snprintf(fw, sizeof(fw), "%s.rollback", w);
		doc_opt_str(d, rb, fw, "risk");
		opt_strings(d, rb, fw, "sql");
		doc_opt_str(d, rb, fw, "notes");
	}
}

static void
check_attributes(const struct doc *d, const cJSON *change, const char *where)
{
	const cJSON *at;
	char w[128];
	int i = 0;

	cJSON_ArrayForEach(at, doc_opt_arr(d, change, where, "attributes")) {
		snprintf(w, sizeof(w), "%s.attributes[%d]", where, i++);
		doc_need_item_obj(d, at, w);
		doc_need_str(d, at, w, "name");
	}
}

/*
 * Anchors are ASCII [a-z0-9-] so that they survive Confluence's own anchor
 * rewriting; the page number in front keeps them unique when two objects
 * reduce to the same letters.
 */
static void
make_anchor(struct change *c)
{
	size_t n;
	int dash = 0;

	n = (size_t)snprintf(c->anchor, sizeof(c->anchor), "change-%zu-",
	    c->number);
	for (const char *p = c->id; *p && n + 1 < sizeof(c->anchor); p++) {
		char ch = *p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p;

		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
			c->anchor[n++] = ch;
			dash = 0;
		} else if (!dash) {
			c->anchor[n++] = '-';
			dash = 1;
		}
	}
	while (n > 0 && c->anchor[n - 1] == '-')
		n--;
	c->anchor[n] = '\0';
}

static int
page_order(const void *a, const void *b)
{
	const struct change *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void
check_summary(struct review *r, const struct doc *d)
{
	const cJSON *s = r->summary;

	r->risk = need_severity(d, s, ".summary", "risk", 0);
	r->verdict = doc_opt_str(d, s, ".summary", "verdict");
	doc_opt_str(d, s, ".summary", "headline");
	doc_opt_str(d, s, ".summary", "narrative");
	doc_opt_obj(d, s, ".summary", "by_severity");
	doc_opt_bool(d, s, ".summary", "requires_downtime", 0);
	opt_number(d, s, ".summary", "irreversible");
}

void
review_load(struct review *r, const struct doc *d)
{
	const cJSON *arr, *v, *agent, *ev;
	char w[64];
	size_t i = 0;

	memset(r, 0, sizeof(*r));
	r->root = d->root;
	r->from = doc_need_obj(d, d->root, "document", "from");
	r->to = doc_need_obj(d, d->root, "document", "to");
	r->summary = doc_need_obj(d, d->root, "document", "summary");
	check_summary(r, d);
	doc_opt_str(d, d->root, "document", "pair");
	doc_opt_str(d, d->root, "document", "fingerprint");
	doc_opt_str(d, d->root, "document", "forward_script");
	doc_opt_str(d, d->root, "document", "rollback_script");
	opt_strings(d, d->root, "document", "owners");
	if ((agent = doc_opt_obj(d, d->root, "document", "agent")) != NULL) {
		doc_opt_str(d, agent, ".agent", "mode");
		doc_opt_str(d, agent, ".agent", "model");
		doc_opt_str(d, agent, ".agent", "llm_error");
	}
	arr = doc_need_arr(d, d->root, "document", "changes");
	r->nchanges = (size_t)cJSON_GetArraySize(arr);
	r->changes = xcalloc(r->nchanges ? r->nchanges : 1,
	    sizeof(*r->changes));
	cJSON_ArrayForEach(v, arr) {
		struct change *c = &r->changes[i];

		snprintf(w, sizeof(w), ".changes[%zu]", i);
		doc_need_item_obj(d, v, w);
		c->json = v;
		c->index = i++;
		c->id = doc_need_str(d, v, w, "id");
		c->object_kind = doc_need_str(d, v, w, "object_kind");
		c->object = doc_need_str(d, v, w, "object");
		c->op = doc_need_str(d, v, w, "op");
		doc_opt_str(d, v, w, "table");
		doc_opt_str(d, v, w, "renamed_from");
		opt_strings(d, v, w, "forward_sql");
		opt_strings(d, v, w, "rollback_sql");
		check_attributes(d, v, w);
		if ((ev = doc_opt_obj(d, v, w, "evidence")) != NULL) {
			char ew[96];

			snprintf(ew, sizeof(ew), "%s.evidence", w);
			check_evidence(d, ev, ew);
		}
		check_assessment(d, c, w);
	}
	qsort(r->changes, r->nchanges, sizeof(*r->changes), page_order);
	for (i = 0; i < r->nchanges; i++) {
		r->changes[i].number = i + 1;
		make_anchor(&r->changes[i]);
	}
}

void
review_release(struct review *r)
{
	free(r->changes);
	r->changes = NULL;
	r->nchanges = 0;
}
