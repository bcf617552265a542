/*
 * assess: turn a diff document into a review document.
 *
 * review_build() copies the diff, leaves out the changes the config
 * ignores, assesses every other change with the rules, and adds the
 * `summary` members, `agent`, `owners`, `ignored` and `reviewed_at`.
 * The diff document is only read; the returned tree belongs to the
 * caller (cJSON_Delete).  A change missing a required member exits
 * EX_DATAERR naming it.
 */
#ifndef ASSESS_H
#define ASSESS_H

#include <stddef.h>

#include "config.h"
#include "doc.h"
#include "owners.h"

struct review_opts {
	struct config	 cfg;
	struct owners	 owners;
	char		**app_dirs;
	size_t		 napp_dirs;
};

cJSON	*review_build(const struct doc *diff, const struct review_opts *o);

/* summary.c and narrative.c */
struct change;
void	 summary_fill(cJSON *summary, const struct change *cs, size_t n,
	    size_t nignored);
char	*narrative_write(const cJSON *review, const struct change *cs,
	    size_t n);

#endif
