/* Unit tests of chains/devnet/store_multi: the app hash (against the
 * examples of scripts/make-examples.py and against tm_merkle_root), the
 * two-level abci_query proofs through lightclient/tendermint/abci.h, and
 * persistence: reopening, a process killed with SIGKILL, pruning, the
 * caller's own transaction, a home held by another opener.
 *
 * usage: test_store_multi [EXAMPLES_DIR] */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "chains/devnet/store_multi.h"
#include "common/encoding.h"
#include "common/hash.h"
#include "lightclient/ics23/ics23.h"
#include "lightclient/tendermint/abci.h"
#include "lightclient/tendermint/hash.h"

static const char *examples_dir;

static const char *const example_stores[] = {
	"acc", "bank", "ibc", "params", "staking", "transfer", "upgrade",
};

/* --- helpers --------------------------------------------------------------- */

struct home {
	char path[64];
};

static void home_make(struct home *h)
{
	snprintf(h->path, sizeof(h->path), "/tmp/px-store-XXXXXX");
	assert_non_null(mkdtemp(h->path));
}

static void home_remove(struct home *h)
{
	static const char *const files[] = {
		"data/" DEVNET_MULTI_DB_FILE, "data/" DEVNET_MULTI_DB_FILE "-wal",
		"data/" DEVNET_MULTI_DB_FILE "-shm", "data/" DEVNET_MULTI_DB_FILE "-journal",
	};
	char p[128];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", h->path, files[i]);
		unlink(p);
	}
	snprintf(p, sizeof(p), "%s/data", h->path);
	rmdir(p);
	assert_int_equal(rmdir(h->path), 0);
}

static void set_kv(struct devnet_multi *m, const char *store, const char *key, const char *value)
{
	struct px_err err = { 0 };

	assert_true(devnet_iavl_set(&err, devnet_multi_store(m, store), (const uint8_t *)key,
				    strlen(key), (const uint8_t *)value, strlen(value)));
}

/* The state changes of block v, the same in every test. */
static void apply_block(struct devnet_multi *m, int v)
{
	struct px_err err = { 0 };
	char key[96], value[32];

	for (int i = 0; i < 5; i++) {
		snprintf(key, sizeof(key), "commitments/ports/transfer/channels/channel-0/"
			 "sequences/%d", v * 5 + i);
		snprintf(value, sizeof(value), "packet %d", v * 5 + i);
		set_kv(m, "ibc", key, value);
	}
	snprintf(key, sizeof(key), "balances/addr%d", v % 3);
	snprintf(value, sizeof(value), "%d", v * 100);
	set_kv(m, "bank", key, value);
	if (v % 2 == 0) {
		snprintf(key, sizeof(key), "commitments/ports/transfer/channels/channel-0/"
			 "sequences/%d", v * 5 - 3);
		assert_true(devnet_iavl_delete(&err, devnet_multi_store(m, "ibc"), NULL,
					       (const uint8_t *)key, strlen(key)));
	}
}

static void commit(struct devnet_multi *m, uint8_t app_hash[32])
{
	struct px_err err = { 0 };
	int64_t v;

	if (!devnet_multi_commit(&err, app_hash, &v, m))
		fail_msg("commit: %s", err.msg);
	assert_int_equal(v, devnet_multi_version(m));
}

/* Queries store/key at height with proofs and checks them the way the
 * relayer does, against the app hash; want NULL: absent. */
static void check_query(const struct devnet_multi *m, const char *store, const char *key,
			int64_t height, const char *want, const uint8_t app_hash[32])
{
	struct px_err err = { 0 };
	struct devnet_query q;
	struct tm_abci_result res;
	uint8_t bad[32];
	size_t kl = strlen(key);

	if (!devnet_multi_query(&err, &q, m, store, (const uint8_t *)key, kl, height, true))
		fail_msg("query: %s", err.msg);
	assert_int_equal(q.exists, want != NULL);
	assert_memory_equal(q.app_hash, app_hash, 32);
	if (want) {
		assert_int_equal(q.value.len, strlen(want));
		assert_memory_equal(q.value.data, want, q.value.len);
	}
	if (!tm_abci_verify(&err, &res, app_hash, 32, (const uint8_t *)store, strlen(store),
			    (const uint8_t *)key, kl, q.value.data, q.value.len, q.iavl_proof.data,
			    q.iavl_proof.len, q.simple_proof.data, q.simple_proof.len))
		fail_msg("%s/%s at %lld: %s", store, key, (long long)height, err.msg);
	assert_int_equal(res.exists, want != NULL);
	/* another app hash, another store name, another value: rejected */
	memcpy(bad, app_hash, 32);
	bad[0] ^= 0x80;
	px_err_clear(&err);
	assert_false(tm_abci_verify(&err, &res, bad, 32, (const uint8_t *)store, strlen(store),
				    (const uint8_t *)key, kl, q.value.data, q.value.len,
				    q.iavl_proof.data, q.iavl_proof.len, q.simple_proof.data,
				    q.simple_proof.len));
	assert_int_equal(err.code, PX_E_ROOT_MISMATCH);
	px_err_clear(&err);
	assert_false(tm_abci_verify(&err, &res, app_hash, 32, (const uint8_t *)"params", 6,
				    (const uint8_t *)key, kl, q.value.data, q.value.len,
				    q.iavl_proof.data, q.iavl_proof.len, q.simple_proof.data,
				    q.simple_proof.len));
	px_err_clear(&err);
	assert_false(tm_abci_verify(&err, &res, app_hash, 32, (const uint8_t *)store, strlen(store),
				    (const uint8_t *)key, kl, (const uint8_t *)"forged", 6,
				    q.iavl_proof.data, q.iavl_proof.len, q.simple_proof.data,
				    q.simple_proof.len));
	devnet_query_free(&q);
}

/* --- app hash ---------------------------------------------------------------- */

static void test_known_answer(void **state)
{
	uint8_t roots[7 * 32], root[32], expect[32];
	struct px_err err = { 0 };
	struct px_buf proof = PX_BUF_INIT, want = PX_BUF_INIT;
	char path[512], text[4096];
	FILE *f;

	(void)state;
	for (size_t i = 0; i < 7; i++) {
		char pre[32];

		px_sha256(roots + 32 * i, pre,
			  (size_t)snprintf(pre, sizeof(pre), "root of %s", example_stores[i]));
	}
	devnet_multi_root_of(root, example_stores, roots, 7);
	assert_true(px_hex_decode_fixed(&err, expect, 32, "9e087e230e4c06444079cc01bcefcd1c"
					"d39d08f81fa87aae19345b232a0ae634", 64));
	assert_memory_equal(root, expect, 32);
	for (size_t i = 0; i < 7; i++) {
		struct ics23_proof p;

		px_buf_reset(&proof);
		devnet_multi_proof_of(&proof, example_stores, roots, 7, i);
		assert_true(px_buf_ok(&proof));
		assert_true(ics23_proof_decode(&err, &p, proof.data, proof.len));
		if (!ics23_verify_membership(&err, &ics23_spec_tendermint, root, 32, &p,
					     (const uint8_t *)example_stores[i],
					     strlen(example_stores[i]), roots + 32 * i, 32))
			fail_msg("%s: %s", example_stores[i], err.msg);
		ics23_proof_free(&p);
		if (i == 2 && examples_dir) {
			snprintf(path, sizeof(path), "%s/tendermint-ibc-member.hex", examples_dir);
			f = fopen(path, "r");
			if (f) {
				size_t n = fread(text, 1, sizeof(text), f);

				fclose(f);
				while (n && text[n - 1] == '\n')
					n--;
				assert_true(px_hex_decode(&err, &want, text, n, false));
				assert_int_equal(proof.len, want.len);
				assert_memory_equal(proof.data, want.data, want.len);
			}
		}
	}
	/* every tree size up to the cap: each leaf proves under the root */
	for (size_t n = 1; n <= DEVNET_MULTI_MAX_STORES; n += (n < 10 ? 1 : 9)) {
		static char names[DEVNET_MULTI_MAX_STORES][8];
		const char *list[DEVNET_MULTI_MAX_STORES];
		static uint8_t many[DEVNET_MULTI_MAX_STORES * 32];

		for (size_t i = 0; i < n; i++) {
			snprintf(names[i], sizeof(names[i]), "s%02zu", i);
			list[i] = names[i];
			memset(many + 32 * i, (int)i, 32);
		}
		devnet_multi_root_of(root, list, many, n);
		for (size_t i = 0; i < n; i++) {
			struct ics23_proof p;

			px_buf_reset(&proof);
			devnet_multi_proof_of(&proof, list, many, n, i);
			assert_true(ics23_proof_decode(&err, &p, proof.data, proof.len));
			assert_true(ics23_verify_membership(&err, &ics23_spec_tendermint, root, 32,
							    &p, (const uint8_t *)list[i], 3,
							    many + 32 * i, 32));
			ics23_proof_free(&p);
		}
	}
	px_buf_free(&proof);
	px_buf_free(&want);
}

static void test_app_hash_is_tm_merkle_root(void **state)
{
	struct px_err err = { 0 };
	struct devnet_multi *m;
	uint8_t app[32], want[32], leaves[7][128];
	struct px_iov iov[7];

	(void)state;
	assert_true(devnet_multi_open(&err, &m, NULL, NULL));
	assert_int_equal(devnet_multi_store_count(m), 7);
	apply_block(m, 1);
	commit(m, app);
	for (size_t i = 0; i < 7; i++) {
		struct devnet_iavl *t = devnet_multi_store_at(m, i);
		const char *name = devnet_iavl_name(t);
		uint8_t root[32];
		size_t n = strlen(name);

		assert_string_equal(name, example_stores[i]);	/* name order */
		assert_true(devnet_iavl_root(&err, root, t, 1));
		leaves[i][0] = (uint8_t)n;
		memcpy(leaves[i] + 1, name, n);
		leaves[i][1 + n] = 32;
		px_sha256(leaves[i] + 2 + n, root, 32);
		iov[i].ptr = leaves[i];
		iov[i].len = n + 34;
	}
	tm_merkle_root(want, iov, 7);
	assert_memory_equal(app, want, 32);
	assert_true(devnet_multi_app_hash(&err, want, m, 0));
	assert_memory_equal(app, want, 32);
	devnet_multi_close(m);
}

/* --- queries ------------------------------------------------------------------- */

static void test_query_proofs(void **state)
{
	static const char *const stores[] = { "ibc", "bank", "acc" };
	struct devnet_multi_opts opts = { .stores = stores, .n_stores = 3 };
	struct px_err err = { 0 };
	struct devnet_multi *m;
	struct devnet_query q;
	uint8_t app1[32], app2[32];
	const char *k1 = "commitments/ports/transfer/channels/channel-0/sequences/6";
	const char *k2 = "commitments/ports/transfer/channels/channel-0/sequences/7";

	(void)state;
	assert_true(devnet_multi_open(&err, &m, NULL, &opts));
	assert_false(devnet_multi_query(&err, &q, m, "ibc", (const uint8_t *)"k", 1, 0, true));
	assert_int_equal(err.code, PX_E_USAGE);
	px_err_clear(&err);
	apply_block(m, 1);
	commit(m, app1);
	apply_block(m, 2);	/* deletes sequence 7 */
	commit(m, app2);
	check_query(m, "ibc", k1, 1, "packet 6", app1);
	check_query(m, "ibc", k2, 1, "packet 7", app1);
	check_query(m, "ibc", k1, 2, "packet 6", app2);
	check_query(m, "ibc", k2, 2, NULL, app2);
	check_query(m, "ibc", k2, 0, NULL, app2);
	check_query(m, "ibc", "a", 2, NULL, app2);		/* left edge */
	check_query(m, "ibc", "zzz", 2, NULL, app2);		/* right edge */
	check_query(m, "bank", "balances/addr1", 1, "100", app1);
	check_query(m, "bank", "balances/addr2", 2, "200", app2);
	check_query(m, "bank", "balances/addr2", 1, NULL, app1);
	/* an empty store: the value reads as absent, but ICS-23 has nothing
	 * to prove absence with */
	assert_true(devnet_multi_query(&err, &q, m, "acc", (const uint8_t *)"x", 1, 2, true));
	assert_false(q.exists);
	assert_false(tm_abci_verify(&err, &(struct tm_abci_result){ 0 }, app2, 32,
				    (const uint8_t *)"acc", 3, (const uint8_t *)"x", 1, NULL, 0,
				    q.iavl_proof.data, q.iavl_proof.len, q.simple_proof.data,
				    q.simple_proof.len));
	assert_int_equal(err.code / 100, 3);
	px_err_clear(&err);
	devnet_query_free(&q);
	/* without proofs */
	assert_true(devnet_multi_query(&err, &q, m, "ibc", (const uint8_t *)k1, strlen(k1), 1,
				       false));
	assert_true(q.exists);
	assert_int_equal(q.height, 1);
	assert_int_equal(q.iavl_proof.len + q.simple_proof.len, 0);
	devnet_query_free(&q);
	/* bad requests */
	assert_false(devnet_multi_query(&err, &q, m, "gov", (const uint8_t *)"k", 1, 1, true));
	assert_int_equal(err.code, PX_E_USAGE);
	px_err_clear(&err);
	assert_false(devnet_multi_query(&err, &q, m, "ibc", (const uint8_t *)"k", 1, 3, true));
	assert_int_equal(err.code, PX_E_USAGE);
	px_err_clear(&err);
	assert_false(devnet_multi_query(&err, &q, m, "ibc", (const uint8_t *)"k", 0, 1, true));
	px_err_clear(&err);
	devnet_multi_close(m);

	/* configuration mistakes */
	opts.n_stores = 0;
	assert_false(devnet_multi_open(&err, &m, NULL, &opts));
	assert_int_equal(err.code, PX_E_USAGE);
	px_err_clear(&err);
	{
		static const char *const twice[] = { "ibc", "bank", "ibc" };
		const char *twice_bad[] = { "ibc", "bank", "acc" };
		struct devnet_multi_opts o2 = { .stores = twice, .n_stores = 3 };

		assert_false(devnet_multi_open(&err, &m, NULL, &o2));
		assert_int_equal(err.code, PX_E_USAGE);
		assert_null(m);
		px_err_clear(&err);
		twice_bad[1] = "b a";
		o2.stores = twice_bad;
		assert_false(devnet_multi_open(&err, &m, NULL, &o2));
		assert_int_equal(err.code, PX_E_USAGE);
		px_err_clear(&err);
	}
}

/* --- persistence ----------------------------------------------------------------- */

static void test_reopen(void **state)
{
	struct px_err err = { 0 };
	struct devnet_multi *m, *other;
	struct home h;
	uint8_t app[6][32], again[32];

	(void)state;
	home_make(&h);
	assert_true(devnet_multi_open(&err, &m, h.path, NULL));
	for (int v = 1; v <= 5; v++) {
		apply_block(m, v);
		commit(m, app[v]);
	}
	/* a second opener of the same home is refused */
	assert_false(devnet_multi_open(&err, &other, h.path, NULL));
	assert_int_equal(err.code, PX_E_IO);
	assert_null(other);
	px_err_clear(&err);
	apply_block(m, 6);	/* never committed */
	devnet_multi_close(m);

	assert_true(devnet_multi_open(&err, &m, h.path, NULL));
	assert_int_equal(devnet_multi_version(m), 5);
	assert_int_equal(devnet_multi_oldest_version(m), 1);
	for (int v = 1; v <= 5; v++) {
		assert_true(devnet_multi_app_hash(&err, again, m, v));
		assert_memory_equal(again, app[v], 32);
	}
	check_query(m, "ibc", "commitments/ports/transfer/channels/channel-0/sequences/7", 1,
		    "packet 7", app[1]);
	check_query(m, "ibc", "commitments/ports/transfer/channels/channel-0/sequences/7", 5,
		    NULL, app[5]);
	check_query(m, "bank", "balances/addr2", 5, "500", app[5]);
	/* the next block is what it would have been without the restart */
	{
		struct devnet_multi *mem;
		uint8_t want[32];

		assert_true(devnet_multi_open(&err, &mem, NULL, NULL));
		for (int v = 1; v <= 6; v++) {
			apply_block(mem, v);
			commit(mem, want);
		}
		apply_block(m, 6);
		commit(m, again);
		assert_memory_equal(again, want, 32);
		devnet_multi_close(mem);
	}
	devnet_multi_close(m);

	/* other stores than the home was made with */
	{
		static const char *const stores[] = { "ibc", "bank" };
		struct devnet_multi_opts opts = { .stores = stores, .n_stores = 2 };

		assert_false(devnet_multi_open(&err, &m, h.path, &opts));
		assert_int_equal(err.code, PX_E_CONFIG);
		px_err_clear(&err);
	}
	home_remove(&h);
}

/* A process killed with SIGKILL between (and in the middle of) blocks
 * loses nothing it committed. */
static void test_killed_process(void **state)
{
	struct px_err err = { 0 };
	struct devnet_multi *m, *mem;
	struct home h;
	uint8_t want[32], got[32];
	int status;
	pid_t pid;

	(void)state;
	home_make(&h);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		uint8_t app[32];
		int64_t v;

		if (!devnet_multi_open(&err, &m, h.path, NULL))
			_exit(2);
		for (int i = 1; i <= 4; i++) {
			apply_block(m, i);
			if (!devnet_multi_commit(&err, app, &v, m))
				_exit(3);
		}
		apply_block(m, 5);
		raise(SIGKILL);
		_exit(4);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	assert_true(devnet_multi_open(&err, &mem, NULL, NULL));
	for (int v = 1; v <= 4; v++) {
		apply_block(mem, v);
		commit(mem, want);
	}
	if (!devnet_multi_open(&err, &m, h.path, NULL))
		fail_msg("reopen: %s", err.msg);
	assert_int_equal(devnet_multi_version(m), 4);
	assert_true(devnet_multi_app_hash(&err, got, m, 0));
	assert_memory_equal(got, want, 32);
	check_query(m, "bank", "balances/addr1", 4, "400", want);
	devnet_multi_close(m);
	devnet_multi_close(mem);
	home_remove(&h);
}

static void test_pruning(void **state)
{
	struct devnet_multi_opts opts = { .keep_versions = 2, .initial_version = 10 };
	struct px_err err = { 0 };
	struct devnet_multi *m;
	struct home h;
	uint8_t app[32], got[32];

	(void)state;
	home_make(&h);
	assert_true(devnet_multi_open(&err, &m, h.path, &opts));
	for (int v = 1; v <= 5; v++) {
		apply_block(m, v);
		commit(m, app);
	}
	assert_int_equal(devnet_multi_version(m), 14);
	assert_int_equal(devnet_multi_oldest_version(m), 13);
	assert_false(devnet_multi_app_hash(&err, got, m, 12));
	assert_int_equal(err.code, PX_E_USAGE);
	px_err_clear(&err);
	devnet_multi_close(m);
	assert_true(devnet_multi_open(&err, &m, h.path, &opts));
	assert_int_equal(devnet_multi_oldest_version(m), 13);
	assert_true(devnet_multi_app_hash(&err, got, m, 14));
	assert_memory_equal(got, app, 32);
	check_query(m, "bank", "balances/addr2", 14, "500", app);
	devnet_multi_close(m);
	home_remove(&h);
}

/* The caller's transaction: a rolled-back commit leaves nothing; the next
 * one goes through. */
static void test_caller_transaction(void **state)
{
	struct px_err err = { 0 };
	struct devnet_multi *m;
	struct home h;
	uint8_t first[32], app[32], got[32];

	(void)state;
	home_make(&h);
	assert_true(devnet_multi_open(&err, &m, h.path, NULL));
	apply_block(m, 1);
	assert_int_equal(sqlite3_exec(devnet_multi_db(m), "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	assert_true(devnet_multi_commit_prepare(&err, first, m));
	assert_int_equal(sqlite3_exec(devnet_multi_db(m), "ROLLBACK", NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(devnet_multi_version(m), 0);
	assert_int_equal(sqlite3_exec(devnet_multi_db(m), "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	assert_true(devnet_multi_commit_prepare(&err, app, m));
	assert_int_equal(sqlite3_exec(devnet_multi_db(m), "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	devnet_multi_commit_finish(m);
	assert_memory_equal(app, first, 32);
	assert_int_equal(devnet_multi_version(m), 1);
	devnet_multi_close(m);
	assert_true(devnet_multi_open(&err, &m, h.path, NULL));
	assert_int_equal(devnet_multi_version(m), 1);
	assert_true(devnet_multi_app_hash(&err, got, m, 1));
	assert_memory_equal(got, app, 32);
	devnet_multi_close(m);
	home_remove(&h);
}

/* A commit that fails in SQLite (a trigger injects the failure) changes
 * nothing; the next one succeeds with the same version and app hash. */
static void test_failed_commit(void **state)
{
	struct px_err err = { 0 };
	struct devnet_multi *m;
	struct home h;
	uint8_t app1[32], app[32], want[32];
	int64_t v;

	(void)state;
	home_make(&h);
	assert_true(devnet_multi_open(&err, &m, h.path, NULL));
	apply_block(m, 1);
	commit(m, app1);
	apply_block(m, 2);
	assert_int_equal(sqlite3_exec(devnet_multi_db(m), "CREATE TEMP TRIGGER fail BEFORE "
				      "INSERT ON main.versions BEGIN SELECT RAISE(ABORT, "
				      "'injected'); END", NULL, NULL, NULL), SQLITE_OK);
	assert_false(devnet_multi_commit(&err, app, &v, m));
	assert_int_equal(err.code, PX_E_IO);
	assert_non_null(strstr(err.msg, "injected"));
	px_err_clear(&err);
	assert_int_equal(devnet_multi_version(m), 1);
	assert_true(devnet_multi_app_hash(&err, app, m, 0));
	assert_memory_equal(app, app1, 32);
	check_query(m, "bank", "balances/addr1", 1, "100", app1);
	assert_int_equal(sqlite3_exec(devnet_multi_db(m), "DROP TRIGGER fail", NULL, NULL, NULL),
			 SQLITE_OK);
	commit(m, app);
	assert_int_equal(devnet_multi_version(m), 2);
	devnet_multi_close(m);
	assert_true(devnet_multi_open(&err, &m, h.path, NULL));
	assert_true(devnet_multi_app_hash(&err, want, m, 2));
	assert_memory_equal(want, app, 32);
	check_query(m, "bank", "balances/addr2", 2, "200", app);
	devnet_multi_close(m);
	home_remove(&h);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answer),
		cmocka_unit_test(test_app_hash_is_tm_merkle_root),
		cmocka_unit_test(test_query_proofs),
		cmocka_unit_test(test_reopen),
		cmocka_unit_test(test_killed_process),
		cmocka_unit_test(test_pruning),
		cmocka_unit_test(test_caller_transaction),
		cmocka_unit_test(test_failed_commit),
	};
	int rc;

	if (argc > 1)
		examples_dir = argv[1];
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	px_hash_thread_cleanup();
	return rc;
}
