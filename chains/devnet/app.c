/* Transactions of the devnet application (see app.h): decoding, the ante
 * steps, MsgSend, gas, fees and the events the Cosmos SDK emits for them;
 * IBC client messages are handed to app_ibc.c.
 * One function, app_run_tx, serves CheckTx, DeliverTx and Simulate; the
 * mode decides what is checked and where the writes go. */
#include "chains/devnet/app_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chains/cosmos/bech32.h"
#include "chains/cosmos/tx.h"
#include "chains/devnet/json_tm.h"
#include "common/protobuf.h"

#define COINS_STR_MAX (COSMOS_TX_MAX_COINS * (DEVNET_DENOM_MAX + 41) + 1)

struct coins {
	size_t n;
	struct px_slice denom[COSMOS_TX_MAX_COINS];
	devnet_u128 amount[COSMOS_TX_MAX_COINS];
};

struct msg_send {
	uint8_t from[COSMOS_ADDR_LEN];
	uint8_t to[COSMOS_ADDR_LEN];
	struct coins coins;
};

/* One run of a transaction. Big (the decoded tx and its messages): on the
 * heap. */
struct run {
	struct devnet_app *a;
	struct devnet_tx_result *res;
	enum app_mode mode;
	int64_t height;
	const uint8_t *raw;
	size_t raw_len;
	struct cosmos_tx tx;
	struct msg_send msgs[COSMOS_TX_MAX_MSGS];	/* .from: every message's signer */
	bool is_ibc[COSMOS_TX_MAX_MSGS];
	struct ibc_msg ibc[COSMOS_TX_MAX_MSGS];
	struct px_buf ibc_resp[COSMOS_TX_MAX_MSGS];	/* response values */
	uint8_t signers[COSMOS_TX_MAX_SIGNERS][COSMOS_ADDR_LEN];
	size_t n_signers;
	uint64_t gas_limit, gas_used;
	struct px_err *err;
	bool internal;		/* an internal failure, err set */
};

void devnet_tx_result_free(struct devnet_tx_result *r)
{
	px_buf_free(&r->data);
	json_decref(r->events);
	memset(r, 0, sizeof(*r));
}

static bool tx_fail(struct run *r, uint32_t code, const char *fmt, ...) PX_PRINTF(3, 4);

static bool tx_fail(struct run *r, uint32_t code, const char *fmt, ...)
{
	va_list ap;

	if (r->res->code || r->internal)
		return false;
	r->res->code = code;
	snprintf(r->res->codespace, sizeof(r->res->codespace), "sdk");
	va_start(ap, fmt);
	vsnprintf(r->res->log, sizeof(r->res->log), fmt, ap);
	va_end(ap);
	return false;
}

static bool refused(struct run *r, const struct app_refusal *ref)
{
	if (r->res->code || r->internal)
		return false;
	r->res->code = ref->code;
	snprintf(r->res->codespace, sizeof(r->res->codespace), "%s", ref->codespace);
	snprintf(r->res->log, sizeof(r->res->log), "%s", ref->log);
	return false;
}

static bool internal(struct run *r)
{
	r->internal = true;
	return false;
}

static bool consume(struct run *r, uint64_t gas, const char *what)
{
	if (gas > UINT64_MAX - r->gas_used)
		r->gas_used = UINT64_MAX;
	else
		r->gas_used += gas;
	if (r->mode != APP_SIMULATE && r->gas_used > r->gas_limit)
		return tx_fail(r, DEVNET_CODE_OUT_OF_GAS,
			       "out of gas in location: %s; gasWanted: %" PRIu64 ", gasUsed: %" PRIu64
			       ": out of gas", what, r->gas_limit, r->gas_used);
	return true;
}

/* ---- events ---- */

/* Appends {type, attributes} with NULL-terminated key, value pairs. */
static bool event(struct run *r, const char *type, ...)
{
	json_t *attrs, *ev;
	const char *k;
	va_list ap;

	if (r->mode != APP_DELIVER)
		return true;
	attrs = json_array();
	if (!attrs)
		return px_err_set(r->err, PX_E_NOMEM, "events: out of memory"), internal(r);
	va_start(ap, type);
	while ((k = va_arg(ap, const char *))) {
		const char *v = va_arg(ap, const char *);

		if (json_array_append_new(attrs, json_pack("{s:s, s:s, s:b}", "key", k, "value", v,
							   "index", 1)) != 0) {
			va_end(ap);
			json_decref(attrs);
			return px_err_set(r->err, PX_E_NOMEM, "events: out of memory"), internal(r);
		}
	}
	va_end(ap);
	ev = json_pack("{s:s, s:o}", "type", type, "attributes", attrs);
	if (!ev || json_array_append_new(r->res->events, ev) != 0)
		return px_err_set(r->err, PX_E_NOMEM, "events: out of memory"), internal(r);
	return true;
}

static void coins_string(char *out, size_t cap, const struct coins *c)
{
	size_t off = 0;

	out[0] = 0;
	for (size_t i = 0; i < c->n && off < cap; i++) {
		char num[48];
		int n;

		devnet_u128_format(num, c->amount[i]);
		n = snprintf(out + off, cap - off, "%s%s%.*s", i ? "," : "", num,
			     (int)c->denom[i].len, (const char *)c->denom[i].ptr);
		if (n < 0)
			break;
		off += (size_t)n;
	}
}

/* ---- decoding ---- */

static bool coins_from(struct run *r, struct coins *out, const struct cosmos_coin *in, size_t n,
		       bool positive, const char *what)
{
	out->n = 0;
	for (size_t i = 0; i < n; i++) {
		if (!devnet_u128_parse(&out->amount[i], (const char *)in[i].amount.ptr, in[i].amount.len))
			return tx_fail(r, DEVNET_CODE_INVALID_COINS, "%s: amount out of range: invalid coins",
				       what);
		if (positive && !out->amount[i])
			return tx_fail(r, DEVNET_CODE_INVALID_COINS, "%s: zero amount: invalid coins", what);
		if (in[i].denom.len > DEVNET_DENOM_MAX)
			return tx_fail(r, DEVNET_CODE_INVALID_COINS, "%s: denom too long: invalid coins", what);
		if (i && px_slice_cmp(in[i - 1].denom, in[i].denom) >= 0)
			return tx_fail(r, DEVNET_CODE_INVALID_COINS,
				       "%s: denoms not sorted or repeated: invalid coins", what);
		out->denom[i] = in[i].denom;
		out->n++;
	}
	return true;
}

static bool address_from(struct run *r, uint8_t out[COSMOS_ADDR_LEN], struct px_slice s,
			 const char *what)
{
	struct px_err e = { 0 };
	size_t n = 0;

	if (!cosmos_address_decode(&e, out, COSMOS_ADDR_LEN, &n, r->a->prefix, (const char *)s.ptr,
				   s.len) || n != COSMOS_ADDR_LEN)
		return tx_fail(r, DEVNET_CODE_INVALID_ADDRESS, "invalid %s address: %s: invalid address",
			       what, n == COSMOS_ADDR_LEN || e.code ? e.msg : "want 20 bytes");
	return true;
}

/* MsgSend{from_address = 1, to_address = 2, amount = 3 (repeated Coin)}. */
static bool msg_send_decode(struct run *r, struct msg_send *m, struct px_slice v)
{
	struct px_cursor c = px_cursor_init(v.ptr, v.len);
	struct cosmos_coin coins[COSMOS_TX_MAX_COINS];
	struct px_slice from = { 0 }, to = { 0 };
	size_t n = 0;

	while (px_cursor_more(&c)) {
		uint32_t f, w;
		struct px_cursor cc;

		px_pb_read_tag(&c, &f, &w);
		switch (f) {
		case 1: px_pb_read_bytes(&c, w, &from, COSMOS_BECH32_MAX_LEN); break;
		case 2: px_pb_read_bytes(&c, w, &to, COSMOS_BECH32_MAX_LEN); break;
		case 3:
			if (n == COSMOS_TX_MAX_COINS) {
				px_cursor_fail(&c, "too many coins");
				break;
			}
			px_pb_read_message(&c, w, &cc, 512);
			memset(&coins[n], 0, sizeof(coins[n]));
			while (px_cursor_more(&cc)) {
				px_pb_read_tag(&cc, &f, &w);
				if (f == 1)
					px_pb_read_bytes(&cc, w, &coins[n].denom, DEVNET_DENOM_MAX);
				else if (f == 2)
					px_pb_read_bytes(&cc, w, &coins[n].amount, 80);
				else
					px_cursor_fail(&cc, "unknown Coin field");
			}
			n++;
			break;
		default: px_cursor_fail(&c, "unknown MsgSend field"); break;
		}
	}
	if (!px_cursor_ok(&c))
		return tx_fail(r, DEVNET_CODE_TX_DECODE, "MsgSend: %s at byte %zu: tx parse error",
			       px_cursor_error(&c), px_cursor_offset(&c));
	if (!address_from(r, m->from, from, "from") || !address_from(r, m->to, to, "to") ||
	    !coins_from(r, &m->coins, coins, n, true, "MsgSend"))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (coins[i].denom.len < 3)
			return tx_fail(r, DEVNET_CODE_INVALID_COINS, "bad denom: invalid coins");
	}
	if (n == 0)
		return tx_fail(r, DEVNET_CODE_INVALID_COINS, "no coins to send: invalid coins");
	return true;
}

static bool decode(struct run *r)
{
	struct px_err e = { 0 };
	const struct cosmos_tx_body *b = &r->tx.body;

	if (!cosmos_tx_decode(&e, &r->tx, r->raw, r->raw_len))
		return tx_fail(r, DEVNET_CODE_TX_DECODE, "%s: tx parse error", e.msg);
	if (!cosmos_tx_check_basic(&e, &r->tx))
		return tx_fail(r, DEVNET_CODE_INVALID_REQUEST, "%s: invalid request", e.msg);
	if (b->n_extension_options)
		return tx_fail(r, DEVNET_CODE_UNKNOWN_REQUEST,
			       "no extension options are supported: unknown request");
	for (size_t i = 0; i < b->n_messages; i++) {
		const struct cosmos_any *m = &b->messages[i];

		if (app_ibc_handles(m->type_url)) {
			struct app_refusal ref = { 0 };

			r->is_ibc[i] = true;
			app_ibc_decode(&ref, &r->ibc[i], r->msgs[i].from, r->a, m->type_url, m->value);
			if (ref.code)
				return refused(r, &ref);
			continue;
		}
		if (!px_slice_eq(m->type_url, cosmos_str(DEVNET_MSG_SEND_URL)))
			return tx_fail(r, DEVNET_CODE_TX_DECODE,
				       "unable to resolve type URL %.*s: tx parse error",
				       (int)(m->type_url.len > 100 ? 100 : m->type_url.len),
				       (const char *)m->type_url.ptr);
		if (!msg_send_decode(r, &r->msgs[i], m->value))
			return false;
	}
	/* GetSigners: the distinct senders, in message order. */
	for (size_t i = 0; i < b->n_messages; i++) {
		size_t k = 0;

		while (k < r->n_signers && memcmp(r->signers[k], r->msgs[i].from, COSMOS_ADDR_LEN))
			k++;
		if (k == r->n_signers) {
			if (k == COSMOS_TX_MAX_SIGNERS)
				return tx_fail(r, DEVNET_CODE_UNAUTHORIZED, "too many signers: unauthorized");
			memcpy(r->signers[r->n_signers++], r->msgs[i].from, COSMOS_ADDR_LEN);
		}
	}
	if (r->n_signers != r->tx.auth_info.n_signer_infos)
		return tx_fail(r, DEVNET_CODE_UNAUTHORIZED,
			       "invalid number of signer; expected: %zu, got %zu: unauthorized",
			       r->n_signers, r->tx.auth_info.n_signer_infos);
	return true;
}

/* ---- ante ---- */

static bool min_fee_ok(struct run *r, const struct coins *fee)
{
	const struct devnet_gas_price *p = &r->a->min_gas_price;
	devnet_u128 scale = 1, req, rem, have = 0;
	char got[COINS_STR_MAX], want[48];

	if (!p->scaled || r->mode != APP_CHECK)
		return true;
	for (unsigned k = 0; k < DEVNET_GAS_PRICE_DECIMALS; k++)
		scale *= 10;
	/* gas (< 2^64) times the price's integer part (< 10^10) and times its
	 * fraction (< 10^18) both fit in 128 bits. */
	req = (devnet_u128)r->gas_limit * (p->scaled / scale);
	rem = (devnet_u128)r->gas_limit * (p->scaled % scale);
	req += rem / scale + (rem % scale != 0);
	for (size_t i = 0; i < fee->n; i++) {
		if (px_slice_eq(fee->denom[i], cosmos_str(p->denom)))
			have = fee->amount[i];
	}
	if (have >= req)
		return true;
	coins_string(got, sizeof(got), fee);
	devnet_u128_format(want, req);
	return tx_fail(r, DEVNET_CODE_INSUFFICIENT_FEE,
		       "insufficient fees; got: %s required: %s%s: insufficient fee", got, want,
		       p->denom);
}

/* Moves coins between two accounts of cache c, with the bank's events
 * (msg_index NULL for the fee). */
static bool send_coins(struct run *r, struct app_cache *c, const uint8_t from[COSMOS_ADDR_LEN],
		       const uint8_t to[COSMOS_ADDR_LEN], const struct coins *coins,
		       const char *msg_index)
{
	char fs[DEVNET_ADDR_STR_MAX], ts[DEVNET_ADDR_STR_MAX], amount[COINS_STR_MAX];
	struct devnet_account acc;
	bool found;

	for (size_t i = 0; i < coins->n; i++) {
		devnet_u128 have, dest;

		if (!app_balance_get(r->err, c, from, coins->denom[i], &have))
			return internal(r);
		if (have < coins->amount[i]) {
			char h[48], w[48];

			devnet_u128_format(h, have);
			devnet_u128_format(w, coins->amount[i]);
			return tx_fail(r, DEVNET_CODE_INSUFFICIENT_FUNDS,
				       "spendable balance %s%.*s is smaller than %s%.*s: insufficient funds",
				       h, (int)coins->denom[i].len, (const char *)coins->denom[i].ptr, w,
				       (int)coins->denom[i].len, (const char *)coins->denom[i].ptr);
		}
		if (!app_balance_set(r->err, c, from, coins->denom[i], have - coins->amount[i]))
			return internal(r);
		if (!app_balance_get(r->err, c, to, coins->denom[i], &dest))
			return internal(r);
		if (dest > ~(devnet_u128)0 - coins->amount[i])
			return tx_fail(r, DEVNET_CODE_INVALID_COINS, "balance overflow: invalid coins");
		if (!app_balance_set(r->err, c, to, coins->denom[i], dest + coins->amount[i]))
			return internal(r);
	}
	/* x/bank creates the account of a new recipient. */
	if (!app_account_get(r->err, c, to, &acc, &found) ||
	    (!found && !app_account_create(r->err, c, to, &acc)))
		return internal(r);
	app_address_string(r->a, fs, from);
	app_address_string(r->a, ts, to);
	coins_string(amount, sizeof(amount), coins);
	if (msg_index)
		return event(r, "coin_spent", "spender", fs, "amount", amount, "msg_index", msg_index,
			     NULL) &&
		       event(r, "coin_received", "receiver", ts, "amount", amount, "msg_index",
			     msg_index, NULL) &&
		       event(r, "transfer", "recipient", ts, "sender", fs, "amount", amount,
			     "msg_index", msg_index, NULL) &&
		       event(r, "message", "sender", fs, "msg_index", msg_index, NULL);
	return event(r, "coin_spent", "spender", fs, "amount", amount, NULL) &&
	       event(r, "coin_received", "receiver", ts, "amount", amount, NULL) &&
	       event(r, "transfer", "recipient", ts, "sender", fs, "amount", amount, NULL) &&
	       event(r, "message", "sender", fs, NULL);
}

static bool ante_fee(struct run *r, struct app_cache *c)
{
	const struct cosmos_fee *f = &r->tx.auth_info.fee;
	struct coins fee;
	struct devnet_account acc;
	char payer[DEVNET_ADDR_STR_MAX], amount[COINS_STR_MAX];
	bool found;
	devnet_u128 total = 0;

	app_address_string(r->a, payer, r->signers[0]);
	if (f->granter.len)
		return tx_fail(r, DEVNET_CODE_INVALID_REQUEST,
			       "fee grants are not supported by the devnet: invalid request");
	if (f->payer.len && !px_slice_eq(f->payer, cosmos_str(payer)))
		return tx_fail(r, DEVNET_CODE_INVALID_REQUEST,
			       "fee payer must be the first signer: invalid request");
	if (!coins_from(r, &fee, f->amount, f->n_amount, false, "fee") || !min_fee_ok(r, &fee))
		return false;
	if (!app_account_get(r->err, c, r->signers[0], &acc, &found))
		return internal(r);
	if (!found)
		return tx_fail(r, DEVNET_CODE_UNKNOWN_ADDRESS,
			       "fee payer address: %s does not exist: unknown address", payer);
	for (size_t i = 0; i < fee.n; i++)
		total |= fee.amount[i];
	if (total && !send_coins(r, c, r->signers[0], r->a->fee_collector, &fee, NULL))
		return false;
	coins_string(amount, sizeof(amount), &fee);
	return event(r, "tx", "fee", amount, "fee_payer", payer, NULL);
}

static bool ante_signers(struct run *r, struct app_cache *c)
{
	char addr[DEVNET_ADDR_STR_MAX], seq[DEVNET_ADDR_STR_MAX + 24];

	for (size_t i = 0; i < r->n_signers; i++) {
		const struct cosmos_signer_info *si = &r->tx.auth_info.signer_infos[i];
		struct devnet_account acc;
		uint8_t from_key[COSMOS_ADDR_LEN];
		struct px_err e = { 0 };
		bool found;

		app_address_string(r->a, addr, r->signers[i]);
		if (!app_account_get(r->err, c, r->signers[i], &acc, &found))
			return internal(r);
		if (!found)
			return tx_fail(r, DEVNET_CODE_UNKNOWN_ADDRESS,
				       "account %s does not exist: unknown address", addr);
		if (!si->has_public_key)
			return tx_fail(r, DEVNET_CODE_INVALID_PUBKEY,
				       "signer %zu: the devnet wants the public key in every "
				       "transaction: invalid pubkey", i);
		if (!cosmos_tx_signer_address(&e, from_key, &r->tx, i) ||
		    memcmp(from_key, r->signers[i], COSMOS_ADDR_LEN) != 0 ||
		    (acc.has_pub_key && memcmp(acc.pub_key, si->secp256k1_key, COSMOS_PUBKEY_LEN) != 0))
			return tx_fail(r, DEVNET_CODE_INVALID_PUBKEY,
				       "pubKey does not match signer address %s with signer index: "
				       "%zu: invalid pubkey", addr, i);
		if (!consume(r, DEVNET_GAS_PER_SIG, "ante verify: secp256k1"))
			return false;
		if (si->sequence != acc.sequence)
			return tx_fail(r, DEVNET_CODE_WRONG_SEQUENCE,
				       "account sequence mismatch, expected %" PRIu64 ", got %" PRIu64
				       ": incorrect account sequence", acc.sequence, si->sequence);
		if (r->mode != APP_SIMULATE &&
		    !cosmos_tx_verify_signature(&e, &r->tx, i, cosmos_str(r->a->chain_id), acc.number))
			return tx_fail(r, DEVNET_CODE_UNAUTHORIZED,
				       "signature verification failed; please verify account number "
				       "(%" PRIu64 ") and chain-id (%s): %s: unauthorized", acc.number,
				       r->a->chain_id, e.msg);
		memcpy(acc.pub_key, si->secp256k1_key, COSMOS_PUBKEY_LEN);
		acc.has_pub_key = true;
		acc.sequence++;
		if (!app_account_set(r->err, c, &acc))
			return internal(r);
		snprintf(seq, sizeof(seq), "%s/%" PRIu64, addr, si->sequence);
		if (!event(r, "tx", "acc_seq", seq, NULL))
			return false;
	}
	for (size_t i = 0; i < r->n_signers; i++) {
		json_t *sig = devnet_json_b64(r->tx.raw.signatures[i].ptr, r->tx.raw.signatures[i].len);
		bool ok = sig && event(r, "tx", "signature", json_string_value(sig), NULL);

		json_decref(sig);
		if (!ok)
			return r->internal ? false : (px_err_set(r->err, PX_E_NOMEM, "out of memory"),
						      internal(r));
	}
	return true;
}

static bool ante(struct run *r, struct app_cache *c)
{
	uint64_t to = r->tx.body.timeout_height;

	if (to && r->mode != APP_SIMULATE && r->height > 0 && (uint64_t)r->height > to)
		return tx_fail(r, DEVNET_CODE_TX_TIMEOUT_HEIGHT,
			       "block height: %" PRId64 ", timeout height: %" PRIu64 ": tx timeout height",
			       r->height, to);
	if (r->tx.body.memo.len > DEVNET_MAX_MEMO)
		return tx_fail(r, DEVNET_CODE_MEMO_TOO_LARGE,
			       "maximum number of characters is %u but received %zu characters: memo "
			       "too large", DEVNET_MAX_MEMO, r->tx.body.memo.len);
	return consume(r, DEVNET_GAS_PER_BYTE * (uint64_t)r->raw_len, "txSize") && ante_fee(r, c) &&
	       ante_signers(r, c);
}

static bool run_msgs(struct run *r, struct app_cache *c)
{
	for (size_t i = 0; i < r->tx.body.n_messages; i++) {
		char from[DEVNET_ADDR_STR_MAX], idx[24];

		snprintf(idx, sizeof(idx), "%zu", i);
		app_address_string(r->a, from, r->msgs[i].from);
		if (r->is_ibc[i]) {
			struct app_refusal ref = { 0 };

			if (!consume(r, DEVNET_GAS_PER_MSG, "ibc") ||
			    !event(r, "message", "action", ibc_msg_type_url(r->ibc[i].kind), "sender",
				   from, "module", app_ibc_module(r->ibc[i].kind), "msg_index", idx,
				   NULL))
				return false;
			if (!app_ibc_run(r->err, &ref, r->a, c,
					 r->mode == APP_DELIVER ? r->res->events : NULL, &r->ibc[i],
					 r->height, &r->ibc_resp[i]))
				return internal(r);
			if (ref.code)
				return refused(r, &ref);
			continue;
		}
		if (!consume(r, DEVNET_GAS_PER_MSG, "bank send") ||
		    !event(r, "message", "action", DEVNET_MSG_SEND_URL, "sender", from, "module", "bank",
			   "msg_index", idx, NULL) ||
		    !send_coins(r, c, r->msgs[i].from, r->msgs[i].to, &r->msgs[i].coins, idx))
			return false;
	}
	return true;
}

/* TxMsgData{msg_responses = 2: Any{Msg...Response}} per message. */
static void msg_data(struct px_buf *out, const struct run *r)
{
	for (size_t i = 0; i < r->tx.body.n_messages; i++) {
		const char *url = r->is_ibc[i] ? app_ibc_response_url(&r->ibc[i])
					       : "/cosmos.bank.v1beta1.MsgSendResponse";
		struct px_buf any = PX_BUF_INIT;

		px_pb_put_bytes(&any, 1, (const uint8_t *)url, strlen(url));
		if (r->is_ibc[i] && r->ibc_resp[i].len)
			px_pb_put_bytes(&any, 2, r->ibc_resp[i].data, r->ibc_resp[i].len);
		if (r->is_ibc[i] && !px_buf_ok(&r->ibc_resp[i]))
			out->failed = true;
		px_pb_put_bytes(out, 2, any.data, any.len);
		if (!px_buf_ok(&any))
			out->failed = true;
		px_buf_free(&any);
	}
}

bool app_run_tx(struct px_err *err, struct devnet_app *a, struct app_cache *c,
		struct devnet_tx_result *res, enum app_mode mode, int64_t height, const uint8_t *tx,
		size_t len)
{
	struct run *r = calloc(1, sizeof(*r));
	struct app_cache ante_c, msg_c;
	bool ok = false, ante_ok;
	size_t n_ante;

	memset(res, 0, sizeof(*res));
	res->events = json_array();
	if (!r || !res->events) {
		free(r);
		devnet_tx_result_free(res);
		return px_err_set(err, PX_E_NOMEM, "tx: out of memory");
	}
	r->a = a;
	r->res = res;
	r->mode = mode;
	r->height = height;
	r->raw = tx;
	r->raw_len = len;
	r->err = err;
	app_cache_init(&ante_c, a, c, c->version);
	app_cache_init(&msg_c, a, &ante_c, c->version);
	if (!decode(r))
		goto done;
	r->gas_limit = mode == APP_SIMULATE ? UINT64_MAX : r->tx.auth_info.fee.gas_limit;
	res->gas_wanted = r->gas_limit > INT64_MAX ? INT64_MAX : (int64_t)r->gas_limit;
	ante_ok = ante(r, &ante_c);
	n_ante = json_array_size(res->events);
	if (ante_ok && run_msgs(r, &msg_c)) {
		msg_data(&res->data, r);
		if (!px_buf_ok(&res->data)) {
			px_err_set(err, PX_E_NOMEM, "tx: out of memory");
			r->internal = true;
		}
		if (!r->internal && !app_cache_merge(err, &msg_c))
			r->internal = true;
	} else if (ante_ok && !r->internal) {
		/* A failed message keeps the ante's fee, sequence and events;
		 * its own events go. */
		while (json_array_size(res->events) > n_ante)
			json_array_remove(res->events, json_array_size(res->events) - 1);
	}
	/* CheckTx keeps nothing of a failed transaction; DeliverTx keeps the
	 * ante's writes when only the messages failed. */
	if (!r->internal && ante_ok && (res->code == 0 || mode == APP_DELIVER) &&
	    !app_cache_merge(err, &ante_c))
		r->internal = true;
done:
	res->gas_used = r->gas_used > INT64_MAX ? INT64_MAX : (int64_t)r->gas_used;
	if (res->code && mode != APP_DELIVER) {
		json_decref(res->events);
		res->events = json_array();
	}
	ok = !r->internal;
	app_cache_free(&msg_c);
	app_cache_free(&ante_c);
	for (size_t i = 0; i < COSMOS_TX_MAX_MSGS; i++) {
		if (r->is_ibc[i])
			ibc_msg_free(&r->ibc[i]);
		px_buf_free(&r->ibc_resp[i]);
	}
	free(r);
	if (!ok)
		devnet_tx_result_free(res);
	return ok;
}

/* ---- the app ---- */

bool devnet_app_open(struct px_err *err, struct devnet_app **out, struct devnet_multi *multi,
		     const char *chain_id, const char *prefix)
{
	struct devnet_app *a;
	char probe[DEVNET_ADDR_STR_MAX];
	uint8_t zero[COSMOS_ADDR_LEN] = { 0 };

	*out = NULL;
	if (strlen(chain_id) > TM_MAX_CHAIN_ID || strlen(prefix) == 0 ||
	    strlen(prefix) > DEVNET_PREFIX_MAX ||
	    !cosmos_address_encode(err, probe, sizeof(probe), prefix, zero, sizeof(zero)))
		return px_err_set(err, PX_E_CONFIG, "account prefix '%.40s' is not a bech32 prefix",
				  prefix);
	a = calloc(1, sizeof(*a));
	if (!a)
		return px_err_set(err, PX_E_NOMEM, "app: out of memory");
	a->multi = multi;
	a->stores[APP_ST_ACC] = devnet_multi_store(multi, "acc");
	a->stores[APP_ST_BANK] = devnet_multi_store(multi, "bank");
	a->stores[APP_ST_IBC] = devnet_multi_store(multi, "ibc");
	a->stores[APP_ST_TRANSFER] = devnet_multi_store(multi, "transfer");
	if (!a->stores[APP_ST_ACC] || !a->stores[APP_ST_BANK] || !a->stores[APP_ST_IBC] ||
	    !a->stores[APP_ST_TRANSFER]) {
		free(a);
		return px_err_set(err, PX_E_CONFIG,
				  "the multistore lacks one of the acc, bank, ibc, transfer stores");
	}
	memcpy(a->chain_id, chain_id, strlen(chain_id) + 1);
	memcpy(a->prefix, prefix, strlen(prefix) + 1);
	devnet_module_address(a->fee_collector, "fee_collector");
	app_cache_init(&a->check, a, NULL, DEVNET_IAVL_WORKING);
	*out = a;
	return true;
}

void devnet_app_close(struct devnet_app *a)
{
	if (!a)
		return;
	app_cache_free(&a->check);
	free(a);
}

void devnet_app_set_min_gas_price(struct devnet_app *a, const struct devnet_gas_price *p)
{
	a->min_gas_price = *p;
}

const char *devnet_app_prefix(const struct devnet_app *a) { return a->prefix; }

void devnet_app_set_time(struct devnet_app *a, struct px_time block_time)
{
	a->block_time = block_time;
}

bool devnet_app_check_tx(struct px_err *err, struct devnet_app *a, struct devnet_tx_result *res,
			 const uint8_t *tx, size_t len)
{
	return app_run_tx(err, a, &a->check, res, APP_CHECK, 0, tx, len);
}

void devnet_app_reset_check(struct devnet_app *a)
{
	app_cache_free(&a->check);
	app_cache_init(&a->check, a, NULL, DEVNET_IAVL_WORKING);
}

bool devnet_app_deliver_tx(struct px_err *err, struct devnet_app *a, struct devnet_tx_result *res,
			   int64_t height, const uint8_t *tx, size_t len)
{
	struct app_cache c;
	bool ok;

	app_cache_init(&c, a, NULL, DEVNET_IAVL_WORKING);
	ok = app_run_tx(err, a, &c, res, APP_DELIVER, height, tx, len);
	if (ok && !app_cache_flush(err, &c)) {
		devnet_tx_result_free(res);
		ok = false;
	}
	app_cache_free(&c);
	return ok;
}

bool devnet_app_simulate(struct px_err *err, struct devnet_app *a, struct devnet_tx_result *res,
			 const uint8_t *tx, size_t len)
{
	struct app_cache c;
	bool ok;

	/* Over the check state, so that a wallet's next sequence counts the
	 * transactions it has in the mempool. */
	app_cache_init(&c, a, &a->check, DEVNET_IAVL_WORKING);
	ok = app_run_tx(err, a, &c, res, APP_SIMULATE, 0, tx, len);
	app_cache_free(&c);
	return ok;
}
