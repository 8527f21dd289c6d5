/* ICS-20 on the devnet: the transfer module's MsgTransfer and its packet
 * callbacks, as ibc-go v8's transfer keeper runs them. Balances move
 * through ibc/transfer/transfer_host.c over the host table; this file
 * resolves ibc/HASH denoms through the denom traces of the `transfer`
 * store (0x02 || sha256(path) -> DenomTrace{path = 1, base_denom = 2}),
 * records new traces on receive, builds the acknowledgements and emits
 * ibc-go's events. */
#include "chains/devnet/app_ibc.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/encoding.h"
#include "common/hash.h"
#include "common/protobuf.h"
#include "ibc/core/packet.h"
#include "ibc/core/paths.h"
#include "ibc/transfer/transfer_host.h"

#define TRACE_PREFIX 0x02
#define TRACE_KEY_LEN (1 + PX_SHA256_LEN)

bool app_transfer_check_channel(struct app_refusal *ref, enum ibc_order order,
				const char *version)
{
	if (order != IBC_ORDER_UNORDERED) {
		app_refuse(ref, "channel", 6, "the transfer port takes unordered channels only: "
			   "invalid channel ordering");
		return false;
	}
	if (strcmp(version, IBC_ICS20_VERSION) != 0) {
		app_refuse(ref, "transfer", 6, "got version '%.64s', want '%s': invalid ICS-20 "
			   "version", version, IBC_ICS20_VERSION);
		return false;
	}
	return true;
}

/* ---- denom traces ---- */

static bool trace_get(struct px_err *err, struct app_ibc_ctx *x, struct px_buf *path, bool *found,
		      const uint8_t hash[PX_SHA256_LEN])
{
	uint8_t key[TRACE_KEY_LEN];
	struct px_slice v, f1 = { 0 }, f2 = { 0 };
	struct px_cursor c;
	uint32_t field, wire;

	key[0] = TRACE_PREFIX;
	memcpy(key + 1, hash, PX_SHA256_LEN);
	if (!app_cache_get(err, x->c, APP_ST_TRANSFER, key, sizeof(key), &v, found)) {
		x->internal = true;
		return false;
	}
	if (!*found)
		return true;
	c = px_cursor_init(v.ptr, v.len);
	while (px_cursor_more(&c)) {
		px_pb_read_tag(&c, &field, &wire);
		if (field == 1)
			px_pb_read_bytes(&c, wire, &f1, IBC_ICS20_MAX_DENOM);
		else if (field == 2)
			px_pb_read_bytes(&c, wire, &f2, IBC_ICS20_MAX_DENOM);
		else
			px_pb_skip(&c, wire);
	}
	if (!px_cursor_ok(&c) || f2.len == 0) {
		x->internal = true;
		return px_err_set(err, PX_E_INTERNAL, "stored denom trace does not decode");
	}
	px_buf_append(path, f1.ptr, f1.len);
	if (f1.len)
		px_buf_append(path, (const uint8_t *)"/", 1);
	px_buf_append(path, f2.ptr, f2.len);
	return true;
}

/* Records the trace of a voucher denom path the first time it is minted;
 * *fresh tells whether it was new. */
static bool trace_put(struct px_err *err, struct app_ibc_ctx *x, bool *fresh,
		      const struct ibc_denom *d, const char *path, size_t path_len)
{
	uint8_t key[TRACE_KEY_LEN];
	struct px_buf v = PX_BUF_INIT, trace = PX_BUF_INIT;
	struct px_slice old;
	bool found, ok;

	key[0] = TRACE_PREFIX;
	px_sha256(key + 1, path, path_len);
	if (!app_cache_get(err, x->c, APP_ST_TRANSFER, key, sizeof(key), &old, &found)) {
		x->internal = true;
		return false;
	}
	*fresh = !found;
	if (found)
		return true;
	/* the path without the base: the hops */
	trace.len = 0;
	px_buf_append(&trace, (const uint8_t *)path,
		      path_len - d->base.len - (d->hops_len ? 1 : 0));
	px_pb_put_bytes(&v, 1, trace.data, trace.len);
	px_pb_put_bytes(&v, 2, d->base.ptr, d->base.len);
	ok = px_buf_ok(&v) && px_buf_ok(&trace);
	if (!ok)
		px_err_set(err, PX_E_NOMEM, "denom trace: out of memory");
	else if (!app_cache_put(err, x->c, APP_ST_TRANSFER, key, sizeof(key), v.data, v.len))
		ok = false;
	if (!ok)
		x->internal = true;
	px_buf_free(&v);
	px_buf_free(&trace);
	return ok;
}

/* The full denom path of a coin this chain holds: an ibc/HASH is looked
 * up, anything else is its own path. */
static bool resolve_denom(struct px_err *err, struct app_refusal *ref, struct app_ibc_ctx *x,
			  struct px_buf *out, struct px_slice denom)
{
	uint8_t hash[PX_SHA256_LEN];
	bool found;

	if (denom.len > 4 && memcmp(denom.ptr, "ibc/", 4) == 0) {
		struct px_err e = { 0 };

		if (denom.len != IBC_DENOM_HASH_LEN ||
		    !px_hex_decode_fixed(&e, hash, sizeof(hash), (const char *)denom.ptr + 4,
					 denom.len - 4)) {
			app_refuse(ref, "transfer", 3, "'%.*s' is not ibc/ and 64 hex digits: invalid "
				   "denomination for cross-chain transfer", (int)(denom.len > 80 ? 80 :
				   denom.len), (const char *)denom.ptr);
			return true;
		}
		if (!trace_get(err, x, out, &found, hash))
			return false;
		if (!found)
			app_refuse(ref, "transfer", 4, "denomination trace for %.*s not found: "
				   "denomination trace not found", (int)denom.len,
				   (const char *)denom.ptr);
		return true;
	}
	px_buf_append(out, denom.ptr, denom.len);
	return true;
}

/* ---- MsgTransfer ---- */

static bool str_of(struct px_buf *b, struct px_slice s)
{
	b->len = 0;
	px_buf_append(b, s.ptr, s.len);
	px_buf_append(b, (const uint8_t *)"", 1);
	return px_buf_ok(b) && (s.len == 0 || memchr(s.ptr, 0, s.len) == NULL);
}

bool app_transfer_send(struct px_err *err, struct app_refusal *ref, struct app_ibc_ctx *x,
		       json_t *events, const struct ibc_msg_transfer *m, uint64_t *sequence)
{
	struct px_buf path = PX_BUF_INIT, amount = PX_BUF_INIT, sender = PX_BUF_INIT,
		      receiver = PX_BUF_INIT, memo = PX_BUF_INIT, data = PX_BUF_INIT;
	struct ibc_ics20_data d;
	struct ibc_u256 v;
	struct ibc_packet pkt;
	struct ibc_host h;
	struct px_err e = { 0 };
	struct px_slice ds;
	bool ok = false;

	*sequence = 0;
	if (!str_of(&amount, m->token.amount) || !str_of(&sender, m->sender) ||
	    !str_of(&receiver, m->receiver) || !str_of(&memo, m->memo)) {
		if (px_buf_ok(&amount) && px_buf_ok(&sender) && px_buf_ok(&receiver) &&
		    px_buf_ok(&memo)) {
			ok = app_refuse(ref, "sdk", 18, "NUL byte in a field: invalid request");
			goto out;
		}
		px_err_set(err, PX_E_NOMEM, "transfer: out of memory");
		goto out;
	}
	if (!ibc_u256_parse(&e, &v, (const char *)amount.data, m->token.amount.len) ||
	    ibc_u256_is_zero(&v)) {
		ok = app_refuse(ref, "sdk", 10, "amount '%.80s' is not a positive integer: invalid "
				"coins", (const char *)amount.data);
		goto out;
	}
	if (m->receiver.len == 0 || m->receiver.len > IBC_ICS20_MAX_ADDRESS) {
		ok = app_refuse(ref, "transfer", 7, "receiver must be 1 to %d bytes: invalid address",
				IBC_ICS20_MAX_ADDRESS);
		goto out;
	}
	if (m->memo.len > IBC_ICS20_MAX_MEMO) {
		ok = app_refuse(ref, "transfer", 18, "memo longer than %d bytes: invalid memo",
				IBC_ICS20_MAX_MEMO);
		goto out;
	}
	if (!resolve_denom(err, ref, x, &path, m->token.denom))
		goto out;
	if (ref->code) {
		ok = true;
		goto out;
	}
	px_buf_append(&path, (const uint8_t *)"", 1);
	if (!px_buf_ok(&path)) {
		px_err_set(err, PX_E_NOMEM, "transfer: out of memory");
		goto out;
	}
	d.denom = (const char *)path.data;
	d.amount = (const char *)amount.data;
	d.sender = (const char *)sender.data;
	d.receiver = (const char *)receiver.data;
	d.memo = (const char *)memo.data;
	d.owned = NULL;
	if (!ibc_ics20_encode(&e, &data, &d, IBC_ICS20_JSON_FIELDS)) {
		ok = app_refuse(ref, "transfer", 3, "%s: invalid denomination for cross-chain "
				"transfer", e.msg);
		goto out;
	}
	app_ibc_host(&h, x);
	if (!ibc_transfer_on_send(&h, &e, m->source_port, m->source_channel, &d)) {
		ok = app_ibc_rule_failed(err, ref, x, "transfer", &e, "MsgTransfer");
		goto out;
	}
	ds.ptr = data.data;
	ds.len = data.len;
	if (!ibc_packet_send(&h, &e, &pkt, m->source_port, m->source_channel, m->timeout_height,
			     m->timeout_timestamp, ds)) {
		ok = app_ibc_rule_failed(err, ref, x, "channel", &e, "MsgTransfer");
		goto out;
	}
	*sequence = pkt.sequence;
	{
		struct ibc_channel chan;
		bool found;
		struct ibc_path p;
		struct px_slice cv;

		memset(&chan, 0, sizeof(chan));
		if (!ibc_path_channel(&e, &p, m->source_port, m->source_channel) ||
		    !app_ibc_get(err, x, p.s, p.len, &cv, &found) || !found ||
		    !ibc_channel_decode(&e, &chan, cv.ptr, cv.len)) {
			if (!x->internal)
				px_err_set(err, PX_E_INTERNAL, "sent on a channel not stored");
			goto out;
		}
		ok = app_ibc_packet_event(err, events, "send_packet", &pkt, "ORDER_UNORDERED",
					  chan.connection_hops[0], true, NULL) &&
		     app_ibc_event(err, events, "ibc_transfer", "sender", d.sender, "receiver",
				   d.receiver, "amount", d.amount, "denom", d.denom, "memo", d.memo,
				   NULL);
	}
out:
	px_buf_free(&path);
	px_buf_free(&amount);
	px_buf_free(&sender);
	px_buf_free(&receiver);
	px_buf_free(&memo);
	px_buf_free(&data);
	return ok;
}

/* ---- packet callbacks ---- */

static bool error_ack(struct px_err *err, struct px_buf *ack, uint32_t code)
{
	char msg[96];
	int n = snprintf(msg, sizeof(msg), "ABCI code: %u: error handling packet: see events for "
			 "details", code);

	ack->len = 0;
	return ibc_ack_error_encode(err, ack, msg, (size_t)n);
}

bool app_transfer_on_recv(struct px_err *err, struct app_ibc_ctx *x, json_t *events,
			  const struct ibc_packet *pkt, struct px_buf *ack)
{
	struct ibc_ics20_data d = { 0 };
	struct px_buf path = PX_BUF_INIT, local = PX_BUF_INIT;
	struct ibc_denom den;
	struct ibc_host h;
	struct px_err e = { 0 };
	bool home = false, fresh = false, ok = false;
	uint32_t code = 0;

	if (!ibc_ics20_decode(&e, &d, pkt->data.ptr, pkt->data.len)) {
		code = 12;	/* transfer: invalid packet data */
		goto refused;
	}
	if (!ibc_ics20_recv_denom(&e, &path, &home, d.denom, strlen(d.denom), pkt) ||
	    !ibc_denom_parse(&e, &den, (const char *)path.data, path.len)) {
		code = 3;
		goto refused;
	}
	app_ibc_host(&h, x);
	if (!ibc_transfer_on_recv(&h, &e, pkt, &d)) {
		if (x->internal || e.code == PX_E_NOMEM || e.code == PX_E_INTERNAL) {
			*err = e;
			goto out;
		}
		code = e.code == PX_E_IBC_FUNDS ? 5 : 18;
		goto refused;
	}
	if (!home) {
		ibc_denom_local(&local, &den);
		px_buf_append(&local, (const uint8_t *)"", 1);
		if (!px_buf_ok(&local)) {
			px_err_set(err, PX_E_NOMEM, "out of memory");
			goto out;
		}
		if (!trace_put(err, x, &fresh, &den, (const char *)path.data, path.len))
			goto out;
		if (fresh && !app_ibc_event(err, events, "denomination_trace", "trace_hash",
					    (const char *)local.data + 4, "denom",
					    (const char *)local.data, NULL))
			goto out;
	}
	px_buf_append(ack, (const uint8_t *)IBC_ICS20_ACK_SUCCESS,
		      sizeof(IBC_ICS20_ACK_SUCCESS) - 1);
	ok = app_ibc_event(err, events, "fungible_token_packet", "module", "transfer", "sender",
			   d.sender, "receiver", d.receiver, "denom", d.denom, "amount", d.amount,
			   "memo", d.memo, "success", "true", NULL);
	goto out;
refused:
	ok = error_ack(err, ack, code) &&
	     app_ibc_event(err, events, "fungible_token_packet", "module", "transfer", "sender",
			   d.sender ? d.sender : "", "receiver", d.receiver ? d.receiver : "",
			   "denom", d.denom ? d.denom : "", "amount", d.amount ? d.amount : "",
			   "memo", d.memo ? d.memo : "", "success", "false", "error", e.msg, NULL);
out:
	ibc_ics20_data_free(&d);
	px_buf_free(&path);
	px_buf_free(&local);
	return ok;
}

/* Decodes the data of a packet this chain sent. */
static bool sent_data(struct app_refusal *ref, struct ibc_ics20_data *d,
		      const struct ibc_packet *pkt)
{
	struct px_err e = { 0 };

	if (ibc_ics20_decode(&e, d, pkt->data.ptr, pkt->data.len))
		return true;
	app_refuse(ref, "transfer", 12, "%s: invalid packet data", e.msg);
	return false;
}

static bool refund(struct px_err *err, struct app_refusal *ref, struct app_ibc_ctx *x,
		   const struct ibc_packet *pkt, const struct ibc_ics20_data *d)
{
	struct ibc_host h;
	struct px_err e = { 0 };

	app_ibc_host(&h, x);
	if (ibc_transfer_refund(&h, &e, pkt, d))
		return true;
	return app_ibc_rule_failed(err, ref, x, "transfer", &e, "refund");
}

bool app_transfer_on_ack(struct px_err *err, struct app_refusal *ref, struct app_ibc_ctx *x,
			 json_t *events, const struct ibc_packet *pkt, const uint8_t *ack,
			 size_t ack_len)
{
	struct ibc_ics20_data d = { 0 };
	struct ibc_ack a = { 0 };
	struct px_buf ack_s = PX_BUF_INIT;
	struct px_err e = { 0 };
	bool ok = false;

	if (!sent_data(ref, &d, pkt))
		return true;
	if (!ibc_ack_decode(&e, &a, ack, ack_len)) {
		ok = app_refuse(ref, "transfer", 12, "cannot decode the acknowledgement: %s: invalid "
				"packet acknowledgement", e.msg);
		goto out;
	}
	if (!a.success && !refund(err, ref, x, pkt, &d))
		goto out;
	if (ref->code) {
		ok = true;
		goto out;
	}
	px_buf_append(&ack_s, ack, ack_len);
	px_buf_append(&ack_s, (const uint8_t *)"", 1);
	if (!px_buf_ok(&ack_s)) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto out;
	}
	ok = app_ibc_event(err, events, "fungible_token_packet", "module", "transfer", "sender",
			   d.sender, "receiver", d.receiver, "denom", d.denom, "amount", d.amount,
			   "memo", d.memo, "acknowledgement", (const char *)ack_s.data, NULL) &&
	     (a.success ? app_ibc_event(err, events, "fungible_token_packet", "success", "\x01",
					NULL)
			: app_ibc_event(err, events, "fungible_token_packet", "error",
					(const char *)a.error.data, NULL));
out:
	ibc_ack_free(&a);
	ibc_ics20_data_free(&d);
	px_buf_free(&ack_s);
	return ok;
}

bool app_transfer_on_timeout(struct px_err *err, struct app_refusal *ref, struct app_ibc_ctx *x,
			     json_t *events, const struct ibc_packet *pkt)
{
	struct ibc_ics20_data d = { 0 };
	bool ok = false;

	if (!sent_data(ref, &d, pkt))
		return true;
	if (!refund(err, ref, x, pkt, &d))
		goto out;
	ok = ref->code ||
	     app_ibc_event(err, events, "timeout", "refund_receiver", d.sender, "refund_denom",
			   d.denom, "refund_amount", d.amount, "memo", d.memo, NULL);
out:
	ibc_ics20_data_free(&d);
	return ok;
}
