/* The ClientStates, Connections and Channels listings of ibcquery.h: the
 * request, strict decoding of one page, and the blocking walk over every
 * page that `pontifex query clients|connections|channels` makes.
 *
 * An IdentifiedConnection is a ConnectionEnd with an id in front (its
 * fields moved up by one) and an IdentifiedChannel a Channel with the port
 * and channel ids as fields 6 and 7 (upgrade_sequence moved from 6 to 8):
 * each entry is re-tagged into the stored message and read with the
 * strict codecs of ibc/codec, so an entry is refused for what those
 * refuse (wrong wire types, repeated singular fields, values past their
 * caps, enums out of range). */
#include "relayer/ibcquery.h"

#include <stdlib.h>
#include <string.h>

#include "common/protobuf.h"
#include "ibc/codec/channel.h"
#include "ibc/codec/connection.h"
#include "ibc/codec/msg.h"
#include "ibc/codec/tendermint.h"
#include "ibc/core/paths.h"

void rly_ibcq_req_list(struct px_buf *out, const uint8_t *key, size_t key_len, uint64_t limit)
{
	struct px_buf page = PX_BUF_INIT;

	if (key_len)
		px_pb_put_bytes(&page, 1, key, key_len);
	if (limit)
		px_pb_put_uint64(&page, 3, limit);
	px_pb_put_bytes(out, 1, page.data, page.len);
	if (!px_buf_ok(&page))
		out->failed = true;
	px_buf_free(&page);
}

void rly_ibcq_clients_free(struct rly_ibcq_clients *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void rly_ibcq_connections_free(struct rly_ibcq_connections *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void rly_ibcq_channels_free(struct rly_ibcq_channels *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Room for one more of n entries of size bytes in v (capacity *cap): the
 * array to use from now on, or NULL (v unchanged) without memory. */
static void *grow(struct px_err *err, void *v, size_t *cap, size_t n, size_t size)
{
	size_t c = *cap ? 2 * *cap : 16;
	void *p;

	if (n < *cap)
		return v;
	if (c > RLY_IBCQ_MAX_LIST)
		c = RLY_IBCQ_MAX_LIST;
	p = realloc(v, c * size);
	if (!p) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		return NULL;
	}
	*cap = c;
	return p;
}

/* ---- entries ---- */

static bool entry_fail(struct px_err *err, const struct px_cursor *c)
{
	return px_err_set(err, PX_E_MALFORMED, "%s at byte %zu", px_cursor_error(c),
			  px_cursor_offset(c));
}

/* A singular field's first and only occurrence. */
static void once(struct px_cursor *c, bool *seen)
{
	if (*seen)
		px_cursor_fail(c, "repeated singular field");
	*seen = true;
}

/* An identifier field: present, of a valid form. */
static bool take_id(struct px_err *err, char out[IBC_ID_MAX + 1], enum ibc_id_kind kind,
		    const char *name, bool seen, struct px_slice s)
{
	if (!seen)
		return px_err_set(err, PX_E_MALFORMED, "no %s", name);
	if (!ibc_id_validate(err, kind, (const char *)s.ptr, s.len)) {
		if (err)
			err->code = PX_E_MALFORMED;
		px_err_prefix(err, "%s: ", name);
		return false;
	}
	memcpy(out, s.ptr, s.len);
	out[s.len] = 0;
	return true;
}

/* Copies the field just tagged (f, w) into out as field nf. */
static void retag(struct px_cursor *c, struct px_buf *out, uint32_t w, uint32_t nf)
{
	struct px_slice b;
	uint64_t v;

	if (w == PX_WIRE_LEN) {
		px_pb_read_bytes(c, w, &b, IBC_MAX_MESSAGE);
		if (px_cursor_ok(c))
			px_pb_put_bytes(out, nf, b.ptr, b.len);
	} else if (w == PX_WIRE_VARINT) {
		v = px_pb_read_uint64(c, w);
		if (px_cursor_ok(c)) {
			px_pb_put_tag(out, nf, PX_WIRE_VARINT);
			px_pb_put_varint(out, v);
		}
	} else {
		px_cursor_fail(c, "wire type of a field that is no fixed-size number");
	}
}

static bool client_add(struct px_err *err, void *list, const uint8_t *buf, size_t len)
{
	struct rly_ibcq_clients *l = list;
	struct px_cursor c = px_cursor_init(buf, len);
	struct rly_ibcq_client_entry e;
	struct px_slice id = { NULL, 0 }, raw = { NULL, 0 };
	bool has_id = false, has_state = false;
	struct ibc_tm_client_state cs;
	struct ibc_any any;
	void *p;

	memset(&e, 0, sizeof(e));
	while (px_cursor_more(&c)) {
		uint32_t f, w;

		px_pb_read_tag(&c, &f, &w);
		if (!px_cursor_ok(&c))
			break;
		if (f == 1) {
			once(&c, &has_id);
			px_pb_read_bytes(&c, w, &id, IBC_ID_MAX);
		} else if (f == 2) {
			once(&c, &has_state);
			px_pb_read_bytes(&c, w, &raw, IBC_MAX_ANY_VALUE + IBC_MAX_TYPE_URL + 16);
		} else {
			px_pb_skip(&c, w);
		}
	}
	if (!px_cursor_ok(&c))
		return entry_fail(err, &c);
	if (!take_id(err, e.client_id, IBC_ID_CLIENT, "client_id", has_id, id))
		return false;
	if (!has_state)
		return px_err_set(err, PX_E_MALFORMED, "%s: no client_state", e.client_id);
	if (!ibc_any_decode(err, &any, raw.ptr, raw.len)) {
		px_err_prefix(err, "%s: client_state: ", e.client_id);
		return false;
	}
	if (any.type_url.len > RLY_IBCQ_MAX_TYPE_URL)
		return px_err_set(err, PX_E_MALFORMED, "%s: client_state: type URL too long",
				  e.client_id);
	memcpy(e.type_url, any.type_url.ptr, any.type_url.len);
	if (px_slice_eq(any.type_url, ibc_str(IBC_URL_TM_CLIENT_STATE))) {
		if (!ibc_tm_client_state_decode(err, &cs, any.value.ptr, any.value.len)) {
			px_err_prefix(err, "%s: client_state: ", e.client_id);
			return false;
		}
		e.tendermint = true;
		memcpy(e.client.chain_id, cs.chain_id, sizeof(e.client.chain_id));
		e.client.latest_height = cs.latest_height;
		e.client.frozen = !ibc_height_is_zero(cs.frozen_height);
	}
	p = grow(err, l->v, &l->cap, l->n, sizeof(*l->v));
	if (!p)
		return false;
	l->v = p;
	l->v[l->n++] = e;
	return true;
}

static bool connection_add(struct px_err *err, void *list, const uint8_t *buf, size_t len)
{
	struct rly_ibcq_connections *l = list;
	struct px_cursor c = px_cursor_init(buf, len);
	struct px_buf end = PX_BUF_INIT;
	struct ibc_connection_end *ce = NULL;
	struct rly_ibcq_connection_entry e;
	struct px_slice id = { NULL, 0 };
	bool has_id = false, ok = false;
	void *p;

	memset(&e, 0, sizeof(e));
	while (px_cursor_more(&c)) {
		uint32_t f, w;

		px_pb_read_tag(&c, &f, &w);
		if (!px_cursor_ok(&c))
			break;
		if (f == 1) {
			once(&c, &has_id);
			px_pb_read_bytes(&c, w, &id, IBC_ID_MAX);
		} else if (f >= 2 && f <= 6) {
			retag(&c, &end, w, f - 1);
		} else {
			px_pb_skip(&c, w);
		}
	}
	if (!px_cursor_ok(&c)) {
		entry_fail(err, &c);
		goto out;
	}
	if (!take_id(err, e.connection_id, IBC_ID_CONNECTION, "id", has_id, id))
		goto out;
	if (!px_buf_ok(&end)) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto out;
	}
	/* About 35 KiB with its version and feature arrays: not on the stack
	 * of every entry. */
	ce = malloc(sizeof(*ce));
	if (!ce) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto out;
	}
	if (!ibc_connection_end_decode(err, ce, end.data, end.len)) {
		px_err_prefix(err, "%s: ", e.connection_id);
		goto out;
	}
	memcpy(e.client_id, ce->client_id, sizeof(e.client_id));
	e.state = ce->state;
	memcpy(e.counterparty_client_id, ce->counterparty.client_id, sizeof(e.counterparty_client_id));
	memcpy(e.counterparty_connection_id, ce->counterparty.connection_id,
	       sizeof(e.counterparty_connection_id));
	e.delay_period = ce->delay_period;
	p = grow(err, l->v, &l->cap, l->n, sizeof(*l->v));
	if (!p)
		goto out;
	l->v = p;
	l->v[l->n++] = e;
	ok = true;
out:
	free(ce);
	px_buf_free(&end);
	return ok;
}

static bool channel_add(struct px_err *err, void *list, const uint8_t *buf, size_t len)
{
	struct rly_ibcq_channels *l = list;
	struct px_cursor c = px_cursor_init(buf, len);
	struct px_buf ch = PX_BUF_INIT;
	struct rly_ibcq_channel_entry e;
	struct px_slice port = { NULL, 0 }, chan = { NULL, 0 };
	bool has_port = false, has_chan = false, ok = false;
	void *p;

	memset(&e, 0, sizeof(e));
	while (px_cursor_more(&c)) {
		uint32_t f, w;

		px_pb_read_tag(&c, &f, &w);
		if (!px_cursor_ok(&c))
			break;
		if (f >= 1 && f <= 5) {
			retag(&c, &ch, w, f);
		} else if (f == 6) {
			once(&c, &has_port);
			px_pb_read_bytes(&c, w, &port, IBC_ID_MAX);
		} else if (f == 7) {
			once(&c, &has_chan);
			px_pb_read_bytes(&c, w, &chan, IBC_ID_MAX);
		} else if (f == 8) {
			retag(&c, &ch, w, 6);
		} else {
			px_pb_skip(&c, w);
		}
	}
	if (!px_cursor_ok(&c)) {
		entry_fail(err, &c);
		goto out;
	}
	if (!take_id(err, e.port_id, IBC_ID_PORT, "port_id", has_port, port) ||
	    !take_id(err, e.channel_id, IBC_ID_CHANNEL, "channel_id", has_chan, chan))
		goto out;
	if (!px_buf_ok(&ch)) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto out;
	}
	if (!ibc_channel_decode(err, &e.channel, ch.data, ch.len)) {
		px_err_prefix(err, "%s/%s: ", e.port_id, e.channel_id);
		goto out;
	}
	p = grow(err, l->v, &l->cap, l->n, sizeof(*l->v));
	if (!p)
		goto out;
	l->v = p;
	l->v[l->n++] = e;
	ok = true;
out:
	px_buf_free(&ch);
	return ok;
}

/* ---- pages ---- */

/* One listing: its response and how entries go into its list. */
struct lister {
	const char *path;
	const char *what;	/* the response message */
	const char *field;	/* its field 1 */
	bool has_height;	/* field 3 is the query height */
	bool (*add)(struct px_err *err, void *list, const uint8_t *buf, size_t len);
};

static const struct lister clients_lister = {
	RLY_IBCQ_CLIENT_STATES, "QueryClientStatesResponse", "client_states", false, client_add,
};
static const struct lister connections_lister = {
	RLY_IBCQ_CONNECTIONS, "QueryConnectionsResponse", "connections", true, connection_add,
};
static const struct lister channels_lister = {
	RLY_IBCQ_CHANNELS, "QueryChannelsResponse", "channels", true, channel_add,
};

/* PageResponse{next_key = 1, total = 2}. */
static void page_read(struct px_cursor *c, struct px_slice *next_key)
{
	bool has_key = false, has_total = false;

	while (px_cursor_more(c)) {
		uint32_t f, w;

		px_pb_read_tag(c, &f, &w);
		if (f == 1) {
			once(c, &has_key);
			px_pb_read_bytes(c, w, next_key, RLY_IBCQ_MAX_NEXT_KEY);
		} else if (f == 2) {
			once(c, &has_total);
			(void)px_pb_read_uint64(c, w);
		} else {
			px_pb_skip(c, w);
		}
	}
}

/* Height{revision_number = 1, revision_height = 2}: numbers only. */
static void height_read(struct px_cursor *c)
{
	while (px_cursor_more(c)) {
		uint32_t f, w;

		px_pb_read_tag(c, &f, &w);
		if (f == 1 || f == 2)
			(void)px_pb_read_uint64(c, w);
		else
			px_pb_skip(c, w);
	}
}

/* n: where the list keeps its count, to put it back on failure. */
static bool page_decode(struct px_err *err, const struct lister *ls, void *list, size_t *n,
			struct px_buf *next_key, const uint8_t *buf, size_t len)
{
	struct px_cursor c = px_cursor_init(buf, len);
	struct px_slice key = { NULL, 0 }, ent;
	size_t n0 = *n, idx = 0;
	bool page_seen = false, height_seen = false;
	const char *field = "key";

	while (px_cursor_more(&c)) {
		struct px_cursor sub;
		uint32_t f, w;

		field = "key";
		px_pb_read_tag(&c, &f, &w);
		if (!px_cursor_ok(&c))
			break;
		if (f == 1) {
			field = ls->field;
			px_pb_read_bytes(&c, w, &ent, IBC_MAX_MESSAGE);
			if (!px_cursor_ok(&c))
				break;
			if (*n >= RLY_IBCQ_MAX_LIST) {
				px_err_set(err, PX_E_TOO_LARGE, "%s: more than %u %s", ls->what,
					   RLY_IBCQ_MAX_LIST, ls->field);
				goto fail;
			}
			if (!ls->add(err, list, ent.ptr, ent.len)) {
				px_err_prefix(err, "%s: %s #%zu: ", ls->what, ls->field, idx);
				goto fail;
			}
			idx++;
		} else if (f == 2) {
			field = "pagination";
			once(&c, &page_seen);
			px_pb_read_message(&c, w, &sub, IBC_MAX_MESSAGE);
			if (px_cursor_ok(&c)) {
				page_read(&sub, &key);
				if (!px_cursor_ok(&sub))
					px_cursor_fail(&c, px_cursor_error(&sub));
			}
		} else if (f == 3 && ls->has_height) {
			field = "height";
			once(&c, &height_seen);
			px_pb_read_message(&c, w, &sub, IBC_MAX_MESSAGE);
			if (px_cursor_ok(&c)) {
				height_read(&sub);
				if (!px_cursor_ok(&sub))
					px_cursor_fail(&c, px_cursor_error(&sub));
			}
		} else {
			field = "skipped field";
			px_pb_skip(&c, w);
		}
	}
	if (!px_cursor_ok(&c)) {
		px_err_set(err, PX_E_MALFORMED, "%s: %s: %s at byte %zu", ls->what, field,
			   px_cursor_error(&c), px_cursor_offset(&c));
		goto fail;
	}
	px_buf_reset(next_key);
	px_buf_append(next_key, key.ptr, key.len);
	if (!px_buf_ok(next_key)) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto fail;
	}
	return true;
fail:
	*n = n0;
	return false;
}

bool rly_ibcq_client_states_decode(struct px_err *err, struct rly_ibcq_clients *out,
				   struct px_buf *next_key, const uint8_t *buf, size_t len)
{
	return page_decode(err, &clients_lister, out, &out->n, next_key, buf, len);
}

bool rly_ibcq_connections_decode(struct px_err *err, struct rly_ibcq_connections *out,
				 struct px_buf *next_key, const uint8_t *buf, size_t len)
{
	return page_decode(err, &connections_lister, out, &out->n, next_key, buf, len);
}

bool rly_ibcq_channels_decode(struct px_err *err, struct rly_ibcq_channels *out,
			      struct px_buf *next_key, const uint8_t *buf, size_t len)
{
	return page_decode(err, &channels_lister, out, &out->n, next_key, buf, len);
}

/* ---- over the network ---- */

static bool list_all(struct px_err *err, const struct lister *ls, void *list, size_t *n,
		     struct cmt_client *c, uint32_t timeout_ms)
{
	struct px_buf req = PX_BUF_INIT, v = PX_BUF_INIT, key = PX_BUF_INIT, prev = PX_BUF_INIT;
	size_t n0 = *n;
	bool ok = false;

	for (;;) {
		px_buf_reset(&req);
		px_buf_reset(&v);
		rly_ibcq_req_list(&req, key.data, key.len, RLY_IBCQ_LIST_PAGE);
		if (!rly_ibcq_call(err, &v, NULL, c, ls->path, &req, timeout_ms))
			goto out;
		px_buf_reset(&prev);
		px_buf_append(&prev, key.data, key.len);
		if (!page_decode(err, ls, list, n, &key, v.data, v.len))
			goto out;
		if (key.len == 0)
			break;
		/* A node that hands back the key it was given would loop. */
		if (px_slice_eq(px_slice_of(&key), px_slice_of(&prev))) {
			px_err_set(err, PX_E_MALFORMED, "%s: next_key does not move", ls->path);
			goto out;
		}
	}
	ok = true;
out:
	if (!ok)
		*n = n0;
	px_buf_free(&req);
	px_buf_free(&v);
	px_buf_free(&key);
	px_buf_free(&prev);
	return ok;
}

bool rly_ibcq_list_clients(struct px_err *err, struct rly_ibcq_clients *out, struct cmt_client *c,
			   uint32_t timeout_ms)
{
	return list_all(err, &clients_lister, out, &out->n, c, timeout_ms);
}

bool rly_ibcq_list_connections(struct px_err *err, struct rly_ibcq_connections *out,
			       struct cmt_client *c, uint32_t timeout_ms)
{
	return list_all(err, &connections_lister, out, &out->n, c, timeout_ms);
}

bool rly_ibcq_list_channels(struct px_err *err, struct rly_ibcq_channels *out, struct cmt_client *c,
			    uint32_t timeout_ms)
{
	return list_all(err, &channels_lister, out, &out->n, c, timeout_ms);
}
