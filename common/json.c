/*
 * json: cJSON glue (allocation hooks, typed lookups, 64-bit integers,
 * deterministic sorting).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "jsonout.h"
#include "xalloc.h"

void
json_init(void)
{
	cJSON_Hooks hooks = { .malloc_fn = xmalloc, .free_fn = free };

	cJSON_InitHooks(&hooks);
}

const char *
json_type_name(const cJSON *v)
{
	if (v == NULL)
		return "missing";
	if (cJSON_IsObject(v))
		return "an object";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v) || cJSON_IsRaw(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNull(v))
		return "null";
	return "invalid";
}

int64_t
json_int64(const cJSON *v)
{
	double d;

	if (v == NULL)
		return 0;
	if (cJSON_IsRaw(v))
		return strtoll(v->valuestring, NULL, 10);
	if (!cJSON_IsNumber(v))
		return 0;
	d = v->valuedouble;
	if (isnan(d))
		return 0;
	if (d >= 9223372036854775807.0)
		return INT64_MAX;
	if (d <= -9223372036854775808.0)
		return INT64_MIN;
	return (int64_t)d;
}

cJSON *
json_int64_item(int64_t v)
{
	char digits[32];

	if (v > -(INT64_C(1) << 53) && v < (INT64_C(1) << 53))
		return cJSON_CreateNumber((double)v);
	snprintf(digits, sizeof(digits), "%" PRId64, v);
	return cJSON_CreateRaw(digits);
}

cJSON *
json_add_int64(cJSON *obj, const char *name, int64_t v)
{
	cJSON *item = json_int64_item(v);

	cJSON_AddItemToObject(obj, name, item);
	return item;
}

cJSON *
json_add_str(cJSON *obj, const char *name, const char *s)
{
	return s ? cJSON_AddStringToObject(obj, name, s) :
	    cJSON_AddNullToObject(obj, name);
}

cJSON *
json_add_bool(cJSON *obj, const char *name, int b)
{
	return cJSON_AddBoolToObject(obj, name, b ? 1 : 0);
}

cJSON *
json_add_null(cJSON *obj, const char *name)
{
	return cJSON_AddNullToObject(obj, name);
}

void
json_push_str(cJSON *arr, const char *s)
{
	cJSON_AddItemToArray(arr, s ? cJSON_CreateString(s) :
	    cJSON_CreateNull());
}

int
json_str_index(const cJSON *arr, const char *s)
{
	const cJSON *it;
	int i = 0;

	cJSON_ArrayForEach(it, arr) {
		if (cJSON_IsString(it) && strcmp(it->valuestring, s) == 0)
			return i;
		i++;
	}
	return -1;
}

const char *
json_str(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

const cJSON *
json_obj(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsObject(v) ? v : NULL;
}

const cJSON *
json_arr(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsArray(v) ? v : NULL;
}

int
json_true(const cJSON *obj, const char *name)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(obj, name));
}

double
json_num(const cJSON *obj, const char *name, double dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (cJSON_IsRaw(v))
		return strtod(v->valuestring, NULL);
	return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

/*
 * Merge sort on the item array: stable, O(n log n), and it leaves the
 * linked list rebuilt in the new order.
 */
void
json_sort_array(cJSON *arr, int (*cmp)(const cJSON *, const cJSON *))
{
	size_t n = 0, i, w, lo, mid, hi, a, b, k;
	cJSON **v, **tmp, *it;

	for (it = arr->child; it; it = it->next)
		n++;
	if (n < 2)
		return;
	v = xmalloc(n * sizeof(*v));
	tmp = xmalloc(n * sizeof(*tmp));
	for (i = 0, it = arr->child; it; it = it->next)
		v[i++] = it;
	for (w = 1; w < n; w *= 2) {
		for (lo = 0; lo < n; lo += 2 * w) {
			mid = lo + w < n ? lo + w : n;
			hi = lo + 2 * w < n ? lo + 2 * w : n;
			a = lo;
			b = mid;
			k = lo;
			while (a < mid && b < hi)
				tmp[k++] = cmp(v[b], v[a]) < 0 ? v[b++] : v[a++];
			while (a < mid)
				tmp[k++] = v[a++];
			while (b < hi)
				tmp[k++] = v[b++];
		}
		memcpy(v, tmp, n * sizeof(*v));
	}
	arr->child = v[0];
	for (i = 0; i < n; i++) {
		v[i]->prev = i ? v[i - 1] : v[n - 1];
		v[i]->next = i + 1 < n ? v[i + 1] : NULL;
	}
	free(tmp);
	free(v);
}

int
json_cmp_member(const cJSON *a, const cJSON *b, const char *name)
{
	const char *x = json_str(a, name), *y = json_str(b, name);

	if (x == NULL || y == NULL)
		return (x != NULL) - (y != NULL);
	return strcmp(x, y);
}

char *
json_print(const cJSON *v, int pretty)
{
	char *s = pretty ? cJSON_Print(v) : json_compact(v);

	if (s == NULL)
		abort();	/* only on allocation failure, which xmalloc ends */
	return s;
}
