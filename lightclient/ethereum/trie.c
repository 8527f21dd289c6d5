/* Trie root builder: sort the updates by key (stable, so the last update
 * of a key is found), keep the live ones, then encode nodes bottom-up by
 * recursion over ranges of keys sharing a prefix. A node's reference in
 * its parent is the node itself when its encoding is under 32 bytes and
 * its Keccak-256 otherwise; the root is always hashed. */
#include "lightclient/ethereum/trie.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "lightclient/ethereum/keccak.h"
#include "lightclient/ethereum/mpt.h"
#include "lightclient/ethereum/rlp.h"

struct entry {
	const uint8_t *key;
	size_t nibbles;
	const uint8_t *value;
	size_t value_len;
	size_t order;
};

static unsigned nib(const struct entry *e, size_t i)
{
	return i % 2 ? e->key[i / 2] & 0x0f : e->key[i / 2] >> 4;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	size_t n = x->nibbles < y->nibbles ? x->nibbles : y->nibbles;
	int c = n ? memcmp(x->key, y->key, n / 2) : 0;	/* keys may be empty (NULL) */

	if (c)
		return c;
	if (x->nibbles != y->nibbles)
		return x->nibbles < y->nibbles ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Hex-prefix encoding of nibbles [from, to) of e's key. */
static void put_path(struct px_buf *b, const struct entry *e, size_t from, size_t to, bool leaf)
{
	uint8_t tmp[MPT_MAX_KEY + 1];
	size_t n = to - from, o = 0, i = from;
	unsigned flag = (leaf ? 2u : 0u) | (unsigned)(n % 2);

	if (n % 2)
		tmp[o++] = (uint8_t)(flag << 4 | nib(e, i++));
	else
		tmp[o++] = (uint8_t)(flag << 4);
	for (; i < to; i += 2)
		tmp[o++] = (uint8_t)(nib(e, i) << 4 | nib(e, i + 1));
	rlp_put_bytes(b, tmp, o);
}

/* Proof collection: the nodes on the path of one key, recorded as they are
 * built (deepest first) when they are referenced by hash. */
struct prover {
	const struct entry *target;	/* &target_entry while building */
	struct entry target_entry;
	uint8_t target_hash[ETH_HASH_LEN];
	struct px_buf *nodes;
	size_t lens[MPT_MAX_PROOF_NODES + 1];
	size_t count;
	bool overflow;
};

/* Whether nibbles [0, depth) of the target equal those of e. */
static bool on_path(const struct prover *pv, const struct entry *e, size_t depth)
{
	if (!pv || pv->target->nibbles < depth)
		return false;
	for (size_t i = 0; i < depth; i++)
		if (nib(pv->target, i) != nib(e, i))
			return false;
	return true;
}

static void record(struct prover *pv, const struct px_buf *node)
{
	if (pv->count == MPT_MAX_PROOF_NODES + 1) {
		pv->overflow = true;
		return;
	}
	pv->lens[pv->count++] = node->len;
	px_buf_append(pv->nodes, node->data, node->len);
}

static void build(struct px_buf *out, const struct entry *e, size_t n, size_t depth,
		  struct prover *pv);

/* Appends the reference to the node for e[0..n) at depth. */
static void put_ref(struct px_buf *out, const struct entry *e, size_t n, size_t depth,
		    struct prover *pv)
{
	struct px_buf child = PX_BUF_INIT;

	build(&child, e, n, depth, pv);
	if (px_buf_ok(&child) && child.len >= ETH_HASH_LEN && on_path(pv, e, depth))
		record(pv, &child);
	if (!px_buf_ok(&child)) {
		out->failed = true;
	} else if (child.len < ETH_HASH_LEN) {
		px_buf_append(out, child.data, child.len);
	} else {
		uint8_t h[ETH_HASH_LEN];

		eth_keccak256(h, child.data, child.len);
		rlp_put_bytes(out, h, sizeof(h));
	}
	px_buf_free(&child);
}

/* Appends the encoding of the node holding e[0..n) (n >= 1, sorted,
 * distinct keys) whose paths are consumed up to nibble depth. */
static void build(struct px_buf *out, const struct entry *e, size_t n, size_t depth,
		  struct prover *pv)
{
	size_t start = rlp_list_begin(out), cp, i;

	if (n == 1) {
		put_path(out, &e[0], depth, e[0].nibbles, true);
		rlp_put_bytes(out, e[0].value, e[0].value_len);
		rlp_list_end(out, start);
		return;
	}
	/* Sorted keys: the prefix the first and last share is shared by all. */
	cp = 0;
	while (depth + cp < e[0].nibbles && depth + cp < e[n - 1].nibbles &&
	       nib(&e[0], depth + cp) == nib(&e[n - 1], depth + cp))
		cp++;
	if (cp > 0) {
		put_path(out, &e[0], depth, depth + cp, false);
		put_ref(out, e, n, depth + cp, on_path(pv, e, depth + cp) ? pv : NULL);
		rlp_list_end(out, start);
		return;
	}
	i = 0;
	/* A key ending here sorts first and becomes the branch's value. */
	if (e[0].nibbles == depth)
		i = 1;
	for (unsigned slot = 0; slot < 16; slot++) {
		size_t j = i;

		while (j < n && nib(&e[j], depth) == slot)
			j++;
		if (j == i)
			px_buf_push(out, 0x80);
		else
			put_ref(out, e + i, j - i, depth + 1,
				 on_path(pv, e + i, depth + 1) ? pv : NULL);
		i = j;
	}
	if (e[0].nibbles == depth)
		rlp_put_bytes(out, e[0].value, e[0].value_len);
	else
		px_buf_push(out, 0x80);
	rlp_list_end(out, start);
}

/* Sorts, keeps the live updates and builds; with pv, collects the proof
 * of pv's key (given as key/key_len, hashed first when secure). */
static bool make(struct px_err *err, uint8_t out[ETH_HASH_LEN], const struct mpt_kv *kvs, size_t n,
		 bool secure, struct prover *pv, const uint8_t *key, size_t key_len)
{
	struct entry *e = NULL;
	uint8_t *hashed = NULL;
	struct px_buf root = PX_BUF_INIT;
	size_t live = 0, i;
	bool ok = false;

	memset(out, 0, ETH_HASH_LEN);
	if (n > MPT_TRIE_MAX_ENTRIES)
		return px_err_set(err, PX_E_TOO_LARGE, "trie: %zu entries, more than %u", n,
				  MPT_TRIE_MAX_ENTRIES);
	for (i = 0; i < n; i++)
		if (kvs[i].key_len > MPT_MAX_KEY)
			return px_err_set(err, PX_E_TOO_LARGE, "trie: key %zu has %zu bytes, more than %u",
					  i, kvs[i].key_len, MPT_MAX_KEY);
	if (pv) {
		if (key_len > MPT_MAX_KEY)
			return px_err_set(err, PX_E_TOO_LARGE, "trie: key of %zu bytes, more than %u",
					  key_len, MPT_MAX_KEY);
		memset(&pv->target_entry, 0, sizeof(pv->target_entry));
		if (secure) {
			eth_keccak256(pv->target_hash, key, key_len);
			pv->target_entry.key = pv->target_hash;
			pv->target_entry.nibbles = 2 * ETH_HASH_LEN;
		} else {
			pv->target_entry.key = key;
			pv->target_entry.nibbles = 2 * key_len;
		}
		pv->target = &pv->target_entry;
	}
	if (n == 0) {
		memcpy(out, mpt_empty_root, ETH_HASH_LEN);
		return true;
	}
	e = calloc(n, sizeof(*e));
	if (secure)
		hashed = malloc(n * ETH_HASH_LEN);
	if (!e || (secure && !hashed)) {
		px_err_set(err, PX_E_NOMEM, "trie: out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (secure) {
			eth_keccak256(hashed + i * ETH_HASH_LEN, kvs[i].key, kvs[i].key_len);
			e[i].key = hashed + i * ETH_HASH_LEN;
			e[i].nibbles = 2 * ETH_HASH_LEN;
		} else {
			e[i].key = kvs[i].key;
			e[i].nibbles = 2 * kvs[i].key_len;
		}
		e[i].value = kvs[i].value;
		e[i].value_len = kvs[i].value_len;
		e[i].order = i;
	}
	qsort(e, n, sizeof(*e), entry_cmp);
	/* Keep the last update of each key, and only if it is not a delete. */
	for (i = 0; i < n; i++) {
		bool last = i + 1 == n || e[i + 1].nibbles != e[i].nibbles ||
			    (e[i].nibbles && memcmp(e[i + 1].key, e[i].key, e[i].nibbles / 2) != 0);

		if (last && e[i].value_len > 0)
			e[live++] = e[i];
	}
	if (live == 0) {
		memcpy(out, mpt_empty_root, ETH_HASH_LEN);
		ok = true;
		goto out;
	}
	build(&root, e, live, 0, pv);
	if (pv)
		record(pv, &root);	/* the root is always referenced by hash */
	if (!px_buf_ok(&root) || (pv && !px_buf_ok(pv->nodes))) {
		px_err_set(err, PX_E_NOMEM, "trie: out of memory");
		goto out;
	}
	if (pv && pv->overflow) {
		px_err_set(err, PX_E_TOO_LARGE, "trie: proof longer than %u nodes", MPT_MAX_PROOF_NODES);
		goto out;
	}
	eth_keccak256(out, root.data, root.len);
	ok = true;
out:
	if (pv)
		pv->target = NULL;
	px_buf_free(&root);
	free(hashed);
	free(e);
	if (!ok)
		memset(out, 0, ETH_HASH_LEN);
	return ok;
}

bool mpt_trie_root(struct px_err *err, uint8_t out[ETH_HASH_LEN], const struct mpt_kv *kvs, size_t n,
		   bool secure)
{
	return make(err, out, kvs, n, secure, NULL, NULL, 0);
}

bool mpt_trie_prove(struct px_err *err, uint8_t root[ETH_HASH_LEN], struct px_buf *nodes,
		    size_t *lens, size_t *count, const struct mpt_kv *kvs, size_t n, bool secure,
		    const uint8_t *key, size_t key_len)
{
	struct prover pv;
	size_t start = nodes->len;

	memset(&pv, 0, sizeof(pv));
	pv.nodes = nodes;
	*count = 0;
	if (!make(err, root, kvs, n, secure, &pv, key, key_len)) {
		nodes->len = start;
		return false;
	}
	/* Recorded deepest first; a proof lists them from the root. */
	{
		size_t total = nodes->len - start, off = 0;
		uint8_t *copy = malloc(total ? total : 1);

		if (!copy) {
			nodes->len = start;
			return px_err_set(err, PX_E_NOMEM, "trie: out of memory");
		}
		if (total)
			memcpy(copy, nodes->data + start, total);
		/* Offsets of the recorded nodes, then copy in reverse order. */
		{
			size_t offs[MPT_MAX_PROOF_NODES + 1], o = 0;

			for (size_t i = 0; i < pv.count; i++) {
				offs[i] = o;
				o += pv.lens[i];
			}
			for (size_t i = 0; i < pv.count; i++) {
				size_t k = pv.count - 1 - i;

				memcpy(nodes->data + start + off, copy + offs[k], pv.lens[k]);
				off += pv.lens[k];
				lens[i] = pv.lens[k];
			}
		}
		free(copy);
	}
	*count = pv.count;
	return true;
}
