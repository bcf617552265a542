/*
 * review: what the parts of impact-agent share while they assess a diff.
 *
 * review.c turns each diff change into a `struct change`, the lock and type
 * classifiers fill in what the forward SQL does, the rule files (columns.c,
 * tables.c, constraints.c, indexes.c, types.c, views.c, functions.c,
 * grants.c, sequences.c, crosscut.c) add findings, and summary.c and
 * narrative.c describe the whole.  Everything borrowed from the diff lives
 * as long as the review tree it was copied into; what a `struct change`
 * allocates is freed by review_build() before it returns.
 */
#ifndef REVIEW_H
#define REVIEW_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "buf.h"

enum sev { SEV_INFO, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL };
#define SEV_COUNT	5

/* Rollback risk, in increasing order of harm. */
enum risk { RISK_SAFE, RISK_LOSSY, RISK_DATA_LOSS, RISK_IRREVERSIBLE };

/* Lock modes in PostgreSQL's order of strength; LK_NONE takes none. */
enum lockmode {
	LK_NONE, LK_AS, LK_RS, LK_RE, LK_SUE, LK_SH, LK_SRE,
	LK_EX, LK_AE
};
enum blocks { BLOCKS_NOTHING, BLOCKS_WRITES, BLOCKS_ALL };
enum work { WORK_NONE, WORK_SCAN, WORK_REWRITE };
/* Which throughput an operation's duration is estimated with. */
enum rate { RATE_NONE, RATE_REWRITE, RATE_INDEX, RATE_INDEX_CONC, RATE_FK,
	RATE_SCAN };

/* What one forward statement does to the table it names. */
struct stmt {
	enum lockmode	 lock;
	enum blocks	 blocks;
	enum work	 work;
	enum rate	 rate;
	const char	*what;		/* "SET NOT NULL", static */
};

struct config {
	int64_t	  large_bytes;		/* "large table" thresholds */
	int64_t	  large_rows;
	double	  rate[RATE_SCAN + 1];	/* MB/s (10^6 bytes) per rate */
	char	**ignore;		/* object globs left out entirely */
	size_t	  nignore;
	char	**silence_rule;		/* rule silenced on silence_obj[i] */
	char	**silence_obj;
	size_t	  nsilence;
	int	 *override;		/* per rule index: enum sev, or -1 */
	char	 *prompt_file;		/* kept for the model pass; NULL */
};

/* Occurrences of one name in application source. */
struct hits {
	char	**loc;			/* "dir/file:line", sorted */
	char	**text;			/* the line, trimmed and shortened */
	size_t	  n;
};

struct change {
	cJSON		*json;		/* the change inside the review */
	const char	*id, *kind, *object, *table, *op, *renamed_from;
	const cJSON	*before, *after, *attrs, *fwd, *rb, *evidence;
	const cJSON	*queries;	/* prod queries reading or writing */
	const cJSON	*dependents;
	cJSON		*own_queries;	/* owns what `queries` points to */
	int64_t		 rows, bytes, index_scans;	/* -1: unknown */

	/* filled by locks_assess() */
	enum lockmode	 lock;
	enum blocks	 blocks;
	enum work	 work;
	int64_t		 seconds;	/* -1: no work, or size unknown */
	struct stmt	 heavy;		/* the statement doing the most work */
	int		 downtime;	/* blocks reads, or writes long */

	/* filled by the rules */
	cJSON		*findings;
	enum sev	 sev;
	enum risk	 risk;
	char		*risk_notes;
	char		*alternative;
	enum sev	 alt_sev;
	const struct hits *app;		/* old name in app code, or NULL */
	char		*app_name;	/* the name searched for */

	const struct config *cfg;
	const struct change *all;	/* every change of the review */
	size_t		 nall;
};

/* findings.c */
const char	*sev_name(enum sev s);
int		 sev_parse(const char *name, enum sev *s);
const char	*risk_name(enum risk r);
int		 rule_index(const char *rule);
size_t		 rule_count(void);
const char	*rule_id(size_t i);
/*
 * Record a finding on `c` unless the config silences `rule` for the
 * object; a severity override replaces `sev`.  `ev` (an array of strings,
 * may be NULL) is taken over.  The message is a full sentence.
 */
void	 finding_add(struct change *c, const char *rule, enum sev sev,
	    cJSON *ev, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
/* Keep `text` as the safer alternative unless a more severe one is set. */
void	 suggest(struct change *c, enum sev sev, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Set the rollback risk (the worst one set wins) and its note. */
void	 set_risk(struct change *c, enum risk r, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Sort findings (severity desc, then rule) and set c->sev. */
void	 findings_finish(struct change *c);
int	 has_finding(const struct change *c, const char *rule);

/* evidence.c: evidence arrays from the diff and the app search */
cJSON	*ev_new(void);
void	 ev_queries(cJSON *ev, const struct change *c);
void	 ev_dependents(cJSON *ev, const struct change *c);
void	 ev_app(cJSON *ev, const struct change *c);
/* What uses the object: ev_queries(), ev_dependents(), then ev_app(). */
void	 ev_users(cJSON *ev, const struct change *c);
void	 ev_size(cJSON *ev, const struct change *c);
/* "sql: ..." for each forward statement that blocks or scans. */
void	 ev_sql(cJSON *ev, const struct change *c);
int64_t	 query_calls(const struct change *c);
size_t	 count_items(const cJSON *arr);
/* "1 prod query (311 calls)", "view public.v", ... joined: what reads it */
void	 describe_users(struct buf *b, const struct change *c);
/*
 * Strings of array `a` not in array `b`, each between `quote`, appended to
 * `out` as "x, y"; returns how many.  Privileges lost, enum labels added.
 */
int	 list_missing(const cJSON *a, const cJSON *b, const char *quote,
	    struct buf *out);
int	 is_large(const struct change *c);
/* 1 when table_rows > 0 or unknown: a scan or a failing check can bite. */
int	 maybe_rows(const struct change *c);

/* human.c: numbers in words a reader takes in at once */
struct hum { char s[96]; };
struct hum	 hum_rows(int64_t n);		/* "48 million rows" */
struct hum	 hum_bytes(int64_t n);		/* "210 GB" */
struct hum	 hum_secs(int64_t s);		/* "about 25 minutes" */
struct hum	 hum_count(int64_t n, const char *one, const char *many);
/* "public.orders (48 million rows, 210 GB)" or with "size unknown" */
struct hum	 hum_size(const struct change *c);
/* "48 million rows (210 GB)", for "TABLE has ..." */
struct hum	 hum_has(const struct change *c);
/* The last dot-separated part of a qualified name, unquoted; caller frees. */
char		*bare_name(const char *qname);
/* A function name without its argument list, unquoted; caller frees. */
char		*bare_func(const char *qname);

/* locks.c */
const char	*lock_name(enum lockmode l);
const char	*blocks_name(enum blocks b);
const char	*work_name(enum work w);
void		 stmt_classify(const struct change *c, const char *sql,
		    struct stmt *st);
/* Does any forward statement classify as `what` ("ADD CHECK", ...)? */
int		 fwd_does(const struct change *c, const char *what);
void		 locks_assess(struct change *c);
/* Does a default expression call a volatile built-in function? */
int		 sql_volatile(const char *expr);

/* coltype.c: what a column type change does */
struct typechange {
	int		 rewrite;	/* the table is rewritten */
	int		 narrowed;	/* values can be rejected or altered */
	enum risk	 risk;		/* of rolling the change back */
	char		 why[160];	/* what happens to values */
};
void	 coltype_compare(const char *from, const char *to,
	    struct typechange *tc);

/* the rules, one entry point per object kind */
void	 rules_column(struct change *c);
void	 rules_table(struct change *c);
void	 rules_schema(struct change *c);
void	 rules_constraint(struct change *c);
void	 rules_index(struct change *c);
void	 rules_type(struct change *c);
void	 rules_view(struct change *c);
void	 rules_function(struct change *c);
void	 rules_trigger(struct change *c);
void	 rules_policy(struct change *c);
void	 rules_grant(struct change *c);
void	 rules_sequence(struct change *c);
void	 rules_extension(struct change *c);
void	 rules_comment(struct change *c);
void	 rules_owner(struct change *c);
void	 rules_crosscut(struct change *c);
/* columns.c: a validated CHECK (col IS NOT NULL) makes SET NOT NULL cheap */
int	 notnull_proved(const struct change *c);

/* Attribute `name` of an alter change, or NULL. */
const cJSON	*attr_get(const struct change *c, const char *name);
const char	*attr_str(const cJSON *attr, const char *side);

#endif
