/*
 * markup: the page as it is written, in one of two flavours.
 *
 * Confluence storage format (MARKUP_STORAGE) and the HTML preview
 * (MARKUP_HTML) share their XHTML: headings, paragraphs, tables, lists,
 * <code>, <a href>.  They differ in what Confluence draws with macros: a
 * status lozenge, a panel, an expand section, a code block, an anchor, a
 * task list and the table of contents are ac: macros in one and plain
 * elements with CSS classes in the other.  The page layout calls these
 * functions and never needs to know which flavour it writes, so the
 * preview cannot drift away from the page.
 *
 * Every text argument is escaped (xmlesc.h) before it is written; only
 * mk_raw() writes markup as it is, and its callers pass literals from this
 * program.  Macro names, colours and languages are literals too.
 *
 * A markup owns its buffer; markup_finish() hands the result over (the
 * caller frees it) and leaves the markup released.  Out of memory ends the
 * program, so nothing here fails.
 */
#ifndef MARKUP_H
#define MARKUP_H

#include <stddef.h>

#include "buf.h"

enum markup_flavour { MARKUP_STORAGE, MARKUP_HTML };

struct mk_heading {
	int	 level;
	char	*anchor;
	char	*text;		/* escaped, untagged, for contents */
};

struct markup {
	enum markup_flavour flavour;
	struct buf	 b;
	struct mk_heading *heads;	/* HTML: headings for the contents */
	size_t		 nheads, aheads;
	int		 head_level;	/* of the open heading */
	size_t		 head_at;	/* HTML: start of heading text */
	size_t		 toc_at;	/* HTML: contents, or SIZE_MAX */
	int		 ntasks;	/* storage: last ac:task-id given */
};

void	 markup_init(struct markup *m, enum markup_flavour flavour);
/* Complete the page (the HTML contents are placed) and hand it over. */
char	*markup_finish(struct markup *m);
void	 markup_release(struct markup *m);

void	 mk_raw(struct markup *m, const char *markup);
void	 mk_text(struct markup *m, const char *s);
void	 mk_textn(struct markup *m, const char *s, size_t n);
void	 mk_textf(struct markup *m, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* <code>s</code> */
void	 mk_code_inline(struct markup *m, const char *s);

/*
 * A heading of `level` (1-6).  `anchor` ([a-z0-9-]) names it for same-page
 * links, or NULL.  The text is written between begin and end.
 */
void	 mk_heading_begin(struct markup *m, int level, const char *anchor);
void	 mk_heading_end(struct markup *m);
void	 mk_heading(struct markup *m, int level, const char *anchor,
	    const char *text);

/* colour: Grey, Red, Yellow, Green, Blue; subtle draws an outline. */
void	 mk_status(struct markup *m, const char *colour, int subtle,
	    const char *title);
/* kind: info, tip, note, warning; title may be NULL. */
void	 mk_panel_begin(struct markup *m, const char *kind,
	    const char *title);
void	 mk_panel_end(struct markup *m);
void	 mk_expand_begin(struct markup *m, const char *title);
void	 mk_expand_end(struct markup *m);
/* A code block; lang is a code macro language (sql, json, none, ...). */
void	 mk_code(struct markup *m, const char *lang, const char *title,
	    const char *text);
/* A link to the heading with that anchor on the same page. */
void	 mk_anchor_link(struct markup *m, const char *anchor,
	    const char *text);
/* An external link; the caller has checked the scheme. */
void	 mk_link_begin(struct markup *m, const char *href);
void	 mk_link_end(struct markup *m);
void	 mk_tasks_begin(struct markup *m);
void	 mk_task_begin(struct markup *m);
void	 mk_task_end(struct markup *m);
void	 mk_tasks_end(struct markup *m);
/* The table of contents of levels 2 and 3. */
void	 mk_toc(struct markup *m);

#endif
