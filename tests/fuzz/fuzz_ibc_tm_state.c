/* Fuzz target: 07-tendermint ClientState and ConsensusState decoding, and
 * MsgCreateClient. First byte: which. */
#include "fuzz_ibc_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ibc_msg_kind kinds[] = { IBC_MSG_TM_CLIENT_STATE,
						   IBC_MSG_TM_CONSENSUS_STATE,
						   IBC_MSG_CREATE_CLIENT };

	fuzz_ibc_pick(kinds, sizeof(kinds) / sizeof(kinds[0]), data, size);
	return 0;
}
