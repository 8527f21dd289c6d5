/* Two pontifex-devnet chains and a relayer home for them, for `pontifex
 * demo` and the relay benchmark: both nodes (devnet_proc.h), HOME/keys
 * with the `relayer` key of each chain, HOME/config.yaml with one path,
 * both chains opened (light clients on trust at height 1), then the
 * clients, connection and transfer channel made through path.h and the
 * file rewritten with their ids for `pontifex start`. The caller owns the
 * folder, the daemon and the transfers; the `user` account of each chain
 * sends them. */
#ifndef PX_RELAYER_DEVNET_PAIR_H
#define PX_RELAYER_DEVNET_PAIR_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "common/errors.h"
#include "ibc/codec/msg.h"
#include "relayer/config.h"
#include "relayer/devnet_proc.h"
#include "relayer/path.h"

#define RLY_DEVNET_ADDR_MAX 128

/* Progress of rly_devnet_pair_setup, one line at a time (no newline). */
typedef void (*rly_devnet_pair_note_fn)(void *arg, const char *line);

struct rly_devnet_pair_opts {
	const char *chain_id[2];
	const char *seed[2];
	const char *devnet;		/* pontifex-devnet; NULL: rly_devnet_exe finds it */
	uint32_t block_ms;		/* block time of both nodes */
	/* config.yaml */
	const char *writer;		/* "# written by WRITER" on top; NULL: no such line */
	const char *path_name;
	const char *gas_price;		/* of both chains, e.g. "0.025stake" */
	uint64_t gas_limit;
	unsigned max_msgs;
	/* set by the caller's signal handler: stop waiting (borrowed) */
	const volatile sig_atomic_t *interrupted;
	rly_devnet_pair_note_fn note;	/* may be NULL */
	void *note_arg;
};

struct rly_devnet_pair {
	struct rly_devnet_pair_opts o;
	char home[RLY_DEVNET_PATH_MAX + 16];	/* DIR/relayer */
	struct rly_devnet node[2];
	struct rly_config cfg;
	bool cfg_loaded;
	struct cmt_loop *loop;
	struct rly_chain chain[2];
	bool chain_open[2];
	struct rly_path path;			/* a = chain 0, b = chain 1 */
	char user[2][RLY_DEVNET_ADDR_MAX];	/* the `user` account of each chain */
};

/* Starts both nodes in dir, writes the relayer home DIR/relayer and makes
 * clients, connection and channel (see the top of this file). p must be
 * zeroed before; whatever it got so far is released by
 * rly_devnet_pair_close, on failure too. */
bool rly_devnet_pair_setup(struct px_err *err, struct rly_devnet_pair *p, const char *dir,
			   const struct rly_devnet_pair_opts *opts) PX_MUST_CHECK;

/* Closes the chains and the loop, stops both nodes, frees the config.
 * Idempotent; leaves the folder. */
void rly_devnet_pair_close(struct rly_devnet_pair *p);

/* Waits ms (less when interrupted) while serving the chains' websocket
 * clients (their pings). */
void rly_devnet_pair_pause(struct rly_devnet_pair *p, int ms);

/* A submitter for the `user` account of chain i (0 or 1), over that
 * chain's client; close it with rly_txsub_close before the pair. */
bool rly_devnet_pair_user_txsub(struct px_err *err, struct rly_txsub **out,
				struct rly_devnet_pair *p, int i) PX_MUST_CHECK;

/* A MsgTransfer of `amount` stake from the user on chain i to the user on
 * the other over the path's channel, timing out ten minutes after now
 * (wall clock). amount is borrowed by out. */
void rly_devnet_pair_transfer(const struct rly_devnet_pair *p, struct ibc_msg *out, int i,
			      const char *amount, const struct timespec *now);

#endif
