/*
 * row: result cells into JSON members.  Keys are string literals added
 * with cJSON's *CS functions, which do not copy them: a snapshot of a
 * large schema has over a million members, and copying each key was a
 * measurable share of the build time.
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "buf.h"
#include "db.h"
#include "json.h"
#include "jsonout.h"
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

/*
 * The server's text of an integer is already JSON; adding it raw spares
 * cJSON's print_number(), which formats every number with sprintf() and
 * reads it back with sscanf() to check the round trip.
 */
void
row_int(cJSON *o, const char *key, const PGresult *r, int row, int col)
{
	const char *v = db_get_str(r, row, col);
	size_t n;

	if (v == NULL) {
		obj_add(o, key, cJSON_CreateNull());
		return;
	}
	n = strspn(v + (*v == '-'), "0123456789");
	if (n > 0 && n < 20 && v[n + (*v == '-')] == '\0' &&
	    (n == 1 || v[*v == '-'] != '0'))
		obj_add(o, key, cJSON_CreateRaw(v));
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

int
row_by_oid(const PGresult *r, unsigned oid)
{
	int lo = 0, hi = PQntuples(r) - 1, mid;
	unsigned x;

	while (lo <= hi) {
		mid = lo + (hi - lo) / 2;
		x = row_oid(r, mid, 0);
		if (x == oid)
			return mid;
		if (x < oid)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/*
 * Raw objects: a JSON object written straight into a buf and added as one
 * raw item, for the 100,000s of columns of a large schema.  As cJSON
 * nodes each column took ten allocations and as many strings, which was
 * most of this program's own time.  Strings are escaped as cJSON escapes
 * them (json_buf_string), so the document reads the same either way.
 */
void
raw_key(struct buf *b, const char *key)
{
	size_t n = strlen(key);
	char *p;

	/* {"key": or ,"key": in one step: a column writes ten of them */
	buf_grow(b, n + 4);
	p = b->data + b->len;
	*p++ = b->len == 0 ? '{' : ',';
	*p++ = '"';
	memcpy(p, key, n);
	p += n;
	*p++ = '"';
	*p++ = ':';
	*p = '\0';
	b->len = (size_t)(p - b->data);
}

void
raw_str(struct buf *b, const char *key, const PGresult *r, int row, int col)
{
	raw_key(b, key);
	json_buf_string(b, db_get_str(r, row, col));
}

void
raw_int(struct buf *b, const char *key, const PGresult *r, int row, int col)
{
	raw_key(b, key);
	if (db_is_null(r, row, col))
		buf_add(b, "null", 4);
	else
		buf_add(b, PQgetvalue(r, row, col), PQgetlength(r, row, col));
}

void
raw_bool(struct buf *b, const char *key, const PGresult *r, int row,
    int col)
{
	raw_key(b, key);
	buf_addstr(b, db_is_null(r, row, col) ? "null" :
	    db_get_bool(r, row, col) ? "true" : "false");
}

cJSON *
raw_finish(struct buf *b)
{
	cJSON *item;

	buf_addch(b, '}');
	item = cJSON_CreateRaw(b->data);
	buf_reset(b);
	return item;
}
