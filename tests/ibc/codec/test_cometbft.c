/* Tests of ibc/codec/cometbft.c: the CometBFT types a 07-tendermint
 * Header carries (the Header round trips are in test_tendermint.c). */
#include "codec_check.h"

#include "ibc/codec/cometbft.h"

#define BYTES_OF(s) (const uint8_t *)(s), sizeof(s) - 1

/* Validator {bytes address = 1; PublicKey pub_key = 2; int64 voting_power = 3;
 * int64 proposer_priority = 4}; PublicKey {oneof: bytes ed25519 = 1}:
 * 0a 14 <01..14>, 12 22 {0a 20 <00..1f>}, 18 0a (10), 20 ff..ff 01 (-1,
 * ten bytes: int64 is sign-extended). */
#define VAL_HEX "0a140102030405060708090a0b0c0d0e0f101112131412220a20000102030405060708090a0b" \
		"0c0d0e0f101112131415161718191a1b1c1d1e1f180a20ffffffffffffffffff01"

static void validator(void **state)
{
	struct px_buf raw = PX_BUF_INIT, b = PX_BUF_INIT;
	struct px_err err = { 0 };
	struct tm_validator v;

	(void)state;
	assert_true(px_hex_decode(&err, &raw, VAL_HEX, strlen(VAL_HEX), false));
	assert_true(ibc_cmt_validator_decode(&err, &v, raw.data, raw.len));
	assert_int_equal(v.address[0], 1);
	assert_int_equal(v.pub_key.type, TM_KEY_ED25519);
	assert_int_equal(v.pub_key.len, 32);
	assert_int_equal(v.voting_power, 10);
	assert_int_equal(v.proposer_priority, -1);
	assert_true(ibc_cmt_validator_encode(&err, &b, &v));
	assert_buf_eq(&b, raw.data, raw.len);
	/* A corrupted pub_key length, no key, a 19-byte address. */
	raw.data[23] = 0x1f;
	assert_false(ibc_cmt_validator_decode(&err, &v, raw.data, raw.len));
	px_buf_free(&raw);
	px_err_clear(&err);
	assert_false(ibc_cmt_validator_decode(&err, &v,
		BYTES_OF("\x0a\x14" "aaaaaaaaaaaaaaaaaaaa" "\x12\x00")));
	assert_non_null(strstr(err.msg, "PublicKey.ed25519: no ed25519 or secp256k1 key"));
	px_err_clear(&err);
	assert_false(ibc_cmt_validator_decode(&err, &v, BYTES_OF("\x0a\x13" "aaaaaaaaaaaaaaaaaaa")));
	assert_non_null(strstr(err.msg, "Validator.address: address is not 20 bytes"));
	px_buf_free(&b);
}

/* CommitSig: an ABSENT signature has no address; COMMIT needs 20 bytes;
 * the flag must be 1..3. Commit {..., repeated CommitSig signatures = 4}. */
static void commit_sigs(void **state)
{
	struct px_err err = { 0 };
	struct tm_commit c;
	struct px_buf b = PX_BUF_INIT;

	(void)state;
	/* signatures: {08 01, 1a 00} (ABSENT, epoch timestamp written empty). */
	assert_true(ibc_cmt_commit_decode(&err, &c, BYTES_OF("\x1a\x00\x22\x04\x08\x01\x1a\x00")));
	assert_int_equal(c.len, 1);
	assert_int_equal(c.sigs[0].flag, TM_FLAG_ABSENT);
	assert_true(ibc_cmt_commit_encode(&err, &b, &c));
	assert_buf_eq(&b, BYTES_OF("\x1a\x02\x12\x00\x22\x04\x08\x01\x1a\x00"));
	tm_commit_free(&c);
	assert_false(ibc_cmt_commit_decode(&err, &c, BYTES_OF("\x22\x02\x08\x02")));
	assert_non_null(strstr(err.msg, "CommitSig.validator_address"));
	assert_null(c.sigs);
	px_err_clear(&err);
	assert_false(ibc_cmt_commit_decode(&err, &c, BYTES_OF("\x22\x02\x08\x04")));
	assert_non_null(strstr(err.msg, "unknown enum value"));
	px_err_clear(&err);
	assert_false(ibc_cmt_commit_decode(&err, &c, BYTES_OF("\x22\x00")));
	assert_non_null(strstr(err.msg, "block_id_flag missing"));
	px_err_clear(&err);
	/* round must fit int32. */
	assert_false(ibc_cmt_commit_decode(&err, &c, BYTES_OF("\x10\x80\x80\x80\x80\x08")));
	assert_non_null(strstr(err.msg, "Commit.round: int32 out of range"));
	px_buf_free(&b);
}

/* Header: version, time and last_block_id (with its part_set_header) are
 * written even when zero: 0a 00, 22 00, 2a 02 {12 00}. */
static void empty_header(void **state)
{
	struct tm_header h;
	struct px_buf b = PX_BUF_INIT;
	struct px_err err = { 0 };

	(void)state;
	memset(&h, 0, sizeof(h));
	assert_true(ibc_cmt_header_encode(&err, &b, &h));
	assert_buf_eq(&b, BYTES_OF("\x0a\x00\x22\x00\x2a\x02\x12\x00"));
	assert_true(ibc_cmt_header_decode(&err, &h, b.data, b.len));
	px_buf_free(&b);
}

static void validator_set_caps(void **state)
{
	struct ibc_cmt_validator_set vs;
	struct px_err err = { 0 };
	size_t n = TM_MAX_VALIDATORS + 1;
	uint8_t *buf = malloc(2 * n);

	(void)state;
	assert_non_null(buf);
	for (size_t i = 0; i < n; i++) {
		buf[2 * i] = 0x0a;
		buf[2 * i + 1] = 0;
	}
	assert_false(ibc_cmt_validator_set_decode(&err, &vs, buf, 2 * n));
	assert_non_null(strstr(err.msg, "ValidatorSet.validators: too many entries"));
	assert_null(vs.set.validators);
	/* Within the cap, an empty validator fails (address missing) and
	 * the list allocated for it is released. */
	px_err_clear(&err);
	assert_false(ibc_cmt_validator_set_decode(&err, &vs, buf, 2 * 3));
	assert_non_null(strstr(err.msg, "address missing"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(validator),
		cmocka_unit_test(commit_sigs),
		cmocka_unit_test(empty_header),
		cmocka_unit_test(validator_set_caps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
