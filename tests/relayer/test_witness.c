/* Unit tests for relayer/witness.c, the parts without a network: a trace
 * verified from the primary compared with a witness (in-memory blocks) is
 * agreed with, shows an attack (a fork signed by the same validators:
 * evidence with both blocks and the common height), shows a faulty
 * witness (a fork that does not verify), or no answer; and the
 * Misbehaviour built from an attack is accepted, and frozen on, by the
 * 07-tendermint client an IBC host runs, with its refusals (trusted height
 * not below, wrong trusted validators, one block twice, a header the
 * trusted validators did not sign enough of). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ibc/codec/msg.h"
#include "lightclient/tendermint/client_ibc.h"
#include "lightclient/tendermint/hash.h"
#include "relayer/witness.h"
#include "testchain.h"

#define N_BLOCKS 20
#define TARGET 10
#define CHAIN_ID "wit-1"

static struct tc_chain chain;
static struct tm_options opts;
static struct px_time now;

static void assert_code(const struct px_err *err, int code)
{
	if (err->code != code)
		fail_msg("code %d (%s: %s), want %d (%s)", err->code, px_code_name(err->code),
			 err->msg, code, px_code_name(code));
}

static void anchor(struct tm_trusted *t, int64_t h)
{
	struct px_err err = { 0 };

	if (!tm_trust_anchor(&err, t, tc_chain_at(&chain, h)))
		fail_msg("anchor: %s", err.msg);
}

/* Block h of the chain with another app hash, signed by signers (0: all). */
static void fork_at(struct tm_light_block *out, int64_t h, uint32_t seed, uint32_t signers)
{
	struct tc_block_params p;

	tc_chain_params(&p, &chain, h);
	p.app_seed = seed;
	p.signers = signers;
	tc_block_make(out, &p);
}

/* The chain's blocks, with blocks from `from` on replaced by forks. */
static void store_forked(struct tm_block_store *s, int64_t from, uint32_t signers)
{
	struct px_err err = { 0 };

	tm_block_store_init(s);
	for (int64_t h = 1; h <= chain.n; h++) {
		struct tm_light_block c;

		if (from && h >= from)
			fork_at(&c, h, 7000 + (uint32_t)h, signers);
		else
			assert_true(tm_light_block_copy(&err, &c, tc_chain_at(&chain, h)));
		assert_true(tm_block_store_take(&err, s, &c));
	}
}

/* The primary's trace from 1 to TARGET. */
static void primary_trace(struct tm_trace *t, struct tm_trusted *from)
{
	struct tm_block_store s;
	struct tm_provider p;
	struct px_err err = { 0 };

	store_forked(&s, 0, 0);
	p = tm_block_store_provider(&s);
	anchor(from, 1);
	if (!tm_bisect(&err, t, from, &p, TARGET, &opts, now, 0))
		fail_msg("primary: %s", err.msg);
	tm_block_store_free(&s);
}

static int setup(void **state)
{
	(void)state;
	/* one validator set throughout: a fork signed by it verifies */
	tc_chain_build(&chain, CHAIN_ID, N_BLOCKS, 1000, 4);
	tm_options_default(&opts);
	now = tc_time(TC_T0 + 10 * N_BLOCKS + 60);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tc_chain_free(&chain);
	return 0;
}

static enum rly_witness_verdict examine_store(struct px_err *why, struct rly_attack *a,
					      int64_t fork_from, uint32_t signers)
{
	struct tm_block_store s;
	struct tm_provider p;
	struct tm_trace t;
	struct tm_trusted from;
	enum rly_witness_verdict v;

	primary_trace(&t, &from);
	store_forked(&s, fork_from, signers);
	p = tm_block_store_provider(&s);
	v = rly_witness_examine(why, a, &from, &t, &p, &opts, now);
	tm_block_store_free(&s);
	tm_trace_free(&t);
	tm_trusted_free(&from);
	return v;
}

static void test_agrees(void **state)
{
	struct px_err why = { 0 };
	struct rly_attack a;

	(void)state;
	assert_int_equal(examine_store(&why, &a, 0, 0), RLY_WITNESS_AGREES);
	assert_false(px_err_is_set(&why));
	assert_int_equal(a.evidence.kind, TM_EVIDENCE_NONE);
	assert_string_equal(rly_witness_verdict_name(RLY_WITNESS_AGREES), "agrees");
}

static void test_attack(void **state)
{
	struct px_err why = { 0 }, err = { 0 };
	struct rly_attack a;
	uint8_t ours[TM_HASH_LEN], theirs[TM_HASH_LEN];

	(void)state;
	assert_int_equal(examine_store(&why, &a, 2, 0), RLY_WITNESS_ATTACK);
	assert_int_equal(a.evidence.kind, TM_EVIDENCE_CONFLICT);
	assert_int_equal(a.evidence.conflicting_height, TARGET);
	assert_int_equal(a.evidence.common_height, 1);
	assert_true(a.evidence.has_bifurcation);
	assert_int_equal(a.evidence.bifurcation_height, TARGET);
	/* the primary's block is the chain's, the conflicting one the fork's */
	assert_int_equal(a.primary.signed_header.header.height, TARGET);
	assert_true(tm_header_hash(&err, ours, &tc_chain_at(&chain, TARGET)->signed_header.header));
	assert_true(tm_header_hash(&err, theirs, &a.evidence.conflicting_block.signed_header.header));
	assert_memory_equal(a.evidence.trusted_hash, ours, TM_HASH_LEN);
	assert_memory_equal(a.evidence.conflicting_hash, theirs, TM_HASH_LEN);
	assert_memory_not_equal(ours, theirs, TM_HASH_LEN);
	rly_attack_free(&a);
	rly_attack_free(&a);	/* twice is harmless */
}

static void test_faulty(void **state)
{
	struct px_err why = { 0 };
	struct rly_attack a;

	(void)state;
	/* a fork signed by one validator of four: it does not verify */
	assert_int_equal(examine_store(&why, &a, 2, 0x1), RLY_WITNESS_FAULTY);
	assert_true(why.code >= 300 && why.code < 400);
	assert_int_equal(a.evidence.kind, TM_EVIDENCE_NONE);
}

static bool no_answer(void *ctx, struct px_err *err, struct tm_light_block *out, int64_t height)
{
	(void)ctx;
	memset(out, 0, sizeof(*out));
	return px_err_set(err, PX_E_RPC, "connection refused at %lld", (long long)height);
}

static void test_unavailable(void **state)
{
	struct px_err why = { 0 };
	struct rly_attack a;
	struct tm_provider p = { NULL, no_answer };
	struct tm_trace t;
	struct tm_trusted from;

	(void)state;
	primary_trace(&t, &from);
	assert_int_equal(rly_witness_examine(&why, &a, &from, &t, &p, &opts, now),
			 RLY_WITNESS_UNAVAILABLE);
	assert_code(&why, PX_E_RPC);
	tm_trace_free(&t);
	tm_trusted_free(&from);
}

/* --- the Misbehaviour --------------------------------------------------------- */

static void attack_at_target(struct rly_attack *a)
{
	struct px_err why = { 0 };

	assert_int_equal(examine_store(&why, a, 2, 0), RLY_WITNESS_ATTACK);
}

/* The host side: a 07-tendermint client of CHAIN_ID holding consensus
 * states made from the chain's blocks. */
static bool consensus_of(void *ctx, struct px_err *err, struct tm_ibc_consensus *out, bool *found,
			 struct lc_height h)
{
	const struct tm_light_block *b;

	(void)ctx;
	(void)err;
	memset(out, 0, sizeof(*out));
	*found = false;
	if (h.revision != 1 || h.height < 1 || h.height > N_BLOCKS)
		return true;
	b = tc_chain_at(&chain, (int64_t)h.height);
	out->time = b->signed_header.header.time;
	memcpy(out->root, b->signed_header.header.app_hash.b, b->signed_header.header.app_hash.len);
	out->root_len = b->signed_header.header.app_hash.len;
	memcpy(out->next_validators_hash, b->signed_header.header.next_validators_hash.b,
	       TM_HASH_LEN);
	*found = true;
	return true;
}

static void view_of(struct tm_ibc_header *out, const struct ibc_tm_header *h)
{
	out->signed_header = &h->signed_header.sh;
	out->validators = &h->validator_set.set;
	out->trusted_height.revision = h->trusted_height.revision_number;
	out->trusted_height.height = h->trusted_height.revision_height;
	out->trusted_validators = &h->trusted_validators.set;
}

static void test_misbehaviour_freezes_host_client(void **state)
{
	struct px_err err = { 0 };
	struct rly_attack a;
	struct tm_trusted trusted;
	struct px_buf any = PX_BUF_INIT;
	struct ibc_msg m;
	struct tm_ibc_client hc;
	struct tm_ibc_misbehaviour view;
	struct lc_misbehaviour found;
	struct lc_message msg = { TM_IBC_MSG_MISBEHAVIOUR, &view };
	const struct ibc_tm_misbehaviour *mb;
	uint8_t h1[TM_HASH_LEN];

	(void)state;
	attack_at_target(&a);
	anchor(&trusted, 4);
	if (!rly_misbehaviour_build(&err, &any, CHAIN_ID, &a, &trusted, &trusted.next_validators,
				    &opts))
		fail_msg("build: %s", err.msg);
	assert_true(ibc_msg_decode_any(&err, &m, any.data, any.len));
	assert_int_equal(m.kind, IBC_MSG_TM_MISBEHAVIOUR);
	mb = &m.u.tm_misbehaviour;
	assert_true(mb->has_header_1 && mb->has_header_2);
	/* header 1 is the witness's, header 2 the primary's; both trust 1-4 */
	assert_true(tm_header_hash(&err, h1, &mb->header_1.signed_header.sh.header));
	assert_memory_equal(h1, a.evidence.conflicting_hash, TM_HASH_LEN);
	assert_int_equal(mb->header_1.trusted_height.revision_number, 1);
	assert_int_equal(mb->header_1.trusted_height.revision_height, 4);
	assert_int_equal(mb->header_2.trusted_height.revision_height, 4);
	assert_int_equal(mb->header_2.signed_header.sh.header.height, TARGET);
	assert_true(mb->header_1.has_trusted_validators && mb->header_2.has_trusted_validators);
	assert_int_equal(mb->header_1.trusted_validators.set.len, trusted.next_validators.len);

	/* what the counterparty does with it */
	memset(&hc, 0, sizeof(hc));
	snprintf(hc.params.chain_id, sizeof(hc.params.chain_id), "%s", CHAIN_ID);
	hc.params.opts = opts;
	hc.params.unbonding_ns = opts.trusting_period_ns * 2;
	hc.params.latest.revision = 1;
	hc.params.latest.height = 4;
	hc.consensus = consensus_of;
	view_of(&view.h1, &mb->header_1);
	view_of(&view.h2, &mb->header_2);
	if (!tm_ibc_lc_ops.check_misbehaviour(&hc, &err, &found, &msg, now))
		fail_msg("host refused the misbehaviour: %s", err.msg);
	assert_true(found.found);
	assert_string_equal(found.kind, "conflicting_headers");
	assert_int_equal(found.height.height, TARGET);
	assert_true(hc.params.frozen.height || hc.params.frozen.revision);

	ibc_msg_free(&m);
	px_buf_free(&any);
	tm_trusted_free(&trusted);
	rly_attack_free(&a);
}

static void test_misbehaviour_refusals(void **state)
{
	struct px_err err = { 0 };
	struct rly_attack a, same;
	struct tm_trusted trusted, high;
	struct tm_validator_set other;
	struct px_buf any = PX_BUF_INIT;
	struct tc_set keys = { { 40, 41, 42, 43 }, { 10, 10, 10, 10 }, 4 };
	struct tc_block_params p;
	struct tm_light_block foreign;

	(void)state;
	attack_at_target(&a);
	anchor(&trusted, 4);

	/* the trusted height must be below the headers */
	anchor(&high, TARGET);
	assert_false(rly_misbehaviour_build(&err, &any, CHAIN_ID, &a, &high, &high.next_validators,
					    &opts));
	assert_code(&err, PX_E_HEIGHT);
	tm_trusted_free(&high);

	/* the trusted validators must be the trusted state's next set */
	memset(&err, 0, sizeof(err));
	tc_chain_params(&p, &chain, 4);
	p.vals = keys;
	p.next_vals = keys;
	tc_block_make(&foreign, &p);
	assert_true(tm_validator_set_copy(&err, &other, &foreign.validators));
	assert_false(rly_misbehaviour_build(&err, &any, CHAIN_ID, &a, &trusted, &other, &opts));
	assert_true(err.code == PX_E_VALSET_HASH || err.code == PX_E_NOT_ENOUGH_TRUST);
	tm_validator_set_free(&other);
	tm_light_block_free(&foreign);

	/* the same block twice is no conflict */
	memset(&err, 0, sizeof(err));
	memset(&same, 0, sizeof(same));
	same.evidence.kind = TM_EVIDENCE_CONFLICT;
	assert_true(tm_light_block_copy(&err, &same.evidence.conflicting_block, &a.primary));
	assert_true(tm_light_block_copy(&err, &same.primary, &a.primary));
	assert_false(rly_misbehaviour_build(&err, &any, CHAIN_ID, &same, &trusted,
					    &trusted.next_validators, &opts));
	assert_code(&err, PX_E_USAGE);

	/* a witness's block the trusted validators signed too little of */
	memset(&err, 0, sizeof(err));
	tm_light_block_free(&same.evidence.conflicting_block);
	fork_at(&same.evidence.conflicting_block, TARGET, 99, 0x1);
	assert_false(rly_misbehaviour_build(&err, &any, CHAIN_ID, &same, &trusted,
					    &trusted.next_validators, &opts));
	assert_true(err.code >= 300 && err.code < 400);
	assert_non_null(strstr(err.msg, "witness's"));

	/* another chain id */
	memset(&err, 0, sizeof(err));
	assert_false(rly_misbehaviour_build(&err, &any, "other-1", &a, &trusted,
					    &trusted.next_validators, &opts));
	assert_true(err.code >= 300 && err.code < 400);

	assert_int_equal(any.len, 0);	/* nothing appended on failure */
	rly_attack_free(&same);
	rly_attack_free(&a);
	tm_trusted_free(&trusted);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agrees),
		cmocka_unit_test(test_attack),
		cmocka_unit_test(test_faulty),
		cmocka_unit_test(test_unavailable),
		cmocka_unit_test(test_misbehaviour_freezes_host_client),
		cmocka_unit_test(test_misbehaviour_refusals),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
