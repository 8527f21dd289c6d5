/* Fuzz target: 07-tendermint Header and Misbehaviour decoding (CometBFT
 * SignedHeader, Commit, ValidatorSet inside). First byte: which. */
#include "fuzz_ibc_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ibc_msg_kind kinds[] = { IBC_MSG_TM_HEADER, IBC_MSG_TM_MISBEHAVIOUR,
						   IBC_MSG_UPDATE_CLIENT };

	fuzz_ibc_pick(kinds, sizeof(kinds) / sizeof(kinds[0]), data, size);
	return 0;
}
