/* Unit tests for ibc/core/audit.c and audit_input.c over relayed messages
 * with real proofs (testpackets.c): each of MsgRecvPacket,
 * MsgAcknowledgement, unordered and ordered MsgTimeout verifies against
 * its counterparty's app hash with the right path and value, and each
 * change the proof must catch is refused with a 3xx code (packet data,
 * sequence, timeout, ack bytes, next_sequence_recv, app hash, every proof
 * byte); the rules (proof height against the header, ordered sequence,
 * timeout elapsed) refuse what they must; ValidateBasic faults are 2xx and
 * name the field; and the input detection tells bare bytes, Any, TxRaw
 * and RPC JSON apart. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/encoding.h"
#include "ibc/core/audit.h"
#include "ibc/core/commitment.h"
#include "testchain.h"
#include "testpackets.h"

static struct tpk_world w;

static int setup(void **state)
{
	(void)state;
	tpk_world_build(&w);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tpk_world_free(&w);
	return 0;
}

/* A decoded message over its own copy of the bytes (flips go to copy). */
struct held {
	struct px_buf copy;
	struct ibc_audit_input in;
	struct ibc_audit_msg m;
};

static void hold(struct held *h, const struct px_buf *msg)
{
	struct px_err err = { 0 };

	memset(h, 0, sizeof(*h));
	px_buf_append(&h->copy, msg->data, msg->len);
	assert_true(px_buf_ok(&h->copy));
	if (!ibc_audit_input_parse(&err, &h->in, h->copy.data, h->copy.len, IBC_MSG_UNKNOWN))
		fail_msg("parse: %s", err.msg);
	assert_int_equal(h->in.n_packets, 1);
	h->m = h->in.items[0].msg;
}

static void release(struct held *h)
{
	ibc_audit_input_free(&h->in);
	px_buf_free(&h->copy);
}

static int check(const struct ibc_audit_msg *m, const uint8_t *app,
		 const struct ibc_audit_opts *o, struct ibc_audit_report *r)
{
	struct px_err err = { 0 };
	bool ok = ibc_audit_check(&err, r, m, app, 32, o);

	assert_true(ok == !px_err_is_set(&err));
	assert_true(ok == r->verified);
	return ok ? 0 : err.code;
}

static void assert_3xx(int code)
{
	if (code < 300 || code >= 400)
		fail_msg("code %d, want 3xx", code);
}

static struct px_slice proof_of(const struct ibc_audit_msg *m)
{
	switch (m->kind) {
	case IBC_MSG_RECV_PACKET: return m->u.recv.proof_commitment;
	case IBC_MSG_ACKNOWLEDGEMENT: return m->u.ack.proof_acked;
	default: return m->u.timeout.proof_unreceived;
	}
}

/* Flips every byte of the message's proof in turn; returns how many
 * flips were still accepted. */
static size_t proof_flips_accepted(struct held *h, const uint8_t *app,
				   const struct ibc_audit_opts *o)
{
	struct px_slice p = proof_of(&h->m);
	uint8_t *b = h->copy.data + (p.ptr - h->copy.data);
	struct ibc_audit_report r;
	size_t accepted = 0;

	for (size_t i = 0; i < p.len; i++) {
		b[i] ^= 0x01;
		if (check(&h->m, app, o, &r) == 0)
			accepted++;
		b[i] ^= 0x01;
	}
	assert_int_equal(check(&h->m, app, o, &r), 0);
	return accepted;
}

static void test_recv(void **state)
{
	struct held h;
	struct ibc_audit_report r;
	struct ibc_audit_msg x;
	uint8_t want[32], bad[32];
	uint8_t *data;

	(void)state;
	hold(&h, &w.recv[0]);
	assert_int_equal(h.in.source, IBC_AUDIT_SRC_MSG);
	assert_int_equal(h.m.kind, IBC_MSG_RECV_PACKET);
	assert_int_equal(check(&h.m, w.app_a, NULL, &r), 0);
	assert_int_equal(r.claim, IBC_AUDIT_CLAIM_COMMITMENT);
	assert_string_equal(r.path.prefix, "ibc");
	assert_string_equal(r.path.key.s, "commitments/ports/transfer/channels/channel-0/sequences/1");
	ibc_commit_packet_v1(want, &h.m.u.recv.packet);
	assert_int_equal(r.value_len, 32);
	assert_memory_equal(r.value, want, 32);
	assert_true(r.proof_ok);
	assert_int_equal(r.proof_height.revision_number, TPK_REVISION);
	assert_int_equal(r.proof_height.revision_height, TPK_PROOF_HEIGHT);
	assert_int_equal(r.elapsed, IBC_AUDIT_ELAPSED_NA);

	/* The other chain's app hash, and a changed one. */
	assert_3xx(check(&h.m, w.app_b, NULL, &r));
	memcpy(bad, w.app_a, 32);
	bad[31] ^= 0x80;
	assert_3xx(check(&h.m, bad, NULL, &r));
	assert_false(r.proof_ok);

	/* A byte of the data (in place: the commitment hashes it). */
	data = h.copy.data + (h.m.u.recv.packet.data.ptr - h.copy.data);
	data[3] ^= 0x01;
	assert_3xx(check(&h.m, w.app_a, NULL, &r));
	data[3] ^= 0x01;
	x = h.m;
	x.u.recv.packet.sequence = 2;
	assert_3xx(check(&x, w.app_a, NULL, &r));
	x = h.m;
	x.u.recv.packet.timeout_timestamp = 1;
	assert_3xx(check(&x, w.app_a, NULL, &r));
	x = h.m;
	x.u.recv.packet.timeout_height.revision_height++;
	assert_3xx(check(&x, w.app_a, NULL, &r));
	x = h.m;
	x.u.recv.packet.timeout_height.revision_number = 0;
	assert_3xx(check(&x, w.app_a, NULL, &r));
	x = h.m;
	snprintf(x.u.recv.packet.source_channel, sizeof(x.u.recv.packet.source_channel),
		 "channel-9");
	assert_3xx(check(&x, w.app_a, NULL, &r));
	/* Another prefix than the store's name. */
	{
		struct ibc_audit_opts o = { .prefix = "bank" };

		assert_3xx(check(&h.m, w.app_a, &o, &r));
	}
	assert_int_equal(proof_flips_accepted(&h, w.app_a, NULL), 0);
	release(&h);

	/* The third packet's message proves its own commitment only. */
	hold(&h, &w.recv[2]);
	assert_int_equal(check(&h.m, w.app_a, NULL, &r), 0);
	assert_string_equal(r.path.key.s, "commitments/ports/transfer/channels/channel-0/sequences/3");
	release(&h);
}

static void test_ack(void **state)
{
	struct held h;
	struct ibc_audit_report r;
	struct ibc_audit_msg x;
	uint8_t want[32];
	uint8_t *ack;

	(void)state;
	hold(&h, &w.ack[0]);
	assert_int_equal(h.m.kind, IBC_MSG_ACKNOWLEDGEMENT);
	assert_int_equal(check(&h.m, w.app_b, NULL, &r), 0);
	assert_int_equal(r.claim, IBC_AUDIT_CLAIM_ACK);
	assert_string_equal(r.path.key.s, "acks/ports/transfer/channels/channel-1/sequences/1");
	ibc_commit_ack_v1(want, (const uint8_t *)"{\"result\":\"AQ==\"}", 17);
	assert_memory_equal(r.value, want, 32);
	/* What the sender must still hold (not covered by this proof). */
	ibc_commit_packet_v1(want, &h.m.u.ack.packet);
	assert_memory_equal(r.packet_commitment, want, 32);
	assert_3xx(check(&h.m, w.app_a, NULL, &r));

	ack = h.copy.data + (h.m.u.ack.acknowledgement.ptr - h.copy.data);
	for (size_t i = 0; i < h.m.u.ack.acknowledgement.len; i++) {
		ack[i] ^= 0x01;
		assert_3xx(check(&h.m, w.app_b, NULL, &r));
		ack[i] ^= 0x01;
	}
	x = h.m;
	x.u.ack.acknowledgement.len--;
	assert_3xx(check(&x, w.app_b, NULL, &r));
	x = h.m;
	x.u.ack.packet.sequence = 2;
	assert_3xx(check(&x, w.app_b, NULL, &r));
	x = h.m;
	snprintf(x.u.ack.packet.destination_port, sizeof(x.u.ack.packet.destination_port), "ica");
	assert_3xx(check(&x, w.app_b, NULL, &r));
	assert_int_equal(proof_flips_accepted(&h, w.app_b, NULL), 0);
	release(&h);
}

static void test_timeout_unordered(void **state)
{
	struct held h;
	struct ibc_audit_report r;
	struct ibc_audit_msg x;
	struct ibc_audit_opts o = { .has_header = true, .header_height = TPK_PROOF_HEIGHT,
				    .header_revision = TPK_REVISION,
				    .header_time = { TC_T0 + 10 * TPK_PROOF_HEIGHT, 0 } };
	struct ibc_path key;
	struct px_err err = { 0 };
	size_t accepted;

	(void)state;
	hold(&h, &w.timeout);
	assert_int_equal(h.m.kind, IBC_MSG_TIMEOUT);
	/* Without a header the timestamp cannot be judged: the proof stands. */
	assert_int_equal(check(&h.m, w.app_b, NULL, &r), 0);
	assert_int_equal(r.claim, IBC_AUDIT_CLAIM_NO_RECEIPT);
	assert_int_equal(r.value_len, 0);
	assert_int_equal(r.elapsed, IBC_AUDIT_ELAPSED_UNKNOWN);
	assert_string_equal(r.path.key.s, "receipts/ports/transfer/channels/channel-1/sequences/3");
	assert_int_equal(check(&h.m, w.app_b, &o, &r), 0);
	assert_int_equal(r.elapsed, IBC_AUDIT_ELAPSED_YES);
	assert_3xx(check(&h.m, w.app_a, NULL, &r));

	/* A received packet's receipt is there: its absence cannot be proven. */
	x = h.m;
	x.u.timeout.packet.sequence = 2;
	assert_3xx(check(&x, w.app_b, NULL, &r));
	/* Pinned ordered: the absence proof is not a nextSequenceRecv proof. */
	o.ordering = IBC_AUDIT_ORDER_ORDERED;
	assert_3xx(check(&h.m, w.app_b, &o, &r));
	o.ordering = IBC_AUDIT_ORDER_AUTO;
	/* Only the absent key's bytes in the NonExistenceProof are inert. */
	assert_true(ibc_path_packet_receipt(&err, &key, "transfer", "channel-1", 3));
	accepted = proof_flips_accepted(&h, w.app_b, &o);
	assert_true(accepted <= key.len);
	/* The header must be the one at the proof height, of the revision. */
	o.header_height = TPK_PROOF_HEIGHT + 1;
	assert_int_equal(check(&h.m, w.app_b, &o, &r), PX_E_IBC_PROOF);
	assert_true(r.proof_ok);
	o.header_height = TPK_PROOF_HEIGHT;
	o.header_revision = 0;
	assert_int_equal(check(&h.m, w.app_b, &o, &r), PX_E_IBC_PROOF);
	o.header_revision = TPK_REVISION;
	/* Before the timestamp. */
	o.header_time.seconds = TC_T0 + 59;
	assert_int_equal(check(&h.m, w.app_b, &o, &r), PX_E_IBC_NOT_TIMED_OUT);
	assert_int_equal(r.elapsed, IBC_AUDIT_ELAPSED_NO);
	release(&h);

	/* A packet whose timeout is a day away: fine without a header, refused
	 * by the header's time. */
	hold(&h, &w.timeout_pending);
	o.header_time.seconds = TC_T0 + 10 * TPK_PROOF_HEIGHT;
	assert_int_equal(check(&h.m, w.app_b, NULL, &r), 0);
	assert_int_equal(check(&h.m, w.app_b, &o, &r), PX_E_IBC_NOT_TIMED_OUT);
	assert_true(r.proof_ok);
	release(&h);
}

static void test_timeout_ordered(void **state)
{
	struct held h;
	struct ibc_audit_report r;
	struct ibc_audit_msg x;
	struct ibc_audit_opts o = { .ordering = IBC_AUDIT_ORDER_UNORDERED };
	static const uint8_t five[8] = { 0, 0, 0, 0, 0, 0, 0, 5 };

	(void)state;
	hold(&h, &w.timeout_ordered);
	assert_int_equal(check(&h.m, w.app_b, NULL, &r), 0);
	assert_int_equal(r.claim, IBC_AUDIT_CLAIM_NEXT_SEQ_RECV);
	assert_string_equal(r.path.key.s, "nextSequenceRecv/ports/transfer/channels/channel-7");
	assert_int_equal(r.value_len, 8);
	assert_memory_equal(r.value, five, 8);
	assert_int_equal(r.elapsed, IBC_AUDIT_ELAPSED_YES);	/* by height: 5 <= 11 */
	assert_3xx(check(&h.m, w.app_b, &o, &r));	/* pinned unordered */
	o.ordering = IBC_AUDIT_ORDER_ORDERED;
	assert_int_equal(check(&h.m, w.app_b, &o, &r), 0);
	x = h.m;
	x.u.timeout.next_sequence_recv = 4;
	assert_3xx(check(&x, w.app_b, NULL, &r));
	x.u.timeout.next_sequence_recv = 6;
	assert_3xx(check(&x, w.app_b, NULL, &r));
	/* The timeout height not reached at the proof height. */
	x = h.m;
	x.u.timeout.packet.timeout_height.revision_height = 12;
	assert_int_equal(check(&x, w.app_b, NULL, &r), PX_E_IBC_NOT_TIMED_OUT);
	x.u.timeout.packet.timeout_height.revision_height = 11;
	assert_int_equal(check(&x, w.app_b, NULL, &r), 0);
	assert_int_equal(proof_flips_accepted(&h, w.app_b, NULL), 0);
	release(&h);

	/* Sequence 4 < nextSequenceRecv 5: already received. */
	hold(&h, &w.timeout_received);
	assert_int_equal(check(&h.m, w.app_b, NULL, &r), PX_E_IBC_ALREADY_RECEIVED);
	assert_true(r.proof_ok);
	release(&h);
}

static void test_validate_basic(void **state)
{
	struct held h;
	struct ibc_audit_report r;
	struct ibc_audit_msg x;
	struct px_err err = { 0 };

	(void)state;
	hold(&h, &w.recv[0]);
	x = h.m;
	x.u.recv.packet.data.len = 0;
	assert_false(ibc_audit_check(&err, &r, &x, w.app_a, 32, NULL));
	assert_int_equal(err.code, PX_E_MALFORMED);
	assert_non_null(strstr(err.msg, "Packet.data"));
	px_err_clear(&err);
	x = h.m;
	x.u.recv.proof_commitment.len = 0;
	assert_false(ibc_audit_check(&err, &r, &x, w.app_a, 32, NULL));
	assert_non_null(strstr(err.msg, "proof_commitment"));
	px_err_clear(&err);
	x = h.m;
	memset(&x.u.recv.proof_height, 0, sizeof(x.u.recv.proof_height));
	assert_false(ibc_audit_check(&err, &r, &x, w.app_a, 32, NULL));
	assert_non_null(strstr(err.msg, "proof_height"));
	px_err_clear(&err);
	x = h.m;
	memset(&x.u.recv.packet.timeout_height, 0, sizeof(x.u.recv.packet.timeout_height));
	x.u.recv.packet.timeout_timestamp = 0;
	assert_false(ibc_audit_check(&err, &r, &x, w.app_a, 32, NULL));
	assert_int_equal(err.code, PX_E_MALFORMED);
	px_err_clear(&err);
	x = h.m;
	x.u.recv.packet.sequence = 0;
	assert_false(ibc_audit_check(&err, &r, &x, w.app_a, 32, NULL));
	assert_int_equal(err.code / 100, 2);
	px_err_clear(&err);
	x = h.m;
	snprintf(x.u.recv.packet.source_port, sizeof(x.u.recv.packet.source_port), "a/b");
	assert_false(ibc_audit_check(&err, &r, &x, w.app_a, 32, NULL));
	assert_int_equal(err.code / 100, 2);
	px_err_clear(&err);
	/* A proof that is not a MerkleProof. */
	x = h.m;
	x.u.recv.proof_commitment.len = 3;
	assert_false(ibc_audit_check(&err, &r, &x, w.app_a, 32, NULL));
	assert_int_not_equal(err.code, 0);
	px_err_clear(&err);
	/* Bad arguments. */
	assert_false(ibc_audit_check(&err, &r, &h.m, w.app_a, 0, NULL));
	assert_int_equal(err.code, PX_E_USAGE);
	px_err_clear(&err);
	x = h.m;
	x.kind = IBC_MSG_TRANSFER;
	assert_false(ibc_audit_check(&err, &r, &x, w.app_a, 32, NULL));
	assert_int_equal(err.code, PX_E_UNSUPPORTED);
	release(&h);

	hold(&h, &w.ack[0]);
	x = h.m;
	x.u.ack.acknowledgement.len = 0;
	px_err_clear(&err);
	assert_false(ibc_audit_check(&err, &r, &x, w.app_b, 32, NULL));
	assert_non_null(strstr(err.msg, "acknowledgement"));
	release(&h);
}

static void test_input(void **state)
{
	struct ibc_audit_input in;
	struct px_err err = { 0 };
	struct px_buf b = PX_BUF_INIT, js = PX_BUF_INIT;
	struct ibc_any a = { ibc_str(IBC_URL_MSG_RECV_PACKET), px_slice_of(&w.recv[0]) };
	struct ibc_audit_report r;

	(void)state;
	/* An Any. */
	assert_true(ibc_any_encode(&err, &b, &a));
	assert_true(ibc_audit_input_parse(&err, &in, b.data, b.len, IBC_MSG_UNKNOWN));
	assert_int_equal(in.source, IBC_AUDIT_SRC_ANY);
	assert_int_equal(in.items[0].kind, IBC_MSG_RECV_PACKET);
	ibc_audit_input_free(&in);
	/* The wrong type asked for. */
	assert_false(ibc_audit_input_parse(&err, &in, b.data, b.len, IBC_MSG_TIMEOUT));
	assert_int_equal(err.code / 100, 2);
	px_err_clear(&err);
	/* An Any of another message. */
	px_buf_reset(&b);
	a.type_url = ibc_str(IBC_URL_MSG_TRANSFER);
	assert_true(ibc_any_encode(&err, &b, &a));
	assert_false(ibc_audit_input_parse(&err, &in, b.data, b.len, IBC_MSG_UNKNOWN));
	assert_int_equal(err.code, PX_E_UNSUPPORTED);
	px_err_clear(&err);

	/* Bare bytes of each kind, told apart. */
	assert_true(ibc_audit_input_parse(&err, &in, w.ack[0].data, w.ack[0].len,
					  IBC_MSG_UNKNOWN));
	assert_int_equal(in.items[0].kind, IBC_MSG_ACKNOWLEDGEMENT);
	ibc_audit_input_free(&in);
	assert_true(ibc_audit_input_parse(&err, &in, w.timeout.data, w.timeout.len,
					  IBC_MSG_UNKNOWN));
	assert_int_equal(in.items[0].kind, IBC_MSG_TIMEOUT);
	ibc_audit_input_free(&in);
	assert_true(ibc_audit_input_parse(&err, &in, w.timeout.data, w.timeout.len,
					  IBC_MSG_TIMEOUT));
	ibc_audit_input_free(&in);
	assert_false(ibc_audit_input_parse(&err, &in, w.timeout.data, w.timeout.len,
					   IBC_MSG_RECV_PACKET));
	assert_int_equal(err.code / 100, 2);
	px_err_clear(&err);

	/* A TxRaw: every message listed, the packet ones decoded. */
	assert_true(ibc_audit_input_parse(&err, &in, w.tx_b.data, w.tx_b.len, IBC_MSG_UNKNOWN));
	assert_int_equal(in.source, IBC_AUDIT_SRC_TX);
	assert_int_equal(in.n_items, 3);
	assert_int_equal(in.n_packets, 2);
	assert_false(in.items[0].is_packet);
	assert_int_equal(in.items[2].index, 2);
	assert_int_equal(in.items[2].msg.u.recv.packet.sequence, 2);
	for (size_t i = 1; i < 3; i++)
		assert_int_equal(check(&in.items[i].msg, w.app_a, NULL, &r), 0);
	ibc_audit_input_free(&in);
	assert_true(ibc_audit_input_parse(&err, &in, w.tx_a.data, w.tx_a.len, IBC_MSG_UNKNOWN));
	assert_int_equal(in.n_packets, 4);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(check(&in.items[i].msg, w.app_b, NULL, &r), 0);
	ibc_audit_input_free(&in);
	assert_true(ibc_audit_input_parse(&err, &in, w.tx_none.data, w.tx_none.len,
					  IBC_MSG_UNKNOWN));
	assert_int_equal(in.n_packets, 0);
	ibc_audit_input_free(&in);

	/* The same in a `tx` RPC result, with white space first. */
	{
		static const char head[] =
			"\n {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"height\":\"12\",\"tx\":\"";

		px_buf_append(&js, head, strlen(head));
	}
	px_base64_encode(&js, w.tx_b.data, w.tx_b.len, PX_B64_STD, true);
	px_buf_append(&js, "\"}}", 3);
	assert_true(ibc_audit_input_parse(&err, &in, js.data, js.len, IBC_MSG_UNKNOWN));
	assert_int_equal(in.source, IBC_AUDIT_SRC_TX_JSON);
	assert_int_equal(in.tx_height, 12);
	assert_int_equal(in.n_packets, 2);
	ibc_audit_input_free(&in);
	/* Broken JSON, JSON without a tx, a tx that is not one. */
	assert_false(ibc_audit_input_parse(&err, &in, js.data, js.len - 1, IBC_MSG_UNKNOWN));
	assert_int_equal(err.code / 100, 2);
	px_err_clear(&err);
	assert_false(ibc_audit_input_parse(&err, &in, (const uint8_t *)"{\"result\":{}}", 13,
					   IBC_MSG_UNKNOWN));
	assert_int_equal(err.code, PX_E_JSON);
	px_err_clear(&err);
	assert_false(ibc_audit_input_parse(&err, &in, (const uint8_t *)"{\"tx\":\"AAAA\"}", 13,
					   IBC_MSG_UNKNOWN));
	assert_int_equal(err.code / 100, 2);
	px_err_clear(&err);

	/* Garbage, truncation, nothing. */
	assert_false(ibc_audit_input_parse(&err, &in, (const uint8_t *)"\xff\xff\xff", 3,
					   IBC_MSG_UNKNOWN));
	assert_int_equal(err.code / 100, 2);
	px_err_clear(&err);
	assert_false(ibc_audit_input_parse(&err, &in, w.recv[0].data, w.recv[0].len - 5,
					   IBC_MSG_UNKNOWN));
	assert_int_equal(err.code / 100, 2);
	px_err_clear(&err);
	assert_false(ibc_audit_input_parse(&err, &in, NULL, 0, IBC_MSG_UNKNOWN));
	assert_int_equal(err.code / 100, 2);
	assert_null(in.items);
	px_buf_free(&b);
	px_buf_free(&js);
}

static void test_chain_id_revision(void **state)
{
	(void)state;
	assert_int_equal(ibc_chain_id_revision("cosmoshub-4"), 4);
	assert_int_equal(ibc_chain_id_revision("chain-b-1"), 1);
	assert_int_equal(ibc_chain_id_revision("osmosis-1"), 1);
	assert_int_equal(ibc_chain_id_revision("evmos_9001-2"), 2);
	assert_int_equal(ibc_chain_id_revision("testchain"), 0);
	assert_int_equal(ibc_chain_id_revision("chain-0"), 0);
	assert_int_equal(ibc_chain_id_revision("chain-01"), 0);
	assert_int_equal(ibc_chain_id_revision("chain--1"), 0);
	assert_int_equal(ibc_chain_id_revision("-1"), 0);
	assert_int_equal(ibc_chain_id_revision("chain-1x"), 0);
	assert_int_equal(ibc_chain_id_revision("chain-99999999999999999999999"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recv),
		cmocka_unit_test(test_ack),
		cmocka_unit_test(test_timeout_unordered),
		cmocka_unit_test(test_timeout_ordered),
		cmocka_unit_test(test_validate_basic),
		cmocka_unit_test(test_input),
		cmocka_unit_test(test_chain_id_revision),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
