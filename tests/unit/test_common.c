/*
 * Unit tests for the leaf modules of common/: buf, json, sqlquote, secret.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "json.h"
#include "secret.h"
#include "sqlquote.h"
#include "t.h"

static void
test_buf(void)
{
	struct buf b = BUF_INIT;
	char *s;
	size_t len;

	T_STREQ(b.data, "", "empty buf is an empty string");
	buf_addstr(&b, "abc");
	buf_addch(&b, '-');
	buf_addf(&b, "%d:%s", 42, "x");
	T_STREQ(b.data, "abc-42:x", "buf_add* append in order");
	for (int i = 0; i < 10000; i++)
		buf_addch(&b, 'y');
	T_OK(b.len == 8 + 10000 && b.data[b.len] == '\0',
	    "buf grows and stays terminated");
	buf_setlen(&b, 3);
	s = buf_detach(&b, &len);
	T_OK(len == 3 && strcmp(s, "abc") == 0 && b.len == 0 &&
	    b.data == buf_empty, "buf_detach hands over and resets");
	free(s);
	s = buf_detach(&b, NULL);
	T_STREQ(s, "", "detaching an empty buf gives an empty string");
	free(s);
}

static void
ident(const char *in, const char *want)
{
	char *got = sql_ident(in);

	T_STREQ(got, want, "quote_ident(%s)", in);
	free(got);
}

static void
test_sqlquote(void)
{
	char *parts[3], *s;
	int n;

	ident("users", "users");
	ident("Users", "\"Users\"");
	ident("order", "\"order\"");
	ident("user", "\"user\"");
	ident("name", "name");		/* unreserved keyword: bare */
	ident("1abc", "\"1abc\"");
	ident("_x9", "_x9");
	ident("Order Notes", "\"Order Notes\"");
	ident("a\"b", "\"a\"\"b\"");
	ident("x<y>&z", "\"x<y>&z\"");
	ident("", "\"\"");
	ident("caf\xc3\xa9", "\"caf\xc3\xa9\"");
	s = sql_literal("it's");
	T_STREQ(s, "'it''s'", "literal doubles quotes");
	free(s);
	s = sql_literal("a\\b");
	T_STREQ(s, "E'a\\\\b'", "literal with backslash uses E''");
	free(s);
	s = sql_qualified("public", "Order");
	T_STREQ(s, "public.\"Order\"", "qualified name quotes parts");
	free(s);
	n = sql_split_name("public.\"Order \"\"x\"\".y\".col", parts, 3);
	T_OK(n == 3, "split finds three parts");
	T_STREQ(parts[1], "Order \"x\".y", "split unquotes a quoted part");
	T_STREQ(parts[2], "col", "split keeps a bare part");
	for (int i = 0; i < n; i++)
		free(parts[i]);
}

static int
by_name(const cJSON *a, const cJSON *b)
{
	return json_cmp_member(a, b, "name");
}

static void
test_json(void)
{
	cJSON *o = cJSON_CreateObject(), *arr = cJSON_CreateArray(), *it;
	const char *names[] = { "c", "a", "b", "a" };
	char *s;

	json_add_int64(o, "big", INT64_MAX);
	json_add_int64(o, "small", 314572800);
	s = json_print(o, 0);
	T_STREQ(s, "{\"big\":9223372036854775807,\"small\":314572800}",
	    "int64 prints exactly");
	free(s);
	T_OK(json_int64(cJSON_GetObjectItem(o, "big")) == INT64_MAX,
	    "int64 reads back");
	cJSON_Delete(o);
	o = cJSON_Parse("{\"m\":9223372036854775807}");
	T_OK(json_int64(cJSON_GetObjectItem(o, "m")) == INT64_MAX,
	    "a parsed 2^63-1 clamps to INT64_MAX");
	cJSON_Delete(o);

	for (int i = 0; i < 4; i++) {
		it = cJSON_CreateObject();
		json_add_str(it, "name", names[i]);
		cJSON_AddNumberToObject(it, "i", i);
		cJSON_AddItemToArray(arr, it);
	}
	json_sort_array(arr, by_name);
	s = json_print(arr, 0);
	T_STREQ(s, "[{\"name\":\"a\",\"i\":1},{\"name\":\"a\",\"i\":3},"
	    "{\"name\":\"b\",\"i\":2},{\"name\":\"c\",\"i\":0}]",
	    "sort is by member and stable");
	free(s);
	it = cJSON_CreateObject();
	json_add_str(it, "name", "d");
	cJSON_AddItemToArray(arr, it);
	T_OK(cJSON_GetArraySize(arr) == 5 &&
	    strcmp(json_str(cJSON_GetArrayItem(arr, 4), "name"), "d") == 0,
	    "array stays appendable after sorting");
	cJSON_Delete(arr);
}

static void
test_secret(void)
{
	char path[] = "/tmp/secret-test.XXXXXX";
	int fd = mkstemp(path);
	char *s;

	T_OK(write(fd, "tok123\n", 7) == 7, "write secret file");
	close(fd);
	unsetenv("T_SECRET");
	unsetenv("T_SECRET_FILE");
	T_OK(secret_get("T_SECRET") == NULL, "unset secret is NULL");
	setenv("T_SECRET", "abc", 1);
	s = secret_get("T_SECRET");
	T_STREQ(s, "abc", "secret from the variable");
	secret_free(s);
	unsetenv("T_SECRET");
	setenv("T_SECRET_FILE", path, 1);
	s = secret_get("T_SECRET");
	T_STREQ(s, "tok123", "secret from _FILE, newline stripped");
	secret_free(s);
	unlink(path);
}

int
main(void)
{
	json_init();
	test_buf();
	test_sqlquote();
	test_json();
	test_secret();
	return t_done();
}
