/* Leveled logging to one stream (stderr by default): human-readable lines,
 * or one JSON object per line for log collectors. Messages never carry
 * secrets; callers are responsible for that. */
#ifndef PX_COMMON_LOG_H
#define PX_COMMON_LOG_H

#include <stdbool.h>
#include <stdio.h>

#include "common/errors.h"

enum px_log_level {
	PX_LOG_DEBUG,
	PX_LOG_INFO,
	PX_LOG_WARN,
	PX_LOG_ERROR,
	PX_LOG_OFF,
};

enum px_log_format {
	PX_LOG_TEXT,
	PX_LOG_JSON,
};

/* out NULL means stderr. */
void px_log_setup(enum px_log_level min, enum px_log_format format, FILE *out);

bool px_log_level_parse(struct px_err *err, enum px_log_level *out, const char *s) PX_MUST_CHECK;
bool px_log_format_parse(struct px_err *err, enum px_log_format *out, const char *s) PX_MUST_CHECK;
const char *px_log_level_name(enum px_log_level level);

bool px_log_enabled(enum px_log_level level);

void px_log(enum px_log_level level, const char *module, const char *fmt, ...) PX_PRINTF(3, 4);

#define px_debug(mod, ...) px_log(PX_LOG_DEBUG, mod, __VA_ARGS__)
#define px_info(mod, ...) px_log(PX_LOG_INFO, mod, __VA_ARGS__)
#define px_warn(mod, ...) px_log(PX_LOG_WARN, mod, __VA_ARGS__)
#define px_error(mod, ...) px_log(PX_LOG_ERROR, mod, __VA_ARGS__)

#endif
