/* Unit tests for relayer/bip39.c: the word list is the official one (its
 * SHA-256), the 24 English Trezor vectors (entropy <-> phrase, seed with
 * passphrase "TREZOR"), and every refusal: bad checksum, unknown word,
 * wrong word count, non-ASCII, oversized input, with messages that never
 * quote a word. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "common/encoding.h"
#include "common/hash.h"
#include "relayer/bip39.h"

static const char about[] = "abandon abandon abandon abandon abandon abandon abandon abandon "
			    "abandon abandon abandon about";

static void test_wordlist_is_official(void **state)
{
	static const char want[] = "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda";
	char text[2048 * 9 + 1], hex[65];
	uint8_t h[32];
	size_t len = 0, i;

	(void)state;
	for (i = 0; i < RLY_BIP39_WORDS; i++) {
		size_t wl = strlen(rly_bip39_english[i]);

		memcpy(text + len, rly_bip39_english[i], wl);
		len += wl;
		text[len++] = '\n';
		if (i)
			assert_true(strcmp(rly_bip39_english[i - 1], rly_bip39_english[i]) < 0);
		assert_int_equal(rly_bip39_word_index(rly_bip39_english[i], wl), (int)i);
	}
	px_sha256(h, text, len);
	px_hex_encode(hex, sizeof(hex), h, sizeof(h), false);
	assert_string_equal(hex, want);
	assert_int_equal(rly_bip39_word_index("zoo", 3), 2047);
	assert_int_equal(rly_bip39_word_index("zooo", 4), -1);
	assert_int_equal(rly_bip39_word_index("", 0), -1);
}

static void test_trezor_vectors(void **state)
{
	json_error_t jerr;
	json_t *root = json_load_file(TEST_DATA_DIR "/bip39_trezor_english.json", 0, &jerr), *list;
	size_t i, count = 0;

	(void)state;
	if (!root)
		fail_msg("vectors: %s", jerr.text);
	assert_string_equal(json_string_value(json_object_get(root, "passphrase")), "TREZOR");
	list = json_object_get(root, "english");
	assert_true(json_is_array(list));
	for (i = 0; i < json_array_size(list); i++) {
		json_t *v = json_array_get(list, i);
		const char *ent_hex = json_string_value(json_array_get(v, 0));
		const char *phrase = json_string_value(json_array_get(v, 1));
		const char *seed_hex = json_string_value(json_array_get(v, 2));
		uint8_t ent[32], got_ent[RLY_BIP39_ENTROPY_MAX], seed[64], want_seed[64];
		char words[24 * 9 + 1];
		size_t ent_len = strlen(ent_hex) / 2, got_len = 0;
		struct px_err err = { 0 };

		assert_true(px_hex_decode_fixed(NULL, ent, ent_len, ent_hex, strlen(ent_hex)));
		assert_true(px_hex_decode_fixed(NULL, want_seed, 64, seed_hex, strlen(seed_hex)));
		if (!rly_bip39_from_entropy(&err, words, sizeof(words), ent, ent_len))
			fail_msg("vector %zu: %s", i, err.msg);
		assert_string_equal(words, phrase);
		if (!rly_bip39_check(&err, got_ent, &got_len, phrase, strlen(phrase)))
			fail_msg("vector %zu: %s", i, err.msg);
		assert_int_equal(got_len, ent_len);
		assert_memory_equal(got_ent, ent, ent_len);
		if (!rly_bip39_seed(&err, seed, phrase, strlen(phrase), "TREZOR"))
			fail_msg("vector %zu: %s", i, err.msg);
		assert_memory_equal(seed, want_seed, 64);
		count++;
	}
	assert_int_equal(count, 24);
	printf("bip39: %zu Trezor English vectors passed\n", count);
	json_decref(root);
}

static void test_seed_known(void **state)
{
	/* The first Trezor vector's seed, spelled out, and the empty
	 * passphrase's seed of the same phrase (BIP-39 reference). */
	static const char trezor[] = "c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e5349553"
				     "1f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04";
	uint8_t seed[64], want[64];
	struct px_err err = { 0 };

	(void)state;
	assert_true(px_hex_decode_fixed(NULL, want, 64, trezor, strlen(trezor)));
	assert_true(rly_bip39_seed(&err, seed, about, strlen(about), "TREZOR"));
	assert_memory_equal(seed, want, 64);
	assert_true(rly_bip39_seed(&err, seed, about, strlen(about), NULL));
	assert_int_equal(seed[0], 0x5e);
	assert_int_equal(seed[1], 0xb0);
}

static void test_whitespace_normalised(void **state)
{
	const char *messy = "  abandon\tabandon abandon  abandon\nabandon abandon abandon abandon\r\n"
			    "abandon abandon abandon about\n\n";
	uint8_t a[64], b[64];
	struct px_err err = { 0 };

	(void)state;
	assert_true(rly_bip39_seed(&err, a, about, strlen(about), ""));
	assert_true(rly_bip39_seed(&err, b, messy, strlen(messy), ""));
	assert_memory_equal(a, b, 64);
}

static void refused(const char *phrase, int code, const char *fragment)
{
	struct px_err err = { 0 };
	uint8_t ent[RLY_BIP39_ENTROPY_MAX], seed[64];
	size_t len = 99;

	memset(ent, 0xaa, sizeof(ent));
	memset(seed, 0xaa, sizeof(seed));
	if (rly_bip39_check(&err, ent, &len, phrase, strlen(phrase)))
		fail_msg("accepted: %s", phrase);
	assert_int_equal(err.code, code);
	if (!strstr(err.msg, fragment))
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, fragment);
	assert_int_equal(len, 0);
	assert_int_equal(ent[0], 0);
	px_err_clear(&err);
	assert_false(rly_bip39_seed(&err, seed, phrase, strlen(phrase), NULL));
	assert_int_equal(err.code, code);
	assert_int_equal(seed[0], 0);
	assert_int_equal(seed[63], 0);
}

static void test_refusals(void **state)
{
	char big[RLY_BIP39_PHRASE_MAX + 10];

	(void)state;
	/* Twelve "abandon": the checksum of all-zero entropy is "about"'s. */
	refused("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
		"abandon abandon", PX_E_MALFORMED, "checksum");
	/* Two words swapped keep every word valid and break the checksum. */
	refused("legal winner thank year wave sausage worth useful legal winner yellow thank",
		PX_E_MALFORMED, "checksum");
	refused("abandon abandon abandonn abandon abandon abandon abandon abandon abandon abandon "
		"abandon about", PX_E_MALFORMED, "word 3 is not in");
	refused("Abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
		"abandon about", PX_E_MALFORMED, "word 1 is not in");
	refused("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
		PX_E_MALFORMED, "11 words");
	refused("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
		"abandon abandon about", PX_E_MALFORMED, "13 words");
	refused("", PX_E_MALFORMED, "0 words");
	refused("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
		"abandon ab\xc3\xa1ut", PX_E_ENCODING, "byte 91");
	refused("abandon\x01 abandon", PX_E_ENCODING, "not printable ASCII");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	refused(big, PX_E_TOO_LARGE, "longer than");
}

static void test_messages_do_not_quote_words(void **state)
{
	struct px_err err = { 0 };
	const char *phrase = "secretword abandon abandon abandon abandon abandon abandon abandon "
			     "abandon abandon abandon about";

	(void)state;
	assert_false(rly_bip39_check(&err, NULL, NULL, phrase, strlen(phrase)));
	assert_null(strstr(err.msg, "secretword"));
}

static void test_passphrase_refusals(void **state)
{
	struct px_err err = { 0 };
	uint8_t seed[64];

	(void)state;
	assert_false(rly_bip39_seed(&err, seed, about, strlen(about), "caf\xc3\xa9"));
	assert_int_equal(err.code, PX_E_ENCODING);
}

static void test_from_entropy_refusals(void **state)
{
	struct px_err err = { 0 };
	uint8_t ent[32] = { 0 };
	char out[300];

	(void)state;
	assert_false(rly_bip39_from_entropy(&err, out, sizeof(out), ent, 15));
	assert_int_equal(err.code, PX_E_USAGE);
	px_err_clear(&err);
	assert_false(rly_bip39_from_entropy(&err, out, 20, ent, 16));
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wordlist_is_official),
		cmocka_unit_test(test_trezor_vectors),
		cmocka_unit_test(test_seed_known),
		cmocka_unit_test(test_whitespace_normalised),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_messages_do_not_quote_words),
		cmocka_unit_test(test_passphrase_refusals),
		cmocka_unit_test(test_from_entropy_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
