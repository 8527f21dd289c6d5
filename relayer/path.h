/* Chains and paths as the relayer drives them: the pieces every command
 * that touches two chains builds on (`create client|connection|channel`,
 * `start`, `tx transfer`, `query`), over the websocket client
 * (chains/cometbft), the verified view of each chain (ibcfetch.h) and the
 * transaction submitter (txsub.h).
 *
 * Nothing leaves here unverified: every header put into a MsgUpdateClient
 * passed the relayer's own light client of its chain, and every proof was
 * checked against the app hash of a verified header before a message
 * carries it. A failed check is the light client's 3xx error and no
 * message is built.
 *
 * Threading: all of it runs on the thread that owns the cmt_loop, outside
 * the loop's callbacks (the blocking calls run the loop themselves). */
#ifndef PX_RELAYER_PATH_H
#define PX_RELAYER_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chains/cometbft/client.h"
#include "chains/cosmos/tx.h"
#include "common/buf.h"
#include "common/errors.h"
#include "ibc/types.h"
#include "relayer/config.h"
#include "relayer/ibcfetch.h"
#include "relayer/txsub.h"

#define RLY_MSGS_MAX 100	/* messages in one transaction (config max_msgs <= 100) */
#define RLY_URL_MAX 96

/* One chain: its websocket client, its light client and its signer. */
struct rly_chain {
	const struct rly_config_chain *cfg;	/* borrowed from the config */
	struct cmt_loop *loop;			/* borrowed */
	struct cmt_client *rpc;			/* owned */
	struct rly_fetch *fetch;		/* owned */
	struct rly_txsub *tx;			/* owned */
	uint64_t revision;			/* of the chain id */
	bool on_trust;				/* the light client started on trust */
	struct px_err conn_err;			/* the last connection failure (messages) */
};

/* Options of rly_chain_open beyond the config. */
struct rly_chain_opts {
	const char *home;		/* where keys/ is */
	bool subscribe;			/* NewBlock and Tx events (the daemon) */
	int64_t start_height;		/* events after this height (a journal cursor) */
	cmt_event_fn on_event;
	void *event_arg;
	/* Without a trusted height and hash in the config, start the light
	 * client on trust at this height (devnets); 0 refuses that. */
	int64_t trust_height;
	/* Give up at the first failed connection attempt (one-shot commands)
	 * instead of retrying until the timeout. */
	bool connect_once;
};

/* Loads the chain's key (HOME/keys/ID/KEY), connects (waits until
 * connected, at most timeout_ms: PX_E_RPC), starts the light client
 * (trusted height/hash from the config, or on trust as opts say, which is
 * logged as a warning; neither is PX_E_CONFIG) and opens the submitter.
 * out is zeroed on failure. The websocket client's callbacks hold out's
 * address: it must stay where it is until rly_chain_close. */
bool rly_chain_open(struct px_err *err, struct rly_chain *out, struct cmt_loop *loop,
		    const struct rly_config_chain *cfg, const struct rly_chain_opts *opts,
		    uint32_t timeout_ms) PX_MUST_CHECK;
void rly_chain_close(struct rly_chain *c);

/* The newest height whose state can be proven now: the verifiable head
 * minus one (the app hash of state H is in header H + 1). */
bool rly_chain_provable(struct px_err *err, int64_t *out, struct rly_chain *c) PX_MUST_CHECK;
/* Polls (running the loop) until the provable height reaches height, at
 * most timeout_ms (PX_E_RPC). Reads made at the provable height (client
 * states, proofs) see a block only after this: wait for the block of a
 * transaction before reading what it changed. */
bool rly_chain_wait_provable(struct px_err *err, struct rly_chain *c, int64_t height,
			     uint32_t timeout_ms) PX_MUST_CHECK;

/* One end of a path: a chain and the ids on it. client_id is this chain's
 * client of the other chain. Empty ids are not created yet. */
struct rly_end {
	struct rly_chain *chain;	/* borrowed */
	char client_id[IBC_ID_MAX + 1];
	char connection_id[IBC_ID_MAX + 1];
	char port_id[IBC_ID_MAX + 1];
	char channel_id[IBC_ID_MAX + 1];
};

struct rly_path {
	struct rly_end a, b;
};

/* Fills a path's ends from its config entry (ids, or "" where the config
 * says create); the chains are given. */
void rly_path_from_config(struct rly_path *p, const struct rly_config_path *cfg,
			  struct rly_chain *a, struct rly_chain *b);

/* --- messages ------------------------------------------------------------ */

/* Messages for one transaction, as Any type URLs and values (owned). */
struct rly_msgs {
	size_t n;
	char urls[RLY_MSGS_MAX][RLY_URL_MAX];
	struct px_buf vals[RLY_MSGS_MAX];
};

void rly_msgs_init(struct rly_msgs *m);
/* Appends url and a copy of val: PX_E_TOO_LARGE past RLY_MSGS_MAX. */
bool rly_msgs_add(struct px_err *err, struct rly_msgs *m, const char *url, const uint8_t *val,
		  size_t len) PX_MUST_CHECK;
/* Encodes an ibc_msg (ibc/codec/msg.h) and appends it. */
struct ibc_msg;
bool rly_msgs_add_ibc(struct px_err *err, struct rly_msgs *m,
		      const struct ibc_msg *msg) PX_MUST_CHECK;
void rly_msgs_clear(struct rly_msgs *m);	/* frees and empties */
/* The messages as cosmos_any (borrowed from m), out holds m->n. */
void rly_msgs_any(const struct rly_msgs *m, struct cosmos_any *out);

/* Signs m into one transaction on dst's chain, broadcasts it and waits
 * for its block (timeout_ms). A refusal (CheckTx or DeliverTx) is
 * PX_E_RPC with code, codespace and log in out. out->events as txsub. */
bool rly_end_submit(struct px_err *err, struct rly_tx_result *out, struct rly_end *dst,
		    const struct rly_msgs *m, uint32_t timeout_ms) PX_MUST_CHECK;

/* --- clients ------------------------------------------------------------- */

/* The latest height of dst's client of src, read from dst with a proof of
 * its ClientState checked by dst's light client, at dst's provable height:
 * an update in dst's last two blocks is not seen yet (see
 * rly_chain_wait_provable). A client proven absent is PX_E_IBC_NOT_FOUND. */
bool rly_end_client_height(struct px_err *err, struct ibc_height *out,
			   struct rly_end *dst) PX_MUST_CHECK;
/* The whole ClientState the same way (chain id, frozen height, ...); a
 * client of another type is PX_E_UNSUPPORTED. out is zeroed on failure;
 * its proof_specs point to static names. */
struct ibc_tm_client_state;
bool rly_end_client_state(struct px_err *err, struct ibc_tm_client_state *out,
			  struct rly_end *dst) PX_MUST_CHECK;

/* dst's client's ConsensusState at height, read the same way (with a
 * proof checked by dst's light client): the time, root and next
 * validators hash the client trusts there. None there is
 * PX_E_IBC_NOT_FOUND; out is zeroed on failure. */
struct ibc_tm_consensus_state;
bool rly_end_consensus_state(struct px_err *err, struct ibc_tm_consensus_state *out,
			     struct rly_end *dst, struct ibc_height height) PX_MUST_CHECK;

/* Appends to m what brings dst's client of src up to a height at which
 * src's state at *version can be proven: MsgUpdateClient (a trace of
 * several when the trust level needs it) to src's verifiable head, so
 * *version = head - 1. *version is at least min_version (0: any). When
 * dst's client already holds a height L with L - 1 >= min_version that
 * this relayer can verify (L <= head, and at or above the oldest state
 * src's light client holds), nothing is appended and *version is L - 1.
 * The update starts from the client's latest height L; when L is below
 * every state src's light client holds, the header there is checked
 * against dst's consensus state at L (read with a proof) instead. Waits (polling, at most a minute) for src to reach
 * min_version + 2 when it has not yet (PX_E_RPC on timeout). The client
 * must follow src's chain id (PX_E_CHAIN_ID), not be frozen (PX_E_FROZEN)
 * and be on src's revision (PX_E_UNSUPPORTED). Proofs for the messages
 * that follow must be made at *version (proof height *version + 1). On
 * failure m is as it was. */
bool rly_path_update_msgs(struct px_err *err, struct rly_msgs *m, int64_t *version,
			  struct rly_end *dst, struct rly_end *src,
			  int64_t min_version) PX_MUST_CHECK;

/* A proof of key in src's `ibc` store at version, verified by src's light
 * client (rly_fetch_prove). */
bool rly_end_prove(struct px_err *err, struct rly_proof *out, struct rly_end *src,
		   const char *key, int64_t version) PX_MUST_CHECK;

/* --- handshakes (each waits for its transactions) ------------------------- */

/* MsgCreateClient on each end for the other chain, where client_id is
 * empty, from the other chain's verified head (with the chain's trust
 * level, trusting period and clock drift from the config); fills the ids.
 * The handshakes below leave ids that are already set alone; one end set
 * without the other is PX_E_USAGE (a half-open handshake is not resumed).
 * Each step is logged (info) with its id and block. */
bool rly_path_create_clients(struct px_err *err, struct rly_path *p) PX_MUST_CHECK;
/* ConnOpenInit on a, Try on b, Ack on a, Confirm on b (each with the
 * client updates it needs); fills both connection ids. Needs the clients. */
bool rly_path_open_connection(struct px_err *err, struct rly_path *p) PX_MUST_CHECK;
/* The same for an unordered ICS-20 channel on port a.port_id (default
 * "transfer") with version "ics20-1"; fills both channel ids. */
bool rly_path_open_channel(struct px_err *err, struct rly_path *p) PX_MUST_CHECK;

#endif
