/* The network half of ibcfetch.h: a Tendermint light client per source
 * chain, fed over that chain's CometBFT websocket client, and the queries
 * whose answers it checks (abci_query proofs, the blocks and validator sets
 * a counterparty's MsgUpdateClient carries). ibcfetch_build.c turns the
 * checked pieces into IBC messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/json.h"
#include "lightclient/tendermint/bisection.h"
#include "lightclient/tendermint/hash.h"
#include "relayer/ibcfetch.h"

struct rly_fetch {
	struct cmt_client *c;		/* borrowed */
	struct rly_fetch_opts opts;	/* chain_id points into chain_id below */
	char chain_id[TM_MAX_CHAIN_ID + 1];
	uint64_t revision;
	struct tm_client lc;
	rly_fetch_check_fn check;	/* optional (witnesses) */
	void *check_arg;
};

static struct px_time fetch_now(const struct rly_fetch *f)
{
	struct timespec ts;
	struct px_time t = { 0, 0 };

	if (f->opts.clock)
		return f->opts.clock(f->opts.clock_arg);
	if (clock_gettime(CLOCK_REALTIME, &ts) == 0) {
		t.seconds = (int64_t)ts.tv_sec;
		t.nanos = (int32_t)ts.tv_nsec;
	}
	return t;
}

/* --- open ------------------------------------------------------------------ */

bool rly_fetch_open(struct px_err *err, struct rly_fetch **out, bool *on_trust,
		    struct cmt_client *c, const struct rly_fetch_opts *opts,
		    const struct rly_fetch_anchor *anchor)
{
	struct rly_fetch *f = NULL;
	struct tm_light_block lb;
	struct tm_trusted t;
	bool ok = false;

	*out = NULL;
	*on_trust = false;
	memset(&lb, 0, sizeof(lb));
	memset(&t, 0, sizeof(t));
	if (!c || !opts || !anchor || !opts->chain_id || !opts->chain_id[0] ||
	    strlen(opts->chain_id) > TM_MAX_CHAIN_ID)
		return px_err_set(err, PX_E_USAGE, "light client: want a client, options and a "
				  "chain id of 1..%d bytes", TM_MAX_CHAIN_ID);
	if (anchor->height <= 0)
		return px_err_set(err, PX_E_USAGE, "light client: anchor height %lld",
				  (long long)anchor->height);
	f = calloc(1, sizeof(*f));
	if (!f)
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	f->c = c;
	f->opts = *opts;
	snprintf(f->chain_id, sizeof(f->chain_id), "%s", opts->chain_id);
	f->opts.chain_id = f->chain_id;
	if (!f->opts.tm.trust_num && !f->opts.tm.trust_den && !f->opts.tm.trusting_period_ns &&
	    !f->opts.tm.clock_drift_ns)
		tm_options_default(&f->opts.tm);
	f->revision = tm_chain_id_revision(f->chain_id);
	if (!tm_options_check(err, &f->opts.tm))
		goto out;

	if (!cmt_light_block_fetch(err, &lb, c, anchor->height, f->opts.timeout_ms)) {
		px_err_prefix(err, "anchor %lld: ", (long long)anchor->height);
		goto out;
	}
	if (strcmp(lb.signed_header.header.chain_id, f->chain_id) != 0) {
		px_err_set(err, PX_E_CHAIN_ID, "anchor %lld: the node serves chain '%s', want '%s'",
			   (long long)anchor->height, lb.signed_header.header.chain_id, f->chain_id);
		goto out;
	}
	if (!tm_trust_anchor(err, &t, &lb)) {
		px_err_prefix(err, "anchor %lld: ", (long long)anchor->height);
		goto out;
	}
	if (!anchor->on_trust && memcmp(t.hash, anchor->hash, TM_HASH_LEN) != 0) {
		px_err_set(err, PX_E_HASH_MISMATCH, "anchor %lld: the node's block hash is not the "
			   "trusted hash", (long long)anchor->height);
		goto out;
	}
	if (!tm_client_init(err, &f->lc, &t, &f->opts.tm))
		goto out;
	*on_trust = anchor->on_trust;
	*out = f;
	f = NULL;
	ok = true;
out:
	tm_trusted_free(&t);
	tm_light_block_free(&lb);
	free(f);
	return ok;
}

void rly_fetch_free(struct rly_fetch *f)
{
	if (!f)
		return;
	tm_client_free(&f->lc);
	free(f);
}

void rly_fetch_set_check(struct rly_fetch *f, rly_fetch_check_fn fn, void *arg)
{
	f->check = fn;
	f->check_arg = arg;
}

const struct tm_trusted *rly_fetch_verified(const struct rly_fetch *f, int64_t height)
{
	return tm_client_state_at(&f->lc, height);
}

const struct tm_client *rly_fetch_client(const struct rly_fetch *f)
{
	return &f->lc;
}

uint64_t rly_fetch_revision(const struct rly_fetch *f)
{
	return f->revision;
}

bool rly_fetch_head(struct px_err *err, int64_t *out, struct rly_fetch *f)
{
	json_t *res = NULL, *sync;
	int64_t h = 0;
	bool ok = false;

	*out = 0;
	if (!cmt_client_call_sync(err, &res, f->c, "status", NULL, f->opts.timeout_ms))
		return false;
	if (!px_json_get_object(err, &sync, res, "sync_info") ||
	    !px_json_get_i64(err, &h, sync, "latest_block_height"))
		goto out;
	if (h < 2) {
		px_err_set(err, PX_E_RPC, "status: latest height %lld has no successor's validators",
			   (long long)h);
		goto out;
	}
	*out = h - 1;
	ok = true;
out:
	json_decref(res);
	return ok;
}

/* --- the light client ------------------------------------------------------ */

/* The highest held state below height (states are held by height). */
static const struct tm_trusted *held_below(const struct tm_client *lc, int64_t height)
{
	const struct tm_trusted *best = NULL;

	for (size_t i = 0; i < lc->nstates; i++)
		if (lc->states[i].header.height < height)
			best = &lc->states[i];
	return best;
}

bool rly_fetch_update_to(struct px_err *err, const struct tm_trusted **out, struct rly_fetch *f,
			 int64_t height)
{
	const struct tm_trusted *t;
	struct tm_trusted from;
	struct tm_provider p;
	struct tm_trace trace;
	struct px_time now = fetch_now(f);
	bool ok = false;

	if (out)
		*out = NULL;
	if (height <= 0 || height >= INT64_MAX / 2)
		return px_err_set(err, PX_E_USAGE, "update: height %lld", (long long)height);
	t = tm_client_state_at(&f->lc, height);
	if (t) {
		if (out)
			*out = t;
		return true;
	}
	if (f->lc.frozen)
		return px_err_set(err, PX_E_FROZEN, "update: the light client of %s is frozen",
				  f->chain_id);
	t = held_below(&f->lc, height);
	if (!t)
		return px_err_set(err, PX_E_HEIGHT, "update: %lld is below every verified state of %s",
				  (long long)height, f->chain_id);
	/* tm_bisect reads the trusted state while the client may change
	 * under it later: a copy keeps the walk independent of the array. */
	memset(&trace, 0, sizeof(trace));
	if (!tm_trusted_copy(err, &from, t))
		return false;
	p = cmt_client_provider(f->c);
	if (!tm_bisect(err, &trace, &from, &p, height, &f->opts.tm, now, f->opts.max_fetch)) {
		px_err_prefix(err, "%s up to %lld: ", f->chain_id, (long long)height);
		goto out;
	}
	if (f->check && !f->check(f->check_arg, err, &from, &trace)) {
		px_err_prefix(err, "%s up to %lld: ", f->chain_id, (long long)height);
		goto out;
	}
	/* The client verifies the trace again and looks for conflicts with
	 * what it holds; only then is a state handed out. */
	if (!tm_client_update(err, &f->lc, trace.blocks, trace.len, now)) {
		px_err_prefix(err, "%s up to %lld: ", f->chain_id, (long long)height);
		goto out;
	}
	t = tm_client_state_at(&f->lc, height);
	if (!t) {
		px_err_set(err, PX_E_INTERNAL, "update: %lld verified but not held", (long long)height);
		goto out;
	}
	if (out)
		*out = t;
	ok = true;
out:
	tm_trace_free(&trace);
	tm_trusted_free(&from);
	return ok;
}

/* --- proofs ---------------------------------------------------------------- */

bool rly_fetch_prove(struct px_err *err, struct rly_proof *out, struct rly_fetch *f,
		     const char *store, const uint8_t *key, size_t key_len, int64_t query_height)
{
	char path[TM_ABCI_MAX_STORE + 16];
	struct tm_abci_response r;
	const struct tm_trusted *t;
	json_t *params, *res = NULL;
	int64_t ph;
	bool ok = false;

	memset(&r, 0, sizeof(r));
	if (!store || !store[0] || strlen(store) > TM_ABCI_MAX_STORE || strchr(store, '/') || !key ||
	    !key_len || key_len > RLY_FETCH_MAX_KEY || !tm_abci_proof_height(&ph, query_height))
		return px_err_set(err, PX_E_USAGE, "prove: bad store, key or height");
	snprintf(path, sizeof(path), "/store/%s/key", store);
	params = cmt_params_abci_query(path, key, key_len, query_height, true);
	if (!params)
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	if (!cmt_client_call_sync(err, &res, f->c, "abci_query", params, f->opts.timeout_ms))
		goto out;
	if (!tm_abci_response_from_json(err, &r, res)) {
		px_err_prefix(err, "abci_query %s at %lld: ", path, (long long)query_height);
		goto out;
	}
	/* The app hash of state H is in header H + 1: verify that header
	 * first, then check the client is still within its trusting period. */
	if (!rly_fetch_update_to(err, &t, f, ph))
		goto out;
	switch (tm_client_status(&f->lc, fetch_now(f))) {
	case TM_STATUS_ACTIVE:
		break;
	case TM_STATUS_FROZEN:
		px_err_set(err, PX_E_FROZEN, "prove: the light client of %s is frozen", f->chain_id);
		goto out;
	default:
		px_err_set(err, PX_E_TRUST_EXPIRED, "prove: the light client of %s is expired",
			   f->chain_id);
		goto out;
	}
	ok = rly_proof_build(err, out, &r, &t->header, store, key, key_len, query_height,
			     f->revision);
out:
	tm_abci_response_free(&r);
	json_decref(res);
	return ok;
}

/* --- client material --------------------------------------------------------- */

bool rly_fetch_create_client(struct px_err *err, struct px_buf *client_state,
			     struct px_buf *consensus_state, struct rly_fetch *f, int64_t height)
{
	const struct tm_trusted *t;

	if (!rly_fetch_update_to(err, &t, f, height))
		return false;
	return rly_create_client_build(err, client_state, consensus_state, &t->header, &f->opts);
}

/* /commit and /validators at height, decoded (unverified): the signed
 * header and the validator set a 07-tendermint Header carries. */
static bool fetch_signed_block(struct px_err *err, struct tm_light_block *out,
			       struct rly_fetch *f, int64_t height)
{
	json_t *commit = NULL, *sh, *vals = NULL, *doc = NULL;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	if (!cmt_client_call_sync(err, &commit, f->c, "commit", cmt_params_height(height),
				  f->opts.timeout_ms) ||
	    !px_json_get_object(err, &sh, commit, "signed_header") ||
	    !cmt_validators_fetch(err, &vals, f->c, height, f->opts.timeout_ms))
		goto out;
	doc = json_pack("{s:O, s:{s:O}}", "signed_header", sh, "validator_set", "validators", vals);
	if (!doc) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto out;
	}
	if (!tm_light_block_from_json(err, out, doc))
		goto out;
	if (out->signed_header.header.height != height) {
		tm_light_block_free(out);
		px_err_set(err, PX_E_RPC, "commit: asked for %lld, got %lld", (long long)height,
			   (long long)out->signed_header.header.height);
		goto out;
	}
	ok = true;
out:
	if (!ok)
		px_err_prefix(err, "block %lld: ", (long long)height);
	json_decref(commit);
	json_decref(vals);
	json_decref(doc);
	return ok;
}

/* The validator set at height (the next set of height - 1), decoded and
 * sorted; unverified until hashed against a verified header. */
static bool fetch_validators(struct px_err *err, struct tm_validator_set *out, struct rly_fetch *f,
			     int64_t height)
{
	json_t *vals = NULL, *doc = NULL;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	if (!cmt_validators_fetch(err, &vals, f->c, height, f->opts.timeout_ms))
		return false;
	doc = json_pack("{s:O}", "validators", vals);
	if (!doc)
		px_err_set(err, PX_E_NOMEM, "out of memory");
	else
		ok = tm_validator_set_from_json(err, out, doc);
	json_decref(vals);
	json_decref(doc);
	return ok;
}

static bool bytes_are(const struct tm_bytes *b, const uint8_t *want, size_t len)
{
	return b->len == len && memcmp(b->b, want, len) == 0;
}

/* The state the counterparty's client trusts at height, when this light
 * client cannot verify that height (it verifies forward only, and holds
 * the newest states): the node's block there, signed by more than 2/3 of
 * its own validators, with its next validator set, and matching the
 * consensus state cs the counterparty holds (time, app hash, next
 * validators hash), which the caller read with a proof. The update built
 * on it is what the counterparty will check against cs; its target is
 * still verified by this light client. */
static bool trusted_from_cs(struct px_err *err, struct tm_trusted *out, struct rly_fetch *f,
			    int64_t height, const struct ibc_tm_consensus_state *cs)
{
	struct tm_light_block lb;
	const struct tm_header *h;
	uint8_t vh[TM_HASH_LEN];
	bool ok = false;

	memset(out, 0, sizeof(*out));
	if (!fetch_signed_block(err, &lb, f, height))
		return false;
	lb.has_validators = true;
	if (!fetch_validators(err, &lb.next_validators, f, height + 1))
		goto out;
	lb.has_next_validators = true;
	h = &lb.signed_header.header;
	if (strcmp(h->chain_id, f->chain_id) != 0) {
		px_err_set(err, PX_E_CHAIN_ID, "trusted block %lld is on %s, not %s", (long long)height,
			   h->chain_id, f->chain_id);
		goto out;
	}
	if (px_time_cmp(h->time, cs->timestamp) != 0 ||
	    !bytes_are(&h->app_hash, cs->root, cs->root_len) ||
	    !bytes_are(&h->next_validators_hash, cs->next_validators_hash, TM_HASH_LEN)) {
		px_err_set(err, PX_E_CONFLICT, "the node's block %lld is not the one the counterparty's "
			   "client trusts (time, app hash or next validators differ)", (long long)height);
		goto out;
	}
	if (!tm_validator_set_hash(err, vh, &lb.validators))
		goto out;
	if (!bytes_are(&h->validators_hash, vh, TM_HASH_LEN)) {
		px_err_set(err, PX_E_VALSET_HASH, "block %lld: its validator set does not hash to "
			   "validators_hash", (long long)height);
		goto out;
	}
	if (!tm_commit_verify_light(err, f->chain_id, &lb.validators, &lb.signed_header.commit.block_id,
				    height, &lb.signed_header.commit) ||
	    !tm_trust_anchor(err, out, &lb))
		goto out;
	ok = true;
out:
	if (!ok)
		px_err_prefix(err, "%s at the counterparty's trusted height: ", f->chain_id);
	tm_light_block_free(&lb);
	return ok;
}

/* Verified states at both heights, copied out of the client (whose array
 * moves on every update): the target first, then the trusted height,
 * which may need a verification of its own from a state below it, or
 * (cs given, below every held state) a check against cs. */
static bool verified_pair(struct px_err *err, struct tm_trusted *target, struct tm_trusted *trusted,
			  struct rly_fetch *f, int64_t trusted_height,
			  const struct ibc_tm_consensus_state *cs, int64_t height)
{
	const struct tm_trusted *t;
	bool ok;

	memset(target, 0, sizeof(*target));
	memset(trusted, 0, sizeof(*trusted));
	if (trusted_height <= 0 || trusted_height >= height)
		return px_err_set(err, PX_E_HEIGHT, "update header: trusted height %lld, target %lld",
				  (long long)trusted_height, (long long)height);
	if (!rly_fetch_update_to(err, &t, f, height) || !tm_trusted_copy(err, target, t))
		return false;
	if (cs && !tm_client_state_at(&f->lc, trusted_height) &&
	    !held_below(&f->lc, trusted_height))
		ok = trusted_from_cs(err, trusted, f, trusted_height, cs);
	else
		ok = rly_fetch_update_to(err, &t, f, trusted_height) &&
		     tm_trusted_copy(err, trusted, t);
	if (!ok)
		tm_trusted_free(target);
	return ok;
}

/* The trusted validators of a header: the verified next set of the trusted
 * state, or (when the state was held without one) the node's set at
 * trusted + 1, which rly_update_header_build hashes before use. */
static bool trusted_validators(struct px_err *err, struct tm_validator_set *out,
			       struct rly_fetch *f, const struct tm_trusted *trusted)
{
	if (trusted->next_validators.len)
		return tm_validator_set_copy(err, out, &trusted->next_validators);
	return fetch_validators(err, out, f, trusted->header.height + 1);
}

bool rly_fetch_update_header(struct px_err *err, struct px_buf *out, struct rly_fetch *f,
			     int64_t trusted_height, int64_t target)
{
	return rly_fetch_update_header_from(err, out, f, trusted_height, NULL, target);
}

bool rly_fetch_update_header_from(struct px_err *err, struct px_buf *out, struct rly_fetch *f,
				  int64_t trusted_height, const struct ibc_tm_consensus_state *cs,
				  int64_t target)
{
	struct tm_trusted tgt, tr;
	struct tm_light_block block;
	struct tm_validator_set tv;
	bool ok = false;

	memset(&block, 0, sizeof(block));
	memset(&tv, 0, sizeof(tv));
	if (!verified_pair(err, &tgt, &tr, f, trusted_height, cs, target))
		return false;
	if (!fetch_signed_block(err, &block, f, target) || !trusted_validators(err, &tv, f, &tr))
		goto out;
	/* What the counterparty will check: enough of the trusted set signed
	 * (else the caller needs a trace), more than 2/3 of the new one. */
	if (target != trusted_height + 1 &&
	    !tm_commit_verify_trusting(err, f->chain_id, &tv, &block.signed_header.commit,
				       f->opts.tm.trust_num, f->opts.tm.trust_den)) {
		px_err_prefix(err, "update header %lld from %lld: ", (long long)target,
			      (long long)trusted_height);
		goto out;
	}
	ok = rly_update_header_build(err, out, f->chain_id, &tgt, &block, &tr, &tv);
out:
	tm_validator_set_free(&tv);
	tm_light_block_free(&block);
	tm_trusted_free(&tgt);
	tm_trusted_free(&tr);
	return ok;
}

void rly_trace_free(struct rly_trace *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->len; i++)
		px_buf_free(&t->anys[i]);
	memset(t, 0, sizeof(*t));
}

bool rly_fetch_update_trace(struct px_err *err, struct rly_trace *out, struct rly_fetch *f,
			    int64_t trusted_height, int64_t target)
{
	return rly_fetch_update_trace_from(err, out, f, trusted_height, NULL, target);
}

bool rly_fetch_update_trace_from(struct px_err *err, struct rly_trace *out, struct rly_fetch *f,
				 int64_t trusted_height, const struct ibc_tm_consensus_state *cs,
				 int64_t target)
{
	struct tm_trusted tgt, tr, step;
	struct tm_trace trace;
	struct tm_provider p;
	struct px_time now = fetch_now(f);
	const struct tm_trusted *prev;
	const struct tm_validator_set *prev_vals;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	memset(&trace, 0, sizeof(trace));
	memset(&step, 0, sizeof(step));
	size_t first = 0;

	if (!verified_pair(err, &tgt, &tr, f, trusted_height, cs, target))
		return false;
	if (!tr.next_validators.len) {
		px_err_set(err, PX_E_NEXT_VALSET, "trace: the state at %lld has no next validators",
			   (long long)trusted_height);
		goto out;
	}
	/* The walk the counterparty's client must take: bisection from the
	 * trusted height, as this client's options see it (the counterparty
	 * was created with the same trust level). */
	p = cmt_client_provider(f->c);
	if (!tm_bisect(err, &trace, &tr, &p, target, &f->opts.tm, now, f->opts.max_fetch)) {
		px_err_prefix(err, "trace %lld..%lld: ", (long long)trusted_height, (long long)target);
		goto out;
	}
	if (f->check && !f->check(f->check_arg, err, &tr, &trace)) {
		px_err_prefix(err, "trace %lld..%lld: ", (long long)trusted_height, (long long)target);
		goto out;
	}
	if (trace.len > RLY_FETCH_MAX_TRACE) {
		px_err_set(err, PX_E_TOO_LARGE, "trace: %zu headers, at most %d", trace.len,
			   RLY_FETCH_MAX_TRACE);
		goto out;
	}
	/* Steps below every held state (a trace from the counterparty's old
	 * trusted height) cannot be verified again by this client: they
	 * were checked by the walk from that height, the target by it. */
	while (first < trace.len && !held_below(&f->lc, trace.blocks[first].signed_header.header.height))
		first++;
	if (first < trace.len &&
	    !tm_client_update(err, &f->lc, trace.blocks + first, trace.len - first, now))
		goto out;
	prev = &tr;
	prev_vals = &tr.next_validators;
	for (size_t i = 0; i < trace.len; i++) {
		const struct tm_light_block *b = &trace.blocks[i];

		/* The step's verified state, from the block bisection verified. */
		memset(&step, 0, sizeof(step));
		step.header = b->signed_header.header;
		if (!tm_header_hash(err, step.hash, &step.header)) {
			px_err_set(err, PX_E_INTERNAL, "trace: header %lld has no hash",
				   (long long)step.header.height);
			goto out;
		}
		if (i + 1 == trace.len && memcmp(step.hash, tgt.hash, TM_HASH_LEN) != 0) {
			px_err_set(err, PX_E_CONFLICT, "trace: the walk ends at another block %lld",
				   (long long)target);
			goto out;
		}
		if (!rly_update_header_build(err, &out->anys[i], f->chain_id, &step, b, prev,
					     prev_vals))
			goto out;
		out->heights[i] = step.header.height;
		out->len = i + 1;
		/* The next step trusts this one: its header and its next set. */
		prev_vals = &b->next_validators;
		tr.header = step.header;
		memcpy(tr.hash, step.hash, TM_HASH_LEN);
		prev = &tr;
	}
	ok = true;
out:
	if (!ok)
		rly_trace_free(out);
	tm_trace_free(&trace);
	tm_trusted_free(&tgt);
	tm_trusted_free(&tr);
	return ok;
}
