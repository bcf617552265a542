/*
 * fuzz_post-confluence__doc: post-confluence's check of the review's
 * page member.  Any review document is either refused as a bad document
 * (65) or yields a page fit to publish (a title, a body, labels that are
 * strings), without a crash.
 */
#include <stdint.h>
#include <stdlib.h>

#include "post.h"
#include "reader.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc d = { .path = "fuzz" };
	struct page_in pg;
	const cJSON *l;

	if ((d.root = reader_parse(data, size, "review")) == NULL)
		return 0;
	if (setjmp(reader_jmp) == 0) {
		page_read(&d, &pg);
		if (pg.title == NULL || pg.storage == NULL || pg.pair == NULL)
			abort();
		cJSON_ArrayForEach(l, pg.labels)
			if (!cJSON_IsString(l))
				abort();
	}
	cJSON_Delete(d.root);
	return 0;
}
