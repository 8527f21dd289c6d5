/* Unit tests for relayer/txsub.c and txsub_parse.c: the fee rounds up and
 * never overflows, the gas adjustment rounds up and saturates, the
 * "expected N" of a sequence-mismatch log is read strictly, Account and tx
 * replies decode (absent fields as CometBFT leaves them out) and malformed
 * ones are refused with the right code; the submitter checks its options
 * and its arguments, and against a node that is not there fails with an
 * RPC error in bounded time instead of hanging. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "common/encoding.h"
#include "common/protobuf.h"
#include "relayer/txsub.h"

static const char priv1[] = "c4a48e2fce1481cd3294b4490f6678090ea98d3d0e5cd984558ab0968741b104";

/* ---- fee ---- */

static void fee_is(uint64_t gas, uint64_t units, uint32_t decimals, const char *want)
{
	struct rly_decimal p = { units, decimals };
	struct px_err err = { 0 };
	char out[64];

	assert_true(rly_txsub_fee_amount(&err, out, sizeof(out), gas, &p));
	assert_string_equal(out, want);
}

static void test_fee(void **state)
{
	struct rly_decimal p = { 25, 3 };
	struct px_err err = { 0 };
	char out[64], small[4];

	(void)state;
	fee_is(200000, 25, 3, "5000");			/* exact */
	fee_is(100001, 25, 3, "2501");			/* 2500.025 rounds up */
	fee_is(1, 25, 3, "1");				/* 0.025 rounds up to 1 */
	fee_is(0, 25, 3, "0");
	fee_is(400000, 0, 0, "0");			/* free chain */
	fee_is(3, 1, 18, "1");				/* 3e-18 */
	fee_is(1000000, 1, 0, "1000000");
	fee_is(UINT64_MAX, UINT64_MAX, 0, "340282366920938463426481119284349108225");
	fee_is(UINT64_MAX, UINT64_MAX, 18, "340282366920938463427");
	/* 18 decimals is the most a gas price may have */
	p.decimals = 19;
	assert_false(rly_txsub_fee_amount(&err, out, sizeof(out), 1, &p));
	assert_int_equal(err.code, PX_E_USAGE);
	p.decimals = 3;
	px_err_clear(&err);
	assert_false(rly_txsub_fee_amount(&err, small, sizeof(small), 200000, &p));
	assert_int_equal(err.code, PX_E_USAGE);
	px_err_clear(&err);
	assert_true(rly_txsub_fee_amount(&err, small, sizeof(small), 39960, &p));
	assert_string_equal(small, "999");
}

static void test_gas_adjust(void **state)
{
	struct rly_decimal a13 = { 13, 1 }, one = { 1, 0 }, big = { 10, 0 }, bad = { 1, 19 };

	(void)state;
	assert_int_equal(rly_txsub_gas_adjust(100000, &a13), 130000);
	assert_int_equal(rly_txsub_gas_adjust(100001, &a13), 130002);	/* 130001.3 */
	assert_int_equal(rly_txsub_gas_adjust(7, &one), 7);
	assert_int_equal(rly_txsub_gas_adjust(0, &a13), 0);
	assert_true(rly_txsub_gas_adjust(UINT64_MAX / 2, &big) == UINT64_MAX);
	assert_true(rly_txsub_gas_adjust(5, &bad) == UINT64_MAX);
}

/* ---- sequence mismatch logs ---- */

static void test_expected_sequence(void **state)
{
	uint64_t v = 77;

	(void)state;
	assert_true(rly_txsub_expected_sequence(
		&v, "account sequence mismatch, expected 5, got 3: incorrect account sequence"));
	assert_int_equal(v, 5);
	assert_true(rly_txsub_expected_sequence(
		&v, "signature verification failed; account sequence mismatch, expected 0, got 1: "
		    "incorrect account sequence"));
	assert_int_equal(v, 0);
	assert_true(rly_txsub_expected_sequence(
		&v, "account sequence mismatch, expected 18446744073709551615, got 3"));
	assert_true(v == UINT64_MAX);
	v = 77;
	/* every refusal leaves v alone */
	assert_false(rly_txsub_expected_sequence(&v, NULL));
	assert_false(rly_txsub_expected_sequence(&v, ""));
	assert_false(rly_txsub_expected_sequence(&v, "insufficient funds: expected 5"));
	assert_false(rly_txsub_expected_sequence(&v, "account sequence mismatch"));
	assert_false(rly_txsub_expected_sequence(&v, "account sequence mismatch, expected , got 3"));
	assert_false(rly_txsub_expected_sequence(&v, "account sequence mismatch, expected x5, got 3"));
	assert_false(rly_txsub_expected_sequence(&v, "account sequence mismatch, expected -5, got 3"));
	assert_false(rly_txsub_expected_sequence(&v, "account sequence mismatch, expected 007, got 3"));
	assert_false(rly_txsub_expected_sequence(
		&v, "account sequence mismatch, expected 18446744073709551616, got 3"));
	assert_false(rly_txsub_expected_sequence(
		&v, "account sequence mismatch, expected 123456789012345678901234, got 3"));
	assert_int_equal(v, 77);
}

/* ---- Account replies ---- */

/* QueryAccountResponse{Any{type_url, BaseAccount{...}}}. number or
 * sequence UINT64_MAX leaves the field out. */
static void account_bytes(struct px_buf *out, const char *type_url, const char *addr, bool pub,
			  uint64_t number, uint64_t sequence)
{
	struct px_buf acc = PX_BUF_INIT, any = PX_BUF_INIT, pk = PX_BUF_INIT;

	if (addr)
		px_pb_put_bytes(&acc, 1, (const uint8_t *)addr, strlen(addr));
	if (pub) {
		uint8_t key[33] = { 0x02, 1, 2, 3 };

		px_pb_put_bytes(&pk, 1, key, sizeof(key));
		px_pb_put_bytes(&any, 1, (const uint8_t *)COSMOS_SECP256K1_PUBKEY_URL,
				strlen(COSMOS_SECP256K1_PUBKEY_URL));
		px_pb_put_bytes(&any, 2, pk.data, pk.len);
		px_pb_put_bytes(&acc, 2, any.data, any.len);
		px_buf_reset(&any);
	}
	if (number != UINT64_MAX)
		px_pb_put_uint64(&acc, 3, number);
	if (sequence != UINT64_MAX)
		px_pb_put_uint64(&acc, 4, sequence);
	px_pb_put_bytes(&any, 1, (const uint8_t *)type_url, strlen(type_url));
	px_pb_put_bytes(&any, 2, acc.data, acc.len);
	px_pb_put_bytes(out, 1, any.data, any.len);
	assert_true(px_buf_ok(out));
	px_buf_free(&acc);
	px_buf_free(&any);
	px_buf_free(&pk);
}

#define BASE "/cosmos.auth.v1beta1.BaseAccount"
#define ADDR "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu"

static void test_account_decode(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	struct rly_account a;
	struct px_err err = { 0 };

	(void)state;
	account_bytes(&b, BASE, ADDR, true, 7, 42);
	assert_true(rly_account_decode(&err, &a, b.data, b.len));
	assert_string_equal(a.address, ADDR);
	assert_int_equal(a.number, 7);
	assert_int_equal(a.sequence, 42);
	assert_true(a.has_pub_key);

	/* a new account: no key, number and sequence 0 left out */
	px_buf_reset(&b);
	account_bytes(&b, BASE, ADDR, false, UINT64_MAX, UINT64_MAX);
	assert_true(rly_account_decode(&err, &a, b.data, b.len));
	assert_int_equal(a.number, 0);
	assert_int_equal(a.sequence, 0);
	assert_false(a.has_pub_key);

	/* unknown fields (a later SDK) are skipped */
	px_pb_put_uint64(&b, 9, 1);
	assert_true(rly_account_decode(&err, &a, b.data, b.len));

	/* every cut of a good reply is refused, none crashes */
	px_buf_reset(&b);
	account_bytes(&b, BASE, ADDR, true, 7, 42);
	for (size_t cut = 0; cut < b.len; cut++) {
		px_err_clear(&err);
		assert_false(rly_account_decode(&err, &a, b.data, cut));
		assert_int_equal(err.code, PX_E_MALFORMED);
		assert_int_equal(a.sequence, 0);	/* zeroed */
	}
	px_buf_free(&b);
}

static void decode_fails(struct px_buf *b, int code, const char *words)
{
	struct rly_account a;
	struct px_err err = { 0 };

	assert_false(rly_account_decode(&err, &a, b->data, b->len));
	assert_int_equal(err.code, code);
	if (!strstr(err.msg, words))
		fail_msg("'%s' lacks '%s'", err.msg, words);
	assert_string_equal(a.address, "");
	px_buf_reset(b);
}

static void test_account_malformed(void **state)
{
	struct px_buf b = PX_BUF_INIT, acc = PX_BUF_INIT, any = PX_BUF_INIT;

	(void)state;
	account_bytes(&b, "/cosmos.auth.v1beta1.ModuleAccount", ADDR, false, 1, 1);
	decode_fails(&b, PX_E_UNSUPPORTED, "ModuleAccount");
	account_bytes(&b, BASE, NULL, false, 1, 1);
	decode_fails(&b, PX_E_MALFORMED, "without an address");
	account_bytes(&b, BASE, "cosmos1 x", false, 1, 1);
	decode_fails(&b, PX_E_MALFORMED, "bech32");
	decode_fails(&b, PX_E_MALFORMED, "no account");		/* empty reply */

	/* sequence sent as a string */
	px_pb_put_bytes(&acc, 1, (const uint8_t *)ADDR, strlen(ADDR));
	px_pb_put_bytes(&acc, 4, (const uint8_t *)"5", 1);
	px_pb_put_bytes(&any, 1, (const uint8_t *)BASE, strlen(BASE));
	px_pb_put_bytes(&any, 2, acc.data, acc.len);
	px_pb_put_bytes(&b, 1, any.data, any.len);
	decode_fails(&b, PX_E_MALFORMED, "BaseAccount");

	/* an Any without its value */
	px_buf_reset(&any);
	px_pb_put_bytes(&any, 1, (const uint8_t *)BASE, strlen(BASE));
	px_pb_put_bytes(&b, 1, any.data, any.len);
	decode_fails(&b, PX_E_MALFORMED, "without a value");

	/* a non-canonical varint in the account number */
	px_buf_reset(&acc);
	px_buf_reset(&any);
	px_pb_put_bytes(&acc, 1, (const uint8_t *)ADDR, strlen(ADDR));
	px_buf_append(&acc, "\x18\x85\x00", 3);
	px_pb_put_bytes(&any, 1, (const uint8_t *)BASE, strlen(BASE));
	px_pb_put_bytes(&any, 2, acc.data, acc.len);
	px_pb_put_bytes(&b, 1, any.data, any.len);
	decode_fails(&b, PX_E_MALFORMED, "BaseAccount");

	/* the account field as a varint */
	px_pb_put_uint64(&b, 1, 5);
	decode_fails(&b, PX_E_MALFORMED, "account reply");
	px_buf_free(&b);
	px_buf_free(&acc);
	px_buf_free(&any);
}

static json_t *abci_result(const char *resp_json)
{
	json_error_t je;
	json_t *r = json_loads(resp_json, JSON_DECODE_ANY, &je);

	if (!r)
		fail_msg("bad test JSON: %s", je.text);
	return r;
}

static void test_account_reply(void **state)
{
	struct px_buf b = PX_BUF_INIT, b64 = PX_BUF_INIT;
	struct rly_account a;
	struct px_err err = { 0 };
	char text[1024];
	json_t *r;

	(void)state;
	account_bytes(&b, BASE, ADDR, true, 3, 9);
	px_base64_encode(&b64, b.data, b.len, PX_B64_STD, true);
	/* the shape CometBFT writes: code and log present, height a string */
	snprintf(text, sizeof(text),
		 "{\"response\":{\"code\":0,\"log\":\"\",\"info\":\"\",\"index\":\"0\","
		 "\"key\":null,\"value\":\"%.*s\",\"proofOps\":null,\"height\":\"12\","
		 "\"codespace\":\"\"}}", (int)b64.len, (const char *)b64.data);
	r = abci_result(text);
	assert_true(rly_account_reply(&err, &a, r));
	assert_int_equal(a.number, 3);
	assert_int_equal(a.sequence, 9);
	json_decref(r);
	/* fields left out as omitempty does */
	snprintf(text, sizeof(text), "{\"response\":{\"value\":\"%.*s\"}}", (int)b64.len,
		 (const char *)b64.data);
	r = abci_result(text);
	assert_true(rly_account_reply(&err, &a, r));
	assert_int_equal(a.sequence, 9);
	json_decref(r);

	/* the node refuses: the code and log are in the message */
	r = abci_result("{\"response\":{\"code\":22,\"codespace\":\"sdk\",\"log\":\"account "
			"cosmos1xyz not found: key not found\",\"value\":null}}");
	assert_false(rly_account_reply(&err, &a, r));
	assert_int_equal(err.code, PX_E_RPC);
	assert_non_null(strstr(err.msg, "code 22 (sdk)"));
	assert_non_null(strstr(err.msg, "not found"));
	json_decref(r);

	struct {
		const char *json;
		int code;
	} bad[] = {
		{ "{}", PX_E_JSON },
		{ "[]", PX_E_JSON },
		{ "{\"response\":5}", PX_E_JSON },
		{ "{\"response\":{\"code\":true}}", PX_E_JSON },
		{ "{\"response\":{\"code\":-1}}", PX_E_NUMBER },
		{ "{\"response\":{\"code\":4294967296}}", PX_E_JSON },
		{ "{\"response\":{\"log\":7}}", PX_E_JSON },
		{ "{\"response\":{\"height\":\"x\"}}", PX_E_NUMBER },
		{ "{\"response\":{\"value\":\"!!!\"}}", PX_E_ENCODING },
		{ "{\"response\":{\"value\":17}}", PX_E_JSON },
		{ "{\"response\":{}}", PX_E_MALFORMED },		/* no value, no account */
		{ "{\"response\":{\"value\":\"CgA=\"}}", PX_E_UNSUPPORTED }, /* Any{} */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		px_err_clear(&err);
		r = abci_result(bad[i].json);
		assert_false(rly_account_reply(&err, &a, r));
		if (err.code != bad[i].code)
			fail_msg("%s: code %d (%s), want %d", bad[i].json, err.code, err.msg,
				 bad[i].code);
		json_decref(r);
	}
	px_buf_free(&b);
	px_buf_free(&b64);
}

/* ---- tx replies ---- */

static void test_tx_reply(void **state)
{
	struct rly_tx_result t = { 0 };
	struct px_err err = { 0 };
	json_t *r, *events;

	(void)state;
	r = abci_result("{\"hash\":\"AB\",\"height\":\"17\",\"index\":0,\"tx_result\":{\"code\":0,"
			"\"data\":null,\"log\":\"\",\"info\":\"\",\"gas_wanted\":\"200000\","
			"\"gas_used\":\"71230\",\"events\":[{\"type\":\"transfer\",\"attributes\":[]}],"
			"\"codespace\":\"\"},\"tx\":\"\"}");
	assert_true(rly_tx_reply(&err, &t, r));
	assert_int_equal(t.height, 17);
	assert_int_equal(t.code, 0);
	assert_int_equal(t.gas_wanted, 200000);
	assert_int_equal(t.gas_used, 71230);
	assert_int_equal(json_array_size(t.events), 1);
	/* events are owned by the result: they outlive the reply */
	events = t.events;
	json_decref(r);
	assert_string_equal(json_string_value(json_object_get(json_array_get(events, 0), "type")),
			    "transfer");
	rly_tx_result_clear(&t);
	assert_null(t.events);

	/* a failed transaction: omitted fields read as zero, code reported */
	r = abci_result("{\"height\":\"3\",\"tx_result\":{\"code\":5,\"codespace\":\"sdk\","
			"\"log\":\"insufficient funds\"}}");
	assert_true(rly_tx_reply(&err, &t, r));
	assert_int_equal(t.code, 5);
	assert_string_equal(t.codespace, "sdk");
	assert_string_equal(t.log, "insufficient funds");
	assert_int_equal(t.gas_used, 0);
	assert_int_equal(json_array_size(t.events), 0);
	rly_tx_result_clear(&t);
	json_decref(r);

	const char *bad[] = {
		"{}",
		"7",
		"{\"height\":\"3\"}",
		"{\"height\":\"0\",\"tx_result\":{}}",
		"{\"height\":\"-2\",\"tx_result\":{}}",
		"{\"height\":\"03\",\"tx_result\":{}}",
		"{\"height\":\"3\",\"tx_result\":[]}",
		"{\"height\":\"3\",\"tx_result\":{\"code\":\"x\"}}",
		"{\"height\":\"3\",\"tx_result\":{\"events\":{}}}",
		"{\"height\":\"3\",\"tx_result\":{\"gas_used\":\"-1\"}}",
		"{\"height\":\"3\",\"tx_result\":{\"codespace\":1}}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		px_err_clear(&err);
		r = abci_result(bad[i]);
		assert_false(rly_tx_reply(&err, &t, r));
		if (err.code != PX_E_JSON && err.code != PX_E_NUMBER)
			fail_msg("%s: code %d (%s)", bad[i], err.code, err.msg);
		assert_null(t.events);
		assert_int_equal(t.height, 0);
		json_decref(r);
	}
}

static void test_abci_reply_log_cut(void **state)
{
	struct rly_abci_response ar;
	struct px_buf v = PX_BUF_INIT;
	struct px_err err = { 0 };
	char *text = malloc(5000);
	json_t *r;

	(void)state;
	memset(text, 'a', 4999);
	text[4999] = 0;
	r = json_pack("{s:{s:i, s:s, s:s}}", "response", "code", 11, "log", text, "codespace",
		      "sdk");
	assert_true(rly_abci_reply(&err, &ar, &v, r));
	assert_int_equal(ar.code, 11);
	assert_int_equal(strlen(ar.log), RLY_TX_LOG_MAX);
	assert_int_equal(v.len, 0);
	json_decref(r);
	free(text);
	px_buf_free(&v);
}

/* ---- the submitter without a node ---- */

static void test_open_and_usage(void **state)
{
	struct cmt_loop *loop;
	struct cmt_client *client;
	struct cmt_client_opts co = { .url = "ws://127.0.0.1:1/websocket",
				      .request_timeout_ms = 300, .backoff_min_ms = 50 };
	struct cosmos_key key;
	struct rly_txsub_opts o = { 0 };
	struct rly_txsub *s = NULL;
	struct rly_tx_result r;
	struct rly_txsub_state st;
	struct cosmos_any msg = { cosmos_str("/cosmos.bank.v1beta1.MsgSend"), cosmos_str("x") };
	struct px_err err = { 0 };
	struct timespec t0, t1;
	double took;

	(void)state;
	assert_true(cmt_loop_new(&err, &loop));
	assert_true(cmt_client_new(&err, &client, loop, &co));
	assert_true(cosmos_key_from_hex(&err, &key, priv1, strlen(priv1)));
	o.chain_id = "test-1";
	o.account_prefix = "cosmos";
	o.key = &key;
	o.gas_denom = "stake";
	o.gas_price = (struct rly_decimal){ 25, 3 };
	o.gas_default = 200000;
	o.timeout_ms = 300;

	/* refused options */
	struct rly_txsub_opts bad = o;
	bad.chain_id = "";
	assert_false(rly_txsub_open(&err, &s, loop, client, &bad));
	assert_int_equal(err.code, PX_E_USAGE);
	assert_null(s);
	bad = o;
	bad.gas_denom = "ab";
	px_err_clear(&err);
	assert_false(rly_txsub_open(&err, &s, loop, client, &bad));
	bad = o;
	bad.gas_default = 0;
	px_err_clear(&err);
	assert_false(rly_txsub_open(&err, &s, loop, client, &bad));
	bad = o;
	bad.gas_max = 1000;
	px_err_clear(&err);
	assert_false(rly_txsub_open(&err, &s, loop, client, &bad));
	bad = o;
	bad.simulate = true;
	bad.gas_adjustment = (struct rly_decimal){ 5, 1 };	/* 0.5 */
	px_err_clear(&err);
	assert_false(rly_txsub_open(&err, &s, loop, client, &bad));
	assert_non_null(strstr(err.msg, "adjustment"));
	bad.gas_adjustment = (struct rly_decimal){ 101, 1 };	/* 10.1 */
	px_err_clear(&err);
	assert_false(rly_txsub_open(&err, &s, loop, client, &bad));
	bad.gas_adjustment = (struct rly_decimal){ 10, 0 };	/* 10 is allowed */
	px_err_clear(&err);
	assert_true(rly_txsub_open(&err, &s, loop, client, &bad));
	rly_txsub_close(s);
	bad = o;
	bad.key = NULL;
	px_err_clear(&err);
	assert_false(rly_txsub_open(&err, &s, loop, client, &bad));
	px_err_clear(&err);
	assert_false(rly_txsub_open(&err, &s, NULL, client, &o));

	px_err_clear(&err);
	assert_true(rly_txsub_open(&err, &s, loop, client, &o));
	cosmos_key_wipe(&key);		/* the submitter keeps its own copy */
	assert_string_equal(rly_txsub_address(s), "cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4");
	rly_txsub_state(s, &st);
	assert_false(st.synced);

	/* usage errors are told apart from RPC failures */
	assert_false(rly_txsub_submit(&err, &r, s, &msg, 0, NULL));
	assert_int_equal(err.code, PX_E_USAGE);
	px_err_clear(&err);
	assert_false(rly_txsub_wait(&err, &r, s, "ABCD", 1000));
	assert_int_equal(err.code, PX_E_USAGE);
	px_err_clear(&err);
	assert_false(rly_txsub_wait(&err, &r, s,
				    "ZZ0102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
				    1000));
	assert_int_equal(err.code, PX_E_USAGE);

	/* nobody listens: an RPC error within the request timeout, no hang */
	px_err_clear(&err);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_false(rly_txsub_submit(&err, &r, s, &msg, 1, "memo"));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_int_equal(err.code, PX_E_RPC);
	assert_non_null(strstr(err.msg, "test-1: account"));
	assert_true(took < 3.0);
	assert_int_equal(r.code, 0);
	assert_string_equal(r.hash, "");

	rly_txsub_close(s);
	cmt_client_free(client);
	cmt_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fee),
		cmocka_unit_test(test_gas_adjust),
		cmocka_unit_test(test_expected_sequence),
		cmocka_unit_test(test_account_decode),
		cmocka_unit_test(test_account_malformed),
		cmocka_unit_test(test_account_reply),
		cmocka_unit_test(test_tx_reply),
		cmocka_unit_test(test_abci_reply_log_cut),
		cmocka_unit_test(test_open_and_usage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
