/* eth_getProof results: parse everything (hex nodes into one buffer per
 * proof), then verify the account and each slot. */
#include "lightclient/ethereum/getproof.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/json.h"
#include "lightclient/ethereum/ethjson.h"

/* One proof (list of nodes) decoded from JSON: the node bytes live in
 * bytes, the slices are made once all are decoded (the buffer may move
 * while it grows). */
struct proof {
	struct px_buf bytes;
	size_t off[MPT_MAX_PROOF_NODES + 1];
	size_t len[MPT_MAX_PROOF_NODES + 1];
	struct px_slice nodes[MPT_MAX_PROOF_NODES + 1];
	size_t n;
};

struct claimed_slot {
	uint8_t key[ETH_U256_LEN];
	uint8_t value[ETH_U256_LEN];
	struct proof proof;
};

struct parsed {
	uint8_t address[ETH_ADDRESS_LEN];
	struct eth_account claimed;
	struct proof account;
	struct claimed_slot *slots;
	size_t nslots;
};

static bool parse_proof(struct px_err *err, struct proof *p, const json_t *obj, const char *field)
{
	json_t *arr, *v;
	size_t i;

	if (!px_json_get_array(err, &arr, obj, field))
		return false;
	if (json_array_size(arr) > MPT_MAX_PROOF_NODES)
		return px_err_set(err, PX_E_TOO_LARGE, "field '%s': %zu nodes, more than %u", field,
				  json_array_size(arr), MPT_MAX_PROOF_NODES);
	json_array_foreach(arr, i, v) {
		size_t before = p->bytes.len;

		if (!json_is_string(v))
			return px_err_set(err, PX_E_JSON, "field '%s[%zu]': expected string, got %s",
					  field, i, px_json_type_name(v));
		if (!eth_parse_data(err, &p->bytes, json_string_value(v), json_string_length(v),
				    MPT_MAX_NODE_BYTES)) {
			px_err_prefix(err, "field '%s[%zu]': ", field, i);
			return false;
		}
		if (!px_buf_ok(&p->bytes))
			return px_err_set(err, PX_E_NOMEM, "field '%s': out of memory", field);
		p->off[i] = before;
		p->len[i] = p->bytes.len - before;
	}
	p->n = json_array_size(arr);
	/* Empty nodes ("0x") may leave the buffer unallocated. */
	for (i = 0; i < p->n; i++) {
		p->nodes[i].ptr = p->bytes.data ? p->bytes.data + p->off[i] : (const uint8_t *)"";
		p->nodes[i].len = p->len[i];
	}
	return true;
}

static void parsed_free(struct parsed *p)
{
	px_buf_free(&p->account.bytes);
	for (size_t i = 0; i < p->nslots; i++)
		px_buf_free(&p->slots[i].proof.bytes);
	free(p->slots);
	memset(p, 0, sizeof(*p));
}

static bool parse(struct px_err *err, struct parsed *p, const json_t *r)
{
	json_t *arr, *v;
	size_t i;

	if (!json_is_object(r))
		return px_err_set(err, PX_E_JSON, "result: expected an object, got %s",
				  px_json_type_name(r));
	if (!eth_json_data_fixed(err, p->address, ETH_ADDRESS_LEN, r, "address") ||
	    !eth_json_quantity(err, p->claimed.balance, ETH_U256_LEN, r, "balance") ||
	    !eth_json_u64(err, &p->claimed.nonce, r, "nonce") ||
	    !eth_json_data_fixed(err, p->claimed.storage_root, ETH_HASH_LEN, r, "storageHash") ||
	    !eth_json_data_fixed(err, p->claimed.code_hash, ETH_HASH_LEN, r, "codeHash") ||
	    !parse_proof(err, &p->account, r, "accountProof") ||
	    !px_json_get_array(err, &arr, r, "storageProof"))
		return false;
	if (json_array_size(arr) > MPT_MAX_STORAGE_PROOFS)
		return px_err_set(err, PX_E_TOO_LARGE, "field 'storageProof': %zu entries, more than %u",
				  json_array_size(arr), MPT_MAX_STORAGE_PROOFS);
	if (json_array_size(arr) > 0) {
		p->slots = calloc(json_array_size(arr), sizeof(*p->slots));
		if (!p->slots)
			return px_err_set(err, PX_E_NOMEM, "storageProof: out of memory");
	}
	json_array_foreach(arr, i, v) {
		struct claimed_slot *s = &p->slots[i];

		p->nslots = i + 1;
		if (!eth_json_quantity(err, s->key, ETH_U256_LEN, v, "key") ||
		    !eth_json_quantity(err, s->value, ETH_U256_LEN, v, "value") ||
		    !parse_proof(err, &s->proof, v, "proof")) {
			px_err_prefix(err, "storageProof[%zu]: ", i);
			return false;
		}
	}
	return true;
}

static bool is_zero(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

static bool mismatch(struct px_err *err, const char *field, const uint8_t *claimed,
		     const uint8_t *proven, size_t len, bool quantity)
{
	char a[2 * ETH_HASH_LEN + 4], b[2 * ETH_HASH_LEN + 4];

	if (quantity) {
		eth_quantity_format(a, sizeof(a), claimed, len);
		eth_quantity_format(b, sizeof(b), proven, len);
	} else {
		eth_hex_format(a, sizeof(a), claimed, len);
		eth_hex_format(b, sizeof(b), proven, len);
	}
	return px_err_set(err, PX_E_VALUE_MISMATCH, "%s: result claims %s, proof shows %s", field, a,
			  b);
}

/* The claimed account fields against the proven ones. */
static bool check_account(struct px_err *err, const struct eth_account *c,
			  const struct eth_account *proven, bool exists)
{
	uint8_t cn[8], pn[8];

	for (size_t i = 0; i < 8; i++) {
		cn[i] = (uint8_t)(c->nonce >> (56 - 8 * i));
		pn[i] = (uint8_t)(proven->nonce >> (56 - 8 * i));
	}
	if (memcmp(cn, pn, 8) != 0)
		return mismatch(err, "nonce", cn, pn, 8, true);
	if (memcmp(c->balance, proven->balance, ETH_U256_LEN) != 0)
		return mismatch(err, "balance", c->balance, proven->balance, ETH_U256_LEN, true);
	if (exists) {
		if (memcmp(c->storage_root, proven->storage_root, ETH_HASH_LEN) != 0)
			return mismatch(err, "storageHash", c->storage_root, proven->storage_root,
					ETH_HASH_LEN, false);
		if (memcmp(c->code_hash, proven->code_hash, ETH_HASH_LEN) != 0)
			return mismatch(err, "codeHash", c->code_hash, proven->code_hash, ETH_HASH_LEN,
					false);
		return true;
	}
	if (!is_zero(c->storage_root, ETH_HASH_LEN) &&
	    memcmp(c->storage_root, mpt_empty_root, ETH_HASH_LEN) != 0)
		return mismatch(err, "storageHash (absent account)", c->storage_root, mpt_empty_root,
				ETH_HASH_LEN, false);
	if (!is_zero(c->code_hash, ETH_HASH_LEN) &&
	    memcmp(c->code_hash, mpt_empty_code_hash, ETH_HASH_LEN) != 0)
		return mismatch(err, "codeHash (absent account)", c->code_hash, mpt_empty_code_hash,
				ETH_HASH_LEN, false);
	return true;
}

bool mpt_get_proof_verify(struct px_err *err, struct mpt_get_proof *out,
			  const uint8_t state_root[ETH_HASH_LEN], const json_t *result)
{
	struct parsed p;
	const uint8_t *storage_root;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	if (!parse(err, &p, result)) {
		px_err_prefix(err, "eth_getProof: ");
		goto out;
	}
	memcpy(out->address, p.address, ETH_ADDRESS_LEN);
	if (!mpt_verify_account(err, &out->account_exists, &out->account, state_root, p.address,
				p.account.nodes, p.account.n) ||
	    !check_account(err, &p.claimed, &out->account, out->account_exists)) {
		px_err_prefix(err, "eth_getProof: ");
		goto out;
	}
	storage_root = out->account_exists ? out->account.storage_root : mpt_empty_root;
	if (p.nslots) {
		out->slots = calloc(p.nslots, sizeof(*out->slots));
		if (!out->slots) {
			px_err_set(err, PX_E_NOMEM, "eth_getProof: out of memory");
			goto out;
		}
		out->nslots = p.nslots;
	}
	for (size_t i = 0; i < p.nslots; i++) {
		struct mpt_slot_result *s = &out->slots[i];

		memcpy(s->key, p.slots[i].key, ETH_U256_LEN);
		if (!mpt_verify_storage(err, &s->exists, s->value, storage_root, s->key,
					p.slots[i].proof.nodes, p.slots[i].proof.n) ||
		    (memcmp(s->value, p.slots[i].value, ETH_U256_LEN) != 0 &&
		     !mismatch(err, "value", p.slots[i].value, s->value, ETH_U256_LEN, true))) {
			char k[2 * ETH_U256_LEN + 4];

			eth_quantity_format(k, sizeof(k), s->key, ETH_U256_LEN);
			px_err_prefix(err, "eth_getProof: storageProof[%zu] (slot %s): ", i, k);
			goto out;
		}
	}
	ok = true;
out:
	parsed_free(&p);
	if (!ok)
		mpt_get_proof_free(out);
	return ok;
}

bool mpt_get_proof_verify_header(struct px_err *err, struct mpt_get_proof *out,
				 const struct eth_trusted_header *trusted, const json_t *result)
{
	return mpt_get_proof_verify(err, out, trusted->header.state_root, result);
}

void mpt_get_proof_free(struct mpt_get_proof *p)
{
	free(p->slots);
	memset(p, 0, sizeof(*p));
}
