/* The relayer's signing keys on disk: one JSON file per key at
 * HOME/keys/CHAIN/NAME.json holding a secp256k1 private key (derived from a
 * BIP-39 phrase along a BIP-32 path, or imported as hex), its public key
 * and the path. Files are created mode 0600 (with O_EXCL, then linked into
 * place so a half-written file is never visible and an existing key is
 * never overwritten) inside folders of mode 0700; the daemon refuses to
 * start when any of them is readable by group or others
 * (rly_keys_check_permissions).
 *
 * Private keys, phrases and seeds are wiped after use and never logged or
 * put in an error message. The key file is read with a small strict parser
 * of its own (a flat JSON object of strings) instead of jansson, so the
 * secret never lands in memory that is freed without being wiped. */
#ifndef PX_RELAYER_KEYS_H
#define PX_RELAYER_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chains/cosmos/keys.h"
#include "common/errors.h"
#include "relayer/bip32.h"

#define RLY_NAME_MAX 64		/* chain ids and key names */
#define RLY_KEYS_PER_CHAIN_MAX 1024
#define RLY_KEY_FILE_MAX 4096

struct rly_key_info {
	char chain[RLY_NAME_MAX + 1];
	char name[RLY_NAME_MAX + 1];
	char hd_path[RLY_BIP32_PATH_TEXT_MAX];	/* "" for an imported key */
	uint8_t pub[COSMOS_PUBKEY_LEN];
};

/* Chain ids and key names become file names: 1..64 characters of
 * [A-Za-z0-9._-], not starting with '.'. PX_E_USAGE naming `what`. */
bool rly_name_check(struct px_err *err, const char *what, const char *s) PX_MUST_CHECK;

/* Derives the key at m/44'/coin'/0'/0/0 from a BIP-39 phrase (empty
 * passphrase) and stores it. info (may be NULL) describes the new key. */
bool rly_keys_add_mnemonic(struct px_err *err, struct rly_key_info *info, const char *home,
			   const char *chain, const char *name, const char *phrase, size_t len,
			   uint32_t coin_type) PX_MUST_CHECK;

/* Stores a private key given as 64 hex digits (surrounding white space
 * ignored). */
bool rly_keys_add_hex(struct px_err *err, struct rly_key_info *info, const char *home,
		      const char *chain, const char *name, const char *hex, size_t len) PX_MUST_CHECK;

/* Stores key under HOME/keys/CHAIN/NAME.json. An existing key is
 * PX_E_USAGE; file system failures PX_E_IO; a keys folder that is looser
 * than 0700 PX_E_CONFIG. hd_path may be "" (imported). */
bool rly_keys_store(struct px_err *err, struct rly_key_info *info, const char *home,
		    const char *chain, const char *name, const struct cosmos_key *key,
		    const char *hd_path) PX_MUST_CHECK;

/* Reads a key file. key may be NULL to read only the public part (the
 * secret is still read from disk, then wiped). A missing key is
 * PX_E_CONFIG; a file readable by others, not a regular file, or not owned
 * by this user is PX_E_CONFIG; a damaged file PX_E_MALFORMED. */
bool rly_keys_load(struct px_err *err, struct cosmos_key *key, struct rly_key_info *info,
		   const char *home, const char *chain, const char *name) PX_MUST_CHECK;

typedef bool (*rly_key_fn)(void *arg, const struct rly_key_info *info);

/* Calls fn for every key of chain, sorted by name; stops when fn returns
 * false. A chain without a keys folder has no keys. */
bool rly_keys_list(struct px_err *err, const char *home, const char *chain, rly_key_fn fn,
		   void *arg) PX_MUST_CHECK;

/* Removes HOME/keys/CHAIN/NAME.json. A missing key is PX_E_CONFIG. The
 * file is unlinked, not overwritten: on journalling and copy-on-write file
 * systems overwriting in place would not reach the old blocks anyway. */
bool rly_keys_delete(struct px_err *err, const char *home, const char *chain,
		     const char *name) PX_MUST_CHECK;

/* The daemon's start-up check: HOME/keys and every folder in it must be
 * folders of this user with no group or other access; every file in them a
 * regular file of this user with no group or other access. Symbolic links
 * are refused. A missing HOME/keys passes (there is nothing to protect).
 * The first offender is PX_E_CONFIG naming the path, its mode and the
 * chmod that fixes it. */
bool rly_keys_check_permissions(struct px_err *err, const char *home) PX_MUST_CHECK;

/* Reads a small secret file ("-" is standard input) into out (cap bytes,
 * NUL-terminated; the last byte is reserved), without intermediate copies.
 * Longer than cap - 1 bytes is PX_E_TOO_LARGE. On failure out is wiped. */
bool rly_secret_file_read(struct px_err *err, char *out, size_t cap, size_t *len,
			  const char *path) PX_MUST_CHECK;

#endif
