/* `pontifex demo`: two pontifex-devnet chains on free loopback ports, a
 * relayer home for them, the clients, connection and channel created by
 * the relayer, ICS-20 transfers both ways, `pontifex start` relaying them
 * (every header and proof verified), then a table of the packets from the
 * journal and the balances on both chains. Everything it starts it stops;
 * its folder is removed unless --keep. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "chains/cosmos/bech32.h"
#include "common/protobuf.h"
#include "ibc/codec/msg.h"
#include "ibc/transfer/ics20.h"
#include "relayer/cli.h"
#include "relayer/config.h"
#include "relayer/devnet_proc.h"
#include "relayer/ibcquery.h"
#include "relayer/journal.h"
#include "relayer/keys.h"
#include "relayer/path.h"

#define CHAIN_A "deva-1"
#define CHAIN_B "devb-1"
#define JOURNAL_FILE "journal.sqlite"
#define ADDR_MAX 128

static const char demo_usage[] =
	"usage: pontifex demo [--count N] [--block-time MS] [--devnet PATH] [--keep] [--timeout S]\n"
	"  Starts two local chains (" CHAIN_A ", " CHAIN_B "), creates clients, a\n"
	"  connection and a transfer channel between them, sends N transfers each way\n"
	"  (default 5), relays them with `pontifex start`, prints the packets and the\n"
	"  balances, and stops everything. --keep leaves the folder (homes, logs,\n"
	"  journal) in place.\n";

struct demo {
	char dir[RLY_DEVNET_PATH_MAX];
	char home[RLY_DEVNET_PATH_MAX + 16];
	struct rly_devnet node[2];
	struct rly_config cfg;
	bool cfg_loaded;
	struct cmt_loop *loop;
	struct rly_chain chain[2];
	bool chain_open[2];
	struct rly_path path;
	pid_t daemon;
	long count;
	unsigned block_ms;
	long timeout_s;
	bool keep;
	bool json;
	char user[2][ADDR_MAX];
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

/* ---- the relayer home ---- */

/* Writes HOME/config.yaml for the two chains and the path (the ids known
 * so far, "create" for the others); load: parse it into d->cfg. */
static bool write_config(struct px_err *err, struct demo *d, bool load)
{
	char path[sizeof(d->home) + 16];
	const struct rly_end *e[2] = { &d->path.a, &d->path.b };
	FILE *f;

	snprintf(path, sizeof(path), "%s/config.yaml", d->home);
	f = fopen(path, "w");
	if (!f)
		return px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
	fprintf(f, "# written by pontifex demo\nchains:\n");
	for (int i = 0; i < 2; i++)
		fprintf(f,
			"  - id: %s\n"
			"    rpc: %s\n"
			"    account_prefix: cosmos\n"
			"    gas_price: 0.025stake\n"
			"    gas_limit: 4000000\n"
			"    key: relayer\n"
			"    trusting_period: 336h\n",
			d->node[i].chain_id, d->node[i].ws_url);
	fprintf(f, "paths:\n  - name: demo\n");
	for (int i = 0; i < 2; i++)
		fprintf(f, "    %s: { chain: %s, client: %s, connection: %s, channel: %s }\n",
			i ? "b" : "a", d->node[i].chain_id,
			e[i]->client_id[0] ? e[i]->client_id : "create",
			e[i]->connection_id[0] ? e[i]->connection_id : "create",
			e[i]->channel_id[0] ? e[i]->channel_id : "create");
	fprintf(f, "    port: transfer\nmax_msgs: 30\ntelemetry: off\nstatus: off\n");
	if (fclose(f) != 0)
		return px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
	if (!load)
		return true;
	d->cfg_loaded = rly_config_load(err, &d->cfg, path);
	return d->cfg_loaded;
}

static bool import_keys(struct px_err *err, struct demo *d)
{
	char keys[sizeof(d->home) + 8];

	snprintf(keys, sizeof(keys), "%s/keys", d->home);
	if (mkdir(keys, 0700) != 0 && errno != EEXIST)
		return px_err_set(err, PX_E_IO, "%s: %s", keys, strerror(errno));
	for (int i = 0; i < 2; i++) {
		struct cosmos_key k;
		struct rly_key_info info;
		uint8_t addr[COSMOS_ADDR_LEN];
		bool ok;

		if (!rly_devnet_account_key(err, &k, &d->node[i], "relayer"))
			return false;
		ok = rly_keys_store(err, &info, d->home, d->node[i].chain_id, "relayer", &k, "");
		cosmos_key_wipe(&k);
		if (!ok || !rly_devnet_account_key(err, &k, &d->node[i], "user"))
			return false;
		cosmos_pubkey_address(addr, k.pub);
		cosmos_key_wipe(&k);
		if (!cosmos_address_encode(err, d->user[i], sizeof(d->user[i]), "cosmos", addr,
					   sizeof(addr)))
			return false;
	}
	return true;
}

/* ---- transfers ---- */

/* count MsgTransfers of `amount` stake from the user on chain i to the
 * user on the other chain, in one transaction signed with the user key. */
static bool send_transfers(struct px_err *err, struct demo *d, int i, const char *amount)
{
	const struct rly_end *src = i ? &d->path.b : &d->path.a;
	struct rly_txsub_opts o;
	struct rly_txsub *tx = NULL;
	struct rly_tx_result res = { 0 };
	struct cosmos_key k;
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

		memset(&msg, 0, sizeof(msg));
		msg.kind = IBC_MSG_TRANSFER;
		snprintf(msg.u.transfer.source_port, sizeof(msg.u.transfer.source_port), "%s",
			 src->port_id);
		snprintf(msg.u.transfer.source_channel, sizeof(msg.u.transfer.source_channel), "%s",
			 src->channel_id);
		msg.u.transfer.token.denom = cosmos_str("stake");
		msg.u.transfer.token.amount = cosmos_str(amount);
		msg.u.transfer.sender = cosmos_str(d->user[i]);
		msg.u.transfer.receiver = cosmos_str(d->user[1 - i]);
		/* ten minutes from now */
		msg.u.transfer.timeout_timestamp =
			((uint64_t)ts.tv_sec + 600) * 1000000000ull + (uint64_t)ts.tv_nsec;
		if (!rly_msgs_add_ibc(err, m, &msg))
			goto out;
	}
	if (!rly_devnet_account_key(err, &k, &d->node[i], "user"))
		goto out;
	rly_txsub_opts_from_config(&o, d->chain[i].cfg);
	o.key = &k;
	ok = rly_txsub_open(err, &tx, d->loop, d->chain[i].rpc, &o);
	cosmos_key_wipe(&k);
	if (!ok)
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
		     amount, d->node[i].chain_id, d->node[1 - i].chain_id, res.hash, res.height);
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
	char self[4096], log[sizeof(d->home) + 16];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	pid_t pid;

	if (n <= 0)
		return px_err_set(err, PX_E_IO, "cannot find the pontifex executable");
	self[n] = 0;
	snprintf(log, sizeof(log), "%s/relayer.log", d->dir);
	pid = fork();
	if (pid < 0)
		return px_err_set(err, PX_E_IO, "fork: %s", strerror(errno));
	if (pid == 0) {
		char *argv[] = { self, "--home", d->home, "start", NULL };
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		setpgid(0, 0);
		execv(self, argv);
		_exit(127);
	}
	d->daemon = pid;
	step("pontifex start running (pid %d), log in %s", (int)pid, log);
	return true;
}

static void stop_daemon(struct demo *d)
{
	int status;

	if (d->daemon <= 0)
		return;
	kill(d->daemon, SIGTERM);
	for (int i = 0; i < 200; i++) {
		if (waitpid(d->daemon, &status, WNOHANG) == d->daemon) {
			d->daemon = 0;
			return;
		}
		sleep_ms(50);
	}
	kill(d->daemon, SIGKILL);
	waitpid(d->daemon, &status, 0);
	d->daemon = 0;
}

/* Acknowledged packets of each direction, from the journal. */
static bool acked(struct px_err *err, struct rly_journal *j, const struct demo *d,
		  uint64_t out[2], uint64_t states[2][RLY_PKT_STATE_COUNT])
{
	for (int i = 0; i < 2; i++) {
		const struct rly_end *e = i ? &d->path.b : &d->path.a;
		struct rly_packet_filter f = { d->node[i].chain_id, e->port_id, e->channel_id, 0 };

		if (!rly_journal_counts(j, err, &f, states[i]))
			return false;
		out[i] = states[i][RLY_PKT_ACKED];
	}
	return true;
}

static bool wait_relayed(struct px_err *err, struct demo *d)
{
	char path[sizeof(d->home) + 32];
	struct rly_journal *j = NULL;
	uint64_t done[2] = { 0, 0 }, last[2] = { UINT64_MAX, UINT64_MAX };
	uint64_t states[2][RLY_PKT_STATE_COUNT];
	double deadline = now_s() + (double)d->timeout_s;
	int status;

	snprintf(path, sizeof(path), "%s/%s", d->home, JOURNAL_FILE);
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
			     d->node[0].chain_id, d->node[1].chain_id, done[0], d->count,
			     d->node[1].chain_id, d->node[0].chain_id, done[1], d->count);
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
	char path[sizeof(d->home) + 32], voucher[2][IBC_DENOM_HASH_LEN + 1];
	char amt[4][96];
	struct rly_journal *j;
	struct table_ctx t = { NULL };
	json_t *out = NULL;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s", d->home, JOURNAL_FILE);
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
			const struct rly_end *dst = i ? &d->path.b : &d->path.a;

			snprintf(trace, sizeof(trace), "transfer/%s", dst->channel_id);
			ibc_denom_hash(voucher[i], trace, strlen(trace), "stake", 5);
		}
	}
	ok = ok && balance(err, amt[0], sizeof(amt[0]), &d->chain[0], d->user[0], "stake") &&
	     balance(err, amt[1], sizeof(amt[1]), &d->chain[0], d->user[0], voucher[0]) &&
	     balance(err, amt[2], sizeof(amt[2]), &d->chain[1], d->user[1], "stake") &&
	     balance(err, amt[3], sizeof(amt[3]), &d->chain[1], d->user[1], voucher[1]);
	if (ok && out) {
		json_object_set_new(out, "balances",
				    json_pack("{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s}}",
					      d->node[0].chain_id, "address", d->user[0], "stake",
					      amt[0], voucher[0], amt[1], d->node[1].chain_id,
					      "address", d->user[1], "stake", amt[2], voucher[1],
					      amt[3]));
		rly_cli_print_ok(&(struct rly_cli){ .json = true }, "demo done", out);
		out = NULL;
	} else if (ok) {
		printf("\nbalances of the users:\n");
		printf("  %s %s: %s stake, %s %s (vouchers from %s)\n", d->node[0].chain_id,
		       d->user[0], amt[0], amt[1], voucher[0], d->node[1].chain_id);
		printf("  %s %s: %s stake, %s %s (vouchers from %s)\n", d->node[1].chain_id,
		       d->user[1], amt[2], amt[3], voucher[1], d->node[0].chain_id);
	}
	json_decref(out);
	return ok;
}

/* ---- the run ---- */

static bool run(struct px_err *err, struct demo *d, const char *devnet_opt)
{
	char exe[RLY_DEVNET_PATH_MAX];
	static const char *const ids[2] = { CHAIN_A, CHAIN_B };
	static const char *const seeds[2] = { "demo-a", "demo-b" };

	if (!rly_devnet_exe(err, exe, sizeof(exe), devnet_opt))
		return false;
	snprintf(d->home, sizeof(d->home), "%s/relayer", d->dir);
	if (mkdir(d->home, 0700) != 0)
		return px_err_set(err, PX_E_IO, "%s: %s", d->home, strerror(errno));
	for (int i = 0; i < 2; i++) {
		if (!rly_devnet_start(err, &d->node[i], exe, d->dir, ids[i], seeds[i], NULL,
				      d->block_ms, 20000))
			return false;
		step("chain %s: pontifex-devnet on %s (pid %d)", ids[i], d->node[i].ws_url,
		     (int)d->node[i].pid);
	}
	if (!import_keys(err, d) || !write_config(err, d, true))
		return false;
	step("relayer home %s: config.yaml and the relayer keys of both chains", d->home);
	if (!cmt_loop_new(err, &d->loop))
		return false;
	for (int i = 0; i < 2; i++) {
		struct rly_chain_opts co = { .home = d->home, .trust_height = 1 };

		/* a new chain: trusting height 1 needs the validators of 2 */
		for (int tries = 0; !d->chain_open[i]; tries++) {
			px_err_clear(err);
			d->chain_open[i] = rly_chain_open(err, &d->chain[i], d->loop,
							  &d->cfg.chains[i], &co, 20000);
			if (!d->chain_open[i] && (tries >= 40 || interrupted))
				return false;
			if (!d->chain_open[i])
				sleep_ms(d->block_ms);
		}
	}
	step("light clients of both chains started (on trust at height 1: a local devnet)");
	rly_path_from_config(&d->path, &d->cfg.paths[0], &d->chain[0], &d->chain[1]);
	if (!rly_path_create_clients(err, &d->path))
		return false;
	step("clients: %s on %s, %s on %s", d->path.a.client_id, ids[0], d->path.b.client_id,
	     ids[1]);
	if (!rly_path_open_connection(err, &d->path))
		return false;
	step("connection open: %s <-> %s", d->path.a.connection_id, d->path.b.connection_id);
	if (!rly_path_open_channel(err, &d->path))
		return false;
	step("channel open: %s/%s <-> %s/%s", d->path.a.port_id, d->path.a.channel_id,
	     d->path.b.port_id, d->path.b.channel_id);
	/* the file now names what exists, for `pontifex start` */
	if (!write_config(err, d, false))
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
	for (int i = 0; i < 2; i++) {
		if (d->chain_open[i])
			rly_chain_close(&d->chain[i]);
	}
	if (d->loop)
		cmt_loop_free(d->loop);
	for (int i = 0; i < 2; i++)
		rly_devnet_stop(&d->node[i]);
	if (d->cfg_loaded)
		rly_config_free(&d->cfg);
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
