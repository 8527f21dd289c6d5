/* Hex and base64 for the text forms of bytes: hashes, keys and proofs in
 * RPC JSON, config files and the CLI. Decoders accept only what a canonical
 * encoder writes, so one byte string has one spelling. They validate the
 * whole input before writing anything, then append; on failure the output
 * buffer is left as it was on entry. */
#include "common/encoding.h"

#include <stdio.h>

static const char hex_lower[] = "0123456789abcdef";
static const char hex_upper[] = "0123456789ABCDEF";

static const char b64_std[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Writes c into a message as 'c', or as 0xNN when it is not printable, so
 * hostile input cannot put control characters in logs. */
static const char *char_repr(char tmp[8], unsigned char c)
{
	if (c >= 0x20 && c < 0x7f && c != '\'')
		snprintf(tmp, 8, "'%c'", c);
	else
		snprintf(tmp, 8, "0x%02x", c);
	return tmp;
}

static int hex_val(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void px_hex_encode(char *out, size_t out_cap, const uint8_t *buf, size_t len, bool upper)
{
	const char *digits = upper ? hex_upper : hex_lower;
	size_t i;

	if (out_cap == 0)
		return;
	/* A short buffer is a caller bug; an empty string is safer than a
	 * truncated hash that looks plausible. */
	if (len > (out_cap - 1) / 2) {
		out[0] = '\0';
		return;
	}
	for (i = 0; i < len; i++) {
		out[2 * i] = digits[buf[i] >> 4];
		out[2 * i + 1] = digits[buf[i] & 0x0f];
	}
	out[2 * len] = '\0';
}

/* Checks s[0..slen) as an even number of hex digits; base is the offset
 * of s in the caller's string, for messages. */
static bool hex_check(struct px_err *err, const char *s, size_t slen, size_t base)
{
	char tmp[8];
	size_t i;

	for (i = 0; i < slen; i++) {
		if (hex_val((unsigned char)s[i]) < 0)
			return px_err_set(err, PX_E_ENCODING, "hex: bad character %s at offset %zu",
					  char_repr(tmp, (unsigned char)s[i]), base + i);
	}
	if (slen % 2 != 0)
		return px_err_set(err, PX_E_ENCODING, "hex: odd length %zu", slen);
	return true;
}

static uint8_t hex_byte(const char *s)
{
	return (uint8_t)(hex_val((unsigned char)s[0]) << 4 | hex_val((unsigned char)s[1]));
}

bool px_hex_decode(struct px_err *err, struct px_buf *out, const char *s, size_t slen,
		   bool allow_0x)
{
	size_t entry_len = out->len;
	bool entry_failed = out->failed;
	size_t base = 0;
	size_t i;

	if (allow_0x && slen >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		slen -= 2;
		base = 2;
	}
	if (!hex_check(err, s, slen, base))
		return false;
	if (!px_buf_reserve(out, slen / 2))
		goto nomem;
	for (i = 0; i < slen; i += 2)
		px_buf_push(out, hex_byte(s + i));
	if (!px_buf_ok(out))
		goto nomem;
	return true;

nomem:
	out->len = entry_len;
	out->failed = entry_failed;
	return px_err_set(err, PX_E_NOMEM, "hex: out of memory for %zu bytes", slen / 2);
}

bool px_hex_decode_fixed(struct px_err *err, uint8_t *out, size_t out_len, const char *s,
			 size_t slen)
{
	size_t i;

	if (!hex_check(err, s, slen, 0))
		return false;
	if (slen / 2 != out_len)
		return px_err_set(err, PX_E_ENCODING, "hex: %zu bytes, expected %zu", slen / 2,
				  out_len);
	for (i = 0; i < out_len; i++)
		out[i] = hex_byte(s + 2 * i);
	return true;
}

static int b64_val(unsigned char c, enum px_b64 alphabet)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (alphabet == PX_B64_URL) {
		if (c == '-')
			return 62;
		if (c == '_')
			return 63;
	} else {
		if (c == '+')
			return 62;
		if (c == '/')
			return 63;
	}
	return -1;
}

static const char *b64_name(enum px_b64 alphabet)
{
	return alphabet == PX_B64_URL ? "base64url" : "base64";
}

bool px_base64_decode(struct px_err *err, struct px_buf *out, const char *s, size_t slen,
		      enum px_b64 alphabet)
{
	const char *name = b64_name(alphabet);
	size_t entry_len = out->len;
	bool entry_failed = out->failed;
	size_t pad = 0, dlen, tail, n, i;
	char tmp[8];

	if (alphabet != PX_B64_STD && alphabet != PX_B64_URL)
		return px_err_set(err, PX_E_INTERNAL, "base64: unknown alphabet %d", (int)alphabet);

	while (pad < slen && s[slen - 1 - pad] == '=')
		pad++;
	dlen = slen - pad;
	for (i = 0; i < dlen; i++) {
		if (s[i] == '=')
			return px_err_set(err, PX_E_ENCODING, "%s: bad padding at offset %zu", name,
					  i);
		if (b64_val((unsigned char)s[i], alphabet) < 0)
			return px_err_set(err, PX_E_ENCODING, "%s: bad character %s at offset %zu",
					  name, char_repr(tmp, (unsigned char)s[i]), i);
	}

	tail = dlen % 4;
	if (tail == 1)
		return px_err_set(err, PX_E_ENCODING, "%s: bad length %zu", name, dlen);
	if (pad > 0 && (tail == 0 || tail + pad != 4))
		return px_err_set(err, PX_E_ENCODING, "%s: bad padding", name);
	if (pad == 0 && tail != 0 && alphabet == PX_B64_STD)
		return px_err_set(err, PX_E_ENCODING, "%s: missing padding", name);
	/* The last character of a short group carries bits past the end of
	 * the data; a canonical encoder leaves them zero. */
	if (tail != 0) {
		int last = b64_val((unsigned char)s[dlen - 1], alphabet);
		int mask = tail == 2 ? 0x0f : 0x03;

		if (last & mask)
			return px_err_set(err, PX_E_ENCODING,
					  "%s: non-zero trailing bits at offset %zu", name,
					  dlen - 1);
	}

	n = dlen / 4 * 3 + (tail == 0 ? 0 : tail - 1);
	if (!px_buf_reserve(out, n))
		goto nomem;
	for (i = 0; i + 4 <= dlen; i += 4) {
		uint32_t v = (uint32_t)b64_val((unsigned char)s[i], alphabet) << 18 |
			     (uint32_t)b64_val((unsigned char)s[i + 1], alphabet) << 12 |
			     (uint32_t)b64_val((unsigned char)s[i + 2], alphabet) << 6 |
			     (uint32_t)b64_val((unsigned char)s[i + 3], alphabet);

		px_buf_push(out, (uint8_t)(v >> 16));
		px_buf_push(out, (uint8_t)(v >> 8));
		px_buf_push(out, (uint8_t)v);
	}
	if (tail != 0) {
		uint32_t v = (uint32_t)b64_val((unsigned char)s[i], alphabet) << 18 |
			     (uint32_t)b64_val((unsigned char)s[i + 1], alphabet) << 12;

		if (tail == 3)
			v |= (uint32_t)b64_val((unsigned char)s[i + 2], alphabet) << 6;
		px_buf_push(out, (uint8_t)(v >> 16));
		if (tail == 3)
			px_buf_push(out, (uint8_t)(v >> 8));
	}
	if (!px_buf_ok(out))
		goto nomem;
	return true;

nomem:
	out->len = entry_len;
	out->failed = entry_failed;
	return px_err_set(err, PX_E_NOMEM, "%s: out of memory for %zu bytes", name, n);
}

void px_base64_encode(struct px_buf *out, const uint8_t *buf, size_t len, enum px_b64 alphabet,
		      bool pad)
{
	const char *digits = alphabet == PX_B64_URL ? b64_url : b64_std;
	char chunk[256];
	size_t used = 0;
	size_t i;

	/* Staged through a small array so a large input costs few appends;
	 * an allocation failure stays recorded in out. */
	for (i = 0; i < len; i += 3) {
		size_t rest = len - i;
		uint32_t v = (uint32_t)buf[i] << 16;

		if (rest > 1)
			v |= (uint32_t)buf[i + 1] << 8;
		if (rest > 2)
			v |= buf[i + 2];
		chunk[used++] = digits[v >> 18 & 0x3f];
		chunk[used++] = digits[v >> 12 & 0x3f];
		if (rest > 1)
			chunk[used++] = digits[v >> 6 & 0x3f];
		else if (pad)
			chunk[used++] = '=';
		if (rest > 2)
			chunk[used++] = digits[v & 0x3f];
		else if (pad)
			chunk[used++] = '=';
		if (used > sizeof(chunk) - 4) {
			px_buf_append(out, chunk, used);
			used = 0;
		}
	}
	if (used > 0)
		px_buf_append(out, chunk, used);
}
