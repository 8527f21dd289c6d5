/* The Tendermint client's state machine: held trusted states, updates with
 * misbehaviour detection, freezing, status, and proofs against held app
 * hashes. The generic interface over it is in client_lc.c. */
#include "lightclient/tendermint/client.h"

#include <string.h>

#include "lightclient/tendermint/abci.h"
#include "lightclient/tendermint/hash.h"

const char *tm_status_name(enum tm_status s)
{
	switch (s) {
	case TM_STATUS_ACTIVE: return "active";
	case TM_STATUS_EXPIRED: return "expired";
	case TM_STATUS_FROZEN: return "frozen";
	}
	return "unknown";
}

bool tm_client_init(struct px_err *err, struct tm_client *c, const struct tm_trusted *anchor,
		    const struct tm_options *opts)
{
	memset(c, 0, sizeof(*c));
	if (!tm_options_check(err, opts))
		return false;
	if (!tm_trusted_copy(err, &c->states[0], anchor))
		return false;
	c->nstates = 1;
	c->opts = *opts;
	return true;
}

void tm_client_free(struct tm_client *c)
{
	for (size_t i = 0; i < c->nstates; i++)
		tm_trusted_free(&c->states[i]);
	tm_evidence_free(&c->evidence);
	memset(c, 0, sizeof(*c));
}

const struct tm_trusted *tm_client_latest(const struct tm_client *c)
{
	return c->nstates ? &c->states[c->nstates - 1] : NULL;
}

enum tm_status tm_client_status(const struct tm_client *c, struct px_time now)
{
	const struct tm_trusted *t = tm_client_latest(c);

	if (c->frozen)
		return TM_STATUS_FROZEN;
	if (!t || !tm_trusted_within_period(t, c->opts.trusting_period_ns, now))
		return TM_STATUS_EXPIRED;
	return TM_STATUS_ACTIVE;
}

/* Index of the first held state at or above height. */
static size_t lower_bound(const struct tm_client *c, int64_t height)
{
	size_t i = 0;

	while (i < c->nstates && c->states[i].header.height < height)
		i++;
	return i;
}

const struct tm_trusted *tm_client_state_at(const struct tm_client *c, int64_t height)
{
	size_t i = lower_bound(c, height);

	return i < c->nstates && c->states[i].header.height == height ? &c->states[i] : NULL;
}

/* The highest held state strictly below height, or NULL. */
static const struct tm_trusted *base_below(struct px_err *err, const struct tm_client *c,
					   int64_t height)
{
	size_t i = lower_bound(c, height);

	if (i == 0) {
		px_err_set(err, PX_E_HEIGHT, "height %lld is not above any trusted state "
			   "(oldest %lld)", (long long)height,
			   c->nstates ? (long long)c->states[0].header.height : 0LL);
		return NULL;
	}
	return &c->states[i - 1];
}

static bool freeze(struct px_err *err, struct tm_client *c, struct tm_evidence *ev)
{
	c->frozen = true;
	tm_evidence_free(&c->evidence);
	c->evidence = *ev;
	memset(ev, 0, sizeof(*ev));
	return px_err_set(err, PX_E_CONFLICT,
			  "misbehaviour (%s) at height %lld from common height %lld: client frozen",
			  tm_evidence_kind_name(c->evidence.kind),
			  (long long)c->evidence.conflicting_height,
			  (long long)c->evidence.common_height);
}

/* Holds t (moved), dropping the oldest state when full. */
static void hold(struct tm_client *c, struct tm_trusted *t)
{
	size_t at;

	if (c->nstates == TM_CLIENT_MAX_STATES) {
		tm_trusted_free(&c->states[0]);
		memmove(&c->states[0], &c->states[1], (c->nstates - 1) * sizeof(c->states[0]));
		c->nstates--;
	}
	at = lower_bound(c, t->header.height);
	memmove(&c->states[at + 1], &c->states[at], (c->nstates - at) * sizeof(c->states[0]));
	c->states[at] = *t;
	c->nstates++;
	memset(t, 0, sizeof(*t));
}

static bool update_one(struct px_err *err, struct tm_client *c, const struct tm_light_block *lb,
		       struct px_time now)
{
	int64_t h = lb->signed_header.header.height;
	const struct tm_trusted *base, *held, *later;
	struct tm_trusted next;
	struct tm_evidence ev = { 0 };
	size_t i;

	base = base_below(err, c, h);
	if (!base)
		return false;
	if (!tm_verify(err, &next, base, lb, &c->opts, now))
		return false;
	held = tm_client_state_at(c, h);
	if (held) {
		bool same = memcmp(held->hash, next.hash, TM_HASH_LEN) == 0;

		if (same) {
			tm_trusted_free(&next);
			return true;
		}
		if (!tm_evidence_make(err, &ev, TM_EVIDENCE_CONFLICT, base->header.height,
				      held->hash, lb)) {
			tm_trusted_free(&next);
			return false;
		}
		tm_trusted_free(&next);
		return freeze(err, c, &ev);
	}
	/* Verified from below, so only a held later block can be out of order. */
	i = lower_bound(c, h);
	later = i < c->nstates ? &c->states[i] : NULL;
	if (later && px_time_cmp(later->header.time, next.header.time) <= 0) {
		bool ok = tm_evidence_make(err, &ev, TM_EVIDENCE_TIME, base->header.height,
					   later->hash, lb);

		tm_trusted_free(&next);
		return ok ? freeze(err, c, &ev) : false;
	}
	hold(c, &next);
	return true;
}

bool tm_client_update(struct px_err *err, struct tm_client *c, const struct tm_light_block *blocks,
		      size_t n, struct px_time now)
{
	if (c->frozen)
		return px_err_set(err, PX_E_FROZEN, "client is frozen by misbehaviour at height %lld",
				  (long long)c->evidence.conflicting_height);
	if (n == 0)
		return px_err_set(err, PX_E_USAGE, "no light blocks to verify");
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && blocks[i].signed_header.header.height <=
				     blocks[i - 1].signed_header.header.height)
			return px_err_set(err, PX_E_HEIGHT, "trace: block %zu is not above block %zu",
					  i, i - 1);
		if (!update_one(err, c, &blocks[i], now)) {
			px_err_prefix(err, "height %lld: ",
				      (long long)blocks[i].signed_header.header.height);
			return false;
		}
	}
	return true;
}

bool tm_client_check_misbehaviour(struct px_err *err, struct tm_client *c, struct tm_evidence *out,
				  const struct tm_light_block *a, const struct tm_light_block *b,
				  struct px_time now)
{
	int64_t ha = a->signed_header.header.height, hb = b->signed_header.header.height;
	const struct tm_trusted *common;
	struct tm_evidence ev;

	if (out)
		memset(out, 0, sizeof(*out));
	if (c->frozen)
		return px_err_set(err, PX_E_FROZEN, "client is already frozen");
	common = base_below(err, c, ha < hb ? ha : hb);
	if (!common)
		return false;
	if (!tm_misbehaviour_check(err, &ev, common, a, b, &c->opts, now))
		return false;
	if (ev.kind == TM_EVIDENCE_NONE)
		return true;
	if (out && !tm_evidence_copy(err, out, &ev)) {
		tm_evidence_free(&ev);
		return false;
	}
	c->frozen = true;
	tm_evidence_free(&c->evidence);
	c->evidence = ev;
	return true;
}

bool tm_client_verify_abci(struct px_err *err, const struct tm_client *c, int64_t height,
			   const uint8_t *store, size_t store_len, const uint8_t *key,
			   size_t key_len, const uint8_t *value, size_t value_len,
			   const uint8_t *iavl_proof, size_t iavl_len, const uint8_t *simple_proof,
			   size_t simple_len, struct px_time now)
{
	const struct tm_trusted *t;
	struct tm_abci_result res;

	if (c->frozen)
		return px_err_set(err, PX_E_FROZEN, "client is frozen");
	if (tm_client_status(c, now) == TM_STATUS_EXPIRED)
		return px_err_set(err, PX_E_TRUST_EXPIRED, "client is expired");
	t = tm_client_state_at(c, height);
	if (!t)
		return px_err_set(err, PX_E_HEIGHT, "no trusted state at height %lld",
				  (long long)height);
	return tm_abci_verify(err, &res, t->header.app_hash.b, t->header.app_hash.len, store,
			      store_len, key, key_len, value, value_len, iavl_proof, iavl_len,
			      simple_proof, simple_len);
}
