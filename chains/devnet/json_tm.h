/* CometBFT 0.38 JSON shapes of the devnet's block data, as its RPC serves
 * them: int64 as decimal strings, hashes as upper-case hex, signatures and
 * keys as base64, times as RFC 3339 with nanoseconds. Each function
 * returns a new reference, or NULL when out of memory. The inverse is
 * lightclient/tendermint/decode.c, which the tests use to read them back. */
#ifndef PX_CHAINS_DEVNET_JSON_TM_H
#define PX_CHAINS_DEVNET_JSON_TM_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "chains/devnet/block.h"
#include "common/rfc3339.h"
#include "lightclient/tendermint/types.h"

json_t *devnet_json_hex(const uint8_t *b, size_t len);
json_t *devnet_json_b64(const uint8_t *b, size_t len);
json_t *devnet_json_i64(int64_t v);
json_t *devnet_json_time(struct px_time t);
json_t *devnet_json_pubkey(const struct tm_pubkey *pk);
json_t *devnet_json_block_id(const struct tm_block_id *id);
json_t *devnet_json_header(const struct tm_header *h);
json_t *devnet_json_commit(const struct tm_commit *c);
/* {address, pub_key, voting_power, proposer_priority} per validator. */
json_t *devnet_json_validators(const struct tm_validator_set *vs, size_t first, size_t count);
/* The "block" object: {header, data, evidence, last_commit}. */
json_t *devnet_json_block(const struct devnet_block *blk);

#endif
