/* `pontifex create client|connection|channel PATH`: opens both chains of a
 * configured path (relayer/path.h) and runs the handshakes its config
 * entry asks for, each step on verified headers and proofs: a channel
 * needs a connection, which needs both clients, so whatever the entry
 * leaves empty or "create" below the asked-for object is made first.
 * Prints the ids, and the lines to put into config.yaml. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "common/log.h"
#include "relayer/cli.h"
#include "relayer/config.h"
#include "relayer/path.h"

#define MOD "create"
#define CONNECT_MS 15000u

static const char create_usage[] =
	"usage: pontifex [--home DIR] [--config FILE] [--json] create WHAT PATH\n"
	"\n"
	"  client PATH      MsgCreateClient on each end whose client is \"create\"\n"
	"  connection PATH  the clients it lacks, then the connection handshake\n"
	"                   (ConnOpenInit on a, Try on b, Ack on a, Confirm on b)\n"
	"  channel PATH     the clients and connection it lacks, then an unordered\n"
	"                   ICS-20 channel (version ics20-1) on the path's port\n"
	"\n"
	"PATH is a path name from config.yaml. Every header put into a client update\n"
	"and every proof is verified by pontifex's own light client first. A chain\n"
	"without trusted_height/trusted_hash starts on trust at height 1 (devnets\n"
	"only; a warning says so). The new ids are printed with the config.yaml lines\n"
	"that use them.\n"
	"\n"
	"exit status: 0 done, 1 a header or proof did not verify, 2 usage or\n"
	"             configuration, 3 I/O, RPC or a transaction refused by a chain\n";

enum what { WHAT_CLIENT, WHAT_CONNECTION, WHAT_CHANNEL };

static const char *shown(const char *id)
{
	return id[0] ? id : "create";
}

static json_t *end_json(const struct rly_end *e)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "chain", e->chain->cfg->id, "client",
			 shown(e->client_id), "connection", shown(e->connection_id), "channel",
			 shown(e->channel_id), "port", e->port_id);
}

static void print_end_line(FILE *f, const char *side, const struct rly_end *e)
{
	fprintf(f, "    %s: { chain: %s, client: %s, connection: %s, channel: %s }\n", side,
		e->chain->cfg->id, shown(e->client_id), shown(e->connection_id),
		shown(e->channel_id));
}

static void print_result(const struct rly_cli *cli, const char *name, const struct rly_path *p,
			 json_t *created)
{
	if (cli->json) {
		rly_cli_print_ok(cli, "created",
				 json_pack("{s:s, s:o, s:o, s:o}", "path", name, "a", end_json(&p->a),
					   "b", end_json(&p->b), "created", created));
		return;
	}
	if (json_array_size(created) == 0)
		printf("nothing to create: the configuration names every id needed\n");
	json_decref(created);
	printf("path %s:\n", name);
	printf("  %s: client %s, connection %s, channel %s (port %s)\n", p->a.chain->cfg->id,
	       shown(p->a.client_id), shown(p->a.connection_id), shown(p->a.channel_id),
	       p->a.port_id);
	printf("  %s: client %s, connection %s, channel %s (port %s)\n", p->b.chain->cfg->id,
	       shown(p->b.client_id), shown(p->b.connection_id), shown(p->b.channel_id),
	       p->b.port_id);
	printf("put these ids into config.yaml (paths, name: %s):\n", name);
	print_end_line(stdout, "a", &p->a);
	print_end_line(stdout, "b", &p->b);
}

/* Runs the steps; *created lists what was made. */
static bool run(struct px_err *err, struct rly_path *p, enum what what, json_t *created)
{
	bool clients = !p->a.client_id[0] || !p->b.client_id[0];
	bool conn = what >= WHAT_CONNECTION && (!p->a.connection_id[0] || !p->b.connection_id[0]);
	bool chan = what >= WHAT_CHANNEL && (!p->a.channel_id[0] || !p->b.channel_id[0]);

	if (clients) {
		if (!rly_path_create_clients(err, p))
			return false;
		json_array_append_new(created, json_string("client"));
	}
	if (conn) {
		if (!rly_path_open_connection(err, p))
			return false;
		json_array_append_new(created, json_string("connection"));
	}
	if (chan) {
		if (!rly_path_open_channel(err, p))
			return false;
		json_array_append_new(created, json_string("channel"));
	}
	return true;
}

int rly_cmd_create(const struct rly_cli *cli, int argc, char **argv)
{
	char home[RLY_CONFIG_PATH_MAX], file[RLY_CONFIG_PATH_MAX];
	const struct rly_config_path *pcfg = NULL;
	const struct rly_config_chain *ca, *cb;
	struct rly_chain_opts co = { 0 };
	struct rly_chain a = { 0 }, b = { 0 };
	struct rly_config cfg;
	struct cmt_loop *loop = NULL;
	struct rly_path p;
	struct px_err err = { 0 };
	json_t *created = NULL;
	enum what what;
	int status;

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
			  strcmp(argv[1], "help") == 0)) {
		fputs(create_usage, stdout);
		return 0;
	}
	if (argc != 3)
		return rly_cli_usage(cli, "create", "create needs WHAT (client, connection or "
				     "channel) and PATH");
	if (strcmp(argv[1], "client") == 0)
		what = WHAT_CLIENT;
	else if (strcmp(argv[1], "connection") == 0)
		what = WHAT_CONNECTION;
	else if (strcmp(argv[1], "channel") == 0)
		what = WHAT_CHANNEL;
	else
		return rly_cli_usage(cli, "create", "unknown create subcommand '%s'", argv[1]);

	if (!rly_home_dir(&err, home, sizeof(home), cli->home) ||
	    !rly_config_file(&err, file, sizeof(file), cli->home, cli->config) ||
	    !rly_config_load(&err, &cfg, file))
		return rly_cli_fail(cli, &err);
	for (size_t i = 0; i < cfg.n_paths && !pcfg; i++)
		if (strcmp(cfg.paths[i].name, argv[2]) == 0)
			pcfg = &cfg.paths[i];
	if (!pcfg) {
		px_err_set(&err, PX_E_CONFIG, "path %s is not in %s", argv[2], file);
		goto out;
	}
	ca = rly_config_chain_find(&cfg, pcfg->a.chain);
	cb = rly_config_chain_find(&cfg, pcfg->b.chain);
	if (!ca || !cb) {
		px_err_set(&err, PX_E_CONFIG, "path %s: chain %s is not in %s", argv[2],
			   ca ? pcfg->b.chain : pcfg->a.chain, file);
		goto out;
	}
	co.home = home;
	co.trust_height = 1;
	co.connect_once = true;
	if (!cmt_loop_new(&err, &loop) || !rly_chain_open(&err, &a, loop, ca, &co, CONNECT_MS) ||
	    !rly_chain_open(&err, &b, loop, cb, &co, CONNECT_MS))
		goto out;
	rly_path_from_config(&p, pcfg, &a, &b);
	created = json_array();
	if (!created) {
		px_err_set(&err, PX_E_NOMEM, "out of memory");
		goto out;
	}
	if (!run(&err, &p, what, created)) {
		/* What exists on the chains is worth keeping in the config
		 * even when a later step failed. */
		if (json_array_size(created) || p.a.client_id[0] || p.b.client_id[0])
			px_warn(MOD, "path %s stopped with a: client %s connection %s channel %s, "
				"b: client %s connection %s channel %s", pcfg->name,
				shown(p.a.client_id), shown(p.a.connection_id), shown(p.a.channel_id),
				shown(p.b.client_id), shown(p.b.connection_id), shown(p.b.channel_id));
		goto out;
	}
	print_result(cli, pcfg->name, &p, created);
	created = NULL;
out:
	status = px_err_is_set(&err) ? rly_cli_fail(cli, &err) : 0;
	json_decref(created);
	rly_chain_close(&b);
	rly_chain_close(&a);
	if (loop)
		cmt_loop_free(loop);
	rly_config_free(&cfg);
	return status;
}
