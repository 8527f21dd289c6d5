/* The devnet's IAVL store: a versioned AVL+ tree (values in the leaves,
 * inner nodes keyed by the smallest key of their right subtree) hashed
 * exactly as cosmos/iavl hashes its nodes, so that its proofs are the
 * ICS-23 `iavl` CommitmentProofs a Cosmos SDK chain serves from
 * abci_query and the relayer verifies with lightclient/ics23.
 *
 * Writes go to a working tree; devnet_iavl_commit turns it into the next
 * version. Committed versions are immutable and share their unchanged
 * nodes (reference counted), so keeping many versions costs only the nodes
 * each block rewrote. Every retained version stays readable and provable.
 *
 * With a SQLite connection the tree persists its nodes (keyed by hash) and
 * version roots, one transaction per commit, and reopens at its last
 * committed version with the same root hash. The whole retained state is
 * kept in memory as well: a devnet's state is small, and it keeps reads and
 * proofs free of I/O errors.
 *
 * Ownership: the tree owns its nodes; slices it returns borrow from them and
 * stay valid until the next call that changes the tree (set, delete,
 * commit, close). */
#ifndef PX_CHAINS_DEVNET_STORE_IAVL_H
#define PX_CHAINS_DEVNET_STORE_IAVL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "common/buf.h"
#include "common/errors.h"

#define DEVNET_HASH_LEN 32
/* Caps on what the store accepts (STYLE rule 13). A key is what IBC paths
 * and SDK prefixes need with room to spare; values hold client and
 * consensus states, never wasm code. */
#define DEVNET_IAVL_MAX_KEY 4096u
#define DEVNET_IAVL_MAX_VALUE (1u << 20)
#define DEVNET_IAVL_MAX_NAME 64u	/* bytes of a store name */
/* An AVL tree of 2^63 leaves is under 92 levels high. */
#define DEVNET_IAVL_MAX_HEIGHT 128

struct devnet_iavl;

struct devnet_iavl_opts {
	/* Versions kept: the newest keep_versions; 0 keeps all. */
	uint64_t keep_versions;
	/* The version of the first commit of an empty store (IAVL's
	 * InitialVersion); 0 means 1. */
	int64_t initial_version;
};

/* Opens the store `name`. With db NULL the store lives in memory only;
 * otherwise its tables are created when missing and its retained versions
 * are loaded (each node's hash is recomputed and checked). opts may be
 * NULL. On failure *out is NULL: PX_E_USAGE (bad name), PX_E_IO (SQLite),
 * PX_E_MALFORMED (a stored node does not hash to its key), PX_E_NOMEM. */
bool devnet_iavl_open(struct px_err *err, struct devnet_iavl **out, sqlite3 *db,
		      const char *name, const struct devnet_iavl_opts *opts) PX_MUST_CHECK;
void devnet_iavl_close(struct devnet_iavl *t);

const char *devnet_iavl_name(const struct devnet_iavl *t);

/* Writes key -> value into the working tree. Keys of 1..MAX_KEY bytes and
 * values of 1..MAX_VALUE bytes (ICS-23 cannot prove an empty value):
 * anything else is PX_E_TOO_LARGE or PX_E_USAGE. */
bool devnet_iavl_set(struct px_err *err, struct devnet_iavl *t, const uint8_t *key,
		     size_t key_len, const uint8_t *value, size_t value_len) PX_MUST_CHECK;

/* Removes key from the working tree; *found (may be NULL) says whether it
 * was there. Removing an absent key is not an error. */
bool devnet_iavl_delete(struct px_err *err, struct devnet_iavl *t, bool *found,
			const uint8_t *key, size_t key_len) PX_MUST_CHECK;

/* Reads key at a committed version (0: the latest) or, with version
 * DEVNET_IAVL_WORKING, in the working tree. *found false leaves value
 * empty. PX_E_USAGE when the version is not retained. */
#define DEVNET_IAVL_WORKING (-1)
bool devnet_iavl_get(struct px_err *err, struct px_slice *value, bool *found,
		     const struct devnet_iavl *t, int64_t version, const uint8_t *key,
		     size_t key_len) PX_MUST_CHECK;

/* Commits the working tree as version latest + 1 (or initial_version) and
 * gives its root hash (sha256 of nothing for an empty tree, as IAVL).
 * With a database this is one SQLite transaction, or part of the caller's
 * when one is open (then prefer prepare/finish below). Prunes versions
 * beyond keep_versions. */
bool devnet_iavl_commit(struct px_err *err, uint8_t root[DEVNET_HASH_LEN], int64_t *version,
			struct devnet_iavl *t) PX_MUST_CHECK;

/* The two halves of a commit, for the multistore, which commits all its
 * stores in one transaction: prepare hashes the working tree and writes
 * the new nodes, the version root and the pruning into the open
 * transaction, and changes nothing the tree's readers see; finish, called
 * once the transaction has committed, makes the version current. After a
 * failed prepare (or a rolled-back transaction) call neither finish nor
 * anything else but another prepare or close. */
bool devnet_iavl_commit_prepare(struct px_err *err, uint8_t root[DEVNET_HASH_LEN],
				struct devnet_iavl *t) PX_MUST_CHECK;
void devnet_iavl_commit_finish(struct devnet_iavl *t);

/* Latest committed version (0: none yet), the oldest retained one, and
 * the version the next commit makes. */
int64_t devnet_iavl_version(const struct devnet_iavl *t);
int64_t devnet_iavl_next_version(const struct devnet_iavl *t);
int64_t devnet_iavl_oldest_version(const struct devnet_iavl *t);

/* Root hash of a committed version (0: the latest). PX_E_USAGE when the
 * version is not retained or nothing is committed. */
bool devnet_iavl_root(struct px_err *err, uint8_t out[DEVNET_HASH_LEN],
		      const struct devnet_iavl *t, int64_t version) PX_MUST_CHECK;

/* Number of keys at a committed version (0: the latest) or in the working
 * tree (DEVNET_IAVL_WORKING); -1 when the version is not retained. */
int64_t devnet_iavl_size(const struct devnet_iavl *t, int64_t version);

/* An ICS-23 CommitmentProof (protobuf, as cosmos/iavl's GetMembershipProof
 * and GetNonMembershipProof encode it) for key at a committed version
 * (0: the latest), appended to proof: an ExistenceProof when the key is
 * there (*exists true, value set, may be NULL), otherwise a
 * NonExistenceProof with the existence proofs of its left and right
 * neighbours. In an empty tree there are no neighbours and the proof holds
 * the key only, as cosmos/iavl's does: ICS-23 verifiers reject it, since
 * nothing can prove absence under the empty root. */
bool devnet_iavl_prove(struct px_err *err, struct px_buf *proof, bool *exists,
		       struct px_slice *value, const struct devnet_iavl *t, int64_t version,
		       const uint8_t *key, size_t key_len) PX_MUST_CHECK;

/* Visits the keys of a committed version (0: the latest) or of the
 * working tree in order, from the first key >= start (start NULL: from the
 * first key); stops when fn returns false. PX_E_USAGE when the version is
 * not retained. */
typedef bool (*devnet_iavl_visit_fn)(void *ctx, struct px_slice key, struct px_slice value);
bool devnet_iavl_iterate(struct px_err *err, const struct devnet_iavl *t, int64_t version,
			 const uint8_t *start, size_t start_len, devnet_iavl_visit_fn fn,
			 void *ctx) PX_MUST_CHECK;

#endif
