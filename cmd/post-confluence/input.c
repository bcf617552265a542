/*
 * input: the part of a review post-confluence reads.  Everything is
 * checked before the first request, so a document Confluence would refuse
 * (a title over 255 characters, a body over 5 MB) or one whose pair cannot
 * name a file fails with EX_DATAERR and nothing is sent.
 */
#include <err.h>
#include <string.h>
#include <sysexits.h>

#include "doc.h"
#include "post.h"

#define TITLE_MAX	255		/* characters, per space */
#define STORAGE_MAX	5000000		/* bytes; requests over 5 MB fail */

/* Characters, not bytes: UTF-8 continuation bytes are not counted. */
static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* The pair names outbox files, so it must be a plain file-name word. */
static int
is_plain_name(const char *s)
{
	if (*s == '\0' || *s == '.')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
		    *s == '.'))
			return 0;
	return 1;
}

void
page_read(const struct doc *d, struct page_in *pg)
{
	const cJSON *page, *l;
	int i = 0;

	memset(pg, 0, sizeof(*pg));
	pg->pair = doc_need_str(d, d->root, "top level", "pair");
	pg->fingerprint = doc_need_str(d, d->root, "top level", "fingerprint");
	if (!is_plain_name(pg->pair))
		doc_fail(d, ".pair", "\"%s\" is not a name of letters, digits, "
		    "'-', '_' and '.'", pg->pair);
	if (*pg->fingerprint == '\0')
		doc_fail(d, ".fingerprint", "empty fingerprint");
	page = doc_need_obj(d, d->root, "top level", "page");
	pg->title = doc_need_str(d, page, ".page", "title");
	pg->storage = doc_need_str(d, page, ".page", "storage");
	pg->html = doc_opt_str(d, page, ".page", "html");
	pg->space = doc_opt_str(d, page, ".page", "space");
	pg->parent_id = doc_opt_str(d, page, ".page", "parent_id");
	pg->labels = doc_opt_arr(d, page, ".page", "labels");
	if (*pg->title == '\0')
		doc_fail(d, ".page.title", "empty title");
	if (utf8_chars(pg->title) > TITLE_MAX)
		doc_fail(d, ".page.title", "%zu characters; Confluence allows "
		    "%d", utf8_chars(pg->title), TITLE_MAX);
	if (strlen(pg->storage) > STORAGE_MAX)
		doc_fail(d, ".page.storage", "%zu bytes; Confluence refuses "
		    "pages over 5 MB", strlen(pg->storage));
	if (pg->space && *pg->space == '\0')
		pg->space = NULL;
	if (pg->parent_id && *pg->parent_id == '\0')
		pg->parent_id = NULL;
	cJSON_ArrayForEach(l, pg->labels) {
		if (!cJSON_IsString(l) || *l->valuestring == '\0' ||
		    strpbrk(l->valuestring, " \t\r\n") != NULL)
			doc_fail(d, ".page.labels", "item %d is not a label "
			    "(a word without spaces)", i);
		i++;
	}
}
