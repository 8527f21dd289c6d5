/* Validator keys: ed25519 (OpenSSL EVP) and secp256k1 (libsecp256k1,
 * low-S signatures only, over SHA-256 of the message), and the address of
 * each key type. */
#ifndef PX_LIGHTCLIENT_TENDERMINT_CRYPTO_H
#define PX_LIGHTCLIENT_TENDERMINT_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lightclient/tendermint/types.h"

/* ed25519: SHA-256(key)[:20]; secp256k1: RIPEMD-160(SHA-256(key)). */
void tm_pubkey_address(uint8_t out[TM_ADDRESS_LEN], const struct tm_pubkey *pk);

/* True only for a valid signature of msg by pk. A malformed key or a
 * signature of the wrong length is simply not valid. */
bool tm_signature_verify(const struct tm_pubkey *pk, const uint8_t *msg, size_t msg_len,
			 const uint8_t *sig, size_t sig_len);

#endif
