/* The packet journal: what the relayer knows about every packet it has
 * seen, and how far it has read each chain. The watcher records packets
 * (state `sent`) and the scheduler moves them along
 *
 *   sent -> recv_submitted -> received -> ack_submitted -> acked
 *   sent -> timeout_submitted -> timed_out
 *
 * with `failed` (plus a reason) for packets given up on. Every transition
 * is one storage transaction, checked against the table of allowed
 * transitions (rly_packet_transition_allowed), so a crash leaves each
 * packet in the state of its last committed transition.
 *
 * The journal is a table of operations so that storage can change without
 * touching the scheduler. SQLite (journal_sqlite.c) is the embedded
 * default. A PostgreSQL backend shared by several relayers maps the same
 * operations one to one; claim is the one that needs care there:
 *
 *   UPDATE packets SET claimed_by = $owner, claim_until = $now + $lease
 *    WHERE (src_chain, src_port, src_channel, sequence) IN (
 *          SELECT src_chain, src_port, src_channel, sequence FROM packets
 *           WHERE state IN (<actionable>) AND (claim_until IS NULL OR claim_until < $now)
 *             [AND src_chain = $chain ...]
 *           ORDER BY updated_ms LIMIT $max
 *             FOR UPDATE SKIP LOCKED)
 *   RETURNING *;
 *
 * SKIP LOCKED lets two instances claim at once without waiting on or
 * taking each other's rows, and the lease (claim_until) hands a packet to
 * another instance when its owner dies. SQLite has one writer at a time,
 * so its claim is a plain SELECT + UPDATE inside BEGIN IMMEDIATE.
 *
 * Not thread-safe: the relayer's event loop owns its journal handle. */
#ifndef PX_RELAYER_JOURNAL_H
#define PX_RELAYER_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/errors.h"

#define RLY_JOURNAL_CHAIN_MAX 64
#define RLY_JOURNAL_PORT_MAX 128
#define RLY_JOURNAL_CHANNEL_MAX 64
#define RLY_JOURNAL_TX_MAX 64		/* hex SHA-256 */
#define RLY_JOURNAL_REASON_MAX 200
#define RLY_JOURNAL_OWNER_MAX 64
#define RLY_JOURNAL_DATA_MAX (1u << 20)	/* packet data, as IBC_MAX_PACKET_DATA */
#define RLY_JOURNAL_ACK_MAX (1u << 20)	/* acknowledgement bytes */

enum rly_packet_state {
	RLY_PKT_SENT,
	RLY_PKT_RECV_SUBMITTED,
	RLY_PKT_RECEIVED,
	RLY_PKT_ACK_SUBMITTED,
	RLY_PKT_ACKED,
	RLY_PKT_TIMEOUT_SUBMITTED,
	RLY_PKT_TIMED_OUT,
	RLY_PKT_FAILED,
	RLY_PKT_STATE_COUNT
};

#define RLY_PKT_MASK(s) (1u << (s))
/* States with work left for a relayer (what claim hands out). */
#define RLY_PKT_ACTIONABLE (RLY_PKT_MASK(RLY_PKT_SENT) | RLY_PKT_MASK(RLY_PKT_RECV_SUBMITTED) | \
			    RLY_PKT_MASK(RLY_PKT_RECEIVED) | RLY_PKT_MASK(RLY_PKT_ACK_SUBMITTED) | \
			    RLY_PKT_MASK(RLY_PKT_TIMEOUT_SUBMITTED))
#define RLY_PKT_PENDING RLY_PKT_ACTIONABLE

/* "sent", "recv_submitted", ... (the names stored and printed). */
const char *rly_packet_state_name(enum rly_packet_state s);
/* The state of a name, or -1. */
int rly_packet_state_parse(const char *name);
bool rly_packet_transition_allowed(enum rly_packet_state from, enum rly_packet_state to);

struct rly_packet_key {
	char src_chain[RLY_JOURNAL_CHAIN_MAX + 1];
	char src_port[RLY_JOURNAL_PORT_MAX + 1];
	char src_channel[RLY_JOURNAL_CHANNEL_MAX + 1];
	uint64_t sequence;
};

/* A packet as the watcher first sees it (a send_packet event). */
struct rly_packet_sent {
	struct rly_packet_key key;
	char dst_chain[RLY_JOURNAL_CHAIN_MAX + 1];
	char dst_port[RLY_JOURNAL_PORT_MAX + 1];
	char dst_channel[RLY_JOURNAL_CHANNEL_MAX + 1];
	uint64_t send_height;		/* source height of the send event */
	uint64_t timeout_revision;	/* timeout height: revision number */
	uint64_t timeout_height;	/* and height; 0 0: none */
	uint64_t timeout_timestamp;	/* ns since the epoch; 0: none */
	/* The packet's data (borrowed for the call; may be empty for
	 * callers that only track states). Kept so that the relayer can
	 * build MsgRecvPacket, MsgAcknowledgement and MsgTimeout after a
	 * restart without reading the source chain's history again. */
	const uint8_t *data;
	size_t data_len;
};

/* The acknowledgement the destination wrote for a packet (its
 * write_acknowledgement event). key is the packet's, on the source. It is
 * stored apart from the packet row: the destination's events may be read
 * before the source's (another relayer delivered the packet while this one
 * was behind), and the bytes must not be lost then. */
struct rly_packet_ack {
	struct rly_packet_key key;
	uint64_t height;		/* destination height of the event */
	const uint8_t *ack;		/* borrowed for the call */
	size_t ack_len;			/* 1..RLY_JOURNAL_ACK_MAX */
};

/* A move to another state. tx_hash and height are those of the
 * transaction that caused it (recv, ack or timeout), when there is one:
 * NULL / 0 otherwise. reason is required for `failed`, NULL otherwise. */
struct rly_transition {
	enum rly_packet_state to;
	const char *tx_hash;
	uint64_t height;
	const char *reason;
};

struct rly_packet_record {
	struct rly_packet_sent packet;
	enum rly_packet_state state;
	char reason[RLY_JOURNAL_REASON_MAX + 1];
	char recv_tx[RLY_JOURNAL_TX_MAX + 1];
	uint64_t recv_height;
	char ack_tx[RLY_JOURNAL_TX_MAX + 1];
	uint64_t ack_height;
	char timeout_tx[RLY_JOURNAL_TX_MAX + 1];
	uint64_t timeout_tx_height;
	int64_t created_ms, updated_ms;	/* wall clock, ms since the epoch */
	uint32_t transitions;		/* how many so far */
	char claimed_by[RLY_JOURNAL_OWNER_MAX + 1];
	int64_t claim_until_ms;
};

/* Which packets a query or a claim looks at: NULL strings match anything;
 * state_mask 0 means every state. */
struct rly_packet_filter {
	const char *src_chain;
	const char *src_port;
	const char *src_channel;
	unsigned state_mask;
};

/* Per-channel backlog for metrics: pending packets and the oldest one. */
struct rly_backlog {
	const char *src_chain, *src_port, *src_channel;	/* borrowed for the call */
	uint64_t pending;
	uint64_t oldest_sequence;
};

/* The ids `pontifex start` made for a path whose configuration says
 * "create" (table paths), so that a restart reuses them instead of making
 * new ones. Side 0 is the path's a, side 1 its b; an empty id was not
 * made yet (a handshake stopped half way). */
#define RLY_JOURNAL_PATH_MAX 64		/* path names */
#define RLY_JOURNAL_ID_MAX 128		/* client, connection, channel ids (IBC_ID_MAX) */
struct rly_path_ids {
	char chain[2][RLY_JOURNAL_CHAIN_MAX + 1];
	char port[RLY_JOURNAL_PORT_MAX + 1];
	char client[2][RLY_JOURNAL_ID_MAX + 1];
	char connection[2][RLY_JOURNAL_ID_MAX + 1];
	char channel[2][RLY_JOURNAL_ID_MAX + 1];
};

typedef bool (*rly_packet_fn)(void *arg, const struct rly_packet_record *rec);
typedef bool (*rly_backlog_fn)(void *arg, const struct rly_backlog *b);
typedef int64_t (*rly_journal_clock_fn)(void *arg);

struct rly_journal;

/* One table per backend. Every operation reports failures in err:
 * PX_E_IO storage, PX_E_IBC_NOT_FOUND unknown packet, PX_E_IBC_STATE a
 * refused transition, PX_E_USAGE bad arguments. */
struct rly_journal_ops {
	const char *name;
	void (*close)(struct rly_journal *j);
	bool (*put_sent)(struct rly_journal *j, struct px_err *err, const struct rly_packet_sent *p,
			 size_t n, size_t *inserted);
	bool (*transition)(struct rly_journal *j, struct px_err *err, const struct rly_packet_key *k,
			   const struct rly_transition *t);
	bool (*claim)(struct rly_journal *j, struct px_err *err, const struct rly_packet_filter *f,
		      const char *owner, int64_t lease_ms, struct rly_packet_record *out, size_t cap,
		      size_t *n);
	bool (*release)(struct rly_journal *j, struct px_err *err, const char *owner);
	bool (*cursor_get)(struct rly_journal *j, struct px_err *err, const char *chain,
			   uint64_t *height, bool *found);
	bool (*cursor_set)(struct rly_journal *j, struct px_err *err, const char *chain,
			   uint64_t height);
	bool (*get)(struct rly_journal *j, struct px_err *err, const struct rly_packet_key *k,
		    struct rly_packet_record *out, bool *found);
	bool (*list)(struct rly_journal *j, struct px_err *err, const struct rly_packet_filter *f,
		     uint64_t after_sequence, size_t limit, rly_packet_fn fn, void *arg);
	bool (*counts)(struct rly_journal *j, struct px_err *err, const struct rly_packet_filter *f,
		       uint64_t counts[RLY_PKT_STATE_COUNT]);
	bool (*backlog)(struct rly_journal *j, struct px_err *err, rly_backlog_fn fn, void *arg);
	bool (*record_height)(struct rly_journal *j, struct px_err *err, const char *chain,
			      uint64_t height, const struct rly_packet_sent *sent, size_t n_sent,
			      const struct rly_packet_ack *acks, size_t n_acks, size_t *inserted);
	bool (*payload)(struct rly_journal *j, struct px_err *err, const struct rly_packet_key *k,
			struct px_buf *data, struct px_buf *ack, uint64_t *ack_height, bool *found);
	bool (*path_get)(struct rly_journal *j, struct px_err *err, const char *name,
			 struct rly_path_ids *out, bool *found);
	bool (*path_put)(struct rly_journal *j, struct px_err *err, const char *name,
			 const struct rly_path_ids *ids);
};

/* Backends embed this as their first member. */
struct rly_journal {
	const struct rly_journal_ops *ops;
	rly_journal_clock_fn clock;	/* NULL: the wall clock */
	void *clock_arg;
};

/* Opens (creating when missing) the SQLite journal at path, in WAL mode
 * with synchronous=FULL: a transition that returned true survives a crash
 * or power loss. *out is NULL on failure. */
bool rly_journal_open_sqlite(struct px_err *err, struct rly_journal **out,
			     const char *path) PX_MUST_CHECK;

void rly_journal_close(struct rly_journal *j);

/* Records newly seen packets (state sent) in one transaction; a packet
 * already in the journal is left as it is (events replayed after a restart
 * are harmless). *inserted (may be NULL) counts the new ones. */
bool rly_journal_put_sent(struct rly_journal *j, struct px_err *err,
			  const struct rly_packet_sent *p, size_t n, size_t *inserted) PX_MUST_CHECK;

/* Moves one packet to t->to if the table allows it from its current state,
 * and releases its claim. */
bool rly_journal_transition(struct rly_journal *j, struct px_err *err,
			    const struct rly_packet_key *k,
			    const struct rly_transition *t) PX_MUST_CHECK;

/* Claims up to cap actionable packets matching f that nobody holds (or
 * whose lease ran out) for owner, for lease_ms; oldest update first. */
bool rly_journal_claim(struct rly_journal *j, struct px_err *err, const struct rly_packet_filter *f,
		       const char *owner, int64_t lease_ms, struct rly_packet_record *out,
		       size_t cap, size_t *n) PX_MUST_CHECK;

/* Drops every claim of owner (clean shutdown). */
bool rly_journal_release(struct rly_journal *j, struct px_err *err, const char *owner) PX_MUST_CHECK;

/* The last fully processed height of a chain. */
bool rly_journal_cursor_get(struct rly_journal *j, struct px_err *err, const char *chain,
			    uint64_t *height, bool *found) PX_MUST_CHECK;
/* Sets it; a cursor never moves backwards (PX_E_USAGE). */
bool rly_journal_cursor_set(struct rly_journal *j, struct px_err *err, const char *chain,
			    uint64_t height) PX_MUST_CHECK;

/* `query packet`. */
bool rly_journal_get(struct rly_journal *j, struct px_err *err, const struct rly_packet_key *k,
		     struct rly_packet_record *out, bool *found) PX_MUST_CHECK;
/* `query pending` and friends: packets matching f with sequence >
 * after_sequence, by (chain, port, channel, sequence), at most limit (0:
 * no limit); stops early when fn returns false. */
bool rly_journal_list(struct rly_journal *j, struct px_err *err, const struct rly_packet_filter *f,
		      uint64_t after_sequence, size_t limit, rly_packet_fn fn,
		      void *arg) PX_MUST_CHECK;
/* Packets per state among those matching f (metrics). */
bool rly_journal_counts(struct rly_journal *j, struct px_err *err, const struct rly_packet_filter *f,
			uint64_t counts[RLY_PKT_STATE_COUNT]) PX_MUST_CHECK;
/* Pending packets and the oldest pending sequence per source channel. */
bool rly_journal_backlog(struct rly_journal *j, struct px_err *err, rly_backlog_fn fn,
			 void *arg) PX_MUST_CHECK;

/* What the watcher read from one chain up to `height`, in one storage
 * transaction: the packets it sent (as put_sent), the acknowledgements it
 * wrote (a second copy of an ack is ignored) and the chain's cursor, set
 * to height (never backwards: PX_E_USAGE). A crash leaves either all of
 * it or none, so the watcher resumes after the cursor and loses nothing.
 * chain NULL records the packets and acks alone (acks read from the
 * result of the relayer's own transaction) and leaves every cursor. */
bool rly_journal_record_height(struct rly_journal *j, struct px_err *err, const char *chain,
			       uint64_t height, const struct rly_packet_sent *sent, size_t n_sent,
			       const struct rly_packet_ack *acks, size_t n_acks,
			       size_t *inserted) PX_MUST_CHECK;

/* The stored bytes of a packet: its data appended to data, and when an
 * acknowledgement is known, it appended to ack and its destination height
 * in *ack_height (0 when none; ack and ack_height may be NULL). *found
 * says whether the packet is in the journal. */
bool rly_journal_payload(struct rly_journal *j, struct px_err *err, const struct rly_packet_key *k,
			 struct px_buf *data, struct px_buf *ack, uint64_t *ack_height,
			 bool *found) PX_MUST_CHECK;

/* The ids recorded for path `name`; *found false (out zeroed) when none. */
bool rly_journal_path_get(struct rly_journal *j, struct px_err *err, const char *name,
			  struct rly_path_ids *out, bool *found) PX_MUST_CHECK;
/* Records (or replaces) the ids of path `name`. The chains and the port
 * must be set; ids may be empty. */
bool rly_journal_path_put(struct rly_journal *j, struct px_err *err, const char *name,
			  const struct rly_path_ids *ids) PX_MUST_CHECK;

/* Checks a key's strings (lengths, non-empty) and sequence > 0. */
bool rly_packet_key_check(struct px_err *err, const struct rly_packet_key *k) PX_MUST_CHECK;

#endif
