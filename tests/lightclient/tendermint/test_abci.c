/* Unit tests for lightclient/tendermint/abci.c: abci_query responses built
 * from a small IAVL store under a multistore (testproofs.c) verify against
 * the app hash, for present and absent keys; every way of breaking the
 * chain fails with the code of its rule: wrong app hash, wrong store name,
 * swapped or unknown op types, op key different from the response key,
 * changed value, absence claimed for a present key (and the reverse),
 * missing or extra ops, a failed query, bad base64, caps. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/encoding.h"
#include "common/protobuf.h"
#include "lightclient/tendermint/abci.h"
#include "testproofs.h"

static struct tp_state st;

#define KEY3 "commitments/ports/transfer/channels/channel-0/sequences/3"
#define KEY_ABSENT "commitments/ports/transfer/channels/channel-0/sequences/45"

static void assert_code(const struct px_err *err, int code)
{
	if (err->code != code)
		fail_msg("code %d (%s: %s), want %d (%s)", err->code, px_code_name(err->code),
			 err->msg, code, px_code_name(code));
}

static json_t *response_of(json_t *doc)
{
	return json_object_get(json_object_get(doc, "result"), "response");
}

static json_t *op_of(json_t *doc, size_t i)
{
	return json_array_get(json_object_get(json_object_get(response_of(doc), "proofOps"), "ops"),
			      i);
}

static void set_b64(json_t *obj, const char *field, const void *data, size_t len)
{
	struct px_buf b = PX_BUF_INIT;

	px_base64_encode(&b, data, len, PX_B64_STD, true);
	assert_true(px_buf_ok(&b));
	json_object_set_new(obj, field, json_stringn(b.data ? (const char *)b.data : "", b.len));
	px_buf_free(&b);
}

/* Parses and verifies doc against app_hash; returns the error code. */
static int run(json_t *doc, const uint8_t *app_hash, struct tm_abci_result *res,
	       struct px_err *err)
{
	struct tm_abci_response r;

	px_err_clear(err);
	if (!tm_abci_response_from_json(err, &r, doc))
		return err->code;
	if (!tm_abci_response_verify(err, res, &r, app_hash, 32))
		assert_true(px_err_is_set(err));
	tm_abci_response_free(&r);
	return err->code;
}

static int setup(void **state)
{
	tp_state_build(&st);
	return 0;
}

static void test_member_verifies(void **state)
{
	struct tm_abci_result res;
	struct tm_abci_response r;
	struct px_err err = { 0 };
	json_t *doc = tp_abci_response(&st, KEY3, 41);

	assert_int_equal(run(doc, st.app_hash, &res, &err), 0);
	assert_true(res.exists);
	assert_int_equal(res.store_root_len, 32);
	assert_memory_equal(res.store_root, st.iavl_root, 32);
	assert_true(tm_abci_response_from_json(&err, &r, doc));
	assert_int_equal(r.height, 41);
	assert_int_equal(r.store.len, 3);
	assert_memory_equal(r.store.data, "ibc", 3);
	assert_int_equal(r.value.len, strlen(st.items[2].value));
	tm_abci_response_free(&r);
	json_decref(doc);
}

static void test_every_key_and_gap(void **state)
{
	struct tm_abci_result res;
	struct px_err err = { 0 };

	for (size_t i = 0; i < st.nitems; i++) {
		json_t *doc = tp_abci_response(&st, st.items[i].key, 5);

		assert_int_equal(run(doc, st.app_hash, &res, &err), 0);
		assert_true(res.exists);
		json_decref(doc);
	}
	/* before the first, between, after the last */
	const char *gaps[] = { "a", KEY_ABSENT, "zzz", "commitments/ports/transfer/channels/channel-0/sequences/35" };
	for (size_t i = 0; i < sizeof(gaps) / sizeof(gaps[0]); i++) {
		json_t *doc = tp_abci_response(&st, gaps[i], 5);

		if (run(doc, st.app_hash, &res, &err) != 0)
			fail_msg("gap %s: %s", gaps[i], err.msg);
		assert_false(res.exists);
		json_decref(doc);
	}
}

static void test_unwrapped_and_snake_case(void **state)
{
	struct tm_abci_result res;
	struct px_err err = { 0 };
	json_t *doc = tp_abci_response(&st, KEY3, 9);
	json_t *resp = json_incref(response_of(doc));
	json_t *ops = json_incref(json_object_get(resp, "proofOps"));

	/* the bare response object, with proof_ops spelled as in Go's json tag */
	json_object_del(resp, "proofOps");
	json_object_set_new(resp, "proof_ops", ops);
	json_decref(doc);
	doc = json_pack("{s:{s:o}}", "result", "response", json_incref(resp));
	assert_int_equal(run(doc, st.app_hash, &res, &err), 0);
	json_decref(doc);
	doc = json_pack("{s:o}", "response", json_incref(resp));
	assert_int_equal(run(doc, st.app_hash, &res, &err), 0);
	json_decref(doc);
	assert_int_equal(run(resp, st.app_hash, &res, &err), 0);
	/* both spellings at once is ambiguous */
	json_object_set(resp, "proofOps", json_object_get(resp, "proof_ops"));
	assert_int_equal(run(resp, st.app_hash, &res, &err), PX_E_JSON);
	json_decref(resp);
}

static void test_wrong_app_hash(void **state)
{
	struct tm_abci_result res;
	struct px_err err = { 0 };
	json_t *doc = tp_abci_response(&st, KEY3, 9);
	uint8_t bad[32];

	memcpy(bad, st.app_hash, 32);
	bad[31] ^= 1;
	assert_int_equal(run(doc, bad, &res, &err), PX_E_ROOT_MISMATCH);
	json_decref(doc);
	doc = tp_abci_response(&st, KEY_ABSENT, 9);
	assert_int_equal(run(doc, bad, &res, &err), PX_E_ROOT_MISMATCH);
	json_decref(doc);
}

static void test_wrong_store_name(void **state)
{
	struct tm_abci_result res;
	struct px_err err = { 0 };
	json_t *doc = tp_abci_response(&st, KEY3, 9);

	set_b64(op_of(doc, 1), "key", "bank", 4);
	assert_int_equal(run(doc, st.app_hash, &res, &err), PX_E_KEY_MISMATCH);
	json_decref(doc);
}

static void test_swapped_ops(void **state)
{
	struct tm_abci_result res;
	struct px_err err = { 0 };
	json_t *doc = tp_abci_response(&st, KEY3, 9);
	json_t *ops = json_object_get(json_object_get(response_of(doc), "proofOps"), "ops");
	json_t *first = json_incref(json_array_get(ops, 0));

	json_array_remove(ops, 0);
	json_array_append_new(ops, first);
	assert_int_equal(run(doc, st.app_hash, &res, &err), PX_E_PROOF_SHAPE);
	json_decref(doc);

	/* the types relabelled in place: shape still wrong */
	doc = tp_abci_response(&st, KEY3, 9);
	json_object_set_new(op_of(doc, 0), "type", json_string("ics23:simple"));
	json_object_set_new(op_of(doc, 1), "type", json_string("ics23:iavl"));
	assert_int_equal(run(doc, st.app_hash, &res, &err), PX_E_PROOF_SHAPE);
	json_decref(doc);
}

static void test_wrong_op_type(void **state)
{
	struct tm_abci_result res;
	struct px_err err = { 0 };
	json_t *doc = tp_abci_response(&st, KEY3, 9);

	json_object_set_new(op_of(doc, 0), "type", json_string("iavl:v"));
	assert_int_equal(run(doc, st.app_hash, &res, &err), PX_E_UNSUPPORTED);
	json_decref(doc);
	doc = tp_abci_response(&st, KEY3, 9);
	json_object_set_new(op_of(doc, 1), "type", json_string("multistore"));
	assert_int_equal(run(doc, st.app_hash, &res, &err), PX_E_UNSUPPORTED);
	json_decref(doc);
	doc = tp_abci_response(&st, KEY3, 9);
	json_object_set_new(op_of(doc, 1), "type", json_integer(3));
	assert_int_equal(run(doc, st.app_hash, &res, &err), PX_E_JSON);
	json_decref(doc);
}

static void test_op_count(void **state)
{
	struct tm_abci_result res;
	struct px_err err = { 0 };
	json_t *doc = tp_abci_response(&st, KEY3, 9);
	json_t *ops = json_object_get(json_object_get(response_of(doc), "proofOps"), "ops");

	json_array_append(ops, json_array_get(ops, 1));
	assert_int_equal(run(doc, st.app_hash, &res, &err), PX_E_PROOF_SHAPE);
	json_array_remove(ops, 2);
	json_array_remove(ops, 1);
	assert_int_equal(run(doc, st.app_hash, &res, &err), PX_E_PROOF_SHAPE);
	json_object_del(response_of(doc), "proofOps");
	assert_int_equal(run(doc, st.app_hash, &res, &err), PX_E_PROOF_SHAPE);
	json_decref(doc);
}

static void test_key_mismatch(void **state)
{
	struct tm_abci_result res;
	struct px_err err = { 0 };
	const char *other = "commitments/ports/transfer/channels/channel-0/sequences/4";
	json_t *doc = tp_abci_response(&st, KEY3, 9);

	/* the op proves KEY3 but the response claims another key */
	set_b64(response_of(doc), "key", other, strlen(other));
	assert_int_equal(run(doc, st.app_hash, &res, &err), PX_E_KEY_MISMATCH);
	/* both keys changed together: the proof is for KEY3 still */
	set_b64(op_of(doc, 0), "key", other, strlen(other));
	assert_int_equal(run(doc, st.app_hash, &res, &err), PX_E_KEY_MISMATCH);
	json_decref(doc);
}

static void test_value_mismatch(void **state)
{
	struct tm_abci_result res;
	struct px_err err = { 0 };
	json_t *doc = tp_abci_response(&st, KEY3, 9);

	set_b64(response_of(doc), "value", "forged", 6);
	assert_int_equal(run(doc, st.app_hash, &res, &err), PX_E_VALUE_MISMATCH);
	json_decref(doc);
}

static void test_absence_claims(void **state)
{
	struct tm_abci_result res;
	struct px_err err = { 0 };
	json_t *doc = tp_abci_response(&st, KEY3, 9);

	/* a present key said to be absent (value removed, null or empty) */
	json_object_del(response_of(doc), "value");
	assert_int_equal(run(doc, st.app_hash, &res, &err), PX_E_NO_PROOF_FOR_KEY);
	json_object_set_new(response_of(doc), "value", json_null());
	assert_int_equal(run(doc, st.app_hash, &res, &err), PX_E_NO_PROOF_FOR_KEY);
	json_object_set_new(response_of(doc), "value", json_string(""));
	assert_int_equal(run(doc, st.app_hash, &res, &err), PX_E_NO_PROOF_FOR_KEY);
	json_decref(doc);

	/* an absent key given a value: the absence proof proves no membership */
	doc = tp_abci_response(&st, KEY_ABSENT, 9);
	set_b64(response_of(doc), "value", "made up", 7);
	assert_int_equal(run(doc, st.app_hash, &res, &err), PX_E_NO_PROOF_FOR_KEY);
	json_decref(doc);
}

static void test_failed_query_and_malformed(void **state)
{
	struct tm_abci_result res;
	struct px_err err = { 0 };
	json_t *doc = tp_abci_response(&st, KEY3, 9);
	json_t *resp = response_of(doc);

	json_object_set_new(resp, "code", json_integer(18));
	json_object_set_new(resp, "log", json_string("key not found"));
	assert_int_equal(run(doc, st.app_hash, &res, &err), PX_E_RPC);
	assert_non_null(strstr(err.msg, "key not found"));
	json_object_set_new(resp, "code", json_integer(0));

	json_object_set_new(resp, "height", json_string("0"));
	assert_int_equal(run(doc, st.app_hash, &res, &err), PX_E_MALFORMED);
	json_object_set_new(resp, "height", json_string("-3"));
	assert_int_equal(run(doc, st.app_hash, &res, &err), PX_E_MALFORMED);
	json_object_set_new(resp, "height", json_string("007"));
	assert_true(run(doc, st.app_hash, &res, &err) / 100 == 2);
	json_object_del(resp, "height");
	assert_int_equal(run(doc, st.app_hash, &res, &err), PX_E_JSON);
	assert_non_null(strstr(err.msg, "height"));
	json_object_set_new(resp, "height", json_string("9"));

	json_object_set_new(op_of(doc, 0), "data", json_string("!!not base64"));
	assert_true(run(doc, st.app_hash, &res, &err) / 100 == 2);
	json_object_set_new(op_of(doc, 0), "data", json_string(""));
	assert_int_equal(run(doc, st.app_hash, &res, &err), PX_E_MALFORMED);
	/* proof bytes that are not a CommitmentProof */
	set_b64(op_of(doc, 0), "data", "\xff\xff\xff", 3);
	assert_int_equal(run(doc, st.app_hash, &res, &err), PX_E_MALFORMED);
	json_decref(doc);

	doc = json_pack("[]");
	assert_int_equal(run(doc, st.app_hash, &res, &err), PX_E_JSON);
	json_decref(doc);
}

static void test_caps(void **state)
{
	struct tm_abci_result res;
	struct px_err err = { 0 };
	json_t *doc = tp_abci_response(&st, KEY3, 9);
	char *big = malloc(200);

	assert_non_null(big);
	memset(big, 's', 200);
	set_b64(op_of(doc, 1), "key", big, 200);	/* store name over 128 bytes */
	assert_int_equal(run(doc, st.app_hash, &res, &err), PX_E_TOO_LARGE);
	free(big);
	json_decref(doc);
}

static void test_direct_and_merkle_proof(void **state)
{
	struct px_buf iavl = PX_BUF_INIT, store = PX_BUF_INIT, mp = PX_BUF_INIT;
	struct px_slice a, b;
	struct tm_abci_result res;
	struct px_err err = { 0 };
	const char *v = st.items[2].value;
	int64_t h;

	tp_iavl_exist(&iavl, &st, 2);
	tp_store_exist(&store, &st, st.ibc);
	assert_true(tm_abci_verify(&err, &res, st.app_hash, 32, (const uint8_t *)"ibc", 3,
				   (const uint8_t *)KEY3, strlen(KEY3), (const uint8_t *)v,
				   strlen(v), iavl.data, iavl.len, store.data, store.len));
	/* the proofs in the wrong order */
	assert_false(tm_abci_verify(&err, &res, st.app_hash, 32, (const uint8_t *)"ibc", 3,
				    (const uint8_t *)KEY3, strlen(KEY3), (const uint8_t *)v,
				    strlen(v), store.data, store.len, iavl.data, iavl.len));
	assert_true(err.code / 100 == 3);

	/* MerkleProof { repeated CommitmentProof proofs = 1 } */
	px_pb_put_bytes(&mp, 1, iavl.data, iavl.len);
	px_pb_put_bytes(&mp, 1, store.data, store.len);
	px_err_clear(&err);
	assert_true(tm_merkle_proof_split(&err, &a, &b, mp.data, mp.len));
	assert_int_equal(a.len, iavl.len);
	assert_int_equal(b.len, store.len);
	assert_false(tm_merkle_proof_split(&err, &a, &b, mp.data, iavl.len + 2));
	assert_true(err.code / 100 == 2 || err.code == PX_E_PROOF_SHAPE);
	px_pb_put_bytes(&mp, 1, store.data, store.len);
	px_err_clear(&err);
	assert_false(tm_merkle_proof_split(&err, &a, &b, mp.data, mp.len));
	assert_code(&err, PX_E_PROOF_SHAPE);
	px_err_clear(&err);
	assert_false(tm_merkle_proof_split(&err, &a, &b, mp.data, mp.len - 1));
	assert_code(&err, PX_E_MALFORMED);

	assert_true(tm_abci_proof_height(&h, 41));
	assert_int_equal(h, 42);
	assert_false(tm_abci_proof_height(&h, 0));
	assert_false(tm_abci_proof_height(&h, INT64_MAX));
	px_buf_free(&iavl);
	px_buf_free(&store);
	px_buf_free(&mp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_member_verifies),
		cmocka_unit_test(test_every_key_and_gap),
		cmocka_unit_test(test_unwrapped_and_snake_case),
		cmocka_unit_test(test_wrong_app_hash),
		cmocka_unit_test(test_wrong_store_name),
		cmocka_unit_test(test_swapped_ops),
		cmocka_unit_test(test_wrong_op_type),
		cmocka_unit_test(test_op_count),
		cmocka_unit_test(test_key_mismatch),
		cmocka_unit_test(test_value_mismatch),
		cmocka_unit_test(test_absence_claims),
		cmocka_unit_test(test_failed_query_and_malformed),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_direct_and_merkle_proof),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
