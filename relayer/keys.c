/* Key files on disk (see keys.h): adding from a phrase or hex, reading,
 * listing, deleting, and the permission check the daemon runs before it
 * signs anything. */
#include "relayer/keys.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "common/encoding.h"
#include "relayer/bip39.h"

#define KEY_TYPE "secp256k1"

bool rly_name_check(struct px_err *err, const char *what, const char *s)
{
	size_t i, len = s ? strlen(s) : 0;

	if (len == 0 || len > RLY_NAME_MAX)
		return px_err_set(err, PX_E_USAGE, "%s must be 1 to %d characters", what,
				  RLY_NAME_MAX);
	if (s[0] == '.')
		return px_err_set(err, PX_E_USAGE, "%s must not start with '.'", what);
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return px_err_set(err, PX_E_USAGE,
					  "%s may hold only letters, digits, '.', '_' and '-'", what);
	}
	return true;
}

static bool path_join(struct px_err *err, char out[PATH_MAX], const char *a, const char *b,
		      const char *c)
{
	int n;

	if (c)
		n = snprintf(out, PATH_MAX, "%s/%s/%s", a, b, c);
	else
		n = snprintf(out, PATH_MAX, "%s/%s", a, b);
	if (n < 0 || n >= PATH_MAX)
		return px_err_set(err, PX_E_USAGE, "path under %s is too long", a);
	return true;
}

static bool key_path(struct px_err *err, char out[PATH_MAX], const char *home, const char *chain,
		     const char *name)
{
	int n;

	if (!rly_name_check(err, "chain id", chain) || !rly_name_check(err, "key name", name))
		return false;
	n = snprintf(out, PATH_MAX, "%s/keys/%s/%s.json", home, chain, name);
	if (n < 0 || n >= PATH_MAX)
		return px_err_set(err, PX_E_USAGE, "path under %s is too long", home);
	return true;
}

/* A folder of this user with no group or other access. */
static bool check_private(struct px_err *err, const char *path, const struct stat *st, bool dir)
{
	if (dir ? !S_ISDIR(st->st_mode) : !S_ISREG(st->st_mode))
		return px_err_set(err, PX_E_CONFIG, "%s: not a %s (symbolic links are refused)",
				  path, dir ? "folder" : "regular file");
	if (st->st_uid != geteuid())
		return px_err_set(err, PX_E_CONFIG, "%s: owned by uid %u, not by this user (%u)",
				  path, (unsigned)st->st_uid, (unsigned)geteuid());
	if (st->st_mode & 077)
		return px_err_set(err, PX_E_CONFIG, "%s: mode %04o is looser than %s (run chmod %s %s)",
				  path, (unsigned)(st->st_mode & 07777), dir ? "0700" : "0600",
				  dir ? "700" : "600", path);
	return true;
}

/* Creates path as a private folder, or checks the one that is there. */
static bool private_dir(struct px_err *err, const char *path)
{
	struct stat st;

	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
	if (lstat(path, &st) != 0)
		return px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
	return check_private(err, path, &st, true);
}

static bool write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

static void fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

bool rly_keys_store(struct px_err *err, struct rly_key_info *info, const char *home,
		    const char *chain, const char *name, const struct cosmos_key *key,
		    const char *hd_path)
{
	char dir[PATH_MAX], final[PATH_MAX], tmp[PATH_MAX + 32];
	char priv_hex[2 * COSMOS_PRIVKEY_LEN + 1], pub_hex[2 * COSMOS_PUBKEY_LEN + 1];
	char text[RLY_KEY_FILE_MAX];
	int fd = -1, n;
	bool ok = false, created = false;

	if (info)
		memset(info, 0, sizeof(*info));
	if (!home || !key || !hd_path || strlen(hd_path) >= RLY_BIP32_PATH_TEXT_MAX)
		return px_err_set(err, PX_E_USAGE, "keys: bad arguments");
	if (!key_path(err, final, home, chain, name))
		return false;
	if (mkdir(home, 0700) != 0 && errno != EEXIST)
		return px_err_set(err, PX_E_IO, "%s: %s", home, strerror(errno));
	if (!path_join(err, dir, home, "keys", NULL) || !private_dir(err, dir) ||
	    !path_join(err, dir, home, "keys", chain) || !private_dir(err, dir))
		return false;
	px_hex_encode(priv_hex, sizeof(priv_hex), key->priv, COSMOS_PRIVKEY_LEN, false);
	px_hex_encode(pub_hex, sizeof(pub_hex), key->pub, COSMOS_PUBKEY_LEN, false);
	n = snprintf(text, sizeof(text),
		     "{\n  \"type\": \"%s\",\n  \"chain\": \"%s\",\n  \"name\": \"%s\",\n"
		     "  \"hd_path\": \"%s\",\n  \"public_key\": \"%s\",\n  \"private_key\": \"%s\"\n}\n",
		     KEY_TYPE, chain, name, hd_path, pub_hex, priv_hex);
	if (n < 0 || (size_t)n >= sizeof(text)) {
		px_err_set(err, PX_E_INTERNAL, "keys: key file text too long");
		goto out;
	}
	snprintf(tmp, sizeof(tmp), "%s/.%s.json.tmp-%ld", dir, name, (long)getpid());
	/* The mode is right from the first byte: never chmod after the fact. */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		px_err_set(err, PX_E_IO, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	created = true;
	if (!write_all(fd, text, (size_t)n) || fsync(fd) != 0) {
		px_err_set(err, PX_E_IO, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		px_err_set(err, PX_E_IO, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	/* link() refuses an existing name, so a key is never overwritten and
	 * the final name appears only with the whole file behind it. */
	if (link(tmp, final) != 0) {
		if (errno == EEXIST)
			px_err_set(err, PX_E_USAGE, "key '%s' already exists for chain %s (delete it first)",
				   name, chain);
		else
			px_err_set(err, PX_E_IO, "%s: %s", final, strerror(errno));
		goto out;
	}
	fsync_dir(dir);
	if (info) {
		snprintf(info->chain, sizeof(info->chain), "%s", chain);
		snprintf(info->name, sizeof(info->name), "%s", name);
		snprintf(info->hd_path, sizeof(info->hd_path), "%s", hd_path);
		memcpy(info->pub, key->pub, COSMOS_PUBKEY_LEN);
	}
	ok = true;
out:
	if (fd >= 0)
		close(fd);
	if (created)
		unlink(tmp);
	OPENSSL_cleanse(priv_hex, sizeof(priv_hex));
	OPENSSL_cleanse(text, sizeof(text));
	return ok;
}

bool rly_keys_add_mnemonic(struct px_err *err, struct rly_key_info *info, const char *home,
			   const char *chain, const char *name, const char *phrase, size_t len,
			   uint32_t coin_type)
{
	uint8_t seed[RLY_BIP39_SEED_LEN];
	struct rly_bip32_node node;
	struct cosmos_key key;
	uint32_t path[5] = { 44 | RLY_BIP32_HARDENED, 0, RLY_BIP32_HARDENED, 0, 0 };
	char hd_path[RLY_BIP32_PATH_TEXT_MAX];
	bool ok;

	memset(&node, 0, sizeof(node));
	memset(&key, 0, sizeof(key));
	if (info)
		memset(info, 0, sizeof(*info));
	if (coin_type >= RLY_BIP32_HARDENED)
		return px_err_set(err, PX_E_USAGE, "coin type must be below 2^31");
	path[1] = coin_type | RLY_BIP32_HARDENED;
	rly_bip32_cosmos_path(hd_path, coin_type);
	ok = rly_bip39_seed(err, seed, phrase, len, NULL) &&
	     rly_bip32_derive(err, &node, seed, sizeof(seed), path, 5) &&
	     cosmos_key_from_bytes(err, &key, node.key) &&
	     rly_keys_store(err, info, home, chain, name, &key, hd_path);
	OPENSSL_cleanse(seed, sizeof(seed));
	rly_bip32_wipe(&node);
	cosmos_key_wipe(&key);
	if (!ok)
		px_err_prefix(err, "keys add: ");
	return ok;
}

bool rly_keys_add_hex(struct px_err *err, struct rly_key_info *info, const char *home,
		      const char *chain, const char *name, const char *hex, size_t len)
{
	struct cosmos_key key;
	bool ok;

	if (info)
		memset(info, 0, sizeof(*info));
	while (len && (hex[len - 1] == ' ' || hex[len - 1] == '\n' || hex[len - 1] == '\r' ||
		       hex[len - 1] == '\t'))
		len--;
	while (len && (hex[0] == ' ' || hex[0] == '\n' || hex[0] == '\r' || hex[0] == '\t')) {
		hex++;
		len--;
	}
	ok = cosmos_key_from_hex(err, &key, hex, len) &&
	     rly_keys_store(err, info, home, chain, name, &key, "");
	cosmos_key_wipe(&key);
	if (!ok)
		px_err_prefix(err, "keys add: ");
	return ok;
}

bool rly_secret_file_read(struct px_err *err, char *out, size_t cap, size_t *len, const char *path)
{
	bool is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;
	bool ok = false;

	*len = 0;
	if (fd < 0)
		return px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
	for (;;) {
		ssize_t n;

		if (got == cap - 1) {
			char extra;

			n = read(fd, &extra, 1);
			if (n > 0) {
				OPENSSL_cleanse(&extra, 1);
				px_err_set(err, PX_E_TOO_LARGE, "%s: longer than %zu bytes", path,
					   cap - 1);
				goto out;
			}
		} else {
			n = read(fd, out + got, cap - 1 - got);
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	out[got] = '\0';
	*len = got;
	ok = true;
out:
	if (!ok)
		OPENSSL_cleanse(out, cap);
	if (!is_stdin)
		close(fd);
	return ok;
}
