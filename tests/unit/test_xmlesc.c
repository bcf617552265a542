/*
 * Unit tests for common/xmlesc: escaping, removal of characters XML 1.0
 * forbids, replacement of broken UTF-8, and CDATA splitting around "]]>".
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "t.h"
#include "xmlesc.h"

static char *
text(const char *s)
{
	struct buf b = BUF_INIT;

	xml_add_text(&b, s);
	return buf_detach(&b, NULL);
}

static char *
cdata(const char *s)
{
	struct buf b = BUF_INIT;

	xml_add_cdata(&b, s);
	return buf_detach(&b, NULL);
}

static char *
clean(const char *s)
{
	struct buf b = BUF_INIT;

	xml_add_clean(&b, s);
	return buf_detach(&b, NULL);
}

#define CHECK(fn, in, want, name) do {					\
	char *got_ = fn(in);						\
	T_STREQ(got_, want, name);					\
	free(got_);							\
} while (0)

int
main(void)
{
	CHECK(text, "a & b < c > d \"e\" 'f'",
	    "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;",
	    "the five XML characters are escaped");
	CHECK(text, "<script>alert(1)</script>",
	    "&lt;script&gt;alert(1)&lt;/script&gt;", "markup becomes text");
	CHECK(text, "tab\there\nline\rcr", "tab\there\nline\rcr",
	    "TAB, LF and CR are kept");
	CHECK(text, "a\x01" "b\x0b" "c\x0c" "d\x1f" "e\x7f" "f",
	    "abcdef", "C0 controls and DEL are dropped");
	CHECK(text, "x\xc2\x85y\xc2\x9fz", "xyz", "C1 controls are dropped");
	CHECK(text, "a\xef\xbf\xbe" "b\xef\xbf\xbf" "c", "abc",
	    "U+FFFE and U+FFFF are dropped");
	CHECK(text, "caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x90\x98",
	    "caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x90\x98",
	    "well-formed UTF-8 is kept");
	CHECK(text, "a\xff" "b\xc3" "c\xed\xa0\x80" "d",
	    "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd" "d", "broken UTF-8 becomes U+FFFD per byte");
	CHECK(text, "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd",
	    "overlong forms are not decoded");
	CHECK(clean, "a<b>&\"\x01" "c", "a<b>&\"c",
	    "clean drops controls and escapes nothing");
	CHECK(cdata, "SELECT 1", "<![CDATA[SELECT 1]]>", "plain CDATA");
	CHECK(cdata, "a]]>b", "<![CDATA[a]]]]><![CDATA[>b]]>",
	    "]]> is split across two sections");
	CHECK(cdata, "]]>]]>", "<![CDATA[]]]]><![CDATA[>]]]]><![CDATA[>]]>",
	    "every ]]> is split");
	CHECK(cdata, "]]\x01>", "<![CDATA[]]]]><![CDATA[>]]>",
	    "a control character between ]] and > cannot join them");
	CHECK(cdata, "x]]", "<![CDATA[x]]]]>", "a trailing ]] is harmless");
	CHECK(cdata, "", "<![CDATA[]]>", "empty CDATA");
	return t_done();
}
