/*
 * fuzz_schema-diff__doc: schema-diff's snapshot checks.  Any snapshot
 * document is either refused as a bad document (65) or accepted without
 * a crash.
 */
#include <stdint.h>

#include "reader.h"
#include "validate.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc d = { .path = "fuzz" };

	if ((d.root = reader_parse(data, size, "snapshot")) == NULL)
		return 0;
	if (setjmp(reader_jmp) == 0)
		validate_snapshot(&d);
	cJSON_Delete(d.root);
	return 0;
}
