/*
 * columns: rules for added, dropped, renamed and altered columns.
 *
 * An alter change carries one `attributes` entry per property that
 * differs (type, nullable, default, identity, generated, collation); each
 * is judged on its own, so one change can raise several findings.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "review.h"
#include "sqlquote.h"
#include "xalloc.h"

static int
is_null_attr(const cJSON *attr, const char *side)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(attr, side);

	return v == NULL || cJSON_IsNull(v);
}

int
notnull_proved(const struct change *c)
{
	char *col = bare_name(c->object), *qcol = sql_ident(col);
	struct buf want = BUF_INIT;
	const cJSON *sql;
	int own_check = 0, own_validate = 0, proved = 0;
	size_t i;

	buf_addf(&want, "(%s IS NOT NULL)", qcol);
	cJSON_ArrayForEach(sql, c->fwd) {
		if (!cJSON_IsString(sql))
			continue;
		if (strstr(sql->valuestring, want.data))
			own_check = 1;
		if (strstr(sql->valuestring, "VALIDATE CONSTRAINT"))
			own_validate = 1;
	}
	proved = own_check && own_validate;
	for (i = 0; !proved && c->table && i < c->nall; i++) {
		const struct change *o = &c->all[i];
		const char *def, *type;

		if (strcmp(o->kind, "constraint") != 0 || o->table == NULL ||
		    strcmp(o->table, c->table) != 0)
			continue;
		def = json_str(o->after, "definition");
		type = json_str(o->after, "type");
		if (def == NULL || type == NULL || strcmp(type, "check") != 0)
			continue;
		if (strstr(def, want.data) && json_true(o->after, "validated"))
			proved = 1;
	}
	buf_release(&want);
	free(qcol);
	free(col);
	return proved;
}

static void
dropped(struct change *c)
{
	struct buf users = BUF_INIT;
	cJSON *ev = ev_new();

	describe_users(&users, c);
	ev_users(ev, c);
	if (users.len > 0)
		finding_add(c, "dropped-column-still-referenced", SEV_CRITICAL,
		    ev, "%s is dropped but %s still use it; those statements "
		    "fail with \"column does not exist\" as soon as the "
		    "migration commits, and its values are lost.", c->object,
		    users.data);
	else
		finding_add(c, "dropped-column", SEV_HIGH, ev, "%s is dropped; "
		    "every value it holds in %s (%s) is lost and the rollback "
		    "can only re-add it empty.", c->object, c->table ?
		    c->table : "its table", hum_size(c).s);
	set_risk(c, RISK_DATA_LOSS, "The values of %s are gone once it is "
	    "dropped; the rollback re-adds the column empty, at the end of "
	    "the table.", c->object);
	suggest(c, SEV_HIGH, "Deploy application code that no longer reads "
	    "or writes %s first, wait until pg_stat_statements shows no "
	    "query naming it, then drop it in a later release "
	    "(expand/contract); keep a copy of the column if the data may "
	    "be needed.", c->object);
	buf_release(&users);
}

static void
renamed(struct change *c)
{
	const char *old = c->renamed_from ? c->renamed_from : "the old name";
	size_t nq = count_items(c->queries);
	struct buf users = BUF_INIT;
	cJSON *ev = ev_new();

	ev_users(ev, c);
	describe_users(&users, c);
	if (users.len > 0 && nq > 0)
		finding_add(c, "renamed-column", SEV_CRITICAL, ev, "%s is "
		    "renamed to %s while %s still use the old name; they fail "
		    "with \"column does not exist\" once the migration "
		    "commits.", old, c->object, users.data);
	else
		finding_add(c, "renamed-column", SEV_HIGH, ev, "%s is renamed "
		    "to %s; every query, view and application statement that "
		    "reads or writes the old name fails once the migration "
		    "commits.", old, c->object);
	set_risk(c, RISK_SAFE, "Renaming the column back restores it; no "
	    "data is lost.");
	suggest(c, SEV_HIGH, "Add %s as a new column, keep both in step (a "
	    "trigger or application dual-writes), backfill it in batches, "
	    "move readers to the new name, then drop %s in a later release.",
	    c->object, old);
	buf_release(&users);
}

static void
added(struct change *c)
{
	const char *def = json_str(c->after, "default");
	int notnull = c->after && cJSON_IsFalse(
	    cJSON_GetObjectItemCaseSensitive(c->after, "nullable"));
	int special = json_str(c->after, "identity") != NULL ||
	    json_str(c->after, "generated") != NULL;
	char *col = bare_name(c->object);
	cJSON *ev;

	set_risk(c, RISK_LOSSY, "Dropping the added column restores the "
	    "schema, but values written to it after the migration are "
	    "lost.");
	if (notnull && def == NULL && !special) {
		ev = ev_new();
		ev_size(ev, c);
		if (c->rows > 0)
			finding_add(c, "not-null-column-without-default",
			    SEV_CRITICAL, ev, "%s is added as NOT NULL without "
			    "a default, but %s already holds %s, so the ALTER "
			    "fails with \"column \\\"%s\\\" contains null "
			    "values\".", c->object, c->table,
			    hum_rows(c->rows).s,
			    col);
		else if (c->rows < 0)
			finding_add(c, "not-null-column-without-default",
			    SEV_CRITICAL, ev, "%s is added as NOT NULL without "
			    "a default; the row count of %s is unknown, and "
			    "the "
			    "ALTER fails if it holds any row.", c->object,
			    c->table ? c->table : "its table");
		else
			finding_add(c, "not-null-column-without-default",
			    SEV_HIGH, ev, "%s is added as NOT NULL without a "
			    "default; %s is empty so the ALTER succeeds, but "
			    "every existing INSERT that omits %s now fails.",
			    c->object, c->table ? c->table : "its table", col);
		suggest(c, SEV_HIGH, "Add %s as nullable (or with a constant "
		    "default), backfill existing rows in batches, add CHECK "
		    "(%s IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, then SET "
		    "NOT NULL (no scan once the check is validated) and drop "
		    "the check.", col, col);
	}
	if (def && sql_volatile(def)) {
		enum sev sev = c->bytes > c->cfg->large_bytes ? SEV_HIGH :
		    SEV_MEDIUM;
		struct buf b = BUF_INIT;

		ev = ev_new();
		ev_size(ev, c);
		ev_sql(ev, c);
		if (c->seconds >= 0)
			buf_addf(&b, " for %s", hum_secs(c->seconds).s);
		finding_add(c, "volatile-default", sev, ev, "%s is added with "
		    "the volatile default %s, so PostgreSQL computes it for "
		    "every existing row and rewrites %s (%s) under ACCESS "
		    "EXCLUSIVE, blocking reads and writes%s.", c->object, def,
		    c->table ? c->table : "the table", hum_size(c).s, b.data);
		suggest(c, sev, "Add %s without a default, then SET DEFAULT %s "
		    "(new rows only, no rewrite), and backfill existing rows "
		    "in batches of a few thousand.", col, def);
		buf_release(&b);
	}
	free(col);
}

static void
type_changed(struct change *c, const cJSON *a)
{
	const char *from = attr_str(a, "before"), *to = attr_str(a, "after");
	struct typechange tc;
	struct buf extra = BUF_INIT;
	char *col = bare_name(c->object);
	cJSON *ev;

	if (from == NULL || to == NULL)
		goto out;
	ev = ev_new();
	coltype_compare(from, to, &tc);
	ev_size(ev, c);
	if (tc.rewrite)
		ev_sql(ev, c);
	ev_dependents(ev, c);
	if (count_items(c->dependents) > 0)
		buf_addstr(&extra, " The ALTER fails while views read the "
		    "column (\"cannot alter type of a column used by a view\"):"
		    " they must be dropped and recreated around it.");
	if (tc.rewrite) {
		buf_addf(&extra, " PostgreSQL rewrites %s (%s) and rebuilds "
		    "its indexes under ACCESS EXCLUSIVE, blocking reads and "
		    "writes", c->table ? c->table : "the table",
		    hum_size(c).s);
		if (c->seconds >= 0)
			buf_addf(&extra, " for %s", hum_secs(c->seconds).s);
		buf_addch(&extra, '.');
	}
	if (tc.narrowed) {
		finding_add(c, "column-type-narrowed", SEV_HIGH, ev, "%s "
		    "changes from %s to %s: %s.%s", c->object, from, to,
		    tc.why, extra.data);
		set_risk(c, tc.risk, tc.risk == RISK_DATA_LOSS ?
		    "Widening back to %s restores the type, but values "
		    "altered by the narrowing stay altered." :
		    tc.risk == RISK_SAFE ? "Changing back to %s restores the "
		    "type and every value." : "Changing back to %s restores "
		    "the type, but values trimmed or converted on the way "
		    "do not come back exactly.", from);
	} else if (tc.rewrite) {
		finding_add(c, "column-type-rewrite",
		    c->bytes > c->cfg->large_bytes ? SEV_HIGH : SEV_MEDIUM, ev,
		    "%s changes from %s to %s, which is not binary coercible: "
		    "%s.%s", c->object, from, to, tc.why, extra.data);
		set_risk(c, RISK_LOSSY,
		    "Changing back to %s restores the type; "
		    "it fails if values written meanwhile do not fit.", from);
	} else {
		finding_add(c, "column-type-compatible", SEV_LOW, ev, "%s "
		    "changes from %s to %s without a table rewrite (%s); only "
		    "the catalog changes.%s", c->object, from, to, tc.why,
		    extra.data);
		set_risk(c, RISK_LOSSY, "Narrowing back to %s fails, or "
		    "rewrites, if wider values were written meanwhile.", from);
	}
	if (tc.rewrite || tc.narrowed)
		suggest(c, SEV_HIGH, "Add a new column of type %s, keep it in "
		    "step with a trigger, backfill it in batches, switch the "
		    "application to it, then drop %s in a later release "
		    "(expand/contract).", to, col);
out:
	buf_release(&extra);
	free(col);
}

static void
nullability(struct change *c, const cJSON *a)
{
	const cJSON *after = cJSON_GetObjectItemCaseSensitive(a, "after");
	char *col = bare_name(c->object);
	struct buf b = BUF_INIT;
	cJSON *ev;

	if (cJSON_IsFalse(after)) {
		ev = ev_new();
		ev_size(ev, c);
		ev_sql(ev, c);
		if (notnull_proved(c)) {
			finding_add(c, "set-not-null", SEV_MEDIUM, ev, "%s "
			    "becomes NOT NULL; a validated CHECK (%s IS NOT "
			    "NULL) proves it, so the ACCESS EXCLUSIVE lock is "
			    "brief and no scan is needed.", c->object, col);
		} else {
			if (c->seconds >= 0)
				buf_addf(&b, " for %s", hum_secs(c->seconds).s);
			finding_add(c, "set-not-null", SEV_HIGH, ev,
			    "%s becomes "
			    "NOT NULL: PostgreSQL scans %s (%s) under ACCESS "
			    "EXCLUSIVE, blocking reads and writes%s, and the "
			    "ALTER fails if any row holds NULL.", c->object,
			    c->table ? c->table : "the table", hum_size(c).s,
			    b.data);
			suggest(c, SEV_HIGH, "Add CHECK (%s IS NOT NULL) NOT "
			    "VALID (brief lock), VALIDATE CONSTRAINT (scans "
			    "without blocking reads or writes), then SET NOT "
			    "NULL (no scan, PostgreSQL 12+) and drop the "
			    "check.", col);
		}
		set_risk(c, RISK_SAFE, "DROP NOT NULL restores the prod "
		    "schema; no data changes.");
	} else if (cJSON_IsTrue(after)) {
		finding_add(c, "drop-not-null", SEV_LOW, NULL,
		    "%s may now hold "
		    "NULL; readers that assume it always has a value may "
		    "break.", c->object);
		set_risk(c, RISK_SAFE, "SET NOT NULL restores it, but fails "
		    "(after a full scan) if NULLs were written meanwhile.");
	}
	buf_release(&b);
	free(col);
}

static void
default_changed(struct change *c, const cJSON *a)
{
	const char *from = attr_str(a, "before"), *to = attr_str(a, "after");
	int notnull = c->after && cJSON_IsFalse(
	    cJSON_GetObjectItemCaseSensitive(c->after, "nullable"));
	char *col = bare_name(c->object);

	if (from && is_null_attr(a, "after") && notnull)
		finding_add(c, "default-dropped", SEV_HIGH, NULL, "The default "
		    "%s is removed from the NOT NULL column %s, so every "
		    "INSERT that omits %s fails with a not-null violation.",
		    from, c->object, col);
	else if (from && to)
		finding_add(c, "default-changed", SEV_MEDIUM, NULL, "The "
		    "default of %s changes from %s to %s; INSERTs that omit "
		    "the column now store a different value.", c->object,
		    from, to);
	else if (to)
		finding_add(c, "default-changed", SEV_MEDIUM, NULL, "%s gets "
		    "the default %s; INSERTs that omit the column now store "
		    "it instead of NULL.", c->object, to);
	else if (from)
		finding_add(c, "default-changed", SEV_MEDIUM, NULL, "The "
		    "default %s is removed from %s; INSERTs that omit the "
		    "column now store NULL.", from, c->object);
	set_risk(c, RISK_SAFE, "Setting the old default back restores the "
	    "schema; rows inserted meanwhile keep the values they got.");
	free(col);
}

void
rules_column(struct change *c)
{
	const cJSON *a;

	if (strcmp(c->op, "drop") == 0) {
		dropped(c);
	} else if (strcmp(c->op, "rename") == 0) {
		renamed(c);
	} else if (strcmp(c->op, "add") == 0) {
		added(c);
	} else {
		cJSON_ArrayForEach(a, c->attrs) {
			const char *name = json_str(a, "name");

			if (name == NULL)
				continue;
			if (strcmp(name, "type") == 0)
				type_changed(c, a);
			else if (strcmp(name, "nullable") == 0)
				nullability(c, a);
			else if (strcmp(name, "default") == 0)
				default_changed(c, a);
			else if (strcmp(name, "identity") == 0 ||
			    strcmp(name, "generated") == 0) {
				finding_add(c, "identity-or-generated-changed",
				    SEV_MEDIUM, NULL,
				    "The %s of %s changes from "
				    "%s to %s; values produced for new rows "
				    "change, and a column generated ALWAYS "
				    "rejects explicit values.", name, c->object,
				    attr_str(a, "before") ? attr_str(a,
				    "before")
				    : "none", attr_str(a, "after") ?
				    attr_str(a, "after") : "none");
				set_risk(c, RISK_SAFE, "The opposite ALTER "
				    "restores the column definition.");
			} else if (strcmp(name, "collation") == 0) {
				finding_add(c, "collation-changed", SEV_MEDIUM,
				    NULL, "The collation of %s changes from %s "
				    "to %s: sort order and comparisons change, "
				    "and indexes on the column are rebuilt "
				    "under "
				    "ACCESS EXCLUSIVE.", c->object,
				    attr_str(a, "before") ? attr_str(a,
				    "before")
				    : "the default", attr_str(a, "after") ?
				    attr_str(a, "after") : "the default");
				set_risk(c, RISK_SAFE, "Changing the collation "
				    "back restores it (indexes are rebuilt "
				    "again).");
			}
		}
	}
}
