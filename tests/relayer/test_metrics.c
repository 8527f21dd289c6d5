/* Unit tests for relayer/metrics.c and metrics_relayer.c: the exact
 * exposition text of a small registry, escaping of label values and help
 * text, cumulative histogram buckets with +Inf, _sum and _count, the series
 * cap and its dropped-update counter, the number format, refused updates
 * and registrations, and the relayer's predefined metrics (each one
 * documented in docs/metrics.md). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "relayer/metrics.h"

static struct rly_metrics *reg_new(void)
{
	struct px_err err = { 0 };
	struct rly_metrics *reg = NULL;

	assert_true(rly_metrics_new(&err, &reg));
	assert_non_null(reg);
	return reg;
}

static struct rly_metric *add(struct rly_metrics *reg, const struct rly_metric_desc *d)
{
	struct px_err err = { 0 };
	struct rly_metric *m = NULL;

	if (!rly_metrics_add(&err, &m, reg, d))
		fail_msg("%s", err.msg);
	return m;
}

/* The text of reg, as a NUL-terminated string the caller frees. */
static char *render(const struct rly_metrics *reg)
{
	struct px_buf b = PX_BUF_INIT;
	char *s;

	assert_true(rly_metrics_render(reg, &b));
	s = malloc(b.len + 1);
	assert_non_null(s);
	if (b.len)
		memcpy(s, b.data, b.len);
	s[b.len] = 0;
	px_buf_free(&b);
	return s;
}

static void assert_render(const struct rly_metrics *reg, const char *want)
{
	char *got = render(reg);

	if (strcmp(got, want) != 0) {
		print_message("--- want\n%s--- got\n%s---\n", want, got);
		free(got);
		fail();
	}
	free(got);
}

#define DROPPED_EMPTY                                                                      \
	"# HELP pontifex_metrics_dropped_updates_total Metric updates dropped because a "    \
	"series cap was reached or a label value was refused.\n"                            \
	"# TYPE pontifex_metrics_dropped_updates_total counter\n"

static const char *const l_path_kind[] = { "path", "kind" };
static const char *const l_chain[] = { "chain" };

static void test_exact_text(void **state)
{
	struct rly_metrics *reg = reg_new();
	const struct rly_metric_desc dc = { .name = "px_relayed_total", .help = "Packets relayed.",
					    .type = RLY_METRIC_COUNTER, .labels = l_path_kind,
					    .n_labels = 2 };
	const struct rly_metric_desc dg = { .name = "px_journal", .help = "Journal size.",
					    .type = RLY_METRIC_GAUGE };
	const struct rly_metric_desc dn = { .name = "px_nohelp", .type = RLY_METRIC_GAUGE,
					    .labels = l_chain, .n_labels = 1 };
	struct rly_metric *c, *g, *n;
	double v = 0;

	(void)state;
	c = add(reg, &dc);
	g = add(reg, &dg);
	n = add(reg, &dn);
	/* no series yet: HELP and TYPE only */
	assert_render(reg, "# HELP px_relayed_total Packets relayed.\n"
			   "# TYPE px_relayed_total counter\n"
			   "# HELP px_journal Journal size.\n"
			   "# TYPE px_journal gauge\n"
			   "# TYPE px_nohelp gauge\n" DROPPED_EMPTY);

	assert_true(rly_metric_inc(c, RLY_LABELS("a-b", "recv")));
	assert_true(rly_metric_add(c, RLY_LABELS("a-b", "ack"), 2));
	assert_true(rly_metric_inc(c, RLY_LABELS("a-b", "recv")));
	assert_true(rly_metric_set(g, NULL, 10000));
	assert_true(rly_metric_add(g, NULL, -1.5));
	assert_true(rly_metric_set(n, RLY_LABELS(""), 0));
	assert_render(reg, "# HELP px_relayed_total Packets relayed.\n"
			   "# TYPE px_relayed_total counter\n"
			   "px_relayed_total{path=\"a-b\",kind=\"recv\"} 2\n"
			   "px_relayed_total{path=\"a-b\",kind=\"ack\"} 2\n"
			   "# HELP px_journal Journal size.\n"
			   "# TYPE px_journal gauge\n"
			   "px_journal 9998.5\n"
			   "# TYPE px_nohelp gauge\n"
			   "px_nohelp{chain=\"\"} 0\n" DROPPED_EMPTY);

	assert_true(rly_metric_value(c, RLY_LABELS("a-b", "recv"), &v));
	assert_true(v == 2);
	assert_false(rly_metric_value(c, RLY_LABELS("a-b", "timeout"), &v));
	assert_int_equal(rly_metric_series_count(c), 2);

	/* removing a series drops its line, the others keep their order */
	assert_true(rly_metric_remove(c, RLY_LABELS("a-b", "recv")));
	assert_false(rly_metric_remove(c, RLY_LABELS("a-b", "recv")));
	assert_true(rly_metric_inc(c, RLY_LABELS("a-b", "recv")));
	assert_render(reg, "# HELP px_relayed_total Packets relayed.\n"
			   "# TYPE px_relayed_total counter\n"
			   "px_relayed_total{path=\"a-b\",kind=\"ack\"} 2\n"
			   "px_relayed_total{path=\"a-b\",kind=\"recv\"} 1\n"
			   "# HELP px_journal Journal size.\n"
			   "# TYPE px_journal gauge\n"
			   "px_journal 9998.5\n"
			   "# TYPE px_nohelp gauge\n"
			   "px_nohelp{chain=\"\"} 0\n" DROPPED_EMPTY);
	rly_metrics_free(reg);
}

static void test_escaping(void **state)
{
	struct rly_metrics *reg = reg_new();
	const struct rly_metric_desc d = { .name = "px_esc", .help = "Back\\slash, \"quote\"\nline",
					   .type = RLY_METRIC_COUNTER, .labels = l_chain,
					   .n_labels = 1 };
	struct rly_metric *m = add(reg, &d);

	(void)state;
	assert_true(rly_metric_inc(m, RLY_LABELS("a\\b\"c\nd")));
	/* UTF-8 passes unchanged */
	assert_true(rly_metric_inc(m, RLY_LABELS("caf\xc3\xa9")));
	/* two values that differ only by escaping are two series */
	assert_true(rly_metric_inc(m, RLY_LABELS("a\\nb")));
	assert_true(rly_metric_inc(m, RLY_LABELS("a\nb")));
	assert_render(reg, "# HELP px_esc Back\\\\slash, \"quote\"\\nline\n"
			   "# TYPE px_esc counter\n"
			   "px_esc{chain=\"a\\\\b\\\"c\\nd\"} 1\n"
			   "px_esc{chain=\"caf\xc3\xa9\"} 1\n"
			   "px_esc{chain=\"a\\\\nb\"} 1\n"
			   "px_esc{chain=\"a\\nb\"} 1\n" DROPPED_EMPTY);
	rly_metrics_free(reg);
}

static void test_histogram(void **state)
{
	static const double b[] = { 0.25, 1, 4 };
	struct rly_metrics *reg = reg_new();
	const struct rly_metric_desc d = { .name = "px_latency_seconds", .help = "Latency.",
					   .type = RLY_METRIC_HISTOGRAM, .labels = l_chain,
					   .n_labels = 1, .buckets = b, .n_buckets = 3 };
	const struct rly_metric_desc d0 = { .name = "px_plain", .type = RLY_METRIC_HISTOGRAM };
	struct rly_metric *m = add(reg, &d), *p = add(reg, &d0);
	double v = 0;

	(void)state;
	assert_true(rly_metric_observe(m, RLY_LABELS("x"), 0.125));
	assert_true(rly_metric_observe(m, RLY_LABELS("x"), 0.25));	/* le is inclusive */
	assert_true(rly_metric_observe(m, RLY_LABELS("x"), 0.5));
	assert_true(rly_metric_observe(m, RLY_LABELS("x"), 8));	/* only in +Inf */
	assert_true(rly_metric_observe(m, RLY_LABELS("y"), -2));	/* below every bound */
	assert_false(rly_metric_observe(m, RLY_LABELS("x"), NAN));
	assert_false(rly_metric_add(m, RLY_LABELS("x"), 1));	/* not a counter */
	assert_true(rly_metric_observe(p, NULL, 3));
	assert_true(rly_metric_value(m, RLY_LABELS("x"), &v));
	assert_true(v == 4);
	assert_render(reg, "# HELP px_latency_seconds Latency.\n"
			   "# TYPE px_latency_seconds histogram\n"
			   "px_latency_seconds_bucket{chain=\"x\",le=\"0.25\"} 2\n"
			   "px_latency_seconds_bucket{chain=\"x\",le=\"1\"} 3\n"
			   "px_latency_seconds_bucket{chain=\"x\",le=\"4\"} 3\n"
			   "px_latency_seconds_bucket{chain=\"x\",le=\"+Inf\"} 4\n"
			   "px_latency_seconds_sum{chain=\"x\"} 8.875\n"
			   "px_latency_seconds_count{chain=\"x\"} 4\n"
			   "px_latency_seconds_bucket{chain=\"y\",le=\"0.25\"} 1\n"
			   "px_latency_seconds_bucket{chain=\"y\",le=\"1\"} 1\n"
			   "px_latency_seconds_bucket{chain=\"y\",le=\"4\"} 1\n"
			   "px_latency_seconds_bucket{chain=\"y\",le=\"+Inf\"} 1\n"
			   "px_latency_seconds_sum{chain=\"y\"} -2\n"
			   "px_latency_seconds_count{chain=\"y\"} 1\n"
			   "# TYPE px_plain histogram\n"
			   "px_plain_bucket{le=\"+Inf\"} 1\n"
			   "px_plain_sum 3\n"
			   "px_plain_count 1\n" DROPPED_EMPTY);
	rly_metrics_free(reg);
}

static void test_series_cap(void **state)
{
	struct rly_metrics *reg = reg_new();
	const struct rly_metric_desc d = { .name = "px_capped", .type = RLY_METRIC_GAUGE,
					   .labels = l_chain, .n_labels = 1, .max_series = 2 };
	struct rly_metric *m = add(reg, &d);
	char big[RLY_METRIC_LABEL_VALUE_MAX + 2];
	double v = 0;

	(void)state;
	assert_true(rly_metric_set(m, RLY_LABELS("a"), 1));
	assert_true(rly_metric_set(m, RLY_LABELS("b"), 2));
	/* a third series is dropped and counted; the existing ones still update */
	assert_false(rly_metric_set(m, RLY_LABELS("c"), 3));
	assert_false(rly_metric_inc(m, RLY_LABELS("d")));
	assert_true(rly_metric_set(m, RLY_LABELS("a"), 5));
	assert_int_equal(rly_metric_series_count(m), 2);
	assert_false(rly_metric_value(m, RLY_LABELS("c"), &v));
	assert_render(reg, "# TYPE px_capped gauge\n"
			   "px_capped{chain=\"a\"} 5\n"
			   "px_capped{chain=\"b\"} 2\n" DROPPED_EMPTY
			   "pontifex_metrics_dropped_updates_total{metric=\"px_capped\"} 2\n");
	/* freeing a series makes room again */
	assert_true(rly_metric_remove(m, RLY_LABELS("b")));
	assert_true(rly_metric_set(m, RLY_LABELS("c"), 3));

	/* refused values: too long, not UTF-8 (bad byte, truncated, overlong,
	 * surrogate); each counted */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	assert_true(rly_metric_remove(m, RLY_LABELS("c")));
	assert_false(rly_metric_set(m, RLY_LABELS(big), 1));
	big[RLY_METRIC_LABEL_VALUE_MAX] = 0;	/* exactly the limit: accepted */
	assert_true(rly_metric_set(m, RLY_LABELS(big), 1));
	assert_true(rly_metric_remove(m, RLY_LABELS(big)));
	assert_false(rly_metric_set(m, RLY_LABELS("\xff"), 1));
	assert_false(rly_metric_set(m, RLY_LABELS("ab\xc3"), 1));
	assert_false(rly_metric_set(m, RLY_LABELS("\xc0\xaf"), 1));
	assert_false(rly_metric_set(m, RLY_LABELS("\xed\xa0\x80"), 1));
	assert_true(rly_metric_set(m, RLY_LABELS("\xf0\x9f\x98\x80"), 1));
	assert_true(rly_metric_value(m, RLY_LABELS("a"), &v));
	assert_true(v == 5);
	assert_int_equal(rly_metric_series_count(m), 2);
	{
		char *text = render(reg);

		assert_non_null(strstr(text, "pontifex_metrics_dropped_updates_total"
					     "{metric=\"px_capped\"} 7\n"));
		free(text);
	}
	rly_metrics_free(reg);
}

static void test_refused_updates(void **state)
{
	struct rly_metrics *reg = reg_new();
	const struct rly_metric_desc dc = { .name = "px_c", .type = RLY_METRIC_COUNTER };
	const struct rly_metric_desc dg = { .name = "px_g", .type = RLY_METRIC_GAUGE };
	struct rly_metric *c = add(reg, &dc), *g = add(reg, &dg);
	double v = -1;

	(void)state;
	assert_false(rly_metric_add(c, NULL, -1));		/* counters only go up */
	assert_false(rly_metric_add(c, NULL, NAN));
	assert_false(rly_metric_set(c, NULL, 3));		/* set is for gauges */
	assert_false(rly_metric_observe(g, NULL, 1));		/* observe for histograms */
	assert_false(rly_metric_inc(NULL, NULL));
	assert_false(rly_metric_value(c, NULL, &v));		/* nothing was created */
	assert_true(v == -1);
	assert_true(rly_metric_add(c, NULL, 0.5));
	assert_true(rly_metric_value(c, NULL, &v));
	assert_true(v == 0.5);
	assert_true(rly_metric_add(g, NULL, -3));
	assert_render(reg, "# TYPE px_c counter\npx_c 0.5\n# TYPE px_g gauge\npx_g -3\n"
			   DROPPED_EMPTY);
	rly_metrics_free(reg);
}

static void expect_refused(struct rly_metrics *reg, const struct rly_metric_desc *d, int code)
{
	struct px_err err = { 0 };
	struct rly_metric *m = (struct rly_metric *)1;

	assert_false(rly_metrics_add(&err, &m, reg, d));
	assert_null(m);
	assert_int_equal(err.code, code);
}

static void test_bad_registrations(void **state)
{
	static const char *const l_le[] = { "le" };
	static const char *const l_dunder[] = { "__x" };
	static const char *const l_digit[] = { "1x" };
	static const char *const l_colon[] = { "a:b" };
	static const char *const l_twice[] = { "a", "a" };
	static const char *const l_five[] = { "a", "b", "c", "d", "e" };
	static const double b_down[] = { 1, 0.5 };
	static const double b_same[] = { 1, 1 };
	static const double b_inf[] = { 1, INFINITY };
	struct rly_metrics *reg = reg_new();
	struct rly_metric_desc d;
	struct rly_metric *m;
	struct px_err err = { 0 };
	char name[16];

	(void)state;
#define REFUSE(code, ...)                                                                   \
	do {                                                                                \
		d = (struct rly_metric_desc){ __VA_ARGS__ };                                \
		expect_refused(reg, &d, code);                                              \
	} while (0)
	REFUSE(PX_E_USAGE, .name = "", .type = RLY_METRIC_GAUGE);
	REFUSE(PX_E_USAGE, .name = NULL, .type = RLY_METRIC_GAUGE);
	REFUSE(PX_E_USAGE, .name = "9lives", .type = RLY_METRIC_GAUGE);
	REFUSE(PX_E_USAGE, .name = "has-dash", .type = RLY_METRIC_GAUGE);
	REFUSE(PX_E_USAGE, .name = "px_ok", .type = 0);
	REFUSE(PX_E_USAGE, .name = "px_ok", .type = RLY_METRIC_GAUGE, .labels = l_dunder,
	       .n_labels = 1);
	REFUSE(PX_E_USAGE, .name = "px_ok", .type = RLY_METRIC_GAUGE, .labels = l_digit,
	       .n_labels = 1);
	REFUSE(PX_E_USAGE, .name = "px_ok", .type = RLY_METRIC_GAUGE, .labels = l_colon,
	       .n_labels = 1);
	REFUSE(PX_E_USAGE, .name = "px_ok", .type = RLY_METRIC_GAUGE, .labels = l_twice,
	       .n_labels = 2);
	REFUSE(PX_E_USAGE, .name = "px_ok", .type = RLY_METRIC_GAUGE, .labels = l_five,
	       .n_labels = 5);
	REFUSE(PX_E_USAGE, .name = "px_ok", .type = RLY_METRIC_HISTOGRAM, .labels = l_le,
	       .n_labels = 1);
	REFUSE(PX_E_USAGE, .name = "px_ok", .type = RLY_METRIC_HISTOGRAM, .buckets = b_down,
	       .n_buckets = 2);
	REFUSE(PX_E_USAGE, .name = "px_ok", .type = RLY_METRIC_HISTOGRAM, .buckets = b_same,
	       .n_buckets = 2);
	REFUSE(PX_E_USAGE, .name = "px_ok", .type = RLY_METRIC_HISTOGRAM, .buckets = b_inf,
	       .n_buckets = 2);
	REFUSE(PX_E_USAGE, .name = "px_ok", .type = RLY_METRIC_GAUGE, .buckets = b_down,
	       .n_buckets = 2);
	REFUSE(PX_E_USAGE, .name = "px_ok", .type = RLY_METRIC_GAUGE,
	       .max_series = RLY_METRIC_SERIES_LIMIT + 1);
	REFUSE(PX_E_USAGE, .name = RLY_METRICS_DROPPED_NAME, .type = RLY_METRIC_COUNTER);
#undef REFUSE
	/* "le" is fine outside histograms, colons in metric names */
	d = (struct rly_metric_desc){ .name = "px:ok", .type = RLY_METRIC_GAUGE, .labels = l_le,
				      .n_labels = 1 };
	m = add(reg, &d);
	assert_non_null(m);
	expect_refused(reg, &d, PX_E_USAGE);	/* twice */
	/* the registry is full at RLY_METRICS_MAX, the dropped counter included */
	for (int i = 2; i < RLY_METRICS_MAX; i++) {
		snprintf(name, sizeof(name), "px_m%d", i);
		d = (struct rly_metric_desc){ .name = name, .type = RLY_METRIC_COUNTER };
		assert_true(rly_metrics_add(&err, &m, reg, &d));
	}
	d = (struct rly_metric_desc){ .name = "px_one_more", .type = RLY_METRIC_COUNTER };
	expect_refused(reg, &d, PX_E_TOO_LARGE);
	rly_metrics_free(reg);
}

static void number_is(double v, const char *want)
{
	char out[64];

	rly_metrics_format_number(out, sizeof(out), v);
	assert_string_equal(out, want);
}

static void test_numbers(void **state)
{
	(void)state;
	number_is(0, "0");
	number_is(-0.0, "0");
	number_is(1, "1");
	number_is(-3, "-3");
	number_is(1e15, "1000000000000000");
	number_is(9007199254740991.0, "9007199254740991");
	number_is(9007199254740992.0, "9007199254740992");
	number_is(1e17, "1e+17");
	number_is(0.1, "0.1");
	number_is(0.25, "0.25");
	number_is(0.1 + 0.2, "0.30000000000000004");
	number_is(1e-7, "1e-07");
	number_is(1.5e300, "1.5e+300");
	number_is(-2.5, "-2.5");
	number_is(NAN, "NaN");
	number_is(INFINITY, "+Inf");
	number_is(-INFINITY, "-Inf");
}

static void test_relayer_metrics(void **state)
{
	static const char *const names[] = {
		"pontifex_packets_relayed_total counter",
		"pontifex_backlog_packets gauge",
		"pontifex_backlog_oldest_sequence gauge",
		"pontifex_header_verifications_total counter",
		"pontifex_header_verification_failures_total counter",
		"pontifex_websocket_reconnects_total counter",
		"pontifex_txs_submitted_total counter",
		"pontifex_txs_failed_total counter",
		"pontifex_tx_latency_seconds histogram",
		"pontifex_wallet_balance gauge",
		"pontifex_journal_packets gauge",
		"pontifex_metrics_dropped_updates_total counter",
	};
	struct rly_metrics *reg = reg_new();
	struct rly_relayer_metrics rm, again;
	struct px_err err = { 0 };
	char *text, *doc = NULL;
	FILE *f;
	long size;

	(void)state;
	assert_true(rly_relayer_metrics_register(&err, &rm, reg));
	assert_true(rly_metric_inc(rm.packets_relayed,
				   RLY_LABELS("hub-osmo", rly_packet_kind_name(RLY_PACKET_RECV))));
	assert_true(rly_metric_set(rm.backlog_packets, RLY_LABELS("hub", "transfer", "channel-0"), 3));
	assert_true(rly_metric_set(rm.backlog_oldest_sequence,
				   RLY_LABELS("hub", "transfer", "channel-0"), 17));
	assert_true(rly_metric_inc(rm.header_verifications, RLY_LABELS("hub")));
	assert_true(rly_metric_inc(rm.header_verification_failures,
				   RLY_LABELS("hub", rly_metrics_failure_reason(PX_E_INSUFFICIENT_POWER))));
	assert_true(rly_metric_inc(rm.ws_reconnects, RLY_LABELS("hub")));
	assert_true(rly_metric_inc(rm.txs_submitted, RLY_LABELS("hub")));
	assert_true(rly_metric_inc(rm.txs_failed, RLY_LABELS("hub")));
	assert_true(rly_metric_observe(rm.tx_latency, RLY_LABELS("hub"), 1.5));
	assert_true(rly_metric_set(rm.wallet_balance, RLY_LABELS("hub", "uatom"), 1000000));
	assert_true(rly_metric_set(rm.journal_packets, NULL, 42));
	/* wrong arity is the caller's bug, but the types are checked */
	assert_false(rly_metric_set(rm.txs_failed, RLY_LABELS("hub"), 0));

	text = render(reg);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char line[128];

		snprintf(line, sizeof(line), "# TYPE %s\n", names[i]);
		if (!strstr(text, line))
			fail_msg("missing %s", line);
	}
	assert_non_null(strstr(text, "pontifex_packets_relayed_total{path=\"hub-osmo\",kind=\"recv\"} 1\n"));
	assert_non_null(strstr(text, "pontifex_header_verification_failures_total{chain=\"hub\","
				     "reason=\"insufficient_voting_power\"} 1\n"));
	assert_non_null(strstr(text, "pontifex_tx_latency_seconds_bucket{chain=\"hub\",le=\"1\"} 0\n"));
	assert_non_null(strstr(text, "pontifex_tx_latency_seconds_bucket{chain=\"hub\",le=\"2\"} 1\n"));
	assert_non_null(strstr(text, "pontifex_tx_latency_seconds_bucket{chain=\"hub\",le=\"120\"} 1\n"));
	assert_non_null(strstr(text, "pontifex_journal_packets 42\n"));
	free(text);

	/* every metric is documented */
	f = fopen(DOCS_DIR "/metrics.md", "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size > 0);
	rewind(f);
	doc = calloc(1, (size_t)size + 1);
	assert_non_null(doc);
	assert_int_equal(fread(doc, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char cell[128];
		size_t n = strcspn(names[i], " ");

		snprintf(cell, sizeof(cell), "| `%.*s` | %s |", (int)n, names[i], names[i] + n + 1);
		if (!strstr(doc, cell))
			fail_msg("docs/metrics.md lacks the row %s", cell);
	}
	free(doc);

	/* registering twice in one registry is refused, and out is zeroed */
	memset(&again, 0xff, sizeof(again));
	px_err_clear(&err);
	assert_false(rly_relayer_metrics_register(&err, &again, reg));
	assert_int_equal(err.code, PX_E_USAGE);
	assert_null(again.packets_relayed);
	assert_null(again.journal_packets);
	rly_metrics_free(reg);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(rly_packet_kind_name(RLY_PACKET_RECV), "recv");
	assert_string_equal(rly_packet_kind_name(RLY_PACKET_ACK), "ack");
	assert_string_equal(rly_packet_kind_name(RLY_PACKET_TIMEOUT), "timeout");
	assert_string_equal(rly_packet_kind_name((enum rly_packet_kind)7), "unknown");
	assert_string_equal(rly_metrics_failure_reason(PX_E_TRUST_EXPIRED), "trust_expired");
	assert_string_equal(rly_metrics_failure_reason(PX_E_BAD_SIGNATURE), "bad_signature");
	assert_string_equal(rly_metrics_failure_reason(PX_E_JSON), "malformed");
	assert_string_equal(rly_metrics_failure_reason(PX_E_RPC), "other");
	assert_string_equal(rly_metrics_failure_reason(PX_E_NOMEM), "other");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_text),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_histogram),
		cmocka_unit_test(test_series_cap),
		cmocka_unit_test(test_refused_updates),
		cmocka_unit_test(test_bad_registrations),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_relayer_metrics),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
