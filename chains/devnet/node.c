/* The devnet chain of one home (see node.h): opening and checking a home,
 * and producing blocks. */
#include "chains/devnet/node.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "chains/devnet/json_tm.h"
#include "chains/devnet/node_internal.h"
#include "chains/devnet/privval.h"
#include "common/encoding.h"
#include "common/hash.h"
#include "common/json.h"
#include "common/log.h"
#include "common/protobuf.h"
#include "lightclient/tendermint/hash.h"

#define PATH_MAX_LEN 4096

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS blocks(height INTEGER PRIMARY KEY, hash BLOB NOT NULL, "
	"size INTEGER NOT NULL, block TEXT NOT NULL, block_id TEXT NOT NULL, "
	"seen_commit TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS valsets(height INTEGER PRIMARY KEY, validators TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS results(height INTEGER PRIMARY KEY, hash BLOB NOT NULL);"
	"CREATE TABLE IF NOT EXISTS txs(hash BLOB PRIMARY KEY, height INTEGER NOT NULL, "
	"idx INTEGER NOT NULL, tx BLOB NOT NULL, result TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS txs_height ON txs(height, idx);"
	"CREATE TABLE IF NOT EXISTS tx_attrs(key TEXT NOT NULL, value TEXT NOT NULL, "
	"height INTEGER NOT NULL, idx INTEGER NOT NULL);"
	"CREATE INDEX IF NOT EXISTS tx_attrs_kv ON tx_attrs(key, value);";

static bool path_join(struct px_err *err, char *out, const char *home, const char *rel)
{
	int n = snprintf(out, PATH_MAX_LEN, "%s/%s", home, rel);

	if (n < 0 || n >= PATH_MAX_LEN)
		return px_err_set(err, PX_E_USAGE, "home path too long");
	return true;
}

static bool keys_load(struct px_err *err, struct devnet_node *n, const char *home)
{
	char path[PATH_MAX_LEN], rel[64];
	struct stat st;

	n->keys = calloc(DEVNET_MAX_KEYS, sizeof(*n->keys));
	if (!n->keys)
		return px_err_set(err, PX_E_NOMEM, "keys: out of memory");
	for (uint32_t i = 0; i < DEVNET_MAX_KEYS; i++) {
		snprintf(rel, sizeof(rel), DEVNET_KEYS_DIR "/validator_%u.json", i);
		if (!path_join(err, path, home, rel))
			return false;
		if (stat(path, &st) != 0 && errno == ENOENT)
			break;
		if (!devnet_key_load(err, &n->keys[i], path))
			return false;
		n->n_keys++;
	}
	return true;
}

static bool has_key(const struct devnet_node *n, const uint8_t address[TM_ADDRESS_LEN])
{
	for (size_t i = 0; i < n->n_keys; i++) {
		if (memcmp(n->keys[i].address, address, TM_ADDRESS_LEN) == 0)
			return true;
	}
	return false;
}

static bool keys_cover(struct px_err *err, const struct devnet_node *n,
		       const struct tm_validator_set *vs, const char *what)
{
	for (size_t i = 0; i < vs->len; i++) {
		if (!has_key(n, vs->validators[i].address))
			return px_err_set(err, PX_E_CONFIG, "%s: validator %zu has no key in %s",
					  what, i, DEVNET_KEYS_DIR);
	}
	return true;
}

static json_t *column_json(struct px_err *err, sqlite3_stmt *st, int col)
{
	const unsigned char *text = sqlite3_column_text(st, col);
	int len = sqlite3_column_bytes(st, col);

	if (!text)
		return px_err_set(err, PX_E_MALFORMED, "stored block: empty column"), NULL;
	return px_json_load_buf(err, text, (size_t)len);
}

bool devnet_node_load(struct px_err *err, const struct devnet_node *n, int64_t height,
		      json_t **block, json_t **block_id, json_t **commit, json_t **validators,
		      int64_t *size)
{
	static const char sql[] =
		"SELECT b.block, b.block_id, b.seen_commit, v.validators, b.size FROM blocks b "
		"JOIN valsets v ON v.height = b.height WHERE b.height = ?";
	json_t **outs[4] = { block, block_id, commit, validators };
	sqlite3_stmt *st = NULL;
	bool ok = false;
	int rc;

	for (int i = 0; i < 4; i++) {
		if (outs[i])
			*outs[i] = NULL;
	}
	if (sqlite3_prepare_v2(n->db, sql, -1, &st, NULL) != SQLITE_OK)
		return px_err_set(err, PX_E_IO, "blocks: %s", sqlite3_errmsg(n->db));
	sqlite3_bind_int64(st, 1, height);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		px_err_set(err, PX_E_USAGE, "height %" PRId64 " is not stored", height);
		goto out;
	}
	if (rc != SQLITE_ROW) {
		px_err_set(err, PX_E_IO, "blocks: %s", sqlite3_errmsg(n->db));
		goto out;
	}
	for (int i = 0; i < 4; i++) {
		if (outs[i] && !(*outs[i] = column_json(err, st, i)))
			goto out;
	}
	if (size)
		*size = sqlite3_column_int64(st, 4);
	ok = true;
out:
	sqlite3_finalize(st);
	if (!ok) {
		for (int i = 0; i < 4; i++) {
			if (outs[i]) {
				json_decref(*outs[i]);
				*outs[i] = NULL;
			}
		}
	}
	return ok;
}

/* The block's data.txs (base64) into blk. */
static bool block_txs_load(struct px_err *err, struct devnet_block *blk, const json_t *block)
{
	const json_t *txs = json_object_get(json_object_get(block, "data"), "txs");
	size_t i;
	json_t *t;

	if (!json_is_array(txs))
		return px_err_set(err, PX_E_MALFORMED, "stored block: no data.txs");
	if (!json_array_size(txs))
		return true;
	blk->txs = calloc(json_array_size(txs), sizeof(*blk->txs));
	if (!blk->txs)
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	json_array_foreach(txs, i, t) {
		struct px_buf b = PX_BUF_INIT;

		if (!json_is_string(t) ||
		    !px_base64_decode(err, &b, json_string_value(t), json_string_length(t), PX_B64_STD)) {
			px_buf_free(&b);
			return px_err_set(err, PX_E_MALFORMED, "stored block: tx %zu", i);
		}
		blk->txs[i].data = b.data;
		blk->txs[i].len = b.len;
		blk->n_txs++;
	}
	return true;
}

/* Reloads the last block and checks it against itself and the state. */
static bool latest_load(struct px_err *err, struct devnet_node *n)
{
	sqlite3_stmt *st = NULL;
	json_t *block = NULL, *commit = NULL;
	struct tm_block_id stored;
	bool ok = false;

	if (sqlite3_prepare_v2(n->db, "SELECT MIN(height), MAX(height) FROM blocks", -1, &st,
			       NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		px_err_set(err, PX_E_IO, "blocks: %s", sqlite3_errmsg(n->db));
		goto out;
	}
	n->earliest = sqlite3_column_int64(st, 0);
	n->height = sqlite3_column_int64(st, 1);
	if (devnet_multi_version(n->multi) != n->height) {
		px_err_set(err, PX_E_MALFORMED, "state version %" PRId64 " but last block %" PRId64,
			   devnet_multi_version(n->multi), n->height);
		goto out;
	}
	if (n->height == 0) {
		ok = true;
		goto out;
	}
	{
		json_t *id = NULL;

		if (!devnet_node_load(err, n, n->height, &block, &id, &commit, NULL, NULL))
			goto out;
		ok = tm_block_id_from_json(err, &stored, id);
		json_decref(id);
		if (!ok)
			goto out;
		ok = false;
	}
	{
		/* tm_block_from_json reads a /block result: {"block": ...} */
		json_t *wrapped = json_pack("{s:O}", "block", block);

		ok = wrapped && tm_block_from_json(err, &n->latest.header, &n->latest.last_commit,
						   wrapped);
		json_decref(wrapped);
		if (!ok) {
			px_err_set(err, PX_E_NOMEM, "out of memory");
			goto out;
		}
		ok = false;
	}
	if (!block_txs_load(err, &n->latest, block) || !devnet_block_seal(err, &n->latest) ||
	    !tm_commit_from_json(err, &n->latest_commit, commit) ||
	    !node_results_hash(err, n, n->height, n->last_results_hash))
		goto out;
	if (!tm_block_id_equal(&stored, &n->latest.block_id) ||
	    !tm_block_id_equal(&stored, &n->latest_commit.block_id) ||
	    n->latest.header.height != n->height) {
		px_err_set(err, PX_E_MALFORMED, "block %" PRId64 " does not hash to its block id",
			   n->height);
		goto out;
	}
	ok = true;
out:
	if (!ok)
		px_err_prefix(err, "reopening: ");
	sqlite3_finalize(st);
	json_decref(block);
	json_decref(commit);
	return ok;
}

bool devnet_node_open(struct px_err *err, struct devnet_node **out, const char *home)
{
	struct devnet_node *n = calloc(1, sizeof(*n));
	struct devnet_multi_opts mo = { 0 };
	char path[PATH_MAX_LEN];

	*out = NULL;
	if (!n)
		return px_err_set(err, PX_E_NOMEM, "node: out of memory");
	if (!path_join(err, path, home, DEVNET_GENESIS_FILE) ||
	    !devnet_genesis_load(err, &n->genesis, path) || !keys_load(err, n, home))
		goto fail;
	if (!keys_cover(err, n, &n->genesis.validators, "genesis"))
		goto fail;
	for (size_t i = 0; i < n->genesis.n_changes; i++) {
		if (!keys_cover(err, n, &n->genesis.changes[i].validators, "valset_changes"))
			goto fail;
	}
	mo.initial_version = n->genesis.initial_height;
	if (!devnet_multi_open(err, &n->multi, home, &mo))
		goto fail;
	n->db = devnet_multi_db(n->multi);
	if (sqlite3_exec(n->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		px_err_set(err, PX_E_IO, "blocks: %s", sqlite3_errmsg(n->db));
		goto fail;
	}
	if (!latest_load(err, n))
		goto fail;
	if (!devnet_app_open(err, &n->app, n->multi, n->genesis.chain_id,
			     n->genesis.account_prefix))
		goto fail;
	if (n->height == 0) {
		/* InitChain: the genesis state sits in the working tree until
		 * the first block commits it. */
		px_sha256(n->last_results_hash, NULL, 0);
		if (!devnet_app_init_chain(err, n->app, json_object_get(n->genesis.doc, "app_state"))) {
			px_err_prefix(err, "genesis: ");
			goto fail;
		}
	}
	*out = n;
	return true;
fail:
	devnet_node_close(n);
	return false;
}

void devnet_node_close(struct devnet_node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n_keys; i++)
		devnet_key_free(&n->keys[i]);
	free(n->keys);
	devnet_block_free(&n->latest);
	tm_commit_free(&n->latest_commit);
	node_exec_free(&n->exec);
	node_pool_free(n);
	devnet_app_close(n->app);
	devnet_multi_close(n->multi);
	devnet_genesis_free(&n->genesis);
	free(n);
}

int64_t devnet_node_height(const struct devnet_node *n) { return n->height; }
int64_t devnet_node_earliest(const struct devnet_node *n) { return n->earliest; }
const struct devnet_genesis *devnet_node_genesis(const struct devnet_node *n) { return &n->genesis; }
struct devnet_multi *devnet_node_multi(const struct devnet_node *n) { return n->multi; }

const struct devnet_key *devnet_node_keys(const struct devnet_node *n, size_t *n_keys)
{
	*n_keys = n->n_keys;
	return n->keys;
}

struct devnet_app *devnet_node_app(const struct devnet_node *n) { return n->app; }

const struct devnet_block *devnet_node_latest(const struct devnet_node *n)
{
	return n->height ? &n->latest : NULL;
}

const struct tm_commit *devnet_node_latest_commit(const struct devnet_node *n)
{
	return n->height ? &n->latest_commit : NULL;
}

/* x/staking's HistoricalInfo{header = 1} of the block, without its valset. */
static bool execute(struct px_err *err, struct devnet_node *n, const struct devnet_block *blk)
{
	struct devnet_iavl *staking = devnet_multi_store(n->multi, DEVNET_STAKING_STORE);
	struct px_buf hdr = PX_BUF_INIT, val = PX_BUF_INIT;
	uint8_t key[24];
	int klen;
	bool ok;

	if (!staking)
		return px_err_set(err, PX_E_CONFIG, "no %s store", DEVNET_STAKING_STORE);
	key[0] = DEVNET_HISTORICAL_INFO_PREFIX;
	klen = snprintf((char *)key + 1, sizeof(key) - 1, "%" PRId64, blk->header.height);
	devnet_header_encode(&hdr, &blk->header);
	px_pb_put_bytes(&val, 1, hdr.data, hdr.len);
	ok = px_buf_ok(&hdr) && px_buf_ok(&val);
	if (!ok)
		px_err_set(err, PX_E_NOMEM, "execute: out of memory");
	else
		ok = devnet_iavl_set(err, staking, key, (size_t)klen + 1, val.data, val.len);
	px_buf_free(&hdr);
	px_buf_free(&val);
	return ok;
}

static char *dump(json_t *v)
{
	char *s = v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS) : NULL;

	json_decref(v);
	return s;
}

static bool store_block(struct px_err *err, struct devnet_node *n, const struct devnet_block *blk,
			const struct tm_commit *commit, const struct tm_validator_set *vs,
			uint8_t app_hash[DEVNET_HASH_LEN], const struct exec_results *res)
{
	static const char ins_block[] = "INSERT INTO blocks(height, hash, size, block, block_id, "
					"seen_commit) VALUES (?, ?, ?, ?, ?, ?)";
	static const char ins_vals[] = "INSERT INTO valsets(height, validators) VALUES (?, ?)";
	char *texts[4];
	sqlite3_stmt *a = NULL, *b = NULL;
	bool ok = false, in_txn = false;

	texts[0] = dump(devnet_json_block(blk));
	texts[1] = dump(devnet_json_block_id(&blk->block_id));
	texts[2] = dump(devnet_json_commit(commit));
	texts[3] = dump(json_pack("{s:o}", "validators",
				  devnet_json_validators(vs, 0, vs->len)));
	for (int i = 0; i < 4; i++) {
		if (!texts[i]) {
			px_err_set(err, PX_E_NOMEM, "block: out of memory");
			goto out;
		}
	}
	if (sqlite3_exec(n->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		goto sql;
	in_txn = true;
	if (!devnet_multi_commit_prepare(err, app_hash, n->multi))
		goto out;
	if (sqlite3_prepare_v2(n->db, ins_block, -1, &a, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(n->db, ins_vals, -1, &b, NULL) != SQLITE_OK)
		goto sql;
	sqlite3_bind_int64(a, 1, blk->header.height);
	sqlite3_bind_blob(a, 2, blk->block_id.hash.b, (int)blk->block_id.hash.len, SQLITE_STATIC);
	sqlite3_bind_int64(a, 3, (sqlite3_int64)blk->size);
	for (int i = 0; i < 3; i++)
		sqlite3_bind_text(a, 4 + i, texts[i], -1, SQLITE_STATIC);
	sqlite3_bind_int64(b, 1, blk->header.height);
	sqlite3_bind_text(b, 2, texts[3], -1, SQLITE_STATIC);
	if (sqlite3_step(a) != SQLITE_DONE || sqlite3_step(b) != SQLITE_DONE)
		goto sql;
	if (!node_store_txs(err, n, blk, res))
		goto out;
	if (sqlite3_exec(n->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto sql;
	in_txn = false;
	devnet_multi_commit_finish(n->multi);
	ok = true;
	goto out;
sql:
	px_err_set(err, PX_E_IO, "storing block %" PRId64 ": %s", blk->header.height,
		   sqlite3_errmsg(n->db));
out:
	if (in_txn)
		sqlite3_exec(n->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_finalize(a);
	sqlite3_finalize(b);
	for (int i = 0; i < 4; i++)
		free(texts[i]);
	return ok;
}

bool devnet_node_produce(struct px_err *err, struct devnet_node *n, struct px_time now)
{
	const struct devnet_genesis *g = &n->genesis;
	int64_t h = n->height ? n->height + 1 : g->initial_height;
	const struct tm_validator_set *vs = devnet_genesis_valset(g, h);
	struct devnet_block_params p = { 0 };
	struct devnet_block blk;
	struct tm_commit commit;
	uint8_t prev_app[DEVNET_HASH_LEN], app[DEVNET_HASH_LEN];
	struct px_time ts;
	struct devnet_tx *txs = NULL;
	size_t n_txs = n->executed == h ? n->exec_n_txs : node_pool_take(n);

	if (h == INT64_MAX)
		return px_err_set(err, PX_E_INTERNAL, "height overflow");
	p.chain_id = g->chain_id;
	p.height = h;
	p.time = g->genesis_time;
	p.validators = vs;
	p.next_validators = devnet_genesis_valset(g, h + 1);
	p.proposer = vs->validators[(uint64_t)(h - g->initial_height) % vs->len].address;
	p.max_bytes = g->max_bytes;
	p.max_gas = g->max_gas;
	p.last_results_hash = n->last_results_hash;
	if (n->height) {
		if (!devnet_multi_app_hash(err, prev_app, n->multi, n->height))
			return false;
		p.time = n->latest_commit.sigs[0].timestamp;
		p.last_block_id = &n->latest.block_id;
		p.last_commit = &n->latest_commit;
		p.app_hash = prev_app;
		p.app_hash_len = DEVNET_HASH_LEN;
	}
	if (n_txs) {
		txs = calloc(n_txs, sizeof(*txs));
		if (!txs)
			return px_err_set(err, PX_E_NOMEM, "block: out of memory");
		for (size_t i = 0; i < n_txs; i++)
			txs[i] = (struct devnet_tx){ n->pool[i].data, n->pool[i].len };
	}
	p.txs = txs;
	p.n_txs = n_txs;
	if (!devnet_block_make(err, &blk, &p)) {
		free(txs);
		return false;
	}
	free(txs);
	if (!px_time_add_ns(&ts, blk.header.time, 1000000) || px_time_cmp(now, ts) > 0)
		ts = now;
	if (n->executed != h) {
		node_exec_free(&n->exec);
		devnet_app_set_time(n->app, blk.header.time);
		if (!execute(err, n, &blk) || !node_exec_txs(err, n, &n->exec, h, n_txs)) {
			devnet_block_free(&blk);
			return false;
		}
		n->executed = h;
		n->exec_n_txs = n_txs;
	}
	if (!devnet_commit_make(err, &commit, g->chain_id, &blk, vs, n->keys, n->n_keys, ts)) {
		devnet_block_free(&blk);
		return false;
	}
	if (!store_block(err, n, &blk, &commit, vs, app, &n->exec)) {
		devnet_block_free(&blk);
		tm_commit_free(&commit);
		return false;
	}
	devnet_block_free(&n->latest);
	tm_commit_free(&n->latest_commit);
	n->latest = blk;
	n->latest_commit = commit;
	if (!n->height)
		n->earliest = h;
	n->height = h;
	memcpy(n->last_results_hash, n->exec.hash, TM_HASH_LEN);
	node_exec_free(&n->exec);
	node_pool_after_block(n, n_txs);
	return true;
}
