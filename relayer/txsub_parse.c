/* The pure parts of the transaction submitter (txsub.h): fee and gas
 * arithmetic, the sequence in an SDK mismatch log, and the replies it
 * reads from the node (abci_query responses, the Account query's
 * BaseAccount, the tx RPC's result). Nothing here does I/O, so the unit
 * tests drive every branch with hand-written replies. Replies come from
 * the network: every field is type-checked and every length capped. */
#include "relayer/txsub.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/encoding.h"
#include "common/json.h"
#include "common/number.h"
#include "common/protobuf.h"

#define ACCOUNT_REPLY_MAX (64u << 10)	/* a BaseAccount is about 150 bytes */
#define ABCI_VALUE_MAX (4u << 20)
#define DECIMALS_MAX 18u
#define BASE_ACCOUNT_URL "/cosmos.auth.v1beta1.BaseAccount"

__extension__ typedef unsigned __int128 u128;

static const uint64_t pow10_table[DECIMALS_MAX + 1] = {
	1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull,
	100000000ull, 1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull,
	10000000000000ull, 100000000000000ull, 1000000000000000ull, 10000000000000000ull,
	100000000000000000ull, 1000000000000000000ull,
};

/* ---- fee and gas ---- */

bool rly_txsub_fee_amount(struct px_err *err, char *out, size_t cap, uint64_t gas_limit,
			  const struct rly_decimal *price)
{
	char digits[48];
	size_t n = 0;
	u128 v, d;

	if (price->decimals > DECIMALS_MAX)
		return px_err_set(err, PX_E_USAGE, "gas price: more than %u decimals", DECIMALS_MAX);
	d = pow10_table[price->decimals];
	/* (2^64-1)^2 + 10^18 still fits in 128 bits: no overflow. */
	v = ((u128)gas_limit * price->units + d - 1) / d;
	do {
		digits[n++] = (char)('0' + (unsigned)(v % 10));
		v /= 10;
	} while (v);
	if (cap < n + 1)
		return px_err_set(err, PX_E_USAGE, "fee amount: %zu digits do not fit", n);
	for (size_t i = 0; i < n; i++)
		out[i] = digits[n - 1 - i];
	out[n] = 0;
	return true;
}

uint64_t rly_txsub_gas_adjust(uint64_t gas_used, const struct rly_decimal *adjustment)
{
	u128 d, v;

	if (adjustment->decimals > DECIMALS_MAX)
		return UINT64_MAX;
	d = pow10_table[adjustment->decimals];
	v = ((u128)gas_used * adjustment->units + d - 1) / d;
	return v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}

bool rly_txsub_expected_sequence(uint64_t *out, const char *log)
{
	const char *p, *d;
	uint64_t v;

	/* The SDK's wording since v0.40: "account sequence mismatch, expected
	 * 5, got 3: incorrect account sequence". */
	if (!log || !(p = strstr(log, "sequence mismatch")) || !(p = strstr(p, "expected ")))
		return false;
	p += strlen("expected ");
	for (d = p; *d >= '0' && *d <= '9'; d++)
		;
	if (d == p || d - p > 20 || !px_parse_u64(NULL, &v, p, (size_t)(d - p)))
		return false;
	*out = v;
	return true;
}

/* ---- the Account query ---- */

static void base_account_read(struct px_cursor *c, struct rly_account *out)
{
	struct px_slice addr = { 0 }, pk;

	while (px_cursor_more(c)) {
		uint32_t f, w;

		px_pb_read_tag(c, &f, &w);
		switch (f) {
		case 1: px_pb_read_bytes(c, w, &addr, COSMOS_BECH32_MAX_LEN); break;
		case 2:
			px_pb_read_bytes(c, w, &pk, ACCOUNT_REPLY_MAX);
			out->has_pub_key = true;
			break;
		case 3: out->number = px_pb_read_uint64(c, w); break;
		case 4: out->sequence = px_pb_read_uint64(c, w); break;
		default: px_pb_skip(c, w); break;
		}
	}
	if (!px_cursor_ok(c))
		return;
	if (addr.len == 0) {
		px_cursor_fail(c, "BaseAccount without an address");
		return;
	}
	for (size_t i = 0; i < addr.len; i++) {
		uint8_t ch = addr.ptr[i];

		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
		      (ch >= 'A' && ch <= 'Z'))) {
			px_cursor_fail(c, "BaseAccount address is not bech32 text");
			return;
		}
	}
	memcpy(out->address, addr.ptr, addr.len);
	out->address[addr.len] = 0;
}

bool rly_account_decode(struct px_err *err, struct rly_account *out, const uint8_t *buf, size_t len)
{
	struct px_cursor c = px_cursor_init(buf, len), any, acc;
	struct px_slice type_url = { 0 }, value = { 0 };
	bool has_any = false, has_value = false;

	memset(out, 0, sizeof(*out));
	while (px_cursor_more(&c)) {
		uint32_t f, w;

		px_pb_read_tag(&c, &f, &w);
		if (f != 1) {
			px_pb_skip(&c, w);
			continue;
		}
		px_pb_read_message(&c, w, &any, ACCOUNT_REPLY_MAX);
		has_any = true;
		while (px_cursor_more(&any)) {
			uint32_t af, aw;

			px_pb_read_tag(&any, &af, &aw);
			if (af == 1) {
				px_pb_read_bytes(&any, aw, &type_url, COSMOS_TX_MAX_TYPE_URL);
			} else if (af == 2) {
				px_pb_read_bytes(&any, aw, &value, ACCOUNT_REPLY_MAX);
				has_value = true;
			} else {
				px_pb_skip(&any, aw);
			}
		}
	}
	if (px_cursor_ok(&c) && !has_any)
		px_cursor_fail(&c, "no account in the reply");
	if (!px_cursor_ok(&c))
		goto bad;
	if (!px_slice_eq(type_url, cosmos_str(BASE_ACCOUNT_URL))) {
		memset(out, 0, sizeof(*out));
		return px_err_set(err, PX_E_UNSUPPORTED, "account reply: type '%.*s' is not %s",
				  (int)(type_url.len > 80 ? 80 : type_url.len),
				  type_url.ptr ? (const char *)type_url.ptr : "", BASE_ACCOUNT_URL);
	}
	if (!has_value) {
		px_cursor_fail(&c, "BaseAccount without a value");
		goto bad;
	}
	/* The value's offsets are counted from its own start. */
	acc = px_cursor_init(value.ptr, value.len);
	base_account_read(&acc, out);
	if (!px_cursor_ok(&acc)) {
		const char *why = px_cursor_error(&acc);
		size_t off = px_cursor_offset(&acc);

		memset(out, 0, sizeof(*out));
		return px_err_set(err, PX_E_MALFORMED, "account reply: BaseAccount: %s at byte %zu",
				  why, off);
	}
	return true;
bad:
	memset(out, 0, sizeof(*out));
	return px_err_set(err, PX_E_MALFORMED, "account reply: %s at byte %zu", px_cursor_error(&c),
			  px_cursor_offset(&c));
}

/* ---- JSON replies ---- */

/* Absent and null read as 0, as CometBFT leaves out empty fields. */
static bool opt_u64(struct px_err *err, uint64_t *out, const json_t *obj, const char *field)
{
	const json_t *v = json_object_get(obj, field);

	*out = 0;
	return !v || json_is_null(v) || px_json_get_u64(err, out, obj, field);
}

static bool opt_text(struct px_err *err, char *out, size_t cap, const json_t *obj,
		     const char *field)
{
	const char *s = NULL;
	bool present = false;

	out[0] = 0;
	if (json_is_null(json_object_get(obj, field)))
		return true;
	if (!px_json_opt_string(err, &s, &present, obj, field))
		return false;
	if (present)
		snprintf(out, cap, "%s", s);
	return true;
}

static bool opt_code(struct px_err *err, uint32_t *out, const json_t *obj)
{
	uint64_t v;

	if (!opt_u64(err, &v, obj, "code"))
		return false;
	if (v > UINT32_MAX)
		return px_err_set(err, PX_E_JSON, "field 'code': %" PRIu64 " is not a uint32", v);
	*out = (uint32_t)v;
	return true;
}

bool rly_abci_reply(struct px_err *err, struct rly_abci_response *out, struct px_buf *value,
		    const json_t *result)
{
	json_t *resp;
	const json_t *v;
	uint64_t h = 0;
	size_t old_len = value->len;
	struct px_err e = { 0 };

	memset(out, 0, sizeof(*out));
	if (!json_is_object(result) || !px_json_get_object(&e, &resp, result, "response") ||
	    !opt_code(&e, &out->code, resp) ||
	    !opt_text(&e, out->codespace, sizeof(out->codespace), resp, "codespace") ||
	    !opt_text(&e, out->log, sizeof(out->log), resp, "log") ||
	    !opt_u64(&e, &h, resp, "height"))
		goto bad;
	if (h > INT64_MAX) {
		px_err_set(&e, PX_E_JSON, "field 'height': out of range");
		goto bad;
	}
	out->height = (int64_t)h;
	if (out->code)
		return true;
	v = json_object_get(resp, "value");
	if (!v || json_is_null(v))
		return true;
	if (json_is_string(v) && json_string_length(v) > (ABCI_VALUE_MAX / 3 + 1) * 4) {
		px_err_set(&e, PX_E_TOO_LARGE, "field 'value': over %u bytes", ABCI_VALUE_MAX);
		goto bad;
	}
	if (!px_json_get_base64(&e, value, resp, "value")) {
		value->len = old_len;
		goto bad;
	}
	return true;
bad:
	memset(out, 0, sizeof(*out));
	if (!e.code)
		px_err_set(&e, PX_E_JSON, "want an object");
	px_err_set(err, e.code, "abci_query reply: %s", e.msg);
	return false;
}

bool rly_account_reply(struct px_err *err, struct rly_account *out, const json_t *result)
{
	struct rly_abci_response r;
	struct px_buf value = PX_BUF_INIT;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	if (!rly_abci_reply(err, &r, &value, result))
		goto out;
	if (r.code) {
		px_err_set(err, PX_E_RPC, "Query/Account refused: code %" PRIu32 " (%s): %s", r.code,
			   r.codespace[0] ? r.codespace : "no codespace", r.log);
		goto out;
	}
	ok = rly_account_decode(err, out, value.data, value.len);
out:
	px_buf_free(&value);
	return ok;
}

bool rly_tx_reply(struct px_err *err, struct rly_tx_result *out, const json_t *result)
{
	json_t *txr;
	const json_t *ev;
	int64_t h = 0;
	struct px_err e = { 0 };

	memset(out, 0, sizeof(*out));
	if (!json_is_object(result) || !px_json_get_i64(&e, &h, result, "height") ||
	    !px_json_get_object(&e, &txr, result, "tx_result") || !opt_code(&e, &out->code, txr) ||
	    !opt_text(&e, out->codespace, sizeof(out->codespace), txr, "codespace") ||
	    !opt_text(&e, out->log, sizeof(out->log), txr, "log") ||
	    !opt_u64(&e, &out->gas_wanted, txr, "gas_wanted") ||
	    !opt_u64(&e, &out->gas_used, txr, "gas_used"))
		goto bad;
	if (h <= 0) {
		px_err_set(&e, PX_E_JSON, "field 'height': %" PRId64 " is not a block height", h);
		goto bad;
	}
	out->height = h;
	ev = json_object_get(txr, "events");
	if (ev && !json_is_null(ev) && !json_is_array(ev)) {
		px_err_set(&e, PX_E_JSON, "field 'events': expected array, got %s",
			   px_json_type_name(ev));
		goto bad;
	}
	out->events = json_is_array(ev) ? json_incref((json_t *)ev) : json_array();
	if (!out->events) {
		px_err_set(&e, PX_E_NOMEM, "out of memory");
		goto bad;
	}
	return true;
bad:
	memset(out, 0, sizeof(*out));
	if (!e.code)
		px_err_set(&e, PX_E_JSON, "want an object");
	px_err_set(err, e.code, "tx reply: %s", e.msg);
	return false;
}

void rly_tx_result_clear(struct rly_tx_result *r)
{
	json_decref(r->events);
	memset(r, 0, sizeof(*r));
}
