/* The devnet's IBC query services over gRPC-over-ABCI: what ibc-go v8's
 * 02-client, 03-connection and 04-channel gRPC handlers answer (client and
 * consensus states, connections, channels, packet commitments, receipts,
 * acknowledgements, unreceived packets and acks, next sequence receive),
 * plus x/staking's Params, which relayers read for the unbonding period of
 * a client they create. The paginated listings (pagination itself, and
 * ClientStates, Connections, Channels) are in app_query_ibc_list.c.
 *
 * Everything is read from the `ibc` IAVL store at the query's version,
 * under ibc-go's ICS-24 keys (ibc/core/paths.h). Stored messages that the
 * response carries unchanged (the Any of a client or consensus state, a
 * ConnectionEnd, a Channel, a ClientPaths list) are copied through byte
 * for byte; only the channel ordering and the client's latest height are
 * decoded. As in ibc-go, responses carry no proof and proof_height is the
 * chain's own height {revision of the chain id, query height}: clients
 * that need a proof ask /store/ibc/key with prove=true.
 *
 * Refusals follow the Cosmos SDK's baseapp, which turns a gRPC status into
 * an ABCI error of codespace "sdk": InvalidArgument is code 18 (invalid
 * request), NotFound code 22 (key not found), with the log
 * "rpc error: code = C desc = D: <sdk error>". */
#include "chains/devnet/app_query_ibc_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/number.h"
#include "common/protobuf.h"
#include "ibc/codec/msg.h"
#include "ibc/core/paths.h"
#include "lightclient/tendermint/client.h"

#define REQ_STR_MAX IBC_MAX_TEXT	/* longer than any valid identifier */

static const char oom[] = "out of memory";

/* ---- refusals ---- */

static bool qfail(struct devnet_app_query *q, uint32_t code, const char *fmt, ...) PX_PRINTF(3, 4);

static bool qfail(struct devnet_app_query *q, uint32_t code, const char *fmt, ...)
{
	va_list ap;

	q->code = code;
	va_start(ap, fmt);
	vsnprintf(q->log, sizeof(q->log), fmt, ap);
	va_end(ap);
	return true;
}

/* gRPC status code `status` with description desc, as baseapp reports it. */
static bool grpc_fail(struct devnet_app_query *q, uint32_t code, const char *status,
		      const char *sdk_error, const char *fmt, va_list ap) PX_PRINTF(5, 0);

static bool grpc_fail(struct devnet_app_query *q, uint32_t code, const char *status,
		      const char *sdk_error, const char *fmt, va_list ap)
{
	char desc[200];

	vsnprintf(desc, sizeof(desc), fmt, ap);
	return qfail(q, code, "rpc error: code = %s desc = %s: %s", status, desc, sdk_error);
}

static bool invalid(struct devnet_app_query *q, const char *fmt, ...) PX_PRINTF(2, 3);
static bool not_found(struct devnet_app_query *q, const char *fmt, ...) PX_PRINTF(2, 3);

static bool invalid(struct devnet_app_query *q, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	grpc_fail(q, DEVNET_CODE_INVALID_REQUEST, "InvalidArgument", "invalid request", fmt, ap);
	va_end(ap);
	return true;
}

static bool not_found(struct devnet_app_query *q, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	grpc_fail(q, DEVNET_CODE_KEY_NOT_FOUND, "NotFound", "key not found", fmt, ap);
	va_end(ap);
	return true;
}

/* ---- requests ---- */

/* What a request's field number carries. */
enum fkind { F_NONE = 0, F_STR, F_U64, F_BOOL, F_PAGE, F_SEQS };

static void seq_push(struct px_cursor *c, struct app_qreq *r, uint64_t v)
{
	if (!px_cursor_ok(c))
		return;
	if (r->n_seqs == r->cap_seqs) {
		size_t cap = r->cap_seqs ? 2 * r->cap_seqs : 16;
		uint64_t *p;

		if (r->n_seqs >= DEVNET_QUERY_MAX_SEQUENCES) {
			px_cursor_fail(c, "more sequences than the devnet accepts in one request");
			return;
		}
		if (cap > DEVNET_QUERY_MAX_SEQUENCES)
			cap = DEVNET_QUERY_MAX_SEQUENCES;
		p = realloc(r->seqs, cap * sizeof(*p));
		if (!p) {
			px_cursor_fail(c, oom);
			return;
		}
		r->seqs = p;
		r->cap_seqs = cap;
	}
	r->seqs[r->n_seqs++] = v;
}

/* repeated uint64: packed (proto3's default) or one element per key. */
static void read_seqs(struct px_cursor *c, uint32_t wire, struct app_qreq *r)
{
	struct px_cursor sub;

	if (wire == PX_WIRE_VARINT) {
		seq_push(c, r, px_pb_read_uint64(c, wire));
		return;
	}
	px_pb_read_message(c, wire, &sub, (size_t)10 * DEVNET_QUERY_MAX_SEQUENCES);
	while (px_cursor_more(&sub))
		seq_push(&sub, r, px_pb_read_varint(&sub));
}

static void read_page(struct px_cursor *c, uint32_t wire, struct app_qpage *p)
{
	struct px_cursor sub;

	px_pb_read_message(c, wire, &sub, DEVNET_IAVL_MAX_KEY + 64);
	while (px_cursor_more(&sub)) {
		uint32_t f, w;

		px_pb_read_tag(&sub, &f, &w);
		switch (f) {
		case 1:
			px_pb_read_bytes(&sub, w, &p->key, DEVNET_IAVL_MAX_KEY);
			p->has_key = true;
			break;
		case 2: p->offset = px_pb_read_uint64(&sub, w); break;
		case 3: p->limit = px_pb_read_uint64(&sub, w); break;
		case 4: p->count_total = px_pb_read_bool(&sub, w); break;
		case 5: p->reverse = px_pb_read_bool(&sub, w); break;
		default: px_pb_skip(&sub, w); break;
		}
	}
}

/* Unknown fields are skipped and a repeated singular field keeps its last
 * value, as the Go decoder does; a known field with another wire type is
 * an error. */
static void req_read(struct px_cursor *c, struct app_qreq *r, const uint8_t kinds[APP_QI_REQ_FIELDS])
{
	while (px_cursor_more(c)) {
		uint32_t f, w;

		px_pb_read_tag(c, &f, &w);
		switch (f < APP_QI_REQ_FIELDS ? kinds[f] : F_NONE) {
		case F_STR: px_pb_read_bytes(c, w, &r->str[f], REQ_STR_MAX); break;
		case F_U64: r->u64[f] = px_pb_read_uint64(c, w); break;
		case F_BOOL: r->flag[f] = px_pb_read_bool(c, w); break;
		case F_PAGE: read_page(c, w, &r->page); break;
		case F_SEQS: read_seqs(c, w, r); break;
		default: px_pb_skip(c, w); break;
		}
	}
}

/* ---- the query context ---- */

/* Validates an identifier of the request into out (NUL-terminated);
 * false after refusing it as ibc-go's host validators do. */
static bool take_id(struct app_qctx *x, char out[IBC_ID_MAX + 1], enum ibc_id_kind kind,
		    struct px_slice s)
{
	struct px_err e = { 0 };
	const char *id = s.len ? (const char *)s.ptr : "";

	if (!ibc_id_validate(&e, kind, id, s.len) || s.len > IBC_ID_MAX)
		return !invalid(x->q, "%s", e.code ? e.msg : "identifier too long");
	memcpy(out, id, s.len);
	out[s.len] = 0;
	return true;
}

/* Port (field 1) and channel (field 2), as ibc-go's validategRPCRequest. */
static bool take_port_channel(struct app_qctx *x)
{
	return take_id(x, x->port, IBC_ID_PORT, x->r.str[1]) &&
	       take_id(x, x->chan, IBC_ID_CHANNEL, x->r.str[2]);
}

/* value borrows from the store until it changes (not during a query). */
static bool ibc_read(struct app_qctx *x, struct px_slice *value, bool *found, const struct ibc_path *p)
{
	return devnet_iavl_get(x->err, value, found, x->a->stores[APP_ST_IBC], x->version,
			       (const uint8_t *)p->s, p->len);
}

/* A stored sequence: 8 bytes big-endian. */
static bool seq_value(struct px_err *err, uint64_t *out, struct px_slice v, const char *what)
{
	uint64_t s = 0;

	if (v.len != 8)
		return px_err_set(err, PX_E_MALFORMED, "stored %s: want 8 bytes, have %zu", what, v.len);
	for (size_t i = 0; i < 8; i++)
		s = s << 8 | v.ptr[i];
	*out = s;
	return true;
}

/* The channel end of x->port/x->chan. false only for internal failures;
 * *found false after refusing the query as ibc-go does (NotFound). */
static bool channel_read(struct app_qctx *x, struct px_slice *raw, bool *found)
{
	struct ibc_path p;

	if (!ibc_path_channel(x->err, &p, x->port, x->chan) || !ibc_read(x, raw, found, &p))
		return false;
	if (!*found)
		not_found(x->q, "port-id: %s, channel-id %s: channel not found", x->port, x->chan);
	return true;
}

/* nextSequenceRecv of the channel; *found false after a refusal, worded
 * as UnreceivedPackets (destination) or NextSequenceReceive words it. */
static bool next_recv_read(struct app_qctx *x, uint64_t *out, bool *found, bool destination)
{
	struct ibc_path p;
	struct px_slice v;

	if (!ibc_path_next_sequence_recv(x->err, &p, x->port, x->chan) || !ibc_read(x, &v, found, &p))
		return false;
	if (*found)
		return seq_value(x->err, out, v, "nextSequenceRecv");
	if (destination)
		not_found(x->q, "destination port: %s, destination channel: %s: sequence receive not "
			  "found", x->port, x->chan);
	else
		not_found(x->q, "port-id: %s, channel-id %s: sequence receive not found", x->port,
			  x->chan);
	return true;
}

/* ---- responses ---- */

/* Writes sub as field of b and frees it. */
void app_qi_put_sub(struct px_buf *b, uint32_t field, struct px_buf *sub)
{
	px_pb_put_bytes(b, field, sub->data, sub->len);
	if (!px_buf_ok(sub))
		b->failed = true;
	px_buf_free(sub);
}

void app_qi_put_str(struct px_buf *b, uint32_t field, const char *s)
{
	if (*s)
		px_pb_put_bytes(b, field, (const uint8_t *)s, strlen(s));
}

/* ibc.core.client.v1.Height: non-nullable, so always written. */
void app_qi_put_height(struct px_buf *b, uint32_t field, struct ibc_height h)
{
	struct px_buf s = PX_BUF_INIT;

	if (h.revision_number)
		px_pb_put_uint64(&s, 1, h.revision_number);
	if (h.revision_height)
		px_pb_put_uint64(&s, 2, h.revision_height);
	app_qi_put_sub(b, field, &s);
}

/* Field 1 the stored message as it is, field 3 the proof height (field 2,
 * the proof, stays empty): the shape of the single-object responses. */
static bool put_stored(struct app_qctx *x, struct px_slice v)
{
	px_pb_put_bytes(&x->q->value, 1, v.ptr, v.len);
	app_qi_put_height(&x->q->value, 3, x->self);
	return true;
}

/* ---- 02-client ---- */

static bool q_client_state(struct app_qctx *x)
{
	struct ibc_path p;
	struct px_slice v;
	bool found;

	if (!take_id(x, x->id, IBC_ID_CLIENT, x->r.str[1]))
		return true;
	if (!ibc_path_client_state(x->err, &p, x->id) || !ibc_read(x, &v, &found, &p))
		return false;
	if (!found)
		return not_found(x->q, "%s: light client not found", x->id);
	return put_stored(x, v);
}

/* The latest height of a stored client state (an Any). *known false when
 * its type is not one the devnet decodes. */
static bool latest_height(struct app_qctx *x, struct ibc_height *out, bool *known, struct px_slice v)
{
	struct ibc_msg m;

	if (!ibc_msg_decode_any(x->err, &m, v.ptr, v.len)) {
		px_err_prefix(x->err, "stored client state of %s: ", x->id);
		return false;
	}
	*known = m.kind == IBC_MSG_TM_CLIENT_STATE;
	if (*known)
		*out = m.u.tm_client_state.latest_height;
	ibc_msg_free(&m);
	return true;
}

static bool consensus_not_found(struct app_qctx *x, struct ibc_height h)
{
	return not_found(x->q, "client-id: %s, height: %" PRIu64 "-%" PRIu64
			 ": consensus state not found", x->id, h.revision_number, h.revision_height);
}

/* By height (fields 2, 3), or at the client's latest height (field 4);
 * the refusal names the requested height, as ibc-go's does. */
static bool q_consensus_state(struct app_qctx *x)
{
	struct ibc_height h = { x->r.u64[2], x->r.u64[3] }, at = h;
	struct ibc_path p;
	struct px_slice v;
	bool found, known;

	if (!take_id(x, x->id, IBC_ID_CLIENT, x->r.str[1]))
		return true;
	if (x->r.flag[4]) {
		/* ibc-go's GetLatestClientConsensusState: a missing client is a
		 * missing consensus state. */
		if (!ibc_path_client_state(x->err, &p, x->id) || !ibc_read(x, &v, &found, &p))
			return false;
		if (!found)
			return consensus_not_found(x, h);
		if (!latest_height(x, &at, &known, v))
			return false;
		if (!known)
			return qfail(x->q, DEVNET_CODE_UNKNOWN_REQUEST,
				     "rpc error: code = Internal desc = client %s: the devnet does not "
				     "know the latest height of this client type: unknown request", x->id);
	} else if (h.revision_height == 0) {
		return invalid(x->q, "consensus state height cannot be 0");
	}
	if (!ibc_path_consensus_state(x->err, &p, x->id, at) || !ibc_read(x, &v, &found, &p))
		return false;
	if (!found)
		return consensus_not_found(x, h);
	return put_stored(x, v);
}

/* ---- 03-connection ---- */

static bool q_connection(struct app_qctx *x)
{
	struct ibc_path p;
	struct px_slice v;
	bool found;

	if (!take_id(x, x->id, IBC_ID_CONNECTION, x->r.str[1]))
		return true;
	if (!ibc_path_connection(x->err, &p, x->id) || !ibc_read(x, &v, &found, &p))
		return false;
	if (!found)
		return not_found(x->q, "%s: connection not found", x->id);
	return put_stored(x, v);
}

/* The stored ClientPaths{repeated string paths = 1} is the response's
 * connection_paths (field 1) as it is; it is checked to be just that. */
static bool q_client_connections(struct app_qctx *x)
{
	struct ibc_path p;
	struct px_slice v, s;
	struct px_cursor c;
	bool found;

	if (!take_id(x, x->id, IBC_ID_CLIENT, x->r.str[1]))
		return true;
	if (!ibc_path_client_connections(x->err, &p, x->id) || !ibc_read(x, &v, &found, &p))
		return false;
	if (!found)
		return not_found(x->q, "%s: light client connection paths not found", x->id);
	c = px_cursor_init(v.ptr, v.len);
	while (px_cursor_more(&c)) {
		uint32_t f, w;

		px_pb_read_tag(&c, &f, &w);
		if (f != 1)
			px_cursor_fail(&c, "not a ClientPaths field");
		px_pb_read_bytes(&c, w, &s, IBC_ID_MAX);
	}
	if (!px_cursor_ok(&c))
		return px_err_set(x->err, PX_E_MALFORMED, "stored ClientPaths of %s: %s at byte %zu",
				  x->id, px_cursor_error(&c), px_cursor_offset(&c));
	px_buf_append(&x->q->value, v.ptr, v.len);
	app_qi_put_height(&x->q->value, 3, x->self);
	return true;
}

/* ---- 04-channel ---- */

static bool q_channel(struct app_qctx *x)
{
	struct px_slice v;
	bool found;

	if (!take_port_channel(x))
		return true;
	if (!channel_read(x, &v, &found))
		return false;
	return !found || put_stored(x, v);
}

enum pkind { P_COMMITMENT, P_RECEIPT, P_ACK };

static bool packet_path(struct app_qctx *x, struct ibc_path *p, enum pkind k, uint64_t seq)
{
	switch (k) {
	case P_COMMITMENT: return ibc_path_packet_commitment(x->err, p, x->port, x->chan, seq);
	case P_RECEIPT: return ibc_path_packet_receipt(x->err, p, x->port, x->chan, seq);
	case P_ACK: return ibc_path_packet_ack(x->err, p, x->port, x->chan, seq);
	}
	return px_err_set(x->err, PX_E_INTERNAL, "packet key kind %d", (int)k);
}

/* PacketCommitment, PacketReceipt, PacketAcknowledgement. */
static bool q_packet_one(struct app_qctx *x, enum pkind k)
{
	uint64_t seq = x->r.u64[3];
	struct ibc_path p;
	struct px_slice v;
	bool found;

	if (!take_port_channel(x))
		return true;
	if (seq == 0)
		return invalid(x->q, "packet sequence cannot be 0");
	if (!channel_read(x, &v, &found))
		return false;
	if (!found)
		return true;
	if (!packet_path(x, &p, k, seq) || !ibc_read(x, &v, &found, &p))
		return false;
	switch (k) {
	case P_COMMITMENT:
		if (!found)
			return not_found(x->q, "packet commitment hash not found");
		return put_stored(x, v);
	case P_ACK:
		if (!found)
			return not_found(x->q, "packet acknowledgement hash not found");
		return put_stored(x, v);
	case P_RECEIPT:
		/* QueryPacketReceiptResponse{received = 2, proof = 3,
		 * proof_height = 4} */
		if (found)
			px_pb_put_bool(&x->q->value, 2, true);
		app_qi_put_height(&x->q->value, 4, x->self);
		return true;
	}
	return true;
}

static bool q_packet_commitment(struct app_qctx *x) { return q_packet_one(x, P_COMMITMENT); }
static bool q_packet_receipt(struct app_qctx *x) { return q_packet_one(x, P_RECEIPT); }
static bool q_packet_ack(struct app_qctx *x) { return q_packet_one(x, P_ACK); }

/* A key under a packet prefix is "/SEQ" (what ibc-go's handlers parse). */
static const char *packet_key(struct app_qent *e)
{
	if (e->key.len < 2 || e->key.ptr[0] != '/' ||
	    !px_parse_u64(NULL, &e->seq, (const char *)e->key.ptr + 1, e->key.len - 1))
		return "a key under the packet prefix is not /SEQUENCE";
	e->hit = true;
	return NULL;
}

/* ibc.core.channel.v1.PacketState as field 1 of b. */
static void put_state(struct px_buf *b, const struct app_qctx *x, uint64_t seq, struct px_slice data)
{
	struct px_buf s = PX_BUF_INIT;

	app_qi_put_str(&s, 1, x->port);
	app_qi_put_str(&s, 2, x->chan);
	if (seq)
		px_pb_put_uint64(&s, 3, seq);
	if (data.len)
		px_pb_put_bytes(&s, 4, data.ptr, data.len);
	app_qi_put_sub(b, 1, &s);
}

static bool emit_state(struct app_qctx *x, void *ctx, const struct app_qent *e)
{
	(void)ctx;
	put_state(&x->q->value, x, e->seq, e->val);
	return true;
}

/* PacketCommitments and PacketAcknowledgements: field 1 PacketState list,
 * 2 PageResponse, 3 height. Acks for a list of sequences (field 4 of the
 * request) come without pagination. */
static bool q_packet_states(struct app_qctx *x, enum pkind k)
{
	struct app_qscan s = { 0 };
	struct app_qpage_out page;
	struct ibc_path p;
	struct px_slice v;
	bool found, ok;

	if (!take_port_channel(x))
		return true;
	if (!channel_read(x, &v, &found))
		return false;
	if (!found)
		return true;
	if (k == P_ACK && x->r.n_seqs) {
		for (size_t i = 0; i < x->r.n_seqs; i++) {
			if (x->r.seqs[i] == 0)
				continue;	/* no key; ibc-go finds nothing there */
			if (!packet_path(x, &p, k, x->r.seqs[i]) || !ibc_read(x, &v, &found, &p))
				return false;
			if (found)
				put_state(&x->q->value, x, x->r.seqs[i], v);
		}
		app_qi_put_height(&x->q->value, 3, x->self);
		return true;
	}
	/* "…/sequences/1" less its "/1": ibc-go's Packet*PrefixKey. */
	if (!packet_path(x, &p, k, 1))
		return false;
	p.len -= 2;
	p.s[p.len] = 0;
	ok = app_qi_scan(x, &s, p.s, p.len, packet_key) &&
	     app_qi_paginate(x, &page, &s, emit_state, NULL);
	if (ok && !x->q->code) {
		app_qi_put_page(&x->q->value, 2, &page);
		app_qi_put_height(&x->q->value, 3, x->self);
	}
	app_qi_scan_free(&s);
	return ok;
}

static bool q_packet_commitments(struct app_qctx *x) { return q_packet_states(x, P_COMMITMENT); }
static bool q_packet_acks(struct app_qctx *x) { return q_packet_states(x, P_ACK); }

/* The decoded channel end of x->port/x->chan; *found as channel_read. */
static bool channel_get(struct app_qctx *x, struct ibc_channel *ch, bool *found)
{
	struct px_slice v;

	if (!channel_read(x, &v, found))
		return false;
	if (*found && !ibc_channel_decode(x->err, ch, v.ptr, v.len)) {
		px_err_prefix(x->err, "stored channel %s/%s: ", x->port, x->chan);
		return false;
	}
	return true;
}

/* UnreceivedPackets (acks false): the sequences of the request (field 3)
 * not received here, i.e. without a receipt on an unordered channel, >=
 * nextSequenceRecv on an ordered one. UnreceivedAcks (acks true): those
 * whose packet commitment is still here, the ack not having come back. */
static bool q_unreceived(struct app_qctx *x, bool acks)
{
	struct ibc_channel ch;
	struct px_buf packed = PX_BUF_INIT;
	struct ibc_path p;
	struct px_slice v;
	uint64_t next = 0;
	bool found, ok = true;

	if (!take_port_channel(x))
		return true;
	if (!channel_get(x, &ch, &found))
		return false;
	if (!found)
		return true;
	if (!acks && ch.ordering == IBC_ORDER_ORDERED) {
		if (!next_recv_read(x, &next, &found, true))
			return false;
		if (!found)
			return true;
	} else if (!acks && ch.ordering != IBC_ORDER_UNORDERED) {
		return invalid(x->q, "channel order ORDER_NONE_UNSPECIFIED is not supported: invalid "
			       "channel ordering");
	}
	for (size_t i = 0; ok && i < x->r.n_seqs; i++) {
		uint64_t seq = x->r.seqs[i];
		bool out;

		if (seq == 0) {
			invalid(x->q, "packet sequence %zu cannot be 0", i);
			break;
		}
		if (!acks && ch.ordering == IBC_ORDER_ORDERED) {
			out = seq >= next;
		} else {
			ok = packet_path(x, &p, acks ? P_COMMITMENT : P_RECEIPT, seq) &&
			     ibc_read(x, &v, &found, &p);
			out = acks ? found && v.len : !found;
		}
		if (ok && out)
			px_pb_put_varint(&packed, seq);
	}
	if (ok && !x->q->code) {
		/* {sequences = 1 (packed, omitted when empty), height = 2} */
		if (packed.len)
			px_pb_put_bytes(&x->q->value, 1, packed.data, packed.len);
		if (!px_buf_ok(&packed))
			x->q->value.failed = true;
		app_qi_put_height(&x->q->value, 2, x->self);
	}
	px_buf_free(&packed);
	return ok;
}

static bool q_unreceived_packets(struct app_qctx *x) { return q_unreceived(x, false); }
static bool q_unreceived_acks(struct app_qctx *x) { return q_unreceived(x, true); }

/* Unordered channels do not use nextSequenceRecv: 0, as ibc-go answers. */
static bool q_next_sequence_receive(struct app_qctx *x)
{
	struct ibc_channel ch;
	uint64_t next = 0;
	bool found;

	if (!take_port_channel(x))
		return true;
	if (!channel_get(x, &ch, &found))
		return false;
	if (!found)
		return true;
	if (ch.ordering != IBC_ORDER_UNORDERED) {
		if (!next_recv_read(x, &next, &found, false))
			return false;
		if (!found)
			return true;
	}
	if (next)
		px_pb_put_uint64(&x->q->value, 1, next);
	app_qi_put_height(&x->q->value, 3, x->self);
	return true;
}

/* ---- x/staking ---- */

/* QueryParamsResponse{params = 1}: Params{unbonding_time = 1 (Duration,
 * always written), max_validators = 2, max_entries = 3,
 * historical_entries = 4, bond_denom = 5, min_commission_rate = 6 (a
 * LegacyDec, whose wire form is its integer text: "0")}. */
static bool q_staking_params(struct app_qctx *x)
{
	struct px_buf params = PX_BUF_INIT, dur = PX_BUF_INIT;

	px_pb_put_uint64(&dur, 1, DEVNET_UNBONDING_TIME_S);
	app_qi_put_sub(&params, 1, &dur);
	px_pb_put_uint64(&params, 2, DEVNET_MAX_VALIDATORS);
	px_pb_put_uint64(&params, 3, DEVNET_MAX_ENTRIES);
	px_pb_put_uint64(&params, 4, DEVNET_HISTORICAL_ENTRIES);
	app_qi_put_str(&params, 5, DEVNET_BOND_DENOM);
	app_qi_put_str(&params, 6, "0");
	app_qi_put_sub(&x->q->value, 1, &params);
	return true;
}

/* ---- dispatch ---- */

struct route {
	const char *path;
	const char *request;		/* message name, for refusals */
	uint8_t kinds[APP_QI_REQ_FIELDS];	/* by field number */
	bool (*fn)(struct app_qctx *x);
};

#define CLIENT_Q "/ibc.core.client.v1.Query/"
#define CONN_Q "/ibc.core.connection.v1.Query/"
#define CHAN_Q "/ibc.core.channel.v1.Query/"

static const struct route routes[] = {
	{ CLIENT_Q "ClientState", "QueryClientStateRequest", { 0, F_STR }, q_client_state },
	{ CLIENT_Q "ConsensusState", "QueryConsensusStateRequest",
	  { 0, F_STR, F_U64, F_U64, F_BOOL }, q_consensus_state },
	{ CONN_Q "Connection", "QueryConnectionRequest", { 0, F_STR }, q_connection },
	{ CONN_Q "ClientConnections", "QueryClientConnectionsRequest", { 0, F_STR },
	  q_client_connections },
	{ CHAN_Q "Channel", "QueryChannelRequest", { 0, F_STR, F_STR }, q_channel },
	{ CHAN_Q "PacketCommitment", "QueryPacketCommitmentRequest", { 0, F_STR, F_STR, F_U64 },
	  q_packet_commitment },
	{ CHAN_Q "PacketCommitments", "QueryPacketCommitmentsRequest",
	  { 0, F_STR, F_STR, F_PAGE }, q_packet_commitments },
	{ CHAN_Q "PacketReceipt", "QueryPacketReceiptRequest", { 0, F_STR, F_STR, F_U64 },
	  q_packet_receipt },
	{ CHAN_Q "PacketAcknowledgement", "QueryPacketAcknowledgementRequest",
	  { 0, F_STR, F_STR, F_U64 }, q_packet_ack },
	{ CHAN_Q "PacketAcknowledgements", "QueryPacketAcknowledgementsRequest",
	  { 0, F_STR, F_STR, F_PAGE, F_SEQS }, q_packet_acks },
	{ CHAN_Q "UnreceivedPackets", "QueryUnreceivedPacketsRequest", { 0, F_STR, F_STR, F_SEQS },
	  q_unreceived_packets },
	{ CHAN_Q "UnreceivedAcks", "QueryUnreceivedAcksRequest", { 0, F_STR, F_STR, F_SEQS },
	  q_unreceived_acks },
	{ CHAN_Q "NextSequenceReceive", "QueryNextSequenceReceiveRequest", { 0, F_STR, F_STR },
	  q_next_sequence_receive },
	{ CLIENT_Q "ClientStates", "QueryClientStatesRequest", { 0, F_PAGE }, app_qi_client_states },
	{ CONN_Q "Connections", "QueryConnectionsRequest", { 0, F_PAGE }, app_qi_connections },
	{ CHAN_Q "Channels", "QueryChannelsRequest", { 0, F_PAGE }, app_qi_channels },
	{ "/cosmos.staking.v1beta1.Query/Params", "QueryParamsRequest", { 0 }, q_staking_params },
};

static const struct route *route_of(const char *path)
{
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (strcmp(path, routes[i].path) == 0)
			return &routes[i];
	return NULL;
}

bool app_query_ibc_handles(const char *path)
{
	return route_of(path) != NULL;
}

bool app_query_ibc(struct px_err *err, struct devnet_app *a, struct devnet_app_query *q,
		   const char *path, const uint8_t *data, size_t len, int64_t version)
{
	const struct route *r = route_of(path);
	const struct devnet_iavl *t = a->stores[APP_ST_IBC];
	struct app_qctx x;
	struct px_cursor c = px_cursor_init(data, len);
	bool ok;

	if (!r)
		return px_err_set(err, PX_E_INTERNAL, "no IBC query service at %s", path);
	if (version > 0 && (version < devnet_iavl_oldest_version(t) || version > devnet_iavl_version(t)))
		return qfail(q, DEVNET_CODE_NOT_FOUND, "failed to load state at height %" PRId64
			     "; version does not exist (latest height: %" PRId64 "): not found",
			     version, devnet_iavl_version(t));
	memset(&x, 0, sizeof(x));
	x.err = err;
	x.a = a;
	x.q = q;
	x.version = version;
	x.self.revision_number = tm_chain_id_revision(a->chain_id);
	x.self.revision_height = q->height > 0 ? (uint64_t)q->height : 0;
	req_read(&c, &x.r, r->kinds);
	if (px_cursor_error(&c) == oom)
		ok = px_err_set(err, PX_E_NOMEM, "%s: out of memory", r->request);
	else if (!px_cursor_ok(&c))
		ok = qfail(q, DEVNET_CODE_TX_DECODE, "rpc error: code = InvalidArgument desc = bad "
			   "request: %s: %s at byte %zu: tx parse error", r->request,
			   px_cursor_error(&c), px_cursor_offset(&c));
	else
		ok = r->fn(&x);
	free(x.r.seqs);
	return ok;
}
