/* Tests of ibc/codec/channel.c: Channel, Counterparty, MsgChannelOpen*. */
#include "codec_check.h"

#define BYTES_OF(s) (const uint8_t *)(s), sizeof(s) - 1

static void roundtrips(void **state)
{
	(void)state;
	for (int k = IBC_MSG_CHANNEL_OPEN_INIT; k <= IBC_MSG_CHANNEL_OPEN_CONFIRM; k++) {
		check_roundtrip((enum ibc_msg_kind)k);
		check_truncations((enum ibc_msg_kind)k);
	}
}

/* Channel (channel.proto): 08 03 (OPEN), 10 01 (UNORDERED),
 * 1a 15 {0a 08 "transfer", 12 09 "channel-0"}, 22 0c "connection-0",
 * 2a 07 "ics20-1"; upgrade_sequence 0 omitted. */
#define CHAN_HEX "080310011a150a087472616e7366657212096368616e6e656c2d30220c636f6e6e656374696f6e" \
		 "2d302a0769637332302d31"

static void channel(void **state)
{
	struct px_buf raw = PX_BUF_INIT, b = PX_BUF_INIT;
	struct px_err err = { 0 };
	struct ibc_channel ch;

	(void)state;
	assert_true(px_hex_decode(&err, &raw, CHAN_HEX, strlen(CHAN_HEX), false));
	assert_true(ibc_channel_decode(&err, &ch, raw.data, raw.len));
	assert_int_equal(ch.state, IBC_CHAN_OPEN);
	assert_int_equal(ch.ordering, IBC_ORDER_UNORDERED);
	assert_string_equal(ch.counterparty.channel_id, "channel-0");
	assert_int_equal(ch.connection_hops_len, 1);
	assert_string_equal(ch.version, "ics20-1");
	assert_true(ibc_channel_encode(&err, &b, &ch));
	assert_buf_eq(&b, raw.data, raw.len);
	/* ibc-go v8's upgrade_sequence (field 6) when set. */
	ch.upgrade_sequence = 2;
	px_buf_reset(&b);
	assert_true(ibc_channel_encode(&err, &b, &ch));
	assert_int_equal(b.len, raw.len + 2);
	assert_memory_equal(b.data + raw.len, "\x30\x02", 2);
	/* Empty channel: its counterparty only. */
	memset(&ch, 0, sizeof(ch));
	px_buf_reset(&b);
	assert_true(ibc_channel_encode(&err, &b, &ch));
	assert_buf_eq(&b, BYTES_OF("\x1a\x00"));
	px_buf_free(&raw);
	px_buf_free(&b);
}

static void failures(void **state)
{
	uint8_t longv[3 + 129] = { 0x2a, 0x81, 0x01 };
	struct ibc_channel ch;
	struct px_err err = { 0 };

	(void)state;
	expect_malformed(IBC_MSG_CHANNEL_OPEN_INIT, BYTES_OF("\x12\x02\x08\x07"), "Channel.state",
			 "unknown enum value");
	expect_malformed(IBC_MSG_CHANNEL_OPEN_INIT, BYTES_OF("\x12\x02\x10\x03"),
			 "Channel.ordering", "unknown enum value");
	/* One connection hop only (ibc-go supports single-hop channels). */
	expect_malformed(IBC_MSG_CHANNEL_OPEN_TRY, BYTES_OF("\x1a\x06\x22\x01" "a" "\x22\x01" "b"),
			 "Channel.connection_hops", "too many connection hops");
	expect_malformed(IBC_MSG_CHANNEL_OPEN_ACK, BYTES_OF("\x3a\x01"), "MsgChannelOpenAck.signer",
			 "length past end of input");
	/* A version longer than IBC_ID_MAX is refused. */
	memset(longv + 3, 'v', 129);
	assert_false(ibc_channel_decode(&err, &ch, longv, sizeof(longv)));
	assert_non_null(strstr(err.msg, "Channel.version: length over limit"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roundtrips),
		cmocka_unit_test(channel),
		cmocka_unit_test(failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
