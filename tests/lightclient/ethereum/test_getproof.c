/* Unit tests for lightclient/ethereum/getproof.c: eth_getProof results
 * built here from a small state (trie.c makes the proofs) verify against
 * their state root, with present, absent and empty-storage accounts and
 * present and absent slots; every claimed field changed is refused
 * (value_mismatch), a wrong root is refused, and malformed results are
 * reported as malformed with the field named. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "lightclient/ethereum/ethjson.h"
#include "lightclient/ethereum/getproof.h"
#include "lightclient/ethereum/keccak.h"
#include "lightclient/ethereum/rlp.h"
#include "lightclient/ethereum/trie.h"

static const uint8_t addr_a[20] = { 0xaa, 1 }, addr_b[20] = { 0xbb, 2 }, addr_c[20] = { 0xcc, 3 };

static struct {
	uint8_t state_root[32], storage_root[32];
	struct mpt_kv accts[2], slots[2];
	struct px_buf acct_rlp[2], slot_rlp[2];
	uint8_t slot_keys[2][32];
} w;

static int setup(void **state)
{
	(void)state;
	memset(&w, 0, sizeof(w));
	for (int i = 0; i < 2; i++) {
		w.slot_keys[i][31] = (uint8_t)(i + 1);	/* slots 1 and 2 */
		rlp_put_u64(&w.slot_rlp[i], i == 0 ? 0x2a : 0x0100);
		w.slots[i].key = w.slot_keys[i];
		w.slots[i].key_len = 32;
		w.slots[i].value = w.slot_rlp[i].data;
		w.slots[i].value_len = w.slot_rlp[i].len;
	}
	assert_true(mpt_trie_root(NULL, w.storage_root, w.slots, 2, true));
	for (int i = 0; i < 2; i++) {
		size_t s = rlp_list_begin(&w.acct_rlp[i]);
		static const uint8_t code[] = { 0x60, 0x00 };
		uint8_t ch[32];

		eth_keccak256(ch, code, sizeof(code));
		rlp_put_u64(&w.acct_rlp[i], i == 0 ? 7 : 0);
		rlp_put_u64(&w.acct_rlp[i], i == 0 ? 1000000000000000000ULL : 13);
		rlp_put_bytes(&w.acct_rlp[i], i == 0 ? w.storage_root : mpt_empty_root, 32);
		rlp_put_bytes(&w.acct_rlp[i], i == 0 ? ch : mpt_empty_code_hash, 32);
		rlp_list_end(&w.acct_rlp[i], s);
		w.accts[i].key = i == 0 ? addr_a : addr_b;
		w.accts[i].key_len = 20;
		w.accts[i].value = w.acct_rlp[i].data;
		w.accts[i].value_len = w.acct_rlp[i].len;
	}
	assert_true(mpt_trie_root(NULL, w.state_root, w.accts, 2, true));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < 2; i++) {
		px_buf_free(&w.acct_rlp[i]);
		px_buf_free(&w.slot_rlp[i]);
	}
	return 0;
}

static json_t *proof_json(const struct mpt_kv *kvs, size_t n, const uint8_t *key, size_t kl)
{
	struct px_buf nodes = PX_BUF_INIT;
	size_t lens[MPT_MAX_PROOF_NODES + 1], count, off = 0;
	uint8_t root[32];
	json_t *a = json_array();

	assert_true(mpt_trie_prove(NULL, root, &nodes, lens, &count, kvs, n, true, key, kl));
	for (size_t i = 0; i < count; i++) {
		char *hex = malloc(2 * lens[i] + 3);

		assert_non_null(hex);
		eth_hex_format(hex, 2 * lens[i] + 3, nodes.data + off, lens[i]);
		json_array_append_new(a, json_string(hex));
		free(hex);
		off += lens[i];
	}
	px_buf_free(&nodes);
	return a;
}

static json_t *hexj(const uint8_t *b, size_t n)
{
	char h[80];

	eth_hex_format(h, sizeof(h), b, n);
	return json_string(h);
}

/* A result for account a (0: A, 1: B, 2: C absent) with the given slots. */
static json_t *result(int a, const uint8_t *slots, size_t nslots)
{
	const uint8_t *addr = a == 0 ? addr_a : a == 1 ? addr_b : addr_c;
	json_t *r = json_object(), *sp = json_array();
	static const uint8_t code[] = { 0x60, 0x00 };
	uint8_t ch[32];

	eth_keccak256(ch, code, sizeof(code));
	json_object_set_new(r, "address", hexj(addr, 20));
	json_object_set_new(r, "accountProof", proof_json(w.accts, 2, addr, 20));
	json_object_set_new(r, "balance", json_string(a == 0 ? "0xde0b6b3a7640000" : a == 1 ? "0xd" : "0x0"));
	json_object_set_new(r, "nonce", json_string(a == 0 ? "0x7" : "0x0"));
	json_object_set_new(r, "codeHash", hexj(a == 0 ? ch : mpt_empty_code_hash, 32));
	json_object_set_new(r, "storageHash", hexj(a == 0 ? w.storage_root : mpt_empty_root, 32));
	for (size_t i = 0; i < nslots; i++) {
		uint8_t key[32] = { 0 };
		char k[8];
		const char *v = "0x0";

		key[31] = slots[i];
		snprintf(k, sizeof(k), "0x%x", slots[i]);
		if (a == 0 && slots[i] == 1)
			v = "0x2a";
		if (a == 0 && slots[i] == 2)
			v = "0x100";
		json_array_append_new(sp, json_pack("{s:s, s:s, s:o}", "key", k, "value", v, "proof",
						    a == 0 ? proof_json(w.slots, 2, key, 32) : json_array()));
	}
	json_object_set_new(r, "storageProof", sp);
	return r;
}

static int run(const json_t *r, const uint8_t *root, struct mpt_get_proof *out, struct px_err *err)
{
	px_err_clear(err);
	if (mpt_get_proof_verify(err, out, root, r))
		return 0;
	assert_null(out->slots);
	assert_int_equal(out->nslots, 0);
	return err->code;
}

static void test_valid(void **state)
{
	static const uint8_t slots[] = { 1, 2, 3 };
	struct mpt_get_proof p;
	struct px_err err = { 0 };
	json_t *r = result(0, slots, 3);

	(void)state;
	assert_int_equal(run(r, w.state_root, &p, &err), 0);
	assert_true(p.account_exists);
	assert_int_equal(p.account.nonce, 7);
	assert_memory_equal(p.account.storage_root, w.storage_root, 32);
	assert_int_equal(p.nslots, 3);
	assert_true(p.slots[0].exists);
	assert_int_equal(p.slots[0].value[31], 0x2a);
	assert_true(p.slots[1].exists);
	assert_int_equal(p.slots[1].value[30], 0x01);
	assert_false(p.slots[2].exists);
	mpt_get_proof_free(&p);
	json_decref(r);

	/* Empty storage, in both forms; slot 5 is zero. */
	r = result(1, slots + 2, 1);
	assert_int_equal(run(r, w.state_root, &p, &err), 0);
	assert_true(p.account_exists);
	assert_false(p.slots[0].exists);
	mpt_get_proof_free(&p);
	json_array_append_new(json_object_get(json_array_get(json_object_get(r, "storageProof"), 0),
					      "proof"), json_string("0x80"));
	assert_int_equal(run(r, w.state_root, &p, &err), 0);
	mpt_get_proof_free(&p);
	json_decref(r);

	/* Absent account; zero hashes also accepted for its claims. */
	r = result(2, slots, 1);
	assert_int_equal(run(r, w.state_root, &p, &err), 0);
	assert_false(p.account_exists);
	mpt_get_proof_free(&p);
	json_object_set_new(r, "codeHash", json_string("0x0000000000000000000000000000000000000000000000000000000000000000"));
	json_object_set_new(r, "storageHash", json_string("0x0000000000000000000000000000000000000000000000000000000000000000"));
	assert_int_equal(run(r, w.state_root, &p, &err), 0);
	mpt_get_proof_free(&p);
	json_decref(r);
}

static void test_claims_refused(void **state)
{
	static const uint8_t slots[] = { 1, 3 };
	static const struct { int acct; const char *field, *value; } cases[] = {
		{ 0, "nonce", "0x8" },
		{ 0, "balance", "0xde0b6b3a7640001" },
		{ 0, "codeHash", "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470" },
		{ 0, "storageHash", "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421" },
		{ 2, "balance", "0x1" },
		{ 2, "nonce", "0x1" },
		{ 2, "codeHash", "0x1111111111111111111111111111111111111111111111111111111111111111" },
		{ 2, "storageHash", "0x1111111111111111111111111111111111111111111111111111111111111111" },
	};
	struct mpt_get_proof p;
	struct px_err err = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *r = result(cases[i].acct, slots, 2);

		json_object_set_new(r, cases[i].field, json_string(cases[i].value));
		assert_int_equal(run(r, w.state_root, &p, &err), PX_E_VALUE_MISMATCH);
		assert_non_null(strstr(err.msg, cases[i].field));
		json_decref(r);
	}
	{
		json_t *r = result(0, slots, 2), *s;

		/* A slot's value. */
		s = json_array_get(json_object_get(r, "storageProof"), 0);
		json_object_set_new(s, "value", json_string("0x2b"));
		assert_int_equal(run(r, w.state_root, &p, &err), PX_E_VALUE_MISMATCH);
		json_object_set_new(s, "value", json_string("0x2a"));
		/* An absent slot claimed non-zero. */
		s = json_array_get(json_object_get(r, "storageProof"), 1);
		json_object_set_new(s, "value", json_string("0x1"));
		assert_int_equal(run(r, w.state_root, &p, &err), PX_E_VALUE_MISMATCH);
		json_object_set_new(s, "value", json_string("0x0"));
		/* Another key for a present slot's proof. */
		s = json_array_get(json_object_get(r, "storageProof"), 0);
		json_object_set_new(s, "key", json_string("0x2"));
		assert_int_not_equal(run(r, w.state_root, &p, &err), 0);
		json_object_set_new(s, "key", json_string("0x1"));
		assert_int_equal(run(r, w.state_root, &p, &err), 0);
		mpt_get_proof_free(&p);
		/* Wrong state root. */
		assert_int_equal(run(r, w.storage_root, &p, &err), PX_E_ROOT_MISMATCH);
		/* Account B's proof under A's address. */
		json_object_set_new(r, "accountProof", proof_json(w.accts, 2, addr_b, 20));
		assert_int_not_equal(run(r, w.state_root, &p, &err), 0);
		json_decref(r);
	}
}

static void test_malformed(void **state)
{
	static const uint8_t slots[] = { 1 };
	struct mpt_get_proof p;
	struct px_err err = { 0 };
	json_t *base = result(0, slots, 1), *r, *many;

	(void)state;
#define MAL(field, value, want)                                             \
	do {                                                                \
		r = json_deep_copy(base);                                   \
		json_t *v_ = (value);                                       \
		if (v_)                                                     \
			json_object_set_new(r, field, v_);                  \
		else                                                        \
			json_object_del(r, field);                          \
		assert_int_equal(run(r, w.state_root, &p, &err), want);     \
		assert_int_equal(px_code_exit_status(err.code), 2);         \
		assert_non_null(strstr(err.msg, field));                    \
		json_decref(r);                                             \
	} while (0)
	MAL("address", NULL, PX_E_JSON);
	MAL("address", json_string("0xaa01"), PX_E_ENCODING);
	MAL("balance", json_integer(5), PX_E_JSON);
	MAL("balance", json_string("5"), PX_E_ENCODING);
	MAL("nonce", json_string("0x10000000000000000"), PX_E_NUMBER);
	MAL("codeHash", json_string("0x00"), PX_E_ENCODING);
	MAL("accountProof", json_string("0x00"), PX_E_JSON);
	MAL("accountProof", json_pack("[i]", 1), PX_E_JSON);
	MAL("accountProof", json_pack("[s]", "0xabc"), PX_E_ENCODING);
	MAL("accountProof", json_pack("[s]", "abcd"), PX_E_ENCODING);
	MAL("storageProof", json_object(), PX_E_JSON);
	MAL("storageProof", json_pack("[{s:s, s:s}]", "key", "0x1", "value", "0x0"), PX_E_JSON);
	MAL("storageProof", json_pack("[{s:s, s:s, s:[]}]", "key",
				      "0x010000000000000000000000000000000000000000000000000000000000000000",
				      "value", "0x0", "proof"), PX_E_NUMBER);
	many = json_array();
	for (int i = 0; i <= (int)MPT_MAX_PROOF_NODES; i++)
		json_array_append_new(many, json_string("0x80"));
	MAL("accountProof", many, PX_E_TOO_LARGE);
#undef MAL
	/* Not an object at all. */
	r = json_array();
	assert_int_equal(run(r, w.state_root, &p, &err), PX_E_JSON);
	json_decref(r);
	/* Malformed beats not verified: a bad slot after a wrong root. */
	r = json_deep_copy(base);
	json_object_set_new(json_array_get(json_object_get(r, "storageProof"), 0), "key",
			    json_string("0xzz"));
	assert_int_equal(run(r, w.storage_root, &p, &err), PX_E_ENCODING);
	json_decref(r);
	json_decref(base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_claims_refused),
		cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
