/* Unit tests for lightclient/ics23/verify.c against trees built here: a
 * four-leaf simple Merkle tree under the tendermint spec, and a sparse tree
 * with an empty slot under the smt spec. Every key proves membership and
 * every gap proves absence (edges included); a changed root, key, value,
 * proof byte or spec fails with the 3xx code naming the rule; neighbours
 * that are swapped, not adjacent or not at an edge fail; batch lookups pick
 * the right entry. A few cases go through the protobuf encoding and
 * ics23_proof_decode, including a compressed batch, and every single-bit
 * change of an encoded proof is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/hash.h"
#include "common/protobuf.h"
#include "lightclient/ics23/ics23.h"

static struct px_slice sl(const void *p, size_t n)
{
	struct px_slice s = { p, n };
	return s;
}

static struct px_slice str(const char *s)
{
	return sl(s, strlen(s));
}

static void assert_err(const struct px_err *err, int code, const char *fragment)
{
	if (err->code != code)
		fail_msg("code %d (%s), want %d", err->code, err->msg, code);
	if (fragment && !strstr(err->msg, fragment))
		fail_msg("message \"%s\" lacks \"%s\"", err->msg, fragment);
}

/* --- the tendermint tree -------------------------------------------------- */

/* leaves L0..L3 over keys b d f h; N01 = H(1 L0 L1), N23 = H(1 L2 L3),
 * root = H(1 N01 N23). */
struct tm_tree {
	const char *keys[4];
	const char *values[4];
	uint8_t leaf[4][32];
	uint8_t n01[32], n23[32], root[32];
	uint8_t pfx[4][2][33];
	uint8_t sfx[4][2][32];
	struct ics23_inner_op path[4][2];
	struct ics23_existence_proof proof[4];
};

static struct tm_tree tm;

static void inner_hash(uint8_t out[32], const uint8_t left[32], const uint8_t right[32])
{
	uint8_t pre[65];

	pre[0] = 0x01;
	memcpy(pre + 1, left, 32);
	memcpy(pre + 33, right, 32);
	px_sha256(out, pre, sizeof(pre));
}

/* sha256(0x00 || varint(len k) || k || varint(32) || sha256(v)), keys
 * shorter than 128 bytes. */
static void tm_leaf_hash(uint8_t out[32], const char *key, const char *value)
{
	struct px_buf pre = PX_BUF_INIT;
	uint8_t hv[32];

	assert_true(strlen(key) < 128);
	px_sha256(hv, value, strlen(value));
	px_buf_push(&pre, 0x00);
	px_buf_push(&pre, (uint8_t)strlen(key));
	px_buf_append(&pre, key, strlen(key));
	px_buf_push(&pre, 32);
	px_buf_append(&pre, hv, 32);
	assert_true(px_buf_ok(&pre));
	px_sha256(out, pre.data, pre.len);
	px_buf_free(&pre);
}

/* The op for a child whose sibling is `sib`: on the left (sibling in the
 * suffix) or on the right (sibling after the 0x01 in the prefix). */
static struct ics23_inner_op step(uint8_t pfx[33], uint8_t sfx[32], const uint8_t sib[32],
				  bool child_left)
{
	struct ics23_inner_op op = { .hash = ICS23_SHA256 };

	pfx[0] = 0x01;
	if (child_left) {
		memcpy(sfx, sib, 32);
		op.prefix = sl(pfx, 1);
		op.suffix = sl(sfx, 32);
	} else {
		memcpy(pfx + 1, sib, 32);
		op.prefix = sl(pfx, 33);
		op.suffix = sl(NULL, 0);
	}
	return op;
}

static void tm_build(struct tm_tree *t)
{
	static const char *keys[4] = { "b", "d", "f", "h" };
	static const char *values[4] = { "value of b", "value of d", "value of f", "value of h" };

	memset(t, 0, sizeof(*t));
	for (int i = 0; i < 4; i++) {
		t->keys[i] = keys[i];
		t->values[i] = values[i];
		tm_leaf_hash(t->leaf[i], keys[i], values[i]);
	}
	inner_hash(t->n01, t->leaf[0], t->leaf[1]);
	inner_hash(t->n23, t->leaf[2], t->leaf[3]);
	inner_hash(t->root, t->n01, t->n23);
	for (int i = 0; i < 4; i++) {
		bool left = i % 2 == 0;
		const uint8_t *sib = t->leaf[i ^ 1];
		const uint8_t *top = i < 2 ? t->n23 : t->n01;

		t->path[i][0] = step(t->pfx[i][0], t->sfx[i][0], sib, left);
		t->path[i][1] = step(t->pfx[i][1], t->sfx[i][1], top, i < 2);
		t->proof[i] = (struct ics23_existence_proof){
			.key = str(keys[i]),
			.value = str(values[i]),
			.has_leaf = true,
			.leaf = ics23_spec_tendermint.leaf_spec,
			.path = t->path[i],
			.path_len = 2,
		};
	}
}

/* --- the sparse tree ----------------------------------------------------- */

/* Three keys ordered by sha256(key) in three of the four slots; the
 * other is the placeholder (32 zero bytes). */
struct smt_tree {
	const char *keys[3];		/* in hash order */
	uint8_t hkey[3][32];
	uint8_t leaf[4][32];		/* leaf[2] stays zero */
	uint8_t n01[32], n23[32], root[32];
	uint8_t pfx[3][2][33];
	uint8_t sfx[3][2][32];
	struct ics23_inner_op path[3][2];
	struct ics23_existence_proof proof[3];
};

static struct smt_tree smt;

static const char *smt_value(const char *key)
{
	return key; /* values equal to their keys keep the fixture short */
}

static void smt_leaf_hash(uint8_t out[32], const char *key, const char *value)
{
	uint8_t pre[65];

	pre[0] = 0x00;
	px_sha256(pre + 1, key, strlen(key));
	px_sha256(pre + 33, value, strlen(value));
	px_sha256(out, pre, sizeof(pre));
}

static void smt_build(struct smt_tree *t, int empty)
{
	const char *names[3] = { "apple", "banana", "cherry" };
	int slot[3];

	memset(t, 0, sizeof(*t));
	for (int s = 0, i = 0; s < 4; s++) {
		if (s != empty)
			slot[i++] = s;
	}
	/* sort by hash */
	for (int i = 0; i < 3; i++)
		px_sha256(t->hkey[i], names[i], strlen(names[i]));
	for (int i = 0; i < 3; i++) {
		for (int j = i + 1; j < 3; j++) {
			if (memcmp(t->hkey[j], t->hkey[i], 32) < 0) {
				uint8_t h[32];
				const char *n = names[i];

				memcpy(h, t->hkey[i], 32);
				memcpy(t->hkey[i], t->hkey[j], 32);
				memcpy(t->hkey[j], h, 32);
				names[i] = names[j];
				names[j] = n;
			}
		}
	}
	for (int i = 0; i < 3; i++) {
		t->keys[i] = names[i];
		smt_leaf_hash(t->leaf[slot[i]], names[i], smt_value(names[i]));
	}
	inner_hash(t->n01, t->leaf[0], t->leaf[1]);
	inner_hash(t->n23, t->leaf[2], t->leaf[3]);
	inner_hash(t->root, t->n01, t->n23);
	for (int i = 0; i < 3; i++) {
		int s = slot[i];

		t->path[i][0] = step(t->pfx[i][0], t->sfx[i][0], t->leaf[s ^ 1], s % 2 == 0);
		t->path[i][1] = step(t->pfx[i][1], t->sfx[i][1], s < 2 ? t->n23 : t->n01, s < 2);
		t->proof[i] = (struct ics23_existence_proof){
			.key = str(names[i]),
			.value = str(smt_value(names[i])),
			.has_leaf = true,
			.leaf = ics23_spec_smt.leaf_spec,
			.path = t->path[i],
			.path_len = 2,
		};
	}
}

/* A key "x<n>" whose hash lies strictly between lo and hi (NULL: open). */
static const char *smt_key_between(char buf[16], const uint8_t *lo, const uint8_t *hi)
{
	for (int i = 0; i < 100000; i++) {
		uint8_t h[32];

		snprintf(buf, 16, "x%d", i);
		px_sha256(h, buf, strlen(buf));
		if ((!lo || memcmp(h, lo, 32) > 0) && (!hi || memcmp(h, hi, 32) < 0))
			return buf;
	}
	fail_msg("no key found in the range");
	return NULL;
}

static int setup(void **state)
{
	(void)state;
	tm_build(&tm);
	smt_build(&smt, 2);
	return 0;
}

/* --- proof wrappers ------------------------------------------------------ */

static struct ics23_proof exist_of(struct ics23_existence_proof *e)
{
	struct ics23_proof p = { .kind = ICS23_PROOF_EXIST, .exist = e };
	return p;
}

static struct ics23_proof nonexist_of(struct ics23_nonexistence_proof *n)
{
	struct ics23_proof p = { .kind = ICS23_PROOF_NONEXIST, .nonexist = n };
	return p;
}

static bool member(struct px_err *err, const struct ics23_spec *spec, const uint8_t *root,
		   const struct ics23_proof *p, const char *key, const char *value)
{
	px_err_clear(err);
	return ics23_verify_membership(err, spec, root, 32, p, (const uint8_t *)key, strlen(key),
				       (const uint8_t *)value, strlen(value));
}

static bool absent(struct px_err *err, const struct ics23_spec *spec, const uint8_t *root,
		   const struct ics23_proof *p, const char *key)
{
	px_err_clear(err);
	return ics23_verify_non_membership(err, spec, root, 32, p, (const uint8_t *)key,
					   strlen(key));
}

static void member_ok(const struct ics23_proof *p, const char *key, const char *value)
{
	struct px_err err = { 0 };

	if (!member(&err, &ics23_spec_tendermint, tm.root, p, key, value))
		fail_msg("membership of \"%s\": %s", key, err.msg);
}

static void member_bad(const struct ics23_spec *spec, const uint8_t *root,
		       const struct ics23_proof *p, const char *key, const char *value, int code,
		       const char *fragment)
{
	struct px_err err = { 0 };

	if (member(&err, spec, root, p, key, value))
		fail_msg("membership of \"%s\" accepted", key);
	assert_err(&err, code, fragment);
}

static void absent_ok(const struct ics23_spec *spec, const uint8_t *root,
		      const struct ics23_proof *p, const char *key)
{
	struct px_err err = { 0 };

	if (!absent(&err, spec, root, p, key))
		fail_msg("non-membership of \"%s\": %s", key, err.msg);
}

static void absent_bad(const struct ics23_spec *spec, const uint8_t *root,
		       const struct ics23_proof *p, const char *key, int code, const char *fragment)
{
	struct px_err err = { 0 };

	if (absent(&err, spec, root, p, key))
		fail_msg("non-membership of \"%s\" accepted", key);
	assert_err(&err, code, fragment);
}

/* --- existence ----------------------------------------------------------- */

static void test_tree_sanity(void **state)
{
	(void)state;
	for (int i = 0; i < 4; i++) {
		struct px_err err = { 0 };
		uint8_t out[64];
		size_t n = 0;

		if (!ics23_existence_calculate(&err, out, &n, &tm.proof[i]))
			fail_msg("%s", err.msg);
		assert_int_equal(n, 32);
		assert_memory_equal(out, tm.root, 32);
	}
	{
		struct ics23_existence_proof p = tm.proof[0];
		struct px_err err = { 0 };
		uint8_t out[64];
		size_t n = 0;

		p.has_leaf = false;
		assert_false(ics23_existence_calculate(&err, out, &n, &p));
		assert_err(&err, PX_E_SPEC_MISMATCH, "no leaf op");
	}
}

static void test_membership_each_key(void **state)
{
	(void)state;
	for (int i = 0; i < 4; i++) {
		struct ics23_proof p = exist_of(&tm.proof[i]);
		struct px_err err = { 0 };

		member_ok(&p, tm.keys[i], tm.values[i]);
		assert_true(ics23_existence_verify(&err, &tm.proof[i], &ics23_spec_tendermint,
						   tm.root, 32, str(tm.keys[i]),
						   str(tm.values[i])));
	}
}

static void test_membership_changed_inputs(void **state)
{
	const struct ics23_spec *tms = &ics23_spec_tendermint;
	struct ics23_proof p = exist_of(&tm.proof[1]);
	struct px_err err = { 0 };
	uint8_t root[32];

	(void)state;
	/* every bit of the root */
	for (int i = 0; i < 256; i++) {
		memcpy(root, tm.root, 32);
		root[i / 8] ^= (uint8_t)(1u << (i % 8));
		member_bad(tms, root, &p, "d", "value of d", PX_E_ROOT_MISMATCH, "root");
	}
	/* a root of another length */
	assert_false(ics23_verify_membership(&err, tms, tm.root, 31, &p, (const uint8_t *)"d", 1,
					     (const uint8_t *)"value of d", 10));
	assert_err(&err, PX_E_ROOT_MISMATCH, "root");

	/* key: through the lookup and through the proof itself */
	member_bad(tms, tm.root, &p, "b", "value of d", PX_E_KEY_MISMATCH, "key");
	member_bad(tms, tm.root, &p, "dd", "value of d", PX_E_KEY_MISMATCH, "key");
	px_err_clear(&err);
	assert_false(ics23_existence_verify(&err, &tm.proof[1], tms, tm.root, 32, str("e"),
					    str("value of d")));
	assert_err(&err, PX_E_KEY_MISMATCH, "key");

	/* value */
	member_bad(tms, tm.root, &p, "d", "value of b", PX_E_VALUE_MISMATCH, "value");
	member_bad(tms, tm.root, &p, "d", "value of d ", PX_E_VALUE_MISMATCH, "value");

	/* a proof changed to carry another value no longer reaches the root */
	{
		struct ics23_existence_proof e = tm.proof[1];
		struct ics23_proof q = exist_of(&e);

		e.value = str("forged");
		member_bad(tms, tm.root, &q, "d", "forged", PX_E_ROOT_MISMATCH, "root");
		e = tm.proof[1];
		e.key = str("c");
		member_bad(tms, tm.root, &q, "c", "value of d", PX_E_ROOT_MISMATCH, "root");
	}

	/* empty key or value */
	px_err_clear(&err);
	assert_false(ics23_verify_membership(&err, tms, tm.root, 32, &p, NULL, 0,
					     (const uint8_t *)"v", 1));
	assert_err(&err, PX_E_VERIFY, "empty key");
	px_err_clear(&err);
	assert_false(ics23_verify_membership(&err, tms, tm.root, 32, &p, (const uint8_t *)"d", 1,
					     NULL, 0));
	assert_err(&err, PX_E_VERIFY, "empty value");
}

/* Every byte of every sibling in the path, and the ops' hashes. */
static void test_membership_changed_proof(void **state)
{
	(void)state;
	for (int leaf = 0; leaf < 4; leaf++) {
		for (int s = 0; s < 2; s++) {
			struct ics23_inner_op path[2];
			struct ics23_existence_proof e = tm.proof[leaf];
			struct ics23_proof p = exist_of(&e);
			uint8_t buf[33];
			struct ics23_inner_op *op = &path[s];
			bool in_prefix;

			memcpy(path, tm.path[leaf], sizeof(path));
			e.path = path;
			in_prefix = op->prefix.len == 33;
			memcpy(buf, in_prefix ? op->prefix.ptr : op->suffix.ptr,
			       in_prefix ? 33 : 32);
			if (in_prefix)
				op->prefix.ptr = buf;
			else
				op->suffix.ptr = buf;
			for (size_t i = in_prefix ? 1 : 0; i < (in_prefix ? 33u : 32u); i++) {
				buf[i] ^= 0x10;
				member_bad(&ics23_spec_tendermint, tm.root, &p, tm.keys[leaf],
					   tm.values[leaf], PX_E_ROOT_MISMATCH, "root");
				buf[i] ^= 0x10;
			}
			member_ok(&p, tm.keys[leaf], tm.values[leaf]);

			/* the op's 0x01 byte becomes the leaf prefix */
			buf[0] = 0x00;
			if (in_prefix)
				member_bad(&ics23_spec_tendermint, tm.root, &p, tm.keys[leaf],
					   tm.values[leaf], PX_E_SPEC_MISMATCH, "leaf prefix");
			/* a hash op the spec does not use */
			memcpy(path, tm.path[leaf], sizeof(path));
			op->hash = ICS23_SHA512;
			member_bad(&ics23_spec_tendermint, tm.root, &p, tm.keys[leaf],
				   tm.values[leaf], PX_E_SPEC_MISMATCH, "hash op");
		}
	}
	/* a leaf op field */
	{
		struct ics23_existence_proof e = tm.proof[2];
		struct ics23_proof p = exist_of(&e);

		e.leaf.prehash_value = ICS23_NO_HASH;
		member_bad(&ics23_spec_tendermint, tm.root, &p, "f", "value of f",
			   PX_E_SPEC_MISMATCH, "prehash value");
		e = tm.proof[2];
		e.path_len = 1;
		member_bad(&ics23_spec_tendermint, tm.root, &p, "f", "value of f",
			   PX_E_ROOT_MISMATCH, "root");
		e.has_leaf = false;
		member_bad(&ics23_spec_tendermint, tm.root, &p, "f", "value of f",
			   PX_E_SPEC_MISMATCH, "leaf");
	}
}

static void test_membership_wrong_spec(void **state)
{
	(void)state;
	for (int i = 0; i < 4; i++) {
		struct ics23_proof p = exist_of(&tm.proof[i]);

		member_bad(&ics23_spec_iavl, tm.root, &p, tm.keys[i], tm.values[i],
			   PX_E_SPEC_MISMATCH, "IAVL");
		member_bad(&ics23_spec_smt, tm.root, &p, tm.keys[i], tm.values[i],
			   PX_E_SPEC_MISMATCH, "prehash key");
	}
	for (int i = 0; i < 3; i++) {
		struct ics23_proof p = exist_of(&smt.proof[i]);

		member_bad(&ics23_spec_tendermint, smt.root, &p, smt.keys[i],
			   smt_value(smt.keys[i]), PX_E_SPEC_MISMATCH, "prehash key");
	}
}

/* A hash longer than the spec's child size is refused on the way up (a
 * spec whose inner ops hash with SHA-512 but whose children are 32 bytes). */
static void test_hash_longer_than_child(void **state)
{
	struct ics23_spec spec = ics23_spec_tendermint;
	struct ics23_inner_op path[2];
	struct ics23_existence_proof e = tm.proof[0];
	struct px_err err = { 0 };

	(void)state;
	spec.inner_spec.hash = ICS23_SHA512;
	memcpy(path, tm.path[0], sizeof(path));
	path[0].hash = ICS23_SHA512;
	path[1].hash = ICS23_SHA512;
	e.path = path;
	assert_false(ics23_existence_verify(&err, &e, &spec, tm.root, 32, e.key, e.value));
	assert_err(&err, PX_E_SPEC_MISMATCH, "exceeds child size");
}

/* --- non-existence ------------------------------------------------------- */

static struct ics23_nonexistence_proof between(int left, int right)
{
	struct ics23_nonexistence_proof n = {
		.left = left >= 0 ? &tm.proof[left] : NULL,
		.right = right >= 0 ? &tm.proof[right] : NULL,
	};
	return n;
}

static void test_nonmembership_neighbours(void **state)
{
	static const struct {
		int left, right;
		const char *key;
	} ok[] = {
		{ 0, 1, "c" }, { 0, 1, "bb" }, { 0, 1, "b\x01" }, { 0, 1, "czzzz" },
		{ 1, 2, "e" }, { 1, 2, "d\xff" },
		{ 2, 3, "g" }, { 2, 3, "f0" },
		/* the edges */
		{ -1, 0, "a" }, { -1, 0, "\x01" }, { -1, 0, "aaaaaaaa" },
		{ 3, -1, "i" }, { 3, -1, "h\x01" }, { 3, -1, "\xff\xff" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct ics23_nonexistence_proof n = between(ok[i].left, ok[i].right);
		struct ics23_proof p = nonexist_of(&n);

		absent_ok(&ics23_spec_tendermint, tm.root, &p, ok[i].key);
		/* a key field naming the queried key is fine */
		n.key = str(ok[i].key);
		absent_ok(&ics23_spec_tendermint, tm.root, &p, ok[i].key);
	}
}

static void test_nonmembership_bad_neighbours(void **state)
{
	const struct ics23_spec *tms = &ics23_spec_tendermint;
	struct ics23_nonexistence_proof n;
	struct ics23_proof p = nonexist_of(&n);
	struct px_err err = { 0 };

	(void)state;
	/* swapped */
	n = between(1, 0);
	absent_bad(tms, tm.root, &p, "c", PX_E_KEY_ORDER, NULL);
	px_err_clear(&err);
	assert_false(ics23_nonexistence_verify(&err, &n, tms, tm.root, 32, str("c")));
	assert_err(&err, PX_E_KEY_ORDER, NULL);
	n = between(2, 1);
	absent_bad(tms, tm.root, &p, "e", PX_E_KEY_ORDER, NULL);

	/* not adjacent: the key is between them, but so is a leaf */
	n = between(0, 2);
	absent_bad(tms, tm.root, &p, "c", PX_E_NEIGHBOUR, "neighbours");
	absent_bad(tms, tm.root, &p, "e", PX_E_NEIGHBOUR, "neighbours");
	n = between(0, 3);
	absent_bad(tms, tm.root, &p, "e", PX_E_NEIGHBOUR, "neighbours");
	n = between(1, 3);
	absent_bad(tms, tm.root, &p, "g", PX_E_NEIGHBOUR, "neighbours");

	/* the same leaf on both sides */
	n = between(1, 1);
	absent_bad(tms, tm.root, &p, "d", PX_E_KEY_ORDER, NULL);

	/* one side missing, the other not at the edge */
	n = between(-1, 1);
	absent_bad(tms, tm.root, &p, "c", PX_E_NEIGHBOUR, "left-most");
	n = between(-1, 2);
	absent_bad(tms, tm.root, &p, "e", PX_E_NEIGHBOUR, "left-most");
	n = between(2, -1);
	absent_bad(tms, tm.root, &p, "g", PX_E_NEIGHBOUR, "right-most");
	n = between(0, -1);
	absent_bad(tms, tm.root, &p, "c", PX_E_NEIGHBOUR, "right-most");

	/* both missing */
	n = between(-1, -1);
	absent_bad(tms, tm.root, &p, "c", PX_E_PROOF_SHAPE, "missing");
}

static void test_nonmembership_key_outside(void **state)
{
	const struct ics23_spec *tms = &ics23_spec_tendermint;
	struct ics23_nonexistence_proof n = between(1, 2);
	struct ics23_proof p = nonexist_of(&n);
	struct px_err err = { 0 };

	(void)state;
	absent_bad(tms, tm.root, &p, "c", PX_E_KEY_ORDER, "between");
	absent_bad(tms, tm.root, &p, "g", PX_E_KEY_ORDER, "between");
	/* the neighbours themselves */
	absent_bad(tms, tm.root, &p, "d", PX_E_KEY_ORDER, NULL);
	absent_bad(tms, tm.root, &p, "f", PX_E_KEY_ORDER, NULL);
	/* the proof checked directly, past the lookup */
	assert_false(ics23_nonexistence_verify(&err, &n, tms, tm.root, 32, str("c")));
	assert_err(&err, PX_E_KEY_ORDER, "right of the left proof");
	px_err_clear(&err);
	assert_false(ics23_nonexistence_verify(&err, &n, tms, tm.root, 32, str("g")));
	assert_err(&err, PX_E_KEY_ORDER, "left of the right proof");
	px_err_clear(&err);
	assert_false(ics23_nonexistence_verify(&err, &n, tms, tm.root, 32, str("f")));
	assert_err(&err, PX_E_KEY_ORDER, "left of the right proof");
	px_err_clear(&err);
	assert_false(ics23_nonexistence_verify(&err, &n, tms, tm.root, 32, str("d")));
	assert_err(&err, PX_E_KEY_ORDER, "right of the left proof");
	/* edges: a key on the wrong side of the only neighbour */
	n = between(-1, 0);
	absent_bad(tms, tm.root, &p, "c", PX_E_KEY_ORDER, NULL);
	n = between(3, -1);
	absent_bad(tms, tm.root, &p, "g", PX_E_KEY_ORDER, NULL);
	/* empty key */
	px_err_clear(&err);
	assert_false(ics23_verify_non_membership(&err, tms, tm.root, 32, &p, NULL, 0));
	assert_err(&err, PX_E_VERIFY, "empty key");
}

static void test_nonmembership_key_field(void **state)
{
	const struct ics23_spec *tms = &ics23_spec_tendermint;
	struct ics23_nonexistence_proof n = between(1, 2);
	struct ics23_proof p = nonexist_of(&n);

	(void)state;
	n.key = str("e");
	absent_ok(tms, tm.root, &p, "e");
	n.key = str("ee");
	absent_bad(tms, tm.root, &p, "e", PX_E_KEY_MISMATCH, "key");
	n.key = sl("e\0", 2);
	absent_bad(tms, tm.root, &p, "e", PX_E_KEY_MISMATCH, "key");
	/* the tendermint spec does not prehash keys: the hash is not a name */
	{
		uint8_t h[32];

		px_sha256(h, "e", 1);
		n.key = sl(h, 32);
		absent_bad(tms, tm.root, &p, "e", PX_E_KEY_MISMATCH, "key");
	}
	/* the key field of a proof that would otherwise pass for both keys */
	n.key = str("ee");
	absent_ok(tms, tm.root, &p, "ee");
	absent_bad(tms, tm.root, &p, "e1", PX_E_KEY_MISMATCH, "key");
}

static void test_nonmembership_bad_existence(void **state)
{
	const struct ics23_spec *tms = &ics23_spec_tendermint;
	struct ics23_existence_proof l = tm.proof[1], r = tm.proof[2];
	struct ics23_nonexistence_proof n = { .left = &l, .right = &r };
	struct ics23_proof p = nonexist_of(&n);
	uint8_t root[32];

	(void)state;
	absent_ok(tms, tm.root, &p, "e");
	l.value = str("forged");
	absent_bad(tms, tm.root, &p, "e", PX_E_ROOT_MISMATCH, "left proof");
	l = tm.proof[1];
	r.value = str("forged");
	absent_bad(tms, tm.root, &p, "e", PX_E_ROOT_MISMATCH, "right proof");
	r = tm.proof[2];
	r.has_leaf = false;
	absent_bad(tms, tm.root, &p, "e", PX_E_SPEC_MISMATCH, "right proof");
	r = tm.proof[2];
	memcpy(root, tm.root, 32);
	root[31] ^= 1;
	absent_bad(tms, root, &p, "e", PX_E_ROOT_MISMATCH, "root");
	absent_bad(&ics23_spec_iavl, tm.root, &p, "e", PX_E_SPEC_MISMATCH, NULL);
	/* (the smt spec orders keys by hash, so go past the lookup) */
	{
		struct px_err err = { 0 };

		assert_false(ics23_nonexistence_verify(&err, &n, &ics23_spec_smt, tm.root, 32,
						       str("e")));
		assert_err(&err, PX_E_SPEC_MISMATCH, "left proof");
	}
	/* a forged neighbour with a key that is not in the tree */
	l.key = str("d0");
	absent_bad(tms, tm.root, &p, "e", PX_E_ROOT_MISMATCH, "left proof");
}

/* Membership proofs do not prove absence and the reverse. */
static void test_wrong_kind(void **state)
{
	const struct ics23_spec *tms = &ics23_spec_tendermint;
	struct ics23_nonexistence_proof n = between(1, 2);
	struct ics23_proof ex = exist_of(&tm.proof[1]), ne = nonexist_of(&n);
	struct ics23_proof none = { 0 };

	(void)state;
	absent_bad(tms, tm.root, &ex, "d", PX_E_NO_PROOF_FOR_KEY, NULL);
	absent_bad(tms, tm.root, &ex, "e", PX_E_NO_PROOF_FOR_KEY, NULL);
	member_bad(tms, tm.root, &ne, "e", "value", PX_E_NO_PROOF_FOR_KEY, NULL);
	member_bad(tms, tm.root, &ne, "d", "value of d", PX_E_NO_PROOF_FOR_KEY, NULL);
	member_bad(tms, tm.root, &none, "d", "value of d", PX_E_NO_PROOF_FOR_KEY, NULL);
	absent_bad(tms, tm.root, &none, "e", PX_E_NO_PROOF_FOR_KEY, NULL);
}

/* --- batches ------------------------------------------------------------- */

static void test_batch_lookup(void **state)
{
	const struct ics23_spec *tms = &ics23_spec_tendermint;
	struct ics23_nonexistence_proof n12 = between(1, 2), n3 = between(3, -1);
	struct ics23_nonexistence_proof n0 = between(-1, 0);
	struct ics23_batch_entry entries[] = {
		{ ICS23_ENTRY_EXIST, &tm.proof[0], NULL },
		{ ICS23_ENTRY_NONEXIST, NULL, &n12 },
		{ ICS23_ENTRY_EXIST, &tm.proof[2], NULL },
		{ ICS23_ENTRY_NONEXIST, NULL, &n3 },
		{ ICS23_ENTRY_EXIST, &tm.proof[3], NULL },
	};
	struct ics23_proof p = { .kind = ICS23_PROOF_BATCH, .entries = entries, .entries_len = 5 };

	(void)state;
	for (int kind = 0; kind < 2; kind++) {
		p.kind = kind ? ICS23_PROOF_COMPRESSED : ICS23_PROOF_BATCH;
		member_ok(&p, "b", "value of b");
		member_ok(&p, "f", "value of f");
		member_ok(&p, "h", "value of h");
		member_bad(tms, tm.root, &p, "d", "value of d", PX_E_NO_PROOF_FOR_KEY, NULL);
		member_bad(tms, tm.root, &p, "f", "value of d", PX_E_VALUE_MISMATCH, NULL);
		absent_ok(tms, tm.root, &p, "e");
		absent_ok(tms, tm.root, &p, "i");
		absent_ok(tms, tm.root, &p, "zz");
		absent_bad(tms, tm.root, &p, "c", PX_E_NO_PROOF_FOR_KEY, NULL);
		absent_bad(tms, tm.root, &p, "a", PX_E_NO_PROOF_FOR_KEY, NULL);
		absent_bad(tms, tm.root, &p, "g", PX_E_NO_PROOF_FOR_KEY, NULL);
		/* neighbours bracket strictly: their own keys are not absent */
		absent_bad(tms, tm.root, &p, "d", PX_E_NO_PROOF_FOR_KEY, NULL);
		absent_bad(tms, tm.root, &p, "f", PX_E_NO_PROOF_FOR_KEY, NULL);
		absent_bad(tms, tm.root, &p, "h", PX_E_NO_PROOF_FOR_KEY, NULL);
	}
	/* an entry added for the left edge */
	entries[1].nonexist = &n0;
	absent_ok(tms, tm.root, &p, "a");
	absent_bad(tms, tm.root, &p, "e", PX_E_NO_PROOF_FOR_KEY, NULL);
}

/* The specification takes the first entry that matches, even when a later
 * one would verify. */
static void test_batch_first_match(void **state)
{
	const struct ics23_spec *tms = &ics23_spec_tendermint;
	struct ics23_existence_proof forged = tm.proof[1];
	struct ics23_nonexistence_proof bad = between(0, 2), good = between(1, 2);
	struct ics23_batch_entry entries[] = {
		{ ICS23_ENTRY_EXIST, &forged, NULL },
		{ ICS23_ENTRY_NONEXIST, NULL, &bad },
		{ ICS23_ENTRY_EXIST, &tm.proof[1], NULL },
		{ ICS23_ENTRY_NONEXIST, NULL, &good },
	};
	struct ics23_proof p = { .kind = ICS23_PROOF_BATCH, .entries = entries, .entries_len = 4 };

	(void)state;
	forged.value = str("forged");
	member_bad(tms, tm.root, &p, "d", "value of d", PX_E_VALUE_MISMATCH, NULL);
	absent_bad(tms, tm.root, &p, "e", PX_E_NEIGHBOUR, NULL);
	entries[0].kind = ICS23_ENTRY_NONE;
	entries[1].kind = ICS23_ENTRY_NONE;
	member_ok(&p, "d", "value of d");
	absent_ok(tms, tm.root, &p, "e");
}

/* --- the sparse tree ----------------------------------------------------- */

static void test_smt(void **state)
{
	const struct ics23_spec *ss = &ics23_spec_smt;
	struct ics23_nonexistence_proof n;
	struct ics23_proof p = nonexist_of(&n);
	char buf[16];
	const char *k;

	(void)state;
	for (int i = 0; i < 3; i++) {
		struct ics23_proof e = exist_of(&smt.proof[i]);
		struct px_err err = { 0 };

		if (!member(&err, ss, smt.root, &e, smt.keys[i], smt_value(smt.keys[i])))
			fail_msg("smt membership of %s: %s", smt.keys[i], err.msg);
		member_bad(ss, smt.root, &e, smt.keys[i], "other", PX_E_VALUE_MISMATCH, NULL);
	}

	/* between slot 1 and slot 3, across the placeholder in slot 2 */
	k = smt_key_between(buf, smt.hkey[1], smt.hkey[2]);
	n = (struct ics23_nonexistence_proof){ .left = &smt.proof[1], .right = &smt.proof[2] };
	absent_ok(ss, smt.root, &p, k);
	/* the key field may name the key or its hash */
	n.key = str(k);
	absent_ok(ss, smt.root, &p, k);
	{
		uint8_t h[32];

		px_sha256(h, k, strlen(k));
		n.key = sl(h, 32);
		absent_ok(ss, smt.root, &p, k);
		h[0] ^= 1;
		absent_bad(ss, smt.root, &p, k, PX_E_KEY_MISMATCH, "key");
	}
	n.key = str("x");
	absent_bad(ss, smt.root, &p, k, PX_E_KEY_MISMATCH, "key");
	n.key = sl(NULL, 0);
	/* the same proof under the tendermint spec (which orders keys as they
	 * are, so past the lookup) */
	{
		struct px_err err = { 0 };

		assert_false(ics23_nonexistence_verify(&err, &n, &ics23_spec_tendermint, smt.root,
						       32, str(k)));
		assert_err(&err, PX_E_SPEC_MISMATCH, "prehash key");
	}
	/* slot 0 and slot 3 are not neighbours */
	n.left = &smt.proof[0];
	absent_bad(ss, smt.root, &p, k, PX_E_NEIGHBOUR, "neighbours");

	/* between slot 0 and slot 1 */
	k = smt_key_between(buf, smt.hkey[0], smt.hkey[1]);
	n = (struct ics23_nonexistence_proof){ .left = &smt.proof[0], .right = &smt.proof[1] };
	absent_ok(ss, smt.root, &p, k);
	/* ordering is by hash: this key's hash is outside slot 1..3 */
	n = (struct ics23_nonexistence_proof){ .left = &smt.proof[1], .right = &smt.proof[2] };
	absent_bad(ss, smt.root, &p, k, PX_E_KEY_ORDER, NULL);

	/* the edges */
	k = smt_key_between(buf, NULL, smt.hkey[0]);
	n = (struct ics23_nonexistence_proof){ .right = &smt.proof[0] };
	absent_ok(ss, smt.root, &p, k);
	k = smt_key_between(buf, smt.hkey[2], NULL);
	n = (struct ics23_nonexistence_proof){ .left = &smt.proof[2] };
	absent_ok(ss, smt.root, &p, k);
	/* slot 1 is not right-most: its right sibling is a real leaf */
	k = smt_key_between(buf, smt.hkey[1], smt.hkey[2]);
	n = (struct ics23_nonexistence_proof){ .left = &smt.proof[1] };
	absent_bad(ss, smt.root, &p, k, PX_E_NEIGHBOUR, "right-most");
	/* slot 3 is not left-most: its placeholder sibling is empty, but the
	 * subtree left of it is not */
	n = (struct ics23_nonexistence_proof){ .right = &smt.proof[2] };
	absent_bad(ss, smt.root, &p, k, PX_E_NEIGHBOUR, "left-most");
}

/* The placeholder in each of the four slots: at the left edge, between
 * two leaves on either side of one, and at the right edge. */
static void test_smt_every_empty_slot(void **state)
{
	const struct ics23_spec *ss = &ics23_spec_smt;
	struct ics23_nonexistence_proof n;
	struct ics23_proof p = nonexist_of(&n);
	struct smt_tree t;
	char buf[16];
	const char *k;

	(void)state;
	for (int empty = 0; empty < 4; empty++) {
		smt_build(&t, empty);
		for (int i = 0; i < 3; i++) {
			struct ics23_proof e = exist_of(&t.proof[i]);
			struct px_err err = { 0 };

			if (!member(&err, ss, t.root, &e, t.keys[i], smt_value(t.keys[i])))
				fail_msg("empty slot %d: membership of %s: %s", empty, t.keys[i],
					 err.msg);
		}
		/* every gap */
		for (int i = 0; i < 2; i++) {
			k = smt_key_between(buf, t.hkey[i], t.hkey[i + 1]);
			n = (struct ics23_nonexistence_proof){ .left = &t.proof[i],
							       .right = &t.proof[i + 1] };
			absent_ok(ss, t.root, &p, k);
			/* only one neighbour, the other side has a leaf */
			n.right = NULL;
			absent_bad(ss, t.root, &p, k, PX_E_NEIGHBOUR, "right-most");
			n.right = &t.proof[i + 1];
			n.left = NULL;
			absent_bad(ss, t.root, &p, k, PX_E_NEIGHBOUR, "left-most");
		}
		k = smt_key_between(buf, NULL, t.hkey[0]);
		n = (struct ics23_nonexistence_proof){ .right = &t.proof[0] };
		absent_ok(ss, t.root, &p, k);
		k = smt_key_between(buf, t.hkey[2], NULL);
		n = (struct ics23_nonexistence_proof){ .left = &t.proof[2] };
		absent_ok(ss, t.root, &p, k);
		/* skipping the middle leaf */
		for (int i = 0; i < 2; i++) {
			k = smt_key_between(buf, t.hkey[i], t.hkey[i + 1]);
			n = (struct ics23_nonexistence_proof){ .left = &t.proof[0],
							       .right = &t.proof[2] };
			absent_bad(ss, t.root, &p, k, PX_E_NEIGHBOUR, "neighbours");
		}
	}
}

/* A placeholder only counts as empty under a spec that has one. */
static void test_smt_placeholder_needs_spec(void **state)
{
	struct ics23_spec spec = ics23_spec_smt;
	struct ics23_nonexistence_proof n = { .left = &smt.proof[1], .right = &smt.proof[2] };
	struct ics23_proof p = nonexist_of(&n);
	char buf[16];
	const char *k = smt_key_between(buf, smt.hkey[1], smt.hkey[2]);

	(void)state;
	spec.inner_spec.empty_child = sl(NULL, 0);
	absent_bad(&spec, smt.root, &p, k, PX_E_NEIGHBOUR, "neighbours");
}

/* --- through the wire format --------------------------------------------- */

static void put_leaf(struct px_buf *b, uint32_t field, const struct ics23_leaf_op *op)
{
	struct px_buf m = PX_BUF_INIT;

	if (op->hash)
		px_pb_put_uint64(&m, 1, op->hash);
	if (op->prehash_key)
		px_pb_put_uint64(&m, 2, op->prehash_key);
	if (op->prehash_value)
		px_pb_put_uint64(&m, 3, op->prehash_value);
	if (op->length)
		px_pb_put_uint64(&m, 4, op->length);
	if (op->prefix.len)
		px_pb_put_bytes(&m, 5, op->prefix.ptr, op->prefix.len);
	px_pb_put_bytes(b, field, m.data, m.len);
	px_buf_free(&m);
}

static void put_inner(struct px_buf *b, uint32_t field, const struct ics23_inner_op *op)
{
	struct px_buf m = PX_BUF_INIT;

	if (op->hash)
		px_pb_put_uint64(&m, 1, op->hash);
	if (op->prefix.len)
		px_pb_put_bytes(&m, 2, op->prefix.ptr, op->prefix.len);
	if (op->suffix.len)
		px_pb_put_bytes(&m, 3, op->suffix.ptr, op->suffix.len);
	px_pb_put_bytes(b, field, m.data, m.len);
	px_buf_free(&m);
}

/* An existence proof; with `lookup` set, its path as indices into the
 * lookup table (ops compared by value), all packed. */
static void put_exist(struct px_buf *b, uint32_t field, const struct ics23_existence_proof *p,
		      const struct ics23_inner_op *lookup, size_t nlookup)
{
	struct px_buf m = PX_BUF_INIT, packed = PX_BUF_INIT;

	px_pb_put_bytes(&m, 1, p->key.ptr, p->key.len);
	px_pb_put_bytes(&m, 2, p->value.ptr, p->value.len);
	put_leaf(&m, 3, &p->leaf);
	for (size_t i = 0; i < p->path_len; i++) {
		const struct ics23_inner_op *op = &p->path[i];
		size_t j;

		if (!lookup) {
			put_inner(&m, 4, op);
			continue;
		}
		for (j = 0; j < nlookup; j++) {
			if (lookup[j].hash == op->hash && px_slice_eq(lookup[j].prefix, op->prefix) &&
			    px_slice_eq(lookup[j].suffix, op->suffix))
				break;
		}
		assert_true(j < nlookup);
		px_pb_put_varint(&packed, j);
	}
	if (packed.len)
		px_pb_put_bytes(&m, 4, packed.data, packed.len);
	px_pb_put_bytes(b, field, m.data, m.len);
	px_buf_free(&packed);
	px_buf_free(&m);
}

static void put_nonexist(struct px_buf *b, uint32_t field, const struct ics23_nonexistence_proof *n,
			 const struct ics23_inner_op *lookup, size_t nlookup)
{
	struct px_buf m = PX_BUF_INIT;

	if (n->key.len)
		px_pb_put_bytes(&m, 1, n->key.ptr, n->key.len);
	if (n->left)
		put_exist(&m, 2, n->left, lookup, nlookup);
	if (n->right)
		put_exist(&m, 3, n->right, lookup, nlookup);
	px_pb_put_bytes(b, field, m.data, m.len);
	px_buf_free(&m);
}

/* A batch (field 3) or, with a lookup table, a compressed batch (field 4)
 * of the given entries. */
static void put_batch(struct px_buf *b, const struct ics23_batch_entry *entries, size_t n,
		      const struct ics23_inner_op *lookup, size_t nlookup)
{
	struct px_buf m = PX_BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		struct px_buf e = PX_BUF_INIT;

		if (entries[i].kind == ICS23_ENTRY_EXIST)
			put_exist(&e, 1, entries[i].exist, lookup, nlookup);
		else
			put_nonexist(&e, 2, entries[i].nonexist, lookup, nlookup);
		px_pb_put_bytes(&m, 1, e.data, e.len);
		px_buf_free(&e);
	}
	for (size_t i = 0; lookup && i < nlookup; i++)
		put_inner(&m, 2, &lookup[i]);
	px_pb_put_bytes(b, lookup ? 4 : 3, m.data, m.len);
	px_buf_free(&m);
}

static void decode(struct ics23_proof *out, const struct px_buf *b)
{
	struct px_err err = { 0 };

	assert_true(px_buf_ok(b));
	if (!ics23_proof_decode(&err, out, b->data, b->len))
		fail_msg("decode: %s", err.msg);
}

static void test_decoded_proofs(void **state)
{
	const struct ics23_spec *tms = &ics23_spec_tendermint;
	struct ics23_nonexistence_proof n12 = between(1, 2), n3 = between(3, -1);
	const struct ics23_batch_entry entries[] = {
		{ ICS23_ENTRY_EXIST, &tm.proof[0], NULL },
		{ ICS23_ENTRY_NONEXIST, NULL, &n12 },
		{ ICS23_ENTRY_EXIST, &tm.proof[1], NULL },
		{ ICS23_ENTRY_EXIST, &tm.proof[2], NULL },
		{ ICS23_ENTRY_NONEXIST, NULL, &n3 },
		{ ICS23_ENTRY_EXIST, &tm.proof[3], NULL },
	};
	/* the six distinct inner ops of the tree, in a shuffled order */
	const struct ics23_inner_op lookup[] = {
		tm.path[3][0], tm.path[0][1], tm.path[1][0],
		tm.path[2][1], tm.path[0][0], tm.path[2][0],
	};
	struct px_buf b = PX_BUF_INIT;
	struct ics23_proof p;

	(void)state;
	for (int i = 0; i < 4; i++) {
		px_buf_reset(&b);
		put_exist(&b, 1, &tm.proof[i], NULL, 0);
		decode(&p, &b);
		member_ok(&p, tm.keys[i], tm.values[i]);
		member_bad(tms, tm.root, &p, tm.keys[i], "x", PX_E_VALUE_MISMATCH, NULL);
		absent_bad(tms, tm.root, &p, "e", PX_E_NO_PROOF_FOR_KEY, NULL);
		ics23_proof_free(&p);
	}

	px_buf_reset(&b);
	n12.key = str("e");
	put_nonexist(&b, 2, &n12, NULL, 0);
	decode(&p, &b);
	absent_ok(tms, tm.root, &p, "e");
	absent_bad(tms, tm.root, &p, "e0", PX_E_KEY_MISMATCH, NULL);
	absent_bad(tms, tm.root, &p, "c", PX_E_KEY_ORDER, NULL);
	member_bad(tms, tm.root, &p, "d", "value of d", PX_E_NO_PROOF_FOR_KEY, NULL);
	ics23_proof_free(&p);
	n12.key = sl(NULL, 0);

	for (int compressed = 0; compressed < 2; compressed++) {
		px_buf_reset(&b);
		put_batch(&b, entries, 6, compressed ? lookup : NULL, compressed ? 6 : 0);
		decode(&p, &b);
		assert_int_equal(p.kind, compressed ? ICS23_PROOF_COMPRESSED : ICS23_PROOF_BATCH);
		for (int i = 0; i < 4; i++) {
			member_ok(&p, tm.keys[i], tm.values[i]);
			member_bad(tms, tm.root, &p, tm.keys[i], "x", PX_E_VALUE_MISMATCH, NULL);
		}
		absent_ok(tms, tm.root, &p, "e");
		absent_ok(tms, tm.root, &p, "i");
		absent_bad(tms, tm.root, &p, "c", PX_E_NO_PROOF_FOR_KEY, NULL);
		absent_bad(tms, tm.root, &p, "a", PX_E_NO_PROOF_FOR_KEY, NULL);
		member_bad(tms, tm.root, &p, "e", "x", PX_E_NO_PROOF_FOR_KEY, NULL);
		member_bad(&ics23_spec_iavl, tm.root, &p, "b", "value of b", PX_E_SPEC_MISMATCH,
			   NULL);
		ics23_proof_free(&p);
	}
	px_buf_free(&b);
}

/* Flipping any bit of an encoded proof either breaks the encoding or
 * breaks the proof: nothing else verifies. */
static void flip_all_bits(const struct px_buf *b, bool membership, const char *key,
			  const char *value, size_t *decoded)
{
	uint8_t *copy = malloc(b->len);

	assert_non_null(copy);
	for (size_t i = 0; i < b->len * 8; i++) {
		struct px_err err = { 0 };
		struct ics23_proof p;
		bool ok;

		memcpy(copy, b->data, b->len);
		copy[i / 8] ^= (uint8_t)(1u << (i % 8));
		if (!ics23_proof_decode(&err, &p, copy, b->len)) {
			assert_int_equal(err.code, PX_E_MALFORMED);
			continue;
		}
		(*decoded)++;
		if (membership)
			ok = member(&err, &ics23_spec_tendermint, tm.root, &p, key, value);
		else
			ok = absent(&err, &ics23_spec_tendermint, tm.root, &p, key);
		ics23_proof_free(&p);
		if (ok)
			fail_msg("bit %zu of byte %zu flipped: still verifies", i % 8, i / 8);
		/* a verification failure, never anything else */
		if (err.code < 300 || err.code >= 400)
			fail_msg("bit %zu: code %d (%s)", i, err.code, err.msg);
	}
	free(copy);
}

static void test_bit_flips(void **state)
{
	struct ics23_nonexistence_proof n12 = between(1, 2), n0 = between(-1, 0);
	struct px_buf b = PX_BUF_INIT;
	size_t decoded = 0;

	(void)state;
	for (int i = 0; i < 4; i++) {
		px_buf_reset(&b);
		put_exist(&b, 1, &tm.proof[i], NULL, 0);
		flip_all_bits(&b, true, tm.keys[i], tm.values[i], &decoded);
	}
	px_buf_reset(&b);
	put_nonexist(&b, 2, &n12, NULL, 0);
	flip_all_bits(&b, false, "e", NULL, &decoded);
	px_buf_reset(&b);
	put_nonexist(&b, 2, &n0, NULL, 0);
	flip_all_bits(&b, false, "a", NULL, &decoded);
	/* most flips land in hashes and still decode: the verifier saw them */
	assert_true(decoded > 1000);
	px_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree_sanity),
		cmocka_unit_test(test_membership_each_key),
		cmocka_unit_test(test_membership_changed_inputs),
		cmocka_unit_test(test_membership_changed_proof),
		cmocka_unit_test(test_membership_wrong_spec),
		cmocka_unit_test(test_hash_longer_than_child),
		cmocka_unit_test(test_nonmembership_neighbours),
		cmocka_unit_test(test_nonmembership_bad_neighbours),
		cmocka_unit_test(test_nonmembership_key_outside),
		cmocka_unit_test(test_nonmembership_key_field),
		cmocka_unit_test(test_nonmembership_bad_existence),
		cmocka_unit_test(test_wrong_kind),
		cmocka_unit_test(test_batch_lookup),
		cmocka_unit_test(test_batch_first_match),
		cmocka_unit_test(test_smt),
		cmocka_unit_test(test_smt_every_empty_slot),
		cmocka_unit_test(test_smt_placeholder_needs_spec),
		cmocka_unit_test(test_decoded_proofs),
		cmocka_unit_test(test_bit_flips),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
