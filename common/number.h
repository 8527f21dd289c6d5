/* Strict decimal parsing. Only ASCII digits (and one leading '-' for the
 * signed form) are accepted; no spaces, no '+', no overflow wrap. Leading
 * zeros are rejected ("007"), because the chains' encoders never write
 * them and two spellings of one number invite confusion. */
#ifndef PX_COMMON_NUMBER_H
#define PX_COMMON_NUMBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/errors.h"

bool px_parse_u64(struct px_err *err, uint64_t *out, const char *s, size_t len) PX_MUST_CHECK;
bool px_parse_i64(struct px_err *err, int64_t *out, const char *s, size_t len) PX_MUST_CHECK;

/* Durations like "1400s", "336h", "100ms", "1h30m": one or more
 * <digits><unit> groups with units ns, us, ms, s, m, h. Result in
 * nanoseconds; overflow is an error. */
bool px_parse_duration(struct px_err *err, uint64_t *out_ns, const char *s, size_t len) PX_MUST_CHECK;

/* A fraction "N/D" with 0 < D and both fitting in uint64_t. */
bool px_parse_fraction(struct px_err *err, uint64_t *num, uint64_t *den, const char *s,
		       size_t len) PX_MUST_CHECK;

#endif
