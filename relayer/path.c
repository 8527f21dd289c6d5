/* Chains and paths as the relayer drives them (path.h): a chain is its
 * websocket client, its light client (ibcfetch) and its signer (txsub); a
 * path is two ends with their ids. On top: message batches, the client
 * updates a proof needs on the counterparty, checked proofs, and the
 * client, connection and channel handshakes the `create` commands run.
 *
 * Every header and proof handed to a message comes out of rly_fetch, which
 * verified it first; what the counterparty's client holds is itself read
 * with a proof. The devnet (ibc-go v8 rules) and real Cosmos chains take
 * the same messages. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "ibc/codec/msg.h"
#include "ibc/core/paths.h"
#include "relayer/keys.h"
#include "relayer/path.h"

#define MOD "path"
#define TX_WAIT_MS 60000u	/* a transaction's block */
#define HEIGHT_WAIT_MS 60000u	/* the source reaching a provable height */
#define POLL_MS 100

static const char prefix_ibc[] = IBC_STORE_PREFIX;
static const char version_ics20[] = "ics20-1";

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Runs the loop for about ms (returns early on activity, which is fine
 * for the pollers here). */
static bool pause_ms(struct px_err *err, struct cmt_loop *loop, int ms)
{
	if (!cmt_loop_service(loop, ms))
		return px_err_set(err, PX_E_USAGE, "the event loop cannot be run here (inside a "
				  "callback?)");
	return true;
}

/* --- chains ----------------------------------------------------------------- */

static void on_state(void *arg, enum cmt_conn_state state, const struct px_err *why)
{
	struct rly_chain *c = arg;

	(void)state;
	if (why && px_err_is_set(why))
		c->conn_err = *why;
}

static bool connect_wait(struct px_err *err, struct rly_chain *c, uint32_t timeout_ms, bool once)
{
	int64_t deadline = now_ms() + timeout_ms;

	while (cmt_client_state(c->rpc) != CMT_CONNECTED) {
		if (once && px_err_is_set(&c->conn_err))
			return px_err_set(err, PX_E_RPC, "chain %s: cannot connect: %s", c->cfg->id,
					  c->conn_err.msg);
		if (now_ms() >= deadline)
			return px_err_set(err, PX_E_RPC, "chain %s: no connection to %s within %u ms%s%s%s",
					  c->cfg->id, c->cfg->rpc, timeout_ms,
					  c->conn_err.msg[0] ? " (" : "", c->conn_err.msg,
					  c->conn_err.msg[0] ? ")" : "");
		if (!pause_ms(err, c->loop, 50))
			return false;
	}
	return true;
}

/* Waits until the node's latest height is above h (a new chain: the
 * light block at h needs the validators of h + 1), at most until
 * deadline_ms. */
static bool wait_above(struct px_err *err, struct rly_chain *c, int64_t h, int64_t deadline_ms)
{
	for (;;) {
		json_t *res = NULL;
		const char *s;
		int64_t latest = 0;

		if (!cmt_client_call_sync(err, &res, c->rpc, "status", json_object(), 10000))
			return false;
		s = json_string_value(json_object_get(json_object_get(res, "sync_info"),
						      "latest_block_height"));
		if (s)
			latest = strtoll(s, NULL, 10);
		json_decref(res);
		if (latest > h)
			return true;
		if (now_ms() >= deadline_ms)
			return px_err_set(err, PX_E_RPC, "chain %s: still at height %" PRId64
					  ", below the trusted height %" PRId64 " + 1", c->cfg->id,
					  latest, h);
		if (!pause_ms(err, c->loop, 100))
			return false;
	}
}

bool rly_chain_open(struct px_err *err, struct rly_chain *out, struct cmt_loop *loop,
		    const struct rly_config_chain *cfg, const struct rly_chain_opts *opts,
		    uint32_t timeout_ms)
{
	struct cmt_client_opts co = { 0 };
	struct rly_fetch_opts fo = { 0 };
	struct rly_fetch_anchor anchor = { 0 };
	struct rly_txsub_opts to;
	struct cosmos_key key;
	struct rly_chain *c = out;
	bool key_loaded = false, ok = false;

	/* out is worked on in place: the state callback holds its address */
	memset(out, 0, sizeof(*out));
	memset(&key, 0, sizeof(key));
	if (!loop || !cfg || !opts || !opts->home)
		return px_err_set(err, PX_E_USAGE, "chain open: want a loop, a chain and a home");
	c->cfg = cfg;
	c->loop = loop;
	if (cfg->has_trusted) {
		anchor.height = (int64_t)cfg->trusted_height;
		memcpy(anchor.hash, cfg->trusted_hash, sizeof(anchor.hash));
	} else if (opts->trust_height > 0) {
		anchor.height = opts->trust_height;
		anchor.on_trust = true;
	} else {
		memset(out, 0, sizeof(*out));
		return px_err_set(err, PX_E_CONFIG, "chain %s: no trusted_height and trusted_hash in "
				  "the configuration", cfg->id);
	}
	/* The key first: a missing key is a configuration error worth
	 * reporting before any network traffic. */
	if (!rly_keys_load(err, &key, NULL, opts->home, cfg->id, cfg->key))
		goto out;
	key_loaded = true;

	co.url = cfg->rpc;
	co.subscribe = opts->subscribe;
	co.start_height = opts->start_height;
	co.on_event = opts->on_event;
	co.event_arg = opts->event_arg;
	co.on_state = on_state;
	co.state_arg = c;
	if (!cmt_client_new(err, &c->rpc, loop, &co) || !connect_wait(err, c, timeout_ms, opts->connect_once))
		goto out;

	if (!wait_above(err, c, anchor.height, now_ms() + timeout_ms))
		goto out;
	fo.chain_id = cfg->id;
	fo.tm.trust_num = cfg->trust_num;
	fo.tm.trust_den = cfg->trust_den;
	fo.tm.trusting_period_ns = cfg->trusting_period_ns;
	fo.tm.clock_drift_ns = cfg->clock_drift_ns;
	if (!rly_fetch_open(err, &c->fetch, &c->on_trust, c->rpc, &fo, &anchor)) {
		px_err_prefix(err, "chain %s: ", cfg->id);
		goto out;
	}
	if (c->on_trust)
		px_warn(MOD, "chain %s: the light client starts ON TRUST at height %" PRId64
			" (the configuration has no trusted_height/trusted_hash): the node is "
			"believed, not checked, at that height; use this for devnets only",
			cfg->id, anchor.height);
	c->revision = rly_fetch_revision(c->fetch);

	rly_txsub_opts_from_config(&to, cfg);
	to.key = &key;
	if (!rly_txsub_open(err, &c->tx, loop, c->rpc, &to)) {
		px_err_prefix(err, "chain %s: ", cfg->id);
		goto out;
	}
	ok = true;
out:
	if (key_loaded)
		cosmos_key_wipe(&key);
	if (!ok)
		rly_chain_close(c);
	return ok;
}

void rly_chain_close(struct rly_chain *c)
{
	if (!c)
		return;
	/* the submitter and the light client borrow the websocket client */
	rly_txsub_close(c->tx);
	rly_fetch_free(c->fetch);
	if (c->rpc)
		cmt_client_free(c->rpc);
	memset(c, 0, sizeof(*c));
}

bool rly_chain_provable(struct px_err *err, int64_t *out, struct rly_chain *c)
{
	int64_t head;

	*out = 0;
	if (!rly_fetch_head(err, &head, c->fetch)) {
		px_err_prefix(err, "chain %s: ", c->cfg->id);
		return false;
	}
	if (head < 2)
		return px_err_set(err, PX_E_RPC, "chain %s: no provable height yet (head %" PRId64 ")",
				  c->cfg->id, head);
	*out = head - 1;
	return true;
}

bool rly_chain_wait_provable(struct px_err *err, struct rly_chain *c, int64_t height,
			     uint32_t timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms, v = 0;

	for (;;) {
		if (!rly_fetch_head(err, &v, c->fetch)) {
			px_err_prefix(err, "chain %s: ", c->cfg->id);
			return false;
		}
		v--;	/* provable: the head less one, perhaps 0 for now */
		if (v >= height)
			return true;
		if (now_ms() >= deadline)
			return px_err_set(err, PX_E_RPC, "chain %s: height %" PRId64 " not provable "
					  "within %u ms (provable %" PRId64 ")", c->cfg->id, height,
					  timeout_ms, v);
		if (!pause_ms(err, c->loop, POLL_MS))
			return false;
	}
}

/* --- paths ------------------------------------------------------------------ */

static void id_from_config(char out[IBC_ID_MAX + 1], const char *id)
{
	if (!id || strcmp(id, "create") == 0)
		out[0] = 0;
	else
		snprintf(out, IBC_ID_MAX + 1, "%s", id);
}

static void end_from_config(struct rly_end *e, const struct rly_config_end *cfg, const char *port,
			    struct rly_chain *chain)
{
	memset(e, 0, sizeof(*e));
	e->chain = chain;
	id_from_config(e->client_id, cfg->client);
	id_from_config(e->connection_id, cfg->connection);
	id_from_config(e->channel_id, cfg->channel);
	snprintf(e->port_id, sizeof(e->port_id), "%s", port && port[0] ? port : "transfer");
}

void rly_path_from_config(struct rly_path *p, const struct rly_config_path *cfg,
			  struct rly_chain *a, struct rly_chain *b)
{
	end_from_config(&p->a, &cfg->a, cfg->port, a);
	end_from_config(&p->b, &cfg->b, cfg->port, b);
}

/* --- messages --------------------------------------------------------------- */

void rly_msgs_init(struct rly_msgs *m)
{
	memset(m, 0, sizeof(*m));
}

bool rly_msgs_add(struct px_err *err, struct rly_msgs *m, const char *url, const uint8_t *val,
		  size_t len)
{
	struct px_buf *v;
	size_t ulen = url ? strlen(url) : 0;

	if (ulen == 0 || ulen >= RLY_URL_MAX || (len && !val))
		return px_err_set(err, PX_E_USAGE, "message: type URL of 1..%d bytes and a value wanted",
				  RLY_URL_MAX - 1);
	if (m->n >= RLY_MSGS_MAX)
		return px_err_set(err, PX_E_TOO_LARGE, "more than %d messages in one transaction",
				  RLY_MSGS_MAX);
	v = &m->vals[m->n];
	px_buf_init(v);
	px_buf_append(v, val, len);
	if (!px_buf_ok(v)) {
		px_buf_free(v);
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	}
	memcpy(m->urls[m->n], url, ulen + 1);
	m->n++;
	return true;
}

bool rly_msgs_add_ibc(struct px_err *err, struct rly_msgs *m, const struct ibc_msg *msg)
{
	char url[RLY_URL_MAX];
	const char *u = ibc_msg_type_url(msg->kind);
	struct px_buf b = PX_BUF_INIT;
	bool ok;

	if (!u) {
		if (msg->any.type_url.len == 0 || msg->any.type_url.len >= sizeof(url))
			return px_err_set(err, PX_E_USAGE, "message: no type URL");
		memcpy(url, msg->any.type_url.ptr, msg->any.type_url.len);
		url[msg->any.type_url.len] = 0;
		u = url;
	}
	if (m->n >= RLY_MSGS_MAX)
		return px_err_set(err, PX_E_TOO_LARGE, "more than %d messages in one transaction",
				  RLY_MSGS_MAX);
	ok = ibc_msg_encode(err, &b, msg) && rly_msgs_add(err, m, u, b.data, b.len);
	px_buf_free(&b);
	return ok;
}

void rly_msgs_clear(struct rly_msgs *m)
{
	for (size_t i = 0; i < m->n && i < RLY_MSGS_MAX; i++)
		px_buf_free(&m->vals[i]);
	rly_msgs_init(m);
}

void rly_msgs_any(const struct rly_msgs *m, struct cosmos_any *out)
{
	for (size_t i = 0; i < m->n; i++) {
		out[i].type_url = cosmos_str(m->urls[i]);
		out[i].value = px_slice_of(&m->vals[i]);
	}
}

/* "ID: " in front of the message unless the submitter put it there. */
static void prefix_chain(struct px_err *err, const char *id)
{
	size_t n = strlen(id);

	if (err && (strncmp(err->msg, id, n) != 0 || err->msg[n] != ':'))
		px_err_prefix(err, "%s: ", id);
}

bool rly_end_submit(struct px_err *err, struct rly_tx_result *out, struct rly_end *dst,
		    const struct rly_msgs *m, uint32_t timeout_ms)
{
	struct cosmos_any *anys;
	char hash[RLY_TX_HASH_HEX_LEN + 1];
	uint64_t sequence;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	if (m->n == 0 || m->n > RLY_MSGS_MAX)
		return px_err_set(err, PX_E_USAGE, "submit: %zu messages", m->n);
	anys = calloc(m->n, sizeof(*anys));
	if (!anys)
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	rly_msgs_any(m, anys);
	if (!rly_txsub_submit(err, out, dst->chain->tx, anys, m->n, NULL)) {
		prefix_chain(err, dst->chain->cfg->id);
		goto out;
	}
	memcpy(hash, out->hash, sizeof(hash));
	sequence = out->sequence;
	rly_tx_result_clear(out);
	if (!rly_txsub_wait(err, out, dst->chain->tx, hash, timeout_ms)) {
		px_err_prefix(err, "tx %s: ", hash);
		prefix_chain(err, dst->chain->cfg->id);
		goto out;
	}
	out->sequence = sequence;
	ok = true;
out:
	free(anys);
	return ok;
}

/* --- clients ---------------------------------------------------------------- */

bool rly_end_prove(struct px_err *err, struct rly_proof *out, struct rly_end *src,
		   const char *key, int64_t version)
{
	memset(out, 0, sizeof(*out));
	if (!key || !key[0])
		return px_err_set(err, PX_E_USAGE, "prove: empty key");
	if (!rly_fetch_prove(err, out, src->chain->fetch, IBC_STORE_PREFIX, (const uint8_t *)key,
			     strlen(key), version)) {
		px_err_prefix(err, "%s: %s at %" PRId64 ": ", src->chain->cfg->id, key, version);
		return false;
	}
	return true;
}

bool rly_end_client_state(struct px_err *err, struct ibc_tm_client_state *out,
			  struct rly_end *dst)
{
	struct ibc_path key;
	struct rly_proof pr;
	struct ibc_msg m;
	int64_t v;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	if (!ibc_path_client_state(err, &key, dst->client_id) ||
	    !rly_chain_provable(err, &v, dst->chain) || !rly_end_prove(err, &pr, dst, key.s, v))
		return false;
	if (!pr.exists) {
		px_err_set(err, PX_E_IBC_NOT_FOUND, "%s: client %s does not exist (proven absent at "
			   "%" PRId64 ")", dst->chain->cfg->id, dst->client_id, v);
		goto out;
	}
	if (!ibc_msg_decode_any(err, &m, pr.value.data, pr.value.len)) {
		px_err_prefix(err, "%s: client %s: ", dst->chain->cfg->id, dst->client_id);
		goto out;
	}
	if (m.kind != IBC_MSG_TM_CLIENT_STATE) {
		px_err_set(err, PX_E_UNSUPPORTED, "%s: client %s is not a 07-tendermint client",
			   dst->chain->cfg->id, dst->client_id);
	} else {
		*out = m.u.tm_client_state;
		ok = true;
	}
	ibc_msg_free(&m);
out:
	rly_proof_free(&pr);
	return ok;
}

bool rly_end_consensus_state(struct px_err *err, struct ibc_tm_consensus_state *out,
			     struct rly_end *dst, struct ibc_height height)
{
	struct ibc_path key;
	struct rly_proof pr;
	struct ibc_msg m;
	int64_t v;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	if (!ibc_path_consensus_state(err, &key, dst->client_id, height) ||
	    !rly_chain_provable(err, &v, dst->chain) || !rly_end_prove(err, &pr, dst, key.s, v))
		return false;
	if (!pr.exists) {
		px_err_set(err, PX_E_IBC_NOT_FOUND, "%s: client %s has no consensus state at %" PRIu64
			   "-%" PRIu64 " (proven absent at %" PRId64 ")", dst->chain->cfg->id,
			   dst->client_id, height.revision_number, height.revision_height, v);
		goto out;
	}
	if (!ibc_msg_decode_any(err, &m, pr.value.data, pr.value.len)) {
		px_err_prefix(err, "%s: client %s consensus state: ", dst->chain->cfg->id,
			      dst->client_id);
		goto out;
	}
	if (m.kind != IBC_MSG_TM_CONSENSUS_STATE) {
		px_err_set(err, PX_E_UNSUPPORTED, "%s: client %s: not a 07-tendermint consensus state",
			   dst->chain->cfg->id, dst->client_id);
	} else {
		*out = m.u.tm_consensus_state;
		ok = true;
	}
	ibc_msg_free(&m);
out:
	rly_proof_free(&pr);
	return ok;
}

bool rly_end_client_height(struct px_err *err, struct ibc_height *out, struct rly_end *dst)
{
	struct ibc_tm_client_state cs;

	memset(out, 0, sizeof(*out));
	if (!rly_end_client_state(err, &cs, dst))
		return false;
	*out = cs.latest_height;
	return true;
}

/* MsgUpdateClient of dst's client with one Header Any (an encoded Any). */
static bool add_update(struct px_err *err, struct rly_msgs *m, struct rly_end *dst,
		       const struct px_buf *header_any)
{
	struct ibc_msg u;

	memset(&u, 0, sizeof(u));
	u.kind = IBC_MSG_UPDATE_CLIENT;
	snprintf(u.u.update_client.client_id, sizeof(u.u.update_client.client_id), "%s",
		 dst->client_id);
	if (!ibc_any_decode(err, &u.u.update_client.client_message, header_any->data,
			    header_any->len))
		return false;
	u.u.update_client.has_client_message = true;
	u.u.update_client.signer = cosmos_str(rly_txsub_address(dst->chain->tx));
	return rly_msgs_add_ibc(err, m, &u);
}

/* Whether src's light client can verify height: it holds a state at or
 * below it (it verifies forward only). */
static bool verifiable(const struct rly_end *src, int64_t height)
{
	const struct tm_client *lc = rly_fetch_client(src->chain->fetch);

	return lc->nstates > 0 && lc->states[0].header.height <= height;
}

/* Headers that take dst's client of src from trusted to target. A
 * trusted height below every state src's light client holds (a client
 * that packets have not touched for a while) is taken from what dst's
 * client holds there: its consensus state, read with a proof. */
static bool add_updates(struct px_err *err, struct rly_msgs *m, struct rly_end *dst,
			struct rly_end *src, int64_t trusted, int64_t target)
{
	struct px_buf any = PX_BUF_INIT;
	struct px_err one = { 0 };
	struct rly_trace trace;
	struct ibc_tm_consensus_state cons, *cs = NULL;
	size_t start = m->n;
	bool ok;

	if (!verifiable(src, trusted)) {
		struct ibc_height h = { src->chain->revision, (uint64_t)trusted };

		if (!rly_end_consensus_state(err, &cons, dst, h))
			return false;
		cs = &cons;
	}
	if (rly_fetch_update_header_from(&one, &any, src->chain->fetch, trusted, cs, target)) {
		ok = add_update(err, m, dst, &any);
		px_buf_free(&any);
		return ok;
	}
	px_buf_free(&any);
	if (one.code != PX_E_NOT_ENOUGH_TRUST) {
		px_err_set(err, one.code, "%s", one.msg);
		return false;
	}
	/* The trusted validators alone do not carry the target: the
	 * bisection trace, one MsgUpdateClient per step. */
	if (!rly_fetch_update_trace_from(err, &trace, src->chain->fetch, trusted, cs, target))
		return false;
	ok = true;
	for (size_t i = 0; i < trace.len && ok; i++)
		ok = add_update(err, m, dst, &trace.anys[i]);
	rly_trace_free(&trace);
	if (!ok) {
		for (size_t i = start; i < m->n; i++)
			px_buf_free(&m->vals[i]);
		m->n = start;
	}
	return ok;
}

bool rly_path_update_msgs(struct px_err *err, struct rly_msgs *m, int64_t *version,
			  struct rly_end *dst, struct rly_end *src, int64_t min_version)
{
	struct ibc_tm_client_state cs;
	int64_t latest, head = 0, deadline = now_ms() + HEIGHT_WAIT_MS;
	const char *src_id = src->chain->cfg->id;

	*version = 0;
	if (min_version < 1)
		min_version = 1;
	if (!rly_end_client_state(err, &cs, dst))
		return false;
	if (strcmp(cs.chain_id, src_id) != 0)
		return px_err_set(err, PX_E_CHAIN_ID, "%s: client %s follows chain %s, not %s",
				  dst->chain->cfg->id, dst->client_id, cs.chain_id, src_id);
	if (!ibc_height_is_zero(cs.frozen_height))
		return px_err_set(err, PX_E_FROZEN, "%s: client %s is frozen", dst->chain->cfg->id,
				  dst->client_id);
	if (cs.latest_height.revision_number != src->chain->revision ||
	    cs.latest_height.revision_height > (uint64_t)INT64_MAX / 2)
		return px_err_set(err, PX_E_UNSUPPORTED, "%s: client %s is at %" PRIu64 "-%" PRIu64
				  ", another revision than %s's %" PRIu64, dst->chain->cfg->id,
				  dst->client_id, cs.latest_height.revision_number,
				  cs.latest_height.revision_height, src_id, src->chain->revision);
	latest = (int64_t)cs.latest_height.revision_height;
	for (;;) {
		if (!rly_fetch_head(err, &head, src->chain->fetch)) {
			px_err_prefix(err, "%s: ", src_id);
			return false;
		}
		/* The client already holds a consensus state late enough, at a
		 * height this relayer can verify: prove there, no update. */
		if (latest - 1 >= min_version && latest <= head && verifiable(src, latest)) {
			*version = latest - 1;
			return true;
		}
		if (head - 1 >= min_version && head > latest)
			break;
		if (now_ms() >= deadline)
			return px_err_set(err, PX_E_RPC, "%s: height %" PRId64 " not provable within %u "
					  "ms (verifiable head %" PRId64 ")", src_id, min_version,
					  HEIGHT_WAIT_MS, head);
		if (!pause_ms(err, src->chain->loop, POLL_MS))
			return false;
	}
	if (!add_updates(err, m, dst, src, latest, head)) {
		px_err_prefix(err, "update %s's client %s from %" PRId64 " to %" PRId64 ": ",
			      dst->chain->cfg->id, dst->client_id, latest, head);
		return false;
	}
	*version = head - 1;
	return true;
}

/* --- transactions with one outcome ------------------------------------------- */

static const char *json_str(const json_t *v)
{
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The value of attribute key in the first event of type, or NULL. */
static const char *event_attr(const json_t *events, const char *type, const char *key)
{
	size_t i, j;
	json_t *ev, *a;

	json_array_foreach(events, i, ev) {
		const char *t = json_str(json_object_get(ev, "type"));

		if (!t || strcmp(t, type) != 0)
			continue;
		json_array_foreach(json_object_get(ev, "attributes"), j, a) {
			const char *k = json_str(json_object_get(a, "key"));

			if (k && strcmp(k, key) == 0)
				return json_str(json_object_get(a, "value"));
		}
	}
	return NULL;
}

/* Submits m on dst and waits for it; with id_kind >= 0, copies the id the
 * event type/key names into id_out (checked as an identifier). The
 * block height goes to *height. Clears m. */
static bool submit_step(struct px_err *err, int64_t *height, struct rly_end *dst,
			struct rly_msgs *m, const char *what, const char *event, const char *key,
			int id_kind, char id_out[IBC_ID_MAX + 1])
{
	struct rly_tx_result r;
	const char *id;
	bool ok = false;

	*height = 0;
	if (!rly_end_submit(err, &r, dst, m, TX_WAIT_MS)) {
		if (r.code)
			px_err_prefix(err, "%s refused (%s %u): ", what, r.codespace, r.code);
		else
			px_err_prefix(err, "%s: ", what);
		goto out;
	}
	if (id_kind >= 0) {
		id = event_attr(r.events, event, key);
		if (!id) {
			px_err_set(err, PX_E_RPC, "%s: %s: no %s.%s event", dst->chain->cfg->id, what,
				   event, key);
			goto out;
		}
		if (!ibc_id_check(err, (enum ibc_id_kind)id_kind, id)) {
			px_err_prefix(err, "%s: %s: ", dst->chain->cfg->id, what);
			goto out;
		}
		snprintf(id_out, IBC_ID_MAX + 1, "%s", id);
	}
	*height = r.height;
	/* What follows reads this chain at its provable height (its own
	 * client states included): wait until that sees this block. */
	if (!rly_chain_wait_provable(err, dst->chain, r.height, HEIGHT_WAIT_MS))
		goto out;
	px_info(MOD, "%s: %s in block %" PRId64 "%s%s", dst->chain->cfg->id, what, r.height,
		id_kind >= 0 ? ": " : "", id_kind >= 0 ? id_out : "");
	ok = true;
out:
	rly_tx_result_clear(&r);
	rly_msgs_clear(m);
	return ok;
}

/* Appends to m the client updates for a proof of key on src made after
 * min_version, then proves key (it must exist). */
static bool prepare_proof(struct px_err *err, struct rly_msgs *m, struct rly_proof *proof,
			  struct rly_end *dst, struct rly_end *src, const char *key,
			  int64_t min_version)
{
	int64_t v;

	memset(proof, 0, sizeof(*proof));
	if (!rly_path_update_msgs(err, m, &v, dst, src, min_version) ||
	    !rly_end_prove(err, proof, src, key, v))
		return false;
	if (!proof->exists) {
		rly_proof_free(proof);
		return px_err_set(err, PX_E_IBC_NOT_FOUND, "%s: %s is absent at %" PRId64,
				  src->chain->cfg->id, key, v);
	}
	return true;
}

/* --- handshakes ------------------------------------------------------------- */

static bool create_client(struct px_err *err, struct rly_end *dst, struct rly_end *src)
{
	struct px_buf cs = PX_BUF_INIT, cons = PX_BUF_INIT;
	struct rly_msgs m;
	struct ibc_msg c;
	int64_t head, height;
	bool ok = false;

	rly_msgs_init(&m);
	memset(&c, 0, sizeof(c));
	c.kind = IBC_MSG_CREATE_CLIENT;
	/* Header 1 carries the genesis app hash (empty on a devnet): a
	 * consensus state needs a root, so the head must be 2 or more. */
	if (!rly_chain_wait_provable(err, src->chain, 1, HEIGHT_WAIT_MS) ||
	    !rly_fetch_head(err, &head, src->chain->fetch) ||
	    !rly_fetch_create_client(err, &cs, &cons, src->chain->fetch, head) ||
	    !ibc_any_decode(err, &c.u.create_client.client_state, cs.data, cs.len) ||
	    !ibc_any_decode(err, &c.u.create_client.consensus_state, cons.data, cons.len)) {
		px_err_prefix(err, "%s: client material at its head: ", src->chain->cfg->id);
		goto out;
	}
	c.u.create_client.has_client_state = c.u.create_client.has_consensus_state = true;
	c.u.create_client.signer = cosmos_str(rly_txsub_address(dst->chain->tx));
	if (!rly_msgs_add_ibc(err, &m, &c))
		goto out;
	ok = submit_step(err, &height, dst, &m, "MsgCreateClient", "create_client", "client_id",
			 IBC_ID_CLIENT, dst->client_id);
out:
	rly_msgs_clear(&m);
	px_buf_free(&cs);
	px_buf_free(&cons);
	return ok;
}

bool rly_path_create_clients(struct px_err *err, struct rly_path *p)
{
	if (!p->a.client_id[0] && !create_client(err, &p->a, &p->b))
		return false;
	if (!p->b.client_id[0] && !create_client(err, &p->b, &p->a))
		return false;
	return true;
}

/* Version "1" with both orderings: what ibc-go proposes and accepts. */
static void conn_version(struct ibc_version *v)
{
	memset(v, 0, sizeof(*v));
	snprintf(v->identifier, sizeof(v->identifier), "1");
	snprintf(v->features[0], sizeof(v->features[0]), "ORDER_ORDERED");
	snprintf(v->features[1], sizeof(v->features[1]), "ORDER_UNORDERED");
	v->features_len = 2;
}

static bool need_ids(struct px_err *err, const struct rly_path *p, bool channel)
{
	if (!p->a.client_id[0] || !p->b.client_id[0])
		return px_err_set(err, PX_E_USAGE, "both clients are needed first");
	if (channel && (!p->a.connection_id[0] || !p->b.connection_id[0]))
		return px_err_set(err, PX_E_USAGE, "both connection ids are needed first");
	return true;
}

bool rly_path_open_connection(struct px_err *err, struct rly_path *p)
{
	struct rly_end *a = &p->a, *b = &p->b;
	struct rly_msgs m;
	struct rly_proof pr = { 0 };
	struct ibc_path key;
	struct ibc_msg x;
	int64_t h;
	bool ok = false;

	rly_msgs_init(&m);
	if (!need_ids(err, p, false))
		return false;
	if (a->connection_id[0] && b->connection_id[0])
		return true;
	if (a->connection_id[0] || b->connection_id[0])
		return px_err_set(err, PX_E_USAGE, "one connection id without the other: a half-open "
				  "handshake is not resumed");

	memset(&x, 0, sizeof(x));
	x.kind = IBC_MSG_CONNECTION_OPEN_INIT;
	snprintf(x.u.connection_open_init.client_id, IBC_ID_MAX + 1, "%s", a->client_id);
	snprintf(x.u.connection_open_init.counterparty.client_id, IBC_ID_MAX + 1, "%s",
		 b->client_id);
	x.u.connection_open_init.counterparty.prefix = cosmos_str(prefix_ibc);
	x.u.connection_open_init.signer = cosmos_str(rly_txsub_address(a->chain->tx));
	if (!rly_msgs_add_ibc(err, &m, &x) ||
	    !submit_step(err, &h, a, &m, "ConnOpenInit", "connection_open_init", "connection_id",
			 IBC_ID_CONNECTION, a->connection_id))
		goto out;

	if (!ibc_path_connection(err, &key, a->connection_id) ||
	    !prepare_proof(err, &m, &pr, b, a, key.s, h))
		goto out;
	memset(&x, 0, sizeof(x));
	x.kind = IBC_MSG_CONNECTION_OPEN_TRY;
	snprintf(x.u.connection_open_try.client_id, IBC_ID_MAX + 1, "%s", b->client_id);
	snprintf(x.u.connection_open_try.counterparty.client_id, IBC_ID_MAX + 1, "%s",
		 a->client_id);
	snprintf(x.u.connection_open_try.counterparty.connection_id, IBC_ID_MAX + 1, "%s",
		 a->connection_id);
	x.u.connection_open_try.counterparty.prefix = cosmos_str(prefix_ibc);
	conn_version(&x.u.connection_open_try.counterparty_versions[0]);
	x.u.connection_open_try.counterparty_versions_len = 1;
	x.u.connection_open_try.proof_init = px_slice_of(&pr.proof);
	x.u.connection_open_try.proof_height = pr.proof_height;
	x.u.connection_open_try.signer = cosmos_str(rly_txsub_address(b->chain->tx));
	if (!rly_msgs_add_ibc(err, &m, &x) ||
	    !submit_step(err, &h, b, &m, "ConnOpenTry", "connection_open_try", "connection_id",
			 IBC_ID_CONNECTION, b->connection_id))
		goto out;
	rly_proof_free(&pr);

	if (!ibc_path_connection(err, &key, b->connection_id) ||
	    !prepare_proof(err, &m, &pr, a, b, key.s, h))
		goto out;
	memset(&x, 0, sizeof(x));
	x.kind = IBC_MSG_CONNECTION_OPEN_ACK;
	snprintf(x.u.connection_open_ack.connection_id, IBC_ID_MAX + 1, "%s", a->connection_id);
	snprintf(x.u.connection_open_ack.counterparty_connection_id, IBC_ID_MAX + 1, "%s",
		 b->connection_id);
	x.u.connection_open_ack.has_version = true;
	conn_version(&x.u.connection_open_ack.version);
	x.u.connection_open_ack.proof_try = px_slice_of(&pr.proof);
	x.u.connection_open_ack.proof_height = pr.proof_height;
	x.u.connection_open_ack.signer = cosmos_str(rly_txsub_address(a->chain->tx));
	if (!rly_msgs_add_ibc(err, &m, &x) ||
	    !submit_step(err, &h, a, &m, "ConnOpenAck", NULL, NULL, -1, NULL))
		goto out;
	rly_proof_free(&pr);

	if (!ibc_path_connection(err, &key, a->connection_id) ||
	    !prepare_proof(err, &m, &pr, b, a, key.s, h))
		goto out;
	memset(&x, 0, sizeof(x));
	x.kind = IBC_MSG_CONNECTION_OPEN_CONFIRM;
	snprintf(x.u.connection_open_confirm.connection_id, IBC_ID_MAX + 1, "%s",
		 b->connection_id);
	x.u.connection_open_confirm.proof_ack = px_slice_of(&pr.proof);
	x.u.connection_open_confirm.proof_height = pr.proof_height;
	x.u.connection_open_confirm.signer = cosmos_str(rly_txsub_address(b->chain->tx));
	if (!rly_msgs_add_ibc(err, &m, &x) ||
	    !submit_step(err, &h, b, &m, "ConnOpenConfirm", NULL, NULL, -1, NULL))
		goto out;
	ok = true;
out:
	rly_proof_free(&pr);
	rly_msgs_clear(&m);
	return ok;
}

/* An unordered ICS-20 channel end over connection. */
static void chan_end(struct ibc_channel *c, enum ibc_channel_state st, const char *cp_port,
		     const char *cp_chan, const char *connection)
{
	memset(c, 0, sizeof(*c));
	c->state = st;
	c->ordering = IBC_ORDER_UNORDERED;
	snprintf(c->counterparty.port_id, IBC_ID_MAX + 1, "%s", cp_port);
	snprintf(c->counterparty.channel_id, IBC_ID_MAX + 1, "%s", cp_chan);
	snprintf(c->connection_hops[0], IBC_ID_MAX + 1, "%s", connection);
	c->connection_hops_len = 1;
	snprintf(c->version, IBC_ID_MAX + 1, "%s", version_ics20);
}

bool rly_path_open_channel(struct px_err *err, struct rly_path *p)
{
	struct rly_end *a = &p->a, *b = &p->b;
	struct rly_msgs m;
	struct rly_proof pr = { 0 };
	struct ibc_path key;
	struct ibc_msg x;
	int64_t h;
	bool ok = false;

	rly_msgs_init(&m);
	if (!need_ids(err, p, true))
		return false;
	if (a->channel_id[0] && b->channel_id[0])
		return true;
	if (a->channel_id[0] || b->channel_id[0])
		return px_err_set(err, PX_E_USAGE, "one channel id without the other: a half-open "
				  "handshake is not resumed");
	if (!a->port_id[0])
		snprintf(a->port_id, sizeof(a->port_id), "transfer");
	if (!b->port_id[0])
		snprintf(b->port_id, sizeof(b->port_id), "%s", a->port_id);

	memset(&x, 0, sizeof(x));
	x.kind = IBC_MSG_CHANNEL_OPEN_INIT;
	snprintf(x.u.channel_open_init.port_id, IBC_ID_MAX + 1, "%s", a->port_id);
	chan_end(&x.u.channel_open_init.channel, IBC_CHAN_INIT, b->port_id, "", a->connection_id);
	x.u.channel_open_init.signer = cosmos_str(rly_txsub_address(a->chain->tx));
	if (!rly_msgs_add_ibc(err, &m, &x) ||
	    !submit_step(err, &h, a, &m, "ChanOpenInit", "channel_open_init", "channel_id",
			 IBC_ID_CHANNEL, a->channel_id))
		goto out;

	if (!ibc_path_channel(err, &key, a->port_id, a->channel_id) ||
	    !prepare_proof(err, &m, &pr, b, a, key.s, h))
		goto out;
	memset(&x, 0, sizeof(x));
	x.kind = IBC_MSG_CHANNEL_OPEN_TRY;
	snprintf(x.u.channel_open_try.port_id, IBC_ID_MAX + 1, "%s", b->port_id);
	chan_end(&x.u.channel_open_try.channel, IBC_CHAN_TRYOPEN, a->port_id, a->channel_id,
		 b->connection_id);
	x.u.channel_open_try.counterparty_version = cosmos_str(version_ics20);
	x.u.channel_open_try.proof_init = px_slice_of(&pr.proof);
	x.u.channel_open_try.proof_height = pr.proof_height;
	x.u.channel_open_try.signer = cosmos_str(rly_txsub_address(b->chain->tx));
	if (!rly_msgs_add_ibc(err, &m, &x) ||
	    !submit_step(err, &h, b, &m, "ChanOpenTry", "channel_open_try", "channel_id",
			 IBC_ID_CHANNEL, b->channel_id))
		goto out;
	rly_proof_free(&pr);

	if (!ibc_path_channel(err, &key, b->port_id, b->channel_id) ||
	    !prepare_proof(err, &m, &pr, a, b, key.s, h))
		goto out;
	memset(&x, 0, sizeof(x));
	x.kind = IBC_MSG_CHANNEL_OPEN_ACK;
	snprintf(x.u.channel_open_ack.port_id, IBC_ID_MAX + 1, "%s", a->port_id);
	snprintf(x.u.channel_open_ack.channel_id, IBC_ID_MAX + 1, "%s", a->channel_id);
	snprintf(x.u.channel_open_ack.counterparty_channel_id, IBC_ID_MAX + 1, "%s",
		 b->channel_id);
	x.u.channel_open_ack.counterparty_version = cosmos_str(version_ics20);
	x.u.channel_open_ack.proof_try = px_slice_of(&pr.proof);
	x.u.channel_open_ack.proof_height = pr.proof_height;
	x.u.channel_open_ack.signer = cosmos_str(rly_txsub_address(a->chain->tx));
	if (!rly_msgs_add_ibc(err, &m, &x) ||
	    !submit_step(err, &h, a, &m, "ChanOpenAck", NULL, NULL, -1, NULL))
		goto out;
	rly_proof_free(&pr);

	if (!ibc_path_channel(err, &key, a->port_id, a->channel_id) ||
	    !prepare_proof(err, &m, &pr, b, a, key.s, h))
		goto out;
	memset(&x, 0, sizeof(x));
	x.kind = IBC_MSG_CHANNEL_OPEN_CONFIRM;
	snprintf(x.u.channel_open_confirm.port_id, IBC_ID_MAX + 1, "%s", b->port_id);
	snprintf(x.u.channel_open_confirm.channel_id, IBC_ID_MAX + 1, "%s", b->channel_id);
	x.u.channel_open_confirm.proof_ack = px_slice_of(&pr.proof);
	x.u.channel_open_confirm.proof_height = pr.proof_height;
	x.u.channel_open_confirm.signer = cosmos_str(rly_txsub_address(b->chain->tx));
	if (!rly_msgs_add_ibc(err, &m, &x) ||
	    !submit_step(err, &h, b, &m, "ChanOpenConfirm", NULL, NULL, -1, NULL))
		goto out;
	ok = true;
out:
	rly_proof_free(&pr);
	rly_msgs_clear(&m);
	return ok;
}
