/*
 * html: the standalone preview, one self-contained XHTML file (inline CSS,
 * no script, nothing fetched) that looks like the Confluence page: title,
 * space and labels above the body written by page_write() in the HTML
 * flavour.  It is well-formed XML as well as HTML, so the tests parse it.
 */
#ifndef HTML_H
#define HTML_H

#include <cjson/cJSON.h>

/* The whole document for `page` (title, space, labels) and its body. */
char	*html_document(const cJSON *page, const char *body);

#endif
