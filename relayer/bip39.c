/* BIP-39 phrases (see bip39.h): used by `pontifex keys add --mnemonic-file`
 * to turn an operator's phrase into the seed BIP-32 derives the relayer's
 * account key from. */
#include "relayer/bip39.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "common/hash.h"

#define MAX_WORDS 24
#define PBKDF2_ROUNDS 2048
#define SALT_PREFIX "mnemonic"

int rly_bip39_word_index(const char *word, size_t len)
{
	int lo = 0, hi = RLY_BIP39_WORDS - 1;

	if (!word || len == 0 || len > RLY_BIP39_WORD_MAX)
		return -1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		const char *w = rly_bip39_english[mid];
		size_t wl = strlen(w);
		int c = memcmp(word, w, len < wl ? len : wl);

		if (c == 0)
			c = len < wl ? -1 : len > wl ? 1 : 0;
		if (c == 0)
			return mid;
		if (c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return -1;
}

static bool is_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Splits the phrase into word indices and writes the words joined by one
 * space (the PBKDF2 password) to joined, which holds
 * RLY_BIP39_PHRASE_MAX + 1 bytes. */
static bool split_phrase(struct px_err *err, uint16_t idx[MAX_WORDS], size_t *n_words,
			 char *joined, size_t *joined_len, const char *phrase, size_t len)
{
	size_t i = 0, n = 0, out = 0;

	if (!phrase)
		return px_err_set(err, PX_E_USAGE, "mnemonic: NULL phrase");
	if (len > RLY_BIP39_PHRASE_MAX)
		return px_err_set(err, PX_E_TOO_LARGE, "mnemonic: longer than %d bytes",
				  RLY_BIP39_PHRASE_MAX);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)phrase[i];

		if (!is_sep((char)c) && (c < 0x20 || c > 0x7e))
			return px_err_set(err, PX_E_ENCODING,
					  "mnemonic: byte %zu is not printable ASCII (BIP-39 "
					  "English words are ASCII; no other list is supported)",
					  i + 1);
	}
	i = 0;
	for (;;) {
		size_t start;
		int w;

		while (i < len && is_sep(phrase[i]))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && !is_sep(phrase[i]))
			i++;
		n++;
		if (n > MAX_WORDS)
			continue;
		w = rly_bip39_word_index(phrase + start, i - start);
		if (w < 0)
			return px_err_set(err, PX_E_MALFORMED,
					  "mnemonic: word %zu is not in the BIP-39 English list", n);
		idx[n - 1] = (uint16_t)w;
		if (out)
			joined[out++] = ' ';
		memcpy(joined + out, phrase + start, i - start);
		out += i - start;
	}
	if (n != 12 && n != 15 && n != 18 && n != 21 && n != 24)
		return px_err_set(err, PX_E_MALFORMED,
				  "mnemonic: %zu words; BIP-39 phrases have 12, 15, 18, 21 or 24", n);
	joined[out] = '\0';
	*n_words = n;
	*joined_len = out;
	return true;
}

/* Entropy and checksum from word indices: 11 bits per word, the last
 * n/3 bits are the first bits of SHA-256(entropy). */
static bool words_to_entropy(struct px_err *err, uint8_t *entropy, size_t *entropy_len,
			     const uint16_t *idx, size_t n)
{
	uint8_t bits[33] = { 0 }, h[PX_SHA256_LEN];
	size_t ent_bits = n * 11 * 32 / 33, cs_bits = ent_bits / 32, ent = ent_bits / 8, i, b;
	unsigned got, want;
	bool ok;

	for (i = 0; i < n; i++)
		for (b = 0; b < 11; b++)
			if (idx[i] & (1u << (10 - b)))
				bits[(i * 11 + b) / 8] |= (uint8_t)(0x80u >> ((i * 11 + b) % 8));
	px_sha256(h, bits, ent);
	got = bits[ent] >> (8 - cs_bits);
	want = h[0] >> (8 - cs_bits);
	ok = got == want;
	if (ok) {
		memcpy(entropy, bits, ent);
		*entropy_len = ent;
	}
	OPENSSL_cleanse(bits, sizeof(bits));
	OPENSSL_cleanse(h, sizeof(h));
	if (!ok)
		return px_err_set(err, PX_E_MALFORMED,
				  "mnemonic: checksum does not match (a word is wrong or out of order)");
	return true;
}

static bool check_into(struct px_err *err, uint8_t *entropy, size_t *entropy_len, char *joined,
		       size_t *joined_len, const char *phrase, size_t len)
{
	uint16_t idx[MAX_WORDS];
	size_t n = 0;
	bool ok;

	ok = split_phrase(err, idx, &n, joined, joined_len, phrase, len) &&
	     words_to_entropy(err, entropy, entropy_len, idx, n);
	OPENSSL_cleanse(idx, sizeof(idx));
	return ok;
}

bool rly_bip39_check(struct px_err *err, uint8_t *entropy, size_t *entropy_len,
		     const char *phrase, size_t len)
{
	uint8_t ent[RLY_BIP39_ENTROPY_MAX];
	char joined[RLY_BIP39_PHRASE_MAX + 1];
	size_t ent_len = 0, joined_len = 0;
	bool ok;

	if (entropy)
		memset(entropy, 0, RLY_BIP39_ENTROPY_MAX);
	if (entropy_len)
		*entropy_len = 0;
	ok = check_into(err, ent, &ent_len, joined, &joined_len, phrase, len);
	if (ok && entropy)
		memcpy(entropy, ent, ent_len);
	if (ok && entropy_len)
		*entropy_len = ent_len;
	OPENSSL_cleanse(ent, sizeof(ent));
	OPENSSL_cleanse(joined, sizeof(joined));
	return ok;
}

bool rly_bip39_from_entropy(struct px_err *err, char *out, size_t out_cap, const uint8_t *entropy,
			    size_t len)
{
	uint8_t bits[33] = { 0 }, h[PX_SHA256_LEN];
	size_t n, i, b, pos = 0;
	bool ok = false;

	if (!out || out_cap == 0)
		return px_err_set(err, PX_E_USAGE, "mnemonic: no output buffer");
	out[0] = '\0';
	if (!entropy || len < 16 || len > 32 || len % 4 != 0)
		return px_err_set(err, PX_E_USAGE, "mnemonic: entropy must be 16, 20, 24, 28 or 32 bytes");
	memcpy(bits, entropy, len);
	px_sha256(h, entropy, len);
	bits[len] = h[0];
	n = (len * 8 + len / 4) / 11;
	for (i = 0; i < n; i++) {
		unsigned v = 0;
		size_t wl;

		for (b = 0; b < 11; b++)
			v = (v << 1) | ((bits[(i * 11 + b) / 8] >> (7 - (i * 11 + b) % 8)) & 1u);
		wl = strlen(rly_bip39_english[v]);
		if (pos + (i ? 1 : 0) + wl + 1 > out_cap) {
			px_err_set(err, PX_E_USAGE, "mnemonic: output buffer too small");
			goto out;
		}
		if (i)
			out[pos++] = ' ';
		memcpy(out + pos, rly_bip39_english[v], wl);
		pos += wl;
	}
	out[pos] = '\0';
	ok = true;
out:
	if (!ok)
		OPENSSL_cleanse(out, out_cap);
	OPENSSL_cleanse(bits, sizeof(bits));
	OPENSSL_cleanse(h, sizeof(h));
	return ok;
}

bool rly_bip39_seed(struct px_err *err, uint8_t seed[RLY_BIP39_SEED_LEN], const char *phrase,
		    size_t len, const char *passphrase)
{
	uint8_t ent[RLY_BIP39_ENTROPY_MAX];
	char joined[RLY_BIP39_PHRASE_MAX + 1];
	char salt[sizeof(SALT_PREFIX) - 1 + RLY_BIP39_PASSPHRASE_MAX];
	size_t ent_len = 0, joined_len = 0, pass_len = passphrase ? strlen(passphrase) : 0, i;
	bool ok = false;

	if (!seed)
		return px_err_set(err, PX_E_USAGE, "mnemonic: NULL seed output");
	memset(seed, 0, RLY_BIP39_SEED_LEN);
	if (pass_len > RLY_BIP39_PASSPHRASE_MAX)
		return px_err_set(err, PX_E_TOO_LARGE, "mnemonic: passphrase longer than %d bytes",
				  RLY_BIP39_PASSPHRASE_MAX);
	for (i = 0; i < pass_len; i++)
		if ((unsigned char)passphrase[i] < 0x20 || (unsigned char)passphrase[i] > 0x7e)
			return px_err_set(err, PX_E_ENCODING,
					  "mnemonic: passphrase byte %zu is not printable ASCII", i + 1);
	if (!check_into(err, ent, &ent_len, joined, &joined_len, phrase, len))
		goto out;
	memcpy(salt, SALT_PREFIX, sizeof(SALT_PREFIX) - 1);
	if (pass_len)
		memcpy(salt + sizeof(SALT_PREFIX) - 1, passphrase, pass_len);
	if (PKCS5_PBKDF2_HMAC(joined, (int)joined_len, (const unsigned char *)salt,
			      (int)(sizeof(SALT_PREFIX) - 1 + pass_len), PBKDF2_ROUNDS, EVP_sha512(),
			      RLY_BIP39_SEED_LEN, seed) != 1) {
		OPENSSL_cleanse(seed, RLY_BIP39_SEED_LEN);
		px_err_set(err, PX_E_INTERNAL, "mnemonic: PBKDF2-HMAC-SHA512 failed");
		goto out;
	}
	ok = true;
out:
	OPENSSL_cleanse(ent, sizeof(ent));
	OPENSSL_cleanse(joined, sizeof(joined));
	OPENSSL_cleanse(salt, sizeof(salt));
	return ok;
}
