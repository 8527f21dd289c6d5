/* Unit tests for ibc/transfer/transfer_host.c: ICS-20 balances across two
 * in-memory chains driven through the packet rules. Escrow on the source
 * chain and vouchers on the other are conserved across send, receive,
 * acknowledgement, timeout and refund; a token returning home is
 * unescrowed; insufficient funds, overflow, zero or malformed amounts and
 * a short escrow are refused without moving anything. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ibc/core/channel.h"
#include "ibc/core/packet.h"
#include "ibc/transfer/transfer_host.h"
#include "testnet.h"

#define ALICE "cosmos1alice"
#define BOB "cosmos1bob"
#define ERR_ACK "{\"error\":\"ABCI code: 1: error handling packet: see events for details\"}"

static int setup(void **state)
{
	static struct testnet t;
	struct ibc_msg_chan_open_init dummy;
	char id[IBC_ID_MAX + 1];

	testnet_init(&t);
	assert_true(testnet_open_connection(&t, NULL));
	/* A spare channel on B, so that the two ends get different ids
	 * (A: channel-0, B: channel-1) and a wrong prefix cannot pass. */
	memset(&dummy, 0, sizeof(dummy));
	dummy.port_id = TN_PORT;
	dummy.ordering = IBC_ORDER_UNORDERED;
	dummy.connection_id = t.conn_b;
	dummy.counterparty_port_id = TN_PORT;
	dummy.version = "ics20-1";
	assert_true(ibc_chan_open_init(t.hb, NULL, id, &dummy));
	assert_true(testnet_open_channel(&t, NULL, IBC_ORDER_UNORDERED));
	assert_string_equal(t.chan_a, "channel-0");
	assert_string_equal(t.chan_b, "channel-1");
	memhost_set_balance(t.a, ALICE, "uatom", "1000");
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	testnet_free(*state);
	return 0;
}

static struct ibc_ics20_data coin(const char *denom, const char *amount, const char *from,
				  const char *to)
{
	struct ibc_ics20_data d;

	memset(&d, 0, sizeof(d));
	d.denom = denom;
	d.amount = amount;
	d.sender = from;
	d.receiver = to;
	d.memo = "";
	return d;
}

/* The bank denom of a trace. */
static void local(char out[128], const char *path)
{
	struct px_buf b = PX_BUF_INIT;
	struct ibc_denom d;

	assert_true(ibc_denom_parse(NULL, &d, path, strlen(path)));
	ibc_denom_local(&b, &d);
	assert_true(px_buf_ok(&b) && b.len < 128);
	memcpy(out, b.data, b.len);
	out[b.len] = '\0';
	px_buf_free(&b);
}

static void expect_balance(struct memhost *m, const char *addr, const char *denom,
			   const char *want)
{
	char got[80];

	memhost_balance(m, got, addr, denom);
	assert_string_equal(got, want);
}

static struct ibc_height hgt(uint64_t rev, uint64_t h)
{
	struct ibc_height r = { rev, h };

	return r;
}

static const char *escrow_a(void)
{
	return "escrow:transfer/channel-0";
}

static const char *escrow_b(void)
{
	return "escrow:transfer/channel-1";
}

/* Packet data bytes are opaque to these rules; a fixed JSON stands in. */
static struct px_slice data_bytes(void)
{
	static const char json[] = "{\"amount\":\"1\",\"denom\":\"d\"}";
	struct px_slice s = { (const uint8_t *)json, sizeof(json) - 1 };

	return s;
}

/* A -> B: escrow, send, receive and mint, ack back. */
static void a_to_b(struct testnet *t, const char *amount)
{
	struct ibc_ics20_data d = coin("uatom", amount, ALICE, BOB);
	const char *ack = "{\"result\":\"AQ==\"}";
	struct ibc_packet p;
	struct px_err err = { 0 };

	assert_true(ibc_transfer_on_send(t->ha, &err, TN_PORT, t->chan_a, &d));
	assert_true(ibc_packet_send(t->ha, &err, &p, TN_PORT, t->chan_a, hgt(2, 100000), 0,
				    data_bytes()));
	assert_true(ibc_packet_recv(t->hb, &err, &p, memhost_proof(), testnet_commit_a(t)));
	assert_true(ibc_transfer_on_recv(t->hb, &err, &p, &d));
	assert_true(ibc_packet_write_ack(t->hb, &err, &p, (const uint8_t *)ack, strlen(ack)));
	assert_true(ibc_packet_acknowledge(t->ha, &err, &p, (const uint8_t *)ack, strlen(ack),
					   memhost_proof(), testnet_commit_b(t)));
}

static void round_trip_conserves(void **state)
{
	struct testnet *t = *state;
	struct ibc_ics20_data back = coin("transfer/channel-1/uatom", "100", BOB, ALICE);
	const char *ack = "{\"result\":\"AQ==\"}";
	char voucher[128];
	struct ibc_packet p;
	struct px_err err = { 0 };

	local(voucher, "transfer/channel-1/uatom");
	assert_memory_equal(voucher, "ibc/", 4);

	a_to_b(t, "300");
	expect_balance(t->a, ALICE, "uatom", "700");
	expect_balance(t->a, escrow_a(), "uatom", "300");
	expect_balance(t->b, BOB, voucher, "300");

	/* B -> A: the voucher goes home, burned on B, unescrowed on A. */
	assert_true(ibc_transfer_on_send(t->hb, &err, TN_PORT, t->chan_b, &back));
	expect_balance(t->b, BOB, voucher, "200");
	expect_balance(t->b, escrow_b(), voucher, "0");
	assert_true(ibc_packet_send(t->hb, &err, &p, TN_PORT, t->chan_b, hgt(1, 100000), 0,
				    data_bytes()));
	assert_true(ibc_packet_recv(t->ha, &err, &p, memhost_proof(), testnet_commit_b(t)));
	assert_true(ibc_transfer_on_recv(t->ha, &err, &p, &back));
	assert_true(ibc_packet_write_ack(t->ha, &err, &p, (const uint8_t *)ack, strlen(ack)));
	assert_true(ibc_packet_acknowledge(t->hb, &err, &p, (const uint8_t *)ack, strlen(ack),
					   memhost_proof(), testnet_commit_a(t)));

	/* Supply on A (alice + escrow) is whole; vouchers equal escrow. */
	expect_balance(t->a, ALICE, "uatom", "800");
	expect_balance(t->a, escrow_a(), "uatom", "200");
	expect_balance(t->b, BOB, voucher, "200");
	/* Nothing minted on A and no native uatom on B. */
	expect_balance(t->b, BOB, "uatom", "0");
	local(voucher, "transfer/channel-0/transfer/channel-1/uatom");
	expect_balance(t->a, ALICE, voucher, "0");
}

static void timeout_refunds_escrow(void **state)
{
	struct testnet *t = *state;
	struct ibc_ics20_data d = coin("uatom", "250", ALICE, BOB);
	struct ibc_height tb = memhost_height(t->b), ph;
	struct ibc_packet p;
	struct px_err err = { 0 };

	tb.revision_height += 1;
	assert_true(ibc_transfer_on_send(t->ha, &err, TN_PORT, t->chan_a, &d));
	assert_true(ibc_packet_send(t->ha, &err, &p, TN_PORT, t->chan_a, tb, 0, data_bytes()));
	expect_balance(t->a, ALICE, "uatom", "750");
	expect_balance(t->a, escrow_a(), "uatom", "250");

	ph = testnet_commit_b(t);
	assert_true(ibc_packet_timeout(t->ha, &err, &p, memhost_proof(), ph, 0));
	assert_true(ibc_transfer_refund(t->ha, &err, &p, &d));
	expect_balance(t->a, ALICE, "uatom", "1000");
	expect_balance(t->a, escrow_a(), "uatom", "0");
}

/* A voucher sent home whose receive fails: the error ack mints it back. */
static void error_ack_refunds_voucher(void **state)
{
	struct testnet *t = *state;
	struct ibc_ics20_data back = coin("transfer/channel-1/uatom", "50", BOB, ALICE);
	char voucher[128];
	struct ibc_packet p;
	struct px_err err = { 0 };

	local(voucher, "transfer/channel-1/uatom");
	a_to_b(t, "300");
	assert_true(ibc_transfer_on_send(t->hb, &err, TN_PORT, t->chan_b, &back));
	assert_true(ibc_packet_send(t->hb, &err, &p, TN_PORT, t->chan_b, hgt(1, 100000), 0,
				    data_bytes()));
	expect_balance(t->b, BOB, voucher, "250");
	assert_true(ibc_packet_recv(t->ha, &err, &p, memhost_proof(), testnet_commit_b(t)));
	/* A's application failed: it writes an error acknowledgement. */
	assert_true(ibc_packet_write_ack(t->ha, &err, &p, (const uint8_t *)ERR_ACK,
					 strlen(ERR_ACK)));
	assert_true(ibc_packet_acknowledge(t->hb, &err, &p, (const uint8_t *)ERR_ACK,
					   strlen(ERR_ACK), memhost_proof(), testnet_commit_a(t)));
	assert_true(ibc_transfer_refund(t->hb, &err, &p, &back));
	expect_balance(t->b, BOB, voucher, "300");
	expect_balance(t->a, ALICE, "uatom", "700");
	expect_balance(t->a, escrow_a(), "uatom", "300");
}

static void send_rejections_move_nothing(void **state)
{
	struct testnet *t = *state;
	struct ibc_ics20_data d = coin("uatom", "1001", ALICE, BOB);
	struct px_err err = { 0 };

	assert_false(ibc_transfer_on_send(t->ha, &err, TN_PORT, t->chan_a, &d));
	assert_int_equal(err.code, PX_E_IBC_FUNDS);
	px_err_clear(&err);

	d = coin("uatom", "0", ALICE, BOB);
	assert_false(ibc_transfer_on_send(t->ha, &err, TN_PORT, t->chan_a, &d));
	assert_int_equal(err.code, PX_E_NUMBER);
	px_err_clear(&err);

	d = coin("uatom", "010", ALICE, BOB);
	assert_false(ibc_transfer_on_send(t->ha, &err, TN_PORT, t->chan_a, &d));
	assert_int_equal(err.code, PX_E_NUMBER);
	px_err_clear(&err);

	d = coin("uatom", "-5", ALICE, BOB);
	assert_false(ibc_transfer_on_send(t->ha, &err, TN_PORT, t->chan_a, &d));
	assert_int_equal(err.code, PX_E_NUMBER);
	px_err_clear(&err);

	/* 2^256 does not parse. */
	d = coin("uatom",
		 "115792089237316195423570985008687907853269984665640564039457584007913129639936",
		 ALICE, BOB);
	assert_false(ibc_transfer_on_send(t->ha, &err, TN_PORT, t->chan_a, &d));
	assert_int_equal(err.code, PX_E_NUMBER);
	px_err_clear(&err);

	d = coin("", "5", ALICE, BOB);
	assert_false(ibc_transfer_on_send(t->ha, &err, TN_PORT, t->chan_a, &d));
	assert_int_equal(err.code, PX_E_MALFORMED);
	px_err_clear(&err);

	/* Sending a voucher one does not hold. */
	d = coin("transfer/channel-0/uosmo", "5", ALICE, BOB);
	assert_false(ibc_transfer_on_send(t->ha, &err, TN_PORT, t->chan_a, &d));
	assert_int_equal(err.code, PX_E_IBC_FUNDS);

	expect_balance(t->a, ALICE, "uatom", "1000");
	expect_balance(t->a, escrow_a(), "uatom", "0");
}

static void mint_overflow_refused(void **state)
{
	struct testnet *t = *state;
	static const char max[] = "1157920892373161954235709850086879078532699846656405640"
				  "39457584007913129639935";
	static const char near[] = "1157920892373161954235709850086879078532699846656405640"
				   "39457584007913129639800";
	struct ibc_ics20_data d = coin("uatom", "300", ALICE, BOB);
	char voucher[128];
	struct ibc_packet p;
	struct px_err err = { 0 };

	local(voucher, "transfer/channel-1/uatom");
	memhost_set_balance(t->b, BOB, voucher, near);
	assert_true(ibc_transfer_on_send(t->ha, &err, TN_PORT, t->chan_a, &d));
	assert_true(ibc_packet_send(t->ha, &err, &p, TN_PORT, t->chan_a, hgt(2, 100000), 0,
				    data_bytes()));
	assert_true(ibc_packet_recv(t->hb, &err, &p, memhost_proof(), testnet_commit_a(t)));
	assert_false(ibc_transfer_on_recv(t->hb, &err, &p, &d));
	assert_int_equal(err.code, PX_E_IBC_OVERFLOW);
	expect_balance(t->b, BOB, voucher, near);

	/* Up to the maximum is fine. */
	px_err_clear(&err);
	d = coin("uatom", "135", ALICE, BOB);
	assert_true(ibc_transfer_on_recv(t->hb, &err, &p, &d));
	expect_balance(t->b, BOB, voucher, max);
}

/* A token claiming to come home with more than the escrow holds. */
static void short_escrow_refused(void **state)
{
	struct testnet *t = *state;
	struct ibc_ics20_data d = coin("transfer/channel-1/uatom", "10", BOB, ALICE);
	struct ibc_packet p;
	struct px_err err = { 0 };

	memset(&p, 0, sizeof(p));
	p.sequence = 1;
	snprintf(p.source_port, sizeof(p.source_port), TN_PORT);
	snprintf(p.source_channel, sizeof(p.source_channel), "%s", t->chan_b);
	snprintf(p.destination_port, sizeof(p.destination_port), TN_PORT);
	snprintf(p.destination_channel, sizeof(p.destination_channel), "%s", t->chan_a);
	assert_false(ibc_transfer_on_recv(t->ha, &err, &p, &d));
	assert_int_equal(err.code, PX_E_IBC_FUNDS);
	expect_balance(t->a, ALICE, "uatom", "1000");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(round_trip_conserves),
		T(timeout_refunds_escrow),
		T(error_ack_refunds_voucher),
		T(send_rejections_move_nothing),
		T(mint_overflow_refused),
		T(short_escrow_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
