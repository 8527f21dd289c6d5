/* The CometBFT 0.38 JSON-RPC methods of the devnet, independent of the
 * transport: chains/devnet/server.c feeds it requests from HTTP POST
 * bodies, GET query strings and websocket messages.
 *
 * Methods: health, status, genesis, abci_info, abci_query, block, header,
 * commit, validators, blockchain, and for transactions (rpc_tx.c)
 * broadcast_tx_sync / async / commit, tx, tx_search, block_results and
 * num_unconfirmed_txs, and devnet_fault (fault.h) on a node started with
 * --admin. Results have the shapes of CometBFT 0.38
 * (int64 as strings, upper-case hex hashes, base64 keys, values and
 * proofs). Errors are JSON-RPC error objects {code, message, data} with
 * CometBFT's codes: -32700 parse error, -32600 invalid request, -32601
 * method not found, -32602 invalid params, -32603 internal error (which
 * CometBFT also uses for a height out of range). */
#ifndef PX_CHAINS_DEVNET_RPC_H
#define PX_CHAINS_DEVNET_RPC_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "chains/devnet/fault.h"
#include "chains/devnet/node.h"

#define DEVNET_RPC_PARSE_ERROR (-32700)
#define DEVNET_RPC_INVALID_REQUEST (-32600)
#define DEVNET_RPC_METHOD_NOT_FOUND (-32601)
#define DEVNET_RPC_INVALID_PARAMS (-32602)
#define DEVNET_RPC_INTERNAL (-32603)

#define DEVNET_RPC_MAX_METHOD 64
#define DEVNET_RPC_BLOCKCHAIN_MAX 20	/* block metas per blockchain call */
#define DEVNET_RPC_PER_PAGE_MAX 100
#define DEVNET_RPC_PER_PAGE_DEFAULT 30

struct devnet_rpc {
	struct devnet_node *node;	/* borrowed */
	char listen_addr[80];		/* "tcp://127.0.0.1:26657", for status */
	struct devnet_faults *faults;	/* borrowed; NULL: none, no admin method */
};

struct devnet_rpc_error {
	int code;
	char data[256];
	/* broadcast_tx_commit whose transaction passed CheckTx: the result
	 * (height "0", empty tx_result) is to be completed by
	 * devnet_rpc_commit_poll once a block includes it. */
	bool pending;
};

#define DEVNET_RPC_COMMIT_TIMEOUT_MS 10000	/* CometBFT's timeout_broadcast_tx_commit */

/* Calls method with params (an object, an array of positional params, or
 * NULL). Returns a new reference to the result, or NULL with e set. */
json_t *devnet_rpc_call(const struct devnet_rpc *r, struct devnet_rpc_error *e, const char *method,
			const json_t *params);

/* A whole response for one request object: {"jsonrpc":"2.0","id":...,
 * "result"|"error"}. Requests that are not objects or lack a method get
 * -32600. New reference (NULL only when out of memory). */
json_t *devnet_rpc_handle(const struct devnet_rpc *r, const json_t *req);
/* As devnet_rpc_handle; *pending (may be NULL) as in devnet_rpc_error. */
json_t *devnet_rpc_handle_ex(const struct devnet_rpc *r, const json_t *req, bool *pending);

/* For a pending broadcast_tx_commit result: true once the transaction is
 * stored, with its tx_result and height filled in (in place). */
bool devnet_rpc_commit_poll(const struct devnet_rpc *r, json_t *result);

/* The Tx events of the transactions of height (an array of event results
 * for the query "tm.event = 'Tx'", new reference), or NULL. */
json_t *devnet_rpc_tx_events(const struct devnet_rpc *r, int64_t height);

/* An error response with CometBFT's message for the code. id NULL means
 * the JSON-RPC id -1 that CometBFT uses where there is none. */
json_t *devnet_rpc_error_response(const json_t *id, int code, const char *data);
json_t *devnet_rpc_result_response(const json_t *id, json_t *result /* stolen */);

/* Query strings of websocket subscriptions: only tm.event = 'NAME'
 * (spaces optional around '='). Writes the event name (NewBlock, Tx, ...)
 * to name; false with a CometBFT-like message in e otherwise. */
bool devnet_rpc_parse_query(struct devnet_rpc_error *e, char *name, size_t name_cap,
			    const char *query);

/* The result of a NewBlock event for height (what a subscription with
 * query `query` receives). New reference, or NULL. */
json_t *devnet_rpc_new_block_event(const struct devnet_rpc *r, int64_t height, const char *query);

#endif
