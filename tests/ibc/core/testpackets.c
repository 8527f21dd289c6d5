/* Relayed packet messages with real proofs (see testpackets.h). */
#include "testpackets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chains/cosmos/tx.h"
#include "chains/devnet/store_multi.h"
#include "ibc/codec/channel.h"
#include "ibc/codec/commitment.h"
#include "ibc/core/commitment.h"
#include "ibc/core/paths.h"
#include "testchain.h"

#define VERSION 10
#define SIGNER "cosmos1relayer0000000000000000000000000000"
#define ACK_JSON "{\"result\":\"AQ==\"}"
#define NS(s) ((uint64_t)(s) * 1000000000u)

static void die(const char *what, const struct px_err *err)
{
	fprintf(stderr, "testpackets: %s: %s\n", what, err ? err->msg : "");
	abort();
}

struct pk {
	struct ibc_packet p;
	char data[256];
};

static void packet_make(struct pk *k, uint64_t seq, const char *src_chan, const char *dst_chan,
			struct ibc_height th, uint64_t tts)
{
	memset(k, 0, sizeof(*k));
	k->p.sequence = seq;
	snprintf(k->p.source_port, sizeof(k->p.source_port), "transfer");
	snprintf(k->p.source_channel, sizeof(k->p.source_channel), "%s", src_chan);
	snprintf(k->p.destination_port, sizeof(k->p.destination_port), "transfer");
	snprintf(k->p.destination_channel, sizeof(k->p.destination_channel), "%s", dst_chan);
	snprintf(k->data, sizeof(k->data),
		 "{\"amount\":\"%llu000\",\"denom\":\"uatom\",\"receiver\":\"cosmos1receiver\","
		 "\"sender\":\"cosmos1sender\"}",
		 (unsigned long long)seq);
	k->p.data.ptr = (const uint8_t *)k->data;
	k->p.data.len = strlen(k->data);
	k->p.timeout_height = th;
	k->p.timeout_timestamp = tts;
}

static void set(struct devnet_multi *m, const struct ibc_path *key, const uint8_t *v, size_t n)
{
	struct px_err err = { 0 };

	if (!devnet_iavl_set(&err, devnet_multi_store(m, "ibc"), (const uint8_t *)key->s, key->len,
			     v, n))
		die("set", &err);
}

static void be64(uint8_t out[8], uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		out[i] = (uint8_t)v;
		v >>= 8;
	}
}

/* The MerkleProof of key at VERSION: [iavl, simple]. */
static void merkle_proof(struct px_buf *out, const struct devnet_multi *m,
			 const struct ibc_path *key)
{
	struct devnet_query q;
	struct ibc_merkle_proofs mp = { .len = 2 };
	struct px_err err = { 0 };

	if (!devnet_multi_query(&err, &q, m, "ibc", (const uint8_t *)key->s, key->len, VERSION,
				true))
		die("query", &err);
	mp.proofs[0] = px_slice_of(&q.iavl_proof);
	mp.proofs[1] = px_slice_of(&q.simple_proof);
	if (!ibc_merkle_proofs_encode(&err, out, &mp))
		die("merkle proof", &err);
	devnet_query_free(&q);
}

static struct devnet_multi *store_open(void)
{
	struct devnet_multi_opts o = { .initial_version = VERSION };
	struct devnet_multi *m;
	struct px_err err = { 0 };

	if (!devnet_multi_open(&err, &m, NULL, &o))
		die("open", &err);
	return m;
}

static void commit(struct devnet_multi *m, uint8_t app[32])
{
	struct px_err err = { 0 };
	int64_t v;

	if (!devnet_multi_commit(&err, app, &v, m) || v != VERSION)
		die("commit", &err);
}

static const struct ibc_height proof_height = { TPK_REVISION, TPK_PROOF_HEIGHT };

static void recv_msg(struct px_buf *out, const struct pk *k, const struct px_buf *proof)
{
	struct ibc_msg_recv_packet m = { .packet = k->p, .proof_commitment = px_slice_of(proof),
					 .proof_height = proof_height,
					 .signer = ibc_str(SIGNER) };
	struct px_err err = { 0 };

	if (!ibc_msg_recv_packet_encode(&err, out, &m))
		die("recv", &err);
}

static void ack_msg(struct px_buf *out, const struct pk *k, const struct px_buf *proof)
{
	struct ibc_msg_acknowledgement m = { .packet = k->p, .acknowledgement = ibc_str(ACK_JSON),
					     .proof_acked = px_slice_of(proof),
					     .proof_height = proof_height,
					     .signer = ibc_str(SIGNER) };
	struct px_err err = { 0 };

	if (!ibc_msg_acknowledgement_encode(&err, out, &m))
		die("ack", &err);
}

static void timeout_msg(struct px_buf *out, const struct pk *k, uint64_t next,
			const struct px_buf *proof)
{
	struct ibc_msg_timeout m = { .packet = k->p, .proof_unreceived = px_slice_of(proof),
				     .proof_height = proof_height, .next_sequence_recv = next,
				     .signer = ibc_str(SIGNER) };
	struct px_err err = { 0 };

	if (!ibc_msg_timeout_encode(&err, out, &m))
		die("timeout", &err);
}

/* A TxRaw signed in SIGN_MODE_DIRECT by a fixed test key. */
static void tx_make(struct px_buf *out, const struct cosmos_any *msgs, size_t n)
{
	static const char key_hex[] =
		"0101010101010101010101010101010101010101010101010101010101010101";
	struct cosmos_key key;
	struct cosmos_coin fee = { cosmos_str("uatom"), cosmos_str("2500") };
	struct cosmos_tx_params p = { .messages = msgs, .n_messages = n,
				      .memo = cosmos_str("relayed by pontifex tests"),
				      .fee = &fee, .n_fee = 1, .gas_limit = 400000,
				      .chain_id = cosmos_str("chain-x-1"), .account_number = 7,
				      .sequence = 3 };
	struct px_err err = { 0 };

	if (!cosmos_key_from_hex(&err, &key, key_hex, 64) ||
	    !cosmos_tx_sign_direct(&err, out, NULL, &key, &p))
		die("tx", &err);
	cosmos_key_wipe(&key);
}

static struct cosmos_any any_of(const char *url, const struct px_buf *b)
{
	struct cosmos_any a = { cosmos_str(url), px_slice_of(b) };
	return a;
}

void tpk_world_build(struct tpk_world *w)
{
	static const uint8_t bank_send[] = { 0x0a, 0x05, 'a', 'l', 'i', 'c', 'e', 0x12, 0x03,
					     'b', 'o', 'b' };
	struct devnet_multi *a = store_open(), *b = store_open();
	struct pk p[5], o4, o5;
	struct ibc_path key;
	struct px_buf proof = PX_BUF_INIT, bank = PX_BUF_INIT;
	struct px_err err = { 0 };
	uint8_t v[32], one = IBC_RECEIPT_VALUE;
	struct ibc_height th = { TPK_REVISION, 1000 }, elapsed = { TPK_REVISION, 5 }, none = { 0, 0 };
	struct cosmos_any msgs[4];

	memset(w, 0, sizeof(*w));
	packet_make(&p[1], 1, "channel-0", "channel-1", th, 0);
	packet_make(&p[2], 2, "channel-0", "channel-1", th, 0);
	packet_make(&p[3], 3, "channel-0", "channel-1", none, NS(TC_T0 + 60));
	packet_make(&p[4], 4, "channel-0", "channel-1", none, NS(TC_T0 + 86400));
	packet_make(&o4, 4, "channel-6", "channel-7", elapsed, 0);
	packet_make(&o5, 5, "channel-6", "channel-7", elapsed, 0);

	/* A: the sender's commitments, and state a chain also holds. */
	for (int i = 1; i <= 4; i++) {
		if (!ibc_path_packet_commitment(&err, &key, "transfer", "channel-0", (uint64_t)i))
			die("path", &err);
		ibc_commit_packet_v1(v, &p[i].p);
		set(a, &key, v, sizeof(v));
	}
	for (int i = 0; i < 2; i++) {
		const struct pk *k = i ? &o5 : &o4;

		if (!ibc_path_packet_commitment(&err, &key, "transfer", "channel-6", k->p.sequence))
			die("path", &err);
		ibc_commit_packet_v1(v, &k->p);
		set(a, &key, v, sizeof(v));
	}
	if (!ibc_path_next_sequence_send(&err, &key, "transfer", "channel-0"))
		die("path", &err);
	be64(v, 5);
	set(a, &key, v, 8);
	commit(a, w->app_a);

	/* B: receipts and acks of P1, P2; the ordered channel's next recv. */
	for (int i = 1; i <= 2; i++) {
		if (!ibc_path_packet_receipt(&err, &key, "transfer", "channel-1", (uint64_t)i))
			die("path", &err);
		set(b, &key, &one, 1);
		if (!ibc_path_packet_ack(&err, &key, "transfer", "channel-1", (uint64_t)i))
			die("path", &err);
		ibc_commit_ack_v1(v, (const uint8_t *)ACK_JSON, strlen(ACK_JSON));
		set(b, &key, v, sizeof(v));
	}
	if (!ibc_path_next_sequence_recv(&err, &key, "transfer", "channel-7"))
		die("path", &err);
	be64(v, 5);
	set(b, &key, v, 8);
	if (!ibc_path_next_sequence_recv(&err, &key, "transfer", "channel-1"))
		die("path", &err);
	set(b, &key, v, 8);
	commit(b, w->app_b);

	for (int i = 1; i <= 3; i++) {
		if (!ibc_path_packet_commitment(&err, &key, "transfer", "channel-0", (uint64_t)i))
			die("path", &err);
		px_buf_reset(&proof);
		merkle_proof(&proof, a, &key);
		recv_msg(&w->recv[i - 1], &p[i], &proof);
	}
	for (int i = 1; i <= 2; i++) {
		if (!ibc_path_packet_ack(&err, &key, "transfer", "channel-1", (uint64_t)i))
			die("path", &err);
		px_buf_reset(&proof);
		merkle_proof(&proof, b, &key);
		ack_msg(&w->ack[i - 1], &p[i], &proof);
	}
	for (int i = 3; i <= 4; i++) {
		if (!ibc_path_packet_receipt(&err, &key, "transfer", "channel-1", (uint64_t)i))
			die("path", &err);
		px_buf_reset(&proof);
		merkle_proof(&proof, b, &key);
		timeout_msg(i == 3 ? &w->timeout : &w->timeout_pending, &p[i], (uint64_t)i, &proof);
	}
	if (!ibc_path_next_sequence_recv(&err, &key, "transfer", "channel-7"))
		die("path", &err);
	px_buf_reset(&proof);
	merkle_proof(&proof, b, &key);
	timeout_msg(&w->timeout_ordered, &o5, 5, &proof);
	timeout_msg(&w->timeout_received, &o4, 5, &proof);

	px_buf_append(&bank, bank_send, sizeof(bank_send));
	msgs[0] = any_of("/cosmos.bank.v1beta1.MsgSend", &bank);
	msgs[1] = any_of("/ibc.core.channel.v1.MsgRecvPacket", &w->recv[0]);
	msgs[2] = any_of("/ibc.core.channel.v1.MsgRecvPacket", &w->recv[1]);
	tx_make(&w->tx_b, msgs, 3);
	tx_make(&w->tx_none, msgs, 1);
	msgs[0] = any_of("/ibc.core.channel.v1.MsgAcknowledgement", &w->ack[0]);
	msgs[1] = any_of("/ibc.core.channel.v1.MsgAcknowledgement", &w->ack[1]);
	msgs[2] = any_of("/ibc.core.channel.v1.MsgTimeout", &w->timeout);
	msgs[3] = any_of("/ibc.core.channel.v1.MsgTimeout", &w->timeout_ordered);
	tx_make(&w->tx_a, msgs, 4);

	px_buf_free(&proof);
	px_buf_free(&bank);
	devnet_multi_close(a);
	devnet_multi_close(b);
}

void tpk_world_free(struct tpk_world *w)
{
	struct px_buf *all[] = { &w->recv[0], &w->recv[1], &w->recv[2], &w->ack[0], &w->ack[1],
				 &w->timeout, &w->timeout_pending, &w->timeout_ordered,
				 &w->timeout_received, &w->tx_a, &w->tx_b, &w->tx_none };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		px_buf_free(all[i]);
	memset(w, 0, sizeof(*w));
}

void tpk_headers(struct tm_light_block *trusted, struct tm_light_block *header, char which,
		 const uint8_t app_hash[32])
{
	struct tc_chain c;
	struct tc_block_params bp;
	struct px_err err = { 0 };

	tc_chain_build(&c, which == 'a' ? "chain-a-1" : "chain-b-1", TPK_PROOF_HEIGHT, 100, 4);
	if (!tm_light_block_copy(&err, trusted, tc_chain_at(&c, TPK_PROOF_HEIGHT - 1)))
		die("copy", &err);
	tc_chain_params(&bp, &c, TPK_PROOF_HEIGHT);
	bp.app_hash = app_hash;
	tc_block_make(header, &bp);
	tc_chain_free(&c);
}
