/*
 * die: temporary-file cleanup at exit and on fatal signals, verbosity,
 * progress lines.  Signal handlers only unlink(2) and re-raise, both
 * async-signal-safe; the list is fixed-size so no allocation happens there.
 */
#include <err.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "die.h"

extern const char *__progname;

int verbosity = 1;

#define TMP_MAX_FILES 8
static char tmp_paths[TMP_MAX_FILES][4096];
static volatile sig_atomic_t tmp_used[TMP_MAX_FILES];
static int tmp_hooked;

static void
tmp_cleanup(void)
{
	for (int i = 0; i < TMP_MAX_FILES; i++)
		if (tmp_used[i]) {
			unlink(tmp_paths[i]);
			tmp_used[i] = 0;
		}
}

static void
tmp_signal(int sig)
{
	for (int i = 0; i < TMP_MAX_FILES; i++)
		if (tmp_used[i])
			unlink(tmp_paths[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

void
die_tmp_register(const char *path)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };

	if (!tmp_hooked) {
		atexit(tmp_cleanup);
		for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			signal(sigs[i], tmp_signal);
		tmp_hooked = 1;
	}
	if (strlen(path) >= sizeof(tmp_paths[0]))
		errx(EX_CANTCREAT, "%s: path too long", path);
	for (int i = 0; i < TMP_MAX_FILES; i++)
		if (!tmp_used[i]) {
			strcpy(tmp_paths[i], path);
			tmp_used[i] = 1;
			return;
		}
	errx(EX_SOFTWARE, "too many temporary files");
}

void
die_tmp_forget(const char *path)
{
	for (int i = 0; i < TMP_MAX_FILES; i++)
		if (tmp_used[i] && strcmp(tmp_paths[i], path) == 0)
			tmp_used[i] = 0;
}

/* One whole line, even when threads write at once. */
static void
vline(const char *fmt, va_list ap)
{
	flockfile(stderr);
	fprintf(stderr, "%s: ", __progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}

void
progress(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < 2 && !(verbosity == 1 && isatty(STDERR_FILENO)))
		return;
	va_start(ap, fmt);
	vline(fmt, ap);
	va_end(ap);
}

void
note(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < 1)
		return;
	va_start(ap, fmt);
	vline(fmt, ap);
	va_end(ap);
}

_Noreturn void
print_version(void)
{
	printf("%s %s\n", __progname, DRIFT_VERSION);
	if (fflush(stdout) != 0 || ferror(stdout))
		err(EX_IOERR, "stdout");
	exit(EX_OK);
}
