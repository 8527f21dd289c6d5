/* Unit tests for common/encoding.c: RFC 4648 known answers for hex and
 * both base64 alphabets, every rejection rule of the strict decoders, and
 * the promise that a failed decode leaves the output as it was. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "common/encoding.h"

struct b64_vector {
	const char *plain;
	const char *padded;
	const char *unpadded;
};

/* RFC 4648 section 10. */
static const struct b64_vector rfc4648[] = {
	{ "", "", "" },
	{ "f", "Zg==", "Zg" },
	{ "fo", "Zm8=", "Zm8" },
	{ "foo", "Zm9v", "Zm9v" },
	{ "foob", "Zm9vYg==", "Zm9vYg" },
	{ "fooba", "Zm9vYmE=", "Zm9vYmE" },
	{ "foobar", "Zm9vYmFy", "Zm9vYmFy" },
};

#define N_RFC4648 (sizeof(rfc4648) / sizeof(rfc4648[0]))

/* A buffer holding "keep", to show that decoders append and that a failed
 * decode leaves it exactly so. */
static void buf_keep(struct px_buf *b)
{
	px_buf_init(b);
	px_buf_append(b, "keep", 4);
	assert_true(px_buf_ok(b));
}

static void assert_kept(const struct px_buf *b)
{
	assert_true(px_buf_ok(b));
	assert_int_equal(b->len, 4);
	assert_memory_equal(b->data, "keep", 4);
}

static void assert_err(const struct px_err *err, int code, const char *fragment)
{
	assert_int_equal(err->code, code);
	if (!strstr(err->msg, fragment))
		fail_msg("message \"%s\" lacks \"%s\"", err->msg, fragment);
}

static void hex_bad(const char *s, bool allow_0x, const char *fragment)
{
	struct px_err err = { 0 };
	struct px_buf b;

	buf_keep(&b);
	assert_false(px_hex_decode(&err, &b, s, strlen(s), allow_0x));
	assert_err(&err, PX_E_ENCODING, fragment);
	assert_kept(&b);
	px_buf_free(&b);
}

static void b64_bad(const char *s, enum px_b64 alphabet, const char *fragment)
{
	struct px_err err = { 0 };
	struct px_buf b;

	buf_keep(&b);
	assert_false(px_base64_decode(&err, &b, s, strlen(s), alphabet));
	assert_err(&err, PX_E_ENCODING, fragment);
	assert_kept(&b);
	px_buf_free(&b);
}

static void b64_good(const char *s, enum px_b64 alphabet, const void *want, size_t want_len)
{
	struct px_err err = { 0 };
	struct px_buf b;

	buf_keep(&b);
	if (!px_base64_decode(&err, &b, s, strlen(s), alphabet))
		fail_msg("\"%s\": %s", s, err.msg);
	assert_int_equal(err.code, PX_OK);
	assert_int_equal(b.len, 4 + want_len);
	assert_memory_equal(b.data, "keep", 4);
	if (want_len > 0)
		assert_memory_equal(b.data + 4, want, want_len);
	px_buf_free(&b);
}

static void test_hex_encode(void **state)
{
	static const uint8_t bytes[] = { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xff };
	char out[13];

	(void)state;
	px_hex_encode(out, sizeof(out), bytes, sizeof(bytes), false);
	assert_string_equal(out, "00017f80abff");
	px_hex_encode(out, sizeof(out), bytes, sizeof(bytes), true);
	assert_string_equal(out, "00017F80ABFF");
	px_hex_encode(out, 1, bytes, 0, false);
	assert_string_equal(out, "");
}

static void test_hex_encode_short_buffer(void **state)
{
	static const uint8_t bytes[] = { 0xde, 0xad, 0xbe, 0xef };
	char out[12];

	(void)state;
	/* One byte short of 2*len+1: nothing but an empty string, and no
	 * write past out_cap. */
	memset(out, 'X', sizeof(out));
	px_hex_encode(out, 8, bytes, sizeof(bytes), false);
	assert_int_equal(out[0], '\0');
	assert_int_equal(out[8], 'X');
	/* out_cap 0 writes nothing at all. */
	memset(out, 'X', sizeof(out));
	px_hex_encode(out, 0, bytes, sizeof(bytes), false);
	assert_int_equal(out[0], 'X');
}

static void test_hex_decode_cases(void **state)
{
	static const uint8_t want[] = { 0xde, 0xad, 0xbe, 0xef, 0x01 };
	static const char *const spellings[] = { "deadbeef01", "DEADBEEF01", "DeAdBeEf01" };
	struct px_err err = { 0 };
	struct px_buf b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		buf_keep(&b);
		assert_true(px_hex_decode(&err, &b, spellings[i], strlen(spellings[i]), false));
		assert_int_equal(b.len, 4 + sizeof(want));
		assert_memory_equal(b.data, "keep", 4);
		assert_memory_equal(b.data + 4, want, sizeof(want));
		px_buf_free(&b);
	}
	assert_int_equal(err.code, PX_OK);
}

static void test_hex_decode_0x(void **state)
{
	struct px_err err = { 0 };
	struct px_buf b;

	(void)state;
	px_buf_init(&b);
	assert_true(px_hex_decode(&err, &b, "0x0aFF", 6, true));
	assert_int_equal(b.len, 2);
	assert_memory_equal(b.data, "\x0a\xff", 2);
	assert_true(px_hex_decode(&err, &b, "0X10", 4, true));
	assert_int_equal(b.len, 3);
	assert_int_equal(b.data[2], 0x10);
	/* "0x" alone is the empty byte string, as Ethereum writes it. */
	assert_true(px_hex_decode(&err, &b, "0x", 2, true));
	assert_int_equal(b.len, 3);
	/* Without the prefix "00" is a byte, not a prefix. */
	assert_true(px_hex_decode(&err, &b, "00", 2, true));
	assert_int_equal(b.len, 4);
	assert_int_equal(b.data[3], 0);
	assert_int_equal(err.code, PX_OK);
	px_buf_free(&b);

	hex_bad("0x0a", false, "bad character 'x' at offset 1");
	hex_bad("0x0", true, "odd length 1");
	hex_bad("0x0x00", true, "bad character 'x' at offset 3");
	hex_bad("x00", true, "bad character 'x' at offset 0");
}

static void test_hex_decode_rejects(void **state)
{
	(void)state;
	hex_bad("abcde", false, "hex: odd length 5");
	hex_bad("a", false, "odd length 1");
	hex_bad("zz", false, "hex: bad character 'z' at offset 0");
	hex_bad("00g0", false, "bad character 'g' at offset 2");
	hex_bad(" 00", false, "bad character ' ' at offset 0");
	hex_bad("00 ", false, "bad character ' ' at offset 2");
	hex_bad("00\n", false, "bad character 0x0a at offset 2");
	hex_bad("-1", false, "bad character '-' at offset 0");
}

static void test_hex_decode_embedded_nul(void **state)
{
	struct px_err err = { 0 };
	struct px_buf b;

	(void)state;
	buf_keep(&b);
	assert_false(px_hex_decode(&err, &b, "00\0" "0", 4, false));
	assert_err(&err, PX_E_ENCODING, "bad character 0x00 at offset 2");
	assert_kept(&b);
	px_buf_free(&b);
}

static void test_hex_decode_empty(void **state)
{
	struct px_err err = { 0 };
	struct px_buf b;

	(void)state;
	buf_keep(&b);
	assert_true(px_hex_decode(&err, &b, "", 0, false));
	assert_kept(&b);
	px_buf_free(&b);
}

static void test_hex_decode_failed_buffer(void **state)
{
	struct px_err err = { 0 };
	struct px_buf b;

	(void)state;
	/* A buffer whose earlier allocation failed accepts nothing; the
	 * decoder must say so rather than claim success. */
	buf_keep(&b);
	b.failed = true;
	assert_false(px_hex_decode(&err, &b, "0011", 4, false));
	assert_err(&err, PX_E_NOMEM, "hex: out of memory");
	assert_int_equal(b.len, 4);
	assert_true(b.failed);
	px_buf_free(&b);
}

static void test_hex_decode_fixed(void **state)
{
	static const char h[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	struct px_err err = { 0 };
	uint8_t out[32], sentinel[32];
	size_t i;

	(void)state;
	assert_true(px_hex_decode_fixed(&err, out, sizeof(out), h, strlen(h)));
	for (i = 0; i < sizeof(out); i++)
		assert_int_equal(out[i], i);
	assert_true(px_hex_decode_fixed(&err, out, 0, "", 0));
	assert_int_equal(err.code, PX_OK);

	memset(sentinel, 0xa5, sizeof(sentinel));
	memcpy(out, sentinel, sizeof(out));
	assert_false(px_hex_decode_fixed(&err, out, sizeof(out), h, strlen(h) - 2));
	assert_err(&err, PX_E_ENCODING, "hex: 31 bytes, expected 32");
	assert_memory_equal(out, sentinel, sizeof(out));

	memset(&err, 0, sizeof(err));
	assert_false(px_hex_decode_fixed(&err, out, 2, "001122", 6));
	assert_err(&err, PX_E_ENCODING, "3 bytes, expected 2");
	assert_memory_equal(out, sentinel, sizeof(out));

	memset(&err, 0, sizeof(err));
	assert_false(px_hex_decode_fixed(&err, out, 2, "001", 3));
	assert_err(&err, PX_E_ENCODING, "odd length 3");
	assert_memory_equal(out, sentinel, sizeof(out));

	/* A bad last character must not leave the first bytes written. */
	memset(&err, 0, sizeof(err));
	assert_false(px_hex_decode_fixed(&err, out, 2, "001g", 4));
	assert_err(&err, PX_E_ENCODING, "bad character 'g' at offset 3");
	assert_memory_equal(out, sentinel, sizeof(out));

	memset(&err, 0, sizeof(err));
	assert_false(px_hex_decode_fixed(&err, out, 2, "0x00", 4));
	assert_err(&err, PX_E_ENCODING, "bad character 'x' at offset 1");
	assert_memory_equal(out, sentinel, sizeof(out));
}

static void test_err_first_wins(void **state)
{
	struct px_err err = { 0 };
	struct px_buf b;

	(void)state;
	px_buf_init(&b);
	assert_false(px_hex_decode(&err, &b, "abc", 3, false));
	assert_false(px_base64_decode(&err, &b, "Zg=", 3, PX_B64_STD));
	assert_err(&err, PX_E_ENCODING, "hex: odd length 3");
	/* err may be NULL. */
	assert_false(px_hex_decode(NULL, &b, "abc", 3, false));
	assert_int_equal(b.len, 0);
	px_buf_free(&b);
}

static void test_base64_rfc4648_encode(void **state)
{
	struct px_buf b;
	size_t i;

	(void)state;
	for (i = 0; i < N_RFC4648; i++) {
		const struct b64_vector *v = &rfc4648[i];
		const uint8_t *p = (const uint8_t *)v->plain;

		px_buf_init(&b);
		px_base64_encode(&b, p, strlen(v->plain), PX_B64_STD, true);
		px_base64_encode(&b, p, strlen(v->plain), PX_B64_URL, true);
		px_base64_encode(&b, p, strlen(v->plain), PX_B64_URL, false);
		px_base64_encode(&b, p, strlen(v->plain), PX_B64_STD, false);
		assert_true(px_buf_ok(&b));
		assert_int_equal(b.len, 2 * strlen(v->padded) + 2 * strlen(v->unpadded));
		if (b.len > 0) {
			size_t a = strlen(v->padded), u = strlen(v->unpadded);

			assert_memory_equal(b.data, v->padded, a);
			assert_memory_equal(b.data + a, v->padded, a);
			assert_memory_equal(b.data + 2 * a, v->unpadded, u);
			assert_memory_equal(b.data + 2 * a + u, v->unpadded, u);
		}
		px_buf_free(&b);
	}
}

static void test_base64_rfc4648_decode(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N_RFC4648; i++) {
		const struct b64_vector *v = &rfc4648[i];
		size_t n = strlen(v->plain);

		b64_good(v->padded, PX_B64_STD, v->plain, n);
		b64_good(v->padded, PX_B64_URL, v->plain, n);
		b64_good(v->unpadded, PX_B64_URL, v->plain, n);
		if (strcmp(v->padded, v->unpadded) != 0)
			b64_bad(v->unpadded, PX_B64_STD, "base64: missing padding");
	}
}

static void test_base64_alphabets(void **state)
{
	static const uint8_t hi[] = { 0xfb, 0xff, 0xbf, 0xfe };
	struct px_buf b;

	(void)state;
	px_buf_init(&b);
	px_base64_encode(&b, hi, sizeof(hi), PX_B64_STD, true);
	px_base64_encode(&b, hi, sizeof(hi), PX_B64_URL, false);
	assert_true(px_buf_ok(&b));
	assert_int_equal(b.len, 8 + 6);
	assert_memory_equal(b.data, "+/+//g==" "-_-__g", 14);
	px_buf_free(&b);

	b64_good("+/+//g==", PX_B64_STD, hi, sizeof(hi));
	b64_good("-_-__g==", PX_B64_URL, hi, sizeof(hi));
	b64_good("-_-__g", PX_B64_URL, hi, sizeof(hi));
	b64_bad("-_-__g==", PX_B64_STD, "base64: bad character '-' at offset 0");
	b64_bad("+/+//g==", PX_B64_URL, "base64url: bad character '+' at offset 0");
	b64_bad("AAA/", PX_B64_URL, "bad character '/' at offset 3");
	b64_bad("AAA_", PX_B64_STD, "bad character '_' at offset 3");
}

static void test_base64_rejects_padding(void **state)
{
	(void)state;
	b64_bad("Zg=", PX_B64_STD, "base64: bad padding");
	b64_bad("Zg=", PX_B64_URL, "base64url: bad padding");
	b64_bad("Zg===", PX_B64_STD, "bad padding");
	b64_bad("Zm8==", PX_B64_STD, "bad padding");
	b64_bad("Zm8==", PX_B64_URL, "bad padding");
	b64_bad("Zm9v=", PX_B64_STD, "bad padding");
	b64_bad("Zm9v====", PX_B64_STD, "bad padding");
	b64_bad("=", PX_B64_STD, "bad padding");
	b64_bad("==", PX_B64_URL, "bad padding");
	b64_bad("====", PX_B64_STD, "bad padding");
	b64_bad("Zg==Zg==", PX_B64_STD, "bad padding at offset 2");
	b64_bad("Zm=v", PX_B64_STD, "bad padding at offset 2");
	b64_bad("Zm8=Zm8", PX_B64_URL, "bad padding at offset 3");
}

static void test_base64_rejects_length(void **state)
{
	(void)state;
	b64_bad("Z", PX_B64_STD, "base64: bad length 1");
	b64_bad("Z", PX_B64_URL, "base64url: bad length 1");
	b64_bad("Zm9vY", PX_B64_URL, "bad length 5");
	b64_bad("Zm9vY===", PX_B64_STD, "bad length 5");
	b64_bad("Zm9vY", PX_B64_STD, "bad length 5");
	b64_bad("Zm9vYg", PX_B64_STD, "missing padding");
}

static void test_base64_rejects_trailing_bits(void **state)
{
	(void)state;
	/* "f" is "Zg=="; 'h' differs from 'g' only in bits past the data. */
	b64_bad("Zh==", PX_B64_STD, "base64: non-zero trailing bits at offset 1");
	b64_bad("Zh", PX_B64_URL, "base64url: non-zero trailing bits at offset 1");
	b64_bad("Zv==", PX_B64_STD, "non-zero trailing bits");
	/* "fo" is "Zm8="; '9' sets a bit past the data. */
	b64_bad("Zm9=", PX_B64_STD, "non-zero trailing bits at offset 2");
	b64_bad("Zm9", PX_B64_URL, "non-zero trailing bits at offset 2");
	b64_bad("Zm9vYmF=", PX_B64_STD, "non-zero trailing bits at offset 6");
}

static void test_base64_rejects_characters(void **state)
{
	(void)state;
	b64_bad("Zm9v\nYmFy", PX_B64_STD, "bad character 0x0a at offset 4");
	b64_bad(" Zm9v", PX_B64_STD, "bad character ' ' at offset 0");
	b64_bad("Zm9v ", PX_B64_STD, "bad character ' ' at offset 4");
	b64_bad("Zm9v\r\n", PX_B64_STD, "bad character 0x0d at offset 4");
	b64_bad("Zm.v", PX_B64_URL, "bad character '.' at offset 2");
	b64_bad("Zm9\xc3\xa9", PX_B64_STD, "bad character 0xc3 at offset 3");
	b64_bad("Zg== ", PX_B64_STD, "bad padding at offset 2");
}

static void test_base64_failed_buffer(void **state)
{
	struct px_err err = { 0 };
	struct px_buf b;

	(void)state;
	buf_keep(&b);
	b.failed = true;
	assert_false(px_base64_decode(&err, &b, "Zm9v", 4, PX_B64_STD));
	assert_err(&err, PX_E_NOMEM, "base64: out of memory");
	assert_int_equal(b.len, 4);
	assert_true(b.failed);
	px_buf_free(&b);
}

static void test_base64_round_trip(void **state)
{
	uint8_t data[300];
	struct px_err err = { 0 };
	struct px_buf enc, dec;
	size_t n, i;
	uint32_t x = 12345;

	(void)state;
	for (i = 0; i < sizeof(data); i++) {
		x = x * 1103515245u + 12345u;
		data[i] = (uint8_t)(x >> 16);
	}
	/* Lengths across the staging chunk of the encoder, too. */
	for (n = 0; n <= sizeof(data); n++) {
		int a;

		for (a = 0; a < 3; a++) {
			enum px_b64 alpha = a == 0 ? PX_B64_STD : PX_B64_URL;
			bool pad = a != 2;

			px_buf_init(&enc);
			px_buf_init(&dec);
			px_base64_encode(&enc, data, n, alpha, pad);
			assert_true(px_buf_ok(&enc));
			assert_int_equal(enc.len, pad ? (n + 2) / 3 * 4 : (n * 4 + 2) / 3);
			assert_true(px_base64_decode(&err, &dec, (const char *)enc.data, enc.len,
						     alpha));
			assert_int_equal(dec.len, n);
			if (n > 0)
				assert_memory_equal(dec.data, data, n);
			px_buf_free(&enc);
			px_buf_free(&dec);
		}
	}
	assert_int_equal(err.code, PX_OK);
}

static void test_hex_round_trip(void **state)
{
	uint8_t data[256];
	char text[513];
	struct px_err err = { 0 };
	struct px_buf b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)i;
	px_hex_encode(text, sizeof(text), data, sizeof(data), true);
	assert_int_equal(strlen(text), 512);
	px_buf_init(&b);
	assert_true(px_hex_decode(&err, &b, text, 512, false));
	assert_int_equal(b.len, 256);
	assert_memory_equal(b.data, data, 256);
	px_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex_encode),
		cmocka_unit_test(test_hex_encode_short_buffer),
		cmocka_unit_test(test_hex_decode_cases),
		cmocka_unit_test(test_hex_decode_0x),
		cmocka_unit_test(test_hex_decode_rejects),
		cmocka_unit_test(test_hex_decode_embedded_nul),
		cmocka_unit_test(test_hex_decode_empty),
		cmocka_unit_test(test_hex_decode_failed_buffer),
		cmocka_unit_test(test_hex_decode_fixed),
		cmocka_unit_test(test_err_first_wins),
		cmocka_unit_test(test_base64_rfc4648_encode),
		cmocka_unit_test(test_base64_rfc4648_decode),
		cmocka_unit_test(test_base64_alphabets),
		cmocka_unit_test(test_base64_rejects_padding),
		cmocka_unit_test(test_base64_rejects_length),
		cmocka_unit_test(test_base64_rejects_trailing_bits),
		cmocka_unit_test(test_base64_rejects_characters),
		cmocka_unit_test(test_base64_failed_buffer),
		cmocka_unit_test(test_base64_round_trip),
		cmocka_unit_test(test_hex_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
