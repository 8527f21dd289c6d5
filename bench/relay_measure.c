/* Measuring helpers of bench_relay (see relay_measure.h). */
#include "bench/relay_measure.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/number.h"
#include "common/rfc3339.h"

bool bench_proc_cpu(pid_t pid, double *user, double *sys)
{
	char path[64], buf[1024], *p;
	unsigned long long v[2] = { 0, 0 };
	double tick = (double)sysconf(_SC_CLK_TCK);
	FILE *f;
	size_t n;
	int field = 2;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	/* fields are counted after the ")" that ends the name, which may
	 * hold spaces; the state that follows it is field 3 */
	p = strrchr(buf, ')');
	if (!p)
		return false;
	while (*p && field < 15) {
		while (*p && *p != ' ')
			p++;
		while (*p == ' ')
			p++;
		field++;
		if (field >= 14)
			v[field - 14] = strtoull(p, NULL, 10);
	}
	if (field != 15 || tick <= 0)
		return false;
	*user = (double)v[0] / tick;
	*sys = (double)v[1] / tick;
	return true;
}

long bench_proc_kib(pid_t pid, const char *field)
{
	char path[64], line[256];
	size_t len = strlen(field);
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, field, len) == 0)
			v = strtol(line + len, NULL, 10);
	}
	if (f)
		fclose(f);
	return v;
}

long bench_file_kib(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)((st.st_size + 1023) / 1024) : 0;
}

bool bench_latest_height(struct px_err *err, int64_t *out, struct cmt_client *c)
{
	json_t *res = NULL;
	const char *h;
	uint64_t v;
	bool ok;

	if (!cmt_client_call_sync(err, &res, c, "status", NULL, 10000))
		return false;
	h = json_string_value(json_object_get(json_object_get(res, "sync_info"),
					      "latest_block_height"));
	ok = h ? px_parse_u64(err, &v, h, strlen(h)) :
		 px_err_set(err, PX_E_JSON, "status: no sync_info.latest_block_height");
	json_decref(res);
	if (ok)
		*out = (int64_t)v;
	return ok;
}

bool bench_times_fetch(struct px_err *err, struct bench_times *out, struct cmt_client *c,
		       int64_t lo, int64_t hi)
{
	struct bench_times t = { lo, hi, NULL };

	if (lo < 1 || hi < lo)
		return px_err_set(err, PX_E_USAGE, "block times: bad range %" PRId64 "..%" PRId64, lo,
				  hi);
	t.t = calloc((size_t)(hi - lo + 1), sizeof(*t.t));
	if (!t.t)
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	for (int64_t h = lo; h <= hi; h++) {
		json_t *res = NULL;
		struct px_time pt;
		const char *s;
		bool ok;

		if (!cmt_client_call_sync(err, &res, c, "header", cmt_params_height(h), 10000)) {
			px_err_prefix(err, "header %" PRId64 ": ", h);
			free(t.t);
			return false;
		}
		s = json_string_value(json_object_get(json_object_get(res, "header"), "time"));
		ok = s ? px_time_parse(err, &pt, s, strlen(s)) :
			 px_err_set(err, PX_E_JSON, "header %" PRId64 ": no header.time", h);
		json_decref(res);
		if (!ok) {
			free(t.t);
			return false;
		}
		t.t[h - lo] = (double)pt.seconds + (double)pt.nanos / 1e9;
	}
	*out = t;
	return true;
}

void bench_times_free(struct bench_times *t)
{
	free(t->t);
	t->t = NULL;
}

double bench_time_at(const struct bench_times *t, uint64_t h)
{
	int64_t x = h > (uint64_t)t->hi ? t->hi : (int64_t)h;

	if (x < t->lo)
		x = t->lo;
	return t->t[x - t->lo];
}

int64_t bench_height_at(const struct bench_times *t, double when)
{
	int64_t lo = t->lo, hi = t->hi;

	/* block times only grow: the last height with time <= when */
	while (lo < hi) {
		int64_t mid = lo + (hi - lo + 1) / 2;

		if (t->t[mid - t->lo] <= when)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void bench_sort(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
}

double bench_pct(const double *v, size_t n, double p)
{
	size_t k;

	if (n == 0)
		return 0;
	k = (size_t)(p * (double)n);
	if ((double)k < p * (double)n)
		k++;		/* the ceiling: nearest rank */
	if (k < 1)
		k = 1;
	return v[(k > n ? n : k) - 1];
}

/* The level word of a log line ("TIMESTAMP LEVEL MESSAGE"), or "". */
static const char *level_of(const char *line, char *out, size_t cap)
{
	const char *p = strchr(line, ' ');
	size_t n = 0;

	out[0] = 0;
	if (!p)
		return out;
	for (p++; p[n] && p[n] != ' ' && n + 1 < cap; n++)
		out[n] = p[n];
	out[n] = 0;
	return out;
}

void bench_log_summary(const char *prefix, const char *log)
{
	char line[1024], lvl[16];
	long warn = 0, error = 0, trust = 0, shown = 0;
	FILE *f = fopen(log, "r");

	while (f && fgets(line, sizeof(line), f)) {
		bool w = strcmp(level_of(line, lvl, sizeof(lvl)), "warn") == 0;
		bool e = strcmp(lvl, "error") == 0;

		warn += w;
		error += e;
		if (w && strstr(line, "ON TRUST")) {
			trust++;
			continue;
		}
		if ((w || e) && shown++ < 5)
			printf("%s  log: %.200s%s", prefix, line, strlen(line) > 200 ? "...\n" : "");
	}
	if (f)
		fclose(f);
	printf("%s relayer log: %ld warnings (%ld of them: light client on trust at a start), "
	       "%ld errors (%s)\n", prefix, warn, trust, error, log);
}
