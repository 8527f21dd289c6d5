/* Encoding of the cosmos.tx.v1beta1 messages as the SDK's gogoproto code
 * writes them (see tx.h): fields in order, proto3 defaults left out,
 * present embedded messages always written. Each encoder checks the same
 * rules the decoders enforce (tx_text.h), so it never produces bytes that
 * pontifex itself, or the SDK, would refuse. */
#include "chains/cosmos/tx.h"

#include <string.h>

#include "chains/cosmos/tx_text.h"
#include "common/protobuf.h"

/* Encoders write into a scratch buffer per embedded message and copy it in
 * with its length; messages here are small and few, so the copy is cheaper
 * than a two-pass size computation would be to get right. */

static bool put_string_checked(struct px_err *err, struct px_buf *b, uint32_t field,
			       struct px_slice s, size_t max, const char *what)
{
	if (s.len == 0)
		return true;
	if (!s.ptr || s.len > max || !cosmos_utf8_valid(s))
		return px_err_set(err, PX_E_USAGE, "%s: not a UTF-8 string of at most %zu bytes",
				  what, max);
	px_pb_put_bytes(b, field, s.ptr, s.len);
	return true;
}

static bool any_encode(struct px_err *err, struct px_buf *b, uint32_t field,
		       const struct cosmos_any *a)
{
	struct px_buf tmp = PX_BUF_INIT;
	bool ok = false;

	if (!cosmos_type_url_valid(a->type_url) || a->type_url.len > COSMOS_TX_MAX_TYPE_URL) {
		px_err_set(err, PX_E_USAGE, "Any: type URL empty, too long or not printable");
		goto out;
	}
	if (!a->value.ptr && a->value.len > 0) {
		px_err_set(err, PX_E_USAGE, "Any: NULL value");
		goto out;
	}
	px_pb_put_bytes(&tmp, 1, a->type_url.ptr, a->type_url.len);
	if (a->value.len > 0)
		px_pb_put_bytes(&tmp, 2, a->value.ptr, a->value.len);
	px_pb_put_bytes(b, field, tmp.data, tmp.len);
	ok = px_buf_ok(&tmp);
	if (!ok)
		px_err_set(err, PX_E_NOMEM, "Any: out of memory");
out:
	px_buf_free(&tmp);
	return ok;
}

static bool coin_encode(struct px_err *err, struct px_buf *b, uint32_t field,
			const struct cosmos_coin *coin)
{
	struct px_buf tmp = PX_BUF_INIT;
	bool ok;

	if (!coin->denom.ptr || !cosmos_denom_valid(coin->denom))
		return px_err_set(err, PX_E_USAGE, "coin: invalid denom");
	if (!coin->amount.ptr || !cosmos_amount_valid(coin->amount))
		return px_err_set(err, PX_E_USAGE, "coin: amount is not a canonical decimal");
	px_pb_put_bytes(&tmp, 1, coin->denom.ptr, coin->denom.len);
	px_pb_put_bytes(&tmp, 2, coin->amount.ptr, coin->amount.len);
	px_pb_put_bytes(b, field, tmp.data, tmp.len);
	ok = px_buf_ok(&tmp);
	px_buf_free(&tmp);
	return ok || px_err_set(err, PX_E_NOMEM, "coin: out of memory");
}

/* Runs an encoder body with out's length restored on failure. */
static bool finish(struct px_err *err, struct px_buf *out, size_t entry_len, bool ok)
{
	if (ok && !px_buf_ok(out))
		ok = px_err_set(err, PX_E_NOMEM, "encode: out of memory");
	if (!ok && out->len > entry_len)
		out->len = entry_len;
	return ok;
}

bool cosmos_tx_body_encode(struct px_err *err, struct px_buf *out,
			   const struct cosmos_tx_body *body)
{
	size_t entry = out ? out->len : 0;
	bool ok = true;
	size_t i;

	if (!out || !body)
		return px_err_set(err, PX_E_USAGE, "tx body: NULL argument");
	if (body->n_messages > COSMOS_TX_MAX_MSGS ||
	    body->n_extension_options > COSMOS_TX_MAX_EXT_OPTIONS ||
	    body->n_non_critical_extension_options > COSMOS_TX_MAX_EXT_OPTIONS)
		return px_err_set(err, PX_E_USAGE, "tx body: too many elements");
	for (i = 0; ok && i < body->n_messages; i++)
		ok = any_encode(err, out, 1, &body->messages[i]);
	ok = ok && put_string_checked(err, out, 2, body->memo, COSMOS_TX_MAX_MEMO, "memo");
	if (ok && body->timeout_height)
		px_pb_put_uint64(out, 3, body->timeout_height);
	for (i = 0; ok && i < body->n_extension_options; i++)
		ok = any_encode(err, out, 1023, &body->extension_options[i]);
	for (i = 0; ok && i < body->n_non_critical_extension_options; i++)
		ok = any_encode(err, out, 2047, &body->non_critical_extension_options[i]);
	return finish(err, out, entry, ok);
}

static bool signer_info_encode(struct px_err *err, struct px_buf *b,
			       const struct cosmos_signer_info *si)
{
	struct px_buf tmp = PX_BUF_INIT, mi = PX_BUF_INIT, single = PX_BUF_INIT;
	bool ok = true;

	if (si->has_public_key)
		ok = any_encode(err, &tmp, 1, &si->public_key);
	if (ok && si->has_mode_info) {
		if (si->has_single) {
			if (si->mode > INT32_MAX) {
				ok = px_err_set(err, PX_E_USAGE, "signer info: sign mode out of range");
				goto out;
			}
			if (si->mode)
				px_pb_put_uint64(&single, 1, si->mode);
			px_pb_put_bytes(&mi, 1, single.data, single.len);
		}
		px_pb_put_bytes(&tmp, 2, mi.data, mi.len);
	}
	if (ok && si->sequence)
		px_pb_put_uint64(&tmp, 3, si->sequence);
	if (ok) {
		px_pb_put_bytes(b, 1, tmp.data, tmp.len);
		if (!px_buf_ok(&tmp) || !px_buf_ok(&mi) || !px_buf_ok(&single))
			ok = px_err_set(err, PX_E_NOMEM, "signer info: out of memory");
	}
out:
	px_buf_free(&tmp);
	px_buf_free(&mi);
	px_buf_free(&single);
	return ok;
}

static bool coins_encode(struct px_err *err, struct px_buf *b, const struct cosmos_coin *coins,
			 size_t n)
{
	size_t i;

	if (n > COSMOS_TX_MAX_COINS)
		return px_err_set(err, PX_E_USAGE, "coins: %zu, limit %d", n, COSMOS_TX_MAX_COINS);
	for (i = 0; i < n; i++) {
		if (!coin_encode(err, b, 1, &coins[i]))
			return false;
	}
	return true;
}

bool cosmos_auth_info_encode(struct px_err *err, struct px_buf *out,
			     const struct cosmos_auth_info *ai)
{
	size_t entry = out ? out->len : 0;
	struct px_buf tmp = PX_BUF_INIT;
	bool ok = true;
	size_t i;

	if (!out || !ai)
		return px_err_set(err, PX_E_USAGE, "auth info: NULL argument");
	if (ai->n_signer_infos > COSMOS_TX_MAX_SIGNERS)
		return px_err_set(err, PX_E_USAGE, "auth info: too many signers");
	for (i = 0; ok && i < ai->n_signer_infos; i++)
		ok = signer_info_encode(err, out, &ai->signer_infos[i]);
	if (ok && ai->has_fee) {
		const struct cosmos_fee *f = &ai->fee;

		ok = coins_encode(err, &tmp, f->amount, f->n_amount);
		if (ok && f->gas_limit)
			px_pb_put_uint64(&tmp, 2, f->gas_limit);
		ok = ok && put_string_checked(err, &tmp, 3, f->payer, COSMOS_TX_MAX_ADDR_STR, "payer");
		ok = ok && put_string_checked(err, &tmp, 4, f->granter, COSMOS_TX_MAX_ADDR_STR,
					      "granter");
		if (ok && !px_buf_ok(&tmp))
			ok = px_err_set(err, PX_E_NOMEM, "auth info: out of memory");
		if (ok)
			px_pb_put_bytes(out, 2, tmp.data, tmp.len);
	}
	if (ok && ai->has_tip) {
		px_buf_reset(&tmp);
		ok = coins_encode(err, &tmp, ai->tip.amount, ai->tip.n_amount);
		ok = ok && put_string_checked(err, &tmp, 2, ai->tip.tipper, COSMOS_TX_MAX_ADDR_STR,
					      "tipper");
		if (ok && !px_buf_ok(&tmp))
			ok = px_err_set(err, PX_E_NOMEM, "auth info: out of memory");
		if (ok)
			px_pb_put_bytes(out, 3, tmp.data, tmp.len);
	}
	px_buf_free(&tmp);
	return finish(err, out, entry, ok);
}

bool cosmos_sign_doc_encode(struct px_err *err, struct px_buf *out,
			    const struct cosmos_sign_doc *doc)
{
	size_t entry = out ? out->len : 0;
	bool ok;

	if (!out || !doc)
		return px_err_set(err, PX_E_USAGE, "sign doc: NULL argument");
	if (doc->body_bytes.len)
		px_pb_put_bytes(out, 1, doc->body_bytes.ptr, doc->body_bytes.len);
	if (doc->auth_info_bytes.len)
		px_pb_put_bytes(out, 2, doc->auth_info_bytes.ptr, doc->auth_info_bytes.len);
	ok = put_string_checked(err, out, 3, doc->chain_id, COSMOS_CHAIN_ID_MAX, "chain id");
	if (ok && doc->account_number)
		px_pb_put_uint64(out, 4, doc->account_number);
	return finish(err, out, entry, ok);
}

bool cosmos_tx_raw_encode(struct px_err *err, struct px_buf *out, const struct cosmos_tx_raw *raw)
{
	size_t entry = out ? out->len : 0;
	size_t i;

	if (!out || !raw)
		return px_err_set(err, PX_E_USAGE, "tx raw: NULL argument");
	if (raw->n_signatures > COSMOS_TX_MAX_SIGNERS)
		return px_err_set(err, PX_E_USAGE, "tx raw: too many signatures");
	if (raw->body_bytes.len)
		px_pb_put_bytes(out, 1, raw->body_bytes.ptr, raw->body_bytes.len);
	if (raw->auth_info_bytes.len)
		px_pb_put_bytes(out, 2, raw->auth_info_bytes.ptr, raw->auth_info_bytes.len);
	for (i = 0; i < raw->n_signatures; i++)
		px_pb_put_bytes(out, 3, raw->signatures[i].ptr, raw->signatures[i].len);
	return finish(err, out, entry, true);
}
