/* `pontifex start [--path NAME]`: the daemon. Loads the configuration,
 * refuses key files that others can read, opens HOME/journal.sqlite and
 * runs the relaying engine (relay.h) until SIGINT or SIGTERM; then it
 * releases its claims, closes the chains and the journal and exits 0.
 * The engine serves the `telemetry` (/metrics) and `status` (/status,
 * /packets) listeners from its event loop (relay_metrics.c,
 * docs/metrics.md).
 *
 * Exit status: 0 stopped by a signal; 1 every selected path halted on a
 * header or proof that did not verify (at once without endpoints; with
 * them, when stopped: the daemon stays up to show the halt); 2 usage or configuration (loose
 * key permissions and non-loopback listen addresses included); 3 journal
 * I/O, a listen address that cannot be bound, or chains that cannot be
 * reached at start.
 *
 * `pontifex clear packets` (cli_clear.c) runs the same engine: it opens
 * the same way and stops on the same signals (rly_cli_engine_open and
 * rly_cli_engine_signals, here). */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "relayer/cli.h"
#include "relayer/config.h"
#include "relayer/journal.h"
#include "relayer/keys.h"
#include "relayer/relay.h"

#define MOD "start"

static const char start_usage[] =
	"usage: pontifex [--home DIR] [--config FILE] [--log-level LEVEL] start [--path NAME]\n"
	"\n"
	"Relays packets on every path of the configuration (or only on --path NAME)\n"
	"until SIGINT or SIGTERM: send_packet events become MsgRecvPacket, the\n"
	"acknowledgements go back as MsgAcknowledgement, packets that timed out on\n"
	"the destination become MsgTimeout; every header and proof is verified by\n"
	"pontifex's own light client first. State is kept in HOME/journal.sqlite:\n"
	"a restarted relayer goes on where it stopped. See docs/relaying.md.\n"
	"Prometheus metrics are served on the `telemetry` address (GET /metrics),\n"
	"status and packets on the `status` address (GET /status, GET\n"
	"/packets/CHAIN/PORT/CHANNEL/SEQUENCE); see docs/metrics.md.\n"
	"\n"
	"  --path NAME   relay this path only\n"
	"\n"
	"exit status: 0 stopped by a signal, 1 every path halted on a failed\n"
	"             verification (serving /metrics or /status, the daemon stays\n"
	"             up to show it until stopped), 2 usage or configuration (key\n"
	"             files readable by others included), 3 journal I/O, a listen\n"
	"             address in use or chains unreachable at start\n";

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

bool rly_cli_engine_open(struct px_err *err, struct rly_config *cfg, bool *have_cfg,
			 struct rly_journal **j, char *home, size_t home_cap, char *jpath,
			 size_t jpath_cap, const struct rly_cli *cli)
{
	char file[RLY_CONFIG_PATH_MAX];

	if (!rly_home_dir(err, home, home_cap, cli->home) ||
	    !rly_config_file(err, file, sizeof(file), cli->home, cli->config) ||
	    !rly_config_load(err, cfg, file))
		return false;
	*have_cfg = true;
	if (!rly_keys_check_permissions(err, home))
		return false;
	snprintf(jpath, jpath_cap, "%s/journal.sqlite", home);
	return rly_journal_open_sqlite(err, j, jpath);
}

const volatile sig_atomic_t *rly_cli_engine_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return &stop_flag;
}

int rly_cmd_start(const struct rly_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "path", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char home[RLY_CONFIG_PATH_MAX], jpath[RLY_CONFIG_PATH_MAX + 32];
	struct rly_relay_opts ro = { 0 };
	struct rly_journal *j = NULL;
	struct rly_config cfg;
	struct px_err err = { 0 };
	const char *path = NULL;
	bool have_cfg = false;
	int opt, status;

	memset(&cfg, 0, sizeof(cfg));
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'p': path = optarg; break;
		case 'h': fputs(start_usage, stdout); return 0;
		case ':': return rly_cli_usage(cli, "start", "option %s needs a value",
					       argv[optind - 1]);
		default: return rly_cli_usage(cli, "start", "unknown option %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return rly_cli_usage(cli, "start", "unexpected argument '%s'", argv[optind]);
	if (!rly_cli_engine_open(&err, &cfg, &have_cfg, &j, home, sizeof(home), jpath, sizeof(jpath),
				 cli))
		goto out;
	ro.stop = rly_cli_engine_signals();
	ro.cfg = &cfg;
	ro.journal = j;
	ro.home = home;
	ro.path = path;
	px_info(MOD, "pontifex start: journal %s, %zu path(s) configured, max_msgs %llu", jpath,
		cfg.n_paths, (unsigned long long)cfg.max_msgs);
	if (!rly_relay_run(&err, &ro))
		px_debug(MOD, "the relayer stopped with code %d", err.code);
out:
	rly_journal_close(j);
	status = px_err_is_set(&err) ? rly_cli_fail(cli, &err) : 0;
	if (status == 0) {
		px_info(MOD, "stopped by a signal; journal closed");
		rly_cli_print_ok(cli, "stopped", NULL);
	}
	if (have_cfg)
		rly_config_free(&cfg);
	return status;
}
