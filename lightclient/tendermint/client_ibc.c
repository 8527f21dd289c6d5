/* The 07-tendermint client as an IBC host stores it (see client_ibc.h).
 * Verification itself is tm_verify's: a header is checked from a
 * tm_trusted made of the stored consensus state (chain id, trusted height,
 * time, next_validators_hash) and the validators the header brings, so the
 * light-client rules and their 3xx codes are the same as for the full
 * client. What is particular to IBC lives here: finding the trusted state
 * through the host's callback, the height and revision rules of ibc-go,
 * freezing on a second consensus state for one height, and misbehaviour
 * checked the way ibc-go checks it (trust level of each trusted set). */
#include "lightclient/tendermint/client_ibc.h"

#include <stdio.h>
#include <string.h>

#include "lightclient/tendermint/abci.h"
#include "lightclient/tendermint/client.h"
#include "lightclient/tendermint/hash.h"
#include "lightclient/tendermint/misbehaviour.h"

_Static_assert(LC_ROOT_MAX >= TM_MAX_BYTES, "an app hash fits lc_consensus.root");

/* --- parameters and shared pieces ----------------------------------------- */

bool tm_ibc_params_check(struct px_err *err, const struct tm_ibc_params *p)
{
	size_t n = strnlen(p->chain_id, sizeof(p->chain_id));

	if (n == 0 || n == sizeof(p->chain_id))
		return px_err_set(err, PX_E_USAGE, "chain_id: empty or longer than %d bytes",
				  TM_MAX_CHAIN_ID);
	if (!tm_options_check(err, &p->opts))
		return false;
	if (p->opts.clock_drift_ns == 0)
		return px_err_set(err, PX_E_USAGE, "max_clock_drift: must be positive");
	if (p->unbonding_ns <= p->opts.trusting_period_ns)
		return px_err_set(err, PX_E_USAGE,
				  "trusting_period: must be below the unbonding period");
	if (p->latest.height == 0)
		return px_err_set(err, PX_E_USAGE, "latest_height: must not be zero");
	if (p->latest.revision != tm_chain_id_revision(p->chain_id))
		return px_err_set(err, PX_E_USAGE,
				  "latest_height: revision %llu, chain id '%s' has %llu",
				  (unsigned long long)p->latest.revision, p->chain_id,
				  (unsigned long long)tm_chain_id_revision(p->chain_id));
	return true;
}

bool tm_ibc_proof_split(struct px_err *err, struct tm_ibc_proof *out, const uint8_t *proof,
			size_t proof_len, const struct px_slice *path, size_t path_len)
{
	struct tm_ibc_proof p;

	if (path_len != 2 || !path)
		return px_err_set(err, PX_E_USAGE, "path of %zu parts, want 2 (store, key)",
				  path_len);
	if (!tm_merkle_proof_split(err, &p.iavl, &p.simple, proof, proof_len))
		return false;
	p.store = path[0];
	p.key = path[1];
	*out = p;
	return true;
}

static int height_cmp(struct lc_height a, struct lc_height b)
{
	if (a.revision != b.revision)
		return a.revision < b.revision ? -1 : 1;
	if (a.height != b.height)
		return a.height < b.height ? -1 : 1;
	return 0;
}

static bool is_frozen(const struct tm_ibc_client *c)
{
	return c->params.frozen.revision != 0 || c->params.frozen.height != 0;
}

static void freeze(struct tm_ibc_client *c)
{
	/* ibc-go's FrozenHeight: 0-1 whatever the evidence */
	c->params.frozen.revision = 0;
	c->params.frozen.height = 1;
}

static bool msg_is(struct px_err *err, const struct lc_message *msg, const char *type)
{
	if (!msg || !msg->type || !msg->body || strcmp(msg->type, type) != 0)
		return px_err_set(err, PX_E_USAGE, "%s client: message of type '%s', want '%s'",
				  TM_LC_CLIENT_TYPE, msg && msg->type ? msg->type : "(none)", type);
	return true;
}

/* The consensus state at h through the host's callback; a failing
 * callback that set no error still fails with a code. */
static bool consensus_get(const struct tm_ibc_client *c, struct px_err *err,
			  struct tm_ibc_consensus *out, bool *found, struct lc_height h)
{
	*found = false;
	if (!c->consensus)
		return px_err_set(err, PX_E_USAGE, "client has no consensus state reader");
	if (c->consensus(c->ctx, err, out, found, h)) {
		if (!*found || out->root_len <= sizeof(out->root))
			return true;
		*found = false;
		return px_err_set(err, PX_E_MALFORMED, "consensus state %llu-%llu: root of %zu bytes",
				  (unsigned long long)h.revision, (unsigned long long)h.height,
				  out->root_len);
	}
	if (!px_err_is_set(err))
		px_err_set(err, PX_E_INTERNAL, "consensus state %llu-%llu: read failed",
			   (unsigned long long)h.revision, (unsigned long long)h.height);
	*found = false;
	return false;
}

static bool consensus_need(const struct tm_ibc_client *c, struct px_err *err,
			   struct tm_ibc_consensus *out, struct lc_height h, const char *what)
{
	bool found;

	if (!consensus_get(c, err, out, &found, h))
		return false;
	if (!found)
		return px_err_set(err, PX_E_IBC_NOT_FOUND,
				  "no consensus state at %s height %llu-%llu", what,
				  (unsigned long long)h.revision, (unsigned long long)h.height);
	return true;
}

static bool within_period(struct px_time t, uint64_t trusting_period_ns, struct px_time now)
{
	struct tm_trusted probe;

	memset(&probe, 0, sizeof(probe));
	probe.header.time = t;
	return tm_trusted_within_period(&probe, trusting_period_ns, now);
}

/* Whether the consensus state at params.latest is absent or out of its
 * trusting period; false only when the host could not read it. */
static bool latest_expired(const struct tm_ibc_client *c, struct px_err *err, bool *expired,
			   struct px_time now)
{
	struct tm_ibc_consensus cs;
	bool found;

	if (!consensus_get(c, err, &cs, &found, c->params.latest))
		return false;
	*expired = !found || !within_period(cs.time, c->params.opts.trusting_period_ns, now);
	return true;
}

/* tally() in verify.c trusts total_power; the sets here come from a host's
 * decoder, so a total that is not the sum is refused before it counts. */
static bool set_sane(struct px_err *err, const struct tm_validator_set *vs, const char *what)
{
	int64_t sum = 0;

	if (vs->len && !vs->validators)
		return px_err_set(err, PX_E_MALFORMED, "%s: no validators", what);
	for (size_t i = 0; i < vs->len; i++) {
		int64_t p = vs->validators[i].voting_power;

		if (p <= 0 || p > TM_MAX_TOTAL_POWER - sum)
			return px_err_set(err, PX_E_MALFORMED, "%s: voting power of validator %zu",
					  what, i);
		sum += p;
	}
	if (sum != vs->total_power)
		return px_err_set(err, PX_E_MALFORMED, "%s: total power is not its validators' sum",
				  what);
	return true;
}

/* --- a header and the state it is verified from --------------------------- */

static struct lc_height header_height(const struct tm_header *h)
{
	struct lc_height out = { tm_chain_id_revision(h->chain_id), (uint64_t)h->height };
	return out;
}

/* Builds the trusted state a header is verified from: the stored consensus
 * state at its trusted height with its trusted validators (borrowed: the
 * result must not be passed to tm_trusted_free). Checks, as ibc-go does
 * before light.Verify: the state exists, the validators hash to its
 * next_validators_hash, the header is in the trusted height's revision and
 * above it. */
static bool trusted_from(const struct tm_ibc_client *c, struct px_err *err, struct tm_trusted *out,
			 const struct tm_ibc_header *h)
{
	const struct tm_header *uh;
	struct tm_ibc_consensus cs;
	struct lc_height at;
	uint8_t vh[TM_HASH_LEN];

	if (!h->signed_header || !h->validators || !h->trusted_validators)
		return px_err_set(err, PX_E_USAGE,
				  "header needs signed_header, validators and trusted_validators");
	uh = &h->signed_header->header;
	if (!set_sane(err, h->trusted_validators, "trusted_validators") ||
	    !set_sane(err, h->validators, "validator_set"))
		return false;
	if (!consensus_need(c, err, &cs, h->trusted_height, "trusted"))
		return false;
	if (!tm_validator_set_hash(err, vh, h->trusted_validators))
		return false;
	if (memcmp(vh, cs.next_validators_hash, TM_HASH_LEN) != 0)
		return px_err_set(err, PX_E_VALSET_HASH,
				  "trusted_validators do not hash to the next_validators_hash "
				  "stored at %llu-%llu",
				  (unsigned long long)h->trusted_height.revision,
				  (unsigned long long)h->trusted_height.height);
	at = header_height(uh);
	if (at.revision != h->trusted_height.revision)
		return px_err_set(err, PX_E_HEIGHT, "header revision %llu, trusted height's %llu",
				  (unsigned long long)at.revision,
				  (unsigned long long)h->trusted_height.revision);
	if (uh->height <= 0 || at.height <= h->trusted_height.height ||
	    h->trusted_height.height > INT64_MAX)
		return px_err_set(err, PX_E_HEIGHT, "header height %lld is not above trusted %llu",
				  (long long)uh->height,
				  (unsigned long long)h->trusted_height.height);
	memset(out, 0, sizeof(*out));
	snprintf(out->header.chain_id, sizeof(out->header.chain_id), "%s", c->params.chain_id);
	out->header.height = (int64_t)h->trusted_height.height;
	out->header.time = cs.time;
	memcpy(out->header.next_validators_hash.b, cs.next_validators_hash, TM_HASH_LEN);
	out->header.next_validators_hash.len = TM_HASH_LEN;
	out->next_validators = *h->trusted_validators;
	return true;
}

/* The consensus state a verified header yields. */
static bool consensus_of(struct px_err *err, struct tm_ibc_consensus *out,
			 const struct tm_header *h)
{
	if (h->next_validators_hash.len != TM_HASH_LEN)
		return px_err_set(err, PX_E_MALFORMED, "header next_validators_hash of %zu bytes",
				  h->next_validators_hash.len);
	memset(out, 0, sizeof(*out));
	out->time = h->time;
	memcpy(out->root, h->app_hash.b, h->app_hash.len);
	out->root_len = h->app_hash.len;
	memcpy(out->next_validators_hash, h->next_validators_hash.b, TM_HASH_LEN);
	return true;
}

static bool consensus_equal(const struct tm_ibc_consensus *a, const struct tm_ibc_consensus *b)
{
	return px_time_cmp(a->time, b->time) == 0 && a->root_len == b->root_len &&
	       a->root_len <= sizeof(a->root) && memcmp(a->root, b->root, a->root_len) == 0 &&
	       memcmp(a->next_validators_hash, b->next_validators_hash, TM_HASH_LEN) == 0;
}

/* --- the generic table ------------------------------------------------------ */

static bool verify_header_ibc(void *client, struct px_err *err, struct lc_consensus *out,
			      const struct lc_message *msg, struct px_time now)
{
	struct tm_ibc_client *c = client;
	const struct tm_ibc_header *h;
	struct tm_light_block lb;
	struct tm_trusted trusted, verified;
	struct tm_ibc_consensus cs, existing;
	struct lc_height at;
	bool found;

	if (is_frozen(c))
		return px_err_set(err, PX_E_FROZEN, "client is frozen");
	if (!msg_is(err, msg, TM_IBC_MSG_HEADER))
		return false;
	h = msg->body;
	if (!trusted_from(c, err, &trusted, h))
		return false;
	/* Borrowed sets throughout: neither lb nor trusted is freed here. */
	memset(&lb, 0, sizeof(lb));
	lb.signed_header = *h->signed_header;
	lb.validators = *h->validators;
	lb.has_validators = true;
	if (!tm_verify(err, &verified, &trusted, &lb, &c->params.opts, now))
		return false;
	/* an IBC header has no next set, so verified owns nothing; freed
	 * anyway in case tm_verify ever copies one */
	tm_trusted_free(&verified);
	if (!consensus_of(err, &cs, &h->signed_header->header))
		return false;
	at = header_height(&h->signed_header->header);
	if (!consensus_get(c, err, &existing, &found, at))
		return false;
	if (found && !consensus_equal(&existing, &cs)) {
		freeze(c);
		return px_err_set(err, PX_E_CONFLICT,
				  "another consensus state is stored at %llu-%llu: client frozen",
				  (unsigned long long)at.revision, (unsigned long long)at.height);
	}
	memset(out, 0, sizeof(*out));
	out->height = at;
	out->time = cs.time;
	memcpy(out->root, cs.root, cs.root_len);
	out->root_len = cs.root_len;
	memcpy(out->hash, h->signed_header->commit.block_id.hash.b, TM_HASH_LEN);
	c->last = cs;
	if (height_cmp(at, c->params.latest) > 0)
		c->params.latest = at;
	return true;
}

/* One side of a misbehaviour, checked as ibc-go's checkMisbehaviourHeader
 * does: from its own trusted state, which must be within its trusting
 * period, signers of more than the trust level of the trusted validators
 * signed this header's commit. Nothing else about the header's time is
 * required: evidence may be timed anywhere. */
static bool misbehaviour_side(const struct tm_ibc_client *c, struct px_err *err,
			      const struct tm_ibc_header *h, struct px_time now)
{
	const struct tm_header *uh;
	const struct tm_commit *commit;
	struct tm_trusted trusted;
	uint8_t hash[TM_HASH_LEN];

	if (!trusted_from(c, err, &trusted, h))
		return false;
	uh = &h->signed_header->header;
	commit = &h->signed_header->commit;
	if (!tm_trusted_within_period(&trusted, c->params.opts.trusting_period_ns, now))
		return px_err_set(err, PX_E_TRUST_EXPIRED,
				  "trusted consensus state at %lld is outside the trusting period",
				  (long long)trusted.header.height);
	if (strcmp(uh->chain_id, c->params.chain_id) != 0)
		return px_err_set(err, PX_E_CHAIN_ID, "chain id '%s', client's '%s'", uh->chain_id,
				  c->params.chain_id);
	if (!tm_validator_set_hash(err, hash, h->validators))
		return false;
	if (uh->validators_hash.len != TM_HASH_LEN ||
	    memcmp(uh->validators_hash.b, hash, TM_HASH_LEN) != 0)
		return px_err_set(err, PX_E_VALSET_HASH,
				  "validators do not hash to the header's validators_hash");
	if (!tm_header_hash(err, hash, uh))
		return px_err_is_set(err) ? false
					  : px_err_set(err, PX_E_VALSET_HASH,
						       "header has no validators_hash");
	if (commit->block_id.hash.len != TM_HASH_LEN ||
	    memcmp(commit->block_id.hash.b, hash, TM_HASH_LEN) != 0)
		return px_err_set(err, PX_E_BLOCK_ID, "header hash is not the commit's block id");
	if (commit->height != uh->height)
		return px_err_set(err, PX_E_COMMIT_SHAPE, "commit is for height %lld, not %lld",
				  (long long)commit->height, (long long)uh->height);
	return tm_commit_verify_trusting(err, c->params.chain_id, h->trusted_validators, commit,
					 c->params.opts.trust_num, c->params.opts.trust_den);
}

static bool check_misbehaviour_ibc(void *client, struct px_err *err, struct lc_misbehaviour *out,
				   const struct lc_message *msg, struct px_time now)
{
	struct tm_ibc_client *c = client;
	const struct tm_ibc_misbehaviour *m;
	const struct tm_header *a, *b;
	struct lc_height ha, hb;
	enum tm_evidence_kind kind = TM_EVIDENCE_NONE;

	memset(out, 0, sizeof(*out));
	if (is_frozen(c))
		return px_err_set(err, PX_E_FROZEN, "client is frozen");
	if (!msg_is(err, msg, TM_IBC_MSG_MISBEHAVIOUR))
		return false;
	if (!tm_options_check(err, &c->params.opts))
		return false;
	m = msg->body;
	if (!m->h1.signed_header || !m->h2.signed_header)
		return px_err_set(err, PX_E_USAGE, "misbehaviour needs two headers");
	a = &m->h1.signed_header->header;
	b = &m->h2.signed_header->header;
	ha = header_height(a);
	hb = header_height(b);
	if (height_cmp(ha, hb) < 0)
		return px_err_set(err, PX_E_MALFORMED, "header 1 is below header 2");
	if (!misbehaviour_side(c, err, &m->h1, now)) {
		px_err_prefix(err, "header 1: ");
		return false;
	}
	if (!misbehaviour_side(c, err, &m->h2, now)) {
		px_err_prefix(err, "header 2: ");
		return false;
	}
	if (height_cmp(ha, hb) == 0) {
		if (memcmp(m->h1.signed_header->commit.block_id.hash.b,
			   m->h2.signed_header->commit.block_id.hash.b, TM_HASH_LEN) != 0)
			kind = TM_EVIDENCE_CONFLICT;
	} else if (px_time_cmp(a->time, b->time) <= 0) {
		kind = TM_EVIDENCE_TIME;
	}
	if (kind == TM_EVIDENCE_NONE)
		return true;
	freeze(c);
	out->found = true;
	out->kind = tm_evidence_kind_name(kind);
	out->common = m->h1.trusted_height;
	if (height_cmp(m->h2.trusted_height, out->common) < 0)
		out->common = m->h2.trusted_height;
	out->height = ha;
	memcpy(out->trusted_hash, m->h2.signed_header->commit.block_id.hash.b, TM_HASH_LEN);
	memcpy(out->conflicting_hash, m->h1.signed_header->commit.block_id.hash.b, TM_HASH_LEN);
	return true;
}

static bool membership(const struct tm_ibc_client *c, struct px_err *err, struct lc_height height,
		       const uint8_t *proof, size_t proof_len, const struct px_slice *path,
		       size_t path_len, const uint8_t *value, size_t value_len, struct px_time now)
{
	struct tm_ibc_consensus cs;
	struct tm_ibc_proof p;
	struct tm_abci_result res;
	bool expired;

	if (is_frozen(c))
		return px_err_set(err, PX_E_FROZEN, "client is frozen");
	if (!latest_expired(c, err, &expired, now))
		return false;
	if (expired)
		return px_err_set(err, PX_E_TRUST_EXPIRED, "client is expired");
	if (!tm_ibc_proof_split(err, &p, proof, proof_len, path, path_len))
		return false;
	if (!consensus_need(c, err, &cs, height, "proof"))
		return false;
	return tm_abci_verify(err, &res, cs.root, cs.root_len, p.store.ptr, p.store.len, p.key.ptr,
			      p.key.len, value, value_len, p.iavl.ptr, p.iavl.len, p.simple.ptr,
			      p.simple.len);
}

static bool verify_membership_ibc(void *client, struct px_err *err, struct lc_height height,
				  const uint8_t *proof, size_t proof_len,
				  const struct px_slice *path, size_t path_len,
				  const uint8_t *value, size_t value_len, struct px_time now)
{
	if (value_len == 0)
		return px_err_set(err, PX_E_USAGE, "membership of an empty value");
	return membership(client, err, height, proof, proof_len, path, path_len, value, value_len,
			  now);
}

static bool verify_non_membership_ibc(void *client, struct px_err *err, struct lc_height height,
				      const uint8_t *proof, size_t proof_len,
				      const struct px_slice *path, size_t path_len,
				      struct px_time now)
{
	return membership(client, err, height, proof, proof_len, path, path_len, NULL, 0, now);
}

static enum lc_status status_ibc(const void *client, struct px_time now)
{
	const struct tm_ibc_client *c = client;
	bool expired;

	if (is_frozen(c))
		return LC_STATUS_FROZEN;
	/* an unreadable latest state cannot be shown to be in its period */
	if (!latest_expired(c, NULL, &expired, now) || expired)
		return LC_STATUS_EXPIRED;
	return LC_STATUS_ACTIVE;
}

static void free_ibc(void *client)
{
	(void)client;
}

const struct lc_ops tm_ibc_lc_ops = {
	.client_type = TM_LC_CLIENT_TYPE,
	.verify_header = verify_header_ibc,
	.verify_membership = verify_membership_ibc,
	.verify_non_membership = verify_non_membership_ibc,
	.check_misbehaviour = check_misbehaviour_ibc,
	.status = status_ibc,
	.free = free_ibc,
};

void tm_ibc_lc_init(struct lc_client *out, struct tm_ibc_client *c)
{
	out->ops = &tm_ibc_lc_ops;
	out->impl = c;
}
