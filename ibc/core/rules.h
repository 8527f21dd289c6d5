/* Internal helpers shared by the IBC protocol rules (connection.c,
 * channel.c, packet.c): identifier checks, wrappers over the host table
 * that guarantee an error is recorded, loading and storing ends and
 * sequences, client status and proofs. Not a public API (prefix
 * ibc_rules_). Store keys come from ibc/core/paths.h and commitment values
 * from ibc/core/commitment.h. */
#ifndef PX_IBC_CORE_RULES_H
#define PX_IBC_CORE_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/errors.h"
#include "common/hash.h"
#include "ibc/core/commitment.h"
#include "ibc/core/host.h"
#include "ibc/core/paths.h"
#include "ibc/types.h"

/* ibc_id_check with `what` in front of its message. */
bool ibc_rules_check_id(struct px_err *err, enum ibc_id_kind kind, const char *id,
			const char *what) PX_MUST_CHECK;

/* Host wrappers: a host that fails without recording an error is reported
 * as PX_E_INTERNAL. */
bool ibc_rules_get(const struct ibc_host *h, struct px_err *err, struct px_buf *out,
		   bool *found, const struct ibc_path *p) PX_MUST_CHECK;
bool ibc_rules_set(const struct ibc_host *h, struct px_err *err, const struct ibc_path *p,
		   const uint8_t *val, size_t len) PX_MUST_CHECK;
bool ibc_rules_del(const struct ibc_host *h, struct px_err *err,
		   const struct ibc_path *p) PX_MUST_CHECK;
bool ibc_rules_host_failed(struct px_err *err, const char *op);

/* A connection end with the bytes its prefix borrows from; free with
 * ibc_rules_conn_free. */
struct ibc_rules_conn {
	struct ibc_connection_end end;
	struct px_buf raw;
};

/* Loads connections/{id}; absent is PX_E_IBC_NOT_FOUND. */
bool ibc_rules_conn_load(const struct ibc_host *h, struct px_err *err,
			 struct ibc_rules_conn *out, const char *connection_id) PX_MUST_CHECK;
void ibc_rules_conn_free(struct ibc_rules_conn *c);
bool ibc_rules_conn_store(const struct ibc_host *h, struct px_err *err, const char *connection_id,
			  const struct ibc_connection_end *end) PX_MUST_CHECK;

/* Loads channelEnds/ports/{port}/channels/{channel}; absent is
 * PX_E_IBC_NOT_FOUND. */
bool ibc_rules_chan_load(const struct ibc_host *h, struct px_err *err, struct ibc_channel *out,
			 const char *port, const char *channel) PX_MUST_CHECK;
bool ibc_rules_chan_store(const struct ibc_host *h, struct px_err *err, const char *port,
			  const char *channel, const struct ibc_channel *chan) PX_MUST_CHECK;

/* The channel's single-hop connection, which must exist and be OPEN. */
bool ibc_rules_chan_connection(const struct ibc_host *h, struct px_err *err,
			       struct ibc_rules_conn *out,
			       const struct ibc_channel *chan) PX_MUST_CHECK;

/* An 8-byte big-endian sequence at p; absent is PX_E_IBC_NOT_FOUND, any
 * other length PX_E_MALFORMED. */
bool ibc_rules_seq_load(const struct ibc_host *h, struct px_err *err, uint64_t *out,
			const struct ibc_path *p) PX_MUST_CHECK;
bool ibc_rules_seq_store(const struct ibc_host *h, struct px_err *err, const struct ibc_path *p,
			 uint64_t v) PX_MUST_CHECK;
void ibc_rules_be64(uint8_t out[8], uint64_t v);

/* Reads the counter at key (absent = 0), writes "<prefix>-<n>" to out and
 * stores n+1. */
bool ibc_rules_next_id(const struct ibc_host *h, struct px_err *err, char out[IBC_ID_MAX + 1],
		       const char *counter_key, const char *prefix) PX_MUST_CHECK;

/* Active, or PX_E_IBC_NOT_FOUND (unknown), PX_E_FROZEN, PX_E_TRUST_EXPIRED. */
bool ibc_rules_client_active(const struct ibc_host *h, struct px_err *err,
			     const char *client_id) PX_MUST_CHECK;

/* Proofs through the connection's client, under the counterparty prefix
 * and with the connection's delay period. `what` names the proven value
 * in the error message. */
bool ibc_rules_verify(const struct ibc_host *h, struct px_err *err,
		      const struct ibc_connection_end *conn, struct ibc_height proof_height,
		      struct px_slice proof, const struct ibc_path *p, const uint8_t *value,
		      size_t value_len, const char *what) PX_MUST_CHECK;
bool ibc_rules_verify_absent(const struct ibc_host *h, struct px_err *err,
			     const struct ibc_connection_end *conn,
			     struct ibc_height proof_height, struct px_slice proof,
			     const struct ibc_path *p, const char *what) PX_MUST_CHECK;

#endif
