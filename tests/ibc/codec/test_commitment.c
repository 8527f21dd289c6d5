/* Tests of ibc/codec/commitment.c: MerkleRoot, MerklePrefix, MerkleProof
 * and the canonical ProofSpecs of a ClientState. */
#include "codec_check.h"

#include "ibc/codec/commitment.h"
#include "ibc/codec/tendermint.h"

#define BYTES_OF(s) (const uint8_t *)(s), sizeof(s) - 1

static void root_and_prefix(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	struct px_slice s;
	struct px_err err = { 0 };

	(void)state;
	/* MerklePrefix {bytes key_prefix = 1}: "ibc" -> 0a 03 696263. */
	assert_true(ibc_merkle_prefix_encode(&err, &b, ibc_str("ibc")));
	assert_buf_eq(&b, BYTES_OF("\x0a\x03ibc"));
	assert_true(ibc_merkle_prefix_decode(&err, &s, b.data, b.len));
	assert_true(px_slice_eq(s, ibc_str("ibc")));
	px_buf_reset(&b);
	assert_true(ibc_merkle_root_encode(&err, &b, ibc_str("")));
	assert_int_equal(b.len, 0);
	assert_false(ibc_merkle_root_decode(&err, &s, BYTES_OF("\x0a\x01x\x0a\x01y")));
	assert_non_null(strstr(err.msg, "MerkleRoot.bytes: duplicate field"));
	px_buf_free(&b);
}

static void proofs(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	struct ibc_merkle_proofs p, d;
	struct px_err err = { 0 };
	uint8_t many[2 * (IBC_MAX_MERKLE_PROOFS + 1)];

	(void)state;
	/* repeated CommitmentProof proofs = 1: each written, even empty. */
	memset(&p, 0, sizeof(p));
	p.proofs[0] = ibc_str("\x0a\x01\x01");
	p.proofs[1] = ibc_str("");
	p.len = 2;
	assert_true(ibc_merkle_proofs_encode(&err, &b, &p));
	assert_buf_eq(&b, BYTES_OF("\x0a\x03\x0a\x01\x01\x0a\x00"));
	assert_true(ibc_merkle_proofs_decode(&err, &d, b.data, b.len));
	assert_int_equal(d.len, 2);
	assert_true(px_slice_eq(d.proofs[0], p.proofs[0]));
	assert_int_equal(d.proofs[1].len, 0);
	for (size_t i = 0; i < sizeof(many); i += 2) {
		many[i] = 0x0a;
		many[i + 1] = 0;
	}
	assert_false(ibc_merkle_proofs_decode(&err, &d, many, sizeof(many)));
	assert_non_null(strstr(err.msg, "too many proofs"));
	px_buf_free(&b);
}

/* The IAVL and Tendermint specs as ibc-go writes them in every Cosmos
 * ClientState (from cosmos/ics23 proofs.proto and go/proof.go):
 * LeafOp 0a 09 {08 01 hash SHA256, 18 01 prehash_value SHA256,
 *   20 01 length VAR_PROTO, 2a 01 00 prefix 0x00};
 * InnerSpec 12 0c {0a 02 00 01 child_order packed, 10 21 child_size 33 |
 *   10 20 (32), 18 04 min_prefix 4 | 18 01, 20 0c max_prefix 12 | 20 01,
 *   30 01 hash SHA256}. */
#define IAVL_SPEC "0a090801180120012a0100120c0a02000110211804200c3001"
#define TM_SPEC "0a090801180120012a0100120c0a0200011020180120013001"

static void proof_specs(void **state)
{
	struct px_buf raw = PX_BUF_INIT;
	struct px_err err = { 0 };
	struct ibc_tm_client_state cs;

	(void)state;
	/* ClientState with only proof_specs (field 8, 42 19 ...). */
	assert_true(px_hex_decode(&err, &raw, "4219" IAVL_SPEC "4219" TM_SPEC,
				  strlen("4219" IAVL_SPEC "4219" TM_SPEC), false));
	assert_true(ibc_tm_client_state_decode(&err, &cs, raw.data, raw.len));
	assert_int_equal(cs.proof_specs_len, 2);
	assert_string_equal(cs.proof_specs[0], "iavl");
	assert_string_equal(cs.proof_specs[1], "tendermint");
	/* One byte changed (max_prefix 12 -> 13): unknown. */
	raw.data[2 + 22] = 0x0d;
	assert_false(ibc_tm_client_state_decode(&err, &cs, raw.data, raw.len));
	assert_non_null(strstr(err.msg, "ClientState.proof_specs: unknown or non-canonical proof spec"));
	px_buf_free(&raw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(root_and_prefix),
		cmocka_unit_test(proofs),
		cmocka_unit_test(proof_specs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
