/* Backend-independent half of the journal (see journal.h): state names,
 * the transition table, argument checks, and the wrappers that dispatch
 * through the operations table. */
#include "relayer/journal.h"

#include <string.h>

static const char *const state_names[RLY_PKT_STATE_COUNT] = {
	"sent", "recv_submitted", "received", "ack_submitted",
	"acked", "timeout_submitted", "timed_out", "failed",
};

#define M RLY_PKT_MASK
/* allowed[from] = the states reachable in one step. Retries go back one
 * step (a dropped recv tx: recv_submitted -> sent); states observed on
 * chain may skip ahead (another relayer delivered the packet: sent ->
 * received); acked and timed_out are final; failed goes back to sent only
 * when an operator clears it. */
static const unsigned allowed[RLY_PKT_STATE_COUNT] = {
	[RLY_PKT_SENT] = M(RLY_PKT_RECV_SUBMITTED) | M(RLY_PKT_RECEIVED) | M(RLY_PKT_ACKED) |
			 M(RLY_PKT_TIMEOUT_SUBMITTED) | M(RLY_PKT_TIMED_OUT) | M(RLY_PKT_FAILED),
	[RLY_PKT_RECV_SUBMITTED] = M(RLY_PKT_SENT) | M(RLY_PKT_RECEIVED) |
				   M(RLY_PKT_TIMEOUT_SUBMITTED) | M(RLY_PKT_FAILED),
	[RLY_PKT_RECEIVED] = M(RLY_PKT_ACK_SUBMITTED) | M(RLY_PKT_ACKED) | M(RLY_PKT_FAILED),
	[RLY_PKT_ACK_SUBMITTED] = M(RLY_PKT_RECEIVED) | M(RLY_PKT_ACKED) | M(RLY_PKT_FAILED),
	[RLY_PKT_ACKED] = 0,
	[RLY_PKT_TIMEOUT_SUBMITTED] = M(RLY_PKT_SENT) | M(RLY_PKT_RECEIVED) | M(RLY_PKT_TIMED_OUT) |
				      M(RLY_PKT_FAILED),
	[RLY_PKT_TIMED_OUT] = 0,
	[RLY_PKT_FAILED] = M(RLY_PKT_SENT),
};
#undef M

const char *rly_packet_state_name(enum rly_packet_state s)
{
	return (unsigned)s < RLY_PKT_STATE_COUNT ? state_names[s] : "unknown";
}

int rly_packet_state_parse(const char *name)
{
	int i;

	for (i = 0; name && i < RLY_PKT_STATE_COUNT; i++)
		if (strcmp(name, state_names[i]) == 0)
			return i;
	return -1;
}

bool rly_packet_transition_allowed(enum rly_packet_state from, enum rly_packet_state to)
{
	if ((unsigned)from >= RLY_PKT_STATE_COUNT || (unsigned)to >= RLY_PKT_STATE_COUNT)
		return false;
	return (allowed[from] & RLY_PKT_MASK(to)) != 0;
}

static bool str_ok(struct px_err *err, const char *what, const char *s, size_t max)
{
	size_t len = strnlen(s, max + 1);

	if (len == 0 || len > max)
		return px_err_set(err, PX_E_USAGE, "journal: %s must be 1 to %zu characters", what, max);
	return true;
}

bool rly_packet_key_check(struct px_err *err, const struct rly_packet_key *k)
{
	if (!k)
		return px_err_set(err, PX_E_USAGE, "journal: NULL packet key");
	if (!str_ok(err, "source chain", k->src_chain, RLY_JOURNAL_CHAIN_MAX) ||
	    !str_ok(err, "source port", k->src_port, RLY_JOURNAL_PORT_MAX) ||
	    !str_ok(err, "source channel", k->src_channel, RLY_JOURNAL_CHANNEL_MAX))
		return false;
	if (k->sequence == 0 || k->sequence > INT64_MAX)
		return px_err_set(err, PX_E_USAGE, "journal: sequence must be 1 to 2^63-1");
	return true;
}

static bool sent_check(struct px_err *err, const struct rly_packet_sent *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!rly_packet_key_check(err, &p[i].key) ||
		    !str_ok(err, "destination chain", p[i].dst_chain, RLY_JOURNAL_CHAIN_MAX) ||
		    !str_ok(err, "destination port", p[i].dst_port, RLY_JOURNAL_PORT_MAX) ||
		    !str_ok(err, "destination channel", p[i].dst_channel, RLY_JOURNAL_CHANNEL_MAX))
			return false;
		if (p[i].data_len > RLY_JOURNAL_DATA_MAX || (p[i].data_len && !p[i].data))
			return px_err_set(err, PX_E_USAGE, "journal: packet data of %zu bytes",
					  p[i].data_len);
	}
	return true;
}

void rly_journal_close(struct rly_journal *j)
{
	if (j)
		j->ops->close(j);
}

bool rly_journal_put_sent(struct rly_journal *j, struct px_err *err,
			  const struct rly_packet_sent *p, size_t n, size_t *inserted)
{
	if (inserted)
		*inserted = 0;
	if (!j || (n && !p))
		return px_err_set(err, PX_E_USAGE, "journal: bad arguments");
	if (!sent_check(err, p, n))
		return false;
	return j->ops->put_sent(j, err, p, n, inserted);
}

bool rly_journal_record_height(struct rly_journal *j, struct px_err *err, const char *chain,
			       uint64_t height, const struct rly_packet_sent *sent, size_t n_sent,
			       const struct rly_packet_ack *acks, size_t n_acks, size_t *inserted)
{
	size_t i;

	if (inserted)
		*inserted = 0;
	if (!j || height > INT64_MAX || (n_sent && !sent) || (n_acks && !acks))
		return px_err_set(err, PX_E_USAGE, "journal: bad arguments");
	if ((chain && !str_ok(err, "chain", chain, RLY_JOURNAL_CHAIN_MAX)) ||
	    !sent_check(err, sent, n_sent))
		return false;
	for (i = 0; i < n_acks; i++) {
		if (!rly_packet_key_check(err, &acks[i].key))
			return false;
		if (!acks[i].ack || acks[i].ack_len == 0 || acks[i].ack_len > RLY_JOURNAL_ACK_MAX ||
		    acks[i].height == 0 || acks[i].height > INT64_MAX)
			return px_err_set(err, PX_E_USAGE, "journal: ack of %s/%s/%s/%llu: empty, too"
					  " large or without a height", acks[i].key.src_chain,
					  acks[i].key.src_port, acks[i].key.src_channel,
					  (unsigned long long)acks[i].key.sequence);
	}
	return j->ops->record_height(j, err, chain, height, sent, n_sent, acks, n_acks, inserted);
}

bool rly_journal_payload(struct rly_journal *j, struct px_err *err, const struct rly_packet_key *k,
			 struct px_buf *data, struct px_buf *ack, uint64_t *ack_height, bool *found)
{
	if (!j || !data || !found)
		return px_err_set(err, PX_E_USAGE, "journal: bad arguments");
	*found = false;
	if (ack_height)
		*ack_height = 0;
	if (!rly_packet_key_check(err, k))
		return false;
	return j->ops->payload(j, err, k, data, ack, ack_height, found);
}

/* An id may be empty (not made yet) but not longer than max. */
static bool id_ok(struct px_err *err, const char *what, const char *s, size_t max)
{
	if (strnlen(s, max + 1) > max)
		return px_err_set(err, PX_E_USAGE, "journal: %s longer than %zu characters", what, max);
	return true;
}

bool rly_journal_path_get(struct rly_journal *j, struct px_err *err, const char *name,
			  struct rly_path_ids *out, bool *found)
{
	if (!j || !name || !out || !found)
		return px_err_set(err, PX_E_USAGE, "journal: bad arguments");
	memset(out, 0, sizeof(*out));
	*found = false;
	if (!str_ok(err, "path name", name, RLY_JOURNAL_PATH_MAX))
		return false;
	if (!j->ops->path_get(j, err, name, out, found)) {
		memset(out, 0, sizeof(*out));
		*found = false;
		return false;
	}
	return true;
}

bool rly_journal_path_put(struct rly_journal *j, struct px_err *err, const char *name,
			  const struct rly_path_ids *ids)
{
	if (!j || !name || !ids)
		return px_err_set(err, PX_E_USAGE, "journal: bad arguments");
	if (!str_ok(err, "path name", name, RLY_JOURNAL_PATH_MAX) ||
	    !str_ok(err, "chain", ids->chain[0], RLY_JOURNAL_CHAIN_MAX) ||
	    !str_ok(err, "chain", ids->chain[1], RLY_JOURNAL_CHAIN_MAX) ||
	    !str_ok(err, "port", ids->port, RLY_JOURNAL_PORT_MAX))
		return false;
	for (int i = 0; i < 2; i++)
		if (!id_ok(err, "client id", ids->client[i], RLY_JOURNAL_ID_MAX) ||
		    !id_ok(err, "connection id", ids->connection[i], RLY_JOURNAL_ID_MAX) ||
		    !id_ok(err, "channel id", ids->channel[i], RLY_JOURNAL_ID_MAX))
			return false;
	return j->ops->path_put(j, err, name, ids);
}

bool rly_journal_transition(struct rly_journal *j, struct px_err *err,
			    const struct rly_packet_key *k, const struct rly_transition *t)
{
	if (!j || !t || (unsigned)t->to >= RLY_PKT_STATE_COUNT)
		return px_err_set(err, PX_E_USAGE, "journal: bad arguments");
	if (!rly_packet_key_check(err, k))
		return false;
	if ((t->to == RLY_PKT_FAILED) != (t->reason != NULL))
		return px_err_set(err, PX_E_USAGE, "journal: a reason goes with failed, and only with it");
	if (t->reason && !str_ok(err, "reason", t->reason, RLY_JOURNAL_REASON_MAX))
		return false;
	if (t->tx_hash && !str_ok(err, "tx hash", t->tx_hash, RLY_JOURNAL_TX_MAX))
		return false;
	if (t->height > INT64_MAX)
		return px_err_set(err, PX_E_USAGE, "journal: height above 2^63-1");
	return j->ops->transition(j, err, k, t);
}

bool rly_journal_claim(struct rly_journal *j, struct px_err *err, const struct rly_packet_filter *f,
		       const char *owner, int64_t lease_ms, struct rly_packet_record *out,
		       size_t cap, size_t *n)
{
	if (n)
		*n = 0;
	if (!j || !n || (cap && !out) || !owner || lease_ms < 0)
		return px_err_set(err, PX_E_USAGE, "journal: bad arguments");
	if (!str_ok(err, "owner", owner, RLY_JOURNAL_OWNER_MAX))
		return false;
	return j->ops->claim(j, err, f, owner, lease_ms, out, cap, n);
}

bool rly_journal_release(struct rly_journal *j, struct px_err *err, const char *owner)
{
	if (!j || !owner)
		return px_err_set(err, PX_E_USAGE, "journal: bad arguments");
	return j->ops->release(j, err, owner);
}

bool rly_journal_cursor_get(struct rly_journal *j, struct px_err *err, const char *chain,
			    uint64_t *height, bool *found)
{
	if (!j || !height || !found || !chain)
		return px_err_set(err, PX_E_USAGE, "journal: bad arguments");
	*height = 0;
	*found = false;
	if (!str_ok(err, "chain", chain, RLY_JOURNAL_CHAIN_MAX))
		return false;
	return j->ops->cursor_get(j, err, chain, height, found);
}

bool rly_journal_cursor_set(struct rly_journal *j, struct px_err *err, const char *chain,
			    uint64_t height)
{
	if (!j || !chain || height > INT64_MAX)
		return px_err_set(err, PX_E_USAGE, "journal: bad arguments");
	if (!str_ok(err, "chain", chain, RLY_JOURNAL_CHAIN_MAX))
		return false;
	return j->ops->cursor_set(j, err, chain, height);
}

bool rly_journal_get(struct rly_journal *j, struct px_err *err, const struct rly_packet_key *k,
		     struct rly_packet_record *out, bool *found)
{
	if (!j || !out || !found)
		return px_err_set(err, PX_E_USAGE, "journal: bad arguments");
	memset(out, 0, sizeof(*out));
	*found = false;
	if (!rly_packet_key_check(err, k))
		return false;
	return j->ops->get(j, err, k, out, found);
}

bool rly_journal_list(struct rly_journal *j, struct px_err *err, const struct rly_packet_filter *f,
		      uint64_t after_sequence, size_t limit, rly_packet_fn fn, void *arg)
{
	if (!j || !fn || after_sequence > INT64_MAX)
		return px_err_set(err, PX_E_USAGE, "journal: bad arguments");
	return j->ops->list(j, err, f, after_sequence, limit, fn, arg);
}

bool rly_journal_counts(struct rly_journal *j, struct px_err *err, const struct rly_packet_filter *f,
			uint64_t counts[RLY_PKT_STATE_COUNT])
{
	if (!j || !counts)
		return px_err_set(err, PX_E_USAGE, "journal: bad arguments");
	memset(counts, 0, RLY_PKT_STATE_COUNT * sizeof(counts[0]));
	return j->ops->counts(j, err, f, counts);
}

bool rly_journal_backlog(struct rly_journal *j, struct px_err *err, rly_backlog_fn fn, void *arg)
{
	if (!j || !fn)
		return px_err_set(err, PX_E_USAGE, "journal: bad arguments");
	return j->ops->backlog(j, err, fn, arg);
}
