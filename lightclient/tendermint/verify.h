/* The CometBFT light-client rules: turning an unverified light block into
 * trusted state, from trusted state, at a time given by the caller (this
 * layer never reads the clock).
 *
 * Checks, in this order (the first failure is reported, with its own 3xx
 * code):
 *   1. the untrusted block's validator sets hash to its header's
 *      validators_hash and next_validators_hash;
 *   2. its header hash equals its commit's block id, the commit is for its
 *      height, and the commit has one signature slot per validator with at
 *      least one signature;
 *   3. the trusted state is within its trusting period at `now`;
 *   4. same chain id, greater height, later time;
 *   5. adjacent (height + 1): validators_hash equals the trusted
 *      next_validators_hash;
 *   6. its time is before now + clock drift;
 *   7. non-adjacent: signers holding more than trust_level of the trusted
 *      next validators' power signed the commit (else NOT ENOUGH TRUST);
 *   8. signers holding more than 2/3 of its own validators' power signed.
 * Every signature that is counted is checked; a bad signature, a
 * duplicate vote or a signer outside the block's set is INVALID. */
#ifndef PX_LIGHTCLIENT_TENDERMINT_VERIFY_H
#define PX_LIGHTCLIENT_TENDERMINT_VERIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "common/errors.h"
#include "common/rfc3339.h"
#include "lightclient/tendermint/types.h"

/* Trusted state: a header the light client has verified (or the operator
 * chose as anchor) and the validator set that signs the next height. */
struct tm_trusted {
	struct tm_header header;
	uint8_t hash[TM_HASH_LEN];
	struct tm_validator_set next_validators;	/* owned */
};

struct tm_options {
	uint64_t trust_num;		/* trust level, default 1/3, in [1/3, 1] */
	uint64_t trust_den;
	uint64_t trusting_period_ns;	/* default 336h */
	uint64_t clock_drift_ns;	/* default 10s */
};

void tm_options_default(struct tm_options *o);
/* Rejects a trust level outside [1/3, 1] or a zero trusting period
 * (PX_E_USAGE). */
bool tm_options_check(struct px_err *err, const struct tm_options *o) PX_MUST_CHECK;

/* Makes trusted state from a block the operator trusts without proof (a
 * trust anchor). Still checks what can be checked: next_validators hashes
 * to next_validators_hash and, when a commit is present, the header hash is
 * the commit's block id. */
bool tm_trust_anchor(struct px_err *err, struct tm_trusted *out, const struct tm_light_block *lb) PX_MUST_CHECK;

/* Verifies untrusted from trusted at now; on success fills out with the new
 * trusted state (out is untouched on failure). untrusted may lack its next
 * validator set (an IBC 07-tendermint header): out's next set is then
 * empty, so a later skipping verification from out cannot succeed. */
bool tm_verify(struct px_err *err, struct tm_trusted *out, const struct tm_trusted *trusted,
	       const struct tm_light_block *untrusted, const struct tm_options *opts,
	       struct px_time now) PX_MUST_CHECK;

/* Within the trusting period at now: header time + period > now. */
bool tm_trusted_within_period(const struct tm_trusted *t, uint64_t trusting_period_ns,
			      struct px_time now);

bool tm_trusted_copy(struct px_err *err, struct tm_trusted *out, const struct tm_trusted *in) PX_MUST_CHECK;
void tm_trusted_free(struct tm_trusted *t);

/* More than 2/3 of vs's power signed commit for block_id at height.
 * Signatures are matched to validators by address. */
bool tm_commit_verify_light(struct px_err *err, const char *chain_id, const struct tm_validator_set *vs,
			    const struct tm_block_id *block_id, int64_t height,
			    const struct tm_commit *commit) PX_MUST_CHECK;

/* More than num/den of vs's power signed commit (vs may be another set
 * than the commit's: signers outside vs are not counted). */
bool tm_commit_verify_trusting(struct px_err *err, const char *chain_id,
			       const struct tm_validator_set *vs, const struct tm_commit *commit,
			       uint64_t num, uint64_t den) PX_MUST_CHECK;

#endif
