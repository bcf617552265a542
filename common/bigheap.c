/*
 * bigheap: a heap for a program that builds a document of 100s of MB out
 * of millions of small allocations (pg-snapshot on a large schema).
 *
 * Each 4 KB page such a heap touches first costs a page fault, and on a
 * virtual machine a fault can cost more than the work done in the page:
 * 40,000 of them were half of pg-snapshot's own time on the bench
 * schema.  So the heap is grown once, by `reserve` bytes, kept (never
 * trimmed or handed back to the kernel), and offered to the kernel for
 * transparent huge pages (2 MB pages; THP "madvise" or "always" mode),
 * which cuts the faults 500-fold.  Memory still becomes resident only as
 * it is used.  Where malloc is not glibc's, or is replaced (sanitizers,
 * valgrind), this does nothing harmful: the heap simply does not move.
 */
#define _DEFAULT_SOURCE		/* sbrk, madvise */
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bigheap.h"

#define HUGE_PAGE ((uintptr_t)2 << 20)

void
bigheap_reserve(size_t reserve)
{
	uintptr_t lo, hi;
	void *p;

	/* one heap for every thread; blocks up to 32 MB from it, kept */
	mallopt(M_ARENA_MAX, 1);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 1 << 30);
	mallopt(M_TOP_PAD, (int)reserve);
	lo = (uintptr_t)sbrk(0);
	if ((p = malloc(1 << 20)) == NULL)
		return;
	free(p);
	hi = (uintptr_t)sbrk(0);
	mallopt(M_TOP_PAD, 64 << 20);	/* later growth, in large steps */
	lo = (lo + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	hi &= ~(HUGE_PAGE - 1);
#ifdef MADV_HUGEPAGE
	if (hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#endif
}
