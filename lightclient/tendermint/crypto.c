/* Signature checks for validator keys: ed25519 through OpenSSL EVP (one
 * shot, no context reuse across keys), secp256k1 through libsecp256k1 with
 * one verification context per process. */
#include "lightclient/tendermint/crypto.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <secp256k1.h>

#include "common/hash.h"

void tm_pubkey_address(uint8_t out[TM_ADDRESS_LEN], const struct tm_pubkey *pk)
{
	uint8_t h[PX_SHA256_LEN];

	px_sha256(h, pk->bytes, pk->len);
	if (pk->type == TM_KEY_SECP256K1) {
		uint8_t r[PX_RIPEMD160_LEN];
		struct px_iov iov = { h, sizeof(h) };

		if (!px_hash_iov(NULL, r, PX_HASH_RIPEMD160, &iov, 1))
			memset(r, 0, sizeof(r));
		memcpy(out, r, TM_ADDRESS_LEN);
		return;
	}
	memcpy(out, h, TM_ADDRESS_LEN);
}

static bool ed25519_verify(const uint8_t *key, const uint8_t *msg, size_t msg_len, const uint8_t *sig)
{
	EVP_PKEY *pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, key, 32);
	EVP_MD_CTX *ctx = NULL;
	bool ok = false;

	if (!pkey)
		return false;
	ctx = EVP_MD_CTX_new();
	if (ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pkey) == 1)
		ok = EVP_DigestVerify(ctx, sig, 64, msg, msg_len) == 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	return ok;
}

static secp256k1_context *secp_ctx;
static pthread_once_t secp_once = PTHREAD_ONCE_INIT;

static void secp_destroy(void)
{
	secp256k1_context_destroy(secp_ctx);
}

static void secp_init(void)
{
	secp_ctx = secp256k1_context_create(SECP256K1_CONTEXT_VERIFY);
	atexit(secp_destroy);
}

/* A 64-byte r||s signature over SHA-256(msg). libsecp256k1 refuses high-S
 * signatures in verification, which is the rule CometBFT applies. */
static bool secp256k1_verify(const uint8_t *key, const uint8_t *msg, size_t msg_len,
			     const uint8_t *sig)
{
	secp256k1_pubkey pub;
	secp256k1_ecdsa_signature s;
	uint8_t digest[PX_SHA256_LEN];

	pthread_once(&secp_once, secp_init);
	if (!secp_ctx || !secp256k1_ec_pubkey_parse(secp_ctx, &pub, key, 33) ||
	    !secp256k1_ecdsa_signature_parse_compact(secp_ctx, &s, sig))
		return false;
	px_sha256(digest, msg, msg_len);
	return secp256k1_ecdsa_verify(secp_ctx, &s, digest, &pub) == 1;
}

bool tm_signature_verify(const struct tm_pubkey *pk, const uint8_t *msg, size_t msg_len,
			 const uint8_t *sig, size_t sig_len)
{
	if (sig_len != 64)
		return false;
	switch (pk->type) {
	case TM_KEY_ED25519:
		return pk->len == 32 && ed25519_verify(pk->bytes, msg, msg_len, sig);
	case TM_KEY_SECP256K1:
		return pk->len == 33 && secp256k1_verify(pk->bytes, msg, msg_len, sig);
	}
	return false;
}
