/* The IBC query services over abci_query (ibcquery.h): request encoding,
 * strict response decoding, and the blocking calls the CLI and the
 * relaying engine make. */
#include "relayer/ibcquery.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/protobuf.h"
#include "ibc/codec/channel.h"
#include "ibc/codec/connection.h"
#include "ibc/codec/msg.h"
#include "ibc/codec/tendermint.h"
#include "relayer/txsub.h"

void rly_ibcq_seqs_free(struct rly_ibcq_seqs *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Appends v; fails the cursor past the cap or without memory. */
static void seq_push(struct px_cursor *c, struct rly_ibcq_seqs *s, uint64_t v)
{
	if (!px_cursor_ok(c))
		return;
	if (s->n >= RLY_IBCQ_MAX_SEQS) {
		px_cursor_fail(c, "more sequences than the cap");
		return;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		uint64_t *nv;

		if (cap > RLY_IBCQ_MAX_SEQS)
			cap = RLY_IBCQ_MAX_SEQS;
		nv = realloc(s->v, cap * sizeof(*nv));
		if (!nv) {
			px_cursor_fail(c, "out of memory");
			return;
		}
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n++] = v;
}

/* ---- requests ---- */

static void put_str(struct px_buf *b, uint32_t field, const char *s)
{
	if (s && *s)
		px_pb_put_bytes(b, field, (const uint8_t *)s, strlen(s));
}

void rly_ibcq_req_id(struct px_buf *out, const char *id)
{
	put_str(out, 1, id);
}

void rly_ibcq_req_channel(struct px_buf *out, const char *port, const char *channel)
{
	put_str(out, 1, port);
	put_str(out, 2, channel);
}

void rly_ibcq_req_packet(struct px_buf *out, const char *port, const char *channel,
			 uint64_t sequence)
{
	rly_ibcq_req_channel(out, port, channel);
	if (sequence)
		px_pb_put_uint64(out, 3, sequence);
}

void rly_ibcq_req_states(struct px_buf *out, const char *port, const char *channel,
			 const uint8_t *key, size_t key_len, uint64_t limit)
{
	struct px_buf page = PX_BUF_INIT;

	rly_ibcq_req_channel(out, port, channel);
	if (key_len)
		px_pb_put_bytes(&page, 1, key, key_len);
	if (limit)
		px_pb_put_uint64(&page, 3, limit);
	px_pb_put_bytes(out, 3, page.data, page.len);
	if (!px_buf_ok(&page))
		out->failed = true;
	px_buf_free(&page);
}

void rly_ibcq_req_unreceived(struct px_buf *out, const char *port, const char *channel,
			     const uint64_t *seqs, size_t n)
{
	struct px_buf packed = PX_BUF_INIT;

	rly_ibcq_req_channel(out, port, channel);
	for (size_t i = 0; i < n; i++)
		px_pb_put_varint(&packed, seqs[i]);
	if (packed.len)
		px_pb_put_bytes(out, 3, packed.data, packed.len);
	if (!px_buf_ok(&packed))
		out->failed = true;
	px_buf_free(&packed);
}

/* ---- responses ---- */

static bool cursor_done(struct px_err *err, const struct px_cursor *c, const char *what,
			const char *field)
{
	if (px_cursor_ok(c))
		return true;
	return px_err_set(err, PX_E_MALFORMED, "%s: %s: %s at byte %zu", what, field,
			  px_cursor_error(c), px_cursor_offset(c));
}

/* Reads the one embedded message at `want` (bytes, at most max) of a
 * response whose other fields are skipped; a second copy of it fails. */
static bool read_one(struct px_err *err, struct px_slice *out, bool *present, const char *what,
		     uint32_t want, size_t max, const uint8_t *buf, size_t len)
{
	struct px_cursor c = px_cursor_init(buf, len);
	const char *field = "key";

	memset(out, 0, sizeof(*out));
	*present = false;
	while (px_cursor_more(&c)) {
		uint32_t f, w;

		field = "key";
		px_pb_read_tag(&c, &f, &w);
		if (!px_cursor_ok(&c))
			break;
		if (f == want) {
			field = "field 1";
			if (*present) {
				px_cursor_fail(&c, "repeated singular field");
				break;
			}
			px_pb_read_bytes(&c, w, out, max);
			*present = true;
		} else {
			field = "skipped field";
			px_pb_skip(&c, w);
		}
	}
	if (!cursor_done(err, &c, what, field)) {
		memset(out, 0, sizeof(*out));
		*present = false;
		return false;
	}
	return true;
}

bool rly_ibcq_client_state_decode(struct px_err *err, struct rly_ibcq_client *out,
				  const uint8_t *buf, size_t len)
{
	static const char what[] = "QueryClientStateResponse";
	struct ibc_tm_client_state cs;
	struct ibc_any any;
	struct px_slice v;
	bool present;

	memset(out, 0, sizeof(*out));
	if (!read_one(err, &v, &present, what, 1, IBC_MAX_ANY_VALUE + IBC_MAX_TYPE_URL + 16, buf,
		      len))
		return false;
	if (!present)
		return px_err_set(err, PX_E_MALFORMED, "%s: no client_state", what);
	if (!ibc_any_decode(err, &any, v.ptr, v.len)) {
		px_err_prefix(err, "%s: client_state: ", what);
		return false;
	}
	if (!px_slice_eq(any.type_url, ibc_str(IBC_URL_TM_CLIENT_STATE)))
		return px_err_set(err, PX_E_UNSUPPORTED, "%s: client state of type '%.*s', not "
				  "07-tendermint", what, (int)(any.type_url.len > 80 ? 80 :
							       any.type_url.len),
				  (const char *)any.type_url.ptr);
	if (!ibc_tm_client_state_decode(err, &cs, any.value.ptr, any.value.len)) {
		px_err_prefix(err, "%s: client_state: ", what);
		return false;
	}
	memcpy(out->chain_id, cs.chain_id, sizeof(out->chain_id));
	out->latest_height = cs.latest_height;
	out->frozen = !ibc_height_is_zero(cs.frozen_height);
	return true;
}

bool rly_ibcq_connection_decode(struct px_err *err, struct ibc_connection_end *out,
				const uint8_t *buf, size_t len)
{
	static const char what[] = "QueryConnectionResponse";
	struct px_slice v;
	bool present;

	memset(out, 0, sizeof(*out));
	if (!read_one(err, &v, &present, what, 1, IBC_MAX_MESSAGE, buf, len))
		return false;
	if (!present)
		return px_err_set(err, PX_E_MALFORMED, "%s: no connection", what);
	if (!ibc_connection_end_decode(err, out, v.ptr, v.len)) {
		px_err_prefix(err, "%s: connection: ", what);
		return false;
	}
	return true;
}

bool rly_ibcq_channel_decode(struct px_err *err, struct ibc_channel *out, const uint8_t *buf,
			     size_t len)
{
	static const char what[] = "QueryChannelResponse";
	struct px_slice v;
	bool present;

	memset(out, 0, sizeof(*out));
	if (!read_one(err, &v, &present, what, 1, IBC_MAX_MESSAGE, buf, len))
		return false;
	if (!present)
		return px_err_set(err, PX_E_MALFORMED, "%s: no channel", what);
	if (!ibc_channel_decode(err, out, v.ptr, v.len)) {
		px_err_prefix(err, "%s: channel: ", what);
		return false;
	}
	return true;
}

bool rly_ibcq_hash_decode(struct px_err *err, uint8_t hash[RLY_IBCQ_MAX_HASH], size_t *hash_len,
			  const uint8_t *buf, size_t len)
{
	static const char what[] = "QueryPacketCommitment/AcknowledgementResponse";
	struct px_slice v;
	bool present;

	*hash_len = 0;
	if (!read_one(err, &v, &present, what, 1, RLY_IBCQ_MAX_HASH, buf, len))
		return false;
	if (!present || v.len == 0)
		return px_err_set(err, PX_E_MALFORMED, "%s: empty hash", what);
	memcpy(hash, v.ptr, v.len);
	*hash_len = v.len;
	return true;
}

bool rly_ibcq_receipt_decode(struct px_err *err, bool *received, const uint8_t *buf, size_t len)
{
	struct px_cursor c = px_cursor_init(buf, len);
	bool seen = false, r = false;
	const char *field = "key";

	*received = false;
	while (px_cursor_more(&c)) {
		uint32_t f, w;

		field = "key";
		px_pb_read_tag(&c, &f, &w);
		if (!px_cursor_ok(&c))
			break;
		if (f == 2) {
			field = "received";
			if (seen) {
				px_cursor_fail(&c, "repeated singular field");
				break;
			}
			seen = true;
			r = px_pb_read_bool(&c, w);
		} else {
			field = "skipped field";
			px_pb_skip(&c, w);
		}
	}
	if (!cursor_done(err, &c, "QueryPacketReceiptResponse", field))
		return false;
	*received = r;
	return true;
}

/* PacketState: only the sequence (field 3) matters here; it must be set. */
static void state_read(struct px_cursor *c, struct rly_ibcq_seqs *seqs)
{
	uint64_t seq = 0;

	while (px_cursor_more(c)) {
		uint32_t f, w;

		px_pb_read_tag(c, &f, &w);
		if (f == 3)
			seq = px_pb_read_uint64(c, w);
		else
			px_pb_skip(c, w);
	}
	if (px_cursor_ok(c) && seq == 0)
		px_cursor_fail(c, "packet state without a sequence");
	seq_push(c, seqs, seq);
}

static void page_read(struct px_cursor *c, struct px_slice *next_key)
{
	while (px_cursor_more(c)) {
		uint32_t f, w;

		px_pb_read_tag(c, &f, &w);
		if (f == 1)
			px_pb_read_bytes(c, w, next_key, RLY_IBCQ_MAX_NEXT_KEY);
		else
			px_pb_skip(c, w);
	}
}

bool rly_ibcq_states_decode(struct px_err *err, struct rly_ibcq_seqs *seqs, struct px_buf *next_key,
			    const uint8_t *buf, size_t len)
{
	struct px_cursor c = px_cursor_init(buf, len);
	struct px_slice key = { NULL, 0 };
	size_t n0 = seqs->n;
	const char *field = "key";
	bool page_seen = false;

	while (px_cursor_more(&c)) {
		struct px_cursor sub;
		uint32_t f, w;

		field = "key";
		px_pb_read_tag(&c, &f, &w);
		if (!px_cursor_ok(&c))
			break;
		switch (f) {
		case 1:
			field = "commitments";
			px_pb_read_message(&c, w, &sub, IBC_MAX_MESSAGE);
			if (px_cursor_ok(&c))
				state_read(&sub, seqs);
			break;
		case 2:
			field = "pagination";
			if (page_seen) {
				px_cursor_fail(&c, "repeated singular field");
				break;
			}
			page_seen = true;
			px_pb_read_message(&c, w, &sub, IBC_MAX_MESSAGE);
			if (px_cursor_ok(&c))
				page_read(&sub, &key);
			break;
		default:
			field = "skipped field";
			px_pb_skip(&c, w);
			break;
		}
	}
	if (!cursor_done(err, &c, "QueryPacketStatesResponse", field)) {
		seqs->n = n0;
		return false;
	}
	px_buf_reset(next_key);
	px_buf_append(next_key, key.ptr, key.len);
	if (!px_buf_ok(next_key)) {
		seqs->n = n0;
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	}
	return true;
}

bool rly_ibcq_unreceived_decode(struct px_err *err, struct rly_ibcq_seqs *seqs,
				const uint8_t *buf, size_t len)
{
	struct px_cursor c = px_cursor_init(buf, len);
	size_t n0 = seqs->n;
	const char *field = "key";

	while (px_cursor_more(&c)) {
		uint32_t f, w;

		field = "key";
		px_pb_read_tag(&c, &f, &w);
		if (!px_cursor_ok(&c))
			break;
		if (f != 1) {
			field = "skipped field";
			px_pb_skip(&c, w);
			continue;
		}
		field = "sequences";
		if (w == PX_WIRE_LEN) {
			struct px_cursor sub;

			px_pb_read_message(&c, w, &sub, IBC_MAX_MESSAGE);
			while (px_cursor_more(&sub))
				seq_push(&sub, seqs, px_pb_read_varint(&sub));
		} else {
			seq_push(&c, seqs, px_pb_read_uint64(&c, w));
		}
	}
	if (!cursor_done(err, &c, "QueryUnreceivedResponse", field)) {
		seqs->n = n0;
		return false;
	}
	return true;
}

/* ---- over the network ---- */

bool rly_ibcq_call(struct px_err *err, struct px_buf *value, bool *found, struct cmt_client *c,
		   const char *path, const struct px_buf *req, uint32_t timeout_ms)
{
	struct rly_abci_response ar;
	struct px_buf v = PX_BUF_INIT;
	json_t *params, *res = NULL;
	bool ok = false;

	if (found)
		*found = false;
	if (!px_buf_ok(req))
		return px_err_set(err, PX_E_NOMEM, "%s: out of memory", path);
	params = cmt_params_abci_query(path, req->data, req->len, 0, false);
	if (!params)
		return px_err_set(err, PX_E_NOMEM, "%s: out of memory", path);
	if (!cmt_client_call_sync(err, &res, c, "abci_query", params, timeout_ms)) {
		if (err && err->code == PX_E_RPC && cmt_client_state(c) == CMT_DISCONNECTED)
			px_err_prefix(err, "node unreachable: ");
		goto out;
	}
	if (!rly_abci_reply(err, &ar, &v, res))
		goto out;
	if (ar.code == RLY_IBCQ_CODE_NOT_FOUND && found && strcmp(ar.codespace, "sdk") == 0) {
		ok = true;
		goto out;
	}
	if (ar.code) {
		px_err_set(err, PX_E_RPC, "refused: code %" PRIu32 " (%s): %s", ar.code,
			   ar.codespace[0] ? ar.codespace : "no codespace", ar.log);
		goto out;
	}
	if (v.len > RLY_IBCQ_MAX_RESPONSE) {
		px_err_set(err, PX_E_TOO_LARGE, "response over %u bytes", RLY_IBCQ_MAX_RESPONSE);
		goto out;
	}
	px_buf_append(value, v.data, v.len);
	if (!px_buf_ok(value)) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto out;
	}
	if (found)
		*found = true;
	ok = true;
out:
	if (!ok)
		px_err_prefix(err, "%s: ", path);
	json_decref(res);
	px_buf_free(&v);
	return ok;
}

bool rly_ibcq_route(struct px_err *err, struct rly_ibcq_route *out, struct cmt_client *c,
		    const char *port, const char *channel, uint32_t timeout_ms)
{
	struct px_buf req = PX_BUF_INIT, v = PX_BUF_INIT;
	struct ibc_connection_end conn;
	bool found, ok = false;

	memset(out, 0, sizeof(*out));
	rly_ibcq_req_channel(&req, port, channel);
	if (!rly_ibcq_call(err, &v, &found, c, RLY_IBCQ_CHANNEL, &req, timeout_ms))
		goto out;
	if (!found) {
		px_err_set(err, PX_E_IBC_NOT_FOUND, "channel %s/%s not found", port, channel);
		goto out;
	}
	if (!rly_ibcq_channel_decode(err, &out->channel, v.data, v.len))
		goto out;
	if (out->channel.connection_hops_len == 0) {
		px_err_set(err, PX_E_MALFORMED, "channel %s/%s has no connection hop", port, channel);
		goto out;
	}
	memcpy(out->connection_id, out->channel.connection_hops[0], sizeof(out->connection_id));

	px_buf_reset(&req);
	px_buf_reset(&v);
	rly_ibcq_req_id(&req, out->connection_id);
	if (!rly_ibcq_call(err, &v, &found, c, RLY_IBCQ_CONNECTION, &req, timeout_ms))
		goto out;
	if (!found) {
		px_err_set(err, PX_E_IBC_NOT_FOUND, "connection %s of channel %s/%s not found",
			   out->connection_id, port, channel);
		goto out;
	}
	if (!rly_ibcq_connection_decode(err, &conn, v.data, v.len))
		goto out;
	memcpy(out->client_id, conn.client_id, sizeof(out->client_id));

	/* conn borrows from v: done with it before v is reused. */
	px_buf_reset(&req);
	px_buf_reset(&v);
	rly_ibcq_req_id(&req, out->client_id);
	if (!rly_ibcq_call(err, &v, &found, c, RLY_IBCQ_CLIENT_STATE, &req, timeout_ms))
		goto out;
	if (!found) {
		px_err_set(err, PX_E_IBC_NOT_FOUND, "client %s of connection %s not found",
			   out->client_id, out->connection_id);
		goto out;
	}
	ok = rly_ibcq_client_state_decode(err, &out->client, v.data, v.len);
out:
	if (!ok)
		memset(out, 0, sizeof(*out));
	px_buf_free(&req);
	px_buf_free(&v);
	return ok;
}

bool rly_ibcq_packet_hash(struct px_err *err, bool *exists, uint8_t hash[RLY_IBCQ_MAX_HASH],
			  size_t *hash_len, struct cmt_client *c, enum rly_ibcq_packet_kind kind,
			  const char *port, const char *channel, uint64_t sequence,
			  uint32_t timeout_ms)
{
	struct px_buf req = PX_BUF_INIT, v = PX_BUF_INIT;
	uint8_t h[RLY_IBCQ_MAX_HASH];
	size_t hl = 0;
	bool ok = false;

	*exists = false;
	rly_ibcq_req_packet(&req, port, channel, sequence);
	if (!rly_ibcq_call(err, &v, exists,
			   c, kind == RLY_IBCQ_KIND_ACK ? RLY_IBCQ_ACK : RLY_IBCQ_COMMITMENT, &req,
			   timeout_ms))
		goto out;
	if (*exists && !rly_ibcq_hash_decode(err, h, &hl, v.data, v.len)) {
		*exists = false;
		goto out;
	}
	if (hash && *exists)
		memcpy(hash, h, hl);
	if (hash_len)
		*hash_len = hl;
	ok = true;
out:
	px_buf_free(&req);
	px_buf_free(&v);
	return ok;
}

bool rly_ibcq_packet_receipt(struct px_err *err, bool *received, struct cmt_client *c,
			     const char *port, const char *channel, uint64_t sequence,
			     uint32_t timeout_ms)
{
	struct px_buf req = PX_BUF_INIT, v = PX_BUF_INIT;
	bool found, ok = false;

	*received = false;
	rly_ibcq_req_packet(&req, port, channel, sequence);
	/* NotFound here is the channel (an absent receipt is received=false). */
	if (!rly_ibcq_call(err, &v, &found, c, RLY_IBCQ_RECEIPT, &req, timeout_ms))
		goto out;
	if (!found) {
		px_err_set(err, PX_E_IBC_NOT_FOUND, "channel %s/%s not found", port, channel);
		goto out;
	}
	ok = rly_ibcq_receipt_decode(err, received, v.data, v.len);
out:
	px_buf_free(&req);
	px_buf_free(&v);
	return ok;
}

bool rly_ibcq_list(struct px_err *err, struct rly_ibcq_seqs *out, struct cmt_client *c,
		   enum rly_ibcq_packet_kind kind, const char *port, const char *channel,
		   uint32_t timeout_ms)
{
	struct px_buf req = PX_BUF_INIT, v = PX_BUF_INIT, key = PX_BUF_INIT, prev = PX_BUF_INIT;
	const char *path = kind == RLY_IBCQ_KIND_ACK ? RLY_IBCQ_ACKS : RLY_IBCQ_COMMITMENTS;
	size_t n0 = out->n;
	bool found, ok = false;

	for (;;) {
		px_buf_reset(&req);
		px_buf_reset(&v);
		rly_ibcq_req_states(&req, port, channel, key.data, key.len, RLY_IBCQ_PAGE);
		if (!rly_ibcq_call(err, &v, &found, c, path, &req, timeout_ms))
			goto out;
		if (!found) {
			px_err_set(err, PX_E_IBC_NOT_FOUND, "channel %s/%s not found", port,
				   channel);
			goto out;
		}
		px_buf_reset(&prev);
		px_buf_append(&prev, key.data, key.len);
		if (!rly_ibcq_states_decode(err, out, &key, v.data, v.len))
			goto out;
		if (key.len == 0)
			break;
		/* A node that hands back the key it was given would loop. */
		if (px_slice_eq(px_slice_of(&key), px_slice_of(&prev))) {
			px_err_set(err, PX_E_MALFORMED, "%s: next_key does not move", path);
			goto out;
		}
	}
	ok = true;
out:
	if (!ok)
		out->n = n0;
	px_buf_free(&req);
	px_buf_free(&v);
	px_buf_free(&key);
	px_buf_free(&prev);
	return ok;
}

bool rly_ibcq_unreceived(struct px_err *err, struct rly_ibcq_seqs *out, struct cmt_client *c,
			 bool acks, const char *port, const char *channel, const uint64_t *seqs,
			 size_t n, uint32_t timeout_ms)
{
	const char *path = acks ? RLY_IBCQ_UNRECEIVED_ACKS : RLY_IBCQ_UNRECEIVED_PACKETS;
	struct px_buf req = PX_BUF_INIT, v = PX_BUF_INIT;
	size_t n0 = out->n;
	bool found, ok = false;

	for (size_t i = 0; i < n; i += RLY_IBCQ_BATCH) {
		size_t k = n - i < RLY_IBCQ_BATCH ? n - i : RLY_IBCQ_BATCH;

		px_buf_reset(&req);
		px_buf_reset(&v);
		rly_ibcq_req_unreceived(&req, port, channel, seqs + i, k);
		if (!rly_ibcq_call(err, &v, &found, c, path, &req, timeout_ms))
			goto out;
		if (!found) {
			px_err_set(err, PX_E_IBC_NOT_FOUND, "channel %s/%s not found", port,
				   channel);
			goto out;
		}
		if (!rly_ibcq_unreceived_decode(err, out, v.data, v.len))
			goto out;
	}
	ok = true;
out:
	if (!ok)
		out->n = n0;
	px_buf_free(&req);
	px_buf_free(&v);
	return ok;
}

/* --- bank balance and client health ------------------------------------- */

bool rly_ibcq_balance(struct px_err *err, char *out, size_t cap, struct cmt_client *c,
		      const char *address, const char *denom, uint32_t timeout_ms)
{
	struct px_buf req = PX_BUF_INIT, val = PX_BUF_INIT;
	struct px_cursor cur, sub;
	struct px_slice amount = { (const uint8_t *)"0", 1 };
	uint32_t field, wire;
	bool ok;

	/* QueryBalanceRequest{address = 1, denom = 2} ->
	 * QueryBalanceResponse{balance = 1: Coin{denom = 1, amount = 2}} */
	px_pb_put_bytes(&req, 1, (const uint8_t *)address, strlen(address));
	px_pb_put_bytes(&req, 2, (const uint8_t *)denom, strlen(denom));
	ok = rly_ibcq_call(err, &val, NULL, c, "/cosmos.bank.v1beta1.Query/Balance", &req,
			   timeout_ms);
	cur = px_cursor_init(val.data, val.len);
	while (ok && px_cursor_more(&cur)) {
		px_pb_read_tag(&cur, &field, &wire);
		if (field != 1) {
			px_pb_skip(&cur, wire);
			continue;
		}
		px_pb_read_message(&cur, wire, &sub, val.len);
		while (px_cursor_more(&sub)) {
			px_pb_read_tag(&sub, &field, &wire);
			if (field == 2)
				px_pb_read_bytes(&sub, wire, &amount, 80);
			else
				px_pb_skip(&sub, wire);
		}
	}
	if (ok && !px_cursor_ok(&cur))
		ok = px_err_set(err, PX_E_MALFORMED, "balance reply: %s", px_cursor_error(&cur));
	if (ok && (amount.len == 0 || amount.len >= cap))
		ok = px_err_set(err, PX_E_MALFORMED, "balance reply: amount of %zu bytes", amount.len);
	if (ok)
		snprintf(out, cap, "%.*s", (int)amount.len, (const char *)amount.ptr);
	px_buf_free(&req);
	px_buf_free(&val);
	return ok;
}

/* The Any of field 1 of a response, decoded as an IBC message. */
static bool any_field(struct px_err *err, struct ibc_msg *out, const struct px_buf *val,
		      const char *what)
{
	struct px_cursor cur = px_cursor_init(val->data, val->len);
	struct px_slice any = { NULL, 0 };
	uint32_t field, wire;

	while (px_cursor_more(&cur)) {
		px_pb_read_tag(&cur, &field, &wire);
		if (field == 1)
			px_pb_read_bytes(&cur, wire, &any, RLY_IBCQ_MAX_RESPONSE);
		else
			px_pb_skip(&cur, wire);
	}
	if (!px_cursor_ok(&cur) || !any.len)
		return px_err_set(err, PX_E_MALFORMED, "%s reply: %s", what,
				  px_cursor_ok(&cur) ? "no value" : px_cursor_error(&cur));
	return ibc_msg_decode_any(err, out, any.ptr, any.len);
}

bool rly_ibcq_client_health(struct px_err *err, struct rly_ibcq_client_health *out,
			    struct cmt_client *c, const char *client_id, uint32_t timeout_ms)
{
	struct px_buf req = PX_BUF_INIT, val = PX_BUF_INIT;
	struct ibc_msg m;
	bool found = false, ok;

	memset(out, 0, sizeof(*out));
	rly_ibcq_req_id(&req, client_id);
	ok = rly_ibcq_call(err, &val, &found, c, "/ibc.core.client.v1.Query/ClientState", &req,
			   timeout_ms);
	if (ok && !found)
		ok = px_err_set(err, PX_E_IBC_NOT_FOUND, "client %s not found", client_id);
	if (ok && (!any_field(err, &m, &val, "ClientState") || m.kind != IBC_MSG_TM_CLIENT_STATE))
		ok = err && err->code ? false
				      : px_err_set(err, PX_E_UNSUPPORTED, "client %s is not 07-tendermint",
						   client_id);
	if (ok) {
		const struct ibc_tm_client_state *cs = &m.u.tm_client_state;

		snprintf(out->chain_id, sizeof(out->chain_id), "%s", cs->chain_id);
		out->latest_height = cs->latest_height;
		out->frozen = !ibc_height_is_zero(cs->frozen_height);
		out->trusting_period_ns = cs->trusting_period;
	}
	/* QueryConsensusStateRequest{client_id = 1, latest_height = 4 (bool)} */
	req.len = 0;
	val.len = 0;
	rly_ibcq_req_id(&req, client_id);
	px_pb_put_bool(&req, 4, true);
	if (ok)
		ok = rly_ibcq_call(err, &val, &found, c, "/ibc.core.client.v1.Query/ConsensusState",
				   &req, timeout_ms);
	if (ok && !found)
		ok = px_err_set(err, PX_E_IBC_NOT_FOUND, "client %s has no latest consensus state",
				client_id);
	if (ok && (!any_field(err, &m, &val, "ConsensusState") ||
		   m.kind != IBC_MSG_TM_CONSENSUS_STATE))
		ok = err && err->code ? false
				      : px_err_set(err, PX_E_UNSUPPORTED,
						   "consensus state of %s is not 07-tendermint", client_id);
	if (ok)
		out->consensus_time = m.u.tm_consensus_state.timestamp;
	px_buf_free(&req);
	px_buf_free(&val);
	return ok;
}
