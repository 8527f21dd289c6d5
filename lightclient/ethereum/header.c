/* Block headers: JSON and RLP decoding, encoding, hashing, and the two
 * ways a header becomes trusted (checkpoint hash, trusted parent). One
 * table describes the fields in RLP order with both JSON namings, so the
 * decoders and the encoder cannot disagree on order or kind. */
#include "lightclient/ethereum/header.h"

#include <stddef.h>
#include <string.h>

#include "common/json.h"
#include "common/protobuf.h"
#include "lightclient/ethereum/ethjson.h"
#include "lightclient/ethereum/keccak.h"
#include "lightclient/ethereum/rlp.h"

enum kind { K_HASH, K_ADDR, K_BLOOM, K_U256, K_U64, K_EXTRA, K_NONCE };

struct field {
	const char *rpc;
	const char *fixture;
	enum kind kind;
	size_t off;
};

#define F(rpc, fix, kind, member) { rpc, fix, kind, offsetof(struct eth_header, member) }

static const struct field fields[ETH_FIELDS_MAX] = {
	F("parentHash", "parentHash", K_HASH, parent_hash),
	F("sha3Uncles", "uncleHash", K_HASH, uncles_hash),
	F("miner", "coinbase", K_ADDR, miner),
	F("stateRoot", "stateRoot", K_HASH, state_root),
	F("transactionsRoot", "transactionsTrie", K_HASH, transactions_root),
	F("receiptsRoot", "receiptTrie", K_HASH, receipts_root),
	F("logsBloom", "bloom", K_BLOOM, logs_bloom),
	F("difficulty", "difficulty", K_U256, difficulty),
	F("number", "number", K_U64, number),
	F("gasLimit", "gasLimit", K_U64, gas_limit),
	F("gasUsed", "gasUsed", K_U64, gas_used),
	F("timestamp", "timestamp", K_U64, timestamp),
	F("extraData", "extraData", K_EXTRA, extra_data),
	F("mixHash", "mixHash", K_HASH, mix_hash),
	F("nonce", "nonce", K_NONCE, nonce),
	F("baseFeePerGas", "baseFeePerGas", K_U256, base_fee),
	F("withdrawalsRoot", "withdrawalsRoot", K_HASH, withdrawals_root),
	F("blobGasUsed", "blobGasUsed", K_U64, blob_gas_used),
	F("excessBlobGas", "excessBlobGas", K_U64, excess_blob_gas),
	F("parentBeaconBlockRoot", "parentBeaconBlockRoot", K_HASH, parent_beacon_root),
	F("requestsHash", "requestsHash", K_HASH, requests_hash),
};

static size_t fixed_len(enum kind k)
{
	switch (k) {
	case K_HASH: return ETH_HASH_LEN;
	case K_ADDR: return ETH_ADDRESS_LEN;
	case K_BLOOM: return ETH_BLOOM_LEN;
	case K_NONCE: return ETH_NONCE_LEN;
	default: return 0;
	}
}

/* Field counts that some fork defines; a Cancun header carries its three
 * new fields together, so 18 or 19 fields is no header at all. */
static bool fork_field_count(unsigned n)
{
	return n == ETH_FIELDS_FRONTIER || n == ETH_FIELDS_LONDON || n == ETH_FIELDS_SHANGHAI ||
	       n == ETH_FIELDS_CANCUN || n == ETH_FIELDS_PRAGUE;
}

const char *eth_header_fork_name(unsigned nfields)
{
	switch (nfields) {
	case ETH_FIELDS_FRONTIER: return "frontier";
	case ETH_FIELDS_LONDON: return "london";
	case ETH_FIELDS_SHANGHAI: return "shanghai";
	case ETH_FIELDS_CANCUN: return "cancun";
	case ETH_FIELDS_PRAGUE: return "prague";
	default: return "unknown";
	}
}

static bool json_field(struct px_err *err, struct eth_header *h, const struct field *f,
		       const json_t *obj, const char *name)
{
	uint8_t *dst = (uint8_t *)h + f->off;

	switch (f->kind) {
	case K_HASH:
	case K_ADDR:
	case K_BLOOM:
	case K_NONCE:
		return eth_json_data_fixed(err, dst, fixed_len(f->kind), obj, name);
	case K_U256:
		return eth_json_quantity(err, dst, ETH_U256_LEN, obj, name);
	case K_U64: {
		uint64_t v;

		if (!eth_json_u64(err, &v, obj, name))
			return false;
		memcpy(dst, &v, sizeof(v));
		return true;
	}
	case K_EXTRA: {
		struct px_buf b = PX_BUF_INIT;
		bool ok = eth_json_data(err, &b, obj, name, ETH_EXTRA_MAX);

		if (ok && !px_buf_ok(&b))
			ok = px_err_set(err, PX_E_NOMEM, "field '%s': out of memory", name);
		if (ok) {
			if (b.len)
				memcpy(h->extra_data, b.data, b.len);
			h->extra_data_len = b.len;
		}
		px_buf_free(&b);
		return ok;
	}
	}
	return px_err_set(err, PX_E_INTERNAL, "field '%s': unknown kind", name);
}

bool eth_header_from_json(struct px_err *err, struct eth_header *out, const json_t *obj,
			  enum eth_header_naming naming)
{
	unsigned i, n = ETH_FIELDS_FRONTIER;
	const char *missing = NULL;
	json_t *v;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(obj))
		return px_err_set(err, PX_E_JSON, "header: expected an object, got %s",
				  px_json_type_name(obj));
	for (i = 0; i < ETH_FIELDS_MAX; i++) {
		const char *name = naming == ETH_NAMING_RPC ? fields[i].rpc : fields[i].fixture;

		if (i >= ETH_FIELDS_FRONTIER) {
			/* Optional (later-fork) fields: absent or null means
			 * the header predates the fork; one present after an
			 * absent one is a gap. */
			v = json_object_get(obj, name);
			if (!v || json_is_null(v)) {
				if (!missing)
					missing = name;
				continue;
			}
			if (missing) {
				px_err_set(err, PX_E_MALFORMED,
					   "header: field '%s' present without '%s'", name, missing);
				goto fail;
			}
			n = i + 1;
		}
		if (!json_field(err, out, &fields[i], obj, name))
			goto fail;
	}
	if (!fork_field_count(n)) {
		px_err_set(err, PX_E_MALFORMED, "header: %u fields match no fork (field '%s' missing)",
			   n, missing ? missing : "?");
		goto fail;
	}
	out->nfields = n;
	v = json_object_get(obj, "hash");
	if (v && !json_is_null(v)) {
		if (!eth_json_data_fixed(err, out->claimed_hash, ETH_HASH_LEN, obj, "hash"))
			goto fail;
		out->has_claimed_hash = true;
	}
	return true;
fail:
	memset(out, 0, sizeof(*out));
	px_err_prefix(err, "header: ");
	return false;
}

bool eth_header_decode(struct px_err *err, struct eth_header *out, const uint8_t *buf, size_t len)
{
	struct px_cursor c = px_cursor_init(buf, len), list;
	unsigned i;

	memset(out, 0, sizeof(*out));
	if (len > ETH_HEADER_MAX_RLP)
		return px_err_set(err, PX_E_TOO_LARGE, "header: %zu bytes, more than %u", len,
				  ETH_HEADER_MAX_RLP);
	rlp_read_list(&c, &list, ETH_HEADER_MAX_RLP);
	rlp_read_end(&c);
	for (i = 0; i < ETH_FIELDS_MAX && px_cursor_more(&list); i++) {
		uint8_t *dst = (uint8_t *)out + fields[i].off;

		switch (fields[i].kind) {
		case K_HASH:
		case K_ADDR:
		case K_BLOOM:
		case K_NONCE:
			rlp_read_fixed(&list, dst, fixed_len(fields[i].kind));
			break;
		case K_U256:
			rlp_read_uint_be(&list, dst, ETH_U256_LEN, ETH_U256_LEN);
			break;
		case K_U64: {
			uint64_t v = rlp_read_u64(&list);

			memcpy(dst, &v, sizeof(v));
			break;
		}
		case K_EXTRA: {
			struct px_slice s;

			rlp_read_bytes(&list, &s, ETH_EXTRA_MAX);
			if (s.len)
				memcpy(out->extra_data, s.ptr, s.len);
			out->extra_data_len = s.len;
			break;
		}
		}
	}
	if (px_cursor_ok(&list) && px_cursor_more(&list))
		px_cursor_fail(&list, "more fields than the newest known fork");
	if (!px_cursor_ok(&c)) {
		int code = rlp_error_code(&c);

		px_err_set(err, code, "header: %s at byte %zu", px_cursor_error(&c),
			   px_cursor_offset(&c));
		memset(out, 0, sizeof(*out));
		return false;
	}
	if (!fork_field_count(i)) {
		memset(out, 0, sizeof(*out));
		return px_err_set(err, PX_E_MALFORMED, "header: %u fields match no fork", i);
	}
	out->nfields = i;
	return true;
}

/* Appends one RLP string to a fixed array; the caller sized it for the
 * largest header (ETH_HEADER_MAX_RLP). */
static size_t put_str(uint8_t *o, const uint8_t *data, size_t len)
{
	size_t n;

	if (len == 1 && data[0] < 0x80) {
		o[0] = data[0];
		return 1;
	}
	n = rlp_encode_prefix(o, false, len);
	if (len)
		memcpy(o + n, data, len);
	return n + len;
}

static size_t put_uint(uint8_t *o, const uint8_t *be, size_t len)
{
	while (len && be[0] == 0) {
		be++;
		len--;
	}
	return put_str(o, be, len);
}

/* Writes the list payload (the encoded fields) into o; returns its
 * length, at most ETH_HEADER_MAX_RLP - 9. */
static size_t encode_payload(uint8_t *o, const struct eth_header *h)
{
	size_t n = 0;
	unsigned nf = h->nfields;

	if (nf < ETH_FIELDS_FRONTIER || nf > ETH_FIELDS_MAX)
		nf = ETH_FIELDS_FRONTIER;
	for (unsigned i = 0; i < nf; i++) {
		const uint8_t *src = (const uint8_t *)h + fields[i].off;

		switch (fields[i].kind) {
		case K_HASH:
		case K_ADDR:
		case K_BLOOM:
		case K_NONCE:
			n += put_str(o + n, src, fixed_len(fields[i].kind));
			break;
		case K_U256:
			n += put_uint(o + n, src, ETH_U256_LEN);
			break;
		case K_U64: {
			uint64_t v;
			uint8_t be[8];

			memcpy(&v, src, sizeof(v));
			for (size_t k = 0; k < 8; k++)
				be[k] = (uint8_t)(v >> (56 - 8 * k));
			n += put_uint(o + n, be, 8);
			break;
		}
		case K_EXTRA:
			n += put_str(o + n, h->extra_data,
				     h->extra_data_len <= ETH_EXTRA_MAX ? h->extra_data_len : ETH_EXTRA_MAX);
			break;
		}
	}
	return n;
}

void eth_header_encode(struct px_buf *out, const struct eth_header *h)
{
	uint8_t payload[ETH_HEADER_MAX_RLP];
	size_t n = encode_payload(payload, h);

	rlp_put_list_header(out, n);
	px_buf_append(out, payload, n);
}

void eth_header_hash(uint8_t out[ETH_HASH_LEN], const struct eth_header *h)
{
	uint8_t payload[ETH_HEADER_MAX_RLP], prefix[9];
	size_t n = encode_payload(payload, h);
	struct eth_keccak k;

	eth_keccak_init(&k);
	eth_keccak_update(&k, prefix, rlp_encode_prefix(prefix, true, n));
	eth_keccak_update(&k, payload, n);
	eth_keccak_final(&k, out);
}

static bool hash_check(struct px_err *err, uint8_t computed[ETH_HASH_LEN], const struct eth_header *h)
{
	char a[2 * ETH_HASH_LEN + 3], b[2 * ETH_HASH_LEN + 3];

	eth_header_hash(computed, h);
	if (h->has_claimed_hash && memcmp(computed, h->claimed_hash, ETH_HASH_LEN) != 0) {
		eth_hex_format(a, sizeof(a), computed, ETH_HASH_LEN);
		eth_hex_format(b, sizeof(b), h->claimed_hash, ETH_HASH_LEN);
		return px_err_set(err, PX_E_HASH_MISMATCH,
				  "header %llu: fields hash to %s, not the claimed %s",
				  (unsigned long long)h->number, a, b);
	}
	return true;
}

bool eth_header_verify_checkpoint(struct px_err *err, struct eth_trusted_header *out,
				  const struct eth_header *h, const uint8_t expected_hash[ETH_HASH_LEN])
{
	uint8_t computed[ETH_HASH_LEN];
	char a[2 * ETH_HASH_LEN + 3], b[2 * ETH_HASH_LEN + 3];

	memset(out, 0, sizeof(*out));
	if (!hash_check(err, computed, h))
		return false;
	if (memcmp(computed, expected_hash, ETH_HASH_LEN) != 0) {
		eth_hex_format(a, sizeof(a), computed, ETH_HASH_LEN);
		eth_hex_format(b, sizeof(b), expected_hash, ETH_HASH_LEN);
		return px_err_set(err, PX_E_HASH_MISMATCH,
				  "header %llu: fields hash to %s, not the checkpoint %s",
				  (unsigned long long)h->number, a, b);
	}
	out->header = *h;
	memcpy(out->hash, computed, ETH_HASH_LEN);
	return true;
}

bool eth_header_verify_child(struct px_err *err, struct eth_trusted_header *out,
			     const struct eth_trusted_header *parent, const struct eth_header *h)
{
	uint8_t computed[ETH_HASH_LEN];
	char a[2 * ETH_HASH_LEN + 3], b[2 * ETH_HASH_LEN + 3];

	memset(out, 0, sizeof(*out));
	if (!hash_check(err, computed, h))
		return false;
	if (memcmp(h->parent_hash, parent->hash, ETH_HASH_LEN) != 0) {
		eth_hex_format(a, sizeof(a), h->parent_hash, ETH_HASH_LEN);
		eth_hex_format(b, sizeof(b), parent->hash, ETH_HASH_LEN);
		return px_err_set(err, PX_E_PARENT_MISMATCH,
				  "header %llu: parentHash %s is not the trusted parent %s",
				  (unsigned long long)h->number, a, b);
	}
	if (parent->header.number == UINT64_MAX || h->number != parent->header.number + 1)
		return px_err_set(err, PX_E_NOT_SUCCESSOR,
				  "header %llu: not the successor of trusted header %llu",
				  (unsigned long long)h->number,
				  (unsigned long long)parent->header.number);
	out->header = *h;
	memcpy(out->hash, computed, ETH_HASH_LEN);
	return true;
}
