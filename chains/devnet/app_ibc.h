/* The devnet's IBC host, internal to the app (app_ibc_host.c, app_ibc.c,
 * app_ibc_packet.c, app_transfer.c). Not a public header.
 *
 * State lives as ibc-go keeps it: the `ibc` store holds values at ICS-24
 * paths (ibc/core/paths.h) with ibc-go's encodings (ClientState and
 * ConsensusState as Any, ConnectionEnd and Channel protobuf, 32-byte
 * commitments, receipt 0x01, 8-byte big-endian sequences), plus per
 * consensus state its processedTime (8-byte big-endian ns) and
 * processedHeight ("R-H") beside it; the `transfer` store holds the denom
 * traces (0x02 || sha256(path) -> DenomTrace protobuf).
 *
 * Clients are 07-tendermint only, verified through the generic
 * light-client table (lightclient/lc.h) with the IBC-form Tendermint
 * client (lightclient/tendermint/client_ibc.h) built per message from the
 * stored state. The protocol rules are ibc/core's, run over the host table
 * app_ibc_host() fills. */
#ifndef PX_CHAINS_DEVNET_APP_IBC_H
#define PX_CHAINS_DEVNET_APP_IBC_H

#include "chains/devnet/app_internal.h"
#include "ibc/core/host.h"
#include "ibc/transfer/ics20.h"
#include "lightclient/tendermint/client_ibc.h"

/* ibc-go's error codes (codespaces "client", "connection", "channel",
 * "transfer") that the devnet returns. */
#define APP_IBC_CODE_CLIENT_INVALID 3
#define APP_IBC_CODE_CLIENT_NOT_FOUND 4
#define APP_IBC_CODE_CLIENT_FROZEN 5
#define APP_IBC_CODE_CONSENSUS_NOT_FOUND 7
#define APP_IBC_CODE_HEADER_INVALID 12
#define APP_IBC_CODE_MISBEHAVIOUR_INVALID 13
#define APP_IBC_CODE_CLIENT_NOT_ACTIVE 33

/* Expected time per block for the delay period in blocks (ibc-go's
 * default MaxExpectedTimePerBlock, 30 s). */
#define APP_IBC_EXPECTED_BLOCK_NS (30ull * 1000000000ull)

/* One message's run: the app, its cache and the host block. */
struct app_ibc_ctx {
	struct devnet_app *a;
	struct app_cache *c;
	int64_t height;
	struct px_time time;
	/* The last host failure that was internal (store, memory): a rule's
	 * error with this set is not the message's fault. */
	bool internal;
};

/* The host table over x (x borrowed for the host's life). */
void app_ibc_host(struct ibc_host *out, struct app_ibc_ctx *x);

/* A stored client: its ClientState and a tm_ibc_client reading the
 * consensus states from the store. */
struct app_ibc_client {
	struct app_ibc_ctx *x;
	char id[IBC_ID_MAX + 1];
	struct ibc_tm_client_state cs;
	struct tm_ibc_client tc;
	struct lc_client lc;
};

/* Loads client_id; absent is true with !*found. A stored state that does
 * not decode is PX_E_INTERNAL. */
bool app_ibc_client_load(struct px_err *err, struct app_ibc_client *out, bool *found,
			 struct app_ibc_ctx *x, const char *client_id) PX_MUST_CHECK;
/* Writes the ClientState (with tc.params' latest and frozen heights). */
bool app_ibc_client_store(struct px_err *err, struct app_ibc_client *cl) PX_MUST_CHECK;
/* Writes a consensus state at h with its processed time and height. */
bool app_ibc_consensus_store(struct px_err *err, struct app_ibc_client *cl, struct ibc_height h,
			     const struct tm_ibc_consensus *cons) PX_MUST_CHECK;
enum ibc_client_status app_ibc_client_status(struct app_ibc_client *cl);

/* Raw access to the ibc store. */
bool app_ibc_get(struct px_err *err, struct app_ibc_ctx *x, const char *key, size_t klen,
		 struct px_slice *v, bool *found) PX_MUST_CHECK;
bool app_ibc_put(struct px_err *err, struct app_ibc_ctx *x, const char *key, size_t klen,
		 const uint8_t *v, size_t vlen) PX_MUST_CHECK;

/* The ICS-20 escrow account of a channel (ibc-go GetEscrowAddress). */
void app_ibc_escrow(uint8_t out[COSMOS_ADDR_LEN], const char *port, const char *channel);

/* ---- shared by the message handlers (app_ibc.c, app_ibc_packet.c) ---- */

/* The channel port/channel of this chain; absent is true with !*found. */
bool app_ibc_chan_load(struct px_err *err, struct app_ibc_ctx *x, struct ibc_channel *out,
		       bool *found, const char *port, const char *channel) PX_MUST_CHECK;
/* True for the one bound port ("transfer"); otherwise refuses in ref. */
bool app_ibc_port_bound(struct app_refusal *ref, const char *port);
/* The packet messages; as app_ibc_run. resp gets the response message. */
bool app_ibc_recv(struct px_err *err, struct app_refusal *ref, struct app_ibc_ctx *x,
		  json_t *events, const struct ibc_msg_recv_packet *m,
		  struct px_buf *resp) PX_MUST_CHECK;
bool app_ibc_ack(struct px_err *err, struct app_refusal *ref, struct app_ibc_ctx *x,
		 json_t *events, const struct ibc_msg_acknowledgement *m,
		 struct px_buf *resp) PX_MUST_CHECK;
bool app_ibc_timeout(struct px_err *err, struct app_refusal *ref, struct app_ibc_ctx *x,
		     json_t *events, const struct ibc_msg_timeout *m,
		     struct px_buf *resp) PX_MUST_CHECK;
bool app_ibc_transfer(struct px_err *err, struct app_refusal *ref, struct app_ibc_ctx *x,
		      json_t *events, const struct ibc_msg_transfer *m,
		      struct px_buf *resp) PX_MUST_CHECK;

/* ---- events ---- */

/* Appends {type, attributes} to events (NULL: nothing) from
 * NULL-terminated key, value pairs; false only when out of memory. */
bool app_ibc_event(struct px_err *err, json_t *events, const char *type, ...)
	PX_MUST_CHECK;
/* The attributes ibc-go gives a packet event (data, timeouts, sequence,
 * ends, ordering, connection), then the extra NULL-terminated pairs. */
bool app_ibc_packet_event(struct px_err *err, json_t *events, const char *type,
			  const struct ibc_packet *pkt, const char *ordering, const char *connection,
			  bool with_data, ...) PX_MUST_CHECK;

/* ---- ICS-20 (app_transfer.c) ---- */

/* The app callbacks run by the channel handlers for port "transfer". A
 * refusal of MsgTransfer goes to ref; on_recv never refuses: it appends
 * the acknowledgement (success or error) to ack. */
bool app_transfer_send(struct px_err *err, struct app_refusal *ref, struct app_ibc_ctx *x,
		       json_t *events, const struct ibc_msg_transfer *m,
		       uint64_t *sequence) PX_MUST_CHECK;
bool app_transfer_on_recv(struct px_err *err, struct app_ibc_ctx *x, json_t *events,
			  const struct ibc_packet *pkt, struct px_buf *ack) PX_MUST_CHECK;
bool app_transfer_on_ack(struct px_err *err, struct app_refusal *ref, struct app_ibc_ctx *x,
			 json_t *events, const struct ibc_packet *pkt, const uint8_t *ack,
			 size_t ack_len) PX_MUST_CHECK;
bool app_transfer_on_timeout(struct px_err *err, struct app_refusal *ref, struct app_ibc_ctx *x,
			     json_t *events, const struct ibc_packet *pkt) PX_MUST_CHECK;
/* Channel handshake callbacks: the version must be "ics20-1" and the
 * channel unordered. */
bool app_transfer_check_channel(struct app_refusal *ref, enum ibc_order order,
				const char *version);

/* A rule of ibc/core failed with e: internal (false, err = e) when the
 * host failed (x->internal, out of memory), else refused (true) with
 * ibc-go's codespace and code for it, pontifex's code in the log. */
bool app_ibc_rule_failed(struct px_err *err, struct app_refusal *ref, struct app_ibc_ctx *x,
			 const char *module, const struct px_err *e, const char *what);

/* A refusal with a formatted log; returns true (the message is refused,
 * the run goes on). */
bool app_refuse(struct app_refusal *ref, const char *space, uint32_t code, const char *fmt, ...)
	PX_PRINTF(4, 5);

#endif
