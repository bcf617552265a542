/*
 * agent_prompt: the system prompt of the model pass.  Its text is
 * cmd/impact-agent/review-prompt.md, assembled into the program as the
 * string agent_prompt_text (.incbin, path relative to the top directory
 * where make runs; the Makefile makes this object depend on the file), so
 * that an installed program needs no data file.  A team adds its own
 * instructions with the rules config's prompt_file, which follow the
 * built-in text: they extend the review, and cannot drop what the prompt
 * says about untrusted data.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "agent_impl.h"
#include "xalloc.h"

#define PROMPT_MAX	((size_t)256 << 10)

extern const char agent_prompt_text[];

__asm__(
	".pushsection .rodata\n"
	".globl agent_prompt_text\n"
	".type agent_prompt_text, @object\n"
	"agent_prompt_text:\n"
	".incbin \"cmd/impact-agent/review-prompt.md\"\n"
	".byte 0\n"
	".size agent_prompt_text, . - agent_prompt_text\n"
	".popsection\n");

char *
agent_prompt(const char *file, struct buf *err)
{
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n, start;
	FILE *fp;

	buf_addstr(&b, agent_prompt_text);
	if (file == NULL)
		return buf_detach(&b, NULL);
	if ((fp = fopen(file, "r")) == NULL) {
		buf_addf(err, "prompt file %s: %s", file, strerror(errno));
		buf_release(&b);
		return NULL;
	}
	buf_addstr(&b, "\n## Instructions from the team\n\n");
	start = b.len;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0 &&
	    b.len - start <= PROMPT_MAX)
		buf_add(&b, chunk, n);
	if (ferror(fp) || b.len - start > PROMPT_MAX || b.len == start) {
		buf_addf(err, "prompt file %s: %s", file, ferror(fp) ?
		    strerror(errno) : b.len > start ? "larger than 256 KiB" :
		    "empty");
		fclose(fp);
		buf_release(&b);
		return NULL;
	}
	fclose(fp);
	return buf_detach(&b, NULL);
}
