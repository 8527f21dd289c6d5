/* Unit tests of chains/devnet/store_iavl: the tree against a reference map
 * under random sets and deletes, every proof through the ICS-23 verifier
 * (and tampered ones rejected), old versions, pruning, caps, SQLite
 * persistence and the known answer of scripts/make-examples.py.
 *
 * usage: test_store_iavl [EXAMPLES_DIR] (examples/ics23, for the proof
 * bytes of the known-answer test; skipped without it) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chains/devnet/store_iavl.h"
#include "chains/devnet/store_iavl_internal.h"
#include "common/encoding.h"
#include "common/hash.h"
#include "lightclient/ics23/ics23.h"

static const char *examples_dir;

/* --- helpers --------------------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static void set_s(struct devnet_iavl *t, const char *key, const char *value)
{
	struct px_err err = { 0 };

	assert_true(devnet_iavl_set(&err, t, (const uint8_t *)key, strlen(key),
				    (const uint8_t *)value, strlen(value)));
}

static void commit(struct devnet_iavl *t, uint8_t root[32])
{
	struct px_err err = { 0 };
	int64_t v;

	assert_true(devnet_iavl_commit(&err, root, &v, t));
	assert_int_equal(v, devnet_iavl_version(t));
}

/* Proves key at version and checks the proof with the ICS-23 verifier:
 * membership of the expected value, or absence when want is NULL. */
static void check_proof(const struct devnet_iavl *t, int64_t version, const uint8_t *key,
			size_t key_len, const uint8_t *want, size_t want_len)
{
	struct px_err err = { 0 };
	struct px_buf proof = PX_BUF_INIT;
	struct ics23_proof p;
	struct px_slice value;
	uint8_t root[32];
	bool exists;

	assert_true(devnet_iavl_root(&err, root, t, version));
	assert_true(devnet_iavl_prove(&err, &proof, &exists, &value, t, version, key, key_len));
	assert_int_equal(exists, want != NULL);
	assert_true(ics23_proof_decode(&err, &p, proof.data, proof.len));
	if (want) {
		assert_int_equal(value.len, want_len);
		assert_memory_equal(value.ptr, want, want_len);
		if (!ics23_verify_membership(&err, &ics23_spec_iavl, root, 32, &p, key, key_len,
					     want, want_len))
			fail_msg("membership: %s", err.msg);
		/* wrong value, wrong root, absence claimed: all rejected */
		uint8_t bad[64];
		size_t bl = want_len < sizeof(bad) ? want_len : sizeof(bad);

		memcpy(bad, want, bl);
		bad[0] ^= 1;
		px_err_clear(&err);
		assert_false(ics23_verify_membership(&err, &ics23_spec_iavl, root, 32, &p, key,
						     key_len, bad, bl));
		root[5] ^= 0x40;
		px_err_clear(&err);
		assert_false(ics23_verify_membership(&err, &ics23_spec_iavl, root, 32, &p, key,
						     key_len, want, want_len));
		root[5] ^= 0x40;
		px_err_clear(&err);
		assert_false(ics23_verify_non_membership(&err, &ics23_spec_iavl, root, 32, &p, key,
							 key_len));
	} else {
		if (!ics23_verify_non_membership(&err, &ics23_spec_iavl, root, 32, &p, key, key_len))
			fail_msg("non-membership: %s", err.msg);
		root[31] ^= 1;
		px_err_clear(&err);
		assert_false(ics23_verify_non_membership(&err, &ics23_spec_iavl, root, 32, &p, key,
							 key_len));
		root[31] ^= 1;
		/* the same proof does not speak for another absent key */
		uint8_t other[DEVNET_IAVL_MAX_KEY + 1];

		memcpy(other, key, key_len);
		other[key_len] = 0xff;
		px_err_clear(&err);
		assert_false(ics23_verify_non_membership(&err, &ics23_spec_iavl, root, 32, &p, other,
							 key_len + 1));
	}
	ics23_proof_free(&p);
	px_buf_free(&proof);
}

/* AVL+ invariants: heights, sizes, balance, ordering, inner key = smallest
 * key of the right subtree, versions never newer than the parent's, hashes
 * cached. Returns the smallest key below n. */
static const struct iavl_node *check_node(const struct iavl_node *n)
{
	const struct iavl_node *lmin, *rmin;

	assert_true(n->hashed);
	if (n->height == 0) {
		assert_int_equal(n->size, 1);
		return n;
	}
	lmin = check_node(n->left);
	rmin = check_node(n->right);
	assert_int_equal(n->height, (n->left->height > n->right->height ? n->left->height
									: n->right->height) + 1);
	assert_true(abs(n->left->height - n->right->height) <= 1);
	assert_int_equal(n->size, n->left->size + n->right->size);
	assert_int_equal(n->key_len, rmin->key_len);
	assert_memory_equal(iavl_key(n), iavl_key(rmin), n->key_len);
	assert_true(n->left->version <= n->version && n->right->version <= n->version);
	(void)lmin;
	return lmin;
}

static void check_tree(const struct devnet_iavl *t)
{
	for (size_t i = 0; i < t->n_versions; i++)
		if (t->versions[i].root)
			check_node(t->versions[i].root);
}

/* --- empty tree, caps ------------------------------------------------------- */

static void test_empty_tree(void **state)
{
	struct px_err err = { 0 };
	struct devnet_iavl *t;
	struct px_buf proof = PX_BUF_INIT;
	struct ics23_proof p;
	uint8_t root[32], empty[32];
	bool exists = true;

	(void)state;
	assert_true(devnet_iavl_open(&err, &t, NULL, "ibc", NULL));
	assert_int_equal(devnet_iavl_version(t), 0);
	assert_false(devnet_iavl_root(&err, root, t, 0));
	assert_int_equal(err.code, PX_E_USAGE);
	px_err_clear(&err);
	commit(t, root);
	px_sha256(empty, NULL, 0);
	assert_memory_equal(root, empty, 32);
	assert_int_equal(devnet_iavl_version(t), 1);
	/* cosmos/iavl's shape: a key-only absence proof, which no verifier
	 * accepts (nothing proves absence under the empty root) */
	assert_true(devnet_iavl_prove(&err, &proof, &exists, NULL, t, 1, (const uint8_t *)"k", 1));
	assert_false(exists);
	assert_true(ics23_proof_decode(&err, &p, proof.data, proof.len));
	assert_int_equal(p.kind, ICS23_PROOF_NONEXIST);
	assert_false(ics23_verify_non_membership(&err, &ics23_spec_iavl, root, 32, &p,
						 (const uint8_t *)"k", 1));
	assert_int_equal(err.code, PX_E_PROOF_SHAPE);
	ics23_proof_free(&p);
	px_buf_free(&proof);
	devnet_iavl_close(t);
}

static void test_caps(void **state)
{
	static uint8_t big[DEVNET_IAVL_MAX_VALUE + 1];
	struct px_err err = { 0 };
	struct devnet_iavl *t;
	bool found = true;

	(void)state;
	assert_false(devnet_iavl_open(&err, &t, NULL, "", NULL));
	assert_int_equal(err.code, PX_E_USAGE);
	assert_null(t);
	px_err_clear(&err);
	assert_false(devnet_iavl_open(&err, &t, NULL, "a b", NULL));
	px_err_clear(&err);
	assert_true(devnet_iavl_open(&err, &t, NULL, "bank", NULL));
	assert_false(devnet_iavl_set(&err, t, big, 0, big, 1));
	assert_int_equal(err.code, PX_E_USAGE);
	px_err_clear(&err);
	assert_false(devnet_iavl_set(&err, t, big, DEVNET_IAVL_MAX_KEY + 1, big, 1));
	assert_int_equal(err.code, PX_E_TOO_LARGE);
	px_err_clear(&err);
	assert_false(devnet_iavl_set(&err, t, big, 1, big, 0));
	assert_int_equal(err.code, PX_E_USAGE);
	px_err_clear(&err);
	assert_false(devnet_iavl_set(&err, t, big, 1, big, DEVNET_IAVL_MAX_VALUE + 1));
	assert_int_equal(err.code, PX_E_TOO_LARGE);
	px_err_clear(&err);
	assert_true(devnet_iavl_set(&err, t, big, DEVNET_IAVL_MAX_KEY, big, DEVNET_IAVL_MAX_VALUE));
	assert_true(devnet_iavl_delete(&err, t, &found, (const uint8_t *)"x", 1));
	assert_false(found);
	assert_true(devnet_iavl_delete(&err, t, &found, big, DEVNET_IAVL_MAX_KEY));
	assert_true(found);
	assert_int_equal(devnet_iavl_size(t, DEVNET_IAVL_WORKING), 0);
	assert_int_equal(devnet_iavl_size(t, 0), -1);
	devnet_iavl_close(t);
}

/* --- edges and tampering ---------------------------------------------------- */

static void test_edges(void **state)
{
	struct px_err err = { 0 };
	struct devnet_iavl *t;
	uint8_t root[32];
	char key[16];

	(void)state;
	assert_true(devnet_iavl_open(&err, &t, NULL, "ibc", NULL));
	set_s(t, "m", "only");
	commit(t, root);
	/* one leaf: left of it, right of it, itself */
	check_proof(t, 1, (const uint8_t *)"m", 1, (const uint8_t *)"only", 4);
	check_proof(t, 1, (const uint8_t *)"a", 1, NULL, 0);
	check_proof(t, 1, (const uint8_t *)"z", 1, NULL, 0);
	for (int i = 0; i < 20; i += 2) {
		snprintf(key, sizeof(key), "k%02d", i);
		set_s(t, key, key);
	}
	commit(t, root);
	check_tree(t);
	check_proof(t, 2, (const uint8_t *)"a", 1, NULL, 0);		/* left edge */
	check_proof(t, 2, (const uint8_t *)"zz", 2, NULL, 0);		/* right edge */
	check_proof(t, 2, (const uint8_t *)"k05", 3, NULL, 0);		/* middle */
	check_proof(t, 2, (const uint8_t *)"k0", 2, NULL, 0);		/* a prefix */
	check_proof(t, 2, (const uint8_t *)"k00", 3, (const uint8_t *)"k00", 3);
	check_proof(t, 2, (const uint8_t *)"k18", 3, (const uint8_t *)"k18", 3);
	check_proof(t, 2, (const uint8_t *)"m", 1, (const uint8_t *)"only", 4);
	/* still provable at version 1 */
	check_proof(t, 1, (const uint8_t *)"k00", 3, NULL, 0);
	devnet_iavl_close(t);
}

static void test_tampered_proof(void **state)
{
	struct px_err err = { 0 };
	struct devnet_iavl *t;
	struct px_buf proof = PX_BUF_INIT;
	uint8_t root[32];
	bool exists;
	char key[16];

	(void)state;
	assert_true(devnet_iavl_open(&err, &t, NULL, "ibc", NULL));
	for (int i = 0; i < 50; i++) {
		snprintf(key, sizeof(key), "key%03d", i);
		set_s(t, key, "value");
	}
	commit(t, root);
	assert_true(devnet_iavl_prove(&err, &proof, &exists, NULL, t, 0,
				      (const uint8_t *)"key017", 6));
	assert_true(exists);
	/* every byte flipped: it either fails to decode or fails to verify */
	for (size_t i = 0; i < proof.len; i++) {
		struct ics23_proof p;

		proof.data[i] ^= 0x01;
		px_err_clear(&err);
		if (ics23_proof_decode(&err, &p, proof.data, proof.len)) {
			if (ics23_verify_membership(&err, &ics23_spec_iavl, root, 32, &p,
						    (const uint8_t *)"key017", 6,
						    (const uint8_t *)"value", 5))
				fail_msg("flipped byte %zu still verifies", i);
			ics23_proof_free(&p);
		}
		proof.data[i] ^= 0x01;
	}
	/* the right proof under another key */
	{
		struct ics23_proof p;

		assert_true(ics23_proof_decode(&err, &p, proof.data, proof.len));
		assert_false(ics23_verify_membership(&err, &ics23_spec_iavl, root, 32, &p,
						     (const uint8_t *)"key018", 6,
						     (const uint8_t *)"value", 5));
		px_err_clear(&err);
		/* and under the tendermint spec */
		assert_false(ics23_verify_membership(&err, &ics23_spec_tendermint, root, 32, &p,
						     (const uint8_t *)"key017", 6,
						     (const uint8_t *)"value", 5));
		ics23_proof_free(&p);
	}
	px_buf_free(&proof);
	devnet_iavl_close(t);
}

/* --- random operations against a reference map ------------------------------ */

#define UNIVERSE 300
#define VERSIONS 24

struct ref {
	bool present[UNIVERSE];
	uint8_t value[UNIVERSE][24];
	uint8_t len[UNIVERSE];
};

static size_t universe_key(char *out, size_t cap, int i)
{
	return (size_t)snprintf(out, cap, "key/%05d", i * 2);	/* odd numbers stay absent */
}

static void check_version(const struct devnet_iavl *t, int64_t version, const struct ref *r,
			  bool proofs)
{
	struct px_err err = { 0 };
	char key[32];
	int64_t count = 0;

	for (int i = 0; i < UNIVERSE; i++) {
		size_t kl = universe_key(key, sizeof(key), i);
		struct px_slice v;
		bool found;

		assert_true(devnet_iavl_get(&err, &v, &found, t, version, (uint8_t *)key, kl));
		assert_int_equal(found, r->present[i]);
		if (found) {
			count++;
			assert_int_equal(v.len, r->len[i]);
			assert_memory_equal(v.ptr, r->value[i], v.len);
		}
		if (!proofs || (version != DEVNET_IAVL_WORKING && i % 7 != 0))
			continue;
		if (version == DEVNET_IAVL_WORKING)
			continue;
		check_proof(t, version, (uint8_t *)key, kl, found ? r->value[i] : NULL, r->len[i]);
		/* an odd neighbour, never present */
		kl = (size_t)snprintf(key, sizeof(key), "key/%05d", i * 2 + 1);
		check_proof(t, version, (uint8_t *)key, kl, NULL, 0);
	}
	if (version != DEVNET_IAVL_WORKING && count)
		check_proof(t, version, (const uint8_t *)"a", 1, NULL, 0);
	if (version != DEVNET_IAVL_WORKING && count)
		check_proof(t, version, (const uint8_t *)"zzz", 3, NULL, 0);
	assert_int_equal(devnet_iavl_size(t, version), count);
}

static void random_ops(struct devnet_iavl *t, struct ref *r, int n)
{
	struct px_err err = { 0 };
	char key[32];

	for (int op = 0; op < n; op++) {
		int i = (int)(rnd() % UNIVERSE);
		size_t kl = universe_key(key, sizeof(key), i);

		if (rnd() % 3 == 0) {
			bool found;

			assert_true(devnet_iavl_delete(&err, t, &found, (uint8_t *)key, kl));
			assert_int_equal(found, r->present[i]);
			r->present[i] = false;
		} else {
			r->len[i] = (uint8_t)(1 + rnd() % sizeof(r->value[i]));
			for (int b = 0; b < r->len[i]; b++)
				r->value[i][b] = (uint8_t)rnd();
			assert_true(devnet_iavl_set(&err, t, (uint8_t *)key, kl, r->value[i],
						    r->len[i]));
			r->present[i] = true;
		}
	}
}

static void test_random_against_reference(void **state)
{
	struct px_err err = { 0 };
	struct devnet_iavl *t;
	static struct ref snap[VERSIONS + 1];
	struct ref cur = { 0 };
	uint8_t roots[VERSIONS + 1][32], root[32];

	(void)state;
	assert_true(devnet_iavl_open(&err, &t, NULL, "acc", NULL));
	for (int v = 1; v <= VERSIONS; v++) {
		/* growing, then churning, then mostly deleting */
		int n = v < 8 ? 120 : 60;

		if (v > 16)
			for (int i = 0; i < UNIVERSE; i++)
				if (cur.present[i] && rnd() % 3) {
					char key[32];
					size_t kl = universe_key(key, sizeof(key), i);

					assert_true(devnet_iavl_delete(&err, t, NULL, (uint8_t *)key,
								       kl));
					cur.present[i] = false;
				}
		random_ops(t, &cur, n);
		check_version(t, DEVNET_IAVL_WORKING, &cur, false);
		commit(t, roots[v]);
		snap[v] = cur;
		check_tree(t);
		check_version(t, v, &cur, true);
	}
	/* every old version still reads and proves as it was */
	for (int v = 1; v <= VERSIONS; v++) {
		assert_true(devnet_iavl_root(&err, root, t, v));
		assert_memory_equal(root, roots[v], 32);
		check_version(t, v, &snap[v], v % 5 == 0);
	}
	devnet_iavl_close(t);
}

/* Deleting everything and reinserting in other orders. */
static void test_delete_all(void **state)
{
	struct px_err err = { 0 };
	struct devnet_iavl *t;
	uint8_t root[32], empty[32];
	char key[16];

	(void)state;
	px_sha256(empty, NULL, 0);
	assert_true(devnet_iavl_open(&err, &t, NULL, "acc", NULL));
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 200; i++) {
			int k = round == 1 ? 199 - i : (i * 37) % 200;

			snprintf(key, sizeof(key), "%04d", k);
			set_s(t, key, "v");
		}
		commit(t, root);
		check_tree(t);
		for (int i = 0; i < 200; i++) {
			int k = round == 2 ? 199 - i : (i * 53) % 200;
			bool found;

			snprintf(key, sizeof(key), "%04d", k);
			assert_true(devnet_iavl_delete(&err, t, &found, (uint8_t *)key, 4));
			assert_true(found);
			if (i % 50 == 0) {
				commit(t, root);
				check_tree(t);
			}
		}
		commit(t, root);
		assert_memory_equal(root, empty, 32);
	}
	devnet_iavl_close(t);
}

/* --- known answer: scripts/make-examples.py ---------------------------------- */

static const char *const kat_root =
	"781328b8d7bc1e20d29c77ecb0c54addcbce2beb3e73c4a058bf864b939cb364";

static void kat_tree(struct devnet_iavl **out, const int *order)
{
	struct px_err err = { 0 };
	struct devnet_iavl_opts opts = { .initial_version = 7 };
	struct devnet_iavl *t;
	uint8_t root[32];

	assert_true(devnet_iavl_open(&err, &t, NULL, "ibc", &opts));
	for (int i = 0; i < 9; i++) {
		char key[80], packet[16];
		uint8_t value[32];
		size_t kl = (size_t)snprintf(key, sizeof(key),
					     "commitments/ports/transfer/channels/channel-0/"
					     "sequences/%d", order[i]);

		px_sha256(value, packet, (size_t)snprintf(packet, sizeof(packet), "packet %d",
							   order[i]));
		assert_true(devnet_iavl_set(&err, t, (uint8_t *)key, kl, value, 32));
	}
	commit(t, root);
	assert_int_equal(devnet_iavl_version(t), 7);
	*out = t;
}

static bool read_hex_file(struct px_buf *out, const char *name)
{
	struct px_err err = { 0 };
	char path[512], text[8192];
	FILE *f;
	size_t n;

	if (!examples_dir)
		return false;
	snprintf(path, sizeof(path), "%s/%s", examples_dir, name);
	f = fopen(path, "r");
	if (!f)
		return false;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	while (n && (text[n - 1] == '\n' || text[n - 1] == '\r'))
		n--;
	return px_hex_decode(&err, out, text, n, false);
}

static void test_known_answer(void **state)
{
	/* The sketch builds a balanced tree with the left half the larger;
	 * this insertion order (found by trying them) gives the AVL+ tree of
	 * that shape, so the roots must match. */
	static const int balanced[9] = { 1, 3, 4, 5, 6, 7, 8, 2, 9 };
	static const int sorted[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct px_err err = { 0 };
	struct devnet_iavl *t;
	struct px_buf proof = PX_BUF_INIT, want = PX_BUF_INIT;
	uint8_t root[32], expect[32];
	const uint8_t *key3 = (const uint8_t *)"commitments/ports/transfer/channels/channel-0/"
					       "sequences/3";
	const uint8_t *key25 = (const uint8_t *)"commitments/ports/transfer/channels/channel-0/"
						"sequences/25";
	bool exists;

	(void)state;
	assert_true(px_hex_decode_fixed(&err, expect, 32, kat_root, 64));
	kat_tree(&t, balanced);
	check_tree(t);
	assert_true(devnet_iavl_root(&err, root, t, 7));
	assert_memory_equal(root, expect, 32);
	/* the proofs are the sketch's, byte for byte */
	assert_true(devnet_iavl_prove(&err, &proof, &exists, NULL, t, 7, key3,
				      strlen((const char *)key3)));
	if (read_hex_file(&want, "iavl-commitment-member.hex")) {
		assert_int_equal(proof.len, want.len);
		assert_memory_equal(proof.data, want.data, want.len);
	}
	px_buf_reset(&proof);
	px_buf_reset(&want);
	assert_true(devnet_iavl_prove(&err, &proof, &exists, NULL, t, 7, key25,
				      strlen((const char *)key25)));
	assert_false(exists);
	if (read_hex_file(&want, "iavl-commitment-absent.hex")) {
		assert_int_equal(proof.len, want.len);
		assert_memory_equal(proof.data, want.data, want.len);
	}
	devnet_iavl_close(t);

	/* sorted insertion gives another shape: only the proofs are checked */
	kat_tree(&t, sorted);
	check_tree(t);
	for (int i = 1; i <= 9; i++) {
		char key[80], packet[16];
		uint8_t value[32];
		size_t kl = (size_t)snprintf(key, sizeof(key),
					     "commitments/ports/transfer/channels/channel-0/"
					     "sequences/%d", i);

		px_sha256(value, packet, (size_t)snprintf(packet, sizeof(packet), "packet %d", i));
		check_proof(t, 7, (uint8_t *)key, kl, value, 32);
	}
	check_proof(t, 7, key25, strlen((const char *)key25), NULL, 0);
	devnet_iavl_close(t);
	px_buf_free(&proof);
	px_buf_free(&want);
}

/* --- versions, pruning, persistence ------------------------------------------ */

static void test_old_versions_and_pruning(void **state)
{
	struct px_err err = { 0 };
	struct devnet_iavl_opts opts = { .keep_versions = 3 };
	struct devnet_iavl *t;
	uint8_t root[32];
	struct px_slice v;
	bool found;

	(void)state;
	assert_true(devnet_iavl_open(&err, &t, NULL, "acc", &opts));
	set_s(t, "a", "1");
	commit(t, root);		/* 1: a=1 */
	set_s(t, "a", "2");
	set_s(t, "b", "1");
	commit(t, root);		/* 2: a=2 b=1 */
	assert_true(devnet_iavl_delete(&err, t, &found, (const uint8_t *)"a", 1));
	commit(t, root);		/* 3: b=1 */
	check_proof(t, 1, (const uint8_t *)"a", 1, (const uint8_t *)"1", 1);
	check_proof(t, 2, (const uint8_t *)"a", 1, (const uint8_t *)"2", 1);
	check_proof(t, 3, (const uint8_t *)"a", 1, NULL, 0);
	commit(t, root);		/* 4: unchanged, same root */
	assert_int_equal(devnet_iavl_oldest_version(t), 2);
	assert_false(devnet_iavl_get(&err, &v, &found, t, 1, (const uint8_t *)"a", 1));
	assert_int_equal(err.code, PX_E_USAGE);
	px_err_clear(&err);
	assert_false(devnet_iavl_prove(&err, &(struct px_buf)PX_BUF_INIT, &found, NULL, t, 1,
				       (const uint8_t *)"a", 1));
	px_err_clear(&err);
	{
		uint8_t r3[32];

		assert_true(devnet_iavl_root(&err, r3, t, 3));
		assert_memory_equal(r3, root, 32);
	}
	check_proof(t, 2, (const uint8_t *)"a", 1, (const uint8_t *)"2", 1);
	check_tree(t);
	devnet_iavl_close(t);
}

static int count_rows(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int n = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Distinct nodes reachable from the retained versions (marks with dying). */
static int count_nodes(struct iavl_node *n)
{
	if (!n || n->dying)
		return 0;
	n->dying = 1;
	return 1 + (n->height ? count_nodes(n->left) + count_nodes(n->right) : 0);
}

static void unmark(struct iavl_node *n)
{
	if (!n || !n->dying)
		return;
	n->dying = 0;
	if (n->height) {
		unmark(n->left);
		unmark(n->right);
	}
}

static void test_persistence(void **state)
{
	struct px_err err = { 0 };
	struct devnet_iavl_opts opts = { .keep_versions = 5 };
	struct devnet_iavl *t;
	struct ref cur = { 0 };
	uint8_t roots[13][32], root[32];
	sqlite3 *db;
	int reachable = 0;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_true(devnet_iavl_open(&err, &t, db, "ibc", &opts));
	for (int v = 1; v <= 12; v++) {
		random_ops(t, &cur, 80);
		commit(t, roots[v]);
	}
	/* pruning left exactly the reachable nodes behind */
	for (size_t i = 0; i < t->n_versions; i++)
		reachable += count_nodes(t->versions[i].root);
	for (size_t i = 0; i < t->n_versions; i++)
		unmark(t->versions[i].root);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM nodes"), reachable);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM roots"), 5);
	/* uncommitted changes are not persisted */
	set_s(t, "uncommitted", "x");
	devnet_iavl_close(t);

	assert_true(devnet_iavl_open(&err, &t, db, "ibc", &opts));
	assert_int_equal(devnet_iavl_version(t), 12);
	assert_int_equal(devnet_iavl_oldest_version(t), 8);
	for (int v = 8; v <= 12; v++) {
		assert_true(devnet_iavl_root(&err, root, t, v));
		assert_memory_equal(root, roots[v], 32);
	}
	check_tree(t);
	check_version(t, 12, &cur, true);
	check_version(t, DEVNET_IAVL_WORKING, &cur, false);
	/* and it goes on from there, as if never closed */
	random_ops(t, &cur, 50);
	commit(t, root);
	assert_int_equal(devnet_iavl_version(t), 13);
	check_version(t, 13, &cur, true);
	devnet_iavl_close(t);

	/* a stored node that does not hash to its key is refused */
	assert_int_equal(sqlite3_exec(db, "UPDATE nodes SET version = version + 1 WHERE hash = "
				      "(SELECT hash FROM nodes WHERE height = 0 LIMIT 1)",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_false(devnet_iavl_open(&err, &t, db, "ibc", &opts));
	assert_int_equal(err.code, PX_E_MALFORMED);
	assert_null(t);
	px_err_clear(&err);
	/* another store of the same database is independent and empty */
	assert_true(devnet_iavl_open(&err, &t, db, "bank", &opts));
	assert_int_equal(devnet_iavl_version(t), 0);
	devnet_iavl_close(t);
	sqlite3_close(db);
}

struct collect {
	int n;
	char first[16];
	int stop_after;
};

static bool collect_fn(void *ctx, struct px_slice key, struct px_slice value)
{
	struct collect *c = ctx;

	(void)value;
	if (c->n == 0)
		memcpy(c->first, key.ptr, key.len < 15 ? key.len : 15);
	return ++c->n != c->stop_after;
}

static void test_iterate(void **state)
{
	struct px_err err = { 0 };
	struct devnet_iavl *t;
	uint8_t root[32];
	char key[16];
	struct collect c = { 0 };

	(void)state;
	assert_true(devnet_iavl_open(&err, &t, NULL, "acc", NULL));
	for (int i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "k%03d", i);
		set_s(t, key, "v");
	}
	commit(t, root);
	assert_true(devnet_iavl_iterate(&err, t, 0, NULL, 0, collect_fn, &c));
	assert_int_equal(c.n, 100);
	assert_string_equal(c.first, "k000");
	memset(&c, 0, sizeof(c));
	assert_true(devnet_iavl_iterate(&err, t, 0, (const uint8_t *)"k0505", 5, collect_fn, &c));
	assert_int_equal(c.n, 49);
	assert_string_equal(c.first, "k051");
	memset(&c, 0, sizeof(c));
	c.stop_after = 3;
	assert_true(devnet_iavl_iterate(&err, t, DEVNET_IAVL_WORKING, (const uint8_t *)"k090", 4,
					collect_fn, &c));
	assert_int_equal(c.n, 3);
	assert_string_equal(c.first, "k090");
	assert_false(devnet_iavl_iterate(&err, t, 5, NULL, 0, collect_fn, &c));
	devnet_iavl_close(t);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_tree),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_tampered_proof),
		cmocka_unit_test(test_random_against_reference),
		cmocka_unit_test(test_delete_all),
		cmocka_unit_test(test_known_answer),
		cmocka_unit_test(test_old_versions_and_pruning),
		cmocka_unit_test(test_persistence),
		cmocka_unit_test(test_iterate),
	};
	int rc;

	if (argc > 1)
		examples_dir = argv[1];
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	px_hash_thread_cleanup();
	return rc;
}
