/* Shared pieces of the pontifex command line: global options, reading
 * inputs, and printing results under the exit-code contract (0 done or
 * verified, 1 not verified, 2 usage or malformed input, 3 I/O or RPC). */
#ifndef PX_RELAYER_CLI_H
#define PX_RELAYER_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "common/errors.h"
#include "common/rfc3339.h"

struct rly_cli {
	const char *home;
	const char *config;
	bool json;
};

/* Reads a whole file ("-" is stdin) of at most cap bytes into out. */
bool rly_cli_read_input(struct px_err *err, struct px_buf *out, const char *path,
			size_t cap) PX_MUST_CHECK;

/* Turns file contents into bytes: hex (optionally 0x-prefixed) or base64
 * when the whole text, trimmed of surrounding white space, is one of them;
 * otherwise the bytes as they are. *format names what was found. */
bool rly_cli_decode_blob(struct px_err *err, struct px_buf *out, const char **format,
			 const uint8_t *data, size_t len) PX_MUST_CHECK;

/* Prints the outcome of a verify command and returns its exit status.
 * err NULL or clear means verified, with `what` saying what was shown. */
int rly_cli_verify_result(const struct rly_cli *cli, const struct px_err *err, const char *what);

/* Prints a usage or input error (text on stderr, or the JSON object on
 * stdout) and returns the exit status for its code. */
int rly_cli_fail(const struct rly_cli *cli, const struct px_err *err);

/* A usage error of `pontifex COMMAND` (e.g. "verify eth-proof"): the
 * message and a pointer to the command's --help on stderr, or the JSON
 * object. Returns 2. */
int rly_cli_usage(const struct rly_cli *cli, const char *command, const char *fmt, ...) PX_PRINTF(3, 4);

/* Reads and parses a JSON file ("-" is stdin) of at most cap bytes. A new
 * reference, or NULL with err naming the file. */
struct json_t *rly_cli_load_json(struct px_err *err, const char *path, size_t cap);

/* The time to verify at: the RFC 3339 value of an option (a bad value is a
 * usage error naming the option), or the clock when s is NULL. */
bool rly_cli_now(struct px_err *err, struct px_time *out, const char *option, const char *s) PX_MUST_CHECK;

int rly_cmd_verify(const struct rly_cli *cli, int argc, char **argv);
/* `verify eth-header` and `verify eth-proof` (cli_verify_eth.c); argv[0]
 * is the subcommand. */
int rly_cmd_verify_eth_header(const struct rly_cli *cli, int argc, char **argv);
int rly_cmd_verify_eth_proof(const struct rly_cli *cli, int argc, char **argv);
/* `verify header` and `verify abci` (cli_verify_tm.c); argv[0] is the
 * subcommand. */
int rly_cmd_verify_header(const struct rly_cli *cli, int argc, char **argv);
int rly_cmd_verify_abci(const struct rly_cli *cli, int argc, char **argv);
/* `verify packet` (cli_verify_packet.c); argv[0] is the subcommand. */
int rly_cmd_verify_packet(const struct rly_cli *cli, int argc, char **argv);
/* `config init|validate` (cli_config.c) and `keys add|list|show|delete`
 * (cli_keys.c); argv[0] is the command. */
int rly_cmd_config(const struct rly_cli *cli, int argc, char **argv);
int rly_cmd_keys(const struct rly_cli *cli, int argc, char **argv);
/* `start [--path NAME]`, the daemon (cli_start.c); argv[0] is the command. */
int rly_cmd_start(const struct rly_cli *cli, int argc, char **argv);
/* What the commands that run the relaying engine (start, clear packets)
 * open first, in cli_start.c: HOME, the configuration (*have_cfg once cfg
 * must be freed, on failure too), key files others cannot read, and
 * HOME/journal.sqlite (its path in jpath). */
struct rly_config;
struct rly_journal;
bool rly_cli_engine_open(struct px_err *err, struct rly_config *cfg, bool *have_cfg,
			 struct rly_journal **j, char *home, size_t home_cap, char *jpath,
			 size_t jpath_cap, const struct rly_cli *cli) PX_MUST_CHECK;
/* SIGINT and SIGTERM set the flag returned (the engine's stop); SIGPIPE
 * is ignored. */
const volatile sig_atomic_t *rly_cli_engine_signals(void);
/* `clear packets CHAIN PORT CHANNEL` (cli_clear.c); argv[0] is the command. */
int rly_cmd_clear(const struct rly_cli *cli, int argc, char **argv);
/* `health-check` (cli_health.c): one line per check, exit 0 when none fails. */
int rly_cmd_health(const struct rly_cli *cli, int argc, char **argv);
/* `demo` (cli_demo.c): two devnets, a channel, transfers relayed both ways. */
int rly_cmd_demo(const struct rly_cli *cli, int argc, char **argv);
/* `create client|connection|channel PATH` (cli_create.c); argv[0] is the
 * command. */
int rly_cmd_create(const struct rly_cli *cli, int argc, char **argv);

/* `tx transfer` (cli_tx.c) and `query packet|pending` (cli_query.c);
 * argv[0] is the command. */
int rly_cmd_tx(const struct rly_cli *cli, int argc, char **argv);
int rly_cmd_query(const struct rly_cli *cli, int argc, char **argv);

/* Helpers of the commands that talk to chains (cli_query.c). */
struct rly_config;
struct rly_config_chain;
struct cmt_loop;
struct cmt_client;
struct rly_ibcq_route;

/* HOME into home, the configuration into cfg (the caller frees it) and
 * the chain `id` in it; a chain not configured is PX_E_CONFIG. */
bool rly_cli_load_chain(struct px_err *err, struct rly_config *cfg,
			const struct rly_config_chain **chain, char *home, size_t home_cap,
			const struct rly_cli *cli, const char *id) PX_MUST_CHECK;

/* A websocket client of one chain's node. The struct must stay where it
 * is while the client lives (the client reports to it). */
struct rly_cli_conn {
	struct cmt_client *client;	/* owned */
	bool failed;			/* a connection attempt failed */
	struct px_err why;
};

/* Connects to chain->rpc and waits until connected: the first failed
 * attempt, or no connection within timeout_ms, is PX_E_RPC naming the
 * URL (exit status 3). */
bool rly_cli_connect(struct px_err *err, struct rly_cli_conn *conn, struct cmt_loop *loop,
		     const struct rly_config_chain *chain, uint32_t timeout_ms) PX_MUST_CHECK;
void rly_cli_disconnect(struct rly_cli_conn *conn);

/* Port and channel identifiers as ICS-24 allows them (PX_E_USAGE). */
bool rly_cli_ids_check(struct px_err *err, const char *port, const char *channel) PX_MUST_CHECK;

/* rly_ibcq_route, with a channel, connection or client that does not
 * exist reported as PX_E_USAGE (the user named it): exit status 2. */
bool rly_cli_route(struct px_err *err, struct rly_ibcq_route *out, struct cmt_client *c,
		   const char *chain_id, const char *port, const char *channel) PX_MUST_CHECK;

/* With --json, prints {"code":0,"message":...} merged with the fields of
 * extra (a jansson object, stolen; may be NULL); without, nothing. */
struct json_t;
void rly_cli_print_ok(const struct rly_cli *cli, const char *message, struct json_t *extra);

#endif
