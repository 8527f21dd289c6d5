/* Test helper: relayed packet messages with real proofs, for the audit's
 * unit tests (test_audit.c) and the CLI test tool (mkpackets.c).
 *
 * Two chains, A (chain-a-1) and B (chain-b-1), each an in-memory devnet
 * multistore (chains/devnet/store_multi.h, IAVL under a multistore, the
 * proofs a Cosmos SDK node serves). State is committed as version 10, so
 * the app hash is header 11's and every proof_height is {1, 11}.
 *
 *   A (sender):   commitments of P1..P4 (transfer/channel-0 -> transfer/channel-1)
 *                 and of O4, O5 (transfer/channel-6 -> transfer/channel-7, ordered)
 *   B (receiver): receipts and acks of P1, P2; nextSequenceRecv of channel-7 = 5
 *
 * Messages (bare protobuf, ibc-go encoding):
 *   recv[i]            MsgRecvPacket of P(i+1), proven from A
 *   ack[i]             MsgAcknowledgement of P(i+1), ack {"result":"AQ=="}, from B
 *   timeout            MsgTimeout of P3 (unordered, timestamp passed at header 11)
 *   timeout_pending    MsgTimeout of P4 (receipt absent, timestamp not reached)
 *   timeout_ordered    MsgTimeout of O5, next_sequence_recv 5 (height passed)
 *   timeout_received   MsgTimeout of O4, next_sequence_recv 5 (already received)
 *   tx_b               TxRaw to B: a bank MsgSend, recv[0], recv[1] (signed)
 *   tx_a               TxRaw to A: ack[0], ack[1], timeout, timeout_ordered
 *   tx_none            TxRaw with a bank MsgSend only
 *
 * Headers (testchain.c): trusted 10 and header 11 carrying each app hash. */
#ifndef PX_TESTS_IBC_CORE_TESTPACKETS_H
#define PX_TESTS_IBC_CORE_TESTPACKETS_H

#include <stdint.h>

#include "common/buf.h"
#include "lightclient/tendermint/types.h"

#define TPK_PROOF_HEIGHT 11
#define TPK_REVISION 1

struct tpk_world {
	uint8_t app_a[32];
	uint8_t app_b[32];
	struct px_buf recv[3];
	struct px_buf ack[2];
	struct px_buf timeout;
	struct px_buf timeout_pending;
	struct px_buf timeout_ordered;
	struct px_buf timeout_received;
	struct px_buf tx_a, tx_b, tx_none;
};

/* Builds everything (aborts on internal failure). */
void tpk_world_build(struct tpk_world *w);
void tpk_world_free(struct tpk_world *w);

/* Light blocks of chain "chain-a-1" or "chain-b-1" (which = 'a' or 'b'):
 * height 10 (trusted) and 11 with app_hash. Caller frees both. */
void tpk_headers(struct tm_light_block *trusted, struct tm_light_block *header, char which,
		 const uint8_t app_hash[32]);

#endif
