/* Unit tests for lightclient/ethereum/header.c on Ethereum mainnet's
 * genesis header (published; hash d4e5…8fa3) and headers derived from it:
 * JSON in both namings, RLP round trips and every truncation, the field
 * sets of later forks (London..Prague) and their gaps, bad JSON fields
 * (missing, wrong type, wrong length, overflow, too long), and the two
 * ways to trust a header (checkpoint hash, trusted parent) with their
 * refusals. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/encoding.h"
#include "lightclient/ethereum/header.h"
#include "lightclient/ethereum/keccak.h"

#define Z32 "0x0000000000000000000000000000000000000000000000000000000000000000"
#define GENESIS_HASH "d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3"

static json_t *genesis_json(void)
{
	char bloom[2 + 512 + 1] = "0x";
	json_t *o;

	memset(bloom + 2, '0', 512);
	bloom[514] = '\0';
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
		      " s:s, s:s, s:[]}",
		      "parentHash", Z32,
		      "sha3Uncles", "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347",
		      "miner", "0x0000000000000000000000000000000000000000",
		      "stateRoot", "0xd7f8974fb5ac78d9ac099b9ad5018bedc2ce0a72dad1827a1709da30580f0544",
		      "transactionsRoot", "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421",
		      "receiptsRoot", "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421",
		      "logsBloom", bloom,
		      "difficulty", "0x400000000",
		      "number", "0x0",
		      "gasLimit", "0x1388",
		      "gasUsed", "0x0",
		      "timestamp", "0x0",
		      "extraData", "0x11bbe8db4e347b4e8c937c1c8370e4b5ed33adb3db69cbdb7a38e1e50b1b82fa",
		      "mixHash", Z32,
		      "nonce", "0x0000000000000042",
		      "hash", "0x" GENESIS_HASH,
		      "size", "0x21c",
		      "transactions");
	assert_non_null(o);
	return o;
}

static void hex32(uint8_t out[32], const char *hex)
{
	assert_true(px_hex_decode_fixed(NULL, out, 32, hex, strlen(hex)));
}

static int from_json(struct eth_header *h, json_t *o, enum eth_header_naming n, struct px_err *err)
{
	px_err_clear(err);
	if (eth_header_from_json(err, h, o, n))
		return 0;
	return err->code;
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

static void test_genesis(void **state)
{
	json_t *o = genesis_json();
	struct eth_header h;
	struct eth_trusted_header t;
	struct px_err err = { 0 };
	uint8_t want[32], got[32];

	(void)state;
	hex32(want, GENESIS_HASH);
	assert_int_equal(from_json(&h, o, ETH_NAMING_RPC, &err), 0);
	assert_int_equal(h.nfields, ETH_FIELDS_FRONTIER);
	assert_string_equal(eth_header_fork_name(h.nfields), "frontier");
	assert_true(h.has_claimed_hash);
	assert_memory_equal(h.claimed_hash, want, 32);
	assert_int_equal(h.gas_limit, 5000);
	assert_int_equal(h.extra_data_len, 32);
	eth_header_hash(got, &h);
	assert_memory_equal(got, want, 32);
	assert_true(eth_header_verify_checkpoint(&err, &t, &h, want));
	assert_memory_equal(t.hash, want, 32);
	assert_memory_equal(t.header.state_root, h.state_root, 32);
	json_decref(o);
}

static void test_fixture_naming(void **state)
{
	json_t *o = genesis_json(), *f = json_deep_copy(o);
	struct eth_header a, b;
	struct px_err err = { 0 };
	static const char *const ren[][2] = {
		{ "sha3Uncles", "uncleHash" }, { "miner", "coinbase" },
		{ "transactionsRoot", "transactionsTrie" }, { "receiptsRoot", "receiptTrie" },
		{ "logsBloom", "bloom" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(ren) / sizeof(ren[0]); i++) {
		json_object_set(f, ren[i][1], json_object_get(f, ren[i][0]));
		json_object_del(f, ren[i][0]);
	}
	json_object_set_new(f, "gasLimit", json_string("0x001388"));	/* leading zeros */
	assert_int_equal(from_json(&a, o, ETH_NAMING_RPC, &err), 0);
	assert_int_equal(from_json(&b, f, ETH_NAMING_FIXTURE, &err), 0);
	assert_memory_equal(&a, &b, sizeof(a));
	/* The wrong naming misses fields. */
	assert_int_equal(from_json(&b, f, ETH_NAMING_RPC, &err), PX_E_JSON);
	assert_non_null(strstr(err.msg, "'sha3Uncles'"));
	assert_true(all_zero(&b, sizeof(b)));
	json_decref(o);
	json_decref(f);
}

/* Adds the fields of later forks one group at a time. */
static void test_forks(void **state)
{
	json_t *o = genesis_json();
	struct eth_header h, back;
	struct px_err err = { 0 };
	struct px_buf enc = PX_BUF_INIT;
	uint8_t prev[32] = { 0 }, cur[32];
	static const struct { const char *name, *value; unsigned fields; } add[] = {
		{ "baseFeePerGas", "0x3b9aca00", 16 },
		{ "withdrawalsRoot", Z32, 17 },
		{ "blobGasUsed", "0x20000", 0 },
		{ "excessBlobGas", "0x0", 0 },
		{ "parentBeaconBlockRoot", Z32, 20 },
		{ "requestsHash", "0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 21 },
	};

	(void)state;
	json_object_del(o, "hash");
	for (size_t i = 0; i < sizeof(add) / sizeof(add[0]); i++) {
		json_object_set_new(o, add[i].name, json_string(add[i].value));
		if (!add[i].fields) {
			/* 18 or 19 fields: no fork has that set. */
			assert_int_equal(from_json(&h, o, ETH_NAMING_RPC, &err), PX_E_MALFORMED);
			continue;
		}
		assert_int_equal(from_json(&h, o, ETH_NAMING_RPC, &err), 0);
		assert_int_equal(h.nfields, add[i].fields);
		assert_false(h.has_claimed_hash);
		eth_header_hash(cur, &h);
		assert_memory_not_equal(cur, prev, 32);
		memcpy(prev, cur, 32);
		/* RLP round trip. */
		px_buf_reset(&enc);
		eth_header_encode(&enc, &h);
		assert_true(px_buf_ok(&enc));
		{
			uint8_t *c = malloc(enc.len), hh[32];

			assert_non_null(c);
			memcpy(c, enc.data, enc.len);
			assert_true(eth_header_decode(&err, &back, c, enc.len));
			assert_memory_equal(&back, &h, sizeof(h));
			eth_keccak256(hh, c, enc.len);
			assert_memory_equal(hh, cur, 32);
			free(c);
		}
	}
	assert_string_equal(eth_header_fork_name(21), "prague");
	/* A gap: London's field removed under later ones. */
	json_object_del(o, "baseFeePerGas");
	assert_int_equal(from_json(&h, o, ETH_NAMING_RPC, &err), PX_E_MALFORMED);
	assert_non_null(strstr(err.msg, "baseFeePerGas"));
	/* null is absent. */
	json_object_set_new(o, "baseFeePerGas", json_null());
	assert_int_equal(from_json(&h, o, ETH_NAMING_RPC, &err), PX_E_MALFORMED);
	json_decref(o);
	px_buf_free(&enc);
}

static void test_bad_fields(void **state)
{
	json_t *base = genesis_json(), *o;
	struct eth_header h;
	struct px_err err = { 0 };
	char big[2 + 2 * 1025 + 1] = "0x";

	(void)state;
#define BAD(field, value, want)                                           \
	do {                                                              \
		o = json_deep_copy(base);                                 \
		json_t *v_ = (value);                                     \
		if (v_)                                                   \
			json_object_set_new(o, field, v_);                \
		else                                                      \
			json_object_del(o, field);                        \
		assert_int_equal(from_json(&h, o, ETH_NAMING_RPC, &err), want); \
		assert_non_null(strstr(err.msg, field));                  \
		assert_true(all_zero(&h, sizeof(h)));                     \
		json_decref(o);                                           \
	} while (0)
	BAD("stateRoot", NULL, PX_E_JSON);
	BAD("stateRoot", json_integer(1), PX_E_JSON);
	BAD("stateRoot", json_string("0x1234"), PX_E_ENCODING);
	BAD("stateRoot", json_string("d7f8974fb5ac78d9ac099b9ad5018bedc2ce0a72dad1827a1709da30580f0544"),
	    PX_E_ENCODING);
	BAD("miner", json_string("0x000000000000000000000000000000000000000"), PX_E_ENCODING);
	BAD("number", json_integer(0), PX_E_JSON);
	BAD("number", json_string("0"), PX_E_ENCODING);
	BAD("gasLimit", json_string("0x10000000000000000"), PX_E_NUMBER);
	BAD("difficulty", json_string("0x1" "0000000000000000000000000000000000000000000000000000000000000000"),
	    PX_E_NUMBER);
	BAD("nonce", json_string("0x42"), PX_E_ENCODING);
	BAD("hash", json_string("0x1234"), PX_E_ENCODING);
	BAD("logsBloom", json_string("0x00"), PX_E_ENCODING);
	memset(big + 2, 'a', 2 * 1025);
	big[sizeof(big) - 1] = '\0';
	BAD("extraData", json_string(big), PX_E_TOO_LARGE);
	BAD("extraData", json_string("0xabc"), PX_E_ENCODING);
#undef BAD
	assert_int_equal(from_json(&h, json_array_get(json_object_get(base, "transactions"), 0),
				   ETH_NAMING_RPC, &err), PX_E_JSON);
	json_decref(base);
}

static void test_rlp_refusals(void **state)
{
	json_t *o = genesis_json();
	struct eth_header h, d;
	struct px_err err = { 0 };
	struct px_buf enc = PX_BUF_INIT, mod = PX_BUF_INIT;

	(void)state;
	assert_int_equal(from_json(&h, o, ETH_NAMING_RPC, &err), 0);
	eth_header_encode(&enc, &h);
	assert_true(px_buf_ok(&enc));
	for (size_t n = 0; n < enc.len; n++) {
		uint8_t *c = malloc(n ? n : 1);

		assert_non_null(c);
		memcpy(c, enc.data, n);
		px_err_clear(&err);
		assert_false(eth_header_decode(&err, &d, c, n));
		assert_true(err.code >= 200 && err.code < 300);
		assert_true(all_zero(&d, sizeof(d)));
		free(c);
	}
	/* Trailing byte. */
	px_buf_append(&mod, enc.data, enc.len);
	px_buf_push(&mod, 0x00);
	px_err_clear(&err);
	assert_false(eth_header_decode(&err, &d, mod.data, mod.len));
	/* 14 fields and 22 fields. */
	{
		/* The genesis list with its last field (nonce, 9 bytes) cut:
		 * the payload shrinks by 9, so rebuild the prefix. */
		uint8_t buf[600];
		size_t payload = enc.len - 3 - 9;	/* prefix f9 XX XX */

		assert_true(enc.data[0] == 0xf9);
		buf[0] = 0xf9;
		buf[1] = (uint8_t)(payload >> 8);
		buf[2] = (uint8_t)payload;
		memcpy(buf + 3, enc.data + 3, payload);
		px_err_clear(&err);
		assert_false(eth_header_decode(&err, &d, buf, payload + 3));
		assert_int_equal(err.code, PX_E_MALFORMED);
		/* 15 + 7 = 22 fields: genesis plus seven 1-byte items. */
		payload = enc.len - 3 + 7;
		buf[1] = (uint8_t)(payload >> 8);
		buf[2] = (uint8_t)payload;
		memcpy(buf + 3, enc.data + 3, enc.len - 3);
		memset(buf + enc.len, 0x01, 7);
		px_err_clear(&err);
		assert_false(eth_header_decode(&err, &d, buf, payload + 3));
		assert_int_equal(err.code, PX_E_MALFORMED);
	}
	/* A non-canonical integer: number 0 written as 0x00. */
	{
		struct eth_header x = h;
		struct px_buf b = PX_BUF_INIT;
		size_t at;

		x.number = 0x7f;	/* encodes as the single byte 0x7f */
		eth_header_encode(&b, &x);
		for (at = 0; at < b.len && b.data[at] != 0x7f; at++)
			;
		assert_true(at < b.len);
		b.data[at] = 0x00;
		px_err_clear(&err);
		assert_false(eth_header_decode(&err, &d, b.data, b.len));
		assert_int_equal(err.code, PX_E_NONCANONICAL);
		px_buf_free(&b);
	}
	px_buf_free(&enc);
	px_buf_free(&mod);
	json_decref(o);
}

static void test_trust(void **state)
{
	json_t *o = genesis_json();
	struct eth_header g, child;
	struct eth_trusted_header tg, tc;
	struct px_err err = { 0 };
	uint8_t want[32], wrong[32];

	(void)state;
	hex32(want, GENESIS_HASH);
	assert_int_equal(from_json(&g, o, ETH_NAMING_RPC, &err), 0);
	memcpy(wrong, want, 32);
	wrong[0] ^= 1;
	/* Another checkpoint hash. */
	assert_false(eth_header_verify_checkpoint(&err, &tg, &g, wrong));
	assert_int_equal(err.code, PX_E_HASH_MISMATCH);
	assert_int_equal(px_code_exit_status(err.code), 1);
	assert_true(all_zero(&tg, sizeof(tg)));
	/* A claimed hash the fields do not give. */
	{
		struct eth_header x = g;

		x.claimed_hash[3] ^= 0x10;
		px_err_clear(&err);
		assert_false(eth_header_verify_checkpoint(&err, &tg, &x, want));
		assert_int_equal(err.code, PX_E_HASH_MISMATCH);
		/* A changed field. */
		x = g;
		x.gas_limit++;
		px_err_clear(&err);
		assert_false(eth_header_verify_checkpoint(&err, &tg, &x, want));
		assert_int_equal(err.code, PX_E_HASH_MISMATCH);
	}
	px_err_clear(&err);
	assert_true(eth_header_verify_checkpoint(&err, &tg, &g, want));

	/* A child of genesis. */
	child = g;
	child.has_claimed_hash = false;
	memcpy(child.parent_hash, want, 32);
	child.number = 1;
	child.timestamp = 1438269988;
	px_err_clear(&err);
	assert_true(eth_header_verify_child(&err, &tc, &tg, &child));
	assert_int_equal(tc.header.number, 1);
	{
		struct eth_header x = child;
		struct eth_trusted_header t2;

		x.parent_hash[31] ^= 1;
		px_err_clear(&err);
		assert_false(eth_header_verify_child(&err, &t2, &tg, &x));
		assert_int_equal(err.code, PX_E_PARENT_MISMATCH);
		assert_true(all_zero(&t2, sizeof(t2)));
		x = child;
		x.number = 2;
		px_err_clear(&err);
		assert_false(eth_header_verify_child(&err, &t2, &tg, &x));
		assert_int_equal(err.code, PX_E_NOT_SUCCESSOR);
		x = child;
		x.has_claimed_hash = true;
		memcpy(x.claimed_hash, want, 32);
		px_err_clear(&err);
		assert_false(eth_header_verify_child(&err, &t2, &tg, &x));
		assert_int_equal(err.code, PX_E_HASH_MISMATCH);
		/* Genesis is not its own child. */
		px_err_clear(&err);
		assert_false(eth_header_verify_child(&err, &t2, &tc, &g));
	}
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_genesis),
		cmocka_unit_test(test_fixture_naming),
		cmocka_unit_test(test_forks),
		cmocka_unit_test(test_bad_fields),
		cmocka_unit_test(test_rlp_refusals),
		cmocka_unit_test(test_trust),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
