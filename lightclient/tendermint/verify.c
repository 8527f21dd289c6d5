/* The light-client verification rules (see verify.h for the order). Voting
 * power is tallied per signature with every counted signature checked; a
 * signature checked for the trusted set is not checked again for the
 * block's own set. Power sums stay below TM_MAX_TOTAL_POWER and threshold
 * comparisons are done in 128 bits, so nothing overflows. */
#include "lightclient/tendermint/verify.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "lightclient/tendermint/crypto.h"
#include "lightclient/tendermint/hash.h"

#define NS_PER_S 1000000000ull

/* 128-bit products keep power comparisons exact. */
__extension__ typedef unsigned __int128 u128;

void tm_options_default(struct tm_options *o)
{
	o->trust_num = 1;
	o->trust_den = 3;
	o->trusting_period_ns = 336ull * 3600 * NS_PER_S;
	o->clock_drift_ns = 10 * NS_PER_S;
}

bool tm_options_check(struct px_err *err, const struct tm_options *o)
{
	if (o->trust_den == 0 || o->trust_num == 0 ||
	    (u128)o->trust_num * 3 < (u128)o->trust_den ||
	    o->trust_num > o->trust_den)
		return px_err_set(err, PX_E_USAGE, "trust level %llu/%llu outside [1/3, 1]",
				  (unsigned long long)o->trust_num, (unsigned long long)o->trust_den);
	if (o->trusting_period_ns == 0)
		return px_err_set(err, PX_E_USAGE, "trusting period must be positive");
	return true;
}

bool tm_trusted_within_period(const struct tm_trusted *t, uint64_t trusting_period_ns,
			      struct px_time now)
{
	struct px_time end;

	if (!px_time_add_ns(&end, t->header.time, trusting_period_ns))
		return true; /* past year 9999: not expired at any representable now */
	return px_time_cmp(end, now) > 0;
}

void tm_trusted_free(struct tm_trusted *t)
{
	tm_validator_set_free(&t->next_validators);
	memset(t, 0, sizeof(*t));
}

bool tm_trusted_copy(struct px_err *err, struct tm_trusted *out, const struct tm_trusted *in)
{
	struct tm_validator_set vs;

	if (!tm_validator_set_copy(err, &vs, &in->next_validators))
		return false;
	out->header = in->header;
	memcpy(out->hash, in->hash, TM_HASH_LEN);
	out->next_validators = vs;
	return true;
}

static bool hash_is(const struct tm_bytes *b, const uint8_t h[TM_HASH_LEN])
{
	return b->len == TM_HASH_LEN && memcmp(b->b, h, TM_HASH_LEN) == 0;
}

static bool check_set_hash(struct px_err *err, const struct tm_validator_set *vs,
			   const struct tm_bytes *want, const char *what)
{
	uint8_t h[TM_HASH_LEN];

	if (!tm_validator_set_hash(err, h, vs))
		return false;
	if (!hash_is(want, h))
		return px_err_set(err, PX_E_VALSET_HASH, "%s does not hash to the header's %s", what,
				  what);
	return true;
}

bool tm_trust_anchor(struct px_err *err, struct tm_trusted *out, const struct tm_light_block *lb)
{
	const struct tm_header *h = &lb->signed_header.header;
	const struct tm_commit *c = &lb->signed_header.commit;
	uint8_t hash[TM_HASH_LEN];

	if (!lb->has_next_validators)
		return px_err_set(err, PX_E_MALFORMED, "trusted block has no next_validator_set");
	if (!check_set_hash(err, &lb->next_validators, &h->next_validators_hash,
			    "next_validators_hash"))
		return false;
	if (lb->has_validators &&
	    !check_set_hash(err, &lb->validators, &h->validators_hash, "validators_hash"))
		return false;
	if (!tm_header_hash(err, hash, h))
		return px_err_is_set(err) ? false
					  : px_err_set(err, PX_E_MALFORMED,
						       "trusted header has no validators_hash");
	if (c->block_id.hash.len && !hash_is(&c->block_id.hash, hash))
		return px_err_set(err, PX_E_BLOCK_ID, "trusted header hash is not its commit's block id");
	memset(out, 0, sizeof(*out));
	if (!tm_validator_set_copy(err, &out->next_validators, &lb->next_validators))
		return false;
	out->header = *h;
	memcpy(out->hash, hash, TM_HASH_LEN);
	return true;
}

/* Index in vs of the validator that signed slot i, trying slot i first
 * (commits list signatures in validator order). */
static ptrdiff_t signer_index(const struct tm_validator_set *vs, const struct tm_commit_sig *s,
			      size_t i)
{
	if (i < vs->len && memcmp(vs->validators[i].address, s->validator_address, TM_ADDRESS_LEN) == 0)
		return (ptrdiff_t)i;
	return tm_validator_set_find(vs, s->validator_address);
}

/* Signature state of each commit slot across tallies: 0 unchecked,
 * 1 valid. An invalid signature ends verification at once. */
struct sigcache {
	uint8_t *state;
	struct px_buf msg;
};

/* Sums the power in vs of the votes for the block in commit. own: vs is
 * the commit's own set (a signer outside it is an error); otherwise
 * signers outside vs are skipped. Nil votes of known validators are
 * checked too but add no power. */
static bool tally(struct px_err *err, int64_t *power, const char *chain_id,
		  const struct tm_validator_set *vs, const struct tm_commit *c, bool own,
		  struct sigcache *cache)
{
	uint8_t *seen = NULL;
	int64_t sum = 0;
	bool ok = false;

	*power = 0;
	if (vs->len) {
		seen = calloc(vs->len, 1);
		if (!seen)
			return px_err_set(err, PX_E_NOMEM, "commit: out of memory");
	}
	for (size_t i = 0; i < c->len; i++) {
		const struct tm_commit_sig *s = &c->sigs[i];
		const struct tm_validator *v;
		ptrdiff_t idx;

		if (s->flag == TM_FLAG_ABSENT)
			continue;
		idx = signer_index(vs, s, i);
		if (idx < 0) {
			if (own) {
				px_err_set(err, PX_E_UNKNOWN_VALIDATOR,
					   "signature %zu is from a validator outside the set", i);
				goto out;
			}
			continue;
		}
		if (seen[idx]) {
			px_err_set(err, PX_E_DUPLICATE_VOTE, "validator of signature %zu voted twice", i);
			goto out;
		}
		seen[idx] = 1;
		v = &vs->validators[idx];
		if (!cache->state[i]) {
			px_buf_reset(&cache->msg);
			tm_commit_sign_bytes(&cache->msg, chain_id, c, i);
			if (!px_buf_ok(&cache->msg)) {
				px_err_set(err, PX_E_NOMEM, "sign bytes: out of memory");
				goto out;
			}
			if (!tm_signature_verify(&v->pub_key, cache->msg.data, cache->msg.len,
						 s->signature, s->signature_len)) {
				px_err_set(err, PX_E_BAD_SIGNATURE, "signature %zu does not verify", i);
				goto out;
			}
			cache->state[i] = 1;
		}
		if (s->flag == TM_FLAG_COMMIT)
			sum += v->voting_power;
	}
	*power = sum;
	ok = true;
out:
	free(seen);
	return ok;
}

static bool cache_init(struct px_err *err, struct sigcache *cache, const struct tm_commit *c)
{
	cache->state = calloc(c->len ? c->len : 1, 1);
	px_buf_init(&cache->msg);
	if (!cache->state)
		return px_err_set(err, PX_E_NOMEM, "commit: out of memory");
	return true;
}

static void cache_free(struct sigcache *cache)
{
	free(cache->state);
	px_buf_free(&cache->msg);
}

/* power / total > num / den */
static bool exceeds(int64_t power, int64_t total, uint64_t num, uint64_t den)
{
	return (u128)(uint64_t)power * den > (u128)(uint64_t)total * num;
}

static bool commit_shape(struct px_err *err, const struct tm_validator_set *vs,
			 const struct tm_commit *c, int64_t height)
{
	bool any = false;

	if (c->height != height)
		return px_err_set(err, PX_E_COMMIT_SHAPE, "commit is for height %lld, not %lld",
				  (long long)c->height, (long long)height);
	if (c->len != vs->len)
		return px_err_set(err, PX_E_COMMIT_SHAPE, "commit has %zu signatures for %zu validators",
				  c->len, vs->len);
	for (size_t i = 0; i < c->len && !any; i++)
		any = c->sigs[i].flag != TM_FLAG_ABSENT;
	if (!any)
		return px_err_set(err, PX_E_COMMIT_SHAPE, "commit has no signatures");
	return true;
}

static bool light_with_cache(struct px_err *err, const char *chain_id,
			     const struct tm_validator_set *vs, const struct tm_commit *c,
			     struct sigcache *cache)
{
	int64_t power;

	if (!tally(err, &power, chain_id, vs, c, true, cache))
		return false;
	if (!exceeds(power, vs->total_power, 2, 3))
		return px_err_set(err, PX_E_INSUFFICIENT_POWER,
				  "signers hold %lld of %lld voting power, not more than 2/3",
				  (long long)power, (long long)vs->total_power);
	return true;
}

bool tm_commit_verify_light(struct px_err *err, const char *chain_id, const struct tm_validator_set *vs,
			    const struct tm_block_id *block_id, int64_t height,
			    const struct tm_commit *commit)
{
	struct sigcache cache;
	bool ok;

	if (!commit_shape(err, vs, commit, height))
		return false;
	if (!tm_block_id_equal(block_id, &commit->block_id))
		return px_err_set(err, PX_E_BLOCK_ID, "commit is for another block id");
	if (!cache_init(err, &cache, commit))
		return false;
	ok = light_with_cache(err, chain_id, vs, commit, &cache);
	cache_free(&cache);
	return ok;
}

static bool trusting_with_cache(struct px_err *err, const char *chain_id,
				const struct tm_validator_set *vs, const struct tm_commit *c,
				uint64_t num, uint64_t den, struct sigcache *cache)
{
	int64_t power;

	if (!tally(err, &power, chain_id, vs, c, false, cache))
		return false;
	if (!exceeds(power, vs->total_power, num, den))
		return px_err_set(err, PX_E_NOT_ENOUGH_TRUST,
				  "trusted validators hold %lld of %lld voting power in the commit, "
				  "not more than %llu/%llu",
				  (long long)power, (long long)vs->total_power,
				  (unsigned long long)num, (unsigned long long)den);
	return true;
}

bool tm_commit_verify_trusting(struct px_err *err, const char *chain_id,
			       const struct tm_validator_set *vs, const struct tm_commit *commit,
			       uint64_t num, uint64_t den)
{
	struct sigcache cache;
	bool ok;

	if (!cache_init(err, &cache, commit))
		return false;
	ok = trusting_with_cache(err, chain_id, vs, commit, num, den, &cache);
	cache_free(&cache);
	return ok;
}

bool tm_verify(struct px_err *err, struct tm_trusted *out, const struct tm_trusted *trusted,
	       const struct tm_light_block *untrusted, const struct tm_options *opts,
	       struct px_time now)
{
	const struct tm_header *th = &trusted->header;
	const struct tm_header *uh = &untrusted->signed_header.header;
	const struct tm_commit *c = &untrusted->signed_header.commit;
	struct sigcache cache = { NULL, PX_BUF_INIT };
	struct tm_trusted next;
	struct px_time limit;
	uint8_t hash[TM_HASH_LEN];
	bool adjacent, ok = false;

	if (!tm_options_check(err, opts))
		return false;
	if (!untrusted->has_validators)
		return px_err_set(err, PX_E_MALFORMED, "untrusted block needs validator_set");
	/* 1. the sets are the ones the header commits to. An IBC header carries
	 * no next set (ibc-go's light.Verify needs none): the state it
	 * yields then has an empty next set. */
	if (!check_set_hash(err, &untrusted->validators, &uh->validators_hash, "validators_hash") ||
	    (untrusted->has_next_validators &&
	     !check_set_hash(err, &untrusted->next_validators, &uh->next_validators_hash,
			     "next_validators_hash")))
		return false;
	/* 2. the commit is for this header */
	if (!tm_header_hash(err, hash, uh))
		return px_err_is_set(err) ? false
					  : px_err_set(err, PX_E_VALSET_HASH, "header has no validators_hash");
	if (!hash_is(&c->block_id.hash, hash))
		return px_err_set(err, PX_E_BLOCK_ID, "header hash is not the commit's block id");
	if (!commit_shape(err, &untrusted->validators, c, uh->height))
		return false;
	/* 3. trust has not expired */
	if (!tm_trusted_within_period(trusted, opts->trusting_period_ns, now))
		return px_err_set(err, PX_E_TRUST_EXPIRED,
				  "trusted header at height %lld is outside the trusting period",
				  (long long)th->height);
	/* 4. same chain, forward in time and height */
	if (strcmp(th->chain_id, uh->chain_id) != 0)
		return px_err_set(err, PX_E_CHAIN_ID, "chain id '%s', trusted '%s'", uh->chain_id,
				  th->chain_id);
	/* Height before time, as CometBFT reports it: an older block usually
	 * fails both, and its height is the clearer reason. */
	if (uh->height <= th->height)
		return px_err_set(err, PX_E_HEIGHT, "height %lld is not above trusted height %lld",
				  (long long)uh->height, (long long)th->height);
	if (px_time_cmp(uh->time, th->time) <= 0)
		return px_err_set(err, PX_E_TIME_ORDER, "header time is not after the trusted header's");
	/* 5. adjacent: the set the trusted header announced */
	adjacent = uh->height == th->height + 1;
	if (adjacent && !(uh->validators_hash.len == th->next_validators_hash.len &&
			  memcmp(uh->validators_hash.b, th->next_validators_hash.b,
				 uh->validators_hash.len) == 0))
		return px_err_set(err, PX_E_NEXT_VALSET,
				  "validators_hash is not the trusted next_validators_hash");
	/* 6. not from the future */
	if (!px_time_add_ns(&limit, now, opts->clock_drift_ns))
		return px_err_set(err, PX_E_TIME, "now + clock drift out of range");
	if (px_time_cmp(uh->time, limit) >= 0)
		return px_err_set(err, PX_E_FUTURE, "header time is past now + clock drift");

	if (!cache_init(err, &cache, c))
		return false;
	/* 7. enough of the trusted set signed (skipping) */
	if (!adjacent && !trusting_with_cache(err, th->chain_id, &trusted->next_validators, c,
					      opts->trust_num, opts->trust_den, &cache))
		goto out;
	/* 8. more than 2/3 of its own set signed */
	if (!light_with_cache(err, uh->chain_id, &untrusted->validators, c, &cache))
		goto out;

	memset(&next, 0, sizeof(next));
	if (untrusted->has_next_validators &&
	    !tm_validator_set_copy(err, &next.next_validators, &untrusted->next_validators))
		goto out;
	next.header = *uh;
	memcpy(next.hash, hash, TM_HASH_LEN);
	*out = next;
	ok = true;
out:
	cache_free(&cache);
	return ok;
}
