/*
 * json: cJSON helpers every program shares.
 *
 * cJSON keeps numbers as double.  Integers up to 2^53 round-trip exactly;
 * json_add_int64() writes larger ones (sequence bounds, byte counts) as raw
 * digits so they print exactly, and json_int64() reads any number back,
 * clamping to the int64 range (a value near 2^63 comes back as INT64_MAX).
 *
 * Adding an item to an object or array gives it away (cJSON's rule): build
 * the child, attach it, forget it.  Getters return pointers into the tree,
 * which live as long as the tree.
 */
#ifndef JSON_H
#define JSON_H

#include <stdint.h>
#include <cjson/cJSON.h>

/* Route cJSON's allocations through xmalloc; call once at start. */
void	 json_init(void);

/* "object", "array", "string", "number", "boolean", "null" */
const char *json_type_name(const cJSON *v);

int64_t	 json_int64(const cJSON *v);
cJSON	*json_add_int64(cJSON *obj, const char *name, int64_t v);
cJSON	*json_int64_item(int64_t v);
/* Add a string, or null when s is NULL. */
cJSON	*json_add_str(cJSON *obj, const char *name, const char *s);
cJSON	*json_add_bool(cJSON *obj, const char *name, int b);
cJSON	*json_add_null(cJSON *obj, const char *name);
/* Append a string to an array. */
void	 json_push_str(cJSON *arr, const char *s);
/* The position of the string `s` in `arr`, or -1 when it is not there. */
int	 json_str_index(const cJSON *arr, const char *s);

/* Member lookups that return NULL when absent or of another type. */
const char *json_str(const cJSON *obj, const char *name);
const cJSON *json_obj(const cJSON *obj, const char *name);
const cJSON *json_arr(const cJSON *obj, const char *name);
/* 1 true, 0 false or absent. */
int	 json_true(const cJSON *obj, const char *name);
/* Number member or `dflt` when absent/null/not a number. */
double	 json_num(const cJSON *obj, const char *name, double dflt);

/* Stable sort of an array's items by a comparison on the items. */
void	 json_sort_array(cJSON *arr, int (*cmp)(const cJSON *, const cJSON *));
/* Compare items by a string member (absent sorts first). */
int	 json_cmp_member(const cJSON *a, const cJSON *b, const char *name);

/* Print compact or indented; the caller frees with free(3). */
char	*json_print(const cJSON *v, int pretty);

#endif
