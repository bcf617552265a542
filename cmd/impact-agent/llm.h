/*
 * llm: one conversation with a language model over HTTP, in the shape of
 * the OpenAI Chat Completions API or of the Anthropic Messages API.
 *
 * The caller sees one neutral model: a system text, a first user message,
 * tools described by name, description and JSON Schema, and replies that
 * are text, tool calls, or both.  The conversation itself is kept in the
 * provider's own message format (llm_openai.c, llm_anthropic.c), so the
 * assistant's messages go back exactly as they were received.
 *
 *  - llm_send() posts the whole conversation and appends the reply.  It
 *    returns 0, or the pipeline's exit status for the failure (69, 75, 77,
 *    78) with a one-line reason in `error` that never holds the key.
 *  - Tool arguments are untrusted: llm_send() parses them and leaves
 *    `args` NULL with `args_error` set when they are not a JSON object.
 *  - Every llm_send() is one turn; `input_tokens`/`output_tokens` add up
 *    the usage the server reported (a server that reports none adds 0).
 */
#ifndef LLM_H
#define LLM_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "buf.h"
#include "http.h"

enum llm_stop {
	LLM_STOP_END,		/* the model finished its answer */
	LLM_STOP_TOOLS,		/* it waits for tool results */
	LLM_STOP_LENGTH,	/* cut off by max_tokens: output truncated */
	LLM_STOP_REFUSAL,	/* refused, or a content filter stopped it */
	LLM_STOP_OTHER
};

struct llm_call {
	char	*id;		/* the provider's id, or one made up */
	char	*name;
	cJSON	*args;		/* a JSON object, or NULL: see args_error */
	char	*args_error;	/* why the arguments are unusable, or NULL */
};

struct llm_reply {
	enum llm_stop	 stop;
	char		*text;		/* the text parts joined, or NULL */
	struct llm_call	*calls;
	size_t		 ncalls;
};

struct llm_config {
	const char	*provider;	/* "openai" or "anthropic" */
	const char	*model;
	const char	*base_url;	/* NULL: the provider's public API */
	const char	*key;		/* NULL: send no credentials */
	int		 max_tokens;
	double		 temperature;	/* < 0: not sent */
	long		 timeout_ms;	/* per request */
};

struct llm;

struct llm_provider {
	const char	*name;
	const char	*default_base;
	/* Set the endpoint URL and the headers, credentials included. */
	void	(*setup)(struct llm *l, const char *key);
	/* The request body; `force` names a tool the model must call. */
	cJSON	*(*request)(struct llm *l, const char *force);
	/* Read a 2xx body into `r` and append the assistant's message. */
	int	(*parse)(struct llm *l, const cJSON *body, struct llm_reply *r);
	/* Answer every call of `r`, then add `note` as user text. */
	void	(*results)(struct llm *l, const struct llm_reply *r,
		    char *const *out, const int *is_error, const char *note);
};

struct llm {
	const struct llm_provider *p;
	struct llm_config cfg;
	struct http_client http;
	char	*url;
	char	*system;
	cJSON	*tools;		/* neutral: [{name, description, parameters}] */
	cJSON	*messages;	/* the provider's own message list */
	int	 new_token_param;	/* send max_completion_tokens */
	long	 input_tokens;
	long	 output_tokens;
	int	 turns;
	struct buf error;
};

extern const struct llm_provider llm_openai;
extern const struct llm_provider llm_anthropic;

/* The provider called `name`, or NULL. */
const struct llm_provider *llm_provider_find(const char *name);

/*
 * Start a conversation.  `tools` is borrowed until llm_release().  The
 * key is copied into the client's headers and cleared with it.
 */
void	llm_init(struct llm *l, const struct llm_config *cfg,
	    const char *system, const char *user, const cJSON *tools);
void	llm_release(struct llm *l);

/*
 * One turn: send the conversation, wait for the reply (with the retries
 * of common/http), append it.  `force` (or NULL) names the tool the model
 * is told to call.  Returns 0 or an exit status, `l->error` saying why;
 * on failure `r` is empty.
 */
int	llm_send(struct llm *l, const char *force, struct llm_reply *r);

/*
 * Answer the calls of the last reply: out[i] is the result of calls[i],
 * is_error[i] marks a failed call.  `note` (or NULL) follows as user text,
 * which is how a reply without calls is answered.
 */
void	llm_results(struct llm *l, const struct llm_reply *r,
	    char *const *out, const int *is_error, const char *note);

void	llm_reply_release(struct llm_reply *r);

/* For the providers: add a call to `r`, parsing `args` when it is text. */
void	llm_reply_add_call(struct llm_reply *r, const char *id,
	    const char *name, const cJSON *args);
/* For the providers: append text to r->text. */
void	llm_reply_add_text(struct llm_reply *r, const char *text);

#endif
