/* Internals shared by app.c (transactions), app_state.c (caches, accounts,
 * balances), app_query.c (gRPC-over-ABCI queries) and the IBC host
 * (app_ibc*.c, app_transfer.c; see app_ibc.h). Not a public header. */
#ifndef PX_CHAINS_DEVNET_APP_INTERNAL_H
#define PX_CHAINS_DEVNET_APP_INTERNAL_H

#include "chains/devnet/app.h"
#include "chains/devnet/store_iavl.h"
#include "ibc/codec/msg.h"
#include "lightclient/tendermint/types.h"

enum { APP_ST_ACC = 0, APP_ST_BANK = 1, APP_ST_IBC = 2, APP_ST_TRANSFER = 3, APP_N_STORES = 4 };

#define APP_ACC_PREFIX 0x01
#define APP_ACC_NUMBER_KEY 0x02
#define APP_BALANCE_PREFIX 0x02

/* One written key: val NULL is a deletion. */
struct app_kv {
	bool used;
	uint8_t store;
	uint8_t *key;
	size_t klen;
	uint8_t *val;
	size_t vlen;
};

/* A write cache over a parent cache, or over the stores at `version`
 * (DEVNET_IAVL_WORKING or a committed version) when parent is NULL. */
struct app_cache {
	struct devnet_app *app;
	struct app_cache *parent;
	int64_t version;
	struct app_kv *slots;	/* open addressing, cap a power of two */
	size_t cap, n;
};

struct devnet_app {
	struct devnet_multi *multi;
	struct devnet_iavl *stores[APP_N_STORES];
	char chain_id[TM_MAX_CHAIN_ID + 1];
	char prefix[DEVNET_PREFIX_MAX + 1];
	struct devnet_gas_price min_gas_price;
	struct app_cache check;
	uint8_t fee_collector[COSMOS_ADDR_LEN];
	struct px_time block_time;	/* "now" of the IBC handlers */
};

void app_cache_init(struct app_cache *c, struct devnet_app *a, struct app_cache *parent,
		    int64_t version);
void app_cache_free(struct app_cache *c);
/* value borrowed from the cache or the store, valid until the next write. */
bool app_cache_get(struct px_err *err, struct app_cache *c, int store, const uint8_t *key,
		   size_t klen, struct px_slice *value, bool *found) PX_MUST_CHECK;
/* vlen 0 deletes. */
bool app_cache_put(struct px_err *err, struct app_cache *c, int store, const uint8_t *key,
		   size_t klen, const uint8_t *val, size_t vlen) PX_MUST_CHECK;
/* Writes c's entries into its parent cache. */
bool app_cache_merge(struct px_err *err, struct app_cache *c) PX_MUST_CHECK;
/* Writes c's entries, sorted by store and key, into the working trees. */
bool app_cache_flush(struct px_err *err, struct app_cache *c) PX_MUST_CHECK;

bool app_account_get(struct px_err *err, struct app_cache *c, const uint8_t addr[COSMOS_ADDR_LEN],
		     struct devnet_account *out, bool *found) PX_MUST_CHECK;
bool app_account_set(struct px_err *err, struct app_cache *c,
		     const struct devnet_account *acc) PX_MUST_CHECK;
/* A new account with the next account number. */
bool app_account_create(struct px_err *err, struct app_cache *c, const uint8_t addr[COSMOS_ADDR_LEN],
			struct devnet_account *out) PX_MUST_CHECK;
/* Any{BaseAccount} of an account, as stored and as Query/Account returns. */
void app_account_encode(struct px_buf *out, const struct devnet_app *a,
			const struct devnet_account *acc);

bool app_balance_get(struct px_err *err, struct app_cache *c, const uint8_t addr[COSMOS_ADDR_LEN],
		     struct px_slice denom, devnet_u128 *out) PX_MUST_CHECK;
bool app_balance_set(struct px_err *err, struct app_cache *c, const uint8_t addr[COSMOS_ADDR_LEN],
		     struct px_slice denom, devnet_u128 amount) PX_MUST_CHECK;
/* bank key 0x02 || 20 || addr || denom into key (cap 24 + DENOM_MAX). */
size_t app_balance_key(uint8_t *key, const uint8_t addr[COSMOS_ADDR_LEN], struct px_slice denom);

/* Bech32 of an address with the app's prefix. */
void app_address_string(const struct devnet_app *a, char out[DEVNET_ADDR_STR_MAX],
			const uint8_t addr[COSMOS_ADDR_LEN]);

/* Runs a transaction in one of the modes below against cache c. */
enum app_mode { APP_CHECK, APP_DELIVER, APP_SIMULATE };
bool app_run_tx(struct px_err *err, struct devnet_app *a, struct app_cache *c,
		struct devnet_tx_result *res, enum app_mode mode, int64_t height,
		const uint8_t *tx, size_t len) PX_MUST_CHECK;

/* A message refused: the transaction result's code, codespace and log. */
struct app_refusal {
	uint32_t code;		/* 0: not refused */
	const char *codespace;	/* static */
	char log[448];
};

/* IBC messages (app_ibc.c; see app_ibc.h): 02-client, the connection and
 * channel handshakes, packets and ICS-20 MsgTransfer. */
bool app_ibc_handles(struct px_slice type_url);
/* Decodes one and its signer (bech32 with the app's prefix); a malformed
 * one is refused in ref. */
void app_ibc_decode(struct app_refusal *ref, struct ibc_msg *out, uint8_t signer[COSMOS_ADDR_LEN],
		    const struct devnet_app *a, struct px_slice type_url, struct px_slice value);
/* Runs it against c in the block at height (time a->block_time),
 * appending its events to events (NULL: none) and its response message
 * (the Any's value) to resp. false only for internal failures (err); a
 * refusal is true with ref->code set. */
bool app_ibc_run(struct px_err *err, struct app_refusal *ref, struct devnet_app *a,
		 struct app_cache *c, json_t *events, const struct ibc_msg *m, int64_t height,
		 struct px_buf *resp) PX_MUST_CHECK;
/* The type URL of its response and the module its "message" event names. */
const char *app_ibc_response_url(const struct ibc_msg *m);
const char *app_ibc_module(enum ibc_msg_kind k);

#endif
