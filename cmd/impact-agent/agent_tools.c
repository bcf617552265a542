/*
 * agent_tools: the read-only tools the model may call, over the review in
 * hand (which carries the diff's changes, definitions and prod evidence)
 * and the --app-dir trees.  Nothing here runs SQL or reaches a network.
 *
 * Arguments come from the model and are checked like any input; a bad
 * call is answered with an error text the model can act on, never by
 * ending the pass.  Results are JSON between <untrusted-data> markers,
 * lists cut to fit AGENT_TOOL_MAX bytes with the number left out.
 *
 * Names are matched leniently, as a reader would: "users", "public.users"
 * and public."Users" without quotes, case folded, all name public.users;
 * "users.email" names the column.  Only changed objects are in the
 * documents, so an unchanged object is "not found" and the tool says so.
 */
#define _DEFAULT_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent_impl.h"
#include "json.h"
#include "xalloc.h"

static const char tool_defs[] =
"[{\"name\":\"get_change\","
"\"description\":\"The full change with this id: before/after definitions, "
"SQL, evidence and the rules' assessment.\","
"\"parameters\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":"
"\"string\",\"description\":\"a change id, e.g. column:public.users.email:drop"
"\"}},\"required\":[\"id\"],\"additionalProperties\":false}},"
"{\"name\":\"get_object\","
"\"description\":\"Before (prod) and after (staging) definitions of a "
"changed object, and of the changed parts of a table.\","
"\"parameters\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":"
"\"string\",\"description\":\"qualified or bare name: public.users, "
"users.email\"}},\"required\":[\"name\"],\"additionalProperties\":false}},"
"{\"name\":\"find_dependents\","
"\"description\":\"Views, functions, triggers, constraints and other "
"objects that depend on or mention this object.\","
"\"parameters\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":"
"\"string\"}},\"required\":[\"name\"],\"additionalProperties\":false}},"
"{\"name\":\"find_queries\","
"\"description\":\"Prod queries (pg_stat_statements) whose text contains "
"this text, case-insensitive, busiest first.\","
"\"parameters\":{\"type\":\"object\",\"properties\":{\"pattern\":{\"type\":"
"\"string\"}},\"required\":[\"pattern\"],\"additionalProperties\":false}},"
"{\"name\":\"get_table_stats\","
"\"description\":\"Rows, bytes, scans and index usage of a table in prod.\","
"\"parameters\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":"
"\"string\"}},\"required\":[\"name\"],\"additionalProperties\":false}}]";

static const char app_def[] =
"{\"name\":\"search_app_code\","
"\"description\":\"Lines of the application source that mention a word "
"(identifier match, case-insensitive) or match an extended regular "
"expression.\","
"\"parameters\":{\"type\":\"object\",\"properties\":{\"pattern\":{\"type\":"
"\"string\"},\"regex\":{\"type\":\"boolean\",\"description\":\"false: "
"pattern is a word\"}},\"required\":[\"pattern\",\"regex\"],"
"\"additionalProperties\":false}}";

cJSON *
agent_tool_defs(int have_app_dirs)
{
	cJSON *defs = cJSON_Parse(tool_defs), *submit;

	if (defs == NULL)
		abort();	/* the text above is valid JSON */
	if (have_app_dirs)
		cJSON_AddItemToArray(defs, cJSON_Parse(app_def));
	submit = cJSON_CreateObject();
	cJSON_AddStringToObject(submit, "name", AGENT_SUBMIT);
	cJSON_AddStringToObject(submit, "description", "Submit the final "
	    "review: reasoning per change, extra findings, severity raises "
	    "and the narrative.  Call it once, at the end.");
	cJSON_AddItemToObject(submit, "parameters", agent_answer_schema());
	cJSON_AddItemToArray(defs, submit);
	return defs;
}

/* `s` without double quotes, lower case; caller frees. */
static char *
fold(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	for (; *s; s++)
		if (*s != '"')
			*o++ = (char)tolower((unsigned char)*s);
	*o = '\0';
	return out;
}

/* Does qualified name `obj` answer to `name` (see the file comment)? */
static int
name_is(const char *obj, const char *name)
{
	char *o, *n;
	size_t lo, ln;
	int yes;

	if (obj == NULL || *name == '\0')
		return 0;
	o = fold(obj);
	n = fold(name);
	lo = strlen(o);
	ln = strlen(n);
	yes = strcmp(o, n) == 0 ||
	    (lo > ln && o[lo - ln - 1] == '.' && strcmp(o + lo - ln, n) == 0);
	/* A function is named with its arguments: match without them. */
	if (!yes && strchr(o, '(') && !strchr(n, '(')) {
		*strchr(o, '(') = '\0';
		lo = strlen(o);
		yes = strcmp(o, n) == 0 || (lo > ln && o[lo - ln - 1] == '.' &&
		    strcmp(o + lo - ln, n) == 0);
	}
	free(o);
	free(n);
	return yes;
}

/* Does `text` hold the last part of `name` as a whole word? */
static int
mentions(const char *text, const char *name)
{
	const char *dot = strrchr(name, '.');
	char *word = fold(dot ? dot + 1 : name), *t;
	size_t n = strlen(word);
	int yes = 0;

	if (text == NULL || n == 0) {
		free(word);
		return 0;
	}
	t = fold(text);
	for (const char *p = t; !yes && (p = strstr(p, word)) != NULL; p++)
		yes = (p == t || !(isalnum((unsigned char)p[-1]) ||
		    p[-1] == '_')) && !(isalnum((unsigned char)p[n]) ||
		    p[n] == '_');
	free(word);
	free(t);
	return yes;
}

static const char *
arg_str(const cJSON *args, const char *name, struct buf *err)
{
	const char *s = json_str(args, name);

	if (s == NULL || *s == '\0')
		buf_addf(err, "argument \"%s\" must be a non-empty string",
		    name);
	else if (strlen(s) > 300)
		buf_addf(err, "argument \"%s\" is longer than 300 bytes",
		    name);
	else
		return s;
	return NULL;
}

static cJSON *
tool_get_change(const cJSON *review, const cJSON *args, struct buf *err)
{
	const char *id = arg_str(args, "id", err);
	const cJSON *ch;

	if (id == NULL)
		return NULL;
	cJSON_ArrayForEach(ch, json_arr(review, "changes"))
		if (json_str(ch, "id") && strcmp(json_str(ch, "id"), id) == 0)
			return cJSON_Duplicate(ch, 1);
	buf_addf(err, "no change has id \"%s\"", id);
	return NULL;
}

static cJSON *
tool_get_object(const cJSON *review, const cJSON *args, struct buf *err)
{
	const char *name = arg_str(args, "name", err);
	const cJSON *ch;
	cJSON *res, *arr;

	if (name == NULL)
		return NULL;
	res = cJSON_CreateObject();
	cJSON_AddStringToObject(res, "name", name);
	arr = cJSON_AddArrayToObject(res, "changes");
	cJSON_ArrayForEach(ch, json_arr(review, "changes")) {
		cJSON *o;

		if (!name_is(json_str(ch, "object"), name) &&
		    !name_is(json_str(ch, "renamed_from"), name) &&
		    !name_is(json_str(ch, "table"), name))
			continue;
		o = cJSON_CreateObject();
		json_add_str(o, "id", json_str(ch, "id"));
		json_add_str(o, "object", json_str(ch, "object"));
		json_add_str(o, "op", json_str(ch, "op"));
		cJSON_AddItemToObject(o, "before", cJSON_Duplicate(
		    cJSON_GetObjectItemCaseSensitive(ch, "before"), 1));
		cJSON_AddItemToObject(o, "after", cJSON_Duplicate(
		    cJSON_GetObjectItemCaseSensitive(ch, "after"), 1));
		cJSON_AddItemToArray(arr, o);
	}
	if (cJSON_GetArraySize(arr) == 0) {
		cJSON_Delete(res);
		buf_addf(err, "no changed object is called \"%s\"; unchanged "
		    "objects are not in the documents", name);
		return NULL;
	}
	agent_fit_array(res, "changes", AGENT_TOOL_MAX);
	return res;
}

static void
add_dependent(cJSON *arr, const char *dep, const char *how, const char *id)
{
	const cJSON *d;
	cJSON *o;

	cJSON_ArrayForEach(d, arr)
		if (strcmp(json_str(d, "dependent"), dep) == 0 &&
		    strcmp(json_str(d, "how"), how) == 0)
			return;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "dependent", dep);
	cJSON_AddStringToObject(o, "how", how);
	json_add_str(o, "change", id);
	cJSON_AddItemToArray(arr, o);
}

/* What one side (before or after) of a change says about `name`. */
static void
side_dependents(cJSON *arr, const cJSON *ch, const cJSON *side,
    const char *name)
{
	const char *obj = json_str(ch, "object"), *id = json_str(ch, "id");
	const cJSON *d, *ref;

	if (!cJSON_IsObject(side) || obj == NULL || name_is(obj, name))
		return;
	cJSON_ArrayForEach(d, json_arr(side, "depends_on"))
		if (cJSON_IsString(d) && (name_is(d->valuestring, name) ||
		    mentions(d->valuestring, name)))
			add_dependent(arr, obj, "reads it (depends_on)", id);
	ref = json_obj(side, "references");
	if (ref && name_is(json_str(ref, "table"), name))
		add_dependent(arr, obj, "foreign key references it", id);
	if (mentions(json_str(side, "definition"), name))
		add_dependent(arr, obj, "definition mentions it", id);
}

static cJSON *
tool_find_dependents(const cJSON *review, const cJSON *args,
    struct buf *err)
{
	const char *name = arg_str(args, "name", err);
	const cJSON *ch, *d;
	cJSON *res, *arr;

	if (name == NULL)
		return NULL;
	res = cJSON_CreateObject();
	cJSON_AddStringToObject(res, "name", name);
	arr = cJSON_AddArrayToObject(res, "dependents");
	cJSON_ArrayForEach(ch, json_arr(review, "changes")) {
		const char *id = json_str(ch, "id");

		if (name_is(json_str(ch, "object"), name))
			cJSON_ArrayForEach(d, json_arr(json_obj(ch,
			    "evidence"), "dependents"))
				if (cJSON_IsString(d))
					add_dependent(arr, d->valuestring,
					    "recorded in prod", id);
		side_dependents(arr, ch,
		    cJSON_GetObjectItemCaseSensitive(ch, "before"), name);
		side_dependents(arr, ch,
		    cJSON_GetObjectItemCaseSensitive(ch, "after"), name);
	}
	agent_fit_array(res, "dependents", AGENT_TOOL_MAX);
	return res;
}

static int
by_calls(const cJSON *a, const cJSON *b)
{
	double x = json_num(a, "calls", 0), y = json_num(b, "calls", 0);

	if (x != y)
		return x > y ? -1 : 1;
	return strcmp(json_str(a, "query"), json_str(b, "query"));
}

static cJSON *
tool_find_queries(const cJSON *review, const cJSON *args, struct buf *err)
{
	const char *pat = arg_str(args, "pattern", err);
	const cJSON *ch, *q, *seen;
	cJSON *res, *arr;

	if (pat == NULL)
		return NULL;
	res = cJSON_CreateObject();
	cJSON_AddStringToObject(res, "pattern", pat);
	arr = cJSON_AddArrayToObject(res, "queries");
	cJSON_ArrayForEach(ch, json_arr(review, "changes"))
	cJSON_ArrayForEach(q, json_arr(json_obj(ch, "evidence"), "queries")) {
		const char *text = json_str(q, "query");
		cJSON *o = NULL;

		if (text == NULL || ci_strstr(text, pat) == NULL)
			continue;
		cJSON_ArrayForEach(seen, arr)
			if (strcmp(json_str(seen, "query"), text) == 0)
				o = (cJSON *)seen;
		if (o == NULL) {
			o = cJSON_Duplicate(q, 1);
			cJSON_AddArrayToObject(o, "changes");
			cJSON_AddItemToArray(arr, o);
		}
		json_push_str(cJSON_GetObjectItemCaseSensitive(o, "changes"),
		    json_str(ch, "id"));
	}
	json_sort_array(arr, by_calls);
	if (cJSON_GetArraySize(arr) == 0)
		cJSON_AddStringToObject(res, "note", "no recorded prod query "
		    "contains this text");
	agent_fit_array(res, "queries", AGENT_TOOL_MAX);
	return res;
}

static cJSON *
tool_get_table_stats(const cJSON *review, const cJSON *args,
    struct buf *err)
{
	const char *name = arg_str(args, "name", err);
	const cJSON *ch, *ev, *stats = NULL;
	cJSON *res, *idx;
	int found = 0;

	if (name == NULL)
		return NULL;
	res = cJSON_CreateObject();
	cJSON_AddStringToObject(res, "table", name);
	idx = cJSON_CreateArray();
	cJSON_ArrayForEach(ch, json_arr(review, "changes")) {
		const char *kind = json_str(ch, "object_kind");

		ev = json_obj(ch, "evidence");
		if (kind && strcmp(kind, "table") == 0 &&
		    name_is(json_str(ch, "object"), name)) {
			const cJSON *side = json_obj(ch, "before");

			if (json_obj(side, "stats") == NULL)
				side = json_obj(ch, "after");
			if (stats == NULL && json_obj(side, "stats"))
				stats = json_obj(side, "stats");
		} else if (!name_is(json_str(ch, "table"), name))
			continue;
		if (!found) {
			cJSON *v;

			v = cJSON_GetObjectItemCaseSensitive(ev, "table_rows");
			cJSON_AddItemToObject(res, "rows", v ?
			    cJSON_Duplicate(v, 1) : cJSON_CreateNull());
			v = cJSON_GetObjectItemCaseSensitive(ev, "table_bytes");
			cJSON_AddItemToObject(res, "bytes", v ?
			    cJSON_Duplicate(v, 1) : cJSON_CreateNull());
			found = 1;
		}
		if (kind && strcmp(kind, "index") == 0) {
			cJSON *o = cJSON_CreateObject();

			json_add_str(o, "index", json_str(ch, "object"));
			json_add_str(o, "op", json_str(ch, "op"));
			cJSON_AddItemToObject(o, "index_scans", cJSON_Duplicate(
			    cJSON_GetObjectItemCaseSensitive(ev,
			    "index_scans"), 1));
			cJSON_AddItemToArray(idx, o);
		}
	}
	if (!found) {
		cJSON_Delete(idx);
		cJSON_Delete(res);
		buf_addf(err, "no changed table is called \"%s\"; statistics "
		    "are known only for tables the diff touches", name);
		return NULL;
	}
	cJSON_AddItemToObject(res, "stats", stats ?
	    cJSON_Duplicate(stats, 1) : cJSON_CreateNull());
	cJSON_AddItemToObject(res, "changed_indexes", idx);
	return res;
}

static cJSON *
tool_search_app_code(const struct agent_options *o, const cJSON *args,
    struct buf *err)
{
	const char *pat = arg_str(args, "pattern", err);
	const cJSON *rx = cJSON_GetObjectItemCaseSensitive(args, "regex");
	cJSON *res, *hits;
	int more = 0;

	if (pat == NULL)
		return NULL;
	if (o->n_app_dirs == 0) {
		buf_addstr(err, "no application source was given (--app-dir)");
		return NULL;
	}
	hits = agent_grep(o->app_dirs, o->n_app_dirs, pat, cJSON_IsTrue(rx),
	    50, &more, err);
	if (hits == NULL)
		return NULL;
	res = cJSON_CreateObject();
	cJSON_AddStringToObject(res, "pattern", pat);
	cJSON_AddItemToObject(res, "matches", hits);
	if (more)
		cJSON_AddBoolToObject(res, "stopped_at_limit", 1);
	agent_fit_array(res, "matches", AGENT_TOOL_MAX);
	return res;
}

char *
agent_tool_run(const cJSON *review, const struct agent_options *o,
    const char *name, const cJSON *args, int *is_error)
{
	struct buf err = BUF_INIT;
	cJSON *res = NULL;
	char *out;

	*is_error = 0;
	if (strcmp(name, "get_change") == 0)
		res = tool_get_change(review, args, &err);
	else if (strcmp(name, "get_object") == 0)
		res = tool_get_object(review, args, &err);
	else if (strcmp(name, "find_dependents") == 0)
		res = tool_find_dependents(review, args, &err);
	else if (strcmp(name, "find_queries") == 0)
		res = tool_find_queries(review, args, &err);
	else if (strcmp(name, "get_table_stats") == 0)
		res = tool_get_table_stats(review, args, &err);
	else if (strcmp(name, "search_app_code") == 0)
		res = tool_search_app_code(o, args, &err);
	else
		buf_addstr(&err, "no such tool");
	if (res == NULL) {
		struct buf b = BUF_INIT;

		*is_error = 1;
		/* The model's own text could be anything: show it as data. */
		buf_addf(&b, "error: %s: %s", name, err.data);
		buf_release(&err);
		if (b.len > 600)
			buf_setlen(&b, 600);
		return buf_detach(&b, NULL);
	}
	out = agent_data_block(res, AGENT_TOOL_MAX);
	cJSON_Delete(res);
	buf_release(&err);
	return out;
}
