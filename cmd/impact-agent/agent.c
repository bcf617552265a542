/*
 * agent: the tool-using loop of the model pass (agent.h).
 *
 * The loop: the model gets the prompt, a digest of the review and the
 * tools; each turn it calls read-only tools, whose results go back, or
 * answers through submit_review.  The last turn forces submit_review.  An
 * answer that fails the checks of agent_answer.c earns one repair turn
 * listing what was wrong; a second bad answer ends the pass.  Whatever
 * fails, the rules' review stays as it was and agent.llm_error says why.
 */
#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "agent.h"
#include "agent_impl.h"
#include "die.h"
#include "json.h"
#include "llm.h"
#include "secret.h"
#include "xalloc.h"

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct pass {
	const struct agent_options *o;
	cJSON		*review;
	struct llm	 llm;
	cJSON		*answer;	/* the accepted answer, or NULL */
	struct buf	 error;		/* why the pass failed */
	int		 status;	/* its exit status, 0 on success */
};

static int
pass_fail(struct pass *p, int status, const char *msg)
{
	buf_reset(&p->error);
	buf_addstr(&p->error, msg);
	p->status = status;
	return -1;
}

/*
 * Check a candidate answer; keep it when it passes.  Returns 0 when kept,
 * else -1 with the violations in `why`.
 */
static int
take_answer(struct pass *p, const cJSON *cand, struct buf *why)
{
	buf_reset(why);
	if (!cJSON_IsObject(cand)) {
		buf_addstr(why, "the answer is not a JSON object");
		return -1;
	}
	if (agent_answer_check(cand, p->review, why) != 0)
		return -1;
	p->answer = cJSON_Duplicate(cand, 1);
	return 0;
}

/*
 * One turn's calls: run each tool, or check the submitted answer.
 * Returns 1 when an answer was accepted, 0 to go on, -1 when the answer
 * was rejected (`why` says how); results are answered in every case but
 * the first.
 */
static int
run_calls(struct pass *p, const struct llm_reply *r, int repaired,
    struct buf *why)
{
	char **out = xcalloc(r->ncalls, sizeof(*out));
	int *is_error = xcalloc(r->ncalls, sizeof(*is_error));
	int verdict = 0;
	struct buf note = BUF_INIT;

	for (size_t i = 0; i < r->ncalls; i++) {
		const struct llm_call *c = &r->calls[i];
		struct buf b = BUF_INIT;

		if (c->args == NULL) {
			buf_addf(&b, "error: %s; call %s again with a JSON "
			    "object as arguments", c->args_error, c->name);
			out[i] = buf_detach(&b, NULL);
			is_error[i] = 1;
			if (strcmp(c->name, AGENT_SUBMIT) == 0 &&
			    verdict == 0) {
				buf_reset(why);
				buf_addstr(why, c->args_error);
				verdict = -1;
			}
			continue;
		}
		if (strcmp(c->name, AGENT_SUBMIT) != 0 &&
		    i >= AGENT_MAX_CALLS) {
			buf_addf(&b, "error: more than %d tool calls in one "
			    "turn; ask again in the next", AGENT_MAX_CALLS);
			out[i] = buf_detach(&b, NULL);
			is_error[i] = 1;
			continue;
		}
		if (strcmp(c->name, AGENT_SUBMIT) != 0) {
			out[i] = agent_tool_run(p->review, p->o, c->name,
			    c->args, &is_error[i]);
			continue;
		}
		if (verdict == 1 || take_answer(p, c->args, why) == 0) {
			verdict = 1;
			out[i] = xstrdup("accepted");
			continue;
		}
		verdict = -1;
		buf_addf(&b, "error: the review was not accepted: %s",
		    why->data);
		out[i] = buf_detach(&b, NULL);
		is_error[i] = 1;
	}
	if (verdict == -1 && !repaired)
		buf_addf(&note, "Your submit_review call was rejected: %s. "
		    "Call submit_review once more with a corrected review.",
		    why->data);
	if (verdict != 1)
		llm_results(&p->llm, r, out, is_error,
		    note.len ? note.data : NULL);
	for (size_t i = 0; i < r->ncalls; i++)
		free(out[i]);
	free(out);
	free(is_error);
	buf_release(&note);
	return verdict;
}

/* A reply with no tool call: maybe the answer as JSON text. */
static int
plain_reply(struct pass *p, const struct llm_reply *r, int repaired,
    struct buf *why)
{
	const char *t = r->text ? r->text : "";
	const char *open = strchr(t, '{'), *close = strrchr(t, '}');
	cJSON *cand = NULL;
	struct buf note = BUF_INIT;
	int verdict;

	/* Servers without tool support answer in text, maybe fenced. */
	if (open && close && close > open)
		cand = cJSON_ParseWithLength(open, (size_t)(close - open + 1));
	if (cand && take_answer(p, cand, why) == 0)
		verdict = 1;
	else {
		if (cand == NULL) {
			buf_reset(why);
			buf_addstr(why, "the reply called no tool and held no "
			    "JSON review");
		}
		verdict = -1;
	}
	cJSON_Delete(cand);
	if (verdict == -1 && !repaired) {
		buf_addf(&note, "Your reply was not accepted: %s. Give the "
		    "review by calling submit_review.", why->data);
		llm_results(&p->llm, r, NULL, NULL, note.data);
	}
	buf_release(&note);
	return verdict;
}

static int
status_of_stop(struct pass *p, enum llm_stop stop)
{
	if (stop == LLM_STOP_LENGTH)
		return pass_fail(p, EX_UNAVAILABLE, "the answer was cut off "
		    "at the token limit (raise --max-tokens)");
	if (stop == LLM_STOP_REFUSAL)
		return pass_fail(p, EX_UNAVAILABLE, "the model refused to "
		    "answer");
	return 0;
}

/* The loop; 0 with p->answer set, or -1 with p->error and p->status. */
static int
converse(struct pass *p)
{
	const struct agent_options *o = p->o;
	long deadline = now_ms() + o->timeout_ms;
	struct buf why = BUF_INIT;
	int repaired = 0, force = 0, verdict = 0, turn, rc;

	for (turn = 0; turn < o->max_turns + repaired; turn++) {
		struct llm_reply r;
		long left = deadline - now_ms();

		if (left <= 0) {
			pass_fail(p, EX_TEMPFAIL, "the model pass ran out of "
			    "time");
			goto out;
		}
		p->llm.http.timeout_ms = left;
		if ((rc = llm_send(&p->llm, force || turn == o->max_turns - 1 ?
		    AGENT_SUBMIT : NULL, &r)) != 0) {
			pass_fail(p, rc, p->llm.error.data);
			goto out;
		}
		if (status_of_stop(p, r.stop) != 0) {
			llm_reply_release(&r);
			goto out;
		}
		verdict = r.ncalls ? run_calls(p, &r, repaired, &why) :
		    plain_reply(p, &r, repaired, &why);
		llm_reply_release(&r);
		if (verdict == 1)
			break;
		if (verdict == -1) {
			if (repaired)
				break;
			repaired = 1;
			force = 1;
		}
	}
	if (verdict == 1) {
		buf_release(&why);
		return 0;
	}
	if (verdict == -1) {
		buf_addstr(&p->error, "invalid answer after a repair round: ");
		buf_addstr(&p->error, why.data);
		p->status = EX_UNAVAILABLE;
	} else
		pass_fail(p, EX_UNAVAILABLE, "no answer submitted within the "
		    "turn limit");
out:
	buf_release(&why);
	return -1;
}

/* Fill the review's `agent` member from the pass. */
static void
set_agent(struct pass *p)
{
	cJSON *a = cJSON_GetObjectItemCaseSensitive(p->review, "agent");
	const char *rv;
	char *rules_version;
	double cost = -2;
	struct buf err = BUF_INIT;

	rv = json_str(a, "rules_version");
	rules_version = xstrdup(rv ? rv : "1");
	if (p->o->price_table) {
		cost = agent_price(p->o->price_table, p->o->model,
		    p->llm.input_tokens, p->llm.output_tokens, &err);
		if (cost == -1)
			warnx("%s", err.data);
	}
	cJSON_DeleteItemFromObjectCaseSensitive(p->review, "agent");
	a = cJSON_AddObjectToObject(p->review, "agent");
	cJSON_AddStringToObject(a, "mode", p->answer ? "llm" : "rules");
	cJSON_AddStringToObject(a, "rules_version", rules_version);
	cJSON_AddStringToObject(a, "provider", p->o->provider);
	cJSON_AddStringToObject(a, "model", p->o->model);
	cJSON_AddNumberToObject(a, "turns", p->llm.turns);
	cJSON_AddNumberToObject(a, "input_tokens", (double)p->llm.input_tokens);
	cJSON_AddNumberToObject(a, "output_tokens",
	    (double)p->llm.output_tokens);
	if (cost >= 0)
		cJSON_AddNumberToObject(a, "estimated_cost_usd",
		    round(cost * 1e6) / 1e6);
	else
		cJSON_AddNullToObject(a, "estimated_cost_usd");
	json_add_str(a, "llm_error", p->answer ? NULL : p->error.data);
	free(rules_version);
	buf_release(&err);
}

int
agent_review(cJSON *review, const struct agent_options *o)
{
	struct pass p;
	struct llm_config cfg;
	struct buf err = BUF_INIT;
	char *key = NULL, *prompt = NULL, *input;
	cJSON *tools;

	if (o->model == NULL || *o->model == '\0')
		return 0;
	agent_options_check(o);
	memset(&p, 0, sizeof(p));
	p.o = o;
	p.review = review;
	buf_init(&p.error);
	key = agent_api_key(o->provider);
	memset(&cfg, 0, sizeof(cfg));
	cfg.provider = o->provider;
	cfg.model = o->model;
	cfg.base_url = o->base_url;
	cfg.key = key;
	cfg.max_tokens = o->max_tokens;
	cfg.temperature = o->temperature;
	cfg.timeout_ms = o->timeout_ms;
	tools = agent_tool_defs(o->n_app_dirs > 0);
	input = agent_input(review);
	prompt = agent_prompt(o->prompt_file, &err);
	llm_init(&p.llm, &cfg, prompt ? prompt : "", input, tools);
	if (prompt == NULL)
		pass_fail(&p, EX_CONFIG, err.data);
	else if (key == NULL && o->base_url == NULL)
		/* The public APIs refuse anonymous calls: send nothing. */
		pass_fail(&p, EX_CONFIG, strcmp(o->provider, "anthropic") ?
		    "no API key: set IMPACT_AGENT_API_KEY or OPENAI_API_KEY" :
		    "no API key: set IMPACT_AGENT_API_KEY or "
		    "ANTHROPIC_API_KEY");
	else if (converse(&p) == 0)
		agent_answer_merge(review, p.answer);
	secret_free(key);
	if (p.answer == NULL && o->require_llm)
		warnx("model pass failed: %s", p.error.data);
	else if (p.answer == NULL)
		warnx("model pass failed, keeping the rules' review: %s",
		    p.error.data);
	set_agent(&p);
	llm_release(&p.llm);
	cJSON_Delete(tools);
	cJSON_Delete(p.answer);
	free(input);
	free(prompt);
	buf_release(&err);
	buf_release(&p.error);
	return o->require_llm ? p.status : 0;
}
