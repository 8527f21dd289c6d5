/* Fuzz target: the strict RLP reader. Any input rlp_check accepts must
 * re-encode (item by item, through the writer) to exactly the same bytes,
 * since the decoder accepts canonical encodings only; and the cursor must
 * never read past its input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/protobuf.h"
#include "lightclient/ethereum/rlp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void reencode(struct px_cursor *c, struct px_buf *b, unsigned depth)
{
	while (px_cursor_more(c)) {
		struct rlp_item it;

		rlp_read_item(c, &it, RLP_MAX_ITEM);
		if (!px_cursor_ok(c))
			return;
		if (it.raw.ptr < c->buf || it.raw.ptr + it.raw.len > c->buf + c->len)
			abort();
		if (it.is_list && depth < RLP_MAX_DEPTH) {
			struct px_cursor sub = px_cursor_init(it.payload.ptr, it.payload.len);
			size_t start = rlp_list_begin(b);

			sub.parent = c;
			reencode(&sub, b, depth + 1);
			rlp_list_end(b, start);
		} else if (it.is_list) {
			px_buf_append(b, it.raw.ptr, it.raw.len);
		} else {
			rlp_put_bytes(b, it.payload.ptr, it.payload.len);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct px_err err = { 0 };
	bool ok = rlp_check(&err, data, size, 0);

	if (ok) {
		struct px_cursor c = px_cursor_init(data, size);
		struct px_buf b = PX_BUF_INIT;

		reencode(&c, &b, 1);
		if (!px_cursor_ok(&c) || !px_buf_ok(&b) || b.len != size || memcmp(b.data, data, size) != 0)
			abort();
		px_buf_free(&b);
	} else if (err.code < 200 || err.code >= 300) {
		abort();	/* malformed input is always 2xx */
	}
	/* Integer reads never succeed on a non-canonical integer. */
	{
		struct px_cursor c = px_cursor_init(data, size);
		uint64_t v = rlp_read_u64(&c);

		if (px_cursor_ok(&c)) {
			struct px_buf b = PX_BUF_INIT;

			rlp_put_u64(&b, v);
			if (!px_buf_ok(&b) || b.len != c.off || memcmp(b.data, data, b.len) != 0)
				abort();
			px_buf_free(&b);
		}
	}
	return 0;
}
