/* Unit tests for common/number.c: the exact edges of uint64_t and int64_t,
 * every spelling the strict parsers refuse, durations with one or several
 * units and their overflow, and fractions. Failed parses must leave the
 * outputs untouched and report PX_E_NUMBER. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "common/number.h"

#define SENTINEL_U 0x5a5a5a5a5a5a5a5aull
#define SENTINEL_I ((int64_t)0x5a5a5a5a5a5a5a5all)
#define S_NS 1000000000ull

static void assert_err(const struct px_err *err, int code, const char *fragment)
{
	assert_int_equal(err->code, code);
	if (!strstr(err->msg, fragment))
		fail_msg("message \"%s\" lacks \"%s\"", err->msg, fragment);
}

static void u64_ok(const char *s, uint64_t want)
{
	struct px_err err = { 0 };
	uint64_t v = SENTINEL_U;

	if (!px_parse_u64(&err, &v, s, strlen(s)))
		fail_msg("\"%s\": %s", s, err.msg);
	assert_int_equal(err.code, PX_OK);
	assert_true(v == want);
}

static void u64_bad(const char *s, size_t len, const char *fragment)
{
	struct px_err err = { 0 };
	uint64_t v = SENTINEL_U;

	if (px_parse_u64(&err, &v, s, len))
		fail_msg("\"%s\" was accepted", s);
	assert_err(&err, PX_E_NUMBER, fragment);
	assert_true(v == SENTINEL_U);
}

static void i64_ok(const char *s, int64_t want)
{
	struct px_err err = { 0 };
	int64_t v = SENTINEL_I;

	if (!px_parse_i64(&err, &v, s, strlen(s)))
		fail_msg("\"%s\": %s", s, err.msg);
	assert_int_equal(err.code, PX_OK);
	assert_true(v == want);
}

static void i64_bad(const char *s, const char *fragment)
{
	struct px_err err = { 0 };
	int64_t v = SENTINEL_I;

	if (px_parse_i64(&err, &v, s, strlen(s)))
		fail_msg("\"%s\" was accepted", s);
	assert_err(&err, PX_E_NUMBER, fragment);
	assert_true(v == SENTINEL_I);
}

static void dur_ok(const char *s, uint64_t want)
{
	struct px_err err = { 0 };
	uint64_t v = SENTINEL_U;

	if (!px_parse_duration(&err, &v, s, strlen(s)))
		fail_msg("\"%s\": %s", s, err.msg);
	assert_int_equal(err.code, PX_OK);
	if (v != want)
		fail_msg("\"%s\": got %llu, want %llu", s, (unsigned long long)v,
			 (unsigned long long)want);
}

static void dur_bad(const char *s, const char *fragment)
{
	struct px_err err = { 0 };
	uint64_t v = SENTINEL_U;

	if (px_parse_duration(&err, &v, s, strlen(s)))
		fail_msg("\"%s\" was accepted", s);
	assert_err(&err, PX_E_NUMBER, fragment);
	assert_true(v == SENTINEL_U);
}

static void frac_ok(const char *s, uint64_t num, uint64_t den)
{
	struct px_err err = { 0 };
	uint64_t n = SENTINEL_U, d = SENTINEL_U;

	if (!px_parse_fraction(&err, &n, &d, s, strlen(s)))
		fail_msg("\"%s\": %s", s, err.msg);
	assert_int_equal(err.code, PX_OK);
	assert_true(n == num);
	assert_true(d == den);
}

static void frac_bad(const char *s, const char *fragment)
{
	struct px_err err = { 0 };
	uint64_t n = SENTINEL_U, d = SENTINEL_U;

	if (px_parse_fraction(&err, &n, &d, s, strlen(s)))
		fail_msg("\"%s\" was accepted", s);
	assert_err(&err, PX_E_NUMBER, fragment);
	assert_true(n == SENTINEL_U);
	assert_true(d == SENTINEL_U);
}

static void test_u64_accepts(void **state)
{
	(void)state;
	u64_ok("0", 0);
	u64_ok("1", 1);
	u64_ok("42", 42);
	u64_ok("1000000", 1000000);
	u64_ok("4294967296", 4294967296ull);
	u64_ok("18446744073709551614", UINT64_MAX - 1);
	u64_ok("18446744073709551615", UINT64_MAX);
}

static void test_u64_uses_len_not_nul(void **state)
{
	struct px_err err = { 0 };
	uint64_t v = 0;

	(void)state;
	assert_true(px_parse_u64(&err, &v, "12345", 2));
	assert_true(v == 12);
	/* NULL with length 0 is an empty string, not a crash. */
	u64_bad(NULL, 0, "number: no digits");
}

static void test_u64_rejects(void **state)
{
	(void)state;
	u64_bad("", 0, "number: no digits at offset 0");
	u64_bad("+1", 2, "unexpected character \"+\" at offset 0");
	u64_bad(" 1", 2, "unexpected character \" \" at offset 0");
	u64_bad("1 ", 2, "unexpected character \" \" at offset 1");
	u64_bad("-1", 2, "unexpected character \"-\" at offset 0");
	u64_bad("-0", 2, "unexpected character \"-\" at offset 0");
	u64_bad("1a", 2, "unexpected character \"a\" at offset 1");
	u64_bad("0x10", 4, "unexpected character \"x\" at offset 1");
	u64_bad("1.0", 3, "unexpected character \".\" at offset 1");
	u64_bad("1e3", 3, "unexpected character \"e\" at offset 1");
	u64_bad("1\n", 2, "unexpected character \"\\x0a\" at offset 1");
	u64_bad("1\0" "2", 3, "unexpected character \"\\x00\" at offset 1");
	u64_bad("\xd9\xa1", 2, "unexpected character \"\\xd9\" at offset 0");
	u64_bad("01", 2, "number: leading zero in \"01\"");
	u64_bad("00", 2, "leading zero");
	u64_bad("007", 3, "leading zero in \"007\"");
}

static void test_u64_overflow(void **state)
{
	(void)state;
	u64_bad("18446744073709551616", 20,
		"number: \"18446744073709551616\" does not fit in 64 bits");
	u64_bad("18446744073709551620", 20, "does not fit in 64 bits");
	u64_bad("99999999999999999999", 20, "does not fit in 64 bits");
	u64_bad("184467440737095516150", 21, "does not fit in 64 bits");
	/* A long number is cut short in the message, not copied whole. */
	u64_bad("1000000000000000000000000000000000000000000000000000000000000000", 64,
		"...\" does not fit");
}

static void test_i64_accepts(void **state)
{
	(void)state;
	i64_ok("0", 0);
	i64_ok("1", 1);
	i64_ok("-1", -1);
	i64_ok("123", 123);
	i64_ok("-123", -123);
	i64_ok("9223372036854775807", INT64_MAX);
	i64_ok("-9223372036854775807", -INT64_MAX);
	i64_ok("-9223372036854775808", INT64_MIN);
}

static void test_i64_rejects(void **state)
{
	(void)state;
	i64_bad("", "number: no digits at offset 0");
	i64_bad("-", "number: no digits at offset 1");
	i64_bad("-0", "number: negative zero");
	i64_bad("-00", "leading zero");
	i64_bad("-01", "leading zero in \"01\"");
	i64_bad("01", "leading zero");
	i64_bad("--1", "unexpected character \"-\" at offset 1");
	i64_bad("+5", "unexpected character \"+\" at offset 0");
	i64_bad(" -1", "unexpected character \" \" at offset 0");
	i64_bad("- 1", "unexpected character \" \" at offset 1");
	i64_bad("-1 ", "unexpected character \" \" at offset 2");
	i64_bad("1-", "unexpected character \"-\" at offset 1");
	i64_bad("9223372036854775808",
		"number: \"9223372036854775808\" is above the int64 maximum");
	i64_bad("18446744073709551615", "above the int64 maximum");
	i64_bad("-9223372036854775809",
		"number: \"-9223372036854775809\" is below the int64 minimum");
	i64_bad("-18446744073709551615", "below the int64 minimum");
	i64_bad("18446744073709551616", "does not fit in 64 bits");
	i64_bad("-18446744073709551616", "does not fit in 64 bits");
}

static void test_duration_accepts(void **state)
{
	(void)state;
	dur_ok("1400s", 1400 * S_NS);
	dur_ok("336h", 336 * 3600 * S_NS);
	dur_ok("100ms", 100000000ull);
	dur_ok("1h30m", 5400 * S_NS);
	dur_ok("1ns", 1);
	dur_ok("7us", 7000);
	dur_ok("2m", 120 * S_NS);
	dur_ok("0s", 0);
	/* Go's Duration.String() form. */
	dur_ok("336h0m0s", 336 * 3600 * S_NS);
	dur_ok("1h2m3s4ms5us6ns", 3723 * S_NS + 4005006);
	dur_ok("18446744073709551615ns", UINT64_MAX);
	dur_ok("18446744073s", 18446744073ull * S_NS);
	dur_ok("5124095h", 5124095ull * 3600 * S_NS);
	/* 5124095h is 2073709551615ns short of UINT64_MAX: 34 minutes fit. */
	dur_ok("5124095h34m", 5124095ull * 3600 * S_NS + 34 * 60 * S_NS);
	dur_ok("5124095h34m33s709ms551us615ns", UINT64_MAX);
}

static void test_duration_rejects(void **state)
{
	(void)state;
	dur_bad("", "duration: empty");
	dur_bad("10", "duration: missing unit after \"10\"");
	dur_bad("1h30", "missing unit after \"30\"");
	dur_bad("5x", "duration: unknown unit \"x\" at offset 1");
	dur_bad("1S", "unknown unit \"S\"");
	dur_bad("1hh", "unknown unit \"hh\"");
	dur_bad("1sec", "unknown unit \"sec\"");
	dur_bad("1 s", "unknown unit \" s\"");
	dur_bad("1s ", "unknown unit \"s \"");
	dur_bad("1.5s", "unknown unit \".\" at offset 1");
	dur_bad("1\xc2\xb5s", "unknown unit \"\\xc2\\xb5s\"");
	dur_bad("s", "duration: expected digits at offset 0");
	dur_bad(" 1s", "expected digits at offset 0");
	dur_bad("-1s", "expected digits at offset 0");
	dur_bad("+1s", "expected digits at offset 0");
	dur_bad("01s", "duration: leading zero in \"01\"");
	dur_bad("1h05m", "leading zero in \"05\"");
	dur_bad("30m1h", "unit \"h\" at offset 4 out of order");
	dur_bad("1s1s", "unit \"s\" at offset 3 out of order");
	dur_bad("1ms1s", "out of order");
}

static void test_duration_overflow(void **state)
{
	(void)state;
	dur_bad("18446744073709551616ns", "duration: \"18446744073709551616\" does not fit");
	dur_bad("18446744074s", "duration: \"18446744074s\" does not fit in 64 bits");
	dur_bad("5124096h", "does not fit in 64 bits");
	/* Each group fits; their sum does not. */
	dur_bad("5124095h35m", "does not fit in 64 bits");
	dur_bad("5124095h34m33s709ms551us616ns", "does not fit in 64 bits");
}

static void test_fraction_accepts(void **state)
{
	(void)state;
	frac_ok("1/3", 1, 3);
	frac_ok("2/3", 2, 3);
	frac_ok("0/1", 0, 1);
	frac_ok("5/2", 5, 2);
	frac_ok("18446744073709551615/18446744073709551615", UINT64_MAX, UINT64_MAX);
}

static void test_fraction_rejects(void **state)
{
	(void)state;
	frac_bad("1/0", "fraction: zero denominator in \"1/0\"");
	frac_bad("1/", "fraction denominator: no digits at offset 2");
	frac_bad("/3", "fraction numerator: no digits at offset 0");
	frac_bad("/", "fraction numerator: no digits");
	frac_bad("1", "fraction: \"1\" has no '/'");
	frac_bad("", "has no '/'");
	frac_bad("1/3/4", "fraction denominator: unexpected character \"/\" at offset 3");
	frac_bad("1 /3", "fraction numerator: unexpected character \" \" at offset 1");
	frac_bad("1/ 3", "fraction denominator: unexpected character \" \" at offset 2");
	frac_bad("-1/3", "unexpected character \"-\" at offset 0");
	frac_bad("1/-3", "unexpected character \"-\" at offset 2");
	frac_bad("01/3", "fraction numerator: leading zero");
	frac_bad("1/03", "fraction denominator: leading zero");
	frac_bad("1/00", "fraction denominator: leading zero");
	frac_bad("0.5", "has no '/'");
	frac_bad("18446744073709551616/1",
		 "fraction numerator: \"18446744073709551616\" does not fit");
	frac_bad("1/18446744073709551616",
		 "fraction denominator: \"18446744073709551616\" does not fit");
}

static void test_first_error_wins(void **state)
{
	struct px_err err = { 0 };
	uint64_t v = 0;

	(void)state;
	assert_false(px_parse_u64(&err, &v, "01", 2));
	assert_false(px_parse_duration(&err, &v, "5x", 2));
	assert_err(&err, PX_E_NUMBER, "leading zero");
	assert_false(px_parse_u64(NULL, &v, "x", 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u64_accepts),
		cmocka_unit_test(test_u64_uses_len_not_nul),
		cmocka_unit_test(test_u64_rejects),
		cmocka_unit_test(test_u64_overflow),
		cmocka_unit_test(test_i64_accepts),
		cmocka_unit_test(test_i64_rejects),
		cmocka_unit_test(test_duration_accepts),
		cmocka_unit_test(test_duration_rejects),
		cmocka_unit_test(test_duration_overflow),
		cmocka_unit_test(test_fraction_accepts),
		cmocka_unit_test(test_fraction_rejects),
		cmocka_unit_test(test_first_error_wins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
