/* ibc.core.commitment.v1: MerkleRoot, MerklePrefix and MerkleProof, and the
 * ics23 ProofSpecs a 07-tendermint ClientState carries. See base.h for the
 * wire rules, caps and memory contract.
 *
 * MerkleProof keeps each CommitmentProof as its raw bytes (borrowed);
 * lightclient/ics23's ics23_proof_decode parses one when it is verified.
 * ibc/core/commitment.h splits the usual two-proof MerkleProof for the
 * verifier; this codec handles any count and also encodes. */
#ifndef PX_IBC_CODEC_COMMITMENT_H
#define PX_IBC_CODEC_COMMITMENT_H

#include "ibc/codec/base.h"

#define IBC_MAX_MERKLE_PROOFS 8

struct ibc_merkle_proofs {
	struct px_slice proofs[IBC_MAX_MERKLE_PROOFS];	/* CommitmentProof bytes, borrowed */
	size_t len;
};

/* MerkleRoot {bytes hash = 1} and MerklePrefix {bytes key_prefix = 1}:
 * the one field as a borrowed slice. */
bool ibc_merkle_root_decode(struct px_err *err, struct px_slice *hash, const uint8_t *buf,
			    size_t len) PX_MUST_CHECK;
bool ibc_merkle_root_encode(struct px_err *err, struct px_buf *out, struct px_slice hash) PX_MUST_CHECK;
bool ibc_merkle_prefix_decode(struct px_err *err, struct px_slice *key_prefix, const uint8_t *buf,
			      size_t len) PX_MUST_CHECK;
bool ibc_merkle_prefix_encode(struct px_err *err, struct px_buf *out,
			      struct px_slice key_prefix) PX_MUST_CHECK;
bool ibc_merkle_proofs_decode(struct px_err *err, struct ibc_merkle_proofs *out, const uint8_t *buf,
			      size_t len) PX_MUST_CHECK;
bool ibc_merkle_proofs_encode(struct px_err *err, struct px_buf *out,
			      const struct ibc_merkle_proofs *in) PX_MUST_CHECK;

/* ---- building blocks for the other codec files */

/* Either message (one bytes field, number 1) into a slice of at most max. */
void ibc_merkle_bytes_read(struct px_cursor *c, struct ibc_where *w, const char *msg,
			   struct px_slice *out, size_t max);
void ibc_merkle_bytes_write(struct ibc_writer *w, const void *slice);

/* A cosmos.ics23.v1.ProofSpec: must be byte for byte the canonical encoding
 * of a spec lightclient/ics23 knows ("iavl", "tendermint", "smt"); *name
 * points to that static name. */
void ibc_proof_spec_read(struct px_cursor *c, struct ibc_where *w, uint32_t wire,
			 const char **name);
/* Writes the ProofSpec named name as a whole field. */
void ibc_proof_spec_put(struct ibc_writer *w, uint32_t field, const char *name);

#endif
