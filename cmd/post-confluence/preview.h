/*
 * preview: a standalone HTML page showing a storage-format body, for the
 * outbox when the review carries no page.html of its own.
 */
#ifndef PREVIEW_H
#define PREVIEW_H

/*
 * The HTML document, malloc'd: the title escaped, the storage as it is
 * except that CDATA sections (code macros), which HTML would drop as
 * comments, become escaped text.  Macro parameters are hidden by a style
 * sheet, all but titles.
 */
char	*preview_html(const char *title, const char *storage);

#endif
