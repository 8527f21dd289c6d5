/* jansson helpers with field-naming errors. */
#include "common/json.h"

#include <stdio.h>
#include <string.h>

#include "common/encoding.h"
#include "common/number.h"

json_t *px_json_load_file(struct px_err *err, const char *path)
{
	json_error_t jerr;
	json_t *v = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);

	if (!v) {
		if (jerr.line <= 0 && jerr.position == 0)
			px_err_set(err, PX_E_IO, "%s: %s", path, jerr.text);
		else
			px_err_set(err, PX_E_JSON, "%s:%d:%d: %s", path, jerr.line, jerr.column,
				   jerr.text);
	}
	return v;
}

json_t *px_json_load_buf(struct px_err *err, const void *buf, size_t len)
{
	json_error_t jerr;
	json_t *v = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);

	if (!v)
		px_err_set(err, PX_E_JSON, "json at byte %d: %s", jerr.position, jerr.text);
	return v;
}

const char *px_json_type_name(const json_t *v)
{
	if (!v)
		return "nothing";
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "object";
	case JSON_ARRAY: return "array";
	case JSON_STRING: return "string";
	case JSON_INTEGER: return "integer";
	case JSON_REAL: return "number";
	case JSON_TRUE:
	case JSON_FALSE: return "boolean";
	case JSON_NULL: return "null";
	}
	return "unknown";
}

/* The field's value, or NULL with err set when absent or of another type. */
static json_t *get_typed(struct px_err *err, const json_t *obj, const char *field,
			 json_type type, const char *want)
{
	json_t *v;

	if (!json_is_object(obj)) {
		px_err_set(err, PX_E_JSON, "field '%s': parent is %s, not an object", field,
			   px_json_type_name(obj));
		return NULL;
	}
	v = json_object_get(obj, field);
	if (!v) {
		px_err_set(err, PX_E_JSON, "field '%s': missing", field);
		return NULL;
	}
	if (json_typeof(v) != type) {
		px_err_set(err, PX_E_JSON, "field '%s': expected %s, got %s", field, want,
			   px_json_type_name(v));
		return NULL;
	}
	return v;
}

bool px_json_get_object(struct px_err *err, json_t **out, const json_t *obj, const char *field)
{
	json_t *v = get_typed(err, obj, field, JSON_OBJECT, "object");

	if (!v)
		return false;
	*out = v;
	return true;
}

bool px_json_get_array(struct px_err *err, json_t **out, const json_t *obj, const char *field)
{
	json_t *v = get_typed(err, obj, field, JSON_ARRAY, "array");

	if (!v)
		return false;
	*out = v;
	return true;
}

bool px_json_get_string(struct px_err *err, const char **out, const json_t *obj, const char *field)
{
	json_t *v = get_typed(err, obj, field, JSON_STRING, "string");

	if (!v)
		return false;
	*out = json_string_value(v);
	return true;
}

bool px_json_get_bool(struct px_err *err, bool *out, const json_t *obj, const char *field)
{
	json_t *v;

	if (!json_is_object(obj))
		return px_err_set(err, PX_E_JSON, "field '%s': parent is %s, not an object", field,
				  px_json_type_name(obj));
	v = json_object_get(obj, field);
	if (!v)
		return px_err_set(err, PX_E_JSON, "field '%s': missing", field);
	if (!json_is_boolean(v))
		return px_err_set(err, PX_E_JSON, "field '%s': expected boolean, got %s", field,
				  px_json_type_name(v));
	*out = json_is_true(v);
	return true;
}

/* The value of an integer field as a string of digits, from either form. */
static bool int_text(struct px_err *err, const json_t *obj, const char *field, char *tmp,
		     size_t tmp_cap, const char **text, size_t *len)
{
	json_t *v;

	if (!json_is_object(obj))
		return px_err_set(err, PX_E_JSON, "field '%s': parent is %s, not an object", field,
				  px_json_type_name(obj));
	v = json_object_get(obj, field);
	if (!v)
		return px_err_set(err, PX_E_JSON, "field '%s': missing", field);
	if (json_is_string(v)) {
		*text = json_string_value(v);
		*len = json_string_length(v);
		return true;
	}
	if (json_is_integer(v)) {
		int n = snprintf(tmp, tmp_cap, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		if (n < 0 || (size_t)n >= tmp_cap)
			return px_err_set(err, PX_E_INTERNAL, "field '%s': integer too long", field);
		*text = tmp;
		*len = (size_t)n;
		return true;
	}
	return px_err_set(err, PX_E_JSON, "field '%s': expected integer or decimal string, got %s",
			  field, px_json_type_name(v));
}

/* Names the field in front of the message a decoder just recorded; an
 * error recorded before the call is someone else's and is left alone. */
static bool fail_in_field(struct px_err *err, bool was_set, const char *field)
{
	if (!was_set)
		px_err_prefix(err, "field '%s': ", field);
	return false;
}

bool px_json_get_u64(struct px_err *err, uint64_t *out, const json_t *obj, const char *field)
{
	bool was_set = px_err_is_set(err);
	char tmp[32];
	const char *text;
	size_t len;

	if (!int_text(err, obj, field, tmp, sizeof(tmp), &text, &len))
		return false;
	if (!px_parse_u64(err, out, text, len))
		return fail_in_field(err, was_set, field);
	return true;
}

bool px_json_get_i64(struct px_err *err, int64_t *out, const json_t *obj, const char *field)
{
	bool was_set = px_err_is_set(err);
	char tmp[32];
	const char *text;
	size_t len;

	if (!int_text(err, obj, field, tmp, sizeof(tmp), &text, &len))
		return false;
	if (!px_parse_i64(err, out, text, len))
		return fail_in_field(err, was_set, field);
	return true;
}

bool px_json_get_hex(struct px_err *err, struct px_buf *out, const json_t *obj, const char *field)
{
	bool was_set = px_err_is_set(err);
	json_t *v = get_typed(err, obj, field, JSON_STRING, "hex string");

	if (!v)
		return false;
	if (!px_hex_decode(err, out, json_string_value(v), json_string_length(v), true))
		return fail_in_field(err, was_set, field);
	return true;
}

bool px_json_get_base64(struct px_err *err, struct px_buf *out, const json_t *obj, const char *field)
{
	bool was_set = px_err_is_set(err);
	json_t *v = get_typed(err, obj, field, JSON_STRING, "base64 string");

	if (!v)
		return false;
	if (!px_base64_decode(err, out, json_string_value(v), json_string_length(v), PX_B64_STD))
		return fail_in_field(err, was_set, field);
	return true;
}

bool px_json_opt_string(struct px_err *err, const char **out, bool *present, const json_t *obj,
			const char *field)
{
	json_t *v;

	*present = false;
	if (!json_is_object(obj))
		return px_err_set(err, PX_E_JSON, "field '%s': parent is %s, not an object", field,
				  px_json_type_name(obj));
	v = json_object_get(obj, field);
	if (!v || json_is_null(v))
		return true;
	if (!json_is_string(v))
		return px_err_set(err, PX_E_JSON, "field '%s': expected string, got %s", field,
				  px_json_type_name(v));
	*out = json_string_value(v);
	*present = true;
	return true;
}
