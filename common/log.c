/* Logging: a level filter and two line formats. Timestamps are UTC with
 * milliseconds. */
#include "common/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

static enum px_log_level min_level = PX_LOG_INFO;
static enum px_log_format log_format = PX_LOG_TEXT;
static FILE *log_out;

static const char *const level_names[] = {
	[PX_LOG_DEBUG] = "debug",
	[PX_LOG_INFO] = "info",
	[PX_LOG_WARN] = "warn",
	[PX_LOG_ERROR] = "error",
	[PX_LOG_OFF] = "off",
};

void px_log_setup(enum px_log_level min, enum px_log_format format, FILE *out)
{
	min_level = min;
	log_format = format;
	log_out = out;
}

bool px_log_level_parse(struct px_err *err, enum px_log_level *out, const char *s)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum px_log_level)i;
			return true;
		}
	}
	if (strcmp(s, "warning") == 0) {
		*out = PX_LOG_WARN;
		return true;
	}
	return px_err_set(err, PX_E_USAGE,
			  "log level '%s': expected debug, info, warn, error or off", s);
}

bool px_log_format_parse(struct px_err *err, enum px_log_format *out, const char *s)
{
	if (strcmp(s, "text") == 0) {
		*out = PX_LOG_TEXT;
		return true;
	}
	if (strcmp(s, "json") == 0) {
		*out = PX_LOG_JSON;
		return true;
	}
	return px_err_set(err, PX_E_USAGE, "log format '%s': expected text or json", s);
}

const char *px_log_level_name(enum px_log_level level)
{
	if ((unsigned)level > PX_LOG_OFF)
		return "?";
	return level_names[level];
}

bool px_log_enabled(enum px_log_level level)
{
	return level >= min_level && level != PX_LOG_OFF;
}

/* Drops a UTF-8 sequence left incomplete at the end of s by truncation,
 * so a long message stays valid UTF-8 instead of becoming unprintable. */
static void trim_partial_utf8(char *s)
{
	size_t len = strlen(s), i = len, need;
	unsigned char lead;

	while (i > 0 && len - i < 3 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0)
		return;
	lead = (unsigned char)s[i - 1];
	if (lead < 0xc0)
		return;
	need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
	if (len - (i - 1) < need)
		s[i - 1] = '\0';
}

static void stamp(char *out, size_t cap)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 ts.tv_nsec / 1000000);
}

void px_log(enum px_log_level level, const char *module, const char *fmt, ...)
{
	FILE *out = log_out ? log_out : stderr;
	char msg[1024];
	char ts[96];
	va_list ap;
	int n;

	if (!px_log_enabled(level))
		return;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(msg))
		trim_partial_utf8(msg);
	stamp(ts, sizeof(ts));

	if (log_format == PX_LOG_JSON) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "ts", ts, "level",
				      px_log_level_name(level), "module", module ? module : "",
				      "msg", msg);
		char *line = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;

		/* jansson refuses invalid UTF-8; fall back to a plain line
		 * rather than lose the message. */
		if (line)
			fprintf(out, "%s\n", line);
		else
			fprintf(out, "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":\"(unprintable)\"}\n",
				ts, px_log_level_name(level));
		free(line);
		json_decref(o);
	} else {
		fprintf(out, "%s %-5s %s%s%s\n", ts, px_log_level_name(level),
			module ? module : "", module ? ": " : "", msg);
	}
	fflush(out);
}
