/* The packet relaying engine behind `pontifex start`: the "watcher",
 * "scheduler", "build batch" and "confirm tx" boxes of the relayer data
 * flow (DESIGN.md, docs/relaying.md).
 *
 *   chain events ──► rly_watch (per chain, inside cmt callbacks: parse and
 *                    queue whole heights) ──► journal (packets, acks and the
 *                    chain's cursor in one transaction per height)
 *   journal ──claim──► rly_plan_action (per packet: what next, from the
 *                    journal state and proven facts) ──► batches of at most
 *                    max_msgs: client updates + MsgRecvPacket /
 *                    MsgAcknowledgement / MsgTimeout ──► submit, journal
 *                    *_submitted with the tx hash, wait, journal the result
 *
 * Two halves: the pure one (event parsing, height assembly, decisions,
 * batch sizes; relay_plan.c, no network, unit-tested) and the engine
 * (relay.c), which drives chains through relayer/path.h.
 *
 * Threading: the loop's thread. rly_watch_event is the only function that
 * runs inside a cmt callback; it never blocks and never touches the
 * journal. */
#ifndef PX_RELAYER_RELAY_H
#define PX_RELAYER_RELAY_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "chains/cometbft/client.h"
#include "common/buf.h"
#include "common/errors.h"
#include "ibc/types.h"
#include "relayer/config.h"
#include "relayer/ibcquery.h"
#include "relayer/journal.h"

#define RLY_EV_ACK_MAX (64u << 10)	/* bytes of one acknowledgement we relay */

/* --- events --------------------------------------------------------------- */

enum rly_ev_kind {
	RLY_EV_OTHER = 0,	/* not a packet event the relayer acts on */
	RLY_EV_SEND,		/* send_packet */
	RLY_EV_WRITE_ACK,	/* write_acknowledgement */
};

/* One ABCI event as the relayer reads it. packet.data borrows data. */
struct rly_ev {
	enum rly_ev_kind kind;
	struct ibc_packet packet;
	struct px_buf data;	/* owned: packet_data_hex decoded */
	struct px_buf ack;	/* owned: packet_ack_hex decoded (WRITE_ACK) */
};

/* Parses an event {type, attributes: [{key, value}...]}. Types other than
 * send_packet and write_acknowledgement give kind OTHER and true. For
 * those two every packet attribute must be present exactly once and well
 * formed (identifiers as ICS-24, sequence > 0, timeout height "R-H",
 * decimal timestamp, hex data and ack, a timeout set): PX_E_MALFORMED
 * naming the attribute otherwise, with *out freed. */
bool rly_ev_parse(struct px_err *err, struct rly_ev *out, const json_t *event) PX_MUST_CHECK;
void rly_ev_free(struct rly_ev *ev);

/* The ids of one configured path, as the watcher matches events: side 0
 * is the path's a, side 1 its b. Strings borrowed. */
struct rly_route {
	const char *name;
	const char *chain[2];
	const char *port[2];
	const char *channel[2];
};

/* What one chain's heights held for the journal, oldest first. A run of
 * heights with nothing in them is folded into one entry (the cursor moves
 * to the last). Everything is owned by the entry. */
struct rly_height {
	struct rly_height *next;
	uint64_t height;
	struct rly_packet_sent *sent;
	size_t n_sent, cap_sent;
	struct rly_packet_ack *acks;
	size_t n_acks, cap_acks;
};
void rly_height_free(struct rly_height *h);

/* The watcher of one chain: turns its event stream into rly_height
 * entries. routes and cfg (for the packet filter; NULL: no filter) are
 * borrowed. */
struct rly_watch {
	const char *chain_id;
	const struct rly_route *routes;
	size_t n_routes;
	const struct rly_config *cfg;
	struct rly_height *cur;		/* the height being assembled */
	size_t cur_ntx, cur_seen;
	struct rly_height *head, *tail;	/* complete, for the journal */
	size_t queued;
	uint64_t malformed;		/* packet events refused */
	uint64_t failed_tx;		/* transactions skipped (code != 0) */
	bool oom;			/* a height was lost to memory: stop */
};

void rly_watch_init(struct rly_watch *w, const char *chain_id, const struct rly_route *routes,
		    size_t n_routes, const struct rly_config *cfg);
/* The cmt event callback's body (arg: the watch). */
void rly_watch_event(void *arg, const struct cmt_event *ev);
/* The oldest complete entry (the caller frees it), or NULL. */
struct rly_height *rly_watch_pop(struct rly_watch *w);
void rly_watch_free(struct rly_watch *w);

/* Matches one parsed event of chain_id against the routes and appends to
 * h what the journal must keep. False only when out of memory. */
bool rly_watch_take(struct rly_height *h, const char *chain_id, const struct rly_route *routes,
		    size_t n_routes, const struct rly_config *cfg, const struct rly_ev *ev,
		    uint64_t height) PX_MUST_CHECK;

/* --- decisions ------------------------------------------------------------ */

/* What the engine proved (or read from the journal) about one packet
 * before deciding. */
struct rly_facts {
	bool received;		/* the destination holds its receipt (proven) */
	bool committed;		/* the source still holds its commitment (proven;
				 * asked only for received / ack_submitted) */
	bool has_ack;		/* the journal holds the acknowledgement bytes */
	bool timed_out;		/* at the destination's latest verified header */
	bool near_timeout;	/* would be within the safety margin by inclusion */
	bool fresh;		/* submitted recently: its tx may still land */
};

enum rly_action {
	RLY_ACT_WAIT = 0,	/* nothing to do now; look again later */
	RLY_ACT_RECV,		/* MsgRecvPacket on the destination */
	RLY_ACT_ACK,		/* MsgAcknowledgement on the source */
	RLY_ACT_TIMEOUT,	/* MsgTimeout on the source */
	RLY_ACT_MARK_RECEIVED,	/* journal only: someone delivered it */
	RLY_ACT_MARK_ACKED,	/* journal only: the commitment is gone */
	RLY_ACT_NONE,		/* a final state */
};

const char *rly_action_name(enum rly_action a);
enum rly_action rly_plan_action(enum rly_packet_state state, const struct rly_facts *f);

/* Timed out at the destination's (revision, height, time): ibc-go's rule
 * (ibc_packet_timed_out) on the journal's packet fields. */
bool rly_plan_timed_out(const struct rly_packet_sent *p, uint64_t revision, uint64_t height,
			uint64_t time_ns);

/* How many packet messages to put next to n_update client-update messages
 * in one transaction of at most max_msgs (1..RLY_CONFIG_MAX_MSGS_MAX):
 * min(n_pending, max_msgs - n_update), or 0 when the updates fill the
 * transaction (they then go alone). */
size_t rly_plan_batch(size_t n_pending, size_t n_update, size_t max_msgs);

/* Whether a *_submitted packet counts as fresh: submitted less than
 * window_ms before now. */
bool rly_plan_fresh(enum rly_packet_state state, int64_t updated_ms, int64_t now_ms,
		    int64_t window_ms);

/* The freshness of a counterparty client (config `refresh`): its latest
 * consensus state's time, its trusting period (both from the client) and
 * now, in ns since the epoch; refresh_num/refresh_den of the trusting
 * period (refresh_num 0: `off`). */
struct rly_refresh_verdict {
	bool refresh;		/* older than refresh x period: update it alone */
	bool low;		/* less than a third of the period is left */
	bool expired;		/* the period is over: it cannot be updated */
	uint64_t left_ns;	/* of the trusting period (0 once expired) */
};

void rly_plan_refresh(struct rly_refresh_verdict *out, uint64_t cs_time_ns,
		      uint64_t trusting_ns, uint64_t refresh_num, uint64_t refresh_den,
		      uint64_t now_ns);

/* --- clearing (relay_clear.c) -------------------------------------------- */

/* What the chains said was pending on one direction of a path when it was
 * cleared, and what clearing put into the journal for it. */
struct rly_clear_dir {
	char src_chain[RLY_JOURNAL_CHAIN_MAX + 1];
	char src_port[RLY_JOURNAL_PORT_MAX + 1];
	char src_channel[RLY_JOURNAL_CHANNEL_MAX + 1];
	char dst_chain[RLY_JOURNAL_CHAIN_MAX + 1];
	char dst_port[RLY_JOURNAL_PORT_MAX + 1];
	char dst_channel[RLY_JOURNAL_CHANNEL_MAX + 1];
	bool filtered;		/* packet_filter refuses the channel: skipped */
	size_t commitments;	/* packet commitments on the source */
	size_t unreceived;	/* of them not received on the destination */
	size_t unacked;		/* received, acknowledged, ack not back yet */
	size_t journalled;	/* packets added to the journal (from tx_search) */
	size_t acks_journalled;	/* acknowledgements added to the journal */
	size_t missing;		/* pending, but the node's tx index lacks the event */
	struct rly_ibcq_seqs seqs; /* unreceived and unacked, sorted, owned */
};

/* What `clear packets` reports: the first clearing of the path, both
 * directions (0: a -> b, 1: b -> a). */
struct rly_clear_report {
	const char *path;	/* borrowed from the config */
	struct rly_clear_dir dir[2];
	size_t rounds;		/* clearings it took until nothing was pending */
};
void rly_clear_report_free(struct rly_clear_report *rep);

/* tx_search queries, checked and built: the send_packet event of a packet
 * on the source (by source port, channel and sequence) or the
 * write_acknowledgement event of it on the destination (by destination
 * port, channel and sequence). Ids must be ICS-24 identifiers (they go
 * between quotes): PX_E_USAGE otherwise, or when cap is too small. */
bool rly_clear_query_send(struct px_err *err, char *out, size_t cap, const char *port,
			  const char *channel, uint64_t sequence) PX_MUST_CHECK;
bool rly_clear_query_ack(struct px_err *err, char *out, size_t cap, const char *port,
			 const char *channel, uint64_t sequence) PX_MUST_CHECK;

/* What a tx_search answer holds for one packet. want names it: for SEND
 * its source port/channel and sequence plus its destination port/channel,
 * for WRITE_ACK the same (the ack's event carries the whole packet).
 * Only transactions with code 0 count. The event found must match the
 * commitment the chain stores (commitment: the v1 packet commitment for
 * SEND, sha256(ack) for WRITE_ACK, IBC_COMMITMENT_LEN bytes): then *out
 * holds it (the caller frees it with rly_ev_free), *height its block and
 * *found is true. No matching event: *found false, true returned. Events
 * that name the packet but do not match the commitment, with none that
 * does: PX_E_VALUE_MISMATCH (the node's index is not to be trusted). A
 * malformed answer: PX_E_MALFORMED. */
bool rly_clear_pick(struct px_err *err, struct rly_ev *out, uint64_t *height, bool *found,
		    const json_t *result, enum rly_ev_kind kind, const struct ibc_packet *want,
		    const uint8_t *commitment, size_t commitment_len) PX_MUST_CHECK;

/* Sorted, duplicate-free union of two sequence lists into out (owned;
 * out's old contents are freed). False only when out of memory. */
bool rly_clear_seqs_union(struct rly_ibcq_seqs *out, const uint64_t *a, size_t na,
			  const uint64_t *b, size_t nb) PX_MUST_CHECK;

/* Whether clearing is due: interval (blocks, 0 = never) since the heights
 * of the last clearing, for either chain of a path. */
bool rly_clear_due(uint64_t interval, const int64_t last[2], const int64_t head[2]);

/* --- the engine ------------------------------------------------------------ */

struct rly_relay_opts {
	const struct rly_config *cfg;		/* borrowed */
	struct rly_journal *journal;		/* borrowed, open */
	const char *home;			/* keys/ */
	const char *path;			/* one path by name; NULL: all */
	const volatile sig_atomic_t *stop;	/* set by a signal handler */
	uint32_t connect_timeout_ms;		/* 0: 30000 */
	uint32_t tx_timeout_ms;			/* inclusion wait; 0: 30000 */
	/* `clear packets`: with clear set, the path (o->path) is cleared,
	 * relayed, and cleared again until the chains show nothing pending
	 * on it (true), or clear_timeout_ms (0: 300000) passes (PX_E_RPC).
	 * The chains are not followed (no events, cursors untouched) and
	 * nothing is created. clear->path is set; the caller frees it with
	 * rly_clear_report_free. */
	struct rly_clear_report *clear;
	uint32_t clear_timeout_ms;
};

/* Runs until *stop. A path whose config says "create" gets its ids from
 * the journal (table paths) or, when the journal has none, has them made
 * (clients, connection, channel) and recorded there, with the lines to
 * put into config.yaml logged; an id in the config that disagrees with
 * the journal is PX_E_CONFIG. Every path is cleared (what the chains say
 * is pending goes into the journal) at start and every clear_interval
 * blocks. A header or proof
 * that fails verification halts its path (logged with the 3xx code);
 * when no path is left running it returns false with that code. Chains
 * that cannot be reached at start: PX_E_RPC. RPC trouble later is logged
 * and retried with backoff. The journal's claims are released on return. */
bool rly_relay_run(struct px_err *err, const struct rly_relay_opts *o) PX_MUST_CHECK;

#endif
