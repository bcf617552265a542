/*
 * row: result cells into JSON members.  Keys are string literals added
 * with cJSON's *CS functions, which do not copy them: a snapshot of a
 * large schema has over a million members, and copying each key was a
 * measurable share of the build time.
 */
#include <err.h>
#include <stdlib.h>
#include <sysexits.h>

#include "db.h"
#include "json.h"
#include "snapshot.h"

void
obj_add(cJSON *o, const char *key, cJSON *item)
{
	cJSON_AddItemToObjectCS(o, key, item);
}

void
obj_replace(cJSON *o, cJSON *old, const char *key, cJSON *item)
{
	item->string = (char *)key;
	item->type |= cJSON_StringIsConst;
	cJSON_ReplaceItemViaPointer(o, old, item);
}

cJSON *
obj_add_array(cJSON *o, const char *key)
{
	cJSON *a = cJSON_CreateArray();

	cJSON_AddItemToObjectCS(o, key, a);
	return a;
}

void
row_str(cJSON *o, const char *key, const PGresult *r, int row, int col)
{
	const char *v = db_get_str(r, row, col);

	obj_add(o, key, v ? cJSON_CreateString(v) : cJSON_CreateNull());
}

void
row_int(cJSON *o, const char *key, const PGresult *r, int row, int col)
{
	if (db_is_null(r, row, col))
		obj_add(o, key, cJSON_CreateNull());
	else
		obj_add(o, key, json_int64_item(db_get_int64(r, row, col, 0)));
}

void
row_num(cJSON *o, const char *key, const PGresult *r, int row, int col)
{
	if (db_is_null(r, row, col))
		obj_add(o, key, cJSON_CreateNull());
	else
		obj_add(o, key, cJSON_CreateNumber(db_get_double(r, row, col,
		    0)));
}

void
row_bool(cJSON *o, const char *key, const PGresult *r, int row, int col)
{
	obj_add(o, key, db_is_null(r, row, col) ? cJSON_CreateNull() :
	    cJSON_CreateBool(db_get_bool(r, row, col)));
}

cJSON *
row_json_item(const PGresult *r, int row, int col)
{
	const char *v = db_get_str(r, row, col);
	cJSON *item;

	if (v == NULL)
		return cJSON_CreateArray();
	if ((item = cJSON_Parse(v)) == NULL)
		errx(EX_SOFTWARE, "server returned invalid JSON in column "
		    "\"%s\"", PQfname(r, col));
	return item;
}

void
row_json(cJSON *o, const char *key, const PGresult *r, int row, int col)
{
	obj_add(o, key, row_json_item(r, row, col));
}

void
row_def(struct snap *s, cJSON *o, const char *key, const PGresult *r,
    int row, int col)
{
	if (db_is_null(r, row, col))
		s->raced = 1;
	row_str(o, key, r, row, col);
}

unsigned
row_oid(const PGresult *r, int row, int col)
{
	return (unsigned)strtoul(PQgetvalue(r, row, col), NULL, 10);
}
