/*
 * meta: the page's title, labels, space and parent.
 *
 * The title comes from a template whose placeholders are replaced by the
 * review's values:
 *   {pair}                  the diff's pair id
 *   {from_label} {to_label} the snapshots' labels (prod, staging)
 *   {from_db} {to_db}       the database names
 *   {from_host} {to_host}   the server host names
 *   {risk} {verdict}        summary.risk and summary.verdict
 *   {{ }}                   literal braces
 * post-confluence finds the page again by its title, so the default,
 * META_DEFAULT_TITLE, names only the pair: the same page is updated run
 * after run.  Control characters and runs of white space become one space,
 * and a title is cut to META_TITLE_MAX characters, Confluence's limit.
 */
#ifndef META_H
#define META_H

#include <cjson/cJSON.h>

#include "review.h"

#define META_DEFAULT_TITLE \
	"Schema drift review: {to_label} \xe2\x86\x92 {from_label} ({from_db})"
#define META_TITLE_MAX	255

/*
 * Check a template: return NULL when it is usable, else a message naming
 * the first unknown or unclosed placeholder (static storage).
 */
const char	*meta_check_title(const char *tmpl);
/* The expanded title; the caller frees it. */
char		*meta_title(const char *tmpl, const struct review *r);
/*
 * The page object without its storage: space and parent_id (null when
 * NULL), title, labels.  The caller owns it.
 */
cJSON		*meta_page(const struct review *r, const char *tmpl,
		    const char *space, const char *parent_id);

#endif
