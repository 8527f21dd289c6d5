/* The relayer's verified view of one source chain: a Tendermint light
 * client fed over the chain's CometBFT websocket client, and everything the
 * relayer takes from that chain to the counterparty built only from what
 * the light client accepted.
 *
 * Where it sits in the data flow (DESIGN.md): it is the "light client A"
 * and "proofs at H -> verify against app hash H+1" boxes. The scheduler
 * asks it for
 *   - verified headers (rly_fetch_update_to: bisection over the network,
 *     then the states are held by a tm_client with a bounded history);
 *   - proofs (rly_fetch_prove: abci_query with prove at H, checked against
 *     the app hash of the verified header H+1, handed out as an ibc-go
 *     MerkleProof with proof height H+1);
 *   - the 07-tendermint material the counterparty's client of this chain
 *     needs: ClientState + ConsensusState Anys for MsgCreateClient, and
 *     Header Anys (one, or a bisection trace) for MsgUpdateClient.
 * Nothing leaves this module that did not pass the light client: a
 * verification failure is returned with its 3xx code and no output.
 *
 * The rly_*_build functions below are the pure halves (no network, no
 * clock): they take verified states and fetched data and check that they
 * belong together before encoding.
 *
 * Threading: the loop's thread, outside cmt callbacks (every network call
 * here blocks through cmt_client_call_sync).
 *
 * Memory: out buffers (struct px_buf) are appended to and owned by the
 * caller; on failure they are left as they were. Returned tm_trusted
 * pointers are borrowed from the light client and stay valid until the
 * next call that updates it. */
#ifndef PX_RELAYER_IBCFETCH_H
#define PX_RELAYER_IBCFETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chains/cometbft/client.h"
#include "common/buf.h"
#include "common/errors.h"
#include "common/rfc3339.h"
#include "ibc/types.h"
#include "lightclient/tendermint/abci.h"
#include "lightclient/tendermint/client.h"
#include "lightclient/tendermint/types.h"
#include "lightclient/tendermint/verify.h"

#define RLY_FETCH_UNBONDING_DEFAULT_NS (504ull * 3600 * 1000000000) /* 21 days */
#define RLY_FETCH_MAX_TRACE 64	/* headers in one update trace */
#define RLY_FETCH_MAX_KEY 4096	/* bytes of a queried key */

typedef struct px_time (*rly_clock_fn)(void *arg);

struct rly_fetch_opts {
	const char *chain_id;		/* required: what the node must be */
	struct tm_options tm;		/* trust level, trusting period, clock drift;
					 * all zero: tm_options_default */
	uint64_t unbonding_ns;		/* ClientState; 0: RLY_FETCH_UNBONDING_DEFAULT_NS */
	uint32_t timeout_ms;		/* per request; 0: the client's default */
	size_t max_fetch;		/* blocks one bisection may fetch; 0: default */
	rly_clock_fn clock;		/* NULL: the system clock */
	void *clock_arg;
};

/* Where trust starts. With on_trust (devnets only) the node's block at
 * height is taken as it is; the caller must log that. Otherwise the block
 * at height must hash to `hash`, which the operator got out of band. */
struct rly_fetch_anchor {
	int64_t height;
	bool on_trust;
	uint8_t hash[TM_HASH_LEN];
};

struct rly_fetch;

/* A checked abci_query: the value (empty when absent), the proof as an
 * ibc-go MerkleProof (ics23:iavl then ics23:simple CommitmentProof) and
 * the height whose app hash it proves against ({revision, query + 1}). */
struct rly_proof {
	bool exists;
	struct px_buf value;
	struct px_buf proof;
	struct ibc_height proof_height;
};

/* Heights and Header Anys of an update trace, increasing, the last at the
 * target; heights[i]'s header trusts heights[i - 1] (the first trusts
 * the counterparty's trusted height). Owned; rly_trace_free. */
struct rly_trace {
	int64_t heights[RLY_FETCH_MAX_TRACE];
	struct px_buf anys[RLY_FETCH_MAX_TRACE];
	size_t len;
};

/* --- the light client over the network ---------------------------------- */

/* Fetches the anchor block, checks its chain id (PX_E_CHAIN_ID), its next
 * validator set, and (unless on_trust) its hash (PX_E_HASH_MISMATCH), and
 * starts a light client on it. *on_trust tells whether trust was taken from
 * the node. c is borrowed and must outlive the result. */
bool rly_fetch_open(struct px_err *err, struct rly_fetch **out, bool *on_trust,
		    struct cmt_client *c, const struct rly_fetch_opts *opts,
		    const struct rly_fetch_anchor *anchor) PX_MUST_CHECK;
void rly_fetch_free(struct rly_fetch *f);

/* The node's latest height less one: the highest height whose light block
 * (which needs the next validator set) every node can serve. */
bool rly_fetch_head(struct px_err *err, int64_t *out, struct rly_fetch *f) PX_MUST_CHECK;

/* Verifies the chain up to height (skipping with bisection from the
 * highest verified state below it) and returns the verified state there.
 * Heights below the oldest held state cannot be verified (PX_E_HEIGHT). */
bool rly_fetch_update_to(struct px_err *err, const struct tm_trusted **out, struct rly_fetch *f,
			 int64_t height) PX_MUST_CHECK;

/* A check of each trace the light client verified (bisection from `from`
 * up to a target), run before its states are held: returning false (err
 * set) refuses the trace, and the update fails with that error. The
 * relayer's witnesses (witness.h) hook in here. NULL fn: none. */
struct tm_trace;
typedef bool (*rly_fetch_check_fn)(void *arg, struct px_err *err, const struct tm_trusted *from,
				   const struct tm_trace *trace);
void rly_fetch_set_check(struct rly_fetch *f, rly_fetch_check_fn fn, void *arg);

/* The held verified state at height, or NULL. */
const struct tm_trusted *rly_fetch_verified(const struct rly_fetch *f, int64_t height);
const struct tm_client *rly_fetch_client(const struct rly_fetch *f);
/* The revision number of the chain id ("name-N": N, else 0). */
uint64_t rly_fetch_revision(const struct rly_fetch *f);

/* abci_query /store/<store>/key with prove at query_height, checked
 * against the verified header query_height + 1 (verified first). */
bool rly_fetch_prove(struct px_err *err, struct rly_proof *out, struct rly_fetch *f,
		     const char *store, const uint8_t *key, size_t key_len,
		     int64_t query_height) PX_MUST_CHECK;

/* ClientState and ConsensusState Anys for MsgCreateClient from the
 * verified header at height (verified first). */
bool rly_fetch_create_client(struct px_err *err, struct px_buf *client_state,
			     struct px_buf *consensus_state, struct rly_fetch *f,
			     int64_t height) PX_MUST_CHECK;

/* One Header Any for MsgUpdateClient: target (verified) on top of the
 * counterparty's trusted height. Fails with the light client's code when
 * the trusted validators do not give enough trust for one step (use
 * rly_fetch_update_trace then). */
bool rly_fetch_update_header(struct px_err *err, struct px_buf *out, struct rly_fetch *f,
			     int64_t trusted_height, int64_t target) PX_MUST_CHECK;

/* The Headers bisection needs from trusted_height to target (one when a
 * single step is enough). On failure out is empty. */
bool rly_fetch_update_trace(struct px_err *err, struct rly_trace *out, struct rly_fetch *f,
			    int64_t trusted_height, int64_t target) PX_MUST_CHECK;

/* The same two, for a counterparty whose trusted height may be below
 * every state this light client holds: then its block there is taken
 * from the node and must match cs, the counterparty client's consensus
 * state at trusted_height (which the caller read with a proof), else
 * PX_E_CONFLICT. cs NULL: as above (PX_E_HEIGHT below every state). */
bool rly_fetch_update_header_from(struct px_err *err, struct px_buf *out, struct rly_fetch *f,
				  int64_t trusted_height, const struct ibc_tm_consensus_state *cs,
				  int64_t target) PX_MUST_CHECK;
bool rly_fetch_update_trace_from(struct px_err *err, struct rly_trace *out, struct rly_fetch *f,
				 int64_t trusted_height, const struct ibc_tm_consensus_state *cs,
				 int64_t target) PX_MUST_CHECK;

void rly_proof_free(struct rly_proof *p);
void rly_trace_free(struct rly_trace *t);

/* --- pure parts ----------------------------------------------------------- */

/* Checks the parsed abci_query reply `response` (tm_abci_response_from_json)
 * for store/key at query_height against the verified header
 * query_height + 1 and fills out. revision: the proof height's. */
bool rly_proof_build(struct px_err *err, struct rly_proof *out,
		     const struct tm_abci_response *response, const struct tm_header *verified_next,
		     const char *store, const uint8_t *key, size_t key_len, int64_t query_height,
		     uint64_t revision) PX_MUST_CHECK;

/* ClientState and ConsensusState Anys for a verified header (opts gives the
 * chain id that header must carry and the parameters). */
bool rly_create_client_build(struct px_err *err, struct px_buf *client_state,
			     struct px_buf *consensus_state, const struct tm_header *verified,
			     const struct rly_fetch_opts *opts) PX_MUST_CHECK;

/* A Header Any: `block` (fetched: signed header + its validator set) must be
 * the verified `target` (same hash, a commit for it signed by more than 2/3
 * of its set, the set hashing to validators_hash), `trusted_vals` (the set
 * at trusted height + 1) must hash to trusted->header.next_validators_hash
 * (PX_E_VALSET_HASH), both on chain_id (PX_E_CHAIN_ID), trusted below
 * target (PX_E_HEIGHT). The proposers are chosen as CometBFT does (the
 * block's proposer_address for its own set). */
bool rly_update_header_build(struct px_err *err, struct px_buf *out, const char *chain_id,
			     const struct tm_trusted *target, const struct tm_light_block *block,
			     const struct tm_trusted *trusted,
			     const struct tm_validator_set *trusted_vals) PX_MUST_CHECK;

#endif
