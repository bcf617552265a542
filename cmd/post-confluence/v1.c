/*
 * v1: Confluence REST v1 (/rest/api), the only page API of Data Center and
 * Server.  Cloud keeps two of its endpoints that v2 lacks, so v2.c uses
 * them too: user/current (who are we) and adding labels.
 *
 * The marker is kept in the version message ("drift-review PAIR
 * FINGERPRINT"), which the title lookup returns with expand=version: the
 * unchanged case costs no extra request.  An edit by hand leaves another
 * message, so the next run publishes again, restoring the generated page.
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "buf.h"
#include "json.h"
#include "remote.h"
#include "xalloc.h"

#define MARKER_PREFIX	"drift-review "

void
remote_page_release(struct remote_page *p)
{
	free(p->id);
	free(p->marker);
	free(p->url);
	free(p->prop_id);
	memset(p, 0, sizeof(*p));
}

char *
remote_url(const struct site *s, const cJSON *listing, const cJSON *page)
{
	const cJSON *links = json_obj(page, "_links");
	const char *base = json_str(links, "base"), *webui;
	struct buf b = BUF_INIT;

	if (base == NULL)
		base = json_str(json_obj(listing, "_links"), "base");
	if (base == NULL)
		base = s->cfg->url;
	buf_addstr(&b, base);
	if ((webui = json_str(links, "webui")) != NULL)
		buf_addstr(&b, webui);
	else
		buf_addf(&b, "/pages/viewpage.action?pageId=%s",
		    json_str(page, "id"));
	return buf_detach(&b, NULL);
}

/* The id of a page object, a string in JSON (numeric ids are accepted). */
static char *
page_id(const cJSON *page, const char *what)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(page, "id");

	if (cJSON_IsString(id) && *id->valuestring)
		return xstrdup(id->valuestring);
	if (cJSON_IsNumber(id)) {
		struct buf b = BUF_INIT;

		buf_addf(&b, "%.0f", id->valuedouble);
		return buf_detach(&b, NULL);
	}
	errx(EX_SOFTWARE, "confluence: %s: the answer has no page id", what);
}

/* Version number and marker of a v1 page with its version expanded. */
static void
read_version(struct remote_page *p, const cJSON *page)
{
	const cJSON *v = json_obj(page, "version");
	const char *msg = json_str(v, "message");

	p->version = json_int64(cJSON_GetObjectItemCaseSensitive(v,
	    "number"));
	free(p->marker);
	p->marker = NULL;
	if (msg && strncmp(msg, MARKER_PREFIX, strlen(MARKER_PREFIX)) == 0)
		p->marker = xstrdup(msg + strlen(MARKER_PREFIX));
}

static void
fill(const struct site *s, struct remote_page *p, const cJSON *listing,
    const cJSON *page, const char *what)
{
	remote_page_release(p);
	p->id = page_id(page, what);
	p->url = remote_url(s, listing, page);
	read_version(p, page);
}

void
v1_whoami(struct site *s)
{
	struct buf url = BUF_INIT;
	const char *type, *name;
	cJSON *j;

	buf_addf(&url, "%s/user/current", s->v1);
	j = site_get(s, url.data, "checking the credentials");
	type = json_str(j, "type");
	if (type && strcmp(type, "anonymous") == 0)
		errx(EX_NOPERM, "confluence: the credentials%s%s%s were not "
		    "accepted (the site answers as the anonymous user) for "
		    "space \"%s\"", s->who ? " of user \"" : "",
		    s->who ? s->who : "", s->who ? "\"" : "", s->cfg->space);
	if (s->who == NULL && ((name = json_str(j, "username")) != NULL ||
	    (name = json_str(j, "displayName")) != NULL))
		site_set_who(s, name);
	cJSON_Delete(j);
	buf_release(&url);
}

static void
v1_prepare(struct site *s)
{
	struct buf url = BUF_INIT;
	struct http_response r;
	enum http_outcome o;

	v1_whoami(s);
	http_response_init(&r);
	buf_addf(&url, "%s/space/", s->v1);
	http_add_escaped(&url, s->cfg->space);
	o = site_send(s, "GET", url.data, NULL, HTTP_IDEMPOTENT, &r);
	if (o == HTTP_ANSWERED && r.status == 404)
		errx(EX_CONFIG, "confluence: space \"%s\" does not exist, or "
		    "user \"%s\" may not see it", s->cfg->space,
		    s->who ? s->who : "?");
	if (o != HTTP_ANSWERED || r.status < 200 || r.status > 299)
		site_die(s, o, &r, "looking up the space");
	http_response_release(&r);
	buf_release(&url);
}

/* The server's title match is loose; ours is exact. */
int
remote_find_title(struct site *s, const struct page_in *pg,
    struct remote_page *p, char *url,
    void (*fill_first)(const struct site *s, struct remote_page *p,
    const cJSON *listing, const cJSON *page))
{
	char *next = url;
	int found = 0;
	cJSON *j;
	const cJSON *page;

	while (next) {
		j = site_get(s, next, "looking up the page by title");
		cJSON_ArrayForEach(page, json_arr(j, "results")) {
			const char *t = json_str(page, "title");

			if (t == NULL || strcmp(t, pg->title) != 0)
				continue;
			if (found++ == 0)
				fill_first(s, p, j, page);
		}
		free(next);
		next = site_next(s, j);
		cJSON_Delete(j);
	}
	if (found > 1)
		errx(EX_SOFTWARE, "confluence: %d pages are titled \"%s\" in "
		    "space \"%s\"; expected one", found, pg->title,
		    s->cfg->space);
	return found;
}

static void
fill_found(const struct site *s, struct remote_page *p,
    const cJSON *listing, const cJSON *page)
{
	fill(s, p, listing, page, "looking up the page");
}

static int
v1_find(struct site *s, const struct page_in *pg, struct remote_page *p)
{
	struct buf url = BUF_INIT;

	buf_addf(&url, "%s/content?type=page&spaceKey=", s->v1);
	http_add_escaped(&url, s->cfg->space);
	buf_addstr(&url, "&title=");
	http_add_escaped(&url, pg->title);
	buf_addstr(&url, "&status=current&expand=version&start=0&limit=25");
	return remote_find_title(s, pg, p, buf_detach(&url, NULL),
	    fill_found);
}

static void
v1_reread(struct site *s, struct remote_page *p)
{
	struct buf url = BUF_INIT;
	cJSON *j;

	buf_addf(&url, "%s/content/", s->v1);
	http_add_escaped(&url, p->id);
	buf_addstr(&url, "?expand=version");
	j = site_get(s, url.data, "reading the page again");
	read_version(p, j);
	cJSON_Delete(j);
	buf_release(&url);
}

/* The body of a create (version 0) or an update. */
static cJSON *
page_body(const struct site *s, const struct page_in *pg,
    const struct remote_page *p, int64_t version)
{
	cJSON *b = cJSON_CreateObject(), *v, *body, *st, *anc;
	char *marker = post_marker(pg);
	struct buf msg = BUF_INIT;

	buf_addf(&msg, MARKER_PREFIX "%s", marker);
	if (p)
		json_add_str(b, "id", p->id);
	json_add_str(b, "type", "page");
	json_add_str(b, "title", pg->title);
	if (!p) {
		v = cJSON_CreateObject();
		json_add_str(v, "key", s->cfg->space);
		cJSON_AddItemToObject(b, "space", v);
	}
	json_add_str(b, "status", "current");
	if (s->cfg->parent_id) {
		cJSON_AddItemToObject(b, "ancestors",
		    anc = cJSON_CreateArray());
		cJSON_AddItemToArray(anc, v = cJSON_CreateObject());
		json_add_str(v, "id", s->cfg->parent_id);
	}
	cJSON_AddItemToObject(b, "version", v = cJSON_CreateObject());
	if (p)
		json_add_int64(v, "number", version);
	json_add_str(v, "message", msg.data);
	if (p)
		json_add_bool(v, "minorEdit", 0);
	cJSON_AddItemToObject(b, "body", body = cJSON_CreateObject());
	cJSON_AddItemToObject(body, "storage", st = cJSON_CreateObject());
	json_add_str(st, "value", pg->storage);
	json_add_str(st, "representation", "storage");
	buf_release(&msg);
	free(marker);
	return b;
}

int
remote_may_have_landed(enum http_outcome o, const struct http_response *r)
{
	return o == HTTP_TIMED_OUT || o == HTTP_DROPPED ||
	    (o == HTTP_ANSWERED && r->status >= 500);
}

/* Whether a 400 says the title is taken (the text clients match on). */
int
remote_title_taken(const struct http_response *r)
{
	char *text = site_error_text(r);
	int taken = strstr(text, "already exists") != NULL;

	free(text);
	return r->status == 400 && taken;
}

static enum remote_write
v1_create(struct site *s, const struct page_in *pg, struct remote_page *p)
{
	struct buf url = BUF_INIT;
	struct http_response r;
	enum http_outcome o;
	cJSON *body = page_body(s, pg, NULL, 0), *j;
	enum remote_write w = REMOTE_DONE;

	buf_addf(&url, "%s/content", s->v1);
	http_response_init(&r);
	o = site_send(s, "POST", url.data, body, 0, &r);
	if (remote_may_have_landed(o, &r))
		w = REMOTE_UNKNOWN;
	else if (o == HTTP_ANSWERED && remote_title_taken(&r))
		w = REMOTE_TITLE_TAKEN;
	else if (o != HTTP_ANSWERED || r.status < 200 || r.status > 299)
		site_die(s, o, &r, "creating the page");
	else {
		j = site_json(s, &r, "creating the page");
		fill(s, p, NULL, j, "creating the page");
		cJSON_Delete(j);
	}
	cJSON_Delete(body);
	http_response_release(&r);
	buf_release(&url);
	return w;
}

static enum remote_write
v1_update(struct site *s, const struct page_in *pg, struct remote_page *p)
{
	struct buf url = BUF_INIT;
	struct http_response r;
	enum http_outcome o;
	cJSON *body = page_body(s, pg, p, p->version + 1), *j;
	enum remote_write w = REMOTE_DONE;

	buf_addf(&url, "%s/content/", s->v1);
	http_add_escaped(&url, p->id);
	http_response_init(&r);
	o = site_send(s, "PUT", url.data, body, HTTP_IDEMPOTENT, &r);
	if (o == HTTP_ANSWERED && r.status == 409)
		w = REMOTE_CONFLICT;
	else if (o != HTTP_ANSWERED || r.status < 200 || r.status > 299)
		site_die(s, o, &r, "updating the page");
	else {
		j = site_json(s, &r, "updating the page");
		fill(s, p, NULL, j, "updating the page");
		cJSON_Delete(j);
	}
	cJSON_Delete(body);
	http_response_release(&r);
	buf_release(&url);
	return w;
}

/* v1's /label and v2's /labels list and page alike. */
cJSON *
remote_label_names(struct site *s, char *url)
{
	struct http_response r;
	enum http_outcome o;
	cJSON *names = cJSON_CreateArray(), *j;
	const cJSON *l;
	char *next = url;

	http_response_init(&r);
	while (next) {
		o = site_send(s, "GET", next, NULL, HTTP_IDEMPOTENT, &r);
		free(next);
		next = NULL;
		if (o != HTTP_ANSWERED || r.status < 200 || r.status > 299 ||
		    (j = cJSON_ParseWithLength(r.body.data, r.body.len)) ==
		    NULL) {
			cJSON_Delete(names);
			names = NULL;
			break;
		}
		cJSON_ArrayForEach(l, json_arr(j, "results"))
			if (json_str(l, "name"))
				json_push_str(names, json_str(l, "name"));
		next = site_next(s, j);
		cJSON_Delete(j);
	}
	http_response_release(&r);
	return names;
}

static cJSON *
v1_labels(struct site *s, const struct remote_page *p)
{
	struct buf url = BUF_INIT;

	buf_addf(&url, "%s/content/", s->v1);
	http_add_escaped(&url, p->id);
	buf_addstr(&url, "/label?start=0&limit=200");
	return remote_label_names(s, buf_detach(&url, NULL));
}

void
v1_add_labels(struct site *s, const struct remote_page *p,
    const cJSON *names)
{
	struct buf url = BUF_INIT;
	struct http_response r;
	enum http_outcome o;
	cJSON *body = cJSON_CreateArray(), *l;
	const cJSON *n;
	char *text;

	cJSON_ArrayForEach(n, names) {
		cJSON_AddItemToArray(body, l = cJSON_CreateObject());
		json_add_str(l, "prefix", "global");
		json_add_str(l, "name", n->valuestring);
	}
	buf_addf(&url, "%s/content/", s->v1);
	http_add_escaped(&url, p->id);
	buf_addstr(&url, "/label");
	http_response_init(&r);
	/* Adding a label the page has is a no-op: safe to repeat. */
	o = site_send(s, "POST", url.data, body, HTTP_IDEMPOTENT, &r);
	if (o != HTTP_ANSWERED)
		warnx("confluence: adding labels to page %s: %s", p->id,
		    r.error);
	else if (r.status < 200 || r.status > 299) {
		text = site_error_text(&r);
		warnx("confluence: adding labels to page %s: HTTP %ld%s%s",
		    p->id, r.status, *text ? ": " : "", text);
		free(text);
	}
	cJSON_Delete(body);
	http_response_release(&r);
	buf_release(&url);
}

const struct remote_ops remote_v1 = {
	.prepare = v1_prepare,
	.find = v1_find,
	.reread = v1_reread,
	.create = v1_create,
	.update = v1_update,
	.mark = NULL,
	.labels = v1_labels,
};
