/* secp256k1 account keys through libsecp256k1 (see keys.h). One context
 * per process, randomised once with OpenSSL's RNG as libsecp256k1
 * recommends against side channels; signing and verification only read it,
 * so threads may share it. */
#include "chains/cosmos/keys.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <secp256k1.h>

#include "common/encoding.h"
#include "common/hash.h"

static secp256k1_context *ctx;
static pthread_once_t ctx_once = PTHREAD_ONCE_INIT;

static void ctx_destroy(void)
{
	secp256k1_context_destroy(ctx);
	ctx = NULL;
}

static void ctx_init(void)
{
	unsigned char seed[32];

	ctx = secp256k1_context_create(SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY);
	if (!ctx)
		return;
	/* Blinding is a defence, not a requirement: without randomness the
	 * context still signs correctly. */
	if (RAND_bytes(seed, sizeof(seed)) == 1 && !secp256k1_context_randomize(ctx, seed)) {
		secp256k1_context_destroy(ctx);
		ctx = NULL;
	}
	OPENSSL_cleanse(seed, sizeof(seed));
	if (ctx)
		atexit(ctx_destroy);
}

static const secp256k1_context *get_ctx(void)
{
	pthread_once(&ctx_once, ctx_init);
	return ctx;
}

void cosmos_key_wipe(struct cosmos_key *key)
{
	if (key)
		OPENSSL_cleanse(key, sizeof(*key));
}

bool cosmos_key_from_bytes(struct px_err *err, struct cosmos_key *out,
			   const uint8_t priv[COSMOS_PRIVKEY_LEN])
{
	const secp256k1_context *c = get_ctx();
	secp256k1_pubkey pub;
	size_t pub_len = COSMOS_PUBKEY_LEN;
	bool ok = false;

	if (!out)
		return px_err_set(err, PX_E_USAGE, "key: NULL output");
	memset(out, 0, sizeof(*out));
	if (!priv) {
		px_err_set(err, PX_E_USAGE, "key: NULL private key");
		goto out;
	}
	if (!c) {
		px_err_set(err, PX_E_NOMEM, "key: cannot create a secp256k1 context");
		goto out;
	}
	if (!secp256k1_ec_seckey_verify(c, priv)) {
		px_err_set(err, PX_E_MALFORMED, "key: private key is zero or not below the group order");
		goto out;
	}
	if (!secp256k1_ec_pubkey_create(c, &pub, priv) ||
	    !secp256k1_ec_pubkey_serialize(c, out->pub, &pub_len, &pub, SECP256K1_EC_COMPRESSED) ||
	    pub_len != COSMOS_PUBKEY_LEN) {
		px_err_set(err, PX_E_INTERNAL, "key: cannot derive the public key");
		goto out;
	}
	memcpy(out->priv, priv, COSMOS_PRIVKEY_LEN);
	ok = true;
out:
	OPENSSL_cleanse(&pub, sizeof(pub));
	if (!ok)
		cosmos_key_wipe(out);
	return ok;
}

bool cosmos_key_from_hex(struct px_err *err, struct cosmos_key *out, const char *hex, size_t len)
{
	uint8_t priv[COSMOS_PRIVKEY_LEN];
	bool ok;

	if (!out)
		return px_err_set(err, PX_E_USAGE, "key: NULL output");
	memset(out, 0, sizeof(*out));
	if (!hex)
		return px_err_set(err, PX_E_USAGE, "key: NULL hex");
	/* px_hex_decode_fixed's own message would quote a bad character of
	 * the secret; report only the shape. */
	if (len != 2 * COSMOS_PRIVKEY_LEN ||
	    !px_hex_decode_fixed(NULL, priv, sizeof(priv), hex, len)) {
		OPENSSL_cleanse(priv, sizeof(priv));
		return px_err_set(err, PX_E_ENCODING, "key: private key is not %d hex digits",
				  2 * COSMOS_PRIVKEY_LEN);
	}
	ok = cosmos_key_from_bytes(err, out, priv);
	OPENSSL_cleanse(priv, sizeof(priv));
	return ok;
}

void cosmos_pubkey_address(uint8_t out[COSMOS_ADDR_LEN], const uint8_t pub[COSMOS_PUBKEY_LEN])
{
	uint8_t h[PX_SHA256_LEN];
	struct px_iov iov = { h, sizeof(h) };

	px_sha256(h, pub, COSMOS_PUBKEY_LEN);
	/* px_hash_iov fails only when OpenSSL lacks RIPEMD-160 (a broken
	 * installation); an all-zero address then matches no account. */
	if (!px_hash_iov(NULL, out, PX_HASH_RIPEMD160, &iov, 1))
		memset(out, 0, COSMOS_ADDR_LEN);
}

bool cosmos_pubkey_valid(const uint8_t *pub, size_t len)
{
	const secp256k1_context *c = get_ctx();
	secp256k1_pubkey p;

	if (!c || !pub || len != COSMOS_PUBKEY_LEN || (pub[0] != 0x02 && pub[0] != 0x03))
		return false;
	return secp256k1_ec_pubkey_parse(c, &p, pub, len) == 1;
}

bool cosmos_key_sign(struct px_err *err, uint8_t sig[COSMOS_SIG_LEN], const struct cosmos_key *key,
		     const uint8_t *msg, size_t msg_len)
{
	const secp256k1_context *c = get_ctx();
	secp256k1_ecdsa_signature s;
	uint8_t digest[PX_SHA256_LEN];
	bool ok = false;

	if (!sig)
		return px_err_set(err, PX_E_USAGE, "sign: NULL output");
	memset(sig, 0, COSMOS_SIG_LEN);
	if (!key || (!msg && msg_len > 0))
		return px_err_set(err, PX_E_USAGE, "sign: NULL argument");
	if (!c)
		return px_err_set(err, PX_E_NOMEM, "sign: cannot create a secp256k1 context");
	px_sha256(digest, msg, msg_len);
	/* NULL nonce function: RFC 6979 with HMAC-SHA256, deterministic. */
	if (!secp256k1_ecdsa_sign(c, &s, digest, key->priv, NULL, NULL)) {
		px_err_set(err, PX_E_INTERNAL, "sign: the private key was refused");
		goto out;
	}
	/* libsecp256k1 already signs low-S; normalising keeps that a stated
	 * property of this function rather than of the library version. */
	(void)secp256k1_ecdsa_signature_normalize(c, &s, &s);
	if (!secp256k1_ecdsa_signature_serialize_compact(c, sig, &s)) {
		px_err_set(err, PX_E_INTERNAL, "sign: cannot serialise the signature");
		memset(sig, 0, COSMOS_SIG_LEN);
		goto out;
	}
	ok = true;
out:
	OPENSSL_cleanse(digest, sizeof(digest));
	return ok;
}

bool cosmos_signature_verify(struct px_err *err, const uint8_t *pub, size_t pub_len,
			     const uint8_t *msg, size_t msg_len, const uint8_t *sig,
			     size_t sig_len)
{
	const secp256k1_context *c = get_ctx();
	secp256k1_pubkey p;
	secp256k1_ecdsa_signature s, low;
	uint8_t digest[PX_SHA256_LEN];

	if ((!msg && msg_len > 0) || (!sig && sig_len > 0))
		return px_err_set(err, PX_E_USAGE, "verify: NULL argument");
	if (!c)
		return px_err_set(err, PX_E_NOMEM, "verify: cannot create a secp256k1 context");
	if (!cosmos_pubkey_valid(pub, pub_len) || !secp256k1_ec_pubkey_parse(c, &p, pub, pub_len))
		return px_err_set(err, PX_E_MALFORMED,
				  "verify: public key is not a compressed secp256k1 point");
	if (sig_len != COSMOS_SIG_LEN)
		return px_err_set(err, PX_E_BAD_SIGNATURE, "verify: signature of %zu bytes, want %d",
				  sig_len, COSMOS_SIG_LEN);
	if (!secp256k1_ecdsa_signature_parse_compact(c, &s, sig))
		return px_err_set(err, PX_E_BAD_SIGNATURE, "verify: r or s not below the group order");
	if (secp256k1_ecdsa_signature_normalize(c, &low, &s))
		return px_err_set(err, PX_E_BAD_SIGNATURE, "verify: high-S signature");
	px_sha256(digest, msg, msg_len);
	if (secp256k1_ecdsa_verify(c, &s, digest, &p) != 1)
		return px_err_set(err, PX_E_BAD_SIGNATURE, "verify: signature does not match");
	return true;
}
