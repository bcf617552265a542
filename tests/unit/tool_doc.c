/*
 * tool_doc: drive common/doc from shell tests.
 *   tool_doc [-n count] [-o out] KIND FILE
 * Reads `count` documents of KIND from FILE ("-" = stdin, several may
 * follow one another) and writes the last one to `out` (default stdout).
 */
#include <stdlib.h>
#include <sysexits.h>
#include <unistd.h>

#include "doc.h"
#include "json.h"

int
main(int argc, char *argv[])
{
	const char *out = "-";
	struct doc d;
	int ch, count = 1;

	json_init();
	while ((ch = getopt(argc, argv, "n:o:")) != -1) {
		switch (ch) {
		case 'n': count = atoi(optarg); break;
		case 'o': out = optarg; break;
		default: return EX_USAGE;
		}
	}
	if (argc - optind != 2)
		return EX_USAGE;
	for (int i = 0; i < count; i++) {
		if (i + 1 < count)
			doc_read_first(&d, argv[optind + 1], argv[optind], 1);
		else
			doc_read(&d, argv[optind + 1], argv[optind], 1);
		if (i + 1 < count)
			doc_release(&d);
	}
	doc_write(out, d.root, 0);
	doc_release(&d);
	return EX_OK;
}
