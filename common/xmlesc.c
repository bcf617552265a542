/*
 * xmlesc: XML escaping and cleaning.  One decoder walks the input a
 * character at a time so that dropping a forbidden character and replacing
 * a broken byte happen in the same place for every kind of output.
 */
#include <string.h>

#include "buf.h"
#include "utf8.h"
#include "xmlesc.h"

#define REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD in UTF-8 */

enum mode { MODE_TEXT, MODE_CLEAN };

static int
is_dropped(unsigned cp)
{
	if (cp < 0x20)
		return cp != '\t' && cp != '\n' && cp != '\r';
	return (cp >= 0x7f && cp <= 0x9f) || cp == 0xfffe || cp == 0xffff;
}

static void
add(struct buf *b, const char *text, size_t len, enum mode mode)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, n;
	unsigned cp;

	while (i < len) {
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0) {
			buf_addstr(b, REPLACEMENT);
			i++;
			continue;
		}
		if (is_dropped(cp)) {
			i += n;
			continue;
		}
		if (mode == MODE_TEXT && n == 1) {
			switch (cp) {
			case '&': buf_addstr(b, "&amp;"); i++; continue;
			case '<': buf_addstr(b, "&lt;"); i++; continue;
			case '>': buf_addstr(b, "&gt;"); i++; continue;
			case '"': buf_addstr(b, "&quot;"); i++; continue;
			case '\'': buf_addstr(b, "&apos;"); i++; continue;
			default: break;
			}
		}
		buf_add(b, s + i, n);
		i += n;
	}
}

void
xml_add_textn(struct buf *b, const char *s, size_t n)
{
	add(b, s, n, MODE_TEXT);
}

void
xml_add_text(struct buf *b, const char *s)
{
	add(b, s, strlen(s), MODE_TEXT);
}

void
xml_add_clean(struct buf *b, const char *s)
{
	add(b, s, strlen(s), MODE_CLEAN);
}

/*
 * "]]>" cannot appear inside a CDATA section, so the section is closed
 * after "]]" and a new one opened before ">": the reader concatenates
 * them back into the original text.  The text is cleaned first, since
 * dropping a control character can join "]]" and ">".
 */
void
xml_add_cdata(struct buf *b, const char *s)
{
	struct buf clean = BUF_INIT;
	const char *p, *end;

	add(&clean, s, strlen(s), MODE_CLEAN);
	buf_addstr(b, "<![CDATA[");
	for (p = clean.data; (end = strstr(p, "]]>")) != NULL; p = end + 2) {
		buf_add(b, p, (size_t)(end - p) + 2);
		buf_addstr(b, "]]><![CDATA[");
	}
	buf_addstr(b, p);
	buf_addstr(b, "]]>");
	buf_release(&clean);
}
