/*
 * site: requests to one Confluence site (see site.h).  Confluence answers
 * errors in two shapes, v2 {"errors": [{"title", "detail"}]} and v1
 * {"message"} (older servers: "errorMessages"), and a proxy may answer
 * HTML; site_error_text() reads all of them and never echoes what we sent.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "buf.h"
#include "die.h"
#include "json.h"
#include "site.h"
#include "xalloc.h"

#define ERROR_TEXT_MAX	300

static char *
join(const char *a, const char *b)
{
	struct buf buf = BUF_INIT;

	buf_addstr(&buf, a);
	buf_addstr(&buf, b);
	return buf_detach(&buf, NULL);
}

void
site_open(struct site *s, const struct post_config *cfg)
{
	const char *host, *path;

	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	http_init(&s->http, "confluence");
	s->http.ca_file = cfg->ca_file;
	if (cfg->insecure) {
		s->http.insecure = 1;
		warnx("--insecure: the TLS certificate of %s is not checked",
		    cfg->url);
	}
	if (cfg->pat && cfg->api == API_V1)
		http_set_bearer(&s->http, cfg->pat);
	else
		http_set_basic(&s->http, cfg->user, cfg->token);
	http_add_header(&s->http, "Accept: application/json");
	s->v1 = join(cfg->url, "/rest/api");
	s->v2 = join(cfg->url, "/api/v2");
	host = strstr(cfg->url, "://") + 3;
	path = host + strcspn(host, "/");
	s->origin = xstrndup(cfg->url, (size_t)(path - cfg->url));
	/* A PAT's user is known only once user/current has answered. */
	s->who = cfg->pat && cfg->api == API_V1 ? NULL : xstrdup(cfg->user);
}

void
site_close(struct site *s)
{
	http_release(&s->http);
	free(s->v1);
	free(s->v2);
	free(s->origin);
	free(s->who);
	free(s->space_id);
	memset(s, 0, sizeof(*s));
}

void
site_set_who(struct site *s, const char *who)
{
	free(s->who);
	s->who = xstrdup(who);
}

/* Confluence Cloud marks v1 endpoints it will remove; say so once. */
static void
check_deprecation(struct site *s, const struct http_response *r,
    const char *url)
{
	char *dep, *warning;
	size_t n = strcspn(url, "?");

	if (s->warned_deprecated || (dep = http_header(r, "Deprecation")) ==
	    NULL)
		return;
	warning = http_header(r, "Warning");
	warnx("confluence: %.*s is deprecated by the server%s%s", (int)n, url,
	    warning ? ": " : "", warning ? warning : "");
	s->warned_deprecated = 1;
	free(warning);
	free(dep);
}

enum http_outcome
site_send(struct site *s, const char *method, const char *url,
    const cJSON *body, int flags, struct http_response *r)
{
	char *text = body ? json_print(body, 0) : NULL;
	enum http_outcome o;

	o = http_request(&s->http, method, url, text, flags, r);
	free(text);
	if (o == HTTP_ANSWERED)
		check_deprecation(s, r, url);
	return o;
}

cJSON *
site_json(const struct site *s, const struct http_response *r,
    const char *what)
{
	cJSON *j = cJSON_ParseWithLength(r->body.data, r->body.len);

	(void)s;
	if (j == NULL || !cJSON_IsObject(j))
		errx(EX_SOFTWARE, "confluence: %s: HTTP %ld but the answer is "
		    "not a JSON object", what, r->status);
	return j;
}

cJSON *
site_get(struct site *s, const char *url, const char *what)
{
	struct http_response r;
	enum http_outcome o;
	cJSON *j;

	http_response_init(&r);
	o = site_send(s, "GET", url, NULL, HTTP_IDEMPOTENT, &r);
	if (o != HTTP_ANSWERED || r.status < 200 || r.status > 299)
		site_die(s, o, &r, what);
	j = site_json(s, &r, what);
	http_response_release(&r);
	return j;
}

char *
site_next(const struct site *s, const cJSON *listing)
{
	const char *next = json_str(json_obj(listing, "_links"), "next");
	const char *url = s->cfg->url, *ctx;
	size_t n = strlen(url);

	if (next == NULL || *next == '\0')
		return NULL;
	if (strncmp(next, "http://", 7) == 0 ||
	    strncmp(next, "https://", 8) == 0) {
		n = strlen(s->origin);
		if (strncmp(next, s->origin, n) != 0 || next[n] != '/')
			errx(EX_SOFTWARE, "confluence: a listing continues on "
			    "another site; not following it");
		return xstrdup(next);
	}
	if (*next != '/')
		errx(EX_SOFTWARE, "confluence: cannot follow the listing's "
		    "next link");
	/*
	 * v2 links are host-relative and carry the context (/wiki/api/v2/..);
	 * v1 links are relative to the context (/rest/api/...).  Through
	 * api.atlassian.com the context is /ex/confluence/ID/wiki, but the
	 * links still start with /wiki.
	 */
	ctx = url + strlen(s->origin);
	if (*ctx && strncmp(next, ctx, strlen(ctx)) == 0 &&
	    next[strlen(ctx)] == '/')
		return join(s->origin, next);
	if (n >= 5 && strcmp(url + n - 5, "/wiki") == 0 &&
	    strncmp(next, "/wiki/", 6) == 0) {
		struct buf b = BUF_INIT;

		buf_add(&b, url, n - 5);
		buf_addstr(&b, next);
		return buf_detach(&b, NULL);
	}
	return join(url, next);
}

char *
site_error_text(const struct http_response *r)
{
	struct buf b = BUF_INIT;
	cJSON *j = cJSON_ParseWithLength(r->body.data, r->body.len);
	const cJSON *e;

	cJSON_ArrayForEach(e, json_arr(j, "errors")) {
		const char *t = json_str(e, "title");
		const char *d = json_str(e, "detail");

		if (t)
			http_add_folded(&b, t, 0, ERROR_TEXT_MAX);
		if (d) {
			buf_addstr(&b, b.len ? ": " : "");
			http_add_folded(&b, d, 0, ERROR_TEXT_MAX);
		}
	}
	if (b.len == 0 && json_str(j, "message"))
		http_add_folded(&b, json_str(j, "message"), 0, ERROR_TEXT_MAX);
	cJSON_ArrayForEach(e, json_arr(j, "errorMessages"))
		if (b.len == 0 && cJSON_IsString(e))
			http_add_folded(&b, e->valuestring, 0, ERROR_TEXT_MAX);
	if (b.len == 0)
		http_add_folded(&b, r->body.data, 0, ERROR_TEXT_MAX);
	cJSON_Delete(j);
	return buf_detach(&b, NULL);
}

_Noreturn void
site_die(const struct site *s, enum http_outcome o,
    const struct http_response *r, const char *what)
{
	struct buf who = BUF_INIT;
	char *text, tries[32] = "";
	int code;

	if (o != HTTP_ANSWERED)
		http_die(&s->http, o, r, what);
	text = site_error_text(r);
	if (s->http.tries_used > 1)
		snprintf(tries, sizeof(tries), " (after %d tries)",
		    s->http.tries_used);
	switch (r->status) {
	case 401:
	case 403:
		if (s->who)
			buf_addf(&who, "user \"%s\"", s->who);
		else
			buf_addstr(&who, "the user of CONFLUENCE_PAT");
		errx(EX_NOPERM, "confluence: %s: HTTP %ld for %s in space "
		    "\"%s\"%s%s", what, r->status, who.data, s->cfg->space,
		    *text ? ": " : "", text);
	case 400:
	case 413:
	case 422:
		code = EX_DATAERR;
		break;
	case 409:
	case 408:
	case 429:
		code = EX_TEMPFAIL;
		break;
	case 410:
		code = EX_CONFIG;
		break;
	default:
		code = r->status >= 500 ? EX_UNAVAILABLE : EX_SOFTWARE;
		break;
	}
	errx(code, "confluence: %s: HTTP %ld%s%s%s", what, r->status,
	    *text ? ": " : "", text, tries);
}
