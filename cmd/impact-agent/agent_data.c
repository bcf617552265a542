/*
 * agent_data: how text from databases and source trees is handed to the
 * model.  Object names, comments, query texts and code lines are written
 * by people the review does not trust, and one of them may read "ignore
 * previous instructions".  The model is told that everything between
 * <untrusted-data> and </untrusted-data> is data; here we make sure the
 * data cannot end that block early, by escaping '<' and '>' inside the
 * JSON (\u003c, \u003e: still the same JSON strings).
 */
#include <stdlib.h>
#include <string.h>

#include "agent_impl.h"
#include "json.h"
#include "xalloc.h"

/* Back off from `n` to the start of a UTF-8 sequence. */
static size_t
utf8_cut(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

char *
agent_data_block(const cJSON *v, size_t cap)
{
	char *json = json_print(v, 0);
	size_t len = strlen(json), n = len;
	struct buf b = BUF_INIT;

	if (n > cap)
		n = utf8_cut(json, cap);
	buf_addstr(&b, "<untrusted-data>\n");
	for (size_t i = 0; i < n; i++) {
		if (json[i] == '<')
			buf_addstr(&b, "\\u003c");
		else if (json[i] == '>')
			buf_addstr(&b, "\\u003e");
		else
			buf_addch(&b, json[i]);
	}
	if (n < len)
		buf_addf(&b, "\n[cut: %zu of %zu bytes shown]", n, len);
	buf_addstr(&b, "\n</untrusted-data>");
	free(json);
	return buf_detach(&b, NULL);
}

void
agent_fit_array(cJSON *obj, const char *name, size_t cap)
{
	cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, name);
	int omitted = 0, n;
	char *s;

	if (!cJSON_IsArray(arr))
		return;
	for (;;) {
		s = json_print(obj, 0);
		n = cJSON_GetArraySize(arr);
		if (strlen(s) <= cap || n == 0) {
			free(s);
			break;
		}
		free(s);
		/* Halve the surplus quickly on big arrays, then one by one. */
		for (int k = n > 16 ? n / 4 : 1; k > 0; k--, omitted++)
			cJSON_DeleteItemFromArray(arr, --n);
	}
	if (omitted)
		cJSON_AddNumberToObject(obj, "omitted", omitted);
}
