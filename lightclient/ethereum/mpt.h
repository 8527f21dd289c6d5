/* Merkle-Patricia trie proofs (the hexary trie of the Ethereum state,
 * storage, transactions and receipts). A proof is the list of RLP nodes on
 * the path from the root towards a key, as eth_getProof (EIP-1186) returns
 * it. Verification walks the key's nibbles from the root, checking that
 * every node hashes to the reference its parent holds (children shorter
 * than 32 bytes are embedded in their parent and are not separate proof
 * entries), and ends in one of:
 *   - a leaf whose path is the rest of the key, or a branch reached with
 *     the key used up holding a value: the key is present with that value;
 *   - an empty branch slot, or a leaf or extension whose path diverges
 *     from the rest of the key, or the empty trie: the key is absent.
 * Anything else (a missing node, nodes left over, a node that does not
 * hash to its reference) is refused. Nodes are decoded with strict RLP.
 *
 * Values returned are borrowed from the proof nodes. No allocation. */
#ifndef PX_LIGHTCLIENT_ETH_MPT_H
#define PX_LIGHTCLIENT_ETH_MPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/errors.h"
#include "lightclient/ethereum/header.h"

/* Proof nodes accepted for one key: a 32-byte key has 64 nibbles, each
 * node uses at least one, and the leaf may use none. */
#define MPT_MAX_PROOF_NODES 65u
/* A full branch of hashes is 532 bytes; leaves of the state and storage
 * tries are far smaller. Receipt-trie leaves can be larger, hence the
 * margin. */
#define MPT_MAX_NODE_BYTES (16u << 10)
/* Keys are 32 bytes in the secure tries, RLP(index) in the others. */
#define MPT_MAX_KEY 256u

/* Keccak-256 of RLP("") (0x80): the root of the empty trie. */
extern const uint8_t mpt_empty_root[ETH_HASH_LEN];
/* Keccak-256 of no bytes: the code hash of an account without code. */
extern const uint8_t mpt_empty_code_hash[ETH_HASH_LEN];

/* Verifies what the proof says about key under root. On success *found
 * says whether the key is present and *value holds its value (borrowed
 * from nodes; empty when absent). Errors: PX_E_ROOT_MISMATCH (a node does
 * not hash to its reference), PX_E_PROOF_SHAPE (nodes missing or left
 * over), PX_E_TOO_LARGE (caps), PX_E_MALFORMED / PX_E_NONCANONICAL /
 * PX_E_TRUNCATED (a node is not a trie node). *found and *value are
 * cleared on failure. */
bool mpt_verify(struct px_err *err, bool *found, struct px_slice *value,
		const uint8_t root[ETH_HASH_LEN], const uint8_t *key, size_t key_len,
		const struct px_slice *nodes, size_t n) PX_MUST_CHECK;

/* An account as the state trie stores it: RLP [nonce, balance,
 * storageRoot, codeHash]. */
struct eth_account {
	uint64_t nonce;
	uint8_t balance[ETH_U256_LEN];	/* big-endian */
	uint8_t storage_root[ETH_HASH_LEN];
	uint8_t code_hash[ETH_HASH_LEN];
};

/* Decodes an account (strict RLP, canonical integers). out is zeroed on
 * failure. */
bool mpt_account_decode(struct px_err *err, struct eth_account *out, const uint8_t *buf,
			size_t len) PX_MUST_CHECK;

/* Verifies an account proof against a state root at path
 * Keccak-256(address). When the account is absent, *exists is false and
 * out is zeroed. */
bool mpt_verify_account(struct px_err *err, bool *exists, struct eth_account *out,
			const uint8_t state_root[ETH_HASH_LEN],
			const uint8_t address[ETH_ADDRESS_LEN], const struct px_slice *nodes,
			size_t n) PX_MUST_CHECK;

/* Verifies a storage proof against an account's storage root at path
 * Keccak-256(slot). value is the 32-byte big-endian slot value (zero when
 * absent; a present slot is never zero). */
bool mpt_verify_storage(struct px_err *err, bool *exists, uint8_t value[ETH_U256_LEN],
			const uint8_t storage_root[ETH_HASH_LEN], const uint8_t slot[ETH_U256_LEN],
			const struct px_slice *nodes, size_t n) PX_MUST_CHECK;

#endif
