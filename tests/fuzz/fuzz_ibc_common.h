/* Shared property of the ibc/codec fuzz targets: any input decodes or
 * fails cleanly (a 1xx/2xx code, the output zeroed); what decodes encodes,
 * and that encoding decodes again to the same bytes (encode is a fixed
 * point after one round: it drops unknown fields and explicit defaults). */
#ifndef PX_TESTS_FUZZ_IBC_COMMON_H
#define PX_TESTS_FUZZ_IBC_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ibc/codec/msg.h"

static inline void fuzz_ibc_check(enum ibc_msg_kind kind, const uint8_t *data, size_t size)
{
	struct ibc_msg m, m2;
	struct px_err err = { 0 };
	struct px_buf b = PX_BUF_INIT, b2 = PX_BUF_INIT;
	struct px_slice url = ibc_str(ibc_msg_type_url(kind));

	if (!ibc_msg_decode(&err, &m, url, data, size)) {
		if (err.code < 100 || err.code >= 300 || m.kind != IBC_MSG_UNKNOWN)
			abort();
		return;
	}
	if (m.kind != kind)
		abort();
	if (!ibc_msg_encode(&err, &b, &m))
		abort();
	if (!ibc_msg_decode(&err, &m2, url, b.data, b.len))
		abort();
	if (!ibc_msg_encode(&err, &b2, &m2))
		abort();
	if (b.len != b2.len || (b.len && memcmp(b.data, b2.data, b.len) != 0))
		abort();
	ibc_msg_free(&m);
	ibc_msg_free(&m2);
	px_buf_free(&b);
	px_buf_free(&b2);
}

/* The first byte picks one of kinds[], the rest is the message. */
static inline void fuzz_ibc_pick(const enum ibc_msg_kind *kinds, size_t n, const uint8_t *data,
				 size_t size)
{
	if (size == 0)
		return;
	fuzz_ibc_check(kinds[data[0] % n], data + 1, size - 1);
}

#endif
