/*
 * crosscut: rules that look at a change as a whole once the per-kind
 * rules have run: long locks on large tables, rollbacks that cannot
 * restore prod, and old names still written in application code.
 */
#include <string.h>

#include "buf.h"
#include "json.h"
#include "review.h"

static void
long_lock(struct change *c)
{
	const struct stmt *h = &c->heavy;
	const char *table = c->table ? c->table : c->object;
	struct buf dur = BUF_INIT;
	cJSON *ev;

	if (h->what == NULL || h->lock < LK_SH || h->work == WORK_NONE ||
	    h->blocks == BLOCKS_NOTHING || !is_large(c))
		return;
	if (c->seconds >= 0)
		buf_addf(&dur, "%s", hum_secs(c->seconds).s);
	else
		buf_addf(&dur, "the whole %s", h->work == WORK_REWRITE ?
		    "rewrite" : "scan");
	ev = ev_new();
	ev_size(ev, c);
	ev_sql(ev, c);
	finding_add(c, "long-lock-on-large-table", SEV_HIGH, ev, "%s has %s; "
	    "%s %s it under %s, blocking %s for %s, and every query arriving "
	    "meanwhile queues behind the lock.", table, hum_has(c).s,
	    h->what, h->work == WORK_REWRITE ? "rewrites" : "scans",
	    lock_name(h->lock), h->blocks == BLOCKS_ALL ? "reads and writes" :
	    "writes", dur.data);
	buf_release(&dur);
}

static void
irreversible(struct change *c)
{
	if (c->risk < RISK_DATA_LOSS)
		return;
	finding_add(c, "irreversible-change", SEV_MEDIUM, NULL, "Rolling back "
	    "%s cannot restore prod as it was. %s", c->object, c->risk_notes ?
	    c->risk_notes : "Data is lost.");
}

static void
app_code(struct change *c)
{
	cJSON *ev;

	if (c->app == NULL || c->app->n == 0)
		return;
	ev = ev_new();
	ev_app(ev, c);
	finding_add(c, "referenced-by-app-code", SEV_CRITICAL, ev, "The %s "
	    "name \"%s\" of %s still appears in %s of application code (first "
	    "at %s); that code fails once the migration commits.",
	    strcmp(c->op, "rename") == 0 ? "old" : "dropped", c->app_name,
	    strcmp(c->op, "rename") == 0 && c->renamed_from ? c->renamed_from
	    : c->object, hum_count((int64_t)c->app->n, "place", "places").s,
	    c->app->loc[0]);
}

void
rules_crosscut(struct change *c)
{
	long_lock(c);
	irreversible(c);
	app_code(c);
}
