/* Helper of tests/wire/check_tx.mjs: drives chains/cosmos/ so that an
 * independent implementation (cosmjs-types, @noble/curves) can check its
 * output and feed it input.
 *
 *   tx_tool build
 *       builds and signs a fixed set of transactions with a fixed test key
 *       and prints, per case, the TxRaw hex, the sign bytes hex, the public
 *       key, the signature and every field, as one JSON array on stdout;
 *   tx_tool decode CHAIN_ID ACCOUNT_NUMBER TX_RAW_HEX
 *       decodes a TxRaw, checks it as the devnet would (check_basic and
 *       every signature) and prints the fields as JSON. Exit 0 when it
 *       verifies, 1 when it is well formed but does not verify, 2 when it
 *       is malformed or the arguments are wrong.
 *
 * The key is a published test key, not a secret. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "chains/cosmos/bech32.h"
#include "chains/cosmos/keys.h"
#include "chains/cosmos/tx.h"
#include "common/buf.h"
#include "common/encoding.h"
#include "common/number.h"

#define TEST_KEY "a96e62ed3955e65be32703f12d87b6b5cf26039ecfa948dc5107a495418e5330"

static json_t *hex_json(const uint8_t *p, size_t n)
{
	char *s = malloc(2 * n + 1);
	json_t *j;

	if (!s)
		return NULL;
	px_hex_encode(s, 2 * n + 1, p, n, false);
	j = json_string(s);
	free(s);
	return j;
}

/* Strings from the decoder are UTF-8 checked; the length form keeps
 * embedded NULs visible to the comparison. */
static json_t *str_json(struct px_slice s)
{
	return json_stringn(s.len ? (const char *)s.ptr : "", s.len);
}

static json_t *u64_json(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	return json_string(buf);
}

static json_t *anys_json(const struct cosmos_any *a, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:o,s:o}", "type_url", str_json(a[i].type_url),
						     "value", hex_json(a[i].value.ptr, a[i].value.len)));
	return arr;
}

static json_t *coins_json(const struct cosmos_coin *c, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:o,s:o}", "denom", str_json(c[i].denom),
						     "amount", str_json(c[i].amount)));
	return arr;
}

/* Every field of a decoded transaction, named as in the .proto files. */
static json_t *tx_json(const struct cosmos_tx *tx)
{
	json_t *signers = json_array(), *sigs = json_array(), *out;

	for (size_t i = 0; i < tx->auth_info.n_signer_infos; i++) {
		const struct cosmos_signer_info *si = &tx->auth_info.signer_infos[i];
		json_t *j = json_object();

		if (si->has_public_key)
			json_object_set_new(j, "public_key",
					    json_pack("{s:o,s:o}", "type_url",
						      str_json(si->public_key.type_url), "value",
						      hex_json(si->public_key.value.ptr,
							       si->public_key.value.len)));
		if (si->has_secp256k1_key) {
			uint8_t addr[COSMOS_ADDR_LEN];
			char bech[COSMOS_BECH32_MAX_LEN + 1];

			json_object_set_new(j, "secp256k1_key",
					    hex_json(si->secp256k1_key, COSMOS_PUBKEY_LEN));
			cosmos_pubkey_address(addr, si->secp256k1_key);
			json_object_set_new(j, "address_hex", hex_json(addr, sizeof(addr)));
			if (cosmos_address_encode(NULL, bech, sizeof(bech), "cosmos", addr, sizeof(addr)))
				json_object_set_new(j, "address", json_string(bech));
		}
		if (si->has_single)
			json_object_set_new(j, "mode", json_integer(si->mode));
		json_object_set_new(j, "sequence", u64_json(si->sequence));
		json_array_append_new(signers, j);
	}
	for (size_t i = 0; i < tx->raw.n_signatures; i++)
		json_array_append_new(sigs, hex_json(tx->raw.signatures[i].ptr,
						     tx->raw.signatures[i].len));
	out = json_pack(
		"{s:o,s:o,s:o,s:{s:o,s:o,s:o,s:o,s:o},s:{s:o,s:o,s:o,s:o,s:o,s:b}}",
		"body_bytes", hex_json(tx->raw.body_bytes.ptr, tx->raw.body_bytes.len),
		"auth_info_bytes", hex_json(tx->raw.auth_info_bytes.ptr, tx->raw.auth_info_bytes.len),
		"signatures", sigs,
		"body",
		"messages", anys_json(tx->body.messages, tx->body.n_messages),
		"memo", str_json(tx->body.memo),
		"timeout_height", u64_json(tx->body.timeout_height),
		"extension_options",
		anys_json(tx->body.extension_options, tx->body.n_extension_options),
		"non_critical_extension_options",
		anys_json(tx->body.non_critical_extension_options,
			  tx->body.n_non_critical_extension_options),
		"auth_info",
		"signer_infos", signers,
		"fee_amount", coins_json(tx->auth_info.fee.amount, tx->auth_info.fee.n_amount),
		"gas_limit", u64_json(tx->auth_info.fee.gas_limit),
		"payer", str_json(tx->auth_info.fee.payer),
		"granter", str_json(tx->auth_info.fee.granter),
		"has_fee", tx->auth_info.has_fee);
	return out;
}

struct build_case {
	const char *name;
	struct cosmos_tx_params p;
};

static int cmd_build(void)
{
	static const uint8_t send_value[] = { 0x0a, 0x03, 'a', 'b', 'c', 0x12, 0x03, 'x', 'y', 'z' };
	static const uint8_t big_value[300] = { 0x0a, 0xa9, 0x02 };	/* field 1, 297 bytes */
	struct cosmos_any one[1], three[3];
	struct cosmos_coin fee1[1], fee2[2];
	struct build_case cases[3];
	struct cosmos_key key;
	json_t *arr = json_array();
	int rc = 0;

	if (!cosmos_key_from_hex(NULL, &key, TEST_KEY, strlen(TEST_KEY)))
		return 2;

	one[0].type_url = cosmos_str("/cosmos.bank.v1beta1.MsgSend");
	one[0].value.ptr = send_value;
	one[0].value.len = sizeof(send_value);
	fee1[0].denom = cosmos_str("stake");
	fee1[0].amount = cosmos_str("200");

	three[0] = one[0];
	three[1].type_url = cosmos_str("/ibc.core.client.v1.MsgUpdateClient");
	three[1].value.ptr = NULL;
	three[1].value.len = 0;
	three[2].type_url = cosmos_str("/ibc.core.channel.v1.MsgRecvPacket");
	three[2].value.ptr = big_value;
	three[2].value.len = sizeof(big_value);
	fee2[0].denom = cosmos_str("ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2");
	fee2[0].amount = cosmos_str("0");
	fee2[1].denom = cosmos_str("uatom");
	fee2[1].amount = cosmos_str("115792089237316195423570985008687907853269984665640564039457584007913129639935");

	memset(cases, 0, sizeof(cases));
	cases[0].name = "simple";
	cases[0].p.messages = one;
	cases[0].p.n_messages = 1;
	cases[0].p.memo = cosmos_str("hi");
	cases[0].p.fee = fee1;
	cases[0].p.n_fee = 1;
	cases[0].p.gas_limit = 100000;
	cases[0].p.chain_id = cosmos_str("test-1");
	cases[0].p.account_number = 7;
	cases[0].p.sequence = 3;

	cases[1].name = "everything";
	cases[1].p.messages = three;
	cases[1].p.n_messages = 3;
	cases[1].p.memo = cosmos_str("relayed by pontifex \xe2\x9b\xb5 caf\xc3\xa9");
	cases[1].p.timeout_height = 1099511627776ull;
	cases[1].p.fee = fee2;
	cases[1].p.n_fee = 2;
	cases[1].p.gas_limit = UINT64_MAX;
	cases[1].p.payer = cosmos_str("cosmos1h806c7khnvmjlywdrkdgk2vrayy2mmvf9rxk2r");
	cases[1].p.granter = cosmos_str("cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs6");
	cases[1].p.chain_id = cosmos_str("a-chain-id-of-exactly-fifty-bytes-0123456789abcdef");
	cases[1].p.account_number = UINT64_MAX;
	cases[1].p.sequence = (1ull << 63) + 1;

	cases[2].name = "defaults";
	cases[2].p.messages = one;
	cases[2].p.n_messages = 1;
	cases[2].p.chain_id = cosmos_str("c");
	cases[2].p.account_number = 0;
	cases[2].p.sequence = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct px_buf raw = PX_BUF_INIT, doc = PX_BUF_INIT;
		struct px_err err = { 0 };
		static struct cosmos_tx tx;
		json_t *j;

		if (!cosmos_tx_sign_direct(&err, &raw, &doc, &key, &cases[i].p) ||
		    !cosmos_tx_decode(&err, &tx, raw.data, raw.len)) {
			fprintf(stderr, "tx_tool: case %s: %s\n", cases[i].name, err.msg);
			rc = 2;
			px_buf_free(&raw);
			px_buf_free(&doc);
			break;
		}
		j = tx_json(&tx);
		json_object_set_new(j, "name", json_string(cases[i].name));
		json_object_set_new(j, "tx_raw", hex_json(raw.data, raw.len));
		json_object_set_new(j, "sign_bytes", hex_json(doc.data, doc.len));
		json_object_set_new(j, "public_key", hex_json(key.pub, sizeof(key.pub)));
		json_object_set_new(j, "chain_id", str_json(cases[i].p.chain_id));
		json_object_set_new(j, "account_number", u64_json(cases[i].p.account_number));
		json_array_append_new(arr, j);
		px_buf_free(&raw);
		px_buf_free(&doc);
	}
	cosmos_key_wipe(&key);
	if (rc == 0) {
		char *s = json_dumps(arr, JSON_COMPACT);

		if (!s)
			rc = 2;
		else
			puts(s);
		free(s);
	}
	json_decref(arr);
	return rc;
}

static int print_error(const struct px_err *err, int rc)
{
	json_t *j = json_pack("{s:b,s:s,s:s}", "ok", 0, "code", px_code_name(err->code), "message",
			      err->msg);
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;

	if (s)
		puts(s);
	free(s);
	json_decref(j);
	return rc;
}

static int cmd_decode(const char *chain_id, const char *acct, const char *hex)
{
	struct px_buf raw = PX_BUF_INIT;
	struct px_err err = { 0 };
	static struct cosmos_tx tx;
	uint64_t account;
	json_t *j;
	char *s;
	int rc = 0;

	if (!px_parse_u64(&err, &account, acct, strlen(acct)) ||
	    !px_hex_decode(&err, &raw, hex, strlen(hex), false))
		return print_error(&err, 2);
	if (!cosmos_tx_decode(&err, &tx, raw.data, raw.len)) {
		rc = print_error(&err, 2);
		goto out;
	}
	if (!cosmos_tx_check_basic(&err, &tx)) {
		rc = print_error(&err, 2);
		goto out;
	}
	for (size_t i = 0; i < tx.auth_info.n_signer_infos; i++) {
		if (!cosmos_tx_verify_signature(&err, &tx, i, cosmos_str(chain_id), account)) {
			rc = print_error(&err, px_code_exit_status(err.code));
			goto out;
		}
	}
	j = tx_json(&tx);
	json_object_set_new(j, "ok", json_true());
	s = json_dumps(j, JSON_COMPACT);
	if (s)
		puts(s);
	else
		rc = 2;
	free(s);
	json_decref(j);
out:
	px_buf_free(&raw);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "build") == 0)
		return cmd_build();
	if (argc == 5 && strcmp(argv[1], "decode") == 0)
		return cmd_decode(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: tx_tool build | tx_tool decode CHAIN_ID ACCOUNT_NUMBER TX_RAW_HEX\n");
	return 2;
}
