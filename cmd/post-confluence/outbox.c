/*
 * outbox: publish to a directory instead of Confluence (DRIFT_OUTBOX),
 * for a dry run, a demo, or a site reached by other means.  For a pair:
 *
 *   PAIR.storage.xml      the page body in storage format
 *   PAIR.html             the preview: page.html, else preview_html()
 *   PAIR.confluence.json  what was written: pair, fingerprint, version
 *
 * The same rule as on a site: a fingerprint already written leaves the
 * files alone ("unchanged"); a new one writes them as the next version.
 * Each file is replaced atomically and the record is written last, so an
 * interrupted run is redone in full by the next.
 */
#define _DEFAULT_SOURCE
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "buf.h"
#include "doc.h"
#include "json.h"
#include "post.h"
#include "preview.h"
#include "xalloc.h"

static char *
path_of(const char *dir, const char *pair, const char *suffix)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "%s/%s%s", dir, pair, suffix);
	return buf_detach(&b, NULL);
}

/* file:// URL of `path`, percent-encoded but for '/'. */
static char *
file_url(const char *path)
{
	struct buf b = BUF_INIT;

	buf_addstr(&b, "file://");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/-_.~", *p))
			buf_addch(&b, *p);
		else
			buf_addf(&b, "%%%02X", *p);
	return buf_detach(&b, NULL);
}

/* The version last written for this fingerprint, 0 if none; *last the
 * version last written at all. */
static int64_t
read_record(const char *path, const struct page_in *pg, int64_t *last)
{
	struct doc d;
	const char *pair, *fp;
	int64_t version;

	*last = 0;
	if (access(path, F_OK) != 0)
		return 0;
	doc_read_any(&d, path);
	pair = doc_opt_str(&d, d.root, "top level", "pair");
	fp = doc_opt_str(&d, d.root, "top level", "fingerprint");
	version = doc_opt_int(&d, d.root, "top level", "version", 0);
	*last = version;
	if (!pair || !fp || strcmp(pair, pg->pair) != 0 ||
	    strcmp(fp, pg->fingerprint) != 0)
		version = 0;
	doc_release(&d);
	return version;
}

void
outbox_publish(const struct post_config *cfg, const struct page_in *pg,
    struct post_result *res)
{
	char *storage = path_of(cfg->outbox, pg->pair, ".storage.xml");
	char *html_path = path_of(cfg->outbox, pg->pair, ".html");
	char *record = path_of(cfg->outbox, pg->pair, ".confluence.json");
	char abs[PATH_MAX], *html, *abs_html;
	int64_t same, last;
	cJSON *rec;

	if (mkdir(cfg->outbox, 0777) != 0 && errno != EEXIST)
		err(EX_CANTCREAT, "%s", cfg->outbox);
	if (realpath(cfg->outbox, abs) == NULL)
		err(EX_CANTCREAT, "%s", cfg->outbox);
	abs_html = path_of(abs, pg->pair, ".html");
	res->url = file_url(abs_html);
	res->id = NULL;

	same = read_record(record, pg, &last);
	if (same > 0 && access(storage, F_OK) == 0 &&
	    access(html_path, F_OK) == 0) {
		res->version = same;
		res->action = "unchanged";
		goto out;
	}
	res->version = last + 1;
	res->action = "outbox";
	doc_write_bytes(storage, pg->storage, strlen(pg->storage));
	html = pg->html ? xstrdup(pg->html) : preview_html(pg->title,
	    pg->storage);
	doc_write_bytes(html_path, html, strlen(html));
	free(html);
	rec = cJSON_CreateObject();
	json_add_str(rec, "pair", pg->pair);
	json_add_str(rec, "fingerprint", pg->fingerprint);
	json_add_str(rec, "title", pg->title);
	json_add_int64(rec, "version", res->version);
	json_add_str(rec, "url", res->url);
	doc_write(record, rec, 1);
	cJSON_Delete(rec);
out:
	free(abs_html);
	free(record);
	free(html_path);
	free(storage);
}
