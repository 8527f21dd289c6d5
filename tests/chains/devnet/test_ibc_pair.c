/* IBC between two devnets in one process: two nodes (deva-1, devb-1) with
 * their own validators, and a relayer written into this test that reads
 * each node the way a relayer reads a chain (the `commit` and
 * `validators` RPC methods, proven store queries) and submits signed
 * transactions. It creates 07-tendermint clients both ways, opens a
 * connection and an ICS-20 channel, transfers tokens both ways and checks
 * balances, and refunds a transfer the destination answers with an error
 * acknowledgement; then every forged input is refused by the receiving chain
 * with the light client's error: a header with a bad signature, too little
 * voting power or another chain id, a packet proof with one byte changed,
 * a proof at the wrong height, a replayed packet (a no-op, as ibc-go), a
 * packet past its timeout (and its MsgTimeout refund); finally two signed
 * headers for one height (the equivocation fault switch) freeze the
 * client and its proofs are refused. */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "chains/cosmos/bech32.h"
#include "chains/cosmos/keys.h"
#include "chains/cosmos/tx.h"
#include "chains/devnet/app_internal.h"
#include "chains/devnet/fault.h"
#include "chains/devnet/genesis.h"
#include "chains/devnet/node.h"
#include "chains/devnet/privval.h"
#include "chains/devnet/rpc.h"
#include "common/encoding.h"
#include "common/hash.h"
#include "ibc/codec/commitment.h"
#include "ibc/codec/msg.h"
#include "ibc/core/paths.h"
#include "ibc/transfer/ics20.h"

#define FUNDS "1000000000stake"
#define TRUSTING_NS (14ull * 86400 * 1000000000ull)
#define UNBONDING_NS (21ull * 86400 * 1000000000ull)

struct chain {
	const char *id;
	char home[64];
	struct devnet_node *node;
	struct devnet_rpc rpc;
	struct devnet_faults faults;
	struct cosmos_key key;
	char addr[96];
	uint8_t addr20[20];
	uint64_t acc_num, seq;
	char client[IBC_ID_MAX + 1];	/* this chain's client of the other */
	struct ibc_height client_height;	/* its latest height */
	char conn[IBC_ID_MAX + 1];
	char chan[IBC_ID_MAX + 1];
};

static struct chain A = { .id = "deva-1" }, B = { .id = "devb-1" };
static int64_t clock_s = 1700000100;

/* ---- chains ---- */

static void write_home(struct chain *c, const char *seed, const uint8_t addr[20])
{
	struct px_err err = { 0 };
	struct devnet_key k[2];
	struct tm_pubkey pubs[2];
	struct tm_validator_set vs;
	struct devnet_genesis_params gp = { 0 };
	struct devnet_genesis_account acc = { .coins = FUNDS };
	char path[256];
	json_t *doc;

	snprintf(path, sizeof(path), "%s/config", c->home);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/config/keys", c->home);
	assert_int_equal(mkdir(path, 0700), 0);
	for (uint32_t i = 0; i < 2; i++) {
		assert_true(devnet_key_from_test_seed(&err, &k[i], seed, i));
		pubs[i] = k[i].pub;
		snprintf(path, sizeof(path), "%s/config/keys/validator_%u.json", c->home, i);
		assert_true(devnet_key_save(&err, &k[i], path));
		devnet_key_free(&k[i]);
	}
	assert_true(devnet_valset_from_keys(&err, &vs, pubs, 2, 10));
	memcpy(acc.address, addr, 20);
	gp.chain_id = c->id;
	gp.genesis_time = (struct px_time){ 1700000000, 0 };
	gp.initial_height = 1;
	gp.validators = &vs;
	gp.accounts = &acc;
	gp.n_accounts = 1;
	doc = devnet_genesis_to_json(&err, &gp);
	assert_non_null(doc);
	snprintf(path, sizeof(path), "%s/" DEVNET_GENESIS_FILE, c->home);
	assert_int_equal(json_dump_file(doc, path, JSON_INDENT(1)), 0);
	json_decref(doc);
	tm_validator_set_free(&vs);
}

static void produce(struct chain *c)
{
	struct px_err err = { 0 };

	if (!devnet_node_produce(&err, c->node, (struct px_time){ clock_s++, 0 }))
		fail_msg("produce %s: %s", c->id, err.msg);
}

static void chain_open(struct chain *c, const char *seed, uint8_t key_byte)
{
	struct px_err err = { 0 };
	struct devnet_account acc;
	struct app_cache cache;
	uint8_t priv[32];
	bool found;

	memset(priv, key_byte, sizeof(priv));
	assert_true(cosmos_key_from_bytes(&err, &c->key, priv));
	cosmos_pubkey_address(c->addr20, c->key.pub);
	assert_true(cosmos_address_encode(&err, c->addr, sizeof(c->addr), "cosmos", c->addr20, 20));
	snprintf(c->home, sizeof(c->home), "/tmp/px-ibc-pair-XXXXXX");
	assert_non_null(mkdtemp(c->home));
	write_home(c, seed, c->addr20);
	assert_true(devnet_node_open(&err, &c->node, c->home));
	assert_true(devnet_faults_init(&err, &c->faults));
	c->rpc.node = c->node;
	c->rpc.faults = &c->faults;
	snprintf(c->rpc.listen_addr, sizeof(c->rpc.listen_addr), "tcp://127.0.0.1:1");
	produce(c);
	app_cache_init(&cache, devnet_node_app(c->node), NULL, devnet_node_height(c->node));
	assert_true(app_account_get(&err, &cache, c->addr20, &acc, &found));
	assert_true(found);
	app_cache_free(&cache);
	c->acc_num = acc.number;
	c->seq = 0;
}

static void chain_close(struct chain *c)
{
	char cmd[128];

	devnet_node_close(c->node);
	devnet_faults_free(&c->faults);
	cosmos_key_wipe(&c->key);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", c->home);
	assert_int_equal(system(cmd), 0);
}

static uint64_t height_of(struct chain *c)
{
	return (uint64_t)devnet_node_height(c->node);
}

/* ---- reading a chain as a relayer does ---- */

static json_t *rpc(struct chain *c, const char *method, json_t *params)
{
	struct devnet_rpc_error e = { 0 };
	json_t *r = devnet_rpc_call(&c->rpc, &e, method, params);

	json_decref(params);
	if (!r)
		fail_msg("%s on %s: %d %s", method, c->id, e.code, e.data);
	return r;
}

static void valset_at(struct chain *c, struct tm_validator_set *out, uint64_t h)
{
	struct px_err err = { 0 };
	char hs[24];
	json_t *v;

	snprintf(hs, sizeof(hs), "%" PRIu64, h);
	v = rpc(c, "validators", json_pack("{s:s, s:s}", "height", hs, "per_page", "100"));
	if (!tm_validator_set_from_json(&err, out, v))
		fail_msg("validators: %s", err.msg);
	json_decref(v);
}

/* The signed header at h as the commit method serves it (fault switches
 * apply); tweak (optional) edits the JSON first. */
static void signed_header_at(struct chain *c, struct tm_signed_header *out, uint64_t h)
{
	struct px_err err = { 0 };
	char hs[24];
	json_t *r;

	snprintf(hs, sizeof(hs), "%" PRIu64, h);
	r = rpc(c, "commit", json_pack("{s:s}", "height", hs));
	if (!tm_signed_header_from_json(&err, out, json_object_get(r, "signed_header")))
		fail_msg("commit: %s", err.msg);
	json_decref(r);
}

enum forge { FORGE_NONE, FORGE_BAD_SIG, FORGE_LOW_POWER };

/* Any{Header} of src at h for a client whose latest height is trusted. */
static void header_any(struct px_buf *out, struct chain *src, uint64_t h, struct ibc_height trusted,
		       enum forge forge)
{
	struct px_err err = { 0 };
	struct ibc_msg m = { .kind = IBC_MSG_TM_HEADER };
	struct ibc_tm_header *hd = &m.u.tm_header;

	signed_header_at(src, &hd->signed_header.sh, h);
	valset_at(src, &hd->validator_set.set, h);
	valset_at(src, &hd->trusted_validators.set, trusted.revision_height + 1);
	if (forge == FORGE_BAD_SIG)
		hd->signed_header.sh.commit.sigs[0].signature[7] ^= 0x40;
	if (forge == FORGE_LOW_POWER) {
		/* one of the two validators' signatures left out */
		struct tm_commit_sig *s = &hd->signed_header.sh.commit.sigs[1];

		s->flag = TM_FLAG_ABSENT;
		memset(s->validator_address, 0, sizeof(s->validator_address));
		memset(s->signature, 0, sizeof(s->signature));
		s->signature_len = 0;
		s->timestamp = (struct px_time){ 0 };
	}
	hd->has_signed_header = hd->signed_header.has_header = hd->signed_header.has_commit = true;
	hd->has_validator_set = hd->has_trusted_validators = true;
	hd->validator_set.total_voting_power = hd->validator_set.set.total_power;
	hd->trusted_validators.total_voting_power = hd->trusted_validators.set.total_power;
	hd->trusted_height = trusted;
	assert_true(ibc_msg_encode_any(&err, out, &m));
	tm_signed_header_free(&hd->signed_header.sh);
	tm_validator_set_free(&hd->validator_set.set);
	tm_validator_set_free(&hd->trusted_validators.set);
}

/* The proof of key in src's ibc store at version v (an IBC MerkleProof),
 * and whether the key exists there. */
static bool prove(struct px_buf *out, struct chain *src, const char *key, uint64_t v)
{
	struct px_err err = { 0 };
	struct devnet_query q;
	struct ibc_merkle_proofs mp = { 0 };
	bool exists;

	if (!devnet_multi_query(&err, &q, devnet_node_multi(src->node), "ibc", (const uint8_t *)key,
				strlen(key), (int64_t)v, true))
		fail_msg("query %s: %s", key, err.msg);
	mp.proofs[0] = px_slice_of(&q.iavl_proof);
	mp.proofs[1] = px_slice_of(&q.simple_proof);
	mp.len = 2;
	out->len = 0;
	assert_true(ibc_merkle_proofs_encode(&err, out, &mp));
	exists = q.exists;
	devnet_query_free(&q);
	return exists;
}

/* ---- submitting ---- */

static const char *str_or_empty(const json_t *v)
{
	const char *s = json_string_value(v);

	return s ? s : "";
}

struct result {
	uint32_t code;
	char codespace[32];
	char log[512];
	json_t *events;
};

static void result_free(struct result *r)
{
	json_decref(r->events);
	memset(r, 0, sizeof(*r));
}

/* Signs msgs (Any values with their URLs) into one transaction on c,
 * includes it in the next block and returns its DeliverTx result. */
static void submit(struct result *out, struct chain *c, const char *const *urls,
		   const struct px_buf *vals, size_t n)
{
	struct px_err err = { 0 };
	struct cosmos_any any[8];
	struct cosmos_coin fee = { cosmos_str("stake"), cosmos_str("2000") };
	struct cosmos_tx_params tp = { 0 };
	struct devnet_tx_result res;
	struct px_buf tx = PX_BUF_INIT;
	uint8_t hash[TM_HASH_LEN];
	json_t *t, *tr;

	assert_true(n <= 8);
	for (size_t i = 0; i < n; i++) {
		any[i].type_url = cosmos_str(urls[i]);
		any[i].value = px_slice_of(&vals[i]);
	}
	tp.messages = any;
	tp.n_messages = n;
	tp.fee = &fee;
	tp.n_fee = 1;
	tp.gas_limit = 2000000;
	tp.chain_id = cosmos_str(c->id);
	tp.account_number = c->acc_num;
	tp.sequence = c->seq;
	assert_true(cosmos_tx_sign_direct(&err, &tx, NULL, &c->key, &tp));
	if (!devnet_node_broadcast(&err, c->node, &res, hash, tx.data, tx.len))
		fail_msg("broadcast: %s", err.msg);
	memset(out, 0, sizeof(*out));
	if (res.code) {	/* refused by CheckTx */
		out->code = res.code;
		snprintf(out->codespace, sizeof(out->codespace), "%s", res.codespace);
		snprintf(out->log, sizeof(out->log), "%s", res.log);
		devnet_tx_result_free(&res);
		px_buf_free(&tx);
		return;
	}
	devnet_tx_result_free(&res);
	c->seq++;
	produce(c);
	assert_true(devnet_node_tx(&err, c->node, &t, hash));
	assert_non_null(t);
	tr = json_object_get(t, "tx_result");
	out->code = (uint32_t)json_integer_value(json_object_get(tr, "code"));
	snprintf(out->codespace, sizeof(out->codespace), "%s",
		 str_or_empty(json_object_get(tr, "codespace")));
	snprintf(out->log, sizeof(out->log), "%s", str_or_empty(json_object_get(tr, "log")));
	out->events = json_incref(json_object_get(tr, "events"));
	json_decref(t);
	px_buf_free(&tx);
}

static void submit1(struct result *out, struct chain *c, const char *url, const struct px_buf *v)
{
	submit(out, c, &url, v, 1);
}

static void expect_ok(struct result *r, const char *what)
{
	if (r->code)
		fail_msg("%s refused: %s %u: %s", what, r->codespace, r->code, r->log);
}

/* The value of attribute key of the first event of type, or NULL. */
static const char *attr(const struct result *r, const char *type, const char *key)
{
	size_t i, j;
	json_t *ev, *a;

	json_array_foreach(r->events, i, ev) {
		if (strcmp(str_or_empty(json_object_get(ev, "type")), type) != 0)
			continue;
		json_array_foreach(json_object_get(ev, "attributes"), j, a) {
			if (strcmp(str_or_empty(json_object_get(a, "key")), key) == 0)
				return json_string_value(json_object_get(a, "value"));
		}
	}
	return NULL;
}

/* ---- IBC steps ---- */

static void encode(struct px_buf *out, struct ibc_msg *m)
{
	struct px_err err = { 0 };

	out->len = 0;
	if (!ibc_msg_encode(&err, out, m))
		fail_msg("encode %s: %s", ibc_msg_kind_name(m->kind), err.msg);
}

/* MsgCreateClient on dst for src at src's latest height. */
static void create_client(struct chain *dst, struct chain *src)
{
	struct px_err err = { 0 };
	struct ibc_msg cs = { .kind = IBC_MSG_TM_CLIENT_STATE };
	struct ibc_msg cons = { .kind = IBC_MSG_TM_CONSENSUS_STATE };
	struct ibc_msg m = { .kind = IBC_MSG_CREATE_CLIENT };
	struct px_buf csb = PX_BUF_INIT, consb = PX_BUF_INIT, mb = PX_BUF_INIT;
	struct tm_signed_header sh;
	struct ibc_tm_client_state *s = &cs.u.tm_client_state;
	struct ibc_tm_consensus_state *c = &cons.u.tm_consensus_state;
	struct result r;
	uint64_t h = height_of(src);

	signed_header_at(src, &sh, h);
	snprintf(s->chain_id, sizeof(s->chain_id), "%s", src->id);
	s->trust_level = (struct ibc_fraction){ 1, 3 };
	s->trusting_period = TRUSTING_NS;
	s->unbonding_period = UNBONDING_NS;
	s->max_clock_drift = 10000000000ull;
	s->latest_height = (struct ibc_height){ 1, h };
	s->proof_specs[0] = "iavl";
	s->proof_specs[1] = "tendermint";
	s->proof_specs_len = 2;
	snprintf(s->upgrade_path[0], sizeof(s->upgrade_path[0]), "upgrade");
	snprintf(s->upgrade_path[1], sizeof(s->upgrade_path[1]), "upgradedIBCState");
	s->upgrade_path_len = 2;
	c->timestamp = sh.header.time;
	c->root_len = sh.header.app_hash.len;
	memcpy(c->root, sh.header.app_hash.b, c->root_len);
	memcpy(c->next_validators_hash, sh.header.next_validators_hash.b, 32);
	tm_signed_header_free(&sh);
	assert_true(ibc_msg_encode_any(&err, &csb, &cs));
	assert_true(ibc_msg_encode_any(&err, &consb, &cons));
	assert_true(ibc_msg_decode_any(&err, &cs, csb.data, csb.len));
	assert_true(ibc_msg_decode_any(&err, &cons, consb.data, consb.len));
	m.u.create_client.has_client_state = m.u.create_client.has_consensus_state = true;
	m.u.create_client.client_state = cs.any;
	m.u.create_client.consensus_state = cons.any;
	m.u.create_client.signer = cosmos_str(dst->addr);
	encode(&mb, &m);
	submit1(&r, dst, IBC_URL_MSG_CREATE_CLIENT, &mb);
	expect_ok(&r, "MsgCreateClient");
	assert_non_null(attr(&r, "create_client", "client_id"));
	snprintf(dst->client, sizeof(dst->client), "%s", attr(&r, "create_client", "client_id"));
	dst->client_height = s->latest_height;
	result_free(&r);
	px_buf_free(&csb);
	px_buf_free(&consb);
	px_buf_free(&mb);
}

/* MsgUpdateClient of dst's client to src's height h (encoded into out). */
static void update_msg(struct px_buf *out, struct chain *dst, struct chain *src, uint64_t h,
		       enum forge forge)
{
	struct ibc_msg m = { .kind = IBC_MSG_UPDATE_CLIENT };
	struct ibc_msg hm;
	struct px_buf any = PX_BUF_INIT;
	struct px_err err = { 0 };

	header_any(&any, src, h, dst->client_height, forge);
	assert_true(ibc_msg_decode_any(&err, &hm, any.data, any.len));
	snprintf(m.u.update_client.client_id, sizeof(m.u.update_client.client_id), "%s",
		 dst->client);
	m.u.update_client.has_client_message = true;
	m.u.update_client.client_message = hm.any;
	m.u.update_client.signer = cosmos_str(dst->addr);
	encode(out, &m);
	ibc_msg_free(&hm);
	px_buf_free(&any);
}

/* Makes src's state at its current height provable on dst: one more
 * block on src (whose header carries the app hash), dst's client updated
 * to it. Returns the store version to prove at; the proof height is
 * version + 1. */
static uint64_t sync_client(struct chain *dst, struct chain *src)
{
	struct px_buf mb = PX_BUF_INIT;
	struct result r;
	uint64_t v = height_of(src);

	produce(src);
	update_msg(&mb, dst, src, v + 1, FORGE_NONE);
	submit1(&r, dst, IBC_URL_MSG_UPDATE_CLIENT, &mb);
	expect_ok(&r, "MsgUpdateClient");
	dst->client_height = (struct ibc_height){ 1, v + 1 };
	result_free(&r);
	px_buf_free(&mb);
	return v;
}

static struct ibc_height ph(uint64_t v)
{
	return (struct ibc_height){ 1, v + 1 };
}

static void open_connection(void)
{
	struct ibc_msg m;
	struct px_buf mb = PX_BUF_INIT, proof = PX_BUF_INIT;
	struct result r;
	uint64_t v;

	memset(&m, 0, sizeof(m));
	m.kind = IBC_MSG_CONNECTION_OPEN_INIT;
	snprintf(m.u.connection_open_init.client_id, IBC_ID_MAX + 1, "%s", A.client);
	snprintf(m.u.connection_open_init.counterparty.client_id, IBC_ID_MAX + 1, "%s", B.client);
	m.u.connection_open_init.counterparty.prefix = cosmos_str("ibc");
	m.u.connection_open_init.signer = cosmos_str(A.addr);
	encode(&mb, &m);
	submit1(&r, &A, IBC_URL_MSG_CONNECTION_OPEN_INIT, &mb);
	expect_ok(&r, "ConnOpenInit");
	snprintf(A.conn, sizeof(A.conn), "%s", attr(&r, "connection_open_init", "connection_id"));
	result_free(&r);

	v = sync_client(&B, &A);
	assert_true(prove(&proof, &A, "connections/connection-0", v));
	memset(&m, 0, sizeof(m));
	m.kind = IBC_MSG_CONNECTION_OPEN_TRY;
	snprintf(m.u.connection_open_try.client_id, IBC_ID_MAX + 1, "%s", B.client);
	snprintf(m.u.connection_open_try.counterparty.client_id, IBC_ID_MAX + 1, "%s", A.client);
	snprintf(m.u.connection_open_try.counterparty.connection_id, IBC_ID_MAX + 1, "%s", A.conn);
	m.u.connection_open_try.counterparty.prefix = cosmos_str("ibc");
	snprintf(m.u.connection_open_try.counterparty_versions[0].identifier, IBC_ID_MAX + 1, "1");
	snprintf(m.u.connection_open_try.counterparty_versions[0].features[0], IBC_ID_MAX,
		 "ORDER_ORDERED");
	snprintf(m.u.connection_open_try.counterparty_versions[0].features[1], IBC_ID_MAX,
		 "ORDER_UNORDERED");
	m.u.connection_open_try.counterparty_versions[0].features_len = 2;
	m.u.connection_open_try.counterparty_versions_len = 1;
	m.u.connection_open_try.proof_init = px_slice_of(&proof);
	m.u.connection_open_try.proof_height = ph(v);
	m.u.connection_open_try.signer = cosmos_str(B.addr);
	encode(&mb, &m);
	submit1(&r, &B, IBC_URL_MSG_CONNECTION_OPEN_TRY, &mb);
	expect_ok(&r, "ConnOpenTry");
	snprintf(B.conn, sizeof(B.conn), "%s", attr(&r, "connection_open_try", "connection_id"));
	result_free(&r);

	v = sync_client(&A, &B);
	assert_true(prove(&proof, &B, "connections/connection-0", v));
	memset(&m, 0, sizeof(m));
	m.kind = IBC_MSG_CONNECTION_OPEN_ACK;
	snprintf(m.u.connection_open_ack.connection_id, IBC_ID_MAX + 1, "%s", A.conn);
	snprintf(m.u.connection_open_ack.counterparty_connection_id, IBC_ID_MAX + 1, "%s", B.conn);
	m.u.connection_open_ack.has_version = true;
	snprintf(m.u.connection_open_ack.version.identifier, IBC_ID_MAX + 1, "1");
	snprintf(m.u.connection_open_ack.version.features[0], IBC_ID_MAX + 1, "ORDER_ORDERED");
	snprintf(m.u.connection_open_ack.version.features[1], IBC_ID_MAX + 1, "ORDER_UNORDERED");
	m.u.connection_open_ack.version.features_len = 2;
	m.u.connection_open_ack.proof_try = px_slice_of(&proof);
	m.u.connection_open_ack.proof_height = ph(v);
	m.u.connection_open_ack.signer = cosmos_str(A.addr);
	encode(&mb, &m);
	submit1(&r, &A, IBC_URL_MSG_CONNECTION_OPEN_ACK, &mb);
	expect_ok(&r, "ConnOpenAck");
	result_free(&r);

	v = sync_client(&B, &A);
	assert_true(prove(&proof, &A, "connections/connection-0", v));
	memset(&m, 0, sizeof(m));
	m.kind = IBC_MSG_CONNECTION_OPEN_CONFIRM;
	snprintf(m.u.connection_open_confirm.connection_id, IBC_ID_MAX + 1, "%s", B.conn);
	m.u.connection_open_confirm.proof_ack = px_slice_of(&proof);
	m.u.connection_open_confirm.proof_height = ph(v);
	m.u.connection_open_confirm.signer = cosmos_str(B.addr);
	encode(&mb, &m);
	submit1(&r, &B, IBC_URL_MSG_CONNECTION_OPEN_CONFIRM, &mb);
	expect_ok(&r, "ConnOpenConfirm");
	assert_string_equal(attr(&r, "connection_open_confirm", "counterparty_connection_id"),
			    A.conn);
	result_free(&r);
	px_buf_free(&mb);
	px_buf_free(&proof);
}

static void chan_end(struct ibc_channel *c, enum ibc_channel_state st, const char *cp_chan,
		     const char *conn)
{
	memset(c, 0, sizeof(*c));
	c->state = st;
	c->ordering = IBC_ORDER_UNORDERED;
	snprintf(c->counterparty.port_id, IBC_ID_MAX + 1, "transfer");
	snprintf(c->counterparty.channel_id, IBC_ID_MAX + 1, "%s", cp_chan);
	snprintf(c->connection_hops[0], IBC_ID_MAX + 1, "%s", conn);
	c->connection_hops_len = 1;
	snprintf(c->version, IBC_ID_MAX + 1, "ics20-1");
}

static void open_channel(void)
{
	struct ibc_msg m;
	struct px_buf mb = PX_BUF_INIT, proof = PX_BUF_INIT;
	struct result r;
	char key[512];
	uint64_t v;

	memset(&m, 0, sizeof(m));
	m.kind = IBC_MSG_CHANNEL_OPEN_INIT;
	snprintf(m.u.channel_open_init.port_id, IBC_ID_MAX + 1, "transfer");
	chan_end(&m.u.channel_open_init.channel, IBC_CHAN_INIT, "", A.conn);
	m.u.channel_open_init.signer = cosmos_str(A.addr);
	encode(&mb, &m);
	submit1(&r, &A, IBC_URL_MSG_CHANNEL_OPEN_INIT, &mb);
	expect_ok(&r, "ChanOpenInit");
	snprintf(A.chan, sizeof(A.chan), "%s", attr(&r, "channel_open_init", "channel_id"));
	assert_string_equal(attr(&r, "channel_open_init", "version"), "ics20-1");
	result_free(&r);

	v = sync_client(&B, &A);
	snprintf(key, sizeof(key), "channelEnds/ports/transfer/channels/%s", A.chan);
	assert_true(prove(&proof, &A, key, v));
	memset(&m, 0, sizeof(m));
	m.kind = IBC_MSG_CHANNEL_OPEN_TRY;
	snprintf(m.u.channel_open_try.port_id, IBC_ID_MAX + 1, "transfer");
	chan_end(&m.u.channel_open_try.channel, IBC_CHAN_TRYOPEN, A.chan, B.conn);
	m.u.channel_open_try.counterparty_version = cosmos_str("ics20-1");
	m.u.channel_open_try.proof_init = px_slice_of(&proof);
	m.u.channel_open_try.proof_height = ph(v);
	m.u.channel_open_try.signer = cosmos_str(B.addr);
	encode(&mb, &m);
	submit1(&r, &B, IBC_URL_MSG_CHANNEL_OPEN_TRY, &mb);
	expect_ok(&r, "ChanOpenTry");
	snprintf(B.chan, sizeof(B.chan), "%s", attr(&r, "channel_open_try", "channel_id"));
	result_free(&r);

	v = sync_client(&A, &B);
	snprintf(key, sizeof(key), "channelEnds/ports/transfer/channels/%s", B.chan);
	assert_true(prove(&proof, &B, key, v));
	memset(&m, 0, sizeof(m));
	m.kind = IBC_MSG_CHANNEL_OPEN_ACK;
	snprintf(m.u.channel_open_ack.port_id, IBC_ID_MAX + 1, "transfer");
	snprintf(m.u.channel_open_ack.channel_id, IBC_ID_MAX + 1, "%s", A.chan);
	snprintf(m.u.channel_open_ack.counterparty_channel_id, IBC_ID_MAX + 1, "%s", B.chan);
	m.u.channel_open_ack.counterparty_version = cosmos_str("ics20-1");
	m.u.channel_open_ack.proof_try = px_slice_of(&proof);
	m.u.channel_open_ack.proof_height = ph(v);
	m.u.channel_open_ack.signer = cosmos_str(A.addr);
	encode(&mb, &m);
	submit1(&r, &A, IBC_URL_MSG_CHANNEL_OPEN_ACK, &mb);
	expect_ok(&r, "ChanOpenAck");
	result_free(&r);

	v = sync_client(&B, &A);
	snprintf(key, sizeof(key), "channelEnds/ports/transfer/channels/%s", A.chan);
	assert_true(prove(&proof, &A, key, v));
	memset(&m, 0, sizeof(m));
	m.kind = IBC_MSG_CHANNEL_OPEN_CONFIRM;
	snprintf(m.u.channel_open_confirm.port_id, IBC_ID_MAX + 1, "transfer");
	snprintf(m.u.channel_open_confirm.channel_id, IBC_ID_MAX + 1, "%s", B.chan);
	m.u.channel_open_confirm.proof_ack = px_slice_of(&proof);
	m.u.channel_open_confirm.proof_height = ph(v);
	m.u.channel_open_confirm.signer = cosmos_str(B.addr);
	encode(&mb, &m);
	submit1(&r, &B, IBC_URL_MSG_CHANNEL_OPEN_CONFIRM, &mb);
	expect_ok(&r, "ChanOpenConfirm");
	result_free(&r);
	px_buf_free(&mb);
	px_buf_free(&proof);
}

/* A packet as its send_packet event describes it (data owned by hold). */
static void packet_from(struct ibc_packet *p, struct px_buf *hold, const struct result *r)
{
	struct px_err err = { 0 };
	const char *th = attr(r, "send_packet", "packet_timeout_height");

	memset(p, 0, sizeof(*p));
	assert_non_null(th);
	p->sequence = strtoull(attr(r, "send_packet", "packet_sequence"), NULL, 10);
	snprintf(p->source_port, IBC_ID_MAX + 1, "%s", attr(r, "send_packet", "packet_src_port"));
	snprintf(p->source_channel, IBC_ID_MAX + 1, "%s", attr(r, "send_packet", "packet_src_channel"));
	snprintf(p->destination_port, IBC_ID_MAX + 1, "%s", attr(r, "send_packet", "packet_dst_port"));
	snprintf(p->destination_channel, IBC_ID_MAX + 1, "%s",
		 attr(r, "send_packet", "packet_dst_channel"));
	p->timeout_height.revision_number = strtoull(th, NULL, 10);
	p->timeout_height.revision_height = strtoull(strchr(th, '-') + 1, NULL, 10);
	p->timeout_timestamp = strtoull(attr(r, "send_packet", "packet_timeout_timestamp"), NULL,
					10);
	hold->len = 0;
	assert_true(px_hex_decode(&err, hold, attr(r, "send_packet", "packet_data_hex"),
				  strlen(attr(r, "send_packet", "packet_data_hex")), false));
	p->data = px_slice_of(hold);
}

/* When set, the receiver of the next transfers instead of the other
 * chain's account. */
static const char *receiver_override;

static void transfer(struct ibc_packet *pkt, struct px_buf *hold, struct chain *src,
		     struct chain *dst, const char *denom, const char *amount,
		     uint64_t timeout_height)
{
	struct ibc_msg m;
	struct px_buf mb = PX_BUF_INIT;
	struct result r;

	memset(&m, 0, sizeof(m));
	m.kind = IBC_MSG_TRANSFER;
	snprintf(m.u.transfer.source_port, IBC_ID_MAX + 1, "transfer");
	snprintf(m.u.transfer.source_channel, IBC_ID_MAX + 1, "%s", src->chan);
	m.u.transfer.token.denom = cosmos_str(denom);
	m.u.transfer.token.amount = cosmos_str(amount);
	m.u.transfer.sender = cosmos_str(src->addr);
	m.u.transfer.receiver = cosmos_str(receiver_override ? receiver_override : dst->addr);
	m.u.transfer.timeout_height = (struct ibc_height){ 1, timeout_height };
	encode(&mb, &m);
	submit1(&r, src, IBC_URL_MSG_TRANSFER, &mb);
	expect_ok(&r, "MsgTransfer");
	packet_from(pkt, hold, &r);
	assert_non_null(attr(&r, "ibc_transfer", "sender"));
	result_free(&r);
	px_buf_free(&mb);
}

static void recv_msg(struct px_buf *out, struct chain *dst, const struct ibc_packet *pkt,
		     const struct px_buf *proof, struct ibc_height proof_height)
{
	struct ibc_msg m;

	memset(&m, 0, sizeof(m));
	m.kind = IBC_MSG_RECV_PACKET;
	m.u.recv_packet.packet = *pkt;
	m.u.recv_packet.proof_commitment = px_slice_of(proof);
	m.u.recv_packet.proof_height = proof_height;
	m.u.recv_packet.signer = cosmos_str(dst->addr);
	encode(out, &m);
}

static void commitment_key(char *key, size_t cap, const struct ibc_packet *p, const char *what)
{
	snprintf(key, cap, "%s/ports/%s/channels/%s/sequences/%" PRIu64, what,
		 strcmp(what, "commitments") == 0 ? p->source_port : p->destination_port,
		 strcmp(what, "commitments") == 0 ? p->source_channel : p->destination_channel,
		 p->sequence);
}

/* Relays pkt src -> dst and its ack back; returns the ack. */
static void relay(struct chain *src, struct chain *dst, const struct ibc_packet *pkt,
		  struct px_buf *ack)
{
	struct px_buf mb = PX_BUF_INIT, proof = PX_BUF_INIT;
	struct px_err err = { 0 };
	struct ibc_msg m;
	struct result r;
	char key[512];
	uint64_t v;

	v = sync_client(dst, src);
	commitment_key(key, sizeof(key), pkt, "commitments");
	assert_true(prove(&proof, src, key, v));
	recv_msg(&mb, dst, pkt, &proof, ph(v));
	submit1(&r, dst, IBC_URL_MSG_RECV_PACKET, &mb);
	expect_ok(&r, "MsgRecvPacket");
	assert_non_null(attr(&r, "recv_packet", "packet_sequence"));
	ack->len = 0;
	assert_true(px_hex_decode(&err, ack, attr(&r, "write_acknowledgement", "packet_ack_hex"),
				  strlen(attr(&r, "write_acknowledgement", "packet_ack_hex")),
				  false));
	result_free(&r);

	v = sync_client(src, dst);
	commitment_key(key, sizeof(key), pkt, "acks");
	assert_true(prove(&proof, dst, key, v));
	memset(&m, 0, sizeof(m));
	m.kind = IBC_MSG_ACKNOWLEDGEMENT;
	m.u.acknowledgement.packet = *pkt;
	m.u.acknowledgement.acknowledgement = px_slice_of(ack);
	m.u.acknowledgement.proof_acked = px_slice_of(&proof);
	m.u.acknowledgement.proof_height = ph(v);
	m.u.acknowledgement.signer = cosmos_str(src->addr);
	encode(&mb, &m);
	submit1(&r, src, IBC_URL_MSG_ACKNOWLEDGEMENT, &mb);
	expect_ok(&r, "MsgAcknowledgement");
	assert_non_null(attr(&r, "acknowledge_packet", "packet_sequence"));
	result_free(&r);
	px_buf_free(&mb);
	px_buf_free(&proof);
}

static uint64_t balance(struct chain *c, const char *addr_s, const char *denom)
{
	struct px_err err = { 0 };
	uint8_t addr[20];
	size_t n = 0;
	devnet_u128 v = 0;

	assert_true(cosmos_address_decode(&err, addr, 20, &n, "cosmos", addr_s, strlen(addr_s)));
	assert_true(devnet_app_balance(&err, &v, devnet_node_app(c->node), 0, addr, denom));
	return (uint64_t)v;
}

static void escrow_of(char out[96], const char *channel)
{
	struct px_err err = { 0 };
	uint8_t pre[64], d[32];
	int n = snprintf((char *)pre, sizeof(pre), "ics20-1%ctransfer/%s", 0, channel);

	px_sha256(d, pre, (size_t)n);
	assert_true(cosmos_address_encode(&err, out, 96, "cosmos", d, 20));
}

/* ---- the test ---- */

static int setup(void **state)
{
	(void)state;
	chain_open(&A, "pair-a", 0x21);
	chain_open(&B, "pair-b", 0x22);
	produce(&A);
	produce(&B);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	chain_close(&A);
	chain_close(&B);
	return 0;
}

static char voucher_b[IBC_DENOM_HASH_LEN + 1];

static void test_handshakes_and_transfers(void **state)
{
	struct ibc_packet pkt;
	struct px_buf hold = PX_BUF_INIT, ack = PX_BUF_INIT;
	char escrow_a[96];
	uint64_t a0, a1;

	(void)state;
	create_client(&B, &A);
	create_client(&A, &B);
	assert_string_equal(A.client, "07-tendermint-0");
	open_connection();
	open_channel();
	assert_string_equal(A.chan, "channel-0");
	assert_string_equal(B.chan, "channel-0");

	/* A -> B: 1000 stake escrowed on A, a voucher minted on B */
	a0 = balance(&A, A.addr, "stake");
	transfer(&pkt, &hold, &A, &B, "stake", "1000", height_of(&B) + 1000);
	relay(&A, &B, &pkt, &ack);
	assert_memory_equal(ack.data, IBC_ICS20_ACK_SUCCESS, ack.len);
	ibc_denom_hash(voucher_b, "transfer/channel-0", 18, "stake", 5);
	assert_int_equal(balance(&B, B.addr, voucher_b), 1000);
	escrow_of(escrow_a, A.chan);
	assert_int_equal(balance(&A, escrow_a, "stake"), 1000);
	a1 = balance(&A, A.addr, "stake");
	assert_true(a0 - a1 >= 1000);

	/* B -> A: 400 of the voucher burned on B, unescrowed on A */
	transfer(&pkt, &hold, &B, &A, voucher_b, "400", height_of(&A) + 1000);
	relay(&B, &A, &pkt, &ack);
	assert_memory_equal(ack.data, IBC_ICS20_ACK_SUCCESS, ack.len);
	assert_int_equal(balance(&B, B.addr, voucher_b), 600);
	assert_int_equal(balance(&A, escrow_a, "stake"), 600);
	/* A paid the fees of two transactions: the client update and the receipt */
	assert_int_equal(balance(&A, A.addr, "stake"), a1 - 2000 * 2 + 400);

	/* B's own stake -> A: a voucher of B's stake on A */
	{
		char voucher_a[IBC_DENOM_HASH_LEN + 1];

		transfer(&pkt, &hold, &B, &A, "stake", "77", height_of(&A) + 1000);
		relay(&B, &A, &pkt, &ack);
		ibc_denom_hash(voucher_a, "transfer/channel-0", 18, "stake", 5);
		assert_int_equal(balance(&A, A.addr, voucher_a), 77);
	}
	px_buf_free(&hold);
	px_buf_free(&ack);
}

/* A receiver the destination cannot credit: the packet is received with
 * an error acknowledgement, nothing is minted, and the acknowledgement
 * refunds the sender on the source. */
static void test_error_ack_refunds(void **state)
{
	struct ibc_packet pkt;
	struct px_buf hold = PX_BUF_INIT, ack = PX_BUF_INIT;
	char escrow_a[96];
	uint64_t a0, e0;

	(void)state;
	escrow_of(escrow_a, A.chan);
	a0 = balance(&A, A.addr, "stake");
	e0 = balance(&A, escrow_a, "stake");
	receiver_override = "cosmos1qqqqnotanaddress";
	transfer(&pkt, &hold, &A, &B, "stake", "11", height_of(&B) + 1000);
	receiver_override = NULL;
	assert_int_equal(balance(&A, escrow_a, "stake"), e0 + 11);
	relay(&A, &B, &pkt, &ack);
	assert_true(ack.len > 10 && memcmp(ack.data, "{\"error\":", 9) == 0);
	/* refunded: only the fees of the transfer, the client update and the
	 * acknowledgement are gone */
	assert_int_equal(balance(&A, escrow_a, "stake"), e0);
	assert_int_equal(balance(&A, A.addr, "stake"), a0 - 3 * 2000);
	px_buf_free(&hold);
	px_buf_free(&ack);
}

static void expect_refused(struct result *r, const char *space, uint32_t code, const char *in_log)
{
	if (r->code != code || strcmp(r->codespace, space) != 0 || !strstr(r->log, in_log))
		fail_msg("want %s %u with '%s', got %s %u: %s", space, code, in_log, r->codespace,
			 r->code, r->log);
}

static void test_forged_headers(void **state)
{
	struct px_buf mb = PX_BUF_INIT;
	struct result r;
	uint64_t h;

	(void)state;
	produce(&A);
	h = height_of(&A);

	update_msg(&mb, &B, &A, h, FORGE_BAD_SIG);
	submit1(&r, &B, IBC_URL_MSG_UPDATE_CLIENT, &mb);
	expect_refused(&r, "client", 12, "pontifex code 329");
	result_free(&r);

	update_msg(&mb, &B, &A, h, FORGE_LOW_POWER);
	submit1(&r, &B, IBC_URL_MSG_UPDATE_CLIENT, &mb);
	expect_refused(&r, "client", 12, "pontifex code 330");
	result_free(&r);

	/* the same validators sign a header of another chain id */
	{
		struct px_err err = { 0 };
		size_t nk;
		const struct devnet_key *keys = devnet_node_keys(A.node, &nk);
		struct ibc_msg m = { .kind = IBC_MSG_UPDATE_CLIENT }, hm = { .kind = IBC_MSG_TM_HEADER };
		struct ibc_tm_header *hd = &hm.u.tm_header;
		struct px_buf any = PX_BUF_INIT;
		char hs[24];
		json_t *c, *sh;

		snprintf(hs, sizeof(hs), "%" PRIu64, h);
		c = rpc(&A, "commit", json_pack("{s:s}", "height", hs));
		sh = json_object_get(c, "signed_header");
		json_object_set_new(json_object_get(sh, "header"), "chain_id", json_string("devx-1"));
		assert_true(devnet_faults_resign(&err, &A.faults, json_object_get(sh, "header"),
						 json_object_get(sh, "commit"), "devx-1", keys, nk,
						 false));
		assert_true(tm_signed_header_from_json(&err, &hd->signed_header.sh, sh));
		json_decref(c);
		valset_at(&A, &hd->validator_set.set, h);
		valset_at(&A, &hd->trusted_validators.set, B.client_height.revision_height + 1);
		hd->has_signed_header = hd->signed_header.has_header = true;
		hd->signed_header.has_commit = hd->has_validator_set = true;
		hd->has_trusted_validators = true;
		hd->trusted_height = B.client_height;
		assert_true(ibc_msg_encode_any(&err, &any, &hm));
		tm_signed_header_free(&hd->signed_header.sh);
		tm_validator_set_free(&hd->validator_set.set);
		tm_validator_set_free(&hd->trusted_validators.set);
		assert_true(ibc_msg_decode_any(&err, &hm, any.data, any.len));
		snprintf(m.u.update_client.client_id, IBC_ID_MAX + 1, "%s", B.client);
		m.u.update_client.has_client_message = true;
		m.u.update_client.client_message = hm.any;
		m.u.update_client.signer = cosmos_str(B.addr);
		encode(&mb, &m);
		ibc_msg_free(&hm);
		px_buf_free(&any);
		submit1(&r, &B, IBC_URL_MSG_UPDATE_CLIENT, &mb);
		expect_refused(&r, "client", 12, "pontifex code 322");
		result_free(&r);
	}

	/* the genuine header still goes in */
	update_msg(&mb, &B, &A, h, FORGE_NONE);
	submit1(&r, &B, IBC_URL_MSG_UPDATE_CLIENT, &mb);
	expect_ok(&r, "genuine MsgUpdateClient");
	B.client_height = (struct ibc_height){ 1, h };
	result_free(&r);
	px_buf_free(&mb);
}

static void test_forged_packets(void **state)
{
	struct ibc_packet pkt;
	struct px_buf hold = PX_BUF_INIT, proof = PX_BUF_INIT, mb = PX_BUF_INIT, ack = PX_BUF_INIT;
	struct result r;
	char key[512];
	uint64_t v, before;
	const char *urls[2] = { IBC_URL_MSG_RECV_PACKET, IBC_URL_MSG_RECV_PACKET };

	(void)state;
	transfer(&pkt, &hold, &A, &B, "stake", "5", height_of(&B) + 1000);
	v = sync_client(&B, &A);
	commitment_key(key, sizeof(key), &pkt, "commitments");
	assert_true(prove(&proof, &A, key, v));

	/* one byte of the proof changed (inside the IAVL leaf's value hash
	 * region, far from the framing) */
	proof.data[proof.len / 3] ^= 0x01;
	recv_msg(&mb, &B, &pkt, &proof, ph(v));
	submit1(&r, &B, IBC_URL_MSG_RECV_PACKET, &mb);
	if (r.code == 0)
		fail_msg("a changed proof byte was accepted");
	assert_non_null(strstr(r.log, "pontifex code"));
	result_free(&r);
	proof.data[proof.len / 3] ^= 0x01;

	/* the right proof at a height it was not made at: the client holds a
	 * consensus state at v (the state before), whose root differs */
	recv_msg(&mb, &B, &pkt, &proof, (struct ibc_height){ 1, B.client_height.revision_height - 1 });
	submit1(&r, &B, IBC_URL_MSG_RECV_PACKET, &mb);
	if (r.code == 0)
		fail_msg("a proof at the wrong height was accepted");
	assert_non_null(strstr(r.log, "pontifex code"));
	result_free(&r);

	/* genuine, then replayed (alone and twice in one transaction): the
	 * replay is a no-op and mints nothing more */
	before = balance(&B, B.addr, voucher_b);
	recv_msg(&mb, &B, &pkt, &proof, ph(v));
	submit1(&r, &B, IBC_URL_MSG_RECV_PACKET, &mb);
	expect_ok(&r, "MsgRecvPacket");
	result_free(&r);
	assert_int_equal(balance(&B, B.addr, voucher_b), before + 5);
	{
		struct px_buf two[2] = { mb, mb };

		submit(&r, &B, urls, two, 2);
		expect_ok(&r, "replayed MsgRecvPacket");
		assert_null(attr(&r, "recv_packet", "packet_sequence"));
		result_free(&r);
	}
	assert_int_equal(balance(&B, B.addr, voucher_b), before + 5);

	/* a packet past its timeout height on B: refused there, timed out on A
	 * with a proof that B holds no receipt, and refunded */
	{
		uint64_t a_before = balance(&A, A.addr, "stake"), to = height_of(&B) + 3;
		struct ibc_msg m;

		transfer(&pkt, &hold, &A, &B, "stake", "9", to);
		while (height_of(&B) < to)
			produce(&B);
		v = sync_client(&B, &A);
		commitment_key(key, sizeof(key), &pkt, "commitments");
		assert_true(prove(&proof, &A, key, v));
		recv_msg(&mb, &B, &pkt, &proof, ph(v));
		submit1(&r, &B, IBC_URL_MSG_RECV_PACKET, &mb);
		expect_refused(&r, "channel", 14, "pontifex code 368");
		result_free(&r);

		v = sync_client(&A, &B);
		commitment_key(key, sizeof(key), &pkt, "receipts");
		assert_false(prove(&proof, &B, key, v));
		memset(&m, 0, sizeof(m));
		m.kind = IBC_MSG_TIMEOUT;
		m.u.timeout.packet = pkt;
		m.u.timeout.proof_unreceived = px_slice_of(&proof);
		m.u.timeout.proof_height = ph(v);
		m.u.timeout.next_sequence_recv = 1;
		m.u.timeout.signer = cosmos_str(A.addr);
		encode(&mb, &m);
		submit1(&r, &A, IBC_URL_MSG_TIMEOUT, &mb);
		expect_ok(&r, "MsgTimeout");
		assert_string_equal(attr(&r, "timeout", "refund_amount"), "9");
		result_free(&r);
		/* the 9 came back; three transactions paid fees */
		assert_int_equal(balance(&A, A.addr, "stake"), a_before - 3 * 2000);
	}
	px_buf_free(&hold);
	px_buf_free(&proof);
	px_buf_free(&mb);
	px_buf_free(&ack);
}

static void test_misbehaviour_freezes(void **state)
{
	struct px_err err = { 0 };
	struct ibc_msg m = { .kind = IBC_MSG_SUBMIT_MISBEHAVIOUR };
	struct ibc_msg mm = { .kind = IBC_MSG_TM_MISBEHAVIOUR }, dm;
	struct px_buf h1 = PX_BUF_INIT, h2 = PX_BUF_INIT, any = PX_BUF_INIT, mb = PX_BUF_INIT;
	struct ibc_msg d1, d2;
	struct result r;
	char hs[24];
	uint64_t h;

	(void)state;
	produce(&A);
	h = height_of(&A);
	header_any(&h1, &A, h, B.client_height, FORGE_NONE);
	snprintf(hs, sizeof(hs), "%" PRIu64, h);
	assert_true(devnet_faults_set(&err, &A.faults, "equivocate", hs));
	header_any(&h2, &A, h, B.client_height, FORGE_NONE);
	assert_true(devnet_faults_set(&err, &A.faults, "equivocate", "0"));
	assert_false(h1.len == h2.len && memcmp(h1.data, h2.data, h1.len) == 0);

	/* one header alone is not misbehaviour: the same one twice is refused */
	assert_true(ibc_msg_decode_any(&err, &d1, h1.data, h1.len));
	assert_true(ibc_msg_decode_any(&err, &d2, h2.data, h2.len));
	mm.u.tm_misbehaviour.has_header_1 = mm.u.tm_misbehaviour.has_header_2 = true;
	mm.u.tm_misbehaviour.header_1 = d1.u.tm_header;
	mm.u.tm_misbehaviour.header_2 = d1.u.tm_header;
	assert_true(ibc_msg_encode_any(&err, &any, &mm));
	assert_true(ibc_msg_decode_any(&err, &dm, any.data, any.len));
	snprintf(m.u.submit_misbehaviour.client_id, IBC_ID_MAX + 1, "%s", B.client);
	m.u.submit_misbehaviour.has_misbehaviour = true;
	m.u.submit_misbehaviour.misbehaviour = dm.any;
	m.u.submit_misbehaviour.signer = cosmos_str(B.addr);
	encode(&mb, &m);
	ibc_msg_free(&dm);
	submit1(&r, &B, IBC_URL_MSG_SUBMIT_MISBEHAVIOUR, &mb);
	expect_refused(&r, "client", 13, "do not conflict");
	result_free(&r);

	/* the two conflicting headers freeze the client */
	any.len = 0;
	mm.u.tm_misbehaviour.header_2 = d2.u.tm_header;
	assert_true(ibc_msg_encode_any(&err, &any, &mm));
	assert_true(ibc_msg_decode_any(&err, &dm, any.data, any.len));
	m.u.submit_misbehaviour.misbehaviour = dm.any;
	encode(&mb, &m);
	ibc_msg_free(&dm);
	submit1(&r, &B, IBC_URL_MSG_SUBMIT_MISBEHAVIOUR, &mb);
	expect_ok(&r, "MsgSubmitMisbehaviour");
	assert_string_equal(attr(&r, "client_misbehaviour", "client_id"), B.client);
	result_free(&r);
	ibc_msg_free(&d1);
	ibc_msg_free(&d2);

	/* frozen: updates and packet proofs are refused */
	update_msg(&mb, &B, &A, h, FORGE_NONE);
	submit1(&r, &B, IBC_URL_MSG_UPDATE_CLIENT, &mb);
	expect_refused(&r, "client", 5, "Frozen");
	result_free(&r);
	{
		struct ibc_packet pkt;
		struct px_buf hold = PX_BUF_INIT, proof = PX_BUF_INIT;
		char key[512];
		uint64_t v = B.client_height.revision_height - 1;

		transfer(&pkt, &hold, &A, &B, "stake", "3", height_of(&B) + 1000);
		commitment_key(key, sizeof(key), &pkt, "commitments");
		/* any proof: the client refuses before it looks */
		prove(&proof, &A, key, v);
		recv_msg(&mb, &B, &pkt, &proof, ph(v));
		submit1(&r, &B, IBC_URL_MSG_RECV_PACKET, &mb);
		if (r.code == 0)
			fail_msg("a frozen client's proof was accepted");
		assert_non_null(strstr(r.log, "pontifex code 334"));
		result_free(&r);
		px_buf_free(&hold);
		px_buf_free(&proof);
	}
	px_buf_free(&h1);
	px_buf_free(&h2);
	px_buf_free(&any);
	px_buf_free(&mb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handshakes_and_transfers),
		cmocka_unit_test(test_error_ack_refunds),
		cmocka_unit_test(test_forged_headers),
		cmocka_unit_test(test_forged_packets),
		cmocka_unit_test(test_misbehaviour_freezes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
