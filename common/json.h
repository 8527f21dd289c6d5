/* Typed getters over jansson. Each names the field it was asked for, so a
 * missing or wrongly typed field becomes a PX_E_JSON error such as
 * "field 'root': expected string, got number". References returned are
 * borrowed from the object passed in. */
#ifndef PX_COMMON_JSON_H
#define PX_COMMON_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/buf.h"
#include "common/errors.h"

/* Parses a whole document; trailing garbage is an error. Returns a new
 * reference or NULL with err set (PX_E_IO when the file cannot be read,
 * PX_E_JSON when it is not JSON). */
json_t *px_json_load_file(struct px_err *err, const char *path);
json_t *px_json_load_buf(struct px_err *err, const void *buf, size_t len);

/* The name of a value's type for messages: "object", "string", ... */
const char *px_json_type_name(const json_t *v);

bool px_json_get_object(struct px_err *err, json_t **out, const json_t *obj, const char *field) PX_MUST_CHECK;
bool px_json_get_array(struct px_err *err, json_t **out, const json_t *obj, const char *field) PX_MUST_CHECK;
bool px_json_get_string(struct px_err *err, const char **out, const json_t *obj, const char *field) PX_MUST_CHECK;
bool px_json_get_bool(struct px_err *err, bool *out, const json_t *obj, const char *field) PX_MUST_CHECK;
/* An integer written either as a JSON integer or as a strict decimal
 * string (CometBFT writes int64 as strings). */
bool px_json_get_u64(struct px_err *err, uint64_t *out, const json_t *obj, const char *field) PX_MUST_CHECK;
bool px_json_get_i64(struct px_err *err, int64_t *out, const json_t *obj, const char *field) PX_MUST_CHECK;
/* A hex or base64 string decoded and appended to out. */
bool px_json_get_hex(struct px_err *err, struct px_buf *out, const json_t *obj, const char *field) PX_MUST_CHECK;
bool px_json_get_base64(struct px_err *err, struct px_buf *out, const json_t *obj, const char *field) PX_MUST_CHECK;

/* The optional form: absent or null leaves *out untouched and sets
 * *present to false; a present value of the wrong type is an error. */
bool px_json_opt_string(struct px_err *err, const char **out, bool *present, const json_t *obj,
			const char *field) PX_MUST_CHECK;

#endif
