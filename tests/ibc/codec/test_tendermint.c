/* Tests of ibc/codec/tendermint.c: 07-tendermint ClientState,
 * ConsensusState, Header and Misbehaviour. */
#include "codec_check.h"

#define BYTES_OF(s) (const uint8_t *)(s), sizeof(s) - 1

static void roundtrips(void **state)
{
	(void)state;
	check_roundtrip(IBC_MSG_TM_CLIENT_STATE);
	check_roundtrip(IBC_MSG_TM_CONSENSUS_STATE);
	check_roundtrip(IBC_MSG_TM_HEADER);
	check_roundtrip(IBC_MSG_TM_MISBEHAVIOUR);
}

static void truncations(void **state)
{
	(void)state;
	check_truncations(IBC_MSG_TM_CLIENT_STATE);
	check_truncations(IBC_MSG_TM_CONSENSUS_STATE);
	check_truncations(IBC_MSG_TM_HEADER);
	check_truncations(IBC_MSG_TM_MISBEHAVIOUR);
}

/* ClientState (tendermint.proto): 0a 01 "c"; trust_level 12 04 {08 01 10 03};
 * trusting_period 1a 02 {08 64} (100 s); unbonding_period 22 03 {08 c8 01};
 * max_clock_drift 2a 02 {08 0a}; frozen_height 32 00 (non-nullable, zero);
 * latest_height 3a 04 {08 01 10 05}; proof_specs 42 19 <iavl> 42 19 <tm>;
 * upgrade_path 4a 07 "upgrade" 4a 10 "upgradedIBCState". */
#define CS_HEX "0a01631204080110031a020864220308c8012a02080a32003a040801100542190a0908011801" \
	       "20012a0100120c0a02000110211804200c300142190a090801180120012a0100120c0a0200" \
	       "011020180120013001" "4a0775706772616465" "4a1075706772616465644942435374617465"

/* ConsensusState: timestamp 0a 02 {08 01}; root 12 22 {0a 20 <00..1f>};
 * next_validators_hash 1a 20 <20..3f>. */
#define CONS_HEX "0a02080112220a20000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d" \
		 "1e1f1a20202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"

static void canonical(void **state)
{
	struct ibc_msg d;
	struct px_buf raw = PX_BUF_INIT;
	const struct ibc_tm_client_state *cs;

	(void)state;
	expect_canonical(IBC_MSG_TM_CLIENT_STATE, CS_HEX, &d, &raw);
	cs = &d.u.tm_client_state;
	assert_string_equal(cs->chain_id, "c");
	assert_int_equal(cs->trust_level.denominator, 3);
	assert_true(cs->trusting_period == UINT64_C(100000000000));
	assert_true(cs->unbonding_period == UINT64_C(200000000000));
	assert_int_equal(cs->latest_height.revision_height, 5);
	assert_int_equal(cs->upgrade_path_len, 2);
	assert_string_equal(cs->upgrade_path[1], "upgradedIBCState");
	ibc_msg_free(&d);
	px_buf_free(&raw);

	expect_canonical(IBC_MSG_TM_CONSENSUS_STATE, CONS_HEX, &d, &raw);
	assert_int_equal(d.u.tm_consensus_state.timestamp.seconds, 1);
	assert_int_equal(d.u.tm_consensus_state.root_len, 32);
	assert_int_equal(d.u.tm_consensus_state.next_validators_hash[0], 0x20);
	ibc_msg_free(&d);
	px_buf_free(&raw);

	/* A Header with only its non-nullable trusted_height: 1a 00. */
	memset(&d, 0, sizeof(d));
	d.kind = IBC_MSG_TM_HEADER;
	expect_encoding(&d, "1a00");
}

static void failures(void **state)
{
	(void)state;
	expect_malformed(IBC_MSG_TM_CONSENSUS_STATE, BYTES_OF("\x1a\x01\x00"),
			 "ConsensusState.next_validators_hash", "not 32 bytes");
	expect_malformed(IBC_MSG_TM_CONSENSUS_STATE, BYTES_OF("\x0a\x00"),
			 "ConsensusState.next_validators_hash", "missing");
	expect_malformed(IBC_MSG_TM_CLIENT_STATE, BYTES_OF("\x50\x02"),
			 "ClientState.allow_update_after_expiry", "bool not 0 or 1");
	expect_malformed(IBC_MSG_TM_CLIENT_STATE,
			 BYTES_OF("\x4a\x00\x4a\x00\x4a\x00\x4a\x00\x4a\x00"),
			 "ClientState.upgrade_path", "too many upgrade path keys");
	expect_malformed(IBC_MSG_TM_HEADER, BYTES_OF("\x0a\x00\x0a\x00"),
			 "tendermint.v1.Header.signed_header", "duplicate field");
	expect_malformed(IBC_MSG_TM_HEADER, BYTES_OF("\x0a\x04\x0a\x02\x10\x01"),
			 "Header.chain_id", "unexpected wire type");
	expect_malformed(IBC_MSG_TM_MISBEHAVIOUR, BYTES_OF("\x12\x02\x12\x01"),
			 "Header.validator_set", "length past end of input");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roundtrips),
		cmocka_unit_test(truncations),
		cmocka_unit_test(canonical),
		cmocka_unit_test(failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
