/* mkpackets: input files for tests/cli/test_verify_packet.sh and the
 * example of docs/audit.md. Built for tests only.
 *
 *   mkpackets gen OUTDIR       every message of testpackets.h, as files:
 *       app-a.txt app-b.txt    the two app hashes (hex)
 *       recv.hex recv.any.bin recv.b64 recv-3.hex ack.any.hex ack.hex
 *       timeout.hex timeout-pending.hex timeout-ordered.hex timeout-received.hex
 *       tx-a.bin tx-b.bin tx-b.json tx-b.b64 tx-none.bin
 *       {a,b}-trusted.json {a,b}-header.json   light blocks 10 and 11
 *       b-header-tampered.json  header 11 with a signature byte changed
 *       b-header-other-app.json header 11 carrying another app hash
 *       b-header-12.json        a verified header at height 12 (not the proof height)
 *   mkpackets example OUTDIR   the smaller set committed in examples/packets/
 *   mkpackets mutate MSGFILE OUTDIR
 *       reads one packet message (hex), writes one changed
 *       copy per mutation the proof must catch (OUTDIR/NAME, hex) and prints
 *       "NAME" lines: data, sequence, timeout-timestamp, timeout-height,
 *       ack, next-sequence-recv, neighbour-sequence, proof-node, whichever
 *       apply to the message's kind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/encoding.h"
#include "common/number.h"
#include "ibc/core/audit.h"
#include "lightclient/ics23/ics23.h"
#include "lightclient/tendermint/abci.h"
#include "testchain.h"
#include "testpackets.h"

static const char *out_dir;

static void fail(const char *what)
{
	fprintf(stderr, "mkpackets: %s\n", what);
	exit(1);
}

static void write_bytes(const char *name, const void *data, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", out_dir, name);
	f = fopen(path, "wb");
	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0)
		fail(path);
}

static void write_hex(const char *name, const uint8_t *b, size_t len)
{
	char *s = malloc(2 * len + 2);

	if (!s)
		fail("out of memory");
	px_hex_encode(s, 2 * len + 1, b, len, false);
	s[2 * len] = '\n';
	write_bytes(name, s, 2 * len + 1);
	free(s);
}

static void write_b64(const char *name, const struct px_buf *b)
{
	struct px_buf t = PX_BUF_INIT;

	px_base64_encode(&t, b->data, b->len, PX_B64_STD, true);
	px_buf_push(&t, '\n');
	if (!px_buf_ok(&t))
		fail("out of memory");
	write_bytes(name, t.data, t.len);
	px_buf_free(&t);
}

static void write_json(const char *name, json_t *doc)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", out_dir, name);
	if (!doc || json_dump_file(doc, path, JSON_INDENT(1)) != 0)
		fail(path);
	json_decref(doc);
}

static void write_block(const char *name, const struct tm_light_block *lb, bool trusted)
{
	json_t *doc = tc_block_to_json(lb);

	if (trusted)
		json_object_del(doc, "validator_set");
	write_json(name, doc);
}

/* A `tx` RPC response around the TxRaw. */
static json_t *tx_json(const struct px_buf *tx, int64_t height)
{
	struct px_buf b = PX_BUF_INIT;
	char h[24];
	json_t *doc;

	px_base64_encode(&b, tx->data, tx->len, PX_B64_STD, true);
	if (!px_buf_ok(&b))
		fail("out of memory");
	snprintf(h, sizeof(h), "%lld", (long long)height);
	doc = json_pack("{s:s, s:i, s:{s:s, s:s, s:i, s:{s:i, s:s}, s:s%}}", "jsonrpc", "2.0", "id",
			1, "result", "hash", "00", "height", h, "index", 0, "tx_result", "code", 0,
			"log", "", "tx", (const char *)b.data, b.len);
	px_buf_free(&b);
	return doc;
}

static void headers(char which, const uint8_t app[32], bool extras)
{
	struct tm_light_block t, h, x;
	struct tc_chain c;
	struct tc_block_params bp;
	struct px_err err = { 0 };
	uint8_t other[32];
	char name[64];

	tpk_headers(&t, &h, which, app);
	snprintf(name, sizeof(name), "%c-trusted.json", which);
	write_block(name, &t, true);
	snprintf(name, sizeof(name), "%c-header.json", which);
	write_block(name, &h, false);
	if (extras) {
		if (!tm_light_block_copy(&err, &x, &h))
			fail(err.msg);
		x.signed_header.commit.sigs[0].signature[5] ^= 0x01;
		snprintf(name, sizeof(name), "%c-header-tampered.json", which);
		write_block(name, &x, false);
		tm_light_block_free(&x);

		memcpy(other, app, 32);
		other[0] ^= 0x01;
		tc_chain_build(&c, which == 'a' ? "chain-a-1" : "chain-b-1", TPK_PROOF_HEIGHT, 100, 4);
		tc_chain_params(&bp, &c, TPK_PROOF_HEIGHT);
		bp.app_hash = other;
		tc_block_make(&x, &bp);
		snprintf(name, sizeof(name), "%c-header-other-app.json", which);
		write_block(name, &x, false);
		tm_light_block_free(&x);
		/* Height 12 with the same app hash: a proof at 11 must not use it. */
		tc_chain_params(&bp, &c, TPK_PROOF_HEIGHT + 1);
		bp.last_block_id = h.signed_header.commit.block_id;
		bp.app_hash = app;
		tc_block_make(&x, &bp);
		snprintf(name, sizeof(name), "%c-header-12.json", which);
		write_block(name, &x, false);
		tm_light_block_free(&x);
		tc_chain_free(&c);
	}
	tm_light_block_free(&t);
	tm_light_block_free(&h);
}

static void any_file(const char *name, const char *url, const struct px_buf *msg, bool hex)
{
	struct ibc_any a = { ibc_str(url), px_slice_of(msg) };
	struct px_buf b = PX_BUF_INIT;
	struct px_err err = { 0 };

	if (!ibc_any_encode(&err, &b, &a))
		fail(err.msg);
	if (hex)
		write_hex(name, b.data, b.len);
	else
		write_bytes(name, b.data, b.len);
	px_buf_free(&b);
}

static int gen(bool example)
{
	struct tpk_world w;

	tpk_world_build(&w);
	write_hex("app-a.txt", w.app_a, 32);
	write_hex("app-b.txt", w.app_b, 32);
	write_hex("recv.hex", w.recv[0].data, w.recv[0].len);
	write_hex("ack.hex", w.ack[0].data, w.ack[0].len);
	write_hex("timeout.hex", w.timeout.data, w.timeout.len);
	write_hex("timeout-ordered.hex", w.timeout_ordered.data, w.timeout_ordered.len);
	write_json("tx-b.json", tx_json(&w.tx_b, 12));
	headers('a', w.app_a, !example);
	headers('b', w.app_b, !example);
	if (!example) {
		any_file("recv.any.bin", "/ibc.core.channel.v1.MsgRecvPacket", &w.recv[0], false);
		write_b64("recv.b64", &w.recv[0]);
		write_hex("recv-3.hex", w.recv[2].data, w.recv[2].len);
		any_file("ack.any.hex", "/ibc.core.channel.v1.MsgAcknowledgement", &w.ack[1], true);
		write_hex("timeout-pending.hex", w.timeout_pending.data, w.timeout_pending.len);
		write_hex("timeout-received.hex", w.timeout_received.data, w.timeout_received.len);
		write_bytes("tx-a.bin", w.tx_a.data, w.tx_a.len);
		write_bytes("tx-b.bin", w.tx_b.data, w.tx_b.len);
		write_b64("tx-b.b64", &w.tx_b);
		write_bytes("tx-none.bin", w.tx_none.data, w.tx_none.len);
	}
	tpk_world_free(&w);
	return 0;
}

/* ---- mutate */

static const uint8_t *base;	/* the message bytes being mutated */
static size_t base_len;

static void emit_flip(const char *name, const uint8_t *at)
{
	uint8_t *copy = malloc(base_len);

	if (!copy || at < base || at >= base + base_len)
		fail("flip outside the message");
	memcpy(copy, base, base_len);
	copy[at - base] ^= 0x01;
	write_hex(name, copy, base_len);
	printf("%s\n", name);
	free(copy);
}

static void emit_msg(const char *name, const struct ibc_audit_msg *m)
{
	struct px_buf b = PX_BUF_INIT;
	struct px_err err = { 0 };
	bool ok;

	switch (m->kind) {
	case IBC_MSG_RECV_PACKET: ok = ibc_msg_recv_packet_encode(&err, &b, &m->u.recv); break;
	case IBC_MSG_ACKNOWLEDGEMENT:
		ok = ibc_msg_acknowledgement_encode(&err, &b, &m->u.ack);
		break;
	default: ok = ibc_msg_timeout_encode(&err, &b, &m->u.timeout); break;
	}
	if (!ok)
		fail(err.msg);
	write_hex(name, b.data, b.len);
	printf("%s\n", name);
	px_buf_free(&b);
}

static struct ibc_packet *packet_of(struct ibc_audit_msg *m)
{
	switch (m->kind) {
	case IBC_MSG_RECV_PACKET: return &m->u.recv.packet;
	case IBC_MSG_ACKNOWLEDGEMENT: return &m->u.ack.packet;
	default: return &m->u.timeout.packet;
	}
}

static struct px_slice proof_of(const struct ibc_audit_msg *m)
{
	switch (m->kind) {
	case IBC_MSG_RECV_PACKET: return m->u.recv.proof_commitment;
	case IBC_MSG_ACKNOWLEDGEMENT: return m->u.ack.proof_acked;
	default: return m->u.timeout.proof_unreceived;
	}
}

/* A byte of a child hash in the first inner node of the iavl proof (of a
 * neighbour, for an absence proof). */
static const uint8_t *proof_node_byte(const struct ibc_audit_msg *m)
{
	struct px_slice iavl, simple, proof = proof_of(m);
	struct ics23_proof p;
	const struct ics23_existence_proof *e = NULL;
	const uint8_t *at = NULL;
	struct px_err err = { 0 };

	if (!tm_merkle_proof_split(&err, &iavl, &simple, proof.ptr, proof.len) ||
	    !ics23_proof_decode(&err, &p, iavl.ptr, iavl.len))
		fail("proof does not decode");
	if (p.kind == ICS23_PROOF_EXIST)
		e = p.exist;
	else if (p.kind == ICS23_PROOF_NONEXIST)
		e = p.nonexist->left ? p.nonexist->left : p.nonexist->right;
	if (e && e->path_len > 0) {
		const struct ics23_inner_op *op = &e->path[0];

		if (op->suffix.len >= 32)
			at = op->suffix.ptr + op->suffix.len - 1;
		else if (op->prefix.len >= 34)
			at = op->prefix.ptr + op->prefix.len - 2;
	}
	ics23_proof_free(&p);
	return at ? at : simple.ptr + simple.len / 2;
}

/* The sequence of a stored receipt next to the absent one, 0 if none. */
static uint64_t neighbour_sequence(const struct ibc_audit_msg *m)
{
	struct px_slice iavl, simple, proof = proof_of(m);
	const struct ibc_packet *pk = &m->u.timeout.packet;
	struct ics23_proof p;
	struct px_err err = { 0 };
	struct ibc_path prefix;
	uint64_t seq = 0;

	if (!tm_merkle_proof_split(&err, &iavl, &simple, proof.ptr, proof.len) ||
	    !ics23_proof_decode(&err, &p, iavl.ptr, iavl.len))
		return 0;
	if (!ibc_path_packet_receipt(&err, &prefix, pk->destination_port, pk->destination_channel,
				     1))
		fail(err.msg);
	prefix.len -= 1;
	if (p.kind == ICS23_PROOF_NONEXIST) {
		const struct ics23_existence_proof *side[2] = { p.nonexist->left,
								 p.nonexist->right };

		for (int i = 0; i < 2 && seq == 0; i++) {
			if (!side[i] || side[i]->key.len <= prefix.len ||
			    memcmp(side[i]->key.ptr, prefix.s, prefix.len) != 0)
				continue;
			if (!px_parse_u64(&err, &seq, (const char *)side[i]->key.ptr + prefix.len,
					  side[i]->key.len - prefix.len))
				seq = 0;
		}
	}
	ics23_proof_free(&p);
	return seq;
}

static int mutate(const char *path)
{
	struct px_buf file = PX_BUF_INIT, bytes = PX_BUF_INIT;
	struct ibc_audit_input in;
	struct ibc_audit_msg m;
	struct ibc_packet *pk;
	struct px_err err = { 0 };
	FILE *f = fopen(path, "rb");
	uint8_t chunk[4096];
	size_t n;

	if (!f)
		fail(path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		px_buf_append(&file, chunk, n);
	fclose(f);
	while (file.len && (file.data[file.len - 1] == '\n' || file.data[file.len - 1] == ' '))
		file.len--;
	if (!px_hex_decode(&err, &bytes, (const char *)file.data, file.len, true))
		fail(err.msg);
	if (!ibc_audit_input_parse(&err, &in, bytes.data, bytes.len, IBC_MSG_UNKNOWN) ||
	    in.n_packets != 1)
		fail(err.msg);
	base = bytes.data;
	base_len = bytes.len;
	m = in.items[0].msg;
	pk = packet_of(&m);

	if (m.kind == IBC_MSG_RECV_PACKET) {
		struct ibc_audit_msg x = m;

		emit_flip("data", pk->data.ptr + pk->data.len / 2);
		packet_of(&x)->timeout_timestamp ^= 1;
		emit_msg("timeout-timestamp", &x);
		x = m;
		packet_of(&x)->timeout_height.revision_height ^= 1;
		emit_msg("timeout-height", &x);
	}
	if (m.kind != IBC_MSG_TIMEOUT) {
		struct ibc_audit_msg x = m;

		packet_of(&x)->sequence += 1;
		emit_msg("sequence", &x);
	}
	if (m.kind == IBC_MSG_ACKNOWLEDGEMENT)
		emit_flip("ack", m.u.ack.acknowledgement.ptr + m.u.ack.acknowledgement.len / 2);
	if (m.kind == IBC_MSG_TIMEOUT) {
		struct ibc_audit_msg x = m;
		uint64_t seq = neighbour_sequence(&m);

		if (seq) {
			x.u.timeout.packet.sequence = seq;
			x.u.timeout.next_sequence_recv = seq;
			emit_msg("neighbour-sequence", &x);
		} else {
			/* Ordered: another nextSequenceRecv. */
			x.u.timeout.next_sequence_recv -= 1;
			if (x.u.timeout.next_sequence_recv)
				emit_msg("next-sequence-recv", &x);
		}
	}
	emit_flip("proof-node", proof_node_byte(&m));
	ibc_audit_input_free(&in);
	px_buf_free(&file);
	px_buf_free(&bytes);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && (strcmp(argv[1], "gen") == 0 || strcmp(argv[1], "example") == 0)) {
		out_dir = argv[2];
		mkdir(out_dir, 0755);
		return gen(strcmp(argv[1], "example") == 0);
	}
	if (argc == 4 && strcmp(argv[1], "mutate") == 0) {
		out_dir = argv[3];
		mkdir(out_dir, 0755);
		return mutate(argv[2]);
	}
	fprintf(stderr, "usage: mkpackets gen|example OUTDIR | mutate MSGFILE OUTDIR\n");
	return 2;
}
