/* Unit tests for relayer/ibcquery.c: request bytes for known inputs (as
 * ibc-go's gogoproto writes them), and strict decoding of the responses:
 * each accepted shape has a twin that is refused (truncated, a wrong wire
 * type, a repeated singular field, a missing or oversized value, a client
 * state of another type), and a refused listing leaves the caller's list
 * as it was. The ClientStates, Connections and Channels pages
 * (ibcquery_list.c) likewise: every field of every entry read back, and
 * each kind of bad entry refused with the list left as it was. The
 * network half is exercised by test_txquery_devnet.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/encoding.h"
#include "common/protobuf.h"
#include "ibc/codec/channel.h"
#include "ibc/codec/connection.h"
#include "ibc/codec/msg.h"
#include "ibc/codec/tendermint.h"
#include "relayer/ibcquery.h"

static void bytes_are(const struct px_buf *b, const char *hex)
{
	char got[1024];

	assert_true(px_buf_ok(b));
	assert_true(b->len * 2 < sizeof(got));
	px_hex_encode(got, sizeof(got), b->data, b->len, false);
	assert_string_equal(got, hex);
}

static struct px_buf from_hex(const char *hex)
{
	struct px_buf b = PX_BUF_INIT;

	assert_true(px_hex_decode(NULL, &b, hex, strlen(hex), false));
	return b;
}

/* ---- requests ---- */

static void test_requests(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	static const uint64_t seqs[] = { 1, 2, 300 };

	(void)state;
	rly_ibcq_req_id(&b, "07-tendermint-0");
	bytes_are(&b, "0a0f30372d74656e6465726d696e742d30");

	px_buf_reset(&b);
	rly_ibcq_req_channel(&b, "transfer", "channel-0");
	bytes_are(&b, "0a087472616e7366657212096368616e6e656c2d30");

	px_buf_reset(&b);
	rly_ibcq_req_packet(&b, "transfer", "channel-0", 5);
	bytes_are(&b, "0a087472616e7366657212096368616e6e656c2d301805");

	px_buf_reset(&b);
	rly_ibcq_req_packet(&b, "transfer", "channel-0", 300);
	bytes_are(&b, "0a087472616e7366657212096368616e6e656c2d3018ac02");

	/* pagination {limit = 3}, with and without a key */
	px_buf_reset(&b);
	rly_ibcq_req_states(&b, "transfer", "channel-0", NULL, 0, 1000);
	bytes_are(&b, "0a087472616e7366657212096368616e6e656c2d301a0318e807");
	px_buf_reset(&b);
	rly_ibcq_req_states(&b, "transfer", "channel-0", (const uint8_t *)"/5", 2, 1000);
	bytes_are(&b, "0a087472616e7366657212096368616e6e656c2d301a070a022f3518e807");

	/* sequences packed into field 3; none: the field is left out */
	px_buf_reset(&b);
	rly_ibcq_req_unreceived(&b, "transfer", "channel-0", seqs, 3);
	bytes_are(&b, "0a087472616e7366657212096368616e6e656c2d301a040102ac02");
	px_buf_reset(&b);
	rly_ibcq_req_unreceived(&b, "transfer", "channel-0", seqs, 0);
	bytes_are(&b, "0a087472616e7366657212096368616e6e656c2d30");
	px_buf_free(&b);
}

/* ---- single objects ---- */

/* {field 1: inner, field 3: Height{1, 7}} */
static struct px_buf wrap(const struct px_buf *inner)
{
	struct px_buf b = PX_BUF_INIT;

	px_pb_put_bytes(&b, 1, inner->data, inner->len);
	px_pb_put_bytes(&b, 3, (const uint8_t *)"\x08\x01\x10\x07", 4);
	assert_true(px_buf_ok(&b));
	return b;
}

static void test_channel(void **state)
{
	struct ibc_channel ch, got;
	struct px_buf inner = PX_BUF_INIT, b, twice = PX_BUF_INIT;
	struct px_err err = { 0 };

	(void)state;
	memset(&ch, 0, sizeof(ch));
	ch.state = IBC_CHAN_OPEN;
	ch.ordering = IBC_ORDER_UNORDERED;
	strcpy(ch.counterparty.port_id, "transfer");
	strcpy(ch.counterparty.channel_id, "channel-7");
	strcpy(ch.connection_hops[0], "connection-3");
	ch.connection_hops_len = 1;
	strcpy(ch.version, "ics20-1");
	assert_true(ibc_channel_encode(&err, &inner, &ch));
	b = wrap(&inner);

	assert_true(rly_ibcq_channel_decode(&err, &got, b.data, b.len));
	assert_int_equal(got.state, IBC_CHAN_OPEN);
	assert_string_equal(got.counterparty.channel_id, "channel-7");
	assert_string_equal(got.connection_hops[0], "connection-3");

	/* truncated: one byte short */
	px_err_clear(&err);
	assert_false(rly_ibcq_channel_decode(&err, &got, b.data, b.len - 1));
	assert_int_equal(err.code, PX_E_MALFORMED);
	assert_int_equal(got.state, 0);

	/* no channel at all (only the height) */
	px_err_clear(&err);
	assert_false(rly_ibcq_channel_decode(&err, &got, b.data + inner.len + 2,
					     b.len - inner.len - 2));
	assert_int_equal(err.code, PX_E_MALFORMED);
	assert_non_null(strstr(err.msg, "no channel"));

	/* the channel twice */
	px_buf_append(&twice, b.data, b.len);
	px_pb_put_bytes(&twice, 1, inner.data, inner.len);
	px_err_clear(&err);
	assert_false(rly_ibcq_channel_decode(&err, &got, twice.data, twice.len));
	assert_int_equal(err.code, PX_E_MALFORMED);
	assert_non_null(strstr(err.msg, "repeated"));

	/* field 1 as a varint */
	px_buf_reset(&twice);
	px_pb_put_uint64(&twice, 1, 3);
	px_err_clear(&err);
	assert_false(rly_ibcq_channel_decode(&err, &got, twice.data, twice.len));
	assert_int_equal(err.code, PX_E_MALFORMED);

	/* a channel whose inside does not decode: state 9 */
	px_buf_reset(&twice);
	px_pb_put_bytes(&twice, 1, (const uint8_t *)"\x08\x09", 2);
	px_err_clear(&err);
	assert_false(rly_ibcq_channel_decode(&err, &got, twice.data, twice.len));
	assert_int_equal(err.code, PX_E_MALFORMED);
	assert_non_null(strstr(err.msg, "QueryChannelResponse"));

	px_buf_free(&inner);
	px_buf_free(&b);
	px_buf_free(&twice);
}

static void test_connection(void **state)
{
	struct ibc_connection_end c, got;
	struct px_buf inner = PX_BUF_INIT, b;
	struct px_err err = { 0 };

	(void)state;
	memset(&c, 0, sizeof(c));
	strcpy(c.client_id, "07-tendermint-4");
	strcpy(c.versions[0].identifier, "1");
	strcpy(c.versions[0].features[0], "ORDER_UNORDERED");
	c.versions[0].features_len = 1;
	c.versions_len = 1;
	c.state = IBC_CONN_OPEN;
	strcpy(c.counterparty.client_id, "07-tendermint-9");
	strcpy(c.counterparty.connection_id, "connection-2");
	c.counterparty.prefix = ibc_str("ibc");
	assert_true(ibc_connection_end_encode(&err, &inner, &c));
	b = wrap(&inner);
	assert_true(rly_ibcq_connection_decode(&err, &got, b.data, b.len));
	assert_string_equal(got.client_id, "07-tendermint-4");
	assert_string_equal(got.counterparty.connection_id, "connection-2");

	assert_false(rly_ibcq_connection_decode(&err, &got, b.data, 3));
	assert_int_equal(err.code, PX_E_MALFORMED);
	assert_string_equal(got.client_id, "");
	px_buf_free(&inner);
	px_buf_free(&b);
}

static void client_state_any(struct px_buf *out, const char *url, const char *chain_id)
{
	struct ibc_tm_client_state cs;
	struct px_buf v = PX_BUF_INIT;
	struct ibc_any any;
	struct px_err err = { 0 };

	memset(&cs, 0, sizeof(cs));
	strcpy(cs.chain_id, chain_id);
	cs.trust_level.numerator = 1;
	cs.trust_level.denominator = 3;
	cs.trusting_period = 1209600ull * 1000000000;
	cs.unbonding_period = 1814400ull * 1000000000;
	cs.max_clock_drift = 10ull * 1000000000;
	cs.latest_height.revision_number = 1;
	cs.latest_height.revision_height = 42;
	assert_true(ibc_tm_client_state_encode(&err, &v, &cs));
	any.type_url = ibc_str(url);
	any.value = px_slice_of(&v);
	assert_true(ibc_any_encode(&err, out, &any));
	px_buf_free(&v);
}

static void test_client_state(void **state)
{
	struct px_buf any = PX_BUF_INIT, b;
	struct rly_ibcq_client got;
	struct px_err err = { 0 };

	(void)state;
	client_state_any(&any, IBC_URL_TM_CLIENT_STATE, "devnet-b-1");
	b = wrap(&any);
	assert_true(rly_ibcq_client_state_decode(&err, &got, b.data, b.len));
	assert_string_equal(got.chain_id, "devnet-b-1");
	assert_int_equal(got.latest_height.revision_number, 1);
	assert_int_equal(got.latest_height.revision_height, 42);
	assert_false(got.frozen);

	/* truncated inside the Any */
	px_err_clear(&err);
	assert_false(rly_ibcq_client_state_decode(&err, &got, b.data, any.len));
	assert_int_equal(err.code, PX_E_MALFORMED);
	assert_string_equal(got.chain_id, "");
	px_buf_free(&b);

	/* another light client */
	px_buf_reset(&any);
	client_state_any(&any, "/ibc.lightclients.solomachine.v3.ClientState", "x");
	b = wrap(&any);
	px_err_clear(&err);
	assert_false(rly_ibcq_client_state_decode(&err, &got, b.data, b.len));
	assert_int_equal(err.code, PX_E_UNSUPPORTED);
	assert_non_null(strstr(err.msg, "solomachine"));
	px_buf_free(&b);

	/* an empty response */
	px_err_clear(&err);
	assert_false(rly_ibcq_client_state_decode(&err, &got, NULL, 0));
	assert_int_equal(err.code, PX_E_MALFORMED);
	px_buf_free(&any);
}

static void test_hash(void **state)
{
	uint8_t h[RLY_IBCQ_MAX_HASH];
	uint8_t thirty_two[32], big[RLY_IBCQ_MAX_HASH + 1];
	struct px_buf b = PX_BUF_INIT;
	struct px_err err = { 0 };
	size_t n = 99;

	(void)state;
	memset(thirty_two, 0xab, sizeof(thirty_two));
	memset(big, 1, sizeof(big));
	px_pb_put_bytes(&b, 1, thirty_two, sizeof(thirty_two));
	px_pb_put_bytes(&b, 3, (const uint8_t *)"\x10\x05", 2);
	assert_true(rly_ibcq_hash_decode(&err, h, &n, b.data, b.len));
	assert_int_equal(n, 32);
	assert_memory_equal(h, thirty_two, 32);

	/* no hash: refused, as is an empty one */
	assert_false(rly_ibcq_hash_decode(&err, h, &n, b.data + 34, b.len - 34));
	assert_int_equal(err.code, PX_E_MALFORMED);
	assert_int_equal(n, 0);
	px_buf_reset(&b);
	px_pb_put_bytes(&b, 1, NULL, 0);
	px_err_clear(&err);
	assert_false(rly_ibcq_hash_decode(&err, h, &n, b.data, b.len));

	/* past the cap */
	px_buf_reset(&b);
	px_pb_put_bytes(&b, 1, big, sizeof(big));
	px_err_clear(&err);
	assert_false(rly_ibcq_hash_decode(&err, h, &n, b.data, b.len));
	assert_int_equal(err.code, PX_E_MALFORMED);
	px_buf_free(&b);
}

static void test_receipt(void **state)
{
	struct px_err err = { 0 };
	struct px_buf b;
	bool r = true;

	(void)state;
	/* {proof_height} only: not received */
	b = from_hex("22040801100a");
	assert_true(rly_ibcq_receipt_decode(&err, &r, b.data, b.len));
	assert_false(r);
	px_buf_free(&b);
	b = from_hex("100122040801100a");
	assert_true(rly_ibcq_receipt_decode(&err, &r, b.data, b.len));
	assert_true(r);
	px_buf_free(&b);

	/* a bool of 2, a repeated field, a truncated height, a wrong wire type */
	static const char *const bad[] = { "1002", "10011001", "220408", "1201" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b = from_hex(bad[i]);
		r = true;
		px_err_clear(&err);
		assert_false(rly_ibcq_receipt_decode(&err, &r, b.data, b.len));
		assert_int_equal(err.code, PX_E_MALFORMED);
		assert_false(r);
		px_buf_free(&b);
	}
}

/* ---- lists ---- */

static void put_state(struct px_buf *b, uint64_t seq)
{
	struct px_buf s = PX_BUF_INIT;

	px_pb_put_bytes(&s, 1, (const uint8_t *)"transfer", 8);
	px_pb_put_bytes(&s, 2, (const uint8_t *)"channel-0", 9);
	if (seq)
		px_pb_put_uint64(&s, 3, seq);
	px_pb_put_bytes(&s, 4, (const uint8_t *)"0123456789abcdef0123456789abcdef", 32);
	px_pb_put_bytes(b, 1, s.data, s.len);
	px_buf_free(&s);
}

static void test_states(void **state)
{
	struct rly_ibcq_seqs seqs = { 0 };
	struct px_buf b = PX_BUF_INIT, key = PX_BUF_INIT;
	struct px_err err = { 0 };

	(void)state;
	put_state(&b, 3);
	put_state(&b, 10);
	px_pb_put_bytes(&b, 2, (const uint8_t *)"\x0a\x03/11\x10\x05", 7);
	px_pb_put_bytes(&b, 3, (const uint8_t *)"\x10\x05", 2);
	assert_true(rly_ibcq_states_decode(&err, &seqs, &key, b.data, b.len));
	assert_int_equal(seqs.n, 2);
	assert_int_equal(seqs.v[0], 3);
	assert_int_equal(seqs.v[1], 10);
	assert_int_equal(key.len, 3);
	assert_memory_equal(key.data, "/11", 3);

	/* truncated: the list and the key are left as they were */
	px_err_clear(&err);
	assert_false(rly_ibcq_states_decode(&err, &seqs, &key, b.data, b.len - 3));
	assert_int_equal(err.code, PX_E_MALFORMED);
	assert_int_equal(seqs.n, 2);
	assert_int_equal(key.len, 3);

	/* a state without a sequence */
	px_buf_reset(&b);
	put_state(&b, 4);
	put_state(&b, 0);
	px_err_clear(&err);
	assert_false(rly_ibcq_states_decode(&err, &seqs, &key, b.data, b.len));
	assert_int_equal(err.code, PX_E_MALFORMED);
	assert_int_equal(seqs.n, 2);

	/* the last page: no next key, nothing listed */
	px_buf_reset(&b);
	px_pb_put_bytes(&b, 2, NULL, 0);
	px_err_clear(&err);
	assert_true(rly_ibcq_states_decode(&err, &seqs, &key, b.data, b.len));
	assert_int_equal(seqs.n, 2);
	assert_int_equal(key.len, 0);

	/* two paginations */
	px_pb_put_bytes(&b, 2, NULL, 0);
	px_err_clear(&err);
	assert_false(rly_ibcq_states_decode(&err, &seqs, &key, b.data, b.len));
	assert_non_null(strstr(err.msg, "pagination"));

	rly_ibcq_seqs_free(&seqs);
	assert_null(seqs.v);
	px_buf_free(&b);
	px_buf_free(&key);
}

static void test_unreceived(void **state)
{
	struct rly_ibcq_seqs seqs = { 0 };
	struct px_err err = { 0 };
	struct px_buf b;

	(void)state;
	/* packed, then unpacked, then the height */
	b = from_hex("0a040102ac020804120408011005");
	assert_true(rly_ibcq_unreceived_decode(&err, &seqs, b.data, b.len));
	assert_int_equal(seqs.n, 4);
	assert_int_equal(seqs.v[2], 300);
	assert_int_equal(seqs.v[3], 4);
	px_buf_free(&b);

	/* none at all */
	b = from_hex("12020805");
	assert_true(rly_ibcq_unreceived_decode(&err, &seqs, b.data, b.len));
	assert_int_equal(seqs.n, 4);
	px_buf_free(&b);

	/* a packed run that stops inside a varint, one that claims more
	 * bytes than there are, a non-canonical varint, a fixed64 */
	static const char *const bad[] = { "0a020181", "0a050102", "0a028100", "090100000000000000" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b = from_hex(bad[i]);
		px_err_clear(&err);
		assert_false(rly_ibcq_unreceived_decode(&err, &seqs, b.data, b.len));
		assert_int_equal(err.code, PX_E_MALFORMED);
		assert_int_equal(seqs.n, 4);
		px_buf_free(&b);
	}
	rly_ibcq_seqs_free(&seqs);
}

/* More sequences than the cap are refused, not allocated. */
static void test_cap(void **state)
{
	struct rly_ibcq_seqs seqs = { 0 };
	struct px_buf packed = PX_BUF_INIT, b = PX_BUF_INIT;
	struct px_err err = { 0 };

	(void)state;
	for (uint64_t i = 0; i <= RLY_IBCQ_MAX_SEQS; i++)
		px_pb_put_varint(&packed, 1);
	px_pb_put_bytes(&b, 1, packed.data, packed.len);
	assert_false(rly_ibcq_unreceived_decode(&err, &seqs, b.data, b.len));
	assert_int_equal(err.code, PX_E_MALFORMED);
	assert_non_null(strstr(err.msg, "cap"));
	assert_int_equal(seqs.n, 0);
	rly_ibcq_seqs_free(&seqs);
	px_buf_free(&packed);
	px_buf_free(&b);
}

/* ---- listings ---- */

static void test_list_request(void **state)
{
	struct px_buf b = PX_BUF_INIT;

	(void)state;
	/* {pagination = 1 {key = 1, limit = 3}} */
	rly_ibcq_req_list(&b, (const uint8_t *)"ab", 2, 100);
	bytes_are(&b, "0a060a0261621864");
	px_buf_reset(&b);
	rly_ibcq_req_list(&b, NULL, 0, 0);
	bytes_are(&b, "0a00");
	px_buf_free(&b);
}

static void put_str(struct px_buf *b, uint32_t f, const char *s)
{
	px_pb_put_bytes(b, f, (const uint8_t *)s, strlen(s));
}

static void put_sub(struct px_buf *b, uint32_t f, struct px_buf *sub)
{
	assert_true(px_buf_ok(sub));
	px_pb_put_bytes(b, f, sub->data, sub->len);
	px_buf_free(sub);
}

/* PageResponse{next_key, total} as field 2. */
static void put_page(struct px_buf *b, const char *next, uint64_t total)
{
	struct px_buf p = PX_BUF_INIT;

	if (next)
		put_str(&p, 1, next);
	if (total)
		px_pb_put_uint64(&p, 2, total);
	put_sub(b, 2, &p);
}

/* IdentifiedClientState{client_id = 1, client_state = 2}. */
static void put_client(struct px_buf *b, const char *id, const struct px_buf *any)
{
	struct px_buf e = PX_BUF_INIT;

	if (id)
		put_str(&e, 1, id);
	if (any)
		px_pb_put_bytes(&e, 2, any->data, any->len);
	put_sub(b, 1, &e);
}

static void tm_any(struct px_buf *out, uint64_t frozen)
{
	struct px_err err = { 0 };
	struct ibc_msg m;

	memset(&m, 0, sizeof(m));
	m.kind = IBC_MSG_TM_CLIENT_STATE;
	snprintf(m.u.tm_client_state.chain_id, sizeof(m.u.tm_client_state.chain_id), "beta-2");
	m.u.tm_client_state.trust_level = (struct ibc_fraction){ 1, 3 };
	m.u.tm_client_state.trusting_period = 1000000000000ull;
	m.u.tm_client_state.unbonding_period = 2000000000000ull;
	m.u.tm_client_state.max_clock_drift = 10000000000ull;
	m.u.tm_client_state.latest_height = (struct ibc_height){ 2, 77 };
	m.u.tm_client_state.frozen_height = (struct ibc_height){ 0, frozen };
	assert_true(ibc_msg_encode_any(&err, out, &m));
}

/* A refused page leaves the list and the key as they were. */
static void client_page_refused(struct rly_ibcq_clients *l, struct px_buf *key,
				const struct px_buf *b, const char *word)
{
	struct px_err err = { 0 };
	size_t n = l->n, kl = key->len;

	assert_false(rly_ibcq_client_states_decode(&err, l, key, b->data, b->len));
	assert_int_equal(err.code, PX_E_MALFORMED);
	if (!strstr(err.msg, word))
		fail_msg("'%s' lacks '%s'", err.msg, word);
	assert_int_equal(l->n, n);
	assert_int_equal(key->len, kl);
}

static void test_client_states(void **state)
{
	static const char solo_url[] = "/ibc.lightclients.solomachine.v3.ClientState";
	struct rly_ibcq_clients l = { 0 };
	struct px_buf b = PX_BUF_INIT, key = PX_BUF_INIT, tm = PX_BUF_INIT, frozen = PX_BUF_INIT;
	struct px_buf solo = PX_BUF_INIT, bad = PX_BUF_INIT;
	struct px_err err = { 0 };

	(void)state;
	tm_any(&tm, 0);
	tm_any(&frozen, 5);
	put_str(&solo, 1, solo_url);
	px_pb_put_bytes(&solo, 2, (const uint8_t *)"\x08\x01", 2);
	put_client(&b, "07-tendermint-0", &tm);
	put_client(&b, "06-solomachine-1", &solo);
	put_client(&b, "07-tendermint-12", &frozen);
	px_pb_put_uint64(&b, 9, 1);	/* an unknown field */
	put_page(&b, "/07-tendermint-2/clientState", 3);
	assert_true(rly_ibcq_client_states_decode(&err, &l, &key, b.data, b.len));
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].client_id, "07-tendermint-0");
	assert_string_equal(l.v[0].type_url, "/ibc.lightclients.tendermint.v1.ClientState");
	assert_true(l.v[0].tendermint);
	assert_string_equal(l.v[0].client.chain_id, "beta-2");
	assert_int_equal(l.v[0].client.latest_height.revision_number, 2);
	assert_int_equal(l.v[0].client.latest_height.revision_height, 77);
	assert_false(l.v[0].client.frozen);
	assert_string_equal(l.v[1].client_id, "06-solomachine-1");
	assert_string_equal(l.v[1].type_url, solo_url);
	assert_false(l.v[1].tendermint);
	assert_string_equal(l.v[1].client.chain_id, "");
	assert_true(l.v[2].client.frozen);
	assert_int_equal(key.len, strlen("/07-tendermint-2/clientState"));
	assert_memory_equal(key.data, "/07-tendermint-2/clientState", key.len);

	/* the last page: nothing, no next key */
	px_buf_reset(&b);
	put_page(&b, NULL, 0);
	assert_true(rly_ibcq_client_states_decode(&err, &l, &key, b.data, b.len));
	assert_int_equal(l.n, 3);
	assert_int_equal(key.len, 0);
	px_buf_append(&key, "k", 1);

	/* each refused, after a good entry that must not stay */
	px_buf_reset(&b);
	put_client(&b, "07-tendermint-0", &tm);
	put_client(&b, NULL, &tm);
	client_page_refused(&l, &key, &b, "client_states #1: no client_id");
	px_buf_reset(&b);
	put_client(&b, "07-tendermint-0", &tm);
	put_client(&b, "x", &tm);
	client_page_refused(&l, &key, &b, "client_id");
	px_buf_reset(&b);
	put_client(&b, "07-tendermint-0", NULL);
	client_page_refused(&l, &key, &b, "no client_state");
	px_buf_reset(&b);
	put_str(&bad, 1, "07-tendermint-0");
	px_pb_put_bytes(&bad, 2, tm.data, tm.len);
	px_pb_put_bytes(&bad, 2, tm.data, tm.len);
	put_sub(&b, 1, &bad);
	client_page_refused(&l, &key, &b, "repeated singular field");
	/* a 07-tendermint state that does not decode */
	px_buf_reset(&b);
	put_str(&bad, 1, "/ibc.lightclients.tendermint.v1.ClientState");
	put_str(&bad, 2, "\x0a\x05x");
	put_client(&b, "07-tendermint-0", &bad);
	px_buf_free(&bad);
	client_page_refused(&l, &key, &b, "client_state");
	/* truncated inside the page */
	px_buf_reset(&b);
	put_client(&b, "07-tendermint-0", &tm);
	put_page(&b, "/next", 0);
	b.len--;
	client_page_refused(&l, &key, &b, "");
	/* the entry as a number, two paginations, a next key past its cap */
	px_buf_reset(&b);
	px_pb_put_uint64(&b, 1, 1);
	client_page_refused(&l, &key, &b, "client_states");
	px_buf_reset(&b);
	put_page(&b, NULL, 0);
	put_page(&b, NULL, 0);
	client_page_refused(&l, &key, &b, "pagination");
	px_buf_reset(&b);
	{
		char big[RLY_IBCQ_MAX_NEXT_KEY + 2];

		memset(big, 'k', sizeof(big) - 1);
		big[sizeof(big) - 1] = 0;
		put_page(&b, big, 0);
	}
	client_page_refused(&l, &key, &b, "pagination");

	rly_ibcq_clients_free(&l);
	assert_null(l.v);
	px_buf_free(&b);
	px_buf_free(&key);
	px_buf_free(&tm);
	px_buf_free(&frozen);
	px_buf_free(&solo);
}

/* IdentifiedConnection{id 1, client_id 2, versions 3, state 4,
 * counterparty 5, delay_period 6}. */
static void put_connection(struct px_buf *b, const char *id, uint64_t st, const char *cp_conn,
			   uint64_t delay)
{
	struct px_err err = { 0 };
	struct ibc_version v;
	struct ibc_connection_counterparty cp;
	struct px_buf e = PX_BUF_INIT, s = PX_BUF_INIT;

	memset(&v, 0, sizeof(v));
	memset(&cp, 0, sizeof(cp));
	snprintf(v.identifier, sizeof(v.identifier), "1");
	snprintf(v.features[0], sizeof(v.features[0]), "ORDER_UNORDERED");
	v.features_len = 1;
	snprintf(cp.client_id, sizeof(cp.client_id), "07-tendermint-4");
	snprintf(cp.connection_id, sizeof(cp.connection_id), "%s", cp_conn);
	cp.prefix = (struct px_slice){ (const uint8_t *)"ibc", 3 };
	if (id)
		put_str(&e, 1, id);
	put_str(&e, 2, "07-tendermint-0");
	assert_true(ibc_version_encode(&err, &s, &v));
	put_sub(&e, 3, &s);
	if (st)
		px_pb_put_uint64(&e, 4, st);
	assert_true(ibc_connection_counterparty_encode(&err, &s, &cp));
	put_sub(&e, 5, &s);
	if (delay)
		px_pb_put_uint64(&e, 6, delay);
	put_sub(b, 1, &e);
}

static void test_connections(void **state)
{
	struct rly_ibcq_connections l = { 0 };
	struct px_buf b = PX_BUF_INIT, key = PX_BUF_INIT, e = PX_BUF_INIT;
	struct px_err err = { 0 };
	static const char *const bad_words[] = { "no id", "state", "repeated", "delay_period",
						 "height" };

	(void)state;
	put_connection(&b, "connection-0", IBC_CONN_OPEN, "connection-7", 0);
	put_connection(&b, "connection-1", IBC_CONN_INIT, "", 3000000000ull);
	put_page(&b, NULL, 2);
	px_pb_put_bytes(&b, 3, (const uint8_t *)"\x08\x07\x10\x2a", 4);
	assert_true(rly_ibcq_connections_decode(&err, &l, &key, b.data, b.len));
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].connection_id, "connection-0");
	assert_string_equal(l.v[0].client_id, "07-tendermint-0");
	assert_int_equal(l.v[0].state, IBC_CONN_OPEN);
	assert_string_equal(l.v[0].counterparty_client_id, "07-tendermint-4");
	assert_string_equal(l.v[0].counterparty_connection_id, "connection-7");
	assert_int_equal(l.v[0].delay_period, 0);
	assert_string_equal(l.v[1].connection_id, "connection-1");
	assert_int_equal(l.v[1].state, IBC_CONN_INIT);
	assert_string_equal(l.v[1].counterparty_connection_id, "");
	assert_int_equal(l.v[1].delay_period, 3000000000ull);
	assert_int_equal(key.len, 0);

	/* no id; a state past TRYOPEN/OPEN; id twice; delay_period as
	 * bytes; two heights */
	for (size_t i = 0; i < sizeof(bad_words) / sizeof(bad_words[0]); i++) {
		px_buf_reset(&b);
		put_connection(&b, "connection-0", IBC_CONN_OPEN, "connection-7", 0);
		switch (i) {
		case 0: put_connection(&b, NULL, IBC_CONN_OPEN, "", 0); break;
		case 1: put_connection(&b, "connection-1", 9, "", 0); break;
		case 2:
			put_str(&e, 1, "connection-2");
			put_str(&e, 1, "connection-2");
			put_sub(&b, 1, &e);
			break;
		case 3:
			put_str(&e, 1, "connection-2");
			put_str(&e, 6, "5");
			put_sub(&b, 1, &e);
			break;
		case 4:
			px_pb_put_bytes(&b, 3, NULL, 0);
			px_pb_put_bytes(&b, 3, NULL, 0);
			break;
		}
		px_err_clear(&err);
		assert_false(rly_ibcq_connections_decode(&err, &l, &key, b.data, b.len));
		assert_int_equal(err.code, PX_E_MALFORMED);
		if (!strstr(err.msg, bad_words[i]))
			fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, bad_words[i]);
		assert_int_equal(l.n, 2);
	}
	rly_ibcq_connections_free(&l);
	px_buf_free(&b);
	px_buf_free(&key);
}

/* IdentifiedChannel{state 1, ordering 2, counterparty 3, connection_hops
 * 4, version 5, port_id 6, channel_id 7, upgrade_sequence 8}. */
static void put_channel(struct px_buf *b, const char *port, const char *chan, uint64_t ordering,
			uint64_t upgrade, int hops)
{
	struct px_buf e = PX_BUF_INIT, cp = PX_BUF_INIT;

	px_pb_put_uint64(&e, 1, IBC_CHAN_OPEN);
	px_pb_put_uint64(&e, 2, ordering);
	put_str(&cp, 1, "transfer");
	put_str(&cp, 2, "channel-5");
	put_sub(&e, 3, &cp);
	for (int i = 0; i < hops; i++)
		put_str(&e, 4, "connection-0");
	put_str(&e, 5, "ics20-1");
	if (port)
		put_str(&e, 6, port);
	if (chan)
		put_str(&e, 7, chan);
	if (upgrade)
		px_pb_put_uint64(&e, 8, upgrade);
	put_sub(b, 1, &e);
}

static void test_channels(void **state)
{
	struct rly_ibcq_channels l = { 0 };
	struct px_buf b = PX_BUF_INIT, key = PX_BUF_INIT;
	struct px_err err = { 0 };
	static const char *const bad_words[] = { "no port_id", "no channel_id", "channel_id",
						 "ordering", "connection_hops" };

	(void)state;
	put_channel(&b, "transfer", "channel-0", IBC_ORDER_UNORDERED, 0, 1);
	put_channel(&b, "icahost", "channel-3", IBC_ORDER_ORDERED, 4, 1);
	put_page(&b, "/ports/x/channels/channel-9", 0);
	px_pb_put_bytes(&b, 3, (const uint8_t *)"\x10\x05", 2);
	assert_true(rly_ibcq_channels_decode(&err, &l, &key, b.data, b.len));
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].port_id, "transfer");
	assert_string_equal(l.v[0].channel_id, "channel-0");
	assert_int_equal(l.v[0].channel.state, IBC_CHAN_OPEN);
	assert_int_equal(l.v[0].channel.ordering, IBC_ORDER_UNORDERED);
	assert_string_equal(l.v[0].channel.counterparty.port_id, "transfer");
	assert_string_equal(l.v[0].channel.counterparty.channel_id, "channel-5");
	assert_int_equal(l.v[0].channel.connection_hops_len, 1);
	assert_string_equal(l.v[0].channel.connection_hops[0], "connection-0");
	assert_string_equal(l.v[0].channel.version, "ics20-1");
	assert_int_equal(l.v[0].channel.upgrade_sequence, 0);
	assert_string_equal(l.v[1].port_id, "icahost");
	assert_int_equal(l.v[1].channel.ordering, IBC_ORDER_ORDERED);
	assert_int_equal(l.v[1].channel.upgrade_sequence, 4);
	assert_int_equal(key.len, strlen("/ports/x/channels/channel-9"));

	/* no port, no channel, an invalid channel id, ordering 7, two hops */
	for (size_t i = 0; i < sizeof(bad_words) / sizeof(bad_words[0]); i++) {
		px_buf_reset(&b);
		put_channel(&b, "transfer", "channel-0", IBC_ORDER_UNORDERED, 0, 1);
		switch (i) {
		case 0: put_channel(&b, NULL, "channel-1", 1, 0, 1); break;
		case 1: put_channel(&b, "transfer", NULL, 1, 0, 1); break;
		case 2: put_channel(&b, "transfer", "chan/1", 1, 0, 1); break;
		case 3: put_channel(&b, "transfer", "channel-1", 7, 0, 1); break;
		case 4: put_channel(&b, "transfer", "channel-1", 1, 0, 2); break;
		}
		px_err_clear(&err);
		assert_false(rly_ibcq_channels_decode(&err, &l, &key, b.data, b.len));
		assert_int_equal(err.code, PX_E_MALFORMED);
		if (!strstr(err.msg, bad_words[i]))
			fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, bad_words[i]);
		assert_non_null(strstr(err.msg, "channels #1"));
		assert_int_equal(l.n, 2);
	}
	/* every truncation of a one-entry page inside the entry is refused */
	px_buf_reset(&b);
	put_channel(&b, "transfer", "channel-0", IBC_ORDER_UNORDERED, 3, 1);
	for (size_t cut = 1; cut < b.len; cut++) {
		px_err_clear(&err);
		assert_false(rly_ibcq_channels_decode(&err, &l, &key, b.data, cut));
		assert_int_equal(l.n, 2);
	}

	/* more entries than the cap */
	px_buf_reset(&b);
	for (unsigned i = 0; i <= RLY_IBCQ_MAX_LIST; i++)
		put_channel(&b, "transfer", "channel-0", IBC_ORDER_UNORDERED, 0, 1);
	px_err_clear(&err);
	assert_false(rly_ibcq_channels_decode(&err, &l, &key, b.data, b.len));
	assert_int_equal(err.code, PX_E_TOO_LARGE);
	assert_int_equal(l.n, 2);
	rly_ibcq_channels_free(&l);
	px_buf_free(&b);
	px_buf_free(&key);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_channel),
		cmocka_unit_test(test_connection),
		cmocka_unit_test(test_client_state),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_receipt),
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_unreceived),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_list_request),
		cmocka_unit_test(test_client_states),
		cmocka_unit_test(test_connections),
		cmocka_unit_test(test_channels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
