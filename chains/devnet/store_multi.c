/* The multistore: the devnet's stores committed together, the app hash
 * over their roots (as cosmos-sdk store/rootmulti's commitInfo.Hash), the
 * `ics23:simple` proofs of a store's root under it (as store/internal/
 * proofs CreateMembershipProof), abci_query with proofs, and the SQLite
 * database all stores share. Besides the IAVL tables the database holds
 *
 *   stores(name)                the stores this home was created with;
 *   versions(version, app_hash) the app hash of every retained version,
 *                               checked against the stores on reopening. */
#include "chains/devnet/store_multi.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/protobuf.h"
#include "lightclient/tendermint/hash.h"

const char *const devnet_multi_default_stores[] = {
	"acc", "bank", "ibc", "params", "staking", "transfer", "upgrade",
};
const size_t devnet_multi_default_stores_len =
	sizeof(devnet_multi_default_stores) / sizeof(devnet_multi_default_stores[0]);

struct devnet_multi {
	sqlite3 *db;
	struct devnet_iavl *stores[DEVNET_MULTI_MAX_STORES];	/* by name */
	size_t n_stores;
	uint64_t keep_versions;
	bool prepared;
};

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS stores (name TEXT PRIMARY KEY) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS versions (version INTEGER PRIMARY KEY,"
	" app_hash BLOB NOT NULL);";

#define LEAF_MAX (1 + DEVNET_IAVL_MAX_NAME + 1 + DEVNET_HASH_LEN)

/* The leaf of one store: varint(len name) name varint(32) sha256(root),
 * as the SDK's kv.Pair encodes it. */
static size_t leaf_bytes(uint8_t out[LEAF_MAX], const char *name,
			 const uint8_t root[DEVNET_HASH_LEN])
{
	size_t len = strnlen(name, DEVNET_IAVL_MAX_NAME);	/* callers check names */

	out[0] = (uint8_t)len;
	memcpy(out + 1, name, len);
	out[1 + len] = DEVNET_HASH_LEN;
	px_sha256(out + 2 + len, root, DEVNET_HASH_LEN);
	return 2 + len + DEVNET_HASH_LEN;
}

void devnet_multi_root_of(uint8_t out[DEVNET_HASH_LEN], const char *const *names,
			  const uint8_t *roots, size_t n)
{
	uint8_t leaves[DEVNET_MULTI_MAX_STORES][LEAF_MAX];
	struct px_iov iov[DEVNET_MULTI_MAX_STORES];

	for (size_t i = 0; i < n && i < DEVNET_MULTI_MAX_STORES; i++) {
		iov[i].ptr = leaves[i];
		iov[i].len = leaf_bytes(leaves[i], names[i], roots + i * DEVNET_HASH_LEN);
	}
	tm_merkle_root(out, iov, n < DEVNET_MULTI_MAX_STORES ? n : DEVNET_MULTI_MAX_STORES);
}

static size_t split_point(size_t n)
{
	size_t k = 1;

	while (k * 2 < n)
		k *= 2;
	return k;
}

static void subtree_root(uint8_t out[DEVNET_HASH_LEN], uint8_t (*h)[DEVNET_HASH_LEN], size_t n)
{
	uint8_t l[DEVNET_HASH_LEN], r[DEVNET_HASH_LEN];
	size_t k;

	if (n == 1) {
		memcpy(out, h[0], DEVNET_HASH_LEN);
		return;
	}
	k = split_point(n);
	subtree_root(l, h, k);
	subtree_root(r, h + k, n - k);
	tm_merkle_inner_hash(out, l, r);
}

void devnet_multi_proof_of(struct px_buf *proof, const char *const *names,
			   const uint8_t *roots, size_t n, size_t idx)
{
	uint8_t hashes[DEVNET_MULTI_MAX_STORES][DEVNET_HASH_LEN];
	uint8_t leaf[LEAF_MAX], aunts[8][DEVNET_HASH_LEN];
	bool aunt_right[8];
	struct px_buf msg = PX_BUF_INIT, op = PX_BUF_INIT;
	static const uint8_t leaf_prefix = 0, inner_prefix = 1;
	size_t depth = 0, base = 0;

	if (n == 0 || n > DEVNET_MULTI_MAX_STORES || idx >= n) {
		proof->failed = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (strnlen(names[i], DEVNET_IAVL_MAX_NAME + 1) > DEVNET_IAVL_MAX_NAME) {
			proof->failed = true;
			return;
		}
	}
	for (size_t i = 0; i < n; i++)
		tm_merkle_leaf_hash(hashes[i], leaf,
				    leaf_bytes(leaf, names[i], roots + i * DEVNET_HASH_LEN));
	/* aunts from the root down; 64 leaves are 6 levels deep */
	while (n > 1) {
		size_t k = split_point(n);

		aunt_right[depth] = idx < k;
		if (idx < k) {
			subtree_root(aunts[depth], hashes + base + k, n - k);
			n = k;
		} else {
			subtree_root(aunts[depth], hashes + base, k);
			base += k;
			n -= k;
			idx -= k;
		}
		depth++;
	}
	px_pb_put_bytes(&msg, 1, (const uint8_t *)names[base], strlen(names[base]));
	px_pb_put_bytes(&msg, 2, roots + base * DEVNET_HASH_LEN, DEVNET_HASH_LEN);
	px_pb_put_uint64(&op, 1, 1);
	px_pb_put_uint64(&op, 3, 1);
	px_pb_put_uint64(&op, 4, 1);
	px_pb_put_bytes(&op, 5, &leaf_prefix, 1);
	px_pb_put_bytes(&msg, 3, op.data, op.len);
	while (depth-- > 0) {
		uint8_t prefix[1 + DEVNET_HASH_LEN];

		px_buf_reset(&op);
		px_pb_put_uint64(&op, 1, 1);
		prefix[0] = inner_prefix;
		if (aunt_right[depth]) {
			px_pb_put_bytes(&op, 2, prefix, 1);
			px_pb_put_bytes(&op, 3, aunts[depth], DEVNET_HASH_LEN);
		} else {
			memcpy(prefix + 1, aunts[depth], DEVNET_HASH_LEN);
			px_pb_put_bytes(&op, 2, prefix, sizeof(prefix));
		}
		px_pb_put_bytes(&msg, 4, op.data, op.len);
	}
	if (px_buf_ok(&msg) && px_buf_ok(&op))
		px_pb_put_bytes(proof, 1, msg.data, msg.len);
	else
		proof->failed = true;
	px_buf_free(&msg);
	px_buf_free(&op);
}

static bool db_fail(struct px_err *err, sqlite3 *db, const char *what)
{
	return px_err_set(err, PX_E_IO, "state database: %s: %s", what,
			  db ? sqlite3_errmsg(db) : "out of memory");
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool make_dir(struct px_err *err, const char *path)
{
	struct stat st;

	if (mkdir(path, 0700) == 0)
		return true;
	if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return true;
	return px_err_set(err, PX_E_IO, "cannot create folder %s: %s", path,
			  errno == EEXIST ? "not a folder" : strerror(errno));
}

static bool open_db(struct px_err *err, sqlite3 **out, const char *home)
{
	char dir[PATH_MAX], path[PATH_MAX];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	bool wal;
	int n1 = snprintf(dir, sizeof(dir), "%s/data", home);
	int n2 = snprintf(path, sizeof(path), "%s/data/%s", home, DEVNET_MULTI_DB_FILE);

	*out = NULL;
	if (n1 < 0 || n2 < 0 || (size_t)n2 >= sizeof(path))
		return px_err_set(err, PX_E_USAGE, "home folder path too long");
	if (!make_dir(err, home) || !make_dir(err, dir))
		return false;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		px_err_set(err, PX_E_IO, "cannot open %s: %s", path,
			   db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return false;
	}
	/* Exclusive locking before the first WAL access: no shared-memory
	 * index, and a second process on this home fails instead of
	 * forking the chain's state. */
	if (sqlite3_exec(db, "PRAGMA locking_mode=EXCLUSIVE", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		px_err_set(err, PX_E_IO, "%s: %s (is the home in use by another process?)", path,
			   sqlite3_errmsg(db));
		goto fail;
	}
	wal = sqlite3_column_text(st, 0) &&
	      strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
	sqlite3_finalize(st);
	st = NULL;
	if (!wal) {
		px_err_set(err, PX_E_IO, "%s: cannot switch to WAL mode", path);
		goto fail;
	}
	if (sqlite3_exec(db, "PRAGMA synchronous=FULL; BEGIN IMMEDIATE; COMMIT;", NULL, NULL,
			 NULL) != SQLITE_OK) {
		px_err_set(err, PX_E_IO, "%s: %s (is the home in use by another process?)", path,
			   sqlite3_errmsg(db));
		goto fail;
	}
	*out = db;
	return true;
fail:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return false;
}

/* First open: record the stores. Later: they must be the same. */
static bool check_stores(struct px_err *err, struct devnet_multi *m, const char **names)
{
	sqlite3_stmt *st = NULL;
	size_t n = 0;
	bool ok = false, same = true;
	int rc;

	if (sqlite3_prepare_v2(m->db, "SELECT name FROM stores ORDER BY name", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_fail(err, m->db, "read stores");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);

		same = same && n < m->n_stores && name && strcmp(name, names[n]) == 0;
		n++;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE)
		return db_fail(err, m->db, "read stores");
	if (n && (!same || n != m->n_stores))
		return px_err_set(err, PX_E_CONFIG, "the home holds other stores than the %zu "
				  "configured (%s, ...)", m->n_stores, names[0]);
	if (n)
		return true;
	if (sqlite3_exec(m->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(m->db, "INSERT INTO stores (name) VALUES (?1)", -1, &st, NULL) !=
		    SQLITE_OK) {
		db_fail(err, m->db, "record stores");
		goto out;
	}
	for (size_t i = 0; i < m->n_stores; i++) {
		sqlite3_bind_text(st, 1, names[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_fail(err, m->db, "record stores");
			goto out;
		}
		sqlite3_reset(st);
	}
	if (sqlite3_exec(m->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		db_fail(err, m->db, "record stores");
		goto out;
	}
	ok = true;
out:
	sqlite3_finalize(st);
	if (!ok)
		sqlite3_exec(m->db, "ROLLBACK", NULL, NULL, NULL);
	return ok;
}

/* Every store at the same versions, and the stored app hash of the latest
 * version equal to the one the stores give. */
static bool check_versions(struct px_err *err, struct devnet_multi *m)
{
	int64_t latest = devnet_iavl_version(m->stores[0]);
	int64_t oldest = devnet_iavl_oldest_version(m->stores[0]);
	uint8_t want[DEVNET_HASH_LEN];
	sqlite3_stmt *st = NULL;
	bool ok;

	for (size_t i = 1; i < m->n_stores; i++)
		if (devnet_iavl_version(m->stores[i]) != latest ||
		    devnet_iavl_oldest_version(m->stores[i]) != oldest)
			return px_err_set(err, PX_E_MALFORMED, "stores %s and %s are at other versions",
					  devnet_iavl_name(m->stores[0]),
					  devnet_iavl_name(m->stores[i]));
	if (!latest || !m->db)
		return true;
	if (!devnet_multi_app_hash(err, want, m, latest))
		return false;
	if (sqlite3_prepare_v2(m->db, "SELECT app_hash FROM versions WHERE version = ?1", -1, &st,
			       NULL) != SQLITE_OK)
		return db_fail(err, m->db, "read versions");
	sqlite3_bind_int64(st, 1, latest);
	ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == DEVNET_HASH_LEN &&
	     memcmp(sqlite3_column_blob(st, 0), want, DEVNET_HASH_LEN) == 0;
	sqlite3_finalize(st);
	if (!ok)
		return px_err_set(err, PX_E_MALFORMED, "version %lld: the stored app hash is not "
				  "the stores' root", (long long)latest);
	return true;
}

bool devnet_multi_open(struct px_err *err, struct devnet_multi **out, const char *home,
		       const struct devnet_multi_opts *opts)
{
	const char *names[DEVNET_MULTI_MAX_STORES];
	const char *const *list = devnet_multi_default_stores;
	size_t n = devnet_multi_default_stores_len;
	struct devnet_iavl_opts io = { 0 };
	struct devnet_multi *m;

	*out = NULL;
	if (opts && opts->stores) {
		list = opts->stores;
		n = opts->n_stores;
	}
	if (n == 0 || n > DEVNET_MULTI_MAX_STORES)
		return px_err_set(err, PX_E_USAGE, "a multistore holds 1..%u stores, not %zu",
				  DEVNET_MULTI_MAX_STORES, n);
	memcpy(names, list, n * sizeof(*names));
	for (size_t i = 0; i < n; i++) {
		size_t len = names[i] ? strnlen(names[i], DEVNET_IAVL_MAX_NAME + 1) : 0;
		bool printable = len > 0 && len <= DEVNET_IAVL_MAX_NAME;

		for (size_t j = 0; printable && j < len; j++)
			printable = names[i][j] > 0x20 && names[i][j] < 0x7f;
		if (!printable)
			return px_err_set(err, PX_E_USAGE, "store %zu: a name must be 1..%u "
					  "printable bytes", i, DEVNET_IAVL_MAX_NAME);
	}
	qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 1; i < n; i++)
		if (strcmp(names[i - 1], names[i]) == 0)
			return px_err_set(err, PX_E_USAGE, "store %s named twice", names[i]);
	if (opts) {
		io.keep_versions = opts->keep_versions;
		io.initial_version = opts->initial_version;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return px_err_set(err, PX_E_NOMEM, "multistore: out of memory");
	m->n_stores = n;
	m->keep_versions = io.keep_versions;
	if (home && !open_db(err, &m->db, home))
		goto fail;
	if (m->db && (sqlite3_exec(m->db, schema, NULL, NULL, NULL) != SQLITE_OK)) {
		db_fail(err, m->db, "create tables");
		goto fail;
	}
	if (m->db && !check_stores(err, m, names))
		goto fail;
	for (size_t i = 0; i < n; i++)
		if (!devnet_iavl_open(err, &m->stores[i], m->db, names[i], &io))
			goto fail;
	if (!check_versions(err, m))
		goto fail;
	*out = m;
	return true;
fail:
	devnet_multi_close(m);
	return false;
}

void devnet_multi_close(struct devnet_multi *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_stores; i++)
		devnet_iavl_close(m->stores[i]);
	sqlite3_close(m->db);
	free(m);
}

struct devnet_iavl *devnet_multi_store(const struct devnet_multi *m, const char *name)
{
	for (size_t i = 0; name && i < m->n_stores; i++)
		if (m->stores[i] && strcmp(devnet_iavl_name(m->stores[i]), name) == 0)
			return m->stores[i];
	return NULL;
}

size_t devnet_multi_store_count(const struct devnet_multi *m)
{
	return m->n_stores;
}

struct devnet_iavl *devnet_multi_store_at(const struct devnet_multi *m, size_t i)
{
	return i < m->n_stores ? m->stores[i] : NULL;
}

sqlite3 *devnet_multi_db(const struct devnet_multi *m)
{
	return m->db;
}

int64_t devnet_multi_version(const struct devnet_multi *m)
{
	return devnet_iavl_version(m->stores[0]);
}

int64_t devnet_multi_oldest_version(const struct devnet_multi *m)
{
	return devnet_iavl_oldest_version(m->stores[0]);
}

/* Names and roots of every store at a version. */
static bool roots_at(struct px_err *err, const char **names, uint8_t *roots,
		     const struct devnet_multi *m, int64_t version)
{
	for (size_t i = 0; i < m->n_stores; i++) {
		names[i] = devnet_iavl_name(m->stores[i]);
		if (!devnet_iavl_root(err, roots + i * DEVNET_HASH_LEN, m->stores[i], version))
			return false;
	}
	return true;
}

bool devnet_multi_app_hash(struct px_err *err, uint8_t out[DEVNET_HASH_LEN],
			   const struct devnet_multi *m, int64_t version)
{
	const char *names[DEVNET_MULTI_MAX_STORES];
	uint8_t roots[DEVNET_MULTI_MAX_STORES * DEVNET_HASH_LEN];

	if (!roots_at(err, names, roots, m, version))
		return false;
	devnet_multi_root_of(out, names, roots, m->n_stores);
	return true;
}

bool devnet_multi_commit_prepare(struct px_err *err, uint8_t app_hash[DEVNET_HASH_LEN],
				 struct devnet_multi *m)
{
	const char *names[DEVNET_MULTI_MAX_STORES];
	uint8_t roots[DEVNET_MULTI_MAX_STORES * DEVNET_HASH_LEN], hash[DEVNET_HASH_LEN];
	int64_t version = devnet_iavl_next_version(m->stores[0]);
	sqlite3_stmt *st = NULL;
	bool ok = false;

	m->prepared = false;
	for (size_t i = 0; i < m->n_stores; i++) {
		names[i] = devnet_iavl_name(m->stores[i]);
		if (!devnet_iavl_commit_prepare(err, roots + i * DEVNET_HASH_LEN, m->stores[i]))
			return false;
	}
	devnet_multi_root_of(hash, names, roots, m->n_stores);
	if (!m->db)
		goto done;
	if (sqlite3_prepare_v2(m->db, "INSERT OR REPLACE INTO versions (version, app_hash) "
				      "VALUES (?1, ?2)", -1, &st, NULL) != SQLITE_OK)
		return db_fail(err, m->db, "write version");
	sqlite3_bind_int64(st, 1, version);
	sqlite3_bind_blob(st, 2, hash, DEVNET_HASH_LEN, SQLITE_STATIC);
	ok = sqlite3_step(st) == SQLITE_DONE;
	sqlite3_finalize(st);
	if (ok && m->keep_versions && (uint64_t)version > m->keep_versions) {
		if (sqlite3_prepare_v2(m->db, "DELETE FROM versions WHERE version <= ?1", -1, &st,
				       NULL) != SQLITE_OK)
			return db_fail(err, m->db, "prune versions");
		sqlite3_bind_int64(st, 1, version - (int64_t)m->keep_versions);
		ok = sqlite3_step(st) == SQLITE_DONE;
		sqlite3_finalize(st);
	}
	if (!ok)
		return db_fail(err, m->db, "write version");
done:
	m->prepared = true;
	memcpy(app_hash, hash, DEVNET_HASH_LEN);
	return true;
}

void devnet_multi_commit_finish(struct devnet_multi *m)
{
	if (!m->prepared)
		return;
	for (size_t i = 0; i < m->n_stores; i++)
		devnet_iavl_commit_finish(m->stores[i]);
	m->prepared = false;
}

bool devnet_multi_commit(struct px_err *err, uint8_t app_hash[DEVNET_HASH_LEN],
			 int64_t *version, struct devnet_multi *m)
{
	bool own_txn = m->db && sqlite3_get_autocommit(m->db);
	uint8_t hash[DEVNET_HASH_LEN];

	if (own_txn && sqlite3_exec(m->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(err, m->db, "begin");
	if (!devnet_multi_commit_prepare(err, hash, m))
		goto fail;
	if (own_txn && sqlite3_exec(m->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		db_fail(err, m->db, "commit");
		goto fail;
	}
	devnet_multi_commit_finish(m);
	memcpy(app_hash, hash, DEVNET_HASH_LEN);
	if (version)
		*version = devnet_multi_version(m);
	return true;
fail:
	m->prepared = false;
	if (own_txn)
		sqlite3_exec(m->db, "ROLLBACK", NULL, NULL, NULL);
	return false;
}

static size_t store_index(const struct devnet_multi *m, const char *name)
{
	for (size_t i = 0; name && i < m->n_stores; i++)
		if (strcmp(devnet_iavl_name(m->stores[i]), name) == 0)
			return i;
	return SIZE_MAX;
}

bool devnet_multi_prove_store(struct px_err *err, struct px_buf *proof,
			      uint8_t root[DEVNET_HASH_LEN], const struct devnet_multi *m,
			      int64_t version, const char *name)
{
	const char *names[DEVNET_MULTI_MAX_STORES];
	uint8_t roots[DEVNET_MULTI_MAX_STORES * DEVNET_HASH_LEN];
	size_t idx = store_index(m, name), start = proof->len;

	if (idx == SIZE_MAX)
		return px_err_set(err, PX_E_USAGE, "no store named %.64s", name ? name : "(null)");
	if (!roots_at(err, names, roots, m, version))
		return false;
	devnet_multi_proof_of(proof, names, roots, m->n_stores, idx);
	if (!px_buf_ok(proof)) {
		proof->len = start;
		return px_err_set(err, PX_E_NOMEM, "multistore: out of memory for a proof");
	}
	if (root)
		memcpy(root, roots + idx * DEVNET_HASH_LEN, DEVNET_HASH_LEN);
	return true;
}

void devnet_query_free(struct devnet_query *q)
{
	px_buf_free(&q->value);
	px_buf_free(&q->iavl_proof);
	px_buf_free(&q->simple_proof);
	memset(q, 0, sizeof(*q));
}

bool devnet_multi_query(struct px_err *err, struct devnet_query *out,
			const struct devnet_multi *m, const char *store, const uint8_t *key,
			size_t key_len, int64_t height, bool prove)
{
	struct devnet_iavl *t = devnet_multi_store(m, store);
	struct px_slice value;
	bool found;

	memset(out, 0, sizeof(*out));
	if (!t)
		return px_err_set(err, PX_E_USAGE, "no store named %.64s", store ? store : "(null)");
	if (height < 0)
		return px_err_set(err, PX_E_USAGE, "negative height %lld", (long long)height);
	if (height == 0)
		height = devnet_multi_version(m);
	if (prove) {
		if (!devnet_iavl_prove(err, &out->iavl_proof, &found, &value, t, height, key,
				       key_len) ||
		    !devnet_multi_prove_store(err, &out->simple_proof, NULL, m, height, store))
			goto fail;
	} else if (!devnet_iavl_get(err, &value, &found, t, height, key, key_len)) {
		goto fail;
	}
	if (!devnet_multi_app_hash(err, out->app_hash, m, height))
		goto fail;
	px_buf_append(&out->value, value.ptr, value.len);
	if (!px_buf_ok(&out->value)) {
		px_err_set(err, PX_E_NOMEM, "query: out of memory");
		goto fail;
	}
	out->height = height;
	out->exists = found;
	return true;
fail:
	devnet_query_free(out);
	return false;
}
