/* ICS-24 host requirements: identifier validation and the store keys under
 * which ibc-go keeps client, connection, channel and packet state in its
 * "ibc" store, byte for byte as modules/core/24-host writes them.
 *
 * A proof of one of these keys is a MerkleProof whose MerklePath is
 * [IBC_STORE_PREFIX, key]: the key inside the "ibc" IAVL store, then the
 * store name inside the multistore (see ibc/core/commitment.h).
 *
 * Identifiers are validated as ibc-go's defaultIdentifierValidator does:
 * not blank, no '/', characters [a-zA-Z0-9._+#[]<>-] only, and a length
 * range per kind (client 9-64, connection 10-64, channel 8-64, port 2-128).
 * All failures are PX_E_MALFORMED with a message naming the identifier. */
#ifndef PX_IBC_CORE_PATHS_H
#define PX_IBC_CORE_PATHS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/errors.h"
#include "ibc/types.h"

#define IBC_STORE_PREFIX "ibc"

/* Longest key: "commitments/ports/" port(128) "/channels/" channel(64)
 * "/sequences/" uint64(20) is 251 bytes. */
#define IBC_PATH_MAX 256

enum ibc_id_kind {
	IBC_ID_CLIENT,
	IBC_ID_CONNECTION,
	IBC_ID_CHANNEL,
	IBC_ID_PORT,
};

/* A store key: NUL-terminated, len bytes long. */
struct ibc_path {
	char s[IBC_PATH_MAX];
	size_t len;
};

/* The two-element MerklePath of a proof: [prefix, key]. The prefix is the
 * counterparty's MerklePrefix (IBC_STORE_PREFIX on ibc-go chains). */
struct ibc_merkle_path {
	char prefix[IBC_ID_MAX + 1];
	struct ibc_path key;
};

/* Checks id (len bytes, no NUL needed) against the rules of its kind. */
bool ibc_id_validate(struct px_err *err, enum ibc_id_kind kind, const char *id,
		     size_t len) PX_MUST_CHECK;
/* The same for a NUL-terminated identifier. */
bool ibc_id_check(struct px_err *err, enum ibc_id_kind kind, const char *id) PX_MUST_CHECK;

/* "connection-N" -> N and "channel-N" -> N, as ibc-go's ParseIdentifier:
 * the exact prefix, then 1-20 decimal digits that fit in a uint64 (ibc-go
 * uses strconv.ParseUint, so leading zeros are accepted, "channel-007" is 7).
 * The identifier must also pass ibc_id_validate for its kind. */
bool ibc_connection_id_parse(struct px_err *err, uint64_t *seq, const char *id,
			     size_t len) PX_MUST_CHECK;
bool ibc_channel_id_parse(struct px_err *err, uint64_t *seq, const char *id,
			  size_t len) PX_MUST_CHECK;

/* "{client-type}-{N}" as ibc-go's ParseClientIdentifier: the type is
 * everything before the last '-' (not blank, not ending in '-'), N is 1-20
 * digits fitting in a uint64. "07-tendermint-0" -> "07-tendermint", 0.
 * type_out (may be NULL) receives the NUL-terminated type and must hold
 * IBC_ID_MAX + 1 bytes. The id must also be a valid client identifier. */
bool ibc_client_id_parse(struct px_err *err, char *type_out, uint64_t *seq, const char *id,
			 size_t len) PX_MUST_CHECK;

/* The formats alone (no error text), for callers that classify strings,
 * such as the ICS-20 denomination trace parser: true when s is
 * "channel-{1-20 digits fitting uint64}", or "{anything}{not '-'}-{1-20
 * digits fitting uint64}" (ibc-go's IsValidChannelID / IsValidClientID). */
bool ibc_is_channel_id_format(const char *s, size_t len);
bool ibc_is_client_id_format(const char *s, size_t len);

/* Store keys. Each validates its identifiers first (and, for packet keys,
 * that the sequence is not 0) and fills out; out is zeroed on failure. */
bool ibc_path_client_state(struct px_err *err, struct ibc_path *out,
			   const char *client_id) PX_MUST_CHECK;
bool ibc_path_consensus_state(struct px_err *err, struct ibc_path *out, const char *client_id,
			      struct ibc_height height) PX_MUST_CHECK;
bool ibc_path_client_connections(struct px_err *err, struct ibc_path *out,
				 const char *client_id) PX_MUST_CHECK;
bool ibc_path_connection(struct px_err *err, struct ibc_path *out,
			 const char *connection_id) PX_MUST_CHECK;
bool ibc_path_channel(struct px_err *err, struct ibc_path *out, const char *port_id,
		      const char *channel_id) PX_MUST_CHECK;
bool ibc_path_next_sequence_send(struct px_err *err, struct ibc_path *out, const char *port_id,
				 const char *channel_id) PX_MUST_CHECK;
bool ibc_path_next_sequence_recv(struct px_err *err, struct ibc_path *out, const char *port_id,
				 const char *channel_id) PX_MUST_CHECK;
bool ibc_path_next_sequence_ack(struct px_err *err, struct ibc_path *out, const char *port_id,
				const char *channel_id) PX_MUST_CHECK;
/* The packet keys take the port and channel of the chain that writes them:
 * commitments are written by the sender (source port/channel), receipts
 * and acknowledgements by the receiver (destination port/channel). */
bool ibc_path_packet_commitment(struct px_err *err, struct ibc_path *out, const char *port_id,
				const char *channel_id, uint64_t sequence) PX_MUST_CHECK;
bool ibc_path_packet_receipt(struct px_err *err, struct ibc_path *out, const char *port_id,
			     const char *channel_id, uint64_t sequence) PX_MUST_CHECK;
bool ibc_path_packet_ack(struct px_err *err, struct ibc_path *out, const char *port_id,
			 const char *channel_id, uint64_t sequence) PX_MUST_CHECK;

/* [prefix, key]. prefix must be 1..IBC_ID_MAX bytes without NUL. */
bool ibc_merkle_path_make(struct px_err *err, struct ibc_merkle_path *out, const char *prefix,
			  const struct ibc_path *key) PX_MUST_CHECK;

#endif
