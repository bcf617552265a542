/*
 * marker: the hidden lines at the top of an issue body that say which
 * drift the issue is about.
 *
 *	<!-- drift-review pair=staging-prod-app fingerprint=sha256:9f2c... -->
 *	<!-- drift-review changes
 *	column:public.users.nickname:drop 5f0e3a1c9b2d4e67 critical
 *	-->
 *
 * The first line finds the issue again (one open issue per pair) and says
 * whether the drift changed.  The second block lists every change (its id,
 * a hash of its attributes and its severity) so that the next version can
 * say what is new, gone or different.  Ids are percent-encoded where they
 * hold anything but printable ASCII, or "%", "<", ">", "@" or "#", so a
 * name can never end the comment early nor mention anyone.  Both come
 * first in the body, before any text from the database, so untrusted text
 * can never be mistaken for them: a marker counts only on the body's first
 * line.
 *
 * Bodies are owned by the caller; a parsed marker owns its strings and is
 * freed with marker_release().
 */
#ifndef MARKER_H
#define MARKER_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "buf.h"

struct marker_change {
	char	*id;		/* decoded */
	uint64_t hash;		/* of the change's attributes */
	char	*severity;
};

struct marker {
	char	*pair;
	char	*fingerprint;
	int	 has_changes;	/* the change block was present */
	struct marker_change *changes;
	size_t	 nchanges;
};

/*
 * Append the marker line and, when it fits in `max_block` bytes, the
 * change block for `changes` (a review's array).
 */
void	marker_write(struct buf *b, const char *pair, const char *fingerprint,
	    const cJSON *changes, size_t max_block);

/* 1 when `body` starts with the marker of `pair`. */
int	marker_is_for(const char *body, const char *pair);

/*
 * Parse the marker at the start of `body` into `m`; 0 when there is none
 * (`m` is then empty).  Malformed change lines are skipped.
 */
int	marker_parse(struct marker *m, const char *body);
void	marker_release(struct marker *m);

/* The hash marker_write() records for change `c`. */
uint64_t	marker_change_hash(const cJSON *c);

/* The entry for `id` in `m`, or NULL. */
const struct marker_change *marker_find(const struct marker *m,
	    const char *id);

#endif
