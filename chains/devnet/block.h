/* The devnet's block builder: a block (header, transactions, the
 * previous height's commit) hashed and encoded exactly as CometBFT 0.38
 * does, and the commit that all validators sign for it.
 *
 * What CometBFT computes and this reproduces:
 *   - last_commit_hash: the simple Merkle root over the protobuf CommitSigs
 *     of the previous commit (sha256("") for none);
 *   - data_hash: the Merkle root over the sha256 of each transaction;
 *   - last_results_hash: given by the caller (the Merkle root of the
 *     previous block's deterministic ExecTxResults, see node.c);
 *   - evidence_hash: sha256("") (no evidence);
 *   - consensus_hash: sha256 of HashedParams{block max bytes, max gas};
 *   - the block id: the header hash and the part set header of the block's
 *     protobuf cut into 64 KiB parts.
 *
 * Everything here is pure (no clock, no files); chains/devnet/node.c
 * decides heights, times and validator sets. */
#ifndef PX_CHAINS_DEVNET_BLOCK_H
#define PX_CHAINS_DEVNET_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chains/devnet/privval.h"
#include "common/buf.h"
#include "common/errors.h"
#include "lightclient/tendermint/types.h"

#define DEVNET_BLOCK_PART_SIZE 65536u	/* CometBFT's BlockPartSizeBytes */
#define DEVNET_BLOCK_VERSION 11u	/* version.Block of CometBFT 0.38 */
/* CometBFT's default ConsensusParams.Block. */
#define DEVNET_DEFAULT_MAX_BYTES 22020096
#define DEVNET_DEFAULT_MAX_GAS (-1)

/* One transaction's bytes, owned by its block. */
struct devnet_tx {
	uint8_t *data;
	size_t len;
};

/* A block: owns last_commit's signatures and the transactions. */
struct devnet_block {
	struct tm_header header;
	struct tm_commit last_commit;	/* height 0 and no signatures before the first block */
	struct devnet_tx *txs;
	size_t n_txs;
	struct tm_block_id block_id;	/* computed by devnet_block_seal */
	size_t size;			/* bytes of the block's protobuf */
};

/* What the caller decides for the next block. Borrowed pointers. */
struct devnet_block_params {
	const char *chain_id;
	int64_t height;
	struct px_time time;
	uint64_t version_app;
	const struct tm_block_id *last_block_id;	/* NULL for the first block */
	const struct tm_commit *last_commit;		/* NULL for the first block */
	const struct tm_validator_set *validators;
	const struct tm_validator_set *next_validators;
	const uint8_t *app_hash;			/* may be NULL with len 0 */
	size_t app_hash_len;
	const uint8_t *proposer;			/* TM_ADDRESS_LEN bytes */
	int64_t max_bytes;				/* consensus params */
	int64_t max_gas;
	const struct devnet_tx *txs;			/* copied into the block */
	size_t n_txs;
	const uint8_t *last_results_hash;		/* NULL: sha256("") */
};

/* Txs.Hash(): the Merkle root over sha256 of each transaction. */
bool devnet_txs_hash(struct px_err *err, uint8_t out[TM_HASH_LEN], const struct devnet_tx *txs,
		     size_t n) PX_MUST_CHECK;

/* sha256 of HashedParams{1: block max bytes, 2: block max gas}. */
void devnet_consensus_hash(uint8_t out[TM_HASH_LEN], int64_t max_bytes, int64_t max_gas);

/* Commit.Hash(): the Merkle root over the CommitSig protobufs. */
bool devnet_commit_hash(struct px_err *err, uint8_t out[TM_HASH_LEN], const struct tm_commit *c) PX_MUST_CHECK;

/* Protobuf encodings as CometBFT marshals them (gogoproto: zero scalars
 * omitted, non-nullable messages always written). */
void devnet_header_encode(struct px_buf *b, const struct tm_header *h);
void devnet_commit_encode(struct px_buf *b, const struct tm_commit *c);
void devnet_block_encode(struct px_buf *b, const struct devnet_block *blk);

/* Fills the header from params, copies the last commit, and seals: block
 * id = header hash + part set header. On failure out is zeroed. */
bool devnet_block_make(struct px_err *err, struct devnet_block *out,
		       const struct devnet_block_params *p) PX_MUST_CHECK;
/* Recomputes size and block_id from header and last_commit (after a
 * block is read back, to check it). */
bool devnet_block_seal(struct px_err *err, struct devnet_block *blk) PX_MUST_CHECK;
void devnet_block_free(struct devnet_block *blk);

/* The commit of blk signed by every validator of vs, at timestamp ts, with
 * the key of each validator found by address in keys (a validator without
 * a key is PX_E_CONFIG). Signatures in vs's order. On failure out is
 * zeroed. */
bool devnet_commit_make(struct px_err *err, struct tm_commit *out, const char *chain_id,
			const struct devnet_block *blk, const struct tm_validator_set *vs,
			const struct devnet_key *keys, size_t n_keys,
			struct px_time ts) PX_MUST_CHECK;

#endif
