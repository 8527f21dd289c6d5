/* Shared reader/writer helpers of the IBC codecs, and Height and Any. */
#include "ibc/codec/base.h"

#include <string.h>

/* Go's time.Time range as google.protobuf.Timestamp allows it:
 * 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999999Z. */
#define TS_MIN_SECONDS INT64_C(-62135596800)
#define TS_MAX_SECONDS INT64_C(253402300799)
#define NS_PER_S UINT64_C(1000000000)

const char ibc_pb_nomem[] = "out of memory";

void ibc_pb_key(struct px_cursor *c, uint64_t *seen, uint64_t singular, uint32_t *field,
		uint32_t *wire)
{
	px_pb_read_tag(c, field, wire);
	if (!px_cursor_ok(c) || *field >= 64)
		return;
	if (singular & IBC_F(*field)) {
		if (*seen & IBC_F(*field)) {
			px_cursor_fail(c, "duplicate field");
			return;
		}
		*seen |= IBC_F(*field);
	}
}

void ibc_pb_note(struct ibc_where *w, const struct px_cursor *c, const char *msg,
		 const char *const *names, size_t n, uint32_t field)
{
	if (px_cursor_ok(c) || w->msg)
		return;
	w->msg = msg;
	w->field = field < n && names[field] ? names[field] : "unknown field";
}

bool ibc_pb_decode(struct px_err *err, const char *what, ibc_pb_reader rd, ibc_pb_freer fr,
		   void *out, size_t out_size, const uint8_t *buf, size_t len)
{
	struct px_cursor c = px_cursor_init(buf, len);
	struct ibc_where w = { NULL, NULL };

	memset(out, 0, out_size);
	if (len > IBC_MAX_MESSAGE)
		return px_err_set(err, PX_E_TOO_LARGE, "%s: %zu bytes, over the %u-byte cap", what,
				  len, IBC_MAX_MESSAGE);
	rd(&c, &w, out);
	if (px_cursor_ok(&c))
		return true;
	if (fr)
		fr(out);
	memset(out, 0, out_size);
	if (px_cursor_error(&c) == ibc_pb_nomem)
		return px_err_set(err, PX_E_NOMEM, "%s: out of memory", what);
	if (w.msg)
		return px_err_set(err, PX_E_MALFORMED, "%s: %s.%s: %s at byte %zu", what, w.msg,
				  w.field, px_cursor_error(&c), px_cursor_offset(&c));
	return px_err_set(err, PX_E_MALFORMED, "%s: %s at byte %zu", what, px_cursor_error(&c),
			  px_cursor_offset(&c));
}

bool ibc_pb_encode(struct px_err *err, const char *what, ibc_pb_writer wr, struct px_buf *out,
		   const void *in)
{
	struct ibc_writer w = { out, NULL };
	size_t start = out->len;

	if (!px_buf_ok(out))
		return px_err_set(err, PX_E_NOMEM, "%s: output buffer already failed", what);
	wr(&w, in);
	if (!w.error && px_buf_ok(out))
		return true;
	if (px_buf_ok(out))
		out->len = start;
	if (w.error)
		return px_err_set(err, PX_E_MALFORMED, "%s: cannot encode: %s", what, w.error);
	return px_err_set(err, PX_E_NOMEM, "%s: out of memory", what);
}

void ibc_pb_writer_fail(struct ibc_writer *w, const char *why)
{
	if (!w->error)
		w->error = why;
}

/* ---- readers */

void ibc_pb_read_id(struct px_cursor *c, uint32_t wire, char *out, size_t size)
{
	struct px_slice s;

	px_pb_read_bytes(c, wire, &s, size - 1);
	if (!px_cursor_ok(c))
		return;
	if (s.len && memchr(s.ptr, 0, s.len)) {
		px_cursor_fail(c, "NUL byte in string");
		return;
	}
	if (s.len)
		memcpy(out, s.ptr, s.len);
	out[s.len] = '\0';
}

void ibc_pb_read_text(struct px_cursor *c, uint32_t wire, struct px_slice *out, size_t max)
{
	px_pb_read_bytes(c, wire, out, max);
}

void ibc_pb_read_sub(struct px_cursor *c, struct ibc_where *w, uint32_t wire, size_t max,
		     ibc_pb_reader rd, void *out)
{
	struct px_cursor sub;

	px_pb_read_message(c, wire, &sub, max);
	if (!px_cursor_ok(c))
		return;
	rd(&sub, w, out);
}

size_t ibc_pb_count(struct px_cursor *c, uint32_t field, size_t max)
{
	struct px_cursor scan = *c;
	size_t n = 0;

	scan.parent = NULL;
	while (px_cursor_more(&scan)) {
		uint32_t f, wire;

		px_pb_read_tag(&scan, &f, &wire);
		px_pb_skip(&scan, wire);
		if (px_cursor_ok(&scan) && f == field && ++n > max) {
			px_cursor_fail(c, "too many entries");
			return 0;
		}
	}
	return n;
}

void ibc_height_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("revision_number", "revision_height");
	struct ibc_height *h = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, IBC_F(1) | IBC_F(2), &field, &wire);
		switch (field) {
		case 1: h->revision_number = px_pb_read_uint64(c, wire); break;
		case 2: h->revision_height = px_pb_read_uint64(c, wire); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "Height", names, IBC_COUNT(names), field);
	}
}

void ibc_pb_read_height(struct px_cursor *c, struct ibc_where *w, uint32_t wire,
			struct ibc_height *out)
{
	ibc_pb_read_sub(c, w, wire, 32, ibc_height_read, out);
}

/* Timestamp and Duration share a shape: int64 seconds = 1, int32 nanos = 2. */
static const char *const sn_names[] = { "key", "seconds", "nanos" };

static void seconds_nanos_read(struct px_cursor *c, struct ibc_where *w, const char *msg,
			       struct px_time *out)
{
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, IBC_F(1) | IBC_F(2), &field, &wire);
		switch (field) {
		case 1: out->seconds = px_pb_read_int64(c, wire); break;
		case 2:
			out->nanos = px_pb_read_int32(c, wire);
			if (px_cursor_ok(c) && (out->nanos < 0 || out->nanos >= (int32_t)NS_PER_S))
				px_cursor_fail(c, "nanos out of range");
			break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, msg, sn_names, IBC_COUNT(sn_names), field);
	}
}

static void timestamp_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	struct px_time *t = out;

	seconds_nanos_read(c, w, "Timestamp", t);
	if (px_cursor_ok(c) && (t->seconds < TS_MIN_SECONDS || t->seconds > TS_MAX_SECONDS)) {
		px_cursor_fail(c, "time outside years 0001..9999");
		ibc_pb_note(w, c, "Timestamp", sn_names, IBC_COUNT(sn_names), 1);
	}
}

void ibc_pb_read_timestamp(struct px_cursor *c, struct ibc_where *w, uint32_t wire,
			   struct px_time *out)
{
	ibc_pb_read_sub(c, w, wire, 64, timestamp_read, out);
}

static void duration_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	struct px_time t = { 0, 0 };
	uint64_t *ns = out;

	seconds_nanos_read(c, w, "Duration", &t);
	if (!px_cursor_ok(c))
		return;
	/* gogoproto stdduration is a Go time.Duration: int64 nanoseconds. */
	if (t.seconds < 0 || (uint64_t)t.seconds > (uint64_t)INT64_MAX / NS_PER_S ||
	    (uint64_t)t.seconds * NS_PER_S + (uint64_t)t.nanos > (uint64_t)INT64_MAX) {
		px_cursor_fail(c, "duration negative or past int64 nanoseconds");
		ibc_pb_note(w, c, "Duration", sn_names, IBC_COUNT(sn_names), 1);
		return;
	}
	*ns = (uint64_t)t.seconds * NS_PER_S + (uint64_t)t.nanos;
}

void ibc_pb_read_duration(struct px_cursor *c, struct ibc_where *w, uint32_t wire, uint64_t *ns)
{
	ibc_pb_read_sub(c, w, wire, 64, duration_read, ns);
}

void ibc_any_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("type_url", "value");
	struct ibc_any *a = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, IBC_F(1) | IBC_F(2), &field, &wire);
		switch (field) {
		case 1: ibc_pb_read_text(c, wire, &a->type_url, IBC_MAX_TYPE_URL); break;
		case 2: px_pb_read_bytes(c, wire, &a->value, IBC_MAX_ANY_VALUE); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "Any", names, IBC_COUNT(names), field);
	}
}

void ibc_pb_read_any(struct px_cursor *c, struct ibc_where *w, uint32_t wire, struct ibc_any *out)
{
	ibc_pb_read_sub(c, w, wire, IBC_MAX_TYPE_URL + IBC_MAX_ANY_VALUE + 16, ibc_any_read, out);
}

/* ---- writers */

void ibc_pb_put_id(struct ibc_writer *w, uint32_t field, const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	if (n == size) {
		ibc_pb_writer_fail(w, "string not terminated");
		return;
	}
	if (n)
		px_pb_put_bytes(w->b, field, (const uint8_t *)s, n);
}

void ibc_pb_put_bytes(struct ibc_writer *w, uint32_t field, struct px_slice s)
{
	if (s.len)
		px_pb_put_bytes(w->b, field, s.ptr, s.len);
}

void ibc_pb_put_u64(struct ibc_writer *w, uint32_t field, uint64_t v)
{
	if (v)
		px_pb_put_uint64(w->b, field, v);
}

void ibc_pb_put_i64(struct ibc_writer *w, uint32_t field, int64_t v)
{
	if (v)
		px_pb_put_int64(w->b, field, v);
}

void ibc_pb_put_bool(struct ibc_writer *w, uint32_t field, bool v)
{
	if (v)
		px_pb_put_bool(w->b, field, true);
}

/* Writes the message after a placeholder-free gap: the fields go first,
 * then key and length are inserted in front of them (one memmove per
 * level, which keeps every writer single-pass). */
void ibc_pb_put_sub(struct ibc_writer *w, uint32_t field, ibc_pb_writer wr, const void *in)
{
	struct px_buf *b = w->b;
	size_t start = b->len, n, hlen;
	uint64_t key = (uint64_t)field << 3 | PX_WIRE_LEN;
	uint8_t head[20];
	size_t h = 0;

	wr(w, in);
	if (!px_buf_ok(b))
		return;
	n = b->len - start;
	for (uint64_t v = key; ; v >>= 7) {
		head[h++] = (uint8_t)(v >= 0x80 ? (v & 0x7f) | 0x80 : v);
		if (v < 0x80)
			break;
	}
	for (uint64_t v = n; ; v >>= 7) {
		head[h++] = (uint8_t)(v >= 0x80 ? (v & 0x7f) | 0x80 : v);
		if (v < 0x80)
			break;
	}
	hlen = h;
	if (!px_buf_reserve(b, hlen))
		return;
	memmove(b->data + start + hlen, b->data + start, n);
	memcpy(b->data + start, head, hlen);
	b->len += hlen;
}

void ibc_height_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_height *h = in;

	ibc_pb_put_u64(w, 1, h->revision_number);
	ibc_pb_put_u64(w, 2, h->revision_height);
}

void ibc_pb_put_height(struct ibc_writer *w, uint32_t field, struct ibc_height h)
{
	ibc_pb_put_sub(w, field, ibc_height_write, &h);
}

static void seconds_nanos_write(struct ibc_writer *w, const void *in)
{
	const struct px_time *t = in;

	ibc_pb_put_i64(w, 1, t->seconds);
	ibc_pb_put_i64(w, 2, t->nanos);
}

void ibc_pb_put_timestamp(struct ibc_writer *w, uint32_t field, struct px_time t)
{
	if (t.seconds < TS_MIN_SECONDS || t.seconds > TS_MAX_SECONDS || t.nanos < 0 ||
	    t.nanos >= (int32_t)NS_PER_S) {
		ibc_pb_writer_fail(w, "time out of range");
		return;
	}
	ibc_pb_put_sub(w, field, seconds_nanos_write, &t);
}

void ibc_pb_put_duration(struct ibc_writer *w, uint32_t field, uint64_t ns)
{
	struct px_time t;

	if (ns > (uint64_t)INT64_MAX) {
		ibc_pb_writer_fail(w, "duration past int64 nanoseconds");
		return;
	}
	t.seconds = (int64_t)(ns / NS_PER_S);
	t.nanos = (int32_t)(ns % NS_PER_S);
	ibc_pb_put_sub(w, field, seconds_nanos_write, &t);
}

void ibc_any_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_any *a = in;

	if (a->type_url.len > IBC_MAX_TYPE_URL || a->value.len > IBC_MAX_ANY_VALUE) {
		ibc_pb_writer_fail(w, "Any over its caps");
		return;
	}
	ibc_pb_put_bytes(w, 1, a->type_url);
	ibc_pb_put_bytes(w, 2, a->value);
}

void ibc_pb_put_any(struct ibc_writer *w, uint32_t field, const struct ibc_any *a)
{
	ibc_pb_put_sub(w, field, ibc_any_write, a);
}

/* ---- public Height and Any */

bool ibc_height_decode(struct px_err *err, struct ibc_height *out, const uint8_t *buf, size_t len)
{
	return ibc_pb_decode(err, "Height", ibc_height_read, NULL, out, sizeof(*out), buf, len);
}

bool ibc_height_encode(struct px_err *err, struct px_buf *out, const struct ibc_height *in)
{
	return ibc_pb_encode(err, "Height", ibc_height_write, out, in);
}

bool ibc_any_decode(struct px_err *err, struct ibc_any *out, const uint8_t *buf, size_t len)
{
	return ibc_pb_decode(err, "Any", ibc_any_read, NULL, out, sizeof(*out), buf, len);
}

bool ibc_any_encode(struct px_err *err, struct px_buf *out, const struct ibc_any *in)
{
	return ibc_pb_encode(err, "Any", ibc_any_write, out, in);
}
