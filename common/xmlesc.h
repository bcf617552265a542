/*
 * xmlesc: text made safe for XML 1.0, for Confluence storage format and
 * the HTML preview.
 *
 *  - Characters XML 1.0 forbids even as references (C0 controls other than
 *    TAB, LF and CR; U+FFFE, U+FFFF) are dropped, and so are DEL and the C1
 *    controls, which Confluence rejects although XML allows them.
 *  - Bytes that are not well-formed UTF-8 become U+FFFD, one per byte.
 *  - xml_add_text() escapes all five of & < > " ' so that its output is
 *    safe both as element text and inside a quoted attribute value.
 *  - xml_add_cdata() writes one or more CDATA sections whose content is
 *    exactly the cleaned text: every "]]>" is split across two sections.
 *
 * Everything appends to a buf and cannot fail.
 */
#ifndef XMLESC_H
#define XMLESC_H

#include <stddef.h>

#include "buf.h"

void	xml_add_text(struct buf *b, const char *s);
void	xml_add_textn(struct buf *b, const char *s, size_t n);
void	xml_add_cdata(struct buf *b, const char *s);
/* Clean as above but escape nothing: a page title, a label. */
void	xml_add_clean(struct buf *b, const char *s);

#endif
