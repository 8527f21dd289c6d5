/* Unit tests for common/log.c: level and format names, filtering by level,
 * and the exact shape of text and JSON lines (JSON is parsed back with
 * jansson, so escaping is checked by a real parser). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "common/log.h"

static FILE *sink;

static int open_sink(void **state)
{
	sink = tmpfile();
	return sink ? 0 : -1;
}

static int close_sink(void **state)
{
	px_log_setup(PX_LOG_INFO, PX_LOG_TEXT, NULL);
	if (sink)
		fclose(sink);
	sink = NULL;
	return 0;
}

/* Everything logged so far, NUL-terminated; the caller frees it. */
static char *captured(void)
{
	long n;
	char *s;

	assert_int_equal(fflush(sink), 0);
	n = ftell(sink);
	assert_true(n >= 0);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	rewind(sink);
	assert_int_equal(fread(s, 1, (size_t)n, sink), (size_t)n);
	s[n] = '\0';
	assert_int_equal(fseek(sink, 0, SEEK_END), 0);
	return s;
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (*s == '\n')
			n++;
	return n;
}

/* "YYYY-MM-DDTHH:MM:SS.mmmZ", 24 characters, UTC with milliseconds. */
static void assert_timestamp(const char *ts, size_t len)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ";

	if (len != sizeof(shape) - 1)
		fail_msg("timestamp \"%.*s\" has length %zu", (int)len, ts, len);
	for (size_t i = 0; i < len; i++) {
		bool ok = shape[i] == 'd' ? isdigit((unsigned char)ts[i]) : ts[i] == shape[i];

		if (!ok)
			fail_msg("timestamp \"%.*s\" wrong at %zu", (int)len, ts, i);
	}
	assert_true(ts[5] == '0' || ts[5] == '1');
	assert_true(ts[11] <= '2');
}

static void level_parse_accepts_names(void **state)
{
	static const struct {
		const char *s;
		enum px_log_level level;
	} cases[] = {
		{ "debug", PX_LOG_DEBUG }, { "info", PX_LOG_INFO },
		{ "warn", PX_LOG_WARN },   { "warning", PX_LOG_WARN },
		{ "error", PX_LOG_ERROR }, { "off", PX_LOG_OFF },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct px_err err = { 0 };
		enum px_log_level l = (enum px_log_level)99;

		assert_true(px_log_level_parse(&err, &l, cases[i].s));
		assert_int_equal(l, cases[i].level);
		assert_int_equal(err.code, PX_OK);
	}
}

static void level_parse_rejects_other_names(void **state)
{
	static const char *const bad[] = {
		"", "verbose", "inf", "infos", "INFO", "Debug", " info", "info ", "?", "trace",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct px_err err = { 0 };
		enum px_log_level l = PX_LOG_ERROR;

		if (px_log_level_parse(&err, &l, bad[i]))
			fail_msg("level \"%s\" was accepted", bad[i]);
		assert_int_equal(err.code, PX_E_USAGE);
		assert_non_null(strstr(err.msg, bad[i]));
		assert_non_null(strstr(err.msg, "debug, info, warn, error or off"));
		assert_int_equal(l, PX_LOG_ERROR);
	}
	{
		enum px_log_level l = PX_LOG_ERROR;

		assert_false(px_log_level_parse(NULL, &l, "loud"));
		assert_int_equal(l, PX_LOG_ERROR);
	}
}

static void format_parse(void **state)
{
	struct px_err err = { 0 };
	enum px_log_format f = PX_LOG_JSON;

	assert_true(px_log_format_parse(&err, &f, "text"));
	assert_int_equal(f, PX_LOG_TEXT);
	assert_true(px_log_format_parse(&err, &f, "json"));
	assert_int_equal(f, PX_LOG_JSON);

	assert_false(px_log_format_parse(&err, &f, "JSON"));
	assert_int_equal(err.code, PX_E_USAGE);
	assert_non_null(strstr(err.msg, "'JSON'"));
	assert_int_equal(f, PX_LOG_JSON);
	px_err_clear(&err);
	assert_false(px_log_format_parse(&err, &f, ""));
	assert_int_equal(err.code, PX_E_USAGE);
	px_err_clear(&err);
	assert_false(px_log_format_parse(&err, &f, "yaml"));
	assert_int_equal(err.code, PX_E_USAGE);
	assert_int_equal(f, PX_LOG_JSON);
}

static void level_names(void **state)
{
	assert_string_equal(px_log_level_name(PX_LOG_DEBUG), "debug");
	assert_string_equal(px_log_level_name(PX_LOG_INFO), "info");
	assert_string_equal(px_log_level_name(PX_LOG_WARN), "warn");
	assert_string_equal(px_log_level_name(PX_LOG_ERROR), "error");
	assert_string_equal(px_log_level_name(PX_LOG_OFF), "off");
	assert_string_equal(px_log_level_name((enum px_log_level)5), "?");
	assert_string_equal(px_log_level_name((enum px_log_level)-1), "?");
}

static void enabled_follows_minimum(void **state)
{
	px_log_setup(PX_LOG_WARN, PX_LOG_TEXT, sink);
	assert_false(px_log_enabled(PX_LOG_DEBUG));
	assert_false(px_log_enabled(PX_LOG_INFO));
	assert_true(px_log_enabled(PX_LOG_WARN));
	assert_true(px_log_enabled(PX_LOG_ERROR));
	assert_false(px_log_enabled(PX_LOG_OFF));

	px_log_setup(PX_LOG_DEBUG, PX_LOG_TEXT, sink);
	assert_true(px_log_enabled(PX_LOG_DEBUG));
	assert_false(px_log_enabled(PX_LOG_OFF));

	px_log_setup(PX_LOG_OFF, PX_LOG_TEXT, sink);
	assert_false(px_log_enabled(PX_LOG_ERROR));
}

static void filtering_drops_lower_levels(void **state)
{
	char *out;

	px_log_setup(PX_LOG_WARN, PX_LOG_TEXT, sink);
	px_debug("t", "dropped debug");
	px_info("t", "dropped info");
	px_warn("t", "kept warn");
	px_error("t", "kept error");
	px_log(PX_LOG_OFF, "t", "off is never a message level");
	out = captured();
	assert_int_equal(count_lines(out), 2);
	assert_null(strstr(out, "dropped"));
	assert_null(strstr(out, "never"));
	assert_non_null(strstr(out, "kept warn"));
	assert_non_null(strstr(out, "kept error"));
	free(out);
}

static void off_drops_everything(void **state)
{
	char *out;

	px_log_setup(PX_LOG_OFF, PX_LOG_TEXT, sink);
	px_error("t", "even errors");
	px_log_setup(PX_LOG_OFF, PX_LOG_JSON, sink);
	px_error("t", "even errors");
	out = captured();
	assert_string_equal(out, "");
	free(out);
}

static void text_line_format(void **state)
{
	char *out;
	const char *line;

	px_log_setup(PX_LOG_DEBUG, PX_LOG_TEXT, sink);
	px_info("relayer", "height %d of %s", 42, "chain-a");
	out = captured();
	/* "<ts> info  relayer: height 42 of chain-a\n", level padded to 5. */
	assert_int_equal(count_lines(out), 1);
	assert_timestamp(out, 24);
	line = out + 24;
	assert_string_equal(line, " info  relayer: height 42 of chain-a\n");
	free(out);
}

static void text_each_level_and_no_module(void **state)
{
	char *out;
	char *line;

	px_log_setup(PX_LOG_DEBUG, PX_LOG_TEXT, sink);
	px_debug("m", "a");
	px_warn("m", "b");
	px_error("m", "c");
	px_info(NULL, "no module");
	out = captured();
	assert_int_equal(count_lines(out), 4);
	line = strtok(out, "\n");
	assert_string_equal(line + 24, " debug m: a");
	line = strtok(NULL, "\n");
	assert_string_equal(line + 24, " warn  m: b");
	line = strtok(NULL, "\n");
	assert_string_equal(line + 24, " error m: c");
	line = strtok(NULL, "\n");
	assert_string_equal(line + 24, " info  no module");
	free(out);
}

/* Parses the single JSON line in the sink and checks its four fields. */
static void assert_json_line(const char *level, const char *module, const char *msg)
{
	char *out = captured();
	json_error_t jerr;
	json_t *o;
	size_t n = strlen(out);

	assert_int_equal(count_lines(out), 1);
	assert_true(n > 0 && out[n - 1] == '\n');
	/* JSON_ENSURE_ASCII: the line is plain ASCII whatever the message. */
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)out[i] >= 0x80 || (out[i] < 0x20 && out[i] != '\n'))
			fail_msg("byte %zu of the JSON line is 0x%02x", i, (unsigned char)out[i]);
	o = json_loadb(out, n, JSON_REJECT_DUPLICATES, &jerr);
	if (!o)
		fail_msg("log line is not JSON: %s: %s", jerr.text, out);
	assert_true(json_is_object(o));
	assert_int_equal(json_object_size(o), 4);
	assert_true(json_is_string(json_object_get(o, "ts")));
	assert_timestamp(json_string_value(json_object_get(o, "ts")),
			 json_string_length(json_object_get(o, "ts")));
	assert_string_equal(json_string_value(json_object_get(o, "level")), level);
	assert_string_equal(json_string_value(json_object_get(o, "module")), module);
	assert_true(json_is_string(json_object_get(o, "msg")));
	if (strcmp(json_string_value(json_object_get(o, "msg")), msg) != 0)
		fail_msg("msg \"%s\", want \"%s\"", json_string_value(json_object_get(o, "msg")),
			 msg);
	json_decref(o);
	free(out);
}

static void json_line_fields(void **state)
{
	px_log_setup(PX_LOG_INFO, PX_LOG_JSON, sink);
	px_warn("lightclient", "trusting period %s", "expired");
	assert_json_line("warn", "lightclient", "trusting period expired");
}

static void json_line_without_module(void **state)
{
	px_log_setup(PX_LOG_INFO, PX_LOG_JSON, sink);
	px_error(NULL, "boom");
	assert_json_line("error", "", "boom");
}

static void json_escapes_special_characters(void **state)
{
	const char *msg = "quote \" backslash \\ newline \n tab \t cr \r bell \a "
			  "slash / brace {} unicode \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80";

	px_log_setup(PX_LOG_DEBUG, PX_LOG_JSON, sink);
	px_debug("mod\"ule\n", "%s", msg);
	assert_json_line("debug", "mod\"ule\n", msg);
}

/* Invalid UTF-8 cannot go into a JSON string; the line must still be JSON
 * and still say something was logged. */
static void json_invalid_utf8_falls_back(void **state)
{
	char *out;
	json_t *o;
	json_error_t jerr;

	px_log_setup(PX_LOG_DEBUG, PX_LOG_JSON, sink);
	px_info("m", "bad \xff\xfe bytes");
	out = captured();
	assert_int_equal(count_lines(out), 1);
	o = json_loads(out, 0, &jerr);
	if (!o)
		fail_msg("fallback line is not JSON: %s: %s", jerr.text, out);
	assert_string_equal(json_string_value(json_object_get(o, "level")), "info");
	assert_string_equal(json_string_value(json_object_get(o, "msg")), "(unprintable)");
	assert_timestamp(json_string_value(json_object_get(o, "ts")),
			 json_string_length(json_object_get(o, "ts")));
	json_decref(o);
	free(out);
}

/* A message longer than the line buffer is cut; the cut must not split a
 * UTF-8 sequence, or the whole message would be lost as "unprintable". */
static void json_long_message_cut_on_character(void **state)
{
	char msg[1200];
	char *out;
	json_t *o;
	const char *got;
	size_t glen;

	/* 1022 ASCII bytes then a two-byte 'é' straddling the 1023-byte cut. */
	memset(msg, 'a', 1022);
	memcpy(msg + 1022, "\xc3\xa9 tail", 8);
	px_log_setup(PX_LOG_DEBUG, PX_LOG_JSON, sink);
	px_info("m", "%s", msg);
	out = captured();
	o = json_loads(out, 0, NULL);
	assert_non_null(o);
	got = json_string_value(json_object_get(o, "msg"));
	glen = json_string_length(json_object_get(o, "msg"));
	assert_non_null(got);
	assert_int_equal(glen, 1022);
	assert_memory_equal(got, msg, 1022);
	json_decref(o);
	free(out);

	/* Three-byte '€' with one or two of its bytes past the cut. */
	for (size_t lead = 1021; lead <= 1022; lead++) {
		assert_int_equal(ftruncate(fileno(sink), 0), 0);
		rewind(sink);
		memset(msg, 'b', lead);
		memcpy(msg + lead, "\xe2\x82\xac end", 8);
		px_info("m", "%s", msg);
		out = captured();
		o = json_loads(out, 0, NULL);
		assert_non_null(o);
		assert_int_equal(json_string_length(json_object_get(o, "msg")), lead);
		json_decref(o);
		free(out);
	}

	/* A message that fits exactly keeps its last character. */
	assert_int_equal(ftruncate(fileno(sink), 0), 0);
	rewind(sink);
	memset(msg, 'c', 1021);
	memcpy(msg + 1021, "\xc3\xa9", 3);
	px_info("m", "%s", msg);
	out = captured();
	o = json_loads(out, 0, NULL);
	assert_non_null(o);
	assert_int_equal(json_string_length(json_object_get(o, "msg")), 1023);
	assert_memory_equal(json_string_value(json_object_get(o, "msg")), msg, 1023);
	json_decref(o);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(level_parse_accepts_names),
		cmocka_unit_test(level_parse_rejects_other_names),
		cmocka_unit_test(format_parse),
		cmocka_unit_test(level_names),
		cmocka_unit_test_setup_teardown(enabled_follows_minimum, open_sink, close_sink),
		cmocka_unit_test_setup_teardown(filtering_drops_lower_levels, open_sink, close_sink),
		cmocka_unit_test_setup_teardown(off_drops_everything, open_sink, close_sink),
		cmocka_unit_test_setup_teardown(text_line_format, open_sink, close_sink),
		cmocka_unit_test_setup_teardown(text_each_level_and_no_module, open_sink, close_sink),
		cmocka_unit_test_setup_teardown(json_line_fields, open_sink, close_sink),
		cmocka_unit_test_setup_teardown(json_line_without_module, open_sink, close_sink),
		cmocka_unit_test_setup_teardown(json_escapes_special_characters, open_sink,
						close_sink),
		cmocka_unit_test_setup_teardown(json_invalid_utf8_falls_back, open_sink, close_sink),
		cmocka_unit_test_setup_teardown(json_long_message_cut_on_character, open_sink,
						close_sink),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
