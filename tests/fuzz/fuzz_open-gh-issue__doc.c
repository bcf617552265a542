/*
 * fuzz_open-gh-issue__doc: open-gh-issue's review reader and the issue
 * text it writes.  Any review document is either refused as a bad
 * document (65) or composed into a title, a body and the comments
 * without a crash.
 */
#include <stdint.h>
#include <stdlib.h>

#include "compose.h"
#include "reader.h"
#include "review.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc d = { .path = "fuzz" };
	struct review r;
	char *body;

	if ((d.root = reader_parse(data, size, "review")) == NULL)
		return 0;
	if (setjmp(reader_jmp) == 0) {
		review_load(&r, &d, 0);
		free(compose_title(&r));
		body = compose_body(&r, 1);
		free(compose_changed(&r, body));
		free(body);
		free(compose_resolved(&r));
		review_release(&r);
	}
	cJSON_Delete(d.root);
	return 0;
}
