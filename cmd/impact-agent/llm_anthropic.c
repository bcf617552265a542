/*
 * llm_anthropic: the Anthropic Messages API (POST {base}/v1/messages).
 *
 * The system text is a top-level member, not a message; user and
 * assistant messages alternate; the assistant's content blocks go back as
 * received, and the next user message holds one tool_result for every
 * tool_use of that turn, before any text.  The base URL is the server's
 * root (https://api.anthropic.com, http://localhost:11434 for Ollama); one
 * that already ends in /v1 is accepted too.
 */
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "json.h"
#include "llm.h"
#include "xalloc.h"

static void
anthropic_setup(struct llm *l, const char *key)
{
	const char *base = l->cfg.base_url;
	size_t n = strlen(base);
	struct buf b = BUF_INIT;

	while (n > 0 && base[n - 1] == '/')
		n--;
	buf_add(&b, base, n);
	if (n < 3 || strncmp(base + n - 3, "/v1", 3) != 0)
		buf_addstr(&b, "/v1");
	buf_addstr(&b, "/messages");
	l->url = buf_detach(&b, NULL);
	http_add_header(&l->http, "anthropic-version: 2023-06-01");
	if (key == NULL)
		return;
	buf_addf(&b, "x-api-key: %s", key);
	http_add_header(&l->http, b.data);
	memset(b.data, 0, b.len);
	buf_release(&b);
}

static cJSON *
anthropic_request(struct llm *l, const char *force)
{
	cJSON *req = cJSON_CreateObject(), *tools, *tool, *choice;
	const cJSON *t;

	cJSON_AddStringToObject(req, "model", l->cfg.model);
	cJSON_AddNumberToObject(req, "max_tokens", l->cfg.max_tokens);
	cJSON_AddStringToObject(req, "system", l->system);
	cJSON_AddItemToObject(req, "messages",
	    cJSON_Duplicate(l->messages, 1));
	tools = cJSON_AddArrayToObject(req, "tools");
	cJSON_ArrayForEach(t, l->tools) {
		tool = cJSON_CreateObject();
		cJSON_AddStringToObject(tool, "name", json_str(t, "name"));
		cJSON_AddStringToObject(tool, "description",
		    json_str(t, "description"));
		cJSON_AddItemToObject(tool, "input_schema",
		    cJSON_Duplicate(json_obj(t, "parameters"), 1));
		cJSON_AddItemToArray(tools, tool);
	}
	choice = cJSON_AddObjectToObject(req, "tool_choice");
	if (force) {
		cJSON_AddStringToObject(choice, "type", "tool");
		cJSON_AddStringToObject(choice, "name", force);
	} else
		cJSON_AddStringToObject(choice, "type", "auto");
	if (l->cfg.temperature >= 0)
		cJSON_AddNumberToObject(req, "temperature",
		    l->cfg.temperature);
	return req;
}

static int
anthropic_parse(struct llm *l, const cJSON *body, struct llm_reply *r)
{
	const cJSON *content = json_arr(body, "content"), *blk;
	const cJSON *usage = json_obj(body, "usage");
	const char *stop = json_str(body, "stop_reason"), *type;
	cJSON *keep, *blocks;

	if (usage) {
		l->input_tokens += (long)json_num(usage, "input_tokens", 0);
		l->output_tokens += (long)json_num(usage, "output_tokens", 0);
	}
	if (content == NULL) {
		buf_addstr(&l->error, "anthropic: the answer has no content");
		return EX_UNAVAILABLE;
	}
	keep = cJSON_CreateObject();
	cJSON_AddStringToObject(keep, "role", "assistant");
	blocks = cJSON_AddArrayToObject(keep, "content");
	cJSON_ArrayForEach(blk, content) {
		type = json_str(blk, "type");
		if (type == NULL)
			continue;
		if (strcmp(type, "text") == 0)
			llm_reply_add_text(r, json_str(blk, "text"));
		else if (strcmp(type, "tool_use") == 0)
			llm_reply_add_call(r, json_str(blk, "id"),
			    json_str(blk, "name"),
			    cJSON_GetObjectItemCaseSensitive(blk, "input"));
		cJSON_AddItemToArray(blocks, cJSON_Duplicate(blk, 1));
	}
	/* The API refuses an empty message, even one it sent. */
	if (cJSON_GetArraySize(blocks) == 0) {
		cJSON *t = cJSON_CreateObject();

		cJSON_AddStringToObject(t, "type", "text");
		cJSON_AddStringToObject(t, "text", "(no reply)");
		cJSON_AddItemToArray(blocks, t);
	}
	/* Ids were made up for calls that had none: send those back. */
	for (size_t i = 0, k = 0; i < (size_t)cJSON_GetArraySize(blocks);
	    i++) {
		cJSON *b = cJSON_GetArrayItem(blocks, (int)i);

		if (json_str(b, "type") == NULL ||
		    strcmp(json_str(b, "type"), "tool_use") != 0)
			continue;
		if (json_str(b, "id") == NULL ||
		    strcmp(json_str(b, "id"), r->calls[k].id) != 0) {
			cJSON_DeleteItemFromObjectCaseSensitive(b, "id");
			cJSON_AddStringToObject(b, "id", r->calls[k].id);
		}
		k++;
	}
	cJSON_AddItemToArray(l->messages, keep);
	if (stop == NULL || strcmp(stop, "end_turn") == 0 ||
	    strcmp(stop, "stop_sequence") == 0)
		r->stop = r->ncalls ? LLM_STOP_TOOLS : LLM_STOP_END;
	else if (strcmp(stop, "tool_use") == 0)
		r->stop = LLM_STOP_TOOLS;
	else if (strcmp(stop, "max_tokens") == 0 ||
	    strcmp(stop, "model_context_window_exceeded") == 0)
		r->stop = LLM_STOP_LENGTH;
	else if (strcmp(stop, "refusal") == 0)
		r->stop = LLM_STOP_REFUSAL;
	else
		r->stop = LLM_STOP_OTHER;
	return 0;
}

static void
anthropic_results(struct llm *l, const struct llm_reply *r,
    char *const *out, const int *is_error, const char *note)
{
	cJSON *m = cJSON_CreateObject(), *content;

	cJSON_AddStringToObject(m, "role", "user");
	content = cJSON_AddArrayToObject(m, "content");
	for (size_t i = 0; i < r->ncalls; i++) {
		cJSON *b = cJSON_CreateObject();

		cJSON_AddStringToObject(b, "type", "tool_result");
		cJSON_AddStringToObject(b, "tool_use_id", r->calls[i].id);
		cJSON_AddStringToObject(b, "content", out[i]);
		if (is_error[i])
			cJSON_AddBoolToObject(b, "is_error", 1);
		cJSON_AddItemToArray(content, b);
	}
	if (note) {
		cJSON *b = cJSON_CreateObject();

		cJSON_AddStringToObject(b, "type", "text");
		cJSON_AddStringToObject(b, "text", note);
		cJSON_AddItemToArray(content, b);
	}
	cJSON_AddItemToArray(l->messages, m);
}

const struct llm_provider llm_anthropic = {
	.name = "anthropic",
	.default_base = "https://api.anthropic.com",
	.setup = anthropic_setup,
	.request = anthropic_request,
	.parse = anthropic_parse,
	.results = anthropic_results,
};
