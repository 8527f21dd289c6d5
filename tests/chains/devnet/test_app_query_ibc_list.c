/* Unit tests of chains/devnet/app_query_ibc_list: ibc-go v8's ClientStates,
 * Connections and Channels list queries over gRPC-over-ABCI. Clients,
 * connections and channels are written straight into the `ibc` store of
 * an in-memory multistore over three versions; every listed entry is
 * decoded field by field against what was stored, pages are walked by key
 * and by offset, forwards and in reverse (ClientStates' FilteredPaginate
 * counts only client states, and sorts each page by client id), and
 * malformed requests and stored keys are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "chains/devnet/app.h"
#include "chains/devnet/store_multi.h"
#include "common/protobuf.h"
#include "ibc/codec/channel.h"
#include "ibc/codec/connection.h"
#include "ibc/codec/msg.h"
#include "ibc/core/paths.h"

#define CHAIN "devnet-7"	/* revision 7 */
#define REV 7u
#define CLQ "/ibc.core.client.v1.Query/ClientStates"
#define COQ "/ibc.core.connection.v1.Query/Connections"
#define CHQ "/ibc.core.channel.v1.Query/Channels"
#define SOLO_URL "/ibc.lightclients.solomachine.v3.ClientState"

#define CODE_TX_DECODE 2
#define CODE_INVALID_REQUEST 18

static struct devnet_multi *multi;
static struct devnet_app *app;
static struct devnet_iavl *ibc;

/* Stored values: four client states, two connections, three channels. */
static struct px_buf cs_tm0, cs_tm1, cs_tm1a, cs_solo, cons, conn0, conn1, ch_t0, ch_t1, ch_o2;

/* ---- the store ---- */

static void put(const struct ibc_path *p, const struct px_buf *v)
{
	struct px_err err = { 0 };

	assert_true(devnet_iavl_set(&err, ibc, (const uint8_t *)p->s, p->len, v->data, v->len));
}

static void put_raw(const char *key, const void *v, size_t n)
{
	struct px_err err = { 0 };

	assert_true(devnet_iavl_set(&err, ibc, (const uint8_t *)key, strlen(key), v, n));
}

static void commit(void)
{
	struct px_err err = { 0 };
	uint8_t h[DEVNET_HASH_LEN];
	int64_t v;

	assert_true(devnet_multi_commit(&err, h, &v, multi));
}

static void tm_client(struct px_buf *out, const char *chain, uint64_t rev, uint64_t height)
{
	struct px_err err = { 0 };
	struct ibc_msg cs;

	memset(&cs, 0, sizeof(cs));
	cs.kind = IBC_MSG_TM_CLIENT_STATE;
	snprintf(cs.u.tm_client_state.chain_id, sizeof(cs.u.tm_client_state.chain_id), "%s", chain);
	cs.u.tm_client_state.trust_level = (struct ibc_fraction){ 1, 3 };
	cs.u.tm_client_state.trusting_period = 1000000000000ull;
	cs.u.tm_client_state.unbonding_period = 2000000000000ull;
	cs.u.tm_client_state.max_clock_drift = 10000000000ull;
	cs.u.tm_client_state.latest_height = (struct ibc_height){ rev, height };
	assert_true(ibc_msg_encode_any(&err, out, &cs));
}

static void connection(struct px_buf *out, const char *client, enum ibc_connection_state st,
		       const char *cp_client, const char *cp_conn, uint64_t delay)
{
	struct px_err err = { 0 };
	struct ibc_connection_end c;

	memset(&c, 0, sizeof(c));
	snprintf(c.client_id, sizeof(c.client_id), "%s", client);
	snprintf(c.versions[0].identifier, sizeof(c.versions[0].identifier), "1");
	snprintf(c.versions[0].features[0], sizeof(c.versions[0].features[0]), "ORDER_ORDERED");
	snprintf(c.versions[0].features[1], sizeof(c.versions[0].features[1]), "ORDER_UNORDERED");
	c.versions[0].features_len = 2;
	c.versions_len = 1;
	c.state = st;
	snprintf(c.counterparty.client_id, sizeof(c.counterparty.client_id), "%s", cp_client);
	snprintf(c.counterparty.connection_id, sizeof(c.counterparty.connection_id), "%s", cp_conn);
	c.counterparty.prefix = (struct px_slice){ (const uint8_t *)"ibc", 3 };
	c.delay_period = delay;
	assert_true(ibc_connection_end_encode(&err, out, &c));
}

static void channel(struct px_buf *out, enum ibc_channel_state st, enum ibc_order ord,
		    const char *cp_port, const char *cp_chan, const char *conn, const char *version,
		    uint64_t upgrade)
{
	struct px_err err = { 0 };
	struct ibc_channel ch;

	memset(&ch, 0, sizeof(ch));
	ch.state = st;
	ch.ordering = ord;
	snprintf(ch.counterparty.port_id, sizeof(ch.counterparty.port_id), "%s", cp_port);
	snprintf(ch.counterparty.channel_id, sizeof(ch.counterparty.channel_id), "%s", cp_chan);
	snprintf(ch.connection_hops[0], sizeof(ch.connection_hops[0]), "%s", conn);
	ch.connection_hops_len = 1;
	snprintf(ch.version, sizeof(ch.version), "%s", version);
	ch.upgrade_sequence = upgrade;
	assert_true(ibc_channel_encode(&err, out, &ch));
}

/* v1: the clients (and a consensus state and client connections, which
 * ClientStates skips); v2: two connections, three channels; v3: a marker
 * only. The store's key order differs from the client ids' order:
 * "07-tendermint-1-a/" sorts before "07-tendermint-1/". */
static int setup(void **state)
{
	struct px_err err = { 0 };
	struct devnet_multi_opts opts = { .keep_versions = 5 };
	struct ibc_path p;
	static const uint8_t solo_value[] = { 0x08, 0x05 };

	(void)state;
	assert_true(devnet_multi_open(&err, &multi, NULL, &opts));
	assert_true(devnet_app_open(&err, &app, multi, CHAIN, "cosmos"));
	ibc = devnet_multi_store(multi, "ibc");
	assert_non_null(ibc);

	tm_client(&cs_tm0, "other-3", 3, 42);
	tm_client(&cs_tm1, "third-1", 1, 7);
	tm_client(&cs_tm1a, "fourth", 0, 9);
	px_pb_put_bytes(&cs_solo, 1, (const uint8_t *)SOLO_URL, strlen(SOLO_URL));
	px_pb_put_bytes(&cs_solo, 2, solo_value, sizeof(solo_value));
	px_pb_put_bytes(&cons, 1, (const uint8_t *)"x", 1);
	connection(&conn0, "07-tendermint-0", IBC_CONN_OPEN, "07-tendermint-5", "connection-3", 0);
	connection(&conn1, "07-tendermint-1", IBC_CONN_INIT, "07-tendermint-8", "", 5000000000ull);
	channel(&ch_t0, IBC_CHAN_OPEN, IBC_ORDER_UNORDERED, "transfer", "channel-9", "connection-0",
		"ics20-1", 0);
	channel(&ch_t1, IBC_CHAN_INIT, IBC_ORDER_UNORDERED, "transfer", "", "connection-1",
		"ics20-1", 0);
	channel(&ch_o2, IBC_CHAN_TRYOPEN, IBC_ORDER_ORDERED, "other", "channel-4", "connection-0",
		"v2", 3);

	assert_true(ibc_path_client_state(&err, &p, "07-tendermint-0"));
	put(&p, &cs_tm0);
	assert_true(ibc_path_consensus_state(&err, &p, "07-tendermint-0", (struct ibc_height){ 3, 42 }));
	put(&p, &cons);
	assert_true(ibc_path_client_connections(&err, &p, "07-tendermint-0"));
	put(&p, &cons);
	assert_true(ibc_path_client_state(&err, &p, "07-tendermint-1"));
	put(&p, &cs_tm1);
	assert_true(ibc_path_client_state(&err, &p, "07-tendermint-1-a"));
	put(&p, &cs_tm1a);
	assert_true(ibc_path_client_state(&err, &p, "06-solomachine-2"));
	put(&p, &cs_solo);
	commit();
	assert_true(ibc_path_connection(&err, &p, "connection-0"));
	put(&p, &conn0);
	assert_true(ibc_path_connection(&err, &p, "connection-1"));
	put(&p, &conn1);
	assert_true(ibc_path_channel(&err, &p, "transfer", "channel-0"));
	put(&p, &ch_t0);
	assert_true(ibc_path_channel(&err, &p, "transfer", "channel-1"));
	put(&p, &ch_t1);
	assert_true(ibc_path_channel(&err, &p, "other", "channel-2"));
	put(&p, &ch_o2);
	commit();
	put_raw("zz-marker", "3", 1);
	commit();
	assert_int_equal(devnet_multi_version(multi), 3);
	return 0;
}

static int teardown(void **state)
{
	struct px_buf *bufs[] = { &cs_tm0, &cs_tm1, &cs_tm1a, &cs_solo, &cons, &conn0, &conn1,
				  &ch_t0, &ch_t1, &ch_o2 };

	(void)state;
	devnet_app_close(app);
	devnet_multi_close(multi);
	for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
		px_buf_free(bufs[i]);
	return 0;
}

/* ---- requests and responses ---- */

/* QueryXRequest{pagination = 1 {key = 1, offset = 2, limit = 3,
 * count_total = 4, reverse = 5}}; nothing when all are unset. */
static void page_req(struct px_buf *b, const char *key, uint64_t offset, uint64_t limit,
		     bool count_total, bool reverse)
{
	struct px_buf p = PX_BUF_INIT;

	px_buf_reset(b);
	if (key)
		px_pb_put_bytes(&p, 1, (const uint8_t *)key, strlen(key));
	if (offset)
		px_pb_put_uint64(&p, 2, offset);
	if (limit)
		px_pb_put_uint64(&p, 3, limit);
	if (count_total)
		px_pb_put_bool(&p, 4, true);
	if (reverse)
		px_pb_put_bool(&p, 5, true);
	if (p.len || key)
		px_pb_put_bytes(b, 1, p.data, p.len);
	px_buf_free(&p);
}

static void run(struct devnet_app_query *q, const char *path, const struct px_buf *req,
		int64_t version)
{
	struct px_err err = { 0 };

	assert_true(devnet_app_query(&err, app, q, path, req && req->len ? req->data : NULL,
				     req ? req->len : 0, version, NULL));
	assert_true(q->handled);
	if (q->code)
		fail_msg("%s: refused with code %u: %s", path, q->code, q->log);
}

struct fld {
	uint32_t f, w;
	uint64_t v;
	struct px_slice b;
};

#define MAXF 32

/* Every field of a message, in order; the message must decode whole. */
static size_t fields(struct fld *out, const uint8_t *buf, size_t len)
{
	struct px_cursor c = px_cursor_init(buf, len);
	size_t n = 0;

	while (px_cursor_more(&c)) {
		assert_true(n < MAXF);
		px_pb_read_tag(&c, &out[n].f, &out[n].w);
		memset(&out[n].b, 0, sizeof(out[n].b));
		out[n].v = 0;
		if (out[n].w == PX_WIRE_VARINT)
			out[n].v = px_pb_read_uint64(&c, out[n].w);
		else if (out[n].w == PX_WIRE_LEN)
			px_pb_read_bytes(&c, out[n].w, &out[n].b, len);
		else
			fail_msg("wire type %u", out[n].w);
		n++;
	}
	assert_true(px_cursor_ok(&c));
	return n;
}

static void is_bytes(const struct fld *f, uint32_t field, const void *want, size_t n)
{
	assert_int_equal(f->f, field);
	assert_int_equal(f->w, PX_WIRE_LEN);
	assert_int_equal(f->b.len, n);
	assert_memory_equal(f->b.ptr, want, n);
}

static void is_str(const struct fld *f, uint32_t field, const char *want)
{
	is_bytes(f, field, want, strlen(want));
}

static void is_varint(const struct fld *f, uint32_t field, uint64_t want)
{
	assert_int_equal(f->f, field);
	assert_int_equal(f->w, PX_WIRE_VARINT);
	assert_int_equal(f->v, want);
}

/* Height{revision_number = 1, revision_height = 2}. */
static void is_height(const struct fld *f, uint32_t field, uint64_t rev, uint64_t h)
{
	struct fld s[MAXF];

	assert_int_equal(f->f, field);
	assert_int_equal(fields(s, f->b.ptr, f->b.len), 2);
	is_varint(&s[0], 1, rev);
	is_varint(&s[1], 2, h);
}

/* PageResponse{next_key = 1, total = 2}; next NULL: none, total 0: none. */
static void is_page(const struct fld *f, uint32_t field, const char *next, uint64_t total)
{
	struct fld s[MAXF];
	size_t n, i = 0;

	assert_int_equal(f->f, field);
	n = fields(s, f->b.ptr, f->b.len);
	assert_int_equal(n, (next != NULL) + (total != 0));
	if (next)
		is_str(&s[i++], 1, next);
	if (total)
		is_varint(&s[i], 2, total);
}

/* A list response: its entries (field 1) into ents, the rest checked. */
struct listing {
	struct fld f[MAXF];
	size_t n;		/* entries: f[0..n) */
	const struct fld *page, *height;
};

static void list(struct devnet_app_query *q, struct listing *l, const char *path,
		 const struct px_buf *req, int64_t version, bool has_height)
{
	size_t n;

	run(q, path, req, version);
	n = fields(l->f, q->value.data, q->value.len);
	l->n = 0;
	while (l->n < n && l->f[l->n].f == 1)
		l->n++;
	assert_int_equal(n, l->n + 1 + has_height);
	l->page = &l->f[l->n];
	l->height = has_height ? &l->f[l->n + 1] : NULL;
	if (has_height)
		is_height(l->height, 3, REV, (uint64_t)q->height);
}

/* ---- 02-client ---- */

static void is_client(const struct fld *e, const char *id, const struct px_buf *any)
{
	struct fld s[MAXF];

	assert_int_equal(e->f, 1);
	assert_int_equal(fields(s, e->b.ptr, e->b.len), 2);
	is_str(&s[0], 1, id);
	is_bytes(&s[1], 2, any->data, any->len);
}

static void test_client_states(void **state)
{
	struct px_buf req = PX_BUF_INIT;
	struct devnet_app_query q;
	struct listing l;

	(void)state;
	/* everything, sorted by id; no limit: the total is counted */
	list(&q, &l, CLQ, NULL, 0, false);
	assert_int_equal(l.n, 4);
	is_client(&l.f[0], "06-solomachine-2", &cs_solo);
	is_client(&l.f[1], "07-tendermint-0", &cs_tm0);
	is_client(&l.f[2], "07-tendermint-1", &cs_tm1);
	is_client(&l.f[3], "07-tendermint-1-a", &cs_tm1a);
	is_page(l.page, 2, NULL, 4);
	assert_int_equal(q.height, 3);
	devnet_app_query_free(&q);

	/* offset 1, limit 2: the second and third client states in store
	 * order, then sorted; next_key is the fourth's key */
	page_req(&req, NULL, 1, 2, true, false);
	list(&q, &l, CLQ, &req, 0, false);
	assert_int_equal(l.n, 2);
	is_client(&l.f[0], "07-tendermint-0", &cs_tm0);
	is_client(&l.f[1], "07-tendermint-1-a", &cs_tm1a);
	is_page(l.page, 2, "/07-tendermint-1/clientState", 4);
	devnet_app_query_free(&q);

	/* reverse, limit 2: the last two, next_key the one before */
	page_req(&req, NULL, 0, 2, false, true);
	list(&q, &l, CLQ, &req, 0, false);
	assert_int_equal(l.n, 2);
	is_client(&l.f[0], "07-tendermint-1", &cs_tm1);
	is_client(&l.f[1], "07-tendermint-1-a", &cs_tm1a);
	is_page(l.page, 2, "/07-tendermint-0/clientState", 0);
	devnet_app_query_free(&q);
	px_buf_free(&req);
}

/* Walking by next_key: with a key, next_key is the store key after the
 * last client state taken, which need not be a client state. */
static void test_client_states_by_key(void **state)
{
	static const struct {
		const char *key, *id, *next;
	} walk[] = {
		{ NULL, "06-solomachine-2", "/07-tendermint-0/clientState" },
		{ "/07-tendermint-0/clientState", "07-tendermint-0", "/07-tendermint-0/connections" },
		{ "/07-tendermint-0/connections", "07-tendermint-1-a", "/07-tendermint-1/clientState" },
		{ "/07-tendermint-1/clientState", "07-tendermint-1", NULL },
	};
	const struct px_buf *any[] = { &cs_solo, &cs_tm0, &cs_tm1a, &cs_tm1 };
	struct px_buf req = PX_BUF_INIT;
	struct devnet_app_query q;
	struct listing l;

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		page_req(&req, walk[i].key, 0, 1, false, false);
		list(&q, &l, CLQ, &req, 0, false);
		assert_int_equal(l.n, 1);
		is_client(&l.f[0], walk[i].id, any[i]);
		is_page(l.page, 2, walk[i].next, 0);
		devnet_app_query_free(&q);
	}
	/* reverse from a key: that key and down */
	page_req(&req, "/07-tendermint-0/connections", 0, 2, false, true);
	list(&q, &l, CLQ, &req, 0, false);
	assert_int_equal(l.n, 2);
	is_client(&l.f[0], "06-solomachine-2", &cs_solo);
	is_client(&l.f[1], "07-tendermint-0", &cs_tm0);
	is_page(l.page, 2, NULL, 0);
	devnet_app_query_free(&q);
	/* a key past the end: nothing */
	page_req(&req, "/zz", 0, 5, false, false);
	list(&q, &l, CLQ, &req, 0, false);
	assert_int_equal(l.n, 0);
	is_page(l.page, 2, NULL, 0);
	devnet_app_query_free(&q);
	px_buf_free(&req);
}

/* ---- 03-connection ---- */

/* IdentifiedConnection{id 1, client_id 2, versions 3, state 4,
 * counterparty 5, delay_period 6}, each decoded. */
static void is_connection(const struct fld *e, const char *id, const char *client,
			  enum ibc_connection_state st, const char *cp_client, const char *cp_conn,
			  uint64_t delay)
{
	struct px_err err = { 0 };
	struct ibc_version v;
	struct ibc_connection_counterparty cp;
	struct fld s[MAXF];
	size_t n;

	assert_int_equal(e->f, 1);
	n = fields(s, e->b.ptr, e->b.len);
	assert_int_equal(n, 5 + (delay != 0));
	is_str(&s[0], 1, id);
	is_str(&s[1], 2, client);
	assert_int_equal(s[2].f, 3);
	assert_true(ibc_version_decode(&err, &v, s[2].b.ptr, s[2].b.len));
	assert_string_equal(v.identifier, "1");
	assert_int_equal(v.features_len, 2);
	assert_string_equal(v.features[0], "ORDER_ORDERED");
	assert_string_equal(v.features[1], "ORDER_UNORDERED");
	is_varint(&s[3], 4, st);
	assert_int_equal(s[4].f, 5);
	assert_true(ibc_connection_counterparty_decode(&err, &cp, s[4].b.ptr, s[4].b.len));
	assert_string_equal(cp.client_id, cp_client);
	assert_string_equal(cp.connection_id, cp_conn);
	assert_int_equal(cp.prefix.len, 3);
	assert_memory_equal(cp.prefix.ptr, "ibc", 3);
	if (delay)
		is_varint(&s[5], 6, delay);
}

static void test_connections(void **state)
{
	struct px_buf req = PX_BUF_INIT;
	struct devnet_app_query q;
	struct listing l;

	(void)state;
	list(&q, &l, COQ, NULL, 0, true);
	assert_int_equal(l.n, 2);
	is_connection(&l.f[0], "connection-0", "07-tendermint-0", IBC_CONN_OPEN, "07-tendermint-5",
		      "connection-3", 0);
	is_connection(&l.f[1], "connection-1", "07-tendermint-1", IBC_CONN_INIT, "07-tendermint-8",
		      "", 5000000000ull);
	is_page(l.page, 2, NULL, 2);
	devnet_app_query_free(&q);

	page_req(&req, NULL, 0, 1, false, false);
	list(&q, &l, COQ, &req, 0, true);
	assert_int_equal(l.n, 1);
	is_connection(&l.f[0], "connection-0", "07-tendermint-0", IBC_CONN_OPEN, "07-tendermint-5",
		      "connection-3", 0);
	is_page(l.page, 2, "/connection-1", 0);
	devnet_app_query_free(&q);

	page_req(&req, "/connection-1", 0, 1, false, false);
	list(&q, &l, COQ, &req, 0, true);
	assert_int_equal(l.n, 1);
	is_connection(&l.f[0], "connection-1", "07-tendermint-1", IBC_CONN_INIT, "07-tendermint-8",
		      "", 5000000000ull);
	is_page(l.page, 2, NULL, 0);
	devnet_app_query_free(&q);

	/* before the connections were written: an empty list, its height */
	list(&q, &l, COQ, NULL, 1, true);
	assert_int_equal(l.n, 0);
	is_page(l.page, 2, NULL, 0);
	assert_int_equal(q.height, 1);
	devnet_app_query_free(&q);
	px_buf_free(&req);
}

/* ---- 04-channel ---- */

/* IdentifiedChannel{state 1, ordering 2, counterparty 3, connection_hops
 * 4, version 5, port_id 6, channel_id 7, upgrade_sequence 8}. */
static void is_channel(const struct fld *e, const char *port, const char *chan,
		       enum ibc_channel_state st, enum ibc_order ord, const char *cp_port,
		       const char *cp_chan, const char *conn, const char *version, uint64_t upgrade)
{
	struct px_err err = { 0 };
	struct ibc_channel_counterparty cp;
	struct fld s[MAXF];
	size_t n;

	assert_int_equal(e->f, 1);
	n = fields(s, e->b.ptr, e->b.len);
	assert_int_equal(n, 7 + (upgrade != 0));
	is_varint(&s[0], 1, st);
	is_varint(&s[1], 2, ord);
	assert_int_equal(s[2].f, 3);
	assert_true(ibc_channel_counterparty_decode(&err, &cp, s[2].b.ptr, s[2].b.len));
	assert_string_equal(cp.port_id, cp_port);
	assert_string_equal(cp.channel_id, cp_chan);
	is_str(&s[3], 4, conn);
	is_str(&s[4], 5, version);
	is_str(&s[5], 6, port);
	is_str(&s[6], 7, chan);
	if (upgrade)
		is_varint(&s[7], 8, upgrade);
}

static void is_ch_o2(const struct fld *e)
{
	is_channel(e, "other", "channel-2", IBC_CHAN_TRYOPEN, IBC_ORDER_ORDERED, "other",
		   "channel-4", "connection-0", "v2", 3);
}

static void is_ch_t0(const struct fld *e)
{
	is_channel(e, "transfer", "channel-0", IBC_CHAN_OPEN, IBC_ORDER_UNORDERED, "transfer",
		   "channel-9", "connection-0", "ics20-1", 0);
}

static void is_ch_t1(const struct fld *e)
{
	is_channel(e, "transfer", "channel-1", IBC_CHAN_INIT, IBC_ORDER_UNORDERED, "transfer", "",
		   "connection-1", "ics20-1", 0);
}

static void test_channels(void **state)
{
	struct px_buf req = PX_BUF_INIT;
	struct devnet_app_query q;
	struct listing l;

	(void)state;
	list(&q, &l, CHQ, NULL, 0, true);
	assert_int_equal(l.n, 3);
	is_ch_o2(&l.f[0]);
	is_ch_t0(&l.f[1]);
	is_ch_t1(&l.f[2]);
	is_page(l.page, 2, NULL, 3);
	devnet_app_query_free(&q);

	/* limit 1, offset 1, counted */
	page_req(&req, NULL, 1, 1, true, false);
	list(&q, &l, CHQ, &req, 2, true);
	assert_int_equal(l.n, 1);
	is_ch_t0(&l.f[0]);
	is_page(l.page, 2, "/ports/transfer/channels/channel-1", 3);
	assert_int_equal(q.height, 2);
	devnet_app_query_free(&q);

	/* following the key */
	page_req(&req, "/ports/transfer/channels/channel-1", 0, 1, false, false);
	list(&q, &l, CHQ, &req, 0, true);
	assert_int_equal(l.n, 1);
	is_ch_t1(&l.f[0]);
	is_page(l.page, 2, NULL, 0);
	devnet_app_query_free(&q);

	/* reverse */
	page_req(&req, NULL, 0, 2, false, true);
	list(&q, &l, CHQ, &req, 0, true);
	assert_int_equal(l.n, 2);
	is_ch_t1(&l.f[0]);
	is_ch_t0(&l.f[1]);
	is_page(l.page, 2, "/ports/other/channels/channel-2", 0);
	devnet_app_query_free(&q);

	/* an offset past the end */
	page_req(&req, NULL, 9, 0, false, false);
	list(&q, &l, CHQ, &req, 0, true);
	assert_int_equal(l.n, 0);
	is_page(l.page, 2, NULL, 3);
	devnet_app_query_free(&q);
	px_buf_free(&req);
}

/* ---- refusals ---- */

static void refused(const char *path, const struct px_buf *req, uint32_t code, const char *word)
{
	struct px_err err = { 0 };
	struct devnet_app_query q;

	assert_true(devnet_app_query(&err, app, &q, path, req->data, req->len, 0, NULL));
	assert_true(q.handled);
	if (q.code != code || !strstr(q.log, word))
		fail_msg("%s: code %u log '%s', want %u with '%s'", path, q.code, q.log, code, word);
	assert_int_equal(q.value.len, 0);
	devnet_app_query_free(&q);
}

static void test_malformed_requests(void **state)
{
	const char *paths[] = { CLQ, COQ, CHQ };
	struct px_buf req = PX_BUF_INIT;

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		/* offset and key together */
		page_req(&req, "/x", 1, 0, false, false);
		refused(paths[i], &req, CODE_INVALID_REQUEST, "either offset or key");
		/* pagination as a varint */
		px_buf_reset(&req);
		px_pb_put_uint64(&req, 1, 5);
		refused(paths[i], &req, CODE_TX_DECODE, "bad request");
		/* truncated: the page's length runs past the end */
		page_req(&req, NULL, 0, 7, false, false);
		req.len -= 1;
		refused(paths[i], &req, CODE_TX_DECODE, "bad request");
		/* limit with the wrong wire type inside the page */
		px_buf_reset(&req);
		px_pb_put_bytes(&req, 1, (const uint8_t *)"\x1a\x01x", 3);
		refused(paths[i], &req, CODE_TX_DECODE, "bad request");
	}
	/* unknown fields are skipped */
	px_buf_reset(&req);
	px_pb_put_uint64(&req, 9, 1);
	{
		struct devnet_app_query q;
		struct listing l;

		list(&q, &l, CHQ, &req, 0, true);
		assert_int_equal(l.n, 3);
		devnet_app_query_free(&q);
	}
	px_buf_free(&req);
}

/* Keys or values under the listed prefixes that ibc-go would not write
 * fail the query as an internal error (the last test: it changes the
 * store). */
static void test_bad_store(void **state)
{
	static const struct {
		const char *key, *value, *path, *word;
	} bad[] = {
		{ "connections/connection-5/x", "\x0a\x01x", COQ, "is not /ID" },
		{ "connections/c", "\x0a\x01x", COQ, "stored connection key" },
		{ "connections/connection-6", "\x38\x01", COQ, "stored connection connection-6" },
		{ "channelEnds/ports/transfer/chans/channel-3", "\x08\x01", CHQ, "is not /ports" },
		{ "channelEnds/ports/transfer/channels/channel-3", "\x10", CHQ, "stored channel" },
		{ "clients/x/clientState", "\x0a\x01x", CLQ, "stored client state key" },
	};
	struct px_buf req = PX_BUF_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct px_err err = { 0 };
		struct devnet_app_query q;
		bool found;

		put_raw(bad[i].key, bad[i].value, strlen(bad[i].value));
		commit();
		assert_false(devnet_app_query(&err, app, &q, bad[i].path, NULL, 0, 0, NULL));
		if (!strstr(err.msg, bad[i].word))
			fail_msg("%s: '%s' lacks '%s'", bad[i].key, err.msg, bad[i].word);
		assert_int_equal(err.code, PX_E_MALFORMED);
		devnet_app_query_free(&q);
		assert_true(devnet_iavl_delete(&err, ibc, &found, (const uint8_t *)bad[i].key,
					       strlen(bad[i].key)));
		assert_true(found);
		commit();
	}
	px_buf_free(&req);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_states),
		cmocka_unit_test(test_client_states_by_key),
		cmocka_unit_test(test_connections),
		cmocka_unit_test(test_channels),
		cmocka_unit_test(test_malformed_requests),
		cmocka_unit_test(test_bad_store),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
