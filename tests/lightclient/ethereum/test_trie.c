/* Unit tests for lightclient/ethereum/trie.c: the empty trie, a published
 * root (the "doe/dog/dogglesworth" example), update and delete semantics,
 * independence from insertion order, the secure form, caps, and the proof
 * collector (its nodes hash up to the root, root first). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "common/encoding.h"
#include "lightclient/ethereum/keccak.h"
#include "lightclient/ethereum/mpt.h"
#include "lightclient/ethereum/trie.h"

static struct mpt_kv kv(const char *k, const char *v)
{
	struct mpt_kv e = { (const uint8_t *)k, strlen(k), (const uint8_t *)v, strlen(v) };
	return e;
}

static void test_empty(void **state)
{
	uint8_t root[32];
	struct mpt_kv dels[2] = { kv("a", "1"), kv("a", "") };

	(void)state;
	assert_true(mpt_trie_root(NULL, root, NULL, 0, false));
	assert_memory_equal(root, mpt_empty_root, 32);
	assert_true(mpt_trie_root(NULL, root, dels, 2, true));
	assert_memory_equal(root, mpt_empty_root, 32);
}

static void test_published_root(void **state)
{
	struct mpt_kv kvs[3] = { kv("doe", "reindeer"), kv("dog", "puppy"), kv("dogglesworth", "cat") };
	uint8_t root[32], want[32];

	(void)state;
	assert_true(px_hex_decode_fixed(NULL, want, 32,
		"8aad789dff2f538bca5d8ea56e8abe10f4c7ba3a5dea95fea4cd6e7c3a1168d3", 64));
	assert_true(mpt_trie_root(NULL, root, kvs, 3, false));
	assert_memory_equal(root, want, 32);
}

static void test_updates_and_order(void **state)
{
	enum { N = 300 };
	static uint8_t keys[N][8], vals[N][40];
	struct mpt_kv a[N], b[N + 3];
	uint8_t ra[32], rb[32];
	uint32_t x = 12345;

	(void)state;
	for (size_t i = 0; i < N; i++) {
		size_t kl = 2 + i % 7, vl = 1 + (i * 7) % 40;

		for (size_t j = 0; j < 8; j++)
			keys[i][j] = (uint8_t)((x = x * 1103515245u + 12345u) >> 24);
		/* Distinct keys of several lengths, some prefixes of others. */
		keys[i][0] = (uint8_t)(i >> 4);
		keys[i][1] = (uint8_t)(i & 0x0f);
		for (size_t j = 0; j < 40; j++)
			vals[i][j] = (uint8_t)(i + j);
		a[i].key = keys[i];
		a[i].key_len = kl;
		a[i].value = vals[i];
		a[i].value_len = vl;
	}
	assert_true(mpt_trie_root(NULL, ra, a, N, false));
	/* Reversed order, plus a key set then overwritten, plus a deleted one. */
	for (size_t i = 0; i < N; i++)
		b[i + 2] = a[N - 1 - i];
	b[0] = a[5];
	b[0].value = (const uint8_t *)"old";
	b[0].value_len = 3;
	b[1] = kv("gone", "x");
	b[N + 2] = kv("gone", "");
	assert_true(mpt_trie_root(NULL, rb, b, N + 3, false));
	assert_memory_equal(ra, rb, 32);
	/* The old value last: another root. */
	b[N + 2] = b[0];
	assert_true(mpt_trie_root(NULL, rb, b, N + 3, false));
	assert_memory_not_equal(ra, rb, 32);
}

static void test_secure(void **state)
{
	struct mpt_kv kvs[3] = { kv("doe", "reindeer"), kv("dog", "puppy"), kv("dogglesworth", "cat") };
	uint8_t h[3][32], r1[32], r2[32];
	struct mpt_kv hk[3];

	(void)state;
	for (int i = 0; i < 3; i++) {
		eth_keccak256(h[i], kvs[i].key, kvs[i].key_len);
		hk[i] = kvs[i];
		hk[i].key = h[i];
		hk[i].key_len = 32;
	}
	assert_true(mpt_trie_root(NULL, r1, kvs, 3, true));
	assert_true(mpt_trie_root(NULL, r2, hk, 3, false));
	assert_memory_equal(r1, r2, 32);
}

static void test_caps(void **state)
{
	static uint8_t big[MPT_MAX_KEY + 1];
	struct mpt_kv k = { big, sizeof(big), (const uint8_t *)"v", 1 };
	struct px_err err = { 0 };
	uint8_t root[32];

	(void)state;
	assert_false(mpt_trie_root(&err, root, &k, 1, false));
	assert_int_equal(err.code, PX_E_TOO_LARGE);
}

static void test_prove_chain(void **state)
{
	struct mpt_kv kvs[4] = { kv("doe", "reindeer"), kv("dog", "puppy"), kv("dogglesworth", "cat"),
				 kv("horse", "stallion plus some padding to make it long enough") };
	struct px_buf nodes = PX_BUF_INIT;
	size_t lens[MPT_MAX_PROOF_NODES + 1], count, off = 0;
	uint8_t root[32], h[32];

	(void)state;
	assert_true(mpt_trie_prove(NULL, root, &nodes, lens, &count, kvs, 4, false,
				   (const uint8_t *)"horse", 5));
	assert_true(count >= 1);
	/* Node 0 hashes to the root. */
	eth_keccak256(h, nodes.data, lens[0]);
	assert_memory_equal(h, root, 32);
	for (size_t i = 0; i < count; i++) {
		assert_true(lens[i] >= 32);
		off += lens[i];
	}
	assert_int_equal(off, nodes.len);
	/* Empty trie: no nodes. */
	px_buf_reset(&nodes);
	assert_true(mpt_trie_prove(NULL, root, &nodes, lens, &count, NULL, 0, true,
				   (const uint8_t *)"x", 1));
	assert_int_equal(count, 0);
	assert_memory_equal(root, mpt_empty_root, 32);
	px_buf_free(&nodes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_published_root),
		cmocka_unit_test(test_updates_and_order),
		cmocka_unit_test(test_secure),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_prove_chain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
