/* A websocket JSON-RPC client for one CometBFT node (ws://host:port/websocket).
 *
 * Where it sits in the relayer data flow: it is the "chain websocket" box of
 * DESIGN.md. It carries the queries the relayer and the light client make
 * (status, commit, validators, block, block_results, abci_query, tx,
 * broadcast_tx_sync) and the NewBlock and Tx events the watcher consumes,
 * and it hides disconnects: after a reconnect it resubscribes and backfills
 * the heights it missed with block + block_results, so the watcher sees
 * every height exactly once, in order.
 *
 * Threading: one event-loop thread (STYLE rule 19). A struct cmt_loop owns
 * one libwebsockets context; any number of clients attach to it, and the
 * thread that owns the loop calls cmt_loop_service() repeatedly. Every
 * callback of this module runs inside cmt_loop_service() on that thread.
 * Nothing here takes a lock; no function may be called from another
 * thread.
 *
 * Memory: JSON handed to callbacks is borrowed for the duration of the call
 * (json_incref to keep it). Request params are stolen. The blocking helpers
 * (cmt_client_call_sync and the light-block provider) run the loop
 * themselves and must not be called from inside a callback (they refuse
 * with PX_E_USAGE). */
#ifndef PX_CHAINS_COMETBFT_CLIENT_H
#define PX_CHAINS_COMETBFT_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/errors.h"
#include "lightclient/tendermint/bisection.h"

#define CMT_MAX_URL 512
#define CMT_MAX_MESSAGE_DEFAULT (16u << 20)	/* bytes of one incoming message */
#define CMT_MAX_MESSAGE_LIMIT (256u << 20)	/* the largest cap a caller may set */
#define CMT_MAX_PENDING 4096			/* requests waiting for a reply */
#define CMT_WINDOW 64				/* heights buffered ahead of delivery */
#define CMT_VALIDATORS_PER_PAGE 100		/* CometBFT's largest page */

struct cmt_loop;
struct cmt_client;

enum cmt_event_kind {
	CMT_EVENT_NEW_BLOCK = 1,
	CMT_EVENT_TX = 2,
};

/* One event, delivered in chain order: for each height the NewBlock, then
 * the height's Tx events by index. The JSON is borrowed for the call.
 * `results` of a NewBlock is the live event's value (which carries
 * result_finalize_block, or result_begin_block / result_end_block before
 * 0.38) or, when backfilled, the block_results result: read the shape you
 * need from either. `tx_result` has the shape of a Tx event's TxResult:
 * {height, index, tx, result}. */
struct cmt_event {
	enum cmt_event_kind kind;
	int64_t height;
	bool backfilled;		/* fetched after a gap, not seen live */
	const json_t *block;		/* NEW_BLOCK: {header, data, evidence, last_commit} */
	const json_t *results;		/* NEW_BLOCK */
	uint32_t tx_index;		/* TX */
	const json_t *tx_result;	/* TX */
};

enum cmt_conn_state {
	CMT_DISCONNECTED = 0,
	CMT_CONNECTING = 1,
	CMT_CONNECTED = 2,	/* open, subscribed (when asked) and caught up on status */
};

typedef void (*cmt_event_fn)(void *arg, const struct cmt_event *ev);
/* err is NULL on success, then result is the reply's `result` (borrowed);
 * on failure result is NULL and err says why: PX_E_RPC (error reply,
 * timeout, connection lost, client closed), PX_E_JSON (malformed reply),
 * PX_E_TOO_LARGE (reply over the size cap). */
typedef void (*cmt_reply_fn)(void *arg, const struct px_err *err, const json_t *result);
/* why is set when the state changes because of a failure. */
typedef void (*cmt_state_fn)(void *arg, enum cmt_conn_state state, const struct px_err *why);

struct cmt_client_opts {
	const char *url;		/* ws://host:port/path or wss:// */
	size_t max_message;		/* 0: CMT_MAX_MESSAGE_DEFAULT */
	uint32_t request_timeout_ms;	/* 0: 10000 */
	uint32_t backoff_min_ms;	/* 0: 100; first reconnect delay */
	uint32_t backoff_max_ms;	/* 0: 30000; doubling stops here */
	uint32_t tx_wait_ms;		/* 0: 2000; wait for a height's Tx events, then
					 * fetch block_results instead */
	bool subscribe;			/* NewBlock and Tx events */
	/* The last height already delivered (a journal cursor): delivery starts
	 * at start_height + 1, backfilling what the node has. 0: start with the
	 * node's latest height at the first connection. */
	int64_t start_height;
	cmt_event_fn on_event;
	void *event_arg;
	cmt_state_fn on_state;		/* optional */
	void *state_arg;
};

/* Counters for metrics and tests. */
struct cmt_stats {
	uint64_t connects;		/* connections established */
	uint64_t disconnects;
	uint64_t unknown_ids;		/* replies nobody waits for */
	uint64_t malformed;		/* messages that are not JSON-RPC */
	uint64_t oversized;		/* messages over max_message */
	uint64_t timeouts;
	uint64_t duplicates;		/* live events for heights already delivered */
	uint64_t backfilled;		/* heights fetched instead of seen live */
	uint64_t delivered;		/* heights delivered */
};

/* --- the loop ------------------------------------------------------------ */

bool cmt_loop_new(struct px_err *err, struct cmt_loop **out) PX_MUST_CHECK;
/* The loop's libwebsockets context, for servers that serve from the same
 * thread (a vhost added to it: relayer/status_http.h). Borrowed. */
struct lws_context;
struct lws_context *cmt_loop_lws_context(struct cmt_loop *loop);
/* Every client of the loop must be freed first. */
void cmt_loop_free(struct cmt_loop *loop);
/* Runs the loop once: waits up to timeout_ms (0: no wait) for activity,
 * handles it (callbacks run here) and returns. Returns false when called
 * from inside a callback of this loop (not reentrant) or on an lws failure. */
bool cmt_loop_service(struct cmt_loop *loop, int timeout_ms);

/* --- a client ------------------------------------------------------------ */

/* Creates a client and starts connecting (the connection proceeds inside
 * cmt_loop_service). The url is checked here (PX_E_CONFIG). */
bool cmt_client_new(struct px_err *err, struct cmt_client **out, struct cmt_loop *loop,
		    const struct cmt_client_opts *opts) PX_MUST_CHECK;
/* Closes the connection; every pending request's callback runs with
 * PX_E_RPC "client closed". Must not be called from this client's callbacks. */
void cmt_client_free(struct cmt_client *c);

/* Sends {"jsonrpc":"2.0","id":N,"method":method,"params":params} (params
 * stolen, NULL for {}). The request waits in the send queue while the client
 * is disconnected; fn runs exactly once, with the reply or a failure. A
 * request already sent when the connection drops fails with PX_E_RPC
 * (callers decide whether to retry; broadcasts are not repeated blindly).
 * timeout_ms 0: the client's default. id_out may be NULL. */
bool cmt_client_call(struct px_err *err, struct cmt_client *c, uint64_t *id_out, const char *method,
		     json_t *params, uint32_t timeout_ms, cmt_reply_fn fn, void *arg) PX_MUST_CHECK;

/* Forgets a pending request without calling its callback. */
bool cmt_client_cancel(struct cmt_client *c, uint64_t id);

/* The blocking form: runs the loop (other clients and events included)
 * until the reply arrives or timeout_ms passes. *result is a new
 * reference. PX_E_USAGE when called from inside a callback. */
bool cmt_client_call_sync(struct px_err *err, json_t **result, struct cmt_client *c,
			  const char *method, json_t *params, uint32_t timeout_ms) PX_MUST_CHECK;

enum cmt_conn_state cmt_client_state(const struct cmt_client *c);
/* The last height delivered to on_event (0 before the first). */
int64_t cmt_client_height(const struct cmt_client *c);
void cmt_client_stats(const struct cmt_client *c, struct cmt_stats *out);

/* --- request params for the queries the relayer makes (new references;
 * NULL when out of memory). Heights are written as strings, as CometBFT
 * expects; height 0 leaves the height out (the latest). ---------------- */

json_t *cmt_params_height(int64_t height);	/* commit, block, block_results */
json_t *cmt_params_validators(int64_t height, uint32_t page, uint32_t per_page);
json_t *cmt_params_abci_query(const char *path, const uint8_t *data, size_t data_len,
			      int64_t height, bool prove);
json_t *cmt_params_tx(const uint8_t *hash, size_t hash_len, bool prove);
json_t *cmt_params_broadcast_tx(const uint8_t *tx, size_t tx_len);
json_t *cmt_params_subscribe(const char *query);

/* --- light blocks ---------------------------------------------------------- */

/* Fetches /commit at height (0: latest) and every page of /validators at
 * the block's height and at height + 1, and decodes them into a light
 * block, blocking (cmt_client_call_sync) with timeout_ms per request. The
 * block is unverified. */
bool cmt_light_block_fetch(struct px_err *err, struct tm_light_block *out, struct cmt_client *c,
			   int64_t height, uint32_t timeout_ms) PX_MUST_CHECK;

/* Every validator at height, across pages, as a JSON array (new
 * reference). Refuses more than TM_MAX_VALIDATORS and pages that disagree
 * on the total or the height. */
bool cmt_validators_fetch(struct px_err *err, json_t **out, struct cmt_client *c, int64_t height,
			  uint32_t timeout_ms) PX_MUST_CHECK;

/* A bisection provider over c (which must outlive it): cmt_light_block_fetch
 * with the client's request timeout. It blocks; call tm_bisect from the
 * loop's thread, outside callbacks. */
struct tm_provider cmt_client_provider(struct cmt_client *c);

#endif
