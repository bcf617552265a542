/*
 * post: what the files of post-confluence share: where to publish
 * (struct post_config, from the environment and the options), what to
 * publish (struct page_in, from the review document) and what happened
 * (struct post_result, which becomes the review's "confluence" member).
 *
 * Strings in page_in belong to the review document and live until
 * doc_release(); those in post_config belong to it and are freed by
 * config_release(); those in post_result are malloc'd and freed by
 * post_result_release().
 */
#ifndef POST_H
#define POST_H

#include <stdint.h>
#include <cjson/cJSON.h>

#include "doc.h"

enum api { API_AUTO, API_V2, API_V1 };

struct post_config {
	char	*url;		/* CONFLUENCE_URL without a trailing '/' */
	char	*space;		/* space key */
	char	*parent_id;	/* NULL: under the space home page */
	enum api api;		/* never API_AUTO after config_load() */
	char	*user;		/* CONFLUENCE_USER: Cloud e-mail, DC user */
	char	*token;		/* secret: CONFLUENCE_TOKEN (Basic) */
	char	*pat;		/* secret: CONFLUENCE_PAT (Bearer) */
	char	*ca_file;	/* CONFLUENCE_CA_FILE, NULL: system CAs */
	int	 insecure;	/* --insecure: TLS not verified */
	char	*outbox;	/* DRIFT_OUTBOX or --outbox: no network */
};

struct page_in {
	const char *pair;	/* the diff's pair: keys the page */
	const char *fingerprint;/* the diff's fingerprint */
	const char *title;
	const char *storage;	/* Confluence storage format */
	const char *html;	/* page.html, NULL when absent */
	const char *space;	/* page.space, NULL when absent */
	const char *parent_id;	/* page.parent_id, NULL when absent */
	const cJSON *labels;	/* array of strings, NULL when absent */
};

struct post_result {
	char	*id;		/* NULL for the outbox */
	char	*url;
	int64_t	 version;
	const char *action;	/* created|updated|unchanged|outbox, static */
};

/* The command-line settings config_load() merges with the environment. */
struct post_options {
	const char *api;	/* "auto", "v2", "v1" or NULL */
	const char *space;
	const char *parent_id;
	const char *outbox;
	int	 insecure;
};

/* input.c: check the review's "page" and fill `pg` (exit 65 if unfit). */
void	page_read(const struct doc *d, struct page_in *pg);

/*
 * config.c: settle the configuration from the options, the page and the
 * environment (options first, then the page, then the environment).
 * Exits EX_CONFIG naming everything missing at once.
 */
void	config_load(struct post_config *cfg, const struct post_options *o,
	    const struct page_in *pg);
void	config_release(struct post_config *cfg);

/* publish.c: create or update the page on the server. */
void	publish(const struct post_config *cfg, const struct page_in *pg,
	    struct post_result *res);
/* outbox.c: write the page to cfg->outbox instead. */
void	outbox_publish(const struct post_config *cfg,
	    const struct page_in *pg, struct post_result *res);

/* The marker recorded with a published page: "PAIR FINGERPRINT". */
char	*post_marker(const struct page_in *pg);

/* Add the "confluence" member (replacing any) to the review. */
void	post_result_attach(const struct post_result *res, cJSON *review);
void	post_result_release(struct post_result *res);

#endif
