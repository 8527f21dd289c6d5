/* Unit tests for lightclient/ethereum/mpt.c. Proofs come from the trie
 * builder (trie.c) over random tries with short keys (so children are
 * embedded) and over secure tries; each present key must prove its value,
 * each absent key its absence, and every change refused: one byte changed
 * in any node, a wrong root, a node dropped or added, another key, the
 * caps, hand-made nodes that are not trie nodes. Accounts and slots are
 * checked through mpt_verify_account and mpt_verify_storage. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "lightclient/ethereum/keccak.h"
#include "lightclient/ethereum/mpt.h"
#include "lightclient/ethereum/rlp.h"
#include "lightclient/ethereum/trie.h"

struct proof {
	struct px_buf bytes;
	size_t lens[MPT_MAX_PROOF_NODES + 1];
	struct px_slice nodes[MPT_MAX_PROOF_NODES + 2];
	size_t n;
	uint8_t root[32];
};

/* Proof of key in kvs, each node copied to its own heap block of its
 * exact length so AddressSanitizer sees any over-read. */
static void prove(struct proof *p, const struct mpt_kv *kvs, size_t n, bool secure,
		  const uint8_t *key, size_t key_len)
{
	size_t off = 0;

	memset(p, 0, sizeof(*p));
	assert_true(mpt_trie_prove(NULL, p->root, &p->bytes, p->lens, &p->n, kvs, n, secure, key,
				   key_len));
	for (size_t i = 0; i < p->n; i++) {
		uint8_t *c = malloc(p->lens[i]);

		assert_non_null(c);
		memcpy(c, p->bytes.data + off, p->lens[i]);
		p->nodes[i].ptr = c;
		p->nodes[i].len = p->lens[i];
		off += p->lens[i];
	}
}

static void proof_free(struct proof *p)
{
	for (size_t i = 0; i < p->n; i++)
		free((void *)p->nodes[i].ptr);
	px_buf_free(&p->bytes);
}

/* Verifies; returns the error code (0 ok). */
static int verify(const struct proof *p, const uint8_t *root, const uint8_t *key, size_t key_len,
		  bool *found, struct px_slice *v)
{
	struct px_err err = { 0 };

	if (mpt_verify(&err, found, v, root, key, key_len, p->nodes, p->n))
		return 0;
	assert_false(*found);
	assert_int_equal(v->len, 0);
	return err.code;
}

enum { N = 120 };
static uint8_t keys[N][6], vals[N][64];
static struct mpt_kv kvs[N];

static void make_trie(size_t nk, uint32_t seed)
{
	for (size_t i = 0; i < nk; i++) {
		size_t kl = 1 + (i % 3), vl = 1 + (seed + i * 13) % 60;

		for (size_t j = 0; j < 6; j++)
			keys[i][j] = (uint8_t)((seed = seed * 1103515245u + 12345u) >> 24);
		keys[i][0] = (uint8_t)i;
		for (size_t j = 0; j < vl; j++)
			vals[i][j] = (uint8_t)(seed >> (j % 24));
		kvs[i].key = keys[i];
		kvs[i].key_len = kl;
		kvs[i].value = vals[i];
		kvs[i].value_len = vl;
	}
}

static void test_present_and_absent(void **state)
{
	(void)state;
	for (int round = 0; round < 6; round++) {
		size_t nk = round < 2 ? 3 + round : N;
		bool secure = round % 2 == 1;

		make_trie(nk, 77u + (uint32_t)round);
		for (size_t i = 0; i < nk; i++) {
			struct proof p;
			struct px_slice v;
			bool found;
			uint8_t hk[32];
			const uint8_t *k = kvs[i].key;
			size_t kl = kvs[i].key_len;

			prove(&p, kvs, nk, secure, k, kl);
			if (secure) {
				eth_keccak256(hk, k, kl);
				k = hk;
				kl = 32;
			}
			assert_int_equal(verify(&p, p.root, k, kl, &found, &v), 0);
			assert_true(found);
			assert_int_equal(v.len, kvs[i].value_len);
			assert_memory_equal(v.ptr, kvs[i].value, v.len);
			proof_free(&p);
		}
		/* Keys that are not in the trie. */
		for (unsigned a = 0; a < 40; a++) {
			uint8_t key[4] = { (uint8_t)(a * 37), 0xee, (uint8_t)a, 0x01 }, hk[32];
			struct proof p;
			struct px_slice v;
			bool found;
			bool present = false;

			for (size_t i = 0; i < nk; i++)
				present = present || (kvs[i].key_len == 4 && memcmp(kvs[i].key, key, 4) == 0);
			if (present)
				continue;
			prove(&p, kvs, nk, secure, key, 4);
			if (secure)
				eth_keccak256(hk, key, 4);
			assert_int_equal(verify(&p, p.root, secure ? hk : key, secure ? 32 : 4, &found, &v), 0);
			assert_false(found);
			proof_free(&p);
		}
	}
}

static void test_changes_refused(void **state)
{
	struct proof p;
	struct px_slice v;
	bool found;
	uint8_t wrong[32];

	(void)state;
	make_trie(N, 5);
	prove(&p, kvs, N, false, kvs[17].key, kvs[17].key_len);
	assert_true(p.n >= 2);
	/* Every byte of every node. */
	for (size_t i = 0; i < p.n; i++) {
		uint8_t *node = (uint8_t *)p.nodes[i].ptr;

		for (size_t b = 0; b < p.nodes[i].len; b++) {
			int code;

			node[b] ^= 0x01;
			code = verify(&p, p.root, kvs[17].key, kvs[17].key_len, &found, &v);
			assert_int_not_equal(code, 0);
			/* The first changed node no longer hashes to its reference. */
			assert_int_equal(code, PX_E_ROOT_MISMATCH);
			node[b] ^= 0x01;
		}
	}
	assert_int_equal(verify(&p, p.root, kvs[17].key, kvs[17].key_len, &found, &v), 0);
	/* Wrong root. */
	memcpy(wrong, p.root, 32);
	wrong[9] ^= 0x20;
	assert_int_equal(verify(&p, wrong, kvs[17].key, kvs[17].key_len, &found, &v), PX_E_ROOT_MISMATCH);
	/* Last node dropped, a node added. */
	p.n--;
	assert_int_equal(verify(&p, p.root, kvs[17].key, kvs[17].key_len, &found, &v), PX_E_PROOF_SHAPE);
	p.n++;
	p.nodes[p.n] = p.nodes[0];
	p.n++;
	assert_int_equal(verify(&p, p.root, kvs[17].key, kvs[17].key_len, &found, &v), PX_E_PROOF_SHAPE);
	p.n--;
	/* The proof of one key for others: refused, or (when the proofs
	 * coincide) the other key's true value. */
	for (size_t i = 0; i < N; i++) {
		int code;

		if (i == 17)
			continue;
		code = verify(&p, p.root, kvs[i].key, kvs[i].key_len, &found, &v);
		if (code == 0 && found) {
			assert_int_equal(v.len, kvs[i].value_len);
			assert_memory_equal(v.ptr, kvs[i].value, v.len);
		}
		if (code == 0 && !found)
			fail_msg("key %zu, present, proven absent with another key's proof", i);
	}
	proof_free(&p);
}

static void test_empty_and_caps(void **state)
{
	static const uint8_t empty_node[] = { 0x80 };
	static uint8_t key[MPT_MAX_KEY + 1];
	struct px_slice nodes[MPT_MAX_PROOF_NODES + 1], v;
	struct px_err err = { 0 };
	bool found;

	(void)state;
	assert_true(mpt_verify(&err, &found, &v, mpt_empty_root, key, 32, NULL, 0));
	assert_false(found);
	nodes[0].ptr = empty_node;
	nodes[0].len = 1;
	assert_true(mpt_verify(&err, &found, &v, mpt_empty_root, key, 32, nodes, 1));
	assert_false(found);
	nodes[1] = nodes[0];
	assert_false(mpt_verify(&err, &found, &v, mpt_empty_root, key, 32, nodes, 2));
	assert_int_equal(err.code, PX_E_PROOF_SHAPE);
	px_err_clear(&err);
	assert_false(mpt_verify(&err, &found, &v, key /* zero root */, key, 32, NULL, 0));
	assert_int_equal(err.code, PX_E_PROOF_SHAPE);
	/* Caps: too many nodes, too long a key, too large a node. */
	for (size_t i = 0; i <= MPT_MAX_PROOF_NODES; i++)
		nodes[i] = nodes[0];
	px_err_clear(&err);
	assert_false(mpt_verify(&err, &found, &v, mpt_empty_root, key, 32, nodes, MPT_MAX_PROOF_NODES + 1));
	assert_int_equal(err.code, PX_E_TOO_LARGE);
	px_err_clear(&err);
	assert_false(mpt_verify(&err, &found, &v, mpt_empty_root, key, sizeof(key), nodes, 1));
	assert_int_equal(err.code, PX_E_TOO_LARGE);
	{
		uint8_t *big = calloc(1, MPT_MAX_NODE_BYTES + 1);

		assert_non_null(big);
		nodes[0].ptr = big;
		nodes[0].len = MPT_MAX_NODE_BYTES + 1;
		px_err_clear(&err);
		assert_false(mpt_verify(&err, &found, &v, mpt_empty_root, key, 32, nodes, 1));
		assert_int_equal(err.code, PX_E_TOO_LARGE);
		free(big);
	}
}

/* A one-node proof whose node is `node`, rooted at its hash. */
static int one_node(const uint8_t *node, size_t len, const uint8_t *key, size_t key_len)
{
	struct px_slice s = { node, len }, v;
	struct px_err err = { 0 };
	uint8_t root[32];
	bool found;

	eth_keccak256(root, node, len);
	if (mpt_verify(&err, &found, &v, root, key, key_len, &s, 1))
		return found ? -1 : -2;
	return err.code;
}

static void test_bad_nodes(void **state)
{
	static const uint8_t key[1] = { 0x12 };
	/* A leaf [0x2012 (even leaf, path 1 2), "v"]: well formed. */
	static const uint8_t leaf[] = { 0xc5, 0x82, 0x20, 0x12, 0x81, 0xff };
	static const uint8_t leaf_odd_flag[] = { 0xc5, 0x82, 0x31, 0x12, 0x81, 0xff };
	static const uint8_t bad_flag[] = { 0xc5, 0x82, 0x40, 0x12, 0x81, 0xff };
	static const uint8_t even_junk[] = { 0xc5, 0x82, 0x25, 0x12, 0x81, 0xff };
	static const uint8_t three[] = { 0xc3, 0x80, 0x80, 0x80 };
	static const uint8_t noncanon[] = { 0xc6, 0x82, 0x20, 0x12, 0x81, 0x05, 0x00 };
	static const uint8_t empty_value[] = { 0xc4, 0x82, 0x20, 0x12, 0x80 };
	static const uint8_t not_list[] = { 0x83, 0x01, 0x02, 0x03 };
	(void)state;
	assert_int_equal(one_node(leaf, sizeof(leaf), key, 1), -1);
	assert_int_equal(one_node(leaf, sizeof(leaf), (const uint8_t *)"\x13", 1), -2);
	assert_int_equal(one_node(leaf_odd_flag, sizeof(leaf_odd_flag), key, 1), -2);
	assert_int_equal(one_node(bad_flag, sizeof(bad_flag), key, 1), PX_E_MALFORMED);
	assert_int_equal(one_node(even_junk, sizeof(even_junk), key, 1), PX_E_MALFORMED);
	assert_int_equal(one_node(three, sizeof(three), key, 1), PX_E_MALFORMED);
	assert_int_equal(one_node(noncanon, sizeof(noncanon), key, 1), PX_E_NONCANONICAL);
	assert_int_equal(one_node(empty_value, sizeof(empty_value), key, 1), PX_E_MALFORMED);
	assert_int_equal(one_node(not_list, sizeof(not_list), key, 1), PX_E_MALFORMED);
	assert_int_equal(one_node(leaf, sizeof(leaf) - 1, key, 1), PX_E_TRUNCATED);
	/* Branches: a child that is no reference, a lone value. */
	{
		uint8_t b2[18];

		b2[0] = 0xd1;
		for (int i = 1; i < 18; i++)
			b2[i] = 0x80;
		b2[2] = 0x01;	/* slot 1 "child" 0x01: neither a hash nor a list */
		assert_int_equal(one_node(b2, sizeof(b2), key, 1), PX_E_MALFORMED);
		b2[2] = 0x80;
		b2[17] = 0x05;	/* only a value */
		assert_int_equal(one_node(b2, sizeof(b2), key, 1), PX_E_MALFORMED);
	}
}

static void test_account_and_storage(void **state)
{
	static const uint8_t addr[3][20] = { { 1 }, { 2 }, { 3 } };
	struct px_buf acct[2] = { PX_BUF_INIT, PX_BUF_INIT }, slotv = PX_BUF_INIT;
	uint8_t storage_root[32], slot[32] = { 0 }, value[32];
	struct mpt_kv st[2], sk;
	struct proof p;
	struct eth_account a;
	struct px_err err = { 0 };
	bool exists;

	(void)state;
	/* Storage: slot 1 = 0x2a. */
	slot[31] = 1;
	rlp_put_u64(&slotv, 0x2a);
	sk.key = slot;
	sk.key_len = 32;
	sk.value = slotv.data;
	sk.value_len = slotv.len;
	assert_true(mpt_trie_root(NULL, storage_root, &sk, 1, true));
	for (int i = 0; i < 2; i++) {
		size_t s = rlp_list_begin(&acct[i]);

		rlp_put_u64(&acct[i], (uint64_t)i + 5);
		rlp_put_u64(&acct[i], 1000000);
		rlp_put_bytes(&acct[i], i == 0 ? storage_root : mpt_empty_root, 32);
		rlp_put_bytes(&acct[i], mpt_empty_code_hash, 32);
		rlp_list_end(&acct[i], s);
		st[i].key = addr[i];
		st[i].key_len = 20;
		st[i].value = acct[i].data;
		st[i].value_len = acct[i].len;
	}
	prove(&p, st, 2, true, addr[0], 20);
	assert_true(mpt_verify_account(&err, &exists, &a, p.root, addr[0], p.nodes, p.n));
	assert_true(exists);
	assert_int_equal(a.nonce, 5);
	assert_memory_equal(a.storage_root, storage_root, 32);
	assert_int_equal(a.balance[31], 0x40);	/* 1000000 = 0x0f4240 */
	/* The same proof does not prove another address. */
	assert_false(mpt_verify_account(&err, &exists, &a, p.root, addr[1], p.nodes, p.n) && exists);
	proof_free(&p);
	prove(&p, st, 2, true, addr[2], 20);
	px_err_clear(&err);
	assert_true(mpt_verify_account(&err, &exists, &a, p.root, addr[2], p.nodes, p.n));
	assert_false(exists);
	proof_free(&p);
	/* Storage proof. */
	prove(&p, &sk, 1, true, slot, 32);
	assert_true(mpt_verify_storage(&err, &exists, value, storage_root, slot, p.nodes, p.n));
	assert_true(exists);
	assert_int_equal(value[31], 0x2a);
	slot[31] = 2;
	px_err_clear(&err);
	assert_true(mpt_verify_storage(&err, &exists, value, storage_root, slot, p.nodes, p.n));
	assert_false(exists);
	proof_free(&p);
	/* Account RLP refusals. */
	px_err_clear(&err);
	assert_false(mpt_account_decode(&err, &a, acct[0].data, acct[0].len - 1));
	{
		struct px_buf bad = PX_BUF_INIT;
		size_t s = rlp_list_begin(&bad);

		rlp_put_u64(&bad, 1);
		rlp_put_bytes(&bad, (const uint8_t *)"\x00\x01", 2);	/* balance 0x0001 */
		rlp_put_bytes(&bad, storage_root, 32);
		rlp_put_bytes(&bad, storage_root, 32);
		rlp_list_end(&bad, s);
		px_err_clear(&err);
		assert_false(mpt_account_decode(&err, &a, bad.data, bad.len));
		assert_int_equal(err.code, PX_E_NONCANONICAL);
		px_buf_free(&bad);
	}
	/* A zero stored in a slot is refused. */
	{
		static const uint8_t zero_rlp[] = { 0x80 };
		struct mpt_kv z = { slot, 32, zero_rlp, 1 };
		uint8_t r[32];

		prove(&p, &z, 1, true, slot, 32);
		assert_true(mpt_trie_root(NULL, r, &z, 1, true));
		px_err_clear(&err);
		assert_false(mpt_verify_storage(&err, &exists, value, r, slot, p.nodes, p.n));
		assert_int_equal(err.code / 100, 2);
		proof_free(&p);
	}
	px_buf_free(&acct[0]);
	px_buf_free(&acct[1]);
	px_buf_free(&slotv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_present_and_absent),
		cmocka_unit_test(test_changes_refused),
		cmocka_unit_test(test_empty_and_caps),
		cmocka_unit_test(test_bad_nodes),
		cmocka_unit_test(test_account_and_storage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
