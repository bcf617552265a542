/*
 * assess: the pass over a diff's changes.  Reading and checking the
 * members of each change, the --app-dir search for dropped and renamed
 * names, running the rules for the change's kind, and writing its
 * `assessment` all happen here; what each rule says is in the rule files.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "appcode.h"
#include "assess.h"
#include "die.h"
#include "json.h"
#include "review.h"
#include "xalloc.h"

const cJSON *
attr_get(const struct change *c, const char *name)
{
	const cJSON *a;

	cJSON_ArrayForEach(a, c->attrs) {
		const char *n = json_str(a, "name");

		if (n && strcmp(n, name) == 0)
			return a;
	}
	return NULL;
}

const char *
attr_str(const cJSON *attr, const char *side)
{
	return attr ? json_str(attr, side) : NULL;
}

/* A number member of the evidence, or -1 when absent or null. */
static int64_t
ev_int(const cJSON *ev, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(ev, name);

	return cJSON_IsNumber(v) || cJSON_IsRaw(v) ? json_int64(v) : -1;
}

/*
 * pg_stat_statements also records the DDL that built the schema
 * (CREATE TABLE users (... nickname ...)); those are not readers of the
 * object, so only statements that read or write data count as use.
 */
static int
is_ddl(const char *q)
{
	static const char *const verbs[] = {
		"CREATE", "ALTER", "DROP", "COMMENT", "GRANT", "REVOKE",
		"TRUNCATE", "VACUUM", "ANALYZE", "REINDEX", "CLUSTER", "SET",
		"RESET", "SHOW", NULL
	};
	size_t n;
	int i;

	while (isspace((unsigned char)*q))
		q++;
	for (i = 0; verbs[i]; i++) {
		n = strlen(verbs[i]);
		if (strncasecmp(q, verbs[i], n) == 0 &&
		    !isalnum((unsigned char)q[n]) && q[n] != '_')
			return 1;
	}
	return 0;
}

static cJSON *
data_queries(const cJSON *queries)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *q;

	cJSON_ArrayForEach(q, queries) {
		const char *text = json_str(q, "query");

		if (text && !is_ddl(text))
			cJSON_AddItemToArray(out, cJSON_Duplicate(q, 1));
	}
	return out;
}

static void
change_read(const struct doc *d, cJSON *json, size_t i, struct change *c)
{
	char where[48];
	const cJSON *v;

	snprintf(where, sizeof(where), ".changes[%zu]", i);
	memset(c, 0, sizeof(*c));
	c->json = json;
	c->id = doc_need_str(d, json, where, "id");
	c->kind = doc_need_str(d, json, where, "object_kind");
	c->object = doc_need_str(d, json, where, "object");
	c->op = doc_need_str(d, json, where, "op");
	c->table = doc_opt_str(d, json, where, "table");
	c->renamed_from = doc_opt_str(d, json, where, "renamed_from");
	c->before = doc_opt_obj(d, json, where, "before");
	c->after = doc_opt_obj(d, json, where, "after");
	c->attrs = doc_opt_arr(d, json, where, "attributes");
	c->fwd = doc_opt_arr(d, json, where, "forward_sql");
	c->rb = doc_opt_arr(d, json, where, "rollback_sql");
	c->evidence = doc_opt_obj(d, json, where, "evidence");
	c->own_queries = data_queries(json_arr(c->evidence, "queries"));
	c->queries = c->own_queries;
	c->dependents = json_arr(c->evidence, "dependents");
	c->rows = ev_int(c->evidence, "table_rows");
	c->bytes = ev_int(c->evidence, "table_bytes");
	c->index_scans = ev_int(c->evidence, "index_scans");
	cJSON_ArrayForEach(v, c->fwd)
		if (!cJSON_IsString(v))
			doc_fail(d, where, "forward_sql holds a %s, not a "
			    "string", json_type_name(v));
	c->findings = cJSON_CreateArray();
}

static void
change_release(struct change *c)
{
	cJSON_Delete(c->findings);
	cJSON_Delete(c->own_queries);
	free(c->risk_notes);
	free(c->alternative);
	free(c->app_name);
}

/* The name application code would use for a dropped or renamed object. */
static char *
app_name(const struct change *c)
{
	const char *name = c->object;
	int func = strcmp(c->kind, "function") == 0;

	if (strcmp(c->op, "rename") == 0 && c->renamed_from)
		name = c->renamed_from;
	else if (strcmp(c->op, "drop") != 0)
		return NULL;
	if (func)
		return bare_func(name);
	if (strcmp(c->kind, "column") == 0 || strcmp(c->kind, "table") == 0 ||
	    strcmp(c->kind, "view") == 0 ||
	    strcmp(c->kind, "materialized_view") == 0)
		return bare_name(name);
	return NULL;
}

static void
search_apps(struct change *cs, size_t n, const struct review_opts *o,
    struct hits **hitsp, size_t *nnamesp)
{
	char **names = xcalloc(n, sizeof(char *));
	size_t nnames = 0, i, j;
	struct hits *hits;

	for (i = 0; i < n; i++) {
		if ((cs[i].app_name = app_name(&cs[i])) == NULL)
			continue;
		for (j = 0; j < nnames; j++)
			if (strcmp(names[j], cs[i].app_name) == 0)
				break;
		if (j == nnames)
			names[nnames++] = cs[i].app_name;
	}
	hits = xcalloc(nnames ? nnames : 1, sizeof(*hits));
	app_search(o->app_dirs, o->napp_dirs, names, nnames, hits);
	for (i = 0; i < n; i++) {
		if (cs[i].app_name == NULL)
			continue;
		for (j = 0; j < nnames; j++)
			if (strcmp(names[j], cs[i].app_name) == 0 &&
			    hits[j].n > 0)
				cs[i].app = &hits[j];
	}
	free(names);
	*hitsp = hits;
	*nnamesp = nnames;
}

static void
run_rules(struct change *c)
{
	static const struct {
		const char	*kind;
		void		(*fn)(struct change *);
	} kinds[] = {
		{ "column", rules_column }, { "table", rules_table },
		{ "schema", rules_schema }, { "constraint", rules_constraint },
		{ "index", rules_index }, { "type", rules_type },
		{ "view", rules_view }, { "materialized_view", rules_view },
		{ "function", rules_function }, { "trigger", rules_trigger },
		{ "policy", rules_policy }, { "grant", rules_grant },
		{ "sequence", rules_sequence },
		{ "extension", rules_extension },
		{ NULL, NULL }
	};
	int i;

	locks_assess(c);
	for (i = 0; kinds[i].kind; i++)
		if (strcmp(c->kind, kinds[i].kind) == 0)
			kinds[i].fn(c);
	rules_owner(c);
	rules_comment(c);
	if (c->risk_notes == NULL) {
		if (strcmp(c->op, "add") == 0)
			set_risk(c, RISK_SAFE, "Dropping what was added "
			    "restores prod.");
		else
			set_risk(c, RISK_SAFE, "The rollback SQL restores the "
			    "prod definition; no data is involved.");
	}
	rules_crosscut(c);
	findings_finish(c);
}

/* Names a change's owners are looked up by: the object, its table, and
 * the object inside a grant or comment id ("table:public.users:role"). */
static void
owner_keys(const struct change *c, const char **keys, char **tmp)
{
	const char *colon = strchr(c->object, ':');

	keys[0] = c->object;
	keys[1] = c->table;
	keys[2] = NULL;
	*tmp = NULL;
	if (colon && (strcmp(c->kind, "grant") == 0 ||
	    strcmp(c->kind, "comment") == 0)) {
		const char *end = strchr(colon + 1, ':');

		*tmp = end ? xstrndup(colon + 1, (size_t)(end - colon - 1)) :
		    xstrdup(colon + 1);
		keys[2] = *tmp;
	}
}

static void
add_owners(const struct change *c, const struct owners *o, cJSON *assess,
    cJSON *all)
{
	const struct owner_rule *r;
	const char *keys[3];
	cJSON *arr = cJSON_CreateArray();
	char *tmp;
	size_t i;

	owner_keys(c, keys, &tmp);
	if ((r = owners_match(o, keys, 3)) != NULL) {
		for (i = 0; i < r->n; i++) {
			json_push_str(arr, r->owners[i]);
			if (json_str_index(all, r->owners[i]) < 0)
				json_push_str(all, r->owners[i]);
		}
	}
	cJSON_AddItemToObject(assess, "owners", arr);
	free(tmp);
}

static void
add_assessment(struct change *c, const struct owners *o, cJSON *all)
{
	cJSON *a = cJSON_CreateObject(), *rb = cJSON_CreateObject();

	json_add_str(a, "severity", sev_name(c->sev));
	json_add_str(a, "lock", lock_name(c->lock));
	json_add_str(a, "blocks", blocks_name(c->blocks));
	json_add_str(a, "rewrite", work_name(c->work));
	if (c->seconds >= 0)
		json_add_int64(a, "estimated_seconds", c->seconds);
	else
		json_add_null(a, "estimated_seconds");
	cJSON_AddItemToObject(a, "findings", c->findings);
	json_add_str(rb, "risk", risk_name(c->risk));
	cJSON_AddItemToObject(rb, "sql", c->rb ? cJSON_Duplicate(c->rb, 1) :
	    cJSON_CreateArray());
	json_add_str(rb, "notes", c->risk_notes);
	cJSON_AddItemToObject(a, "rollback", rb);
	json_add_str(a, "safer_alternative", c->alternative);
	add_owners(c, o, a, all);
	cJSON_DeleteItemFromObjectCaseSensitive(c->json, "assessment");
	cJSON_AddItemToObject(c->json, "assessment", a);
	/* The findings now live in the review; keep a view for the summary. */
	c->findings = cJSON_CreateArrayReference(
	    json_arr(a, "findings")->child);
}

static int
cmp_str(const cJSON *a, const cJSON *b)
{
	return strcmp(a->valuestring, b->valuestring);
}

static void
add_agent(cJSON *review)
{
	cJSON *agent = cJSON_CreateObject();
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	json_add_str(agent, "mode", "rules");
	json_add_str(agent, "rules_version", "1");
	json_add_null(agent, "provider");
	json_add_null(agent, "model");
	json_add_int64(agent, "turns", 0);
	json_add_int64(agent, "input_tokens", 0);
	json_add_int64(agent, "output_tokens", 0);
	json_add_null(agent, "llm_error");
	cJSON_DeleteItemFromObjectCaseSensitive(review, "agent");
	cJSON_AddItemToObject(review, "agent", agent);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	cJSON_DeleteItemFromObjectCaseSensitive(review, "reviewed_at");
	json_add_str(review, "reviewed_at", stamp);
}

cJSON *
review_build(const struct doc *diff, const struct review_opts *o)
{
	cJSON *review = cJSON_Duplicate(diff->root, 1);
	cJSON *changes, *it, *next, *ignored = cJSON_CreateArray();
	cJSON *owners = cJSON_CreateArray(), *summary;
	struct change *cs;
	struct hits *hits = NULL;
	size_t n = 0, i, nnames = 0;
	char *text;

	doc_need_arr(diff, diff->root, "diff", "changes");
	cJSON_ReplaceItemInObjectCaseSensitive(review, "kind",
	    cJSON_CreateString("review"));
	changes = cJSON_GetObjectItemCaseSensitive(review, "changes");
	cs = xcalloc((size_t)cJSON_GetArraySize(changes) + 1, sizeof(*cs));
	for (it = changes->child, i = 0; it; it = next, i++) {
		next = it->next;
		change_read(diff, it, i, &cs[n]);
		if (config_ignored(&o->cfg, cs[n].object, cs[n].table)) {
			json_push_str(ignored, cs[n].id);
			change_release(&cs[n]);
			cJSON_DetachItemViaPointer(changes, it);
			cJSON_Delete(it);
			continue;
		}
		cs[n].cfg = &o->cfg;
		cs[n].all = cs;
		n++;
	}
	for (i = 0; i < n; i++)
		cs[i].nall = n;
	if (o->napp_dirs > 0)
		search_apps(cs, n, o, &hits, &nnames);
	for (i = 0; i < n; i++) {
		progress("%zu/%zu changes", i + 1, n);
		run_rules(&cs[i]);
		add_assessment(&cs[i], &o->owners, owners);
	}
	json_sort_array(owners, cmp_str);
	json_sort_array(ignored, cmp_str);

	summary = cJSON_GetObjectItemCaseSensitive(review, "summary");
	if (!cJSON_IsObject(summary)) {
		cJSON_DeleteItemFromObjectCaseSensitive(review, "summary");
		summary = cJSON_CreateObject();
		cJSON_AddItemToObject(review, "summary", summary);
	}
	cJSON_DeleteItemFromObjectCaseSensitive(review, "owners");
	cJSON_AddItemToObject(review, "owners", owners);
	cJSON_DeleteItemFromObjectCaseSensitive(review, "ignored");
	cJSON_AddItemToObject(review, "ignored", ignored);
	summary_fill(summary, cs, n, (size_t)cJSON_GetArraySize(ignored));
	text = narrative_write(review, cs, n);
	cJSON_DeleteItemFromObjectCaseSensitive(summary, "narrative");
	json_add_str(summary, "narrative", text);
	free(text);
	add_agent(review);

	for (i = 0; i < n; i++)
		change_release(&cs[i]);
	for (i = 0; i < nnames; i++)
		hits_release(&hits[i]);
	free(hits);
	free(cs);
	return review;
}
