/*
 * locks: what each forward statement locks, blocks and costs.
 *
 * The rules key on the text of `forward_sql`, classified statement by
 * statement into the lock taken on the table, what that lock blocks, and
 * whether rows are scanned or the table rewritten (reference sections 2
 * and 3).  Only relation locks are reported: the object locks of ALTER
 * TYPE, DROP FUNCTION and friends block no query on a table.
 *
 * The text is first reduced to a skeleton: string literals and quoted
 * identifiers are blanked out (so a column named "not null" is not read
 * as a keyword), the rest is upper-cased and white space collapsed.
 * ALTER TABLE subcommands are split on top-level commas and the
 * strongest one counts.  An unrecognised statement takes no lock.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "review.h"
#include "xalloc.h"

const char *
lock_name(enum lockmode l)
{
	static const char *const names[] = {
		NULL, "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE",
		"SHARE UPDATE EXCLUSIVE", "SHARE", "SHARE ROW EXCLUSIVE",
		"EXCLUSIVE", "ACCESS EXCLUSIVE"
	};

	return names[l];
}

const char *
blocks_name(enum blocks b)
{
	static const char *const names[] = {
		"nothing", "writes", "reads_and_writes"
	};

	return names[b];
}

const char *
work_name(enum work w)
{
	static const char *const names[] = {
		"none", "full_scan", "table_rewrite"
	};

	return names[w];
}

/* Upper-cased text with literals blanked and white space collapsed. */
static char *
skeleton(const char *sql)
{
	struct buf b = BUF_INIT;
	const char *p;
	int space = 0;

	for (p = sql; *p; p++) {
		if (*p == '\'' || *p == '"') {
			char q = *p;

			buf_addch(&b, q);
			for (p++; *p; p++) {
				if (*p == q && p[1] == q)
					p++;
				else if (*p == q)
					break;
				buf_addch(&b, 'x');
			}
			buf_addch(&b, q);
			if (*p == '\0')
				break;
			space = 0;
		} else if (p[0] == '-' && p[1] == '-') {
			while (p[1] && p[1] != '\n')
				p++;
		} else if (isspace((unsigned char)*p)) {
			space = b.len > 0;
		} else {
			if (space)
				buf_addch(&b, ' ');
			space = 0;
			buf_addch(&b, toupper((unsigned char)*p));
		}
	}
	while (b.len > 0 && (b.data[b.len - 1] == ';' ||
	    b.data[b.len - 1] == ' '))
		buf_setlen(&b, b.len - 1);
	return buf_detach(&b, NULL);
}

/* Does `s` start with the words `w` (followed by a word boundary)? */
static int
starts(const char *s, const char *w)
{
	size_t n = strlen(w);

	return strncmp(s, w, n) == 0 && !isalnum((unsigned char)s[n]) &&
	    s[n] != '_';
}

/* Does the word sequence `w` occur in `s` on word boundaries? */
static int
has(const char *s, const char *w)
{
	size_t n = strlen(w);
	const char *p;

	for (p = strstr(s, w); p; p = strstr(p + 1, w)) {
		int before = p == s || !(isalnum((unsigned char)p[-1]) ||
		    p[-1] == '_');
		int after = !(isalnum((unsigned char)p[n]) || p[n] == '_');

		if (before && after)
			return 1;
	}
	return 0;
}

/* Skip one word or quoted or dotted name and the space after it. */
static const char *
skip_name(const char *s)
{
	while (*s && *s != ' ') {
		if (*s == '"') {
			for (s++; *s && *s != '"'; s++)
				;
			if (*s)
				s++;
		} else {
			s++;
		}
	}
	return *s == ' ' ? s + 1 : s;
}

static void
set(struct stmt *st, enum lockmode l, enum blocks b, enum work w,
    enum rate r, const char *what)
{
	st->lock = l;
	st->blocks = b;
	st->work = w;
	st->rate = w == WORK_NONE ? RATE_NONE : r;
	st->what = what;
}

/* Built-in volatile functions a column default may call (3.3). */
static int
volatile_default(const char *s)
{
	static const char *const fns[] = {
		"CLOCK_TIMESTAMP(", "RANDOM(", "GEN_RANDOM_UUID(",
		"UUID_GENERATE_V1(", "UUID_GENERATE_V4(", "NEXTVAL(",
		"TIMEOFDAY(", "SETSEED(", "CURRVAL(", "UUIDV7(",
		"UUID_GENERATE_V1MC(", NULL
	};
	int i;

	for (i = 0; fns[i]; i++)
		if (strstr(s, fns[i]))
			return 1;
	return 0;
}

/* ALTER TABLE ... ADD [COLUMN] name type ... */
static void
add_column(const char *s, struct stmt *st)
{
	if (has(s, "SERIAL") || has(s, "BIGSERIAL") || has(s, "SMALLSERIAL"))
		set(st, LK_AE, BLOCKS_ALL, WORK_REWRITE, RATE_REWRITE,
		    "ADD COLUMN of a serial type");
	else if (has(s, "GENERATED") && has(s, "IDENTITY"))
		set(st, LK_AE, BLOCKS_ALL, WORK_REWRITE, RATE_REWRITE,
		    "ADD COLUMN ... GENERATED AS IDENTITY");
	else if (has(s, "GENERATED") && has(s, "STORED"))
		set(st, LK_AE, BLOCKS_ALL, WORK_REWRITE, RATE_REWRITE,
		    "ADD COLUMN ... GENERATED ALWAYS AS ... STORED");
	else if (has(s, "DEFAULT") && volatile_default(strstr(s, "DEFAULT")))
		set(st, LK_AE, BLOCKS_ALL, WORK_REWRITE, RATE_REWRITE,
		    "ADD COLUMN with a volatile default");
	else
		set(st, LK_AE, BLOCKS_ALL, WORK_NONE, RATE_NONE,
		    "ADD COLUMN");
}

/* ADD [CONSTRAINT name] CHECK|FOREIGN KEY|UNIQUE|PRIMARY KEY|EXCLUDE */
static void
add_constraint(const char *s, struct stmt *st)
{
	int not_valid = has(s, "NOT VALID");

	if (starts(s, "CONSTRAINT"))
		s = skip_name(skip_name(s));
	if (starts(s, "CHECK"))
		set(st, LK_AE, BLOCKS_ALL, not_valid ? WORK_NONE : WORK_SCAN,
		    RATE_SCAN, not_valid ? "ADD CHECK ... NOT VALID" :
		    "ADD CHECK");
	else if (starts(s, "FOREIGN KEY"))
		set(st, LK_SRE, BLOCKS_WRITES, not_valid ? WORK_NONE :
		    WORK_SCAN, RATE_FK, not_valid ?
		    "ADD FOREIGN KEY ... NOT VALID" : "ADD FOREIGN KEY");
	else if ((starts(s, "UNIQUE") || starts(s, "PRIMARY KEY")) &&
	    has(s, "USING INDEX"))
		set(st, LK_AE, BLOCKS_ALL, WORK_NONE, RATE_NONE,
		    "ADD CONSTRAINT ... USING INDEX");
	else if (starts(s, "UNIQUE"))
		set(st, LK_AE, BLOCKS_ALL, WORK_SCAN, RATE_INDEX,
		    "ADD UNIQUE");
	else if (starts(s, "PRIMARY KEY"))
		set(st, LK_AE, BLOCKS_ALL, WORK_SCAN, RATE_INDEX,
		    "ADD PRIMARY KEY");
	else if (starts(s, "EXCLUDE"))
		set(st, LK_AE, BLOCKS_ALL, WORK_SCAN, RATE_INDEX,
		    "ADD EXCLUDE");
	else
		add_column(s, st);
}

/* The before and after types of this change, when it alters a type. */
static void
type_change(const struct change *c, const char *s, struct stmt *st)
{
	const cJSON *a = attr_get(c, "type");
	const char *from = attr_str(a, "before"), *to = attr_str(a, "after");
	struct typechange tc;

	if (!has(s, "USING") && from == NULL && attr_get(c, "collation")) {
		/* Same type, new collation: catalog only (indexes rebuilt). */
		set(st, LK_AE, BLOCKS_ALL, WORK_NONE, RATE_NONE,
		    "ALTER COLUMN TYPE ... COLLATE");
		return;
	}
	if (has(s, "USING") || from == NULL || to == NULL) {
		set(st, LK_AE, BLOCKS_ALL, WORK_REWRITE, RATE_REWRITE,
		    "ALTER COLUMN TYPE");
		return;
	}
	coltype_compare(from, to, &tc);
	set(st, LK_AE, BLOCKS_ALL, tc.rewrite ? WORK_REWRITE : WORK_NONE,
	    RATE_REWRITE, "ALTER COLUMN TYPE");
}

static void
alter_column(const struct change *c, const char *s, struct stmt *st)
{
	const char *rest;

	if (starts(s, "COLUMN"))
		s += 7;
	rest = skip_name(s);
	if (starts(rest, "TYPE") || starts(rest, "SET DATA TYPE")) {
		type_change(c, rest, st);
	} else if (starts(rest, "SET NOT NULL")) {
		int cheap = notnull_proved(c);

		set(st, LK_AE, BLOCKS_ALL, cheap ? WORK_NONE : WORK_SCAN,
		    RATE_SCAN, "SET NOT NULL");
	} else if (starts(rest, "SET STATISTICS") ||
	    starts(rest, "SET (") || starts(rest, "RESET (")) {
		set(st, LK_SUE, BLOCKS_NOTHING, WORK_NONE, RATE_NONE,
		    "ALTER COLUMN SET STATISTICS");
	} else if (starts(rest, "SET DEFAULT")) {
		set(st, LK_AE, BLOCKS_ALL, WORK_NONE, RATE_NONE,
		    "SET DEFAULT");
	} else if (starts(rest, "DROP DEFAULT")) {
		set(st, LK_AE, BLOCKS_ALL, WORK_NONE, RATE_NONE,
		    "DROP DEFAULT");
	} else if (starts(rest, "DROP NOT NULL")) {
		set(st, LK_AE, BLOCKS_ALL, WORK_NONE, RATE_NONE,
		    "DROP NOT NULL");
	} else {
		set(st, LK_AE, BLOCKS_ALL, WORK_NONE, RATE_NONE,
		    "ALTER COLUMN");
	}
}

static void
table_subcommand(const struct change *c, const char *s, struct stmt *st)
{
	if (starts(s, "ADD")) {
		s += 4;
		if (starts(s, "COLUMN"))
			add_column(s, st);
		else
			add_constraint(s, st);
	} else if (starts(s, "ALTER")) {
		if (starts(s + 6, "CONSTRAINT"))
			set(st, LK_AE, BLOCKS_ALL, WORK_NONE, RATE_NONE,
			    "ALTER CONSTRAINT");
		else
			alter_column(c, s + 6, st);
	} else if (starts(s, "DROP COLUMN")) {
		set(st, LK_AE, BLOCKS_ALL, WORK_NONE, RATE_NONE,
		    "DROP COLUMN");
	} else if (starts(s, "DROP CONSTRAINT")) {
		set(st, LK_AE, BLOCKS_ALL, WORK_NONE, RATE_NONE,
		    "DROP CONSTRAINT");
	} else if (starts(s, "VALIDATE CONSTRAINT")) {
		const cJSON *con = c->after ? c->after : c->before;
		const char *type = json_str(con, "type");
		int fk = type && strcmp(type, "foreign_key") == 0;

		set(st, LK_SUE, BLOCKS_NOTHING, WORK_SCAN,
		    fk ? RATE_FK : RATE_SCAN, "VALIDATE CONSTRAINT");
	} else if (starts(s, "SET LOGGED") || starts(s, "SET UNLOGGED")) {
		set(st, LK_AE, BLOCKS_ALL, WORK_REWRITE, RATE_REWRITE,
		    starts(s, "SET LOGGED") ? "SET LOGGED" : "SET UNLOGGED");
	} else if (starts(s, "SET TABLESPACE") ||
	    starts(s, "SET ACCESS METHOD")) {
		set(st, LK_AE, BLOCKS_ALL, WORK_REWRITE, RATE_REWRITE,
		    "SET TABLESPACE/ACCESS METHOD");
	} else if (starts(s, "SET (") || starts(s, "RESET (") ||
	    starts(s, "CLUSTER ON") || starts(s, "SET WITHOUT CLUSTER") ||
	    starts(s, "SET STATISTICS")) {
		set(st, LK_SUE, BLOCKS_NOTHING, WORK_NONE, RATE_NONE,
		    "SET storage parameters");
	} else if (has(s, "TRIGGER") && (starts(s, "ENABLE") ||
	    starts(s, "DISABLE"))) {
		set(st, LK_SRE, BLOCKS_WRITES, WORK_NONE, RATE_NONE,
		    starts(s, "ENABLE") ? "ENABLE TRIGGER" : "DISABLE TRIGGER");
	} else if (starts(s, "ATTACH PARTITION")) {
		set(st, LK_AE, BLOCKS_ALL, WORK_SCAN, RATE_SCAN,
		    "ATTACH PARTITION");
	} else if (starts(s, "DETACH PARTITION")) {
		if (has(s, "CONCURRENTLY") || has(s, "FINALIZE"))
			set(st, LK_SUE, BLOCKS_NOTHING, WORK_NONE, RATE_NONE,
			    "DETACH PARTITION CONCURRENTLY");
		else
			set(st, LK_AE, BLOCKS_ALL, WORK_NONE, RATE_NONE,
			    "DETACH PARTITION");
	} else if (starts(s, "RENAME")) {
		set(st, LK_AE, BLOCKS_ALL, WORK_NONE, RATE_NONE, "RENAME");
	} else if (starts(s, "OWNER TO")) {
		set(st, LK_AE, BLOCKS_ALL, WORK_NONE, RATE_NONE, "OWNER TO");
	} else if (has(s, "ROW LEVEL SECURITY")) {
		set(st, LK_AE, BLOCKS_ALL, WORK_NONE, RATE_NONE,
		    "ROW LEVEL SECURITY");
	} else {
		set(st, LK_AE, BLOCKS_ALL, WORK_NONE, RATE_NONE,
		    "ALTER TABLE");
	}
}

/* Work counts first (a rewrite outlasts any brief lock), then the lock. */
static int
heavier(const struct stmt *a, const struct stmt *b)
{
	if (a->work != b->work)
		return a->work > b->work;
	if (a->lock != b->lock)
		return a->lock > b->lock;
	return a->blocks > b->blocks;
}

/* ALTER TABLE [IF EXISTS] [ONLY] name sub, sub, ... */
static void
alter_table(const struct change *c, const char *s, struct stmt *st)
{
	int depth = 0;
	const char *p, *start;

	s += strlen("ALTER TABLE ");
	if (starts(s, "IF EXISTS"))
		s += 10;
	if (starts(s, "ONLY"))
		s += 5;
	s = skip_name(s);
	set(st, LK_NONE, BLOCKS_NOTHING, WORK_NONE, RATE_NONE, NULL);
	for (p = start = s;; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		else if (*p == '"' || *p == '\'') {
			char q = *p;

			for (p++; *p && *p != q; p++)
				;
			if (*p == '\0')
				p--;
		}
		if (*p == '\0' || (*p == ',' && depth == 0)) {
			char *sub = xstrndup(start, (size_t)(p - start));
			const char *t = sub;
			struct stmt one;

			while (*t == ' ')
				t++;
			table_subcommand(c, t, &one);
			if (st->what == NULL || heavier(&one, st))
				*st = one;
			free(sub);
			if (*p == '\0')
				break;
			start = p + 1;
		}
	}
}

static void
classify(const struct change *c, const char *s, struct stmt *st)
{
	set(st, LK_NONE, BLOCKS_NOTHING, WORK_NONE, RATE_NONE, NULL);
	if (starts(s, "ALTER TABLE")) {
		alter_table(c, s, st);
	} else if (starts(s, "CREATE INDEX") ||
	    starts(s, "CREATE UNIQUE INDEX")) {
		if (has(s, "CONCURRENTLY"))
			set(st, LK_SUE, BLOCKS_NOTHING, WORK_SCAN,
			    RATE_INDEX_CONC, "CREATE INDEX CONCURRENTLY");
		else
			set(st, LK_SH, BLOCKS_WRITES, WORK_SCAN, RATE_INDEX,
			    "CREATE INDEX");
	} else if (starts(s, "DROP INDEX")) {
		if (has(s, "CONCURRENTLY"))
			set(st, LK_SUE, BLOCKS_NOTHING, WORK_NONE, RATE_NONE,
			    "DROP INDEX CONCURRENTLY");
		else
			set(st, LK_AE, BLOCKS_ALL, WORK_NONE, RATE_NONE,
			    "DROP INDEX");
	} else if (starts(s, "REINDEX")) {
		if (has(s, "CONCURRENTLY"))
			set(st, LK_SUE, BLOCKS_NOTHING, WORK_SCAN,
			    RATE_INDEX_CONC, "REINDEX CONCURRENTLY");
		else
			set(st, LK_SH, BLOCKS_ALL, WORK_SCAN, RATE_INDEX,
			    "REINDEX");
	} else if (starts(s, "ALTER INDEX")) {
		set(st, LK_SUE, BLOCKS_NOTHING, WORK_NONE, RATE_NONE,
		    "ALTER INDEX");
	} else if (starts(s, "CREATE TABLE") ||
	    starts(s, "CREATE UNLOGGED TABLE")) {
		if (has(s, "PARTITION OF"))
			set(st, LK_AE, BLOCKS_ALL, WORK_NONE, RATE_NONE,
			    "CREATE TABLE ... PARTITION OF");
		else if (has(s, "REFERENCES"))
			set(st, LK_SRE, BLOCKS_WRITES, WORK_NONE, RATE_NONE,
			    "CREATE TABLE ... REFERENCES");
	} else if (starts(s, "DROP TABLE") || starts(s, "TRUNCATE")) {
		set(st, LK_AE, BLOCKS_ALL, starts(s, "TRUNCATE") ?
		    WORK_REWRITE : WORK_NONE, RATE_NONE,
		    starts(s, "TRUNCATE") ? "TRUNCATE" : "DROP TABLE");
	} else if (starts(s, "CREATE VIEW") ||
	    starts(s, "CREATE OR REPLACE VIEW") ||
	    starts(s, "CREATE RECURSIVE VIEW") ||
	    starts(s, "CREATE OR REPLACE RECURSIVE VIEW") ||
	    starts(s, "DROP VIEW") || starts(s, "ALTER VIEW") ||
	    starts(s, "DROP MATERIALIZED VIEW") ||
	    starts(s, "ALTER MATERIALIZED VIEW")) {
		set(st, LK_AE, BLOCKS_ALL, WORK_NONE, RATE_NONE,
		    starts(s, "DROP") ? "DROP VIEW" : "CREATE VIEW");
	} else if (starts(s, "CREATE MATERIALIZED VIEW")) {
		set(st, LK_AS, BLOCKS_NOTHING, WORK_NONE, RATE_NONE,
		    "CREATE MATERIALIZED VIEW");
	} else if (starts(s, "REFRESH MATERIALIZED VIEW")) {
		if (has(s, "CONCURRENTLY"))
			set(st, LK_EX, BLOCKS_NOTHING, WORK_SCAN, RATE_SCAN,
			    "REFRESH MATERIALIZED VIEW CONCURRENTLY");
		else
			set(st, LK_AE, BLOCKS_ALL, WORK_REWRITE,
			    RATE_REWRITE, "REFRESH MATERIALIZED VIEW");
	} else if (starts(s, "CREATE TRIGGER") ||
	    starts(s, "CREATE OR REPLACE TRIGGER") ||
	    starts(s, "CREATE CONSTRAINT TRIGGER")) {
		set(st, LK_SRE, BLOCKS_WRITES, WORK_NONE, RATE_NONE,
		    "CREATE TRIGGER");
	} else if (starts(s, "DROP TRIGGER") || starts(s, "ALTER TRIGGER")) {
		set(st, LK_AE, BLOCKS_ALL, WORK_NONE, RATE_NONE,
		    "DROP TRIGGER");
	} else if (starts(s, "CREATE POLICY") || starts(s, "ALTER POLICY") ||
	    starts(s, "DROP POLICY") || starts(s, "CREATE RULE") ||
	    starts(s, "DROP RULE")) {
		set(st, LK_AE, BLOCKS_ALL, WORK_NONE, RATE_NONE,
		    starts(s, "CREATE") ? "CREATE POLICY" : "ALTER POLICY");
	} else if (starts(s, "ALTER DOMAIN")) {
		if (has(s, "NOT VALID"))
			;
		else if (has(s, "ADD") || has(s, "SET NOT NULL"))
			set(st, LK_SH, BLOCKS_WRITES, WORK_SCAN, RATE_SCAN,
			    "ALTER DOMAIN ADD CONSTRAINT");
		else if (has(s, "VALIDATE CONSTRAINT"))
			set(st, LK_SUE, BLOCKS_NOTHING, WORK_SCAN, RATE_SCAN,
			    "ALTER DOMAIN VALIDATE CONSTRAINT");
	} else if (starts(s, "ALTER SEQUENCE")) {
		if (has(s, "RENAME"))
			set(st, LK_AE, BLOCKS_WRITES, WORK_NONE, RATE_NONE,
			    "ALTER SEQUENCE RENAME");
		else
			set(st, LK_SRE, BLOCKS_WRITES, WORK_NONE, RATE_NONE,
			    "ALTER SEQUENCE");
	} else if (starts(s, "DROP SEQUENCE")) {
		set(st, LK_AE, BLOCKS_WRITES, WORK_NONE, RATE_NONE,
		    "DROP SEQUENCE");
	} else if (starts(s, "COMMENT ON")) {
		set(st, LK_SUE, BLOCKS_NOTHING, WORK_NONE, RATE_NONE,
		    "COMMENT ON");
	} else if (starts(s, "VACUUM FULL") || starts(s, "CLUSTER")) {
		set(st, LK_AE, BLOCKS_ALL, WORK_REWRITE, RATE_REWRITE,
		    "VACUUM FULL");
	} else if (starts(s, "UPDATE") || starts(s, "INSERT") ||
	    starts(s, "DELETE")) {
		set(st, LK_RE, BLOCKS_NOTHING, WORK_NONE, RATE_NONE,
		    "UPDATE");
	}
}

int
sql_volatile(const char *expr)
{
	char *s = skeleton(expr);
	int v = volatile_default(s);

	free(s);
	return v;
}

void
stmt_classify(const struct change *c, const char *sql, struct stmt *st)
{
	char *s = skeleton(sql);

	classify(c, s, st);
	free(s);
}

int
fwd_does(const struct change *c, const char *what)
{
	const cJSON *sql;
	struct stmt st;

	cJSON_ArrayForEach(sql, c->fwd) {
		if (!cJSON_IsString(sql))
			continue;
		stmt_classify(c, sql->valuestring, &st);
		if (st.what && strcmp(st.what, what) == 0)
			return 1;
	}
	return 0;
}

/* ceil(bytes / rate): reference section 7. */
static int64_t
duration(const struct change *c, const struct stmt *st)
{
	double rate;

	if (st->rate == RATE_NONE)
		return 0;
	rate = c->cfg->rate[st->rate == RATE_INDEX_CONC ? RATE_INDEX :
	    st->rate] * 1e6;
	if (st->rate == RATE_INDEX_CONC)
		rate /= 3;
	return (int64_t)ceil((double)c->bytes / rate);
}

void
locks_assess(struct change *c)
{
	const cJSON *sql;
	int worked = 0;

	c->lock = LK_NONE;
	c->blocks = BLOCKS_NOTHING;
	c->work = WORK_NONE;
	c->seconds = 0;
	c->downtime = 0;
	memset(&c->heavy, 0, sizeof(c->heavy));
	cJSON_ArrayForEach(sql, c->fwd) {
		struct stmt st;

		if (!cJSON_IsString(sql))
			continue;
		stmt_classify(c, sql->valuestring, &st);
		if (st.lock > c->lock)
			c->lock = st.lock;
		if (st.blocks > c->blocks)
			c->blocks = st.blocks;
		if (st.work > c->work)
			c->work = st.work;
		if (st.what && (c->heavy.what == NULL ||
		    heavier(&st, &c->heavy)))
			c->heavy = st;
		if (st.work != WORK_NONE) {
			worked = 1;
			if (c->bytes >= 0)
				c->seconds += duration(c, &st);
			if (st.blocks == BLOCKS_ALL ||
			    (st.blocks == BLOCKS_WRITES &&
			    c->bytes > c->cfg->large_bytes))
				c->downtime = 1;
		}
	}
	if (!worked || c->bytes < 0)
		c->seconds = -1;
}
