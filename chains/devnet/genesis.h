/* The devnet's genesis file (HOME/config/genesis.json), shaped like
 * CometBFT's: chain_id, genesis_time, initial_height, consensus_params,
 * validators (ed25519 keys and powers), app_hash and app_state. app_state
 * holds the application's genesis in the Cosmos SDK's shape
 * (auth.accounts: BaseAccounts by bech32 address; bank.balances: address
 * and coins), read by chains/devnet/app.c at InitChain, and the devnet's
 * own section: the bech32 account prefix (app_state.devnet.account_prefix,
 * default "cosmos") and: the scheduled validator-set changes
 * (app_state.devnet.valset_changes: from height H on, these validators),
 * so that the genesis alone determines the validator set of every height
 * and a light client's bisection can be tested against a changing set.
 *
 * Parsing is strict: every field typed, counts capped, heights increasing. */
#ifndef PX_CHAINS_DEVNET_GENESIS_H
#define PX_CHAINS_DEVNET_GENESIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/errors.h"
#include "common/rfc3339.h"
#include "lightclient/tendermint/types.h"

#define DEVNET_MAX_VALIDATORS 128u	/* per set; a devnet signs with every key */
#define DEVNET_MAX_CHANGES 64u		/* scheduled validator-set changes */
#define DEVNET_GENESIS_MAX (4u << 20)	/* bytes of genesis.json */

struct devnet_valset_change {
	int64_t height;				/* first height signed by this set */
	struct tm_validator_set validators;	/* owned, normalized */
};

struct devnet_genesis {
	char chain_id[TM_MAX_CHAIN_ID + 1];
	struct px_time genesis_time;
	int64_t initial_height;
	int64_t max_bytes;			/* consensus_params.block */
	int64_t max_gas;
	struct tm_validator_set validators;	/* owned, normalized */
	struct devnet_valset_change *changes;	/* owned, heights increasing */
	size_t n_changes;
	char account_prefix[33];		/* bech32 HRP of accounts */
	json_t *doc;				/* the whole document, owned */
};

/* Reads and checks genesis.json. On failure out is zeroed. */
bool devnet_genesis_load(struct px_err *err, struct devnet_genesis *out, const char *path) PX_MUST_CHECK;
bool devnet_genesis_from_json(struct px_err *err, struct devnet_genesis *out, const json_t *doc) PX_MUST_CHECK;
void devnet_genesis_free(struct devnet_genesis *g);

/* The set that signs height h (the last change at or below h, else the
 * genesis set). Borrowed from g. */
const struct tm_validator_set *devnet_genesis_valset(const struct devnet_genesis *g, int64_t h);

/* A funded genesis account: coins as "100stake,5token" (denoms sorted). */
struct devnet_genesis_account {
	uint8_t address[20];
	const char *coins;
};

/* What `init` puts in a new genesis. Borrowed pointers. */
struct devnet_genesis_params {
	const char *chain_id;
	struct px_time genesis_time;
	int64_t initial_height;
	const struct tm_validator_set *validators;
	const struct devnet_valset_change *changes;
	size_t n_changes;
	const char *account_prefix;		/* NULL: "cosmos" */
	const struct devnet_genesis_account *accounts;
	size_t n_accounts;
};

/* A new genesis document (new reference), with CometBFT's default
 * consensus params. */
json_t *devnet_genesis_to_json(struct px_err *err, const struct devnet_genesis_params *p);

/* A validator set from public keys (copied) with one power each,
 * normalized. */
bool devnet_valset_from_keys(struct px_err *err, struct tm_validator_set *out,
			     const struct tm_pubkey *keys, size_t n, int64_t power) PX_MUST_CHECK;

#endif
