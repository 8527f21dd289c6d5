/* CometBFT block data as the light client sees it: headers, commits,
 * validator sets, and light blocks (signed header + the validator sets that
 * go with it), decoded from the JSON that CometBFT RPC returns (0.34, 0.37
 * and 0.38 shapes; also the light-client fixture shape with
 * `part_set_header`).
 *
 * A struct tm_light_block is UNVERIFIED: it is what a node said. The only
 * way to a struct tm_trusted (verify.h) is through a verify function, or by
 * the operator naming a trust anchor explicitly. Decoded blocks own their
 * arrays; tm_light_block_free releases them. */
#ifndef PX_LIGHTCLIENT_TENDERMINT_TYPES_H
#define PX_LIGHTCLIENT_TENDERMINT_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/errors.h"
#include "common/rfc3339.h"

#define TM_HASH_LEN 32
#define TM_ADDRESS_LEN 20
#define TM_MAX_BYTES 64		/* longest hash-like field (app_hash may vary) */
#define TM_MAX_CHAIN_ID 50	/* CometBFT's MaxChainIDLen */
#define TM_MAX_VALIDATORS 10000	/* cap on validators in a set and sigs in a commit */
#define TM_SIGNATURE_LEN 64
/* CometBFT's MaxTotalVotingPower: int64 max / 8. */
#define TM_MAX_TOTAL_POWER (INT64_MAX / 8)

/* Bytes of a hash-like field: empty (len 0) or up to TM_MAX_BYTES. */
struct tm_bytes {
	uint8_t b[TM_MAX_BYTES];
	size_t len;
};

struct tm_part_set_header {
	uint32_t total;
	struct tm_bytes hash;
};

struct tm_block_id {
	struct tm_bytes hash;
	struct tm_part_set_header parts;
};

struct tm_header {
	uint64_t version_block;
	uint64_t version_app;
	char chain_id[TM_MAX_CHAIN_ID + 1];
	int64_t height;
	struct px_time time;
	struct tm_block_id last_block_id;
	struct tm_bytes last_commit_hash;
	struct tm_bytes data_hash;
	struct tm_bytes validators_hash;
	struct tm_bytes next_validators_hash;
	struct tm_bytes consensus_hash;
	struct tm_bytes app_hash;
	struct tm_bytes last_results_hash;
	struct tm_bytes evidence_hash;
	struct tm_bytes proposer_address;
};

enum tm_key_type {
	TM_KEY_ED25519 = 1,
	TM_KEY_SECP256K1 = 2,
};

struct tm_pubkey {
	enum tm_key_type type;
	uint8_t bytes[33];	/* ed25519: 32, secp256k1: 33 (compressed) */
	size_t len;
};

struct tm_validator {
	uint8_t address[TM_ADDRESS_LEN];
	struct tm_pubkey pub_key;
	int64_t voting_power;
	int64_t proposer_priority;
};

/* Validators in CometBFT order: voting power descending, then address
 * ascending (the decoder sorts, since files do not always keep it). */
struct tm_validator_set {
	struct tm_validator *validators;	/* owned */
	size_t len;
	int64_t total_power;			/* computed, not read */
};

enum tm_block_id_flag {
	TM_FLAG_ABSENT = 1,
	TM_FLAG_COMMIT = 2,
	TM_FLAG_NIL = 3,
};

struct tm_commit_sig {
	enum tm_block_id_flag flag;
	uint8_t validator_address[TM_ADDRESS_LEN];
	struct px_time timestamp;
	uint8_t signature[TM_SIGNATURE_LEN];
	size_t signature_len;
};

struct tm_commit {
	int64_t height;
	int32_t round;
	struct tm_block_id block_id;
	struct tm_commit_sig *sigs;	/* owned */
	size_t len;
};

struct tm_signed_header {
	struct tm_header header;
	struct tm_commit commit;
};

/* An unverified light block. */
struct tm_light_block {
	struct tm_signed_header signed_header;
	struct tm_validator_set validators;
	struct tm_validator_set next_validators;
	bool has_validators;
	bool has_next_validators;
};

/* Decoders. Each reads the object's fields by name, with types checked,
 * and reports the first problem as PX_E_JSON / PX_E_MALFORMED naming the
 * field. On failure the output is zeroed (and freed). */
bool tm_header_from_json(struct px_err *err, struct tm_header *out, const json_t *obj) PX_MUST_CHECK;
bool tm_block_id_from_json(struct px_err *err, struct tm_block_id *out, const json_t *obj) PX_MUST_CHECK;
bool tm_commit_from_json(struct px_err *err, struct tm_commit *out, const json_t *obj) PX_MUST_CHECK;
bool tm_validator_set_from_json(struct px_err *err, struct tm_validator_set *out,
				const json_t *obj) PX_MUST_CHECK;
bool tm_signed_header_from_json(struct px_err *err, struct tm_signed_header *out,
				const json_t *obj) PX_MUST_CHECK;
/* {signed_header, validator_set?, next_validator_set?}; a whole JSON-RPC
 * response ({"result": ...}) is unwrapped first. */
bool tm_light_block_from_json(struct px_err *err, struct tm_light_block *out,
			      const json_t *obj) PX_MUST_CHECK;
/* A /block result or a websocket NewBlock event: the header and the
 * commit of the previous height it carries (last_commit). */
bool tm_block_from_json(struct px_err *err, struct tm_header *header, struct tm_commit *last_commit,
			const json_t *obj) PX_MUST_CHECK;

void tm_commit_free(struct tm_commit *c);
void tm_validator_set_free(struct tm_validator_set *vs);
void tm_signed_header_free(struct tm_signed_header *sh);
void tm_light_block_free(struct tm_light_block *lb);

/* Deep copies (out must be freed by the caller). */
bool tm_validator_set_copy(struct px_err *err, struct tm_validator_set *out,
			   const struct tm_validator_set *in) PX_MUST_CHECK;
bool tm_commit_copy(struct px_err *err, struct tm_commit *out, const struct tm_commit *in) PX_MUST_CHECK;
bool tm_light_block_copy(struct px_err *err, struct tm_light_block *out,
			 const struct tm_light_block *in) PX_MUST_CHECK;

/* Sorts into CometBFT order and computes total_power; rejects duplicate
 * addresses, non-positive powers, a total over TM_MAX_TOTAL_POWER, and an
 * address that does not derive from its key. */
bool tm_validator_set_normalize(struct px_err *err, struct tm_validator_set *vs) PX_MUST_CHECK;

/* Index of the validator with this address, or -1. */
ptrdiff_t tm_validator_set_find(const struct tm_validator_set *vs, const uint8_t address[TM_ADDRESS_LEN]);

#endif
