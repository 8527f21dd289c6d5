/* Strict decimal numbers, durations and fractions, for the values that
 * arrive as strings: heights and amounts in RPC JSON, trusting periods and
 * trust levels in config.yaml and on the command line. Every input has one
 * accepted spelling; outputs are written only on success. */
#include "common/number.h"

#include <stdio.h>
#include <string.h>

/* Copies s[0..len) into dst for a message: printable ASCII as is, other
 * bytes as \xNN, cut with "..." when long, so hostile input cannot put
 * control characters or megabytes into an error message. */
static const char *quote(char *dst, size_t cap, const char *s, size_t len)
{
	size_t o = 0, i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		size_t need = (c >= 0x20 && c < 0x7f && c != '\\') ? 1 : 4;

		if (o + need + 4 > cap) {
			memcpy(dst + o, "...", 4);
			return dst;
		}
		if (need == 1)
			dst[o++] = (char)c;
		else
			o += (size_t)snprintf(dst + o, cap - o, "\\x%02x", c);
	}
	dst[o] = '\0';
	return dst;
}

/* The shared core: s[0..len) must be ASCII digits without a leading zero
 * and fit in uint64_t. what names the value in messages; base is the
 * offset of s in the caller's string. */
static bool parse_digits(struct px_err *err, uint64_t *out, const char *s, size_t len,
			 const char *what, size_t base)
{
	uint64_t v = 0;
	char q[48];
	size_t i;

	if (len == 0)
		return px_err_set(err, PX_E_NUMBER, "%s: no digits at offset %zu", what, base);
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return px_err_set(err, PX_E_NUMBER,
					  "%s: unexpected character \"%s\" at offset %zu", what,
					  quote(q, sizeof(q), s + i, 1), base + i);
	}
	if (len > 1 && s[0] == '0')
		return px_err_set(err, PX_E_NUMBER, "%s: leading zero in \"%s\"", what,
				  quote(q, sizeof(q), s, len));
	for (i = 0; i < len; i++) {
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(s[i] - '0'), &v))
			return px_err_set(err, PX_E_NUMBER, "%s: \"%s\" does not fit in 64 bits",
					  what, quote(q, sizeof(q), s, len));
	}
	*out = v;
	return true;
}

bool px_parse_u64(struct px_err *err, uint64_t *out, const char *s, size_t len)
{
	return parse_digits(err, out, s, len, "number", 0);
}

bool px_parse_i64(struct px_err *err, int64_t *out, const char *s, size_t len)
{
	bool neg = len > 0 && s[0] == '-';
	size_t skip = neg ? 1 : 0;
	uint64_t mag;
	char q[48];

	if (!parse_digits(err, &mag, neg ? s + 1 : s, len - skip, "number", skip))
		return false;
	if (neg && mag == 0)
		return px_err_set(err, PX_E_NUMBER, "number: negative zero \"-0\"");
	if (!neg && mag > (uint64_t)INT64_MAX)
		return px_err_set(err, PX_E_NUMBER, "number: \"%s\" is above the int64 maximum",
				  quote(q, sizeof(q), s, len));
	if (neg && mag > (uint64_t)INT64_MAX + 1)
		return px_err_set(err, PX_E_NUMBER, "number: \"%s\" is below the int64 minimum",
				  quote(q, sizeof(q), s, len));
	/* -(mag - 1) - 1 reaches INT64_MIN without a signed overflow. */
	*out = neg ? -(int64_t)(mag - 1) - 1 : (int64_t)mag;
	return true;
}

struct unit {
	const char *name;
	size_t len;
	uint64_t ns;
};

/* Largest first: a duration must name its units in this order. */
static const struct unit units[] = {
	{ "h", 1, 3600ull * 1000000000ull },
	{ "m", 1, 60ull * 1000000000ull },
	{ "s", 1, 1000000000ull },
	{ "ms", 2, 1000000ull },
	{ "us", 2, 1000ull },
	{ "ns", 2, 1ull },
};

#define UNIT_COUNT (sizeof(units) / sizeof(units[0]))
#define UNIT_NAMES "ns, us, ms, s, m, h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool px_parse_duration(struct px_err *err, uint64_t *out_ns, const char *s, size_t len)
{
	uint64_t total = 0;
	size_t prev = 0; /* index of the previous unit in units[], +1; 0 for none */
	size_t i = 0;
	char q[48];

	if (len == 0)
		return px_err_set(err, PX_E_NUMBER, "duration: empty");
	while (i < len) {
		size_t dstart = i, ustart, k;
		uint64_t n, part;

		while (i < len && is_digit(s[i]))
			i++;
		if (i == dstart)
			return px_err_set(err, PX_E_NUMBER,
					  "duration: expected digits at offset %zu in \"%s\"", i,
					  quote(q, sizeof(q), s, len));
		if (!parse_digits(err, &n, s + dstart, i - dstart, "duration", dstart))
			return false;
		ustart = i;
		while (i < len && !is_digit(s[i]))
			i++;
		if (i == ustart)
			return px_err_set(err, PX_E_NUMBER,
					  "duration: missing unit after \"%s\" (" UNIT_NAMES ")",
					  quote(q, sizeof(q), s + dstart, i - dstart));
		for (k = 0; k < UNIT_COUNT; k++) {
			if (units[k].len == i - ustart &&
			    memcmp(units[k].name, s + ustart, i - ustart) == 0)
				break;
		}
		if (k == UNIT_COUNT)
			return px_err_set(err, PX_E_NUMBER,
					  "duration: unknown unit \"%s\" at offset %zu "
					  "(" UNIT_NAMES ")",
					  quote(q, sizeof(q), s + ustart, i - ustart), ustart);
		/* Largest unit first, each once: "1h30m", never "30m1h" or "1s1s". */
		if (prev != 0 && k + 1 <= prev)
			return px_err_set(err, PX_E_NUMBER,
					  "duration: unit \"%s\" at offset %zu out of order "
					  "(largest first, each once)",
					  units[k].name, ustart);
		prev = k + 1;
		if (__builtin_mul_overflow(n, units[k].ns, &part) ||
		    __builtin_add_overflow(total, part, &total))
			return px_err_set(err, PX_E_NUMBER,
					  "duration: \"%s\" does not fit in 64 bits of nanoseconds",
					  quote(q, sizeof(q), s, len));
	}
	*out_ns = total;
	return true;
}

bool px_parse_fraction(struct px_err *err, uint64_t *num, uint64_t *den, const char *s,
		       size_t len)
{
	const char *slash = len > 0 ? memchr(s, '/', len) : NULL;
	uint64_t n, d;
	size_t at;
	char q[48];

	if (!slash)
		return px_err_set(err, PX_E_NUMBER, "fraction: \"%s\" has no '/' (want N/D)",
				  quote(q, sizeof(q), s, len));
	at = (size_t)(slash - s);
	if (!parse_digits(err, &n, s, at, "fraction numerator", 0) ||
	    !parse_digits(err, &d, s + at + 1, len - at - 1, "fraction denominator", at + 1))
		return false;
	if (d == 0)
		return px_err_set(err, PX_E_NUMBER, "fraction: zero denominator in \"%s\"",
				  quote(q, sizeof(q), s, len));
	*num = n;
	*den = d;
	return true;
}
