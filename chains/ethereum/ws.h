/* The websocket side of the Ethereum JSON-RPC client, on libwebsockets.
 *
 * struct ethrpc_loop is one libwebsockets context: one event loop, run on
 * one thread, that any number of connections share (the relayer follows
 * several chains on one loop). struct ethrpc_ws is one long-lived client
 * connection to ws://host:port/path that reconnects by itself with
 * exponential backoff after it fails or closes, and hands complete text
 * messages (fragments joined, capped) to its owner.
 *
 * struct ethrpc_conn joins a connection and a JSON-RPC table (rpc.h): it
 * feeds messages to ethrpc_receive, fails pending requests when the
 * connection closes and expires timed-out requests on a periodic tick.
 *
 * Plain ws:// only: the nodes a relayer follows run next to it or behind
 * a TLS-terminating proxy on loopback; wss:// is refused as unsupported. */
#ifndef PX_CHAINS_ETH_WS_H
#define PX_CHAINS_ETH_WS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chains/ethereum/rpc.h"
#include "common/errors.h"

#define ETHRPC_HOST_MAX 256u
#define ETHRPC_PATH_MAX 512u
/* Largest message accepted (eth_getProof results with many slots are the
 * largest a follower asks for). */
#define ETHRPC_WS_MAX_MESSAGE (16u << 20)
/* Messages queued for sending while not yet written. */
#define ETHRPC_WS_MAX_QUEUE 1024u

struct ethrpc_loop;
struct ethrpc_ws;

/* A ws:// URL split into its parts; the path defaults to "/". */
struct ethrpc_url {
	char host[ETHRPC_HOST_MAX];
	uint16_t port;
	char path[ETHRPC_PATH_MAX];
};

/* Parses "ws://host[:port][/path]" (port 80 by default; IPv6 literals in
 * brackets). PX_E_CONFIG for anything else, PX_E_UNSUPPORTED for wss://.
 * out is zeroed on failure. */
bool ethrpc_url_parse(struct px_err *err, struct ethrpc_url *out, const char *url) PX_MUST_CHECK;

/* Milliseconds of a monotonic clock (the time base of every deadline). */
uint64_t ethrpc_now_ms(void);

bool ethrpc_loop_new(struct px_err *err, struct ethrpc_loop **out) PX_MUST_CHECK;
/* Frees the loop; every connection on it must be freed first. */
void ethrpc_loop_free(struct ethrpc_loop *loop);
/* Runs the loop until ethrpc_loop_stop is called (from a callback) or
 * ms milliseconds have passed. Returns true when stopped, false on
 * timeout. Clears the stop request on entry. */
bool ethrpc_loop_run(struct ethrpc_loop *loop, uint64_t ms);
void ethrpc_loop_stop(struct ethrpc_loop *loop);

struct ethrpc_ws_events {
	void (*open)(void *user);
	void (*close)(void *user, const char *why);
	/* One whole text message, borrowed for the call. */
	void (*message)(void *user, const char *text, size_t len);
	/* Every tick_ms while the connection object exists. */
	void (*tick)(void *user, uint64_t now_ms);
	void *user;
};

struct ethrpc_ws_config {
	struct ethrpc_url url;
	uint64_t backoff_min_ms;	/* 0: 100 ms */
	uint64_t backoff_max_ms;	/* 0: 10 s */
	uint64_t tick_ms;		/* 0: 100 ms */
	size_t max_message;		/* 0: ETHRPC_WS_MAX_MESSAGE */
};

/* Creates the connection and starts connecting (events arrive from the
 * loop). The events table is copied. */
bool ethrpc_ws_new(struct px_err *err, struct ethrpc_ws **out, struct ethrpc_loop *loop,
		   const struct ethrpc_ws_config *cfg,
		   const struct ethrpc_ws_events *ev) PX_MUST_CHECK;
/* Closes and frees; no event runs afterwards. */
void ethrpc_ws_free(struct ethrpc_ws *ws);
/* Queues one text message; false when not connected or the queue is full. */
bool ethrpc_ws_send(struct ethrpc_ws *ws, const char *text, size_t len);
bool ethrpc_ws_connected(const struct ethrpc_ws *ws);
/* Closes the connection now and reconnects after at least hold_ms (and the
 * current backoff). For a peer that misbehaves, and for tests of
 * reconnection. */
void ethrpc_ws_drop(struct ethrpc_ws *ws, uint64_t hold_ms);
/* Connections established so far (the first one counts). */
uint64_t ethrpc_ws_connects(const struct ethrpc_ws *ws);

/* A JSON-RPC connection: rpc is usable by the owner (ethrpc_call with
 * ethrpc_now_ms() as the time); open and close are told to the owner after
 * the rpc table has been updated (close: pending requests already failed). */
struct ethrpc_conn {
	struct ethrpc rpc;
	struct ethrpc_ws *ws;
	void (*open)(void *user);
	void (*close)(void *user, const char *why);
	void *user;
};

bool ethrpc_conn_open(struct px_err *err, struct ethrpc_conn *c, struct ethrpc_loop *loop,
		      const struct ethrpc_ws_config *cfg, void (*open)(void *user),
		      void (*close)(void *user, const char *why), void *user) PX_MUST_CHECK;
/* Fails pending requests ("closed") and frees the connection. */
void ethrpc_conn_close(struct ethrpc_conn *c);

#endif
