/* Strict decoding of the cosmos.tx.v1beta1 messages (see tx.h). Encoding
 * is in tx_encode.c, the text checks both share in tx_text.c, signing and
 * verification in tx_sign.c.
 *
 * Every decoder walks one message with a sticky cursor and keeps the last
 * field number seen: a smaller number, or the same number for a singular
 * field, is non-canonical. Each singular scalar is refused when it holds its
 * default value, since the SDK's encoder leaves defaults out. */
#include "chains/cosmos/tx.h"

#include <string.h>

#include "chains/cosmos/tx_text.h"
#include "common/protobuf.h"

/* Failure reasons. The prefix of each decides the error code (see
 * cursor_code), so keep them. */
static const char E_ORDER[] = "non-canonical: field out of order or repeated";
static const char E_DEFAULT[] = "non-canonical: default value written";
static const char E_UNKNOWN[] = "unknown field";
static const char E_MULTISIG[] = "unsupported: multisig mode info";
static const char E_UTF8[] = "string is not UTF-8";
static const char E_TOO_MANY[] = "too many repeated elements";
static const char E_ANY_URL[] = "Any without type URL";
static const char E_DENOM[] = "coin denom is not valid";
static const char E_AMOUNT[] = "coin amount is not a canonical decimal";
static const char E_NO_AMOUNT[] = "coin without amount";
static const char E_PUBKEY_LEN[] = "secp256k1 public key is not 33 bytes";
static const char E_ENUM[] = "sign mode out of range";

static int cursor_code(const char *why)
{
	if (!why)
		return PX_E_MALFORMED;
	if (strncmp(why, "non-canonical", 13) == 0)
		return PX_E_NONCANONICAL;
	if (strncmp(why, "unsupported:", 12) == 0)
		return PX_E_UNSUPPORTED;
	if (strstr(why, "truncated") || strstr(why, "past end"))
		return PX_E_TRUNCATED;
	if (strstr(why, "over limit") || why == E_TOO_MANY)
		return PX_E_TOO_LARGE;
	return PX_E_MALFORMED;
}

/* Fields must come in ascending order; a repeated field's elements are
 * contiguous. */
static void order(struct px_cursor *c, uint32_t *last, uint32_t field, bool repeated)
{
	if (field < *last || (field == *last && !repeated))
		px_cursor_fail(c, E_ORDER);
	*last = field;
}

/* A non-empty singular string, checked for UTF-8. */
static void read_string(struct px_cursor *c, uint32_t wire, struct px_slice *out, size_t max)
{
	px_pb_read_bytes(c, wire, out, max);
	if (!px_cursor_ok(c))
		return;
	if (out->len == 0)
		px_cursor_fail(c, E_DEFAULT);
	else if (!cosmos_utf8_valid(*out))
		px_cursor_fail(c, E_UTF8);
}

static uint64_t read_u64_nonzero(struct px_cursor *c, uint32_t wire)
{
	uint64_t v = px_pb_read_uint64(c, wire);

	if (px_cursor_ok(c) && v == 0)
		px_cursor_fail(c, E_DEFAULT);
	return v;
}

static void any_read(struct px_cursor *c, struct cosmos_any *out)
{
	uint32_t last = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		px_pb_read_tag(c, &field, &wire);
		order(c, &last, field, false);
		switch (field) {
		case 1:
			read_string(c, wire, &out->type_url, COSMOS_TX_MAX_TYPE_URL);
			if (px_cursor_ok(c) && !cosmos_type_url_valid(out->type_url))
				px_cursor_fail(c, E_ANY_URL);
			break;
		case 2:
			px_pb_read_bytes(c, wire, &out->value, COSMOS_TX_MAX_BYTES);
			if (px_cursor_ok(c) && out->value.len == 0)
				px_cursor_fail(c, E_DEFAULT);
			break;
		default:
			px_cursor_fail(c, E_UNKNOWN);
			break;
		}
	}
	if (px_cursor_ok(c) && out->type_url.len == 0)
		px_cursor_fail(c, E_ANY_URL);
}

/* One element of a repeated Any field. */
static void any_push(struct px_cursor *c, uint32_t wire, struct cosmos_any *arr, size_t *n,
		     size_t cap)
{
	struct px_cursor sub;

	if (*n >= cap) {
		px_cursor_fail(c, E_TOO_MANY);
		return;
	}
	px_pb_read_message(c, wire, &sub, COSMOS_TX_MAX_BYTES);
	any_read(&sub, &arr[*n]);
	if (px_cursor_ok(c))
		(*n)++;
}

static void coin_read(struct px_cursor *c, struct cosmos_coin *out)
{
	uint32_t last = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		px_pb_read_tag(c, &field, &wire);
		order(c, &last, field, false);
		switch (field) {
		case 1:
			read_string(c, wire, &out->denom, COSMOS_TX_MAX_DENOM);
			if (px_cursor_ok(c) && !cosmos_denom_valid(out->denom))
				px_cursor_fail(c, E_DENOM);
			break;
		case 2:
			/* sdk.Int is a non-nullable custom type: the SDK
			 * always writes it, "0" included. */
			px_pb_read_bytes(c, wire, &out->amount, COSMOS_TX_MAX_AMOUNT_DIGITS);
			if (px_cursor_ok(c) && !cosmos_amount_valid(out->amount))
				px_cursor_fail(c, E_AMOUNT);
			break;
		default:
			px_cursor_fail(c, E_UNKNOWN);
			break;
		}
	}
	if (px_cursor_ok(c) && out->denom.len == 0)
		px_cursor_fail(c, E_DENOM);
	if (px_cursor_ok(c) && out->amount.ptr == NULL)
		px_cursor_fail(c, E_NO_AMOUNT);
}

static void coin_push(struct px_cursor *c, uint32_t wire, struct cosmos_coin *arr, size_t *n)
{
	struct px_cursor sub;

	if (*n >= COSMOS_TX_MAX_COINS) {
		px_cursor_fail(c, E_TOO_MANY);
		return;
	}
	px_pb_read_message(c, wire, &sub, 4 + COSMOS_TX_MAX_DENOM + COSMOS_TX_MAX_AMOUNT_DIGITS);
	coin_read(&sub, &arr[*n]);
	if (px_cursor_ok(c))
		(*n)++;
}

static void body_read(struct px_cursor *c, struct cosmos_tx_body *out)
{
	uint32_t last = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		px_pb_read_tag(c, &field, &wire);
		switch (field) {
		case 1:
			order(c, &last, field, true);
			any_push(c, wire, out->messages, &out->n_messages, COSMOS_TX_MAX_MSGS);
			break;
		case 2:
			order(c, &last, field, false);
			read_string(c, wire, &out->memo, COSMOS_TX_MAX_MEMO);
			break;
		case 3:
			order(c, &last, field, false);
			out->timeout_height = read_u64_nonzero(c, wire);
			break;
		case 1023:
			order(c, &last, field, true);
			any_push(c, wire, out->extension_options, &out->n_extension_options,
				 COSMOS_TX_MAX_EXT_OPTIONS);
			break;
		case 2047:
			order(c, &last, field, true);
			any_push(c, wire, out->non_critical_extension_options,
				 &out->n_non_critical_extension_options, COSMOS_TX_MAX_EXT_OPTIONS);
			break;
		default:
			/* ADR-020: unknown fields with bit 11 set are
			 * non-critical and may be ignored; all others make
			 * the transaction unprocessable. */
			if (field & 1024) {
				order(c, &last, field, true);
				px_pb_skip(c, wire);
				out->has_unknown_non_critical = true;
			} else {
				px_cursor_fail(c, E_UNKNOWN);
			}
			break;
		}
	}
}

/* google.protobuf.Any holding a cosmos.crypto.secp256k1.PubKey. */
static void secp256k1_pubkey_read(struct px_cursor *c, struct cosmos_signer_info *out)
{
	uint32_t last = 0;
	struct px_slice key = { NULL, 0 };

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		px_pb_read_tag(c, &field, &wire);
		order(c, &last, field, false);
		if (field != 1) {
			px_cursor_fail(c, E_UNKNOWN);
			break;
		}
		px_pb_read_bytes(c, wire, &key, COSMOS_PUBKEY_LEN);
	}
	if (!px_cursor_ok(c))
		return;
	if (key.len != COSMOS_PUBKEY_LEN) {
		px_cursor_fail(c, E_PUBKEY_LEN);
		return;
	}
	memcpy(out->secp256k1_key, key.ptr, COSMOS_PUBKEY_LEN);
	out->has_secp256k1_key = true;
}

static void single_read(struct px_cursor *c, struct cosmos_signer_info *out)
{
	uint32_t last = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;
		uint64_t v;

		px_pb_read_tag(c, &field, &wire);
		order(c, &last, field, false);
		if (field != 1) {
			px_cursor_fail(c, E_UNKNOWN);
			break;
		}
		/* An int32 enum: negative values would be 10-byte varints
		 * and name no mode. */
		v = read_u64_nonzero(c, wire);
		if (px_cursor_ok(c) && v > INT32_MAX)
			px_cursor_fail(c, E_ENUM);
		out->mode = (uint32_t)v;
	}
}

static void mode_info_read(struct px_cursor *c, struct cosmos_signer_info *out)
{
	uint32_t last = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;
		struct px_cursor sub;

		px_pb_read_tag(c, &field, &wire);
		/* A oneof: at most one member, once. */
		if (last)
			px_cursor_fail(c, E_ORDER);
		last = field;
		switch (field) {
		case 1:
			px_pb_read_message(c, wire, &sub, 64);
			single_read(&sub, out);
			out->has_single = px_cursor_ok(c);
			break;
		case 2:
			px_cursor_fail(c, E_MULTISIG);
			break;
		default:
			px_cursor_fail(c, E_UNKNOWN);
			break;
		}
	}
}

static void signer_info_read(struct px_cursor *c, struct cosmos_signer_info *out)
{
	uint32_t last = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;
		struct px_cursor sub;

		px_pb_read_tag(c, &field, &wire);
		order(c, &last, field, false);
		switch (field) {
		case 1:
			px_pb_read_message(c, wire, &sub, 2 * COSMOS_TX_MAX_TYPE_URL + 4096);
			any_read(&sub, &out->public_key);
			if (!px_cursor_ok(c))
				break;
			out->has_public_key = true;
			if (out->public_key.type_url.len == strlen(COSMOS_SECP256K1_PUBKEY_URL) &&
			    memcmp(out->public_key.type_url.ptr, COSMOS_SECP256K1_PUBKEY_URL,
				   out->public_key.type_url.len) == 0) {
				struct px_cursor pk = px_cursor_init(out->public_key.value.ptr,
								     out->public_key.value.len);

				/* Report failures at the right place in the
				 * outer input. */
				pk.parent = c;
				pk.base = c->base + c->off - out->public_key.value.len;
				secp256k1_pubkey_read(&pk, out);
			}
			break;
		case 2:
			px_pb_read_message(c, wire, &sub, 4096);
			mode_info_read(&sub, out);
			out->has_mode_info = px_cursor_ok(c);
			break;
		case 3:
			out->sequence = read_u64_nonzero(c, wire);
			break;
		default:
			px_cursor_fail(c, E_UNKNOWN);
			break;
		}
	}
}

static void fee_read(struct px_cursor *c, struct cosmos_fee *out)
{
	uint32_t last = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		px_pb_read_tag(c, &field, &wire);
		order(c, &last, field, field == 1);
		switch (field) {
		case 1:
			coin_push(c, wire, out->amount, &out->n_amount);
			break;
		case 2:
			out->gas_limit = read_u64_nonzero(c, wire);
			break;
		case 3:
			read_string(c, wire, &out->payer, COSMOS_TX_MAX_ADDR_STR);
			break;
		case 4:
			read_string(c, wire, &out->granter, COSMOS_TX_MAX_ADDR_STR);
			break;
		default:
			px_cursor_fail(c, E_UNKNOWN);
			break;
		}
	}
}

static void tip_read(struct px_cursor *c, struct cosmos_tip *out)
{
	uint32_t last = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		px_pb_read_tag(c, &field, &wire);
		order(c, &last, field, field == 1);
		switch (field) {
		case 1:
			coin_push(c, wire, out->amount, &out->n_amount);
			break;
		case 2:
			read_string(c, wire, &out->tipper, COSMOS_TX_MAX_ADDR_STR);
			break;
		default:
			px_cursor_fail(c, E_UNKNOWN);
			break;
		}
	}
}

static void auth_info_read(struct px_cursor *c, struct cosmos_auth_info *out)
{
	uint32_t last = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;
		struct px_cursor sub;

		px_pb_read_tag(c, &field, &wire);
		order(c, &last, field, field == 1);
		switch (field) {
		case 1:
			if (out->n_signer_infos >= COSMOS_TX_MAX_SIGNERS) {
				px_cursor_fail(c, E_TOO_MANY);
				break;
			}
			px_pb_read_message(c, wire, &sub, 8192);
			signer_info_read(&sub, &out->signer_infos[out->n_signer_infos]);
			if (px_cursor_ok(c))
				out->n_signer_infos++;
			break;
		case 2:
			px_pb_read_message(c, wire, &sub, 8192);
			fee_read(&sub, &out->fee);
			out->has_fee = px_cursor_ok(c);
			break;
		case 3:
			px_pb_read_message(c, wire, &sub, 8192);
			tip_read(&sub, &out->tip);
			out->has_tip = px_cursor_ok(c);
			break;
		default:
			px_cursor_fail(c, E_UNKNOWN);
			break;
		}
	}
}

static void sign_doc_read(struct px_cursor *c, struct cosmos_sign_doc *out)
{
	uint32_t last = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		px_pb_read_tag(c, &field, &wire);
		order(c, &last, field, false);
		switch (field) {
		case 1:
			px_pb_read_bytes(c, wire, &out->body_bytes, COSMOS_TX_MAX_BYTES);
			if (px_cursor_ok(c) && out->body_bytes.len == 0)
				px_cursor_fail(c, E_DEFAULT);
			break;
		case 2:
			px_pb_read_bytes(c, wire, &out->auth_info_bytes, COSMOS_TX_MAX_BYTES);
			if (px_cursor_ok(c) && out->auth_info_bytes.len == 0)
				px_cursor_fail(c, E_DEFAULT);
			break;
		case 3:
			read_string(c, wire, &out->chain_id, COSMOS_CHAIN_ID_MAX);
			break;
		case 4:
			out->account_number = read_u64_nonzero(c, wire);
			break;
		default:
			px_cursor_fail(c, E_UNKNOWN);
			break;
		}
	}
}

static void tx_raw_read(struct px_cursor *c, struct cosmos_tx_raw *out)
{
	uint32_t last = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		px_pb_read_tag(c, &field, &wire);
		order(c, &last, field, field == 3);
		switch (field) {
		case 1:
			px_pb_read_bytes(c, wire, &out->body_bytes, COSMOS_TX_MAX_BYTES);
			if (px_cursor_ok(c) && out->body_bytes.len == 0)
				px_cursor_fail(c, E_DEFAULT);
			break;
		case 2:
			px_pb_read_bytes(c, wire, &out->auth_info_bytes, COSMOS_TX_MAX_BYTES);
			if (px_cursor_ok(c) && out->auth_info_bytes.len == 0)
				px_cursor_fail(c, E_DEFAULT);
			break;
		case 3:
			/* Repeated bytes: every element is written, empty
			 * ones included (simulation sends those). */
			if (out->n_signatures >= COSMOS_TX_MAX_SIGNERS) {
				px_cursor_fail(c, E_TOO_MANY);
				break;
			}
			px_pb_read_bytes(c, wire, &out->signatures[out->n_signatures],
					 COSMOS_TX_MAX_SIG_BYTES);
			if (px_cursor_ok(c))
				out->n_signatures++;
			break;
		default:
			px_cursor_fail(c, E_UNKNOWN);
			break;
		}
	}
}

/* Runs one reader over a whole buffer, with the size cap and the error
 * report shared by every public decoder. */
#define DECODE(what, reader)                                                          \
	do {                                                                                \
		struct px_cursor c = px_cursor_init(buf, len);                              \
                                                                                            \
		if (!out)                                                                   \
			return px_err_set(err, PX_E_USAGE, what ": NULL output");           \
		memset(out, 0, sizeof(*out));                                               \
		if (!buf && len > 0)                                                        \
			return px_err_set(err, PX_E_USAGE, what ": NULL input");            \
		if (len > COSMOS_TX_MAX_BYTES)                                              \
			return px_err_set(err, PX_E_TOO_LARGE, what ": %zu bytes, limit %u", \
					  len, COSMOS_TX_MAX_BYTES);                        \
		reader(&c, out);                                                            \
		if (!px_cursor_ok(&c)) {                                                    \
			memset(out, 0, sizeof(*out));                                       \
			return px_err_set(err, cursor_code(px_cursor_error(&c)),            \
					  what ": %s at byte %zu", px_cursor_error(&c),     \
					  px_cursor_offset(&c));                            \
		}                                                                           \
		return true;                                                                \
	} while (0)

bool cosmos_tx_body_decode(struct px_err *err, struct cosmos_tx_body *out, const uint8_t *buf,
			   size_t len)
{
	DECODE("tx body", body_read);
}

bool cosmos_auth_info_decode(struct px_err *err, struct cosmos_auth_info *out, const uint8_t *buf,
			     size_t len)
{
	DECODE("auth info", auth_info_read);
}

bool cosmos_sign_doc_decode(struct px_err *err, struct cosmos_sign_doc *out, const uint8_t *buf,
			    size_t len)
{
	DECODE("sign doc", sign_doc_read);
}

bool cosmos_tx_raw_decode(struct px_err *err, struct cosmos_tx_raw *out, const uint8_t *buf,
			  size_t len)
{
	DECODE("tx raw", tx_raw_read);
}

bool cosmos_tx_decode(struct px_err *err, struct cosmos_tx *out, const uint8_t *buf, size_t len)
{
	if (!out)
		return px_err_set(err, PX_E_USAGE, "tx: NULL output");
	memset(out, 0, sizeof(*out));
	if (!cosmos_tx_raw_decode(err, &out->raw, buf, len) ||
	    !cosmos_tx_body_decode(err, &out->body, out->raw.body_bytes.ptr,
				   out->raw.body_bytes.len) ||
	    !cosmos_auth_info_decode(err, &out->auth_info, out->raw.auth_info_bytes.ptr,
				     out->raw.auth_info_bytes.len)) {
		memset(out, 0, sizeof(*out));
		return false;
	}
	return true;
}
