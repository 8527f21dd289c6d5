/* Height assembly: turns live NewBlock and Tx events, which CometBFT writes
 * from two subscriptions that race each other on the socket, and the
 * replies of backfill requests into one stream delivered in chain order:
 * for each height its NewBlock, then its Tx events by index, each height
 * exactly once.
 *
 * A height is complete when its block is known (which says how many txs it
 * has) and every tx result is known. Heights between the last delivered
 * and the highest known to exist (from status after each connect, or from
 * a later live NewBlock) that have no block are fetched with block +
 * block_results; a height whose block came live but whose Tx events do not
 * all arrive within tx_wait_ms gets block_results alone. At most
 * CMT_WINDOW heights are buffered; live events further ahead are dropped
 * and fetched later, so memory stays bounded. */
#include <stdio.h>
#include <string.h>

#include "chains/cometbft/internal.h"
#include "common/json.h"
#include "common/log.h"
#include "common/number.h"

#define RETRY_US 500000	/* a failed backfill fetch is retried after this */

static void slot_clear(struct cmt_slot *s)
{
	json_decref(s->block);
	json_decref(s->results);
	json_decref(s->txs);
	json_decref(s->bf_block);
	json_decref(s->bf_results);
	memset(s, 0, sizeof(*s));
}

void cmt_events_init(struct cmt_client *c)
{
	memset(c->slots, 0, sizeof(c->slots));
	c->have_base = c->opts.start_height > 0;
	c->last = c->opts.start_height;
	c->target = c->last;
}

void cmt_events_free(struct cmt_client *c)
{
	for (size_t i = 0; i < CMT_WINDOW; i++)
		slot_clear(&c->slots[i]);
}

/* The slot of h, which must be in (last, last + CMT_WINDOW]; NULL when out
 * of memory. */
static struct cmt_slot *slot_at(struct cmt_client *c, int64_t h)
{
	struct cmt_slot *s = &c->slots[(uint64_t)h % CMT_WINDOW];

	if (s->height != h) {
		slot_clear(s);
		s->height = h;
	}
	if (!s->txs)
		s->txs = json_object();
	return s->txs ? s : NULL;
}

static struct cmt_slot *slot_find(struct cmt_client *c, int64_t h)
{
	struct cmt_slot *s = &c->slots[(uint64_t)h % CMT_WINDOW];

	return (c->have_base && h > c->last && s->height == h) ? s : NULL;
}

static bool in_window(const struct cmt_client *c, int64_t h)
{
	return c->have_base && h > c->last && h - c->last <= CMT_WINDOW;
}

/* Reads the block's height and number of txs. */
static bool block_shape(struct px_err *err, int64_t *height, size_t *ntx, const json_t *block)
{
	json_t *header, *data, *txs;

	if (!json_is_object(block))
		return px_err_set(err, PX_E_JSON, "field 'block': missing or not an object");
	if (!px_json_get_object(err, &header, block, "header") ||
	    !px_json_get_i64(err, height, header, "height"))
		return false;
	if (*height <= 0 || *height > CMT_HEIGHT_MAX)
		return px_err_set(err, PX_E_MALFORMED, "block height %lld", (long long)*height);
	data = json_object_get(block, "data");
	txs = json_is_object(data) ? json_object_get(data, "txs") : NULL;
	if (txs && !json_is_null(txs) && !json_is_array(txs))
		return px_err_set(err, PX_E_JSON, "field 'txs': expected array, got %s",
				  px_json_type_name(txs));
	*ntx = json_is_array(txs) ? json_array_size(txs) : 0;
	return true;
}

/* Drops tx results past the block's count (a node that said otherwise). */
static void prune_txs(struct cmt_slot *s)
{
	const char *key;
	json_t *v, *tmp;

	json_object_foreach_safe(s->txs, tmp, key, v) {
		uint64_t i;

		if (!px_parse_u64(NULL, &i, key, strlen(key)) || i >= s->ntx)
			json_object_del(s->txs, key);
	}
}

static void set_block(struct cmt_client *c, struct cmt_slot *s, json_t *block, json_t *results,
		      size_t ntx)
{
	s->block = json_incref(block);
	s->results = json_incref(results);
	s->ntx = ntx;
	s->tx_deadline_us = cmt_now_us() + (int64_t)c->opts.tx_wait_ms * 1000;
	prune_txs(s);
}

void cmt_events_new_block(struct cmt_client *c, const json_t *value)
{
	json_t *block = json_is_object(value) ? json_object_get(value, "block") : NULL;
	struct cmt_slot *s;
	int64_t h;
	size_t ntx;
	struct px_err err;

	px_err_clear(&err);
	if (!block_shape(&err, &h, &ntx, block)) {
		c->stats.malformed++;
		px_warn(CMT_LOG, "%s: NewBlock event ignored: %s", c->url, err.msg);
		return;
	}
	if (!c->have_base) {
		c->have_base = true;
		c->last = h - 1;
		c->target = c->last;
	}
	if (h <= c->last) {
		c->stats.duplicates++;
		return;
	}
	if (h > c->target)
		c->target = h;
	if (!in_window(c, h))
		return;		/* fetched when the window gets there */
	s = slot_at(c, h);
	if (!s)
		return;
	if (s->block) {
		c->stats.duplicates++;
		return;
	}
	set_block(c, s, block, (json_t *)value, ntx);
}

void cmt_events_tx(struct cmt_client *c, const json_t *value)
{
	json_t *txr = json_is_object(value) ? json_object_get(value, "TxResult") : NULL;
	json_t *idx;
	struct cmt_slot *s;
	int64_t h;
	uint64_t index = 0;
	char key[24];
	struct px_err err;

	px_err_clear(&err);
	if (!json_is_object(txr) || !px_json_get_i64(&err, &h, txr, "height")) {
		c->stats.malformed++;
		px_warn(CMT_LOG, "%s: Tx event ignored: %s", c->url,
			err.msg[0] ? err.msg : "no TxResult");
		return;
	}
	/* index is omitted when 0 (omitempty) */
	idx = json_object_get(txr, "index");
	if (idx && !px_json_get_u64(&err, &index, txr, "index")) {
		c->stats.malformed++;
		return;
	}
	if (!c->have_base || h <= c->last) {
		if (c->have_base)
			c->stats.duplicates++;
		return;		/* before the start: the block's own delivery decides */
	}
	if (!in_window(c, h))
		return;
	s = slot_at(c, h);
	if (!s || (s->block && index >= s->ntx))
		return;
	snprintf(key, sizeof(key), "%llu", (unsigned long long)index);
	if (json_object_get(s->txs, key))
		return;
	json_object_set(s->txs, key, txr);
}

void cmt_events_latest(struct cmt_client *c, int64_t latest)
{
	if (!c->have_base) {
		c->have_base = true;
		c->last = latest;
	}
	if (latest > c->target)
		c->target = latest;
}

/* --- backfill -------------------------------------------------------------- */

static void fetch_done(struct cmt_client *c, struct cmt_slot *s)
{
	json_t *block, *txs, *results;
	int64_t h;
	size_t ntx, n;
	struct px_err err;

	s->fetching = false;
	px_err_clear(&err);
	if (s->fetch_failed)
		goto retry;
	block = s->block ? s->block : s->bf_block;
	if (!block_shape(&err, &h, &ntx, block) || h != s->height) {
		px_err_set(&err, PX_E_MALFORMED, "block reply for another height");
		goto retry;
	}
	if (!px_json_get_i64(&err, &h, s->bf_results, "height") || h != s->height) {
		px_err_set(&err, PX_E_MALFORMED, "block_results reply for another height");
		goto retry;
	}
	results = json_object_get(s->bf_results, "txs_results");
	n = json_is_array(results) ? json_array_size(results) : 0;
	if (n != ntx || (results && !json_is_null(results) && !json_is_array(results))) {
		px_err_set(&err, PX_E_MALFORMED, "block_results has %zu results for %zu txs", n, ntx);
		goto retry;
	}
	if (!s->block) {
		set_block(c, s, s->bf_block, s->bf_results, ntx);
		s->backfilled = true;
		c->stats.backfilled++;
	}
	txs = json_object_get(json_object_get(s->block, "data"), "txs");
	for (size_t i = 0; i < ntx; i++) {
		char key[24], hs[24];
		json_t *tr;

		snprintf(key, sizeof(key), "%zu", i);
		if (json_object_get(s->txs, key))
			continue;
		snprintf(hs, sizeof(hs), "%lld", (long long)s->height);
		tr = json_pack("{s:s, s:I, s:O, s:O}", "height", hs, "index", (json_int_t)i, "tx",
			       json_array_get(txs, i), "result", json_array_get(results, i));
		if (!tr || json_object_set_new(s->txs, key, tr)) {
			px_err_set(&err, PX_E_NOMEM, "out of memory");
			goto retry;
		}
		s->used_results = true;
	}
	json_decref(s->bf_block);
	json_decref(s->bf_results);
	s->bf_block = s->bf_results = NULL;
	return;
retry:
	if (err.msg[0])
		px_warn(CMT_LOG, "%s: backfill of height %lld: %s", c->url, (long long)s->height, err.msg);
	json_decref(s->bf_block);
	json_decref(s->bf_results);
	s->bf_block = s->bf_results = NULL;
	s->fetch_failed = false;
	s->retry_at_us = cmt_now_us() + RETRY_US;
}

static void fetch_reply(struct cmt_client *c, const struct px_err *err, const json_t *result,
			int64_t tag, bool is_block)
{
	int64_t h = tag;
	struct cmt_slot *s;

	c->bf_inflight--;
	s = slot_find(c, h);
	if (!s || !s->fetching)
		return;
	if (err) {
		px_warn(CMT_LOG, "%s: backfill of height %lld: %s", c->url, (long long)h, err->msg);
		s->fetch_failed = true;
	} else if (is_block) {
		json_t *block = json_object_get(result, "block");

		json_decref(s->bf_block);
		s->bf_block = json_incref(block);
		if (!block)
			s->fetch_failed = true;
	} else {
		json_decref(s->bf_results);
		s->bf_results = json_incref((json_t *)result);
	}
	if (--s->outstanding == 0)
		fetch_done(c, s);
}

static void block_reply(struct cmt_client *c, const struct px_err *err, const json_t *result, int64_t tag)
{
	fetch_reply(c, err, result, tag, true);
}

static void results_reply(struct cmt_client *c, const struct px_err *err, const json_t *result,
			  int64_t tag)
{
	fetch_reply(c, err, result, tag, false);
}

static bool fetch_start(struct cmt_client *c, struct cmt_slot *s)
{
	struct px_err err;
	bool need_block = !s->block;

	px_err_clear(&err);
	s->fetching = true;
	s->fetch_failed = false;
	s->outstanding = 0;
	if (need_block) {
		if (!cmt_internal_call(&err, c, "block", cmt_params_height(s->height), block_reply,
				       s->height))
			goto fail;
		s->outstanding++;
		c->bf_inflight++;
	}
	if (!cmt_internal_call(&err, c, "block_results", cmt_params_height(s->height), results_reply,
			       s->height))
		goto fail;
	s->outstanding++;
	c->bf_inflight++;
	return true;
fail:
	/* A request already queued still answers; mark the fetch failed. */
	px_warn(CMT_LOG, "%s: backfill of height %lld: %s", c->url, (long long)s->height, err.msg);
	s->fetch_failed = true;
	if (!s->outstanding)
		fetch_done(c, s);
	return false;
}

static void deliver(struct cmt_client *c, struct cmt_slot *s)
{
	struct cmt_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = CMT_EVENT_NEW_BLOCK;
	ev.height = s->height;
	ev.backfilled = s->backfilled;
	ev.block = s->block;
	ev.results = s->results;
	c->opts.on_event(c->opts.event_arg, &ev);
	for (size_t i = 0; i < s->ntx; i++) {
		char key[24];

		snprintf(key, sizeof(key), "%zu", i);
		memset(&ev, 0, sizeof(ev));
		ev.kind = CMT_EVENT_TX;
		ev.height = s->height;
		ev.backfilled = s->used_results;
		ev.tx_index = (uint32_t)i;
		ev.tx_result = json_object_get(s->txs, key);
		c->opts.on_event(c->opts.event_arg, &ev);
	}
}

void cmt_events_advance(struct cmt_client *c)
{
	int64_t now, hi;

	if (!c->have_base || !c->opts.on_event)
		return;
	for (;;) {
		struct cmt_slot *s = slot_find(c, c->last + 1);

		if (!s || !s->block || json_object_size(s->txs) < s->ntx || s->fetching)
			break;
		deliver(c, s);
		slot_clear(s);
		c->last++;
		c->stats.delivered++;
	}
	if (c->state != CMT_CONNECTED)
		return;
	now = cmt_now_us();
	hi = c->target < c->last + CMT_WINDOW ? c->target : c->last + CMT_WINDOW;
	for (int64_t h = c->last + 1; h <= hi && c->bf_inflight + 2 <= CMT_BACKFILL_INFLIGHT; h++) {
		struct cmt_slot *s = slot_at(c, h);

		if (!s || s->fetching || now < s->retry_at_us)
			continue;
		if (!s->block || (json_object_size(s->txs) < s->ntx && now >= s->tx_deadline_us))
			fetch_start(c, s);
	}
}
