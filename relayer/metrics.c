/* The metrics registry and its Prometheus text rendering (see metrics.h).
 * Series are kept in creation order in a plain array and found by a hash
 * of their label values followed by a full comparison: metrics have at
 * most a few hundred series, and an update costs far less than the work
 * it counts. */
#include "relayer/metrics.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct series {
	uint64_t hash;
	char *values[RLY_METRIC_LABELS_MAX];	/* owned */
	double value;				/* counter, gauge; histogram sum */
	uint64_t count;				/* histogram */
	uint64_t buckets[RLY_METRIC_BUCKETS_MAX]; /* histogram, not cumulative */
};

struct rly_metric {
	struct rly_metrics *reg;
	char *name;
	char *help;
	enum rly_metric_type type;
	char *labels[RLY_METRIC_LABELS_MAX];
	size_t n_labels;
	double bounds[RLY_METRIC_BUCKETS_MAX];
	size_t n_bounds;
	size_t max_series;
	struct series **series;
	size_t n_series, cap_series;
};

struct rly_metrics {
	struct rly_metric *m[RLY_METRICS_MAX];
	size_t n;
	struct rly_metric *dropped;
};

/* --- names and values ------------------------------------------------------ */

static bool name_char(char c, bool first, bool colon)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
		return true;
	if (colon && c == ':')
		return true;
	return !first && c >= '0' && c <= '9';
}

static bool name_ok(const char *s, bool colon)
{
	size_t i;

	if (!s || !*s || strlen(s) > RLY_METRIC_NAME_MAX)
		return false;
	for (i = 0; s[i]; i++)
		if (!name_char(s[i], i == 0, colon))
			return false;
	return true;
}

/* Prometheus reads label values as UTF-8; anything else would break the
 * whole scrape, so such values are refused at update time. */
static bool utf8_ok(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			n = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (len - i <= n)
			return false;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		/* overlong forms, surrogates, past U+10FFFF */
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return false;
		i += n + 1;
	}
	return true;
}

static const char *value_at(const char *const *values, size_t i)
{
	return values && values[i] ? values[i] : "";
}

static uint64_t values_hash(const struct rly_metric *m, const char *const *values)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (size_t i = 0; i < m->n_labels; i++) {
		for (const unsigned char *p = (const unsigned char *)value_at(values, i); *p; p++)
			h = (h ^ *p) * 0x100000001b3u;
		h = (h ^ 0xffu) * 0x100000001b3u;	/* never a byte of a string */
	}
	return h;
}

static size_t series_index(const struct rly_metric *m, const char *const *values, uint64_t h)
{
	for (size_t i = 0; i < m->n_series; i++) {
		const struct series *s = m->series[i];
		size_t k;

		if (s->hash != h)
			continue;
		for (k = 0; k < m->n_labels; k++)
			if (strcmp(s->values[k], value_at(values, k)) != 0)
				break;
		if (k == m->n_labels)
			return i;
	}
	return SIZE_MAX;
}

static void series_free(struct series *s, size_t n_labels)
{
	if (!s)
		return;
	for (size_t i = 0; i < n_labels; i++)
		free(s->values[i]);
	free(s);
}

static void count_drop(const struct rly_metric *m)
{
	struct rly_metric *d = m->reg->dropped;

	/* The registry's own counter has one series per metric at most, so
	 * it never drops; the test keeps a failing allocation from recursing. */
	if (d && m != d)
		rly_metric_add(d, RLY_LABELS(m->name), 1);
}

/* The series of values, created when missing; NULL (and the drop counted)
 * when the cap is reached, a value is refused or memory runs out. */
static struct series *series_get(struct rly_metric *m, const char *const *values)
{
	uint64_t h = values_hash(m, values);
	size_t i = series_index(m, values, h);
	struct series *s;

	if (i != SIZE_MAX)
		return m->series[i];
	if (m->n_series >= m->max_series)
		goto drop;
	for (i = 0; i < m->n_labels; i++) {
		const char *v = value_at(values, i);
		size_t len = strlen(v);

		if (len > RLY_METRIC_LABEL_VALUE_MAX || !utf8_ok((const unsigned char *)v, len))
			goto drop;
	}
	if (m->n_series == m->cap_series) {
		size_t cap = m->cap_series ? 2 * m->cap_series : 8;
		struct series **grown = realloc(m->series, cap * sizeof(*grown));

		if (!grown)
			goto drop;
		m->series = grown;
		m->cap_series = cap;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		goto drop;
	s->hash = h;
	for (i = 0; i < m->n_labels; i++) {
		s->values[i] = strdup(value_at(values, i));
		if (!s->values[i]) {
			series_free(s, i);
			goto drop;
		}
	}
	m->series[m->n_series++] = s;
	return s;
drop:
	count_drop(m);
	return NULL;
}

/* --- the registry ---------------------------------------------------------- */

static void metric_free(struct rly_metric *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_series; i++)
		series_free(m->series[i], m->n_labels);
	free(m->series);
	for (size_t i = 0; i < m->n_labels; i++)
		free(m->labels[i]);
	free(m->name);
	free(m->help);
	free(m);
}

bool rly_metrics_new(struct px_err *err, struct rly_metrics **out)
{
	static const char *const dropped_labels[] = { "metric" };
	const struct rly_metric_desc d = {
		.name = RLY_METRICS_DROPPED_NAME,
		.help = "Metric updates dropped because a series cap was reached or a label "
			"value was refused.",
		.type = RLY_METRIC_COUNTER,
		.labels = dropped_labels,
		.n_labels = 1,
		.max_series = RLY_METRICS_MAX,
	};
	struct rly_metrics *reg;

	*out = NULL;
	reg = calloc(1, sizeof(*reg));
	if (!reg)
		return px_err_set(err, PX_E_NOMEM, "metrics: out of memory");
	if (!rly_metrics_add(err, &reg->dropped, reg, &d)) {
		rly_metrics_free(reg);
		return false;
	}
	*out = reg;
	return true;
}

void rly_metrics_free(struct rly_metrics *reg)
{
	if (!reg)
		return;
	for (size_t i = 0; i < reg->n; i++)
		metric_free(reg->m[i]);
	free(reg);
}

static bool desc_check(struct px_err *err, const struct rly_metrics *reg,
		       const struct rly_metric_desc *d)
{
	if (!name_ok(d->name, true))
		return px_err_set(err, PX_E_USAGE, "metrics: bad metric name \"%s\"",
				  d->name ? d->name : "(null)");
	for (size_t i = 0; i < reg->n; i++)
		if (strcmp(reg->m[i]->name, d->name) == 0)
			return px_err_set(err, PX_E_USAGE, "metrics: %s registered twice", d->name);
	if (d->type != RLY_METRIC_COUNTER && d->type != RLY_METRIC_GAUGE &&
	    d->type != RLY_METRIC_HISTOGRAM)
		return px_err_set(err, PX_E_USAGE, "metrics: %s: unknown type", d->name);
	if (d->help && strlen(d->help) > RLY_METRIC_HELP_MAX)
		return px_err_set(err, PX_E_USAGE, "metrics: %s: help text too long", d->name);
	if (d->n_labels > RLY_METRIC_LABELS_MAX || (d->n_labels && !d->labels))
		return px_err_set(err, PX_E_USAGE, "metrics: %s: at most %d labels", d->name,
				  RLY_METRIC_LABELS_MAX);
	for (size_t i = 0; i < d->n_labels; i++) {
		const char *l = d->labels[i];

		if (!name_ok(l, false) || strncmp(l, "__", 2) == 0 ||
		    (d->type == RLY_METRIC_HISTOGRAM && strcmp(l, "le") == 0))
			return px_err_set(err, PX_E_USAGE, "metrics: %s: bad label name \"%s\"",
					  d->name, l ? l : "(null)");
		for (size_t k = 0; k < i; k++)
			if (strcmp(d->labels[k], l) == 0)
				return px_err_set(err, PX_E_USAGE, "metrics: %s: label %s twice",
						  d->name, l);
	}
	if (d->type != RLY_METRIC_HISTOGRAM && d->n_buckets)
		return px_err_set(err, PX_E_USAGE, "metrics: %s: buckets on a non-histogram",
				  d->name);
	if (d->n_buckets > RLY_METRIC_BUCKETS_MAX || (d->n_buckets && !d->buckets))
		return px_err_set(err, PX_E_USAGE, "metrics: %s: at most %d buckets", d->name,
				  RLY_METRIC_BUCKETS_MAX);
	for (size_t i = 0; i < d->n_buckets; i++) {
		double b = d->buckets[i];

		/* b != b: NaN; the +Inf bucket is always added, never listed */
		if (b != b || b > 1.7976931348623157e308 || b < -1.7976931348623157e308 ||
		    (i > 0 && !(b > d->buckets[i - 1])))
			return px_err_set(err, PX_E_USAGE,
					  "metrics: %s: buckets must be finite and increasing",
					  d->name);
	}
	if (d->max_series > RLY_METRIC_SERIES_LIMIT)
		return px_err_set(err, PX_E_USAGE, "metrics: %s: max_series above %d", d->name,
				  RLY_METRIC_SERIES_LIMIT);
	return true;
}

bool rly_metrics_add(struct px_err *err, struct rly_metric **out, struct rly_metrics *reg,
		     const struct rly_metric_desc *d)
{
	struct rly_metric *m;

	*out = NULL;
	if (!desc_check(err, reg, d))
		return false;
	if (reg->n == RLY_METRICS_MAX)
		return px_err_set(err, PX_E_TOO_LARGE, "metrics: more than %d metrics",
				  RLY_METRICS_MAX);
	m = calloc(1, sizeof(*m));
	if (!m)
		return px_err_set(err, PX_E_NOMEM, "metrics: out of memory");
	m->reg = reg;
	m->type = d->type;
	m->max_series = d->max_series ? d->max_series : RLY_METRIC_SERIES_DEFAULT;
	m->name = strdup(d->name);
	m->help = strdup(d->help ? d->help : "");
	if (!m->name || !m->help)
		goto nomem;
	for (; m->n_labels < d->n_labels; m->n_labels++) {
		m->labels[m->n_labels] = strdup(d->labels[m->n_labels]);
		if (!m->labels[m->n_labels])
			goto nomem;
	}
	m->n_bounds = d->n_buckets;
	if (d->n_buckets)
		memcpy(m->bounds, d->buckets, d->n_buckets * sizeof(double));
	reg->m[reg->n++] = m;
	*out = m;
	return true;
nomem:
	metric_free(m);
	return px_err_set(err, PX_E_NOMEM, "metrics: out of memory");
}

/* --- updates --------------------------------------------------------------- */

bool rly_metric_add(struct rly_metric *m, const char *const *values, double delta)
{
	struct series *s;

	if (!m || m->type == RLY_METRIC_HISTOGRAM || delta != delta)
		return false;
	if (m->type == RLY_METRIC_COUNTER && delta < 0)
		return false;
	s = series_get(m, values);
	if (!s)
		return false;
	s->value += delta;
	return true;
}

bool rly_metric_inc(struct rly_metric *m, const char *const *values)
{
	return rly_metric_add(m, values, 1);
}

bool rly_metric_set(struct rly_metric *m, const char *const *values, double v)
{
	struct series *s;

	if (!m || m->type != RLY_METRIC_GAUGE)
		return false;
	s = series_get(m, values);
	if (!s)
		return false;
	s->value = v;
	return true;
}

bool rly_metric_observe(struct rly_metric *m, const char *const *values, double v)
{
	struct series *s;
	size_t i;

	if (!m || m->type != RLY_METRIC_HISTOGRAM || v != v)
		return false;
	s = series_get(m, values);
	if (!s)
		return false;
	for (i = 0; i < m->n_bounds && v > m->bounds[i]; i++)
		;
	if (i < m->n_bounds)
		s->buckets[i]++;
	s->count++;
	s->value += v;
	return true;
}

bool rly_metric_remove(struct rly_metric *m, const char *const *values)
{
	size_t i;

	if (!m)
		return false;
	i = series_index(m, values, values_hash(m, values));
	if (i == SIZE_MAX)
		return false;
	series_free(m->series[i], m->n_labels);
	memmove(&m->series[i], &m->series[i + 1], (m->n_series - i - 1) * sizeof(m->series[0]));
	m->n_series--;
	return true;
}

bool rly_metric_value(const struct rly_metric *m, const char *const *values, double *out)
{
	size_t i;

	if (!m)
		return false;
	i = series_index(m, values, values_hash(m, values));
	if (i == SIZE_MAX)
		return false;
	*out = m->type == RLY_METRIC_HISTOGRAM ? (double)m->series[i]->count : m->series[i]->value;
	return true;
}

size_t rly_metric_series_count(const struct rly_metric *m)
{
	return m ? m->n_series : 0;
}

/* --- rendering ------------------------------------------------------------- */

/* Assumes the C locale (the relayer never calls setlocale), where printf
 * and strtod use '.' as Prometheus expects. */
void rly_metrics_format_number(char *out, size_t cap, double v)
{
	if (v != v) {
		snprintf(out, cap, "NaN");
		return;
	}
	if (v > 1.7976931348623157e308 || v < -1.7976931348623157e308) {
		snprintf(out, cap, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	/* Integers below 2^53 are exact: print them without exponent or
	 * fraction (-0 as 0). */
	if (v > -9007199254740992.0 && v < 9007199254740992.0 && v == (double)(int64_t)v) {
		snprintf(out, cap, "%" PRId64, (int64_t)v);
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(out, cap, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			return;
	}
}

/* HELP text escapes backslash and newline; label values also the quote. */
static void append_escaped(struct px_buf *b, const char *s, bool quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			px_buf_append(b, "\\\\", 2);
		else if (*s == '\n')
			px_buf_append(b, "\\n", 2);
		else if (quote && *s == '"')
			px_buf_append(b, "\\\"", 2);
		else
			px_buf_push(b, (uint8_t)*s);
	}
}

static void append_str(struct px_buf *b, const char *s)
{
	px_buf_append(b, s, strlen(s));
}

static void append_number(struct px_buf *b, double v)
{
	char num[64];

	rly_metrics_format_number(num, sizeof(num), v);
	append_str(b, num);
}

/* name{l1="v1",...[,le="bound"]} value\n; no braces without labels. */
static void append_sample(struct px_buf *b, const struct rly_metric *m, const struct series *s,
			  const char *suffix, const char *le, double v)
{
	bool any = m->n_labels > 0 || le;

	append_str(b, m->name);
	append_str(b, suffix);
	if (any)
		px_buf_push(b, '{');
	for (size_t i = 0; i < m->n_labels; i++) {
		if (i)
			px_buf_push(b, ',');
		append_str(b, m->labels[i]);
		append_str(b, "=\"");
		append_escaped(b, s->values[i], true);
		px_buf_push(b, '"');
	}
	if (le) {
		if (m->n_labels)
			px_buf_push(b, ',');
		append_str(b, "le=\"");
		append_str(b, le);
		px_buf_push(b, '"');
	}
	if (any)
		px_buf_push(b, '}');
	px_buf_push(b, ' ');
	append_number(b, v);
	px_buf_push(b, '\n');
}

static void render_metric(struct px_buf *b, const struct rly_metric *m)
{
	static const char *const type_names[] = { "", "counter", "gauge", "histogram" };

	if (m->help[0]) {
		append_str(b, "# HELP ");
		append_str(b, m->name);
		px_buf_push(b, ' ');
		append_escaped(b, m->help, false);
		px_buf_push(b, '\n');
	}
	append_str(b, "# TYPE ");
	append_str(b, m->name);
	px_buf_push(b, ' ');
	append_str(b, type_names[m->type]);
	px_buf_push(b, '\n');
	for (size_t i = 0; i < m->n_series; i++) {
		const struct series *s = m->series[i];
		uint64_t cum = 0;
		char le[64];

		if (m->type != RLY_METRIC_HISTOGRAM) {
			append_sample(b, m, s, "", NULL, s->value);
			continue;
		}
		for (size_t k = 0; k < m->n_bounds; k++) {
			cum += s->buckets[k];
			rly_metrics_format_number(le, sizeof(le), m->bounds[k]);
			append_sample(b, m, s, "_bucket", le, (double)cum);
		}
		append_sample(b, m, s, "_bucket", "+Inf", (double)s->count);
		append_sample(b, m, s, "_sum", NULL, s->value);
		append_sample(b, m, s, "_count", NULL, (double)s->count);
	}
}

bool rly_metrics_render(const struct rly_metrics *reg, struct px_buf *out)
{
	/* The registry's own counter goes last: it is about the others. */
	for (size_t i = 0; i < reg->n; i++)
		if (reg->m[i] != reg->dropped)
			render_metric(out, reg->m[i]);
	render_metric(out, reg->dropped);
	return px_buf_ok(out);
}
