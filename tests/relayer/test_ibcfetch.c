/* Unit tests for the pure half of relayer/ibcfetch (ibcfetch_build.c):
 * a MerkleProof and proof height built from an abci_query reply that
 * verifies against the header one above it, present and absent keys, and
 * refused when the app hash, the proof, the height, the key or the store
 * is changed; ClientState + ConsensusState Anys from a header (decoded
 * back, field by field) and refused for another chain id; Header Anys
 * from signed test blocks, decoded back and verified the way ibc-go's
 * 07-tendermint does it (trusted validators = the set at trusted + 1),
 * and refused when a validator set does not hash to the verified header,
 * when the fetched block is not the verified one, when the commit does
 * not verify, for another chain id and for heights out of order. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ibc/codec/commitment.h"
#include "ibc/codec/msg.h"
#include "lightclient/tendermint/abci.h"
#include "lightclient/tendermint/hash.h"
#include "relayer/ibcfetch.h"
#include "testchain.h"
#include "testproofs.h"

#define KEY3 "commitments/ports/transfer/channels/channel-0/sequences/3"
#define KEY_ABSENT "commitments/ports/transfer/channels/channel-0/sequences/45"
#define CHAIN "fetch-3"

static struct tp_state st;
static struct tc_chain chain;

static void assert_code(const struct px_err *err, int code)
{
	if (err->code != code)
		fail_msg("code %d (%s: %s), want %d (%s)", err->code, px_code_name(err->code),
			 err->msg, code, px_code_name(code));
}

static void assert_verify_code(const struct px_err *err)
{
	if (err->code < 300 || err->code >= 400)
		fail_msg("code %d (%s: %s), want a 3xx verification failure", err->code,
			 px_code_name(err->code), err->msg);
}

static int setup(void **state)
{
	(void)state;
	tp_state_build(&st);
	tc_chain_build(&chain, CHAIN, 20, 5, 4);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tc_chain_free(&chain);
	return 0;
}

/* ---- proofs ---------------------------------------------------------------- */

static void parse_response(struct tm_abci_response *r, const char *key, int64_t h)
{
	struct px_err err = { 0 };
	json_t *doc = tp_abci_response(&st, key, h);

	assert_non_null(doc);
	assert_true(tm_abci_response_from_json(&err, r, doc));
	json_decref(doc);
}

static void header_with_app_hash(struct tm_header *h, int64_t height)
{
	memset(h, 0, sizeof(*h));
	snprintf(h->chain_id, sizeof(h->chain_id), CHAIN);
	h->height = height;
	memcpy(h->app_hash.b, st.app_hash, 32);
	h->app_hash.len = 32;
}

static void test_proof_member(void **state)
{
	struct tm_abci_response r;
	struct tm_header h;
	struct rly_proof p;
	struct px_err err = { 0 };
	struct px_slice iavl, simple;
	struct tm_abci_result res;
	struct ibc_merkle_proofs mp;

	(void)state;
	parse_response(&r, KEY3, 7);
	header_with_app_hash(&h, 8);
	assert_true(rly_proof_build(&err, &p, &r, &h, "ibc", (const uint8_t *)KEY3, strlen(KEY3), 7, 3));
	assert_true(p.exists);
	assert_int_equal(p.value.len, r.value.len);
	assert_memory_equal(p.value.data, r.value.data, r.value.len);
	assert_int_equal(p.proof_height.revision_number, 3);
	assert_int_equal(p.proof_height.revision_height, 8);
	/* The MerkleProof holds the two CommitmentProofs as they came, store
	 * level first, and verifies on its own against the app hash. */
	assert_true(ibc_merkle_proofs_decode(&err, &mp, p.proof.data, p.proof.len));
	assert_int_equal(mp.len, 2);
	assert_int_equal(mp.proofs[0].len, r.iavl_proof.len);
	assert_memory_equal(mp.proofs[0].ptr, r.iavl_proof.data, r.iavl_proof.len);
	assert_memory_equal(mp.proofs[1].ptr, r.simple_proof.data, r.simple_proof.len);
	assert_true(tm_merkle_proof_split(&err, &iavl, &simple, p.proof.data, p.proof.len));
	assert_true(tm_abci_verify(&err, &res, st.app_hash, 32, (const uint8_t *)"ibc", 3,
				   (const uint8_t *)KEY3, strlen(KEY3), p.value.data, p.value.len,
				   iavl.ptr, iavl.len, simple.ptr, simple.len));
	rly_proof_free(&p);
	tm_abci_response_free(&r);
}

static void test_proof_absent(void **state)
{
	struct tm_abci_response r;
	struct tm_header h;
	struct rly_proof p;
	struct px_err err = { 0 };
	struct ibc_merkle_proofs mp;

	(void)state;
	parse_response(&r, KEY_ABSENT, 7);
	header_with_app_hash(&h, 8);
	assert_true(rly_proof_build(&err, &p, &r, &h, "ibc", (const uint8_t *)KEY_ABSENT,
				    strlen(KEY_ABSENT), 7, 3));
	assert_false(p.exists);
	assert_int_equal(p.value.len, 0);
	assert_true(ibc_merkle_proofs_decode(&err, &mp, p.proof.data, p.proof.len));
	assert_int_equal(mp.len, 2);
	rly_proof_free(&p);
	tm_abci_response_free(&r);
}

static void test_proof_refusals(void **state)
{
	struct tm_abci_response r;
	struct tm_header h;
	struct rly_proof p;
	struct px_err err = { 0 };
	const uint8_t *k = (const uint8_t *)KEY3;
	size_t kl = strlen(KEY3);

	(void)state;
	memset(&p, 0, sizeof(p));
	parse_response(&r, KEY3, 7);

	/* another app hash: one byte flipped */
	header_with_app_hash(&h, 8);
	h.app_hash.b[5] ^= 1;
	assert_false(rly_proof_build(&err, &p, &r, &h, "ibc", k, kl, 7, 3));
	assert_verify_code(&err);
	assert_null(p.proof.data);

	/* a byte of the iavl proof flipped */
	header_with_app_hash(&h, 8);
	r.iavl_proof.data[r.iavl_proof.len - 1] ^= 1;
	px_err_clear(&err);
	assert_false(rly_proof_build(&err, &p, &r, &h, "ibc", k, kl, 7, 3));
	assert_verify_code(&err);
	r.iavl_proof.data[r.iavl_proof.len - 1] ^= 1;

	/* a byte of the multistore proof flipped */
	r.simple_proof.data[r.simple_proof.len / 2] ^= 0x40;
	px_err_clear(&err);
	assert_false(rly_proof_build(&err, &p, &r, &h, "ibc", k, kl, 7, 3));
	assert_true(err.code != 0);
	r.simple_proof.data[r.simple_proof.len / 2] ^= 0x40;

	/* a changed value */
	r.value.data[0] ^= 1;
	px_err_clear(&err);
	assert_false(rly_proof_build(&err, &p, &r, &h, "ibc", k, kl, 7, 3));
	assert_verify_code(&err);
	r.value.data[0] ^= 1;

	/* the header is not query height + 1 */
	header_with_app_hash(&h, 7);
	px_err_clear(&err);
	assert_false(rly_proof_build(&err, &p, &r, &h, "ibc", k, kl, 7, 3));
	assert_code(&err, PX_E_USAGE);
	/* the reply is for another height than asked */
	px_err_clear(&err);
	assert_false(rly_proof_build(&err, &p, &r, &h, "ibc", k, kl, 6, 3));
	assert_code(&err, PX_E_HEIGHT);
	/* another key or store than asked */
	header_with_app_hash(&h, 8);
	px_err_clear(&err);
	assert_false(rly_proof_build(&err, &p, &r, &h, "ibc", (const uint8_t *)KEY_ABSENT,
				     strlen(KEY_ABSENT), 7, 3));
	assert_code(&err, PX_E_KEY_MISMATCH);
	px_err_clear(&err);
	assert_false(rly_proof_build(&err, &p, &r, &h, "bank", k, kl, 7, 3));
	assert_code(&err, PX_E_KEY_MISMATCH);

	/* and untouched it verifies */
	px_err_clear(&err);
	assert_true(rly_proof_build(&err, &p, &r, &h, "ibc", k, kl, 7, 3));
	rly_proof_free(&p);
	tm_abci_response_free(&r);
}

/* ---- create client ----------------------------------------------------------- */

static void test_create_client(void **state)
{
	const struct tm_header *h = &tc_chain_at(&chain, 9)->signed_header.header;
	struct rly_fetch_opts o;
	struct px_buf cs = PX_BUF_INIT, cons = PX_BUF_INIT;
	struct px_err err = { 0 };
	struct ibc_msg m;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.chain_id = CHAIN;
	assert_true(rly_create_client_build(&err, &cs, &cons, h, &o));

	assert_true(ibc_msg_decode_any(&err, &m, cs.data, cs.len));
	assert_int_equal(m.kind, IBC_MSG_TM_CLIENT_STATE);
	{
		const struct ibc_tm_client_state *s = &m.u.tm_client_state;

		assert_string_equal(s->chain_id, CHAIN);
		assert_int_equal(s->trust_level.numerator, 1);
		assert_int_equal(s->trust_level.denominator, 3);
		assert_int_equal(s->trusting_period, 336ull * 3600 * 1000000000);
		assert_int_equal(s->unbonding_period, RLY_FETCH_UNBONDING_DEFAULT_NS);
		assert_int_equal(s->max_clock_drift, 10ull * 1000000000);
		assert_int_equal(s->latest_height.revision_number, 3);
		assert_int_equal(s->latest_height.revision_height, 9);
		assert_true(ibc_height_is_zero(s->frozen_height));
		assert_int_equal(s->proof_specs_len, 2);
		assert_string_equal(s->proof_specs[0], "iavl");
		assert_string_equal(s->proof_specs[1], "tendermint");
		assert_int_equal(s->upgrade_path_len, 2);
		assert_string_equal(s->upgrade_path[0], "upgrade");
		assert_string_equal(s->upgrade_path[1], "upgradedIBCState");
		assert_false(s->allow_update_after_expiry);
	}
	ibc_msg_free(&m);

	assert_true(ibc_msg_decode_any(&err, &m, cons.data, cons.len));
	assert_int_equal(m.kind, IBC_MSG_TM_CONSENSUS_STATE);
	assert_int_equal(m.u.tm_consensus_state.timestamp.seconds, h->time.seconds);
	assert_int_equal(m.u.tm_consensus_state.root_len, h->app_hash.len);
	assert_memory_equal(m.u.tm_consensus_state.root, h->app_hash.b, h->app_hash.len);
	assert_memory_equal(m.u.tm_consensus_state.next_validators_hash, h->next_validators_hash.b, 32);
	ibc_msg_free(&m);

	/* another chain id, and a trusting period not below unbonding:
	 * nothing is appended */
	o.chain_id = "other-3";
	px_err_clear(&err);
	assert_false(rly_create_client_build(&err, &cs, &cons, h, &o));
	assert_code(&err, PX_E_CHAIN_ID);
	o.chain_id = CHAIN;
	o.unbonding_ns = 3600ull * 1000000000;
	{
		size_t before = cs.len;

		px_err_clear(&err);
		assert_false(rly_create_client_build(&err, &cs, &cons, h, &o));
		assert_code(&err, PX_E_USAGE);
		assert_int_equal(cs.len, before);
	}
	px_buf_free(&cs);
	px_buf_free(&cons);
}

/* ---- update header ------------------------------------------------------------- */

static void anchor(struct tm_trusted *out, int64_t h)
{
	struct px_err err = { 0 };

	assert_true(tm_trust_anchor(&err, out, tc_chain_at(&chain, h)));
}

/* Decodes a Header Any and verifies it as ibc-go's 07-tendermint does:
 * from the trusted header, with the header's trusted validators as the
 * trusted next set and the header's validator set as the new block's.
 * Returns the error code (0: verified). */
static int verify_like_ibc_go(const struct px_buf *any, const struct tm_trusted *trusted_state,
			      struct ibc_height *trusted_height)
{
	struct px_err err = { 0 };
	struct ibc_msg m;
	struct tm_trusted trusted, out;
	struct tm_light_block untrusted;
	struct ibc_tm_header *th;
	struct px_time now = tc_time(TC_T0 + 1000);
	struct tm_options o;

	assert_true(ibc_msg_decode_any(&err, &m, any->data, any->len));
	assert_int_equal(m.kind, IBC_MSG_TM_HEADER);
	th = &m.u.tm_header;
	assert_true(th->has_signed_header && th->has_validator_set && th->has_trusted_validators);
	assert_true(th->validator_set.has_proposer && th->trusted_validators.has_proposer);
	*trusted_height = th->trusted_height;

	memset(&trusted, 0, sizeof(trusted));
	trusted.header = trusted_state->header;
	memcpy(trusted.hash, trusted_state->hash, 32);
	assert_true(tm_validator_set_copy(&err, &trusted.next_validators,
					  &th->trusted_validators.set));
	assert_true(tm_validator_set_normalize(&err, &trusted.next_validators));
	memset(&untrusted, 0, sizeof(untrusted));
	untrusted.signed_header.header = th->signed_header.sh.header;
	assert_true(tm_commit_copy(&err, &untrusted.signed_header.commit,
				   &th->signed_header.sh.commit));
	assert_true(tm_validator_set_copy(&err, &untrusted.validators, &th->validator_set.set));
	assert_true(tm_validator_set_normalize(&err, &untrusted.validators));
	untrusted.has_validators = true;
	tm_options_default(&o);
	if (tm_verify(&err, &out, &trusted, &untrusted, &o, now))
		tm_trusted_free(&out);
	tm_light_block_free(&untrusted);
	tm_trusted_free(&trusted);
	ibc_msg_free(&m);
	return err.code;
}

static void test_update_header(void **state)
{
	struct tm_trusted t4, t8;
	struct px_buf any = PX_BUF_INIT;
	struct px_err err = { 0 };
	struct ibc_height th;
	struct ibc_msg m;
	const struct tm_light_block *b8 = tc_chain_at(&chain, 8);

	(void)state;
	anchor(&t4, 4);
	anchor(&t8, 8);
	/* trusted validators: the next set of 4 (the set at 5) */
	assert_true(rly_update_header_build(&err, &any, CHAIN, &t8, b8, &t4,
					    &tc_chain_at(&chain, 4)->next_validators));
	assert_int_equal(verify_like_ibc_go(&any, &t4, &th), 0);
	assert_int_equal(th.revision_number, 3);
	assert_int_equal(th.revision_height, 4);

	/* the encoded header is the block, its set and the proposer it names */
	assert_true(ibc_msg_decode_any(&err, &m, any.data, any.len));
	{
		uint8_t hh[32];

		assert_true(tm_header_hash(&err, hh, &m.u.tm_header.signed_header.sh.header));
		assert_memory_equal(hh, t8.hash, 32);
		assert_int_equal(m.u.tm_header.validator_set.set.len, b8->validators.len);
		assert_memory_equal(m.u.tm_header.validator_set.proposer.address,
				    b8->signed_header.header.proposer_address.b, 20);
		assert_int_equal(m.u.tm_header.signed_header.sh.commit.len,
				 b8->signed_header.commit.len);
	}
	ibc_msg_free(&m);

	/* a target the trusted set does not reach verifies nowhere (the
	 * counterparty would refuse it): NOT ENOUGH TRUST */
	{
		struct tm_trusted t14;
		struct px_buf far = PX_BUF_INIT;

		anchor(&t14, 14);
		px_err_clear(&err);
		assert_true(rly_update_header_build(&err, &far, CHAIN, &t14, tc_chain_at(&chain, 14),
						    &t4, &tc_chain_at(&chain, 4)->next_validators));
		assert_int_equal(verify_like_ibc_go(&far, &t4, &th), PX_E_NOT_ENOUGH_TRUST);
		px_buf_free(&far);
		tm_trusted_free(&t14);
	}
	px_buf_free(&any);
	tm_trusted_free(&t4);
	tm_trusted_free(&t8);
}

static void test_update_header_refusals(void **state)
{
	struct tm_trusted t4, t8;
	struct px_buf any = PX_BUF_INIT;
	struct px_err err = { 0 };
	struct tm_light_block bad;
	const struct tm_validator_set *tv = &tc_chain_at(&chain, 4)->next_validators;
	const struct tm_light_block *b8 = tc_chain_at(&chain, 8);

	(void)state;
	anchor(&t4, 4);
	anchor(&t8, 8);

	/* trusted validators that are not the set at trusted + 1 */
	assert_false(rly_update_header_build(&err, &any, CHAIN, &t8, b8, &t4,
					     &tc_chain_at(&chain, 12)->validators));
	assert_code(&err, PX_E_VALSET_HASH);
	/* a validator set for the block that is not its own */
	assert_true(tm_light_block_copy(&err, &bad, b8));
	tm_validator_set_free(&bad.validators);
	assert_true(tm_validator_set_copy(&err, &bad.validators, &tc_chain_at(&chain, 2)->validators));
	px_err_clear(&err);
	assert_false(rly_update_header_build(&err, &any, CHAIN, &t8, &bad, &t4, tv));
	assert_code(&err, PX_E_VALSET_HASH);
	tm_light_block_free(&bad);
	/* a fetched block that is not the verified one */
	px_err_clear(&err);
	assert_false(rly_update_header_build(&err, &any, CHAIN, &t8, tc_chain_at(&chain, 9), &t4, tv));
	assert_code(&err, PX_E_BLOCK_ID);
	/* a commit whose signature does not check */
	assert_true(tm_light_block_copy(&err, &bad, b8));
	bad.signed_header.commit.sigs[0].signature[3] ^= 1;
	px_err_clear(&err);
	assert_false(rly_update_header_build(&err, &any, CHAIN, &t8, &bad, &t4, tv));
	assert_verify_code(&err);
	tm_light_block_free(&bad);
	/* another chain id, and heights out of order */
	px_err_clear(&err);
	assert_false(rly_update_header_build(&err, &any, "other-3", &t8, b8, &t4, tv));
	assert_code(&err, PX_E_CHAIN_ID);
	px_err_clear(&err);
	assert_false(rly_update_header_build(&err, &any, CHAIN, &t4, tc_chain_at(&chain, 4), &t8,
					     &b8->next_validators));
	assert_code(&err, PX_E_HEIGHT);
	/* nothing was appended by any refusal */
	assert_int_equal(any.len, 0);
	tm_trusted_free(&t4);
	tm_trusted_free(&t8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proof_member),
		cmocka_unit_test(test_proof_absent),
		cmocka_unit_test(test_proof_refusals),
		cmocka_unit_test(test_create_client),
		cmocka_unit_test(test_update_header),
		cmocka_unit_test(test_update_header_refusals),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
