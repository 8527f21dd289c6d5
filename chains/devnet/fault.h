/* Fault switches of the devnet, for tests of the relayer and its light
 * client: they change only what the RPC serves, never the stored chain,
 * and clearing a switch restores correct answers.
 *
 *   drop_ws          close every websocket connection now (the server
 *                    does it after the current request);
 *   drop_ws=N        close a websocket connection instead of sending its
 *                    Nth outgoing message (then the 2Nth, ...);
 *   delay_ms=N       delay each response (HTTP, websocket messages) by N
 *                    ms, at most DEVNET_FAULT_MAX_DELAY_MS;
 *   corrupt_proof    abci_query with prove: one byte of the ics23:iavl op
 *                    data flipped;
 *   wrong_key_header the signatures of /commit and of NewBlock's
 *                    last_commit made by a key outside every validator set;
 *   equivocate=H     /commit at height H serves a conflicting block: the
 *                    header with another app hash, signed by the
 *                    validators' own keys (misbehaviour evidence).
 *
 * Set with `pontifex-devnet start --fault NAME[=VALUE]` or, on a node
 * started with --admin, the JSON-RPC method devnet_fault {name, value};
 * value "0", "off" or "false" clears a switch, name "clear" clears all. */
#ifndef PX_CHAINS_DEVNET_FAULT_H
#define PX_CHAINS_DEVNET_FAULT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "chains/devnet/privval.h"
#include "common/errors.h"

#define DEVNET_FAULT_MAX_DELAY_MS 30000u
#define DEVNET_FAULT_MAX_DROP_EVERY 1000000u
#define DEVNET_FAULT_MAX_VALUE 32

struct devnet_faults {
	bool admin;			/* devnet_fault is served */
	bool drop_ws_now;		/* consumed by the server */
	uint64_t drop_ws_every;		/* 0: off */
	uint64_t delay_ms;		/* 0: off */
	bool corrupt_proof;
	bool wrong_key_header;
	int64_t equivocate_height;	/* 0: off */
	struct devnet_key wrong_key;	/* in no validator set: its seed is not a test seed's */
};

/* All switches off; makes the wrong key. */
bool devnet_faults_init(struct px_err *err, struct devnet_faults *f) PX_MUST_CHECK;
void devnet_faults_free(struct devnet_faults *f);

/* Sets switch name to value (NULL or "" means on / now); PX_E_USAGE for
 * an unknown name or a bad value, and then nothing changed. */
bool devnet_faults_set(struct px_err *err, struct devnet_faults *f, const char *name,
		       const char *value) PX_MUST_CHECK;

/* The switches as an object (new reference, NULL when out of memory). */
json_t *devnet_faults_state(const struct devnet_faults *f);

/* Re-signs a served commit object (CometBFT JSON shape, changed in
 * place): with the wrong key when `wrong`, else with each validator's key
 * found in keys. With header non-NULL (the signed header's header object,
 * changed in place) the header first gets another app hash and the commit
 * the new block hash: the equivocating block. */
bool devnet_faults_resign(struct px_err *err, const struct devnet_faults *f, json_t *header,
			  json_t *commit, const char *chain_id, const struct devnet_key *keys,
			  size_t n_keys, bool wrong) PX_MUST_CHECK;

#endif
