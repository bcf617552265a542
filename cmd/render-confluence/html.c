/*
 * html: the preview's frame and style sheet.  The CSS imitates
 * Confluence's look (Atlassian's greys and blues, its lozenge and panel
 * colours) closely enough for a reviewer to recognise the page; it avoids
 * "&", "<" and ">" so the file stays well-formed XML.
 */
#include "buf.h"
#include "html.h"
#include "json.h"
#include "xmlesc.h"

static const char style[] =
"body{margin:0;background:#fff;color:#172b4d;font:14px/1.6 -apple-system,"
"BlinkMacSystemFont,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}\n"
".top{background:#0747a6;color:#fff;padding:10px 24px;font-size:13px}\n"
".page{max-width:1000px;margin:0 auto;padding:24px 32px 64px}\n"
".crumbs{color:#6b778c;font-size:12px}\n"
"h1.title{font-size:28px;font-weight:500;margin:4px 0 8px}\n"
".labels{margin:0 0 24px}\n"
".label{display:inline-block;background:#f4f5f7;color:#42526e;"
"border-radius:3px;padding:0 6px;margin-right:4px;font-size:12px}\n"
"h2{font-size:20px;font-weight:500;margin:32px 0 8px;border-bottom:1px "
"solid #ebecf0;padding-bottom:4px}\n"
"h3{font-size:16px;font-weight:600;margin:28px 0 8px}\n"
"h4,h5,h6{font-size:14px;font-weight:600;margin:20px 0 6px}\n"
"code{font-family:SFMono-Medium,Menlo,Consolas,monospace;font-size:12px;"
"background:#f4f5f7;border-radius:3px;padding:1px 4px}\n"
"table{border-collapse:collapse;margin:8px 0 16px;width:100%}\n"
"th,td{border:1px solid #c1c7d0;padding:5px 9px;text-align:left;"
"vertical-align:top}\n"
"th{background:#f4f5f7;font-weight:600}\n"
".status{display:inline-block;border-radius:3px;padding:0 4px;"
"font-size:11px;font-weight:700;line-height:18px;text-transform:uppercase;"
"white-space:nowrap;border:1px solid transparent}\n"
".status.grey{background:#dfe1e6;color:#42526e}\n"
".status.red{background:#de350b;color:#fff}\n"
".status.yellow{background:#ffab00;color:#172b4d}\n"
".status.green{background:#00875a;color:#fff}\n"
".status.blue{background:#0052cc;color:#fff}\n"
".status.subtle{background:#fff}\n"
".status.subtle.red{color:#bf2600;border-color:#de350b}\n"
".status.subtle.yellow{color:#974f0c;border-color:#ffab00}\n"
".status.subtle.green{color:#006644;border-color:#00875a}\n"
".status.subtle.blue{color:#0747a6;border-color:#0052cc}\n"
".status.subtle.grey{color:#42526e;border-color:#97a0af}\n"
".panel{border-radius:3px;padding:8px 16px 8px 40px;margin:12px 0;"
"position:relative}\n"
".panel::before{position:absolute;left:12px;top:8px;font-weight:700;"
"width:18px;height:18px;border-radius:50%;color:#fff;text-align:center;"
"line-height:18px;font-size:12px}\n"
".panel.info{background:#deebff}.panel.info::before{content:'i';"
"background:#0052cc}\n"
".panel.note{background:#fffae6}.panel.note::before{content:'!';"
"background:#ff8b00}\n"
".panel.warning{background:#ffebe6}.panel.warning::before{content:'!';"
"background:#de350b}\n"
".panel.tip{background:#e3fcef}.panel.tip::before{content:'\\2713';"
"background:#00875a}\n"
".panel-title{font-weight:600;margin:0}\n"
".panel p{margin:4px 0}\n"
"details.expand{margin:8px 0}\n"
"details.expand summary{cursor:pointer;color:#0052cc}\n"
".expand-body{padding:4px 0 4px 16px}\n"
".code{border:1px solid #dfe1e6;border-radius:3px;margin:8px 0;"
"background:#fafbfc}\n"
".code-title{background:#f4f5f7;border-bottom:1px solid #dfe1e6;"
"padding:3px 10px;font-size:12px;font-weight:600}\n"
".code pre{margin:0;padding:8px 10px;overflow-x:auto}\n"
".code pre code{background:none;padding:0;white-space:pre}\n"
"nav.toc{margin:16px 0}\n"
"nav.toc ul{list-style:none;padding-left:16px;margin:0}\n"
".toc-title{font-weight:600;margin:0}\n"
"ul.tasks{list-style:none;padding-left:8px}\n"
"a{color:#0052cc;text-decoration:none}\n"
"hr{border:none;border-top:1px solid #ebecf0;margin:32px 0 8px}\n"
"blockquote{border-left:2px solid #c1c7d0;margin:8px 0;padding-left:16px;"
"color:#42526e}\n";

char *
html_document(const cJSON *page, const char *body)
{
	const char *title = json_str(page, "title");
	const char *space = json_str(page, "space");
	const cJSON *label;
	struct buf b = BUF_INIT;

	buf_addstr(&b, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/"
	    "1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	    "<meta name=\"viewport\" content=\"width=device-width\"/>\n"
	    "<title>");
	xml_add_text(&b, title);
	buf_addstr(&b, "</title>\n<style>\n");
	buf_addstr(&b, style);
	buf_addstr(&b, "</style>\n</head>\n<body>\n<div class=\"top\">"
	    "Confluence preview</div>\n<div class=\"page\">\n"
	    "<div class=\"crumbs\">");
	xml_add_text(&b, space ? space : "(no space set)");
	buf_addstr(&b, "</div>\n<h1 class=\"title\">");
	xml_add_text(&b, title);
	buf_addstr(&b, "</h1>\n<div class=\"labels\">");
	cJSON_ArrayForEach(label, json_arr(page, "labels")) {
		buf_addstr(&b, "<span class=\"label\">");
		xml_add_text(&b, label->valuestring);
		buf_addstr(&b, "</span>");
	}
	buf_addstr(&b, "</div>\n");
	buf_addstr(&b, body);
	buf_addstr(&b, "\n</div>\n</body>\n</html>\n");
	return buf_detach(&b, NULL);
}
