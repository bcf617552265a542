/*
 * markdown: a line-at-a-time block parser and a recursive inline parser.
 * Both are deliberately small: the narrative is a few paragraphs a model
 * or the rules wrote, and anything not understood is shown as text, which
 * is always safe.  Inline nesting is bounded (MAX_DEPTH) so hostile input
 * cannot exhaust the stack.  Searches for a closing delimiter remember
 * where they failed (a search that found no closer from one place finds
 * none from any later place) and link text is bounded (MAX_LINK), so a
 * paragraph of unclosed "*", "`" or "[" takes linear time, not quadratic.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "markdown.h"
#include "markup.h"
#include "xalloc.h"

#define MAX_DEPTH	8
#define MAX_LISTS	8
#define MAX_LINK	2048	/* bytes of link text or URL */
#define MAX_TICKS	8	/* longer backtick runs are not remembered */

/* Where a search for a closer failed, per delimiter; SIZE_MAX: never. */
struct misses {
	size_t	 em[2][3];		/* '*' or '_', run of 1 or 2 */
	size_t	 ticks[MAX_TICKS + 1];
};

static void	inline_md(struct markup *m, const char *s, size_t n,
		    int depth);

static int
is_punct(int c)
{
	return c > 0 && c < 0x80 && ispunct(c);
}

static int
is_word(int c)
{
	return c >= 0x80 || isalnum(c);
}

static int
has_prefix_ci(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && strncasecmp(s, prefix, k) == 0;
}

static int
is_web_url(const char *s, size_t n)
{
	return (has_prefix_ci(s, n, "http://") && n > 7) ||
	    (has_prefix_ci(s, n, "https://") && n > 8);
}

/* Index of the next run of exactly k backticks at or after i, or n. */
static size_t
find_ticks(const char *s, size_t n, size_t i, size_t k)
{
	while (i < n) {
		size_t j = i;

		while (j < n && s[j] == '`')
			j++;
		if (j - i == k)
			return i;
		i = j > i ? j : i + 1;
	}
	return n;
}

/*
 * Closing delimiter for an emphasis run of `k` characters `c` opening at
 * `from`: the content is not empty and does not end in a space, and an
 * underscore closes only where no word character follows.
 */
static size_t
find_close(const char *s, size_t n, size_t from, char c, size_t k)
{
	for (size_t i = from + 1; i + k <= n; i++) {
		size_t j;

		if (s[i] == '\\') {
			i++;
			continue;
		}
		if (s[i] == '`') {
			size_t run = 1, end;

			while (i + run < n && s[i + run] == '`')
				run++;
			end = find_ticks(s, n, i + run, run);
			if (end < n)
				i = end + run - 1;
			else
				i += run - 1;
			continue;
		}
		for (j = 0; j < k && s[i + j] == c; j++)
			;
		if (j < k || isspace((unsigned char)s[i - 1]))
			continue;
		if ((i + k < n && s[i + k] == c) || s[i - 1] == c)
			continue;	/* part of a longer run */
		if (c == '_' && i + k < n && is_word((unsigned char)s[i + k]))
			continue;
		return i;
	}
	return n;
}

/* find_ticks() and find_close() remembering where they failed. */
static size_t
find_ticks_once(struct misses *ms, const char *s, size_t n, size_t i,
    size_t k)
{
	size_t *miss = k <= MAX_TICKS ? &ms->ticks[k] : NULL, r;

	if (miss != NULL && i >= *miss)
		return n;
	if ((r = find_ticks(s, n, i, k)) == n && miss != NULL && i < *miss)
		*miss = i;
	return r;
}

static size_t
find_close_once(struct misses *ms, const char *s, size_t n, size_t from,
    char c, size_t k)
{
	size_t *miss = &ms->em[c == '_'][k], r;

	if (from >= *miss)
		return n;
	if ((r = find_close(s, n, from, c, k)) == n && from < *miss)
		*miss = from;
	return r;
}

/* [text](url): set *text, *url and return the length, or 0. */
static size_t
parse_link(const char *s, size_t n, size_t *tlen, const char **url,
    size_t *ulen)
{
	size_t i, depth = 0, u;

	if (n > 2 * MAX_LINK)
		n = 2 * MAX_LINK;
	for (i = 1; i < n && i < MAX_LINK; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '[')
			depth++;
		else if (s[i] == ']' && depth-- == 0)
			break;
	}
	if (i + 1 >= n || s[i] != ']' || s[i + 1] != '(')
		return 0;
	*tlen = i - 1;
	u = i + 2;
	while (u < n && s[u] == ' ')
		u++;
	*url = s + u;
	/* Balanced parentheses belong to the URL, as in CommonMark. */
	for (i = u, depth = 0; i < n && s[i] != ' '; i++) {
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && depth-- == 0)
			break;
	}
	*ulen = i - u;
	while (i < n && s[i] != ')')
		i++;
	return i < n ? i + 1 : 0;
}

/* Write text up to here and start a new run. */
static void
flush(struct markup *m, const char *s, size_t *start, size_t i)
{
	if (i > *start)
		mk_textn(m, s + *start, i - *start);
	*start = i;
}

static void
inline_md(struct markup *m, const char *s, size_t n, int depth)
{
	size_t i = 0, start = 0;
	struct misses ms;

	if (depth > MAX_DEPTH) {
		mk_textn(m, s, n);
		return;
	}
	memset(&ms, 0xff, sizeof(ms));	/* every member SIZE_MAX */
	while (i < n) {
		char c = s[i];

		if (c == '\\' && i + 1 < n &&
		    is_punct((unsigned char)s[i + 1])) {
			flush(m, s, &start, i);
			start = i + 1;
			i += 2;
		} else if (c == '`') {
			size_t k = 1, end, a, b;

			while (i + k < n && s[i + k] == '`')
				k++;
			end = find_ticks_once(&ms, s, n, i + k, k);
			if (end == n) {
				i += k;
				continue;
			}
			flush(m, s, &start, i);
			a = i + k;
			b = end;
			if (b - a >= 2 && s[a] == ' ' && s[b - 1] == ' ')
				a++, b--;
			mk_raw(m, "<code>");
			mk_textn(m, s + a, b - a);
			mk_raw(m, "</code>");
			i = start = end + k;
		} else if ((c == '*' || c == '_') && i + 1 < n &&
		    !isspace((unsigned char)s[i + 1]) &&
		    !(c == '_' && i > 0 && is_word((unsigned char)s[i - 1]))) {
			size_t k = i + 2 < n && s[i + 1] == c &&
			    !isspace((unsigned char)s[i + 2]) ? 2 : 1;
			size_t end = find_close_once(&ms, s, n, i + k - 1, c,
			    k);

			if (end == n && k == 2) {
				k = 1;
				end = find_close_once(&ms, s, n, i, c, 1);
			}
			if (end == n || end == i + k) {
				i += k;
				continue;
			}
			flush(m, s, &start, i);
			mk_raw(m, k == 2 ? "<strong>" : "<em>");
			inline_md(m, s + i + k, end - i - k, depth + 1);
			mk_raw(m, k == 2 ? "</strong>" : "</em>");
			i = start = end + k;
		} else if (c == '[') {
			size_t tlen, ulen, len;
			const char *url;

			len = parse_link(s + i, n - i, &tlen, &url, &ulen);
			if (len == 0) {
				i++;
				continue;
			}
			flush(m, s, &start, i);
			if (is_web_url(url, ulen)) {
				char *href = xstrndup(url, ulen);

				mk_link_begin(m, href);
				inline_md(m, s + i + 1, tlen, depth + 1);
				mk_link_end(m);
				free(href);
			} else
				inline_md(m, s + i + 1, tlen, depth + 1);
			i = start = i + len;
		} else if (c == '<') {
			size_t j = i + 1;

			while (j < n && s[j] != '>' && s[j] != '<' &&
			    !isspace((unsigned char)s[j]))
				j++;
			if (j < n && s[j] == '>' && is_web_url(s + i + 1,
			    j - i - 1)) {
				char *href = xstrndup(s + i + 1, j - i - 1);

				flush(m, s, &start, i);
				mk_link_begin(m, href);
				mk_text(m, href);
				mk_link_end(m);
				free(href);
				i = start = j + 1;
			} else
				i++;
		} else
			i++;
	}
	flush(m, s, &start, n);
}

/*
 * Block state.  Text lines gather in `para` until something ends them;
 * lists form a stack by indentation, each with one item open.
 */
struct list {
	int	 ordered;
	size_t	 indent;	/* of the marker */
	size_t	 content;	/* column where the item's text starts */
};

struct blocks {
	struct markup	*m;
	int		 shift;
	int		 top;		/* fewest "#" of a heading */
	struct buf	 para;
	int		 quote;		/* para is a block quote */
	struct list	 lists[MAX_LISTS];
	int		 nlists;
	int		 blank;		/* the last line was blank */
	struct buf	 table;		/* lines starting with "|" */
	int		 in_table;
	struct buf	 code;
	int		 in_fence;
	char		 fence_char;
	size_t		 fence_len;
	char		*fence_lang;
};

static void
flush_para(struct blocks *bl)
{
	size_t n = bl->para.len;

	while (n > 0 && isspace((unsigned char)bl->para.data[n - 1]))
		n--;
	if (n == 0) {
		buf_reset(&bl->para);
		return;
	}
	if (bl->nlists > 0 && !bl->quote)
		inline_md(bl->m, bl->para.data, n, 0);
	else {
		mk_raw(bl->m, bl->quote ? "<blockquote><p>" : "<p>");
		inline_md(bl->m, bl->para.data, n, 0);
		mk_raw(bl->m, bl->quote ? "</p></blockquote>" : "</p>");
	}
	buf_reset(&bl->para);
	bl->quote = 0;
}

static void
close_lists(struct blocks *bl, int keep)
{
	flush_para(bl);
	while (bl->nlists > keep) {
		bl->nlists--;
		mk_raw(bl->m, bl->lists[bl->nlists].ordered ? "</li></ol>" :
		    "</li></ul>");
	}
}

static size_t
indent_of(const char *line, size_t len, size_t *col)
{
	size_t i;

	*col = 0;
	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		*col = line[i] == '\t' ? (*col + 4) / 4 * 4 : *col + 1;
	return i;
}

/* A list marker at line+i: set *ordered and return its length, or 0. */
static size_t
list_marker(const char *s, size_t n, int *ordered)
{
	size_t i = 0;

	if (n >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') &&
	    (s[1] == ' ' || s[1] == '\t')) {
		*ordered = 0;
		return 2;
	}
	while (i < n && i < 9 && isdigit((unsigned char)s[i]))
		i++;
	if (i > 0 && i + 1 < n && (s[i] == '.' || s[i] == ')') &&
	    (s[i + 1] == ' ' || s[i + 1] == '\t')) {
		*ordered = 1;
		return i + 2;
	}
	return 0;
}

static int
is_rule(const char *s, size_t n)
{
	size_t count = 0;
	char c = n > 0 ? s[0] : 0;

	if (c != '-' && c != '*' && c != '_')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == c)
			count++;
		else if (s[i] != ' ' && s[i] != '\t')
			return 0;
	}
	return count >= 3;
}

/* Fenced code is shown with a language the code macro knows, else none. */
static const char *
code_language(const char *info)
{
	static const char *known[] = { "sql", "json", "bash", "yaml",
	    "xml", "python", "java", "javascript", "go", "ruby", NULL };

	if (info != NULL)
		for (int i = 0; known[i]; i++)
			if (strcasecmp(info, known[i]) == 0)
				return known[i];
	if (info != NULL && (strcasecmp(info, "sh") == 0 ||
	    strcasecmp(info, "shell") == 0))
		return "bash";
	if (info != NULL && strcasecmp(info, "psql") == 0)
		return "sql";
	return "none";
}

static int
fence_open(struct blocks *bl, const char *s, size_t n)
{
	size_t k = 0, a, b;

	while (k < n && s[k] == s[0])
		k++;
	if ((s[0] != '`' && s[0] != '~') || k < 3)
		return 0;
	if (s[0] == '`' && memchr(s + k, '`', n - k) != NULL)
		return 0;
	close_lists(bl, 0);
	bl->in_fence = 1;
	bl->fence_char = s[0];
	bl->fence_len = k;
	for (a = k; a < n && isspace((unsigned char)s[a]); a++)
		;
	for (b = a; b < n && !isspace((unsigned char)s[b]); b++)
		;
	bl->fence_lang = b > a ? xstrndup(s + a, b - a) : NULL;
	buf_reset(&bl->code);
	return 1;
}

static void
fence_close(struct blocks *bl)
{
	mk_code(bl->m, code_language(bl->fence_lang), NULL, bl->code.data);
	free(bl->fence_lang);
	bl->fence_lang = NULL;
	bl->in_fence = 0;
}

static void
fence_line(struct blocks *bl, const char *line, size_t len)
{
	size_t col, i = indent_of(line, len, &col), k = 0;

	while (i + k < len && line[i + k] == bl->fence_char)
		k++;
	if (col < 4 && k >= bl->fence_len) {
		size_t j = i + k;

		while (j < len && isspace((unsigned char)line[j]))
			j++;
		if (j == len) {
			fence_close(bl);
			return;
		}
	}
	buf_add(&bl->code, line, len);
	buf_addch(&bl->code, '\n');
}

static void
heading(struct blocks *bl, const char *s, size_t n, size_t hashes)
{
	size_t a = hashes, b = n;
	int level = (int)hashes + bl->shift;

	if (level < 1)
		level = 1;

	close_lists(bl, 0);
	if ((int)hashes < bl->top)
		bl->top = (int)hashes;
	while (a < b && isspace((unsigned char)s[a]))
		a++;
	while (b > a && (s[b - 1] == '#' || isspace((unsigned char)s[b - 1])))
		b--;
	mk_heading_begin(bl->m, level > 6 ? 6 : level, NULL);
	inline_md(bl->m, s + a, b - a, 0);
	mk_heading_end(bl->m);
}

static void
list_item(struct blocks *bl, size_t col, int ordered, size_t content)
{
	struct list *top;

	flush_para(bl);
	while (bl->nlists > 0 && bl->lists[bl->nlists - 1].indent > col)
		close_lists(bl, bl->nlists - 1);
	top = bl->nlists > 0 ? &bl->lists[bl->nlists - 1] : NULL;
	if (top != NULL && col >= top->content && bl->nlists < MAX_LISTS)
		top = NULL;		/* nested inside the open item */
	else if (top != NULL && top->ordered == ordered) {
		mk_raw(bl->m, "</li><li>");
		top->content = content;
		return;
	} else if (top != NULL)
		close_lists(bl, bl->nlists - 1);
	top = &bl->lists[bl->nlists++];
	top->ordered = ordered;
	top->indent = col;
	top->content = content;
	mk_raw(bl->m, ordered ? "<ol><li>" : "<ul><li>");
}

/* A table's delimiter row: "|---|:---:|", at least one "-". */
static int
is_delimiter_row(const char *s, size_t n)
{
	int dash = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '-')
			dash = 1;
		else if (s[i] != '|' && s[i] != ':' && s[i] != ' ' &&
		    s[i] != '\t')
			return 0;
	}
	return dash;
}

/*
 * One table row: cells split at "|" outside code spans and escapes, the
 * outer pipes dropped.  A header row writes all its cells; a body row
 * writes exactly `ncols`, padded when short, so every row has the
 * header's width.  Returns the number of cells the line holds.
 */
static size_t
table_row(struct markup *m, const char *s, size_t n, int header,
    size_t ncols)
{
	size_t i = 0, start, count = 0, a, b;
	int in_code = 0;

	if (n > 0 && s[0] == '|')
		i = 1;
	if (n > i && s[n - 1] == '|' && (n < 2 || s[n - 2] != '\\'))
		n--;
	mk_raw(m, "<tr>");
	for (start = i; i <= n; i++) {
		if (i < n && s[i] == '\\') {
			i++;
			continue;
		}
		if (i < n && s[i] == '`')
			in_code = !in_code;
		if (i < n && (s[i] != '|' || in_code))
			continue;
		for (a = start; a < i && isspace((unsigned char)s[a]); a++)
			;
		for (b = i; b > a && isspace((unsigned char)s[b - 1]); b--)
			;
		if (ncols == 0 || count < ncols) {
			mk_raw(m, header ? "<th>" : "<td>");
			inline_md(m, s + a, b - a, 0);
			mk_raw(m, header ? "</th>" : "</td>");
		}
		count++;
		start = i + 1;
	}
	for (; count < ncols; count++)
		mk_raw(m, "<td></td>");
	mk_raw(m, "</tr>");
	return count;
}

/* Lines starting with "|" are a table when the second is a delimiter. */
static void
flush_table(struct blocks *bl)
{
	const char *s = bl->table.data, *nl, *second;
	size_t ncols;

	bl->in_table = 0;
	if ((nl = strchr(s, '\n')) == NULL || (second = nl + 1,
	    !is_delimiter_row(second, strcspn(second, "\n")))) {
		buf_addstr(&bl->para, s);	/* plain text after all */
		buf_reset(&bl->table);
		return;
	}
	mk_raw(bl->m, "<table><tbody>");
	ncols = table_row(bl->m, s, (size_t)(nl - s), 1, 0);
	for (s = strchr(second, '\n') + 1; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		table_row(bl->m, s, (size_t)(nl - s), 0, ncols);
	}
	mk_raw(bl->m, "</tbody></table>");
	buf_reset(&bl->table);
}

static void
block_line(struct blocks *bl, const char *line, size_t len)
{
	size_t col, i = indent_of(line, len, &col), k, mlen;
	const char *s = line + i;
	size_t n = len - i;
	int ordered;

	if (bl->in_fence) {
		fence_line(bl, line, len);
		return;
	}
	if (bl->in_table && (n == 0 || col >= 4 || s[0] != '|'))
		flush_table(bl);
	if (n == 0) {
		flush_para(bl);
		bl->blank = 1;
		return;
	}
	if (bl->nlists > 0 && bl->blank &&
	    col < bl->lists[bl->nlists - 1].content &&
	    list_marker(s, n, &ordered) == 0)
		close_lists(bl, 0);
	bl->blank = 0;
	if (col < 4 && s[0] == '|' && bl->nlists == 0) {
		if (!bl->in_table)
			flush_para(bl);
		bl->in_table = 1;
		buf_add(&bl->table, s, n);
		buf_addch(&bl->table, '\n');
		return;
	}
	if (col < 4 && fence_open(bl, s, n))
		return;
	for (k = 0; k < n && k < 7 && s[k] == '#'; k++)
		;
	if (col < 4 && k >= 1 && k <= 6 && (k == n || s[k] == ' ' ||
	    s[k] == '\t')) {
		heading(bl, s, n, k);
		return;
	}
	if (col < 4 && is_rule(s, n)) {
		close_lists(bl, 0);
		mk_raw(bl->m, "<hr/>");
		return;
	}
	if ((mlen = list_marker(s, n, &ordered)) > 0) {
		list_item(bl, col, ordered, col + mlen);
		buf_add(&bl->para, s + mlen, n - mlen);
		buf_addch(&bl->para, '\n');
		return;
	}
	if (col < 4 && s[0] == '>' && bl->nlists == 0) {
		if (!bl->quote)
			flush_para(bl);
		bl->quote = 1;
		s++, n--;
		if (n > 0 && *s == ' ')
			s++, n--;
	} else if (bl->quote)
		flush_para(bl);
	buf_add(&bl->para, s, n);
	buf_addch(&bl->para, '\n');
}

static int
render(struct markup *m, const char *text, int shift)
{
	struct blocks bl;

	memset(&bl, 0, sizeof(bl));
	bl.m = m;
	bl.shift = shift;
	bl.top = 7;
	buf_init(&bl.para);
	buf_init(&bl.table);
	buf_init(&bl.code);
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);

		block_line(&bl, text, len > 0 && text[len - 1] == '\r' ?
		    len - 1 : len);
		text += nl ? len + 1 : len;
	}
	if (bl.in_fence)
		fence_close(&bl);
	if (bl.in_table)
		flush_table(&bl);
	close_lists(&bl, 0);
	buf_release(&bl.para);
	buf_release(&bl.table);
	buf_release(&bl.code);
	return bl.top;
}

/*
 * A first pass into a scratch markup finds the highest heading (the
 * fewest "#", outside code), so that it can be placed at `top` however
 * the writer numbered its headings.
 */
void
md_render(struct markup *m, const char *text, int top)
{
	struct markup scratch;
	int hashes;

	markup_init(&scratch, MARKUP_STORAGE);
	hashes = render(&scratch, text, 0);
	markup_release(&scratch);
	render(m, text, hashes <= 6 ? top - hashes : 0);
}
