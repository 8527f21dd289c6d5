/* Merkle-Patricia proof verification: a walk from the root along the key's
 * nibbles, one proof node (or embedded child) per step. */
#include "lightclient/ethereum/mpt.h"

#include <string.h>

#include "common/protobuf.h"
#include "lightclient/ethereum/ethjson.h"
#include "lightclient/ethereum/keccak.h"
#include "lightclient/ethereum/rlp.h"

const uint8_t mpt_empty_root[ETH_HASH_LEN] = {
	0x56, 0xe8, 0x1f, 0x17, 0x1b, 0xcc, 0x55, 0xa6, 0xff, 0x83, 0x45, 0xe6, 0x92, 0xc0, 0xf8, 0x6e,
	0x5b, 0x48, 0xe0, 0x1b, 0x99, 0x6c, 0xad, 0xc0, 0x01, 0x62, 0x2f, 0xb5, 0xe3, 0x63, 0xb4, 0x21,
};

const uint8_t mpt_empty_code_hash[ETH_HASH_LEN] = {
	0xc5, 0xd2, 0x46, 0x01, 0x86, 0xf7, 0x23, 0x3c, 0x92, 0x7e, 0x7d, 0xb2, 0xdc, 0xc7, 0x03, 0xc0,
	0xe5, 0x00, 0xb6, 0x53, 0xca, 0x82, 0x27, 0x3b, 0x7b, 0xfa, 0xd8, 0x04, 0x5d, 0x85, 0xa4, 0x70,
};

#define BRANCH_ITEMS 17

static unsigned nibble(const uint8_t *key, size_t i)
{
	return i % 2 ? key[i / 2] & 0x0f : key[i / 2] >> 4;
}

/* A reference to the next node: a hash to find in the proof, or the child
 * itself when its encoding is shorter than 32 bytes. */
struct ref {
	bool inline_node;
	uint8_t hash[ETH_HASH_LEN];
	struct px_slice node;
};

/* Reads a child reference from a branch slot or an extension. Returns
 * false for an empty slot (only legal in a branch). */
static bool read_ref(struct px_cursor *c, struct ref *out, bool *empty)
{
	struct rlp_item it;

	*empty = false;
	rlp_read_item(c, &it, MPT_MAX_NODE_BYTES);
	if (!px_cursor_ok(c))
		return false;
	if (it.is_list) {
		if (it.raw.len >= ETH_HASH_LEN) {
			c->off -= it.raw.len;
			px_cursor_fail(c, "embedded child of 32 bytes or more");
			return false;
		}
		out->inline_node = true;
		out->node = it.raw;
		return true;
	}
	if (it.payload.len == 0) {
		*empty = true;
		return false;
	}
	if (it.payload.len != ETH_HASH_LEN) {
		c->off -= it.raw.len;
		px_cursor_fail(c, "child reference neither a hash nor an embedded node");
		return false;
	}
	out->inline_node = false;
	memcpy(out->hash, it.payload.ptr, ETH_HASH_LEN);
	return true;
}

/* The outcome of one step of the walk. */
enum step { STEP_NEXT, STEP_FOUND, STEP_ABSENT, STEP_BAD };

/* Hex-prefix path of a leaf or extension: sets *leaf and the path's
 * nibbles as (bytes, first nibble index, count). */
static bool read_path(struct px_cursor *c, bool *leaf, const uint8_t **p, size_t *first,
		      size_t *count)
{
	struct px_slice s;
	unsigned flag;

	rlp_read_bytes(c, &s, MPT_MAX_KEY + 1);
	if (!px_cursor_ok(c))
		return false;
	if (s.len == 0) {
		px_cursor_fail(c, "empty hex-prefix path");
		return false;
	}
	flag = s.ptr[0] >> 4;
	if (flag > 3 || (!(flag & 1) && (s.ptr[0] & 0x0f) != 0)) {
		px_cursor_fail(c, "bad hex-prefix flag");
		return false;
	}
	*leaf = flag & 2;
	*p = s.ptr;
	*first = flag & 1 ? 1 : 2;
	*count = 2 * s.len - *first;
	return true;
}

/* One node: decides or moves *pos and fills *next. */
static enum step step_node(struct px_cursor *c, const uint8_t *key, size_t nkey, size_t *pos,
			   struct ref *next, struct px_slice *value)
{
	struct px_cursor list;
	struct rlp_item items[BRANCH_ITEMS];
	size_t count = 0;

	rlp_read_list(c, &list, MPT_MAX_NODE_BYTES);
	rlp_read_end(c);
	{
		/* Count the items first: the node's kind is its length. */
		struct px_cursor probe = list;

		probe.parent = NULL;
		while (px_cursor_more(&probe) && count < BRANCH_ITEMS)
			rlp_read_item(&probe, &items[count++], MPT_MAX_NODE_BYTES);
		if (px_cursor_more(&probe))
			count++;
		if (!px_cursor_ok(&probe))
			px_cursor_fail(c, px_cursor_error(&probe));
	}
	if (!px_cursor_ok(c))
		return STEP_BAD;
	if (count == BRANCH_ITEMS) {
		unsigned used = 0, slot;
		bool empty;

		for (unsigned i = 0; i < 16; i++) {
			bool ok = items[i].is_list ? items[i].raw.len < ETH_HASH_LEN
						   : (items[i].payload.len == 0 ||
						      items[i].payload.len == ETH_HASH_LEN);

			if (!ok) {
				px_cursor_fail(c, "branch child neither empty, a hash nor an embedded node");
				return STEP_BAD;
			}
			used += items[i].is_list || items[i].payload.len != 0;
		}
		if (items[16].is_list) {
			px_cursor_fail(c, "branch value is a list");
			return STEP_BAD;
		}
		if (used + (items[16].payload.len != 0) < 2) {
			px_cursor_fail(c, "branch with fewer than two entries");
			return STEP_BAD;
		}
		if (*pos == nkey) {
			*value = items[16].payload;
			return value->len ? STEP_FOUND : STEP_ABSENT;
		}
		slot = nibble(key, *pos);
		(*pos)++;
		{
			struct px_cursor child = px_cursor_init(items[slot].raw.ptr, items[slot].raw.len);

			if (!read_ref(&child, next, &empty)) {
				if (empty)
					return STEP_ABSENT;
				px_cursor_fail(c, px_cursor_error(&child));
				return STEP_BAD;
			}
		}
		return STEP_NEXT;
	}
	if (count == 2) {
		bool leaf, empty;
		const uint8_t *p;
		size_t first, plen, i;

		if (!read_path(&list, &leaf, &p, &first, &plen))
			return STEP_BAD;
		if (!leaf && plen == 0) {
			px_cursor_fail(&list, "extension with an empty path");
			return STEP_BAD;
		}
		for (i = 0; i < plen; i++)
			if (*pos + i >= nkey || nibble(p, first + i) != nibble(key, *pos + i))
				break;
		if (leaf) {
			struct px_slice v;

			rlp_read_bytes(&list, &v, MPT_MAX_NODE_BYTES);
			if (px_cursor_ok(&list) && v.len == 0)
				px_cursor_fail(&list, "leaf with an empty value");
			if (!px_cursor_ok(&list))
				return STEP_BAD;
			if (i < plen || *pos + plen != nkey)
				return STEP_ABSENT;
			*pos += plen;
			*value = v;
			return STEP_FOUND;
		}
		if (!read_ref(&list, next, &empty)) {
			if (empty)
				px_cursor_fail(&list, "extension without a child");
			return STEP_BAD;
		}
		if (i < plen)
			return STEP_ABSENT;
		*pos += plen;
		return STEP_NEXT;
	}
	px_cursor_fail(c, "trie node is neither a branch (17 items) nor a leaf or extension (2)");
	return STEP_BAD;
}

static bool walk(struct px_err *err, bool *found, struct px_slice *value,
		 const uint8_t root[ETH_HASH_LEN], const uint8_t *key, size_t key_len,
		 const struct px_slice *nodes, size_t n)
{
	struct ref next;
	size_t used = 0, pos = 0, nkey = 2 * key_len;
	enum step st = STEP_NEXT;

	*found = false;
	value->ptr = NULL;
	value->len = 0;
	if (key_len > MPT_MAX_KEY)
		return px_err_set(err, PX_E_TOO_LARGE, "trie key of %zu bytes, more than %u", key_len,
				  MPT_MAX_KEY);
	if (n > MPT_MAX_PROOF_NODES)
		return px_err_set(err, PX_E_TOO_LARGE, "proof of %zu nodes, more than %u", n,
				  MPT_MAX_PROOF_NODES);
	if (n == 0) {
		/* Nodes return no proof at all for the empty trie. */
		if (memcmp(root, mpt_empty_root, ETH_HASH_LEN) == 0)
			return true;
		return px_err_set(err, PX_E_PROOF_SHAPE, "empty proof for a non-empty trie");
	}
	for (size_t i = 0; i < n; i++)
		if (nodes[i].len > MPT_MAX_NODE_BYTES)
			return px_err_set(err, PX_E_TOO_LARGE, "proof node %zu: %zu bytes, more than %u",
					  i, nodes[i].len, MPT_MAX_NODE_BYTES);
	next.inline_node = false;
	memcpy(next.hash, root, ETH_HASH_LEN);
	while (st == STEP_NEXT) {
		struct px_slice node;
		struct px_cursor c;
		size_t at = used;

		if (next.inline_node) {
			node = next.node;
		} else {
			uint8_t h[ETH_HASH_LEN];

			if (used == n)
				return px_err_set(err, PX_E_PROOF_SHAPE,
						  "proof ends after %zu nodes, before the key's path does", n);
			node = nodes[used++];
			eth_keccak256(h, node.ptr, node.len);
			if (memcmp(h, next.hash, ETH_HASH_LEN) != 0) {
				if (at == 0)
					return px_err_set(err, PX_E_ROOT_MISMATCH,
							  "proof node 0 does not hash to the root");
				return px_err_set(err, PX_E_ROOT_MISMATCH,
						  "proof node %zu does not hash to the reference in node %zu",
						  at, at - 1);
			}
			if (at == 0 && node.len == 1 && node.ptr[0] == 0x80) {
				st = STEP_ABSENT;	/* the empty trie, sent as its one node */
				break;
			}
			if (at > 0 && node.len < ETH_HASH_LEN)
				return px_err_set(err, PX_E_PROOF_SHAPE,
						  "proof node %zu: %zu bytes, referenced by hash instead of embedded",
						  at, node.len);
		}
		c = px_cursor_init(node.ptr, node.len);
		st = step_node(&c, key, nkey, &pos, &next, value);
		if (st == STEP_BAD)
			return px_err_set(err, rlp_error_code(&c), "proof node %zu: %s at byte %zu", at,
					  px_cursor_error(&c), px_cursor_offset(&c));
	}
	if (used != n)
		return px_err_set(err, PX_E_PROOF_SHAPE, "%zu proof nodes after the end of the path",
				  n - used);
	if (st == STEP_FOUND) {
		*found = true;
	} else {
		value->ptr = NULL;
		value->len = 0;
	}
	return true;
}

bool mpt_verify(struct px_err *err, bool *found, struct px_slice *value,
		const uint8_t root[ETH_HASH_LEN], const uint8_t *key, size_t key_len,
		const struct px_slice *nodes, size_t n)
{
	if (walk(err, found, value, root, key, key_len, nodes, n))
		return true;
	*found = false;
	value->ptr = NULL;
	value->len = 0;
	return false;
}

bool mpt_account_decode(struct px_err *err, struct eth_account *out, const uint8_t *buf, size_t len)
{
	struct px_cursor c = px_cursor_init(buf, len), list;

	memset(out, 0, sizeof(*out));
	rlp_read_list(&c, &list, MPT_MAX_NODE_BYTES);
	out->nonce = rlp_read_u64(&list);
	rlp_read_uint_be(&list, out->balance, ETH_U256_LEN, ETH_U256_LEN);
	rlp_read_fixed(&list, out->storage_root, ETH_HASH_LEN);
	rlp_read_fixed(&list, out->code_hash, ETH_HASH_LEN);
	rlp_read_end(&list);
	rlp_read_end(&c);
	if (!px_cursor_ok(&c)) {
		memset(out, 0, sizeof(*out));
		return px_err_set(err, rlp_error_code(&c), "account: %s at byte %zu",
				  px_cursor_error(&c), px_cursor_offset(&c));
	}
	return true;
}

bool mpt_verify_account(struct px_err *err, bool *exists, struct eth_account *out,
			const uint8_t state_root[ETH_HASH_LEN], const uint8_t address[ETH_ADDRESS_LEN],
			const struct px_slice *nodes, size_t n)
{
	uint8_t path[ETH_HASH_LEN];
	struct px_slice v;

	memset(out, 0, sizeof(*out));
	*exists = false;
	eth_keccak256(path, address, ETH_ADDRESS_LEN);
	if (!mpt_verify(err, exists, &v, state_root, path, sizeof(path), nodes, n)) {
		px_err_prefix(err, "account proof: ");
		return false;
	}
	if (*exists && !mpt_account_decode(err, out, v.ptr, v.len)) {
		*exists = false;
		px_err_prefix(err, "account proof: ");
		return false;
	}
	return true;
}

bool mpt_verify_storage(struct px_err *err, bool *exists, uint8_t value[ETH_U256_LEN],
			const uint8_t storage_root[ETH_HASH_LEN], const uint8_t slot[ETH_U256_LEN],
			const struct px_slice *nodes, size_t n)
{
	uint8_t path[ETH_HASH_LEN];
	struct px_slice v;
	struct px_cursor c;

	memset(value, 0, ETH_U256_LEN);
	*exists = false;
	eth_keccak256(path, slot, ETH_U256_LEN);
	if (!mpt_verify(err, exists, &v, storage_root, path, sizeof(path), nodes, n))
		return false;
	if (!*exists)
		return true;
	/* The leaf holds RLP(value) with the value a minimal integer; zero is
	 * never stored (writing zero deletes the slot). */
	c = px_cursor_init(v.ptr, v.len);
	rlp_read_uint_be(&c, value, ETH_U256_LEN, ETH_U256_LEN);
	rlp_read_end(&c);
	if (px_cursor_ok(&c) && v.len == 1 && v.ptr[0] == 0x80)
		px_cursor_fail(&c, "zero value stored in a slot");
	if (!px_cursor_ok(&c)) {
		memset(value, 0, ETH_U256_LEN);
		*exists = false;
		return px_err_set(err, rlp_error_code(&c), "storage value: %s at byte %zu",
				  px_cursor_error(&c), px_cursor_offset(&c));
	}
	return true;
}
