/* Unit tests for relayer/keys.c and keys_file.c in a temporary HOME:
 * files born 0600 in 0700 folders whatever the umask, the derived key,
 * hex import, no overwrite, list order, delete, and every refusal of the
 * permission check (loose file, loose folder, symbolic link) and of a
 * damaged key file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/encoding.h"
#include "relayer/keys.h"

static const char about[] = "abandon abandon abandon abandon abandon abandon abandon abandon "
			    "abandon abandon abandon about";
static const char about_pub[] = "024f4e2ad99c34d60b9ba6283c9431a8418af8673212961f97a77b6377fcd05b62";
static const char priv1[] = "c4a48e2fce1481cd3294b4490f6678090ea98d3d0e5cd984558ab0968741b104";

static char home[64]; /* short, so the paths built on it fit */

static int setup(void **state)
{
	(void)state;
	snprintf(home, sizeof(home), "/tmp/pontifex-test-keys-XXXXXX");
	return mkdtemp(home) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", home);
	return system(cmd) == 0 ? 0 : -1;
}

static mode_t mode_of(const char *rel)
{
	char p[PATH_MAX];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", home, rel);
	assert_int_equal(lstat(p, &st), 0);
	return st.st_mode & 07777;
}

static void chmod_rel(const char *rel, mode_t m)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", home, rel);
	assert_int_equal(chmod(p, m), 0);
}

static void assert_err(const struct px_err *err, int code, const char *fragment)
{
	assert_int_equal(err->code, code);
	if (!strstr(err->msg, fragment))
		fail_msg("message \"%s\" lacks \"%s\"", err->msg, fragment);
}

static void test_add_mnemonic(void **state)
{
	struct rly_key_info info, back;
	struct cosmos_key key;
	struct px_err err = { 0 };
	uint8_t pub[33], priv[32];
	mode_t old = umask(0);

	(void)state;
	/* umask 0 would make a chmod-afterwards design briefly world readable;
	 * the file must be 0600 from creation. */
	if (!rly_keys_add_mnemonic(&err, &info, home, "chain-a", "relayer", about, strlen(about), 118))
		fail_msg("%s", err.msg);
	umask(old);
	assert_int_equal(mode_of("keys"), 0700);
	assert_int_equal(mode_of("keys/chain-a"), 0700);
	assert_int_equal(mode_of("keys/chain-a/relayer.json"), 0600);
	assert_true(px_hex_decode_fixed(NULL, pub, 33, about_pub, strlen(about_pub)));
	assert_memory_equal(info.pub, pub, 33);
	assert_string_equal(info.hd_path, "m/44'/118'/0'/0/0");
	assert_true(rly_keys_load(&err, &key, &back, home, "chain-a", "relayer"));
	assert_memory_equal(back.pub, pub, 33);
	assert_true(px_hex_decode_fixed(NULL, priv, 32, priv1, strlen(priv1)));
	assert_memory_equal(key.priv, priv, 32);
	cosmos_key_wipe(&key);
	assert_true(rly_keys_check_permissions(&err, home));

	/* Never overwritten. */
	assert_false(rly_keys_add_hex(&err, NULL, home, "chain-a", "relayer", priv1, 64));
	assert_err(&err, PX_E_USAGE, "already exists");
	/* Another coin type gives another key. */
	px_err_clear(&err);
	assert_true(rly_keys_add_mnemonic(&err, &info, home, "chain-a", "eth", about, strlen(about), 60));
	assert_string_equal(info.hd_path, "m/44'/60'/0'/0/0");
	assert_memory_not_equal(info.pub, pub, 33);
}

static void test_add_hex_and_list(void **state)
{
	struct px_err err = { 0 };
	struct rly_key_info info;
	char padded[80];

	(void)state;
	snprintf(padded, sizeof(padded), "  %s\n", priv1);
	assert_true(rly_keys_add_hex(&err, &info, home, "chain-b", "zeta", padded, strlen(padded)));
	assert_string_equal(info.hd_path, "");
	assert_true(rly_keys_add_hex(&err, &info, home, "chain-b", "alpha",
				     "0000000000000000000000000000000000000000000000000000000000000001",
				     64));
	assert_false(rly_keys_add_hex(&err, &info, home, "chain-b", "bad", "00", 2));
	assert_err(&err, PX_E_ENCODING, "64 hex digits");
	px_err_clear(&err);
	assert_false(rly_keys_add_hex(&err, &info, home, "chain-b", "zero",
				      "0000000000000000000000000000000000000000000000000000000000000000",
				      64));
	assert_int_equal(err.code, PX_E_MALFORMED);
	px_err_clear(&err);
	assert_false(rly_keys_add_mnemonic(&err, &info, home, "chain-b", "m", "abandon", 7, 118));
	assert_int_equal(err.code, PX_E_MALFORMED);
}

static bool collect(void *arg, const struct rly_key_info *info)
{
	char *out = arg;
	size_t len = strlen(out);

	snprintf(out + len, 256 - len, "%s,", info->name);
	return true;
}

static void test_list_delete(void **state)
{
	struct px_err err = { 0 };
	char names[256] = "";

	(void)state;
	assert_true(rly_keys_list(&err, home, "chain-b", collect, names));
	assert_string_equal(names, "alpha,zeta,");
	names[0] = '\0';
	assert_true(rly_keys_list(&err, home, "no-such-chain", collect, names));
	assert_string_equal(names, "");
	assert_true(rly_keys_delete(&err, home, "chain-b", "alpha"));
	assert_false(rly_keys_delete(&err, home, "chain-b", "alpha"));
	assert_err(&err, PX_E_CONFIG, "no key");
	names[0] = '\0';
	assert_true(rly_keys_list(&err, home, "chain-b", collect, names));
	assert_string_equal(names, "zeta,");
}

static void test_names(void **state)
{
	struct px_err err = { 0 };

	(void)state;
	assert_true(rly_name_check(&err, "key name", "relayer-1.a_b"));
	assert_false(rly_name_check(&err, "key name", "../evil"));
	assert_false(rly_name_check(&err, "key name", ".hidden"));
	assert_false(rly_name_check(&err, "key name", "a/b"));
	assert_false(rly_name_check(&err, "key name", ""));
	assert_false(rly_name_check(&err, "key name",
				    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
	px_err_clear(&err);
	assert_false(rly_keys_add_hex(&err, NULL, home, "../x", "k", priv1, 64));
	assert_int_equal(err.code, PX_E_USAGE);
}

static void test_permissions_refused(void **state)
{
	struct px_err err = { 0 };
	struct rly_key_info info;
	char target[PATH_MAX], link_path[PATH_MAX];

	(void)state;
	assert_true(rly_keys_check_permissions(&err, home));

	chmod_rel("keys/chain-a/relayer.json", 0644);
	assert_false(rly_keys_check_permissions(&err, home));
	assert_err(&err, PX_E_CONFIG, "mode 0644 is looser than 0600");
	px_err_clear(&err);
	assert_false(rly_keys_load(&err, NULL, &info, home, "chain-a", "relayer"));
	assert_err(&err, PX_E_CONFIG, "mode 0600");
	px_err_clear(&err);
	chmod_rel("keys/chain-a/relayer.json", 0600);

	chmod_rel("keys/chain-a", 0750);
	assert_false(rly_keys_check_permissions(&err, home));
	assert_err(&err, PX_E_CONFIG, "looser than 0700");
	px_err_clear(&err);
	/* Adding refuses to write into a loose folder too. */
	assert_false(rly_keys_add_hex(&err, NULL, home, "chain-a", "new", priv1, 64));
	assert_err(&err, PX_E_CONFIG, "looser than 0700");
	px_err_clear(&err);
	chmod_rel("keys/chain-a", 0700);

	chmod_rel("keys", 0711);
	assert_false(rly_keys_check_permissions(&err, home));
	assert_err(&err, PX_E_CONFIG, "keys: mode 0711");
	px_err_clear(&err);
	chmod_rel("keys", 0700);

	snprintf(target, sizeof(target), "%s/keys/chain-a/relayer.json", home);
	snprintf(link_path, sizeof(link_path), "%s/keys/chain-a/linked.json", home);
	assert_int_equal(symlink(target, link_path), 0);
	assert_false(rly_keys_check_permissions(&err, home));
	assert_err(&err, PX_E_CONFIG, "symbolic link");
	px_err_clear(&err);
	assert_false(rly_keys_load(&err, NULL, &info, home, "chain-a", "linked"));
	assert_err(&err, PX_E_CONFIG, "symbolic link");
	px_err_clear(&err);
	assert_int_equal(unlink(link_path), 0);
	assert_true(rly_keys_check_permissions(&err, home));
}

static void write_key_file(const char *name, const char *text)
{
	char p[PATH_MAX];
	int fd;

	snprintf(p, sizeof(p), "%s/keys/chain-a/%s.json", home, name);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void damaged(const char *name, const char *text, const char *fragment)
{
	struct px_err err = { 0 };
	struct rly_key_info info;

	write_key_file(name, text);
	if (rly_keys_load(&err, NULL, &info, home, "chain-a", name))
		fail_msg("accepted %s", text);
	assert_err(&err, PX_E_MALFORMED, fragment);
}

static void test_damaged_files(void **state)
{
	char text[1024];

	(void)state;
	snprintf(text, sizeof(text),
		 "{\"type\":\"secp256k1\",\"chain\":\"chain-a\",\"name\":\"d1\",\"hd_path\":\"\","
		 "\"public_key\":\"%s\",\"private_key\":\"%s\"}", about_pub, priv1);
	write_key_file("d1", text);
	{
		struct px_err err = { 0 };
		struct rly_key_info info;

		assert_true(rly_keys_load(&err, NULL, &info, home, "chain-a", "d1"));
	}
	/* public key of another private key */
	snprintf(text, sizeof(text),
		 "{\"type\":\"secp256k1\",\"chain\":\"chain-a\",\"name\":\"d2\",\"hd_path\":\"\","
		 "\"public_key\":\"%s\",\"private_key\":\"%s\"}", about_pub,
		 "0000000000000000000000000000000000000000000000000000000000000001");
	damaged("d2", text, "does not match");
	snprintf(text, sizeof(text),
		 "{\"type\":\"secp256k1\",\"chain\":\"chain-b\",\"name\":\"d3\",\"hd_path\":\"\","
		 "\"public_key\":\"%s\",\"private_key\":\"%s\"}", about_pub, priv1);
	damaged("d3", text, "does not fit");
	snprintf(text, sizeof(text), "{\"type\":\"ed25519\",\"chain\":\"chain-a\",\"name\":\"d4\","
		 "\"hd_path\":\"\",\"public_key\":\"%s\",\"private_key\":\"%s\"}", about_pub, priv1);
	damaged("d4", text, "not secp256k1");
	snprintf(text, sizeof(text), "{\"type\":\"secp256k1\",\"chain\":\"chain-a\",\"name\":\"d5\","
		 "\"hd_path\":\"\",\"public_key\":\"%s\"}", about_pub);
	damaged("d5", text, "private_key is missing");
	damaged("d6", "{\"type\":\"secp256k1\",\"extra\":\"x\"}", "unknown or repeated");
	damaged("d7", "not json", "not a pontifex key file");
	damaged("d8", "{\"type\":\"secp256k1\"} trailing", "not a pontifex key file");
	damaged("d9", "{\"type\":\"secp\\u0032\"}", "not a pontifex key file");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_mnemonic),
		cmocka_unit_test(test_add_hex_and_list),
		cmocka_unit_test(test_list_delete),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_permissions_refused),
		cmocka_unit_test(test_damaged_files),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
