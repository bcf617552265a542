/*
 * fuzz_render-confluence: the narrative's Markdown, written as storage
 * XHTML and as the HTML preview, and the XML escapers under it.  Whatever
 * the text, the output must be well-formed: every element closed in
 * order, every "&" an entity, CDATA sections closed, no "<" inside an
 * attribute, and escaped text free of markup characters.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "markdown.h"
#include "markup.h"
#include "xalloc.h"
#include "xmlesc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A small well-formedness check; aborts (a finding) on a violation. */
static void
check_xml(const char *s)
{
	const char *stack[256];
	size_t stack_len[256];
	int depth = 0;
	const char *p = s;

	while (*p) {
		if (strncmp(p, "<![CDATA[", 9) == 0) {
			const char *end = strstr(p + 9, "]]>");

			if (end == NULL)
				abort();
			p = end + 3;
		} else if (strncmp(p, "<!--", 4) == 0) {
			const char *end = strstr(p + 4, "-->");

			if (end == NULL)
				abort();
			p = end + 3;
		} else if (*p == '<') {
			int closing = p[1] == '/';
			const char *name = p + 1 + closing, *q = name;
			size_t n;
			char quote = 0;

			while (*q && *q != ' ' && *q != '>' && *q != '/')
				q++;
			n = (size_t)(q - name);
			if (n == 0)
				abort();
			for (; *q && (quote || *q != '>'); q++) {
				if (quote && *q == '<')
					abort();
				if (*q == '"' || *q == '\'')
					quote = quote == *q ? 0 : quote ? quote : *q;
			}
			if (*q != '>')
				abort();
			if (closing) {
				if (depth == 0 || stack_len[depth - 1] != n ||
				    strncmp(stack[depth - 1], name, n) != 0)
					abort();
				depth--;
			} else if (q[-1] != '/' && strncmp(name, "br", n) != 0 &&
			    strncmp(name, "hr", n) != 0 &&
			    strncmp(name, "meta", n) != 0) {
				if (depth == 256)
					abort();
				stack[depth] = name;
				stack_len[depth++] = n;
			}
			p = q + 1;
		} else if (*p == '&') {
			size_t n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789#");

			if (n == 0 || p[1 + n] != ';')
				abort();
			p += n + 2;
		} else if (*p == '>') {
			abort();	/* a stray ">" means unescaped text */
		} else
			p++;
	}
	if (depth != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	struct buf b = BUF_INIT;
	struct markup m;
	char *out;

	xml_add_text(&b, text);
	if (strpbrk(b.data, "<>\"'") != NULL)
		abort();
	check_xml(b.data);
	buf_reset(&b);
	buf_addstr(&b, "<p>");
	xml_add_cdata(&b, text);
	buf_addstr(&b, "</p>");
	check_xml(b.data);
	buf_release(&b);

	for (int f = 0; f < 2; f++) {
		markup_init(&m, f ? MARKUP_HTML : MARKUP_STORAGE);
		mk_raw(&m, "<div>");
		md_render(&m, text, 3);
		mk_raw(&m, "</div>");
		out = markup_finish(&m);
		check_xml(out);
		free(out);
	}
	free(text);
	return 0;
}
