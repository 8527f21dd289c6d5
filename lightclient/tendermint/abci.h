/* The proof chain of a Cosmos SDK `abci_query` result: an `ics23:iavl`
 * CommitmentProof proves key -> value (or the key's absence) under the
 * root of one IAVL store, and an `ics23:simple` CommitmentProof proves
 * store name -> that IAVL root under the multistore root, which is the
 * block's app hash.
 *
 * The H / H+1 rule: a response for height H describes the state after
 * block H was executed, and that state's root is committed in the app_hash
 * of header H+1. Callers therefore pass the app hash of a verified header
 * at response.height + 1 (tm_abci_proof_height says which).
 *
 * Parsing is strict (op types, order, keys, caps); verification failures
 * carry the 3xx code of the failing rule; nothing here reads the clock or
 * the network. */
#ifndef PX_LIGHTCLIENT_TENDERMINT_ABCI_H
#define PX_LIGHTCLIENT_TENDERMINT_ABCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/buf.h"
#include "common/errors.h"

#define TM_ABCI_OP_IAVL "ics23:iavl"
#define TM_ABCI_OP_SIMPLE "ics23:simple"
#define TM_ABCI_MAX_STORE 128	/* bytes of a store name ("ibc", "bank", ...) */
#define TM_ABCI_MAX_OPS 2	/* exactly iavl then simple */

/* A parsed abci_query response: what the node claims, not yet verified.
 * Owns its buffers. */
struct tm_abci_response {
	int64_t height;			/* the state height H (proof is in header H+1) */
	struct px_buf key;
	struct px_buf value;		/* empty: the response claims absence */
	struct px_buf store;		/* key of the ics23:simple op */
	struct px_buf iavl_proof;	/* CommitmentProof bytes */
	struct px_buf simple_proof;	/* CommitmentProof bytes */
};

/* The outcome of a verified proof chain. */
struct tm_abci_result {
	bool exists;
	uint8_t store_root[64];		/* the IAVL root the chain went through */
	size_t store_root_len;
};

/* Parses result.response of an abci_query (a whole JSON-RPC envelope
 * {"result": {"response": ...}}, {"response": ...} or the response object
 * itself). `proofOps` and `proof_ops` are both accepted (not both). A
 * response with a non-zero `code` is PX_E_RPC (the query failed on the
 * node); no proof ops is PX_E_PROOF_SHAPE. On failure out is zeroed. */
bool tm_abci_response_from_json(struct px_err *err, struct tm_abci_response *out,
				const json_t *obj) PX_MUST_CHECK;
void tm_abci_response_free(struct tm_abci_response *r);

/* Verifies the parsed response against app_hash (the app hash of header
 * r->height + 1). Membership when r->value is not empty, absence otherwise. */
bool tm_abci_response_verify(struct px_err *err, struct tm_abci_result *out,
			     const struct tm_abci_response *r, const uint8_t *app_hash,
			     size_t app_hash_len) PX_MUST_CHECK;

/* The same chain from its parts, for callers that hold the two proofs as
 * bytes (the relayer, MerkleProof of IBC): proves store/key -> value, or the
 * key's absence when value_len is 0. */
bool tm_abci_verify(struct px_err *err, struct tm_abci_result *out, const uint8_t *app_hash,
		    size_t app_hash_len, const uint8_t *store, size_t store_len,
		    const uint8_t *key, size_t key_len, const uint8_t *value, size_t value_len,
		    const uint8_t *iavl_proof, size_t iavl_len, const uint8_t *simple_proof,
		    size_t simple_len) PX_MUST_CHECK;

/* Splits an IBC MerkleProof (repeated CommitmentProof proofs = 1) into its
 * two proofs, store level first; they borrow from buf. Anything but
 * exactly two is PX_E_PROOF_SHAPE; bad protobuf is PX_E_MALFORMED. */
bool tm_merkle_proof_split(struct px_err *err, struct px_slice *iavl, struct px_slice *simple,
			   const uint8_t *buf, size_t len) PX_MUST_CHECK;

/* The header height whose app hash proves a response at height h (h + 1);
 * false when h is not positive or h + 1 overflows. */
bool tm_abci_proof_height(int64_t *out, int64_t h) PX_MUST_CHECK;

#endif
