/* The Tendermint client in the form an IBC host keeps it (ibc-go's
 * 07-tendermint): parameters (the ClientState) and, per height, a consensus
 * state of three fields (block time, app hash as commitment root, next
 * validators hash) with no validator sets. A header therefore brings the
 * validators it is verified from: its trusted_height names the consensus
 * state it builds on and its trusted_validators must hash to that state's
 * next_validators_hash.
 *
 * The client holds no consensus states itself: the host reads them through
 * a callback (the devnet reads its store), so that a client can be built
 * per message from stored state and thrown away. What a successful update
 * produced is returned in lc_consensus plus tm_ibc_client.last (the
 * next_validators_hash the host stores), and params.latest is raised to
 * the header's height when that is higher; the host writes them back.
 * Validator sets must be normalized (tm_validator_set_normalize); a
 * total_power that is not the sum of the powers is PX_E_MALFORMED.
 *
 * Behind the generic light-client table (lc.h) as tm_ibc_lc_ops:
 * - verify_header: message TM_IBC_MSG_HEADER. Refuses when frozen
 *   (PX_E_FROZEN), when the trusted consensus state is absent
 *   (PX_E_IBC_NOT_FOUND), when the header's revision differs from the
 *   trusted height's or its height is not above it (PX_E_HEIGHT), when the
 *   trusted validators do not hash to the stored next_validators_hash
 *   (PX_E_VALSET_HASH), and with tm_verify's codes otherwise (chain id,
 *   expired trust, signatures, voting power, adjacent next set, time). A
 *   header for a height that already has a different consensus state is
 *   misbehaviour: the client is frozen (params.frozen = 0-1, as ibc-go)
 *   and the call fails with PX_E_CONFLICT; the host must persist the
 *   frozen parameters. The same consensus state again is accepted. A
 *   foreign message or a header missing a part is PX_E_USAGE; a failing
 *   consensus callback's error is passed on (PX_E_INTERNAL if it set
 *   none). On failure out, last and params are untouched (but for the
 *   freeze).
 * - check_misbehaviour: message TM_IBC_MSG_MISBEHAVIOUR, two headers each
 *   verified from its own trusted state the way ibc-go verifies
 *   misbehaviour: the checks above on the trusted state (absent, revision,
 *   height, trusted validators' hash), the trusted state within its
 *   trusting period (PX_E_TRUST_EXPIRED), chain id, validators hash, block
 *   id, and more than the trust level of the trusted validators signed
 *   (PX_E_NOT_ENOUGH_TRUST); neither clock drift nor time after the
 *   trusted state is required of evidence. Header 1 below header 2 is
 *   PX_E_MALFORMED. Found when both have one height and different block
 *   hashes ("conflicting_headers"), or when header 1 is higher but not
 *   later in time than header 2 ("time_monotonicity"). Found freezes the
 *   client (params.frozen = 0-1); out->common is the lower trusted height,
 *   out->height header 1's, conflicting_hash header 1's block hash and
 *   trusted_hash header 2's. Frozen: PX_E_FROZEN.
 * - verify_membership / verify_non_membership: proof is an IBC MerkleProof
 *   of two CommitmentProofs (the ics23:iavl store proof, then the
 *   ics23:simple multistore proof), path is {store name, key}, checked
 *   against the root of the consensus state at height (absent:
 *   PX_E_IBC_NOT_FOUND). Frozen: PX_E_FROZEN; expired: PX_E_TRUST_EXPIRED;
 *   membership of an empty value or a path that is not two parts:
 *   PX_E_USAGE. Checked in that order: frozen, expired, path and proof
 *   shape, consensus state, proof.
 * - status: frozen when params.frozen is not zero; expired when the
 *   consensus state at params.latest is absent or older than the trusting
 *   period at now (or cannot be read); active otherwise.
 * - free: does nothing (the client is the caller's).
 *
 * client_type is "07-tendermint", as for the full client (client.h). */
#ifndef PX_LIGHTCLIENT_TENDERMINT_CLIENT_IBC_H
#define PX_LIGHTCLIENT_TENDERMINT_CLIENT_IBC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/errors.h"
#include "common/rfc3339.h"
#include "lightclient/lc.h"
#include "lightclient/tendermint/types.h"
#include "lightclient/tendermint/verify.h"

#define TM_IBC_MSG_HEADER "07-tendermint/ibc-header"		/* body: struct tm_ibc_header */
#define TM_IBC_MSG_MISBEHAVIOUR "07-tendermint/ibc-misbehaviour"	/* body: struct tm_ibc_misbehaviour */

struct tm_ibc_consensus {
	struct px_time time;
	uint8_t root[TM_MAX_BYTES];	/* the block's app hash */
	size_t root_len;
	uint8_t next_validators_hash[TM_HASH_LEN];
};

/* The ClientState fields verification needs. */
struct tm_ibc_params {
	char chain_id[TM_MAX_CHAIN_ID + 1];
	struct tm_options opts;		/* trust level, trusting period, clock drift */
	uint64_t unbonding_ns;
	struct lc_height latest;
	struct lc_height frozen;	/* 0-0: not frozen */
};

/* Reads the consensus state at h; an absent one is true with !*found. */
typedef bool (*tm_ibc_consensus_fn)(void *ctx, struct px_err *err, struct tm_ibc_consensus *out,
				    bool *found, struct lc_height h);

struct tm_ibc_client {
	struct tm_ibc_params params;
	tm_ibc_consensus_fn consensus;
	void *ctx;
	/* Set by a successful verify_header: the consensus state to store at
	 * the header's height (also in lc_consensus, which lacks
	 * next_validators_hash). */
	struct tm_ibc_consensus last;
};

/* An ibc-go Header in the light client's types (all borrowed). */
struct tm_ibc_header {
	const struct tm_signed_header *signed_header;
	const struct tm_validator_set *validators;
	struct lc_height trusted_height;
	const struct tm_validator_set *trusted_validators;
};

struct tm_ibc_misbehaviour {
	struct tm_ibc_header h1;
	struct tm_ibc_header h2;
};

extern const struct lc_ops tm_ibc_lc_ops;

/* A generic client over c (borrowed: c must outlive it; lc free does
 * nothing). */
void tm_ibc_lc_init(struct lc_client *out, struct tm_ibc_client *c);

/* The checks ibc-go's ClientState.Validate makes on params (chain id set,
 * options valid, clock drift not zero, trusting period below the unbonding
 * period, latest height not zero and in the chain id's revision):
 * PX_E_USAGE naming the first bad field. */
bool tm_ibc_params_check(struct px_err *err, const struct tm_ibc_params *p) PX_MUST_CHECK;

/* A membership proof of either Tendermint client (this one and
 * client_lc.c's) taken apart: path is {store name, key} (PX_E_USAGE
 * otherwise) and proof an IBC MerkleProof, split by tm_merkle_proof_split
 * into the ics23:iavl store proof and the ics23:simple multistore proof.
 * Everything in out borrows from path and proof; out is untouched on
 * failure. */
struct tm_ibc_proof {
	struct px_slice store;
	struct px_slice key;
	struct px_slice iavl;
	struct px_slice simple;
};

bool tm_ibc_proof_split(struct px_err *err, struct tm_ibc_proof *out, const uint8_t *proof,
			size_t proof_len, const struct px_slice *path,
			size_t path_len) PX_MUST_CHECK;

#endif
