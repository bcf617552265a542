/*
 * config: the rules config file (--config FILE, JSON) and its defaults.
 *
 *   {"ignore": ["public.tmp_*", {"rule": "index-dropped",
 *                                "object": "public.audit_*"}],
 *    "severity": {"index-dropped": "medium"},
 *    "large_table_bytes": 1073741824, "large_table_rows": 10000000,
 *    "throughput_mb_per_second": {"rewrite": 25, "index_build": 50,
 *                                 "fk_validation": 100, "scan": 150},
 *    "prompt_file": "review-prompt.md"}
 *
 * A string in "ignore" leaves every change whose object matches the glob
 * out of the review; an object silences one rule for matching objects.
 * Any error (unreadable file, bad JSON, unknown key, wrong type, unknown
 * rule id or severity) exits EX_CONFIG naming the file and the key.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include "review.h"

/* Fill `cfg` with the defaults, then read `path` over them (NULL: none). */
void	config_load(struct config *cfg, const char *path);
void	config_release(struct config *cfg);
/* Is the change's object (or table) one the config ignores? */
int	config_ignored(const struct config *cfg, const char *object,
	    const char *table);

#endif
