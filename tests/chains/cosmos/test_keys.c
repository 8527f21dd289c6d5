/* Unit tests for chains/cosmos/keys.c: public key and address known
 * answers (Tendermint's and cosmjs's test data), RFC 6979 signatures
 * against published vectors, low-S output, and the failure paths: bad
 * private keys, bad hex, high-S, wrong lengths, wrong message, wrong key. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "chains/cosmos/bech32.h"
#include "chains/cosmos/keys.h"
#include "common/buf.h"
#include "common/encoding.h"

static void unhex(uint8_t *out, size_t n, const char *hex)
{
	if (!px_hex_decode_fixed(NULL, out, n, hex, strlen(hex)))
		fail_msg("bad test hex %s", hex);
}

/* The order of the group, big-endian. */
static const char order_hex[] =
	"fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

/* s' = n - s over 32-byte big-endian numbers. */
static void negate_s(uint8_t sig[64])
{
	uint8_t n[32];
	int borrow = 0;

	unhex(n, 32, order_hex);
	for (int i = 31; i >= 0; i--) {
		int d = n[i] - sig[32 + i] - borrow;

		borrow = d < 0;
		sig[32 + i] = (uint8_t)(d + (borrow ? 256 : 0));
	}
}

static void pubkey_and_address_known_answer(void **state)
{
	/* Tendermint's secp256k1 test key; the address is the hash160 inside
	 * its Bitcoin form 1CKZ9Nx4zgds8tU7nJHotKSDr4a9bYJCa3. */
	struct cosmos_key key;
	uint8_t pub[33], addr[20], want_addr[20];
	struct px_err err = { 0 };

	(void)state;
	assert_true(cosmos_key_from_hex(
		&err, &key, "a96e62ed3955e65be32703f12d87b6b5cf26039ecfa948dc5107a495418e5330", 64));
	unhex(pub, 33, "02950e1cdfcb133d6024109fd489f734eeb4502418e538c28481f22bce276f248c");
	assert_memory_equal(key.pub, pub, 33);
	cosmos_pubkey_address(addr, key.pub);
	unhex(want_addr, 20, "7c2bb42a8be69791ec763e51f5a49bcd41e82237");
	assert_memory_equal(addr, want_addr, 20);
	/* Upper-case hex is the same key. */
	{
		struct cosmos_key k2;

		assert_true(cosmos_key_from_hex(
			&err, &k2,
			"A96E62ED3955E65BE32703F12D87B6B5CF26039ECFA948DC5107A495418E5330", 64));
		assert_memory_equal(&k2, &key, sizeof(key));
		cosmos_key_wipe(&k2);
	}
	cosmos_key_wipe(&key);
	{
		static const uint8_t zero[sizeof(key)];

		assert_memory_equal(&key, zero, sizeof(key));
	}
}

static void cosmjs_address_known_answer(void **state)
{
	struct px_buf pub = PX_BUF_INIT;
	uint8_t addr[20];
	char s[COSMOS_BECH32_MAX_LEN + 1];
	const char *b64 = "AtQaCqFnshaZQp6rIkvAPyzThvCvXSDO+9AzbxVErqJP";

	(void)state;
	assert_true(px_base64_decode(NULL, &pub, b64, strlen(b64), PX_B64_STD));
	assert_int_equal(pub.len, 33);
	assert_true(cosmos_pubkey_valid(pub.data, pub.len));
	cosmos_pubkey_address(addr, pub.data);
	assert_true(cosmos_address_encode(NULL, s, sizeof(s), "cosmos", addr, 20));
	assert_string_equal(s, "cosmos1h806c7khnvmjlywdrkdgk2vrayy2mmvf9rxk2r");
	px_buf_free(&pub);
}

static void rfc6979_vectors(void **state)
{
	/* Private key 1, SHA-256 of the message, RFC 6979 nonces, low S:
	 * the vectors published with python-ecdsa and trezor-crypto. */
	static const struct {
		const char *msg;
		const char *sig;
	} v[] = {
		{ "Satoshi Nakamoto",
		  "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8"
		  "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5" },
		{ "All those moments will be lost in time, like tears in rain. Time to die...",
		  "8600dbd41e348fe5c9465ab92d23e3db8b98b873beecd930736488696438cb6b"
		  "547fe64427496db33bf66019dacbf0039c04199abb0122918601db38a72cfc21" },
	};
	uint8_t priv[32] = { 0 };
	struct cosmos_key key;
	uint8_t sig[64], want[64], again[64];
	size_t i;

	(void)state;
	priv[31] = 1;
	assert_true(cosmos_key_from_bytes(NULL, &key, priv));
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		const uint8_t *m = (const uint8_t *)v[i].msg;
		size_t mlen = strlen(v[i].msg);

		assert_true(cosmos_key_sign(NULL, sig, &key, m, mlen));
		unhex(want, 64, v[i].sig);
		assert_memory_equal(sig, want, 64);
		/* Deterministic. */
		assert_true(cosmos_key_sign(NULL, again, &key, m, mlen));
		assert_memory_equal(sig, again, 64);
		assert_true(cosmos_signature_verify(NULL, key.pub, 33, m, mlen, sig, 64));
	}
	cosmos_key_wipe(&key);
}

static void signatures_are_low_s(void **state)
{
	uint8_t priv[32], sig[64], half[32];
	struct cosmos_key key;
	uint8_t msg[8];

	(void)state;
	/* (n-1)/2 */
	unhex(half, 32, "7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");
	memset(priv, 0x11, sizeof(priv));
	assert_true(cosmos_key_from_bytes(NULL, &key, priv));
	for (int i = 0; i < 200; i++) {
		memcpy(msg, &i, sizeof(i));
		assert_true(cosmos_key_sign(NULL, sig, &key, msg, sizeof(msg)));
		assert_true(memcmp(sig + 32, half, 32) <= 0);
	}
	cosmos_key_wipe(&key);
}

static void verify_failures(void **state)
{
	uint8_t priv[32] = { 0 }, sig[64], bad[64];
	struct cosmos_key key, other;
	const uint8_t *m = (const uint8_t *)"Satoshi Nakamoto";
	struct px_err err = { 0 };

	(void)state;
	priv[31] = 1;
	assert_true(cosmos_key_from_bytes(NULL, &key, priv));
	priv[31] = 2;
	assert_true(cosmos_key_from_bytes(NULL, &other, priv));
	assert_true(cosmos_key_sign(NULL, sig, &key, m, 16));

	/* High S: the same signature with s replaced by n - s is valid
	 * ECDSA, and refused. */
	memcpy(bad, sig, 64);
	negate_s(bad);
	assert_false(cosmos_signature_verify(&err, key.pub, 33, m, 16, bad, 64));
	assert_int_equal(err.code, PX_E_BAD_SIGNATURE);
	assert_non_null(strstr(err.msg, "high-S"));

	/* Wrong message, wrong key, flipped bits, wrong lengths. */
	px_err_clear(&err);
	assert_false(cosmos_signature_verify(&err, key.pub, 33, m, 15, sig, 64));
	assert_int_equal(err.code, PX_E_BAD_SIGNATURE);
	assert_false(cosmos_signature_verify(NULL, other.pub, 33, m, 16, sig, 64));
	for (size_t i = 0; i < 64; i++) {
		memcpy(bad, sig, 64);
		bad[i] ^= 0x01;
		assert_false(cosmos_signature_verify(NULL, key.pub, 33, m, 16, bad, 64));
	}
	px_err_clear(&err);
	assert_false(cosmos_signature_verify(&err, key.pub, 33, m, 16, sig, 63));
	assert_int_equal(err.code, PX_E_BAD_SIGNATURE);
	/* r = n is out of range. */
	memcpy(bad, sig, 64);
	unhex(bad, 32, order_hex);
	assert_false(cosmos_signature_verify(NULL, key.pub, 33, m, 16, bad, 64));
	/* r = 0, s = 0. */
	memset(bad, 0, 64);
	assert_false(cosmos_signature_verify(NULL, key.pub, 33, m, 16, bad, 64));

	/* Malformed keys are told apart from bad signatures. */
	{
		uint8_t pk[65];

		memcpy(pk, key.pub, 33);
		px_err_clear(&err);
		assert_false(cosmos_signature_verify(&err, pk, 32, m, 16, sig, 64));
		assert_int_equal(err.code, PX_E_MALFORMED);
		pk[0] = 0x04;
		px_err_clear(&err);
		assert_false(cosmos_signature_verify(&err, pk, 33, m, 16, sig, 64));
		assert_int_equal(err.code, PX_E_MALFORMED);
		/* x = 5 is not on the curve (y^2 = 132 has no root mod p). */
		memset(pk, 0, 33);
		pk[0] = 0x02;
		pk[32] = 5;
		assert_false(cosmos_pubkey_valid(pk, 33));
		assert_false(cosmos_signature_verify(NULL, pk, 33, m, 16, sig, 64));
	}
	cosmos_key_wipe(&key);
	cosmos_key_wipe(&other);
}

static void bad_private_keys(void **state)
{
	struct cosmos_key key;
	struct px_err err = { 0 };
	uint8_t priv[32] = { 0 };
	static const uint8_t zero[sizeof(key)];

	(void)state;
	memset(&key, 0xaa, sizeof(key));
	assert_false(cosmos_key_from_bytes(&err, &key, priv));
	assert_int_equal(err.code, PX_E_MALFORMED);
	assert_memory_equal(&key, zero, sizeof(key));

	/* n itself and n + 1 are out of range; n - 1 is the largest key. */
	unhex(priv, 32, order_hex);
	assert_false(cosmos_key_from_bytes(NULL, &key, priv));
	priv[31]++;
	assert_false(cosmos_key_from_bytes(NULL, &key, priv));
	priv[31] -= 2;
	assert_true(cosmos_key_from_bytes(NULL, &key, priv));
	cosmos_key_wipe(&key);

	/* Hex: wrong length, "0x", bad characters; the message never quotes
	 * the input. */
	px_err_clear(&err);
	assert_false(cosmos_key_from_hex(
		&err, &key, "a96e62ed3955e65be32703f12d87b6b5cf26039ecfa948dc5107a495418e533", 63));
	assert_int_equal(err.code, PX_E_ENCODING);
	assert_null(strstr(err.msg, "a96e"));
	assert_false(cosmos_key_from_hex(
		NULL, &key, "0xa96e62ed3955e65be32703f12d87b6b5cf26039ecfa948dc5107a495418e5330", 66));
	px_err_clear(&err);
	assert_false(cosmos_key_from_hex(
		&err, &key, "g96e62ed3955e65be32703f12d87b6b5cf26039ecfa948dc5107a495418e5330", 64));
	assert_null(strstr(err.msg, "'g'"));
	assert_null(strstr(err.msg, "96e6"));
	assert_memory_equal(&key, zero, sizeof(key));
	assert_false(cosmos_key_from_hex(
		NULL, &key, "0000000000000000000000000000000000000000000000000000000000000000", 64));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pubkey_and_address_known_answer),
		cmocka_unit_test(cosmjs_address_known_answer),
		cmocka_unit_test(rfc6979_vectors),
		cmocka_unit_test(signatures_are_low_s),
		cmocka_unit_test(verify_failures),
		cmocka_unit_test(bad_private_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
