/* Test helper: deterministic, really signed CometBFT light blocks.
 *
 * Keys are ed25519 (OpenSSL) from fixed seeds, so every run builds the same
 * blocks. A chain is a run of heights 1..n whose validator set changes
 * every `epoch` heights by sliding a window over the key pool: adjacent
 * epochs share half their power (enough for a 1/3 trust level), epochs two
 * apart share none, so verifying far ahead needs bisection pivots.
 * Single blocks (forks, tampered blocks, other chains) are made from
 * explicit parameters. Headers are hashed with tm_header_hash and
 * tm_validator_set_hash and precommits are signed over
 * tm_commit_sign_bytes: the code under test recomputes all of it. */
#ifndef PX_TESTS_TENDERMINT_TESTCHAIN_H
#define PX_TESTS_TENDERMINT_TESTCHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "lightclient/tendermint/types.h"

#define TC_MAX_KEYS 64
#define TC_MAX_SET 16
#define TC_T0 1704067200	/* 2024-01-01T00:00:00Z */

/* A validator set as key indices and powers. */
struct tc_set {
	int key[TC_MAX_SET];
	int64_t power[TC_MAX_SET];
	size_t n;
};

struct tc_block_params {
	const char *chain_id;
	int64_t height;
	struct px_time time;
	struct tc_set vals;
	struct tc_set next_vals;
	uint32_t app_seed;		/* app_hash = sha256("app" || seed || height) */
	const uint8_t *app_hash;	/* or these 32 bytes when set */
	uint32_t signers;		/* bit i: vals.key[i] signs; 0 means all */
	struct tm_block_id last_block_id;
};

struct tc_chain {
	char chain_id[TM_MAX_CHAIN_ID + 1];
	struct tm_light_block *blocks;	/* blocks[h - 1] for h in 1..n */
	int64_t n;
	int64_t epoch;
	size_t set_size;
};

/* The set of height h in a chain with this epoch and set size (keys
 * slide by set_size / 2 per epoch, power 10 each). */
void tc_chain_set(struct tc_set *out, int64_t epoch, size_t set_size, int64_t h);

/* Builds one signed light block (aborts on internal failure). */
void tc_block_make(struct tm_light_block *out, const struct tc_block_params *p);

/* Heights 1..n, one block every 10 s from TC_T0 + 10 s. */
void tc_chain_build(struct tc_chain *c, const char *chain_id, int64_t n, int64_t epoch,
		    size_t set_size);
void tc_chain_free(struct tc_chain *c);
const struct tm_light_block *tc_chain_at(const struct tc_chain *c, int64_t h);

/* The parameters that built block h of c (to make a fork of it). */
void tc_chain_params(struct tc_block_params *out, const struct tc_chain *c, int64_t h);

/* Re-signs a block after a test changed its header (recomputes the block
 * id and every signature of the commit, signers as given, 0 = all). */
void tc_block_resign(struct tm_light_block *lb, const struct tc_set *vals, uint32_t signers);

/* The block as CometBFT JSON {signed_header, validator_set,
 * next_validator_set} (new reference). */
json_t *tc_block_to_json(const struct tm_light_block *lb);

struct px_time tc_time(int64_t seconds);

#endif
