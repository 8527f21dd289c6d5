/* Integration test of relayer/path.c against two running pontifex-devnets
 * (started by test_path_devnet.sh, which has already run `pontifex create
 * channel` and written the new ids into the config):
 *   - both connection ends and both channel ends are OPEN and name each
 *     other, read with proofs the relayer's light clients checked;
 *   - ICS-20 A -> B: alice on A sends stake to alice on B; the packet is
 *     relayed (client update + MsgRecvPacket with a proven commitment) and
 *     its acknowledgement back (MsgAcknowledgement with a proven ack);
 *     balances on both chains (escrow, voucher) are checked;
 *   - B -> A with the voucher: it is burned on B and unescrowed on A;
 *   - with corrupt_proof switched on at A, the commitment proof fails with
 *     a 3xx code and nothing is submitted on B (sequence and balance
 *     unchanged, no receipt); switched off, the same packet goes through;
 *   - a packet relayed after both light clients verified more than
 *     TM_CLIENT_MAX_STATES newer heights, so that each counterparty
 *     client's latest height is below every state the relayer holds: the
 *     update starts from the counterparty's consensus state (it failed
 *     with 323 before).
 *
 * usage: path_devnet PX_HOME CONFIG PATH_NAME
 * Prints one line per failed check; exit status 1 when any failed. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/encoding.h"
#include "common/hash.h"
#include "common/log.h"
#include "common/number.h"
#include "common/protobuf.h"
#include "chains/cosmos/bech32.h"
#include "ibc/codec/msg.h"
#include "ibc/core/paths.h"
#include "ibc/transfer/ics20.h"
#include "relayer/keys.h"
#include "relayer/path.h"
#include "tests/relayer/devnet_client.h"

#define TX_MS 30000u

static struct cmt_loop *loop;
static const char *home;

/* A user account on one chain: its own submitter over the chain's client. */
struct user {
	struct rly_txsub *tx;
	const char *addr;
};

static void user_open(struct user *u, struct rly_chain *c, const char *name)
{
	struct rly_txsub_opts o;
	struct cosmos_key k;
	struct px_err err = { 0 };

	if (!rly_keys_load(&err, &k, NULL, home, c->cfg->id, name))
		dc_check_die(name, &err);
	rly_txsub_opts_from_config(&o, c->cfg);
	o.key = &k;
	if (!rly_txsub_open(&err, &u->tx, loop, c->rpc, &o))
		dc_check_die("user submitter", &err);
	cosmos_key_wipe(&k);
	u->addr = rly_txsub_address(u->tx);
}

/* /cosmos.bank.v1beta1.Query/Balance at the latest height (a test helper:
 * balances are not relayed, so no proof). */
static uint64_t balance(struct rly_chain *c, const char *addr, const char *denom)
{
	return dc_balance(dc_check_die, c->rpc, addr, denom, 5000);
}

static const char *attr(const json_t *events, const char *type, const char *key)
{
	size_t i, j;
	json_t *ev, *a;

	json_array_foreach(events, i, ev) {
		if (!json_is_string(json_object_get(ev, "type")) ||
		    strcmp(json_string_value(json_object_get(ev, "type")), type) != 0)
			continue;
		json_array_foreach(json_object_get(ev, "attributes"), j, a) {
			const char *k = json_string_value(json_object_get(a, "key"));

			if (k && strcmp(k, key) == 0)
				return json_string_value(json_object_get(a, "value"));
		}
	}
	return NULL;
}

static uint64_t attr_u64(const json_t *events, const char *type, const char *key)
{
	const char *s = attr(events, type, key);
	uint64_t v = 0;

	if (!s || !px_parse_u64(NULL, &v, s, strlen(s)))
		dc_check_die(key, NULL);
	return v;
}

/* --- 1. the handshake's result ---------------------------------------------- */

static void check_open(struct rly_end *e, const struct rly_end *other)
{
	struct px_err err = { 0 };
	struct ibc_connection_end ce;
	struct ibc_channel ch;
	struct ibc_height ch_h;
	struct rly_proof pr;
	struct ibc_path key;
	int64_t v;

	if (!rly_chain_provable(&err, &v, e->chain) ||
	    !ibc_path_connection(&err, &key, e->connection_id) ||
	    !rly_end_prove(&err, &pr, e, key.s, v))
		dc_check_die("prove connection", &err);
	CHECK(pr.exists, "%s: %s absent", e->chain->cfg->id, key.s);
	CHECK(pr.proof_height.revision_height == (uint64_t)v + 1, "proof height %" PRIu64,
	      pr.proof_height.revision_height);
	if (pr.exists) {
		if (!ibc_connection_end_decode(&err, &ce, pr.value.data, pr.value.len))
			dc_check_die("connection end", &err);
		CHECK(ce.state == IBC_CONN_OPEN, "%s: connection state %d", e->chain->cfg->id,
		      ce.state);
		CHECK(strcmp(ce.client_id, e->client_id) == 0, "client %s", ce.client_id);
		CHECK(strcmp(ce.counterparty.connection_id, other->connection_id) == 0,
		      "counterparty connection %s", ce.counterparty.connection_id);
		CHECK(strcmp(ce.counterparty.client_id, other->client_id) == 0,
		      "counterparty client %s", ce.counterparty.client_id);
	}
	rly_proof_free(&pr);

	if (!ibc_path_channel(&err, &key, e->port_id, e->channel_id) ||
	    !rly_end_prove(&err, &pr, e, key.s, v))
		dc_check_die("prove channel", &err);
	CHECK(pr.exists, "%s: %s absent", e->chain->cfg->id, key.s);
	if (pr.exists) {
		if (!ibc_channel_decode(&err, &ch, pr.value.data, pr.value.len))
			dc_check_die("channel end", &err);
		CHECK(ch.state == IBC_CHAN_OPEN, "%s: channel state %d", e->chain->cfg->id,
		      ch.state);
		CHECK(ch.ordering == IBC_ORDER_UNORDERED, "ordering %d", ch.ordering);
		CHECK(strcmp(ch.version, "ics20-1") == 0, "version %s", ch.version);
		CHECK(strcmp(ch.counterparty.channel_id, other->channel_id) == 0,
		      "counterparty channel %s", ch.counterparty.channel_id);
		CHECK(strcmp(ch.connection_hops[0], e->connection_id) == 0, "hop %s",
		      ch.connection_hops[0]);
	}
	rly_proof_free(&pr);

	if (!rly_end_client_height(&err, &ch_h, e))
		dc_check_die("client height", &err);
	CHECK(ch_h.revision_number == other->chain->revision && ch_h.revision_height > 1,
	      "client height %" PRIu64 "-%" PRIu64, ch_h.revision_number, ch_h.revision_height);
}

/* --- 2. packets ----------------------------------------------------------- */

struct sent {
	struct ibc_packet pkt;
	struct px_buf data;	/* pkt.data points here */
	int64_t height;
};

static void transfer(struct sent *out, struct user *from, struct rly_end *src,
		     struct rly_end *dst, const char *to, const char *denom, const char *amount)
{
	struct px_err err = { 0 };
	struct rly_tx_result sub, r;
	struct px_buf mb = PX_BUF_INIT;
	struct cosmos_any any;
	struct ibc_msg m;
	const char *s, *th;
	int64_t dst_h;

	if (!rly_chain_provable(&err, &dst_h, dst->chain))
		dc_check_die("dst height", &err);
	memset(&m, 0, sizeof(m));
	m.kind = IBC_MSG_TRANSFER;
	snprintf(m.u.transfer.source_port, IBC_ID_MAX + 1, "%s", src->port_id);
	snprintf(m.u.transfer.source_channel, IBC_ID_MAX + 1, "%s", src->channel_id);
	m.u.transfer.token.denom = cosmos_str(denom);
	m.u.transfer.token.amount = cosmos_str(amount);
	m.u.transfer.sender = cosmos_str(from->addr);
	m.u.transfer.receiver = cosmos_str(to);
	m.u.transfer.timeout_height = (struct ibc_height){ dst->chain->revision,
							   (uint64_t)dst_h + 1000 };
	if (!ibc_msg_encode(&err, &mb, &m))
		dc_check_die("encode MsgTransfer", &err);
	any.type_url = cosmos_str(IBC_URL_MSG_TRANSFER);
	any.value = px_slice_of(&mb);
	memset(&r, 0, sizeof(r));
	if (!rly_txsub_submit(&err, &sub, from->tx, &any, 1, NULL) ||
	    !rly_txsub_wait(&err, &r, from->tx, sub.hash, TX_MS))
		dc_check_die("MsgTransfer", &err);
	memset(out, 0, sizeof(*out));
	out->height = r.height;
	out->pkt.sequence = attr_u64(r.events, "send_packet", "packet_sequence");
	snprintf(out->pkt.source_port, IBC_ID_MAX + 1, "%s", src->port_id);
	snprintf(out->pkt.source_channel, IBC_ID_MAX + 1, "%s", src->channel_id);
	snprintf(out->pkt.destination_port, IBC_ID_MAX + 1, "%s", dst->port_id);
	snprintf(out->pkt.destination_channel, IBC_ID_MAX + 1, "%s", dst->channel_id);
	s = attr(r.events, "send_packet", "packet_dst_channel");
	CHECK(s && strcmp(s, dst->channel_id) == 0, "packet_dst_channel %s", s ? s : "(none)");
	th = attr(r.events, "send_packet", "packet_timeout_height");
	CHECK(th != NULL, "no packet_timeout_height");
	out->pkt.timeout_height = m.u.transfer.timeout_height;
	out->pkt.timeout_timestamp = attr_u64(r.events, "send_packet", "packet_timeout_timestamp");
	s = attr(r.events, "send_packet", "packet_data_hex");
	if (!s || !px_hex_decode(&err, &out->data, s, strlen(s), false))
		dc_check_die("packet_data_hex", &err);
	out->pkt.data = px_slice_of(&out->data);
	rly_tx_result_clear(&r);
	rly_tx_result_clear(&sub);
	px_buf_free(&mb);
}

/* Update dst's client and MsgRecvPacket with a proof of the commitment;
 * the acknowledgement written on dst goes to ack. */
static bool relay_recv(struct px_err *err, struct px_buf *ack, int64_t *recv_height,
		       struct rly_end *src, struct rly_end *dst, const struct sent *s)
{
	struct rly_msgs *m = malloc(sizeof(*m));
	struct rly_proof pr = { 0 };
	struct rly_tx_result r = { 0 };
	struct ibc_path key;
	struct ibc_msg x;
	const char *hex;
	int64_t v;
	bool ok = false;

	if (!m)
		dc_check_die("malloc", NULL);
	rly_msgs_init(m);
	if (!rly_path_update_msgs(err, m, &v, dst, src, s->height) ||
	    !ibc_path_packet_commitment(err, &key, s->pkt.source_port, s->pkt.source_channel,
					s->pkt.sequence) ||
	    !rly_end_prove(err, &pr, src, key.s, v))
		goto out;
	if (!pr.exists) {
		px_err_set(err, PX_E_IBC_NO_COMMITMENT, "no commitment at %" PRId64, v);
		goto out;
	}
	memset(&x, 0, sizeof(x));
	x.kind = IBC_MSG_RECV_PACKET;
	x.u.recv_packet.packet = s->pkt;
	x.u.recv_packet.proof_commitment = px_slice_of(&pr.proof);
	x.u.recv_packet.proof_height = pr.proof_height;
	x.u.recv_packet.signer = cosmos_str(rly_txsub_address(dst->chain->tx));
	if (!rly_msgs_add_ibc(err, m, &x) || !rly_end_submit(err, &r, dst, m, TX_MS))
		goto out;
	hex = attr(r.events, "write_acknowledgement", "packet_ack_hex");
	if (!hex || !attr(r.events, "recv_packet", "packet_sequence")) {
		px_err_set(err, PX_E_RPC, "MsgRecvPacket: no recv_packet/write_acknowledgement");
		goto out;
	}
	px_buf_reset(ack);
	if (!px_hex_decode(err, ack, hex, strlen(hex), false) ||
	    !rly_chain_wait_provable(err, dst->chain, r.height, TX_MS))
		goto out;
	*recv_height = r.height;
	ok = true;
out:
	rly_tx_result_clear(&r);
	rly_proof_free(&pr);
	rly_msgs_clear(m);
	free(m);
	return ok;
}

/* The acknowledgement back to the packet's source. */
static bool relay_ack(struct px_err *err, struct rly_end *src, struct rly_end *dst,
		      const struct sent *s, const struct px_buf *ack, int64_t recv_height)
{
	struct rly_msgs *m = malloc(sizeof(*m));
	struct rly_proof pr = { 0 };
	struct rly_tx_result r = { 0 };
	struct ibc_path key;
	struct ibc_msg x;
	int64_t v;
	bool ok = false;

	if (!m)
		dc_check_die("malloc", NULL);
	rly_msgs_init(m);
	if (!rly_path_update_msgs(err, m, &v, src, dst, recv_height) ||
	    !ibc_path_packet_ack(err, &key, s->pkt.destination_port, s->pkt.destination_channel,
				 s->pkt.sequence) ||
	    !rly_end_prove(err, &pr, dst, key.s, v))
		goto out;
	if (!pr.exists) {
		px_err_set(err, PX_E_IBC_NOT_FOUND, "no acknowledgement at %" PRId64, v);
		goto out;
	}
	memset(&x, 0, sizeof(x));
	x.kind = IBC_MSG_ACKNOWLEDGEMENT;
	x.u.acknowledgement.packet = s->pkt;
	x.u.acknowledgement.acknowledgement = px_slice_of(ack);
	x.u.acknowledgement.proof_acked = px_slice_of(&pr.proof);
	x.u.acknowledgement.proof_height = pr.proof_height;
	x.u.acknowledgement.signer = cosmos_str(rly_txsub_address(src->chain->tx));
	if (!rly_msgs_add_ibc(err, m, &x) || !rly_end_submit(err, &r, src, m, TX_MS))
		goto out;
	if (!attr(r.events, "acknowledge_packet", "packet_sequence")) {
		px_err_set(err, PX_E_RPC, "MsgAcknowledgement: no acknowledge_packet event");
		goto out;
	}
	ok = rly_chain_wait_provable(err, src->chain, r.height, TX_MS);
out:
	rly_tx_result_clear(&r);
	rly_proof_free(&pr);
	rly_msgs_clear(m);
	free(m);
	return ok;
}

static void relay_both(struct rly_end *src, struct rly_end *dst, const struct sent *s)
{
	struct px_buf ack = PX_BUF_INIT;
	struct px_err err = { 0 };
	int64_t h = 0;

	if (!relay_recv(&err, &ack, &h, src, dst, s))
		dc_check_die("relay packet", &err);
	CHECK(ack.len == strlen(IBC_ICS20_ACK_SUCCESS) &&
	      memcmp(ack.data, IBC_ICS20_ACK_SUCCESS, ack.len) == 0, "ack %.*s", (int)ack.len,
	      (const char *)ack.data);
	if (!relay_ack(&err, src, dst, s, &ack, h))
		dc_check_die("relay acknowledgement", &err);
	px_buf_free(&ack);
}

static void escrow_of(char out[COSMOS_BECH32_MAX_LEN + 1], const char *port, const char *channel)
{
	struct px_err err = { 0 };
	uint8_t pre[300], d[32];
	int n = snprintf((char *)pre, sizeof(pre), "ics20-1%c%s/%s", 0, port, channel);

	px_sha256(d, pre, (size_t)n);
	if (!cosmos_address_encode(&err, out, COSMOS_BECH32_MAX_LEN + 1, "cosmos", d, 20))
		dc_check_die("escrow address", &err);
}

static void fault(struct rly_chain *c, const char *name, const char *value)
{
	struct px_err err = { 0 };
	json_t *res = NULL;

	if (!cmt_client_call_sync(&err, &res, c->rpc, "devnet_fault",
				  json_pack("{s:s, s:s}", "name", name, "value", value), 5000))
		dc_check_die("devnet_fault", &err);
	json_decref(res);
}

int main(int argc, char **argv)
{
	struct rly_config cfg;
	const struct rly_config_path *pc = NULL;
	struct rly_chain_opts co = { 0 };
	struct rly_chain A, B;
	struct rly_path p;
	struct user alice_a, alice_b;
	struct px_err err = { 0 };
	struct sent s;
	char escrow[COSMOS_BECH32_MAX_LEN + 1], voucher[IBC_DENOM_HASH_LEN + 1], trace[300];
	uint64_t a0, a1;

	if (argc != 4) {
		fprintf(stderr, "usage: path_devnet PX_HOME CONFIG PATH_NAME\n");
		return 2;
	}
	home = argv[1];
	px_log_setup(PX_LOG_WARN, PX_LOG_TEXT, stderr);
	if (!rly_config_load(&err, &cfg, argv[2]))
		dc_check_die("config", &err);
	for (size_t i = 0; i < cfg.n_paths; i++)
		if (strcmp(cfg.paths[i].name, argv[3]) == 0)
			pc = &cfg.paths[i];
	if (!pc)
		dc_check_die("no such path", NULL);
	co.home = home;
	co.trust_height = 1;
	if (!cmt_loop_new(&err, &loop) ||
	    !rly_chain_open(&err, &A, loop, rly_config_chain_find(&cfg, pc->a.chain), &co, 10000) ||
	    !rly_chain_open(&err, &B, loop, rly_config_chain_find(&cfg, pc->b.chain), &co, 10000))
		dc_check_die("open chains", &err);
	CHECK(A.on_trust && B.on_trust, "on trust");
	rly_path_from_config(&p, pc, &A, &B);
	CHECK(p.a.channel_id[0] && p.b.channel_id[0], "the config names the channels");

	/* 1. what `create channel` made */
	check_open(&p.a, &p.b);
	check_open(&p.b, &p.a);

	/* 2. A -> B */
	user_open(&alice_a, &A, "alice");
	user_open(&alice_b, &B, "alice");
	escrow_of(escrow, p.a.port_id, p.a.channel_id);
	snprintf(trace, sizeof(trace), "%s/%s", p.b.port_id, p.b.channel_id);
	ibc_denom_hash(voucher, trace, strlen(trace), "stake", 5);
	a0 = balance(&A, alice_a.addr, "stake");
	CHECK(balance(&A, escrow, "stake") == 0, "escrow before");
	transfer(&s, &alice_a, &p.a, &p.b, alice_b.addr, "stake", "1000");
	a1 = balance(&A, alice_a.addr, "stake");
	CHECK(a0 - a1 >= 1000, "sender paid %" PRIu64, a0 - a1);
	CHECK(balance(&A, escrow, "stake") == 1000, "escrowed");
	relay_both(&p.a, &p.b, &s);
	CHECK(balance(&B, alice_b.addr, voucher) == 1000, "voucher %s on B: %" PRIu64, voucher,
	      balance(&B, alice_b.addr, voucher));
	px_buf_free(&s.data);

	/* 3. B -> A with the voucher */
	transfer(&s, &alice_b, &p.b, &p.a, alice_a.addr, voucher, "400");
	CHECK(balance(&B, alice_b.addr, voucher) == 600, "voucher burned");
	relay_both(&p.b, &p.a, &s);
	CHECK(balance(&A, escrow, "stake") == 600, "unescrowed: %" PRIu64,
	      balance(&A, escrow, "stake"));
	CHECK(balance(&A, alice_a.addr, "stake") == a1 + 400, "returned to alice: %" PRIu64
	      " want %" PRIu64, balance(&A, alice_a.addr, "stake"), a1 + 400);
	px_buf_free(&s.data);

	/* 4. a corrupted proof is refused before anything is submitted */
	{
		struct rly_txsub_state before, after;
		struct px_buf ack = PX_BUF_INIT;
		struct rly_proof pr;
		struct ibc_path key;
		uint64_t v_before;
		int64_t h = 0, v;

		transfer(&s, &alice_a, &p.a, &p.b, alice_b.addr, "stake", "5");
		v_before = balance(&B, alice_b.addr, voucher);
		rly_txsub_state(B.tx, &before);
		fault(&A, "corrupt_proof", "on");
		if (!ibc_path_packet_commitment(&err, &key, s.pkt.source_port, s.pkt.source_channel,
						s.pkt.sequence) ||
		    !rly_chain_provable(&err, &v, &A))
			dc_check_die("key", &err);
		CHECK(!rly_end_prove(&err, &pr, &p.a, key.s, v), "a corrupted proof was accepted");
		CHECK(err.code >= 300 && err.code < 400, "prove: code %d (%s)", err.code, err.msg);
		CHECK(pr.proof.len == 0 && !pr.exists, "output left empty");
		px_err_clear(&err);
		CHECK(!relay_recv(&err, &ack, &h, &p.a, &p.b, &s), "relayed with a corrupted proof");
		CHECK(err.code >= 300 && err.code < 400, "relay: code %d (%s)", err.code, err.msg);
		px_err_clear(&err);
		rly_txsub_state(B.tx, &after);
		CHECK(after.sequence == before.sequence, "B's sequence moved: %" PRIu64 " -> %" PRIu64,
		      before.sequence, after.sequence);
		CHECK(balance(&B, alice_b.addr, voucher) == v_before, "minted without a proof");
		fault(&A, "corrupt_proof", "off");
		/* no receipt on B (proven absent), then the genuine relay */
		if (!ibc_path_packet_receipt(&err, &key, s.pkt.destination_port,
					     s.pkt.destination_channel, s.pkt.sequence) ||
		    !rly_chain_provable(&err, &v, &B) || !rly_end_prove(&err, &pr, &p.b, key.s, v))
			dc_check_die("receipt", &err);
		CHECK(!pr.exists, "a receipt exists");
		rly_proof_free(&pr);
		relay_both(&p.a, &p.b, &s);
		CHECK(balance(&B, alice_b.addr, voucher) == v_before + 5, "after the fault");
		px_buf_free(&s.data);
		px_buf_free(&ack);
	}

	/* 5. counterparty clients older than every held state */
	{
		struct rly_chain *cs[2] = { &A, &B };
		struct rly_end *dsts[2] = { &p.b, &p.a };
		uint64_t v_before = balance(&B, alice_b.addr, voucher);

		transfer(&s, &alice_a, &p.a, &p.b, alice_b.addr, "stake", "7");
		for (int k = 0; k < 2; k++) {
			struct ibc_height ch;
			int64_t L;

			if (!rly_end_client_height(&err, &ch, dsts[k]))
				dc_check_die("client height", &err);
			L = (int64_t)ch.revision_height;
			if (!rly_chain_wait_provable(&err, cs[k], L + TM_CLIENT_MAX_STATES + 8, 60000))
				dc_check_die("wait", &err);
			for (int64_t h = L + 1; h <= L + TM_CLIENT_MAX_STATES + 8; h++)
				if (!rly_fetch_update_to(&err, NULL, cs[k]->fetch, h))
					dc_check_die("verify", &err);
			CHECK(rly_fetch_client(cs[k]->fetch)->states[0].header.height > L,
			      "%s still holds the client's height %" PRId64, cs[k]->cfg->id, L);
		}
		relay_both(&p.a, &p.b, &s);
		CHECK(balance(&B, alice_b.addr, voucher) == v_before + 7, "after old trusted heights");
		px_buf_free(&s.data);
	}

	rly_txsub_close(alice_a.tx);
	rly_txsub_close(alice_b.tx);
	rly_chain_close(&B);
	rly_chain_close(&A);
	cmt_loop_free(loop);
	rly_config_free(&cfg);
	return dc_checks_done();
}
