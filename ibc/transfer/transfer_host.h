/* ICS-20 bookkeeping on a host chain: which balances move when a transfer
 * is sent, received, acknowledged with an error or timed out. The chain is
 * the source of a denom when the denom's trace does not start with the
 * channel the packet travels back through; then tokens are escrowed on send
 * and unescrowed on the way back. Otherwise the chain holds vouchers
 * ("ibc/" + hex(sha256(trace))), burned on send and minted on receive.
 * Refunds (error acknowledgement, timeout) undo the send.
 *
 * Balances go through the host table (get_balance, set_balance,
 * escrow_address); amounts are unsigned 256-bit integers (Cosmos SDK Int
 * range), and an overflow is refused, never wrapped. Every function checks
 * all balances before writing any.
 *
 * The packet data, denom traces and bank denoms come from
 * ibc/transfer/ics20.h: these functions take the packet data as
 * ibc_ics20_decode gives it, whose denom is the full trace path
 * ("transfer/channel-0/uatom" or a base denom); a host resolves a user's
 * "ibc/HASH" to its trace before it builds the data. The denom trace
 * store (which ibc/HASH is which path) is the host's business. */
#ifndef PX_IBC_TRANSFER_TRANSFER_HOST_H
#define PX_IBC_TRANSFER_TRANSFER_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/errors.h"
#include "ibc/core/host.h"
#include "ibc/transfer/ics20.h"
#include "ibc/types.h"

/* MsgTransfer on the sending chain, before SendPacket: escrows
 * data->amount of data->denom from data->sender into the channel's escrow
 * account, or burns the voucher. PX_E_IBC_FUNDS when the sender has too
 * little, PX_E_NUMBER for a bad or zero amount, PX_E_MALFORMED for a bad
 * denom. */
bool ibc_transfer_on_send(const struct ibc_host *h, struct px_err *err, const char *source_port,
			  const char *source_channel,
			  const struct ibc_ics20_data *data) PX_MUST_CHECK;

/* OnRecvPacket on the receiving chain: unescrows a returning token to
 * data->receiver, or mints the voucher of "dest_port/dest_channel/denom". A
 * failure here is what the host turns into an error acknowledgement:
 * PX_E_IBC_FUNDS (escrow short), PX_E_IBC_OVERFLOW (balance past
 * 2^256 - 1), PX_E_MALFORMED. */
bool ibc_transfer_on_recv(const struct ibc_host *h, struct px_err *err,
			  const struct ibc_packet *pkt,
			  const struct ibc_ics20_data *data) PX_MUST_CHECK;

/* Refund to data->sender after an error acknowledgement or a timeout, on the
 * sending chain: unescrows what on_send escrowed, or mints back what it
 * burned. */
bool ibc_transfer_refund(const struct ibc_host *h, struct px_err *err,
			 const struct ibc_packet *pkt,
			 const struct ibc_ics20_data *data) PX_MUST_CHECK;

#endif
