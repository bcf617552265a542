/*
 * outbox: the sign-off issue as a file, for runs without GitHub
 * ($DRIFT_OUTBOX).  DIR/PAIR.issue.md holds a short header and the body
 * exactly as it would be posted:
 *
 *	title: [schema drift] staging → prod (app): high, 3 changes
 *	state: open
 *	labels: schema-drift, needs-signoff, risk-high
 *	assignees: alice
 *
 *	<!-- drift-review pair=staging-prod-app fingerprint=sha256:... -->
 *	...
 *
 * and comments are appended to DIR/PAIR.comments.md, so the file goes
 * through the same life as the issue: created, left alone while the drift
 * is the same, rewritten when it changes, marked closed when it is gone.
 * Files are replaced atomically.
 */
#ifndef OUTBOX_H
#define OUTBOX_H

#include "tracker.h"

struct outbox {
	struct tracker t;	/* first: a struct outbox is a tracker */
	char	*path;		/* DIR/PAIR.issue.md */
	char	*comments;	/* DIR/PAIR.comments.md */
	char	*url;		/* file:// URL of path */
	char	*assignees;	/* header value read by find, or NULL */
};

/* Use directory `dir` (created if missing) for pair `pair`. */
void	outbox_init(struct outbox *o, const char *dir, const char *pair);
void	outbox_release(struct outbox *o);

#endif
