/* Witnesses of one chain: other RPC nodes of the chain (config key
 * `witnesses`) against which every header the relayer's light client
 * verifies from the primary node is cross-checked before it is used.
 *
 * Where it sits in the data flow: it hangs off the chain's light client
 * (ibcfetch.h, rly_fetch_set_check). Each trace the light client verified
 * is compared, height by height, with each witness's blocks
 * (tm_misbehaviour_check_trace). At the first height where the header
 * hashes differ the witness's block is verified, with bisection over the
 * witness, from the common trusted state:
 *   - it verifies: the chain's validators signed two histories, a light
 *     client attack. The trace is refused (PX_E_CONFLICT), the attack is
 *     kept, and the daemon turns it into a 07-tendermint Misbehaviour for
 *     the counterparty's client of this chain (rly_witness_respond) and
 *     stops relaying over the chain;
 *   - it does not verify: the witness is faulty (it serves junk). It is
 *     logged, counted and dropped; the trace stands.
 * A witness that cannot answer (RPC trouble, or it has not reached the
 * height within the lag allowance) is skipped for that trace with a
 * warning; it is asked again next time.
 *
 * Threading: the loop's thread, outside cmt callbacks (every network call
 * blocks through cmt_client_call_sync). Memory: rly_witness owns its
 * clients and the attack record; everything borrowed is said so. */
#ifndef PX_RELAYER_WITNESS_H
#define PX_RELAYER_WITNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chains/cometbft/client.h"
#include "common/buf.h"
#include "common/errors.h"
#include "common/rfc3339.h"
#include "lightclient/tendermint/bisection.h"
#include "lightclient/tendermint/misbehaviour.h"
#include "relayer/config.h"
#include "relayer/ibcfetch.h"
#include "relayer/metrics.h"
#include "relayer/path.h"

#define RLY_WITNESS_LAG_MS_DEFAULT 10000u	/* how long a witness may lag a height */

/* Counters the witnesses update when given (docs/relaying.md, Witnesses):
 * pontifex_light_client_attacks_total{chain} and
 * pontifex_faulty_witnesses_total{chain}. */
struct rly_witness_metrics {
	struct rly_metric *attacks;
	struct rly_metric *faulty;
};

/* Registers both counters in reg; *out is zeroed on failure. */
bool rly_witness_metrics_register(struct px_err *err, struct rly_witness_metrics *out,
				  struct rly_metrics *reg) PX_MUST_CHECK;

/* What one witness's answer to one trace amounts to. */
enum rly_witness_verdict {
	RLY_WITNESS_AGREES = 0,		/* same hashes at every height */
	RLY_WITNESS_ATTACK = 1,		/* a validly signed conflicting block */
	RLY_WITNESS_FAULTY = 2,		/* a different block that does not verify */
	RLY_WITNESS_UNAVAILABLE = 3,	/* no answer (RPC, I/O): ask again later */
};

const char *rly_witness_verdict_name(enum rly_witness_verdict v);

/* A light client attack: the witness's block and the primary's at the
 * conflicting height, both verified from the relayer's trusted state.
 * Owned; rly_attack_free. */
struct rly_attack {
	char witness[CMT_MAX_URL + 1];
	struct tm_evidence evidence;	/* conflicting_block: the witness's block;
					 * trusted_hash: the primary's header hash */
	struct tm_light_block primary;	/* the primary's block at conflicting_height */
};

void rly_attack_free(struct rly_attack *a);

/* --- pure parts --------------------------------------------------------------- */

/* Checks trace (verified from `from`, the primary's blocks) against the
 * witness provider and says what it amounts to. ATTACK fills *out (owned
 * by the caller; its witness name left empty); FAULTY and UNAVAILABLE
 * leave the reason in *why. Never fails otherwise: a verdict is always
 * given (a block the code cannot handle is the witness's fault). */
enum rly_witness_verdict rly_witness_examine(struct px_err *why, struct rly_attack *out,
					     const struct tm_trusted *from,
					     const struct tm_trace *trace,
					     const struct tm_provider *witness,
					     const struct tm_options *opts, struct px_time now);

/* The Misbehaviour Any (/ibc.lightclients.tendermint.v1.Misbehaviour) for
 * the counterparty's client of chain_id: header 1 the witness's
 * conflicting block, header 2 the primary's, both with trusted height
 * trusted->header.height (a consensus state the counterparty holds) and
 * trusted validators trusted_vals (the set at that height + 1, which must
 * hash to trusted->header.next_validators_hash: PX_E_VALSET_HASH). Each
 * header must carry, in one step, what the counterparty checks: more than
 * the trust level of trusted_vals signed it (PX_E_NOT_ENOUGH_TRUST), more
 * than 2/3 of its own set. The two blocks must be of one height above
 * trusted (PX_E_HEIGHT) and differ (PX_E_USAGE). Appends to out; on
 * failure out is as it was. */
bool rly_misbehaviour_build(struct px_err *err, struct px_buf *out, const char *chain_id,
			    const struct rly_attack *a, const struct tm_trusted *trusted,
			    const struct tm_validator_set *trusted_vals,
			    const struct tm_options *opts) PX_MUST_CHECK;

/* --- the witnesses of a chain --------------------------------------------------- */

struct rly_witness;

struct rly_witness_opts {
	uint32_t timeout_ms;		/* per request; 0: the client's default */
	uint32_t lag_ms;		/* 0: RLY_WITNESS_LAG_MS_DEFAULT */
	const struct rly_witness_metrics *metrics;	/* optional, borrowed */
};

/* A websocket client per witness of cfg (on loop) and the check hooked
 * into fetch (rly_fetch_set_check). *out is NULL (and nothing hooked)
 * when cfg lists no witnesses. cfg, loop and fetch are borrowed: fetch
 * must be freed (or unhooked) before the witnesses. */
bool rly_witness_attach(struct px_err *err, struct rly_witness **out, struct cmt_loop *loop,
			const struct rly_config_chain *cfg, struct rly_fetch *fetch,
			const struct rly_witness_opts *opts) PX_MUST_CHECK;
void rly_witness_free(struct rly_witness *w);

/* The check itself (the rly_fetch_check_fn; arg: the rly_witness). Once an
 * attack has been found every later trace is refused with PX_E_CONFLICT. */
bool rly_witness_check(void *arg, struct px_err *err, const struct tm_trusted *from,
		       const struct tm_trace *trace);

/* The attack found, or NULL. Borrowed. */
const struct rly_attack *rly_witness_attack(const struct rly_witness *w);
/* Witnesses still asked (faulty ones are dropped). */
size_t rly_witness_live(const struct rly_witness *w);

/* Submits the attack as MsgSubmitMisbehaviour to dst (dst->client_id:
 * dst's client of src's chain) and waits for its block. The trusted
 * height is dst's client's latest height when below the conflicting one,
 * else the highest height below it where dst holds a consensus state and
 * this relayer a verified state. A client already frozen is PX_E_FROZEN
 * and nothing is sent. Logs what it sends and the outcome. */
bool rly_witness_respond(struct rly_witness *w, struct px_err *err, struct rly_end *dst,
			 struct rly_end *src, uint32_t timeout_ms) PX_MUST_CHECK;

#endif
