/* ibc.core.connection.v1: ConnectionEnd, Counterparty, Version and the
 * four handshake messages. Domain values use the structs of ibc/types.h;
 * proofs and the signer are borrowed slices. See base.h for the wire
 * rules and memory (nothing here allocates). */
#ifndef PX_IBC_CODEC_CONNECTION_H
#define PX_IBC_CODEC_CONNECTION_H

#include "ibc/codec/base.h"

struct ibc_msg_connection_open_init {
	char client_id[IBC_ID_MAX + 1];
	struct ibc_connection_counterparty counterparty;
	bool has_version;			/* nullable: ibc-go picks a default */
	struct ibc_version version;
	uint64_t delay_period;
	struct px_slice signer;
};

struct ibc_msg_connection_open_try {
	char client_id[IBC_ID_MAX + 1];
	char previous_connection_id[IBC_ID_MAX + 1];	/* deprecated */
	bool has_client_state;				/* deprecated in ibc-go v8.1 */
	struct ibc_any client_state;
	struct ibc_connection_counterparty counterparty;
	uint64_t delay_period;
	struct ibc_version counterparty_versions[IBC_MAX_VERSIONS];
	size_t counterparty_versions_len;
	struct ibc_height proof_height;
	struct px_slice proof_init;
	struct px_slice proof_client;			/* deprecated */
	struct px_slice proof_consensus;		/* deprecated */
	struct ibc_height consensus_height;		/* deprecated */
	struct px_slice signer;
	struct px_slice host_consensus_state_proof;	/* deprecated */
};

struct ibc_msg_connection_open_ack {
	char connection_id[IBC_ID_MAX + 1];
	char counterparty_connection_id[IBC_ID_MAX + 1];
	bool has_version;
	struct ibc_version version;
	bool has_client_state;				/* deprecated in ibc-go v8.1 */
	struct ibc_any client_state;
	struct ibc_height proof_height;
	struct px_slice proof_try;
	struct px_slice proof_client;			/* deprecated */
	struct px_slice proof_consensus;		/* deprecated */
	struct ibc_height consensus_height;		/* deprecated */
	struct px_slice signer;
	struct px_slice host_consensus_state_proof;	/* deprecated */
};

struct ibc_msg_connection_open_confirm {
	char connection_id[IBC_ID_MAX + 1];
	struct px_slice proof_ack;
	struct ibc_height proof_height;
	struct px_slice signer;
};

bool ibc_connection_end_decode(struct px_err *err, struct ibc_connection_end *out,
			       const uint8_t *buf, size_t len) PX_MUST_CHECK;
bool ibc_connection_end_encode(struct px_err *err, struct px_buf *out,
			       const struct ibc_connection_end *in) PX_MUST_CHECK;
bool ibc_connection_counterparty_decode(struct px_err *err, struct ibc_connection_counterparty *out,
					const uint8_t *buf, size_t len) PX_MUST_CHECK;
bool ibc_connection_counterparty_encode(struct px_err *err, struct px_buf *out,
					const struct ibc_connection_counterparty *in) PX_MUST_CHECK;
bool ibc_version_decode(struct px_err *err, struct ibc_version *out, const uint8_t *buf,
			size_t len) PX_MUST_CHECK;
bool ibc_version_encode(struct px_err *err, struct px_buf *out,
			const struct ibc_version *in) PX_MUST_CHECK;
bool ibc_msg_connection_open_init_decode(struct px_err *err,
					 struct ibc_msg_connection_open_init *out,
					 const uint8_t *buf, size_t len) PX_MUST_CHECK;
bool ibc_msg_connection_open_init_encode(struct px_err *err, struct px_buf *out,
					 const struct ibc_msg_connection_open_init *in) PX_MUST_CHECK;
bool ibc_msg_connection_open_try_decode(struct px_err *err, struct ibc_msg_connection_open_try *out,
					const uint8_t *buf, size_t len) PX_MUST_CHECK;
bool ibc_msg_connection_open_try_encode(struct px_err *err, struct px_buf *out,
					const struct ibc_msg_connection_open_try *in) PX_MUST_CHECK;
bool ibc_msg_connection_open_ack_decode(struct px_err *err, struct ibc_msg_connection_open_ack *out,
					const uint8_t *buf, size_t len) PX_MUST_CHECK;
bool ibc_msg_connection_open_ack_encode(struct px_err *err, struct px_buf *out,
					const struct ibc_msg_connection_open_ack *in) PX_MUST_CHECK;
bool ibc_msg_connection_open_confirm_decode(struct px_err *err,
					    struct ibc_msg_connection_open_confirm *out,
					    const uint8_t *buf, size_t len) PX_MUST_CHECK;
bool ibc_msg_connection_open_confirm_encode(struct px_err *err, struct px_buf *out,
					    const struct ibc_msg_connection_open_confirm *in) PX_MUST_CHECK;

/* Readers and writers for msg.c. */
void ibc_msg_connection_open_init_read(struct px_cursor *c, struct ibc_where *w, void *out);
void ibc_msg_connection_open_init_write(struct ibc_writer *w, const void *in);
void ibc_msg_connection_open_try_read(struct px_cursor *c, struct ibc_where *w, void *out);
void ibc_msg_connection_open_try_write(struct ibc_writer *w, const void *in);
void ibc_msg_connection_open_ack_read(struct px_cursor *c, struct ibc_where *w, void *out);
void ibc_msg_connection_open_ack_write(struct ibc_writer *w, const void *in);
void ibc_msg_connection_open_confirm_read(struct px_cursor *c, struct ibc_where *w, void *out);
void ibc_msg_connection_open_confirm_write(struct ibc_writer *w, const void *in);

#endif
