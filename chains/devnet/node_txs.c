/* Transactions of the devnet node (see node.h): the mempool and its
 * re-check after each block, delivery of a block's transactions, the
 * results hash of the next header, and the stored results with their
 * index for tx and tx_search. */
#include "chains/devnet/node_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chains/devnet/json_tm.h"
#include "common/encoding.h"
#include "common/hash.h"
#include "common/json.h"
#include "common/log.h"
#include "common/number.h"
#include "common/protobuf.h"
#include "lightclient/tendermint/hash.h"

#define MOD "devnet"

/* ---- mempool ---- */

size_t devnet_node_mempool_size(const struct devnet_node *n) { return n->pool_len; }

void node_pool_free(struct devnet_node *n)
{
	for (size_t i = 0; i < n->pool_len; i++)
		free(n->pool[i].data);
	free(n->pool);
	n->pool = NULL;
	n->pool_len = n->pool_cap = n->pool_bytes = 0;
}

bool devnet_node_broadcast(struct px_err *err, struct devnet_node *n, struct devnet_tx_result *res,
			   uint8_t hash[TM_HASH_LEN], const uint8_t *tx, size_t len)
{
	struct mempool_tx *m;

	memset(res, 0, sizeof(*res));
	px_sha256(hash, tx, len);
	if (len > DEVNET_MAX_TX_BYTES)
		return px_err_set(err, PX_E_TOO_LARGE, "tx too large. Max size is %u, but got %zu",
				  DEVNET_MAX_TX_BYTES, len);
	for (size_t i = 0; i < n->pool_len; i++) {
		if (memcmp(n->pool[i].hash, hash, TM_HASH_LEN) == 0)
			return px_err_set(err, PX_E_USAGE, "tx already exists in cache");
	}
	if (n->pool_len >= DEVNET_MEMPOOL_MAX_TXS || n->pool_bytes + len > DEVNET_MEMPOOL_MAX_BYTES)
		return px_err_set(err, PX_E_NOMEM,
				  "mempool is full: number of txs %zu (max: %u), total txs bytes %zu "
				  "(max: %u)", n->pool_len, DEVNET_MEMPOOL_MAX_TXS, n->pool_bytes,
				  DEVNET_MEMPOOL_MAX_BYTES);
	if (n->pool_len == n->pool_cap) {
		size_t cap = n->pool_cap ? 2 * n->pool_cap : 64;
		struct mempool_tx *p = realloc(n->pool, cap * sizeof(*p));

		if (!p)
			return px_err_set(err, PX_E_NOMEM, "mempool: out of memory");
		n->pool = p;
		n->pool_cap = cap;
	}
	m = &n->pool[n->pool_len];
	m->data = malloc(len ? len : 1);
	if (!m->data)
		return px_err_set(err, PX_E_NOMEM, "mempool: out of memory");
	if (!devnet_app_check_tx(err, n->app, res, tx, len)) {
		free(m->data);
		return false;
	}
	if (res->code) {
		free(m->data);
		return true;
	}
	memcpy(m->data, tx, len);
	m->len = len;
	memcpy(m->hash, hash, TM_HASH_LEN);
	n->pool_len++;
	n->pool_bytes += len;
	return true;
}

size_t node_pool_take(const struct devnet_node *n)
{
	/* Room for the header and commit within the block's max bytes. */
	size_t budget = n->genesis.max_bytes > (1 << 20) ? (size_t)n->genesis.max_bytes - (1 << 20) :
							  (size_t)n->genesis.max_bytes / 2;
	size_t k = 0, bytes = 0;

	while (k < n->pool_len && k < DEVNET_BLOCK_MAX_TXS && bytes + n->pool[k].len + 8 <= budget)
		bytes += n->pool[k++].len + 8;
	return k;
}

void node_pool_after_block(struct devnet_node *n, size_t included)
{
	size_t keep = 0;

	for (size_t i = 0; i < included; i++) {
		n->pool_bytes -= n->pool[i].len;
		free(n->pool[i].data);
	}
	devnet_app_reset_check(n->app);
	/* Re-check what is left against the new state, as CometBFT's
	 * recheck does: a transaction that no longer passes leaves. */
	for (size_t i = included; i < n->pool_len; i++) {
		struct devnet_tx_result res;
		struct px_err err = { 0 };
		bool ok = devnet_app_check_tx(&err, n->app, &res, n->pool[i].data, n->pool[i].len);

		if (ok && res.code == 0) {
			n->pool[keep++] = n->pool[i];
		} else {
			px_debug(MOD, "mempool: dropping a tx on re-check: %s",
				 ok ? res.log : err.msg);
			n->pool_bytes -= n->pool[i].len;
			free(n->pool[i].data);
		}
		if (ok)
			devnet_tx_result_free(&res);
	}
	n->pool_len = keep;
}

/* ---- execution ---- */

void node_exec_free(struct exec_results *e)
{
	for (size_t i = 0; i < e->n; i++)
		devnet_tx_result_free(&e->res[i]);
	free(e->res);
	memset(e, 0, sizeof(*e));
}

/* CometBFT's deterministic ExecTxResult: {code = 1, data = 2,
 * gas_wanted = 5, gas_used = 6}, the leaves of last_results_hash. */
static void result_leaf(struct px_buf *b, const struct devnet_tx_result *r)
{
	if (r->code)
		px_pb_put_uint64(b, 1, r->code);
	if (r->data.len)
		px_pb_put_bytes(b, 2, r->data.data, r->data.len);
	if (r->gas_wanted)
		px_pb_put_int64(b, 5, r->gas_wanted);
	if (r->gas_used)
		px_pb_put_int64(b, 6, r->gas_used);
}

static bool results_hash(struct px_err *err, struct exec_results *e)
{
	struct px_buf all = PX_BUF_INIT;
	struct px_iov *leaves = e->n ? calloc(e->n, sizeof(*leaves)) : NULL;
	size_t *ends = e->n ? calloc(e->n, sizeof(*ends)) : NULL;
	bool ok = false;

	if (e->n && (!leaves || !ends))
		goto out;
	for (size_t i = 0; i < e->n; i++) {
		result_leaf(&all, &e->res[i]);
		ends[i] = all.len;
	}
	if (!px_buf_ok(&all))
		goto out;
	for (size_t i = 0; i < e->n; i++) {
		size_t start = i ? ends[i - 1] : 0;

		leaves[i] = (struct px_iov){ all.data + start, ends[i] - start };
	}
	tm_merkle_root(e->hash, leaves, e->n);
	ok = true;
out:
	if (!ok)
		px_err_set(err, PX_E_NOMEM, "results hash: out of memory");
	free(leaves);
	free(ends);
	px_buf_free(&all);
	return ok;
}

bool node_exec_txs(struct px_err *err, struct devnet_node *n, struct exec_results *e,
		   int64_t height, size_t n_txs)
{
	memset(e, 0, sizeof(*e));
	if (n_txs) {
		e->res = calloc(n_txs, sizeof(*e->res));
		if (!e->res)
			return px_err_set(err, PX_E_NOMEM, "block results: out of memory");
	}
	for (size_t i = 0; i < n_txs; i++) {
		if (!devnet_app_deliver_tx(err, n->app, &e->res[i], height, n->pool[i].data,
					   n->pool[i].len)) {
			node_exec_free(e);
			return false;
		}
		e->n++;
	}
	if (!results_hash(err, e)) {
		node_exec_free(e);
		return false;
	}
	return true;
}

bool node_results_hash(struct px_err *err, struct devnet_node *n, int64_t height,
		       uint8_t out[TM_HASH_LEN])
{
	sqlite3_stmt *st = NULL;
	bool ok = false;
	int rc;

	px_sha256(out, NULL, 0);
	if (sqlite3_prepare_v2(n->db, "SELECT hash FROM results WHERE height = ?", -1, &st, NULL) !=
	    SQLITE_OK)
		return px_err_set(err, PX_E_IO, "results: %s", sqlite3_errmsg(n->db));
	sqlite3_bind_int64(st, 1, height);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == TM_HASH_LEN) {
		memcpy(out, sqlite3_column_blob(st, 0), TM_HASH_LEN);
		ok = true;
	} else if (rc == SQLITE_DONE) {
		/* Blocks stored before transactions existed have no row. */
		ok = true;
	} else {
		px_err_set(err, PX_E_MALFORMED, "results of %" PRId64 ": %s", height,
			   sqlite3_errmsg(n->db));
	}
	sqlite3_finalize(st);
	return ok;
}

/* ---- storing ---- */

/* The tx_result object of the tx and tx_search methods. */
static json_t *result_json(const struct devnet_tx_result *r)
{
	return json_pack("{s:I, s:s, s:o, s:O, s:o, s:o, s:s, s:s}", "code", (json_int_t)r->code,
			 "codespace", r->codespace, "data",
			 r->data.len ? devnet_json_b64(r->data.data, r->data.len) : json_null(),
			 "events", r->events, "gas_used", devnet_json_i64(r->gas_used), "gas_wanted",
			 devnet_json_i64(r->gas_wanted), "info", "", "log", r->log);
}

static bool store_attrs(sqlite3_stmt *st, int64_t height, size_t idx, const json_t *events)
{
	size_t i, k;
	json_t *ev, *at;

	json_array_foreach(events, i, ev) {
		const char *type = json_string_value(json_object_get(ev, "type"));

		json_array_foreach(json_object_get(ev, "attributes"), k, at) {
			const char *key = json_string_value(json_object_get(at, "key")),
				   *value = json_string_value(json_object_get(at, "value"));
			char full[DEVNET_TX_COND_MAX];

			if (!type || !key || !value)
				continue;
			snprintf(full, sizeof(full), "%s.%s", type, key);
			sqlite3_reset(st);
			sqlite3_bind_text(st, 1, full, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 3, height);
			sqlite3_bind_int64(st, 4, (sqlite3_int64)idx);
			if (sqlite3_step(st) != SQLITE_DONE)
				return false;
		}
	}
	return true;
}

bool node_store_txs(struct px_err *err, struct devnet_node *n, const struct devnet_block *blk,
		    const struct exec_results *e)
{
	sqlite3_stmt *tx = NULL, *attr = NULL, *res = NULL;
	int64_t h = blk->header.height;
	bool ok = false;

	if (sqlite3_prepare_v2(n->db, "INSERT INTO txs(hash, height, idx, tx, result) "
			       "VALUES (?, ?, ?, ?, ?)", -1, &tx, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(n->db, "INSERT INTO tx_attrs(key, value, height, idx) "
			       "VALUES (?, ?, ?, ?)", -1, &attr, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(n->db, "INSERT INTO results(height, hash) VALUES (?, ?)", -1, &res,
			       NULL) != SQLITE_OK)
		goto sql;
	for (size_t i = 0; i < e->n && i < blk->n_txs; i++) {
		uint8_t hash[TM_HASH_LEN];
		json_t *rj = result_json(&e->res[i]);
		char *text = rj ? json_dumps(rj, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		int rc;

		json_decref(rj);
		if (!text) {
			px_err_set(err, PX_E_NOMEM, "tx results: out of memory");
			goto out;
		}
		px_sha256(hash, blk->txs[i].data, blk->txs[i].len);
		sqlite3_reset(tx);
		sqlite3_bind_blob(tx, 1, hash, TM_HASH_LEN, SQLITE_TRANSIENT);
		sqlite3_bind_int64(tx, 2, h);
		sqlite3_bind_int64(tx, 3, (sqlite3_int64)i);
		sqlite3_bind_blob(tx, 4, blk->txs[i].data, (int)blk->txs[i].len, SQLITE_STATIC);
		sqlite3_bind_text(tx, 5, text, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(tx);
		free(text);
		/* The same bytes twice (a replay that CheckTx let through,
		 * which the sequence prevents) would keep the first. */
		if (rc != SQLITE_DONE && rc != SQLITE_CONSTRAINT)
			goto sql;
		if (!store_attrs(attr, h, i, e->res[i].events))
			goto sql;
	}
	sqlite3_bind_int64(res, 1, h);
	sqlite3_bind_blob(res, 2, e->hash, TM_HASH_LEN, SQLITE_STATIC);
	if (sqlite3_step(res) != SQLITE_DONE)
		goto sql;
	ok = true;
	goto out;
sql:
	px_err_set(err, PX_E_IO, "storing the txs of %" PRId64 ": %s", h, sqlite3_errmsg(n->db));
out:
	sqlite3_finalize(tx);
	sqlite3_finalize(attr);
	sqlite3_finalize(res);
	return ok;
}

/* ---- reading ---- */

/* {hash, height, index, tx_result, tx} from a row (hash, height, idx, tx,
 * result). */
static json_t *row_json(struct px_err *err, sqlite3_stmt *st)
{
	const void *tx = sqlite3_column_blob(st, 3);
	const unsigned char *rtext = sqlite3_column_text(st, 4);
	json_t *result;

	if (sqlite3_column_bytes(st, 0) != TM_HASH_LEN || !rtext)
		return px_err_set(err, PX_E_MALFORMED, "stored tx"), NULL;
	result = px_json_load_buf(err, rtext, (size_t)sqlite3_column_bytes(st, 4));
	if (!result)
		return NULL;
	return json_pack("{s:o, s:o, s:I, s:o, s:o}", "hash",
			 devnet_json_hex(sqlite3_column_blob(st, 0), TM_HASH_LEN), "height",
			 devnet_json_i64(sqlite3_column_int64(st, 1)), "index",
			 (json_int_t)sqlite3_column_int64(st, 2), "tx_result", result, "tx",
			 devnet_json_b64(tx, (size_t)sqlite3_column_bytes(st, 3)));
}

bool devnet_node_tx(struct px_err *err, const struct devnet_node *n, json_t **out,
		    const uint8_t hash[TM_HASH_LEN])
{
	sqlite3_stmt *st = NULL;
	int rc;

	*out = NULL;
	if (sqlite3_prepare_v2(n->db, "SELECT hash, height, idx, tx, result FROM txs WHERE hash = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return px_err_set(err, PX_E_IO, "txs: %s", sqlite3_errmsg(n->db));
	sqlite3_bind_blob(st, 1, hash, TM_HASH_LEN, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = row_json(err, st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return px_err_set(err, PX_E_IO, "txs: %s", sqlite3_errmsg(n->db));
	return rc == SQLITE_DONE || *out;
}

static json_t *rows_json(struct px_err *err, sqlite3_stmt *st, const struct devnet_node *n)
{
	json_t *arr = json_array();
	int rc;

	if (!arr)
		return px_err_set(err, PX_E_NOMEM, "txs: out of memory"), NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *row = row_json(err, st);

		if (!row || json_array_append_new(arr, row) != 0) {
			json_decref(arr);
			return px_err_set(err, PX_E_NOMEM, "txs: out of memory"), NULL;
		}
	}
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		return px_err_set(err, PX_E_IO, "txs: %s", sqlite3_errmsg(n->db)), NULL;
	}
	return arr;
}

bool devnet_node_block_txs(struct px_err *err, const struct devnet_node *n, int64_t height,
			   json_t **out)
{
	sqlite3_stmt *st = NULL;

	*out = NULL;
	if (sqlite3_prepare_v2(n->db, "SELECT hash, height, idx, tx, result FROM txs WHERE "
			       "height = ? ORDER BY idx", -1, &st, NULL) != SQLITE_OK)
		return px_err_set(err, PX_E_IO, "txs: %s", sqlite3_errmsg(n->db));
	sqlite3_bind_int64(st, 1, height);
	*out = rows_json(err, st, n);
	sqlite3_finalize(st);
	return *out != NULL;
}

bool devnet_node_tx_search(struct px_err *err, const struct devnet_node *n, json_t **txs,
			   int64_t *total, const struct devnet_tx_cond *conds, size_t n_conds,
			   bool desc, int64_t page, int64_t per_page)
{
	char where[2048] = "1";
	size_t off = 1;
	sqlite3_stmt *cnt = NULL, *st = NULL;
	char sql[2600];
	bool ok = false;

	*txs = NULL;
	*total = 0;
	if (n_conds > DEVNET_TX_SEARCH_MAX_CONDS)
		return px_err_set(err, PX_E_USAGE, "at most %d conditions", DEVNET_TX_SEARCH_MAX_CONDS);
	for (size_t i = 0; i < n_conds; i++) {
		const char *c = strcmp(conds[i].key, "tx.height") == 0 ? " AND t.height = ?" :
				strcmp(conds[i].key, "tx.hash") == 0 ? " AND t.hash = ?" :
				" AND EXISTS (SELECT 1 FROM tx_attrs a WHERE a.key = ? AND a.value = ? "
				"AND a.height = t.height AND a.idx = t.idx)";

		off += (size_t)snprintf(where + off, sizeof(where) - off, "%s", c);
	}
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM txs t WHERE %s", where);
	if (sqlite3_prepare_v2(n->db, sql, -1, &cnt, NULL) != SQLITE_OK)
		goto sql;
	snprintf(sql, sizeof(sql), "SELECT hash, height, idx, tx, result FROM txs t WHERE %s "
		 "ORDER BY t.height %s, t.idx %s LIMIT ? OFFSET ?", where, desc ? "DESC" : "ASC",
		 desc ? "DESC" : "ASC");
	if (sqlite3_prepare_v2(n->db, sql, -1, &st, NULL) != SQLITE_OK)
		goto sql;
	for (int pass = 0; pass < 2; pass++) {
		sqlite3_stmt *s = pass ? st : cnt;
		int b = 1;

		for (size_t i = 0; i < n_conds; i++) {
			if (strcmp(conds[i].key, "tx.height") == 0) {
				int64_t h = 0;
				struct px_err e = { 0 };

				if (!px_parse_i64(&e, &h, conds[i].value, strlen(conds[i].value)))
					h = -1;	/* matches nothing */
				sqlite3_bind_int64(s, b++, h);
			} else if (strcmp(conds[i].key, "tx.hash") == 0) {
				uint8_t hash[TM_HASH_LEN];
				struct px_err e = { 0 };

				if (!px_hex_decode_fixed(&e, hash, sizeof(hash), conds[i].value,
							 strlen(conds[i].value)))
					memset(hash, 0, sizeof(hash));
				sqlite3_bind_blob(s, b++, hash, TM_HASH_LEN, SQLITE_TRANSIENT);
			} else {
				sqlite3_bind_text(s, b++, conds[i].key, -1, SQLITE_STATIC);
				sqlite3_bind_text(s, b++, conds[i].value, -1, SQLITE_STATIC);
			}
		}
		if (pass) {
			sqlite3_bind_int64(s, b++, per_page);
			sqlite3_bind_int64(s, b++, (page - 1) * per_page);
		}
	}
	if (sqlite3_step(cnt) != SQLITE_ROW)
		goto sql;
	*total = sqlite3_column_int64(cnt, 0);
	*txs = rows_json(err, st, n);
	ok = *txs != NULL;
	goto out;
sql:
	px_err_set(err, PX_E_IO, "tx_search: %s", sqlite3_errmsg(n->db));
out:
	sqlite3_finalize(cnt);
	sqlite3_finalize(st);
	return ok;
}
