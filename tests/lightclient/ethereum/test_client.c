/* Unit tests for lightclient/ethereum/client.c and client_lc.c, through
 * the generic lc interface: a client starts from a checkpoint header
 * (refused under a wrong hash), accepts a linked child and reports its
 * consensus state, accepts a held header again, and refuses a wrong
 * parent, a wrong number, a wrong or missing claimed hash and an unlinked
 * header without freezing; membership and absence of storage slots and
 * accounts verify with eth_getProof results built here (trie.c makes the
 * proofs) against the held stateRoot, and a wrong value, a wrong root
 * (another height's), a height not held, a foreign address, a missing
 * slot and malformed claims are refused; two headers at one height
 * freeze the client (as misbehaviour or as an update), and a frozen
 * client refuses everything with PX_E_FROZEN; the window drops its oldest
 * headers; a checkpoint at the last number has no successor. Headers are
 * built here with the offline library. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "lightclient/ethereum/client.h"
#include "lightclient/ethereum/ethjson.h"
#include "lightclient/ethereum/keccak.h"
#include "lightclient/ethereum/rlp.h"
#include "lightclient/ethereum/trie.h"
#include "lightclient/lc.h"

#define BASE 1000u	/* the checkpoint's number */

static const uint8_t addr_a[20] = { 0xaa, 1 }, addr_b[20] = { 0xbb, 2 }, addr_c[20] = { 0xcc, 3 };
static const struct px_time now = { 1700000000, 0 };

/* A small state: A with slots 1 = 0x2a and 2 = 0x0100, B without storage;
 * C is absent. */
static struct {
	uint8_t state_root[32], storage_root[32];
	struct mpt_kv accts[2], slots[2];
	struct px_buf acct_rlp[2], slot_rlp[2];
	uint8_t slot_keys[2][32];
	uint8_t code_hash[32];
} w;

static void assert_code(const struct px_err *err, int code)
{
	if (err->code != code)
		fail_msg("code %d (%s: %s), want %d (%s)", err->code, px_code_name(err->code),
			 err->msg, code, px_code_name(code));
}

static int setup(void **state)
{
	static const uint8_t code[] = { 0x60, 0x00 };

	(void)state;
	memset(&w, 0, sizeof(w));
	eth_keccak256(w.code_hash, code, sizeof(code));
	for (int i = 0; i < 2; i++) {
		w.slot_keys[i][31] = (uint8_t)(i + 1);
		rlp_put_u64(&w.slot_rlp[i], i == 0 ? 0x2a : 0x0100);
		w.slots[i].key = w.slot_keys[i];
		w.slots[i].key_len = 32;
		w.slots[i].value = w.slot_rlp[i].data;
		w.slots[i].value_len = w.slot_rlp[i].len;
	}
	assert_true(mpt_trie_root(NULL, w.storage_root, w.slots, 2, true));
	for (int i = 0; i < 2; i++) {
		size_t s = rlp_list_begin(&w.acct_rlp[i]);

		rlp_put_u64(&w.acct_rlp[i], i == 0 ? 7 : 0);
		rlp_put_u64(&w.acct_rlp[i], i == 0 ? 1000000000000000000ULL : 13);
		rlp_put_bytes(&w.acct_rlp[i], i == 0 ? w.storage_root : mpt_empty_root, 32);
		rlp_put_bytes(&w.acct_rlp[i], i == 0 ? w.code_hash : mpt_empty_code_hash, 32);
		rlp_list_end(&w.acct_rlp[i], s);
		assert_true(px_buf_ok(&w.acct_rlp[i]));
		w.accts[i].key = i == 0 ? addr_a : addr_b;
		w.accts[i].key_len = 20;
		w.accts[i].value = w.acct_rlp[i].data;
		w.accts[i].value_len = w.acct_rlp[i].len;
	}
	assert_true(mpt_trie_root(NULL, w.state_root, w.accts, 2, true));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < 2; i++) {
		px_buf_free(&w.acct_rlp[i]);
		px_buf_free(&w.slot_rlp[i]);
	}
	return 0;
}

/* --- headers ------------------------------------------------------------ */

static void seal(struct eth_header *h)
{
	eth_header_hash(h->claimed_hash, h);
	h->has_claimed_hash = true;
}

/* The checkpoint: a London header at BASE whose state is not w's. */
static void checkpoint(struct eth_header *h)
{
	memset(h, 0, sizeof(*h));
	h->nfields = ETH_FIELDS_LONDON;
	h->number = BASE;
	h->gas_limit = 30000000;
	h->timestamp = 1690000000;
	h->difficulty[31] = 0;
	h->base_fee[31] = 7;
	memcpy(h->uncles_hash, mpt_empty_code_hash, 32);	/* any bytes do */
	memset(h->state_root, 0x11, 32);
	memcpy(h->transactions_root, mpt_empty_root, 32);
	memcpy(h->receipts_root, mpt_empty_root, 32);
	seal(h);
}

/* A child of parent; tag makes siblings differ (extraData). Its state is
 * w's. */
static void child(struct eth_header *h, const struct eth_header *parent, uint8_t tag)
{
	*h = *parent;
	memcpy(h->parent_hash, parent->claimed_hash, 32);
	h->number = parent->number + 1;
	h->timestamp = parent->timestamp + 12;
	memcpy(h->state_root, w.state_root, 32);
	h->extra_data[0] = tag;
	h->extra_data_len = tag ? 1 : 0;
	seal(h);
}

static struct lc_client new_client(const struct eth_header *cp)
{
	struct lc_client c;
	struct px_err err = { 0 };

	if (!eth_lc_new(&err, &c, cp, cp->claimed_hash))
		fail_msg("eth_lc_new: %s", err.msg);
	assert_string_equal(c.ops->client_type, "ethereum");
	return c;
}

static int update(struct lc_client *c, struct lc_consensus *out, const struct eth_header *h,
		  struct px_err *err)
{
	struct eth_lc_header body = { h };
	struct lc_message msg = { ETH_LC_MSG_HEADER, &body };
	struct lc_consensus ignored;

	px_err_clear(err);
	if (lc_verify_header(c, err, out ? out : &ignored, &msg, now))
		return 0;
	return err->code;
}

static int misbehaviour(struct lc_client *c, struct lc_misbehaviour *out,
			const struct eth_header *a, const struct eth_header *b, struct px_err *err)
{
	struct eth_lc_misbehaviour body = { a, b };
	struct lc_message msg = { ETH_LC_MSG_MISBEHAVIOUR, &body };

	px_err_clear(err);
	if (lc_check_misbehaviour(c, err, out, &msg, now))
		return 0;
	return err->code;
}

/* --- proofs ------------------------------------------------------------- */

static json_t *hexj(const uint8_t *b, size_t n)
{
	char h[80];

	eth_hex_format(h, sizeof(h), b, n);
	return json_string(h);
}

static json_t *proof_json(const struct mpt_kv *kvs, size_t n, const uint8_t *key, size_t kl)
{
	struct px_buf nodes = PX_BUF_INIT;
	size_t lens[MPT_MAX_PROOF_NODES + 1], count, off = 0;
	uint8_t root[32];
	json_t *a = json_array();

	assert_true(mpt_trie_prove(NULL, root, &nodes, lens, &count, kvs, n, true, key, kl));
	for (size_t i = 0; i < count; i++) {
		char *hex = malloc(2 * lens[i] + 3);

		assert_non_null(hex);
		eth_hex_format(hex, 2 * lens[i] + 3, nodes.data + off, lens[i]);
		json_array_append_new(a, json_string(hex));
		free(hex);
		off += lens[i];
	}
	px_buf_free(&nodes);
	return a;
}

/* An eth_getProof result for account a (0: A, 1: B, 2: C absent) with
 * slots, as JSON text (caller frees). */
static char *result(int a, const uint8_t *slots, size_t nslots)
{
	const uint8_t *addr = a == 0 ? addr_a : a == 1 ? addr_b : addr_c;
	json_t *r = json_object(), *sp = json_array();
	char *text;

	json_object_set_new(r, "address", hexj(addr, 20));
	json_object_set_new(r, "accountProof", proof_json(w.accts, 2, addr, 20));
	json_object_set_new(r, "balance",
			    json_string(a == 0 ? "0xde0b6b3a7640000" : a == 1 ? "0xd" : "0x0"));
	json_object_set_new(r, "nonce", json_string(a == 0 ? "0x7" : "0x0"));
	json_object_set_new(r, "codeHash", hexj(a == 0 ? w.code_hash : mpt_empty_code_hash, 32));
	json_object_set_new(r, "storageHash", hexj(a == 0 ? w.storage_root : mpt_empty_root, 32));
	for (size_t i = 0; i < nslots; i++) {
		uint8_t key[32] = { 0 };
		char k[8];
		const char *v = "0x0";

		key[31] = slots[i];
		snprintf(k, sizeof(k), "0x%x", slots[i]);
		if (a == 0 && slots[i] == 1)
			v = "0x2a";
		if (a == 0 && slots[i] == 2)
			v = "0x100";
		json_array_append_new(sp, json_pack("{s:s, s:s, s:o}", "key", k, "value", v, "proof",
						    a == 0 ? proof_json(w.slots, 2, key, 32)
							   : json_array()));
	}
	json_object_set_new(r, "storageProof", sp);
	text = json_dumps(r, JSON_COMPACT);
	assert_non_null(text);
	json_decref(r);
	return text;
}

struct path {
	struct px_slice parts[2];
	size_t len;
	uint8_t slot[32];
};

static struct path path_of(const uint8_t *addr, int slot)
{
	struct path p;

	memset(&p, 0, sizeof(p));
	p.parts[0].ptr = addr;
	p.parts[0].len = 20;
	p.len = 1;
	if (slot >= 0) {
		p.slot[31] = (uint8_t)slot;
		p.len = 2;
	}
	return p;
}

/* Membership (value non-NULL) or absence of p under the state at number. */
static int prove(struct lc_client *c, uint64_t revision, uint64_t number, const char *proof,
		 struct path p, const uint8_t *value, size_t value_len, struct px_err *err)
{
	struct lc_height h = { revision, number };
	bool ok;

	/* The slot part points into this copy. */
	if (p.len == 2) {
		p.parts[1].ptr = p.slot;
		p.parts[1].len = 32;
	}
	px_err_clear(err);
	if (value)
		ok = lc_verify_membership(c, err, h, (const uint8_t *)proof, strlen(proof), p.parts,
					  p.len, value, value_len, now);
	else
		ok = lc_verify_non_membership(c, err, h, (const uint8_t *)proof, strlen(proof),
					      p.parts, p.len, now);
	return ok ? 0 : err->code;
}

/* --- tests -------------------------------------------------------------- */

static void test_checkpoint(void **state)
{
	struct eth_header cp;
	struct lc_client c;
	struct px_err err = { 0 };
	uint8_t wrong[32];

	(void)state;
	checkpoint(&cp);
	memcpy(wrong, cp.claimed_hash, 32);
	wrong[0] ^= 1;
	assert_false(eth_lc_new(&err, &c, &cp, wrong));
	assert_code(&err, PX_E_HASH_MISMATCH);
	assert_null(c.impl);

	c = new_client(&cp);
	assert_int_equal(lc_status(&c, now), LC_STATUS_ACTIVE);
	/* No trusting period: still active a century later. */
	assert_int_equal(lc_status(&c, (struct px_time){ now.seconds + 3153600000LL, 0 }),
			 LC_STATUS_ACTIVE);
	/* The checkpoint itself is held. */
	assert_int_equal(update(&c, NULL, &cp, &err), 0);
	lc_client_free(&c);

	/* A checkpoint at the last number has no successor (and nothing
	 * wraps to 0). */
	{
		struct eth_header top, next;

		checkpoint(&top);
		top.number = UINT64_MAX;
		seal(&top);
		child(&next, &top, 0);
		assert_int_equal(next.number, 0);
		c = new_client(&top);
		assert_int_equal(update(&c, NULL, &next, &err), PX_E_NOT_SUCCESSOR);
		assert_int_equal(update(&c, NULL, &top, &err), 0);
		lc_client_free(&c);
	}
}

static void test_linked_header(void **state)
{
	struct eth_header cp, h1, h2;
	struct lc_consensus cs;
	struct lc_client c;
	struct px_err err = { 0 };

	(void)state;
	checkpoint(&cp);
	child(&h1, &cp, 0);
	child(&h2, &h1, 0);
	c = new_client(&cp);
	assert_int_equal(update(&c, &cs, &h1, &err), 0);
	assert_int_equal(cs.height.revision, 0);
	assert_int_equal(cs.height.height, BASE + 1);
	assert_int_equal(cs.time.seconds, (int64_t)h1.timestamp);
	assert_int_equal(cs.time.nanos, 0);
	assert_int_equal(cs.root_len, 32);
	assert_memory_equal(cs.root, w.state_root, 32);
	assert_memory_equal(cs.hash, h1.claimed_hash, 32);
	/* Again: held, accepted as it is. */
	assert_int_equal(update(&c, &cs, &h1, &err), 0);
	assert_int_equal(cs.height.height, BASE + 1);
	assert_int_equal(update(&c, &cs, &h2, &err), 0);
	assert_int_equal(cs.height.height, BASE + 2);
	assert_int_equal(lc_status(&c, now), LC_STATUS_ACTIVE);
	lc_client_free(&c);
}

static void test_header_refused(void **state)
{
	struct eth_header cp, h1, h;
	struct lc_client c;
	struct px_err err = { 0 };

	(void)state;
	checkpoint(&cp);
	child(&h1, &cp, 0);
	c = new_client(&cp);

	/* Wrong parent hash: a child of nothing held. */
	h = h1;
	h.parent_hash[5] ^= 1;
	seal(&h);
	assert_int_equal(update(&c, NULL, &h, &err), PX_E_PARENT_MISMATCH);

	/* Wrong number: names the checkpoint but is not its successor. */
	h = h1;
	h.number = BASE + 2;
	seal(&h);
	assert_int_equal(update(&c, NULL, &h, &err), PX_E_NOT_SUCCESSOR);
	h.number = BASE;
	seal(&h);
	assert_int_equal(update(&c, NULL, &h, &err), PX_E_NOT_SUCCESSOR);

	/* Wrong hash: the claimed hash changed, or a field after sealing. */
	h = h1;
	h.claimed_hash[31] ^= 1;
	assert_int_equal(update(&c, NULL, &h, &err), PX_E_HASH_MISMATCH);
	h = h1;
	h.state_root[0] ^= 1;
	assert_int_equal(update(&c, NULL, &h, &err), PX_E_HASH_MISMATCH);

	/* No claimed hash at all. */
	h = h1;
	h.has_claimed_hash = false;
	assert_int_equal(update(&c, NULL, &h, &err), PX_E_USAGE);

	/* Far above the window: nothing to link to. */
	h = h1;
	h.number = BASE + 10;
	memset(h.parent_hash, 0x77, 32);
	seal(&h);
	assert_int_equal(update(&c, NULL, &h, &err), PX_E_NOT_ENOUGH_TRUST);

	/* A message of another kind. */
	{
		struct lc_message msg = { "07-tendermint/header", &h1 };
		struct lc_consensus cs;

		px_err_clear(&err);
		assert_false(lc_verify_header(&c, &err, &cs, &msg, now));
		assert_code(&err, PX_E_USAGE);
	}

	/* None of these froze the client; the real child still links. */
	assert_int_equal(lc_status(&c, now), LC_STATUS_ACTIVE);
	assert_int_equal(update(&c, NULL, &h1, &err), 0);
	lc_client_free(&c);
}

static void test_membership(void **state)
{
	static const uint8_t s12[] = { 1, 2 }, s3[] = { 3 }, s1[] = { 1 };
	static const uint8_t v2a[] = { 0x2a }, v100[] = { 0x01, 0x00 }, v2b[] = { 0x2b };
	static const uint8_t v0100[] = { 0x00, 0x01, 0x00 };
	struct eth_header cp, h1;
	struct lc_client c;
	struct px_err err = { 0 };
	char *pa = result(0, s12, 2), *pa3 = result(0, s3, 1), *pb = result(1, NULL, 0);
	char *pc = result(2, s1, 1);
	uint64_t at = BASE + 1;

	(void)state;
	checkpoint(&cp);
	child(&h1, &cp, 0);
	c = new_client(&cp);
	assert_int_equal(update(&c, NULL, &h1, &err), 0);

	/* Present slots, accounts; absent slot, absent account. */
	assert_int_equal(prove(&c, 0, at, pa, path_of(addr_a, 1), v2a, 1, &err), 0);
	assert_int_equal(prove(&c, 0, at, pa, path_of(addr_a, 2), v100, 2, &err), 0);
	assert_int_equal(prove(&c, 0, at, pa, path_of(addr_a, -1), w.acct_rlp[0].data,
			       w.acct_rlp[0].len, &err), 0);
	assert_int_equal(prove(&c, 0, at, pb, path_of(addr_b, -1), w.acct_rlp[1].data,
			       w.acct_rlp[1].len, &err), 0);
	assert_int_equal(prove(&c, 0, at, pa3, path_of(addr_a, 3), NULL, 0, &err), 0);
	assert_int_equal(prove(&c, 0, at, pc, path_of(addr_c, -1), NULL, 0, &err), 0);
	assert_int_equal(prove(&c, 0, at, pc, path_of(addr_c, 1), NULL, 0, &err), 0);

	/* Wrong values. */
	assert_int_equal(prove(&c, 0, at, pa, path_of(addr_a, 1), v2b, 1, &err),
			 PX_E_VALUE_MISMATCH);
	assert_int_equal(prove(&c, 0, at, pa, path_of(addr_a, 1), NULL, 0, &err),
			 PX_E_VALUE_MISMATCH);
	assert_int_equal(prove(&c, 0, at, pa3, path_of(addr_a, 3), v2a, 1, &err),
			 PX_E_VALUE_MISMATCH);
	assert_int_equal(prove(&c, 0, at, pa, path_of(addr_a, -1), w.acct_rlp[1].data,
			       w.acct_rlp[1].len, &err), PX_E_VALUE_MISMATCH);
	assert_int_equal(prove(&c, 0, at, pa, path_of(addr_a, -1), NULL, 0, &err),
			 PX_E_VALUE_MISMATCH);
	assert_int_equal(prove(&c, 0, at, pc, path_of(addr_c, -1), w.acct_rlp[1].data,
			       w.acct_rlp[1].len, &err), PX_E_VALUE_MISMATCH);
	assert_int_equal(prove(&c, 0, at, pc, path_of(addr_c, 1), v2a, 1, &err),
			 PX_E_VALUE_MISMATCH);

	/* Wrong root: the checkpoint's state is another. */
	assert_int_equal(prove(&c, 0, BASE, pa, path_of(addr_a, 1), v2a, 1, &err),
			 PX_E_ROOT_MISMATCH);
	/* Wrong heights: not held, or a revision Ethereum does not have. */
	assert_int_equal(prove(&c, 0, BASE + 2, pa, path_of(addr_a, 1), v2a, 1, &err),
			 PX_E_HEIGHT);
	assert_int_equal(prove(&c, 0, BASE - 1, pa, path_of(addr_a, 1), v2a, 1, &err),
			 PX_E_HEIGHT);
	assert_int_equal(prove(&c, 1, at, pa, path_of(addr_a, 1), v2a, 1, &err), PX_E_HEIGHT);

	/* A result for another address, or without the slot asked. */
	assert_int_equal(prove(&c, 0, at, pa, path_of(addr_b, 1), v2a, 1, &err),
			 PX_E_KEY_MISMATCH);
	assert_int_equal(prove(&c, 0, at, pa, path_of(addr_a, 3), NULL, 0, &err),
			 PX_E_KEY_MISMATCH);

	/* Malformed claims, paths and proofs. */
	assert_int_equal(prove(&c, 0, at, pa, path_of(addr_a, 2), v0100, 3, &err),
			 PX_E_NONCANONICAL);
	assert_int_equal(prove(&c, 0, at, pa, path_of(addr_a, -1), v2a, 1, &err),
			 PX_E_MALFORMED);
	assert_int_equal(prove(&c, 0, at, "[1]", path_of(addr_a, 1), v2a, 1, &err), PX_E_JSON);
	assert_int_equal(prove(&c, 0, at, "{\"address\"", path_of(addr_a, 1), v2a, 1, &err),
			 PX_E_JSON);
	{
		struct path p = path_of(addr_a, 1);

		p.parts[0].len = 19;
		assert_int_equal(prove(&c, 0, at, pa, p, v2a, 1, &err), PX_E_USAGE);
	}
	/* An empty value is absence, not membership. */
	{
		struct lc_height h = { 0, at };
		struct path p = path_of(addr_a, -1);

		px_err_clear(&err);
		assert_false(lc_verify_membership(&c, &err, h, (const uint8_t *)pa, strlen(pa),
						  p.parts, p.len, v2a, 0, now));
		assert_code(&err, PX_E_USAGE);
	}
	assert_int_equal(lc_status(&c, now), LC_STATUS_ACTIVE);

	lc_client_free(&c);
	free(pa);
	free(pa3);
	free(pb);
	free(pc);
}

static void test_misbehaviour_freezes(void **state)
{
	static const uint8_t s1[] = { 1 };
	static const uint8_t v2a[] = { 0x2a };
	struct eth_header cp, h1, h1x, h2, bad;
	struct lc_misbehaviour mb;
	struct lc_client c;
	struct px_err err = { 0 };
	char *pa = result(0, s1, 1);

	(void)state;
	checkpoint(&cp);
	child(&h1, &cp, 0);
	child(&h1x, &cp, 1);	/* a sibling: same height, other hash */
	child(&h2, &h1, 0);
	c = new_client(&cp);
	assert_int_equal(update(&c, NULL, &h1, &err), 0);

	/* No conflict: one header twice, or two heights. */
	assert_int_equal(misbehaviour(&c, &mb, &h1, &h1, &err), 0);
	assert_false(mb.found);
	assert_int_equal(misbehaviour(&c, &mb, &cp, &h1, &err), 0);
	assert_false(mb.found);
	/* A side that does not verify is an error, not evidence. */
	bad = h1x;
	bad.claimed_hash[0] ^= 1;
	assert_int_equal(misbehaviour(&c, &mb, &h1, &bad, &err), PX_E_HASH_MISMATCH);
	assert_false(mb.found);
	{
		struct lc_message msg = { ETH_LC_MSG_HEADER, &h1 };

		px_err_clear(&err);
		assert_false(lc_check_misbehaviour(&c, &err, &mb, &msg, now));
		assert_code(&err, PX_E_USAGE);
	}
	assert_int_equal(lc_status(&c, now), LC_STATUS_ACTIVE);

	/* The sibling (submitted second) against the held header. */
	assert_int_equal(misbehaviour(&c, &mb, &h1x, &h1, &err), 0);
	assert_true(mb.found);
	assert_string_equal(mb.kind, "conflicting_headers");
	assert_int_equal(mb.common.revision, 0);
	assert_int_equal(mb.common.height, BASE);
	assert_int_equal(mb.height.height, BASE + 1);
	assert_memory_equal(mb.trusted_hash, h1.claimed_hash, 32);
	assert_memory_equal(mb.conflicting_hash, h1x.claimed_hash, 32);
	assert_int_equal(lc_status(&c, now), LC_STATUS_FROZEN);

	/* Frozen: everything is refused. */
	assert_int_equal(update(&c, NULL, &h2, &err), PX_E_FROZEN);
	assert_int_equal(update(&c, NULL, &h1, &err), PX_E_FROZEN);
	assert_int_equal(prove(&c, 0, BASE + 1, pa, path_of(addr_a, 1), v2a, 1, &err),
			 PX_E_FROZEN);
	assert_int_equal(prove(&c, 0, BASE + 1, pa, path_of(addr_a, 5), NULL, 0, &err),
			 PX_E_FROZEN);
	assert_int_equal(misbehaviour(&c, &mb, &h1, &h1x, &err), PX_E_FROZEN);
	assert_false(mb.found);
	lc_client_free(&c);
	free(pa);
}

static void test_conflicting_update_freezes(void **state)
{
	struct eth_header cp, h1, h1x;
	struct eth_client *ec = calloc(1, sizeof(*ec));
	const struct eth_trusted_header *t;
	struct px_err err = { 0 };

	(void)state;
	assert_non_null(ec);
	checkpoint(&cp);
	child(&h1, &cp, 0);
	child(&h1x, &cp, 1);
	assert_true(eth_client_init(&err, ec, &cp, cp.claimed_hash));
	assert_true(eth_client_update(&err, ec, &t, &h1));
	assert_memory_equal(t->hash, h1.claimed_hash, 32);
	assert_false(eth_client_update(&err, ec, &t, &h1x));
	assert_code(&err, PX_E_CONFLICT);
	assert_null(t);
	assert_int_equal(eth_client_status(ec), LC_STATUS_FROZEN);
	assert_true(ec->evidence.found);
	assert_int_equal(ec->evidence.number, BASE + 1);
	assert_memory_equal(ec->evidence.trusted_hash, h1.claimed_hash, 32);
	assert_memory_equal(ec->evidence.conflicting_hash, h1x.claimed_hash, 32);
	px_err_clear(&err);
	assert_false(eth_client_update(&err, ec, NULL, &h1));
	assert_code(&err, PX_E_FROZEN);
	eth_client_free(ec);
	free(ec);
}

static void test_window(void **state)
{
	static const uint8_t s1[] = { 1 };
	static const uint8_t v2a[] = { 0x2a };
	struct eth_header cp, prev, h;
	struct lc_client c;
	struct px_err err = { 0 };
	const struct eth_client *ec;
	char *pa = result(0, s1, 1);
	uint64_t top = BASE + ETH_CLIENT_MAX_HEADERS + 9;

	(void)state;
	checkpoint(&cp);
	c = new_client(&cp);
	ec = c.impl;
	prev = cp;
	while (prev.number < top) {
		child(&h, &prev, 0);
		assert_int_equal(update(&c, NULL, &h, &err), 0);
		prev = h;
	}
	assert_int_equal(ec->highest, top);
	assert_int_equal(ec->lowest, top - ETH_CLIENT_MAX_HEADERS + 1);
	assert_null(eth_client_header_at(ec, BASE));
	assert_non_null(eth_client_header_at(ec, ec->lowest));
	assert_memory_equal(eth_client_latest(ec)->hash, prev.claimed_hash, 32);
	/* Proofs at the oldest held height, not below; the checkpoint is gone. */
	assert_int_equal(prove(&c, 0, ec->lowest, pa, path_of(addr_a, 1), v2a, 1, &err), 0);
	assert_int_equal(prove(&c, 0, ec->lowest - 1, pa, path_of(addr_a, 1), v2a, 1, &err),
			 PX_E_HEIGHT);
	assert_int_equal(update(&c, NULL, &cp, &err), PX_E_NOT_ENOUGH_TRUST);
	lc_client_free(&c);
	free(pa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checkpoint),
		cmocka_unit_test(test_linked_header),
		cmocka_unit_test(test_header_refused),
		cmocka_unit_test(test_membership),
		cmocka_unit_test(test_misbehaviour_freezes),
		cmocka_unit_test(test_conflicting_update_freezes),
		cmocka_unit_test(test_window),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
