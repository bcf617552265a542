/*
 * t.h: the smallest unit-test harness that prints TAP lines tests/run
 * counts.  T_OK(cond, name...) records one test; T_STREQ compares strings
 * and shows both on failure.  main() ends with `return t_done();`.
 */
#ifndef T_H
#define T_H

#include <stdio.h>
#include <string.h>

static int t_n, t_failed;

#define T_OK(cond, ...) do {						\
	int t_c = (cond) ? 1 : 0;					\
	t_n++;								\
	if (t_c) {							\
		printf("ok %d - ", t_n);				\
	} else {							\
		t_failed++;						\
		printf("not ok %d - ", t_n);				\
	}								\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	if (!t_c)							\
		printf("#   %s:%d: %s\n", __FILE__, __LINE__, #cond);	\
} while (0)

#define T_STREQ(got, want, ...) do {					\
	const char *t_g = (got), *t_w = (want);				\
	int t_eq = t_g && t_w && strcmp(t_g, t_w) == 0;			\
	T_OK(t_eq, __VA_ARGS__);					\
	if (!t_eq)							\
		printf("#   got  [%s]\n#   want [%s]\n",			\
		    t_g ? t_g : "(null)", t_w ? t_w : "(null)");	\
} while (0)

static int
t_done(void)
{
	fflush(stdout);
	return t_failed ? 1 : 0;
}

#endif
