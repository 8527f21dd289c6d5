/* SQLite persistence of an IAVL store. Two tables shared by every store
 * of a database:
 *
 *   nodes(store, version, nonce, hash, height, size, key, value, left, right)
 *     one row per node, keyed by (store, version, nonce) as IAVL v1 keys
 *     its nodes, so that a commit appends rows where hash keys would
 *     scatter them over the whole table (measured: 80 ms against a few ms
 *     per commit of 100 sets in 10k keys); value only for leaves,
 *     left/right (child hashes) only for inner nodes;
 *   roots(store, version, hash)
 *     the root of each retained version; hash NULL for an empty tree.
 *
 * A commit inserts the nodes new in its version (a node is immutable once
 * committed, so older ones are already there), its root row, and deletes
 * the nodes and root rows that pruning frees; the caller wraps that in one
 * transaction. Opening reads every node of the store in one scan, links
 * children through a hash table, recomputes every hash and rebuilds the
 * versions, sharing nodes exactly as before the restart. */
#include "chains/devnet/store_iavl_internal.h"

#include <stdlib.h>
#include <string.h>

#include "common/hash.h"

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS nodes ("
	" store TEXT NOT NULL, version INTEGER NOT NULL, nonce INTEGER NOT NULL,"
	" hash BLOB NOT NULL, height INTEGER NOT NULL, size INTEGER NOT NULL,"
	" key BLOB NOT NULL, value BLOB, left BLOB, right BLOB,"
	" PRIMARY KEY (store, version, nonce)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS roots ("
	" store TEXT NOT NULL, version INTEGER NOT NULL, hash BLOB,"
	" PRIMARY KEY (store, version)) WITHOUT ROWID;";

static bool db_fail(struct px_err *err, const struct devnet_iavl *t, sqlite3 *db,
		    const char *what)
{
	return px_err_set(err, PX_E_IO, "store %s: %s: %s", t->name, what, sqlite3_errmsg(db));
}

/* A hash table from node hash to index, open addressing. */
struct node_table {
	struct iavl_node **slots;
	size_t mask;
};

static size_t slot_of(const uint8_t *hash, size_t mask)
{
	uint64_t h;

	memcpy(&h, hash, sizeof(h));
	return (size_t)h & mask;
}

static bool table_init(struct node_table *tb, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n + 1)
		cap *= 2;
	tb->slots = calloc(cap, sizeof(*tb->slots));
	tb->mask = cap - 1;
	return tb->slots != NULL;
}

static struct iavl_node *table_get(const struct node_table *tb, const uint8_t *hash)
{
	for (size_t i = slot_of(hash, tb->mask);; i = (i + 1) & tb->mask) {
		struct iavl_node *n = tb->slots[i];

		if (!n || memcmp(n->hash, hash, DEVNET_HASH_LEN) == 0)
			return n;
	}
}

/* False when a node of that hash is there already. */
static bool table_put(struct node_table *tb, struct iavl_node *node)
{
	for (size_t i = slot_of(node->hash, tb->mask);; i = (i + 1) & tb->mask) {
		if (!tb->slots[i]) {
			tb->slots[i] = node;
			return true;
		}
		if (memcmp(tb->slots[i]->hash, node->hash, DEVNET_HASH_LEN) == 0)
			return false;
	}
}

/* Loaded nodes before linking: the node and its children's hashes. */
struct loaded {
	struct iavl_node *node;
	uint8_t left[DEVNET_HASH_LEN];
	uint8_t right[DEVNET_HASH_LEN];
};

struct load_state {
	struct loaded *items;
	size_t n, cap;
	struct node_table table;
};

static bool blob_hash(uint8_t out[DEVNET_HASH_LEN], sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) != SQLITE_BLOB ||
	    sqlite3_column_bytes(st, col) != DEVNET_HASH_LEN)
		return false;
	memcpy(out, sqlite3_column_blob(st, col), DEVNET_HASH_LEN);
	return true;
}

/* Reads one nodes row into ls. */
static bool load_row(struct px_err *err, struct devnet_iavl *t, struct load_state *ls,
		     sqlite3_stmt *st)
{
	int64_t height = sqlite3_column_int64(st, 2), size = sqlite3_column_int64(st, 3);
	int key_len = sqlite3_column_bytes(st, 4);
	const void *key = sqlite3_column_blob(st, 4);
	int value_len = sqlite3_column_bytes(st, 5);
	const void *value = sqlite3_column_blob(st, 5);
	struct loaded *l;

	if (height < 0 || height >= DEVNET_IAVL_MAX_HEIGHT || size < 1 || key_len < 1 ||
	    (unsigned)key_len > DEVNET_IAVL_MAX_KEY ||
	    (height == 0 && (size != 1 || value_len < 1 ||
			     (unsigned)value_len > DEVNET_IAVL_MAX_VALUE)) ||
	    (height > 0 && (size < 2 || value_len != 0)))
		return px_err_set(err, PX_E_MALFORMED, "store %s: a stored node is malformed",
				  t->name);
	if (ls->n == ls->cap) {
		size_t cap = ls->cap ? 2 * ls->cap : 1024;
		struct loaded *items = realloc(ls->items, cap * sizeof(*items));

		if (!items)
			return px_err_set(err, PX_E_NOMEM, "store %s: out of memory", t->name);
		ls->items = items;
		ls->cap = cap;
	}
	l = &ls->items[ls->n];
	l->node = iavl_node_new(key, (size_t)key_len, height ? NULL : value,
				height ? 0 : (size_t)value_len);
	if (!l->node)
		return px_err_set(err, PX_E_NOMEM, "store %s: out of memory", t->name);
	ls->n++;
	l->node->refs = 0;
	l->node->version = sqlite3_column_int64(st, 1);
	l->node->nonce = (uint32_t)sqlite3_column_int64(st, 8);
	l->node->height = (int8_t)height;
	l->node->size = size;
	l->node->hashed = true;
	if (!blob_hash(l->node->hash, st, 0) ||
	    (height && (!blob_hash(l->left, st, 6) || !blob_hash(l->right, st, 7))))
		return px_err_set(err, PX_E_MALFORMED, "store %s: a stored node hash is malformed",
				  t->name);
	return true;
}

/* Links children, checks shapes and hashes. */
static bool link_nodes(struct px_err *err, struct devnet_iavl *t, struct load_state *ls)
{
	uint8_t hash[DEVNET_HASH_LEN];

	if (!table_init(&ls->table, ls->n))
		return px_err_set(err, PX_E_NOMEM, "store %s: out of memory", t->name);
	for (size_t i = 0; i < ls->n; i++)
		if (!table_put(&ls->table, ls->items[i].node))
			return px_err_set(err, PX_E_MALFORMED, "store %s: duplicate node", t->name);
	for (size_t i = 0; i < ls->n; i++) {
		struct iavl_node *n = ls->items[i].node;

		if (!n->height)
			continue;
		struct iavl_node *l = table_get(&ls->table, ls->items[i].left);
		struct iavl_node *r = table_get(&ls->table, ls->items[i].right);

		if (!l || !r)
			return px_err_set(err, PX_E_MALFORMED, "store %s: a node's child is missing",
					  t->name);
		n->left = iavl_node_ref(l);
		n->right = iavl_node_ref(r);
		if (n->height != (n->left->height > n->right->height ? n->left->height
								      : n->right->height) + 1 ||
		    n->size != n->left->size + n->right->size)
			return px_err_set(err, PX_E_MALFORMED,
					  "store %s: a node's height or size is wrong", t->name);
	}
	for (size_t i = 0; i < ls->n; i++) {
		struct iavl_node *n = ls->items[i].node;

		iavl_node_compute_hash(hash, n);
		if (memcmp(hash, n->hash, DEVNET_HASH_LEN) != 0)
			return px_err_set(err, PX_E_MALFORMED,
					  "store %s: a stored node does not hash to its key",
					  t->name);
	}
	return true;
}

static bool load_roots(struct px_err *err, struct devnet_iavl *t, struct load_state *ls)
{
	sqlite3 *db = t->store.db;
	sqlite3_stmt *st = NULL;
	bool ok = false;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT version, hash FROM roots WHERE store = ?1 "
				   "ORDER BY version", -1, &st, NULL) != SQLITE_OK)
		return db_fail(err, t, db, "read roots");
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct iavl_version *v;
		int64_t version = sqlite3_column_int64(st, 0);

		if (version < 1 || (t->n_versions && version != t->versions[t->n_versions - 1].version + 1)) {
			px_err_set(err, PX_E_MALFORMED, "store %s: stored versions are not consecutive",
				   t->name);
			goto out;
		}
		if (t->n_versions == t->cap_versions) {
			size_t cap = t->cap_versions ? 2 * t->cap_versions : 16;
			struct iavl_version *nv = realloc(t->versions, cap * sizeof(*nv));

			if (!nv) {
				px_err_set(err, PX_E_NOMEM, "store %s: out of memory", t->name);
				goto out;
			}
			t->versions = nv;
			t->cap_versions = cap;
		}
		v = &t->versions[t->n_versions];
		v->version = version;
		v->root = NULL;
		if (sqlite3_column_type(st, 1) == SQLITE_NULL) {
			px_sha256(v->hash, NULL, 0);
		} else if (!blob_hash(v->hash, st, 1) ||
			   !(v->root = table_get(&ls->table, v->hash))) {
			px_err_set(err, PX_E_MALFORMED, "store %s: version %lld: root node missing",
				   t->name, (long long)version);
			goto out;
		}
		iavl_node_ref(v->root);
		t->n_versions++;
	}
	if (rc != SQLITE_DONE) {
		db_fail(err, t, db, "read roots");
		goto out;
	}
	ok = true;
out:
	sqlite3_finalize(st);
	return ok;
}

static bool load(struct px_err *err, struct devnet_iavl *t)
{
	struct load_state ls = { 0 };
	sqlite3 *db = t->store.db;
	sqlite3_stmt *st = NULL;
	bool ok = false;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT hash, version, height, size, key, value, left, right, "
				   "nonce FROM nodes WHERE store = ?1", -1, &st, NULL) != SQLITE_OK) {
		db_fail(err, t, db, "read nodes");
		goto out;
	}
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (!load_row(err, t, &ls, st))
			goto out;
	if (rc != SQLITE_DONE) {
		db_fail(err, t, db, "read nodes");
		goto out;
	}
	if (!link_nodes(err, t, &ls) || !load_roots(err, t, &ls))
		goto out;
	if (t->n_versions)
		t->working = iavl_node_ref(t->versions[t->n_versions - 1].root);
	ok = true;
out:
	sqlite3_finalize(st);
	/* Until here the loaded nodes belong to ls; from now on only to the
	 * versions that reach them. Nodes no version reaches are dropped. */
	for (size_t i = 0; i < ls.n; i++)
		ls.items[i].node->refs += 1;
	for (size_t i = 0; i < ls.n; i++)
		iavl_node_unref(ls.items[i].node);
	if (!ok) {
		for (size_t i = 0; i < t->n_versions; i++)
			iavl_node_unref(t->versions[i].root);
		t->n_versions = 0;
	}
	free(ls.items);
	free(ls.table.slots);
	return ok;
}

bool iavl_db_open(struct px_err *err, struct devnet_iavl *t, sqlite3 *db)
{
	struct iavl_db *s = &t->store;

	s->db = db;
	if (sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(err, t, db, "create tables");
	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO nodes (store, hash, version, height, "
				   "size, key, value, left, right, nonce) VALUES (?1, ?2, ?3, ?4, "
				   "?5, ?6, ?7, ?8, ?9, ?10)", -1, &s->put_node, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "DELETE FROM nodes WHERE store = ?1 AND version = ?2 AND "
				   "nonce = ?3", -1,
			       &s->del_node, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO roots (store, version, hash) "
				   "VALUES (?1, ?2, ?3)", -1, &s->put_root, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "DELETE FROM roots WHERE store = ?1 AND version = ?2", -1,
			       &s->del_root, NULL) != SQLITE_OK)
		return db_fail(err, t, db, "prepare statements");
	return load(err, t);
}

void iavl_db_close(struct devnet_iavl *t)
{
	struct iavl_db *s = &t->store;

	sqlite3_finalize(s->put_node);
	sqlite3_finalize(s->del_node);
	sqlite3_finalize(s->put_root);
	sqlite3_finalize(s->del_root);
	memset(s, 0, sizeof(*s));
}

static bool step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE;
}

/* Inserts the nodes of version v below n (older ones are stored). */
static bool write_nodes(struct devnet_iavl *t, struct iavl_node *n, int64_t v)
{
	sqlite3_stmt *st = t->store.put_node;

	if (!n || n->version != v)
		return true;
	if (n->height && (!write_nodes(t, n->left, v) || !write_nodes(t, n->right, v)))
		return false;
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, n->hash, DEVNET_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, n->version);
	sqlite3_bind_int64(st, 4, n->height);
	sqlite3_bind_int64(st, 5, n->size);
	sqlite3_bind_blob(st, 6, iavl_key(n), (int)n->key_len, SQLITE_STATIC);
	if (n->height) {
		sqlite3_bind_blob(st, 8, n->left->hash, DEVNET_HASH_LEN, SQLITE_STATIC);
		sqlite3_bind_blob(st, 9, n->right->hash, DEVNET_HASH_LEN, SQLITE_STATIC);
	} else {
		sqlite3_bind_blob(st, 7, iavl_value(n), (int)n->value_len, SQLITE_STATIC);
	}
	n->nonce = ++t->store.next_nonce;
	sqlite3_bind_int64(st, 10, n->nonce);
	return step_done(st);
}

/* Deletes the rows of the nodes that dropping one more holder of n frees:
 * a node goes when every holder it has is going. */
static bool delete_dying(struct devnet_iavl *t, struct iavl_node *n)
{
	sqlite3_stmt *st = t->store.del_node;

	if (!n || ++n->dying < n->refs)
		return true;
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, n->version);
	sqlite3_bind_int64(st, 3, n->nonce);
	if (!step_done(st))
		return false;
	return !n->height || (delete_dying(t, n->left) && delete_dying(t, n->right));
}

/* Undoes delete_dying's counts along the same nodes. */
static void reset_dying(struct iavl_node *n)
{
	bool died;

	if (!n || n->dying == 0)
		return;
	died = n->dying >= n->refs;
	n->dying = 0;
	if (died && n->height) {
		reset_dying(n->left);
		reset_dying(n->right);
	}
}

bool iavl_db_write_commit(struct px_err *err, struct devnet_iavl *t, struct iavl_node *root,
			  int64_t version, const uint8_t hash[DEVNET_HASH_LEN], size_t n_drop)
{
	struct iavl_db *s = &t->store;
	bool ok = true;

	s->next_nonce = 0;
	if (!write_nodes(t, root, version))
		return db_fail(err, t, s->db, "write nodes");
	sqlite3_bind_text(s->put_root, 1, t->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->put_root, 2, version);
	if (root)
		sqlite3_bind_blob(s->put_root, 3, hash, DEVNET_HASH_LEN, SQLITE_STATIC);
	if (!step_done(s->put_root))
		return db_fail(err, t, s->db, "write root");
	/* The new version holds the working root too: count it as a holder
	 * that stays, so nothing it shares is deleted. */
	if (root)
		root->refs++;
	for (size_t i = 0; ok && i < n_drop; i++) {
		sqlite3_bind_text(s->del_root, 1, t->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s->del_root, 2, t->versions[i].version);
		ok = step_done(s->del_root) && delete_dying(t, t->versions[i].root);
	}
	for (size_t i = 0; i < n_drop; i++)
		reset_dying(t->versions[i].root);
	if (root)
		root->refs--;
	if (!ok)
		return db_fail(err, t, s->db, "prune");
	return true;
}
