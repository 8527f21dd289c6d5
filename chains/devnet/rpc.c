/* CometBFT JSON-RPC methods over the devnet node (see rpc.h). Parameters
 * arrive typed (JSON POST) or as strings (GET query strings, already
 * unquoted by the server), so each getter takes either form, strictly. */
#include "chains/devnet/rpc.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "chains/devnet/json_tm.h"
#include "chains/devnet/rpc_internal.h"
#include "common/encoding.h"
#include "common/hash.h"
#include "common/number.h"

#define ABCI_CODE_UNKNOWN_REQUEST 6	/* cosmos-sdk ErrUnknownRequest */
#define ABCI_CODE_INVALID_HEIGHT 26	/* cosmos-sdk ErrInvalidHeight */

json_t *rpc_fail(struct devnet_rpc_error *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (e->code)
		return NULL;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->data, sizeof(e->data), fmt, ap);
	va_end(ap);
	return NULL;
}

const json_t *rpc_param(const struct call *c, const char *name)
{
	if (json_is_object(c->params))
		return json_object_get(c->params, name);
	if (json_is_array(c->params)) {
		for (size_t i = 0; c->names[i]; i++) {
			if (strcmp(c->names[i], name) == 0)
				return json_array_get(c->params, i);
		}
	}
	return NULL;
}

/* An int64 param: integer or decimal string; absent, null or "" leaves
 * *out (the default). */
bool rpc_get_i64(const struct call *c, int64_t *out, const char *name)
{
	const json_t *v = rpc_param(c, name);
	struct px_err err = { 0 };

	if (!v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0))
		return true;
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return true;
	}
	if (json_is_string(v) && px_parse_i64(&err, out, json_string_value(v), json_string_length(v)))
		return true;
	rpc_fail(c->e, DEVNET_RPC_INVALID_PARAMS, "%s: want an integer", name);
	return false;
}

bool rpc_get_bool(const struct call *c, bool *out, const char *name)
{
	const json_t *v = rpc_param(c, name);

	if (!v || json_is_null(v))
		return true;
	if (json_is_boolean(v)) {
		*out = json_is_true(v);
		return true;
	}
	if (json_is_string(v) && (strcmp(json_string_value(v), "true") == 0 ||
				  strcmp(json_string_value(v), "false") == 0)) {
		*out = strcmp(json_string_value(v), "true") == 0;
		return true;
	}
	rpc_fail(c->e, DEVNET_RPC_INVALID_PARAMS, "%s: want true or false", name);
	return false;
}

bool rpc_get_string(const struct call *c, const char **out, const char *name)
{
	const json_t *v = rpc_param(c, name);

	if (!v || json_is_null(v))
		return true;
	if (json_is_string(v)) {
		*out = json_string_value(v);
		return true;
	}
	rpc_fail(c->e, DEVNET_RPC_INVALID_PARAMS, "%s: want a string", name);
	return false;
}

/* A height param: 0 or absent is the latest; otherwise within the stored
 * range, with CometBFT's messages. */
bool rpc_present(const struct call *c, const char *name)
{
	const json_t *v = rpc_param(c, name);

	return v && !json_is_null(v) && !(json_is_string(v) && json_string_length(v) == 0);
}

/* A height param: absent is the latest; otherwise positive and within the
 * stored range, with CometBFT's messages. */
bool rpc_get_height(const struct call *c, const struct devnet_node *n, int64_t *out,
		       const char *name)
{
	int64_t h = 0, latest = devnet_node_height(n), base = devnet_node_earliest(n);

	if (!rpc_get_i64(c, &h, name))
		return false;
	if (rpc_present(c, name) && h <= 0) {
		rpc_fail(c->e, DEVNET_RPC_INTERNAL, "height must be greater than 0, but got %" PRId64, h);
		return false;
	}
	if (latest == 0) {
		rpc_fail(c->e, DEVNET_RPC_INTERNAL, "no blocks yet");
		return false;
	}
	if (h == 0)
		h = latest;
	if (h > latest) {
		rpc_fail(c->e, DEVNET_RPC_INTERNAL,
		     "height %" PRId64 " must be less than or equal to the current blockchain "
		     "height %" PRId64, h, latest);
		return false;
	}
	if (h < base) {
		rpc_fail(c->e, DEVNET_RPC_INTERNAL,
		     "height %" PRId64 " is not available, lowest height is %" PRId64, h, base);
		return false;
	}
	*out = h;
	return true;
}

static json_t *load_fail(struct devnet_rpc_error *e, const struct px_err *err)
{
	return rpc_fail(e, DEVNET_RPC_INTERNAL, "%s", err->msg);
}

static json_t *m_health(const struct devnet_rpc *r, struct call *c)
{
	return json_object();
}

static json_t *m_genesis(const struct devnet_rpc *r, struct call *c)
{
	return json_pack("{s:O}", "genesis", devnet_node_genesis(r->node)->doc);
}

static json_t *app_hash_b64(const struct devnet_node *n, int64_t version)
{
	uint8_t h[DEVNET_HASH_LEN];
	struct px_err err = { 0 };

	if (version == 0 || !devnet_multi_app_hash(&err, h, devnet_node_multi(n), version))
		return json_string("");
	return devnet_json_b64(h, sizeof(h));
}

static json_t *m_abci_info(const struct devnet_rpc *r, struct call *c)
{
	int64_t h = devnet_node_height(r->node);

	return json_pack("{s:{s:s, s:s, s:s, s:o, s:o}}", "response", "data", "pontifex-devnet",
			 "version", "0.1.0", "app_version", "0", "last_block_height",
			 devnet_json_i64(h), "last_block_app_hash", app_hash_b64(r->node, h));
}

static json_t *m_status(const struct devnet_rpc *r, struct call *c)
{
	const struct devnet_node *n = r->node;
	const struct devnet_genesis *g = devnet_node_genesis(n);
	const struct devnet_block *last = devnet_node_latest(n);
	const struct tm_validator_set *vs = devnet_genesis_valset(g, devnet_node_height(n) + 1);
	json_t *earliest = NULL, *eid = NULL, *lid, *ltime, *lapp, *eapp, *etime;
	uint8_t node_id[PX_SHA256_LEN];
	char id_hex[2 * PX_SHA256_LEN + 1];

	px_sha256(node_id, g->chain_id, strlen(g->chain_id));
	px_hex_encode(id_hex, sizeof(id_hex), node_id, 20, false);
	if (last) {
		struct px_err err = { 0 };

		if (!devnet_node_load(&err, n, devnet_node_earliest(n), &earliest, &eid, NULL, NULL,
				      NULL))
			return load_fail(c->e, &err);
	}
	lid = last ? devnet_json_hex(last->block_id.hash.b, last->block_id.hash.len) : json_string("");
	ltime = devnet_json_time(last ? last->header.time : g->genesis_time);
	lapp = last ? devnet_json_hex(last->header.app_hash.b, last->header.app_hash.len) :
		      json_string("");
	eapp = earliest ? json_incref(json_object_get(json_object_get(earliest, "header"), "app_hash")) :
			  json_string("");
	etime = earliest ? json_incref(json_object_get(json_object_get(earliest, "header"), "time")) :
			   devnet_json_time(g->genesis_time);
	json_t *res = json_pack(
		"{s:{s:{s:s, s:s, s:s}, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}}, "
		"s:{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}, s:{s:o, s:o, s:o}}",
		"node_info", "protocol_version", "p2p", "8", "block", "11", "app", "0",
		"id", id_hex, "listen_addr", r->listen_addr, "network", g->chain_id,
		"version", "0.38.0", "channels", "", "moniker", "pontifex-devnet",
		"other", "tx_index", "off", "rpc_address", r->listen_addr,
		"sync_info",
		"latest_block_hash", lid, "latest_app_hash", lapp,
		"latest_block_height", devnet_json_i64(devnet_node_height(n)),
		"latest_block_time", ltime,
		"earliest_block_hash", eid ? json_incref(json_object_get(eid, "hash")) : json_string(""),
		"earliest_app_hash", eapp,
		"earliest_block_height", devnet_json_i64(devnet_node_earliest(n)),
		"earliest_block_time", etime, "catching_up", 0,
		"validator_info",
		"address", devnet_json_hex(vs->validators[0].address, TM_ADDRESS_LEN),
		"pub_key", devnet_json_pubkey(&vs->validators[0].pub_key),
		"voting_power", devnet_json_i64(vs->validators[0].voting_power));
	json_decref(earliest);
	json_decref(eid);
	return res;
}

static json_t *m_block(const struct devnet_rpc *r, struct call *c)
{
	struct px_err err = { 0 };
	json_t *block, *id;
	int64_t h;

	if (!rpc_get_height(c, r->node, &h, "height"))
		return NULL;
	if (!devnet_node_load(&err, r->node, h, &block, &id, NULL, NULL, NULL))
		return load_fail(c->e, &err);
	return json_pack("{s:o, s:o}", "block_id", id, "block", block);
}

static json_t *m_header(const struct devnet_rpc *r, struct call *c)
{
	struct px_err err = { 0 };
	json_t *block, *res;
	int64_t h;

	if (!rpc_get_height(c, r->node, &h, "height"))
		return NULL;
	if (!devnet_node_load(&err, r->node, h, &block, NULL, NULL, NULL, NULL))
		return load_fail(c->e, &err);
	res = json_pack("{s:O}", "header", json_object_get(block, "header"));
	json_decref(block);
	return res;
}

/* The fault switches of /commit (fault.h): the served copies only. */
static bool serve_faulty_commit(const struct devnet_rpc *r, struct px_err *err, json_t *header,
				json_t *commit, int64_t h)
{
	const struct devnet_faults *f = r->faults;
	const struct devnet_key *keys;
	size_t n_keys;
	bool equiv;

	if (!f)
		return true;
	equiv = h > 0 && f->equivocate_height == h;
	if (!equiv && !f->wrong_key_header)
		return true;
	keys = devnet_node_keys(r->node, &n_keys);
	return devnet_faults_resign(err, f, equiv ? header : NULL, commit,
				    devnet_node_genesis(r->node)->chain_id, keys, n_keys,
				    f->wrong_key_header);
}

static json_t *m_commit(const struct devnet_rpc *r, struct call *c)
{
	struct px_err err = { 0 };
	json_t *block, *commit, *res;
	int64_t h;

	if (!rpc_get_height(c, r->node, &h, "height"))
		return NULL;
	if (!devnet_node_load(&err, r->node, h, &block, NULL, &commit, NULL, NULL))
		return load_fail(c->e, &err);
	if (!serve_faulty_commit(r, &err, json_object_get(block, "header"), commit, h)) {
		json_decref(block);
		json_decref(commit);
		return load_fail(c->e, &err);
	}
	/* The latest commit is the node's own seen commit: not yet canonical
	 * (in a block's last_commit), as CometBFT reports it. */
	res = json_pack("{s:{s:O, s:o}, s:b}", "signed_header", "header",
			json_object_get(block, "header"), "commit", commit, "canonical",
			h < devnet_node_height(r->node));
	json_decref(block);
	return res;
}

static json_t *m_validators(const struct devnet_rpc *r, struct call *c)
{
	struct px_err err = { 0 };
	int64_t h, page = 1, per_page = DEVNET_RPC_PER_PAGE_DEFAULT, total, pages;
	json_t *vals, *arr, *slice, *res;

	if (!rpc_get_height(c, r->node, &h, "height") || !rpc_get_i64(c, &page, "page") ||
	    !rpc_get_i64(c, &per_page, "per_page"))
		return NULL;
	if (!devnet_node_load(&err, r->node, h, NULL, NULL, NULL, &vals, NULL))
		return load_fail(c->e, &err);
	arr = json_object_get(vals, "validators");
	total = (int64_t)json_array_size(arr);
	if (per_page < 1)
		per_page = DEVNET_RPC_PER_PAGE_DEFAULT;
	if (per_page > DEVNET_RPC_PER_PAGE_MAX)
		per_page = DEVNET_RPC_PER_PAGE_MAX;
	pages = (total + per_page - 1) / per_page;
	if (pages < 1)
		pages = 1;
	if (page < 1 || page > pages) {
		json_decref(vals);
		return rpc_fail(c->e, DEVNET_RPC_INTERNAL,
			    "page should be within [1, %" PRId64 "] range, given %" PRId64, pages, page);
	}
	slice = json_array();
	for (int64_t i = (page - 1) * per_page; slice && i < total && i < page * per_page; i++) {
		if (json_array_append(slice, json_array_get(arr, (size_t)i)) != 0) {
			json_decref(slice);
			slice = NULL;
		}
	}
	res = json_pack("{s:o, s:o, s:o, s:o}", "block_height", devnet_json_i64(h), "validators",
			slice, "count", devnet_json_i64((int64_t)json_array_size(slice)), "total",
			devnet_json_i64(total));
	json_decref(vals);
	return res;
}

static json_t *num_txs(const json_t *block)
{
	return devnet_json_i64((int64_t)json_array_size(
		json_object_get(json_object_get(block, "data"), "txs")));
}

static json_t *m_blockchain(const struct devnet_rpc *r, struct call *c)
{
	int64_t lo = 0, hi = 0, latest = devnet_node_height(r->node);
	int64_t base = devnet_node_earliest(r->node);
	json_t *metas;

	if (!rpc_get_i64(c, &lo, "minHeight") || !rpc_get_i64(c, &hi, "maxHeight"))
		return NULL;
	if (lo < 0 || hi < 0)
		return rpc_fail(c->e, DEVNET_RPC_INTERNAL, "heights must be non-negative");
	if (hi == 0 || hi > latest)
		hi = latest;
	if (lo == 0 || lo < base)
		lo = base ? base : 1;
	if (hi - DEVNET_RPC_BLOCKCHAIN_MAX + 1 > lo)
		lo = hi - DEVNET_RPC_BLOCKCHAIN_MAX + 1;
	if (lo > hi && latest)
		return rpc_fail(c->e, DEVNET_RPC_INTERNAL,
			    "min height %" PRId64 " can't be greater than max height %" PRId64, lo, hi);
	metas = json_array();
	for (int64_t h = hi; metas && latest && h >= lo; h--) {
		struct px_err err = { 0 };
		json_t *block, *id, *meta;
		int64_t size = 0;

		if (!devnet_node_load(&err, r->node, h, &block, &id, NULL, NULL, &size)) {
			json_decref(metas);
			return load_fail(c->e, &err);
		}
		meta = json_pack("{s:o, s:o, s:O, s:o}", "block_id", id, "block_size",
				 devnet_json_i64(size), "header", json_object_get(block, "header"),
				 "num_txs", num_txs(block));
		json_decref(block);
		if (json_array_append_new(metas, meta) != 0) {
			json_decref(metas);
			metas = NULL;
		}
	}
	return json_pack("{s:o, s:o}", "last_height", devnet_json_i64(latest), "block_metas", metas);
}

static json_t *abci_response(uint32_t code, const char *log, int64_t height, json_t *key,
			     json_t *value, json_t *proof_ops)
{
	return json_pack("{s:{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}}", "response",
			 "code", (json_int_t)code, "log", log, "info", "", "index", "0",
			 "codespace", code ? "sdk" : "", "key", key ? key : json_null(),
			 "value", value ? value : json_null(),
			 "proofOps", proof_ops ? proof_ops : json_null(), "height",
			 devnet_json_i64(height));
}

static json_t *proof_ops(const struct devnet_rpc *r, struct devnet_query *q, const uint8_t *key,
			 size_t key_len, const char *store)
{
	/* corrupt_proof: the last byte lies inside the last InnerOp's prefix
	 * or suffix, so the proof still decodes but no longer hashes to the
	 * app hash. */
	if (r->faults && r->faults->corrupt_proof && q->iavl_proof.len)
		q->iavl_proof.data[q->iavl_proof.len - 1] ^= 0x01;
	return json_pack("{s:[{s:s, s:o, s:o}, {s:s, s:o, s:o}]}", "ops",
			 "type", "ics23:iavl", "key", devnet_json_b64(key, key_len), "data",
			 devnet_json_b64(q->iavl_proof.data, q->iavl_proof.len),
			 "type", "ics23:simple", "key",
			 devnet_json_b64((const uint8_t *)store, strlen(store)), "data",
			 devnet_json_b64(q->simple_proof.data, q->simple_proof.len));
}

json_t *rpc_app_query(const struct devnet_rpc *r, struct call *c, const char *path,
		      const uint8_t *data, size_t len, int64_t height)
{
	struct devnet_app_query q;
	struct px_err err = { 0 };
	json_t *res;

	if (!devnet_app_query(&err, devnet_node_app(r->node), &q, path, data, len, height,
			      r->listen_addr))
		return rpc_fail(c->e, DEVNET_RPC_INTERNAL, "%s", err.msg);
	if (!q.handled)
		return abci_response(ABCI_CODE_UNKNOWN_REQUEST, "unknown query path", 0, NULL, NULL,
				     NULL);
	res = abci_response(q.code, q.log, q.height, NULL,
			    q.code ? NULL : devnet_json_b64(q.value.data, q.value.len), NULL);
	devnet_app_query_free(&q);
	return res;
}

/* abci_query path "/store/NAME/key", data = the key in hex: what the
 * Cosmos SDK serves, with the `ics23:iavl` + `ics23:simple` proof ops
 * when prove is set. A failed query is a result with a non-zero code, as
 * on a Cosmos chain; bad params are JSON-RPC errors. */
static json_t *m_abci_query(const struct devnet_rpc *r, struct call *c)
{
	const char *path = "", *data = "", *name, *slash;
	int64_t h = 0, latest = devnet_node_height(r->node);
	bool prove = false;
	struct px_buf key = PX_BUF_INIT;
	struct px_err err = { 0 };
	struct devnet_query q;
	char store[DEVNET_IAVL_MAX_NAME + 1];
	json_t *res = NULL;

	if (!rpc_get_string(c, &path, "path") || !rpc_get_string(c, &data, "data") ||
	    !rpc_get_i64(c, &h, "height") || !rpc_get_bool(c, &prove, "prove"))
		return NULL;
	if (h < 0)
		return rpc_fail(c->e, DEVNET_RPC_INVALID_PARAMS, "height: negative");
	if (strlen(data) > (strncmp(path, "/store/", 7) == 0 ? 2 * DEVNET_IAVL_MAX_KEY + 2 :
							       2 * DEVNET_MAX_TX_BYTES + 2))
		return rpc_fail(c->e, DEVNET_RPC_INVALID_PARAMS, "data: too long for %.80s", path);
	if (!px_hex_decode(&err, &key, data, strlen(data), true)) {
		px_buf_free(&key);
		return rpc_fail(c->e, DEVNET_RPC_INVALID_PARAMS, "data: %s", err.msg);
	}
	if (h > latest) {
		res = abci_response(ABCI_CODE_INVALID_HEIGHT,
				    "cannot query with height in the future; please provide a valid height",
				    0, NULL, NULL, NULL);
		goto out;
	}
	if (strncmp(path, "/store/", 7) != 0) {
		res = rpc_app_query(r, c, path, key.data, key.len, h);
		px_buf_free(&key);
		return res;
	}
	if (!(slash = strchr(path + 7, '/')) ||
	    strcmp(slash, "/key") != 0 || slash == path + 7 ||
	    (size_t)(slash - path - 7) > DEVNET_IAVL_MAX_NAME) {
		res = abci_response(ABCI_CODE_UNKNOWN_REQUEST, "unknown query path", 0, NULL, NULL,
				    NULL);
		goto out;
	}
	name = path + 7;
	memcpy(store, name, (size_t)(slash - name));
	store[slash - name] = 0;
	if (h > latest) {
		res = abci_response(ABCI_CODE_INVALID_HEIGHT,
				    "cannot query with height in the future; please provide a valid height",
				    0, NULL, NULL, NULL);
		goto out;
	}
	if (!devnet_multi_query(&err, &q, devnet_node_multi(r->node), store, key.data, key.len, h,
				prove)) {
		res = abci_response(ABCI_CODE_UNKNOWN_REQUEST, err.msg, 0, NULL, NULL, NULL);
		goto out;
	}
	res = abci_response(0, q.exists ? "exists" : "does not exist", q.height,
			    devnet_json_b64(key.data, key.len),
			    q.exists ? devnet_json_b64(q.value.data, q.value.len) : NULL,
			    prove ? proof_ops(r, &q, key.data, key.len, store) : NULL);
	devnet_query_free(&q);
out:
	px_buf_free(&key);
	if (!res)
		rpc_fail(c->e, DEVNET_RPC_INTERNAL, "out of memory");
	return res;
}

/* The admin method: sets one fault switch, returns them all. Refused on
 * a node started without --admin, as CometBFT refuses its unsafe methods. */
static json_t *m_devnet_fault(const struct devnet_rpc *r, struct call *c)
{
	const char *name = NULL, *value = NULL;
	const json_t *v = rpc_param(c, "value");
	char num[24];
	struct px_err err = { 0 };

	if (!r->faults || !r->faults->admin)
		return rpc_fail(c->e, DEVNET_RPC_METHOD_NOT_FOUND,
				"devnet_fault: start the node with --admin");
	if (!rpc_get_string(c, &name, "name"))
		return NULL;
	if (!name)
		return rpc_fail(c->e, DEVNET_RPC_INVALID_PARAMS, "name: want a string");
	if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%" PRId64, (int64_t)json_integer_value(v));
		value = num;
	} else if (json_is_boolean(v)) {
		value = json_is_true(v) ? "on" : "off";
	} else if (!rpc_get_string(c, &value, "value")) {
		return NULL;
	}
	if (!devnet_faults_set(&err, r->faults, name, value))
		return rpc_fail(c->e, DEVNET_RPC_INVALID_PARAMS, "%s", err.msg);
	return devnet_faults_state(r->faults);
}

typedef json_t *(*method_fn)(const struct devnet_rpc *r, struct call *c);

static const char *const no_params[] = { NULL };
static const char *const height_params[] = { "height", NULL };
static const char *const validators_params[] = { "height", "page", "per_page", NULL };
static const char *const blockchain_params[] = { "minHeight", "maxHeight", NULL };
static const char *const abci_query_params[] = { "path", "data", "height", "prove", NULL };
static const char *const tx_params[] = { "tx", NULL };
static const char *const fault_params[] = { "name", "value", NULL };
static const char *const tx_hash_params[] = { "hash", "prove", NULL };
static const char *const tx_search_params[] = { "query", "prove", "page", "per_page", "order_by",
						NULL };

static const struct {
	const char *name;
	method_fn fn;
	const char *const *params;
} methods[] = {
	{ "health", m_health, no_params },
	{ "status", m_status, no_params },
	{ "genesis", m_genesis, no_params },
	{ "abci_info", m_abci_info, no_params },
	{ "abci_query", m_abci_query, abci_query_params },
	{ "block", m_block, height_params },
	{ "header", m_header, height_params },
	{ "commit", m_commit, height_params },
	{ "validators", m_validators, validators_params },
	{ "blockchain", m_blockchain, blockchain_params },
	{ "broadcast_tx_sync", rpc_m_broadcast_tx_sync, tx_params },
	{ "broadcast_tx_async", rpc_m_broadcast_tx_async, tx_params },
	{ "broadcast_tx_commit", rpc_m_broadcast_tx_commit, tx_params },
	{ "tx", rpc_m_tx, tx_hash_params },
	{ "tx_search", rpc_m_tx_search, tx_search_params },
	{ "block_results", rpc_m_block_results, height_params },
	{ "num_unconfirmed_txs", rpc_m_num_unconfirmed_txs, no_params },
	{ "devnet_fault", m_devnet_fault, fault_params },
};

json_t *devnet_rpc_call(const struct devnet_rpc *r, struct devnet_rpc_error *e, const char *method,
			const json_t *params)
{
	json_t *res;

	memset(e, 0, sizeof(*e));
	if (params && !json_is_null(params) && !json_is_object(params) && !json_is_array(params))
		return rpc_fail(e, DEVNET_RPC_INVALID_PARAMS, "params: want an object or an array");
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		struct call c = { params, methods[i].params, e };

		if (strcmp(methods[i].name, method) != 0)
			continue;
		if (json_is_array(params)) {
			size_t n = 0;

			while (methods[i].params[n])
				n++;
			if (json_array_size(params) > n)
				return rpc_fail(e, DEVNET_RPC_INVALID_PARAMS,
					    "%s takes at most %zu params, got %zu", method, n,
					    json_array_size(params));
		}
		res = methods[i].fn(r, &c);
		if (!res)
			rpc_fail(e, DEVNET_RPC_INTERNAL, "out of memory");
		return res;
	}
	return rpc_fail(e, DEVNET_RPC_METHOD_NOT_FOUND, "method '%.64s' is not served by the devnet",
		    method);
}

static const char *error_message(int code)
{
	switch (code) {
	case DEVNET_RPC_PARSE_ERROR: return "Parse error. Invalid JSON";
	case DEVNET_RPC_INVALID_REQUEST: return "Invalid Request";
	case DEVNET_RPC_METHOD_NOT_FOUND: return "Method not found";
	case DEVNET_RPC_INVALID_PARAMS: return "Invalid params";
	default: return "Internal error";
	}
}

json_t *devnet_rpc_error_response(const json_t *id, int code, const char *data)
{
	json_t *idv = id ? json_incref((json_t *)id) : json_integer(-1);

	return json_pack("{s:s, s:o, s:{s:i, s:s, s:s}}", "jsonrpc", "2.0", "id", idv,
			 "error", "code", code, "message",
			 error_message(code), "data", data ? data : "");
}

json_t *devnet_rpc_result_response(const json_t *id, json_t *result)
{
	json_t *idv = id ? json_incref((json_t *)id) : json_integer(-1);

	return json_pack("{s:s, s:o, s:o}", "jsonrpc", "2.0", "id", idv, "result", result);
}

static bool valid_id(const json_t *id)
{
	return !id || json_is_string(id) || json_is_integer(id) || json_is_null(id);
}

json_t *devnet_rpc_handle(const struct devnet_rpc *r, const json_t *req)
{
	return devnet_rpc_handle_ex(r, req, NULL);
}

json_t *devnet_rpc_handle_ex(const struct devnet_rpc *r, const json_t *req, bool *pending)
{
	struct devnet_rpc_error e;
	const json_t *id, *m;
	json_t *res;

	if (!json_is_object(req))
		return devnet_rpc_error_response(NULL, DEVNET_RPC_INVALID_REQUEST,
						 "request: want a JSON object");
	id = json_object_get(req, "id");
	m = json_object_get(req, "method");
	if (!valid_id(id))
		return devnet_rpc_error_response(NULL, DEVNET_RPC_INVALID_REQUEST,
						 "id: want a string or an integer");
	if (!json_is_string(m) || json_string_length(m) == 0 ||
	    json_string_length(m) > DEVNET_RPC_MAX_METHOD)
		return devnet_rpc_error_response(id, DEVNET_RPC_INVALID_REQUEST,
						 "method: want a string of 1..64 bytes");
	if (pending)
		*pending = false;
	res = devnet_rpc_call(r, &e, json_string_value(m), json_object_get(req, "params"));
	if (!res)
		return devnet_rpc_error_response(id, e.code, e.data);
	if (pending)
		*pending = e.pending;
	return devnet_rpc_result_response(id, res);
}

static const char *skip_spaces(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

bool devnet_rpc_parse_query(struct devnet_rpc_error *e, char *name, size_t name_cap,
			    const char *query)
{
	const char *s = skip_spaces(query), *start;
	size_t len;

	memset(e, 0, sizeof(*e));
	if (strncmp(s, "tm.event", 8) != 0)
		goto bad;
	s = skip_spaces(s + 8);
	if (*s != '=')
		goto bad;
	s = skip_spaces(s + 1);
	if (*s != '\'')
		goto bad;
	start = ++s;
	while (*s && *s != '\'' && ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
		s++;
	len = (size_t)(s - start);
	if (*s != '\'' || len == 0 || len >= name_cap || *skip_spaces(s + 1))
		goto bad;
	memcpy(name, start, len);
	name[len] = 0;
	return true;
bad:
	rpc_fail(e, DEVNET_RPC_INTERNAL,
	     "failed to parse query: the devnet serves only tm.event = 'NAME' queries");
	return false;
}

json_t *devnet_rpc_new_block_event(const struct devnet_rpc *r, int64_t height, const char *query)
{
	struct px_err err = { 0 };
	json_t *block, *id;

	if (!devnet_node_load(&err, r->node, height, &block, &id, NULL, NULL, NULL))
		return NULL;
	if (r->faults && r->faults->wrong_key_header && height > 1 &&
	    !serve_faulty_commit(r, &err, NULL, json_object_get(block, "last_commit"), 0)) {
		json_decref(block);
		json_decref(id);
		return NULL;
	}
	return json_pack("{s:s, s:{s:s, s:{s:o, s:o, s:{s:o, s:[]}}}, s:{s:[s]}}", "query", query,
			 "data", "type", "tendermint/event/NewBlock", "value", "block", block,
			 "block_id", id, "result_finalize_block", "app_hash",
			 app_hash_b64(r->node, height), "validator_updates", "events", "tm.event",
			 "NewBlock");
}
