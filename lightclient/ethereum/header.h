/* Ethereum execution-layer block headers: decoding from JSON-RPC results
 * (eth_getBlockByNumber / eth_getBlockByHash, "result" members), from the
 * BlockchainTests fixture naming and from RLP; encoding and hashing; and
 * the only way to trust one.
 *
 * Two types keep trust visible in signatures. struct eth_header is what a
 * peer or a file claims: decoded and well-formed, nothing more. struct
 * eth_trusted_header is only ever written by the eth_header_verify_*
 * functions below, which recompute the hash (Keccak-256 of the RLP of the
 * fields present, in fork order) and tie it either to a checkpoint hash the
 * operator gave or to the hash of an already trusted parent. Code that
 * needs a state root to check proofs against takes the trusted type.
 *
 * The field set is the fork's: Frontier..Berlin 15 fields, London adds
 * baseFeePerGas, Shanghai withdrawalsRoot, Cancun blobGasUsed,
 * excessBlobGas and parentBeaconBlockRoot, Prague requestsHash. Optional
 * fields must appear as a prefix of that order (no gaps). */
#ifndef PX_LIGHTCLIENT_ETH_HEADER_H
#define PX_LIGHTCLIENT_ETH_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/buf.h"
#include "common/errors.h"

#define ETH_HASH_LEN 32
#define ETH_ADDRESS_LEN 20
#define ETH_BLOOM_LEN 256
#define ETH_NONCE_LEN 8
#define ETH_U256_LEN 32
/* extraData is at most 32 bytes on mainnet; Clique and other networks put
 * signatures there, so the cap is larger. */
#define ETH_EXTRA_MAX 1024u
/* An RLP header larger than this is refused before decoding. */
#define ETH_HEADER_MAX_RLP 4096u

/* Number of fields by fork (RLP list length). */
#define ETH_FIELDS_FRONTIER 15u
#define ETH_FIELDS_LONDON 16u	/* + baseFeePerGas */
#define ETH_FIELDS_SHANGHAI 17u	/* + withdrawalsRoot */
#define ETH_FIELDS_CANCUN 20u	/* + blobGasUsed, excessBlobGas, parentBeaconBlockRoot */
#define ETH_FIELDS_PRAGUE 21u	/* + requestsHash */
#define ETH_FIELDS_MAX ETH_FIELDS_PRAGUE

/* A header as claimed; not trusted. Integers wider than 64 bits in the
 * protocol (difficulty, baseFeePerGas) are kept as 32-byte big-endian. */
struct eth_header {
	uint8_t parent_hash[ETH_HASH_LEN];
	uint8_t uncles_hash[ETH_HASH_LEN];
	uint8_t miner[ETH_ADDRESS_LEN];
	uint8_t state_root[ETH_HASH_LEN];
	uint8_t transactions_root[ETH_HASH_LEN];
	uint8_t receipts_root[ETH_HASH_LEN];
	uint8_t logs_bloom[ETH_BLOOM_LEN];
	uint8_t difficulty[ETH_U256_LEN];
	uint64_t number;
	uint64_t gas_limit;
	uint64_t gas_used;
	uint64_t timestamp;
	uint8_t extra_data[ETH_EXTRA_MAX];
	size_t extra_data_len;
	uint8_t mix_hash[ETH_HASH_LEN];
	uint8_t nonce[ETH_NONCE_LEN];
	uint8_t base_fee[ETH_U256_LEN];			/* London */
	uint8_t withdrawals_root[ETH_HASH_LEN];		/* Shanghai */
	uint64_t blob_gas_used;				/* Cancun */
	uint64_t excess_blob_gas;			/* Cancun */
	uint8_t parent_beacon_root[ETH_HASH_LEN];	/* Cancun */
	uint8_t requests_hash[ETH_HASH_LEN];		/* Prague */
	unsigned nfields;	/* ETH_FIELDS_FRONTIER..ETH_FIELDS_MAX */

	/* The hash the source claimed (JSON "hash"), when it gave one. */
	bool has_claimed_hash;
	uint8_t claimed_hash[ETH_HASH_LEN];
};

/* A header whose hash was recomputed and tied to a checkpoint or to a
 * trusted parent. Only eth_header_verify_* write one. */
struct eth_trusted_header {
	struct eth_header header;
	uint8_t hash[ETH_HASH_LEN];
};

enum eth_header_naming {
	ETH_NAMING_RPC,		/* parentHash, sha3Uncles, miner, transactionsRoot, ... */
	ETH_NAMING_FIXTURE,	/* uncleHash, coinbase, transactionsTrie, receiptTrie, bloom */
};

/* Decodes a header from a JSON object (members other than header fields
 * are ignored). Quantities are 0x-prefixed hex integers, odd length and
 * leading zeros allowed; data fields are exact 0x-prefixed byte strings.
 * "hash", when present, is kept as the claimed hash. On failure out is
 * zeroed and err names the field (PX_E_JSON, PX_E_ENCODING, PX_E_NUMBER,
 * PX_E_TOO_LARGE or PX_E_MALFORMED for a gap in the optional fields). */
bool eth_header_from_json(struct px_err *err, struct eth_header *out, const json_t *obj,
			  enum eth_header_naming naming) PX_MUST_CHECK;

/* Decodes an RLP-encoded header (exactly one list of 15..21 fields, strict
 * RLP). No claimed hash. */
bool eth_header_decode(struct px_err *err, struct eth_header *out, const uint8_t *buf,
		       size_t len) PX_MUST_CHECK;

/* Appends the RLP encoding of the header's fields. */
void eth_header_encode(struct px_buf *out, const struct eth_header *h);

/* Keccak-256 of the encoding (no allocation; cannot fail). */
void eth_header_hash(uint8_t out[ETH_HASH_LEN], const struct eth_header *h);

/* Trusts h as a checkpoint: its recomputed hash must equal expected_hash
 * (given by the operator) and the claimed hash when there is one.
 * PX_E_HASH_MISMATCH otherwise. out is zeroed on failure. */
bool eth_header_verify_checkpoint(struct px_err *err, struct eth_trusted_header *out,
				  const struct eth_header *h,
				  const uint8_t expected_hash[ETH_HASH_LEN]) PX_MUST_CHECK;

/* Trusts h as the child of parent: recomputed hash equal to the claimed
 * hash when there is one (PX_E_HASH_MISMATCH), parentHash equal to the parent's hash
 * (PX_E_PARENT_MISMATCH) and number one more than the parent's
 * (PX_E_NOT_SUCCESSOR). out is zeroed on failure. */
bool eth_header_verify_child(struct px_err *err, struct eth_trusted_header *out,
			     const struct eth_trusted_header *parent,
			     const struct eth_header *h) PX_MUST_CHECK;

/* The fork name a field count stands for ("frontier".."prague"). */
const char *eth_header_fork_name(unsigned nfields);

#endif
