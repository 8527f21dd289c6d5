/* The devnet's RPC transport: one libwebsockets listener (127.0.0.1 by
 * default) serving CometBFT's JSON-RPC over HTTP POST, the URI form
 * (GET /method?name=value), and websocket (any path, /websocket by
 * convention) with subscribe / unsubscribe / unsubscribe_all for
 * tm.event = 'NewBlock' and 'Tx'. The same event loop produces the
 * blocks, so the node is single-threaded: no locks. A broadcast_tx_commit
 * whose transaction passed CheckTx is answered after the block that holds
 * it (or with a timeout error after DEVNET_RPC_COMMIT_TIMEOUT_MS).
 *
 * Bounds: request bodies and websocket messages of at most
 * DEVNET_SERVER_MAX_BODY bytes (larger: a JSON-RPC error, then the
 * connection is closed), DEVNET_SERVER_MAX_WS websocket clients, at most
 * DEVNET_SERVER_MAX_SUBS subscriptions each, and a websocket client that
 * lets more than DEVNET_SERVER_MAX_QUEUE bytes pile up is disconnected.
 *
 * Fault switches (fault.h) that are the transport's: drop_ws (closes
 * websocket connections) and delay_ms (holds each response back on a
 * timer, so blocks and other clients are not held up). */
#ifndef PX_CHAINS_DEVNET_SERVER_H
#define PX_CHAINS_DEVNET_SERVER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "chains/devnet/fault.h"
#include "chains/devnet/node.h"

#define DEVNET_SERVER_MAX_BODY (1u << 20)
#define DEVNET_SERVER_MAX_WS 64
#define DEVNET_SERVER_MAX_SUBS 16
#define DEVNET_SERVER_MAX_QUEUE (8u << 20)

struct devnet_server_opts {
	const char *host;		/* "127.0.0.1" */
	int port;
	uint64_t block_time_ms;
	struct devnet_faults *faults;	/* borrowed; NULL: no fault switches */
};

/* Serves and produces blocks until *stop becomes non-zero (set it from a
 * signal handler, then call devnet_server_wake). Returns false when the
 * listener cannot be set up. */
bool devnet_server_run(struct px_err *err, struct devnet_node *n,
		       const struct devnet_server_opts *o, volatile sig_atomic_t *stop) PX_MUST_CHECK;

/* Async-signal-safe: wakes the event loop so that it sees *stop. */
void devnet_server_wake(void);

#endif
