/* Test helper of tests/devnet/test_devnet_rpc.sh: signs COUNT MsgSends
 * from the account of a devnet key file (config/accounts/NAME.json) with
 * chains/cosmos/tx.h, sequences SEQ..SEQ+COUNT-1, and prints each TxRaw in
 * base64 on its own line.
 *
 * usage: devnet_tx_tool KEYFILE CHAIN_ID ACCOUNT_NUMBER SEQ COUNT TO AMOUNT DENOM FEE_STAKE GAS */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chains/cosmos/bech32.h"
#include "chains/cosmos/tx.h"
#include "chains/devnet/account_keys.h"
#include "common/encoding.h"
#include "common/number.h"
#include "common/protobuf.h"

static uint64_t num(const char *s)
{
	uint64_t v = 0;

	if (!px_parse_u64(NULL, &v, s, strlen(s))) {
		fprintf(stderr, "devnet_tx_tool: '%s' is not a number\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	struct devnet_account_key k;
	struct px_err err = { 0 };
	char from[COSMOS_BECH32_MAX_LEN + 1];
	uint64_t seq, count;

	if (argc != 11) {
		fprintf(stderr, "usage: devnet_tx_tool KEYFILE CHAIN_ID ACCOUNT_NUMBER SEQ COUNT TO "
			"AMOUNT DENOM FEE_STAKE GAS\n");
		return 2;
	}
	if (!devnet_account_key_load(&err, &k, argv[1]) ||
	    !cosmos_address_encode(&err, from, sizeof(from), "cosmos", k.address, COSMOS_ADDR_LEN)) {
		fprintf(stderr, "devnet_tx_tool: %s\n", err.msg);
		return 2;
	}
	seq = num(argv[4]);
	count = num(argv[5]);
	for (uint64_t i = 0; i < count; i++) {
		struct px_buf msg = PX_BUF_INIT, coin = PX_BUF_INIT, tx = PX_BUF_INIT, b64 = PX_BUF_INIT;
		struct cosmos_any any;
		struct cosmos_coin fee = { cosmos_str("stake"), cosmos_str(argv[9]) };
		struct cosmos_tx_params p = { 0 };

		px_pb_put_bytes(&msg, 1, (const uint8_t *)from, strlen(from));
		px_pb_put_bytes(&msg, 2, (const uint8_t *)argv[6], strlen(argv[6]));
		px_pb_put_bytes(&coin, 1, (const uint8_t *)argv[8], strlen(argv[8]));
		px_pb_put_bytes(&coin, 2, (const uint8_t *)argv[7], strlen(argv[7]));
		px_pb_put_bytes(&msg, 3, coin.data, coin.len);
		any.type_url = cosmos_str("/cosmos.bank.v1beta1.MsgSend");
		any.value = px_slice_of(&msg);
		p.messages = &any;
		p.n_messages = 1;
		p.fee = &fee;
		p.n_fee = strcmp(argv[9], "0") ? 1 : 0;
		p.gas_limit = num(argv[10]);
		p.chain_id = cosmos_str(argv[2]);
		p.account_number = num(argv[3]);
		p.sequence = seq + i;
		if (!cosmos_tx_sign_direct(&err, &tx, NULL, &k.key, &p)) {
			fprintf(stderr, "devnet_tx_tool: %s\n", err.msg);
			return 2;
		}
		px_base64_encode(&b64, tx.data, tx.len, PX_B64_STD, true);
		printf("%.*s\n", (int)b64.len, (const char *)b64.data);
		px_buf_free(&msg);
		px_buf_free(&coin);
		px_buf_free(&tx);
		px_buf_free(&b64);
	}
	devnet_account_key_wipe(&k);
	return 0;
}
