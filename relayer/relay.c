/* The relaying engine (relay.h): one event loop that follows every chain
 * of the selected paths, writes what they emit to the journal, and moves
 * each journalled packet on with verified proofs (relayer/path.h).
 *
 * One round per path and direction (src -> dst):
 *   recv phase: claim packets in sent / recv_submitted / timeout_submitted;
 *     prove the receipt on dst (present: received, nothing to submit);
 *     timed out at dst's verified head: MsgTimeout on src with a proof of
 *     the receipt's absence; else MsgRecvPacket on dst with a proof of the
 *     commitment, checked against the packet's own commitment.
 *   ack phase: claim packets in received / ack_submitted; prove the
 *     commitment on src (absent: acked, nothing to submit); with the ack
 *     bytes in the journal, MsgAcknowledgement on src with a proof of the
 *     ack commitment, checked against sha256(ack).
 * Each batch: client updates + at most max_msgs messages in total; the
 * packets go to *_submitted with the tx hash once CheckTx accepted it, and
 * to the final state once the block holds it. See docs/relaying.md. */
#include "relayer/relay_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "ibc/codec/msg.h"
#include "ibc/core/commitment.h"
#include "ibc/core/paths.h"

int64_t relay_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool is_verify(int code)
{
	return code >= 300 && code < 400;
}

bool relay_stopping(const struct relay *r)
{
	return (r->o->stop && *r->o->stop) || px_err_is_set(&r->fatal);
}

static void items_free(struct item *it, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		px_buf_free(&it[i].data);
		px_buf_free(&it[i].ack);
	}
	free(it);
}

/* --- the journal ------------------------------------------------------------ */

/* A transition; a refused one is logged and skipped (the packet is looked
 * at again), a storage failure stops the relayer. */
bool relay_move(struct relay *r, const struct rly_packet_key *k, enum rly_packet_state to,
		 const char *tx, uint64_t height, const char *reason)
{
	struct rly_transition t = { to, tx && tx[0] ? tx : NULL, height, reason };
	struct px_err err = { 0 };

	if (rly_journal_transition(r->j, &err, k, &t))
		return true;
	if (err.code == PX_E_IO || err.code == PX_E_NOMEM) {
		px_err_set(&r->fatal, err.code, "%s", err.msg);
		return false;
	}
	px_warn(MOD, "%s/%s/%s/%" PRIu64 ": %s", k->src_chain, k->src_port, k->src_channel,
		k->sequence, err.msg);
	return false;
}

/* A packet in a *_submitted state goes back one step before it is
 * submitted again (the table has no self-loops). */
bool relay_move_submitted(struct relay *r, struct item *it, enum rly_packet_state to,
			   const char *tx)
{
	enum rly_packet_state back = to == RLY_PKT_ACK_SUBMITTED ? RLY_PKT_RECEIVED : RLY_PKT_SENT;

	if (!rly_packet_transition_allowed(it->rec.state, to) &&
	    !relay_move(r, &it->rec.packet.key, back, NULL, 0, NULL))
		return false;
	if (!relay_move(r, &it->rec.packet.key, to, tx, 0, NULL))
		return false;
	it->rec.state = to;
	return true;
}

void relay_fail_packet(struct relay *r, struct item *it, const char *why)
{
	px_error(MOD, "%s/%s/%s/%" PRIu64 ": given up: %s", it->rec.packet.key.src_chain,
		 it->rec.packet.key.src_port, it->rec.packet.key.src_channel,
		 it->rec.packet.key.sequence, why);
	(void)relay_move(r, &it->rec.packet.key, RLY_PKT_FAILED, NULL, 0, why);
}

/* Writes every complete height the watchers queued. */
static void drain(struct relay *r, bool *changed)
{
	for (size_t i = 0; i < r->n_chains && !px_err_is_set(&r->fatal); i++) {
		struct r_chain *ch = &r->chains[i];
		struct rly_height *h;

		if (ch->w.oom) {
			px_err_set(&r->fatal, PX_E_NOMEM, "chain %s: out of memory reading events",
				   ch->c.cfg->id);
			return;
		}
		while ((h = rly_watch_pop(&ch->w))) {
			struct px_err err = { 0 };
			size_t inserted = 0;

			if (!rly_journal_record_height(r->j, &err, ch->c.cfg->id, h->height, h->sent,
						       h->n_sent, h->acks, h->n_acks, &inserted)) {
				px_err_set(&r->fatal, err.code, "chain %s height %" PRIu64 ": %s",
					   ch->c.cfg->id, h->height, err.msg);
				rly_height_free(h);
				return;
			}
			if (inserted || h->n_acks)
				*changed = true;
			relay_progress_height(r, ch, h->height, inserted + h->n_acks);
			if (inserted || h->n_acks)
				px_debug(MOD, "chain %s height %" PRIu64 ": %zu new packet(s), %zu ack(s)",
					 ch->c.cfg->id, h->height, inserted, h->n_acks);
			if (!ch->announced) {
				ch->announced = true;
				px_info(MOD, "chain %s: following from height %" PRIu64,
					ch->c.cfg->id, h->height);
			}
			rly_height_free(h);
		}
	}
}

/* Claims packets of one direction in the states of mask and loads their
 * bytes. Packets without data cannot be relayed by this relayer: failed. */
static bool claim(struct relay *r, struct px_err *err, struct item **out, size_t *n,
		  const struct rly_end *src, unsigned mask)
{
	struct rly_packet_filter f = { src->chain->cfg->id, src->port_id, src->channel_id, mask };
	struct rly_packet_record *recs;
	struct item *it;
	size_t got = 0, k = 0;

	*out = NULL;
	*n = 0;
	recs = calloc(CLAIM_MAX, sizeof(*recs));
	it = calloc(CLAIM_MAX, sizeof(*it));
	if (!recs || !it) {
		free(recs);
		free(it);
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	}
	if (!rly_journal_claim(r->j, err, &f, r->owner, LEASE_MS, recs, CLAIM_MAX, &got)) {
		px_err_set(&r->fatal, err->code, "%s", err->msg);
		free(recs);
		free(it);
		return false;
	}
	for (size_t i = 0; i < got; i++) {
		struct item *x = &it[k];
		bool found = false;

		x->rec = recs[i];
		if (!rly_journal_payload(r->j, err, &x->rec.packet.key, &x->data, &x->ack,
					 &x->ack_height, &found)) {
			px_err_set(&r->fatal, err->code, "%s", err->msg);
			free(recs);
			items_free(it, k + 1);
			return false;
		}
		if (!found || x->data.len == 0) {
			relay_fail_packet(r, x, "no packet data in the journal");
			px_buf_free(&x->data);
			px_buf_free(&x->ack);
			memset(x, 0, sizeof(*x));
			continue;
		}
		x->pkt.sequence = x->rec.packet.key.sequence;
		snprintf(x->pkt.source_port, sizeof(x->pkt.source_port), "%s", x->rec.packet.key.src_port);
		snprintf(x->pkt.source_channel, sizeof(x->pkt.source_channel), "%s",
			 x->rec.packet.key.src_channel);
		snprintf(x->pkt.destination_port, sizeof(x->pkt.destination_port), "%s",
			 x->rec.packet.dst_port);
		snprintf(x->pkt.destination_channel, sizeof(x->pkt.destination_channel), "%s",
			 x->rec.packet.dst_channel);
		x->pkt.timeout_height.revision_number = x->rec.packet.timeout_revision;
		x->pkt.timeout_height.revision_height = x->rec.packet.timeout_height;
		x->pkt.timeout_timestamp = x->rec.packet.timeout_timestamp;
		x->pkt.data = px_slice_of(&x->data);
		k++;
	}
	free(recs);
	*out = it;
	*n = k;
	return true;
}

static void release(struct relay *r)
{
	struct px_err err = { 0 };

	if (!rly_journal_release(r->j, &err, r->owner))
		px_err_set(&r->fatal, err.code, "%s", err.msg);
}

/* --- phases ------------------------------------------------------------------ */

#define RECV_MASK (RLY_PKT_MASK(RLY_PKT_SENT) | RLY_PKT_MASK(RLY_PKT_RECV_SUBMITTED) | \
		   RLY_PKT_MASK(RLY_PKT_TIMEOUT_SUBMITTED))
#define ACK_MASK (RLY_PKT_MASK(RLY_PKT_RECEIVED) | RLY_PKT_MASK(RLY_PKT_ACK_SUBMITTED))

static bool recv_phase(struct relay *r, struct px_err *err, struct r_path *rp, struct rly_end *src,
		       struct rly_end *dst, bool *worked)
{
	struct item *it = NULL, **recvs = NULL, **touts = NULL;
	uint64_t t = 0;
	size_t n = 0, nr = 0, nt = 0;
	int64_t prov = 0, now = wall_ms();
	bool ok = false;

	if (!claim(r, err, &it, &n, src, RECV_MASK))
		return false;
	if (n == 0) {
		ok = true;
		goto out;
	}
	recvs = calloc(n, sizeof(*recvs));
	touts = calloc(n, sizeof(*touts));
	if (!recvs || !touts) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto out;
	}
	if (!rly_chain_provable(err, &prov, dst->chain) || !relay_header_time(err, &t, dst, prov + 1))
		goto out;
	for (size_t i = 0; i < n && !relay_stopping(r); i++) {
		struct rly_facts f = { 0 };
		struct rly_proof pr;

		if (!relay_prove(err, &pr, dst, PROVE_RECEIPT, &it[i].pkt, prov))
			goto out;
		f.received = pr.exists;
		rly_proof_free(&pr);
		f.timed_out = rly_plan_timed_out(&it[i].rec.packet, dst->chain->revision,
						 (uint64_t)prov + 1, t);
		f.near_timeout = rly_plan_timed_out(&it[i].rec.packet, dst->chain->revision,
						    (uint64_t)prov + 1 + MARGIN_BLOCKS, t + MARGIN_NS);
		f.fresh = rly_plan_fresh(it[i].rec.state, it[i].rec.updated_ms, now, FRESH_MS);
		switch (rly_plan_action(it[i].rec.state, &f)) {
		case RLY_ACT_MARK_RECEIVED:
			*worked = true;
			(void)relay_move(r, &it[i].rec.packet.key, RLY_PKT_RECEIVED, it[i].rec.recv_tx, 0,
				   NULL);
			break;
		case RLY_ACT_RECV: recvs[nr++] = &it[i]; break;
		case RLY_ACT_TIMEOUT: touts[nt++] = &it[i]; break;
		default: break;
		}
	}
	if (nr || nt)
		*worked = true;
	ok = relay_send_recvs(r, err, rp, src, dst, recvs, nr) &&
	     relay_send_timeouts(r, err, rp, src, dst, touts, nt, prov);
out:
	free(recvs);
	free(touts);
	items_free(it, n);
	release(r);
	return ok;
}

static bool ack_phase(struct relay *r, struct px_err *err, struct r_path *rp, struct rly_end *src,
		      struct rly_end *dst, bool *worked)
{
	struct item *it = NULL, **acks = NULL;
	size_t n = 0, na = 0;
	int64_t prov = 0, now = wall_ms();
	bool ok = false;

	if (!claim(r, err, &it, &n, src, ACK_MASK))
		return false;
	if (n == 0) {
		ok = true;
		goto out;
	}
	acks = calloc(n, sizeof(*acks));
	if (!acks) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto out;
	}
	if (!rly_chain_provable(err, &prov, src->chain))
		goto out;
	for (size_t i = 0; i < n && !relay_stopping(r); i++) {
		struct rly_facts f = { 0 };
		struct rly_proof pr;

		f.has_ack = it[i].ack.len > 0;
		f.fresh = rly_plan_fresh(it[i].rec.state, it[i].rec.updated_ms, now, FRESH_MS);
		if (!relay_prove(err, &pr, src, PROVE_COMMITMENT, &it[i].pkt, prov))
			goto out;
		f.committed = pr.exists;
		rly_proof_free(&pr);
		switch (rly_plan_action(it[i].rec.state, &f)) {
		case RLY_ACT_MARK_ACKED:
			*worked = true;
			(void)relay_move(r, &it[i].rec.packet.key, RLY_PKT_ACKED, it[i].rec.ack_tx, 0, NULL);
			break;
		case RLY_ACT_ACK: acks[na++] = &it[i]; break;
		default: break;
		}
	}
	if (na)
		*worked = true;
	ok = relay_send_acks(r, err, rp, src, dst, acks, na);
out:
	free(acks);
	items_free(it, n);
	release(r);
	return ok;
}

static uint64_t wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t time_ns(struct px_time t)
{
	return t.seconds < 0 ? 0 : (uint64_t)t.seconds * 1000000000ull + (uint64_t)t.nanos;
}

/* Reads dst's client of src (side: dst's index in the path) from dst,
 * with proofs: its latest height, its trusting period and the time of
 * its consensus state there. */
static bool client_read(struct px_err *err, struct r_path *rp, int side)
{
	struct rly_end *dst = side == 0 ? &rp->p.a : &rp->p.b;
	struct ibc_tm_client_state cs;
	struct ibc_tm_consensus_state cons;
	struct relay_lc_mark mk;
	bool ok;

	relay_lc_begin(&mk, dst->chain, NULL);
	ok = rly_end_client_state(err, &cs, dst) &&
	     rly_end_consensus_state(err, &cons, dst, cs.latest_height);
	relay_lc_end(&mk, ok, err);
	if (!ok)
		return false;
	rp->client_h[side] = (int64_t)cs.latest_height.revision_height;
	rp->client_tp[side] = cs.trusting_period;
	rp->client_t[side] = time_ns(cons.timestamp);
	if (rp->client_t[side] == 0)
		rp->client_t[side] = 1;	/* known, and as old as can be */
	return true;
}

static void fmt_secs(char *out, size_t cap, uint64_t ns)
{
	uint64_t s = ns / 1000000000ull;

	if (s >= 7200)
		snprintf(out, cap, "%" PRIu64 "h%02" PRIu64 "m", s / 3600, s / 60 % 60);
	else
		snprintf(out, cap, "%" PRIu64 "s", s);
}

/* Keeps dst's client of src alive without packets (config `refresh` of
 * src): a lone MsgUpdateClient once its latest consensus state is older
 * than that share of its trusting period. Warns once per client when
 * less than a third of the period is left and it could not be
 * refreshed, and logs an error once it expired. */
static bool refresh_client(struct relay *r, struct px_err *err, struct r_path *rp, int side,
			   bool *worked)
{
	struct rly_end *dst = side == 0 ? &rp->p.a : &rp->p.b;
	struct rly_end *src = side == 0 ? &rp->p.b : &rp->p.a;
	const struct rly_config_chain *sc = src->chain->cfg;
	struct rly_refresh_verdict v;
	struct rly_msgs m;
	int64_t head = 0, version = 0;
	char left[32];
	bool ok = false, known = rp->client_t[side] && rp->client_tp[side];

	memset(&v, 0, sizeof(v));
	if (!known && !client_read(err, rp, side))
		goto trouble;
	rly_plan_refresh(&v, rp->client_t[side], rp->client_tp[side], sc->refresh_num,
			 sc->refresh_den, wall_ns());
	if (v.refresh && known) {
		/* Due by what this relayer knows: someone else may have
		 * updated it meanwhile. */
		if (!client_read(err, rp, side))
			goto trouble;
		rly_plan_refresh(&v, rp->client_t[side], rp->client_tp[side], sc->refresh_num,
				 sc->refresh_den, wall_ns());
	}
	if (!v.low)
		rp->client_low[side] = rp->client_expired[side] = false;
	if (v.expired) {
		if (!rp->client_expired[side])
			px_error(MOD, "path %s: client %s on %s (of %s) has EXPIRED: its consensus state "
				 "at height %" PRId64 " is older than its trusting period; it cannot be "
				 "updated, nothing can be relayed to %s over it", rp->cfg->name,
				 dst->client_id, dst->chain->cfg->id, sc->id, rp->client_h[side],
				 dst->chain->cfg->id);
		rp->client_expired[side] = rp->client_low[side] = true;
		return true;
	}
	if (!v.refresh) {
		if (v.low && !rp->client_low[side] && sc->refresh_num == 0) {
			fmt_secs(left, sizeof(left), v.left_ns);
			px_warn(MOD, "path %s: client %s on %s (of %s) has %s of its trusting period "
				"left and refresh is off for %s", rp->cfg->name, dst->client_id,
				dst->chain->cfg->id, sc->id, left, sc->id);
			rp->client_low[side] = true;
		}
		return true;
	}
	if (!rly_fetch_head(err, &head, src->chain->fetch)) {
		px_err_prefix(err, "%s: ", sc->id);
		goto trouble;
	}
	rly_msgs_init(&m);
	ok = relay_update_msgs(err, &m, &version, dst, src, head - 1);
	if (ok && m.n) {
		*worked = true;
		ok = relay_submit_updates(r, err, rp, dst, &m, version);
		if (ok)
			px_info(MOD, "path %s: refreshed client %s on %s to height %" PRId64,
				rp->cfg->name, dst->client_id, dst->chain->cfg->id, version + 1);
	} else if (ok) {
		rp->client_t[side] = 0;	/* someone else updated it: read it again */
	}
	rly_msgs_clear(&m);
	if (ok)
		return true;
trouble:
	if (v.low && !rp->client_low[side]) {
		fmt_secs(left, sizeof(left), v.left_ns);
		px_warn(MOD, "path %s: client %s on %s (of %s) has %s of its trusting period left "
			"and could not be refreshed: %s", rp->cfg->name, dst->client_id,
			dst->chain->cfg->id, sc->id, left, err->msg);
		rp->client_low[side] = true;
	}
	return false;
}

/* One round of a path; *worked when anything moved. Failures: a 3xx halts
 * the path, anything else backs off. */
static void path_round(struct relay *r, struct r_path *rp, bool *worked)
{
	struct rly_end *ends[2] = { &rp->p.a, &rp->p.b };
	struct px_err err = { 0 };
	bool ok = true;

	rp->spoiled = false;
	for (int side = 0; side < 2 && ok && !relay_stopping(r); side++)
		ok = refresh_client(r, &err, rp, side, worked);
	for (int d = 0; d < 2 && ok && !relay_stopping(r); d++) {
		ok = recv_phase(r, &err, rp, ends[d], ends[1 - d], worked) &&
		     ack_phase(r, &err, rp, ends[d], ends[1 - d], worked);
	}
	if (ok || px_err_is_set(&r->fatal)) {
		if (ok)
			rp->backoff_ms = 0;
		return;
	}
	if (is_verify(err.code)) {
		rp->halted = true;
		r->halt = err;
		relay_obs_halted(r, rp, &err);
		px_error(MOD, "path %s HALTED: verification failed (%d %s): %s; nothing more is "
			 "submitted for it", rp->cfg->name, err.code, px_code_name(err.code), err.msg);
		return;
	}
	rp->backoff_ms = rp->backoff_ms ? rp->backoff_ms * 2 : BACKOFF_MIN_MS;
	if (rp->backoff_ms > BACKOFF_MAX_MS)
		rp->backoff_ms = BACKOFF_MAX_MS;
	rp->retry_at = relay_mono_ms() + rp->backoff_ms;
	if (rp->spoiled) {	/* find the packet that spoils a batch */
		rp->limit = 1;
		rp->solo = r->max_msgs;
	}
	px_warn(MOD, "path %s: %s (code %d); retrying in %u ms%s", rp->cfg->name, err.msg, err.code,
		rp->backoff_ms, rp->spoiled ? ", one packet per transaction for a while" : "");
}

/* A light client attack shown by a chain's witness (witness.h): the
 * evidence goes to the counterparty of every path over that chain, and
 * those paths stop for the rest of the process. */
static void witness_react(struct relay *r)
{
	uint32_t timeout = r->o->tx_timeout_ms ? r->o->tx_timeout_ms : 30000;

	for (size_t i = 0; i < r->n_chains; i++) {
		struct r_chain *ch = &r->chains[i];
		const struct rly_attack *a = rly_witness_attack(ch->wit);

		if (!a || ch->attack_done)
			continue;
		ch->attack_done = true;
		px_err_clear(&r->halt);
		px_err_set(&r->halt, PX_E_CONFLICT, "light client attack on chain %s at height %"
			   PRId64 " (witness %s)", ch->c.cfg->id, a->evidence.conflicting_height,
			   a->witness);
		for (size_t k = 0; k < r->n_paths; k++) {
			struct r_path *rp = &r->paths[k];
			bool on_a = rp->p.a.chain == &ch->c;
			struct px_err err = { 0 };

			if (!on_a && rp->p.b.chain != &ch->c)
				continue;
			if (!rly_witness_respond(ch->wit, &err, on_a ? &rp->p.b : &rp->p.a,
						 on_a ? &rp->p.a : &rp->p.b, timeout))
				px_error(MOD, "path %s: no misbehaviour evidence submitted: %s (%d %s)",
					 rp->cfg->name, err.msg, err.code, px_code_name(err.code));
			rp->halted = true;
			relay_obs_halted(r, rp, &r->halt);
			px_error(MOD, "path %s HALTED: %s; nothing more is relayed over it",
				 rp->cfg->name, r->halt.msg);
		}
	}
}

/* --- setup ------------------------------------------------------------------- */

static struct r_chain *chain_of(struct relay *r, const char *id)
{
	for (size_t i = 0; i < r->n_chains; i++)
		if (strcmp(r->chains[i].c.cfg ? r->chains[i].c.cfg->id : "", id) == 0)
			return &r->chains[i];
	return NULL;
}

static bool setup(struct relay *r, struct px_err *err)
{
	const struct rly_config *cfg = r->o->cfg;
	const struct rly_config_chain **want;
	size_t nw = 0;

	r->paths = calloc(cfg->n_paths ? cfg->n_paths : 1, sizeof(*r->paths));
	r->routes = calloc(cfg->n_paths ? cfg->n_paths : 1, sizeof(*r->routes));
	want = calloc(2 * cfg->n_paths + 1, sizeof(*want));
	if (!r->paths || !r->routes || !want) {
		free(want);
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < cfg->n_paths; i++) {
		const struct rly_config_path *p = &cfg->paths[i];
		const char *ids[2] = { p->a.chain, p->b.chain };

		if (r->o->path && strcmp(r->o->path, p->name) != 0)
			continue;
		r->paths[r->n_paths++].cfg = p;
		for (int s = 0; s < 2; s++) {
			bool seen = false;

			for (size_t k = 0; k < nw; k++)
				seen = seen || strcmp(want[k]->id, ids[s]) == 0;
			if (seen)
				continue;
			want[nw] = rly_config_chain_find(cfg, ids[s]);
			if (!want[nw++]) {
				px_err_set(err, PX_E_CONFIG, "path %s: chain %s is not configured",
					   p->name, ids[s]);
				goto fail;
			}
		}
	}
	if (r->n_paths == 0) {
		if (r->o->path)
			px_err_set(err, PX_E_CONFIG, "no path named %s in the configuration",
				   r->o->path);
		else
			px_err_set(err, PX_E_CONFIG, "the configuration has no paths");
		goto fail;
	}
	r->chains = calloc(nw, sizeof(*r->chains));
	if (!r->chains) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < r->n_paths; i++) {
		const struct rly_config_path *p = r->paths[i].cfg;
		struct rly_route *rt = &r->routes[i];

		rt->name = p->name;
		rt->chain[0] = p->a.chain;
		rt->chain[1] = p->b.chain;
		rt->port[0] = rt->port[1] = p->port;
		rt->channel[0] = p->a.channel;
		rt->channel[1] = p->b.channel;
		r->paths[i].route = *rt;
		r->paths[i].limit = r->max_msgs;
	}
	for (size_t i = 0; i < nw && !relay_stopping(r); i++) {
		struct r_chain *ch = &r->chains[i];
		struct rly_chain_opts co = { 0 };
		uint64_t cursor = 0;
		bool found = false;

		if (!rly_journal_cursor_get(r->j, err, want[i]->id, &cursor, &found))
			goto fail;
		rly_watch_init(&ch->w, want[i]->id, r->routes, r->n_paths, cfg);
		co.home = r->o->home;
		co.subscribe = !r->o->clear;	/* `clear packets` does not follow */
		co.start_height = found ? (int64_t)cursor : 0;
		co.on_event = rly_watch_event;
		co.event_arg = &ch->w;
		co.trust_height = 1;	/* devnets: chains without trusted_hash */
		if (!rly_chain_open(err, &ch->c, r->loop, want[i], &co,
				    r->o->connect_timeout_ms ? r->o->connect_timeout_ms : 30000)) {
			rly_watch_free(&ch->w);
			goto fail;
		}
		ch->open = true;
		ch->cursor = found ? cursor : 0;
		r->n_chains++;
		{
			struct rly_witness_opts wo = { .metrics = relay_obs_witness_metrics(r) };

			if (!rly_witness_attach(err, &ch->wit, r->loop, want[i], ch->c.fetch, &wo))
				goto fail;
		}
		if (found)
			px_info(MOD, "chain %s: resuming after height %" PRIu64 " (journal cursor)",
				want[i]->id, cursor);
		else
			px_info(MOD, "chain %s: no cursor in the journal, following from the "
				"node's latest height", want[i]->id);
	}
	if (r->n_chains < nw) {	/* stopped while connecting */
		free(want);
		return true;
	}
	for (size_t i = 0; i < r->n_paths; i++) {
		struct r_path *rp = &r->paths[i];

		rly_path_from_config(&rp->p, rp->cfg, &chain_of(r, rp->cfg->a.chain)->c,
				     &chain_of(r, rp->cfg->b.chain)->c);
		if (!relay_ends_resolve(r, err, rp, &r->routes[i]))
			goto fail;
		px_info(MOD, "relaying path %s: %s %s/%s <-> %s %s/%s", rp->cfg->name,
			rp->cfg->a.chain, rp->p.a.port_id, rp->p.a.channel_id, rp->cfg->b.chain,
			rp->p.b.port_id, rp->p.b.channel_id);
	}
	free(want);
	return true;
fail:
	free(want);
	return false;
}

static void owner_name(char *out, size_t cap, const char *who)
{
	char host[64] = "localhost";

	if (gethostname(host, sizeof(host) - 1) != 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = 0;
	snprintf(out, cap, "%s@%.40s", who, host);
}

bool rly_relay_run(struct px_err *err, const struct rly_relay_opts *o)
{
	struct relay r;
	int64_t last_round = 0;
	bool ok = false, changed = true, worked = false, all_halted = false;

	memset(&r, 0, sizeof(r));
	if (!o || !o->cfg || !o->journal || !o->home)
		return px_err_set(err, PX_E_USAGE, "relay: want a config, a journal and a home");
	r.o = o;
	r.j = o->journal;
	r.max_msgs = o->cfg->max_msgs ? (size_t)o->cfg->max_msgs : 30;
	if (r.max_msgs > RLY_MSGS_MAX)
		r.max_msgs = RLY_MSGS_MAX;
	owner_name(r.owner, sizeof(r.owner), o->clear ? "pontifex-clear" : "pontifex");
	/* Claims of an earlier run of this relayer (killed) are ours again. */
	if (!rly_journal_release(r.j, err, r.owner) || !cmt_loop_new(err, &r.loop) ||
	    !relay_obs_start(&r, err) || !setup(&r, err))
		goto out;
	if (!o->clear)
		relay_progress_start(&r);
	if (!relay_clear_start(&r, err))
		goto out;
	while (!relay_stopping(&r)) {
		size_t running = 0;
		bool cleared = false;
		int64_t now;

		if (!cmt_loop_service(r.loop, worked ? 0 : 100)) {
			px_err_set(err, PX_E_IO, "the event loop failed");
			goto out;
		}
		drain(&r, &changed);
		if (!relay_clear_tick(&r, err, &cleared))
			goto out;
		if (cleared)
			break;
		now = relay_mono_ms();
		worked = false;
		if (!changed && now - last_round < IDLE_ROUND_MS)
			continue;
		changed = false;
		last_round = now;
		for (size_t i = 0; i < r.n_paths && !relay_stopping(&r); i++) {
			struct r_path *rp = &r.paths[i];

			witness_react(&r);
			if (rp->halted)
				continue;
			running++;
			if (now < rp->retry_at)
				continue;
			path_round(&r, rp, &worked);
			drain(&r, &changed);
		}
		relay_obs_round(&r);
		if (worked)
			changed = true;
		if (running == 0 && !relay_obs_serving(&r)) {
			px_err_set(err, r.halt.code, "every path halted: %s", r.halt.msg);
			goto out;
		}
		if (running == 0 && !all_halted) {
			/* With endpoints, stay up: the halt is what an operator
			 * must see (on /status and in the failure metrics). */
			px_error(MOD, "every path halted: %s; serving /metrics and /status until "
				 "stopped, then exiting with an error", r.halt.msg);
			all_halted = true;
		}
	}
	if (all_halted && !px_err_is_set(&r.fatal)) {
		px_err_set(err, r.halt.code, "every path halted: %s", r.halt.msg);
		goto out;
	}
	if (px_err_is_set(&r.fatal)) {
		px_err_set(err, r.fatal.code, "%s", r.fatal.msg);
		goto out;
	}
	ok = true;
out:
	if (r.j) {
		struct px_err e2 = { 0 };

		if (!rly_journal_release(r.j, &e2, r.owner))
			px_warn(MOD, "releasing claims: %s", e2.msg);
	}
	relay_progress_stop(&r);
	relay_obs_stop(&r);	/* its listeners read the chains */
	for (size_t i = r.n_chains; i-- > 0;) {
		rly_chain_close(&r.chains[i].c);
		rly_witness_free(r.chains[i].wit);	/* after its light client */
		rly_watch_free(&r.chains[i].w);
	}
	free(r.chains);
	free(r.paths);
	free(r.routes);
	if (r.loop)
		cmt_loop_free(r.loop);
	return ok;
}
