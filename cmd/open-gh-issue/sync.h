/*
 * sync: the life of one pair's sign-off issue, the same on GitHub and in
 * the outbox.
 *
 *	changes	issue open	fingerprint	action
 *	yes	no		-		created
 *	yes	yes		same		unchanged (nothing written)
 *	yes	yes		other		updated + "what changed" comment
 *	none	yes		-		closed, after a comment
 *	none	no		-		none (nothing written)
 *
 * Comments go before the edit they announce, and are skipped when already
 * posted, so a run killed anywhere can simply be run again.
 */
#ifndef SYNC_H
#define SYNC_H

#include <cjson/cJSON.h>

#include "review.h"
#include "tracker.h"

enum sync_action {
	SYNC_CREATED, SYNC_UPDATED, SYNC_UNCHANGED, SYNC_CLOSED, SYNC_NONE
};

struct sync_opts {
	int	 full;		/* no page to link: the body has it all */
	const cJSON *labels;	/* fixed label names; risk-LEVEL is added */
	const cJSON *assignees;	/* logins for a new issue */
};

/*
 * Bring the tracker in line with review `r`.  `is` receives the issue
 * acted on (empty for SYNC_NONE); the caller releases it.
 */
enum sync_action	sync_issue(struct tracker *t, const struct review *r,
			    const struct sync_opts *o, struct issue *is);
/* "created", "updated", "unchanged", "closed"; SYNC_NONE is "unchanged". */
const char		*sync_action_name(enum sync_action a);

#endif
