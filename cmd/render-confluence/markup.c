/*
 * markup: storage-format macros and their HTML look-alikes.  The macro XML
 * follows Confluence's storage format: <ac:structured-macro ac:name=...>
 * with <ac:parameter> children and a rich-text or plain-text body.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "markup.h"
#include "xalloc.h"
#include "xmlesc.h"

#define TOC_NONE	SIZE_MAX

void
markup_init(struct markup *m, enum markup_flavour flavour)
{
	memset(m, 0, sizeof(*m));
	m->flavour = flavour;
	buf_init(&m->b);
	m->toc_at = TOC_NONE;
}

void
markup_release(struct markup *m)
{
	for (size_t i = 0; i < m->nheads; i++) {
		free(m->heads[i].anchor);
		free(m->heads[i].text);
	}
	free(m->heads);
	buf_release(&m->b);
	markup_init(m, m->flavour);
}

/* The HTML contents: a nested list of the level 2 and 3 headings. */
static void
html_toc(const struct markup *m, struct buf *out)
{
	int in2 = 0, in3 = 0;

	buf_addstr(out, "<nav class=\"toc\"><p class=\"toc-title\">"
	    "Contents</p><ul>");
	for (size_t i = 0; i < m->nheads; i++) {
		const struct mk_heading *h = &m->heads[i];

		if (h->level == 2) {
			buf_addstr(out, in3 ? "</ul>" : "");
			buf_addstr(out, in2 ? "</li>" : "");
			in3 = 0;
			in2 = 1;
			buf_addf(out, "<li><a href=\"#%s\">%s</a>", h->anchor,
			    h->text);
		} else if (h->level == 3) {
			buf_addstr(out, in2 ? "" : "<li>");
			buf_addstr(out, in3 ? "" : "<ul>");
			in2 = in3 = 1;
			buf_addf(out, "<li><a href=\"#%s\">%s</a></li>",
			    h->anchor, h->text);
		}
	}
	buf_addstr(out, in3 ? "</ul>" : "");
	buf_addstr(out, in2 ? "</li>" : "");
	buf_addstr(out, "</ul></nav>");
}

char *
markup_finish(struct markup *m)
{
	struct buf out = BUF_INIT;

	if (m->toc_at != TOC_NONE) {
		buf_add(&out, m->b.data, m->toc_at);
		html_toc(m, &out);
		buf_addstr(&out, m->b.data + m->toc_at);
	} else {
		out = m->b;
		buf_init(&m->b);
	}
	markup_release(m);
	return buf_detach(&out, NULL);
}

void
mk_raw(struct markup *m, const char *markup)
{
	buf_addstr(&m->b, markup);
}

void
mk_text(struct markup *m, const char *s)
{
	xml_add_text(&m->b, s);
}

void
mk_textn(struct markup *m, const char *s, size_t n)
{
	xml_add_textn(&m->b, s, n);
}

void
mk_textf(struct markup *m, const char *fmt, ...)
{
	struct buf t = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&t, fmt, ap);
	va_end(ap);
	xml_add_text(&m->b, t.data);
	buf_release(&t);
}

void
mk_code_inline(struct markup *m, const char *s)
{
	mk_raw(m, "<code>");
	mk_text(m, s);
	mk_raw(m, "</code>");
}

static void
parameter(struct markup *m, const char *name, const char *value)
{
	buf_addf(&m->b, "<ac:parameter ac:name=\"%s\">", name);
	xml_add_text(&m->b, value);
	buf_addstr(&m->b, "</ac:parameter>");
}

static void
macro_begin(struct markup *m, const char *name)
{
	buf_addf(&m->b, "<ac:structured-macro ac:name=\"%s\">", name);
}

static void
macro_end(struct markup *m)
{
	buf_addstr(&m->b, "</ac:structured-macro>");
}

/*
 * Headings: storage puts an anchor macro inside the heading; HTML gives
 * the heading an id (generated when there is no anchor, so the contents
 * can link to it) and remembers it for the contents.
 */
void
mk_heading_begin(struct markup *m, int level, const char *anchor)
{
	struct mk_heading *h;

	m->head_level = level;
	if (m->flavour == MARKUP_STORAGE) {
		buf_addf(&m->b, "<h%d>", level);
		if (anchor != NULL) {
			macro_begin(m, "anchor");
			parameter(m, "", anchor);
			macro_end(m);
		}
		return;
	}
	if (m->nheads == m->aheads) {
		m->aheads = m->aheads ? 2 * m->aheads : 16;
		m->heads = xrealloc(m->heads, m->aheads * sizeof(*m->heads));
	}
	h = &m->heads[m->nheads++];
	h->level = level;
	if (anchor != NULL)
		h->anchor = xstrdup(anchor);
	else {
		struct buf a = BUF_INIT;

		buf_addf(&a, "section-%zu", m->nheads);
		h->anchor = buf_detach(&a, NULL);
	}
	h->text = NULL;
	buf_addf(&m->b, "<h%d id=\"%s\">", level, h->anchor);
	m->head_at = m->b.len;
}

void
mk_heading_end(struct markup *m)
{
	struct mk_heading *h;
	struct buf t = BUF_INIT;
	int in_tag = 0;

	if (m->flavour == MARKUP_STORAGE) {
		buf_addf(&m->b, "</h%d>", m->head_level);
		return;
	}
	h = &m->heads[m->nheads - 1];
	/* Our markup has no '<' or '>' in text, so dropping tags is exact. */
	for (const char *p = m->b.data + m->head_at; *p; p++) {
		if (*p == '<')
			in_tag = 1;
		else if (*p == '>')
			in_tag = 0;
		else if (!in_tag)
			buf_addch(&t, *p);
	}
	h->text = buf_detach(&t, NULL);
	buf_addf(&m->b, "</h%d>", h->level);
}

void
mk_heading(struct markup *m, int level, const char *anchor, const char *text)
{
	mk_heading_begin(m, level, anchor);
	mk_text(m, text);
	mk_heading_end(m);
}

void
mk_status(struct markup *m, const char *colour, int subtle, const char *title)
{
	if (m->flavour == MARKUP_HTML) {
		buf_addstr(&m->b, "<span class=\"status ");
		for (const char *p = colour; *p; p++)
			buf_addch(&m->b, *p >= 'A' && *p <= 'Z' ?
			    *p - 'A' + 'a' : *p);
		buf_addf(&m->b, "%s\">", subtle ? " subtle" : "");
		mk_text(m, title);
		buf_addstr(&m->b, "</span>");
		return;
	}
	macro_begin(m, "status");
	parameter(m, "colour", colour);
	parameter(m, "title", title);
	if (subtle)
		parameter(m, "subtle", "true");
	macro_end(m);
}

void
mk_panel_begin(struct markup *m, const char *kind, const char *title)
{
	if (m->flavour == MARKUP_HTML) {
		buf_addf(&m->b, "<div class=\"panel %s\">", kind);
		if (title != NULL) {
			buf_addstr(&m->b, "<p class=\"panel-title\">");
			mk_text(m, title);
			buf_addstr(&m->b, "</p>");
		}
		return;
	}
	macro_begin(m, kind);
	if (title != NULL)
		parameter(m, "title", title);
	buf_addstr(&m->b, "<ac:rich-text-body>");
}

void
mk_panel_end(struct markup *m)
{
	if (m->flavour == MARKUP_HTML)
		buf_addstr(&m->b, "</div>");
	else {
		buf_addstr(&m->b, "</ac:rich-text-body>");
		macro_end(m);
	}
}

void
mk_expand_begin(struct markup *m, const char *title)
{
	if (m->flavour == MARKUP_HTML) {
		buf_addstr(&m->b, "<details class=\"expand\"><summary>");
		mk_text(m, title);
		buf_addstr(&m->b, "</summary><div class=\"expand-body\">");
		return;
	}
	macro_begin(m, "expand");
	parameter(m, "title", title);
	buf_addstr(&m->b, "<ac:rich-text-body>");
}

void
mk_expand_end(struct markup *m)
{
	if (m->flavour == MARKUP_HTML)
		buf_addstr(&m->b, "</div></details>");
	else {
		buf_addstr(&m->b, "</ac:rich-text-body>");
		macro_end(m);
	}
}

/*
 * Storage code goes in CDATA, which xml_add_cdata() splits around "]]>";
 * the preview escapes it into <pre>.
 */
void
mk_code(struct markup *m, const char *lang, const char *title,
    const char *text)
{
	if (m->flavour == MARKUP_HTML) {
		buf_addstr(&m->b, "<div class=\"code\">");
		if (title != NULL) {
			buf_addstr(&m->b, "<div class=\"code-title\">");
			mk_text(m, title);
			buf_addstr(&m->b, "</div>");
		}
		buf_addf(&m->b, "<pre><code class=\"language-%s\">", lang);
		mk_text(m, text);
		buf_addstr(&m->b, "</code></pre></div>");
		return;
	}
	macro_begin(m, "code");
	parameter(m, "language", lang);
	if (title != NULL)
		parameter(m, "title", title);
	buf_addstr(&m->b, "<ac:plain-text-body>");
	xml_add_cdata(&m->b, text);
	buf_addstr(&m->b, "</ac:plain-text-body>");
	macro_end(m);
}

void
mk_anchor_link(struct markup *m, const char *anchor, const char *text)
{
	if (m->flavour == MARKUP_HTML) {
		buf_addf(&m->b, "<a href=\"#%s\">", anchor);
		mk_text(m, text);
		buf_addstr(&m->b, "</a>");
		return;
	}
	buf_addf(&m->b, "<ac:link ac:anchor=\"%s\">"
	    "<ac:plain-text-link-body>", anchor);
	xml_add_cdata(&m->b, text);
	buf_addstr(&m->b, "</ac:plain-text-link-body></ac:link>");
}

void
mk_link_begin(struct markup *m, const char *href)
{
	buf_addstr(&m->b, "<a href=\"");
	xml_add_text(&m->b, href);
	buf_addstr(&m->b, m->flavour == MARKUP_HTML ?
	    "\" rel=\"nofollow noopener\">" : "\">");
}

void
mk_link_end(struct markup *m)
{
	buf_addstr(&m->b, "</a>");
}

void
mk_tasks_begin(struct markup *m)
{
	buf_addstr(&m->b, m->flavour == MARKUP_HTML ? "<ul class=\"tasks\">" :
	    "<ac:task-list>");
}

void
mk_task_begin(struct markup *m)
{
	if (m->flavour == MARKUP_HTML) {
		buf_addstr(&m->b, "<li><input type=\"checkbox\" "
		    "disabled=\"disabled\"/> ");
		return;
	}
	buf_addf(&m->b, "<ac:task><ac:task-id>%d</ac:task-id>"
	    "<ac:task-status>incomplete</ac:task-status><ac:task-body>",
	    ++m->ntasks);
}

void
mk_task_end(struct markup *m)
{
	buf_addstr(&m->b, m->flavour == MARKUP_HTML ? "</li>" :
	    "</ac:task-body></ac:task>");
}

void
mk_tasks_end(struct markup *m)
{
	buf_addstr(&m->b, m->flavour == MARKUP_HTML ? "</ul>" :
	    "</ac:task-list>");
}

void
mk_toc(struct markup *m)
{
	if (m->flavour == MARKUP_HTML) {
		m->toc_at = m->b.len;
		return;
	}
	macro_begin(m, "toc");
	parameter(m, "minLevel", "2");
	parameter(m, "maxLevel", "3");
	macro_end(m);
}
