/*
 * fuzz_doc: libFuzzer target for common/doc, the reader behind every
 * filter's input: any bytes must give a document or an error message,
 * never a crash, a hang or a leak.
 */
#include <stdint.h>
#include <stdlib.h>

#include "doc.h"
#include "json.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const kinds[] = { NULL, "diff", "review" };
	char err[512];

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		size_t off = 0;
		cJSON *root;

		/* several documents in a row, as schema-diff reads stdin */
		while ((root = doc_parse((const char *)data, size, &off, 1,
		    kinds[k], 1, err, sizeof(err))) != NULL) {
			free(json_print(root, k == 1));
			cJSON_Delete(root);
		}
	}
	return 0;
}
