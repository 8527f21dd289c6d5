/* Two devnets and a relayer home with a transfer channel between them
 * (see devnet_pair.h). */
#include "relayer/devnet_pair.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chains/cosmos/bech32.h"
#include "relayer/keys.h"

static void note(const struct rly_devnet_pair *p, const char *fmt, ...) PX_PRINTF(2, 3);

static void note(const struct rly_devnet_pair *p, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!p->o.note)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	p->o.note(p->o.note_arg, line);
}

static bool interrupted(const struct rly_devnet_pair *p)
{
	return p->o.interrupted && *p->o.interrupted;
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void rly_devnet_pair_pause(struct rly_devnet_pair *p, int ms)
{
	double until = mono_s() + ms / 1e3;

	while (!interrupted(p) && mono_s() < until) {
		int left = (int)((until - mono_s()) * 1e3);

		if (p->loop)
			(void)cmt_loop_service(p->loop, left > 0 ? left : 1);
		else
			usleep((useconds_t)(left > 0 ? left : 1) * 1000);
	}
}

/* Writes HOME/config.yaml for the two chains and the path (the ids known
 * so far, "create" for the others); load: parse it into p->cfg. */
static bool write_config(struct px_err *err, struct rly_devnet_pair *p, bool load)
{
	char path[sizeof(p->home) + 16];
	const struct rly_end *e[2] = { &p->path.a, &p->path.b };
	FILE *f;

	snprintf(path, sizeof(path), "%s/config.yaml", p->home);
	f = fopen(path, "w");
	if (!f)
		return px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
	if (p->o.writer)
		fprintf(f, "# written by %s\n", p->o.writer);
	fprintf(f, "chains:\n");
	for (int i = 0; i < 2; i++)
		fprintf(f,
			"  - id: %s\n"
			"    rpc: %s\n"
			"    account_prefix: cosmos\n"
			"    gas_price: %s\n"
			"    gas_limit: %" PRIu64 "\n"
			"    key: relayer\n"
			"    trusting_period: 336h\n",
			p->node[i].chain_id, p->node[i].ws_url, p->o.gas_price, p->o.gas_limit);
	fprintf(f, "paths:\n  - name: %s\n", p->o.path_name);
	for (int i = 0; i < 2; i++)
		fprintf(f, "    %s: { chain: %s, client: %s, connection: %s, channel: %s }\n",
			i ? "b" : "a", p->node[i].chain_id,
			e[i]->client_id[0] ? e[i]->client_id : "create",
			e[i]->connection_id[0] ? e[i]->connection_id : "create",
			e[i]->channel_id[0] ? e[i]->channel_id : "create");
	fprintf(f, "    port: transfer\nmax_msgs: %u\ntelemetry: off\nstatus: off\n", p->o.max_msgs);
	if (fclose(f) != 0)
		return px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
	if (!load)
		return true;
	p->cfg_loaded = rly_config_load(err, &p->cfg, path);
	return p->cfg_loaded;
}

/* HOME/keys with the `relayer` key of both chains; the addresses of the
 * `user` accounts. */
static bool import_keys(struct px_err *err, struct rly_devnet_pair *p)
{
	char keys[sizeof(p->home) + 8];

	snprintf(keys, sizeof(keys), "%s/keys", p->home);
	if (mkdir(keys, 0700) != 0 && errno != EEXIST)
		return px_err_set(err, PX_E_IO, "%s: %s", keys, strerror(errno));
	for (int i = 0; i < 2; i++) {
		struct cosmos_key k;
		struct rly_key_info info;
		uint8_t addr[COSMOS_ADDR_LEN];
		bool ok;

		if (!rly_devnet_account_key(err, &k, &p->node[i], "relayer"))
			return false;
		ok = rly_keys_store(err, &info, p->home, p->node[i].chain_id, "relayer", &k, "");
		cosmos_key_wipe(&k);
		if (!ok || !rly_devnet_account_key(err, &k, &p->node[i], "user"))
			return false;
		cosmos_pubkey_address(addr, k.pub);
		cosmos_key_wipe(&k);
		if (!cosmos_address_encode(err, p->user[i], sizeof(p->user[i]), "cosmos", addr,
					   sizeof(addr)))
			return false;
	}
	return true;
}

static bool open_chains(struct px_err *err, struct rly_devnet_pair *p)
{
	for (int i = 0; i < 2; i++) {
		struct rly_chain_opts co = { .home = p->home, .trust_height = 1 };

		/* a new chain: trusting height 1 needs the validators of 2 */
		for (int tries = 0; !p->chain_open[i]; tries++) {
			px_err_clear(err);
			p->chain_open[i] = rly_chain_open(err, &p->chain[i], p->loop,
							  &p->cfg.chains[i], &co, 20000);
			if (!p->chain_open[i] && (tries >= 40 || interrupted(p)))
				return false;
			if (!p->chain_open[i])
				rly_devnet_pair_pause(p, (int)p->o.block_ms);
		}
	}
	return true;
}

bool rly_devnet_pair_setup(struct px_err *err, struct rly_devnet_pair *p, const char *dir,
			   const struct rly_devnet_pair_opts *opts)
{
	char exe[RLY_DEVNET_PATH_MAX];
	const char *const *ids = opts->chain_id;

	p->o = *opts;
	if (!rly_devnet_exe(err, exe, sizeof(exe), opts->devnet))
		return false;
	snprintf(p->home, sizeof(p->home), "%s/relayer", dir);
	if (mkdir(p->home, 0700) != 0)
		return px_err_set(err, PX_E_IO, "%s: %s", p->home, strerror(errno));
	for (int i = 0; i < 2; i++) {
		if (!rly_devnet_start(err, &p->node[i], exe, dir, ids[i], opts->seed[i], NULL,
				      opts->block_ms, 20000))
			return false;
		note(p, "chain %s: pontifex-devnet on %s (pid %d)", ids[i], p->node[i].ws_url,
		     (int)p->node[i].pid);
	}
	if (!import_keys(err, p) || !write_config(err, p, true))
		return false;
	note(p, "relayer home %s: config.yaml and the relayer keys of both chains", p->home);
	if (!cmt_loop_new(err, &p->loop) || !open_chains(err, p))
		return false;
	note(p, "light clients of both chains started (on trust at height 1: a local devnet)");
	rly_path_from_config(&p->path, &p->cfg.paths[0], &p->chain[0], &p->chain[1]);
	if (!rly_path_create_clients(err, &p->path))
		return false;
	note(p, "clients: %s on %s, %s on %s", p->path.a.client_id, ids[0], p->path.b.client_id,
	     ids[1]);
	if (!rly_path_open_connection(err, &p->path))
		return false;
	note(p, "connection open: %s <-> %s", p->path.a.connection_id, p->path.b.connection_id);
	if (!rly_path_open_channel(err, &p->path))
		return false;
	note(p, "channel open: %s/%s <-> %s/%s", p->path.a.port_id, p->path.a.channel_id,
	     p->path.b.port_id, p->path.b.channel_id);
	/* the file now names what exists, for `pontifex start` */
	return write_config(err, p, false);
}

void rly_devnet_pair_close(struct rly_devnet_pair *p)
{
	for (int i = 0; i < 2; i++) {
		if (p->chain_open[i])
			rly_chain_close(&p->chain[i]);
		p->chain_open[i] = false;
	}
	if (p->loop)
		cmt_loop_free(p->loop);
	p->loop = NULL;
	for (int i = 0; i < 2; i++)
		rly_devnet_stop(&p->node[i]);
	if (p->cfg_loaded)
		rly_config_free(&p->cfg);
	p->cfg_loaded = false;
}

bool rly_devnet_pair_user_txsub(struct px_err *err, struct rly_txsub **out,
				struct rly_devnet_pair *p, int i)
{
	struct rly_txsub_opts o;
	struct cosmos_key k;
	bool ok;

	if (!rly_devnet_account_key(err, &k, &p->node[i], "user"))
		return false;
	rly_txsub_opts_from_config(&o, p->chain[i].cfg);
	o.key = &k;
	ok = rly_txsub_open(err, out, p->loop, p->chain[i].rpc, &o);
	cosmos_key_wipe(&k);
	return ok;
}

void rly_devnet_pair_transfer(const struct rly_devnet_pair *p, struct ibc_msg *out, int i,
			      const char *amount, const struct timespec *now)
{
	const struct rly_end *src = i ? &p->path.b : &p->path.a;
	struct ibc_msg_transfer *t = &out->u.transfer;

	memset(out, 0, sizeof(*out));
	out->kind = IBC_MSG_TRANSFER;
	snprintf(t->source_port, sizeof(t->source_port), "%s", src->port_id);
	snprintf(t->source_channel, sizeof(t->source_channel), "%s", src->channel_id);
	t->token.denom = cosmos_str("stake");
	t->token.amount = cosmos_str(amount);
	t->sender = cosmos_str(p->user[i]);
	t->receiver = cosmos_str(p->user[1 - i]);
	/* no timeout height to compute */
	t->timeout_timestamp = ((uint64_t)now->tv_sec + 600) * 1000000000ull + (uint64_t)now->tv_nsec;
}
