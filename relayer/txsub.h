/* The transaction submitter: signs Cosmos SDK transactions for one account
 * on one chain and submits them over that chain's CometBFT websocket
 * client. It is the "sign ... broadcast on chain B" and "confirm tx" boxes
 * of the relayer data flow (DESIGN.md): the daemon hands it a batch of
 * encoded IBC messages, it answers with the transaction hash, and later
 * with the block result.
 *
 * Account state: the account number and sequence are read once with the
 * abci_query /cosmos.auth.v1beta1.Query/Account (a BaseAccount inside an
 * Any) and then tracked here: every transaction CheckTx accepts bumps the
 * local sequence, so several transactions can be submitted in a row
 * without waiting for blocks. When CheckTx (or the simulation) refuses a
 * transaction with the SDK's "incorrect account sequence" (codespace sdk,
 * code 32), the sequence is taken from the "expected N" of the log, or
 * queried again when the log does not say, and the transaction is signed
 * and submitted once more; a second refusal is reported. A broadcast whose
 * outcome is unknown (connection lost, no reply) makes the next submission
 * query the account again.
 *
 * Gas: either a fixed limit, or /cosmos.tx.v1beta1.Service/Simulate times
 * an adjustment, capped at a maximum. The fee is ceil(gas limit x gas
 * price) of one denomination; a zero fee is sent as no coins at all.
 *
 * Blocking: every call runs the event loop (cmt_client_call_sync) until
 * its replies arrive or its time runs out, so other clients of the loop
 * keep being served; none may be called from inside a callback of the
 * loop (PX_E_USAGE). Errors: PX_E_RPC for transport failures, timeouts and
 * refusals by the chain; PX_E_JSON / PX_E_MALFORMED / PX_E_UNSUPPORTED for
 * replies that do not parse; PX_E_USAGE and PX_E_CONFIG for bad arguments.
 *
 * Secrets: the submitter keeps its own copy of the private key, wipes it
 * when closed, and never logs or reports it. */
#ifndef PX_RELAYER_TXSUB_H
#define PX_RELAYER_TXSUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "chains/cometbft/client.h"
#include "chains/cosmos/bech32.h"
#include "chains/cosmos/keys.h"
#include "chains/cosmos/tx.h"
#include "common/errors.h"
#include "relayer/config.h"

#define RLY_TX_LOG_MAX 1024		/* longer chain logs are cut */
#define RLY_TX_CODESPACE_MAX 64
#define RLY_TX_HASH_HEX_LEN 64		/* SHA-256, upper-case hex */
#define RLY_TX_CODE_WRONG_SEQUENCE 32	/* SDK ErrWrongSequence, codespace sdk */
#define RLY_TX_CODE_UNKNOWN_REQUEST 6	/* SDK ErrUnknownRequest: no Simulate */

struct rly_txsub;

struct rly_txsub_opts {
	const char *chain_id;
	const char *account_prefix;	/* bech32 HRP of the signer's address */
	const struct cosmos_key *key;	/* copied; the caller wipes its own */
	const char *gas_denom;
	struct rly_decimal gas_price;	/* per unit of gas, may be 0 */
	/* Without simulate: the gas limit of every transaction. With it: the
	 * limit used when the node cannot simulate (code 6). 1..gas_max. */
	uint64_t gas_default;
	uint64_t gas_max;		/* cap of the estimate; 0: gas_default */
	bool simulate;
	struct rly_decimal gas_adjustment; /* in [1, 10]; 0: 1.3 */
	uint32_t timeout_ms;		/* per request; 0: 10000 */
	uint32_t poll_ms;		/* rly_txsub_wait's interval; 0: 200 */
};

/* What became of one transaction. Filled by rly_txsub_submit (hash,
 * sequence, gas_wanted) and rly_txsub_wait (everything). When the chain
 * refuses the transaction, code, codespace and log say why and the call
 * fails with PX_E_RPC; on every other failure the struct is zeroed. */
struct rly_tx_result {
	char hash[RLY_TX_HASH_HEX_LEN + 1];	/* SHA-256 of the TxRaw */
	uint64_t sequence;		/* the sequence it was signed with */
	uint64_t gas_wanted;		/* its gas limit */
	int64_t height;			/* the block that holds it; 0 before */
	uint32_t code;			/* 0: accepted */
	char codespace[RLY_TX_CODESPACE_MAX + 1];
	char log[RLY_TX_LOG_MAX + 1];
	uint64_t gas_used;		/* DeliverTx's */
	json_t *events;			/* DeliverTx's events array: owned (a new
					 * reference) or NULL; rly_tx_result_clear */
};

/* What the submitter believes about its account, for logs and tests. */
struct rly_txsub_state {
	bool synced;			/* account number and sequence known */
	uint64_t account_number;
	uint64_t sequence;		/* of the next transaction */
	uint64_t resyncs;		/* sequence mismatches recovered from */
};

/* The options of a chain from config.yaml: simulate, with the config's
 * gas_limit as both the cap and the fallback. opts borrows from chain;
 * key is left for the caller to set. */
void rly_txsub_opts_from_config(struct rly_txsub_opts *opts, const struct rly_config_chain *chain);

/* Checks the options and derives the signer's address; contacts nobody.
 * client (and its loop) must outlive the submitter. */
bool rly_txsub_open(struct px_err *err, struct rly_txsub **out, struct cmt_loop *loop,
		    struct cmt_client *client, const struct rly_txsub_opts *opts) PX_MUST_CHECK;
/* Wipes the key copy and frees; NULL is fine. */
void rly_txsub_close(struct rly_txsub *s);

/* The signer's bech32 address (owned by s). */
const char *rly_txsub_address(const struct rly_txsub *s);
void rly_txsub_state(const struct rly_txsub *s, struct rly_txsub_state *out);
/* Forgets the account state: the next submission queries it again. */
void rly_txsub_resync(struct rly_txsub *s);

/* Signs msgs (1..COSMOS_TX_MAX_MSGS encoded messages; memo may be NULL)
 * with the next sequence and broadcasts them with broadcast_tx_sync.
 * True when CheckTx accepted the transaction: out->hash says which it is
 * and the local sequence has moved on. A CheckTx or simulation refusal is
 * PX_E_RPC with out->code/codespace/log set. */
bool rly_txsub_submit(struct px_err *err, struct rly_tx_result *out, struct rly_txsub *s,
		      const struct cosmos_any *msgs, size_t n_msgs, const char *memo) PX_MUST_CHECK;

/* Called with the hash of the signed transaction just before it is
 * broadcast (once per signing: again when a sequence mismatch makes the
 * submitter re-sign), so that a caller can record the hash first and a
 * crash in between never leaves a broadcast transaction unrecorded.
 * false aborts the submission with err set. */
typedef bool (*rly_txsub_signed_fn)(void *arg, struct px_err *err, const char *hash);

/* rly_txsub_submit with on_signed (may be NULL) called as above. */
bool rly_txsub_submit_ex(struct px_err *err, struct rly_tx_result *out, struct rly_txsub *s,
			 const struct cosmos_any *msgs, size_t n_msgs, const char *memo,
			 rly_txsub_signed_fn on_signed, void *arg) PX_MUST_CHECK;

/* Polls the tx RPC for hash (64 hex digits) every poll_ms until the
 * transaction is in a block or timeout_ms has passed (PX_E_RPC). True
 * when it was executed with code 0; a non-zero DeliverTx code is PX_E_RPC
 * with *out filled (height, code, codespace, log, gas, events). Out is
 * cleared first: pass a zeroed or cleared struct. Needs the node's tx
 * indexer. */
bool rly_txsub_wait(struct px_err *err, struct rly_tx_result *out, struct rly_txsub *s,
		    const char *hash, uint32_t timeout_ms) PX_MUST_CHECK;

/* Drops out->events and zeroes the struct. */
void rly_tx_result_clear(struct rly_tx_result *r);

/* --- the pure parts, shared with tests ---------------------------------- */

struct rly_account {
	char address[COSMOS_BECH32_MAX_LEN + 1];
	uint64_t number;
	uint64_t sequence;
	bool has_pub_key;
};

/* ceil(gas_limit x price) as a decimal string (no leading zeros, "0" for
 * a zero price) into out (cap bytes with the NUL). PX_E_USAGE when price
 * has more than 18 decimals or out is too small. */
bool rly_txsub_fee_amount(struct px_err *err, char *out, size_t cap, uint64_t gas_limit,
			  const struct rly_decimal *price) PX_MUST_CHECK;

/* ceil(gas_used x adjustment), UINT64_MAX when it does not fit. */
uint64_t rly_txsub_gas_adjust(uint64_t gas_used, const struct rly_decimal *adjustment);

/* The N of "account sequence mismatch, expected N, got M" in an SDK log;
 * false when the log does not hold one. */
bool rly_txsub_expected_sequence(uint64_t *out, const char *log);

/* A QueryAccountResponse protobuf holding a BaseAccount. Another account
 * type is PX_E_UNSUPPORTED; bad bytes PX_E_MALFORMED. *out is zeroed on
 * failure. */
bool rly_account_decode(struct px_err *err, struct rly_account *out, const uint8_t *buf,
			size_t len) PX_MUST_CHECK;

/* The `response` of an abci_query result: code, codespace and log (cut
 * to fit) and the value bytes appended to value (left as it was when code
 * is not 0). Absent fields are zero, as CometBFT leaves them out; wrong
 * types are PX_E_JSON. */
struct rly_abci_response {
	uint32_t code;
	char codespace[RLY_TX_CODESPACE_MAX + 1];
	char log[RLY_TX_LOG_MAX + 1];
	int64_t height;
};
bool rly_abci_reply(struct px_err *err, struct rly_abci_response *out, struct px_buf *value,
		    const json_t *result) PX_MUST_CHECK;

/* The result of abci_query /cosmos.auth.v1beta1.Query/Account: a query
 * refused by the node (account not found...) is PX_E_RPC with its code
 * and log in the message; a reply of the wrong shape PX_E_JSON. */
bool rly_account_reply(struct px_err *err, struct rly_account *out,
		       const json_t *result) PX_MUST_CHECK;

/* The result of the tx RPC into out (height, code, codespace, log, gas,
 * events as a new reference). Zeroed on failure (PX_E_JSON). */
bool rly_tx_reply(struct px_err *err, struct rly_tx_result *out, const json_t *result) PX_MUST_CHECK;

#endif
