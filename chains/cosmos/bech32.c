/* BIP-173 bech32 and Cosmos addresses (see bech32.h). Written from the
 * BIP's reference description: a BCH checksum over the expanded HRP and the
 * data words, then 8-bit <-> 5-bit regrouping for the address bytes. */
#include "chains/cosmos/bech32.h"

#include <string.h>

static const char charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

static int charset_rev(unsigned char ch)
{
	const char *p;

	if (ch == '\0')
		return -1;
	p = strchr(charset, ch);
	return p ? (int)(p - charset) : -1;
}

static uint32_t polymod_step(uint32_t chk, uint8_t v)
{
	static const uint32_t gen[5] = {
		0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3,
	};
	uint32_t top = chk >> 25;

	chk = (chk & 0x1ffffff) << 5 ^ v;
	for (int i = 0; i < 5; i++) {
		if ((top >> i) & 1)
			chk ^= gen[i];
	}
	return chk;
}

/* The checksum state after the HRP expansion and the data words; hrp is
 * lower case. */
static uint32_t polymod(const char *hrp, size_t hrp_len, const uint8_t *words, size_t n)
{
	uint32_t chk = 1;
	size_t i;

	for (i = 0; i < hrp_len; i++)
		chk = polymod_step(chk, (uint8_t)((unsigned char)hrp[i] >> 5));
	chk = polymod_step(chk, 0);
	for (i = 0; i < hrp_len; i++)
		chk = polymod_step(chk, (uint8_t)((unsigned char)hrp[i] & 31));
	for (i = 0; i < n; i++)
		chk = polymod_step(chk, words[i]);
	return chk;
}

static bool hrp_char_ok(unsigned char ch)
{
	return ch >= 33 && ch <= 126;
}

bool cosmos_bech32_encode(struct px_err *err, char *out, size_t out_cap, const char *hrp,
			  const uint8_t *words, size_t n_words)
{
	size_t hrp_len, total, i, pos;
	uint32_t chk;

	if (!out || out_cap == 0)
		return px_err_set(err, PX_E_USAGE, "bech32: no output buffer");
	out[0] = '\0';
	if (!hrp || (!words && n_words > 0))
		return px_err_set(err, PX_E_USAGE, "bech32: NULL argument");
	hrp_len = strlen(hrp);
	if (hrp_len < 1 || hrp_len > COSMOS_BECH32_HRP_MAX)
		return px_err_set(err, PX_E_USAGE, "bech32: HRP of %zu characters, want 1..%d",
				  hrp_len, COSMOS_BECH32_HRP_MAX);
	for (i = 0; i < hrp_len; i++) {
		unsigned char ch = (unsigned char)hrp[i];

		if (!hrp_char_ok(ch) || (ch >= 'A' && ch <= 'Z'))
			return px_err_set(err, PX_E_USAGE,
					  "bech32: HRP character %zu out of range or upper case", i);
	}
	if (n_words > COSMOS_BECH32_MAX_LEN)
		return px_err_set(err, PX_E_USAGE, "bech32: %zu data words, too many", n_words);
	total = hrp_len + 1 + n_words + COSMOS_BECH32_CHECKSUM_LEN;
	if (total > COSMOS_BECH32_MAX_LEN)
		return px_err_set(err, PX_E_USAGE, "bech32: %zu characters, limit %d", total,
				  COSMOS_BECH32_MAX_LEN);
	if (total + 1 > out_cap)
		return px_err_set(err, PX_E_USAGE, "bech32: output buffer of %zu bytes, need %zu",
				  out_cap, total + 1);
	for (i = 0; i < n_words; i++) {
		if (words[i] > 31)
			return px_err_set(err, PX_E_USAGE, "bech32: word %zu is not 5 bits", i);
	}

	chk = polymod(hrp, hrp_len, words, n_words);
	for (i = 0; i < COSMOS_BECH32_CHECKSUM_LEN; i++)
		chk = polymod_step(chk, 0);
	chk ^= 1;

	memcpy(out, hrp, hrp_len);
	pos = hrp_len;
	out[pos++] = '1';
	for (i = 0; i < n_words; i++)
		out[pos++] = charset[words[i]];
	for (i = 0; i < COSMOS_BECH32_CHECKSUM_LEN; i++)
		out[pos++] = charset[(chk >> (5 * (5 - i))) & 31];
	out[pos] = '\0';
	return true;
}

static bool decode_fail(struct px_err *err, char *hrp, size_t hrp_cap, uint8_t *words,
			size_t words_cap, size_t *n_words)
{
	if (hrp && hrp_cap > 0)
		memset(hrp, 0, hrp_cap);
	if (words && words_cap > 0)
		memset(words, 0, words_cap);
	if (n_words)
		*n_words = 0;
	return false;
}

bool cosmos_bech32_decode(struct px_err *err, char *hrp, size_t hrp_cap, uint8_t *words,
			  size_t words_cap, size_t *n_words, const char *s, size_t len)
{
	char lower[COSMOS_BECH32_MAX_LEN];
	uint8_t data[COSMOS_BECH32_MAX_LEN];
	bool has_lower = false, has_upper = false;
	size_t sep = 0, i, hrp_len, n_data;
	bool found = false;

	if (!hrp || hrp_cap == 0 || !n_words || (!words && words_cap > 0) || (!s && len > 0)) {
		px_err_set(err, PX_E_USAGE, "bech32: NULL argument");
		return decode_fail(err, hrp, hrp_cap, words, words_cap, n_words);
	}
	if (len > COSMOS_BECH32_MAX_LEN) {
		px_err_set(err, PX_E_ENCODING, "bech32: %zu characters, limit %d", len,
			   COSMOS_BECH32_MAX_LEN);
		return decode_fail(err, hrp, hrp_cap, words, words_cap, n_words);
	}
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (!hrp_char_ok(ch)) {
			px_err_set(err, PX_E_ENCODING, "bech32: character out of range at offset %zu",
				   i);
			return decode_fail(err, hrp, hrp_cap, words, words_cap, n_words);
		}
		if (ch >= 'a' && ch <= 'z')
			has_lower = true;
		if (ch >= 'A' && ch <= 'Z') {
			has_upper = true;
			ch = (unsigned char)(ch - 'A' + 'a');
		}
		lower[i] = (char)ch;
		if (ch == '1') {
			sep = i;
			found = true;
		}
	}
	if (has_lower && has_upper) {
		px_err_set(err, PX_E_ENCODING, "bech32: mixed case");
		return decode_fail(err, hrp, hrp_cap, words, words_cap, n_words);
	}
	if (!found) {
		px_err_set(err, PX_E_ENCODING, "bech32: no separator");
		return decode_fail(err, hrp, hrp_cap, words, words_cap, n_words);
	}
	hrp_len = sep;
	if (hrp_len == 0) {
		px_err_set(err, PX_E_ENCODING, "bech32: empty HRP");
		return decode_fail(err, hrp, hrp_cap, words, words_cap, n_words);
	}
	if (len - sep - 1 < COSMOS_BECH32_CHECKSUM_LEN) {
		px_err_set(err, PX_E_ENCODING, "bech32: data part shorter than the checksum");
		return decode_fail(err, hrp, hrp_cap, words, words_cap, n_words);
	}
	n_data = len - sep - 1;
	for (i = 0; i < n_data; i++) {
		int v = charset_rev((unsigned char)lower[sep + 1 + i]);

		if (v < 0) {
			px_err_set(err, PX_E_ENCODING, "bech32: invalid data character at offset %zu",
				   sep + 1 + i);
			return decode_fail(err, hrp, hrp_cap, words, words_cap, n_words);
		}
		data[i] = (uint8_t)v;
	}
	if (polymod(lower, hrp_len, data, n_data) != 1) {
		px_err_set(err, PX_E_ENCODING, "bech32: bad checksum");
		return decode_fail(err, hrp, hrp_cap, words, words_cap, n_words);
	}
	if (hrp_len + 1 > hrp_cap) {
		px_err_set(err, PX_E_USAGE, "bech32: HRP buffer of %zu bytes, need %zu", hrp_cap,
			   hrp_len + 1);
		return decode_fail(err, hrp, hrp_cap, words, words_cap, n_words);
	}
	n_data -= COSMOS_BECH32_CHECKSUM_LEN;
	if (n_data > words_cap) {
		px_err_set(err, PX_E_TOO_LARGE, "bech32: %zu data words, room for %zu", n_data,
			   words_cap);
		return decode_fail(err, hrp, hrp_cap, words, words_cap, n_words);
	}
	memcpy(hrp, lower, hrp_len);
	hrp[hrp_len] = '\0';
	if (n_data > 0)
		memcpy(words, data, n_data);
	*n_words = n_data;
	return true;
}

/* Regroups bits: 8 -> 5 with zero padding when encoding, 5 -> 8 when
 * decoding, where BIP-173 requires fewer than 5 leftover bits, all zero. */
static bool convert_bits(uint8_t *out, size_t out_cap, size_t *out_len, const uint8_t *in,
			 size_t in_len, unsigned from, unsigned to, bool pad)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	const uint32_t maxv = (1u << to) - 1;
	size_t n = 0, i;

	for (i = 0; i < in_len; i++) {
		acc = (acc << from | in[i]) & 0xfff;
		bits += from;
		while (bits >= to) {
			bits -= to;
			if (n >= out_cap)
				return false;
			out[n++] = (uint8_t)((acc >> bits) & maxv);
		}
	}
	if (pad) {
		if (bits > 0) {
			if (n >= out_cap)
				return false;
			out[n++] = (uint8_t)((acc << (to - bits)) & maxv);
		}
	} else if (bits >= from || ((acc << (to - bits)) & maxv) != 0) {
		return false;
	}
	*out_len = n;
	return true;
}

bool cosmos_address_encode(struct px_err *err, char *out, size_t out_cap, const char *hrp,
			   const uint8_t *addr, size_t addr_len)
{
	uint8_t words[COSMOS_BECH32_MAX_LEN];
	size_t n_words = 0;

	if (out && out_cap > 0)
		out[0] = '\0';
	if (!addr || addr_len == 0 || addr_len > COSMOS_ADDRESS_MAX)
		return px_err_set(err, PX_E_USAGE, "address: %zu bytes, want 1..%d", addr_len,
				  COSMOS_ADDRESS_MAX);
	if (!convert_bits(words, sizeof(words), &n_words, addr, addr_len, 8, 5, true))
		return px_err_set(err, PX_E_INTERNAL, "address: regrouping failed");
	return cosmos_bech32_encode(err, out, out_cap, hrp, words, n_words);
}

bool cosmos_address_decode(struct px_err *err, uint8_t *out, size_t out_cap, size_t *out_len,
			   const char *expected_hrp, const char *s, size_t len)
{
	char hrp[COSMOS_BECH32_HRP_MAX + 1];
	uint8_t words[COSMOS_BECH32_MAX_LEN];
	uint8_t bytes[COSMOS_BECH32_MAX_LEN];
	size_t n_words = 0, n_bytes = 0, i, elen;

	if (out_len)
		*out_len = 0;
	if (!out || !out_len || !expected_hrp)
		return px_err_set(err, PX_E_USAGE, "address: NULL argument");
	if (!cosmos_bech32_decode(err, hrp, sizeof(hrp), words, sizeof(words), &n_words, s, len)) {
		px_err_prefix(err, "address: ");
		return false;
	}
	elen = strlen(expected_hrp);
	if (elen != strlen(hrp))
		goto wrong_hrp;
	for (i = 0; i < elen; i++) {
		unsigned char ch = (unsigned char)expected_hrp[i];

		if (ch >= 'A' && ch <= 'Z')
			ch = (unsigned char)(ch - 'A' + 'a');
		if ((char)ch != hrp[i])
			goto wrong_hrp;
	}
	if (!convert_bits(bytes, sizeof(bytes), &n_bytes, words, n_words, 5, 8, false))
		return px_err_set(err, PX_E_ENCODING, "address: bad padding in the data part");
	if (n_bytes == 0)
		return px_err_set(err, PX_E_ENCODING, "address: empty");
	if (n_bytes > out_cap)
		return px_err_set(err, PX_E_TOO_LARGE, "address: %zu bytes, room for %zu", n_bytes,
				  out_cap);
	memcpy(out, bytes, n_bytes);
	*out_len = n_bytes;
	return true;

wrong_hrp:
	return px_err_set(err, PX_E_ENCODING, "address: prefix '%s', expected '%s'", hrp,
			  expected_hrp);
}
