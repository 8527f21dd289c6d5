/* The devnet's paginated IBC listings: the Cosmos SDK's query.Paginate and
 * query.FilteredPaginate over a prefix of the `ibc` store (used by
 * app_query_ibc.c for packet commitments and acknowledgements too), and
 * three of ibc-go v8's list queries:
 *
 *  - 02-client ClientStates: FilteredPaginate over "clients", a hit being a
 *    key whose last segment is "clientState"; IdentifiedClientState{
 *    client_id = 1, client_state = 2 (the stored Any)}, each page sorted by
 *    client id as ibc-go sorts it; {client_states = 1, pagination = 2}.
 *  - 03-connection Connections: Paginate over "connections";
 *    IdentifiedConnection{id = 1, then the stored ConnectionEnd's fields
 *    1..5 as 2..6}; {connections = 1, pagination = 2, height = 3}.
 *  - 04-channel Channels: Paginate over "channelEnds"; IdentifiedChannel{
 *    the stored Channel's fields 1..5, port_id = 6, channel_id = 7,
 *    upgrade_sequence = 8 (the Channel's 6)}; {channels = 1, pagination =
 *    2, height = 3}.
 *
 * Stored messages are re-tagged, not decoded and re-encoded, so what the
 * store holds is what the response carries. A key or value under these
 * prefixes that is not what ibc-go writes there is an internal failure
 * (err), as an Unmarshal or Parse*Path failure fails ibc-go's handler. */
#include "chains/devnet/app_query_ibc_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/protobuf.h"
#include "ibc/codec/base.h"
#include "ibc/core/paths.h"

#define DEFAULT_PAGE_LIMIT 100u	/* the SDK's query.DefaultLimit */

static const char oom[] = "out of memory";
static const char too_many[] = "more keys than one query scans";

/* ---- scanning a prefix ---- */

static bool scan_visit(void *ctx, struct px_slice key, struct px_slice value)
{
	struct app_qscan *s = ctx;
	struct app_qent e;

	if (!px_slice_has_prefix(key, s->prefix))
		return false;
	memset(&e, 0, sizeof(e));
	e.key.ptr = key.ptr + s->prefix.len;
	e.key.len = key.len - s->prefix.len;
	e.val = value;
	s->bad = s->classify(&e);
	if (s->bad)
		return false;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct app_qent *p;

		if (s->n >= DEVNET_QUERY_MAX_SCAN) {
			s->bad = too_many;
			return false;
		}
		p = realloc(s->v, cap * sizeof(*p));
		if (!p) {
			s->bad = oom;
			return false;
		}
		s->v = p;
		s->cap = cap;
	}
	s->v[s->n++] = e;
	return true;
}

bool app_qi_scan(struct app_qctx *x, struct app_qscan *s, const char *prefix, size_t plen,
		 app_qi_classify_fn classify)
{
	s->prefix.ptr = (const uint8_t *)prefix;
	s->prefix.len = plen;
	s->classify = classify;
	if (!devnet_iavl_iterate(x->err, x->a->stores[APP_ST_IBC], x->version, s->prefix.ptr,
				 s->prefix.len, scan_visit, s))
		return false;
	if (s->bad == oom)
		return px_err_set(x->err, PX_E_NOMEM, "listing %.*s: out of memory", (int)plen, prefix);
	if (s->bad == too_many)
		return px_err_set(x->err, PX_E_TOO_LARGE, "listing %.*s: %s", (int)plen, prefix,
				  too_many);
	if (s->bad)
		return px_err_set(x->err, PX_E_MALFORMED, "stored key under %.*s: %s", (int)plen,
				  prefix, s->bad);
	return true;
}

void app_qi_scan_free(struct app_qscan *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

/* ---- pagination ---- */

/* With a key: `limit` hits from the first key >= it (in reverse: from it
 * down), next_key the key after the last one visited; otherwise skip
 * `offset` hits, take `limit`, next_key the key of the hit after them,
 * and the total of hits when count_total or when no limit was given. */
bool app_qi_paginate(struct app_qctx *x, struct app_qpage_out *out, const struct app_qscan *s,
		     app_qi_emit_fn emit, void *ctx)
{
	const struct app_qpage *pg = &x->r.page;
	uint64_t limit = pg->limit, end, hits = 0;
	bool count_total = pg->count_total, keyed = pg->key.len > 0, rev = pg->reverse;
	const struct app_qent *next = NULL;
	size_t start = 0, visits = s->n, i0 = 0;

	memset(out, 0, sizeof(*out));
	if (pg->offset > 0 && pg->has_key) {
		x->q->code = DEVNET_CODE_INVALID_REQUEST;
		snprintf(x->q->log, sizeof(x->q->log), "invalid request, either offset or key is "
			 "expected, got both: invalid request");
		return true;
	}
	if (limit == 0) {
		limit = DEFAULT_PAGE_LIMIT;
		count_total = true;
	}
	end = pg->offset + limit < pg->offset ? UINT64_MAX : pg->offset + limit;
	if (keyed) {
		while (i0 < s->n && px_slice_cmp(s->v[i0].key, pg->key) < 0)
			i0++;
		start = i0;
		visits = s->n - i0;
		if (rev) {
			start = i0 < s->n ? i0 : s->n - 1;
			visits = s->n ? start + 1 : 0;
		}
	} else if (rev && s->n) {
		start = s->n - 1;
	}
	for (size_t j = 0; j < visits; j++) {
		const struct app_qent *e = &s->v[rev ? start - j : start + j];

		if (keyed) {
			if (hits == limit) {
				next = e;
				break;
			}
			if (e->hit) {
				if (!emit(x, ctx, e))
					return false;
				hits++;
			}
			continue;
		}
		if (e->hit) {
			if (hits >= pg->offset && hits < end && !emit(x, ctx, e))
				return false;
			hits++;
		}
		if (end != UINT64_MAX && hits == end + 1) {
			if (!next)
				next = e;
			if (!count_total)
				break;
		}
	}
	if (next)
		out->next_key = next->key;
	if (!keyed && count_total)
		out->total = hits;
	return true;
}

void app_qi_put_page(struct px_buf *b, uint32_t field, const struct app_qpage_out *p)
{
	struct px_buf page = PX_BUF_INIT;

	if (p->next_key.len)
		px_pb_put_bytes(&page, 1, p->next_key.ptr, p->next_key.len);
	if (p->total)
		px_pb_put_uint64(&page, 2, p->total);
	app_qi_put_sub(b, field, &page);
}

/* ---- keys and values ---- */

/* Segment i of a key split at '/' (as Go's strings.Split); false when the
 * key has fewer segments. */
static bool segment(struct px_slice *out, struct px_slice key, size_t i)
{
	size_t a = 0, k = 0;

	for (size_t b = 0; b <= key.len; b++) {
		if (b < key.len && key.ptr[b] != '/')
			continue;
		if (k == i) {
			out->ptr = key.ptr + a;
			out->len = b - a;
			return true;
		}
		k++;
		a = b + 1;
	}
	return false;
}

static size_t segments(struct px_slice key)
{
	size_t n = 1;

	for (size_t i = 0; i < key.len; i++)
		n += key.ptr[i] == '/';
	return n;
}

static bool slice_is(struct px_slice s, const char *want)
{
	return px_slice_eq(s, ibc_str(want));
}

/* Segment i of e->key as an identifier of kind into out; false with
 * x->err set when it is missing or invalid. */
static bool key_id(struct app_qctx *x, char out[IBC_ID_MAX + 1], const struct app_qent *e,
		   size_t i, enum ibc_id_kind kind, const char *what)
{
	struct px_err ie = { 0 };
	struct px_slice s;

	if (!segment(&s, e->key, i) || s.len > IBC_ID_MAX ||
	    !ibc_id_validate(&ie, kind, (const char *)s.ptr, s.len))
		return px_err_set(x->err, PX_E_MALFORMED, "stored %s key '%.*s': %s", what,
				  (int)(e->key.len > 200 ? 200 : e->key.len),
				  (const char *)e->key.ptr, ie.code ? ie.msg : "no identifier");
	memcpy(out, s.ptr, s.len);
	out[s.len] = 0;
	return true;
}

/* Copies the fields of a stored message into out, field f as f + shift,
 * up to field `last` (whose value goes to *held, a varint, when held is
 * not NULL); wire[f] is the wire type each field must have. */
static void copy_fields(struct px_cursor *c, struct px_buf *out, const uint8_t *wire, uint32_t last,
			uint32_t shift, uint64_t *held)
{
	while (px_cursor_more(c)) {
		struct px_slice b;
		uint32_t f, w;
		uint64_t v;

		px_pb_read_tag(c, &f, &w);
		if (!px_cursor_ok(c))
			return;
		if (f == 0 || f > last || w != wire[f]) {
			px_cursor_fail(c, "not a field of the stored message");
			return;
		}
		if (w == PX_WIRE_LEN) {
			px_pb_read_bytes(c, w, &b, IBC_MAX_MESSAGE);
			if (px_cursor_ok(c))
				px_pb_put_bytes(out, f + shift, b.ptr, b.len);
			continue;
		}
		v = px_pb_read_uint64(c, w);
		if (!px_cursor_ok(c))
			return;
		if (held && f == last) {
			*held = v;
			continue;
		}
		px_pb_put_tag(out, f + shift, PX_WIRE_VARINT);
		px_pb_put_varint(out, v);
	}
}

static bool stored_fail(struct app_qctx *x, const struct px_cursor *c, const char *what,
			const char *id)
{
	return px_err_set(x->err, PX_E_MALFORMED, "stored %s %s: %s at byte %zu", what, id,
			  px_cursor_error(c), px_cursor_offset(c));
}

/* ---- 02-client ClientStates ---- */

static const char *client_key(struct app_qent *e)
{
	size_t i = e->key.len;
	struct px_slice last;

	while (i > 0 && e->key.ptr[i - 1] != '/')
		i--;
	last.ptr = e->key.ptr + i;
	last.len = e->key.len - i;
	e->hit = slice_is(last, "clientState");
	return NULL;
}

struct client_page {
	struct client_ent {
		char id[IBC_ID_MAX + 1];
		struct px_slice any;
	} *v;			/* owned */
	size_t n, cap;
};

static bool emit_client(struct app_qctx *x, void *ctx, const struct app_qent *e)
{
	struct client_page *p = ctx;

	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 16;
		struct client_ent *nv = realloc(p->v, cap * sizeof(*nv));

		if (!nv)
			return px_err_set(x->err, PX_E_NOMEM, "ClientStates: out of memory");
		p->v = nv;
		p->cap = cap;
	}
	if (!key_id(x, p->v[p->n].id, e, 1, IBC_ID_CLIENT, "client state"))
		return false;
	p->v[p->n].any = e->val;
	p->n++;
	return true;
}

/* Go's string order: bytes, then length. */
static int client_cmp(const void *a, const void *b)
{
	return strcmp(((const struct client_ent *)a)->id, ((const struct client_ent *)b)->id);
}

bool app_qi_client_states(struct app_qctx *x)
{
	static const char prefix[] = "clients";
	struct app_qscan s = { 0 };
	struct client_page page = { 0 };
	struct app_qpage_out po;
	bool ok;

	ok = app_qi_scan(x, &s, prefix, sizeof(prefix) - 1, client_key) &&
	     app_qi_paginate(x, &po, &s, emit_client, &page);
	if (ok && !x->q->code) {
		if (page.n > 1)
			qsort(page.v, page.n, sizeof(page.v[0]), client_cmp);
		for (size_t i = 0; i < page.n; i++) {
			struct px_buf ic = PX_BUF_INIT;

			app_qi_put_str(&ic, 1, page.v[i].id);
			px_pb_put_bytes(&ic, 2, page.v[i].any.ptr, page.v[i].any.len);
			app_qi_put_sub(&x->q->value, 1, &ic);
		}
		app_qi_put_page(&x->q->value, 2, &po);
	}
	free(page.v);
	app_qi_scan_free(&s);
	return ok;
}

/* ---- 03-connection Connections and 04-channel Channels ---- */

static const char *every_key(struct app_qent *e)
{
	e->hit = true;
	return NULL;
}

/* "/connection-N", as ibc-go's ParseConnectionPath takes it. */
static bool emit_connection(struct app_qctx *x, void *ctx, const struct app_qent *e)
{
	/* ConnectionEnd: client_id, versions, state, counterparty,
	 * delay_period */
	static const uint8_t wire[] = { 0, PX_WIRE_LEN, PX_WIRE_LEN, PX_WIRE_VARINT, PX_WIRE_LEN,
					PX_WIRE_VARINT };
	struct px_cursor c = px_cursor_init(e->val.ptr, e->val.len);
	struct px_buf ic = PX_BUF_INIT;
	char id[IBC_ID_MAX + 1];

	(void)ctx;
	if (segments(e->key) != 2)
		return px_err_set(x->err, PX_E_MALFORMED, "stored connection key '%.*s' is not "
				  "/ID", (int)(e->key.len > 200 ? 200 : e->key.len),
				  (const char *)e->key.ptr);
	if (!key_id(x, id, e, 1, IBC_ID_CONNECTION, "connection"))
		return false;
	app_qi_put_str(&ic, 1, id);
	copy_fields(&c, &ic, wire, 5, 1, NULL);
	if (!px_cursor_ok(&c)) {
		px_buf_free(&ic);
		return stored_fail(x, &c, "connection", id);
	}
	app_qi_put_sub(&x->q->value, 1, &ic);
	return true;
}

bool app_qi_connections(struct app_qctx *x)
{
	static const char prefix[] = "connections";
	struct app_qscan s = { 0 };
	struct app_qpage_out po;
	bool ok;

	ok = app_qi_scan(x, &s, prefix, sizeof(prefix) - 1, every_key) &&
	     app_qi_paginate(x, &po, &s, emit_connection, NULL);
	if (ok && !x->q->code) {
		app_qi_put_page(&x->q->value, 2, &po);
		app_qi_put_height(&x->q->value, 3, x->self);
	}
	app_qi_scan_free(&s);
	return ok;
}

/* "/ports/PORT/channels/CHANNEL", as ibc-go's ParseChannelPath takes it. */
static bool emit_channel(struct app_qctx *x, void *ctx, const struct app_qent *e)
{
	/* Channel: state, ordering, counterparty, connection_hops, version,
	 * upgrade_sequence */
	static const uint8_t wire[] = { 0, PX_WIRE_VARINT, PX_WIRE_VARINT, PX_WIRE_LEN, PX_WIRE_LEN,
					PX_WIRE_LEN, PX_WIRE_VARINT };
	struct px_cursor c = px_cursor_init(e->val.ptr, e->val.len);
	struct px_buf ic = PX_BUF_INIT;
	struct px_slice s1, s3;
	char port[IBC_ID_MAX + 1], chan[IBC_ID_MAX + 1], both[2 * IBC_ID_MAX + 2];
	uint64_t upgrade = 0;

	(void)ctx;
	if (segments(e->key) != 5 || !segment(&s1, e->key, 1) || !segment(&s3, e->key, 3) ||
	    !slice_is(s1, "ports") || !slice_is(s3, "channels"))
		return px_err_set(x->err, PX_E_MALFORMED, "stored channel key '%.*s' is not "
				  "/ports/PORT/channels/CHANNEL",
				  (int)(e->key.len > 200 ? 200 : e->key.len), (const char *)e->key.ptr);
	if (!key_id(x, port, e, 2, IBC_ID_PORT, "channel") ||
	    !key_id(x, chan, e, 4, IBC_ID_CHANNEL, "channel"))
		return false;
	copy_fields(&c, &ic, wire, 6, 0, &upgrade);
	if (!px_cursor_ok(&c)) {
		px_buf_free(&ic);
		snprintf(both, sizeof(both), "%s/%s", port, chan);
		return stored_fail(x, &c, "channel", both);
	}
	app_qi_put_str(&ic, 6, port);
	app_qi_put_str(&ic, 7, chan);
	if (upgrade)
		px_pb_put_uint64(&ic, 8, upgrade);
	app_qi_put_sub(&x->q->value, 1, &ic);
	return true;
}

bool app_qi_channels(struct app_qctx *x)
{
	static const char prefix[] = "channelEnds";
	struct app_qscan s = { 0 };
	struct app_qpage_out po;
	bool ok;

	ok = app_qi_scan(x, &s, prefix, sizeof(prefix) - 1, every_key) &&
	     app_qi_paginate(x, &po, &s, emit_channel, NULL);
	if (ok && !x->q->code) {
		app_qi_put_page(&x->q->value, 2, &po);
		app_qi_put_height(&x->q->value, 3, x->self);
	}
	app_qi_scan_free(&s);
	return ok;
}
