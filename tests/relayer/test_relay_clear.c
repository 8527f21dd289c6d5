/* Unit tests of clearing's pure helpers (relayer/relay_clear.c): the
 * tx_search queries (and refused ids), picking a packet's event out of a
 * tx_search answer only when it matches the commitment the chain stores
 * (wrong data, wrong timeout, wrong ack, reverted transactions, other
 * packets, malformed answers), sequence unions, the clear_interval rule,
 * and the journal's paths table (round trip, replace, schema upgrade from
 * version 2). */
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

#include "common/hash.h"
#include "ibc/core/commitment.h"
#include "relayer/relay.h"

/* --- queries ------------------------------------------------------------------ */

static void test_queries(void **state)
{
	struct px_err err = { 0 };
	char q[512], small[16];

	(void)state;
	assert_true(rly_clear_query_send(&err, q, sizeof(q), "transfer", "channel-0", 7));
	assert_string_equal(q, "send_packet.packet_src_port='transfer' AND "
			    "send_packet.packet_src_channel='channel-0' AND "
			    "send_packet.packet_sequence='7'");
	assert_true(rly_clear_query_ack(&err, q, sizeof(q), "transfer", "channel-12", 18446744073709551615ull));
	assert_string_equal(q, "write_acknowledgement.packet_dst_port='transfer' AND "
			    "write_acknowledgement.packet_dst_channel='channel-12' AND "
			    "write_acknowledgement.packet_sequence='18446744073709551615'");
	/* A quote (or anything ICS-24 refuses) never reaches the query. */
	assert_false(rly_clear_query_send(&err, q, sizeof(q), "transfer", "channel-0' OR 'x", 1));
	assert_int_equal(err.code, PX_E_USAGE);
	px_err_clear(&err);
	assert_false(rly_clear_query_send(&err, q, sizeof(q), "tr ansfer", "channel-0", 1));
	assert_int_equal(err.code, PX_E_USAGE);
	px_err_clear(&err);
	assert_false(rly_clear_query_send(&err, q, sizeof(q), "transfer", "channel-0", 0));
	assert_int_equal(err.code, PX_E_USAGE);
	px_err_clear(&err);
	assert_false(rly_clear_query_send(&err, small, sizeof(small), "transfer", "channel-0", 1));
	assert_int_equal(err.code, PX_E_USAGE);
}

/* --- picking events ------------------------------------------------------------- */

#define DATA_HEX "7b22616d6f756e74223a2233227d"	/* {"amount":"3"} */
#define ACK_HEX "7b22726573756c74223a2241513d3d227d"	/* {"result":"AQ=="} */

static json_t *attr(const char *k, const char *v)
{
	return json_pack("{s:s, s:s, s:b}", "key", k, "value", v, "index", 1);
}

static json_t *packet_event(const char *type, uint64_t seq, const char *data_hex,
			    const char *timeout_height, const char *ack_hex)
{
	char s[32];
	json_t *a = json_array();

	snprintf(s, sizeof(s), "%llu", (unsigned long long)seq);
	json_array_append_new(a, attr("packet_data_hex", data_hex));
	json_array_append_new(a, attr("packet_timeout_height", timeout_height));
	json_array_append_new(a, attr("packet_timeout_timestamp", "0"));
	json_array_append_new(a, attr("packet_sequence", s));
	json_array_append_new(a, attr("packet_src_port", "transfer"));
	json_array_append_new(a, attr("packet_src_channel", "channel-0"));
	json_array_append_new(a, attr("packet_dst_port", "transfer"));
	json_array_append_new(a, attr("packet_dst_channel", "channel-3"));
	if (ack_hex)
		json_array_append_new(a, attr("packet_ack_hex", ack_hex));
	return json_pack("{s:s, s:o}", "type", type, "attributes", a);
}

/* {txs: [{height, tx_result: {code, events}}...]}: one tx per event. */
static json_t *answer(int n, ...)
{
	json_t *txs = json_array();
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		int code = va_arg(ap, int);
		json_t *ev = va_arg(ap, json_t *);
		json_t *evs = json_pack("[{s:s, s:[]}, o]", "type", "message", "attributes", ev);

		json_array_append_new(txs, json_pack("{s:s, s:i, s:{s:i, s:o}}", "height", "42",
						     "index", 0, "tx_result", "code", code,
						     "events", evs));
	}
	va_end(ap);
	return json_pack("{s:o, s:s}", "txs", txs, "total_count", "1");
}

static void want_packet(struct ibc_packet *w, uint64_t seq)
{
	memset(w, 0, sizeof(*w));
	w->sequence = seq;
	strcpy(w->source_port, "transfer");
	strcpy(w->source_channel, "channel-0");
	strcpy(w->destination_port, "transfer");
	strcpy(w->destination_channel, "channel-3");
}

/* The v1 commitment of the test packet with data {"amount":"3"}, timeout 1-500. */
static void good_commitment(uint8_t c[IBC_COMMITMENT_LEN])
{
	static const uint8_t data[] = "{\"amount\":\"3\"}";
	struct ibc_height h = { 1, 500 };

	ibc_commit_packet_v1_parts(c, 0, h, data, sizeof(data) - 1);
}

static void test_pick_send(void **state)
{
	struct px_err err = { 0 };
	uint8_t c[IBC_COMMITMENT_LEN];
	struct ibc_packet w;
	struct rly_ev ev;
	uint64_t h = 0;
	bool found = false;
	json_t *res;

	(void)state;
	good_commitment(c);
	want_packet(&w, 5);
	/* Another packet first, then a reverted one, then the real one. */
	res = answer(3, 0, packet_event("send_packet", 4, DATA_HEX, "1-500", NULL), 5,
		     packet_event("send_packet", 5, DATA_HEX, "1-500", NULL), 0,
		     packet_event("send_packet", 5, DATA_HEX, "1-500", NULL));
	assert_true(rly_clear_pick(&err, &ev, &h, &found, res, RLY_EV_SEND, &w, c, sizeof(c)));
	assert_true(found);
	assert_int_equal(h, 42);
	assert_int_equal(ev.packet.sequence, 5);
	assert_int_equal(ev.packet.timeout_height.revision_height, 500);
	assert_int_equal(ev.data.len, 14);
	assert_memory_equal(ev.packet.data.ptr, "{\"amount\":\"3\"}", 14);
	rly_ev_free(&ev);
	json_decref(res);

	/* Not there (only reverted or other packets): found false, no error. */
	res = answer(2, 0, packet_event("send_packet", 4, DATA_HEX, "1-500", NULL), 5,
		     packet_event("send_packet", 5, DATA_HEX, "1-500", NULL));
	assert_true(rly_clear_pick(&err, &ev, &h, &found, res, RLY_EV_SEND, &w, c, sizeof(c)));
	assert_false(found);
	json_decref(res);
	res = answer(0);
	assert_true(rly_clear_pick(&err, &ev, &h, &found, res, RLY_EV_SEND, &w, c, sizeof(c)));
	assert_false(found);
	json_decref(res);

	/* The right packet with other data or another timeout: refused (3xx). */
	res = answer(1, 0, packet_event("send_packet", 5, "7b7d", "1-500", NULL));
	assert_false(rly_clear_pick(&err, &ev, &h, &found, res, RLY_EV_SEND, &w, c, sizeof(c)));
	assert_int_equal(err.code, PX_E_VALUE_MISMATCH);
	assert_false(found);
	px_err_clear(&err);
	json_decref(res);
	res = answer(1, 0, packet_event("send_packet", 5, DATA_HEX, "1-501", NULL));
	assert_false(rly_clear_pick(&err, &ev, &h, &found, res, RLY_EV_SEND, &w, c, sizeof(c)));
	assert_int_equal(err.code, PX_E_VALUE_MISMATCH);
	px_err_clear(&err);
	json_decref(res);
	/* A lie next to the truth: the truth is taken. */
	res = answer(2, 0, packet_event("send_packet", 5, "7b7d", "1-500", NULL), 0,
		     packet_event("send_packet", 5, DATA_HEX, "1-500", NULL));
	assert_true(rly_clear_pick(&err, &ev, &h, &found, res, RLY_EV_SEND, &w, c, sizeof(c)));
	assert_true(found);
	rly_ev_free(&ev);
	json_decref(res);
	/* Another destination is another packet. */
	strcpy(w.destination_channel, "channel-4");
	res = answer(1, 0, packet_event("send_packet", 5, DATA_HEX, "1-500", NULL));
	assert_true(rly_clear_pick(&err, &ev, &h, &found, res, RLY_EV_SEND, &w, c, sizeof(c)));
	assert_false(found);
	json_decref(res);
}

static void test_pick_ack(void **state)
{
	static const uint8_t ack[] = "{\"result\":\"AQ==\"}";
	struct px_err err = { 0 };
	uint8_t c[IBC_COMMITMENT_LEN];
	struct ibc_packet w;
	struct rly_ev ev;
	uint64_t h = 0;
	bool found = false;
	json_t *res;

	(void)state;
	ibc_commit_ack_v1(c, ack, sizeof(ack) - 1);
	want_packet(&w, 9);
	/* A send_packet of the same packet is not its acknowledgement. */
	res = answer(2, 0, packet_event("send_packet", 9, DATA_HEX, "1-500", NULL), 0,
		     packet_event("write_acknowledgement", 9, DATA_HEX, "1-500", ACK_HEX));
	assert_true(rly_clear_pick(&err, &ev, &h, &found, res, RLY_EV_WRITE_ACK, &w, c, sizeof(c)));
	assert_true(found);
	assert_int_equal(ev.ack.len, sizeof(ack) - 1);
	assert_memory_equal(ev.ack.data, ack, sizeof(ack) - 1);
	rly_ev_free(&ev);
	json_decref(res);
	/* Other ack bytes: refused. */
	res = answer(1, 0, packet_event("write_acknowledgement", 9, DATA_HEX, "1-500", "7b7d"));
	assert_false(rly_clear_pick(&err, &ev, &h, &found, res, RLY_EV_WRITE_ACK, &w, c, sizeof(c)));
	assert_int_equal(err.code, PX_E_VALUE_MISMATCH);
	json_decref(res);
}

static void test_pick_malformed(void **state)
{
	struct px_err err = { 0 };
	uint8_t c[IBC_COMMITMENT_LEN];
	struct ibc_packet w;
	struct rly_ev ev;
	uint64_t h = 0;
	bool found = false;
	json_t *res;

	(void)state;
	good_commitment(c);
	want_packet(&w, 5);
	res = json_pack("{s:s}", "txs", "no");
	assert_false(rly_clear_pick(&err, &ev, &h, &found, res, RLY_EV_SEND, &w, c, sizeof(c)));
	assert_int_equal(err.code, PX_E_MALFORMED);
	px_err_clear(&err);
	json_decref(res);
	res = json_pack("{s:[{s:s, s:{s:i, s:[]}}]}", "txs", "height", "x", "tx_result", "code",
			0, "events");
	assert_false(rly_clear_pick(&err, &ev, &h, &found, res, RLY_EV_SEND, &w, c, sizeof(c)));
	assert_int_equal(err.code, PX_E_MALFORMED);
	px_err_clear(&err);
	json_decref(res);
	res = json_pack("{s:[{s:s, s:{s:i, s:s}}]}", "txs", "height", "3", "tx_result", "code", 0,
			"events", "none");
	assert_false(rly_clear_pick(&err, &ev, &h, &found, res, RLY_EV_SEND, &w, c, sizeof(c)));
	assert_int_equal(err.code, PX_E_MALFORMED);
	px_err_clear(&err);
	json_decref(res);
	/* A commitment of the wrong length is misuse. */
	res = answer(0);
	assert_false(rly_clear_pick(&err, &ev, &h, &found, res, RLY_EV_SEND, &w, c, 31));
	assert_int_equal(err.code, PX_E_USAGE);
	json_decref(res);
}

/* --- sequences and intervals ------------------------------------------------------ */

static void test_union(void **state)
{
	static const uint64_t a[] = { 9, 3, 5, 3 }, b[] = { 5, 1, 10 };
	struct rly_ibcq_seqs s = { 0 };

	(void)state;
	assert_true(rly_clear_seqs_union(&s, a, 4, b, 3));
	assert_int_equal(s.n, 5);
	assert_int_equal(s.v[0], 1);
	assert_int_equal(s.v[1], 3);
	assert_int_equal(s.v[2], 5);
	assert_int_equal(s.v[3], 9);
	assert_int_equal(s.v[4], 10);
	assert_true(rly_clear_seqs_union(&s, NULL, 0, NULL, 0));
	assert_int_equal(s.n, 0);
	rly_ibcq_seqs_free(&s);
}

static void test_due(void **state)
{
	int64_t last[2] = { 100, 50 }, head[2] = { 199, 149 };

	(void)state;
	assert_false(rly_clear_due(100, last, head));
	head[1] = 150;
	assert_true(rly_clear_due(100, last, head));
	head[1] = 149;
	head[0] = 200;
	assert_true(rly_clear_due(100, last, head));
	assert_false(rly_clear_due(0, last, head));	/* 0: never */
	last[0] = 0;					/* unknown: not due */
	assert_false(rly_clear_due(100, last, head));
	last[0] = 300;					/* behind: not due */
	assert_false(rly_clear_due(100, last, head));
}

/* --- the journal's paths table ----------------------------------------------------- */

static void ids_fill(struct rly_path_ids *ids, const char *client_b)
{
	memset(ids, 0, sizeof(*ids));
	strcpy(ids->chain[0], "a-1");
	strcpy(ids->chain[1], "b-1");
	strcpy(ids->port, "transfer");
	strcpy(ids->client[0], "07-tendermint-0");
	strcpy(ids->client[1], client_b);
}

static void test_journal_paths(void **state)
{
	char dir[] = "/tmp/px_clear_XXXXXX", path[64];
	struct rly_journal *j = NULL;
	struct rly_path_ids ids, got;
	struct px_err err = { 0 };
	sqlite3 *db;
	bool found = true;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/journal.sqlite", dir);
	assert_true(rly_journal_open_sqlite(&err, &j, path));
	assert_true(rly_journal_path_get(j, &err, "ab", &got, &found));
	assert_false(found);
	ids_fill(&ids, "07-tendermint-3");
	assert_true(rly_journal_path_put(j, &err, "ab", &ids));
	strcpy(ids.connection[0], "connection-0");
	strcpy(ids.connection[1], "connection-2");
	strcpy(ids.channel[0], "channel-0");
	strcpy(ids.channel[1], "channel-5");
	assert_true(rly_journal_path_put(j, &err, "ab", &ids));	/* replaces */
	assert_true(rly_journal_path_get(j, &err, "ab", &got, &found));
	assert_true(found);
	assert_memory_equal(&got, &ids, sizeof(ids));
	/* Refused: no chain, no name. */
	ids.chain[1][0] = 0;
	assert_false(rly_journal_path_put(j, &err, "ab", &ids));
	assert_int_equal(err.code, PX_E_USAGE);
	px_err_clear(&err);
	assert_false(rly_journal_path_get(j, &err, "", &got, &found));
	assert_int_equal(err.code, PX_E_USAGE);
	px_err_clear(&err);
	rly_journal_close(j);

	/* A version 2 file (no paths table) is upgraded when opened. */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE paths; PRAGMA user_version=2;", NULL, NULL,
				      NULL), SQLITE_OK);
	sqlite3_close(db);
	j = NULL;
	assert_true(rly_journal_open_sqlite(&err, &j, path));
	assert_true(rly_journal_path_get(j, &err, "ab", &got, &found));
	assert_false(found);
	ids_fill(&ids, "07-tendermint-1");
	assert_true(rly_journal_path_put(j, &err, "ab", &ids));
	rly_journal_close(j);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	{
		sqlite3_stmt *st = NULL;

		assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 3);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	unlink(path);
	snprintf(path, sizeof(path), "%s/journal.sqlite-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/journal.sqlite-shm", dir);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queries),
		cmocka_unit_test(test_pick_send),
		cmocka_unit_test(test_pick_ack),
		cmocka_unit_test(test_pick_malformed),
		cmocka_unit_test(test_union),
		cmocka_unit_test(test_due),
		cmocka_unit_test(test_journal_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
