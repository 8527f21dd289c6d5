/* `pontifex tx transfer`: ICS-20 MsgTransfer from a chain's configured
 * key, for testing a path (the demo, integration tests, load). The
 * messages go through the transaction submitter (txsub.h) over the
 * chain's websocket client; the packets they create are read back from
 * the send_packet events of the executed transactions.
 *
 * Batching: --count N puts up to the config's max_msgs transfers in one
 * transaction. One signature, one CheckTx and one block slot per batch
 * load the chain least for a given number of packets; when the chain's
 * gas limit cannot hold a batch (the simulation needs more than
 * gas_limit), the batch is halved until it fits. Every batch is
 * broadcast before the first is waited for (the submitter tracks the
 * account sequence), so N packets take about one block, not N.
 *
 * Timeouts: by default the packet times out 10 minutes after now
 * (timeout timestamp) and has no timeout height, which needs nothing
 * from the destination chain. --timeout-height-offset H adds a timeout
 * height H blocks past the latest height of the source's client of the
 * destination (as ibc-go's CLI computes a relative height; the client may
 * lag the destination, which only makes the timeout come sooner).
 * --timeout-seconds 0 drops the timestamp (then a height is required). */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "chains/cosmos/keys.h"
#include "common/log.h"
#include "common/number.h"
#include "ibc/codec/msg.h"
#include "ibc/codec/transfer.h"
#include "relayer/cli.h"
#include "relayer/config.h"
#include "relayer/ibcquery.h"
#include "relayer/keys.h"
#include "relayer/txsub.h"

#define LOG_MOD "tx"
#define CONNECT_MS 5000u
#define WAIT_MS 30000u			/* for one transaction's block */
#define COUNT_MAX 10000u
#define TIMEOUT_S_DEFAULT 600u
#define TIMEOUT_S_MAX (10u * 365 * 24 * 3600)
#define AMOUNT_DIGITS_MAX 78		/* sdk.Int: 256 bits */
#define DENOM_MAX 128

static const char tx_usage[] =
	"usage: pontifex [--home DIR] [--config FILE] [--json] tx transfer CHAIN PORT CHANNEL\n"
	"                RECEIVER AMOUNTDENOM [--count N] [--timeout-height-offset H]\n"
	"                [--timeout-seconds S] [--memo TEXT]\n"
	"\n"
	"Sends ICS-20 transfers of AMOUNTDENOM (e.g. 100stake) from CHAIN's configured\n"
	"key over PORT/CHANNEL to RECEIVER on the counterparty chain, and prints the\n"
	"transaction hashes and packet sequences.\n"
	"\n"
	"  --count N                  N transfers (default 1, at most 10000), up to\n"
	"                             max_msgs per transaction\n"
	"  --timeout-height-offset H  time out H blocks past the destination height the\n"
	"                             source's client knows (default: no timeout height)\n"
	"  --timeout-seconds S        time out S seconds from now (default 600; 0: none,\n"
	"                             then --timeout-height-offset is required)\n"
	"  --memo TEXT                the packet's ICS-20 memo\n"
	"\n"
	"exit status: 0 sent and executed, 2 usage, configuration or unknown channel,\n"
	"             3 I/O or RPC failure (including a transaction the chain refused)\n";

/* The SDK's denom regex [a-zA-Z][a-zA-Z0-9/:._-]{2,127}. */
static bool denom_ok(const char *d)
{
	size_t n = strlen(d);

	if (n < 3 || n > DENOM_MAX)
		return false;
	if (!((d[0] >= 'a' && d[0] <= 'z') || (d[0] >= 'A' && d[0] <= 'Z')))
		return false;
	for (size_t i = 1; i < n; i++) {
		char c = d[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '/' || c == ':' || c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* "100stake" -> "100" and "stake": a positive integer of at most 78
 * digits without leading zeros, then a denomination. */
static bool coin_parse(struct px_err *err, char amount[AMOUNT_DIGITS_MAX + 1],
		       char denom[DENOM_MAX + 1], const char *s)
{
	size_t n = 0;

	while (s[n] >= '0' && s[n] <= '9')
		n++;
	if (n == 0)
		return px_err_set(err, PX_E_USAGE, "AMOUNTDENOM '%.80s': want an amount and a "
				  "denomination, e.g. 100stake", s);
	if (n > AMOUNT_DIGITS_MAX || (s[0] == '0'))
		return px_err_set(err, PX_E_USAGE, "AMOUNTDENOM '%.80s': the amount must be a "
				  "positive integer of at most %d digits without leading zeros", s,
				  AMOUNT_DIGITS_MAX);
	if (!denom_ok(s + n))
		return px_err_set(err, PX_E_USAGE, "AMOUNTDENOM '%.80s': '%.80s' is not a "
				  "denomination (a letter, then 2 to 127 of letters, digits and "
				  "/:._-)", s, s + n);
	memcpy(amount, s, n);
	amount[n] = 0;
	memcpy(denom, s + n, strlen(s + n) + 1);
	return true;
}

static bool parse_u64_opt(struct px_err *err, uint64_t *out, const char *name, const char *s,
			  uint64_t min, uint64_t max)
{
	if (!px_parse_u64(NULL, out, s, strlen(s)) || *out < min || *out > max)
		return px_err_set(err, PX_E_USAGE, "--%s '%.40s': want a whole number from %" PRIu64
				  " to %" PRIu64, name, s, min, max);
	return true;
}

/* The packet sequences of a transaction's send_packet events, appended. */
static bool sequences_of(struct px_err *err, struct rly_ibcq_seqs *out, const json_t *events)
{
	size_t i, j;
	const json_t *ev, *attr;

	json_array_foreach(events, i, ev) {
		const json_t *type = json_object_get(ev, "type");
		const json_t *attrs = json_object_get(ev, "attributes");

		if (!json_is_string(type) || strcmp(json_string_value(type), "send_packet") != 0)
			continue;
		if (!json_is_array(attrs))
			return px_err_set(err, PX_E_JSON, "send_packet event without attributes");
		json_array_foreach(attrs, j, attr) {
			const json_t *k = json_object_get(attr, "key");
			const json_t *v = json_object_get(attr, "value");
			uint64_t seq;
			uint64_t *nv;

			if (!json_is_string(k) || strcmp(json_string_value(k), "packet_sequence") != 0)
				continue;
			if (!json_is_string(v) ||
			    !px_parse_u64(NULL, &seq, json_string_value(v), json_string_length(v)))
				return px_err_set(err, PX_E_JSON, "send_packet: packet_sequence is not "
						  "a number");
			if (out->n == out->cap) {
				size_t cap = out->cap ? out->cap * 2 : 64;

				nv = realloc(out->v, cap * sizeof(*nv));
				if (!nv)
					return px_err_set(err, PX_E_NOMEM, "out of memory");
				out->v = nv;
				out->cap = cap;
			}
			out->v[out->n++] = seq;
		}
	}
	return true;
}

struct transfer_args {
	const char *chain, *port, *channel, *receiver, *memo;
	char amount[AMOUNT_DIGITS_MAX + 1];
	char denom[DENOM_MAX + 1];
	uint64_t count;
	uint64_t height_offset;		/* 0: no timeout height */
	uint64_t timeout_s;		/* 0: no timeout timestamp */
};

/* One submitted transaction. */
struct sent_tx {
	struct rly_tx_result r;
	size_t n_msgs;
	size_t first_seq;		/* index into the packet sequences */
	size_t n_seqs;
};

static int transfer_args_parse(const struct rly_cli *cli, struct transfer_args *a, int argc,
			       char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "timeout-height-offset", required_argument, NULL, 'H' },
		{ "timeout-seconds", required_argument, NULL, 's' },
		{ "memo", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct px_err err = { 0 };
	int opt;

	memset(a, 0, sizeof(*a));
	a->count = 1;
	a->timeout_s = TIMEOUT_S_DEFAULT;
	optind = 0;	/* glibc: start afresh, with permutation */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			if (!parse_u64_opt(&err, &a->count, "count", optarg, 1, COUNT_MAX))
				return rly_cli_fail(cli, &err);
			break;
		case 'H':
			if (!parse_u64_opt(&err, &a->height_offset, "timeout-height-offset", optarg,
					   1, UINT32_MAX))
				return rly_cli_fail(cli, &err);
			break;
		case 's':
			if (!parse_u64_opt(&err, &a->timeout_s, "timeout-seconds", optarg, 0,
					   TIMEOUT_S_MAX))
				return rly_cli_fail(cli, &err);
			break;
		case 'm': a->memo = optarg; break;
		case 'h': fputs(tx_usage, stdout); return 0;
		case ':': return rly_cli_usage(cli, "tx", "option %s needs a value", argv[optind - 1]);
		default: return rly_cli_usage(cli, "tx", "unknown option %s", argv[optind - 1]);
		}
	}
	if (argc - optind != 5)
		return rly_cli_usage(cli, "tx", "tx transfer needs CHAIN PORT CHANNEL RECEIVER "
				     "AMOUNTDENOM");
	a->chain = argv[optind];
	a->port = argv[optind + 1];
	a->channel = argv[optind + 2];
	a->receiver = argv[optind + 3];
	if (!coin_parse(&err, a->amount, a->denom, argv[optind + 4]) ||
	    !rly_cli_ids_check(&err, a->port, a->channel))
		return rly_cli_fail(cli, &err);
	if (!a->receiver[0] || strlen(a->receiver) > IBC_MAX_SIGNER)
		return rly_cli_usage(cli, "tx", "RECEIVER must be 1 to %u bytes", IBC_MAX_SIGNER);
	if (a->memo && strlen(a->memo) > IBC_MAX_MEMO)
		return rly_cli_usage(cli, "tx", "--memo: longer than %u bytes", IBC_MAX_MEMO);
	if (a->timeout_s == 0 && a->height_offset == 0)
		return rly_cli_usage(cli, "tx", "--timeout-seconds 0 needs --timeout-height-offset: "
				     "a packet must time out somehow");
	return -1;
}

/* Encodes one MsgTransfer as an Any value into buf. */
static bool msg_build(struct px_err *err, struct px_buf *buf, const struct transfer_args *a,
		      const char *sender, struct ibc_height timeout_height, uint64_t timeout_ts)
{
	struct ibc_msg_transfer m;

	memset(&m, 0, sizeof(m));
	snprintf(m.source_port, sizeof(m.source_port), "%s", a->port);
	snprintf(m.source_channel, sizeof(m.source_channel), "%s", a->channel);
	m.token.denom = ibc_str(a->denom);
	m.token.amount = ibc_str(a->amount);
	m.sender = ibc_str(sender);
	m.receiver = ibc_str(a->receiver);
	m.timeout_height = timeout_height;
	m.timeout_timestamp = timeout_ts;
	m.memo = ibc_str(a->memo);
	return ibc_msg_transfer_encode(err, buf, &m);
}

static bool now_ns(struct px_err *err, uint64_t *out, uint64_t plus_s)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || ts.tv_sec < 0)
		return px_err_set(err, PX_E_INTERNAL, "cannot read the clock");
	*out = ((uint64_t)ts.tv_sec + plus_s) * 1000000000u + (uint64_t)ts.tv_nsec;
	return true;
}

static void print_result(const struct rly_cli *cli, const struct transfer_args *a,
			 const char *sender, const struct sent_tx *txs, size_t n_txs,
			 const struct rly_ibcq_seqs *seqs, const struct rly_ibcq_route *route)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "%" PRIu64 " transfer%s of %s%s sent in %zu transaction%s",
		 a->count, a->count == 1 ? "" : "s", a->amount, a->denom, n_txs,
		 n_txs == 1 ? "" : "s");
	if (cli->json) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "chain",
				      a->chain, "port", a->port, "channel", a->channel,
				      "destination_chain", route->client.chain_id, "sender", sender,
				      "receiver", a->receiver, "amount", a->amount, "denom",
				      a->denom, "count", (json_int_t)a->count);
		json_t *arr = json_array(), *all = json_array();

		for (size_t i = 0; arr && i < n_txs; i++) {
			json_t *ss = json_array();

			for (size_t k = 0; ss && k < txs[i].n_seqs; k++)
				json_array_append_new(
					ss, json_integer((json_int_t)seqs->v[txs[i].first_seq + k]));
			json_array_append_new(arr, json_pack("{s:s, s:I, s:I, s:I, s:o}", "hash",
							     txs[i].r.hash, "height",
							     (json_int_t)txs[i].r.height, "messages",
							     (json_int_t)txs[i].n_msgs, "gas_used",
							     (json_int_t)txs[i].r.gas_used,
							     "sequences", ss ? ss : json_null()));
		}
		for (size_t k = 0; all && k < seqs->n; k++)
			json_array_append_new(all, json_integer((json_int_t)seqs->v[k]));
		if (o) {
			json_object_set_new(o, "txs", arr ? arr : json_null());
			json_object_set_new(o, "sequences", all ? all : json_null());
		} else {
			json_decref(arr);
			json_decref(all);
		}
		rly_cli_print_ok(cli, msg, o);
		return;
	}
	printf("%s from %s on %s %s/%s (to %s)\n", msg, sender, a->chain, a->port, a->channel,
	       route->client.chain_id);
	for (size_t i = 0; i < n_txs; i++) {
		printf("tx %s height %" PRId64 " messages %zu sequences", txs[i].r.hash,
		       txs[i].r.height, txs[i].n_msgs);
		for (size_t k = 0; k < txs[i].n_seqs; k++)
			printf(" %" PRIu64, seqs->v[txs[i].first_seq + k]);
		printf("\n");
	}
}

static int tx_transfer(const struct rly_cli *cli, int argc, char **argv)
{
	struct transfer_args a;
	struct rly_config cfg;
	bool have_cfg = false;
	const struct rly_config_chain *chain = NULL;
	char home[RLY_CONFIG_PATH_MAX];
	struct cosmos_key key;
	bool have_key = false;
	struct cmt_loop *loop = NULL;
	struct rly_cli_conn conn = { 0 };
	struct rly_txsub *sub = NULL;
	struct rly_txsub_opts o;
	struct rly_ibcq_route route;
	struct ibc_height th = { 0, 0 };
	uint64_t ts = 0;
	struct px_buf *bufs = NULL;
	struct cosmos_any *anys = NULL;
	struct sent_tx *txs = NULL;
	struct rly_ibcq_seqs seqs = { 0 };
	size_t n_txs = 0, done = 0, batch;
	struct px_err err = { 0 };
	const char *sender;
	int rc;

	rc = transfer_args_parse(cli, &a, argc, argv);
	if (rc >= 0)
		return rc;
	rc = 0;
	memset(&key, 0, sizeof(key));
	if (!rly_cli_load_chain(&err, &cfg, &chain, home, sizeof(home), cli, a.chain))
		goto fail;
	have_cfg = true;
	if (!rly_keys_load(&err, &key, NULL, home, chain->id, chain->key)) {
		px_err_prefix(&err, "%s: key %s: ", chain->id, chain->key);
		goto fail;
	}
	have_key = true;
	if (!cmt_loop_new(&err, &loop) || !rly_cli_connect(&err, &conn, loop, chain, CONNECT_MS) ||
	    !rly_cli_route(&err, &route, conn.client, chain->id, a.port, a.channel))
		goto fail;
	if (route.channel.state != IBC_CHAN_OPEN) {
		px_err_set(&err, PX_E_USAGE, "%s: channel %s/%s is not open (state %d)", chain->id,
			   a.port, a.channel, (int)route.channel.state);
		goto fail;
	}
	if (a.height_offset) {
		th.revision_number = route.client.latest_height.revision_number;
		th.revision_height = route.client.latest_height.revision_height + a.height_offset;
	}
	if (a.timeout_s && !now_ns(&err, &ts, a.timeout_s))
		goto fail;

	rly_txsub_opts_from_config(&o, chain);
	o.key = &key;
	if (!rly_txsub_open(&err, &sub, loop, conn.client, &o))
		goto fail;
	cosmos_key_wipe(&key);
	have_key = false;
	sender = rly_txsub_address(sub);

	bufs = calloc(a.count, sizeof(*bufs));
	anys = calloc(a.count, sizeof(*anys));
	txs = calloc(a.count, sizeof(*txs));
	if (!bufs || !anys || !txs) {
		px_err_set(&err, PX_E_NOMEM, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < a.count; i++) {
		if (!msg_build(&err, &bufs[i], &a, sender, th, ts))
			goto fail;
		anys[i].type_url = ibc_str(IBC_URL_MSG_TRANSFER);
		anys[i].value = px_slice_of(&bufs[i]);
	}

	/* Broadcast every batch, then wait for each. */
	batch = cfg.max_msgs < a.count ? (size_t)cfg.max_msgs : (size_t)a.count;
	if (batch > COSMOS_TX_MAX_MSGS)
		batch = COSMOS_TX_MAX_MSGS;
	while (done < a.count) {
		size_t k = a.count - done < batch ? a.count - done : batch;
		struct px_err e = { 0 };

		if (rly_txsub_submit(&e, &txs[n_txs].r, sub, anys + done, k, NULL)) {
			txs[n_txs].n_msgs = k;
			n_txs++;
			done += k;
			continue;
		}
		/* Only the gas check of the simulation is PX_E_CONFIG here. */
		if (e.code == PX_E_CONFIG && k > 1) {
			batch = k / 2;
			px_info(LOG_MOD, "%s: %zu transfers need more gas than gas_limit %" PRIu64
				"; trying %zu per transaction", chain->id, k, chain->gas_limit,
				batch);
			continue;
		}
		err = e;
		if (txs[n_txs].r.code)
			px_err_prefix(&err, "%s: transaction refused: ", chain->id);
		goto fail;
	}
	for (size_t i = 0; i < n_txs; i++) {
		char hash[RLY_TX_HASH_HEX_LEN + 1];
		size_t n0 = seqs.n;

		memcpy(hash, txs[i].r.hash, sizeof(hash));
		if (!rly_txsub_wait(&err, &txs[i].r, sub, hash, WAIT_MS)) {
			px_err_prefix(&err, "%s: tx %s: ", chain->id, hash);
			goto fail;
		}
		if (!sequences_of(&err, &seqs, txs[i].r.events)) {
			px_err_prefix(&err, "%s: tx %s: ", chain->id, hash);
			goto fail;
		}
		txs[i].first_seq = n0;
		txs[i].n_seqs = seqs.n - n0;
	}
	print_result(cli, &a, sender, txs, n_txs, &seqs, &route);
	goto out;
fail:
	rc = rly_cli_fail(cli, &err);
out:
	for (size_t i = 0; txs && i < n_txs; i++)
		rly_tx_result_clear(&txs[i].r);
	for (size_t i = 0; bufs && i < a.count; i++)
		px_buf_free(&bufs[i]);
	free(bufs);
	free(anys);
	free(txs);
	free(seqs.v);
	rly_txsub_close(sub);
	rly_cli_disconnect(&conn);
	if (loop)
		cmt_loop_free(loop);
	if (have_key)
		cosmos_key_wipe(&key);
	if (have_cfg)
		rly_config_free(&cfg);
	return rc;
}

int rly_cmd_tx(const struct rly_cli *cli, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;

	if (!sub)
		return rly_cli_usage(cli, "tx", "tx needs a command: transfer");
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 || strcmp(sub, "help") == 0) {
		fputs(tx_usage, stdout);
		return 0;
	}
	if (strcmp(sub, "transfer") == 0)
		return tx_transfer(cli, argc - 1, argv + 1);
	return rly_cli_usage(cli, "tx", "unknown tx command '%s' (transfer)", sub);
}
