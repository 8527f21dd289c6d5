/* Conformance runner for the ICS-23 unit tables: the Go reference's unit
 * tests (cosmos/ics23 go/ops_test.go and proof_test.go) kept as JSON in
 * VECTORS/cosmos/ics23/unit/Test*.json. Every such file is dispatched on
 * its name to a table kind and every case in it is run through
 * lightclient/ics23 and counted; a file of unknown kind counts as failed.
 * A missing folder is a skip (exit 77), never a pass.
 *
 * Usage: ics23_tables [-v] VECTORS_DIR
 *
 * The tables were written for Go's encoding/json, so field names match
 * ignoring case ("Preimage" and "PreImage") and lowerCamelCase spellings
 * of snake_case names are accepted; bytes are standard base64, enums are
 * numbers, and an absent or null field is the zero value. Unknown fields
 * inside the ICS-23 messages are refused, as protojson refuses them;
 * unknown fields of a case are ignored, as Go's test structs ignore them,
 * but named on stderr. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/buf.h"
#include "common/encoding.h"
#include "common/errors.h"
#include "common/hash.h"
#include "common/json.h"
#include "common/number.h"
#include "lightclient/ics23/ics23.h"

#define UNIT_DIR "cosmos/ics23/unit"
#define EXIT_SKIP 77
#define MAX_ITEMS 65536u		/* inner ops or child_order entries in one case */
#define CASE_ARENA_LIMIT (64u << 20)	/* bytes decoded for one case */

/* One case being run. Everything decoded for it lives in the arena until
 * the case is reported. */
struct tcase {
	const char *file;
	const char *name;
	struct px_arena arena;
	struct px_err err;	/* set when the case itself is malformed */
	char why[1024];		/* what differed, for the FAIL line */
	char note[640];		/* extra detail printed with -v */
};

typedef bool (*case_fn)(struct tcase *tc, const json_t *c);

/* ---- field access ------------------------------------------------------ */

/* Go's encoding/json matches keys ignoring case and protojson accepts
 * lowerCamelCase for snake_case, so names compare ignoring case and '_'. */
static bool name_match(const char *a, const char *b)
{
	for (;;) {
		while (*a == '_')
			a++;
		while (*b == '_')
			b++;
		if (!*a || !*b)
			return *a == *b;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
		a++;
		b++;
	}
}

static bool is_known(const char *key, const char *const *known)
{
	for (size_t i = 0; known[i]; i++) {
		if (name_match(key, known[i]))
			return true;
	}
	return false;
}

/* Names, on stderr, the keys of a case that are none of the known fields:
 * Go ignores them, and so does the runner, but not silently. */
static void case_fields(const struct tcase *tc, const json_t *c, const char *const *known)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)c, key, v) {
		if (!is_known(key, known))
			fprintf(stderr, "note: %s: %s: ignoring unknown field '%s'\n", tc->file,
				tc->name, key);
	}
}

/* The field's value: the exact key, else the single key matching it as
 * name_match says. *out is NULL when the field is absent or null. */
static bool field(struct px_err *err, json_t **out, const json_t *obj, const char *name)
{
	const char *key;
	json_t *v, *found = NULL;

	*out = NULL;
	found = json_object_get(obj, name);
	if (!found) {
		json_object_foreach((json_t *)obj, key, v) {
			if (!name_match(key, name))
				continue;
			if (found)
				return px_err_set(err, PX_E_JSON, "field '%s' given twice", name);
			found = v;
		}
	}
	if (found && !json_is_null(found))
		*out = found;
	return true;
}

static bool get_object(struct px_err *err, json_t **out, const json_t *obj, const char *name)
{
	if (!field(err, out, obj, name))
		return false;
	if (*out && !json_is_object(*out))
		return px_err_set(err, PX_E_JSON, "field '%s': expected object, got %s", name,
				  px_json_type_name(*out));
	return true;
}

/* An ICS-23 message has only known fields: protojson refuses others. */
static bool check_message(struct px_err *err, const json_t *m, const char *const *known,
			  const char *name)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)m, key, v) {
		if (!is_known(key, known))
			return px_err_set(err, PX_E_JSON, "%s: unknown field '%s'", name, key);
	}
	return true;
}

/* A message field: NULL when absent or null. */
static bool get_message(struct px_err *err, json_t **out, const json_t *obj, const char *name,
			const char *const *known)
{
	return get_object(err, out, obj, name) && (!*out || check_message(err, *out, known, name));
}

static bool get_bool(struct px_err *err, bool *out, const json_t *obj, const char *name)
{
	json_t *v;

	*out = false;
	if (!field(err, &v, obj, name))
		return false;
	if (!v)
		return true;
	if (!json_is_boolean(v))
		return px_err_set(err, PX_E_JSON, "field '%s': expected boolean, got %s", name,
				  px_json_type_name(v));
	*out = json_is_true(v);
	return true;
}

/* An int32 written as a JSON integer or, as protojson allows, a decimal
 * string. */
static bool get_i32(struct px_err *err, int32_t *out, const json_t *obj, const char *name)
{
	json_t *v;
	int64_t x;

	*out = 0;
	if (!field(err, &v, obj, name))
		return false;
	if (!v)
		return true;
	if (json_is_integer(v)) {
		x = json_integer_value(v);
	} else if (json_is_string(v)) {
		if (!px_parse_i64(err, &x, json_string_value(v), json_string_length(v))) {
			px_err_prefix(err, "field '%s': ", name);
			return false;
		}
	} else {
		return px_err_set(err, PX_E_JSON, "field '%s': expected integer, got %s", name,
				  px_json_type_name(v));
	}
	if (x < INT32_MIN || x > INT32_MAX)
		return px_err_set(err, PX_E_NUMBER, "field '%s': %lld out of int32 range", name,
				  (long long)x);
	*out = (int32_t)x;
	return true;
}

/* An enum number. Values the library does not name are kept: Go keeps
 * them too and rejects them where they are used. */
static bool get_enum(struct px_err *err, int *out, const json_t *obj, const char *name)
{
	json_t *v;

	*out = 0;
	if (!field(err, &v, obj, name))
		return false;
	if (!v)
		return true;
	if (!json_is_integer(v))
		return px_err_set(err, PX_E_JSON, "field '%s': expected enum number, got %s", name,
				  px_json_type_name(v));
	if (json_integer_value(v) < 0 || json_integer_value(v) > INT32_MAX)
		return px_err_set(err, PX_E_NUMBER, "field '%s': enum value %" JSON_INTEGER_FORMAT
				  " out of range", name, json_integer_value(v));
	*out = (int)json_integer_value(v);
	return true;
}

/* Base64 bytes copied into the case's arena. */
static bool get_bytes(struct tcase *tc, struct px_slice *out, const json_t *obj, const char *name)
{
	struct px_buf buf = PX_BUF_INIT;
	uint8_t *p;
	json_t *v;
	bool ok = false;

	out->ptr = NULL;
	out->len = 0;
	if (!field(&tc->err, &v, obj, name))
		return false;
	if (!v)
		return true;
	if (!json_is_string(v))
		return px_err_set(&tc->err, PX_E_JSON, "field '%s': expected base64 string, got %s",
				  name, px_json_type_name(v));
	if (!px_base64_decode(&tc->err, &buf, json_string_value(v), json_string_length(v),
			      PX_B64_STD)) {
		px_err_prefix(&tc->err, "field '%s': ", name);
		goto out;
	}
	if (buf.len > 0) {
		p = px_arena_alloc(&tc->arena, buf.len);
		if (!p) {
			px_err_set(&tc->err, PX_E_NOMEM, "field '%s': out of memory", name);
			goto out;
		}
		memcpy(p, buf.data, buf.len);
		out->ptr = p;
		out->len = buf.len;
	}
	ok = true;
out:
	px_buf_free(&buf);
	return ok;
}

/* ---- ICS-23 messages --------------------------------------------------- */

static const char *const leaf_fields[] = {
	"hash", "prehash_key", "prehash_value", "length", "prefix", NULL,
};
static const char *const inner_fields[] = { "hash", "prefix", "suffix", NULL };
static const char *const exist_fields[] = { "key", "value", "leaf", "path", NULL };
static const char *const spec_fields[] = {
	"leaf_spec", "inner_spec", "max_depth", "min_depth", "prehash_key_before_comparison",
	NULL,
};
static const char *const inner_spec_fields[] = {
	"child_order", "child_size", "min_prefix_length", "max_prefix_length", "empty_child",
	"hash", NULL,
};

/* Each reader fills out from the message field `name` of parent: the zero
 * message when it is absent or null. Errors name the field. */
static bool read_leaf(struct tcase *tc, struct ics23_leaf_op *out, bool *present,
		      const json_t *parent, const char *name)
{
	int hash, pk, pv, len;
	json_t *m;

	memset(out, 0, sizeof(*out));
	if (!get_message(&tc->err, &m, parent, name, leaf_fields))
		return false;
	if (present)
		*present = m != NULL;
	if (!m)
		return true;
	if (!get_enum(&tc->err, &hash, m, "hash") ||
	    !get_enum(&tc->err, &pk, m, "prehash_key") ||
	    !get_enum(&tc->err, &pv, m, "prehash_value") ||
	    !get_enum(&tc->err, &len, m, "length") ||
	    !get_bytes(tc, &out->prefix, m, "prefix")) {
		px_err_prefix(&tc->err, "%s: ", name);
		return false;
	}
	out->hash = (enum ics23_hash_op)hash;
	out->prehash_key = (enum ics23_hash_op)pk;
	out->prehash_value = (enum ics23_hash_op)pv;
	out->length = (enum ics23_length_op)len;
	return true;
}

/* m may be NULL: the zero InnerOp. */
static bool fill_inner(struct tcase *tc, struct ics23_inner_op *out, const json_t *m)
{
	int hash;

	memset(out, 0, sizeof(*out));
	if (!m)
		return true;
	if (!get_enum(&tc->err, &hash, m, "hash") ||
	    !get_bytes(tc, &out->prefix, m, "prefix") || !get_bytes(tc, &out->suffix, m, "suffix"))
		return false;
	out->hash = (enum ics23_hash_op)hash;
	return true;
}

static bool read_inner(struct tcase *tc, struct ics23_inner_op *out, const json_t *parent,
		       const char *name)
{
	json_t *m;

	memset(out, 0, sizeof(*out));
	if (!get_message(&tc->err, &m, parent, name, inner_fields))
		return false;
	if (!fill_inner(tc, out, m)) {
		px_err_prefix(&tc->err, "%s: ", name);
		return false;
	}
	return true;
}

/* A JSON array field: NULL when absent or null, else capped at MAX_ITEMS. */
static bool get_array(struct px_err *err, json_t **out, const json_t *obj, const char *name)
{
	if (!field(err, out, obj, name))
		return false;
	if (!*out)
		return true;
	if (!json_is_array(*out))
		return px_err_set(err, PX_E_JSON, "field '%s': expected array, got %s", name,
				  px_json_type_name(*out));
	if (json_array_size(*out) > MAX_ITEMS)
		return px_err_set(err, PX_E_TOO_LARGE, "field '%s': %zu items, cap %u", name,
				  json_array_size(*out), MAX_ITEMS);
	return true;
}

static bool read_path(struct tcase *tc, struct ics23_existence_proof *out, const json_t *m)
{
	json_t *path;

	if (!get_array(&tc->err, &path, m, "path"))
		return false;
	if (!path || json_array_size(path) == 0)
		return true;
	out->path = px_arena_calloc(&tc->arena, json_array_size(path), sizeof(*out->path));
	if (!out->path)
		return px_err_set(&tc->err, PX_E_NOMEM, "path: out of memory");
	out->path_len = json_array_size(path);
	for (size_t i = 0; i < out->path_len; i++) {
		json_t *op = json_array_get(path, i);

		if (json_is_null(op))
			op = NULL;
		else if (!json_is_object(op))
			return px_err_set(&tc->err, PX_E_JSON, "path[%zu]: expected object, got %s",
					  i, px_json_type_name(op));
		if ((op && !check_message(&tc->err, op, inner_fields, "op")) ||
		    !fill_inner(tc, &out->path[i], op)) {
			px_err_prefix(&tc->err, "path[%zu]: ", i);
			return false;
		}
	}
	return true;
}

static bool read_existence(struct tcase *tc, struct ics23_existence_proof *out,
			   const json_t *parent, const char *name)
{
	json_t *m;

	memset(out, 0, sizeof(*out));
	if (!get_message(&tc->err, &m, parent, name, exist_fields))
		return false;
	if (!m)
		return true;
	/* A present leaf, even {}, is a LeafOp; only an absent one is nil. */
	if (!get_bytes(tc, &out->key, m, "key") || !get_bytes(tc, &out->value, m, "value") ||
	    !read_leaf(tc, &out->leaf, &out->has_leaf, m, "leaf") || !read_path(tc, out, m)) {
		px_err_prefix(&tc->err, "%s: ", name);
		return false;
	}
	return true;
}

static bool read_child_order(struct tcase *tc, struct ics23_inner_spec *out, const json_t *m)
{
	json_t *order;
	int32_t *co;

	if (!get_array(&tc->err, &order, m, "child_order"))
		return false;
	if (!order || json_array_size(order) == 0)
		return true;
	co = px_arena_calloc(&tc->arena, json_array_size(order), sizeof(*co));
	if (!co)
		return px_err_set(&tc->err, PX_E_NOMEM, "child_order: out of memory");
	for (size_t i = 0; i < json_array_size(order); i++) {
		json_t *v = json_array_get(order, i);

		if (!json_is_integer(v))
			return px_err_set(&tc->err, PX_E_JSON,
					  "child_order[%zu]: expected integer, got %s", i,
					  px_json_type_name(v));
		if (json_integer_value(v) < INT32_MIN || json_integer_value(v) > INT32_MAX)
			return px_err_set(&tc->err, PX_E_NUMBER,
					  "child_order[%zu]: out of int32 range", i);
		co[i] = (int32_t)json_integer_value(v);
	}
	out->child_order = co;
	out->child_order_len = json_array_size(order);
	return true;
}

static bool read_inner_spec(struct tcase *tc, struct ics23_inner_spec *out, const json_t *parent,
			    const char *name)
{
	json_t *m;
	int hash;

	memset(out, 0, sizeof(*out));
	if (!get_message(&tc->err, &m, parent, name, inner_spec_fields))
		return false;
	if (!m)
		return true;
	if (!read_child_order(tc, out, m) ||
	    !get_i32(&tc->err, &out->child_size, m, "child_size") ||
	    !get_i32(&tc->err, &out->min_prefix_length, m, "min_prefix_length") ||
	    !get_i32(&tc->err, &out->max_prefix_length, m, "max_prefix_length") ||
	    !get_bytes(tc, &out->empty_child, m, "empty_child") ||
	    !get_enum(&tc->err, &hash, m, "hash")) {
		px_err_prefix(&tc->err, "%s: ", name);
		return false;
	}
	out->hash = (enum ics23_hash_op)hash;
	return true;
}

/* has_leaf_spec says whether leaf_spec was given: Go holds it by pointer
 * and treats a nil one differently from a zero one. */
static bool read_spec(struct tcase *tc, struct ics23_spec *out, bool *has_leaf_spec,
		      const json_t *parent, const char *name)
{
	json_t *m;

	memset(out, 0, sizeof(*out));
	*has_leaf_spec = false;
	if (!get_message(&tc->err, &m, parent, name, spec_fields))
		return false;
	if (!m)
		return true;
	if (!read_leaf(tc, &out->leaf_spec, has_leaf_spec, m, "leaf_spec") ||
	    !read_inner_spec(tc, &out->inner_spec, m, "inner_spec") ||
	    !get_i32(&tc->err, &out->max_depth, m, "max_depth") ||
	    !get_i32(&tc->err, &out->min_depth, m, "min_depth") ||
	    !get_bool(&tc->err, &out->prehash_key_before_comparison, m,
		      "prehash_key_before_comparison")) {
		px_err_prefix(&tc->err, "%s: ", name);
		return false;
	}
	return true;
}

/* ---- results ----------------------------------------------------------- */

/* "<hex>" (cut after 64 bytes) or "error: msg". */
static void describe(char *out, size_t cap, bool ok, const uint8_t *p, size_t n,
		     const struct px_err *err)
{
	char hex[2 * 64 + 1];
	size_t shown = n > 64 ? 64 : n;

	if (!ok) {
		snprintf(out, cap, "error: %s", err->msg);
		return;
	}
	px_hex_encode(hex, sizeof(hex), p, shown, false);
	snprintf(out, cap, "%s%s%s", n == 0 ? "(empty)" : "", hex, n > shown ? "..." : "");
}

/* Compares a computed hash (or failure) with the table's expectation. */
static bool judge_bytes(struct tcase *tc, bool want_err, struct px_slice want, bool ok,
			const uint8_t *got, size_t got_len, const struct px_err *lerr)
{
	char w[160], g[320];

	if (want_err ? !ok
		     : (ok && got_len == want.len &&
			(want.len == 0 || memcmp(got, want.ptr, want.len) == 0))) {
		if (want_err)
			snprintf(tc->note, sizeof(tc->note), "(%s)", lerr->msg);
		return true;
	}
	if (want_err)
		snprintf(w, sizeof(w), "an error");
	else
		describe(w, sizeof(w), true, want.ptr, want.len, NULL);
	describe(g, sizeof(g), ok, got, got_len, lerr);
	snprintf(tc->why, sizeof(tc->why), "want %s, got %s", w, g);
	return false;
}

/* Compares a check's outcome with the table's expectation. */
static bool judge_check(struct tcase *tc, bool want_err, bool ok, const struct px_err *lerr)
{
	if (want_err != ok) {
		if (!ok)
			snprintf(tc->note, sizeof(tc->note), "(%s)", lerr->msg);
		return true;
	}
	snprintf(tc->why, sizeof(tc->why), "want %s, got %s%s", want_err ? "an error" : "success",
		 ok ? "success" : "error: ", ok ? "" : lerr->msg);
	return false;
}

/* ---- table kinds ------------------------------------------------------- */

/* The ops Go's doHash implements; for any other it returns an error. */
static bool go_hash_supported(int op)
{
	switch (op) {
	case ICS23_SHA256:
	case ICS23_SHA512:
	case ICS23_RIPEMD160:
	case ICS23_BITCOIN:
	case ICS23_SHA512_256:
	case ICS23_BLAKE2B_512:
	case ICS23_BLAKE2S_256:
		return true;
	default:
		return false;
	}
}

static bool run_do_hash(struct tcase *tc, const json_t *c)
{
	static const char *const known[] = { "HashOp", "Preimage", "ExpectedHash", NULL };
	struct px_buf want = PX_BUF_INIT;
	struct px_slice data = { NULL, 0 };
	struct px_err lerr = { 0 };
	json_t *pre, *exp;
	uint8_t out[64];
	size_t n = 0;
	bool ok, pass = false;
	int op;

	case_fields(tc, c, known);
	if (!get_enum(&tc->err, &op, c, "HashOp") ||
	    !field(&tc->err, &pre, c, "Preimage") || !field(&tc->err, &exp, c, "ExpectedHash"))
		goto out;
	if (pre && !json_is_string(pre)) {
		px_err_set(&tc->err, PX_E_JSON, "field 'Preimage': expected string, got %s",
			   px_json_type_name(pre));
		goto out;
	}
	if (exp && !json_is_string(exp)) {
		px_err_set(&tc->err, PX_E_JSON, "field 'ExpectedHash': expected hex string, got %s",
			   px_json_type_name(exp));
		goto out;
	}
	if (exp && !px_hex_decode(&tc->err, &want, json_string_value(exp), json_string_length(exp),
				  false)) {
		px_err_prefix(&tc->err, "field 'ExpectedHash': ");
		goto out;
	}
	if (pre) {
		data.ptr = (const uint8_t *)json_string_value(pre);
		data.len = json_string_length(pre);
	}
	ok = ics23_do_hash(&lerr, out, &n, (enum ics23_hash_op)op, data);
	pass = judge_bytes(tc, !go_hash_supported(op), px_slice_of(&want), ok, out, n, &lerr);
out:
	px_buf_free(&want);
	return pass;
}

static bool run_leaf_op(struct tcase *tc, const json_t *c)
{
	static const char *const known[] = { "Op", "Key", "Value", "IsErr", "Expected", NULL };
	struct ics23_leaf_op op;
	struct px_slice key, value, want;
	struct px_err lerr = { 0 };
	uint8_t out[64];
	size_t n = 0;
	bool is_err, ok;

	case_fields(tc, c, known);
	if (!read_leaf(tc, &op, NULL, c, "Op") ||
	    !get_bytes(tc, &key, c, "Key") || !get_bytes(tc, &value, c, "Value") ||
	    !get_bool(&tc->err, &is_err, c, "IsErr") || !get_bytes(tc, &want, c, "Expected"))
		return false;
	ok = ics23_leaf_apply(&lerr, out, &n, &op, key, value);
	return judge_bytes(tc, is_err, want, ok, out, n, &lerr);
}

static bool run_inner_op(struct tcase *tc, const json_t *c)
{
	static const char *const known[] = { "Op", "Child", "IsErr", "Expected", NULL };
	struct ics23_inner_op op;
	struct px_slice child, want;
	struct px_err lerr = { 0 };
	uint8_t out[64];
	size_t n = 0;
	bool is_err, ok;

	case_fields(tc, c, known);
	if (!read_inner(tc, &op, c, "Op") ||
	    !get_bytes(tc, &child, c, "Child") || !get_bool(&tc->err, &is_err, c, "IsErr") ||
	    !get_bytes(tc, &want, c, "Expected"))
		return false;
	ok = ics23_inner_apply(&lerr, out, &n, &op, child);
	return judge_bytes(tc, is_err, want, ok, out, n, &lerr);
}

static bool run_existence_proof(struct tcase *tc, const json_t *c)
{
	static const char *const known[] = { "Proof", "IsErr", "Expected", NULL };
	struct ics23_existence_proof proof;
	struct px_slice want;
	struct px_err lerr = { 0 };
	uint8_t out[64];
	size_t n = 0;
	bool is_err, ok;

	case_fields(tc, c, known);
	if (!read_existence(tc, &proof, c, "Proof") ||
	    !get_bool(&tc->err, &is_err, c, "IsErr") || !get_bytes(tc, &want, c, "Expected"))
		return false;
	ok = ics23_existence_calculate(&lerr, out, &n, &proof);
	return judge_bytes(tc, is_err, want, ok, out, n, &lerr);
}

/* Go runs leaf.CheckAgainstSpec(&ProofSpec{LeafSpec: spec}): the inner
 * spec is absent, which here is the zero inner spec. */
static bool run_check_leaf(struct tcase *tc, const json_t *c)
{
	static const char *const known[] = { "Leaf", "Spec", "IsErr", NULL };
	struct ics23_leaf_op leaf;
	struct ics23_spec spec;
	struct px_err lerr = { 0 };
	bool has_spec, is_err, ok;

	memset(&spec, 0, sizeof(spec));
	case_fields(tc, c, known);
	if (!read_leaf(tc, &leaf, NULL, c, "Leaf") ||
	    !read_leaf(tc, &spec.leaf_spec, &has_spec, c, "Spec") ||
	    !get_bool(&tc->err, &is_err, c, "IsErr"))
		return false;
	if (!has_spec) {
		/* A nil LeafSpec has no struct ics23_spec form; Go rejects
		 * every leaf under it ("spec.LeafSpec must be non-nil"). */
		ok = px_err_set(&lerr, PX_E_SPEC_MISMATCH, "spec has no leaf spec");
	} else {
		ok = ics23_leaf_check_spec(&lerr, &leaf, &spec);
	}
	return judge_check(tc, is_err, ok, &lerr);
}

static bool run_check_against_spec(struct tcase *tc, const json_t *c)
{
	static const char *const known[] = { "Proof", "Spec", "Err", NULL };
	struct ics23_existence_proof proof;
	struct ics23_spec spec;
	struct px_err lerr = { 0 };
	const char *go_err = "";
	bool has_leaf_spec, ok, pass;
	json_t *e;

	case_fields(tc, c, known);
	if (!read_existence(tc, &proof, c, "Proof") ||
	    !read_spec(tc, &spec, &has_leaf_spec, c, "Spec") ||
	    !field(&tc->err, &e, c, "Err"))
		return false;
	if (e && !json_is_string(e))
		return px_err_set(&tc->err, PX_E_JSON, "field 'Err': expected string, got %s",
				  px_json_type_name(e));
	if (e)
		go_err = json_string_value(e);
	if (proof.has_leaf && !has_leaf_spec) {
		/* A spec without a leaf spec cannot be written as a struct
		 * ics23_spec; Go rejects every leaf under it ("spec.LeafSpec
		 * must be non-nil"), so that is the answer here too. */
		ok = px_err_set(&lerr, PX_E_SPEC_MISMATCH, "spec has no leaf_spec");
	} else {
		ok = ics23_existence_check_spec(&lerr, &proof, &spec);
	}
	pass = judge_check(tc, go_err[0] != '\0', ok, &lerr);
	if (!pass && go_err[0]) {
		size_t used = strlen(tc->why);

		snprintf(tc->why + used, sizeof(tc->why) - used, " (go: \"%s\")", go_err);
	} else if (pass && go_err[0]) {
		snprintf(tc->note, sizeof(tc->note), "(go: \"%s\", ours: \"%s\")", go_err,
			 lerr.msg);
	}
	return pass;
}

/* Go's test also requires the op to pass CheckAgainstSpec(spec, 1) before
 * it looks at the branches. */
static bool run_empty_branch(struct tcase *tc, const json_t *c)
{
	static const char *const known[] = { "Op", "Spec", "IsLeft", "IsRight", NULL };
	struct ics23_inner_op op;
	struct ics23_spec spec;
	struct px_err lerr = { 0 };
	bool has_leaf_spec, want_left, want_right, left, right;

	case_fields(tc, c, known);
	if (!read_inner(tc, &op, c, "Op") ||
	    !read_spec(tc, &spec, &has_leaf_spec, c, "Spec") ||
	    !get_bool(&tc->err, &want_left, c, "IsLeft") ||
	    !get_bool(&tc->err, &want_right, c, "IsRight"))
		return false;
	if (!has_leaf_spec) {
		snprintf(tc->why, sizeof(tc->why), "spec has no leaf_spec (Go rejects the op)");
		return false;
	}
	if (!ics23_inner_check_spec(&lerr, &op, &spec, 1)) {
		snprintf(tc->why, sizeof(tc->why), "op fails the spec check: %s", lerr.msg);
		return false;
	}
	left = ics23_left_branches_empty(&spec.inner_spec, &op);
	right = ics23_right_branches_empty(&spec.inner_spec, &op);
	if (left != want_left || right != want_right) {
		snprintf(tc->why, sizeof(tc->why), "want left %d right %d, got left %d right %d",
			 want_left, want_right, left, right);
		return false;
	}
	return true;
}

/* Dispatch on the file name's prefix: the Go test the table belongs to.
 * No prefix here is a prefix of another. */
static const struct kind {
	const char *prefix;
	case_fn run;
} kinds[] = {
	{ "TestDoHash", run_do_hash },
	{ "TestLeafOp", run_leaf_op },
	{ "TestInnerOp", run_inner_op },
	{ "TestExistenceProof", run_existence_proof },
	{ "TestCheckLeaf", run_check_leaf },
	{ "TestCheckAgainstSpec", run_check_against_spec },
	{ "TestEmptyBranch", run_empty_branch },
};

static const struct kind *kind_for(const char *file)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strncmp(file, kinds[i].prefix, strlen(kinds[i].prefix)) == 0)
			return &kinds[i];
	}
	return NULL;
}

/* ---- driver ------------------------------------------------------------ */

struct counts {
	unsigned long cases;
	unsigned long passed;
	unsigned long failed;
};

static bool verbose;

static void count(struct counts *file, bool pass)
{
	file->cases++;
	if (pass)
		file->passed++;
	else
		file->failed++;
}

static void run_case(const struct kind *k, const char *file, const char *name, const json_t *c,
		     struct counts *cnt)
{
	struct tcase tc;
	bool pass;

	memset(&tc, 0, sizeof(tc));
	tc.file = file;
	tc.name = name;
	px_arena_init(&tc.arena, CASE_ARENA_LIMIT);
	if (!json_is_object(c)) {
		snprintf(tc.why, sizeof(tc.why), "malformed case: %s, not an object",
			 px_json_type_name(c));
		pass = false;
	} else {
		pass = k->run(&tc, c);
		if (px_err_is_set(&tc.err)) {
			snprintf(tc.why, sizeof(tc.why), "malformed case: %s", tc.err.msg);
			pass = false;
		}
	}
	if (!pass)
		printf("FAIL %s: %s: %s\n", file, name, tc.why);
	else if (verbose)
		printf("ok   %s: %s%s%s\n", file, name, tc.note[0] ? " " : "", tc.note);
	count(cnt, pass);
	px_arena_free(&tc.arena);
}

static void run_file(const char *dir, const char *file, struct counts *total)
{
	const struct kind *k = kind_for(file);
	struct counts cnt = { 0, 0, 0 };
	struct px_err err = { 0 };
	char path[PATH_MAX];
	json_t *root = NULL;
	const char *key;
	json_t *v;
	int n;

	if (!k) {
		printf("FAIL %s: unknown table kind\n", file);
		count(&cnt, false);
		goto out;
	}
	n = snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		printf("FAIL %s: path too long\n", file);
		count(&cnt, false);
		goto out;
	}
	root = px_json_load_file(&err, path);
	if (!root) {
		printf("FAIL %s: %s\n", file, err.msg);
		count(&cnt, false);
		goto out;
	}
	if (json_is_object(root)) {
		json_object_foreach(root, key, v)
			run_case(k, file, key, v, &cnt);
	} else if (json_is_array(root)) {
		for (size_t i = 0; i < json_array_size(root); i++) {
			char name[32];

			snprintf(name, sizeof(name), "#%zu", i);
			run_case(k, file, name, json_array_get(root, i), &cnt);
		}
	} else {
		printf("FAIL %s: top level is %s, not an object or array of cases\n", file,
		       px_json_type_name(root));
		count(&cnt, false);
	}
	if (cnt.cases == 0)
		fprintf(stderr, "note: %s holds no cases\n", file);
out:
	if (verbose)
		printf("%s: %lu cases, %lu failed\n", file, cnt.cases, cnt.failed);
	total->cases += cnt.cases;
	total->passed += cnt.passed;
	total->failed += cnt.failed;
	json_decref(root);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_table(const char *name)
{
	size_t len = strlen(name);

	return strncmp(name, "Test", 4) == 0 && len > 9 && strcmp(name + len - 5, ".json") == 0;
}

/* The Test*.json names in dir, sorted so runs compare line by line.
 * NULL with *n == 0 when there are none; NULL with *n == SIZE_MAX when
 * memory ran out. */
static char **list_tables(DIR *d, size_t *n)
{
	char **names = NULL, **grown;
	size_t cap = 0;
	struct dirent *de;

	*n = 0;
	while ((de = readdir(d)) != NULL) {
		if (!is_table(de->d_name))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			grown = realloc(names, cap * sizeof(*names));
			if (!grown)
				goto fail;
			names = grown;
		}
		names[*n] = strdup(de->d_name);
		if (!names[*n])
			goto fail;
		(*n)++;
	}
	if (*n)
		qsort(names, *n, sizeof(*names), cmp_names);
	return names;
fail:
	while (*n > 0)
		free(names[--*n]);
	free(names);
	*n = SIZE_MAX;
	return NULL;
}

int main(int argc, char **argv)
{
	struct counts total = { 0, 0, 0 };
	char dir[PATH_MAX];
	char **names;
	size_t n_names;
	const char *root;
	DIR *d;
	int n;

	if (argc == 3 && strcmp(argv[1], "-v") == 0) {
		verbose = true;
		root = argv[2];
	} else if (argc == 2) {
		root = argv[1];
	} else {
		fprintf(stderr, "usage: %s [-v] VECTORS_DIR\n", argv[0]);
		return 2;
	}
	n = snprintf(dir, sizeof(dir), "%s/%s", root, UNIT_DIR);
	if (n < 0 || (size_t)n >= sizeof(dir)) {
		fprintf(stderr, "ics23 tables: path too long\n");
		return 2;
	}
	d = opendir(dir);
	if (!d) {
		if (errno == ENOENT) {
			printf("ics23 tables: skipped (no vectors at %s)\n", dir);
			return EXIT_SKIP;
		}
		printf("ics23 tables: cannot open %s: %s\n", dir, strerror(errno));
		return 1;
	}
	names = list_tables(d, &n_names);
	closedir(d);
	if (n_names == SIZE_MAX) {
		printf("ics23 tables: out of memory\n");
		return 1;
	}
	for (size_t i = 0; i < n_names; i++) {
		run_file(dir, names[i], &total);
		free(names[i]);
	}
	free(names);
	px_hash_thread_cleanup();
	printf("ics23 tables: %lu cases, %lu passed, %lu failed\n", total.cases, total.passed,
	       total.failed);
	return total.failed == 0 && total.cases > 0 ? 0 : 1;
}
