/* Unit tests for common/hash.c: known answers for every algorithm (NIST,
 * RFC 7693 and the RIPEMD-160 authors' vectors), iov hashing equal to
 * hashing the concatenation, output lengths, refusal of unknown
 * algorithms, and per-thread contexts used from several threads. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/hash.h"

static const char nist56[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Lower-case hex of exactly len bytes into out; false on anything else. */
static bool unhex(uint8_t *out, size_t len, const char *hex)
{
	if (strlen(hex) != 2 * len)
		return false;
	for (size_t i = 0; i < len; i++) {
		int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

static void hex_to(uint8_t *out, size_t len, const char *hex)
{
	if (!unhex(out, len, hex))
		fail_msg("bad test vector %s", hex);
}

static void assert_digest(const uint8_t *got, size_t len, const char *want_hex)
{
	uint8_t want[PX_HASH_MAX_LEN];

	hex_to(want, len, want_hex);
	assert_memory_equal(got, want, len);
}

static void sha256_known_answers(void **state)
{
	uint8_t d[PX_SHA256_LEN];

	px_sha256(d, "", 0);
	assert_digest(d, sizeof(d),
		      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	px_sha256(d, NULL, 0);
	assert_digest(d, sizeof(d),
		      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	px_sha256(d, "abc", 3);
	assert_digest(d, sizeof(d),
		      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	px_sha256(d, nist56, strlen(nist56));
	assert_digest(d, sizeof(d),
		      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* One bit of input changed: a different digest. */
	{
		uint8_t abc[PX_SHA256_LEN];

		hex_to(abc, sizeof(abc),
		       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
		px_sha256(d, "abb", 3);
		assert_memory_not_equal(d, abc, sizeof(d));
		px_sha256(d, "abc\0", 4);
		assert_memory_not_equal(d, abc, sizeof(d));
	}
}

static void sha256_million_a(void **state)
{
	char *a = malloc(1000000);
	uint8_t d[PX_SHA256_LEN];
	struct px_iov iov[3];

	assert_non_null(a);
	memset(a, 'a', 1000000);
	px_sha256(d, a, 1000000);
	assert_digest(d, sizeof(d),
		      "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	/* The same in uneven pieces. */
	iov[0] = (struct px_iov){ a, 1 };
	iov[1] = (struct px_iov){ a, 654320 };
	iov[2] = (struct px_iov){ a, 345679 };
	memset(d, 0, sizeof(d));
	px_sha256_iov(d, iov, 3);
	assert_digest(d, sizeof(d),
		      "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(a);
}

static void sha512_known_answers(void **state)
{
	uint8_t d[PX_SHA512_LEN];

	px_sha512(d, "abc", 3);
	assert_digest(d, sizeof(d),
		      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
		      "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
	px_sha512(d, "", 0);
	assert_digest(d, sizeof(d),
		      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
		      "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
}

struct kat {
	enum px_hash_alg alg;
	size_t len;
	const char *abc;
};

static const struct kat abc_answers[] = {
	{ PX_HASH_SHA256, 32, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ PX_HASH_SHA512, 64,
	  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	  "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" },
	{ PX_HASH_SHA512_256, 32,
	  "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23" },
	{ PX_HASH_RIPEMD160, 20, "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc" },
	/* RFC 7693, appendix A. */
	{ PX_HASH_BLAKE2B512, 64,
	  "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
	  "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923" },
	/* RFC 7693, appendix B. */
	{ PX_HASH_BLAKE2S256, 32,
	  "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982" },
};

static void every_alg_known_answer(void **state)
{
	size_t n = sizeof(abc_answers) / sizeof(abc_answers[0]);

	assert_int_equal(n, PX_HASH_COUNT);
	for (size_t i = 0; i < n; i++) {
		const struct kat *k = &abc_answers[i];
		struct px_err err = { 0 };
		struct px_iov iov = { "abc", 3 };
		uint8_t d[PX_HASH_MAX_LEN + 1];

		memset(d, 0xcc, sizeof(d));
		assert_int_equal(px_hash_len(k->alg), k->len);
		if (!px_hash_iov(&err, d, k->alg, &iov, 1))
			fail_msg("alg %d: %s", (int)k->alg, err.msg);
		assert_int_equal(err.code, PX_OK);
		assert_digest(d, k->len, k->abc);
		/* Exactly px_hash_len bytes are written. */
		for (size_t j = k->len; j < sizeof(d); j++)
			assert_int_equal(d[j], 0xcc);
	}
}

/* Other empty-input answers catch a context left over from the call
 * before (the per-thread context is reused across algorithms). */
static void empty_input_after_other_algs(void **state)
{
	struct px_err err = { 0 };
	uint8_t d[PX_HASH_MAX_LEN];
	struct px_iov iov = { "abc", 3 };

	assert_true(px_hash_iov(&err, d, PX_HASH_SHA512, &iov, 1));
	assert_true(px_hash_iov(&err, d, PX_HASH_BLAKE2S256, NULL, 0));
	assert_digest(d, 32, "69217a3079908094e11121d042354a7c1f55b6482ca1a51e1b250dfd1ed0eef9");
	assert_true(px_hash_iov(&err, d, PX_HASH_BLAKE2B512, &iov, 1));
	assert_true(px_hash_iov(&err, d, PX_HASH_RIPEMD160, NULL, 0));
	assert_digest(d, 20, "9c1185a5c5e9fc54612808977ee8f548b2258d31");
}

static void iov_equals_concatenation(void **state)
{
	for (int alg = 0; alg < PX_HASH_COUNT; alg++) {
		struct px_err err = { 0 };
		uint8_t whole[PX_HASH_MAX_LEN], parts[PX_HASH_MAX_LEN];
		struct px_iov one = { nist56, 56 };
		struct px_iov many[] = {
			{ nist56, 0 }, { nist56, 1 }, { nist56 + 1, 20 }, { NULL, 0 },
			{ nist56 + 21, 35 },
		};
		struct px_iov wrong[] = { { nist56, 20 }, { nist56 + 21, 35 } };
		size_t len = px_hash_len((enum px_hash_alg)alg);

		assert_true(px_hash_iov(&err, whole, (enum px_hash_alg)alg, &one, 1));
		assert_true(px_hash_iov(&err, parts, (enum px_hash_alg)alg, many,
					sizeof(many) / sizeof(many[0])));
		assert_memory_equal(whole, parts, len);
		/* One byte missing from the pieces: a different digest. */
		assert_true(px_hash_iov(&err, parts, (enum px_hash_alg)alg, wrong, 2));
		assert_memory_not_equal(whole, parts, len);
	}
	{
		uint8_t a[PX_SHA256_LEN], b[PX_SHA256_LEN];
		struct px_iov pieces[] = { { "a", 1 }, { "b", 1 }, { "c", 1 } };

		px_sha256(a, "abc", 3);
		px_sha256_iov(b, pieces, 3);
		assert_memory_equal(a, b, sizeof(a));
	}
}

static void lengths(void **state)
{
	assert_int_equal(px_hash_len(PX_HASH_SHA256), PX_SHA256_LEN);
	assert_int_equal(px_hash_len(PX_HASH_SHA512), PX_SHA512_LEN);
	assert_int_equal(px_hash_len(PX_HASH_SHA512_256), 32);
	assert_int_equal(px_hash_len(PX_HASH_RIPEMD160), PX_RIPEMD160_LEN);
	assert_int_equal(px_hash_len(PX_HASH_BLAKE2B512), 64);
	assert_int_equal(px_hash_len(PX_HASH_BLAKE2S256), 32);
	assert_int_equal(px_hash_len(PX_HASH_COUNT), 0);
	assert_int_equal(px_hash_len((enum px_hash_alg)-1), 0);
	assert_int_equal(px_hash_len((enum px_hash_alg)1000), 0);
	for (int alg = 0; alg < PX_HASH_COUNT; alg++)
		assert_true(px_hash_len((enum px_hash_alg)alg) <= PX_HASH_MAX_LEN);
}

static void unknown_alg_is_unsupported(void **state)
{
	static const int bad[] = { PX_HASH_COUNT, PX_HASH_COUNT + 1, -1, 1000 };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct px_err err = { 0 };
		uint8_t d[PX_HASH_MAX_LEN];
		struct px_iov iov = { "abc", 3 };

		memset(d, 0xcc, sizeof(d));
		assert_false(px_hash_iov(&err, d, (enum px_hash_alg)bad[i], &iov, 1));
		assert_int_equal(err.code, PX_E_UNSUPPORTED);
		assert_non_null(strstr(err.msg, "unknown hash algorithm"));
		for (size_t j = 0; j < sizeof(d); j++)
			assert_int_equal(d[j], 0xcc);
		assert_false(px_hash_iov(NULL, d, (enum px_hash_alg)bad[i], &iov, 1));
	}
}

/* Each thread uses its own context; interleaved hashing gives the same
 * answers as hashing alone, and each thread frees its context. */
static void *hash_worker(void *arg)
{
	const struct kat *k = arg;
	uintptr_t bad = 0;

	for (int round = 0; round < 2000; round++) {
		struct px_err err = { 0 };
		struct px_iov iov = { "abc", 3 };
		uint8_t d[PX_HASH_MAX_LEN], want[PX_HASH_MAX_LEN];

		if (!px_hash_iov(&err, d, k->alg, &iov, 1)) {
			bad++;
			continue;
		}
		if (!unhex(want, k->len, k->abc) || memcmp(d, want, k->len) != 0)
			bad++;
	}
	px_hash_thread_cleanup();
	return (void *)bad;
}

static void threads_hash_independently(void **state)
{
	pthread_t t[PX_HASH_COUNT];

	for (int i = 0; i < PX_HASH_COUNT; i++)
		assert_int_equal(pthread_create(&t[i], NULL, hash_worker, (void *)&abc_answers[i]),
				 0);
	for (int i = 0; i < PX_HASH_COUNT; i++) {
		void *bad;

		assert_int_equal(pthread_join(t[i], &bad), 0);
		if (bad != NULL)
			fail_msg("thread for alg %d got %zu wrong digests", i, (size_t)(uintptr_t)bad);
	}
}

/* Cleanup is safe to repeat, and hashing afterwards makes a new context. */
static void cleanup_then_hash_again(void **state)
{
	uint8_t d[PX_SHA256_LEN];

	px_hash_thread_cleanup();
	px_hash_thread_cleanup();
	px_sha256(d, "abc", 3);
	assert_digest(d, sizeof(d),
		      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha256_known_answers),
		cmocka_unit_test(sha256_million_a),
		cmocka_unit_test(sha512_known_answers),
		cmocka_unit_test(every_alg_known_answer),
		cmocka_unit_test(empty_input_after_other_algs),
		cmocka_unit_test(iov_equals_concatenation),
		cmocka_unit_test(lengths),
		cmocka_unit_test(unknown_alg_is_unsupported),
		cmocka_unit_test(threads_hash_independently),
		cmocka_unit_test(cleanup_then_hash_again),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
