/*
 * http: libcurl with the project's transport rules (see http.h).  Which
 * outcomes are retried, and why, is decided in one place: retryable().
 */
#define _DEFAULT_SOURCE
#include <ctype.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <time.h>

#include "buf.h"
#include "die.h"
#include "http.h"
#include "xalloc.h"

static int curl_ready;

void
http_init(struct http_client *c, const char *service)
{
	const char *tries = getenv("DRIFT_HTTP_TRIES");

	memset(c, 0, sizeof(*c));
	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
			errx(EX_SOFTWARE, "libcurl initialisation failed");
		atexit(curl_global_cleanup);
		curl_ready = 1;
	}
	if ((c->curl = curl_easy_init()) == NULL)
		errx(EX_OSERR, "libcurl: cannot create a handle");
	c->service = service;
	c->timeout_ms = 60000;
	c->max_tries = 4;
	c->max_wait_s = 120;
	c->backoff_s = 0.5;
	if (tries && atoi(tries) > 0 && atoi(tries) <= 20)
		c->max_tries = atoi(tries);
}

static void
clear_secret(char *s)
{
	if (s == NULL)
		return;
	for (volatile char *p = s; *p; p++)
		*p = '\0';
	free(s);
}

void
http_release(struct http_client *c)
{
	clear_secret(c->auth);
	curl_slist_free_all(c->headers);
	if (c->curl)
		curl_easy_cleanup(c->curl);
	memset(c, 0, sizeof(*c));
}

void
http_set_bearer(struct http_client *c, const char *token)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "Authorization: Bearer %s", token);
	clear_secret(c->auth);
	c->auth = buf_detach(&b, NULL);
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
http_set_basic(struct http_client *c, const char *user, const char *token)
{
	struct buf raw = BUF_INIT, b = BUF_INIT;
	const unsigned char *s;
	size_t i;

	buf_addf(&raw, "%s:%s", user, token);
	s = (const unsigned char *)raw.data;
	buf_addstr(&b, "Authorization: Basic ");
	for (i = 0; i + 2 < raw.len; i += 3) {
		buf_addch(&b, b64[s[i] >> 2]);
		buf_addch(&b, b64[((s[i] & 3) << 4) | (s[i + 1] >> 4)]);
		buf_addch(&b, b64[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)]);
		buf_addch(&b, b64[s[i + 2] & 63]);
	}
	if (raw.len - i == 1) {
		buf_addch(&b, b64[s[i] >> 2]);
		buf_addch(&b, b64[(s[i] & 3) << 4]);
		buf_addstr(&b, "==");
	} else if (raw.len - i == 2) {
		buf_addch(&b, b64[s[i] >> 2]);
		buf_addch(&b, b64[((s[i] & 3) << 4) | (s[i + 1] >> 4)]);
		buf_addch(&b, b64[(s[i + 1] & 15) << 2]);
		buf_addch(&b, '=');
	}
	for (volatile char *p = raw.data; *p; p++)
		*p = '\0';
	buf_release(&raw);
	clear_secret(c->auth);
	c->auth = buf_detach(&b, NULL);
}

void
http_add_header(struct http_client *c, const char *line)
{
	struct curl_slist *l = curl_slist_append(c->headers, line);

	if (l == NULL)
		errx(EX_OSERR, "out of memory");
	c->headers = l;
}

void
http_response_init(struct http_response *r)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->body);
	buf_init(&r->headers);
}

void
http_response_release(struct http_response *r)
{
	buf_release(&r->body);
	buf_release(&r->headers);
	http_response_init(r);
}

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct http_response *r = arg;

	if (r->body.len + size * n > HTTP_MAX_BODY)
		return 0;	/* makes libcurl fail with CURLE_WRITE_ERROR */
	buf_add(&r->body, data, size * n);
	return size * n;
}

static size_t
on_header(char *data, size_t size, size_t n, void *arg)
{
	struct http_response *r = arg;

	/* Each response of a redirect chain starts with a status line. */
	if (size * n >= 5 && strncmp(data, "HTTP/", 5) == 0)
		buf_reset(&r->headers);
	if (r->headers.len < 65536)
		buf_add(&r->headers, data, size * n);
	return size * n;
}

char *
http_header(const struct http_response *r, const char *name)
{
	size_t nlen = strlen(name);
	const char *p = r->headers.data;

	while (p && *p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);

		if (len > nlen && strncasecmp(p, name, nlen) == 0 &&
		    p[nlen] == ':') {
			const char *v = p + nlen + 1;
			const char *end = p + len;

			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			while (end > v && isspace((unsigned char)end[-1]))
				end--;
			return xstrndup(v, (size_t)(end - v));
		}
		p = eol ? eol + 1 : NULL;
	}
	return NULL;
}

/*
 * Seconds the server asked us to wait, or -1 when it did not say.
 */
static double
server_wait(const struct http_response *r)
{
	char *v;
	double wait = -1;

	if ((v = http_header(r, "retry-after-ms")) != NULL) {
		wait = atof(v) / 1000.0;
		free(v);
		return wait;
	}
	if ((v = http_header(r, "Retry-After")) != NULL) {
		char *end;
		double secs = strtod(v, &end);

		if (end != v && *end == '\0')
			wait = secs;
		else {
			time_t when = curl_getdate(v, NULL);

			if (when != -1)
				wait = difftime(when, time(NULL));
			if (wait < 0 && when != -1)
				wait = 0;
		}
		free(v);
		return wait;
	}
	if ((v = http_header(r, "x-ratelimit-remaining")) != NULL) {
		int exhausted = strcmp(v, "0") == 0;
		char *reset = http_header(r, "x-ratelimit-reset");

		free(v);
		if (exhausted && reset) {
			wait = difftime((time_t)atoll(reset), time(NULL));
			if (wait < 0)
				wait = 0;
		}
		free(reset);
	}
	return wait;
}

/*
 * Whether the outcome is worth another try.  Idempotent requests retry on
 * every transient failure; creating POSTs only where the server provably
 * did nothing (no connection, or 429, which is refused before processing).
 */
static int
retryable(enum http_outcome o, const struct http_response *r, int flags)
{
	char *should;
	int verdict = -1;

	if (o == HTTP_CONNECT_FAILED)
		return 1;		/* never reached the server */
	if (!(flags & HTTP_IDEMPOTENT))
		return o == HTTP_ANSWERED && r->status == 429;
	if (o == HTTP_TIMED_OUT || o == HTTP_DROPPED)
		return 1;
	if (o != HTTP_ANSWERED)
		return 0;		/* TLS or local failures do not heal */
	if ((should = http_header(r, "x-should-retry")) != NULL) {
		verdict = strcmp(should, "true") == 0;
		free(should);
		return verdict;
	}
	/* OpenAI says 429 for an exhausted quota too: a billing state. */
	if (r->status == 429 && strstr(r->body.data, "insufficient_quota"))
		return 0;
	switch (r->status) {
	case 408:	/* the server gave up waiting for us */
	case 429:	/* rate limited: wait as told */
	case 500:	/* transient server fault */
	case 502:	/* proxy could not reach the backend */
	case 503:	/* overloaded or in maintenance */
	case 504:	/* proxy timed out */
	case 529:	/* Anthropic: overloaded */
		return 1;
	default:
		return 0;
	}
}

void
http_sleep(double s)
{
	struct timespec ts;

	if (s <= 0)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) != 0)
		;
}

static int
is_loopback(const char *url)
{
	return strncmp(url, "http://127.", 11) == 0 ||
	    strncmp(url, "http://localhost", 16) == 0 ||
	    strncmp(url, "http://[::1]", 12) == 0;
}

static enum http_outcome
classify(CURLcode rc)
{
	switch (rc) {
	case CURLE_OK:
		return HTTP_ANSWERED;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
		return HTTP_CONNECT_FAILED;
	case CURLE_OPERATION_TIMEDOUT:
		return HTTP_TIMED_OUT;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
		return HTTP_TLS_FAILED;
	case CURLE_WRITE_ERROR:
		return HTTP_TOO_LARGE;
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
		return HTTP_DROPPED;
	default:
		return HTTP_FAILED;
	}
}

static enum http_outcome
send_once(struct http_client *c, const char *method, const char *url,
    const char *body, struct http_response *r)
{
	struct curl_slist *h = NULL, *l;
	CURL *k = c->curl;
	CURLcode rc;

	buf_reset(&r->body);
	buf_reset(&r->headers);
	r->status = 0;
	r->error[0] = '\0';
	curl_easy_reset(k);
	for (l = c->headers; l; l = l->next)
		h = curl_slist_append(h, l->data);
	if (c->auth)
		h = curl_slist_append(h, c->auth);
	h = curl_slist_append(h, "User-Agent: drift-review/" DRIFT_VERSION);
	if (body)
		h = curl_slist_append(h,
		    "Content-Type: application/json; charset=utf-8");
	h = curl_slist_append(h, "Expect:");
	if (h == NULL)
		errx(EX_OSERR, "out of memory");
	curl_easy_setopt(k, CURLOPT_URL, url);
	curl_easy_setopt(k, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "GET") == 0)
		curl_easy_setopt(k, CURLOPT_HTTPGET, 1L);
	if (body) {
		curl_easy_setopt(k, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(k, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)strlen(body));
	}
	curl_easy_setopt(k, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(k, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(k, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	curl_easy_setopt(k, CURLOPT_TIMEOUT_MS, c->timeout_ms);
	curl_easy_setopt(k, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(k, CURLOPT_LOW_SPEED_TIME, 30L);
	curl_easy_setopt(k, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(k, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(k, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(k, CURLOPT_MAXREDIRS, 3L);
	curl_easy_setopt(k, CURLOPT_UNRESTRICTED_AUTH, 0L);
	curl_easy_setopt(k, CURLOPT_SSL_VERIFYPEER, c->insecure ? 0L : 1L);
	curl_easy_setopt(k, CURLOPT_SSL_VERIFYHOST, c->insecure ? 0L : 2L);
	if (c->ca_file)
		curl_easy_setopt(k, CURLOPT_CAINFO, c->ca_file);
	curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(k, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(k, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(k, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(k, CURLOPT_ERRORBUFFER, r->error);
	rc = curl_easy_perform(k);
	curl_slist_free_all(h);
	if (rc == CURLE_OK)
		curl_easy_getinfo(k, CURLINFO_RESPONSE_CODE, &r->status);
	else if (r->error[0] == '\0')
		snprintf(r->error, sizeof(r->error), "%s",
		    curl_easy_strerror(rc));
	return classify(rc);
}

static void
log_request(const char *method, const char *url, enum http_outcome o,
    const struct http_response *r, int attempt)
{
	size_t n = strcspn(url, "?#");

	if (o == HTTP_ANSWERED)
		progress("%s %.*s: %ld (try %d)", method, (int)n, url,
		    r->status, attempt);
	else
		progress("%s %.*s: %s (try %d)", method, (int)n, url,
		    r->error, attempt);
}

enum http_outcome
http_request(struct http_client *c, const char *method, const char *url,
    const char *body, int flags, struct http_response *r)
{
	enum http_outcome o = HTTP_FAILED;
	double wait, backoff = c->backoff_s;

	if (c->auth && !c->warned_plain && strncmp(url, "http://", 7) == 0 &&
	    !is_loopback(url)) {
		warnx("%s: sending credentials over plain http", c->service);
		c->warned_plain = 1;
	}
	for (int attempt = 1; attempt <= c->max_tries; attempt++) {
		o = send_once(c, method, url, body, r);
		c->tries_used = attempt;
		if (verbosity >= 2)
			log_request(method, url, o, r, attempt);
		if (!retryable(o, r, flags) || attempt == c->max_tries)
			break;
		wait = o == HTTP_ANSWERED ? server_wait(r) : -1;
		if (wait >= 0)
			r->retry_after_s = wait;
		if (wait > c->max_wait_s)
			return HTTP_RETRY_TOO_LONG;
		if (wait < 0) {
			/* jitter in [0.75, 1.0) of the backoff */
			wait = backoff * (0.75 + 0.25 * ((double)rand() /
			    ((double)RAND_MAX + 1)));
			backoff = backoff * 2 > 8 ? 8 : backoff * 2;
		}
		note("%s: %s, retrying in %.1f s", c->service,
		    o == HTTP_ANSWERED ? "server busy" : r->error, wait);
		http_sleep(wait);
	}
	return o;
}

int
http_exit_code(enum http_outcome o, const struct http_response *r)
{
	switch (o) {
	case HTTP_ANSWERED:
		if (r->status >= 200 && r->status < 300)
			return EX_OK;
		if (r->status == 401 || r->status == 403)
			return EX_NOPERM;
		if (r->status == 429 || r->status == 408)
			return EX_TEMPFAIL;
		if (r->status >= 500)
			return EX_UNAVAILABLE;
		return EX_SOFTWARE;
	case HTTP_TIMED_OUT:
	case HTTP_RETRY_TOO_LONG:
		return EX_TEMPFAIL;
	case HTTP_CONNECT_FAILED:
	case HTTP_TLS_FAILED:
	case HTTP_DROPPED:
		return EX_UNAVAILABLE;
	case HTTP_TOO_LARGE:
	case HTTP_FAILED:
		return EX_UNAVAILABLE;
	}
	return EX_SOFTWARE;
}

void
http_add_folded(struct buf *b, const char *text, size_t start, size_t max)
{
	int space = 0;

	for (const char *p = text; *p && b->len - start < max; p++) {
		if (isspace((unsigned char)*p)) {
			space = 1;
			continue;
		}
		if (space && b->len > start)
			buf_addch(b, ' ');
		space = 0;
		buf_addch(b, (unsigned char)*p < 0x20 ? '?' : *p);
	}
}

_Noreturn void
http_die(const struct http_client *c, enum http_outcome o,
    const struct http_response *r, const char *what)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "%s: %s: ", c->service, what);
	switch (o) {
	case HTTP_ANSWERED:
		buf_addf(&b, "HTTP %ld", r->status);
		if (r->body.len) {
			buf_addstr(&b, ": ");
			http_add_folded(&b, r->body.data, b.len, 300);
		}
		break;
	case HTTP_RETRY_TOO_LONG:
		buf_addf(&b, "server asked to wait %.0f s, longer than %.0f s; "
		    "try again later", r->retry_after_s, c->max_wait_s);
		break;
	case HTTP_TOO_LARGE:
		buf_addf(&b, "response larger than %zu bytes", HTTP_MAX_BODY);
		break;
	default:
		buf_addstr(&b, r->error[0] ? r->error : "transfer failed");
		break;
	}
	if (c->tries_used > 1)
		buf_addf(&b, " (after %d tries)", c->tries_used);
	errx(http_exit_code(o, r) ? http_exit_code(o, r) : EX_SOFTWARE,
	    "%s", b.data);
}

void
http_add_escaped(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' ||
		    *p == '~')
			buf_addch(b, *p);
		else
			buf_addf(b, "%%%02X", *p);
	}
}
