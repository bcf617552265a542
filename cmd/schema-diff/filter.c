/*
 * filter.c: -n/-N schema filters and --ignore object patterns, globs as
 * fnmatch(3) reads them.  A change's schema is the first part of its
 * object's name (of the object a grant or comment is on); --ignore matches
 * the object, its table, or the object a grant or comment is on, so
 * "public.tmp_*" leaves out those tables and everything in them.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "json.h"
#include "xalloc.h"

static int
any_match(const char *const *pats, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s && i < n; i++)
		if (fnmatch(pats[i], s, 0) == 0)
			return 1;
	return 0;
}

/* The qualified name of the object a change is about. */
static char *
inner_name(const struct change *c)
{
	const char *colon, *end;

	if (strcmp(c->kind, "grant") != 0 && strcmp(c->kind, "comment") != 0)
		return xstrdup(c->object);
	colon = strchr(c->object, ':');
	if (colon == NULL)
		return xstrdup(c->object);
	end = strcmp(c->kind, "grant") == 0 ? strrchr(colon + 1, ':') : NULL;
	return end ? xstrndup(colon + 1, (size_t)(end - colon - 1)) :
	    xstrdup(colon + 1);
}

int
filter_keep(const struct filter *f, const struct change *c)
{
	char *inner = inner_name(c), *schema;
	int keep = 1;

	if (strcmp(c->kind, "extension") == 0) {
		const char *s = json_str(c->after ? c->after : c->before,
		    "schema");

		schema = xstrdup(s ? s : "");
	} else if (strcmp(c->kind, "schema") == 0) {
		schema = xstrdup(c->object);
	} else {
		schema = name_schema(inner);
	}
	if (f->nincl && !any_match(f->incl, f->nincl, schema))
		keep = 0;
	if (any_match(f->excl, f->nexcl, schema))
		keep = 0;
	if (any_match(f->ignore, f->nignore, c->object) ||
	    any_match(f->ignore, f->nignore, c->table) ||
	    any_match(f->ignore, f->nignore, inner))
		keep = 0;
	free(inner);
	free(schema);
	return keep;
}
