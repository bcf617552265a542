/*
 * findings: the rule catalogue's ids, and recording what a rule found.
 *
 * The rule table is the one place that lists every id of rules.md; the
 * config checks severity overrides and silences against it, and the man
 * page documents the same list.  A finding passes through the config here
 * (silenced per object glob, severity overridden per rule) so that the
 * rules themselves only say what they saw.
 */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "review.h"
#include "xalloc.h"

static const char *const rules[] = {
	"check-added-validating",
	"collation-changed",
	"column-type-compatible",
	"column-type-narrowed",
	"column-type-rewrite",
	"comment-changed",
	"composite-type-changed",
	"constraint-dropped",
	"default-changed",
	"default-dropped",
	"domain-changed",
	"drop-not-null",
	"dropped-column",
	"dropped-column-still-referenced",
	"dropped-schema",
	"dropped-table",
	"dropped-table-still-referenced",
	"dropped-view",
	"enum-value-added",
	"enum-value-removed",
	"extension-changed",
	"fk-added-validating",
	"function-body-changed",
	"function-signature-changed",
	"identity-or-generated-changed",
	"index-added",
	"index-build-blocking",
	"index-definition-changed",
	"index-dropped",
	"index-dropped-in-use",
	"irreversible-change",
	"long-lock-on-large-table",
	"materialized-view-changed",
	"not-null-column-without-default",
	"owner-changed",
	"partition-attached",
	"partition-detached",
	"policy-changed",
	"primary-key-changed",
	"privilege-granted",
	"privilege-revoked",
	"referenced-by-app-code",
	"renamed-column",
	"renamed-table",
	"rls-enabled-without-policy",
	"sequence-changed",
	"set-not-null",
	"table-set-unlogged",
	"trigger-changed",
	"unique-added",
	"view-columns-changed",
	"view-definition-changed",
	"volatile-default",
};

static const char *const sev_names[SEV_COUNT] = {
	"info", "low", "medium", "high", "critical"
};

const char *
sev_name(enum sev s)
{
	return sev_names[s];
}

int
sev_parse(const char *name, enum sev *s)
{
	int i;

	for (i = 0; i < SEV_COUNT; i++) {
		if (strcmp(name, sev_names[i]) == 0) {
			*s = (enum sev)i;
			return 1;
		}
	}
	return 0;
}

const char *
risk_name(enum risk r)
{
	static const char *const names[] = {
		"safe", "lossy", "data_loss", "irreversible"
	};

	return names[r];
}

size_t
rule_count(void)
{
	return sizeof(rules) / sizeof(rules[0]);
}

const char *
rule_id(size_t i)
{
	return rules[i];
}

int
rule_index(const char *rule)
{
	size_t i;

	for (i = 0; i < rule_count(); i++)
		if (strcmp(rules[i], rule) == 0)
			return (int)i;
	return -1;
}

/* Is `rule` silenced by the config for this change's object or table? */
static int
silenced(const struct change *c, const char *rule)
{
	const struct config *cfg = c->cfg;
	size_t i;

	for (i = 0; i < cfg->nsilence; i++) {
		if (strcmp(cfg->silence_rule[i], rule) != 0)
			continue;
		if (fnmatch(cfg->silence_obj[i], c->object, 0) == 0 ||
		    (c->table && fnmatch(cfg->silence_obj[i], c->table,
		    0) == 0))
			return 1;
	}
	return 0;
}

void
finding_add(struct change *c, const char *rule, enum sev sev, cJSON *ev,
    const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	cJSON *f;
	va_list ap;
	int i = rule_index(rule);

	if (i < 0)
		abort();	/* a rule missing from the table is a bug */
	if (silenced(c, rule)) {
		cJSON_Delete(ev);
		return;
	}
	if (c->cfg->override[i] >= 0)
		sev = (enum sev)c->cfg->override[i];
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	f = cJSON_CreateObject();
	json_add_str(f, "rule", rule);
	json_add_str(f, "severity", sev_name(sev));
	json_add_str(f, "message", msg.data);
	cJSON_AddItemToObject(f, "evidence", ev ? ev : cJSON_CreateArray());
	cJSON_AddItemToArray(c->findings, f);
	buf_release(&msg);
}

void
suggest(struct change *c, enum sev sev, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	if (c->alternative && c->alt_sev >= sev)
		return;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	free(c->alternative);
	c->alternative = buf_detach(&b, NULL);
	c->alt_sev = sev;
}

void
set_risk(struct change *c, enum risk r, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	if (c->risk_notes && r <= c->risk)
		return;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	free(c->risk_notes);
	c->risk_notes = buf_detach(&b, NULL);
	c->risk = r;
}

static enum sev
finding_sev(const cJSON *f)
{
	enum sev s = SEV_INFO;

	sev_parse(json_str(f, "severity"), &s);
	return s;
}

static int
cmp_finding(const cJSON *a, const cJSON *b)
{
	enum sev x = finding_sev(a), y = finding_sev(b);
	int d;

	if (x != y)
		return x > y ? -1 : 1;
	if ((d = json_cmp_member(a, b, "rule")) != 0)
		return d;
	return json_cmp_member(a, b, "message");
}

void
findings_finish(struct change *c)
{
	const cJSON *f;

	json_sort_array(c->findings, cmp_finding);
	c->sev = SEV_INFO;
	cJSON_ArrayForEach(f, c->findings)
		if (finding_sev(f) > c->sev)
			c->sev = finding_sev(f);
}

int
has_finding(const struct change *c, const char *rule)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, c->findings) {
		const char *r = json_str(f, "rule");

		if (r && strcmp(r, rule) == 0)
			return 1;
	}
	return 0;
}
