/* Two in-memory chains, A and B, each with a fake light client of the
 * other, and helpers that run the handshakes between them through the
 * protocol rules (what a relayer would do, minus the transport). Shared by
 * the connection, channel, packet and transfer tests. */
#ifndef PX_TESTS_IBC_TESTNET_H
#define PX_TESTS_IBC_TESTNET_H

#include <stdbool.h>

#include "common/errors.h"
#include "ibc/types.h"
#include "memhost.h"

#define TN_CLIENT_ON_A "07-tendermint-0"	/* A's client of B */
#define TN_CLIENT_ON_B "07-tendermint-5"	/* B's client of A */
#define TN_PORT "transfer"
#define TN_BLOCK_NS 5000000000ull		/* 5 s blocks */
#define TN_T0 1700000000000000000ull		/* genesis time, ns */

struct testnet {
	struct memhost *a, *b;
	const struct ibc_host *ha, *hb;
	char conn_a[IBC_ID_MAX + 1], conn_b[IBC_ID_MAX + 1];
	char chan_a[IBC_ID_MAX + 1], chan_b[IBC_ID_MAX + 1];
};

/* A at height 1-100, B at 2-200, clients created. */
void testnet_init(struct testnet *t);
void testnet_free(struct testnet *t);

/* One block on `src`, then the other chain's client of src records it:
 * the proof height of what src stores now. */
struct ibc_height testnet_commit_a(struct testnet *t);
struct ibc_height testnet_commit_b(struct testnet *t);

/* The four connection steps (A inits). */
bool testnet_open_connection(struct testnet *t, struct px_err *err);
/* The four channel steps on TN_PORT over the open connection (A inits). */
bool testnet_open_channel(struct testnet *t, struct px_err *err, enum ibc_order order);

#endif
