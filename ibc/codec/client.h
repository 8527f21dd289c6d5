/* ibc.core.client.v1 messages: MsgCreateClient, MsgUpdateClient and
 * MsgSubmitMisbehaviour. The light-client payloads stay wrapped in their
 * Any (borrowed); tendermint.h decodes the 07-tendermint ones and msg.h
 * dispatches on the type URL. See base.h for wire rules and memory. */
#ifndef PX_IBC_CODEC_CLIENT_H
#define PX_IBC_CODEC_CLIENT_H

#include "ibc/codec/base.h"

struct ibc_msg_create_client {
	bool has_client_state;
	struct ibc_any client_state;
	bool has_consensus_state;
	struct ibc_any consensus_state;
	struct px_slice signer;
};

struct ibc_msg_update_client {
	char client_id[IBC_ID_MAX + 1];
	bool has_client_message;
	struct ibc_any client_message;	/* a Header or a Misbehaviour */
	struct px_slice signer;
};

/* Deprecated by ibc-go in favour of MsgUpdateClient with a Misbehaviour. */
struct ibc_msg_submit_misbehaviour {
	char client_id[IBC_ID_MAX + 1];
	bool has_misbehaviour;
	struct ibc_any misbehaviour;
	struct px_slice signer;
};

bool ibc_msg_create_client_decode(struct px_err *err, struct ibc_msg_create_client *out,
				  const uint8_t *buf, size_t len) PX_MUST_CHECK;
bool ibc_msg_create_client_encode(struct px_err *err, struct px_buf *out,
				  const struct ibc_msg_create_client *in) PX_MUST_CHECK;
bool ibc_msg_update_client_decode(struct px_err *err, struct ibc_msg_update_client *out,
				  const uint8_t *buf, size_t len) PX_MUST_CHECK;
bool ibc_msg_update_client_encode(struct px_err *err, struct px_buf *out,
				  const struct ibc_msg_update_client *in) PX_MUST_CHECK;
bool ibc_msg_submit_misbehaviour_decode(struct px_err *err, struct ibc_msg_submit_misbehaviour *out,
					const uint8_t *buf, size_t len) PX_MUST_CHECK;
bool ibc_msg_submit_misbehaviour_encode(struct px_err *err, struct px_buf *out,
					const struct ibc_msg_submit_misbehaviour *in) PX_MUST_CHECK;

/* Readers and writers for msg.c. */
void ibc_msg_create_client_read(struct px_cursor *c, struct ibc_where *w, void *out);
void ibc_msg_create_client_write(struct ibc_writer *w, const void *in);
void ibc_msg_update_client_read(struct px_cursor *c, struct ibc_where *w, void *out);
void ibc_msg_update_client_write(struct ibc_writer *w, const void *in);
void ibc_msg_submit_misbehaviour_read(struct px_cursor *c, struct ibc_where *w, void *out);
void ibc_msg_submit_misbehaviour_write(struct ibc_writer *w, const void *in);

#endif
