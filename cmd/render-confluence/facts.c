/*
 * facts: the page's vocabulary.  Colours follow the status macro's five
 * (Grey, Red, Yellow, Green, Blue): red for what breaks prod or loses
 * data, yellow for what needs a decision, blue and grey for what is only
 * worth knowing, green for safe.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "facts.h"
#include "markup.h"

struct look {
	const char	*code;
	const char	*colour;
	int		 subtle;
	const char	*title;
};

static void
lozenge(struct markup *m, const struct look *looks, const char *code)
{
	struct buf t = BUF_INIT;

	for (const struct look *l = looks; l->code != NULL; l++)
		if (code != NULL && strcmp(code, l->code) == 0) {
			mk_status(m, l->colour, l->subtle, l->title);
			return;
		}
	/* Unknown code: grey, in capitals like the others. */
	for (const char *p = code ? code : "unknown"; *p; p++)
		buf_addch(&t, *p == '_' ? ' ' : toupper((unsigned char)*p));
	mk_status(m, "Grey", 0, t.data);
	buf_release(&t);
}

void
fact_severity(struct markup *m, const char *severity)
{
	static const struct look looks[] = {
		{ "critical",	"Red",		0, "CRITICAL" },
		{ "high",	"Red",		1, "HIGH" },
		{ "medium",	"Yellow",	0, "MEDIUM" },
		{ "low",	"Blue",		0, "LOW" },
		{ "info",	"Grey",		0, "INFO" },
		{ NULL,		NULL,		0, NULL }
	};

	lozenge(m, looks, severity);
}

void
fact_verdict(struct markup *m, const char *verdict)
{
	static const struct look looks[] = {
		{ "block",	   "Red",	0, "BLOCK" },
		{ "needs_signoff", "Yellow",	0, "NEEDS SIGN-OFF" },
		{ "safe",	   "Green",	0, "SAFE" },
		{ NULL,		   NULL,	0, NULL }
	};

	lozenge(m, looks, verdict);
}

void
fact_rollback(struct markup *m, const char *risk)
{
	static const struct look looks[] = {
		{ "safe",	  "Green",	0, "SAFE" },
		{ "lossy",	  "Yellow",	0, "LOSSY" },
		{ "data_loss",	  "Red",	0, "DATA LOSS" },
		{ "irreversible", "Red",	0, "IRREVERSIBLE" },
		{ NULL,		  NULL,		0, NULL }
	};

	lozenge(m, looks, risk);
}

void
fact_words(struct buf *b, const char *code)
{
	for (const char *p = code; *p; p++)
		buf_addch(b, *p == '_' ? ' ' : *p);
}

void
fact_bytes(struct buf *b, int64_t bytes)
{
	static const char *units[] = { "bytes", "KiB", "MiB", "GiB", "TiB",
	    "PiB" };
	double v = (double)bytes;
	int u = 0;

	if (bytes < 1024) {
		buf_addf(b, "%" PRId64 " bytes", bytes);
		return;
	}
	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	buf_addf(b, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
}

void
fact_count(struct buf *b, int64_t n)
{
	char digits[32];
	int len, i;

	if (n < 0) {
		buf_addch(b, '-');
		n = n == INT64_MIN ? INT64_MAX : -n;
	}
	len = snprintf(digits, sizeof(digits), "%" PRId64, n);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf_addch(b, ',');
		buf_addch(b, digits[i]);
	}
}

void
fact_duration(struct buf *b, double seconds)
{
	if (seconds < 1)
		buf_addstr(b, "under a second");
	else if (seconds < 90)
		buf_addf(b, "about %.0f s", seconds);
	else if (seconds < 90 * 60)
		buf_addf(b, "about %.0f min", seconds / 60);
	else
		buf_addf(b, "about %.1f h", seconds / 3600);
}
