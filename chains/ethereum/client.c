/* The live Ethereum follower: JSON-RPC requests and notifications turned
 * into headers for follower.c and proofs for getproof.c (see client.h).
 * At most one block fetch for gaps and forks is in flight; each reply asks
 * the follower for the next one, so a backfill runs as a chain of
 * requests that any failure stops until the next announcement. */
#include "chains/ethereum/client.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "common/log.h"
#include "lightclient/ethereum/ethjson.h"

#define MOD "eth-client"
#define HASH_HEX (2 * ETH_HASH_LEN + 3)

struct eth_client {
	struct ethrpc_loop *loop;
	struct ethrpc_conn conn;
	struct eth_client_config cfg;
	bool ready;
	bool closing;
	struct eth_follower follower;
	struct px_err fatal;
	char sub_id[ETHRPC_SUB_ID_MAX + 1];
	bool fetching;
	struct eth_fetch fetch;		/* the fetch in flight */
	struct eth_client_stats stats;
};

struct proof_req {
	struct eth_client *c;
	struct eth_trusted_header at;
	uint8_t address[ETH_ADDRESS_LEN];
	uint8_t slots[ETH_CLIENT_MAX_SLOTS][ETH_U256_LEN];
	size_t nslots;
	eth_client_proof_fn cb;
	void *user;
};

static void pump(struct eth_client *c);

static bool call(struct eth_client *c, const char *method, json_t *params, ethrpc_reply_fn cb,
		 void *user)
{
	struct px_err err = { 0 };

	if (!ethrpc_call(&c->conn.rpc, &err, NULL, method, params, ethrpc_now_ms(),
			 c->cfg.request_timeout_ms, cb, user)) {
		px_warn(MOD, "%s", err.msg);
		return false;
	}
	return true;
}

/* A setup step failed (timeout, node error): start over on a fresh
 * connection, after the backoff. */
static void retry_later(struct eth_client *c, const char *what, const struct px_err *err)
{
	px_warn(MOD, "%s: %s; reconnecting", what, err ? err->msg : "no result");
	if (!c->closing && c->conn.ws)
		ethrpc_ws_drop(c->conn.ws, 0);
}

static bool header_of(struct px_err *err, struct eth_header *h, const json_t *block)
{
	if (!json_is_object(block))
		return px_err_set(err, PX_E_JSON, "block is %s, not an object",
				  px_json_type_name(block));
	return eth_header_from_json(err, h, block, ETH_NAMING_RPC);
}

static void feed(struct eth_client *c, const struct eth_header *h, bool announced)
{
	enum eth_follow_result r;
	struct px_err err = { 0 };

	if (!eth_follower_add(&err, &c->follower, &r, h, announced)) {
		c->stats.rejected++;
		px_warn(MOD, "header %" PRIu64 " rejected: %s (%s)", h->number, err.msg,
			px_code_name(err.code));
		return;
	}
	if (r == ETH_FOLLOW_STALE)
		px_warn(MOD, "header %" PRIu64 " is below the trusted window; ignored", h->number);
	pump(c);
}

static void on_fetched(void *user, const struct px_err *rerr, json_t *result)
{
	struct eth_client *c = user;
	struct eth_header *h = NULL;
	struct px_err err = { 0 };
	uint8_t hash[ETH_HASH_LEN];

	c->fetching = false;
	if (rerr) {
		px_warn(MOD, "fetch: %s", rerr->msg);
		return;
	}
	if (json_is_null(result)) {
		px_debug(MOD, "fetch: the node has no such block (yet)");
		return;
	}
	h = malloc(sizeof(*h));
	if (!h || !header_of(&err, h, result)) {
		c->stats.rejected++;
		px_warn(MOD, "fetched block: %s", h ? err.msg : "out of memory");
		goto out;
	}
	eth_header_hash(hash, h);
	/* A node that answers another question than the one asked would make
	 * the next fetch the same one again: stop until the next announcement. */
	if ((c->fetch.kind == ETH_FETCH_BY_NUMBER && h->number != c->fetch.number) ||
	    (c->fetch.kind == ETH_FETCH_BY_HASH && memcmp(hash, c->fetch.hash, ETH_HASH_LEN) != 0)) {
		c->stats.rejected++;
		px_warn(MOD, "fetched block %" PRIu64 " is not the block asked for", h->number);
		goto out;
	}
	c->stats.fetched++;
	feed(c, h, false);
out:
	free(h);
}

static void pump(struct eth_client *c)
{
	char arg[HASH_HEX];
	uint8_t be[8];

	if (c->fetching || c->closing || !c->ready || !ethrpc_ws_connected(c->conn.ws))
		return;
	eth_follower_next_fetch(&c->follower, &c->fetch);
	switch (c->fetch.kind) {
	case ETH_FETCH_NONE:
		return;
	case ETH_FETCH_BY_NUMBER:
		for (int i = 0; i < 8; i++)
			be[i] = (uint8_t)(c->fetch.number >> (56 - 8 * i));
		eth_quantity_format(arg, sizeof(arg), be, sizeof(be));
		c->fetching = call(c, "eth_getBlockByNumber", json_pack("[s, b]", arg, 0),
				   on_fetched, c);
		break;
	case ETH_FETCH_BY_HASH:
		eth_hex_format(arg, sizeof(arg), c->fetch.hash, ETH_HASH_LEN);
		c->fetching = call(c, "eth_getBlockByHash", json_pack("[s, b]", arg, 0),
				   on_fetched, c);
		break;
	}
}

/* A block the node announced as its head (a whole block fetched by hash,
 * or the latest block after subscribing). */
static void on_announced_block(void *user, const struct px_err *rerr, json_t *result)
{
	struct eth_client *c = user;
	struct eth_header *h;
	struct px_err err = { 0 };

	if (rerr || json_is_null(result)) {
		px_warn(MOD, "head block: %s", rerr ? rerr->msg : "null result");
		return;
	}
	h = malloc(sizeof(*h));
	if (!h || !header_of(&err, h, result)) {
		c->stats.rejected++;
		px_warn(MOD, "head block: %s", h ? err.msg : "out of memory");
	} else {
		feed(c, h, true);
	}
	free(h);
}

static void on_new_head(void *user, const char *sub, json_t *result)
{
	struct eth_client *c = user;
	struct eth_header *h = malloc(sizeof(*h));
	struct px_err err = { 0 };
	uint8_t hash[ETH_HASH_LEN], claimed[ETH_HASH_LEN];
	char arg[HASH_HEX];

	if (strcmp(sub, c->sub_id) != 0 || !c->ready) {
		px_debug(MOD, "notification for another subscription ignored");
		goto out;
	}
	c->stats.announced++;
	if (h && header_of(&err, h, result) && h->has_claimed_hash) {
		eth_header_hash(hash, h);
		if (memcmp(hash, h->claimed_hash, ETH_HASH_LEN) == 0) {
			feed(c, h, true);
			goto out;
		}
	}
	/* Not every node sends every header field in newHeads: verify the
	 * full block the announcement names instead. */
	px_err_clear(&err);
	if (!eth_json_data_fixed(&err, claimed, ETH_HASH_LEN, result, "hash")) {
		c->stats.rejected++;
		px_warn(MOD, "newHeads: %s", err.msg);
		goto out;
	}
	c->stats.payload_refetched++;
	eth_hex_format(arg, sizeof(arg), claimed, ETH_HASH_LEN);
	(void)call(c, "eth_getBlockByHash", json_pack("[s, b]", arg, 0), on_announced_block, c);
out:
	free(h);
}

static void on_subscribed(void *user, const struct px_err *rerr, json_t *result)
{
	struct eth_client *c = user;

	if (rerr || !json_is_string(result) ||
	    strlen(json_string_value(result)) > ETHRPC_SUB_ID_MAX) {
		retry_later(c, "eth_subscribe", rerr);
		return;
	}
	snprintf(c->sub_id, sizeof(c->sub_id), "%s", json_string_value(result));
	px_info(MOD, "following newHeads (subscription %s)", c->sub_id);
	/* Whatever was mined while we were away comes in through the gap
	 * between our head and the node's. */
	(void)call(c, "eth_getBlockByNumber", json_pack("[s, b]", "latest", 0), on_announced_block,
		   c);
}

static void subscribe(struct eth_client *c)
{
	(void)call(c, "eth_subscribe", json_pack("[s]", "newHeads"), on_subscribed, c);
}

static void on_checkpoint(void *user, const struct px_err *rerr, json_t *result)
{
	struct eth_client *c = user;
	struct eth_header *h;
	struct px_err err = { 0 };

	if (rerr || json_is_null(result)) {
		retry_later(c, "checkpoint block", rerr);
		return;
	}
	h = malloc(sizeof(*h));
	if (!h) {
		retry_later(c, "checkpoint block", NULL);
		return;
	}
	if (!header_of(&err, h, result) ||
	    !eth_follower_init(&err, &c->follower, h, c->cfg.checkpoint_hash, c->cfg.window,
			       &c->cfg.events)) {
		/* The node serves something else than the operator's
		 * checkpoint: nothing it says can be trusted. */
		c->fatal = err;
		px_error(MOD, "checkpoint: %s; not following", err.msg);
		free(h);
		return;
	}
	px_info(MOD, "checkpoint %" PRIu64 " verified", h->number);
	free(h);
	c->ready = true;
	subscribe(c);
}

static void on_open(void *user)
{
	struct eth_client *c = user;
	char arg[HASH_HEX];

	c->stats.connects++;
	c->sub_id[0] = '\0';
	if (px_err_is_set(&c->fatal))
		return;
	if (c->ready) {
		subscribe(c);
		return;
	}
	eth_hex_format(arg, sizeof(arg), c->cfg.checkpoint_hash, ETH_HASH_LEN);
	(void)call(c, "eth_getBlockByHash", json_pack("[s, b]", arg, 0), on_checkpoint, c);
}

static void on_close(void *user, const char *why)
{
	struct eth_client *c = user;

	c->sub_id[0] = '\0';
	c->fetching = false;
	px_info(MOD, "connection lost (%s); will reconnect", why);
}

bool eth_client_new(struct px_err *err, struct eth_client **out, struct ethrpc_loop *loop,
		    const struct eth_client_config *cfg)
{
	struct ethrpc_ws_config wcfg;
	struct eth_client *c;

	*out = NULL;
	memset(&wcfg, 0, sizeof(wcfg));
	if (!ethrpc_url_parse(err, &wcfg.url, cfg->url))
		return false;
	wcfg.backoff_min_ms = cfg->backoff_min_ms;
	wcfg.backoff_max_ms = cfg->backoff_max_ms;
	c = calloc(1, sizeof(*c));
	if (!c)
		return px_err_set(err, PX_E_NOMEM, "eth client: out of memory");
	c->loop = loop;
	c->cfg = *cfg;
	c->cfg.url = NULL;	/* the caller's string is not kept */
	if (!c->cfg.request_timeout_ms)
		c->cfg.request_timeout_ms = 10000;
	if (!ethrpc_conn_open(err, &c->conn, loop, &wcfg, on_open, on_close, c)) {
		free(c);
		return false;
	}
	ethrpc_set_notify(&c->conn.rpc, on_new_head, c);
	*out = c;
	return true;
}

void eth_client_free(struct eth_client *c)
{
	if (!c)
		return;
	c->closing = true;
	ethrpc_conn_close(&c->conn);
	if (c->ready)
		eth_follower_free(&c->follower);
	free(c);
}

bool eth_client_ready(const struct eth_client *c)
{
	return c->ready;
}

const struct eth_follower *eth_client_follower(const struct eth_client *c)
{
	return c->ready ? &c->follower : NULL;
}

const struct px_err *eth_client_fatal(const struct eth_client *c)
{
	return px_err_is_set(&c->fatal) ? &c->fatal : NULL;
}

struct eth_client_stats eth_client_stats(const struct eth_client *c)
{
	struct eth_client_stats s = c->stats;

	s.connects = ethrpc_ws_connects(c->conn.ws);
	return s;
}

void eth_client_drop(struct eth_client *c, uint64_t hold_ms)
{
	ethrpc_ws_drop(c->conn.ws, hold_ms);
}

/* ---- proofs ---- */

static bool answers_request(struct px_err *err, const struct proof_req *req,
			    const struct mpt_get_proof *p)
{
	if (memcmp(p->address, req->address, ETH_ADDRESS_LEN) != 0)
		return px_err_set(err, PX_E_KEY_MISMATCH, "eth_getProof: proof of another address");
	if (p->nslots != req->nslots)
		return px_err_set(err, PX_E_KEY_MISMATCH,
				  "eth_getProof: %zu storage proofs for %zu slots", p->nslots,
				  req->nslots);
	for (size_t i = 0; i < p->nslots; i++)
		if (memcmp(p->slots[i].key, req->slots[i], ETH_U256_LEN) != 0)
			return px_err_set(err, PX_E_KEY_MISMATCH,
					  "eth_getProof: storage proof %zu is for another slot", i);
	return true;
}

static void on_proof(void *user, const struct px_err *rerr, json_t *result)
{
	struct proof_req *req = user;
	struct mpt_get_proof proof;
	struct px_err err = { 0 };

	memset(&proof, 0, sizeof(proof));
	if (rerr) {
		err = *rerr;
	} else if (!json_is_object(result)) {
		px_err_set(&err, PX_E_JSON, "eth_getProof: result is %s, not an object",
			   px_json_type_name(result));
	} else if (mpt_get_proof_verify_header(&err, &proof, &req->at, result) &&
		   answers_request(&err, req, &proof)) {
		req->c->stats.proofs_verified++;
		req->cb(req->user, NULL, &proof, &req->at);
		goto out;
	}
	req->c->stats.proofs_failed++;
	req->cb(req->user, &err, NULL, &req->at);
out:
	mpt_get_proof_free(&proof);
	free(req);
}

bool eth_client_get_proof(struct px_err *err, struct eth_client *c,
			  const uint8_t address[ETH_ADDRESS_LEN], const uint8_t (*slots)[ETH_U256_LEN],
			  size_t nslots, uint64_t number, eth_client_proof_fn cb, void *user)
{
	const struct eth_trusted_header *at = c->ready ? eth_follower_at(&c->follower, number) : NULL;
	char hex[2 * ETH_U256_LEN + 3];
	struct proof_req *req;
	json_t *keys, *params;
	uint8_t be[8];

	if (!at)
		return px_err_set(err, PX_E_NOT_ENOUGH_TRUST,
				  "block %" PRIu64 " is not on the trusted chain", number);
	if (nslots > ETH_CLIENT_MAX_SLOTS)
		return px_err_set(err, PX_E_TOO_LARGE, "%zu slots asked, at most %u", nslots,
				  ETH_CLIENT_MAX_SLOTS);
	req = calloc(1, sizeof(*req));
	keys = json_array();
	if (!req || !keys) {
		free(req);
		json_decref(keys);
		return px_err_set(err, PX_E_NOMEM, "eth_getProof: out of memory");
	}
	req->c = c;
	req->at = *at;
	memcpy(req->address, address, ETH_ADDRESS_LEN);
	req->nslots = nslots;
	req->cb = cb;
	req->user = user;
	for (size_t i = 0; i < nslots; i++) {
		memcpy(req->slots[i], slots[i], ETH_U256_LEN);
		eth_hex_format(hex, sizeof(hex), slots[i], ETH_U256_LEN);
		json_array_append_new(keys, json_string(hex));
	}
	for (int i = 0; i < 8; i++)
		be[i] = (uint8_t)(number >> (56 - 8 * i));
	eth_hex_format(hex, sizeof(hex), address, ETH_ADDRESS_LEN);
	params = json_pack("[s, o, s]", hex, keys, "0x0");
	if (params) {
		eth_quantity_format(hex, sizeof(hex), be, sizeof(be));
		json_array_set_new(params, 2, json_string(hex));
	}
	if (!params || !ethrpc_call(&c->conn.rpc, err, NULL, "eth_getProof", params,
				    ethrpc_now_ms(), c->cfg.request_timeout_ms, on_proof, req)) {
		px_err_set(err, PX_E_NOMEM, "eth_getProof: out of memory");
		free(req);
		return false;
	}
	return true;
}
