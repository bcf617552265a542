/*
 * buf: a growable byte buffer for building SQL, URLs, XML and Markdown.
 *
 *  - `data` is never NULL and always NUL-terminated, so a buf can go to
 *    printf("%s") or libpq as it is.  Start from BUF_INIT.
 *  - The first `len` bytes are the content; data[len] is '\0'.
 *
 * A buf owns its memory.  buf_release() frees it and leaves the buf as
 * BUF_INIT; buf_detach() gives it to the caller, who frees it with free(3).
 * Running out of memory ends the program, so nothing here reports failure.
 */
#ifndef BUF_H
#define BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 alloc;		/* 0 while data is the shared empty string */
};
extern char buf_empty[];
#define BUF_INIT { .data = buf_empty, .len = 0, .alloc = 0 }

void	 buf_init(struct buf *b);
void	 buf_release(struct buf *b);
/* Make room for `extra` more bytes beyond len (plus the terminator). */
void	 buf_grow(struct buf *b, size_t extra);
void	 buf_add(struct buf *b, const void *data, size_t len);
void	 buf_addstr(struct buf *b, const char *s);
void	 buf_addch(struct buf *b, int c);
void	 buf_addf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* Keep the allocation, drop the content. */
void	 buf_reset(struct buf *b);
/* Shorten to `len` bytes (len <= b->len). */
void	 buf_setlen(struct buf *b, size_t len);
/* Hand the string to the caller, who frees it; `b` is left as BUF_INIT. */
char	*buf_detach(struct buf *b, size_t *lenp);

#endif
