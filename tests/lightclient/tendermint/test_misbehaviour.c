/* Unit tests for lightclient/tendermint/misbehaviour.c: a fork signed by
 * the same validators is a conflict with the common height and both hashes;
 * the same block twice is nothing; a fork that does not verify is that
 * failure, not evidence; a higher block timed before a lower one is a time
 * violation; a verified trace checked against a witness finds the
 * bifurcation point (at the target or at a pivot), reports a witness whose
 * fork does not verify, and finds nothing when the witness agrees. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "lightclient/tendermint/misbehaviour.h"
#include "testchain.h"

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

static void fork_at(struct tm_light_block *out, int64_t h, uint32_t seed)
{
	struct tc_block_params p;

	tc_chain_params(&p, &chain, h);
	p.app_seed = seed;
	tc_block_make(out, &p);
}

static void store_with(struct tm_block_store *s, int64_t replace, const struct tm_light_block *lb)
{
	struct px_err err = { 0 };

	tm_block_store_init(s);
	for (int64_t h = 1; h <= chain.n; h++) {
		struct tm_light_block c;

		assert_true(tm_light_block_copy(&err, &c, h == replace ? lb : tc_chain_at(&chain, h)));
		assert_true(tm_block_store_take(&err, s, &c));
	}
}

static int setup(void **state)
{
	tc_chain_build(&chain, "test-chain-1", 64, 10, 4);
	tm_options_default(&opts);
	now = tc_time(TC_T0 + 10 * 64 + 60);
	return 0;
}

static int teardown(void **state)
{
	tc_chain_free(&chain);
	return 0;
}

static void test_conflict(void **state)
{
	struct tm_light_block fork;
	struct tm_trusted t;
	struct tm_evidence ev, copy;
	struct px_err err = { 0 };
	const struct tm_light_block *real = tc_chain_at(&chain, 5);

	anchor(&t, 1);
	fork_at(&fork, 5, 1);
	assert_true(tm_misbehaviour_check(&err, &ev, &t, real, &fork, &opts, now));
	assert_int_equal(ev.kind, TM_EVIDENCE_CONFLICT);
	assert_string_equal(tm_evidence_kind_name(ev.kind), "conflicting_headers");
	assert_int_equal(ev.common_height, 1);
	assert_int_equal(ev.conflicting_height, 5);
	assert_memory_equal(ev.trusted_hash, real->signed_header.commit.block_id.hash.b, 32);
	assert_memory_equal(ev.conflicting_hash, fork.signed_header.commit.block_id.hash.b, 32);
	assert_memory_not_equal(ev.trusted_hash, ev.conflicting_hash, 32);
	assert_int_equal(ev.conflicting_block.signed_header.header.height, 5);
	assert_false(ev.has_bifurcation);
	assert_true(tm_evidence_copy(&err, &copy, &ev));
	assert_memory_equal(copy.conflicting_hash, ev.conflicting_hash, 32);
	tm_evidence_free(&copy);
	tm_evidence_free(&ev);

	/* the same block twice: nothing */
	assert_true(tm_misbehaviour_check(&err, &ev, &t, real, real, &opts, now));
	assert_int_equal(ev.kind, TM_EVIDENCE_NONE);

	/* a fork that does not verify is not evidence */
	fork.signed_header.commit.sigs[1].signature[0] ^= 1;
	assert_false(tm_misbehaviour_check(&err, &ev, &t, real, &fork, &opts, now));
	assert_code(&err, PX_E_BAD_SIGNATURE);
	assert_non_null(strstr(err.msg, "second"));
	assert_int_equal(ev.kind, TM_EVIDENCE_NONE);
	tm_light_block_free(&fork);

	/* a fork on another chain id does not verify either */
	px_err_clear(&err);
	{
		struct tc_block_params p;

		tc_chain_params(&p, &chain, 5);
		p.chain_id = "other-chain";
		tc_block_make(&fork, &p);
	}
	assert_false(tm_misbehaviour_check(&err, &ev, &t, &fork, real, &opts, now));
	assert_code(&err, PX_E_CHAIN_ID);
	assert_non_null(strstr(err.msg, "first"));
	tm_light_block_free(&fork);
	tm_trusted_free(&t);
}

static void test_time_violation(void **state)
{
	struct tm_light_block late;
	struct tc_block_params p;
	struct tm_trusted t;
	struct tm_evidence ev;
	struct px_err err = { 0 };
	const struct tm_light_block *b5 = tc_chain_at(&chain, 5);

	anchor(&t, 1);
	/* height 6 timed before height 5 (but after the anchor) */
	tc_chain_params(&p, &chain, 6);
	p.time = tc_time(TC_T0 + 10 * 5 - 3);
	tc_block_make(&late, &p);
	assert_true(tm_misbehaviour_check(&err, &ev, &t, b5, &late, &opts, now));
	assert_int_equal(ev.kind, TM_EVIDENCE_TIME);
	assert_int_equal(ev.common_height, 1);
	assert_int_equal(ev.conflicting_height, 6);
	assert_memory_equal(ev.trusted_hash, b5->signed_header.commit.block_id.hash.b, 32);
	tm_evidence_free(&ev);
	/* the order of the arguments does not matter */
	assert_true(tm_misbehaviour_check(&err, &ev, &t, &late, b5, &opts, now));
	assert_int_equal(ev.kind, TM_EVIDENCE_TIME);
	assert_int_equal(ev.conflicting_height, 6);
	tm_evidence_free(&ev);
	tm_light_block_free(&late);

	/* equal times are a violation too; increasing times are not */
	p.time = b5->signed_header.header.time;
	tc_block_make(&late, &p);
	assert_true(tm_misbehaviour_check(&err, &ev, &t, b5, &late, &opts, now));
	assert_int_equal(ev.kind, TM_EVIDENCE_TIME);
	tm_evidence_free(&ev);
	tm_light_block_free(&late);
	assert_true(tm_misbehaviour_check(&err, &ev, &t, b5, tc_chain_at(&chain, 6), &opts, now));
	assert_int_equal(ev.kind, TM_EVIDENCE_NONE);
	tm_trusted_free(&t);
}

static void trace_to(struct tm_trace *tr, const struct tm_trusted *t, int64_t target)
{
	struct tm_block_store s;
	struct tm_provider p;
	struct px_err err = { 0 };

	store_with(&s, 0, NULL);
	p = tm_block_store_provider(&s);
	if (!tm_bisect(&err, tr, t, &p, target, &opts, now, 0))
		fail_msg("bisect: %s", err.msg);
	tm_block_store_free(&s);
}

static void test_trace_against_witness(void **state)
{
	struct tm_block_store w;
	struct tm_provider wp;
	struct tm_light_block fork;
	struct tm_trusted t;
	struct tm_trace tr;
	struct tm_evidence ev;
	struct px_err err = { 0 };
	int64_t pivot;

	anchor(&t, 1);
	trace_to(&tr, &t, 64);
	assert_true(tr.len >= 3);

	/* an honest witness */
	store_with(&w, 0, NULL);
	wp = tm_block_store_provider(&w);
	assert_true(tm_misbehaviour_check_trace(&err, &ev, &t, &tr, &wp, &opts, now));
	assert_int_equal(ev.kind, TM_EVIDENCE_NONE);
	tm_block_store_free(&w);

	/* a witness with another block at the target */
	fork_at(&fork, 64, 7);
	store_with(&w, 64, &fork);
	wp = tm_block_store_provider(&w);
	assert_true(tm_misbehaviour_check_trace(&err, &ev, &t, &tr, &wp, &opts, now));
	assert_int_equal(ev.kind, TM_EVIDENCE_CONFLICT);
	assert_true(ev.has_bifurcation);
	assert_int_equal(ev.bifurcation_height, 64);
	assert_int_equal(ev.conflicting_height, 64);
	assert_int_equal(ev.common_height, tr.blocks[tr.len - 2].signed_header.header.height);
	assert_memory_equal(ev.conflicting_hash, fork.signed_header.commit.block_id.hash.b, 32);
	assert_memory_equal(ev.trusted_hash, tr.blocks[tr.len - 1].signed_header.commit.block_id.hash.b,
			    32);
	tm_evidence_free(&ev);
	tm_block_store_free(&w);
	tm_light_block_free(&fork);

	/* a witness that forks at the first pivot: found there, from the anchor */
	pivot = tr.blocks[0].signed_header.header.height;
	fork_at(&fork, pivot, 9);
	store_with(&w, pivot, &fork);
	wp = tm_block_store_provider(&w);
	assert_true(tm_misbehaviour_check_trace(&err, &ev, &t, &tr, &wp, &opts, now));
	assert_int_equal(ev.kind, TM_EVIDENCE_CONFLICT);
	assert_int_equal(ev.bifurcation_height, pivot);
	assert_int_equal(ev.common_height, 1);
	tm_evidence_free(&ev);
	tm_block_store_free(&w);

	/* a witness whose fork is not properly signed is the faulty one */
	fork.signed_header.commit.sigs[0].signature[9] ^= 4;
	store_with(&w, pivot, &fork);
	wp = tm_block_store_provider(&w);
	assert_false(tm_misbehaviour_check_trace(&err, &ev, &t, &tr, &wp, &opts, now));
	assert_code(&err, PX_E_BAD_SIGNATURE);
	assert_non_null(strstr(err.msg, "bifurcation"));
	assert_int_equal(ev.kind, TM_EVIDENCE_NONE);
	tm_block_store_free(&w);
	tm_light_block_free(&fork);

	/* a witness missing a height */
	px_err_clear(&err);
	tm_block_store_init(&w);
	wp = tm_block_store_provider(&w);
	assert_false(tm_misbehaviour_check_trace(&err, &ev, &t, &tr, &wp, &opts, now));
	assert_code(&err, PX_E_RPC);
	tm_block_store_free(&w);

	tm_trace_free(&tr);
	tm_trusted_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conflict),
		cmocka_unit_test(test_time_violation),
		cmocka_unit_test(test_trace_against_witness),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
