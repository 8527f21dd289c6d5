/* The IAVL tree itself: nodes, set and delete with IAVL's AVL+ rotations,
 * node hashing, versions and commit. Proofs are in store_iavl_proof.c and
 * SQLite persistence in store_iavl_db.c.
 *
 * Changes are made by path copying: set and delete build the new nodes of
 * the path (and of any rotation) at the working version and leave the old
 * tree untouched, so an allocation failure halfway changes nothing and a
 * committed version can never be modified. A working node replaced before
 * its commit is freed at once by reference counting. The shapes and the
 * versions given to new nodes follow cosmos/iavl's recursiveSet,
 * recursiveRemove and balance, so the same operations give the same root
 * hashes as a Cosmos SDK store. */
#include "chains/devnet/store_iavl_internal.h"

#include <stdlib.h>
#include <string.h>

#include "common/hash.h"
#include "common/protobuf.h"

static int key_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	int c = n ? memcmp(a, b, n) : 0;

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

struct iavl_node *iavl_node_new(const uint8_t *key, size_t key_len, const uint8_t *value,
				size_t value_len)
{
	struct iavl_node *n = calloc(1, sizeof(*n) + key_len + value_len);

	if (!n)
		return NULL;
	n->refs = 1;
	n->size = 1;
	n->key_len = (uint32_t)key_len;
	n->value_len = (uint32_t)value_len;
	if (key_len)
		memcpy(n->data, key, key_len);
	if (value_len)
		memcpy(n->data + key_len, value, value_len);
	return n;
}

/* Iterative on the left spine and recursive on the right, so a long chain
 * of releases cannot exhaust the stack (the tree is balanced anyway). */
void iavl_node_unref(struct iavl_node *n)
{
	while (n && --n->refs == 0) {
		struct iavl_node *left = n->left;

		iavl_node_unref(n->right);
		free(n);
		n = left;
	}
}

static struct iavl_node *leaf_new(const uint8_t *key, size_t key_len, const uint8_t *value,
				  size_t value_len, int64_t version)
{
	struct iavl_node *n = iavl_node_new(key, key_len, value, value_len);

	if (n)
		n->version = version;
	return n;
}

/* An inner node at `version` over l and r (references taken) with the
 * given key; NULL when out of memory. */
static struct iavl_node *inner_new(const uint8_t *key, size_t key_len, struct iavl_node *l,
				   struct iavl_node *r, int64_t version)
{
	struct iavl_node *n = iavl_node_new(key, key_len, NULL, 0);

	if (!n)
		return NULL;
	n->left = iavl_node_ref(l);
	n->right = iavl_node_ref(r);
	n->height = (int8_t)((l->height > r->height ? l->height : r->height) + 1);
	n->size = l->size + r->size;
	n->version = version;
	return n;
}

static int balance_of(const struct iavl_node *n)
{
	return n->height ? n->left->height - n->right->height : 0;
}

/* The subtree (key, l, r) balanced as cosmos/iavl's balance() does, every
 * node it restructures being new at version v. l and r are borrowed. */
static struct iavl_node *balanced(const uint8_t *key, size_t key_len, struct iavl_node *l,
				  struct iavl_node *r, int64_t v)
{
	int b = l->height - r->height;
	struct iavl_node *a = NULL, *c = NULL, *res = NULL;

	if (b > 1 && balance_of(l) >= 0) {
		/* left-left: rotate right */
		a = inner_new(key, key_len, l->right, r, v);
		if (a)
			res = inner_new(iavl_key(l), l->key_len, l->left, a, v);
	} else if (b > 1) {
		/* left-right: rotate l left, then the node right */
		struct iavl_node *lr = l->right;

		a = inner_new(iavl_key(l), l->key_len, l->left, lr->left, v);
		c = inner_new(key, key_len, lr->right, r, v);
		if (a && c)
			res = inner_new(iavl_key(lr), lr->key_len, a, c, v);
	} else if (b < -1 && balance_of(r) <= 0) {
		/* right-right: rotate left */
		a = inner_new(key, key_len, l, r->left, v);
		if (a)
			res = inner_new(iavl_key(r), r->key_len, a, r->right, v);
	} else if (b < -1) {
		/* right-left: rotate r right, then the node left */
		struct iavl_node *rl = r->left;

		a = inner_new(key, key_len, l, rl->left, v);
		c = inner_new(iavl_key(r), r->key_len, rl->right, r->right, v);
		if (a && c)
			res = inner_new(iavl_key(rl), rl->key_len, a, c, v);
	} else {
		res = inner_new(key, key_len, l, r, v);
	}
	iavl_node_unref(a);
	iavl_node_unref(c);
	return res;
}

/* The subtree n with key set; NULL when out of memory. *updated says that
 * the key was there (the shape is then unchanged). */
static struct iavl_node *set_rec(struct iavl_node *n, const uint8_t *key, size_t key_len,
				 const uint8_t *value, size_t value_len, int64_t v, bool *updated)
{
	struct iavl_node *sub, *res;

	if (n->height == 0) {
		int c = key_cmp(key, key_len, iavl_key(n), n->key_len);
		struct iavl_node *leaf = leaf_new(key, key_len, value, value_len, v);

		if (!leaf || c == 0) {
			*updated = leaf != NULL;
			return leaf;
		}
		if (c < 0)
			res = inner_new(iavl_key(n), n->key_len, leaf, n, v);
		else
			res = inner_new(key, key_len, n, leaf, v);
		iavl_node_unref(leaf);
		return res;
	}
	if (key_cmp(key, key_len, iavl_key(n), n->key_len) < 0) {
		sub = set_rec(n->left, key, key_len, value, value_len, v, updated);
		if (!sub)
			return NULL;
		res = *updated ? inner_new(iavl_key(n), n->key_len, sub, n->right, v)
			       : balanced(iavl_key(n), n->key_len, sub, n->right, v);
	} else {
		sub = set_rec(n->right, key, key_len, value, value_len, v, updated);
		if (!sub)
			return NULL;
		res = *updated ? inner_new(iavl_key(n), n->key_len, n->left, sub, v)
			       : balanced(iavl_key(n), n->key_len, n->left, sub, v);
	}
	iavl_node_unref(sub);
	return res;
}

/* What removing a key from a subtree gives. */
struct removal {
	struct iavl_node *node;	/* the new subtree (owned), NULL when empty */
	const uint8_t *new_key;	/* the subtree's new smallest key when it changed */
	size_t new_key_len;	/* (borrowed from the old tree) */
	bool removed;
};

/* Removes key below n into *r (cosmos/iavl's recursiveRemove); false when
 * out of memory. */
static bool remove_rec(struct removal *r, struct iavl_node *n, const uint8_t *key,
		       size_t key_len, int64_t v)
{
	struct removal sub = { 0 };
	const uint8_t *k = iavl_key(n);
	size_t klen = n->key_len;

	memset(r, 0, sizeof(*r));
	if (n->height == 0) {
		if (key_cmp(key, key_len, k, klen) == 0) {
			r->removed = true;
			return true;
		}
		r->node = iavl_node_ref(n);
		return true;
	}
	if (key_cmp(key, key_len, k, klen) < 0) {
		if (!remove_rec(&sub, n->left, key, key_len, v))
			return false;
		if (!sub.removed) {
			iavl_node_unref(sub.node);
			r->node = iavl_node_ref(n);
			return true;
		}
		r->removed = true;
		if (!sub.node) {
			/* the left leaf went: the right subtree takes this place
			 * and its smallest key is this node's key */
			r->node = iavl_node_ref(n->right);
			r->new_key = k;
			r->new_key_len = klen;
			return true;
		}
		r->node = balanced(k, klen, sub.node, n->right, v);
		r->new_key = sub.new_key;
		r->new_key_len = sub.new_key_len;
	} else {
		if (!remove_rec(&sub, n->right, key, key_len, v))
			return false;
		if (!sub.removed) {
			iavl_node_unref(sub.node);
			r->node = iavl_node_ref(n);
			return true;
		}
		r->removed = true;
		if (!sub.node) {
			r->node = iavl_node_ref(n->left);
			return true;
		}
		if (sub.new_key) {
			k = sub.new_key;
			klen = sub.new_key_len;
		}
		r->node = balanced(k, klen, n->left, sub.node, v);
	}
	iavl_node_unref(sub.node);
	return r->node != NULL;
}

/* zigzag varint of a signed value, as Go's binary.PutVarint. */
static size_t put_zigzag(uint8_t *out, int64_t v)
{
	uint64_t u = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
	size_t n = 0;

	while (u >= 0x80) {
		out[n++] = (uint8_t)(u | 0x80);
		u >>= 7;
	}
	out[n++] = (uint8_t)u;
	return n;
}

static size_t put_uvarint(uint8_t *out, uint64_t u)
{
	size_t n = 0;

	while (u >= 0x80) {
		out[n++] = (uint8_t)(u | 0x80);
		u >>= 7;
	}
	out[n++] = (uint8_t)u;
	return n;
}

/* cosmos/iavl node.go writeHashBytes: height, size and version as zigzag
 * varints, then for a leaf the length-prefixed key and value hash, for an
 * inner node the length-prefixed child hashes. */
void iavl_node_compute_hash(uint8_t out[DEVNET_HASH_LEN], const struct iavl_node *n)
{
	uint8_t head[3 * 10 + 10], value_hash[DEVNET_HASH_LEN];
	static const uint8_t len32 = DEVNET_HASH_LEN;
	size_t h = 0;

	h += put_zigzag(head + h, n->height);
	h += put_zigzag(head + h, n->size);
	h += put_zigzag(head + h, n->version);
	if (n->height == 0) {
		h += put_uvarint(head + h, n->key_len);
		px_sha256(value_hash, iavl_value(n), n->value_len);
		struct px_iov iov[] = {
			{ head, h }, { iavl_key(n), n->key_len }, { &len32, 1 },
			{ value_hash, DEVNET_HASH_LEN },
		};
		px_sha256_iov(out, iov, 4);
		return;
	}
	struct px_iov iov[] = {
		{ head, h }, { &len32, 1 }, { n->left->hash, DEVNET_HASH_LEN }, { &len32, 1 },
		{ n->right->hash, DEVNET_HASH_LEN },
	};
	px_sha256_iov(out, iov, 5);
}

void iavl_node_hash(struct iavl_node *n)
{
	if (!n || n->hashed)
		return;
	if (n->height) {
		iavl_node_hash(n->left);
		iavl_node_hash(n->right);
	}
	iavl_node_compute_hash(n->hash, n);
	n->hashed = true;
}

int64_t iavl_working_version(const struct devnet_iavl *t)
{
	if (t->n_versions)
		return t->versions[t->n_versions - 1].version + 1;
	return t->opts.initial_version > 0 ? t->opts.initial_version : 1;
}

const struct iavl_version *iavl_find_version(const struct devnet_iavl *t, int64_t v)
{
	size_t lo = 0, hi = t->n_versions;

	if (!t->n_versions)
		return NULL;
	if (v == 0)
		return &t->versions[t->n_versions - 1];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->versions[mid].version == v)
			return &t->versions[mid];
		if (t->versions[mid].version < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > DEVNET_IAVL_MAX_NAME)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c <= 0x20 || c >= 0x7f)
			return false;
	}
	return true;
}

bool devnet_iavl_open(struct px_err *err, struct devnet_iavl **out, sqlite3 *db,
		      const char *name, const struct devnet_iavl_opts *opts)
{
	struct devnet_iavl *t;

	*out = NULL;
	if (!name_ok(name))
		return px_err_set(err, PX_E_USAGE, "store name must be 1..%u printable bytes",
				  DEVNET_IAVL_MAX_NAME);
	if (opts && opts->initial_version < 0)
		return px_err_set(err, PX_E_USAGE, "store %s: negative initial version", name);
	t = calloc(1, sizeof(*t));
	if (!t)
		return px_err_set(err, PX_E_NOMEM, "store %s: out of memory", name);
	memcpy(t->name, name, strlen(name) + 1);
	if (opts)
		t->opts = *opts;
	if (db && !iavl_db_open(err, t, db)) {
		devnet_iavl_close(t);
		return false;
	}
	*out = t;
	return true;
}

void devnet_iavl_close(struct devnet_iavl *t)
{
	if (!t)
		return;
	iavl_db_close(t);
	for (size_t i = 0; i < t->n_versions; i++)
		iavl_node_unref(t->versions[i].root);
	iavl_node_unref(t->working);
	free(t->versions);
	free(t);
}

const char *devnet_iavl_name(const struct devnet_iavl *t)
{
	return t->name;
}

static bool check_key(struct px_err *err, const struct devnet_iavl *t, size_t key_len)
{
	if (key_len == 0)
		return px_err_set(err, PX_E_USAGE, "store %s: empty key", t->name);
	if (key_len > DEVNET_IAVL_MAX_KEY)
		return px_err_set(err, PX_E_TOO_LARGE, "store %s: key of %zu bytes, at most %u",
				  t->name, key_len, DEVNET_IAVL_MAX_KEY);
	return true;
}

bool devnet_iavl_set(struct px_err *err, struct devnet_iavl *t, const uint8_t *key,
		     size_t key_len, const uint8_t *value, size_t value_len)
{
	int64_t v = iavl_working_version(t);
	bool updated = false;
	struct iavl_node *root;

	if (!check_key(err, t, key_len))
		return false;
	if (value_len == 0)
		return px_err_set(err, PX_E_USAGE, "store %s: empty value (delete the key instead)",
				  t->name);
	if (value_len > DEVNET_IAVL_MAX_VALUE)
		return px_err_set(err, PX_E_TOO_LARGE, "store %s: value of %zu bytes, at most %u",
				  t->name, value_len, DEVNET_IAVL_MAX_VALUE);
	if (t->working && t->working->height >= DEVNET_IAVL_MAX_HEIGHT - 2)
		return px_err_set(err, PX_E_TOO_LARGE, "store %s: tree too high", t->name);
	if (t->working)
		root = set_rec(t->working, key, key_len, value, value_len, v, &updated);
	else
		root = leaf_new(key, key_len, value, value_len, v);
	if (!root)
		return px_err_set(err, PX_E_NOMEM, "store %s: out of memory", t->name);
	iavl_node_unref(t->working);
	t->working = root;
	t->prepared = false;
	return true;
}

bool devnet_iavl_delete(struct px_err *err, struct devnet_iavl *t, bool *found,
			const uint8_t *key, size_t key_len)
{
	struct removal r;

	if (found)
		*found = false;
	if (!check_key(err, t, key_len))
		return false;
	if (!t->working)
		return true;
	if (!remove_rec(&r, t->working, key, key_len, iavl_working_version(t)))
		return px_err_set(err, PX_E_NOMEM, "store %s: out of memory", t->name);
	iavl_node_unref(t->working);
	t->working = r.node;
	t->prepared = false;
	if (found)
		*found = r.removed;
	return true;
}

/* The root of a version (0: latest, WORKING: the working tree), or false
 * when it is not retained. */
static bool root_of(struct px_err *err, struct iavl_node **root, const struct devnet_iavl *t,
		    int64_t version)
{
	const struct iavl_version *ver;

	if (version == DEVNET_IAVL_WORKING) {
		*root = t->working;
		return true;
	}
	ver = version >= 0 ? iavl_find_version(t, version) : NULL;
	if (!ver) {
		if (!t->n_versions)
			return px_err_set(err, PX_E_USAGE, "store %s: nothing committed yet",
					  t->name);
		return px_err_set(err, PX_E_USAGE,
				  "store %s: version %lld is not retained (have %lld..%lld)",
				  t->name, (long long)version,
				  (long long)t->versions[0].version,
				  (long long)t->versions[t->n_versions - 1].version);
	}
	*root = ver->root;
	return true;
}

bool devnet_iavl_get(struct px_err *err, struct px_slice *value, bool *found,
		     const struct devnet_iavl *t, int64_t version, const uint8_t *key,
		     size_t key_len)
{
	struct iavl_node *n;

	value->ptr = NULL;
	value->len = 0;
	*found = false;
	if (!check_key(err, t, key_len) || !root_of(err, &n, t, version))
		return false;
	while (n && n->height)
		n = key_cmp(key, key_len, iavl_key(n), n->key_len) < 0 ? n->left : n->right;
	if (n && key_cmp(key, key_len, iavl_key(n), n->key_len) == 0) {
		value->ptr = iavl_value(n);
		value->len = n->value_len;
		*found = true;
	}
	return true;
}

bool devnet_iavl_commit_prepare(struct px_err *err, uint8_t root[DEVNET_HASH_LEN],
				struct devnet_iavl *t)
{
	int64_t v = iavl_working_version(t);
	uint8_t hash[DEVNET_HASH_LEN];
	size_t n_drop = 0;

	t->prepared = false;
	if (t->n_versions == t->cap_versions) {
		size_t cap = t->cap_versions ? 2 * t->cap_versions : 16;
		struct iavl_version *nv = realloc(t->versions, cap * sizeof(*nv));

		if (!nv)
			return px_err_set(err, PX_E_NOMEM, "store %s: out of memory", t->name);
		t->versions = nv;
		t->cap_versions = cap;
	}
	iavl_node_hash(t->working);
	if (t->working)
		memcpy(hash, t->working->hash, DEVNET_HASH_LEN);
	else
		px_sha256(hash, NULL, 0);
	if (t->opts.keep_versions && t->n_versions + 1 > t->opts.keep_versions)
		n_drop = t->n_versions + 1 - (size_t)t->opts.keep_versions;
	if (t->store.db && !iavl_db_write_commit(err, t, t->working, v, hash, n_drop))
		return false;
	t->n_drop = n_drop;
	t->prepared = true;
	memcpy(root, hash, DEVNET_HASH_LEN);
	return true;
}

void devnet_iavl_commit_finish(struct devnet_iavl *t)
{
	int64_t v = iavl_working_version(t);
	struct iavl_version *nv;

	if (!t->prepared)
		return;
	nv = &t->versions[t->n_versions++];
	nv->version = v;
	nv->root = iavl_node_ref(t->working);
	if (t->working)
		memcpy(nv->hash, t->working->hash, DEVNET_HASH_LEN);
	else
		px_sha256(nv->hash, NULL, 0);
	for (size_t i = 0; i < t->n_drop; i++)
		iavl_node_unref(t->versions[i].root);
	if (t->n_drop) {
		memmove(t->versions, t->versions + t->n_drop,
			(t->n_versions - t->n_drop) * sizeof(*t->versions));
		t->n_versions -= t->n_drop;
	}
	t->n_drop = 0;
	t->prepared = false;
}

bool devnet_iavl_commit(struct px_err *err, uint8_t root[DEVNET_HASH_LEN], int64_t *version,
			struct devnet_iavl *t)
{
	sqlite3 *db = t->store.db;
	bool own_txn = db && sqlite3_get_autocommit(db);
	uint8_t hash[DEVNET_HASH_LEN];

	if (own_txn && sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return px_err_set(err, PX_E_IO, "store %s: begin: %s", t->name, sqlite3_errmsg(db));
	if (!devnet_iavl_commit_prepare(err, hash, t))
		goto fail;
	if (own_txn && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		px_err_set(err, PX_E_IO, "store %s: commit: %s", t->name, sqlite3_errmsg(db));
		goto fail;
	}
	devnet_iavl_commit_finish(t);
	memcpy(root, hash, DEVNET_HASH_LEN);
	if (version)
		*version = t->versions[t->n_versions - 1].version;
	return true;
fail:
	t->prepared = false;
	if (own_txn)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return false;
}

int64_t devnet_iavl_version(const struct devnet_iavl *t)
{
	return t->n_versions ? t->versions[t->n_versions - 1].version : 0;
}

int64_t devnet_iavl_next_version(const struct devnet_iavl *t)
{
	return iavl_working_version(t);
}

int64_t devnet_iavl_oldest_version(const struct devnet_iavl *t)
{
	return t->n_versions ? t->versions[0].version : 0;
}

bool devnet_iavl_root(struct px_err *err, uint8_t out[DEVNET_HASH_LEN],
		      const struct devnet_iavl *t, int64_t version)
{
	const struct iavl_version *ver;
	struct iavl_node *unused;

	if (version < 0)
		return px_err_set(err, PX_E_USAGE, "store %s: no root hash for version %lld",
				  t->name, (long long)version);
	if (!root_of(err, &unused, t, version))
		return false;
	ver = iavl_find_version(t, version);
	memcpy(out, ver->hash, DEVNET_HASH_LEN);
	return true;
}

int64_t devnet_iavl_size(const struct devnet_iavl *t, int64_t version)
{
	struct iavl_node *root;

	if (!root_of(NULL, &root, t, version))
		return -1;
	return root ? root->size : 0;
}

static bool visit(struct iavl_node *n, const uint8_t *start, size_t start_len,
		  devnet_iavl_visit_fn fn, void *ctx)
{
	if (!n)
		return true;
	if (n->height == 0) {
		struct px_slice k = { iavl_key(n), n->key_len }, v = { iavl_value(n), n->value_len };

		if (start && key_cmp(k.ptr, k.len, start, start_len) < 0)
			return true;
		return fn(ctx, k, v);
	}
	/* the left subtree holds keys below this node's key only */
	if (!start || key_cmp(start, start_len, iavl_key(n), n->key_len) < 0) {
		if (!visit(n->left, start, start_len, fn, ctx))
			return false;
	}
	return visit(n->right, start, start_len, fn, ctx);
}

bool devnet_iavl_iterate(struct px_err *err, const struct devnet_iavl *t, int64_t version,
			 const uint8_t *start, size_t start_len, devnet_iavl_visit_fn fn,
			 void *ctx)
{
	struct iavl_node *root;

	if (!root_of(err, &root, t, version))
		return false;
	visit(root, start, start_len, fn, ctx);
	return true;
}
