/* Unit tests of chains/devnet/rpc, node, genesis and privval, without a
 * socket: a home written with the library (keys, genesis), a node that
 * makes blocks, and every RPC result compared field by field (names and
 * JSON types, recursively) with the CometBFT 0.38 fixtures in the shared
 * vectors; then errors, reopening and the key files' rules.
 *
 * usage: test_rpc [VECTORS_DIR] */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "chains/devnet/genesis.h"
#include "chains/devnet/node.h"
#include "chains/devnet/privval.h"
#include "chains/devnet/rpc.h"
#include "common/json.h"
#include "lightclient/tendermint/abci.h"
#include "lightclient/tendermint/hash.h"

static const char *vectors_dir;
static char home[64];
static struct devnet_node *node;
static struct devnet_rpc rpc;

#define N_BLOCKS 6

static void write_home(const char *dir, const char *seed, bool with_change)
{
	struct px_err err = { 0 };
	struct devnet_key k[4];
	struct tm_pubkey pubs[4];
	struct tm_validator_set vs;
	struct devnet_valset_change ch = { 0 };
	struct devnet_genesis_params gp = { 0 };
	char path[256];
	json_t *doc;

	snprintf(path, sizeof(path), "%s/config", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/config/keys", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	for (uint32_t i = 0; i < 4; i++) {
		assert_true(devnet_key_from_test_seed(&err, &k[i], seed, i));
		pubs[i] = k[i].pub;
		snprintf(path, sizeof(path), "%s/config/keys/validator_%u.json", dir, i);
		assert_true(devnet_key_save(&err, &k[i], path));
		devnet_key_free(&k[i]);
	}
	assert_true(devnet_valset_from_keys(&err, &vs, pubs, 2, 10));
	assert_true(devnet_valset_from_keys(&err, &ch.validators, pubs + 2, 2, 10));
	ch.height = 4;
	gp.chain_id = "rpc-test";
	gp.genesis_time = (struct px_time){ 1700000000, 5 };
	gp.initial_height = 1;
	gp.validators = &vs;
	gp.changes = &ch;
	gp.n_changes = with_change ? 1 : 0;
	doc = devnet_genesis_to_json(&err, &gp);
	assert_non_null(doc);
	snprintf(path, sizeof(path), "%s/" DEVNET_GENESIS_FILE, dir);
	assert_int_equal(json_dump_file(doc, path, JSON_INDENT(1)), 0);
	json_decref(doc);
	tm_validator_set_free(&vs);
	tm_validator_set_free(&ch.validators);
}

static struct px_time now_at(int64_t i)
{
	return (struct px_time){ 1700000100 + i, 0 };
}

static int setup(void **state)
{
	struct px_err err = { 0 };

	snprintf(home, sizeof(home), "/tmp/px-devnet-rpc-XXXXXX");
	assert_non_null(mkdtemp(home));
	write_home(home, "rpc", true);
	assert_true(devnet_node_open(&err, &node, home));
	for (int i = 0; i < N_BLOCKS; i++)
		assert_true(devnet_node_produce(&err, node, now_at(i)));
	rpc.node = node;
	snprintf(rpc.listen_addr, sizeof(rpc.listen_addr), "tcp://127.0.0.1:1");
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	devnet_node_close(node);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", home);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* Same field names and JSON types as the fixture, recursively (arrays by
 * their first element); `skip` names fields the fixture's app has and the
 * devnet need not (or the other way round). */
static void same_shape(const json_t *want, const json_t *got, const char *where)
{
	const char *k;
	json_t *v;

	if (json_is_null(want) || json_is_null(got))
		return;		/* optional values: either may be null */
	if (json_typeof(want) != json_typeof(got) &&
	    !(json_is_boolean(want) && json_is_boolean(got))) {
		fprintf(stderr, "%s: fixture has %s, devnet %s\n", where, px_json_type_name(want),
			px_json_type_name(got));
		fail();
	}
	if (json_is_object(want)) {
		json_object_foreach((json_t *)want, k, v) {
			char sub[256];

			snprintf(sub, sizeof(sub), "%s.%s", where, k);
			if (!json_object_get(got, k)) {
				fprintf(stderr, "%s: missing in the devnet's result\n", sub);
				fail();
			}
			same_shape(v, json_object_get(got, k), sub);
		}
		json_object_foreach((json_t *)got, k, v) {
			if (!json_object_get(want, k) && strcmp(k, "app_state") != 0) {
				fprintf(stderr, "%s.%s: not in the fixture\n", where, k);
				fail();
			}
		}
	} else if (json_is_array(want) && json_array_size(want) && json_array_size(got)) {
		same_shape(json_array_get(want, 0), json_array_get(got, 0), where);
	}
}

static json_t *call(const char *method, const char *params_json)
{
	struct devnet_rpc_error e;
	struct px_err err = { 0 };
	json_t *params = params_json ? px_json_load_buf(&err, params_json, strlen(params_json)) : NULL;
	json_t *res = devnet_rpc_call(&rpc, &e, method, params);

	if (!res)
		fprintf(stderr, "%s: %d %s\n", method, e.code, e.data);
	json_decref(params);
	return res;
}

static void compare(const char *fixture, const char *method, const char *params)
{
	char path[4096];
	struct px_err err = { 0 };
	json_t *doc, *res;

	if (!vectors_dir) {
		skip();
		return;
	}
	snprintf(path, sizeof(path), "%s/cosmos/rpc/v0_38/incoming/%s", vectors_dir, fixture);
	doc = px_json_load_file(&err, path);
	if (!doc) {
		skip();
		return;
	}
	res = call(method, params);
	assert_non_null(res);
	same_shape(json_object_get(doc, "result"), res, method);
	json_decref(res);
	json_decref(doc);
}

static void test_shapes(void **state)
{
	compare("status.json", "status", NULL);
	compare("block_at_height_10.json", "block", "{\"height\": \"3\"}");
	compare("commit_at_height_10.json", "commit", "[\"3\"]");
	compare("abci_info.json", "abci_info", NULL);
	compare("genesis.json", "genesis", NULL);
	compare("blockchain_from_1_to_10.json", "blockchain", "{\"minHeight\":\"1\",\"maxHeight\":\"4\"}");
	compare("abci_query_with_existing_key.json", "abci_query",
		"{\"path\":\"/store/staking/key\",\"data\":\"5032\"}");
	compare("abci_query_with_non_existent_key.json", "abci_query",
		"{\"path\":\"/store/staking/key\",\"data\":\"50ff\"}");
}

static void test_event_shape(void **state)
{
	char path[4096];
	struct px_err err = { 0 };
	json_t *doc, *ev;

	if (!vectors_dir) {
		skip();
		return;
	}
	snprintf(path, sizeof(path), "%s/cosmos/rpc/v0_38/incoming/subscribe_newblock_0.json",
		 vectors_dir);
	doc = px_json_load_file(&err, path);
	if (!doc) {
		skip();
		return;
	}
	ev = devnet_rpc_new_block_event(&rpc, 3, "tm.event = 'NewBlock'");
	assert_non_null(ev);
	same_shape(json_object_get(doc, "result"), ev, "event");
	json_decref(ev);
	json_decref(doc);
}

/* /commit and /validators give light blocks that verify; the valset
 * change at 4 shows in validators_hash. */
static void test_commit_validators(void **state)
{
	struct px_err err = { 0 };
	json_t *c = call("commit", "{\"height\":\"3\"}"), *v = call("validators", "{\"height\":\"4\"}");
	struct tm_signed_header sh;
	struct tm_validator_set vs;
	uint8_t h[TM_HASH_LEN];

	assert_non_null(c);
	assert_non_null(v);
	assert_true(tm_signed_header_from_json(&err, &sh, json_object_get(c, "signed_header")));
	assert_true(tm_validator_set_from_json(&err, &vs, v));
	assert_true(tm_validator_set_hash(&err, h, &vs));
	assert_memory_equal(h, sh.header.next_validators_hash.b, TM_HASH_LEN);
	assert_true(tm_header_hash(&err, h, &sh.header));
	assert_memory_equal(h, sh.commit.block_id.hash.b, TM_HASH_LEN);
	assert_true(json_is_true(json_object_get(c, "canonical")));
	tm_signed_header_free(&sh);
	tm_validator_set_free(&vs);
	json_decref(c);
	json_decref(v);
	c = call("commit", NULL);
	assert_true(json_is_false(json_object_get(c, "canonical")));
	json_decref(c);
}

static void test_abci_query_proves(void **state)
{
	struct px_err err = { 0 };
	json_t *q = call("abci_query", "{\"path\":\"/store/staking/key\",\"data\":\"5033\","
				       "\"height\":\"3\",\"prove\":true}");
	json_t *hd = call("header", "{\"height\":4}");
	struct tm_abci_response r;
	struct tm_abci_result res;
	struct px_buf app = PX_BUF_INIT;

	assert_non_null(q);
	assert_non_null(hd);
	assert_true(px_json_get_hex(&err, &app, json_object_get(hd, "header"), "app_hash"));
	assert_true(tm_abci_response_from_json(&err, &r, q));
	assert_int_equal(r.height, 3);
	assert_true(tm_abci_response_verify(&err, &res, &r, app.data, app.len));
	assert_true(res.exists);
	app.data[0] ^= 1;
	assert_false(tm_abci_response_verify(&err, &res, &r, app.data, app.len));
	tm_abci_response_free(&r);
	px_buf_free(&app);
	json_decref(q);
	json_decref(hd);
}

static void expect_error(const char *method, const char *params, int code, const char *text)
{
	struct devnet_rpc_error e;
	json_t *p = params ? json_loads(params, JSON_DECODE_ANY, NULL) : NULL;
	json_t *r = devnet_rpc_call(&rpc, &e, method, p);

	assert_true(!params || p);
	if (r) {
		fprintf(stderr, "%s %s: unexpected result\n", method, params ? params : "");
		fail();
	}
	assert_int_equal(e.code, code);
	if (text && !strstr(e.data, text)) {
		fprintf(stderr, "%s: '%s' lacks '%s'\n", method, e.data, text);
		fail();
	}
	json_decref(p);
}

static void test_errors(void **state)
{
	json_t *res;

	expect_error("nope", NULL, DEVNET_RPC_METHOD_NOT_FOUND, "nope");
	expect_error("block", "{\"height\":\"99\"}", DEVNET_RPC_INTERNAL,
		     "must be less than or equal to the current blockchain height 6");
	expect_error("block", "{\"height\":0}", DEVNET_RPC_INTERNAL, "greater than 0");
	expect_error("block", "{\"height\":\"-1\"}", DEVNET_RPC_INTERNAL, "greater than 0");
	expect_error("block", "{\"height\":\"1a\"}", DEVNET_RPC_INVALID_PARAMS, "height");
	expect_error("block", "{\"height\":true}", DEVNET_RPC_INVALID_PARAMS, "height");
	expect_error("block", "[1, 2]", DEVNET_RPC_INVALID_PARAMS, "at most 1");
	expect_error("block", "\"x\"", DEVNET_RPC_INVALID_PARAMS, NULL);
	expect_error("validators", "{\"page\":\"3\"}", DEVNET_RPC_INTERNAL, "page should be");
	expect_error("abci_query", "{\"data\":\"zz\"}", DEVNET_RPC_INVALID_PARAMS, "data");
	expect_error("abci_query", "{\"prove\":\"yes\"}", DEVNET_RPC_INVALID_PARAMS, "prove");
	expect_error("blockchain", "{\"minHeight\":\"5\",\"maxHeight\":\"2\"}", DEVNET_RPC_INTERNAL,
		     "can't be greater");
	/* tx hashes: base64 that happens to start with "0x" is base64, not hex */
	expect_error("tx", "{\"hash\":\"0xmo9Mp7E76asBJaxZwBguqyTQwCmM32pYs8ybJbm1I=\"}",
		     DEVNET_RPC_INTERNAL, "not found");
	expect_error("tx", "{\"hash\":\"0x" "D319A8F4CA7B13BE9AB0125AC59C0182EAB24D0C0298CDF6A58B3CC9B25B9B52\"}",
		     DEVNET_RPC_INTERNAL, "not found");
	expect_error("tx", "{\"hash\":\"0xD319\"}", DEVNET_RPC_INVALID_PARAMS, "32 bytes");
	/* a failed query is a result with a code, as on a Cosmos chain */
	res = call("abci_query", "{\"path\":\"/custom/x\",\"data\":\"00\"}");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(res, "response"), "code")), 6);
	json_decref(res);
	res = call("abci_query", "{\"path\":\"/store/staking/key\",\"data\":\"00\",\"height\":\"9\"}");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(res, "response"), "code")), 26);
	json_decref(res);
}

static void test_handle_envelope(void **state)
{
	struct px_err err = { 0 };
	const char *req = "{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"health\"}";
	json_t *r = px_json_load_buf(&err, req, strlen(req)), *res = devnet_rpc_handle(&rpc, r);

	assert_string_equal(json_string_value(json_object_get(res, "id")), "abc");
	assert_true(json_is_object(json_object_get(res, "result")));
	json_decref(res);
	json_decref(r);
	r = json_pack("{s:s, s:i}", "jsonrpc", "2.0", "id", 1);
	res = devnet_rpc_handle(&rpc, r);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(res, "error"), "code")),
			 DEVNET_RPC_INVALID_REQUEST);
	json_decref(res);
	json_decref(r);
}

static void test_query_parse(void **state)
{
	struct devnet_rpc_error e;
	char name[32];

	assert_true(devnet_rpc_parse_query(&e, name, sizeof(name), "tm.event='NewBlock'"));
	assert_string_equal(name, "NewBlock");
	assert_true(devnet_rpc_parse_query(&e, name, sizeof(name), " tm.event = 'Tx' "));
	assert_string_equal(name, "Tx");
	assert_false(devnet_rpc_parse_query(&e, name, sizeof(name), "tm.event=NewBlock"));
	assert_int_equal(e.code, DEVNET_RPC_INTERNAL);
	assert_false(devnet_rpc_parse_query(&e, name, sizeof(name), "tm.event='NewBlock' AND x"));
	assert_false(devnet_rpc_parse_query(&e, name, sizeof(name), "tm.event=''"));
	assert_false(devnet_rpc_parse_query(&e, name, 4, "tm.event='NewBlock'"));
}

/* Closing and reopening keeps the chain; it goes on from there. */
static void test_reopen(void **state)
{
	struct px_err err = { 0 };
	struct tm_block_id id = devnet_node_latest(node)->block_id;
	uint8_t app[DEVNET_HASH_LEN], app2[DEVNET_HASH_LEN];

	assert_true(devnet_multi_app_hash(&err, app, devnet_node_multi(node), 0));
	devnet_node_close(node);
	node = NULL;
	assert_true(devnet_node_open(&err, &node, home));
	rpc.node = node;
	assert_int_equal(devnet_node_height(node), N_BLOCKS);
	assert_true(tm_block_id_equal(&id, &devnet_node_latest(node)->block_id));
	assert_true(devnet_multi_app_hash(&err, app2, devnet_node_multi(node), 0));
	assert_memory_equal(app, app2, sizeof(app));
	assert_true(devnet_node_produce(&err, node, now_at(100)));
	assert_true(tm_block_id_equal(&id, &devnet_node_latest(node)->header.last_block_id));
	assert_memory_equal(app, devnet_node_latest(node)->header.app_hash.b, sizeof(app));
}

static void test_keys(void **state)
{
	struct px_err err = { 0 };
	char dir[64], path[128];
	struct devnet_key k, back;
	struct devnet_node *n = NULL;
	char cmd[160];

	snprintf(dir, sizeof(dir), "/tmp/px-devnet-keys-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/k.json", dir);
	assert_true(devnet_key_from_test_seed(&err, &k, "keys", 0));
	assert_true(devnet_key_save(&err, &k, path));
	assert_false(devnet_key_save(&err, &k, path));		/* never overwritten */
	assert_int_equal(err.code, PX_E_IO);
	px_err_clear(&err);
	assert_true(devnet_key_load(&err, &back, path));
	assert_memory_equal(back.address, k.address, TM_ADDRESS_LEN);
	devnet_key_free(&back);
	assert_int_equal(chmod(path, 0644), 0);
	assert_false(devnet_key_load(&err, &back, path));
	assert_int_equal(err.code, PX_E_CONFIG);
	devnet_key_free(&k);
	/* a home without the keys of a scheduled set is refused */
	px_err_clear(&err);
	write_home(dir, "other", true);
	snprintf(path, sizeof(path), "%s/config/keys/validator_3.json", dir);
	assert_int_equal(unlink(path), 0);
	assert_false(devnet_node_open(&err, &n, dir));
	assert_int_equal(err.code, PX_E_CONFIG);
	assert_null(n);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_genesis_rejects(void **state)
{
	struct px_err err = { 0 };
	struct devnet_genesis g;
	json_t *doc = json_object_get(devnet_node_genesis(node)->doc, "validators");
	json_t *copy = json_deep_copy(devnet_node_genesis(node)->doc);

	assert_non_null(doc);
	assert_true(devnet_genesis_from_json(&err, &g, copy));
	devnet_genesis_free(&g);
	json_object_set_new(json_array_get(json_object_get(copy, "validators"), 0), "address",
			    json_string("00"));
	assert_false(devnet_genesis_from_json(&err, &g, copy));
	assert_int_equal(err.code, PX_E_MALFORMED);
	json_decref(copy);
	copy = json_deep_copy(devnet_node_genesis(node)->doc);
	json_object_set_new(copy, "initial_height", json_string("0"));
	px_err_clear(&err);
	assert_false(devnet_genesis_from_json(&err, &g, copy));
	json_decref(copy);
	copy = json_deep_copy(devnet_node_genesis(node)->doc);
	json_object_del(copy, "chain_id");
	px_err_clear(&err);
	assert_false(devnet_genesis_from_json(&err, &g, copy));
	assert_int_equal(err.code, PX_E_JSON);
	json_decref(copy);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_event_shape),
		cmocka_unit_test(test_commit_validators),
		cmocka_unit_test(test_abci_query_proves),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_handle_envelope),
		cmocka_unit_test(test_query_parse),
		cmocka_unit_test(test_reopen),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_genesis_rejects),
	};

	vectors_dir = argc > 1 ? argv[1] : NULL;
	return cmocka_run_group_tests(tests, setup, teardown);
}
