/* CometBFT hashing: the simple Merkle tree (RFC 6962 leaf/inner prefixes),
 * header hashes, validator-set hashes and the canonical vote sign bytes
 * that validators sign. Every encoding here is the protobuf CometBFT
 * hashes, byte for byte. */
#ifndef PX_LIGHTCLIENT_TENDERMINT_HASH_H
#define PX_LIGHTCLIENT_TENDERMINT_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/hash.h"
#include "lightclient/tendermint/types.h"

/* Root of the tree over n leaves: sha256("") for none, sha256(00||leaf)
 * for leaves, sha256(01||left||right) for inner nodes, split at the largest
 * power of two below n. */
void tm_merkle_root(uint8_t out[TM_HASH_LEN], const struct px_iov *leaves, size_t n);
void tm_merkle_leaf_hash(uint8_t out[TM_HASH_LEN], const uint8_t *leaf, size_t len);
void tm_merkle_inner_hash(uint8_t out[TM_HASH_LEN], const uint8_t left[TM_HASH_LEN],
			  const uint8_t right[TM_HASH_LEN]);

/* The header hash. False (out zeroed) when validators_hash is empty, where
 * CometBFT's Hash() returns nil; false with err on allocation failure. */
bool tm_header_hash(struct px_err *err, uint8_t out[TM_HASH_LEN], const struct tm_header *h) PX_MUST_CHECK;

/* Hash of a validator set in its current order (normalize first). */
bool tm_validator_set_hash(struct px_err *err, uint8_t out[TM_HASH_LEN],
			   const struct tm_validator_set *vs) PX_MUST_CHECK;

/* The protobuf of a BlockID, Timestamp, ... as the header hash uses them. */
void tm_block_id_encode(struct px_buf *b, const struct tm_block_id *id);
void tm_timestamp_encode(struct px_buf *b, struct px_time t);

enum tm_vote_type {
	TM_VOTE_PREVOTE = 1,
	TM_VOTE_PRECOMMIT = 2,
};

/* Length-delimited CanonicalVote: type, height, round (sfixed64), block id
 * (omitted when zero), timestamp (always), chain id. Appended to out. */
void tm_vote_sign_bytes(struct px_buf *out, const char *chain_id, enum tm_vote_type type,
			int64_t height, int64_t round, const struct tm_block_id *block_id,
			struct px_time timestamp);

/* The sign bytes of signature idx of a commit: a precommit for the
 * commit's block (COMMIT) or for nil (NIL). */
void tm_commit_sign_bytes(struct px_buf *out, const char *chain_id, const struct tm_commit *c,
			  size_t idx);

bool tm_block_id_is_zero(const struct tm_block_id *id);
bool tm_block_id_equal(const struct tm_block_id *a, const struct tm_block_id *b);

#endif
