/* The follower's trusted chain (see follower.h). Headers are kept in one
 * array, forks included, each flagged canonical when it lies on the head's
 * branch. A window holds a few hundred headers, so lookups by hash or
 * height scan the array; the scan costs far less than the Keccak of the
 * header being verified. */
#include "chains/ethereum/follower.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"

#define MOD "eth-follower"

struct eth_follower_entry {
	struct eth_trusted_header th;
	bool canonical;
	bool drop;	/* marked for removal by prune */
};

struct eth_follower_orphan {
	struct eth_header h;
	uint8_t hash[ETH_HASH_LEN];
	bool announced;
};

static long find_hash(const struct eth_follower *f, const uint8_t hash[ETH_HASH_LEN])
{
	for (size_t i = 0; i < f->n; i++)
		if (memcmp(f->entries[i].th.hash, hash, ETH_HASH_LEN) == 0)
			return (long)i;
	return -1;
}

static uint64_t num(const struct eth_follower *f, size_t i)
{
	return f->entries[i].th.header.number;
}

bool eth_follower_init(struct px_err *err, struct eth_follower *f,
		       const struct eth_header *checkpoint,
		       const uint8_t checkpoint_hash[ETH_HASH_LEN], size_t window,
		       const struct eth_follower_events *events)
{
	memset(f, 0, sizeof(*f));
	if (window == 0)
		window = ETH_FOLLOWER_WINDOW_DEFAULT;
	if (window < ETH_FOLLOWER_WINDOW_MIN)
		window = ETH_FOLLOWER_WINDOW_MIN;
	if (window > ETH_FOLLOWER_WINDOW_MAX)
		window = ETH_FOLLOWER_WINDOW_MAX;
	f->cap = 16;
	f->entries = calloc(f->cap, sizeof(*f->entries));
	f->orphans = calloc(ETH_FOLLOWER_MAX_ORPHANS, sizeof(*f->orphans));
	if (!f->entries || !f->orphans) {
		eth_follower_free(f);
		return px_err_set(err, PX_E_NOMEM, "follower: out of memory");
	}
	if (!eth_header_verify_checkpoint(err, &f->entries[0].th, checkpoint, checkpoint_hash)) {
		px_err_prefix(err, "checkpoint: ");
		eth_follower_free(f);
		return false;
	}
	f->entries[0].canonical = true;
	f->n = 1;
	f->head = 0;
	f->bottom = checkpoint->number;
	f->window = window;
	if (events)
		f->ev = *events;
	f->stats.verified = 1;
	return true;
}

void eth_follower_free(struct eth_follower *f)
{
	free(f->entries);
	free(f->orphans);
	memset(f, 0, sizeof(*f));
}

const struct eth_trusted_header *eth_follower_head(const struct eth_follower *f)
{
	return f->n ? &f->entries[f->head].th : NULL;
}

const struct eth_trusted_header *eth_follower_at(const struct eth_follower *f, uint64_t number)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->entries[i].canonical && num(f, i) == number)
			return &f->entries[i].th;
	return NULL;
}

const struct eth_trusted_header *eth_follower_find(const struct eth_follower *f,
						   const uint8_t hash[ETH_HASH_LEN])
{
	long i = find_hash(f, hash);

	return i < 0 ? NULL : &f->entries[i].th;
}

uint64_t eth_follower_bottom(const struct eth_follower *f)
{
	return f->bottom;
}

size_t eth_follower_orphans(const struct eth_follower *f)
{
	return f->norphans;
}

/* ---- the head and its branch ---- */

/* Makes idx the head of a branch other than the head's: walks back from
 * idx to the first canonical header (the common ancestor), unflags the old
 * branch above it, flags the new one, reports. */
static bool switch_head(struct px_err *err, struct eth_follower *f, size_t idx)
{
	size_t *path = NULL, depth = 0, old = f->head, i;
	uint64_t ancestor;
	long cur = (long)idx;
	bool ok = false;

	path = calloc(f->n, sizeof(*path));
	if (!path)
		return px_err_set(err, PX_E_NOMEM, "follower: out of memory");
	while (cur >= 0 && !f->entries[cur].canonical && depth < f->n) {
		path[depth++] = (size_t)cur;
		cur = find_hash(f, f->entries[cur].th.header.parent_hash);
	}
	if (cur < 0 || !f->entries[cur].canonical) {
		/* prune keeps every branch rooted in the canonical chain */
		px_err_set(err, PX_E_INTERNAL, "follower: branch without a common ancestor");
		goto out;
	}
	ancestor = num(f, (size_t)cur);
	for (i = 0; i < f->n; i++)
		if (f->entries[i].canonical && num(f, i) > ancestor)
			f->entries[i].canonical = false;
	for (i = 0; i < depth; i++)
		f->entries[path[i]].canonical = true;
	f->head = idx;
	f->stats.reorgs++;
	px_info(MOD, "reorg: head %" PRIu64 " -> %" PRIu64 ", common ancestor %" PRIu64,
		num(f, old), num(f, idx), ancestor);
	if (f->ev.reorg)
		f->ev.reorg(f->ev.user, &f->entries[old].th, &f->entries[idx].th, ancestor);
	for (i = depth; i-- > 0;)
		if (f->ev.head)
			f->ev.head(f->ev.user, &f->entries[path[i]].th);
	ok = true;
out:
	free(path);
	return ok;
}

/* Drops what fell out of the window: every header below the bottom, and
 * side branches whose root is gone (a side header at the bottom has no
 * parent here and could never be linked again). */
static void prune(struct eth_follower *f)
{
	uint64_t head_n = num(f, f->head), nb;
	bool changed = true;
	size_t i, j;

	if (head_n + 1 <= f->window || (nb = head_n + 1 - f->window) <= f->bottom)
		return;
	f->bottom = nb;
	for (i = 0; i < f->n; i++)
		f->entries[i].drop = num(f, i) < nb || (num(f, i) == nb && !f->entries[i].canonical);
	while (changed) {
		changed = false;
		for (i = 0; i < f->n; i++) {
			long p;

			if (f->entries[i].drop || f->entries[i].canonical || num(f, i) == nb)
				continue;
			p = find_hash(f, f->entries[i].th.header.parent_hash);
			if (p < 0 || f->entries[p].drop) {
				f->entries[i].drop = true;
				changed = true;
			}
		}
	}
	for (i = 0, j = 0; i < f->n; i++) {
		if (f->entries[i].drop)
			continue;
		if (i == f->head)
			f->head = j;
		if (i != j)
			f->entries[j] = f->entries[i];
		j++;
	}
	f->n = j;
	for (i = 0, j = 0; i < f->norphans; i++) {
		if (f->orphans[i].h.number <= nb) {
			f->stats.unlinkable++;
			continue;
		}
		if (i != j)
			f->orphans[j] = f->orphans[i];
		j++;
	}
	f->norphans = j;
}

/* ---- adding ---- */

static long find_orphan(const struct eth_follower *f, const uint8_t hash[ETH_HASH_LEN])
{
	for (size_t i = 0; i < f->norphans; i++)
		if (memcmp(f->orphans[i].hash, hash, ETH_HASH_LEN) == 0)
			return (long)i;
	return -1;
}

static enum eth_follow_result keep_orphan(struct eth_follower *f, const struct eth_header *h,
					  const uint8_t hash[ETH_HASH_LEN], bool announced)
{
	long o = find_orphan(f, hash);
	size_t worst = 0;

	if (o >= 0) {
		f->orphans[o].announced |= announced;
		return ETH_FOLLOW_ORPHAN;
	}
	if (f->norphans == ETH_FOLLOWER_MAX_ORPHANS) {
		/* Keep the lowest: they are the ones the next fetches link. */
		for (size_t i = 1; i < f->norphans; i++)
			if (f->orphans[i].h.number > f->orphans[worst].h.number)
				worst = i;
		if (f->orphans[worst].h.number <= h->number)
			return ETH_FOLLOW_STALE;
		o = (long)worst;
	} else {
		o = (long)f->norphans++;
	}
	f->orphans[o].h = *h;
	memcpy(f->orphans[o].hash, hash, ETH_HASH_LEN);
	f->orphans[o].announced = announced;
	return ETH_FOLLOW_ORPHAN;
}

static bool grow(struct px_err *err, struct eth_follower *f)
{
	struct eth_follower_entry *e;
	size_t cap;

	if (f->n < f->cap)
		return true;
	cap = f->cap * 2;
	e = realloc(f->entries, cap * sizeof(*e));
	if (!e)
		return px_err_set(err, PX_E_NOMEM, "follower: out of memory");
	f->entries = e;
	f->cap = cap;
	return true;
}

static bool add_one(struct px_err *err, struct eth_follower *f, enum eth_follow_result *result,
		    const struct eth_header *h, bool announced)
{
	uint8_t hash[ETH_HASH_LEN];
	long idx, p, held = -1;
	size_t at_height = 0, n;
	uint64_t head_n = num(f, f->head);

	eth_header_hash(hash, h);
	if (h->has_claimed_hash && memcmp(hash, h->claimed_hash, ETH_HASH_LEN) != 0) {
		f->stats.rejected++;
		return px_err_set(err, PX_E_HASH_MISMATCH,
				  "header %" PRIu64 ": hash differs from the claimed hash", h->number);
	}
	idx = find_hash(f, hash);
	if (idx >= 0) {
		*result = ETH_FOLLOW_KNOWN;
		if (announced && !f->entries[idx].canonical && h->number >= head_n) {
			if (!switch_head(err, f, (size_t)idx))
				return false;
			*result = ETH_FOLLOW_REORG;
		}
		return true;
	}
	p = find_hash(f, h->parent_hash);
	if (p < 0) {
		*result = h->number <= f->bottom ? ETH_FOLLOW_STALE
						 : keep_orphan(f, h, hash, announced);
		return true;
	}
	for (size_t i = 0; i < f->n; i++) {
		if (num(f, i) != h->number)
			continue;
		at_height++;
		if (held < 0 || f->entries[i].canonical)
			held = (long)i;
	}
	if (at_height >= ETH_FOLLOWER_MAX_PER_HEIGHT)
		return px_err_set(err, PX_E_TOO_LARGE, "header %" PRIu64 ": %u forks already held",
				  h->number, ETH_FOLLOWER_MAX_PER_HEIGHT);
	if (!grow(err, f))
		return false;
	n = f->n;
	memset(&f->entries[n], 0, sizeof(f->entries[n]));
	if (!eth_header_verify_child(err, &f->entries[n].th, &f->entries[p].th, h)) {
		f->stats.rejected++;
		return false;
	}
	f->n++;
	f->stats.verified++;
	if (held >= 0) {
		f->stats.competing++;
		px_warn(MOD, "competing header at height %" PRIu64, h->number);
		if (f->ev.competing)
			f->ev.competing(f->ev.user, &f->entries[held].th, &f->entries[n].th);
	}
	if (h->number > head_n || (announced && h->number == head_n)) {
		if ((size_t)p == f->head) {
			f->entries[n].canonical = true;
			f->head = n;
			*result = ETH_FOLLOW_EXTENDED;
			if (f->ev.head)
				f->ev.head(f->ev.user, &f->entries[n].th);
		} else {
			if (!switch_head(err, f, n))
				return false;
			*result = ETH_FOLLOW_REORG;
		}
	} else {
		*result = ETH_FOLLOW_SIDE;
	}
	prune(f);
	return true;
}

/* Adds every orphan whose parent is now held, until none is left to add. */
static void link_orphans(struct eth_follower *f)
{
	bool progress = true;

	while (progress) {
		progress = false;
		for (size_t i = 0; i < f->norphans; i++) {
			struct eth_follower_orphan o;
			enum eth_follow_result r;
			struct px_err e = { 0 };

			if (find_hash(f, f->orphans[i].h.parent_hash) < 0)
				continue;
			o = f->orphans[i];
			f->orphans[i] = f->orphans[--f->norphans];
			if (!add_one(&e, f, &r, &o.h, o.announced))
				px_warn(MOD, "orphan %" PRIu64 " dropped: %s", o.h.number, e.msg);
			progress = true;
			break;
		}
	}
}

bool eth_follower_add(struct px_err *err, struct eth_follower *f, enum eth_follow_result *result,
		      const struct eth_header *h, bool announced)
{
	enum eth_follow_result r;

	if (!add_one(err, f, &r, h, announced))
		return false;
	if (r != ETH_FOLLOW_ORPHAN && r != ETH_FOLLOW_STALE)
		link_orphans(f);
	*result = r;
	return true;
}

void eth_follower_next_fetch(struct eth_follower *f, struct eth_fetch *out)
{
	const struct eth_follower_orphan *o = NULL;
	size_t i, j;

	memset(out, 0, sizeof(*out));
	/* An orphan at bottom+1 or lower whose parent is not held forks below
	 * the window: its ancestry can never be verified from here. */
	for (i = 0, j = 0; i < f->norphans; i++) {
		if (f->orphans[i].h.number <= f->bottom + 1) {
			f->stats.unlinkable++;
			px_warn(MOD, "header %" PRIu64 " forks below the window; dropped",
				f->orphans[i].h.number);
			continue;
		}
		if (i != j)
			f->orphans[j] = f->orphans[i];
		j++;
	}
	f->norphans = j;
	for (i = 0; i < f->norphans; i++)
		if (!o || f->orphans[i].h.number < o->h.number)
			o = &f->orphans[i];
	if (!o)
		return;
	if (o->h.number > num(f, f->head) + 1) {
		out->kind = ETH_FETCH_BY_NUMBER;
		out->number = num(f, f->head) + 1;
	} else {
		out->kind = ETH_FETCH_BY_HASH;
		out->number = o->h.number - 1;
		memcpy(out->hash, o->h.parent_hash, ETH_HASH_LEN);
	}
}
