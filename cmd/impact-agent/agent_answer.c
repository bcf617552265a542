/*
 * agent_answer: the model's final answer: its JSON Schema (sent as the
 * parameters of submit_review), the checks that hold it to that schema
 * and to the review it answers, and the merge into the review.
 *
 * The merge is where "the model can add, never lower or remove" is
 * enforced: findings are only appended, under "model:<slug>" so that no
 * rule's id can be claimed; a severity moves only upward; a raise that is
 * not one is dropped; the summary's risk and verdict are recomputed and
 * kept at least where the rules put them.  Servers that promise
 * schema-conforming output still get checked: constrained is not correct.
 */
#include <stdlib.h>
#include <string.h>

#include "agent_impl.h"
#include "die.h"
#include "json.h"
#include "xalloc.h"

#define MAX_FINDINGS	50
#define MAX_RAISES	200
#define MAX_EVIDENCE	20
#define MAX_MESSAGE	1000
#define MAX_REASONING	4000
#define MAX_NARRATIVE	20000

static const char *const sevs[] = { "info", "low", "medium", "high",
	"critical", NULL };

static const char schema[] =
"{\"type\":\"object\",\"additionalProperties\":false,"
"\"required\":[\"changes\",\"findings\",\"severity_raises\",\"narrative\"],"
"\"properties\":{"
"\"changes\":{\"type\":\"array\",\"description\":\"your reasoning on each "
"change worth explaining\",\"items\":{\"type\":\"object\","
"\"additionalProperties\":false,\"required\":[\"id\",\"reasoning\"],"
"\"properties\":{\"id\":{\"type\":\"string\",\"description\":\"a change id\"},"
"\"reasoning\":{\"type\":\"string\"}}}},"
"\"findings\":{\"type\":\"array\",\"description\":\"problems the rules did "
"not report\",\"items\":{\"type\":\"object\",\"additionalProperties\":false,"
"\"required\":[\"change_id\",\"slug\",\"severity\",\"message\",\"evidence\"],"
"\"properties\":{\"change_id\":{\"type\":\"string\"},"
"\"slug\":{\"type\":\"string\",\"description\":\"short id: lower-case "
"letters, digits and '-', at most 48\"},"
"\"severity\":{\"type\":\"string\",\"enum\":[\"critical\",\"high\","
"\"medium\",\"low\",\"info\"]},"
"\"message\":{\"type\":\"string\"},"
"\"evidence\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}},"
"\"severity_raises\":{\"type\":\"array\",\"description\":\"changes whose "
"severity should be higher than the rules said\",\"items\":{\"type\":"
"\"object\",\"additionalProperties\":false,"
"\"required\":[\"change_id\",\"severity\",\"reason\"],"
"\"properties\":{\"change_id\":{\"type\":\"string\"},"
"\"severity\":{\"type\":\"string\",\"enum\":[\"critical\",\"high\","
"\"medium\",\"low\",\"info\"]},"
"\"reason\":{\"type\":\"string\"}}}},"
"\"narrative\":{\"type\":\"string\",\"description\":\"the review in "
"Markdown\"}}}";

cJSON *
agent_answer_schema(void)
{
	cJSON *s = cJSON_Parse(schema);

	if (s == NULL)
		abort();	/* the text above is valid JSON */
	return s;
}

static int
sev_rank(const char *s)
{
	for (int i = 0; s && sevs[i]; i++)
		if (strcmp(s, sevs[i]) == 0)
			return i;
	return -1;
}

static cJSON *
find_change(const cJSON *review, const char *id)
{
	cJSON *ch;

	cJSON_ArrayForEach(ch, json_arr(review, "changes"))
		if (id && json_str(ch, "id") && strcmp(json_str(ch, "id"),
		    id) == 0)
			return ch;
	return NULL;
}

struct checker {
	struct buf	*why;
	int		 n;
};

static void
bad(struct checker *k, const char *where, const char *what)
{
	if (k->n++ >= 8)
		return;
	if (k->why->len)
		buf_addstr(k->why, "; ");
	buf_addf(k->why, "%s: %s", where, what);
}

/* Members of `obj` other than `allowed` are violations. */
static void
only(struct checker *k, const cJSON *obj, const char *where,
    const char *const *allowed)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, obj) {
		size_t i;
		struct buf b = BUF_INIT;

		for (i = 0; allowed[i]; i++)
			if (strcmp(m->string, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL) {
			buf_addf(&b, "unknown member \"%.40s\"", m->string);
			bad(k, where, b.data);
		}
		buf_release(&b);
	}
}

/* A non-empty string member of at most `max` bytes, or NULL. */
static const char *
need_text(struct checker *k, const cJSON *obj, const char *where,
    const char *name, size_t max)
{
	const char *s = json_str(obj, name);
	struct buf b = BUF_INIT;

	if (s == NULL)
		buf_addf(&b, "\"%s\" must be a string", name);
	else if (*s == '\0')
		buf_addf(&b, "\"%s\" is empty", name);
	else if (strlen(s) > max)
		buf_addf(&b, "\"%s\" is longer than %zu bytes", name, max);
	if (b.len)
		bad(k, where, b.data);
	buf_release(&b);
	return b.len ? NULL : s;
}

static void
need_change(struct checker *k, const cJSON *review, const char *where,
    const char *id)
{
	struct buf b = BUF_INIT;

	if (id == NULL || find_change(review, id))
		return;
	buf_addf(&b, "no change has id \"%.120s\"", id);
	bad(k, where, b.data);
	buf_release(&b);
}

static void
need_sev(struct checker *k, const cJSON *obj, const char *where)
{
	if (sev_rank(json_str(obj, "severity")) < 0)
		bad(k, where, "\"severity\" must be one of critical, high, "
		    "medium, low, info");
}

static int
slug_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 48 || *s == '-')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-'))
			return 0;
	return 1;
}

static void
check_finding(struct checker *k, const cJSON *review, const cJSON *f,
    const char *where)
{
	static const char *const members[] = { "change_id", "slug",
	    "severity", "message", "evidence", NULL };
	const char *slug;
	const cJSON *ev = json_arr(f, "evidence"), *e;

	only(k, f, where, members);
	need_change(k, review, where, need_text(k, f, where, "change_id",
	    300));
	if ((slug = need_text(k, f, where, "slug", 48)) && !slug_ok(slug))
		bad(k, where, "\"slug\" may hold only a-z, 0-9 and '-'");
	need_sev(k, f, where);
	need_text(k, f, where, "message", MAX_MESSAGE);
	if (ev == NULL)
		bad(k, where, "\"evidence\" must be an array of strings");
	else if (cJSON_GetArraySize(ev) > MAX_EVIDENCE)
		bad(k, where, "\"evidence\" has more than 20 items");
	cJSON_ArrayForEach(e, ev)
		if (!cJSON_IsString(e) || strlen(e->valuestring) > 500) {
			bad(k, where, "\"evidence\" items must be strings of "
			    "at most 500 bytes");
			break;
		}
}

int
agent_answer_check(const cJSON *ans, const cJSON *review, struct buf *why)
{
	static const char *const top[] = { "changes", "findings",
	    "severity_raises", "narrative", NULL };
	static const char *const cm[] = { "id", "reasoning", NULL };
	static const char *const rm[] = { "change_id", "severity", "reason",
	    NULL };
	struct checker k = { why, 0 };
	const cJSON *arr, *it;
	struct buf where = BUF_INIT;
	int i;

	only(&k, ans, "review", top);
	need_text(&k, ans, "review", "narrative", MAX_NARRATIVE);
	if ((arr = json_arr(ans, "changes")) == NULL)
		bad(&k, "review", "\"changes\" must be an array");
	i = 0;
	cJSON_ArrayForEach(it, arr) {
		buf_reset(&where);
		buf_addf(&where, "changes[%d]", i++);
		only(&k, it, where.data, cm);
		need_change(&k, review, where.data,
		    need_text(&k, it, where.data, "id", 300));
		need_text(&k, it, where.data, "reasoning", MAX_REASONING);
	}
	if ((arr = json_arr(ans, "findings")) == NULL)
		bad(&k, "review", "\"findings\" must be an array");
	else if (cJSON_GetArraySize(arr) > MAX_FINDINGS)
		bad(&k, "review", "more than 50 findings");
	i = 0;
	cJSON_ArrayForEach(it, arr) {
		buf_reset(&where);
		buf_addf(&where, "findings[%d]", i++);
		check_finding(&k, review, it, where.data);
	}
	if ((arr = json_arr(ans, "severity_raises")) == NULL)
		bad(&k, "review", "\"severity_raises\" must be an array");
	else if (cJSON_GetArraySize(arr) > MAX_RAISES)
		bad(&k, "review", "more than 200 severity raises");
	i = 0;
	cJSON_ArrayForEach(it, arr) {
		buf_reset(&where);
		buf_addf(&where, "severity_raises[%d]", i++);
		only(&k, it, where.data, rm);
		need_change(&k, review, where.data,
		    need_text(&k, it, where.data, "change_id", 300));
		need_sev(&k, it, where.data);
		need_text(&k, it, where.data, "reason", MAX_MESSAGE);
	}
	buf_release(&where);
	if (k.n > 8)
		buf_addf(why, "; and %d more", k.n - 8);
	return k.n ? -1 : 0;
}

static cJSON *
assessment(cJSON *ch)
{
	cJSON *a = cJSON_GetObjectItemCaseSensitive(ch, "assessment");

	if (!cJSON_IsObject(a)) {
		cJSON_DeleteItemFromObjectCaseSensitive(ch, "assessment");
		a = cJSON_AddObjectToObject(ch, "assessment");
	}
	return a;
}

static cJSON *
findings_of(cJSON *a)
{
	cJSON *f = cJSON_GetObjectItemCaseSensitive(a, "findings");

	if (!cJSON_IsArray(f)) {
		cJSON_DeleteItemFromObjectCaseSensitive(a, "findings");
		f = cJSON_AddArrayToObject(a, "findings");
	}
	return f;
}

static void
set_str(cJSON *obj, const char *name, const char *s)
{
	cJSON_DeleteItemFromObjectCaseSensitive(obj, name);
	cJSON_AddStringToObject(obj, name, s);
}

/* Severity descending, then rule, as the rules order them. */
static int
by_severity(const cJSON *x, const cJSON *y)
{
	int a = sev_rank(json_str(x, "severity"));
	int b = sev_rank(json_str(y, "severity"));

	if (a != b)
		return b - a;
	return json_cmp_member(x, y, "rule");
}

static void
add_finding(cJSON *ch, const char *rule, const char *sev, const char *msg,
    const cJSON *ev)
{
	cJSON *arr = findings_of(assessment(ch)), *f, *e;
	const cJSON *old;

	cJSON_ArrayForEach(old, arr)
		if (json_str(old, "rule") && strcmp(json_str(old, "rule"),
		    rule) == 0 && json_str(old, "message") &&
		    strcmp(json_str(old, "message"), msg) == 0)
			return;
	f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "rule", rule);
	cJSON_AddStringToObject(f, "severity", sev);
	cJSON_AddStringToObject(f, "message", msg);
	e = cJSON_AddArrayToObject(f, "evidence");
	cJSON_ArrayForEach(old, ev)
		json_push_str(e, old->valuestring);
	cJSON_AddItemToArray(arr, f);
}

/* Raise the change's severity to the highest of its findings, never down. */
static int
settle_change(cJSON *ch)
{
	cJSON *a = assessment(ch);
	const cJSON *f;
	int sev = sev_rank(json_str(a, "severity"));

	cJSON_ArrayForEach(f, findings_of(a))
		if (sev_rank(json_str(f, "severity")) > sev)
			sev = sev_rank(json_str(f, "severity"));
	if (sev >= 0)
		set_str(a, "severity", sevs[sev]);
	json_sort_array(findings_of(a), by_severity);
	return sev;
}

static int
verdict_rank(const char *v)
{
	if (v == NULL)
		return -1;
	if (strcmp(v, "block") == 0)
		return 2;
	if (strcmp(v, "needs_signoff") == 0)
		return 1;
	return strcmp(v, "safe") == 0 ? 0 : -1;
}

static void
settle_summary(cJSON *review, int counts[5], const char *narrative)
{
	static const char *const verdicts[] = { "safe", "needs_signoff",
	    "block" };
	cJSON *s = cJSON_GetObjectItemCaseSensitive(review, "summary"), *by;
	int risk = -1, v;

	if (!cJSON_IsObject(s)) {
		cJSON_DeleteItemFromObjectCaseSensitive(review, "summary");
		s = cJSON_AddObjectToObject(review, "summary");
	}
	for (int i = 0; i < 5; i++)
		if (counts[i])
			risk = i;
	if (sev_rank(json_str(s, "risk")) > risk)
		risk = sev_rank(json_str(s, "risk"));
	if (risk >= 0)
		set_str(s, "risk", sevs[risk]);
	v = risk == 4 ? 2 : risk >= 2 ? 1 : 0;
	if (verdict_rank(json_str(s, "verdict")) > v)
		v = verdict_rank(json_str(s, "verdict"));
	set_str(s, "verdict", verdicts[v]);
	cJSON_DeleteItemFromObjectCaseSensitive(s, "by_severity");
	by = cJSON_AddObjectToObject(s, "by_severity");
	for (int i = 4; i >= 0; i--)
		cJSON_AddNumberToObject(by, sevs[i], counts[i]);
	set_str(s, "narrative", narrative);
}

void
agent_answer_merge(cJSON *review, const cJSON *ans)
{
	const cJSON *it;
	cJSON *ch;
	int counts[5] = { 0 };
	struct buf rule = BUF_INIT;

	cJSON_ArrayForEach(it, json_arr(ans, "changes"))
		set_str(assessment(find_change(review, json_str(it, "id"))),
		    "reasoning", json_str(it, "reasoning"));
	cJSON_ArrayForEach(it, json_arr(ans, "findings")) {
		buf_reset(&rule);
		buf_addf(&rule, "model:%s", json_str(it, "slug"));
		add_finding(find_change(review, json_str(it, "change_id")),
		    rule.data, json_str(it, "severity"),
		    json_str(it, "message"), json_arr(it, "evidence"));
	}
	cJSON_ArrayForEach(it, json_arr(ans, "severity_raises")) {
		const char *id = json_str(it, "change_id");
		const char *to = json_str(it, "severity");
		cJSON *c = find_change(review, id);
		int now = settle_change(c);

		if (sev_rank(to) <= now) {
			progress("model: not lowering %s to %s", id, to);
			continue;
		}
		buf_reset(&rule);
		buf_addf(&rule, "Raised from %s to %s: %s",
		    now >= 0 ? sevs[now] : "none", to,
		    json_str(it, "reason"));
		add_finding(c, "model:severity-raised", to, rule.data, NULL);
	}
	cJSON_ArrayForEach(ch, json_arr(review, "changes")) {
		int sev = settle_change(ch);

		if (sev >= 0)
			counts[sev]++;
	}
	settle_summary(review, counts, json_str(ans, "narrative"));
	buf_release(&rule);
}
