/*
 * validate.c: check the members the comparison relies on before it starts,
 * so that a malformed snapshot exits 65 naming the place instead of being
 * read as "no objects":
 *   schema-diff: prod.json: .tables[3].columns[0]: member "type" is missing
 */
#include <stdio.h>

#include "doc.h"
#include "json.h"
#include "validate.h"

static const char *const lists[] = { "schemas", "extensions", "types",
    "sequences", "tables", "views", "functions" };

static void
check_named(const struct doc *d, const cJSON *arr, const char *where,
    const char *type_member)
{
	const cJSON *it;
	char at[256];
	int i = 0;

	cJSON_ArrayForEach(it, arr) {
		snprintf(at, sizeof(at), "%s[%d]", where, i++);
		doc_need_item_obj(d, it, at);
		doc_need_str(d, it, at, "name");
		if (type_member)
			doc_need_str(d, it, at, type_member);
	}
}

void
validate_snapshot(const struct doc *d)
{
	const cJSON *root = d->root, *t;
	char at[256];
	size_t i;
	int n = 0;

	doc_opt_obj(d, root, "snapshot", "source");
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		char where[64];

		snprintf(where, sizeof(where), ".%s", lists[i]);
		check_named(d, doc_opt_arr(d, root, "snapshot", lists[i]),
		    where, NULL);
	}
	cJSON_ArrayForEach(t, json_arr(root, "tables")) {
		snprintf(at, sizeof(at), ".tables[%d].columns", n);
		check_named(d, doc_opt_arr(d, t, at, "columns"), at, "type");
		snprintf(at, sizeof(at), ".tables[%d].constraints", n);
		check_named(d, doc_opt_arr(d, t, at, "constraints"), at,
		    NULL);
		snprintf(at, sizeof(at), ".tables[%d].indexes", n);
		check_named(d, doc_opt_arr(d, t, at, "indexes"), at, NULL);
		snprintf(at, sizeof(at), ".tables[%d].triggers", n);
		check_named(d, doc_opt_arr(d, t, at, "triggers"), at, NULL);
		snprintf(at, sizeof(at), ".tables[%d].policies", n);
		check_named(d, doc_opt_arr(d, t, at, "policies"), at, NULL);
		n++;
	}
}
