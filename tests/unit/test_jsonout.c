/*
 * Unit tests for common/jsonout: its compact output must be byte for byte
 * what cJSON_PrintUnformatted() prints, for hand-picked hard cases and for
 * random trees, whether it comes as one string or through the sink in
 * pieces.
 */
#include <float.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "jsonout.h"
#include "t.h"

static void
same(const cJSON *v, const char *what)
{
	char *want = cJSON_PrintUnformatted(v), *got = json_compact(v);

	T_STREQ(got, want, "%s prints as cJSON prints it", what);
	free(want);
	free(got);
}

static cJSON *
all_bytes(void)
{
	char s[256];
	int i;

	for (i = 1; i < 256; i++)
		s[i - 1] = (char)i;
	s[255] = '\0';
	return cJSON_CreateString(s);
}

static void
test_cases(void)
{
	static const double nums[] = { 0, -0.0, 1, -1, 0.1, 1e300, -1e-300,
	    2147483647, 2147483648.0, -2147483648.0, 9007199254740993.0,
	    1.0 / 3, 123456789.125, DBL_MAX, DBL_MIN, 3.14159 };
	cJSON *o = cJSON_CreateObject(), *a, *s;
	struct buf b = BUF_INIT;
	size_t i;

	same(o, "an empty object");
	a = cJSON_AddArrayToObject(o, "a");
	same(o, "an empty array in an object");
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		cJSON_AddItemToArray(a, cJSON_CreateNumber(nums[i]));
	same(a, "numbers");
	cJSON_AddItemToObject(o, "all bytes", all_bytes());
	cJSON_AddItemToObject(o, "ctl\x01\x1f\"\\/\x7f\xc3\xa9", cJSON_CreateNull());
	cJSON_AddItemToObject(o, "raw", cJSON_CreateRaw("123456789012345678"));
	cJSON_AddItemToObject(o, "t", cJSON_CreateTrue());
	cJSON_AddItemToObject(o, "f", cJSON_CreateFalse());
	cJSON_AddItemToObject(o, "", cJSON_CreateString(""));
	s = cJSON_CreateString("x");
	free(s->valuestring);
	s->valuestring = NULL;		/* cJSON prints a NULL string as "" */
	cJSON_AddItemToObject(o, "nullstr", s);
	cJSON_AddItemToObject(o, "nested", cJSON_Parse(
	    "[[],{},[{}],{\"a\":[1,[2,[3]]]},\"\\u0000x\"]"));
	same(o, "escapes, raw, literals and nesting");

	json_buf_string(&b, "a\"b\\c\n\x01\xe2\x82\xac");
	T_STREQ(b.data, "\"a\\\"b\\\\c\\n\\u0001\xe2\x82\xac\"",
	    "json_buf_string escapes as cJSON does");
	buf_reset(&b);
	json_buf_string(&b, NULL);
	T_STREQ(b.data, "null", "json_buf_string(NULL) is null");
	buf_release(&b);
	cJSON_Delete(o);
}

/* A random tree, up to `depth` levels, with strings of random bytes. */
static cJSON *
random_tree(unsigned *seed, int depth)
{
	char s[40];
	int kind = rand_r(seed) % (depth > 0 ? 8 : 6), n, i;
	cJSON *v;

	switch (kind) {
	case 0:
		return cJSON_CreateNull();
	case 1:
		return cJSON_CreateBool(rand_r(seed) & 1);
	case 2:
		return cJSON_CreateNumber((double)rand_r(seed) /
		    (rand_r(seed) % 1000 + 1) * (rand_r(seed) & 1 ? -1 : 1));
	case 3:
		return cJSON_CreateNumber(rand_r(seed) % 100000);
	case 4:
	case 5:
		n = rand_r(seed) % (int)sizeof(s);
		for (i = 0; i < n; i++)
			s[i] = (char)(rand_r(seed) % 255 + 1);
		s[n] = '\0';
		return cJSON_CreateString(s);
	case 6:
		v = cJSON_CreateArray();
		for (n = rand_r(seed) % 5; n > 0; n--)
			cJSON_AddItemToArray(v, random_tree(seed, depth - 1));
		return v;
	default:
		v = cJSON_CreateObject();
		for (n = rand_r(seed) % 5; n > 0; n--) {
			snprintf(s, sizeof(s), "k%d\t\"%c", rand_r(seed) % 50,
			    (char)(rand_r(seed) % 127 + 1));
			cJSON_AddItemToObject(v, s, random_tree(seed, depth - 1));
		}
		return v;
	}
}

static void
collect(void *ctx, const char *data, size_t len)
{
	buf_add(ctx, data, len);
}

static void
test_random(void)
{
	unsigned seed = 20261125;
	int bad = 0, i;

	for (i = 0; i < 2000; i++) {
		cJSON *v = random_tree(&seed, 5);
		char *want = cJSON_PrintUnformatted(v), *got = json_compact(v);

		if (strcmp(want, got) != 0 && bad++ == 0)
			printf("# want %s\n# got  %s\n", want, got);
		free(want);
		free(got);
		cJSON_Delete(v);
	}
	T_OK(bad == 0, "2000 random trees print as cJSON prints them "
	    "(%d differ)", bad);
}

/* A document larger than the output buffer arrives whole, in order. */
static void
test_large(void)
{
	cJSON *a = cJSON_CreateArray();
	struct buf b = BUF_INIT;
	char *want;
	int i;

	for (i = 0; i < 50000; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(
		    "a string of some length \"quoted\" \n"));
	want = cJSON_PrintUnformatted(a);
	json_emit(a, collect, &b);
	T_OK(b.len == strlen(want) && memcmp(b.data, want, b.len) == 0,
	    "a %zu-byte document through the sink is whole", strlen(want));
	free(want);
	buf_release(&b);
	cJSON_Delete(a);
}

int
main(void)
{
	json_init();
	test_cases();
	test_random();
	test_large();
	return t_done();
}
