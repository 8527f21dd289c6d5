/* A Tendermint light client: the trusted states it has verified (a bounded
 * history by height), its options, and whether misbehaviour froze it.
 *
 * Updates verify each block from the highest trusted state below it, then
 * look for misbehaviour against the states already held (a different
 * header at a held height; a time out of order with a held later block).
 * Misbehaviour freezes the client and keeps the evidence; a frozen client
 * refuses every verification with PX_E_FROZEN. Membership proofs are
 * checked against the app hash of a held state (the abci proof chain).
 *
 * The same client behind the generic interface: tm_lc_new / tm_lc_ops. */
#ifndef PX_LIGHTCLIENT_TENDERMINT_CLIENT_H
#define PX_LIGHTCLIENT_TENDERMINT_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/errors.h"
#include "common/rfc3339.h"
#include "lightclient/lc.h"
#include "lightclient/tendermint/misbehaviour.h"
#include "lightclient/tendermint/types.h"
#include "lightclient/tendermint/verify.h"

#define TM_CLIENT_MAX_STATES 32	/* held trusted states; the oldest go first */

enum tm_status {
	TM_STATUS_ACTIVE = 0,
	TM_STATUS_EXPIRED = 1,
	TM_STATUS_FROZEN = 2,
};

struct tm_client {
	struct tm_options opts;
	struct tm_trusted states[TM_CLIENT_MAX_STATES];	/* by height, owned */
	size_t nstates;
	bool frozen;
	struct tm_evidence evidence;	/* what froze it; kind NONE otherwise */
};

/* Starts from an anchor (copied) with checked options. */
bool tm_client_init(struct px_err *err, struct tm_client *c, const struct tm_trusted *anchor,
		    const struct tm_options *opts) PX_MUST_CHECK;
void tm_client_free(struct tm_client *c);

/* Frozen, else expired when the latest state is outside the trusting
 * period at now, else active. */
enum tm_status tm_client_status(const struct tm_client *c, struct px_time now);
const char *tm_status_name(enum tm_status s);

const struct tm_trusted *tm_client_latest(const struct tm_client *c);
const struct tm_trusted *tm_client_state_at(const struct tm_client *c, int64_t height);

/* Verifies blocks[0..n) in order (a trace, increasing heights), each from
 * the highest held state below it, and holds each one. A block already
 * held with the same hash is accepted as it is. Misbehaviour found on the
 * way freezes the client: false with PX_E_CONFLICT (evidence in
 * c->evidence). */
bool tm_client_update(struct px_err *err, struct tm_client *c, const struct tm_light_block *blocks,
		      size_t n, struct px_time now) PX_MUST_CHECK;

/* Two blocks submitted as misbehaviour, verified from the highest held
 * state below both. Found (out->kind not NONE): the client is frozen and
 * keeps a copy. out may be NULL. */
bool tm_client_check_misbehaviour(struct px_err *err, struct tm_client *c, struct tm_evidence *out,
				  const struct tm_light_block *a, const struct tm_light_block *b,
				  struct px_time now) PX_MUST_CHECK;

/* The abci proof chain (tm_abci_verify) against the app hash of the held
 * state at height: for a response at height H, pass H + 1. value_len 0
 * proves absence. */
bool tm_client_verify_abci(struct px_err *err, const struct tm_client *c, int64_t height,
			   const uint8_t *store, size_t store_len, const uint8_t *key,
			   size_t key_len, const uint8_t *value, size_t value_len,
			   const uint8_t *iavl_proof, size_t iavl_len, const uint8_t *simple_proof,
			   size_t simple_len, struct px_time now) PX_MUST_CHECK;

/* --- the generic interface --------------------------------------------- */

#define TM_LC_CLIENT_TYPE "07-tendermint"
#define TM_LC_MSG_HEADER "07-tendermint/header"		/* body: struct tm_lc_header */
#define TM_LC_MSG_MISBEHAVIOUR "07-tendermint/misbehaviour"	/* body: struct tm_lc_misbehaviour */

struct tm_lc_header {
	const struct tm_light_block *blocks;	/* a trace, increasing heights */
	size_t len;
};

struct tm_lc_misbehaviour {
	const struct tm_light_block *a;
	const struct tm_light_block *b;
};

extern const struct lc_ops tm_lc_ops;

/* A generic client over a new tm_client (membership: proof is an IBC
 * MerkleProof of two CommitmentProofs, path is {store, key}). */
bool tm_lc_new(struct px_err *err, struct lc_client *out, const struct tm_trusted *anchor,
	       const struct tm_options *opts) PX_MUST_CHECK;

/* The revision number IBC reads from a chain id "name-N" (0 otherwise). */
uint64_t tm_chain_id_revision(const char *chain_id);

#endif
