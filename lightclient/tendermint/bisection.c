/* Bisection over a provider, and the in-memory block store provider. The
 * walk keeps a stack of fetched but not yet verified blocks (the target at
 * the bottom, pivots above it), so each block is fetched once; a verified
 * block moves to the trace and becomes the new trusted state. */
#include "lightclient/tendermint/bisection.h"

#include <stdlib.h>
#include <string.h>

void tm_trace_free(struct tm_trace *t)
{
	for (size_t i = 0; i < t->len; i++)
		tm_light_block_free(&t->blocks[i]);
	free(t->blocks);
	tm_trusted_free(&t->trusted);
	memset(t, 0, sizeof(*t));
}

/* Asks the provider for height and checks it got that height. */
static bool fetch(struct px_err *err, struct tm_light_block *out, const struct tm_provider *p,
		  int64_t height)
{
	int64_t got;

	memset(out, 0, sizeof(*out));
	if (!p->light_block(p->ctx, err, out, height)) {
		if (!px_err_is_set(err))
			px_err_set(err, PX_E_RPC, "provider failed without a reason");
		px_err_prefix(err, "light block %lld: ", (long long)height);
		return false;
	}
	got = out->signed_header.header.height;
	if (height != 0 && got != height) {
		tm_light_block_free(out);
		return px_err_set(err, PX_E_RPC, "provider returned height %lld for %lld",
				  (long long)got, (long long)height);
	}
	return true;
}

bool tm_bisect(struct px_err *err, struct tm_trace *out, const struct tm_trusted *trusted,
	       const struct tm_provider *provider, int64_t target, const struct tm_options *opts,
	       struct px_time now, size_t max_fetch)
{
	/* Heights halve at every pivot, so 64 pending blocks cover int64. */
	struct tm_light_block pending[64];
	size_t npending = 0, cap = 0, fetched = 0;
	struct tm_trace t = { 0 };
	bool ok = false;

	memset(out, 0, sizeof(*out));
	if (max_fetch == 0)
		max_fetch = TM_BISECTION_MAX_FETCH;
	if (target < 0)
		return px_err_set(err, PX_E_USAGE, "negative target height");
	if (!tm_trusted_copy(err, &t.trusted, trusted))
		return false;
	fetched++;
	if (!fetch(err, &pending[0], provider, target))
		goto out;
	npending = 1;
	while (npending > 0) {
		struct tm_light_block *cur = &pending[npending - 1];
		struct tm_trusted next;
		struct px_err verr = { 0 };
		int64_t lo, hi, pivot;

		if (tm_verify(&verr, &next, &t.trusted, cur, opts, now)) {
			if (t.len == cap) {
				size_t ncap = cap ? 2 * cap : 8;
				struct tm_light_block *nb = realloc(t.blocks, ncap * sizeof(*nb));

				if (!nb) {
					tm_trusted_free(&next);
					px_err_set(err, PX_E_NOMEM, "bisection: out of memory");
					goto out;
				}
				t.blocks = nb;
				cap = ncap;
			}
			t.blocks[t.len++] = *cur;	/* moved */
			memset(cur, 0, sizeof(*cur));
			npending--;
			tm_trusted_free(&t.trusted);
			t.trusted = next;
			continue;
		}
		lo = t.trusted.header.height;
		hi = cur->signed_header.header.height;
		if (verr.code != PX_E_NOT_ENOUGH_TRUST) {
			px_err_set(err, verr.code, "%s", verr.msg);
			px_err_prefix(err, "height %lld from %lld: ", (long long)hi, (long long)lo);
			goto out;
		}
		pivot = lo + (hi - lo) / 2;
		if (pivot <= lo || pivot >= hi || npending == sizeof(pending) / sizeof(pending[0])) {
			px_err_set(err, PX_E_NOT_ENOUGH_TRUST, "height %lld from %lld: %s",
				   (long long)hi, (long long)lo, verr.msg);
			goto out;
		}
		if (fetched == max_fetch) {
			px_err_set(err, PX_E_NOT_ENOUGH_TRUST,
				   "bisection gave up after %zu light blocks (at %lld from %lld)",
				   fetched, (long long)hi, (long long)lo);
			goto out;
		}
		fetched++;
		if (!fetch(err, &pending[npending], provider, pivot))
			goto out;
		npending++;
	}
	t.fetched = fetched;
	*out = t;
	memset(&t, 0, sizeof(t));
	ok = true;
out:
	for (size_t i = 0; i < npending; i++)
		tm_light_block_free(&pending[i]);
	tm_trace_free(&t);
	if (!ok)
		out->fetched = fetched;
	return ok;
}

/* --- block store ------------------------------------------------------------ */

void tm_block_store_init(struct tm_block_store *s)
{
	memset(s, 0, sizeof(*s));
}

void tm_block_store_free(struct tm_block_store *s)
{
	for (size_t i = 0; i < s->len; i++)
		tm_light_block_free(&s->blocks[i]);
	free(s->blocks);
	memset(s, 0, sizeof(*s));
}

/* Index of the first block at or above height. */
static size_t lower_bound(const struct tm_block_store *s, int64_t height)
{
	size_t lo = 0, hi = s->len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->blocks[mid].signed_header.header.height < height)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool tm_block_store_take(struct px_err *err, struct tm_block_store *s, struct tm_light_block *lb)
{
	int64_t h = lb->signed_header.header.height;
	size_t at;
	bool ok = false;

	if (h <= 0) {
		px_err_set(err, PX_E_MALFORMED, "light block at height %lld", (long long)h);
		goto out;
	}
	at = lower_bound(s, h);
	if (at < s->len && s->blocks[at].signed_header.header.height == h) {
		px_err_set(err, PX_E_MALFORMED, "two light blocks at height %lld", (long long)h);
		goto out;
	}
	if (s->len == TM_STORE_MAX_BLOCKS) {
		px_err_set(err, PX_E_TOO_LARGE, "more than %d light blocks", TM_STORE_MAX_BLOCKS);
		goto out;
	}
	if (s->len == s->cap) {
		size_t ncap = s->cap ? 2 * s->cap : 16;
		struct tm_light_block *nb = realloc(s->blocks, ncap * sizeof(*nb));

		if (!nb) {
			px_err_set(err, PX_E_NOMEM, "block store: out of memory");
			goto out;
		}
		s->blocks = nb;
		s->cap = ncap;
	}
	memmove(&s->blocks[at + 1], &s->blocks[at], (s->len - at) * sizeof(*s->blocks));
	s->blocks[at] = *lb;
	s->len++;
	memset(lb, 0, sizeof(*lb));
	return true;
out:
	tm_light_block_free(lb);
	return ok;
}

bool tm_block_store_add_json(struct px_err *err, struct tm_block_store *s, const json_t *doc)
{
	struct tm_light_block lb;

	if (!json_is_array(doc)) {
		if (!tm_light_block_from_json(err, &lb, doc))
			return false;
		return tm_block_store_take(err, s, &lb);
	}
	if (json_array_size(doc) > TM_STORE_MAX_BLOCKS)
		return px_err_set(err, PX_E_TOO_LARGE, "more than %d light blocks",
				  TM_STORE_MAX_BLOCKS);
	for (size_t i = 0; i < json_array_size(doc); i++) {
		if (!tm_light_block_from_json(err, &lb, json_array_get(doc, i)) ||
		    !tm_block_store_take(err, s, &lb)) {
			px_err_prefix(err, "light block %zu: ", i);
			return false;
		}
	}
	return true;
}

const struct tm_light_block *tm_block_store_get(const struct tm_block_store *s, int64_t height)
{
	size_t at;

	if (s->len == 0)
		return NULL;
	if (height == 0)
		return &s->blocks[s->len - 1];
	at = lower_bound(s, height);
	if (at < s->len && s->blocks[at].signed_header.header.height == height)
		return &s->blocks[at];
	return NULL;
}

static bool store_light_block(void *ctx, struct px_err *err, struct tm_light_block *out,
			      int64_t height)
{
	const struct tm_light_block *lb = tm_block_store_get(ctx, height);

	memset(out, 0, sizeof(*out));
	if (!lb)
		return px_err_set(err, PX_E_RPC, "no light block at height %lld", (long long)height);
	return tm_light_block_copy(err, out, lb);
}

struct tm_provider tm_block_store_provider(struct tm_block_store *s)
{
	struct tm_provider p = { s, store_light_block };
	return p;
}
