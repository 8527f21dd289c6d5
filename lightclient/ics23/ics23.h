/* ICS-23 vector commitment proofs: decoding a CommitmentProof from
 * protobuf and verifying membership and non-membership against a root under
 * a ProofSpec. This is what proves a key/value (or its absence) in a Cosmos
 * store (iavl), in the multistore (tendermint) or in a sparse Merkle tree
 * (smt) once a light client has accepted the root.
 *
 * Decoded proofs borrow the bytes they were decoded from (the caller keeps
 * the input alive) and own an arena that ics23_proof_free releases. Every op
 * is checked against the spec before it is used, so a proof shaped for one
 * spec never verifies under another. */
#ifndef PX_LIGHTCLIENT_ICS23_H
#define PX_LIGHTCLIENT_ICS23_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/errors.h"

/* Caps on what a decoder accepts (STYLE rule 13). */
#define ICS23_MAX_PROOF_BYTES (16u << 20)
#define ICS23_MAX_KEY (64u << 10)
#define ICS23_MAX_VALUE (4u << 20)
#define ICS23_MAX_OP_BYTES 4096u	/* a prefix or a suffix */
#define ICS23_MAX_PATH 256u		/* inner ops in one existence proof */
#define ICS23_MAX_BATCH 100000u		/* entries in a batch */
#define ICS23_MAX_LOOKUP 100000u	/* inner ops in a compressed batch */
#define ICS23_MAX_CHILDREN 256u		/* children of an inner node */

enum ics23_hash_op {
	ICS23_NO_HASH = 0,
	ICS23_SHA256 = 1,
	ICS23_SHA512 = 2,
	ICS23_KECCAK256 = 3,
	ICS23_RIPEMD160 = 4,
	ICS23_BITCOIN = 5,
	ICS23_SHA512_256 = 6,
	ICS23_BLAKE2B_512 = 7,
	ICS23_BLAKE2S_256 = 8,
	ICS23_BLAKE3 = 9,
};
#define ICS23_HASH_OP_MAX ICS23_BLAKE3

enum ics23_length_op {
	ICS23_NO_PREFIX = 0,
	ICS23_VAR_PROTO = 1,
	ICS23_VAR_RLP = 2,
	ICS23_FIXED32_BIG = 3,
	ICS23_FIXED32_LITTLE = 4,
	ICS23_FIXED64_BIG = 5,
	ICS23_FIXED64_LITTLE = 6,
	ICS23_REQUIRE_32_BYTES = 7,
	ICS23_REQUIRE_64_BYTES = 8,
};
#define ICS23_LENGTH_OP_MAX ICS23_REQUIRE_64_BYTES

struct ics23_leaf_op {
	enum ics23_hash_op hash;
	enum ics23_hash_op prehash_key;
	enum ics23_hash_op prehash_value;
	enum ics23_length_op length;
	struct px_slice prefix;
};

struct ics23_inner_op {
	enum ics23_hash_op hash;
	struct px_slice prefix;
	struct px_slice suffix;
};

struct ics23_existence_proof {
	struct px_slice key;
	struct px_slice value;
	bool has_leaf;
	struct ics23_leaf_op leaf;
	struct ics23_inner_op *path;
	size_t path_len;
};

struct ics23_nonexistence_proof {
	struct px_slice key;
	struct ics23_existence_proof *left;	/* NULL when absent */
	struct ics23_existence_proof *right;	/* NULL when absent */
};

enum ics23_entry_kind {
	ICS23_ENTRY_NONE,
	ICS23_ENTRY_EXIST,
	ICS23_ENTRY_NONEXIST,
};

struct ics23_batch_entry {
	enum ics23_entry_kind kind;
	struct ics23_existence_proof *exist;
	struct ics23_nonexistence_proof *nonexist;
};

enum ics23_proof_kind {
	ICS23_PROOF_EXIST = 1,
	ICS23_PROOF_NONEXIST = 2,
	ICS23_PROOF_BATCH = 3,
	ICS23_PROOF_COMPRESSED = 4,
};

struct px_arena;

/* A decoded CommitmentProof. A compressed batch is expanded while decoding
 * (indices into lookup_inners resolved and bounds-checked), so verification
 * sees exist, nonexist or batch only; `kind` still says what arrived. */
struct ics23_proof {
	enum ics23_proof_kind kind;
	struct ics23_existence_proof *exist;
	struct ics23_nonexistence_proof *nonexist;
	struct ics23_batch_entry *entries;	/* batch and compressed */
	size_t entries_len;
	struct px_arena *arena;
};

struct ics23_inner_spec {
	const int32_t *child_order;
	size_t child_order_len;
	int32_t child_size;
	int32_t min_prefix_length;
	int32_t max_prefix_length;
	struct px_slice empty_child;
	enum ics23_hash_op hash;
};

struct ics23_spec {
	struct ics23_leaf_op leaf_spec;
	struct ics23_inner_spec inner_spec;
	int32_t max_depth;
	int32_t min_depth;
	bool prehash_key_before_comparison;
};

extern const struct ics23_spec ics23_spec_iavl;
extern const struct ics23_spec ics23_spec_tendermint;
extern const struct ics23_spec ics23_spec_smt;

/* "iavl", "tendermint" or "smt"; NULL for another name. */
const struct ics23_spec *ics23_spec_by_name(const char *name);

/* Field-by-field equality as ICS-23 defines it (used to apply the extra
 * IAVL prefix checks). */
bool ics23_spec_equal(const struct ics23_spec *a, const struct ics23_spec *b);

/* Decodes a CommitmentProof. On failure out is zeroed and err says what
 * and where (PX_E_MALFORMED, PX_E_TOO_LARGE or PX_E_NOMEM). */
bool ics23_proof_decode(struct px_err *err, struct ics23_proof *out, const uint8_t *buf,
			size_t len) PX_MUST_CHECK;

void ics23_proof_free(struct ics23_proof *proof);

/* True when proof proves key -> value under root. A failure is reported
 * with a 3xx code naming the rule (root mismatch, spec mismatch, ...). */
bool ics23_verify_membership(struct px_err *err, const struct ics23_spec *spec,
			     const uint8_t *root, size_t root_len, const struct ics23_proof *proof,
			     const uint8_t *key, size_t key_len, const uint8_t *value,
			     size_t value_len) PX_MUST_CHECK;

/* True when proof proves that key is absent under root. */
bool ics23_verify_non_membership(struct px_err *err, const struct ics23_spec *spec,
				 const uint8_t *root, size_t root_len,
				 const struct ics23_proof *proof, const uint8_t *key,
				 size_t key_len) PX_MUST_CHECK;

/* The pieces below are public for the conformance tables and the fuzzers;
 * the verify functions above are what callers normally need. */

/* Root computed from an existence proof (no spec checks); out holds up to
 * 64 bytes, *out_len says how many. */
bool ics23_existence_calculate(struct px_err *err, uint8_t out[64], size_t *out_len,
			       const struct ics23_existence_proof *p) PX_MUST_CHECK;

bool ics23_leaf_apply(struct px_err *err, uint8_t out[64], size_t *out_len,
		      const struct ics23_leaf_op *op, struct px_slice key,
		      struct px_slice value) PX_MUST_CHECK;
bool ics23_inner_apply(struct px_err *err, uint8_t out[64], size_t *out_len,
		       const struct ics23_inner_op *op, struct px_slice child) PX_MUST_CHECK;
/* HashOp over data; NO_HASH is an error here, as in the specification. */
bool ics23_do_hash(struct px_err *err, uint8_t out[64], size_t *out_len, enum ics23_hash_op op,
		   struct px_slice data) PX_MUST_CHECK;

bool ics23_leaf_check_spec(struct px_err *err, const struct ics23_leaf_op *op,
			   const struct ics23_spec *spec) PX_MUST_CHECK;
/* layer counts from 1 at the op nearest the leaf. */
bool ics23_inner_check_spec(struct px_err *err, const struct ics23_inner_op *op,
			    const struct ics23_spec *spec, int layer) PX_MUST_CHECK;
bool ics23_existence_check_spec(struct px_err *err, const struct ics23_existence_proof *p,
				const struct ics23_spec *spec) PX_MUST_CHECK;

/* Proof verification of one existence proof (spec, key, value, root). */
bool ics23_existence_verify(struct px_err *err, const struct ics23_existence_proof *p,
			    const struct ics23_spec *spec, const uint8_t *root, size_t root_len,
			    struct px_slice key, struct px_slice value) PX_MUST_CHECK;
bool ics23_nonexistence_verify(struct px_err *err, const struct ics23_nonexistence_proof *p,
			       const struct ics23_spec *spec, const uint8_t *root,
			       size_t root_len, struct px_slice key) PX_MUST_CHECK;

/* The placeholder tests used for absence proofs in sparse trees. */
bool ics23_left_branches_empty(const struct ics23_inner_spec *spec, const struct ics23_inner_op *op);
bool ics23_right_branches_empty(const struct ics23_inner_spec *spec, const struct ics23_inner_op *op);

#endif
