/* Shared pieces of the Ethereum conformance runner (eth_vectors*.c):
 * per-category tallies, file and JSON helpers, the pontifex CLI. */
#ifndef PX_TESTS_ETH_VECTORS_H
#define PX_TESTS_ETH_VECTORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/buf.h"
#include "common/errors.h"
#include "lightclient/ethereum/header.h"

enum cat {
	C_RLP_VALID,
	C_RLP_INVALID,
	C_RLP_RANDOM,
	C_TRIE,
	C_TRIE_ORDER,
	C_TRIE_NEG,
	C_TRIE_PROOF,
	C_HEADER,
	C_HEADER_NEG,
	C_CHAIN,
	C_BODY,
	C_RPC_BLOCK,
	C_PROOF,
	C_PROOF_EDGE,
	C_PROOF_NEG,
	C_RECEIPTS,
	C_CLI,
	C_COUNT
};

/* Counts one case of a category; prints a FAIL line when !ok. */
void check(enum cat c, bool ok, const char *fmt, ...) PX_PRINTF(3, 4);
/* A note for a file or case that is not a case (e.g. a null RPC result). */
void note(const char *fmt, ...) PX_PRINTF(1, 2);

/* A JSON document with NUL bytes allowed in strings (RLP vectors); NULL
 * and a FAIL line when it does not load. */
json_t *load_json(const char *path);
/* Hex with or without 0x into out (reset first). */
bool hex_any(struct px_buf *out, const char *s);
bool read_file(struct px_buf *out, const char *path);
bool write_file(const char *path, const void *data, size_t len);
/* Regular files in dir ending with suffix, sorted; caller frees each and
 * the array. */
size_t list_dir(const char *dir, const char *suffix, char ***out);

/* The exchanges of a .io file: request and response of the first pair
 * (new references; NULL when absent). */
bool io_load(const char *path, json_t **request, json_t **response);

/* Runs pontifex with args (NULL-terminated, without argv[0]); its exit
 * status, or -1 when it could not run. */
int run_cli(const char *const *args);
extern const char *pontifex;
extern char tmpdir[64];

/* The recorded chain (eth_vectors_chain.c). */
struct block {
	struct eth_trusted_header t;
};
const struct block *block_by_param(const json_t *p);

/* eth_vectors_roots.c */
bool genesis_header(struct eth_header *h, const char *vectors);
void receipts_file(const char *path);

/* Runners by area. */
void run_rlp(const char *vectors);
void run_trie(const char *vectors);
void run_chain(const char *vectors);

#endif
