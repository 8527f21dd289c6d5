/* Quantity and data hex strings of Ethereum JSON-RPC (see ethjson.h). */
#include "lightclient/ethereum/ethjson.h"

#include <string.h>

#include "common/encoding.h"
#include "common/json.h"

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

static bool has_0x(const char *s, size_t slen)
{
	return slen >= 2 && s[0] == '0' && s[1] == 'x';
}

bool eth_parse_quantity(struct px_err *err, uint8_t *out, size_t out_len, const char *s,
			size_t slen)
{
	size_t i, digits;

	memset(out, 0, out_len);
	if (!has_0x(s, slen))
		return px_err_set(err, PX_E_ENCODING, "quantity: missing 0x prefix");
	s += 2;
	slen -= 2;
	if (slen == 0)
		return px_err_set(err, PX_E_ENCODING, "quantity: no digits after 0x");
	for (i = 0; i < slen; i++)
		if (hex_val((unsigned char)s[i]) < 0)
			return px_err_set(err, PX_E_ENCODING, "quantity: bad hex digit at offset %zu",
					  i + 2);
	while (slen > 1 && s[0] == '0') {
		s++;
		slen--;
	}
	digits = slen;
	if (digits == 1 && s[0] == '0')
		return true;
	if ((digits + 1) / 2 > out_len)
		return px_err_set(err, PX_E_NUMBER, "quantity: larger than %zu bytes", out_len);
	/* Fill from the last digit backwards. */
	for (i = 0; i < digits; i++) {
		int v = hex_val((unsigned char)s[digits - 1 - i]);

		out[out_len - 1 - i / 2] |= (uint8_t)(i % 2 ? v << 4 : v);
	}
	return true;
}

bool eth_parse_u64(struct px_err *err, uint64_t *out, const char *s, size_t slen)
{
	uint8_t be[8];

	*out = 0;
	if (!eth_parse_quantity(err, be, sizeof(be), s, slen))
		return false;
	for (size_t i = 0; i < 8; i++)
		*out = *out << 8 | be[i];
	return true;
}

bool eth_parse_data(struct px_err *err, struct px_buf *out, const char *s, size_t slen,
		    size_t max)
{
	if (!has_0x(s, slen))
		return px_err_set(err, PX_E_ENCODING, "data: missing 0x prefix");
	if ((slen - 2) / 2 > max)
		return px_err_set(err, PX_E_TOO_LARGE, "data: longer than %zu bytes", max);
	if (!px_hex_decode(err, out, s + 2, slen - 2, false)) {
		px_err_prefix(err, "data: ");
		return false;
	}
	return true;
}

bool eth_parse_data_fixed(struct px_err *err, uint8_t *out, size_t len, const char *s,
			  size_t slen)
{
	memset(out, 0, len);
	if (!has_0x(s, slen))
		return px_err_set(err, PX_E_ENCODING, "data: missing 0x prefix");
	if (slen - 2 != 2 * len)
		return px_err_set(err, PX_E_ENCODING, "data: %zu hex digits, want %zu", slen - 2,
				  2 * len);
	if (!px_hex_decode_fixed(err, out, len, s + 2, slen - 2)) {
		memset(out, 0, len);
		px_err_prefix(err, "data: ");
		return false;
	}
	return true;
}

/* obj[field] as a string, or NULL with err set. */
static const char *get_str(struct px_err *err, size_t *len, const json_t *obj, const char *field)
{
	const char *s;

	if (!px_json_get_string(err, &s, obj, field))
		return NULL;
	*len = json_string_length(json_object_get(obj, field));
	return s;
}

#define IN_FIELD(call)                                              \
	do {                                                        \
		bool was_set_ = px_err_is_set(err);                 \
		if (!(call)) {                                      \
			if (!was_set_)                              \
				px_err_prefix(err, "field '%s': ", field); \
			return false;                               \
		}                                                   \
		return true;                                        \
	} while (0)

bool eth_json_quantity(struct px_err *err, uint8_t *out, size_t out_len, const json_t *obj,
		       const char *field)
{
	size_t n;
	const char *s = get_str(err, &n, obj, field);

	if (!s) {
		memset(out, 0, out_len);
		return false;
	}
	IN_FIELD(eth_parse_quantity(err, out, out_len, s, n));
}

bool eth_json_u64(struct px_err *err, uint64_t *out, const json_t *obj, const char *field)
{
	size_t n;
	const char *s = get_str(err, &n, obj, field);

	*out = 0;
	if (!s)
		return false;
	IN_FIELD(eth_parse_u64(err, out, s, n));
}

bool eth_json_data(struct px_err *err, struct px_buf *out, const json_t *obj, const char *field,
		   size_t max)
{
	size_t n;
	const char *s = get_str(err, &n, obj, field);

	if (!s)
		return false;
	IN_FIELD(eth_parse_data(err, out, s, n, max));
}

bool eth_json_data_fixed(struct px_err *err, uint8_t *out, size_t len, const json_t *obj,
			 const char *field)
{
	size_t n;
	const char *s = get_str(err, &n, obj, field);

	if (!s) {
		memset(out, 0, len);
		return false;
	}
	IN_FIELD(eth_parse_data_fixed(err, out, len, s, n));
}

void eth_hex_format(char *out, size_t out_cap, const uint8_t *buf, size_t len)
{
	if (out_cap < 2 * len + 3) {
		if (out_cap)
			out[0] = '\0';
		return;
	}
	out[0] = '0';
	out[1] = 'x';
	px_hex_encode(out + 2, out_cap - 2, buf, len, false);
}

void eth_quantity_format(char *out, size_t out_cap, const uint8_t *be, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i = 0, o = 2;

	while (i < len && be[i] == 0)
		i++;
	if (out_cap < 2 * (len - i) + 4) {
		if (out_cap)
			out[0] = '\0';
		return;
	}
	out[0] = '0';
	out[1] = 'x';
	if (i == len) {
		out[o++] = '0';
	} else {
		if (be[i] >> 4)
			out[o++] = digits[be[i] >> 4];
		out[o++] = digits[be[i] & 0xf];
		for (i++; i < len; i++) {
			out[o++] = digits[be[i] >> 4];
			out[o++] = digits[be[i] & 0xf];
		}
	}
	out[o] = '\0';
}
