/*
 * post-confluence: publish a review's page to Confluence, or to a local
 * outbox directory, and add "confluence" to the review.  Only options,
 * input and output live here; publishing is in publish.c (v1.c, v2.c for
 * the two APIs), the outbox in outbox.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "die.h"
#include "doc.h"
#include "json.h"
#include "post.h"

static _Noreturn void
usage(FILE *fp, int status)
{
	fputs("usage: post-confluence [-qv] [--api auto|v2|v1] "
	    "[--insecure] [--outbox dir]\n"
	    "                       [--parent id] [--pretty] [--space key] "
	    "[-o file]\n"
	    "                       [review]\n", fp);
	exit(status);
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "api",	required_argument,	NULL, 'a' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "insecure",	no_argument,		NULL, 'k' },
		{ "outbox",	required_argument,	NULL, 'b' },
		{ "parent",	required_argument,	NULL, 'P' },
		{ "pretty",	no_argument,		NULL, 'p' },
		{ "space",	required_argument,	NULL, 's' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL,		0,			NULL, 0 }
	};
	struct post_options o = { 0 };
	struct post_result res = { 0 };
	struct post_config cfg;
	struct page_in pg;
	const char *out = "-";
	struct doc review;
	int ch, pretty = 0;

	json_init();
	while ((ch = getopt_long(argc, argv, "ho:qv", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': o.api = optarg; break;
		case 'b': o.outbox = optarg; break;
		case 'h': usage(stdout, EX_OK);
		case 'k': o.insecure = 1; break;
		case 'o': out = optarg; break;
		case 'P': o.parent_id = optarg; break;
		case 'p': pretty = 1; break;
		case 'q': verbosity = 0; break;
		case 's': o.space = optarg; break;
		case 'v': verbosity = 2; break;
		case 'V': print_version();
		default:  usage(stderr, EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		usage(stderr, EX_USAGE);

	doc_read(&review, argc ? argv[0] : "-", "review", 1);
	page_read(&review, &pg);
	config_load(&cfg, &o, &pg);
	if (cfg.outbox)
		outbox_publish(&cfg, &pg, &res);
	else
		publish(&cfg, &pg, &res);
	post_result_attach(&res, review.root);
	doc_write(out, review.root, pretty);

	post_result_release(&res);
	config_release(&cfg);
	doc_release(&review);
	return EX_OK;
}
