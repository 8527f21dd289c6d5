/* Unit tests for ibc/core/commitment.c: v1 and v2 commitment formulas
 * against values computed independently (Python hashlib), with each input
 * changed in turn; MerkleProof splitting (two proofs only); and proof
 * checks over a small IAVL store under a multistore (testproofs.c):
 * membership and absence verify, and a changed value, key, prefix, app
 * hash, proof byte, or a membership proof used as an absence proof (and
 * the reverse) are rejected with 2xx (malformed) or 3xx (not verified). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "common/encoding.h"
#include "common/hash.h"
#include "common/protobuf.h"
#include "ibc/core/commitment.h"
#include "testproofs.h"

static void assert_hex(const uint8_t *got, size_t len, const char *want)
{
	char h[2 * 64 + 1];

	px_hex_encode(h, sizeof(h), got, len, false);
	assert_string_equal(h, want);
}

static void assert_code_range(const struct px_err *err, int lo, int hi)
{
	if (err->code < lo || err->code > hi)
		fail_msg("code %d (%s), want %d-%d", err->code, err->msg, lo, hi);
}

static void test_packet_v1(void **state)
{
	struct ibc_packet p;
	uint8_t c[32], c2[32];
	struct ibc_height h = { 1, 100 };

	(void)state;
	memset(&p, 0, sizeof(p));
	p.sequence = 1;
	p.data.ptr = (const uint8_t *)"hello";
	p.data.len = 5;
	p.timeout_height = h;
	ibc_commit_packet_v1(c, &p);
	assert_hex(c, 32, "2211dbf1b345bcb6660027ab253333e0b1ce1489f55343310fd62b7de5a62da3");
	/* Sequence, ports and channels are not committed. */
	p.sequence = 77;
	snprintf(p.source_port, sizeof(p.source_port), "other");
	ibc_commit_packet_v1(c2, &p);
	assert_memory_equal(c, c2, 32);
	/* Every committed field is. */
	p.data.len = 4;
	ibc_commit_packet_v1(c2, &p);
	assert_memory_not_equal(c, c2, 32);
	p.data.len = 5;
	p.timeout_timestamp = 1;
	ibc_commit_packet_v1(c2, &p);
	assert_memory_not_equal(c, c2, 32);
	p.timeout_timestamp = 0;
	p.timeout_height.revision_number = 0;
	ibc_commit_packet_v1(c2, &p);
	assert_memory_not_equal(c, c2, 32);
	p.timeout_height.revision_number = 1;
	p.timeout_height.revision_height = 101;
	ibc_commit_packet_v1(c2, &p);
	assert_memory_not_equal(c, c2, 32);

	/* Empty data, largest heights (10-byte varints on the wire). */
	h.revision_number = UINT64_MAX;
	h.revision_height = UINT64_MAX;
	ibc_commit_packet_v1_parts(c, 1730395994411869175ull, h, NULL, 0);
	assert_hex(c, 32, "afe3f12ef793b4570afb67ebd6d0bf97fbe6622d420f3ef47fca4ebd92da7181");
}

static void test_ack_v1(void **state)
{
	static const char ack[] = "{\"result\":\"AQ==\"}";
	uint8_t c[32];

	(void)state;
	ibc_commit_ack_v1(c, (const uint8_t *)ack, strlen(ack));
	assert_hex(c, 32, "08f7557ed51826fe18d84512bf24ec75001edbaf2123a477df72a0a9f3640a7c");
	ibc_commit_ack_v1(c, NULL, 0);
	assert_hex(c, 32, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

#define S(str) { (const uint8_t *)(str), sizeof(str) - 1 }

static void test_v2(void **state)
{
	struct ibc_v2_payload pl[2] = {
		{ S("transfer"), S("transfer"), S("ics20-1"), S("application/json"), S("{}") },
		{ S("a"), S("b"), S(""), S(""), S("") },
	};
	struct ibc_v2_packet p = { 1, S("07-tendermint-0"), S("08-wasm-1"), 42, pl, 2 };
	struct px_slice acks[2] = { S("ok"), S("") };
	struct px_err err = { 0 };
	uint8_t c[32], c2[32];
	uint8_t sha[32];

	(void)state;
	assert_true(ibc_commit_packet_v2(&err, c, &p));
	assert_hex(c, 32, "7727da3ff28630cc90b420b26f1b2cb56c095fd2173b0e234b72643ae7ace491");
	/* The source client and the sequence are not committed. */
	p.source_client.len = 2;
	p.sequence = 9;
	assert_true(ibc_commit_packet_v2(&err, c2, &p));
	assert_memory_equal(c, c2, 32);
	p.timeout_timestamp = 43;
	assert_true(ibc_commit_packet_v2(&err, c2, &p));
	assert_memory_not_equal(c, c2, 32);
	p.timeout_timestamp = 42;
	pl[1].encoding.len = 0;
	pl[0].value.len = 1;
	assert_true(ibc_commit_packet_v2(&err, c2, &p));
	assert_memory_not_equal(c, c2, 32);

	assert_true(ibc_commit_ack_v2(&err, c, acks, 2));
	assert_hex(c, 32, "07d9c3d976d8dab02a0c2c5c802e40111e2ff95c9725f078c64f7d548f6e62e1");
	assert_int_equal(err.code, 0);

	p.payloads_len = 0;
	assert_false(ibc_commit_packet_v2(&err, c, &p));
	assert_int_equal(err.code, PX_E_MALFORMED);
	px_err_clear(&err);
	p.payloads_len = IBC_V2_MAX_PAYLOADS + 1;
	assert_false(ibc_commit_packet_v2(&err, c, &p));
	assert_int_equal(err.code, PX_E_MALFORMED);
	px_err_clear(&err);
	assert_false(ibc_commit_ack_v2(&err, c, acks, 0));
	assert_int_equal(err.code, PX_E_MALFORMED);

	px_sha256(sha, "UNIVERSAL_ERROR_ACKNOWLEDGEMENT", 31);
	assert_memory_equal(sha, ibc_v2_error_ack, 32);
}

/* ---- proofs ---- */

static struct tp_state st;

static void merkle_proof(struct px_buf *out, const struct px_buf *iavl, const struct px_buf *simple)
{
	px_pb_put_bytes(out, 1, iavl->data, iavl->len);
	px_pb_put_bytes(out, 1, simple->data, simple->len);
	assert_true(px_buf_ok(out));
}

static void path_of(struct ibc_merkle_path *mp, const char *prefix, const char *key)
{
	memset(mp, 0, sizeof(*mp));
	snprintf(mp->prefix, sizeof(mp->prefix), "%s", prefix);
	mp->key.len = (size_t)snprintf(mp->key.s, sizeof(mp->key.s), "%s", key);
}

/* Membership of key -> value, through MerkleProof bytes. */
static bool check_member(struct px_err *err, const char *prefix, const char *key,
			 const char *value, const uint8_t *app_hash, const struct px_buf *mpb)
{
	struct ibc_merkle_proof mp;
	struct ibc_merkle_path path;

	if (!ibc_merkle_proof_decode(err, &mp, mpb->data, mpb->len))
		return false;
	path_of(&path, prefix, key);
	return ibc_verify_membership(err, app_hash, 32, &path, (const uint8_t *)value,
				     strlen(value), &mp);
}

static void test_membership(void **state)
{
	struct px_buf iavl = PX_BUF_INIT, simple = PX_BUF_INIT, mpb = PX_BUF_INIT;
	struct px_err err = { 0 };
	const struct tp_item *it = &st.items[4];
	uint8_t bad_hash[32];
	struct ibc_path p;

	(void)state;
	/* The store keys of the fixture are the ones paths.c writes. */
	assert_true(ibc_path_packet_commitment(&err, &p, "transfer", "channel-0", 5));
	assert_string_equal(p.s, it->key);

	tp_iavl_exist(&iavl, &st, 4);
	tp_store_exist(&simple, &st, st.ibc);
	merkle_proof(&mpb, &iavl, &simple);
	assert_true(check_member(&err, "ibc", it->key, it->value, st.app_hash, &mpb));
	assert_int_equal(err.code, 0);

	/* Another value, key, prefix or app hash: not verified (3xx). */
	assert_false(check_member(&err, "ibc", it->key, "commitment of packet 6", st.app_hash,
				  &mpb));
	assert_code_range(&err, 300, 399);
	px_err_clear(&err);
	assert_false(check_member(&err, "ibc", st.items[5].key, it->value, st.app_hash, &mpb));
	assert_code_range(&err, 300, 399);
	px_err_clear(&err);
	assert_false(check_member(&err, "bank", it->key, it->value, st.app_hash, &mpb));
	assert_code_range(&err, 300, 399);
	px_err_clear(&err);
	memcpy(bad_hash, st.app_hash, 32);
	bad_hash[31] ^= 1;
	assert_false(check_member(&err, "ibc", it->key, it->value, bad_hash, &mpb));
	assert_code_range(&err, 300, 399);
	px_err_clear(&err);

	/* Every byte of the MerkleProof flipped: rejected (2xx or 3xx). */
	for (size_t i = 0; i < mpb.len; i++) {
		mpb.data[i] ^= 0x01;
		px_err_clear(&err);
		if (check_member(&err, "ibc", it->key, it->value, st.app_hash, &mpb))
			fail_msg("flipped byte %zu accepted", i);
		assert_code_range(&err, 200, 399);
		mpb.data[i] ^= 0x01;
	}

	/* The membership proof does not prove absence. */
	{
		struct ibc_merkle_proof mp;
		struct ibc_merkle_path path;

		px_err_clear(&err);
		assert_true(ibc_merkle_proof_decode(&err, &mp, mpb.data, mpb.len));
		path_of(&path, "ibc", it->key);
		assert_false(ibc_verify_non_membership(&err, st.app_hash, 32, &path, &mp));
		assert_code_range(&err, 300, 399);
		px_err_clear(&err);
		/* Empty values are never IBC values. */
		assert_false(ibc_verify_membership(&err, st.app_hash, 32, &path,
						   (const uint8_t *)"", 0, &mp));
		assert_int_equal(err.code, PX_E_MALFORMED);
		px_err_clear(&err);
		/* Swapped levels. */
		{
			struct px_slice t = mp.iavl;

			mp.iavl = mp.simple;
			mp.simple = t;
		}
		assert_false(ibc_verify_membership(&err, st.app_hash, 32, &path,
						   (const uint8_t *)it->value, strlen(it->value),
						   &mp));
		assert_code_range(&err, 200, 399);
	}
	px_buf_free(&iavl);
	px_buf_free(&simple);
	px_buf_free(&mpb);
}

static void test_absence(void **state)
{
	static const char *absent = "commitments/ports/transfer/channels/channel-0/sequences/45";
	struct px_buf iavl = PX_BUF_INIT, simple = PX_BUF_INIT, mpb = PX_BUF_INIT;
	struct px_err err = { 0 };
	struct ibc_merkle_proof mp;
	struct ibc_merkle_path path;
	uint8_t bad_hash[32];

	(void)state;
	tp_iavl_absent(&iavl, &st, absent);
	tp_store_exist(&simple, &st, st.ibc);
	merkle_proof(&mpb, &iavl, &simple);
	assert_true(ibc_merkle_proof_decode(&err, &mp, mpb.data, mpb.len));
	path_of(&path, "ibc", absent);
	assert_true(ibc_verify_non_membership(&err, st.app_hash, 32, &path, &mp));
	assert_int_equal(err.code, 0);

	/* Absence of a stored key, or of a key outside the neighbours. */
	path_of(&path, "ibc", st.items[4].key);
	assert_false(ibc_verify_non_membership(&err, st.app_hash, 32, &path, &mp));
	assert_code_range(&err, 300, 399);
	px_err_clear(&err);
	path_of(&path, "ibc", "receipts/ports/transfer/channels/channel-0/sequences/1");
	assert_false(ibc_verify_non_membership(&err, st.app_hash, 32, &path, &mp));
	assert_code_range(&err, 300, 399);
	px_err_clear(&err);
	path_of(&path, "ibc", absent);
	memcpy(bad_hash, st.app_hash, 32);
	bad_hash[0] ^= 0x80;
	assert_false(ibc_verify_non_membership(&err, bad_hash, 32, &path, &mp));
	assert_code_range(&err, 300, 399);
	px_err_clear(&err);
	/* The absence proof is not a membership proof. */
	assert_false(ibc_verify_membership(&err, st.app_hash, 32, &path, (const uint8_t *)"x", 1,
					   &mp));
	assert_code_range(&err, 300, 399);
	px_buf_free(&iavl);
	px_buf_free(&simple);
	px_buf_free(&mpb);
}

static void test_merkle_proof_shape(void **state)
{
	struct px_buf a = PX_BUF_INIT, b = PX_BUF_INIT, three = PX_BUF_INIT;
	struct px_err err = { 0 };
	struct ibc_merkle_proof mp;
	const uint8_t junk[] = { 0x0a, 0x05, 0x01 };

	(void)state;
	tp_iavl_exist(&a, &st, 0);
	tp_store_exist(&b, &st, st.ibc);
	px_pb_put_bytes(&three, 1, a.data, a.len);
	assert_false(ibc_merkle_proof_decode(&err, &mp, three.data, three.len));
	assert_int_equal(err.code, PX_E_PROOF_SHAPE);
	assert_null(mp.iavl.ptr);
	px_err_clear(&err);
	px_pb_put_bytes(&three, 1, b.data, b.len);
	px_pb_put_bytes(&three, 1, b.data, b.len);
	assert_false(ibc_merkle_proof_decode(&err, &mp, three.data, three.len));
	assert_int_equal(err.code, PX_E_PROOF_SHAPE);
	px_err_clear(&err);
	assert_false(ibc_merkle_proof_decode(&err, &mp, junk, sizeof(junk)));
	assert_int_equal(err.code, PX_E_MALFORMED);
	px_err_clear(&err);
	assert_false(ibc_merkle_proof_decode(&err, &mp, NULL, 0));
	assert_int_equal(err.code, PX_E_PROOF_SHAPE);
	px_err_clear(&err);
	/* Empty commitment proofs are refused before any hashing. */
	{
		struct ibc_merkle_path path;

		memset(&mp, 0, sizeof(mp));
		path_of(&path, "ibc", st.items[0].key);
		assert_false(ibc_verify_non_membership(&err, st.app_hash, 32, &path, &mp));
		assert_int_equal(err.code, PX_E_PROOF_SHAPE);
	}
	px_buf_free(&a);
	px_buf_free(&b);
	px_buf_free(&three);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_packet_v1),
		cmocka_unit_test(test_ack_v1),
		cmocka_unit_test(test_v2),
		cmocka_unit_test(test_membership),
		cmocka_unit_test(test_absence),
		cmocka_unit_test(test_merkle_proof_shape),
	};

	tp_state_build(&st);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
