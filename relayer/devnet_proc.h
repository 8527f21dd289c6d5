/* pontifex-devnet nodes as child processes, for `pontifex demo` and the
 * relay benchmark: a home written with `init` (funded accounts whose keys
 * the caller can read), `start` on a free loopback port, readiness by the
 * node's /health, and a stop that always reaps the child. */
#ifndef PX_RELAYER_DEVNET_PROC_H
#define PX_RELAYER_DEVNET_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "chains/cosmos/keys.h"
#include "common/errors.h"

#define RLY_DEVNET_PATH_MAX 512

struct rly_devnet {
	char chain_id[64];
	char home[RLY_DEVNET_PATH_MAX];
	char log[RLY_DEVNET_PATH_MAX];		/* the node's output */
	int port;
	char ws_url[96];			/* ws://127.0.0.1:PORT/websocket */
	pid_t pid;				/* 0: not running */
};

/* The pontifex-devnet executable: `explicit` when given, else beside the
 * running program (installed) or in the build tree's chains/devnet/. */
bool rly_devnet_exe(struct px_err *err, char *out, size_t cap, const char *explicit_path) PX_MUST_CHECK;

/* Writes dir/<chain_id> with `init` (validators from seed; the accounts
 * `relayer` and `user` init always makes, plus those of accounts_json, the
 * --accounts JSON text, when not NULL), starts the node on a free 127.0.0.1 port
 * with block_ms per block and waits (at most timeout_ms) until it
 * answers /health. On failure nothing is left running. */
bool rly_devnet_start(struct px_err *err, struct rly_devnet *d, const char *exe, const char *dir,
		      const char *chain_id, const char *seed, const char *accounts_json,
		      uint32_t block_ms, uint32_t timeout_ms) PX_MUST_CHECK;

/* SIGTERM, then SIGKILL after 5 s; reaps the child. Idempotent. */
void rly_devnet_stop(struct rly_devnet *d);

/* argv[0] with argv as a child process in its own process group (a
 * terminal's ^C reaches only the parent, which stops it), stdout and
 * stderr appended to log. */
bool rly_child_spawn(struct px_err *err, pid_t *out, char *const argv[], const char *log) PX_MUST_CHECK;

/* SIGTERM, then SIGKILL after grace_ms; reaps the child and zeroes *pid.
 * The exit status when it exited by itself within grace_ms, else -1 (also
 * when *pid is not a child: 0 or less). */
int rly_child_stop(pid_t *pid, uint32_t grace_ms);

/* The secret key of a funded account `init` made (config/accounts/NAME.json);
 * wipe it with cosmos_key_wipe. */
bool rly_devnet_account_key(struct px_err *err, struct cosmos_key *out, const struct rly_devnet *d,
			    const char *name) PX_MUST_CHECK;

#endif
