/* ibc.core.channel.v1: Channel, its Counterparty, Packet, the four
 * channel handshake messages (channel.c) and the three packet messages
 * MsgRecvPacket, MsgAcknowledgement, MsgTimeout (packet.c). Domain values
 * use the structs of ibc/types.h; proofs, acknowledgements and the signer
 * are borrowed slices, as is Packet.data. Nothing here allocates. See
 * base.h for the wire rules.
 *
 * Channel.version is held in IBC_ID_MAX bytes (ibc/types.h): a longer
 * version (ICS-27 metadata JSON can be) is refused as malformed. Channel
 * state accepts ibc-go v8's FLUSHING and FLUSHCOMPLETE; upgrade_sequence
 * (field 6, ibc-go v8) is omitted when 0, as older versions expect. */
#ifndef PX_IBC_CODEC_CHANNEL_H
#define PX_IBC_CODEC_CHANNEL_H

#include "ibc/codec/base.h"

struct ibc_msg_channel_open_init {
	char port_id[IBC_ID_MAX + 1];
	struct ibc_channel channel;
	struct px_slice signer;
};

struct ibc_msg_channel_open_try {
	char port_id[IBC_ID_MAX + 1];
	char previous_channel_id[IBC_ID_MAX + 1];	/* deprecated */
	struct ibc_channel channel;
	struct px_slice counterparty_version;
	struct px_slice proof_init;
	struct ibc_height proof_height;
	struct px_slice signer;
};

struct ibc_msg_channel_open_ack {
	char port_id[IBC_ID_MAX + 1];
	char channel_id[IBC_ID_MAX + 1];
	char counterparty_channel_id[IBC_ID_MAX + 1];
	struct px_slice counterparty_version;
	struct px_slice proof_try;
	struct ibc_height proof_height;
	struct px_slice signer;
};

struct ibc_msg_channel_open_confirm {
	char port_id[IBC_ID_MAX + 1];
	char channel_id[IBC_ID_MAX + 1];
	struct px_slice proof_ack;
	struct ibc_height proof_height;
	struct px_slice signer;
};

struct ibc_msg_recv_packet {
	struct ibc_packet packet;
	struct px_slice proof_commitment;	/* MerkleProof bytes */
	struct ibc_height proof_height;
	struct px_slice signer;
};

struct ibc_msg_acknowledgement {
	struct ibc_packet packet;
	struct px_slice acknowledgement;
	struct px_slice proof_acked;
	struct ibc_height proof_height;
	struct px_slice signer;
};

struct ibc_msg_timeout {
	struct ibc_packet packet;
	struct px_slice proof_unreceived;
	struct ibc_height proof_height;
	uint64_t next_sequence_recv;
	struct px_slice signer;
};

bool ibc_channel_decode(struct px_err *err, struct ibc_channel *out, const uint8_t *buf,
			size_t len) PX_MUST_CHECK;
bool ibc_channel_encode(struct px_err *err, struct px_buf *out,
			const struct ibc_channel *in) PX_MUST_CHECK;
bool ibc_channel_counterparty_decode(struct px_err *err, struct ibc_channel_counterparty *out,
				     const uint8_t *buf, size_t len) PX_MUST_CHECK;
bool ibc_channel_counterparty_encode(struct px_err *err, struct px_buf *out,
				     const struct ibc_channel_counterparty *in) PX_MUST_CHECK;
bool ibc_packet_decode(struct px_err *err, struct ibc_packet *out, const uint8_t *buf,
		       size_t len) PX_MUST_CHECK;
bool ibc_packet_encode(struct px_err *err, struct px_buf *out,
		       const struct ibc_packet *in) PX_MUST_CHECK;

bool ibc_msg_channel_open_init_decode(struct px_err *err, struct ibc_msg_channel_open_init *out,
				      const uint8_t *buf, size_t len) PX_MUST_CHECK;
bool ibc_msg_channel_open_init_encode(struct px_err *err, struct px_buf *out,
				      const struct ibc_msg_channel_open_init *in) PX_MUST_CHECK;
bool ibc_msg_channel_open_try_decode(struct px_err *err, struct ibc_msg_channel_open_try *out,
				     const uint8_t *buf, size_t len) PX_MUST_CHECK;
bool ibc_msg_channel_open_try_encode(struct px_err *err, struct px_buf *out,
				     const struct ibc_msg_channel_open_try *in) PX_MUST_CHECK;
bool ibc_msg_channel_open_ack_decode(struct px_err *err, struct ibc_msg_channel_open_ack *out,
				     const uint8_t *buf, size_t len) PX_MUST_CHECK;
bool ibc_msg_channel_open_ack_encode(struct px_err *err, struct px_buf *out,
				     const struct ibc_msg_channel_open_ack *in) PX_MUST_CHECK;
bool ibc_msg_channel_open_confirm_decode(struct px_err *err,
					 struct ibc_msg_channel_open_confirm *out,
					 const uint8_t *buf, size_t len) PX_MUST_CHECK;
bool ibc_msg_channel_open_confirm_encode(struct px_err *err, struct px_buf *out,
					 const struct ibc_msg_channel_open_confirm *in) PX_MUST_CHECK;
bool ibc_msg_recv_packet_decode(struct px_err *err, struct ibc_msg_recv_packet *out,
				const uint8_t *buf, size_t len) PX_MUST_CHECK;
bool ibc_msg_recv_packet_encode(struct px_err *err, struct px_buf *out,
				const struct ibc_msg_recv_packet *in) PX_MUST_CHECK;
bool ibc_msg_acknowledgement_decode(struct px_err *err, struct ibc_msg_acknowledgement *out,
				    const uint8_t *buf, size_t len) PX_MUST_CHECK;
bool ibc_msg_acknowledgement_encode(struct px_err *err, struct px_buf *out,
				    const struct ibc_msg_acknowledgement *in) PX_MUST_CHECK;
bool ibc_msg_timeout_decode(struct px_err *err, struct ibc_msg_timeout *out, const uint8_t *buf,
			    size_t len) PX_MUST_CHECK;
bool ibc_msg_timeout_encode(struct px_err *err, struct px_buf *out,
			    const struct ibc_msg_timeout *in) PX_MUST_CHECK;

/* Readers and writers for msg.c. */
void ibc_msg_channel_open_init_read(struct px_cursor *c, struct ibc_where *w, void *out);
void ibc_msg_channel_open_init_write(struct ibc_writer *w, const void *in);
void ibc_msg_channel_open_try_read(struct px_cursor *c, struct ibc_where *w, void *out);
void ibc_msg_channel_open_try_write(struct ibc_writer *w, const void *in);
void ibc_msg_channel_open_ack_read(struct px_cursor *c, struct ibc_where *w, void *out);
void ibc_msg_channel_open_ack_write(struct ibc_writer *w, const void *in);
void ibc_msg_channel_open_confirm_read(struct px_cursor *c, struct ibc_where *w, void *out);
void ibc_msg_channel_open_confirm_write(struct ibc_writer *w, const void *in);
void ibc_msg_recv_packet_read(struct px_cursor *c, struct ibc_where *w, void *out);
void ibc_msg_recv_packet_write(struct ibc_writer *w, const void *in);
void ibc_msg_acknowledgement_read(struct px_cursor *c, struct ibc_where *w, void *out);
void ibc_msg_acknowledgement_write(struct ibc_writer *w, const void *in);
void ibc_msg_timeout_read(struct px_cursor *c, struct ibc_where *w, void *out);
void ibc_msg_timeout_write(struct ibc_writer *w, const void *in);
void ibc_packet_read(struct px_cursor *c, struct ibc_where *w, void *out);
void ibc_packet_write(struct ibc_writer *w, const void *in);

#endif
