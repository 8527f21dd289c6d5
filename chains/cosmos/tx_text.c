/* Text checks shared by the transaction decoder and encoder (see
 * tx_text.h). */
#include "chains/cosmos/tx_text.h"

#include "chains/cosmos/tx.h"

/* Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF. */
bool cosmos_utf8_valid(struct px_slice s)
{
	size_t i = 0;

	while (i < s.len) {
		uint8_t b = s.ptr[i];
		uint32_t cp;
		size_t n, k;

		if (b < 0x80) {
			i++;
			continue;
		} else if (b >= 0xc2 && b <= 0xdf) {
			n = 1;
			cp = b & 0x1f;
		} else if (b >= 0xe0 && b <= 0xef) {
			n = 2;
			cp = b & 0x0f;
		} else if (b >= 0xf0 && b <= 0xf4) {
			n = 3;
			cp = b & 0x07;
		} else {
			return false;
		}
		if (s.len - i - 1 < n)
			return false;
		for (k = 1; k <= n; k++) {
			uint8_t cb = s.ptr[i + k];

			if ((cb & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (cb & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

/* The SDK's denom regex: [a-zA-Z][a-zA-Z0-9/:._-]{2,127}. */
bool cosmos_denom_valid(struct px_slice d)
{
	size_t i;

	if (d.len < 3 || d.len > COSMOS_TX_MAX_DENOM)
		return false;
	if (!((d.ptr[0] >= 'a' && d.ptr[0] <= 'z') || (d.ptr[0] >= 'A' && d.ptr[0] <= 'Z')))
		return false;
	for (i = 1; i < d.len; i++) {
		uint8_t ch = d.ptr[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '/' || ch == ':' || ch == '.' ||
		      ch == '_' || ch == '-'))
			return false;
	}
	return true;
}

/* sdk.Int's text form as its encoder writes it: digits, no sign, no
 * leading zero except "0" itself. */
bool cosmos_amount_valid(struct px_slice a)
{
	size_t i;

	if (a.len < 1 || a.len > COSMOS_TX_MAX_AMOUNT_DIGITS)
		return false;
	if (a.len > 1 && a.ptr[0] == '0')
		return false;
	for (i = 0; i < a.len; i++) {
		if (a.ptr[i] < '0' || a.ptr[i] > '9')
			return false;
	}
	return true;
}

bool cosmos_type_url_valid(struct px_slice u)
{
	size_t i;

	for (i = 0; i < u.len; i++) {
		if (u.ptr[i] < 0x21 || u.ptr[i] > 0x7e)
			return false;
	}
	return u.len > 0;
}
