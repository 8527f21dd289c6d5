/* BIP-39 mnemonics with the English word list: checking a phrase (word
 * count, every word in the list, the checksum bits), turning entropy into a
 * phrase, and the 64-byte seed PBKDF2-HMAC-SHA512(phrase, "mnemonic" +
 * passphrase, 2048 rounds) that BIP-32 derives keys from.
 *
 * Normalisation: BIP-39 asks for NFKD, which leaves ASCII unchanged and
 * every English word is ASCII, so a phrase or passphrase with a byte
 * outside printable ASCII is refused instead of normalised. Words are
 * separated by any run of spaces, tabs or line breaks; surrounding white
 * space is ignored; the seed is computed over the words joined by one
 * space, as the standard says. Words are compared exactly (lower case).
 *
 * Mnemonics and seeds are secrets: intermediate copies are wiped, and error
 * messages give a word's position, never the word. */
#ifndef PX_RELAYER_BIP39_H
#define PX_RELAYER_BIP39_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/errors.h"

#define RLY_BIP39_WORDS 2048
#define RLY_BIP39_WORD_MAX 8		/* longest English word */
#define RLY_BIP39_SEED_LEN 64
#define RLY_BIP39_ENTROPY_MAX 32	/* 24 words */
#define RLY_BIP39_PHRASE_MAX 1024	/* input cap, white space included */
#define RLY_BIP39_PASSPHRASE_MAX 256

/* The list, sorted, in bip39_english.c (generated, see
 * scripts/gen-bip39-english.py). */
extern const char rly_bip39_english[RLY_BIP39_WORDS][RLY_BIP39_WORD_MAX + 1];

/* Index of word (len bytes) in the list, or -1. */
int rly_bip39_word_index(const char *word, size_t len);

/* Checks a phrase: 12, 15, 18, 21 or 24 known words with a matching
 * checksum. The entropy goes to entropy (RLY_BIP39_ENTROPY_MAX bytes), its
 * length to *entropy_len; both may be NULL. Errors: PX_E_ENCODING (non-ASCII
 * or control bytes), PX_E_MALFORMED (word count, unknown word, checksum),
 * PX_E_TOO_LARGE (longer than RLY_BIP39_PHRASE_MAX). Outputs are zeroed on
 * failure. */
bool rly_bip39_check(struct px_err *err, uint8_t *entropy, size_t *entropy_len,
		     const char *phrase, size_t len) PX_MUST_CHECK;

/* The phrase of 16, 20, 24, 28 or 32 bytes of entropy, NUL-terminated in
 * out (out_cap >= 24 * 9 is always enough). */
bool rly_bip39_from_entropy(struct px_err *err, char *out, size_t out_cap,
			    const uint8_t *entropy, size_t len) PX_MUST_CHECK;

/* Checks the phrase (as rly_bip39_check) and computes the seed.
 * passphrase may be NULL (empty). seed is zeroed on failure. */
bool rly_bip39_seed(struct px_err *err, uint8_t seed[RLY_BIP39_SEED_LEN], const char *phrase,
		    size_t len, const char *passphrase) PX_MUST_CHECK;

#endif
