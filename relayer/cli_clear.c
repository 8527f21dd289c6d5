/* `pontifex clear packets CHAIN PORT CHANNEL`: relays what is pending on
 * one channel now, without the daemon. Finds the configured path with that
 * end (ids from the config, or from the journal for "create" paths), then
 * runs the relaying engine (relay.h) on it in its clearing mode: what the
 * chains say is pending goes into HOME/journal.sqlite (relay_clear.c), the
 * engine's rounds relay it with verified proofs, and the chains are asked
 * again until nothing is pending on the channel, either way. Prints what
 * was pending and what became of it.
 *
 * Exit status: 0 nothing left pending; 1 a header, proof or event did not
 * verify; 2 usage or configuration; 3 journal I/O, RPC, or still pending
 * when --timeout ran out. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "common/log.h"
#include "common/number.h"
#include "relayer/cli.h"
#include "relayer/config.h"
#include "relayer/journal.h"
#include "relayer/keys.h"
#include "relayer/relay.h"

#define MOD "clear"

static const char clear_usage[] =
	"usage: pontifex [--home DIR] [--config FILE] [--json] clear packets CHAIN PORT CHANNEL\n"
	"                [--timeout SECONDS]\n"
	"\n"
	"Relays everything pending on a channel now: packets with a commitment on\n"
	"either end that the other end has not received, and acknowledgements not\n"
	"yet back. Packets the journal lacks (sent before the relayer ever ran, or\n"
	"missed) are found with tx_search and checked against the commitments the\n"
	"chains store. Every header and proof is verified by pontifex's own light\n"
	"client before anything is submitted. The channel must belong to a path of\n"
	"the configuration. See docs/cli.md.\n"
	"\n"
	"  --timeout SECONDS  give up when something is still pending after this\n"
	"                     long (default 300)\n"
	"\n"
	"exit status: 0 nothing left pending, 1 a header, proof or event did not\n"
	"             verify, 2 usage or configuration, 3 journal I/O, RPC, or still\n"
	"             pending at the timeout\n";

/* The path with end (chain, port, channel): the config's ids, or the
 * journal's for an end the config leaves to "create". */
static bool find_path(struct px_err *err, const char **name, const struct rly_config *cfg,
		      struct rly_journal *j, const char *chain, const char *port,
		      const char *channel)
{
	*name = NULL;
	for (size_t i = 0; i < cfg->n_paths; i++) {
		const struct rly_config_path *p = &cfg->paths[i];
		const struct rly_config_end *e[2] = { &p->a, &p->b };
		struct rly_path_ids ids;
		bool found = false;

		if (strcmp(p->port, port) != 0)
			continue;
		if (!rly_journal_path_get(j, err, p->name, &ids, &found))
			return false;
		for (int s = 0; s < 2; s++) {
			const char *ch = e[s]->channel;

			if (strcmp(ch, "create") == 0)
				ch = found ? ids.channel[s] : "";
			if (strcmp(e[s]->chain, chain) == 0 && strcmp(ch, channel) == 0) {
				*name = p->name;
				return true;
			}
		}
	}
	return px_err_set(err, PX_E_USAGE, "no path of the configuration has %s %s/%s as an end",
			  chain, port, channel);
}

struct states {
	uint64_t n[RLY_PKT_STATE_COUNT];
	uint64_t unknown;
};

static bool final_states(struct px_err *err, struct states *out, struct rly_journal *j,
			 const struct rly_clear_dir *d)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < d->seqs.n; i++) {
		struct rly_packet_record rec;
		struct rly_packet_key k;
		bool found = false;

		memset(&k, 0, sizeof(k));
		snprintf(k.src_chain, sizeof(k.src_chain), "%s", d->src_chain);
		snprintf(k.src_port, sizeof(k.src_port), "%s", d->src_port);
		snprintf(k.src_channel, sizeof(k.src_channel), "%s", d->src_channel);
		k.sequence = d->seqs.v[i];
		if (!rly_journal_get(j, err, &k, &rec, &found))
			return false;
		if (found)
			out->n[rec.state]++;
		else
			out->unknown++;
	}
	return true;
}

static void seqs_text(char *out, size_t cap, const struct rly_ibcq_seqs *s)
{
	size_t used = 0;

	out[0] = 0;
	for (size_t i = 0; i < s->n && used + 24 < cap; i++) {
		size_t k = i;

		while (k + 1 < s->n && s->v[k + 1] == s->v[k] + 1)
			k++;
		if (k > i)
			used += (size_t)snprintf(out + used, cap - used, "%s%" PRIu64 "-%" PRIu64,
						 used ? "," : "", s->v[i], s->v[k]);
		else
			used += (size_t)snprintf(out + used, cap - used, "%s%" PRIu64,
						 used ? "," : "", s->v[i]);
		i = k;
	}
	if (used + 24 >= cap && cap > 4)
		snprintf(out + cap - 4, 4, "...");
}

static json_t *dir_json(const struct rly_clear_dir *d, const struct states *st)
{
	json_t *o = json_object(), *seqs = json_array(), *states = json_object();

	if (!o || !seqs || !states) {
		json_decref(o);
		json_decref(seqs);
		json_decref(states);
		return NULL;
	}
	for (size_t i = 0; i < d->seqs.n; i++)
		json_array_append_new(seqs, json_integer((json_int_t)d->seqs.v[i]));
	for (int s = 0; s < RLY_PKT_STATE_COUNT; s++)
		if (st->n[s])
			json_object_set_new(states, rly_packet_state_name((enum rly_packet_state)s),
					    json_integer((json_int_t)st->n[s]));
	json_object_set_new(o, "src_chain", json_string(d->src_chain));
	json_object_set_new(o, "src_port", json_string(d->src_port));
	json_object_set_new(o, "src_channel", json_string(d->src_channel));
	json_object_set_new(o, "dst_chain", json_string(d->dst_chain));
	json_object_set_new(o, "dst_port", json_string(d->dst_port));
	json_object_set_new(o, "dst_channel", json_string(d->dst_channel));
	json_object_set_new(o, "filtered", json_boolean(d->filtered));
	json_object_set_new(o, "commitments", json_integer((json_int_t)d->commitments));
	json_object_set_new(o, "unreceived_packets", json_integer((json_int_t)d->unreceived));
	json_object_set_new(o, "unreceived_acks", json_integer((json_int_t)d->unacked));
	json_object_set_new(o, "journalled_packets", json_integer((json_int_t)d->journalled));
	json_object_set_new(o, "journalled_acks", json_integer((json_int_t)d->acks_journalled));
	json_object_set_new(o, "not_found", json_integer((json_int_t)d->missing));
	json_object_set_new(o, "sequences", seqs);
	json_object_set_new(o, "states", states);
	return o;
}

static void dir_text(const struct rly_clear_dir *d, const struct states *st)
{
	char seqs[200];
	bool any = false;

	printf("  %s %s/%s -> %s %s/%s: ", d->src_chain, d->src_port, d->src_channel,
	       d->dst_chain, d->dst_port, d->dst_channel);
	if (d->filtered) {
		printf("skipped (packet_filter)\n");
		return;
	}
	if (d->seqs.n == 0) {
		printf("nothing was pending (%zu commitment(s))\n", d->commitments);
		return;
	}
	seqs_text(seqs, sizeof(seqs), &d->seqs);
	printf("%zu unreceived packet(s), %zu unreceived ack(s) [%s]\n", d->unreceived, d->unacked,
	       seqs);
	printf("    journalled from tx_search: %zu packet(s), %zu ack(s)", d->journalled,
	       d->acks_journalled);
	if (d->missing)
		printf(", %zu not found", d->missing);
	printf("\n    now:");
	for (int s = 0; s < RLY_PKT_STATE_COUNT; s++)
		if (st->n[s]) {
			printf("%s %" PRIu64 " %s", any ? "," : "", st->n[s],
			       rly_packet_state_name((enum rly_packet_state)s));
			any = true;
		}
	if (st->unknown)
		printf("%s %" PRIu64 " not in the journal", any ? "," : "", st->unknown);
	printf("\n");
}

static bool report(struct px_err *err, const struct rly_cli *cli, struct rly_journal *j,
		   const struct rly_clear_report *rep)
{
	struct states st[2];
	json_t *dirs;

	for (int d = 0; d < 2; d++)
		if (!final_states(err, &st[d], j, &rep->dir[d]))
			return false;
	if (cli->json) {
		dirs = json_array();
		for (int d = 0; d < 2 && dirs; d++)
			json_array_append_new(dirs, dir_json(&rep->dir[d], &st[d]));
		rly_cli_print_ok(cli, "nothing pending",
				 json_pack("{s:s, s:I, s:o*}", "path", rep->path ? rep->path : "",
					   "rounds", (json_int_t)rep->rounds, "directions", dirs));
		return true;
	}
	printf("path %s:\n", rep->path ? rep->path : "?");
	for (int d = 0; d < 2; d++)
		dir_text(&rep->dir[d], &st[d]);
	printf("nothing left pending (%zu clearing round(s))\n", rep->rounds);
	return true;
}

static int clear_packets(const struct rly_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char home[RLY_CONFIG_PATH_MAX], jpath[RLY_CONFIG_PATH_MAX + 32];
	struct rly_relay_opts ro = { 0 };
	struct rly_clear_report rep;
	struct rly_journal *j = NULL;
	struct rly_config cfg;
	struct px_err err = { 0 };
	const char *name = NULL;
	uint64_t timeout_s = 300;
	bool have_cfg = false;
	int opt, status;

	memset(&cfg, 0, sizeof(cfg));
	memset(&rep, 0, sizeof(rep));
	optind = 0;	/* a full restart: options may follow the operands */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case 't':
			if (!px_parse_u64(&err, &timeout_s, optarg, strlen(optarg)) || timeout_s == 0 ||
			    timeout_s > 86400)
				return rly_cli_usage(cli, "clear", "--timeout: want 1 to 86400 seconds, "
						     "got '%s'", optarg);
			break;
		case 'h': fputs(clear_usage, stdout); return 0;
		case ':': return rly_cli_usage(cli, "clear", "option %s needs a value",
					       argv[optind - 1]);
		default: return rly_cli_usage(cli, "clear", "unknown option %s", argv[optind - 1]);
		}
	}
	if (argc - optind != 3)
		return rly_cli_usage(cli, "clear", "clear packets needs CHAIN PORT CHANNEL");
	if (!rly_cli_ids_check(&err, argv[optind + 1], argv[optind + 2]))
		return rly_cli_fail(cli, &err);
	if (!rly_cli_engine_open(&err, &cfg, &have_cfg, &j, home, sizeof(home), jpath, sizeof(jpath),
				 cli) ||
	    !find_path(&err, &name, &cfg, j, argv[optind], argv[optind + 1], argv[optind + 2]))
		goto out;
	ro.stop = rly_cli_engine_signals();
	ro.cfg = &cfg;
	ro.journal = j;
	ro.home = home;
	ro.path = name;
	ro.clear = &rep;
	ro.clear_timeout_ms = (uint32_t)(timeout_s * 1000);
	px_info(MOD, "clearing path %s (%s %s/%s)", name, argv[optind], argv[optind + 1],
		argv[optind + 2]);
	if (!rly_relay_run(&err, &ro))
		goto out;
	if (*ro.stop) {
		px_err_set(&err, PX_E_IO, "interrupted before %s %s/%s was clear", argv[optind],
			   argv[optind + 1], argv[optind + 2]);
		goto out;
	}
	(void)report(&err, cli, j, &rep);
out:
	rly_journal_close(j);
	status = px_err_is_set(&err) ? rly_cli_fail(cli, &err) : 0;
	rly_clear_report_free(&rep);
	if (have_cfg)
		rly_config_free(&cfg);
	return status;
}

int rly_cmd_clear(const struct rly_cli *cli, int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
			  strcmp(argv[1], "help") == 0)) {
		fputs(clear_usage, stdout);
		return 0;
	}
	if (argc < 2)
		return rly_cli_usage(cli, "clear", "clear needs a command: packets");
	if (strcmp(argv[1], "packets") == 0)
		return clear_packets(cli, argc - 1, argv + 1);
	return rly_cli_usage(cli, "clear", "unknown clear command '%s' (packets)", argv[1]);
}
