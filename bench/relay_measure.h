/* What bench_relay reads besides the journal: a child's CPU time and
 * memory from /proc, file sizes, the block times of a chain (to put the
 * heights of two chains on one time line), percentiles, and a summary of
 * the daemon's log. */
#ifndef PX_BENCH_RELAY_MEASURE_H
#define PX_BENCH_RELAY_MEASURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "chains/cometbft/client.h"
#include "common/errors.h"

/* utime and stime of a process, s (fields 14 and 15 of /proc/PID/stat). */
bool bench_proc_cpu(pid_t pid, double *user, double *sys);
/* A "Vm...:" field of /proc/PID/status ("VmHWM:"), KiB, or -1. */
long bench_proc_kib(pid_t pid, const char *field);
/* A file's size, KiB (0 when missing). */
long bench_file_kib(const char *path);

/* Block times (wall clock, s) of heights lo..hi of one chain. */
struct bench_times {
	int64_t lo, hi;
	double *t;
};

bool bench_latest_height(struct px_err *err, int64_t *out, struct cmt_client *c) PX_MUST_CHECK;
/* Reads the header of every height lo..hi; free with bench_times_free. */
bool bench_times_fetch(struct px_err *err, struct bench_times *out, struct cmt_client *c,
		       int64_t lo, int64_t hi) PX_MUST_CHECK;
void bench_times_free(struct bench_times *t);
/* The time of height h (clamped to lo..hi). */
double bench_time_at(const struct bench_times *t, uint64_t h);
/* The newest height whose block time is <= when (lo when none is). */
int64_t bench_height_at(const struct bench_times *t, double when);

/* Sorts v ascending; the nearest-rank percentile p (0..1) of sorted v. */
void bench_sort(double *v, size_t n);
double bench_pct(const double *v, size_t n, double p);

/* Prints (prefix first) how many warn and error lines the log has, and the
 * first few that are not the devnet's expected "ON TRUST" warnings. */
void bench_log_summary(const char *prefix, const char *log);

#endif
