/*
 * sha256: SHA-256 (FIPS 180-4) for fingerprints, so that no program needs
 * a crypto library.  Not for secrets: nothing here is constant-time.
 *
 *	struct sha256 h;
 *	sha256_init(&h);
 *	sha256_update(&h, data, len);	(any number of times)
 *	sha256_hex(&h, out);		(65 bytes: 64 hex digits and NUL)
 *
 * Nothing allocates and nothing fails.
 */
#ifndef SHA256_H
#define SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t	state[8];
	uint64_t	bytes;		/* message length so far */
	unsigned char	block[64];
	size_t		fill;		/* bytes waiting in block */
};

void	sha256_init(struct sha256 *h);
void	sha256_update(struct sha256 *h, const void *data, size_t len);
/* Finish and write the 32-byte digest; `h` must be re-initialised after. */
void	sha256_final(struct sha256 *h, unsigned char digest[32]);
/* Finish and write the digest as lower-case hex, NUL-terminated. */
void	sha256_hex(struct sha256 *h, char out[65]);

#endif
