/* Unit tests for lightclient/tendermint/hash.c. Expected encodings are
 * written out by hand from the CometBFT protobuf definitions (Timestamp,
 * BlockID, PartSetHeader, CanonicalVote, SimpleValidator, the gogoproto
 * wrappers of the header fields), and expected roots are built here leaf by
 * leaf with the RFC 6962 formulas, in explicit tree shapes, rather than
 * through the code under test. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/encoding.h"
#include "common/hash.h"
#include "lightclient/tendermint/hash.h"

/* --- helpers --------------------------------------------------------------- */

static void unhex(struct px_buf *out, const char *hex)
{
	px_buf_reset(out);
	assert_true(px_hex_decode(NULL, out, hex, strlen(hex), false));
}

static void assert_buf_hex(const struct px_buf *b, const char *hex)
{
	struct px_buf want = PX_BUF_INIT;

	assert_true(px_buf_ok(b));
	unhex(&want, hex);
	if (b->len != want.len || (b->len && memcmp(b->data, want.data, b->len) != 0)) {
		char got[1024];

		px_hex_encode(got, sizeof(got), b->data, b->len < 500 ? b->len : 500, false);
		fail_msg("got %s\nwant %s", got, hex);
	}
	px_buf_free(&want);
}

static void assert_hash_hex(const uint8_t h[32], const char *hex)
{
	uint8_t want[32];

	assert_true(px_hex_decode_fixed(NULL, want, 32, hex, strlen(hex)));
	assert_memory_equal(h, want, 32);
}

/* sha256(00 || data) and sha256(01 || l || r), written out. */
static void leaf(uint8_t out[32], const void *data, size_t len)
{
	uint8_t *buf = malloc(len + 1);

	assert_non_null(buf);
	buf[0] = 0;
	if (len)
		memcpy(buf + 1, data, len);
	px_sha256(out, buf, len + 1);
	free(buf);
}

static void node(uint8_t out[32], const uint8_t l[32], const uint8_t r[32])
{
	uint8_t buf[65];

	buf[0] = 1;
	memcpy(buf + 1, l, 32);
	memcpy(buf + 33, r, 32);
	px_sha256(out, buf, sizeof(buf));
}

static void fill(struct tm_bytes *b, uint8_t v, size_t len)
{
	memset(b->b, v, len);
	b->len = len;
}

/* --- Merkle tree ------------------------------------------------------------ */

static void test_merkle_empty_and_one(void **state)
{
	uint8_t out[32];
	struct px_iov one = { "abc", 3 }, empty = { "", 0 };

	tm_merkle_root(out, NULL, 0);
	assert_hash_hex(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	tm_merkle_root(out, &one, 1);
	assert_hash_hex(out, "609f6e36d2405585188d5cfd761f407c7cc46a7d3f314c88270469dde315fcd1");
	tm_merkle_leaf_hash(out, (const uint8_t *)"abc", 3);
	assert_hash_hex(out, "609f6e36d2405585188d5cfd761f407c7cc46a7d3f314c88270469dde315fcd1");
	/* one empty leaf is sha256(00), not the empty tree */
	tm_merkle_root(out, &empty, 1);
	{
		uint8_t zero = 0, want[32];

		px_sha256(want, &zero, 1);
		assert_memory_equal(out, want, 32);
	}
}

static void test_merkle_inner(void **state)
{
	uint8_t l[32], r[32], out[32], want[32];

	memset(l, 0xaa, 32);
	memset(r, 0x55, 32);
	tm_merkle_inner_hash(out, l, r);
	node(want, l, r);
	assert_memory_equal(out, want, 32);
	/* order matters */
	tm_merkle_inner_hash(out, r, l);
	assert_memory_not_equal(out, want, 32);
}

/* Trees of 2, 3, 4, 5, 7 and 14 leaves, built in the shapes CometBFT uses
 * (split at the largest power of two below n). */
static void test_merkle_shapes(void **state)
{
	static const char *const items[14] = { "a", "bb", "", "dddd", "e", "ff", "g",
					       "hh", "i", "jj", "k", "ll", "m", "nn" };
	struct px_iov iov[14];
	uint8_t L[14][32], n01[32], n23[32], n45[32], n0123[32], n456[32], want[32], out[32];
	uint8_t n67[32], n4567[32], n0_7[32], n89[32], n1011[32], n8_11[32], n1213[32], n8_13[32];

	for (int i = 0; i < 14; i++) {
		iov[i].ptr = items[i];
		iov[i].len = strlen(items[i]);
		leaf(L[i], items[i], strlen(items[i]));
	}
	node(n01, L[0], L[1]);
	tm_merkle_root(out, iov, 2);
	assert_memory_equal(out, n01, 32);

	node(want, n01, L[2]);
	tm_merkle_root(out, iov, 3);
	assert_memory_equal(out, want, 32);

	node(n23, L[2], L[3]);
	node(n0123, n01, n23);
	tm_merkle_root(out, iov, 4);
	assert_memory_equal(out, n0123, 32);

	node(want, n0123, L[4]);
	tm_merkle_root(out, iov, 5);
	assert_memory_equal(out, want, 32);

	node(n45, L[4], L[5]);
	node(n456, n45, L[6]);
	node(want, n0123, n456);
	tm_merkle_root(out, iov, 7);
	assert_memory_equal(out, want, 32);

	node(n67, L[6], L[7]);
	node(n4567, n45, n67);
	node(n0_7, n0123, n4567);
	node(n89, L[8], L[9]);
	node(n1011, L[10], L[11]);
	node(n8_11, n89, n1011);
	node(n1213, L[12], L[13]);
	node(n8_13, n8_11, n1213);
	node(want, n0_7, n8_13);
	tm_merkle_root(out, iov, 14);
	assert_memory_equal(out, want, 32);
}

/* --- encodings ------------------------------------------------------------- */

static void test_timestamp_encode(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	struct px_time t;

	t.seconds = 0;
	t.nanos = 0;
	tm_timestamp_encode(&b, t);
	assert_int_equal(b.len, 0);		/* the epoch is all defaults */
	t.seconds = 1;
	t.nanos = 1;
	tm_timestamp_encode(&b, t);
	assert_buf_hex(&b, "08011001");
	px_buf_reset(&b);
	/* Go's zero time, 0001-01-01T00:00:00Z: a negative int64 varint */
	t.seconds = -62135596800;
	t.nanos = 0;
	tm_timestamp_encode(&b, t);
	assert_buf_hex(&b, "088092b8c398feffffff01");
	px_buf_reset(&b);
	t.seconds = 1700000000;
	t.nanos = 123456789;
	tm_timestamp_encode(&b, t);
	assert_buf_hex(&b, "0880e2cfaa0610959aef3a");
	px_buf_free(&b);
}

static void test_block_id_encode(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	struct tm_block_id id;
	char hex[512];

	memset(&id, 0, sizeof(id));
	/* PartSetHeader is not nullable: an empty one is still written */
	tm_block_id_encode(&b, &id);
	assert_buf_hex(&b, "1200");
	assert_true(tm_block_id_is_zero(&id));

	fill(&id.hash, 0xab, 32);
	px_buf_reset(&b);
	tm_block_id_encode(&b, &id);
	assert_buf_hex(&b, "0a20abababababababababababababababababababababababababababababababab1200");
	assert_false(tm_block_id_is_zero(&id));

	id.parts.total = 1;
	fill(&id.parts.hash, 0xcd, 32);
	px_buf_reset(&b);
	tm_block_id_encode(&b, &id);
	snprintf(hex, sizeof(hex), "0a20%s122408011220%s",
		 "abababababababababababababababababababababababababababababababab",
		 "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd");
	assert_buf_hex(&b, hex);
	/* a total without hash */
	memset(&id, 0, sizeof(id));
	id.parts.total = 300;
	px_buf_reset(&b);
	tm_block_id_encode(&b, &id);
	assert_buf_hex(&b, "120308ac02");
	px_buf_free(&b);
}

static void test_block_id_equal(void **state)
{
	struct tm_block_id a, b;

	memset(&a, 0, sizeof(a));
	fill(&a.hash, 1, 32);
	a.parts.total = 2;
	fill(&a.parts.hash, 3, 32);
	b = a;
	assert_true(tm_block_id_equal(&a, &b));
	b.parts.total = 3;
	assert_false(tm_block_id_equal(&a, &b));
	b = a;
	b.parts.hash.b[31] ^= 1;
	assert_false(tm_block_id_equal(&a, &b));
	b = a;
	b.hash.len = 0;
	assert_false(tm_block_id_equal(&a, &b));
}

/* CanonicalVote: type (1, varint), height (2, sfixed64), round (3,
 * sfixed64), block_id (4, CanonicalBlockID), timestamp (5), chain_id (6),
 * the whole length-prefixed. */
static void test_vote_sign_bytes(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	struct tm_block_id id;
	struct px_time t = { 1700000000, 5 };
	const char *h32 = "1111111111111111111111111111111111111111111111111111111111111111";
	const char *p32 = "2222222222222222222222222222222222222222222222222222222222222222";
	char want[1024];

	memset(&id, 0, sizeof(id));
	fill(&id.hash, 0x11, 32);
	id.parts.total = 1;
	fill(&id.parts.hash, 0x22, 32);
	tm_vote_sign_bytes(&b, "c", TM_VOTE_PRECOMMIT, 5, 2, &id, t);
	/* 08 02 | 11 h | 19 r | 22 48 (0a 20 H 12 24 08 01 12 20 P) | 2a 08 (08 80e2cfaa06 10 05) | 32 01 63 */
	snprintf(want, sizeof(want),
		 "6b" "0802" "110500000000000000" "190200000000000000" "2248" "0a20%s" "1224" "0801"
		 "1220%s" "2a08" "0880e2cfaa06" "1005" "320163",
		 h32, p32);
	assert_buf_hex(&b, want);

	/* round 0 and an empty chain id are left out; a zero block id too;
	 * the timestamp is always written, even when empty */
	px_buf_reset(&b);
	memset(&id, 0, sizeof(id));
	t.seconds = 0;
	t.nanos = 0;
	tm_vote_sign_bytes(&b, "", TM_VOTE_PREVOTE, 1, 0, &id, t);
	assert_buf_hex(&b, "0d" "0801" "110100000000000000" "2a00");
	/* NULL block id is the same as a zero one */
	px_buf_reset(&b);
	tm_vote_sign_bytes(&b, "", TM_VOTE_PREVOTE, 1, 0, NULL, t);
	assert_buf_hex(&b, "0d" "0801" "110100000000000000" "2a00");
	/* a negative round (never signed by CometBFT, but encoded as sfixed64) */
	px_buf_reset(&b);
	tm_vote_sign_bytes(&b, "", TM_VOTE_PREVOTE, 1, -1, NULL, t);
	assert_buf_hex(&b, "16" "0801" "110100000000000000" "19ffffffffffffffff" "2a00");
	px_buf_free(&b);
}

static void test_commit_sign_bytes(void **state)
{
	struct px_buf got = PX_BUF_INIT, want = PX_BUF_INIT;
	struct tm_commit_sig sigs[2];
	struct tm_commit c;
	struct tm_block_id zero;

	memset(&c, 0, sizeof(c));
	memset(sigs, 0, sizeof(sigs));
	memset(&zero, 0, sizeof(zero));
	c.height = 9;
	c.round = 1;
	fill(&c.block_id.hash, 0x33, 32);
	c.block_id.parts.total = 1;
	fill(&c.block_id.parts.hash, 0x44, 32);
	c.sigs = sigs;
	c.len = 2;
	sigs[0].flag = TM_FLAG_COMMIT;
	sigs[0].timestamp.seconds = 1600000000;
	sigs[1].flag = TM_FLAG_NIL;
	sigs[1].timestamp.seconds = 1600000001;

	tm_commit_sign_bytes(&got, "chain", &c, 0);
	tm_vote_sign_bytes(&want, "chain", TM_VOTE_PRECOMMIT, 9, 1, &c.block_id, sigs[0].timestamp);
	assert_int_equal(got.len, want.len);
	assert_memory_equal(got.data, want.data, got.len);

	/* a nil vote signs the zero block id, with its own timestamp */
	px_buf_reset(&got);
	px_buf_reset(&want);
	tm_commit_sign_bytes(&got, "chain", &c, 1);
	tm_vote_sign_bytes(&want, "chain", TM_VOTE_PRECOMMIT, 9, 1, &zero, sigs[1].timestamp);
	assert_int_equal(got.len, want.len);
	assert_memory_equal(got.data, want.data, got.len);
	px_buf_free(&got);
	px_buf_free(&want);
}

/* --- header hash ------------------------------------------------------------ */

static void sample_header(struct tm_header *h)
{
	memset(h, 0, sizeof(*h));
	h->version_block = 11;
	h->version_app = 1;
	snprintf(h->chain_id, sizeof(h->chain_id), "dockerchain");
	h->height = 1608;
	h->time.seconds = 1700000000;
	h->time.nanos = 123456789;
	fill(&h->last_block_id.hash, 0xa1, 32);
	h->last_block_id.parts.total = 1;
	fill(&h->last_block_id.parts.hash, 0xa2, 32);
	fill(&h->last_commit_hash, 0xa3, 32);
	fill(&h->data_hash, 0xa4, 32);
	fill(&h->validators_hash, 0xa5, 32);
	fill(&h->next_validators_hash, 0xa6, 32);
	fill(&h->consensus_hash, 0xa7, 32);
	fill(&h->app_hash, 0xa8, 8);
	fill(&h->last_results_hash, 0xa9, 32);
	fill(&h->evidence_hash, 0xaa, 32);
	fill(&h->proposer_address, 0xab, 20);
}

/* The 14 leaves of the header, encoded by hand; root in the CometBFT
 * shape (8 | 4+2). */
static void header_root(uint8_t out[32], char leaves[14][200])
{
	uint8_t L[14][32], a[4][32], b[2][32], c[32], d[32], e[32], f[32];
	struct px_buf buf = PX_BUF_INIT;

	for (int i = 0; i < 14; i++) {
		unhex(&buf, leaves[i]);
		leaf(L[i], buf.data, buf.len);
	}
	px_buf_free(&buf);
	for (int i = 0; i < 4; i++)
		node(a[i], L[2 * i], L[2 * i + 1]);
	node(b[0], a[0], a[1]);
	node(b[1], a[2], a[3]);
	node(c, b[0], b[1]);		/* leaves 0..7 */
	node(d, L[8], L[9]);
	node(e, L[10], L[11]);
	node(f, d, e);			/* 8..11 */
	node(d, L[12], L[13]);		/* 12..13 */
	node(e, f, d);			/* 8..13 */
	node(out, c, e);
}

static void test_header_hash(void **state)
{
	struct px_err err = { 0 };
	struct tm_header h;
	char leaves[14][200];
	uint8_t got[32], want[32];

	sample_header(&h);
	snprintf(leaves[0], 200, "080b1001");					/* Consensus{11, 1} */
	snprintf(leaves[1], 200, "0a0b%s", "646f636b6572636861696e");		/* "dockerchain" */
	snprintf(leaves[2], 200, "08c80c");					/* 1608 */
	snprintf(leaves[3], 200, "0880e2cfaa0610959aef3a");			/* time */
	snprintf(leaves[4], 200, "0a20%s122408011220%s",
		 "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1",
		 "a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2");
	for (int i = 5; i <= 12; i++) {
		static const char *const v[] = { "a3", "a4", "a5", "a6", "a7", "a8", "a9", "aa" };
		char body[70];
		size_t n = i == 10 ? 8 : 32;

		for (size_t k = 0; k < n; k++)
			memcpy(body + 2 * k, v[i - 5], 2);
		body[2 * n] = 0;
		snprintf(leaves[i], 200, "0a%02zx%s", n, body);
	}
	snprintf(leaves[13], 200, "0a14%s", "abababababababababababababababababababab");
	header_root(want, leaves);
	assert_true(tm_header_hash(&err, got, &h));
	assert_memory_equal(got, want, 32);

	/* empty fields: each wrapper leaf is empty, the block id is 12 00,
	 * height 0 and version 0 are empty messages */
	memset(&h, 0, sizeof(h));
	fill(&h.validators_hash, 0xa5, 32);
	for (int i = 0; i < 14; i++)
		leaves[i][0] = 0;
	snprintf(leaves[4], 200, "1200");
	snprintf(leaves[7], 200, "0a20%s", "a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5");
	header_root(want, leaves);
	assert_true(tm_header_hash(&err, got, &h));
	assert_memory_equal(got, want, 32);

	/* one field changed changes the hash */
	sample_header(&h);
	assert_true(tm_header_hash(&err, want, &h));
	h.app_hash.b[7] ^= 1;
	assert_true(tm_header_hash(&err, got, &h));
	assert_memory_not_equal(got, want, 32);
	assert_false(px_err_is_set(&err));
}

static void test_header_hash_nil(void **state)
{
	struct px_err err = { 0 };
	struct tm_header h;
	uint8_t got[32];

	sample_header(&h);
	h.validators_hash.len = 0;
	memset(got, 0x77, sizeof(got));
	assert_false(tm_header_hash(&err, got, &h));
	assert_false(px_err_is_set(&err));	/* nil, not an error */
	for (int i = 0; i < 32; i++)
		assert_int_equal(got[i], 0);
}

/* SimpleValidator{pub_key: PublicKey{ed25519 (1) | secp256k1 (2)}, power}. */
static void test_validator_set_hash(void **state)
{
	struct px_err err = { 0 };
	struct tm_validator v[2];
	struct tm_validator_set vs = { v, 0, 0 };
	struct px_buf enc = PX_BUF_INIT;
	uint8_t got[32], want[32], l0[32], l1[32];
	char hex[200];

	memset(v, 0, sizeof(v));
	v[0].pub_key.type = TM_KEY_ED25519;
	v[0].pub_key.len = 32;
	memset(v[0].pub_key.bytes, 0x01, 32);
	v[0].voting_power = 10;
	v[1].pub_key.type = TM_KEY_SECP256K1;
	v[1].pub_key.len = 33;
	memset(v[1].pub_key.bytes, 0x02, 33);
	v[1].voting_power = 300;

	assert_true(tm_validator_set_hash(&err, got, &vs));
	assert_hash_hex(got, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

	vs.len = 1;
	snprintf(hex, sizeof(hex), "0a220a20%s100a",
		 "0101010101010101010101010101010101010101010101010101010101010101");
	unhex(&enc, hex);
	leaf(l0, enc.data, enc.len);
	assert_true(tm_validator_set_hash(&err, got, &vs));
	assert_memory_equal(got, l0, 32);

	vs.len = 2;
	snprintf(hex, sizeof(hex), "0a231221%s10ac02",
		 "020202020202020202020202020202020202020202020202020202020202020202");
	unhex(&enc, hex);
	leaf(l1, enc.data, enc.len);
	node(want, l0, l1);
	assert_true(tm_validator_set_hash(&err, got, &vs));
	assert_memory_equal(got, want, 32);
	px_buf_free(&enc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merkle_empty_and_one),
		cmocka_unit_test(test_merkle_inner),
		cmocka_unit_test(test_merkle_shapes),
		cmocka_unit_test(test_timestamp_encode),
		cmocka_unit_test(test_block_id_encode),
		cmocka_unit_test(test_block_id_equal),
		cmocka_unit_test(test_vote_sign_bytes),
		cmocka_unit_test(test_commit_sign_bytes),
		cmocka_unit_test(test_header_hash),
		cmocka_unit_test(test_header_hash_nil),
		cmocka_unit_test(test_validator_set_hash),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	px_hash_thread_cleanup();
	return rc;
}
