/* Fuzz target: the protobuf wire reader. Walks arbitrary bytes as a
 * message, descending into every length-delimited field as a possible
 * sub-message, and checks the cursor's invariants. */
#include <stdint.h>
#include <stdlib.h>

#include "common/protobuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(struct px_cursor *c, int depth)
{
	while (px_cursor_more(c)) {
		uint32_t field, wire;

		px_pb_read_tag(c, &field, &wire);
		if (wire == PX_WIRE_LEN && depth < 8) {
			struct px_cursor sub;
			struct px_cursor probe;

			px_pb_read_message(c, wire, &sub, 1u << 20);
			/* Errors inside a guessed sub-message must not poison
			 * the parent, so walk a detached copy. */
			probe = sub;
			probe.parent = NULL;
			walk(&probe, depth + 1);
		} else if (wire == PX_WIRE_VARINT) {
			(void)px_pb_read_bool(c, wire);
		} else {
			px_pb_skip(c, wire);
		}
	}
	if (c->off > c->len)
		abort();
	if (!px_cursor_ok(c) && px_pb_read_varint(c) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct px_cursor c = px_cursor_init(data, size);
	struct px_buf b = PX_BUF_INIT;

	walk(&c, 0);

	/* Round trip: any varint the reader accepts re-encodes to the same
	 * bytes (canonical form). */
	c = px_cursor_init(data, size);
	{
		uint64_t v = px_pb_read_varint(&c);

		if (px_cursor_ok(&c)) {
			px_pb_put_varint(&b, v);
			if (!px_buf_ok(&b) || b.len != c.off)
				abort();
			for (size_t i = 0; i < b.len; i++)
				if (b.data[i] != data[i])
					abort();
		}
	}
	px_buf_free(&b);
	return 0;
}
