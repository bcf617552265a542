/*
 * config: where the page goes and with which credentials.  Options win
 * over the page's own space and parent, which win over the environment;
 * credentials come only from the environment (or *_FILE), never from the
 * command line.  With an outbox nothing else is needed.
 */
#define _DEFAULT_SOURCE
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "buf.h"
#include "post.h"
#include "secret.h"
#include "xalloc.h"

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* Cloud sites answer on *.atlassian.net or through api.atlassian.com. */
static int
is_cloud(const char *url)
{
	const char *host = strstr(url, "://"), *end;
	size_t n;

	if (host == NULL)
		return 0;
	host += 3;
	if (strncasecmp(host, "api.atlassian.com/ex/confluence/", 32) == 0)
		return 1;
	end = host + strcspn(host, ":/?#");
	n = (size_t)(end - host);
	return n > 14 && strncasecmp(end - 14, ".atlassian.net", 14) == 0;
}

static enum api
parse_api(const char *s)
{
	if (s == NULL || strcmp(s, "auto") == 0)
		return API_AUTO;
	if (strcmp(s, "v2") == 0)
		return API_V2;
	if (strcmp(s, "v1") == 0)
		return API_V1;
	errx(EX_USAGE, "--api: \"%s\" is not auto, v2 or v1", s);
}

static void
add_missing(struct buf *b, const char *what)
{
	if (b->len)
		buf_addstr(b, ", ");
	buf_addstr(b, what);
}

void
config_load(struct post_config *cfg, const struct post_options *o,
    const struct page_in *pg)
{
	struct buf missing = BUF_INIT;
	const char *url = env("CONFLUENCE_URL");
	size_t n;

	memset(cfg, 0, sizeof(*cfg));
	cfg->api = parse_api(o->api);
	cfg->space = dup_or_null(o->space ? o->space :
	    pg->space ? pg->space : env("CONFLUENCE_SPACE"));
	cfg->parent_id = dup_or_null(o->parent_id ? o->parent_id :
	    pg->parent_id ? pg->parent_id : env("CONFLUENCE_PARENT_ID"));
	cfg->outbox = dup_or_null(o->outbox ? o->outbox :
	    env("DRIFT_OUTBOX"));
	if (cfg->outbox)
		return;

	cfg->insecure = o->insecure;
	cfg->ca_file = dup_or_null(env("CONFLUENCE_CA_FILE"));
	if (url) {
		if (strncmp(url, "https://", 8) != 0 &&
		    strncmp(url, "http://", 7) != 0)
			errx(EX_CONFIG, "CONFLUENCE_URL: \"%s\" is not an "
			    "http or https URL", url);
		cfg->url = xstrdup(url);
		n = strlen(cfg->url);
		while (n > 0 && cfg->url[n - 1] == '/')
			cfg->url[--n] = '\0';
		if (cfg->api == API_AUTO)
			cfg->api = is_cloud(cfg->url) ? API_V2 : API_V1;
	} else
		add_missing(&missing, "CONFLUENCE_URL");
	if (cfg->space == NULL)
		add_missing(&missing, "CONFLUENCE_SPACE (or page.space, "
		    "or --space)");

	cfg->user = dup_or_null(env("CONFLUENCE_USER"));
	cfg->token = secret_get("CONFLUENCE_TOKEN");
	cfg->pat = secret_get("CONFLUENCE_PAT");
	if (cfg->api == API_V2 && !(cfg->user && cfg->token))
		add_missing(&missing, cfg->pat ? "CONFLUENCE_USER and "
		    "CONFLUENCE_TOKEN (Confluence Cloud does not take "
		    "CONFLUENCE_PAT)" : "CONFLUENCE_USER and CONFLUENCE_TOKEN");
	else if (!cfg->pat && !(cfg->user && cfg->token))
		add_missing(&missing, "credentials (CONFLUENCE_USER and "
		    "CONFLUENCE_TOKEN, or CONFLUENCE_PAT)");
	if (missing.len)
		errx(EX_CONFIG, "missing configuration: %s; or set "
		    "DRIFT_OUTBOX to write the page to a directory",
		    missing.data);
	buf_release(&missing);
}

void
config_release(struct post_config *cfg)
{
	free(cfg->url);
	free(cfg->space);
	free(cfg->parent_id);
	free(cfg->user);
	secret_free(cfg->token);
	secret_free(cfg->pat);
	free(cfg->ca_file);
	free(cfg->outbox);
	memset(cfg, 0, sizeof(*cfg));
}
