/*
 * config: read the rules config and check every key of it.
 *
 * Unknown keys are errors rather than ignored, so a misspelt
 * "large_table_byte" cannot silently leave the default in force.
 */
#include <err.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "json.h"
#include "xalloc.h"

#define CONFIG_MAX_BYTES	(1 << 20)

static const char *const rate_keys[] = {
	NULL, "rewrite", "index_build", NULL, "fk_validation", "scan"
};

static char *
slurp(const char *path)
{
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;
	FILE *fp = fopen(path, "r");

	if (fp == NULL)
		err(EX_CONFIG, "%s", path);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		buf_add(&b, chunk, n);
		if (b.len > CONFIG_MAX_BYTES)
			errx(EX_CONFIG, "%s: larger than %d bytes", path,
			    CONFIG_MAX_BYTES);
	}
	if (ferror(fp))
		err(EX_CONFIG, "%s", path);
	fclose(fp);
	return buf_detach(&b, NULL);
}

static int64_t
positive(const char *path, const cJSON *v, const char *key)
{
	if (!cJSON_IsNumber(v) && !cJSON_IsRaw(v))
		errx(EX_CONFIG, "%s: \"%s\" must be a number, not %s", path,
		    key, json_type_name(v));
	if (json_int64(v) <= 0)
		errx(EX_CONFIG, "%s: \"%s\" must be greater than 0", path,
		    key);
	return json_int64(v);
}

static void
add_silence(struct config *cfg, const char *rule, const char *obj)
{
	cfg->silence_rule = xrealloc(cfg->silence_rule,
	    (cfg->nsilence + 1) * sizeof(char *));
	cfg->silence_obj = xrealloc(cfg->silence_obj,
	    (cfg->nsilence + 1) * sizeof(char *));
	cfg->silence_rule[cfg->nsilence] = xstrdup(rule);
	cfg->silence_obj[cfg->nsilence] = xstrdup(obj);
	cfg->nsilence++;
}

static void
read_ignore(struct config *cfg, const char *path, const cJSON *v)
{
	const cJSON *it;
	int i = 0;

	if (!cJSON_IsArray(v))
		errx(EX_CONFIG, "%s: \"ignore\" must be an array, not %s", path,
		    json_type_name(v));
	cJSON_ArrayForEach(it, v) {
		const char *rule = json_str(it, "rule");
		const char *obj = json_str(it, "object");
		const cJSON *m;

		if (cJSON_IsString(it)) {
			cfg->ignore = xrealloc(cfg->ignore,
			    (cfg->nignore + 1) * sizeof(char *));
			cfg->ignore[cfg->nignore++] = xstrdup(it->valuestring);
		} else if (cJSON_IsObject(it)) {
			cJSON_ArrayForEach(m, it)
				if (strcmp(m->string, "rule") != 0 &&
				    strcmp(m->string, "object") != 0)
					errx(EX_CONFIG,
					    "%s: \"ignore[%d].%s\": "
					    "unknown key", path, i, m->string);
			if (rule == NULL)
				errx(EX_CONFIG,
				    "%s: \"ignore[%d].rule\" must be "
				    "a rule id", path, i);
			if (rule_index(rule) < 0)
				errx(EX_CONFIG, "%s: \"ignore[%d].rule\": "
				    "unknown rule \"%s\"", path, i, rule);
			add_silence(cfg, rule, obj ? obj : "*");
		} else {
			errx(EX_CONFIG, "%s: \"ignore[%d]\" must be a glob or "
			    "{\"rule\", \"object\"}, not %s", path, i,
			    json_type_name(it));
		}
		i++;
	}
}

static void
read_severity(struct config *cfg, const char *path, const cJSON *v)
{
	const cJSON *m;
	enum sev s;
	int i;

	if (!cJSON_IsObject(v))
		errx(EX_CONFIG, "%s: \"severity\" must be an object, not %s",
		    path, json_type_name(v));
	cJSON_ArrayForEach(m, v) {
		if ((i = rule_index(m->string)) < 0)
			errx(EX_CONFIG, "%s: \"severity.%s\": unknown rule",
			    path, m->string);
		if (!cJSON_IsString(m) || !sev_parse(m->valuestring, &s))
			errx(EX_CONFIG, "%s: \"severity.%s\" must be one of "
			    "critical, high, medium, low, info", path,
			    m->string);
		cfg->override[i] = (int)s;
	}
}

static void
read_rates(struct config *cfg, const char *path, const cJSON *v)
{
	const cJSON *m;
	size_t i;

	if (!cJSON_IsObject(v))
		errx(EX_CONFIG, "%s: \"throughput_mb_per_second\" must be an "
		    "object, not %s", path, json_type_name(v));
	cJSON_ArrayForEach(m, v) {
		for (i = 1; i <= RATE_SCAN; i++)
			if (rate_keys[i] && strcmp(m->string,
			    rate_keys[i]) == 0)
				break;
		if (i > RATE_SCAN)
			errx(EX_CONFIG, "%s: \"throughput_mb_per_second.%s\": "
			    "unknown key (rewrite, index_build, fk_validation, "
			    "scan)", path, m->string);
		if (!cJSON_IsNumber(m) || !(m->valuedouble > 0))
			errx(EX_CONFIG, "%s: \"throughput_mb_per_second.%s\" "
			    "must be a number greater than 0", path,
			    m->string);
		cfg->rate[i] = m->valuedouble;
	}
}

/* A relative `name` is taken relative to the config file's directory. */
static char *
beside(const char *path, const char *name)
{
	const char *slash = strrchr(path, '/');
	struct buf b = BUF_INIT;

	if (name[0] == '/' || slash == NULL)
		return xstrdup(name);
	buf_add(&b, path, (size_t)(slash - path + 1));
	buf_addstr(&b, name);
	return buf_detach(&b, NULL);
}

void
config_load(struct config *cfg, const char *path)
{
	const char *end = NULL;
	cJSON *root, *m;
	char *text;
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	cfg->large_bytes = (int64_t)1 << 30;
	cfg->large_rows = 10000000;
	cfg->rate[RATE_REWRITE] = 25;
	cfg->rate[RATE_INDEX] = 50;
	cfg->rate[RATE_FK] = 100;
	cfg->rate[RATE_SCAN] = 150;
	cfg->override = xmalloc(rule_count() * sizeof(int));
	for (i = 0; i < rule_count(); i++)
		cfg->override[i] = -1;
	if (path == NULL)
		return;
	text = slurp(path);
	root = cJSON_ParseWithOpts(text, &end, 1);
	if (root == NULL) {
		size_t line = 1;
		const char *p;

		for (p = text; end && p < end; p++)
			line += *p == '\n';
		errx(EX_CONFIG, "%s: line %zu: not valid JSON", path, line);
	}
	if (!cJSON_IsObject(root))
		errx(EX_CONFIG, "%s: must be a JSON object, not %s", path,
		    json_type_name(root));
	cJSON_ArrayForEach(m, root) {
		if (strcmp(m->string, "ignore") == 0)
			read_ignore(cfg, path, m);
		else if (strcmp(m->string, "severity") == 0)
			read_severity(cfg, path, m);
		else if (strcmp(m->string, "large_table_bytes") == 0)
			cfg->large_bytes = positive(path, m, m->string);
		else if (strcmp(m->string, "large_table_rows") == 0)
			cfg->large_rows = positive(path, m, m->string);
		else if (strcmp(m->string, "throughput_mb_per_second") == 0)
			read_rates(cfg, path, m);
		else if (strcmp(m->string, "prompt_file") == 0) {
			if (!cJSON_IsString(m))
				errx(EX_CONFIG, "%s: \"prompt_file\" must be a "
				    "string, not %s", path, json_type_name(m));
			cfg->prompt_file = beside(path, m->valuestring);
			if (access(cfg->prompt_file, R_OK) != 0)
				errx(EX_CONFIG, "%s: \"prompt_file\": %s: %s",
				    path, cfg->prompt_file, strerror(errno));
		} else {
			errx(EX_CONFIG, "%s: \"%s\": unknown key", path,
			    m->string);
		}
	}
	cJSON_Delete(root);
	free(text);
}

void
config_release(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nignore; i++)
		free(cfg->ignore[i]);
	for (i = 0; i < cfg->nsilence; i++) {
		free(cfg->silence_rule[i]);
		free(cfg->silence_obj[i]);
	}
	free(cfg->ignore);
	free(cfg->silence_rule);
	free(cfg->silence_obj);
	free(cfg->override);
	free(cfg->prompt_file);
	memset(cfg, 0, sizeof(*cfg));
}

int
config_ignored(const struct config *cfg, const char *object,
    const char *table)
{
	size_t i;

	for (i = 0; i < cfg->nignore; i++)
		if (fnmatch(cfg->ignore[i], object, 0) == 0 ||
		    (table && fnmatch(cfg->ignore[i], table, 0) == 0))
			return 1;
	return 0;
}
