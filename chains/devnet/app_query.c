/* The devnet application's genesis (InitChain) and its gRPC-over-ABCI
 * queries (see app.h): the request and response protobufs of
 * cosmos.auth.v1beta1.Query/Account, cosmos.bank.v1beta1.Query/Balance
 * and AllBalances, cosmos.tx.v1beta1.Service/Simulate and
 * cosmos.base.tendermint.v1beta1.Service/GetNodeInfo, which is what
 * @cosmjs/stargate asks when it reads an account or a balance and
 * estimates gas. The IBC and staking services are in app_query_ibc.c. */
#include "chains/devnet/app_internal.h"
#include "chains/devnet/app_query_ibc.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "chains/cosmos/bech32.h"
#include "chains/cosmos/tx.h"
#include "common/json.h"
#include "common/protobuf.h"

#define ALL_BALANCES_MAX 1000u

/* ---- InitChain ---- */

static bool genesis_address(struct px_err *err, const struct devnet_app *a,
			    uint8_t out[COSMOS_ADDR_LEN], const json_t *o)
{
	const char *s;
	size_t n = 0;

	if (!px_json_get_string(err, &s, o, "address"))
		return false;
	if (!cosmos_address_decode(err, out, COSMOS_ADDR_LEN, &n, a->prefix, s, strlen(s)) ||
	    n != COSMOS_ADDR_LEN)
		return px_err_set(err, PX_E_MALFORMED, "address '%.60s': want a %s1... address of 20 "
				  "bytes", s, a->prefix);
	return true;
}

static bool ensure_account(struct px_err *err, struct app_cache *c,
			   const uint8_t addr[COSMOS_ADDR_LEN])
{
	struct devnet_account acc;
	bool found;

	return app_account_get(err, c, addr, &acc, &found) &&
	       (found || app_account_create(err, c, addr, &acc));
}

static bool genesis_coins(struct px_err *err, struct app_cache *c,
			  const uint8_t addr[COSMOS_ADDR_LEN], const json_t *coins)
{
	size_t i;
	json_t *coin;

	if (!json_is_array(coins) || json_array_size(coins) > COSMOS_TX_MAX_COINS)
		return px_err_set(err, PX_E_JSON, "coins: want an array of at most %d",
				  COSMOS_TX_MAX_COINS);
	json_array_foreach(coins, i, coin) {
		const char *denom, *amount;
		devnet_u128 v;

		if (!json_is_object(coin) || !px_json_get_string(err, &denom, coin, "denom") ||
		    !px_json_get_string(err, &amount, coin, "amount"))
			return px_err_set(err, PX_E_JSON, "coin %zu: want {denom, amount}", i);
		if (strlen(denom) < 3 || strlen(denom) > DEVNET_DENOM_MAX ||
		    !devnet_u128_parse(&v, amount, strlen(amount)))
			return px_err_set(err, PX_E_MALFORMED, "coin %zu: bad denom or amount", i);
		if (!app_balance_set(err, c, addr, cosmos_str(denom), v))
			return false;
	}
	return true;
}

bool devnet_app_init_chain(struct px_err *err, struct devnet_app *a, const json_t *app_state)
{
	const json_t *auth = json_object_get(app_state, "auth"),
		     *bank = json_object_get(app_state, "bank");
	const json_t *accounts = json_object_get(auth, "accounts"),
		     *balances = json_object_get(bank, "balances");
	struct app_cache c;
	uint8_t addr[COSMOS_ADDR_LEN];
	size_t i;
	json_t *o;
	bool ok = false;

	app_cache_init(&c, a, NULL, DEVNET_IAVL_WORKING);
	/* The fee collector is a module account from genesis on, as in the
	 * SDK, so user accounts are numbered after it. */
	if (!ensure_account(err, &c, a->fee_collector))
		goto out;
	if ((accounts && !json_is_array(accounts)) || (balances && !json_is_array(balances))) {
		px_err_set(err, PX_E_JSON, "app_state: auth.accounts and bank.balances must be arrays");
		goto out;
	}
	json_array_foreach(accounts, i, o) {
		if (!json_is_object(o) || !genesis_address(err, a, addr, o) ||
		    !ensure_account(err, &c, addr)) {
			px_err_set(err, PX_E_JSON, "want an object");
			px_err_prefix(err, "app_state.auth.accounts %zu: ", i);
			goto out;
		}
	}
	json_array_foreach(balances, i, o) {
		if (!json_is_object(o) || !genesis_address(err, a, addr, o) ||
		    !ensure_account(err, &c, addr) ||
		    !genesis_coins(err, &c, addr, json_object_get(o, "coins"))) {
			px_err_set(err, PX_E_JSON, "want an object");
			px_err_prefix(err, "app_state.bank.balances %zu: ", i);
			goto out;
		}
	}
	ok = app_cache_flush(err, &c);
out:
	app_cache_free(&c);
	return ok;
}

/* ---- queries ---- */

static bool q_fail(struct devnet_app_query *q, uint32_t code, const char *fmt, ...) PX_PRINTF(3, 4);

static bool q_fail(struct devnet_app_query *q, uint32_t code, const char *fmt, ...)
{
	va_list ap;

	q->code = code;
	va_start(ap, fmt);
	vsnprintf(q->log, sizeof(q->log), fmt, ap);
	va_end(ap);
	return true;
}

/* Reads string fields 1 and 2 of a request (address and denom); other
 * fields are skipped. */
static bool read_request(struct px_slice *f1, struct px_slice *f2, const uint8_t *data, size_t len)
{
	struct px_cursor c = px_cursor_init(data, len);

	memset(f1, 0, sizeof(*f1));
	memset(f2, 0, sizeof(*f2));
	while (px_cursor_more(&c)) {
		uint32_t f, w;

		px_pb_read_tag(&c, &f, &w);
		if (f == 1)
			px_pb_read_bytes(&c, w, f1, COSMOS_BECH32_MAX_LEN);
		else if (f == 2 && w == PX_WIRE_LEN)
			px_pb_read_bytes(&c, w, f2, DEVNET_DENOM_MAX + 1);
		else
			px_pb_skip(&c, w);
	}
	return px_cursor_ok(&c);
}

static bool request_address(struct devnet_app *a, struct devnet_app_query *q,
			    uint8_t addr[COSMOS_ADDR_LEN], struct px_slice s)
{
	struct px_err e = { 0 };
	size_t n = 0;

	if (s.len == 0)
		return !q_fail(q, DEVNET_CODE_INVALID_REQUEST,
			       "rpc error: code = InvalidArgument desc = empty address string is not "
			       "allowed: invalid request");
	if (!cosmos_address_decode(&e, addr, COSMOS_ADDR_LEN, &n, a->prefix, (const char *)s.ptr,
				   s.len) || n != COSMOS_ADDR_LEN)
		return !q_fail(q, DEVNET_CODE_INVALID_REQUEST,
			       "rpc error: code = InvalidArgument desc = invalid address: %s: invalid "
			       "request", e.code ? e.msg : "want 20 bytes");
	return true;
}

static void put_coin(struct px_buf *b, uint32_t field, struct px_slice denom, devnet_u128 amount)
{
	struct px_buf coin = PX_BUF_INIT;
	char num[48];

	devnet_u128_format(num, amount);
	px_pb_put_bytes(&coin, 1, denom.ptr, denom.len);
	px_pb_put_bytes(&coin, 2, (const uint8_t *)num, strlen(num));
	px_pb_put_bytes(b, field, coin.data, coin.len);
	if (!px_buf_ok(&coin))
		b->failed = true;
	px_buf_free(&coin);
}

static bool q_account(struct px_err *err, struct devnet_app *a, struct devnet_app_query *q,
		      const uint8_t *data, size_t len, int64_t version)
{
	struct px_slice s, unused;
	struct devnet_account acc;
	uint8_t addr[COSMOS_ADDR_LEN];
	struct px_buf any = PX_BUF_INIT;
	bool found;

	if (!read_request(&s, &unused, data, len))
		return q_fail(q, DEVNET_CODE_TX_DECODE, "rpc error: code = InvalidArgument desc = "
			      "bad request: tx parse error");
	if (!request_address(a, q, addr, s))
		return true;
	if (!devnet_app_account(err, &acc, &found, a, version, addr))
		return false;
	if (!found)
		return q_fail(q, DEVNET_CODE_KEY_NOT_FOUND,
			      "rpc error: code = NotFound desc = account %.*s not found: key not found",
			      (int)s.len, (const char *)s.ptr);
	app_account_encode(&any, a, &acc);
	px_pb_put_bytes(&q->value, 1, any.data, any.len);
	if (!px_buf_ok(&any))
		q->value.failed = true;
	px_buf_free(&any);
	return true;
}

static bool q_balance(struct px_err *err, struct devnet_app *a, struct devnet_app_query *q,
		      const uint8_t *data, size_t len, int64_t version)
{
	struct px_slice s, denom;
	uint8_t addr[COSMOS_ADDR_LEN];
	devnet_u128 v = 0;
	struct app_cache c;
	bool ok;

	if (!read_request(&s, &denom, data, len))
		return q_fail(q, DEVNET_CODE_TX_DECODE, "rpc error: code = InvalidArgument desc = "
			      "bad request: tx parse error");
	if (!request_address(a, q, addr, s))
		return true;
	if (denom.len < 3 || denom.len > DEVNET_DENOM_MAX)
		return q_fail(q, DEVNET_CODE_INVALID_COINS,
			      "rpc error: code = InvalidArgument desc = invalid denom: invalid coins");
	app_cache_init(&c, a, NULL, version);
	ok = app_balance_get(err, &c, addr, denom, &v);
	app_cache_free(&c);
	if (ok)
		put_coin(&q->value, 1, denom, v);
	return ok;
}

struct all_ctx {
	uint8_t prefix[2 + COSMOS_ADDR_LEN];
	struct px_buf *out;
	size_t n;
	bool bad;
};

static bool all_visit(void *ctx, struct px_slice key, struct px_slice value)
{
	struct all_ctx *x = ctx;
	devnet_u128 v;

	if (key.len <= sizeof(x->prefix) || memcmp(key.ptr, x->prefix, sizeof(x->prefix)) != 0)
		return false;
	if (x->n == ALL_BALANCES_MAX)
		return false;
	if (!devnet_u128_parse(&v, (const char *)value.ptr, value.len)) {
		x->bad = true;
		return false;
	}
	put_coin(x->out, 1, (struct px_slice){ key.ptr + sizeof(x->prefix), key.len - sizeof(x->prefix) },
		 v);
	x->n++;
	return true;
}

static bool q_all_balances(struct px_err *err, struct devnet_app *a, struct devnet_app_query *q,
			   const uint8_t *data, size_t len, int64_t version)
{
	struct px_slice s, unused;
	struct all_ctx x = { .out = &q->value };
	struct px_buf page = PX_BUF_INIT;

	if (!read_request(&s, &unused, data, len))
		return q_fail(q, DEVNET_CODE_TX_DECODE, "rpc error: code = InvalidArgument desc = "
			      "bad request: tx parse error");
	if (!request_address(a, q, x.prefix + 2, s))
		return true;
	x.prefix[0] = APP_BALANCE_PREFIX;
	x.prefix[1] = COSMOS_ADDR_LEN;
	if (!devnet_iavl_iterate(err, a->stores[APP_ST_BANK], version, x.prefix, sizeof(x.prefix),
				 all_visit, &x))
		return false;
	if (x.bad)
		return px_err_set(err, PX_E_MALFORMED, "stored balance");
	/* PageResponse{total = 2} */
	if (x.n)
		px_pb_put_uint64(&page, 2, x.n);
	px_pb_put_bytes(&q->value, 2, page.data, page.len);
	if (!px_buf_ok(&page))
		q->value.failed = true;
	px_buf_free(&page);
	return true;
}

static bool q_simulate(struct px_err *err, struct devnet_app *a, struct devnet_app_query *q,
		       const uint8_t *data, size_t len)
{
	struct px_cursor c = px_cursor_init(data, len);
	struct px_slice tx = { 0 };
	struct devnet_tx_result res;
	struct px_buf gas = PX_BUF_INIT, result = PX_BUF_INIT;

	while (px_cursor_more(&c)) {
		uint32_t f, w;

		px_pb_read_tag(&c, &f, &w);
		if (f == 2)
			px_pb_read_bytes(&c, w, &tx, COSMOS_TX_MAX_BYTES);
		else
			px_pb_skip(&c, w);
	}
	if (!px_cursor_ok(&c) || tx.len == 0)
		return q_fail(q, DEVNET_CODE_INVALID_REQUEST,
			      "rpc error: code = InvalidArgument desc = empty txBytes is not allowed: "
			      "invalid request");
	if (!devnet_app_simulate(err, a, &res, tx.ptr, tx.len))
		return false;
	if (res.code) {
		q_fail(q, res.code, "%s", res.log);
		devnet_tx_result_free(&res);
		return true;
	}
	px_pb_put_uint64(&gas, 1, (uint64_t)res.gas_wanted);
	px_pb_put_uint64(&gas, 2, (uint64_t)res.gas_used);
	if (res.data.len)
		px_pb_put_bytes(&result, 1, res.data.data, res.data.len);
	px_pb_put_bytes(&q->value, 1, gas.data, gas.len);
	px_pb_put_bytes(&q->value, 2, result.data, result.len);
	if (!px_buf_ok(&gas) || !px_buf_ok(&result))
		q->value.failed = true;
	px_buf_free(&gas);
	px_buf_free(&result);
	devnet_tx_result_free(&res);
	return true;
}

static void put_str(struct px_buf *b, uint32_t field, const char *s)
{
	if (s && *s)
		px_pb_put_bytes(b, field, (const uint8_t *)s, strlen(s));
}

static void put_sub(struct px_buf *b, uint32_t field, struct px_buf *sub)
{
	px_pb_put_bytes(b, field, sub->data, sub->len);
	if (!px_buf_ok(sub))
		b->failed = true;
	px_buf_free(sub);
}

static bool q_node_info(struct devnet_app *a, struct devnet_app_query *q, const char *listen_addr)
{
	struct px_buf ni = PX_BUF_INIT, pv = PX_BUF_INIT, other = PX_BUF_INIT, ver = PX_BUF_INIT;

	px_pb_put_uint64(&pv, 1, 8);
	px_pb_put_uint64(&pv, 2, 11);
	put_sub(&ni, 1, &pv);
	put_str(&ni, 2, "0000000000000000000000000000000000000000");
	put_str(&ni, 3, listen_addr);
	put_str(&ni, 4, a->chain_id);
	put_str(&ni, 5, "0.38.0");
	put_str(&ni, 7, "pontifex-devnet");
	put_str(&other, 1, "on");
	put_str(&other, 2, listen_addr);
	put_sub(&ni, 8, &other);
	put_str(&ver, 1, "pontifex-devnet");
	put_str(&ver, 2, "pontifex-devnet");
	put_str(&ver, 3, "0.1.0");
	put_str(&ver, 8, "v0.50.0-devnet");
	put_sub(&q->value, 1, &ni);
	put_sub(&q->value, 2, &ver);
	return true;
}

bool devnet_app_query(struct px_err *err, struct devnet_app *a, struct devnet_app_query *out,
		      const char *path, const uint8_t *data, size_t len, int64_t version,
		      const char *listen_addr)
{
	bool ok = true;

	memset(out, 0, sizeof(*out));
	out->handled = true;
	out->height = version ? version : devnet_multi_version(a->multi);
	if (version == 0 && out->height == 0)
		version = DEVNET_IAVL_WORKING;	/* before the first block: genesis state */
	if (strcmp(path, "/cosmos.auth.v1beta1.Query/Account") == 0)
		ok = q_account(err, a, out, data, len, version);
	else if (strcmp(path, "/cosmos.bank.v1beta1.Query/Balance") == 0)
		ok = q_balance(err, a, out, data, len, version);
	else if (strcmp(path, "/cosmos.bank.v1beta1.Query/AllBalances") == 0)
		ok = q_all_balances(err, a, out, data, len, version);
	else if (strcmp(path, "/cosmos.tx.v1beta1.Service/Simulate") == 0)
		ok = q_simulate(err, a, out, data, len);
	else if (strcmp(path, "/cosmos.base.tendermint.v1beta1.Service/GetNodeInfo") == 0)
		ok = q_node_info(a, out, listen_addr ? listen_addr : "");
	else if (app_query_ibc_handles(path))	/* IBC and x/staking: app_query_ibc.c */
		ok = app_query_ibc(err, a, out, path, data, len, version);
	else
		out->handled = false;
	if (ok && !px_buf_ok(&out->value))
		ok = px_err_set(err, PX_E_NOMEM, "query: out of memory");
	if (!ok || out->code)
		px_buf_free(&out->value);
	if (!ok)
		out->handled = false;
	return ok;
}

void devnet_app_query_free(struct devnet_app_query *q)
{
	px_buf_free(&q->value);
}
