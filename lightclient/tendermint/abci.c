/* abci_query proof chains: parse the node's response, then check the IAVL
 * store proof and the multistore proof one after the other, the first
 * giving the root the second must commit under the store's name, the
 * second ending at the app hash. The IAVL root is recomputed from the proof
 * itself (as the Cosmos SDK's CommitmentOp does) and only trusted once the
 * multistore proof has committed it under the app hash. */
#include "lightclient/tendermint/abci.h"

#include <string.h>

#include "common/json.h"
#include "common/number.h"
#include "common/protobuf.h"
#include "lightclient/ics23/ics23.h"

void tm_abci_response_free(struct tm_abci_response *r)
{
	px_buf_free(&r->key);
	px_buf_free(&r->value);
	px_buf_free(&r->store);
	px_buf_free(&r->iavl_proof);
	px_buf_free(&r->simple_proof);
	memset(r, 0, sizeof(*r));
}

/* A base64 field of at most cap decoded bytes, checked before decoding. */
static bool get_b64_capped(struct px_err *err, struct px_buf *out, const json_t *obj,
			   const char *field, size_t cap)
{
	json_t *v = json_object_get(obj, field);

	if (json_is_string(v) && json_string_length(v) / 4 * 3 > cap + 3)
		return px_err_set(err, PX_E_TOO_LARGE, "field '%s': more than %zu bytes", field,
				  cap);
	if (!px_json_get_base64(err, out, obj, field))
		return false;
	if (out->len > cap)
		return px_err_set(err, PX_E_TOO_LARGE, "field '%s': more than %zu bytes", field,
				  cap);
	return true;
}

/* The object holding the response fields, through the envelopes a caller
 * may have kept. */
static const json_t *unwrap(const json_t *obj)
{
	const json_t *v;

	if (json_is_object(obj) && (v = json_object_get(obj, "result")) && json_is_object(v))
		obj = v;
	if (json_is_object(obj) && (v = json_object_get(obj, "response")) && json_is_object(v))
		obj = v;
	return obj;
}

static bool is_known_op(const char *type)
{
	return strcmp(type, TM_ABCI_OP_IAVL) == 0 || strcmp(type, TM_ABCI_OP_SIMPLE) == 0;
}

/* One op: its type must be `want` at this position. */
static bool read_op(struct px_err *err, struct px_buf *key, struct px_buf *data, const json_t *op,
		    size_t idx, const char *want, size_t key_cap)
{
	const char *type;

	if (!json_is_object(op))
		return px_err_set(err, PX_E_JSON, "proof op %zu: expected object, got %s", idx,
				  px_json_type_name(op));
	if (!px_json_get_string(err, &type, op, "type"))
		goto fail;
	if (!is_known_op(type))
		return px_err_set(err, PX_E_UNSUPPORTED,
				  "proof op %zu: type '%.40s' is not supported (want %s then %s)",
				  idx, type, TM_ABCI_OP_IAVL, TM_ABCI_OP_SIMPLE);
	if (strcmp(type, want) != 0)
		return px_err_set(err, PX_E_PROOF_SHAPE, "proof op %zu: type %s where %s belongs "
				  "(ops must be %s then %s)", idx, type, want, TM_ABCI_OP_IAVL,
				  TM_ABCI_OP_SIMPLE);
	if (!get_b64_capped(err, key, op, "key", key_cap) ||
	    !get_b64_capped(err, data, op, "data", ICS23_MAX_PROOF_BYTES))
		goto fail;
	if (key->len == 0)
		return px_err_set(err, PX_E_MALFORMED, "proof op %zu: empty key", idx);
	if (data->len == 0)
		return px_err_set(err, PX_E_MALFORMED, "proof op %zu: empty proof", idx);
	return true;
fail:
	px_err_prefix(err, "proof op %zu: ", idx);
	return false;
}

static bool read_ops(struct px_err *err, struct tm_abci_response *out, const json_t *resp)
{
	const json_t *ops_obj = json_object_get(resp, "proofOps");
	const json_t *alt = json_object_get(resp, "proof_ops");
	struct px_buf iavl_key = PX_BUF_INIT;
	json_t *ops;
	bool ok = false;

	if (ops_obj && alt)
		return px_err_set(err, PX_E_JSON, "both 'proofOps' and 'proof_ops' present");
	if (!ops_obj)
		ops_obj = alt;
	if (!ops_obj || json_is_null(ops_obj))
		return px_err_set(err, PX_E_PROOF_SHAPE,
				  "response carries no proof ops (query with prove=true)");
	if (!json_is_object(ops_obj))
		return px_err_set(err, PX_E_JSON, "field 'proofOps': expected object, got %s",
				  px_json_type_name(ops_obj));
	if (!px_json_get_array(err, &ops, ops_obj, "ops")) {
		px_err_prefix(err, "proofOps: ");
		return false;
	}
	if (json_array_size(ops) != TM_ABCI_MAX_OPS)
		return px_err_set(err, PX_E_PROOF_SHAPE,
				  "%zu proof ops, want 2 (%s then %s)", json_array_size(ops),
				  TM_ABCI_OP_IAVL, TM_ABCI_OP_SIMPLE);
	if (!read_op(err, &iavl_key, &out->iavl_proof, json_array_get(ops, 0), 0,
		     TM_ABCI_OP_IAVL, ICS23_MAX_KEY) ||
	    !read_op(err, &out->store, &out->simple_proof, json_array_get(ops, 1), 1,
		     TM_ABCI_OP_SIMPLE, TM_ABCI_MAX_STORE))
		goto out;
	if (!px_slice_eq(px_slice_of(&iavl_key), px_slice_of(&out->key))) {
		px_err_set(err, PX_E_KEY_MISMATCH,
			   "proof op 0: key differs from the response's key");
		goto out;
	}
	ok = true;
out:
	px_buf_free(&iavl_key);
	return ok;
}

bool tm_abci_response_from_json(struct px_err *err, struct tm_abci_response *out,
				const json_t *obj)
{
	const json_t *resp = unwrap(obj);
	const json_t *v;
	int64_t code = 0;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(resp)) {
		px_err_set(err, PX_E_JSON, "abci_query response: expected object, got %s",
			   px_json_type_name(resp));
		goto fail;
	}
	if ((v = json_object_get(resp, "code")) && !json_is_null(v)) {
		if (!px_json_get_i64(err, &code, resp, "code"))
			goto fail;
		if (code != 0) {
			const char *log = "";
			bool has_log;

			if (!px_json_opt_string(err, &log, &has_log, resp, "log"))
				goto fail;
			px_err_set(err, PX_E_RPC, "query failed on the node: code %lld: %.120s",
				   (long long)code, log);
			goto fail;
		}
	}
	if (!px_json_get_i64(err, &out->height, resp, "height"))
		goto fail;
	if (out->height <= 0) {
		px_err_set(err, PX_E_MALFORMED, "field 'height': %lld is not a block height",
			   (long long)out->height);
		goto fail;
	}
	if (!get_b64_capped(err, &out->key, resp, "key", ICS23_MAX_KEY))
		goto fail;
	if (out->key.len == 0) {
		px_err_set(err, PX_E_MALFORMED, "field 'key': empty");
		goto fail;
	}
	/* An absent key comes back with the value missing, null or empty. */
	if ((v = json_object_get(resp, "value")) && !json_is_null(v) &&
	    !get_b64_capped(err, &out->value, resp, "value", ICS23_MAX_VALUE))
		goto fail;
	if (!read_ops(err, out, resp))
		goto fail;
	return true;
fail:
	px_err_prefix(err, "abci_query: ");
	tm_abci_response_free(out);
	return false;
}

/* The root a decoded proof commits to, as ics23's Calculate: the existence
 * proof, a neighbour of the non-existence proof, or a batch's first entry. */
static bool proof_root(struct px_err *err, uint8_t out[64], size_t *out_len,
		       const struct ics23_proof *p)
{
	const struct ics23_existence_proof *e = NULL;
	const struct ics23_nonexistence_proof *n = NULL;

	switch (p->kind) {
	case ICS23_PROOF_EXIST:
		e = p->exist;
		break;
	case ICS23_PROOF_NONEXIST:
		n = p->nonexist;
		break;
	case ICS23_PROOF_BATCH:
	case ICS23_PROOF_COMPRESSED:
		if (p->entries_len == 0)
			return px_err_set(err, PX_E_PROOF_SHAPE, "empty batch proof");
		e = p->entries[0].exist;
		n = p->entries[0].nonexist;
		break;
	}
	if (!e && n)
		e = n->left ? n->left : n->right;
	if (!e)
		return px_err_set(err, PX_E_PROOF_SHAPE, "proof holds no existence proof to "
				  "compute a root from");
	return ics23_existence_calculate(err, out, out_len, e);
}

bool tm_abci_verify(struct px_err *err, struct tm_abci_result *out, const uint8_t *app_hash,
		    size_t app_hash_len, const uint8_t *store, size_t store_len,
		    const uint8_t *key, size_t key_len, const uint8_t *value, size_t value_len,
		    const uint8_t *iavl_proof, size_t iavl_len, const uint8_t *simple_proof,
		    size_t simple_len)
{
	struct ics23_proof ip = { 0 }, sp = { 0 };
	struct tm_abci_result r = { 0 };
	bool ok = false;

	if (app_hash_len == 0 || app_hash_len > 64)
		return px_err_set(err, PX_E_MALFORMED, "app hash of %zu bytes", app_hash_len);
	if (store_len == 0 || store_len > TM_ABCI_MAX_STORE)
		return px_err_set(err, PX_E_MALFORMED, "store name of %zu bytes", store_len);
	if (key_len == 0 || key_len > ICS23_MAX_KEY)
		return px_err_set(err, PX_E_MALFORMED, "key of %zu bytes", key_len);
	if (!ics23_proof_decode(err, &ip, iavl_proof, iavl_len)) {
		px_err_prefix(err, "%s proof: ", TM_ABCI_OP_IAVL);
		goto out;
	}
	if (!ics23_proof_decode(err, &sp, simple_proof, simple_len)) {
		px_err_prefix(err, "%s proof: ", TM_ABCI_OP_SIMPLE);
		goto out;
	}
	if (!proof_root(err, r.store_root, &r.store_root_len, &ip))
		goto fail_iavl;
	r.exists = value_len > 0;
	if (r.exists) {
		if (!ics23_verify_membership(err, &ics23_spec_iavl, r.store_root, r.store_root_len,
					     &ip, key, key_len, value, value_len))
			goto fail_iavl;
	} else {
		if (!ics23_verify_non_membership(err, &ics23_spec_iavl, r.store_root,
						 r.store_root_len, &ip, key, key_len))
			goto fail_iavl;
	}
	/* The store root is only a claim until the multistore commits it. */
	if (!ics23_verify_membership(err, &ics23_spec_tendermint, app_hash, app_hash_len, &sp,
				     store, store_len, r.store_root, r.store_root_len)) {
		px_err_prefix(err, "%s proof (store '%.*s'): ", TM_ABCI_OP_SIMPLE, (int)store_len,
			      (const char *)store);
		goto out;
	}
	*out = r;
	ok = true;
	goto out;
fail_iavl:
	px_err_prefix(err, "%s proof: ", TM_ABCI_OP_IAVL);
out:
	ics23_proof_free(&ip);
	ics23_proof_free(&sp);
	return ok;
}

bool tm_abci_response_verify(struct px_err *err, struct tm_abci_result *out,
			     const struct tm_abci_response *r, const uint8_t *app_hash,
			     size_t app_hash_len)
{
	return tm_abci_verify(err, out, app_hash, app_hash_len, r->store.data, r->store.len,
			      r->key.data, r->key.len, r->value.data, r->value.len,
			      r->iavl_proof.data, r->iavl_proof.len, r->simple_proof.data,
			      r->simple_proof.len);
}

bool tm_merkle_proof_split(struct px_err *err, struct px_slice *iavl, struct px_slice *simple,
			   const uint8_t *buf, size_t len)
{
	struct px_cursor c = px_cursor_init(buf, len);
	struct px_slice got[TM_ABCI_MAX_OPS];
	size_t n = 0;

	if (len > 2 * (size_t)ICS23_MAX_PROOF_BYTES + 16)
		return px_err_set(err, PX_E_TOO_LARGE, "merkle proof: %zu bytes", len);
	while (px_cursor_more(&c)) {
		uint32_t field, wire;
		struct px_slice s;

		px_pb_read_tag(&c, &field, &wire);
		if (field != 1) {
			px_pb_skip(&c, wire);
			continue;
		}
		px_pb_read_bytes(&c, wire, &s, ICS23_MAX_PROOF_BYTES);
		if (!px_cursor_ok(&c))
			break;
		if (n == TM_ABCI_MAX_OPS)
			return px_err_set(err, PX_E_PROOF_SHAPE,
					  "merkle proof: more than %d proofs", TM_ABCI_MAX_OPS);
		got[n++] = s;
	}
	if (!px_cursor_ok(&c))
		return px_err_set(err, PX_E_MALFORMED, "merkle proof: %s at byte %zu",
				  px_cursor_error(&c), px_cursor_offset(&c));
	if (n != TM_ABCI_MAX_OPS)
		return px_err_set(err, PX_E_PROOF_SHAPE, "merkle proof: %zu proofs, want 2", n);
	*iavl = got[0];
	*simple = got[1];
	return true;
}

bool tm_abci_proof_height(int64_t *out, int64_t h)
{
	if (h <= 0 || h == INT64_MAX)
		return false;
	*out = h + 1;
	return true;
}
