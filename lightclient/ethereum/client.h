/* An Ethereum execution-layer light client: a window of trusted headers
 * that starts at a checkpoint (a header whose hash the operator gives) and
 * grows by children linked through parentHash, and whether misbehaviour
 * froze it.
 *
 * The window is contiguous: every header in it is the child of the one
 * below, so it holds at most one header per height. A different header at
 * a held height that links to a held parent is a fork at a height the
 * client already trusts; whether it arrives as an update or as submitted
 * misbehaviour, the client freezes and keeps the evidence, and a frozen
 * client refuses every verification with PX_E_FROZEN. (The relayer only
 * submits headers a configured depth below the head, see docs/ethereum.md,
 * so a reorg shallower than that never reaches a client.)
 *
 * Headers carry no trusting period and execution-layer trust has no notion
 * of expiry: status is active or frozen, never expired. Sync-committee
 * (beacon chain) trust, a later step (DESIGN.md), has a period and will
 * add expiry; it will produce the same trusted headers, so proofs do not
 * change.
 *
 * Membership proofs are eth_getProof (EIP-1186) results checked against
 * the stateRoot of the held header at the proof height (getproof.h).
 *
 * The same client behind the generic interface: eth_lc_new / eth_lc_ops. */
#ifndef PX_LIGHTCLIENT_ETH_CLIENT_H
#define PX_LIGHTCLIENT_ETH_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/errors.h"
#include "lightclient/ethereum/header.h"
#include "lightclient/lc.h"

/* Held trusted headers; the oldest go first. Matches the follower's
 * reorg window. */
#define ETH_CLIENT_MAX_HEADERS 256u
/* An eth_getProof result handed to the client is refused above this size
 * before it is parsed (one account and a few slots take a few tens of
 * KiB). */
#define ETH_CLIENT_MAX_PROOF (1u << 20)

/* What froze the client: two headers at one height, both linked to the
 * trusted chain. */
struct eth_evidence {
	bool found;
	uint64_t number;			/* the conflicting height */
	uint8_t trusted_hash[ETH_HASH_LEN];	/* held (or first submitted) */
	uint8_t conflicting_hash[ETH_HASH_LEN];
};

struct eth_client {
	/* Ring by number: headers[n % ETH_CLIENT_MAX_HEADERS] for
	 * lowest <= n <= highest. */
	struct eth_trusted_header headers[ETH_CLIENT_MAX_HEADERS];
	uint64_t lowest, highest;
	bool frozen;
	struct eth_evidence evidence;	/* what froze it; !found otherwise */
};

/* Starts from checkpoint, trusted only when it hashes to checkpoint_hash
 * (eth_header_verify_checkpoint). */
bool eth_client_init(struct px_err *err, struct eth_client *c, const struct eth_header *checkpoint,
		     const uint8_t checkpoint_hash[ETH_HASH_LEN]) PX_MUST_CHECK;
void eth_client_free(struct eth_client *c);

/* Frozen or active; never expired (see above). */
enum lc_status eth_client_status(const struct eth_client *c);

const struct eth_trusted_header *eth_client_latest(const struct eth_client *c);
const struct eth_trusted_header *eth_client_header_at(const struct eth_client *c,
						      uint64_t number);

/* Trusts h as the child of the held header at h->number - 1. h must carry
 * its claimed hash (PX_E_USAGE otherwise), which must be what it hashes
 * to. A header already held is accepted as it is; a different one at a
 * held height freezes the client (false, PX_E_CONFLICT, evidence in
 * c->evidence). Errors: PX_E_NOT_ENOUGH_TRUST (no held parent height),
 * PX_E_PARENT_MISMATCH, PX_E_NOT_SUCCESSOR, PX_E_HASH_MISMATCH,
 * PX_E_TIME (a timestamp past INT64_MAX). *out (may be NULL) points to the
 * held header, valid until the next update. */
bool eth_client_update(struct px_err *err, struct eth_client *c,
		       const struct eth_trusted_header **out, const struct eth_header *h) PX_MUST_CHECK;

/* Two headers submitted as misbehaviour. Each must be held or be a child
 * of a held header (the same checks as an update, nothing held). Found
 * when they are at one height with different hashes: the client is frozen
 * and out (may be NULL) gets a copy of the evidence. True with !found when
 * they verify but do not conflict. */
bool eth_client_check_misbehaviour(struct px_err *err, struct eth_client *c,
				   struct eth_evidence *out, const struct eth_header *a,
				   const struct eth_header *b) PX_MUST_CHECK;

/* Checks what an eth_getProof result (JSON text of the "result" object,
 * at most ETH_CLIENT_MAX_PROOF bytes) proves against the stateRoot of the
 * held header at number, then compares it with the claim:
 *   - slot NULL: the account at address; account_rlp is its RLP
 *     [nonce, balance, storageRoot, codeHash], or len 0 for absent;
 *   - slot (32 bytes, big-endian, left-padded): that storage slot; value
 *     is the slot value as minimal big-endian bytes (no leading zero), or
 *     len 0 for zero, which is how absence reads (an absent account has
 *     only zero slots).
 * The result must be for address and, for a slot, contain a proof of it;
 * other slots in the result are verified too and otherwise ignored.
 * Errors: PX_E_HEIGHT (number not held), 2xx for a malformed result or
 * claim, PX_E_VALUE_MISMATCH when the proven value differs, PX_E_KEY_MISMATCH
 * for a result about another address or without the slot, and the proof
 * errors of getproof.h. */
bool eth_client_verify_proof(struct px_err *err, const struct eth_client *c, uint64_t number,
			     const uint8_t *proof, size_t proof_len,
			     const uint8_t address[ETH_ADDRESS_LEN], const uint8_t *slot,
			     const uint8_t *value, size_t value_len) PX_MUST_CHECK;

/* --- the generic interface --------------------------------------------- */

#define ETH_LC_CLIENT_TYPE "ethereum"
#define ETH_LC_MSG_HEADER "ethereum/header"		/* body: struct eth_lc_header */
#define ETH_LC_MSG_MISBEHAVIOUR "ethereum/misbehaviour"	/* body: struct eth_lc_misbehaviour */

struct eth_lc_header {
	const struct eth_header *header;	/* claimed, with its claimed hash */
};

struct eth_lc_misbehaviour {
	const struct eth_header *a;
	const struct eth_header *b;
};

extern const struct lc_ops eth_lc_ops;

/* A generic client over a new eth_client. Heights are {0, number}.
 * Membership: proof is an eth_getProof result as JSON text; path is
 * {address (20 bytes), slot (32 bytes)} with value the slot value as
 * minimal big-endian bytes, or {address} with value the account's RLP;
 * non-membership proves a zero slot or an absent account. The time
 * arguments are not used: nothing in execution-layer trust depends on
 * the clock. */
bool eth_lc_new(struct px_err *err, struct lc_client *out, const struct eth_header *checkpoint,
		const uint8_t checkpoint_hash[ETH_HASH_LEN]) PX_MUST_CHECK;

#endif
