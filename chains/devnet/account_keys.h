/* secp256k1 account keys of the devnet's genesis accounts (the `relayer`
 * and `user` accounts of the demo and tests, and those of --accounts),
 * kept as HOME/config/accounts/NAME.json, mode 0600, written with O_EXCL:
 *
 *   {"name": "user", "address": "cosmos1...",
 *    "pub_key": {"type": "tendermint/PubKeySecp256k1", "value": BASE64},
 *    "priv_key": {"type": "tendermint/PrivKeySecp256k1", "value": BASE64}}
 *
 * With a test seed the private key is sha256("pontifex-devnet account"
 * 0x00 SEED 0x00 NAME) (re-hashed in the negligible case that it is not a
 * valid scalar); otherwise it comes from the OpenSSL random generator.
 * Keys are secrets: wiped after use, never logged. */
#ifndef PX_CHAINS_DEVNET_ACCOUNT_KEYS_H
#define PX_CHAINS_DEVNET_ACCOUNT_KEYS_H

#include <stdbool.h>
#include <stdint.h>

#include "chains/cosmos/keys.h"
#include "common/errors.h"

#define DEVNET_ACCOUNTS_DIR "config/accounts"
#define DEVNET_ACCOUNT_NAME_MAX 64

struct devnet_account_key {
	char name[DEVNET_ACCOUNT_NAME_MAX + 1];
	struct cosmos_key key;		/* secret */
	uint8_t address[COSMOS_ADDR_LEN];
};

/* Names are 1..64 characters of [a-z0-9_-]. */
bool devnet_account_name_ok(const char *name);

/* test_seed NULL: a random key. */
bool devnet_account_key_make(struct px_err *err, struct devnet_account_key *out, const char *name,
			     const char *test_seed) PX_MUST_CHECK;
bool devnet_account_key_save(struct px_err *err, const struct devnet_account_key *k,
			     const char *prefix, const char *path) PX_MUST_CHECK;
/* A file readable by group or others is PX_E_CONFIG; a key whose address
 * or public key does not match is PX_E_MALFORMED. */
bool devnet_account_key_load(struct px_err *err, struct devnet_account_key *out,
			     const char *path) PX_MUST_CHECK;
void devnet_account_key_wipe(struct devnet_account_key *k);

#endif
