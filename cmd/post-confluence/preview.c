/*
 * preview: storage format shown by a browser.  Browsers render unknown
 * elements such as <ac:structured-macro> as their content, so the page
 * reads well without a Confluence, once CDATA is made text.
 */
#include <string.h>

#include "buf.h"
#include "preview.h"

static void
add_escaped(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': buf_addstr(b, "&amp;"); break;
		case '<': buf_addstr(b, "&lt;"); break;
		case '>': buf_addstr(b, "&gt;"); break;
		case '"': buf_addstr(b, "&quot;"); break;
		case '\'': buf_addstr(b, "&#39;"); break;
		default: buf_addch(b, s[i]); break;
		}
	}
}

static const char head[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\">\n"
    "<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<title>%s</title>\n"
    "<style>\n"
    "body { font-family: sans-serif; max-width: 60em; margin: 2em auto; "
    "padding: 0 1em; }\n"
    "table { border-collapse: collapse; }\n"
    "th, td { border: 1px solid #ccc; padding: 0.3em; }\n"
    "ac\\:parameter { display: none; }\n"
    "ac\\:parameter[ac\\:name=\"title\"] { display: inline; "
    "font-weight: bold; }\n"
    "ac\\:plain-text-body { display: block; white-space: pre-wrap; "
    "font-family: monospace; background: #f4f5f7; padding: 0.5em; }\n"
    "</style>\n"
    "</head>\n"
    "<body>\n";

char *
preview_html(const char *title, const char *storage)
{
	struct buf b = BUF_INIT, t = BUF_INIT;
	const char *p = storage, *open, *close;

	add_escaped(&t, title, strlen(title));
	buf_addf(&b, head, t.data);
	buf_addf(&b, "<h1>%s</h1>\n", t.data);
	while ((open = strstr(p, "<![CDATA[")) != NULL) {
		buf_add(&b, p, (size_t)(open - p));
		open += 9;
		if ((close = strstr(open, "]]>")) == NULL)
			close = open + strlen(open);
		add_escaped(&b, open, (size_t)(close - open));
		p = *close ? close + 3 : close;
	}
	buf_addstr(&b, p);
	buf_addstr(&b, "\n</body>\n</html>\n");
	buf_release(&t);
	return buf_detach(&b, NULL);
}
