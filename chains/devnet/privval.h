/* Validator private keys of the devnet: ed25519 through OpenSSL EVP, made
 * from a 32-byte seed (random, or derived from a test seed so that homes
 * are reproducible), stored as CometBFT's priv_validator_key.json (mode
 * 0600, never overwritten) and used to sign precommits. Seeds are wiped
 * when a key is freed and never logged. */
#ifndef PX_CHAINS_DEVNET_PRIVVAL_H
#define PX_CHAINS_DEVNET_PRIVVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/errors.h"
#include "lightclient/tendermint/types.h"

#define DEVNET_SEED_LEN 32
/* Cap on the test seed string and on key files read back. */
#define DEVNET_TEST_SEED_MAX 256
#define DEVNET_KEY_FILE_MAX 4096

struct devnet_key {
	uint8_t seed[DEVNET_SEED_LEN];	/* secret */
	struct tm_pubkey pub;
	uint8_t address[TM_ADDRESS_LEN];
	void *pkey;			/* EVP_PKEY, owned */
};

/* From a seed (copied). PX_E_INTERNAL when OpenSSL refuses. */
bool devnet_key_from_seed(struct px_err *err, struct devnet_key *out,
			  const uint8_t seed[DEVNET_SEED_LEN]) PX_MUST_CHECK;
/* A fresh key from the OpenSSL random generator. */
bool devnet_key_generate(struct px_err *err, struct devnet_key *out) PX_MUST_CHECK;
/* Key number idx of a test seed: seed = sha256("pontifex-devnet key" 0x00
 * test_seed 0x00 decimal(idx)). */
bool devnet_key_from_test_seed(struct px_err *err, struct devnet_key *out, const char *test_seed,
			       uint32_t idx) PX_MUST_CHECK;
/* Wipes the seed and frees the OpenSSL key. */
void devnet_key_free(struct devnet_key *k);

/* An ed25519 signature of msg. */
bool devnet_key_sign(struct px_err *err, uint8_t sig[TM_SIGNATURE_LEN], const struct devnet_key *k,
		     const uint8_t *msg, size_t len) PX_MUST_CHECK;

/* Writes path with O_EXCL and mode 0600: an existing file is PX_E_IO. */
bool devnet_key_save(struct px_err *err, const struct devnet_key *k, const char *path) PX_MUST_CHECK;

/* Writes a key file: doc as indented JSON to a new file (O_EXCL, mode
 * 0600), synced. Steals doc; the text and the string at priv_key.value
 * (the secret) are wiped before they are freed. Shared by validator and
 * account key files. */
struct json_t;
bool devnet_secret_file_write(struct px_err *err, const char *path, struct json_t *doc) PX_MUST_CHECK;
/* Reads a key file; a file readable by group or others is PX_E_CONFIG, a
 * key whose public half or address does not match its seed PX_E_MALFORMED. */
bool devnet_key_load(struct px_err *err, struct devnet_key *out, const char *path) PX_MUST_CHECK;

#endif
