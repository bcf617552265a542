/*
 * evidence: the proof a finding cites, taken from the diff's per-change
 * `evidence` (prod queries with call counts, dependent objects, table
 * size) and from the application source search.
 *
 * Evidence strings are prefixed by what they are ("query: ", "view:",
 * "app: ") so a reader of the JSON can tell them apart.  Long lists are
 * cut to EV_MAX items with a closing "... and N more" line: the review is
 * read by people, and the diff keeps the full list.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "review.h"

#define EV_MAX		20
#define QUERY_MAX	300	/* characters of query text quoted */

cJSON *
ev_new(void)
{
	return cJSON_CreateArray();
}

size_t
count_items(const cJSON *arr)
{
	return cJSON_IsArray(arr) ? (size_t)cJSON_GetArraySize(arr) : 0;
}

static void
more(cJSON *ev, size_t n, const char *what)
{
	char line[96];

	if (n > EV_MAX) {
		snprintf(line, sizeof(line), "... and %zu more %s",
		    n - EV_MAX, what);
		json_push_str(ev, line);
	}
}

void
ev_queries(cJSON *ev, const struct change *c)
{
	const cJSON *q;
	size_t n = 0;

	cJSON_ArrayForEach(q, c->queries) {
		struct buf b = BUF_INIT;
		const char *text = json_str(q, "query");
		const cJSON *calls = cJSON_GetObjectItemCaseSensitive(q,
		    "calls");
		size_t len;

		if (text == NULL || n++ >= EV_MAX)
			continue;
		len = strlen(text);
		buf_addstr(&b, "query: ");
		buf_add(&b, text, len > QUERY_MAX ? QUERY_MAX : len);
		if (len > QUERY_MAX)
			buf_addstr(&b, "...");
		if (cJSON_IsNumber(calls) || cJSON_IsRaw(calls))
			buf_addf(&b, " (%s)", hum_count(json_int64(calls),
			    "call", "calls").s);
		json_push_str(ev, b.data);
		buf_release(&b);
	}
	more(ev, n, "queries");
}

void
ev_dependents(cJSON *ev, const struct change *c)
{
	const cJSON *d;
	size_t n = 0;

	cJSON_ArrayForEach(d, c->dependents)
		if (cJSON_IsString(d) && n++ < EV_MAX)
			json_push_str(ev, d->valuestring);
	more(ev, n, "dependents");
}

void
ev_app(cJSON *ev, const struct change *c)
{
	struct buf b = BUF_INIT;
	size_t i;

	if (c->app == NULL)
		return;
	for (i = 0; i < c->app->n && i < EV_MAX; i++) {
		buf_reset(&b);
		buf_addf(&b, "app: %s: %s", c->app->loc[i], c->app->text[i]);
		json_push_str(ev, b.data);
	}
	more(ev, c->app->n, "places in application code");
	buf_release(&b);
}

void
ev_users(cJSON *ev, const struct change *c)
{
	ev_queries(ev, c);
	ev_dependents(ev, c);
	ev_app(ev, c);
}

void
ev_size(cJSON *ev, const struct change *c)
{
	char line[256];

	if (c->rows < 0 && c->bytes < 0)
		return;
	snprintf(line, sizeof(line), "table: %s has %s", c->table ?
	    c->table : c->object, hum_size(c).s);
	json_push_str(ev, line);
}

void
ev_sql(cJSON *ev, const struct change *c)
{
	const cJSON *sql;
	struct stmt st;
	char line[QUERY_MAX + 16];

	cJSON_ArrayForEach(sql, c->fwd) {
		if (!cJSON_IsString(sql))
			continue;
		stmt_classify(c, sql->valuestring, &st);
		if (st.work == WORK_NONE && st.blocks == BLOCKS_NOTHING)
			continue;
		snprintf(line, sizeof(line), "sql: %.*s%s", QUERY_MAX,
		    sql->valuestring, strlen(sql->valuestring) > QUERY_MAX ?
		    "..." : "");
		json_push_str(ev, line);
	}
}

int64_t
query_calls(const struct change *c)
{
	const cJSON *q;
	int64_t sum = 0;

	cJSON_ArrayForEach(q, c->queries) {
		const cJSON *calls = cJSON_GetObjectItemCaseSensitive(q,
		    "calls");

		if (cJSON_IsNumber(calls) || cJSON_IsRaw(calls))
			sum += json_int64(calls);
	}
	return sum;
}

int
list_missing(const cJSON *a, const cJSON *b, const char *quote,
    struct buf *out)
{
	const cJSON *v;
	int n = 0;

	cJSON_ArrayForEach(v, a) {
		if (!cJSON_IsString(v) || json_str_index(b, v->valuestring) >= 0)
			continue;
		buf_addf(out, "%s%s%s%s", n ? ", " : "", quote, v->valuestring,
		    quote);
		n++;
	}
	return n;
}

/* Append "a, b and c" style joins: `i` of `n` items is being added. */
static void
join(struct buf *b, size_t i, size_t n)
{
	if (i == 0)
		return;
	buf_addstr(b, i + 1 == n ? " and " : ", ");
}

void
describe_users(struct buf *b, const struct change *c)
{
	size_t nq = count_items(c->queries), nd = count_items(c->dependents);
	size_t napp = c->app ? c->app->n : 0;
	size_t parts = (nq > 0) + (nd > 0) + (napp > 0), i = 0;
	const cJSON *d;

	if (nq > 0) {
		join(b, i++, parts);
		buf_addf(b, "%s (%s)", hum_count((int64_t)nq, "prod query",
		    "prod queries").s, hum_count(query_calls(c), "call",
		    "calls").s);
	}
	if (nd > 0) {
		size_t k = 0;

		join(b, i++, parts);
		cJSON_ArrayForEach(d, c->dependents) {
			const char *s = cJSON_IsString(d) ? d->valuestring :
			    "?";
			const char *colon = strchr(s, ':');

			if (k == 3) {
				buf_addf(b, " and %zu more", nd - 3);
				break;
			}
			if (k > 0)
				buf_addstr(b, k + 1 == nd ? " and " : ", ");
			if (colon)
				buf_addf(b, "%.*s %s", (int)(colon - s), s,
				    colon + 1);
			else
				buf_addstr(b, s);
			k++;
		}
	}
	if (napp > 0) {
		join(b, i++, parts);
		buf_addf(b, "%s in application code",
		    hum_count((int64_t)napp, "place", "places").s);
	}
}

int
is_large(const struct change *c)
{
	return (c->bytes >= 0 && c->bytes > c->cfg->large_bytes) ||
	    (c->rows >= 0 && c->rows > c->cfg->large_rows);
}

int
maybe_rows(const struct change *c)
{
	return c->rows != 0;
}
