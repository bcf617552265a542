/*
 * jsonout: compact JSON output, byte for byte what cJSON_PrintUnformatted()
 * prints, without building the whole text in memory.
 *
 * cJSON prints into one buffer that it grows by doubling, copying the text
 * each time, and escapes strings a byte at a time in two passes; for a
 * document of tens of megabytes (a large schema's snapshot) that was most
 * of a program's own time.  Here text goes through a fixed buffer to a
 * sink, and runs of bytes that need no escape are copied whole.
 *
 * The rules are cJSON 1.7's: a NULL string prints as "", raw items as
 * they are, numbers by cJSON itself (its %d / %1.15g / %1.17g choice), and
 * only '"', '\\' and control characters are escaped (\b \f \n \r \t, else
 * \u00XX in lowercase hex); bytes from 0x7f up pass unchanged.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonout.h"
#include "xalloc.h"

#define OUT_SIZE 65536

struct out {
	json_sink	 sink;
	void		*ctx;
	size_t		 len;
	char		 data[OUT_SIZE];
};

/* 1 for bytes a JSON string must escape. */
static const unsigned char must_escape[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* '"' */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,	/* '\\' */
};

static void
flush(struct out *o)
{
	if (o->len > 0)
		o->sink(o->ctx, o->data, o->len);
	o->len = 0;
}

static void
put(struct out *o, const char *p, size_t n)
{
	while (n > 0) {
		size_t room = OUT_SIZE - o->len, k = n < room ? n : room;

		memcpy(o->data + o->len, p, k);
		o->len += k;
		p += k;
		n -= k;
		if (o->len == OUT_SIZE)
			flush(o);
	}
}

static void
put_ch(struct out *o, char c)
{
	if (o->len == OUT_SIZE)
		flush(o);
	o->data[o->len++] = c;
}

/* The escape of byte c, which must_escape[] marks; returns its length. */
static size_t
escape(unsigned char c, char esc[7])
{
	static const char hex[] = "0123456789abcdef";

	esc[0] = '\\';
	switch (c) {
	case '"':  esc[1] = '"'; return 2;
	case '\\': esc[1] = '\\'; return 2;
	case '\b': esc[1] = 'b'; return 2;
	case '\f': esc[1] = 'f'; return 2;
	case '\n': esc[1] = 'n'; return 2;
	case '\r': esc[1] = 'r'; return 2;
	case '\t': esc[1] = 't'; return 2;
	default:
		memcpy(esc + 1, "u00", 3);
		esc[4] = hex[c >> 4];
		esc[5] = hex[c & 15];
		return 6;
	}
}

static void
put_string(struct out *o, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run;
	char esc[7];

	put_ch(o, '"');
	if (p != NULL)
		while (*p) {
			for (run = p; *p && !must_escape[*p]; p++)
				;
			put(o, (const char *)run, (size_t)(p - run));
			if (*p)
				put(o, esc, escape(*p++, esc));
		}
	put_ch(o, '"');
}

static void
put_number(struct out *o, const cJSON *v)
{
	cJSON copy = *v;
	char *text;

	/* cJSON's own formatting, on a detached copy of the item */
	copy.next = copy.prev = copy.child = NULL;
	copy.string = NULL;
	if ((text = cJSON_PrintUnformatted(&copy)) == NULL)
		abort();
	put(o, text, strlen(text));
	cJSON_free(text);
}

static void
put_value(struct out *o, const cJSON *v)
{
	const cJSON *c;

	switch (v->type & 0xff) {
	case cJSON_NULL:
		put(o, "null", 4);
		break;
	case cJSON_False:
		put(o, "false", 5);
		break;
	case cJSON_True:
		put(o, "true", 4);
		break;
	case cJSON_Number:
		put_number(o, v);
		break;
	case cJSON_Raw:
		if (v->valuestring == NULL)
			abort();	/* cJSON refuses to print it too */
		put(o, v->valuestring, strlen(v->valuestring));
		break;
	case cJSON_String:
		put_string(o, v->valuestring);
		break;
	case cJSON_Array:
		put_ch(o, '[');
		for (c = v->child; c != NULL; c = c->next) {
			put_value(o, c);
			if (c->next != NULL)
				put_ch(o, ',');
		}
		put_ch(o, ']');
		break;
	case cJSON_Object:
		put_ch(o, '{');
		for (c = v->child; c != NULL; c = c->next) {
			put_string(o, c->string);
			put_ch(o, ':');
			put_value(o, c);
			if (c->next != NULL)
				put_ch(o, ',');
		}
		put_ch(o, '}');
		break;
	default:
		abort();	/* cJSON_Invalid: never built here */
	}
}

void
json_emit(const cJSON *v, json_sink sink, void *ctx)
{
	struct out *o = xmalloc(sizeof(*o));

	o->sink = sink;
	o->ctx = ctx;
	o->len = 0;
	put_value(o, v);
	flush(o);
	free(o);
}

static void
to_buf(void *ctx, const char *data, size_t len)
{
	buf_add(ctx, data, len);
}

char *
json_compact(const cJSON *v)
{
	struct buf b = BUF_INIT;

	json_emit(v, to_buf, &b);
	return buf_detach(&b, NULL);
}

void
json_buf_string(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run;
	char esc[7];

	if (s == NULL) {
		buf_add(b, "null", 4);
		return;
	}
	buf_addch(b, '"');
	while (*p) {
		for (run = p; *p && !must_escape[*p]; p++)
			;
		buf_add(b, run, (size_t)(p - run));
		if (*p)
			buf_add(b, esc, escape(*p++, esc));
	}
	buf_addch(b, '"');
}
