/* A live Ethereum light client: follows a node over a websocket and
 * trusts only what it verified.
 *
 *   connect ─► eth_getBlockByHash(checkpoint) ─► verify against the hash
 *   the operator gave ─► eth_subscribe newHeads ─► eth_getBlockByNumber
 *   ("latest") ─► every announced header: verify and link (follower.c);
 *   gaps and forks: fetch what eth_follower_next_fetch names, one block at
 *   a time, until linked ─► proofs on request, verified against a trusted
 *   header's stateRoot.
 *
 * A newHeads payload is used as is when it hashes to the hash it claims
 * (anvil and geth send every header field); otherwise the full block is
 * fetched by that hash and verified instead. After a reconnect the client
 * subscribes again and asks for the latest block, which brings in the
 * headers missed meanwhile through the backfill above.
 *
 * Runs on an ethrpc_loop (ws.h); every callback runs on the loop thread. */
#ifndef PX_CHAINS_ETH_CLIENT_H
#define PX_CHAINS_ETH_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chains/ethereum/follower.h"
#include "chains/ethereum/ws.h"
#include "common/errors.h"
#include "lightclient/ethereum/getproof.h"
#include "lightclient/ethereum/header.h"

/* Storage slots asked for in one proof request. */
#define ETH_CLIENT_MAX_SLOTS 64u

struct eth_client_config {
	const char *url;			/* ws://host:port/path */
	uint8_t checkpoint_hash[ETH_HASH_LEN];	/* from the operator */
	size_t window;				/* 0: ETH_FOLLOWER_WINDOW_DEFAULT */
	uint64_t request_timeout_ms;		/* 0: 10 s */
	uint64_t backoff_min_ms;		/* 0: 100 ms */
	uint64_t backoff_max_ms;		/* 0: 10 s */
	struct eth_follower_events events;
};

struct eth_client_stats {
	uint64_t connects;
	uint64_t announced;		/* newHeads notifications */
	uint64_t payload_refetched;	/* newHeads payloads that did not hash: full block fetched */
	uint64_t fetched;		/* blocks fetched to fill gaps or walk forks */
	uint64_t rejected;		/* headers that failed verification */
	uint64_t proofs_verified;
	uint64_t proofs_failed;
};

struct eth_client;

/* Verified proof, or err (then proof is NULL). at is the trusted header
 * the proof was checked against. Everything is borrowed for the call. */
typedef void (*eth_client_proof_fn)(void *user, const struct px_err *err,
				    const struct mpt_get_proof *proof,
				    const struct eth_trusted_header *at);

/* Creates the client and starts connecting. PX_E_CONFIG for a bad url. */
bool eth_client_new(struct px_err *err, struct eth_client **out, struct ethrpc_loop *loop,
		    const struct eth_client_config *cfg) PX_MUST_CHECK;
/* Pending proof callbacks run with PX_E_RPC ("closed") before it returns. */
void eth_client_free(struct eth_client *c);

/* True once the checkpoint has been fetched and verified. */
bool eth_client_ready(const struct eth_client *c);
/* The trusted chain (NULL before ready). */
const struct eth_follower *eth_client_follower(const struct eth_client *c);
/* The checkpoint's failure, when the node served a header that does not
 * hash to the operator's checkpoint (the client then stops following). */
const struct px_err *eth_client_fatal(const struct eth_client *c);
struct eth_client_stats eth_client_stats(const struct eth_client *c);

/* Fetches eth_getProof(address, slots, number) and verifies it against the
 * trusted header at number on the head's branch (copied now, so a later
 * reorg does not change what the proof is checked against); slots are
 * 32-byte keys. False, with cb not called, when number is not trusted
 * (PX_E_NOT_ENOUGH_TRUST), too many slots (PX_E_TOO_LARGE) or the request
 * cannot be sent (PX_E_IO). The reply is checked to answer the question
 * asked: the address and the slots must be the ones requested. */
bool eth_client_get_proof(struct px_err *err, struct eth_client *c,
			  const uint8_t address[ETH_ADDRESS_LEN], const uint8_t (*slots)[ETH_U256_LEN],
			  size_t nslots, uint64_t number, eth_client_proof_fn cb,
			  void *user) PX_MUST_CHECK;

/* Closes the websocket and reconnects after hold_ms (tests of backfill). */
void eth_client_drop(struct eth_client *c, uint64_t hold_ms);

#endif
