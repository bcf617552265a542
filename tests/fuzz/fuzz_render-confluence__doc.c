/*
 * fuzz_render-confluence__doc: render-confluence's review reader and page
 * layout.  Any review document is either refused as a bad document (65)
 * or rendered, in both flavours, without a crash.
 */
#include <stdint.h>
#include <stdlib.h>

#include "markup.h"
#include "page.h"
#include "reader.h"
#include "review.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc d = { .path = "fuzz" };
	struct review r;
	struct markup m;

	if ((d.root = reader_parse(data, size, "review")) == NULL)
		return 0;
	if (setjmp(reader_jmp) == 0) {
		review_load(&r, &d);
		for (int f = 0; f < 2; f++) {
			markup_init(&m, f ? MARKUP_HTML : MARKUP_STORAGE);
			page_write(&m, &r);
			free(markup_finish(&m));
		}
		review_release(&r);
	}
	cJSON_Delete(d.root);
	return 0;
}
