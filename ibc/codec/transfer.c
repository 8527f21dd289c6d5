/* MsgTransfer (ibc-go proto/ibc/applications/transfer/v1/tx.proto) and the
 * Coin it carries (cosmos-sdk proto/cosmos/base/v1beta1/coin.proto). */
#include "ibc/codec/transfer.h"

static void coin_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("denom", "amount");
	struct ibc_coin *coin = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, IBC_F(1) | IBC_F(2), &field, &wire);
		switch (field) {
		case 1: ibc_pb_read_text(c, wire, &coin->denom, IBC_MAX_TEXT); break;
		case 2: ibc_pb_read_text(c, wire, &coin->amount, IBC_MAX_TEXT); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "Coin", names, IBC_COUNT(names), field);
	}
}

static void coin_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_coin *coin = in;

	ibc_pb_put_bytes(w, 1, coin->denom);
	ibc_pb_put_bytes(w, 2, coin->amount);
}

void ibc_msg_transfer_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("source_port", "source_channel", "token", "sender", "receiver",
		  "timeout_height", "timeout_timestamp", "memo");
	struct ibc_msg_transfer *m = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, 0x1fe, &field, &wire);
		switch (field) {
		case 1: ibc_pb_read_id(c, wire, m->source_port, sizeof(m->source_port)); break;
		case 2: ibc_pb_read_id(c, wire, m->source_channel, sizeof(m->source_channel)); break;
		case 3: ibc_pb_read_sub(c, w, wire, 2 * IBC_MAX_TEXT + 16, coin_read, &m->token); break;
		case 4: ibc_pb_read_text(c, wire, &m->sender, IBC_MAX_SIGNER); break;
		case 5: ibc_pb_read_text(c, wire, &m->receiver, IBC_MAX_SIGNER); break;
		case 6: ibc_pb_read_height(c, w, wire, &m->timeout_height); break;
		case 7: m->timeout_timestamp = px_pb_read_uint64(c, wire); break;
		case 8: ibc_pb_read_text(c, wire, &m->memo, IBC_MAX_MEMO); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "MsgTransfer", names, IBC_COUNT(names), field);
	}
}

void ibc_msg_transfer_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_msg_transfer *m = in;

	ibc_pb_put_id(w, 1, m->source_port, sizeof(m->source_port));
	ibc_pb_put_id(w, 2, m->source_channel, sizeof(m->source_channel));
	ibc_pb_put_sub(w, 3, coin_write, &m->token);
	ibc_pb_put_bytes(w, 4, m->sender);
	ibc_pb_put_bytes(w, 5, m->receiver);
	ibc_pb_put_height(w, 6, m->timeout_height);
	ibc_pb_put_u64(w, 7, m->timeout_timestamp);
	ibc_pb_put_bytes(w, 8, m->memo);
}

IBC_PB_DEFINE(ibc_msg_transfer, struct ibc_msg_transfer, "MsgTransfer", NULL)
