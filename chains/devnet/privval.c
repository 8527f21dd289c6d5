/* Validator keys (see privval.h). The file format is CometBFT's
 * priv_validator_key.json, so a home can be inspected with the usual tools:
 * the private value is base64(seed || public key). */
#include "chains/devnet/privval.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "common/buf.h"
#include "common/encoding.h"
#include "common/hash.h"
#include "common/json.h"
#include "lightclient/tendermint/crypto.h"

bool devnet_key_from_seed(struct px_err *err, struct devnet_key *out,
			  const uint8_t seed[DEVNET_SEED_LEN])
{
	EVP_PKEY *pkey;
	size_t len = 32;

	memset(out, 0, sizeof(*out));
	pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, DEVNET_SEED_LEN);
	if (!pkey)
		return px_err_set(err, PX_E_INTERNAL, "ed25519: cannot make a key");
	if (EVP_PKEY_get_raw_public_key(pkey, out->pub.bytes, &len) != 1 || len != 32) {
		EVP_PKEY_free(pkey);
		return px_err_set(err, PX_E_INTERNAL, "ed25519: cannot derive the public key");
	}
	memcpy(out->seed, seed, DEVNET_SEED_LEN);
	out->pub.type = TM_KEY_ED25519;
	out->pub.len = 32;
	tm_pubkey_address(out->address, &out->pub);
	out->pkey = pkey;
	return true;
}

bool devnet_key_generate(struct px_err *err, struct devnet_key *out)
{
	uint8_t seed[DEVNET_SEED_LEN];
	bool ok;

	if (RAND_priv_bytes(seed, sizeof(seed)) != 1) {
		memset(out, 0, sizeof(*out));
		return px_err_set(err, PX_E_INTERNAL, "random generator failed");
	}
	ok = devnet_key_from_seed(err, out, seed);
	OPENSSL_cleanse(seed, sizeof(seed));
	return ok;
}

bool devnet_key_from_test_seed(struct px_err *err, struct devnet_key *out, const char *test_seed,
			       uint32_t idx)
{
	static const char label[] = "pontifex-devnet key";
	char num[16];
	uint8_t seed[DEVNET_SEED_LEN];
	struct px_iov iov[4];
	bool ok;

	memset(out, 0, sizeof(*out));
	if (strlen(test_seed) > DEVNET_TEST_SEED_MAX)
		return px_err_set(err, PX_E_USAGE, "seed: longer than %d bytes", DEVNET_TEST_SEED_MAX);
	snprintf(num, sizeof(num), "%u", idx);
	iov[0] = (struct px_iov){ label, sizeof(label) };	/* with its NUL */
	iov[1] = (struct px_iov){ test_seed, strlen(test_seed) + 1 };
	iov[2] = (struct px_iov){ num, strlen(num) };
	px_sha256_iov(seed, iov, 3);
	ok = devnet_key_from_seed(err, out, seed);
	OPENSSL_cleanse(seed, sizeof(seed));
	return ok;
}

void devnet_key_free(struct devnet_key *k)
{
	if (!k)
		return;
	EVP_PKEY_free(k->pkey);
	OPENSSL_cleanse(k, sizeof(*k));
}

bool devnet_key_sign(struct px_err *err, uint8_t sig[TM_SIGNATURE_LEN], const struct devnet_key *k,
		     const uint8_t *msg, size_t len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t slen = TM_SIGNATURE_LEN;
	bool ok;

	ok = ctx && k->pkey && EVP_DigestSignInit(ctx, NULL, NULL, NULL, k->pkey) == 1 &&
	     EVP_DigestSign(ctx, sig, &slen, msg, len) == 1 && slen == TM_SIGNATURE_LEN;
	EVP_MD_CTX_free(ctx);
	if (!ok) {
		memset(sig, 0, TM_SIGNATURE_LEN);
		return px_err_set(err, PX_E_INTERNAL, "ed25519: signing failed");
	}
	return true;
}

static json_t *b64_string(const uint8_t *b, size_t len)
{
	struct px_buf s = PX_BUF_INIT;
	json_t *v = NULL;

	px_base64_encode(&s, b, len, PX_B64_STD, true);
	if (px_buf_ok(&s))
		v = json_stringn(s.data ? (const char *)s.data : "", s.len);
	px_buf_wipe(&s);
	return v;
}

static json_t *key_json(const struct devnet_key *k)
{
	uint8_t priv[64];
	char addr[2 * TM_ADDRESS_LEN + 1];
	json_t *doc;

	memcpy(priv, k->seed, 32);
	memcpy(priv + 32, k->pub.bytes, 32);
	px_hex_encode(addr, sizeof(addr), k->address, TM_ADDRESS_LEN, true);
	doc = json_pack("{s:s, s:{s:s, s:o}, s:{s:s, s:o}}", "address", addr,
			"pub_key", "type", "tendermint/PubKeyEd25519", "value",
			b64_string(k->pub.bytes, 32),
			"priv_key", "type", "tendermint/PrivKeyEd25519", "value",
			b64_string(priv, sizeof(priv)));
	OPENSSL_cleanse(priv, sizeof(priv));
	return doc;
}

bool devnet_secret_file_write(struct px_err *err, const char *path, json_t *doc)
{
	char *text = NULL;
	size_t len, off = 0;
	int fd = -1;
	bool ok = false;

	if (!doc || !(text = json_dumps(doc, JSON_INDENT(2)))) {
		px_err_set(err, PX_E_NOMEM, "key file: out of memory");
		goto out;
	}
	len = strlen(text);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
			goto out;
		}
		off += (size_t)w;
	}
	if (write(fd, "\n", 1) != 1 || fsync(fd) != 0) {
		px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	ok = true;
out:
	if (fd >= 0 && close(fd) != 0 && ok)
		ok = px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
	if (text) {
		OPENSSL_cleanse(text, strlen(text));
		free(text);
	}
	if (doc) {
		/* The base64 of the secret sits in the JSON string. */
		json_t *pk = json_object_get(json_object_get(doc, "priv_key"), "value");

		if (json_is_string(pk))
			OPENSSL_cleanse((void *)json_string_value(pk), json_string_length(pk));
		json_decref(doc);
	}
	return ok;
}

bool devnet_key_save(struct px_err *err, const struct devnet_key *k, const char *path)
{
	return devnet_secret_file_write(err, path, key_json(k));
}

/* Reads a whole small file into buf (NUL-terminated), refusing group- or
 * world-readable files. */
static bool read_secret_file(struct px_err *err, char *buf, size_t cap, size_t *len,
			     const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t off = 0;
	bool ok = false;

	if (fd < 0)
		return px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0) {
		px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (st.st_mode & 077) {
		px_err_set(err, PX_E_CONFIG, "%s: mode %03o, want 0600 (chmod 600)", path,
			   (unsigned)(st.st_mode & 0777));
		goto out;
	}
	for (;;) {
		ssize_t r = read(fd, buf + off, cap - 1 - off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		off += (size_t)r;
		if (off == cap - 1) {
			px_err_set(err, PX_E_TOO_LARGE, "%s: more than %zu bytes", path, cap - 2);
			goto out;
		}
	}
	buf[off] = 0;
	*len = off;
	ok = true;
out:
	close(fd);
	return ok;
}

static bool typed_b64(struct px_err *err, struct px_buf *out, const json_t *doc, const char *field,
		      const char *type)
{
	json_t *o;
	const char *t;

	if (!px_json_get_object(err, &o, doc, field) || !px_json_get_string(err, &t, o, "type") ||
	    !px_json_get_base64(err, out, o, "value")) {
		px_err_prefix(err, "%s: ", field);
		return false;
	}
	if (strcmp(t, type) != 0)
		return px_err_set(err, PX_E_UNSUPPORTED, "%s: type '%.60s', want %s", field, t, type);
	return true;
}

bool devnet_key_load(struct px_err *err, struct devnet_key *out, const char *path)
{
	char text[DEVNET_KEY_FILE_MAX];
	struct px_buf priv = PX_BUF_INIT, pub = PX_BUF_INIT, addr = PX_BUF_INIT;
	json_t *doc = NULL;
	size_t len = 0;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	if (!read_secret_file(err, text, sizeof(text), &len, path))
		goto out;
	doc = px_json_load_buf(err, text, len);
	if (!doc || !typed_b64(err, &priv, doc, "priv_key", "tendermint/PrivKeyEd25519") ||
	    !typed_b64(err, &pub, doc, "pub_key", "tendermint/PubKeyEd25519") ||
	    !px_json_get_hex(err, &addr, doc, "address"))
		goto out;
	if (priv.len != 64 || pub.len != 32 || addr.len != TM_ADDRESS_LEN) {
		px_err_set(err, PX_E_MALFORMED, "key lengths %zu/%zu/%zu, want 64/32/20", priv.len,
			   pub.len, addr.len);
		goto out;
	}
	if (!devnet_key_from_seed(err, out, priv.data))
		goto out;
	if (memcmp(out->pub.bytes, pub.data, 32) != 0 || memcmp(priv.data + 32, pub.data, 32) != 0 ||
	    memcmp(out->address, addr.data, TM_ADDRESS_LEN) != 0) {
		devnet_key_free(out);
		px_err_set(err, PX_E_MALFORMED, "public key or address does not match the private key");
		goto out;
	}
	ok = true;
out:
	if (!ok)
		px_err_prefix(err, "%s: ", path);
	OPENSSL_cleanse(text, sizeof(text));
	px_buf_wipe(&priv);
	px_buf_free(&pub);
	px_buf_free(&addr);
	json_decref(doc);
	return ok;
}
