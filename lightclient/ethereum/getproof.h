/* A whole eth_getProof (EIP-1186) result checked against a state root:
 * the account proof at Keccak-256(address), then every storage proof at
 * Keccak-256(slot) against the proven storage root, and every claimed
 * number in the result against what the proofs prove. A result that
 * claims anything the proofs do not show is refused, including the
 * claimed fields of an absent account (nonce 0, balance 0, the empty
 * storage root and the empty code hash; all-zero hashes, which some
 * clients send for absent accounts, are accepted too).
 *
 * The JSON is parsed completely before anything is verified, so malformed
 * input is always reported as such (2xx), never as a failed proof. */
#ifndef PX_LIGHTCLIENT_ETH_GETPROOF_H
#define PX_LIGHTCLIENT_ETH_GETPROOF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/errors.h"
#include "lightclient/ethereum/header.h"
#include "lightclient/ethereum/mpt.h"

/* Storage proofs accepted in one result. */
#define MPT_MAX_STORAGE_PROOFS 1024u

struct mpt_slot_result {
	uint8_t key[ETH_U256_LEN];	/* left-padded */
	bool exists;
	uint8_t value[ETH_U256_LEN];	/* zero when absent */
};

/* What a verified result proves. Owns slots (mpt_get_proof_free). */
struct mpt_get_proof {
	uint8_t address[ETH_ADDRESS_LEN];
	bool account_exists;
	struct eth_account account;	/* zero when absent */
	struct mpt_slot_result *slots;
	size_t nslots;
};

/* Verifies an eth_getProof result object against state_root. On failure
 * out is empty and err says why: 2xx for a malformed result (the message
 * names the field), 3xx when a proof or a claimed value does not verify
 * (PX_E_VALUE_MISMATCH names the field). */
bool mpt_get_proof_verify(struct px_err *err, struct mpt_get_proof *out,
			  const uint8_t state_root[ETH_HASH_LEN], const json_t *result) PX_MUST_CHECK;

/* The same against a trusted header's stateRoot. */
bool mpt_get_proof_verify_header(struct px_err *err, struct mpt_get_proof *out,
				 const struct eth_trusted_header *trusted,
				 const json_t *result) PX_MUST_CHECK;

void mpt_get_proof_free(struct mpt_get_proof *p);

#endif
