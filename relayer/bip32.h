/* BIP-32 derivation of secp256k1 private keys (the private-parent ->
 * private-child direction only; the relayer never needs extended public
 * keys), and the textual paths "m/44'/118'/0'/0/0" that name them.
 *
 * A node holds a secret (key and chain code): wipe it with
 * rly_bip32_wipe(). Nothing here logs or prints key material. */
#ifndef PX_RELAYER_BIP32_H
#define PX_RELAYER_BIP32_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/errors.h"

#define RLY_BIP32_HARDENED 0x80000000u
#define RLY_BIP32_DEPTH_MAX 16	/* cap on path length */
#define RLY_BIP32_PATH_TEXT_MAX (2 + RLY_BIP32_DEPTH_MAX * 12)
#define RLY_COSMOS_COIN_TYPE 118

struct rly_bip32_node {
	uint8_t key[32];	/* secret: private key */
	uint8_t chain[32];	/* secret: chain code */
};

/* The master node of a 16..64-byte seed: HMAC-SHA512("Bitcoin seed", seed).
 * A left half that is not a valid key (probability below 2^-127) is
 * PX_E_UNSUPPORTED; out is zeroed on failure. */
bool rly_bip32_master(struct px_err *err, struct rly_bip32_node *out, const uint8_t *seed,
		      size_t len) PX_MUST_CHECK;

/* Child index of parent (hardened when index >= RLY_BIP32_HARDENED). The
 * rare invalid child BIP-32 says to skip is PX_E_UNSUPPORTED. out may
 * alias parent; it is zeroed on failure. */
bool rly_bip32_child(struct px_err *err, struct rly_bip32_node *out,
		     const struct rly_bip32_node *parent, uint32_t index) PX_MUST_CHECK;

/* Parses "m/44'/118'/0'/0/0": "m", then up to RLY_BIP32_DEPTH_MAX
 * components of decimal digits (no leading zeros, below 2^31) each with an
 * optional "'" or "h" for hardened. PX_E_MALFORMED naming the component. */
bool rly_bip32_path_parse(struct px_err *err, uint32_t idx[RLY_BIP32_DEPTH_MAX], size_t *n,
			  const char *path, size_t len) PX_MUST_CHECK;

/* "m/44'/<coin>'/0'/0/0", the Cosmos SDK's default account path with the
 * given coin type (118 for ATOM-style chains). coin < 2^31. */
void rly_bip32_cosmos_path(char out[RLY_BIP32_PATH_TEXT_MAX], uint32_t coin);

/* Master node, then each index of the path in turn. */
bool rly_bip32_derive(struct px_err *err, struct rly_bip32_node *out, const uint8_t *seed,
		      size_t seed_len, const uint32_t *idx, size_t n) PX_MUST_CHECK;

void rly_bip32_wipe(struct rly_bip32_node *node);

#endif
