/* Unit tests for chains/cosmos/tx_encode.c, tx_decode.c and tx_sign.c: a signed
 * transaction checked byte for byte against a hand-assembled encoding of
 * the cosmos.tx.v1beta1 messages, decode/encode round trips, signature
 * verification and its failures (wrong chain id, account number, sequence,
 * flipped bytes, high-S), and the strict decoder's refusals (truncation,
 * wrong wire types, non-canonical order and defaults, unknown fields, caps,
 * bad coins, bad UTF-8, multisig). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chains/cosmos/keys.h"
#include "chains/cosmos/tx.h"
#include "common/buf.h"
#include "common/encoding.h"
#include "common/protobuf.h"

#define MSG_URL "/cosmos.bank.v1beta1.MsgSend"
#define CHAIN "test-1"
#define ACCOUNT 7
#define SEQUENCE 3

static const uint8_t msg_value[] = { 0x0a, 0x03, 'a', 'b', 'c' };

struct fixture {
	struct cosmos_key key;
	struct cosmos_any msg;
	struct cosmos_coin fee;
	struct cosmos_tx_params p;
	struct px_buf raw;
	struct px_buf doc;
	struct cosmos_tx tx;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	if (!cosmos_key_from_hex(NULL, &f->key,
				 "a96e62ed3955e65be32703f12d87b6b5cf26039ecfa948dc5107a495418e5330",
				 64))
		return -1;
	f->msg.type_url = cosmos_str(MSG_URL);
	f->msg.value.ptr = msg_value;
	f->msg.value.len = sizeof(msg_value);
	f->fee.denom = cosmos_str("stake");
	f->fee.amount = cosmos_str("200");
	f->p.messages = &f->msg;
	f->p.n_messages = 1;
	f->p.memo = cosmos_str("hi");
	f->p.fee = &f->fee;
	f->p.n_fee = 1;
	f->p.gas_limit = 100000;
	f->p.chain_id = cosmos_str(CHAIN);
	f->p.account_number = ACCOUNT;
	f->p.sequence = SEQUENCE;
	px_buf_init(&f->raw);
	px_buf_init(&f->doc);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	cosmos_key_wipe(&f->key);
	px_buf_free(&f->raw);
	px_buf_free(&f->doc);
	free(f);
	return 0;
}

static void sign(struct fixture *f)
{
	struct px_err err = { 0 };

	if (!cosmos_tx_sign_direct(&err, &f->raw, &f->doc, &f->key, &f->p))
		fail_msg("sign: %s", err.msg);
	if (!cosmos_tx_decode(&err, &f->tx, f->raw.data, f->raw.len))
		fail_msg("decode: %s", err.msg);
}

static void put(struct px_buf *b, const char *hex)
{
	if (!px_hex_decode(NULL, b, hex, strlen(hex), false))
		fail_msg("bad test hex %s", hex);
}

static void put_str(struct px_buf *b, const char *s)
{
	px_buf_append(b, s, strlen(s));
}

/* The expected encoding, assembled by hand from the .proto field numbers
 * and gogoproto's rules (fields in order, defaults left out). */
static void expected_body(struct px_buf *b)
{
	put(b, "0a25");		/* messages[0], 37 bytes */
	put(b, "0a1c");		/* Any.type_url, 28 bytes */
	put_str(b, MSG_URL);
	put(b, "1205" "0a03616263");	/* Any.value */
	put(b, "1202");		/* memo */
	put_str(b, "hi");
}

static void expected_auth_info(struct px_buf *b, const uint8_t pub[33])
{
	put(b, "0a50");		/* signer_infos[0], 80 bytes */
	put(b, "0a46");		/* public_key Any, 70 bytes */
	put(b, "0a1f");		/* type_url, 31 bytes */
	put_str(b, COSMOS_SECP256K1_PUBKEY_URL);
	put(b, "1223" "0a21");	/* value: PubKey{key: 33 bytes} */
	px_buf_append(b, pub, 33);
	put(b, "1204" "0a02" "0801");	/* mode_info{single{mode: DIRECT}} */
	put(b, "1803");		/* sequence 3 */
	put(b, "1212");		/* fee, 18 bytes */
	put(b, "0a0c" "0a05");	/* amount[0]: Coin, denom */
	put_str(b, "stake");
	put(b, "1203");		/* amount */
	put_str(b, "200");
	put(b, "10a08d06");	/* gas_limit 100000 */
}

static void known_encoding(void **state)
{
	struct fixture *f = *state;
	struct px_buf body = PX_BUF_INIT, ai = PX_BUF_INIT, doc = PX_BUF_INIT, raw = PX_BUF_INIT;

	sign(f);
	expected_body(&body);
	expected_auth_info(&ai, f->key.pub);
	assert_int_equal(f->tx.raw.body_bytes.len, body.len);
	assert_memory_equal(f->tx.raw.body_bytes.ptr, body.data, body.len);
	assert_int_equal(f->tx.raw.auth_info_bytes.len, ai.len);
	assert_memory_equal(f->tx.raw.auth_info_bytes.ptr, ai.data, ai.len);

	px_pb_put_bytes(&doc, 1, body.data, body.len);
	px_pb_put_bytes(&doc, 2, ai.data, ai.len);
	put(&doc, "1a06");
	put_str(&doc, CHAIN);
	put(&doc, "2007");	/* account_number 7 */
	assert_int_equal(f->doc.len, doc.len);
	assert_memory_equal(f->doc.data, doc.data, doc.len);

	px_pb_put_bytes(&raw, 1, body.data, body.len);
	px_pb_put_bytes(&raw, 2, ai.data, ai.len);
	assert_int_equal(f->tx.raw.n_signatures, 1);
	px_pb_put_bytes(&raw, 3, f->tx.raw.signatures[0].ptr, 64);
	assert_int_equal(f->raw.len, raw.len);
	assert_memory_equal(f->raw.data, raw.data, raw.len);

	/* The signature is the key's signature of the sign doc. */
	{
		uint8_t sig[64];

		assert_true(cosmos_key_sign(NULL, sig, &f->key, doc.data, doc.len));
		assert_memory_equal(sig, f->tx.raw.signatures[0].ptr, 64);
	}
	px_buf_free(&body);
	px_buf_free(&ai);
	px_buf_free(&doc);
	px_buf_free(&raw);
}

static bool slice_is(struct px_slice s, const char *want)
{
	return s.len == strlen(want) && memcmp(s.ptr, want, s.len) == 0;
}

static void decoded_fields(void **state)
{
	struct fixture *f = *state;
	const struct cosmos_signer_info *si;
	struct cosmos_sign_doc doc;
	uint8_t addr[20], want[20];

	sign(f);
	assert_int_equal(f->tx.body.n_messages, 1);
	assert_true(slice_is(f->tx.body.messages[0].type_url, MSG_URL));
	assert_int_equal(f->tx.body.messages[0].value.len, sizeof(msg_value));
	assert_true(slice_is(f->tx.body.memo, "hi"));
	assert_int_equal(f->tx.body.timeout_height, 0);
	assert_int_equal(f->tx.auth_info.n_signer_infos, 1);
	si = &f->tx.auth_info.signer_infos[0];
	assert_true(si->has_public_key && si->has_secp256k1_key && si->has_mode_info &&
		    si->has_single);
	assert_memory_equal(si->secp256k1_key, f->key.pub, 33);
	assert_int_equal(si->mode, COSMOS_SIGN_MODE_DIRECT);
	assert_int_equal(si->sequence, SEQUENCE);
	assert_true(f->tx.auth_info.has_fee);
	assert_false(f->tx.auth_info.has_tip);
	assert_int_equal(f->tx.auth_info.fee.n_amount, 1);
	assert_true(slice_is(f->tx.auth_info.fee.amount[0].denom, "stake"));
	assert_true(slice_is(f->tx.auth_info.fee.amount[0].amount, "200"));
	assert_int_equal(f->tx.auth_info.fee.gas_limit, 100000);
	assert_true(cosmos_tx_check_basic(NULL, &f->tx));

	assert_true(cosmos_tx_signer_address(NULL, addr, &f->tx, 0));
	cosmos_pubkey_address(want, f->key.pub);
	assert_memory_equal(addr, want, 20);

	assert_true(cosmos_sign_doc_decode(NULL, &doc, f->doc.data, f->doc.len));
	assert_true(slice_is(doc.chain_id, CHAIN));
	assert_int_equal(doc.account_number, ACCOUNT);
	assert_int_equal(doc.body_bytes.len, f->tx.raw.body_bytes.len);
}

static void round_trips(void **state)
{
	struct fixture *f = *state;
	struct px_buf b = PX_BUF_INIT;
	struct cosmos_any msgs[3];
	struct cosmos_coin coins[2];
	struct cosmos_sign_doc doc;
	static struct cosmos_tx_body body2;

	/* Everything set: several messages and coins, timeout, payer,
	 * granter, zero amounts, an empty-valued Any, sequence 0. */
	msgs[0] = f->msg;
	msgs[1].type_url = cosmos_str("/ibc.core.client.v1.MsgUpdateClient");
	msgs[1].value.ptr = NULL;
	msgs[1].value.len = 0;
	msgs[2] = f->msg;
	coins[0].denom = cosmos_str("ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2");
	coins[0].amount = cosmos_str("0");
	coins[1] = f->fee;
	f->p.messages = msgs;
	f->p.n_messages = 3;
	f->p.fee = coins;
	f->p.n_fee = 2;
	f->p.timeout_height = 1ull << 40;
	f->p.payer = cosmos_str("cosmos1h806c7khnvmjlywdrkdgk2vrayy2mmvf9rxk2r");
	f->p.granter = cosmos_str("cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs6");
	f->p.sequence = 0;
	f->p.account_number = 0;
	f->p.memo = cosmos_str("caf\xc3\xa9 \xf0\x9f\x8c\x89");
	sign(f);
	assert_int_equal(f->tx.body.n_messages, 3);
	assert_int_equal(f->tx.body.messages[1].value.len, 0);
	assert_int_equal(f->tx.body.timeout_height, 1ull << 40);
	assert_int_equal(f->tx.auth_info.fee.n_amount, 2);
	assert_true(slice_is(f->tx.auth_info.fee.amount[0].amount, "0"));
	assert_true(slice_is(f->tx.auth_info.fee.payer, "cosmos1h806c7khnvmjlywdrkdgk2vrayy2mmvf9rxk2r"));
	assert_int_equal(f->tx.auth_info.signer_infos[0].sequence, 0);
	assert_true(cosmos_tx_verify_signature(NULL, &f->tx, 0, cosmos_str(CHAIN), 0));

	/* decode(encode(x)) == x was shown above; encode(decode(b)) == b: */
	assert_true(cosmos_tx_body_encode(NULL, &b, &f->tx.body));
	assert_int_equal(b.len, f->tx.raw.body_bytes.len);
	assert_memory_equal(b.data, f->tx.raw.body_bytes.ptr, b.len);
	px_buf_reset(&b);
	assert_true(cosmos_auth_info_encode(NULL, &b, &f->tx.auth_info));
	assert_int_equal(b.len, f->tx.raw.auth_info_bytes.len);
	assert_memory_equal(b.data, f->tx.raw.auth_info_bytes.ptr, b.len);
	px_buf_reset(&b);
	assert_true(cosmos_tx_raw_encode(NULL, &b, &f->tx.raw));
	assert_int_equal(b.len, f->raw.len);
	assert_memory_equal(b.data, f->raw.data, b.len);
	px_buf_reset(&b);
	assert_true(cosmos_sign_doc_decode(NULL, &doc, f->doc.data, f->doc.len));
	assert_int_equal(doc.account_number, 0);
	assert_true(cosmos_sign_doc_encode(NULL, &b, &doc));
	assert_int_equal(b.len, f->doc.len);
	assert_memory_equal(b.data, f->doc.data, b.len);

	/* Extension options round trip too. */
	memset(&body2, 0, sizeof(body2));
	body2.messages[0] = f->msg;
	body2.n_messages = 1;
	body2.extension_options[0] = f->msg;
	body2.n_extension_options = 1;
	body2.non_critical_extension_options[0] = f->msg;
	body2.non_critical_extension_options[1] = f->msg;
	body2.n_non_critical_extension_options = 2;
	px_buf_reset(&b);
	assert_true(cosmos_tx_body_encode(NULL, &b, &body2));
	{
		static struct cosmos_tx_body back;
		struct px_buf again = PX_BUF_INIT;

		assert_true(cosmos_tx_body_decode(NULL, &back, b.data, b.len));
		assert_int_equal(back.n_extension_options, 1);
		assert_int_equal(back.n_non_critical_extension_options, 2);
		assert_true(cosmos_tx_body_encode(NULL, &again, &back));
		assert_int_equal(again.len, b.len);
		assert_memory_equal(again.data, b.data, b.len);
		px_buf_free(&again);
	}
	px_buf_free(&b);
}

/* Rebuilds f->raw with new body/auth info/signature bytes. */
static void reraw(struct px_buf *out, struct px_slice body, struct px_slice ai, const uint8_t *sig,
		  size_t sig_len)
{
	struct cosmos_tx_raw raw;

	memset(&raw, 0, sizeof(raw));
	raw.body_bytes = body;
	raw.auth_info_bytes = ai;
	raw.signatures[0].ptr = sig;
	raw.signatures[0].len = sig_len;
	raw.n_signatures = 1;
	px_buf_reset(out);
	assert_true(cosmos_tx_raw_encode(NULL, out, &raw));
}

static void verify_ok_and_failures(void **state)
{
	struct fixture *f = *state;
	static struct cosmos_tx t2;
	static struct cosmos_auth_info ai;
	struct px_buf b = PX_BUF_INIT, aib = PX_BUF_INIT;
	struct px_err err = { 0 };
	uint8_t sig[64];

	sign(f);
	assert_true(cosmos_tx_verify_signature(&err, &f->tx, 0, cosmos_str(CHAIN), ACCOUNT));

	/* Wrong chain id, wrong account number: the sign doc differs. */
	assert_false(cosmos_tx_verify_signature(&err, &f->tx, 0, cosmos_str("test-2"), ACCOUNT));
	assert_int_equal(err.code, PX_E_BAD_SIGNATURE);
	px_err_clear(&err);
	assert_false(cosmos_tx_verify_signature(&err, &f->tx, 0, cosmos_str(CHAIN), ACCOUNT + 1));
	assert_int_equal(err.code, PX_E_BAD_SIGNATURE);
	px_err_clear(&err);
	assert_false(cosmos_tx_verify_signature(&err, &f->tx, 0, cosmos_str(CHAIN), 0));
	assert_int_equal(err.code, PX_E_BAD_SIGNATURE);
	/* Chain id misuse. */
	px_err_clear(&err);
	assert_false(cosmos_tx_verify_signature(&err, &f->tx, 0, cosmos_str(""), ACCOUNT));
	assert_int_equal(err.code, PX_E_USAGE);
	/* No such signer. */
	px_err_clear(&err);
	assert_false(cosmos_tx_verify_signature(&err, &f->tx, 1, cosmos_str(CHAIN), ACCOUNT));
	assert_int_equal(err.code, PX_E_MALFORMED);

	/* Every flipped signature byte. */
	for (size_t i = 0; i < 64; i++) {
		memcpy(sig, f->tx.raw.signatures[0].ptr, 64);
		sig[i] ^= 0x80;
		reraw(&b, f->tx.raw.body_bytes, f->tx.raw.auth_info_bytes, sig, 64);
		assert_true(cosmos_tx_decode(NULL, &t2, b.data, b.len));
		px_err_clear(&err);
		assert_false(cosmos_tx_verify_signature(&err, &t2, 0, cosmos_str(CHAIN), ACCOUNT));
		assert_int_equal(err.code, PX_E_BAD_SIGNATURE);
	}

	/* High S: n - s gives the other valid ECDSA signature; refused. */
	{
		static const char n_hex[] =
			"fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
		uint8_t n[32];
		int borrow = 0;

		assert_true(px_hex_decode_fixed(NULL, n, 32, n_hex, 64));
		memcpy(sig, f->tx.raw.signatures[0].ptr, 64);
		for (int i = 31; i >= 0; i--) {
			int d = n[i] - sig[32 + i] - borrow;

			borrow = d < 0;
			sig[32 + i] = (uint8_t)(d + (borrow ? 256 : 0));
		}
		reraw(&b, f->tx.raw.body_bytes, f->tx.raw.auth_info_bytes, sig, 64);
		assert_true(cosmos_tx_decode(NULL, &t2, b.data, b.len));
		px_err_clear(&err);
		assert_false(cosmos_tx_verify_signature(&err, &t2, 0, cosmos_str(CHAIN), ACCOUNT));
		assert_int_equal(err.code, PX_E_BAD_SIGNATURE);
		assert_non_null(strstr(err.msg, "high-S"));
	}

	/* A signature of the wrong length. */
	reraw(&b, f->tx.raw.body_bytes, f->tx.raw.auth_info_bytes, f->tx.raw.signatures[0].ptr, 63);
	assert_true(cosmos_tx_decode(NULL, &t2, b.data, b.len));
	px_err_clear(&err);
	assert_false(cosmos_tx_verify_signature(&err, &t2, 0, cosmos_str(CHAIN), ACCOUNT));
	assert_int_equal(err.code, PX_E_BAD_SIGNATURE);

	/* The sequence is signed: change it, keep the signature. */
	ai = f->tx.auth_info;
	ai.signer_infos[0].sequence = SEQUENCE + 1;
	assert_true(cosmos_auth_info_encode(NULL, &aib, &ai));
	reraw(&b, f->tx.raw.body_bytes, px_slice_of(&aib), f->tx.raw.signatures[0].ptr, 64);
	assert_true(cosmos_tx_decode(NULL, &t2, b.data, b.len));
	px_err_clear(&err);
	assert_false(cosmos_tx_verify_signature(&err, &t2, 0, cosmos_str(CHAIN), ACCOUNT));
	assert_int_equal(err.code, PX_E_BAD_SIGNATURE);

	/* Another mode than DIRECT is unsupported, not "bad signature". */
	ai = f->tx.auth_info;
	ai.signer_infos[0].mode = COSMOS_SIGN_MODE_LEGACY_AMINO_JSON;
	px_buf_reset(&aib);
	assert_true(cosmos_auth_info_encode(NULL, &aib, &ai));
	reraw(&b, f->tx.raw.body_bytes, px_slice_of(&aib), f->tx.raw.signatures[0].ptr, 64);
	assert_true(cosmos_tx_decode(NULL, &t2, b.data, b.len));
	px_err_clear(&err);
	assert_false(cosmos_tx_verify_signature(&err, &t2, 0, cosmos_str(CHAIN), ACCOUNT));
	assert_int_equal(err.code, PX_E_UNSUPPORTED);

	/* A key type other than secp256k1. */
	ai = f->tx.auth_info;
	ai.signer_infos[0].public_key.type_url = cosmos_str("/cosmos.crypto.ed25519.PubKey");
	px_buf_reset(&aib);
	assert_true(cosmos_auth_info_encode(NULL, &aib, &ai));
	reraw(&b, f->tx.raw.body_bytes, px_slice_of(&aib), f->tx.raw.signatures[0].ptr, 64);
	assert_true(cosmos_tx_decode(NULL, &t2, b.data, b.len));
	assert_false(t2.auth_info.signer_infos[0].has_secp256k1_key);
	px_err_clear(&err);
	assert_false(cosmos_tx_verify_signature(&err, &t2, 0, cosmos_str(CHAIN), ACCOUNT));
	assert_int_equal(err.code, PX_E_UNSUPPORTED);
	assert_false(cosmos_tx_signer_address(NULL, sig, &t2, 0));

	/* A key that is not on the curve: malformed, not a bad signature. */
	{
		uint8_t pk[35] = { 0x0a, 0x21, 0x02 };

		pk[34] = 5;
		ai = f->tx.auth_info;
		ai.signer_infos[0].public_key.value.ptr = pk;
		ai.signer_infos[0].public_key.value.len = sizeof(pk);
		px_buf_reset(&aib);
		assert_true(cosmos_auth_info_encode(NULL, &aib, &ai));
		reraw(&b, f->tx.raw.body_bytes, px_slice_of(&aib), f->tx.raw.signatures[0].ptr, 64);
		assert_true(cosmos_tx_decode(NULL, &t2, b.data, b.len));
		px_err_clear(&err);
		assert_false(cosmos_tx_verify_signature(&err, &t2, 0, cosmos_str(CHAIN), ACCOUNT));
		assert_int_equal(err.code, PX_E_MALFORMED);
	}
	px_buf_free(&b);
	px_buf_free(&aib);
}

static void check_basic_rules(void **state)
{
	struct fixture *f = *state;
	static struct cosmos_tx t;
	struct px_err err = { 0 };

	sign(f);
	t = f->tx;
	t.auth_info.has_fee = false;
	assert_false(cosmos_tx_check_basic(&err, &t));
	assert_int_equal(err.code, PX_E_MALFORMED);
	t = f->tx;
	t.auth_info.has_tip = true;
	px_err_clear(&err);
	assert_false(cosmos_tx_check_basic(&err, &t));
	assert_int_equal(err.code, PX_E_UNSUPPORTED);
	t = f->tx;
	t.raw.n_signatures = 0;
	assert_false(cosmos_tx_check_basic(NULL, &t));
	assert_false(cosmos_tx_verify_signature(NULL, &t, 0, cosmos_str(CHAIN), ACCOUNT));
	t = f->tx;
	t.body.n_messages = 0;
	assert_false(cosmos_tx_check_basic(NULL, &t));
	t = f->tx;
	t.auth_info.n_signer_infos = 0;
	assert_false(cosmos_tx_check_basic(NULL, &t));
}

static void truncation(void **state)
{
	struct fixture *f = *state;
	static struct cosmos_tx t;
	struct px_err err;
	size_t n;

	sign(f);
	/* No strict prefix is a transaction that verifies. */
	for (n = 0; n < f->raw.len; n++) {
		bool ok = cosmos_tx_decode(NULL, &t, f->raw.data, n) &&
			  cosmos_tx_check_basic(NULL, &t) &&
			  cosmos_tx_verify_signature(NULL, &t, 0, cosmos_str(CHAIN), ACCOUNT);

		if (ok)
			fail_msg("prefix of %zu bytes verified", n);
	}
	/* Cut inside the signature: truncated, with its offset. */
	memset(&err, 0, sizeof(err));
	assert_false(cosmos_tx_decode(&err, &t, f->raw.data, f->raw.len - 1));
	assert_int_equal(err.code, PX_E_TRUNCATED);
	assert_non_null(strstr(err.msg, "tx raw"));
	/* Cut inside the body. */
	memset(&err, 0, sizeof(err));
	assert_false(cosmos_tx_body_decode(&err, &t.body, f->tx.raw.body_bytes.ptr,
					   f->tx.raw.body_bytes.len - 3));
	assert_int_equal(err.code, PX_E_TRUNCATED);
	/* Outputs are zeroed on failure. */
	{
		static const struct cosmos_tx_body zero;

		assert_memory_equal(&t.body, &zero, sizeof(zero));
	}
}

/* Decodes hex with the given decoder and checks the error code. */
enum which { BODY, AUTH, RAW, DOC };

static void refuse(enum which w, const char *hex, int code)
{
	static struct cosmos_tx t;
	struct cosmos_sign_doc doc;
	struct px_buf b = PX_BUF_INIT;
	struct px_err err = { 0 };
	bool ok = false;

	if (!px_hex_decode(NULL, &b, hex, strlen(hex), false))
		fail_msg("bad test hex %s", hex);
	switch (w) {
	case BODY: ok = cosmos_tx_body_decode(&err, &t.body, b.data, b.len); break;
	case AUTH: ok = cosmos_auth_info_decode(&err, &t.auth_info, b.data, b.len); break;
	case RAW: ok = cosmos_tx_raw_decode(&err, &t.raw, b.data, b.len); break;
	case DOC: ok = cosmos_sign_doc_decode(&err, &doc, b.data, b.len); break;
	}
	px_buf_free(&b);
	if (ok)
		fail_msg("accepted %s", hex);
	if (err.code != code)
		fail_msg("%s: code %d (%s), want %d", hex, err.code, err.msg, code);
}

static void accept(enum which w, const char *hex)
{
	static struct cosmos_tx t;
	struct cosmos_sign_doc doc;
	struct px_buf b = PX_BUF_INIT;
	struct px_err err = { 0 };
	bool ok = false;

	if (!px_hex_decode(NULL, &b, hex, strlen(hex), false))
		fail_msg("bad test hex %s", hex);
	switch (w) {
	case BODY: ok = cosmos_tx_body_decode(&err, &t.body, b.data, b.len); break;
	case AUTH: ok = cosmos_auth_info_decode(&err, &t.auth_info, b.data, b.len); break;
	case RAW: ok = cosmos_tx_raw_decode(&err, &t.raw, b.data, b.len); break;
	case DOC: ok = cosmos_sign_doc_decode(&err, &doc, b.data, b.len); break;
	}
	px_buf_free(&b);
	if (!ok)
		fail_msg("refused %s: %s", hex, err.msg);
}

/* Any{type_url: "/a"} */
#define ANY_A "0a022f61"

static void wire_types_and_canonical_form(void **state)
{
	(void)state;
	accept(RAW, "0a0101" "120102" "1a00" "1a0103");
	accept(RAW, "");
	/* Wrong wire types. */
	refuse(RAW, "0801", PX_E_MALFORMED);
	refuse(RAW, "1001", PX_E_MALFORMED);
	refuse(RAW, "1d01020304", PX_E_MALFORMED);
	refuse(BODY, "0a04" ANY_A "1001", PX_E_MALFORMED);	/* memo as varint */
	refuse(BODY, "1a0101", PX_E_MALFORMED);		/* timeout as bytes */
	refuse(AUTH, "1001", PX_E_MALFORMED);		/* fee as varint */
	refuse(DOC, "2101000000" "00000000", PX_E_MALFORMED);	/* account number as fixed64 */
	/* Groups. */
	refuse(RAW, "0b0c", PX_E_MALFORMED);
	/* Order: auth info before body; a repeated singular field. */
	refuse(RAW, "120102" "0a0101", PX_E_NONCANONICAL);
	refuse(RAW, "0a0101" "0a0101", PX_E_NONCANONICAL);
	refuse(RAW, "1a0103" "0a0101", PX_E_NONCANONICAL);
	refuse(BODY, "1202" "6869" "0a04" ANY_A, PX_E_NONCANONICAL);
	refuse(BODY, "0a04" ANY_A "1801" "1202" "6869", PX_E_NONCANONICAL);
	refuse(BODY, "0a07" "120100" "0a022f61", PX_E_NONCANONICAL);	/* Any value before URL */
	/* Defaults written out. */
	refuse(RAW, "0a00", PX_E_NONCANONICAL);
	refuse(BODY, "0a04" ANY_A "1200", PX_E_NONCANONICAL);
	refuse(BODY, "0a04" ANY_A "1800", PX_E_NONCANONICAL);
	refuse(BODY, "0a06" ANY_A "1200", PX_E_NONCANONICAL);	/* empty Any value */
	refuse(DOC, "2000", PX_E_NONCANONICAL);
	refuse(DOC, "1a00", PX_E_NONCANONICAL);
	refuse(AUTH, "0a021800", PX_E_NONCANONICAL);		/* sequence 0 */
	refuse(AUTH, "0a06" "1204" "0a02" "0800", PX_E_NONCANONICAL);	/* mode 0 written */
	refuse(AUTH, "12021000", PX_E_NONCANONICAL);		/* gas 0 */
	/* Non-minimal varints (lengths and values). */
	refuse(RAW, "0a810001", PX_E_NONCANONICAL);
	refuse(BODY, "0a04" ANY_A "188100", PX_E_NONCANONICAL);
	/* Unknown fields. */
	refuse(RAW, "2001", PX_E_MALFORMED);
	refuse(AUTH, "2001", PX_E_MALFORMED);
	refuse(DOC, "2801", PX_E_MALFORMED);
	refuse(BODY, "0a04" ANY_A "2001", PX_E_MALFORMED);	/* unordered (SDK 0.53) */
	refuse(BODY, "0a06" ANY_A "1800", PX_E_MALFORMED);	/* unknown Any field */
	refuse(AUTH, "0a02" "2001", PX_E_MALFORMED);		/* unknown SignerInfo field */
	/* Non-critical unknown fields of TxBody (bit 11) are skipped. */
	accept(BODY, "0a04" ANY_A "8840" "01");
	refuse(BODY, "0a04" ANY_A "8840" "01" "1202" "6869", PX_E_NONCANONICAL);
	/* Extension options in order. */
	accept(BODY, "0a04" ANY_A "fa3f04" ANY_A "fa7f04" ANY_A);
	refuse(BODY, "0a04" ANY_A "fa7f04" ANY_A "fa3f04" ANY_A, PX_E_NONCANONICAL);
	/* Any without a type URL, or with a non-printable one. */
	refuse(BODY, "0a00", PX_E_MALFORMED);
	refuse(BODY, "0a03" "120100", PX_E_MALFORMED);
	refuse(BODY, "0a04" "0a022f0a", PX_E_MALFORMED);
	/* Lengths past the end. */
	refuse(RAW, "0a05" "0101", PX_E_TRUNCATED);
	refuse(BODY, "0a05" ANY_A, PX_E_TRUNCATED);
	refuse(RAW, "0a", PX_E_TRUNCATED);
	refuse(RAW, "0a80", PX_E_TRUNCATED);
}

static void strings_coins_keys_modes(void **state)
{
	(void)state;
	/* UTF-8: invalid byte, overlong NUL, surrogate, past U+10FFFF. */
	refuse(BODY, "0a04" ANY_A "1201ff", PX_E_MALFORMED);
	refuse(BODY, "0a04" ANY_A "1202c080", PX_E_MALFORMED);
	refuse(BODY, "0a04" ANY_A "1203eda080", PX_E_MALFORMED);
	refuse(BODY, "0a04" ANY_A "1204f4908080", PX_E_MALFORMED);
	refuse(BODY, "0a04" ANY_A "1202e282", PX_E_MALFORMED);
	accept(BODY, "0a04" ANY_A "1204f09f8c89");
	refuse(DOC, "1a02c3", PX_E_TRUNCATED);
	refuse(DOC, "1a01c3", PX_E_MALFORMED);

	/* Coins: Fee{amount: [Coin]} is "12 LL 0a LL 0a LL denom 12 LL amount". */
	accept(AUTH, "120a" "0a08" "0a03616263" "120130");		/* abc 0 */
	refuse(AUTH, "1209" "0a07" "0a03616263" "1200", PX_E_MALFORMED);	/* "" amount */
	refuse(AUTH, "1207" "0a05" "0a03616263", PX_E_MALFORMED);	/* no amount */
	refuse(AUTH, "1205" "0a03" "120131", PX_E_MALFORMED);	/* no denom */
	refuse(AUTH, "120b" "0a09" "0a03616263" "12023031", PX_E_MALFORMED);	/* "01" */
	refuse(AUTH, "120b" "0a09" "0a03616263" "12022d31", PX_E_MALFORMED);	/* "-1" */
	refuse(AUTH, "120b" "0a09" "0a03616263" "12022b31", PX_E_MALFORMED);	/* "+1" */
	refuse(AUTH, "1209" "0a07" "0a026162" "120131", PX_E_MALFORMED);	/* denom "ab" */
	refuse(AUTH, "120a" "0a08" "0a03316263" "120131", PX_E_MALFORMED);	/* denom "1bc" */
	refuse(AUTH, "120a" "0a08" "0a03612063" "120131", PX_E_MALFORMED);	/* denom "a c" */
	refuse(AUTH, "120a" "0a08" "120131" "0a03616263", PX_E_NONCANONICAL);	/* amount first */

	/* Public keys: secp256k1 with 32 bytes; and an unknown key type is
	 * kept as an opaque Any. */
	{
		char hex[512];
		const char *url = "2f636f736d6f732e63727970746f2e736563703235366b312e5075624b6579";
		char key32[65], key33[67];

		memset(key32, 'a', 64);
		key32[64] = '\0';
		memset(key33, 'a', 66);
		key33[66] = '\0';
		/* SignerInfo{public_key: Any{url, PubKey{key}}} */
		snprintf(hex, sizeof(hex), "0a47" "0a45" "0a1f%s" "1222" "0a20%s", url, key32);
		refuse(AUTH, hex, PX_E_MALFORMED);
		snprintf(hex, sizeof(hex), "0a46" "0a44" "0a1f%s" "1223" "0a21%s" "", url, key33);
		/* 0x44 is one short of the Any's real length: truncated. */
		refuse(AUTH, hex, PX_E_TRUNCATED);
		snprintf(hex, sizeof(hex), "0a48" "0a46" "0a1f%s" "1223" "0a21%s", url, key33);
		accept(AUTH, hex);
		/* An unknown field inside PubKey. */
		snprintf(hex, sizeof(hex), "0a4a" "0a48" "0a1f%s" "1225" "0a21%s" "1001", url, key33);
		refuse(AUTH, hex, PX_E_MALFORMED);
		/* ed25519: opaque. */
		accept(AUTH, "0a0a" "0a08" "0a022f65" "12020a00");
	}

	/* Mode info: multisig unsupported; two oneof members refused; an
	 * enum past int32 refused; empty single and empty mode info kept. */
	refuse(AUTH, "0a04" "1202" "1200", PX_E_UNSUPPORTED);
	refuse(AUTH, "0a06" "1204" "0a00" "0a00", PX_E_NONCANONICAL);
	refuse(AUTH, "0a0f" "120d" "0a0b" "08ffffffffffffffffff01", PX_E_MALFORMED);
	accept(AUTH, "0a04" "1202" "0a00");
	accept(AUTH, "0a02" "1200");
	accept(AUTH, "0a06" "1204" "0a02" "087f");
	/* Tip: decoded, so check_basic can refuse it. */
	accept(AUTH, "1a0a" "0a08" "0a03616263" "120131");
}

static void caps(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	static struct cosmos_tx t;
	struct px_err err = { 0 };
	size_t i;

	(void)state;
	/* 128 messages fit, 129 do not. */
	for (i = 0; i < COSMOS_TX_MAX_MSGS; i++)
		put(&b, "0a04" ANY_A);
	assert_true(cosmos_tx_body_decode(&err, &t.body, b.data, b.len));
	assert_int_equal(t.body.n_messages, COSMOS_TX_MAX_MSGS);
	put(&b, "0a04" ANY_A);
	assert_false(cosmos_tx_body_decode(&err, &t.body, b.data, b.len));
	assert_int_equal(err.code, PX_E_TOO_LARGE);

	/* Too many signatures. */
	px_buf_reset(&b);
	for (i = 0; i <= COSMOS_TX_MAX_SIGNERS; i++)
		put(&b, "1a00");
	px_err_clear(&err);
	assert_false(cosmos_tx_raw_decode(&err, &t.raw, b.data, b.len));
	assert_int_equal(err.code, PX_E_TOO_LARGE);

	/* A signature over the byte cap. */
	px_buf_reset(&b);
	put(&b, "1a8101");
	for (i = 0; i < 129; i++)
		px_buf_push(&b, 1);
	px_err_clear(&err);
	assert_false(cosmos_tx_raw_decode(&err, &t.raw, b.data, b.len));
	assert_int_equal(err.code, PX_E_TOO_LARGE);

	/* A memo over the cap. */
	px_buf_reset(&b);
	put(&b, "0a04" ANY_A "128104");
	for (i = 0; i < 513; i++)
		px_buf_push(&b, 'm');
	px_err_clear(&err);
	assert_false(cosmos_tx_body_decode(&err, &t.body, b.data, b.len));
	assert_int_equal(err.code, PX_E_TOO_LARGE);

	/* Too many fee coins. */
	px_buf_reset(&b);
	put(&b, "12aa01");	/* 17 coins of 10 bytes */
	for (i = 0; i <= COSMOS_TX_MAX_COINS; i++)
		put(&b, "0a08" "0a03616263" "120131");
	px_err_clear(&err);
	assert_false(cosmos_auth_info_decode(&err, &t.auth_info, b.data, b.len));
	assert_int_equal(err.code, PX_E_TOO_LARGE);

	/* The whole-input cap. */
	px_err_clear(&err);
	assert_false(cosmos_tx_raw_decode(&err, &t.raw, b.data, COSMOS_TX_MAX_BYTES + 1));
	assert_int_equal(err.code, PX_E_TOO_LARGE);
	px_buf_free(&b);
}

static void sign_refuses_bad_params(void **state)
{
	struct fixture *f = *state;
	struct px_buf raw = PX_BUF_INIT, doc = PX_BUF_INIT;
	struct cosmos_coin bad = { cosmos_str("stake"), cosmos_str("1.5") };
	struct cosmos_any bad_msg = { cosmos_str(""), { NULL, 0 } };
	struct px_err err = { 0 };
	char long_memo[600];

	px_buf_append(&raw, "keep", 4);
	f->p.n_messages = 0;
	assert_false(cosmos_tx_sign_direct(&err, &raw, &doc, &f->key, &f->p));
	assert_int_equal(err.code, PX_E_USAGE);
	f->p.n_messages = 1;
	f->p.chain_id = cosmos_str("");
	assert_false(cosmos_tx_sign_direct(NULL, &raw, &doc, &f->key, &f->p));
	f->p.chain_id = cosmos_str("a-chain-id-that-is-longer-than-fifty-bytes-in-total-x");
	assert_false(cosmos_tx_sign_direct(NULL, &raw, &doc, &f->key, &f->p));
	f->p.chain_id = cosmos_str(CHAIN);
	f->p.fee = &bad;
	assert_false(cosmos_tx_sign_direct(NULL, &raw, &doc, &f->key, &f->p));
	f->p.fee = &f->fee;
	f->p.messages = &bad_msg;
	assert_false(cosmos_tx_sign_direct(NULL, &raw, &doc, &f->key, &f->p));
	f->p.messages = &f->msg;
	memset(long_memo, 'm', sizeof(long_memo) - 1);
	long_memo[sizeof(long_memo) - 1] = '\0';
	f->p.memo = cosmos_str(long_memo);
	assert_false(cosmos_tx_sign_direct(NULL, &raw, &doc, &f->key, &f->p));
	f->p.memo = cosmos_str("\xff");
	assert_false(cosmos_tx_sign_direct(NULL, &raw, &doc, &f->key, &f->p));
	/* Outputs untouched. */
	assert_int_equal(raw.len, 4);
	assert_memory_equal(raw.data, "keep", 4);
	assert_int_equal(doc.len, 0);

	/* The sign bytes output is optional. */
	f->p.memo = cosmos_str("");
	assert_true(cosmos_tx_sign_direct(NULL, &raw, NULL, &f->key, &f->p));
	assert_true(raw.len > 4);
	px_buf_free(&raw);
	px_buf_free(&doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(known_encoding, setup, teardown),
		cmocka_unit_test_setup_teardown(decoded_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(round_trips, setup, teardown),
		cmocka_unit_test_setup_teardown(verify_ok_and_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(check_basic_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(truncation, setup, teardown),
		cmocka_unit_test(wire_types_and_canonical_form),
		cmocka_unit_test(strings_coins_keys_modes),
		cmocka_unit_test(caps),
		cmocka_unit_test_setup_teardown(sign_refuses_bad_params, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
