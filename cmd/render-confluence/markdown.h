/*
 * markdown: the review's narrative, a safe subset of Markdown, written as
 * page markup.
 *
 * Understood: ATX headings (# ...), paragraphs, bullet (- * +) and numbered
 * (1. 1)) lists nested by indentation, block quotes, horizontal rules,
 * fenced code (``` or ~~~, shown as a code block), pipe tables (| a | b |
 * over |---|---|; a "|" inside `code` does not split), and inline **strong**,
 * *emphasis*, _emphasis_ (not inside words, so snake_case names stay as
 * they are), `code`, backslash escapes, [text](url) and <url>.
 *
 * Everything else is text.  Raw HTML is escaped, never passed through.  A
 * link becomes <a href> only when its URL is http: or https:; any other
 * link shows its text alone.  The narrative cannot open an element it does
 * not close, so the page stays well-formed whatever the model wrote.
 */
#ifndef MARKDOWN_H
#define MARKDOWN_H

#include "markup.h"

/*
 * Write `text`.  Its highest heading becomes level `top`, the others keep
 * their distance below it (at most level 6), so "# A" and "## A" written
 * as the first heading both land where the page expects them.
 */
void	md_render(struct markup *m, const char *text, int top);

#endif
