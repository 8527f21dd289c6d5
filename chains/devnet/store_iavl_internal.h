/* Shared between the parts of the IAVL store (tree operations, proofs,
 * SQLite persistence); not for use outside chains/devnet/store_iavl*.c. */
#ifndef PX_CHAINS_DEVNET_STORE_IAVL_INTERNAL_H
#define PX_CHAINS_DEVNET_STORE_IAVL_INTERNAL_H

#include "chains/devnet/store_iavl.h"

/* A node. Leaves (height 0) hold a key and a value; inner nodes hold the
 * smallest key of their right subtree and two children. A node whose
 * version is the working version and that only one parent holds may be
 * changed in place; every other node is immutable. */
struct iavl_node {
	struct iavl_node *left;
	struct iavl_node *right;
	int64_t version;
	int64_t size;		/* leaves below */
	uint32_t refs;		/* parents and version roots holding it */
	uint32_t dying;		/* scratch count while pruning */
	uint32_t key_len;
	uint32_t value_len;
	uint32_t nonce;		/* with version, its row key in the database */
	int8_t height;
	bool hashed;
	uint8_t hash[DEVNET_HASH_LEN];
	uint8_t data[];		/* key, then value for a leaf */
};

static inline const uint8_t *iavl_key(const struct iavl_node *n) { return n->data; }
static inline const uint8_t *iavl_value(const struct iavl_node *n) { return n->data + n->key_len; }

struct iavl_version {
	int64_t version;
	struct iavl_node *root;	/* NULL: the empty tree */
	uint8_t hash[DEVNET_HASH_LEN];
};

/* SQL statements prepared once per store. */
struct iavl_db {
	sqlite3 *db;
	uint32_t next_nonce;
	sqlite3_stmt *put_node;
	sqlite3_stmt *del_node;
	sqlite3_stmt *put_root;
	sqlite3_stmt *del_root;
};

struct devnet_iavl {
	char name[DEVNET_IAVL_MAX_NAME + 1];
	struct devnet_iavl_opts opts;
	struct iavl_node *working;	/* root of the working tree */
	struct iavl_version *versions;	/* retained versions, oldest first */
	size_t n_versions;
	size_t cap_versions;
	size_t n_drop;			/* versions the prepared commit prunes */
	bool prepared;
	struct iavl_db store;		/* db NULL: in memory only */
};

/* Working version: what the next commit will be. */
int64_t iavl_working_version(const struct devnet_iavl *t);

/* A new node (refs 1) with key and, for a leaf, value copied in; NULL
 * when out of memory. */
struct iavl_node *iavl_node_new(const uint8_t *key, size_t key_len, const uint8_t *value,
				size_t value_len);
void iavl_node_unref(struct iavl_node *n);
static inline struct iavl_node *iavl_node_ref(struct iavl_node *n)
{
	if (n)
		n->refs++;
	return n;
}

/* Computes (and caches) the hash of n and of every unhashed node below. */
void iavl_node_hash(struct iavl_node *n);
/* The hash of n from its fields and its children's cached hashes. */
void iavl_node_compute_hash(uint8_t out[DEVNET_HASH_LEN], const struct iavl_node *n);

/* The retained version v (0: latest), or NULL. */
const struct iavl_version *iavl_find_version(const struct devnet_iavl *t, int64_t v);

/* Persistence (store_iavl_db.c). */
bool iavl_db_open(struct px_err *err, struct devnet_iavl *t, sqlite3 *db) PX_MUST_CHECK;
void iavl_db_close(struct devnet_iavl *t);
/* Writes the nodes of the working version below root, the root row of
 * version, and deletes what pruning the first n_drop versions frees. */
bool iavl_db_write_commit(struct px_err *err, struct devnet_iavl *t, struct iavl_node *root,
			  int64_t version, const uint8_t hash[DEVNET_HASH_LEN],
			  size_t n_drop) PX_MUST_CHECK;

#endif
