/* Protobuf wire format. The reader is a cursor over untrusted bytes whose
 * first error sticks: every later read returns zero and does nothing, so a
 * decoder checks px_cursor_ok() once at the end. A sub-cursor (for an
 * embedded message) reports its failure to its parent as well. Varints must
 * be canonical (shortest form), lengths are checked against the caller's
 * cap and the remaining bytes, and groups are refused.
 *
 * The writer appends to a px_buf and inherits its sticky failure. */
#ifndef PX_COMMON_PROTOBUF_H
#define PX_COMMON_PROTOBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

enum px_wire {
	PX_WIRE_VARINT = 0,
	PX_WIRE_I64 = 1,
	PX_WIRE_LEN = 2,
	PX_WIRE_I32 = 5,
};

#define PX_PB_MAX_FIELD ((1u << 29) - 1)

struct px_cursor {
	const uint8_t *buf;
	size_t len;
	size_t off;
	size_t base;		/* offset of buf[0] in the outermost input */
	const char *error;	/* static string; NULL while all is well */
	size_t error_off;	/* absolute offset of the failure */
	struct px_cursor *parent;
};

struct px_cursor px_cursor_init(const uint8_t *buf, size_t len);

static inline bool px_cursor_ok(const struct px_cursor *c) { return c->error == NULL; }
static inline bool px_cursor_more(const struct px_cursor *c)
{
	return c->error == NULL && c->off < c->len;
}
static inline const char *px_cursor_error(const struct px_cursor *c) { return c->error; }
static inline size_t px_cursor_offset(const struct px_cursor *c)
{
	return c->error ? c->error_off : c->base + c->off;
}

/* Records why (a static string) at the current offset, here and in every
 * parent, unless an error is already recorded. */
void px_cursor_fail(struct px_cursor *c, const char *why);

/* Raw reads. */
uint64_t px_pb_read_varint(struct px_cursor *c);
uint32_t px_pb_read_fixed32(struct px_cursor *c);
uint64_t px_pb_read_fixed64(struct px_cursor *c);

/* Reads a key. Field number 0, field numbers past 2^29-1 and the group
 * wire types are errors. */
void px_pb_read_tag(struct px_cursor *c, uint32_t *field, uint32_t *wire);

/* Typed reads of a field's value; `wire` is the wire type the tag carried
 * and a mismatch is an error. */
uint64_t px_pb_read_uint64(struct px_cursor *c, uint32_t wire);
int64_t px_pb_read_int64(struct px_cursor *c, uint32_t wire);	/* two's complement varint */
int32_t px_pb_read_int32(struct px_cursor *c, uint32_t wire);	/* must fit in int32 */
bool px_pb_read_bool(struct px_cursor *c, uint32_t wire);	/* 0 or 1 only */
int64_t px_pb_read_sfixed64(struct px_cursor *c, uint32_t wire);
/* An enum value that must be in [0, max]. */
uint32_t px_pb_read_enum(struct px_cursor *c, uint32_t wire, uint32_t max);
/* Length-delimited bytes, borrowed from the input, at most max bytes. */
void px_pb_read_bytes(struct px_cursor *c, uint32_t wire, struct px_slice *out, size_t max);
/* An embedded message of at most max bytes as a sub-cursor of c. */
void px_pb_read_message(struct px_cursor *c, uint32_t wire, struct px_cursor *sub, size_t max);
/* Skips a field of an unknown number. */
void px_pb_skip(struct px_cursor *c, uint32_t wire);

/* Length of the varint encoding of v (1..10). */
size_t px_pb_varint_len(uint64_t v);

/* Writer. Each put_* writes a whole field (key and value), always, even for
 * zero values: omitting defaults is the caller's decision. */
void px_pb_put_varint(struct px_buf *b, uint64_t v);
void px_pb_put_tag(struct px_buf *b, uint32_t field, enum px_wire wire);
void px_pb_put_uint64(struct px_buf *b, uint32_t field, uint64_t v);
void px_pb_put_int64(struct px_buf *b, uint32_t field, int64_t v);
void px_pb_put_bool(struct px_buf *b, uint32_t field, bool v);
void px_pb_put_fixed64(struct px_buf *b, uint32_t field, uint64_t v);
void px_pb_put_sfixed64(struct px_buf *b, uint32_t field, int64_t v);
void px_pb_put_bytes(struct px_buf *b, uint32_t field, const uint8_t *data, size_t len);

#endif
