/* The type URLs of the IBC messages and states, and a dispatcher that
 * decodes an Any (as found in a transaction body's messages, or in
 * MsgUpdateClient's client_message) into a tagged union.
 *
 * An unknown type URL is not an error: a transaction also carries bank
 * sends and the like. It decodes to IBC_MSG_UNKNOWN with the Any kept
 * (borrowed). A known URL whose value does not decode is PX_E_MALFORMED.
 *
 * Memory: as the per-message codecs (base.h): everything is borrowed from
 * the input except a Header's or Misbehaviour's lists; ibc_msg_free
 * releases them whatever the kind. */
#ifndef PX_IBC_CODEC_MSG_H
#define PX_IBC_CODEC_MSG_H

#include "ibc/codec/base.h"
#include "ibc/codec/channel.h"
#include "ibc/codec/client.h"
#include "ibc/codec/connection.h"
#include "ibc/codec/tendermint.h"
#include "ibc/codec/transfer.h"

#define IBC_URL_MSG_CREATE_CLIENT "/ibc.core.client.v1.MsgCreateClient"
#define IBC_URL_MSG_UPDATE_CLIENT "/ibc.core.client.v1.MsgUpdateClient"
#define IBC_URL_MSG_SUBMIT_MISBEHAVIOUR "/ibc.core.client.v1.MsgSubmitMisbehaviour"
#define IBC_URL_MSG_CONNECTION_OPEN_INIT "/ibc.core.connection.v1.MsgConnectionOpenInit"
#define IBC_URL_MSG_CONNECTION_OPEN_TRY "/ibc.core.connection.v1.MsgConnectionOpenTry"
#define IBC_URL_MSG_CONNECTION_OPEN_ACK "/ibc.core.connection.v1.MsgConnectionOpenAck"
#define IBC_URL_MSG_CONNECTION_OPEN_CONFIRM "/ibc.core.connection.v1.MsgConnectionOpenConfirm"
#define IBC_URL_MSG_CHANNEL_OPEN_INIT "/ibc.core.channel.v1.MsgChannelOpenInit"
#define IBC_URL_MSG_CHANNEL_OPEN_TRY "/ibc.core.channel.v1.MsgChannelOpenTry"
#define IBC_URL_MSG_CHANNEL_OPEN_ACK "/ibc.core.channel.v1.MsgChannelOpenAck"
#define IBC_URL_MSG_CHANNEL_OPEN_CONFIRM "/ibc.core.channel.v1.MsgChannelOpenConfirm"
#define IBC_URL_MSG_RECV_PACKET "/ibc.core.channel.v1.MsgRecvPacket"
#define IBC_URL_MSG_ACKNOWLEDGEMENT "/ibc.core.channel.v1.MsgAcknowledgement"
#define IBC_URL_MSG_TIMEOUT "/ibc.core.channel.v1.MsgTimeout"
#define IBC_URL_MSG_TRANSFER "/ibc.applications.transfer.v1.MsgTransfer"
#define IBC_URL_TM_CLIENT_STATE "/ibc.lightclients.tendermint.v1.ClientState"
#define IBC_URL_TM_CONSENSUS_STATE "/ibc.lightclients.tendermint.v1.ConsensusState"
#define IBC_URL_TM_HEADER "/ibc.lightclients.tendermint.v1.Header"
#define IBC_URL_TM_MISBEHAVIOUR "/ibc.lightclients.tendermint.v1.Misbehaviour"

enum ibc_msg_kind {
	IBC_MSG_UNKNOWN = 0,
	IBC_MSG_CREATE_CLIENT,
	IBC_MSG_UPDATE_CLIENT,
	IBC_MSG_SUBMIT_MISBEHAVIOUR,
	IBC_MSG_CONNECTION_OPEN_INIT,
	IBC_MSG_CONNECTION_OPEN_TRY,
	IBC_MSG_CONNECTION_OPEN_ACK,
	IBC_MSG_CONNECTION_OPEN_CONFIRM,
	IBC_MSG_CHANNEL_OPEN_INIT,
	IBC_MSG_CHANNEL_OPEN_TRY,
	IBC_MSG_CHANNEL_OPEN_ACK,
	IBC_MSG_CHANNEL_OPEN_CONFIRM,
	IBC_MSG_RECV_PACKET,
	IBC_MSG_ACKNOWLEDGEMENT,
	IBC_MSG_TIMEOUT,
	IBC_MSG_TRANSFER,
	IBC_MSG_TM_CLIENT_STATE,
	IBC_MSG_TM_CONSENSUS_STATE,
	IBC_MSG_TM_HEADER,
	IBC_MSG_TM_MISBEHAVIOUR,
	IBC_MSG_KIND_COUNT,
};

struct ibc_msg {
	enum ibc_msg_kind kind;
	struct ibc_any any;	/* type URL and value as decoded; borrowed */
	union {
		struct ibc_msg_create_client create_client;
		struct ibc_msg_update_client update_client;
		struct ibc_msg_submit_misbehaviour submit_misbehaviour;
		struct ibc_msg_connection_open_init connection_open_init;
		struct ibc_msg_connection_open_try connection_open_try;
		struct ibc_msg_connection_open_ack connection_open_ack;
		struct ibc_msg_connection_open_confirm connection_open_confirm;
		struct ibc_msg_channel_open_init channel_open_init;
		struct ibc_msg_channel_open_try channel_open_try;
		struct ibc_msg_channel_open_ack channel_open_ack;
		struct ibc_msg_channel_open_confirm channel_open_confirm;
		struct ibc_msg_recv_packet recv_packet;
		struct ibc_msg_acknowledgement acknowledgement;
		struct ibc_msg_timeout timeout;
		struct ibc_msg_transfer transfer;
		struct ibc_tm_client_state tm_client_state;
		struct ibc_tm_consensus_state tm_consensus_state;
		struct ibc_tm_header tm_header;
		struct ibc_tm_misbehaviour tm_misbehaviour;
	} u;
};

/* The type URL of a kind (NULL for UNKNOWN or out of range), its short
 * name ("MsgRecvPacket"), and the kind of a type URL (UNKNOWN if none). */
const char *ibc_msg_type_url(enum ibc_msg_kind kind);
const char *ibc_msg_kind_name(enum ibc_msg_kind kind);
enum ibc_msg_kind ibc_msg_kind_of(struct px_slice type_url);

/* Decodes value as the message type_url names. */
bool ibc_msg_decode(struct px_err *err, struct ibc_msg *out, struct px_slice type_url,
		    const uint8_t *value, size_t len) PX_MUST_CHECK;
/* Decodes an encoded Any. */
bool ibc_msg_decode_any(struct px_err *err, struct ibc_msg *out, const uint8_t *buf,
			size_t len) PX_MUST_CHECK;
/* Appends the message's encoding (the Any's value); an UNKNOWN message
 * appends its any.value as it is. */
bool ibc_msg_encode(struct px_err *err, struct px_buf *out, const struct ibc_msg *m) PX_MUST_CHECK;
/* Appends an encoded Any: the kind's type URL (any.type_url for UNKNOWN)
 * and the message's encoding. */
bool ibc_msg_encode_any(struct px_err *err, struct px_buf *out,
			const struct ibc_msg *m) PX_MUST_CHECK;

void ibc_msg_free(struct ibc_msg *m);

#endif
