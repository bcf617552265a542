/*
 * compose: the words of the sign-off issue: its title, its body and the
 * comments that announce a new version of the drift or its end.
 *
 * Every string from the review that a database or a model wrote goes
 * through gfm.h; the only live mentions are the review's owners.  A body
 * always fits GitHub's limit (65,536 characters): long tables are cut
 * with a pointer to the full review.  Returned strings are the caller's
 * to free(3).
 */
#ifndef COMPOSE_H
#define COMPOSE_H

#include "review.h"

/* GitHub refuses bodies and comments over 65,536 characters. */
#define COMPOSE_BODY_MAX	65000

/* "[schema drift] staging → prod (app): critical, 17 changes" */
char	*compose_title(const struct review *r);

/*
 * The issue body: hidden marker, verdict and headline, link to the page,
 * the changes of medium severity or worse, what cannot be undone, the
 * owners and the sign-off checklist.  With `full` (no page to link) it
 * also carries the narrative and every change.
 */
char	*compose_body(const struct review *r, int full);

/*
 * The comment posted when the drift changed: what is new, gone or
 * different since `old_body` (the previous body), and that earlier
 * approvals no longer apply.  Starts with compose_comment_marker().
 */
char	*compose_changed(const struct review *r, const char *old_body);

/* The comment posted before closing: the drift is gone. */
char	*compose_resolved(const struct review *r);

/*
 * The hidden first line of a comment about fingerprint `fp`, `kind`
 * "changed" or "resolved": finding it among the comments proves the
 * comment was already posted.
 */
char	*compose_comment_marker(const char *kind, const char *fp);

#endif
