/* Strict text encodings of bytes: hex and base64 (standard and URL-safe
 * alphabets). Decoders reject anything a canonical encoder would not have
 * written: odd hex length, bad characters, wrong or missing padding, and
 * non-zero bits in the last base64 character. */
#ifndef PX_COMMON_ENCODING_H
#define PX_COMMON_ENCODING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/errors.h"

/* Writes 2*len hex digits and a NUL; out_cap must be at least 2*len+1. */
void px_hex_encode(char *out, size_t out_cap, const uint8_t *buf, size_t len, bool upper);

/* Appends the decoded bytes to out. Upper and lower case are accepted;
 * a "0x" prefix is accepted only when allow_0x is set. */
bool px_hex_decode(struct px_err *err, struct px_buf *out, const char *s, size_t slen,
		   bool allow_0x) PX_MUST_CHECK;

/* Decodes exactly out_len bytes; anything else is an error. */
bool px_hex_decode_fixed(struct px_err *err, uint8_t *out, size_t out_len, const char *s,
			 size_t slen) PX_MUST_CHECK;

enum px_b64 {
	PX_B64_STD,	/* '+' '/', padding required */
	PX_B64_URL,	/* '-' '_', padding optional, but right when present */
};

bool px_base64_decode(struct px_err *err, struct px_buf *out, const char *s, size_t slen,
		      enum px_b64 alphabet) PX_MUST_CHECK;

/* Appends the encoding (no NUL) to out. */
void px_base64_encode(struct px_buf *out, const uint8_t *buf, size_t len, enum px_b64 alphabet,
		      bool pad);

#endif
