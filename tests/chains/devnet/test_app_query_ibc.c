/* Unit tests of chains/devnet/app_query_ibc: the IBC (ibc-go v8 client,
 * connection, channel) and x/staking Params gRPC-over-ABCI queries. IBC
 * values are written straight into the `ibc` store of an in-memory
 * multistore at their ICS-24 keys over four versions (the oldest pruned),
 * then every query's response is decoded field by field; refusals are
 * checked for their SDK code: unknown client, connection, channel and
 * packet, invalid identifiers and sequences, malformed and truncated
 * requests, heights that are not retained. */
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
#include "ibc/codec/msg.h"
#include "ibc/core/paths.h"

#define CHAIN "devnet-7"	/* revision 7 */
#define REV 7u
#define CLIENT "07-tendermint-0"
#define CHQ "/ibc.core.channel.v1.Query/"

#define CODE_TX_DECODE 2
#define CODE_INVALID_REQUEST 18
#define CODE_KEY_NOT_FOUND 22
#define CODE_NOT_FOUND 38

static struct devnet_multi *multi;
static struct devnet_app *app;
static struct devnet_iavl *ibc;
static struct px_buf client_any, cons40, cons42, conn_bytes, chan0_bytes, chan1_bytes, paths_bytes;

/* ---- writing the store ---- */

static void put(const struct ibc_path *p, const void *v, size_t n)
{
	struct px_err err = { 0 };

	assert_true(devnet_iavl_set(&err, ibc, (const uint8_t *)p->s, p->len, v, n));
}

static void commit(void)
{
	struct px_err err = { 0 };
	uint8_t h[DEVNET_HASH_LEN];
	int64_t v;

	assert_true(devnet_multi_commit(&err, h, &v, multi));
}

static void put_commitment(const char *port, const char *chan, uint64_t seq)
{
	struct px_err err = { 0 };
	struct ibc_path p;
	uint8_t v[32];

	memset(v, (int)(0xc0 + seq), sizeof(v));
	assert_true(ibc_path_packet_commitment(&err, &p, port, chan, seq));
	put(&p, v, sizeof(v));
}

static void put_receipt(const char *port, const char *chan, uint64_t seq)
{
	struct px_err err = { 0 };
	struct ibc_path p;
	uint8_t one = 1;

	assert_true(ibc_path_packet_receipt(&err, &p, port, chan, seq));
	put(&p, &one, 1);
}

static void put_ack(const char *port, const char *chan, uint64_t seq)
{
	struct px_err err = { 0 };
	struct ibc_path p;
	uint8_t v[32];

	memset(v, (int)(0xa0 + seq), sizeof(v));
	assert_true(ibc_path_packet_ack(&err, &p, port, chan, seq));
	put(&p, v, sizeof(v));
}

static void dummy(uint8_t n)
{
	struct ibc_path p = { "zz-test-marker", 14 };

	put(&p, &n, 1);
}

static void encode_states(void)
{
	struct px_err err = { 0 };
	struct ibc_msg cs, cons;
	struct ibc_connection_end conn;
	struct ibc_channel ch;

	memset(&cs, 0, sizeof(cs));
	cs.kind = IBC_MSG_TM_CLIENT_STATE;
	snprintf(cs.u.tm_client_state.chain_id, sizeof(cs.u.tm_client_state.chain_id), "other-3");
	cs.u.tm_client_state.trust_level = (struct ibc_fraction){ 1, 3 };
	cs.u.tm_client_state.trusting_period = 1000000000000ull;
	cs.u.tm_client_state.unbonding_period = 2000000000000ull;
	cs.u.tm_client_state.max_clock_drift = 10000000000ull;
	cs.u.tm_client_state.latest_height = (struct ibc_height){ 3, 42 };
	assert_true(ibc_msg_encode_any(&err, &client_any, &cs));
	memset(&cons, 0, sizeof(cons));
	cons.kind = IBC_MSG_TM_CONSENSUS_STATE;
	cons.u.tm_consensus_state.timestamp.seconds = 1704067200;
	cons.u.tm_consensus_state.root_len = 32;
	memset(cons.u.tm_consensus_state.root, 0x40, 32);
	memset(cons.u.tm_consensus_state.next_validators_hash, 0xcd, 32);
	assert_true(ibc_msg_encode_any(&err, &cons40, &cons));
	memset(cons.u.tm_consensus_state.root, 0x42, 32);
	cons.u.tm_consensus_state.timestamp.seconds += 10;
	assert_true(ibc_msg_encode_any(&err, &cons42, &cons));

	memset(&conn, 0, sizeof(conn));
	snprintf(conn.client_id, sizeof(conn.client_id), CLIENT);
	snprintf(conn.versions[0].identifier, sizeof(conn.versions[0].identifier), "1");
	snprintf(conn.versions[0].features[0], sizeof(conn.versions[0].features[0]), "ORDER_ORDERED");
	snprintf(conn.versions[0].features[1], sizeof(conn.versions[0].features[1]), "ORDER_UNORDERED");
	conn.versions[0].features_len = 2;
	conn.versions_len = 1;
	conn.state = IBC_CONN_OPEN;
	snprintf(conn.counterparty.client_id, sizeof(conn.counterparty.client_id), "07-tendermint-5");
	snprintf(conn.counterparty.connection_id, sizeof(conn.counterparty.connection_id),
		 "connection-3");
	conn.counterparty.prefix = (struct px_slice){ (const uint8_t *)"ibc", 3 };
	assert_true(ibc_connection_end_encode(&err, &conn_bytes, &conn));

	memset(&ch, 0, sizeof(ch));
	ch.state = IBC_CHAN_OPEN;
	ch.ordering = IBC_ORDER_UNORDERED;
	snprintf(ch.counterparty.port_id, sizeof(ch.counterparty.port_id), "transfer");
	snprintf(ch.counterparty.channel_id, sizeof(ch.counterparty.channel_id), "channel-9");
	snprintf(ch.connection_hops[0], sizeof(ch.connection_hops[0]), "connection-0");
	ch.connection_hops_len = 1;
	snprintf(ch.version, sizeof(ch.version), "ics20-1");
	assert_true(ibc_channel_encode(&err, &chan0_bytes, &ch));
	ch.ordering = IBC_ORDER_ORDERED;
	snprintf(ch.counterparty.port_id, sizeof(ch.counterparty.port_id), "ordport");
	assert_true(ibc_channel_encode(&err, &chan1_bytes, &ch));

	px_pb_put_bytes(&paths_bytes, 1, (const uint8_t *)"connection-0", 12);
	px_pb_put_bytes(&paths_bytes, 1, (const uint8_t *)"connection-1", 12);
}

/* v1: clients, connection, channels, packets (pruned later); v2: a marker;
 * v3: commitment 11 and receipt 2 on transfer/channel-0; v4: a marker.
 * Three versions are kept: 2, 3 and 4. */
static int setup(void **state)
{
	struct px_err err = { 0 };
	struct devnet_multi_opts opts = { .keep_versions = 3 };
	struct ibc_path p;
	uint8_t next[8] = { 0, 0, 0, 0, 0, 0, 0, 4 };

	(void)state;
	assert_true(devnet_multi_open(&err, &multi, NULL, &opts));
	assert_true(devnet_app_open(&err, &app, multi, CHAIN, "cosmos"));
	ibc = devnet_multi_store(multi, "ibc");
	assert_non_null(ibc);
	encode_states();

	assert_true(ibc_path_client_state(&err, &p, CLIENT));
	put(&p, client_any.data, client_any.len);
	assert_true(ibc_path_consensus_state(&err, &p, CLIENT, (struct ibc_height){ 3, 40 }));
	put(&p, cons40.data, cons40.len);
	assert_true(ibc_path_consensus_state(&err, &p, CLIENT, (struct ibc_height){ 3, 42 }));
	put(&p, cons42.data, cons42.len);
	assert_true(ibc_path_client_connections(&err, &p, CLIENT));
	put(&p, paths_bytes.data, paths_bytes.len);
	assert_true(ibc_path_connection(&err, &p, "connection-0"));
	put(&p, conn_bytes.data, conn_bytes.len);
	assert_true(ibc_path_channel(&err, &p, "transfer", "channel-0"));
	put(&p, chan0_bytes.data, chan0_bytes.len);
	assert_true(ibc_path_channel(&err, &p, "transfer", "channel-01"));
	put(&p, chan0_bytes.data, chan0_bytes.len);
	assert_true(ibc_path_channel(&err, &p, "ordport", "channel-1"));
	put(&p, chan1_bytes.data, chan1_bytes.len);
	assert_true(ibc_path_next_sequence_recv(&err, &p, "ordport", "channel-1"));
	put(&p, next, sizeof(next));
	/* an unordered channel's nextSequenceRecv is there but not used */
	assert_true(ibc_path_next_sequence_recv(&err, &p, "transfer", "channel-0"));
	put(&p, next, sizeof(next));
	put_commitment("transfer", "channel-0", 1);
	put_commitment("transfer", "channel-0", 2);
	put_commitment("transfer", "channel-0", 3);
	put_commitment("transfer", "channel-0", 10);
	/* a neighbour channel whose keys share the prefix "channel-0" */
	put_commitment("transfer", "channel-01", 4);
	put_ack("transfer", "channel-01", 4);
	put_receipt("transfer", "channel-0", 1);
	put_receipt("transfer", "channel-0", 3);
	put_ack("transfer", "channel-0", 2);
	put_ack("transfer", "channel-0", 5);
	commit();
	dummy(2);
	commit();
	put_commitment("transfer", "channel-0", 11);
	put_receipt("transfer", "channel-0", 2);
	commit();
	dummy(4);
	commit();
	assert_int_equal(devnet_multi_version(multi), 4);
	assert_int_equal(devnet_multi_oldest_version(multi), 2);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	devnet_app_close(app);
	devnet_multi_close(multi);
	px_buf_free(&client_any);
	px_buf_free(&cons40);
	px_buf_free(&cons42);
	px_buf_free(&conn_bytes);
	px_buf_free(&chan0_bytes);
	px_buf_free(&chan1_bytes);
	px_buf_free(&paths_bytes);
	return 0;
}

/* ---- requests and responses ---- */

static void str(struct px_buf *b, uint32_t f, const char *s)
{
	px_pb_put_bytes(b, f, (const uint8_t *)s, strlen(s));
}

/* {port_id = 1, channel_id = 2} and, when seq != 0, sequence = 3. */
static void port_chan(struct px_buf *b, const char *port, const char *chan, uint64_t seq)
{
	str(b, 1, port);
	str(b, 2, chan);
	if (seq)
		px_pb_put_uint64(b, 3, seq);
}

/* Runs a query; the caller frees q. */
static void run(struct devnet_app_query *q, const char *path, const struct px_buf *req,
		int64_t version)
{
	struct px_err err = { 0 };

	assert_true(devnet_app_query(&err, app, q, path, req && req->len ? req->data : NULL,
				     req ? req->len : 0, version, NULL));
	assert_true(q->handled);
}

/* A refused query: code and a word of its log. */
static void refused(const char *path, const struct px_buf *req, int64_t version, uint32_t code,
		    const char *word)
{
	struct devnet_app_query q;

	run(&q, path, req, version);
	if (q.code != code || !strstr(q.log, word))
		fail_msg("%s: code %u log '%s', want %u with '%s'", path, q.code, q.log, code, word);
	assert_int_equal(q.value.len, 0);
	devnet_app_query_free(&q);
}

struct fld {
	uint32_t f, w;
	uint64_t v;
	struct px_slice b;
};

#define MAXF 64

/* Every field of a message, in order; the message must decode whole. */
static size_t fields(struct fld *out, const uint8_t *buf, size_t len)
{
	struct px_cursor c = px_cursor_init(buf, len);
	size_t n = 0;

	while (px_cursor_more(&c)) {
		assert_true(n < MAXF);
		px_pb_read_tag(&c, &out[n].f, &out[n].w);
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

static void check_bytes(const struct fld *f, uint32_t field, const void *want, size_t n)
{
	assert_int_equal(f->f, field);
	assert_int_equal(f->w, PX_WIRE_LEN);
	assert_int_equal(f->b.len, n);
	assert_memory_equal(f->b.ptr, want, n);
}

static void check_height(const struct fld *f, uint32_t field, uint64_t rev, uint64_t h)
{
	struct fld s[MAXF];
	size_t n;

	assert_int_equal(f->f, field);
	n = fields(s, f->b.ptr, f->b.len);
	assert_int_equal(n, (rev != 0) + (h != 0));
	if (rev) {
		assert_int_equal(s[0].f, 1);
		assert_int_equal(s[0].v, rev);
	}
	if (h) {
		assert_int_equal(s[n - 1].f, 2);
		assert_int_equal(s[n - 1].v, h);
	}
}

/* A response of the shape {1: stored bytes, 3: proof height {7, h}}. */
static void check_stored(const char *path, const struct px_buf *req, int64_t version,
			 const void *want, size_t n, uint64_t h)
{
	struct devnet_app_query q;
	struct fld f[MAXF];

	run(&q, path, req, version);
	assert_int_equal(q.code, 0);
	assert_int_equal(q.height, (int64_t)h);
	assert_int_equal(fields(f, q.value.data, q.value.len), 2);
	check_bytes(&f[0], 1, want, n);
	check_height(&f[1], 3, REV, h);
	devnet_app_query_free(&q);
}

/* ---- 02-client and 03-connection ---- */

static void test_client_state(void **state)
{
	struct px_buf req = PX_BUF_INIT;

	(void)state;
	str(&req, 1, CLIENT);
	check_stored("/ibc.core.client.v1.Query/ClientState", &req, 0, client_any.data,
		     client_any.len, 4);
	check_stored("/ibc.core.client.v1.Query/ClientState", &req, 2, client_any.data,
		     client_any.len, 2);
	px_buf_reset(&req);
	str(&req, 1, "07-tendermint-9");
	refused("/ibc.core.client.v1.Query/ClientState", &req, 0, CODE_KEY_NOT_FOUND,
		"07-tendermint-9: light client not found");
	px_buf_reset(&req);
	str(&req, 1, "bad/id-0");
	refused("/ibc.core.client.v1.Query/ClientState", &req, 0, CODE_INVALID_REQUEST,
		"InvalidArgument");
	refused("/ibc.core.client.v1.Query/ClientState", NULL, 0, CODE_INVALID_REQUEST,
		"InvalidArgument");
	px_buf_free(&req);
}

static void cons_req(struct px_buf *b, const char *client, uint64_t rev, uint64_t h, bool latest)
{
	px_buf_reset(b);
	str(b, 1, client);
	if (rev)
		px_pb_put_uint64(b, 2, rev);
	if (h)
		px_pb_put_uint64(b, 3, h);
	if (latest)
		px_pb_put_bool(b, 4, true);
}

static void test_consensus_state(void **state)
{
	const char *path = "/ibc.core.client.v1.Query/ConsensusState";
	struct px_buf req = PX_BUF_INIT;

	(void)state;
	cons_req(&req, CLIENT, 3, 40, false);
	check_stored(path, &req, 0, cons40.data, cons40.len, 4);
	cons_req(&req, CLIENT, 3, 42, false);
	check_stored(path, &req, 3, cons42.data, cons42.len, 3);
	/* latest_height: the client state's 3-42, whatever else is asked */
	cons_req(&req, CLIENT, 3, 40, true);
	check_stored(path, &req, 0, cons42.data, cons42.len, 4);
	cons_req(&req, CLIENT, 0, 0, true);
	check_stored(path, &req, 0, cons42.data, cons42.len, 4);
	cons_req(&req, CLIENT, 3, 41, false);
	refused(path, &req, 0, CODE_KEY_NOT_FOUND,
		"client-id: 07-tendermint-0, height: 3-41: consensus state not found");
	cons_req(&req, CLIENT, 4, 40, false);
	refused(path, &req, 0, CODE_KEY_NOT_FOUND, "consensus state not found");
	cons_req(&req, CLIENT, 3, 0, false);
	refused(path, &req, 0, CODE_INVALID_REQUEST, "consensus state height cannot be 0");
	cons_req(&req, "07-tendermint-9", 0, 0, true);
	refused(path, &req, 0, CODE_KEY_NOT_FOUND, "consensus state not found");
	cons_req(&req, "x", 3, 40, false);
	refused(path, &req, 0, CODE_INVALID_REQUEST, "InvalidArgument");
	px_buf_free(&req);
}

static void test_connection(void **state)
{
	struct px_buf req = PX_BUF_INIT;
	struct devnet_app_query q;
	struct fld f[MAXF];

	(void)state;
	str(&req, 1, "connection-0");
	check_stored("/ibc.core.connection.v1.Query/Connection", &req, 0, conn_bytes.data,
		     conn_bytes.len, 4);
	px_buf_reset(&req);
	str(&req, 1, "connection-1");
	refused("/ibc.core.connection.v1.Query/Connection", &req, 0, CODE_KEY_NOT_FOUND,
		"connection-1: connection not found");
	px_buf_reset(&req);
	str(&req, 1, "conn");
	refused("/ibc.core.connection.v1.Query/Connection", &req, 0, CODE_INVALID_REQUEST,
		"InvalidArgument");

	/* ClientConnections: connection_paths = 1 (repeated), proof_height = 3 */
	px_buf_reset(&req);
	str(&req, 1, CLIENT);
	run(&q, "/ibc.core.connection.v1.Query/ClientConnections", &req, 0);
	assert_int_equal(q.code, 0);
	assert_int_equal(fields(f, q.value.data, q.value.len), 3);
	check_bytes(&f[0], 1, "connection-0", 12);
	check_bytes(&f[1], 1, "connection-1", 12);
	check_height(&f[2], 3, REV, 4);
	devnet_app_query_free(&q);
	px_buf_reset(&req);
	str(&req, 1, "07-tendermint-9");
	refused("/ibc.core.connection.v1.Query/ClientConnections", &req, 0, CODE_KEY_NOT_FOUND,
		"connection paths not found");
	px_buf_free(&req);
}

/* ---- 04-channel ---- */

static void test_channel(void **state)
{
	struct px_buf req = PX_BUF_INIT;

	(void)state;
	port_chan(&req, "transfer", "channel-0", 0);
	check_stored(CHQ "Channel", &req, 0, chan0_bytes.data, chan0_bytes.len, 4);
	px_buf_reset(&req);
	port_chan(&req, "ordport", "channel-1", 0);
	check_stored(CHQ "Channel", &req, 2, chan1_bytes.data, chan1_bytes.len, 2);
	px_buf_reset(&req);
	port_chan(&req, "transfer", "channel-1", 0);
	refused(CHQ "Channel", &req, 0, CODE_KEY_NOT_FOUND,
		"port-id: transfer, channel-id channel-1: channel not found");
	px_buf_reset(&req);
	port_chan(&req, "transfer", "chan", 0);
	refused(CHQ "Channel", &req, 0, CODE_INVALID_REQUEST, "InvalidArgument");
	px_buf_reset(&req);
	port_chan(&req, "p", "channel-0", 0);
	refused(CHQ "Channel", &req, 0, CODE_INVALID_REQUEST, "InvalidArgument");
	px_buf_free(&req);
}

static void test_packet_one(void **state)
{
	struct px_buf req = PX_BUF_INIT;
	struct devnet_app_query q;
	struct fld f[MAXF];
	uint8_t want[32];

	(void)state;
	memset(want, 0xc0 + 10, sizeof(want));
	port_chan(&req, "transfer", "channel-0", 10);
	check_stored(CHQ "PacketCommitment", &req, 0, want, sizeof(want), 4);
	memset(want, 0xc0 + 11, sizeof(want));
	px_buf_reset(&req);
	port_chan(&req, "transfer", "channel-0", 11);
	check_stored(CHQ "PacketCommitment", &req, 3, want, sizeof(want), 3);
	/* written at version 3: not there at 2 */
	refused(CHQ "PacketCommitment", &req, 2, CODE_KEY_NOT_FOUND,
		"packet commitment hash not found");
	px_buf_reset(&req);
	port_chan(&req, "transfer", "channel-0", 4);
	refused(CHQ "PacketCommitment", &req, 0, CODE_KEY_NOT_FOUND,
		"packet commitment hash not found");
	px_buf_reset(&req);
	port_chan(&req, "transfer", "channel-0", 0);
	refused(CHQ "PacketCommitment", &req, 0, CODE_INVALID_REQUEST, "sequence cannot be 0");
	px_buf_reset(&req);
	port_chan(&req, "transfer", "channel-5", 1);
	refused(CHQ "PacketCommitment", &req, 0, CODE_KEY_NOT_FOUND, "channel not found");

	/* acknowledgement */
	memset(want, 0xa0 + 5, sizeof(want));
	px_buf_reset(&req);
	port_chan(&req, "transfer", "channel-0", 5);
	check_stored(CHQ "PacketAcknowledgement", &req, 0, want, sizeof(want), 4);
	px_buf_reset(&req);
	port_chan(&req, "transfer", "channel-0", 1);
	refused(CHQ "PacketAcknowledgement", &req, 0, CODE_KEY_NOT_FOUND,
		"packet acknowledgement hash not found");
	px_buf_reset(&req);
	port_chan(&req, "transfer", "channel-5", 5);
	refused(CHQ "PacketAcknowledgement", &req, 0, CODE_KEY_NOT_FOUND, "channel not found");

	/* receipt: received = 2 (true only), proof_height = 4 */
	px_buf_reset(&req);
	port_chan(&req, "transfer", "channel-0", 3);
	run(&q, CHQ "PacketReceipt", &req, 0);
	assert_int_equal(q.code, 0);
	assert_int_equal(fields(f, q.value.data, q.value.len), 2);
	assert_int_equal(f[0].f, 2);
	assert_int_equal(f[0].v, 1);
	check_height(&f[1], 4, REV, 4);
	devnet_app_query_free(&q);
	px_buf_reset(&req);
	port_chan(&req, "transfer", "channel-0", 2);
	run(&q, CHQ "PacketReceipt", &req, 2);	/* received at version 3 */
	assert_int_equal(q.code, 0);
	assert_int_equal(fields(f, q.value.data, q.value.len), 1);
	check_height(&f[0], 4, REV, 2);
	devnet_app_query_free(&q);
	run(&q, CHQ "PacketReceipt", &req, 3);
	assert_int_equal(q.code, 0);
	assert_int_equal(fields(f, q.value.data, q.value.len), 2);
	assert_int_equal(f[0].f, 2);
	devnet_app_query_free(&q);
	px_buf_reset(&req);
	port_chan(&req, "transfer", "channel-5", 2);
	refused(CHQ "PacketReceipt", &req, 0, CODE_KEY_NOT_FOUND, "channel not found");
	px_buf_free(&req);
}

struct page {
	bool has_key;
	const char *key;
	uint64_t offset, limit;
	bool count_total, reverse;
};

static void list_req(struct px_buf *b, const char *chan, const struct page *pg)
{
	struct px_buf p = PX_BUF_INIT;

	px_buf_reset(b);
	port_chan(b, "transfer", chan, 0);
	if (!pg)
		return;
	if (pg->has_key)
		str(&p, 1, pg->key);
	if (pg->offset)
		px_pb_put_uint64(&p, 2, pg->offset);
	if (pg->limit)
		px_pb_put_uint64(&p, 3, pg->limit);
	if (pg->count_total)
		px_pb_put_bool(&p, 4, true);
	if (pg->reverse)
		px_pb_put_bool(&p, 5, true);
	px_pb_put_bytes(b, 3, p.data, p.len);
	px_buf_free(&p);
}

/* A PacketState list response: the sequences in order (each checked for
 * its port, channel and value fill), then the PageResponse (NULL: none)
 * and the height {7, h}. */
static void check_states(const struct devnet_app_query *q, const char *chan, uint8_t fill,
			 const uint64_t *seqs, size_t n, const char *next_key, uint64_t total,
			 bool has_page, uint64_t h)
{
	struct fld f[MAXF], s[MAXF], pr[MAXF];
	size_t nf, i, np;
	uint8_t want[32];

	assert_int_equal(q->code, 0);
	nf = fields(f, q->value.data, q->value.len);
	assert_int_equal(nf, n + has_page + 1);
	for (i = 0; i < n; i++) {
		assert_int_equal(f[i].f, 1);
		assert_int_equal(fields(s, f[i].b.ptr, f[i].b.len), 4);
		check_bytes(&s[0], 1, "transfer", 8);
		check_bytes(&s[1], 2, chan, strlen(chan));
		assert_int_equal(s[2].f, 3);
		if (s[2].v != seqs[i])
			fail_msg("entry %zu: sequence %llu, want %llu", i, (unsigned long long)s[2].v,
				 (unsigned long long)seqs[i]);
		memset(want, (int)(fill + seqs[i]), sizeof(want));
		check_bytes(&s[3], 4, want, sizeof(want));
	}
	if (has_page) {
		assert_int_equal(f[n].f, 2);
		np = fields(pr, f[n].b.ptr, f[n].b.len);
		assert_int_equal(np, (next_key != NULL) + (total != 0));
		if (next_key)
			check_bytes(&pr[0], 1, next_key, strlen(next_key));
		if (total) {
			assert_int_equal(pr[np - 1].f, 2);
			assert_int_equal(pr[np - 1].v, total);
		}
	}
	check_height(&f[nf - 1], 3, REV, h);
}

static void page_case(const struct page *pg, int64_t version, const uint64_t *seqs, size_t n,
		      const char *next_key, uint64_t total)
{
	struct px_buf req = PX_BUF_INIT;
	struct devnet_app_query q;

	list_req(&req, "channel-0", pg);
	run(&q, CHQ "PacketCommitments", &req, version);
	check_states(&q, "channel-0", 0xc0, seqs, n, next_key, total, true, version ? (uint64_t)version : 4);
	devnet_app_query_free(&q);
	px_buf_free(&req);
}

static void test_packet_commitments(void **state)
{
	/* store (lexical) order of the keys: /1 /10 /11 /2 /3 */
	static const uint64_t all[] = { 1, 10, 11, 2, 3 }, at2[] = { 1, 10, 2, 3 },
			      rev[] = { 3, 2, 11, 10, 1 };
	struct px_buf req = PX_BUF_INIT;

	(void)state;
	/* no pagination: everything (limit 100) and the total */
	page_case(NULL, 0, all, 5, NULL, 5);
	page_case(NULL, 2, at2, 4, NULL, 4);
	/* limit: next_key, no total unless asked */
	page_case(&(struct page){ .limit = 2 }, 0, all, 2, "/11", 0);
	page_case(&(struct page){ .limit = 2, .count_total = true }, 0, all, 2, "/11", 5);
	/* key: from /11 (the next page), from /100 (not a key: the next one) */
	page_case(&(struct page){ .has_key = true, .key = "/11", .limit = 2 }, 0, all + 2, 2, "/3", 0);
	page_case(&(struct page){ .has_key = true, .key = "/100", .limit = 2 }, 0, all + 2, 2, "/3",
		  0);
	page_case(&(struct page){ .has_key = true, .key = "/3", .limit = 2 }, 0, all + 4, 1, NULL, 0);
	page_case(&(struct page){ .has_key = true, .key = "/4", .limit = 2 }, 0, all, 0, NULL, 0);
	/* offset */
	page_case(&(struct page){ .offset = 1, .limit = 2, .count_total = true }, 0, all + 1, 2, "/2",
		  5);
	page_case(&(struct page){ .offset = 4, .limit = 2 }, 0, all + 4, 1, NULL, 0);
	page_case(&(struct page){ .offset = 9, .limit = 2, .count_total = true }, 0, all, 0, NULL, 5);
	/* reverse, by offset and by key */
	page_case(&(struct page){ .limit = 2, .reverse = true }, 0, rev, 2, "/11", 0);
	page_case(&(struct page){ .has_key = true, .key = "/11", .limit = 2, .reverse = true }, 0,
		  rev + 2, 2, "/1", 0);
	page_case(&(struct page){ .has_key = true, .key = "/9", .limit = 9, .reverse = true }, 0, rev,
		  5, NULL, 0);
	/* offset and key together */
	list_req(&req, "channel-0", &(struct page){ .has_key = true, .key = "/2", .offset = 1 });
	refused(CHQ "PacketCommitments", &req, 0, CODE_INVALID_REQUEST,
		"either offset or key is expected");
	list_req(&req, "channel-7", NULL);
	refused(CHQ "PacketCommitments", &req, 0, CODE_KEY_NOT_FOUND, "channel not found");
	px_buf_free(&req);
}

static void seq_list(struct px_buf *b, uint32_t field, const uint64_t *seqs, size_t n)
{
	struct px_buf p = PX_BUF_INIT;

	for (size_t i = 0; i < n; i++)
		px_pb_put_varint(&p, seqs[i]);
	px_pb_put_bytes(b, field, p.data, p.len);
	px_buf_free(&p);
}

static void test_packet_acks(void **state)
{
	static const uint64_t both[] = { 2, 5 }, some[] = { 5, 1, 0, 2 }, got[] = { 5, 2 };
	struct px_buf req = PX_BUF_INIT;
	struct devnet_app_query q;

	(void)state;
	list_req(&req, "channel-0", NULL);
	run(&q, CHQ "PacketAcknowledgements", &req, 0);
	check_states(&q, "channel-0", 0xa0, both, 2, NULL, 2, true, 4);
	devnet_app_query_free(&q);
	list_req(&req, "channel-0", &(struct page){ .limit = 1 });
	run(&q, CHQ "PacketAcknowledgements", &req, 0);
	check_states(&q, "channel-0", 0xa0, both, 1, "/5", 0, true, 4);
	devnet_app_query_free(&q);
	/* by sequences (field 4): those with an ack, in the request's order,
	 * and no PageResponse */
	list_req(&req, "channel-0", NULL);
	seq_list(&req, 4, some, 4);
	run(&q, CHQ "PacketAcknowledgements", &req, 0);
	check_states(&q, "channel-0", 0xa0, got, 2, NULL, 0, false, 4);
	devnet_app_query_free(&q);
	/* the neighbour channel-01 sees only its own */
	list_req(&req, "channel-01", NULL);
	run(&q, CHQ "PacketAcknowledgements", &req, 0);
	check_states(&q, "channel-01", 0xa0, (const uint64_t[]){ 4 }, 1, NULL, 1, true, 4);
	devnet_app_query_free(&q);
	list_req(&req, "channel-7", NULL);
	refused(CHQ "PacketAcknowledgements", &req, 0, CODE_KEY_NOT_FOUND, "channel not found");
	px_buf_free(&req);
}

/* A {sequences = 1 (packed), height = 2} response. */
static void check_seqs(const char *path, const char *port, const char *chan, const uint64_t *ask,
		       size_t n_ask, int64_t version, const uint64_t *want, size_t n_want)
{
	struct px_buf req = PX_BUF_INIT;
	struct devnet_app_query q;
	struct fld f[MAXF];
	struct px_cursor c;
	size_t nf, i = 0;

	str(&req, 1, port);
	str(&req, 2, chan);
	seq_list(&req, 3, ask, n_ask);
	run(&q, path, &req, version);
	assert_int_equal(q.code, 0);
	nf = fields(f, q.value.data, q.value.len);
	assert_int_equal(nf, 1 + (n_want > 0));
	if (n_want) {
		assert_int_equal(f[0].f, 1);
		c = px_cursor_init(f[0].b.ptr, f[0].b.len);
		for (i = 0; px_cursor_more(&c); i++) {
			uint64_t s = px_pb_read_varint(&c);

			assert_true(i < n_want);
			assert_int_equal(s, want[i]);
		}
		assert_true(px_cursor_ok(&c));
	}
	assert_int_equal(i, n_want);
	check_height(&f[nf - 1], 2, REV, version ? (uint64_t)version : 4);
	devnet_app_query_free(&q);
	px_buf_free(&req);
}

static void test_unreceived(void **state)
{
	static const uint64_t ask[] = { 1, 2, 3, 4 }, ord[] = { 2, 4, 5, 3 }, acks[] = { 1, 2, 3, 5, 11 };
	struct px_buf req = PX_BUF_INIT;

	(void)state;
	/* unordered: no receipt (2 received at version 3) */
	check_seqs(CHQ "UnreceivedPackets", "transfer", "channel-0", ask, 4, 0,
		   (const uint64_t[]){ 4 }, 1);
	check_seqs(CHQ "UnreceivedPackets", "transfer", "channel-0", ask, 4, 2,
		   (const uint64_t[]){ 2, 4 }, 2);
	check_seqs(CHQ "UnreceivedPackets", "transfer", "channel-0", ask, 0, 0, NULL, 0);
	check_seqs(CHQ "UnreceivedPackets", "transfer", "channel-0", (const uint64_t[]){ 1, 3 }, 2, 0,
		   NULL, 0);
	/* ordered: >= nextSequenceRecv (4) */
	check_seqs(CHQ "UnreceivedPackets", "ordport", "channel-1", ord, 4, 0,
		   (const uint64_t[]){ 4, 5 }, 2);
	/* acks: commitment still here (11 from version 3 on) */
	check_seqs(CHQ "UnreceivedAcks", "transfer", "channel-0", acks, 5, 0,
		   (const uint64_t[]){ 1, 2, 3, 11 }, 4);
	check_seqs(CHQ "UnreceivedAcks", "transfer", "channel-0", acks, 5, 2,
		   (const uint64_t[]){ 1, 2, 3 }, 3);

	/* sequence 0, unknown channel; unpacked elements are accepted */
	port_chan(&req, "transfer", "channel-0", 0);
	seq_list(&req, 3, (const uint64_t[]){ 4, 0 }, 2);
	refused(CHQ "UnreceivedPackets", &req, 0, CODE_INVALID_REQUEST, "packet sequence 1 cannot be 0");
	refused(CHQ "UnreceivedAcks", &req, 0, CODE_INVALID_REQUEST, "packet sequence 1 cannot be 0");
	px_buf_reset(&req);
	port_chan(&req, "transfer", "channel-7", 0);
	refused(CHQ "UnreceivedPackets", &req, 0, CODE_KEY_NOT_FOUND, "channel not found");
	refused(CHQ "UnreceivedAcks", &req, 0, CODE_KEY_NOT_FOUND, "channel not found");
	px_buf_reset(&req);
	port_chan(&req, "transfer", "channel-0", 0);
	px_pb_put_uint64(&req, 3, 2);
	px_pb_put_uint64(&req, 3, 4);
	{
		struct devnet_app_query q;
		struct fld f[MAXF];

		run(&q, CHQ "UnreceivedPackets", &req, 2);
		assert_int_equal(q.code, 0);
		assert_int_equal(fields(f, q.value.data, q.value.len), 2);
		check_bytes(&f[0], 1, "\x02\x04", 2);
		devnet_app_query_free(&q);
	}
	px_buf_free(&req);
}

static void test_next_sequence_receive(void **state)
{
	struct px_buf req = PX_BUF_INIT;
	struct devnet_app_query q;
	struct fld f[MAXF];

	(void)state;
	port_chan(&req, "ordport", "channel-1", 0);
	run(&q, CHQ "NextSequenceReceive", &req, 0);
	assert_int_equal(q.code, 0);
	assert_int_equal(fields(f, q.value.data, q.value.len), 2);
	assert_int_equal(f[0].f, 1);
	assert_int_equal(f[0].v, 4);
	check_height(&f[1], 3, REV, 4);
	devnet_app_query_free(&q);
	/* unordered: 0 (omitted) */
	px_buf_reset(&req);
	port_chan(&req, "transfer", "channel-0", 0);
	run(&q, CHQ "NextSequenceReceive", &req, 0);
	assert_int_equal(q.code, 0);
	assert_int_equal(fields(f, q.value.data, q.value.len), 1);
	check_height(&f[0], 3, REV, 4);
	devnet_app_query_free(&q);
	px_buf_reset(&req);
	port_chan(&req, "ordport", "channel-0", 0);
	refused(CHQ "NextSequenceReceive", &req, 0, CODE_KEY_NOT_FOUND, "channel not found");
	px_buf_free(&req);
}

/* ---- x/staking ---- */

static void test_staking_params(void **state)
{
	struct devnet_app_query q;
	struct fld f[MAXF], p[MAXF], d[MAXF];

	(void)state;
	run(&q, "/cosmos.staking.v1beta1.Query/Params", NULL, 0);
	assert_int_equal(q.code, 0);
	assert_int_equal(fields(f, q.value.data, q.value.len), 1);
	assert_int_equal(f[0].f, 1);
	assert_int_equal(fields(p, f[0].b.ptr, f[0].b.len), 6);
	assert_int_equal(p[0].f, 1);
	assert_int_equal(fields(d, p[0].b.ptr, p[0].b.len), 1);
	assert_int_equal(d[0].f, 1);
	assert_int_equal(d[0].v, 21u * 24 * 3600);	/* 21 days, no nanos */
	assert_int_equal(p[1].f, 2);
	assert_int_equal(p[1].v, 100);
	assert_int_equal(p[2].f, 3);
	assert_int_equal(p[2].v, 7);
	assert_int_equal(p[3].f, 4);
	assert_int_equal(p[3].v, 10000);
	check_bytes(&p[4], 5, "stake", 5);
	check_bytes(&p[5], 6, "0", 1);
	devnet_app_query_free(&q);
	refused("/cosmos.staking.v1beta1.Query/Params", NULL, 1, CODE_NOT_FOUND,
		"failed to load state at height 1");
}

/* ---- heights, malformed requests, other paths ---- */

static void test_heights(void **state)
{
	struct px_buf req = PX_BUF_INIT;

	(void)state;
	str(&req, 1, CLIENT);
	/* version 1 is pruned (three kept), 5 is not there yet */
	refused("/ibc.core.client.v1.Query/ClientState", &req, 1, CODE_NOT_FOUND,
		"failed to load state at height 1");
	refused("/ibc.core.client.v1.Query/ClientState", &req, 5, CODE_NOT_FOUND,
		"latest height: 4");
	px_buf_reset(&req);
	port_chan(&req, "transfer", "channel-0", 1);
	refused(CHQ "PacketCommitment", &req, 1, CODE_NOT_FOUND, "version does not exist");
	px_buf_free(&req);
}

static void test_malformed(void **state)
{
	static const uint8_t junk[] = { 0xff, 0xff, 0xff };
	struct px_buf req = PX_BUF_INIT, bad = PX_BUF_INIT;
	struct devnet_app_query q;

	(void)state;
	px_buf_append(&bad, junk, sizeof(junk));
	refused("/ibc.core.client.v1.Query/ClientState", &bad, 0, CODE_TX_DECODE, "bad request");
	refused(CHQ "Channel", &bad, 0, CODE_TX_DECODE, "QueryChannelRequest");
	refused("/cosmos.staking.v1beta1.Query/Params", &bad, 0, CODE_TX_DECODE, "bad request");
	/* truncated: a length past the end */
	str(&req, 1, CLIENT);
	req.len -= 3;
	refused("/ibc.core.client.v1.Query/ClientState", &req, 0, CODE_TX_DECODE, "bad request");
	px_buf_reset(&req);
	port_chan(&req, "transfer", "channel-0", 1);
	req.len -= 1;	/* the sequence's varint cut off */
	refused(CHQ "PacketCommitment", &req, 0, CODE_TX_DECODE, "bad request");
	/* a known field with another wire type */
	px_buf_reset(&req);
	px_pb_put_uint64(&req, 1, 5);
	refused("/ibc.core.client.v1.Query/ClientState", &req, 0, CODE_TX_DECODE, "bad request");
	px_buf_reset(&req);
	port_chan(&req, "transfer", "channel-0", 0);
	str(&req, 3, "not a page");	/* 'n' (0x6e): field 13 of wire type 6 */
	run(&q, CHQ "PacketCommitments", &req, 0);
	assert_int_equal(q.code, CODE_TX_DECODE);
	devnet_app_query_free(&q);
	/* unknown fields are skipped */
	px_buf_reset(&req);
	str(&req, 1, CLIENT);
	px_pb_put_uint64(&req, 9, 77);
	str(&req, 10, "extra");
	check_stored("/ibc.core.client.v1.Query/ClientState", &req, 0, client_any.data,
		     client_any.len, 4);
	px_buf_free(&req);
	px_buf_free(&bad);
}

static void test_other_paths(void **state)
{
	struct px_err err = { 0 };
	struct devnet_app_query q;

	(void)state;
	assert_true(devnet_app_query(&err, app, &q, CHQ "NoSuchQuery", NULL, 0, 0, NULL));
	assert_false(q.handled);
	devnet_app_query_free(&q);
	assert_true(devnet_app_query(&err, app, &q, "/ibc.core.client.v1.Query/ClientStatez", NULL, 0,
				     0, NULL));
	assert_false(q.handled);
	devnet_app_query_free(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_state),
		cmocka_unit_test(test_consensus_state),
		cmocka_unit_test(test_connection),
		cmocka_unit_test(test_channel),
		cmocka_unit_test(test_packet_one),
		cmocka_unit_test(test_packet_commitments),
		cmocka_unit_test(test_packet_acks),
		cmocka_unit_test(test_unreceived),
		cmocka_unit_test(test_next_sequence_receive),
		cmocka_unit_test(test_staking_params),
		cmocka_unit_test(test_heights),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_other_paths),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
