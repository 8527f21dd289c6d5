/* The devnet's multistore: named IAVL stores ("acc", "bank", "ibc", ...)
 * committed together, one version per block. Its root, the app hash, is
 * what the Cosmos SDK's rootmulti store commits: the CometBFT simple Merkle
 * root over the stores sorted by name, each leaf being the pair
 * (name, sha256(store root)) encoded as a length-prefixed key and value.
 * The app hash of version H goes into header H + 1.
 *
 * A query gives a value with the two proofs an abci_query with prove=true
 * carries: `ics23:iavl` (key under the store's root) and `ics23:simple`
 * (the store's root under the app hash), which
 * lightclient/tendermint/abci.h verifies.
 *
 * Persistence: HOME/data/state.sqlite (WAL, synchronous FULL, exclusive
 * lock: one process per home). Every commit of every store is one SQLite
 * transaction, so a process killed at any point reopens at its last
 * committed version with the same app hash. */
#ifndef PX_CHAINS_DEVNET_STORE_MULTI_H
#define PX_CHAINS_DEVNET_STORE_MULTI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "chains/devnet/store_iavl.h"
#include "common/buf.h"
#include "common/errors.h"

#define DEVNET_MULTI_MAX_STORES 64u
#define DEVNET_MULTI_DB_FILE "state.sqlite"

struct devnet_multi;

struct devnet_multi_opts {
	/* Store names (distinct, any order); NULL: devnet_multi_default_stores. */
	const char *const *stores;
	size_t n_stores;
	uint64_t keep_versions;		/* 0: keep every version */
	int64_t initial_version;	/* version of the first commit; 0: 1 */
};

/* acc, bank, ibc, params, staking, transfer, upgrade. */
extern const char *const devnet_multi_default_stores[];
extern const size_t devnet_multi_default_stores_len;

/* Opens the multistore. home NULL keeps everything in memory; otherwise
 * HOME and HOME/data are created (0700) when missing and the database
 * opened or created. A home created with other stores is PX_E_CONFIG; a
 * home held by another process or a broken database is PX_E_IO; a stored
 * node or app hash that does not check is PX_E_MALFORMED. opts may be
 * NULL. */
bool devnet_multi_open(struct px_err *err, struct devnet_multi **out, const char *home,
		       const struct devnet_multi_opts *opts) PX_MUST_CHECK;
void devnet_multi_close(struct devnet_multi *m);

/* The store of that name (borrowed, lives as long as m), NULL if none. */
struct devnet_iavl *devnet_multi_store(const struct devnet_multi *m, const char *name);
size_t devnet_multi_store_count(const struct devnet_multi *m);
/* Store i in name order. */
struct devnet_iavl *devnet_multi_store_at(const struct devnet_multi *m, size_t i);

/* The database (NULL in memory), for callers that keep more in the same
 * file and want it committed in the same transaction as the state. */
sqlite3 *devnet_multi_db(const struct devnet_multi *m);

/* Commits every store's working tree as the next version and gives the
 * app hash. One SQLite transaction, or part of the caller's when the
 * caller has one open (then use prepare/finish: finish after the
 * caller's COMMIT, nothing after its ROLLBACK but another prepare). */
bool devnet_multi_commit(struct px_err *err, uint8_t app_hash[DEVNET_HASH_LEN],
			 int64_t *version, struct devnet_multi *m) PX_MUST_CHECK;
bool devnet_multi_commit_prepare(struct px_err *err, uint8_t app_hash[DEVNET_HASH_LEN],
				 struct devnet_multi *m) PX_MUST_CHECK;
void devnet_multi_commit_finish(struct devnet_multi *m);

/* Latest committed version (0: none) and the oldest retained. */
int64_t devnet_multi_version(const struct devnet_multi *m);
int64_t devnet_multi_oldest_version(const struct devnet_multi *m);

/* App hash of a committed version (0: the latest); PX_E_USAGE when the
 * version is not retained. */
bool devnet_multi_app_hash(struct px_err *err, uint8_t out[DEVNET_HASH_LEN],
			   const struct devnet_multi *m, int64_t version) PX_MUST_CHECK;

/* The `ics23:simple` CommitmentProof of store name's root under the app
 * hash of version (0: the latest), appended to proof; the store's root
 * goes to root (may be NULL). */
bool devnet_multi_prove_store(struct px_err *err, struct px_buf *proof,
			      uint8_t root[DEVNET_HASH_LEN], const struct devnet_multi *m,
			      int64_t version, const char *name) PX_MUST_CHECK;

/* The simple Merkle root over n (name, store root) pairs sorted by name,
 * roots being n * 32 bytes, and the CommitmentProof (an ExistenceProof) of
 * pair idx appended to proof: the pieces of the two functions above, public
 * for known-answer tests. Names are 1..DEVNET_IAVL_MAX_NAME bytes and n at
 * most DEVNET_MULTI_MAX_STORES; past that the root covers the first
 * DEVNET_MULTI_MAX_STORES pairs and the proof fails its buffer. */
void devnet_multi_root_of(uint8_t out[DEVNET_HASH_LEN], const char *const *names,
			  const uint8_t *roots, size_t n);
void devnet_multi_proof_of(struct px_buf *proof, const char *const *names,
			   const uint8_t *roots, size_t n, size_t idx);

/* An abci_query result (the state at `height`, proven against the app
 * hash of that height, which header height + 1 carries). Owns its buffers. */
struct devnet_query {
	int64_t height;
	bool exists;
	struct px_buf value;		/* empty when the key is absent */
	struct px_buf iavl_proof;	/* ics23:iavl op data, op key = the key */
	struct px_buf simple_proof;	/* ics23:simple op data, op key = store */
	uint8_t app_hash[DEVNET_HASH_LEN];
};

/* Reads key from store at height (0: the latest) and, when prove, builds
 * both proofs. Unknown store or height not retained: PX_E_USAGE; a key
 * past the cap: PX_E_TOO_LARGE. On failure out is zeroed. */
bool devnet_multi_query(struct px_err *err, struct devnet_query *out,
			const struct devnet_multi *m, const char *store, const uint8_t *key,
			size_t key_len, int64_t height, bool prove) PX_MUST_CHECK;
void devnet_query_free(struct devnet_query *q);

#endif
