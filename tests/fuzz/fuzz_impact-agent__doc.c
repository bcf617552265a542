/*
 * fuzz_impact-agent__doc: impact-agent's rules engine on any diff.  Every
 * rule reads the changes, attributes, SQL and evidence it is given; any
 * diff document is either refused as a bad document (65) or reviewed
 * without a crash.
 */
#include <stdint.h>
#include <stdlib.h>

#include "assess.h"
#include "config.h"
#include "owners.h"
#include "reader.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct review_opts ro;
	static int ready;
	struct doc d = { .path = "fuzz" };

	if (!ready) {
		config_load(&ro.cfg, NULL);
		owners_load(&ro.owners, NULL);
		ready = 1;
	}
	if ((d.root = reader_parse(data, size, "diff")) == NULL)
		return 0;
	if (setjmp(reader_jmp) == 0)
		cJSON_Delete(review_build(&d, &ro));
	cJSON_Delete(d.root);
	return 0;
}
