/*
 * v2: Confluence Cloud REST v2 (/api/v2) for spaces and pages.  v2 has no
 * way to add labels and no "who am I", for which v1.c's calls are used.
 *
 * The marker lives in a content property, "drift-review", holding
 * {"pair", "fingerprint"}: a create cannot carry a version message, and a
 * property is not rendered nor touched by storage normalisation.  It is
 * written after the page and its labels, so a run interrupted before it
 * publishes again next time rather than believing a half-done page.
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "buf.h"
#include "json.h"
#include "remote.h"
#include "xalloc.h"

#define PROPERTY_KEY	"drift-review"

static char *
url_of(const struct site *s, const char *fmt, const char *id)
{
	struct buf b = BUF_INIT;

	buf_addstr(&b, s->v2);
	for (; *fmt; fmt++)
		if (*fmt == '@')
			http_add_escaped(&b, id);
		else
			buf_addch(&b, *fmt);
	return buf_detach(&b, NULL);
}

static void
v2_prepare(struct site *s)
{
	struct buf url = BUF_INIT;
	const cJSON *sp;
	cJSON *j;

	v1_whoami(s);
	buf_addf(&url, "%s/spaces?keys=", s->v2);
	http_add_escaped(&url, s->cfg->space);
	buf_addstr(&url, "&limit=1");
	j = site_get(s, url.data, "looking up the space");
	/* An unknown key and an invisible space both give no result. */
	cJSON_ArrayForEach(sp, json_arr(j, "results"))
		if (json_str(sp, "key") && json_str(sp, "id") &&
		    strcmp(json_str(sp, "key"), s->cfg->space) == 0)
			s->space_id = xstrdup(json_str(sp, "id"));
	if (s->space_id == NULL)
		errx(EX_CONFIG, "confluence: space \"%s\" does not exist, or "
		    "user \"%s\" may not see it", s->cfg->space, s->who);
	cJSON_Delete(j);
	buf_release(&url);
}

/* Read the drift-review property into p (marker, id, version). */
static void
read_property(struct site *s, struct remote_page *p)
{
	char *url = url_of(s, "/pages/@/properties?key=" PROPERTY_KEY,
	    p->id);
	const cJSON *prop, *val;
	cJSON *j = site_get(s, url, "reading the page's property");
	struct buf m = BUF_INIT;

	free(p->marker);
	free(p->prop_id);
	p->marker = p->prop_id = NULL;
	p->prop_version = 0;
	cJSON_ArrayForEach(prop, json_arr(j, "results")) {
		if (!json_str(prop, "key") ||
		    strcmp(json_str(prop, "key"), PROPERTY_KEY) != 0 ||
		    !json_str(prop, "id"))
			continue;
		p->prop_id = xstrdup(json_str(prop, "id"));
		p->prop_version = json_int64(cJSON_GetObjectItemCaseSensitive(
		    json_obj(prop, "version"), "number"));
		val = json_obj(prop, "value");
		if (json_str(val, "pair") && json_str(val, "fingerprint")) {
			buf_addf(&m, "%s %s", json_str(val, "pair"),
			    json_str(val, "fingerprint"));
			p->marker = buf_detach(&m, NULL);
		}
		break;
	}
	cJSON_Delete(j);
	free(url);
}

static void
fill(const struct site *s, struct remote_page *p, const cJSON *listing,
    const cJSON *page)
{
	const char *id = json_str(page, "id");

	if (id == NULL || *id == '\0')
		errx(EX_SOFTWARE, "confluence: a page in the answer has no id");
	remote_page_release(p);
	p->id = xstrdup(id);
	p->url = remote_url(s, listing, page);
	p->version = json_int64(cJSON_GetObjectItemCaseSensitive(
	    json_obj(page, "version"), "number"));
}

static int
v2_find(struct site *s, const struct page_in *pg, struct remote_page *p)
{
	struct buf url = BUF_INIT;
	int found;

	/* The default status filter is current and archived: an archived
	 * page keeps its title reserved, so it must be found too. */
	buf_addf(&url, "%s/pages?space-id=", s->v2);
	http_add_escaped(&url, s->space_id);
	buf_addstr(&url, "&title=");
	http_add_escaped(&url, pg->title);
	buf_addstr(&url, "&limit=25");
	found = remote_find_title(s, pg, p, buf_detach(&url, NULL), fill);
	if (found)
		read_property(s, p);
	return found;
}

static void
v2_reread(struct site *s, struct remote_page *p)
{
	char *url = url_of(s, "/pages/@", p->id);
	cJSON *j = site_get(s, url, "reading the page again");

	p->version = json_int64(cJSON_GetObjectItemCaseSensitive(
	    json_obj(j, "version"), "number"));
	cJSON_Delete(j);
	free(url);
	read_property(s, p);
}

static cJSON *
page_body(const struct site *s, const struct page_in *pg,
    const struct remote_page *p)
{
	cJSON *b = cJSON_CreateObject(), *body, *v;
	char *marker;
	struct buf msg = BUF_INIT;

	if (p)
		json_add_str(b, "id", p->id);
	else
		json_add_str(b, "spaceId", s->space_id);
	json_add_str(b, "status", "current");
	json_add_str(b, "title", pg->title);
	if (s->cfg->parent_id)
		json_add_str(b, "parentId", s->cfg->parent_id);
	cJSON_AddItemToObject(b, "body", body = cJSON_CreateObject());
	json_add_str(body, "representation", "storage");
	json_add_str(body, "value", pg->storage);
	if (p) {
		marker = post_marker(pg);
		buf_addf(&msg, "drift-review %s", marker);
		cJSON_AddItemToObject(b, "version", v = cJSON_CreateObject());
		json_add_int64(v, "number", p->version + 1);
		json_add_str(v, "message", msg.data);
		buf_release(&msg);
		free(marker);
	}
	return b;
}

static enum remote_write
v2_create(struct site *s, const struct page_in *pg, struct remote_page *p)
{
	char *url = url_of(s, "/pages", NULL);
	struct http_response r;
	enum http_outcome o;
	cJSON *body = page_body(s, pg, NULL), *j;
	enum remote_write w = REMOTE_DONE;

	http_response_init(&r);
	o = site_send(s, "POST", url, body, 0, &r);
	if (remote_may_have_landed(o, &r))
		w = REMOTE_UNKNOWN;
	else if (o == HTTP_ANSWERED && remote_title_taken(&r))
		w = REMOTE_TITLE_TAKEN;
	else if (o == HTTP_ANSWERED && r.status == 404)
		errx(EX_CONFIG, "confluence: creating the page: space \"%s\" "
		    "is gone, or user \"%s\" may not add pages to it",
		    s->cfg->space, s->who);
	else if (o != HTTP_ANSWERED || r.status < 200 || r.status > 299)
		site_die(s, o, &r, "creating the page");
	else {
		j = site_json(s, &r, "creating the page");
		fill(s, p, NULL, j);
		cJSON_Delete(j);
	}
	cJSON_Delete(body);
	http_response_release(&r);
	free(url);
	return w;
}

static enum remote_write
v2_update(struct site *s, const struct page_in *pg, struct remote_page *p)
{
	char *url = url_of(s, "/pages/@", p->id);
	struct http_response r;
	enum http_outcome o;
	cJSON *body = page_body(s, pg, p), *j;
	enum remote_write w = REMOTE_DONE;
	char *prop_id = p->prop_id, *marker = p->marker;
	int64_t prop_version = p->prop_version;

	http_response_init(&r);
	o = site_send(s, "PUT", url, body, HTTP_IDEMPOTENT, &r);
	if (o == HTTP_ANSWERED && r.status == 409)
		w = REMOTE_CONFLICT;
	else if (o != HTTP_ANSWERED || r.status < 200 || r.status > 299)
		site_die(s, o, &r, "updating the page");
	else {
		/* fill() starts afresh; the property is still the same. */
		p->prop_id = p->marker = NULL;
		j = site_json(s, &r, "updating the page");
		fill(s, p, NULL, j);
		cJSON_Delete(j);
		p->prop_id = prop_id;
		p->prop_version = prop_version;
		p->marker = marker;
	}
	cJSON_Delete(body);
	http_response_release(&r);
	free(url);
	return w;
}

/* The property's URL: the collection to create it, or the property. */
static char *
property_url(const struct site *s, const struct remote_page *p)
{
	struct buf b = BUF_INIT;
	char *base = url_of(s, "/pages/@/properties", p->id);

	buf_addstr(&b, base);
	if (p->prop_id) {
		buf_addch(&b, '/');
		http_add_escaped(&b, p->prop_id);
	}
	free(base);
	return buf_detach(&b, NULL);
}

static cJSON *
property_body(const struct page_in *pg, const struct remote_page *p)
{
	cJSON *body = cJSON_CreateObject(), *val, *v;

	json_add_str(body, "key", PROPERTY_KEY);
	cJSON_AddItemToObject(body, "value", val = cJSON_CreateObject());
	json_add_str(val, "pair", pg->pair);
	json_add_str(val, "fingerprint", pg->fingerprint);
	if (p->prop_id) {
		v = cJSON_CreateObject();
		json_add_int64(v, "number", p->prop_version + 1);
		cJSON_AddItemToObject(body, "version", v);
	}
	return body;
}

static void
v2_mark(struct site *s, const struct page_in *pg, struct remote_page *p)
{
	struct http_response r;
	enum http_outcome o = HTTP_FAILED;
	char *url, *want = post_marker(pg);
	cJSON *body;
	int creating;

	http_response_init(&r);
	for (int attempt = 0; attempt < 2; attempt++) {
		creating = p->prop_id == NULL;
		url = property_url(s, p);
		body = property_body(pg, p);
		o = site_send(s, creating ? "POST" : "PUT", url, body,
		    creating ? 0 : HTTP_IDEMPOTENT, &r);
		cJSON_Delete(body);
		free(url);
		if (o == HTTP_ANSWERED && r.status >= 200 && r.status <= 299)
			goto out;
		/*
		 * 409: another run wrote it first, or an earlier try of ours
		 * landed without an answer: read it and write on top, once.
		 */
		if (!(o == HTTP_ANSWERED && r.status == 409) &&
		    !(creating && (o == HTTP_TIMED_OUT || o == HTTP_DROPPED)))
			break;
		read_property(s, p);
		if (p->marker && strcmp(p->marker, want) == 0)
			goto out;
	}
	site_die(s, o, &r, "recording the fingerprint on the page");
out:
	free(p->marker);
	p->marker = want;
	http_response_release(&r);
}

static cJSON *
v2_labels(struct site *s, const struct remote_page *p)
{
	return remote_label_names(s,
	    url_of(s, "/pages/@/labels?limit=250", p->id));
}

const struct remote_ops remote_v2 = {
	.prepare = v2_prepare,
	.find = v2_find,
	.reread = v2_reread,
	.create = v2_create,
	.update = v2_update,
	.mark = v2_mark,
	.labels = v2_labels,
};
