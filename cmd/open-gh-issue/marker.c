/*
 * marker: writing and reading the hidden lines that identify an issue
 * (see marker.h).  GitHub may hand a body back with CRLF line ends once
 * someone has edited it in the browser, so the reader accepts both.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "marker.h"
#include "xalloc.h"

#define MARK_HEAD	"<!-- drift-review pair="
#define MARK_CHANGES	"<!-- drift-review changes"

/* FNV-1a: stable, small, and only compared with itself. */
static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t
marker_change_hash(const cJSON *c)
{
	const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(c, "attributes");
	char *s = attrs ? json_print(attrs, 0) : xstrdup("null");
	uint64_t h = fnv1a(s);

	free(s);
	return h;
}

static void
add_encoded(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7f || strchr("%<>@#", *p) != NULL)
			buf_addf(b, "%%%02X", *p);
		else
			buf_addch(b, *p);
	}
}

static int
hexval(int c)
{
	return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

static char *
decode(const char *s, size_t len)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len &&
		    isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			buf_addch(&b, hexval((unsigned char)s[i + 1]) * 16 +
			    hexval((unsigned char)s[i + 2]));
			i += 2;
		} else
			buf_addch(&b, s[i]);
	}
	return buf_detach(&b, NULL);
}

void
marker_write(struct buf *b, const char *pair, const char *fingerprint,
    const cJSON *changes, size_t max_block)
{
	struct buf block = BUF_INIT;
	const cJSON *c;

	buf_addf(b, MARK_HEAD "%s fingerprint=%s -->\n", pair, fingerprint);
	buf_addstr(&block, MARK_CHANGES "\n");
	cJSON_ArrayForEach(c, changes) {
		const cJSON *a = json_obj(c, "assessment");

		add_encoded(&block, json_str(c, "id"));
		buf_addf(&block, " %016" PRIx64 " %s\n",
		    marker_change_hash(c), json_str(a, "severity"));
	}
	buf_addstr(&block, "-->\n");
	if (block.len <= max_block)
		buf_add(b, block.data, block.len);
	buf_release(&block);
}

int
marker_is_for(const char *body, const char *pair)
{
	size_t n = strlen(MARK_HEAD), plen = strlen(pair);

	return body != NULL && strncmp(body, MARK_HEAD, n) == 0 &&
	    strncmp(body + n, pair, plen) == 0 &&
	    strncmp(body + n + plen, " fingerprint=", 13) == 0;
}

/* Length of the line at `p` without its "\n" or "\r\n". */
static size_t
line_len(const char *p, const char **next)
{
	size_t n = strcspn(p, "\n");

	*next = p[n] ? p + n + 1 : p + n;
	if (n > 0 && p[n - 1] == '\r')
		n--;
	return n;
}

static void
parse_change(struct marker *m, const char *p, size_t n)
{
	const char *sp1 = memchr(p, ' ', n), *sp2, *end = p + n;
	char hex[17];
	struct marker_change *mc;

	if (sp1 == NULL || (sp2 = memchr(sp1 + 1, ' ', (size_t)(end -
	    sp1 - 1))) == NULL || sp2 - sp1 - 1 != 16 || sp2 + 1 >= end)
		return;
	memcpy(hex, sp1 + 1, 16);
	hex[16] = '\0';
	if (strspn(hex, "0123456789abcdef") != 16)
		return;
	m->changes = xrealloc(m->changes, (m->nchanges + 1) *
	    sizeof(*m->changes));
	mc = &m->changes[m->nchanges++];
	mc->id = decode(p, (size_t)(sp1 - p));
	mc->hash = strtoull(hex, NULL, 16);
	mc->severity = xstrndup(sp2 + 1, (size_t)(end - sp2 - 1));
}

static int
cmp_id(const void *a, const void *b)
{
	return strcmp(((const struct marker_change *)a)->id,
	    ((const struct marker_change *)b)->id);
}

int
marker_parse(struct marker *m, const char *body)
{
	const char *p, *next, *fp, *end;
	size_t n;

	memset(m, 0, sizeof(*m));
	if (body == NULL || strncmp(body, MARK_HEAD, strlen(MARK_HEAD)) != 0)
		return 0;
	n = line_len(body, &next);
	p = body + strlen(MARK_HEAD);
	end = body + n;
	if (n < 4 || strncmp(end - 4, " -->", 4) != 0 ||
	    (fp = strstr(p, " fingerprint=")) == NULL || fp >= end - 4)
		return 0;
	m->pair = xstrndup(p, (size_t)(fp - p));
	fp += strlen(" fingerprint=");
	m->fingerprint = xstrndup(fp, (size_t)(end - 4 - fp));
	p = next;
	n = line_len(p, &next);
	if (n != strlen(MARK_CHANGES) || strncmp(p, MARK_CHANGES, n) != 0)
		return 1;
	for (p = next; *p; p = next) {
		n = line_len(p, &next);
		if (n == 3 && strncmp(p, "-->", 3) == 0) {
			m->has_changes = 1;
			break;
		}
		parse_change(m, p, n);
	}
	/* Sorted by id for marker_find(). */
	if (m->nchanges > 1)
		qsort(m->changes, m->nchanges, sizeof(*m->changes), cmp_id);
	return 1;
}

void
marker_release(struct marker *m)
{
	for (size_t i = 0; i < m->nchanges; i++) {
		free(m->changes[i].id);
		free(m->changes[i].severity);
	}
	free(m->changes);
	free(m->pair);
	free(m->fingerprint);
	memset(m, 0, sizeof(*m));
}

const struct marker_change *
marker_find(const struct marker *m, const char *id)
{
	struct marker_change key = { .id = (char *)id };

	if (m->nchanges == 0)
		return NULL;
	return bsearch(&key, m->changes, m->nchanges, sizeof(*m->changes),
	    cmp_id);
}
