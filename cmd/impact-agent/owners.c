/*
 * owners: read the owners file and match object names against it.
 */
#include <err.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "owners.h"
#include "xalloc.h"

/* A GitHub login or org/team: letters, digits, '-', '_', '.', one '/'. */
static int
valid_owner(const char *s)
{
	int slash = 0;

	if (s[0] != '@' || s[1] == '\0')
		return 0;
	for (s++; *s; s++) {
		if (*s == '/' && !slash++)
			continue;
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') &&
		    !(*s >= '0' && *s <= '9') && *s != '-' && *s != '_' &&
		    *s != '.')
			return 0;
	}
	return s[-1] != '/';
}

void
owners_load(struct owners *o, const char *path)
{
	char *line = NULL, *save, *tok;
	size_t cap = 0, lineno = 0;
	FILE *fp;

	o->rules = NULL;
	o->n = 0;
	if (path == NULL)
		return;
	if ((fp = fopen(path, "r")) == NULL)
		err(EX_CONFIG, "owners file %s", path);
	while (getline(&line, &cap, fp) != -1) {
		struct owner_rule r = { NULL, NULL, 0 };
		char *hash;

		lineno++;
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		if ((tok = strtok_r(line, " \t\r\n", &save)) == NULL)
			continue;
		r.pattern = xstrdup(tok);
		while ((tok = strtok_r(NULL, " \t\r\n", &save)) != NULL) {
			if (!valid_owner(tok))
				errx(EX_CONFIG, "%s:%zu: owner \"%s\" is not a "
				    "GitHub @user or @org/team", path, lineno,
				    tok);
			r.owners = xrealloc(r.owners,
			    (r.n + 1) * sizeof(char *));
			r.owners[r.n++] = xstrdup(tok);
		}
		if (r.n == 0)
			errx(EX_CONFIG, "%s:%zu: pattern \"%s\" has no owner",
			    path, lineno, r.pattern);
		o->rules = xrealloc(o->rules, (o->n + 1) * sizeof(*o->rules));
		o->rules[o->n++] = r;
	}
	if (ferror(fp))
		err(EX_CONFIG, "owners file %s", path);
	free(line);
	fclose(fp);
}

void
owners_release(struct owners *o)
{
	size_t i, j;

	for (i = 0; i < o->n; i++) {
		for (j = 0; j < o->rules[i].n; j++)
			free(o->rules[i].owners[j]);
		free(o->rules[i].owners);
		free(o->rules[i].pattern);
	}
	free(o->rules);
	o->rules = NULL;
	o->n = 0;
}

const struct owner_rule *
owners_match(const struct owners *o, const char *const *names, size_t n)
{
	size_t i, j;

	for (i = o->n; i-- > 0;)
		for (j = 0; j < n; j++)
			if (names[j] && fnmatch(o->rules[i].pattern, names[j],
			    0) == 0)
				return &o->rules[i];
	return NULL;
}
