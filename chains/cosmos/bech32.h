/* BIP-173 bech32 (checksum constant 1, not bech32m) and the Cosmos SDK
 * account address form built on it: "cosmos1..." is the bech32 encoding of
 * the address bytes regrouped into 5-bit words. The relayer reads addresses
 * from its config and from chain events, so decoding is strict: strings
 * over 90 characters, mixed case, characters outside the alphabet, a bad
 * checksum, an HRP that is not the expected one, and non-zero padding bits
 * are all refused. */
#ifndef PX_CHAINS_COSMOS_BECH32_H
#define PX_CHAINS_COSMOS_BECH32_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/errors.h"

#define COSMOS_BECH32_MAX_LEN 90	/* whole string, BIP-173 */
#define COSMOS_BECH32_HRP_MAX 83	/* 90 - separator - 6 checksum characters */
#define COSMOS_BECH32_CHECKSUM_LEN 6
/* Address bytes that fit in 90 characters with a one-letter HRP: 82 words
 * of 5 bits. Cosmos addresses are 20 (accounts) or 32 bytes (modules,
 * interchain accounts). */
#define COSMOS_ADDRESS_MAX 51

/* Encodes hrp and 5-bit words (each < 32) as a lower-case bech32 string
 * with a NUL. hrp must be 1..83 characters in [33, 126] with no upper-case
 * letters; the result must fit in 90 characters and in out_cap. Misuse and
 * bad arguments are PX_E_USAGE; out is "" on failure. */
bool cosmos_bech32_encode(struct px_err *err, char *out, size_t out_cap, const char *hrp,
			  const uint8_t *words, size_t n_words) PX_MUST_CHECK;

/* Decodes s[0..len). The HRP (lower-cased, NUL-terminated) goes to hrp,
 * which holds hrp_cap bytes (COSMOS_BECH32_HRP_MAX + 1 is always enough);
 * the 5-bit data words without the checksum go to words (at most
 * words_cap), their count to *n_words. Bad input is PX_E_ENCODING; outputs
 * are zeroed on failure. */
bool cosmos_bech32_decode(struct px_err *err, char *hrp, size_t hrp_cap, uint8_t *words,
			  size_t words_cap, size_t *n_words, const char *s, size_t len) PX_MUST_CHECK;

/* Address bytes (1..COSMOS_ADDRESS_MAX) to "<hrp>1..." with a NUL. */
bool cosmos_address_encode(struct px_err *err, char *out, size_t out_cap, const char *hrp,
			   const uint8_t *addr, size_t addr_len) PX_MUST_CHECK;

/* "<hrp>1..." to address bytes. The HRP must equal expected_hrp (compared
 * case-insensitively, since an all upper-case string is valid bech32);
 * at most out_cap bytes are written, their count to *out_len. */
bool cosmos_address_decode(struct px_err *err, uint8_t *out, size_t out_cap, size_t *out_len,
			   const char *expected_hrp, const char *s, size_t len) PX_MUST_CHECK;

#endif
