/*
 * agent_options: the settings of the model pass, from IMPACT_AGENT_*
 * variables and then from impact-agent's command line (agent.h).  Numbers
 * out of range are refused, not clamped: a typo in a turn budget or a
 * timeout should not silently become another value.
 */
#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "agent.h"
#include "agent_impl.h"
#include "llm.h"
#include "secret.h"

#define DEFAULT_TURNS		8
#define DEFAULT_TOKENS		4096
#define DEFAULT_TIMEOUT_MS	600000L

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

/* `v` as a number from `lo` to `hi`, or exit `status` naming `what`. */
static double
number(const char *what, const char *v, double lo, double hi, int status)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (errno || end == v || *end || !(d >= lo && d <= hi))
		errx(status, "%s: \"%s\" is not a number from %g to %g",
		    what, v, lo, hi);
	return d;
}

static double
env_num(const char *name, double dflt, double lo, double hi)
{
	const char *v = env(name);

	return v ? number(name, v, lo, hi, EX_CONFIG) : dflt;
}

void
agent_options_from_env(struct agent_options *o)
{
	memset(o, 0, sizeof(*o));
	o->model = env("IMPACT_AGENT_MODEL");
	o->provider = env("IMPACT_AGENT_PROVIDER");
	if (o->provider == NULL)
		o->provider = "openai";
	o->base_url = env("IMPACT_AGENT_BASE_URL");
	o->price_table = env("IMPACT_AGENT_PRICE_TABLE");
	o->max_turns = (int)env_num("IMPACT_AGENT_MAX_TURNS", DEFAULT_TURNS,
	    1, 64);
	o->max_tokens = (int)env_num("IMPACT_AGENT_MAX_TOKENS",
	    DEFAULT_TOKENS, 256, 200000);
	o->timeout_ms = (long)(1000 * env_num("IMPACT_AGENT_TIMEOUT",
	    DEFAULT_TIMEOUT_MS / 1000.0, 0.1, 86400));
	o->temperature = env_num("IMPACT_AGENT_TEMPERATURE", 0, -1, 2);
	/* For the driver's config file, which passes no options. */
	o->require_llm = (int)env_num("IMPACT_AGENT_REQUIRE_LLM", 0, 0, 1);
}

void
agent_options_check(const struct agent_options *o)
{
	if (o->model == NULL || *o->model == '\0')
		return;
	if (llm_provider_find(o->provider) == NULL)
		errx(EX_CONFIG, "provider \"%s\" is not openai or anthropic",
		    o->provider ? o->provider : "");
	if (o->max_turns < 1 || o->max_turns > 64)
		errx(EX_CONFIG, "max turns %d is not from 1 to 64",
		    o->max_turns);
	if (o->max_tokens < 256 || o->max_tokens > 200000)
		errx(EX_CONFIG, "max tokens %d is not from 256 to 200000",
		    o->max_tokens);
	if (o->timeout_ms < 100)
		errx(EX_CONFIG, "timeout %ld ms is too short", o->timeout_ms);
	if (o->base_url && strncmp(o->base_url, "http://", 7) != 0 &&
	    strncmp(o->base_url, "https://", 8) != 0)
		errx(EX_CONFIG, "base URL \"%s\" is not http:// or https://",
		    o->base_url);
	if (o->price_table && access(o->price_table, R_OK) != 0)
		err(EX_CONFIG, "price table %s", o->price_table);
	if (o->prompt_file && access(o->prompt_file, R_OK) != 0)
		err(EX_CONFIG, "prompt file %s", o->prompt_file);
	/* Both NAME and NAME_FILE set, or an unreadable file, ends here. */
	secret_free(agent_api_key(o->provider));
}

/*
 * The API key: IMPACT_AGENT_API_KEY (or _FILE), else the provider's usual
 * variable (see agent_impl.h).
 */
char *
agent_api_key(const char *provider)
{
	char *k = secret_get("IMPACT_AGENT_API_KEY");

	if (k == NULL)
		k = secret_get(strcmp(provider, "anthropic") == 0 ?
		    "ANTHROPIC_API_KEY" : "OPENAI_API_KEY");
	return k;
}

int
agent_option(struct agent_options *o, int ch, const char *arg)
{
	switch (ch) {
	case AGENT_OPT_MODEL:
		o->model = arg;
		break;
	case AGENT_OPT_PROVIDER:
		o->provider = arg;
		break;
	case AGENT_OPT_BASE_URL:
		o->base_url = arg;
		break;
	case AGENT_OPT_MAX_TURNS:
		o->max_turns = (int)number("--max-turns", arg, 1, 64,
		    EX_USAGE);
		break;
	case AGENT_OPT_MAX_TOKENS:
		o->max_tokens = (int)number("--max-tokens", arg, 256, 200000,
		    EX_USAGE);
		break;
	case AGENT_OPT_TIMEOUT:
		o->timeout_ms = (long)(1000 * number("--timeout", arg, 0.1,
		    86400, EX_USAGE));
		break;
	case AGENT_OPT_TEMPERATURE:
		o->temperature = number("--temperature", arg, -1, 2, EX_USAGE);
		break;
	case AGENT_OPT_REQUIRE:
		o->require_llm = 1;
		break;
	case AGENT_OPT_PRICES:
		o->price_table = arg;
		break;
	default:
		return 0;
	}
	return 1;
}
