/* Finding misbehaviour between blocks that each verify: conflicting
 * headers at one height, times out of order with heights, and the
 * bifurcation point of a trace against a witness. */
#include "lightclient/tendermint/misbehaviour.h"

#include <string.h>

#include "lightclient/tendermint/hash.h"

const char *tm_evidence_kind_name(enum tm_evidence_kind kind)
{
	switch (kind) {
	case TM_EVIDENCE_NONE: return "none";
	case TM_EVIDENCE_CONFLICT: return "conflicting_headers";
	case TM_EVIDENCE_TIME: return "time_monotonicity";
	}
	return "unknown";
}

void tm_evidence_free(struct tm_evidence *e)
{
	tm_light_block_free(&e->conflicting_block);
	memset(e, 0, sizeof(*e));
}

bool tm_evidence_copy(struct px_err *err, struct tm_evidence *out, const struct tm_evidence *in)
{
	struct tm_light_block lb = { 0 };

	if (in->kind != TM_EVIDENCE_NONE && !tm_light_block_copy(err, &lb, &in->conflicting_block))
		return false;
	*out = *in;
	out->conflicting_block = lb;
	return true;
}

bool tm_evidence_make(struct px_err *err, struct tm_evidence *out, enum tm_evidence_kind kind,
		      int64_t common_height, const uint8_t trusted_hash[TM_HASH_LEN],
		      const struct tm_light_block *conflicting)
{
	struct tm_evidence e = { 0 };

	e.kind = kind;
	e.common_height = common_height;
	e.conflicting_height = conflicting->signed_header.header.height;
	memcpy(e.trusted_hash, trusted_hash, TM_HASH_LEN);
	if (!tm_header_hash(err, e.conflicting_hash, &conflicting->signed_header.header)) {
		if (!px_err_is_set(err))
			px_err_set(err, PX_E_MALFORMED, "conflicting header has no hash");
		return false;
	}
	if (!tm_light_block_copy(err, &e.conflicting_block, conflicting))
		return false;
	*out = e;
	return true;
}

/* Verifies lb from common and leaves its hash in hash. */
static bool verify_side(struct px_err *err, uint8_t hash[TM_HASH_LEN], const char *side,
			const struct tm_trusted *common, const struct tm_light_block *lb,
			const struct tm_options *opts, struct px_time now)
{
	struct tm_trusted next;

	if (!tm_verify(err, &next, common, lb, opts, now)) {
		px_err_prefix(err, "%s block (height %lld): ", side,
			      (long long)lb->signed_header.header.height);
		return false;
	}
	memcpy(hash, next.hash, TM_HASH_LEN);
	tm_trusted_free(&next);
	return true;
}

bool tm_misbehaviour_check(struct px_err *err, struct tm_evidence *out,
			   const struct tm_trusted *common, const struct tm_light_block *a,
			   const struct tm_light_block *b, const struct tm_options *opts,
			   struct px_time now)
{
	const struct tm_header *ha = &a->signed_header.header, *hb = &b->signed_header.header;
	uint8_t hash_a[TM_HASH_LEN], hash_b[TM_HASH_LEN];
	const struct tm_light_block *lo, *hi;
	const uint8_t *lo_hash;

	memset(out, 0, sizeof(*out));
	if (!verify_side(err, hash_a, "first", common, a, opts, now) ||
	    !verify_side(err, hash_b, "second", common, b, opts, now))
		return false;
	if (ha->height == hb->height) {
		if (memcmp(hash_a, hash_b, TM_HASH_LEN) == 0)
			return true;
		return tm_evidence_make(err, out, TM_EVIDENCE_CONFLICT, common->header.height,
					hash_a, b);
	}
	lo = ha->height < hb->height ? a : b;
	hi = lo == a ? b : a;
	lo_hash = lo == a ? hash_a : hash_b;
	if (px_time_cmp(hi->signed_header.header.time, lo->signed_header.header.time) > 0)
		return true;
	/* The later block is the one out of order; the earlier stays trusted. */
	return tm_evidence_make(err, out, TM_EVIDENCE_TIME, common->header.height, lo_hash, hi);
}

bool tm_misbehaviour_check_trace(struct px_err *err, struct tm_evidence *out,
				 const struct tm_trusted *trusted, const struct tm_trace *trace,
				 const struct tm_provider *witness, const struct tm_options *opts,
				 struct px_time now)
{
	struct tm_trusted common = { 0 };
	bool ok = false;

	memset(out, 0, sizeof(*out));
	if (!tm_trusted_copy(err, &common, trusted))
		return false;
	for (size_t i = 0; i < trace->len; i++) {
		const struct tm_light_block *ours = &trace->blocks[i];
		int64_t h = ours->signed_header.header.height;
		struct tm_light_block theirs = { 0 };
		struct tm_trace wtrace = { 0 };
		uint8_t our_hash[TM_HASH_LEN], their_hash[TM_HASH_LEN];
		struct px_err herr = { 0 };
		bool same;

		if (!witness->light_block(witness->ctx, err, &theirs, h)) {
			if (!px_err_is_set(err))
				px_err_set(err, PX_E_RPC, "witness failed without a reason");
			px_err_prefix(err, "witness, height %lld: ", (long long)h);
			goto out;
		}
		if (theirs.signed_header.header.height != h ||
		    !tm_header_hash(&herr, their_hash, &theirs.signed_header.header) ||
		    !tm_header_hash(&herr, our_hash, &ours->signed_header.header)) {
			tm_light_block_free(&theirs);
			px_err_set(err, herr.code ? herr.code : PX_E_RPC,
				   "witness, height %lld: unusable block %s", (long long)h, herr.msg);
			goto out;
		}
		same = memcmp(our_hash, their_hash, TM_HASH_LEN) == 0;
		if (same) {
			struct tm_trusted next;

			tm_light_block_free(&theirs);
			/* Ours was verified, so it can stand as the common state. */
			if (!tm_trust_anchor(err, &next, ours))
				goto out;
			tm_trusted_free(&common);
			common = next;
			continue;
		}
		tm_light_block_free(&theirs);
		/* The witness must reach its block from the common state on its
		 * own blocks, or it is the one lying. */
		if (!tm_bisect(err, &wtrace, &common, witness, h, opts, now, 0)) {
			px_err_prefix(err, "witness's block at the bifurcation point %lld does not "
				      "verify: ", (long long)h);
			goto out;
		}
		ok = tm_evidence_make(err, out, TM_EVIDENCE_CONFLICT, common.header.height, our_hash,
				      &wtrace.blocks[wtrace.len - 1]);
		if (ok) {
			out->has_bifurcation = true;
			out->bifurcation_height = h;
		}
		tm_trace_free(&wtrace);
		goto out;
	}
	ok = true;
out:
	tm_trusted_free(&common);
	return ok;
}
