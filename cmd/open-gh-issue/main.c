/*
 * open-gh-issue: ask the owners of the changed objects, once, to sign off
 * on exactly this drift, in one GitHub issue per pair, and add `github` to
 * the review.  Options, configuration and output live here; what the issue
 * says is in compose.c, when to create, update or close it in sync.c, and
 * where it lives in github.c or outbox.c.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "buf.h"
#include "die.h"
#include "doc.h"
#include "github.h"
#include "json.h"
#include "outbox.h"
#include "review.h"
#include "secret.h"
#include "sync.h"

static _Noreturn void
usage(FILE *fp, int status)
{
	fputs("usage: open-gh-issue [-qv] [--no-page] [--pretty] "
	    "[-a login] [-l label]\n"
	    "                     [-o file] [review]\n", fp);
	exit(status);
}

/* A GitHub login, with or without its "@"; teams cannot be assigned. */
static const char *
check_login(const char *s)
{
	const char *l = s[0] == '@' ? s + 1 : s;
	size_t n = strlen(l);

	if (n == 0 || n > 39 || strspn(l, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != n || l[0] == '-')
		errx(EX_USAGE, "--assignee: \"%s\" is not a GitHub login", s);
	return l;
}

static const char *
check_label(const char *s)
{
	if (*s == '\0' || strlen(s) > 50 || strchr(s, ',') != NULL ||
	    strchr(s, '\n') != NULL)
		errx(EX_USAGE, "--label: \"%s\" is not a label name (1-50 "
		    "characters, no comma)", s);
	return s;
}

static int
repository_ok(const char *repo)
{
	const char *slash = strchr(repo, '/');
	const char *ok = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_.-";

	return slash != NULL && slash != repo && slash[1] != '\0' &&
	    strspn(repo, ok) == (size_t)(slash - repo) &&
	    strspn(slash + 1, ok) == strlen(slash + 1);
}

static cJSON *
github_member(const char *repo, const struct issue *is,
    enum sync_action a, int outbox)
{
	cJSON *g = cJSON_CreateObject();
	char now[32];
	time_t t = time(NULL);

	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	json_add_str(g, "repository", repo);
	if (is->number > 0)
		cJSON_AddNumberToObject(g, "number", (double)is->number);
	else
		json_add_null(g, "number");
	json_add_str(g, "url", is->url);
	/* As post-confluence does: "outbox" says a file was written. */
	json_add_str(g, "action", outbox && a != SYNC_UNCHANGED &&
	    a != SYNC_NONE ? "outbox" : sync_action_name(a));
	json_add_str(g, "posted_at", now);
	return g;
}

/* Exit EX_CONFIG naming every variable that is missing. */
static void
check_config(const char *repo, const char *token, const char *api)
{
	struct buf missing = BUF_INIT;

	if (repo == NULL || *repo == '\0')
		buf_addstr(&missing, " GITHUB_REPOSITORY");
	if (token == NULL)
		buf_addstr(&missing, " GITHUB_TOKEN (or GITHUB_TOKEN_FILE)");
	if (missing.len > 0)
		errx(EX_CONFIG, "missing configuration:%s (or set "
		    "DRIFT_OUTBOX)", missing.data);
	if (!repository_ok(repo))
		errx(EX_CONFIG, "GITHUB_REPOSITORY: \"%s\" is not OWNER/REPO",
		    repo);
	if (strncmp(api, "https://", 8) != 0 && strncmp(api, "http://", 7) != 0)
		errx(EX_CONFIG, "GITHUB_API_URL: \"%s\" is not an http(s) URL",
		    api);
}

static enum sync_action
to_outbox(const char *dir, const struct review *r,
    const struct sync_opts *so, struct issue *is)
{
	struct outbox ob;
	enum sync_action a;

	outbox_init(&ob, dir, r->pair);
	a = sync_issue(&ob.t, r, so, is);
	note("outbox: %s %s", sync_action_name(a), ob.path);
	outbox_release(&ob);
	return a;
}

static enum sync_action
to_github(const char *repo, const char *api, const struct review *r,
    const struct sync_opts *so, struct issue *is)
{
	char *token = secret_get("GITHUB_TOKEN");
	struct github g;
	enum sync_action a;

	check_config(repo, token, api);
	github_init(&g, api, repo, token,
	    cJSON_GetArrayItem(so->labels, 0)->valuestring);
	secret_free(token);
	a = sync_issue(&g.t, r, so, is);
	if (a == SYNC_NONE)
		note("github: no drift and no open issue");
	else
		note("github: %s issue #%ld %s", sync_action_name(a),
		    is->number, is->url ? is->url : "");
	github_release(&g);
	return a;
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "assignee",	required_argument, NULL, 'a' },
		{ "help",	no_argument,	NULL, 'h' },
		{ "label",	required_argument, NULL, 'l' },
		{ "no-page",	no_argument,	NULL, 'P' },
		{ "pretty",	no_argument,	NULL, 'p' },
		{ "version",	no_argument,	NULL, 'V' },
		{ NULL,		0,		NULL, 0 }
	};
	const char *out = "-", *outdir = getenv("DRIFT_OUTBOX");
	const char *repo = getenv("GITHUB_REPOSITORY");
	const char *api = getenv("GITHUB_API_URL");
	cJSON *labels, *assignees, *gh;
	struct sync_opts so = { 0 };
	struct review r;
	struct issue is;
	struct doc d;
	enum sync_action a;
	int ch, no_page = 0, pretty = 0;

	json_init();
	labels = cJSON_CreateArray();
	assignees = cJSON_CreateArray();
	while ((ch = getopt_long(argc, argv, "a:hl:o:qv", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': json_push_str(assignees, check_login(optarg)); break;
		case 'h': usage(stdout, EX_OK);
		case 'l': json_push_str(labels, check_label(optarg)); break;
		case 'o': out = optarg; break;
		case 'P': no_page = 1; break;
		case 'p': pretty = 1; break;
		case 'q': verbosity = 0; break;
		case 'v': verbosity = 2; break;
		case 'V': print_version();
		default:  usage(stderr, EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		usage(stderr, EX_USAGE);
	if (cJSON_GetArraySize(labels) == 0) {
		json_push_str(labels, "schema-drift");
		json_push_str(labels, "needs-signoff");
	}
	if (api == NULL || *api == '\0')
		api = "https://api.github.com";
	if (outdir != NULL && *outdir == '\0')
		outdir = NULL;

	doc_read(&d, argc ? argv[0] : "-", "review", 1);
	review_load(&r, &d, !no_page);
	so.full = no_page || r.page_url == NULL;
	so.labels = labels;
	so.assignees = assignees;
	a = outdir ? to_outbox(outdir, &r, &so, &is) :
	    to_github(repo, api, &r, &so, &is);
	gh = github_member(repo && *repo ? repo : NULL, &is, a,
	    outdir != NULL);
	cJSON_DeleteItemFromObjectCaseSensitive(d.root, "github");
	cJSON_AddItemToObject(d.root, "github", gh);
	doc_write(out, d.root, pretty);

	issue_release(&is);
	review_release(&r);
	doc_release(&d);
	cJSON_Delete(labels);
	cJSON_Delete(assignees);
	return EX_OK;
}
