/* Unit tests of chains/devnet/block: the hashes CometBFT puts in a header
 * (consensus, data, last commit) and the block id (header hash + part set
 * header of the block's protobuf), checked against blocks of a real
 * CometBFT 0.38 node (../shared/vectors/cosmos/rpc/v0_38/incoming), and
 * chains built here verified with the light client: adjacent, skipping,
 * across a validator-set change, and rejected when tampered with.
 *
 * usage: test_block [VECTORS_DIR] */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chains/devnet/block.h"
#include "chains/devnet/genesis.h"
#include "chains/devnet/json_tm.h"
#include "common/encoding.h"
#include "common/hash.h"
#include "common/json.h"
#include "lightclient/tendermint/hash.h"
#include "lightclient/tendermint/verify.h"

static const char *vectors_dir;

#define N_KEYS 8
static struct devnet_key keys[N_KEYS];

static void hex_eq(const uint8_t *b, size_t len, const char *want)
{
	char got[2 * 64 + 1];

	assert_true(len <= 64);
	px_hex_encode(got, sizeof(got), b, len, true);
	assert_string_equal(got, want);
}

static int keys_setup(void **state)
{
	struct px_err err = { 0 };

	for (uint32_t i = 0; i < N_KEYS; i++)
		assert_true(devnet_key_from_test_seed(&err, &keys[i], "test_block", i));
	return 0;
}

static int keys_teardown(void **state)
{
	for (int i = 0; i < N_KEYS; i++)
		devnet_key_free(&keys[i]);
	return 0;
}

/* ---- against CometBFT's own blocks ---- */

static void test_consensus_hash_default(void **state)
{
	uint8_t h[TM_HASH_LEN], other[TM_HASH_LEN];

	devnet_consensus_hash(h, DEVNET_DEFAULT_MAX_BYTES, DEVNET_DEFAULT_MAX_GAS);
	hex_eq(h, sizeof(h), "048091BC7DDC283F77BFBF91D73C44DA58C3DF8A9CBC867405D8B7F3DAADA22F");
	/* other params, another hash */
	devnet_consensus_hash(other, DEVNET_DEFAULT_MAX_BYTES, 1000000);
	assert_memory_not_equal(h, other, sizeof(h));
}

static void test_empty_commit_hash(void **state)
{
	struct tm_commit c = { 0 };
	struct px_err err = { 0 };
	uint8_t h[TM_HASH_LEN];

	assert_true(devnet_commit_hash(&err, h, &c));
	hex_eq(h, sizeof(h), "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855");
}

/* Decodes a /block fixture, recomputes its block id and its
 * last_commit_hash. */
static void check_fixture(const char *file, const char *want_hash, const char *want_parts)
{
	char path[4096];
	struct px_err err = { 0 };
	struct devnet_block blk;
	uint8_t lch[TM_HASH_LEN];
	json_t *doc, *id;

	if (!vectors_dir) {
		skip();
		return;
	}
	snprintf(path, sizeof(path), "%s/cosmos/rpc/v0_38/incoming/%s", vectors_dir, file);
	doc = px_json_load_file(&err, path);
	if (!doc) {
		fprintf(stderr, "skipping: %s\n", err.msg);
		skip();
		return;
	}
	memset(&blk, 0, sizeof(blk));
	assert_true(tm_block_from_json(&err, &blk.header, &blk.last_commit, doc));
	assert_true(devnet_block_seal(&err, &blk));
	hex_eq(blk.block_id.hash.b, blk.block_id.hash.len, want_hash);
	hex_eq(blk.block_id.parts.hash.b, blk.block_id.parts.hash.len, want_parts);
	assert_int_equal(blk.block_id.parts.total, 1);
	assert_true(devnet_commit_hash(&err, lch, &blk.last_commit));
	assert_memory_equal(lch, blk.header.last_commit_hash.b, TM_HASH_LEN);
	/* the encoder's JSON reads back to the same block id */
	id = devnet_json_block(&blk);
	assert_non_null(id);
	{
		struct devnet_block again;
		json_t *wrapped = json_pack("{s:O}", "block", id);

		memset(&again, 0, sizeof(again));
		assert_true(tm_block_from_json(&err, &again.header, &again.last_commit, wrapped));
		assert_true(devnet_block_seal(&err, &again));
		assert_true(tm_block_id_equal(&again.block_id, &blk.block_id));
		devnet_block_free(&again);
		json_decref(wrapped);
	}
	json_decref(id);
	/* one byte of the header changed: another part set hash */
	{
		struct tm_block_id before = blk.block_id;

		blk.header.app_hash.b[0] ^= 1;
		assert_true(devnet_block_seal(&err, &blk));
		assert_memory_not_equal(before.parts.hash.b, blk.block_id.parts.hash.b, TM_HASH_LEN);
		assert_memory_not_equal(before.hash.b, blk.block_id.hash.b, TM_HASH_LEN);
	}
	devnet_block_free(&blk);
	json_decref(doc);
}

static void test_fixture_block_1(void **state)
{
	check_fixture("block_at_height_1.json",
		      "6CD5CF4E23A49D9BC073D6F305D29D1B8B5193B534C237696D42FEA5AFBCD520",
		      "F021777213F7EF77494C9B5C11D246A6F532DA146D205422D1FB85600F6B479C");
}

static void test_fixture_block_10(void **state)
{
	check_fixture("block_at_height_10.json",
		      "00ECDAC463C201ECD4BDBBAAE4A53A4C80291D4051FD69ED97F6420CE1388BFE",
		      "FF0A320E696FD233DD4D3CC7CD82FF90F54B8FDBC9C700D9375C95A02782B062");
}

/* ---- chains built here ---- */

#define CHAIN_LEN 12
#define CHANGE_AT 8	/* keys 0-3 sign up to 7, keys 4-7 from 8 on */

struct chain {
	struct tm_validator_set sets[2];
	struct devnet_block blocks[CHAIN_LEN + 1];
	struct tm_commit commits[CHAIN_LEN + 1];
};

static const struct tm_validator_set *set_at(const struct chain *c, int64_t h)
{
	return &c->sets[h >= CHANGE_AT];
}

static void chain_build(struct chain *c)
{
	struct px_err err = { 0 };
	struct tm_pubkey pubs[N_KEYS];
	struct px_time t = { 1700000000, 123456789 };

	memset(c, 0, sizeof(*c));
	for (int i = 0; i < N_KEYS; i++)
		pubs[i] = keys[i].pub;
	assert_true(devnet_valset_from_keys(&err, &c->sets[0], pubs, 4, 10));
	assert_true(devnet_valset_from_keys(&err, &c->sets[1], pubs + 4, 4, 10));
	for (int64_t h = 1; h <= CHAIN_LEN; h++) {
		struct devnet_block_params p = { 0 };
		uint8_t app[TM_HASH_LEN];
		struct px_time ts;

		px_sha256(app, &h, sizeof(h));
		p.chain_id = "test-devnet";
		p.height = h;
		p.time = t;
		p.validators = set_at(c, h);
		p.next_validators = set_at(c, h + 1);
		p.proposer = p.validators->validators[0].address;
		p.max_bytes = DEVNET_DEFAULT_MAX_BYTES;
		p.max_gas = DEVNET_DEFAULT_MAX_GAS;
		p.app_hash = h > 1 ? app : NULL;
		p.app_hash_len = h > 1 ? sizeof(app) : 0;
		if (h > 1) {
			p.last_block_id = &c->blocks[h - 1].block_id;
			p.last_commit = &c->commits[h - 1];
		}
		assert_true(devnet_block_make(&err, &c->blocks[h], &p));
		assert_true(px_time_add_ns(&ts, t, 1000000000));
		assert_true(devnet_commit_make(&err, &c->commits[h], "test-devnet", &c->blocks[h],
					       p.validators, keys, N_KEYS, ts));
		t = ts;
	}
}

static void chain_free(struct chain *c)
{
	for (int h = 0; h <= CHAIN_LEN; h++) {
		devnet_block_free(&c->blocks[h]);
		tm_commit_free(&c->commits[h]);
	}
	tm_validator_set_free(&c->sets[0]);
	tm_validator_set_free(&c->sets[1]);
}

static void light_block(const struct chain *c, struct tm_light_block *lb, int64_t h)
{
	struct px_err err = { 0 };

	memset(lb, 0, sizeof(*lb));
	lb->signed_header.header = c->blocks[h].header;
	assert_true(tm_commit_copy(&err, &lb->signed_header.commit, &c->commits[h]));
	assert_true(tm_validator_set_copy(&err, &lb->validators, set_at(c, h)));
	assert_true(tm_validator_set_copy(&err, &lb->next_validators, set_at(c, h + 1)));
	lb->has_validators = lb->has_next_validators = true;
}

static bool verify_pair(const struct chain *c, int64_t from, int64_t to, int *code,
			void (*tamper)(struct tm_light_block *))
{
	struct tm_light_block a, b;
	struct tm_trusted trusted, out;
	struct tm_options o;
	struct px_err err = { 0 };
	struct px_time now = { 1700000100, 0 };
	bool ok;

	tm_options_default(&o);
	light_block(c, &a, from);
	light_block(c, &b, to);
	if (tamper)
		tamper(&b);
	assert_true(tm_trust_anchor(&err, &trusted, &a));
	memset(&out, 0, sizeof(out));
	ok = tm_verify(&err, &out, &trusted, &b, &o, now);
	*code = err.code;
	if (ok)
		tm_trusted_free(&out);
	tm_trusted_free(&trusted);
	tm_light_block_free(&a);
	tm_light_block_free(&b);
	return ok;
}

static void test_chain_hashes(void **state)
{
	struct chain *c = calloc(1, sizeof(*c));
	struct px_err err = { 0 };
	uint8_t h[TM_HASH_LEN];

	assert_non_null(c);
	chain_build(c);
	for (int64_t i = 1; i <= CHAIN_LEN; i++) {
		const struct tm_header *hd = &c->blocks[i].header;

		/* the header hash is the block id its commit signs */
		assert_true(tm_header_hash(&err, h, hd));
		assert_memory_equal(h, c->commits[i].block_id.hash.b, TM_HASH_LEN);
		assert_true(tm_block_id_equal(&c->blocks[i].block_id, &c->commits[i].block_id));
		hex_eq(hd->data_hash.b, hd->data_hash.len,
		       "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855");
		hex_eq(hd->consensus_hash.b, hd->consensus_hash.len,
		       "048091BC7DDC283F77BFBF91D73C44DA58C3DF8A9CBC867405D8B7F3DAADA22F");
		assert_int_equal(hd->version_block, 11);
		if (i > 1) {
			assert_true(devnet_commit_hash(&err, h, &c->commits[i - 1]));
			assert_memory_equal(h, hd->last_commit_hash.b, TM_HASH_LEN);
			assert_true(tm_block_id_equal(&hd->last_block_id, &c->blocks[i - 1].block_id));
			assert_int_equal(c->blocks[i].last_commit.len, c->commits[i - 1].len);
		} else {
			hex_eq(hd->last_commit_hash.b, TM_HASH_LEN,
			       "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855");
			assert_true(tm_block_id_is_zero(&hd->last_block_id));
		}
		assert_true(tm_validator_set_hash(&err, h, set_at(c, i + 1)));
		assert_memory_equal(h, hd->next_validators_hash.b, TM_HASH_LEN);
	}
	chain_free(c);
	free(c);
}

static void flip_sig(struct tm_light_block *lb) { lb->signed_header.commit.sigs[1].signature[5] ^= 1; }
static void flip_app(struct tm_light_block *lb) { lb->signed_header.header.app_hash.b[0] ^= 1; }

static void test_chain_verifies(void **state)
{
	struct chain *c = calloc(1, sizeof(*c));
	int code = 0;

	assert_non_null(c);
	chain_build(c);
	for (int64_t h = 1; h < CHAIN_LEN; h++)
		assert_true(verify_pair(c, h, h + 1, &code, NULL));
	assert_true(verify_pair(c, 1, 5, &code, NULL));		/* skipping, same set */
	assert_true(verify_pair(c, 8, 12, &code, NULL));	/* skipping after the change */
	/* across the change to a disjoint set, only adjacent steps verify */
	assert_true(verify_pair(c, 7, 8, &code, NULL));
	assert_false(verify_pair(c, 3, 10, &code, NULL));
	assert_int_equal(code, PX_E_NOT_ENOUGH_TRUST);
	assert_false(verify_pair(c, 2, 3, &code, flip_sig));
	assert_int_equal(code, PX_E_BAD_SIGNATURE);
	assert_false(verify_pair(c, 2, 3, &code, flip_app));
	assert_int_equal(code, PX_E_BLOCK_ID);
	chain_free(c);
	free(c);
}

static void test_make_rejects(void **state)
{
	struct chain *c = calloc(1, sizeof(*c));
	struct devnet_block_params p = { 0 };
	struct devnet_block blk;
	struct tm_commit commit;
	struct px_err err = { 0 };
	struct px_time t = { 1700000000, 0 };

	assert_non_null(c);
	chain_build(c);
	p.chain_id = "test-devnet";
	p.height = 0;
	p.validators = p.next_validators = &c->sets[0];
	p.proposer = c->sets[0].validators[0].address;
	assert_false(devnet_block_make(&err, &blk, &p));
	assert_int_equal(err.code, PX_E_USAGE);
	/* a validator without a key cannot sign */
	px_err_clear(&err);
	assert_false(devnet_commit_make(&err, &commit, "test-devnet", &c->blocks[1], &c->sets[1],
					keys, 4, t));
	assert_int_equal(err.code, PX_E_CONFIG);
	assert_null(commit.sigs);
	chain_free(c);
	free(c);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_consensus_hash_default),
		cmocka_unit_test(test_empty_commit_hash),
		cmocka_unit_test(test_fixture_block_1),
		cmocka_unit_test(test_fixture_block_10),
		cmocka_unit_test(test_chain_hashes),
		cmocka_unit_test(test_chain_verifies),
		cmocka_unit_test(test_make_rejects),
	};

	vectors_dir = argc > 1 ? argv[1] : NULL;
	return cmocka_run_group_tests(tests, keys_setup, keys_teardown);
}
