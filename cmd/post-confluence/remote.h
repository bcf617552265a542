/*
 * remote: the operations the publish algorithm needs from a Confluence
 * API, written once for Cloud REST v2 (v2.c) and once for REST v1 on Data
 * Center and Server (v1.c), so that publish.c holds the algorithm alone.
 *
 * Every operation exits through site_die() on a failure it cannot
 * interpret; the answers publish.c acts on are returned.  A remote_page
 * owns its strings: remote_page_release() frees them.
 */
#ifndef REMOTE_H
#define REMOTE_H

#include <stdint.h>

#include "post.h"
#include "site.h"

struct remote_page {
	char	*id;
	int64_t	 version;
	char	*marker;	/* post_marker() last published; NULL: none */
	char	*url;		/* _links.base + _links.webui */
	char	*prop_id;	/* v2: the drift-review property; NULL: none */
	int64_t	 prop_version;
};

void	remote_page_release(struct remote_page *p);

enum remote_write {
	REMOTE_DONE,		/* written; the page's fields are updated */
	REMOTE_CONFLICT,	/* 409: someone else wrote a version first */
	REMOTE_TITLE_TAKEN,	/* create: the title is already used */
	REMOTE_UNKNOWN		/* create: no answer; it may have landed */
};

struct remote_ops {
	/* Check who we are (anonymous is refused) and that the space exists. */
	void	(*prepare)(struct site *s);
	/* Find the page by exact title: 1 found (filled), 0 none. */
	int	(*find)(struct site *s, const struct page_in *pg,
		    struct remote_page *p);
	/* Read p->id again: version and marker, after a conflict. */
	void	(*reread)(struct site *s, struct remote_page *p);
	enum remote_write (*create)(struct site *s, const struct page_in *pg,
		    struct remote_page *p);
	/* Write version p->version + 1 with the marker. */
	enum remote_write (*update)(struct site *s, const struct page_in *pg,
		    struct remote_page *p);
	/* Record the marker where find() reads it, if update() did not. */
	void	(*mark)(struct site *s, const struct page_in *pg,
		    struct remote_page *p);
	/* Labels already on the page, as a JSON array of names. */
	cJSON	*(*labels)(struct site *s, const struct remote_page *p);
};

extern const struct remote_ops remote_v1, remote_v2;

/* v1.c, shared with v2: user/current, and adding labels (v1 only). */
void	v1_whoami(struct site *s);
void	v1_add_labels(struct site *s, const struct remote_page *p,
	    const cJSON *names);

/*
 * Label names from a listing that starts at `url`, which is taken and
 * freed; pages are followed.  The array is the caller's to cJSON_Delete();
 * NULL when a page cannot be read.
 */
cJSON	*remote_label_names(struct site *s, char *url);

/*
 * Page through a title search that starts at `url` (taken and freed) and
 * count the pages titled exactly pg->title; `fill_first` fills `p` from
 * the first, with the listing page it came in.  More than one exits
 * EX_SOFTWARE: the page to update is ambiguous.
 */
int	remote_find_title(struct site *s, const struct page_in *pg,
	    struct remote_page *p, char *url,
	    void (*fill_first)(const struct site *s, struct remote_page *p,
	    const cJSON *listing, const cJSON *page));

/*
 * Whether a create that did not succeed may still have made the page: no
 * answer after the request went out, or a server error.
 */
int	remote_may_have_landed(enum http_outcome o,
	    const struct http_response *r);

/* Whether an answer to a create is the 400 for a title already in use. */
int	remote_title_taken(const struct http_response *r);

/* The page URL from a listing's (or page's) base and the page's webui. */
char	*remote_url(const struct site *s, const cJSON *listing,
	    const cJSON *page);

#endif
