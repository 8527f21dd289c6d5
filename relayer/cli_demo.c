/* `pontifex demo`: two pontifex-devnet chains on free loopback ports, a
 * relayer home for them, the clients, connection and channel created by
 * the relayer, ICS-20 transfers both ways, `pontifex start` relaying them
 * (every header and proof verified), then a table of the packets from the
 * journal and the balances on both chains. Everything it starts it stops;
 * its folder is removed unless --keep. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/protobuf.h"
#include "ibc/codec/msg.h"
#include "ibc/transfer/ics20.h"
#include "relayer/cli.h"
#include "relayer/config.h"
#include "relayer/devnet_pair.h"
#include "relayer/ibcquery.h"
#include "relayer/journal.h"
#include "relayer/path.h"

#define CHAIN_A "deva-1"
#define CHAIN_B "devb-1"
#define JOURNAL_FILE "journal.sqlite"

static const char demo_usage[] =
	"usage: pontifex demo [--count N] [--block-time MS] [--devnet PATH] [--keep] [--timeout S]\n"
	"  Starts two local chains (" CHAIN_A ", " CHAIN_B "), creates clients, a\n"
	"  connection and a transfer channel between them, sends N transfers each way\n"
	"  (default 5), relays them with `pontifex start`, prints the packets and the\n"
	"  balances, and stops everything. --keep leaves the folder (homes, logs,\n"
	"  journal) in place.\n";

struct demo {
	char dir[RLY_DEVNET_PATH_MAX];
	struct rly_devnet_pair pair;	/* the chains, the relayer home, the path */
	pid_t daemon;
	long count;
	unsigned block_ms;
	long timeout_s;
	bool keep;
	bool json;
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double t0;
static bool quiet_stdout;	/* --json: progress goes to stderr */

static void step(const char *fmt, ...) PX_PRINTF(1, 2);

static void step(const char *fmt, ...)
{
	FILE *f = quiet_stdout ? stderr : stdout;
	va_list ap;

	fprintf(f, "[%5.1fs] ", now_s() - t0);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fflush(f);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR && !interrupted)
		;
}

/* ---- transfers ---- */

/* count MsgTransfers of `amount` stake from the user on chain i to the
 * user on the other chain, in one transaction signed with the user key. */
static bool send_transfers(struct px_err *err, struct demo *d, int i, const char *amount)
{
	struct rly_txsub *tx = NULL;
	struct rly_tx_result res = { 0 };
	struct rly_msgs *m = calloc(1, sizeof(*m));
	struct cosmos_any *any = calloc(RLY_MSGS_MAX, sizeof(*any));
	struct timespec ts;
	bool ok = false;

	if (!m || !any) {
		free(m);
		free(any);
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	}
	rly_msgs_init(m);
	clock_gettime(CLOCK_REALTIME, &ts);
	for (long n = 0; n < d->count; n++) {
		struct ibc_msg msg;

		rly_devnet_pair_transfer(&d->pair, &msg, i, amount, &ts);
		if (!rly_msgs_add_ibc(err, m, &msg))
			goto out;
	}
	if (!rly_devnet_pair_user_txsub(err, &tx, &d->pair, i))
		goto out;
	rly_msgs_any(m, any);
	ok = rly_txsub_submit(err, &res, tx, any, m->n, "pontifex demo");
	if (ok) {
		char hash[sizeof(res.hash)];

		memcpy(hash, res.hash, sizeof(hash));
		ok = rly_txsub_wait(err, &res, tx, hash, 30000);
	}
	if (ok)
		step("%ld transfers of %s stake %s -> %s in tx %.12s... at height %" PRId64, d->count,
		     amount, d->pair.node[i].chain_id, d->pair.node[1 - i].chain_id, res.hash, res.height);
out:
	rly_tx_result_clear(&res);
	rly_txsub_close(tx);
	rly_msgs_clear(m);
	free(m);
	free(any);
	return ok;
}

/* ---- the daemon ---- */

static bool start_daemon(struct px_err *err, struct demo *d)
{
	char self[4096], log[RLY_DEVNET_PATH_MAX + 16];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *argv[] = { self, "--home", d->pair.home, "start", NULL };

	if (n <= 0)
		return px_err_set(err, PX_E_IO, "cannot find the pontifex executable");
	self[n] = 0;
	snprintf(log, sizeof(log), "%s/relayer.log", d->dir);
	if (!rly_child_spawn(err, &d->daemon, argv, log))
		return false;
	step("pontifex start running (pid %d), log in %s", (int)d->daemon, log);
	return true;
}

static void stop_daemon(struct demo *d)
{
	(void)rly_child_stop(&d->daemon, 10000);
}

/* Acknowledged packets of each direction, from the journal. */
static bool acked(struct px_err *err, struct rly_journal *j, const struct demo *d,
		  uint64_t out[2], uint64_t states[2][RLY_PKT_STATE_COUNT])
{
	for (int i = 0; i < 2; i++) {
		const struct rly_end *e = i ? &d->pair.path.b : &d->pair.path.a;
		struct rly_packet_filter f = { d->pair.node[i].chain_id, e->port_id, e->channel_id, 0 };

		if (!rly_journal_counts(j, err, &f, states[i]))
			return false;
		out[i] = states[i][RLY_PKT_ACKED];
	}
	return true;
}

static bool wait_relayed(struct px_err *err, struct demo *d)
{
	char path[sizeof(d->pair.home) + 32];
	struct rly_journal *j = NULL;
	uint64_t done[2] = { 0, 0 }, last[2] = { UINT64_MAX, UINT64_MAX };
	uint64_t states[2][RLY_PKT_STATE_COUNT];
	double deadline = now_s() + (double)d->timeout_s;
	int status;

	snprintf(path, sizeof(path), "%s/%s", d->pair.home, JOURNAL_FILE);
	while (!interrupted) {
		if (waitpid(d->daemon, &status, WNOHANG) == d->daemon) {
			d->daemon = 0;
			return px_err_set(err, PX_E_IO, "pontifex start exited (status %d): see %s/"
					  "relayer.log", WIFEXITED(status) ? WEXITSTATUS(status) : -1,
					  d->dir);
		}
		if (!j && access(path, R_OK) == 0 && !rly_journal_open_sqlite(err, &j, path))
			return false;
		if (j && !acked(err, j, d, done, states)) {
			rly_journal_close(j);
			return false;
		}
		if (done[0] != last[0] || done[1] != last[1]) {
			step("acknowledged: %s -> %s %" PRIu64 "/%ld, %s -> %s %" PRIu64 "/%ld",
			     d->pair.node[0].chain_id, d->pair.node[1].chain_id, done[0], d->count,
			     d->pair.node[1].chain_id, d->pair.node[0].chain_id, done[1], d->count);
			last[0] = done[0];
			last[1] = done[1];
		}
		if (done[0] >= (uint64_t)d->count && done[1] >= (uint64_t)d->count)
			break;
		if (now_s() > deadline) {
			rly_journal_close(j);
			return px_err_set(err, PX_E_RPC, "not every packet was acknowledged within %ld s: "
					  "see %s/relayer.log", d->timeout_s, d->dir);
		}
		sleep_ms(300);
	}
	rly_journal_close(j);
	if (interrupted)
		return px_err_set(err, PX_E_USAGE, "interrupted");
	return true;
}

/* ---- the report ---- */

struct table_ctx {
	json_t *rows;
};

static bool table_row(void *arg, const struct rly_packet_record *r)
{
	struct table_ctx *t = arg;

	if (t->rows) {
		json_array_append_new(t->rows, json_pack("{s:s, s:s, s:I, s:s, s:I, s:I}", "from",
							  r->packet.key.src_chain, "channel",
							  r->packet.key.src_channel, "sequence",
							  (json_int_t)r->packet.key.sequence, "state",
							  rly_packet_state_name(r->state), "recv_height",
							  (json_int_t)r->recv_height, "ack_height",
							  (json_int_t)r->ack_height));
		return true;
	}
	printf("  %-8s %-10s %4" PRIu64 "  %-10s %10" PRIu64 " %10" PRIu64 "\n",
	       r->packet.key.src_chain, r->packet.key.src_channel, r->packet.key.sequence,
	       rly_packet_state_name(r->state), r->recv_height, r->ack_height);
	return true;
}

static bool balance(struct px_err *err, char *out, size_t cap, struct rly_chain *c,
		    const char *addr, const char *denom)
{
	return rly_ibcq_balance(err, out, cap, c->rpc, addr, denom, 10000);
}

static bool report(struct px_err *err, struct demo *d)
{
	char path[sizeof(d->pair.home) + 32], voucher[2][IBC_DENOM_HASH_LEN + 1];
	char amt[4][96];
	struct rly_journal *j;
	struct table_ctx t = { NULL };
	json_t *out = NULL;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s", d->pair.home, JOURNAL_FILE);
	if (!rly_journal_open_sqlite(err, &j, path))
		return false;
	if (d->json) {
		out = json_object();
		t.rows = json_array();
		json_object_set_new(out, "packets", t.rows);
	} else {
		printf("\npackets (from the journal, %s):\n", path);
		printf("  %-8s %-10s %4s  %-10s %10s %10s\n", "from", "channel", "seq", "state",
		       "recv at", "ack at");
	}
	{
		struct rly_packet_filter all = { 0 };

		ok = rly_journal_list(j, err, &all, 0, 0, table_row, &t);
	}
	rly_journal_close(j);
	/* the vouchers: ibc/ + sha256("transfer/<receiving channel>/stake") */
	{
		char trace[IBC_ID_MAX + 16];

		for (int i = 0; i < 2; i++) {
			const struct rly_end *dst = i ? &d->pair.path.b : &d->pair.path.a;

			snprintf(trace, sizeof(trace), "transfer/%s", dst->channel_id);
			ibc_denom_hash(voucher[i], trace, strlen(trace), "stake", 5);
		}
	}
	ok = ok && balance(err, amt[0], sizeof(amt[0]), &d->pair.chain[0], d->pair.user[0], "stake") &&
	     balance(err, amt[1], sizeof(amt[1]), &d->pair.chain[0], d->pair.user[0], voucher[0]) &&
	     balance(err, amt[2], sizeof(amt[2]), &d->pair.chain[1], d->pair.user[1], "stake") &&
	     balance(err, amt[3], sizeof(amt[3]), &d->pair.chain[1], d->pair.user[1], voucher[1]);
	if (ok && out) {
		json_object_set_new(out, "balances",
				    json_pack("{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s}}",
					      d->pair.node[0].chain_id, "address", d->pair.user[0], "stake",
					      amt[0], voucher[0], amt[1], d->pair.node[1].chain_id,
					      "address", d->pair.user[1], "stake", amt[2], voucher[1],
					      amt[3]));
		rly_cli_print_ok(&(struct rly_cli){ .json = true }, "demo done", out);
		out = NULL;
	} else if (ok) {
		printf("\nbalances of the users:\n");
		printf("  %s %s: %s stake, %s %s (vouchers from %s)\n", d->pair.node[0].chain_id,
		       d->pair.user[0], amt[0], amt[1], voucher[0], d->pair.node[1].chain_id);
		printf("  %s %s: %s stake, %s %s (vouchers from %s)\n", d->pair.node[1].chain_id,
		       d->pair.user[1], amt[2], amt[3], voucher[1], d->pair.node[0].chain_id);
	}
	json_decref(out);
	return ok;
}

/* ---- the run ---- */

static void note(void *arg, const char *line)
{
	(void)arg;
	step("%s", line);
}

static bool run(struct px_err *err, struct demo *d, const char *devnet_opt)
{
	const struct rly_devnet_pair_opts o = {
		.chain_id = { CHAIN_A, CHAIN_B },
		.seed = { "demo-a", "demo-b" },
		.devnet = devnet_opt,
		.block_ms = d->block_ms,
		.writer = "pontifex demo",
		.path_name = "demo",
		.gas_price = "0.025stake",
		.gas_limit = 4000000,
		.max_msgs = 30,
		.interrupted = &interrupted,
		.note = note,
	};

	if (!rly_devnet_pair_setup(err, &d->pair, d->dir, &o))
		return false;
	/* the daemon first: it relays what it sees from its first height on */
	if (!start_daemon(err, d))
		return false;
	sleep_ms(4 * (long)d->block_ms);
	if (!send_transfers(err, d, 0, "1000") || !send_transfers(err, d, 1, "250") ||
	    !wait_relayed(err, d))
		return false;
	stop_daemon(d);
	step("every packet received and acknowledged; pontifex start stopped");
	return report(err, d);
}

static void cleanup(struct demo *d)
{
	stop_daemon(d);
	rly_devnet_pair_close(&d->pair);
	if (d->dir[0] && !d->keep) {
		char cmd[RLY_DEVNET_PATH_MAX + 16];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "pontifex demo: could not remove %s\n", d->dir);
	} else if (d->dir[0]) {
		printf("kept %s (chain homes and logs, relayer home and journal)\n", d->dir);
	}
}

int rly_cmd_demo(const struct rly_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "block-time", required_argument, NULL, 'b' },
		{ "devnet", required_argument, NULL, 'd' },
		{ "keep", no_argument, NULL, 'k' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct demo *d = calloc(1, sizeof(*d));
	struct px_err err = { 0 };
	struct sigaction sa;
	const char *devnet_opt = NULL;
	char *end;
	int c, rc;
	bool ok;

	if (!d) {
		px_err_set(&err, PX_E_NOMEM, "out of memory");
		return rly_cli_fail(cli, &err);
	}
	d->count = 5;
	d->block_ms = 300;
	d->timeout_s = 90;
	d->json = cli->json;
	quiet_stdout = cli->json;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			d->count = strtol(optarg, &end, 10);
			if (*end || d->count < 1 || d->count > 100) {
				free(d);
				return rly_cli_usage(cli, "demo", "--count: want 1 to 100");
			}
			break;
		case 'b':
			d->block_ms = (unsigned)strtoul(optarg, &end, 10);
			if (*end || d->block_ms < 50 || d->block_ms > 10000) {
				free(d);
				return rly_cli_usage(cli, "demo", "--block-time: want 50 to 10000 ms");
			}
			break;
		case 't':
			d->timeout_s = strtol(optarg, &end, 10);
			if (*end || d->timeout_s < 5 || d->timeout_s > 3600) {
				free(d);
				return rly_cli_usage(cli, "demo", "--timeout: want 5 to 3600 s");
			}
			break;
		case 'd': devnet_opt = optarg; break;
		case 'k': d->keep = true; break;
		case 'h':
			fputs(demo_usage, stdout);
			free(d);
			return 0;
		default:
			free(d);
			return rly_cli_usage(cli, "demo", "unknown option");
		}
	}
	if (optind != argc) {
		free(d);
		return rly_cli_usage(cli, "demo", "demo takes no arguments");
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	t0 = now_s();
	snprintf(d->dir, sizeof(d->dir), "/tmp/pontifex-demo-XXXXXX");
	if (!mkdtemp(d->dir)) {
		d->dir[0] = 0;
		ok = px_err_set(&err, PX_E_IO, "mkdtemp: %s", strerror(errno));
	} else {
		if (!d->json)
			step("pontifex demo in %s", d->dir);
		ok = run(&err, d, devnet_opt);
	}
	if (!ok && d->dir[0])
		d->keep = true;	/* the logs say what went wrong */
	cleanup(d);
	if (ok && !d->json)
		step("done: everything the demo started is stopped");
	rc = ok ? 0 : rly_cli_fail(cli, &err);
	free(d);
	return rc;
}
