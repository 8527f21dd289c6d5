/* Misbehaviour: proof that the chain's validators signed two histories.
 *
 * Two kinds, as the IBC Tendermint client knows them:
 *   - conflict: two light blocks for one height with different header
 *     hashes, each verified from one common trusted state;
 *   - time: two verified blocks whose times are out of order with their
 *     heights (a block at a greater height whose time is not after the
 *     lower one's).
 * Evidence names the kind, the common height it was verified from, the
 * conflicting height, both header hashes and holds the conflicting block;
 * when found by walking a verified trace against a witness it also names
 * the bifurcation point (the first height where they differ).
 *
 * Blocks that do not verify are not evidence: they are reported as the
 * verification failure (a 3xx code), never as misbehaviour. */
#ifndef PX_LIGHTCLIENT_TENDERMINT_MISBEHAVIOUR_H
#define PX_LIGHTCLIENT_TENDERMINT_MISBEHAVIOUR_H

#include <stdbool.h>
#include <stdint.h>

#include "common/errors.h"
#include "common/rfc3339.h"
#include "lightclient/tendermint/bisection.h"
#include "lightclient/tendermint/types.h"
#include "lightclient/tendermint/verify.h"

enum tm_evidence_kind {
	TM_EVIDENCE_NONE = 0,
	TM_EVIDENCE_CONFLICT = 1,
	TM_EVIDENCE_TIME = 2,
};

struct tm_evidence {
	enum tm_evidence_kind kind;
	int64_t common_height;			/* trusted state both were verified from */
	int64_t conflicting_height;		/* height of the conflicting block */
	uint8_t trusted_hash[TM_HASH_LEN];	/* the header on the trusted side */
	uint8_t conflicting_hash[TM_HASH_LEN];	/* the conflicting header */
	struct tm_light_block conflicting_block;	/* owned; zero when kind is NONE */
	bool has_bifurcation;
	int64_t bifurcation_height;
};

/* "none", "conflicting_headers", "time_monotonicity". */
const char *tm_evidence_kind_name(enum tm_evidence_kind kind);
void tm_evidence_free(struct tm_evidence *e);
bool tm_evidence_copy(struct px_err *err, struct tm_evidence *out,
		      const struct tm_evidence *in) PX_MUST_CHECK;

/* Fills out (kind, heights, hashes, a copy of conflicting). */
bool tm_evidence_make(struct px_err *err, struct tm_evidence *out, enum tm_evidence_kind kind,
		      int64_t common_height, const uint8_t trusted_hash[TM_HASH_LEN],
		      const struct tm_light_block *conflicting) PX_MUST_CHECK;

/* Checks two blocks against each other, both verified from common (which
 * must be below both). Same height: different hashes are a conflict, equal
 * hashes are nothing. Different heights: the higher one's time not after
 * the lower one's is a time violation. Returns true with out->kind NONE
 * when the pair shows no misbehaviour; false with the failure of the block
 * that does not verify ("first: ..." / "second: ..."). The conflicting
 * block of the evidence is b; a is the trusted side. */
bool tm_misbehaviour_check(struct px_err *err, struct tm_evidence *out,
			   const struct tm_trusted *common, const struct tm_light_block *a,
			   const struct tm_light_block *b, const struct tm_options *opts,
			   struct px_time now) PX_MUST_CHECK;

/* Cross-checks a trace verified from trusted (primary's blocks) against a
 * witness: at each height of the trace the witness's block is fetched;
 * the first height where the hashes differ is the bifurcation point, and
 * the witness's block there is verified (with bisection, through the
 * witness) from the last height both agreed on. If it verifies, that is a
 * conflict (evidence with the witness's block as the conflicting one); if
 * it does not, the witness is faulty and its failure is returned. No
 * difference: true with kind NONE. */
bool tm_misbehaviour_check_trace(struct px_err *err, struct tm_evidence *out,
				 const struct tm_trusted *trusted, const struct tm_trace *trace,
				 const struct tm_provider *witness, const struct tm_options *opts,
				 struct px_time now) PX_MUST_CHECK;

#endif
