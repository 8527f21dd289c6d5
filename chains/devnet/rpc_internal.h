/* Parameter helpers shared by rpc.c (chain methods) and rpc_tx.c
 * (transaction methods). Not a public header. Parameters arrive typed
 * (JSON POST) or as strings (GET query strings), so each getter takes
 * either form, strictly; absent or null leaves the default. */
#ifndef PX_CHAINS_DEVNET_RPC_INTERNAL_H
#define PX_CHAINS_DEVNET_RPC_INTERNAL_H

#include "chains/devnet/rpc.h"

struct call {
	const json_t *params;
	const char *const *names;	/* positional order */
	struct devnet_rpc_error *e;
};

/* Sets e (the first failure wins) and returns NULL. */
json_t *rpc_fail(struct devnet_rpc_error *e, int code, const char *fmt, ...) PX_PRINTF(3, 4);
const json_t *rpc_param(const struct call *c, const char *name);
bool rpc_present(const struct call *c, const char *name);
bool rpc_get_i64(const struct call *c, int64_t *out, const char *name);
bool rpc_get_bool(const struct call *c, bool *out, const char *name);
bool rpc_get_string(const struct call *c, const char **out, const char *name);
/* Absent: the latest; otherwise within the stored range. */
bool rpc_get_height(const struct call *c, const struct devnet_node *n, int64_t *out,
		    const char *name);

/* The methods of rpc_tx.c. */
json_t *rpc_m_broadcast_tx_sync(const struct devnet_rpc *r, struct call *c);
json_t *rpc_m_broadcast_tx_async(const struct devnet_rpc *r, struct call *c);
json_t *rpc_m_broadcast_tx_commit(const struct devnet_rpc *r, struct call *c);
json_t *rpc_m_tx(const struct devnet_rpc *r, struct call *c);
json_t *rpc_m_tx_search(const struct devnet_rpc *r, struct call *c);
json_t *rpc_m_block_results(const struct devnet_rpc *r, struct call *c);
json_t *rpc_m_num_unconfirmed_txs(const struct devnet_rpc *r, struct call *c);

/* abci_query for the application's gRPC paths (not /store/...): the
 * response object, or NULL with e set. */
json_t *rpc_app_query(const struct devnet_rpc *r, struct call *c, const char *path,
		      const uint8_t *data, size_t len, int64_t height);

#endif
