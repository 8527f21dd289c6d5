/* Fuzz target: MsgRecvPacket, MsgAcknowledgement, MsgTimeout and
 * MsgTransfer decoding. First byte: which. */
#include "fuzz_ibc_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ibc_msg_kind kinds[] = { IBC_MSG_RECV_PACKET, IBC_MSG_ACKNOWLEDGEMENT,
						   IBC_MSG_TIMEOUT, IBC_MSG_TRANSFER };

	fuzz_ibc_pick(kinds, sizeof(kinds) / sizeof(kinds[0]), data, size);
	return 0;
}
