/*
 * appcode: the --app-dir search.  See appcode.h for what is skipped and
 * why; the walk keeps a stack of pending directories, and each file is
 * read whole into one reused buffer and tokenised once.
 */
#define _DEFAULT_SOURCE		/* d_type */
#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "appcode.h"
#include "buf.h"
#include "xalloc.h"

#define BINARY_PROBE	8192
#define FILE_MAX	(8 << 20)
#define TEXT_MAX	120

static const char *const skip_dirs[] = {
	".git", ".hg", ".svn", "node_modules", "vendor", "dist", "build",
	"__pycache__", ".venv", NULL
};

struct hit {
	char	*path;
	long	 line;
	char	*text;
};

struct found {
	struct hit	*v;
	size_t		 n, alloc;
};

struct search {
	char *const	*names;
	size_t		 nnames;
	size_t		*slot;		/* hash table of name indexes + 1 */
	size_t		 nslots;
	size_t		*odd;		/* names that are not identifiers */
	size_t		 nodd;
	struct found	*found;		/* per name */
	struct buf	 file;		/* the file being read, reused */
};

static int
ident_char(int c)
{
	return isalnum(c) || c == '_';
}

static uint32_t
hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static int
is_ident(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!ident_char((unsigned char)*s))
			return 0;
	return 1;
}

static void
index_names(struct search *s)
{
	size_t i, k;

	for (s->nslots = 16; s->nslots < 2 * s->nnames; s->nslots *= 2)
		;
	s->slot = xcalloc(s->nslots, sizeof(size_t));
	s->odd = xcalloc(s->nnames, sizeof(size_t));
	for (i = 0; i < s->nnames; i++) {
		const char *n = s->names[i];

		if (!is_ident(n)) {
			s->odd[s->nodd++] = i;
			continue;
		}
		k = hash(n, strlen(n)) & (s->nslots - 1);
		while (s->slot[k])
			k = (k + 1) & (s->nslots - 1);
		s->slot[k] = i + 1;
	}
}

static long
lookup(const struct search *s, const char *w, size_t len)
{
	size_t k = hash(w, len) & (s->nslots - 1), i;

	while ((i = s->slot[k]) != 0) {
		const char *n = s->names[i - 1];

		if (strncmp(n, w, len) == 0 && n[len] == '\0')
			return (long)(i - 1);
		k = (k + 1) & (s->nslots - 1);
	}
	return -1;
}

/* The line holding `at`, trimmed and cut to TEXT_MAX characters. */
static char *
line_text(const char *data, size_t len, size_t at)
{
	size_t b = at, e = at;
	struct buf t = BUF_INIT;

	while (b > 0 && data[b - 1] != '\n')
		b--;
	while (e < len && data[e] != '\n')
		e++;
	while (b < e && isspace((unsigned char)data[b]))
		b++;
	while (e > b && isspace((unsigned char)data[e - 1]))
		e--;
	for (; b < e && t.len < TEXT_MAX; b++)
		buf_addch(&t, iscntrl((unsigned char)data[b]) ? ' ' : data[b]);
	if (b < e)
		buf_addstr(&t, "...");
	return buf_detach(&t, NULL);
}

static void
record(struct search *s, size_t name, const char *path, long line,
    size_t at)
{
	struct found *f = &s->found[name];

	if (f->n > 0 && f->v[f->n - 1].line == line &&
	    strcmp(f->v[f->n - 1].path, path) == 0)
		return;
	if (f->n == f->alloc) {
		f->alloc = f->alloc ? 2 * f->alloc : 8;
		f->v = xrealloc(f->v, f->alloc * sizeof(*f->v));
	}
	f->v[f->n].path = xstrdup(path);
	f->v[f->n].line = line;
	f->v[f->n].text = line_text(s->file.data, s->file.len, at);
	f->n++;
}

static void
scan_text(struct search *s, const char *path)
{
	const char *d = s->file.data;
	size_t len = s->file.len, i = 0, j, k;
	long line = 1;

	while (i < len) {
		if (d[i] == '\n') {
			line++;
			i++;
		} else if (ident_char((unsigned char)d[i])) {
			long n;

			for (j = i; j < len && ident_char((unsigned char)d[j]);
			    j++)
				;
			if ((n = lookup(s, d + i, j - i)) >= 0)
				record(s, (size_t)n, path, line, i);
			i = j;
		} else {
			i++;
		}
	}
	for (k = 0; k < s->nodd; k++) {
		const char *name = s->names[s->odd[k]], *p;
		size_t nl = strlen(name);

		for (p = strstr(d, name); p; p = strstr(p + 1, name)) {
			size_t at = (size_t)(p - d), q;

			if ((at > 0 && ident_char((unsigned char)p[-1])) ||
			    ident_char((unsigned char)p[nl]))
				continue;
			for (line = 1, q = 0; q < at; q++)
				line += d[q] == '\n';
			record(s, s->odd[k], path, line, at);
		}
	}
}

static void
scan_file(struct search *s, const char *path)
{
	char chunk[65536];
	struct stat st;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW)) < 0) {
		warn("%s", path);
		return;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > FILE_MAX || st.st_size == 0) {
		close(fd);
		return;
	}
	buf_reset(&s->file);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		buf_add(&s->file, chunk, (size_t)n);
		if (s->file.len > FILE_MAX)
			break;
	}
	if (n < 0)
		warn("%s", path);
	close(fd);
	if (n < 0 || s->file.len > FILE_MAX || memchr(s->file.data, '\0',
	    s->file.len < BINARY_PROBE ? s->file.len : BINARY_PROBE))
		return;
	scan_text(s, path);
}

static int
skipped(const char *name)
{
	int i;

	for (i = 0; skip_dirs[i]; i++)
		if (strcmp(name, skip_dirs[i]) == 0)
			return 1;
	return 0;
}

static void
walk(struct search *s, const char *top)
{
	char **stack = NULL;
	size_t depth = 0, alloc = 0;
	struct stat st;

	if (stat(top, &st) != 0)
		err(EX_NOINPUT, "--app-dir %s", top);
	if (!S_ISDIR(st.st_mode))
		errx(EX_NOINPUT, "--app-dir %s: not a directory", top);
	stack = xmalloc(sizeof(char *));
	alloc = 1;
	stack[depth++] = xstrdup(top);
	while (depth > 0) {
		char *dir = stack[--depth];
		struct dirent *e;
		DIR *dp;

		if ((dp = opendir(dir)) == NULL) {
			warn("%s", dir);
			free(dir);
			continue;
		}
		while ((e = readdir(dp)) != NULL) {
			struct buf path = BUF_INIT;
			int type = e->d_type;

			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			buf_addstr(&path, dir);
			if (path.len == 0 || path.data[path.len - 1] != '/')
				buf_addch(&path, '/');
			buf_addstr(&path, e->d_name);
			if (type == DT_UNKNOWN) {
				if (lstat(path.data, &st) != 0)
					type = DT_UNKNOWN;
				else if (S_ISDIR(st.st_mode))
					type = DT_DIR;
				else if (S_ISREG(st.st_mode))
					type = DT_REG;
				else
					type = DT_LNK;
			}
			if (type == DT_DIR && !skipped(e->d_name)) {
				if (depth == alloc) {
					alloc *= 2;
					stack = xrealloc(stack,
					    alloc * sizeof(char *));
				}
				stack[depth++] = buf_detach(&path, NULL);
			} else if (type == DT_REG) {
				scan_file(s, path.data);
			}
			buf_release(&path);
		}
		closedir(dp);
		free(dir);
	}
	free(stack);
}

static int
cmp_hit(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	int d = strcmp(x->path, y->path);

	if (d != 0)
		return d;
	return (x->line > y->line) - (x->line < y->line);
}

void
app_search(char *const *dirs, size_t ndirs, char *const *names,
    size_t nnames, struct hits *out)
{
	struct search s;
	size_t i, j;

	memset(&s, 0, sizeof(s));
	s.names = names;
	s.nnames = nnames;
	s.found = xcalloc(nnames, sizeof(*s.found));
	buf_init(&s.file);
	index_names(&s);
	for (i = 0; i < ndirs && nnames > 0; i++)
		walk(&s, dirs[i]);
	for (i = 0; i < nnames; i++) {
		struct found *f = &s.found[i];
		struct buf loc = BUF_INIT;

		if (f->n > 1)
			qsort(f->v, f->n, sizeof(*f->v), cmp_hit);
		out[i].n = f->n;
		out[i].loc = xcalloc(f->n, sizeof(char *));
		out[i].text = xcalloc(f->n, sizeof(char *));
		for (j = 0; j < f->n; j++) {
			buf_addf(&loc, "%s:%ld", f->v[j].path, f->v[j].line);
			out[i].loc[j] = buf_detach(&loc, NULL);
			out[i].text[j] = f->v[j].text;
			free(f->v[j].path);
		}
		free(f->v);
	}
	buf_release(&s.file);
	free(s.found);
	free(s.slot);
	free(s.odd);
}

void
hits_release(struct hits *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		free(h->loc[i]);
		free(h->text[i]);
	}
	free(h->loc);
	free(h->text);
	h->loc = h->text = NULL;
	h->n = 0;
}
