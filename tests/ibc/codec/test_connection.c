/* Tests of ibc/codec/connection.c: ConnectionEnd, Counterparty, Version
 * and MsgConnectionOpen*. */
#include "codec_check.h"

#define BYTES_OF(s) (const uint8_t *)(s), sizeof(s) - 1

static void roundtrips(void **state)
{
	(void)state;
	for (int k = IBC_MSG_CONNECTION_OPEN_INIT; k <= IBC_MSG_CONNECTION_OPEN_CONFIRM; k++) {
		check_roundtrip((enum ibc_msg_kind)k);
		check_truncations((enum ibc_msg_kind)k);
	}
}

/* ConnectionEnd (connection.proto): 0a 0f "07-tendermint-0";
 * versions 12 23 {0a 01 "1", 12 0d "ORDER_ORDERED", 12 0f "ORDER_UNORDERED"};
 * state 18 03 (OPEN); counterparty 22 26 {0a 0f "07-tendermint-1",
 * 12 0c "connection-0", 1a 05 {0a 03 "ibc"}}; delay_period 0 omitted. */
#define END_HEX "0a0f30372d74656e6465726d696e742d3012230a0131120d4f524445525f4f524445524544120f" \
		"4f524445525f554e4f524445524544180322260a0f30372d74656e6465726d696e742d31120c63" \
		"6f6e6e656374696f6e2d301a050a03696263"

static void connection_end(void **state)
{
	struct px_buf raw = PX_BUF_INIT, b = PX_BUF_INIT;
	struct px_err err = { 0 };
	struct ibc_connection_end e;

	(void)state;
	assert_true(px_hex_decode(&err, &raw, END_HEX, strlen(END_HEX), false));
	assert_true(ibc_connection_end_decode(&err, &e, raw.data, raw.len));
	assert_string_equal(e.client_id, "07-tendermint-0");
	assert_int_equal(e.versions_len, 1);
	assert_int_equal(e.versions[0].features_len, 2);
	assert_string_equal(e.versions[0].features[1], "ORDER_UNORDERED");
	assert_int_equal(e.state, IBC_CONN_OPEN);
	assert_string_equal(e.counterparty.connection_id, "connection-0");
	assert_true(px_slice_eq(e.counterparty.prefix, ibc_str("ibc")));
	assert_true(ibc_connection_end_encode(&err, &b, &e));
	assert_buf_eq(&b, raw.data, raw.len);
	/* An empty end still carries its counterparty, with its prefix. */
	memset(&e, 0, sizeof(e));
	px_buf_reset(&b);
	assert_true(ibc_connection_end_encode(&err, &b, &e));
	assert_buf_eq(&b, BYTES_OF("\x22\x02\x1a\x00"));
	/* state 4 does not exist for connections. */
	assert_false(ibc_connection_end_decode(&err, &e, BYTES_OF("\x18\x04")));
	assert_non_null(strstr(err.msg, "ConnectionEnd.state: unknown enum value"));
	px_buf_free(&raw);
	px_buf_free(&b);
}

/* MsgConnectionOpenConfirm: 0a 0c "connection-0", 12 01 01 (proof_ack),
 * 1a 02 {10 01} (proof_height 0-1), 22 01 "s". */
static void canonical_confirm(void **state)
{
	struct ibc_msg d;
	struct px_buf raw = PX_BUF_INIT;

	(void)state;
	expect_canonical(IBC_MSG_CONNECTION_OPEN_CONFIRM,
			 "0a0c636f6e6e656374696f6e2d301201011a021001220173", &d, &raw);
	assert_string_equal(d.u.connection_open_confirm.connection_id, "connection-0");
	assert_int_equal(d.u.connection_open_confirm.proof_height.revision_height, 1);
	ibc_msg_free(&d);
	px_buf_free(&raw);
}

static void failures(void **state)
{
	uint8_t many[2 * (IBC_MAX_VERSIONS + 1)];

	(void)state;
	for (size_t i = 0; i < sizeof(many); i += 2) {
		many[i] = 0x32;	/* counterparty_versions = 6 */
		many[i + 1] = 0;
	}
	expect_malformed(IBC_MSG_CONNECTION_OPEN_TRY, many, sizeof(many),
			 "MsgConnectionOpenTry.counterparty_versions", "too many versions");
	expect_malformed(IBC_MSG_CONNECTION_OPEN_INIT, BYTES_OF("\x1a\x02\x08\x01"),
			 "Version.identifier", "unexpected wire type");
	expect_malformed(IBC_MSG_CONNECTION_OPEN_ACK, BYTES_OF("\x2a\x00\x2a\x00"),
			 "MsgConnectionOpenAck.proof_height", "duplicate field");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roundtrips),
		cmocka_unit_test(connection_end),
		cmocka_unit_test(canonical_confirm),
		cmocka_unit_test(failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
