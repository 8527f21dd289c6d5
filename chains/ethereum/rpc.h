/* JSON-RPC 2.0 as Ethereum nodes speak it over a websocket: requests with
 * numeric ids, a table of pending requests each with its callback and
 * deadline, replies matched by id in whatever order they arrive, and
 * subscription notifications (eth_subscription) passed to one handler.
 *
 * This module does no I/O and reads no clock: the transport is a send
 * function given at init (chains/ethereum/ws.c in the daemon, a fake in the
 * tests), incoming text is fed with ethrpc_receive, and the caller passes
 * the current time in milliseconds. Everything runs on one thread.
 *
 * Ownership: callbacks get borrowed JSON that lives only for the call.
 * A request's slot is freed before its callback runs, so a callback may
 * issue new requests. Every request's callback runs exactly once: with the
 * result, with an error reply, on timeout (ethrpc_expire) or when the
 * connection goes away (ethrpc_fail_all). */
#ifndef PX_CHAINS_ETH_RPC_H
#define PX_CHAINS_ETH_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/errors.h"

/* Requests in flight on one connection. */
#define ETHRPC_MAX_PENDING 256u
/* Longest method name kept for messages. */
#define ETHRPC_METHOD_MAX 40u
/* Longest subscription id accepted (nodes send 0x + 32 hex digits). */
#define ETHRPC_SUB_ID_MAX 80u

/* Sends one text message; false when it cannot be queued. */
typedef bool (*ethrpc_send_fn)(void *transport, const char *text, size_t len);
/* err is NULL when result holds the reply's "result" (possibly JSON null). */
typedef void (*ethrpc_reply_fn)(void *user, const struct px_err *err, json_t *result);
/* One eth_subscription notification: its subscription id and "result". */
typedef void (*ethrpc_notify_fn)(void *user, const char *subscription, json_t *result);

struct ethrpc_pending {
	bool used;
	uint64_t id;
	uint64_t deadline_ms;
	ethrpc_reply_fn cb;
	void *user;
	char method[ETHRPC_METHOD_MAX];
};

struct ethrpc_stats {
	uint64_t sent;
	uint64_t replies;
	uint64_t error_replies;		/* replies carrying "error" */
	uint64_t timeouts;
	uint64_t unknown_ids;		/* replies to no pending request */
	uint64_t malformed;		/* messages that are not JSON-RPC */
	uint64_t notifications;
};

struct ethrpc {
	ethrpc_send_fn send;
	void *transport;
	ethrpc_notify_fn notify;
	void *notify_user;
	uint64_t next_id;
	size_t npending;
	struct ethrpc_pending pending[ETHRPC_MAX_PENDING];
	struct ethrpc_stats stats;
};

void ethrpc_init(struct ethrpc *r, ethrpc_send_fn send, void *transport);
void ethrpc_set_notify(struct ethrpc *r, ethrpc_notify_fn notify, void *user);

/* Sends {"jsonrpc":"2.0","id":N,"method":method,"params":params} and
 * records the request. params is stolen (NULL sends []). *id_out (may be
 * NULL) gets the id. False, with cb not called, when the table is full
 * (PX_E_TOO_LARGE), the transport refuses (PX_E_IO) or out of memory. */
bool ethrpc_call(struct ethrpc *r, struct px_err *err, uint64_t *id_out, const char *method,
		 json_t *params, uint64_t now_ms, uint64_t timeout_ms, ethrpc_reply_fn cb,
		 void *user) PX_MUST_CHECK;

/* Handles one incoming message. A reply runs its request's callback; an
 * error reply runs it with PX_E_RPC and the node's code and message; a
 * reply with neither result nor error runs it with PX_E_JSON. False, with
 * err set and nothing called, for a message that is not JSON-RPC
 * (PX_E_JSON), a reply to no pending request (PX_E_RPC) or a batch
 * (PX_E_UNSUPPORTED); the connection stays usable. */
bool ethrpc_receive(struct ethrpc *r, struct px_err *err, const char *text,
		    size_t len) PX_MUST_CHECK;

/* Runs the callbacks of requests whose deadline has passed (PX_E_RPC,
 * "timeout"). Returns how many. */
size_t ethrpc_expire(struct ethrpc *r, uint64_t now_ms);

/* Runs the callback of every request pending when called with PX_E_RPC and
 * why (the connection closed). Requests made by those callbacks stay. */
void ethrpc_fail_all(struct ethrpc *r, const char *why);

/* Forgets a pending request without running its callback. */
bool ethrpc_cancel(struct ethrpc *r, uint64_t id);

size_t ethrpc_pending_count(const struct ethrpc *r);

#endif
