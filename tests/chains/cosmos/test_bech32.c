/* Unit tests for chains/cosmos/bech32.c: the BIP-173 valid and invalid
 * strings, encode/decode round trips, and Cosmos addresses against known
 * answers from cosmjs (pubkey -> cosmos1...) and Bitcoin's hash160. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "chains/cosmos/bech32.h"
#include "common/encoding.h"

/* BIP-173 "valid bech32" strings. */
static const char *const valid[] = {
	"A12UEL5L",
	"a12uel5l",
	"an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
	"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
	"11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
	"split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
	"?1ezyfcl",
};

/* BIP-173 "invalid bech32" strings, plus mixed case and a corrupted
 * checksum. */
static const char *const invalid[] = {
	"\x20" "1nwldj5",	/* HRP character out of range */
	"\x7f" "1axkwrx",	/* HRP character out of range */
	"\x80" "1eym55h",	/* HRP character out of range */
	"an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
	"pzry9x0s0muk",		/* no separator */
	"1pzry9x0s0muk",	/* empty HRP */
	"x1b4n0q5v",		/* invalid data character */
	"li1dgmt3",		/* checksum too short */
	"de1lg7wt\xff",		/* invalid character in checksum */
	"A1G7SGD8",		/* checksum over the upper-case HRP */
	"10a06t8",		/* empty HRP */
	"1qzzfhee",		/* empty HRP */
	"A12uEL5L",		/* mixed case */
	"a12UEL5L",		/* mixed case */
	"A12UEL5M",		/* bad checksum */
	"a1qqqqq",		/* checksum too short */
	"",
};

static void bip173_valid(void **state)
{
	char hrp[COSMOS_BECH32_HRP_MAX + 1];
	uint8_t words[COSMOS_BECH32_MAX_LEN];
	char again[COSMOS_BECH32_MAX_LEN + 1];
	size_t n, i, j;

	(void)state;
	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		struct px_err err = { 0 };
		char want[COSMOS_BECH32_MAX_LEN + 1];

		if (!cosmos_bech32_decode(&err, hrp, sizeof(hrp), words, sizeof(words), &n, valid[i],
					  strlen(valid[i])))
			fail_msg("%s: %s", valid[i], err.msg);
		/* Re-encoding gives the lower-case form. */
		assert_true(cosmos_bech32_encode(&err, again, sizeof(again), hrp, words, n));
		for (j = 0; valid[i][j]; j++)
			want[j] = (char)(valid[i][j] >= 'A' && valid[i][j] <= 'Z'
						 ? valid[i][j] - 'A' + 'a'
						 : valid[i][j]);
		want[j] = '\0';
		assert_string_equal(again, want);
	}
}

static void bip173_invalid(void **state)
{
	char hrp[COSMOS_BECH32_HRP_MAX + 1];
	uint8_t words[COSMOS_BECH32_MAX_LEN];
	size_t n = 99, i;

	(void)state;
	for (i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		struct px_err err = { 0 };

		if (cosmos_bech32_decode(&err, hrp, sizeof(hrp), words, sizeof(words), &n,
					 invalid[i], strlen(invalid[i])))
			fail_msg("accepted invalid string #%zu \"%s\"", i, invalid[i]);
		assert_int_equal(err.code, PX_E_ENCODING);
		assert_int_equal(n, 0);
		assert_string_equal(hrp, "");
	}
}

static void every_single_char_change_is_caught(void **state)
{
	/* bech32 detects any single substitution. */
	const char *s = "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw";
	static const char alphabet[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
	char hrp[COSMOS_BECH32_HRP_MAX + 1];
	uint8_t words[COSMOS_BECH32_MAX_LEN];
	char buf[64];
	size_t n, i, k, len = strlen(s);

	(void)state;
	for (i = 7; i < len; i++) {
		for (k = 0; alphabet[k]; k++) {
			if (alphabet[k] == s[i])
				continue;
			memcpy(buf, s, len + 1);
			buf[i] = alphabet[k];
			assert_false(cosmos_bech32_decode(NULL, hrp, sizeof(hrp), words,
							  sizeof(words), &n, buf, len));
		}
	}
}

static void encode_refuses_misuse(void **state)
{
	char out[COSMOS_BECH32_MAX_LEN + 1];
	uint8_t words[COSMOS_BECH32_MAX_LEN] = { 0 };
	uint8_t bad = 32;
	struct px_err err = { 0 };

	(void)state;
	assert_false(cosmos_bech32_encode(&err, out, sizeof(out), "Cosmos", words, 1));
	assert_int_equal(err.code, PX_E_USAGE);
	assert_string_equal(out, "");
	assert_false(cosmos_bech32_encode(NULL, out, sizeof(out), "", words, 1));
	assert_false(cosmos_bech32_encode(NULL, out, sizeof(out), "a b", words, 1));
	assert_false(cosmos_bech32_encode(NULL, out, sizeof(out), "a", &bad, 1));
	/* 1 + 1 + 83 + 6 = 91 characters. */
	assert_false(cosmos_bech32_encode(NULL, out, sizeof(out), "a", words, 83));
	assert_true(cosmos_bech32_encode(NULL, out, sizeof(out), "a", words, 82));
	assert_int_equal(strlen(out), 90);
	/* Too small an output buffer. */
	assert_false(cosmos_bech32_encode(NULL, out, 90, "a", words, 82));
}

static void decode_small_buffers(void **state)
{
	char hrp[3];
	uint8_t words[2];
	size_t n;
	struct px_err err = { 0 };

	(void)state;
	assert_false(cosmos_bech32_decode(&err, hrp, sizeof(hrp), words, sizeof(words), &n,
					  "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", 45));
	assert_int_equal(err.code, PX_E_USAGE);
}

static void address_known_answers(void **state)
{
	/* cosmjs: pubkey AtQaCqFnshaZQp6rIkvAPyzThvCvXSDO+9AzbxVErqJP has
	 * this address; the raw bytes are its RIPEMD160(SHA256(pubkey)). */
	const char *addr_str = "cosmos1h806c7khnvmjlywdrkdgk2vrayy2mmvf9rxk2r";
	uint8_t addr[COSMOS_ADDRESS_MAX];
	char out[COSMOS_BECH32_MAX_LEN + 1];
	size_t n;
	struct px_err err = { 0 };

	(void)state;
	assert_true(cosmos_address_decode(&err, addr, sizeof(addr), &n, "cosmos", addr_str,
					  strlen(addr_str)));
	assert_int_equal(n, 20);
	assert_true(cosmos_address_encode(&err, out, sizeof(out), "cosmos", addr, n));
	assert_string_equal(out, addr_str);

	/* The same bytes under another prefix. */
	assert_true(cosmos_address_encode(&err, out, sizeof(out), "osmo", addr, n));
	assert_memory_equal(out, "osmo1h806c7khnvmjlywdrkdgk2vrayy2mmvf", 37);

	/* Upper case is valid bech32. */
	assert_true(cosmos_address_decode(&err, addr, sizeof(addr), &n, "cosmos",
					  "COSMOS1H806C7KHNVMJLYWDRKDGK2VRAYY2MMVF9RXK2R", 45));
	assert_int_equal(n, 20);

	/* A 32-byte interchain-account address (cosmjs test data). */
	assert_true(cosmos_address_decode(
		&err, addr, sizeof(addr), &n, "osmo",
		"osmo1d6em9ea5y3dye6em0awqyss7ssp0a7sgjk792x8cx647cfs7a4msk0fr45",
		strlen("osmo1d6em9ea5y3dye6em0awqyss7ssp0a7sgjk792x8cx647cfs7a4msk0fr45")));
	assert_int_equal(n, 32);
}

static void address_failures(void **state)
{
	const char *addr_str = "cosmos1h806c7khnvmjlywdrkdgk2vrayy2mmvf9rxk2r";
	uint8_t addr[COSMOS_ADDRESS_MAX];
	uint8_t small[10];
	char out[COSMOS_BECH32_MAX_LEN + 1];
	uint8_t words[4] = { 0, 0, 0, 1 };	/* 20 bits: a non-zero padding bit */
	size_t n = 7;
	struct px_err err = { 0 };

	(void)state;
	/* Wrong prefix. */
	assert_false(cosmos_address_decode(&err, addr, sizeof(addr), &n, "osmo", addr_str,
					   strlen(addr_str)));
	assert_int_equal(err.code, PX_E_ENCODING);
	assert_non_null(strstr(err.msg, "prefix"));
	assert_int_equal(n, 0);
	/* A prefix that is a prefix of the real one. */
	assert_false(cosmos_address_decode(NULL, addr, sizeof(addr), &n, "cosmo", addr_str,
					   strlen(addr_str)));
	/* Bad checksum. */
	assert_false(cosmos_address_decode(NULL, addr, sizeof(addr), &n, "cosmos",
					   "cosmos1h806c7khnvmjlywdrkdgk2vrayy2mmvf9rxk2q", 45));
	/* Truncated. */
	assert_false(cosmos_address_decode(NULL, addr, sizeof(addr), &n, "cosmos", addr_str, 44));
	/* Output too small. */
	err.code = 0;
	err.msg[0] = '\0';
	assert_false(cosmos_address_decode(&err, small, sizeof(small), &n, "cosmos", addr_str,
					   strlen(addr_str)));
	assert_int_equal(err.code, PX_E_TOO_LARGE);

	/* Non-zero padding bits. */
	assert_true(cosmos_bech32_encode(NULL, out, sizeof(out), "cosmos", words, 4));
	err.code = 0;
	err.msg[0] = '\0';
	assert_false(cosmos_address_decode(&err, addr, sizeof(addr), &n, "cosmos", out,
					   strlen(out)));
	assert_non_null(strstr(err.msg, "padding"));
	/* Five leftover bits are a whole extra word: refused too. */
	{
		uint8_t w5[5] = { 1, 2, 3, 4, 5 };

		assert_true(cosmos_bech32_encode(NULL, out, sizeof(out), "cosmos", w5, 5));
		assert_false(cosmos_address_decode(NULL, addr, sizeof(addr), &n, "cosmos", out,
						   strlen(out)));
	}
	/* No data at all. */
	assert_true(cosmos_bech32_encode(NULL, out, sizeof(out), "cosmos", words, 0));
	assert_false(cosmos_address_decode(NULL, addr, sizeof(addr), &n, "cosmos", out,
					   strlen(out)));
	/* Encoding refuses empty and oversized addresses. */
	assert_false(cosmos_address_encode(NULL, out, sizeof(out), "cosmos", addr, 0));
	assert_false(cosmos_address_encode(NULL, out, sizeof(out), "cosmos", addr,
					   COSMOS_ADDRESS_MAX + 1));
}

static void address_round_trip_lengths(void **state)
{
	uint8_t in[COSMOS_ADDRESS_MAX], back[COSMOS_ADDRESS_MAX];
	char out[COSMOS_BECH32_MAX_LEN + 1];
	size_t len, n, i;

	(void)state;
	for (len = 1; len <= COSMOS_ADDRESS_MAX; len++) {
		for (i = 0; i < len; i++)
			in[i] = (uint8_t)(i * 37 + len);
		if (!cosmos_address_encode(NULL, out, sizeof(out), "a", in, len))
			fail_msg("encode of %zu bytes failed", len);
		assert_true(cosmos_address_decode(NULL, back, sizeof(back), &n, "a", out,
						  strlen(out)));
		assert_int_equal(n, len);
		assert_memory_equal(in, back, len);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bip173_valid),
		cmocka_unit_test(bip173_invalid),
		cmocka_unit_test(every_single_char_change_is_caught),
		cmocka_unit_test(encode_refuses_misuse),
		cmocka_unit_test(decode_small_buffers),
		cmocka_unit_test(address_known_answers),
		cmocka_unit_test(address_failures),
		cmocka_unit_test(address_round_trip_lengths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
