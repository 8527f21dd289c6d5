/* MsgCreateClient, MsgUpdateClient, MsgSubmitMisbehaviour (ibc-go
 * proto/ibc/core/client/v1/tx.proto; every Any there is nullable). */
#include "ibc/codec/client.h"

void ibc_msg_create_client_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("client_state", "consensus_state", "signer");
	struct ibc_msg_create_client *m = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, IBC_F(1) | IBC_F(2) | IBC_F(3), &field, &wire);
		switch (field) {
		case 1:
			ibc_pb_read_any(c, w, wire, &m->client_state);
			m->has_client_state = true;
			break;
		case 2:
			ibc_pb_read_any(c, w, wire, &m->consensus_state);
			m->has_consensus_state = true;
			break;
		case 3: ibc_pb_read_text(c, wire, &m->signer, IBC_MAX_SIGNER); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "MsgCreateClient", names, IBC_COUNT(names), field);
	}
}

void ibc_msg_create_client_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_msg_create_client *m = in;

	if (m->has_client_state)
		ibc_pb_put_any(w, 1, &m->client_state);
	if (m->has_consensus_state)
		ibc_pb_put_any(w, 2, &m->consensus_state);
	ibc_pb_put_bytes(w, 3, m->signer);
}

/* MsgUpdateClient and MsgSubmitMisbehaviour share a shape:
 * client_id = 1, Any = 2, signer = 3. */
static void id_any_read(struct px_cursor *c, struct ibc_where *w, const char *msg,
			const char *const *names, char *client_id, bool *has, struct ibc_any *any,
			struct px_slice *signer)
{
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, IBC_F(1) | IBC_F(2) | IBC_F(3), &field, &wire);
		switch (field) {
		case 1: ibc_pb_read_id(c, wire, client_id, IBC_ID_MAX + 1); break;
		case 2:
			ibc_pb_read_any(c, w, wire, any);
			*has = true;
			break;
		case 3: ibc_pb_read_text(c, wire, signer, IBC_MAX_SIGNER); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, msg, names, 4, field);
	}
}

static void id_any_write(struct ibc_writer *w, const char *client_id, bool has,
			 const struct ibc_any *any, struct px_slice signer)
{
	ibc_pb_put_id(w, 1, client_id, IBC_ID_MAX + 1);
	if (has)
		ibc_pb_put_any(w, 2, any);
	ibc_pb_put_bytes(w, 3, signer);
}

void ibc_msg_update_client_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("client_id", "client_message", "signer");
	struct ibc_msg_update_client *m = out;

	id_any_read(c, w, "MsgUpdateClient", names, m->client_id, &m->has_client_message,
		    &m->client_message, &m->signer);
}

void ibc_msg_update_client_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_msg_update_client *m = in;

	id_any_write(w, m->client_id, m->has_client_message, &m->client_message, m->signer);
}

void ibc_msg_submit_misbehaviour_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("client_id", "misbehaviour", "signer");
	struct ibc_msg_submit_misbehaviour *m = out;

	id_any_read(c, w, "MsgSubmitMisbehaviour", names, m->client_id, &m->has_misbehaviour,
		    &m->misbehaviour, &m->signer);
}

void ibc_msg_submit_misbehaviour_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_msg_submit_misbehaviour *m = in;

	id_any_write(w, m->client_id, m->has_misbehaviour, &m->misbehaviour, m->signer);
}

bool ibc_msg_create_client_decode(struct px_err *err, struct ibc_msg_create_client *out,
				  const uint8_t *buf, size_t len)
{
	return ibc_pb_decode(err, "MsgCreateClient", ibc_msg_create_client_read, NULL, out,
			     sizeof(*out), buf, len);
}

bool ibc_msg_create_client_encode(struct px_err *err, struct px_buf *out,
				  const struct ibc_msg_create_client *in)
{
	return ibc_pb_encode(err, "MsgCreateClient", ibc_msg_create_client_write, out, in);
}

bool ibc_msg_update_client_decode(struct px_err *err, struct ibc_msg_update_client *out,
				  const uint8_t *buf, size_t len)
{
	return ibc_pb_decode(err, "MsgUpdateClient", ibc_msg_update_client_read, NULL, out,
			     sizeof(*out), buf, len);
}

bool ibc_msg_update_client_encode(struct px_err *err, struct px_buf *out,
				  const struct ibc_msg_update_client *in)
{
	return ibc_pb_encode(err, "MsgUpdateClient", ibc_msg_update_client_write, out, in);
}

bool ibc_msg_submit_misbehaviour_decode(struct px_err *err, struct ibc_msg_submit_misbehaviour *out,
					const uint8_t *buf, size_t len)
{
	return ibc_pb_decode(err, "MsgSubmitMisbehaviour", ibc_msg_submit_misbehaviour_read, NULL,
			     out, sizeof(*out), buf, len);
}

bool ibc_msg_submit_misbehaviour_encode(struct px_err *err, struct px_buf *out,
					const struct ibc_msg_submit_misbehaviour *in)
{
	return ibc_pb_encode(err, "MsgSubmitMisbehaviour", ibc_msg_submit_misbehaviour_write, out,
			     in);
}
