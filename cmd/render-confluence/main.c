/*
 * render-confluence: add the Confluence page (title, space, labels and
 * storage-format body) to a review, and optionally write an HTML preview.
 * Only options, input and output live here; the layout is in page.c.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "die.h"
#include "doc.h"
#include "html.h"
#include "json.h"
#include "markup.h"
#include "meta.h"
#include "page.h"
#include "review.h"

/* Confluence refuses a request larger than 5 MB; the body is most of it. */
#define CONFLUENCE_MAX_BODY	(5 * 1000 * 1000)

static _Noreturn void
usage(FILE *fp, int status)
{
	fputs("usage: render-confluence [-qv] [--html file] [-o file] "
	    "[--parent id]\n"
	    "                         [--pretty] [--space key] "
	    "[--title template]\n"
	    "                         [review]\n", fp);
	exit(status);
}

/* An option, else the environment variable, else NULL; "" is unset. */
static const char *
setting(const char *option, const char *variable)
{
	const char *v = option ? option : getenv(variable);

	return v != NULL && *v != '\0' ? v : NULL;
}

/* Confluence page ids are decimal numbers. */
static void
check_parent(const char *id, int from_option)
{
	if (id == NULL || id[strspn(id, "0123456789")] == '\0')
		return;
	if (from_option)
		errx(EX_USAGE, "--parent: \"%.64s\" is not a page id", id);
	errx(EX_CONFIG, "CONFLUENCE_PARENT_ID: \"%.64s\" is not a page id",
	    id);
}

/* Body of the page in one flavour; the caller frees it. */
static char *
render(const struct review *r, enum markup_flavour flavour)
{
	struct markup m;

	markup_init(&m, flavour);
	page_write(&m, r);
	return markup_finish(&m);
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "help",	no_argument,		NULL, 'h' },
		{ "html",	required_argument,	NULL, 'H' },
		{ "parent",	required_argument,	NULL, 'P' },
		{ "pretty",	no_argument,		NULL, 'p' },
		{ "space",	required_argument,	NULL, 'S' },
		{ "title",	required_argument,	NULL, 'T' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL,		0,			NULL, 0 }
	};
	const char *out = "-", *html_out = NULL, *space = NULL;
	const char *parent = NULL, *title = META_DEFAULT_TITLE, *problem;
	struct doc d;
	struct review r;
	cJSON *page;
	char *body;
	int ch, pretty = 0;

	json_init();
	while ((ch = getopt_long(argc, argv, "ho:qv", opts, NULL)) != -1) {
		switch (ch) {
		case 'h': usage(stdout, EX_OK);
		case 'H': html_out = optarg; break;
		case 'o': out = optarg; break;
		case 'P': parent = optarg; break;
		case 'p': pretty = 1; break;
		case 'q': verbosity = 0; break;
		case 'S': space = optarg; break;
		case 'T': title = optarg; break;
		case 'v': verbosity = 2; break;
		case 'V': print_version();
		default:  usage(stderr, EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		usage(stderr, EX_USAGE);
	if ((problem = meta_check_title(title)) != NULL)
		errx(EX_USAGE, "--title: %s", problem);
	check_parent(parent, 1);
	parent = setting(parent, "CONFLUENCE_PARENT_ID");
	check_parent(parent, 0);
	space = setting(space, "CONFLUENCE_SPACE");

	doc_read(&d, argc ? argv[0] : "-", "review", 1);
	review_load(&r, &d);
	page = meta_page(&r, title, space, parent);
	body = render(&r, MARKUP_STORAGE);
	if (strlen(body) > CONFLUENCE_MAX_BODY)
		warnx("page body is %zu bytes; Confluence refuses requests "
		    "over 5 MB", strlen(body));
	cJSON_AddStringToObject(page, "storage", body);
	free(body);
	if (html_out != NULL) {
		char *preview, *doc;

		preview = render(&r, MARKUP_HTML);
		doc = html_document(page, preview);
		doc_write_bytes(html_out, doc, strlen(doc));
		free(doc);
		free(preview);
	}
	cJSON_DeleteItemFromObjectCaseSensitive(d.root, "page");
	cJSON_AddItemToObject(d.root, "page", page);
	progress("%zu changes on page \"%s\"", r.nchanges,
	    json_str(page, "title"));
	doc_write(out, d.root, pretty);

	review_release(&r);
	doc_release(&d);
	return EX_OK;
}
