/* The devnet's application: the parts of the Cosmos SDK's x/auth and
 * x/bank that a relayer and a wallet need, over the `acc` and `bank`
 * stores of the multistore, with the SDK's store layout:
 *
 *   acc  0x01 || address            Any{/cosmos.auth.v1beta1.BaseAccount}
 *   acc  0x02                       next account number (uint64, big endian)
 *   bank 0x02 || 20 || address || denom   amount as a decimal string
 *
 * Transactions are Cosmos SDK TxRaw (chains/cosmos/tx.h) signed in
 * SIGN_MODE_DIRECT, with /cosmos.bank.v1beta1.MsgSend messages. The ante
 * steps follow the SDK's order (basic checks, timeout, memo, gas for the
 * bytes, fee: minimum gas price in CheckTx only, payer's balance; public
 * key, sequence, signature, sequence increment), and failures carry the
 * SDK's codespace "sdk" and code (2 tx parse error, 4 unauthorized, 5
 * insufficient funds, 11 out of gas, 13 insufficient fee, 32 incorrect
 * account sequence, ...), so clients react as they do to a real chain.
 *
 * Gas is a fixed schedule, not metered store access: DEVNET_GAS_PER_BYTE
 * per transaction byte, DEVNET_GAS_PER_SIG per signature, DEVNET_GAS_PER_MSG
 * per message. A transaction whose gas limit is below its cost is refused
 * by CheckTx, so nothing that would fail enters a block.
 *
 * State is written through caches: CheckTx runs against a check cache over
 * the committed state (so the mempool's transactions see each other's
 * sequences and spending), DeliverTx against a per-transaction cache that
 * is written to the working tree, sorted by key, when the transaction
 * ends. Amounts are checked 128-bit integers (an amount that does not fit
 * is refused as invalid coins). */
#ifndef PX_CHAINS_DEVNET_APP_H
#define PX_CHAINS_DEVNET_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "chains/cosmos/keys.h"
#include "chains/devnet/store_multi.h"
#include "common/buf.h"
#include "common/errors.h"
#include "common/rfc3339.h"

/* SDK error codes (codespace "sdk") the devnet returns. */
#define DEVNET_CODE_OK 0
#define DEVNET_CODE_TX_DECODE 2
#define DEVNET_CODE_UNAUTHORIZED 4
#define DEVNET_CODE_INSUFFICIENT_FUNDS 5
#define DEVNET_CODE_UNKNOWN_REQUEST 6
#define DEVNET_CODE_INVALID_ADDRESS 7
#define DEVNET_CODE_INVALID_PUBKEY 8
#define DEVNET_CODE_UNKNOWN_ADDRESS 9
#define DEVNET_CODE_INVALID_COINS 10
#define DEVNET_CODE_OUT_OF_GAS 11
#define DEVNET_CODE_MEMO_TOO_LARGE 12
#define DEVNET_CODE_INSUFFICIENT_FEE 13
#define DEVNET_CODE_INVALID_REQUEST 18
#define DEVNET_CODE_KEY_NOT_FOUND 22
#define DEVNET_CODE_INVALID_HEIGHT 26
#define DEVNET_CODE_TX_TIMEOUT_HEIGHT 30
#define DEVNET_CODE_WRONG_SEQUENCE 32

#define DEVNET_GAS_PER_BYTE 10u		/* SDK TxSizeCostPerByte */
#define DEVNET_GAS_PER_SIG 1000u	/* SDK SigVerifyCostSecp256k1 */
#define DEVNET_GAS_PER_MSG 20000u
#define DEVNET_MAX_MEMO 256u		/* SDK MaxMemoCharacters */
#define DEVNET_DENOM_MAX 128u
#define DEVNET_PREFIX_MAX 32u		/* bech32 account prefix */
#define DEVNET_ADDR_STR_MAX 96u
#define DEVNET_GAS_PRICE_DECIMALS 18u	/* as sdk.Dec */

#define DEVNET_MSG_SEND_URL "/cosmos.bank.v1beta1.MsgSend"
#define DEVNET_BASE_ACCOUNT_URL "/cosmos.auth.v1beta1.BaseAccount"

/* Checked 128-bit amounts: __int128 is a GCC/Clang extension, hence the
 * typedef (a scalar, not a struct) to keep __extension__ in one place. */
__extension__ typedef unsigned __int128 devnet_u128;

struct devnet_app;

/* What one transaction did: the ABCI ExecTxResult / ResponseCheckTx. */
struct devnet_tx_result {
	uint32_t code;		/* 0: ok */
	char codespace[8];	/* "sdk" when code != 0 */
	char log[512];
	int64_t gas_wanted;
	int64_t gas_used;
	struct px_buf data;	/* TxMsgData protobuf, owned */
	json_t *events;		/* [{type, attributes: [{key, value, index}]}], owned */
};

void devnet_tx_result_free(struct devnet_tx_result *r);

/* The minimum gas price CheckTx asks for: amount (scaled by
 * 10^DEVNET_GAS_PRICE_DECIMALS) of denom per unit of gas. */
struct devnet_gas_price {
	char denom[DEVNET_DENOM_MAX + 1];
	devnet_u128 scaled;
};

/* "0.025stake", "1token", "0stake": PX_E_USAGE when not of that form. */
bool devnet_gas_price_parse(struct px_err *err, struct devnet_gas_price *out,
			    const char *s) PX_MUST_CHECK;

/* multi and chain_id are borrowed; prefix is the bech32 account prefix. */
bool devnet_app_open(struct px_err *err, struct devnet_app **out, struct devnet_multi *multi,
		     const char *chain_id, const char *prefix) PX_MUST_CHECK;
void devnet_app_close(struct devnet_app *a);
void devnet_app_set_min_gas_price(struct devnet_app *a, const struct devnet_gas_price *p);
const char *devnet_app_prefix(const struct devnet_app *a);
/* The block time of the block being executed (ibc-go's ctx.BlockTime()):
 * the "now" IBC client updates are verified at. CheckTx uses the last one
 * set. */
void devnet_app_set_time(struct devnet_app *a, struct px_time block_time);

/* InitChain: writes genesis app_state.auth.accounts and
 * app_state.bank.balances into the working tree (before the first block).
 * A malformed section is PX_E_MALFORMED / PX_E_JSON. */
bool devnet_app_init_chain(struct px_err *err, struct devnet_app *a,
			   const json_t *app_state) PX_MUST_CHECK;

/* CheckTx of a transaction for the mempool, against the check cache; when
 * res->code is 0 its effects stay in the cache (the next CheckTx of the
 * same signer expects the next sequence). false only for internal
 * failures (out of memory, store errors): res then says nothing. */
bool devnet_app_check_tx(struct px_err *err, struct devnet_app *a, struct devnet_tx_result *res,
			 const uint8_t *tx, size_t len) PX_MUST_CHECK;
/* Drops the check cache (after a block is committed). */
void devnet_app_reset_check(struct devnet_app *a);

/* DeliverTx at height: writes the transaction's effects into the working
 * tree (the ante's even when a message fails), events included. */
bool devnet_app_deliver_tx(struct px_err *err, struct devnet_app *a, struct devnet_tx_result *res,
			   int64_t height, const uint8_t *tx, size_t len) PX_MUST_CHECK;

/* Simulate: as DeliverTx without signatures, fee minimum or gas limit,
 * against a throw-away cache; res->gas_used is the estimate. */
bool devnet_app_simulate(struct px_err *err, struct devnet_app *a, struct devnet_tx_result *res,
			 const uint8_t *tx, size_t len) PX_MUST_CHECK;

/* A gRPC-over-ABCI query (the Cosmos SDK's abci_query paths with protobuf
 * request and response): /cosmos.auth.v1beta1.Query/Account,
 * /cosmos.bank.v1beta1.Query/Balance and /AllBalances,
 * /cosmos.tx.v1beta1.Service/Simulate,
 * /cosmos.base.tendermint.v1beta1.Service/GetNodeInfo, and the IBC and
 * staking services of app_query_ibc.h (docs/devnet.md). *handled is false
 * for another path. A failed query is *code != 0 with log; value is the
 * response protobuf. version 0 is the latest committed state. */
struct devnet_app_query {
	bool handled;
	uint32_t code;
	char log[256];
	struct px_buf value;	/* owned */
	int64_t height;
};
bool devnet_app_query(struct px_err *err, struct devnet_app *a, struct devnet_app_query *out,
		      const char *path, const uint8_t *data, size_t len, int64_t version,
		      const char *listen_addr) PX_MUST_CHECK;
void devnet_app_query_free(struct devnet_app_query *q);

/* Reads at a committed version (0: latest) for tests and tools. */
bool devnet_app_balance(struct px_err *err, devnet_u128 *out, struct devnet_app *a,
			int64_t version, const uint8_t addr[COSMOS_ADDR_LEN],
			const char *denom) PX_MUST_CHECK;
struct devnet_account {
	uint8_t address[COSMOS_ADDR_LEN];
	bool has_pub_key;
	uint8_t pub_key[COSMOS_PUBKEY_LEN];
	uint64_t number;
	uint64_t sequence;
};
bool devnet_app_account(struct px_err *err, struct devnet_account *out, bool *found,
			struct devnet_app *a, int64_t version,
			const uint8_t addr[COSMOS_ADDR_LEN]) PX_MUST_CHECK;

/* Decimal text of an amount (at most 39 digits + NUL). */
void devnet_u128_format(char out[48], devnet_u128 v);
/* Strict decimal: no sign, no leading zeros, fits in 128 bits. */
bool devnet_u128_parse(devnet_u128 *out, const char *s, size_t len);

/* The 20-byte address of a module account: sha256(name)[:20]. */
void devnet_module_address(uint8_t out[COSMOS_ADDR_LEN], const char *name);

#endif
