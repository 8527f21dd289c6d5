/* ibc.applications.transfer.v1.MsgTransfer (ICS-20), fields 1..8 as in
 * ibc-go v7, v8 and v10. Field 9 is skipped as unknown: ibc-go v9 used it
 * for `repeated Coin tokens` and v10 for `string encoding`, so neither
 * reading is safe. Every string is a borrowed slice. See base.h. */
#ifndef PX_IBC_CODEC_TRANSFER_H
#define PX_IBC_CODEC_TRANSFER_H

#include "ibc/codec/base.h"

/* cosmos.base.v1beta1.Coin: amount is a decimal string (an sdk.Int). */
struct ibc_coin {
	struct px_slice denom;
	struct px_slice amount;
};

struct ibc_msg_transfer {
	char source_port[IBC_ID_MAX + 1];
	char source_channel[IBC_ID_MAX + 1];
	struct ibc_coin token;			/* non-nullable: always written */
	struct px_slice sender;
	struct px_slice receiver;
	struct ibc_height timeout_height;	/* non-nullable: always written */
	uint64_t timeout_timestamp;		/* ns since the epoch, 0 = none */
	struct px_slice memo;
};

bool ibc_msg_transfer_decode(struct px_err *err, struct ibc_msg_transfer *out, const uint8_t *buf,
			     size_t len) PX_MUST_CHECK;
bool ibc_msg_transfer_encode(struct px_err *err, struct px_buf *out,
			     const struct ibc_msg_transfer *in) PX_MUST_CHECK;

void ibc_msg_transfer_read(struct px_cursor *c, struct ibc_where *w, void *out);
void ibc_msg_transfer_write(struct ibc_writer *w, const void *in);

#endif
