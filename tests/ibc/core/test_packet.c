/* Unit tests for ibc/core/packet.c over an open channel between two
 * in-memory chains: send, receive, write ack, acknowledge and timeout on
 * unordered and ordered channels, and the rejections a relayer meets
 * (wrong counterparty, wrong state, bad proof, timed out by height and by
 * timestamp, already received, wrong sequence, ack for a packet never
 * sent, timeout before the timeout). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ibc/core/commitment.h"
#include "ibc/core/packet.h"
#include "testnet.h"

static const char ACK[] = "{\"result\":\"AQ==\"}";

static int setup_with(void **state, enum ibc_order o)
{
	static struct testnet t;

	testnet_init(&t);
	assert_true(testnet_open_connection(&t, NULL));
	assert_true(testnet_open_channel(&t, NULL, o));
	*state = &t;
	return 0;
}

static int setup_unordered(void **state)
{
	return setup_with(state, IBC_ORDER_UNORDERED);
}

static int setup_ordered(void **state)
{
	return setup_with(state, IBC_ORDER_ORDERED);
}

static int teardown(void **state)
{
	testnet_free(*state);
	return 0;
}

static struct px_slice sl(const char *s)
{
	struct px_slice r = { (const uint8_t *)s, strlen(s) };

	return r;
}

static struct ibc_height hgt(uint64_t rev, uint64_t h)
{
	struct ibc_height r = { rev, h };

	return r;
}

/* A sends data with a timeout far in B's future. */
static struct ibc_packet send_far(struct testnet *t, const char *data)
{
	struct ibc_packet p;
	struct px_err err = { 0 };

	assert_true(ibc_packet_send(t->ha, &err, &p, TN_PORT, t->chan_a, hgt(2, 10000), 0,
				    sl(data)));
	return p;
}

static bool recv_on_b(struct testnet *t, struct px_err *err, const struct ibc_packet *p)
{
	return ibc_packet_recv(t->hb, err, p, memhost_proof(), testnet_commit_a(t));
}

static bool has_key(struct memhost *m, const char *kind, const char *chan, uint64_t seq)
{
	char key[200];

	snprintf(key, sizeof(key), "%s/ports/%s/channels/%s/sequences/%llu", kind, TN_PORT, chan,
		 (unsigned long long)seq);
	return memhost_has(m, key);
}

static void send_assigns_sequences_and_commits(void **state)
{
	struct testnet *t = *state;
	struct ibc_packet p1 = send_far(t, "one"), p2 = send_far(t, "two");
	uint8_t want[IBC_COMMITMENT_LEN];
	struct px_buf raw = PX_BUF_INIT;
	char key[200];

	assert_int_equal(p1.sequence, 1);
	assert_int_equal(p2.sequence, 2);
	assert_string_equal(p1.source_port, TN_PORT);
	assert_string_equal(p1.source_channel, t->chan_a);
	assert_string_equal(p1.destination_port, TN_PORT);
	assert_string_equal(p1.destination_channel, t->chan_b);
	snprintf(key, sizeof(key), "commitments/ports/%s/channels/%s/sequences/2", TN_PORT,
		 t->chan_a);
	assert_true(memhost_get(t->a, key, &raw));
	ibc_commit_packet_v1(want, &p2);
	assert_int_equal(raw.len, sizeof(want));
	assert_memory_equal(raw.data, want, sizeof(want));
	px_buf_free(&raw);
}

static void send_rejections(void **state)
{
	struct testnet *t = *state;
	struct ibc_height latest_b;
	struct ibc_packet p;
	struct px_err err = { 0 };
	size_t before = memhost_store_size(t->a);

	assert_false(ibc_packet_send(t->ha, &err, &p, TN_PORT, "channel-7", hgt(2, 10000), 0,
				     sl("x")));
	assert_int_equal(err.code, PX_E_IBC_NOT_FOUND);
	px_err_clear(&err);

	assert_false(ibc_packet_send(t->ha, &err, &p, TN_PORT, t->chan_a, hgt(0, 0), 0, sl("x")));
	assert_int_equal(err.code, PX_E_MALFORMED);
	px_err_clear(&err);

	assert_false(ibc_packet_send(t->ha, &err, &p, TN_PORT, t->chan_a, hgt(2, 10000), 0,
				     sl("")));
	assert_int_equal(err.code, PX_E_MALFORMED);
	px_err_clear(&err);

	/* Timeout height already reached on B as A's client knows it. */
	latest_b = memhost_height(t->b);
	assert_false(ibc_packet_send(t->ha, &err, &p, TN_PORT, t->chan_a, latest_b, 0, sl("x")));
	assert_int_equal(err.code, PX_E_IBC_TIMED_OUT);
	px_err_clear(&err);
	/* An earlier revision is in the past too. */
	assert_false(ibc_packet_send(t->ha, &err, &p, TN_PORT, t->chan_a, hgt(1, 999999), 0,
				     sl("x")));
	assert_int_equal(err.code, PX_E_IBC_TIMED_OUT);
	px_err_clear(&err);

	/* Timeout timestamp already reached on B. */
	assert_false(ibc_packet_send(t->ha, &err, &p, TN_PORT, t->chan_a, hgt(0, 0),
				     memhost_time(t->b), sl("x")));
	assert_int_equal(err.code, PX_E_IBC_TIMED_OUT);
	px_err_clear(&err);

	memhost_set_client_status(t->a, TN_CLIENT_ON_A, IBC_CLIENT_FROZEN);
	assert_false(ibc_packet_send(t->ha, &err, &p, TN_PORT, t->chan_a, hgt(2, 10000), 0,
				     sl("x")));
	assert_int_equal(err.code, PX_E_FROZEN);
	px_err_clear(&err);
	memhost_set_client_status(t->a, TN_CLIENT_ON_A, IBC_CLIENT_ACTIVE);

	assert_int_equal(memhost_store_size(t->a), before);

	/* Just in the future by timestamp is fine. */
	assert_true(ibc_packet_send(t->ha, &err, &p, TN_PORT, t->chan_a, hgt(0, 0),
				    memhost_time(t->b) + 1, sl("x")));
}

static void recv_unordered_then_already_received(void **state)
{
	struct testnet *t = *state;
	struct ibc_packet p = send_far(t, "hello");
	struct px_err err = { 0 };

	assert_true(recv_on_b(t, &err, &p));
	assert_true(has_key(t->b, "receipts", t->chan_b, 1));
	assert_false(recv_on_b(t, &err, &p));
	assert_int_equal(err.code, PX_E_IBC_ALREADY_RECEIVED);
}

static void recv_rejections(void **state)
{
	struct testnet *t = *state;
	struct ibc_height before_send = memhost_height(t->a);
	struct ibc_packet p = send_far(t, "hello"), q;
	struct ibc_height ph = testnet_commit_a(t);
	struct px_err err = { 0 };
	size_t before = memhost_store_size(t->b);

	/* Wrong counterparty: a packet claiming another source channel. */
	q = p;
	snprintf(q.source_channel, sizeof(q.source_channel), "channel-9");
	assert_false(ibc_packet_recv(t->hb, &err, &q, memhost_proof(), ph));
	assert_int_equal(err.code, PX_E_IBC_COUNTERPARTY);
	px_err_clear(&err);

	/* A destination that is not a channel of B. */
	q = p;
	snprintf(q.destination_channel, sizeof(q.destination_channel), "channel-9");
	assert_false(ibc_packet_recv(t->hb, &err, &q, memhost_proof(), ph));
	assert_int_equal(err.code, PX_E_IBC_NOT_FOUND);
	px_err_clear(&err);

	/* Tampered data: the commitment proven is not this packet's. */
	q = p;
	q.data = sl("HELLO");
	assert_false(ibc_packet_recv(t->hb, &err, &q, memhost_proof(), ph));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);

	/* A proof from before A sent it. */
	assert_false(ibc_packet_recv(t->hb, &err, &p, memhost_proof(), before_send));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);

	/* Bad proof bytes. */
	assert_false(ibc_packet_recv(t->hb, &err, &p, sl("nope"), ph));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);

	/* Sequence 0 and both timeouts zero are malformed. */
	q = p;
	q.sequence = 0;
	assert_false(ibc_packet_recv(t->hb, &err, &q, memhost_proof(), ph));
	assert_int_equal(err.code, PX_E_MALFORMED);
	px_err_clear(&err);

	assert_int_equal(memhost_store_size(t->b), before);
	assert_true(ibc_packet_recv(t->hb, &err, &p, memhost_proof(), ph));
}

static void recv_timed_out_by_height(void **state)
{
	struct testnet *t = *state;
	struct ibc_height tb = memhost_height(t->b);
	struct ibc_packet p;
	struct px_err err = { 0 };

	tb.revision_height += 3;
	assert_true(ibc_packet_send(t->ha, &err, &p, TN_PORT, t->chan_a, tb, 0, sl("late")));
	memhost_advance(t->b, 2, 10);
	/* One block before the timeout height: still fine... */
	memhost_advance(t->b, 1, 10);
	assert_false(recv_on_b(t, &err, &p));
	/* ...at the timeout height it has timed out. */
	assert_int_equal(err.code, PX_E_IBC_TIMED_OUT);
	assert_false(has_key(t->b, "receipts", t->chan_b, p.sequence));
}

static void recv_just_before_timeout_height(void **state)
{
	struct testnet *t = *state;
	struct ibc_height tb = memhost_height(t->b);
	struct ibc_packet p;
	struct px_err err = { 0 };

	tb.revision_height += 3;
	assert_true(ibc_packet_send(t->ha, &err, &p, TN_PORT, t->chan_a, tb, 0, sl("late")));
	memhost_advance(t->b, 2, 10);
	assert_true(recv_on_b(t, &err, &p));
}

static void recv_timed_out_by_timestamp(void **state)
{
	struct testnet *t = *state;
	uint64_t deadline = memhost_time(t->b) + 60000000000ull;
	struct ibc_packet p;
	struct px_err err = { 0 };

	assert_true(ibc_packet_send(t->ha, &err, &p, TN_PORT, t->chan_a, hgt(0, 0), deadline,
				    sl("late")));
	memhost_advance(t->b, 1, deadline - memhost_time(t->b));
	assert_false(recv_on_b(t, &err, &p));
	assert_int_equal(err.code, PX_E_IBC_TIMED_OUT);
}

static void recv_ordered_in_sequence(void **state)
{
	struct testnet *t = *state;
	struct ibc_packet p1 = send_far(t, "one"), p2 = send_far(t, "two");
	struct px_err err = { 0 };

	assert_false(recv_on_b(t, &err, &p2));
	assert_int_equal(err.code, PX_E_IBC_SEQUENCE);
	px_err_clear(&err);
	assert_true(recv_on_b(t, &err, &p1));
	assert_false(recv_on_b(t, &err, &p1));
	assert_int_equal(err.code, PX_E_IBC_ALREADY_RECEIVED);
	px_err_clear(&err);
	assert_true(recv_on_b(t, &err, &p2));
	/* Ordered channels keep no receipts. */
	assert_false(has_key(t->b, "receipts", t->chan_b, 1));
}

static void write_ack_once(void **state)
{
	struct testnet *t = *state;
	struct ibc_packet p = send_far(t, "hello");
	const uint8_t *ack = (const uint8_t *)ACK;
	struct px_err err = { 0 };

	assert_true(recv_on_b(t, &err, &p));
	assert_false(ibc_packet_write_ack(t->hb, &err, &p, ack, 0));
	assert_int_equal(err.code, PX_E_MALFORMED);
	px_err_clear(&err);
	assert_true(ibc_packet_write_ack(t->hb, &err, &p, ack, strlen(ACK)));
	assert_true(has_key(t->b, "acks", t->chan_b, 1));
	assert_false(ibc_packet_write_ack(t->hb, &err, &p, ack, strlen(ACK)));
	assert_int_equal(err.code, PX_E_IBC_ACK_EXISTS);
}

/* Send, receive, write ack on B; returns the proof height of B's ack. */
static struct ibc_height deliver(struct testnet *t, const struct ibc_packet *p)
{
	assert_true(recv_on_b(t, NULL, p));
	assert_true(ibc_packet_write_ack(t->hb, NULL, p, (const uint8_t *)ACK, strlen(ACK)));
	return testnet_commit_b(t);
}

static void acknowledge_flow_and_rejections(void **state)
{
	struct testnet *t = *state;
	struct ibc_packet p = send_far(t, "hello"), q;
	struct ibc_height ph = deliver(t, &p);
	const uint8_t *ack = (const uint8_t *)ACK;
	size_t alen = strlen(ACK);
	struct px_err err = { 0 };

	/* Ack for a packet never sent. */
	q = p;
	q.sequence = 99;
	assert_false(ibc_packet_acknowledge(t->ha, &err, &q, ack, alen, memhost_proof(), ph));
	assert_int_equal(err.code, PX_E_IBC_NO_COMMITMENT);
	px_err_clear(&err);

	/* Same sequence, other data. */
	q = p;
	q.data = sl("other");
	assert_false(ibc_packet_acknowledge(t->ha, &err, &q, ack, alen, memhost_proof(), ph));
	assert_int_equal(err.code, PX_E_IBC_COMMITMENT_MISMATCH);
	px_err_clear(&err);

	/* Wrong counterparty. */
	q = p;
	snprintf(q.destination_port, sizeof(q.destination_port), "oracle");
	assert_false(ibc_packet_acknowledge(t->ha, &err, &q, ack, alen, memhost_proof(), ph));
	assert_int_equal(err.code, PX_E_IBC_COUNTERPARTY);
	px_err_clear(&err);

	/* An ack B did not write. */
	assert_false(ibc_packet_acknowledge(t->ha, &err, &p, (const uint8_t *)"{}", 2,
					    memhost_proof(), ph));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);

	assert_true(ibc_packet_acknowledge(t->ha, &err, &p, ack, alen, memhost_proof(), ph));
	assert_false(has_key(t->a, "commitments", t->chan_a, 1));

	/* Twice: the commitment is gone (a relayer's no-op). */
	assert_false(ibc_packet_acknowledge(t->ha, &err, &p, ack, alen, memhost_proof(), ph));
	assert_int_equal(err.code, PX_E_IBC_NO_COMMITMENT);
}

static void acknowledge_ordered_in_sequence(void **state)
{
	struct testnet *t = *state;
	struct ibc_packet p1 = send_far(t, "one"), p2 = send_far(t, "two");
	const uint8_t *ack = (const uint8_t *)ACK;
	size_t alen = strlen(ACK);
	struct ibc_height ph;
	struct px_err err = { 0 };

	deliver(t, &p1);
	ph = deliver(t, &p2);
	assert_false(ibc_packet_acknowledge(t->ha, &err, &p2, ack, alen, memhost_proof(), ph));
	assert_int_equal(err.code, PX_E_IBC_SEQUENCE);
	px_err_clear(&err);
	assert_true(has_key(t->a, "commitments", t->chan_a, 2));
	assert_true(ibc_packet_acknowledge(t->ha, &err, &p1, ack, alen, memhost_proof(), ph));
	assert_true(ibc_packet_acknowledge(t->ha, &err, &p2, ack, alen, memhost_proof(), ph));
}

static void timeout_unordered_by_height(void **state)
{
	struct testnet *t = *state;
	struct ibc_height tb = memhost_height(t->b), ph;
	struct ibc_packet p;
	struct px_err err = { 0 };

	tb.revision_height += 2;
	assert_true(ibc_packet_send(t->ha, &err, &p, TN_PORT, t->chan_a, tb, 0, sl("late")));

	/* Timeout before the timeout: B is one block short. */
	ph = testnet_commit_b(t);
	assert_false(ibc_packet_timeout(t->ha, &err, &p, memhost_proof(), ph, 0));
	assert_int_equal(err.code, PX_E_IBC_NOT_TIMED_OUT);
	px_err_clear(&err);

	ph = testnet_commit_b(t);
	assert_int_equal(ph.revision_height, tb.revision_height);
	assert_false(ibc_packet_timeout(t->ha, &err, &p, sl("bad"), ph, 0));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);
	assert_true(ibc_packet_timeout(t->ha, &err, &p, memhost_proof(), ph, 0));
	assert_false(has_key(t->a, "commitments", t->chan_a, p.sequence));

	/* The channel stays open; a second timeout finds no commitment. */
	assert_false(ibc_packet_timeout(t->ha, &err, &p, memhost_proof(), ph, 0));
	assert_int_equal(err.code, PX_E_IBC_NO_COMMITMENT);
	px_err_clear(&err);
	send_far(t, "still open");
}

static void timeout_unordered_by_timestamp(void **state)
{
	struct testnet *t = *state;
	uint64_t deadline = memhost_time(t->b) + 2 * TN_BLOCK_NS;
	struct ibc_height ph;
	struct ibc_packet p;
	struct px_err err = { 0 };

	assert_true(ibc_packet_send(t->ha, &err, &p, TN_PORT, t->chan_a, hgt(0, 0), deadline,
				    sl("late")));
	ph = testnet_commit_b(t);
	assert_false(ibc_packet_timeout(t->ha, &err, &p, memhost_proof(), ph, 0));
	assert_int_equal(err.code, PX_E_IBC_NOT_TIMED_OUT);
	px_err_clear(&err);
	ph = testnet_commit_b(t);
	assert_true(ibc_packet_timeout(t->ha, &err, &p, memhost_proof(), ph, 0));
}

/* B received the packet before the timeout: its receipt defeats the
 * absence proof. */
static void timeout_of_received_packet_fails(void **state)
{
	struct testnet *t = *state;
	struct ibc_height tb = memhost_height(t->b), ph;
	struct ibc_packet p;
	struct px_err err = { 0 };

	tb.revision_height += 3;
	assert_true(ibc_packet_send(t->ha, &err, &p, TN_PORT, t->chan_a, tb, 0, sl("x")));
	assert_true(recv_on_b(t, &err, &p));
	testnet_commit_b(t);
	testnet_commit_b(t);
	ph = testnet_commit_b(t);
	assert_false(ibc_packet_timeout(t->ha, &err, &p, memhost_proof(), ph, 0));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	assert_true(has_key(t->a, "commitments", t->chan_a, p.sequence));
}

static void timeout_ordered_closes_channel(void **state)
{
	struct testnet *t = *state;
	struct ibc_height tb = memhost_height(t->b), ph;
	struct ibc_packet p;
	struct px_err err = { 0 };

	tb.revision_height += 1;
	assert_true(ibc_packet_send(t->ha, &err, &p, TN_PORT, t->chan_a, tb, 0, sl("x")));
	ph = testnet_commit_b(t);

	/* A relayer claiming B's nextSequenceRecv is 2 says B received it. */
	assert_false(ibc_packet_timeout(t->ha, &err, &p, memhost_proof(), ph, 2));
	assert_int_equal(err.code, PX_E_IBC_ALREADY_RECEIVED);
	px_err_clear(&err);
	assert_false(ibc_packet_timeout(t->ha, &err, &p, memhost_proof(), ph, 0));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);
	assert_true(ibc_packet_timeout(t->ha, &err, &p, memhost_proof(), ph, 1));

	/* Closed: no more sends. */
	assert_false(ibc_packet_send(t->ha, &err, &p, TN_PORT, t->chan_a, hgt(2, 10000), 0,
				     sl("y")));
	assert_int_equal(err.code, PX_E_IBC_STATE);
}

static void timeout_ordered_already_received(void **state)
{
	struct testnet *t = *state;
	struct ibc_height tb = memhost_height(t->b), ph;
	struct ibc_packet p;
	struct px_err err = { 0 };

	tb.revision_height += 2;
	assert_true(ibc_packet_send(t->ha, &err, &p, TN_PORT, t->chan_a, tb, 0, sl("x")));
	assert_true(recv_on_b(t, &err, &p));
	testnet_commit_b(t);
	ph = testnet_commit_b(t);
	/* B's nextSequenceRecv is now 2 > 1. */
	assert_false(ibc_packet_timeout(t->ha, &err, &p, memhost_proof(), ph, 2));
	assert_int_equal(err.code, PX_E_IBC_ALREADY_RECEIVED);
	px_err_clear(&err);
	/* Lying about it does not prove either. */
	assert_false(ibc_packet_timeout(t->ha, &err, &p, memhost_proof(), ph, 1));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
}

static void timed_out_predicate(void **state)
{
	struct ibc_packet p;

	memset(&p, 0, sizeof(p));
	p.timeout_height = hgt(1, 10);
	assert_false(ibc_packet_timed_out(&p, hgt(1, 9), UINT64_MAX));
	assert_true(ibc_packet_timed_out(&p, hgt(1, 10), 0));
	assert_true(ibc_packet_timed_out(&p, hgt(2, 1), 0));
	p.timeout_height = hgt(0, 0);
	p.timeout_timestamp = 100;
	assert_false(ibc_packet_timed_out(&p, hgt(9, 9), 99));
	assert_true(ibc_packet_timed_out(&p, hgt(0, 0), 100));
}

#define U(f) cmocka_unit_test_setup_teardown(f, setup_unordered, teardown)
#define O(f) cmocka_unit_test_setup_teardown(f, setup_ordered, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		U(send_assigns_sequences_and_commits),
		U(send_rejections),
		U(recv_unordered_then_already_received),
		U(recv_rejections),
		U(recv_timed_out_by_height),
		U(recv_just_before_timeout_height),
		U(recv_timed_out_by_timestamp),
		O(recv_ordered_in_sequence),
		U(write_ack_once),
		U(acknowledge_flow_and_rejections),
		O(acknowledge_ordered_in_sequence),
		U(timeout_unordered_by_height),
		U(timeout_unordered_by_timestamp),
		U(timeout_of_received_packet_fails),
		O(timeout_ordered_closes_channel),
		O(timeout_ordered_already_received),
		cmocka_unit_test(timed_out_predicate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
