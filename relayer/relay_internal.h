/* Internal to the relaying engine (relay.c, relay_batch.c): its state and
 * the functions the two files share. Not a public header. */
#ifndef PX_RELAYER_RELAY_INTERNAL_H
#define PX_RELAYER_RELAY_INTERNAL_H

#include "relayer/path.h"
#include "relayer/relay.h"

#define MOD "relay"
#define CLAIM_MAX 256			/* packets one phase looks at */
#define LEASE_MS 300000			/* a claim outlives any phase */
#define FRESH_MS 20000			/* a submitted tx may still land */
#define MARGIN_BLOCKS 3			/* a recv must land this far before */
#define MARGIN_NS 10000000000ull	/* ... the timeout height / time */
#define BACKOFF_MIN_MS 500
#define BACKOFF_MAX_MS 30000
#define IDLE_ROUND_MS 1000		/* look at the journal at least this often */
/* A counterparty client further behind than this is updated even without
 * packets: an update must start from a height the relayer's own light
 * client still holds (TM_CLIENT_MAX_STATES), or it cannot be built. */
#define REFRESH_BLOCKS 10

struct r_chain {
	struct rly_chain c;		/* its address is held by its client */
	struct rly_watch w;
	bool open;
	bool announced;
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

#endif
