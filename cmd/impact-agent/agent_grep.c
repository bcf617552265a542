/*
 * agent_grep: a bounded grep over the --app-dir trees for the model's
 * search_app_code tool.
 *
 * Bounds, since the model chooses the pattern and the trees can be big:
 * directories are walked in sorted order (so results are the same on
 * every run) to a depth of 32, skipping what the rules' app search skips:
 * hidden entries (.git, .venv), node_modules, vendor, dist, build,
 * __pycache__ and symbolic links; files over 8 MiB or with a NUL
 * byte in their first 8 KiB are taken for binaries and skipped; at most
 * 20 000 files and 64 MiB are read; at most `max` lines are returned,
 * each cut to 200 bytes.  A word pattern matches whole identifiers,
 * case-insensitive; a regex is POSIX extended, case-insensitive, at most
 * 200 bytes.
 */
#define _DEFAULT_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "agent_impl.h"
#include "json.h"
#include "xalloc.h"

#define GREP_MAX_DEPTH	32
#define GREP_MAX_FILES	20000
#define GREP_MAX_BYTES	((size_t)64 << 20)
#define GREP_FILE_MAX	((size_t)8 << 20)
#define GREP_LINE_MAX	200

struct grep {
	const char	*word;		/* or NULL when `rx` is used */
	size_t		 wordlen;
	regex_t		 rx;
	cJSON		*hits;
	size_t		 max;
	size_t		 files;
	size_t		 bytes;
	int		 more;		/* stopped at a bound */
};

const char *
ci_strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return hay;
	return n == 0 ? hay : NULL;
}

static int
is_ident(int c)
{
	return isalnum(c) || c == '_';
}

static int
line_matches(struct grep *g, char *line)
{
	if (g->word == NULL)
		return regexec(&g->rx, line, 0, NULL, 0) == 0;
	for (const char *p = line; (p = ci_strstr(p, g->word)) != NULL;
	    p++)
		if ((p == line || !is_ident((unsigned char)p[-1])) &&
		    !is_ident((unsigned char)p[g->wordlen]))
			return 1;
	return 0;
}

static void
add_hit(struct grep *g, const char *path, size_t lineno, const char *line)
{
	struct buf b = BUF_INIT;
	size_t n;

	while (*line == ' ' || *line == '\t')
		line++;
	for (n = 0; line[n] && n < GREP_LINE_MAX; n++)
		;
	/* Do not end inside a UTF-8 sequence. */
	if (line[n])
		while (n > 0 && ((unsigned char)line[n] & 0xc0) == 0x80)
			n--;
	buf_addf(&b, "%s:%zu: ", path, lineno);
	for (size_t i = 0; i < n; i++)
		buf_addch(&b, (unsigned char)line[i] < 0x20 ? ' ' : line[i]);
	json_push_str(g->hits, b.data);
	buf_release(&b);
}

static void
grep_file(struct grep *g, const char *path, off_t size)
{
	FILE *fp;
	char *data, *line, *next;
	size_t len, lineno = 0;

	if ((size_t)size > GREP_FILE_MAX || g->bytes + (size_t)size >
	    GREP_MAX_BYTES) {
		g->more |= (size_t)size <= GREP_FILE_MAX;
		return;
	}
	if ((fp = fopen(path, "rb")) == NULL)
		return;
	data = xmalloc((size_t)size + 1);
	len = fread(data, 1, (size_t)size, fp);
	fclose(fp);
	data[len] = '\0';
	g->bytes += len;
	g->files++;
	if (memchr(data, '\0', len < 8192 ? len : 8192) != NULL) {
		free(data);
		return;
	}
	for (line = data; line && *line; line = next) {
		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!line_matches(g, line))
			continue;
		if (cJSON_GetArraySize(g->hits) >= (int)g->max) {
			g->more = 1;
			break;
		}
		add_hit(g, path, lineno, line);
	}
	free(data);
}

static int
skip_name(const char *name)
{
	return name[0] == '.' || strcmp(name, "node_modules") == 0 ||
	    strcmp(name, "vendor") == 0 || strcmp(name, "dist") == 0 ||
	    strcmp(name, "build") == 0 || strcmp(name, "__pycache__") == 0;
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static void
grep_dir(struct grep *g, const char *dir, int depth)
{
	struct dirent **ents;
	int n;

	if (depth > GREP_MAX_DEPTH)
		return;
	if ((n = scandir(dir, &ents, NULL, by_name)) < 0)
		return;
	for (int i = 0; i < n; i++) {
		struct buf path = BUF_INIT;
		struct stat st;

		if (!skip_name(ents[i]->d_name) && !g->more &&
		    g->files < GREP_MAX_FILES) {
			buf_addf(&path, "%s/%s", dir, ents[i]->d_name);
			if (lstat(path.data, &st) == 0) {
				if (S_ISDIR(st.st_mode))
					grep_dir(g, path.data, depth + 1);
				else if (S_ISREG(st.st_mode))
					grep_file(g, path.data, st.st_size);
			}
			buf_release(&path);
		} else if (g->files >= GREP_MAX_FILES)
			g->more = 1;
		free(ents[i]);
	}
	free(ents);
}

cJSON *
agent_grep(const char *const *dirs, size_t ndirs, const char *pattern,
    int regex, size_t max, int *more, struct buf *err)
{
	struct grep g;
	int rc;

	memset(&g, 0, sizeof(g));
	if (strlen(pattern) > 200) {
		buf_addstr(err, "the pattern is longer than 200 bytes");
		return NULL;
	}
	if (regex) {
		if ((rc = regcomp(&g.rx, pattern,
		    REG_EXTENDED | REG_ICASE | REG_NOSUB)) != 0) {
			char msg[200];

			regerror(rc, &g.rx, msg, sizeof(msg));
			buf_addf(err, "bad regular expression: %s", msg);
			return NULL;
		}
	} else {
		for (const char *p = pattern; *p; p++)
			if (!is_ident((unsigned char)*p) && *p != '.') {
				buf_addstr(err, "a word pattern holds only "
				    "letters, digits, '_' and '.'; set regex "
				    "to true for more");
				return NULL;
			}
		g.word = pattern;
		g.wordlen = strlen(pattern);
	}
	g.hits = cJSON_CreateArray();
	g.max = max;
	for (size_t i = 0; i < ndirs && !g.more; i++)
		grep_dir(&g, dirs[i], 0);
	if (regex)
		regfree(&g.rx);
	*more = g.more;
	return g.hits;
}
