/*
 * outbox: the tracker operations on local files (see outbox.h).
 */
#define _DEFAULT_SOURCE
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

#include "buf.h"
#include "doc.h"
#include "json.h"
#include "outbox.h"
#include "xalloc.h"

/* The file's contents, or NULL when it does not exist. */
static char *
read_file(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			return NULL;
		err(EX_NOINPUT, "%s", path);
	}
	return doc_slurp(path, NULL);
}

/* Value of header line "name: value" in the head of `text`, or NULL. */
static char *
header(const char *text, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = text; *p && *p != '\n'; ) {
		size_t len = strcspn(p, "\n");

		if (len > n + 1 && strncmp(p, name, n) == 0 && p[n] == ':' &&
		    p[n + 1] == ' ')
			return xstrndup(p + n + 2, len - n - 2);
		p += len;
		if (*p == '\n')
			p++;
	}
	return NULL;
}

static int
ob_find(struct tracker *t, const char *pair, struct issue *is)
{
	struct outbox *o = (struct outbox *)t;
	char *text = read_file(o->path), *state, *labels, *body;
	int open;

	(void)pair;
	if (text == NULL)
		return 0;
	state = header(text, "state");
	open = state != NULL && strcmp(state, "open") == 0;
	free(state);
	body = strstr(text, "\n\n");
	if (!open || body == NULL) {
		free(text);
		return 0;
	}
	is->url = xstrdup(o->url);
	is->body = xstrdup(body + 2);
	is->labels = cJSON_CreateArray();
	if ((labels = header(text, "labels")) != NULL) {
		for (char *l = strtok(labels, ","); l; l = strtok(NULL, ","))
			json_push_str(is->labels, l + strspn(l, " "));
		free(labels);
	}
	free(o->assignees);
	o->assignees = header(text, "assignees");
	free(text);
	return 1;
}

static void
add_list(struct buf *b, const cJSON *arr)
{
	const cJSON *v;
	int first = 1;

	cJSON_ArrayForEach(v, arr) {
		buf_addf(b, "%s%s", first ? "" : ", ", v->valuestring);
		first = 0;
	}
}

static void
write_issue(struct outbox *o, const char *title, const char *state,
    const cJSON *labels, const char *body)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "title: %s\nstate: %s\nlabels: ", title, state);
	add_list(&b, labels);
	if (o->assignees != NULL && *o->assignees != '\0')
		buf_addf(&b, "\nassignees: %s", o->assignees);
	buf_addf(&b, "\n\n%s", body);
	doc_write_bytes(o->path, b.data, b.len);
	buf_release(&b);
}

static void
fill(struct outbox *o, struct issue *is, const struct post *p)
{
	free(is->url);
	free(is->body);
	cJSON_Delete(is->labels);
	is->url = xstrdup(o->url);
	is->body = xstrdup(p->body);
	is->labels = cJSON_Duplicate(p->labels, 1);
}

static void
ob_create(struct tracker *t, const struct post *p, struct issue *is)
{
	struct outbox *o = (struct outbox *)t;
	struct buf b = BUF_INIT;

	add_list(&b, p->assignees);
	free(o->assignees);
	o->assignees = buf_detach(&b, NULL);
	write_issue(o, p->title, "open", p->labels, p->body);
	fill(o, is, p);
}

static void
ob_update(struct tracker *t, struct issue *is, const struct post *p)
{
	struct outbox *o = (struct outbox *)t;

	write_issue(o, p->title, "open", p->labels, p->body);
	fill(o, is, p);
}

static void
ob_close(struct tracker *t, struct issue *is)
{
	struct outbox *o = (struct outbox *)t;
	char *text = read_file(o->path), *title;

	if (text == NULL)
		errx(EX_SOFTWARE, "%s: vanished while in use", o->path);
	title = header(text, "title");
	write_issue(o, title ? title : "", "closed", is->labels, is->body);
	free(title);
	free(text);
}

static void
ob_comment(struct tracker *t, struct issue *is, const char *marker,
    const char *text)
{
	struct outbox *o = (struct outbox *)t;
	char *old = read_file(o->comments);
	struct buf b = BUF_INIT;

	(void)is;
	if (old != NULL && strstr(old, marker) != NULL) {
		free(old);
		return;
	}
	if (old != NULL && *old != '\0')
		buf_addf(&b, "%s\n---\n\n", old);
	buf_addstr(&b, text);
	doc_write_bytes(o->comments, b.data, b.len);
	buf_release(&b);
	free(old);
}

void
outbox_init(struct outbox *o, const char *dir, const char *pair)
{
	char real[PATH_MAX];
	struct buf b = BUF_INIT;

	memset(o, 0, sizeof(*o));
	o->t.find = ob_find;
	o->t.create = ob_create;
	o->t.update = ob_update;
	o->t.comment = ob_comment;
	o->t.close = ob_close;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		err(EX_CANTCREAT, "DRIFT_OUTBOX: %s", dir);
	if (realpath(dir, real) == NULL)
		err(EX_CANTCREAT, "DRIFT_OUTBOX: %s", dir);
	buf_addf(&b, "%s/%s.issue.md", real, pair);
	o->path = buf_detach(&b, NULL);
	buf_addf(&b, "%s/%s.comments.md", real, pair);
	o->comments = buf_detach(&b, NULL);
	buf_addf(&b, "file://%s", o->path);
	o->url = buf_detach(&b, NULL);
}

void
outbox_release(struct outbox *o)
{
	free(o->path);
	free(o->comments);
	free(o->url);
	free(o->assignees);
	memset(o, 0, sizeof(*o));
}
