/* ICS-04 packet rules, as ibc-go v8 applies them: SendPacket, RecvPacket,
 * WriteAcknowledgement, AcknowledgePacket, TimeoutPacket. Each call is one
 * message (or, for Send and WriteAcknowledgement, one application action)
 * on the host chain; time and height come from the host table.
 *
 * Results a relayer treats as "nothing to do" have their own codes so it
 * can tell them from failures: PX_E_IBC_ALREADY_RECEIVED (RecvPacket of a
 * packet already received, and TimeoutPacket of an ordered packet the
 * counterparty received) and PX_E_IBC_NO_COMMITMENT (Acknowledge or Timeout
 * of a packet never sent or already acknowledged / timed out). */
#ifndef PX_IBC_CORE_PACKET_H
#define PX_IBC_CORE_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/errors.h"
#include "ibc/core/host.h"
#include "ibc/types.h"

/* ValidateBasic of a packet: identifiers, sequence > 0, data non-empty
 * and at most IBC_MAX_PACKET_DATA bytes, a timeout height or timestamp.
 * PX_E_MALFORMED or PX_E_TOO_LARGE. */
bool ibc_packet_check(struct px_err *err, const struct ibc_packet *pkt) PX_MUST_CHECK;

/* SendPacket: takes the channel's nextSequenceSend, stores the packet
 * commitment and fills *out (out->data borrows data). The channel must be
 * OPEN, its client active, and the timeout not already passed at the
 * client's latest height and that height's consensus timestamp
 * (PX_E_IBC_TIMED_OUT). */
bool ibc_packet_send(const struct ibc_host *h, struct px_err *err, struct ibc_packet *out,
		     const char *source_port, const char *source_channel,
		     struct ibc_height timeout_height, uint64_t timeout_timestamp,
		     struct px_slice data) PX_MUST_CHECK;

/* RecvPacket: the destination channel is OPEN and its counterparty is the
 * packet's source (PX_E_IBC_COUNTERPARTY); the packet has not timed out at
 * the host's height and time (PX_E_IBC_TIMED_OUT); the commitment is
 * proven at the source's commitment path. Unordered: writes the receipt,
 * PX_E_IBC_ALREADY_RECEIVED when it exists. Ordered: the sequence must be
 * nextSequenceRecv (PX_E_IBC_SEQUENCE when above it, ALREADY_RECEIVED when
 * below), which is then incremented. */
bool ibc_packet_recv(const struct ibc_host *h, struct px_err *err, const struct ibc_packet *pkt,
		     struct px_slice proof, struct ibc_height proof_height) PX_MUST_CHECK;

/* WriteAcknowledgement: stores sha256(ack) at the packet's ack path on the
 * destination channel. A non-empty ack; PX_E_IBC_ACK_EXISTS the second
 * time. */
bool ibc_packet_write_ack(const struct ibc_host *h, struct px_err *err,
			  const struct ibc_packet *pkt, const uint8_t *ack,
			  size_t ack_len) PX_MUST_CHECK;

/* AcknowledgePacket: on the source channel (OPEN, counterparty = packet
 * destination), the stored commitment must exist (PX_E_IBC_NO_COMMITMENT)
 * and equal the packet's (PX_E_IBC_COMMITMENT_MISMATCH); the ack is proven
 * at the destination's ack path; ordered channels take packets in order
 * (nextSequenceAck, PX_E_IBC_SEQUENCE). Deletes the commitment. */
bool ibc_packet_acknowledge(const struct ibc_host *h, struct px_err *err,
			    const struct ibc_packet *pkt, const uint8_t *ack, size_t ack_len,
			    struct px_slice proof, struct ibc_height proof_height) PX_MUST_CHECK;

/* TimeoutPacket: the timeout height or timestamp has passed on the
 * counterparty at proof_height (the client's consensus timestamp there),
 * else PX_E_IBC_NOT_TIMED_OUT; the commitment exists and matches; then,
 * unordered: proof that no receipt exists; ordered: next_sequence_recv <=
 * sequence (else PX_E_IBC_ALREADY_RECEIVED) and its proof. Deletes the
 * commitment and closes an ordered channel. next_sequence_recv is ignored
 * on unordered channels. */
bool ibc_packet_timeout(const struct ibc_host *h, struct px_err *err, const struct ibc_packet *pkt,
			struct px_slice proof, struct ibc_height proof_height,
			uint64_t next_sequence_recv) PX_MUST_CHECK;

/* True when the packet's timeout has passed at (height, time_ns): a
 * non-zero timeout height <= height, or a non-zero timeout timestamp <=
 * time_ns (ibc-go's Timeout.Elapsed). */
bool ibc_packet_timed_out(const struct ibc_packet *pkt, struct ibc_height height,
			  uint64_t time_ns);

#endif
