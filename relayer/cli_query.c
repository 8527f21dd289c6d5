/* `pontifex query packet|pending`: what became of packets on a channel,
 * read live from both chains' IBC query services (ibcquery.h) and, for
 * `query packet`, from the relayer's journal; `pontifex query
 * clients|connections|channels`: every client, connection or channel end
 * one chain holds. None needs a running relayer or a light client: these
 * are the nodes' answers, unproven, for an operator's eyes. The
 * counterparty chain of a channel is the chain id in the client state
 * under the channel's connection, looked up in the config.
 *
 * Also holds the helpers `tx transfer` shares: loading a configured chain
 * and connecting to its node. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>

#include "common/encoding.h"
#include "common/number.h"
#include "ibc/core/paths.h"
#include "relayer/cli.h"
#include "relayer/config.h"
#include "relayer/ibcquery.h"
#include "relayer/journal.h"

#define CONNECT_MS 5000u
#define REQUEST_MS 10000u
#define SHOW_MAX 50		/* sequences listed in text output */
#define JOURNAL_FILE "journal.sqlite"

static const char query_usage[] =
	"usage: pontifex [--home DIR] [--config FILE] [--json] query COMMAND\n"
	"\n"
	"  packet CHAIN PORT CHANNEL SEQUENCE\n"
	"          a packet sent from CHAIN on PORT/CHANNEL: the journal's record and\n"
	"          the live state (commitment on CHAIN, receipt and acknowledgement on\n"
	"          the counterparty chain)\n"
	"  pending CHAIN PORT CHANNEL\n"
	"          packets committed on CHAIN that the counterparty has not received,\n"
	"          and acknowledgements written there that CHAIN has not received\n"
	"  clients CHAIN\n"
	"          the light clients on CHAIN: type, the chain each follows, its\n"
	"          latest height, whether it is frozen\n"
	"  connections CHAIN\n"
	"          the connection ends on CHAIN: client, state, counterparty\n"
	"          client and connection\n"
	"  channels CHAIN\n"
	"          the channel ends on CHAIN: state, ordering, version, connection,\n"
	"          counterparty port and channel\n"
	"\n"
	"CHAIN (and, for packet and pending, the counterparty chain, found\n"
	"through the channel's connection and client) must be in the\n"
	"configuration. No relayer needs to run. --json prints one object.\n"
	"\n"
	"exit status: 0 done, 2 usage, configuration or unknown channel,\n"
	"             3 I/O or RPC failure\n";

/* ---- shared with cli_tx.c ---- */

bool rly_cli_load_chain(struct px_err *err, struct rly_config *cfg,
			const struct rly_config_chain **chain, char *home, size_t home_cap,
			const struct rly_cli *cli, const char *id)
{
	char path[RLY_CONFIG_PATH_MAX];

	if (!rly_home_dir(err, home, home_cap, cli->home) ||
	    !rly_config_file(err, path, sizeof(path), cli->home, cli->config) ||
	    !rly_config_load(err, cfg, path))
		return false;
	*chain = rly_config_chain_find(cfg, id);
	if (!*chain) {
		rly_config_free(cfg);
		return px_err_set(err, PX_E_CONFIG, "chain %s is not in %s", id, path);
	}
	return true;
}

static void on_state(void *arg, enum cmt_conn_state state, const struct px_err *why)
{
	struct rly_cli_conn *n = arg;

	if (state == CMT_DISCONNECTED && why && !n->failed) {
		n->failed = true;
		n->why = *why;
	}
}

bool rly_cli_connect(struct px_err *err, struct rly_cli_conn *n, struct cmt_loop *loop,
		     const struct rly_config_chain *chain, uint32_t timeout_ms)
{
	struct cmt_client_opts o = { 0 };
	struct timespec t0, t;

	memset(n, 0, sizeof(*n));
	o.url = chain->rpc;
	o.request_timeout_ms = REQUEST_MS;
	o.on_state = on_state;
	o.state_arg = n;
	if (!cmt_client_new(err, &n->client, loop, &o)) {
		n->client = NULL;
		px_err_prefix(err, "%s: ", chain->id);
		return false;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		int64_t ms;

		if (cmt_client_state(n->client) == CMT_CONNECTED)
			return true;
		clock_gettime(CLOCK_MONOTONIC, &t);
		ms = (int64_t)(t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
		/* A command gives up at the first failed attempt: the
		 * client would retry with backoff, but an operator wants
		 * the reason now. */
		if (n->failed || ms >= (int64_t)timeout_ms)
			break;
		cmt_loop_service(loop, 50);
	}
	if (n->failed)
		px_err_set(err, PX_E_RPC, "%s: cannot reach %s: %s", chain->id, chain->rpc,
			   n->why.msg);
	else
		px_err_set(err, PX_E_RPC, "%s: cannot reach %s within %u ms", chain->id,
			   chain->rpc, timeout_ms);
	rly_cli_disconnect(n);
	return false;
}

void rly_cli_disconnect(struct rly_cli_conn *n)
{
	cmt_client_free(n->client);
	n->client = NULL;
}

bool rly_cli_route(struct px_err *err, struct rly_ibcq_route *out, struct cmt_client *c,
		   const char *chain_id, const char *port, const char *channel)
{
	if (rly_ibcq_route(err, out, c, port, channel, REQUEST_MS))
		return true;
	/* A channel the user named that the chain does not have is a usage
	 * error (exit 2), not a failed verification. */
	if (err && err->code == PX_E_IBC_NOT_FOUND)
		err->code = PX_E_USAGE;
	px_err_prefix(err, "%s: ", chain_id);
	return false;
}

bool rly_cli_ids_check(struct px_err *err, const char *port, const char *channel)
{
	if (!ibc_id_check(err, IBC_ID_PORT, port) || !ibc_id_check(err, IBC_ID_CHANNEL, channel)) {
		err->code = PX_E_USAGE;
		return false;
	}
	return true;
}

/* ---- both commands ---- */

/* The two chains of a channel, connected. */
struct ends {
	struct rly_config cfg;
	bool have_cfg;
	char home[RLY_CONFIG_PATH_MAX];
	const struct rly_config_chain *src, *dst;
	struct cmt_loop *loop;
	struct rly_cli_conn src_n, dst_n;
	struct rly_ibcq_route route;
	const char *port, *channel;
};

static void ends_close(struct ends *e)
{
	rly_cli_disconnect(&e->src_n);
	rly_cli_disconnect(&e->dst_n);
	if (e->loop)
		cmt_loop_free(e->loop);
	if (e->have_cfg)
		rly_config_free(&e->cfg);
}

static bool ends_open(struct px_err *err, struct ends *e, const struct rly_cli *cli,
		      const char *chain, const char *port, const char *channel)
{
	memset(e, 0, sizeof(*e));
	e->port = port;
	e->channel = channel;
	if (!rly_cli_ids_check(err, port, channel) ||
	    !rly_cli_load_chain(err, &e->cfg, &e->src, e->home, sizeof(e->home), cli, chain))
		return false;
	e->have_cfg = true;
	if (!cmt_loop_new(err, &e->loop) ||
	    !rly_cli_connect(err, &e->src_n, e->loop, e->src, CONNECT_MS) ||
	    !rly_cli_route(err, &e->route, e->src_n.client, e->src->id, port, channel))
		return false;
	if (!e->route.channel.counterparty.channel_id[0])
		return px_err_set(err, PX_E_USAGE, "%s: channel %s/%s has no counterparty channel "
				  "yet (handshake not finished)", e->src->id, port, channel);
	e->dst = rly_config_chain_find(&e->cfg, e->route.client.chain_id);
	if (!e->dst)
		return px_err_set(err, PX_E_CONFIG, "%s: the counterparty of %s/%s is chain %s "
				  "(client %s), which is not in the configuration", e->src->id,
				  port, channel, e->route.client.chain_id, e->route.client_id);
	return rly_cli_connect(err, &e->dst_n, e->loop, e->dst, CONNECT_MS);
}

static json_t *ends_json(const struct ends *e)
{
	return json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s}}", "chain", e->src->id,
			 "port", e->port, "channel", e->channel, "destination", "chain", e->dst->id,
			 "port", e->route.channel.counterparty.port_id, "channel",
			 e->route.channel.counterparty.channel_id, "connection",
			 e->route.connection_id, "client", e->route.client_id);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nodes list in store order ("/1", "/10", "/2"); people read numbers. */
static void seqs_sort(struct rly_ibcq_seqs *s)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(s->v[0]), cmp_u64);
}

static json_t *seqs_json(const struct rly_ibcq_seqs *s)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < s->n; i++)
		json_array_append_new(a, json_integer((json_int_t)s->v[i]));
	return a;
}

static void seqs_print(const char *what, const struct rly_ibcq_seqs *s)
{
	printf("%s: %zu", what, s->n);
	for (size_t i = 0; i < s->n && i < SHOW_MAX; i++)
		printf("%s%" PRIu64, i ? " " : ": ", s->v[i]);
	if (s->n > SHOW_MAX)
		printf(" ... (%zu more)", s->n - SHOW_MAX);
	printf("\n");
}

/* The source's channel missing was the user's word (rly_cli_route); a
 * destination without the channel end the source names is the chains'
 * state, not a failed verification: exit 3, not 1. */
static int query_fail(const struct rly_cli *cli, struct px_err *err)
{
	if (err->code == PX_E_IBC_NOT_FOUND)
		err->code = PX_E_RPC;
	return rly_cli_fail(cli, err);
}

/* ---- query pending ---- */

static int query_pending(const struct rly_cli *cli, int argc, char **argv)
{
	struct rly_ibcq_seqs commits = { 0 }, unrecv = { 0 }, acks = { 0 }, unacked = { 0 };
	struct px_err err = { 0 };
	struct ends e;
	const char *dport, *dchan;
	int rc = 0;

	if (argc != 4)
		return rly_cli_usage(cli, "query", "query pending needs CHAIN PORT CHANNEL");
	if (!ends_open(&err, &e, cli, argv[1], argv[2], argv[3]))
		goto fail;
	dport = e.route.channel.counterparty.port_id;
	dchan = e.route.channel.counterparty.channel_id;
	if (!rly_ibcq_list(&err, &commits, e.src_n.client, RLY_IBCQ_KIND_COMMITMENT, e.port, e.channel,
			   REQUEST_MS)) {
		px_err_prefix(&err, "%s: ", e.src->id);
		goto fail;
	}
	if (!rly_ibcq_unreceived(&err, &unrecv, e.dst_n.client, false, dport, dchan, commits.v,
				 commits.n, REQUEST_MS)) {
		px_err_prefix(&err, "%s: ", e.dst->id);
		goto fail;
	}
	if (!rly_ibcq_list(&err, &acks, e.dst_n.client, RLY_IBCQ_KIND_ACK, dport, dchan, REQUEST_MS)) {
		px_err_prefix(&err, "%s: ", e.dst->id);
		goto fail;
	}
	if (!rly_ibcq_unreceived(&err, &unacked, e.src_n.client, true, e.port, e.channel, acks.v, acks.n,
				 REQUEST_MS)) {
		px_err_prefix(&err, "%s: ", e.src->id);
		goto fail;
	}
	seqs_sort(&unrecv);
	seqs_sort(&unacked);
	if (cli->json) {
		json_t *o = ends_json(&e);
		char msg[128];

		snprintf(msg, sizeof(msg), "%zu unreceived packets, %zu unreceived acknowledgements",
			 unrecv.n, unacked.n);
		if (o) {
			json_object_set_new(o, "commitments", json_integer((json_int_t)commits.n));
			json_object_set_new(o, "unreceived_packets", seqs_json(&unrecv));
			json_object_set_new(o, "unreceived_acks", seqs_json(&unacked));
		}
		rly_cli_print_ok(cli, msg, o);
	} else {
		char what[256];

		printf("%s %s/%s -> %s %s/%s\n", e.src->id, e.port, e.channel, e.dst->id, dport,
		       dchan);
		printf("packet commitments on %s: %zu\n", e.src->id, commits.n);
		snprintf(what, sizeof(what), "unreceived packets (not yet on %s)", e.dst->id);
		seqs_print(what, &unrecv);
		snprintf(what, sizeof(what), "unreceived acknowledgements (not yet back on %s)",
			 e.src->id);
		seqs_print(what, &unacked);
	}
	goto out;
fail:
	rc = query_fail(cli, &err);
out:
	rly_ibcq_seqs_free(&commits);
	rly_ibcq_seqs_free(&unrecv);
	rly_ibcq_seqs_free(&acks);
	rly_ibcq_seqs_free(&unacked);
	ends_close(&e);
	return rc;
}

/* ---- query packet ---- */

/* The journal's record: *state "absent" when there is no journal file
 * (nothing is created), "unknown" when it does not hold the packet. */
static bool journal_lookup(struct px_err *err, struct rly_packet_record *rec, const char **state,
			   const char *home, const char *chain, const char *port,
			   const char *channel, uint64_t seq)
{
	char path[RLY_CONFIG_PATH_MAX + sizeof(JOURNAL_FILE) + 1];
	struct rly_journal *j = NULL;
	struct rly_packet_key k;
	struct stat st;
	bool found = false, ok;

	memset(rec, 0, sizeof(*rec));
	*state = "absent";
	snprintf(path, sizeof(path), "%s/%s", home, JOURNAL_FILE);
	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			return true;
		return px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
	}
	memset(&k, 0, sizeof(k));
	if (strlen(chain) >= sizeof(k.src_chain) || strlen(port) >= sizeof(k.src_port) ||
	    strlen(channel) >= sizeof(k.src_channel)) {
		*state = "unknown";
		return true;
	}
	memcpy(k.src_chain, chain, strlen(chain));
	memcpy(k.src_port, port, strlen(port));
	memcpy(k.src_channel, channel, strlen(channel));
	k.sequence = seq;
	if (!rly_journal_open_sqlite(err, &j, path))
		return false;
	ok = rly_journal_get(j, err, &k, rec, &found);
	rly_journal_close(j);
	if (ok)
		*state = found ? rly_packet_state_name(rec->state) : "unknown";
	return ok;
}

static json_t *record_json(const struct rly_packet_record *r)
{
	json_t *o = json_pack("{s:s, s:I, s:I, s:I, s:i}", "state", rly_packet_state_name(r->state),
			      "send_height", (json_int_t)r->packet.send_height, "created_ms",
			      (json_int_t)r->created_ms, "updated_ms", (json_int_t)r->updated_ms,
			      "transitions", (int)r->transitions);

	if (!o)
		return NULL;
	if (r->recv_tx[0])
		json_object_set_new(o, "recv_tx", json_string(r->recv_tx));
	if (r->ack_tx[0])
		json_object_set_new(o, "ack_tx", json_string(r->ack_tx));
	if (r->timeout_tx[0])
		json_object_set_new(o, "timeout_tx", json_string(r->timeout_tx));
	if (r->reason[0])
		json_object_set_new(o, "reason", json_string(r->reason));
	return o;
}

/* What the three facts say together (short name, and words). */
static void packet_status(const char **name, const char **words, bool commitment, bool receipt,
			  bool ack)
{
	if (commitment && !receipt) {
		*name = "pending_recv";
		*words = "sent, not received on the destination yet";
	} else if (commitment && ack) {
		*name = "pending_ack";
		*words = "received; the acknowledgement has not come back to the source yet";
	} else if (commitment) {
		*name = "pending_write_ack";
		*words = "received; no acknowledgement written on the destination yet";
	} else if (receipt) {
		*name = "completed";
		*words = "received and acknowledged";
	} else {
		*name = "none";
		*words = "no commitment and no receipt: timed out and refunded, or never sent";
	}
}

static int query_packet(const struct rly_cli *cli, int argc, char **argv)
{
	struct rly_packet_record rec;
	uint8_t hash[RLY_IBCQ_MAX_HASH];
	char hash_hex[2 * RLY_IBCQ_MAX_HASH + 1] = "";
	const char *jstate = "absent", *sname, *swords, *dport, *dchan;
	struct px_err err = { 0 }, jerr = { 0 };
	size_t hash_len = 0;
	bool commitment, receipt, ack;
	uint64_t seq;
	struct ends e;
	int rc = 0;

	memset(&rec, 0, sizeof(rec));
	if (argc != 5)
		return rly_cli_usage(cli, "query", "query packet needs CHAIN PORT CHANNEL SEQUENCE");
	if (!px_parse_u64(NULL, &seq, argv[4], strlen(argv[4])) || seq == 0)
		return rly_cli_usage(cli, "query", "SEQUENCE '%s' is not a whole number above 0",
				     argv[4]);
	if (!ends_open(&err, &e, cli, argv[1], argv[2], argv[3]))
		goto fail;
	dport = e.route.channel.counterparty.port_id;
	dchan = e.route.channel.counterparty.channel_id;
	if (!rly_ibcq_packet_hash(&err, &commitment, hash, &hash_len, e.src_n.client,
				  RLY_IBCQ_KIND_COMMITMENT, e.port, e.channel, seq, REQUEST_MS)) {
		px_err_prefix(&err, "%s: ", e.src->id);
		goto fail;
	}
	if (!rly_ibcq_packet_receipt(&err, &receipt, e.dst_n.client, dport, dchan, seq, REQUEST_MS) ||
	    !rly_ibcq_packet_hash(&err, &ack, NULL, NULL, e.dst_n.client, RLY_IBCQ_KIND_ACK, dport, dchan,
				  seq, REQUEST_MS)) {
		px_err_prefix(&err, "%s: ", e.dst->id);
		goto fail;
	}
	if (commitment)
		px_hex_encode(hash_hex, sizeof(hash_hex), hash, hash_len, false);
	/* The live answer stands without the journal: a journal that cannot
	 * be read is reported next to it, not instead of it. */
	if (!journal_lookup(&jerr, &rec, &jstate, e.home, e.src->id, e.port, e.channel, seq))
		jstate = "unreadable";
	packet_status(&sname, &swords, commitment, receipt, ack);
	if (cli->json) {
		json_t *o = ends_json(&e), *jr;

		if (o) {
			json_object_set_new(o, "sequence", json_integer((json_int_t)seq));
			json_object_set_new(o, "status", json_string(sname));
			json_object_set_new(o, "commitment", json_boolean(commitment));
			json_object_set_new(o, "commitment_hash",
					    commitment ? json_string(hash_hex) : json_null());
			json_object_set_new(o, "receipt", json_boolean(receipt));
			json_object_set_new(o, "acknowledgement", json_boolean(ack));
			if (strcmp(jstate, "absent") == 0 || strcmp(jstate, "unknown") == 0)
				jr = json_pack("{s:s}", "state", jstate);
			else if (strcmp(jstate, "unreadable") == 0)
				jr = json_pack("{s:s, s:s}", "state", jstate, "error", jerr.msg);
			else
				jr = record_json(&rec);
			json_object_set_new(o, "journal", jr ? jr : json_null());
		}
		rly_cli_print_ok(cli, swords, o);
	} else {
		printf("packet %s %s/%s #%" PRIu64 " -> %s %s/%s\n", e.src->id, e.port, e.channel,
		       seq, e.dst->id, dport, dchan);
		printf("  %-28s %s%s%s\n", "commitment (source):", commitment ? "present" : "absent",
		       commitment ? " " : "", hash_hex);
		printf("  %-28s %s\n", "receipt (destination):", receipt ? "present" : "absent");
		printf("  %-28s %s\n", "acknowledgement (dest.):", ack ? "present" : "absent");
		printf("  %-28s %s (%s)\n", "status:", sname, swords);
		if (strcmp(jstate, "absent") == 0)
			printf("  %-28s %s\n", "journal:", "none (no journal.sqlite)");
		else if (strcmp(jstate, "unknown") == 0)
			printf("  %-28s %s\n", "journal:", "not recorded");
		else if (strcmp(jstate, "unreadable") == 0)
			printf("  %-28s unreadable: %s\n", "journal:", jerr.msg);
		else
			printf("  %-28s %s after %" PRIu32 " transitions%s%s%s%s\n", "journal:",
			       jstate, rec.transitions, rec.recv_tx[0] ? ", recv tx " : "",
			       rec.recv_tx, rec.ack_tx[0] ? ", ack tx " : "", rec.ack_tx);
	}
	goto out;
fail:
	rc = query_fail(cli, &err);
out:
	ends_close(&e);
	return rc;
}

/* ---- query clients | connections | channels ---- */

#define COLS_MAX 6
#define CELL (2 * IBC_ID_MAX + 2)

/* One chain, connected. */
struct one {
	struct rly_config cfg;
	bool have_cfg;
	char home[RLY_CONFIG_PATH_MAX];
	const struct rly_config_chain *chain;
	struct cmt_loop *loop;
	struct rly_cli_conn n;
};

static void one_close(struct one *o)
{
	rly_cli_disconnect(&o->n);
	if (o->loop)
		cmt_loop_free(o->loop);
	if (o->have_cfg)
		rly_config_free(&o->cfg);
}

static bool one_open(struct px_err *err, struct one *o, const struct rly_cli *cli, const char *chain)
{
	memset(o, 0, sizeof(*o));
	if (!rly_cli_load_chain(err, &o->cfg, &o->chain, o->home, sizeof(o->home), cli, chain))
		return false;
	o->have_cfg = true;
	return cmt_loop_new(err, &o->loop) && rly_cli_connect(err, &o->n, o->loop, o->chain,
							      CONNECT_MS);
}

/* Identifiers as people count them: "channel-9" before "channel-10".
 * Text before the last '-', then the number after it when both are
 * numbers; otherwise plain text order. */
static int id_cmp(const char *a, const char *b)
{
	const char *da = strrchr(a, '-'), *db = strrchr(b, '-');
	uint64_t na, nb;

	if (da && db && da - a == db - b && memcmp(a, b, (size_t)(da - a)) == 0 &&
	    px_parse_u64(NULL, &na, da + 1, strlen(da + 1)) &&
	    px_parse_u64(NULL, &nb, db + 1, strlen(db + 1)) && na != nb)
		return na < nb ? -1 : 1;
	return strcmp(a, b);
}

static int client_cmp(const void *a, const void *b)
{
	return id_cmp(((const struct rly_ibcq_client_entry *)a)->client_id,
		      ((const struct rly_ibcq_client_entry *)b)->client_id);
}

static int connection_cmp(const void *a, const void *b)
{
	return id_cmp(((const struct rly_ibcq_connection_entry *)a)->connection_id,
		      ((const struct rly_ibcq_connection_entry *)b)->connection_id);
}

static int channel_cmp(const void *a, const void *b)
{
	const struct rly_ibcq_channel_entry *x = a, *y = b;
	int c = strcmp(x->port_id, y->port_id);

	return c ? c : id_cmp(x->channel_id, y->channel_id);
}

/* The client type of an identifier, as ibc-go's ParseClientIdentifier
 * reads it: everything before the last '-'. */
static void client_type(char out[IBC_ID_MAX + 1], const char *id)
{
	const char *d = strrchr(id, '-');
	size_t n = d ? (size_t)(d - id) : strlen(id);

	memcpy(out, id, n);
	out[n] = 0;
}

static const char *conn_state_name(enum ibc_connection_state s)
{
	static const char *const names[] = { "UNINITIALIZED", "INIT", "TRYOPEN", "OPEN" };

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

static const char *chan_state_name(enum ibc_channel_state s)
{
	static const char *const names[] = { "UNINITIALIZED", "INIT",	  "TRYOPEN",	   "OPEN",
					     "CLOSED",	      "FLUSHING", "FLUSHCOMPLETE" };

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

static const char *order_name(enum ibc_order o)
{
	static const char *const names[] = { "NONE", "UNORDERED", "ORDERED" };

	return (unsigned)o < sizeof(names) / sizeof(names[0]) ? names[o] : "?";
}

/* The text of row i's cells. */
typedef void (*cells_fn)(const void *list, size_t i, char cells[COLS_MAX][CELL]);

/* Columns as wide as their widest cell, two spaces apart. */
static void table_print(const char *const *heads, size_t ncols, const void *list, size_t n,
			cells_fn fn)
{
	char cells[COLS_MAX][CELL];
	int w[COLS_MAX];

	for (size_t c = 0; c < ncols; c++)
		w[c] = (int)strlen(heads[c]);
	for (size_t i = 0; i < n; i++) {
		fn(list, i, cells);
		for (size_t c = 0; c < ncols; c++)
			if ((int)strlen(cells[c]) > w[c])
				w[c] = (int)strlen(cells[c]);
	}
	for (size_t c = 0; c < ncols; c++) {
		if (c + 1 < ncols)
			printf("%-*s  ", w[c], heads[c]);
		else
			printf("%s\n", heads[c]);
	}
	for (size_t i = 0; i < n; i++) {
		fn(list, i, cells);
		for (size_t c = 0; c < ncols; c++) {
			if (c + 1 < ncols)
				printf("%-*s  ", w[c], cells[c]);
			else
				printf("%s\n", cells[c]);
		}
	}
}

static void client_cells(const void *list, size_t i, char cells[COLS_MAX][CELL])
{
	const struct rly_ibcq_client_entry *e = &((const struct rly_ibcq_clients *)list)->v[i];

	snprintf(cells[0], CELL, "%s", e->client_id);
	client_type(cells[1], e->client_id);
	if (!e->tendermint) {
		snprintf(cells[2], CELL, "- (%.200s)", e->type_url);
		snprintf(cells[3], CELL, "-");
		snprintf(cells[4], CELL, "-");
		return;
	}
	snprintf(cells[2], CELL, "%s", e->client.chain_id);
	snprintf(cells[3], CELL, "%" PRIu64 "-%" PRIu64, e->client.latest_height.revision_number,
		 e->client.latest_height.revision_height);
	snprintf(cells[4], CELL, "%s", e->client.frozen ? "yes" : "no");
}

static void connection_cells(const void *list, size_t i, char cells[COLS_MAX][CELL])
{
	const struct rly_ibcq_connection_entry *e =
		&((const struct rly_ibcq_connections *)list)->v[i];

	snprintf(cells[0], CELL, "%s", e->connection_id);
	snprintf(cells[1], CELL, "%s", e->client_id);
	snprintf(cells[2], CELL, "%s", conn_state_name(e->state));
	snprintf(cells[3], CELL, "%s", e->counterparty_client_id);
	snprintf(cells[4], CELL, "%s",
		 e->counterparty_connection_id[0] ? e->counterparty_connection_id : "-");
}

static void channel_cells(const void *list, size_t i, char cells[COLS_MAX][CELL])
{
	const struct rly_ibcq_channel_entry *e = &((const struct rly_ibcq_channels *)list)->v[i];
	const struct ibc_channel *ch = &e->channel;

	snprintf(cells[0], CELL, "%s/%s", e->port_id, e->channel_id);
	snprintf(cells[1], CELL, "%s", chan_state_name(ch->state));
	snprintf(cells[2], CELL, "%s", order_name(ch->ordering));
	snprintf(cells[3], CELL, "%s", ch->version[0] ? ch->version : "-");
	snprintf(cells[4], CELL, "%s", ch->connection_hops_len ? ch->connection_hops[0] : "-");
	snprintf(cells[5], CELL, "%s/%s", ch->counterparty.port_id,
		 ch->counterparty.channel_id[0] ? ch->counterparty.channel_id : "-");
}

/* A string, or null when empty (not known yet). */
static json_t *str_or_null(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

static json_t *height_json(struct ibc_height h)
{
	return json_pack("{s:I, s:I}", "revision_number", (json_int_t)h.revision_number,
			 "revision_height", (json_int_t)h.revision_height);
}

static json_t *clients_json(const struct rly_ibcq_clients *l)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < l->n; i++) {
		const struct rly_ibcq_client_entry *e = &l->v[i];
		char type[IBC_ID_MAX + 1];
		json_t *o;

		client_type(type, e->client_id);
		o = json_pack("{s:s, s:s, s:s}", "client_id", e->client_id, "client_type", type,
			      "type_url", e->type_url);
		if (o && e->tendermint) {
			json_object_set_new(o, "chain_id", json_string(e->client.chain_id));
			json_object_set_new(o, "latest_height", height_json(e->client.latest_height));
			json_object_set_new(o, "frozen", json_boolean(e->client.frozen));
		} else if (o) {
			json_object_set_new(o, "chain_id", json_null());
			json_object_set_new(o, "latest_height", json_null());
			json_object_set_new(o, "frozen", json_null());
		}
		json_array_append_new(a, o ? o : json_null());
	}
	return a;
}

static json_t *connections_json(const struct rly_ibcq_connections *l)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < l->n; i++) {
		const struct rly_ibcq_connection_entry *e = &l->v[i];
		json_t *o = json_pack("{s:s, s:s, s:s, s:{s:s, s:o}, s:I}", "connection_id",
				      e->connection_id, "client_id", e->client_id, "state",
				      conn_state_name(e->state), "counterparty", "client_id",
				      e->counterparty_client_id, "connection_id",
				      str_or_null(e->counterparty_connection_id), "delay_period_ns",
				      (json_int_t)e->delay_period);

		json_array_append_new(a, o ? o : json_null());
	}
	return a;
}

static json_t *channels_json(const struct rly_ibcq_channels *l)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < l->n; i++) {
		const struct rly_ibcq_channel_entry *e = &l->v[i];
		const struct ibc_channel *ch = &e->channel;
		json_t *hops = json_array(), *o;

		for (size_t h = 0; hops && h < ch->connection_hops_len; h++)
			json_array_append_new(hops, json_string(ch->connection_hops[h]));
		o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:{s:s, s:o}, s:I}", "port_id",
			      e->port_id, "channel_id", e->channel_id, "state",
			      chan_state_name(ch->state), "ordering", order_name(ch->ordering),
			      "version", ch->version, "connection_id",
			      ch->connection_hops_len ? json_string(ch->connection_hops[0])
						      : json_null(),
			      "connection_hops", hops ? hops : json_null(), "counterparty", "port_id",
			      ch->counterparty.port_id, "channel_id",
			      str_or_null(ch->counterparty.channel_id), "upgrade_sequence",
			      (json_int_t)ch->upgrade_sequence);
		json_array_append_new(a, o ? o : json_null());
	}
	return a;
}

enum listing { L_CLIENTS, L_CONNECTIONS, L_CHANNELS };

static int query_list(const struct rly_cli *cli, int argc, char **argv, enum listing what)
{
	static const char *const names[] = { "clients", "connections", "channels" };
	static const char *const client_heads[] = { "CLIENT", "TYPE", "CHAIN", "LATEST HEIGHT",
						    "FROZEN" };
	static const char *const conn_heads[] = { "CONNECTION", "CLIENT", "STATE",
						  "COUNTERPARTY CLIENT", "COUNTERPARTY CONNECTION" };
	static const char *const chan_heads[] = { "PORT/CHANNEL", "STATE", "ORDERING", "VERSION",
						  "CONNECTION", "COUNTERPARTY" };
	struct rly_ibcq_clients clients = { 0 };
	struct rly_ibcq_connections conns = { 0 };
	struct rly_ibcq_channels chans = { 0 };
	struct px_err err = { 0 };
	struct one o;
	size_t n = 0;
	bool ok;
	int rc = 0;

	memset(&o, 0, sizeof(o));
	if (argc != 2)
		return rly_cli_usage(cli, "query", "query %s needs CHAIN", names[what]);
	if (!one_open(&err, &o, cli, argv[1]))
		goto fail;
	switch (what) {
	case L_CLIENTS:
		ok = rly_ibcq_list_clients(&err, &clients, o.n.client, REQUEST_MS);
		if (ok && clients.n > 1)
			qsort(clients.v, clients.n, sizeof(clients.v[0]), client_cmp);
		n = clients.n;
		break;
	case L_CONNECTIONS:
		ok = rly_ibcq_list_connections(&err, &conns, o.n.client, REQUEST_MS);
		if (ok && conns.n > 1)
			qsort(conns.v, conns.n, sizeof(conns.v[0]), connection_cmp);
		n = conns.n;
		break;
	default:
		ok = rly_ibcq_list_channels(&err, &chans, o.n.client, REQUEST_MS);
		if (ok && chans.n > 1)
			qsort(chans.v, chans.n, sizeof(chans.v[0]), channel_cmp);
		n = chans.n;
		break;
	}
	if (!ok) {
		px_err_prefix(&err, "%s: ", o.chain->id);
		goto fail;
	}
	if (cli->json) {
		char msg[128];
		json_t *obj = json_pack("{s:s}", "chain", o.chain->id);

		/* "1 channel", "2 channels" */
		snprintf(msg, sizeof(msg), "%zu %.*s on %s", n,
			 (int)strlen(names[what]) - (n == 1), names[what], o.chain->id);
		if (obj)
			json_object_set_new(obj, names[what],
					    what == L_CLIENTS	    ? clients_json(&clients)
					    : what == L_CONNECTIONS ? connections_json(&conns)
								    : channels_json(&chans));
		rly_cli_print_ok(cli, msg, obj);
	} else if (n == 0) {
		printf("%s has no %s\n", o.chain->id, names[what]);
	} else if (what == L_CLIENTS) {
		table_print(client_heads, 5, &clients, n, client_cells);
	} else if (what == L_CONNECTIONS) {
		table_print(conn_heads, 5, &conns, n, connection_cells);
	} else {
		table_print(chan_heads, 6, &chans, n, channel_cells);
	}
	goto out;
fail:
	rc = query_fail(cli, &err);
out:
	rly_ibcq_clients_free(&clients);
	rly_ibcq_connections_free(&conns);
	rly_ibcq_channels_free(&chans);
	one_close(&o);
	return rc;
}

int rly_cmd_query(const struct rly_cli *cli, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;

	if (!sub)
		return rly_cli_usage(cli, "query", "query needs a command: packet, pending, clients, "
				     "connections or channels");
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 || strcmp(sub, "help") == 0) {
		fputs(query_usage, stdout);
		return 0;
	}
	if (strcmp(sub, "packet") == 0)
		return query_packet(cli, argc - 1, argv + 1);
	if (strcmp(sub, "pending") == 0)
		return query_pending(cli, argc - 1, argv + 1);
	if (strcmp(sub, "clients") == 0)
		return query_list(cli, argc - 1, argv + 1, L_CLIENTS);
	if (strcmp(sub, "connections") == 0)
		return query_list(cli, argc - 1, argv + 1, L_CONNECTIONS);
	if (strcmp(sub, "channels") == 0)
		return query_list(cli, argc - 1, argv + 1, L_CHANNELS);
	return rly_cli_usage(cli, "query", "unknown query command '%s' (packet, pending, clients, "
			     "connections or channels)", sub);
}
