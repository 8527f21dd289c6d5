/* Unit tests for lightclient/tendermint/client.c and client_lc.c: a client
 * follows a trace, holds its states and reports active / expired / frozen;
 * a repeated block is accepted as it is; a different block at a held
 * height or a block timed after a held later one freezes the client with
 * evidence, and a frozen client refuses everything with PX_E_FROZEN;
 * failed verification does not freeze; membership goes through the abci
 * proof chain against the held app hash (H+1 rule); the same behaviour
 * through the generic lc interface, which refuses foreign messages. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "common/protobuf.h"
#include "lightclient/lc.h"
#include "lightclient/tendermint/bisection.h"
#include "lightclient/tendermint/client.h"
#include "testchain.h"
#include "testproofs.h"

#define KEY3 "commitments/ports/transfer/channels/channel-0/sequences/3"
#define KEY_ABSENT "commitments/ports/transfer/channels/channel-0/sequences/45"

static struct tc_chain chain;
static struct tm_options opts;
static struct px_time now;

static void assert_code(const struct px_err *err, int code)
{
	if (err->code != code)
		fail_msg("code %d (%s: %s), want %d (%s)", err->code, px_code_name(err->code),
			 err->msg, code, px_code_name(code));
}

static void client_at(struct tm_client *c, int64_t h)
{
	struct px_err err = { 0 };
	struct tm_trusted t;

	if (!tm_trust_anchor(&err, &t, tc_chain_at(&chain, h)))
		fail_msg("anchor: %s", err.msg);
	assert_true(tm_client_init(&err, c, &t, &opts));
	tm_trusted_free(&t);
}

static int setup(void **state)
{
	tc_chain_build(&chain, "test-chain-7", 40, 10, 4);
	tm_options_default(&opts);
	now = tc_time(TC_T0 + 10 * 40 + 60);
	return 0;
}

static int teardown(void **state)
{
	tc_chain_free(&chain);
	return 0;
}

static void test_init_and_status(void **state)
{
	struct tm_client c;
	struct tm_options bad = opts;
	struct tm_trusted t;
	struct px_err err = { 0 };

	assert_true(tm_trust_anchor(&err, &t, tc_chain_at(&chain, 1)));
	bad.trust_num = 1;
	bad.trust_den = 4;
	assert_false(tm_client_init(&err, &c, &t, &bad));
	assert_code(&err, PX_E_USAGE);
	tm_trusted_free(&t);

	client_at(&c, 1);
	assert_int_equal(tm_client_status(&c, now), TM_STATUS_ACTIVE);
	assert_string_equal(tm_status_name(TM_STATUS_ACTIVE), "active");
	/* 336 h after the anchor's time */
	assert_int_equal(tm_client_status(&c, tc_time(TC_T0 + 10 + 336 * 3600)), TM_STATUS_EXPIRED);
	assert_int_equal(tm_client_status(&c, tc_time(TC_T0 + 9 + 336 * 3600)), TM_STATUS_ACTIVE);
	tm_client_free(&c);
}

static void test_update_trace(void **state)
{
	struct tm_client c;
	struct px_err err = { 0 };
	const struct tm_light_block *b40 = tc_chain_at(&chain, 40);

	client_at(&c, 1);
	/* straight to 40 is not enough trust, and does not freeze */
	assert_false(tm_client_update(&err, &c, b40, 1, now));
	assert_code(&err, PX_E_NOT_ENOUGH_TRUST);
	assert_int_equal(tm_client_status(&c, now), TM_STATUS_ACTIVE);
	/* a trace: 10, 20, 30, 40 */
	for (int64_t h = 10; h <= 40; h += 10) {
		px_err_clear(&err);
		if (!tm_client_update(&err, &c, tc_chain_at(&chain, h), 1, now))
			fail_msg("update %lld: %s", (long long)h, err.msg);
	}
	assert_int_equal(c.nstates, 5);
	assert_int_equal(tm_client_latest(&c)->header.height, 40);
	assert_non_null(tm_client_state_at(&c, 20));
	assert_null(tm_client_state_at(&c, 21));
	/* a held block again: accepted, nothing added */
	assert_true(tm_client_update(&err, &c, tc_chain_at(&chain, 20), 1, now));
	assert_int_equal(c.nstates, 5);
	/* a block between held ones, verified from the one below */
	assert_true(tm_client_update(&err, &c, tc_chain_at(&chain, 25), 1, now));
	assert_int_equal(c.nstates, 6);
	assert_false(c.frozen);
	/* a trace must increase */
	{
		struct tm_light_block two[2];

		memcpy(&two[0], tc_chain_at(&chain, 35), sizeof(two[0]));
		memcpy(&two[1], tc_chain_at(&chain, 33), sizeof(two[1]));
		assert_false(tm_client_update(&err, &c, two, 2, now));
		assert_code(&err, PX_E_HEIGHT);
	}
	tm_client_free(&c);

	/* more than the held maximum: the oldest go */
	client_at(&c, 1);
	for (int64_t h = 2; h <= 40; h++)
		assert_true(tm_client_update(&err, &c, tc_chain_at(&chain, h), 1, now));
	assert_int_equal(c.nstates, TM_CLIENT_MAX_STATES);
	assert_int_equal(c.states[0].header.height, 40 - TM_CLIENT_MAX_STATES + 1);
	/* below every held state */
	px_err_clear(&err);
	assert_false(tm_client_update(&err, &c, tc_chain_at(&chain, 3), 1, now));
	assert_code(&err, PX_E_HEIGHT);
	tm_client_free(&c);
}

static void test_conflict_freezes(void **state)
{
	struct tm_client c;
	struct tm_light_block fork;
	struct tc_block_params p;
	struct px_err err = { 0 };

	client_at(&c, 1);
	assert_true(tm_client_update(&err, &c, tc_chain_at(&chain, 5), 1, now));
	tc_chain_params(&p, &chain, 5);
	p.app_seed = 3;
	tc_block_make(&fork, &p);
	assert_false(tm_client_update(&err, &c, &fork, 1, now));
	assert_code(&err, PX_E_CONFLICT);
	assert_true(c.frozen);
	assert_int_equal(tm_client_status(&c, now), TM_STATUS_FROZEN);
	assert_int_equal(c.evidence.kind, TM_EVIDENCE_CONFLICT);
	assert_int_equal(c.evidence.common_height, 1);
	assert_int_equal(c.evidence.conflicting_height, 5);
	assert_memory_equal(c.evidence.conflicting_hash, fork.signed_header.commit.block_id.hash.b, 32);
	/* everything is refused now */
	px_err_clear(&err);
	assert_false(tm_client_update(&err, &c, tc_chain_at(&chain, 6), 1, now));
	assert_code(&err, PX_E_FROZEN);
	px_err_clear(&err);
	assert_false(tm_client_check_misbehaviour(&err, &c, NULL, &fork, tc_chain_at(&chain, 5), now));
	assert_code(&err, PX_E_FROZEN);
	px_err_clear(&err);
	assert_false(tm_client_verify_abci(&err, &c, 5, (const uint8_t *)"ibc", 3,
					   (const uint8_t *)"k", 1, NULL, 0, (const uint8_t *)"x", 1,
					   (const uint8_t *)"y", 1, now));
	assert_code(&err, PX_E_FROZEN);
	tm_client_free(&c);

	/* a fork that does not verify does not freeze */
	client_at(&c, 1);
	assert_true(tm_client_update(&err, &c, tc_chain_at(&chain, 5), 1, now));
	fork.signed_header.commit.sigs[2].signature[3] ^= 8;
	px_err_clear(&err);
	assert_false(tm_client_update(&err, &c, &fork, 1, now));
	assert_code(&err, PX_E_BAD_SIGNATURE);
	assert_false(c.frozen);
	tm_light_block_free(&fork);
	tm_client_free(&c);
}

static void test_time_freezes(void **state)
{
	struct tm_client c;
	struct tm_light_block late;
	struct tc_block_params p;
	struct px_err err = { 0 };

	client_at(&c, 1);
	assert_true(tm_client_update(&err, &c, tc_chain_at(&chain, 8), 1, now));
	/* height 5 timed after the held height 8 */
	tc_chain_params(&p, &chain, 5);
	p.time = tc_time(TC_T0 + 10 * 8 + 1);
	tc_block_make(&late, &p);
	assert_false(tm_client_update(&err, &c, &late, 1, now));
	assert_code(&err, PX_E_CONFLICT);
	assert_int_equal(c.evidence.kind, TM_EVIDENCE_TIME);
	assert_int_equal(c.evidence.conflicting_height, 5);
	assert_memory_equal(c.evidence.trusted_hash, tm_client_state_at(&c, 8)->hash, 32);
	assert_int_equal(tm_client_status(&c, now), TM_STATUS_FROZEN);
	tm_client_free(&c);

	/* submitted as a pair */
	client_at(&c, 1);
	{
		struct tm_evidence ev;

		assert_true(tm_client_check_misbehaviour(&err, &c, &ev, tc_chain_at(&chain, 8), &late,
							 now));
		assert_int_equal(ev.kind, TM_EVIDENCE_TIME);
		assert_true(c.frozen);
		tm_evidence_free(&ev);
	}
	tm_client_free(&c);
	/* an honest pair: nothing, not frozen */
	client_at(&c, 1);
	{
		struct tm_evidence ev;

		assert_true(tm_client_check_misbehaviour(&err, &c, &ev, tc_chain_at(&chain, 4),
							 tc_chain_at(&chain, 6), now));
		assert_int_equal(ev.kind, TM_EVIDENCE_NONE);
		assert_false(c.frozen);
	}
	tm_client_free(&c);
	tm_light_block_free(&late);
}

/* The block at height h of chain, with app_hash set to the test state's. */
static void block_with_app_hash(struct tm_light_block *out, int64_t h, const uint8_t app[32])
{
	struct tc_block_params p;

	tc_chain_params(&p, &chain, h);
	p.app_hash = app;
	tc_block_make(out, &p);
}

static void test_membership(void **state)
{
	struct tm_client c;
	struct tp_state st;
	struct tm_light_block b;
	struct px_buf iavl = PX_BUF_INIT, store = PX_BUF_INIT, absent = PX_BUF_INIT;
	struct px_err err = { 0 };
	const char *v;

	tp_state_build(&st);
	v = st.items[2].value;
	tp_iavl_exist(&iavl, &st, 2);
	tp_store_exist(&store, &st, st.ibc);
	tp_iavl_absent(&absent, &st, KEY_ABSENT);
	/* the state after block 5 is committed in header 6 */
	block_with_app_hash(&b, 6, st.app_hash);
	client_at(&c, 1);
	assert_true(tm_client_update(&err, &c, &b, 1, now));
	assert_true(tm_client_verify_abci(&err, &c, 6, (const uint8_t *)"ibc", 3,
					  (const uint8_t *)KEY3, strlen(KEY3), (const uint8_t *)v,
					  strlen(v), iavl.data, iavl.len, store.data, store.len, now));
	assert_true(tm_client_verify_abci(&err, &c, 6, (const uint8_t *)"ibc", 3,
					  (const uint8_t *)KEY_ABSENT, strlen(KEY_ABSENT), NULL, 0,
					  absent.data, absent.len, store.data, store.len, now));
	/* header 5's app hash is not the root */
	assert_true(tm_client_update(&err, &c, tc_chain_at(&chain, 5), 1, now));
	assert_false(tm_client_verify_abci(&err, &c, 5, (const uint8_t *)"ibc", 3,
					   (const uint8_t *)KEY3, strlen(KEY3), (const uint8_t *)v,
					   strlen(v), iavl.data, iavl.len, store.data, store.len, now));
	assert_code(&err, PX_E_ROOT_MISMATCH);
	px_err_clear(&err);
	assert_false(tm_client_verify_abci(&err, &c, 7, (const uint8_t *)"ibc", 3,
					   (const uint8_t *)KEY3, strlen(KEY3), (const uint8_t *)v,
					   strlen(v), iavl.data, iavl.len, store.data, store.len, now));
	assert_code(&err, PX_E_HEIGHT);
	px_err_clear(&err);
	assert_false(tm_client_verify_abci(&err, &c, 6, (const uint8_t *)"ibc", 3,
					   (const uint8_t *)KEY3, strlen(KEY3), (const uint8_t *)v,
					   strlen(v), iavl.data, iavl.len, store.data, store.len,
					   tc_time(TC_T0 + 400 * 3600)));
	assert_code(&err, PX_E_TRUST_EXPIRED);
	tm_client_free(&c);
	tm_light_block_free(&b);
	px_buf_free(&iavl);
	px_buf_free(&store);
	px_buf_free(&absent);
}

static void test_generic_interface(void **state)
{
	struct lc_client lc;
	struct lc_consensus cs;
	struct lc_misbehaviour mb;
	struct tm_trusted t;
	struct tm_light_block b6, fork;
	struct tc_block_params p;
	struct tp_state st;
	struct px_buf iavl = PX_BUF_INIT, store = PX_BUF_INIT, mp = PX_BUF_INIT;
	struct px_err err = { 0 };
	const char *v;
	struct px_slice path[2] = { { (const uint8_t *)"ibc", 3 }, { (const uint8_t *)KEY3, 0 } };
	struct lc_height at;

	path[1].len = strlen(KEY3);
	tp_state_build(&st);
	v = st.items[2].value;
	tp_iavl_exist(&iavl, &st, 2);
	tp_store_exist(&store, &st, st.ibc);
	px_pb_put_bytes(&mp, 1, iavl.data, iavl.len);
	px_pb_put_bytes(&mp, 1, store.data, store.len);
	block_with_app_hash(&b6, 6, st.app_hash);

	assert_true(tm_trust_anchor(&err, &t, tc_chain_at(&chain, 1)));
	assert_true(tm_lc_new(&err, &lc, &t, &opts));
	tm_trusted_free(&t);
	assert_string_equal(lc.ops->client_type, "07-tendermint");
	assert_int_equal(lc_status(&lc, now), LC_STATUS_ACTIVE);
	{
		struct tm_lc_header h = { &b6, 1 };
		struct lc_message m = { TM_LC_MSG_HEADER, &h };
		struct lc_message wrong = { "eth/header", &h };

		assert_true(lc_verify_header(&lc, &err, &cs, &m, now));
		assert_int_equal(cs.height.revision, 7);
		assert_int_equal(cs.height.height, 6);
		assert_int_equal(cs.root_len, 32);
		assert_memory_equal(cs.root, st.app_hash, 32);
		assert_memory_equal(cs.hash, b6.signed_header.commit.block_id.hash.b, 32);
		assert_false(lc_verify_header(&lc, &err, &cs, &wrong, now));
		assert_code(&err, PX_E_USAGE);
	}
	at.revision = 7;
	at.height = 6;
	px_err_clear(&err);
	assert_true(lc_verify_membership(&lc, &err, at, mp.data, mp.len, path, 2, (const uint8_t *)v,
					 strlen(v), now));
	assert_false(lc_verify_membership(&lc, &err, at, mp.data, mp.len, path, 2,
					  (const uint8_t *)"forged", 6, now));
	assert_code(&err, PX_E_VALUE_MISMATCH);
	px_err_clear(&err);
	assert_false(lc_verify_non_membership(&lc, &err, at, mp.data, mp.len, path, 2, now));
	assert_true(err.code / 100 == 3);
	px_err_clear(&err);
	at.revision = 1;
	assert_false(lc_verify_membership(&lc, &err, at, mp.data, mp.len, path, 2, (const uint8_t *)v,
					  strlen(v), now));
	assert_code(&err, PX_E_HEIGHT);
	at.revision = 7;
	px_err_clear(&err);
	assert_false(lc_verify_membership(&lc, &err, at, mp.data, mp.len, path, 1, (const uint8_t *)v,
					  strlen(v), now));
	assert_code(&err, PX_E_USAGE);

	/* misbehaviour through the table freezes the client */
	tc_chain_params(&p, &chain, 6);
	tc_block_make(&fork, &p);
	{
		struct tm_lc_misbehaviour m = { &b6, &fork };
		struct lc_message msg = { TM_LC_MSG_MISBEHAVIOUR, &m };
		struct tm_lc_header h = { &b6, 1 };
		struct lc_message hm = { TM_LC_MSG_HEADER, &h };

		px_err_clear(&err);
		assert_true(lc_check_misbehaviour(&lc, &err, &mb, &msg, now));
		assert_true(mb.found);
		assert_string_equal(mb.kind, "conflicting_headers");
		assert_int_equal(mb.common.height, 1);
		assert_int_equal(mb.height.height, 6);
		assert_int_equal(lc_status(&lc, now), LC_STATUS_FROZEN);
		assert_string_equal(lc_status_name(lc_status(&lc, now)), "frozen");
		assert_false(lc_verify_header(&lc, &err, &cs, &hm, now));
		assert_code(&err, PX_E_FROZEN);
		px_err_clear(&err);
		assert_false(lc_verify_membership(&lc, &err, at, mp.data, mp.len, path, 2,
						  (const uint8_t *)v, strlen(v), now));
		assert_code(&err, PX_E_FROZEN);
	}
	lc_client_free(&lc);
	assert_null(lc.impl);
	tm_light_block_free(&fork);
	tm_light_block_free(&b6);
	px_buf_free(&iavl);
	px_buf_free(&store);
	px_buf_free(&mp);

	assert_int_equal(tm_chain_id_revision("cosmoshub-4"), 4);
	assert_int_equal(tm_chain_id_revision("osmosis-1"), 1);
	assert_int_equal(tm_chain_id_revision("test-chain-07"), 0);
	assert_int_equal(tm_chain_id_revision("devnet"), 0);
	assert_int_equal(tm_chain_id_revision("-5"), 0);
	assert_int_equal(tm_chain_id_revision("a-99999999999999999999999"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_and_status),
		cmocka_unit_test(test_update_trace),
		cmocka_unit_test(test_conflict_freezes),
		cmocka_unit_test(test_time_freezes),
		cmocka_unit_test(test_membership),
		cmocka_unit_test(test_generic_interface),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
