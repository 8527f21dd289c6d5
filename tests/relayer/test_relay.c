/* Unit tests of the relaying engine's pure half (relayer/relay_plan.c):
 * packet events into journal records (good events, other channels
 * ignored, malformed attributes refused), whole heights from the event
 * stream, batch sizes under max_msgs, and the per-packet decisions for
 * every journal state (skip, resume, timeout), plus the journal's new
 * record_height / payload operations they rely on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "relayer/relay.h"

/* An event as the devnet (and ibc-go) writes it; extra "k=v" pairs
 * override or add attributes, "k=" with no value drops one. */
static json_t *event(const char *type, ...)
{
	static const char *const base[][2] = {
		{ "packet_data", "{}" },
		{ "packet_data_hex", "7b7d" },
		{ "packet_timeout_height", "1-500" },
		{ "packet_timeout_timestamp", "0" },
		{ "packet_sequence", "7" },
		{ "packet_src_port", "transfer" },
		{ "packet_src_channel", "channel-0" },
		{ "packet_dst_port", "transfer" },
		{ "packet_dst_channel", "channel-3" },
		{ "packet_connection", "connection-0" },
	};
	json_t *attrs = json_array();
	const char *over[16][2];
	size_t n_over = 0;
	va_list ap;
	const char *kv;

	va_start(ap, type);
	while ((kv = va_arg(ap, const char *)) && n_over < 16) {
		static char keys[16][64];
		const char *eq = strchr(kv, '=');

		snprintf(keys[n_over], sizeof(keys[n_over]), "%.*s", (int)(eq - kv), kv);
		over[n_over][0] = keys[n_over];
		over[n_over][1] = eq + 1;
		n_over++;
	}
	va_end(ap);
	for (size_t i = 0; i < sizeof(base) / sizeof(base[0]); i++) {
		const char *v = base[i][1];

		for (size_t k = 0; k < n_over; k++)
			if (strcmp(over[k][0], base[i][0]) == 0)
				v = over[k][1];
		if (*v || strcmp(base[i][0], "packet_data") == 0)
			json_array_append_new(attrs, json_pack("{s:s, s:s}", "key", base[i][0], "value",
							       v));
	}
	for (size_t k = 0; k < n_over; k++) {
		bool known = false;

		for (size_t i = 0; i < sizeof(base) / sizeof(base[0]); i++)
			known = known || strcmp(over[k][0], base[i][0]) == 0;
		if (!known && *over[k][1])
			json_array_append_new(attrs, json_pack("{s:s, s:s}", "key", over[k][0],
							       "value", over[k][1]));
	}
	return json_pack("{s:s, s:o}", "type", type, "attributes", attrs);
}

static void test_parse_send(void **state)
{
	struct px_err err = { 0 };
	struct rly_ev ev;
	json_t *e = event("send_packet", NULL);

	(void)state;
	assert_true(rly_ev_parse(&err, &ev, e));
	assert_int_equal(ev.kind, RLY_EV_SEND);
	assert_int_equal(ev.packet.sequence, 7);
	assert_string_equal(ev.packet.source_channel, "channel-0");
	assert_string_equal(ev.packet.destination_channel, "channel-3");
	assert_int_equal(ev.packet.timeout_height.revision_number, 1);
	assert_int_equal(ev.packet.timeout_height.revision_height, 500);
	assert_int_equal(ev.packet.data.len, 2);
	assert_memory_equal(ev.packet.data.ptr, "{}", 2);
	rly_ev_free(&ev);
	json_decref(e);

	/* other event types are not an error, and not a packet */
	e = json_pack("{s:s, s:[]}", "type", "transfer", "attributes");
	assert_true(rly_ev_parse(&err, &ev, e));
	assert_int_equal(ev.kind, RLY_EV_OTHER);
	json_decref(e);
}

static void test_parse_ack(void **state)
{
	struct px_err err = { 0 };
	struct rly_ev ev;
	json_t *e = event("write_acknowledgement", "packet_ack_hex=7b22726573756c74223a224151413d227d",
			  NULL);

	(void)state;
	assert_true(rly_ev_parse(&err, &ev, e));
	assert_int_equal(ev.kind, RLY_EV_WRITE_ACK);
	assert_int_equal(ev.ack.len, 17);
	rly_ev_free(&ev);
	json_decref(e);

	/* a write_acknowledgement without its ack is refused */
	e = event("write_acknowledgement", NULL);
	assert_false(rly_ev_parse(&err, &ev, e));
	assert_int_equal(err.code, PX_E_MALFORMED);
	assert_non_null(strstr(err.msg, "packet_ack_hex"));
	json_decref(e);
}

static void expect_malformed(const char *what, const char *kv)
{
	struct px_err err = { 0 };
	struct rly_ev ev;
	json_t *e = event("send_packet", kv, NULL);

	if (rly_ev_parse(&err, &ev, e))
		fail_msg("%s: accepted", what);
	assert_int_equal(err.code, PX_E_MALFORMED);
	assert_int_equal(ev.kind, RLY_EV_OTHER);
	assert_null(ev.data.data);
	json_decref(e);
}

static void test_parse_malformed(void **state)
{
	(void)state;
	expect_malformed("sequence 0", "packet_sequence=0");
	expect_malformed("sequence text", "packet_sequence=7x");
	expect_malformed("sequence sign", "packet_sequence=-7");
	expect_malformed("sequence overflow", "packet_sequence=18446744073709551616");
	expect_malformed("no sequence", "packet_sequence=");
	expect_malformed("timeout height form", "packet_timeout_height=500");
	expect_malformed("timeout height dash", "packet_timeout_height=1-");
	expect_malformed("timeout height junk", "packet_timeout_height=1-5x");
	expect_malformed("timeout timestamp", "packet_timeout_timestamp=1e9");
	expect_malformed("no timeout at all", "packet_timeout_height=0-0");
	expect_malformed("odd hex", "packet_data_hex=7b7");
	expect_malformed("bad hex", "packet_data_hex=zz");
	expect_malformed("empty data", "packet_data_hex=");
	expect_malformed("bad channel id", "packet_src_channel=chan/0");
	expect_malformed("short port", "packet_dst_port=t");
	{	/* an attribute twice is ambiguous */
		struct px_err err = { 0 };
		struct rly_ev ev;
		json_t *e = event("send_packet", NULL);

		json_array_append_new(json_object_get(e, "attributes"),
				      json_pack("{s:s, s:s}", "key", "packet_sequence", "value", "8"));
		assert_false(rly_ev_parse(&err, &ev, e));
		assert_non_null(strstr(err.msg, "repeated"));
		json_decref(e);
	}
	{	/* a value that is not a string */
		struct px_err err = { 0 };
		struct rly_ev ev;
		json_t *e = json_pack("{s:s, s:[{s:s, s:i}]}", "type", "send_packet", "attributes",
				      "key", "packet_sequence", "value", 7);

		assert_false(rly_ev_parse(&err, &ev, e));
		json_decref(e);
	}
}

static const struct rly_route routes[] = {
	{ "ab", { "chain-a", "chain-b" }, { "transfer", "transfer" }, { "channel-0", "channel-3" } },
};

/* Feeds one block of txs (each a list of events) to a watch. */
static void block(struct rly_watch *w, int64_t h, json_t *const *tx_events, size_t ntx,
		  uint32_t bad_code_mask)
{
	json_t *txs = json_array(), *blk;
	struct cmt_event ev;

	for (size_t i = 0; i < ntx; i++)
		json_array_append_new(txs, json_string("AA=="));
	blk = json_pack("{s:{s:o}}", "data", "txs", txs);
	memset(&ev, 0, sizeof(ev));
	ev.kind = CMT_EVENT_NEW_BLOCK;
	ev.height = h;
	ev.block = blk;
	rly_watch_event(w, &ev);
	for (size_t i = 0; i < ntx; i++) {
		json_t *tr = json_pack("{s:O, s:{s:i, s:O}}", "height", json_null(), "result", "code",
				       (bad_code_mask >> i) & 1 ? 5 : 0, "events", tx_events[i]);

		memset(&ev, 0, sizeof(ev));
		ev.kind = CMT_EVENT_TX;
		ev.height = h;
		ev.tx_index = (uint32_t)i;
		ev.tx_result = tr;
		rly_watch_event(w, &ev);
		json_decref(tr);
	}
	json_decref(blk);
}

static void test_watch_heights(void **state)
{
	struct rly_watch w;
	struct rly_height *h;
	json_t *tx[3];

	(void)state;
	rly_watch_init(&w, "chain-a", routes, 1, NULL);
	/* empty heights fold into one entry */
	block(&w, 10, NULL, 0, 0);
	block(&w, 11, NULL, 0, 0);
	block(&w, 12, NULL, 0, 0);
	tx[0] = json_pack("[o, o, o]", event("send_packet", NULL),
			  /* another channel of this chain: not ours */
			  event("send_packet", "packet_src_channel=channel-9", "packet_sequence=1", NULL),
			  event("send_packet", "packet_sequence=x", NULL));
	/* b's channel on chain-a: write_ack for a packet of chain-b */
	tx[1] = json_pack("[o]", event("write_acknowledgement", "packet_src_channel=channel-3",
				       "packet_dst_channel=channel-0", "packet_sequence=4",
				       "packet_ack_hex=0102", NULL));
	/* a failed tx's events do not count */
	tx[2] = json_pack("[o]", event("send_packet", "packet_sequence=99", NULL));
	block(&w, 13, tx, 2, 0);
	json_decref(tx[0]);
	json_decref(tx[1]);
	assert_int_equal(w.queued, 2);	/* 10..12 folded, then 13 */
	h = rly_watch_pop(&w);
	assert_non_null(h);
	assert_int_equal(h->height, 12);
	assert_int_equal(h->n_sent + h->n_acks, 0);
	rly_height_free(h);
	h = rly_watch_pop(&w);
	assert_non_null(h);
	assert_int_equal(h->height, 13);
	assert_int_equal(h->n_sent, 1);
	assert_string_equal(h->sent[0].key.src_chain, "chain-a");
	assert_string_equal(h->sent[0].dst_chain, "chain-b");
	assert_string_equal(h->sent[0].dst_channel, "channel-3");
	assert_int_equal(h->sent[0].key.sequence, 7);
	assert_int_equal(h->sent[0].send_height, 13);
	assert_int_equal(h->sent[0].timeout_height, 500);
	assert_int_equal(h->sent[0].data_len, 2);
	assert_int_equal(h->n_acks, 1);
	assert_string_equal(h->acks[0].key.src_chain, "chain-b");
	assert_string_equal(h->acks[0].key.src_channel, "channel-3");
	assert_int_equal(h->acks[0].key.sequence, 4);
	assert_int_equal(h->acks[0].ack_len, 2);
	rly_height_free(h);
	assert_int_equal(w.malformed, 1);
	{
		json_t *one[1] = { tx[2] };

		block(&w, 14, one, 1, 1);
	}
	h = rly_watch_pop(&w);
	assert_non_null(h);
	assert_int_equal(h->height, 14);
	assert_int_equal(h->n_sent, 0);
	assert_int_equal(w.failed_tx, 1);
	rly_height_free(h);
	json_decref(tx[2]);
	assert_null(rly_watch_pop(&w));
	rly_watch_free(&w);
}

static void test_watch_incomplete_height(void **state)
{
	struct rly_watch w;
	json_t *tx[2];
	struct cmt_event ev;
	json_t *blk = json_pack("{s:{s:[s, s]}}", "data", "txs", "AA==", "AA==");

	(void)state;
	rly_watch_init(&w, "chain-a", routes, 1, NULL);
	memset(&ev, 0, sizeof(ev));
	ev.kind = CMT_EVENT_NEW_BLOCK;
	ev.height = 20;
	ev.block = blk;
	rly_watch_event(&w, &ev);
	/* one of two txs: the height is not complete, nothing to journal */
	tx[0] = json_pack("{s:{s:i, s:[o]}}", "result", "code", 0, "events",
			  event("send_packet", NULL));
	ev.kind = CMT_EVENT_TX;
	ev.tx_result = tx[0];
	rly_watch_event(&w, &ev);
	assert_null(rly_watch_pop(&w));
	/* the second completes it */
	tx[1] = json_pack("{s:{s:i, s:[]}}", "result", "code", 0, "events");
	ev.tx_result = tx[1];
	ev.tx_index = 1;
	rly_watch_event(&w, &ev);
	{
		struct rly_height *h = rly_watch_pop(&w);

		assert_non_null(h);
		assert_int_equal(h->n_sent, 1);
		rly_height_free(h);
	}
	json_decref(tx[0]);
	json_decref(tx[1]);
	json_decref(blk);
	rly_watch_free(&w);
}

static void test_watch_filter(void **state)
{
	struct rly_config cfg;
	struct rly_filter_entry deny = { "transfer", "channel-0" };
	struct rly_height h;
	struct rly_ev ev;
	struct px_err err = { 0 };
	json_t *e = event("send_packet", NULL);

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.filter_policy = RLY_FILTER_DENY;
	cfg.filter = &deny;
	cfg.n_filter = 1;
	memset(&h, 0, sizeof(h));
	assert_true(rly_ev_parse(&err, &ev, e));
	assert_true(rly_watch_take(&h, "chain-a", routes, 1, &cfg, &ev, 5));
	assert_int_equal(h.n_sent, 0);
	cfg.filter_policy = RLY_FILTER_NONE;
	assert_true(rly_watch_take(&h, "chain-a", routes, 1, &cfg, &ev, 5));
	assert_int_equal(h.n_sent, 1);
	/* the same event seen on chain-b is not a route of chain-b's side */
	assert_true(rly_watch_take(&h, "chain-b", routes, 1, NULL, &ev, 5));
	assert_int_equal(h.n_sent, 1);
	free((void *)h.sent[0].data);
	free(h.sent);
	rly_ev_free(&ev);
	json_decref(e);
}

static void test_batch(void **state)
{
	(void)state;
	assert_int_equal(rly_plan_batch(100, 0, 30), 30);
	assert_int_equal(rly_plan_batch(100, 1, 30), 29);
	assert_int_equal(rly_plan_batch(5, 1, 30), 5);
	assert_int_equal(rly_plan_batch(5, 3, 4), 1);
	assert_int_equal(rly_plan_batch(5, 1, 1), 0);	/* the update goes alone */
	assert_int_equal(rly_plan_batch(5, 2, 1), 0);
	assert_int_equal(rly_plan_batch(0, 0, 30), 0);
	assert_int_equal(rly_plan_batch(3, 0, 0), 1);	/* max_msgs 0 is taken as 1 */
	/* a run of batches never exceeds max_msgs and covers every packet */
	for (size_t max = 1; max <= 100; max += 7) {
		size_t left = 250, txs = 0;

		while (left) {
			size_t upd = txs % 3 == 0 ? 1 : 0, k = rly_plan_batch(left, upd, max);

			assert_true(k + upd <= max);
			left -= k;
			txs++;
			assert_true(txs < 1000);
		}
	}
}

static enum rly_action act(enum rly_packet_state s, bool received, bool committed, bool has_ack,
			   bool timed_out, bool near, bool fresh)
{
	struct rly_facts f = { received, committed, has_ack, timed_out, near, fresh };

	return rly_plan_action(s, &f);
}

static void test_decisions(void **state)
{
	(void)state;
	/* sent: recv, unless already received, timed out, or too close */
	assert_int_equal(act(RLY_PKT_SENT, false, true, false, false, false, false), RLY_ACT_RECV);
	assert_int_equal(act(RLY_PKT_SENT, true, true, false, false, false, false),
			 RLY_ACT_MARK_RECEIVED);
	assert_int_equal(act(RLY_PKT_SENT, true, true, false, true, true, false),
			 RLY_ACT_MARK_RECEIVED);
	assert_int_equal(act(RLY_PKT_SENT, false, true, false, true, true, false), RLY_ACT_TIMEOUT);
	assert_int_equal(act(RLY_PKT_SENT, false, true, false, false, true, false), RLY_ACT_WAIT);
	/* resume: a recv_submitted left by a crash is checked on the
	 * destination, and resent only once its tx can no longer land */
	assert_int_equal(act(RLY_PKT_RECV_SUBMITTED, true, true, false, false, false, true),
			 RLY_ACT_MARK_RECEIVED);
	assert_int_equal(act(RLY_PKT_RECV_SUBMITTED, false, true, false, false, false, true),
			 RLY_ACT_WAIT);
	assert_int_equal(act(RLY_PKT_RECV_SUBMITTED, false, true, false, false, false, false),
			 RLY_ACT_RECV);
	assert_int_equal(act(RLY_PKT_RECV_SUBMITTED, false, true, false, true, false, false),
			 RLY_ACT_TIMEOUT);
	assert_int_equal(act(RLY_PKT_TIMEOUT_SUBMITTED, false, true, false, true, true, true),
			 RLY_ACT_WAIT);
	assert_int_equal(act(RLY_PKT_TIMEOUT_SUBMITTED, false, true, false, true, true, false),
			 RLY_ACT_TIMEOUT);
	assert_int_equal(act(RLY_PKT_TIMEOUT_SUBMITTED, true, true, false, true, true, false),
			 RLY_ACT_MARK_RECEIVED);
	/* received: ack once the bytes are known; nothing when the source
	 * already dropped the commitment */
	assert_int_equal(act(RLY_PKT_RECEIVED, true, true, true, false, false, false), RLY_ACT_ACK);
	assert_int_equal(act(RLY_PKT_RECEIVED, true, true, false, false, false, false), RLY_ACT_WAIT);
	assert_int_equal(act(RLY_PKT_RECEIVED, true, false, true, false, false, false),
			 RLY_ACT_MARK_ACKED);
	assert_int_equal(act(RLY_PKT_ACK_SUBMITTED, true, true, true, false, false, true),
			 RLY_ACT_WAIT);
	assert_int_equal(act(RLY_PKT_ACK_SUBMITTED, true, false, true, false, false, true),
			 RLY_ACT_MARK_ACKED);
	assert_int_equal(act(RLY_PKT_ACK_SUBMITTED, true, true, true, false, false, false),
			 RLY_ACT_ACK);
	/* final states */
	assert_int_equal(act(RLY_PKT_ACKED, true, true, true, true, true, true), RLY_ACT_NONE);
	assert_int_equal(act(RLY_PKT_TIMED_OUT, false, true, true, true, true, true), RLY_ACT_NONE);
	assert_int_equal(act(RLY_PKT_FAILED, false, true, true, true, true, true), RLY_ACT_NONE);
	assert_string_equal(rly_action_name(RLY_ACT_MARK_ACKED), "mark_acked");
	assert_string_equal(rly_action_name((enum rly_action)99), "unknown");

	assert_true(rly_plan_fresh(RLY_PKT_RECV_SUBMITTED, 1000, 1500, 1000));
	assert_false(rly_plan_fresh(RLY_PKT_RECV_SUBMITTED, 1000, 2000, 1000));
	assert_false(rly_plan_fresh(RLY_PKT_SENT, 1000, 1500, 1000));
	assert_true(rly_plan_fresh(RLY_PKT_ACK_SUBMITTED, 1000, 1999, 1000));
}

static void test_timeouts(void **state)
{
	struct rly_packet_sent p;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.timeout_revision = 1;
	p.timeout_height = 100;
	assert_false(rly_plan_timed_out(&p, 1, 99, 0));
	assert_true(rly_plan_timed_out(&p, 1, 100, 0));
	assert_true(rly_plan_timed_out(&p, 2, 1, 0));	/* a later revision */
	assert_false(rly_plan_timed_out(&p, 0, 500, 0));
	p.timeout_height = 0;
	p.timeout_revision = 0;
	p.timeout_timestamp = 5000000000ull;
	assert_false(rly_plan_timed_out(&p, 1, 1000000, 4999999999ull));
	assert_true(rly_plan_timed_out(&p, 1, 1, 5000000000ull));
	/* neither set: never */
	p.timeout_timestamp = 0;
	assert_false(rly_plan_timed_out(&p, 9, UINT64_MAX, UINT64_MAX));
}

/* The journal operations the engine relies on: heights with packets,
 * acks and the cursor in one transaction; the bytes back. */
static void test_journal_heights(void **state)
{
	char path[] = "/tmp/test_relay_journal_XXXXXX";
	struct rly_journal *j = NULL;
	struct px_err err = { 0 };
	struct rly_packet_sent s;
	struct rly_packet_ack a;
	struct px_buf data = PX_BUF_INIT, ack = PX_BUF_INIT;
	uint64_t cursor = 0, ack_h = 0;
	size_t ins = 0;
	bool found = false;
	int fd = mkstemp(path);
	char wal[64], shm[64];

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_true(rly_journal_open_sqlite(&err, &j, path));
	memset(&s, 0, sizeof(s));
	snprintf(s.key.src_chain, sizeof(s.key.src_chain), "chain-a");
	snprintf(s.key.src_port, sizeof(s.key.src_port), "transfer");
	snprintf(s.key.src_channel, sizeof(s.key.src_channel), "channel-0");
	s.key.sequence = 1;
	snprintf(s.dst_chain, sizeof(s.dst_chain), "chain-b");
	snprintf(s.dst_port, sizeof(s.dst_port), "transfer");
	snprintf(s.dst_channel, sizeof(s.dst_channel), "channel-3");
	s.send_height = 5;
	s.timeout_height = 100;
	s.data = (const uint8_t *)"hello";
	s.data_len = 5;
	memset(&a, 0, sizeof(a));
	a.key = s.key;
	a.height = 9;
	a.ack = (const uint8_t *)"\x01\x02";
	a.ack_len = 2;
	assert_true(rly_journal_record_height(j, &err, "chain-a", 5, &s, 1, NULL, 0, &ins));
	assert_int_equal(ins, 1);
	assert_true(rly_journal_cursor_get(j, &err, "chain-a", &cursor, &found));
	assert_true(found);
	assert_int_equal(cursor, 5);
	/* replayed after a restart: nothing new, the cursor stays */
	assert_true(rly_journal_record_height(j, &err, "chain-a", 5, &s, 1, NULL, 0, &ins));
	assert_int_equal(ins, 0);
	/* backwards is refused, and nothing of it is kept */
	s.key.sequence = 2;
	assert_false(rly_journal_record_height(j, &err, "chain-a", 4, &s, 1, NULL, 0, &ins));
	assert_int_equal(err.code, PX_E_USAGE);
	px_err_clear(&err);
	assert_true(rly_journal_payload(j, &err, &s.key, &data, NULL, NULL, &found));
	assert_false(found);
	s.key.sequence = 1;
	/* the ack, from the other chain's cursor, and again (ignored) */
	assert_true(rly_journal_record_height(j, &err, "chain-b", 9, NULL, 0, &a, 1, NULL));
	assert_true(rly_journal_record_height(j, &err, NULL, 9, NULL, 0, &a, 1, NULL));
	assert_true(rly_journal_payload(j, &err, &s.key, &data, &ack, &ack_h, &found));
	assert_true(found);
	assert_int_equal(data.len, 5);
	assert_memory_equal(data.data, "hello", 5);
	assert_int_equal(ack.len, 2);
	assert_int_equal(ack_h, 9);
	/* an empty ack is refused */
	a.ack_len = 0;
	assert_false(rly_journal_record_height(j, &err, NULL, 9, NULL, 0, &a, 1, NULL));
	px_buf_free(&data);
	px_buf_free(&ack);
	rly_journal_close(j);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	snprintf(shm, sizeof(shm), "%s-shm", path);
	unlink(path);
	unlink(wal);
	unlink(shm);
}

/* A journal written by schema version 1 (no packet data, no acks) is
 * upgraded in place on open; its packets are there without data. */
static void test_journal_upgrade(void **state)
{
	static const char v1[] =
		"CREATE TABLE packets (src_chain TEXT NOT NULL, src_port TEXT NOT NULL,"
		" src_channel TEXT NOT NULL, sequence INTEGER NOT NULL, dst_chain TEXT NOT NULL,"
		" dst_port TEXT NOT NULL, dst_channel TEXT NOT NULL, send_height INTEGER NOT NULL,"
		" timeout_revision INTEGER NOT NULL, timeout_height INTEGER NOT NULL,"
		" timeout_timestamp INTEGER NOT NULL, state TEXT NOT NULL, reason TEXT, recv_tx TEXT,"
		" recv_height INTEGER, ack_tx TEXT, ack_height INTEGER, timeout_tx TEXT,"
		" timeout_tx_height INTEGER, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL,"
		" transitions INTEGER NOT NULL DEFAULT 0, claimed_by TEXT, claim_until_ms INTEGER,"
		" PRIMARY KEY (src_chain, src_port, src_channel, sequence)) WITHOUT ROWID;"
		"CREATE TABLE packet_events (src_chain TEXT NOT NULL, src_port TEXT NOT NULL,"
		" src_channel TEXT NOT NULL, sequence INTEGER NOT NULL, n INTEGER NOT NULL,"
		" from_state TEXT, to_state TEXT NOT NULL, tx_hash TEXT, height INTEGER, reason TEXT,"
		" at_ms INTEGER NOT NULL, PRIMARY KEY (src_chain, src_port, src_channel, sequence, n))"
		" WITHOUT ROWID;"
		"CREATE TABLE cursors (chain TEXT PRIMARY KEY, height INTEGER NOT NULL,"
		" updated_ms INTEGER NOT NULL);"
		"INSERT INTO packets VALUES ('chain-a','transfer','channel-0',1,'chain-b','transfer',"
		"'channel-3',5,0,100,0,'sent',NULL,NULL,NULL,NULL,NULL,NULL,NULL,1,1,0,NULL,NULL);"
		"PRAGMA user_version=1;";
	char path[] = "/tmp/test_relay_v1_XXXXXX", wal[64], shm[64];
	struct rly_packet_key k;
	struct rly_journal *j = NULL;
	struct px_err err = { 0 };
	struct px_buf data = PX_BUF_INIT;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	bool found = false;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, v1, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_true(rly_journal_open_sqlite(&err, &j, path));
	memset(&k, 0, sizeof(k));
	snprintf(k.src_chain, sizeof(k.src_chain), "chain-a");
	snprintf(k.src_port, sizeof(k.src_port), "transfer");
	snprintf(k.src_channel, sizeof(k.src_channel), "channel-0");
	k.sequence = 1;
	assert_true(rly_journal_payload(j, &err, &k, &data, NULL, NULL, &found));
	assert_true(found);
	assert_int_equal(data.len, 0);
	rly_journal_close(j);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 3);	/* 1 -> current */
	sqlite3_finalize(st);
	/* a newer schema than this build knows is refused */
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version=4", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_false(rly_journal_open_sqlite(&err, &j, path));
	assert_int_equal(err.code, PX_E_CONFIG);
	px_buf_free(&data);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	snprintf(shm, sizeof(shm), "%s-shm", path);
	unlink(path);
	unlink(wal);
	unlink(shm);
}

#define SEC 1000000000ull

/* rly_plan_refresh: refresh after refresh x period, a warning in the last
 * third, expired at the end; `off` never refreshes. */
static void test_refresh_policy(void **state)
{
	const uint64_t period = 30 * SEC, t0 = 1700000000ull * SEC;
	struct rly_refresh_verdict v;

	(void)state;
	rly_plan_refresh(&v, t0, period, 1, 3, t0 + 9 * SEC);
	assert_false(v.refresh);
	assert_false(v.low);
	assert_false(v.expired);
	assert_true(v.left_ns == 21 * SEC);
	rly_plan_refresh(&v, t0, period, 1, 3, t0 + 10 * SEC);
	assert_true(v.refresh);
	assert_false(v.low);
	rly_plan_refresh(&v, t0, period, 1, 2, t0 + 10 * SEC);
	assert_false(v.refresh);
	rly_plan_refresh(&v, t0, period, 1, 2, t0 + 15 * SEC);
	assert_true(v.refresh);
	/* the last third: refresh and warn */
	rly_plan_refresh(&v, t0, period, 1, 3, t0 + 21 * SEC);
	assert_true(v.refresh);
	assert_true(v.low);
	assert_false(v.expired);
	rly_plan_refresh(&v, t0, period, 1, 3, t0 + 20 * SEC);
	assert_false(v.low);
	/* off: never a refresh, still warned about and expired */
	rly_plan_refresh(&v, t0, period, 0, 1, t0 + 25 * SEC);
	assert_false(v.refresh);
	assert_true(v.low);
	rly_plan_refresh(&v, t0, period, 1, 3, t0 + 30 * SEC);
	assert_true(v.expired);
	assert_false(v.refresh);
	assert_true(v.left_ns == 0);
	rly_plan_refresh(&v, t0, period, 0, 1, t0 + 31 * SEC);
	assert_true(v.expired);
	/* a consensus time ahead of the clock is young */
	rly_plan_refresh(&v, t0 + 5 * SEC, period, 1, 3, t0);
	assert_false(v.refresh);
	assert_true(v.left_ns == period);
	/* no trusting period known: nothing can be trusted */
	rly_plan_refresh(&v, t0, 0, 1, 3, t0);
	assert_true(v.expired);
	/* 336h with 99/100: no overflow in the share */
	rly_plan_refresh(&v, t0, 336ull * 3600 * SEC, 99, 100, t0 + 332ull * 3600 * SEC);
	assert_false(v.refresh);
	rly_plan_refresh(&v, t0, 336ull * 3600 * SEC, 99, 100, t0 + 333ull * 3600 * SEC);
	assert_true(v.refresh);
	rly_plan_refresh(&v, t0, UINT64_MAX / 2, UINT64_MAX / 4, UINT64_MAX / 2, t0 + UINT64_MAX / 8);
	assert_false(v.refresh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_send),
		cmocka_unit_test(test_parse_ack),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_watch_heights),
		cmocka_unit_test(test_watch_incomplete_height),
		cmocka_unit_test(test_watch_filter),
		cmocka_unit_test(test_batch),
		cmocka_unit_test(test_decisions),
		cmocka_unit_test(test_timeouts),
		cmocka_unit_test(test_refresh_policy),
		cmocka_unit_test(test_journal_heights),
		cmocka_unit_test(test_journal_upgrade),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
