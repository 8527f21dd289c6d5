/* Root of a Merkle-Patricia trie built from a set of keys and values, for
 * the roots a block commits to that are not proven key by key
 * (transactions, receipts, withdrawals) and for tests against the trie
 * vectors. The trie is built in one pass over the sorted keys; nothing is
 * kept afterwards.
 *
 * Input is a list of updates applied in order: a later update of the same
 * key wins, and an empty value deletes the key (as in the clients). The
 * root does not depend on the order of distinct keys. */
#ifndef PX_LIGHTCLIENT_ETH_TRIE_H
#define PX_LIGHTCLIENT_ETH_TRIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/errors.h"
#include "common/buf.h"
#include "lightclient/ethereum/header.h"
#include "lightclient/ethereum/mpt.h"

/* Updates accepted in one call. */
#define MPT_TRIE_MAX_ENTRIES (1u << 20)

struct mpt_kv {
	const uint8_t *key;
	size_t key_len;		/* at most MPT_MAX_KEY (mpt.h) */
	const uint8_t *value;
	size_t value_len;	/* 0: delete */
};

/* Writes the root; the empty trie's root is mpt_empty_root. With secure
 * set, every key is replaced by its Keccak-256 first (the state and
 * storage tries). PX_E_TOO_LARGE past the caps, PX_E_NOMEM. out is zeroed
 * on failure. */
bool mpt_trie_root(struct px_err *err, uint8_t out[ETH_HASH_LEN], const struct mpt_kv *kvs,
		   size_t n, bool secure) PX_MUST_CHECK;

/* Builds the same trie and also writes the proof of key (hashed first
 * when secure): the nodes on its path that are referenced by hash, root
 * first, as eth_getProof returns them. The nodes are appended to nodes,
 * their lengths written to lens (room for MPT_MAX_PROOF_NODES + 1) and
 * their number to *count; an empty trie gives no nodes. For tests and
 * tools; a light client only checks proofs. */
bool mpt_trie_prove(struct px_err *err, uint8_t root[ETH_HASH_LEN], struct px_buf *nodes,
		    size_t *lens, size_t *count, const struct mpt_kv *kvs, size_t n, bool secure,
		    const uint8_t *key, size_t key_len) PX_MUST_CHECK;

#endif
