/* Unit tests for common/protobuf.c: canonical varints and their overflow,
 * the sticky cursor error and its absolute offset through sub-messages,
 * tags, typed reads with their ranges, skipping, and writer output checked
 * against known encodings. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "common/protobuf.h"

/* A cursor over literal bytes; the bytes live until the end of the
 * enclosing block. */
#define CUR(...) \
	cur_of((const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }))

static struct px_cursor cur_of(const uint8_t *buf, size_t len)
{
	return px_cursor_init(buf, len);
}

static void assert_failed(const struct px_cursor *c, const char *why, size_t off)
{
	if (px_cursor_ok(c))
		fail_msg("cursor accepted input, expected \"%s\"", why);
	if (strcmp(px_cursor_error(c), why) != 0)
		fail_msg("error \"%s\", want \"%s\"", px_cursor_error(c), why);
	assert_int_equal(px_cursor_offset(c), off);
	assert_false(px_cursor_more(c));
}

static void varint_decodes(const uint8_t *buf, size_t len, uint64_t want)
{
	struct px_cursor c = px_cursor_init(buf, len);
	uint64_t v = px_pb_read_varint(&c);

	if (!px_cursor_ok(&c))
		fail_msg("varint rejected: %s", px_cursor_error(&c));
	assert_true(v == want);
	assert_int_equal(px_cursor_offset(&c), len);
	assert_false(px_cursor_more(&c));
}

static void varint_known_values(void **state)
{
	varint_decodes((const uint8_t[]){ 0x00 }, 1, 0);
	varint_decodes((const uint8_t[]){ 0x01 }, 1, 1);
	varint_decodes((const uint8_t[]){ 0x7f }, 1, 127);
	varint_decodes((const uint8_t[]){ 0x80, 0x01 }, 2, 128);
	varint_decodes((const uint8_t[]){ 0x96, 0x01 }, 2, 150);
	varint_decodes((const uint8_t[]){ 0xff, 0x7f }, 2, 16383);
	varint_decodes((const uint8_t[]){ 0x80, 0x80, 0x01 }, 3, 16384);
	varint_decodes((const uint8_t[]){ 0xff, 0xff, 0xff, 0xff, 0x0f }, 5, UINT32_MAX);
	varint_decodes((const uint8_t[]){ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					  0x01 },
		       10, UINT64_MAX);
	varint_decodes((const uint8_t[]){ 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
					  0x01 },
		       10, 1ull << 63);
}

static void varint_round_trip(void **state)
{
	static const uint64_t values[] = {
		0, 1, 127, 128, 255, 256, 16383, 16384, 150, 300, (1ull << 21) - 1, 1ull << 21,
		UINT32_MAX, 1ull << 32, (1ull << 56) - 1, 1ull << 56, (1ull << 63) - 1,
		1ull << 63, UINT64_MAX - 1, UINT64_MAX,
	};

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		struct px_buf b = PX_BUF_INIT;
		struct px_cursor c;
		uint64_t v;

		px_pb_put_varint(&b, values[i]);
		assert_true(px_buf_ok(&b));
		assert_int_equal(b.len, px_pb_varint_len(values[i]));
		c = px_cursor_init(b.data, b.len);
		v = px_pb_read_varint(&c);
		assert_true(px_cursor_ok(&c));
		assert_true(v == values[i]);
		assert_int_equal(px_cursor_offset(&c), b.len);
		px_buf_free(&b);
	}
}

static void varint_len(void **state)
{
	assert_int_equal(px_pb_varint_len(0), 1);
	assert_int_equal(px_pb_varint_len(127), 1);
	assert_int_equal(px_pb_varint_len(128), 2);
	assert_int_equal(px_pb_varint_len(16383), 2);
	assert_int_equal(px_pb_varint_len(16384), 3);
	assert_int_equal(px_pb_varint_len(UINT32_MAX), 5);
	assert_int_equal(px_pb_varint_len((1ull << 63) - 1), 9);
	assert_int_equal(px_pb_varint_len(1ull << 63), 10);
	assert_int_equal(px_pb_varint_len(UINT64_MAX), 10);
}

static void varint_rejects_overlong(void **state)
{
	struct px_cursor c;

	/* 0 written in two bytes. */
	c = CUR(0x80, 0x00);
	assert_true(px_pb_read_varint(&c) == 0);
	assert_failed(&c, "non-canonical varint", 0);
	/* 1 written in three bytes. */
	c = CUR(0x81, 0x80, 0x00);
	assert_true(px_pb_read_varint(&c) == 0);
	assert_failed(&c, "non-canonical varint", 0);
	/* 127 padded to two bytes (the canonical form is 7f). */
	c = CUR(0xff, 0x00);
	assert_true(px_pb_read_varint(&c) == 0);
	assert_failed(&c, "non-canonical varint", 0);
	/* UINT64_MAX >> 7 padded to ten bytes. */
	c = CUR(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00);
	assert_true(px_pb_read_varint(&c) == 0);
	assert_failed(&c, "non-canonical varint", 0);
}

static void varint_rejects_overflow(void **state)
{
	struct px_cursor c;

	/* The tenth byte may only carry bit 63. */
	c = CUR(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02);
	assert_true(px_pb_read_varint(&c) == 0);
	assert_failed(&c, "varint overflows 64 bits", 0);
	c = CUR(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f);
	assert_true(px_pb_read_varint(&c) == 0);
	assert_failed(&c, "varint overflows 64 bits", 0);
	/* Eleven bytes. */
	c = CUR(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x81, 0x00);
	assert_true(px_pb_read_varint(&c) == 0);
	assert_false(px_cursor_ok(&c));
	assert_int_equal(px_cursor_offset(&c), 0);
	c = CUR(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01);
	assert_true(px_pb_read_varint(&c) == 0);
	assert_false(px_cursor_ok(&c));
	assert_int_equal(px_cursor_offset(&c), 0);
}

static void varint_rejects_truncation(void **state)
{
	struct px_cursor c;

	c = px_cursor_init(NULL, 0);
	assert_true(px_pb_read_varint(&c) == 0);
	assert_failed(&c, "truncated varint", 0);
	c = CUR(0x80);
	assert_true(px_pb_read_varint(&c) == 0);
	assert_failed(&c, "truncated varint", 0);
	c = CUR(0x01, 0xff, 0xff);
	assert_true(px_pb_read_varint(&c) == 1);
	assert_true(px_pb_read_varint(&c) == 0);
	assert_failed(&c, "truncated varint", 1);
	/* NULL with a length is an empty input, not a read through NULL. */
	c = px_cursor_init(NULL, 5);
	assert_false(px_cursor_more(&c));
	assert_true(px_pb_read_varint(&c) == 0);
	assert_failed(&c, "truncated varint", 0);
}

/* After a failure every read returns zero and nothing moves. */
static void error_is_sticky(void **state)
{
	struct px_cursor c = CUR(0x08, 0x80, 0x00, 0x08, 0x01, 0x01, 0x02, 0x03, 0x04, 0x05,
				 0x06, 0x07, 0x08, 0x12, 0x01, 0x41);
	uint32_t field = 99, wire = 99;
	struct px_slice s = { (const uint8_t *)"x", 1 };
	struct px_cursor sub;

	px_pb_read_tag(&c, &field, &wire);
	assert_int_equal(field, 1);
	assert_int_equal(wire, PX_WIRE_VARINT);
	assert_true(px_pb_read_uint64(&c, wire) == 0);
	assert_failed(&c, "non-canonical varint", 1);

	assert_true(px_pb_read_varint(&c) == 0);
	assert_int_equal(px_pb_read_fixed32(&c), 0);
	assert_true(px_pb_read_fixed64(&c) == 0);
	px_pb_read_tag(&c, &field, &wire);
	assert_int_equal(field, 0);
	assert_int_equal(wire, 0);
	assert_true(px_pb_read_uint64(&c, PX_WIRE_VARINT) == 0);
	assert_true(px_pb_read_int64(&c, PX_WIRE_VARINT) == 0);
	assert_int_equal(px_pb_read_int32(&c, PX_WIRE_VARINT), 0);
	assert_false(px_pb_read_bool(&c, PX_WIRE_VARINT));
	assert_true(px_pb_read_sfixed64(&c, PX_WIRE_I64) == 0);
	assert_int_equal(px_pb_read_enum(&c, PX_WIRE_VARINT, 10), 0);
	px_pb_read_bytes(&c, PX_WIRE_LEN, &s, 100);
	assert_null(s.ptr);
	assert_int_equal(s.len, 0);
	px_pb_read_message(&c, PX_WIRE_LEN, &sub, 100);
	assert_false(px_cursor_ok(&sub));
	assert_false(px_cursor_more(&sub));
	px_pb_skip(&c, PX_WIRE_I64);
	px_pb_skip(&c, 3);
	px_cursor_fail(&c, "a later failure");
	assert_failed(&c, "non-canonical varint", 1);
	assert_int_equal(c.off, 1);
}

static void tag_reads_field_and_wire(void **state)
{
	struct px_cursor c;
	uint32_t field, wire;

	c = CUR(0x08);
	px_pb_read_tag(&c, &field, &wire);
	assert_true(px_cursor_ok(&c));
	assert_int_equal(field, 1);
	assert_int_equal(wire, PX_WIRE_VARINT);

	c = CUR(0x12);
	px_pb_read_tag(&c, &field, &wire);
	assert_int_equal(field, 2);
	assert_int_equal(wire, PX_WIRE_LEN);

	c = CUR(0x79);
	px_pb_read_tag(&c, &field, &wire);
	assert_int_equal(field, 15);
	assert_int_equal(wire, PX_WIRE_I64);

	c = CUR(0x85, 0x01);
	px_pb_read_tag(&c, &field, &wire);
	assert_int_equal(field, 16);
	assert_int_equal(wire, PX_WIRE_I32);

	/* The largest field number, 2^29-1, wire type 0. */
	c = CUR(0xf8, 0xff, 0xff, 0xff, 0x0f);
	px_pb_read_tag(&c, &field, &wire);
	assert_true(px_cursor_ok(&c));
	assert_int_equal(field, PX_PB_MAX_FIELD);
	assert_int_equal(wire, 0);
}

static void tag_rejects_bad_fields_and_wires(void **state)
{
	struct px_cursor c;
	uint32_t field, wire;

	/* Field 0 with each wire type. */
	c = CUR(0x00);
	px_pb_read_tag(&c, &field, &wire);
	assert_failed(&c, "bad field number", 1);
	c = CUR(0x02);
	px_pb_read_tag(&c, &field, &wire);
	assert_failed(&c, "bad field number", 1);
	assert_int_equal(field, 0);
	assert_int_equal(wire, 0);

	/* Field 2^29: one past the limit. */
	c = CUR(0x80, 0x80, 0x80, 0x80, 0x10);
	px_pb_read_tag(&c, &field, &wire);
	assert_failed(&c, "bad field number", 5);
	assert_int_equal(field, 0);
	/* A key far past 32 bits. */
	c = CUR(0xf8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
	px_pb_read_tag(&c, &field, &wire);
	assert_failed(&c, "bad field number", 10);

	/* Groups (3, 4) and the unassigned types (6, 7). */
	for (uint8_t w = 3; w <= 7; w++) {
		if (w == PX_WIRE_I32)
			continue;
		c = cur_of((const uint8_t[]){ (uint8_t)(1 << 3 | w) }, 1);
		field = 77;
		wire = 77;
		px_pb_read_tag(&c, &field, &wire);
		assert_failed(&c, "unsupported wire type", 1);
		assert_int_equal(field, 0);
		assert_int_equal(wire, 0);
	}

	/* A non-canonical key. */
	c = CUR(0x88, 0x00);
	px_pb_read_tag(&c, &field, &wire);
	assert_failed(&c, "non-canonical varint", 0);
}

static void typed_wire_mismatch(void **state)
{
	struct px_cursor c;
	struct px_slice s;

	c = CUR(0x01);
	assert_true(px_pb_read_uint64(&c, PX_WIRE_LEN) == 0);
	assert_failed(&c, "unexpected wire type", 0);
	c = CUR(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08);
	assert_true(px_pb_read_sfixed64(&c, PX_WIRE_VARINT) == 0);
	assert_failed(&c, "unexpected wire type", 0);
	c = CUR(0x01, 0x41);
	px_pb_read_bytes(&c, PX_WIRE_VARINT, &s, 10);
	assert_failed(&c, "unexpected wire type", 0);
	assert_null(s.ptr);
	c = CUR(0x01);
	assert_false(px_pb_read_bool(&c, PX_WIRE_I32));
	assert_failed(&c, "unexpected wire type", 0);
}

static void int64_and_int32(void **state)
{
	struct px_cursor c;

	/* -1 is ten bytes of two's complement. */
	c = CUR(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
	assert_true(px_pb_read_int64(&c, PX_WIRE_VARINT) == -1);
	assert_true(px_cursor_ok(&c));
	c = CUR(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
	assert_int_equal(px_pb_read_int32(&c, PX_WIRE_VARINT), -1);
	assert_true(px_cursor_ok(&c));
	/* INT64_MIN. */
	c = CUR(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01);
	assert_true(px_pb_read_int64(&c, PX_WIRE_VARINT) == INT64_MIN);

	/* INT32_MAX is accepted, INT32_MAX + 1 is not. */
	c = CUR(0xff, 0xff, 0xff, 0xff, 0x07);
	assert_int_equal(px_pb_read_int32(&c, PX_WIRE_VARINT), INT32_MAX);
	assert_true(px_cursor_ok(&c));
	c = CUR(0x80, 0x80, 0x80, 0x80, 0x08);
	assert_int_equal(px_pb_read_int32(&c, PX_WIRE_VARINT), 0);
	assert_failed(&c, "int32 out of range", 5);
	/* INT32_MIN sign-extended is accepted, INT32_MIN - 1 is not. */
	c = CUR(0x80, 0x80, 0x80, 0x80, 0xf8, 0xff, 0xff, 0xff, 0xff, 0x01);
	assert_int_equal(px_pb_read_int32(&c, PX_WIRE_VARINT), INT32_MIN);
	assert_true(px_cursor_ok(&c));
	c = CUR(0xff, 0xff, 0xff, 0xff, 0xf7, 0xff, 0xff, 0xff, 0xff, 0x01);
	assert_int_equal(px_pb_read_int32(&c, PX_WIRE_VARINT), 0);
	assert_failed(&c, "int32 out of range", 10);
	/* -1 truncated to 32 bits is not a valid int32 encoding. */
	c = CUR(0xff, 0xff, 0xff, 0xff, 0x0f);
	assert_int_equal(px_pb_read_int32(&c, PX_WIRE_VARINT), 0);
	assert_false(px_cursor_ok(&c));
}

static void bool_values(void **state)
{
	struct px_cursor c;

	c = CUR(0x00, 0x01);
	assert_false(px_pb_read_bool(&c, PX_WIRE_VARINT));
	assert_true(px_pb_read_bool(&c, PX_WIRE_VARINT));
	assert_true(px_cursor_ok(&c));
	c = CUR(0x02);
	assert_false(px_pb_read_bool(&c, PX_WIRE_VARINT));
	assert_failed(&c, "bool not 0 or 1", 1);
	c = CUR(0x81, 0x01);
	assert_false(px_pb_read_bool(&c, PX_WIRE_VARINT));
	assert_failed(&c, "bool not 0 or 1", 2);
}

static void enum_range(void **state)
{
	struct px_cursor c;

	c = CUR(0x00, 0x05);
	assert_int_equal(px_pb_read_enum(&c, PX_WIRE_VARINT, 5), 0);
	assert_int_equal(px_pb_read_enum(&c, PX_WIRE_VARINT, 5), 5);
	assert_true(px_cursor_ok(&c));
	c = CUR(0x06);
	assert_int_equal(px_pb_read_enum(&c, PX_WIRE_VARINT, 5), 0);
	assert_failed(&c, "unknown enum value", 1);
	/* A value that only fits in 64 bits must not wrap into range. */
	c = CUR(0x80, 0x80, 0x80, 0x80, 0x10);
	assert_int_equal(px_pb_read_enum(&c, PX_WIRE_VARINT, UINT32_MAX), 0);
	assert_failed(&c, "unknown enum value", 5);
	c = CUR(0xff, 0xff, 0xff, 0xff, 0x0f);
	assert_int_equal(px_pb_read_enum(&c, PX_WIRE_VARINT, UINT32_MAX), UINT32_MAX);
	assert_true(px_cursor_ok(&c));
}

static void fixed_are_little_endian(void **state)
{
	struct px_cursor c;

	c = CUR(0x01, 0x02, 0x03, 0x04);
	assert_int_equal(px_pb_read_fixed32(&c), 0x04030201);
	assert_true(px_cursor_ok(&c));
	c = CUR(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08);
	assert_true(px_pb_read_fixed64(&c) == 0x0807060504030201ull);
	c = CUR(0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
	assert_true(px_pb_read_sfixed64(&c, PX_WIRE_I64) == -2);
	c = CUR(0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80);
	assert_true(px_pb_read_sfixed64(&c, PX_WIRE_I64) == INT64_MIN);

	c = CUR(0x01, 0x02, 0x03);
	assert_int_equal(px_pb_read_fixed32(&c), 0);
	assert_failed(&c, "truncated input", 0);
	c = CUR(0x01, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07);
	assert_int_equal(px_pb_read_varint(&c), 1);
	assert_true(px_pb_read_fixed64(&c) == 0);
	assert_failed(&c, "truncated input", 1);
}

static void bytes_with_cap_and_end(void **state)
{
	struct px_cursor c;
	struct px_slice s;

	c = CUR(0x03, 'a', 'b', 'c', 0x00);
	px_pb_read_bytes(&c, PX_WIRE_LEN, &s, 3);
	assert_true(px_cursor_ok(&c));
	assert_int_equal(s.len, 3);
	assert_memory_equal(s.ptr, "abc", 3);
	/* Borrowed: points into the input. */
	assert_ptr_equal(s.ptr, c.buf + 1);
	px_pb_read_bytes(&c, PX_WIRE_LEN, &s, 0);
	assert_true(px_cursor_ok(&c));
	assert_int_equal(s.len, 0);
	assert_false(px_cursor_more(&c));

	/* One over the cap. */
	c = CUR(0x03, 'a', 'b', 'c');
	px_pb_read_bytes(&c, PX_WIRE_LEN, &s, 2);
	assert_failed(&c, "length over limit", 1);
	assert_null(s.ptr);
	assert_int_equal(s.len, 0);

	/* One past the end. */
	c = CUR(0x04, 'a', 'b', 'c');
	px_pb_read_bytes(&c, PX_WIRE_LEN, &s, 100);
	assert_failed(&c, "length past end of input", 1);
	assert_int_equal(s.len, 0);

	/* A length near 2^64 must not wrap the end check. */
	c = CUR(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 'a');
	px_pb_read_bytes(&c, PX_WIRE_LEN, &s, SIZE_MAX);
	assert_failed(&c, "length past end of input", 10);

	/* A truncated length. */
	c = CUR(0x80);
	px_pb_read_bytes(&c, PX_WIRE_LEN, &s, 100);
	assert_failed(&c, "truncated varint", 0);
}

/* msg { 1: varint 150, 2: sub { 1: varint 2, 2: bytes "hi" } , 3: varint 1 } */
static void sub_message_reads(void **state)
{
	const uint8_t in[] = { 0x08, 0x96, 0x01, 0x12, 0x06, 0x08, 0x02, 0x12, 0x02, 'h', 'i',
			       0x18, 0x01 };
	struct px_cursor c = px_cursor_init(in, sizeof(in)), sub;
	uint32_t field, wire;
	struct px_slice s;

	px_pb_read_tag(&c, &field, &wire);
	assert_int_equal(px_pb_read_uint64(&c, wire), 150);
	px_pb_read_tag(&c, &field, &wire);
	assert_int_equal(field, 2);
	px_pb_read_message(&c, wire, &sub, 100);
	assert_true(px_cursor_ok(&sub));
	assert_int_equal(px_cursor_offset(&sub), 5);
	px_pb_read_tag(&sub, &field, &wire);
	assert_int_equal(px_pb_read_uint64(&sub, wire), 2);
	px_pb_read_tag(&sub, &field, &wire);
	px_pb_read_bytes(&sub, wire, &s, 10);
	assert_memory_equal(s.ptr, "hi", 2);
	assert_false(px_cursor_more(&sub));
	assert_int_equal(px_cursor_offset(&sub), 11);
	/* The parent already stands after the sub-message. */
	px_pb_read_tag(&c, &field, &wire);
	assert_int_equal(field, 3);
	assert_int_equal(px_pb_read_uint64(&c, wire), 1);
	assert_true(px_cursor_ok(&c));
	assert_false(px_cursor_more(&c));

	/* Over the cap: the sub-cursor starts failed. */
	c = px_cursor_init(in, sizeof(in));
	px_pb_read_tag(&c, &field, &wire);
	(void)px_pb_read_uint64(&c, wire);
	px_pb_read_tag(&c, &field, &wire);
	px_pb_read_message(&c, wire, &sub, 5);
	assert_failed(&c, "length over limit", 5);
	assert_failed(&sub, "length over limit", 5);
}

/* A failure inside an embedded message fails the parent too, at the
 * offset in the outermost input. */
static void sub_message_failure_propagates(void **state)
{
	/* outer { 1: varint 1, 2: mid { 1: varint 7, 3: inner { 1: bool 2 } } } */
	const uint8_t in[] = { 0x08, 0x01, 0x12, 0x06, 0x08, 0x07, 0x1a, 0x02, 0x08, 0x02 };
	struct px_cursor c = px_cursor_init(in, sizeof(in)), mid, inner;
	uint32_t field, wire;

	px_pb_read_tag(&c, &field, &wire);
	(void)px_pb_read_uint64(&c, wire);
	px_pb_read_tag(&c, &field, &wire);
	px_pb_read_message(&c, wire, &mid, 64);
	px_pb_read_tag(&mid, &field, &wire);
	assert_int_equal(px_pb_read_uint64(&mid, wire), 7);
	px_pb_read_tag(&mid, &field, &wire);
	assert_int_equal(field, 3);
	px_pb_read_message(&mid, wire, &inner, 64);
	px_pb_read_tag(&inner, &field, &wire);
	assert_true(px_cursor_ok(&c));
	assert_false(px_pb_read_bool(&inner, wire));

	/* The bad value is byte 9 of the outer input; a range check fails
	 * where the cursor stands after the value, byte 10. */
	assert_failed(&inner, "bool not 0 or 1", 10);
	assert_failed(&mid, "bool not 0 or 1", 10);
	assert_failed(&c, "bool not 0 or 1", 10);
	/* Reads on the parent now do nothing. */
	assert_true(px_pb_read_varint(&c) == 0);
}

/* A sub-message may not read past its own length even when the parent has
 * more bytes. */
static void sub_message_is_bounded(void **state)
{
	const uint8_t in[] = { 0x12, 0x01, 0x08, 0x05 };
	struct px_cursor c = px_cursor_init(in, sizeof(in)), sub;
	uint32_t field, wire;

	px_pb_read_tag(&c, &field, &wire);
	px_pb_read_message(&c, wire, &sub, 64);
	px_pb_read_tag(&sub, &field, &wire);
	assert_true(px_cursor_ok(&sub));
	assert_true(px_pb_read_uint64(&sub, wire) == 0);
	assert_failed(&sub, "truncated varint", 3);
	assert_failed(&c, "truncated varint", 3);
}

static void skip_each_wire_type(void **state)
{
	const uint8_t in[] = {
		0x08, 0x96, 0x01,					/* 1: varint */
		0x11, 1, 2, 3, 4, 5, 6, 7, 8,				/* 2: fixed64 */
		0x1a, 0x03, 'a', 'b', 'c',				/* 3: bytes */
		0x25, 1, 2, 3, 4,					/* 4: fixed32 */
		0x28, 0x2a,						/* 5: varint 42 */
	};
	struct px_cursor c = px_cursor_init(in, sizeof(in));
	uint32_t field, wire;
	size_t ends[] = { 3, 12, 17, 22 };

	for (int i = 0; i < 4; i++) {
		px_pb_read_tag(&c, &field, &wire);
		assert_int_equal(field, (uint32_t)i + 1);
		px_pb_skip(&c, wire);
		assert_true(px_cursor_ok(&c));
		assert_int_equal(px_cursor_offset(&c), ends[i]);
	}
	px_pb_read_tag(&c, &field, &wire);
	assert_int_equal(px_pb_read_uint64(&c, wire), 42);
	assert_false(px_cursor_more(&c));
	assert_true(px_cursor_ok(&c));
}

static void skip_failures(void **state)
{
	struct px_cursor c;

	c = CUR(0x80, 0x00);
	px_pb_skip(&c, PX_WIRE_VARINT);
	assert_failed(&c, "non-canonical varint", 0);
	c = CUR(1, 2, 3, 4, 5, 6, 7);
	px_pb_skip(&c, PX_WIRE_I64);
	assert_failed(&c, "truncated input", 0);
	c = CUR(1, 2, 3);
	px_pb_skip(&c, PX_WIRE_I32);
	assert_failed(&c, "truncated input", 0);
	c = CUR(0x05, 'a');
	px_pb_skip(&c, PX_WIRE_LEN);
	assert_failed(&c, "length past end of input", 1);
	for (uint32_t w = 3; w <= 7; w++) {
		if (w == PX_WIRE_I32)
			continue;
		c = CUR(0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00);
		px_pb_skip(&c, w);
		assert_failed(&c, "unsupported wire type", 0);
	}
}

static void cursor_fail_keeps_first(void **state)
{
	struct px_cursor c = CUR(0x01, 0x02);

	assert_true(px_pb_read_varint(&c) == 1);
	px_cursor_fail(&c, "first");
	px_cursor_fail(&c, "second");
	assert_failed(&c, "first", 1);
}

static void assert_bytes(const struct px_buf *b, const uint8_t *want, size_t len)
{
	assert_true(px_buf_ok(b));
	assert_int_equal(b->len, len);
	assert_memory_equal(b->data, want, len);
}

static void writer_known_bytes(void **state)
{
	struct px_buf b = PX_BUF_INIT;

	px_pb_put_uint64(&b, 1, 150);
	assert_bytes(&b, (const uint8_t[]){ 0x08, 0x96, 0x01 }, 3);
	px_buf_reset(&b);

	px_pb_put_bytes(&b, 2, (const uint8_t *)"testing", 7);
	assert_bytes(&b, (const uint8_t[]){ 0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67 },
		     9);
	px_buf_reset(&b);

	/* Zero values are written, not omitted. */
	px_pb_put_uint64(&b, 3, 0);
	px_pb_put_bool(&b, 4, false);
	px_pb_put_bool(&b, 4, true);
	px_pb_put_bytes(&b, 5, NULL, 0);
	assert_bytes(&b, (const uint8_t[]){ 0x18, 0x00, 0x20, 0x00, 0x20, 0x01, 0x2a, 0x00 },
		     8);
	px_buf_reset(&b);

	px_pb_put_int64(&b, 1, -1);
	assert_bytes(&b,
		     (const uint8_t[]){ 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					0xff, 0x01 },
		     11);
	px_buf_reset(&b);

	px_pb_put_fixed64(&b, 1, 0x0807060504030201ull);
	assert_bytes(&b, (const uint8_t[]){ 0x09, 1, 2, 3, 4, 5, 6, 7, 8 }, 9);
	px_buf_reset(&b);

	px_pb_put_sfixed64(&b, 2, -2);
	assert_bytes(&b, (const uint8_t[]){ 0x11, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		     9);
	px_buf_reset(&b);

	/* Field 16 needs a two-byte key; the largest field a five-byte one. */
	px_pb_put_tag(&b, 16, PX_WIRE_I32);
	px_pb_put_tag(&b, PX_PB_MAX_FIELD, PX_WIRE_LEN);
	assert_bytes(&b, (const uint8_t[]){ 0x85, 0x01, 0xfa, 0xff, 0xff, 0xff, 0x0f }, 7);
	px_buf_free(&b);
}

/* What the writer writes, the reader reads back. */
static void writer_reader_round_trip(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	struct px_cursor c;
	uint32_t field, wire;
	struct px_slice s;

	px_pb_put_int64(&b, 1, INT64_MIN);
	px_pb_put_sfixed64(&b, 2, INT64_MIN);
	px_pb_put_bytes(&b, 3, (const uint8_t *)"xyz", 3);
	px_pb_put_bool(&b, 4, true);
	px_pb_put_uint64(&b, 5, UINT64_MAX);
	assert_true(px_buf_ok(&b));

	c = px_cursor_init(b.data, b.len);
	px_pb_read_tag(&c, &field, &wire);
	assert_true(px_pb_read_int64(&c, wire) == INT64_MIN);
	px_pb_read_tag(&c, &field, &wire);
	assert_true(px_pb_read_sfixed64(&c, wire) == INT64_MIN);
	px_pb_read_tag(&c, &field, &wire);
	px_pb_read_bytes(&c, wire, &s, 3);
	assert_memory_equal(s.ptr, "xyz", 3);
	px_pb_read_tag(&c, &field, &wire);
	assert_true(px_pb_read_bool(&c, wire));
	px_pb_read_tag(&c, &field, &wire);
	assert_int_equal(field, 5);
	assert_true(px_pb_read_uint64(&c, wire) == UINT64_MAX);
	assert_true(px_cursor_ok(&c));
	assert_false(px_cursor_more(&c));
	px_buf_free(&b);
}

/* The writer inherits the buffer's sticky failure. */
static void writer_failed_buffer(void **state)
{
	struct px_buf b = PX_BUF_INIT;

	px_pb_put_uint64(&b, 1, 1);
	assert_false(px_buf_reserve(&b, SIZE_MAX));
	px_pb_put_bytes(&b, 2, (const uint8_t *)"abc", 3);
	px_pb_put_fixed64(&b, 3, 9);
	assert_false(px_buf_ok(&b));
	assert_int_equal(b.len, 2);
	px_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(varint_known_values),
		cmocka_unit_test(varint_round_trip),
		cmocka_unit_test(varint_len),
		cmocka_unit_test(varint_rejects_overlong),
		cmocka_unit_test(varint_rejects_overflow),
		cmocka_unit_test(varint_rejects_truncation),
		cmocka_unit_test(error_is_sticky),
		cmocka_unit_test(tag_reads_field_and_wire),
		cmocka_unit_test(tag_rejects_bad_fields_and_wires),
		cmocka_unit_test(typed_wire_mismatch),
		cmocka_unit_test(int64_and_int32),
		cmocka_unit_test(bool_values),
		cmocka_unit_test(enum_range),
		cmocka_unit_test(fixed_are_little_endian),
		cmocka_unit_test(bytes_with_cap_and_end),
		cmocka_unit_test(sub_message_reads),
		cmocka_unit_test(sub_message_failure_propagates),
		cmocka_unit_test(sub_message_is_bounded),
		cmocka_unit_test(skip_each_wire_type),
		cmocka_unit_test(skip_failures),
		cmocka_unit_test(cursor_fail_keeps_first),
		cmocka_unit_test(writer_known_bytes),
		cmocka_unit_test(writer_reader_round_trip),
		cmocka_unit_test(writer_failed_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
