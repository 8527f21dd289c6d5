/* Internals of the devnet node shared by node.c (opening, blocks) and
 * node_txs.c (mempool, transaction execution, results and the tx index).
 * Not a public header. */
#ifndef PX_CHAINS_DEVNET_NODE_INTERNAL_H
#define PX_CHAINS_DEVNET_NODE_INTERNAL_H

#include "chains/devnet/app.h"
#include "chains/devnet/node.h"
#include "chains/devnet/privval.h"

struct mempool_tx {
	uint8_t *data;		/* owned */
	size_t len;
	uint8_t hash[TM_HASH_LEN];
};

/* The results of executing a block, kept until the block is stored. */
struct exec_results {
	struct devnet_tx_result *res;	/* n entries, owned */
	size_t n;
	uint8_t hash[TM_HASH_LEN];	/* TxResultsHash, for header H + 1 */
};

struct devnet_node {
	struct devnet_genesis genesis;
	struct devnet_key *keys;
	size_t n_keys;
	struct devnet_multi *multi;
	struct devnet_app *app;
	sqlite3 *db;
	int64_t height;			/* 0: no block yet */
	int64_t earliest;
	struct devnet_block latest;	/* valid when height > 0 */
	struct tm_commit latest_commit;
	uint8_t last_results_hash[TM_HASH_LEN];	/* of block `height` */
	/* Height whose writes are in the working tree: after a failed store
	 * the store allows only another prepare, so a retry of the same
	 * (deterministic) block must not write again; the retry reuses the
	 * results and the mempool's first `exec_n_txs` transactions. */
	int64_t executed;
	struct exec_results exec;
	size_t exec_n_txs;
	/* The mempool, in arrival order. */
	struct mempool_tx *pool;
	size_t pool_len, pool_cap, pool_bytes;
};

void node_exec_free(struct exec_results *e);
/* Delivers the first n mempool transactions at height into e. */
bool node_exec_txs(struct px_err *err, struct devnet_node *n, struct exec_results *e,
		   int64_t height, size_t n_txs) PX_MUST_CHECK;
/* Writes the rows of block `height`'s transactions and results inside the
 * caller's SQLite transaction. */
bool node_store_txs(struct px_err *err, struct devnet_node *n, const struct devnet_block *blk,
		    const struct exec_results *e) PX_MUST_CHECK;
/* How many mempool transactions the next block takes. */
size_t node_pool_take(const struct devnet_node *n);
/* After a stored block: drops its transactions, resets the check state
 * and re-checks what is left (dropping what no longer passes). */
void node_pool_after_block(struct devnet_node *n, size_t included);
void node_pool_free(struct devnet_node *n);
/* Reads the results hash of a stored block (sha256("") when none). */
bool node_results_hash(struct px_err *err, struct devnet_node *n, int64_t height,
		       uint8_t out[TM_HASH_LEN]) PX_MUST_CHECK;

#endif
