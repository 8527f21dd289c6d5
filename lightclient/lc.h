/* The generic light-client interface (DESIGN.md): one table of operations
 * per client type over an opaque client, modelled on the IBC light-client
 * module. The relayer and the devnet's IBC host see only this table; each
 * client (Tendermint, Ethereum, ...) fills it with its own functions and
 * decides what its messages and proofs are.
 *
 * Every operation takes the time as an argument (this layer never reads
 * the clock). A frozen client refuses every verification with
 * PX_E_FROZEN. Results that must be checked are marked. */
#ifndef PX_LIGHTCLIENT_LC_H
#define PX_LIGHTCLIENT_LC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/errors.h"
#include "common/rfc3339.h"

enum lc_status {
	LC_STATUS_ACTIVE = 0,
	LC_STATUS_EXPIRED = 1,
	LC_STATUS_FROZEN = 2,
};

/* An IBC height: revision (from the chain id, 0 when it has none) and
 * height within the revision. */
struct lc_height {
	uint64_t revision;
	uint64_t height;
};

/* A message for a client, of that client's own kind: `type` names it
 * ("07-tendermint/header", ...) and each client refuses types it does not
 * know with PX_E_USAGE. `body` is borrowed for the call. */
struct lc_message {
	const char *type;
	const void *body;
};

/* A consensus state a verified header produced, in the terms every client
 * shares: where, when, the commitment root for proofs, the block hash. */
#define LC_ROOT_MAX 64
struct lc_consensus {
	struct lc_height height;
	struct px_time time;
	uint8_t root[LC_ROOT_MAX];
	size_t root_len;
	uint8_t hash[32];
};

/* What check_misbehaviour found. */
struct lc_misbehaviour {
	bool found;
	const char *kind;		/* static string, e.g. "conflicting_headers" */
	struct lc_height common;	/* trusted height both sides verified from */
	struct lc_height height;	/* the conflicting height */
	uint8_t trusted_hash[32];
	uint8_t conflicting_hash[32];
};

struct lc_ops {
	const char *client_type;	/* "07-tendermint", ... */
	/* Verifies a header message against trusted state; out is the newest
	 * consensus state it produced. */
	bool (*verify_header)(void *client, struct px_err *err, struct lc_consensus *out,
			      const struct lc_message *msg, struct px_time now);
	/* proof proves that path (its components, e.g. store then key) holds
	 * value under the root of the consensus state at height. */
	bool (*verify_membership)(void *client, struct px_err *err, struct lc_height height,
				  const uint8_t *proof, size_t proof_len, const struct px_slice *path,
				  size_t path_len, const uint8_t *value, size_t value_len,
				  struct px_time now);
	bool (*verify_non_membership)(void *client, struct px_err *err, struct lc_height height,
				      const uint8_t *proof, size_t proof_len,
				      const struct px_slice *path, size_t path_len,
				      struct px_time now);
	/* True with out->found when msg proves misbehaviour (the client is then
	 * frozen); true with !found when it does not; false when msg does not
	 * verify. */
	bool (*check_misbehaviour)(void *client, struct px_err *err, struct lc_misbehaviour *out,
				   const struct lc_message *msg, struct px_time now);
	enum lc_status (*status)(const void *client, struct px_time now);
	void (*free)(void *client);
};

/* A client: its operations and its state (owned, released by free). */
struct lc_client {
	const struct lc_ops *ops;
	void *impl;
};

static inline const char *lc_status_name(enum lc_status s)
{
	switch (s) {
	case LC_STATUS_ACTIVE: return "active";
	case LC_STATUS_EXPIRED: return "expired";
	case LC_STATUS_FROZEN: return "frozen";
	}
	return "unknown";
}

PX_MUST_CHECK static inline bool lc_verify_header(struct lc_client *c, struct px_err *err,
						  struct lc_consensus *out,
						  const struct lc_message *msg, struct px_time now)
{
	return c->ops->verify_header(c->impl, err, out, msg, now);
}

PX_MUST_CHECK static inline bool lc_verify_membership(struct lc_client *c, struct px_err *err,
						      struct lc_height height, const uint8_t *proof,
						      size_t proof_len, const struct px_slice *path,
						      size_t path_len, const uint8_t *value,
						      size_t value_len, struct px_time now)
{
	return c->ops->verify_membership(c->impl, err, height, proof, proof_len, path, path_len,
					 value, value_len, now);
}

PX_MUST_CHECK static inline bool lc_verify_non_membership(struct lc_client *c, struct px_err *err,
							  struct lc_height height,
							  const uint8_t *proof, size_t proof_len,
							  const struct px_slice *path,
							  size_t path_len, struct px_time now)
{
	return c->ops->verify_non_membership(c->impl, err, height, proof, proof_len, path,
					     path_len, now);
}

PX_MUST_CHECK static inline bool lc_check_misbehaviour(struct lc_client *c, struct px_err *err,
						       struct lc_misbehaviour *out,
						       const struct lc_message *msg,
						       struct px_time now)
{
	return c->ops->check_misbehaviour(c->impl, err, out, msg, now);
}

static inline enum lc_status lc_status(const struct lc_client *c, struct px_time now)
{
	return c->ops->status(c->impl, now);
}

static inline void lc_client_free(struct lc_client *c)
{
	if (c->ops && c->impl)
		c->ops->free(c->impl);
	c->ops = NULL;
	c->impl = NULL;
}

#endif
