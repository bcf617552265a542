/*
 * result: the "confluence" member a successful run adds to the review,
 * and the marker that says which drift a page shows.
 */
#include <stdlib.h>
#include <time.h>

#include "buf.h"
#include "json.h"
#include "post.h"

char *
post_marker(const struct page_in *pg)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "%s %s", pg->pair, pg->fingerprint);
	return buf_detach(&b, NULL);
}

void
post_result_attach(const struct post_result *res, cJSON *review)
{
	cJSON *c = cJSON_CreateObject();
	char when[32];
	time_t now = time(NULL);
	struct tm tm;

	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ",
	    gmtime_r(&now, &tm));
	json_add_str(c, "id", res->id);
	json_add_str(c, "url", res->url);
	json_add_int64(c, "version", res->version);
	json_add_str(c, "action", res->action);
	json_add_str(c, "posted_at", when);
	cJSON_DeleteItemFromObjectCaseSensitive(review, "confluence");
	cJSON_AddItemToObject(review, "confluence", c);
}

void
post_result_release(struct post_result *res)
{
	free(res->id);
	free(res->url);
	res->id = res->url = NULL;
}
