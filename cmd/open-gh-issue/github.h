/*
 * github: the sign-off issue on GitHub or GitHub Enterprise Server,
 * through the REST API (version 2022-11-28).
 *
 * The issue is found by listing open issues with the lookup label (all
 * pages) and keeping the one whose body starts with the pair's marker;
 * the search API is asked only when that finds nothing (a label removed
 * by hand, or never applied for want of push access), and its answers are
 * checked byte for byte.  A creating POST is never repeated blindly: after
 * an answer that leaves in doubt whether it landed, the lookup runs again
 * first.  Secondary rate limits (403 with Retry-After, or an exhausted
 * x-ratelimit-remaining) are waited out when the wait is short, else the
 * run ends with EX_TEMPFAIL; mutations are at least a second apart, as
 * GitHub asks.
 */
#ifndef GITHUB_H
#define GITHUB_H

#include <time.h>

#include "http.h"
#include "tracker.h"

struct github {
	struct tracker t;	/* first: a struct github is a tracker */
	struct http_client http;
	char	*api;		/* base URL without a trailing "/" */
	char	*repo_path;	/* "/repos/OWNER/REPO", escaped */
	const char *repo;	/* "OWNER/REPO", lent by the caller */
	const char *label;	/* lookup label, lent by the caller */
	struct timespec last_write;	/* zero before the first mutation */
};

/*
 * Set up a client for `repo` at `api` with bearer `token` (copied); the
 * issue is looked up by `label`.  `repo` and `label` must outlive `g`.
 */
void	github_init(struct github *g, const char *api, const char *repo,
	    const char *token, const char *label);
void	github_release(struct github *g);

#endif
