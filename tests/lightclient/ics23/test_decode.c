/* Unit tests for lightclient/ics23/decode.c: hand-built CommitmentProofs of
 * every kind (exist, nonexist, batch, compressed batch with packed and
 * unpacked path indices) decode to what was written, unknown fields of
 * every wire type are skipped, and every malformed input is refused with
 * PX_E_MALFORMED (or PX_E_TOO_LARGE) and a zeroed output: each truncation of
 * a valid proof, non-canonical and overlong varints, lengths past the end,
 * repeated singular fields, two oneof members, unknown enum values, empty
 * proofs and batches, bad compressed path indices, paths past the cap and
 * wrong wire types. Inputs are decoded from heap copies of their exact
 * length so that AddressSanitizer sees any over-read. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/protobuf.h"
#include "lightclient/ics23/ics23.h"

static struct px_slice sl(const void *p, size_t n)
{
	struct px_slice s = { p, n };
	return s;
}

#define LIT(s) sl((s), sizeof(s) - 1)

/* --- writer -------------------------------------------------------------- */

/* When set, every message the writer emits carries unknown fields of each
 * wire type before and after its own, some of them repeated. */
static bool g_noise;

static void noise(struct px_buf *m)
{
	static const uint8_t four[4] = { 1, 2, 3, 4 };

	if (!g_noise)
		return;
	px_pb_put_uint64(m, 9, 12345);
	px_pb_put_fixed64(m, 10, 7);
	px_pb_put_bytes(m, 11, (const uint8_t *)"junk", 4);
	px_pb_put_tag(m, 12, PX_WIRE_I32);
	px_buf_append(m, four, 4);
	px_pb_put_uint64(m, 9, 1);
	px_pb_put_bytes(m, 11, NULL, 0);
	px_pb_put_uint64(m, 1000, 1);
	px_pb_put_uint64(m, PX_PB_MAX_FIELD, 2);
}

/* Writes m as field `field` of b and frees m. */
static void put_msg(struct px_buf *b, uint32_t field, struct px_buf *m)
{
	noise(m);
	px_pb_put_bytes(b, field, m->data, m->len);
	px_buf_free(m);
}

static void put_slice(struct px_buf *b, uint32_t field, struct px_slice s)
{
	if (s.len)
		px_pb_put_bytes(b, field, s.ptr, s.len);
}

static void put_enum(struct px_buf *b, uint32_t field, uint64_t v)
{
	if (v)
		px_pb_put_uint64(b, field, v);
}

static void put_leaf(struct px_buf *b, uint32_t field, const struct ics23_leaf_op *op)
{
	struct px_buf m = PX_BUF_INIT;

	noise(&m);
	put_enum(&m, 1, op->hash);
	put_enum(&m, 2, op->prehash_key);
	put_enum(&m, 3, op->prehash_value);
	put_enum(&m, 4, op->length);
	put_slice(&m, 5, op->prefix);
	put_msg(b, field, &m);
}

static void put_inner(struct px_buf *b, uint32_t field, const struct ics23_inner_op *op)
{
	struct px_buf m = PX_BUF_INIT;

	noise(&m);
	put_enum(&m, 1, op->hash);
	put_slice(&m, 2, op->prefix);
	put_slice(&m, 3, op->suffix);
	put_msg(b, field, &m);
}

static void put_exist(struct px_buf *b, uint32_t field, const struct ics23_existence_proof *p)
{
	struct px_buf m = PX_BUF_INIT;

	noise(&m);
	put_slice(&m, 1, p->key);
	put_slice(&m, 2, p->value);
	if (p->has_leaf)
		put_leaf(&m, 3, &p->leaf);
	for (size_t i = 0; i < p->path_len; i++)
		put_inner(&m, 4, &p->path[i]);
	put_msg(b, field, &m);
}

static void put_nonexist(struct px_buf *b, uint32_t field,
			 const struct ics23_nonexistence_proof *p)
{
	struct px_buf m = PX_BUF_INIT;

	noise(&m);
	put_slice(&m, 1, p->key);
	if (p->left)
		put_exist(&m, 2, p->left);
	if (p->right)
		put_exist(&m, 3, p->right);
	put_msg(b, field, &m);
}

/* A compressed existence proof: the path as indices, the first `npacked`
 * of them (at most all) in one packed field, the rest as single varint
 * fields. */
struct cexist {
	const struct ics23_existence_proof *p;	/* key, value, leaf */
	const int32_t *idx;
	size_t nidx;
	size_t npacked;
};

static void put_cexist(struct px_buf *b, uint32_t field, const struct cexist *ce)
{
	struct px_buf m = PX_BUF_INIT, packed = PX_BUF_INIT;
	size_t npacked = ce->npacked < ce->nidx ? ce->npacked : ce->nidx;

	noise(&m);
	put_slice(&m, 1, ce->p->key);
	put_slice(&m, 2, ce->p->value);
	if (ce->p->has_leaf)
		put_leaf(&m, 3, &ce->p->leaf);
	for (size_t i = 0; i < npacked; i++)
		px_pb_put_varint(&packed, (uint64_t)(int64_t)ce->idx[i]);
	if (npacked) {
		px_pb_put_bytes(&m, 4, packed.data, packed.len);
		px_buf_free(&packed);
	}
	for (size_t i = npacked; i < ce->nidx; i++)
		px_pb_put_int64(&m, 4, ce->idx[i]);
	put_msg(b, field, &m);
}

/* --- fixtures ------------------------------------------------------------ */

static uint8_t sib0[32], sib1[33], sib2[3];

static struct ics23_inner_op ops[3];
static const struct ics23_leaf_op leaf_a = {
	.hash = ICS23_SHA256,
	.prehash_key = ICS23_NO_HASH,
	.prehash_value = ICS23_SHA256,
	.length = ICS23_VAR_PROTO,
	.prefix = { (const uint8_t *)"\0", 1 },
};
static const struct ics23_leaf_op leaf_b = {
	.hash = ICS23_BLAKE2B_512,
	.prehash_key = ICS23_BITCOIN,
	.prehash_value = ICS23_BLAKE3,
	.length = ICS23_REQUIRE_64_BYTES,
	.prefix = { (const uint8_t *)"\0\2\2", 3 },
};
static struct ics23_inner_op path_a[2], path_b[3];
static struct ics23_existence_proof ex_a, ex_b, ex_c;

static int setup(void **state)
{
	(void)state;
	memset(sib0, 0xa0, sizeof(sib0));
	memset(sib1, 0xb1, sizeof(sib1));
	sib1[0] = 0x01;
	memcpy(sib2, "\x09\x08\x07", 3);
	ops[0] = (struct ics23_inner_op){ ICS23_SHA256, LIT("\x01"), sl(sib0, 32) };
	ops[1] = (struct ics23_inner_op){ ICS23_SHA256, sl(sib1, 33), sl(NULL, 0) };
	ops[2] = (struct ics23_inner_op){ ICS23_SHA512, LIT("\x07\x08"), sl(sib2, 3) };
	path_a[0] = ops[0];
	path_a[1] = ops[1];
	path_b[0] = ops[2];
	path_b[1] = ops[0];
	path_b[2] = ops[1];
	ex_a = (struct ics23_existence_proof){ LIT("alpha"), LIT("one"), true, leaf_a, path_a, 2 };
	ex_b = (struct ics23_existence_proof){ LIT("beta"), LIT("two"), true, leaf_b, path_b, 3 };
	ex_c = (struct ics23_existence_proof){ LIT("gamma"), LIT("three"), true, leaf_a, NULL, 0 };
	g_noise = false;
	return 0;
}

/* --- comparison ---------------------------------------------------------- */

static void slice_eq(struct px_slice got, struct px_slice want, const char *what)
{
	if (!px_slice_eq(got, want))
		fail_msg("%s differs (%zu vs %zu bytes)", what, got.len, want.len);
}

static void leaf_eq(const struct ics23_leaf_op *got, const struct ics23_leaf_op *want)
{
	assert_int_equal(got->hash, want->hash);
	assert_int_equal(got->prehash_key, want->prehash_key);
	assert_int_equal(got->prehash_value, want->prehash_value);
	assert_int_equal(got->length, want->length);
	slice_eq(got->prefix, want->prefix, "leaf prefix");
}

static void inner_eq(const struct ics23_inner_op *got, const struct ics23_inner_op *want)
{
	assert_int_equal(got->hash, want->hash);
	slice_eq(got->prefix, want->prefix, "inner prefix");
	slice_eq(got->suffix, want->suffix, "inner suffix");
}

static void exist_eq(const struct ics23_existence_proof *got,
		     const struct ics23_existence_proof *want)
{
	assert_non_null(got);
	slice_eq(got->key, want->key, "key");
	slice_eq(got->value, want->value, "value");
	assert_int_equal(got->has_leaf, want->has_leaf);
	if (want->has_leaf)
		leaf_eq(&got->leaf, &want->leaf);
	assert_int_equal(got->path_len, want->path_len);
	for (size_t i = 0; i < want->path_len; i++)
		inner_eq(&got->path[i], &want->path[i]);
}

static void nonexist_eq(const struct ics23_nonexistence_proof *got,
			const struct ics23_nonexistence_proof *want)
{
	assert_non_null(got);
	slice_eq(got->key, want->key, "nonexist key");
	if (want->left)
		exist_eq(got->left, want->left);
	else
		assert_null(got->left);
	if (want->right)
		exist_eq(got->right, want->right);
	else
		assert_null(got->right);
}

static void assert_zeroed(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		if (b[i])
			fail_msg("output byte %zu not zeroed", i);
	}
}

/* --- decoding helpers ---------------------------------------------------- */

/* A decoded proof with the exact-length copy it borrows from. */
struct decoded {
	struct ics23_proof proof;
	uint8_t *copy;
	size_t len;
};

static bool decode_into(struct px_err *err, struct decoded *d, const uint8_t *buf, size_t len)
{
	d->copy = malloc(len ? len : 1);
	assert_non_null(d->copy);
	if (len)
		memcpy(d->copy, buf, len);
	d->len = len;
	memset(&d->proof, 0xa5, sizeof(d->proof));
	return ics23_proof_decode(err, &d->proof, d->copy, len);
}

static void decoded_free(struct decoded *d)
{
	ics23_proof_free(&d->proof);
	assert_zeroed(&d->proof, sizeof(d->proof));
	free(d->copy);
	d->copy = NULL;
}

static void decode_ok(struct decoded *d, const struct px_buf *b)
{
	struct px_err err = { 0 };

	assert_true(px_buf_ok(b));
	if (!decode_into(&err, d, b->data, b->len))
		fail_msg("decode failed: %s", err.msg);
	assert_int_equal(err.code, PX_OK);
}

static void decode_bad_code(const uint8_t *buf, size_t len, int code, const char *fragment)
{
	struct px_err err = { 0 };
	struct decoded d;

	if (decode_into(&err, &d, buf, len)) {
		decoded_free(&d);
		fail_msg("decoded (want \"%s\")", fragment);
	}
	if (err.code != code)
		fail_msg("code %d (%s), want %d", err.code, err.msg, code);
	if (fragment && !strstr(err.msg, fragment))
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, fragment);
	assert_zeroed(&d.proof, sizeof(d.proof));
	free(d.copy);
}

static void decode_bad(const struct px_buf *b, const char *fragment)
{
	assert_true(px_buf_ok(b));
	decode_bad_code(b->data, b->len, PX_E_MALFORMED, fragment);
}

static void decode_bad_raw(const uint8_t *buf, size_t len, const char *fragment)
{
	decode_bad_code(buf, len, PX_E_MALFORMED, fragment);
}

static bool borrowed(struct px_slice s, const struct decoded *d)
{
	return s.ptr >= d->copy && s.ptr + s.len <= d->copy + d->len;
}

/* --- encodings of each kind ---------------------------------------------- */

static void enc_exist(struct px_buf *b)
{
	put_exist(b, 1, &ex_a);
	noise(b);
}

static const struct ics23_nonexistence_proof ne_left = { { (const uint8_t *)"b", 1 }, &ex_a,
							 NULL };
static const struct ics23_nonexistence_proof ne_right = { { NULL, 0 }, NULL, &ex_b };
static const struct ics23_nonexistence_proof ne_both = { { (const uint8_t *)"al", 2 }, &ex_a,
							 &ex_b };

static void enc_nonexist(struct px_buf *b, const struct ics23_nonexistence_proof *p)
{
	noise(b);
	put_nonexist(b, 2, p);
}

static void enc_batch(struct px_buf *b)
{
	struct px_buf batch = PX_BUF_INIT, e = PX_BUF_INIT;

	noise(&batch);
	put_exist(&e, 1, &ex_a);
	put_msg(&batch, 1, &e);
	put_nonexist(&e, 2, &ne_both);
	put_msg(&batch, 1, &e);
	put_exist(&e, 1, &ex_c);
	put_msg(&batch, 1, &e);
	put_msg(b, 3, &batch);
}

static const int32_t idx_a[] = { 0, 1 };
static const int32_t idx_b[] = { 2, 0, 1 };

/* Compressed: A with a packed path, B unpacked, a nonexist whose left is A
 * half packed and right is B packed, and C without a path. The lookup table
 * goes first or last. */
static void enc_compressed(struct px_buf *b, bool lookup_last)
{
	struct px_buf cb = PX_BUF_INIT, e = PX_BUF_INIT, ne = PX_BUF_INIT;
	const struct cexist ca = { &ex_a, idx_a, 2, 2 }, cbb = { &ex_b, idx_b, 3, 0 };
	const struct cexist nl = { &ex_a, idx_a, 2, 1 }, nr = { &ex_b, idx_b, 3, 3 };
	const struct cexist cc = { &ex_c, NULL, 0, 0 };

	if (!lookup_last) {
		for (int i = 0; i < 3; i++)
			put_inner(&cb, 2, &ops[i]);
	}
	put_cexist(&e, 1, &ca);
	put_msg(&cb, 1, &e);
	put_cexist(&e, 1, &cbb);
	put_msg(&cb, 1, &e);
	put_slice(&ne, 1, ne_both.key);
	put_cexist(&ne, 2, &nl);
	put_cexist(&ne, 3, &nr);
	put_msg(&e, 2, &ne);
	put_msg(&cb, 1, &e);
	put_cexist(&e, 1, &cc);
	put_msg(&cb, 1, &e);
	if (lookup_last) {
		for (int i = 0; i < 3; i++)
			put_inner(&cb, 2, &ops[i]);
	}
	put_msg(b, 4, &cb);
}

static void check_exist(const struct decoded *d)
{
	const struct ics23_proof *p = &d->proof;

	assert_int_equal(p->kind, ICS23_PROOF_EXIST);
	exist_eq(p->exist, &ex_a);
	assert_null(p->nonexist);
	assert_null(p->entries);
	assert_int_equal(p->entries_len, 0);
	assert_non_null(p->arena);
	/* slices borrow the input */
	assert_true(borrowed(p->exist->key, d));
	assert_true(borrowed(p->exist->value, d));
	assert_true(borrowed(p->exist->leaf.prefix, d));
	assert_true(borrowed(p->exist->path[0].suffix, d));
}

static void check_batch(const struct ics23_proof *p)
{
	assert_int_equal(p->kind, ICS23_PROOF_BATCH);
	assert_null(p->exist);
	assert_null(p->nonexist);
	assert_int_equal(p->entries_len, 3);
	assert_int_equal(p->entries[0].kind, ICS23_ENTRY_EXIST);
	exist_eq(p->entries[0].exist, &ex_a);
	assert_null(p->entries[0].nonexist);
	assert_int_equal(p->entries[1].kind, ICS23_ENTRY_NONEXIST);
	assert_null(p->entries[1].exist);
	nonexist_eq(p->entries[1].nonexist, &ne_both);
	assert_int_equal(p->entries[2].kind, ICS23_ENTRY_EXIST);
	exist_eq(p->entries[2].exist, &ex_c);
}

static void check_compressed(const struct ics23_proof *p)
{
	assert_int_equal(p->kind, ICS23_PROOF_COMPRESSED);
	assert_null(p->exist);
	assert_null(p->nonexist);
	assert_int_equal(p->entries_len, 4);
	assert_int_equal(p->entries[0].kind, ICS23_ENTRY_EXIST);
	exist_eq(p->entries[0].exist, &ex_a);
	assert_int_equal(p->entries[1].kind, ICS23_ENTRY_EXIST);
	exist_eq(p->entries[1].exist, &ex_b);
	assert_int_equal(p->entries[2].kind, ICS23_ENTRY_NONEXIST);
	nonexist_eq(p->entries[2].nonexist, &ne_both);
	assert_int_equal(p->entries[3].kind, ICS23_ENTRY_EXIST);
	exist_eq(p->entries[3].exist, &ex_c);
	assert_null(p->entries[3].exist->path);
}

/* --- valid proofs -------------------------------------------------------- */

static void test_exist(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	struct decoded d;

	(void)state;
	enc_exist(&b);
	decode_ok(&d, &b);
	check_exist(&d);
	decoded_free(&d);
	px_buf_free(&b);
}

static void test_nonexist(void **state)
{
	const struct ics23_nonexistence_proof *cases[] = { &ne_left, &ne_right, &ne_both };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct px_buf b = PX_BUF_INIT;
		struct decoded d;

		enc_nonexist(&b, cases[i]);
		decode_ok(&d, &b);
		assert_int_equal(d.proof.kind, ICS23_PROOF_NONEXIST);
		assert_null(d.proof.exist);
		assert_null(d.proof.entries);
		nonexist_eq(d.proof.nonexist, cases[i]);
		decoded_free(&d);
		px_buf_free(&b);
	}
}

static void test_batch(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	struct decoded d;

	(void)state;
	enc_batch(&b);
	decode_ok(&d, &b);
	check_batch(&d.proof);
	decoded_free(&d);
	px_buf_free(&b);
}

static void test_compressed(void **state)
{
	(void)state;
	for (int last = 0; last < 2; last++) {
		struct px_buf b = PX_BUF_INIT;
		struct decoded d;

		enc_compressed(&b, last);
		decode_ok(&d, &b);
		check_compressed(&d.proof);
		decoded_free(&d);
		px_buf_free(&b);
	}
}

/* Every message with unknown fields of all four wire types, repeated and
 * with large field numbers, decodes to the same proof. */
static void test_unknown_fields_skipped(void **state)
{
	struct px_buf b = PX_BUF_INIT, plain = PX_BUF_INIT;
	struct decoded d;

	(void)state;
	enc_exist(&plain);
	g_noise = true;
	enc_exist(&b);
	assert_true(b.len > plain.len + 100);
	decode_ok(&d, &b);
	check_exist(&d);
	decoded_free(&d);

	px_buf_reset(&b);
	enc_nonexist(&b, &ne_both);
	decode_ok(&d, &b);
	nonexist_eq(d.proof.nonexist, &ne_both);
	decoded_free(&d);

	px_buf_reset(&b);
	enc_batch(&b);
	decode_ok(&d, &b);
	check_batch(&d.proof);
	decoded_free(&d);

	px_buf_reset(&b);
	enc_compressed(&b, true);
	decode_ok(&d, &b);
	check_compressed(&d.proof);
	decoded_free(&d);
	g_noise = false;
	px_buf_free(&b);
	px_buf_free(&plain);
}

/* The largest accepted values of each enum. */
static void test_enum_bounds(void **state)
{
	struct ics23_existence_proof p = ex_a;
	struct px_buf b = PX_BUF_INIT;
	struct decoded d;

	(void)state;
	p.leaf.hash = ICS23_BLAKE3;
	p.leaf.prehash_key = ICS23_BLAKE3;
	p.leaf.prehash_value = ICS23_BLAKE3;
	p.leaf.length = ICS23_REQUIRE_64_BYTES;
	put_exist(&b, 1, &p);
	decode_ok(&d, &b);
	exist_eq(d.proof.exist, &p);
	decoded_free(&d);
	px_buf_free(&b);
}

/* An existence proof may be empty as far as decoding goes; verification
 * refuses it later. */
static void test_empty_exist(void **state)
{
	static const uint8_t buf[] = { 0x0a, 0x00 };
	struct px_err err = { 0 };
	struct decoded d;

	(void)state;
	assert_true(decode_into(&err, &d, buf, sizeof(buf)));
	assert_int_equal(d.proof.kind, ICS23_PROOF_EXIST);
	assert_false(d.proof.exist->has_leaf);
	assert_int_equal(d.proof.exist->key.len, 0);
	assert_int_equal(d.proof.exist->path_len, 0);
	decoded_free(&d);
}

/* --- truncation ---------------------------------------------------------- */

static void all_prefixes_fail(const struct px_buf *b)
{
	assert_true(px_buf_ok(b));
	for (size_t n = 0; n < b->len; n++) {
		struct px_err err = { 0 };
		struct decoded d;

		if (decode_into(&err, &d, b->data, n)) {
			decoded_free(&d);
			fail_msg("prefix of %zu of %zu bytes decoded", n, b->len);
		}
		if (err.code != PX_E_MALFORMED)
			fail_msg("prefix %zu: code %d (%s)", n, err.code, err.msg);
		assert_zeroed(&d.proof, sizeof(d.proof));
		free(d.copy);
	}
}

/* Each proof is one top-level field, so every shorter prefix ends inside it
 * (or is empty) and must fail. */
static void test_truncated(void **state)
{
	struct px_buf b = PX_BUF_INIT;

	(void)state;
	enc_exist(&b);
	all_prefixes_fail(&b);
	px_buf_reset(&b);
	enc_nonexist(&b, &ne_left);
	all_prefixes_fail(&b);
	px_buf_reset(&b);
	enc_nonexist(&b, &ne_right);
	all_prefixes_fail(&b);
	px_buf_reset(&b);
	enc_nonexist(&b, &ne_both);
	all_prefixes_fail(&b);
	px_buf_reset(&b);
	enc_batch(&b);
	all_prefixes_fail(&b);
	px_buf_reset(&b);
	enc_compressed(&b, false);
	all_prefixes_fail(&b);
	px_buf_reset(&b);
	enc_compressed(&b, true);
	all_prefixes_fail(&b);
	px_buf_free(&b);
}

/* With a trailing unknown field, exactly one shorter prefix is itself a
 * valid message: the one that ends where the proof field ends. */
static void test_truncated_with_trailer(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	size_t proof_end;

	(void)state;
	enc_exist(&b);
	proof_end = b.len;
	px_pb_put_bytes(&b, 15, (const uint8_t *)"trailer", 7);
	px_pb_put_uint64(&b, 16, 300);
	for (size_t n = 0; n <= b.len; n++) {
		struct px_err err = { 0 };
		struct decoded d;
		bool ok = decode_into(&err, &d, b.data, n);
		bool want = n == proof_end || n == proof_end + 9 || n == b.len;

		if (ok != want)
			fail_msg("prefix %zu of %zu: decoded %d (%s)", n, b.len, ok, err.msg);
		if (ok) {
			check_exist(&d);
			decoded_free(&d);
		} else {
			assert_int_equal(err.code, PX_E_MALFORMED);
			assert_zeroed(&d.proof, sizeof(d.proof));
			free(d.copy);
		}
	}
	px_buf_free(&b);
}

/* --- varints and lengths ------------------------------------------------- */

static void test_varints(void **state)
{
	struct px_buf good = PX_BUF_INIT, b = PX_BUF_INIT;
	static const uint8_t tag_noncanon[] = { 0x8a, 0x00, 0x00 };
	static const uint8_t len_11[] = { 0x0a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
					  0x80, 0x80, 0x80, 0x80, 0x00 };
	static const uint8_t len_overflow[] = { 0x0a, 0xff, 0xff, 0xff, 0xff, 0xff,
						0xff, 0xff, 0xff, 0xff, 0x02 };
	static const uint8_t len_huge[] = { 0x0a, 0xff, 0xff, 0xff, 0xff, 0xff,
					    0xff, 0xff, 0xff, 0xff, 0x01 };
	static const uint8_t tag_truncated[] = { 0x8a };
	static const uint8_t len_truncated[] = { 0x0a, 0x85 };

	(void)state;
	enc_exist(&good);
	assert_true(good.len > 2 && good.data[1] < 0x80);

	/* the outer length as a two-byte varint of a one-byte value */
	px_buf_push(&b, 0x0a);
	px_buf_push(&b, (uint8_t)(good.data[1] | 0x80));
	px_buf_push(&b, 0x00);
	px_buf_append(&b, good.data + 2, good.len - 2);
	decode_bad(&b, "non-canonical varint");

	decode_bad_raw(tag_noncanon, sizeof(tag_noncanon), "non-canonical varint");
	decode_bad_raw(len_11, sizeof(len_11), "varint");
	decode_bad_raw(len_overflow, sizeof(len_overflow), "overflows");
	decode_bad_raw(len_huge, sizeof(len_huge), "length over limit");
	decode_bad_raw(tag_truncated, sizeof(tag_truncated), "truncated varint");
	decode_bad_raw(len_truncated, sizeof(len_truncated), "truncated varint");

	/* an enum inside a leaf written non-canonically: hash = 1 as 81 00 */
	{
		static const uint8_t leaf[] = { 0x08, 0x81, 0x00 };
		struct px_buf ex = PX_BUF_INIT;

		px_buf_reset(&b);
		px_pb_put_bytes(&ex, 1, (const uint8_t *)"k", 1);
		px_pb_put_bytes(&ex, 3, leaf, sizeof(leaf));
		put_msg(&b, 1, &ex);
		decode_bad(&b, "non-canonical varint");
	}
	/* a compressed path index written non-canonically, packed and not */
	{
		static const uint8_t packed[] = { 0x80, 0x00 };
		struct px_buf cb = PX_BUF_INIT, e = PX_BUF_INIT, ce = PX_BUF_INIT;

		for (int pk = 0; pk < 2; pk++) {
			px_buf_reset(&b);
			put_inner(&cb, 2, &ops[0]);
			if (pk) {
				px_pb_put_bytes(&ce, 4, packed, sizeof(packed));
			} else {
				px_pb_put_tag(&ce, 4, PX_WIRE_VARINT);
				px_buf_append(&ce, packed, sizeof(packed));
			}
			put_msg(&e, 1, &ce);
			put_msg(&cb, 1, &e);
			put_msg(&b, 4, &cb);
			decode_bad(&b, "non-canonical varint");
		}
	}
	px_buf_free(&b);
	px_buf_free(&good);
}

static void test_length_past_end(void **state)
{
	static const uint8_t top[] = { 0x0a, 0x05, 0x0a, 0x01, 0x6b };
	/* the exist message is 3 bytes long; its leaf claims 5, which the
	 * outer buffer has but the enclosing message does not */
	static const uint8_t nested[] = { 0x0a, 0x03, 0x1a, 0x05, 0x08, 0x01, 0x10, 0x00, 0x18, 0x01 };
	/* a key longer than what its message holds */
	static const uint8_t key[] = { 0x0a, 0x04, 0x0a, 0x07, 0x61, 0x62 };

	(void)state;
	decode_bad_raw(top, sizeof(top), "length past end");
	decode_bad_raw(nested, sizeof(nested), "length past end");
	decode_bad_raw(key, sizeof(key), "length past end");
}

/* --- repeated singular fields -------------------------------------------- */

/* An exist message with the fields in `extra` appended (raw bytes). */
static void exist_with(struct px_buf *b, uint32_t top_field, const struct px_buf *extra)
{
	struct px_buf m = PX_BUF_INIT;

	px_buf_reset(b);
	put_slice(&m, 1, ex_a.key);
	put_slice(&m, 2, ex_a.value);
	put_leaf(&m, 3, &ex_a.leaf);
	put_inner(&m, 4, &ex_a.path[0]);
	px_buf_append(&m, extra->data, extra->len);
	put_msg(b, top_field, &m);
}

static void test_duplicate_fields(void **state)
{
	struct px_buf b = PX_BUF_INIT, x = PX_BUF_INIT, m = PX_BUF_INIT;

	(void)state;
	/* existence proof: key, value, leaf */
	px_pb_put_bytes(&x, 1, (const uint8_t *)"alpha", 5);
	exist_with(&b, 1, &x);
	decode_bad(&b, "duplicate field");
	px_buf_reset(&x);
	px_pb_put_bytes(&x, 2, (const uint8_t *)"one", 3);
	exist_with(&b, 1, &x);
	decode_bad(&b, "duplicate field");
	px_buf_reset(&x);
	put_leaf(&x, 3, &leaf_a);
	exist_with(&b, 1, &x);
	decode_bad(&b, "duplicate field");
	/* repeated path entries are fine */
	px_buf_reset(&x);
	put_inner(&x, 4, &ops[2]);
	exist_with(&b, 1, &x);
	{
		struct decoded d;

		decode_ok(&d, &b);
		assert_int_equal(d.proof.exist->path_len, 2);
		inner_eq(&d.proof.exist->path[1], &ops[2]);
		decoded_free(&d);
	}

	/* leaf op: each of its five fields */
	for (uint32_t f = 1; f <= 5; f++) {
		px_buf_reset(&x);
		px_buf_reset(&m);
		put_enum(&m, 1, ICS23_SHA256);
		put_enum(&m, 2, ICS23_SHA256);
		put_enum(&m, 3, ICS23_SHA256);
		put_enum(&m, 4, ICS23_VAR_PROTO);
		put_slice(&m, 5, LIT("\x00"));
		if (f == 5)
			put_slice(&m, 5, LIT("\x00"));
		else
			px_pb_put_uint64(&m, f, 1);
		put_msg(&x, 3, &m);
		px_buf_reset(&b);
		px_pb_put_bytes(&m, 1, (const uint8_t *)"k", 1);
		px_buf_append(&m, x.data, x.len);
		put_msg(&b, 1, &m);
		decode_bad(&b, "duplicate field");
	}

	/* inner op: hash, prefix, suffix */
	for (uint32_t f = 1; f <= 3; f++) {
		px_buf_reset(&x);
		px_buf_reset(&m);
		put_enum(&m, 1, ICS23_SHA256);
		put_slice(&m, 2, LIT("\x01"));
		put_slice(&m, 3, LIT("s"));
		if (f == 1)
			px_pb_put_uint64(&m, 1, ICS23_SHA256);
		else
			put_slice(&m, f, LIT("\x02"));
		put_msg(&x, 4, &m);
		exist_with(&b, 1, &x);
		decode_bad(&b, "duplicate field");
	}

	/* nonexistence proof: key, left, right */
	for (uint32_t f = 1; f <= 3; f++) {
		px_buf_reset(&b);
		px_buf_reset(&m);
		put_slice(&m, 1, LIT("al"));
		put_exist(&m, 2, &ex_a);
		put_exist(&m, 3, &ex_b);
		if (f == 1)
			put_slice(&m, 1, LIT("am"));
		else
			put_exist(&m, f, f == 2 ? &ex_a : &ex_b);
		put_msg(&b, 2, &m);
		decode_bad(&b, "duplicate field");
	}

	/* compressed existence proof: key; compressed nonexist: left */
	{
		struct px_buf cb = PX_BUF_INIT, e = PX_BUF_INIT, ce = PX_BUF_INIT;
		const struct cexist ca = { &ex_c, NULL, 0, 0 };

		px_buf_reset(&b);
		put_slice(&ce, 1, LIT("k"));
		put_slice(&ce, 1, LIT("k"));
		put_msg(&e, 1, &ce);
		put_msg(&cb, 1, &e);
		put_msg(&b, 4, &cb);
		decode_bad(&b, "duplicate field");

		px_buf_reset(&b);
		put_cexist(&ce, 2, &ca);
		put_cexist(&ce, 2, &ca);
		put_msg(&e, 2, &ce);
		put_msg(&cb, 1, &e);
		put_msg(&b, 4, &cb);
		decode_bad(&b, "duplicate field");
	}
	px_buf_free(&m);
	px_buf_free(&x);
	px_buf_free(&b);
}

/* --- oneofs -------------------------------------------------------------- */

static void test_two_oneof_members(void **state)
{
	struct px_buf b = PX_BUF_INIT, e = PX_BUF_INIT, batch = PX_BUF_INIT;

	(void)state;
	put_exist(&b, 1, &ex_a);
	put_nonexist(&b, 2, &ne_both);
	decode_bad(&b, "two kinds");

	px_buf_reset(&b);
	put_exist(&b, 1, &ex_a);
	put_exist(&b, 1, &ex_a);
	decode_bad(&b, "two kinds");

	px_buf_reset(&b);
	enc_batch(&b);
	put_exist(&b, 1, &ex_a);
	decode_bad(&b, "two kinds");

	px_buf_reset(&b);
	enc_compressed(&b, false);
	enc_batch(&b);
	decode_bad(&b, "two kinds");

	/* a batch entry with both members, or the same one twice */
	for (int twice = 0; twice < 2; twice++) {
		px_buf_reset(&b);
		put_exist(&e, 1, &ex_a);
		if (twice)
			put_exist(&e, 1, &ex_c);
		else
			put_nonexist(&e, 2, &ne_both);
		put_msg(&batch, 1, &e);
		put_msg(&b, 3, &batch);
		decode_bad(&b, "two proofs");
	}

	/* the same in a compressed batch */
	{
		const struct cexist cc = { &ex_c, NULL, 0, 0 };
		struct px_buf ne = PX_BUF_INIT;

		px_buf_reset(&b);
		put_cexist(&e, 1, &cc);
		put_cexist(&ne, 2, &cc);
		put_msg(&e, 2, &ne);
		put_msg(&batch, 1, &e);
		put_msg(&b, 4, &batch);
		decode_bad(&b, "two proofs");
	}
	px_buf_free(&b);
}

/* --- enums --------------------------------------------------------------- */

static void test_unknown_enum(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	struct ics23_existence_proof p;
	struct ics23_inner_op bad_path[1];

	(void)state;
	p = ex_a;
	p.leaf.hash = (enum ics23_hash_op)42;
	put_exist(&b, 1, &p);
	decode_bad(&b, "unknown enum value");

	px_buf_reset(&b);
	p = ex_a;
	p.leaf.prehash_key = (enum ics23_hash_op)(ICS23_HASH_OP_MAX + 1);
	put_exist(&b, 1, &p);
	decode_bad(&b, "unknown enum value");

	px_buf_reset(&b);
	p = ex_a;
	p.leaf.prehash_value = (enum ics23_hash_op)42;
	put_exist(&b, 1, &p);
	decode_bad(&b, "unknown enum value");

	px_buf_reset(&b);
	p = ex_a;
	p.leaf.length = (enum ics23_length_op)(ICS23_LENGTH_OP_MAX + 1);
	put_exist(&b, 1, &p);
	decode_bad(&b, "unknown enum value");

	px_buf_reset(&b);
	p = ex_a;
	bad_path[0] = ops[0];
	bad_path[0].hash = (enum ics23_hash_op)42;
	p.path = bad_path;
	p.path_len = 1;
	put_exist(&b, 1, &p);
	decode_bad(&b, "unknown enum value");

	/* an unused entry of a compressed lookup table is checked too */
	{
		struct px_buf cb = PX_BUF_INIT, e = PX_BUF_INIT;
		const struct cexist cc = { &ex_c, NULL, 0, 0 };

		px_buf_reset(&b);
		put_inner(&cb, 2, &bad_path[0]);
		put_cexist(&e, 1, &cc);
		put_msg(&cb, 1, &e);
		put_msg(&b, 4, &cb);
		decode_bad(&b, "unknown enum value");
	}
	/* an enum value past 32 bits */
	{
		struct px_buf m = PX_BUF_INIT, ex = PX_BUF_INIT;

		px_buf_reset(&b);
		px_pb_put_uint64(&m, 1, (1ull << 32) | ICS23_SHA256);
		put_msg(&ex, 3, &m);
		put_msg(&b, 1, &ex);
		decode_bad(&b, "unknown enum value");
	}
	px_buf_free(&b);
}

/* --- empty things -------------------------------------------------------- */

static void test_empty_proof(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	struct px_err err = { 0 };
	struct ics23_proof out;

	(void)state;
	decode_bad_raw(NULL, 0, "empty commitment proof");
	memset(&out, 0xa5, sizeof(out));
	assert_false(ics23_proof_decode(&err, &out, NULL, 0));
	assert_int_equal(err.code, PX_E_MALFORMED);
	assert_zeroed(&out, sizeof(out));

	/* only unknown fields */
	g_noise = true;
	noise(&b);
	g_noise = false;
	decode_bad(&b, "empty commitment proof");
	px_buf_free(&b);
}

static void test_empty_batch(void **state)
{
	static const uint8_t batch[] = { 0x1a, 0x00 };
	static const uint8_t batch_unknown[] = { 0x1a, 0x02, 0x10, 0x01 };
	static const uint8_t compressed[] = { 0x22, 0x00 };
	struct px_buf b = PX_BUF_INIT, cb = PX_BUF_INIT;

	(void)state;
	decode_bad_raw(batch, sizeof(batch), "batch without entries");
	decode_bad_raw(batch_unknown, sizeof(batch_unknown), "batch without entries");
	decode_bad_raw(compressed, sizeof(compressed), "batch without entries");
	/* a lookup table but no entries */
	put_inner(&cb, 2, &ops[0]);
	put_msg(&b, 4, &cb);
	decode_bad(&b, "batch without entries");
	px_buf_free(&b);
}

static void test_empty_entry(void **state)
{
	static const uint8_t entry[] = { 0x1a, 0x02, 0x0a, 0x00 };
	static const uint8_t entry_unknown[] = { 0x1a, 0x04, 0x0a, 0x02, 0x18, 0x05 };
	static const uint8_t centry[] = { 0x22, 0x02, 0x0a, 0x00 };
	struct px_buf b = PX_BUF_INIT, batch = PX_BUF_INIT, e = PX_BUF_INIT;

	(void)state;
	decode_bad_raw(entry, sizeof(entry), "empty batch entry");
	decode_bad_raw(entry_unknown, sizeof(entry_unknown), "empty batch entry");
	decode_bad_raw(centry, sizeof(centry), "empty batch entry");
	/* an empty entry after good ones */
	put_exist(&e, 1, &ex_a);
	put_msg(&batch, 1, &e);
	px_pb_put_bytes(&batch, 1, NULL, 0);
	put_msg(&b, 3, &batch);
	decode_bad(&b, "empty batch entry");
	px_buf_free(&b);
}

/* --- compressed path indices --------------------------------------------- */

/* A compressed batch with `nlookup` copies of ops[0] and one existence
 * entry whose path is idx (npacked of them packed). */
static void compressed_with(struct px_buf *b, size_t nlookup, const int32_t *idx, size_t n,
			    size_t npacked)
{
	struct px_buf cb = PX_BUF_INIT, e = PX_BUF_INIT;
	const struct cexist ce = { &ex_c, idx, n, npacked };

	px_buf_reset(b);
	for (size_t i = 0; i < nlookup; i++)
		put_inner(&cb, 2, &ops[i % 3]);
	put_cexist(&e, 1, &ce);
	put_msg(&cb, 1, &e);
	put_msg(b, 4, &cb);
}

static void test_compressed_indices(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	static const int32_t in_range[] = { 2, 1, 0, 2 };
	static const int32_t past[] = { 0, 3 };
	static const int32_t negative[] = { 0, -1 };
	static const int32_t most_negative[] = { INT32_MIN };
	static const int32_t largest[] = { INT32_MAX };
	struct decoded d;

	(void)state;
	for (size_t pk = 0; pk <= 4; pk += 2) {
		compressed_with(&b, 3, in_range, 4, pk);
		decode_ok(&d, &b);
		assert_int_equal(d.proof.entries[0].exist->path_len, 4);
		inner_eq(&d.proof.entries[0].exist->path[0], &ops[2]);
		inner_eq(&d.proof.entries[0].exist->path[1], &ops[1]);
		inner_eq(&d.proof.entries[0].exist->path[2], &ops[0]);
		inner_eq(&d.proof.entries[0].exist->path[3], &ops[2]);
		decoded_free(&d);

		compressed_with(&b, 3, past, 2, pk);
		decode_bad(&b, "outside lookup table");
		compressed_with(&b, 3, negative, 2, pk);
		decode_bad(&b, "outside lookup table");
		compressed_with(&b, 3, most_negative, 1, pk);
		decode_bad(&b, "outside lookup table");
		compressed_with(&b, 3, largest, 1, pk);
		decode_bad(&b, "outside lookup table");
		/* no lookup table at all */
		compressed_with(&b, 0, in_range + 2, 1, pk);
		decode_bad(&b, "outside lookup table");
	}

	/* an index that does not fit in int32 */
	{
		struct px_buf cb = PX_BUF_INIT, e = PX_BUF_INIT, ce = PX_BUF_INIT;

		px_buf_reset(&b);
		put_inner(&cb, 2, &ops[0]);
		px_pb_put_uint64(&ce, 4, 1ull << 31);
		put_msg(&e, 1, &ce);
		put_msg(&cb, 1, &e);
		put_msg(&b, 4, &cb);
		decode_bad(&b, "int32 out of range");
	}
	px_buf_free(&b);
}

/* --- path length cap ----------------------------------------------------- */

static void test_path_limit(void **state)
{
	struct ics23_inner_op *path = calloc(ICS23_MAX_PATH + 1, sizeof(*path));
	int32_t *idx = calloc(ICS23_MAX_PATH + 1, sizeof(*idx));
	struct ics23_existence_proof p = ex_c;
	struct px_buf b = PX_BUF_INIT;
	struct decoded d;

	(void)state;
	assert_non_null(path);
	assert_non_null(idx);
	for (size_t i = 0; i <= ICS23_MAX_PATH; i++) {
		path[i] = ops[i % 3];
		idx[i] = (int32_t)(i % 3);
	}
	p.path = path;
	p.path_len = ICS23_MAX_PATH;
	put_exist(&b, 1, &p);
	decode_ok(&d, &b);
	exist_eq(d.proof.exist, &p);
	decoded_free(&d);

	px_buf_reset(&b);
	p.path_len = ICS23_MAX_PATH + 1;
	put_exist(&b, 1, &p);
	decode_bad(&b, "path longer than limit");

	/* compressed: packed, unpacked and mixed */
	p.path_len = ICS23_MAX_PATH;
	for (size_t pk = 0; pk <= ICS23_MAX_PATH; pk += ICS23_MAX_PATH / 2) {
		compressed_with(&b, 3, idx, ICS23_MAX_PATH, pk);
		decode_ok(&d, &b);
		exist_eq(d.proof.entries[0].exist, &p);
		decoded_free(&d);

		compressed_with(&b, 3, idx, ICS23_MAX_PATH + 1, pk);
		decode_bad(&b, "path longer than limit");
	}
	/* every index packed into one field */
	compressed_with(&b, 3, idx, ICS23_MAX_PATH + 1, ICS23_MAX_PATH + 1);
	decode_bad(&b, "path longer than limit");
	px_buf_free(&b);
	free(idx);
	free(path);
}

/* --- wire types and tags ------------------------------------------------- */

static void test_wire_types(void **state)
{
	static const struct {
		const char *what;
		uint8_t bytes[16];
		size_t len;
		const char *fragment;
	} cases[] = {
		{ "exist as varint", { 0x08, 0x01 }, 2, "unexpected wire type" },
		{ "nonexist as fixed32", { 0x15, 1, 2, 3, 4 }, 5, "unexpected wire type" },
		{ "batch as fixed64", { 0x19, 1, 2, 3, 4, 5, 6, 7, 8 }, 9, "unexpected wire type" },
		{ "exist key as varint", { 0x0a, 0x02, 0x08, 0x05 }, 4, "unexpected wire type" },
		{ "exist leaf as varint", { 0x0a, 0x02, 0x18, 0x01 }, 4, "unexpected wire type" },
		{ "exist path as varint", { 0x0a, 0x02, 0x20, 0x01 }, 4, "unexpected wire type" },
		{ "leaf hash as bytes", { 0x0a, 0x05, 0x1a, 0x03, 0x0a, 0x01, 0x01 }, 7,
		  "unexpected wire type" },
		{ "leaf prefix as varint", { 0x0a, 0x04, 0x1a, 0x02, 0x28, 0x00 }, 6,
		  "unexpected wire type" },
		{ "inner hash as fixed32", { 0x0a, 0x07, 0x22, 0x05, 0x0d, 1, 0, 0, 0 }, 9,
		  "unexpected wire type" },
		{ "nonexist left as varint", { 0x12, 0x02, 0x10, 0x01 }, 4, "unexpected wire type" },
		{ "batch entry as varint", { 0x1a, 0x02, 0x08, 0x01 }, 4, "unexpected wire type" },
		{ "batch entry exist as varint", { 0x1a, 0x04, 0x0a, 0x02, 0x08, 0x01 }, 6,
		  "unexpected wire type" },
		{ "compressed lookup as varint", { 0x22, 0x02, 0x10, 0x01 }, 4,
		  "unexpected wire type" },
		{ "path index as fixed32",
		  { 0x22, 0x0b, 0x12, 0x00, 0x0a, 0x07, 0x0a, 0x05, 0x25, 0, 0, 0, 0 }, 13,
		  "unexpected wire type" },
		{ "start group", { 0x0b }, 1, "unsupported wire type" },
		{ "end group", { 0x0c }, 1, "unsupported wire type" },
		{ "wire type 6", { 0x0e }, 1, "unsupported wire type" },
		{ "wire type 7", { 0x0f }, 1, "unsupported wire type" },
		{ "group inside exist", { 0x0a, 0x01, 0x4b }, 3, "unsupported wire type" },
		{ "field 0", { 0x02, 0x00 }, 2, "bad field number" },
		{ "field 0 inside leaf", { 0x0a, 0x03, 0x1a, 0x01, 0x00 }, 5, "bad field number" },
		{ "field past 2^29", { 0xf8, 0xff, 0xff, 0xff, 0x10, 0x00 }, 6, "bad field number" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct px_err err = { 0 };
		struct decoded d;

		if (decode_into(&err, &d, cases[i].bytes, cases[i].len)) {
			decoded_free(&d);
			fail_msg("%s: decoded", cases[i].what);
		}
		if (err.code != PX_E_MALFORMED || !strstr(err.msg, cases[i].fragment))
			fail_msg("%s: %d %s", cases[i].what, err.code, err.msg);
		assert_zeroed(&d.proof, sizeof(d.proof));
		free(d.copy);
	}
}

/* Bytes after a valid proof must themselves be fields. */
static void test_trailing_garbage(void **state)
{
	struct px_buf b = PX_BUF_INIT;

	(void)state;
	enc_exist(&b);
	px_buf_push(&b, 0x00);
	decode_bad(&b, "bad field number");
	px_buf_reset(&b);
	enc_batch(&b);
	px_buf_push(&b, 0x78); /* a tag without its value */
	decode_bad(&b, "truncated varint");
	px_buf_free(&b);
}

static void test_too_large(void **state)
{
	size_t n = ICS23_MAX_PROOF_BYTES + 1;
	uint8_t *big = calloc(n, 1);

	(void)state;
	assert_non_null(big);
	decode_bad_code(big, n, PX_E_TOO_LARGE, "limit");
	free(big);
}

/* A key or value over its cap is refused before anything else. */
static void test_field_caps(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	struct ics23_existence_proof p = ex_c;
	uint8_t *big = calloc(ICS23_MAX_KEY + 1, 1);
	struct decoded d;

	(void)state;
	assert_non_null(big);
	p.key = sl(big, ICS23_MAX_KEY);
	put_exist(&b, 1, &p);
	decode_ok(&d, &b);
	decoded_free(&d);
	px_buf_reset(&b);
	p.key = sl(big, ICS23_MAX_KEY + 1);
	put_exist(&b, 1, &p);
	decode_bad(&b, "length over limit");

	px_buf_reset(&b);
	p = ex_c;
	p.leaf.prefix = sl(big, ICS23_MAX_OP_BYTES + 1);
	put_exist(&b, 1, &p);
	decode_bad(&b, "length over limit");
	free(big);
	px_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_exist, setup),
		cmocka_unit_test_setup(test_nonexist, setup),
		cmocka_unit_test_setup(test_batch, setup),
		cmocka_unit_test_setup(test_compressed, setup),
		cmocka_unit_test_setup(test_unknown_fields_skipped, setup),
		cmocka_unit_test_setup(test_enum_bounds, setup),
		cmocka_unit_test_setup(test_empty_exist, setup),
		cmocka_unit_test_setup(test_truncated, setup),
		cmocka_unit_test_setup(test_truncated_with_trailer, setup),
		cmocka_unit_test_setup(test_varints, setup),
		cmocka_unit_test_setup(test_length_past_end, setup),
		cmocka_unit_test_setup(test_duplicate_fields, setup),
		cmocka_unit_test_setup(test_two_oneof_members, setup),
		cmocka_unit_test_setup(test_unknown_enum, setup),
		cmocka_unit_test_setup(test_empty_proof, setup),
		cmocka_unit_test_setup(test_empty_batch, setup),
		cmocka_unit_test_setup(test_empty_entry, setup),
		cmocka_unit_test_setup(test_compressed_indices, setup),
		cmocka_unit_test_setup(test_path_limit, setup),
		cmocka_unit_test_setup(test_wire_types, setup),
		cmocka_unit_test_setup(test_trailing_garbage, setup),
		cmocka_unit_test_setup(test_too_large, setup),
		cmocka_unit_test_setup(test_field_caps, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
