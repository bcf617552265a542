/*
 * schema-diff: compare a prod snapshot with a staging one and write the
 * diff document.  Only options, input and output live here; comparing is
 * in diff.c and the files named by object kind.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "die.h"
#include "diff.h"
#include "doc.h"
#include "json.h"
#include "validate.h"
#include "xalloc.h"

static _Noreturn void
usage(FILE *fp, int status)
{
	fputs("usage: schema-diff [-pqv] [--exit-code] [-n schema] "
	    "[-N schema] [--ignore pattern]\n"
	    "                   [--pair name] [-o file] [prod staging]\n",
	    fp);
	exit(status);
}

static void
push(const char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = s;
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "exit-code",	no_argument,		NULL, 'x' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "ignore",	required_argument,	NULL, 'i' },
		{ "pair",	required_argument,	NULL, 'P' },
		{ "pretty",	no_argument,		NULL, 'p' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL,		0,			NULL, 0 }
	};
	struct filter f = { 0 };
	const char *out = "-", *pair = getenv("DRIFT_PAIR");
	struct doc prod, staging;
	size_t nchanges;
	int ch, exit_code = 0, pretty = 0;
	cJSON *diff;

	json_init();
	while ((ch = getopt_long(argc, argv, "hn:N:o:pqv", opts, NULL)) != -1) {
		switch (ch) {
		case 'h': usage(stdout, EX_OK);
		case 'i': push(&f.ignore, &f.nignore, optarg); break;
		case 'n': push(&f.incl, &f.nincl, optarg); break;
		case 'N': push(&f.excl, &f.nexcl, optarg); break;
		case 'o': out = optarg; break;
		case 'p': pretty = 1; break;
		case 'P': pair = optarg; break;
		case 'q': verbosity = 0; break;
		case 'v': verbosity = 2; break;
		case 'x': exit_code = 1; break;
		case 'V': print_version();
		default:  usage(stderr, EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 0 && argc != 2)
		usage(stderr, EX_USAGE);
	if (pair && *pair == '\0')
		pair = NULL;

	/* With no operands both snapshots come on stdin, prod first. */
	if (argc == 0 || (strcmp(argv[0], "-") == 0 &&
	    strcmp(argv[1], "-") == 0))
		doc_read_first(&prod, "-", "snapshot", 1);
	else
		doc_read(&prod, argv[0], "snapshot", 1);
	doc_read(&staging, argc ? argv[1] : "-", "snapshot", 1);
	validate_snapshot(&prod);
	validate_snapshot(&staging);
	diff = diff_snapshots(prod.root, staging.root, &f, pair, &nchanges);
	progress("%zu changes", nchanges);
	doc_write(out, diff, pretty);

	cJSON_Delete(diff);
	doc_release(&staging);
	doc_release(&prod);
	free(f.incl);
	free(f.excl);
	free(f.ignore);
	return exit_code && nchanges > 0 ? 1 : EX_OK;
}
