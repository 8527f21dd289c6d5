/* The relaying engine's proofs and transactions (see relay.c for the
 * round that calls them): client updates from rly_path_update_msgs, proofs
 * made at their version and checked against what the packet implies,
 * MsgRecvPacket / MsgTimeout / MsgAcknowledgement in batches of at most
 * max_msgs messages, and the journal moves around each transaction
 * (*_submitted with the hash once CheckTx accepts it, the final state once
 * its block holds it). */
#include "relayer/relay_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "ibc/codec/msg.h"
#include "ibc/core/commitment.h"
#include "ibc/core/paths.h"

/* --- proofs ------------------------------------------------------------------- */

bool relay_prove(struct px_err *err, struct rly_proof *out, struct rly_end *e, int which,
		      const struct ibc_packet *p, int64_t version)
{
	struct relay_lc_mark mk;
	struct ibc_path key;
	bool ok;

	if (which == 0)
		ok = ibc_path_packet_commitment(err, &key, p->source_port, p->source_channel,
						p->sequence);
	else if (which == 1)
		ok = ibc_path_packet_receipt(err, &key, p->destination_port, p->destination_channel,
					     p->sequence);
	else
		ok = ibc_path_packet_ack(err, &key, p->destination_port, p->destination_channel,
					 p->sequence);
	if (!ok)
		return false;
	relay_lc_begin(&mk, e->chain, NULL);
	ok = rly_end_prove(err, out, e, key.s, version);
	relay_lc_end(&mk, ok, err);
	return ok;
}

static bool value_is(const struct rly_proof *pr, const uint8_t want[IBC_COMMITMENT_LEN])
{
	return pr->exists && pr->value.len == IBC_COMMITMENT_LEN &&
	       memcmp(pr->value.data, want, IBC_COMMITMENT_LEN) == 0;
}

/* The time (ns since the epoch) of e's verified header at height,
 * verifying up to it. Copied out: the light client may drop the state. */
bool relay_header_time(struct px_err *err, uint64_t *out, struct rly_end *e, int64_t height)
{
	const struct tm_trusted *t = rly_fetch_verified(e->chain->fetch, height);
	struct relay_lc_mark mk;
	bool ok;

	if (!t) {
		relay_lc_begin(&mk, e->chain, NULL);
		ok = rly_fetch_update_to(err, &t, e->chain->fetch, height);
		relay_lc_end(&mk, ok, err);
		if (!ok) {
			px_err_prefix(err, "%s: ", e->chain->cfg->id);
			return false;
		}
	}
	*out = t->header.time.seconds < 0 ? 0 : (uint64_t)t->header.time.seconds * 1000000000ull +
						       (uint64_t)t->header.time.nanos;
	return true;
}

/* --- submitting ------------------------------------------------------------- */

/* Reads write_acknowledgement events of our own recv transaction into the
 * journal, so the ack can go back without waiting for the watcher. */
static void keep_acks(struct relay *r, struct r_path *rp, const struct rly_end *dst,
		      const json_t *events, uint64_t height)
{
	struct rly_height h;
	const json_t *e;
	size_t i;

	memset(&h, 0, sizeof(h));
	json_array_foreach(events, i, e) {
		struct px_err err = { 0 };
		struct rly_ev ev;

		if (!rly_ev_parse(&err, &ev, e))
			continue;
		if (ev.kind == RLY_EV_WRITE_ACK &&
		    !rly_watch_take(&h, dst->chain->cfg->id, &rp->route, 1, NULL, &ev, height))
			px_warn(MOD, "out of memory keeping an ack");
		rly_ev_free(&ev);
	}
	if (h.n_acks) {
		struct px_err err = { 0 };

		if (!rly_journal_record_height(r->j, &err, NULL, height, NULL, 0, h.acks, h.n_acks,
					       NULL))
			px_err_set(&r->fatal, err.code, "%s", err.msg);
	}
	for (i = 0; i < h.n_acks; i++)
		free((void *)h.acks[i].ack);
	free(h.acks);
	free(h.sent);
}

/* The packets of one transaction, marked `sub` with its hash once it is
 * signed and before it is broadcast: after a crash at any point the
 * journal knows the transaction may exist, and the packets wait for the
 * destination's state instead of being submitted twice. */
struct signed_ctx {
	struct relay *r;
	struct item **its;
	size_t n;
	enum rly_packet_state sub;
	bool moved;
};

static bool on_signed(void *arg, struct px_err *err, const char *hash)
{
	struct signed_ctx *c = arg;

	c->moved = true;
	for (size_t i = 0; i < c->n; i++) {
		if (!relay_move_submitted(c->r, c->its[i], c->sub, hash) &&
		    px_err_is_set(&c->r->fatal))
			return px_err_set(err, c->r->fatal.code, "%s", c->r->fatal.msg);
	}
	return true;
}

/* Signs m on dst, marks the packets `sub` with the hash, broadcasts,
 * waits for the block and marks them `done`. False with err when nothing
 * or not all of it went through. */
static bool submit(struct relay *r, struct px_err *err, struct r_path *rp, struct rly_end *dst,
		   struct rly_msgs *m, int64_t version, struct item **its, size_t n,
		   const char *kind, enum rly_packet_state sub, enum rly_packet_state done)
{
	int side = dst == &rp->p.a ? 0 : 1;
	struct rly_tx_result res;
	struct cosmos_any anys[RLY_MSGS_MAX];
	char hash[RLY_TX_HASH_HEX_LEN + 1];
	int64_t t0 = relay_mono_ms();
	struct signed_ctx sc = { r, its, n, sub, false };
	bool ok;

	memset(&res, 0, sizeof(res));
	rly_msgs_any(m, anys);
	if (!rly_txsub_submit_ex(err, &res, dst->chain->tx, anys, m->n, NULL, on_signed, &sc)) {
		enum rly_packet_state back =
			sub == RLY_PKT_ACK_SUBMITTED ? RLY_PKT_RECEIVED : RLY_PKT_SENT;

		/* refused before any block: the packets go back one step */
		for (size_t i = 0; sc.moved && i < n; i++) {
			if (its[i]->rec.state == sub &&
			    relay_move(r, &its[i]->rec.packet.key, back, NULL, 0, NULL))
				its[i]->rec.state = back;
		}
		/* A wrong account sequence is the submitter's business (it
		 * resyncs); any other refusal may be one packet's fault. */
		rp->spoiled = res.code != 0 && !(res.code == RLY_TX_CODE_WRONG_SEQUENCE &&
						 strcmp(res.codespace, "sdk") == 0);
		px_err_prefix(err, "%s: %s batch of %zu refused: ", rp->cfg->name, kind, n);
		relay_obs_tx(r, dst->chain, RELAY_TX_REFUSED, t0);
		rly_tx_result_clear(&res);
		return false;
	}
	relay_obs_tx(r, dst->chain, RELAY_TX_SENT, t0);
	memcpy(hash, res.hash, sizeof(hash));
	rly_tx_result_clear(&res);
	if (px_err_is_set(&r->fatal))
		return false;
	ok = rly_txsub_wait(err, &res, dst->chain->tx, hash,
			    r->o->tx_timeout_ms ? r->o->tx_timeout_ms : 30000);
	if (!ok && res.height > 0) {
		/* Executed and failed: everything in it was reverted. */
		px_err_prefix(err, "%s: %s tx %s failed in block %" PRId64 ": ", rp->cfg->name, kind,
			      hash, res.height);
		rp->spoiled = true;
		relay_obs_tx(r, dst->chain, RELAY_TX_FAILED, t0);
		for (size_t i = 0; i < n; i++)
			(void)relay_move(r, &its[i]->rec.packet.key,
				   sub == RLY_PKT_ACK_SUBMITTED ? RLY_PKT_RECEIVED : RLY_PKT_SENT,
				   NULL, 0, NULL);
		rly_tx_result_clear(&res);
		return false;
	}
	if (!ok) {
		/* Unknown outcome: the packets stay submitted; after FRESH_MS
		 * the destination's state decides. */
		px_err_prefix(err, "%s: %s tx %s: ", rp->cfg->name, kind, hash);
		relay_obs_tx(r, dst->chain, RELAY_TX_LOST, t0);
		rly_tx_result_clear(&res);
		return false;
	}
	relay_obs_tx(r, dst->chain, RELAY_TX_INCLUDED, t0);
	for (size_t i = 0; i < n; i++)
		if (relay_move(r, &its[i]->rec.packet.key, done, hash, (uint64_t)res.height, NULL))
			relay_obs_relayed(r, rp, done);
	if (done == RLY_PKT_RECEIVED)
		keep_acks(r, rp, dst, res.events, (uint64_t)res.height);
	if (rp->solo && n && --rp->solo == 0)
		rp->limit = r->max_msgs;
	if (version + 1 > rp->client_h[side]) {
		struct rly_end *src = side == 0 ? &rp->p.b : &rp->p.a;
		const struct tm_trusted *t = rly_fetch_verified(src->chain->fetch, version + 1);

		rp->client_h[side] = version + 1;
		/* The consensus state just made is that header's (0: read it). */
		rp->client_t[side] = t && t->header.time.seconds > 0 ?
			(uint64_t)t->header.time.seconds * 1000000000ull + (uint64_t)t->header.time.nanos : 0;
	}
	px_info(MOD, "path %s: %s %zu packet(s) on %s (%zu msgs), tx %s, height %" PRId64 ", %" PRId64
		" ms", rp->cfg->name, kind, n, dst->chain->cfg->id, m->n, hash, res.height,
		relay_mono_ms() - t0);
	rly_tx_result_clear(&res);
	return true;
}

/* Client updates alone, when they fill a transaction. */
bool relay_submit_updates(struct relay *r, struct px_err *err, struct r_path *rp,
			   struct rly_end *dst, struct rly_msgs *m, int64_t version)
{
	return submit(r, err, rp, dst, m, version, NULL, 0, "update", RLY_PKT_SENT, RLY_PKT_SENT);
}

static void signer_of(struct px_slice *out, struct rly_end *e)
{
	*out = cosmos_str(rly_txsub_address(e->chain->tx));
}

/* MsgRecvPacket for its[0..n) on dst, proofs from src; batches of at most
 * max_msgs with their client updates. */
bool relay_send_recvs(struct relay *r, struct px_err *err, struct r_path *rp, struct rly_end *src,
		       struct rly_end *dst, struct item **its, size_t n)
{
	size_t at = 0;

	while (at < n && !relay_stopping(r)) {
		struct rly_msgs m;
		struct item *take[RLY_MSGS_MAX];
		int64_t version = 0, min_v = 0;
		size_t k, want = n - at < rp->limit ? n - at : rp->limit, used = 0;
		bool ok = false;

		for (size_t i = 0; i < want; i++)
			if ((int64_t)its[at + i]->rec.packet.send_height > min_v)
				min_v = (int64_t)its[at + i]->rec.packet.send_height;
		rly_msgs_init(&m);
		if (!relay_update_msgs(err, &m, &version, dst, src, min_v))
			goto out;
		k = rly_plan_batch(want, m.n, r->max_msgs);
		if (k == 0) {
			ok = relay_submit_updates(r, err, rp, dst, &m, version);
			rly_msgs_clear(&m);
			if (!ok)
				return false;
			continue;
		}
		for (size_t i = 0; i < k; i++) {
			struct item *it = its[at + i];
			struct rly_proof pr;
			struct ibc_msg msg;
			uint8_t want_c[IBC_COMMITMENT_LEN];

			if (!relay_prove(err, &pr, src, PROVE_COMMITMENT, &it->pkt, version))
				goto out;
			ibc_commit_packet_v1(want_c, &it->pkt);
			if (!value_is(&pr, want_c)) {
				/* Not (or no longer) committed as the event said:
				 * acked or timed out meanwhile, or a bad event. The
				 * next round decides from the destination. */
				px_warn(MOD, "%s/%s/%" PRIu64 ": commitment on %s at %" PRId64 " is %s",
					it->pkt.source_port, it->pkt.source_channel,
					it->pkt.sequence, src->chain->cfg->id, version,
					pr.exists ? "another packet's" : "absent");
				if (pr.exists)
					relay_fail_packet(r, it, "the source's commitment does not match "
						    "the packet read from its event");
				rly_proof_free(&pr);
				continue;
			}
			memset(&msg, 0, sizeof(msg));
			msg.kind = IBC_MSG_RECV_PACKET;
			msg.u.recv_packet.packet = it->pkt;
			msg.u.recv_packet.proof_commitment = px_slice_of(&pr.proof);
			msg.u.recv_packet.proof_height = pr.proof_height;
			signer_of(&msg.u.recv_packet.signer, dst);
			ok = rly_msgs_add_ibc(err, &m, &msg);
			rly_proof_free(&pr);
			if (!ok)
				goto out;
			take[used++] = it;
		}
		ok = used == 0 || submit(r, err, rp, dst, &m, version, take, used, "recv",
					 RLY_PKT_RECV_SUBMITTED, RLY_PKT_RECEIVED);
out:
		rly_msgs_clear(&m);
		if (!ok)
			return false;
		at += k;
	}
	return true;
}

/* MsgTimeout on src for its[0..n), proofs of absence from dst. */
bool relay_send_timeouts(struct relay *r, struct px_err *err, struct r_path *rp,
			  struct rly_end *src, struct rly_end *dst, struct item **its, size_t n,
			  int64_t min_v)
{
	size_t at = 0;

	while (at < n && !relay_stopping(r)) {
		struct rly_msgs m;
		struct item *take[RLY_MSGS_MAX];
		uint64_t t_ns = 0;
		int64_t version = 0;
		size_t k, want = n - at < rp->limit ? n - at : rp->limit, used = 0;
		bool ok = false;

		rly_msgs_init(&m);
		if (!relay_update_msgs(err, &m, &version, src, dst, min_v) ||
		    !relay_header_time(err, &t_ns, dst, version + 1))
			goto out;
		k = rly_plan_batch(want, m.n, r->max_msgs);
		if (k == 0) {
			ok = relay_submit_updates(r, err, rp, src, &m, version);
			rly_msgs_clear(&m);
			if (!ok)
				return false;
			continue;
		}
		for (size_t i = 0; i < k; i++) {
			struct item *it = its[at + i];
			struct rly_proof pr;
			struct ibc_msg msg;

			if (!rly_plan_timed_out(&it->rec.packet, dst->chain->revision,
						(uint64_t)version + 1, t_ns))
				continue;
			if (!relay_prove(err, &pr, dst, PROVE_RECEIPT, &it->pkt, version))
				goto out;
			if (pr.exists) {	/* received after all: the ack path */
				rly_proof_free(&pr);
				(void)relay_move(r, &it->rec.packet.key, RLY_PKT_RECEIVED, NULL, 0, NULL);
				continue;
			}
			memset(&msg, 0, sizeof(msg));
			msg.kind = IBC_MSG_TIMEOUT;
			msg.u.timeout.packet = it->pkt;
			msg.u.timeout.proof_unreceived = px_slice_of(&pr.proof);
			msg.u.timeout.proof_height = pr.proof_height;
			/* Unordered channels ignore it; ValidateBasic wants > 0. */
			msg.u.timeout.next_sequence_recv = it->pkt.sequence;
			signer_of(&msg.u.timeout.signer, src);
			ok = rly_msgs_add_ibc(err, &m, &msg);
			rly_proof_free(&pr);
			if (!ok)
				goto out;
			take[used++] = it;
		}
		ok = used == 0 || submit(r, err, rp, src, &m, version, take, used, "timeout",
					 RLY_PKT_TIMEOUT_SUBMITTED, RLY_PKT_TIMED_OUT);
out:
		rly_msgs_clear(&m);
		if (!ok)
			return false;
		at += k;
	}
	return true;
}

/* MsgAcknowledgement on src for its[0..n), proofs of the acks from dst. */
bool relay_send_acks(struct relay *r, struct px_err *err, struct r_path *rp, struct rly_end *src,
		      struct rly_end *dst, struct item **its, size_t n)
{
	size_t at = 0;

	while (at < n && !relay_stopping(r)) {
		struct rly_msgs m;
		struct item *take[RLY_MSGS_MAX];
		int64_t version = 0, min_v = 0;
		size_t k, want = n - at < rp->limit ? n - at : rp->limit, used = 0;
		bool ok = false;

		for (size_t i = 0; i < want; i++)
			if ((int64_t)its[at + i]->ack_height > min_v)
				min_v = (int64_t)its[at + i]->ack_height;
		rly_msgs_init(&m);
		if (!relay_update_msgs(err, &m, &version, src, dst, min_v))
			goto out;
		k = rly_plan_batch(want, m.n, r->max_msgs);
		if (k == 0) {
			ok = relay_submit_updates(r, err, rp, src, &m, version);
			rly_msgs_clear(&m);
			if (!ok)
				return false;
			continue;
		}
		for (size_t i = 0; i < k; i++) {
			struct item *it = its[at + i];
			struct rly_proof pr;
			struct ibc_msg msg;
			uint8_t want_c[IBC_COMMITMENT_LEN];

			if (!relay_prove(err, &pr, dst, PROVE_ACK, &it->pkt, version))
				goto out;
			ibc_commit_ack_v1(want_c, it->ack.data, it->ack.len);
			if (!value_is(&pr, want_c)) {
				if (pr.exists)
					relay_fail_packet(r, it, "the destination's ack commitment does not "
						    "match the ack read from its event");
				rly_proof_free(&pr);
				continue;
			}
			memset(&msg, 0, sizeof(msg));
			msg.kind = IBC_MSG_ACKNOWLEDGEMENT;
			msg.u.acknowledgement.packet = it->pkt;
			msg.u.acknowledgement.acknowledgement = px_slice_of(&it->ack);
			msg.u.acknowledgement.proof_acked = px_slice_of(&pr.proof);
			msg.u.acknowledgement.proof_height = pr.proof_height;
			signer_of(&msg.u.acknowledgement.signer, src);
			ok = rly_msgs_add_ibc(err, &m, &msg);
			rly_proof_free(&pr);
			if (!ok)
				goto out;
			take[used++] = it;
		}
		ok = used == 0 || submit(r, err, rp, src, &m, version, take, used, "ack", RLY_PKT_ACK_SUBMITTED,
					 RLY_PKT_ACKED);
out:
		rly_msgs_clear(&m);
		if (!ok)
			return false;
		at += k;
	}
	return true;
}

