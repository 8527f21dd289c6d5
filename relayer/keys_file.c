/* Reading key files back (see keys.h): a strict parser for the flat JSON
 * object rly_keys_store writes, listing, deleting, and the permission
 * check. */
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

enum { F_TYPE, F_CHAIN, F_NAME, F_PATH, F_PUB, F_PRIV, F_COUNT };

static const char *const field_names[F_COUNT] = {
	"type", "chain", "name", "hd_path", "public_key", "private_key",
};

struct field {
	const char *s;
	size_t len;
};

struct kparser {
	const char *p, *end;
	bool failed;
};

static void skip_ws(struct kparser *k)
{
	while (k->p < k->end && (*k->p == ' ' || *k->p == '\n' || *k->p == '\r' || *k->p == '\t'))
		k->p++;
}

static void expect(struct kparser *k, char c)
{
	skip_ws(k);
	if (k->failed || k->p == k->end || *k->p != c)
		k->failed = true;
	else
		k->p++;
}

/* A string of printable ASCII without escapes: all this file ever holds. */
static struct field read_string(struct kparser *k)
{
	struct field f = { NULL, 0 };

	expect(k, '"');
	if (k->failed)
		return f;
	f.s = k->p;
	while (k->p < k->end && *k->p != '"') {
		if (*k->p < 0x20 || *k->p > 0x7e || *k->p == '\\') {
			k->failed = true;
			return f;
		}
		k->p++;
	}
	if (k->p == k->end) {
		k->failed = true;
		return f;
	}
	f.len = (size_t)(k->p - f.s);
	k->p++;
	return f;
}

static bool field_eq(struct field f, const char *s)
{
	return f.len == strlen(s) && memcmp(f.s, s, f.len) == 0;
}

static bool parse_key_file(struct px_err *err, struct field fields[F_COUNT], const char *buf,
			   size_t len, const char *path)
{
	struct kparser k = { buf, buf + len, false };
	int i;

	memset(fields, 0, F_COUNT * sizeof(fields[0]));
	expect(&k, '{');
	for (;;) {
		struct field name = read_string(&k), value;

		expect(&k, ':');
		value = read_string(&k);
		if (k.failed)
			break;
		for (i = 0; i < F_COUNT && !field_eq(name, field_names[i]); i++)
			;
		if (i == F_COUNT || fields[i].s)
			return px_err_set(err, PX_E_MALFORMED, "%s: unknown or repeated field", path);
		fields[i] = value;
		skip_ws(&k);
		if (k.p < k.end && *k.p == ',') {
			k.p++;
			continue;
		}
		break;
	}
	expect(&k, '}');
	skip_ws(&k);
	if (k.failed || k.p != k.end)
		return px_err_set(err, PX_E_MALFORMED, "%s: not a pontifex key file", path);
	for (i = 0; i < F_COUNT; i++)
		if (!fields[i].s)
			return px_err_set(err, PX_E_MALFORMED, "%s: field %s is missing", path,
					  field_names[i]);
	if (!field_eq(fields[F_TYPE], "secp256k1"))
		return px_err_set(err, PX_E_MALFORMED, "%s: key type is not secp256k1", path);
	return true;
}

/* Opens without following links and checks the file before reading it. */
static bool read_key_file(struct px_err *err, char *buf, size_t cap, size_t *len, const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	size_t got = 0;
	bool ok = false;

	if (fd < 0) {
		if (errno == ENOENT)
			return px_err_set(err, PX_E_CONFIG, "%s: no such key", path);
		return px_err_set(err, errno == ELOOP ? PX_E_CONFIG : PX_E_IO, "%s: %s", path,
				  errno == ELOOP ? "is a symbolic link (refused)" : strerror(errno));
	}
	if (fstat(fd, &st) != 0) {
		px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077)) {
		px_err_set(err, PX_E_CONFIG,
			   "%s: must be a regular file of this user with mode 0600 (is %04o; run chmod 600 %s)",
			   path, (unsigned)(st.st_mode & 07777), path);
		goto out;
	}
	if ((size_t)st.st_size >= cap) {
		px_err_set(err, PX_E_MALFORMED, "%s: larger than %zu bytes", path, cap - 1);
		goto out;
	}
	for (;;) {
		ssize_t n = read(fd, buf + got, cap - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got == cap - 1) {
			px_err_set(err, PX_E_MALFORMED, "%s: larger than %zu bytes", path, cap - 1);
			goto out;
		}
	}
	*len = got;
	ok = true;
out:
	close(fd);
	return ok;
}

static bool copy_field(char *out, size_t cap, struct field f)
{
	if (f.len >= cap)
		return false;
	memcpy(out, f.s, f.len);
	out[f.len] = '\0';
	return true;
}

bool rly_keys_load(struct px_err *err, struct cosmos_key *key, struct rly_key_info *info,
		   const char *home, const char *chain, const char *name)
{
	char path[PATH_MAX], file[RLY_NAME_MAX + 8], buf[RLY_KEY_FILE_MAX];
	struct field f[F_COUNT];
	struct rly_key_info tmp;
	struct cosmos_key k;
	size_t len = 0;
	bool ok = false;

	memset(&tmp, 0, sizeof(tmp));
	memset(&k, 0, sizeof(k));
	if (key)
		memset(key, 0, sizeof(*key));
	if (info)
		memset(info, 0, sizeof(*info));
	if (!home || !rly_name_check(err, "chain id", chain) || !rly_name_check(err, "key name", name))
		return px_err_set(err, PX_E_USAGE, "keys: bad arguments");
	snprintf(file, sizeof(file), "%s.json", name);
	if (snprintf(path, sizeof(path), "%s/keys/%s/%s", home, chain, file) >= (int)sizeof(path))
		return px_err_set(err, PX_E_USAGE, "path under %s is too long", home);
	if (!read_key_file(err, buf, sizeof(buf), &len, path) ||
	    !parse_key_file(err, f, buf, len, path))
		goto out;
	if (!field_eq(f[F_CHAIN], chain) || !field_eq(f[F_NAME], name) ||
	    !copy_field(tmp.hd_path, sizeof(tmp.hd_path), f[F_PATH])) {
		px_err_set(err, PX_E_MALFORMED, "%s: chain, name or hd_path does not fit the file", path);
		goto out;
	}
	/* The public key must be the private key's: a file edited by hand or
	 * damaged on disk is refused rather than signing as someone else. */
	if (!cosmos_key_from_hex(NULL, &k, f[F_PRIV].s, f[F_PRIV].len)) {
		px_err_set(err, PX_E_MALFORMED, "%s: private_key is not a valid secp256k1 key", path);
		goto out;
	}
	if (!px_hex_decode_fixed(NULL, tmp.pub, sizeof(tmp.pub), f[F_PUB].s, f[F_PUB].len) ||
	    memcmp(tmp.pub, k.pub, sizeof(tmp.pub)) != 0) {
		px_err_set(err, PX_E_MALFORMED, "%s: public_key does not match private_key", path);
		goto out;
	}
	snprintf(tmp.chain, sizeof(tmp.chain), "%s", chain);
	snprintf(tmp.name, sizeof(tmp.name), "%s", name);
	if (info)
		*info = tmp;
	if (key)
		*key = k;
	ok = true;
out:
	cosmos_key_wipe(&k);
	OPENSSL_cleanse(buf, sizeof(buf));
	OPENSSL_cleanse(f, sizeof(f));
	return ok;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

bool rly_keys_list(struct px_err *err, const char *home, const char *chain, rly_key_fn fn,
		   void *arg)
{
	char dir[PATH_MAX];
	char (*names)[RLY_NAME_MAX + 1] = NULL;
	size_t n = 0, i;
	struct dirent *de;
	DIR *d;
	bool ok = false;

	if (!home || !rly_name_check(err, "chain id", chain))
		return px_err_set(err, PX_E_USAGE, "keys: bad arguments");
	if (snprintf(dir, sizeof(dir), "%s/keys/%s", home, chain) >= (int)sizeof(dir))
		return px_err_set(err, PX_E_USAGE, "path under %s is too long", home);
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? true : px_err_set(err, PX_E_IO, "%s: %s", dir, strerror(errno));
	names = calloc(RLY_KEYS_PER_CHAIN_MAX, sizeof(*names));
	if (!names) {
		px_err_set(err, PX_E_NOMEM, "keys: out of memory");
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len <= 5 || len - 5 > RLY_NAME_MAX ||
		    strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		if (n == RLY_KEYS_PER_CHAIN_MAX) {
			px_err_set(err, PX_E_TOO_LARGE, "%s: more than %d keys", dir,
				   RLY_KEYS_PER_CHAIN_MAX);
			goto out;
		}
		memcpy(names[n], de->d_name, len - 5);
		names[n][len - 5] = '\0';
		if (rly_name_check(NULL, "key name", names[n]))
			n++;
	}
	qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		struct rly_key_info info;

		if (!rly_keys_load(err, NULL, &info, home, chain, names[i]))
			goto out;
		if (!fn(arg, &info))
			break;
	}
	ok = true;
out:
	free(names);
	closedir(d);
	return ok;
}

bool rly_keys_delete(struct px_err *err, const char *home, const char *chain, const char *name)
{
	char path[PATH_MAX], dir[PATH_MAX];

	if (!home || !rly_name_check(err, "chain id", chain) || !rly_name_check(err, "key name", name))
		return px_err_set(err, PX_E_USAGE, "keys: bad arguments");
	if (snprintf(dir, sizeof(dir), "%s/keys/%s", home, chain) >= (int)sizeof(dir) ||
	    snprintf(path, sizeof(path), "%s/%s.json", dir, name) >= (int)sizeof(path))
		return px_err_set(err, PX_E_USAGE, "path under %s is too long", home);
	if (unlink(path) != 0) {
		if (errno == ENOENT)
			return px_err_set(err, PX_E_CONFIG, "no key '%s' for chain %s", name, chain);
		return px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
	}
	return true;
}

static bool check_entry(struct px_err *err, const char *path, bool dir)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
	if (S_ISLNK(st.st_mode))
		return px_err_set(err, PX_E_CONFIG, "%s: symbolic links are refused in the keys folder",
				  path);
	if (st.st_uid != geteuid())
		return px_err_set(err, PX_E_CONFIG, "%s: owned by uid %u, not by this user", path,
				  (unsigned)st.st_uid);
	if ((dir && !S_ISDIR(st.st_mode)) || (!dir && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)))
		return px_err_set(err, PX_E_CONFIG, "%s: unexpected file type", path);
	if (st.st_mode & 077) {
		bool d = S_ISDIR(st.st_mode);

		return px_err_set(err, PX_E_CONFIG, "%s: mode %04o is looser than %s (run chmod %s %s)",
				  path, (unsigned)(st.st_mode & 07777), d ? "0700" : "0600",
				  d ? "700" : "600", path);
	}
	return true;
}

/* Checks dir, then everything in it; depth 0 is HOME/keys (folders of
 * chains), depth 1 a chain's folder (key files). */
static bool check_tree(struct px_err *err, const char *dir, int depth)
{
	struct dirent *de;
	DIR *d;
	bool ok = true;

	if (!check_entry(err, dir, true))
		return false;
	d = opendir(dir);
	if (!d)
		return px_err_set(err, PX_E_IO, "%s: %s", dir, strerror(errno));
	while (ok && (de = readdir(d)) != NULL) {
		char path[PATH_MAX];
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= (int)sizeof(path)) {
			ok = px_err_set(err, PX_E_CONFIG, "%s: a name in it is too long", dir);
			break;
		}
		ok = check_entry(err, path, false);
		if (ok && depth == 0 && lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			ok = check_tree(err, path, 1);
	}
	closedir(d);
	return ok;
}

bool rly_keys_check_permissions(struct px_err *err, const char *home)
{
	char dir[PATH_MAX];
	struct stat st;

	if (!home)
		return px_err_set(err, PX_E_USAGE, "keys: NULL home");
	if (snprintf(dir, sizeof(dir), "%s/keys", home) >= (int)sizeof(dir))
		return px_err_set(err, PX_E_USAGE, "path under %s is too long", home);
	if (lstat(dir, &st) != 0 && errno == ENOENT)
		return true;
	return check_tree(err, dir, 0);
}
