/*
 * impact-agent: read a diff and write the review of what each change does
 * to prod.  Only options, input and output live here; the rules are in
 * assess.c and the files beside it, the optional model pass in agent.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "agent.h"
#include "assess.h"
#include "die.h"
#include "doc.h"
#include "json.h"
#include "xalloc.h"

static _Noreturn void
usage(FILE *fp, int status)
{
	fputs("usage: impact-agent [-qv] [--app-dir dir]... [--config file] "
	    "[--owners file]\n"
	    AGENT_USAGE
	    "                    [--pretty] [-o file] [diff]\n", fp);
	exit(status);
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "app-dir",	required_argument,	NULL, 'a' },
		{ "config",	required_argument,	NULL, 'c' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "owners",	required_argument,	NULL, 'O' },
		{ "pretty",	no_argument,		NULL, 'p' },
		{ "version",	no_argument,		NULL, 'V' },
		AGENT_LONG_OPTIONS,
		{ NULL,		0,			NULL, 0 }
	};
	const char *out = "-", *config = NULL, *owners = NULL;
	struct review_opts ro = { .app_dirs = NULL, .napp_dirs = 0 };
	struct agent_options ao;
	struct doc diff;
	cJSON *review;
	int ch, pretty = 0, status;

	json_init();
	agent_options_from_env(&ao);
	while ((ch = getopt_long(argc, argv, "ho:qv", opts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			ro.app_dirs = xrealloc(ro.app_dirs,
			    (ro.napp_dirs + 1) * sizeof(char *));
			ro.app_dirs[ro.napp_dirs++] = optarg;
			break;
		case 'c': config = optarg; break;
		case 'h': usage(stdout, EX_OK);
		case 'o': out = optarg; break;
		case 'O': owners = optarg; break;
		case 'p': pretty = 1; break;
		case 'q': verbosity = 0; break;
		case 'v': verbosity = 2; break;
		case 'V': print_version();
		default:
			if (!agent_option(&ao, ch, optarg))
				usage(stderr, EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		usage(stderr, EX_USAGE);
	if (owners == NULL && (owners = getenv("DRIFT_OWNERS_FILE")) != NULL &&
	    *owners == '\0')
		owners = NULL;

	config_load(&ro.cfg, config);
	owners_load(&ro.owners, owners);
	/* The model reads the same trees and extra prompt as the rules. */
	if (ao.prompt_file == NULL)
		ao.prompt_file = ro.cfg.prompt_file;
	ao.app_dirs = (const char *const *)ro.app_dirs;
	ao.n_app_dirs = ro.napp_dirs;
	agent_options_check(&ao);

	doc_read(&diff, argc ? argv[0] : "-", "diff", 1);
	review = review_build(&diff, &ro);
	/* With --require-llm a failed model pass is the run's failure. */
	if ((status = agent_review(review, &ao)) == EX_OK)
		doc_write(out, review, pretty);

	cJSON_Delete(review);
	doc_release(&diff);
	owners_release(&ro.owners);
	config_release(&ro.cfg);
	free(ro.app_dirs);
	return status;
}
