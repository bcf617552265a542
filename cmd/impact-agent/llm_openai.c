/*
 * llm_openai: the OpenAI Chat Completions API, which OpenAI, Azure OpenAI,
 * OpenRouter and local servers (Ollama, llama.cpp, vLLM, LM Studio) speak.
 *
 * Portability, since compatible servers differ: `tool_choice` is sent but
 * never relied on (Ollama ignores it); `content` may be null or "" beside
 * tool calls; `usage` and tool call ids may be missing; `arguments` may be
 * an object instead of JSON text.  OpenAI itself wants
 * max_completion_tokens, which many compatible servers do not know, so it
 * is sent only to api.openai.com and max_tokens to everyone else.  Azure
 * takes the key in an "api-key" header, and its URL carries the
 * api-version in a query string after the path.
 */
#define _DEFAULT_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "json.h"
#include "llm.h"
#include "xalloc.h"

static void
openai_setup(struct llm *l, const char *key)
{
	const char *base = l->cfg.base_url, *q = strchr(base, '?');
	size_t n = q ? (size_t)(q - base) : strlen(base);
	struct buf b = BUF_INIT;

	while (n > 0 && base[n - 1] == '/')
		n--;
	buf_add(&b, base, n);
	buf_addstr(&b, "/chat/completions");
	if (q)
		buf_addstr(&b, q);
	l->url = buf_detach(&b, NULL);
	l->new_token_param = strstr(base, "://api.openai.com") != NULL;
	if (key == NULL)
		return;
	if (strstr(base, ".openai.azure.com") != NULL) {
		buf_addf(&b, "api-key: %s", key);
		http_add_header(&l->http, b.data);
		memset(b.data, 0, b.len);
		buf_release(&b);
	} else
		http_set_bearer(&l->http, key);
}

static cJSON *
openai_tool(const cJSON *t)
{
	cJSON *tool = cJSON_CreateObject(), *fn;

	cJSON_AddStringToObject(tool, "type", "function");
	fn = cJSON_AddObjectToObject(tool, "function");
	cJSON_AddStringToObject(fn, "name", json_str(t, "name"));
	cJSON_AddStringToObject(fn, "description", json_str(t, "description"));
	cJSON_AddItemToObject(fn, "parameters",
	    cJSON_Duplicate(json_obj(t, "parameters"), 1));
	cJSON_AddBoolToObject(fn, "strict", 1);
	return tool;
}

static cJSON *
openai_request(struct llm *l, const char *force)
{
	cJSON *req = cJSON_CreateObject(), *msgs, *sys, *tools, *choice;
	const cJSON *t;

	cJSON_AddStringToObject(req, "model", l->cfg.model);
	msgs = cJSON_AddArrayToObject(req, "messages");
	sys = cJSON_CreateObject();
	cJSON_AddStringToObject(sys, "role", "system");
	cJSON_AddStringToObject(sys, "content", l->system);
	cJSON_AddItemToArray(msgs, sys);
	cJSON_ArrayForEach(t, l->messages)
		cJSON_AddItemToArray(msgs, cJSON_Duplicate(t, 1));
	tools = cJSON_AddArrayToObject(req, "tools");
	cJSON_ArrayForEach(t, l->tools)
		cJSON_AddItemToArray(tools, openai_tool(t));
	if (force) {
		choice = cJSON_AddObjectToObject(req, "tool_choice");
		cJSON_AddStringToObject(choice, "type", "function");
		cJSON_AddStringToObject(cJSON_AddObjectToObject(choice,
		    "function"), "name", force);
	} else
		cJSON_AddStringToObject(req, "tool_choice", "auto");
	cJSON_AddNumberToObject(req, l->new_token_param ?
	    "max_completion_tokens" : "max_tokens", l->cfg.max_tokens);
	if (l->cfg.temperature >= 0)
		cJSON_AddNumberToObject(req, "temperature",
		    l->cfg.temperature);
	return req;
}

static int
openai_parse(struct llm *l, const cJSON *body, struct llm_reply *r)
{
	const cJSON *choices = json_arr(body, "choices"), *msg, *calls, *c;
	const cJSON *usage = json_obj(body, "usage"), *content;
	const char *finish;
	cJSON *keep;

	if (usage) {
		l->input_tokens += (long)json_num(usage, "prompt_tokens", 0);
		l->output_tokens += (long)json_num(usage, "completion_tokens",
		    0);
	}
	msg = cJSON_GetArrayItem(choices, 0);
	finish = json_str(msg, "finish_reason");
	msg = json_obj(msg, "message");
	if (msg == NULL) {
		buf_addstr(&l->error, "openai: the answer has no "
		    "choices[0].message");
		return EX_UNAVAILABLE;
	}
	content = cJSON_GetObjectItemCaseSensitive(msg, "content");
	if (cJSON_IsString(content))
		llm_reply_add_text(r, content->valuestring);
	calls = json_arr(msg, "tool_calls");
	cJSON_ArrayForEach(c, calls) {
		const cJSON *fn = json_obj(c, "function");

		llm_reply_add_call(r, json_str(c, "id"), json_str(fn, "name"),
		    cJSON_GetObjectItemCaseSensitive(fn, "arguments"));
	}
	if (finish == NULL || strcmp(finish, "stop") == 0)
		r->stop = r->ncalls ? LLM_STOP_TOOLS : LLM_STOP_END;
	else if (strcmp(finish, "tool_calls") == 0 ||
	    strcmp(finish, "function_call") == 0)
		r->stop = LLM_STOP_TOOLS;
	else if (strcmp(finish, "length") == 0)
		r->stop = LLM_STOP_LENGTH;
	else if (strcmp(finish, "content_filter") == 0)
		r->stop = LLM_STOP_REFUSAL;
	else
		r->stop = r->ncalls ? LLM_STOP_TOOLS : LLM_STOP_END;
	if (json_str(msg, "refusal"))
		r->stop = LLM_STOP_REFUSAL;

	/*
	 * The assistant's message goes back as received, reduced to the
	 * members the request accepts, with the ids the tool messages answer
	 * and the arguments as text whatever the server sent.
	 */
	keep = cJSON_CreateObject();
	cJSON_AddStringToObject(keep, "role", "assistant");
	/* Content may be null only beside tool calls. */
	cJSON_AddItemToObject(keep, "content", cJSON_IsString(content) ?
	    cJSON_CreateString(content->valuestring) : r->ncalls ?
	    cJSON_CreateNull() : cJSON_CreateString("(no reply)"));
	if (r->ncalls) {
		cJSON *arr = cJSON_AddArrayToObject(keep, "tool_calls");

		for (size_t i = 0; i < r->ncalls; i++) {
			cJSON *call = cJSON_CreateObject(), *fn;
			const cJSON *fc = json_obj(cJSON_GetArrayItem(calls,
			    (int)i), "function");
			const cJSON *a = cJSON_GetObjectItemCaseSensitive(fc,
			    "arguments");
			char *s = cJSON_IsString(a) ? xstrdup(a->valuestring) :
			    a ? json_print(a, 0) : xstrdup("{}");

			cJSON_AddStringToObject(call, "id", r->calls[i].id);
			cJSON_AddStringToObject(call, "type", "function");
			fn = cJSON_AddObjectToObject(call, "function");
			cJSON_AddStringToObject(fn, "name", r->calls[i].name);
			cJSON_AddStringToObject(fn, "arguments", s);
			free(s);
			cJSON_AddItemToArray(arr, call);
		}
	}
	cJSON_AddItemToArray(l->messages, keep);
	return 0;
}

static void
openai_results(struct llm *l, const struct llm_reply *r, char *const *out,
    const int *is_error, const char *note)
{
	for (size_t i = 0; i < r->ncalls; i++) {
		cJSON *m = cJSON_CreateObject();

		(void)is_error;	/* the text says it: no flag in this API */
		cJSON_AddStringToObject(m, "role", "tool");
		cJSON_AddStringToObject(m, "tool_call_id", r->calls[i].id);
		cJSON_AddStringToObject(m, "content", out[i]);
		cJSON_AddItemToArray(l->messages, m);
	}
	if (note) {
		cJSON *m = cJSON_CreateObject();

		cJSON_AddStringToObject(m, "role", "user");
		cJSON_AddStringToObject(m, "content", note);
		cJSON_AddItemToArray(l->messages, m);
	}
}

const struct llm_provider llm_openai = {
	.name = "openai",
	.default_base = "https://api.openai.com/v1",
	.setup = openai_setup,
	.request = openai_request,
	.parse = openai_parse,
	.results = openai_results,
};
