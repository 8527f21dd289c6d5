/* Protobuf wire reader (sticky-error cursor) and writer. */
#include "common/protobuf.h"

#include <string.h>

struct px_cursor px_cursor_init(const uint8_t *buf, size_t len)
{
	struct px_cursor c;

	memset(&c, 0, sizeof(c));
	c.buf = buf;
	c.len = buf ? len : 0;
	return c;
}

void px_cursor_fail(struct px_cursor *c, const char *why)
{
	size_t at;

	if (c->error)
		return;
	at = c->base + c->off;
	for (; c; c = c->parent) {
		if (c->error)
			break;
		c->error = why;
		c->error_off = at;
	}
}

uint64_t px_pb_read_varint(struct px_cursor *c)
{
	uint64_t v = 0;
	size_t i;

	if (c->error)
		return 0;
	for (i = 0; i < 10; i++) {
		uint8_t b;

		if (c->off + i >= c->len) {
			px_cursor_fail(c, "truncated varint");
			return 0;
		}
		b = c->buf[c->off + i];
		if (i == 9 && b > 1) {
			px_cursor_fail(c, "varint overflows 64 bits");
			return 0;
		}
		v |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80)) {
			/* A last byte of zero after the first means the same
			 * value had a shorter encoding. */
			if (i > 0 && b == 0) {
				px_cursor_fail(c, "non-canonical varint");
				return 0;
			}
			c->off += i + 1;
			return v;
		}
	}
	px_cursor_fail(c, "varint longer than 10 bytes");
	return 0;
}

static const uint8_t *take(struct px_cursor *c, size_t n)
{
	const uint8_t *p;

	if (c->error)
		return NULL;
	if (c->len - c->off < n) {
		px_cursor_fail(c, "truncated input");
		return NULL;
	}
	p = c->buf + c->off;
	c->off += n;
	return p;
}

uint32_t px_pb_read_fixed32(struct px_cursor *c)
{
	const uint8_t *p = take(c, 4);

	if (!p)
		return 0;
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t px_pb_read_fixed64(struct px_cursor *c)
{
	const uint8_t *p = take(c, 8);
	uint64_t v = 0;

	if (!p)
		return 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

void px_pb_read_tag(struct px_cursor *c, uint32_t *field, uint32_t *wire)
{
	uint64_t key = px_pb_read_varint(c);

	*field = 0;
	*wire = 0;
	if (c->error)
		return;
	if ((key >> 3) == 0 || (key >> 3) > PX_PB_MAX_FIELD) {
		px_cursor_fail(c, "bad field number");
		return;
	}
	switch (key & 7) {
	case PX_WIRE_VARINT:
	case PX_WIRE_I64:
	case PX_WIRE_LEN:
	case PX_WIRE_I32:
		break;
	default:
		px_cursor_fail(c, "unsupported wire type");
		return;
	}
	*field = (uint32_t)(key >> 3);
	*wire = (uint32_t)(key & 7);
}

static bool want_wire(struct px_cursor *c, uint32_t wire, uint32_t expected)
{
	if (c->error)
		return false;
	if (wire != expected) {
		px_cursor_fail(c, "unexpected wire type");
		return false;
	}
	return true;
}

uint64_t px_pb_read_uint64(struct px_cursor *c, uint32_t wire)
{
	if (!want_wire(c, wire, PX_WIRE_VARINT))
		return 0;
	return px_pb_read_varint(c);
}

int64_t px_pb_read_int64(struct px_cursor *c, uint32_t wire)
{
	return (int64_t)px_pb_read_uint64(c, wire);
}

int32_t px_pb_read_int32(struct px_cursor *c, uint32_t wire)
{
	int64_t v = px_pb_read_int64(c, wire);

	if (v < INT32_MIN || v > INT32_MAX) {
		px_cursor_fail(c, "int32 out of range");
		return 0;
	}
	return (int32_t)v;
}

bool px_pb_read_bool(struct px_cursor *c, uint32_t wire)
{
	uint64_t v = px_pb_read_uint64(c, wire);

	if (v > 1) {
		px_cursor_fail(c, "bool not 0 or 1");
		return false;
	}
	return v == 1;
}

int64_t px_pb_read_sfixed64(struct px_cursor *c, uint32_t wire)
{
	if (!want_wire(c, wire, PX_WIRE_I64))
		return 0;
	return (int64_t)px_pb_read_fixed64(c);
}

uint32_t px_pb_read_enum(struct px_cursor *c, uint32_t wire, uint32_t max)
{
	uint64_t v = px_pb_read_uint64(c, wire);

	if (v > max) {
		px_cursor_fail(c, "unknown enum value");
		return 0;
	}
	return (uint32_t)v;
}

static size_t read_len(struct px_cursor *c, uint32_t wire, size_t max)
{
	uint64_t n;

	if (!want_wire(c, wire, PX_WIRE_LEN))
		return 0;
	n = px_pb_read_varint(c);
	if (c->error)
		return 0;
	if (n > max) {
		px_cursor_fail(c, "length over limit");
		return 0;
	}
	if (n > c->len - c->off) {
		px_cursor_fail(c, "length past end of input");
		return 0;
	}
	return (size_t)n;
}

void px_pb_read_bytes(struct px_cursor *c, uint32_t wire, struct px_slice *out, size_t max)
{
	size_t n = read_len(c, wire, max);

	out->ptr = NULL;
	out->len = 0;
	if (c->error)
		return;
	out->ptr = c->buf + c->off;
	out->len = n;
	c->off += n;
}

void px_pb_read_message(struct px_cursor *c, uint32_t wire, struct px_cursor *sub, size_t max)
{
	size_t n = read_len(c, wire, max);

	*sub = px_cursor_init(NULL, 0);
	sub->parent = c;
	sub->base = c->base + c->off;
	if (c->error) {
		sub->error = c->error;
		sub->error_off = c->error_off;
		return;
	}
	sub->buf = c->buf + c->off;
	sub->len = n;
	c->off += n;
}

void px_pb_skip(struct px_cursor *c, uint32_t wire)
{
	struct px_slice s;

	switch (wire) {
	case PX_WIRE_VARINT:
		(void)px_pb_read_varint(c);
		break;
	case PX_WIRE_I64:
		(void)take(c, 8);
		break;
	case PX_WIRE_I32:
		(void)take(c, 4);
		break;
	case PX_WIRE_LEN:
		px_pb_read_bytes(c, wire, &s, SIZE_MAX);
		break;
	default:
		px_cursor_fail(c, "unsupported wire type");
		break;
	}
}

size_t px_pb_varint_len(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

void px_pb_put_varint(struct px_buf *b, uint64_t v)
{
	uint8_t tmp[10];
	size_t n = 0;

	while (v >= 0x80) {
		tmp[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	tmp[n++] = (uint8_t)v;
	px_buf_append(b, tmp, n);
}

void px_pb_put_tag(struct px_buf *b, uint32_t field, enum px_wire wire)
{
	px_pb_put_varint(b, (uint64_t)field << 3 | (uint32_t)wire);
}

void px_pb_put_uint64(struct px_buf *b, uint32_t field, uint64_t v)
{
	px_pb_put_tag(b, field, PX_WIRE_VARINT);
	px_pb_put_varint(b, v);
}

void px_pb_put_int64(struct px_buf *b, uint32_t field, int64_t v)
{
	px_pb_put_uint64(b, field, (uint64_t)v);
}

void px_pb_put_bool(struct px_buf *b, uint32_t field, bool v)
{
	px_pb_put_uint64(b, field, v ? 1 : 0);
}

void px_pb_put_fixed64(struct px_buf *b, uint32_t field, uint64_t v)
{
	uint8_t tmp[8];

	for (int i = 0; i < 8; i++)
		tmp[i] = (uint8_t)(v >> (8 * i));
	px_pb_put_tag(b, field, PX_WIRE_I64);
	px_buf_append(b, tmp, 8);
}

void px_pb_put_sfixed64(struct px_buf *b, uint32_t field, int64_t v)
{
	px_pb_put_fixed64(b, field, (uint64_t)v);
}

void px_pb_put_bytes(struct px_buf *b, uint32_t field, const uint8_t *data, size_t len)
{
	px_pb_put_tag(b, field, PX_WIRE_LEN);
	px_pb_put_varint(b, len);
	px_buf_append(b, data, len);
}
