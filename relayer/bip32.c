/* BIP-32 private derivation (see bip32.h): HMAC-SHA512 from OpenSSL, the
 * public key of a non-hardened parent and the scalar addition from
 * libsecp256k1 (through chains/cosmos/keys for the public key). */
#include "relayer/bip32.h"

#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <secp256k1.h>

#include "chains/cosmos/keys.h"
#include "common/number.h"

void rly_bip32_wipe(struct rly_bip32_node *node)
{
	if (node)
		OPENSSL_cleanse(node, sizeof(*node));
}

static bool hmac512(uint8_t out[64], const uint8_t *key, size_t key_len, const uint8_t *msg,
		    size_t msg_len)
{
	unsigned int out_len = 0;

	return HMAC(EVP_sha512(), key, (int)key_len, msg, msg_len, out, &out_len) && out_len == 64;
}

bool rly_bip32_master(struct px_err *err, struct rly_bip32_node *out, const uint8_t *seed,
		      size_t len)
{
	static const uint8_t label[] = "Bitcoin seed";
	uint8_t i[64];
	bool ok = false;

	if (!out)
		return px_err_set(err, PX_E_USAGE, "bip32: NULL output");
	memset(out, 0, sizeof(*out));
	if (!seed || len < 16 || len > 64)
		return px_err_set(err, PX_E_USAGE, "bip32: seed must be 16 to 64 bytes");
	if (!hmac512(i, label, sizeof(label) - 1, seed, len)) {
		px_err_set(err, PX_E_INTERNAL, "bip32: HMAC-SHA512 failed");
		goto out;
	}
	if (!secp256k1_ec_seckey_verify(secp256k1_context_static, i)) {
		px_err_set(err, PX_E_UNSUPPORTED, "bip32: seed gives an invalid master key");
		goto out;
	}
	memcpy(out->key, i, 32);
	memcpy(out->chain, i + 32, 32);
	ok = true;
out:
	OPENSSL_cleanse(i, sizeof(i));
	return ok;
}

bool rly_bip32_child(struct px_err *err, struct rly_bip32_node *out,
		     const struct rly_bip32_node *parent, uint32_t index)
{
	uint8_t data[37], i[64], key[32];
	struct cosmos_key pk;
	bool ok = false;

	if (!out || !parent)
		return px_err_set(err, PX_E_USAGE, "bip32: NULL node");
	memset(&pk, 0, sizeof(pk));
	if (index & RLY_BIP32_HARDENED) {
		data[0] = 0;
		memcpy(data + 1, parent->key, 32);
	} else {
		if (!cosmos_key_from_bytes(err, &pk, parent->key))
			goto out;
		memcpy(data, pk.pub, 33);
	}
	data[33] = (uint8_t)(index >> 24);
	data[34] = (uint8_t)(index >> 16);
	data[35] = (uint8_t)(index >> 8);
	data[36] = (uint8_t)index;
	if (!hmac512(i, parent->chain, 32, data, sizeof(data))) {
		px_err_set(err, PX_E_INTERNAL, "bip32: HMAC-SHA512 failed");
		goto out;
	}
	memcpy(key, parent->key, 32);
	/* Fails when IL >= n or the sum is zero: BIP-32's invalid child. */
	if (!secp256k1_ec_seckey_tweak_add(secp256k1_context_static, key, i)) {
		px_err_set(err, PX_E_UNSUPPORTED, "bip32: child %u is invalid; use another index",
			   index);
		goto out;
	}
	memcpy(out->key, key, 32);
	memcpy(out->chain, i + 32, 32);
	ok = true;
out:
	if (!ok)
		rly_bip32_wipe(out);
	cosmos_key_wipe(&pk);
	OPENSSL_cleanse(data, sizeof(data));
	OPENSSL_cleanse(i, sizeof(i));
	OPENSSL_cleanse(key, sizeof(key));
	return ok;
}

bool rly_bip32_path_parse(struct px_err *err, uint32_t idx[RLY_BIP32_DEPTH_MAX], size_t *n,
			  const char *path, size_t len)
{
	uint32_t tmp[RLY_BIP32_DEPTH_MAX];
	size_t count = 0, i = 1;

	*n = 0;
	if (!path || len == 0 || path[0] != 'm')
		return px_err_set(err, PX_E_MALFORMED, "derivation path must start with \"m\"");
	while (i < len) {
		size_t start, end;
		uint64_t v;
		bool hard = false;

		if (path[i] != '/')
			return px_err_set(err, PX_E_MALFORMED,
					  "derivation path: expected '/' at character %zu", i + 1);
		start = ++i;
		while (i < len && path[i] != '/')
			i++;
		end = i;
		if (end > start && (path[end - 1] == '\'' || path[end - 1] == 'h')) {
			hard = true;
			end--;
		}
		if (count == RLY_BIP32_DEPTH_MAX)
			return px_err_set(err, PX_E_MALFORMED, "derivation path: more than %d levels",
					  RLY_BIP32_DEPTH_MAX);
		if (!px_parse_u64(NULL, &v, path + start, end - start) || v >= RLY_BIP32_HARDENED)
			return px_err_set(err, PX_E_MALFORMED,
					  "derivation path: level %zu is not a number below 2^31",
					  count + 1);
		tmp[count++] = (uint32_t)v | (hard ? RLY_BIP32_HARDENED : 0);
	}
	memcpy(idx, tmp, count * sizeof(tmp[0]));
	*n = count;
	return true;
}

void rly_bip32_cosmos_path(char out[RLY_BIP32_PATH_TEXT_MAX], uint32_t coin)
{
	snprintf(out, RLY_BIP32_PATH_TEXT_MAX, "m/44'/%u'/0'/0/0", coin & ~RLY_BIP32_HARDENED);
}

bool rly_bip32_derive(struct px_err *err, struct rly_bip32_node *out, const uint8_t *seed,
		      size_t seed_len, const uint32_t *idx, size_t n)
{
	size_t i;

	if (!rly_bip32_master(err, out, seed, seed_len))
		return false;
	for (i = 0; i < n; i++)
		if (!rly_bip32_child(err, out, out, idx[i]))
			return false;
	return true;
}
