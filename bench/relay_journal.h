/* What bench_relay reads from (and, for the restart figure, adds to) the
 * relayer's journal while `pontifex start` writes it: packets per state,
 * the benchmark's packets with their heights and transactions, and filler
 * rows of acknowledged packets. */
#ifndef PX_BENCH_RELAY_JOURNAL_H
#define PX_BENCH_RELAY_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/errors.h"
#include "relayer/journal.h"

/* Packets per state over the whole journal (all zero when the file does
 * not exist yet). */
bool bench_journal_states(struct px_err *err, const char *path,
			  uint64_t out[RLY_PKT_STATE_COUNT]) PX_MUST_CHECK;
/* Packets in state `from` or a later one up to acked. */
uint64_t bench_states_past(const uint64_t s[RLY_PKT_STATE_COUNT], enum rly_packet_state from);

/* One packet of the benchmark's channel. */
struct bench_pkt {
	int src;			/* 0: sent on chain a */
	uint64_t seq, send_h, recv_h, ack_h;
	char recv_tx[RLY_JOURNAL_TX_MAX + 1], ack_tx[RLY_JOURNAL_TX_MAX + 1];
};

struct bench_pkts {
	struct bench_pkt *v;
	size_t n, cap;
};

/* The packets sent on chain_a over chan_a and on chain_b over chan_b;
 * free out->v. */
bool bench_journal_packets(struct px_err *err, struct bench_pkts *out, const char *path,
			   const char *chain_a, const char *chan_a, const char *chain_b,
			   const char *chan_b) PX_MUST_CHECK;
/* Distinct recv (ack: acknowledgement) transactions of the packets with
 * sequence lo..hi. */
size_t bench_pkts_txs(const struct bench_pkts *p, uint64_t lo, uint64_t hi, bool ack);

/* Adds acknowledged packets chain_a/transfer/channel-900 -> chain_b until
 * the journal holds `packets` rows (a channel no path relays: the daemon
 * only reads past them). */
bool bench_journal_fill(struct px_err *err, const char *path, const char *chain_a,
			const char *chain_b, uint64_t packets) PX_MUST_CHECK;

#endif
