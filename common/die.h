/*
 * die: what every program shares about ending and talking on stderr.
 *
 * Diagnostics use err(3)/warnx(3), which print "prog: message"; exit codes
 * are the <sysexits.h> names listed in the pipeline spec.  `verbosity` is
 * the project's only global: 0 with -q, 1 by default, 2 with -v.
 *
 * Files registered with die_tmp_register() are removed when the program
 * exits without having called die_tmp_forget() for them, including exits
 * through errx() and fatal signals, so a failed run never leaves a
 * half-written output file behind.
 */
#ifndef DIE_H
#define DIE_H

#include <stdio.h>
#include <sysexits.h>

#ifndef DRIFT_VERSION
#define DRIFT_VERSION "0.1.0"
#endif

extern int verbosity;

/* Remove `path` at exit unless forgotten first.  The path is copied. */
void	die_tmp_register(const char *path);
void	die_tmp_forget(const char *path);

/* A progress line (verbosity >= 2, or 1 when stderr is a terminal). */
void	progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An informational line shown unless -q. */
void	note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "prog version" to stdout and exit 0: the --version option. */
_Noreturn void	print_version(void);

#endif
