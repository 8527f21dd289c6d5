/* Hash functions over OpenSSL EVP. Digests are fetched once per process and
 * each thread keeps one reusable context, because fetching and allocating
 * per call would cost more than hashing the short inputs proofs are made of.
 *
 * The iov forms hash the concatenation of several pieces without copying. */
#ifndef PX_COMMON_HASH_H
#define PX_COMMON_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/errors.h"

#define PX_SHA256_LEN 32
#define PX_SHA512_LEN 64
#define PX_RIPEMD160_LEN 20
#define PX_HASH_MAX_LEN 64

enum px_hash_alg {
	PX_HASH_SHA256,
	PX_HASH_SHA512,
	PX_HASH_SHA512_256,
	PX_HASH_RIPEMD160,
	PX_HASH_BLAKE2B512,
	PX_HASH_BLAKE2S256,
	PX_HASH_COUNT
};

struct px_iov {
	const void *ptr;
	size_t len;
};

/* Output length of alg in bytes. */
size_t px_hash_len(enum px_hash_alg alg);

/* Writes px_hash_len(alg) bytes to out. False only when the library
 * cannot provide the algorithm or runs out of memory (PX_E_UNSUPPORTED,
 * PX_E_NOMEM). */
bool px_hash_iov(struct px_err *err, uint8_t *out, enum px_hash_alg alg,
		 const struct px_iov *iov, size_t n) PX_MUST_CHECK;

/* SHA-256 and SHA-512 cannot fail short of a broken OpenSSL
 * installation, which aborts. */
void px_sha256(uint8_t out[PX_SHA256_LEN], const void *buf, size_t len);
void px_sha256_iov(uint8_t out[PX_SHA256_LEN], const struct px_iov *iov, size_t n);
void px_sha512(uint8_t out[PX_SHA512_LEN], const void *buf, size_t len);

/* Frees this thread's cached context (tests and clean shutdown). */
void px_hash_thread_cleanup(void);

#endif
