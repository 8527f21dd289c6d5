/* The relayer's metrics: a registry of counters, gauges and histograms with
 * labels, rendered in the Prometheus text exposition format 0.0.4 for
 * GET /metrics (relayer/status_http.h). The relayer's modules update the
 * metrics of struct rly_relayer_metrics as they work; docs/metrics.md lists
 * them.
 *
 * Labels: each metric has fixed label names, given when it is registered;
 * updates give the values, in the same order. Every distinct set of values
 * is a series. A metric holds at most max_series series: an update that
 * would create one more is dropped, and so is an update whose label value
 * is longer than RLY_METRIC_LABEL_VALUE_MAX or not UTF-8. Each dropped
 * update is counted in pontifex_metrics_dropped_updates_total{metric=NAME}
 * (a counter every registry has), so an operator sees that a cap was hit
 * instead of silently losing data.
 *
 * Threading: one event-loop thread (STYLE rule 19), no locks. Memory: the
 * registry owns its metrics and their series; names, help texts and label
 * values are copied. */
#ifndef PX_RELAYER_METRICS_H
#define PX_RELAYER_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "common/errors.h"

#define RLY_METRICS_MAX 64			/* metrics per registry */
#define RLY_METRIC_LABELS_MAX 4			/* label names per metric */
#define RLY_METRIC_BUCKETS_MAX 32		/* histogram buckets, +Inf not counted */
#define RLY_METRIC_SERIES_DEFAULT 1024		/* max_series when 0 is given */
#define RLY_METRIC_SERIES_LIMIT 65536		/* the largest max_series */
#define RLY_METRIC_NAME_MAX 128
#define RLY_METRIC_HELP_MAX 1024
#define RLY_METRIC_LABEL_VALUE_MAX 256		/* bytes */

/* The registry's own counter of dropped updates. */
#define RLY_METRICS_DROPPED_NAME "pontifex_metrics_dropped_updates_total"

struct rly_metrics;
struct rly_metric;

enum rly_metric_type {
	RLY_METRIC_COUNTER = 1,
	RLY_METRIC_GAUGE = 2,
	RLY_METRIC_HISTOGRAM = 3,
};

struct rly_metric_desc {
	const char *name;		/* [a-zA-Z_:][a-zA-Z0-9_:]* */
	const char *help;		/* one line of text; may be empty */
	enum rly_metric_type type;
	const char *const *labels;	/* [a-zA-Z_][a-zA-Z0-9_]*, not "__*"; "le" not
					 * for histograms; n_labels of them */
	size_t n_labels;
	const double *buckets;		/* histograms: finite upper bounds, strictly
					 * increasing; +Inf is implicit */
	size_t n_buckets;
	size_t max_series;		/* 0: RLY_METRIC_SERIES_DEFAULT */
};

/* Label values for an update, in the order of the metric's label names:
 * rly_metric_inc(m, RLY_LABELS("a-to-b", "recv")). NULL for no labels. */
#define RLY_LABELS(...) ((const char *const[]){ __VA_ARGS__ })

bool rly_metrics_new(struct px_err *err, struct rly_metrics **out) PX_MUST_CHECK;
void rly_metrics_free(struct rly_metrics *reg);

/* Registers a metric; *out is borrowed (the registry owns it). PX_E_USAGE
 * for a bad name, label, bucket list or a duplicate name; PX_E_TOO_LARGE
 * past RLY_METRICS_MAX. */
bool rly_metrics_add(struct px_err *err, struct rly_metric **out, struct rly_metrics *reg,
		     const struct rly_metric_desc *d) PX_MUST_CHECK;

/* Updates. Each returns false when the update was dropped (see above) or is
 * not allowed: a counter never goes down (negative or NaN delta), a NaN
 * observation, an update of the wrong metric type. Callers normally ignore
 * the result: a metric must not stop the relayer. */
bool rly_metric_add(struct rly_metric *m, const char *const *values, double delta); /* counter, gauge */
bool rly_metric_inc(struct rly_metric *m, const char *const *values);	/* counter, gauge */
bool rly_metric_set(struct rly_metric *m, const char *const *values, double v);	/* gauge */
bool rly_metric_observe(struct rly_metric *m, const char *const *values, double v); /* histogram */
/* Forgets one series (a channel that was closed, a path that was removed). */
bool rly_metric_remove(struct rly_metric *m, const char *const *values);

/* The current value of a counter or gauge series, or a histogram series'
 * count; false when the series does not exist. For tests and /status. */
bool rly_metric_value(const struct rly_metric *m, const char *const *values, double *out);
size_t rly_metric_series_count(const struct rly_metric *m);

/* Appends the exposition text of every metric, in registration order
 * (series in creation order) to out. False when out failed to grow. */
bool rly_metrics_render(const struct rly_metrics *reg, struct px_buf *out) PX_MUST_CHECK;

/* Writes v the way Prometheus parses it: integers without a fraction,
 * others with the fewest digits that read back exactly, "NaN", "+Inf",
 * "-Inf". cap >= 32 always suffices. */
void rly_metrics_format_number(char *out, size_t cap, double v);

/* --- the relayer's metrics (docs/metrics.md) ------------------------------ */

struct rly_relayer_metrics {
	/* counter {path, kind}: kind is rly_packet_kind_name() */
	struct rly_metric *packets_relayed;
	/* gauges {chain, port, channel}: the source chain of the packets */
	struct rly_metric *backlog_packets;
	struct rly_metric *backlog_oldest_sequence;
	/* counters {chain}, and {chain, reason}: reason is
	 * rly_metrics_failure_reason() */
	struct rly_metric *header_verifications;
	struct rly_metric *header_verification_failures;
	/* counter {chain} */
	struct rly_metric *ws_reconnects;
	/* counters {chain}, histogram {chain} in seconds */
	struct rly_metric *txs_submitted;
	struct rly_metric *txs_failed;
	struct rly_metric *tx_latency;
	/* gauge {chain, denom}: in the denom's base units */
	struct rly_metric *wallet_balance;
	/* gauge, no labels */
	struct rly_metric *journal_packets;
};

enum rly_packet_kind {
	RLY_PACKET_RECV = 0,
	RLY_PACKET_ACK = 1,
	RLY_PACKET_TIMEOUT = 2,
};

/* The buckets of pontifex_tx_latency_seconds. */
extern const double rly_tx_latency_buckets[];
extern const size_t rly_tx_latency_buckets_len;

/* Registers every metric of the struct in reg; *out is zeroed on failure. */
bool rly_relayer_metrics_register(struct px_err *err, struct rly_relayer_metrics *out,
				  struct rly_metrics *reg) PX_MUST_CHECK;

/* "recv", "ack", "timeout"; "unknown" for other values. */
const char *rly_packet_kind_name(enum rly_packet_kind kind);

/* The reason label of a header verification failure: the code's name for
 * a 3xx code ("insufficient_voting_power"), "malformed" for any 2xx code, "other"
 * for the rest, so the label takes a bounded set of values. */
const char *rly_metrics_failure_reason(int code);

#endif
