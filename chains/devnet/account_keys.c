/* Account key files of the devnet (see account_keys.h). */
#include "chains/devnet/account_keys.h"
#include "chains/devnet/privval.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "chains/cosmos/bech32.h"
#include "common/buf.h"
#include "common/encoding.h"
#include "common/hash.h"
#include "common/json.h"

#define KEY_FILE_MAX 4096

bool devnet_account_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > DEVNET_ACCOUNT_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

void devnet_account_key_wipe(struct devnet_account_key *k)
{
	cosmos_key_wipe(&k->key);
	OPENSSL_cleanse(k, sizeof(*k));
}

bool devnet_account_key_make(struct px_err *err, struct devnet_account_key *out, const char *name,
			     const char *test_seed)
{
	static const char label[] = "pontifex-devnet account";
	uint8_t priv[COSMOS_PRIVKEY_LEN];
	bool ok = false;

	memset(out, 0, sizeof(*out));
	if (!devnet_account_name_ok(name))
		return px_err_set(err, PX_E_USAGE, "account name '%.70s': want 1..64 of [a-z0-9_-]",
				  name);
	if (test_seed) {
		struct px_iov parts[4] = {
			{ (const uint8_t *)label, sizeof(label) }, /* with its NUL as separator */
			{ (const uint8_t *)test_seed, strlen(test_seed) },
			{ (const uint8_t *)"", 1 },
			{ (const uint8_t *)name, strlen(name) },
		};

		px_sha256_iov(priv, parts, 4);
	} else if (RAND_priv_bytes(priv, sizeof(priv)) != 1) {
		return px_err_set(err, PX_E_INTERNAL, "account key: no randomness");
	}
	for (int tries = 0; tries < 8 && !ok; tries++) {
		ok = cosmos_key_from_bytes(NULL, &out->key, priv);
		if (!ok)
			px_sha256(priv, priv, sizeof(priv));
	}
	OPENSSL_cleanse(priv, sizeof(priv));
	if (!ok)
		return px_err_set(err, PX_E_INTERNAL, "account key: no valid scalar");
	memcpy(out->name, name, strlen(name) + 1);
	cosmos_pubkey_address(out->address, out->key.pub);
	return true;
}

static json_t *b64(const uint8_t *b, size_t len)
{
	struct px_buf s = PX_BUF_INIT;
	json_t *v = NULL;

	px_base64_encode(&s, b, len, PX_B64_STD, true);
	if (px_buf_ok(&s))
		v = json_stringn((const char *)s.data, s.len);
	px_buf_wipe(&s);
	return v;
}

bool devnet_account_key_save(struct px_err *err, const struct devnet_account_key *k,
			     const char *prefix, const char *path)
{
	char addr[COSMOS_BECH32_MAX_LEN + 1];

	if (!cosmos_address_encode(err, addr, sizeof(addr), prefix, k->address, COSMOS_ADDR_LEN))
		return false;
	return devnet_secret_file_write(
		err, path,
		json_pack("{s:s, s:s, s:{s:s, s:o}, s:{s:s, s:o}}", "name", k->name, "address", addr,
			  "pub_key", "type", "tendermint/PubKeySecp256k1", "value",
			  b64(k->key.pub, COSMOS_PUBKEY_LEN), "priv_key", "type",
			  "tendermint/PrivKeySecp256k1", "value",
			  b64(k->key.priv, COSMOS_PRIVKEY_LEN)));
}

bool devnet_account_key_load(struct px_err *err, struct devnet_account_key *out, const char *path)
{
	struct px_buf priv = PX_BUF_INIT, pub = PX_BUF_INIT;
	const char *name, *type;
	json_t *doc = NULL, *pk;
	struct stat st;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	if (stat(path, &st) != 0)
		return px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
	if (st.st_mode & 077)
		return px_err_set(err, PX_E_CONFIG, "%s: readable by others (mode %03o): want 0600",
				  path, (unsigned)(st.st_mode & 0777));
	if (st.st_size > KEY_FILE_MAX)
		return px_err_set(err, PX_E_TOO_LARGE, "%s: larger than %d bytes", path, KEY_FILE_MAX);
	doc = px_json_load_file(err, path);
	if (!doc)
		return false;
	if (!px_json_get_string(err, &name, doc, "name") ||
	    !px_json_get_object(err, &pk, doc, "priv_key") ||
	    !px_json_get_string(err, &type, pk, "type") ||
	    !px_json_get_base64(err, &priv, pk, "value") ||
	    !px_json_get_object(err, &pk, doc, "pub_key") ||
	    !px_json_get_base64(err, &pub, pk, "value"))
		goto out;
	if (!devnet_account_name_ok(name) || strcmp(type, "tendermint/PrivKeySecp256k1") != 0 ||
	    priv.len != COSMOS_PRIVKEY_LEN || !cosmos_key_from_bytes(err, &out->key, priv.data)) {
		px_err_set(err, PX_E_MALFORMED, "%s: not a secp256k1 account key", path);
		goto out;
	}
	if (pub.len != COSMOS_PUBKEY_LEN || memcmp(pub.data, out->key.pub, COSMOS_PUBKEY_LEN) != 0) {
		px_err_set(err, PX_E_MALFORMED, "%s: pub_key does not match priv_key", path);
		goto out;
	}
	memcpy(out->name, name, strlen(name) + 1);
	cosmos_pubkey_address(out->address, out->key.pub);
	ok = true;
out:
	px_buf_wipe(&priv);
	px_buf_free(&pub);
	json_decref(doc);
	if (!ok)
		devnet_account_key_wipe(out);
	return ok;
}
