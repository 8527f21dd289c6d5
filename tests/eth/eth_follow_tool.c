/* Drives chains/ethereum/client.c against a real anvil node (started by
 * test_eth_live.sh) and checks what it trusts:
 *
 *   1. checkpoint: the node's latest block hash (here the test plays the
 *      operator, who would take it from a source they trust);
 *   2. 100 blocks mined (anvil_mine) and followed over newHeads, every one
 *      verified and linked (a head event for each height, in order);
 *   3. the websocket dropped, 20 blocks mined while away: after the
 *      reconnect the gap is backfilled with eth_getBlockByNumber;
 *   4. anvil_reorg replaces the last 3 blocks: the competing headers are
 *      reported and the client follows the node to the new branch;
 *   5. storage set with anvil_setStorageAt, then eth_getProof fetched and
 *      verified at a trusted block for present and absent slots and an
 *      absent account; a block outside the trusted chain is refused;
 *   6. mutations on live data: the same proof against a wrong state root
 *      and with a claimed value changed, and a header with its stateRoot
 *      changed, must all fail verification.
 *
 * A second JSON-RPC connection on the same loop plays the miner. Prints
 * one line per step; exits 0 when everything held, 1 otherwise. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chains/ethereum/client.h"
#include "chains/ethereum/follower.h"
#include "chains/ethereum/ws.h"
#include "common/log.h"
#include "lightclient/ethereum/ethjson.h"
#include "lightclient/ethereum/getproof.h"

#define MAX_HEIGHTS 4096u
#define STEP_MS 20000u

static struct ethrpc_loop *loop;
static struct ethrpc_conn miner;
static struct eth_client *client;
static int failures;

/* What the follower reported. */
static uint64_t base;			/* the checkpoint's height */
static unsigned char seen[MAX_HEIGHTS];	/* head events per height above base */
static uint64_t last_head;
static int out_of_order;
static int competing, reorgs;
static uint64_t reorg_ancestor;

static void fail(const char *fmt, ...) PX_PRINTF(1, 2);
static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("FAIL: ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
	fflush(stdout);
	failures++;
}

#define CHECK(cond, ...) do { if (!(cond)) fail(__VA_ARGS__); } while (0)

static void ev_head(void *user, const struct eth_trusted_header *h)
{
	(void)user;
	if (h->header.number <= last_head && reorgs == 0)
		out_of_order++;
	last_head = h->header.number;
	if (h->header.number > base && h->header.number - base < MAX_HEIGHTS)
		seen[h->header.number - base]++;
}

static void ev_competing(void *user, const struct eth_trusted_header *held,
			 const struct eth_trusted_header *other)
{
	(void)user;
	(void)held;
	competing++;
	printf("competing header at %" PRIu64 "\n", other->header.number);
}

static void ev_reorg(void *user, const struct eth_trusted_header *old_head,
		     const struct eth_trusted_header *new_head, uint64_t ancestor)
{
	(void)user;
	reorgs++;
	reorg_ancestor = ancestor;
	printf("reorg: head %" PRIu64 " -> %" PRIu64 ", common ancestor %" PRIu64 "\n",
	       old_head->header.number, new_head->header.number, ancestor);
}

/* ---- synchronous calls on the miner connection ---- */

struct sync_call {
	bool done;
	struct px_err err;
	json_t *result;
};

static void sync_done(void *user, const struct px_err *err, json_t *result)
{
	struct sync_call *s = user;

	s->done = true;
	if (err)
		s->err = *err;
	else
		s->result = json_incref(result);
	ethrpc_loop_stop(loop);
}

/* Returns a new reference to the result, or NULL (and a failure). */
static json_t *rpc(const char *method, json_t *params)
{
	struct sync_call s = { 0 };
	uint64_t deadline = ethrpc_now_ms() + 10000;

	if (!ethrpc_call(&miner.rpc, &s.err, NULL, method, params, ethrpc_now_ms(), 10000,
			 sync_done, &s)) {
		fail("%s: %s", method, s.err.msg);
		return NULL;
	}
	while (!s.done && ethrpc_now_ms() < deadline)
		(void)ethrpc_loop_run(loop, 100);
	if (!s.done) {
		fail("%s: no reply", method);
		return NULL;
	}
	if (px_err_is_set(&s.err)) {
		fail("%s: %s", method, s.err.msg);
		return NULL;
	}
	return s.result;
}

static void rpc_void(const char *method, json_t *params)
{
	json_decref(rpc(method, params));
}

static uint64_t block_number(void)
{
	json_t *r = rpc("eth_blockNumber", NULL);
	uint64_t n = 0;

	if (r && !eth_parse_u64(NULL, &n, json_string_value(r), json_string_length(r)))
		fail("eth_blockNumber: bad result");
	json_decref(r);
	return n;
}

static json_t *block_at(uint64_t n)
{
	char q[32];

	snprintf(q, sizeof(q), "0x%" PRIx64, n);
	return rpc("eth_getBlockByNumber", json_pack("[s, b]", q, 0));
}

static const struct eth_trusted_header *head(void)
{
	const struct eth_follower *f = eth_client_follower(client);

	return f ? eth_follower_head(f) : NULL;
}

/* Runs the loop until the client's head reaches n (on any branch). */
static bool wait_head(uint64_t n, uint64_t ms)
{
	uint64_t deadline = ethrpc_now_ms() + ms;

	while (ethrpc_now_ms() < deadline) {
		const struct eth_trusted_header *h = head();

		if (h && h->header.number >= n)
			return true;
		if (eth_client_fatal(client))
			return false;
		(void)ethrpc_loop_run(loop, 50);
	}
	return false;
}

static void wait_ms(uint64_t ms)
{
	(void)ethrpc_loop_run(loop, ms);
}

static void miner_open(void *user)
{
	(void)user;
	ethrpc_loop_stop(loop);
}

/* ---- proofs ---- */

struct proof_wait {
	bool done;
	struct px_err err;
	bool account_exists;
	size_t nslots;
	bool exists[4];
	uint8_t value[4][32];
};

static void proof_done(void *user, const struct px_err *err, const struct mpt_get_proof *p,
		       const struct eth_trusted_header *at)
{
	struct proof_wait *w = user;

	(void)at;
	w->done = true;
	if (err) {
		w->err = *err;
		return;
	}
	w->account_exists = p->account_exists;
	w->nslots = p->nslots;
	for (size_t i = 0; i < p->nslots && i < 4; i++) {
		w->exists[i] = p->slots[i].exists;
		memcpy(w->value[i], p->slots[i].value, 32);
	}
}

static bool get_proof(struct proof_wait *w, const uint8_t addr[20], const uint8_t (*slots)[32],
		      size_t n, uint64_t at)
{
	struct px_err err = { 0 };
	uint64_t deadline = ethrpc_now_ms() + 10000;

	memset(w, 0, sizeof(*w));
	if (!eth_client_get_proof(&err, client, addr, slots, n, at, proof_done, w)) {
		fail("eth_client_get_proof: %s", err.msg);
		return false;
	}
	while (!w->done && ethrpc_now_ms() < deadline)
		(void)ethrpc_loop_run(loop, 50);
	if (!w->done) {
		fail("eth_getProof: no reply");
		return false;
	}
	return true;
}

static const uint8_t account_a[20] = { [18] = 0x0a, [19] = 0xbc };
static const uint8_t account_b[20] = { [0] = 0xde, [19] = 0xad };
static const uint8_t slots_a[3][32] = { { [31] = 1 }, { [31] = 2 }, { [31] = 3 } };
static const uint8_t value_1[32] = { [31] = 0x2a };
static const uint8_t value_2[32] = { [0] = 0x80, [31] = 0x01 };

static void set_storage(const uint8_t slot[32], const uint8_t value[32])
{
	char a[64], s[80], v[80];

	eth_hex_format(a, sizeof(a), account_a, 20);
	eth_hex_format(s, sizeof(s), slot, 32);
	eth_hex_format(v, sizeof(v), value, 32);
	rpc_void("anvil_setStorageAt", json_pack("[s, s, s]", a, s, v));
}

static void step_proofs(void)
{
	const struct eth_trusted_header *at;
	struct proof_wait w;
	struct px_err err = { 0 };
	struct mpt_get_proof p;
	json_t *raw;
	char a[64], s0[80], s1[80], q[32];
	uint64_t n;

	set_storage(slots_a[0], value_1);
	set_storage(slots_a[1], value_2);
	rpc_void("evm_mine", NULL);
	n = block_number();
	CHECK(wait_head(n, STEP_MS), "head did not reach %" PRIu64 " after the storage write", n);

	if (get_proof(&w, account_a, slots_a, 3, n)) {
		CHECK(!px_err_is_set(&w.err), "proof of A at %" PRIu64 ": %s", n, w.err.msg);
		CHECK(w.account_exists, "account A should exist");
		CHECK(w.nslots == 3 && w.exists[0] && memcmp(w.value[0], value_1, 32) == 0,
		      "slot 1 should hold 0x2a");
		CHECK(w.exists[1] && memcmp(w.value[1], value_2, 32) == 0,
		      "slot 2 should hold 0x80..01");
		CHECK(!w.exists[2], "slot 3 should be absent");
		printf("proof at %" PRIu64 ": account A present, slots 1 and 2 present, slot 3 absent: verified\n", n);
	}
	if (get_proof(&w, account_b, slots_a, 1, n)) {
		CHECK(!px_err_is_set(&w.err), "proof of B: %s", w.err.msg);
		CHECK(!w.account_exists && w.nslots == 1 && !w.exists[0],
		      "account B should be absent");
		printf("proof at %" PRIu64 ": account B absent: verified\n", n);
	}
	CHECK(!eth_client_get_proof(&err, client, account_a, slots_a, 1, n + 1000, proof_done, &w) &&
		      err.code == PX_E_NOT_ENOUGH_TRUST,
	      "a proof at an untrusted height should be refused");

	/* mutations on the node's own answer */
	at = eth_follower_at(eth_client_follower(client), n);
	eth_hex_format(a, sizeof(a), account_a, 20);
	eth_hex_format(s0, sizeof(s0), slots_a[0], 32);
	eth_hex_format(s1, sizeof(s1), slots_a[2], 32);
	snprintf(q, sizeof(q), "0x%" PRIx64, n);
	raw = rpc("eth_getProof", json_pack("[s, [s, s], s]", a, s0, s1, q));
	if (!raw || !at)
		return;
	memset(&p, 0, sizeof(p));
	CHECK(mpt_get_proof_verify(&err, &p, at->header.state_root, raw),
	      "raw proof against the trusted root: %s", err.msg);
	mpt_get_proof_free(&p);
	{
		uint8_t wrong[32];

		memcpy(wrong, at->header.state_root, 32);
		wrong[7] ^= 0x01;
		px_err_clear(&err);
		CHECK(!mpt_get_proof_verify(&err, &p, wrong, raw) && err.code / 100 == 3,
		      "proof against a wrong state root must fail verification (got %d)",
		      err.code);
		printf("proof against a wrong state root: refused (%s)\n", px_code_name(err.code));
	}
	{
		const struct eth_trusted_header *parent = eth_follower_at(eth_client_follower(client),
									  n - 1);

		px_err_clear(&err);
		CHECK(parent && !mpt_get_proof_verify(&err, &p, parent->header.state_root, raw) &&
			      err.code / 100 == 3,
		      "proof against the parent's state root must fail (got %d)", err.code);
		printf("proof against the parent's state root: refused (%s)\n", px_code_name(err.code));
	}
	json_object_set_new(json_array_get(json_object_get(raw, "storageProof"), 0), "value",
			    json_string("0x2b"));
	px_err_clear(&err);
	CHECK(!mpt_get_proof_verify(&err, &p, at->header.state_root, raw) &&
		      err.code == PX_E_VALUE_MISMATCH,
	      "a changed slot value must be refused (got %d)", err.code);
	printf("proof with a changed value: refused (%s)\n", px_code_name(err.code));
	json_decref(raw);
}

/* A header with a field changed does not link: its hash is not the one
 * its child (or the claimed hash) names. */
static void step_tampered_header(uint64_t n)
{
	json_t *parent_json = block_at(n - 1), *json = block_at(n);
	struct eth_header *parent = calloc(1, sizeof(*parent)), *h = calloc(1, sizeof(*h));
	struct eth_follower f;
	struct px_err err = { 0 };
	enum eth_follow_result r;
	uint8_t ph[32];

	if (!parent_json || !json || !parent || !h)
		goto out;
	if (!eth_header_from_json(&err, parent, parent_json, ETH_NAMING_RPC)) {
		fail("block %" PRIu64 ": %s", n - 1, err.msg);
		goto out;
	}
	eth_header_hash(ph, parent);
	if (!eth_follower_init(&err, &f, parent, ph, 0, NULL)) {
		fail("follower: %s", err.msg);
		goto out;
	}
	json_object_set_new(json, "stateRoot", json_string("0x" "11111111111111111111111111111111"
							       "11111111111111111111111111111111"));
	if (!eth_header_from_json(&err, h, json, ETH_NAMING_RPC))
		fail("block %" PRIu64 ": %s", n, err.msg);
	CHECK(!eth_follower_add(&err, &f, &r, h, true) && err.code == PX_E_HASH_MISMATCH,
	      "a header with a changed stateRoot must be refused (got %d)", err.code);
	printf("header %" PRIu64 " with a changed stateRoot: refused (%s)\n", n,
	       px_code_name(err.code));
	h->has_claimed_hash = false;	/* the claim gone, the parent link still holds */
	px_err_clear(&err);
	CHECK(eth_follower_add(&err, &f, &r, h, true) && r == ETH_FOLLOW_EXTENDED,
	      "control: the unclaimed header links to its parent");
	eth_follower_free(&f);
out:
	json_decref(parent_json);
	json_decref(json);
	free(parent);
	free(h);
}

int main(int argc, char **argv)
{
	struct ethrpc_ws_config wcfg;
	struct eth_client_config cfg;
	struct eth_client_stats st;
	struct px_err err = { 0 };
	json_t *latest;
	uint64_t n, t0 = ethrpc_now_ms();

	if (argc != 2) {
		fprintf(stderr, "usage: %s ws://127.0.0.1:PORT\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	px_log_setup(PX_LOG_WARN, PX_LOG_TEXT, NULL);
	memset(&wcfg, 0, sizeof(wcfg));
	if (!ethrpc_loop_new(&err, &loop) || !ethrpc_url_parse(&err, &wcfg.url, argv[1]) ||
	    !ethrpc_conn_open(&err, &miner, loop, &wcfg, miner_open, NULL, NULL)) {
		fprintf(stderr, "setup: %s\n", err.msg);
		return 2;
	}
	(void)ethrpc_loop_run(loop, 10000);
	if (!ethrpc_ws_connected(miner.ws)) {
		printf("FAIL: cannot connect to %s\n", argv[1]);
		return 1;
	}

	/* 1. The test plays the operator: it takes the checkpoint hash from
	 * the node itself. A real operator takes it from a source they trust. */
	latest = rpc("eth_getBlockByNumber", json_pack("[s, b]", "latest", 0));
	memset(&cfg, 0, sizeof(cfg));
	if (!latest || !eth_json_data_fixed(&err, cfg.checkpoint_hash, 32, latest, "hash") ||
	    !eth_json_u64(&err, &base, latest, "number")) {
		printf("FAIL: latest block: %s\n", err.msg);
		return 1;
	}
	json_decref(latest);
	last_head = base;
	cfg.url = argv[1];
	cfg.request_timeout_ms = 5000;
	cfg.backoff_min_ms = 50;
	cfg.backoff_max_ms = 500;
	cfg.events = (struct eth_follower_events){ ev_head, ev_competing, ev_reorg, NULL };
	if (!eth_client_new(&err, &client, loop, &cfg)) {
		printf("FAIL: client: %s\n", err.msg);
		return 1;
	}
	CHECK(wait_head(base, STEP_MS), "checkpoint %" PRIu64 " not verified", base);
	printf("checkpoint %" PRIu64 " verified\n", base);
	wait_ms(200);	/* the subscription is in place */

	/* 2. 100 blocks, mined in batches of 10, followed live. */
	for (int i = 0; i < 10; i++)
		rpc_void("anvil_mine", json_pack("[s]", "0xa"));
	CHECK(wait_head(base + 100, STEP_MS), "did not follow 100 blocks");
	for (uint64_t k = 1; k <= 100; k++)
		CHECK(seen[k] == 1, "height %" PRIu64 " verified %d times", base + k, seen[k]);
	CHECK(out_of_order == 0, "%d heads out of order", out_of_order);
	st = eth_client_stats(client);
	printf("followed 100 blocks: %" PRIu64 " announced, %" PRIu64
	       " refetched, %" PRIu64 " fetched, every height verified once\n",
	       st.announced, st.payload_refetched, st.fetched);

	/* 3. Away while 20 blocks are mined: backfill after the reconnect. */
	eth_client_drop(client, 400);
	wait_ms(50);
	for (int i = 0; i < 2; i++)
		rpc_void("anvil_mine", json_pack("[s]", "0xa"));
	CHECK(wait_head(base + 120, STEP_MS), "did not catch up after the reconnect");
	for (uint64_t k = 101; k <= 120; k++)
		CHECK(seen[k] == 1, "height %" PRIu64 " verified %d times", base + k, seen[k]);
	{
		struct eth_client_stats s2 = eth_client_stats(client);

		CHECK(s2.connects >= 2, "no reconnect (%" PRIu64 " connects)", s2.connects);
		CHECK(s2.fetched - st.fetched >= 10, "gap not backfilled (%" PRIu64 " fetched)",
		      s2.fetched - st.fetched);
		printf("reconnected (%" PRIu64 " connects), backfilled %" PRIu64
		       " blocks by number\n", s2.connects, s2.fetched - st.fetched);
		st = s2;
	}

	/* 4. A reorg of depth 3 made by the node. */
	rpc_void("anvil_reorg", json_pack("[i, []]", 3));
	rpc_void("anvil_mine", json_pack("[s]", "0x1"));
	CHECK(wait_head(base + 121, STEP_MS), "did not follow the reorged chain");
	wait_ms(200);
	CHECK(reorgs >= 1 && reorg_ancestor == base + 117,
	      "reorg not reported at ancestor %" PRIu64 " (reorgs %d, ancestor %" PRIu64 ")",
	      base + 117, reorgs, reorg_ancestor);
	CHECK(competing >= 3, "competing headers reported: %d, expected 3", competing);
	for (uint64_t k = 118; k <= 121; k++) {
		json_t *b = block_at(base + k);
		const struct eth_trusted_header *t =
			eth_follower_at(eth_client_follower(client), base + k);
		uint8_t hash[32];

		CHECK(b && t && eth_json_data_fixed(NULL, hash, 32, b, "hash") &&
			      memcmp(hash, t->hash, 32) == 0,
		      "trusted header %" PRIu64 " is not the node's block", base + k);
		json_decref(b);
	}
	printf("reorg followed: %d competing headers reported, head %" PRIu64 "\n", competing,
	       head() ? head()->header.number : 0);

	/* 5 and 6. */
	step_proofs();
	n = head() ? head()->header.number : 0;
	step_tampered_header(n);

	st = eth_client_stats(client);
	CHECK(st.rejected == 0, "%" PRIu64 " headers from the node rejected", st.rejected);
	printf("stats: %" PRIu64 " connects, %" PRIu64 " announced, %" PRIu64 " fetched, %" PRIu64
	       " proofs verified, %.1f s\n", st.connects, st.announced, st.fetched,
	       st.proofs_verified, (double)(ethrpc_now_ms() - t0) / 1000.0);
	eth_client_free(client);
	ethrpc_conn_close(&miner);
	ethrpc_loop_free(loop);
	if (failures) {
		printf("%d checks failed\n", failures);
		return 1;
	}
	printf("all checks passed\n");
	return 0;
}
