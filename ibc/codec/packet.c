/* Packet, MsgRecvPacket, MsgAcknowledgement and MsgTimeout (ibc-go
 * proto/ibc/core/channel/v1/{channel,tx}.proto). Non-nullable there, so
 * always written: Packet.timeout_height, every message's packet and
 * proof_height. These are what the relayer submits most. */
#include "ibc/codec/channel.h"

/* ---- Packet {uint64 sequence = 1; string source_port = 2;
 * string source_channel = 3; string destination_port = 4;
 * string destination_channel = 5; bytes data = 6; Height timeout_height = 7;
 * uint64 timeout_timestamp = 8} */

void ibc_packet_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("sequence", "source_port", "source_channel", "destination_port",
		  "destination_channel", "data", "timeout_height", "timeout_timestamp");
	struct ibc_packet *p = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, 0x1fe, &field, &wire);
		switch (field) {
		case 1: p->sequence = px_pb_read_uint64(c, wire); break;
		case 2: ibc_pb_read_id(c, wire, p->source_port, sizeof(p->source_port)); break;
		case 3: ibc_pb_read_id(c, wire, p->source_channel, sizeof(p->source_channel)); break;
		case 4: ibc_pb_read_id(c, wire, p->destination_port, sizeof(p->destination_port)); break;
		case 5:
			ibc_pb_read_id(c, wire, p->destination_channel, sizeof(p->destination_channel));
			break;
		case 6: px_pb_read_bytes(c, wire, &p->data, IBC_MAX_PACKET_DATA); break;
		case 7: ibc_pb_read_height(c, w, wire, &p->timeout_height); break;
		case 8: p->timeout_timestamp = px_pb_read_uint64(c, wire); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "Packet", names, IBC_COUNT(names), field);
	}
}

void ibc_packet_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_packet *p = in;

	if (p->data.len > IBC_MAX_PACKET_DATA) {
		ibc_pb_writer_fail(w, "packet data over IBC_MAX_PACKET_DATA");
		return;
	}
	ibc_pb_put_u64(w, 1, p->sequence);
	ibc_pb_put_id(w, 2, p->source_port, sizeof(p->source_port));
	ibc_pb_put_id(w, 3, p->source_channel, sizeof(p->source_channel));
	ibc_pb_put_id(w, 4, p->destination_port, sizeof(p->destination_port));
	ibc_pb_put_id(w, 5, p->destination_channel, sizeof(p->destination_channel));
	ibc_pb_put_bytes(w, 6, p->data);
	ibc_pb_put_height(w, 7, p->timeout_height);
	ibc_pb_put_u64(w, 8, p->timeout_timestamp);
}

static void read_packet(struct px_cursor *c, struct ibc_where *w, uint32_t wire,
			struct ibc_packet *p)
{
	ibc_pb_read_sub(c, w, wire, IBC_MAX_PACKET_DATA + 4096, ibc_packet_read, p);
}

/* ---- MsgRecvPacket {Packet packet = 1; bytes proof_commitment = 2;
 * Height proof_height = 3; string signer = 4} */

void ibc_msg_recv_packet_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("packet", "proof_commitment", "proof_height", "signer");
	struct ibc_msg_recv_packet *m = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, 0x1e, &field, &wire);
		switch (field) {
		case 1: read_packet(c, w, wire, &m->packet); break;
		case 2: px_pb_read_bytes(c, wire, &m->proof_commitment, IBC_MAX_PROOF); break;
		case 3: ibc_pb_read_height(c, w, wire, &m->proof_height); break;
		case 4: ibc_pb_read_text(c, wire, &m->signer, IBC_MAX_SIGNER); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "MsgRecvPacket", names, IBC_COUNT(names), field);
	}
}

void ibc_msg_recv_packet_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_msg_recv_packet *m = in;

	ibc_pb_put_sub(w, 1, ibc_packet_write, &m->packet);
	ibc_pb_put_bytes(w, 2, m->proof_commitment);
	ibc_pb_put_height(w, 3, m->proof_height);
	ibc_pb_put_bytes(w, 4, m->signer);
}

/* ---- MsgAcknowledgement {Packet packet = 1; bytes acknowledgement = 2;
 * bytes proof_acked = 3; Height proof_height = 4; string signer = 5} */

void ibc_msg_acknowledgement_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("packet", "acknowledgement", "proof_acked", "proof_height", "signer");
	struct ibc_msg_acknowledgement *m = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, 0x3e, &field, &wire);
		switch (field) {
		case 1: read_packet(c, w, wire, &m->packet); break;
		case 2: px_pb_read_bytes(c, wire, &m->acknowledgement, IBC_MAX_ACK); break;
		case 3: px_pb_read_bytes(c, wire, &m->proof_acked, IBC_MAX_PROOF); break;
		case 4: ibc_pb_read_height(c, w, wire, &m->proof_height); break;
		case 5: ibc_pb_read_text(c, wire, &m->signer, IBC_MAX_SIGNER); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "MsgAcknowledgement", names, IBC_COUNT(names), field);
	}
}

void ibc_msg_acknowledgement_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_msg_acknowledgement *m = in;

	ibc_pb_put_sub(w, 1, ibc_packet_write, &m->packet);
	ibc_pb_put_bytes(w, 2, m->acknowledgement);
	ibc_pb_put_bytes(w, 3, m->proof_acked);
	ibc_pb_put_height(w, 4, m->proof_height);
	ibc_pb_put_bytes(w, 5, m->signer);
}

/* ---- MsgTimeout {Packet packet = 1; bytes proof_unreceived = 2;
 * Height proof_height = 3; uint64 next_sequence_recv = 4; string signer = 5} */

void ibc_msg_timeout_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("packet", "proof_unreceived", "proof_height", "next_sequence_recv", "signer");
	struct ibc_msg_timeout *m = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, 0x3e, &field, &wire);
		switch (field) {
		case 1: read_packet(c, w, wire, &m->packet); break;
		case 2: px_pb_read_bytes(c, wire, &m->proof_unreceived, IBC_MAX_PROOF); break;
		case 3: ibc_pb_read_height(c, w, wire, &m->proof_height); break;
		case 4: m->next_sequence_recv = px_pb_read_uint64(c, wire); break;
		case 5: ibc_pb_read_text(c, wire, &m->signer, IBC_MAX_SIGNER); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "MsgTimeout", names, IBC_COUNT(names), field);
	}
}

void ibc_msg_timeout_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_msg_timeout *m = in;

	ibc_pb_put_sub(w, 1, ibc_packet_write, &m->packet);
	ibc_pb_put_bytes(w, 2, m->proof_unreceived);
	ibc_pb_put_height(w, 3, m->proof_height);
	ibc_pb_put_u64(w, 4, m->next_sequence_recv);
	ibc_pb_put_bytes(w, 5, m->signer);
}

IBC_PB_DEFINE(ibc_packet, struct ibc_packet, "Packet", NULL)
IBC_PB_DEFINE(ibc_msg_recv_packet, struct ibc_msg_recv_packet, "MsgRecvPacket", NULL)
IBC_PB_DEFINE(ibc_msg_acknowledgement, struct ibc_msg_acknowledgement, "MsgAcknowledgement", NULL)
IBC_PB_DEFINE(ibc_msg_timeout, struct ibc_msg_timeout, "MsgTimeout", NULL)
