/* Tests of ibc/codec/client.c: MsgCreateClient, MsgUpdateClient,
 * MsgSubmitMisbehaviour. */
#include "codec_check.h"

#define BYTES_OF(s) (const uint8_t *)(s), sizeof(s) - 1

static void roundtrips(void **state)
{
	(void)state;
	check_roundtrip(IBC_MSG_CREATE_CLIENT);
	check_roundtrip(IBC_MSG_UPDATE_CLIENT);
	check_roundtrip(IBC_MSG_SUBMIT_MISBEHAVIOUR);
	check_truncations(IBC_MSG_CREATE_CLIENT);
	check_truncations(IBC_MSG_UPDATE_CLIENT);
	check_truncations(IBC_MSG_SUBMIT_MISBEHAVIOUR);
}

/* MsgUpdateClient {client_id = 1; Any client_message = 2; signer = 3}:
 * 0a 0f "07-tendermint-0", 12 08 {0a 02 "/h", 12 02 0102}, 1a 01 "s".
 * A nullable Any that is present but empty stays present: 12 00. */
static void canonical(void **state)
{
	struct ibc_msg d;
	struct px_buf raw = PX_BUF_INIT;

	(void)state;
	expect_canonical(IBC_MSG_UPDATE_CLIENT,
			 "0a0f30372d74656e6465726d696e742d301208" "0a022f68" "12020102" "1a0173",
			 &d, &raw);
	assert_string_equal(d.u.update_client.client_id, "07-tendermint-0");
	assert_true(d.u.update_client.has_client_message);
	assert_true(px_slice_eq(d.u.update_client.client_message.type_url, ibc_str("/h")));
	ibc_msg_free(&d);
	px_buf_free(&raw);
	expect_canonical(IBC_MSG_CREATE_CLIENT, "0a001200", &d, &raw);
	assert_true(d.u.create_client.has_client_state);
	assert_true(d.u.create_client.has_consensus_state);
	ibc_msg_free(&d);
	px_buf_free(&raw);
	/* Absent: nothing written at all. */
	memset(&d, 0, sizeof(d));
	d.kind = IBC_MSG_CREATE_CLIENT;
	expect_encoding(&d, "");
}

static void failures(void **state)
{
	(void)state;
	expect_malformed(IBC_MSG_CREATE_CLIENT, BYTES_OF("\x0a\x00\x0a\x00"),
			 "MsgCreateClient.client_state", "duplicate field");
	expect_malformed(IBC_MSG_UPDATE_CLIENT, BYTES_OF("\x12\x02\x0a\x05"), "Any.type_url",
			 "length past end of input");
	expect_malformed(IBC_MSG_SUBMIT_MISBEHAVIOUR, BYTES_OF("\x18\x01"),
			 "MsgSubmitMisbehaviour.signer", "unexpected wire type");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roundtrips),
		cmocka_unit_test(canonical),
		cmocka_unit_test(failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
