/* Unit tests for ibc/core/paths.c: every store key as ibc-go writes it,
 * identifier rules per kind (lengths at and past both bounds, every
 * allowed symbol, '/', blanks, bytes outside the set), the numeric suffix
 * of client, connection and channel identifiers (overflow, empty, signs,
 * wrong prefix), and that a failed key builder leaves nothing behind. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ibc/core/paths.h"

static void assert_code(const struct px_err *err, int code)
{
	if (err->code != code)
		fail_msg("code %d (%s), want %d", err->code, err->msg, code);
}

static char *repeat(char *buf, char c, size_t n)
{
	memset(buf, c, n);
	buf[n] = '\0';
	return buf;
}

static void test_keys(void **state)
{
	struct px_err err = { 0 };
	struct ibc_path p;
	struct ibc_height h = { 1, 100 };

	(void)state;
	assert_true(ibc_path_client_state(&err, &p, "07-tendermint-0"));
	assert_string_equal(p.s, "clients/07-tendermint-0/clientState");
	assert_int_equal(p.len, strlen(p.s));
	assert_true(ibc_path_consensus_state(&err, &p, "07-tendermint-0", h));
	assert_string_equal(p.s, "clients/07-tendermint-0/consensusStates/1-100");
	assert_true(ibc_path_client_connections(&err, &p, "07-tendermint-12"));
	assert_string_equal(p.s, "clients/07-tendermint-12/connections");
	assert_true(ibc_path_connection(&err, &p, "connection-0"));
	assert_string_equal(p.s, "connections/connection-0");
	assert_true(ibc_path_channel(&err, &p, "transfer", "channel-0"));
	assert_string_equal(p.s, "channelEnds/ports/transfer/channels/channel-0");
	assert_true(ibc_path_next_sequence_send(&err, &p, "transfer", "channel-0"));
	assert_string_equal(p.s, "nextSequenceSend/ports/transfer/channels/channel-0");
	assert_true(ibc_path_next_sequence_recv(&err, &p, "transfer", "channel-0"));
	assert_string_equal(p.s, "nextSequenceRecv/ports/transfer/channels/channel-0");
	assert_true(ibc_path_next_sequence_ack(&err, &p, "transfer", "channel-0"));
	assert_string_equal(p.s, "nextSequenceAck/ports/transfer/channels/channel-0");
	assert_true(ibc_path_packet_commitment(&err, &p, "transfer", "channel-0", 1));
	assert_string_equal(p.s, "commitments/ports/transfer/channels/channel-0/sequences/1");
	assert_true(ibc_path_packet_receipt(&err, &p, "transfer", "channel-48", 144));
	assert_string_equal(p.s, "receipts/ports/transfer/channels/channel-48/sequences/144");
	assert_true(ibc_path_packet_ack(&err, &p, "transfer", "channel-0", UINT64_MAX));
	assert_string_equal(p.s,
			    "acks/ports/transfer/channels/channel-0/sequences/18446744073709551615");
	h.revision_number = UINT64_MAX;
	h.revision_height = UINT64_MAX;
	assert_true(ibc_path_consensus_state(&err, &p, "07-tendermint-0", h));
	assert_string_equal(p.s, "clients/07-tendermint-0/consensusStates/"
			    "18446744073709551615-18446744073709551615");
	assert_int_equal(err.code, 0);
}

static void test_longest_key_fits(void **state)
{
	struct px_err err = { 0 };
	struct ibc_path p;
	char port[129], chan[65];

	(void)state;
	repeat(port, 'p', 128);
	repeat(chan, 'c', 64);
	assert_true(ibc_path_packet_commitment(&err, &p, port, chan, UINT64_MAX));
	assert_int_equal(p.len, 251);
	assert_int_equal(strlen(p.s), 251);
}

static void test_key_failures(void **state)
{
	struct px_err err = { 0 };
	struct ibc_path p;
	struct ibc_height h = { 0, 1 };

	(void)state;
	assert_false(ibc_path_packet_commitment(&err, &p, "transfer", "channel-0", 0));
	assert_code(&err, PX_E_MALFORMED);
	assert_int_equal(p.len, 0);
	assert_string_equal(p.s, "");
	px_err_clear(&err);
	assert_false(ibc_path_packet_receipt(&err, &p, "transfer", "chan/0xx", 1));
	assert_code(&err, PX_E_MALFORMED);
	px_err_clear(&err);
	assert_false(ibc_path_packet_ack(&err, &p, "t", "channel-0", 1));	/* port too short */
	assert_code(&err, PX_E_MALFORMED);
	px_err_clear(&err);
	assert_false(ibc_path_channel(&err, &p, "transfer", NULL));
	assert_code(&err, PX_E_MALFORMED);
	px_err_clear(&err);
	assert_false(ibc_path_client_state(&err, &p, "07-tm-0"));		/* 7 < 9 */
	assert_code(&err, PX_E_MALFORMED);
	px_err_clear(&err);
	assert_false(ibc_path_consensus_state(&err, &p, "", h));
	assert_code(&err, PX_E_MALFORMED);
	px_err_clear(&err);
	assert_false(ibc_path_connection(&err, &p, "conn-0"));		/* 6 < 10 */
	assert_code(&err, PX_E_MALFORMED);
	px_err_clear(&err);
	/* First error wins. */
	assert_false(ibc_path_connection(&err, &p, "connection 0"));
	assert_false(ibc_path_connection(&err, &p, "x"));
	assert_non_null(strstr(err.msg, "0x20"));
}

static void test_id_lengths(void **state)
{
	static const struct {
		enum ibc_id_kind kind;
		size_t min, max;
	} k[] = {
		{ IBC_ID_CLIENT, 9, 64 },
		{ IBC_ID_CONNECTION, 10, 64 },
		{ IBC_ID_CHANNEL, 8, 64 },
		{ IBC_ID_PORT, 2, 128 },
	};
	char buf[200];

	(void)state;
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		struct px_err err = { 0 };

		assert_true(ibc_id_check(&err, k[i].kind, repeat(buf, 'a', k[i].min)));
		assert_true(ibc_id_check(&err, k[i].kind, repeat(buf, 'a', k[i].max)));
		assert_false(ibc_id_check(&err, k[i].kind, repeat(buf, 'a', k[i].min - 1)));
		assert_code(&err, PX_E_MALFORMED);
		px_err_clear(&err);
		assert_false(ibc_id_check(&err, k[i].kind, repeat(buf, 'a', k[i].max + 1)));
		assert_code(&err, PX_E_MALFORMED);
		px_err_clear(&err);
		assert_false(ibc_id_check(&err, k[i].kind, repeat(buf, ' ', k[i].min)));
		assert_non_null(strstr(err.msg, "blank"));
		px_err_clear(&err);
		assert_false(ibc_id_validate(&err, k[i].kind, "", 0));
		assert_code(&err, PX_E_MALFORMED);
	}
}

static void test_id_characters(void **state)
{
	struct px_err err = { 0 };
	char id[16];

	(void)state;
	assert_true(ibc_id_check(&err, IBC_ID_PORT, "a.b_c+d-e#f[g]h<i>j"));
	assert_true(ibc_id_check(&err, IBC_ID_PORT, "AZaz09"));
	for (int c = 1; c < 256; c++) {
		bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			       (c >= '0' && c <= '9') || (c && strchr("._+-#[]<>", c));

		memcpy(id, "channel-0", 10);
		id[3] = (char)c;
		px_err_clear(&err);
		assert_int_equal(ibc_id_validate(&err, IBC_ID_CHANNEL, id, 9), allowed);
		if (!allowed)
			assert_code(&err, PX_E_MALFORMED);
	}
	px_err_clear(&err);
	assert_false(ibc_id_check(&err, IBC_ID_PORT, "transfer/x"));
	assert_non_null(strstr(err.msg, "'/'"));
	px_err_clear(&err);
	/* An embedded NUL. */
	assert_false(ibc_id_validate(&err, IBC_ID_CHANNEL, "channel\0-0", 10));
	assert_code(&err, PX_E_MALFORMED);
	px_err_clear(&err);
	assert_false(ibc_id_validate(&err, 99, "channel-0", 9));
	assert_code(&err, PX_E_INTERNAL);
}

static void test_parse_suffix(void **state)
{
	struct px_err err = { 0 };
	char type[IBC_ID_MAX + 1];
	uint64_t seq = 99;

	(void)state;
	assert_true(ibc_channel_id_parse(&err, &seq, "channel-0", 9));
	assert_int_equal(seq, 0);
	assert_true(ibc_channel_id_parse(&err, &seq, "channel-18446744073709551615", 28));
	assert_true(seq == UINT64_MAX);
	assert_true(ibc_channel_id_parse(&err, &seq, "channel-007", 11));	/* ParseUint */
	assert_int_equal(seq, 7);
	assert_true(ibc_connection_id_parse(&err, &seq, "connection-42", 13));
	assert_int_equal(seq, 42);
	assert_true(ibc_client_id_parse(&err, type, &seq, "07-tendermint-0", 15));
	assert_string_equal(type, "07-tendermint");
	assert_int_equal(seq, 0);
	assert_true(ibc_client_id_parse(&err, NULL, &seq, "08-wasm-1234", 12));
	assert_int_equal(seq, 1234);
	assert_int_equal(err.code, 0);

	assert_false(ibc_channel_id_parse(&err, &seq, "channel-18446744073709551616", 28));
	assert_code(&err, PX_E_MALFORMED);
	px_err_clear(&err);
	assert_false(ibc_channel_id_parse(&err, &seq, "channel-", 8));
	assert_code(&err, PX_E_MALFORMED);
	px_err_clear(&err);
	assert_false(ibc_channel_id_parse(&err, &seq, "channel-+1", 10));
	px_err_clear(&err);
	assert_false(ibc_channel_id_parse(&err, &seq, "channel-1a", 10));
	px_err_clear(&err);
	assert_false(ibc_channel_id_parse(&err, &seq, "Channel-1", 9));
	px_err_clear(&err);
	assert_false(ibc_channel_id_parse(&err, &seq, "connection-1", 12));
	px_err_clear(&err);
	assert_false(ibc_connection_id_parse(&err, &seq, "channel-11", 10));
	px_err_clear(&err);
	assert_false(ibc_client_id_parse(&err, type, &seq, "07-tendermint-", 14));
	assert_code(&err, PX_E_MALFORMED);
	px_err_clear(&err);
	assert_false(ibc_client_id_parse(&err, type, &seq, "07-tendermint", 13));
	px_err_clear(&err);
	assert_false(ibc_client_id_parse(&err, type, &seq, "tendermint--1", 13));
	px_err_clear(&err);
	assert_false(ibc_client_id_parse(&err, type, &seq, "-tendermint-1", 13));
	px_err_clear(&err);
	assert_false(ibc_client_id_parse(&err, type, &seq, "07.tender-1", 11));
	px_err_clear(&err);
	assert_false(ibc_client_id_parse(&err, type, &seq, "tendermint-123456789012345678901", 32));
	assert_code(&err, PX_E_MALFORMED);
}

static void test_formats(void **state)
{
	(void)state;
	assert_true(ibc_is_channel_id_format("channel-1", 9));
	assert_false(ibc_is_channel_id_format("channel-", 8));
	assert_false(ibc_is_channel_id_format("channel-99999999999999999999", 28));
	assert_false(ibc_is_channel_id_format(NULL, 0));
	assert_true(ibc_is_client_id_format("a-0", 3));
	assert_true(ibc_is_client_id_format("07-tendermint-0", 15));
	assert_true(ibc_is_client_id_format("a_b-c-1", 7));
	assert_false(ibc_is_client_id_format("-0", 2));
	assert_false(ibc_is_client_id_format("a--0", 4));
	assert_false(ibc_is_client_id_format("a-", 2));
	assert_false(ibc_is_client_id_format("a b-0", 5));
	assert_false(ibc_is_client_id_format("uatom", 5));
}

static void test_merkle_path(void **state)
{
	struct px_err err = { 0 };
	struct ibc_merkle_path mp;
	struct ibc_path p;
	char big[IBC_ID_MAX + 2];

	(void)state;
	assert_true(ibc_path_connection(&err, &p, "connection-0"));
	assert_true(ibc_merkle_path_make(&err, &mp, IBC_STORE_PREFIX, &p));
	assert_string_equal(mp.prefix, "ibc");
	assert_string_equal(mp.key.s, "connections/connection-0");
	assert_false(ibc_merkle_path_make(&err, &mp, "", &p));
	assert_code(&err, PX_E_MALFORMED);
	px_err_clear(&err);
	assert_false(ibc_merkle_path_make(&err, &mp, repeat(big, 'x', IBC_ID_MAX + 1), &p));
	assert_code(&err, PX_E_MALFORMED);
	px_err_clear(&err);
	memset(&p, 0, sizeof(p));
	assert_false(ibc_merkle_path_make(&err, &mp, "ibc", &p));
	assert_code(&err, PX_E_MALFORMED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_longest_key_fits),
		cmocka_unit_test(test_key_failures),
		cmocka_unit_test(test_id_lengths),
		cmocka_unit_test(test_id_characters),
		cmocka_unit_test(test_parse_suffix),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_merkle_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
