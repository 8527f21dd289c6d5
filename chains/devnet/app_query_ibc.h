/* The devnet's gRPC-over-ABCI query services for IBC (ibc-go v8's
 * 02-client, 03-connection and 04-channel Query services) and x/staking's
 * Params, served by app_query_ibc.c (and app_query_ibc_list.c, the
 * paginated listings) and dispatched from devnet_app_query
 * (app_query.c). Not a public header. */
#ifndef PX_CHAINS_DEVNET_APP_QUERY_IBC_H
#define PX_CHAINS_DEVNET_APP_QUERY_IBC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chains/devnet/app_internal.h"

/* x/staking Params the devnet reports (it has no staking module and no
 * staking section in its genesis): the Cosmos SDK's defaults, with the
 * unbonding time of most Cosmos chains, 21 days. The relayer's default
 * trusting period (336h) is 2/3 of it. */
#define DEVNET_UNBONDING_TIME_S 1814400u	/* 21 days */
#define DEVNET_MAX_VALIDATORS 100u
#define DEVNET_MAX_ENTRIES 7u
#define DEVNET_HISTORICAL_ENTRIES 10000u
#define DEVNET_BOND_DENOM "stake"

/* SDK ErrNotFound (codespace "sdk"): a query at a height that is not
 * retained, as baseapp's CreateQueryContext refuses it. */
#define DEVNET_CODE_NOT_FOUND 38

/* Caps (STYLE rule 13): sequences in one request's list, and entries one
 * paginated query scans under its prefix. */
#define DEVNET_QUERY_MAX_SEQUENCES 65536u
#define DEVNET_QUERY_MAX_SCAN (1u << 18)

/* True for the paths app_query_ibc serves. */
bool app_query_ibc_handles(const char *path);

/* Serves one of those paths at version (a committed version, 0 for the
 * latest, or DEVNET_IAVL_WORKING before the first block) into q, whose
 * height the dispatcher has set. A refused query is true with q->code and
 * q->log set, as devnet_app_query documents; false only for internal
 * failures (err): out of memory, a stored value that does not decode. */
bool app_query_ibc(struct px_err *err, struct devnet_app *a, struct devnet_app_query *q,
		   const char *path, const uint8_t *data, size_t len, int64_t version) PX_MUST_CHECK;

#endif
