/* Unit tests for lightclient/tendermint/bisection.c over a signed test
 * chain whose validator set slides every 10 heights (testchain.c): a
 * target inside the trusted epoch verifies in one step; a far one needs
 * pivots and yields an increasing trace ending at the target that replays
 * block by block; latest (0) works; errors other than not-enough-trust stop
 * the walk with their code; a missing pivot, a provider lying about the
 * height and the fetch bound are reported; the block store refuses
 * duplicates and serves copies. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lightclient/tendermint/bisection.h"
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

static void store_chain(struct tm_block_store *s, int64_t from, int64_t to, int64_t skip)
{
	struct px_err err = { 0 };

	tm_block_store_init(s);
	for (int64_t h = from; h <= to; h++) {
		struct tm_light_block lb;

		if (h == skip)
			continue;
		assert_true(tm_light_block_copy(&err, &lb, tc_chain_at(&chain, h)));
		assert_true(tm_block_store_take(&err, s, &lb));
	}
}

static void anchor(struct tm_trusted *t, int64_t h)
{
	struct px_err err = { 0 };

	if (!tm_trust_anchor(&err, t, tc_chain_at(&chain, h)))
		fail_msg("anchor: %s", err.msg);
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

static void test_direct(void **state)
{
	struct tm_block_store s;
	struct tm_provider p;
	struct tm_trusted t;
	struct tm_trace tr;
	struct px_err err = { 0 };

	store_chain(&s, 1, 64, 0);
	p = tm_block_store_provider(&s);
	anchor(&t, 1);
	assert_true(tm_bisect(&err, &tr, &t, &p, 9, &opts, now, 0));
	assert_int_equal(tr.len, 1);
	assert_int_equal(tr.fetched, 1);
	assert_int_equal(tr.blocks[0].signed_header.header.height, 9);
	assert_int_equal(tr.trusted.header.height, 9);
	tm_trace_free(&tr);
	/* adjacent */
	assert_true(tm_bisect(&err, &tr, &t, &p, 2, &opts, now, 0));
	assert_int_equal(tr.len, 1);
	tm_trace_free(&tr);
	tm_trusted_free(&t);
	tm_block_store_free(&s);
}

static void test_pivots(void **state)
{
	struct tm_block_store s;
	struct tm_provider p;
	struct tm_trusted t, cur;
	struct tm_trace tr;
	struct px_err err = { 0 };

	store_chain(&s, 1, 64, 0);
	p = tm_block_store_provider(&s);
	anchor(&t, 1);
	/* straight from 1 to 64 is not enough trust */
	assert_false(tm_verify(&err, &cur, &t, tc_chain_at(&chain, 64), &opts, now));
	assert_code(&err, PX_E_NOT_ENOUGH_TRUST);
	px_err_clear(&err);

	assert_true(tm_bisect(&err, &tr, &t, &p, 64, &opts, now, 0));
	assert_true(tr.len > 2);
	assert_true(tr.fetched >= tr.len);
	assert_int_equal(tr.blocks[tr.len - 1].signed_header.header.height, 64);
	assert_int_equal(tr.trusted.header.height, 64);
	/* the trace replays: each block verifies from the one before */
	assert_true(tm_trusted_copy(&err, &cur, &t));
	for (size_t i = 0; i < tr.len; i++) {
		struct tm_trusted next;

		if (i > 0)
			assert_true(tr.blocks[i].signed_header.header.height >
				    tr.blocks[i - 1].signed_header.header.height);
		if (!tm_verify(&err, &next, &cur, &tr.blocks[i], &opts, now))
			fail_msg("trace block %zu: %s", i, err.msg);
		tm_trusted_free(&cur);
		cur = next;
	}
	tm_trusted_free(&cur);
	tm_trace_free(&tr);

	/* latest */
	assert_true(tm_bisect(&err, &tr, &t, &p, 0, &opts, now, 0));
	assert_int_equal(tr.trusted.header.height, 64);
	tm_trace_free(&tr);

	/* a bound too small to get there */
	assert_false(tm_bisect(&err, &tr, &t, &p, 64, &opts, now, 2));
	assert_code(&err, PX_E_NOT_ENOUGH_TRUST);
	assert_non_null(strstr(err.msg, "gave up"));
	assert_int_equal(tr.fetched, 2);
	assert_null(tr.blocks);
	tm_trusted_free(&t);
	tm_block_store_free(&s);
}

static void test_missing_pivot(void **state)
{
	struct tm_block_store s;
	struct tm_provider p;
	struct tm_trusted t;
	struct tm_trace tr;
	struct px_err err = { 0 };

	store_chain(&s, 1, 64, 32);	/* the first pivot from 1 to 64 is 32 */
	p = tm_block_store_provider(&s);
	anchor(&t, 1);
	assert_false(tm_bisect(&err, &tr, &t, &p, 64, &opts, now, 0));
	assert_code(&err, PX_E_RPC);
	assert_non_null(strstr(err.msg, "32"));
	px_err_clear(&err);
	assert_false(tm_bisect(&err, &tr, &t, &p, 65, &opts, now, 0));
	assert_code(&err, PX_E_RPC);
	tm_trusted_free(&t);
	tm_block_store_free(&s);
}

static void test_other_errors_stop(void **state)
{
	struct tm_block_store s;
	struct tm_provider p;
	struct tm_trusted t;
	struct tm_trace tr;
	struct px_err err = { 0 };
	struct tm_light_block bad;

	/* expired trust: no pivoting */
	store_chain(&s, 1, 64, 0);
	p = tm_block_store_provider(&s);
	anchor(&t, 1);
	assert_false(tm_bisect(&err, &tr, &t, &p, 64, &opts, tc_time(TC_T0 + 400 * 3600), 0));
	assert_code(&err, PX_E_TRUST_EXPIRED);
	assert_int_equal(tr.fetched, 1);
	tm_block_store_free(&s);

	/* a pivot with a broken signature stops the walk with bad_signature */
	store_chain(&s, 1, 64, 32);
	assert_true(tm_light_block_copy(&err, &bad, tc_chain_at(&chain, 32)));
	bad.signed_header.commit.sigs[0].signature[5] ^= 0x10;
	assert_true(tm_block_store_take(&err, &s, &bad));
	p = tm_block_store_provider(&s);
	px_err_clear(&err);
	assert_false(tm_bisect(&err, &tr, &t, &p, 64, &opts, now, 0));
	assert_code(&err, PX_E_BAD_SIGNATURE);
	tm_block_store_free(&s);

	/* target below the trusted height */
	store_chain(&s, 1, 64, 0);
	p = tm_block_store_provider(&s);
	tm_trusted_free(&t);
	anchor(&t, 20);
	px_err_clear(&err);
	assert_false(tm_bisect(&err, &tr, &t, &p, 10, &opts, now, 0));
	/* a lower block is refused for its height (checked before time) */
	assert_code(&err, PX_E_HEIGHT);
	tm_trusted_free(&t);
	tm_block_store_free(&s);
}

/* A provider that always answers with the same block. */
static bool liar(void *ctx, struct px_err *err, struct tm_light_block *out, int64_t height)
{
	return tm_light_block_copy(err, out, ctx);
}

static bool silent(void *ctx, struct px_err *err, struct tm_light_block *out, int64_t height)
{
	memset(out, 0, sizeof(*out));
	return false;
}

static void test_provider_faults(void **state)
{
	struct tm_provider p = { (void *)tc_chain_at(&chain, 5), liar };
	struct tm_trusted t;
	struct tm_trace tr;
	struct px_err err = { 0 };

	anchor(&t, 1);
	assert_false(tm_bisect(&err, &tr, &t, &p, 7, &opts, now, 0));
	assert_code(&err, PX_E_RPC);
	px_err_clear(&err);
	p.light_block = silent;
	assert_false(tm_bisect(&err, &tr, &t, &p, 7, &opts, now, 0));
	assert_code(&err, PX_E_RPC);
	px_err_clear(&err);
	assert_false(tm_bisect(&err, &tr, &t, &p, -1, &opts, now, 0));
	assert_code(&err, PX_E_USAGE);
	tm_trusted_free(&t);
}

static void test_store(void **state)
{
	struct tm_block_store s;
	struct tm_light_block lb;
	struct px_err err = { 0 };
	json_t *arr = json_array();

	tm_block_store_init(&s);
	assert_null(tm_block_store_get(&s, 0));
	for (int64_t h = 5; h >= 3; h--)
		json_array_append_new(arr, tc_block_to_json(tc_chain_at(&chain, h)));
	assert_true(tm_block_store_add_json(&err, &s, arr));
	assert_int_equal(s.len, 3);
	assert_int_equal(tm_block_store_get(&s, 0)->signed_header.header.height, 5);
	assert_int_equal(tm_block_store_get(&s, 4)->signed_header.header.height, 4);
	assert_null(tm_block_store_get(&s, 6));
	/* a second block at a held height */
	assert_false(tm_block_store_add_json(&err, &s, json_array_get(arr, 1)));
	assert_code(&err, PX_E_MALFORMED);
	/* malformed member of an array */
	px_err_clear(&err);
	json_array_append_new(arr, json_string("nope"));
	tm_block_store_free(&s);
	assert_false(tm_block_store_add_json(&err, &s, arr));
	assert_true(err.code / 100 == 2);
	if (!strstr(err.msg, "light block 3"))
		fail_msg("message: %s", err.msg);
	/* take frees what it refuses */
	px_err_clear(&err);
	assert_true(tm_light_block_copy(&err, &lb, tc_chain_at(&chain, 3)));
	assert_false(tm_block_store_take(&err, &s, &lb));
	assert_null(lb.signed_header.commit.sigs);
	json_decref(arr);
	tm_block_store_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_direct),
		cmocka_unit_test(test_pivots),
		cmocka_unit_test(test_missing_pivot),
		cmocka_unit_test(test_other_errors_stop),
		cmocka_unit_test(test_provider_faults),
		cmocka_unit_test(test_store),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
