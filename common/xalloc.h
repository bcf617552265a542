/*
 * xalloc: allocation that cannot fail.  Running out of memory ends the
 * program with EX_OSERR, so no caller checks what these return.
 * json_init() routes cJSON's allocations through the same functions.
 */
#ifndef XALLOC_H
#define XALLOC_H

#include <stddef.h>

void	*xmalloc(size_t n);
void	*xcalloc(size_t n, size_t size);
void	*xrealloc(void *p, size_t n);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);

#endif
