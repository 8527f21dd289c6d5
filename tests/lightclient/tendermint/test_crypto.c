/* Unit tests for lightclient/tendermint/crypto.c: addresses of both key
 * types against known answers, ed25519 against the RFC 8032 test vectors
 * (and each of them with one thing changed), secp256k1 with keys made
 * here: low-S accepted, its high-S twin refused, malformed keys and
 * signatures of the wrong length refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>
#include <secp256k1.h>

#include "common/encoding.h"
#include "common/hash.h"
#include "lightclient/tendermint/crypto.h"

static void unhex(uint8_t *out, size_t len, const char *hex)
{
	assert_true(px_hex_decode_fixed(NULL, out, len, hex, strlen(hex)));
}

static struct tm_pubkey ed_key(const char *hex)
{
	struct tm_pubkey pk;

	memset(&pk, 0, sizeof(pk));
	pk.type = TM_KEY_ED25519;
	pk.len = 32;
	unhex(pk.bytes, 32, hex);
	return pk;
}

static void test_addresses(void **state)
{
	struct tm_pubkey pk = ed_key("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
	uint8_t addr[20], want[20];

	/* ed25519: SHA-256(key)[:20] */
	tm_pubkey_address(addr, &pk);
	unhex(want, 20, "21fe31dfa154a261626bf854046fd2271b7bed4b");
	assert_memory_equal(addr, want, 20);

	/* secp256k1: RIPEMD-160(SHA-256(compressed key)); the generator G
	 * (private key 1) is Bitcoin's well-known 751e76e8... */
	memset(&pk, 0, sizeof(pk));
	pk.type = TM_KEY_SECP256K1;
	pk.len = 33;
	unhex(pk.bytes, 33, "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
	tm_pubkey_address(addr, &pk);
	unhex(want, 20, "751e76e8199196d454941c45d1b3a323f1433bd6");
	assert_memory_equal(addr, want, 20);
}

/* RFC 8032 section 7.1, tests 1 and 2. */
static void test_ed25519_rfc8032(void **state)
{
	struct tm_pubkey k1 = ed_key("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
	struct tm_pubkey k2 = ed_key("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
	uint8_t s1[64], s2[64], msg2 = 0x72, bad[64];

	unhex(s1, 64,
	      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
	      "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
	unhex(s2, 64,
	      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
	      "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
	assert_true(tm_signature_verify(&k1, (const uint8_t *)"", 0, s1, 64));
	assert_true(tm_signature_verify(&k2, &msg2, 1, s2, 64));

	/* another key, message, or signature bit */
	assert_false(tm_signature_verify(&k2, (const uint8_t *)"", 0, s1, 64));
	assert_false(tm_signature_verify(&k1, &msg2, 1, s1, 64));
	for (int i = 0; i < 64; i += 7) {
		memcpy(bad, s1, 64);
		bad[i] ^= 0x10;
		assert_false(tm_signature_verify(&k1, (const uint8_t *)"", 0, bad, 64));
	}
	/* S + L (non-canonical S) is refused, as Go's ed25519 does */
	{
		static const uint8_t L[32] = { 0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
					       0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
					       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10 };
		unsigned carry = 0;

		memcpy(bad, s1, 64);
		for (int i = 0; i < 32; i++) {
			unsigned v = bad[32 + i] + L[i] + carry;

			bad[32 + i] = (uint8_t)v;
			carry = v >> 8;
		}
		assert_int_equal(carry, 0);
		assert_false(tm_signature_verify(&k1, (const uint8_t *)"", 0, bad, 64));
	}
	/* wrong lengths and types */
	assert_false(tm_signature_verify(&k1, (const uint8_t *)"", 0, s1, 63));
	assert_false(tm_signature_verify(&k1, (const uint8_t *)"", 0, s1, 0));
	{
		uint8_t longer[65];

		memcpy(longer, s1, 64);
		longer[64] = 0;
		assert_false(tm_signature_verify(&k1, (const uint8_t *)"", 0, longer, 65));
	}
	k1.len = 31;
	assert_false(tm_signature_verify(&k1, (const uint8_t *)"", 0, s1, 64));
	k1.len = 32;
	k1.type = (enum tm_key_type)7;
	assert_false(tm_signature_verify(&k1, (const uint8_t *)"", 0, s1, 64));
	k1.type = TM_KEY_SECP256K1;
	assert_false(tm_signature_verify(&k1, (const uint8_t *)"", 0, s1, 64));
}

static void negate_s(uint8_t sig[64])
{
	static const uint8_t n[32] = {
		0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
		0xBA, 0xAE, 0xDC, 0xE6, 0xAF, 0x48, 0xA0, 0x3B, 0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41,
	};
	int borrow = 0;

	for (int i = 31; i >= 0; i--) {
		int d = n[i] - sig[32 + i] - borrow;

		borrow = d < 0;
		sig[32 + i] = (uint8_t)(d + (borrow ? 256 : 0));
	}
}

static void test_secp256k1(void **state)
{
	secp256k1_context *ctx = secp256k1_context_create(SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY);
	static const uint8_t msg[] = "canonical vote bytes";
	secp256k1_ecdsa_signature s;
	secp256k1_pubkey pub;
	struct tm_pubkey pk;
	uint8_t sk[32], digest[32], sig[64], bad[64];
	size_t len = 33;

	do
		assert_int_equal(RAND_bytes(sk, 32), 1);
	while (!secp256k1_ec_seckey_verify(ctx, sk));
	assert_true(secp256k1_ec_pubkey_create(ctx, &pub, sk));
	memset(&pk, 0, sizeof(pk));
	pk.type = TM_KEY_SECP256K1;
	pk.len = 33;
	assert_true(secp256k1_ec_pubkey_serialize(ctx, pk.bytes, &len, &pub, SECP256K1_EC_COMPRESSED));
	px_sha256(digest, msg, sizeof(msg) - 1);
	assert_true(secp256k1_ecdsa_sign(ctx, &s, digest, sk, NULL, NULL));
	assert_true(secp256k1_ecdsa_signature_serialize_compact(ctx, sig, &s));

	assert_true(tm_signature_verify(&pk, msg, sizeof(msg) - 1, sig, 64));
	/* the high-S twin is a valid ECDSA signature, but not for CometBFT */
	memcpy(bad, sig, 64);
	negate_s(bad);
	assert_false(tm_signature_verify(&pk, msg, sizeof(msg) - 1, bad, 64));
	/* other message, flipped r, zero r, too short */
	assert_false(tm_signature_verify(&pk, msg, sizeof(msg) - 2, sig, 64));
	memcpy(bad, sig, 64);
	bad[3] ^= 1;
	assert_false(tm_signature_verify(&pk, msg, sizeof(msg) - 1, bad, 64));
	memset(bad, 0, 32);
	memcpy(bad + 32, sig + 32, 32);
	assert_false(tm_signature_verify(&pk, msg, sizeof(msg) - 1, bad, 64));
	assert_false(tm_signature_verify(&pk, msg, sizeof(msg) - 1, sig, 32));
	/* a key that is not a point encoding */
	pk.bytes[0] = 0x05;
	assert_false(tm_signature_verify(&pk, msg, sizeof(msg) - 1, sig, 64));
	pk.bytes[0] = 0x02;
	pk.len = 32;
	assert_false(tm_signature_verify(&pk, msg, sizeof(msg) - 1, sig, 64));
	/* an ed25519 key type with secp256k1 bytes */
	pk.len = 33;
	pk.type = TM_KEY_ED25519;
	assert_false(tm_signature_verify(&pk, msg, sizeof(msg) - 1, sig, 64));
	secp256k1_context_destroy(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_ed25519_rfc8032),
		cmocka_unit_test(test_secp256k1),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	px_hash_thread_cleanup();
	return rc;
}
