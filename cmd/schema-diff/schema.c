/*
 * schema.c: schemas and extensions.
 *
 * PostgreSQL 15 changed the owner and the ACL of the public schema in new
 * databases, so when the two servers straddle 15 the public schema's owner
 * and grants are not compared: that drift comes from the version alone.
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "json.h"
#include "sqlquote.h"

static int
major(const cJSON *snap)
{
	return (int)(json_num(json_obj(snap, "source"), "server_version_num",
	    0) / 10000);
}

static int
straddles_15(const struct ctx *x)
{
	int a = major(x->from), b = major(x->to);

	return a && b && (a < 15) != (b < 15);
}

static void
one_schema(struct ctx *x, const cJSON *a, const cJSON *b, void *arg)
{
	const char *name = json_str(a ? a : b, "name");
	char *q = sql_name(name);
	struct change *c;

	(void)arg;
	if (a == NULL) {
		c = change_new("schema", name, NULL, OP_ADD, NULL, b);
		change_sql(c, PH_CREATE_SCHEMA, 0, "CREATE SCHEMA %s;", q);
		meta_create(c, "SCHEMA", q, b);
		changes_add(x->out, c);
	} else if (b == NULL) {
		c = change_new("schema", name, NULL, OP_DROP, a, NULL);
		change_sql(c, PH_DROP_SCHEMA, 0, "DROP SCHEMA %s;", q);
		changes_add(x->out, c);
	} else {
		int skip = strcmp(name, "public") == 0 && straddles_15(x);

		c = change_new("schema", name, NULL, OP_ALTER, a, b);
		if (skip) {
			meta_comment(x, c, "SCHEMA", q, "schema", name, a, b);
		} else {
			meta_alter(x, c, "SCHEMA", q, "schema", name, a, b);
			meta_grants(x, "SCHEMA", q, "schema", name, NULL, a, b);
		}
		changes_add_if(x->out, c);
	}
	free(q);
}

void
diff_schemas(struct ctx *x)
{
	pair_by_name(x, json_arr(x->from, "schemas"), json_arr(x->to,
	    "schemas"), one_schema, NULL);
}

static void
one_extension(struct ctx *x, const cJSON *a, const cJSON *b, void *arg)
{
	const char *name = json_str(a ? a : b, "name");
	char *q = sql_bare(name);
	struct change *c;

	(void)arg;
	if (a == NULL) {
		struct buf s = BUF_INIT;

		c = change_new("extension", name, NULL, OP_ADD, NULL, b);
		buf_addf(&s, "CREATE EXTENSION %s", q);
		if (json_str(b, "schema")) {
			buf_addstr(&s, " WITH SCHEMA ");
			sql_add_bare(&s, json_str(b, "schema"));
		}
		if (json_str(b, "version")) {
			buf_addstr(&s, " VERSION ");
			sql_add_literal(&s, json_str(b, "version"));
		}
		buf_addch(&s, ';');
		change_sql_take(c, PH_CREATE_EXTENSION, 0,
		    buf_detach(&s, NULL));
		changes_add(x->out, c);
	} else if (b == NULL) {
		c = change_new("extension", name, NULL, OP_DROP, a, NULL);
		change_sql(c, PH_DROP_EXTENSION, 0, "DROP EXTENSION %s;", q);
		changes_add(x->out, c);
	} else {
		c = change_new("extension", name, NULL, OP_ALTER, a, b);
		if (change_cmp(c, "version", a, b, "version") &&
		    json_str(b, "version")) {
			struct buf s = BUF_INIT;

			buf_addf(&s, "ALTER EXTENSION %s UPDATE TO ", q);
			sql_add_literal(&s, json_str(b, "version"));
			buf_addch(&s, ';');
			change_sql_take(c, PH_CREATE_EXTENSION, 0,
			    buf_detach(&s, NULL));
		}
		if (change_cmp(c, "schema", a, b, "schema") &&
		    json_str(b, "schema")) {
			struct buf s = BUF_INIT;

			buf_addf(&s, "ALTER EXTENSION %s SET SCHEMA ", q);
			sql_add_bare(&s, json_str(b, "schema"));
			buf_addch(&s, ';');
			change_sql_take(c, PH_CREATE_EXTENSION, 0,
			    buf_detach(&s, NULL));
		}
		changes_add_if(x->out, c);
	}
	free(q);
}

void
diff_extensions(struct ctx *x)
{
	pair_by_name(x, json_arr(x->from, "extensions"), json_arr(x->to,
	    "extensions"), one_extension, NULL);
}
