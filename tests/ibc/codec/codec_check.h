/* cmocka checks shared by the tests of ibc/codec (included by each
 * test_*.c; static functions, so each test file uses what it needs). */
#ifndef PX_TESTS_IBC_CODEC_CHECK_H
#define PX_TESTS_IBC_CODEC_CHECK_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec_samples.h"
#include "common/encoding.h"

static inline struct px_slice url_of(enum ibc_msg_kind kind)
{
	return ibc_str(ibc_msg_type_url(kind));
}

static inline char *dump_str(const struct ibc_msg *m)
{
	json_t *j = sample_dump(m);
	char *s;

	assert_non_null(j);
	s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(j);
	assert_non_null(s);
	return s;
}

static inline void assert_same_msg(const struct ibc_msg *a, const struct ibc_msg *b)
{
	char *sa = dump_str(a), *sb = dump_str(b);

	if (strcmp(sa, sb) != 0)
		fail_msg("decoded message differs:\n got  %s\n want %s", sb, sa);
	free(sa);
	free(sb);
}

static inline void assert_buf_eq(const struct px_buf *a, const uint8_t *b, size_t n)
{
	if (a->len != n || (n && memcmp(a->data, b, n) != 0)) {
		fprintf(stderr, "got  ");
		for (size_t i = 0; i < a->len; i++)
			fprintf(stderr, "%02x", a->data[i]);
		fprintf(stderr, "\nwant ");
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "%02x", b[i]);
		fprintf(stderr, "\n");
		fail_msg("encodings differ");
	}
}

/* decode(encode(x)) == x for every sample variant, by dumps, and the
 * re-encoding is the same bytes; also through the Any wrapper. */
static inline void check_roundtrip(enum ibc_msg_kind kind)
{
	for (int v = 0; v < SAMPLE_VARIANTS; v++) {
		struct ibc_msg m, d, d2;
		struct px_buf b = PX_BUF_INIT, b2 = PX_BUF_INIT, a = PX_BUF_INIT;
		struct px_err err = { 0 };

		sample_fill(&m, kind, v);
		if (!ibc_msg_encode(&err, &b, &m))
			fail_msg("encode %s/%d: %s", ibc_msg_kind_name(kind), v, err.msg);
		if (!ibc_msg_decode(&err, &d, url_of(kind), b.data, b.len))
			fail_msg("decode %s/%d: %s", ibc_msg_kind_name(kind), v, err.msg);
		assert_int_equal(d.kind, kind);
		assert_same_msg(&m, &d);
		assert_true(ibc_msg_encode(&err, &b2, &d));
		assert_buf_eq(&b2, b.data, b.len);

		assert_true(ibc_msg_encode_any(&err, &a, &m));
		assert_true(ibc_msg_decode_any(&err, &d2, a.data, a.len));
		assert_int_equal(d2.kind, kind);
		assert_same_msg(&m, &d2);

		ibc_msg_free(&m);
		ibc_msg_free(&d);
		ibc_msg_free(&d2);
		px_buf_free(&b);
		px_buf_free(&b2);
		px_buf_free(&a);
	}
}

/* Ends of the top-level fields of buf (a valid message). */
static inline bool at_boundary(const uint8_t *buf, size_t len, size_t n)
{
	struct px_cursor c = px_cursor_init(buf, len);

	if (n == 0)
		return true;
	while (px_cursor_more(&c)) {
		uint32_t f, w;

		px_pb_read_tag(&c, &f, &w);
		px_pb_skip(&c, w);
		if (px_cursor_offset(&c) == n)
			return true;
	}
	return false;
}

/* Every truncation of the full sample fails as malformed naming the
 * message, unless it ends exactly between two top-level fields. */
static inline void check_truncations(enum ibc_msg_kind kind)
{
	struct ibc_msg m, d;
	struct px_buf b = PX_BUF_INIT;
	struct px_err err = { 0 };

	sample_fill(&m, kind, 0);
	assert_true(ibc_msg_encode(&err, &b, &m));
	for (size_t n = 0; n < b.len; n++) {
		bool ok;

		px_err_clear(&err);
		ok = ibc_msg_decode(&err, &d, url_of(kind), b.data, n);
		if (ok) {
			if (!at_boundary(b.data, b.len, n))
				fail_msg("%s truncated to %zu bytes decoded", ibc_msg_kind_name(kind), n);
			ibc_msg_free(&d);
			continue;
		}
		assert_int_equal(err.code, PX_E_MALFORMED);
		assert_non_null(strstr(err.msg, ibc_msg_kind_name(kind)));
		assert_int_equal(d.kind, IBC_MSG_UNKNOWN);
	}
	ibc_msg_free(&m);
	px_buf_free(&b);
}

/* buf must be refused as malformed with `why` (and `field`, if given) in
 * the message. */
static inline void expect_malformed(enum ibc_msg_kind kind, const uint8_t *buf, size_t len,
				    const char *field, const char *why)
{
	struct ibc_msg d;
	struct px_err err = { 0 };

	if (ibc_msg_decode(&err, &d, url_of(kind), buf, len)) {
		ibc_msg_free(&d);
		fail_msg("%s accepted, expected \"%s\"", ibc_msg_kind_name(kind), why);
	}
	assert_int_equal(err.code, PX_E_MALFORMED);
	if (!strstr(err.msg, why) || (field && !strstr(err.msg, field)))
		fail_msg("error \"%s\", want \"%s\" / \"%s\"", err.msg, field ? field : "", why);
}

/* A hand-written canonical encoding (hex): it decodes, and re-encoding
 * it gives the same bytes; returns the decoded message (free it). */
static inline void expect_canonical(enum ibc_msg_kind kind, const char *hexstr, struct ibc_msg *d,
				    struct px_buf *raw)
{
	struct px_buf b = PX_BUF_INIT;
	struct px_err err = { 0 };

	/* d borrows raw: the caller frees both. */
	if (!px_hex_decode(&err, raw, hexstr, strlen(hexstr), false))
		fail_msg("bad hex in test: %s", err.msg);
	if (!ibc_msg_decode(&err, d, url_of(kind), raw->data, raw->len))
		fail_msg("decode %s: %s", ibc_msg_kind_name(kind), err.msg);
	assert_true(ibc_msg_encode(&err, &b, d));
	assert_buf_eq(&b, raw->data, raw->len);
	px_buf_free(&b);
}

/* encode(m) is exactly hexstr. */
static inline void expect_encoding(const struct ibc_msg *m, const char *hexstr)
{
	struct px_buf raw = PX_BUF_INIT, b = PX_BUF_INIT;
	struct px_err err = { 0 };

	assert_true(px_hex_decode(&err, &raw, hexstr, strlen(hexstr), false));
	if (!ibc_msg_encode(&err, &b, m))
		fail_msg("encode: %s", err.msg);
	assert_buf_eq(&b, raw.data, raw.len);
	px_buf_free(&b);
	px_buf_free(&raw);
}

#endif
