/*
 * fuzz_open-gh-issue: the GitHub Markdown escapers.  Whatever the text, no
 * "@" may stay live (each is followed by U+200B), escaped text holds no
 * raw "<", and a code span's fence is longer than any backtick run inside.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "gfm.h"
#include "xalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_mentions(const char *s)
{
	for (const char *p = strchr(s, '@'); p; p = strchr(p + 1, '@'))
		if (strncmp(p + 1, "\xe2\x80\x8b", 3) != 0)
			abort();
}

static void
check_code(const char *s)
{
	size_t fence = strspn(s, "`"), len = strlen(s), run = 0;

	if (len == 0)
		return;
	if (fence == 0 || len < 2 * fence)
		abort();
	for (size_t i = fence; i < len - fence; i++) {
		run = s[i] == '`' ? run + 1 : 0;
		if (run >= fence)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	struct buf b = BUF_INIT;

	for (int flags = 0; flags < 4; flags++) {
		buf_reset(&b);
		gfm_text(&b, text, flags);
		check_mentions(b.data);
		if (strchr(b.data, '<'))
			abort();
		buf_reset(&b);
		gfm_code(&b, text, flags);
		check_code(b.data);
	}
	buf_reset(&b);
	gfm_prose(&b, text);
	check_mentions(b.data);
	buf_reset(&b);
	gfm_title(&b, text);
	check_mentions(b.data);
	buf_release(&b);
	free(text);
	return 0;
}
