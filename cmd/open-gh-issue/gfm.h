/*
 * gfm: text from databases and models, made safe for a GitHub issue.
 *
 * GitHub turns "@name" into a notification, "#12", "GH-12" and issue URLs
 * into cross-references, and raw "<" into HTML (or a forged hidden
 * comment).  Nothing written through these functions can do any of that:
 *
 *  - every "@" is followed by U+200B ZERO WIDTH SPACE, which keeps the
 *    text readable but breaks the mention;
 *  - "#" and "GH-" before a digit, and "://", get the same treatment;
 *  - "<" becomes "&lt;" outside code spans;
 *  - control characters and line breaks become spaces where a single line
 *    is wanted (table cells, list items).
 *
 * Live mentions are written only for handles gfm_is_handle() accepts, and
 * only for owners named by the review.  All functions append to a buf;
 * none fails.
 */
#ifndef GFM_H
#define GFM_H

#include "buf.h"

#define GFM_TABLE	0x1	/* inside a table cell: escape "|" */
#define GFM_MULTILINE	0x2	/* keep line breaks (Markdown prose) */

/*
 * Append `s` as plain text: Markdown punctuation is backslash-escaped so
 * that names such as "a_b_c" or "x*y" show as they are.
 */
void	gfm_text(struct buf *b, const char *s, int flags);

/*
 * Append `s`, itself Markdown written by a model, keeping its formatting
 * but neutralising mentions, references, links and HTML.
 */
void	gfm_prose(struct buf *b, const char *s);

/*
 * Append `s` for a title, which GitHub shows as plain text: nothing is
 * escaped, but mentions and references are still broken.
 */
void	gfm_title(struct buf *b, const char *s);

/*
 * Append `s` as an inline code span whose fence is longer than any run of
 * backticks inside it.  NULL or "" gives nothing.
 */
void	gfm_code(struct buf *b, const char *s, int flags);

/*
 * 1 when `handle` is "@user" or "@org/team" as GitHub allows them, so that
 * it may be written as a live mention.
 */
int	gfm_is_handle(const char *handle);

#endif
