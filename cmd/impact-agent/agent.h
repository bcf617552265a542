/*
 * agent: the model pass of impact-agent.  After the rules have written a
 * review, a language model investigates the changes with read-only tools
 * over the documents in hand, connects them, and writes the narrative.
 *
 *  - Nothing leaves the machine unless a model is configured: with `model`
 *    NULL or empty agent_review() returns 0 and touches nothing.
 *  - The model can add findings (rule "model:<slug>") and raise a
 *    change's severity with a reason; it can never lower a severity nor
 *    remove a rule's finding.  That is enforced here, on its answer, not
 *    asked of it in the prompt.
 *  - Database and application text reaches the model as data between
 *    <untrusted-data> markers, with '<' and '>' escaped inside so that the
 *    data cannot close the block.
 *  - A failure (timeout, HTTP error after retries, rate limit, an answer
 *    still invalid after one repair round) leaves the rules' review as it
 *    was, with agent.llm_error saying why.
 *
 * Strings in agent_options are borrowed for the duration of the calls.
 */
#ifndef AGENT_H
#define AGENT_H

#include <stddef.h>
#include <cjson/cJSON.h>

struct agent_options {
	const char	*provider;	/* "openai" (default) or "anthropic" */
	const char	*model;		/* NULL or "": no model pass */
	const char	*base_url;	/* NULL: the provider's public API */
	const char	*prompt_file;	/* team instructions, or NULL */
	int		 max_turns;	/* model calls, repair round aside */
	int		 max_tokens;	/* per answer */
	long		 timeout_ms;	/* the whole pass, all turns */
	double		 temperature;	/* < 0: left to the server */
	int		 require_llm;	/* a failed pass is an error */
	const char *const *app_dirs;	/* searched by search_app_code */
	size_t		 n_app_dirs;
	const char	*price_table;	/* JSON file of prices, or NULL */
};

/*
 * The command-line options, for main's getopt_long() table: list
 * AGENT_LONG_OPTIONS among the entries and hand every option character it
 * does not know to agent_option().
 */
enum {
	AGENT_OPT_MODEL = 0x200, AGENT_OPT_PROVIDER, AGENT_OPT_BASE_URL,
	AGENT_OPT_MAX_TURNS, AGENT_OPT_MAX_TOKENS, AGENT_OPT_TIMEOUT,
	AGENT_OPT_TEMPERATURE, AGENT_OPT_REQUIRE, AGENT_OPT_PRICES
};
#define AGENT_LONG_OPTIONS \
	{ "model",	 required_argument, NULL, AGENT_OPT_MODEL }, \
	{ "provider",	 required_argument, NULL, AGENT_OPT_PROVIDER }, \
	{ "base-url",	 required_argument, NULL, AGENT_OPT_BASE_URL }, \
	{ "max-turns",	 required_argument, NULL, AGENT_OPT_MAX_TURNS }, \
	{ "max-tokens",	 required_argument, NULL, AGENT_OPT_MAX_TOKENS }, \
	{ "timeout",	 required_argument, NULL, AGENT_OPT_TIMEOUT }, \
	{ "temperature", required_argument, NULL, AGENT_OPT_TEMPERATURE }, \
	{ "require-llm", no_argument,	    NULL, AGENT_OPT_REQUIRE }, \
	{ "price-table", required_argument, NULL, AGENT_OPT_PRICES }

/* The usage lines of those options, for main's usage(). */
#define AGENT_USAGE \
	"                    [--model name] [--provider openai|anthropic] " \
	"[--base-url url]\n" \
	"                    [--max-turns n] [--max-tokens n] " \
	"[--timeout seconds]\n" \
	"                    [--temperature t] [--price-table file] " \
	"[--require-llm]\n"

/*
 * Apply model option `ch` with its argument; a bad number exits EX_USAGE.
 * Returns 0 when `ch` is not one of them.
 */
int	agent_option(struct agent_options *o, int ch, const char *arg);

/*
 * Defaults, then the IMPACT_AGENT_* variables: MODEL, PROVIDER, BASE_URL,
 * MAX_TURNS, MAX_TOKENS, TIMEOUT (seconds), TEMPERATURE, PRICE_TABLE,
 * REQUIRE_LLM (0 or 1).
 * Command-line options override the fields afterwards.  A malformed
 * number exits EX_CONFIG naming the variable.
 */
void	agent_options_from_env(struct agent_options *o);

/*
 * Exit EX_CONFIG when the options cannot work (unknown provider, turns or
 * tokens out of range), so that main can check them before the rules run.
 * agent_review() checks them again.
 */
void	agent_options_check(const struct agent_options *o);

/*
 * Run the model pass over `review`, a finished rules-mode review document,
 * and merge its answer in place: new findings, severities raised,
 * assessment.reasoning per change, summary.narrative replaced, summary
 * risk/verdict/by_severity recomputed upward only, and the `agent` member
 * filled in.  Returns 0, or with require_llm the exit status of a failure
 * (69 unavailable or invalid answers, 75 rate limited or timed out, 77
 * refused credentials, 78 configuration); the review is complete either
 * way.
 */
int	agent_review(cJSON *review, const struct agent_options *o);

#endif
