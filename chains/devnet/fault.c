/* Fault switches of the devnet (see fault.h): their parsing, and the
 * re-signing of served commits. The RPC methods (rpc.c) and the transport
 * (server.c) read the switches; nothing here touches the node's store. */
#include "chains/devnet/fault.h"

#include <string.h>

#include "chains/devnet/json_tm.h"
#include "common/buf.h"
#include "common/number.h"
#include "lightclient/tendermint/hash.h"

/* Not derived like the validators' test seeds (sha256 of a prefixed
 * string), so no home can hold this key. */
static const uint8_t wrong_seed[DEVNET_SEED_LEN] = "pontifex-devnet wrong key seed!";

bool devnet_faults_init(struct px_err *err, struct devnet_faults *f)
{
	memset(f, 0, sizeof(*f));
	return devnet_key_from_seed(err, &f->wrong_key, wrong_seed);
}

void devnet_faults_free(struct devnet_faults *f)
{
	devnet_key_free(&f->wrong_key);
	memset(f, 0, sizeof(*f));
}

static bool is_off(const char *v)
{
	return strcmp(v, "0") == 0 || strcmp(v, "off") == 0 || strcmp(v, "false") == 0;
}

static bool is_on(const char *v)
{
	return !*v || strcmp(v, "1") == 0 || strcmp(v, "on") == 0 || strcmp(v, "true") == 0;
}

/* A number switch: off, or an integer in [1, max]. */
static bool number(struct px_err *err, uint64_t *out, const char *name, const char *v,
		   uint64_t max)
{
	uint64_t n;

	if (is_off(v)) {
		*out = 0;
		return true;
	}
	if (!px_parse_u64(err, &n, v, strlen(v)) || n < 1 || n > max) {
		px_err_clear(err);
		return px_err_set(err, PX_E_USAGE, "fault %s: want off or an integer in [1, %llu]",
				  name, (unsigned long long)max);
	}
	*out = n;
	return true;
}

static bool flag(struct px_err *err, bool *out, const char *name, const char *v)
{
	if (is_off(v))
		*out = false;
	else if (is_on(v))
		*out = true;
	else
		return px_err_set(err, PX_E_USAGE, "fault %s: want on or off", name);
	return true;
}

bool devnet_faults_set(struct px_err *err, struct devnet_faults *f, const char *name,
		       const char *value)
{
	const char *v = value ? value : "";
	uint64_t n;

	if (strlen(v) > DEVNET_FAULT_MAX_VALUE)
		return px_err_set(err, PX_E_USAGE, "fault %.40s: value too long", name);
	if (strcmp(name, "clear") == 0) {
		f->drop_ws_now = false;
		f->drop_ws_every = 0;
		f->delay_ms = 0;
		f->corrupt_proof = false;
		f->wrong_key_header = false;
		f->equivocate_height = 0;
		return true;
	}
	if (strcmp(name, "drop_ws") == 0) {
		if (!*v) {
			f->drop_ws_now = true;
			return true;
		}
		return number(err, &f->drop_ws_every, name, v, DEVNET_FAULT_MAX_DROP_EVERY);
	}
	if (strcmp(name, "delay_ms") == 0)
		return number(err, &f->delay_ms, name, v, DEVNET_FAULT_MAX_DELAY_MS);
	if (strcmp(name, "corrupt_proof") == 0)
		return flag(err, &f->corrupt_proof, name, v);
	if (strcmp(name, "wrong_key_header") == 0)
		return flag(err, &f->wrong_key_header, name, v);
	if (strcmp(name, "equivocate") == 0) {
		if (!number(err, &n, name, v, INT64_MAX))
			return false;
		f->equivocate_height = (int64_t)n;
		return true;
	}
	return px_err_set(err, PX_E_USAGE,
			  "fault '%.40s': want drop_ws, delay_ms, corrupt_proof, wrong_key_header, "
			  "equivocate or clear", name);
}

json_t *devnet_faults_state(const struct devnet_faults *f)
{
	return json_pack("{s:I, s:I, s:b, s:b, s:o}", "drop_ws", (json_int_t)f->drop_ws_every,
			 "delay_ms", (json_int_t)f->delay_ms, "corrupt_proof", f->corrupt_proof,
			 "wrong_key_header", f->wrong_key_header, "equivocate",
			 devnet_json_i64(f->equivocate_height));
}

static const struct devnet_key *key_for(const struct devnet_key *keys, size_t n,
					const uint8_t address[TM_ADDRESS_LEN])
{
	for (size_t i = 0; i < n; i++) {
		if (memcmp(keys[i].address, address, TM_ADDRESS_LEN) == 0)
			return &keys[i];
	}
	return NULL;
}

/* Another app hash in the header object, and its new hash in hash. */
static bool equivocate(struct px_err *err, uint8_t hash[TM_HASH_LEN], json_t *header)
{
	struct tm_header h;

	if (!tm_header_from_json(err, &h, header))
		return false;
	if (h.app_hash.len == 0) {
		h.app_hash.len = TM_HASH_LEN;
		memset(h.app_hash.b, 0xEE, TM_HASH_LEN);
	} else {
		h.app_hash.b[0] ^= 0x01;
	}
	if (!tm_header_hash(err, hash, &h))
		return px_err_set(err, PX_E_MALFORMED, "equivocate: header without a hash");
	if (json_object_set_new(header, "app_hash", devnet_json_hex(h.app_hash.b, h.app_hash.len)))
		return px_err_set(err, PX_E_NOMEM, "equivocate: out of memory");
	return true;
}

bool devnet_faults_resign(struct px_err *err, const struct devnet_faults *f, json_t *header,
			  json_t *commit, const char *chain_id, const struct devnet_key *keys,
			  size_t n_keys, bool wrong)
{
	struct tm_commit c;
	struct px_buf msg = PX_BUF_INIT;
	uint8_t hash[TM_HASH_LEN];
	json_t *sigs = json_object_get(commit, "signatures");
	bool ok = false;

	if (!tm_commit_from_json(err, &c, commit))
		return false;
	if (json_array_size(sigs) != c.len) {
		px_err_set(err, PX_E_MALFORMED, "resign: %zu signatures", json_array_size(sigs));
		goto out;
	}
	if (header) {
		if (!equivocate(err, hash, header))
			goto out;
		memcpy(c.block_id.hash.b, hash, TM_HASH_LEN);
		c.block_id.hash.len = TM_HASH_LEN;
		if (json_object_set_new(json_object_get(commit, "block_id"), "hash",
					devnet_json_hex(hash, TM_HASH_LEN))) {
			px_err_set(err, PX_E_NOMEM, "resign: out of memory");
			goto out;
		}
	}
	for (size_t i = 0; i < c.len; i++) {
		const struct devnet_key *k = wrong ? &f->wrong_key :
				key_for(keys, n_keys, c.sigs[i].validator_address);
		uint8_t sig[TM_SIGNATURE_LEN];

		if (c.sigs[i].flag == TM_FLAG_ABSENT)
			continue;
		if (!k) {
			px_err_set(err, PX_E_CONFIG, "resign: no key for signature %zu", i);
			goto out;
		}
		px_buf_reset(&msg);
		tm_commit_sign_bytes(&msg, chain_id, &c, i);
		if (!px_buf_ok(&msg)) {
			px_err_set(err, PX_E_NOMEM, "resign: out of memory");
			goto out;
		}
		if (!devnet_key_sign(err, sig, k, msg.data, msg.len))
			goto out;
		if (json_object_set_new(json_array_get(sigs, i), "signature",
					devnet_json_b64(sig, sizeof(sig)))) {
			px_err_set(err, PX_E_NOMEM, "resign: out of memory");
			goto out;
		}
	}
	ok = true;
out:
	px_buf_free(&msg);
	tm_commit_free(&c);
	return ok;
}
