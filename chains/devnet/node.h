/* The devnet chain: genesis, validator keys, state store and the block
 * history of one home folder, and the production of the next block.
 *
 * Layout of HOME: config/genesis.json, config/keys/validator_N.json (0600),
 * data/state.sqlite (the multistore of store_multi.h plus the tables
 * `blocks` and `valsets`). Producing block H is one SQLite transaction:
 * the state version H (store_multi prepare/finish), the block, its block
 * id, the commit every validator signed and the validator set of H; a
 * process killed at any point reopens at its last block with the same app
 * hash.
 *
 * Heights and hashes: block H carries the app hash of state version H - 1
 * (none for the first block), and executing block H commits version H;
 * abci_query at H is therefore proven by header H + 1, as on a Cosmos
 * chain. The time of block H + 1 is the (common) timestamp of the
 * precommits for H, as CometBFT's BFT time makes it.
 *
 * Executing a block writes its HistoricalInfo (the header, as x/staking
 * does for IBC's self-checks) under staking/0x50||decimal(height), then
 * delivers the block's transactions through the application (app.h). The
 * transactions come from the mempool, which only CheckTx-passing
 * transactions enter (devnet_node_broadcast); after each block the
 * mempool is re-checked against the new state. Each transaction's result
 * (code, log, gas, events) is stored with the block, in the same SQLite
 * transaction (tables `txs`, `tx_attrs` for tx_search, `results` for the
 * next header's last_results_hash). */
#ifndef PX_CHAINS_DEVNET_NODE_H
#define PX_CHAINS_DEVNET_NODE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "chains/devnet/app.h"
#include "chains/devnet/block.h"
#include "chains/devnet/genesis.h"
#include "chains/devnet/privval.h"
#include "chains/devnet/store_multi.h"
#include "common/errors.h"

#define DEVNET_MAX_KEYS 256u
#define DEVNET_GENESIS_FILE "config/genesis.json"
#define DEVNET_KEYS_DIR "config/keys"
#define DEVNET_STAKING_STORE "staking"
#define DEVNET_HISTORICAL_INFO_PREFIX 0x50
#define DEVNET_MAX_TX_BYTES (1u << 20)		/* CometBFT's default max_tx_bytes */
#define DEVNET_MEMPOOL_MAX_TXS 5000u		/* CometBFT's default size */
#define DEVNET_MEMPOOL_MAX_BYTES (64u << 20)
#define DEVNET_BLOCK_MAX_TXS 2000u
#define DEVNET_TX_SEARCH_MAX_CONDS 8
#define DEVNET_TX_COND_MAX 256

struct devnet_node;

/* Opens HOME: reads the genesis and keys (every validator of every
 * scheduled set needs its key: PX_E_CONFIG otherwise), opens the state
 * and reloads the last block, checking that its hash, its commit and the
 * state version agree (PX_E_MALFORMED otherwise). */
bool devnet_node_open(struct px_err *err, struct devnet_node **out, const char *home) PX_MUST_CHECK;
void devnet_node_close(struct devnet_node *n);

/* Makes, signs, executes and stores the next block; `now` is the wall
 * clock, used for the precommit timestamps (never earlier than the block
 * time + 1 ms). On failure nothing changed and it can be retried. */
bool devnet_node_produce(struct px_err *err, struct devnet_node *n, struct px_time now) PX_MUST_CHECK;

/* The validator keys of the home (n_keys of them), borrowed: for the
 * fault switches that re-sign what the RPC serves (fault.h). */
const struct devnet_key *devnet_node_keys(const struct devnet_node *n, size_t *n_keys);

/* The application (accounts, balances, CheckTx), borrowed. */
struct devnet_app *devnet_node_app(const struct devnet_node *n);

/* CheckTx, and into the mempool when res->code is 0; hash is sha256(tx).
 * false when the transaction is not checked at all, as CometBFT refuses
 * it before the application sees it: larger than DEVNET_MAX_TX_BYTES
 * (PX_E_TOO_LARGE), already in the mempool (PX_E_USAGE, "tx already
 * exists in cache"), mempool full or out of memory (PX_E_NOMEM). */
bool devnet_node_broadcast(struct px_err *err, struct devnet_node *n, struct devnet_tx_result *res,
			   uint8_t hash[TM_HASH_LEN], const uint8_t *tx, size_t len) PX_MUST_CHECK;
size_t devnet_node_mempool_size(const struct devnet_node *n);

/* A stored transaction as the `tx` method returns it: {hash, height,
 * index, tx_result, tx} (new reference), or *out NULL when unknown. */
bool devnet_node_tx(struct px_err *err, const struct devnet_node *n, json_t **out,
		    const uint8_t hash[TM_HASH_LEN]) PX_MUST_CHECK;

/* tx_search over the stored transactions: every condition must hold.
 * Keys tx.height (decimal value) and tx.hash (hex) are the block's; any
 * other key is an event attribute TYPE.KEY. *txs (new reference) is the
 * page (1-based) of at most per_page results in (height, index) order,
 * *total the count of all matches. */
struct devnet_tx_cond {
	char key[DEVNET_TX_COND_MAX];
	char value[DEVNET_TX_COND_MAX];
};
bool devnet_node_tx_search(struct px_err *err, const struct devnet_node *n, json_t **txs,
			   int64_t *total, const struct devnet_tx_cond *conds, size_t n_conds,
			   bool desc, int64_t page, int64_t per_page) PX_MUST_CHECK;

/* The transactions of a stored height, in block order (new reference,
 * an array of what devnet_node_tx returns). */
bool devnet_node_block_txs(struct px_err *err, const struct devnet_node *n, int64_t height,
			   json_t **out) PX_MUST_CHECK;

/* Latest height (0 before the first block) and the earliest stored one. */
int64_t devnet_node_height(const struct devnet_node *n);
int64_t devnet_node_earliest(const struct devnet_node *n);
const struct devnet_genesis *devnet_node_genesis(const struct devnet_node *n);
struct devnet_multi *devnet_node_multi(const struct devnet_node *n);
/* The latest block and its commit (NULL before the first block). */
const struct devnet_block *devnet_node_latest(const struct devnet_node *n);
const struct tm_commit *devnet_node_latest_commit(const struct devnet_node *n);

/* What is stored for a height, as JSON in CometBFT shapes (new
 * references): the block object, its block id, the commit that signs it,
 * and the validator set as {validators: [...]}; any pointer may be NULL to
 * skip it. PX_E_USAGE when the height is not stored. */
bool devnet_node_load(struct px_err *err, const struct devnet_node *n, int64_t height,
		      json_t **block, json_t **block_id, json_t **commit, json_t **validators,
		      int64_t *size) PX_MUST_CHECK;

#endif
