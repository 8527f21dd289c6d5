/* RFC 3339 timestamps to and from (seconds, nanos) since the Unix epoch.
 * Header times from CometBFT JSON are parsed here, and the same times are
 * formatted back the way Go's RFC3339Nano writes them in UTC, because the
 * canonical vote sign bytes and our JSON output must match what the chains
 * produce. The calendar arithmetic is done by hand (proleptic Gregorian,
 * no leap seconds) so the result never depends on the host's time zone,
 * locale or time_t width. */
#include "common/rfc3339.h"

#include <stdio.h>
#include <string.h>

#define NS_PER_S 1000000000
#define S_PER_DAY 86400

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
#define SECONDS_MIN (-62135596800LL)
#define SECONDS_MAX 253402300799LL

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil); exact for every year this module accepts. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

struct cursor {
	const char *s;
	size_t len;
	size_t pos;
};

/* Reads exactly n digits. */
static bool read_digits(struct px_err *err, struct cursor *c, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		char ch = c->pos < c->len ? c->s[c->pos] : '\0';

		if (ch < '0' || ch > '9')
			return px_err_set(err, PX_E_TIME, "time: expected a digit at offset %zu",
					  c->pos);
		v = v * 10 + (ch - '0');
		c->pos++;
	}
	*out = v;
	return true;
}

static bool read_char(struct px_err *err, struct cursor *c, char want)
{
	if (c->pos >= c->len || c->s[c->pos] != want)
		return px_err_set(err, PX_E_TIME, "time: expected '%c' at offset %zu", want,
				  c->pos);
	c->pos++;
	return true;
}

static bool read_field(struct px_err *err, struct cursor *c, int n, int *out, const char *name,
		       int lo, int hi)
{
	size_t at = c->pos;

	if (!read_digits(err, c, n, out))
		return false;
	if (*out < lo || *out > hi)
		return px_err_set(err, PX_E_TIME, "time: %s %d at offset %zu out of range %d..%d",
				  name, *out, at, lo, hi);
	return true;
}

bool px_time_parse(struct px_err *err, struct px_time *out, const char *s, size_t len)
{
	struct cursor c = { s, len, 0 };
	int year = 0, month = 0, day = 0, hour = 0, min = 0, sec = 0, oh = 0, om = 0;
	int32_t nanos = 0;
	int64_t seconds, offset = 0;
	size_t day_at;

	if (len == 0)
		return px_err_set(err, PX_E_TIME, "time: empty");
	if (!read_field(err, &c, 4, &year, "year", 1, 9999) || !read_char(err, &c, '-') ||
	    !read_field(err, &c, 2, &month, "month", 1, 12) || !read_char(err, &c, '-'))
		return false;
	day_at = c.pos;
	if (!read_field(err, &c, 2, &day, "day", 1, 31))
		return false;
	if (day > days_in_month(year, month))
		return px_err_set(err, PX_E_TIME,
				  "time: day %d at offset %zu does not exist in %04d-%02d", day,
				  day_at, year, month);
	if (!read_char(err, &c, 'T') || !read_field(err, &c, 2, &hour, "hour", 0, 23) ||
	    !read_char(err, &c, ':') || !read_field(err, &c, 2, &min, "minute", 0, 59) ||
	    !read_char(err, &c, ':') || !read_field(err, &c, 2, &sec, "second", 0, 59))
		return false;

	if (c.pos < len && s[c.pos] == '.') {
		size_t start = ++c.pos;
		int32_t scale = NS_PER_S;

		while (c.pos < len && s[c.pos] >= '0' && s[c.pos] <= '9') {
			if (c.pos - start == 9)
				return px_err_set(
					err, PX_E_TIME,
					"time: more than 9 fractional digits at offset %zu", start);
			scale /= 10;
			nanos += (int32_t)(s[c.pos] - '0') * scale;
			c.pos++;
		}
		if (c.pos == start)
			return px_err_set(err, PX_E_TIME,
					  "time: no digits after '.' at offset %zu", start);
	}

	if (c.pos < len && s[c.pos] == 'Z') {
		c.pos++;
	} else if (c.pos < len && (s[c.pos] == '+' || s[c.pos] == '-')) {
		int sign = s[c.pos] == '-' ? -1 : 1;

		c.pos++;
		if (!read_field(err, &c, 2, &oh, "offset hour", 0, 23) ||
		    !read_char(err, &c, ':') ||
		    !read_field(err, &c, 2, &om, "offset minute", 0, 59))
			return false;
		offset = sign * (oh * 3600 + om * 60);
	} else {
		return px_err_set(err, PX_E_TIME,
				  "time: expected 'Z' or a +hh:mm/-hh:mm offset at offset %zu",
				  c.pos);
	}
	if (c.pos != len)
		return px_err_set(err, PX_E_TIME, "time: trailing characters at offset %zu", c.pos);

	seconds = days_from_civil(year, month, day) * S_PER_DAY + hour * 3600 + min * 60 + sec -
		  offset;
	/* An offset can move a time at either end of the calendar outside it;
	 * such a time could not be formatted back, so it is refused here. */
	if (seconds < SECONDS_MIN || seconds > SECONDS_MAX)
		return px_err_set(err, PX_E_TIME, "time: outside years 0001..9999 in UTC");
	out->seconds = seconds;
	out->nanos = nanos;
	return true;
}

bool px_time_format(char out[PX_TIME_STR_MAX], struct px_time t)
{
	int64_t days, rem, year;
	int month, day, n, width = 9;
	int32_t frac = t.nanos;
	char buf[PX_TIME_STR_MAX];

	if (t.seconds < SECONDS_MIN || t.seconds > SECONDS_MAX || t.nanos < 0 ||
	    t.nanos >= NS_PER_S)
		return false;
	days = t.seconds / S_PER_DAY;
	rem = t.seconds % S_PER_DAY;
	if (rem < 0) {
		rem += S_PER_DAY;
		days--;
	}
	civil_from_days(days, &year, &month, &day);
	n = snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d", (int)year, month, day,
		     (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
	if (frac != 0) {
		while (frac % 10 == 0) {
			frac /= 10;
			width--;
		}
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, ".%0*d", width, (int)frac);
	}
	n += snprintf(buf + n, sizeof(buf) - (size_t)n, "Z");
	if (n <= 0 || (size_t)n >= sizeof(buf))
		return false;
	memcpy(out, buf, (size_t)n + 1);
	return true;
}

int px_time_cmp(struct px_time a, struct px_time b)
{
	if (a.seconds != b.seconds)
		return a.seconds < b.seconds ? -1 : 1;
	if (a.nanos != b.nanos)
		return a.nanos < b.nanos ? -1 : 1;
	return 0;
}

bool px_time_add_ns(struct px_time *out, struct px_time a, uint64_t d_ns)
{
	/* At most about 1.8e10, so the cast cannot overflow. */
	int64_t d_s = (int64_t)(d_ns / NS_PER_S);
	int32_t nanos;
	int64_t seconds;

	if (a.nanos < 0 || a.nanos >= NS_PER_S)
		return false;
	nanos = a.nanos + (int32_t)(d_ns % NS_PER_S);
	if (nanos >= NS_PER_S) {
		nanos -= NS_PER_S;
		d_s++;
	}
	if (__builtin_add_overflow(a.seconds, d_s, &seconds))
		return false;
	out->seconds = seconds;
	out->nanos = nanos;
	return true;
}
