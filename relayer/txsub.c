/* The transaction submitter (txsub.h): account state, gas, signing,
 * broadcast_tx_sync and the wait for the block, over one CometBFT client.
 *
 * Refusals by the chain (a non-zero code from CheckTx, DeliverTx or the
 * simulation) travel inside the functions as a filled struct
 * rly_tx_result, not as an error: a sequence mismatch is recovered from,
 * and only the caller's last word becomes the px_err it sees (the first
 * failure would otherwise stick). */
#include "relayer/txsub.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "common/buf.h"
#include "common/encoding.h"
#include "common/hash.h"
#include "common/json.h"
#include "common/log.h"
#include "common/protobuf.h"

#define LOG_MOD "txsub"
#define ACCOUNT_PATH "/cosmos.auth.v1beta1.Query/Account"
#define SIMULATE_PATH "/cosmos.tx.v1beta1.Service/Simulate"
#define DEFAULT_TIMEOUT_MS 10000u
#define DEFAULT_POLL_MS 200u
#define PREFIX_MAX 83u			/* BIP-173 HRP */
#define SIMULATE_REPLY_MAX (1u << 20)

struct rly_txsub {
	struct cmt_loop *loop;
	struct cmt_client *client;
	struct cosmos_key key;		/* secret */
	char chain_id[COSMOS_CHAIN_ID_MAX + 1];
	char address[COSMOS_BECH32_MAX_LEN + 1];
	char gas_denom[COSMOS_TX_MAX_DENOM + 1];
	struct rly_decimal gas_price;
	struct rly_decimal gas_adjustment;
	uint64_t gas_default, gas_max;
	bool simulate;
	uint32_t timeout_ms, poll_ms;
	struct rly_txsub_state st;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void rly_txsub_opts_from_config(struct rly_txsub_opts *opts, const struct rly_config_chain *chain)
{
	memset(opts, 0, sizeof(*opts));
	opts->chain_id = chain->id;
	opts->account_prefix = chain->account_prefix;
	opts->gas_denom = chain->gas_denom;
	opts->gas_price = chain->gas_price_amount;
	opts->gas_default = chain->gas_limit;
	opts->gas_max = chain->gas_limit;
	opts->simulate = true;
	opts->gas_adjustment = chain->gas_adjustment;
}

/* value = units / 10^decimals compared with whole numbers lo..hi. */
static bool decimal_within(const struct rly_decimal *d, uint64_t lo, uint64_t hi)
{
	uint64_t scale = 1;

	if (d->decimals > 18)
		return false;
	for (uint32_t i = 0; i < d->decimals; i++)
		scale *= 10;
	return d->units / scale >= lo && (d->units / scale < hi ||
					  (d->units / scale == hi && d->units % scale == 0));
}

static bool opts_check(struct px_err *err, const struct rly_txsub_opts *o)
{
	size_t n;

	if (!o->chain_id || !*o->chain_id || strlen(o->chain_id) > COSMOS_CHAIN_ID_MAX)
		return px_err_set(err, PX_E_USAGE, "submitter: chain id must be 1..%d bytes",
				  COSMOS_CHAIN_ID_MAX);
	if (!o->account_prefix || !*o->account_prefix || strlen(o->account_prefix) > PREFIX_MAX)
		return px_err_set(err, PX_E_USAGE, "submitter: account prefix must be 1..%u bytes",
				  PREFIX_MAX);
	n = o->gas_denom ? strlen(o->gas_denom) : 0;
	if (n < 3 || n > COSMOS_TX_MAX_DENOM)
		return px_err_set(err, PX_E_USAGE, "submitter: gas denom must be 3..%d bytes",
				  COSMOS_TX_MAX_DENOM);
	if (o->gas_price.decimals > 18)
		return px_err_set(err, PX_E_USAGE, "submitter: gas price has more than 18 decimals");
	if (o->gas_default == 0 || (o->gas_max && o->gas_default > o->gas_max))
		return px_err_set(err, PX_E_USAGE,
				  "submitter: default gas %" PRIu64 " must be in 1..max gas %" PRIu64,
				  o->gas_default, o->gas_max);
	if (o->simulate && o->gas_adjustment.units && !decimal_within(&o->gas_adjustment, 1, 10))
		return px_err_set(err, PX_E_USAGE, "submitter: gas adjustment must be in [1, 10]");
	if (!o->key || !cosmos_pubkey_valid(o->key->pub, COSMOS_PUBKEY_LEN))
		return px_err_set(err, PX_E_USAGE, "submitter: no usable key");
	return true;
}

bool rly_txsub_open(struct px_err *err, struct rly_txsub **out, struct cmt_loop *loop,
		    struct cmt_client *client, const struct rly_txsub_opts *opts)
{
	struct rly_txsub *s;
	uint8_t addr[COSMOS_ADDR_LEN];

	*out = NULL;
	if (!loop || !client || !opts)
		return px_err_set(err, PX_E_USAGE, "submitter: NULL argument");
	if (!opts_check(err, opts))
		return false;
	s = calloc(1, sizeof(*s));
	if (!s)
		return px_err_set(err, PX_E_NOMEM, "submitter: out of memory");
	cosmos_pubkey_address(addr, opts->key->pub);
	if (!cosmos_address_encode(err, s->address, sizeof(s->address), opts->account_prefix, addr,
				   sizeof(addr))) {
		free(s);
		px_err_prefix(err, "submitter: ");
		return false;
	}
	s->loop = loop;
	s->client = client;
	s->key = *opts->key;
	snprintf(s->chain_id, sizeof(s->chain_id), "%s", opts->chain_id);
	snprintf(s->gas_denom, sizeof(s->gas_denom), "%s", opts->gas_denom);
	s->gas_price = opts->gas_price;
	s->gas_adjustment = opts->gas_adjustment;
	if (!s->gas_adjustment.units)
		s->gas_adjustment = (struct rly_decimal){ 13, 1 };
	s->gas_default = opts->gas_default;
	s->gas_max = opts->gas_max ? opts->gas_max : opts->gas_default;
	s->simulate = opts->simulate;
	s->timeout_ms = opts->timeout_ms ? opts->timeout_ms : DEFAULT_TIMEOUT_MS;
	s->poll_ms = opts->poll_ms ? opts->poll_ms : DEFAULT_POLL_MS;
	*out = s;
	return true;
}

void rly_txsub_close(struct rly_txsub *s)
{
	if (!s)
		return;
	cosmos_key_wipe(&s->key);
	free(s);
}

const char *rly_txsub_address(const struct rly_txsub *s)
{
	return s->address;
}

void rly_txsub_state(const struct rly_txsub *s, struct rly_txsub_state *out)
{
	*out = s->st;
}

void rly_txsub_resync(struct rly_txsub *s)
{
	s->st.synced = false;
}

/* ---- the account ---- */

/* cmt_client_call_sync, saying so when the node is out of reach: a
 * request made while disconnected waits for a reconnection until its
 * timeout, and "no reply" alone would hide why. */
static bool call(struct px_err *err, json_t **res, struct rly_txsub *s, const char *method,
		 json_t *params, uint32_t timeout_ms)
{
	if (cmt_client_call_sync(err, res, s->client, method, params, timeout_ms))
		return true;
	if (err && err->code == PX_E_RPC && cmt_client_state(s->client) == CMT_DISCONNECTED)
		px_err_prefix(err, "node unreachable: ");
	return false;
}

static bool abci_query(struct px_err *err, json_t **res, struct rly_txsub *s, const char *path,
		       const struct px_buf *req)
{
	json_t *params;

	if (!px_buf_ok(req))
		return px_err_set(err, PX_E_NOMEM, "%s: out of memory", path);
	params = cmt_params_abci_query(path, req->data, req->len, 0, false);
	if (!params)
		return px_err_set(err, PX_E_NOMEM, "%s: out of memory", path);
	return call(err, res, s, "abci_query", params, s->timeout_ms);
}

static bool account_sync(struct px_err *err, struct rly_txsub *s)
{
	struct px_buf req = PX_BUF_INIT;
	struct rly_account acc;
	json_t *res = NULL;
	bool ok = false;

	px_pb_put_bytes(&req, 1, (const uint8_t *)s->address, strlen(s->address));
	if (!abci_query(err, &res, s, ACCOUNT_PATH, &req) || !rly_account_reply(err, &acc, res))
		goto out;
	if (strcasecmp(acc.address, s->address) != 0) {
		px_err_set(err, PX_E_MALFORMED, "the reply is for account %s", acc.address);
		goto out;
	}
	s->st.synced = true;
	s->st.account_number = acc.number;
	s->st.sequence = acc.sequence;
	px_debug(LOG_MOD, "%s: %s is account %" PRIu64 ", sequence %" PRIu64, s->chain_id,
		 s->address, acc.number, acc.sequence);
	ok = true;
out:
	if (!ok)
		px_err_prefix(err, "%s: account %s: ", s->chain_id, s->address);
	json_decref(res);
	px_buf_free(&req);
	return ok;
}

/* A sequence mismatch on the first attempt: take the chain's word for the
 * next sequence, or ask again, and say that a second attempt is due. */
static bool sequence_retry(struct rly_txsub *s, const struct rly_tx_result *r, int attempt)
{
	uint64_t want;

	if (attempt > 0 || r->code != RLY_TX_CODE_WRONG_SEQUENCE || strcmp(r->codespace, "sdk") != 0)
		return false;
	if (rly_txsub_expected_sequence(&want, r->log)) {
		px_info(LOG_MOD, "%s: sequence %" PRIu64 " refused, the chain expects %" PRIu64,
			s->chain_id, s->st.sequence, want);
		s->st.sequence = want;
	} else {
		px_info(LOG_MOD, "%s: sequence %" PRIu64 " refused; querying the account",
			s->chain_id, s->st.sequence);
		s->st.synced = false;
	}
	s->st.resyncs++;
	return true;
}

/* ---- signing, simulation, broadcast ---- */

static bool sign_tx(struct px_err *err, struct px_buf *tx, const struct rly_txsub *s,
		    const struct cosmos_any *msgs, size_t n_msgs, const char *memo, uint64_t gas)
{
	char amount[48];
	struct cosmos_coin fee;
	struct cosmos_tx_params p;

	if (!rly_txsub_fee_amount(err, amount, sizeof(amount), gas, &s->gas_price))
		return false;
	fee.denom = cosmos_str(s->gas_denom);
	fee.amount = cosmos_str(amount);
	memset(&p, 0, sizeof(p));
	p.messages = msgs;
	p.n_messages = n_msgs;
	p.memo = cosmos_str(memo);
	p.fee = &fee;
	p.n_fee = strcmp(amount, "0") != 0;	/* the SDK refuses zero coins */
	p.gas_limit = gas;
	p.chain_id = cosmos_str(s->chain_id);
	p.account_number = s->st.account_number;
	p.sequence = s->st.sequence;
	return cosmos_tx_sign_direct(err, tx, NULL, &s->key, &p);
}

static void refusal_set(struct rly_tx_result *r, uint32_t code, const char *codespace,
			const char *log)
{
	r->code = code;
	snprintf(r->codespace, sizeof(r->codespace), "%s", codespace);
	snprintf(r->log, sizeof(r->log), "%s", log);
}

/* SimulateResponse {GasInfo gas_info = 1 {gas_wanted = 1, gas_used = 2}}. */
static bool simulate_gas_used(struct px_err *err, uint64_t *used, const struct px_buf *v)
{
	struct px_cursor c = px_cursor_init(v->data, v->len), gi;

	*used = 0;
	while (px_cursor_more(&c)) {
		uint32_t f, w;

		px_pb_read_tag(&c, &f, &w);
		if (f != 1) {
			px_pb_skip(&c, w);
			continue;
		}
		px_pb_read_message(&c, w, &gi, SIMULATE_REPLY_MAX);
		while (px_cursor_more(&gi)) {
			uint32_t gf, gw;

			px_pb_read_tag(&gi, &gf, &gw);
			if (gf == 2)
				*used = px_pb_read_uint64(&gi, gw);
			else
				px_pb_skip(&gi, gw);
		}
	}
	if (!px_cursor_ok(&c))
		return px_err_set(err, PX_E_MALFORMED, "simulate reply: %s at byte %zu",
				  px_cursor_error(&c), px_cursor_offset(&c));
	if (*used == 0)
		return px_err_set(err, PX_E_MALFORMED, "simulate reply: no gas_used");
	return true;
}

/* The gas limit for msgs: the simulation's figure times the adjustment,
 * capped. A refusal by the simulation comes back in r->code (true). */
static bool simulate(struct px_err *err, uint64_t *gas, struct rly_tx_result *r,
		     struct rly_txsub *s, const struct cosmos_any *msgs, size_t n_msgs,
		     const char *memo)
{
	struct px_buf tx = PX_BUF_INIT, req = PX_BUF_INIT, value = PX_BUF_INIT;
	struct rly_abci_response ar;
	json_t *res = NULL;
	uint64_t used;
	bool ok = false;

	if (!sign_tx(err, &tx, s, msgs, n_msgs, memo, s->gas_default))
		goto out;
	px_pb_put_bytes(&req, 2, tx.data, tx.len);	/* SimulateRequest.tx_bytes */
	if (!abci_query(err, &res, s, SIMULATE_PATH, &req) ||
	    !rly_abci_reply(err, &ar, &value, res))
		goto out;
	if (ar.code == RLY_TX_CODE_UNKNOWN_REQUEST && strcmp(ar.codespace, "sdk") == 0) {
		px_info(LOG_MOD, "%s: the node cannot simulate (%s); gas %" PRIu64, s->chain_id,
			ar.log, s->gas_default);
		*gas = s->gas_default;
		ok = true;
		goto out;
	}
	if (ar.code) {
		refusal_set(r, ar.code, ar.codespace, ar.log);
		ok = true;
		goto out;
	}
	if (!simulate_gas_used(err, &used, &value))
		goto out;
	if (used > s->gas_max) {
		px_err_set(err, PX_E_CONFIG, "the transaction needs %" PRIu64 " gas, more than the "
			   "limit %" PRIu64, used, s->gas_max);
		goto out;
	}
	*gas = rly_txsub_gas_adjust(used, &s->gas_adjustment);
	if (*gas > s->gas_max)
		*gas = s->gas_max;
	ok = true;
out:
	if (!ok)
		px_err_prefix(err, "%s: simulate: ", s->chain_id);
	json_decref(res);
	px_buf_free(&tx);
	px_buf_free(&req);
	px_buf_free(&value);
	return ok;
}

/* broadcast_tx_sync: true with CheckTx's verdict in r (code 0: in the
 * mempool). False when the outcome is unknown: the account is then
 * queried before the next transaction. */
static bool broadcast(struct px_err *err, struct rly_tx_result *r, struct rly_txsub *s,
		      const struct px_buf *tx)
{
	uint8_t h[PX_SHA256_LEN];
	json_t *params, *res = NULL;
	const char *hash = "";
	uint64_t code = 0;
	bool ok = false;

	px_sha256(h, tx->data, tx->len);
	px_hex_encode(r->hash, sizeof(r->hash), h, sizeof(h), true);
	params = cmt_params_broadcast_tx(tx->data, tx->len);
	if (!params) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto out;
	}
	if (!call(err, &res, s, "broadcast_tx_sync", params, s->timeout_ms)) {
		s->st.synced = false;
		goto out;
	}
	if (!json_is_object(res) || !px_json_get_u64(err, &code, res, "code") ||
	    !px_json_get_string(err, &hash, res, "hash")) {
		px_err_set(err, PX_E_JSON, "want an object");
		goto bad_reply;
	}
	if (code > UINT32_MAX || strcasecmp(hash, r->hash) != 0) {
		px_err_set(err, PX_E_MALFORMED, "code %" PRIu64 " and hash '%.70s' for tx %s", code,
			   hash, r->hash);
		goto bad_reply;
	}
	r->code = (uint32_t)code;
	if (r->code) {
		const char *cs = "", *log = "";
		bool present;

		if (!px_json_opt_string(err, &cs, &present, res, "codespace") ||
		    !px_json_opt_string(err, &log, &present, res, "log"))
			goto bad_reply;
		refusal_set(r, r->code, cs, log);
	}
	ok = true;
	goto out;
bad_reply:
	s->st.synced = false;
	px_err_prefix(err, "broadcast_tx_sync reply: ");
out:
	if (!ok)
		px_err_prefix(err, "%s: ", s->chain_id);
	json_decref(res);
	return ok;
}

bool rly_txsub_submit(struct px_err *err, struct rly_tx_result *out, struct rly_txsub *s,
		      const struct cosmos_any *msgs, size_t n_msgs, const char *memo)
{
	return rly_txsub_submit_ex(err, out, s, msgs, n_msgs, memo, NULL, NULL);
}

bool rly_txsub_submit_ex(struct px_err *err, struct rly_tx_result *out, struct rly_txsub *s,
			 const struct cosmos_any *msgs, size_t n_msgs, const char *memo,
			 rly_txsub_signed_fn on_signed, void *arg)
{
	struct px_buf tx = PX_BUF_INIT;
	struct rly_tx_result r;
	const char *what = "CheckTx";
	bool ok = false;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	if (!s || !msgs || n_msgs == 0 || n_msgs > COSMOS_TX_MAX_MSGS)
		return px_err_set(err, PX_E_USAGE, "submit: want 1..%d messages", COSMOS_TX_MAX_MSGS);
	if (memo && strlen(memo) > COSMOS_TX_MAX_MEMO)
		return px_err_set(err, PX_E_USAGE, "submit: memo longer than %d bytes",
				  COSMOS_TX_MAX_MEMO);
	for (int attempt = 0; attempt < 2; attempt++) {
		uint64_t gas = s->gas_default;

		memset(&r, 0, sizeof(r));
		if (!s->st.synced && !account_sync(err, s))
			goto out;
		if (s->simulate) {
			if (!simulate(err, &gas, &r, s, msgs, n_msgs, memo))
				goto out;
			if (r.code) {
				if (sequence_retry(s, &r, attempt))
					continue;
				what = "the simulation";
				break;
			}
		}
		r.sequence = s->st.sequence;
		r.gas_wanted = gas;
		if (!sign_tx(err, &tx, s, msgs, n_msgs, memo, gas))
			goto out;
		if (on_signed) {
			uint8_t h[PX_SHA256_LEN];
			char hex[RLY_TX_HASH_HEX_LEN + 1];

			px_sha256(h, tx.data, tx.len);
			px_hex_encode(hex, sizeof(hex), h, sizeof(h), true);
			if (!on_signed(arg, err, hex))
				goto out;
		}
		if (!broadcast(err, &r, s, &tx))
			goto out;
		if (r.code) {
			if (sequence_retry(s, &r, attempt))
				continue;
			break;
		}
		s->st.sequence++;
		px_debug(LOG_MOD, "%s: tx %s in the mempool (sequence %" PRIu64 ", gas %" PRIu64 ")",
			 s->chain_id, r.hash, r.sequence, gas);
		*out = r;
		ok = true;
		goto out;
	}
	*out = r;
	px_err_set(err, PX_E_RPC, "%s: %s refused the transaction: code %" PRIu32 " (%s): %s",
		   s->chain_id, what, r.code, r.codespace[0] ? r.codespace : "no codespace", r.log);
out:
	px_buf_free(&tx);
	return ok;
}

/* ---- waiting for the block ---- */

/* Runs the loop (other clients go on) until ms have passed. */
static bool pause_ms(struct rly_txsub *s, int64_t ms)
{
	int64_t until = now_ms() + ms;

	for (int64_t left = ms; left > 0; left = until - now_ms())
		if (!cmt_loop_service(s->loop, (int)left))
			return false;
	return true;
}

bool rly_txsub_wait(struct px_err *err, struct rly_tx_result *out, struct rly_txsub *s,
		    const char *hash, uint32_t timeout_ms)
{
	uint8_t h[PX_SHA256_LEN];
	struct px_err e = { 0 };
	int64_t deadline = now_ms() + timeout_ms;

	memset(out, 0, sizeof(*out));
	if (!s || !hash || strlen(hash) != RLY_TX_HASH_HEX_LEN ||
	    !px_hex_decode_fixed(&e, h, sizeof(h), hash, RLY_TX_HASH_HEX_LEN))
		return px_err_set(err, PX_E_USAGE, "wait: want a transaction hash of 64 hex digits");
	for (;;) {
		int64_t left = deadline - now_ms();
		json_t *params = cmt_params_tx(h, sizeof(h), false), *res = NULL;
		const char *got = NULL;
		bool present = false;

		if (!params)
			return px_err_set(err, PX_E_NOMEM, "wait: out of memory");
		px_err_clear(&e);
		if (call(&e, &res, s, "tx", params,
			 (uint32_t)(left < 1 ? 1 : left < s->timeout_ms ? left : s->timeout_ms))) {
			bool ok = rly_tx_reply(err, out, res) &&
				  px_json_opt_string(err, &got, &present, res, "hash");

			if (ok && present && strcasecmp(got, hash) != 0)
				ok = px_err_set(err, PX_E_MALFORMED, "the reply is for tx %.70s", got);
			json_decref(res);
			if (!ok) {
				rly_tx_result_clear(out);
				px_err_prefix(err, "%s: tx %s: ", s->chain_id, hash);
				return false;
			}
			px_hex_encode(out->hash, sizeof(out->hash), h, sizeof(h), true);
			if (out->code)
				return px_err_set(err, PX_E_RPC, "%s: tx %s failed in block %" PRId64
						  ": code %" PRIu32 " (%s): %s", s->chain_id,
						  out->hash, out->height, out->code,
						  out->codespace[0] ? out->codespace : "no codespace",
						  out->log);
			return true;
		}
		/* CometBFT answers "tx (HASH) not found" until the block is
		 * indexed; anything else (connection lost, no reply) ends
		 * the wait. */
		if (e.code != PX_E_RPC || !strstr(e.msg, "not found")) {
			px_err_set(err, e.code, "%s: waiting for tx %s: %s", s->chain_id, hash, e.msg);
			return false;
		}
		left = deadline - now_ms();
		if (left <= 0)
			return px_err_set(err, PX_E_RPC, "%s: tx %s not in a block after %" PRIu32 " ms",
					  s->chain_id, hash, timeout_ms);
		if (!pause_ms(s, left < s->poll_ms ? left : s->poll_ms))
			return px_err_set(err, PX_E_USAGE, "%s: waiting for tx %s: the event loop "
					  "refused to run (called from a callback?)", s->chain_id,
					  hash);
	}
}
