/* Byte buffers, slices and the arena used by parsers for their trees. */
#include "common/buf.h"

#include <stdlib.h>
#include <string.h>

void px_buf_init(struct px_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->failed = false;
}

void px_buf_free(struct px_buf *b)
{
	free(b->data);
	px_buf_init(b);
}

void px_buf_wipe(struct px_buf *b)
{
	if (b->data) {
		volatile uint8_t *p = b->data;
		for (size_t i = 0; i < b->cap; i++)
			p[i] = 0;
	}
	px_buf_free(b);
}

void px_buf_reset(struct px_buf *b)
{
	b->len = 0;
	b->failed = false;
}

bool px_buf_reserve(struct px_buf *b, size_t extra)
{
	size_t need, cap;
	uint8_t *p;

	if (b->failed)
		return false;
	if (extra > SIZE_MAX - b->len)
		goto fail;
	need = b->len + extra;
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : 64;
	while (cap < need) {
		if (cap > SIZE_MAX / 2) {
			cap = need;
			break;
		}
		cap *= 2;
	}
	p = realloc(b->data, cap);
	if (!p)
		goto fail;
	b->data = p;
	b->cap = cap;
	return true;
fail:
	b->failed = true;
	return false;
}

void px_buf_append(struct px_buf *b, const void *data, size_t len)
{
	if (len == 0 || !px_buf_reserve(b, len))
		return;
	memcpy(b->data + b->len, data, len);
	b->len += len;
}

void px_buf_push(struct px_buf *b, uint8_t byte)
{
	if (!px_buf_reserve(b, 1))
		return;
	b->data[b->len++] = byte;
}

bool px_slice_eq(struct px_slice a, struct px_slice b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

int px_slice_cmp(struct px_slice a, struct px_slice b)
{
	size_t n = a.len < b.len ? a.len : b.len;
	int c = n ? memcmp(a.ptr, b.ptr, n) : 0;

	if (c != 0)
		return c < 0 ? -1 : 1;
	if (a.len == b.len)
		return 0;
	return a.len < b.len ? -1 : 1;
}

bool px_slice_has_prefix(struct px_slice s, struct px_slice prefix)
{
	return s.len >= prefix.len && (prefix.len == 0 || memcmp(s.ptr, prefix.ptr, prefix.len) == 0);
}

/* Blocks are chained newest first; each allocation is rounded up to the
 * alignment of max_align_t. */
struct px_arena_block {
	struct px_arena_block *next;
	size_t used;
	size_t cap;
	max_align_t data[];
};

#define ARENA_BLOCK 4096

void px_arena_init(struct px_arena *a, size_t limit)
{
	a->head = NULL;
	a->total = 0;
	a->limit = limit;
}

void *px_arena_alloc(struct px_arena *a, size_t size)
{
	const size_t align = _Alignof(max_align_t);
	struct px_arena_block *blk = a->head;
	size_t cap;
	void *p;

	if (size == 0)
		size = 1;
	/* No object can exceed PTRDIFF_MAX; refusing here also keeps the
	 * block header from wrapping sizeof(*blk) + cap around to a tiny
	 * malloc that the memset below would overrun. */
	if (size > PTRDIFF_MAX - sizeof(*blk) - align)
		return NULL;
	size = (size + align - 1) & ~(align - 1);
	if (!blk || blk->cap - blk->used < size) {
		cap = size > ARENA_BLOCK ? size : ARENA_BLOCK;
		if (a->limit && (cap > a->limit || a->total > a->limit - cap))
			return NULL;
		blk = malloc(sizeof(*blk) + cap);
		if (!blk)
			return NULL;
		blk->next = a->head;
		blk->used = 0;
		blk->cap = cap;
		a->head = blk;
		a->total += cap;
	}
	p = (uint8_t *)blk->data + blk->used;
	blk->used += size;
	memset(p, 0, size);
	return p;
}

void *px_arena_calloc(struct px_arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return px_arena_alloc(a, n * size);
}

void px_arena_free(struct px_arena *a)
{
	struct px_arena_block *blk = a->head;

	while (blk) {
		struct px_arena_block *next = blk->next;
		free(blk);
		blk = next;
	}
	a->head = NULL;
	a->total = 0;
}
