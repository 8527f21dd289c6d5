/* The relayer's journal as bench_relay reads it (see relay_journal.h). */
#include "bench/relay_journal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool bench_journal_states(struct px_err *err, const char *path, uint64_t out[RLY_PKT_STATE_COUNT])
{
	struct rly_packet_filter all = { 0 };
	struct rly_journal *j = NULL;
	bool ok;

	memset(out, 0, sizeof(uint64_t) * RLY_PKT_STATE_COUNT);
	if (access(path, R_OK) != 0)
		return true;
	if (!rly_journal_open_sqlite(err, &j, path))
		return false;
	ok = rly_journal_counts(j, err, &all, out);
	rly_journal_close(j);
	return ok;
}

uint64_t bench_states_past(const uint64_t s[RLY_PKT_STATE_COUNT], enum rly_packet_state from)
{
	uint64_t n = 0;

	for (int i = from; i <= RLY_PKT_ACKED; i++)
		n += s[i];
	return n;
}

struct collect_ctx {
	struct bench_pkts *p;
	const char *chain[2], *chan[2];
};

static bool collect(void *arg, const struct rly_packet_record *r)
{
	struct collect_ctx *c = arg;
	struct bench_pkts *p = c->p;
	struct bench_pkt *x;
	int src;

	for (src = 0; src < 2; src++) {
		if (strcmp(r->packet.key.src_chain, c->chain[src]) == 0 &&
		    strcmp(r->packet.key.src_channel, c->chan[src]) == 0)
			break;
	}
	if (src == 2)
		return true;
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 1024;
		struct bench_pkt *v = realloc(p->v, cap * sizeof(*v));

		if (!v)
			return false;
		p->v = v;
		p->cap = cap;
	}
	x = &p->v[p->n++];
	x->src = src;
	x->seq = r->packet.key.sequence;
	x->send_h = r->packet.send_height;
	x->recv_h = r->recv_height;
	x->ack_h = r->ack_height;
	snprintf(x->recv_tx, sizeof(x->recv_tx), "%s", r->recv_tx);
	snprintf(x->ack_tx, sizeof(x->ack_tx), "%s", r->ack_tx);
	return true;
}

bool bench_journal_packets(struct px_err *err, struct bench_pkts *out, const char *path,
			   const char *chain_a, const char *chan_a, const char *chain_b,
			   const char *chan_b)
{
	struct bench_pkts p = { NULL, 0, 0 };
	struct collect_ctx c = { &p, { chain_a, chain_b }, { chan_a, chan_b } };
	struct rly_packet_filter all = { 0 };
	struct rly_journal *j = NULL;
	bool ok;

	ok = rly_journal_open_sqlite(err, &j, path) &&
	     rly_journal_list(j, err, &all, 0, 0, collect, &c);
	rly_journal_close(j);
	if (!ok) {
		free(p.v);
		return false;
	}
	*out = p;
	return true;
}

static int cmp_hash(const void *a, const void *b)
{
	return strcmp(a, b);
}

size_t bench_pkts_txs(const struct bench_pkts *p, uint64_t lo, uint64_t hi, bool ack)
{
	char (*h)[RLY_JOURNAL_TX_MAX + 1] = calloc(p->n ? p->n : 1, sizeof(*h));
	size_t n = 0, d = 0;

	if (!h)
		return 0;
	for (size_t i = 0; i < p->n; i++) {
		if (p->v[i].seq >= lo && p->v[i].seq <= hi)
			memcpy(h[n++], ack ? p->v[i].ack_tx : p->v[i].recv_tx, sizeof(h[0]));
	}
	qsort(h, n, sizeof(*h), cmp_hash);
	for (size_t i = 0; i < n; i++)
		d += h[i][0] && (i == 0 || strcmp(h[i], h[i - 1]) != 0);
	free(h);
	return d;
}

bool bench_journal_fill(struct px_err *err, const char *path, const char *chain_a,
			const char *chain_b, uint64_t packets)
{
	/* an ICS-20 packet's data and a success acknowledgement, of the
	 * sizes the run's own rows have */
	static const char data[] =
		"{\"amount\":\"3\",\"denom\":\"stake\",\"receiver\":\"cosmos1qqqqqqqqqqqqqqqqqqqq"
		"qqqqqqqqqqqqqqqqqqq\",\"sender\":\"cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq\"}";
	static const uint8_t ack[] = "{\"result\":\"AQ==\"}";
	static struct rly_packet_sent sent[100];
	static struct rly_packet_ack acks[100];
	uint64_t s[RLY_PKT_STATE_COUNT], have = 0, seq = 0;
	struct rly_journal *j = NULL;
	bool ok;

	if (!bench_journal_states(err, path, s))
		return false;
	for (int i = 0; i < RLY_PKT_STATE_COUNT; i++)
		have += s[i];
	ok = rly_journal_open_sqlite(err, &j, path);
	while (ok && have + seq < packets) {
		size_t n = 0;

		/* blocks of 100, one storage transaction each, as the watcher
		 * records them; then the two transitions of each packet */
		for (; n < 100 && have + seq < packets; n++) {
			struct rly_packet_sent *p = &sent[n];

			seq++;
			memset(p, 0, sizeof(*p));
			snprintf(p->key.src_chain, sizeof(p->key.src_chain), "%s", chain_a);
			snprintf(p->key.src_port, sizeof(p->key.src_port), "transfer");
			snprintf(p->key.src_channel, sizeof(p->key.src_channel), "channel-900");
			p->key.sequence = seq;
			snprintf(p->dst_chain, sizeof(p->dst_chain), "%s", chain_b);
			snprintf(p->dst_port, sizeof(p->dst_port), "transfer");
			snprintf(p->dst_channel, sizeof(p->dst_channel), "channel-901");
			p->send_height = 1 + seq / 100;
			p->timeout_timestamp = 1700000000000000000ull;
			p->data = (const uint8_t *)data;
			p->data_len = sizeof(data) - 1;
			acks[n].key = p->key;
			acks[n].height = 2 + seq / 100;
			acks[n].ack = ack;
			acks[n].ack_len = sizeof(ack) - 1;
		}
		ok = rly_journal_record_height(j, err, NULL, 0, sent, n, acks, n, NULL);
		for (size_t i = 0; ok && i < n; i++) {
			struct rly_transition recv = { RLY_PKT_RECEIVED, "FILLER",
						       sent[i].send_height + 1, NULL };
			struct rly_transition done = { RLY_PKT_ACKED, "FILLER",
						       sent[i].send_height + 2, NULL };

			ok = rly_journal_transition(j, err, &sent[i].key, &recv) &&
			     rly_journal_transition(j, err, &sent[i].key, &done);
		}
	}
	rly_journal_close(j);
	return ok;
}
