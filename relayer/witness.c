/* Witnesses (witness.h): every trace the light client of a chain verified
 * from its primary node is compared with the same heights on each witness
 * node before the light client holds it. A witness whose block differs
 * and verifies from the common trusted state shows a light client attack;
 * one whose block differs and does not verify is faulty and dropped. The
 * attack becomes a 07-tendermint Misbehaviour (two headers of one height,
 * both trusting a consensus state the counterparty's client holds), sent
 * as MsgSubmitMisbehaviour to freeze that client. */
#include "relayer/witness.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/encoding.h"
#include "common/json.h"
#include "common/log.h"
#include "ibc/codec/msg.h"
#include "ibc/core/paths.h"
#include "lightclient/tendermint/hash.h"

#define MOD "witness"
#define POLL_MS 100
#define RESPOND_CANDIDATES 8	/* heights below the attack tried as trusted heights */

/* --- metrics ------------------------------------------------------------------ */

bool rly_witness_metrics_register(struct px_err *err, struct rly_witness_metrics *out,
				  struct rly_metrics *reg)
{
	static const char *const chain[] = { "chain" };
	const struct rly_metric_desc attacks = {
		.name = "pontifex_light_client_attacks_total",
		.help = "Light client attacks shown by a witness (relaying over the chain stopped).",
		.type = RLY_METRIC_COUNTER, .labels = chain, .n_labels = 1,
	};
	const struct rly_metric_desc faulty = {
		.name = "pontifex_faulty_witnesses_total",
		.help = "Witnesses dropped for serving blocks that do not verify.",
		.type = RLY_METRIC_COUNTER, .labels = chain, .n_labels = 1,
	};
	struct rly_witness_metrics m = { 0 };

	memset(out, 0, sizeof(*out));
	if (!rly_metrics_add(err, &m.attacks, reg, &attacks) ||
	    !rly_metrics_add(err, &m.faulty, reg, &faulty))
		return false;
	*out = m;
	return true;
}

/* --- pure parts --------------------------------------------------------------- */

const char *rly_witness_verdict_name(enum rly_witness_verdict v)
{
	switch (v) {
	case RLY_WITNESS_AGREES: return "agrees";
	case RLY_WITNESS_ATTACK: return "attack";
	case RLY_WITNESS_FAULTY: return "faulty";
	case RLY_WITNESS_UNAVAILABLE: return "unavailable";
	}
	return "unknown";
}

void rly_attack_free(struct rly_attack *a)
{
	if (!a)
		return;
	tm_evidence_free(&a->evidence);
	tm_light_block_free(&a->primary);
	memset(a, 0, sizeof(*a));
}

enum rly_witness_verdict rly_witness_examine(struct px_err *why, struct rly_attack *out,
					     const struct tm_trusted *from,
					     const struct tm_trace *trace,
					     const struct tm_provider *witness,
					     const struct tm_options *opts, struct px_time now)
{
	struct tm_evidence ev;
	struct px_err e = { 0 };

	memset(out, 0, sizeof(*out));
	if (!tm_misbehaviour_check_trace(&e, &ev, from, trace, witness, opts, now)) {
		px_err_set(why, e.code ? e.code : PX_E_INTERNAL, "%s", e.msg);
		/* A block that is malformed or does not verify is the witness's
		 * doing; no answer (or our own trouble) is not. */
		if (e.code >= 200 && e.code < 400)
			return RLY_WITNESS_FAULTY;
		return RLY_WITNESS_UNAVAILABLE;
	}
	if (ev.kind == TM_EVIDENCE_NONE)
		return RLY_WITNESS_AGREES;
	for (size_t i = 0; i < trace->len; i++) {
		const struct tm_light_block *b = &trace->blocks[i];

		if (b->signed_header.header.height != ev.conflicting_height)
			continue;
		if (!tm_light_block_copy(&e, &out->primary, b)) {
			tm_evidence_free(&ev);
			px_err_set(why, e.code, "%s", e.msg);
			return RLY_WITNESS_UNAVAILABLE;
		}
		out->evidence = ev;
		return RLY_WITNESS_ATTACK;
	}
	tm_evidence_free(&ev);
	px_err_set(why, PX_E_INTERNAL, "evidence at %lld outside the trace",
		   (long long)ev.conflicting_height);
	return RLY_WITNESS_UNAVAILABLE;
}

/* One header of the Misbehaviour: the block as a Header Any trusting
 * `trusted`, after the check the counterparty makes on it. */
static bool side_any(struct px_err *err, struct px_buf *out, const char *chain_id, const char *name,
		     const struct tm_light_block *b, const struct tm_trusted *trusted,
		     const struct tm_validator_set *trusted_vals, const struct tm_options *o)
{
	struct tm_trusted tgt;

	if (!tm_commit_verify_trusting(err, chain_id, trusted_vals, &b->signed_header.commit,
				       o->trust_num, o->trust_den)) {
		px_err_prefix(err, "%s header from trusted height %lld: ", name,
			      (long long)trusted->header.height);
		return false;
	}
	/* The build refuses a block that is not `tgt`: both come from b. The
	 * header is borrowed, so tgt is not freed. */
	memset(&tgt, 0, sizeof(tgt));
	tgt.header = b->signed_header.header;
	if (!tm_header_hash(err, tgt.hash, &tgt.header)) {
		if (!px_err_is_set(err))
			px_err_set(err, PX_E_MALFORMED, "%s header has no hash", name);
		return false;
	}
	if (!rly_update_header_build(err, out, chain_id, &tgt, b, trusted, trusted_vals)) {
		px_err_prefix(err, "%s header: ", name);
		return false;
	}
	return true;
}

bool rly_misbehaviour_build(struct px_err *err, struct px_buf *out, const char *chain_id,
			    const struct rly_attack *a, const struct tm_trusted *trusted,
			    const struct tm_validator_set *trusted_vals,
			    const struct tm_options *opts)
{
	const struct tm_light_block *wb = &a->evidence.conflicting_block, *pb = &a->primary;
	int64_t h = wb->signed_header.header.height;
	struct px_buf any1 = PX_BUF_INIT, any2 = PX_BUF_INIT, mb = PX_BUF_INIT;
	uint8_t hw[TM_HASH_LEN], hp[TM_HASH_LEN];
	struct ibc_msg d1, d2, m;
	struct tm_options o;
	bool have1 = false, have2 = false, ok = false;

	if (!chain_id || a->evidence.kind != TM_EVIDENCE_CONFLICT)
		return px_err_set(err, PX_E_USAGE, "misbehaviour: want a chain id and a conflict");
	o = *opts;
	if (!o.trust_num && !o.trust_den)
		tm_options_default(&o);
	if (pb->signed_header.header.height != h || trusted->header.height >= h)
		return px_err_set(err, PX_E_HEIGHT, "misbehaviour: headers at %lld and %lld, trusted "
				  "height %lld", (long long)h,
				  (long long)pb->signed_header.header.height,
				  (long long)trusted->header.height);
	if (!tm_header_hash(err, hw, &wb->signed_header.header) ||
	    !tm_header_hash(err, hp, &pb->signed_header.header))
		return px_err_is_set(err) ? false
					  : px_err_set(err, PX_E_MALFORMED, "misbehaviour: a header "
						       "has no hash");
	if (memcmp(hw, hp, TM_HASH_LEN) == 0)
		return px_err_set(err, PX_E_USAGE, "misbehaviour: the two headers at %lld are one",
				  (long long)h);
	if (!side_any(err, &any1, chain_id, "witness's", wb, trusted, trusted_vals, &o) ||
	    !side_any(err, &any2, chain_id, "primary's", pb, trusted, trusted_vals, &o))
		goto out;
	if (!ibc_msg_decode_any(err, &d1, any1.data, any1.len))
		goto out;
	have1 = true;
	if (!ibc_msg_decode_any(err, &d2, any2.data, any2.len))
		goto out;
	have2 = true;
	if (d1.kind != IBC_MSG_TM_HEADER || d2.kind != IBC_MSG_TM_HEADER) {
		px_err_set(err, PX_E_INTERNAL, "misbehaviour: a side is not a Header");
		goto out;
	}
	memset(&m, 0, sizeof(m));
	m.kind = IBC_MSG_TM_MISBEHAVIOUR;
	m.u.tm_misbehaviour.has_header_1 = true;
	m.u.tm_misbehaviour.header_1 = d1.u.tm_header;	/* borrowed */
	m.u.tm_misbehaviour.has_header_2 = true;
	m.u.tm_misbehaviour.header_2 = d2.u.tm_header;
	if (!ibc_msg_encode_any(err, &mb, &m))
		goto out;
	px_buf_append(out, mb.data, mb.len);
	if (!px_buf_ok(out)) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto out;
	}
	ok = true;
out:
	if (have1)
		ibc_msg_free(&d1);
	if (have2)
		ibc_msg_free(&d2);
	px_buf_free(&any1);
	px_buf_free(&any2);
	px_buf_free(&mb);
	return ok;
}

/* --- the witnesses of a chain --------------------------------------------------- */

struct wnode {
	const char *url;		/* borrowed from the config */
	struct cmt_client *c;		/* owned; NULL once dropped */
};

struct rly_witness {
	const struct rly_config_chain *cfg;	/* borrowed */
	struct cmt_loop *loop;			/* borrowed */
	struct rly_fetch *fetch;		/* borrowed */
	struct rly_witness_opts o;
	struct wnode *nodes;
	size_t n;
	bool has_attack;
	struct rly_attack attack;
	bool responding;	/* building evidence: the primary is read unchecked */
};

static struct px_time wall_now(void)
{
	struct timespec ts;
	struct px_time t = { 0, 0 };

	if (clock_gettime(CLOCK_REALTIME, &ts) == 0) {
		t.seconds = (int64_t)ts.tv_sec;
		t.nanos = (int32_t)ts.tv_nsec;
	}
	return t;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void hash_hex(char out[2 * TM_HASH_LEN + 1], const uint8_t h[TM_HASH_LEN])
{
	px_hex_encode(out, 2 * TM_HASH_LEN + 1, h, TM_HASH_LEN, true);
}

bool rly_witness_attach(struct px_err *err, struct rly_witness **out, struct cmt_loop *loop,
			const struct rly_config_chain *cfg, struct rly_fetch *fetch,
			const struct rly_witness_opts *opts)
{
	struct rly_witness *w;

	*out = NULL;
	if (!loop || !cfg || !fetch)
		return px_err_set(err, PX_E_USAGE, "witnesses: want a loop, a chain and its light "
				  "client");
	if (cfg->n_witnesses == 0)
		return true;
	w = calloc(1, sizeof(*w));
	if (!w || !(w->nodes = calloc(cfg->n_witnesses, sizeof(*w->nodes)))) {
		free(w);
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	}
	w->cfg = cfg;
	w->loop = loop;
	w->fetch = fetch;
	if (opts)
		w->o = *opts;
	if (!w->o.lag_ms)
		w->o.lag_ms = RLY_WITNESS_LAG_MS_DEFAULT;
	for (size_t i = 0; i < cfg->n_witnesses; i++) {
		struct cmt_client_opts co = { 0 };

		co.url = cfg->witnesses[i];
		co.request_timeout_ms = w->o.timeout_ms;
		if (!cmt_client_new(err, &w->nodes[i].c, loop, &co)) {
			px_err_prefix(err, "chain %s: witness %s: ", cfg->id, cfg->witnesses[i]);
			rly_witness_free(w);
			return false;
		}
		w->nodes[i].url = cfg->witnesses[i];
		w->n++;
		px_info(MOD, "chain %s: witness %s cross-checks every header from %s", cfg->id,
			cfg->witnesses[i], cfg->rpc);
	}
	rly_fetch_set_check(fetch, rly_witness_check, w);
	*out = w;
	return true;
}

void rly_witness_free(struct rly_witness *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->n; i++)
		if (w->nodes[i].c)
			cmt_client_free(w->nodes[i].c);
	free(w->nodes);
	rly_attack_free(&w->attack);
	free(w);
}

const struct rly_attack *rly_witness_attack(const struct rly_witness *w)
{
	return w && w->has_attack ? &w->attack : NULL;
}

size_t rly_witness_live(const struct rly_witness *w)
{
	size_t k = 0;

	for (size_t i = 0; w && i < w->n; i++)
		k += w->nodes[i].c != NULL;
	return k;
}

/* Waits (running the loop) until the witness has a block past height, so
 * that its light block at height (which needs the next validator set) can
 * be served; at most lag_ms. */
static bool reach(struct px_err *err, struct rly_witness *w, struct wnode *n, int64_t height)
{
	int64_t deadline = mono_ms() + w->o.lag_ms, latest = 0;

	for (;;) {
		json_t *res = NULL, *sync;
		bool got;

		if (!cmt_client_call_sync(err, &res, n->c, "status", NULL, w->o.timeout_ms))
			return false;
		got = px_json_get_object(err, &sync, res, "sync_info") &&
		      px_json_get_i64(err, &latest, sync, "latest_block_height");
		json_decref(res);
		if (!got)
			return false;
		if (latest > height)
			return true;
		if (mono_ms() >= deadline)
			return px_err_set(err, PX_E_RPC, "at height %" PRId64 " after %u ms, want %" PRId64,
					  latest, w->o.lag_ms, height + 1);
		if (!cmt_loop_service(w->loop, POLL_MS))
			return px_err_set(err, PX_E_USAGE, "the event loop cannot be run here");
	}
}

static void count(const struct rly_witness *w, bool attack)
{
	struct rly_metric *m;

	if (!w->o.metrics)
		return;
	m = attack ? w->o.metrics->attacks : w->o.metrics->faulty;
	if (m)
		(void)rly_metric_inc(m, RLY_LABELS(w->cfg->id));
}

static void log_attack(const struct rly_witness *w)
{
	const struct tm_evidence *e = &w->attack.evidence;
	char ours[2 * TM_HASH_LEN + 1], theirs[2 * TM_HASH_LEN + 1];

	hash_hex(ours, e->trusted_hash);
	hash_hex(theirs, e->conflicting_hash);
	px_error(MOD, "LIGHT CLIENT ATTACK on chain %s at height %" PRId64 ": primary %s has header "
		 "%s, witness %s has header %s, both verified from the trusted height %" PRId64
		 " (bifurcation at %" PRId64 "); relaying over %s stops", w->cfg->id,
		 e->conflicting_height, w->cfg->rpc, ours, w->attack.witness, theirs,
		 e->common_height, e->has_bifurcation ? e->bifurcation_height : e->conflicting_height,
		 w->cfg->id);
}

bool rly_witness_check(void *arg, struct px_err *err, const struct tm_trusted *from,
		       const struct tm_trace *trace)
{
	struct rly_witness *w = arg;
	int64_t target;

	if (w->responding)
		return true;
	if (w->has_attack)
		return px_err_set(err, PX_E_CONFLICT, "light client attack on %s at height %" PRId64
				  " (witness %s): nothing more is taken from its primary",
				  w->cfg->id, w->attack.evidence.conflicting_height,
				  w->attack.witness);
	if (!trace->len)
		return true;
	target = trace->blocks[trace->len - 1].signed_header.header.height;
	for (size_t i = 0; i < w->n; i++) {
		struct wnode *n = &w->nodes[i];
		struct px_err why = { 0 };
		struct rly_attack a;
		struct tm_provider p;
		enum rly_witness_verdict v;

		if (!n->c)
			continue;
		if (!reach(&why, w, n, target)) {
			px_warn(MOD, "chain %s: witness %s cannot check height %" PRId64 ": %s",
				w->cfg->id, n->url, target, why.msg);
			continue;
		}
		p = cmt_client_provider(n->c);
		v = rly_witness_examine(&why, &a, from, trace, &p, &rly_fetch_client(w->fetch)->opts,
					wall_now());
		switch (v) {
		case RLY_WITNESS_AGREES:
			px_debug(MOD, "chain %s: witness %s agrees up to %" PRId64, w->cfg->id, n->url,
				 target);
			break;
		case RLY_WITNESS_UNAVAILABLE:
			px_warn(MOD, "chain %s: witness %s cannot check height %" PRId64 ": %s",
				w->cfg->id, n->url, target, why.msg);
			break;
		case RLY_WITNESS_FAULTY:
			px_error(MOD, "chain %s: witness %s is FAULTY and dropped: it serves a block "
				 "that differs from the primary's and does not verify (%d %s): %s",
				 w->cfg->id, n->url, why.code, px_code_name(why.code), why.msg);
			count(w, false);
			cmt_client_free(n->c);
			n->c = NULL;
			if (!rly_witness_live(w))
				px_error(MOD, "chain %s: no witness left: headers from %s are no longer "
					 "cross-checked", w->cfg->id, w->cfg->rpc);
			break;
		case RLY_WITNESS_ATTACK:
			w->attack = a;
			snprintf(w->attack.witness, sizeof(w->attack.witness), "%s", n->url);
			w->has_attack = true;
			log_attack(w);
			count(w, true);
			return px_err_set(err, PX_E_CONFLICT, "light client attack on %s at height %"
					  PRId64 ": witness %s serves a validly signed conflicting "
					  "header", w->cfg->id, a.evidence.conflicting_height,
					  n->url);
		}
	}
	return true;
}

/* --- evidence to the counterparty --------------------------------------------- */

/* Whether dst holds a consensus state of its client at height (proven). */
static bool dst_holds(struct px_err *err, bool *out, struct rly_end *dst, uint64_t revision,
		      int64_t height)
{
	struct ibc_height ih = { revision, (uint64_t)height };
	struct ibc_path key;
	struct rly_proof pr;
	int64_t v;

	*out = false;
	if (!ibc_path_consensus_state(err, &key, dst->client_id, ih) ||
	    !rly_chain_provable(err, &v, dst->chain) || !rly_end_prove(err, &pr, dst, key.s, v))
		return false;
	*out = pr.exists;
	rly_proof_free(&pr);
	return true;
}

/* The trusted height for the evidence: see rly_witness_respond. */
static bool pick_trusted(struct px_err *err, int64_t *out, struct rly_witness *w,
			 struct rly_end *dst, struct rly_end *src, int64_t latest, int64_t h)
{
	const struct tm_client *lc = rly_fetch_client(src->chain->fetch);
	size_t tried = 0;

	*out = 0;
	if (latest > 0 && latest < h) {
		*out = latest;
		return true;
	}
	for (size_t i = lc->nstates; i-- > 0 && tried < RESPOND_CANDIDATES;) {
		int64_t t = lc->states[i].header.height;
		bool held;

		if (t >= h)
			continue;
		tried++;
		if (!dst_holds(err, &held, dst, src->chain->revision, t))
			return false;
		if (held) {
			*out = t;
			return true;
		}
	}
	return px_err_set(err, PX_E_HEIGHT, "%s's client %s holds no consensus state below %" PRId64
			  " that %s's light client verified", dst->chain->cfg->id, dst->client_id, h,
			  w->cfg->id);
}

/* The primary's verified state at height and its next validator set. */
static bool trusted_at(struct px_err *err, struct tm_trusted *out, struct tm_validator_set *vals,
		       struct rly_witness *w, struct rly_end *src, int64_t height)
{
	const struct tm_trusted *t;
	json_t *arr = NULL, *doc = NULL;
	bool ok;

	memset(out, 0, sizeof(*out));
	memset(vals, 0, sizeof(*vals));
	/* Heights below the attack were the primary's before it conflicted;
	 * the witnesses are not asked about them again. */
	w->responding = true;
	ok = rly_fetch_update_to(err, &t, src->chain->fetch, height) && tm_trusted_copy(err, out, t);
	w->responding = false;
	if (!ok)
		return false;
	if (out->next_validators.len) {
		if (tm_validator_set_copy(err, vals, &out->next_validators))
			return true;
		tm_trusted_free(out);
		return false;
	}
	/* Held without its next set: the node's, which the header build
	 * hashes against next_validators_hash before use. */
	ok = cmt_validators_fetch(err, &arr, src->chain->rpc, height + 1, w->o.timeout_ms);
	if (ok && !(doc = json_pack("{s:O}", "validators", arr)))
		ok = px_err_set(err, PX_E_NOMEM, "out of memory");
	if (ok)
		ok = tm_validator_set_from_json(err, vals, doc);
	json_decref(arr);
	json_decref(doc);
	if (!ok)
		tm_trusted_free(out);
	return ok;
}

bool rly_witness_respond(struct rly_witness *w, struct px_err *err, struct rly_end *dst,
			 struct rly_end *src, uint32_t timeout_ms)
{
	const struct rly_attack *a = rly_witness_attack(w);
	struct ibc_tm_client_state cs;
	struct tm_trusted trusted;
	struct tm_validator_set vals;
	struct px_buf any = PX_BUF_INIT;
	struct rly_tx_result res;
	struct rly_msgs msgs;
	struct ibc_msg m;
	int64_t h, t = 0;
	bool ok = false;

	memset(&res, 0, sizeof(res));
	memset(&trusted, 0, sizeof(trusted));
	memset(&vals, 0, sizeof(vals));
	rly_msgs_init(&msgs);
	if (!a)
		return px_err_set(err, PX_E_USAGE, "no attack to report");
	h = a->evidence.conflicting_height;
	if (!rly_end_client_state(err, &cs, dst))
		return false;
	if (!ibc_height_is_zero(cs.frozen_height))
		return px_err_set(err, PX_E_FROZEN, "%s's client %s of %s is frozen already (at %"
				  PRIu64 "-%" PRIu64 ")", dst->chain->cfg->id, dst->client_id,
				  w->cfg->id, cs.frozen_height.revision_number,
				  cs.frozen_height.revision_height);
	if (cs.latest_height.revision_number != src->chain->revision)
		return px_err_set(err, PX_E_UNSUPPORTED, "%s's client %s is on another revision",
				  dst->chain->cfg->id, dst->client_id);
	if (!pick_trusted(err, &t, w, dst, src, (int64_t)cs.latest_height.revision_height, h) ||
	    !trusted_at(err, &trusted, &vals, w, src, t))
		goto out;
	if (!rly_misbehaviour_build(err, &any, w->cfg->id, a, &trusted, &vals,
				    &rly_fetch_client(src->chain->fetch)->opts))
		goto out;
	memset(&m, 0, sizeof(m));
	m.kind = IBC_MSG_SUBMIT_MISBEHAVIOUR;
	snprintf(m.u.submit_misbehaviour.client_id, sizeof(m.u.submit_misbehaviour.client_id), "%s",
		 dst->client_id);
	if (!ibc_any_decode(err, &m.u.submit_misbehaviour.misbehaviour, any.data, any.len))
		goto out;
	m.u.submit_misbehaviour.has_misbehaviour = true;
	m.u.submit_misbehaviour.signer = cosmos_str(rly_txsub_address(dst->chain->tx));
	if (!rly_msgs_add_ibc(err, &msgs, &m))
		goto out;
	px_error(MOD, "chain %s: submitting MsgSubmitMisbehaviour to %s for client %s: headers at %"
		 PRId64 " (witness %s and primary %s) trusting height %" PRId64, w->cfg->id,
		 dst->chain->cfg->id, dst->client_id, h, a->witness, w->cfg->rpc, t);
	if (!rly_end_submit(err, &res, dst, &msgs, timeout_ms)) {
		if (res.code)
			px_err_prefix(err, "MsgSubmitMisbehaviour refused (%s %u): ", res.codespace,
				      res.code);
		goto out;
	}
	px_error(MOD, "chain %s: MsgSubmitMisbehaviour accepted by %s in block %" PRId64 " (tx %s): "
		 "client %s is frozen", w->cfg->id, dst->chain->cfg->id, res.height, res.hash,
		 dst->client_id);
	ok = true;
out:
	rly_tx_result_clear(&res);
	rly_msgs_clear(&msgs);
	px_buf_free(&any);
	tm_trusted_free(&trusted);
	tm_validator_set_free(&vals);
	return ok;
}
