/*
 * owners: who owns which objects, from a CODEOWNERS-like file.
 *
 *   # PATTERN      OWNER...
 *   public.*       @acme/dba
 *   billing.*      @acme/billing @alice
 *
 * PATTERN is an fnmatch(3) glob over qualified object names (`*` also
 * matches dots); OWNER is a GitHub user `@name` or team `@org/team`.  The
 * last matching line wins, as in CODEOWNERS.  A malformed line exits
 * EX_CONFIG naming the file and line.
 */
#ifndef OWNERS_H
#define OWNERS_H

#include <stddef.h>

struct owner_rule {
	char	 *pattern;
	char	**owners;
	size_t	  n;
};

struct owners {
	struct owner_rule	*rules;
	size_t			 n;
};

/* Read `path`; NULL leaves `o` empty.  Free with owners_release(). */
void	owners_load(struct owners *o, const char *path);
void	owners_release(struct owners *o);
/*
 * The rule of the last line matching any of `names` (NULL entries are
 * skipped), or NULL.  The rule belongs to `o`.
 */
const struct owner_rule *owners_match(const struct owners *o,
	    const char *const *names, size_t n);

#endif
