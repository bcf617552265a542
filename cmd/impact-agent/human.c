/*
 * human: numbers and names as a reader of the review wants them.
 *
 * Rows are counted in words ("48 million rows"), bytes in decimal units
 * ("210 GB", as pg_size_pretty's neighbours in monitoring tools print
 * them), durations rounded to the unit that matters.  Each returns a small
 * struct by value so a call can sit inside a printf argument list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review.h"
#include "sqlquote.h"
#include "xalloc.h"

/* "1.2" or "48": one decimal only where it carries information. */
static void
scaled(char *dst, size_t len, double v, const char *unit)
{
	if (v < 9.95 && (long long)(v * 10 + 0.5) % 10 != 0)
		snprintf(dst, len, "%.1f %s", v, unit);
	else
		snprintf(dst, len, "%.0f %s", v, unit);
}

/* 12345 as "12,345". */
static void
grouped(char *dst, size_t len, int64_t n)
{
	char digits[32];
	size_t nd, i, o = 0;

	snprintf(digits, sizeof(digits), "%lld", (long long)n);
	nd = strlen(digits);
	for (i = 0; i < nd && o + 2 < len; i++) {
		if (i > 0 && (nd - i) % 3 == 0 && digits[i - 1] != '-')
			dst[o++] = ',';
		dst[o++] = digits[i];
	}
	dst[o] = '\0';
}

struct hum
hum_count(int64_t n, const char *one, const char *many)
{
	struct hum h;
	char num[48];

	if (n >= 1000000000)
		scaled(num, sizeof(num), n / 1e9, "billion");
	else if (n >= 1000000)
		scaled(num, sizeof(num), n / 1e6, "million");
	else
		grouped(num, sizeof(num), n);
	snprintf(h.s, sizeof(h.s), "%s %s", num, n == 1 ? one : many);
	return h;
}

struct hum
hum_rows(int64_t n)
{
	return hum_count(n, "row", "rows");
}

struct hum
hum_bytes(int64_t n)
{
	struct hum h;

	if (n < 1000)
		snprintf(h.s, sizeof(h.s), "%lld bytes", (long long)n);
	else if (n < 1000000)
		scaled(h.s, sizeof(h.s), n / 1e3, "kB");
	else if (n < 1000000000)
		scaled(h.s, sizeof(h.s), n / 1e6, "MB");
	else if (n < 1000000000000LL)
		scaled(h.s, sizeof(h.s), n / 1e9, "GB");
	else
		scaled(h.s, sizeof(h.s), n / 1e12, "TB");
	return h;
}

struct hum
hum_secs(int64_t s)
{
	struct hum h;

	if (s < 2)
		snprintf(h.s, sizeof(h.s), "about a second");
	else if (s < 120)
		snprintf(h.s, sizeof(h.s), "about %lld seconds",
		    (long long)s);
	else if (s < 7200)
		snprintf(h.s, sizeof(h.s), "about %lld minutes",
		    (long long)((s + 30) / 60));
	else {
		char num[48];

		scaled(num, sizeof(num), s / 3600.0, "hours");
		snprintf(h.s, sizeof(h.s), "about %s", num);
	}
	return h;
}

struct hum
hum_size(const struct change *c)
{
	struct hum h;

	if (c->rows >= 0 && c->bytes >= 0)
		snprintf(h.s, sizeof(h.s), "%.44s, %.44s", hum_rows(c->rows).s,
		    hum_bytes(c->bytes).s);
	else if (c->rows >= 0)
		snprintf(h.s, sizeof(h.s), "%s", hum_rows(c->rows).s);
	else if (c->bytes >= 0)
		snprintf(h.s, sizeof(h.s), "%s", hum_bytes(c->bytes).s);
	else
		snprintf(h.s, sizeof(h.s), "size unknown");
	return h;
}

struct hum
hum_has(const struct change *c)
{
	struct hum h;

	if (c->rows >= 0 && c->bytes >= 0)
		snprintf(h.s, sizeof(h.s), "%.44s (%.44s)", hum_rows(c->rows).s,
		    hum_bytes(c->bytes).s);
	else if (c->rows < 0 && c->bytes < 0)
		snprintf(h.s, sizeof(h.s), "an unknown size");
	else
		h = hum_size(c);
	return h;
}

char *
bare_name(const char *qname)
{
	char *parts[3] = { NULL, NULL, NULL };
	char *last;
	int n, i;

	n = sql_split_name(qname, parts, 3);
	if (n <= 0)
		return xstrdup(qname);
	last = parts[n - 1];
	for (i = 0; i < n - 1; i++)
		free(parts[i]);
	return last;
}

char *
bare_func(const char *qname)
{
	const char *paren = strchr(qname, '(');
	char *head, *name;

	head = paren ? xstrndup(qname, (size_t)(paren - qname)) :
	    xstrdup(qname);
	name = bare_name(head);
	free(head);
	return name;
}
