/*
 * sequences: rules for sequences and extensions.
 *
 * ALTER SEQUENCE gives the sequence a new relfilenode under SHARE ROW
 * EXCLUSIVE, so nextval() on it, and every INSERT taking a default from
 * it, waits until the migration commits.  An extension update usually
 * has no downgrade path.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "review.h"

void
rules_sequence(struct change *c)
{
	const cJSON *a, *lastv = cJSON_GetObjectItemCaseSensitive(c->before,
	    "last_value");
	const cJSON *maxa = attr_get(c, "max");
	struct buf what = BUF_INIT;
	int n = 0;

	if (strcmp(c->op, "drop") == 0) {
		if (cJSON_IsNumber(lastv) || cJSON_IsRaw(lastv))
			set_risk(c, RISK_SAFE, "Recreating %s with START WITH "
			    "%lld restores it.", c->object,
			    (long long)json_int64(lastv) + 1);
		else
			set_risk(c, RISK_DATA_LOSS,
			    "The position of %s was not "
			    "recorded (pg-snapshot --sequence-values records "
			    "it), so a recreated sequence restarts and "
			    "can hand out values already used.", c->object);
		return;
	}
	if (strcmp(c->op, "alter") != 0) {
		set_risk(c, RISK_SAFE, "The opposite statement restores the "
		    "sequence.");
		return;
	}
	cJSON_ArrayForEach(a, c->attrs) {
		const char *name = json_str(a, "name");

		if (name == NULL || (strcmp(name, "data_type") != 0 &&
		    strcmp(name, "increment") != 0 &&
		    strcmp(name, "min") != 0 && strcmp(name, "max") != 0 &&
		    strcmp(name, "cycle") != 0 && strcmp(name, "start") != 0 &&
		    strcmp(name, "cache") != 0))
			continue;
		buf_addf(&what, "%s%s", n++ ? ", " : "", name);
	}
	if (n > 0) {
		const cJSON *newmax = cJSON_GetObjectItemCaseSensitive(maxa,
		    "after");
		int over = maxa && (cJSON_IsNumber(newmax) ||
		    cJSON_IsRaw(newmax)) && (cJSON_IsNumber(lastv) ||
		    cJSON_IsRaw(lastv)) && json_int64(lastv) >
		    json_int64(newmax);
		cJSON *ev = ev_new();
		char line[96];

		if (cJSON_IsNumber(lastv) || cJSON_IsRaw(lastv)) {
			snprintf(line, sizeof(line), "last_value: %lld",
			    (long long)json_int64(lastv));
			json_push_str(ev, line);
		}
		if (over)
			finding_add(c, "sequence-changed", SEV_HIGH, ev, "%s "
			    "gets a maximum of %lld, below its current value "
			    "%lld in prod: the ALTER fails, and if forced the "
			    "next nextval() errors.", c->object,
			    (long long)json_int64(newmax),
			    (long long)json_int64(lastv));
		else
			finding_add(c, "sequence-changed", SEV_MEDIUM, ev,
			    "%s changes its %s; ALTER SEQUENCE holds SHARE ROW "
			    "EXCLUSIVE on it until commit, so INSERTs drawing "
			    "from it wait.", c->object, what.data);
		set_risk(c, RISK_SAFE, "ALTER SEQUENCE back to the prod "
		    "settings restores it.");
	}
	buf_release(&what);
}

void
rules_extension(struct change *c)
{
	const cJSON *v = attr_get(c, "version");
	const cJSON *sql;
	int cascade = 0;

	cJSON_ArrayForEach(sql, c->fwd)
		if (cJSON_IsString(sql) && (strstr(sql->valuestring, "CASCADE")
		    || strstr(sql->valuestring, "cascade")))
			cascade = 1;
	if (strcmp(c->op, "drop") == 0) {
		cJSON *ev = ev_new();

		ev_dependents(ev, c);
		finding_add(c, "extension-changed", SEV_HIGH, ev,
		    "Extension %s "
		    "is dropped; its types, functions and operators go with "
		    "it%s.", c->object, cascade ? ", and CASCADE drops the "
		    "columns and indexes that use them" : ", and the DROP "
		    "fails while anything still uses them");
		set_risk(c, cascade ? RISK_DATA_LOSS : RISK_SAFE, cascade ?
		    "CREATE EXTENSION brings the extension back, not the "
		    "columns CASCADE dropped." : "CREATE EXTENSION with the "
		    "prod version restores it.");
	} else if (strcmp(c->op, "add") == 0) {
		finding_add(c, "extension-changed", SEV_MEDIUM, NULL,
		    "Extension %s is installed in prod; it needs the package "
		    "on the server and usually superuser rights.", c->object);
		set_risk(c, RISK_SAFE, "DROP EXTENSION restores prod.");
	} else if (v) {
		finding_add(c, "extension-changed", SEV_MEDIUM, NULL,
		    "Extension %s is updated from version %s to %s; functions "
		    "it provides may behave differently.", c->object,
		    attr_str(v, "before") ? attr_str(v, "before") : "?",
		    attr_str(v, "after") ? attr_str(v, "after") : "?");
		set_risk(c, RISK_IRREVERSIBLE, "Extensions rarely ship a "
		    "downgrade path (\"has no update path from version\"), so "
		    "%s cannot be taken back to %s.", c->object,
		    attr_str(v, "before") ? attr_str(v, "before") : "?");
	}
}
