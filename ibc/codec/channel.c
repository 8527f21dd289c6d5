/* Channel, channel Counterparty and MsgChannelOpen* (ibc-go
 * proto/ibc/core/channel/v1/{channel,tx}.proto). Non-nullable there, so
 * always written: Channel.counterparty, the messages' channel and every
 * proof_height. */
#include "ibc/codec/channel.h"

/* ---- Counterparty {string port_id = 1; string channel_id = 2} */

static void counterparty_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("port_id", "channel_id");
	struct ibc_channel_counterparty *cp = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, IBC_F(1) | IBC_F(2), &field, &wire);
		switch (field) {
		case 1: ibc_pb_read_id(c, wire, cp->port_id, sizeof(cp->port_id)); break;
		case 2: ibc_pb_read_id(c, wire, cp->channel_id, sizeof(cp->channel_id)); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "channel.Counterparty", names, IBC_COUNT(names), field);
	}
}

static void counterparty_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_channel_counterparty *cp = in;

	ibc_pb_put_id(w, 1, cp->port_id, sizeof(cp->port_id));
	ibc_pb_put_id(w, 2, cp->channel_id, sizeof(cp->channel_id));
}

/* ---- Channel {State state = 1; Order ordering = 2;
 * Counterparty counterparty = 3; repeated string connection_hops = 4;
 * string version = 5; uint64 upgrade_sequence = 6} */

static void channel_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("state", "ordering", "counterparty", "connection_hops", "version",
		  "upgrade_sequence");
	struct ibc_channel *ch = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, 0x7e & ~IBC_F(4), &field, &wire);
		switch (field) {
		case 1:
			ch->state = (enum ibc_channel_state)px_pb_read_enum(c, wire,
									   IBC_CHAN_FLUSHCOMPLETE);
			break;
		case 2: ch->ordering = (enum ibc_order)px_pb_read_enum(c, wire, IBC_ORDER_ORDERED); break;
		case 3: ibc_pb_read_sub(c, w, wire, 512, counterparty_read, &ch->counterparty); break;
		case 4:
			if (ch->connection_hops_len == IBC_MAX_HOPS)
				px_cursor_fail(c, "too many connection hops");
			else
				ibc_pb_read_id(c, wire, ch->connection_hops[ch->connection_hops_len++],
					       IBC_ID_MAX + 1);
			break;
		case 5: ibc_pb_read_id(c, wire, ch->version, sizeof(ch->version)); break;
		case 6: ch->upgrade_sequence = px_pb_read_uint64(c, wire); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "Channel", names, IBC_COUNT(names), field);
	}
}

static void channel_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_channel *ch = in;

	if (ch->connection_hops_len > IBC_MAX_HOPS) {
		ibc_pb_writer_fail(w, "too many connection hops");
		return;
	}
	ibc_pb_put_u64(w, 1, (uint64_t)ch->state);
	ibc_pb_put_u64(w, 2, (uint64_t)ch->ordering);
	ibc_pb_put_sub(w, 3, counterparty_write, &ch->counterparty);
	for (size_t i = 0; i < ch->connection_hops_len; i++) {
		size_t n = strnlen(ch->connection_hops[i], IBC_ID_MAX + 1);

		if (n > IBC_ID_MAX) {
			ibc_pb_writer_fail(w, "connection hop not terminated");
			return;
		}
		px_pb_put_bytes(w->b, 4, (const uint8_t *)ch->connection_hops[i], n);
	}
	ibc_pb_put_id(w, 5, ch->version, sizeof(ch->version));
	ibc_pb_put_u64(w, 6, ch->upgrade_sequence);
}

/* ---- MsgChannelOpenInit {port_id = 1; Channel channel = 2; signer = 3} */

void ibc_msg_channel_open_init_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("port_id", "channel", "signer");
	struct ibc_msg_channel_open_init *m = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, 0xe, &field, &wire);
		switch (field) {
		case 1: ibc_pb_read_id(c, wire, m->port_id, sizeof(m->port_id)); break;
		case 2: ibc_pb_read_sub(c, w, wire, 2048, channel_read, &m->channel); break;
		case 3: ibc_pb_read_text(c, wire, &m->signer, IBC_MAX_SIGNER); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "MsgChannelOpenInit", names, IBC_COUNT(names), field);
	}
}

void ibc_msg_channel_open_init_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_msg_channel_open_init *m = in;

	ibc_pb_put_id(w, 1, m->port_id, sizeof(m->port_id));
	ibc_pb_put_sub(w, 2, channel_write, &m->channel);
	ibc_pb_put_bytes(w, 3, m->signer);
}

/* ---- MsgChannelOpenTry {port_id = 1; previous_channel_id = 2;
 * Channel channel = 3; counterparty_version = 4; proof_init = 5;
 * proof_height = 6; signer = 7} */

void ibc_msg_channel_open_try_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("port_id", "previous_channel_id", "channel", "counterparty_version",
		  "proof_init", "proof_height", "signer");
	struct ibc_msg_channel_open_try *m = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, 0xfe, &field, &wire);
		switch (field) {
		case 1: ibc_pb_read_id(c, wire, m->port_id, sizeof(m->port_id)); break;
		case 2:
			ibc_pb_read_id(c, wire, m->previous_channel_id, sizeof(m->previous_channel_id));
			break;
		case 3: ibc_pb_read_sub(c, w, wire, 2048, channel_read, &m->channel); break;
		case 4: ibc_pb_read_text(c, wire, &m->counterparty_version, IBC_MAX_TEXT); break;
		case 5: px_pb_read_bytes(c, wire, &m->proof_init, IBC_MAX_PROOF); break;
		case 6: ibc_pb_read_height(c, w, wire, &m->proof_height); break;
		case 7: ibc_pb_read_text(c, wire, &m->signer, IBC_MAX_SIGNER); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "MsgChannelOpenTry", names, IBC_COUNT(names), field);
	}
}

void ibc_msg_channel_open_try_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_msg_channel_open_try *m = in;

	ibc_pb_put_id(w, 1, m->port_id, sizeof(m->port_id));
	ibc_pb_put_id(w, 2, m->previous_channel_id, sizeof(m->previous_channel_id));
	ibc_pb_put_sub(w, 3, channel_write, &m->channel);
	ibc_pb_put_bytes(w, 4, m->counterparty_version);
	ibc_pb_put_bytes(w, 5, m->proof_init);
	ibc_pb_put_height(w, 6, m->proof_height);
	ibc_pb_put_bytes(w, 7, m->signer);
}

/* ---- MsgChannelOpenAck {port_id = 1; channel_id = 2;
 * counterparty_channel_id = 3; counterparty_version = 4; proof_try = 5;
 * proof_height = 6; signer = 7} */

void ibc_msg_channel_open_ack_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("port_id", "channel_id", "counterparty_channel_id", "counterparty_version",
		  "proof_try", "proof_height", "signer");
	struct ibc_msg_channel_open_ack *m = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, 0xfe, &field, &wire);
		switch (field) {
		case 1: ibc_pb_read_id(c, wire, m->port_id, sizeof(m->port_id)); break;
		case 2: ibc_pb_read_id(c, wire, m->channel_id, sizeof(m->channel_id)); break;
		case 3:
			ibc_pb_read_id(c, wire, m->counterparty_channel_id,
				       sizeof(m->counterparty_channel_id));
			break;
		case 4: ibc_pb_read_text(c, wire, &m->counterparty_version, IBC_MAX_TEXT); break;
		case 5: px_pb_read_bytes(c, wire, &m->proof_try, IBC_MAX_PROOF); break;
		case 6: ibc_pb_read_height(c, w, wire, &m->proof_height); break;
		case 7: ibc_pb_read_text(c, wire, &m->signer, IBC_MAX_SIGNER); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "MsgChannelOpenAck", names, IBC_COUNT(names), field);
	}
}

void ibc_msg_channel_open_ack_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_msg_channel_open_ack *m = in;

	ibc_pb_put_id(w, 1, m->port_id, sizeof(m->port_id));
	ibc_pb_put_id(w, 2, m->channel_id, sizeof(m->channel_id));
	ibc_pb_put_id(w, 3, m->counterparty_channel_id, sizeof(m->counterparty_channel_id));
	ibc_pb_put_bytes(w, 4, m->counterparty_version);
	ibc_pb_put_bytes(w, 5, m->proof_try);
	ibc_pb_put_height(w, 6, m->proof_height);
	ibc_pb_put_bytes(w, 7, m->signer);
}

/* ---- MsgChannelOpenConfirm {port_id = 1; channel_id = 2; proof_ack = 3;
 * proof_height = 4; signer = 5} */

void ibc_msg_channel_open_confirm_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("port_id", "channel_id", "proof_ack", "proof_height", "signer");
	struct ibc_msg_channel_open_confirm *m = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, 0x3e, &field, &wire);
		switch (field) {
		case 1: ibc_pb_read_id(c, wire, m->port_id, sizeof(m->port_id)); break;
		case 2: ibc_pb_read_id(c, wire, m->channel_id, sizeof(m->channel_id)); break;
		case 3: px_pb_read_bytes(c, wire, &m->proof_ack, IBC_MAX_PROOF); break;
		case 4: ibc_pb_read_height(c, w, wire, &m->proof_height); break;
		case 5: ibc_pb_read_text(c, wire, &m->signer, IBC_MAX_SIGNER); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "MsgChannelOpenConfirm", names, IBC_COUNT(names), field);
	}
}

void ibc_msg_channel_open_confirm_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_msg_channel_open_confirm *m = in;

	ibc_pb_put_id(w, 1, m->port_id, sizeof(m->port_id));
	ibc_pb_put_id(w, 2, m->channel_id, sizeof(m->channel_id));
	ibc_pb_put_bytes(w, 3, m->proof_ack);
	ibc_pb_put_height(w, 4, m->proof_height);
	ibc_pb_put_bytes(w, 5, m->signer);
}

#define ibc_channel_read channel_read
#define ibc_channel_write channel_write
#define ibc_channel_counterparty_read counterparty_read
#define ibc_channel_counterparty_write counterparty_write

IBC_PB_DEFINE(ibc_channel, struct ibc_channel, "Channel", NULL)
IBC_PB_DEFINE(ibc_channel_counterparty, struct ibc_channel_counterparty, "channel.Counterparty",
	      NULL)
IBC_PB_DEFINE(ibc_msg_channel_open_init, struct ibc_msg_channel_open_init, "MsgChannelOpenInit",
	      NULL)
IBC_PB_DEFINE(ibc_msg_channel_open_try, struct ibc_msg_channel_open_try, "MsgChannelOpenTry",
	      NULL)
IBC_PB_DEFINE(ibc_msg_channel_open_ack, struct ibc_msg_channel_open_ack, "MsgChannelOpenAck",
	      NULL)
IBC_PB_DEFINE(ibc_msg_channel_open_confirm, struct ibc_msg_channel_open_confirm,
	      "MsgChannelOpenConfirm", NULL)
