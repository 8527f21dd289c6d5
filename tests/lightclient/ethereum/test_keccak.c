/* Unit tests for lightclient/ethereum/keccak.c: published Keccak-256
 * values, the Keccak-f[1600] permutation on the zero state, every split
 * of incremental input against the one-shot form, and FIPS-202 SHA3-256
 * (the same permutation with the 0x06 domain byte) against OpenSSL for
 * lengths across several block boundaries. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "common/buf.h"
#include "common/encoding.h"
#include "lightclient/ethereum/keccak.h"

static void assert_hex(const uint8_t *got, size_t len, const char *want)
{
	struct px_buf w = PX_BUF_INIT;

	assert_true(px_hex_decode(NULL, &w, want, strlen(want), true));
	assert_int_equal(w.len, len);
	assert_memory_equal(got, w.data, len);
	px_buf_free(&w);
}

static void test_published(void **state)
{
	uint8_t out[32];
	static const char fox[] = "The quick brown fox jumps over the lazy dog";

	(void)state;
	eth_keccak256(out, "", 0);
	assert_hex(out, 32, "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
	eth_keccak256(out, "abc", 3);
	assert_hex(out, 32, "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
	eth_keccak256(out, fox, sizeof(fox) - 1);
	assert_hex(out, 32, "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15");
	/* RLP of the empty string: the empty trie root. */
	eth_keccak256(out, "\x80", 1);
	assert_hex(out, 32, "56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
	/* RLP of the empty list: the hash of no uncles. */
	eth_keccak256(out, "\xc0", 1);
	assert_hex(out, 32, "1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");
}

static void test_permutation_zero_state(void **state)
{
	uint64_t st[25] = { 0 };

	(void)state;
	eth_keccak_f1600(st);
	/* Keccak team's KeccakF-1600 intermediate values, first lanes. */
	assert_true(st[0] == 0xF1258F7940E1DDE7ULL);
	assert_true(st[1] == 0x84D5CCF933C0478AULL);
	assert_true(st[2] == 0xD598261EA65AA9EEULL);
}

static void test_aliasing(void **state)
{
	uint8_t buf[32] = "abc", want[32];

	(void)state;
	eth_keccak256(want, buf, 3);
	eth_keccak256(buf, buf, 3);
	assert_memory_equal(buf, want, 32);
}

static void test_incremental_splits(void **state)
{
	uint8_t data[420], want[32], got[32];

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 131 + 7);
	for (size_t len = 0; len <= sizeof(data); len += (len < 280 ? 1 : 17)) {
		eth_keccak256(want, data, len);
		for (size_t cut = 0; cut <= len; cut += 1 + len / 40) {
			struct eth_keccak k;

			eth_keccak_init(&k);
			eth_keccak_update(&k, data, cut);
			eth_keccak_update(&k, data + cut, len - cut);
			eth_keccak_final(&k, got);
			assert_memory_equal(got, want, 32);
		}
		{
			/* One byte at a time, and a copied context. */
			struct eth_keccak k, fork;

			eth_keccak_init(&k);
			for (size_t i = 0; i < len; i++) {
				eth_keccak_update(&k, data + i, 1);
				if (i == len / 2) {
					fork = k;
					eth_keccak_update(&fork, data + i + 1, len - i - 1);
					eth_keccak_final(&fork, got);
					assert_memory_equal(got, want, 32);
				}
			}
			eth_keccak_final(&k, got);
			assert_memory_equal(got, want, 32);
		}
	}
}

static void test_sha3_against_openssl(void **state)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t *data = malloc(1000), want[32], got[32];
	unsigned int olen;

	(void)state;
	assert_non_null(ctx);
	assert_non_null(data);
	for (size_t i = 0; i < 1000; i++)
		data[i] = (uint8_t)(i ^ (i >> 3));
	for (size_t len = 0; len <= 1000; len++) {
		struct eth_keccak k;

		assert_int_equal(EVP_DigestInit_ex(ctx, EVP_sha3_256(), NULL), 1);
		assert_int_equal(EVP_DigestUpdate(ctx, data, len), 1);
		assert_int_equal(EVP_DigestFinal_ex(ctx, want, &olen), 1);
		eth_keccak_init(&k);
		eth_keccak_update(&k, data, len);
		eth_keccak_final_pad(&k, got, ETH_KECCAK_PAD_SHA3);
		assert_memory_equal(got, want, 32);
		/* And Keccak-256 is a different function. */
		eth_keccak256(got, data, len);
		assert_memory_not_equal(got, want, 32);
	}
	free(data);
	EVP_MD_CTX_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_published),
		cmocka_unit_test(test_permutation_zero_state),
		cmocka_unit_test(test_aliasing),
		cmocka_unit_test(test_incremental_splits),
		cmocka_unit_test(test_sha3_against_openssl),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
