/* ICS-03 connection handshake rules, as ibc-go v8 applies them: OpenInit,
 * OpenTry, OpenAck, OpenConfirm. Each function is one message handled by
 * a host chain: it checks the message against the host's store and the
 * counterparty's proofs (through the host's light client) and writes the
 * new connection end. Pure: the host table is the only way in or out.
 *
 * The counterparty's client of this chain (client state and consensus
 * state proofs of OpenTry/OpenAck) is optional, as in ibc-go v9 where v8
 * already deprecated it: checked only when the message carries the client
 * proof and the host implements validate_self_client and
 * self_consensus_state; otherwise ignored. See docs/ibc.md. */
#ifndef PX_IBC_CORE_CONNECTION_H
#define PX_IBC_CORE_CONNECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/errors.h"
#include "ibc/core/host.h"
#include "ibc/types.h"

/* The optional proofs of the counterparty's client of this chain. An
 * empty proof_client means "not proven". */
struct ibc_self_client_proofs {
	struct px_slice client_state;		/* google.protobuf.Any bytes */
	struct px_slice proof_client;
	struct px_slice proof_consensus;
	struct ibc_height consensus_height;
};

struct ibc_msg_conn_open_init {
	const char *client_id;
	/* client_id and prefix of the counterparty; connection_id must be
	 * empty */
	struct ibc_connection_counterparty counterparty;
	const struct ibc_version *version;	/* NULL: offer every supported version */
	uint64_t delay_period;			/* ns */
};

struct ibc_msg_conn_open_try {
	const char *client_id;
	struct ibc_connection_counterparty counterparty;	/* connection_id required */
	uint64_t delay_period;
	const struct ibc_version *counterparty_versions;
	size_t counterparty_versions_len;
	struct px_slice proof_init;
	struct ibc_height proof_height;
	struct ibc_self_client_proofs self_client;
};

struct ibc_msg_conn_open_ack {
	const char *connection_id;
	const char *counterparty_connection_id;
	struct ibc_version version;		/* the version the counterparty picked */
	struct px_slice proof_try;
	struct ibc_height proof_height;
	struct ibc_self_client_proofs self_client;
};

struct ibc_msg_conn_open_confirm {
	const char *connection_id;
	struct px_slice proof_ack;
	struct ibc_height proof_height;
};

/* The versions this host supports (one: "1" with ORDER_ORDERED and
 * ORDER_UNORDERED). Returns how many were written to out. */
size_t ibc_conn_supported_versions(struct ibc_version out[IBC_MAX_VERSIONS]);

/* True when the version's identifier is among `supported` and its features
 * are a non-empty subset of that version's features. */
bool ibc_version_is_supported(const struct ibc_version *supported, size_t n,
			      const struct ibc_version *v);

/* True when v lists the feature. */
bool ibc_version_has_feature(const struct ibc_version *v, const char *feature);

/* ibc-go PickVersion: the first of `supported` whose identifier the
 * counterparty also offers, with the features both offer (non-empty).
 * PX_E_IBC_VERSION when there is none. */
bool ibc_version_pick(struct px_err *err, struct ibc_version *out,
		      const struct ibc_version *supported, size_t n,
		      const struct ibc_version *counterparty, size_t cn) PX_MUST_CHECK;

/* OpenInit: stores connection-N in INIT and writes its id to out_id.
 * Errors: PX_E_MALFORMED (identifiers), PX_E_IBC_COUNTERPARTY (a
 * counterparty connection id is given), PX_E_IBC_VERSION, client errors
 * (PX_E_IBC_NOT_FOUND, PX_E_FROZEN, PX_E_TRUST_EXPIRED). */
bool ibc_conn_open_init(const struct ibc_host *h, struct px_err *err, char out_id[IBC_ID_MAX + 1],
			const struct ibc_msg_conn_open_init *msg) PX_MUST_CHECK;

/* OpenTry: verifies the counterparty's INIT end naming this chain's client,
 * picks a version and stores connection-N in TRYOPEN. Errors as OpenInit,
 * plus the proof's 3xx code. */
bool ibc_conn_open_try(const struct ibc_host *h, struct px_err *err, char out_id[IBC_ID_MAX + 1],
		       const struct ibc_msg_conn_open_try *msg) PX_MUST_CHECK;

/* OpenAck: INIT -> OPEN after proof of the counterparty's TRYOPEN end.
 * PX_E_IBC_NOT_FOUND, PX_E_IBC_STATE, PX_E_IBC_VERSION, proof errors. */
bool ibc_conn_open_ack(const struct ibc_host *h, struct px_err *err,
		       const struct ibc_msg_conn_open_ack *msg) PX_MUST_CHECK;

/* OpenConfirm: TRYOPEN -> OPEN after proof of the counterparty's OPEN end. */
bool ibc_conn_open_confirm(const struct ibc_host *h, struct px_err *err,
			   const struct ibc_msg_conn_open_confirm *msg) PX_MUST_CHECK;

#endif
