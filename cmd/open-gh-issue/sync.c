/*
 * sync: deciding what to do with the pair's issue (see sync.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compose.h"
#include "json.h"
#include "marker.h"
#include "sync.h"

void
issue_release(struct issue *is)
{
	free(is->url);
	free(is->body);
	cJSON_Delete(is->labels);
	memset(is, 0, sizeof(*is));
}

const char *
sync_action_name(enum sync_action a)
{
	switch (a) {
	case SYNC_CREATED:	return "created";
	case SYNC_UPDATED:	return "updated";
	case SYNC_CLOSED:	return "closed";
	default:		return "unchanged";
	}
}

int
label_in(const cJSON *labels, const char *name)
{
	const cJSON *l;

	cJSON_ArrayForEach(l, labels)
		if (cJSON_IsString(l) && strcasecmp(l->valuestring, name) == 0)
			return 1;
	return 0;
}

static void
add_label(cJSON *labels, const char *name)
{
	if (!label_in(labels, name))
		json_push_str(labels, name);
}

/*
 * The labels to set: what the issue has (people's own labels stay) less
 * any earlier risk level, plus ours.
 */
static cJSON *
labels_for(const struct review *r, const struct sync_opts *o,
    const cJSON *current)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *l;
	char risk[32];

	cJSON_ArrayForEach(l, current)
		if (cJSON_IsString(l) &&
		    strncasecmp(l->valuestring, "risk-", 5) != 0)
			add_label(out, l->valuestring);
	cJSON_ArrayForEach(l, o->labels)
		add_label(out, l->valuestring);
	snprintf(risk, sizeof(risk), "risk-%s", r->risk);
	add_label(out, risk);
	return out;
}

static void
post_init(struct post *p, const struct review *r, const struct sync_opts *o,
    const cJSON *current_labels)
{
	p->pair = r->pair;
	p->fingerprint = r->fingerprint;
	p->title = compose_title(r);
	p->body = compose_body(r, o->full);
	p->labels = labels_for(r, o, current_labels);
	p->assignees = (cJSON *)o->assignees;
}

static void
post_release(struct post *p)
{
	free(p->title);
	free(p->body);
	cJSON_Delete(p->labels);
}

enum sync_action
sync_issue(struct tracker *t, const struct review *r,
    const struct sync_opts *o, struct issue *is)
{
	struct post p;
	struct marker m;
	char *text, *mark;
	int same;

	memset(is, 0, sizeof(*is));
	if (!t->find(t, r->pair, is)) {
		if (r->nchanges == 0)
			return SYNC_NONE;
		post_init(&p, r, o, NULL);
		t->create(t, &p, is);
		post_release(&p);
		return SYNC_CREATED;
	}
	if (r->nchanges == 0) {
		mark = compose_comment_marker("resolved", r->fingerprint);
		text = compose_resolved(r);
		t->comment(t, is, mark, text);
		t->close(t, is);
		free(text);
		free(mark);
		return SYNC_CLOSED;
	}
	marker_parse(&m, is->body);
	same = m.fingerprint && strcmp(m.fingerprint, r->fingerprint) == 0;
	marker_release(&m);
	if (same)
		return SYNC_UNCHANGED;
	mark = compose_comment_marker("changed", r->fingerprint);
	text = compose_changed(r, is->body);
	t->comment(t, is, mark, text);
	post_init(&p, r, o, is->labels);
	t->update(t, is, &p);
	post_release(&p);
	free(text);
	free(mark);
	return SYNC_UPDATED;
}
