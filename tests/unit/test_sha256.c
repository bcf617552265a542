/*
 * test_sha256: the FIPS 180-4 example vectors, and a long input fed in
 * uneven pieces so that block boundaries fall everywhere.
 */
#include <string.h>

#include "sha256.h"
#include "t.h"

static const char *
digest(const char *s, size_t chunk)
{
	static char out[65];
	struct sha256 h;
	size_t n = strlen(s), i;

	sha256_init(&h);
	for (i = 0; i < n; i += chunk)
		sha256_update(&h, s + i, n - i < chunk ? n - i : chunk);
	sha256_hex(&h, out);
	return out;
}

int
main(void)
{
	static char million[1000001];

	T_STREQ(digest("", 1), "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855", "empty input");
	T_STREQ(digest("abc", 1), "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad", "abc");
	T_STREQ(digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    7), "248d6a61d20638b8e5c026930c3e6039"
	    "a33ce45964ff2167f6ecedd419db06c1", "two-block message");
	memset(million, 'a', 1000000);
	T_STREQ(digest(million, 4093), "cdc76e5c9914fb9281a1c7e284d73e67"
	    "f1809a48a497200e046d39ccc7112cd0", "a million a's in pieces");
	return t_done();
}
