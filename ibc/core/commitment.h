/* What IBC stores under its packet keys, and how a proof that it is (or is
 * not) stored is checked against a counterparty's app hash.
 *
 * Values (ibc-go 04-channel):
 *   packet commitment v1  sha256(BE64(timeout_timestamp) ||
 *                                BE64(timeout_height.revision_number) ||
 *                                BE64(timeout_height.revision_height) ||
 *                                sha256(data))
 *   acknowledgement       sha256(ack bytes)
 *   receipt               the single byte 0x01
 *   next sequence recv    BE64(sequence)
 *   packet commitment v2  sha256(0x02 || sha256(destination_client) ||
 *                                sha256(BE64(timeout_timestamp)) ||
 *                                sha256(payload_hash_1 || ... ))
 *                         payload_hash = sha256(sha256(source_port) ||
 *                                sha256(destination_port) || sha256(version) ||
 *                                sha256(encoding) || sha256(value))
 *   acknowledgement v2    sha256(0x02 || sha256(app_ack_1) || ...)
 *
 * Proofs: a MerkleProof of two ICS-23 CommitmentProofs, an `iavl` proof of
 * key -> value (or the key's absence) in the store named by the prefix
 * ("ibc"), then a `tendermint`-spec proof of prefix -> that store's root
 * in the multistore, whose root is the app hash. The chain itself is
 * lightclient/tendermint/abci.h's tm_abci_verify; this module adds the IBC
 * vocabulary (paths, values, MerkleProof bytes). A proof of state at
 * height H is checked against the app hash of header H+1 (the caller's
 * business: ibc_verify_* take the app hash). Failures: 2xx when the proof
 * does not parse, 3xx when it parses and proves something else. */
#ifndef PX_IBC_CORE_COMMITMENT_H
#define PX_IBC_CORE_COMMITMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/errors.h"
#include "ibc/core/paths.h"
#include "ibc/types.h"

#define IBC_COMMITMENT_LEN 32
#define IBC_RECEIPT_VALUE 0x01
#define IBC_V2_MAX_PAYLOADS 16
/* sha256("UNIVERSAL_ERROR_ACKNOWLEDGEMENT"): the app acknowledgement an
 * IBC v2 packet gets when its receive failed. */
extern const uint8_t ibc_v2_error_ack[IBC_COMMITMENT_LEN];

/* v1 packet commitment over the packet's timeout and data. */
void ibc_commit_packet_v1(uint8_t out[IBC_COMMITMENT_LEN], const struct ibc_packet *packet);
/* The same from its parts. */
void ibc_commit_packet_v1_parts(uint8_t out[IBC_COMMITMENT_LEN], uint64_t timeout_timestamp,
				struct ibc_height timeout_height, const uint8_t *data,
				size_t data_len);
/* sha256(ack): the acknowledgement commitment (v1). */
void ibc_commit_ack_v1(uint8_t out[IBC_COMMITMENT_LEN], const uint8_t *ack, size_t ack_len);

/* IBC v2 (ibc-go 04-channel/v2). Strings are borrowed byte slices. */
struct ibc_v2_payload {
	struct px_slice source_port;
	struct px_slice destination_port;
	struct px_slice version;
	struct px_slice encoding;
	struct px_slice value;
};

struct ibc_v2_packet {
	uint64_t sequence;
	struct px_slice source_client;
	struct px_slice destination_client;
	uint64_t timeout_timestamp;	/* seconds in v2 */
	const struct ibc_v2_payload *payloads;
	size_t payloads_len;
};

/* False (PX_E_MALFORMED) without payloads or with more than
 * IBC_V2_MAX_PAYLOADS. */
bool ibc_commit_packet_v2(struct px_err *err, uint8_t out[IBC_COMMITMENT_LEN],
			  const struct ibc_v2_packet *packet) PX_MUST_CHECK;
/* Over the app acknowledgements, one per payload (1..IBC_V2_MAX_PAYLOADS). */
bool ibc_commit_ack_v2(struct px_err *err, uint8_t out[IBC_COMMITMENT_LEN],
		       const struct px_slice *app_acks, size_t n) PX_MUST_CHECK;

/* The two proofs of a MerkleProof, store level first; borrowed. */
struct ibc_merkle_proof {
	struct px_slice iavl;
	struct px_slice simple;
};

/* Splits MerkleProof protobuf bytes (repeated CommitmentProof, field 1).
 * Anything but two proofs is PX_E_PROOF_SHAPE. */
bool ibc_merkle_proof_decode(struct px_err *err, struct ibc_merkle_proof *out, const uint8_t *buf,
			     size_t len) PX_MUST_CHECK;

/* Proves path.prefix / path.key -> value under app_hash. value must not
 * be empty (IBC never stores empty values). */
bool ibc_verify_membership(struct px_err *err, const uint8_t *app_hash, size_t app_hash_len,
			   const struct ibc_merkle_path *path, const uint8_t *value,
			   size_t value_len, const struct ibc_merkle_proof *proof) PX_MUST_CHECK;
/* Proves path.prefix / path.key is absent under app_hash (the store root
 * is computed from a neighbour of the absence proof, then proved in the
 * multistore). */
bool ibc_verify_non_membership(struct px_err *err, const uint8_t *app_hash, size_t app_hash_len,
			       const struct ibc_merkle_path *path,
			       const struct ibc_merkle_proof *proof) PX_MUST_CHECK;

/* Packet-level checks for the relayer and the offline audit; prefix is the
 * counterparty's MerklePrefix ("ibc"):
 *  - commitment: the sender stored the v1 commitment of packet under its
 *    source port/channel (MsgRecvPacket);
 *  - ack: the receiver stored sha256(ack) under the destination
 *    port/channel (MsgAcknowledgement);
 *  - receipt absence: the receiver has no receipt for the packet under the
 *    destination port/channel (MsgTimeout on an unordered channel);
 *  - next sequence recv: the receiver's nextSequenceRecv is next_seq
 *    (MsgTimeout on an ordered channel; the packet timed out if its
 *    sequence >= next_seq, which the caller checks). */
bool ibc_verify_packet_commitment(struct px_err *err, const uint8_t *app_hash,
				  size_t app_hash_len, const char *prefix,
				  const struct ibc_packet *packet,
				  const struct ibc_merkle_proof *proof) PX_MUST_CHECK;
bool ibc_verify_packet_ack(struct px_err *err, const uint8_t *app_hash, size_t app_hash_len,
			   const char *prefix, const struct ibc_packet *packet, const uint8_t *ack,
			   size_t ack_len, const struct ibc_merkle_proof *proof) PX_MUST_CHECK;
bool ibc_verify_packet_receipt_absence(struct px_err *err, const uint8_t *app_hash,
				       size_t app_hash_len, const char *prefix,
				       const struct ibc_packet *packet,
				       const struct ibc_merkle_proof *proof) PX_MUST_CHECK;
bool ibc_verify_next_sequence_recv(struct px_err *err, const uint8_t *app_hash,
				   size_t app_hash_len, const char *prefix,
				   const struct ibc_packet *packet, uint64_t next_seq,
				   const struct ibc_merkle_proof *proof) PX_MUST_CHECK;

#endif
