/*
 * llm: what both model APIs share (see llm.h): the HTTP exchange, the
 * mapping of failures to exit statuses, and the neutral reply.  The shapes
 * of requests and replies are in llm_openai.c and llm_anthropic.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "die.h"
#include "json.h"
#include "llm.h"
#include "xalloc.h"

const struct llm_provider *
llm_provider_find(const char *name)
{
	if (name == NULL)
		return NULL;
	if (strcmp(name, "openai") == 0)
		return &llm_openai;
	if (strcmp(name, "anthropic") == 0)
		return &llm_anthropic;
	return NULL;
}

void
llm_init(struct llm *l, const struct llm_config *cfg, const char *system,
    const char *user, const cJSON *tools)
{
	const char *ca;
	cJSON *first;

	memset(l, 0, sizeof(*l));
	buf_init(&l->error);
	l->cfg = *cfg;
	l->p = llm_provider_find(cfg->provider);
	if (l->p == NULL)
		abort();	/* agent_options_check() refused it already */
	if (l->cfg.base_url == NULL || *l->cfg.base_url == '\0')
		l->cfg.base_url = l->p->default_base;
	http_init(&l->http, l->p->name);
	l->http.timeout_ms = cfg->timeout_ms;
	/* A model server behind a corporate or self-made CA. */
	if ((ca = getenv("IMPACT_AGENT_CA_FILE")) != NULL && *ca != '\0')
		l->http.ca_file = ca;
	l->system = xstrdup(system);
	l->tools = (cJSON *)tools;
	l->messages = cJSON_CreateArray();
	first = cJSON_CreateObject();
	cJSON_AddStringToObject(first, "role", "user");
	cJSON_AddStringToObject(first, "content", user);
	cJSON_AddItemToArray(l->messages, first);
	l->p->setup(l, cfg->key);
}

void
llm_release(struct llm *l)
{
	http_release(&l->http);
	free(l->url);
	free(l->system);
	cJSON_Delete(l->messages);
	buf_release(&l->error);
	memset(l, 0, sizeof(*l));
}

void
llm_reply_release(struct llm_reply *r)
{
	for (size_t i = 0; i < r->ncalls; i++) {
		free(r->calls[i].id);
		free(r->calls[i].name);
		cJSON_Delete(r->calls[i].args);
		free(r->calls[i].args_error);
	}
	free(r->calls);
	free(r->text);
	memset(r, 0, sizeof(*r));
}

void
llm_reply_add_text(struct llm_reply *r, const char *text)
{
	struct buf b = BUF_INIT;

	if (text == NULL || *text == '\0')
		return;
	if (r->text) {
		buf_addstr(&b, r->text);
		buf_addch(&b, '\n');
		free(r->text);
	}
	buf_addstr(&b, text);
	r->text = buf_detach(&b, NULL);
}

void
llm_reply_add_call(struct llm_reply *r, const char *id, const char *name,
    const cJSON *args)
{
	struct llm_call *c;
	struct buf b = BUF_INIT;

	r->calls = xrealloc(r->calls, (r->ncalls + 1) * sizeof(*r->calls));
	c = &r->calls[r->ncalls++];
	memset(c, 0, sizeof(*c));
	/* Some servers leave ids out or repeat them: make them unique. */
	if (id && *id)
		c->id = xstrdup(id);
	else {
		buf_addf(&b, "call_%zu", r->ncalls);
		c->id = buf_detach(&b, NULL);
	}
	c->name = xstrdup(name ? name : "");
	if (cJSON_IsObject(args))
		c->args = cJSON_Duplicate(args, 1);
	else if (cJSON_IsString(args)) {
		/* OpenAI sends the arguments as JSON text the model wrote. */
		c->args = cJSON_Parse(args->valuestring);
		if (*args->valuestring == '\0') {
			cJSON_Delete(c->args);
			c->args = cJSON_CreateObject();
		} else if (!cJSON_IsObject(c->args)) {
			cJSON_Delete(c->args);
			c->args = NULL;
			c->args_error = xstrdup("the arguments are not a "
			    "valid JSON object");
		}
	} else if (args == NULL || cJSON_IsNull(args))
		c->args = cJSON_CreateObject();
	else
		c->args_error = xstrdup("the arguments are not a JSON object");
}

/*
 * A bounded, folded excerpt of the server's error message: the
 * "error.message" member both APIs use, else the start of the body.
 */
static void
add_server_error(struct buf *b, const struct http_response *resp)
{
	cJSON *body = cJSON_Parse(resp->body.data);
	const cJSON *e = json_obj(body, "error");
	const char *msg = json_str(e ? e : body, "message");
	const char *text = msg ? msg : resp->body.data;
	size_t n = 0;
	int space = 0;

	if (*text)
		buf_addstr(b, ": ");
	for (const char *p = text; *p && n < 300; p++) {
		if (isspace((unsigned char)*p)) {
			space = 1;
			continue;
		}
		if (space && n > 0)
			buf_addch(b, ' ');
		space = 0;
		buf_addch(b, (unsigned char)*p < 0x20 ? '?' : *p);
		n++;
	}
	cJSON_Delete(body);
}

static int
fail(struct llm *l, int status, const char *fmt, const char *arg)
{
	buf_reset(&l->error);
	buf_addf(&l->error, fmt, arg);
	return status;
}

int
llm_send(struct llm *l, const char *force, struct llm_reply *r)
{
	struct http_response resp;
	enum http_outcome o;
	cJSON *req, *body;
	char *text;
	int status;

	memset(r, 0, sizeof(*r));
	http_response_init(&resp);
	req = l->p->request(l, force);
	text = json_print(req, 0);
	cJSON_Delete(req);
	l->turns++;
	progress("%s: turn %d", l->p->name, l->turns);
	/* A completion changes nothing on the server: safe to repeat. */
	o = http_request(&l->http, "POST", l->url, text, HTTP_IDEMPOTENT,
	    &resp);
	free(text);
	status = http_exit_code(o, &resp);
	buf_reset(&l->error);
	if (o != HTTP_ANSWERED || status != 0) {
		if (o == HTTP_ANSWERED) {
			buf_addf(&l->error, "%s: HTTP %ld", l->p->name,
			    resp.status);
			add_server_error(&l->error, &resp);
			/* Other 4xx: our request or the model is wrong. */
			if (status == EX_SOFTWARE)
				status = resp.status == 404 ? EX_CONFIG :
				    EX_UNAVAILABLE;
		} else if (o == HTTP_RETRY_TOO_LONG)
			buf_addf(&l->error, "%s: server asked to wait %.0f s",
			    l->p->name, resp.retry_after_s);
		else
			buf_addf(&l->error, "%s: %s", l->p->name,
			    resp.error[0] ? resp.error : "transfer failed");
		if (l->http.tries_used > 1)
			buf_addf(&l->error, " (after %d tries)",
			    l->http.tries_used);
		http_response_release(&resp);
		return status ? status : EX_UNAVAILABLE;
	}
	body = cJSON_Parse(resp.body.data);
	http_response_release(&resp);
	if (!cJSON_IsObject(body)) {
		cJSON_Delete(body);
		return fail(l, EX_UNAVAILABLE, "%s: the answer is not a JSON "
		    "object", l->p->name);
	}
	status = l->p->parse(l, body, r);
	cJSON_Delete(body);
	if (status != 0)
		llm_reply_release(r);
	return status;
}

void
llm_results(struct llm *l, const struct llm_reply *r, char *const *out,
    const int *is_error, const char *note)
{
	l->p->results(l, r, out, is_error, note);
}
