/* The trusted chain of an Ethereum follower: every header that was linked
 * to the operator's checkpoint by lightclient/ethereum's verify functions,
 * over a bounded window of heights, with forks, reorgs and gaps. No I/O:
 * chains/ethereum/client.c feeds it headers from the node and asks it what
 * to fetch next; the tests feed it synthetic headers.
 *
 * Headers whose parent is not held yet are kept aside as orphans (a
 * bounded pool) until their ancestry arrives; eth_follower_next_fetch says
 * which block would link them: the next height by number while the orphan
 * is ahead of the head (a gap: backfill), or the orphan's parent by hash
 * otherwise (a fork being walked back to the trusted chain).
 *
 * Fork choice (docs/ethereum.md, "Reorg policy"): the head is the highest
 * verified header that links to the checkpoint; between equally high tips
 * the head stays, unless the node announced the other tip as its head
 * (newHeads), in which case the node's choice is followed. Every second
 * verified header at a height already held is reported as competing. A
 * fork whose common ancestor has left the window cannot be linked and is
 * dropped (counted in stats.unlinkable). */
#ifndef PX_CHAINS_ETH_FOLLOWER_H
#define PX_CHAINS_ETH_FOLLOWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/errors.h"
#include "lightclient/ethereum/header.h"

#define ETH_FOLLOWER_WINDOW_DEFAULT 256u
#define ETH_FOLLOWER_WINDOW_MIN 2u
#define ETH_FOLLOWER_WINDOW_MAX 65536u
/* Headers held while waiting for their parent. */
#define ETH_FOLLOWER_MAX_ORPHANS 64u
/* Headers held per height, forks included (beyond it, new competitors of
 * that height are refused). */
#define ETH_FOLLOWER_MAX_PER_HEIGHT 8u

struct eth_follower_events {
	/* Each header that becomes canonical, in ascending order (after a
	 * reorg: the new branch above the common ancestor). */
	void (*head)(void *user, const struct eth_trusted_header *h);
	/* A second verified header at a height already held: held is the
	 * canonical one at that height (or the first held), other the new. */
	void (*competing)(void *user, const struct eth_trusted_header *held,
			  const struct eth_trusted_header *other);
	/* The head moved to another branch; ancestor is the height of the
	 * last header the branches share. Called before the head events. */
	void (*reorg)(void *user, const struct eth_trusted_header *old_head,
		      const struct eth_trusted_header *new_head, uint64_t ancestor);
	void *user;
};

enum eth_follow_result {
	ETH_FOLLOW_EXTENDED,	/* a child of the head: the new head */
	ETH_FOLLOW_REORG,	/* on another branch, which became the head's */
	ETH_FOLLOW_SIDE,	/* verified, on a branch that is not the head's */
	ETH_FOLLOW_KNOWN,	/* already held */
	ETH_FOLLOW_ORPHAN,	/* parent not held: kept until it is */
	ETH_FOLLOW_STALE,	/* at or below the window's bottom, parent unknown: dropped */
};

enum eth_fetch_kind {
	ETH_FETCH_NONE,
	ETH_FETCH_BY_NUMBER,
	ETH_FETCH_BY_HASH,
};

struct eth_fetch {
	enum eth_fetch_kind kind;
	uint64_t number;		/* BY_NUMBER; for BY_HASH the expected height */
	uint8_t hash[ETH_HASH_LEN];	/* BY_HASH */
};

struct eth_follower_stats {
	uint64_t verified;	/* headers verified and held (checkpoint included) */
	uint64_t competing;
	uint64_t reorgs;
	uint64_t rejected;	/* failed verification */
	uint64_t unlinkable;	/* orphans dropped: ancestry outside the window */
};

struct eth_follower_entry;
struct eth_follower_orphan;

struct eth_follower {
	struct eth_follower_entry *entries;
	size_t n, cap;
	size_t head;			/* index into entries */
	uint64_t bottom;		/* lowest height held */
	size_t window;
	struct eth_follower_orphan *orphans;
	size_t norphans;
	struct eth_follower_events ev;
	struct eth_follower_stats stats;
};

/* Trusts checkpoint as the chain's first header: its hash must equal
 * checkpoint_hash (eth_header_verify_checkpoint). window is the number of
 * heights kept below and at the head (0: the default; clamped to
 * [MIN, MAX]). events is copied. On failure f is empty. */
bool eth_follower_init(struct px_err *err, struct eth_follower *f,
		       const struct eth_header *checkpoint,
		       const uint8_t checkpoint_hash[ETH_HASH_LEN], size_t window,
		       const struct eth_follower_events *events) PX_MUST_CHECK;
void eth_follower_free(struct eth_follower *f);

/* Offers a claimed header. announced: the node said it is its head
 * (newHeads), which settles ties. False, with err set (PX_E_HASH_MISMATCH,
 * PX_E_NOT_SUCCESSOR, PX_E_TOO_LARGE, PX_E_NOMEM), when the header links
 * to a held parent but does not verify; *result is set on success.
 * Orphans that the header links are verified and added after it. */
bool eth_follower_add(struct px_err *err, struct eth_follower *f, enum eth_follow_result *result,
		      const struct eth_header *h, bool announced) PX_MUST_CHECK;

/* The block to fetch next to link the oldest orphan (see above). Orphans
 * that cannot link any more are dropped first. */
void eth_follower_next_fetch(struct eth_follower *f, struct eth_fetch *out);

const struct eth_trusted_header *eth_follower_head(const struct eth_follower *f);
/* The header at number on the head's branch, or NULL outside the window. */
const struct eth_trusted_header *eth_follower_at(const struct eth_follower *f, uint64_t number);
/* Any held header (any branch) with this hash, or NULL. */
const struct eth_trusted_header *eth_follower_find(const struct eth_follower *f,
						   const uint8_t hash[ETH_HASH_LEN]);
uint64_t eth_follower_bottom(const struct eth_follower *f);
size_t eth_follower_orphans(const struct eth_follower *f);

#endif
