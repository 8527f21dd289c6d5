/* Unit tests for ibc/core/channel.c: the channel handshake for ORDERED and
 * UNORDERED channels between two in-memory chains over an open connection,
 * sequences initialised to 1, and each step rejected for the right reason
 * (connection missing or not OPEN, ordering not offered, wrong state,
 * wrong counterparty, bad proof, frozen client). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ibc/core/channel.h"
#include "ibc/core/connection.h"
#include "testnet.h"

static int setup(void **state)
{
	static struct testnet t;

	testnet_init(&t);
	assert_true(testnet_open_connection(&t, NULL));
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	testnet_free(*state);
	return 0;
}

static struct ibc_channel load(struct memhost *m, const char *chan)
{
	struct px_buf raw = PX_BUF_INIT;
	struct ibc_channel c;
	char key[160];

	snprintf(key, sizeof(key), "channelEnds/ports/%s/channels/%s", TN_PORT, chan);
	assert_true(memhost_get(m, key, &raw));
	assert_true(memhost_decode_channel(NULL, &c, raw.data, raw.len));
	px_buf_free(&raw);
	return c;
}

static uint64_t seq(struct memhost *m, const char *kind, const char *chan)
{
	struct px_buf raw = PX_BUF_INIT;
	uint64_t v = 0;
	char key[160];

	snprintf(key, sizeof(key), "%s/ports/%s/channels/%s", kind, TN_PORT, chan);
	assert_true(memhost_get(m, key, &raw));
	assert_int_equal(raw.len, 8);
	for (size_t i = 0; i < 8; i++)
		v = v << 8 | raw.data[i];
	px_buf_free(&raw);
	return v;
}

static struct ibc_msg_chan_open_init init_msg(struct testnet *t, enum ibc_order o)
{
	struct ibc_msg_chan_open_init m = {
		.port_id = TN_PORT, .ordering = o, .connection_id = t->conn_a,
		.counterparty_port_id = TN_PORT, .version = "ics20-1",
	};

	return m;
}

static struct ibc_msg_chan_open_try try_msg(struct testnet *t, enum ibc_order o)
{
	struct ibc_msg_chan_open_try m = {
		.port_id = TN_PORT, .ordering = o, .connection_id = t->conn_b,
		.counterparty_port_id = TN_PORT, .counterparty_channel_id = t->chan_a,
		.version = "ics20-1", .counterparty_version = "ics20-1",
		.proof_init = memhost_proof(),
	};

	m.proof_height = testnet_commit_a(t);
	return m;
}

static void handshake(struct testnet *t, enum ibc_order o)
{
	struct ibc_msg_chan_open_init init = init_msg(t, o);
	struct ibc_msg_chan_open_try try_;
	struct ibc_msg_chan_open_ack ack = {
		.port_id = TN_PORT, .counterparty_version = "ics20-1",
		.proof_try = memhost_proof(),
	};
	struct ibc_msg_chan_open_confirm confirm = {
		.port_id = TN_PORT, .proof_ack = memhost_proof(),
	};
	struct px_err err = { 0 };
	struct ibc_channel c;

	assert_true(ibc_chan_open_init(t->ha, &err, t->chan_a, &init));
	assert_string_equal(t->chan_a, "channel-0");
	c = load(t->a, t->chan_a);
	assert_int_equal(c.state, IBC_CHAN_INIT);
	assert_int_equal(c.ordering, o);
	assert_string_equal(c.counterparty.port_id, TN_PORT);
	assert_string_equal(c.counterparty.channel_id, "");
	assert_int_equal(c.connection_hops_len, 1);
	assert_string_equal(c.connection_hops[0], t->conn_a);
	assert_int_equal(seq(t->a, "nextSequenceSend", t->chan_a), 1);
	assert_int_equal(seq(t->a, "nextSequenceRecv", t->chan_a), 1);
	assert_int_equal(seq(t->a, "nextSequenceAck", t->chan_a), 1);

	try_ = try_msg(t, o);
	assert_true(ibc_chan_open_try(t->hb, &err, t->chan_b, &try_));
	c = load(t->b, t->chan_b);
	assert_int_equal(c.state, IBC_CHAN_TRYOPEN);
	assert_string_equal(c.counterparty.channel_id, t->chan_a);
	assert_int_equal(seq(t->b, "nextSequenceSend", t->chan_b), 1);
	assert_int_equal(seq(t->b, "nextSequenceRecv", t->chan_b), 1);
	assert_int_equal(seq(t->b, "nextSequenceAck", t->chan_b), 1);

	ack.channel_id = t->chan_a;
	ack.counterparty_channel_id = t->chan_b;
	ack.proof_height = testnet_commit_b(t);
	assert_true(ibc_chan_open_ack(t->ha, &err, &ack));
	c = load(t->a, t->chan_a);
	assert_int_equal(c.state, IBC_CHAN_OPEN);
	assert_string_equal(c.counterparty.channel_id, t->chan_b);

	assert_false(ibc_chan_open_ack(t->ha, &err, &ack));
	assert_int_equal(err.code, PX_E_IBC_STATE);
	px_err_clear(&err);

	confirm.channel_id = t->chan_b;
	confirm.proof_height = testnet_commit_a(t);
	assert_true(ibc_chan_open_confirm(t->hb, &err, &confirm));
	c = load(t->b, t->chan_b);
	assert_int_equal(c.state, IBC_CHAN_OPEN);

	assert_false(ibc_chan_open_confirm(t->hb, &err, &confirm));
	assert_int_equal(err.code, PX_E_IBC_STATE);
}

static void handshake_unordered(void **state)
{
	handshake(*state, IBC_ORDER_UNORDERED);
}

static void handshake_ordered(void **state)
{
	handshake(*state, IBC_ORDER_ORDERED);
}

static void init_rejections(void **state)
{
	struct testnet *t = *state;
	struct ibc_msg_chan_open_init init = init_msg(t, IBC_ORDER_UNORDERED);
	struct ibc_msg_conn_open_init cinit;
	struct px_err err = { 0 };
	char id[IBC_ID_MAX + 1], conn[IBC_ID_MAX + 1];
	size_t before = memhost_store_size(t->a);

	init.ordering = IBC_ORDER_NONE;
	assert_false(ibc_chan_open_init(t->ha, &err, id, &init));
	assert_int_equal(err.code, PX_E_MALFORMED);
	px_err_clear(&err);

	init = init_msg(t, IBC_ORDER_UNORDERED);
	init.connection_id = "connection-42";
	assert_false(ibc_chan_open_init(t->ha, &err, id, &init));
	assert_int_equal(err.code, PX_E_IBC_NOT_FOUND);
	px_err_clear(&err);

	init = init_msg(t, IBC_ORDER_UNORDERED);
	init.port_id = "t";
	assert_false(ibc_chan_open_init(t->ha, &err, id, &init));
	assert_int_equal(err.code, PX_E_MALFORMED);
	px_err_clear(&err);

	memhost_set_client_status(t->a, TN_CLIENT_ON_A, IBC_CLIENT_FROZEN);
	init = init_msg(t, IBC_ORDER_UNORDERED);
	assert_false(ibc_chan_open_init(t->ha, &err, id, &init));
	assert_int_equal(err.code, PX_E_FROZEN);
	px_err_clear(&err);
	memhost_set_client_status(t->a, TN_CLIENT_ON_A, IBC_CLIENT_ACTIVE);
	assert_int_equal(memhost_store_size(t->a), before);

	/* A connection still in INIT. */
	memset(&cinit, 0, sizeof(cinit));
	cinit.client_id = TN_CLIENT_ON_A;
	snprintf(cinit.counterparty.client_id, sizeof(cinit.counterparty.client_id), "%s",
		 TN_CLIENT_ON_B);
	cinit.counterparty.prefix.ptr = (const uint8_t *)"ibc";
	cinit.counterparty.prefix.len = 3;
	assert_true(ibc_conn_open_init(t->ha, NULL, conn, &cinit));
	init.connection_id = conn;
	assert_false(ibc_chan_open_init(t->ha, &err, id, &init));
	assert_int_equal(err.code, PX_E_IBC_STATE);
}

/* A connection whose version offers only unordered channels. */
static void ordering_must_be_a_connection_feature(void **state)
{
	struct testnet *t = *state;
	struct ibc_msg_chan_open_init init = init_msg(t, IBC_ORDER_ORDERED);
	struct px_buf raw = PX_BUF_INIT, enc = PX_BUF_INIT;
	struct ibc_connection_end c;
	struct px_err err = { 0 };
	char key[200], id[IBC_ID_MAX + 1];

	snprintf(key, sizeof(key), "connections/%s", t->conn_a);
	assert_true(memhost_get(t->a, key, &raw));
	assert_true(memhost_decode_connection(NULL, &c, raw.data, raw.len));
	snprintf(c.versions[0].features[0], sizeof(c.versions[0].features[0]),
		 "ORDER_UNORDERED");
	c.versions[0].features_len = 1;
	assert_true(memhost_encode_connection(NULL, &enc, &c));
	memhost_put(t->a, key, enc.data, enc.len);

	assert_false(ibc_chan_open_init(t->ha, &err, id, &init));
	assert_int_equal(err.code, PX_E_IBC_VERSION);
	init.ordering = IBC_ORDER_UNORDERED;
	assert_true(ibc_chan_open_init(t->ha, NULL, id, &init));
	px_buf_free(&raw);
	px_buf_free(&enc);
}

static void try_rejections(void **state)
{
	struct testnet *t = *state;
	struct ibc_msg_chan_open_init init = init_msg(t, IBC_ORDER_ORDERED);
	struct ibc_msg_chan_open_try try_;
	struct px_err err = { 0 };
	char id[IBC_ID_MAX + 1];
	size_t before;

	assert_true(ibc_chan_open_init(t->ha, NULL, t->chan_a, &init));
	before = memhost_store_size(t->b);

	try_ = try_msg(t, IBC_ORDER_ORDERED);
	try_.proof_init.len = 3;
	assert_false(ibc_chan_open_try(t->hb, &err, id, &try_));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);

	/* Another ordering than A's INIT end. */
	try_ = try_msg(t, IBC_ORDER_UNORDERED);
	assert_false(ibc_chan_open_try(t->hb, &err, id, &try_));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);

	/* Wrong counterparty port and channel. */
	try_ = try_msg(t, IBC_ORDER_ORDERED);
	try_.counterparty_port_id = "oracle";
	assert_false(ibc_chan_open_try(t->hb, &err, id, &try_));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);
	try_ = try_msg(t, IBC_ORDER_ORDERED);
	try_.counterparty_channel_id = "channel-3";
	assert_false(ibc_chan_open_try(t->hb, &err, id, &try_));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);

	/* B's port differs from the one A's end names. */
	try_ = try_msg(t, IBC_ORDER_ORDERED);
	try_.port_id = "oracle";
	assert_false(ibc_chan_open_try(t->hb, &err, id, &try_));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);

	/* Another counterparty version than A's. */
	try_ = try_msg(t, IBC_ORDER_ORDERED);
	try_.counterparty_version = "ics20-2";
	assert_false(ibc_chan_open_try(t->hb, &err, id, &try_));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);

	try_ = try_msg(t, IBC_ORDER_ORDERED);
	try_.connection_id = "connection-8";
	assert_false(ibc_chan_open_try(t->hb, &err, id, &try_));
	assert_int_equal(err.code, PX_E_IBC_NOT_FOUND);
	px_err_clear(&err);

	assert_int_equal(memhost_store_size(t->b), before);
	try_ = try_msg(t, IBC_ORDER_ORDERED);
	assert_true(ibc_chan_open_try(t->hb, &err, id, &try_));
}

static void ack_and_confirm_rejections(void **state)
{
	struct testnet *t = *state;
	struct ibc_msg_chan_open_init init = init_msg(t, IBC_ORDER_UNORDERED);
	struct ibc_msg_chan_open_try try_;
	struct ibc_msg_chan_open_ack ack = {
		.port_id = TN_PORT, .counterparty_version = "ics20-1",
		.proof_try = memhost_proof(),
	};
	struct ibc_msg_chan_open_confirm confirm = {
		.port_id = TN_PORT, .proof_ack = memhost_proof(),
	};
	struct px_err err = { 0 };

	assert_true(ibc_chan_open_init(t->ha, NULL, t->chan_a, &init));
	try_ = try_msg(t, IBC_ORDER_UNORDERED);
	assert_true(ibc_chan_open_try(t->hb, NULL, t->chan_b, &try_));

	ack.channel_id = "channel-9";
	ack.counterparty_channel_id = t->chan_b;
	ack.proof_height = testnet_commit_b(t);
	assert_false(ibc_chan_open_ack(t->ha, &err, &ack));
	assert_int_equal(err.code, PX_E_IBC_NOT_FOUND);
	px_err_clear(&err);

	/* Confirm on B before A acked: A's end is INIT, not OPEN. */
	confirm.channel_id = t->chan_b;
	confirm.proof_height = testnet_commit_a(t);
	assert_false(ibc_chan_open_confirm(t->hb, &err, &confirm));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);

	/* Confirm on A's INIT end, ack on B's TRYOPEN end: wrong state. */
	confirm.channel_id = t->chan_a;
	assert_false(ibc_chan_open_confirm(t->ha, &err, &confirm));
	assert_int_equal(err.code, PX_E_IBC_STATE);
	px_err_clear(&err);
	ack.channel_id = t->chan_b;
	assert_false(ibc_chan_open_ack(t->hb, &err, &ack));
	assert_int_equal(err.code, PX_E_IBC_STATE);
	px_err_clear(&err);

	/* Wrong counterparty channel and version. */
	ack.channel_id = t->chan_a;
	ack.counterparty_channel_id = "channel-4";
	assert_false(ibc_chan_open_ack(t->ha, &err, &ack));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);
	ack.counterparty_channel_id = t->chan_b;
	ack.counterparty_version = "ics27-1";
	assert_false(ibc_chan_open_ack(t->ha, &err, &ack));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);
	ack.counterparty_version = "ics20-1";
	assert_true(ibc_chan_open_ack(t->ha, &err, &ack));

	confirm.channel_id = t->chan_b;
	confirm.proof_ack.len = 1;
	confirm.proof_height = testnet_commit_a(t);
	assert_false(ibc_chan_open_confirm(t->hb, &err, &confirm));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);
	confirm.proof_ack = memhost_proof();
	assert_true(ibc_chan_open_confirm(t->hb, &err, &confirm));
}

static void two_channels_get_two_ids(void **state)
{
	struct testnet *t = *state;
	struct ibc_msg_chan_open_init init = init_msg(t, IBC_ORDER_UNORDERED);
	char id[IBC_ID_MAX + 1];

	assert_true(ibc_chan_open_init(t->ha, NULL, id, &init));
	assert_string_equal(id, "channel-0");
	assert_true(ibc_chan_open_init(t->ha, NULL, id, &init));
	assert_string_equal(id, "channel-1");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(handshake_unordered),
		T(handshake_ordered),
		T(init_rejections),
		T(ordering_must_be_a_connection_feature),
		T(try_rejections),
		T(ack_and_confirm_rejections),
		T(two_channels_get_two_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
