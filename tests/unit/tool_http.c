/*
 * tool_http: drive common/http from shell tests.
 *   tool_http [--create] [--timeout-ms N] METHOD URL [BODY]
 * Bearer token from TOOL_TOKEN/_FILE, CA file from TOOL_CA.
 * Prints the status and body of the final answer; exits as http_die() does
 * for anything but a 2xx.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "die.h"
#include "http.h"
#include "secret.h"

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "create",	no_argument,		NULL, 'c' },
		{ "timeout-ms",	required_argument,	NULL, 't' },
		{ NULL,		0,			NULL, 0 }
	};
	struct http_client c;
	struct http_response r;
	enum http_outcome o;
	int ch, flags = HTTP_IDEMPOTENT, status;
	long timeout = 0;
	char *token;

	while ((ch = getopt_long(argc, argv, "v", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': flags = 0; break;
		case 't': timeout = atol(optarg); break;
		case 'v': verbosity = 2; break;
		default: return EX_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		return EX_USAGE;
	http_init(&c, "test");
	c.ca_file = getenv("TOOL_CA");
	if (timeout)
		c.timeout_ms = timeout;
	if ((token = secret_get("TOOL_TOKEN")) != NULL) {
		http_set_bearer(&c, token);
		secret_free(token);
	}
	http_add_header(&c, "Accept: application/json");
	http_response_init(&r);
	o = http_request(&c, argv[0], argv[1], argc > 2 ? argv[2] : NULL,
	    flags, &r);
	status = http_exit_code(o, &r);
	if (status != EX_OK)
		http_die(&c, o, &r, "request");
	printf("%ld %s\n", r.status, r.body.data);
	http_response_release(&r);
	http_release(&c);
	return EX_OK;
}
