/*
 * http: the one HTTP client every network stage uses (libcurl).
 *
 *  - TLS is verified (peer and host); `ca_file` adds a corporate CA and
 *    `insecure` turns verification off only when the operator asks for it.
 *  - Only http and https; redirects (at most 3) only to https, and libcurl
 *    never resends credentials to another host.
 *  - Connect timeout 10 s, total timeout `timeout_ms` (default 60 s), and a
 *    stalled transfer (under 1 byte/s for 30 s) is abandoned.
 *  - Retries with exponential backoff and jitter (0.5 s doubling, capped at
 *    8 s, times 0.75-1.0) on connection failures, timeouts, 408, 429, 500,
 *    502, 503, 504 and 529, honouring retry-after-ms, Retry-After (seconds
 *    or HTTP-date) and GitHub's x-ratelimit-reset.  A wait longer than
 *    `max_wait_s` (default 120 s) is not slept: the request ends as a
 *    temporary failure for the scheduler to retry.  At most `max_tries`
 *    tries (default 4; $DRIFT_HTTP_TRIES overrides).
 *  - A request that is not idempotent (a POST that creates something) is
 *    retried only when it provably did not land: the connection was never
 *    made, or the server answered 429.
 *  - Authorization and API-key headers are never printed; -v logs method,
 *    URL without its query string, status and time.
 *
 * http_request() returns the class of the final outcome and fills the
 * response; HTTP status codes are answers the caller interprets (404 and
 * 409 are normal for post-confluence).  http_exit_code() maps a final
 * outcome to the pipeline's exit status, and http_die() exits with it and
 * a bounded excerpt of the server's error text.
 */
#ifndef HTTP_H
#define HTTP_H

#include <curl/curl.h>

#include "buf.h"

enum http_outcome {
	HTTP_ANSWERED,		/* a status line came back (any status) */
	HTTP_CONNECT_FAILED,	/* DNS, refused, unreachable */
	HTTP_TLS_FAILED,	/* handshake or certificate verification */
	HTTP_TIMED_OUT,		/* connect/total timeout or stalled */
	HTTP_DROPPED,		/* connection broken before a full answer */
	HTTP_RETRY_TOO_LONG,	/* server asked to wait beyond max_wait_s */
	HTTP_TOO_LARGE,		/* response body over HTTP_MAX_BODY */
	HTTP_FAILED		/* any other transport failure */
};

#define HTTP_MAX_BODY	((size_t)32 << 20)

/* Request flags. */
#define HTTP_IDEMPOTENT	0x1	/* GET, PUT, PATCH with full state, DELETE */

struct http_client {
	CURL	*curl;
	const char *service;	/* "confluence": used in messages */
	long	 timeout_ms;
	int	 max_tries;
	double	 max_wait_s;
	double	 backoff_s;	/* first backoff; doubles per try */
	const char *ca_file;	/* NULL: system CAs */
	int	 insecure;	/* 1: do not verify TLS (operator's choice) */
	char	*auth;		/* "Authorization: ..." header; secret */
	struct curl_slist *headers;	/* further request headers */
	int	 warned_plain;	/* warned once about a token over http */
	int	 tries_used;	/* tries the last request took */
};

struct http_response {
	long	 status;	/* 0 when no answer came */
	struct buf body;
	struct buf headers;	/* raw header lines of the final response */
	char	 error[CURL_ERROR_SIZE];
	double	 retry_after_s;	/* the last wait the server asked for */
};

/* Set defaults; `service` names the peer in messages. */
void	http_init(struct http_client *c, const char *service);
void	http_release(struct http_client *c);
/* Credentials: copied, kept secret, cleared on release. */
void	http_set_bearer(struct http_client *c, const char *token);
void	http_set_basic(struct http_client *c, const char *user,
	    const char *token);
/* A further header line, e.g. "Accept: application/json". */
void	http_add_header(struct http_client *c, const char *line);

void	http_response_init(struct http_response *r);
void	http_response_release(struct http_response *r);

/*
 * Send `method` to `url` with an optional JSON `body` (NULL for none) and
 * wait for the final answer after retries.  `r` is reset first.
 */
enum http_outcome http_request(struct http_client *c, const char *method,
	    const char *url, const char *body, int flags,
	    struct http_response *r);

/*
 * Value of response header `name` (case-insensitive), malloc'd, or NULL.
 */
char	*http_header(const struct http_response *r, const char *name);

/* The exit status for an outcome: 69, 75, 77, 70 or 0 for a 2xx. */
int	http_exit_code(enum http_outcome o, const struct http_response *r);

/*
 * Exit with http_exit_code() and "SERVICE: WHAT: <reason>", quoting at most
 * 300 bytes of the server's error message (whitespace folded).
 */
_Noreturn void	http_die(const struct http_client *c, enum http_outcome o,
	    const struct http_response *r, const char *what);

/*
 * Sleep `s` seconds (fractions too; nothing when `s` <= 0), resuming after
 * signals, as between retries or to space writes a service rate-limits.
 */
void	http_sleep(double s);

/*
 * Append a server's error text to `b`, runs of white space folded to one
 * space (dropped while b->len is still `start`) and control characters
 * shown as '?', until b->len - start reaches `max` bytes.
 */
void	http_add_folded(struct buf *b, const char *text, size_t start,
	    size_t max);

/* Percent-encode `s` for a URL path segment or query value. */
void	http_add_escaped(struct buf *b, const char *s);

#endif
