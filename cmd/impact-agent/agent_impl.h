/*
 * agent_impl: what the files of the model pass share (agent.h is the
 * interface main.c uses).  Every function here reads the review document
 * without changing it, except agent_answer_merge().
 */
#ifndef AGENT_IMPL_H
#define AGENT_IMPL_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "agent.h"
#include "buf.h"

/* Tool results and the first message are capped at these sizes. */
#define AGENT_TOOL_MAX		8000
#define AGENT_INPUT_MAX		120000

/*
 * Tool calls answered per turn; more are refused, so that one turn cannot
 * grow the conversation past what the caps above allow.
 */
#define AGENT_MAX_CALLS		8

/* The tool the model gives its final answer with. */
#define AGENT_SUBMIT		"submit_review"

/*
 * agent_data.c: `v` printed as JSON between <untrusted-data> markers,
 * with '<' and '>' written as \u003c and \u003e so the data cannot close
 * the block, cut at `cap` bytes (marked) when longer.  Caller frees.
 */
char	*agent_data_block(const cJSON *v, size_t cap);
/*
 * Drop items from the end of array member `name` of `obj` until `obj`
 * prints in `cap` bytes; record how many went in "omitted".
 */
void	 agent_fit_array(cJSON *obj, const char *name, size_t cap);

/*
 * agent_options.c: the API key, from IMPACT_AGENT_API_KEY (or _FILE), else
 * OPENAI_API_KEY or ANTHROPIC_API_KEY by provider; NULL when none is set.
 * The caller frees it with secret_free().
 */
char	*agent_api_key(const char *provider);

/* agent_input.c: the first user message, a digest of the review. */
char	*agent_input(const cJSON *review);

/* agent_tools.c: the tools' descriptions in neutral form, and a call. */
cJSON	*agent_tool_defs(int have_app_dirs);
/* The result text of one call (caller frees); *is_error marks a failure. */
char	*agent_tool_run(const cJSON *review, const struct agent_options *o,
	    const char *name, const cJSON *args, int *is_error);

/*
 * agent_grep.c: lines of the trees `dirs` matching `pattern` (a word, or
 * an extended regular expression when `regex`), as an array of
 * "dir/path:line: text" strings, at most `max` of them, sorted by path.
 * Returns NULL with `err` set for a bad pattern.  *more is set when the
 * search stopped at a bound.
 */
cJSON	*agent_grep(const char *const *dirs, size_t ndirs,
	    const char *pattern, int regex, size_t max, int *more,
	    struct buf *err);
/* strstr(3) ignoring ASCII case: the word searches of both tools. */
const char *ci_strstr(const char *hay, const char *needle);

/* agent_answer.c: the final answer's JSON Schema, its check and merge. */
cJSON	*agent_answer_schema(void);
/* 0 when `ans` may be merged, else -1 with the violations in `why`. */
int	 agent_answer_check(const cJSON *ans, const cJSON *review,
	    struct buf *why);
void	 agent_answer_merge(cJSON *review, const cJSON *ans);

/* agent_prompt.c: the system prompt, from `file` or the built-in text. */
char	*agent_prompt(const char *file, struct buf *err);

/*
 * agent_price.c: the cost of the tokens by `table` (a JSON file), or -1
 * with `err` set when the file is unusable; -2 when it has no price for
 * the model.
 */
double	 agent_price(const char *table, const char *model, long in,
	    long out, struct buf *err);

#endif
