/* The transaction methods of the devnet RPC (see rpc.h): broadcast_tx_*
 * (CheckTx results shaped as CometBFT 0.38 returns them), tx, tx_search
 * (conditions KEY = VALUE joined by AND), block_results, and the Tx
 * events of a block for websocket subscribers. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "chains/devnet/json_tm.h"
#include "chains/devnet/rpc_internal.h"
#include "common/encoding.h"
#include "common/hash.h"

/* A tx param: base64 (JSON-RPC) or 0x-prefixed hex (URI form). */
static bool get_bytes(const struct call *c, struct px_buf *out, const char *name, size_t max)
{
	const char *s = NULL;
	struct px_err err = { 0 };
	size_t len;

	if (!rpc_get_string(c, &s, name))
		return false;
	if (!s || !*s) {
		rpc_fail(c->e, DEVNET_RPC_INVALID_PARAMS, "%s: missing", name);
		return false;
	}
	len = strlen(s);
	if (len > 2 * max + 2) {
		rpc_fail(c->e, DEVNET_RPC_INVALID_PARAMS, "%s: longer than %zu bytes", name, max);
		return false;
	}
	if ((len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ?
		    px_hex_decode(&err, out, s, len, true) :
		    px_base64_decode(&err, out, s, len, PX_B64_STD))
		return true;
	px_buf_free(out);
	rpc_fail(c->e, DEVNET_RPC_INVALID_PARAMS, "%s: want base64 or 0x-hex: %s", name, err.msg);
	return false;
}

static json_t *check_result(const struct devnet_tx_result *res)
{
	return json_pack("{s:I, s:s, s:o, s:O, s:o, s:o, s:s, s:s}", "code", (json_int_t)res->code,
			 "codespace", res->codespace, "data",
			 res->data.len ? devnet_json_b64(res->data.data, res->data.len) : json_null(),
			 "events", res->events ? res->events : json_array(), "gas_used",
			 devnet_json_i64(res->gas_used), "gas_wanted",
			 devnet_json_i64(res->gas_wanted), "info", "", "log", res->log);
}

/* CheckTx of the tx param: false with e set when CometBFT would refuse it
 * before the application (size, duplicate, full mempool). */
static bool broadcast(const struct devnet_rpc *r, struct call *c, struct devnet_tx_result *res,
		      uint8_t hash[TM_HASH_LEN])
{
	struct px_buf tx = PX_BUF_INIT;
	struct px_err err = { 0 };
	bool ok;

	if (!get_bytes(c, &tx, "tx", DEVNET_MAX_TX_BYTES + 1))
		return false;
	ok = devnet_node_broadcast(&err, r->node, res, hash, tx.data ? tx.data : (const uint8_t *)"",
				   tx.len);
	px_buf_free(&tx);
	if (!ok)
		rpc_fail(c->e, DEVNET_RPC_INTERNAL, "%s", err.msg);
	return ok;
}

json_t *rpc_m_broadcast_tx_sync(const struct devnet_rpc *r, struct call *c)
{
	struct devnet_tx_result res;
	uint8_t hash[TM_HASH_LEN];
	json_t *out;

	if (!broadcast(r, c, &res, hash))
		return NULL;
	out = json_pack("{s:I, s:s, s:o, s:o, s:s}", "code", (json_int_t)res.code, "codespace",
			res.codespace, "data",
			devnet_json_b64(res.data.data, res.code ? 0 : res.data.len), "hash",
			devnet_json_hex(hash, TM_HASH_LEN), "log", res.log);
	devnet_tx_result_free(&res);
	return out;
}

/* CometBFT answers async before CheckTx has run; the devnet runs it at
 * once (it is cheap) but answers as async does: code 0, whatever CheckTx
 * said, which is then only visible in the logs and the mempool. */
json_t *rpc_m_broadcast_tx_async(const struct devnet_rpc *r, struct call *c)
{
	struct devnet_tx_result res;
	uint8_t hash[TM_HASH_LEN];

	if (!broadcast(r, c, &res, hash))
		return NULL;
	devnet_tx_result_free(&res);
	return json_pack("{s:i, s:s, s:s, s:o, s:s}", "code", 0, "codespace", "", "data", "",
			 "hash", devnet_json_hex(hash, TM_HASH_LEN), "log", "");
}

static json_t *empty_tx_result(void)
{
	return json_pack("{s:i, s:s, s:n, s:[], s:s, s:s, s:s, s:s}", "code", 0, "codespace", "",
			 "data", "events", "gas_used", "0", "gas_wanted", "0", "info", "", "log",
			 "");
}

json_t *rpc_m_broadcast_tx_commit(const struct devnet_rpc *r, struct call *c)
{
	struct devnet_tx_result res;
	uint8_t hash[TM_HASH_LEN];
	json_t *out;

	if (!broadcast(r, c, &res, hash))
		return NULL;
	out = json_pack("{s:o, s:o, s:s, s:o}", "check_tx", check_result(&res), "hash",
			devnet_json_hex(hash, TM_HASH_LEN), "height", "0", "tx_result",
			empty_tx_result());
	/* A transaction CheckTx refused is answered at once; one it took
	 * waits for its block (the server polls). */
	c->e->pending = out && res.code == 0;
	devnet_tx_result_free(&res);
	return out;
}

bool devnet_rpc_commit_poll(const struct devnet_rpc *r, json_t *result)
{
	struct px_buf hash = PX_BUF_INIT;
	struct px_err err = { 0 };
	const char *hex = json_string_value(json_object_get(result, "hash"));
	json_t *tx = NULL;
	bool done = false;

	if (!hex || !px_hex_decode(&err, &hash, hex, strlen(hex), false) || hash.len != TM_HASH_LEN ||
	    !devnet_node_tx(&err, r->node, &tx, hash.data) || !tx)
		goto out;
	done = json_object_set(result, "tx_result", json_object_get(tx, "tx_result")) == 0 &&
	       json_object_set(result, "height", json_object_get(tx, "height")) == 0;
out:
	json_decref(tx);
	px_buf_free(&hash);
	return done;
}

static bool hash_param(const struct call *c, uint8_t out[TM_HASH_LEN])
{
	const char *s = NULL;
	struct px_buf b = PX_BUF_INIT;
	struct px_err err = { 0 };
	size_t len;
	bool ok;

	if (!rpc_get_string(c, &s, "hash"))
		return false;
	if (!s) {
		rpc_fail(c->e, DEVNET_RPC_INVALID_PARAMS, "hash: missing");
		return false;
	}
	len = strlen(s);
	/* "0x" + 64 hex digits; a base64 hash may start with "0x" too */
	if (len == 2 + 2 * TM_HASH_LEN && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		ok = px_hex_decode(&err, &b, s, len, true);
	else if (len == 2 * TM_HASH_LEN)
		ok = px_hex_decode(&err, &b, s, len, false);
	else
		ok = len < 100 && px_base64_decode(&err, &b, s, len, PX_B64_STD);
	ok = ok && b.len == TM_HASH_LEN;
	if (ok)
		memcpy(out, b.data, TM_HASH_LEN);
	else
		rpc_fail(c->e, DEVNET_RPC_INVALID_PARAMS, "hash: want 32 bytes in hex or base64");
	px_buf_free(&b);
	return ok;
}

json_t *rpc_m_tx(const struct devnet_rpc *r, struct call *c)
{
	uint8_t hash[TM_HASH_LEN];
	char hex[2 * TM_HASH_LEN + 1];
	struct px_err err = { 0 };
	bool prove = false;
	json_t *tx;

	if (!hash_param(c, hash) || !rpc_get_bool(c, &prove, "prove"))
		return NULL;
	if (prove)
		return rpc_fail(c->e, DEVNET_RPC_INTERNAL, "the devnet does not serve tx proofs");
	if (!devnet_node_tx(&err, r->node, &tx, hash))
		return rpc_fail(c->e, DEVNET_RPC_INTERNAL, "%s", err.msg);
	px_hex_encode(hex, sizeof(hex), hash, TM_HASH_LEN, true);
	if (!tx)
		return rpc_fail(c->e, DEVNET_RPC_INTERNAL, "tx (%s) not found", hex);
	return tx;
}

/* "a.b = 'v' AND tx.height = 5": KEY '=' ('quoted' | number) [AND ...]. */
static bool parse_conds(struct devnet_rpc_error *e, struct devnet_tx_cond *conds, size_t *n,
			const char *q)
{
	const char *s = q;

	*n = 0;
	for (;;) {
		struct devnet_tx_cond *cd;
		const char *k;
		size_t len;

		while (*s == ' ')
			s++;
		if (*n == DEVNET_TX_SEARCH_MAX_CONDS)
			goto bad;
		cd = &conds[(*n)++];
		k = s;
		while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		       *s == '.' || *s == '_' || *s == '-')
			s++;
		len = (size_t)(s - k);
		if (len == 0 || len >= sizeof(cd->key))
			goto bad;
		memcpy(cd->key, k, len);
		cd->key[len] = 0;
		while (*s == ' ')
			s++;
		if (*s++ != '=')
			goto bad;
		while (*s == ' ')
			s++;
		if (*s == '\'') {
			const char *v = ++s;

			while (*s && *s != '\'')
				s++;
			if (*s != '\'')
				goto bad;
			len = (size_t)(s - v);
			s++;
			if (len >= sizeof(cd->value))
				goto bad;
			memcpy(cd->value, v, len);
			cd->value[len] = 0;
		} else {
			const char *v = s;

			while (*s >= '0' && *s <= '9')
				s++;
			len = (size_t)(s - v);
			if (len == 0 || len >= sizeof(cd->value))
				goto bad;
			memcpy(cd->value, v, len);
			cd->value[len] = 0;
		}
		while (*s == ' ')
			s++;
		if (!*s)
			return true;
		if (strncmp(s, "AND ", 4) != 0)
			goto bad;
		s += 4;
	}
bad:
	rpc_fail(e, DEVNET_RPC_INTERNAL,
		 "failed to parse query: the devnet serves KEY = 'VALUE' conditions joined by AND, "
		 "at most %d", DEVNET_TX_SEARCH_MAX_CONDS);
	return false;
}

json_t *rpc_m_tx_search(const struct devnet_rpc *r, struct call *c)
{
	struct devnet_tx_cond conds[DEVNET_TX_SEARCH_MAX_CONDS];
	const char *query = NULL, *order = "";
	int64_t page = 1, per_page = DEVNET_RPC_PER_PAGE_DEFAULT, total, pages;
	struct px_err err = { 0 };
	bool prove = false;
	size_t n;
	json_t *txs;

	if (!rpc_get_string(c, &query, "query") || !rpc_get_bool(c, &prove, "prove") ||
	    !rpc_get_i64(c, &page, "page") || !rpc_get_i64(c, &per_page, "per_page") ||
	    !rpc_get_string(c, &order, "order_by"))
		return NULL;
	if (!query || !*query)
		return rpc_fail(c->e, DEVNET_RPC_INVALID_PARAMS, "query: missing");
	if (strlen(query) > 2048)
		return rpc_fail(c->e, DEVNET_RPC_INVALID_PARAMS, "query: longer than 2048 bytes");
	if (prove)
		return rpc_fail(c->e, DEVNET_RPC_INTERNAL, "the devnet does not serve tx proofs");
	if (*order && strcmp(order, "asc") != 0 && strcmp(order, "desc") != 0)
		return rpc_fail(c->e, DEVNET_RPC_INTERNAL, "expected order_by to be either `asc` or "
				"`desc` or empty");
	if (!parse_conds(c->e, conds, &n, query))
		return NULL;
	if (per_page < 1)
		per_page = DEVNET_RPC_PER_PAGE_DEFAULT;
	if (per_page > DEVNET_RPC_PER_PAGE_MAX)
		per_page = DEVNET_RPC_PER_PAGE_MAX;
	if (page < 1 || page > INT64_MAX / DEVNET_RPC_PER_PAGE_MAX)
		return rpc_fail(c->e, DEVNET_RPC_INTERNAL,
				"page should be within [1, N] range, given %" PRId64, page);
	if (!devnet_node_tx_search(&err, r->node, &txs, &total, conds, n, strcmp(order, "desc") == 0,
				   page, per_page))
		return rpc_fail(c->e, DEVNET_RPC_INTERNAL, "%s", err.msg);
	pages = total ? (total + per_page - 1) / per_page : 1;
	if (page > pages) {
		json_decref(txs);
		return rpc_fail(c->e, DEVNET_RPC_INTERNAL,
				"page should be within [1, %" PRId64 "] range, given %" PRId64, pages,
				page);
	}
	return json_pack("{s:o, s:o}", "txs", txs, "total_count", devnet_json_i64(total));
}

json_t *rpc_m_block_results(const struct devnet_rpc *r, struct call *c)
{
	struct px_err err = { 0 };
	uint8_t app[DEVNET_HASH_LEN];
	json_t *txs, *results;
	size_t i;
	json_t *t;
	int64_t h;

	if (!rpc_get_height(c, r->node, &h, "height"))
		return NULL;
	txs = NULL;
	if (!devnet_node_block_txs(&err, r->node, h, &txs) ||
	    !devnet_multi_app_hash(&err, app, devnet_node_multi(r->node), h)) {
		json_decref(txs);
		return rpc_fail(c->e, DEVNET_RPC_INTERNAL, "%s", err.msg);
	}
	results = json_array();
	json_array_foreach(txs, i, t) {
		if (results && json_array_append(results, json_object_get(t, "tx_result")) != 0) {
			json_decref(results);
			results = NULL;
		}
	}
	json_decref(txs);
	if (results && json_array_size(results) == 0) {
		json_decref(results);
		results = json_null();
	}
	return json_pack("{s:o, s:o, s:[], s:[], s:n, s:o}", "height", devnet_json_i64(h),
			 "txs_results", results, "finalize_block_events", "validator_updates",
			 "consensus_param_updates", "app_hash", devnet_json_b64(app, sizeof(app)));
}

json_t *rpc_m_num_unconfirmed_txs(const struct devnet_rpc *r, struct call *c)
{
	char n[24];

	snprintf(n, sizeof(n), "%zu", devnet_node_mempool_size(r->node));
	return json_pack("{s:s, s:s, s:s, s:[]}", "n_txs", n, "total", n, "total_bytes", "0", "txs");
}

/* The `result` of a Tx event as 0.38's JSON encoder writes it: zero
 * fields left out. */
static json_t *event_result(const json_t *r)
{
	json_t *out = json_object();
	const char *keys[] = { "code", "data", "log", "info", "gas_wanted", "gas_used", "events",
			       "codespace" };

	for (size_t i = 0; out && i < sizeof(keys) / sizeof(keys[0]); i++) {
		const json_t *v = json_object_get(r, keys[i]);

		if (!v || json_is_null(v) || (json_is_integer(v) && !json_integer_value(v)) ||
		    (json_is_string(v) && (!json_string_length(v) || !strcmp(json_string_value(v), "0"))) ||
		    (json_is_array(v) && !json_array_size(v)))
			continue;
		if (json_object_set(out, keys[i], (json_t *)v) != 0) {
			json_decref(out);
			out = NULL;
		}
	}
	return out;
}

/* events: {"tm.event": ["Tx"], "tx.hash": [...], "tx.height": [...],
 * "TYPE.KEY": [values...]}. */
static json_t *event_map(const json_t *tx)
{
	json_t *m = json_pack("{s:[s], s:[O], s:[O]}", "tm.event", "Tx", "tx.hash",
			      json_object_get(tx, "hash"), "tx.height", json_object_get(tx, "height"));
	const json_t *events = json_object_get(json_object_get(tx, "tx_result"), "events");
	size_t i, k;
	json_t *ev, *at;

	json_array_foreach(events, i, ev) {
		const char *type = json_string_value(json_object_get(ev, "type"));

		json_array_foreach(json_object_get(ev, "attributes"), k, at) {
			const char *key = json_string_value(json_object_get(at, "key"));
			json_t *arr;
			char full[DEVNET_TX_COND_MAX];

			if (!m || !type || !key)
				continue;
			snprintf(full, sizeof(full), "%s.%s", type, key);
			arr = json_object_get(m, full);
			if (!arr && json_object_set_new(m, full, arr = json_array()) != 0)
				arr = NULL;
			if (!arr || json_array_append(arr, json_object_get(at, "value")) != 0) {
				json_decref(m);
				m = NULL;
			}
		}
	}
	return m;
}

json_t *devnet_rpc_tx_events(const struct devnet_rpc *r, int64_t height)
{
	struct px_err err = { 0 };
	json_t *txs, *out = json_array();
	size_t i;
	json_t *tx;

	if (!out || !devnet_node_block_txs(&err, r->node, height, &txs)) {
		json_decref(out);
		return NULL;
	}
	json_array_foreach(txs, i, tx) {
		json_t *txr = json_pack("{s:O, s:O, s:o}", "height", json_object_get(tx, "height"),
					"tx", json_object_get(tx, "tx"), "result",
					event_result(json_object_get(tx, "tx_result")));
		json_t *ev;

		if (txr && i)
			json_object_set_new(txr, "index", json_integer((json_int_t)i));
		ev = json_pack("{s:s, s:{s:s, s:{s:o}}, s:o}", "query", "tm.event = 'Tx'", "data",
			       "type", "tendermint/event/Tx", "value", "TxResult", txr, "events",
			       event_map(tx));
		if (!ev || json_array_append_new(out, ev) != 0) {
			json_decref(out);
			out = NULL;
			break;
		}
	}
	json_decref(txs);
	return out;
}
