/*
 * github: the tracker operations against the GitHub REST API (see
 * github.h).  Sections: requests (headers, rate limits, failures), reading
 * issues, lookup (list, then search), and the four writes.
 */
#define _DEFAULT_SOURCE
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <time.h>

#include "buf.h"
#include "die.h"
#include "github.h"
#include "http.h"
#include "json.h"
#include "marker.h"
#include "xalloc.h"

/* Pages of 100 issues read before giving up: 10,000 open issues. */
#define MAX_PAGES	100

/* --- requests --- */

/* GitHub asks for at least a second between content-creating requests. */
static void
space_writes(struct github *g)
{
	struct timespec now;
	double since;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (g->last_write.tv_sec != 0 || g->last_write.tv_nsec != 0) {
		since = (double)(now.tv_sec - g->last_write.tv_sec) +
		    (double)(now.tv_nsec - g->last_write.tv_nsec) / 1e9;
		if (since < 1.0)
			http_sleep(1.0 - since);
	}
	clock_gettime(CLOCK_MONOTONIC, &g->last_write);
}

/*
 * Whether a 403 is a rate limit rather than a refusal, and how long to
 * wait: Retry-After, else until x-ratelimit-reset when none is left, else
 * the minute GitHub asks for after a secondary limit without a header.
 */
static int
rate_limited(const struct http_response *r, double *wait)
{
	char *v;
	int limited = 0;

	if ((v = http_header(r, "retry-after")) != NULL) {
		char *end;
		double secs = strtod(v, &end);

		if (end == v || *end != '\0') {
			time_t when = curl_getdate(v, NULL);

			secs = when == -1 ? 60 : difftime(when, time(NULL));
		}
		*wait = secs < 0 ? 0 : secs;
		free(v);
		return 1;
	}
	if ((v = http_header(r, "x-ratelimit-remaining")) != NULL) {
		char *reset = http_header(r, "x-ratelimit-reset");

		if (strcmp(v, "0") == 0) {
			*wait = reset ? difftime((time_t)atoll(reset),
			    time(NULL)) + 1 : 60;
			if (*wait < 0)
				*wait = 0;
			limited = 1;
		}
		free(reset);
		free(v);
		if (limited)
			return 1;
	}
	for (const char *p = r->body.data; *p; p++)
		if (strncasecmp(p, "rate limit", 10) == 0) {
			*wait = 60;
			return 1;
		}
	return 0;
}

/*
 * http_request() with GitHub's rate-limit 403 waited out.  A request that
 * was refused for the rate never reached the API, so even a creating POST
 * may be sent again.
 */
static enum http_outcome
gh_send(struct github *g, const char *method, const char *url,
    const char *body, int flags, struct http_response *r)
{
	enum http_outcome o;
	double wait;

	if (strcmp(method, "GET") != 0)
		space_writes(g);
	for (int try = 1;; try++) {
		o = http_request(&g->http, method, url, body, flags, r);
		if (o != HTTP_ANSWERED || r->status != 403 ||
		    !rate_limited(r, &wait))
			return o;
		if (wait > g->http.max_wait_s)
			errx(EX_TEMPFAIL, "github: rate limited for %.0f s "
			    "more, longer than %.0f s; try again later", wait,
			    g->http.max_wait_s);
		if (try >= g->http.max_tries)
			errx(EX_TEMPFAIL, "github: still rate limited after "
			    "%d tries; try again later", try);
		note("github: rate limited, waiting %.0f s", wait);
		http_sleep(wait);
	}
}

/* The error message GitHub put in a JSON body, for a 422. */
static void
add_api_message(struct buf *b, const struct http_response *r)
{
	cJSON *j = cJSON_Parse(r->body.data);
	const cJSON *e;
	const char *m = json_str(j, "message");

	buf_addstr(b, m ? m : "validation failed");
	cJSON_ArrayForEach(e, json_arr(j, "errors")) {
		const char *em = json_str(e, "message");
		const char *field = json_str(e, "field");
		const char *code = json_str(e, "code");

		buf_addf(b, "; %s%s%s", field ? field : "",
		    field ? ": " : "", em ? em : code ? code : "invalid");
	}
	cJSON_Delete(j);
	if (b->len > 300)
		buf_setlen(b, 300);
}

/*
 * End the run for a failed request about issue `number` (0: about the
 * repository).  A repository that is not there (404) or has issues
 * disabled (410) is configuration; an issue that vanished since it was
 * found (moved, deleted) is temporary, as the next run will make a new
 * one; 422 is our own document at fault; the rest is http_die()'s.
 */
static _Noreturn void
gh_fail(struct github *g, enum http_outcome o, const struct http_response *r,
    const char *what, long number)
{
	struct buf b = BUF_INIT;
	long st = o == HTTP_ANSWERED ? r->status : 0;

	if ((st == 404 || st == 410) && number > 0)
		errx(EX_TEMPFAIL, "github: %s: HTTP %ld: issue #%ld is gone "
		    "(moved or deleted); run again to open a new one", what,
		    st, number);
	if (st == 404)
		errx(EX_CONFIG, "github: %s: HTTP 404: repository \"%s\" not "
		    "found at %s, or the token cannot see it", what, g->repo,
		    g->api);
	if (st == 410)
		errx(EX_CONFIG, "github: %s: HTTP 410: issues are disabled "
		    "on \"%s\"", what, g->repo);
	if (st == 422) {
		add_api_message(&b, r);
		errx(EX_DATAERR, "github: %s: HTTP 422: %s", what, b.data);
	}
	http_die(&g->http, o, r, what);
}

static cJSON *
parse_answer(const struct http_response *r, const char *what)
{
	cJSON *j = cJSON_ParseWithLength(r->body.data, r->body.len);

	if (j == NULL)
		errx(EX_SOFTWARE, "github: %s: HTTP %ld with a body that is "
		    "not JSON", what, r->status);
	return j;
}

/* The rel="next" URL of a Link header, when it stays on the API host. */
static char *
next_link(const struct github *g, const struct http_response *r)
{
	char *link = http_header(r, "link"), *next = NULL;
	const char *p, *lt, *gt;
	size_t origin = strcspn(strstr(g->api, "://") + 3, "/") +
	    (size_t)(strstr(g->api, "://") + 3 - g->api);

	for (p = link; p && (lt = strchr(p, '<')) != NULL; p = gt) {
		if ((gt = strchr(lt, '>')) == NULL)
			break;
		if (strncmp(gt + 1, "; rel=\"next\"", 12) != 0)
			continue;
		if ((size_t)(gt - lt - 1) < origin ||
		    strncmp(lt + 1, g->api, origin) != 0 ||
		    (lt[1 + origin] != '/' && lt[1 + origin] != '>')) {
			warnx("github: not following a next page on another "
			    "host");
			break;
		}
		next = xstrndup(lt + 1, (size_t)(gt - lt - 1));
		break;
	}
	free(link);
	return next;
}

/* --- reading issues --- */

static void
issue_from_json(const cJSON *j, struct issue *is)
{
	const cJSON *l;
	const char *body = json_str(j, "body"), *url = json_str(j, "html_url");

	issue_release(is);
	is->number = (long)json_num(j, "number", 0);
	is->url = url ? xstrdup(url) : NULL;
	is->body = body ? xstrdup(body) : NULL;
	is->labels = cJSON_CreateArray();
	cJSON_ArrayForEach(l, json_arr(j, "labels")) {
		const char *name = cJSON_IsString(l) ? l->valuestring :
		    json_str(l, "name");

		if (name != NULL)
			json_push_str(is->labels, name);
	}
}

static int
is_ours(const cJSON *item, const char *pair)
{
	return json_obj(item, "pull_request") == NULL &&
	    marker_is_for(json_str(item, "body"), pair);
}

/* --- lookup --- */

static void
add_repo_url(struct github *g, struct buf *b, const char *rest)
{
	buf_addf(b, "%s%s%s", g->api, g->repo_path, rest);
}

/*
 * Second chance: the search API, for an issue that lost its label.  The
 * index lags and search is limited to 30 requests a minute, so a failure
 * here is a warning; every hit is checked, for the repository too.
 */
static int
search(struct github *g, const char *pair, struct issue *is)
{
	struct http_response r;
	struct buf url = BUF_INIT, q = BUF_INIT;
	size_t plen = strlen(g->repo_path);
	enum http_outcome o;
	const cJSON *item;
	cJSON *j;
	int found = 0;

	buf_addf(&q, "repo:%s is:issue is:open in:body \"drift-review "
	    "pair=%s\"", g->repo, pair);
	buf_addf(&url, "%s/search/issues?q=", g->api);
	http_add_escaped(&url, q.data);
	buf_addstr(&url, "&per_page=100");
	http_response_init(&r);
	o = gh_send(g, "GET", url.data, NULL, HTTP_IDEMPOTENT, &r);
	if (o != HTTP_ANSWERED || r.status != 200) {
		if (o == HTTP_ANSWERED)
			snprintf(r.error, sizeof(r.error), "HTTP %ld",
			    r.status);
		warnx("github: searching for the issue of pair %s failed "
		    "(%s); trusting the label lookup", pair, r.error);
		goto out;
	}
	j = parse_answer(&r, "searching issues");
	if (json_true(j, "incomplete_results"))
		warnx("github: search results are incomplete");
	cJSON_ArrayForEach(item, json_arr(j, "items")) {
		const char *repo_url = json_str(item, "repository_url");
		const char *state = json_str(item, "state");
		size_t n = repo_url ? strlen(repo_url) : 0;

		if (!is_ours(item, pair) || state == NULL ||
		    strcmp(state, "open") != 0 || n < plen ||
		    strcasecmp(repo_url + n - plen, g->repo_path) != 0)
			continue;
		issue_from_json(item, is);
		found = 1;
		warnx("github: issue #%ld of pair %s found by search only: "
		    "it lacks the label \"%s\"", is->number, pair, g->label);
		break;
	}
	cJSON_Delete(j);
out:
	http_response_release(&r);
	buf_release(&url);
	buf_release(&q);
	return found;
}

/*
 * GET `url` (which this takes over) and the rel="next" pages after it, at
 * most MAX_PAGES, calling `visit` on each item of their arrays until it
 * returns nonzero; returns that value, or 0.
 */
static int
each_item(struct github *g, char *url, const char *what, long number,
    int (*visit)(const cJSON *item, void *arg), void *arg)
{
	struct http_response r;
	int stop = 0, pages = 0;

	http_response_init(&r);
	while (url != NULL && !stop && pages++ < MAX_PAGES) {
		enum http_outcome o = gh_send(g, "GET", url, NULL,
		    HTTP_IDEMPOTENT, &r);
		const cJSON *item;
		cJSON *j;

		free(url);
		url = NULL;
		if (o != HTTP_ANSWERED || r.status != 200)
			gh_fail(g, o, &r, what, number);
		j = parse_answer(&r, what);
		if (!cJSON_IsArray(j))
			errx(EX_SOFTWARE, "github: %s: the answer is not an "
			    "array", what);
		cJSON_ArrayForEach(item, j)
			if ((stop = visit(item, arg)) != 0)
				break;
		cJSON_Delete(j);
		if (!stop)
			url = next_link(g, &r);
	}
	free(url);
	http_response_release(&r);
	return stop;
}

struct lookup {
	const char *pair;
	struct issue *is;	/* the first (oldest) match */
	int	 found;		/* matches, duplicates included */
};

static int
visit_issue(const cJSON *item, void *arg)
{
	struct lookup *l = arg;

	if (is_ours(item, l->pair) && l->found++ == 0)
		issue_from_json(item, l->is);
	return 0;
}

static int
gh_find(struct tracker *t, const char *pair, struct issue *is)
{
	struct github *g = (struct github *)t;
	struct lookup l = { pair, is, 0 };
	struct buf url = BUF_INIT;

	add_repo_url(g, &url, "/issues?state=open&labels=");
	http_add_escaped(&url, g->label);
	buf_addstr(&url, "&sort=created&direction=asc&per_page=100");
	each_item(g, buf_detach(&url, NULL), "listing open issues", 0,
	    visit_issue, &l);
	if (l.found > 1)
		warnx("github: %d open issues carry the marker of pair %s; "
		    "using the oldest, #%ld", l.found, pair, is->number);
	return l.found > 0 || search(g, pair, is);
}

/* --- writes --- */

/* An answer that leaves in doubt whether a POST took effect. */
static int
in_doubt(enum http_outcome o, const struct http_response *r)
{
	switch (o) {
	case HTTP_ANSWERED:
		return r->status >= 500 || r->status == 408;
	case HTTP_TIMED_OUT:
	case HTTP_DROPPED:
	case HTTP_FAILED:
		return 1;
	default:
		return 0;
	}
}

/*
 * After a 422, drop the assignees GitHub named as invalid (all of them
 * if it named none) and say so.  Returns 1 when any was dropped.
 */
static int
drop_assignees(const struct http_response *r, cJSON *assignees)
{
	cJSON *j = cJSON_Parse(r->body.data);
	const cJSON *e;
	int named = 0, dropped = 0;

	cJSON_ArrayForEach(e, json_arr(j, "errors")) {
		const char *field = json_str(e, "field");
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, "value");

		if (field == NULL || strncmp(field, "assignee", 8) != 0)
			continue;
		named = 1;
		for (int i = cJSON_GetArraySize(assignees) - 1; i >= 0; i--) {
			const char *a = cJSON_GetArrayItem(assignees,
			    i)->valuestring;

			if (cJSON_IsString(v) && strcmp(v->valuestring, a) != 0)
				continue;
			warnx("github: assignee \"%s\" dropped: GitHub refuses "
			    "it (%s)", a, json_str(e, "code") ?
			    json_str(e, "code") : "invalid");
			cJSON_DeleteItemFromArray(assignees, i);
			dropped = 1;
		}
	}
	if (named && !dropped)
		while (cJSON_GetArraySize(assignees) > 0) {
			warnx("github: assignee \"%s\" dropped: GitHub refuses "
			    "the assignees", cJSON_GetArrayItem(assignees,
			    0)->valuestring);
			cJSON_DeleteItemFromArray(assignees, 0);
			dropped = 1;
		}
	cJSON_Delete(j);
	return dropped;
}

static void
gh_create(struct tracker *t, const struct post *p, struct issue *is)
{
	struct github *g = (struct github *)t;
	cJSON *assignees = p->assignees ? cJSON_Duplicate(p->assignees, 1) :
	    cJSON_CreateArray();
	struct http_response r;
	struct buf url = BUF_INIT;
	enum http_outcome o;
	int tries = 0;

	add_repo_url(g, &url, "/issues");
	http_response_init(&r);
	for (;;) {
		cJSON *req = cJSON_CreateObject(), *j;
		char *body;

		json_add_str(req, "title", p->title);
		json_add_str(req, "body", p->body);
		cJSON_AddItemToObject(req, "labels",
		    cJSON_Duplicate(p->labels, 1));
		if (cJSON_GetArraySize(assignees) > 0)
			cJSON_AddItemToObject(req, "assignees",
			    cJSON_Duplicate(assignees, 1));
		body = json_print(req, 0);
		cJSON_Delete(req);
		o = gh_send(g, "POST", url.data, body, 0, &r);
		free(body);
		tries++;
		if (o == HTTP_ANSWERED && r.status == 201) {
			j = parse_answer(&r, "creating the issue");
			issue_from_json(j, is);
			cJSON_Delete(j);
			break;
		}
		if (o == HTTP_ANSWERED && r.status == 422 &&
		    drop_assignees(&r, assignees))
			continue;
		if (!in_doubt(o, &r))
			gh_fail(g, o, &r, "creating the issue", 0);
		warnx("github: creating the issue: %s; looking for it before "
		    "trying again", o == HTTP_ANSWERED ? "server error" :
		    r.error);
		if (gh_find(t, p->pair, is))
			break;
		if (tries >= g->http.max_tries)
			gh_fail(g, o, &r, "creating the issue", 0);
	}
	if (!label_in(is->labels, g->label))
		warnx("github: issue #%ld lacks the label \"%s\": the token "
		    "may lack push access; later runs find it by search",
		    is->number, g->label);
	cJSON_Delete(assignees);
	http_response_release(&r);
	buf_release(&url);
}

static void
patch_issue(struct github *g, struct issue *is, cJSON *req,
    const char *what)
{
	struct http_response r;
	struct buf url = BUF_INIT, msg = BUF_INIT;
	enum http_outcome o;
	char *body = json_print(req, 0);
	cJSON *j;

	buf_addf(&url, "%s%s/issues/%ld", g->api, g->repo_path, is->number);
	buf_addf(&msg, "%s issue #%ld", what, is->number);
	http_response_init(&r);
	o = gh_send(g, "PATCH", url.data, body, HTTP_IDEMPOTENT, &r);
	if (o != HTTP_ANSWERED || r.status != 200)
		gh_fail(g, o, &r, msg.data, is->number);
	j = parse_answer(&r, msg.data);
	issue_from_json(j, is);
	cJSON_Delete(j);
	free(body);
	http_response_release(&r);
	buf_release(&url);
	buf_release(&msg);
}

static void
gh_update(struct tracker *t, struct issue *is, const struct post *p)
{
	cJSON *req = cJSON_CreateObject();

	json_add_str(req, "title", p->title);
	json_add_str(req, "body", p->body);
	cJSON_AddItemToObject(req, "labels", cJSON_Duplicate(p->labels, 1));
	patch_issue((struct github *)t, is, req, "updating");
	cJSON_Delete(req);
}

static void
gh_close(struct tracker *t, struct issue *is)
{
	cJSON *req = cJSON_CreateObject();

	json_add_str(req, "state", "closed");
	json_add_str(req, "state_reason", "completed");
	patch_issue((struct github *)t, is, req, "closing");
	cJSON_Delete(req);
}

static int
visit_comment(const cJSON *item, void *arg)
{
	const char *body = json_str(item, "body"), *marker = arg;

	return body != NULL && strncmp(body, marker, strlen(marker)) == 0;
}

/* Whether a comment on `is` starts with `marker` (all pages). */
static int
has_comment(struct github *g, const struct issue *is, const char *marker)
{
	struct buf url = BUF_INIT;

	buf_addf(&url, "%s%s/issues/%ld/comments?per_page=100", g->api,
	    g->repo_path, is->number);
	return each_item(g, buf_detach(&url, NULL), "listing comments",
	    is->number, visit_comment, (void *)marker);
}

static void
gh_comment(struct tracker *t, struct issue *is, const char *marker,
    const char *text)
{
	struct github *g = (struct github *)t;
	struct http_response r;
	struct buf url = BUF_INIT, what = BUF_INIT;
	enum http_outcome o;
	cJSON *req;
	char *body;

	if (has_comment(g, is, marker)) {
		note("github: issue #%ld already has this comment",
		    is->number);
		return;
	}
	buf_addf(&url, "%s%s/issues/%ld/comments", g->api, g->repo_path,
	    is->number);
	buf_addf(&what, "commenting on issue #%ld", is->number);
	req = cJSON_CreateObject();
	json_add_str(req, "body", text);
	body = json_print(req, 0);
	cJSON_Delete(req);
	http_response_init(&r);
	for (int tries = 1;; tries++) {
		o = gh_send(g, "POST", url.data, body, 0, &r);
		if (o == HTTP_ANSWERED && r.status == 201)
			break;
		if (!in_doubt(o, &r) || tries >= g->http.max_tries)
			gh_fail(g, o, &r, what.data, is->number);
		warnx("github: %s: %s; checking before trying again",
		    what.data, o == HTTP_ANSWERED ? "server error" : r.error);
		if (has_comment(g, is, marker))
			break;
	}
	free(body);
	http_response_release(&r);
	buf_release(&url);
	buf_release(&what);
}

/* --- setup --- */

void
github_init(struct github *g, const char *api, const char *repo,
    const char *token, const char *label)
{
	struct buf b = BUF_INIT;
	size_t slash = strcspn(repo, "/"), n = strlen(api);
	char *owner = xstrndup(repo, slash);
	const char *ca;

	memset(g, 0, sizeof(*g));
	g->t.find = gh_find;
	g->t.create = gh_create;
	g->t.update = gh_update;
	g->t.comment = gh_comment;
	g->t.close = gh_close;
	while (n > 0 && api[n - 1] == '/')
		n--;
	g->api = xstrndup(api, n);
	g->repo = repo;
	g->label = label;
	buf_addstr(&b, "/repos/");
	http_add_escaped(&b, owner);
	buf_addch(&b, '/');
	http_add_escaped(&b, repo + slash + 1);
	g->repo_path = buf_detach(&b, NULL);
	free(owner);
	http_init(&g->http, "github");
	/* GitHub Enterprise behind a corporate CA. */
	if ((ca = getenv("GITHUB_CA_FILE")) != NULL && *ca != '\0')
		g->http.ca_file = ca;
	http_set_bearer(&g->http, token);
	http_add_header(&g->http, "Accept: application/vnd.github+json");
	http_add_header(&g->http, "X-GitHub-Api-Version: 2022-11-28");
}

void
github_release(struct github *g)
{
	http_release(&g->http);
	free(g->api);
	free(g->repo_path);
	memset(g, 0, sizeof(*g));
}
