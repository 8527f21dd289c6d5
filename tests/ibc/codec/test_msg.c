/* Tests of ibc/codec/msg.c: type URLs and the Any dispatcher. */
#include "codec_check.h"

#define BYTES_OF(s) (const uint8_t *)(s), sizeof(s) - 1

static void type_urls(void **state)
{
	(void)state;
	assert_string_equal(ibc_msg_type_url(IBC_MSG_CREATE_CLIENT),
			    "/ibc.core.client.v1.MsgCreateClient");
	assert_string_equal(ibc_msg_type_url(IBC_MSG_TM_CLIENT_STATE),
			    "/ibc.lightclients.tendermint.v1.ClientState");
	assert_string_equal(ibc_msg_type_url(IBC_MSG_TRANSFER),
			    "/ibc.applications.transfer.v1.MsgTransfer");
	assert_null(ibc_msg_type_url(IBC_MSG_UNKNOWN));
	assert_null(ibc_msg_type_url(IBC_MSG_KIND_COUNT));
	for (int k = 1; k < IBC_MSG_KIND_COUNT; k++)
		assert_int_equal(ibc_msg_kind_of(ibc_str(ibc_msg_type_url((enum ibc_msg_kind)k))), k);
	assert_int_equal(ibc_msg_kind_of(ibc_str("/ibc.core.channel.v1.MsgRecvPacke")),
			 IBC_MSG_UNKNOWN);
	assert_int_equal(ibc_msg_kind_of(ibc_str("/cosmos.bank.v1beta1.MsgSend")), IBC_MSG_UNKNOWN);
}

static void every_kind_through_any(void **state)
{
	(void)state;
	for (int k = 1; k < IBC_MSG_KIND_COUNT; k++)
		check_roundtrip((enum ibc_msg_kind)k);
}

static void unknown_and_bad(void **state)
{
	struct ibc_msg d;
	struct px_err err = { 0 };
	struct px_buf b = PX_BUF_INIT;
	/* Any {type_url "/x.Y", value 0a 01 61}. */
	static const uint8_t any[] = { 0x0a, 0x04, '/', 'x', '.', 'Y', 0x12, 0x03, 0x0a, 0x01, 'a' };

	(void)state;
	assert_true(ibc_msg_decode_any(&err, &d, any, sizeof(any)));
	assert_int_equal(d.kind, IBC_MSG_UNKNOWN);
	assert_true(px_slice_eq(d.any.type_url, ibc_str("/x.Y")));
	assert_true(ibc_msg_encode_any(&err, &b, &d));
	assert_buf_eq(&b, any, sizeof(any));
	ibc_msg_free(&d);
	/* A known URL whose value is broken. */
	assert_false(ibc_msg_decode(&err, &d, ibc_str(IBC_URL_MSG_RECV_PACKET), BYTES_OF("\x0a")));
	assert_int_equal(err.code, PX_E_MALFORMED);
	assert_non_null(strstr(err.msg, "MsgRecvPacket"));
	assert_int_equal(d.kind, IBC_MSG_UNKNOWN);
	px_err_clear(&err);
	/* An Any that is not one. */
	assert_false(ibc_msg_decode_any(&err, &d, BYTES_OF("\x0a\x05/x")));
	assert_non_null(strstr(err.msg, "Any"));
	/* A header Any frees its lists (checked by the sanitizers). */
	{
		struct ibc_msg m;

		sample_fill(&m, IBC_MSG_TM_MISBEHAVIOUR, 0);
		px_buf_reset(&b);
		assert_true(ibc_msg_encode_any(&err, &b, &m));
		ibc_msg_free(&m);
		assert_true(ibc_msg_decode_any(&err, &d, b.data, b.len));
		assert_int_equal(d.kind, IBC_MSG_TM_MISBEHAVIOUR);
		assert_int_equal(d.u.tm_misbehaviour.header_2.signed_header.sh.commit.len, 3);
		ibc_msg_free(&d);
	}
	px_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(type_urls),
		cmocka_unit_test(every_kind_through_any),
		cmocka_unit_test(unknown_and_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
