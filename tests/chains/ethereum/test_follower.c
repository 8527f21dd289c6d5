/* Unit tests for chains/ethereum/follower.c on synthetic London headers
 * hashed by the offline library: a straight chain, refusals (claimed hash
 * wrong, number not the successor, checkpoint hash wrong), a header whose
 * parent is unknown (never trusted), a gap filled by number, forks walked
 * back by hash, competing headers, the reorg policy (longer branch wins;
 * at equal height the node's announced head wins, an unannounced one does
 * not), the window and forks that fall below it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "chains/ethereum/follower.h"

/* A header at number, child of parent_hash; salt makes forks differ. */
static struct eth_header mk(uint64_t number, const uint8_t parent_hash[ETH_HASH_LEN],
			    uint8_t salt)
{
	struct eth_header h;

	memset(&h, 0, sizeof(h));
	memcpy(h.parent_hash, parent_hash, ETH_HASH_LEN);
	h.number = number;
	h.gas_limit = 30000000;
	h.timestamp = 1700000000 + number * 12;
	h.extra_data[0] = salt;
	h.extra_data_len = 1;
	h.base_fee[31] = 7;
	h.state_root[0] = salt;
	h.state_root[1] = (uint8_t)number;
	h.nfields = ETH_FIELDS_LONDON;
	return h;
}

static void hash_of(uint8_t out[ETH_HASH_LEN], const struct eth_header *h)
{
	eth_header_hash(out, h);
}

/* Builds a branch: out[i] at number first+i, out[0] child of parent. */
static void branch(struct eth_header *out, size_t n, uint64_t first,
		   const uint8_t parent[ETH_HASH_LEN], uint8_t salt)
{
	uint8_t ph[ETH_HASH_LEN];

	memcpy(ph, parent, ETH_HASH_LEN);
	for (size_t i = 0; i < n; i++) {
		out[i] = mk(first + i, ph, salt);
		hash_of(ph, &out[i]);
	}
}

struct log {
	int heads;
	uint64_t head_numbers[64];
	int competing;
	uint64_t competing_at;
	int reorgs;
	uint64_t reorg_ancestor, reorg_old, reorg_new;
};

static void ev_head(void *user, const struct eth_trusted_header *h)
{
	struct log *l = user;

	if (l->heads < 64)
		l->head_numbers[l->heads] = h->header.number;
	l->heads++;
}

static void ev_competing(void *user, const struct eth_trusted_header *held,
			 const struct eth_trusted_header *other)
{
	struct log *l = user;

	assert_int_equal(held->header.number, other->header.number);
	assert_memory_not_equal(held->hash, other->hash, ETH_HASH_LEN);
	l->competing++;
	l->competing_at = other->header.number;
}

static void ev_reorg(void *user, const struct eth_trusted_header *old_head,
		     const struct eth_trusted_header *new_head, uint64_t ancestor)
{
	struct log *l = user;

	l->reorgs++;
	l->reorg_ancestor = ancestor;
	l->reorg_old = old_head->header.number;
	l->reorg_new = new_head->header.number;
}

static struct eth_header genesis;
static uint8_t genesis_hash[ETH_HASH_LEN];

static void start(struct eth_follower *f, struct log *l, size_t window)
{
	struct eth_follower_events ev = { ev_head, ev_competing, ev_reorg, l };
	uint8_t zero[ETH_HASH_LEN] = { 0 };

	memset(l, 0, sizeof(*l));
	genesis = mk(100, zero, 0);
	hash_of(genesis_hash, &genesis);
	assert_true(eth_follower_init(NULL, f, &genesis, genesis_hash, window, &ev));
}

static enum eth_follow_result add(struct eth_follower *f, const struct eth_header *h,
				  bool announced)
{
	enum eth_follow_result r;
	struct px_err err = { 0 };

	assert_true(eth_follower_add(&err, f, &r, h, announced));
	return r;
}

static void test_straight_chain(void **state)
{
	struct eth_follower f;
	struct log l;
	struct eth_header c[10];

	(void)state;
	start(&f, &l, 0);
	branch(c, 10, 101, genesis_hash, 1);
	for (int i = 0; i < 10; i++)
		assert_int_equal(add(&f, &c[i], true), ETH_FOLLOW_EXTENDED);
	assert_int_equal(eth_follower_head(&f)->header.number, 110);
	assert_int_equal(l.heads, 10);
	for (int i = 0; i < 10; i++)
		assert_int_equal(l.head_numbers[i], 101 + (uint64_t)i);
	assert_non_null(eth_follower_at(&f, 100));
	assert_non_null(eth_follower_at(&f, 105));
	assert_null(eth_follower_at(&f, 111));
	assert_int_equal(add(&f, &c[4], true), ETH_FOLLOW_KNOWN);
	assert_int_equal(f.stats.verified, 11);
	eth_follower_free(&f);
}

static void test_refusals(void **state)
{
	struct eth_follower f;
	struct log l;
	struct eth_header c[3], h;
	struct px_err err = { 0 };
	enum eth_follow_result r;
	uint8_t bad[ETH_HASH_LEN];

	(void)state;
	start(&f, &l, 0);
	branch(c, 3, 101, genesis_hash, 1);
	/* claimed hash that is not the header's */
	h = c[0];
	h.has_claimed_hash = true;
	hash_of(h.claimed_hash, &h);
	h.claimed_hash[5] ^= 1;
	assert_false(eth_follower_add(&err, &f, &r, &h, true));
	assert_int_equal(err.code, PX_E_HASH_MISMATCH);
	/* the same with the right claimed hash is accepted */
	hash_of(h.claimed_hash, &h);
	assert_int_equal(add(&f, &h, true), ETH_FOLLOW_EXTENDED);
	/* a child of the head whose number skips one */
	h = mk(103, eth_follower_head(&f)->hash, 1);
	px_err_clear(&err);
	assert_false(eth_follower_add(&err, &f, &r, &h, true));
	assert_int_equal(err.code, PX_E_NOT_SUCCESSOR);
	h = mk(101, eth_follower_head(&f)->hash, 1);
	px_err_clear(&err);
	assert_false(eth_follower_add(&err, &f, &r, &h, true));
	assert_int_equal(err.code, PX_E_NOT_SUCCESSOR);
	assert_int_equal(eth_follower_head(&f)->header.number, 101);
	assert_int_equal(f.stats.rejected, 3);
	eth_follower_free(&f);

	/* a checkpoint that is not the operator's */
	memcpy(bad, genesis_hash, ETH_HASH_LEN);
	bad[0] ^= 0x80;
	px_err_clear(&err);
	assert_false(eth_follower_init(&err, &f, &genesis, bad, 0, NULL));
	assert_int_equal(err.code, PX_E_HASH_MISMATCH);
}

static void test_wrong_parent_not_trusted(void **state)
{
	struct eth_follower f;
	struct log l;
	struct eth_header h;
	struct eth_fetch fetch;
	uint8_t other[ETH_HASH_LEN];

	(void)state;
	start(&f, &l, 0);
	memset(other, 0x42, sizeof(other));
	h = mk(101, other, 1);
	assert_int_equal(add(&f, &h, true), ETH_FOLLOW_ORPHAN);
	assert_null(eth_follower_at(&f, 101));
	assert_int_equal(eth_follower_head(&f)->header.number, 100);
	assert_int_equal(l.heads, 0);
	/* its parent would be at the checkpoint's height: it cannot link */
	eth_follower_next_fetch(&f, &fetch);
	assert_int_equal(fetch.kind, ETH_FETCH_NONE);
	assert_int_equal(eth_follower_orphans(&f), 0);
	assert_int_equal(f.stats.unlinkable, 1);
	/* a competing header at the checkpoint's height with an unknown
	 * parent is below the window */
	h = mk(100, other, 9);
	assert_int_equal(add(&f, &h, true), ETH_FOLLOW_STALE);
	eth_follower_free(&f);
}

static void test_gap_backfill(void **state)
{
	struct eth_follower f;
	struct log l;
	struct eth_header c[8];
	struct eth_fetch fetch;

	(void)state;
	start(&f, &l, 0);
	branch(c, 8, 101, genesis_hash, 1);
	for (int i = 0; i < 3; i++)
		assert_int_equal(add(&f, &c[i], true), ETH_FOLLOW_EXTENDED);
	eth_follower_next_fetch(&f, &fetch);
	assert_int_equal(fetch.kind, ETH_FETCH_NONE);
	/* 108 announced after a disconnection: 104..107 are missing */
	assert_int_equal(add(&f, &c[7], true), ETH_FOLLOW_ORPHAN);
	assert_int_equal(eth_follower_head(&f)->header.number, 103);
	for (int i = 3; i < 7; i++) {
		eth_follower_next_fetch(&f, &fetch);
		assert_int_equal(fetch.kind, ETH_FETCH_BY_NUMBER);
		assert_int_equal(fetch.number, 101 + (uint64_t)i);
		assert_int_equal(add(&f, &c[i], false), ETH_FOLLOW_EXTENDED);
	}
	/* adding 107 linked the orphan */
	assert_int_equal(eth_follower_head(&f)->header.number, 108);
	assert_int_equal(eth_follower_orphans(&f), 0);
	eth_follower_next_fetch(&f, &fetch);
	assert_int_equal(fetch.kind, ETH_FETCH_NONE);
	assert_int_equal(l.heads, 8);
	for (int i = 0; i < 8; i++)
		assert_int_equal(l.head_numbers[i], 101 + (uint64_t)i);
	eth_follower_free(&f);
}

static void test_reorg_longest(void **state)
{
	struct eth_follower f;
	struct log l;
	struct eth_header a[5], b[3];

	(void)state;
	start(&f, &l, 0);
	branch(a, 5, 101, genesis_hash, 1);	/* 101..105 */
	/* a fork from 103: b[0] = 104', b[1] = 105', b[2] = 106' */
	for (int i = 0; i < 5; i++)
		(void)add(&f, &a[i], true);
	{
		uint8_t h103[ETH_HASH_LEN];

		hash_of(h103, &a[2]);
		branch(b, 3, 104, h103, 2);
	}
	l.heads = 0;
	assert_int_equal(add(&f, &b[0], false), ETH_FOLLOW_SIDE);
	assert_int_equal(l.competing, 1);
	assert_int_equal(l.competing_at, 104);
	assert_int_equal(add(&f, &b[1], false), ETH_FOLLOW_SIDE);
	assert_int_equal(l.competing, 2);
	assert_int_equal(eth_follower_head(&f)->header.number, 105);
	assert_memory_equal(eth_follower_at(&f, 104)->header.state_root, a[3].state_root, 32);
	/* the fork becomes longer: the head moves to it */
	assert_int_equal(add(&f, &b[2], false), ETH_FOLLOW_REORG);
	assert_int_equal(l.reorgs, 1);
	assert_int_equal(l.reorg_ancestor, 103);
	assert_int_equal(l.reorg_old, 105);
	assert_int_equal(l.reorg_new, 106);
	assert_int_equal(l.heads, 3);
	assert_int_equal(l.head_numbers[0], 104);
	assert_int_equal(l.head_numbers[2], 106);
	assert_memory_equal(eth_follower_at(&f, 104)->header.state_root, b[0].state_root, 32);
	assert_memory_equal(eth_follower_at(&f, 103)->header.state_root, a[2].state_root, 32);
	/* the old branch is still held, off the head's branch */
	{
		uint8_t h105[ETH_HASH_LEN];

		hash_of(h105, &a[4]);
		assert_non_null(eth_follower_find(&f, h105));
	}
	assert_int_equal(f.stats.competing, 2);
	eth_follower_free(&f);
}

static void test_tie_follows_announcement(void **state)
{
	struct eth_follower f;
	struct log l;
	struct eth_header a[3], b, c;
	uint8_t h102[ETH_HASH_LEN];

	(void)state;
	start(&f, &l, 0);
	branch(a, 3, 101, genesis_hash, 1);
	for (int i = 0; i < 3; i++)
		(void)add(&f, &a[i], true);
	hash_of(h102, &a[1]);
	/* a competitor at the head's height, only fetched: the head stays */
	b = mk(103, h102, 2);
	assert_int_equal(add(&f, &b, false), ETH_FOLLOW_SIDE);
	assert_int_equal(l.reorgs, 0);
	/* the node announces it: the node's choice is followed */
	assert_int_equal(add(&f, &b, true), ETH_FOLLOW_REORG);
	assert_int_equal(l.reorgs, 1);
	assert_int_equal(l.reorg_ancestor, 102);
	/* a new announced competitor at the same height */
	c = mk(103, h102, 3);
	assert_int_equal(add(&f, &c, true), ETH_FOLLOW_REORG);
	assert_int_equal(l.reorgs, 2);
	assert_int_equal(l.competing, 2);
	assert_memory_equal(eth_follower_head(&f)->header.state_root, c.state_root, 32);
	/* an announced header lower than the head does not pull it back */
	assert_int_equal(add(&f, &a[1], true), ETH_FOLLOW_KNOWN);
	assert_int_equal(eth_follower_head(&f)->header.number, 103);
	eth_follower_free(&f);
}

static void test_fork_walked_by_hash(void **state)
{
	struct eth_follower f;
	struct log l;
	struct eth_header a[5], b[3];
	struct eth_fetch fetch;
	uint8_t h103[ETH_HASH_LEN], want[ETH_HASH_LEN];

	(void)state;
	start(&f, &l, 0);
	branch(a, 5, 101, genesis_hash, 1);
	for (int i = 0; i < 5; i++)
		(void)add(&f, &a[i], true);
	hash_of(h103, &a[2]);
	branch(b, 3, 104, h103, 2);		/* 104'..106' */
	assert_int_equal(add(&f, &b[2], true), ETH_FOLLOW_ORPHAN);
	eth_follower_next_fetch(&f, &fetch);
	assert_int_equal(fetch.kind, ETH_FETCH_BY_HASH);
	hash_of(want, &b[1]);
	assert_memory_equal(fetch.hash, want, ETH_HASH_LEN);
	assert_int_equal(fetch.number, 105);
	assert_int_equal(add(&f, &b[1], false), ETH_FOLLOW_ORPHAN);
	eth_follower_next_fetch(&f, &fetch);
	assert_int_equal(fetch.kind, ETH_FETCH_BY_HASH);
	hash_of(want, &b[0]);
	assert_memory_equal(fetch.hash, want, ETH_HASH_LEN);
	/* 104' links to 103, then the orphans follow and win */
	assert_int_equal(add(&f, &b[0], false), ETH_FOLLOW_SIDE);
	assert_int_equal(eth_follower_head(&f)->header.number, 106);
	assert_int_equal(l.reorgs, 1);
	assert_int_equal(l.reorg_ancestor, 103);
	assert_int_equal(eth_follower_orphans(&f), 0);
	eth_follower_next_fetch(&f, &fetch);
	assert_int_equal(fetch.kind, ETH_FETCH_NONE);
	eth_follower_free(&f);
}

static void test_window(void **state)
{
	struct eth_follower f;
	struct log l;
	struct eth_header c[10], side, deep;
	struct eth_fetch fetch;
	uint8_t h102[ETH_HASH_LEN];

	(void)state;
	start(&f, &l, 4);
	branch(c, 10, 101, genesis_hash, 1);
	for (int i = 0; i < 3; i++)
		(void)add(&f, &c[i], true);
	hash_of(h102, &c[1]);
	side = mk(103, h102, 5);
	assert_int_equal(add(&f, &side, false), ETH_FOLLOW_SIDE);
	for (int i = 3; i < 10; i++)
		(void)add(&f, &c[i], true);
	/* head 110, window 4: 107..110 */
	assert_int_equal(eth_follower_bottom(&f), 107);
	assert_null(eth_follower_at(&f, 106));
	assert_non_null(eth_follower_at(&f, 107));
	assert_int_equal(f.n, 4);
	/* a fork from 106 or lower can no longer be linked */
	deep = mk(108, h102, 6);
	assert_int_equal(add(&f, &deep, true), ETH_FOLLOW_ORPHAN);
	eth_follower_next_fetch(&f, &fetch);
	assert_int_equal(fetch.kind, ETH_FETCH_NONE);
	assert_int_equal(f.stats.unlinkable, 1);
	eth_follower_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_straight_chain),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_wrong_parent_not_trusted),
		cmocka_unit_test(test_gap_backfill),
		cmocka_unit_test(test_reorg_longest),
		cmocka_unit_test(test_tie_follows_announcement),
		cmocka_unit_test(test_fork_walked_by_hash),
		cmocka_unit_test(test_window),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
