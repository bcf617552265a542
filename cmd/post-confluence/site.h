/*
 * site: one Confluence site as post-confluence talks to it: the API roots
 * under CONFLUENCE_URL, the credentials, JSON in and out, listings that
 * continue in _links.next, and the exit status a failed request ends the
 * run with.  Built on common/http, which does the retries.
 *
 * Exit statuses of site_die(): 401/403 EX_NOPERM (77) with the user and
 * the space named, never the token; 400/413/422 EX_DATAERR (65): the page
 * was refused; 409 and 429 EX_TEMPFAIL (75); 410 EX_CONFIG (78): this API
 * is gone from the site; 5xx and transport failures as http_die().
 */
#ifndef SITE_H
#define SITE_H

#include <cjson/cJSON.h>

#include "http.h"
#include "post.h"

struct site {
	struct http_client http;
	const struct post_config *cfg;	/* borrowed */
	char	*v1;		/* {URL}/rest/api */
	char	*v2;		/* {URL}/api/v2 */
	char	*origin;	/* scheme://host[:port] of CONFLUENCE_URL */
	char	*who;		/* named in messages; NULL: a PAT's user */
	char	*space_id;	/* v2: the id of the space key, once known */
	int	 warned_deprecated;
};

void	site_open(struct site *s, const struct post_config *cfg);
void	site_close(struct site *s);
/* Replace the user named in messages (e.g. the PAT's user, once known). */
void	site_set_who(struct site *s, const char *who);

/* Send `body` (NULL for none) as JSON; see http_request() for flags. */
enum http_outcome site_send(struct site *s, const char *method,
	    const char *url, const cJSON *body, int flags,
	    struct http_response *r);

/* The JSON of an answer, or exit EX_SOFTWARE when it is not JSON. */
cJSON	*site_json(const struct site *s, const struct http_response *r,
	    const char *what);

/* GET `url` and return its JSON; any failure exits via site_die(). */
cJSON	*site_get(struct site *s, const char *url, const char *what);

/*
 * The absolute URL of the next page of a listing (v2 cursor or v1
 * start/limit, both in _links.next), or NULL on the last page.  A link to
 * another host is refused (EX_SOFTWARE): credentials stay on this site.
 */
char	*site_next(const struct site *s, const cJSON *listing);

/* The server's error text (bounded, one line) for messages; malloc'd. */
char	*site_error_text(const struct http_response *r);

_Noreturn void	site_die(const struct site *s, enum http_outcome o,
	    const struct http_response *r, const char *what);

#endif
