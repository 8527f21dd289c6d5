/* Offline audit of relayed IBC packet messages: given a MsgRecvPacket,
 * MsgAcknowledgement or MsgTimeout and the counterparty's app hash, say
 * what the message's proof must show and whether it shows it.
 *
 *   MsgRecvPacket       the sender stored the packet's v1 commitment at
 *                       commitments/ports/{src port}/channels/{src chan}/sequences/{seq}
 *   MsgAcknowledgement  the receiver stored sha256(ack) at
 *                       acks/ports/{dst port}/channels/{dst chan}/sequences/{seq}
 *   MsgTimeout          unordered: the receiver holds no receipt at
 *                       receipts/ports/{dst port}/channels/{dst chan}/sequences/{seq};
 *                       ordered: nextSequenceRecv/ports/{dst port}/channels/{dst chan}
 *                       holds BE64(next_sequence_recv) and next_sequence_recv <= seq
 *                       (ibc-go 04-channel TimeoutPacket); and, either way, the
 *                       timeout had passed at the proof height
 *
 * The proof is the message's two-level MerkleProof (iavl, then the
 * multistore) under the prefix ("ibc"). A message's proof_height is the
 * height of the header whose app hash proves it: the relayer queried the
 * state at proof_height - 1, and header proof_height carries the app hash
 * of that state (the "header H+1 proves state at H" rule, with H+1 already
 * written into the message).
 *
 * The channel's ordering is not in a MsgTimeout. Unless the caller pins
 * it, the proof tells: a non-existence proof can only be the receipt's
 * absence (unordered), an existence proof only nextSequenceRecv (ordered).
 * An auditor who knows the channel should pin it.
 *
 * This module also turns what a user hands over into messages: the bare
 * message bytes, an Any, a whole TxRaw (every message of it; the packet
 * messages are the ones checked), or a `tx` / `broadcast_tx_*` style RPC
 * JSON result holding the TxRaw as base64 (result.tx, or tx).
 *
 * Failures: 2xx when the message or its proof does not parse or breaks
 * ibc-go's ValidateBasic (an empty proof, packet data or ack, a packet with
 * no timeout, a bad identifier), naming the field; 3xx when it parses and
 * proves something else, or when the rules refuse it (PX_E_IBC_PROOF: proof
 * height is not the header's; PX_E_IBC_ALREADY_RECEIVED: ordered and
 * next_sequence_recv > sequence; PX_E_IBC_NOT_TIMED_OUT). */
#ifndef PX_IBC_CORE_AUDIT_H
#define PX_IBC_CORE_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/errors.h"
#include "common/rfc3339.h"
#include "ibc/codec/channel.h"
#include "ibc/codec/msg.h"
#include "ibc/core/paths.h"

#define IBC_AUDIT_MAX_APP_HASH 64
#define IBC_AUDIT_MAX_MSGS 128		/* messages of one transaction */
#define IBC_AUDIT_MAX_INPUT (16u << 20)	/* bytes of one input (JSON text included) */

/* One of the three packet messages. Slices borrow from the decoded input. */
struct ibc_audit_msg {
	enum ibc_msg_kind kind;	/* IBC_MSG_RECV_PACKET, _ACKNOWLEDGEMENT or _TIMEOUT */
	union {
		struct ibc_msg_recv_packet recv;
		struct ibc_msg_acknowledgement ack;
		struct ibc_msg_timeout timeout;
	} u;
};

enum ibc_audit_ordering {
	IBC_AUDIT_ORDER_AUTO = 0,	/* from the proof's kind (timeouts) */
	IBC_AUDIT_ORDER_UNORDERED,
	IBC_AUDIT_ORDER_ORDERED,
};

struct ibc_audit_opts {
	const char *prefix;		/* the counterparty's MerklePrefix; NULL: "ibc" */
	enum ibc_audit_ordering ordering;
	/* Set when the app hash comes from a verified header: its height
	 * (proof_height.revision_height must equal it), the revision of its
	 * chain id (proof_height.revision_number must equal it) and its time
	 * (the consensus timestamp a timeout is judged by). */
	bool has_header;
	uint64_t header_height;
	uint64_t header_revision;
	struct px_time header_time;
};

/* What the proof must show. */
enum ibc_audit_claim {
	IBC_AUDIT_CLAIM_NONE = 0,
	IBC_AUDIT_CLAIM_COMMITMENT,	/* packet commitment present */
	IBC_AUDIT_CLAIM_ACK,		/* acknowledgement commitment present */
	IBC_AUDIT_CLAIM_NO_RECEIPT,	/* receipt absent (unordered timeout) */
	IBC_AUDIT_CLAIM_NEXT_SEQ_RECV,	/* nextSequenceRecv value (ordered timeout) */
};

/* Whether a timeout had passed at the proof height. */
enum ibc_audit_elapsed {
	IBC_AUDIT_ELAPSED_NA = 0,	/* not a timeout */
	IBC_AUDIT_ELAPSED_YES,
	IBC_AUDIT_ELAPSED_NO,
	IBC_AUDIT_ELAPSED_UNKNOWN,	/* timestamp timeout and no header time */
};

struct ibc_audit_report {
	enum ibc_msg_kind kind;
	enum ibc_audit_claim claim;
	const struct ibc_packet *packet;	/* borrowed from the message */
	struct ibc_height proof_height;
	struct ibc_merkle_path path;		/* [prefix, key] proven */
	uint8_t value[IBC_PATH_MAX];		/* the value proven; value_len 0: absence */
	size_t value_len;
	/* The v1 commitment the sender must still hold for an ack or a
	 * timeout: the counterparty's proof does not cover the packet's data
	 * and timeout, the sending chain checks them against this. */
	uint8_t packet_commitment[32];
	uint64_t next_sequence_recv;		/* timeouts: as the message claims */
	enum ibc_audit_elapsed elapsed;
	uint8_t app_hash[IBC_AUDIT_MAX_APP_HASH];
	size_t app_hash_len;
	bool proof_ok;				/* the Merkle proof itself verified */
	bool verified;				/* proof and every rule */
};

/* The packet message inside a decoded Any-level message; false
 * (PX_E_UNSUPPORTED) for any other kind. Slices keep borrowing. */
bool ibc_audit_msg_from(struct px_err *err, struct ibc_audit_msg *out,
			const struct ibc_msg *m) PX_MUST_CHECK;

/* Checks m against app_hash (1..IBC_AUDIT_MAX_APP_HASH bytes). opts may be
 * NULL. Returns true when verified. out describes the check as far as it
 * got, also on failure (a report of what was refused is the point of an
 * audit): claim and path are set once the message is well formed, proof_ok
 * once the proof verified; it is zeroed only when the arguments are
 * unusable. err gets the first failure. */
bool ibc_audit_check(struct px_err *err, struct ibc_audit_report *out,
		     const struct ibc_audit_msg *m, const uint8_t *app_hash, size_t app_hash_len,
		     const struct ibc_audit_opts *opts) PX_MUST_CHECK;

/* ibc-go's ParseChainID: "name-N" with N a positive decimal without
 * leading zeros is revision N; anything else is revision 0. */
uint64_t ibc_chain_id_revision(const char *chain_id);

const char *ibc_audit_claim_name(enum ibc_audit_claim c);
const char *ibc_audit_elapsed_name(enum ibc_audit_elapsed e);

/* ---- input detection */

enum ibc_audit_source {
	IBC_AUDIT_SRC_MSG = 0,	/* bare message bytes */
	IBC_AUDIT_SRC_ANY,	/* google.protobuf.Any */
	IBC_AUDIT_SRC_TX,	/* cosmos.tx.v1beta1.TxRaw */
	IBC_AUDIT_SRC_TX_JSON,	/* RPC JSON holding a TxRaw as base64 */
};

/* One message of the input. Non-packet messages of a transaction are
 * listed (type URL, kind) and not decoded. */
struct ibc_audit_item {
	size_t index;			/* position in the transaction body */
	struct px_slice type_url;	/* empty for bare message bytes */
	enum ibc_msg_kind kind;		/* UNKNOWN for non-IBC messages */
	bool is_packet;			/* msg below holds it */
	struct ibc_audit_msg msg;
};

struct ibc_audit_input {
	enum ibc_audit_source source;
	struct ibc_audit_item *items;	/* owned */
	size_t n_items;
	size_t n_packets;
	struct px_buf tx;		/* owned: the TxRaw decoded from JSON */
	int64_t tx_height;		/* from the JSON when it says; 0 otherwise */
};

/* Reads buf (binary; a caller that accepts hex or base64 text decodes it
 * first) as, in this order: JSON (first non-space byte '{' and the whole
 * buffer parses), an Any with an IBC type URL, a TxRaw whose body decodes
 * (cosmos_tx_raw_decode, cosmos_tx_body_decode: strict; the AuthInfo and
 * signatures are not looked at), or the bare bytes of one packet message.
 * Bare bytes are tried as each of the three; the kinds whose decode
 * succeeds and whose proof field splits into two proofs remain; hint
 * (IBC_MSG_UNKNOWN for none; it also restricts an Any, not a transaction)
 * picks among them, and more than one left is
 * PX_E_MALFORMED "ambiguous". A transaction without a packet message is
 * not an error (n_packets 0; the caller decides). Memory: items borrow
 * from buf (and from out->tx), which must outlive out. On failure out is
 * zeroed. */
bool ibc_audit_input_parse(struct px_err *err, struct ibc_audit_input *out, const uint8_t *buf,
			   size_t len, enum ibc_msg_kind hint) PX_MUST_CHECK;
void ibc_audit_input_free(struct ibc_audit_input *in);

const char *ibc_audit_source_name(enum ibc_audit_source s);

#endif
