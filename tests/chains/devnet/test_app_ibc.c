/* Unit tests of chains/devnet/app_ibc (IBC client messages) over an
 * in-memory multistore: MsgCreateClient for a 07-tendermint client in a
 * signed transaction, the stored client and consensus states proven with
 * tm_abci_verify against the app hash, and the refusal of an update of an
 * unknown client. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "chains/cosmos/bech32.h"
#include "chains/cosmos/tx.h"
#include "chains/devnet/app.h"
#include "chains/devnet/store_multi.h"
#include "ibc/codec/msg.h"
#include "ibc/core/paths.h"
#include "lightclient/tendermint/abci.h"

#define CHAIN "app-ibc-test"

static struct cosmos_key alice;
static char alice_s[96];

/* Signs one message of alice (account 1) at sequence seq. */
static void sign(struct px_buf *tx, const char *url, const struct px_buf *msg, uint64_t seq)
{
	struct cosmos_any any = { cosmos_str(url), px_slice_of(msg) };
	struct cosmos_coin fee = { cosmos_str("stake"), cosmos_str("1000") };
	struct cosmos_tx_params tp = { 0 };

	tp.messages = &any;
	tp.n_messages = 1;
	tp.fee = &fee;
	tp.n_fee = 1;
	tp.gas_limit = 200000;
	tp.chain_id = cosmos_str(CHAIN);
	tp.account_number = 1;
	tp.sequence = seq;
	assert_true(cosmos_tx_sign_direct(NULL, tx, NULL, &alice, &tp));
}

static void test_create_and_unknown(void **state)
{
	struct px_err err = { 0 };
	struct devnet_multi *multi;
	struct devnet_app *app;
	struct ibc_msg cs = { .kind = IBC_MSG_TM_CLIENT_STATE }, cons = { .kind = IBC_MSG_TM_CONSENSUS_STATE };
	struct ibc_msg m = { .kind = IBC_MSG_CREATE_CLIENT }, up = { .kind = IBC_MSG_UPDATE_CLIENT };
	struct px_buf csb = PX_BUF_INIT, consb = PX_BUF_INIT, mb = PX_BUF_INIT, tx = PX_BUF_INIT;
	struct devnet_tx_result r;
	struct devnet_query q;
	struct tm_abci_result ar;
	struct ibc_path p;
	uint8_t priv[32], addr[20], h[DEVNET_HASH_LEN];
	int64_t v;
	json_t *gen;

	(void)state;
	memset(priv, 0x11, sizeof(priv));
	assert_true(cosmos_key_from_bytes(NULL, &alice, priv));
	cosmos_pubkey_address(addr, alice.pub);
	assert_true(cosmos_address_encode(NULL, alice_s, 96, "cosmos", addr, 20));
	assert_true(devnet_multi_open(&err, &multi, NULL, NULL));
	assert_true(devnet_app_open(&err, &app, multi, CHAIN, "cosmos"));
	gen = json_pack("{s:{s:[{s:s}]}, s:{s:[{s:s, s:[{s:s, s:s}]}]}}", "auth", "accounts",
			"address", alice_s, "bank", "balances", "address", alice_s, "coins", "denom",
			"stake", "amount", "1000000");
	assert_true(devnet_app_init_chain(&err, app, gen));
	json_decref(gen);

	snprintf(cs.u.tm_client_state.chain_id, sizeof(cs.u.tm_client_state.chain_id), "chain-b-1");
	cs.u.tm_client_state.trust_level = (struct ibc_fraction){ 1, 3 };
	cs.u.tm_client_state.trusting_period = 1000000000000ull;
	cs.u.tm_client_state.unbonding_period = 2000000000000ull;
	cs.u.tm_client_state.max_clock_drift = 10000000000ull;
	cs.u.tm_client_state.latest_height = (struct ibc_height){ 1, 5 };
	cons.u.tm_consensus_state.timestamp.seconds = 1704067200;
	cons.u.tm_consensus_state.root_len = 32;
	memset(cons.u.tm_consensus_state.root, 0xab, 32);
	memset(cons.u.tm_consensus_state.next_validators_hash, 0xcd, 32);
	assert_true(ibc_msg_encode_any(&err, &csb, &cs));
	assert_true(ibc_msg_encode_any(&err, &consb, &cons));
	assert_true(ibc_msg_decode_any(&err, &cs, csb.data, csb.len));
	assert_true(ibc_msg_decode_any(&err, &cons, consb.data, consb.len));
	m.u.create_client.has_client_state = m.u.create_client.has_consensus_state = true;
	m.u.create_client.client_state = cs.any;
	m.u.create_client.consensus_state = cons.any;
	m.u.create_client.signer = cosmos_str(alice_s);
	assert_true(ibc_msg_encode(&err, &mb, &m));
	sign(&tx, IBC_URL_MSG_CREATE_CLIENT, &mb, 0);
	assert_true(devnet_app_deliver_tx(&err, app, &r, 1, tx.data, tx.len));
	assert_int_equal(r.code, 0);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(
		json_array_get(r.events, json_array_size(r.events) - 1), "attributes"), 0), "value")),
		"07-tendermint-0");
	devnet_tx_result_free(&r);
	assert_true(devnet_multi_commit(&err, h, &v, multi));

	/* the consensus state at 1-5, proven against the app hash */
	assert_true(ibc_path_consensus_state(&err, &p, "07-tendermint-0", (struct ibc_height){ 1, 5 }));
	assert_true(devnet_multi_query(&err, &q, multi, "ibc", (const uint8_t *)p.s, p.len, 0, true));
	assert_true(q.exists);
	assert_int_equal(q.value.len, consb.len);
	assert_memory_equal(q.value.data, consb.data, consb.len);
	assert_true(tm_abci_verify(&err, &ar, q.app_hash, DEVNET_HASH_LEN, (const uint8_t *)"ibc", 3,
				   (const uint8_t *)p.s, p.len, q.value.data, q.value.len,
				   q.iavl_proof.data, q.iavl_proof.len, q.simple_proof.data,
				   q.simple_proof.len));
	devnet_query_free(&q);

	/* an update of an unknown client */
	devnet_app_reset_check(app);
	px_buf_free(&mb);
	px_buf_free(&tx);
	snprintf(up.u.update_client.client_id, sizeof(up.u.update_client.client_id), "07-tendermint-9");
	up.u.update_client.signer = cosmos_str(alice_s);
	assert_true(ibc_msg_encode(&err, &mb, &up));
	sign(&tx, IBC_URL_MSG_UPDATE_CLIENT, &mb, 1);
	assert_true(devnet_app_deliver_tx(&err, app, &r, 2, tx.data, tx.len));
	assert_int_equal(r.code, 4);
	assert_string_equal(r.codespace, "client");
	devnet_tx_result_free(&r);

	px_buf_free(&csb);
	px_buf_free(&consb);
	px_buf_free(&mb);
	px_buf_free(&tx);
	devnet_app_close(app);
	devnet_multi_close(multi);
	cosmos_key_wipe(&alice);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_and_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
