/* Internal to the relaying engine (relay.c, relay_batch.c): its state and
 * the functions the two files share. Not a public header. */
#ifndef PX_RELAYER_RELAY_INTERNAL_H
#define PX_RELAYER_RELAY_INTERNAL_H

#include "relayer/path.h"
#include "relayer/relay.h"
#include "relayer/witness.h"

#define MOD "relay"
#define CLAIM_MAX 256			/* packets one phase looks at */
#define LEASE_MS 300000			/* a claim outlives any phase */
#define FRESH_MS 20000			/* a submitted tx may still land */
#define MARGIN_BLOCKS 3			/* a recv must land this far before */
#define MARGIN_NS 10000000000ull	/* ... the timeout height / time */
#define BACKOFF_MIN_MS 500
#define BACKOFF_MAX_MS 30000
#define IDLE_ROUND_MS 1000		/* look at the journal at least this often */

struct r_chain {
	struct rly_chain c;		/* its address is held by its client */
	struct rly_watch w;
	struct rly_witness *wit;	/* owned; NULL: no witnesses configured */
	bool attack_done;		/* its witnesses' attack was acted on */
	bool open;
	bool announced;
	uint64_t cursor;		/* the journal's at start; 0: none */
	struct relay_progress *prog;	/* owned; NULL: no backfill being shown */
};

struct r_path {
	const struct rly_config_path *cfg;
	struct rly_path p;
	struct rly_route route;
	bool halted;
	int64_t retry_at;
	uint32_t backoff_ms;
	size_t limit;			/* packets per batch; 1 after a failed batch */
	size_t solo;			/* packets still to send alone */
	bool spoiled;			/* the last failure was a refused batch */
	int64_t client_h[2];		/* a's client of b, b's of a; 0: unknown */
	uint64_t client_t[2];		/* time of its latest consensus state (ns); 0: unknown */
	uint64_t client_tp[2];		/* its trusting period (ns); 0: unknown */
	bool client_low[2];		/* "little of its period left" was logged */
	bool client_expired[2];		/* "expired" was logged */
	int64_t clear_h[2];		/* a's and b's heights at the last clearing */
	int64_t clear_from[2];		/* the first waits for the watchers to reach these */
	int64_t clear_retry_at;		/* after a failed clearing (monotonic ms) */
	bool cleared;			/* the start-up clearing is done */
};

struct relay {
	const struct rly_relay_opts *o;
	struct rly_journal *j;
	struct cmt_loop *loop;
	struct r_chain *chains;
	size_t n_chains;
	struct r_path *paths;
	struct rly_route *routes;
	size_t n_paths;
	char owner[RLY_JOURNAL_OWNER_MAX + 1];
	size_t max_msgs;
	struct px_err fatal;		/* journal trouble: stop everything */
	struct px_err halt;		/* the last verification failure */
	int64_t clear_next_ms;		/* `clear packets`: the next clearing */
	int64_t clear_deadline_ms;	/* ... and when to give up */
	struct relay_obs *obs;		/* metrics and endpoints; NULL: none */
};

/* One packet being worked on. */
struct item {
	struct rly_packet_record rec;
	struct ibc_packet pkt;		/* data borrows data */
	struct px_buf data, ack;
	uint64_t ack_height;
};

#define PROVE_COMMITMENT 0
#define PROVE_RECEIPT 1
#define PROVE_ACK 2

/* relay.c */
int64_t relay_mono_ms(void);
bool relay_stopping(const struct relay *r);
bool relay_move(struct relay *r, const struct rly_packet_key *k, enum rly_packet_state to,
		const char *tx, uint64_t height, const char *reason);
bool relay_move_submitted(struct relay *r, struct item *it, enum rly_packet_state to,
			  const char *tx);
void relay_fail_packet(struct relay *r, struct item *it, const char *why);

/* relay_batch.c: proofs and transactions */
bool relay_prove(struct px_err *err, struct rly_proof *out, struct rly_end *e, int which,
		 const struct ibc_packet *p, int64_t version) PX_MUST_CHECK;
bool relay_header_time(struct px_err *err, uint64_t *out, struct rly_end *e,
		       int64_t height) PX_MUST_CHECK;
bool relay_submit_updates(struct relay *r, struct px_err *err, struct r_path *rp,
			  struct rly_end *dst, struct rly_msgs *m, int64_t version) PX_MUST_CHECK;
bool relay_send_recvs(struct relay *r, struct px_err *err, struct r_path *rp,
		      struct rly_end *src, struct rly_end *dst, struct item **its,
		      size_t n) PX_MUST_CHECK;
bool relay_send_timeouts(struct relay *r, struct px_err *err, struct r_path *rp,
			 struct rly_end *src, struct rly_end *dst, struct item **its, size_t n,
			 int64_t min_v) PX_MUST_CHECK;
bool relay_send_acks(struct relay *r, struct px_err *err, struct r_path *rp,
		     struct rly_end *src, struct rly_end *dst, struct item **its,
		     size_t n) PX_MUST_CHECK;

/* relay_progress.c: the backfill of a long backlog at start-up, shown on
 * stderr (one rewritten line on a terminal, log lines otherwise). */
struct relay_progress;
/* After setup: starts showing the chains whose journal cursor is more
 * than a few blocks behind the node's head. */
void relay_progress_start(struct relay *r);
/* drain wrote ch's height with `found` new packets and acks. */
void relay_progress_height(struct relay *r, struct r_chain *ch, uint64_t height, size_t found);
/* Before the chains are closed: ends the terminal line, frees. */
void relay_progress_stop(struct relay *r);

/* relay_clear.c: the ids of "create" paths, and clearing */
/* Fills rp->p's empty ids (config "create") from the journal, or makes
 * them (handshakes) and records them; points rt's channels at the ids. */
bool relay_ends_resolve(struct relay *r, struct px_err *err, struct r_path *rp,
			struct rly_route *rt) PX_MUST_CHECK;
/* Prepares the start-up clearing of every path: it runs from
 * relay_clear_tick once the watchers have caught up with the heads the
 * chains had now (at once on a fresh journal). False only when
 * everything must stop (err set). */
bool relay_clear_start(struct relay *r, struct px_err *err) PX_MUST_CHECK;
/* Once per loop turn: clears the paths that are due (clear_interval
 * blocks); for `clear packets`, *done once nothing is pending. False when
 * everything must stop (err set). */
bool relay_clear_tick(struct relay *r, struct px_err *err, bool *done) PX_MUST_CHECK;

/* relay_metrics.c: the metrics and the /metrics, /status, /packets
 * listeners (docs/metrics.md). Every hook does nothing without them. */
/* Registers the metrics and starts the listeners of the config's
 * `telemetry` and `status` addresses on r->loop (none for `clear
 * packets`). PX_E_CONFIG for a bad address, PX_E_IO when it cannot be
 * bound. */
bool relay_obs_start(struct relay *r, struct px_err *err) PX_MUST_CHECK;
/* Before r->chains are closed and r->loop is freed. */
void relay_obs_stop(struct relay *r);
/* Once per round: backlog, journal size, reconnects, balances. */
void relay_obs_round(struct relay *r);
/* True when /metrics or /status is being served (the daemon then stays
 * up after every path halted, so that the halt can be seen there). */
bool relay_obs_serving(const struct relay *r);
/* The witness counters (light-client attacks, faulty witnesses) in the
 * registry, for rly_witness_attach; NULL without metrics. */
struct rly_witness_metrics;
const struct rly_witness_metrics *relay_obs_witness_metrics(const struct relay *r);
/* A packet of rp reached `done` (received, acked, timed_out) through a
 * transaction of this relayer that succeeded. */
void relay_obs_relayed(struct relay *r, const struct r_path *rp, enum rly_packet_state done);
/* A path halted on err (its reason in /status). */
void relay_obs_halted(struct relay *r, const struct r_path *rp, const struct px_err *err);

enum relay_tx_event {
	RELAY_TX_REFUSED,	/* not broadcast, or refused by simulation / CheckTx */
	RELAY_TX_SENT,		/* CheckTx accepted it */
	RELAY_TX_INCLUDED,	/* in a block, code 0 */
	RELAY_TX_FAILED,	/* in a block, code != 0 */
	RELAY_TX_LOST,		/* not seen in a block in time */
};
/* t0_ms: relay_mono_ms() when submitting began (latency). */
void relay_obs_tx(struct relay *r, const struct rly_chain *c, enum relay_tx_event ev,
		  int64_t t0_ms);

/* Light-client calls: the heights each chain's light client holds before
 * a call, so that the end counts the new ones as verified headers and a
 * 3xx failure against a (the chain whose data was checked). */
struct relay_lc_mark {
	const struct rly_chain *c[2];
	int64_t h[2][TM_CLIENT_MAX_STATES];
	size_t n[2];
};
void relay_lc_begin(struct relay_lc_mark *mk, const struct rly_chain *a,
		    const struct rly_chain *b);
void relay_lc_end(const struct relay_lc_mark *mk, bool ok, const struct px_err *err);
/* rly_path_update_msgs and rly_end_client_height, counted. */
bool relay_update_msgs(struct px_err *err, struct rly_msgs *m, int64_t *version,
		       struct rly_end *dst, struct rly_end *src, int64_t min_version) PX_MUST_CHECK;
bool relay_client_height(struct px_err *err, struct ibc_height *out,
			 struct rly_end *dst) PX_MUST_CHECK;

#endif
