/*
 * bigheap: grow the heap once by `reserve` bytes and back it with huge
 * pages where the kernel allows, for programs whose documents make
 * millions of small allocations (see bigheap.c).  Call before the work.
 */
#ifndef BIGHEAP_H
#define BIGHEAP_H

#include <stddef.h>

void	bigheap_reserve(size_t reserve);

#endif
