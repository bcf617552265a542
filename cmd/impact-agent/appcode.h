/*
 * appcode: find names in application source trees (--app-dir).
 *
 * app_search() walks each directory iteratively (no recursion, so deep
 * trees cannot exhaust the stack), skipping symbolic links, version
 * control and dependency directories (.git, .hg, .svn, node_modules,
 * vendor, dist, build, __pycache__, .venv), files with a NUL byte in
 * their first 8 KiB (binaries) and files over 8 MiB (bundles, dumps).
 * Every name is matched case-sensitively on identifier boundaries in one
 * pass over each file: the cost is one read of the tree, whatever the
 * number of names.
 *
 * out[i] receives the places name i occurs, sorted by path and line, as
 * "DIR/relative/path:LINE" with the trimmed line beside it.  The caller
 * frees each with hits_release().  Unreadable entries are skipped with a
 * warning; a missing top directory exits EX_NOINPUT.
 */
#ifndef APPCODE_H
#define APPCODE_H

#include <stddef.h>

#include "review.h"

void	app_search(char *const *dirs, size_t ndirs, char *const *names,
	    size_t nnames, struct hits *out);
void	hits_release(struct hits *h);

#endif
