/* Unit tests for lightclient/ethereum/rlp.c: the encoder on every length
 * class (single byte, short, long string and list), round trips, and the
 * strict decoder's refusals with their codes: every truncation, single
 * bytes wrapped as strings, long forms for short lengths, leading zeros in
 * lengths and integers, items past their list, trailing bytes, nesting
 * past the cap, wrong kinds and wrong fixed lengths. Inputs are decoded
 * from heap copies of their exact length so AddressSanitizer sees any
 * over-read. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/encoding.h"
#include "common/protobuf.h"
#include "lightclient/ethereum/rlp.h"

static uint8_t *heap(const void *p, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);

	assert_non_null(c);
	if (n)
		memcpy(c, p, n);
	return c;
}

/* rlp_check on a heap copy of hex; returns the error code (0 ok). */
static int check_hex(const char *hex)
{
	struct px_buf b = PX_BUF_INIT;
	struct px_err err = { 0 };
	uint8_t *c;

	assert_true(px_hex_decode(NULL, &b, hex, strlen(hex), true));
	c = heap(b.data, b.len);
	if (rlp_check(&err, c, b.len, 0))
		assert_int_equal(err.code, 0);
	else
		assert_int_not_equal(err.code, 0);
	free(c);
	px_buf_free(&b);
	return err.code;
}

static void assert_buf_hex(const struct px_buf *b, const char *hex)
{
	struct px_buf w = PX_BUF_INIT;

	assert_true(px_buf_ok(b));
	assert_true(px_hex_decode(NULL, &w, hex, strlen(hex), false));
	assert_int_equal(b->len, w.len);
	if (w.len)
		assert_memory_equal(b->data, w.data, w.len);
	px_buf_free(&w);
}

static void test_encode_strings(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	uint8_t big[1024];

	(void)state;
	rlp_put_bytes(&b, (const uint8_t *)"", 0);
	assert_buf_hex(&b, "80");
	px_buf_reset(&b);
	rlp_put_bytes(&b, (const uint8_t *)"\x00", 1);
	assert_buf_hex(&b, "00");
	px_buf_reset(&b);
	rlp_put_bytes(&b, (const uint8_t *)"\x7f", 1);
	assert_buf_hex(&b, "7f");
	px_buf_reset(&b);
	rlp_put_bytes(&b, (const uint8_t *)"\x80", 1);
	assert_buf_hex(&b, "8180");
	px_buf_reset(&b);
	rlp_put_bytes(&b, (const uint8_t *)"dog", 3);
	assert_buf_hex(&b, "83646f67");
	memset(big, 'a', sizeof(big));
	px_buf_reset(&b);
	rlp_put_bytes(&b, big, 55);
	assert_int_equal(b.len, 56);
	assert_int_equal(b.data[0], 0xb7);
	px_buf_reset(&b);
	rlp_put_bytes(&b, big, 56);
	assert_int_equal(b.len, 58);
	assert_int_equal(b.data[0], 0xb8);
	assert_int_equal(b.data[1], 56);
	px_buf_reset(&b);
	rlp_put_bytes(&b, big, 1024);
	assert_int_equal(b.len, 1027);
	assert_int_equal(b.data[0], 0xb9);
	assert_int_equal(b.data[1], 0x04);
	assert_int_equal(b.data[2], 0x00);
	assert_int_equal(rlp_prefix_len(55), 1);
	assert_int_equal(rlp_prefix_len(56), 2);
	assert_int_equal(rlp_prefix_len(1024), 3);
	px_buf_free(&b);
}

static void test_encode_integers_and_lists(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	static const uint8_t be[4] = { 0, 0, 0x04, 0x00 };
	size_t outer, inner;

	(void)state;
	rlp_put_u64(&b, 0);
	rlp_put_u64(&b, 15);
	rlp_put_u64(&b, 1024);
	rlp_put_u64(&b, UINT64_MAX);
	rlp_put_uint_be(&b, be, sizeof(be));
	assert_buf_hex(&b, "800f820400" "88ffffffffffffffff" "820400");
	/* [ [], [[]], [ [], [[]] ] ] */
	px_buf_reset(&b);
	outer = rlp_list_begin(&b);
	rlp_put_list_header(&b, 0);
	inner = rlp_list_begin(&b);
	rlp_put_list_header(&b, 0);
	rlp_list_end(&b, inner);
	inner = rlp_list_begin(&b);
	rlp_put_list_header(&b, 0);
	{
		size_t x = rlp_list_begin(&b);

		rlp_put_list_header(&b, 0);
		rlp_list_end(&b, x);
	}
	rlp_list_end(&b, inner);
	rlp_list_end(&b, outer);
	assert_buf_hex(&b, "c7c0c1c0c3c0c1c0");
	/* A list whose payload needs the long form. */
	px_buf_reset(&b);
	outer = rlp_list_begin(&b);
	for (int i = 0; i < 30; i++)
		rlp_put_bytes(&b, (const uint8_t *)"ab", 2);
	rlp_list_end(&b, outer);
	assert_int_equal(b.len, 92);
	assert_int_equal(b.data[0], 0xf8);
	assert_int_equal(b.data[1], 90);
	assert_int_equal(check_hex("f85a" "826162826162826162826162826162826162826162826162826162826162"
				   "826162826162826162826162826162826162826162826162826162826162"
				   "826162826162826162826162826162826162826162826162826162826162"), 0);
	px_buf_free(&b);
}

static void test_read_round_trip(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	struct px_cursor c, list;
	struct px_slice s;
	uint8_t fixed[4], wide[32], *copy;
	size_t start;

	(void)state;
	start = rlp_list_begin(&b);
	rlp_put_u64(&b, 0x1234);
	rlp_put_bytes(&b, (const uint8_t *)"\xde\xad\xbe\xef", 4);
	rlp_put_bytes(&b, (const uint8_t *)"hello", 5);
	rlp_put_u64(&b, 0);
	rlp_put_u64(&b, 0xff00000000000001ULL);
	rlp_list_end(&b, start);
	assert_true(px_buf_ok(&b));
	copy = heap(b.data, b.len);
	c = px_cursor_init(copy, b.len);
	rlp_read_list(&c, &list, 1000);
	assert_int_equal(rlp_read_u64(&list), 0x1234);
	rlp_read_fixed(&list, fixed, 4);
	assert_memory_equal(fixed, "\xde\xad\xbe\xef", 4);
	rlp_read_bytes(&list, &s, 100);
	assert_int_equal(s.len, 5);
	assert_memory_equal(s.ptr, "hello", 5);
	rlp_read_uint_be(&list, wide, 32, 32);
	for (int i = 0; i < 32; i++)
		assert_int_equal(wide[i], 0);
	assert_true(rlp_read_u64(&list) == 0xff00000000000001ULL);
	rlp_read_end(&list);
	rlp_read_end(&c);
	assert_true(px_cursor_ok(&c));
	free(copy);
	px_buf_free(&b);
}

static void test_noncanonical(void **state)
{
	(void)state;
	/* Single byte below 0x80 wrapped as a one-byte string. */
	assert_int_equal(check_hex("8100"), PX_E_NONCANONICAL);
	assert_int_equal(check_hex("817f"), PX_E_NONCANONICAL);
	assert_int_equal(check_hex("8180"), 0);
	/* Long form for lengths below 56. */
	assert_int_equal(check_hex("b80161"), PX_E_NONCANONICAL);
	assert_int_equal(check_hex("b837" "6161616161616161616161616161616161616161616161616161616161616161"
				   "6161616161616161616161616161616161616161616161"), PX_E_NONCANONICAL);
	assert_int_equal(check_hex("f800"), PX_E_NONCANONICAL);
	/* Leading zeros in the length field. */
	assert_int_equal(check_hex("b90038" "61616161616161616161616161616161616161616161616161616161"
				   "6161616161616161616161616161616161616161616161616161616161"),
			 PX_E_NONCANONICAL);
	assert_int_equal(check_hex("f9000100"), PX_E_NONCANONICAL);
}

static void test_lengths(void **state)
{
	(void)state;
	/* Past the input. */
	assert_int_equal(check_hex("83646f"), PX_E_TRUNCATED);
	assert_int_equal(check_hex("b8"), PX_E_TRUNCATED);
	assert_int_equal(check_hex("b9ffff"), PX_E_TRUNCATED);
	assert_int_equal(check_hex("c3"), PX_E_TRUNCATED);
	assert_int_equal(check_hex(""), PX_E_TRUNCATED);
	/* An item running past its enclosing list. */
	assert_int_equal(check_hex("c28301020304"), PX_E_TRUNCATED);
	/* 8-byte lengths (int32 overflow in other decoders): past the cap. */
	assert_int_equal(check_hex("bf0f000000000000021111"), PX_E_TOO_LARGE);
	assert_int_equal(check_hex("ff0f000000000000021111"), PX_E_TOO_LARGE);
	/* Trailing bytes. */
	assert_int_equal(check_hex("8000"), PX_E_MALFORMED);
	assert_int_equal(check_hex("c0c0"), PX_E_MALFORMED);
}

static void test_every_truncation(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	size_t start, inner;
	uint8_t big[100];

	(void)state;
	memset(big, 0x42, sizeof(big));
	start = rlp_list_begin(&b);
	rlp_put_bytes(&b, big, sizeof(big));
	inner = rlp_list_begin(&b);
	rlp_put_u64(&b, 7);
	rlp_put_bytes(&b, big, 40);
	rlp_list_end(&b, inner);
	rlp_list_end(&b, start);
	assert_true(px_buf_ok(&b));
	for (size_t n = 0; n <= b.len; n++) {
		uint8_t *c = heap(b.data, n);
		struct px_err err = { 0 };
		bool ok = rlp_check(&err, c, n, 0);

		assert_true(ok == (n == b.len));
		if (!ok)
			assert_int_equal(err.code, PX_E_TRUNCATED);
		free(c);
	}
	px_buf_free(&b);
}

static void test_depth_cap(void **state)
{
	/* 50 nested lists around an empty one: payloads stay below 56, so
	 * every prefix is one byte (0xc0 + payload length). */
	uint8_t buf[50];
	struct px_err err = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(0xc0 + sizeof(buf) - 1 - i);
	assert_true(rlp_check(&err, buf, sizeof(buf), 50));
	assert_false(rlp_check(&err, buf, sizeof(buf), 49));
	assert_int_equal(err.code, PX_E_TOO_LARGE);
	px_err_clear(&err);
	assert_true(rlp_check(&err, buf, sizeof(buf), 0));	/* default cap 64 */
}

static void test_integers(void **state)
{
	static const uint8_t lead_zero[] = { 0x82, 0x00, 0x01 };
	static const uint8_t zero_byte[] = { 0x00 };
	static const uint8_t nine[] = { 0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	static const uint8_t list[] = { 0xc0 };
	struct px_cursor c;
	uint8_t out[4];

	(void)state;
	c = px_cursor_init(lead_zero, sizeof(lead_zero));
	assert_int_equal(rlp_read_u64(&c), 0);
	assert_false(px_cursor_ok(&c));
	assert_int_equal(rlp_error_code(&c), PX_E_NONCANONICAL);
	assert_int_equal(px_cursor_offset(&c), 0);
	c = px_cursor_init(zero_byte, sizeof(zero_byte));
	(void)rlp_read_u64(&c);
	assert_int_equal(rlp_error_code(&c), PX_E_NONCANONICAL);
	c = px_cursor_init(nine, sizeof(nine));
	(void)rlp_read_u64(&c);
	assert_int_equal(rlp_error_code(&c), PX_E_MALFORMED);
	c = px_cursor_init(list, sizeof(list));
	(void)rlp_read_u64(&c);
	assert_int_equal(rlp_error_code(&c), PX_E_MALFORMED);
	/* A 5-byte integer into a 4-byte field. */
	c = px_cursor_init(nine, 6);
	rlp_read_uint_be(&c, out, 4, 4);
	assert_false(px_cursor_ok(&c));
	for (int i = 0; i < 4; i++)
		assert_int_equal(out[i], 0);
}

static void test_kinds_and_fixed(void **state)
{
	static const uint8_t three[] = { 0x83, 1, 2, 3 };
	static const uint8_t lst[] = { 0xc2, 0x01, 0x02 };
	struct px_cursor c, sub;
	struct px_slice s;
	uint8_t four[4] = { 9, 9, 9, 9 };

	(void)state;
	c = px_cursor_init(three, sizeof(three));
	rlp_read_fixed(&c, four, 4);
	assert_false(px_cursor_ok(&c));
	assert_memory_equal(four, "\0\0\0\0", 4);
	c = px_cursor_init(three, sizeof(three));
	rlp_read_list(&c, &sub, 10);
	assert_false(px_cursor_ok(&c));
	assert_false(px_cursor_ok(&sub));
	c = px_cursor_init(lst, sizeof(lst));
	rlp_read_bytes(&c, &s, 10);
	assert_false(px_cursor_ok(&c));
	/* Cap on a string's length. */
	c = px_cursor_init(three, sizeof(three));
	rlp_read_bytes(&c, &s, 2);
	assert_int_equal(rlp_error_code(&c), PX_E_TOO_LARGE);
	/* An error inside a list reaches the outer cursor, once. */
	c = px_cursor_init(lst, sizeof(lst));
	rlp_read_list(&c, &sub, 10);
	(void)rlp_read_u64(&sub);
	rlp_read_fixed(&sub, four, 4);
	assert_false(px_cursor_ok(&c));
	assert_int_equal(px_cursor_offset(&c), 2);
	/* After the first error, reads return nothing. */
	(void)rlp_read_u64(&sub);
	assert_int_equal(px_cursor_offset(&c), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_strings),
		cmocka_unit_test(test_encode_integers_and_lists),
		cmocka_unit_test(test_read_round_trip),
		cmocka_unit_test(test_noncanonical),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_depth_cap),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_kinds_and_fixed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
