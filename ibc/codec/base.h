/* The base of the IBC protobuf codecs (ibc/codec/): Height, Any, the caps
 * every decoder applies, and the reader/writer helpers the message codecs
 * share. Wire formats are ibc-go's (gogoproto, proto3) byte for byte:
 *
 *  - scalars, strings and bytes equal to their default are omitted;
 *  - fields are written in field-number order;
 *  - gogoproto non-nullable embedded messages (Height, Counterparty,
 *    Timestamp, Duration, ...) are always written, even when empty;
 *  - nullable embedded messages (Any, ValidatorSet, ...) carry a has_X
 *    flag: written when true, absent when false.
 *
 * Decoders are strict: canonical varints, a cap on every length and count,
 * a singular field seen twice is refused, a known field with the wrong wire
 * type is refused, unknown fields are skipped, and trailing bytes cannot
 * exist (a message is its whole input). A field written with its default
 * value is accepted (proto3 allows it), so encode(decode(x)) == x holds for
 * what ibc-go writes, not for every accepted input. Failures are
 * PX_E_MALFORMED "MsgX: Message.field: why at byte N" naming the innermost
 * message and field (PX_E_NOMEM when allocation fails).
 *
 * Memory: decoded structs borrow bytes from the input (struct px_slice; the
 * caller keeps the input alive) and own the arrays they allocate (only the
 * CometBFT validator and signature lists: see tendermint.h). Identifiers are
 * copied into the bounded char arrays of ibc/types.h. */
#ifndef PX_IBC_CODEC_BASE_H
#define PX_IBC_CODEC_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/buf.h"
#include "common/errors.h"
#include "common/protobuf.h"
#include "common/rfc3339.h"
#include "ibc/types.h"

/* Caps (STYLE rule 13). */
#define IBC_MAX_TYPE_URL 256u
#define IBC_MAX_ANY_VALUE (8u << 20)	/* a Header with 10k validators fits */
#define IBC_MAX_SIGNER 2048u		/* ibc-go MaximumReceiverLength */
#define IBC_MAX_MEMO 32768u		/* ibc-go MaximumMemoLength */
#define IBC_MAX_PROOF (1u << 20)	/* one proof field (a MerkleProof) */
#define IBC_MAX_ACK (1u << 20)
#define IBC_MAX_TEXT 4096u		/* version strings, denoms, amounts */
#define IBC_MAX_MESSAGE (16u << 20)	/* any one encoded message */

/* google.protobuf.Any. Both slices are borrowed. */
struct ibc_any {
	struct px_slice type_url;
	struct px_slice value;
};

/* A borrowed slice over a NUL-terminated string (for filling messages). */
static inline struct px_slice ibc_str(const char *s)
{
	struct px_slice v = { (const uint8_t *)s, s ? strlen(s) : 0 };
	return v;
}

bool ibc_height_decode(struct px_err *err, struct ibc_height *out, const uint8_t *buf,
		       size_t len) PX_MUST_CHECK;
bool ibc_height_encode(struct px_err *err, struct px_buf *out, const struct ibc_height *in) PX_MUST_CHECK;
bool ibc_any_decode(struct px_err *err, struct ibc_any *out, const uint8_t *buf, size_t len) PX_MUST_CHECK;
bool ibc_any_encode(struct px_err *err, struct px_buf *out, const struct ibc_any *in) PX_MUST_CHECK;

/* ---- Building blocks shared by the codec files (not for other layers). */

/* Where a decode failed: the innermost message and field, static strings. */
struct ibc_where {
	const char *msg;
	const char *field;
};

/* The writer: a buffer and the first reason the input cannot be encoded
 * (a static string; out-of-range values, counts over their arrays). */
struct ibc_writer {
	struct px_buf *b;
	const char *error;
};

/* The cursor error a reader records when an allocation fails; the
 * top-level decode turns it into PX_E_NOMEM. */
extern const char ibc_pb_nomem[];

#define IBC_F(n) ((uint64_t)1 << (n))
#define IBC_NAMES(...) static const char *const names[] = { "key", __VA_ARGS__ }
#define IBC_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Reads a key; a field in the singular mask seen a second time fails. */
void ibc_pb_key(struct px_cursor *c, uint64_t *seen, uint64_t singular, uint32_t *field,
		uint32_t *wire);
/* After a field: records msg and the field's name (names[field], or
 * "field N" past the table) if the cursor has just failed. */
void ibc_pb_note(struct ibc_where *w, const struct px_cursor *c, const char *msg,
		 const char *const *names, size_t n, uint32_t field);

typedef void (*ibc_pb_reader)(struct px_cursor *c, struct ibc_where *w, void *out);
typedef void (*ibc_pb_writer)(struct ibc_writer *w, const void *in);
typedef void (*ibc_pb_freer)(void *out);

/* Top-level decode: zeroes out, runs rd over the whole input, and on
 * failure frees (fr may be NULL), zeroes out and fills err naming what. */
bool ibc_pb_decode(struct px_err *err, const char *what, ibc_pb_reader rd, ibc_pb_freer fr,
		   void *out, size_t out_size, const uint8_t *buf, size_t len) PX_MUST_CHECK;
/* Top-level encode: appends to out; on failure out is as it was. */
bool ibc_pb_encode(struct px_err *err, const char *what, ibc_pb_writer wr, struct px_buf *out,
		   const void *in) PX_MUST_CHECK;

/* Defines NAME_decode and NAME_encode over NAME_read and NAME_write. */
#define IBC_PB_DEFINE(name, type, what, freer)                                          \
	bool name##_decode(struct px_err *err, type *out, const uint8_t *buf, size_t len) \
	{                                                                                 \
		return ibc_pb_decode(err, what, name##_read, freer, out, sizeof(*out), buf, \
				     len);                                                \
	}                                                                                 \
	bool name##_encode(struct px_err *err, struct px_buf *out, const type *in)        \
	{                                                                                 \
		return ibc_pb_encode(err, what, name##_write, out, in);                   \
	}

/* Field readers (wire is the wire type the key carried). */
void ibc_pb_read_id(struct px_cursor *c, uint32_t wire, char *out, size_t size);
void ibc_pb_read_text(struct px_cursor *c, uint32_t wire, struct px_slice *out, size_t max);
void ibc_pb_read_height(struct px_cursor *c, struct ibc_where *w, uint32_t wire,
			struct ibc_height *out);
void ibc_pb_read_timestamp(struct px_cursor *c, struct ibc_where *w, uint32_t wire,
			   struct px_time *out);
void ibc_pb_read_duration(struct px_cursor *c, struct ibc_where *w, uint32_t wire, uint64_t *ns);
void ibc_pb_read_any(struct px_cursor *c, struct ibc_where *w, uint32_t wire, struct ibc_any *out);
/* Reads an embedded message with rd; fails when the sub-message does not
 * consume its bytes exactly (it always does unless rd stopped on error). */
void ibc_pb_read_sub(struct px_cursor *c, struct ibc_where *w, uint32_t wire, size_t max,
		     ibc_pb_reader rd, void *out);

/* Counts occurrences of `field` in the rest of c without moving c (for
 * allocating a repeated field once); fails past max. */
size_t ibc_pb_count(struct px_cursor *c, uint32_t field, size_t max);

/* Field writers: default values omitted (str, bytes, u64, i64, bool). */
void ibc_pb_put_id(struct ibc_writer *w, uint32_t field, const char *s, size_t size);
void ibc_pb_put_bytes(struct ibc_writer *w, uint32_t field, struct px_slice s);
void ibc_pb_put_u64(struct ibc_writer *w, uint32_t field, uint64_t v);
void ibc_pb_put_i64(struct ibc_writer *w, uint32_t field, int64_t v);
void ibc_pb_put_bool(struct ibc_writer *w, uint32_t field, bool v);
/* An embedded message, always written (wr writes its fields). */
void ibc_pb_put_sub(struct ibc_writer *w, uint32_t field, ibc_pb_writer wr, const void *in);
void ibc_pb_put_height(struct ibc_writer *w, uint32_t field, struct ibc_height h);
void ibc_pb_put_timestamp(struct ibc_writer *w, uint32_t field, struct px_time t);
void ibc_pb_put_duration(struct ibc_writer *w, uint32_t field, uint64_t ns);
void ibc_pb_put_any(struct ibc_writer *w, uint32_t field, const struct ibc_any *a);
void ibc_pb_writer_fail(struct ibc_writer *w, const char *why);

/* Message readers/writers for embedding. */
void ibc_height_read(struct px_cursor *c, struct ibc_where *w, void *out);
void ibc_height_write(struct ibc_writer *w, const void *in);
void ibc_any_read(struct px_cursor *c, struct ibc_where *w, void *out);
void ibc_any_write(struct ibc_writer *w, const void *in);

#endif
