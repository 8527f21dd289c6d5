/* The daemon's metrics and its HTTP endpoints (docs/metrics.md): the
 * registry of struct rly_relayer_metrics, the /metrics listener
 * (`telemetry`) and the /status and /packets listener (`status`), both
 * vhosts of the engine's cmt_loop, so they are served by the loop's thread
 * inside cmt_loop_service, the blocking calls' waits included.
 *
 * The engine (relay.c, relay_batch.c) calls in at the points where things
 * happen: a packet reaching a final state in a successful transaction,
 * a transaction's outcome, a call into a light client, a path halting, and
 * once per round (backlog, journal size, websocket reconnects, wallet
 * balances). With no observer (`clear packets`, or before start) every
 * hook does nothing.
 *
 * Light-client calls are counted here by comparing the heights a chain's
 * light client holds before and after the call: each new held state is a
 * header that verified. relay_prove and relay_header_time only see a
 * chain, so the hooks reach the observer through obs_current: one engine
 * per process, one thread (STYLE rule 19).
 *
 * Callbacks of the listeners run inside cmt_loop_service, between two
 * journal calls of the engine (no journal call runs the loop), so they
 * read the journal and the engine's state as the engine left them. */
#include "relayer/relay_internal.h"
#include "relayer/witness.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "relayer/ibcquery.h"
#include "relayer/metrics.h"
#include "relayer/status_http.h"

#define OBS_MOD "metrics"
#define BALANCE_ROUNDS 30		/* a balance query every this many rounds */
#define BALANCE_TIMEOUT_MS 5000
#define BALANCE_DIGITS_MAX 80
#define CHANNELS_MAX 1024		/* backlog series kept (the metric's cap) */
#define HALT_MAX (PX_ERR_MSG_MAX + 64)

struct obs_channel {
	char chain[RLY_JOURNAL_CHAIN_MAX + 1];
	char port[RLY_JOURNAL_PORT_MAX + 1];
	char channel[RLY_JOURNAL_CHANNEL_MAX + 1];
	bool seen;			/* in this round's backlog */
};

struct relay_obs {
	struct relay *r;		/* borrowed: the engine that owns this */
	struct rly_metrics *reg;	/* owned */
	struct rly_relayer_metrics m;	/* borrowed from reg */
	struct rly_witness_metrics wm;	/* borrowed from reg */
	struct rly_status_http *srv[2];	/* owned; NULL when off */
	int64_t started_ms;		/* monotonic */
	uint64_t rounds;
	uint64_t *reconnects;		/* per r->chains entry: counted so far */
	size_t n_slots;			/* entries of reconnects */
	char (*halt)[HALT_MAX];		/* per r->paths entry: why it halted */
	size_t n_halt;
	struct obs_channel *chans;	/* channels with a backlog series */
	size_t n_chans;
};

static struct relay_obs *obs_current;

/* --- light-client calls ------------------------------------------------------ */

static void held_heights(const struct rly_chain *c, int64_t *out, size_t *n)
{
	const struct tm_client *lc = c && c->fetch ? rly_fetch_client(c->fetch) : NULL;

	*n = 0;
	for (size_t i = 0; lc && i < lc->nstates && i < TM_CLIENT_MAX_STATES; i++)
		out[(*n)++] = lc->states[i].header.height;
}

void relay_lc_begin(struct relay_lc_mark *mk, const struct rly_chain *a, const struct rly_chain *b)
{
	memset(mk, 0, sizeof(*mk));
	if (!obs_current)
		return;
	mk->c[0] = a;
	mk->c[1] = b != a ? b : NULL;
	for (int k = 0; k < 2; k++)
		held_heights(mk->c[k], mk->h[k], &mk->n[k]);
}

void relay_lc_end(const struct relay_lc_mark *mk, bool ok, const struct px_err *err)
{
	struct relay_obs *o = obs_current;

	if (!o)
		return;
	for (int k = 0; k < 2; k++) {
		int64_t now[TM_CLIENT_MAX_STATES];
		size_t n = 0, fresh = 0;

		if (!mk->c[k])
			continue;
		held_heights(mk->c[k], now, &n);
		for (size_t i = 0; i < n; i++) {
			bool held = false;

			for (size_t j = 0; j < mk->n[k] && !held; j++)
				held = mk->h[k][j] == now[i];
			fresh += !held;
		}
		if (fresh)
			(void)rly_metric_add(o->m.header_verifications,
					     RLY_LABELS(mk->c[k]->cfg->id), (double)fresh);
	}
	/* A failed check is one more header (or proof) checked, counted on
	 * the chain whose data was being verified: the first one. */
	if (!ok && mk->c[0] && err && err->code >= 300 && err->code < 400) {
		const char *chain = mk->c[0]->cfg->id;

		(void)rly_metric_inc(o->m.header_verifications, RLY_LABELS(chain));
		(void)rly_metric_inc(o->m.header_verification_failures,
				     RLY_LABELS(chain, rly_metrics_failure_reason(err->code)));
	}
}

bool relay_update_msgs(struct px_err *err, struct rly_msgs *m, int64_t *version,
		       struct rly_end *dst, struct rly_end *src, int64_t min_version)
{
	struct relay_lc_mark mk;
	bool ok;

	relay_lc_begin(&mk, src->chain, dst->chain);
	ok = rly_path_update_msgs(err, m, version, dst, src, min_version);
	relay_lc_end(&mk, ok, err);
	return ok;
}

bool relay_client_height(struct px_err *err, struct ibc_height *out, struct rly_end *dst)
{
	struct relay_lc_mark mk;
	bool ok;

	relay_lc_begin(&mk, dst->chain, NULL);
	ok = rly_end_client_height(err, out, dst);
	relay_lc_end(&mk, ok, err);
	return ok;
}

/* --- events of the engine ------------------------------------------------------ */

void relay_obs_relayed(struct relay *r, const struct r_path *rp, enum rly_packet_state done)
{
	enum rly_packet_kind kind;

	if (!r->obs)
		return;
	switch (done) {
	case RLY_PKT_RECEIVED: kind = RLY_PACKET_RECV; break;
	case RLY_PKT_ACKED: kind = RLY_PACKET_ACK; break;
	case RLY_PKT_TIMED_OUT: kind = RLY_PACKET_TIMEOUT; break;
	default: return;
	}
	(void)rly_metric_inc(r->obs->m.packets_relayed,
			     RLY_LABELS(rp->cfg->name, rly_packet_kind_name(kind)));
}

void relay_obs_tx(struct relay *r, const struct rly_chain *c, enum relay_tx_event ev, int64_t t0_ms)
{
	const char *chain = c->cfg->id;
	struct relay_obs *o = r->obs;

	if (!o)
		return;
	if (ev == RELAY_TX_REFUSED || ev == RELAY_TX_SENT)
		(void)rly_metric_inc(o->m.txs_submitted, RLY_LABELS(chain));
	if (ev == RELAY_TX_REFUSED || ev == RELAY_TX_FAILED || ev == RELAY_TX_LOST)
		(void)rly_metric_inc(o->m.txs_failed, RLY_LABELS(chain));
	if (ev == RELAY_TX_INCLUDED || ev == RELAY_TX_FAILED)
		(void)rly_metric_observe(o->m.tx_latency, RLY_LABELS(chain),
					 (double)(relay_mono_ms() - t0_ms) / 1000.0);
}

void relay_obs_halted(struct relay *r, const struct r_path *rp, const struct px_err *err)
{
	size_t i = (size_t)(rp - r->paths);

	if (!r->obs || i >= r->obs->n_halt)
		return;
	snprintf(r->obs->halt[i], HALT_MAX, "verification failed (%d %s): %s", err->code,
		 px_code_name(err->code), err->msg);
}

/* Paths halted where no hook reported it (a witness's attack, clearing):
 * every halt site sets r->halt just before, so it is their reason unless
 * two paths halted for different reasons in one round. */
static void note_halts(struct relay *r, struct relay_obs *o)
{
	for (size_t i = 0; i < r->n_paths && i < o->n_halt; i++)
		if (r->paths[i].halted && !o->halt[i][0] && px_err_is_set(&r->halt))
			relay_obs_halted(r, &r->paths[i], &r->halt);
}

/* --- once per round ------------------------------------------------------------ */

static struct obs_channel *channel_find(struct relay_obs *o, const char *chain, const char *port,
					const char *channel, bool add)
{
	struct obs_channel *c;

	for (size_t i = 0; i < o->n_chans; i++) {
		c = &o->chans[i];
		if (strcmp(c->chain, chain) == 0 && strcmp(c->port, port) == 0 &&
		    strcmp(c->channel, channel) == 0)
			return c;
	}
	if (!add || o->n_chans == CHANNELS_MAX)
		return NULL;
	c = &o->chans[o->n_chans++];
	snprintf(c->chain, sizeof(c->chain), "%s", chain);
	snprintf(c->port, sizeof(c->port), "%s", port);
	snprintf(c->channel, sizeof(c->channel), "%s", channel);
	return c;
}

static bool backlog_one(void *arg, const struct rly_backlog *b)
{
	struct relay_obs *o = arg;
	struct obs_channel *c = channel_find(o, b->src_chain, b->src_port, b->src_channel, true);

	if (c)
		c->seen = true;
	(void)rly_metric_set(o->m.backlog_packets,
			     RLY_LABELS(b->src_chain, b->src_port, b->src_channel), (double)b->pending);
	(void)rly_metric_set(o->m.backlog_oldest_sequence,
			     RLY_LABELS(b->src_chain, b->src_port, b->src_channel),
			     (double)b->oldest_sequence);
	return true;
}

/* Channels without pending packets are absent from rly_journal_backlog:
 * their series go to 0 (the configured ones are there from the start). */
static void update_backlog(struct relay_obs *o)
{
	struct px_err err = { 0 };

	for (size_t i = 0; i < o->n_chans; i++)
		o->chans[i].seen = false;
	if (!rly_journal_backlog(o->r->j, &err, backlog_one, o)) {
		px_warn(OBS_MOD, "backlog: %s", err.msg);
		return;
	}
	for (size_t i = 0; i < o->n_chans; i++) {
		const struct obs_channel *c = &o->chans[i];

		if (c->seen)
			continue;
		(void)rly_metric_set(o->m.backlog_packets, RLY_LABELS(c->chain, c->port, c->channel), 0);
		(void)rly_metric_set(o->m.backlog_oldest_sequence,
				     RLY_LABELS(c->chain, c->port, c->channel), 0);
	}
}

static bool journal_size(struct relay *r, struct px_err *err, uint64_t *out)
{
	struct rly_packet_filter all = { NULL, NULL, NULL, 0 };
	uint64_t counts[RLY_PKT_STATE_COUNT] = { 0 };

	*out = 0;
	if (!rly_journal_counts(r->j, err, &all, counts))
		return false;
	for (int s = 0; s < RLY_PKT_STATE_COUNT; s++)
		*out += counts[s];
	return true;
}

/* A decimal amount as a double (exact below 2^53, rounded above). */
static bool amount_value(const char *s, double *out)
{
	double v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (double)(*s - '0');
	}
	*out = v;
	return true;
}

static void update_balances(struct relay *r, struct relay_obs *o)
{
	for (size_t i = 0; i < r->n_chains && !relay_stopping(r); i++) {
		const struct rly_chain *c = &r->chains[i].c;
		const char *denom = c->cfg->gas_denom;
		char amount[BALANCE_DIGITS_MAX + 1];
		struct px_err err = { 0 };
		double v;

		if (!c->tx || !denom || !*denom)
			continue;
		if (!rly_ibcq_balance(&err, amount, sizeof(amount), c->rpc, rly_txsub_address(c->tx),
				      denom, BALANCE_TIMEOUT_MS)) {
			px_debug(OBS_MOD, "chain %s: balance: %s", c->cfg->id, err.msg);
			continue;
		}
		if (!amount_value(amount, &v)) {
			px_debug(OBS_MOD, "chain %s: balance '%s' is not a decimal number", c->cfg->id,
				 amount);
			continue;
		}
		(void)rly_metric_set(o->m.wallet_balance, RLY_LABELS(c->cfg->id, denom), v);
	}
}

/* Series that exist from the first round, so that a scrape shows 0
 * rather than nothing for what has not happened yet. */
static void prime(struct relay *r, struct relay_obs *o)
{
	static const enum rly_packet_kind kinds[] = { RLY_PACKET_RECV, RLY_PACKET_ACK,
						      RLY_PACKET_TIMEOUT };

	for (size_t i = 0; i < r->n_paths; i++) {
		const struct r_path *rp = &r->paths[i];

		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			(void)rly_metric_add(o->m.packets_relayed,
					     RLY_LABELS(rp->cfg->name, rly_packet_kind_name(kinds[k])),
					     0);
		if (rp->p.a.chain && rp->p.a.channel_id[0])
			(void)channel_find(o, rp->p.a.chain->cfg->id, rp->p.a.port_id,
					   rp->p.a.channel_id, true);
		if (rp->p.b.chain && rp->p.b.channel_id[0])
			(void)channel_find(o, rp->p.b.chain->cfg->id, rp->p.b.port_id,
					   rp->p.b.channel_id, true);
	}
	for (size_t i = 0; i < r->n_chains; i++) {
		const char *id = r->chains[i].c.cfg->id;

		(void)rly_metric_add(o->m.header_verifications, RLY_LABELS(id), 0);
		(void)rly_metric_add(o->m.ws_reconnects, RLY_LABELS(id), 0);
		(void)rly_metric_add(o->m.txs_submitted, RLY_LABELS(id), 0);
		(void)rly_metric_add(o->m.txs_failed, RLY_LABELS(id), 0);
	}
}

void relay_obs_round(struct relay *r)
{
	struct relay_obs *o = r->obs;
	struct px_err err = { 0 };
	uint64_t size;

	if (!o)
		return;
	if (o->rounds == 0)
		prime(r, o);
	for (size_t i = 0; i < r->n_chains && i < o->n_slots; i++) {
		struct cmt_stats st;
		uint64_t total;

		cmt_client_stats(r->chains[i].c.rpc, &st);
		total = st.connects > 1 ? st.connects - 1 : 0;
		if (total > o->reconnects[i]) {
			(void)rly_metric_add(o->m.ws_reconnects, RLY_LABELS(r->chains[i].c.cfg->id),
					     (double)(total - o->reconnects[i]));
			o->reconnects[i] = total;
		}
	}
	note_halts(r, o);
	update_backlog(o);
	if (journal_size(r, &err, &size))
		(void)rly_metric_set(o->m.journal_packets, NULL, (double)size);
	else
		px_warn(OBS_MOD, "journal size: %s", err.msg);
	if (o->rounds % BALANCE_ROUNDS == 0)
		update_balances(r, o);
	o->rounds++;
}

/* --- /status and /packets ------------------------------------------------------- */

static json_t *end_json(const struct r_path *rp, int side)
{
	const struct rly_config_end *ce = side == 0 ? &rp->cfg->a : &rp->cfg->b;
	const struct rly_end *e = side == 0 ? &rp->p.a : &rp->p.b;

	/* rp->p is filled once the path's chains are open; before that the
	 * configuration's ids ("create" for ends still to be made). */
	if (!e->chain)
		return json_pack("{s:s, s:s, s:s, s:s, s:s}", "chain", ce->chain, "client",
				 ce->client, "connection", ce->connection, "port", rp->cfg->port,
				 "channel", ce->channel);
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "chain", e->chain->cfg->id, "client",
			 e->client_id, "connection", e->connection_id, "port", e->port_id, "channel",
			 e->channel_id);
}

static json_t *chain_json(const struct r_chain *ch, struct px_time now)
{
	const struct tm_client *lc = ch->c.fetch ? rly_fetch_client(ch->c.fetch) : NULL;
	const struct tm_trusted *t = lc ? tm_client_latest(lc) : NULL;
	struct cmt_stats st;

	memset(&st, 0, sizeof(st));
	if (ch->c.rpc)
		cmt_client_stats(ch->c.rpc, &st);
	return json_pack("{s:s, s:b, s:I, s:I, s:s, s:I, s:s?}", "id", ch->c.cfg->id, "connected",
			 ch->c.rpc && cmt_client_state(ch->c.rpc) == CMT_CONNECTED,
			 "latest_verified_height", (json_int_t)(t ? t->header.height : 0),
			 "websocket_height", (json_int_t)(ch->c.rpc ? cmt_client_height(ch->c.rpc) : 0),
			 "light_client", lc ? tm_status_name(tm_client_status(lc, now)) : "none",
			 "websocket_reconnects",
			 (json_int_t)(st.connects > 1 ? st.connects - 1 : 0), "address",
			 ch->c.tx ? rly_txsub_address(ch->c.tx) : NULL);
}

static bool backlog_json_one(void *arg, const struct rly_backlog *b)
{
	json_t *row = json_pack("{s:s, s:s, s:s, s:I, s:I}", "chain", b->src_chain, "port",
				b->src_port, "channel", b->src_channel, "pending",
				(json_int_t)b->pending, "oldest_sequence",
				(json_int_t)b->oldest_sequence);

	return row && json_array_append_new(arg, row) == 0;
}

static struct px_time wall_now(void)
{
	struct timespec ts;
	struct px_time t = { 0, 0 };

	if (clock_gettime(CLOCK_REALTIME, &ts) == 0) {
		t.seconds = (int64_t)ts.tv_sec;
		t.nanos = (int32_t)ts.tv_nsec;
	}
	return t;
}

static json_t *status_json(void *arg, struct px_err *err)
{
	struct relay_obs *o = arg;
	struct relay *r = o->r;
	struct px_time now = wall_now();
	json_t *doc, *chains, *paths, *backlog;
	uint64_t size = 0;

	doc = json_object();
	chains = json_array();
	paths = json_array();
	backlog = json_array();
	if (!doc || !chains || !paths || !backlog ||
	    json_object_set_new(doc, "chains", chains) != 0 ||
	    json_object_set_new(doc, "paths", paths) != 0 ||
	    json_object_set_new(doc, "backlog", backlog) != 0) {
		json_decref(doc);
		px_err_set(err, PX_E_NOMEM, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < r->n_chains; i++)
		if (json_array_append_new(chains, chain_json(&r->chains[i], now)) != 0)
			goto nomem;
	for (size_t i = 0; i < r->n_paths; i++) {
		const struct r_path *rp = &r->paths[i];
		const char *why = i < o->n_halt && o->halt[i][0] ? o->halt[i] : NULL;
		json_t *p = json_pack("{s:s, s:o, s:o, s:b, s:s?}", "name", rp->cfg->name, "a",
				      end_json(rp, 0), "b", end_json(rp, 1), "halted", rp->halted,
				      "halt_reason", why);

		if (json_array_append_new(paths, p) != 0)
			goto nomem;
	}
	if (!rly_journal_backlog(r->j, err, backlog_json_one, backlog) ||
	    !journal_size(r, err, &size)) {
		json_decref(doc);
		return NULL;
	}
	if (json_object_set_new(doc, "state", json_string(o->rounds ? "running" : "starting")) ||
	    json_object_set_new(doc, "uptime_seconds",
				json_integer((relay_mono_ms() - o->started_ms) / 1000)) ||
	    json_object_set_new(doc, "journal_packets", json_integer((json_int_t)size)))
		goto nomem;
	return doc;
nomem:
	json_decref(doc);
	px_err_set(err, PX_E_NOMEM, "out of memory");
	return NULL;
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *packet_json(void *arg, struct px_err *err, const struct rly_packet_ref *ref)
{
	struct relay_obs *o = arg;
	struct rly_packet_record rec;
	struct rly_packet_key k;
	bool found = false;
	json_t *doc;

	memset(&k, 0, sizeof(k));
	if (strlen(ref->chain) > RLY_JOURNAL_CHAIN_MAX || strlen(ref->port) > RLY_JOURNAL_PORT_MAX ||
	    strlen(ref->channel) > RLY_JOURNAL_CHANNEL_MAX)
		goto unknown;	/* longer than anything the journal holds */
	snprintf(k.src_chain, sizeof(k.src_chain), "%s", ref->chain);
	snprintf(k.src_port, sizeof(k.src_port), "%s", ref->port);
	snprintf(k.src_channel, sizeof(k.src_channel), "%s", ref->channel);
	k.sequence = ref->sequence;
	if (!rly_journal_get(o->r->j, err, &k, &rec, &found))
		return NULL;
	if (!found)
		goto unknown;
	doc = json_pack("{s:s, s:s, s:s, s:I, s:{s:s, s:s, s:s}, s:s, s:o, s:I, "
			"s:{s:I, s:I, s:I}, s:o, s:I, s:o, s:I, s:o, s:I, s:I, s:I, s:i}",
			"chain", rec.packet.key.src_chain, "port", rec.packet.key.src_port,
			"channel", rec.packet.key.src_channel,
			"sequence", (json_int_t)rec.packet.key.sequence,
			"destination", "chain", rec.packet.dst_chain, "port", rec.packet.dst_port,
			"channel", rec.packet.dst_channel,
			"state", rly_packet_state_name(rec.state),
			"reason", str_or_null(rec.reason),
			"send_height", (json_int_t)rec.packet.send_height,
			"timeout", "revision", (json_int_t)rec.packet.timeout_revision,
			"height", (json_int_t)rec.packet.timeout_height,
			"timestamp", (json_int_t)rec.packet.timeout_timestamp,
			"recv_tx", str_or_null(rec.recv_tx), "recv_height", (json_int_t)rec.recv_height,
			"ack_tx", str_or_null(rec.ack_tx), "ack_height", (json_int_t)rec.ack_height,
			"timeout_tx", str_or_null(rec.timeout_tx),
			"timeout_tx_height", (json_int_t)rec.timeout_tx_height,
			"created_ms", (json_int_t)rec.created_ms, "updated_ms", (json_int_t)rec.updated_ms,
			"transitions", (int)rec.transitions);
	if (!doc)
		px_err_set(err, PX_E_NOMEM, "out of memory");
	return doc;
unknown:
	px_err_set(err, PX_E_IBC_NOT_FOUND, "no packet %s/%s/%s/%" PRIu64 " in the journal",
		   ref->chain, ref->port, ref->channel, ref->sequence);
	return NULL;
}

/* --- start and stop -------------------------------------------------------------- */

static bool listen_on(struct relay_obs *o, struct px_err *err, int slot, const char *name,
		      const char *listen, unsigned serve)
{
	struct rly_status_http_opts ho = { 0 };

	ho.name = name;
	ho.listen = listen;
	ho.serve = serve;
	ho.metrics = o->reg;
	ho.status = status_json;
	ho.packet = packet_json;
	ho.arg = o;
	if (!rly_status_http_new(err, &o->srv[slot], cmt_loop_lws_context(o->r->loop), &ho))
		return false;
	px_info(OBS_MOD, "%s: serving %s%s%s on %s (port %d)", name,
		serve & RLY_HTTP_METRICS ? "/metrics" : "",
		serve == (RLY_HTTP_METRICS | RLY_HTTP_STATUS) ? ", " : "",
		serve & RLY_HTTP_STATUS ? "/status, /packets" : "", listen,
		rly_status_http_port(o->srv[slot]));
	return true;
}

static void obs_free(struct relay_obs *o)
{
	if (!o)
		return;
	/* The listeners borrow the registry and o: they go first. */
	rly_status_http_free(o->srv[1]);
	rly_status_http_free(o->srv[0]);
	rly_metrics_free(o->reg);
	free(o->reconnects);
	free(o->halt);
	free(o->chans);
	free(o);
}

bool relay_obs_start(struct relay *r, struct px_err *err)
{
	const struct rly_config *cfg = r->o->cfg;
	bool tel = cfg->telemetry && strcmp(cfg->telemetry, "off") != 0;
	bool st = cfg->status && strcmp(cfg->status, "off") != 0;
	struct rly_listen lt, ls;
	struct relay_obs *o;

	if (r->o->clear)
		return true;	/* a one-shot command: no listeners */
	o = calloc(1, sizeof(*o));
	if (!o)
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	o->r = r;
	o->n_slots = cfg->n_chains;
	o->n_halt = cfg->n_paths;
	o->reconnects = calloc(o->n_slots ? o->n_slots : 1, sizeof(*o->reconnects));
	o->halt = calloc(o->n_halt ? o->n_halt : 1, sizeof(*o->halt));
	o->chans = calloc(CHANNELS_MAX, sizeof(*o->chans));
	if (!o->reconnects || !o->halt || !o->chans) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto fail;
	}
	if (!rly_metrics_new(err, &o->reg) || !rly_relayer_metrics_register(err, &o->m, o->reg) ||
	    !rly_witness_metrics_register(err, &o->wm, o->reg))
		goto fail;
	if ((tel && !rly_listen_parse(err, &lt, "telemetry", cfg->telemetry)) ||
	    (st && !rly_listen_parse(err, &ls, "status", cfg->status)))
		goto fail;
	if (tel && st && lt.port == ls.port && lt.ipv6 == ls.ipv6 &&
	    strcmp(lt.host, ls.host) == 0) {
		/* One address written two ways (localhost:N, 127.0.0.1:N): two
		 * vhosts would share its socket, so one listener serves both. */
		if (!listen_on(o, err, 0, "telemetry", cfg->telemetry,
			       RLY_HTTP_METRICS | RLY_HTTP_STATUS))
			goto fail;
	} else if ((tel && !listen_on(o, err, 0, "telemetry", cfg->telemetry, RLY_HTTP_METRICS)) ||
		   (st && !listen_on(o, err, 1, "status", cfg->status, RLY_HTTP_STATUS))) {
		goto fail;
	}
	o->started_ms = relay_mono_ms();
	r->obs = o;
	obs_current = o;
	return true;
fail:
	obs_free(o);
	return false;
}

void relay_obs_stop(struct relay *r)
{
	if (!r->obs)
		return;
	if (obs_current == r->obs)
		obs_current = NULL;
	obs_free(r->obs);
	r->obs = NULL;
}

const struct rly_witness_metrics *relay_obs_witness_metrics(const struct relay *r)
{
	return r->obs ? &r->obs->wm : NULL;
}

bool relay_obs_serving(const struct relay *r)
{
	return r->obs && (r->obs->srv[0] || r->obs->srv[1]);
}
