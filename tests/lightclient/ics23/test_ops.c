/* Unit tests for lightclient/ics23/ops.c: known answers for every supported
 * HashOp and LengthOp (expected digests are computed here over preimages
 * written out byte by byte, or are published test vectors), the ops the
 * specification does not support, empty inputs, and the checks of leaf and
 * inner ops against the iavl, tendermint and smt specs: every leaf field
 * changed, the inner op bounds, the IAVL prefix rules, depth limits and the
 * empty-branch placeholders of sparse trees. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/encoding.h"
#include "common/hash.h"
#include "lightclient/ics23/ics23.h"

static struct px_slice sl(const void *p, size_t n)
{
	struct px_slice s = { p, n };
	return s;
}

#define LIT(s) sl((s), sizeof(s) - 1)
#define ARR(a) sl((a), sizeof(a))

static const uint8_t zero32[32];

static void assert_err(const struct px_err *err, int code, const char *fragment)
{
	if (err->code != code)
		fail_msg("code %d (%s), want %d", err->code, err->msg, code);
	if (!strstr(err->msg, fragment))
		fail_msg("message \"%s\" lacks \"%s\"", err->msg, fragment);
}

static void hex_bytes(uint8_t *out, size_t len, const char *hex)
{
	struct px_err err = { 0 };

	if (!px_hex_decode_fixed(&err, out, len, hex, strlen(hex)))
		fail_msg("bad test vector %s: %s", hex, err.msg);
}

/* --- hash ops ------------------------------------------------------------ */

static void test_do_hash_known_answers(void **state)
{
	static const struct {
		enum ics23_hash_op op;
		const char *hex;
	} kat[] = {
		{ ICS23_SHA256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ ICS23_SHA512, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
				"2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" },
		{ ICS23_RIPEMD160, "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc" },
		/* ripemd160(sha256("abc")) */
		{ ICS23_BITCOIN, "bb1be98c142444d7a56aa3981c3942a978e4dc33" },
		{ ICS23_SHA512_256,
		  "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23" },
		{ ICS23_BLAKE2B_512,
		  "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
		  "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923" },
		{ ICS23_BLAKE2S_256,
		  "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(kat) / sizeof(kat[0]); i++) {
		struct px_err err = { 0 };
		uint8_t want[64], got[64];
		size_t want_len = strlen(kat[i].hex) / 2, got_len = 0;

		hex_bytes(want, want_len, kat[i].hex);
		if (!ics23_do_hash(&err, got, &got_len, kat[i].op, LIT("abc")))
			fail_msg("hash op %d: %s", (int)kat[i].op, err.msg);
		assert_int_equal(got_len, want_len);
		assert_memory_equal(got, want, want_len);
	}
}

/* BITCOIN is the composition, on a longer input too. */
static void test_do_hash_bitcoin_composition(void **state)
{
	struct px_err err = { 0 };
	uint8_t data[300], mid[32], want[64], got[64];
	size_t want_len = 0, got_len = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);
	px_sha256(mid, data, sizeof(data));
	assert_true(ics23_do_hash(&err, want, &want_len, ICS23_RIPEMD160, ARR(mid)));
	assert_true(ics23_do_hash(&err, got, &got_len, ICS23_BITCOIN, ARR(data)));
	assert_int_equal(got_len, 20);
	assert_int_equal(want_len, 20);
	assert_memory_equal(got, want, 20);
}

static void test_do_hash_unsupported(void **state)
{
	static const int ops[] = { ICS23_NO_HASH, ICS23_KECCAK256, ICS23_BLAKE3, 42, -1 };

	(void)state;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		struct px_err err = { 0 };
		uint8_t out[64];
		size_t n = 0;

		if (ics23_do_hash(&err, out, &n, (enum ics23_hash_op)ops[i], LIT("abc")))
			fail_msg("hash op %d accepted", ops[i]);
		assert_err(&err, PX_E_UNSUPPORTED, "unsupported hash op");
	}
}

/* --- leaf ops ------------------------------------------------------------ */

static void sha256_buf(uint8_t out[32], const struct px_buf *b)
{
	px_sha256(out, b->data, b->len);
}

static void leaf_expect(const struct ics23_leaf_op *op, struct px_slice key,
			struct px_slice value, const struct px_buf *preimage)
{
	struct px_err err = { 0 };
	uint8_t want[32], got[64];
	size_t n = 0;

	assert_true(px_buf_ok(preimage));
	sha256_buf(want, preimage);
	if (!ics23_leaf_apply(&err, got, &n, op, key, value))
		fail_msg("leaf apply: %s", err.msg);
	assert_int_equal(n, 32);
	assert_memory_equal(got, want, 32);
}

/* The IAVL leaf: prefix || varint(len key) || key || varint(32) ||
 * sha256(value). */
static void test_leaf_apply_iavl_known_answer(void **state)
{
	static const uint8_t prefix[] = { 0x00, 0x02, 0x02 };
	struct ics23_leaf_op op = {
		.hash = ICS23_SHA256,
		.prehash_key = ICS23_NO_HASH,
		.prehash_value = ICS23_SHA256,
		.length = ICS23_VAR_PROTO,
		.prefix = ARR(prefix),
	};
	struct px_buf pre = PX_BUF_INIT;
	uint8_t hv[32];

	(void)state;
	px_sha256(hv, "value", 5);
	px_buf_append(&pre, prefix, sizeof(prefix));
	px_buf_push(&pre, 3);
	px_buf_append(&pre, "key", 3);
	px_buf_push(&pre, 32);
	px_buf_append(&pre, hv, 32);
	leaf_expect(&op, LIT("key"), LIT("value"), &pre);
	px_buf_free(&pre);
}

/* Prehashing the key as well (the smt leaf, without a length prefix). */
static void test_leaf_apply_prehash_both(void **state)
{
	static const uint8_t prefix[] = { 0x00 };
	struct ics23_leaf_op op = {
		.hash = ICS23_SHA256,
		.prehash_key = ICS23_SHA256,
		.prehash_value = ICS23_SHA256,
		.length = ICS23_NO_PREFIX,
		.prefix = ARR(prefix),
	};
	struct px_buf pre = PX_BUF_INIT;
	uint8_t h[32];

	(void)state;
	px_buf_push(&pre, 0x00);
	px_sha256(h, "k", 1);
	px_buf_append(&pre, h, 32);
	px_sha256(h, "v", 1);
	px_buf_append(&pre, h, 32);
	leaf_expect(&op, LIT("k"), LIT("v"), &pre);
	px_buf_free(&pre);
}

/* One length op: preimage = "P" || klen || key || vlen || value, with the
 * length encodings written out by hand. */
static void length_case(enum ics23_length_op length, size_t key_len, const uint8_t *klen,
			size_t klen_len, const uint8_t *vlen, size_t vlen_len)
{
	struct ics23_leaf_op op = {
		.hash = ICS23_SHA256,
		.prehash_key = ICS23_NO_HASH,
		.prehash_value = ICS23_NO_HASH,
		.length = length,
		.prefix = LIT("P"),
	};
	struct px_buf pre = PX_BUF_INIT;
	uint8_t *key = malloc(key_len);

	assert_non_null(key);
	for (size_t i = 0; i < key_len; i++)
		key[i] = (uint8_t)(i + 1);
	px_buf_push(&pre, 'P');
	px_buf_append(&pre, klen, klen_len);
	px_buf_append(&pre, key, key_len);
	px_buf_append(&pre, vlen, vlen_len);
	px_buf_append(&pre, "xyz", 3);
	leaf_expect(&op, sl(key, key_len), LIT("xyz"), &pre);
	px_buf_free(&pre);
	free(key);
}

static void test_length_ops(void **state)
{
	static const uint8_t var200[] = { 0xc8, 0x01 }, var3[] = { 0x03 };
	static const uint8_t b32_300[] = { 0, 0, 0x01, 0x2c }, b32_3[] = { 0, 0, 0, 3 };
	static const uint8_t l32_300[] = { 0x2c, 0x01, 0, 0 }, l32_3[] = { 3, 0, 0, 0 };
	static const uint8_t b64_300[] = { 0, 0, 0, 0, 0, 0, 0x01, 0x2c };
	static const uint8_t b64_3[] = { 0, 0, 0, 0, 0, 0, 0, 3 };
	static const uint8_t l64_300[] = { 0x2c, 0x01, 0, 0, 0, 0, 0, 0 };
	static const uint8_t l64_3[] = { 3, 0, 0, 0, 0, 0, 0, 0 };

	(void)state;
	length_case(ICS23_NO_PREFIX, 200, NULL, 0, NULL, 0);
	length_case(ICS23_VAR_PROTO, 200, var200, 2, var3, 1);
	length_case(ICS23_VAR_PROTO, 127, (const uint8_t[]){ 0x7f }, 1, var3, 1);
	length_case(ICS23_VAR_PROTO, 128, (const uint8_t[]){ 0x80, 0x01 }, 2, var3, 1);
	length_case(ICS23_FIXED32_BIG, 300, b32_300, 4, b32_3, 4);
	length_case(ICS23_FIXED32_LITTLE, 300, l32_300, 4, l32_3, 4);
	length_case(ICS23_FIXED64_BIG, 300, b64_300, 8, b64_3, 8);
	length_case(ICS23_FIXED64_LITTLE, 300, l64_300, 8, l64_3, 8);
}

static bool leaf_try(struct px_err *err, enum ics23_length_op length,
		     enum ics23_hash_op prehash_value, struct px_slice key, struct px_slice value)
{
	struct ics23_leaf_op op = {
		.hash = ICS23_SHA256,
		.prehash_key = ICS23_NO_HASH,
		.prehash_value = prehash_value,
		.length = length,
		.prefix = LIT("P"),
	};
	uint8_t out[64];
	size_t n = 0;

	return ics23_leaf_apply(err, out, &n, &op, key, value);
}

/* REQUIRE_32/64 add nothing to the preimage and refuse other lengths,
 * checked after prehashing. */
static void test_length_require(void **state)
{
	uint8_t k32[32], k64[64], v[70];
	struct px_buf pre = PX_BUF_INIT;
	struct ics23_leaf_op op = {
		.hash = ICS23_SHA256,
		.length = ICS23_REQUIRE_32_BYTES,
		.prefix = LIT("P"),
	};
	struct px_err err = { 0 };

	(void)state;
	memset(k32, 0x11, sizeof(k32));
	memset(k64, 0x22, sizeof(k64));
	memset(v, 0x33, sizeof(v));

	px_buf_push(&pre, 'P');
	px_buf_append(&pre, k32, 32);
	px_buf_append(&pre, v, 32);
	leaf_expect(&op, ARR(k32), sl(v, 32), &pre);
	px_buf_reset(&pre);
	op.length = ICS23_REQUIRE_64_BYTES;
	px_buf_push(&pre, 'P');
	px_buf_append(&pre, k64, 64);
	px_buf_append(&pre, v, 64);
	leaf_expect(&op, ARR(k64), sl(v, 64), &pre);
	px_buf_free(&pre);

	/* prehashed values meet the requirement whatever their length */
	assert_true(leaf_try(&err, ICS23_REQUIRE_32_BYTES, ICS23_SHA256, ARR(k32), sl(v, 5)));
	assert_true(leaf_try(&err, ICS23_REQUIRE_64_BYTES, ICS23_SHA512, ARR(k64), sl(v, 70)));

	assert_false(leaf_try(&err, ICS23_REQUIRE_32_BYTES, ICS23_NO_HASH, sl(k32, 31), sl(v, 32)));
	assert_err(&err, PX_E_VERIFY, "not 32");
	assert_true(strstr(err.msg, "key") != NULL);
	px_err_clear(&err);
	assert_false(leaf_try(&err, ICS23_REQUIRE_32_BYTES, ICS23_NO_HASH, ARR(k32), sl(v, 33)));
	assert_err(&err, PX_E_VERIFY, "not 32");
	assert_true(strstr(err.msg, "value") != NULL);
	px_err_clear(&err);
	assert_false(leaf_try(&err, ICS23_REQUIRE_32_BYTES, ICS23_SHA512, ARR(k32), sl(v, 32)));
	assert_err(&err, PX_E_VERIFY, "not 32");
	px_err_clear(&err);
	assert_false(leaf_try(&err, ICS23_REQUIRE_64_BYTES, ICS23_NO_HASH, ARR(k32), sl(v, 64)));
	assert_err(&err, PX_E_VERIFY, "not 64");
	px_err_clear(&err);
	assert_false(leaf_try(&err, ICS23_REQUIRE_64_BYTES, ICS23_SHA256, ARR(k64), sl(v, 64)));
	assert_err(&err, PX_E_VERIFY, "not 64");
}

static void test_length_unsupported(void **state)
{
	struct px_err err = { 0 };

	(void)state;
	assert_false(leaf_try(&err, ICS23_VAR_RLP, ICS23_NO_HASH, LIT("k"), LIT("v")));
	assert_err(&err, PX_E_UNSUPPORTED, "unsupported length op");
	px_err_clear(&err);
	assert_false(leaf_try(&err, (enum ics23_length_op)9, ICS23_NO_HASH, LIT("k"), LIT("v")));
	assert_err(&err, PX_E_UNSUPPORTED, "unsupported length op");
}

/* The leaf hash may be any supported op; it equals that op over the
 * preimage (whose op is known-answer tested above). */
static void test_leaf_apply_each_hash(void **state)
{
	static const enum ics23_hash_op ops[] = {
		ICS23_SHA256, ICS23_SHA512, ICS23_RIPEMD160, ICS23_BITCOIN,
		ICS23_SHA512_256, ICS23_BLAKE2B_512, ICS23_BLAKE2S_256,
	};
	static const size_t lens[] = { 32, 64, 20, 20, 32, 64, 32 };
	static const uint8_t preimage[] = { 0x00, 0x01, 'k', 0x01, 'v' };

	(void)state;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		struct ics23_leaf_op op = {
			.hash = ops[i],
			.length = ICS23_VAR_PROTO,
			.prefix = sl(preimage, 1),
		};
		struct px_err err = { 0 };
		uint8_t want[64], got[64];
		size_t want_len = 0, got_len = 0;

		assert_true(ics23_do_hash(&err, want, &want_len, ops[i], ARR(preimage)));
		if (!ics23_leaf_apply(&err, got, &got_len, &op, LIT("k"), LIT("v")))
			fail_msg("hash op %d: %s", (int)ops[i], err.msg);
		assert_int_equal(got_len, lens[i]);
		assert_int_equal(want_len, lens[i]);
		assert_memory_equal(got, want, got_len);
	}
}

static void test_leaf_apply_unsupported_hash(void **state)
{
	struct ics23_leaf_op op = {
		.hash = ICS23_SHA256,
		.length = ICS23_VAR_PROTO,
		.prefix = LIT("\0"),
	};
	struct px_err err = { 0 };
	uint8_t out[64];
	size_t n = 0;

	(void)state;
	op.hash = ICS23_NO_HASH;
	assert_false(ics23_leaf_apply(&err, out, &n, &op, LIT("k"), LIT("v")));
	assert_err(&err, PX_E_UNSUPPORTED, "unsupported hash op");
	px_err_clear(&err);

	op.hash = ICS23_SHA256;
	op.prehash_key = ICS23_KECCAK256;
	assert_false(ics23_leaf_apply(&err, out, &n, &op, LIT("k"), LIT("v")));
	assert_err(&err, PX_E_UNSUPPORTED, "prehash key");
	px_err_clear(&err);

	op.prehash_key = ICS23_NO_HASH;
	op.prehash_value = ICS23_BLAKE3;
	assert_false(ics23_leaf_apply(&err, out, &n, &op, LIT("k"), LIT("v")));
	assert_err(&err, PX_E_UNSUPPORTED, "prehash value");
}

static void test_leaf_apply_empty(void **state)
{
	struct ics23_leaf_op op = {
		.hash = ICS23_SHA256,
		.prehash_value = ICS23_SHA256,
		.length = ICS23_VAR_PROTO,
		.prefix = LIT("\0"),
	};
	struct px_err err = { 0 };
	uint8_t out[64];
	size_t n = 0;

	(void)state;
	assert_false(ics23_leaf_apply(&err, out, &n, &op, sl(NULL, 0), LIT("v")));
	assert_err(&err, PX_E_VERIFY, "needs key");
	px_err_clear(&err);
	assert_false(ics23_leaf_apply(&err, out, &n, &op, LIT("k"), sl(NULL, 0)));
	assert_err(&err, PX_E_VERIFY, "needs value");
	/* an empty prefix is fine */
	op.prefix = sl(NULL, 0);
	px_err_clear(&err);
	assert_true(ics23_leaf_apply(&err, out, &n, &op, LIT("k"), LIT("v")));
}

/* --- inner ops ----------------------------------------------------------- */

static void test_inner_apply_known_answer(void **state)
{
	uint8_t child[32], sib[32], want[32], got[64];
	struct px_buf pre = PX_BUF_INIT;
	struct ics23_inner_op op = { .hash = ICS23_SHA256 };
	struct px_err err = { 0 };
	size_t n = 0;

	(void)state;
	memset(child, 0xc1, sizeof(child));
	memset(sib, 0x5b, sizeof(sib));

	/* child on the left: prefix 0x01, sibling in the suffix */
	op.prefix = LIT("\x01");
	op.suffix = ARR(sib);
	px_buf_push(&pre, 0x01);
	px_buf_append(&pre, child, 32);
	px_buf_append(&pre, sib, 32);
	sha256_buf(want, &pre);
	assert_true(ics23_inner_apply(&err, got, &n, &op, ARR(child)));
	assert_int_equal(n, 32);
	assert_memory_equal(got, want, 32);

	/* child on the right: sibling in the prefix, no suffix */
	px_buf_reset(&pre);
	px_buf_push(&pre, 0x01);
	px_buf_append(&pre, sib, 32);
	op.prefix = px_slice_of(&pre);
	op.suffix = sl(NULL, 0);
	px_buf_append(&pre, child, 32);
	sha256_buf(want, &pre);
	op.prefix.ptr = pre.data; /* the buffer may have moved */
	assert_true(ics23_inner_apply(&err, got, &n, &op, ARR(child)));
	assert_memory_equal(got, want, 32);

	/* another hash: SHA-512 over the same preimage */
	op.hash = ICS23_SHA512;
	assert_true(ics23_inner_apply(&err, got, &n, &op, ARR(child)));
	assert_int_equal(n, 64);
	{
		uint8_t w512[64];

		px_sha512(w512, pre.data, pre.len);
		assert_memory_equal(got, w512, 64);
	}
	px_buf_free(&pre);
}

static void test_inner_apply_rejects(void **state)
{
	struct ics23_inner_op op = { .hash = ICS23_SHA256, .prefix = LIT("\x01") };
	struct px_err err = { 0 };
	uint8_t out[64];
	size_t n = 0;

	(void)state;
	assert_false(ics23_inner_apply(&err, out, &n, &op, sl(NULL, 0)));
	assert_err(&err, PX_E_VERIFY, "child");
	px_err_clear(&err);
	op.hash = ICS23_NO_HASH;
	assert_false(ics23_inner_apply(&err, out, &n, &op, ARR(zero32)));
	assert_err(&err, PX_E_UNSUPPORTED, "unsupported hash op");
	px_err_clear(&err);
	op.hash = ICS23_KECCAK256;
	assert_false(ics23_inner_apply(&err, out, &n, &op, ARR(zero32)));
	assert_err(&err, PX_E_UNSUPPORTED, "unsupported hash op");
}

/* --- leaf op against the specs ------------------------------------------- */

static const uint8_t iavl_leaf_prefix[] = { 0x00, 0x02, 0x02 }; /* height 0, size 1, version 1 */

static struct ics23_leaf_op good_leaf(const struct ics23_spec *spec)
{
	struct ics23_leaf_op op = spec->leaf_spec;

	if (spec == &ics23_spec_iavl)
		op.prefix = ARR(iavl_leaf_prefix);
	return op;
}

static void leaf_bad(const struct ics23_leaf_op *op, const struct ics23_spec *spec,
		     const char *fragment)
{
	struct px_err err = { 0 };

	if (ics23_leaf_check_spec(&err, op, spec))
		fail_msg("leaf accepted (want \"%s\")", fragment);
	assert_err(&err, PX_E_SPEC_MISMATCH, fragment);
}

static void test_leaf_check_each_field(void **state)
{
	const struct ics23_spec *specs[] = { &ics23_spec_iavl, &ics23_spec_tendermint,
					     &ics23_spec_smt };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		const struct ics23_spec *spec = specs[i];
		struct ics23_leaf_op good = good_leaf(spec), op;
		struct px_err err = { 0 };

		if (!ics23_leaf_check_spec(&err, &good, spec))
			fail_msg("spec %zu: good leaf refused: %s", i, err.msg);

		op = good;
		op.hash = ICS23_SHA512;
		leaf_bad(&op, spec, "hash op");
		op = good;
		op.prehash_key = op.prehash_key == ICS23_NO_HASH ? ICS23_SHA256 : ICS23_NO_HASH;
		leaf_bad(&op, spec, "prehash key");
		op = good;
		op.prehash_value = ICS23_NO_HASH;
		leaf_bad(&op, spec, "prehash value");
		op = good;
		op.length = ICS23_FIXED32_BIG;
		leaf_bad(&op, spec, "length op");
		op = good;
		op.prefix = sl(NULL, 0);
		leaf_bad(&op, spec, spec == &ics23_spec_iavl ? "varint" : "prefix");
		op = good;
		op.prefix = spec == &ics23_spec_iavl ? sl("\x04\x02\x02", 3) : LIT("\x01");
		leaf_bad(&op, spec, "prefix");
		/* longer prefixes are fine as long as they start with the spec's
		 * (IAVL has its own rule, tested below) */
		if (spec != &ics23_spec_iavl) {
			op.prefix = sl("\x00\x07\x07", 3);
			assert_true(ics23_leaf_check_spec(&err, &op, spec));
		}
	}
}

/* A leaf shaped for one spec is refused by the others (tendermint and iavl
 * leaves differ only by the IAVL prefix rule). */
static void test_leaf_check_cross_spec(void **state)
{
	struct ics23_leaf_op tm = good_leaf(&ics23_spec_tendermint);
	struct ics23_leaf_op smt = good_leaf(&ics23_spec_smt);
	struct ics23_leaf_op iavl = good_leaf(&ics23_spec_iavl);

	(void)state;
	leaf_bad(&tm, &ics23_spec_smt, "prehash key");
	leaf_bad(&tm, &ics23_spec_iavl, "IAVL prefix");
	leaf_bad(&smt, &ics23_spec_tendermint, "prehash key");
	leaf_bad(&smt, &ics23_spec_iavl, "IAVL prefix");
	leaf_bad(&iavl, &ics23_spec_smt, "prehash key");
}

static void test_leaf_check_iavl_prefix(void **state)
{
	struct ics23_leaf_op op = good_leaf(&ics23_spec_iavl);
	struct px_err err = { 0 };
	/* height 0, size 300, version 2^40: multi-byte varints are fine */
	static const uint8_t big[] = { 0x00, 0xd8, 0x04, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40 };
	static const uint8_t overflow[] = { 0x00, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff,
					    0xff, 0xff, 0xff, 0xff, 0x02 };

	(void)state;
	op.prefix = ARR(big);
	if (!ics23_leaf_check_spec(&err, &op, &ics23_spec_iavl))
		fail_msg("%s", err.msg);

	op.prefix = sl("\x00\x02\x02\x00", 4);
	leaf_bad(&op, &ics23_spec_iavl, "trailing");
	op.prefix = sl("\x00\x02", 2);
	leaf_bad(&op, &ics23_spec_iavl, "bad varint");
	op.prefix = sl("\x00\x02\x82", 3); /* truncated multi-byte varint */
	leaf_bad(&op, &ics23_spec_iavl, "bad varint");
	op.prefix = ARR(overflow);
	leaf_bad(&op, &ics23_spec_iavl, "bad varint");
	op.prefix = sl("\x00\x01\x02", 3); /* size -1 */
	leaf_bad(&op, &ics23_spec_iavl, "negative");
	op.prefix = sl("\x00\x02\x03", 3); /* version -2 */
	leaf_bad(&op, &ics23_spec_iavl, "negative");
	op.prefix = sl("\x01\x02\x02", 3); /* height -1 */
	leaf_bad(&op, &ics23_spec_iavl, "negative");
}

/* --- inner op against the specs ------------------------------------------ */

static void inner_bad(const struct ics23_inner_op *op, const struct ics23_spec *spec, int layer,
		      const char *fragment)
{
	struct px_err err = { 0 };

	if (ics23_inner_check_spec(&err, op, spec, layer))
		fail_msg("inner op accepted (want \"%s\")", fragment);
	assert_err(&err, PX_E_SPEC_MISMATCH, fragment);
}

static void inner_ok(const struct ics23_inner_op *op, const struct ics23_spec *spec, int layer)
{
	struct px_err err = { 0 };

	if (!ics23_inner_check_spec(&err, op, spec, layer))
		fail_msg("inner op refused: %s", err.msg);
}

static void test_inner_check_binary(void **state)
{
	const struct ics23_spec *specs[] = { &ics23_spec_tendermint, &ics23_spec_smt };
	uint8_t pfx[40], sfx[70];

	(void)state;
	memset(pfx, 0x01, sizeof(pfx));
	memset(sfx, 0xee, sizeof(sfx));
	for (size_t i = 0; i < 2; i++) {
		const struct ics23_spec *spec = specs[i];
		struct ics23_inner_op op = { ICS23_SHA256, sl(pfx, 1), sl(sfx, 32) };

		inner_ok(&op, spec, 1);
		op.suffix = sl(NULL, 0);
		op.prefix = sl(pfx, 33);
		inner_ok(&op, spec, 1);
		op.suffix = sl(sfx, 64); /* any multiple of the child size */
		inner_ok(&op, spec, 1);

		op = (struct ics23_inner_op){ ICS23_SHA512, sl(pfx, 1), sl(sfx, 32) };
		inner_bad(&op, spec, 1, "hash op");
		op = (struct ics23_inner_op){ ICS23_SHA256, LIT("\x00"), sl(sfx, 32) };
		inner_bad(&op, spec, 1, "leaf prefix");
		op = (struct ics23_inner_op){ ICS23_SHA256, sl("\x00\x01", 2), sl(sfx, 32) };
		inner_bad(&op, spec, 1, "leaf prefix");
		op = (struct ics23_inner_op){ ICS23_SHA256, sl(NULL, 0), sl(sfx, 32) };
		inner_bad(&op, spec, 1, "too short");
		op = (struct ics23_inner_op){ ICS23_SHA256, sl(pfx, 34), sl(NULL, 0) };
		inner_bad(&op, spec, 1, "too long");
		op = (struct ics23_inner_op){ ICS23_SHA256, sl(pfx, 1), sl(sfx, 31) };
		inner_bad(&op, spec, 1, "multiple");
		op = (struct ics23_inner_op){ ICS23_SHA256, sl(pfx, 1), sl(sfx, 33) };
		inner_bad(&op, spec, 1, "multiple");
	}
}

/* An IAVL inner prefix: zigzag(height) zigzag(size) zigzag(version), then
 * `rest` bytes. */
static struct ics23_inner_op iavl_inner(uint8_t *buf, uint8_t height, uint8_t size,
					uint8_t version, size_t rest, size_t suffix_len)
{
	struct ics23_inner_op op = { .hash = ICS23_SHA256 };

	buf[0] = (uint8_t)(height * 2);
	buf[1] = (uint8_t)(size * 2);
	buf[2] = (uint8_t)(version * 2);
	memset(buf + 3, 0x20, rest);
	op.prefix = sl(buf, 3 + rest);
	op.suffix = sl(buf + 64, suffix_len);
	return op;
}

static void test_inner_check_iavl(void **state)
{
	const struct ics23_spec *iavl = &ics23_spec_iavl;
	uint8_t buf[160];
	struct ics23_inner_op op;

	(void)state;
	memset(buf, 0x20, sizeof(buf));
	/* right sibling in the suffix: one length byte after the varints */
	op = iavl_inner(buf, 1, 2, 5, 1, 33);
	inner_ok(&op, iavl, 1);
	/* left sibling in the prefix: 34 bytes after the varints */
	op = iavl_inner(buf, 1, 2, 5, 34, 0);
	inner_ok(&op, iavl, 1);
	/* a higher node may sit low in the path, never the reverse */
	op = iavl_inner(buf, 5, 20, 5, 1, 33);
	inner_ok(&op, iavl, 3);
	op = iavl_inner(buf, 3, 8, 5, 1, 33);
	inner_ok(&op, iavl, 3);
	inner_bad(&op, iavl, 4, "below layer");
	op = iavl_inner(buf, 1, 2, 5, 1, 33);
	inner_bad(&op, iavl, 2, "below layer");

	/* what follows the varints */
	for (size_t rest = 0; rest <= 40; rest++) {
		if (rest == 1 || rest == 34)
			continue;
		op = iavl_inner(buf, 1, 2, 5, rest, rest < 34 ? 33 : 0);
		inner_bad(&op, iavl, 1, "IAVL");
	}
	op = iavl_inner(buf, 1, 2, 5, 2, 33);
	inner_bad(&op, iavl, 1, "want 1 or 34");

	/* negative values */
	op = iavl_inner(buf, 1, 2, 5, 1, 33);
	buf[1] = 0x03; /* size -2 */
	inner_bad(&op, iavl, 1, "negative");
	buf[1] = 0x04;
	buf[2] = 0x01; /* version -1 */
	inner_bad(&op, iavl, 1, "negative");
	buf[2] = 0x0a;
	buf[0] = 0x03; /* height -2 */
	inner_bad(&op, iavl, 1, "negative");
	buf[0] = 0x02;
	inner_ok(&op, iavl, 1);

	/* varints that run off the prefix */
	op.prefix = sl("\x02\x04", 2);
	inner_bad(&op, iavl, 1, "bad varint");
	op.prefix = sl("\x02\x84", 2);
	inner_bad(&op, iavl, 1, "bad varint");

	/* wrong hash, short and long prefixes, suffix not a multiple of 33 */
	op = iavl_inner(buf, 1, 2, 5, 1, 33);
	op.hash = ICS23_SHA512;
	inner_bad(&op, iavl, 1, "hash op");
	op = iavl_inner(buf, 1, 2, 5, 1, 32);
	inner_bad(&op, iavl, 1, "multiple");
	op = iavl_inner(buf, 1, 2, 5, 1, 66);
	inner_ok(&op, iavl, 1);
	/* height 0 is below every inner layer (and would start with the leaf
	 * prefix) */
	op = iavl_inner(buf, 0, 2, 5, 1, 33);
	inner_bad(&op, iavl, 1, "height 0 below layer 1");
	/* the prefix length bound: 12 plus one child of 33 bytes; a ten-byte
	 * size varint makes the varints 12 bytes long */
	{
		uint8_t big[64];

		memset(big, 0x20, sizeof(big));
		big[0] = 0x02;
		big[1] = 0x82;
		memset(big + 2, 0x80, 7);
		big[9] = 0x01;	/* nine-byte size varint */
		big[10] = 0x02;
		op.prefix = sl(big, 11 + 34);
		op.suffix = sl(NULL, 0);
		inner_ok(&op, iavl, 1);
		big[9] = 0x80;
		big[10] = 0x01;	/* ten-byte size varint */
		big[11] = 0x02;
		op.prefix = sl(big, 12 + 34);
		inner_bad(&op, iavl, 1, "too long");
	}
}

/* --- whole existence proofs ---------------------------------------------- */

static struct ics23_existence_proof path_proof(const struct ics23_spec *spec,
					       struct ics23_inner_op *ops, size_t n)
{
	struct ics23_existence_proof p = {
		.key = LIT("k"),
		.value = LIT("v"),
		.has_leaf = true,
		.leaf = spec->leaf_spec,
		.path = ops,
		.path_len = n,
	};
	static const uint8_t one = 0x01;

	for (size_t i = 0; i < n; i++) {
		ops[i].hash = ICS23_SHA256;
		ops[i].prefix = sl(&one, 1);
		ops[i].suffix = ARR(zero32);
	}
	return p;
}

static void depth_case(const struct ics23_spec *spec, size_t n, bool ok)
{
	struct ics23_inner_op *ops = calloc(n ? n : 1, sizeof(*ops));
	struct ics23_existence_proof p;
	struct px_err err = { 0 };

	assert_non_null(ops);
	p = path_proof(spec, ops, n);
	if (ok) {
		if (!ics23_existence_check_spec(&err, &p, spec))
			fail_msg("depth %zu: %s", n, err.msg);
	} else {
		if (ics23_existence_check_spec(&err, &p, spec))
			fail_msg("depth %zu accepted", n);
		assert_err(&err, PX_E_SPEC_MISMATCH, "path too");
	}
	free(ops);
}

static void test_depth_limits(void **state)
{
	struct ics23_spec spec;

	(void)state;
	depth_case(&ics23_spec_tendermint, 0, true);
	depth_case(&ics23_spec_tendermint, 128, true);
	depth_case(&ics23_spec_tendermint, 129, false);
	depth_case(&ics23_spec_smt, 256, true);
	depth_case(&ics23_spec_smt, 257, false);

	spec = ics23_spec_tendermint;
	spec.max_depth = 3;
	depth_case(&spec, 3, true);
	depth_case(&spec, 4, false);
	spec.max_depth = 0;
	spec.min_depth = 2;
	depth_case(&spec, 0, false);
	depth_case(&spec, 1, false);
	depth_case(&spec, 2, true);
	depth_case(&spec, 128, true);
	depth_case(&spec, 129, false);
}

static void test_existence_check_spec(void **state)
{
	struct ics23_inner_op ops[3];
	struct ics23_existence_proof p;
	struct px_err err = { 0 };

	(void)state;
	p = path_proof(&ics23_spec_tendermint, ops, 3);
	assert_true(ics23_existence_check_spec(&err, &p, &ics23_spec_tendermint));

	p.has_leaf = false;
	assert_false(ics23_existence_check_spec(&err, &p, &ics23_spec_tendermint));
	assert_err(&err, PX_E_SPEC_MISMATCH, "no leaf op");
	px_err_clear(&err);

	p.has_leaf = true;
	p.leaf.length = ICS23_NO_PREFIX;
	assert_false(ics23_existence_check_spec(&err, &p, &ics23_spec_tendermint));
	assert_err(&err, PX_E_SPEC_MISMATCH, "length op");
	px_err_clear(&err);

	/* the failing inner op is named */
	p.leaf = ics23_spec_tendermint.leaf_spec;
	ops[1].suffix = sl(zero32, 31);
	assert_false(ics23_existence_check_spec(&err, &p, &ics23_spec_tendermint));
	assert_err(&err, PX_E_SPEC_MISMATCH, "inner op 1: ");
	px_err_clear(&err);

	/* iavl heights count from 1 at the op nearest the leaf */
	{
		uint8_t b[3][160];
		struct ics23_inner_op iops[3];
		struct ics23_existence_proof ip = {
			.key = LIT("k"), .value = LIT("v"), .has_leaf = true,
			.leaf = good_leaf(&ics23_spec_iavl), .path = iops, .path_len = 3,
		};

		for (int i = 0; i < 3; i++) {
			memset(b[i], 0x20, sizeof(b[i]));
			iops[i] = iavl_inner(b[i], (uint8_t)(i + 1), 4, 1, 1, 33);
		}
		assert_true(ics23_existence_check_spec(&err, &ip, &ics23_spec_iavl));
		iops[2] = iavl_inner(b[2], 2, 4, 1, 1, 33);
		assert_false(ics23_existence_check_spec(&err, &ip, &ics23_spec_iavl));
		assert_err(&err, PX_E_SPEC_MISMATCH, "inner op 2: IAVL prefix: height 2 below layer 3");
	}
}

/* --- empty branches ------------------------------------------------------ */

static void test_branches_empty(void **state)
{
	uint8_t pfx[40], sfx[40], nz[40];
	const struct ics23_inner_spec *smt = &ics23_spec_smt.inner_spec;
	const struct ics23_inner_spec *tm = &ics23_spec_tendermint.inner_spec;
	const struct ics23_inner_spec *iavl = &ics23_spec_iavl.inner_spec;
	struct ics23_inner_op right_child, left_child, op;

	(void)state;
	memset(pfx, 0, sizeof(pfx));
	pfx[0] = 0x01;
	memset(sfx, 0, sizeof(sfx));
	memset(nz, 0x77, sizeof(nz));
	nz[0] = 0x01;

	/* child on the right of a placeholder */
	right_child = (struct ics23_inner_op){ ICS23_SHA256, sl(pfx, 33), sl(NULL, 0) };
	/* child on the left of a placeholder */
	left_child = (struct ics23_inner_op){ ICS23_SHA256, sl(pfx, 1), sl(sfx, 32) };

	assert_true(ics23_left_branches_empty(smt, &right_child));
	assert_false(ics23_right_branches_empty(smt, &right_child));
	assert_true(ics23_right_branches_empty(smt, &left_child));
	assert_false(ics23_left_branches_empty(smt, &left_child));

	/* a real sibling is not a placeholder */
	op = (struct ics23_inner_op){ ICS23_SHA256, sl(nz, 33), sl(NULL, 0) };
	assert_false(ics23_left_branches_empty(smt, &op));
	op = (struct ics23_inner_op){ ICS23_SHA256, sl(pfx, 1), sl(nz + 1, 32) };
	assert_false(ics23_right_branches_empty(smt, &op));
	/* one non-zero byte is enough */
	pfx[32] = 1;
	assert_false(ics23_left_branches_empty(smt, &right_child));
	pfx[32] = 0;
	sfx[0] = 1;
	assert_false(ics23_right_branches_empty(smt, &left_child));
	sfx[0] = 0;
	/* padding that fits no branch */
	op = (struct ics23_inner_op){ ICS23_SHA256, sl(pfx, 20), sl(NULL, 0) };
	assert_false(ics23_left_branches_empty(smt, &op));
	assert_false(ics23_right_branches_empty(smt, &op));

	/* trees without an empty child never have placeholders */
	assert_false(ics23_left_branches_empty(tm, &right_child));
	assert_false(ics23_right_branches_empty(tm, &left_child));
	{
		uint8_t ip[64];
		struct ics23_inner_op r, l;

		memset(ip, 0, sizeof(ip));
		ip[0] = 0x02;
		ip[1] = 0x02;
		ip[2] = 0x02;
		r = (struct ics23_inner_op){ ICS23_SHA256, sl(ip, 4 + 33), sl(NULL, 0) };
		l = (struct ics23_inner_op){ ICS23_SHA256, sl(ip, 4), sl(sfx, 33) };
		assert_false(ics23_left_branches_empty(iavl, &r));
		assert_false(ics23_right_branches_empty(iavl, &l));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_do_hash_known_answers),
		cmocka_unit_test(test_do_hash_bitcoin_composition),
		cmocka_unit_test(test_do_hash_unsupported),
		cmocka_unit_test(test_leaf_apply_iavl_known_answer),
		cmocka_unit_test(test_leaf_apply_prehash_both),
		cmocka_unit_test(test_length_ops),
		cmocka_unit_test(test_length_require),
		cmocka_unit_test(test_length_unsupported),
		cmocka_unit_test(test_leaf_apply_each_hash),
		cmocka_unit_test(test_leaf_apply_unsupported_hash),
		cmocka_unit_test(test_leaf_apply_empty),
		cmocka_unit_test(test_inner_apply_known_answer),
		cmocka_unit_test(test_inner_apply_rejects),
		cmocka_unit_test(test_leaf_check_each_field),
		cmocka_unit_test(test_leaf_check_cross_spec),
		cmocka_unit_test(test_leaf_check_iavl_prefix),
		cmocka_unit_test(test_inner_check_binary),
		cmocka_unit_test(test_inner_check_iavl),
		cmocka_unit_test(test_depth_limits),
		cmocka_unit_test(test_existence_check_spec),
		cmocka_unit_test(test_branches_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
