/* `pontifex health-check`: every configured chain and path checked the way
 * an operator would before leaving the relayer alone, one line per check
 * with a verdict (ok, warn, FAIL):
 *
 *   chain   endpoint reachable, chain id as configured, the node's latest
 *           block recent (clock drift and stalled nodes), key present and
 *           private, relayer balance in the gas denom
 *   path    each end's client of the other chain: exists, follows the right
 *           chain, not frozen, time left in its trusting period (warn below
 *           a third of it, FAIL when expired)
 *
 * Exit status: 0 when nothing FAILs (warnings allowed); 3 when an endpoint
 * is unreachable; 2 when the configuration or a key is wrong; 1 for any
 * other failure (wrong chain id, expired or frozen client, clock drift). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "chains/cosmos/bech32.h"
#include "chains/cosmos/keys.h"
#include "common/rfc3339.h"
#include "relayer/cli.h"
#include "relayer/config.h"
#include "relayer/ibcquery.h"
#include "relayer/keys.h"

#define CONNECT_MS 5000
#define QUERY_MS 10000
#define STALL_NS (60ull * 1000000000ull)	/* a latest block older than this: warn */

static const char health_usage[] =
	"usage: pontifex [--home DIR] [--config FILE] [--json] health-check\n"
	"  Checks every chain of the configuration (endpoint, chain id, latest block\n"
	"  time against the clock, key, balance) and every path's clients (chain,\n"
	"  frozen, time left in the trusting period). One line per check.\n"
	"\n"
	"exit status: 0 no failure (warnings allowed), 1 a check failed,\n"
	"             2 configuration or key, 3 an endpoint unreachable\n";

enum verdict { V_OK, V_WARN, V_FAIL };

struct report {
	json_t *rows;		/* --json */
	int worst_exit;		/* 0, or the exit status of the first failure kind */
	size_t n_fail, n_warn;
};

static void row(struct report *r, enum verdict v, int fail_exit, const char *scope,
		const char *what, const char *fmt, ...) PX_PRINTF(6, 7);

static void row(struct report *r, enum verdict v, int fail_exit, const char *scope,
		const char *what, const char *fmt, ...)
{
	static const char *const names[] = { "ok", "warn", "FAIL" };
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (v == V_FAIL) {
		r->n_fail++;
		/* unreachable (3) and configuration (2) outrank a failed check (1) */
		if (fail_exit > r->worst_exit)
			r->worst_exit = fail_exit;
	} else if (v == V_WARN) {
		r->n_warn++;
	}
	if (r->rows)
		json_array_append_new(r->rows, json_pack("{s:s, s:s, s:s, s:s}", "verdict",
							 names[v], "scope", scope, "check", what,
							 "detail", msg));
	else
		printf("%-4s  %-22s %-16s %s\n", names[v], scope, what, msg);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t time_ns(struct px_time t)
{
	return t.seconds * 1000000000 + t.nanos;
}

static void duration(char *out, size_t cap, int64_t ns)
{
	int64_t s = (ns < 0 ? -ns : ns) / 1000000000;

	if (s >= 86400)
		snprintf(out, cap, "%" PRId64 "d%" PRId64 "h", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		snprintf(out, cap, "%" PRId64 "h%" PRId64 "m", s / 3600, s % 3600 / 60);
	else
		snprintf(out, cap, "%" PRId64 "s", s);
}

/* The node's status: network (chain id) and the latest block's height and
 * time. */
static bool node_status(struct px_err *err, char *network, size_t cap, int64_t *height,
			struct px_time *time, struct cmt_client *c)
{
	json_t *res = NULL, *ni, *si;
	const char *net, *h, *t;
	bool ok = false;

	if (!cmt_client_call_sync(err, &res, c, "status", json_object(), QUERY_MS))
		return false;
	ni = json_object_get(res, "node_info");
	si = json_object_get(res, "sync_info");
	net = json_string_value(json_object_get(ni, "network"));
	h = json_string_value(json_object_get(si, "latest_block_height"));
	t = json_string_value(json_object_get(si, "latest_block_time"));
	if (!net || !h || !t) {
		px_err_set(err, PX_E_JSON, "status: no network, latest_block_height or time");
		goto out;
	}
	*height = strtoll(h, NULL, 10);
	if (!px_time_parse(err, time, t, strlen(t)))
		goto out;
	snprintf(network, cap, "%s", net);
	ok = true;
out:
	json_decref(res);
	return ok;
}

static void check_chain(struct report *r, struct cmt_loop *loop, const char *home,
			const struct rly_config_chain *ch, struct rly_cli_conn *conn, bool *up)
{
	struct px_err err = { 0 };
	struct cosmos_key key;
	struct rly_key_info info;
	char scope[80], net[128], addr[128], bal[96], d[32];
	struct px_time bt;
	int64_t h, skew;

	*up = false;
	snprintf(scope, sizeof(scope), "chain %s", ch->id);
	if (!rly_cli_connect(&err, conn, loop, ch, CONNECT_MS)) {
		row(r, V_FAIL, 3, scope, "endpoint", "%s", err.msg);
	} else if (!node_status(&err, net, sizeof(net), &h, &bt, conn->client)) {
		row(r, V_FAIL, 3, scope, "endpoint", "%s: status: %s", ch->rpc, err.msg);
	} else {
		*up = true;
		row(r, V_OK, 0, scope, "endpoint", "%s answers, latest height %" PRId64, ch->rpc, h);
		if (strcmp(net, ch->id) == 0)
			row(r, V_OK, 0, scope, "chain id", "the node is %s", net);
		else
			row(r, V_FAIL, 1, scope, "chain id", "the node says %s, the config %s", net,
			    ch->id);
		skew = time_ns(bt) - now_ns();
		duration(d, sizeof(d), skew);
		if (skew > (int64_t)ch->clock_drift_ns)
			row(r, V_FAIL, 1, scope, "clock",
			    "latest block is %s ahead of this machine's clock (clock_drift %" PRIu64
			    " s): one of the clocks is wrong", d, ch->clock_drift_ns / 1000000000);
		else if (-skew > (int64_t)STALL_NS)
			row(r, V_WARN, 0, scope, "clock",
			    "latest block is %s old: the node is behind or the chain stalled", d);
		else
			row(r, V_OK, 0, scope, "clock", "latest block %s %s", d,
			    skew > 0 ? "ahead" : "old");
	}
	px_err_clear(&err);
	if (!rly_keys_load(&err, &key, &info, home, ch->id, ch->key)) {
		row(r, V_FAIL, 2, scope, "key", "%s", err.msg);
		return;
	}
	cosmos_key_wipe(&key);
	{
		uint8_t a20[COSMOS_ADDR_LEN];

		cosmos_pubkey_address(a20, info.pub);
		if (!cosmos_address_encode(&err, addr, sizeof(addr), ch->account_prefix, a20,
					   sizeof(a20))) {
			row(r, V_FAIL, 2, scope, "key", "%s", err.msg);
			return;
		}
	}
	row(r, V_OK, 0, scope, "key", "%s (%s), file private", ch->key, addr);
	if (!*up)
		return;
	px_err_clear(&err);
	if (!rly_ibcq_balance(&err, bal, sizeof(bal), conn->client, addr, ch->gas_denom,
			      QUERY_MS))
		row(r, V_FAIL, 3, scope, "balance", "%s", err.msg);
	else if (strcmp(bal, "0") == 0)
		row(r, V_FAIL, 1, scope, "balance", "%s holds no %s: it cannot pay fees", addr,
		    ch->gas_denom);
	else
		row(r, V_OK, 0, scope, "balance", "%s %s", bal, ch->gas_denom);
}

static void check_client(struct report *r, const struct rly_config_path *p,
			 const struct rly_config_end *end, const struct rly_config_end *other,
			 struct rly_cli_conn *conn)
{
	struct px_err err = { 0 };
	struct rly_ibcq_client_health h;
	char scope[160], what[64], left_s[32];
	int64_t expires, left;

	snprintf(scope, sizeof(scope), "path %s", p->name);
	snprintf(what, sizeof(what), "client on %s", end->chain);
	if (!end->client || strcmp(end->client, "create") == 0) {
		row(r, V_WARN, 0, scope, what, "not created yet (create client %s)", p->name);
		return;
	}
	if (!rly_ibcq_client_health(&err, &h, conn->client, end->client, QUERY_MS)) {
		row(r, V_FAIL, err.code == PX_E_RPC ? 3 : 1, scope, what, "%s: %s", end->client,
		    err.msg);
		return;
	}
	if (strcmp(h.chain_id, other->chain) != 0) {
		row(r, V_FAIL, 1, scope, what, "%s follows %s, not %s", end->client, h.chain_id,
		    other->chain);
		return;
	}
	if (h.frozen) {
		row(r, V_FAIL, 1, scope, what,
		    "%s is FROZEN (misbehaviour of %s was submitted): its proofs are refused",
		    end->client, h.chain_id);
		return;
	}
	expires = time_ns(h.consensus_time) + (int64_t)h.trusting_period_ns;
	left = expires - now_ns();
	duration(left_s, sizeof(left_s), left);
	if (left <= 0)
		row(r, V_FAIL, 1, scope, what,
		    "%s EXPIRED %s ago (latest height %" PRIu64 "-%" PRIu64 "): it needs "
		    "governance recovery", end->client, left_s, h.latest_height.revision_number,
		    h.latest_height.revision_height);
	else if ((uint64_t)left < h.trusting_period_ns / 3)
		row(r, V_WARN, 0, scope, what,
		    "%s expires in %s: update it (pontifex start keeps clients fresh)",
		    end->client, left_s);
	else
		row(r, V_OK, 0, scope, what, "%s of %s at %" PRIu64 "-%" PRIu64 ", expires in %s",
		    end->client, h.chain_id, h.latest_height.revision_number,
		    h.latest_height.revision_height, left_s);
}

int rly_cmd_health(const struct rly_cli *cli, int argc, char **argv)
{
	struct px_err err = { 0 };
	struct rly_config cfg;
	struct report r = { NULL, 0, 0, 0 };
	struct cmt_loop *loop = NULL;
	struct rly_cli_conn *conns = NULL;
	bool *up = NULL;
	char home[4096], path[RLY_CONFIG_PATH_MAX];

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(health_usage, stdout);
		return 0;
	}
	if (argc > 1)
		return rly_cli_usage(cli, "health-check", "health-check takes no arguments");
	if (!rly_home_dir(&err, home, sizeof(home), cli->home) ||
	    !rly_config_file(&err, path, sizeof(path), cli->home, cli->config) ||
	    !rly_config_load(&err, &cfg, path))
		return rly_cli_fail(cli, &err);
	if (cli->json)
		r.rows = json_array();
	conns = calloc(cfg.n_chains ? cfg.n_chains : 1, sizeof(*conns));
	up = calloc(cfg.n_chains ? cfg.n_chains : 1, sizeof(*up));
	if (!conns || !up || !cmt_loop_new(&err, &loop)) {
		if (!err.code)
			px_err_set(&err, PX_E_NOMEM, "out of memory");
		free(conns);
		free(up);
		json_decref(r.rows);
		rly_config_free(&cfg);
		return rly_cli_fail(cli, &err);
	}
	if (!rly_keys_check_permissions(&err, home))
		row(&r, V_FAIL, 2, "home", "key files", "%s", err.msg);
	else
		row(&r, V_OK, 0, "home", "key files", "%s/keys: private", home);
	for (size_t i = 0; i < cfg.n_chains; i++)
		check_chain(&r, loop, home, &cfg.chains[i], &conns[i], &up[i]);
	for (size_t i = 0; i < cfg.n_paths; i++) {
		const struct rly_config_path *p = &cfg.paths[i];
		const struct rly_config_end *ends[2] = { &p->a, &p->b };

		for (int e = 0; e < 2; e++) {
			size_t k;

			for (k = 0; k < cfg.n_chains; k++) {
				if (strcmp(cfg.chains[k].id, ends[e]->chain) == 0)
					break;
			}
			if (k == cfg.n_chains || !up[k])
				row(&r, V_FAIL, 3, p->name, "client", "chain %s unreachable: not "
				    "checked", ends[e]->chain);
			else
				check_client(&r, p, ends[e], ends[1 - e], &conns[k]);
		}
	}
	for (size_t i = 0; i < cfg.n_chains; i++) {
		if (conns[i].client)
			rly_cli_disconnect(&conns[i]);
	}
	cmt_loop_free(loop);
	if (r.rows) {
		json_t *o = json_pack("{s:o, s:I, s:I}", "checks", r.rows, "failed",
				      (json_int_t)r.n_fail, "warnings", (json_int_t)r.n_warn);

		json_object_set_new(o, "code", json_integer(r.worst_exit));
		json_object_set_new(o, "message", json_string(r.n_fail ? "unhealthy" : "healthy"));
		json_dumpf(o, stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(o);
	} else {
		printf("%zu failed, %zu warnings\n", r.n_fail, r.n_warn);
	}
	free(conns);
	free(up);
	rly_config_free(&cfg);
	return r.worst_exit;
}
