/*
 * gfm: neutralising untrusted text for GitHub Markdown (see gfm.h).  One
 * scanner, neutralise(), knows every construct that could notify, link or
 * open HTML; the three writers differ only in what else they escape.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "gfm.h"

#define ZWSP	"\xe2\x80\x8b"	/* U+200B ZERO WIDTH SPACE */

enum mode { MODE_TEXT, MODE_PROSE, MODE_CODE };

/*
 * Write one byte of `s` at `p` and return how many bytes were consumed.
 * Mentions, references and autolinks are broken with a zero width space
 * in every mode, code spans included: GitHub does not link mentions in
 * code, but nothing is lost by not relying on it.
 */
static size_t
neutralise(struct buf *b, const char *s, const char *p, enum mode m,
    int flags)
{
	unsigned char c = (unsigned char)*p;

	if (c == '\r')
		return 1;
	if (c == '\n' && (flags & GFM_MULTILINE) && m != MODE_CODE) {
		buf_addch(b, '\n');
		return 1;
	}
	if (c < 0x20 || c == 0x7f) {
		buf_addch(b, ' ');
		return 1;
	}
	if (c == '@') {
		buf_addstr(b, "@" ZWSP);
		return 1;
	}
	if (c == '#' && isdigit((unsigned char)p[1])) {
		buf_addstr(b, m == MODE_TEXT ? "\\#" ZWSP : "#" ZWSP);
		return 1;
	}
	if ((c == 'G' || c == 'g') && (p[1] == 'H' || p[1] == 'h') &&
	    p[2] == '-' && isdigit((unsigned char)p[3]) &&
	    (p == s || !isalnum((unsigned char)p[-1]))) {
		buf_add(b, p, 3);
		buf_addstr(b, ZWSP);
		return 3;
	}
	if (c == ':' && p[1] == '/' && p[2] == '/') {
		buf_addstr(b, ":/" ZWSP "/");
		return 3;
	}
	if ((c == 'w' || c == 'W') && strncasecmp(p, "www.", 4) == 0 &&
	    (p == s || !isalnum((unsigned char)p[-1]))) {
		buf_add(b, p, 3);
		buf_addstr(b, ZWSP);
		return 3;
	}
	if (m == MODE_CODE) {
		if (c == '|' && (flags & GFM_TABLE))
			buf_addstr(b, "\\|");
		else if (c == '\\' && p[1] == '|' && (flags & GFM_TABLE))
			buf_addstr(b, "\\" ZWSP);	/* keep "\|" a pipe */
		else
			buf_addch(b, c);
		return 1;
	}
	if (c == '<') {
		buf_addstr(b, "&lt;");
		return 1;
	}
	if (c == '&' && (m == MODE_TEXT || p[1] == '#')) {
		buf_addstr(b, "&amp;");
		return 1;
	}
	if (c == '|' && (flags & GFM_TABLE)) {
		buf_addstr(b, "\\|");
		return 1;
	}
	if (m == MODE_TEXT && strchr("\\`*_[]>#~!", c) != NULL) {
		buf_addch(b, '\\');
		buf_addch(b, c);
		return 1;
	}
	buf_addch(b, c);
	return 1;
}

static void
write_all(struct buf *b, const char *s, enum mode m, int flags)
{
	for (const char *p = s; *p; )
		p += neutralise(b, s, p, m, flags);
}

void
gfm_text(struct buf *b, const char *s, int flags)
{
	if (s != NULL)
		write_all(b, s, MODE_TEXT, flags);
}

void
gfm_prose(struct buf *b, const char *s)
{
	if (s != NULL)
		write_all(b, s, MODE_PROSE, GFM_MULTILINE);
}

void
gfm_title(struct buf *b, const char *s)
{
	if (s != NULL)
		write_all(b, s, MODE_CODE, 0);
}

void
gfm_code(struct buf *b, const char *s, int flags)
{
	struct buf code = BUF_INIT;
	size_t run = 0, longest = 0, len;
	int pad;

	if (s == NULL || *s == '\0')
		return;
	/*
	 * Measure the text as written: dropping a control character can
	 * join two runs of backticks into a longer one.
	 */
	write_all(&code, s, MODE_CODE, flags);
	for (const char *p = code.data; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	len = code.len;
	if (len == 0) {		/* nothing printable: no empty span */
		buf_release(&code);
		return;
	}
	/* GitHub strips one space from each end when both ends have one. */
	pad = code.data[0] == '`' || code.data[len - 1] == '`' ||
	    (code.data[0] == ' ' && code.data[len - 1] == ' ');
	for (size_t i = 0; i <= longest; i++)
		buf_addch(b, '`');
	if (pad)
		buf_addch(b, ' ');
	buf_add(b, code.data, code.len);
	if (pad)
		buf_addch(b, ' ');
	for (size_t i = 0; i <= longest; i++)
		buf_addch(b, '`');
	buf_release(&code);
}

/*
 * GitHub logins: alphanumerics and single hyphens inside, at most 39
 * characters; team slugs: alphanumerics, "_", "." and "-".
 */
int
gfm_is_handle(const char *h)
{
	const char *p = h + 1;
	size_t n = 0;

	if (h[0] != '@' || !isalnum((unsigned char)*p))
		return 0;
	for (; *p && *p != '/'; p++, n++) {
		if (*p == '-' && (p[1] == '-' || p[1] == '\0' || p[1] == '/'))
			return 0;
		if (*p != '-' && !isalnum((unsigned char)*p))
			return 0;
	}
	if (n > 39)
		return 0;
	if (*p == '\0')
		return 1;
	if (*++p == '\0')
		return 0;
	for (; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_.-", *p))
			return 0;
	return 1;
}
