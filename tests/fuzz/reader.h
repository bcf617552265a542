/*
 * reader.h: what the fuzz targets of the filters' document readers share.
 *
 * A filter refuses a bad document with errx(EX_DATAERR, ...), which ends
 * the process.  These targets define errx() and err() themselves, so the
 * refusal jumps back to the target instead, and any exit status but 65
 * for a document that parsed is a finding (a reader must refuse bad input
 * as a bad document, never as an internal error).  What a reader had
 * allocated before refusing is not freed, as the real program exits at
 * that point: these targets run without leak detection, per input
 * (-detect_leaks=0 in their .flags file) and at exit (below).
 */
#ifndef FUZZ_READER_H
#define FUZZ_READER_H

#include <err.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sysexits.h>

#include "doc.h"

static jmp_buf reader_jmp;

const char	*__asan_default_options(void);

const char *
__asan_default_options(void)
{
	return "detect_leaks=0";
}

void
errx(int status, const char *fmt, ...)
{
	(void)fmt;
	if (status != EX_DATAERR)
		abort();
	longjmp(reader_jmp, 1);
}

void
err(int status, const char *fmt, ...)
{
	(void)fmt;
	(void)status;
	abort();	/* readers never fail on a system call */
}

/* Parse `data` as a document of `kind`; NULL when it is not one. */
static cJSON *
reader_parse(const uint8_t *data, size_t size, const char *kind)
{
	char msg[512];
	size_t off = 0;

	return doc_parse((const char *)data, size, &off, 0, kind, 1, msg,
	    sizeof(msg));
}

#endif
