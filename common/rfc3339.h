/* RFC 3339 timestamps as CometBFT writes them (up to nine fractional
 * digits, "Z" or a numeric offset), to and from (seconds, nanos) since the
 * Unix epoch, the form protobuf Timestamp and the vote sign bytes use.
 * Years 0001..9999; Go's zero time is 0001-01-01T00:00:00Z. */
#ifndef PX_COMMON_RFC3339_H
#define PX_COMMON_RFC3339_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/errors.h"

struct px_time {
	int64_t seconds;
	int32_t nanos; /* 0 .. 999999999 */
};

/* Longest output of px_time_format, with the NUL. */
#define PX_TIME_STR_MAX 36

bool px_time_parse(struct px_err *err, struct px_time *out, const char *s, size_t len) PX_MUST_CHECK;

/* UTC, "Z", trailing zeros of the fraction dropped (Go's RFC3339Nano).
 * Returns false when t is outside years 0001..9999 or nanos is out of
 * range. */
bool px_time_format(char out[PX_TIME_STR_MAX], struct px_time t) PX_MUST_CHECK;

int px_time_cmp(struct px_time a, struct px_time b);

/* a + d nanoseconds; false on overflow. */
bool px_time_add_ns(struct px_time *out, struct px_time a, uint64_t d_ns) PX_MUST_CHECK;

#endif
