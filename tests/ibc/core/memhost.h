/* An in-memory IBC host for the protocol-rule tests: a sorted key/value
 * store, a height and a clock the test moves by hand, a bank, and fake
 * light clients of other in-memory hosts. A client's "consensus state" is
 * a snapshot of the other host's store taken by memhost_update_client; a
 * proof is valid when its bytes are MEMHOST_PROOF and the snapshot at the
 * proof height holds (or lacks) the key, so two hosts wired to each other
 * run real handshakes and packet flows.
 *
 * Connection ends and channels are stored in ibc-go's protobuf through
 * ibc/codec, as the devnet stores them.
 *
 * Test code: allocation failures abort. */
#ifndef PX_TESTS_IBC_MEMHOST_H
#define PX_TESTS_IBC_MEMHOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "ibc/core/host.h"
#include "ibc/types.h"

#define MEMHOST_PROOF "memproof"

struct memhost;

/* A host at height (revision, height) and time_ns, commitment prefix "ibc". */
struct memhost *memhost_new(const char *chain_id, uint64_t revision, uint64_t height,
			    uint64_t time_ns);
void memhost_free(struct memhost *m);
const struct ibc_host *memhost_host(struct memhost *m);

struct ibc_height memhost_height(const struct memhost *m);
uint64_t memhost_time(const struct memhost *m);
/* Produces `blocks` blocks, `ns` nanoseconds apart in total. */
void memhost_advance(struct memhost *m, uint64_t blocks, uint64_t ns);

/* A light client of `other` named client_id (status active), with a first
 * consensus state of other's current store. */
void memhost_add_client(struct memhost *m, const char *client_id, struct memhost *other);
/* Snapshots the counterparty as it is now; returns its height, the proof
 * height for what it stores now. */
struct ibc_height memhost_update_client(struct memhost *m, const char *client_id);
void memhost_set_client_status(struct memhost *m, const char *client_id,
			       enum ibc_client_status status);

/* Direct store access for tests. */
bool memhost_has(const struct memhost *m, const char *key);
/* Appends the value at key to out; false when absent. */
bool memhost_get(const struct memhost *m, const char *key, struct px_buf *out);
void memhost_put(struct memhost *m, const char *key, const uint8_t *val, size_t len);
void memhost_delete(struct memhost *m, const char *key);
size_t memhost_store_size(const struct memhost *m);
/* Makes the next n store writes succeed and the one after fail (PX_E_NOMEM);
 * negative: never fail. */
void memhost_fail_writes_after(struct memhost *m, int n);

/* Bank, amounts as decimal strings (uint256). */
void memhost_set_balance(struct memhost *m, const char *addr, const char *denom,
			 const char *amount);
/* Decimal balance into out (80 bytes). */
void memhost_balance(const struct memhost *m, char out[80], const char *addr, const char *denom);

/* The canonical encodings used by the store (also used by tests to build
 * expected values). */
bool memhost_encode_connection(struct px_err *err, struct px_buf *out,
			       const struct ibc_connection_end *c);
bool memhost_decode_connection(struct px_err *err, struct ibc_connection_end *out,
			       const uint8_t *buf, size_t len);
bool memhost_encode_channel(struct px_err *err, struct px_buf *out, const struct ibc_channel *c);
bool memhost_decode_channel(struct px_err *err, struct ibc_channel *out, const uint8_t *buf,
			    size_t len);

struct px_slice memhost_proof(void);

#endif
