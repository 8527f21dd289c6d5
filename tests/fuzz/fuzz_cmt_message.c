/* Fuzz target: the CometBFT client's handling of incoming websocket
 * messages (chains/cometbft/client.c handle_message and events.c): JSON
 * parsing, replies matched to pending requests by id (error replies,
 * replies with neither result nor error, ids peeked from malformed text),
 * NewBlock and Tx events through height assembly and delivery, backfill
 * replies, and messages over the size cap.
 *
 * Each input runs twice on a fresh client that never connects
 * (cmt_client_new_offline, state forced to CONNECTED so backfill requests
 * are queued and can be answered): once as one message, once split into two
 * messages at a byte chosen from the input's first two bytes. Before
 * feeding, two requests are pending (ids 1 and 2, as a caller's status and
 * block queries), so replies with matching ids are exercised. Checks: every
 * request callback runs exactly once (on a reply, or at free), and events
 * arrive in chain order (for each height its NewBlock, then its txs by
 * index, heights consecutive). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chains/cometbft/internal.h"
#include "common/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_MESSAGE 3000	/* small, so that the oversized path is reachable */

struct order {
	int64_t height;		/* of the last NewBlock, 0 before the first */
	uint32_t next_tx;
};

static void on_event(void *arg, const struct cmt_event *ev)
{
	struct order *o = arg;

	if (ev->kind == CMT_EVENT_NEW_BLOCK) {
		if (!ev->block || ev->height <= 0 || (o->height && ev->height != o->height + 1))
			abort();
		o->height = ev->height;
		o->next_tx = 0;
	} else if (ev->kind == CMT_EVENT_TX) {
		if (ev->height != o->height || ev->tx_index != o->next_tx || !ev->tx_result)
			abort();
		o->next_tx++;
	} else {
		abort();
	}
}

static void on_reply(void *arg, const struct px_err *err, const json_t *result)
{
	int *calls = arg;

	if ((err == NULL) == (result == NULL))
		abort();
	(*calls)++;
}

static void run(const uint8_t *data, size_t size, size_t split, int64_t start_height)
{
	struct cmt_client_opts opts;
	struct cmt_client *c;
	struct order order = { 0 };
	struct px_err err;
	int calls[2] = { 0, 0 };
	uint64_t id;

	memset(&opts, 0, sizeof(opts));
	opts.url = "ws://127.0.0.1:1/websocket";
	opts.max_message = MAX_MESSAGE;
	opts.subscribe = true;
	opts.start_height = start_height;
	opts.on_event = on_event;
	opts.event_arg = &order;
	px_err_clear(&err);
	if (!cmt_client_new_offline(&err, &c, &opts))
		abort();
	if (!cmt_client_call(&err, c, &id, "status", NULL, 0, on_reply, &calls[0]) || id != 1 ||
	    !cmt_client_call(&err, c, &id, "block", cmt_params_height(3), 0, on_reply, &calls[1]) ||
	    id != 2)
		abort();
	c->state = CMT_CONNECTED;
	order.height = start_height;
	if (split >= size) {
		cmt_client_feed(c, data, size);
	} else {
		cmt_client_feed(c, data, split);
		cmt_client_feed(c, data + split, size - split);
	}
	cmt_client_free(c);
	if (calls[0] != 1 || calls[1] != 1)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	size_t split;

	if (!init) {
		px_log_setup(PX_LOG_OFF, PX_LOG_TEXT, NULL);
		init = 1;
	}
	run(data, size, size, 0);
	split = size >= 2 ? ((size_t)data[0] | (size_t)data[1] << 8) % (size + 1) : 0;
	run(data, size, split, 1);
	return 0;
}
