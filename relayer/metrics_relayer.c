/* The relayer's own metrics (struct rly_relayer_metrics in metrics.h): their
 * names, help texts, labels and buckets, in one table so that
 * docs/metrics.md has a single place to agree with. */
#include "relayer/metrics.h"

#include <stddef.h>
#include <string.h>

const double rly_tx_latency_buckets[] = { 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120 };
const size_t rly_tx_latency_buckets_len =
	sizeof(rly_tx_latency_buckets) / sizeof(rly_tx_latency_buckets[0]);

static const char *const l_path_kind[] = { "path", "kind" };
static const char *const l_channel[] = { "chain", "port", "channel" };
static const char *const l_chain[] = { "chain" };
static const char *const l_chain_reason[] = { "chain", "reason" };
static const char *const l_chain_denom[] = { "chain", "denom" };

#define DESC(field, nm, ty, hlp, lbls, nl)                                                  \
	{ offsetof(struct rly_relayer_metrics, field),                                      \
	  { .name = nm, .help = hlp, .type = ty, .labels = lbls, .n_labels = nl } }

static const struct {
	size_t offset;
	struct rly_metric_desc d;
} table[] = {
	DESC(packets_relayed, "pontifex_packets_relayed_total", RLY_METRIC_COUNTER,
	     "Packet messages (recv, ack, timeout) delivered in a successful transaction.",
	     l_path_kind, 2),
	DESC(backlog_packets, "pontifex_backlog_packets", RLY_METRIC_GAUGE,
	     "Packets sent on the channel and not yet relayed (received, acknowledged or "
	     "timed out).", l_channel, 3),
	DESC(backlog_oldest_sequence, "pontifex_backlog_oldest_sequence", RLY_METRIC_GAUGE,
	     "Sequence of the oldest pending packet on the channel; 0 when none is pending.",
	     l_channel, 3),
	DESC(header_verifications, "pontifex_header_verifications_total", RLY_METRIC_COUNTER,
	     "Headers of the chain that the light client checked, verified or not.",
	     l_chain, 1),
	DESC(header_verification_failures, "pontifex_header_verification_failures_total",
	     RLY_METRIC_COUNTER, "Headers of the chain that failed light-client verification.",
	     l_chain_reason, 2),
	DESC(ws_reconnects, "pontifex_websocket_reconnects_total", RLY_METRIC_COUNTER,
	     "Websocket connections to the chain re-established after a loss.", l_chain, 1),
	DESC(txs_submitted, "pontifex_txs_submitted_total", RLY_METRIC_COUNTER,
	     "Transactions broadcast to the chain.", l_chain, 1),
	DESC(txs_failed, "pontifex_txs_failed_total", RLY_METRIC_COUNTER,
	     "Transactions refused by the chain, failed in a block or not included in time.",
	     l_chain, 1),
	{ offsetof(struct rly_relayer_metrics, tx_latency),
	  { .name = "pontifex_tx_latency_seconds",
	    .help = "Seconds from broadcast to inclusion in a block.",
	    .type = RLY_METRIC_HISTOGRAM, .labels = l_chain, .n_labels = 1,
	    .buckets = rly_tx_latency_buckets,
	    .n_buckets = sizeof(rly_tx_latency_buckets) / sizeof(rly_tx_latency_buckets[0]) } },
	DESC(wallet_balance, "pontifex_wallet_balance", RLY_METRIC_GAUGE,
	     "Balance of the relayer's account on the chain, in base units of the denom.",
	     l_chain_denom, 2),
	DESC(journal_packets, "pontifex_journal_packets", RLY_METRIC_GAUGE,
	     "Packets recorded in the journal.", NULL, 0),
};

bool rly_relayer_metrics_register(struct px_err *err, struct rly_relayer_metrics *out,
				  struct rly_metrics *reg)
{
	struct rly_relayer_metrics m;

	memset(&m, 0, sizeof(m));
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		struct rly_metric **slot = (struct rly_metric **)((char *)&m + table[i].offset);

		if (!rly_metrics_add(err, slot, reg, &table[i].d)) {
			memset(out, 0, sizeof(*out));
			return false;
		}
	}
	*out = m;
	return true;
}

const char *rly_packet_kind_name(enum rly_packet_kind kind)
{
	switch (kind) {
	case RLY_PACKET_RECV: return "recv";
	case RLY_PACKET_ACK: return "ack";
	case RLY_PACKET_TIMEOUT: return "timeout";
	}
	return "unknown";
}

const char *rly_metrics_failure_reason(int code)
{
	if (code >= 300 && code < 400)
		return px_code_name(code);
	if (code >= 200 && code < 300)
		return "malformed";
	return "other";
}
