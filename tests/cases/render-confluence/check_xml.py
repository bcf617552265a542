#!/usr/bin/env python3
"""check_xml.py: parse render-confluence output with a real XML parser.

  check_xml.py storage PAGE.json [TEXT...]
  check_xml.py html PREVIEW.html [TEXT...]

storage: .page.storage wrapped in a root declaring the ac and ri
namespaces must parse; every element, macro name, attribute and link must
be one render-confluence writes, so input that smuggled markup through
would show up as an unexpected element.  html: the preview must parse as
XML, hold no script, no event-handler attribute and no link other than
same-page anchors and http(s).  Each TEXT must occur in the document's
text (CDATA included), proving that escaped input was kept, not dropped.
Prints what is wrong and exits 1.
"""
import json
import sys
import xml.dom.minidom as minidom

STORAGE_ELEMENTS = {
    "p", "strong", "em", "code", "h2", "h3", "h4", "h5", "h6", "table",
    "tbody", "tr", "th", "td", "ul", "ol", "li", "a", "hr", "blockquote",
    "ac:structured-macro", "ac:parameter", "ac:rich-text-body",
    "ac:plain-text-body", "ac:link", "ac:plain-text-link-body",
    "ac:task-list", "ac:task", "ac:task-id", "ac:task-status",
    "ac:task-body", "root",
}
MACROS = {"status", "info", "note", "warning", "tip", "expand", "code",
          "toc", "anchor"}
PARAMETERS = {"colour", "title", "subtle", "language", "minLevel",
              "maxLevel", ""}
STORAGE_ATTRIBUTES = {"ac:name", "ac:anchor", "href", "xmlns:ac",
                      "xmlns:ri"}
HTML_ELEMENTS = {
    "html", "head", "meta", "title", "style", "body", "div", "span", "p",
    "h1", "h2", "h3", "h4", "h5", "h6", "nav", "ul", "ol", "li", "a",
    "table", "tbody", "tr", "th", "td", "code", "pre", "details",
    "summary", "strong", "em", "blockquote", "hr", "input",
}
HTML_ATTRIBUTES = {"xmlns", "lang", "charset", "name", "content", "class",
                   "id", "href", "rel", "type", "disabled"}

problems = []


def walk(node, allowed, attributes, text):
    for child in node.childNodes:
        if child.nodeType in (child.TEXT_NODE, child.CDATA_SECTION_NODE):
            text.append(child.data)
        if child.nodeType != child.ELEMENT_NODE:
            continue
        if child.tagName not in allowed:
            problems.append("unexpected element <%s>" % child.tagName)
        for name, value in child.attributes.items():
            if name not in attributes:
                problems.append("unexpected attribute %s=%r on <%s>" %
                                (name, value, child.tagName))
            if name == "href" and not (value.startswith("#") or
                                       value.startswith("http://") or
                                       value.startswith("https://")):
                problems.append("link to %r" % value)
        if child.tagName == "ac:structured-macro" and \
                child.getAttribute("ac:name") not in MACROS:
            problems.append("macro %r" % child.getAttribute("ac:name"))
        if child.tagName == "ac:parameter" and \
                child.getAttribute("ac:name") not in PARAMETERS:
            problems.append("parameter %r" % child.getAttribute("ac:name"))
        walk(child, allowed, attributes, text)


def main():
    what, path, wanted = sys.argv[1], sys.argv[2], sys.argv[3:]
    text = []
    try:
        if what == "storage":
            with open(path, encoding="utf-8") as f:
                storage = json.load(f)["page"]["storage"]
            root = minidom.parseString(
                '<root xmlns:ac="http://atlassian.com/content" '
                'xmlns:ri="http://atlassian.com/resource/identifier">' +
                storage + "</root>")
            walk(root, STORAGE_ELEMENTS, STORAGE_ATTRIBUTES, text)
        else:
            root = minidom.parse(path)
            walk(root, HTML_ELEMENTS, HTML_ATTRIBUTES, text)
            if len(root.getElementsByTagName("style")) != 1:
                problems.append("not exactly one <style>")
    except Exception as e:  # the parser's message says where
        print("%s: does not parse: %s" % (path, e))
        return 1
    text = "".join(text)
    for w in wanted:
        if w not in text:
            problems.append("text %r is missing" % w)
    for p in problems:
        print("%s: %s" % (path, p))
    return 1 if problems else 0


sys.exit(main())
