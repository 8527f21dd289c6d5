/* secp256k1 account keys of Cosmos SDK chains: a 32-byte private key, its
 * 33-byte compressed public key, the 20-byte address
 * RIPEMD-160(SHA-256(pubkey)), and 64-byte r||s signatures over SHA-256 of
 * the sign bytes. Signing is deterministic (RFC 6979, libsecp256k1's
 * default nonce function) and low-S; verification refuses high-S, as the
 * Cosmos SDK does, so a signature has exactly one accepted encoding.
 *
 * A struct cosmos_key holds a secret: wipe it with cosmos_key_wipe() when
 * done. Nothing in this module logs or prints key material. */
#ifndef PX_CHAINS_COSMOS_KEYS_H
#define PX_CHAINS_COSMOS_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/errors.h"

#define COSMOS_PRIVKEY_LEN 32
#define COSMOS_PUBKEY_LEN 33
#define COSMOS_ADDR_LEN 20
#define COSMOS_SIG_LEN 64

struct cosmos_key {
	uint8_t priv[COSMOS_PRIVKEY_LEN];	/* secret */
	uint8_t pub[COSMOS_PUBKEY_LEN];		/* compressed, 02/03 prefix */
};

/* A key from 32 private-key bytes (big-endian scalar in [1, n-1]); any
 * other value is PX_E_MALFORMED. *out is zeroed on failure. The caller
 * wipes priv itself. */
bool cosmos_key_from_bytes(struct px_err *err, struct cosmos_key *out,
			   const uint8_t priv[COSMOS_PRIVKEY_LEN]) PX_MUST_CHECK;

/* A key from exactly 64 hex digits (no "0x"). Intermediate copies are
 * wiped; error messages never echo the input. */
bool cosmos_key_from_hex(struct px_err *err, struct cosmos_key *out, const char *hex,
			 size_t len) PX_MUST_CHECK;

/* Overwrites the whole struct in a way the compiler cannot elide. */
void cosmos_key_wipe(struct cosmos_key *key);

/* RIPEMD-160(SHA-256(pub)). */
void cosmos_pubkey_address(uint8_t out[COSMOS_ADDR_LEN], const uint8_t pub[COSMOS_PUBKEY_LEN]);

/* True when pub parses as a compressed secp256k1 point. */
bool cosmos_pubkey_valid(const uint8_t *pub, size_t len);

/* Signs SHA-256(msg) with RFC 6979 nonces; the result is low-S. sig is
 * zeroed on failure (PX_E_INTERNAL: the library refused, which with a
 * valid key does not happen). */
bool cosmos_key_sign(struct px_err *err, uint8_t sig[COSMOS_SIG_LEN], const struct cosmos_key *key,
		     const uint8_t *msg, size_t msg_len) PX_MUST_CHECK;

/* Checks a 64-byte r||s signature of SHA-256(msg) by a compressed public
 * key. A malformed key is PX_E_MALFORMED; a signature of the wrong length,
 * with r or s out of range, high-S, or simply wrong is PX_E_BAD_SIGNATURE. */
bool cosmos_signature_verify(struct px_err *err, const uint8_t *pub, size_t pub_len,
			     const uint8_t *msg, size_t msg_len, const uint8_t *sig,
			     size_t sig_len) PX_MUST_CHECK;

#endif
