/* ICS-04 channel handshake rules, as ibc-go v8 applies them: OpenInit,
 * OpenTry, OpenAck, OpenConfirm for ORDERED and UNORDERED channels. The
 * channel's single connection must be OPEN and its version must offer the
 * channel's ordering as a feature. Opening a channel (Init or Try) sets
 * nextSequenceSend, nextSequenceRecv and nextSequenceAck to 1.
 *
 * Port binding and the application's handshake callbacks are the host's
 * business: it calls these rules once the port's owner has accepted the
 * version. Channel closing and upgrades are not implemented. */
#ifndef PX_IBC_CORE_CHANNEL_H
#define PX_IBC_CORE_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/errors.h"
#include "ibc/core/host.h"
#include "ibc/types.h"

struct ibc_msg_chan_open_init {
	const char *port_id;
	enum ibc_order ordering;
	const char *connection_id;
	const char *counterparty_port_id;
	const char *version;			/* e.g. "ics20-1" */
};

struct ibc_msg_chan_open_try {
	const char *port_id;
	enum ibc_order ordering;
	const char *connection_id;
	const char *counterparty_port_id;
	const char *counterparty_channel_id;
	const char *version;			/* this end's version */
	const char *counterparty_version;	/* the version of the INIT end */
	struct px_slice proof_init;
	struct ibc_height proof_height;
};

struct ibc_msg_chan_open_ack {
	const char *port_id;
	const char *channel_id;
	const char *counterparty_channel_id;
	const char *counterparty_version;	/* the version of the TRYOPEN end */
	struct px_slice proof_try;
	struct ibc_height proof_height;
};

struct ibc_msg_chan_open_confirm {
	const char *port_id;
	const char *channel_id;
	struct px_slice proof_ack;
	struct ibc_height proof_height;
};

/* OpenInit: stores channel-N in INIT on port_id and writes its id to
 * out_id. Errors: PX_E_MALFORMED (identifiers, ordering), PX_E_IBC_NOT_FOUND
 * (connection, client), PX_E_IBC_STATE (connection not OPEN),
 * PX_E_IBC_VERSION (ordering not a feature of the connection), client
 * status errors. */
bool ibc_chan_open_init(const struct ibc_host *h, struct px_err *err, char out_id[IBC_ID_MAX + 1],
			const struct ibc_msg_chan_open_init *msg) PX_MUST_CHECK;

/* OpenTry: verifies the counterparty's INIT channel naming this port and
 * stores channel-N in TRYOPEN. Errors as OpenInit plus the proof's code. */
bool ibc_chan_open_try(const struct ibc_host *h, struct px_err *err, char out_id[IBC_ID_MAX + 1],
		       const struct ibc_msg_chan_open_try *msg) PX_MUST_CHECK;

/* OpenAck: INIT -> OPEN after proof of the counterparty's TRYOPEN channel;
 * records the counterparty channel id and adopts counterparty_version. */
bool ibc_chan_open_ack(const struct ibc_host *h, struct px_err *err,
		       const struct ibc_msg_chan_open_ack *msg) PX_MUST_CHECK;

/* OpenConfirm: TRYOPEN -> OPEN after proof of the counterparty's OPEN
 * channel. */
bool ibc_chan_open_confirm(const struct ibc_host *h, struct px_err *err,
			   const struct ibc_msg_chan_open_confirm *msg) PX_MUST_CHECK;

#endif
