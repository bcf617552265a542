/*
 * publish: the create-or-update algorithm, the same for both APIs.
 *
 *  1. Check the credentials and the space.
 *  2. Find the page by exact title in the space.  None: create it.
 *  3. Found, and its marker is this pair's fingerprint: leave it alone
 *     (no new version, no notification to watchers).
 *  4. Otherwise write version current + 1.  A 409 means someone wrote a
 *     version in between: read it again and retry once.
 *  5. A create refused because the title is taken (an earlier or a
 *     concurrent run), or left without an answer, is followed by a new
 *     lookup, never by a blind second create: one pair, one page.
 *  6. Labels the page lacks are added, then the marker is recorded (v2),
 *     so a run cut short anywhere is finished by the next one.
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "die.h"
#include "json.h"
#include "remote.h"
#include "xalloc.h"

static const char *
update_page(struct site *s, const struct remote_ops *ops,
    const struct page_in *pg, struct remote_page *p, const char *marker)
{
	for (int attempt = 0; ; attempt++) {
		if (p->marker && strcmp(p->marker, marker) == 0)
			return "unchanged";
		if (ops->update(s, pg, p) == REMOTE_DONE)
			return "updated";
		if (attempt == 1)
			errx(EX_TEMPFAIL, "confluence: page %s got a new "
			    "version again while being updated; try again "
			    "later", p->id);
		progress("page %s changed meanwhile; reading it again", p->id);
		ops->reread(s, p);
	}
}

static const char *
create_page(struct site *s, const struct remote_ops *ops,
    const struct page_in *pg, struct remote_page *p, const char *marker)
{
	enum remote_write w = ops->create(s, pg, p);

	if (w == REMOTE_DONE)
		return "created";
	if (ops->find(s, pg, p)) {
		/* Our create landed though its answer was lost. */
		if (w == REMOTE_UNKNOWN && p->version == 1 &&
		    (p->marker == NULL || strcmp(p->marker, marker) == 0))
			return "created";
		return update_page(s, ops, pg, p, marker);
	}
	if (w == REMOTE_TITLE_TAKEN)
		errx(EX_SOFTWARE, "confluence: the title \"%s\" is taken in "
		    "space \"%s\" by a page that cannot be found (archived, "
		    "in the trash or restricted)", pg->title, s->cfg->space);
	/* It did not land: this one more create is safe. */
	w = ops->create(s, pg, p);
	if (w != REMOTE_DONE)
		errx(w == REMOTE_UNKNOWN ? EX_UNAVAILABLE : EX_SOFTWARE,
		    "confluence: creating page \"%s\" in space \"%s\" failed "
		    "twice; nothing was published", pg->title, s->cfg->space);
	return "created";
}

/* Add the labels of the page that it lacks; a failure only warns. */
static void
add_labels(struct site *s, const struct remote_ops *ops,
    const struct page_in *pg, const struct remote_page *p)
{
	cJSON *have, *missing;
	const cJSON *want, *h;
	int seen;

	if (cJSON_GetArraySize(pg->labels) == 0)
		return;
	if ((have = ops->labels(s, p)) == NULL) {
		warnx("confluence: cannot read the labels of page %s; labels "
		    "not added", p->id);
		return;
	}
	missing = cJSON_CreateArray();
	cJSON_ArrayForEach(want, pg->labels) {
		seen = 0;
		/* Confluence keeps label names in lower case. */
		cJSON_ArrayForEach(h, have)
			if (strcasecmp(h->valuestring, want->valuestring) == 0)
				seen = 1;
		if (!seen)
			json_push_str(missing, want->valuestring);
	}
	if (cJSON_GetArraySize(missing) > 0)
		v1_add_labels(s, p, missing);
	cJSON_Delete(missing);
	cJSON_Delete(have);
}

void
publish(const struct post_config *cfg, const struct page_in *pg,
    struct post_result *res)
{
	const struct remote_ops *ops = cfg->api == API_V2 ? &remote_v2 :
	    &remote_v1;
	struct remote_page p = { 0 };
	char *marker = post_marker(pg);
	const char *action;
	struct site s;

	site_open(&s, cfg);
	ops->prepare(&s);
	if (ops->find(&s, pg, &p))
		action = update_page(&s, ops, pg, &p, marker);
	else
		action = create_page(&s, ops, pg, &p, marker);
	add_labels(&s, ops, pg, &p);
	if (strcmp(action, "unchanged") != 0 && ops->mark)
		ops->mark(&s, pg, &p);
	progress("page %s %s, version %lld", p.id, action,
	    (long long)p.version);

	res->id = xstrdup(p.id);
	res->url = xstrdup(p.url);
	res->version = p.version;
	res->action = action;
	remote_page_release(&p);
	site_close(&s);
	free(marker);
}
