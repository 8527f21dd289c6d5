/* Unit tests for common/json.c: each typed getter's success path and its
 * errors naming the field (missing, wrong type, null, parent not an
 * object), strict integers from JSON numbers and decimal strings, hex and
 * base64 fields, the optional string, and the strict document loaders. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/json.h"

static const char doc_text[] =
	"{\"obj\": {\"a\": 1}, \"arr\": [1, 2], \"str\": \"hello\", \"empty\": \"\","
	" \"t\": true, \"f\": false, \"nul\": null, \"int\": 42, \"real\": 1.5}";

static json_t *doc;

static int load_doc(void **state)
{
	doc = json_loads(doc_text, 0, NULL);
	return doc ? 0 : -1;
}

static int free_doc(void **state)
{
	json_decref(doc);
	doc = NULL;
	return 0;
}

static void assert_err(const struct px_err *err, int code, const char *fragment)
{
	if (err->code != code)
		fail_msg("code %d (%s), want %d; message \"%s\"", err->code,
			 px_code_name(err->code), code, err->msg);
	if (!strstr(err->msg, fragment))
		fail_msg("message \"%s\" lacks \"%s\"", err->msg, fragment);
}

/* {"v": <value>} from the text of one JSON value. */
static json_t *wrap(const char *value)
{
	char text[256];
	json_error_t jerr;
	json_t *o;

	snprintf(text, sizeof(text), "{\"v\": %s}", value);
	o = json_loads(text, 0, &jerr);
	if (!o)
		fail_msg("test input %s: %s", text, jerr.text);
	return o;
}

static void type_names(void **state)
{
	assert_string_equal(px_json_type_name(json_object_get(doc, "obj")), "object");
	assert_string_equal(px_json_type_name(json_object_get(doc, "arr")), "array");
	assert_string_equal(px_json_type_name(json_object_get(doc, "str")), "string");
	assert_string_equal(px_json_type_name(json_object_get(doc, "int")), "integer");
	assert_string_equal(px_json_type_name(json_object_get(doc, "real")), "number");
	assert_string_equal(px_json_type_name(json_object_get(doc, "t")), "boolean");
	assert_string_equal(px_json_type_name(json_object_get(doc, "f")), "boolean");
	assert_string_equal(px_json_type_name(json_object_get(doc, "nul")), "null");
	assert_string_equal(px_json_type_name(NULL), "nothing");
}

static void get_object_and_array(void **state)
{
	struct px_err err = { 0 };
	json_t *o = NULL, *a = NULL;
	json_t *sentinel = (json_t *)&err;

	assert_true(px_json_get_object(&err, &o, doc, "obj"));
	assert_ptr_equal(o, json_object_get(doc, "obj"));
	assert_true(px_json_get_array(&err, &a, doc, "arr"));
	assert_ptr_equal(a, json_object_get(doc, "arr"));
	assert_int_equal(json_array_size(a), 2);
	assert_int_equal(err.code, PX_OK);

	o = sentinel;
	assert_false(px_json_get_object(&err, &o, doc, "arr"));
	assert_err(&err, PX_E_JSON, "field 'arr': expected object, got array");
	assert_ptr_equal(o, sentinel);
	px_err_clear(&err);
	assert_false(px_json_get_object(&err, &o, doc, "gone"));
	assert_err(&err, PX_E_JSON, "field 'gone': missing");
	px_err_clear(&err);
	assert_false(px_json_get_object(&err, &o, doc, "nul"));
	assert_err(&err, PX_E_JSON, "field 'nul': expected object, got null");
	assert_ptr_equal(o, sentinel);

	a = sentinel;
	px_err_clear(&err);
	assert_false(px_json_get_array(&err, &a, doc, "obj"));
	assert_err(&err, PX_E_JSON, "field 'obj': expected array, got object");
	px_err_clear(&err);
	assert_false(px_json_get_array(&err, &a, doc, "missing"));
	assert_err(&err, PX_E_JSON, "field 'missing': missing");
	px_err_clear(&err);
	assert_false(px_json_get_array(&err, &a, doc, "nul"));
	assert_err(&err, PX_E_JSON, "field 'nul': expected array, got null");
	assert_ptr_equal(a, sentinel);
}

static void get_string(void **state)
{
	struct px_err err = { 0 };
	const char *s = NULL;
	const char *sentinel = "untouched";

	assert_true(px_json_get_string(&err, &s, doc, "str"));
	assert_string_equal(s, "hello");
	assert_true(px_json_get_string(&err, &s, doc, "empty"));
	assert_string_equal(s, "");
	assert_int_equal(err.code, PX_OK);

	s = sentinel;
	assert_false(px_json_get_string(&err, &s, doc, "int"));
	assert_err(&err, PX_E_JSON, "field 'int': expected string, got integer");
	px_err_clear(&err);
	assert_false(px_json_get_string(&err, &s, doc, "nul"));
	assert_err(&err, PX_E_JSON, "field 'nul': expected string, got null");
	px_err_clear(&err);
	assert_false(px_json_get_string(&err, &s, doc, "Str"));
	assert_err(&err, PX_E_JSON, "field 'Str': missing");
	px_err_clear(&err);
	assert_false(px_json_get_string(&err, &s, doc, "t"));
	assert_err(&err, PX_E_JSON, "got boolean");
	assert_ptr_equal(s, sentinel);
	/* NULL err is allowed. */
	assert_false(px_json_get_string(NULL, &s, doc, "int"));
	assert_ptr_equal(s, sentinel);
}

static void get_bool(void **state)
{
	struct px_err err = { 0 };
	bool b = false;

	assert_true(px_json_get_bool(&err, &b, doc, "t"));
	assert_true(b);
	assert_true(px_json_get_bool(&err, &b, doc, "f"));
	assert_false(b);

	b = true;
	assert_false(px_json_get_bool(&err, &b, doc, "str"));
	assert_err(&err, PX_E_JSON, "field 'str': expected boolean, got string");
	assert_true(b);
	px_err_clear(&err);
	assert_false(px_json_get_bool(&err, &b, doc, "int"));
	assert_err(&err, PX_E_JSON, "field 'int': expected boolean, got integer");
	px_err_clear(&err);
	assert_false(px_json_get_bool(&err, &b, doc, "nul"));
	assert_err(&err, PX_E_JSON, "field 'nul': expected boolean, got null");
	px_err_clear(&err);
	assert_false(px_json_get_bool(&err, &b, doc, "nope"));
	assert_err(&err, PX_E_JSON, "field 'nope': missing");
	assert_true(b);
}

/* Every getter refuses a parent that is not an object. */
static void parent_not_object(void **state)
{
	json_t *arr = json_object_get(doc, "arr");
	struct px_err err = { 0 };
	json_t *o;
	const char *s;
	bool b, present = true;
	uint64_t u;
	int64_t i;
	struct px_buf buf = PX_BUF_INIT;

	assert_false(px_json_get_object(&err, &o, arr, "x"));
	assert_err(&err, PX_E_JSON, "field 'x': parent is array, not an object");
	px_err_clear(&err);
	assert_false(px_json_get_array(&err, &o, NULL, "x"));
	assert_err(&err, PX_E_JSON, "field 'x': parent is nothing, not an object");
	px_err_clear(&err);
	assert_false(px_json_get_string(&err, &s, arr, "x"));
	assert_err(&err, PX_E_JSON, "parent is array");
	px_err_clear(&err);
	assert_false(px_json_get_bool(&err, &b, json_object_get(doc, "str"), "x"));
	assert_err(&err, PX_E_JSON, "field 'x': parent is string, not an object");
	px_err_clear(&err);
	assert_false(px_json_get_u64(&err, &u, arr, "x"));
	assert_err(&err, PX_E_JSON, "parent is array");
	px_err_clear(&err);
	assert_false(px_json_get_i64(&err, &i, NULL, "x"));
	assert_err(&err, PX_E_JSON, "parent is nothing");
	px_err_clear(&err);
	assert_false(px_json_get_hex(&err, &buf, arr, "x"));
	assert_err(&err, PX_E_JSON, "parent is array");
	px_err_clear(&err);
	assert_false(px_json_get_base64(&err, &buf, arr, "x"));
	assert_err(&err, PX_E_JSON, "parent is array");
	px_err_clear(&err);
	assert_false(px_json_opt_string(&err, &s, &present, arr, "x"));
	assert_err(&err, PX_E_JSON, "parent is array");
	assert_false(present);
	assert_int_equal(buf.len, 0);
	px_buf_free(&buf);
}

static void u64_ok(const char *value, uint64_t want)
{
	json_t *o = wrap(value);
	struct px_err err = { 0 };
	uint64_t v = 0x5a5a5a5a5a5a5a5aull;

	if (!px_json_get_u64(&err, &v, o, "v"))
		fail_msg("u64 %s: %s", value, err.msg);
	if (v != want)
		fail_msg("u64 %s: got %llu", value, (unsigned long long)v);
	json_decref(o);
}

static void u64_bad(const char *value, int code, const char *fragment)
{
	json_t *o = wrap(value);
	struct px_err err = { 0 };
	uint64_t v = 0x5a5a5a5a5a5a5a5aull;

	if (px_json_get_u64(&err, &v, o, "v"))
		fail_msg("u64 %s was accepted as %llu", value, (unsigned long long)v);
	assert_err(&err, code, fragment);
	/* The error always names the field first. */
	if (strncmp(err.msg, "field 'v': ", 11) != 0)
		fail_msg("message \"%s\" does not start with the field", err.msg);
	assert_true(v == 0x5a5a5a5a5a5a5a5aull);
	json_decref(o);
}

static void get_u64(void **state)
{
	u64_ok("0", 0);
	u64_ok("42", 42);
	u64_ok("9223372036854775807", INT64_MAX);
	u64_ok("\"0\"", 0);
	u64_ok("\"42\"", 42);
	u64_ok("\"18446744073709551615\"", UINT64_MAX);

	u64_bad("-1", PX_E_NUMBER, "unexpected character");
	u64_bad("\"-1\"", PX_E_NUMBER, "unexpected character");
	u64_bad("\"18446744073709551616\"", PX_E_NUMBER, "does not fit in 64 bits");
	u64_bad("\"+1\"", PX_E_NUMBER, "number");
	u64_bad("\"1.0\"", PX_E_NUMBER, "number");
	u64_bad("\" 1\"", PX_E_NUMBER, "number");
	u64_bad("\"1 \"", PX_E_NUMBER, "number");
	u64_bad("\"\"", PX_E_NUMBER, "no digits");
	u64_bad("\"01\"", PX_E_NUMBER, "leading zero");
	u64_bad("\"0x10\"", PX_E_NUMBER, "number");
	u64_bad("\"1e3\"", PX_E_NUMBER, "number");
	u64_bad("1.0", PX_E_JSON, "expected integer or decimal string, got number");
	u64_bad("1e3", PX_E_JSON, "got number");
	u64_bad("true", PX_E_JSON, "got boolean");
	u64_bad("null", PX_E_JSON, "got null");
	u64_bad("[1]", PX_E_JSON, "got array");
	u64_bad("{}", PX_E_JSON, "got object");
}

static void get_u64_missing(void **state)
{
	struct px_err err = { 0 };
	uint64_t v = 7;

	assert_false(px_json_get_u64(&err, &v, doc, "height"));
	assert_err(&err, PX_E_JSON, "field 'height': missing");
	assert_true(v == 7);
}

static void i64_ok(const char *value, int64_t want)
{
	json_t *o = wrap(value);
	struct px_err err = { 0 };
	int64_t v = 0x5a5a5a5a;

	if (!px_json_get_i64(&err, &v, o, "v"))
		fail_msg("i64 %s: %s", value, err.msg);
	if (v != want)
		fail_msg("i64 %s: got %lld", value, (long long)v);
	json_decref(o);
}

static void i64_bad(const char *value, int code, const char *fragment)
{
	json_t *o = wrap(value);
	struct px_err err = { 0 };
	int64_t v = 0x5a5a5a5a;

	if (px_json_get_i64(&err, &v, o, "v"))
		fail_msg("i64 %s was accepted as %lld", value, (long long)v);
	assert_err(&err, code, fragment);
	if (strncmp(err.msg, "field 'v': ", 11) != 0)
		fail_msg("message \"%s\" does not start with the field", err.msg);
	assert_true(v == 0x5a5a5a5a);
	json_decref(o);
}

static void get_i64(void **state)
{
	i64_ok("0", 0);
	i64_ok("-7", -7);
	i64_ok("9223372036854775807", INT64_MAX);
	i64_ok("-9223372036854775808", INT64_MIN);
	i64_ok("\"-7\"", -7);
	i64_ok("\"9223372036854775807\"", INT64_MAX);
	i64_ok("\"-9223372036854775808\"", INT64_MIN);

	i64_bad("\"9223372036854775808\"", PX_E_NUMBER, "above the int64 maximum");
	i64_bad("\"-9223372036854775809\"", PX_E_NUMBER, "below the int64 minimum");
	i64_bad("\"-0\"", PX_E_NUMBER, "negative zero");
	i64_bad("\"+1\"", PX_E_NUMBER, "number");
	i64_bad("\"--1\"", PX_E_NUMBER, "number");
	i64_bad("\"-\"", PX_E_NUMBER, "no digits");
	i64_bad("\"1.0\"", PX_E_NUMBER, "number");
	i64_bad("\" 1\"", PX_E_NUMBER, "number");
	i64_bad("-1.5", PX_E_JSON, "got number");
	i64_bad("false", PX_E_JSON, "got boolean");
	i64_bad("null", PX_E_JSON, "got null");
}

/* Integers beyond int64 can only arrive as strings; jansson refuses the
 * bare number, and the loader reports it as bad JSON. */
static void u64_max_as_bare_number_is_refused(void **state)
{
	static const char text[] = "{\"v\": 18446744073709551615}";
	struct px_err err = { 0 };

	assert_null(px_json_load_buf(&err, text, sizeof(text) - 1));
	assert_err(&err, PX_E_JSON, "too big integer");
}

static void get_hex(void **state)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}", "a", "0xdeadBEEF", "b", "0102",
			      "e", "", "odd", "abc", "bad", "zz", "n", 5);
	struct px_err err = { 0 };
	struct px_buf b = PX_BUF_INIT;

	assert_non_null(o);
	px_buf_push(&b, 0x99);
	assert_true(px_json_get_hex(&err, &b, o, "a"));
	assert_true(px_json_get_hex(&err, &b, o, "b"));
	assert_true(px_json_get_hex(&err, &b, o, "e"));
	/* Appended after what was there. */
	assert_int_equal(b.len, 7);
	assert_memory_equal(b.data, "\x99\xde\xad\xbe\xef\x01\x02", 7);

	assert_false(px_json_get_hex(&err, &b, o, "odd"));
	assert_err(&err, PX_E_ENCODING, "field 'odd': hex: odd length");
	px_err_clear(&err);
	assert_false(px_json_get_hex(&err, &b, o, "bad"));
	assert_err(&err, PX_E_ENCODING, "field 'bad': hex: bad character");
	px_err_clear(&err);
	assert_false(px_json_get_hex(&err, &b, o, "n"));
	assert_err(&err, PX_E_JSON, "field 'n': expected hex string, got integer");
	px_err_clear(&err);
	assert_false(px_json_get_hex(&err, &b, o, "gone"));
	assert_err(&err, PX_E_JSON, "field 'gone': missing");
	/* Failures leave the buffer as it was. */
	assert_int_equal(b.len, 7);
	assert_true(px_buf_ok(&b));
	px_buf_free(&b);
	json_decref(o);
}

static void get_base64(void **state)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:n}", "a", "aGVsbG8=", "e", "",
			      "nopad", "aGVsbG8", "bits", "aGVsbG9=", "url", "-_8=", "chars",
			      "aGV$bG8=", "nul");
	struct px_err err = { 0 };
	struct px_buf b = PX_BUF_INIT;

	assert_non_null(o);
	assert_true(px_json_get_base64(&err, &b, o, "a"));
	assert_true(px_json_get_base64(&err, &b, o, "e"));
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.data, "hello", 5);

	assert_false(px_json_get_base64(&err, &b, o, "nopad"));
	assert_err(&err, PX_E_ENCODING, "field 'nopad': base64: missing padding");
	px_err_clear(&err);
	assert_false(px_json_get_base64(&err, &b, o, "bits"));
	assert_err(&err, PX_E_ENCODING, "field 'bits': base64: non-zero trailing bits");
	px_err_clear(&err);
	assert_false(px_json_get_base64(&err, &b, o, "url"));
	assert_err(&err, PX_E_ENCODING, "field 'url': base64: bad character");
	px_err_clear(&err);
	assert_false(px_json_get_base64(&err, &b, o, "chars"));
	assert_err(&err, PX_E_ENCODING, "field 'chars'");
	px_err_clear(&err);
	assert_false(px_json_get_base64(&err, &b, o, "nul"));
	assert_err(&err, PX_E_JSON, "field 'nul': expected base64 string, got null");
	assert_int_equal(b.len, 5);
	px_buf_free(&b);
	json_decref(o);
}

static void opt_string(void **state)
{
	struct px_err err = { 0 };
	const char *s = "untouched";
	bool present = true;

	assert_true(px_json_opt_string(&err, &s, &present, doc, "str"));
	assert_true(present);
	assert_string_equal(s, "hello");

	s = "untouched";
	assert_true(px_json_opt_string(&err, &s, &present, doc, "absent"));
	assert_false(present);
	assert_string_equal(s, "untouched");
	present = true;
	assert_true(px_json_opt_string(&err, &s, &present, doc, "nul"));
	assert_false(present);
	assert_string_equal(s, "untouched");
	assert_int_equal(err.code, PX_OK);

	present = true;
	assert_false(px_json_opt_string(&err, &s, &present, doc, "int"));
	assert_err(&err, PX_E_JSON, "field 'int': expected string, got integer");
	assert_false(present);
	assert_string_equal(s, "untouched");
	px_err_clear(&err);
	assert_false(px_json_opt_string(&err, &s, &present, doc, "obj"));
	assert_err(&err, PX_E_JSON, "field 'obj': expected string, got object");
}

/* A getter failing after an earlier failure must not touch the recorded
 * message, prefix included. */
static void first_failure_kept_by_getters(void **state)
{
	json_t *o = json_pack("{s:s, s:s}", "n", "+1", "h", "xyz");
	struct px_err err = { 0 };
	struct px_buf b = PX_BUF_INIT;
	uint64_t u;
	int64_t i;

	assert_non_null(o);
	assert_false(px_err_set(&err, PX_E_IO, "earlier failure"));
	assert_false(px_json_get_u64(&err, &u, o, "n"));
	assert_false(px_json_get_i64(&err, &i, o, "n"));
	assert_false(px_json_get_hex(&err, &b, o, "h"));
	assert_false(px_json_get_base64(&err, &b, o, "h"));
	assert_false(px_json_get_u64(&err, &u, o, "missing"));
	assert_int_equal(err.code, PX_E_IO);
	assert_string_equal(err.msg, "earlier failure");
	px_buf_free(&b);
	json_decref(o);
}

static json_t *load_text(struct px_err *err, const char *text)
{
	return px_json_load_buf(err, text, strlen(text));
}

static void load_buf_accepts_documents(void **state)
{
	struct px_err err = { 0 };
	json_t *v;

	v = load_text(&err, "{\"a\": [1, {\"b\": null}]}");
	assert_non_null(v);
	assert_true(json_is_object(v));
	json_decref(v);
	v = load_text(&err, " [] \n\t");
	assert_non_null(v);
	assert_true(json_is_array(v));
	json_decref(v);
	/* The length bounds the document: bytes after it are not read. */
	v = px_json_load_buf(&err, "{}garbage", 2);
	assert_non_null(v);
	json_decref(v);
	assert_int_equal(err.code, PX_OK);
}

static void load_buf_rejects(void **state)
{
	static const char *const bad[] = {
		"{} x",
		"{}{}",
		"[1] ,",
		"{\"a\": 1, \"a\": 2}",
		"{\"o\": {\"k\": 1, \"k\": 1}}",
		"",
		"   ",
		"{\"a\": }",
		"{\"a\": 1,}",
		"[1, 2",
		"{\"s\": \"\\u0000\"}",
		"{\"s\": \"\xff\"}",
		"{'a': 1}",
		"{\"a\": NaN}",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct px_err err = { 0 };
		json_t *v = load_text(&err, bad[i]);

		if (v) {
			json_decref(v);
			fail_msg("accepted %s", bad[i]);
		}
		assert_err(&err, PX_E_JSON, "json at byte");
	}
	/* NULL err is allowed. */
	assert_null(load_text(NULL, "{} x"));
}

static void load_buf_names_position(void **state)
{
	struct px_err err = { 0 };

	assert_null(load_text(&err, "{\"a\": 1} zz"));
	assert_err(&err, PX_E_JSON, "end of file expected");
	px_err_clear(&err);
	assert_null(load_text(&err, "{\"a\": 1, \"a\": 2}"));
	assert_err(&err, PX_E_JSON, "duplicate");
}

static char tmpdir[64];

static int make_dir(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/px_test_json_XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	char path[128];
	static const char *const names[] = { "ok.json", "bad.json", "dup.json", "empty.json",
					     "trail.json" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, names[i]);
		unlink(path);
	}
	rmdir(tmpdir);
	return 0;
}

static void write_file(char *path, size_t cap, const char *name, const char *text)
{
	FILE *f;

	snprintf(path, cap, "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void load_file(void **state)
{
	char path[128];
	struct px_err err = { 0 };
	json_t *v;
	const char *s;

	write_file(path, sizeof(path), "ok.json", "{\"chain_id\": \"chain-a\"}\n");
	v = px_json_load_file(&err, path);
	assert_non_null(v);
	assert_true(px_json_get_string(&err, &s, v, "chain_id"));
	assert_string_equal(s, "chain-a");
	json_decref(v);

	write_file(path, sizeof(path), "bad.json", "{\n\"a\": }\n");
	v = px_json_load_file(&err, path);
	assert_null(v);
	assert_err(&err, PX_E_JSON, path);
	/* path:line:column */
	assert_non_null(strstr(err.msg, ".json:2:"));

	px_err_clear(&err);
	write_file(path, sizeof(path), "dup.json", "{\"a\": 1, \"a\": 1}");
	assert_null(px_json_load_file(&err, path));
	assert_err(&err, PX_E_JSON, "duplicate");

	px_err_clear(&err);
	write_file(path, sizeof(path), "empty.json", "");
	assert_null(px_json_load_file(&err, path));
	assert_err(&err, PX_E_JSON, path);

	px_err_clear(&err);
	write_file(path, sizeof(path), "trail.json", "{} {}");
	assert_null(px_json_load_file(&err, path));
	assert_err(&err, PX_E_JSON, path);

	px_err_clear(&err);
	snprintf(path, sizeof(path), "%s/does-not-exist.json", tmpdir);
	assert_null(px_json_load_file(&err, path));
	assert_err(&err, PX_E_IO, path);

	assert_null(px_json_load_file(NULL, path));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(type_names, load_doc, free_doc),
		cmocka_unit_test_setup_teardown(get_object_and_array, load_doc, free_doc),
		cmocka_unit_test_setup_teardown(get_string, load_doc, free_doc),
		cmocka_unit_test_setup_teardown(get_bool, load_doc, free_doc),
		cmocka_unit_test_setup_teardown(parent_not_object, load_doc, free_doc),
		cmocka_unit_test(get_u64),
		cmocka_unit_test_setup_teardown(get_u64_missing, load_doc, free_doc),
		cmocka_unit_test(get_i64),
		cmocka_unit_test(u64_max_as_bare_number_is_refused),
		cmocka_unit_test(get_hex),
		cmocka_unit_test(get_base64),
		cmocka_unit_test_setup_teardown(opt_string, load_doc, free_doc),
		cmocka_unit_test(first_failure_kept_by_getters),
		cmocka_unit_test(load_buf_accepts_documents),
		cmocka_unit_test(load_buf_rejects),
		cmocka_unit_test(load_buf_names_position),
		cmocka_unit_test_setup_teardown(load_file, make_dir, remove_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
