/* What a user hands to the audit, turned into packet messages: RPC JSON
 * with a base64 TxRaw, an Any, a TxRaw, or bare message bytes (see
 * audit.h for the order and the tie-break between the bare kinds). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "chains/cosmos/tx.h"
#include "common/json.h"
#include "ibc/core/audit.h"
#include "ibc/core/commitment.h"

const char *ibc_audit_source_name(enum ibc_audit_source s)
{
	switch (s) {
	case IBC_AUDIT_SRC_ANY: return "any";
	case IBC_AUDIT_SRC_TX: return "tx";
	case IBC_AUDIT_SRC_TX_JSON: return "tx-json";
	default: return "msg";
	}
}

void ibc_audit_input_free(struct ibc_audit_input *in)
{
	if (!in)
		return;
	free(in->items);
	px_buf_free(&in->tx);
	memset(in, 0, sizeof(*in));
}

static bool is_packet_kind(enum ibc_msg_kind k)
{
	return k == IBC_MSG_RECV_PACKET || k == IBC_MSG_ACKNOWLEDGEMENT || k == IBC_MSG_TIMEOUT;
}

static bool decode_kind(struct px_err *err, struct ibc_audit_msg *out, enum ibc_msg_kind kind,
			const uint8_t *buf, size_t len)
{
	memset(out, 0, sizeof(*out));
	out->kind = kind;
	switch (kind) {
	case IBC_MSG_RECV_PACKET: return ibc_msg_recv_packet_decode(err, &out->u.recv, buf, len);
	case IBC_MSG_ACKNOWLEDGEMENT:
		return ibc_msg_acknowledgement_decode(err, &out->u.ack, buf, len);
	case IBC_MSG_TIMEOUT: return ibc_msg_timeout_decode(err, &out->u.timeout, buf, len);
	default: return px_err_set(err, PX_E_INTERNAL, "not a packet kind");
	}
}

static struct px_slice proof_field(const struct ibc_audit_msg *m)
{
	switch (m->kind) {
	case IBC_MSG_RECV_PACKET: return m->u.recv.proof_commitment;
	case IBC_MSG_ACKNOWLEDGEMENT: return m->u.ack.proof_acked;
	default: return m->u.timeout.proof_unreceived;
	}
}

static bool add_item(struct px_err *err, struct ibc_audit_input *in, size_t cap)
{
	if (!in->items) {
		in->items = calloc(cap, sizeof(*in->items));
		if (!in->items)
			return px_err_set(err, PX_E_NOMEM, "out of memory");
	}
	if (in->n_items >= cap)
		return px_err_set(err, PX_E_TOO_LARGE, "more than %zu messages", cap);
	in->n_items++;
	return true;
}

/* The byte offset a decoder's "... at byte N" message names, for picking
 * the most telling of several failures. */
static size_t err_offset(const struct px_err *e)
{
	const char *at = strstr(e->msg, "at byte ");
	size_t n = 0;

	if (!at)
		return 0;
	for (at += 8; *at >= '0' && *at <= '9' && n < SIZE_MAX / 10; at++)
		n = n * 10 + (size_t)(*at - '0');
	return n;
}

/* Bare bytes: every kind that decodes and carries a two-proof MerkleProof. */
static bool parse_bare(struct px_err *err, struct ibc_audit_input *out, const uint8_t *buf,
		       size_t len, enum ibc_msg_kind hint)
{
	static const enum ibc_msg_kind kinds[] = { IBC_MSG_RECV_PACKET, IBC_MSG_ACKNOWLEDGEMENT,
						   IBC_MSG_TIMEOUT };
	struct ibc_audit_msg cand[3];
	struct px_err errs[3];
	size_t n_ok = 0, n_shaped = 0, pick = 0, worst = 0;

	for (size_t i = 0; i < 3; i++) {
		struct ibc_merkle_proof mp;
		struct px_slice proof;
		struct px_err ignore = { 0 };

		memset(&errs[i], 0, sizeof(errs[i]));
		if (hint != IBC_MSG_UNKNOWN && kinds[i] != hint) {
			px_err_set(&errs[i], PX_E_MALFORMED, "not asked for");
			continue;
		}
		if (!decode_kind(&errs[i], &cand[i], kinds[i], buf, len)) {
			if (errs[i].code == PX_E_NOMEM)
				return px_err_set(err, PX_E_NOMEM, "out of memory");
			if (err_offset(&errs[i]) >= err_offset(&errs[worst]) || worst == i)
				worst = i;
			continue;
		}
		n_ok++;
		proof = proof_field(&cand[i]);
		if (ibc_merkle_proof_decode(&ignore, &mp, proof.ptr, proof.len)) {
			n_shaped++;
			pick = i;
		} else if (n_shaped == 0) {
			pick = i;
		}
	}
	if (hint != IBC_MSG_UNKNOWN && n_ok == 0) {
		for (size_t i = 0; i < 3; i++)
			if (kinds[i] == hint)
				worst = i;
		return px_err_set(err, errs[worst].code, "%s", errs[worst].msg);
	}
	if (n_ok == 0) {
		px_err_set(err, errs[worst].code,
			   "not an Any, a TxRaw or a packet message; as %s", errs[worst].msg);
		return false;
	}
	if (n_shaped > 1 || (n_shaped == 0 && n_ok > 1))
		return px_err_set(err, PX_E_MALFORMED,
				  "ambiguous message bytes: they decode as more than one of "
				  "MsgRecvPacket, MsgAcknowledgement, MsgTimeout (wrap them in an "
				  "Any, or name the type)");
	if (!add_item(err, out, 1))
		return false;
	out->source = IBC_AUDIT_SRC_MSG;
	out->items[0].kind = kinds[pick];
	out->items[0].is_packet = true;
	out->items[0].msg = cand[pick];
	out->n_packets = 1;
	return true;
}

static bool parse_item(struct px_err *err, struct ibc_audit_input *out, size_t cap,
		       size_t index, struct px_slice type_url, struct px_slice value)
{
	struct ibc_audit_item *it;

	if (!add_item(err, out, cap))
		return false;
	it = &out->items[out->n_items - 1];
	it->index = index;
	it->type_url = type_url;
	it->kind = ibc_msg_kind_of(type_url);
	if (!is_packet_kind(it->kind))
		return true;
	if (!decode_kind(err, &it->msg, it->kind, value.ptr, value.len))
		return false;
	it->is_packet = true;
	out->n_packets++;
	return true;
}

/* A TxRaw whose body decodes; false with *is_tx false when it is not one. */
static bool parse_tx(struct px_err *err, bool *is_tx, struct ibc_audit_input *out,
		     const uint8_t *buf, size_t len)
{
	struct cosmos_tx_raw raw;
	struct cosmos_tx_body *body;
	struct px_err ignore = { 0 };
	bool ok = false;

	*is_tx = false;
	if (!cosmos_tx_raw_decode(&ignore, &raw, buf, len))
		return false;
	body = malloc(sizeof(*body));
	if (!body)
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	if (!cosmos_tx_body_decode(&ignore, body, raw.body_bytes.ptr, raw.body_bytes.len))
		goto out;
	*is_tx = true;
	out->source = IBC_AUDIT_SRC_TX;
	for (size_t i = 0; i < body->n_messages; i++) {
		if (!parse_item(err, out, body->n_messages, i, body->messages[i].type_url,
				body->messages[i].value)) {
			px_err_prefix(err, "tx message %zu (%.*s): ", i,
				      (int)body->messages[i].type_url.len,
				      (const char *)body->messages[i].type_url.ptr);
			goto out;
		}
	}
	ok = true;
out:
	free(body);
	return ok;
}

static bool parse_binary(struct px_err *err, struct ibc_audit_input *out, const uint8_t *buf,
			 size_t len, enum ibc_msg_kind hint)
{
	struct ibc_any any;
	struct px_err ignore = { 0 };
	bool is_tx;

	if (len == 0)
		return px_err_set(err, PX_E_MALFORMED, "empty message");
	if (ibc_any_decode(&ignore, &any, buf, len) && any.type_url.len > 0 &&
	    any.type_url.ptr[0] == '/') {
		enum ibc_msg_kind k = ibc_msg_kind_of(any.type_url);

		if (!is_packet_kind(k))
			return px_err_set(err, PX_E_UNSUPPORTED,
					  "an Any of %.*s, not a MsgRecvPacket, MsgAcknowledgement "
					  "or MsgTimeout",
					  (int)any.type_url.len, (const char *)any.type_url.ptr);
		if (hint != IBC_MSG_UNKNOWN && hint != k)
			return px_err_set(err, PX_E_MALFORMED, "an Any of %s, not the %s asked for",
					  ibc_msg_kind_name(k), ibc_msg_kind_name(hint));
		if (!parse_item(err, out, 1, 0, any.type_url, any.value))
			return false;
		out->source = IBC_AUDIT_SRC_ANY;
		return true;
	}
	if (parse_tx(err, &is_tx, out, buf, len) || is_tx || px_err_is_set(err))
		return is_tx && !px_err_is_set(err);
	return parse_bare(err, out, buf, len, hint);
}

static bool looks_like_json(const uint8_t *buf, size_t len, bool *sure)
{
	size_t i = 0;

	*sure = len > 0 && buf[0] == '{';
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'))
		i++;
	return i < len && buf[i] == '{';
}

/* {"result": {"tx": base64, "height": ...}} or the result itself. */
static bool parse_json(struct px_err *err, struct ibc_audit_input *out, const json_t *doc)
{
	const json_t *r = doc;
	json_t *result = json_object_get(doc, "result");
	bool is_tx;

	if (json_is_object(result))
		r = result;
	if (!json_object_get(r, "tx"))
		return px_err_set(err, PX_E_JSON,
				  "JSON without result.tx (a `tx` RPC result is expected)");
	if (!px_json_get_base64(err, &out->tx, r, "tx")) {
		px_err_prefix(err, "result: ");
		return false;
	}
	if (json_object_get(r, "height") && !px_json_get_i64(err, &out->tx_height, r, "height")) {
		px_err_prefix(err, "result: ");
		return false;
	}
	if (out->tx.len == 0)
		return px_err_set(err, PX_E_MALFORMED, "result.tx is empty");
	if (!parse_tx(err, &is_tx, out, out->tx.data, out->tx.len)) {
		if (!is_tx && !px_err_is_set(err))
			px_err_set(err, PX_E_MALFORMED, "result.tx is not a TxRaw with a TxBody");
		return false;
	}
	out->source = IBC_AUDIT_SRC_TX_JSON;
	return true;
}

bool ibc_audit_input_parse(struct px_err *err, struct ibc_audit_input *out, const uint8_t *buf,
			   size_t len, enum ibc_msg_kind hint)
{
	bool ok, sure;

	memset(out, 0, sizeof(*out));
	if (!buf && len)
		return px_err_set(err, PX_E_USAGE, "audit input: NULL buffer");
	if (len > IBC_AUDIT_MAX_INPUT)
		return px_err_set(err, PX_E_TOO_LARGE, "input of %zu bytes (at most %u)", len,
				  IBC_AUDIT_MAX_INPUT);
	if (hint != IBC_MSG_UNKNOWN && !is_packet_kind(hint))
		return px_err_set(err, PX_E_USAGE, "%s is not a packet message",
				  ibc_msg_kind_name(hint));
	if (looks_like_json(buf, len, &sure)) {
		struct px_err jerr = { 0 };
		json_t *doc = px_json_load_buf(&jerr, buf, len);

		if (doc || sure) {
			if (!doc)
				px_err_set(err, jerr.code, "%s", jerr.msg);
			ok = doc && json_is_object(doc) && parse_json(err, out, doc);
			if (doc && !json_is_object(doc))
				px_err_set(err, PX_E_JSON, "JSON input is not an object");
			json_decref(doc);
			goto done;
		}
	}
	ok = parse_binary(err, out, buf, len, hint);
done:
	if (!ok) {
		ibc_audit_input_free(out);
		if (!px_err_is_set(err))
			px_err_set(err, PX_E_MALFORMED, "unreadable input");
	}
	return ok;
}
