/* End-to-end relay benchmark: two pontifex-devnet nodes and a relayer
 * home (config.yaml, the relayer keys, clients, connection and a transfer
 * channel: relayer/devnet_pair.h, as for `pontifex demo`), `pontifex
 * start` as a child process, and N ICS-20 transfers each way from the
 * `user` accounts in transactions of up to 100 messages, all broadcast at
 * once. With the daemon running it measures:
 *
 *   - throughput, first send to last acknowledgement (both directions);
 *   - latency in destination blocks from the send to the block that holds
 *     the MsgRecvPacket (journal send_height and recv_height, put on one
 *     time line with the block times of both chains), median and p99, for
 *     the N at once and for T single transfers sent one by one after them
 *     (the latency of a relayer that is not working through a backlog);
 *   - the daemon's CPU time per packet (/proc/PID/stat) and peak RSS
 *     (/proc/PID/status VmHWM), read before it is stopped;
 *   - the journal's size, and the restart: stopped, a few transfers each
 *     way sent meanwhile, `pontifex start` again, time from exec to the
 *     first relayed batch, with the run's packets in the journal and again
 *     with the journal filled to 10,000 acknowledged packets.
 *
 * Prints figures; never fails on timing (only when the relay itself does).
 *
 * usage: bench_relay [-n N] [-b BLOCK_MS] [-t T] [-j PACKETS] [-k]
 *   -n N          transfers each way at once (default $BENCH_RELAY_N, else 1000)
 *   -b BLOCK_MS   block time of both devnets (default 200)
 *   -t T          single transfers each way afterwards (default 20)
 *   -j PACKETS    journal size for the second restart (default 10000; 0 skips)
 *   -k            keep the folder (homes, logs, journal) */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/relay_journal.h"
#include "bench/relay_measure.h"
#include "chains/cometbft/client.h"
#include "common/log.h"
#include "common/number.h"
#include "ibc/codec/msg.h"
#include "relayer/config.h"
#include "relayer/devnet_pair.h"
#include "relayer/journal.h"
#include "relayer/path.h"

#define CHAIN_A "bencha-1"
#define CHAIN_B "benchb-1"
#define BATCH RLY_MSGS_MAX		/* transfers per user transaction */
#define RESTART_SENDS 10		/* transfers each way sent while the daemon is down */
#define N_MAX 100000

struct bench {
	char dir[RLY_DEVNET_PATH_MAX];
	char journal[RLY_DEVNET_PATH_MAX + 32];
	char log[RLY_DEVNET_PATH_MAX + 32];
	char pontifex[PATH_MAX];
	struct rly_devnet_pair pair;	/* the chains, the relayer home, the path */
	struct rly_txsub *user[2];	/* the `user` account of each chain */
	pid_t daemon;
	long n;
	unsigned block_ms;
	long trickle;
	long journal_fill;
	bool keep;
	double first_send;		/* wall clock, s */
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A submitter per chain for the `user` account (it keeps the sequence, so
 * the batches go out back to back). */
static bool open_users(struct px_err *err, struct bench *b)
{
	for (int i = 0; i < 2; i++) {
		if (!rly_devnet_pair_user_txsub(err, &b->user[i], &b->pair, i))
			return false;
	}
	return true;
}

/* ---- transfers ---- */

struct sent_tx {
	int chain;
	char hash[RLY_TX_HASH_HEX_LEN + 1];
};

/* count[i] transfers from the user on chain i to the user on the other,
 * BATCH per transaction, the two directions interleaved; every batch is
 * broadcast before the first is waited for. *first (may be NULL) gets the
 * wall clock of the first broadcast. */
static bool send_transfers(struct px_err *err, struct bench *b, const long count[2],
			   double *first)
{
	long chunks = (count[0] > count[1] ? count[0] : count[1]) / BATCH + 1;
	struct sent_tx *txs = calloc((size_t)chunks * 2, sizeof(*txs));
	struct rly_msgs *m = calloc(1, sizeof(*m));
	struct cosmos_any *any = calloc(BATCH, sizeof(*any));
	struct timespec ts;
	size_t n_txs = 0;
	bool ok = txs && m && any;

	if (!ok)
		px_err_set(err, PX_E_NOMEM, "out of memory");
	clock_gettime(CLOCK_REALTIME, &ts);
	for (long c = 0; ok && c < chunks; c++) {
		for (int i = 0; ok && i < 2; i++) {
			long k = count[i] - c * BATCH;
			struct rly_tx_result res = { 0 };

			if (k <= 0)
				continue;
			if (k > BATCH)
				k = BATCH;
			rly_msgs_init(m);
			for (long j = 0; ok && j < k; j++) {
				struct ibc_msg msg;

				rly_devnet_pair_transfer(&b->pair, &msg, i, "3", &ts);
				ok = rly_msgs_add_ibc(err, m, &msg);
			}
			rly_msgs_any(m, any);
			if (ok && first && n_txs == 0)
				*first = wall_s();
			ok = ok && rly_txsub_submit(err, &res, b->user[i], any, m->n, "bench");
			if (ok) {
				txs[n_txs].chain = i;
				memcpy(txs[n_txs].hash, res.hash, sizeof(txs[n_txs].hash));
				n_txs++;
			}
			rly_tx_result_clear(&res);
			rly_msgs_clear(m);
		}
	}
	for (size_t t = 0; ok && t < n_txs; t++) {
		struct rly_tx_result res = { 0 };

		ok = rly_txsub_wait(err, &res, b->user[txs[t].chain], txs[t].hash, 60000);
		if (!ok)
			px_err_prefix(err, "transfer tx %s on %s: ", txs[t].hash,
				      b->pair.node[txs[t].chain].chain_id);
		rly_tx_result_clear(&res);
	}
	free(txs);
	free(m);
	free(any);
	return ok;
}

/* ---- the daemon ---- */

static bool daemon_start(struct px_err *err, struct bench *b)
{
	char *argv[] = { b->pontifex, "--home", b->pair.home, "--log-level", "info", "start",
			 NULL };

	return rly_child_spawn(err, &b->daemon, argv, b->log);
}

/* SIGTERM, SIGKILL after 10 s; the exit status, or -1. */
static int daemon_stop(struct bench *b)
{
	return rly_child_stop(&b->daemon, 10000);
}

static bool daemon_alive(struct px_err *err, struct bench *b)
{
	int status;

	if (b->daemon > 0 && waitpid(b->daemon, &status, WNOHANG) == b->daemon) {
		b->daemon = 0;
		return px_err_set(err, PX_E_IO, "pontifex start exited (status %d): see %s",
				  WIFEXITED(status) ? WEXITSTATUS(status) : -1, b->log);
	}
	return true;
}

/* The journal's main file and its WAL, KiB. */
static long journal_kib(const struct bench *b, bool wal)
{
	char path[sizeof(b->journal) + 8];

	snprintf(path, sizeof(path), "%s%s", b->journal, wal ? "-wal" : "");
	return bench_file_kib(path);
}

/* ---- the journal, read while the daemon writes it ---- */

/* Polls (every poll_ms) until `total` packets are acked, at most
 * timeout_s; a daemon that exits is an error. */
static bool wait_acked(struct px_err *err, struct bench *b, uint64_t total, long timeout_s,
		       int poll_ms)
{
	uint64_t s[RLY_PKT_STATE_COUNT];
	double deadline = mono_s() + (double)timeout_s;

	for (;;) {
		if (!daemon_alive(err, b) || !bench_journal_states(err, b->journal, s))
			return false;
		if (s[RLY_PKT_ACKED] >= total)
			return true;
		if (interrupted)
			return px_err_set(err, PX_E_USAGE, "interrupted");
		if (mono_s() > deadline)
			return px_err_set(err, PX_E_RPC,
					  "%" PRIu64 " of %" PRIu64 " packets acked after %ld s "
					  "(sent %" PRIu64 ", recv_submitted %" PRIu64 ", received %"
					  PRIu64 ", ack_submitted %" PRIu64 ", failed %" PRIu64
					  "): see %s", s[RLY_PKT_ACKED], total, timeout_s,
					  s[RLY_PKT_SENT], s[RLY_PKT_RECV_SUBMITTED],
					  s[RLY_PKT_RECEIVED], s[RLY_PKT_ACK_SUBMITTED],
					  s[RLY_PKT_FAILED], b->log);
		rly_devnet_pair_pause(&b->pair, poll_ms);
	}
}

/* Latency of the packets with sequence lo..hi (both ways): destination
 * blocks from the send, and from the source header H+1 that a proof of
 * the send needs, to the block holding the MsgRecvPacket. A destination
 * block counts when it was made after the moment in question (block
 * times of both chains come from one clock). */
static bool print_latency(struct px_err *err, const struct bench_pkts *p,
			  const struct bench_times t[2], uint64_t lo, uint64_t hi,
			  const char *label)
{
	double *send = calloc(p->n ? p->n : 1, sizeof(double));
	double *h1 = calloc(p->n ? p->n : 1, sizeof(double));
	double *sec = calloc(p->n ? p->n : 1, sizeof(double));
	size_t n = 0;

	if (!send || !h1 || !sec) {
		free(send);
		free(h1);
		free(sec);
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < p->n; i++) {
		const struct bench_pkt *x = &p->v[i];
		const struct bench_times *src = &t[x->src], *dst = &t[1 - x->src];
		double ts = bench_time_at(src, x->send_h), th1 = bench_time_at(src, x->send_h + 1);

		if (x->seq < lo || x->seq > hi)
			continue;
		send[n] = (double)((int64_t)x->recv_h - bench_height_at(dst, ts));
		h1[n] = (double)((int64_t)x->recv_h - bench_height_at(dst, th1));
		sec[n] = bench_time_at(dst, x->recv_h) - ts;
		n++;
	}
	bench_sort(send, n);
	bench_sort(h1, n);
	bench_sort(sec, n);
	printf("relay: latency, %s (%zu packets): send -> MsgRecvPacket block: median %.0f, p99 %.0f "
	       "destination blocks (%.2f s, %.2f s)\n", label, n, bench_pct(send, n, 0.5),
	       bench_pct(send, n, 0.99), bench_pct(sec, n, 0.5), bench_pct(sec, n, 0.99));
	printf("relay: latency, %s: source header H+1 -> MsgRecvPacket block: median %.0f, p99 %.0f "
	       "destination blocks (target 1 and 2)\n", label, bench_pct(h1, n, 0.5),
	       bench_pct(h1, n, 0.99));
	free(send);
	free(h1);
	free(sec);
	return true;
}

/* What the daemon used for the bulk run, read before anything else. */
struct usage {
	double user0, sys0, user1, sys1;
	long hwm, rss;
};

static bool report(struct px_err *err, struct bench *b, const int64_t h0[2], long trickle,
		   const struct usage *u)
{
	struct bench_pkts p = { NULL, 0, 0 };
	struct bench_times t[2] = { { 0, 0, NULL }, { 0, 0, NULL } };
	uint64_t bulk = (uint64_t)b->n;
	double last_ack = 0, cpu = (u->user1 - u->user0) + (u->sys1 - u->sys0);
	int64_t top[2];
	size_t recv_txs, ack_txs;
	bool ok = bench_journal_packets(err, &p, b->journal, b->pair.node[0].chain_id,
					b->pair.path.a.channel_id, b->pair.node[1].chain_id,
					b->pair.path.b.channel_id);

	if (ok && p.n != 2 * (size_t)(b->n + trickle))
		ok = px_err_set(err, PX_E_INTERNAL, "%zu packets in the journal, want %ld", p.n,
				2 * (b->n + trickle));
	for (int i = 0; ok && i < 2; i++)
		ok = bench_latest_height(err, &top[i], b->pair.chain[i].rpc) &&
		     bench_times_fetch(err, &t[i], b->pair.chain[i].rpc, h0[i] > 1 ? h0[i] - 1 : 1,
				       top[i]);
	for (size_t i = 0; ok && i < p.n; i++) {
		double ack = bench_time_at(&t[p.v[i].src], p.v[i].ack_h);

		if (p.v[i].seq <= bulk && ack > last_ack)
			last_ack = ack;
	}
	if (ok) {
		recv_txs = bench_pkts_txs(&p, 1, bulk, false);
		ack_txs = bench_pkts_txs(&p, 1, bulk, true);
		printf("relay: throughput, first send to last ack, %" PRIu64 " packets both ways: "
		       "%.1f packets/s (%.2f s)\n", 2 * bulk,
		       (double)(2 * bulk) / (last_ack - b->first_send), last_ack - b->first_send);
		printf("relay: relayer transactions for them: %zu with MsgRecvPacket (%.1f packets "
		       "each), %zu with MsgAcknowledgement (%.1f each)\n", recv_txs,
		       recv_txs ? (double)(2 * bulk) / (double)recv_txs : 0.0, ack_txs,
		       ack_txs ? (double)(2 * bulk) / (double)ack_txs : 0.0);
		ok = print_latency(err, &p, t, 1, bulk, "all sent at once");
	}
	if (ok && trickle > 0)
		ok = print_latency(err, &p, t, bulk + 1, bulk + (uint64_t)trickle,
				   "one transfer at a time");
	if (ok) {
		printf("relay: relayer CPU per packet: %.3f ms (%.2f s user + %.2f s sys while "
		       "relaying %" PRIu64 " packets; %.2f s since exec)\n",
		       cpu * 1e3 / (double)(2 * bulk), u->user1 - u->user0, u->sys1 - u->sys0,
		       2 * bulk, u->user1 + u->sys1);
		printf("relay: relayer peak RSS: %.1f MiB (VmHWM; VmRSS %.1f MiB after the run), 1 path, "
		       "%" PRIu64 " packets in the journal\n", (double)u->hwm / 1024.0,
		       (double)u->rss / 1024.0, 2 * bulk);
		printf("relay: journal: %ld KiB for %zu packets (%.2f KiB each), WAL %ld KiB\n",
		       journal_kib(b, false), p.n, (double)journal_kib(b, false) / (double)p.n,
		       journal_kib(b, true));
	}
	free(p.v);
	bench_times_free(&t[0]);
	bench_times_free(&t[1]);
	return ok;
}

/* `count` single transfers each way, the directions alternating, each
 * landing in its own block and followed by a pause of 1 to 3 half blocks,
 * so that the sends fall at different points of the relayer's cycle. */
static bool trickle_send(struct px_err *err, struct bench *b, long count)
{
	for (long i = 0; i < 2 * count; i++) {
		const long one[2] = { i % 2 == 0, i % 2 == 1 };

		if (!send_transfers(err, b, one, NULL) || !daemon_alive(err, b))
			return false;
		rly_devnet_pair_pause(&b->pair, (int)b->block_ms * (int)(1 + i % 3) / 2);
	}
	return true;
}

static bool stop_clean(struct px_err *err, struct bench *b)
{
	int st = daemon_stop(b);

	if (st != 0)
		return px_err_set(err, PX_E_IO, "pontifex start: exit status %d on SIGTERM: see %s",
				  st, b->log);
	return true;
}

/* With the daemon stopped: sends RESTART_SENDS transfers each way, starts
 * it again and times exec -> the first batch broadcast (a packet past
 * `sent`) and -> its block (past `recv_submitted`), then waits for all
 * acks. */
static bool timed_restart(struct px_err *err, struct bench *b, const char *what)
{
	static const long more[2] = { RESTART_SENDS, RESTART_SENDS };
	uint64_t s[RLY_PKT_STATE_COUNT], base_sub, base_recv, total;
	double t0, t_sub = 0, t_recv = 0, deadline;

	if (!bench_journal_states(err, b->journal, s))
		return false;
	base_sub = bench_states_past(s, RLY_PKT_RECV_SUBMITTED);
	base_recv = bench_states_past(s, RLY_PKT_RECEIVED);
	total = s[RLY_PKT_ACKED] + 2 * RESTART_SENDS;
	if (!send_transfers(err, b, more, NULL))
		return false;
	t0 = mono_s();
	if (!daemon_start(err, b))
		return false;
	deadline = t0 + 60;
	while (t_recv == 0) {
		if (!daemon_alive(err, b) || !bench_journal_states(err, b->journal, s))
			return false;
		if (t_sub == 0 && bench_states_past(s, RLY_PKT_RECV_SUBMITTED) > base_sub)
			t_sub = mono_s();
		if (bench_states_past(s, RLY_PKT_RECEIVED) > base_recv)
			t_recv = mono_s();
		if (t_recv != 0)
			break;
		if (interrupted || mono_s() > deadline)
			return px_err_set(err, PX_E_RPC, "restart: nothing relayed within 60 s: see %s",
					  b->log);
		usleep(5000);
	}
	if (t_sub == 0)
		t_sub = t_recv;
	printf("relay: restart with %s (journal %ld KiB), %d pending each way: exec -> first batch "
	       "broadcast %.0f ms, -> in a block %.0f ms\n", what, journal_kib(b, false),
	       RESTART_SENDS, (t_sub - t0) * 1e3, (t_recv - t0) * 1e3);
	return wait_acked(err, b, total, 60, 100);
}

/* ---- the run ---- */

static bool find_pontifex(struct px_err *err, struct bench *b)
{
	char self[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		return px_err_set(err, PX_E_IO, "readlink /proc/self/exe: %s", strerror(errno));
	self[n] = 0;
	slash = strrchr(self, '/');
	if (slash)
		*slash = 0;
	snprintf(b->pontifex, sizeof(b->pontifex), "%.*s/../relayer/pontifex", PATH_MAX - 32, self);
	if (access(b->pontifex, X_OK) != 0)
		return px_err_set(err, PX_E_CONFIG, "%s: not found (build the pontifex target)",
				  b->pontifex);
	return true;
}

static bool setup(struct px_err *err, struct bench *b)
{
	const struct rly_devnet_pair_opts o = {
		.chain_id = { CHAIN_A, CHAIN_B },
		.seed = { "bench-a", "bench-b" },
		.block_ms = b->block_ms,
		.path_name = "bench",
		.gas_price = "0stake",
		.gas_limit = 20000000,
		.max_msgs = BATCH,
		.interrupted = &interrupted,
	};

	if (!find_pontifex(err, b))
		return false;
	/* the pair's home is DIR/relayer */
	snprintf(b->journal, sizeof(b->journal), "%s/relayer/journal.sqlite", b->dir);
	snprintf(b->log, sizeof(b->log), "%s/relayer.log", b->dir);
	return rly_devnet_pair_setup(err, &b->pair, b->dir, &o) && open_users(err, b);
}

static bool run(struct px_err *err, struct bench *b)
{
	const long count[2] = { b->n, b->n };
	double t0 = mono_s();
	struct usage u = { 0 };
	int64_t h0[2];
	char what[64];

	if (!setup(err, b))
		return false;
	printf("relay: setup (2 devnets, %u ms blocks; clients, connection, channel): %.1f s\n",
	       b->block_ms, mono_s() - t0);
	fflush(stdout);
	if (!daemon_start(err, b))
		return false;
	/* until it follows both chains (the first state read) */
	rly_devnet_pair_pause(&b->pair, 4 * (int)b->block_ms + 500);
	if (!daemon_alive(err, b) || !bench_latest_height(err, &h0[0], b->pair.chain[0].rpc) ||
	    !bench_latest_height(err, &h0[1], b->pair.chain[1].rpc) ||
	    !bench_proc_cpu(b->daemon, &u.user0, &u.sys0))
		return px_err_set(err, PX_E_IO, "pontifex start: not running"), false;
	t0 = mono_s();
	if (!send_transfers(err, b, count, &b->first_send))
		return false;
	printf("relay: %ld transfers each way in txs of up to %d, all in blocks after %.2f s\n", b->n,
	       BATCH, mono_s() - t0);
	fflush(stdout);
	if (!wait_acked(err, b, 2 * (uint64_t)b->n, 120 + b->n / 4, 100))
		return false;
	if (!bench_proc_cpu(b->daemon, &u.user1, &u.sys1))
		return px_err_set(err, PX_E_IO, "/proc/%d/stat: not readable", (int)b->daemon),
		       false;
	u.hwm = bench_proc_kib(b->daemon, "VmHWM:");
	u.rss = bench_proc_kib(b->daemon, "VmRSS:");
	if (!trickle_send(err, b, b->trickle) ||
	    !wait_acked(err, b, 2 * (uint64_t)(b->n + b->trickle), 120, 100) ||
	    !report(err, b, h0, b->trickle, &u))
		return false;
	fflush(stdout);
	snprintf(what, sizeof(what), "%ld packets", 2 * (b->n + b->trickle));
	if (!stop_clean(err, b) || !timed_restart(err, b, what))
		return false;
	fflush(stdout);
	if (b->journal_fill > 2 * (b->n + b->trickle + RESTART_SENDS)) {
		double tf;

		if (!stop_clean(err, b))
			return false;
		tf = mono_s();
		if (!bench_journal_fill(err, b->journal, b->pair.node[0].chain_id, b->pair.node[1].chain_id,
					(uint64_t)b->journal_fill))
			return false;
		printf("relay: journal filled to %ld packets (acked) in %.1f s\n", b->journal_fill,
		       mono_s() - tf);
		snprintf(what, sizeof(what), "%ld packets", b->journal_fill);
		if (!timed_restart(err, b, what))
			return false;
		printf("relay: relayer peak RSS with %ld packets in the journal: %.1f MiB (VmHWM)\n",
		       b->journal_fill, (double)bench_proc_kib(b->daemon, "VmHWM:") / 1024.0);
	}
	return true;
}

static void cleanup(struct bench *b, bool ok)
{
	int st = daemon_stop(b);

	if (ok && st != 0 && st != -1)
		printf("relay: pontifex start exited with status %d on SIGTERM\n", st);
	for (int i = 0; i < 2; i++)
		rly_txsub_close(b->user[i]);
	rly_devnet_pair_close(&b->pair);
	if (b->log[0])
		bench_log_summary("relay:", b->log);
	if (b->dir[0] && !b->keep) {
		char cmd[RLY_DEVNET_PATH_MAX + 16];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", b->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "bench_relay: could not remove %s\n", b->dir);
	} else if (b->dir[0]) {
		printf("relay: kept %s\n", b->dir);
	}
}

static bool parse_long(const char *s, long lo, long hi, long *out)
{
	struct px_err err = { 0 };
	uint64_t v;

	if (!s || !px_parse_u64(&err, &v, s, strlen(s)) || v < (uint64_t)lo || v > (uint64_t)hi)
		return false;
	*out = (long)v;
	return true;
}

int main(int argc, char **argv)
{
	static struct bench b;
	struct px_err err = { 0 };
	struct sigaction sa;
	long v;
	bool ok;
	int c;

	b.n = 1000;
	b.block_ms = 200;
	b.trickle = 20;
	b.journal_fill = 10000;
	if (getenv("BENCH_RELAY_N") && !parse_long(getenv("BENCH_RELAY_N"), 1, N_MAX, &b.n)) {
		fprintf(stderr, "bench_relay: BENCH_RELAY_N: want 1 to %d\n", N_MAX);
		return 2;
	}
	while ((c = getopt(argc, argv, "n:b:t:j:k")) != -1) {
		switch (c) {
		case 'n':
			if (!parse_long(optarg, 1, N_MAX, &b.n))
				return fprintf(stderr, "bench_relay: -n: want 1 to %d\n", N_MAX), 2;
			break;
		case 'b':
			if (!parse_long(optarg, 50, 10000, &v))
				return fprintf(stderr, "bench_relay: -b: want 50 to 10000 ms\n"), 2;
			b.block_ms = (unsigned)v;
			break;
		case 't':
			if (!parse_long(optarg, 0, 1000, &b.trickle))
				return fprintf(stderr, "bench_relay: -t: want 0 to 1000\n"), 2;
			break;
		case 'j':
			if (!parse_long(optarg, 0, 1000000, &b.journal_fill))
				return fprintf(stderr, "bench_relay: -j: want 0 to 1000000\n"), 2;
			break;
		case 'k': b.keep = true; break;
		default:
			fprintf(stderr, "usage: bench_relay [-n N] [-b BLOCK_MS] [-t T] [-j PACKETS] "
				"[-k]\n");
			return 2;
		}
	}
	px_log_setup(PX_LOG_ERROR, PX_LOG_TEXT, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	snprintf(b.dir, sizeof(b.dir), "/tmp/pontifex-bench-relay-XXXXXX");
	if (!mkdtemp(b.dir)) {
		b.dir[0] = 0;
		return perror("mkdtemp"), 1;
	}
	printf("relay: %ld transfers each way, %u ms blocks, folder %s\n", b.n, b.block_ms, b.dir);
	fflush(stdout);
	ok = run(&err, &b);
	if (!ok) {
		fprintf(stderr, "bench_relay: %s\n", err.msg);
		b.keep = true;	/* the logs say what went wrong */
	}
	cleanup(&b, ok);
	return ok ? 0 : 1;
}
