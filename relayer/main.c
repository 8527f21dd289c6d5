/* pontifex: the command-line entry point. Global options come before the
 * command; each command parses its own options. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "relayer/cli.h"

#define PONTIFEX_VERSION "0.1.0"

static const char main_usage[] =
	"usage: pontifex [--home DIR] [--config FILE] [--json] [--log-level LEVEL]\n"
	"                [--log-format text|json] COMMAND [ARGS]\n"
	"\n"
	"pontifex relays IBC packets only after verifying headers and proofs itself.\n"
	"\n"
	"commands:\n"
	"  verify ics23   check an ICS-23 proof offline (see pontifex verify --help)\n"
	"  verify eth-header  check an Ethereum block header's hash offline\n"
	"  verify eth-proof   check an eth_getProof result against a state root\n"
	"  verify header  check a CometBFT header from a trusted one (bisection)\n"
	"  verify abci    check an abci_query proof against an app hash\n"
	"  verify packet  audit a relayed MsgRecvPacket/MsgAcknowledgement/MsgTimeout\n"
	"  config init    write a commented example configuration\n"
	"  config validate  check the configuration (first bad key, with its line)\n"
	"  keys add|list|show|delete  the relayer's signing keys (pontifex keys --help)\n"
	"  tx transfer    send ICS-20 transfers (pontifex tx --help)\n"
	"  query packet|pending  a packet's state, or what is left to relay on a channel\n"
	"  query clients|connections|channels CHAIN  the IBC objects a chain holds\n"
	"  create client|connection|channel PATH  clients and handshakes of a path\n"
	"  start [--path NAME]  run the relayer daemon (pontifex start --help)\n"
	"  clear packets CHAIN PORT CHANNEL  relay what is pending on a channel now\n"
	"  health-check   endpoints, chain ids, clocks, keys, balances, client expiry\n"
	"  demo           two local chains, a channel, transfers relayed both ways\n"
	"  help           show this text\n"
	"  version        show the version\n"
	"\n"
	"global options:\n"
	"  --home DIR          state folder (default $HOME/.pontifex)\n"
	"  --config FILE       configuration file (default HOME/config.yaml)\n"
	"  --json              print exactly one JSON object on stdout\n"
	"  --log-level LEVEL   debug, info, warn, error or off (default info)\n"
	"  --log-format F      text (default) or json lines, on stderr\n"
	"\n"
	"exit status: 0 done or verified, 1 verification failed,\n"
	"             2 usage, configuration or malformed input, 3 I/O or RPC failure\n";

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "home", required_argument, NULL, 'H' },
		{ "config", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "log-format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct rly_cli cli = { NULL, NULL, false };
	enum px_log_level level = PX_LOG_INFO;
	enum px_log_format format = PX_LOG_TEXT;
	struct px_err err = { 0 };
	const char *cmd;
	int opt;

	opterr = 0;
	/* '+': stop at the command, its options are its own. */
	while ((opt = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'H': cli.home = optarg; break;
		case 'c': cli.config = optarg; break;
		case 'j': cli.json = true; break;
		case 'l':
			if (!px_log_level_parse(&err, &level, optarg))
				return rly_cli_fail(&cli, &err);
			break;
		case 'f':
			if (!px_log_format_parse(&err, &format, optarg))
				return rly_cli_fail(&cli, &err);
			break;
		case 'h': fputs(main_usage, stdout); return 0;
		case 'V': printf("pontifex %s\n", PONTIFEX_VERSION); return 0;
		case ':':
			px_err_set(&err, PX_E_USAGE, "option %s needs a value", argv[optind - 1]);
			return rly_cli_fail(&cli, &err);
		default:
			px_err_set(&err, PX_E_USAGE, "unknown option %s", argv[optind - 1]);
			return rly_cli_fail(&cli, &err);
		}
	}
	px_log_setup(level, format, stderr);
	if (optind >= argc) {
		fputs(main_usage, stderr);
		return 2;
	}
	cmd = argv[optind];
	if (strcmp(cmd, "help") == 0) {
		fputs(main_usage, stdout);
		return 0;
	}
	if (strcmp(cmd, "version") == 0) {
		printf("pontifex %s\n", PONTIFEX_VERSION);
		return 0;
	}
	if (strcmp(cmd, "verify") == 0)
		return rly_cmd_verify(&cli, argc - optind, argv + optind);
	if (strcmp(cmd, "config") == 0)
		return rly_cmd_config(&cli, argc - optind, argv + optind);
	if (strcmp(cmd, "keys") == 0)
		return rly_cmd_keys(&cli, argc - optind, argv + optind);
	if (strcmp(cmd, "tx") == 0)
		return rly_cmd_tx(&cli, argc - optind, argv + optind);
	if (strcmp(cmd, "query") == 0)
		return rly_cmd_query(&cli, argc - optind, argv + optind);
	if (strcmp(cmd, "create") == 0)
		return rly_cmd_create(&cli, argc - optind, argv + optind);
	if (strcmp(cmd, "start") == 0)
		return rly_cmd_start(&cli, argc - optind, argv + optind);
	if (strcmp(cmd, "clear") == 0)
		return rly_cmd_clear(&cli, argc - optind, argv + optind);
	if (strcmp(cmd, "health-check") == 0)
		return rly_cmd_health(&cli, argc - optind, argv + optind);
	if (strcmp(cmd, "demo") == 0)
		return rly_cmd_demo(&cli, argc - optind, argv + optind);
	px_err_set(&err, PX_E_USAGE, "unknown command '%s' (see pontifex --help)", cmd);
	return rly_cli_fail(&cli, &err);
}
