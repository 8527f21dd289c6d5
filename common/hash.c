/* EVP-backed hashing with cached digests and a per-thread context. */
#include "common/hash.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <openssl/evp.h>

static const char *const alg_names[PX_HASH_COUNT] = {
	[PX_HASH_SHA256] = "SHA256",
	[PX_HASH_SHA512] = "SHA512",
	[PX_HASH_SHA512_256] = "SHA512-256",
	[PX_HASH_RIPEMD160] = "RIPEMD160",
	[PX_HASH_BLAKE2B512] = "BLAKE2B-512",
	[PX_HASH_BLAKE2S256] = "BLAKE2S-256",
};

static const size_t alg_lens[PX_HASH_COUNT] = {
	[PX_HASH_SHA256] = 32,
	[PX_HASH_SHA512] = 64,
	[PX_HASH_SHA512_256] = 32,
	[PX_HASH_RIPEMD160] = 20,
	[PX_HASH_BLAKE2B512] = 64,
	[PX_HASH_BLAKE2S256] = 32,
};

static EVP_MD *mds[PX_HASH_COUNT];
static pthread_once_t mds_once = PTHREAD_ONCE_INIT;
static _Thread_local EVP_MD_CTX *tctx;

static void free_mds(void)
{
	for (int i = 0; i < PX_HASH_COUNT; i++)
		EVP_MD_free(mds[i]);
}

static void fetch_mds(void)
{
	for (int i = 0; i < PX_HASH_COUNT; i++)
		mds[i] = EVP_MD_fetch(NULL, alg_names[i], NULL);
	atexit(free_mds);
	atexit(px_hash_thread_cleanup);
}

size_t px_hash_len(enum px_hash_alg alg)
{
	return (unsigned)alg < PX_HASH_COUNT ? alg_lens[alg] : 0;
}

void px_hash_thread_cleanup(void)
{
	EVP_MD_CTX_free(tctx);
	tctx = NULL;
}

bool px_hash_iov(struct px_err *err, uint8_t *out, enum px_hash_alg alg,
		 const struct px_iov *iov, size_t n)
{
	unsigned int outlen = 0;

	if ((unsigned)alg >= PX_HASH_COUNT)
		return px_err_set(err, PX_E_UNSUPPORTED, "unknown hash algorithm %d", (int)alg);
	pthread_once(&mds_once, fetch_mds);
	if (!mds[alg])
		return px_err_set(err, PX_E_UNSUPPORTED, "hash %s not available in this OpenSSL",
				  alg_names[alg]);
	if (!tctx) {
		tctx = EVP_MD_CTX_new();
		if (!tctx)
			return px_err_set(err, PX_E_NOMEM, "hash context: out of memory");
	}
	if (!EVP_DigestInit_ex2(tctx, mds[alg], NULL))
		goto fail;
	for (size_t i = 0; i < n; i++) {
		if (iov[i].len && !EVP_DigestUpdate(tctx, iov[i].ptr, iov[i].len))
			goto fail;
	}
	if (!EVP_DigestFinal_ex(tctx, out, &outlen) || outlen != alg_lens[alg])
		goto fail;
	return true;
fail:
	return px_err_set(err, PX_E_INTERNAL, "hash %s failed in OpenSSL", alg_names[alg]);
}

static void must_hash(uint8_t *out, enum px_hash_alg alg, const struct px_iov *iov, size_t n)
{
	struct px_err err = { 0 };

	if (!px_hash_iov(&err, out, alg, iov, n)) {
		fprintf(stderr, "fatal: %s\n", err.msg);
		abort();
	}
}

void px_sha256(uint8_t out[PX_SHA256_LEN], const void *buf, size_t len)
{
	struct px_iov iov = { buf, len };

	must_hash(out, PX_HASH_SHA256, &iov, 1);
}

void px_sha256_iov(uint8_t out[PX_SHA256_LEN], const struct px_iov *iov, size_t n)
{
	must_hash(out, PX_HASH_SHA256, iov, n);
}

void px_sha512(uint8_t out[PX_SHA512_LEN], const void *buf, size_t len)
{
	struct px_iov iov = { buf, len };

	must_hash(out, PX_HASH_SHA512, &iov, 1);
}
