/* Type URLs and the Any dispatcher over every message codec. */
#include "ibc/codec/msg.h"

static void header_free_v(void *p)
{
	ibc_tm_header_free(p);
}

static void misbehaviour_free_v(void *p)
{
	ibc_tm_misbehaviour_free(p);
}

struct kind_info {
	const char *url;
	const char *name;
	ibc_pb_reader rd;
	ibc_pb_writer wr;
	ibc_pb_freer fr;
};

#define K(kind, url, name, pfx, fr) [kind] = { url, name, pfx##_read, pfx##_write, fr }

static const struct kind_info kinds[IBC_MSG_KIND_COUNT] = {
	K(IBC_MSG_CREATE_CLIENT, IBC_URL_MSG_CREATE_CLIENT, "MsgCreateClient",
	  ibc_msg_create_client, NULL),
	K(IBC_MSG_UPDATE_CLIENT, IBC_URL_MSG_UPDATE_CLIENT, "MsgUpdateClient",
	  ibc_msg_update_client, NULL),
	K(IBC_MSG_SUBMIT_MISBEHAVIOUR, IBC_URL_MSG_SUBMIT_MISBEHAVIOUR, "MsgSubmitMisbehaviour",
	  ibc_msg_submit_misbehaviour, NULL),
	K(IBC_MSG_CONNECTION_OPEN_INIT, IBC_URL_MSG_CONNECTION_OPEN_INIT, "MsgConnectionOpenInit",
	  ibc_msg_connection_open_init, NULL),
	K(IBC_MSG_CONNECTION_OPEN_TRY, IBC_URL_MSG_CONNECTION_OPEN_TRY, "MsgConnectionOpenTry",
	  ibc_msg_connection_open_try, NULL),
	K(IBC_MSG_CONNECTION_OPEN_ACK, IBC_URL_MSG_CONNECTION_OPEN_ACK, "MsgConnectionOpenAck",
	  ibc_msg_connection_open_ack, NULL),
	K(IBC_MSG_CONNECTION_OPEN_CONFIRM, IBC_URL_MSG_CONNECTION_OPEN_CONFIRM,
	  "MsgConnectionOpenConfirm", ibc_msg_connection_open_confirm, NULL),
	K(IBC_MSG_CHANNEL_OPEN_INIT, IBC_URL_MSG_CHANNEL_OPEN_INIT, "MsgChannelOpenInit",
	  ibc_msg_channel_open_init, NULL),
	K(IBC_MSG_CHANNEL_OPEN_TRY, IBC_URL_MSG_CHANNEL_OPEN_TRY, "MsgChannelOpenTry",
	  ibc_msg_channel_open_try, NULL),
	K(IBC_MSG_CHANNEL_OPEN_ACK, IBC_URL_MSG_CHANNEL_OPEN_ACK, "MsgChannelOpenAck",
	  ibc_msg_channel_open_ack, NULL),
	K(IBC_MSG_CHANNEL_OPEN_CONFIRM, IBC_URL_MSG_CHANNEL_OPEN_CONFIRM, "MsgChannelOpenConfirm",
	  ibc_msg_channel_open_confirm, NULL),
	K(IBC_MSG_RECV_PACKET, IBC_URL_MSG_RECV_PACKET, "MsgRecvPacket", ibc_msg_recv_packet, NULL),
	K(IBC_MSG_ACKNOWLEDGEMENT, IBC_URL_MSG_ACKNOWLEDGEMENT, "MsgAcknowledgement",
	  ibc_msg_acknowledgement, NULL),
	K(IBC_MSG_TIMEOUT, IBC_URL_MSG_TIMEOUT, "MsgTimeout", ibc_msg_timeout, NULL),
	K(IBC_MSG_TRANSFER, IBC_URL_MSG_TRANSFER, "MsgTransfer", ibc_msg_transfer, NULL),
	K(IBC_MSG_TM_CLIENT_STATE, IBC_URL_TM_CLIENT_STATE, "ClientState", ibc_tm_client_state,
	  NULL),
	K(IBC_MSG_TM_CONSENSUS_STATE, IBC_URL_TM_CONSENSUS_STATE, "ConsensusState",
	  ibc_tm_consensus_state, NULL),
	K(IBC_MSG_TM_HEADER, IBC_URL_TM_HEADER, "tendermint.v1.Header", ibc_tm_header,
	  header_free_v),
	K(IBC_MSG_TM_MISBEHAVIOUR, IBC_URL_TM_MISBEHAVIOUR, "Misbehaviour", ibc_tm_misbehaviour,
	  misbehaviour_free_v),
};

static const struct kind_info *info(enum ibc_msg_kind kind)
{
	if ((unsigned)kind >= IBC_MSG_KIND_COUNT || kind == IBC_MSG_UNKNOWN)
		return NULL;
	return &kinds[kind];
}

const char *ibc_msg_type_url(enum ibc_msg_kind kind)
{
	const struct kind_info *k = info(kind);

	return k ? k->url : NULL;
}

const char *ibc_msg_kind_name(enum ibc_msg_kind kind)
{
	const struct kind_info *k = info(kind);

	return k ? k->name : "unknown";
}

enum ibc_msg_kind ibc_msg_kind_of(struct px_slice type_url)
{
	for (int k = IBC_MSG_UNKNOWN + 1; k < IBC_MSG_KIND_COUNT; k++) {
		const char *url = kinds[k].url;
		size_t n = strlen(url);

		if (type_url.len == n && memcmp(type_url.ptr, url, n) == 0)
			return (enum ibc_msg_kind)k;
	}
	return IBC_MSG_UNKNOWN;
}

bool ibc_msg_decode(struct px_err *err, struct ibc_msg *out, struct px_slice type_url,
		    const uint8_t *value, size_t len)
{
	enum ibc_msg_kind kind = ibc_msg_kind_of(type_url);
	const struct kind_info *k = info(kind);

	memset(out, 0, sizeof(*out));
	if (k && !ibc_pb_decode(err, k->name, k->rd, k->fr, &out->u, sizeof(out->u), value, len))
		return false;
	out->kind = kind;
	out->any.type_url = type_url;
	out->any.value.ptr = value;
	out->any.value.len = len;
	return true;
}

bool ibc_msg_decode_any(struct px_err *err, struct ibc_msg *out, const uint8_t *buf, size_t len)
{
	struct ibc_any any;

	memset(out, 0, sizeof(*out));
	if (!ibc_any_decode(err, &any, buf, len))
		return false;
	return ibc_msg_decode(err, out, any.type_url, any.value.ptr, any.value.len);
}

bool ibc_msg_encode(struct px_err *err, struct px_buf *out, const struct ibc_msg *m)
{
	const struct kind_info *k = info(m->kind);

	if (m->kind == IBC_MSG_UNKNOWN) {
		px_buf_append(out, m->any.value.ptr, m->any.value.len);
		return px_buf_ok(out) ? true : px_err_set(err, PX_E_NOMEM, "Any: out of memory");
	}
	if (!k)
		return px_err_set(err, PX_E_MALFORMED, "message kind %d unknown", (int)m->kind);
	return ibc_pb_encode(err, k->name, k->wr, out, &m->u);
}

bool ibc_msg_encode_any(struct px_err *err, struct px_buf *out, const struct ibc_msg *m)
{
	struct px_buf value = PX_BUF_INIT;
	struct ibc_any any;
	bool ok;

	if (!ibc_msg_encode(err, &value, m)) {
		px_buf_free(&value);
		return false;
	}
	any.type_url = m->kind == IBC_MSG_UNKNOWN ? m->any.type_url : ibc_str(ibc_msg_type_url(m->kind));
	any.value = px_slice_of(&value);
	ok = ibc_any_encode(err, out, &any);
	px_buf_free(&value);
	return ok;
}

void ibc_msg_free(struct ibc_msg *m)
{
	const struct kind_info *k = info(m->kind);

	if (k && k->fr)
		k->fr(&m->u);
	memset(m, 0, sizeof(*m));
}
