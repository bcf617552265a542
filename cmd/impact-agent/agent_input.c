/*
 * agent_input: the model's first message, a digest of the review.  Each
 * change comes with what the rules found and the evidence in numbers;
 * object definitions (`before`/`after`) and long evidence lists are left
 * to the tools, so that a diff of hundreds of changes still fits.  When
 * even the digest is too long, the last changes are left out and the
 * message says how many, which get_change() can still read.
 */
#include <stdlib.h>
#include <string.h>

#include "agent_impl.h"
#include "json.h"
#include "xalloc.h"

static void
copy(cJSON *to, const cJSON *from, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, name);

	if (v)
		cJSON_AddItemToObject(to, name, cJSON_Duplicate(v, 1));
}

static cJSON *
digest_change(const cJSON *ch)
{
	static const char *const same[] = { "id", "object_kind", "object",
	    "table", "op", "renamed_from", "attributes", "forward_sql",
	    "rollback_sql", "rollback_restores_data", NULL };
	static const char *const numbers[] = { "table_rows", "table_bytes",
	    "index_scans", NULL };
	static const char *const assess[] = { "severity", "lock", "blocks",
	    "rewrite", "estimated_seconds", "rollback", "owners", NULL };
	const cJSON *ev = json_obj(ch, "evidence"), *as, *f;
	cJSON *d = cJSON_CreateObject(), *e, *a, *fs;

	for (size_t i = 0; same[i]; i++)
		copy(d, ch, same[i]);
	e = cJSON_AddObjectToObject(d, "evidence");
	for (size_t i = 0; numbers[i]; i++)
		copy(e, ev, numbers[i]);
	cJSON_AddNumberToObject(e, "dependents",
	    cJSON_GetArraySize(json_arr(ev, "dependents")));
	cJSON_AddNumberToObject(e, "queries",
	    cJSON_GetArraySize(json_arr(ev, "queries")));
	as = json_obj(ch, "assessment");
	a = cJSON_AddObjectToObject(d, "assessment");
	for (size_t i = 0; assess[i]; i++)
		copy(a, as, assess[i]);
	fs = cJSON_AddArrayToObject(a, "findings");
	cJSON_ArrayForEach(f, json_arr(as, "findings")) {
		cJSON *g = cJSON_CreateObject();

		copy(g, f, "rule");
		copy(g, f, "severity");
		copy(g, f, "message");
		cJSON_AddItemToArray(fs, g);
	}
	return d;
}

char *
agent_input(const cJSON *review)
{
	static const char *const top[] = { "pair", "fingerprint", NULL };
	const cJSON *ch, *src;
	cJSON *d = cJSON_CreateObject(), *changes, *s;
	struct buf b = BUF_INIT;
	char *data;

	for (size_t i = 0; top[i]; i++)
		copy(d, review, top[i]);
	src = json_obj(review, "from");
	s = cJSON_AddObjectToObject(d, "prod");
	copy(s, src, "label");
	copy(s, src, "database");
	copy(s, src, "server_version");
	src = json_obj(review, "to");
	s = cJSON_AddObjectToObject(d, "staging");
	copy(s, src, "label");
	copy(s, src, "database");
	copy(d, review, "summary");
	cJSON_DeleteItemFromObjectCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(d, "summary"), "narrative");
	changes = cJSON_AddArrayToObject(d, "changes");
	cJSON_ArrayForEach(ch, json_arr(review, "changes"))
		cJSON_AddItemToArray(changes, digest_change(ch));
	agent_fit_array(d, "changes", AGENT_INPUT_MAX);
	data = agent_data_block(d, AGENT_INPUT_MAX + 1024);
	buf_addstr(&b, "Review this migration.  The rules' review follows "
	    "as data: the changes that bring prod to staging's schema, the "
	    "evidence, and the rules' findings.  Investigate with the tools, "
	    "then call submit_review.\n\n");
	buf_addstr(&b, data);
	free(data);
	cJSON_Delete(d);
	return buf_detach(&b, NULL);
}
