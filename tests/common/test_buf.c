/* Unit tests for common/buf.c: buffer growth and its sticky failure, slice
 * comparison including empty slices, and the arena's zeroed, aligned
 * allocations, its big and impossible requests and its limit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "common/buf.h"

static struct px_slice sl(const char *s)
{
	struct px_slice r = { (const uint8_t *)s, strlen(s) };
	return r;
}

static void buf_starts_empty(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	struct px_buf c;

	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_true(px_buf_ok(&b));
	memset(&c, 0xa5, sizeof(c));
	px_buf_init(&c);
	assert_null(c.data);
	assert_int_equal(c.len, 0);
	assert_int_equal(c.cap, 0);
	assert_true(px_buf_ok(&c));
	px_buf_free(&b);
	px_buf_free(&c);
}

static void append_and_push(void **state)
{
	struct px_buf b = PX_BUF_INIT;

	px_buf_append(&b, "abc", 3);
	px_buf_push(&b, 'd');
	px_buf_append(&b, NULL, 0);
	px_buf_append(&b, "ef", 2);
	assert_true(px_buf_ok(&b));
	assert_int_equal(b.len, 6);
	assert_true(b.cap >= b.len);
	assert_memory_equal(b.data, "abcdef", 6);
	px_buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
}

/* Growth keeps every byte written so far, across many reallocations. */
static void growth_keeps_contents(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	size_t last_cap = 0;

	for (size_t i = 0; i < 100000; i++) {
		px_buf_push(&b, (uint8_t)(i * 7));
		assert_true(b.cap >= b.len);
		if (b.cap != last_cap) {
			assert_true(b.cap > last_cap);
			last_cap = b.cap;
		}
	}
	assert_true(px_buf_ok(&b));
	assert_int_equal(b.len, 100000);
	for (size_t i = 0; i < 100000; i++)
		if (b.data[i] != (uint8_t)(i * 7))
			fail_msg("byte %zu lost in growth", i);
	px_buf_free(&b);
}

static void reserve_gives_room_without_length(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	uint8_t *before;

	assert_true(px_buf_reserve(&b, 1000));
	assert_int_equal(b.len, 0);
	assert_true(b.cap >= 1000);
	before = b.data;
	/* Appends within the reservation do not move the data. */
	for (int i = 0; i < 1000; i++)
		px_buf_push(&b, 1);
	assert_ptr_equal(b.data, before);
	assert_true(px_buf_reserve(&b, 0));
	assert_int_equal(b.len, 1000);
	px_buf_free(&b);
}

/* An impossible reservation fails the buffer for good: appends are
 * ignored and the contents stay as they were. */
static void failure_is_sticky(void **state)
{
	struct px_buf b = PX_BUF_INIT;

	px_buf_append(&b, "keep", 4);
	assert_false(px_buf_reserve(&b, SIZE_MAX));
	assert_false(px_buf_ok(&b));
	assert_int_equal(b.len, 4);

	px_buf_append(&b, "more", 4);
	px_buf_push(&b, 'x');
	assert_false(px_buf_reserve(&b, 1));
	assert_false(px_buf_ok(&b));
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, "keep", 4);

	/* Reset forgets the failure and the contents, keeps the memory. */
	px_buf_reset(&b);
	assert_true(px_buf_ok(&b));
	assert_int_equal(b.len, 0);
	assert_non_null(b.data);
	px_buf_append(&b, "new", 3);
	assert_true(px_buf_ok(&b));
	assert_memory_equal(b.data, "new", 3);
	px_buf_free(&b);
	assert_true(px_buf_ok(&b));
}

/* len + extra wrapping around must not be mistaken for a small request. */
static void reserve_overflow_is_caught(void **state)
{
	struct px_buf b = PX_BUF_INIT;

	px_buf_append(&b, "0123456789", 10);
	assert_false(px_buf_reserve(&b, SIZE_MAX - 5));
	assert_false(px_buf_ok(&b));
	assert_int_equal(b.len, 10);
	px_buf_free(&b);
}

static void wipe_frees(void **state)
{
	struct px_buf b = PX_BUF_INIT;

	px_buf_append(&b, "secret", 6);
	px_buf_wipe(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	px_buf_wipe(&b);
}

static void slice_of_buf(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	struct px_slice s;

	s = px_slice_of(&b);
	assert_int_equal(s.len, 0);
	px_buf_append(&b, "xyz", 3);
	s = px_slice_of(&b);
	assert_ptr_equal(s.ptr, b.data);
	assert_int_equal(s.len, 3);
	assert_true(px_slice_eq(s, sl("xyz")));
	px_buf_free(&b);
}

static void slice_eq(void **state)
{
	struct px_slice empty_null = { NULL, 0 };

	assert_true(px_slice_eq(sl("abc"), sl("abc")));
	assert_false(px_slice_eq(sl("abc"), sl("abd")));
	assert_false(px_slice_eq(sl("abc"), sl("ab")));
	assert_false(px_slice_eq(sl("ab"), sl("abc")));
	/* Empty slices are equal whatever they point at, NULL included. */
	assert_true(px_slice_eq(sl(""), empty_null));
	assert_true(px_slice_eq(empty_null, empty_null));
	assert_false(px_slice_eq(empty_null, sl("a")));
}

static void slice_cmp(void **state)
{
	struct px_slice empty_null = { NULL, 0 };
	const uint8_t hi[] = { 0xff };
	const uint8_t lo[] = { 0x01 };
	struct px_slice shi = { hi, 1 }, slo = { lo, 1 };

	assert_int_equal(px_slice_cmp(sl("abc"), sl("abc")), 0);
	assert_int_equal(px_slice_cmp(sl("abc"), sl("abd")), -1);
	assert_int_equal(px_slice_cmp(sl("abd"), sl("abc")), 1);
	/* Shorter first when one is a prefix of the other. */
	assert_int_equal(px_slice_cmp(sl("ab"), sl("abc")), -1);
	assert_int_equal(px_slice_cmp(sl("abc"), sl("ab")), 1);
	/* A differing byte decides before the length does. */
	assert_int_equal(px_slice_cmp(sl("b"), sl("abc")), 1);
	/* Bytes compare unsigned. */
	assert_int_equal(px_slice_cmp(shi, slo), 1);
	assert_int_equal(px_slice_cmp(slo, shi), -1);
	assert_int_equal(px_slice_cmp(empty_null, empty_null), 0);
	assert_int_equal(px_slice_cmp(empty_null, sl("")), 0);
	assert_int_equal(px_slice_cmp(empty_null, sl("a")), -1);
	assert_int_equal(px_slice_cmp(sl("a"), empty_null), 1);
}

static void slice_has_prefix(void **state)
{
	struct px_slice empty_null = { NULL, 0 };

	assert_true(px_slice_has_prefix(sl("ibc/port"), sl("ibc/")));
	assert_true(px_slice_has_prefix(sl("ibc/"), sl("ibc/")));
	assert_false(px_slice_has_prefix(sl("ibc/"), sl("ibc/port")));
	assert_false(px_slice_has_prefix(sl("abc/port"), sl("ibc/")));
	assert_true(px_slice_has_prefix(sl("abc"), empty_null));
	assert_true(px_slice_has_prefix(empty_null, empty_null));
	assert_false(px_slice_has_prefix(empty_null, sl("a")));
}

static void arena_alloc_is_zeroed_and_aligned(void **state)
{
	struct px_arena a;
	const size_t align = _Alignof(max_align_t);
	static const size_t sizes[] = { 1, 3, 16, 17, 100, 0, 7, 4000, 33 };

	px_arena_init(&a, 0);
	for (int round = 0; round < 50; round++) {
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			uint8_t *p = px_arena_alloc(&a, sizes[i]);

			assert_non_null(p);
			assert_int_equal((uintptr_t)p % align, 0);
			for (size_t j = 0; j < sizes[i]; j++)
				assert_int_equal(p[j], 0);
			/* Dirty it so a later overlapping allocation would
			 * show up as non-zero (and ASan sees overruns). */
			memset(p, 0xee, sizes[i]);
		}
	}
	px_arena_free(&a);
	assert_null(a.head);
	assert_int_equal(a.total, 0);
}

/* Allocations do not overlap: each keeps what was written into it. */
static void arena_allocations_are_distinct(void **state)
{
	struct px_arena a;
	uint8_t *p[200];

	px_arena_init(&a, 0);
	for (int i = 0; i < 200; i++) {
		p[i] = px_arena_alloc(&a, 50);
		assert_non_null(p[i]);
		memset(p[i], i, 50);
	}
	for (int i = 0; i < 200; i++)
		for (int j = 0; j < 50; j++)
			assert_int_equal(p[i][j], (uint8_t)i);
	px_arena_free(&a);
}

static void arena_big_allocation(void **state)
{
	struct px_arena a;
	uint8_t *small, *big, *after;

	px_arena_init(&a, 0);
	small = px_arena_alloc(&a, 10);
	assert_non_null(small);
	memset(small, 1, 10);
	big = px_arena_alloc(&a, 1 << 20);
	assert_non_null(big);
	for (size_t i = 0; i < 1 << 20; i++)
		if (big[i] != 0)
			fail_msg("big allocation not zeroed at %zu", i);
	memset(big, 2, 1 << 20);
	after = px_arena_alloc(&a, 10);
	assert_non_null(after);
	memset(after, 3, 10);
	assert_int_equal(small[9], 1);
	assert_int_equal(big[(1 << 20) - 1], 2);
	assert_true(a.total >= (1 << 20) + 10);
	px_arena_free(&a);
}

/* Sizes whose rounding or block header would wrap around SIZE_MAX must be
 * refused, not turned into a tiny block. */
static void arena_impossible_sizes(void **state)
{
	struct px_arena a;

	px_arena_init(&a, 0);
	assert_null(px_arena_alloc(&a, SIZE_MAX));
	assert_null(px_arena_alloc(&a, SIZE_MAX - 1));
	assert_null(px_arena_alloc(&a, SIZE_MAX - _Alignof(max_align_t)));
	assert_null(px_arena_alloc(&a, SIZE_MAX - 2 * _Alignof(max_align_t)));
	assert_null(px_arena_alloc(&a, SIZE_MAX - 64));
	assert_null(px_arena_calloc(&a, SIZE_MAX / 2, 3));
	assert_null(px_arena_calloc(&a, 3, SIZE_MAX / 2));
	assert_null(px_arena_calloc(&a, (SIZE_MAX >> 4) + 1, 16));
	assert_null(a.head);
	assert_int_equal(a.total, 0);
	/* The arena still works after refusals. */
	assert_non_null(px_arena_alloc(&a, 8));
	px_arena_free(&a);
}

static void arena_calloc(void **state)
{
	struct px_arena a;
	uint32_t *v;

	px_arena_init(&a, 0);
	v = px_arena_calloc(&a, 1000, sizeof(*v));
	assert_non_null(v);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(v[i], 0);
	v[999] = 7;
	assert_non_null(px_arena_calloc(&a, 0, 8));
	assert_non_null(px_arena_calloc(&a, 8, 0));
	px_arena_free(&a);
}

static void arena_limit_is_enforced(void **state)
{
	struct px_arena a;
	int n = 0;

	px_arena_init(&a, 16384);
	/* A single request above the limit fails at once. */
	assert_null(px_arena_alloc(&a, 16385));
	assert_null(a.head);
	/* Small requests succeed until the blocks reach the limit. */
	while (px_arena_alloc(&a, 1000) != NULL) {
		n++;
		assert_true(a.total <= 16384);
		if (n > 1000)
			fail_msg("limit not enforced");
	}
	assert_true(n >= 12);
	assert_true(a.total <= 16384);
	/* Still refused on a second try: the limit is not a one-off. */
	assert_null(px_arena_alloc(&a, 1000));
	px_arena_free(&a);

	/* Freeing resets the count, so the arena can be used again. */
	assert_int_equal(a.total, 0);
	assert_non_null(px_arena_alloc(&a, 16384));
	assert_null(px_arena_alloc(&a, 1));
	px_arena_free(&a);
}

static void arena_free_twice_and_empty(void **state)
{
	struct px_arena a;

	px_arena_init(&a, 0);
	px_arena_free(&a);
	assert_non_null(px_arena_alloc(&a, 1));
	px_arena_free(&a);
	px_arena_free(&a);
	assert_null(a.head);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_starts_empty),
		cmocka_unit_test(append_and_push),
		cmocka_unit_test(growth_keeps_contents),
		cmocka_unit_test(reserve_gives_room_without_length),
		cmocka_unit_test(failure_is_sticky),
		cmocka_unit_test(reserve_overflow_is_caught),
		cmocka_unit_test(wipe_frees),
		cmocka_unit_test(slice_of_buf),
		cmocka_unit_test(slice_eq),
		cmocka_unit_test(slice_cmp),
		cmocka_unit_test(slice_has_prefix),
		cmocka_unit_test(arena_alloc_is_zeroed_and_aligned),
		cmocka_unit_test(arena_allocations_are_distinct),
		cmocka_unit_test(arena_big_allocation),
		cmocka_unit_test(arena_impossible_sizes),
		cmocka_unit_test(arena_calloc),
		cmocka_unit_test(arena_limit_is_enforced),
		cmocka_unit_test(arena_free_twice_and_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
