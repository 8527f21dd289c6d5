/* Unit tests of chains/devnet/app (auth, bank, CheckTx, DeliverTx,
 * Simulate, queries) over an in-memory multistore: a genesis with two
 * funded accounts, transactions signed with chains/cosmos/tx.h, and every
 * refusal with the Cosmos SDK's code: bad signature, wrong sequence, wrong
 * chain id, wrong account number, insufficient funds, insufficient fee,
 * out of gas, malformed bytes, unknown message, replay, bad addresses and
 * coins; then that state and events are what the SDK would leave. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chains/cosmos/bech32.h"
#include "chains/cosmos/tx.h"
#include "chains/devnet/app.h"
#include "chains/devnet/store_multi.h"
#include "common/protobuf.h"

#define CHAIN "app-test"

static struct devnet_multi *multi;
static struct devnet_app *app;
static struct cosmos_key alice, bob;
static uint8_t alice_addr[20], bob_addr[20], carol_addr[20];
static char alice_s[96], bob_s[96], carol_s[96];

static void key_of(struct cosmos_key *k, uint8_t addr[20], char *s, uint8_t fill)
{
	uint8_t priv[32];

	memset(priv, fill, sizeof(priv));
	assert_true(cosmos_key_from_bytes(NULL, k, priv));
	cosmos_pubkey_address(addr, k->pub);
	assert_true(cosmos_address_encode(NULL, s, 96, "cosmos", addr, 20));
}

static int setup(void **state)
{
	struct px_err err = { 0 };
	json_t *gen;
	struct devnet_gas_price gp;

	(void)state;
	key_of(&alice, alice_addr, alice_s, 0x11);
	key_of(&bob, bob_addr, bob_s, 0x22);
	memset(carol_addr, 0x33, sizeof(carol_addr));
	assert_true(cosmos_address_encode(NULL, carol_s, 96, "cosmos", carol_addr, 20));
	assert_true(devnet_multi_open(&err, &multi, NULL, NULL));
	assert_true(devnet_app_open(&err, &app, multi, CHAIN, "cosmos"));
	gen = json_pack("{s:{s:[{s:s}, {s:s}]}, s:{s:[{s:s, s:[{s:s, s:s}, {s:s, s:s}]}, {s:s, s:[{s:s, s:s}]}]}}",
			"auth", "accounts", "address", alice_s, "address", bob_s, "bank", "balances",
			"address", alice_s, "coins", "denom", "stake", "amount", "1000000", "denom",
			"token", "amount", "500", "address", bob_s, "coins", "denom", "stake", "amount",
			"10");
	assert_non_null(gen);
	assert_true(devnet_app_init_chain(&err, app, gen));
	json_decref(gen);
	assert_true(devnet_gas_price_parse(&err, &gp, "0.01stake"));
	devnet_app_set_min_gas_price(app, &gp);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	devnet_app_close(app);
	devnet_multi_close(multi);
	cosmos_key_wipe(&alice);
	cosmos_key_wipe(&bob);
	return 0;
}

static void commit(void)
{
	struct px_err err = { 0 };
	uint8_t h[DEVNET_HASH_LEN];
	int64_t v;

	assert_true(devnet_multi_commit(&err, h, &v, multi));
	devnet_app_reset_check(app);
}

/* MsgSend from -> to of amount denom. */
static void msg_send(struct px_buf *out, const char *from, const char *to, const char *denom,
		     const char *amount)
{
	struct px_buf coin = PX_BUF_INIT;

	px_pb_put_bytes(out, 1, (const uint8_t *)from, strlen(from));
	px_pb_put_bytes(out, 2, (const uint8_t *)to, strlen(to));
	px_pb_put_bytes(&coin, 1, (const uint8_t *)denom, strlen(denom));
	px_pb_put_bytes(&coin, 2, (const uint8_t *)amount, strlen(amount));
	px_pb_put_bytes(out, 3, coin.data, coin.len);
	px_buf_free(&coin);
}

struct txp {
	const struct cosmos_key *key;
	const char *from, *to, *denom, *amount;
	const char *chain;
	uint64_t number, sequence, gas;
	const char *fee;	/* stake amount */
	const char *type_url;
};

static struct txp txp_default(void)
{
	return (struct txp){ &alice, alice_s, bob_s, "token", "100", CHAIN, 1, 0, 100000, "1000",
			     DEVNET_MSG_SEND_URL };
}

static void make_tx(struct px_buf *tx, const struct txp *p)
{
	struct px_buf m = PX_BUF_INIT;
	struct cosmos_any any;
	struct cosmos_coin fee = { cosmos_str("stake"), cosmos_str(p->fee) };
	struct cosmos_tx_params tp = { 0 };

	msg_send(&m, p->from, p->to, p->denom, p->amount);
	any.type_url = cosmos_str(p->type_url);
	any.value = px_slice_of(&m);
	tp.messages = &any;
	tp.n_messages = 1;
	tp.fee = &fee;
	tp.n_fee = p->fee[0] ? 1 : 0;
	tp.gas_limit = p->gas;
	tp.chain_id = cosmos_str(p->chain);
	tp.account_number = p->number;
	tp.sequence = p->sequence;
	assert_true(cosmos_tx_sign_direct(NULL, tx, NULL, p->key, &tp));
	px_buf_free(&m);
}

static uint32_t check(const struct px_buf *tx, char *log, size_t cap)
{
	struct devnet_tx_result r;
	struct px_err err = { 0 };
	uint32_t code;

	assert_true(devnet_app_check_tx(&err, app, &r, tx->data, tx->len));
	code = r.code;
	if (log)
		snprintf(log, cap, "%s", r.log);
	if (code)
		assert_string_equal(r.codespace, "sdk");
	devnet_tx_result_free(&r);
	return code;
}

static uint32_t check_p(const struct txp *p, char *log, size_t cap)
{
	struct px_buf tx = PX_BUF_INIT;
	uint32_t code;

	make_tx(&tx, p);
	code = check(&tx, log, cap);
	px_buf_free(&tx);
	return code;
}

static devnet_u128 balance(const uint8_t addr[20], const char *denom)
{
	devnet_u128 v;
	struct px_err err = { 0 };

	assert_true(devnet_app_balance(&err, &v, app, 0, addr, denom));
	return v;
}

static void test_refusals(void **state)
{
	struct txp p = txp_default();
	struct px_buf tx = PX_BUF_INIT;
	char log[512];

	(void)state;
	p.chain = "other-chain";
	assert_int_equal(check_p(&p, log, sizeof(log)), DEVNET_CODE_UNAUTHORIZED);
	assert_non_null(strstr(log, "signature verification failed"));
	p = txp_default();
	p.number = 7;
	assert_int_equal(check_p(&p, NULL, 0), DEVNET_CODE_UNAUTHORIZED);
	p = txp_default();
	p.sequence = 3;
	assert_int_equal(check_p(&p, log, sizeof(log)), DEVNET_CODE_WRONG_SEQUENCE);
	assert_non_null(strstr(log, "expected 0, got 3"));
	p = txp_default();
	p.amount = "501";
	assert_int_equal(check_p(&p, log, sizeof(log)), DEVNET_CODE_INSUFFICIENT_FUNDS);
	assert_non_null(strstr(log, "500token is smaller than 501token"));
	p = txp_default();
	p.fee = "999";	/* 100000 gas at 0.01 is 1000 */
	assert_int_equal(check_p(&p, log, sizeof(log)), DEVNET_CODE_INSUFFICIENT_FEE);
	assert_non_null(strstr(log, "required: 1000stake"));
	p = txp_default();
	p.fee = "";
	assert_int_equal(check_p(&p, NULL, 0), DEVNET_CODE_INSUFFICIENT_FEE);
	p = txp_default();
	p.gas = 1000;
	p.fee = "10";
	assert_int_equal(check_p(&p, log, sizeof(log)), DEVNET_CODE_OUT_OF_GAS);
	p = txp_default();
	p.key = &bob;	/* bob signs alice's message */
	assert_int_equal(check_p(&p, NULL, 0), DEVNET_CODE_INVALID_PUBKEY);
	p = txp_default();
	p.key = &bob;
	p.from = bob_s;
	p.to = alice_s;
	p.denom = "stake";
	p.amount = "1";	/* bob has 10stake: not enough for the fee */
	assert_int_equal(check_p(&p, NULL, 0), DEVNET_CODE_INSUFFICIENT_FUNDS);
	p = txp_default();
	p.to = "cosmos1notanaddress";
	assert_int_equal(check_p(&p, NULL, 0), DEVNET_CODE_INVALID_ADDRESS);
	p = txp_default();
	p.amount = "0";
	assert_int_equal(check_p(&p, NULL, 0), DEVNET_CODE_INVALID_COINS);
	p = txp_default();
	p.amount = "340282366920938463463374607431768211456";	/* 2^128 */
	assert_int_equal(check_p(&p, NULL, 0), DEVNET_CODE_INVALID_COINS);
	p = txp_default();
	p.type_url = "/cosmos.staking.v1beta1.MsgDelegate";
	assert_int_equal(check_p(&p, NULL, 0), DEVNET_CODE_TX_DECODE);
	p = txp_default();
	p.key = &bob;
	p.from = carol_s;	/* no such account */
	assert_int_equal(check_p(&p, NULL, 0), DEVNET_CODE_UNKNOWN_ADDRESS);

	/* Malformed bytes: truncated, garbage, flipped signature. */
	p = txp_default();
	make_tx(&tx, &p);
	{
		struct px_buf cut = PX_BUF_INIT;

		px_buf_append(&cut, tx.data, tx.len - 3);
		assert_int_equal(check(&cut, NULL, 0), DEVNET_CODE_TX_DECODE);
		px_buf_free(&cut);
		px_buf_reset(&cut);
		px_buf_append(&cut, "\xff\xff\xff", 3);
		assert_int_equal(check(&cut, NULL, 0), DEVNET_CODE_TX_DECODE);
		px_buf_free(&cut);
	}
	tx.data[tx.len - 1] ^= 1;	/* the signature's last byte */
	assert_int_equal(check(&tx, NULL, 0), DEVNET_CODE_UNAUTHORIZED);
	px_buf_free(&tx);
	/* Nothing was written by any of them. */
	commit();
	assert_true(balance(alice_addr, "token") == 500);
	assert_true(balance(alice_addr, "stake") == 1000000);
}

static void test_send_and_replay(void **state)
{
	struct txp p = txp_default();
	struct px_buf tx = PX_BUF_INIT, tx2 = PX_BUF_INIT;
	struct devnet_tx_result r;
	struct px_err err = { 0 };
	struct devnet_account acc;
	bool found;
	char *ev;

	(void)state;
	p.to = carol_s;	/* a new account */
	make_tx(&tx, &p);
	assert_int_equal(check(&tx, NULL, 0), 0);
	/* In the mempool: the same sequence again is refused, the next one
	 * is taken. */
	assert_int_equal(check(&tx, NULL, 0), DEVNET_CODE_WRONG_SEQUENCE);
	p.sequence = 1;
	p.amount = "401";	/* 100 of 500 are already spent in the check state */
	assert_int_equal(check_p(&p, NULL, 0), DEVNET_CODE_INSUFFICIENT_FUNDS);
	p.amount = "50";
	make_tx(&tx2, &p);
	assert_int_equal(check(&tx2, NULL, 0), 0);

	assert_true(devnet_app_deliver_tx(&err, app, &r, 2, tx.data, tx.len));
	assert_int_equal(r.code, 0);
	assert_true(r.gas_used > 0 && r.gas_used <= r.gas_wanted);
	assert_int_equal(r.gas_wanted, 100000);
	assert_true(r.data.len > 0);
	ev = json_dumps(r.events, JSON_COMPACT);
	assert_non_null(strstr(ev, "\"type\":\"coin_spent\""));
	assert_non_null(strstr(ev, "\"type\":\"transfer\""));
	assert_non_null(strstr(ev, "\"key\":\"acc_seq\""));
	assert_non_null(strstr(ev, "\"key\":\"fee\",\"value\":\"1000stake\""));
	assert_non_null(strstr(ev, "\"value\":\"/cosmos.bank.v1beta1.MsgSend\""));
	free(ev);
	devnet_tx_result_free(&r);
	assert_true(devnet_app_deliver_tx(&err, app, &r, 2, tx2.data, tx2.len));
	assert_int_equal(r.code, 0);
	devnet_tx_result_free(&r);
	commit();
	assert_true(balance(carol_addr, "token") == 150);
	assert_true(balance(alice_addr, "token") == 350);
	assert_true(balance(alice_addr, "stake") == 1000000 - 2000);
	assert_true(devnet_app_account(&err, &acc, &found, app, 0, alice_addr));
	assert_true(found && acc.sequence == 2 && acc.has_pub_key);
	assert_true(devnet_app_account(&err, &acc, &found, app, 0, carol_addr));
	assert_true(found && acc.number == 3 && acc.sequence == 0);	/* after the fee collector */

	/* Replay after inclusion: the sequence has moved on. */
	assert_int_equal(check(&tx, NULL, 0), DEVNET_CODE_WRONG_SEQUENCE);
	/* DeliverTx of a replay changes nothing either. */
	assert_true(devnet_app_deliver_tx(&err, app, &r, 3, tx.data, tx.len));
	assert_int_equal(r.code, DEVNET_CODE_WRONG_SEQUENCE);
	devnet_tx_result_free(&r);
	commit();
	assert_true(balance(carol_addr, "token") == 150);
	px_buf_free(&tx);
	px_buf_free(&tx2);
}

static void test_deliver_failed_message_keeps_fee(void **state)
{
	struct txp p = txp_default();
	struct px_buf tx = PX_BUF_INIT;
	struct devnet_tx_result r;
	struct px_err err = { 0 };
	devnet_u128 stake = balance(alice_addr, "stake");

	(void)state;
	p.sequence = 2;
	p.amount = "100000";	/* more token than alice has */
	make_tx(&tx, &p);
	assert_true(devnet_app_deliver_tx(&err, app, &r, 4, tx.data, tx.len));
	assert_int_equal(r.code, DEVNET_CODE_INSUFFICIENT_FUNDS);
	/* The ante's events stay, the message's go. */
	assert_true(json_array_size(r.events) > 0);
	for (size_t i = 0; i < json_array_size(r.events); i++) {
		char *s = json_dumps(json_array_get(r.events, i), JSON_COMPACT);

		assert_null(strstr(s, "msg_index"));
		free(s);
	}
	devnet_tx_result_free(&r);
	commit();
	assert_true(balance(alice_addr, "stake") == stake - 1000);
	px_buf_free(&tx);
}

static void test_queries(void **state)
{
	struct devnet_app_query q;
	struct px_err err = { 0 };
	struct px_buf req = PX_BUF_INIT, tx = PX_BUF_INIT;
	struct txp p = txp_default();

	(void)state;
	px_pb_put_bytes(&req, 1, (const uint8_t *)alice_s, strlen(alice_s));
	assert_true(devnet_app_query(&err, app, &q, "/cosmos.auth.v1beta1.Query/Account", req.data,
				     req.len, 0, ""));
	assert_true(q.handled);
	assert_int_equal(q.code, 0);
	assert_true(q.value.len > 40);
	devnet_app_query_free(&q);
	px_pb_put_bytes(&req, 2, (const uint8_t *)"token", 5);
	assert_true(devnet_app_query(&err, app, &q, "/cosmos.bank.v1beta1.Query/Balance", req.data,
				     req.len, 0, ""));
	assert_int_equal(q.code, 0);
	devnet_app_query_free(&q);
	px_buf_reset(&req);
	px_pb_put_bytes(&req, 1, (const uint8_t *)"cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu", 45);
	assert_true(devnet_app_query(&err, app, &q, "/cosmos.auth.v1beta1.Query/Account", req.data,
				     req.len, 0, ""));
	assert_int_equal(q.code, DEVNET_CODE_KEY_NOT_FOUND);
	assert_non_null(strstr(q.log, "rpc error: code = NotFound"));
	devnet_app_query_free(&q);
	px_buf_reset(&req);
	px_pb_put_bytes(&req, 1, (const uint8_t *)"bogus", 5);
	assert_true(devnet_app_query(&err, app, &q, "/cosmos.bank.v1beta1.Query/AllBalances",
				     req.data, req.len, 0, ""));
	assert_int_equal(q.code, DEVNET_CODE_INVALID_REQUEST);
	devnet_app_query_free(&q);
	assert_true(devnet_app_query(&err, app, &q, "/cosmos.nope/Nope", NULL, 0, 0, ""));
	assert_false(q.handled);
	/* Simulate: no signature needed, the right sequence is. */
	p.sequence = 3;
	p.fee = "";
	p.gas = 0;
	make_tx(&tx, &p);
	px_buf_reset(&req);
	px_pb_put_bytes(&req, 2, tx.data, tx.len);
	assert_true(devnet_app_query(&err, app, &q, "/cosmos.tx.v1beta1.Service/Simulate", req.data,
				     req.len, 0, ""));
	assert_int_equal(q.code, 0);
	devnet_app_query_free(&q);
	px_buf_free(&tx);
	p.sequence = 9;
	make_tx(&tx, &p);
	px_buf_reset(&req);
	px_pb_put_bytes(&req, 2, tx.data, tx.len);
	assert_true(devnet_app_query(&err, app, &q, "/cosmos.tx.v1beta1.Service/Simulate", req.data,
				     req.len, 0, ""));
	assert_int_equal(q.code, DEVNET_CODE_WRONG_SEQUENCE);
	devnet_app_query_free(&q);
	px_buf_free(&tx);
	px_buf_free(&req);
}

static void test_amounts(void **state)
{
	struct devnet_gas_price gp;
	struct px_err err = { 0 };
	devnet_u128 v;
	char s[48];

	(void)state;
	assert_true(devnet_u128_parse(&v, "340282366920938463463374607431768211455", 39));
	devnet_u128_format(s, v);
	assert_string_equal(s, "340282366920938463463374607431768211455");
	assert_false(devnet_u128_parse(&v, "340282366920938463463374607431768211456", 39));
	assert_false(devnet_u128_parse(&v, "01", 2));
	assert_false(devnet_u128_parse(&v, "-1", 2));
	assert_false(devnet_u128_parse(&v, "", 0));
	assert_true(devnet_u128_parse(&v, "0", 1) && v == 0);
	assert_true(devnet_gas_price_parse(&err, &gp, "0.025stake"));
	assert_string_equal(gp.denom, "stake");
	assert_false(devnet_gas_price_parse(&err, &gp, "stake"));
	assert_false(devnet_gas_price_parse(&err, &gp, "1.stake"));
	assert_false(devnet_gas_price_parse(&err, &gp, "1st"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amounts),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_send_and_replay),
		cmocka_unit_test(test_deliver_failed_message_keeps_fee),
		cmocka_unit_test(test_queries),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
