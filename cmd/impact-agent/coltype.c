/*
 * coltype: what ALTER COLUMN ... TYPE does to a table and to its values.
 *
 * Types arrive as format_type() prints them ("character varying(100)",
 * "numeric(10,2)", "timestamp(3) with time zone").  The binary-coercible
 * pairs of reference section 3.2 change only the catalog; every other
 * pair rewrites the table.  Narrowing (section 4 and 5.1) is judged per
 * family: integer and length narrowing only reject values, while a
 * smaller numeric scale, time precision or a timestamptz -> timestamp
 * conversion alter values silently.  timestamp <-> timestamptz is
 * catalog-only when the session TimeZone is UTC; this assumes it is not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review.h"

enum family {
	F_OTHER, F_TEXT, F_VARCHAR, F_CHAR, F_NUMERIC, F_INT2, F_INT4, F_INT8,
	F_REAL, F_DOUBLE, F_TS, F_TSTZ, F_TIME, F_TIMETZ, F_DATE, F_BIT,
	F_VARBIT, F_CIDR, F_INET
};

struct coltype {
	enum family	 fam;
	int		 p, s;		/* modifiers; -1 when absent */
	int		 array;
};

/* "name(p,s) tail": does `t` start with `name`, and what follows? */
static int
prefix(const char *t, const char *name, const char **rest)
{
	size_t n = strlen(name);

	if (strncmp(t, name, n) != 0)
		return 0;
	if (t[n] != '\0' && t[n] != '(' && t[n] != ' ' && t[n] != '[')
		return 0;
	*rest = t + n;
	return 1;
}

static void
parse(const char *t, struct coltype *ct)
{
	static const struct {
		const char	*name;
		enum family	 fam;
	} names[] = {
		{ "character varying", F_VARCHAR }, { "varchar", F_VARCHAR },
		{ "character", F_CHAR }, { "bpchar", F_CHAR },
		{ "text", F_TEXT }, { "numeric", F_NUMERIC },
		{ "decimal", F_NUMERIC }, { "smallint", F_INT2 },
		{ "integer", F_INT4 }, { "bigint", F_INT8 },
		{ "real", F_REAL }, { "double precision", F_DOUBLE },
		{ "timestamp", F_TS }, { "time", F_TIME }, { "date", F_DATE },
		{ "bit varying", F_VARBIT }, { "bit", F_BIT },
		{ "cidr", F_CIDR }, { "inet", F_INET },
		{ NULL, F_OTHER }
	};
	const char *rest = NULL;
	int i;

	ct->fam = F_OTHER;
	ct->p = ct->s = -1;
	ct->array = strstr(t, "[]") != NULL;
	for (i = 0; names[i].name; i++)
		if (prefix(t, names[i].name, &rest))
			break;
	if (names[i].name == NULL)
		return;
	ct->fam = names[i].fam;
	if (*rest == '(') {
		char *end;

		ct->p = (int)strtol(rest + 1, &end, 10);
		if (*end == ',')
			ct->s = (int)strtol(end + 1, &end, 10);
		rest = strchr(rest, ')');
		rest = rest ? rest + 1 : "";
	}
	if (strstr(rest, "with time zone") && !strstr(rest, "without")) {
		if (ct->fam == F_TS)
			ct->fam = F_TSTZ;
		else if (ct->fam == F_TIME)
			ct->fam = F_TIMETZ;
	}
	if (ct->fam == F_NUMERIC && ct->p >= 0 && ct->s < 0)
		ct->s = 0;
}

static int
int_width(enum family f)
{
	return f == F_INT2 ? 2 : f == F_INT4 ? 4 : f == F_INT8 ? 8 : 0;
}

static int
is_string(enum family f)
{
	return f == F_TEXT || f == F_VARCHAR;
}

static void
result(struct typechange *tc, int rewrite, int narrowed, enum risk r,
    const char *why)
{
	tc->rewrite = rewrite;
	tc->narrowed = narrowed;
	tc->risk = r;
	snprintf(tc->why, sizeof(tc->why), "%s", why);
}

/* Time families: precision -1 is the default (microseconds, 6). */
static void
times(const struct coltype *a, const struct coltype *b,
    struct typechange *tc)
{
	int pa = a->p < 0 ? 6 : a->p, pb = b->p < 0 ? 6 : b->p;

	if (a->fam == F_TSTZ && b->fam == F_TS)
		result(tc, 1, 1, RISK_LOSSY, "time zones are dropped: values "
		    "are converted with the session TimeZone, and instants "
		    "an hour apart around a DST change come back equal");
	else if (pb < pa)
		result(tc, 1, 1, RISK_DATA_LOSS, "fractional seconds are "
		    "rounded to the new precision");
	else if (a->fam != b->fam)
		result(tc, 1, 0, RISK_LOSSY, "values are converted with the "
		    "session TimeZone (catalog-only only when it is UTC)");
	else
		result(tc, 0, 0, RISK_LOSSY, "the precision is widened");
}

static void
numerics(const struct coltype *a, const struct coltype *b,
    struct typechange *tc)
{
	char why[160];

	if (b->p < 0) {
		result(tc, 0, 0, RISK_LOSSY,
		    "the precision limit is removed");
	} else if (a->p < 0) {
		snprintf(why, sizeof(why), "values are rounded to %d "
		    "decimal places and those of more than %d integer digits "
		    "are rejected", b->s, b->p - b->s);
		result(tc, 1, 1, RISK_DATA_LOSS, why);
	} else if (b->s < a->s) {
		snprintf(why, sizeof(why), "values are rounded from %d to %d "
		    "decimal places", a->s, b->s);
		result(tc, 1, 1, RISK_DATA_LOSS, why);
	} else if (b->p - b->s < a->p - a->s) {
		snprintf(why, sizeof(why), "values of more than %d integer "
		    "digits are rejected", b->p - b->s);
		result(tc, 1, 1, RISK_SAFE, why);
	} else if (b->s == a->s) {
		result(tc, 0, 0, RISK_LOSSY, "the precision is widened");
	} else {
		result(tc, 1, 0, RISK_LOSSY, "the scale is widened");
	}
}

static void
strings(const struct coltype *a, const struct coltype *b,
    struct typechange *tc)
{
	char why[160];
	int la = a->fam == F_TEXT ? -1 : a->p, lb = b->fam == F_TEXT ? -1 :
	    b->p;

	if (b->fam == F_CHAR || a->fam == F_CHAR) {
		if (b->fam == F_CHAR && (la < 0 || (b->p >= 0 && b->p < la))) {
			snprintf(why, sizeof(why), "values longer than %d "
			    "characters are rejected and trailing spaces "
			    "beyond it are trimmed", b->p < 0 ? 1 : b->p);
			result(tc, 1, 1, RISK_LOSSY, why);
		} else {
			result(tc, 1, 0, RISK_LOSSY, "values are padded or "
			    "have their trailing spaces removed");
		}
	} else if (lb < 0) {
		result(tc, 0, 0, RISK_LOSSY, "the length limit is removed");
	} else if (la < 0 || lb < la) {
		snprintf(why, sizeof(why), "values longer than %d characters "
		    "are rejected, and trailing spaces beyond %d are trimmed "
		    "silently", lb, lb);
		result(tc, 1, 1, RISK_LOSSY, why);
	} else {
		result(tc, 0, 0, RISK_LOSSY, "the length limit is raised");
	}
}

void
coltype_compare(const char *from, const char *to, struct typechange *tc)
{
	struct coltype a, b;

	parse(from, &a);
	parse(to, &b);
	if (strcmp(from, to) == 0) {
		result(tc, 0, 0, RISK_SAFE, "the type is unchanged");
		return;
	}
	if (a.array != b.array || a.fam == F_OTHER || b.fam == F_OTHER) {
		result(tc, 1, 0, RISK_LOSSY, "every value is converted");
		return;
	}
	if (is_string(a.fam) || is_string(b.fam) || a.fam == F_CHAR ||
	    b.fam == F_CHAR) {
		if ((is_string(a.fam) || a.fam == F_CHAR) &&
		    (is_string(b.fam) || b.fam == F_CHAR))
			strings(&a, &b, tc);
		else if (is_string(a.fam) || a.fam == F_CHAR)
			result(tc, 1, 0, RISK_LOSSY, "every value is parsed "
			    "into the new type and one that does not parse "
			    "fails the ALTER");
		else
			result(tc, 1, 0, RISK_LOSSY, "every value is "
			    "converted to text");
	} else if (int_width(a.fam) && int_width(b.fam)) {
		if (int_width(b.fam) < int_width(a.fam))
			result(tc, 1, 1, RISK_SAFE, "values outside the "
			    "smaller integer range are rejected");
		else
			result(tc, 1, 0, RISK_LOSSY, "values are widened");
	} else if (a.fam == F_NUMERIC && b.fam == F_NUMERIC) {
		numerics(&a, &b, tc);
	} else if (a.fam == F_NUMERIC && int_width(b.fam)) {
		result(tc, 1, 1, RISK_DATA_LOSS, "fractions are rounded to "
		    "whole numbers and out-of-range values are rejected");
	} else if ((a.fam == F_NUMERIC || a.fam == F_DOUBLE ||
	    a.fam == F_INT8) && (b.fam == F_REAL || b.fam == F_DOUBLE) &&
	    a.fam != b.fam) {
		result(tc, 1, 1, RISK_DATA_LOSS, "values are rounded to "
		    "floating-point precision");
	} else if ((a.fam == F_REAL || a.fam == F_DOUBLE) &&
	    (int_width(b.fam) || b.fam == F_NUMERIC)) {
		result(tc, 1, 1, RISK_DATA_LOSS, "floating-point values are "
		    "rounded");
	} else if ((a.fam == F_TS || a.fam == F_TSTZ) &&
	    (b.fam == F_TS || b.fam == F_TSTZ)) {
		times(&a, &b, tc);
	} else if (a.fam == F_TIME && b.fam == F_TIME) {
		times(&a, &b, tc);
	} else if ((a.fam == F_TS || a.fam == F_TSTZ) && b.fam == F_DATE) {
		result(tc, 1, 1, RISK_DATA_LOSS, "the time of day is "
		    "dropped");
	} else if (a.fam == F_VARBIT && b.fam == F_VARBIT) {
		if (b.p >= 0 && (a.p < 0 || b.p < a.p))
			result(tc, 1, 1, RISK_LOSSY, "longer bit strings are "
			    "rejected");
		else
			result(tc, 0, 0, RISK_LOSSY, "the length limit is "
			    "raised");
	} else if ((a.fam == F_BIT && b.fam == F_VARBIT && b.p < 0) ||
	    (a.fam == F_CIDR && b.fam == F_INET)) {
		result(tc, 0, 0, RISK_LOSSY, "the type is widened");
	} else {
		result(tc, 1, 0, RISK_LOSSY, "every value is converted");
	}
}
