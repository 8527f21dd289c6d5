/* Growable byte buffer and a non-owning byte slice. The buffer's failure is
 * sticky: after an allocation fails every append is ignored and
 * px_buf_ok() says so, which lets encoders check once at the end. */
#ifndef PX_COMMON_BUF_H
#define PX_COMMON_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/errors.h"

/* Borrowed bytes; the owner is whoever owns the memory it points into. */
struct px_slice {
	const uint8_t *ptr;
	size_t len;
};

struct px_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
	bool failed;
};

#define PX_BUF_INIT { NULL, 0, 0, false }

void px_buf_init(struct px_buf *b);
void px_buf_free(struct px_buf *b);
/* Keeps the allocation, forgets the contents and the failure. */
void px_buf_reset(struct px_buf *b);
bool px_buf_reserve(struct px_buf *b, size_t extra) PX_MUST_CHECK;
void px_buf_append(struct px_buf *b, const void *data, size_t len);
void px_buf_push(struct px_buf *b, uint8_t byte);
static inline bool px_buf_ok(const struct px_buf *b) { return !b->failed; }
/* Wipes the contents before freeing (for secrets). */
void px_buf_wipe(struct px_buf *b);

static inline struct px_slice px_slice_of(const struct px_buf *b)
{
	struct px_slice s = { b->data, b->len };
	return s;
}

bool px_slice_eq(struct px_slice a, struct px_slice b);
/* memcmp order, shorter first when one is a prefix of the other. */
int px_slice_cmp(struct px_slice a, struct px_slice b);
bool px_slice_has_prefix(struct px_slice s, struct px_slice prefix);

/* A bump allocator for parse trees: everything is freed at once. */
struct px_arena_block;
struct px_arena {
	struct px_arena_block *head;
	size_t total;
	size_t limit; /* 0: no limit */
};

void px_arena_init(struct px_arena *a, size_t limit);
/* Zeroed memory aligned for any type, or NULL when out of memory or past
 * the limit. */
void *px_arena_alloc(struct px_arena *a, size_t size);
void *px_arena_calloc(struct px_arena *a, size_t n, size_t size);
void px_arena_free(struct px_arena *a);

#endif
