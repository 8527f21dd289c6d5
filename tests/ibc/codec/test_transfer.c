/* Tests of ibc/codec/transfer.c: MsgTransfer. */
#include "codec_check.h"

#define BYTES_OF(s) (const uint8_t *)(s), sizeof(s) - 1

static void roundtrips(void **state)
{
	(void)state;
	check_roundtrip(IBC_MSG_TRANSFER);
	check_truncations(IBC_MSG_TRANSFER);
}

/* MsgTransfer (transfer/v1/tx.proto): 0a 08 "transfer", 12 09 "channel-0",
 * token 1a 0b {0a 05 "uatom", 12 02 "10"} (Coin, non-nullable),
 * 22 01 "a", 2a 01 "b", timeout_height 32 00 (non-nullable, zero);
 * timeout_timestamp and memo empty, omitted. */
static void canonical(void **state)
{
	struct ibc_msg d;
	struct px_buf raw = PX_BUF_INIT;

	(void)state;
	expect_canonical(IBC_MSG_TRANSFER,
			 "0a087472616e7366657212096368616e6e656c2d301a0b0a057561746f6d120231302201612a01623200",
			 &d, &raw);
	assert_string_equal(d.u.transfer.source_channel, "channel-0");
	assert_true(px_slice_eq(d.u.transfer.token.denom, ibc_str("uatom")));
	assert_true(px_slice_eq(d.u.transfer.token.amount, ibc_str("10")));
	assert_true(px_slice_eq(d.u.transfer.receiver, ibc_str("b")));
	ibc_msg_free(&d);
	px_buf_free(&raw);
	memset(&d, 0, sizeof(d));
	d.kind = IBC_MSG_TRANSFER;
	expect_encoding(&d, "1a003200");
}

static void failures(void **state)
{
	(void)state;
	expect_malformed(IBC_MSG_TRANSFER, BYTES_OF("\x1a\x02\x12\x05"), "Coin.amount",
			 "length past end of input");
	expect_malformed(IBC_MSG_TRANSFER, BYTES_OF("\x38\x01\x38\x01"),
			 "MsgTransfer.timeout_timestamp", "duplicate field");
	/* memo over ibc-go's 32768-byte cap. */
	expect_malformed(IBC_MSG_TRANSFER, BYTES_OF("\x42\x81\x80\x02"), "MsgTransfer.memo",
			 "length over limit");
	/* Field 9 (v9 tokens / v10 encoding) is skipped, not misread. */
	{
		struct ibc_msg d;
		struct px_err err = { 0 };

		assert_true(ibc_msg_decode(&err, &d, url_of(IBC_MSG_TRANSFER),
					   BYTES_OF("\x4a\x05proto")));
		ibc_msg_free(&d);
	}
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
