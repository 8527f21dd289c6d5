/* Unit tests for lightclient/ethereum/ethjson.c: quantities (odd length,
 * leading zeros, overflow, missing prefix, no digits, bad digits), data
 * (exact length, odd length, prefix required), field names in errors and
 * the two formatters. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "lightclient/ethereum/ethjson.h"

static int q64(const char *s, uint64_t *v)
{
	struct px_err err = { 0 };

	if (eth_parse_u64(&err, v, s, strlen(s)))
		return 0;
	return err.code;
}

static void test_quantities(void **state)
{
	uint64_t v;
	uint8_t be[4];
	struct px_err err = { 0 };

	(void)state;
	assert_int_equal(q64("0x0", &v), 0);
	assert_true(v == 0);
	assert_int_equal(q64("0x1c2", &v), 0);
	assert_true(v == 0x1c2);
	assert_int_equal(q64("0x00", &v), 0);
	assert_true(v == 0);
	assert_int_equal(q64("0x0a", &v), 0);
	assert_true(v == 10);
	assert_int_equal(q64("0xFFFFffffFFFFffff", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(q64("0x000000000000000000000001", &v), 0);
	assert_true(v == 1);
	assert_int_equal(q64("0x10000000000000000", &v), PX_E_NUMBER);
	assert_true(v == 0);
	assert_int_equal(q64("0x", &v), PX_E_ENCODING);
	assert_int_equal(q64("12", &v), PX_E_ENCODING);
	assert_int_equal(q64("0X12", &v), PX_E_ENCODING);
	assert_int_equal(q64("0x1g", &v), PX_E_ENCODING);
	assert_int_equal(q64("0x-1", &v), PX_E_ENCODING);
	assert_int_equal(q64("", &v), PX_E_ENCODING);
	/* Right-aligned into a wider field. */
	assert_true(eth_parse_quantity(&err, be, 4, "0x102", 5));
	assert_memory_equal(be, "\x00\x00\x01\x02", 4);
	assert_false(eth_parse_quantity(&err, be, 4, "0x1000000000", 12));
	assert_memory_equal(be, "\0\0\0\0", 4);
}

static void test_data(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	uint8_t f[2];
	struct px_err err = { 0 };

	(void)state;
	assert_true(eth_parse_data(&err, &b, "0x", 2, 10));
	assert_int_equal(b.len, 0);
	assert_true(eth_parse_data(&err, &b, "0xABcd", 6, 10));
	assert_int_equal(b.len, 2);
	assert_false(eth_parse_data(&err, &b, "0xabc", 5, 10));
	assert_int_equal(err.code, PX_E_ENCODING);
	assert_int_equal(b.len, 2);
	px_err_clear(&err);
	assert_false(eth_parse_data(&err, &b, "abcd", 4, 10));
	assert_int_equal(err.code, PX_E_ENCODING);
	px_err_clear(&err);
	assert_false(eth_parse_data(&err, &b, "0xabcdef", 8, 2));
	assert_int_equal(err.code, PX_E_TOO_LARGE);
	px_err_clear(&err);
	assert_true(eth_parse_data_fixed(&err, f, 2, "0x0102", 6));
	assert_memory_equal(f, "\x01\x02", 2);
	assert_false(eth_parse_data_fixed(&err, f, 2, "0x010203", 8));
	assert_memory_equal(f, "\0\0", 2);
	px_err_clear(&err);
	assert_false(eth_parse_data_fixed(&err, f, 2, "0x01", 4));
	px_err_clear(&err);
	assert_false(eth_parse_data_fixed(&err, f, 2, "0x01zz", 6));
	assert_int_equal(err.code, PX_E_ENCODING);
	px_buf_free(&b);
}

static void test_json_fields(void **state)
{
	json_t *o = json_pack("{s:s, s:i, s:s}", "balance", "0x10", "nonce", 5, "root", "0x12");
	struct px_err err = { 0 };
	uint64_t v;
	uint8_t r[2];

	(void)state;
	assert_true(eth_json_u64(&err, &v, o, "balance"));
	assert_true(v == 16);
	assert_false(eth_json_u64(&err, &v, o, "nonce"));
	assert_int_equal(err.code, PX_E_JSON);
	assert_non_null(strstr(err.msg, "'nonce'"));
	px_err_clear(&err);
	assert_false(eth_json_u64(&err, &v, o, "missing"));
	assert_non_null(strstr(err.msg, "'missing'"));
	px_err_clear(&err);
	assert_false(eth_json_data_fixed(&err, r, 2, o, "root"));
	assert_int_equal(err.code, PX_E_ENCODING);
	assert_non_null(strstr(err.msg, "'root'"));
	json_decref(o);
}

static void test_format(void **state)
{
	char out[80];
	static const uint8_t be[4] = { 0, 0x01, 0xc2, 0x00 };
	static const uint8_t zero[3] = { 0, 0, 0 };

	(void)state;
	eth_quantity_format(out, sizeof(out), be, 4);
	assert_string_equal(out, "0x1c200");
	eth_quantity_format(out, sizeof(out), zero, 3);
	assert_string_equal(out, "0x0");
	eth_hex_format(out, sizeof(out), be, 4);
	assert_string_equal(out, "0x0001c200");
	eth_hex_format(out, 5, be, 4);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantities),
		cmocka_unit_test(test_data),
		cmocka_unit_test(test_json_fields),
		cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
