/* Strict RLP reader and writer. Every length is checked against the bytes
 * left in the enclosing cursor (the input or the list being read) before it
 * is used, and every encoding is checked to be the shortest one. */
#include "lightclient/ethereum/rlp.h"

#include <string.h>

static const char e_truncated[] = "truncated item";
static const char e_past_list[] = "item runs past its list";
static const char e_single_byte[] = "single byte below 0x80 encoded as a string";
static const char e_short_long[] = "long length form for a length below 56";
static const char e_len_zero[] = "leading zero in length";
static const char e_len_size[] = "length field wider than 8 bytes";
static const char e_too_large[] = "item larger than the cap";
static const char e_trailing[] = "trailing bytes";
static const char e_not_string[] = "expected a string, got a list";
static const char e_not_list[] = "expected a list, got a string";
static const char e_int_zero[] = "integer with a leading zero byte";
static const char e_int_size[] = "integer too large";
static const char e_fixed_len[] = "string of the wrong length";
static const char e_depth[] = "nesting deeper than the cap";

int rlp_error_code(const struct px_cursor *c)
{
	const char *e = px_cursor_error(c);

	if (!e)
		return PX_OK;
	if (e == e_truncated || e == e_past_list)
		return PX_E_TRUNCATED;
	if (e == e_single_byte || e == e_short_long || e == e_len_zero || e == e_int_zero)
		return PX_E_NONCANONICAL;
	if (e == e_too_large || e == e_depth || e == e_len_size)
		return PX_E_TOO_LARGE;
	return PX_E_MALFORMED;
}

/* A truncation inside a list is told apart from one at the end of the
 * input, because the input may well go on: the list's length is wrong. */
static void fail_short(struct px_cursor *c)
{
	px_cursor_fail(c, c->parent ? e_past_list : e_truncated);
}

void rlp_read_item(struct px_cursor *c, struct rlp_item *out, size_t max)
{
	size_t left, hdr, len;
	const uint8_t *p;
	uint8_t b;

	memset(out, 0, sizeof(*out));
	if (c->error)
		return;
	left = c->len - c->off;
	if (left == 0) {
		fail_short(c);
		return;
	}
	p = c->buf + c->off;
	b = p[0];
	if (b < 0x80) {
		hdr = 0;
		len = 1;
	} else if (b <= 0xb7 || (b >= 0xc0 && b <= 0xf7)) {
		hdr = 1;
		len = b - (b < 0xc0 ? 0x80u : 0xc0u);
		if (b == 0x81 && left >= 2 && p[1] < 0x80) {
			px_cursor_fail(c, e_single_byte);
			return;
		}
	} else {
		size_t ll = b - (b < 0xc0 ? 0xb7u : 0xf7u);

		if (ll > 8) {
			px_cursor_fail(c, e_len_size);
			return;
		}
		if (left < 1 + ll) {
			fail_short(c);
			return;
		}
		if (p[1] == 0) {
			px_cursor_fail(c, e_len_zero);
			return;
		}
		len = 0;
		for (size_t i = 0; i < ll; i++) {
			if (len > (SIZE_MAX >> 8)) {
				px_cursor_fail(c, e_too_large);
				return;
			}
			len = len << 8 | p[1 + i];
		}
		if (len < 56) {
			px_cursor_fail(c, e_short_long);
			return;
		}
		hdr = 1 + ll;
	}
	if (len > max || len > RLP_MAX_ITEM) {
		px_cursor_fail(c, e_too_large);
		return;
	}
	if (left - hdr < len) {
		fail_short(c);
		return;
	}
	out->is_list = b >= 0xc0;
	out->payload.ptr = p + hdr;
	out->payload.len = len;
	out->raw.ptr = p;
	out->raw.len = hdr + len;
	c->off += hdr + len;
}

void rlp_read_list(struct px_cursor *c, struct px_cursor *sub, size_t max)
{
	struct rlp_item it;
	size_t start = c->off;

	rlp_read_item(c, &it, max);
	if (!c->error && !it.is_list) {
		c->off = start;
		px_cursor_fail(c, e_not_list);
	}
	*sub = px_cursor_init(NULL, 0);
	sub->parent = c;
	if (c->error) {
		sub->error = c->error;
		sub->error_off = c->error_off;
		return;
	}
	sub->buf = it.payload.ptr;
	sub->len = it.payload.len;
	sub->base = c->base + (size_t)(it.payload.ptr - c->buf);
}

void rlp_read_bytes(struct px_cursor *c, struct px_slice *out, size_t max)
{
	struct rlp_item it;
	size_t start = c->off;

	rlp_read_item(c, &it, max);
	out->ptr = NULL;
	out->len = 0;
	if (c->error)
		return;
	if (it.is_list) {
		c->off = start;
		px_cursor_fail(c, e_not_string);
		return;
	}
	*out = it.payload;
}

void rlp_read_fixed(struct px_cursor *c, uint8_t *out, size_t len)
{
	struct px_slice s;
	size_t start = c->off;

	rlp_read_bytes(c, &s, len);
	if (!c->error && s.len != len) {
		c->off = start;
		px_cursor_fail(c, e_fixed_len);
	}
	if (c->error) {
		memset(out, 0, len);
		return;
	}
	memcpy(out, s.ptr, len);
}

/* Reads an integer's minimal big-endian bytes. */
static struct px_slice read_int(struct px_cursor *c, size_t max_len)
{
	struct px_slice s;
	size_t start = c->off;

	rlp_read_bytes(c, &s, RLP_MAX_ITEM);
	if (c->error)
		return s;
	if (s.len > 0 && s.ptr[0] == 0) {
		c->off = start;
		px_cursor_fail(c, e_int_zero);
	} else if (s.len > max_len) {
		c->off = start;
		px_cursor_fail(c, e_int_size);
	}
	if (c->error)
		s.len = 0;
	return s;
}

uint64_t rlp_read_u64(struct px_cursor *c)
{
	struct px_slice s = read_int(c, 8);
	uint64_t v = 0;

	for (size_t i = 0; i < s.len; i++)
		v = v << 8 | s.ptr[i];
	return v;
}

void rlp_read_uint_be(struct px_cursor *c, uint8_t *out, size_t out_len, size_t max_len)
{
	struct px_slice s = read_int(c, max_len < out_len ? max_len : out_len);

	memset(out, 0, out_len);
	if (s.len)
		memcpy(out + out_len - s.len, s.ptr, s.len);
}

void rlp_read_end(struct px_cursor *c)
{
	if (!c->error && c->off != c->len)
		px_cursor_fail(c, e_trailing);
}

static void check_items(struct px_cursor *c, unsigned depth, unsigned max_depth)
{
	while (px_cursor_more(c)) {
		struct rlp_item it;

		rlp_read_item(c, &it, RLP_MAX_ITEM);
		if (c->error || !it.is_list)
			continue;
		if (depth >= max_depth) {
			c->off -= it.raw.len;
			px_cursor_fail(c, e_depth);
			return;
		}
		{
			struct px_cursor sub = px_cursor_init(it.payload.ptr, it.payload.len);

			sub.parent = c;
			sub.base = c->base + (size_t)(it.payload.ptr - c->buf);
			check_items(&sub, depth + 1, max_depth);
		}
	}
}

bool rlp_check(struct px_err *err, const uint8_t *buf, size_t len, unsigned max_depth)
{
	struct px_cursor c = px_cursor_init(buf, len);
	struct rlp_item it;

	if (max_depth == 0 || max_depth > RLP_MAX_DEPTH)
		max_depth = RLP_MAX_DEPTH;
	rlp_read_item(&c, &it, RLP_MAX_ITEM);
	if (px_cursor_ok(&c) && it.is_list) {
		struct px_cursor sub = px_cursor_init(it.payload.ptr, it.payload.len);

		sub.parent = &c;
		sub.base = (size_t)(it.payload.ptr - buf);
		check_items(&sub, 1, max_depth);
	}
	rlp_read_end(&c);
	if (!px_cursor_ok(&c))
		return px_err_set(err, rlp_error_code(&c), "rlp: %s at byte %zu",
				  px_cursor_error(&c), px_cursor_offset(&c));
	return true;
}

size_t rlp_prefix_len(size_t len)
{
	size_t n = 1;

	if (len < 56)
		return 1;
	while (len) {
		n++;
		len >>= 8;
	}
	return n;
}

/* Encodes the prefix of a payload of len bytes with base 0x80 (string) or
 * 0xc0 (list) into out; returns its length (1..9). */
static size_t encode_prefix(uint8_t out[9], uint8_t base, size_t len)
{
	size_t n = 0;

	if (len < 56) {
		out[0] = (uint8_t)(base + len);
		return 1;
	}
	for (size_t v = len; v; v >>= 8)
		n++;
	out[0] = (uint8_t)(base + 55 + n);
	for (size_t i = 0; i < n; i++)
		out[n - i] = (uint8_t)(len >> (8 * i));
	return n + 1;
}

size_t rlp_encode_prefix(uint8_t out[9], bool list, size_t len)
{
	return encode_prefix(out, list ? 0xc0 : 0x80, len);
}

static void put_prefix(struct px_buf *b, uint8_t base, size_t len)
{
	uint8_t tmp[9];

	px_buf_append(b, tmp, encode_prefix(tmp, base, len));
}

void rlp_put_bytes(struct px_buf *b, const uint8_t *data, size_t len)
{
	if (len == 1 && data[0] < 0x80) {
		px_buf_push(b, data[0]);
		return;
	}
	put_prefix(b, 0x80, len);
	px_buf_append(b, data, len);
}

void rlp_put_uint_be(struct px_buf *b, const uint8_t *be, size_t len)
{
	while (len > 0 && be[0] == 0) {
		be++;
		len--;
	}
	rlp_put_bytes(b, be, len);
}

void rlp_put_u64(struct px_buf *b, uint64_t v)
{
	uint8_t tmp[8];

	for (size_t i = 0; i < 8; i++)
		tmp[i] = (uint8_t)(v >> (56 - 8 * i));
	rlp_put_uint_be(b, tmp, 8);
}

void rlp_put_list_header(struct px_buf *b, size_t payload_len)
{
	put_prefix(b, 0xc0, payload_len);
}

size_t rlp_list_begin(const struct px_buf *b)
{
	return b->len;
}

void rlp_list_end(struct px_buf *b, size_t start)
{
	uint8_t tmp[9];
	size_t payload, hdr;

	if (!px_buf_ok(b) || start > b->len)
		return;
	payload = b->len - start;
	hdr = encode_prefix(tmp, 0xc0, payload);
	if (!px_buf_reserve(b, hdr))
		return;
	memmove(b->data + start + hdr, b->data + start, payload);
	memcpy(b->data + start, tmp, hdr);
	b->len += hdr;
}
