/* Decoding CometBFT RPC JSON into the light client's types. Field types are
 * checked one by one; anything a CometBFT node would not write (odd hex,
 * bad base64, a negative height, an unknown key type or signature flag, a
 * chain id over 50 bytes) is refused with the field's name. */
#include "lightclient/tendermint/types.h"

#include <stdlib.h>
#include <string.h>

#include "common/encoding.h"
#include "common/json.h"
#include "common/number.h"
#include "lightclient/tendermint/crypto.h"

/* A hex field that may be "", null or (for hashes) absent-as-null into a
 * struct tm_bytes of at most TM_MAX_BYTES. */
static bool get_hex_bytes(struct px_err *err, struct tm_bytes *out, const json_t *obj,
			  const char *field)
{
	struct px_buf b = PX_BUF_INIT;
	json_t *v = json_object_get(obj, field);
	bool ok = false;

	out->len = 0;
	if (!v)
		return px_err_set(err, PX_E_JSON, "field '%s': missing", field);
	if (json_is_null(v))
		return true;
	if (!json_is_string(v))
		return px_err_set(err, PX_E_JSON, "field '%s': expected hex string, got %s", field,
				  px_json_type_name(v));
	if (!px_hex_decode(err, &b, json_string_value(v), json_string_length(v), false)) {
		px_err_prefix(err, "field '%s': ", field);
		goto out;
	}
	if (b.len > TM_MAX_BYTES) {
		px_err_set(err, PX_E_TOO_LARGE, "field '%s': %zu bytes, limit %d", field, b.len,
			   TM_MAX_BYTES);
		goto out;
	}
	if (b.len)
		memcpy(out->b, b.data, b.len);
	out->len = b.len;
	ok = true;
out:
	px_buf_free(&b);
	return ok;
}

/* A hash field: empty or exactly 32 bytes. */
static bool get_hash(struct px_err *err, struct tm_bytes *out, const json_t *obj, const char *field)
{
	if (!get_hex_bytes(err, out, obj, field))
		return false;
	if (out->len != 0 && out->len != TM_HASH_LEN)
		return px_err_set(err, PX_E_MALFORMED, "field '%s': %zu bytes, want 0 or 32", field,
				  out->len);
	return true;
}

static bool get_address(struct px_err *err, uint8_t out[TM_ADDRESS_LEN], bool *present,
			const json_t *obj, const char *field)
{
	struct tm_bytes b;

	if (!get_hex_bytes(err, &b, obj, field))
		return false;
	*present = b.len != 0;
	if (b.len != 0 && b.len != TM_ADDRESS_LEN)
		return px_err_set(err, PX_E_MALFORMED, "field '%s': %zu bytes, want 20", field, b.len);
	memset(out, 0, TM_ADDRESS_LEN);
	if (b.len)
		memcpy(out, b.b, TM_ADDRESS_LEN);
	return true;
}

/* A non-negative int64 written as a string or a JSON integer. */
static bool get_height(struct px_err *err, int64_t *out, const json_t *obj, const char *field)
{
	if (!px_json_get_i64(err, out, obj, field))
		return false;
	if (*out < 0)
		return px_err_set(err, PX_E_MALFORMED, "field '%s': negative", field);
	return true;
}

static bool get_time(struct px_err *err, struct px_time *out, const json_t *obj, const char *field)
{
	const char *s;

	if (!px_json_get_string(err, &s, obj, field))
		return false;
	if (!px_time_parse(err, out, s, strlen(s))) {
		px_err_prefix(err, "field '%s': ", field);
		return false;
	}
	return true;
}

bool tm_block_id_from_json(struct px_err *err, struct tm_block_id *out, const json_t *obj)
{
	const json_t *parts;
	uint64_t total;

	memset(out, 0, sizeof(*out));
	if (json_is_null(obj))
		return true;
	if (!json_is_object(obj))
		return px_err_set(err, PX_E_JSON, "block id: expected object, got %s",
				  px_json_type_name(obj));
	if (!get_hash(err, &out->hash, obj, "hash"))
		goto fail;
	parts = json_object_get(obj, "parts");
	if (!parts)
		parts = json_object_get(obj, "part_set_header");
	if (!parts || json_is_null(parts))
		return true;
	if (!px_json_get_u64(err, &total, parts, "total") || !get_hash(err, &out->parts.hash, parts, "hash"))
		goto fail;
	if (total > UINT32_MAX) {
		px_err_set(err, PX_E_MALFORMED, "field 'total': over 32 bits");
		goto fail;
	}
	out->parts.total = (uint32_t)total;
	return true;
fail:
	px_err_prefix(err, "block id: ");
	memset(out, 0, sizeof(*out));
	return false;
}

bool tm_header_from_json(struct px_err *err, struct tm_header *out, const json_t *obj)
{
	const json_t *version, *lbid;
	const char *chain_id;

	memset(out, 0, sizeof(*out));
	if (!px_json_get_object(err, (json_t **)&version, obj, "version") ||
	    !px_json_get_u64(err, &out->version_block, version, "block"))
		goto fail;
	/* app is omitted by some encoders when zero */
	if (json_object_get(version, "app") && !px_json_get_u64(err, &out->version_app, version, "app"))
		goto fail;
	if (!px_json_get_string(err, &chain_id, obj, "chain_id"))
		goto fail;
	if (strlen(chain_id) > TM_MAX_CHAIN_ID) {
		px_err_set(err, PX_E_MALFORMED, "field 'chain_id': longer than %d bytes",
			   TM_MAX_CHAIN_ID);
		goto fail;
	}
	memcpy(out->chain_id, chain_id, strlen(chain_id) + 1);
	if (!get_height(err, &out->height, obj, "height") || !get_time(err, &out->time, obj, "time"))
		goto fail;
	lbid = json_object_get(obj, "last_block_id");
	if (!lbid) {
		px_err_set(err, PX_E_JSON, "field 'last_block_id': missing");
		goto fail;
	}
	if (!tm_block_id_from_json(err, &out->last_block_id, lbid) ||
	    !get_hash(err, &out->last_commit_hash, obj, "last_commit_hash") ||
	    !get_hash(err, &out->data_hash, obj, "data_hash") ||
	    !get_hash(err, &out->validators_hash, obj, "validators_hash") ||
	    !get_hash(err, &out->next_validators_hash, obj, "next_validators_hash") ||
	    !get_hash(err, &out->consensus_hash, obj, "consensus_hash") ||
	    !get_hex_bytes(err, &out->app_hash, obj, "app_hash") ||
	    !get_hash(err, &out->last_results_hash, obj, "last_results_hash") ||
	    !get_hash(err, &out->evidence_hash, obj, "evidence_hash") ||
	    !get_hex_bytes(err, &out->proposer_address, obj, "proposer_address"))
		goto fail;
	if (out->proposer_address.len != 0 && out->proposer_address.len != TM_ADDRESS_LEN) {
		px_err_set(err, PX_E_MALFORMED, "field 'proposer_address': %zu bytes, want 20",
			   out->proposer_address.len);
		goto fail;
	}
	return true;
fail:
	px_err_prefix(err, "header: ");
	memset(out, 0, sizeof(*out));
	return false;
}

static bool commit_sig_from_json(struct px_err *err, struct tm_commit_sig *out, const json_t *obj)
{
	struct px_buf sig = PX_BUF_INIT;
	uint64_t flag;
	bool has_addr;
	json_t *s;

	memset(out, 0, sizeof(*out));
	if (!px_json_get_u64(err, &flag, obj, "block_id_flag"))
		return false;
	if (flag < TM_FLAG_ABSENT || flag > TM_FLAG_NIL)
		return px_err_set(err, PX_E_MALFORMED, "field 'block_id_flag': unknown value %llu",
				  (unsigned long long)flag);
	out->flag = (enum tm_block_id_flag)flag;
	if (!get_address(err, out->validator_address, &has_addr, obj, "validator_address"))
		return false;
	if (json_object_get(obj, "timestamp") && !json_is_null(json_object_get(obj, "timestamp")) &&
	    !get_time(err, &out->timestamp, obj, "timestamp"))
		return false;
	s = json_object_get(obj, "signature");
	if (s && !json_is_null(s)) {
		if (!px_json_get_base64(err, &sig, obj, "signature"))
			goto fail;
		if (sig.len > TM_SIGNATURE_LEN) {
			px_err_set(err, PX_E_MALFORMED, "field 'signature': %zu bytes, over 64",
				   sig.len);
			goto fail;
		}
		if (sig.len)
			memcpy(out->signature, sig.data, sig.len);
		out->signature_len = sig.len;
	}
	/* An absent vote carries nothing; any other names its validator and
	 * carries a signature. */
	if (out->flag == TM_FLAG_ABSENT) {
		if (has_addr || out->signature_len) {
			px_err_set(err, PX_E_MALFORMED, "absent signature with address or signature");
			goto fail;
		}
	} else if (!has_addr || out->signature_len == 0) {
		px_err_set(err, PX_E_MALFORMED, "signature without validator address or signature");
		goto fail;
	}
	px_buf_free(&sig);
	return true;
fail:
	px_buf_free(&sig);
	memset(out, 0, sizeof(*out));
	return false;
}

bool tm_commit_from_json(struct px_err *err, struct tm_commit *out, const json_t *obj)
{
	json_t *sigs;
	int64_t round;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (!get_height(err, &out->height, obj, "height") || !px_json_get_i64(err, &round, obj, "round"))
		goto fail;
	if (round < 0 || round > INT32_MAX) {
		px_err_set(err, PX_E_MALFORMED, "field 'round': out of range");
		goto fail;
	}
	out->round = (int32_t)round;
	if (!json_object_get(obj, "block_id")) {
		px_err_set(err, PX_E_JSON, "field 'block_id': missing");
		goto fail;
	}
	if (!tm_block_id_from_json(err, &out->block_id, json_object_get(obj, "block_id")) ||
	    !px_json_get_array(err, &sigs, obj, "signatures"))
		goto fail;
	n = json_array_size(sigs);
	if (n > TM_MAX_VALIDATORS) {
		px_err_set(err, PX_E_TOO_LARGE, "commit: %zu signatures, limit %d", n,
			   TM_MAX_VALIDATORS);
		goto fail;
	}
	if (n) {
		out->sigs = calloc(n, sizeof(*out->sigs));
		if (!out->sigs) {
			px_err_set(err, PX_E_NOMEM, "commit: out of memory");
			goto fail;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (!commit_sig_from_json(err, &out->sigs[i], json_array_get(sigs, i))) {
			px_err_prefix(err, "signature %zu: ", i);
			goto fail;
		}
		out->len++;
	}
	return true;
fail:
	px_err_prefix(err, "commit: ");
	tm_commit_free(out);
	return false;
}

static bool validator_from_json(struct px_err *err, struct tm_validator *out, const json_t *obj)
{
	struct px_buf key = PX_BUF_INIT;
	const json_t *pk;
	const char *type;
	uint8_t derived[TM_ADDRESS_LEN];
	bool has_addr;

	memset(out, 0, sizeof(*out));
	if (!get_address(err, out->address, &has_addr, obj, "address") ||
	    !px_json_get_object(err, (json_t **)&pk, obj, "pub_key") ||
	    !px_json_get_string(err, &type, pk, "type") ||
	    !px_json_get_base64(err, &key, pk, "value") ||
	    !px_json_get_i64(err, &out->voting_power, obj, "voting_power"))
		goto fail;
	if (json_object_get(obj, "proposer_priority") &&
	    !px_json_get_i64(err, &out->proposer_priority, obj, "proposer_priority"))
		goto fail;
	if (strcmp(type, "tendermint/PubKeyEd25519") == 0) {
		out->pub_key.type = TM_KEY_ED25519;
		if (key.len != 32) {
			px_err_set(err, PX_E_MALFORMED, "ed25519 key of %zu bytes", key.len);
			goto fail;
		}
	} else if (strcmp(type, "tendermint/PubKeySecp256k1") == 0) {
		out->pub_key.type = TM_KEY_SECP256K1;
		if (key.len != 33) {
			px_err_set(err, PX_E_MALFORMED, "secp256k1 key of %zu bytes", key.len);
			goto fail;
		}
	} else {
		px_err_set(err, PX_E_UNSUPPORTED, "unsupported key type '%s'", type);
		goto fail;
	}
	memcpy(out->pub_key.bytes, key.data, key.len);
	out->pub_key.len = key.len;
	tm_pubkey_address(derived, &out->pub_key);
	if (!has_addr) {
		memcpy(out->address, derived, TM_ADDRESS_LEN);
	} else if (memcmp(derived, out->address, TM_ADDRESS_LEN) != 0) {
		px_err_set(err, PX_E_MALFORMED, "address does not derive from the public key");
		goto fail;
	}
	px_buf_free(&key);
	return true;
fail:
	px_buf_free(&key);
	memset(out, 0, sizeof(*out));
	return false;
}

static int validator_order(const void *pa, const void *pb)
{
	const struct tm_validator *a = pa, *b = pb;

	if (a->voting_power != b->voting_power)
		return a->voting_power > b->voting_power ? -1 : 1;
	return memcmp(a->address, b->address, TM_ADDRESS_LEN);
}

static int address_order(const void *a, const void *b)
{
	return memcmp(a, b, TM_ADDRESS_LEN);
}

static bool no_duplicate_addresses(struct px_err *err, const struct tm_validator_set *vs)
{
	uint8_t (*addrs)[TM_ADDRESS_LEN];
	bool ok = true;

	if (vs->len < 2)
		return true;
	addrs = malloc(vs->len * sizeof(*addrs));
	if (!addrs)
		return px_err_set(err, PX_E_NOMEM, "validator set: out of memory");
	for (size_t i = 0; i < vs->len; i++)
		memcpy(addrs[i], vs->validators[i].address, TM_ADDRESS_LEN);
	qsort(addrs, vs->len, sizeof(*addrs), address_order);
	for (size_t i = 1; i < vs->len && ok; i++)
		if (memcmp(addrs[i - 1], addrs[i], TM_ADDRESS_LEN) == 0)
			ok = px_err_set(err, PX_E_MALFORMED, "validator set: duplicate validator");
	free(addrs);
	return ok;
}

bool tm_validator_set_normalize(struct px_err *err, struct tm_validator_set *vs)
{
	int64_t total = 0;

	if (vs->len > TM_MAX_VALIDATORS)
		return px_err_set(err, PX_E_TOO_LARGE, "validator set: %zu validators, limit %d",
				  vs->len, TM_MAX_VALIDATORS);
	for (size_t i = 0; i < vs->len; i++) {
		int64_t p = vs->validators[i].voting_power;

		if (p <= 0)
			return px_err_set(err, PX_E_MALFORMED, "validator %zu: voting power %lld not positive",
					  i, (long long)p);
		if (p > TM_MAX_TOTAL_POWER - total)
			return px_err_set(err, PX_E_MALFORMED,
					  "validator set: total voting power over %lld",
					  (long long)TM_MAX_TOTAL_POWER);
		total += p;
	}
	if (vs->len > 1)
		qsort(vs->validators, vs->len, sizeof(vs->validators[0]), validator_order);
	if (!no_duplicate_addresses(err, vs))
		return false;
	vs->total_power = total;
	return true;
}

bool tm_validator_set_from_json(struct px_err *err, struct tm_validator_set *out, const json_t *obj)
{
	json_t *vals;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (!px_json_get_array(err, &vals, obj, "validators"))
		goto fail;
	n = json_array_size(vals);
	if (n > TM_MAX_VALIDATORS) {
		px_err_set(err, PX_E_TOO_LARGE, "%zu validators, limit %d", n, TM_MAX_VALIDATORS);
		goto fail;
	}
	if (n) {
		out->validators = calloc(n, sizeof(*out->validators));
		if (!out->validators) {
			px_err_set(err, PX_E_NOMEM, "out of memory");
			goto fail;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (!validator_from_json(err, &out->validators[i], json_array_get(vals, i))) {
			px_err_prefix(err, "validator %zu: ", i);
			goto fail;
		}
		out->len++;
	}
	if (!tm_validator_set_normalize(err, out))
		goto fail;
	return true;
fail:
	px_err_prefix(err, "validator set: ");
	tm_validator_set_free(out);
	return false;
}

bool tm_signed_header_from_json(struct px_err *err, struct tm_signed_header *out, const json_t *obj)
{
	json_t *h, *c;

	memset(out, 0, sizeof(*out));
	if (!px_json_get_object(err, &h, obj, "header") || !px_json_get_object(err, &c, obj, "commit"))
		return false;
	if (!tm_header_from_json(err, &out->header, h))
		return false;
	return tm_commit_from_json(err, &out->commit, c);
}

/* A JSON-RPC envelope's result, or the object itself. */
static const json_t *unwrap(const json_t *obj)
{
	const json_t *r = json_object_get(obj, "result");

	return json_is_object(r) ? r : obj;
}

bool tm_light_block_from_json(struct px_err *err, struct tm_light_block *out, const json_t *obj)
{
	const json_t *o = unwrap(obj), *v;
	json_t *sh;

	memset(out, 0, sizeof(*out));
	if (!px_json_get_object(err, &sh, o, "signed_header"))
		return false;
	if (!tm_signed_header_from_json(err, &out->signed_header, sh)) {
		px_err_prefix(err, "signed_header: ");
		goto fail;
	}
	v = json_object_get(o, "validator_set");
	if (v && !json_is_null(v)) {
		if (!tm_validator_set_from_json(err, &out->validators, v)) {
			px_err_prefix(err, "validator_set: ");
			goto fail;
		}
		out->has_validators = true;
	}
	v = json_object_get(o, "next_validator_set");
	if (v && !json_is_null(v)) {
		if (!tm_validator_set_from_json(err, &out->next_validators, v)) {
			px_err_prefix(err, "next_validator_set: ");
			goto fail;
		}
		out->has_next_validators = true;
	}
	return true;
fail:
	tm_light_block_free(out);
	return false;
}

bool tm_block_from_json(struct px_err *err, struct tm_header *header, struct tm_commit *last_commit,
			const json_t *obj)
{
	const json_t *o = unwrap(obj), *data, *block;
	json_t *h, *lc;

	/* A websocket NewBlock event: result.data.value.block */
	data = json_object_get(o, "data");
	if (json_is_object(data) && json_is_object(json_object_get(data, "value")))
		o = json_object_get(data, "value");
	block = json_object_get(o, "block");
	if (!json_is_object(block))
		return px_err_set(err, PX_E_JSON, "field 'block': missing or not an object");
	if (!px_json_get_object(err, &h, block, "header") ||
	    !px_json_get_object(err, &lc, block, "last_commit"))
		return false;
	if (!tm_header_from_json(err, header, h))
		return false;
	if (!tm_commit_from_json(err, last_commit, lc)) {
		px_err_prefix(err, "last_commit: ");
		memset(header, 0, sizeof(*header));
		return false;
	}
	return true;
}

void tm_commit_free(struct tm_commit *c)
{
	free(c->sigs);
	memset(c, 0, sizeof(*c));
}

void tm_validator_set_free(struct tm_validator_set *vs)
{
	free(vs->validators);
	memset(vs, 0, sizeof(*vs));
}

void tm_signed_header_free(struct tm_signed_header *sh)
{
	tm_commit_free(&sh->commit);
	memset(sh, 0, sizeof(*sh));
}

void tm_light_block_free(struct tm_light_block *lb)
{
	tm_signed_header_free(&lb->signed_header);
	tm_validator_set_free(&lb->validators);
	tm_validator_set_free(&lb->next_validators);
	memset(lb, 0, sizeof(*lb));
}

bool tm_validator_set_copy(struct px_err *err, struct tm_validator_set *out,
			   const struct tm_validator_set *in)
{
	memset(out, 0, sizeof(*out));
	if (in->len) {
		out->validators = malloc(in->len * sizeof(*in->validators));
		if (!out->validators)
			return px_err_set(err, PX_E_NOMEM, "validator set: out of memory");
		memcpy(out->validators, in->validators, in->len * sizeof(*in->validators));
	}
	out->len = in->len;
	out->total_power = in->total_power;
	return true;
}

bool tm_commit_copy(struct px_err *err, struct tm_commit *out, const struct tm_commit *in)
{
	*out = *in;
	out->sigs = NULL;
	if (in->len) {
		out->sigs = malloc(in->len * sizeof(*in->sigs));
		if (!out->sigs) {
			memset(out, 0, sizeof(*out));
			return px_err_set(err, PX_E_NOMEM, "commit: out of memory");
		}
		memcpy(out->sigs, in->sigs, in->len * sizeof(*in->sigs));
	}
	return true;
}

bool tm_light_block_copy(struct px_err *err, struct tm_light_block *out,
			 const struct tm_light_block *in)
{
	memset(out, 0, sizeof(*out));
	out->signed_header.header = in->signed_header.header;
	out->has_validators = in->has_validators;
	out->has_next_validators = in->has_next_validators;
	if (!tm_commit_copy(err, &out->signed_header.commit, &in->signed_header.commit) ||
	    !tm_validator_set_copy(err, &out->validators, &in->validators) ||
	    !tm_validator_set_copy(err, &out->next_validators, &in->next_validators)) {
		tm_light_block_free(out);
		return false;
	}
	return true;
}

ptrdiff_t tm_validator_set_find(const struct tm_validator_set *vs, const uint8_t address[TM_ADDRESS_LEN])
{
	for (size_t i = 0; i < vs->len; i++)
		if (memcmp(vs->validators[i].address, address, TM_ADDRESS_LEN) == 0)
			return (ptrdiff_t)i;
	return -1;
}
