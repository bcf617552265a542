/*
 * impact-agent: read a diff and write the review of what each change does
 * to prod.  Only options, input and output live here; the assessment is
 * in assess.c and the rule files beside it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

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
		{ NULL,		0,			NULL, 0 }
	};
	const char *out = "-", *config = NULL, *owners = NULL;
	struct review_opts ro = { .app_dirs = NULL, .napp_dirs = 0 };
	struct doc diff;
	cJSON *review;
	int ch, pretty = 0;

	json_init();
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
		default:  usage(stderr, EX_USAGE);
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
	doc_read(&diff, argc ? argv[0] : "-", "diff", 1);
	review = review_build(&diff, &ro);
	doc_write(out, review, pretty);

	cJSON_Delete(review);
	doc_release(&diff);
	owners_release(&ro.owners);
	config_release(&ro.cfg);
	free(ro.app_dirs);
	return EX_OK;
}
