/*
 * filter: the -n/-N schema patterns, written as psql and pg_dump take
 * them: `*` matches any run of characters, `?` one character, letters
 * fold to lower case unless double-quoted, and "" inside quotes is a
 * quote.  Each pattern becomes an anchored regular expression matched
 * against pg_namespace.nspname by the server.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "snapshot.h"
#include "sqlquote.h"
#include "xalloc.h"

static void
add_regex(struct buf *re, const char *pat)
{
	int quoted = 0;
	const char *p;

	buf_addstr(re, "^(");
	for (p = pat; *p; p++) {
		if (*p == '"') {
			if (quoted && p[1] == '"') {
				buf_addch(re, '"');
				p++;
			} else {
				quoted = !quoted;
			}
		} else if (!quoted && *p == '*') {
			buf_addstr(re, ".*");
		} else if (!quoted && *p == '?') {
			buf_addch(re, '.');
		} else if (strchr("\\.^$|()[]{}+*?", *p) != NULL) {
			buf_addch(re, '\\');
			buf_addch(re, *p);
		} else {
			buf_addch(re, quoted ? *p :
			    tolower((unsigned char)*p));
		}
	}
	buf_addstr(re, ")$");
}

/* " AND [NOT] n.nspname ~ ANY (ARRAY['^(a)$', ...])" */
static void
add_patterns(struct buf *sql, char **pats, int negate)
{
	struct buf re = BUF_INIT;

	if (pats == NULL || pats[0] == NULL)
		return;
	buf_addf(sql, " AND %sn.nspname ~ ANY (ARRAY[", negate ? "NOT " :
	    "");
	for (size_t i = 0; pats[i] != NULL; i++) {
		buf_reset(&re);
		add_regex(&re, pats[i]);
		if (i > 0)
			buf_addstr(sql, ", ");
		sql_add_literal(sql, re.data);
	}
	buf_addstr(sql, "]::text[])");
	buf_release(&re);
}

void
filter_build(struct snap *s)
{
	struct buf f = BUF_INIT;

	buf_addstr(&f, "true");
	add_patterns(&f, s->opts->include, 0);
	add_patterns(&f, s->opts->exclude, 1);
	s->pattern_filter = xstrdup(f.data);
	buf_reset(&f);
	/* pg_catalog, pg_toast, pg_temp_N: users cannot create pg_* schemas */
	buf_addf(&f, "(n.nspname !~ '^pg_' AND n.nspname <> "
	    "'information_schema' AND %s)", s->pattern_filter);
	s->ns_filter = buf_detach(&f, NULL);
}

/*
 * The lowest table OID, the OIDs that cut the tables into nslices runs
 * of equal numbers, and the highest (one pass over pg_class, which the
 * leader reads next anyway).
 */
void
slice_bounds_sql(struct buf *sql, int nslices)
{
	buf_addf(sql, "SELECT unnest(array[min(c.oid)::int8] ||"
	    " percentile_disc(array(SELECT k::float8 / %d FROM"
	    " generate_series(1, %d) k)) WITHIN GROUP (ORDER BY c.oid)::int8[]"
	    " || max(c.oid)::int8) FROM pg_class c"
	    " WHERE c.relkind IN ('r', 'p', 'f') AND c.oid >= 16384",
	    nslices, nslices - 1);
}

void
slice_bounds_read(struct snap *s, const PGresult *r, int nslices)
{
	int i;

	for (i = 0; i < PQntuples(r); i++)
		if (db_is_null(r, i, 0))
			break;
	if (i == nslices + 1 && i == PQntuples(r)) {
		s->bounds = xcalloc(nslices + 1, sizeof(*s->bounds));
		for (i = 0; i <= nslices; i++)
			s->bounds[i] = xstrdup(PQgetvalue(r, i, 0));
	}
}

static const char *
slice_of(const struct snap *s, const char *oid, int closed)
{
	static char buf[256];
	const char *lo, *hi;
	int first = s->slice == 0, last = s->slice == s->nslices - 1;

	if (s->nslices <= 1)
		return "";
	if (s->bounds == NULL) {
		snprintf(buf, sizeof(buf), " AND %s::int8 %% %d = %d", oid,
		    s->nslices, s->slice);
		return buf;
	}
	lo = s->bounds[s->slice];
	hi = s->bounds[s->slice + 1];
	if (first && !closed)
		snprintf(buf, sizeof(buf), " AND %s < '%s'::oid", oid, hi);
	else if (last && !closed)
		snprintf(buf, sizeof(buf), " AND %s >= '%s'::oid", oid, lo);
	else
		snprintf(buf, sizeof(buf), " AND %s >= '%s'::oid"
		    " AND %s %s '%s'::oid", oid, lo, oid, last ? "<=" : "<",
		    hi);
	return buf;
}

const char *
slice_filter(const struct snap *s, const char *oid)
{
	return slice_of(s, oid, 1);
}

const char *
slice_filter_open(const struct snap *s, const char *oid)
{
	return slice_of(s, oid, 0);
}
