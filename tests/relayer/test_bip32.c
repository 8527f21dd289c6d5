/* Unit tests for relayer/bip32.c: BIP-32 test vector 1 (private keys and
 * chain codes along m/0'/1/2'/2/1000000000), path parsing and its
 * refusals, and the Cosmos account of the "abandon ... about" phrase at
 * m/44'/118'/0'/0/0, whose address was computed independently with
 * @scure/bip39 + @scure/bip32 + @noble/hashes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "chains/cosmos/bech32.h"
#include "chains/cosmos/keys.h"
#include "common/encoding.h"
#include "relayer/bip32.h"
#include "relayer/bip39.h"

static void hex(uint8_t *out, size_t len, const char *s)
{
	assert_true(px_hex_decode_fixed(NULL, out, len, s, strlen(s)));
}

static void test_vector1(void **state)
{
	static const struct {
		uint32_t index;
		const char *key, *chain;
	} steps[] = {
		{ 0, "e8f32e723decf4051aefac8e2c93c9c5b214313817cdb01a1494b917c8436b35",
		  "873dff81c02f525623fd1fe5167eac3a55a049de3d314bb42ee227ffed37d508" },
		{ 0 | RLY_BIP32_HARDENED, "edb2e14f9ee77d26dd93b4ecede8d16ed408ce149b6cd80b0715a2d911a0afea",
		  "47fdacbd0f1097043b78c63c20c34ef4ed9a111d980047ad16282c7ae6236141" },
		{ 1, "3c6cb8d0f6a264c91ea8b5030fadaa8e538b020f0a387421a12de9319dc93368",
		  "2a7857631386ba23dacac34180dd1983734e444fdbf774041578e9b6adb37c19" },
		{ 2 | RLY_BIP32_HARDENED, "cbce0d719ecf7431d88e6a89fa1483e02e35092af60c042b1df2ff59fa424dca",
		  "04466b9cc8e161e966409ca52986c584f07e9dc81f735db683c3ff6ec7b1503f" },
		{ 2, "0f479245fb19a38a1954c5c7c0ebab2f9bdfd96a17563ef28a6a4b1a2a764ef4",
		  "cfb71883f01676f587d023cc53a35bc7f88f724b1f8c2892ac1275ac822a3edd" },
		{ 1000000000, "471b76e389e528d6de6d816857e012c5455051cad6660850e58372a6c3e6e7c8",
		  "c783e67b921d2beb8f6b389cc646d7263b4145701dadd2161548a8b078e65e9e" },
	};
	uint8_t seed[16], key[32], chain[32];
	struct rly_bip32_node node;
	struct px_err err = { 0 };
	uint32_t path[RLY_BIP32_DEPTH_MAX];
	size_t i, n = 0;

	(void)state;
	hex(seed, sizeof(seed), "000102030405060708090a0b0c0d0e0f");
	assert_true(rly_bip32_master(&err, &node, seed, sizeof(seed)));
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if (i > 0)
			assert_true(rly_bip32_child(&err, &node, &node, steps[i].index));
		hex(key, 32, steps[i].key);
		hex(chain, 32, steps[i].chain);
		assert_memory_equal(node.key, key, 32);
		assert_memory_equal(node.chain, chain, 32);
	}
	/* The same end point through a parsed path. */
	assert_true(rly_bip32_path_parse(&err, path, &n, "m/0'/1/2h/2/1000000000", 22));
	assert_int_equal(n, 5);
	assert_true(rly_bip32_derive(&err, &node, seed, sizeof(seed), path, n));
	assert_memory_equal(node.key, key, 32);
	rly_bip32_wipe(&node);
}

static void path_bad(const char *p, const char *fragment)
{
	uint32_t idx[RLY_BIP32_DEPTH_MAX];
	struct px_err err = { 0 };
	size_t n = 7;

	if (rly_bip32_path_parse(&err, idx, &n, p, strlen(p)))
		fail_msg("accepted %s", p);
	assert_int_equal(err.code, PX_E_MALFORMED);
	if (!strstr(err.msg, fragment))
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, fragment);
	assert_int_equal(n, 0);
}

static void test_path_parse(void **state)
{
	uint32_t idx[RLY_BIP32_DEPTH_MAX];
	struct px_err err = { 0 };
	char text[RLY_BIP32_PATH_TEXT_MAX];
	size_t n = 0;

	(void)state;
	assert_true(rly_bip32_path_parse(&err, idx, &n, "m", 1));
	assert_int_equal(n, 0);
	rly_bip32_cosmos_path(text, 118);
	assert_string_equal(text, "m/44'/118'/0'/0/0");
	assert_true(rly_bip32_path_parse(&err, idx, &n, text, strlen(text)));
	assert_int_equal(n, 5);
	assert_int_equal(idx[0], 44 | RLY_BIP32_HARDENED);
	assert_int_equal(idx[1], 118 | RLY_BIP32_HARDENED);
	assert_int_equal(idx[4], 0);
	path_bad("", "start");
	path_bad("n/0", "start");
	path_bad("m/", "level 1");
	path_bad("m//1", "level 1");
	path_bad("m/01", "level 1");
	path_bad("m/1/x", "level 2");
	path_bad("m/2147483648", "below 2^31");
	path_bad("m/1''", "level 1");
	path_bad("m0", "expected '/'");
	path_bad("m/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17", "more than 16");
}

static void test_cosmos_account(void **state)
{
	static const char phrase[] = "abandon abandon abandon abandon abandon abandon abandon abandon "
				     "abandon abandon abandon about";
	uint32_t path[] = { 44 | RLY_BIP32_HARDENED, 118 | RLY_BIP32_HARDENED, RLY_BIP32_HARDENED, 0, 0 };
	uint8_t seed[64], priv[32], addr[COSMOS_ADDR_LEN];
	struct rly_bip32_node node;
	struct cosmos_key key;
	struct px_err err = { 0 };
	char text[COSMOS_BECH32_MAX_LEN + 1];

	(void)state;
	assert_true(rly_bip39_seed(&err, seed, phrase, strlen(phrase), NULL));
	assert_true(rly_bip32_derive(&err, &node, seed, sizeof(seed), path, 5));
	hex(priv, 32, "c4a48e2fce1481cd3294b4490f6678090ea98d3d0e5cd984558ab0968741b104");
	assert_memory_equal(node.key, priv, 32);
	assert_true(cosmos_key_from_bytes(&err, &key, node.key));
	cosmos_pubkey_address(addr, key.pub);
	assert_true(cosmos_address_encode(&err, text, sizeof(text), "cosmos", addr, sizeof(addr)));
	assert_string_equal(text, "cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4");
	cosmos_key_wipe(&key);
	rly_bip32_wipe(&node);
}

static void test_master_refusals(void **state)
{
	struct rly_bip32_node node;
	struct px_err err = { 0 };
	uint8_t seed[65] = { 0 };

	(void)state;
	assert_false(rly_bip32_master(&err, &node, seed, 15));
	assert_int_equal(err.code, PX_E_USAGE);
	px_err_clear(&err);
	assert_false(rly_bip32_master(&err, &node, seed, 65));
	assert_int_equal(err.code, PX_E_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vector1),
		cmocka_unit_test(test_path_parse),
		cmocka_unit_test(test_cosmos_account),
		cmocka_unit_test(test_master_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
