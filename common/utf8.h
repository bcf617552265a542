/*
 * utf8: the one strict UTF-8 decoder (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF) behind document checks and escaping.
 */
#ifndef UTF8_H
#define UTF8_H

#include <stddef.h>

/*
 * Decode the sequence at s, of which `avail` bytes (at least 1) are
 * readable: return its length and set *cp, or return 0 when it is not
 * well-formed.
 */
size_t	utf8_decode(const unsigned char *s, size_t avail, unsigned *cp);

#endif
