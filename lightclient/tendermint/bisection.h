/* Skipping verification with bisection (the CometBFT light client's
 * verifySkipping): from trusted state, try the target block directly; when
 * too little of the trusted validator set signed it (PX_E_NOT_ENOUGH_TRUST),
 * fetch the block halfway between the last verified height and the one that
 * failed, verify that first, and retry. Any other failure stops the walk
 * with that failure. The result is the verified trace: the blocks that were
 * verified, in increasing height, ending at the target, which the relayer
 * submits as a chain of MsgUpdateClient.
 *
 * Blocks come from a provider, a small table of functions, so the same
 * walk runs offline over blocks in memory (files, tests) and online over
 * RPC. This layer never reads files or the network itself: the in-memory
 * block store below is what the CLI fills from files. */
#ifndef PX_LIGHTCLIENT_TENDERMINT_BISECTION_H
#define PX_LIGHTCLIENT_TENDERMINT_BISECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/errors.h"
#include "common/rfc3339.h"
#include "lightclient/tendermint/types.h"
#include "lightclient/tendermint/verify.h"

/* Fetches the light block at height (0: the latest) into out, which the
 * caller then owns (tm_light_block_free); on failure out is left zeroed
 * (nothing to free). A block at another height than
 * asked for is refused by the caller. Errors: PX_E_RPC / PX_E_IO when it
 * cannot be had, 2xx when what arrived is malformed. */
struct tm_provider {
	void *ctx;
	bool (*light_block)(void *ctx, struct px_err *err, struct tm_light_block *out,
			    int64_t height);
};

#define TM_BISECTION_MAX_FETCH 128	/* default bound on fetched blocks */

/* A verified trace: blocks[0..len) in increasing height, the last at the
 * target; `trusted` is the state after the last block. Owns everything. */
struct tm_trace {
	struct tm_light_block *blocks;
	size_t len;
	struct tm_trusted trusted;
	size_t fetched;		/* blocks asked of the provider */
};

/* Verifies the block at target (0: the provider's latest) from trusted.
 * max_fetch bounds the blocks asked of the provider (0: the default);
 * running out is PX_E_NOT_ENOUGH_TRUST. On failure out is zeroed, except
 * out->fetched. */
bool tm_bisect(struct px_err *err, struct tm_trace *out, const struct tm_trusted *trusted,
	       const struct tm_provider *provider, int64_t target, const struct tm_options *opts,
	       struct px_time now, size_t max_fetch) PX_MUST_CHECK;

void tm_trace_free(struct tm_trace *t);

/* --- an in-memory provider ---------------------------------------------- */

#define TM_STORE_MAX_BLOCKS 100000

/* Light blocks by height (unique), owned. */
struct tm_block_store {
	struct tm_light_block *blocks;	/* sorted by height */
	size_t len;
	size_t cap;
};

void tm_block_store_init(struct tm_block_store *s);
void tm_block_store_free(struct tm_block_store *s);

/* Takes ownership of *lb (zeroed on return, also on failure, when it is
 * freed). A second block at a height already held is PX_E_MALFORMED. */
bool tm_block_store_take(struct px_err *err, struct tm_block_store *s,
			 struct tm_light_block *lb) PX_MUST_CHECK;

/* Adds one light block (an object) or several (an array of them). */
bool tm_block_store_add_json(struct px_err *err, struct tm_block_store *s,
			     const json_t *doc) PX_MUST_CHECK;

/* The block at height, or NULL; height 0 is the highest. */
const struct tm_light_block *tm_block_store_get(const struct tm_block_store *s, int64_t height);

/* A provider over s (which must outlive it); returns copies. */
struct tm_provider tm_block_store_provider(struct tm_block_store *s);

#endif
