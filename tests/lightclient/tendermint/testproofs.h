/* Test helper: a small Cosmos-like state built from scratch, an IAVL store
 * (the `iavl` ICS-23 spec) under a multistore (the `tendermint` spec), and
 * the CommitmentProofs an abci_query with prove=true returns for it. The
 * same construction as scripts/make-examples.py, in C, so unit tests and
 * the CLI test tool share it. */
#ifndef PX_TESTS_TENDERMINT_TESTPROOFS_H
#define PX_TESTS_TENDERMINT_TESTPROOFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/buf.h"

#define TP_MAX_ITEMS 16
#define TP_MAX_STORES 8

struct tp_item {
	char key[96];
	char value[64];
};

struct tp_state {
	struct tp_item items[TP_MAX_ITEMS];	/* sorted by key, in store "ibc" */
	size_t nitems;
	char stores[TP_MAX_STORES][16];		/* sorted store names */
	uint8_t store_roots[TP_MAX_STORES][32];
	size_t nstores;
	size_t ibc;				/* index of "ibc" in stores */
	uint8_t iavl_root[32];
	uint8_t app_hash[32];
};

/* A fixed state: keys "commitments/.../sequences/N" for N = 1..9 in the
 * "ibc" store, beside six other stores with made-up roots. */
void tp_state_build(struct tp_state *s);

/* CommitmentProof bytes (appended to out): membership of items[i] in the
 * IAVL store; absence of key (which must not be stored); membership of
 * store name `store_idx` in the multistore. */
void tp_iavl_exist(struct px_buf *out, const struct tp_state *s, size_t i);
void tp_iavl_absent(struct px_buf *out, const struct tp_state *s, const char *key);
void tp_store_exist(struct px_buf *out, const struct tp_state *s, size_t store_idx);

/* An abci_query JSON-RPC response (new reference) for key at height, with
 * the value and proofs it should carry (absence when key is not stored). */
json_t *tp_abci_response(const struct tp_state *s, const char *key, int64_t height);

#endif
