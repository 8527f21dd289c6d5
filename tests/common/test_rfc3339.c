/* Unit tests for common/rfc3339.c: known instants (epoch, Go's zero time,
 * the last second of year 9999, leap days), numeric offsets, every field
 * and character the parser refuses, Go RFC3339Nano formatting, and a sweep
 * of the calendar checked against the C library's gmtime_r as an
 * independent oracle. Failed calls must leave their output untouched. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/rfc3339.h"

#define GO_ZERO_SECONDS (-62135596800LL)
#define YEAR_9999_END 253402300799LL

static const struct px_time sentinel = { 0x5a5a5a5a5a5aLL, 0x5a5a5a };

static void assert_err(const struct px_err *err, int code, const char *fragment)
{
	assert_int_equal(err->code, code);
	if (!strstr(err->msg, fragment))
		fail_msg("message \"%s\" lacks \"%s\"", err->msg, fragment);
}

static void parse_ok(const char *s, int64_t seconds, int32_t nanos)
{
	struct px_err err = { 0 };
	struct px_time t = sentinel;

	if (!px_time_parse(&err, &t, s, strlen(s)))
		fail_msg("\"%s\": %s", s, err.msg);
	assert_int_equal(err.code, PX_OK);
	if (t.seconds != seconds || t.nanos != nanos)
		fail_msg("\"%s\": got %lld.%09d, want %lld.%09d", s, (long long)t.seconds,
			 (int)t.nanos, (long long)seconds, (int)nanos);
}

static void parse_bad_len(const char *s, size_t len, const char *fragment)
{
	struct px_err err = { 0 };
	struct px_time t = sentinel;

	if (px_time_parse(&err, &t, s, len))
		fail_msg("\"%s\" was accepted", s);
	assert_err(&err, PX_E_TIME, fragment);
	assert_true(t.seconds == sentinel.seconds);
	assert_true(t.nanos == sentinel.nanos);
}

static void parse_bad(const char *s, const char *fragment)
{
	parse_bad_len(s, strlen(s), fragment);
}

static void format_ok(int64_t seconds, int32_t nanos, const char *want)
{
	struct px_time t = { seconds, nanos };
	char out[PX_TIME_STR_MAX];

	assert_true(px_time_format(out, t));
	assert_string_equal(out, want);
}

static void format_bad(int64_t seconds, int32_t nanos)
{
	struct px_time t = { seconds, nanos };
	char out[PX_TIME_STR_MAX];

	memset(out, 'X', sizeof(out));
	assert_false(px_time_format(out, t));
	assert_int_equal(out[0], 'X');
	assert_int_equal(out[PX_TIME_STR_MAX - 1], 'X');
}

static void test_parse_known(void **state)
{
	(void)state;
	parse_ok("2019-11-02T15:04:10.123456789Z", 1572707050, 123456789);
	parse_ok("2019-11-02T15:04:10Z", 1572707050, 0);
	parse_ok("1970-01-01T00:00:00Z", 0, 0);
	parse_ok("1970-01-01T00:00:01Z", 1, 0);
	parse_ok("1969-12-31T23:59:59Z", -1, 0);
	parse_ok("1969-12-31T23:59:59.5Z", -1, 500000000);
	parse_ok("0001-01-01T00:00:00Z", GO_ZERO_SECONDS, 0);
	parse_ok("9999-12-31T23:59:59.999999999Z", YEAR_9999_END, 999999999);
	parse_ok("2038-01-19T03:14:08Z", 2147483648LL, 0);
	parse_ok("1901-12-13T20:45:52Z", -2147483648LL, 0);
	parse_ok("1600-03-01T00:00:00Z", -11670912000LL, 0);
}

static void test_parse_fraction(void **state)
{
	(void)state;
	parse_ok("1970-01-01T00:00:00.1Z", 0, 100000000);
	parse_ok("1970-01-01T00:00:00.12Z", 0, 120000000);
	parse_ok("1970-01-01T00:00:00.120Z", 0, 120000000);
	parse_ok("1970-01-01T00:00:00.000000001Z", 0, 1);
	parse_ok("1970-01-01T00:00:00.0Z", 0, 0);
	parse_ok("1970-01-01T00:00:00.000000000Z", 0, 0);
	parse_ok("1970-01-01T00:00:00.999999999+00:00", 0, 999999999);
}

static void test_parse_offsets(void **state)
{
	(void)state;
	parse_ok("2019-11-02T17:04:10.123456789+02:00", 1572707050, 123456789);
	parse_ok("2019-11-02T13:04:10-02:00", 1572707050, 0);
	parse_ok("2019-11-02T20:34:10+05:30", 1572707050, 0);
	parse_ok("2019-11-02T15:04:10+00:00", 1572707050, 0);
	parse_ok("2019-11-02T15:04:10-00:00", 1572707050, 0);
	/* Offsets that cross a day, a month and a year boundary. */
	parse_ok("1970-01-01T01:00:00+02:00", -3600, 0);
	parse_ok("1969-12-31T23:00:00-23:59", 82740, 0);
	parse_ok("2020-03-01T00:30:00+01:00", 1583019000, 0);
	/* The extreme instants, reached through an offset. */
	parse_ok("0001-01-01T01:00:00+01:00", GO_ZERO_SECONDS, 0);
	parse_ok("9999-12-31T22:59:59-01:00", YEAR_9999_END, 0);
}

static void test_parse_leap_years(void **state)
{
	(void)state;
	parse_ok("2020-02-29T00:00:00Z", 1582934400, 0);
	parse_ok("2000-02-29T12:00:00Z", 951825600, 0);
	parse_ok("2019-02-28T00:00:00Z", 1551312000, 0);
	parse_ok("2019-03-01T00:00:00Z", 1551398400, 0);
	parse_bad("2019-02-29T00:00:00Z", "time: day 29 at offset 8 does not exist in 2019-02");
	parse_bad("1900-02-29T00:00:00Z", "does not exist in 1900-02");
	parse_bad("2100-02-29T00:00:00Z", "does not exist in 2100-02");
	parse_bad("2020-02-30T00:00:00Z", "day 30 at offset 8 does not exist");
	parse_bad("2019-04-31T00:00:00Z", "day 31 at offset 8 does not exist in 2019-04");
	parse_bad("2019-06-31T00:00:00Z", "does not exist");
	parse_bad("2019-09-31T00:00:00Z", "does not exist");
	parse_bad("2019-11-31T00:00:00Z", "does not exist");
}

static void test_parse_rejects_ranges(void **state)
{
	(void)state;
	parse_bad("0000-01-01T00:00:00Z", "time: year 0 at offset 0 out of range 1..9999");
	parse_bad("2019-00-01T00:00:00Z", "month 0 at offset 5 out of range 1..12");
	parse_bad("2019-13-01T00:00:00Z", "month 13 at offset 5 out of range");
	parse_bad("2019-01-00T00:00:00Z", "day 0 at offset 8 out of range 1..31");
	parse_bad("2019-01-32T00:00:00Z", "day 32 at offset 8 out of range");
	parse_bad("2019-01-01T24:00:00Z", "hour 24 at offset 11 out of range 0..23");
	parse_bad("2019-01-01T00:60:00Z", "minute 60 at offset 14 out of range 0..59");
	parse_bad("2019-01-01T00:00:60Z", "second 60 at offset 17 out of range 0..59");
	parse_bad("2016-12-31T23:59:60Z", "second 60");
	parse_bad("2019-01-01T00:00:00+24:00", "offset hour 24 at offset 20 out of range");
	parse_bad("2019-01-01T00:00:00+02:60", "offset minute 60 at offset 23 out of range");
	/* Valid fields whose UTC instant falls outside years 0001..9999. */
	parse_bad("0001-01-01T00:00:00+00:01", "time: outside years 0001..9999 in UTC");
	parse_bad("9999-12-31T23:59:59-00:01", "outside years 0001..9999");
}

static void test_parse_rejects_syntax(void **state)
{
	(void)state;
	parse_bad("", "time: empty");
	parse_bad("2019-11-02", "expected 'T' at offset 10");
	parse_bad("2019-11-02 15:04:10Z", "expected 'T' at offset 10");
	parse_bad("2019-11-02t15:04:10Z", "expected 'T' at offset 10");
	parse_bad("2019-11-0215:04:10Z", "expected 'T' at offset 10");
	parse_bad("2019-11-02T15:04:10z", "expected 'Z' or a +hh:mm/-hh:mm offset at offset 19");
	parse_bad("2019-11-02T15:04:10", "expected 'Z' or a +hh:mm/-hh:mm offset at offset 19");
	parse_bad("2019-11-02T15:04:10 Z", "expected 'Z' or");
	parse_bad("2019-11-02T15:04:10UTC", "expected 'Z' or");
	parse_bad("2019-11-02T15:04:10Z ", "trailing characters at offset 20");
	parse_bad("2019-11-02T15:04:10ZZ", "trailing characters at offset 20");
	parse_bad("2019-11-02T15:04:10.5Zjunk", "trailing characters at offset 22");
	parse_bad("2019-11-02T15:04:10+02:00junk", "trailing characters at offset 25");
	parse_bad("2019-11-02T15:04:10+02:00Z", "trailing characters at offset 25");
	parse_bad("2019-11-02T15:04:10+0200", "expected ':' at offset 22");
	parse_bad("2019-11-02T15:04:10+2:00", "expected a digit at offset 21");
	parse_bad("2019-11-02T15:04:10+02", "expected ':' at offset 22");
	parse_bad("2019-11-02T15:04:10+02:0", "expected a digit at offset 24");
	parse_bad(" 2019-11-02T15:04:10Z", "expected a digit at offset 0");
	parse_bad("+2019-11-02T15:04:10Z", "expected a digit at offset 0");
	parse_bad("19-11-02T15:04:10Z", "expected a digit at offset 2");
	parse_bad("12019-11-02T15:04:10Z", "expected '-' at offset 4");
	parse_bad("2019/11/02T15:04:10Z", "expected '-' at offset 4");
	parse_bad("2019-1-02T15:04:10Z", "expected a digit at offset 6");
	parse_bad("2019-11-2T15:04:10Z", "expected a digit at offset 9");
	parse_bad("2019-11-02T5:04:10Z", "expected a digit at offset 12");
	parse_bad("2019-11-02T15-04-10Z", "expected ':' at offset 13");
	parse_bad("2019-11-02T15:04Z", "expected ':' at offset 16");
	parse_bad("2019-11-02T15:04:1Z", "expected a digit at offset 18");
	parse_bad("2019-11-02T15:04:10.Z", "no digits after '.' at offset 20");
	parse_bad("2019-11-02T15:04:10.", "no digits after '.' at offset 20");
	parse_bad("2019-11-02T15:04:10,5Z", "expected 'Z' or");
	parse_bad("2019-11-02T15:04:10.1234567890Z", "more than 9 fractional digits at offset 20");
	parse_bad("2019-11-02T15:04:10.0000000000Z", "more than 9 fractional digits");
	parse_bad("2019-11-02T15:04:10.12345678901234567890Z", "more than 9 fractional digits");
	parse_bad("2019-11-02T15:04:10.1234567890+02:00", "more than 9 fractional digits");
	parse_bad("\xef\xbc\x92" "019-11-02T15:04:10Z", "expected a digit at offset 0");
}

static void test_parse_uses_len(void **state)
{
	static const char s[] = "2019-11-02T15:04:10ZXYZ";
	struct px_err err = { 0 };
	struct px_time t = sentinel;

	(void)state;
	assert_true(px_time_parse(&err, &t, s, 20));
	assert_true(t.seconds == 1572707050 && t.nanos == 0);
	/* A NUL inside the given length is a character like any other. */
	parse_bad_len("2019-11-02T15:04:10Z\0", 21, "trailing characters at offset 20");
	parse_bad_len("2019-11-02T15:04:1\0Z", 20, "expected a digit at offset 18");
	/* Cut short anywhere, the input is refused. */
	parse_bad_len(s, 19, "expected 'Z' or");
	parse_bad_len(s, 4, "expected '-' at offset 4");
	parse_bad_len(s, 1, "expected a digit at offset 1");
	parse_bad_len(NULL, 0, "time: empty");
}

static void test_format(void **state)
{
	(void)state;
	format_ok(0, 0, "1970-01-01T00:00:00Z");
	format_ok(1572707050, 123456789, "2019-11-02T15:04:10.123456789Z");
	format_ok(1572707050, 0, "2019-11-02T15:04:10Z");
	format_ok(1572707050, 100000000, "2019-11-02T15:04:10.1Z");
	format_ok(1572707050, 120000000, "2019-11-02T15:04:10.12Z");
	format_ok(1572707050, 123456780, "2019-11-02T15:04:10.12345678Z");
	format_ok(1572707050, 1, "2019-11-02T15:04:10.000000001Z");
	format_ok(1572707050, 10, "2019-11-02T15:04:10.00000001Z");
	format_ok(1572707050, 1000, "2019-11-02T15:04:10.000001Z");
	format_ok(-1, 500000000, "1969-12-31T23:59:59.5Z");
	format_ok(-86400, 0, "1969-12-31T00:00:00Z");
	format_ok(-86401, 0, "1969-12-30T23:59:59Z");
	format_ok(1582934400, 0, "2020-02-29T00:00:00Z");
	format_ok(951825600, 0, "2000-02-29T12:00:00Z");
	format_ok(-11670912000LL, 0, "1600-03-01T00:00:00Z");
	format_ok(GO_ZERO_SECONDS, 0, "0001-01-01T00:00:00Z");
	format_ok(YEAR_9999_END, 999999999, "9999-12-31T23:59:59.999999999Z");
	assert_int_equal(strlen("9999-12-31T23:59:59.999999999Z") + 1 <= PX_TIME_STR_MAX, 1);
}

static void test_format_rejects(void **state)
{
	(void)state;
	format_bad(GO_ZERO_SECONDS - 1, 0);
	format_bad(GO_ZERO_SECONDS - 1, 999999999);
	format_bad(YEAR_9999_END + 1, 0);
	format_bad(INT64_MIN, 0);
	format_bad(INT64_MAX, 0);
	format_bad(0, -1);
	format_bad(0, 1000000000);
	format_bad(0, INT32_MIN);
	format_bad(0, INT32_MAX);
}

static void test_round_trip_strings(void **state)
{
	static const char *const canonical[] = {
		"2019-11-02T15:04:10.123456789Z",
		"1970-01-01T00:00:00Z",
		"0001-01-01T00:00:00Z",
		"9999-12-31T23:59:59.999999999Z",
		"2020-02-29T23:59:59.5Z",
		"1969-12-31T23:59:59.000000001Z",
		"2023-06-30T12:34:56.78Z",
	};
	static const char *const other[][2] = {
		{ "2019-11-02T17:04:10.123456789+02:00", "2019-11-02T15:04:10.123456789Z" },
		{ "2019-11-02T15:04:10.120000000Z", "2019-11-02T15:04:10.12Z" },
		{ "2019-11-02T15:04:10.000Z", "2019-11-02T15:04:10Z" },
		{ "2020-03-01T00:30:00+01:00", "2020-02-29T23:30:00Z" },
		{ "2000-12-31T23:00:00-01:00", "2001-01-01T00:00:00Z" },
	};
	struct px_err err = { 0 };
	struct px_time t;
	char out[PX_TIME_STR_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(canonical) / sizeof(canonical[0]); i++) {
		assert_true(px_time_parse(&err, &t, canonical[i], strlen(canonical[i])));
		assert_true(px_time_format(out, t));
		assert_string_equal(out, canonical[i]);
	}
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		assert_true(px_time_parse(&err, &t, other[i][0], strlen(other[i][0])));
		assert_true(px_time_format(out, t));
		assert_string_equal(out, other[i][1]);
	}
	assert_int_equal(err.code, PX_OK);
}

/* Walks the whole calendar in steps that land on every day of the year
 * over time, compares with gmtime_r, and parses each result back. */
static void test_calendar_sweep(void **state)
{
	struct px_err err = { 0 };
	char out[PX_TIME_STR_MAX], want[64];
	int64_t s;
	long count = 0;

	(void)state;
	for (s = GO_ZERO_SECONDS; s <= YEAR_9999_END; s += 86400LL * 13 + 3607) {
		struct px_time t = { s, (int32_t)(count * 7919 % 1000000000) };
		struct px_time back;
		time_t tt = (time_t)s;
		struct tm tm;

		assert_non_null(gmtime_r(&tt, &tm));
		snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		assert_true(px_time_format(out, t));
		if (strncmp(out, want, 19) != 0)
			fail_msg("%lld: got %s, want %s", (long long)s, out, want);
		assert_true(px_time_parse(&err, &back, out, strlen(out)));
		assert_true(back.seconds == t.seconds && back.nanos == t.nanos);
		count++;
	}
	assert_true(count > 250000);
}

static void test_cmp(void **state)
{
	struct px_time a = { 10, 5 }, b = { 10, 6 }, c = { 11, 0 }, d = { -1, 999999999 };

	(void)state;
	assert_int_equal(px_time_cmp(a, a), 0);
	assert_int_equal(px_time_cmp(a, b), -1);
	assert_int_equal(px_time_cmp(b, a), 1);
	assert_int_equal(px_time_cmp(b, c), -1);
	assert_int_equal(px_time_cmp(c, a), 1);
	assert_int_equal(px_time_cmp(d, a), -1);
	a.seconds = INT64_MIN;
	c.seconds = INT64_MAX;
	assert_int_equal(px_time_cmp(a, c), -1);
	assert_int_equal(px_time_cmp(c, a), 1);
}

static void test_add_ns(void **state)
{
	struct px_time t = sentinel, start;
	struct px_err err = { 0 };
	char out[PX_TIME_STR_MAX];

	(void)state;
	start = (struct px_time){ 0, 999999999 };
	assert_true(px_time_add_ns(&t, start, 1));
	assert_true(t.seconds == 1 && t.nanos == 0);
	assert_true(px_time_add_ns(&t, start, 0));
	assert_true(t.seconds == 0 && t.nanos == 999999999);
	assert_true(px_time_add_ns(&t, start, 1000000000));
	assert_true(t.seconds == 1 && t.nanos == 999999999);
	assert_true(px_time_add_ns(&t, start, 1999999999));
	assert_true(t.seconds == 2 && t.nanos == 999999998);

	start = (struct px_time){ -1, 500000000 };
	assert_true(px_time_add_ns(&t, start, 500000000));
	assert_true(t.seconds == 0 && t.nanos == 0);

	start = (struct px_time){ 0, 0 };
	assert_true(px_time_add_ns(&t, start, UINT64_MAX));
	assert_true(t.seconds == 18446744073LL && t.nanos == 709551615);

	/* A trusting period of 336h added to a header time. */
	assert_true(px_time_parse(&err, &start, "2019-11-02T15:04:10.5Z", 22));
	assert_true(px_time_add_ns(&t, start, 336ull * 3600 * 1000000000));
	assert_true(px_time_format(out, t));
	assert_string_equal(out, "2019-11-16T15:04:10.5Z");

	/* The edge of int64 seconds. */
	start = (struct px_time){ INT64_MAX - 1, 999999999 };
	assert_true(px_time_add_ns(&t, start, 1));
	assert_true(t.seconds == INT64_MAX && t.nanos == 0);
	start = (struct px_time){ INT64_MAX - 18446744074LL, 290448385 };
	assert_true(px_time_add_ns(&t, start, UINT64_MAX));
	assert_true(t.seconds == INT64_MAX && t.nanos == 0);
	start = (struct px_time){ INT64_MAX - 18446744073LL, 290448384 };
	assert_true(px_time_add_ns(&t, start, UINT64_MAX));
	assert_true(t.seconds == INT64_MAX && t.nanos == 999999999);
	start = (struct px_time){ INT64_MIN, 0 };
	assert_true(px_time_add_ns(&t, start, UINT64_MAX));
	assert_true(t.seconds == INT64_MIN + 18446744073LL && t.nanos == 709551615);
}

static void test_add_ns_rejects(void **state)
{
	struct px_time t = sentinel, start;

	(void)state;
	start = (struct px_time){ INT64_MAX, 999999999 };
	assert_false(px_time_add_ns(&t, start, 1));
	start = (struct px_time){ INT64_MAX, 0 };
	assert_false(px_time_add_ns(&t, start, 1000000000));
	start = (struct px_time){ INT64_MAX - 18446744073LL, 290448385 };
	assert_false(px_time_add_ns(&t, start, UINT64_MAX));
	start = (struct px_time){ INT64_MAX - 18446744072LL, 0 };
	assert_false(px_time_add_ns(&t, start, UINT64_MAX));
	/* Nanos out of range is not a time at all. */
	start = (struct px_time){ 0, 1000000000 };
	assert_false(px_time_add_ns(&t, start, 0));
	start = (struct px_time){ 0, -1 };
	assert_false(px_time_add_ns(&t, start, 1));
	assert_true(t.seconds == sentinel.seconds && t.nanos == sentinel.nanos);
}

static void test_first_error_wins(void **state)
{
	struct px_err err = { 0 };
	struct px_time t;

	(void)state;
	assert_false(px_time_parse(&err, &t, "2019-02-29T00:00:00Z", 20));
	assert_false(px_time_parse(&err, &t, "x", 1));
	assert_err(&err, PX_E_TIME, "does not exist in 2019-02");
	assert_false(px_time_parse(NULL, &t, "x", 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_known),
		cmocka_unit_test(test_parse_fraction),
		cmocka_unit_test(test_parse_offsets),
		cmocka_unit_test(test_parse_leap_years),
		cmocka_unit_test(test_parse_rejects_ranges),
		cmocka_unit_test(test_parse_rejects_syntax),
		cmocka_unit_test(test_parse_uses_len),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_rejects),
		cmocka_unit_test(test_round_trip_strings),
		cmocka_unit_test(test_calendar_sweep),
		cmocka_unit_test(test_cmp),
		cmocka_unit_test(test_add_ns),
		cmocka_unit_test(test_add_ns_rejects),
		cmocka_unit_test(test_first_error_wins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
