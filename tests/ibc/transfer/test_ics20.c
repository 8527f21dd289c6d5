/* Unit tests for ibc/transfer/ics20.c: packet data in both of ibc-go's
 * byte forms (sorted keys, struct field order), Go's HTML-safe escaping,
 * strict decoding with one failure per rule (shape, unknown and duplicate
 * keys, types, missing and blank fields, amounts: zero, signs, leading
 * zeros, fractions, 2^256, caps), 256-bit amounts, denomination traces and
 * ibc/HASH denoms, the send and receive prefix rules, acknowledgements. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ibc/transfer/ics20.h"

#define U256_MAX "115792089237316195423570985008687907853269984665640564039457584007913129639935"
#define U256_MAX_PLUS_1 \
	"115792089237316195423570985008687907853269984665640564039457584007913129639936"

static void assert_code(const struct px_err *err, int code)
{
	if (err->code != code)
		fail_msg("code %d (%s), want %d", err->code, err->msg, code);
}

static char *encode(const struct ibc_ics20_data *d, enum ibc_ics20_json form)
{
	struct px_buf b = PX_BUF_INIT;
	struct px_err err = { 0 };
	char *s;

	if (!ibc_ics20_encode(&err, &b, d, form))
		fail_msg("encode: %s", err.msg);
	px_buf_push(&b, '\0');
	assert_true(px_buf_ok(&b));
	s = (char *)b.data;
	return s;
}

static void test_encode_forms(void **state)
{
	struct ibc_ics20_data d = { "uatom", "1000000", "sender", "receiver", "memo", NULL };
	char *s;

	(void)state;
	s = encode(&d, IBC_ICS20_JSON_FIELDS);
	assert_string_equal(s, "{\"denom\":\"uatom\",\"amount\":\"1000000\",\"sender\":\"sender\","
			       "\"receiver\":\"receiver\",\"memo\":\"memo\"}");
	free(s);
	s = encode(&d, IBC_ICS20_JSON_SORTED);
	assert_string_equal(s, "{\"amount\":\"1000000\",\"denom\":\"uatom\",\"memo\":\"memo\","
			       "\"receiver\":\"receiver\",\"sender\":\"sender\"}");
	free(s);
	/* An empty memo is left out, NULL too. */
	d.memo = "";
	s = encode(&d, IBC_ICS20_JSON_SORTED);
	assert_string_equal(s, "{\"amount\":\"1000000\",\"denom\":\"uatom\","
			       "\"receiver\":\"receiver\",\"sender\":\"sender\"}");
	free(s);
	d.memo = NULL;
	s = encode(&d, IBC_ICS20_JSON_FIELDS);
	assert_string_equal(s, "{\"denom\":\"uatom\",\"amount\":\"1000000\",\"sender\":\"sender\","
			       "\"receiver\":\"receiver\"}");
	free(s);
}

static void test_escaping(void **state)
{
	struct ibc_ics20_data d = { "uatom", "1", "a", "b", NULL, NULL };
	struct px_buf b = PX_BUF_INIT;
	struct px_err err = { 0 };
	char *s;

	(void)state;
	d.memo = "<a href=\"x\">&</a>\\\n\r\t\b\f\x01\x1f\x7f/\xc3\xa9\xe2\x80\xa8\xe2\x80\xa9"
		 "\xf0\x9f\x98\x80";
	s = encode(&d, IBC_ICS20_JSON_FIELDS);
	assert_string_equal(s, "{\"denom\":\"uatom\",\"amount\":\"1\",\"sender\":\"a\",\"receiver\":"
			       "\"b\",\"memo\":\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a"
			       "\\u003e\\\\\\n\\r\\t\\b\\f\\u0001\\u001f\x7f/\xc3\xa9\\u2028"
			       "\\u2029\xf0\x9f\x98\x80\"}");
	free(s);

	/* Invalid UTF-8: a lone continuation byte, an overlong '/', a
	 * surrogate, past U+10FFFF, a truncated sequence. */
	{
		static const char *bad[] = { "\x80", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
					     "\xe2\x80" };

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			px_err_clear(&err);
			d.memo = bad[i];
			assert_false(ibc_ics20_encode(&err, &b, &d, IBC_ICS20_JSON_FIELDS));
			assert_code(&err, PX_E_ENCODING);
			assert_int_equal(b.len, 0);
		}
	}
	px_buf_free(&b);
}

static void test_encode_rejects(void **state)
{
	struct ibc_ics20_data good = { "transfer/channel-0/uatom", "5", "a", "b", NULL, NULL };
	struct ibc_ics20_data d;
	struct px_buf b = PX_BUF_INIT;
	struct px_err err = { 0 };

	(void)state;
	d = good;
	d.amount = "0";
	assert_false(ibc_ics20_encode(&err, &b, &d, IBC_ICS20_JSON_SORTED));
	assert_code(&err, PX_E_NUMBER);
	px_err_clear(&err);
	d = good;
	d.sender = " ";
	assert_false(ibc_ics20_encode(&err, &b, &d, IBC_ICS20_JSON_SORTED));
	assert_code(&err, PX_E_JSON);
	px_err_clear(&err);
	d = good;
	d.receiver = NULL;
	assert_false(ibc_ics20_encode(&err, &b, &d, IBC_ICS20_JSON_SORTED));
	assert_code(&err, PX_E_JSON);
	px_err_clear(&err);
	d = good;
	d.denom = "transfer/channel-0/";
	assert_false(ibc_ics20_encode(&err, &b, &d, IBC_ICS20_JSON_SORTED));
	assert_code(&err, PX_E_MALFORMED);
	px_err_clear(&err);
	d = good;
	assert_false(ibc_ics20_encode(&err, &b, &d, (enum ibc_ics20_json)7));
	assert_code(&err, PX_E_INTERNAL);
	assert_int_equal(b.len, 0);
	px_buf_free(&b);
}

static int decode_code(const char *json)
{
	struct ibc_ics20_data d;
	struct px_err err = { 0 };

	if (ibc_ics20_decode(&err, &d, (const uint8_t *)json, strlen(json))) {
		ibc_ics20_data_free(&d);
		return 0;
	}
	assert_null(d.owned);
	assert_null(d.denom);
	return err.code;
}

static void test_decode(void **state)
{
	static const char *forms[] = {
		"{\"denom\":\"transfer/channel-0/utia\",\"amount\":\"1000000\",\"sender\":\"s\","
		"\"receiver\":\"r\",\"memo\":\"{\\\"a\\\":\\\"\\u003c\\\"}\"}",
		"{\"amount\":\"1000000\",\"denom\":\"transfer/channel-0/utia\",\"memo\":"
		"\"{\\\"a\\\":\\\"<\\\"}\",\"receiver\":\"r\",\"sender\":\"s\"}",
		" {\"sender\":\"s\" , \"receiver\":\"r\",\"amount\":\"1000000\",\"memo\":"
		"\"{\\\"a\\\":\\\"<\\\"}\",\"denom\":\"transfer/channel-0/utia\"}\n",
	};
	struct px_err err = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct ibc_ics20_data d;
		char *fields, *sorted;

		assert_true(ibc_ics20_decode(&err, &d, (const uint8_t *)forms[i], strlen(forms[i])));
		assert_string_equal(d.denom, "transfer/channel-0/utia");
		assert_string_equal(d.amount, "1000000");
		assert_string_equal(d.sender, "s");
		assert_string_equal(d.receiver, "r");
		assert_string_equal(d.memo, "{\"a\":\"<\"}");
		fields = encode(&d, IBC_ICS20_JSON_FIELDS);
		sorted = encode(&d, IBC_ICS20_JSON_SORTED);
		if (i == 0)
			assert_string_equal(fields, forms[0]);
		assert_string_equal(fields, "{\"denom\":\"transfer/channel-0/utia\",\"amount\":"
					    "\"1000000\",\"sender\":\"s\",\"receiver\":\"r\","
					    "\"memo\":\"{\\\"a\\\":\\\"\\u003c\\\"}\"}");
		assert_string_equal(sorted, "{\"amount\":\"1000000\",\"denom\":\"transfer/channel-0/"
					    "utia\",\"memo\":\"{\\\"a\\\":\\\"\\u003c\\\"}\","
					    "\"receiver\":\"r\",\"sender\":\"s\"}");
		free(fields);
		free(sorted);
		ibc_ics20_data_free(&d);
	}
	/* Memo absent or empty. */
	assert_int_equal(decode_code("{\"denom\":\"u\",\"amount\":\"1\",\"sender\":\"s\","
				     "\"receiver\":\"r\"}"), 0);
	assert_int_equal(decode_code("{\"denom\":\"u\",\"amount\":\"1\",\"sender\":\"s\","
				     "\"receiver\":\"r\",\"memo\":\"\"}"), 0);
	assert_int_equal(decode_code("{\"denom\":\"u\",\"amount\":\"" U256_MAX "\",\"sender\":\"s\","
				     "\"receiver\":\"r\"}"), 0);
}

#define BASE_OK "\"denom\":\"u\",\"sender\":\"s\",\"receiver\":\"r\""

static void test_decode_rejects(void **state)
{
	static const struct {
		const char *json;
		int code;
	} bad[] = {
		{ "", PX_E_JSON },
		{ "nope", PX_E_JSON },
		{ "[]", PX_E_JSON },
		{ "\"x\"", PX_E_JSON },
		{ "{" BASE_OK ",\"amount\":\"1\"} x", PX_E_JSON },
		{ "{" BASE_OK ",\"amount\":\"1\",\"extra\":\"1\"}", PX_E_JSON },
		{ "{" BASE_OK ",\"amount\":\"1\",\"Memo\":\"1\"}", PX_E_JSON },
		{ "{" BASE_OK ",\"amount\":\"1\",\"amount\":\"2\"}", PX_E_JSON },
		{ "{" BASE_OK ",\"amount\":1}", PX_E_JSON },
		{ "{" BASE_OK ",\"amount\":null}", PX_E_JSON },
		{ "{" BASE_OK ",\"amount\":\"1\",\"memo\":{}}", PX_E_JSON },
		{ "{" BASE_OK "}", PX_E_JSON },
		{ "{\"amount\":\"1\",\"sender\":\"s\",\"receiver\":\"r\"}", PX_E_JSON },
		{ "{\"amount\":\"1\",\"denom\":\"u\",\"receiver\":\"r\"}", PX_E_JSON },
		{ "{\"amount\":\"1\",\"denom\":\"u\",\"sender\":\"s\"}", PX_E_JSON },
		{ "{\"amount\":\"1\",\"denom\":\"u\",\"sender\":\"\",\"receiver\":\"r\"}", PX_E_JSON },
		{ "{\"amount\":\"1\",\"denom\":\"u\",\"sender\":\"s\",\"receiver\":\" \\t\"}",
		  PX_E_JSON },
		{ "{\"amount\":\"1\",\"denom\":\"u\",\"sender\":\"s\\u0000\",\"receiver\":\"r\"}",
		  PX_E_JSON },
		{ "{" BASE_OK ",\"amount\":\"0\"}", PX_E_NUMBER },
		{ "{" BASE_OK ",\"amount\":\"\"}", PX_E_NUMBER },
		{ "{" BASE_OK ",\"amount\":\"-1\"}", PX_E_NUMBER },
		{ "{" BASE_OK ",\"amount\":\"+1\"}", PX_E_NUMBER },
		{ "{" BASE_OK ",\"amount\":\"01\"}", PX_E_NUMBER },
		{ "{" BASE_OK ",\"amount\":\"1.0\"}", PX_E_NUMBER },
		{ "{" BASE_OK ",\"amount\":\" 1\"}", PX_E_NUMBER },
		{ "{" BASE_OK ",\"amount\":\"0x10\"}", PX_E_NUMBER },
		{ "{" BASE_OK ",\"amount\":\"1e3\"}", PX_E_NUMBER },
		{ "{" BASE_OK ",\"amount\":\"" U256_MAX_PLUS_1 "\"}", PX_E_NUMBER },
		{ "{" BASE_OK ",\"amount\":\"9" U256_MAX "\"}", PX_E_NUMBER },
		{ "{\"amount\":\"1\",\"denom\":\"\",\"sender\":\"s\",\"receiver\":\"r\"}",
		  PX_E_MALFORMED },
		{ "{\"amount\":\"1\",\"denom\":\"transfer/channel-0/ \",\"sender\":\"s\","
		  "\"receiver\":\"r\"}", PX_E_MALFORMED },
		{ "{\"amount\":\"1\",\"denom\":\"t/channel-0/uatom\",\"sender\":\"s\","
		  "\"receiver\":\"r\"}", PX_E_MALFORMED },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int code = decode_code(bad[i].json);

		if (code != bad[i].code)
			fail_msg("case %zu (%s): code %d, want %d", i, bad[i].json, code, bad[i].code);
	}
}

static void test_decode_caps(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	struct ibc_ics20_data d;
	struct px_err err = { 0 };

	(void)state;
	/* A memo one byte past the cap. */
	{
		static const char head[] = "{" BASE_OK ",\"amount\":\"1\",\"memo\":\"";

		px_buf_append(&b, head, sizeof(head) - 1);
	}
	for (size_t i = 0; i < IBC_ICS20_MAX_MEMO + 1; i++)
		px_buf_push(&b, 'm');
	px_buf_append(&b, "\"}", 2);
	assert_true(px_buf_ok(&b));
	assert_false(ibc_ics20_decode(&err, &d, b.data, b.len));
	assert_code(&err, PX_E_TOO_LARGE);
	px_err_clear(&err);
	/* At the cap it decodes. */
	memmove(b.data + b.len - 3, b.data + b.len - 2, 2);
	b.len--;
	assert_true(ibc_ics20_decode(&err, &d, b.data, b.len));
	assert_int_equal(strlen(d.memo), IBC_ICS20_MAX_MEMO);
	ibc_ics20_data_free(&d);
	/* The whole input is capped before parsing. */
	assert_false(ibc_ics20_decode(&err, &d, b.data, IBC_MAX_PACKET_DATA + 1));
	assert_code(&err, PX_E_TOO_LARGE);
	px_buf_free(&b);
}

static void test_u256(void **state)
{
	struct ibc_u256 v;
	struct px_err err = { 0 };
	char out[IBC_ICS20_MAX_AMOUNT + 1];
	static const char *good[] = { "0", "1", "18446744073709551615", "18446744073709551616",
				      "340282366920938463463374607431768211456", U256_MAX };

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_true(ibc_u256_parse(&err, &v, good[i], strlen(good[i])));
		ibc_u256_format(out, &v);
		assert_string_equal(out, good[i]);
	}
	assert_true(ibc_u256_parse(&err, &v, "18446744073709551616", 20));
	assert_true(v.w[0] == 0 && v.w[1] == 1 && v.w[2] == 0 && v.w[3] == 0);
	assert_true(ibc_u256_parse(&err, &v, U256_MAX, strlen(U256_MAX)));
	assert_true(v.w[0] == UINT64_MAX && v.w[3] == UINT64_MAX);
	assert_false(ibc_u256_is_zero(&v));
	assert_false(ibc_u256_parse(&err, &v, U256_MAX_PLUS_1, strlen(U256_MAX_PLUS_1)));
	assert_code(&err, PX_E_NUMBER);
	assert_true(ibc_u256_is_zero(&v));
	px_err_clear(&err);
	assert_false(ibc_u256_parse(&err, &v, "00", 2));
	assert_code(&err, PX_E_NUMBER);
	px_err_clear(&err);
	assert_false(ibc_u256_parse(&err, &v, "12\0", 3));
	assert_code(&err, PX_E_NUMBER);
}

static void test_denoms(void **state)
{
	struct px_err err = { 0 };
	struct ibc_denom d;
	struct px_buf b = PX_BUF_INIT;
	char h[IBC_DENOM_HASH_LEN + 1];
	const char *s;

	(void)state;
	s = "transfer/channel-0/transfer/channel-1/uatom";
	assert_true(ibc_denom_parse(&err, &d, s, strlen(s)));
	assert_int_equal(d.hops_len, 2);
	assert_int_equal(d.hops[1].channel.len, 9);
	assert_memory_equal(d.hops[1].channel.ptr, "channel-1", 9);
	assert_int_equal(d.base.len, 5);
	ibc_denom_path(&b, &d);
	assert_int_equal(b.len, strlen(s));
	assert_memory_equal(b.data, s, b.len);
	px_buf_reset(&b);

	/* Golden: ibc/ + sha256("transfer/channel-1/uatom"). */
	ibc_denom_hash(h, "transfer/channel-1", 18, "uatom", 5);
	assert_string_equal(h, "ibc/C4CFF46FD6DE35CA4CF4CE031E643C8FDC9BA4B99AE598E9B0ED98FE3A2319F9");
	assert_true(ibc_denom_parse(&err, &d, "transfer/channel-1/uatom", 24));
	ibc_denom_local(&b, &d);
	assert_int_equal(b.len, IBC_DENOM_HASH_LEN);
	assert_memory_equal(b.data, h, IBC_DENOM_HASH_LEN);
	px_buf_reset(&b);

	/* Base denominations with slashes stay whole. */
	assert_true(ibc_denom_parse(&err, &d, "gamm/pool/1", 11));
	assert_int_equal(d.hops_len, 0);
	assert_int_equal(d.base.len, 11);
	ibc_denom_local(&b, &d);
	assert_memory_equal(b.data, "gamm/pool/1", 11);
	px_buf_reset(&b);
	assert_true(ibc_denom_parse(&err, &d, "transfer/channel-0/gamm/pool/1", 30));
	assert_int_equal(d.hops_len, 1);
	assert_int_equal(d.base.len, 11);
	assert_true(ibc_denom_parse(&err, &d, "transfer/channel-0", 18));	/* two parts */
	assert_int_equal(d.hops_len, 0);
	/* IBC v2 traces name client ids. */
	assert_true(ibc_denom_parse(&err, &d, "transfer/07-tendermint-0/uatom", 30));
	assert_int_equal(d.hops_len, 1);
	assert_true(ibc_denom_parse(&err, &d, "/uatom", 6));
	assert_int_equal(d.hops_len, 0);
	assert_int_equal(err.code, 0);

	/* Failures. */
	/* Two hops and nothing left for the base. */
	assert_false(ibc_denom_parse(&err, &d, "transfer/channel-0/transfer/channel-1", 37));
	assert_code(&err, PX_E_MALFORMED);
	px_err_clear(&err);
	/* "channel-1" after one hop is a base denomination. */
	assert_true(ibc_denom_parse(&err, &d, "transfer/channel-0/channel-1", 28));
	assert_int_equal(d.hops_len, 1);
	assert_int_equal(d.base.len, 9);
	px_err_clear(&err);
	assert_false(ibc_denom_parse(&err, &d, "transfer/abc-0/uatom", 20));	/* short chan */
	assert_code(&err, PX_E_MALFORMED);
	px_err_clear(&err);
	assert_false(ibc_denom_parse(&err, &d, "", 0));
	assert_code(&err, PX_E_MALFORMED);
	px_err_clear(&err);
	assert_false(ibc_denom_parse(&err, &d, "ua\0tom", 6));
	assert_code(&err, PX_E_MALFORMED);
	px_err_clear(&err);
	{
		char big[IBC_ICS20_MAX_DENOM + 2];

		memset(big, 'u', sizeof(big));
		assert_false(ibc_denom_parse(&err, &d, big, sizeof(big)));
		assert_code(&err, PX_E_TOO_LARGE);
		px_err_clear(&err);
		/* More hops than the cap. */
		px_buf_reset(&b);
		for (int i = 0; i <= IBC_DENOM_MAX_HOPS; i++)
			px_buf_append(&b, "transfer/channel-1/", 19);
		px_buf_append(&b, "uatom", 5);
		assert_false(ibc_denom_parse(&err, &d, (const char *)b.data, b.len));
		assert_code(&err, PX_E_TOO_LARGE);
	}
	px_buf_free(&b);
}

static void packet_init(struct ibc_packet *p)
{
	memset(p, 0, sizeof(*p));
	p->sequence = 1;
	snprintf(p->source_port, sizeof(p->source_port), "transfer");
	snprintf(p->source_channel, sizeof(p->source_channel), "channel-0");
	snprintf(p->destination_port, sizeof(p->destination_port), "transfer");
	snprintf(p->destination_channel, sizeof(p->destination_channel), "channel-1");
}

static void test_prefix_rules(void **state)
{
	struct px_err err = { 0 };
	struct px_buf b = PX_BUF_INIT;
	struct ibc_packet p;
	struct ibc_denom d;
	bool rsrc = true;

	(void)state;
	packet_init(&p);
	/* A native token arrives: prefixed with the destination's hop. */
	assert_true(ibc_ics20_recv_denom(&err, &b, &rsrc, "uatom", 5, &p));
	assert_false(rsrc);
	assert_int_equal(b.len, 24);
	assert_memory_equal(b.data, "transfer/channel-1/uatom", 24);
	assert_true(ibc_denom_parse(&err, &d, (const char *)b.data, b.len));
	px_buf_reset(&b);
	ibc_denom_local(&b, &d);
	assert_memory_equal(b.data,
			    "ibc/C4CFF46FD6DE35CA4CF4CE031E643C8FDC9BA4B99AE598E9B0ED98FE3A2319F9",
			    IBC_DENOM_HASH_LEN);
	px_buf_reset(&b);
	/* A voucher returns home: the source's hop is removed. */
	assert_true(ibc_ics20_recv_denom(&err, &b, &rsrc, "transfer/channel-0/uatom", 24, &p));
	assert_true(rsrc);
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.data, "uatom", 5);
	px_buf_reset(&b);
	/* A voucher of another path travels on: prefixed again. */
	assert_true(ibc_ics20_recv_denom(&err, &b, &rsrc, "transfer/channel-5/uatom", 24, &p));
	assert_false(rsrc);
	assert_memory_equal(b.data, "transfer/channel-1/transfer/channel-5/uatom", b.len);
	px_buf_reset(&b);

	/* The sender's side of the same rule. */
	assert_true(ibc_denom_parse(&err, &d, "uatom", 5));
	assert_true(ibc_ics20_sender_is_source(&d, "transfer", "channel-0"));
	assert_true(ibc_denom_parse(&err, &d, "transfer/channel-0/uatom", 24));
	assert_false(ibc_ics20_sender_is_source(&d, "transfer", "channel-0"));
	assert_true(ibc_ics20_sender_is_source(&d, "transfer", "channel-00"));
	assert_true(ibc_ics20_sender_is_source(&d, "transfe", "channel-0"));
	assert_int_equal(err.code, 0);

	/* Bad packet identifiers or denoms. */
	snprintf(p.destination_channel, sizeof(p.destination_channel), "c/1");
	assert_false(ibc_ics20_recv_denom(&err, &b, &rsrc, "uatom", 5, &p));
	assert_code(&err, PX_E_MALFORMED);
	px_err_clear(&err);
	packet_init(&p);
	assert_false(ibc_ics20_recv_denom(&err, &b, &rsrc, "transfer/channel-0/", 19, &p));
	assert_code(&err, PX_E_MALFORMED);
	assert_int_equal(b.len, 0);
	px_buf_free(&b);
}

static void test_acks(void **state)
{
	struct px_err err = { 0 };
	struct px_buf b = PX_BUF_INIT;
	struct ibc_ack a;
	static const char *msg = "ABCI code: 5: error handling packet: see events for details";

	(void)state;
	assert_true(ibc_ack_is_ics20_success((const uint8_t *)"{\"result\":\"AQ==\"}", 17));
	assert_false(ibc_ack_is_ics20_success((const uint8_t *)"{\"result\":\"AA==\"}", 17));
	assert_true(ibc_ack_decode(&err, &a, (const uint8_t *)IBC_ICS20_ACK_SUCCESS,
				   strlen(IBC_ICS20_ACK_SUCCESS)));
	assert_true(a.success);
	assert_int_equal(a.result.len, 1);
	assert_int_equal(a.result.data[0], 1);
	ibc_ack_free(&a);

	assert_true(ibc_ack_error_encode(&err, &b, msg, strlen(msg)));
	px_buf_push(&b, '\0');
	assert_string_equal((const char *)b.data, "{\"error\":\"ABCI code: 5: error handling "
						  "packet: see events for details\"}");
	assert_true(ibc_ack_decode(&err, &a, b.data, b.len - 1));
	assert_false(a.success);
	assert_string_equal((const char *)a.error.data, msg);
	assert_int_equal(a.error.len, strlen(msg));
	ibc_ack_free(&a);
	px_buf_reset(&b);
	assert_true(ibc_ack_error_encode(&err, &b, "a<b", 3));
	assert_int_equal(b.len, 20);
	assert_memory_equal(b.data, "{\"error\":\"a\\u003cb\"}", 20);
	px_buf_reset(&b);
	assert_false(ibc_ack_error_encode(&err, &b, " ", 1));
	assert_code(&err, PX_E_MALFORMED);
	px_err_clear(&err);

	{
		static const char *bad[] = {
			"", "{}", "[]", "{\"result\":\"AQ==\",\"error\":\"x\"}", "{\"results\":\"AQ==\"}",
			"{\"result\":\"AQ\"}", "{\"result\":\"\"}", "{\"result\":1}", "{\"error\":\" \"}",
			"{\"error\":null}", "{\"result\":\"AQ==\"} {}",
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			px_err_clear(&err);
			if (ibc_ack_decode(&err, &a, (const uint8_t *)bad[i], strlen(bad[i])))
				fail_msg("accepted %s", bad[i]);
			assert_true(err.code >= 200 && err.code < 300);
			assert_int_equal(a.result.len, 0);
			assert_null(a.result.data);
		}
	}
	px_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_forms),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_encode_rejects),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_decode_rejects),
		cmocka_unit_test(test_decode_caps),
		cmocka_unit_test(test_u256),
		cmocka_unit_test(test_denoms),
		cmocka_unit_test(test_prefix_rules),
		cmocka_unit_test(test_acks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
