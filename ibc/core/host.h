/* The host interface the IBC protocol rules run against. A chain that hosts
 * IBC (the devnet's IBC host, the in-memory hosts of the tests) fills one
 * table of operations over its own opaque context; the rules in
 * connection.c, channel.c, packet.c and ibc/transfer/transfer_host.c are
 * pure functions of that table and their arguments: no I/O, no clock.
 *
 * Stored values are encoded bytes at ICS-24 paths. The rules never pick the
 * encoding of a ConnectionEnd or a Channel themselves: they ask the host's
 * encode/decode callbacks, so that the devnet can plug in ibc-go's protobuf
 * (ibc/codec) and the values it proves are byte for byte what a Cosmos
 * chain proves. The small values are fixed by ibc-go: sequences are 8-byte
 * big-endian, a receipt is the byte 0x01, commitments are SHA-256 digests.
 *
 * Failure contract: every fallible operation returns false and fills err
 * (first failure wins). A rule that fails may already have written to the
 * store only when a host operation failed mid-way (out of memory); the host
 * must discard the writes of a message whose rule failed, as a Cosmos
 * chain discards a failed transaction's cached store. */
#ifndef PX_IBC_CORE_HOST_H
#define PX_IBC_CORE_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/errors.h"
#include "ibc/types.h"

enum ibc_client_status {
	IBC_CLIENT_ACTIVE = 0,
	IBC_CLIENT_EXPIRED = 1,
	IBC_CLIENT_FROZEN = 2,
	IBC_CLIENT_UNKNOWN = 3,	/* no such client */
};

/* An ICS-20 amount (unsigned 256-bit), defined in ibc/transfer/ics20.h;
 * the bank operations only pass it by pointer. */
struct ibc_u256;

struct ibc_host_ops {
	/* Key/value store. Keys are ICS-24 paths without the commitment
	 * prefix. get appends the value to out (the caller resets it) and sets
	 * *found; an absent key is not an error. */
	bool (*get)(void *ctx, struct px_err *err, struct px_buf *out, bool *found,
		    const uint8_t *key, size_t key_len);
	bool (*set)(void *ctx, struct px_err *err, const uint8_t *key, size_t key_len,
		    const uint8_t *val, size_t val_len);
	/* Deleting an absent key is not an error. */
	bool (*del)(void *ctx, struct px_err *err, const uint8_t *key, size_t key_len);

	/* The host chain itself: its current height and block time (ns since
	 * the Unix epoch) and the commitment prefix its store proves under
	 * ("ibc" on Cosmos chains). */
	struct ibc_height (*self_height)(void *ctx);
	uint64_t (*self_time)(void *ctx);
	struct px_slice (*self_prefix)(void *ctx);

	/* Light clients of other chains, through the generic light-client
	 * interface. status never fails: a client that cannot be read is
	 * IBC_CLIENT_UNKNOWN. consensus_time fails with PX_E_IBC_NOT_FOUND when
	 * the client holds no consensus state at that height. */
	enum ibc_client_status (*client_status)(void *ctx, const char *client_id);
	bool (*client_latest_height)(void *ctx, struct px_err *err, struct ibc_height *out,
				     const char *client_id);
	bool (*client_consensus_time)(void *ctx, struct px_err *err, uint64_t *out_ns,
				      const char *client_id, struct ibc_height height);

	/* Proof that the counterparty's store holds value (membership) or
	 * nothing (non-membership) at prefix/path, at the consensus state of
	 * proof_height. delay_ns is the connection's delay period: the client
	 * refuses consensus states processed less than delay_ns (and the
	 * corresponding number of host blocks, as the host computes it) ago.
	 * A failed check is a 3xx error: the light client's own code
	 * (root_mismatch, value_mismatch...) or PX_E_IBC_PROOF. */
	bool (*verify_membership)(void *ctx, struct px_err *err, const char *client_id,
				  struct ibc_height proof_height, uint64_t delay_ns,
				  const uint8_t *proof, size_t proof_len, struct px_slice prefix,
				  const uint8_t *path, size_t path_len,
				  const uint8_t *value, size_t value_len);
	bool (*verify_non_membership)(void *ctx, struct px_err *err, const char *client_id,
				      struct ibc_height proof_height, uint64_t delay_ns,
				      const uint8_t *proof, size_t proof_len,
				      struct px_slice prefix, const uint8_t *path, size_t path_len);

	/* Encodings of the stored ends. encode appends to out. decode may
	 * leave out->counterparty.prefix pointing into buf. A stored value
	 * that does not decode is a 2xx error. */
	bool (*encode_connection)(void *ctx, struct px_err *err, struct px_buf *out,
				  const struct ibc_connection_end *conn);
	bool (*decode_connection)(void *ctx, struct px_err *err, struct ibc_connection_end *out,
				  const uint8_t *buf, size_t len);
	bool (*encode_channel)(void *ctx, struct px_err *err, struct px_buf *out,
			       const struct ibc_channel *chan);
	bool (*decode_channel)(void *ctx, struct px_err *err, struct ibc_channel *out,
			       const uint8_t *buf, size_t len);

	/* Optional (NULL when absent): OpenTry/OpenAck verify the
	 * counterparty's client of this chain only when the message carries
	 * the proofs and these are set. validate_self_client checks that the
	 * encoded client state (an Any) describes this chain correctly;
	 * self_consensus_state appends the encoding (an Any) of this chain's
	 * own consensus state at height. */
	bool (*validate_self_client)(void *ctx, struct px_err *err, const uint8_t *client_state,
				     size_t len);
	bool (*self_consensus_state)(void *ctx, struct px_err *err, struct px_buf *out,
				     struct ibc_height height);

	/* Bank, for ICS-20 (NULL on hosts without transfer). An account never
	 * written has balance zero. escrow_address writes the NUL-terminated
	 * escrow account of a channel into out (at most cap bytes). */
	bool (*get_balance)(void *ctx, struct px_err *err, struct ibc_u256 *out,
			    const char *address, const char *denom);
	bool (*set_balance)(void *ctx, struct px_err *err, const char *address,
			    const char *denom, const struct ibc_u256 *amount);
	bool (*escrow_address)(void *ctx, struct px_err *err, char *out, size_t cap,
			       const char *port_id, const char *channel_id);
};

/* A host is its table and its context; the rules take it by pointer and
 * never keep it. */
struct ibc_host {
	const struct ibc_host_ops *ops;
	void *ctx;
};

/* The connection version this host supports: identifier "1" with the
 * features ORDER_ORDERED and ORDER_UNORDERED (ibc-go's default). */
#define IBC_VERSION_ID "1"
#define IBC_FEATURE_ORDERED "ORDER_ORDERED"
#define IBC_FEATURE_UNORDERED "ORDER_UNORDERED"

#endif
