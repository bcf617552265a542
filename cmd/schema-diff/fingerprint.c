/*
 * fingerprint.c: the diff's fingerprint, "sha256:" and the hash of the
 * canonical JSON of [[id, attributes], ...] sorted by id, each change's
 * attributes sorted by name.  Evidence, statistics, timestamps, source
 * labels and the order of the snapshot arrays are not part of it, so the
 * same drift always hashes the same.  Call before change_json(), which
 * takes the attributes away.
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "json.h"
#include "sha256.h"
#include "xalloc.h"

static int
cmp_attr(const cJSON *a, const cJSON *b)
{
	return json_cmp_member(a, b, "name");
}

static int
cmp_pair(const cJSON *a, const cJSON *b)
{
	return strcmp(cJSON_GetArrayItem(a, 0)->valuestring,
	    cJSON_GetArrayItem(b, 0)->valuestring);
}

static int
cmp_key(const cJSON *a, const cJSON *b)
{
	return strcmp(a->string ? a->string : "", b->string ? b->string : "");
}

/* Members of every object in key order, so producers' order is moot. */
static void
sort_keys(cJSON *v)
{
	cJSON *it;

	if (cJSON_IsObject(v))
		json_sort_array(v, cmp_key);
	for (it = v->child; it; it = it->next)
		sort_keys(it);
}

char *
fingerprint(const struct changes *l)
{
	cJSON *all = cJSON_CreateArray();
	struct sha256 h;
	char hex[65], *text;
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < l->n; i++) {
		cJSON *pair = cJSON_CreateArray();
		cJSON *attrs = cJSON_Duplicate(l->v[i]->attrs, 1);
		char *id = change_id(l->v[i]);

		json_sort_array(attrs, cmp_attr);
		json_push_str(pair, id);
		cJSON_AddItemToArray(pair, attrs);
		cJSON_AddItemToArray(all, pair);
		free(id);
	}
	json_sort_array(all, cmp_pair);
	sort_keys(all);
	text = json_print(all, 0);
	sha256_init(&h);
	sha256_update(&h, text, strlen(text));
	sha256_hex(&h, hex);
	buf_addf(&b, "sha256:%s", hex);
	free(text);
	cJSON_Delete(all);
	return buf_detach(&b, NULL);
}
