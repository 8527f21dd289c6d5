/* What the relaying engine does besides following events (relay.c):
 *
 *   ids:      a path whose config says "create" gets its client,
 *             connection and channel ids from the journal's paths table,
 *             or has them made (relayer/path.h handshakes) and recorded
 *             there, so a restart reuses them. Ids in the config win; a
 *             journal entry that disagrees with one is an error.
 *   clearing: the chains are asked what is pending on a path's channel
 *             now (PacketCommitments on the source, UnreceivedPackets on
 *             the destination; PacketAcknowledgements on the destination,
 *             UnreceivedAcks on the source). Pending packets the journal
 *             does not hold are looked up with tx_search (their data and
 *             timeouts are not in the commitment), checked against the
 *             commitment the source stores, and journalled as `sent`;
 *             acknowledgements the same way against the ack commitment.
 *             The normal rounds then relay them. Clearing looks only at
 *             what is pending now: a restart with a big journal costs two
 *             listings per direction and one journal lookup per pending
 *             packet, no history scan.
 *
 * The pure helpers (queries, picking an event out of a tx_search answer,
 * sequence sets, the interval) are declared in relay.h and unit-tested;
 * the rest runs on the loop's thread, outside callbacks. */
#include "relayer/relay_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "common/log.h"
#include "common/number.h"
#include "ibc/core/commitment.h"
#include "ibc/core/paths.h"

#define CLEAR_RPC_MS 15000u		/* one query or tx_search */
#define CLEAR_PER_PAGE "30"		/* tx_search results looked at per packet */
#define CLEAR_FLUSH 256			/* packets per journal transaction */
#define CLEAR_RETRY_MS 5000		/* after a failed clearing */
#define CLEAR_AGAIN_MS 1000		/* `clear packets`: look again */
#define CLEAR_TIMEOUT_MS 300000u	/* `clear packets`: default give-up time */
#define CLEAR_CATCHUP_MS 120000		/* the start-up clearing waits at most this
					 * long for the watchers' backfill */

/* --- the pure half ------------------------------------------------------------ */

static bool query_build(struct px_err *err, char *out, size_t cap, const char *ev,
			const char *side, const char *port, const char *channel, uint64_t sequence)
{
	int n;

	if (!ibc_id_validate(err, IBC_ID_PORT, port, strlen(port)) ||
	    !ibc_id_validate(err, IBC_ID_CHANNEL, channel, strlen(channel))) {
		if (err)
			err->code = PX_E_USAGE;
		return false;
	}
	if (sequence == 0)
		return px_err_set(err, PX_E_USAGE, "tx_search: sequence 0");
	n = snprintf(out, cap, "%s.packet_%s_port='%s' AND %s.packet_%s_channel='%s' AND "
		     "%s.packet_sequence='%" PRIu64 "'", ev, side, port, ev, side, channel, ev,
		     sequence);
	if (n < 0 || (size_t)n >= cap)
		return px_err_set(err, PX_E_USAGE, "tx_search: query longer than %zu bytes", cap);
	return true;
}

bool rly_clear_query_send(struct px_err *err, char *out, size_t cap, const char *port,
			  const char *channel, uint64_t sequence)
{
	return query_build(err, out, cap, "send_packet", "src", port, channel, sequence);
}

bool rly_clear_query_ack(struct px_err *err, char *out, size_t cap, const char *port,
			 const char *channel, uint64_t sequence)
{
	return query_build(err, out, cap, "write_acknowledgement", "dst", port, channel, sequence);
}

static bool same_packet(const struct ibc_packet *a, const struct ibc_packet *b)
{
	return a->sequence == b->sequence && strcmp(a->source_port, b->source_port) == 0 &&
	       strcmp(a->source_channel, b->source_channel) == 0 &&
	       strcmp(a->destination_port, b->destination_port) == 0 &&
	       strcmp(a->destination_channel, b->destination_channel) == 0;
}

/* The commitment an event implies: the v1 packet commitment of a
 * send_packet, sha256(ack) of a write_acknowledgement. */
static void implied(uint8_t out[IBC_COMMITMENT_LEN], const struct rly_ev *ev)
{
	if (ev->kind == RLY_EV_WRITE_ACK)
		ibc_commit_ack_v1(out, ev->ack.data, ev->ack.len);
	else
		ibc_commit_packet_v1(out, &ev->packet);
}

bool rly_clear_pick(struct px_err *err, struct rly_ev *out, uint64_t *height, bool *found,
		    const json_t *result, enum rly_ev_kind kind, const struct ibc_packet *want,
		    const uint8_t *commitment, size_t commitment_len)
{
	const json_t *txs, *tx;
	size_t i, mismatched = 0;

	memset(out, 0, sizeof(*out));
	*height = 0;
	*found = false;
	if (!want || !commitment || commitment_len != IBC_COMMITMENT_LEN ||
	    (kind != RLY_EV_SEND && kind != RLY_EV_WRITE_ACK))
		return px_err_set(err, PX_E_USAGE, "tx_search: bad arguments");
	txs = json_object_get(result, "txs");
	if (!json_is_array(txs))
		return px_err_set(err, PX_E_MALFORMED, "tx_search: txs: want an array");
	json_array_foreach(txs, i, tx) {
		const json_t *res = json_object_get(tx, "tx_result"), *events, *e;
		struct px_err e2 = { 0 };
		uint64_t code = 1, h = 0;
		size_t k;

		if (!json_is_object(tx) || !json_is_object(res))
			return px_err_set(err, PX_E_MALFORMED, "tx_search: txs[%zu].tx_result: missing",
					  i);
		if (!px_json_get_u64(&e2, &h, tx, "height") || h == 0 || h > INT64_MAX)
			return px_err_set(err, PX_E_MALFORMED, "tx_search: txs[%zu].height: not a "
					  "height", i);
		/* CometBFT leaves code out when it is 0. */
		if (json_object_get(res, "code") && !px_json_get_u64(&e2, &code, res, "code"))
			return px_err_set(err, PX_E_MALFORMED, "tx_search: txs[%zu].tx_result.code: "
					  "not a number", i);
		if (!json_object_get(res, "code"))
			code = 0;
		if (code != 0)
			continue;	/* reverted: its events did not happen */
		events = json_object_get(res, "events");
		if (!json_is_array(events))
			return px_err_set(err, PX_E_MALFORMED, "tx_search: txs[%zu].tx_result.events: "
					  "want an array", i);
		json_array_foreach(events, k, e) {
			uint8_t c[IBC_COMMITMENT_LEN];
			struct rly_ev ev;

			px_err_clear(&e2);
			if (!rly_ev_parse(&e2, &ev, e)) {
				if (e2.code == PX_E_NOMEM)
					return px_err_set(err, PX_E_NOMEM, "out of memory");
				continue;	/* not ours to judge: only matching events count */
			}
			if (ev.kind != kind || !same_packet(&ev.packet, want)) {
				rly_ev_free(&ev);
				continue;
			}
			implied(c, &ev);
			if (memcmp(c, commitment, IBC_COMMITMENT_LEN) != 0) {
				mismatched++;
				rly_ev_free(&ev);
				continue;
			}
			*out = ev;
			out->packet.data = px_slice_of(&out->data);
			*height = h;
			*found = true;
			return true;
		}
	}
	if (mismatched)
		return px_err_set(err, PX_E_VALUE_MISMATCH, "%s of %s/%s/%" PRIu64 ": %zu event(s) "
				  "from tx_search, none matches the %scommitment the chain stores",
				  kind == RLY_EV_SEND ? "send_packet" : "write_acknowledgement",
				  want->source_port, want->source_channel, want->sequence,
				  mismatched, kind == RLY_EV_SEND ? "packet " : "acknowledgement ");
	return true;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

bool rly_clear_seqs_union(struct rly_ibcq_seqs *out, const uint64_t *a, size_t na,
			  const uint64_t *b, size_t nb)
{
	size_t n = 0;
	uint64_t *v = malloc((na + nb ? na + nb : 1) * sizeof(*v));

	if (!v)
		return false;
	if (na)
		memcpy(v, a, na * sizeof(*v));
	if (nb)
		memcpy(v + na, b, nb * sizeof(*v));
	qsort(v, na + nb, sizeof(*v), cmp_u64);
	for (size_t i = 0; i < na + nb; i++)
		if (n == 0 || v[n - 1] != v[i])
			v[n++] = v[i];
	rly_ibcq_seqs_free(out);
	out->v = v;
	out->n = n;
	out->cap = na + nb;
	return true;
}

bool rly_clear_due(uint64_t interval, const int64_t last[2], const int64_t head[2])
{
	if (interval == 0 || interval > INT64_MAX)
		return false;
	for (int s = 0; s < 2; s++)
		if (last[s] > 0 && head[s] > last[s] && (uint64_t)(head[s] - last[s]) >= interval)
			return true;
	return false;
}

void rly_clear_report_free(struct rly_clear_report *rep)
{
	if (!rep)
		return;
	for (int d = 0; d < 2; d++)
		rly_ibcq_seqs_free(&rep->dir[d].seqs);
}

/* --- ids of "create" paths ------------------------------------------------------ */

static const char *shown(const char *id)
{
	return id[0] ? id : "create";
}

static bool ids_of(struct px_err *err, struct rly_path_ids *out, const struct r_path *rp)
{
	const struct rly_end *e[2] = { &rp->p.a, &rp->p.b };

	memset(out, 0, sizeof(*out));
	for (int s = 0; s < 2; s++) {
		if (strlen(e[s]->chain->cfg->id) > RLY_JOURNAL_CHAIN_MAX ||
		    strlen(e[s]->port_id) > RLY_JOURNAL_PORT_MAX)
			return px_err_set(err, PX_E_CONFIG, "path %s: chain or port too long for the "
					  "journal", rp->cfg->name);
		snprintf(out->chain[s], sizeof(out->chain[s]), "%s", e[s]->chain->cfg->id);
		snprintf(out->client[s], sizeof(out->client[s]), "%s", e[s]->client_id);
		snprintf(out->connection[s], sizeof(out->connection[s]), "%s", e[s]->connection_id);
		snprintf(out->channel[s], sizeof(out->channel[s]), "%s", e[s]->channel_id);
	}
	snprintf(out->port, sizeof(out->port), "%s", rp->p.a.port_id);
	return true;
}

static bool ids_record(struct relay *r, struct px_err *err, const struct r_path *rp)
{
	struct rly_path_ids ids;

	if (!ids_of(err, &ids, rp))
		return false;
	if (!rly_journal_path_put(r->j, err, rp->cfg->name, &ids)) {
		px_err_set(&r->fatal, err->code, "%s", err->msg);
		return false;
	}
	return true;
}

/* One id: the config's (already in *have) wins; a journal id that differs
 * is an error naming both; an empty *have takes the journal's. */
static bool id_merge(struct px_err *err, char *have, size_t cap, const char *journal,
		     const char *path, const char *side, const char *what)
{
	if (!journal[0])
		return true;
	if (have[0] && strcmp(have, journal) != 0)
		return px_err_set(err, PX_E_CONFIG, "path %s: %s's %s is %s in the configuration but "
				  "%s in the journal (made by an earlier `pontifex start`); fix the "
				  "configuration, or remove the path's row from the journal's paths "
				  "table", path, side, what, have, journal);
	if (strlen(journal) >= cap)
		return px_err_set(err, PX_E_CONFIG, "path %s: journal id %s too long", path, journal);
	snprintf(have, cap, "%s", journal);
	return true;
}

static void log_ids(const struct r_path *rp, const char *how)
{
	const struct rly_end *e[2] = { &rp->p.a, &rp->p.b };
	const char *side[2] = { "a", "b" };

	px_warn(MOD, "path %s: %s; put these ids into config.yaml (paths, name: %s) so that "
		"they do not depend on the journal:", rp->cfg->name, how, rp->cfg->name);
	for (int s = 0; s < 2; s++)
		px_warn(MOD, "    %s: { chain: %s, client: %s, connection: %s, channel: %s }",
			side[s], e[s]->chain->cfg->id, shown(e[s]->client_id),
			shown(e[s]->connection_id), shown(e[s]->channel_id));
}

static bool path_complete(const struct rly_path *p)
{
	return p->a.client_id[0] && p->b.client_id[0] && p->a.connection_id[0] &&
	       p->b.connection_id[0] && p->a.channel_id[0] && p->b.channel_id[0];
}

/* Runs the handshake steps the path still lacks, recording the ids after
 * each step so that a failure half way loses nothing already made. */
static bool create_missing(struct relay *r, struct px_err *err, struct r_path *rp)
{
	struct rly_path *p = &rp->p;

	px_warn(MOD, "path %s: the configuration says \"create\" and the journal has no ids: "
		"creating what is missing (a: client %s connection %s channel %s, b: client %s "
		"connection %s channel %s)", rp->cfg->name, shown(p->a.client_id),
		shown(p->a.connection_id), shown(p->a.channel_id), shown(p->b.client_id),
		shown(p->b.connection_id), shown(p->b.channel_id));
	if (!p->a.client_id[0] || !p->b.client_id[0]) {
		if (!rly_path_create_clients(err, p) || !ids_record(r, err, rp))
			return false;
	}
	if (!p->a.connection_id[0] || !p->b.connection_id[0]) {
		if (!rly_path_open_connection(err, p) || !ids_record(r, err, rp))
			return false;
	}
	if (!p->a.channel_id[0] || !p->b.channel_id[0]) {
		if (!rly_path_open_channel(err, p) || !ids_record(r, err, rp))
			return false;
	}
	return true;
}

bool relay_ends_resolve(struct relay *r, struct px_err *err, struct r_path *rp,
			struct rly_route *rt)
{
	const struct rly_config_path *pc = rp->cfg;
	struct rly_end *e[2] = { &rp->p.a, &rp->p.b };
	const char *side[2] = { "a", "b" };
	struct rly_path_ids ids;
	bool found = false, was_complete = path_complete(&rp->p);

	if (!rly_journal_path_get(r->j, err, pc->name, &ids, &found)) {
		px_err_set(&r->fatal, err->code, "%s", err->msg);
		return false;
	}
	if (found) {
		for (int s = 0; s < 2; s++) {
			if (strcmp(ids.chain[s], e[s]->chain->cfg->id) != 0)
				return px_err_set(err, PX_E_CONFIG, "path %s: %s is chain %s in the "
						  "configuration but %s in the journal", pc->name,
						  side[s], e[s]->chain->cfg->id, ids.chain[s]);
			if (!id_merge(err, e[s]->client_id, sizeof(e[s]->client_id), ids.client[s],
				      pc->name, side[s], "client") ||
			    !id_merge(err, e[s]->connection_id, sizeof(e[s]->connection_id),
				      ids.connection[s], pc->name, side[s], "connection") ||
			    !id_merge(err, e[s]->channel_id, sizeof(e[s]->channel_id),
				      ids.channel[s], pc->name, side[s], "channel"))
				return false;
		}
		if (!was_complete && (ids.channel[0][0] || ids.channel[1][0]) &&
		    strcmp(ids.port, pc->port) != 0)
			return px_err_set(err, PX_E_CONFIG, "path %s: port is %s in the configuration "
					  "but the journal's channels are on port %s", pc->name,
					  pc->port, ids.port);
	}
	if (!path_complete(&rp->p)) {
		if (r->o->clear)
			return px_err_set(err, PX_E_CONFIG, "path %s has no channel yet (the "
					  "configuration says \"create\"): run `pontifex start` or "
					  "`pontifex create channel %s` first", pc->name, pc->name);
		if (!create_missing(r, err, rp))
			return false;
		log_ids(rp, "CREATED client, connection and channel, recorded in the journal");
	} else if (!was_complete) {
		log_ids(rp, "the configuration says \"create\": using the ids the journal "
			"recorded when an earlier run made them");
	}
	rt->channel[0] = rp->p.a.channel_id;
	rt->channel[1] = rp->p.b.channel_id;
	rp->route = *rt;
	return true;
}

/* --- clearing ------------------------------------------------------------------- */

static bool journal_fail(struct relay *r, const struct px_err *err)
{
	px_err_set(&r->fatal, err->code, "%s", err->msg);
	return false;
}

/* Copies s into out (cap bytes with the NUL), cut to fit: ids of a
 * configured path, which fit the journal's sizes (the config and
 * ibc_id_validate hold them to that). */
static void cpy(char *out, size_t cap, const char *s)
{
	size_t len = strnlen(s, cap - 1);

	memcpy(out, s, len);
	out[len] = 0;
}

static void key_of(struct rly_packet_key *k, const struct rly_end *src, uint64_t seq)
{
	memset(k, 0, sizeof(*k));
	cpy(k->src_chain, sizeof(k->src_chain), src->chain->cfg->id);
	cpy(k->src_port, sizeof(k->src_port), src->port_id);
	cpy(k->src_channel, sizeof(k->src_channel), src->channel_id);
	k->sequence = seq;
}

static void want_of(struct ibc_packet *w, const struct rly_end *src, const struct rly_end *dst,
		    uint64_t seq)
{
	memset(w, 0, sizeof(*w));
	w->sequence = seq;
	snprintf(w->source_port, sizeof(w->source_port), "%s", src->port_id);
	snprintf(w->source_channel, sizeof(w->source_channel), "%s", src->channel_id);
	snprintf(w->destination_port, sizeof(w->destination_port), "%s", dst->port_id);
	snprintf(w->destination_channel, sizeof(w->destination_channel), "%s", dst->channel_id);
}

/* tx_search on chain c for one packet's event; *out a new reference. */
static bool tx_search(struct px_err *err, json_t **out, struct rly_chain *c, enum rly_ev_kind kind,
		      const struct ibc_packet *want)
{
	char q[3 * (IBC_ID_MAX + 64)];
	json_t *params;

	*out = NULL;
	if (kind == RLY_EV_SEND ? !rly_clear_query_send(err, q, sizeof(q), want->source_port,
							 want->source_channel, want->sequence)
				: !rly_clear_query_ack(err, q, sizeof(q), want->destination_port,
						       want->destination_channel, want->sequence))
		return false;
	params = json_pack("{s:s, s:b, s:s, s:s, s:s}", "query", q, "prove", 0, "page", "1",
			   "per_page", CLEAR_PER_PAGE, "order_by", "asc");
	if (!params)
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	if (!cmt_client_call_sync(err, out, c->rpc, "tx_search", params, CLEAR_RPC_MS)) {
		px_err_prefix(err, "%s: tx_search: ", c->cfg->id);
		return false;
	}
	return true;
}

/* The sequences of kind's events for the channel of tmpl in a tx_search
 * answer's successful transactions, at most cap: transfers go out many
 * to a transaction, so one search usually finds its neighbours too. */
static size_t result_seqs(uint64_t *out, size_t cap, const json_t *res, enum rly_ev_kind kind,
			  const struct ibc_packet *tmpl)
{
	const json_t *tx, *e;
	size_t i, k, n = 0;

	json_array_foreach(json_object_get(res, "txs"), i, tx) {
		const json_t *r = json_object_get(tx, "tx_result");
		const json_t *code = json_object_get(r, "code");

		if (code && !(json_is_integer(code) && json_integer_value(code) == 0))
			continue;
		json_array_foreach(json_object_get(r, "events"), k, e) {
			struct px_err e2 = { 0 };
			struct ibc_packet p;
			struct rly_ev ev;

			if (n == cap || !rly_ev_parse(&e2, &ev, e))
				continue;
			p = ev.packet;
			p.sequence = tmpl->sequence;
			if (ev.kind == kind && same_packet(&p, tmpl))
				out[n++] = ev.packet.sequence;
			rly_ev_free(&ev);
		}
	}
	return n;
}

/* Entries waiting for one journal transaction. */
static bool acc_flush(struct relay *r, struct px_err *err, struct rly_height *h,
		      struct rly_clear_dir *out)
{
	size_t ins = 0;
	bool ok = true;

	if (h->n_sent || h->n_acks) {
		ok = rly_journal_record_height(r->j, err, NULL, 0, h->sent, h->n_sent, h->acks,
					       h->n_acks, &ins);
		if (ok) {
			out->journalled += ins;
			out->acks_journalled += h->n_acks;
		}
	}
	for (size_t i = 0; i < h->n_sent; i++)
		free((void *)h->sent[i].data);
	for (size_t i = 0; i < h->n_acks; i++)
		free((void *)h->acks[i].ack);
	h->n_sent = h->n_acks = 0;
	return ok || journal_fail(r, err);
}

static void *grow(void *arr, size_t *cap, size_t n, size_t size)
{
	size_t nc = *cap ? *cap * 2 : 16;
	void *p;

	if (n < *cap)
		return arr;
	p = realloc(arr, nc * size);
	if (p)
		*cap = nc;
	return p;
}

static bool acc_sent(struct px_err *err, struct rly_height *h, const struct rly_end *src,
		     const struct rly_end *dst, const struct rly_ev *ev, uint64_t height)
{
	struct rly_packet_sent *s, *arr = grow(h->sent, &h->cap_sent, h->n_sent, sizeof(*arr));
	uint8_t *data;

	if (!arr)
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	h->sent = arr;
	data = malloc(ev->data.len ? ev->data.len : 1);
	if (!data)
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	memcpy(data, ev->data.data, ev->data.len);
	s = &h->sent[h->n_sent++];
	memset(s, 0, sizeof(*s));
	key_of(&s->key, src, ev->packet.sequence);
	cpy(s->dst_chain, sizeof(s->dst_chain), dst->chain->cfg->id);
	cpy(s->dst_port, sizeof(s->dst_port), dst->port_id);
	cpy(s->dst_channel, sizeof(s->dst_channel), dst->channel_id);
	s->send_height = height;
	s->timeout_revision = ev->packet.timeout_height.revision_number;
	s->timeout_height = ev->packet.timeout_height.revision_height;
	s->timeout_timestamp = ev->packet.timeout_timestamp;
	s->data = data;
	s->data_len = ev->data.len;
	return true;
}

static bool acc_ack(struct px_err *err, struct rly_height *h, const struct rly_end *src,
		    const struct rly_ev *ev, uint64_t height)
{
	struct rly_packet_ack *a, *arr = grow(h->acks, &h->cap_acks, h->n_acks, sizeof(*arr));
	uint8_t *ack;

	if (!arr)
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	h->acks = arr;
	ack = malloc(ev->ack.len ? ev->ack.len : 1);
	if (!ack)
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	memcpy(ack, ev->ack.data, ev->ack.len);
	a = &h->acks[h->n_acks++];
	memset(a, 0, sizeof(*a));
	key_of(&a->key, src, ev->packet.sequence);
	a->height = height;
	a->ack = ack;
	a->ack_len = ev->ack.len;
	return true;
}

/* What the journal holds of one packet: its data, its ack. */
static bool journal_has(struct relay *r, struct px_err *err, const struct rly_end *src,
			uint64_t seq, bool *packet, bool *ack)
{
	struct px_buf data = PX_BUF_INIT, a = PX_BUF_INIT;
	struct rly_packet_key k;
	bool found = false, ok;

	key_of(&k, src, seq);
	ok = rly_journal_payload(r->j, err, &k, &data, &a, NULL, &found);
	*packet = found;	/* with or without data: a row is the journal's say */
	*ack = a.len > 0;
	px_buf_free(&data);
	px_buf_free(&a);
	return ok || journal_fail(r, err);
}

/* One direction's clearing work: the pending sequences (out->seqs) and
 * what is known of each. */
struct work {
	struct relay *r;
	struct rly_end *src, *dst;
	struct rly_clear_dir *out;
	struct rly_height acc;		/* for the journal */
	bool *done[2];			/* [0] packet, [1] ack: per out->seqs entry */
};

static size_t seq_index(const struct rly_ibcq_seqs *s, uint64_t v)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->v[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && s->v[lo] == v ? lo : s->n;
}

/* Takes seq's event of kind out of res (a tx_search answer) when it
 * matches the commitment the chain stores now: the packet commitment on
 * the source, or the ack commitment on the destination. A commitment
 * gone meanwhile (acknowledged, timed out) leaves nothing to do. */
static bool take(struct work *w, struct px_err *err, bool *found, enum rly_ev_kind kind,
		 uint64_t seq, const json_t *res)
{
	struct rly_end *on = kind == RLY_EV_SEND ? w->src : w->dst;
	uint8_t c[RLY_IBCQ_MAX_HASH];
	struct ibc_packet want;
	struct rly_ev ev;
	size_t cl = 0;
	uint64_t h = 0;
	bool exists = false, ok;

	*found = false;
	if (!rly_ibcq_packet_hash(err, &exists, c, &cl, on->chain->rpc,
				  kind == RLY_EV_SEND ? RLY_IBCQ_KIND_COMMITMENT : RLY_IBCQ_KIND_ACK,
				  on->port_id, on->channel_id, seq, CLEAR_RPC_MS)) {
		px_err_prefix(err, "%s: %s %" PRIu64 ": ", on->chain->cfg->id,
			      kind == RLY_EV_SEND ? "commitment" : "ack commitment", seq);
		return false;
	}
	if (!exists) {
		*found = true;
		return true;
	}
	if (cl != IBC_COMMITMENT_LEN)
		return px_err_set(err, PX_E_VALUE_MISMATCH, "%s: commitment of %s/%s/%" PRIu64
				  " has %zu bytes, not %d", on->chain->cfg->id, on->port_id,
				  on->channel_id, seq, cl, IBC_COMMITMENT_LEN);
	want_of(&want, w->src, w->dst, seq);
	if (!rly_clear_pick(err, &ev, &h, found, res, kind, &want, c, cl)) {
		px_err_prefix(err, "%s: ", on->chain->cfg->id);
		return false;
	}
	if (!*found)
		return true;
	ok = kind == RLY_EV_SEND ? acc_sent(err, &w->acc, w->src, w->dst, &ev, h)
				 : acc_ack(err, &w->acc, w->src, &ev, h);
	rly_ev_free(&ev);
	return ok;
}

/* Finds entry i's event of kind with tx_search, and the other pending
 * entries' events in the same answer. */
static bool find(struct work *w, struct px_err *err, enum rly_ev_kind kind, size_t i)
{
	struct rly_end *on = kind == RLY_EV_SEND ? w->src : w->dst;
	bool *done = w->done[kind == RLY_EV_SEND ? 0 : 1];
	uint64_t seq = w->out->seqs.v[i], near[256];
	struct ibc_packet want;
	json_t *res = NULL;
	size_t n;
	bool found = false, ok = false;

	want_of(&want, w->src, w->dst, seq);
	if (!tx_search(err, &res, on->chain, kind, &want))
		return false;
	if (!take(w, err, &found, kind, seq, res))
		goto out;
	done[i] = true;
	if (!found) {
		w->out->missing++;
		px_warn(MOD, "%s %s/%s: %s %" PRIu64 " is pending but the node's tx_search finds no "
			"%s event for it (tx index off or pruned?): not relayed", on->chain->cfg->id,
			on->port_id, on->channel_id, kind == RLY_EV_SEND ? "packet" :
			"the acknowledgement of packet", seq,
			kind == RLY_EV_SEND ? "send_packet" : "write_acknowledgement");
	}
	n = result_seqs(near, sizeof(near) / sizeof(near[0]), res, kind, &want);
	for (size_t k = 0; k < n; k++) {
		size_t j = seq_index(&w->out->seqs, near[k]);

		if (j == w->out->seqs.n || done[j])
			continue;
		if (!take(w, err, &found, kind, near[k], res))
			goto out;
		done[j] = found;
	}
	ok = true;
out:
	json_decref(res);
	return ok;
}

static bool in_list(const struct rly_ibcq_seqs *s, uint64_t v)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == v)
			return true;
	return false;
}

/* A channel the chain does not know is the configuration's problem, not
 * a verification failure (PX_E_IBC_NOT_FOUND sits in the 3xx range). */
static bool query_fail(struct px_err *err, const struct rly_end *e)
{
	if (err && err->code == PX_E_IBC_NOT_FOUND)
		err->code = PX_E_CONFIG;
	px_err_prefix(err, "%s %s/%s: ", e->chain->cfg->id, e->port_id, e->channel_id);
	return false;
}

/* One direction, src -> dst. */
static bool clear_dir(struct relay *r, struct px_err *err, struct rly_end *src,
		      struct rly_end *dst, struct rly_clear_dir *out)
{
	struct rly_ibcq_seqs commits = { 0 }, unrecv = { 0 }, acks = { 0 }, unacked = { 0 };
	struct work w;
	bool ok = false;

	memset(&w, 0, sizeof(w));
	rly_ibcq_seqs_free(&out->seqs);
	memset(out, 0, sizeof(*out));
	cpy(out->src_chain, sizeof(out->src_chain), src->chain->cfg->id);
	cpy(out->src_port, sizeof(out->src_port), src->port_id);
	cpy(out->src_channel, sizeof(out->src_channel), src->channel_id);
	cpy(out->dst_chain, sizeof(out->dst_chain), dst->chain->cfg->id);
	cpy(out->dst_port, sizeof(out->dst_port), dst->port_id);
	cpy(out->dst_channel, sizeof(out->dst_channel), dst->channel_id);
	if (!rly_config_filter_allows(r->o->cfg, src->port_id, src->channel_id)) {
		out->filtered = true;
		return true;
	}
	if (!rly_ibcq_list(err, &commits, src->chain->rpc, RLY_IBCQ_KIND_COMMITMENT, src->port_id,
			   src->channel_id, CLEAR_RPC_MS)) {
		query_fail(err, src);
		goto out;
	}
	out->commitments = commits.n;
	if (!rly_ibcq_unreceived(err, &unrecv, dst->chain->rpc, false, dst->port_id,
				 dst->channel_id, commits.v, commits.n, CLEAR_RPC_MS)) {
		query_fail(err, dst);
		goto out;
	}
	if (!rly_ibcq_list(err, &acks, dst->chain->rpc, RLY_IBCQ_KIND_ACK, dst->port_id,
			   dst->channel_id, CLEAR_RPC_MS)) {
		query_fail(err, dst);
		goto out;
	}
	if (!rly_ibcq_unreceived(err, &unacked, src->chain->rpc, true, src->port_id,
				 src->channel_id, acks.v, acks.n, CLEAR_RPC_MS)) {
		query_fail(err, src);
		goto out;
	}
	out->unreceived = unrecv.n;
	out->unacked = unacked.n;
	if (!rly_clear_seqs_union(&out->seqs, unrecv.v, unrecv.n, unacked.v, unacked.n)) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto out;
	}
	w.r = r;
	w.src = src;
	w.dst = dst;
	w.out = out;
	w.done[0] = calloc(out->seqs.n + 1, sizeof(bool));
	w.done[1] = calloc(out->seqs.n + 1, sizeof(bool));
	if (!w.done[0] || !w.done[1]) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < out->seqs.n; i++) {
		bool has_packet = false, has_ack = false;

		if (!journal_has(r, err, src, out->seqs.v[i], &has_packet, &has_ack))
			goto out;
		w.done[0][i] = has_packet;
		w.done[1][i] = has_ack || !in_list(&unacked, out->seqs.v[i]);
	}
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < out->seqs.n && !relay_stopping(r); i++) {
			if (!w.done[k][i] && !find(&w, err, k ? RLY_EV_WRITE_ACK : RLY_EV_SEND, i))
				goto out;
			if ((w.acc.n_sent >= CLEAR_FLUSH || w.acc.n_acks >= CLEAR_FLUSH) &&
			    !acc_flush(r, err, &w.acc, out))
				goto out;
		}
	}
	ok = acc_flush(r, err, &w.acc, out);
out:
	if (!ok) {
		for (size_t i = 0; i < w.acc.n_sent; i++)
			free((void *)w.acc.sent[i].data);
		for (size_t i = 0; i < w.acc.n_acks; i++)
			free((void *)w.acc.acks[i].ack);
	}
	free(w.acc.sent);
	free(w.acc.acks);
	free(w.done[0]);
	free(w.done[1]);
	rly_ibcq_seqs_free(&commits);
	rly_ibcq_seqs_free(&unrecv);
	rly_ibcq_seqs_free(&acks);
	rly_ibcq_seqs_free(&unacked);
	return ok;
}

static int64_t head_of(const struct rly_end *e)
{
	return cmt_client_height(e->chain->rpc);
}

/* Both directions of a path; dirs[0] a -> b, dirs[1] b -> a. */
static bool clear_path(struct relay *r, struct px_err *err, struct r_path *rp,
		       struct rly_clear_dir dirs[2])
{
	for (int d = 0; d < 2; d++) {
		struct rly_end *src = d ? &rp->p.b : &rp->p.a, *dst = d ? &rp->p.a : &rp->p.b;

		if (!clear_dir(r, err, src, dst, &dirs[d]))
			return false;
		if (dirs[d].unreceived || dirs[d].unacked || dirs[d].journalled ||
		    dirs[d].acks_journalled)
			px_info(MOD, "path %s: cleared %s %s/%s -> %s: %zu unreceived packet(s), %zu "
				"unreceived ack(s); journalled %zu packet(s), %zu ack(s)%s",
				rp->cfg->name, dirs[d].src_chain, dirs[d].src_port, dirs[d].src_channel,
				dirs[d].dst_chain, dirs[d].unreceived, dirs[d].unacked,
				dirs[d].journalled, dirs[d].acks_journalled,
				dirs[d].missing ? " (some not found with tx_search)" : "");
	}
	rp->clear_h[0] = head_of(&rp->p.a);
	rp->clear_h[1] = head_of(&rp->p.b);
	return true;
}

static bool is_verify(int code)
{
	return code >= 300 && code < 400;
}

/* The daemon: a failed clearing halts the path on a 3xx (a node that
 * lies about events is an operator's matter, as a bad proof is) and is
 * retried later otherwise. False only when everything must stop. */
static bool clear_daemon(struct relay *r, struct px_err *err, struct r_path *rp)
{
	struct rly_clear_dir dirs[2];
	struct px_err e = { 0 };
	bool ok;

	memset(dirs, 0, sizeof(dirs));
	ok = clear_path(r, &e, rp, dirs);
	rly_ibcq_seqs_free(&dirs[0].seqs);
	rly_ibcq_seqs_free(&dirs[1].seqs);
	if (ok) {
		rp->clear_retry_at = 0;
		return true;
	}
	if (px_err_is_set(&r->fatal)) {
		px_err_set(err, r->fatal.code, "%s", r->fatal.msg);
		return false;
	}
	if (is_verify(e.code)) {
		rp->halted = true;
		r->halt = e;
		relay_obs_halted(r, rp, &e);
		px_error(MOD, "path %s HALTED: verification failed while clearing (%d %s): %s; "
			 "nothing more is submitted for it", rp->cfg->name, e.code,
			 px_code_name(e.code), e.msg);
		return true;
	}
	rp->clear_retry_at = relay_mono_ms() + CLEAR_RETRY_MS;
	px_warn(MOD, "path %s: clearing failed (code %d): %s; retrying in %d ms", rp->cfg->name,
		e.code, e.msg, CLEAR_RETRY_MS);
	return true;
}

bool relay_clear_start(struct relay *r, struct px_err *err)
{
	if (r->o->clear) {
		r->o->clear->path = r->n_paths ? r->paths[0].cfg->name : NULL;
		r->clear_next_ms = 0;
		r->clear_deadline_ms = relay_mono_ms() +
				       (r->o->clear_timeout_ms ? r->o->clear_timeout_ms
							       : CLEAR_TIMEOUT_MS);
		return true;
	}
	for (size_t i = 0; i < r->n_paths && !relay_stopping(r); i++) {
		struct r_path *rp = &r->paths[i];
		struct rly_end *e[2] = { &rp->p.a, &rp->p.b };

		for (int s = 0; s < 2; s++) {
			struct px_err e2 = { 0 };
			int64_t head = 0;

			/* Unknown: do not wait (the time bound in tick). */
			if (!rly_fetch_head(&e2, &head, e[s]->chain->fetch))
				head = 0;
			rp->clear_from[s] = head;
		}
	}
	r->clear_deadline_ms = relay_mono_ms() + CLEAR_CATCHUP_MS;
	return !px_err_is_set(err);
}

/* `clear packets`: one path; every CLEAR_AGAIN_MS, ask the chains again. */
static bool clear_once_tick(struct relay *r, struct px_err *err, bool *done)
{
	struct rly_clear_report *rep = r->o->clear;
	struct r_path *rp = &r->paths[0];
	struct rly_clear_dir tmp[2], *dirs = rep->rounds == 0 ? rep->dir : tmp;
	struct px_err e = { 0 };
	int64_t now = relay_mono_ms();
	size_t pending = 0;
	bool ok;

	if (now < r->clear_next_ms)
		return true;
	if (rp->halted) {
		return px_err_set(err, r->halt.code, "path %s halted: %s", rp->cfg->name,
				  r->halt.msg);
	}
	memset(tmp, 0, sizeof(tmp));
	ok = clear_path(r, &e, rp, dirs);
	for (int d = 0; d < 2; d++)
		pending += dirs[d].unreceived + dirs[d].unacked;
	rly_ibcq_seqs_free(&tmp[0].seqs);
	rly_ibcq_seqs_free(&tmp[1].seqs);
	if (!ok) {
		if (px_err_is_set(&r->fatal) || is_verify(e.code) || e.code == PX_E_CONFIG ||
		    now > r->clear_deadline_ms)
			return px_err_set(err, px_err_is_set(&r->fatal) ? r->fatal.code : e.code,
					  "%s", px_err_is_set(&r->fatal) ? r->fatal.msg : e.msg);
		px_warn(MOD, "path %s: clearing failed (code %d): %s; retrying", rp->cfg->name,
			e.code, e.msg);
		r->clear_next_ms = now + CLEAR_RETRY_MS;
		return true;
	}
	rep->rounds++;
	if (pending == 0) {
		*done = true;
		return true;
	}
	if (now > r->clear_deadline_ms)
		return px_err_set(err, PX_E_RPC, "path %s: %zu packet(s) and ack(s) still pending "
				  "after %u s", rp->cfg->name, pending,
				  (r->o->clear_timeout_ms ? r->o->clear_timeout_ms
							  : CLEAR_TIMEOUT_MS) / 1000);
	r->clear_next_ms = now + CLEAR_AGAIN_MS;
	return true;
}

bool relay_clear_tick(struct relay *r, struct px_err *err, bool *done)
{
	uint64_t interval = r->o->cfg->clear_interval;
	int64_t now;

	*done = false;
	if (r->o->clear)
		return r->n_paths == 0 || clear_once_tick(r, err, done);
	now = relay_mono_ms();
	for (size_t i = 0; i < r->n_paths && !relay_stopping(r); i++) {
		struct r_path *rp = &r->paths[i];
		int64_t head[2] = { head_of(&rp->p.a), head_of(&rp->p.b) };

		if (rp->halted || now < rp->clear_retry_at)
			continue;
		if (!rp->cleared) {
			/* Packets sent while the relayer was down are the
			 * watchers' to read back (block_results, cheap); the
			 * start-up clearing waits for them, so that tx_search
			 * looks only for what they cannot give. */
			if ((head[0] < rp->clear_from[0] || head[1] < rp->clear_from[1]) &&
			    now < r->clear_deadline_ms)
				continue;
			px_info(MOD, "path %s: clearing (start-up: what the chains say is pending "
				"now)", rp->cfg->name);
			if (!clear_daemon(r, err, rp))
				return false;
			rp->cleared = rp->clear_retry_at == 0;
			continue;
		}
		/* Heights unknown at the last clearing (no event yet) start
		 * the count now rather than trigger a clearing at once. */
		for (int s = 0; s < 2; s++)
			if (rp->clear_h[s] <= 0)
				rp->clear_h[s] = head[s];
		if (interval == 0 ||
		    (!rp->clear_retry_at && !rly_clear_due(interval, rp->clear_h, head)))
			continue;
		px_info(MOD, "path %s: clearing (every %" PRIu64 " blocks)", rp->cfg->name, interval);
		if (!clear_daemon(r, err, rp))
			return false;
	}
	return true;
}
