/* Shared parts of the CometBFT conformance runner (cometbft_vectors.c:
 * golden, known hashes, light client, main; cometbft_rpc.c: the RPC
 * fixtures): the case categories and the counting and file helpers. */
#ifndef PX_TESTS_CONFORMANCE_TENDERMINT_COMETBFT_VECTORS_H
#define PX_TESTS_CONFORMANCE_TENDERMINT_COMETBFT_VECTORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/errors.h"
#include "lightclient/tendermint/types.h"

struct cat {
	const char *name;
	unsigned cases, passed, failed;
};

enum {
	C_GOLDEN,
	C_KNOWN,
	C_RPC_PARSE,
	C_RPC_ERROR,
	C_RPC_COMMIT,
	C_RPC_BLOCK,
	C_RPC_META,
	C_RPC_NEWBLOCK,
	C_RPC_SIGS,
	C_LIGHT,
	C_COUNT
};

/* Counts one case of category cat; a failure prints its reason (the first
 * few per category). */
void result(int cat, bool ok, const char *file, const char *fmt, ...) PX_PRINTF(4, 5);
/* snprintf for paths and labels (a truncated label is still a label, a
 * truncated path fails to open). */
void sfmt(char *out, size_t cap, const char *fmt, ...) PX_PRINTF(3, 4);
bool is_dir(const char *path);
/* Sorted names of dir's files (want_dirs false) or folders, optionally
 * only those ending in suffix; free with free_names. */
int list_dir(const char *dir, bool want_dirs, const char *suffix, char ***out);
void free_names(char **names, int n);
bool hash_eq_bytes(const uint8_t h[TM_HASH_LEN], const struct tm_bytes *b);
void hex32(char out[2 * TM_HASH_LEN + 1], const uint8_t h[TM_HASH_LEN]);

/* Things seen but not run (reported apart from the cases). */
extern unsigned newblock_parse_only, sigs_skipped;

/* Every rpc/VERSION/incoming folder under dir. */
void run_rpc(const char *dir);

#endif
