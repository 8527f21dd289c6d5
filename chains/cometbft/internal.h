/* Internals shared by the files of chains/cometbft/: the client struct,
 * the pending-request table and the height assembly that turns live events
 * and backfill replies into one ordered stream (events.c). Not a public
 * header. */
#ifndef PX_CHAINS_COMETBFT_INTERNAL_H
#define PX_CHAINS_COMETBFT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <libwebsockets.h>

#include "chains/cometbft/client.h"
#include "common/buf.h"
#include "common/errors.h"

#define CMT_LOG "cometbft"
#define CMT_TICK_US 20000		/* timer period: timeouts, retries, reconnects */
#define CMT_BACKFILL_INFLIGHT 16	/* backfill requests in flight at once */
#define CMT_RX_HEAD 256			/* bytes of a message kept to find its id */
#define CMT_METHOD_MAX 32
/* Heights above this (from a node or a caller) are refused, so that
 * last + CMT_WINDOW and last + 1 never overflow. */
#define CMT_HEIGHT_MAX (INT64_MAX / 2)

struct cmt_loop {
	struct lws_context *ctx;
	lws_sorted_usec_list_t wake;
	int depth;			/* > 0 while inside cmt_loop_service */
	size_t clients;
};

/* Replies to the client's own requests (subscribe, status, backfill). */
typedef void (*cmt_internal_fn)(struct cmt_client *c, const struct px_err *err,
				const json_t *result, int64_t tag);

struct cmt_pending {
	uint64_t id;
	char method[CMT_METHOD_MAX];
	uint8_t *msg;			/* LWS_PRE + text, owned; NULL once sent */
	size_t msg_len;			/* text only */
	bool sent;
	int64_t deadline_us;
	uint32_t timeout_ms;
	cmt_reply_fn fn;		/* a caller's request, or */
	void *arg;
	cmt_internal_fn ifn;		/* one of the client's own */
	int64_t tag;
};

/* One height being assembled: its block, results and Tx results by index. */
struct cmt_slot {
	int64_t height;			/* 0: empty */
	json_t *block;			/* owned */
	json_t *results;		/* owned */
	json_t *txs;			/* owned object: "index" -> TxResult */
	size_t ntx;			/* known once block is set */
	bool backfilled;
	bool used_results;		/* txs filled from block_results */
	bool fetching;
	bool fetch_failed;
	int outstanding;		/* backfill replies still expected */
	json_t *bf_block;		/* owned, replies of the current fetch */
	json_t *bf_results;
	int64_t tx_deadline_us;
	int64_t retry_at_us;
};

struct cmt_client {
	struct cmt_loop *loop;
	struct cmt_client_opts opts;
	char url[CMT_MAX_URL + 1];
	char host[256];
	char path[256];
	int port;
	bool tls;

	struct lws *wsi;
	bool open;			/* websocket established */
	enum cmt_conn_state state;
	bool freeing;
	bool close_requested;
	int subs_acked;
	int64_t reconnect_at_us;
	uint32_t backoff_ms;
	lws_sorted_usec_list_t tick;

	struct cmt_pending *pend;	/* unordered */
	size_t npend;
	size_t cap;
	uint64_t next_id;

	struct px_buf rx;
	bool rx_over;
	uint8_t rx_head[CMT_RX_HEAD];
	size_t rx_head_len;

	/* delivery */
	bool have_base;
	int64_t last;			/* last height delivered */
	int64_t target;			/* highest height known to exist */
	struct cmt_slot slots[CMT_WINDOW];
	size_t bf_inflight;

	struct cmt_stats stats;
};

int64_t cmt_now_us(void);

/* Queues one of the client's own requests (params stolen). */
bool cmt_internal_call(struct px_err *err, struct cmt_client *c, const char *method, json_t *params,
		       cmt_internal_fn ifn, int64_t tag) PX_MUST_CHECK;
/* Asks lws to close the connection (a reconnect follows). */
void cmt_conn_drop(struct cmt_client *c, const char *why);
void cmt_conn_ready(struct cmt_client *c);

/* For tests and the fuzz target (tests/fuzz/fuzz_cmt_message.c). */
/* A client that never connects: no loop (c->loop is NULL), no timer, state
 * CMT_DISCONNECTED; requests queue and wait, messages come from
 * cmt_client_feed. Freed with cmt_client_free, which fails what is still
 * pending. Do not pass it to the blocking helpers. */
bool cmt_client_new_offline(struct px_err *err, struct cmt_client **out,
			    const struct cmt_client_opts *opts) PX_MUST_CHECK;
/* Handles buf as one complete incoming websocket message, exactly as the
 * receive path does: the size cap (max_message), JSON parsing, replies
 * matched to pending requests by id, NewBlock / Tx events, then delivery. */
void cmt_client_feed(struct cmt_client *c, const uint8_t *buf, size_t len);

/* events.c */
void cmt_events_init(struct cmt_client *c);
void cmt_events_free(struct cmt_client *c);
void cmt_events_new_block(struct cmt_client *c, const json_t *value);
void cmt_events_tx(struct cmt_client *c, const json_t *value);
void cmt_events_latest(struct cmt_client *c, int64_t latest);
/* Delivers what is complete and starts the fetches that are due. */
void cmt_events_advance(struct cmt_client *c);

#endif
