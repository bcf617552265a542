/*
 * review: the members of a review document this program reads, checked
 * once so that the rest of the program can trust them.
 *
 * Strings and cJSON pointers are lent by the document and live until
 * doc_release(); `owners` is owned here and freed by review_release().
 */
#ifndef REVIEW_H
#define REVIEW_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "doc.h"

enum severity { SEV_INFO, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL };

struct review {
	const struct doc *doc;
	const char *pair;	/* [a-z0-9-]+, keys the issue */
	const char *fingerprint;
	const char *from_label;	/* prod */
	const char *to_label;	/* staging */
	const char *database;	/* NULL when unknown */
	const char *risk;	/* summary.risk, NULL with no changes */
	const char *verdict;
	const char *headline;
	const char *narrative;
	int	 requires_downtime;
	const cJSON *changes;	/* array, each with an assessment */
	int	 nchanges;
	const char *page_url;	/* confluence.url, or NULL */
	const char *page_title;	/* page.title, or NULL */
	char	**owners;	/* valid handles, sorted, unique */
	size_t	 nowners;
};

/*
 * Check and index the review in `d`.  With `need_page`, the review must
 * carry confluence.url (post-confluence has run).  Exits EX_DATAERR
 * naming the member on anything malformed.  Owner handles that are not
 * GitHub handles are dropped with a warning.
 */
void	review_load(struct review *r, const struct doc *d, int need_page);
void	review_release(struct review *r);

/* The assessment's severity of change `c` (checked by review_load()). */
enum severity	change_severity(const cJSON *c);
const char	*severity_name(enum severity s);
/* assessment.rollback.risk, or NULL. */
const char	*change_rollback_risk(const cJSON *c);
/* 1 when `handle` is one of the review's owners. */
int	review_has_owner(const struct review *r, const char *handle);

#endif
