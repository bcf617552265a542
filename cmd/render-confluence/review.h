/*
 * review: the review document checked once, so the layout can trust it.
 *
 * review_load() checks the type of every member the page uses (a string
 * where formats.md says string, an array of strings for SQL and owners, a
 * known severity) and exits EX_DATAERR naming the place otherwise, e.g.
 *   render-confluence: review.json: .changes[2].assessment: member
 *   "severity" is missing
 * Members the page does not use are not looked at.  It then orders the
 * changes for the page: by severity, most severe first, and within one
 * severity in the review's order (which is the order forward SQL runs).
 *
 * All pointers borrow from the document, which must outlive the review;
 * review_release() frees only the change array.
 */
#ifndef REVIEW_H
#define REVIEW_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "doc.h"

#define ANCHOR_MAX	64

struct change {
	const cJSON	*json;
	const cJSON	*assessment;
	const char	*id;
	const char	*object_kind;
	const char	*object;
	const char	*op;
	const char	*severity;
	int		 rank;		/* 0 critical .. 4 info */
	size_t		 index;		/* in .changes */
	size_t		 number;	/* 1-based, in page order */
	char		 anchor[ANCHOR_MAX]; /* [a-z0-9-], unique */
};

struct review {
	const cJSON	*root;
	const cJSON	*from;
	const cJSON	*to;
	const cJSON	*summary;
	const char	*risk;		/* summary.risk or NULL */
	const char	*verdict;	/* summary.verdict, NULL when none */
	struct change	*changes;	/* in page order */
	size_t		 nchanges;
};

void	review_load(struct review *r, const struct doc *d);
void	review_release(struct review *r);

/* 0 critical, 1 high, 2 medium, 3 low, 4 info; -1 for anything else. */
int	severity_rank(const char *severity);

#endif
