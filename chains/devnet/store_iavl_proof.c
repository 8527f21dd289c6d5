/* ICS-23 proofs out of the IAVL tree, encoded as cosmos/iavl's
 * proof_ics23.go encodes them (fields in order, zero fields left out), so
 * a relayer sees from the devnet the same bytes a Cosmos SDK chain would
 * serve: a leaf op carrying the leaf's height 0, size 1 and version, then
 * one inner op per level from the leaf up, whose prefix carries the
 * node's height, size and version and the left child's hash when the path
 * goes right, and whose suffix carries the right child's hash when it goes
 * left. */
#include "chains/devnet/store_iavl_internal.h"

#include <string.h>

#include "common/protobuf.h"

static int key_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	int c = n ? memcmp(a, b, n) : 0;

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static void put_zigzag(struct px_buf *b, int64_t v)
{
	px_pb_put_varint(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

/* Appends an ExistenceProof for the leaf of key (which must be in root)
 * as field `field` of the enclosing message. */
static void put_existence(struct px_buf *out, uint32_t field, struct iavl_node *root,
			  const uint8_t *key, size_t key_len)
{
	struct iavl_node *path[DEVNET_IAVL_MAX_HEIGHT];
	bool went_left[DEVNET_IAVL_MAX_HEIGHT];
	struct px_buf msg = PX_BUF_INIT, op = PX_BUF_INIT, fix = PX_BUF_INIT;
	struct iavl_node *n = root;
	size_t depth = 0;

	while (n->height && depth < DEVNET_IAVL_MAX_HEIGHT) {
		path[depth] = n;
		went_left[depth] = key_cmp(key, key_len, iavl_key(n), n->key_len) < 0;
		n = went_left[depth] ? n->left : n->right;
		depth++;
	}
	px_pb_put_bytes(&msg, 1, iavl_key(n), n->key_len);
	px_pb_put_bytes(&msg, 2, iavl_value(n), n->value_len);

	/* LeafOp: SHA256, prehash value SHA256, VAR_PROTO, prefix */
	put_zigzag(&fix, 0);
	put_zigzag(&fix, 1);
	put_zigzag(&fix, n->version);
	px_pb_put_uint64(&op, 1, 1);
	px_pb_put_uint64(&op, 3, 1);
	px_pb_put_uint64(&op, 4, 1);
	px_pb_put_bytes(&op, 5, fix.data, fix.len);
	px_pb_put_bytes(&msg, 3, op.data, op.len);

	while (depth-- > 0) {
		const struct iavl_node *p = path[depth];

		px_buf_reset(&fix);
		px_buf_reset(&op);
		put_zigzag(&fix, p->height);
		put_zigzag(&fix, p->size);
		put_zigzag(&fix, p->version);
		px_buf_push(&fix, DEVNET_HASH_LEN);
		if (!went_left[depth]) {
			px_buf_append(&fix, p->left->hash, DEVNET_HASH_LEN);
			px_buf_push(&fix, DEVNET_HASH_LEN);
		}
		px_pb_put_uint64(&op, 1, 1);
		px_pb_put_bytes(&op, 2, fix.data, fix.len);
		if (went_left[depth]) {
			uint8_t suffix[1 + DEVNET_HASH_LEN];

			suffix[0] = DEVNET_HASH_LEN;
			memcpy(suffix + 1, p->right->hash, DEVNET_HASH_LEN);
			px_pb_put_bytes(&op, 3, suffix, sizeof(suffix));
		}
		px_pb_put_bytes(&msg, 4, op.data, op.len);
	}
	if (!px_buf_ok(&msg) || !px_buf_ok(&op) || !px_buf_ok(&fix))
		out->failed = true;
	else
		px_pb_put_bytes(out, field, msg.data, msg.len);
	px_buf_free(&msg);
	px_buf_free(&op);
	px_buf_free(&fix);
}

/* The leaf with the largest key below key, or NULL. */
static struct iavl_node *predecessor(struct iavl_node *n, const uint8_t *key, size_t key_len)
{
	struct iavl_node *best = NULL;

	while (n && n->height) {
		if (key_cmp(key, key_len, iavl_key(n), n->key_len) > 0) {
			best = n->left;	/* everything left is below key */
			n = n->right;
		} else {
			n = n->left;
		}
	}
	if (n && key_cmp(iavl_key(n), n->key_len, key, key_len) < 0)
		return n;
	while (best && best->height)
		best = best->right;
	return best;
}

/* The leaf with the smallest key above key, or NULL. */
static struct iavl_node *successor(struct iavl_node *n, const uint8_t *key, size_t key_len)
{
	struct iavl_node *best = NULL;

	while (n && n->height) {
		if (key_cmp(key, key_len, iavl_key(n), n->key_len) < 0) {
			best = n->right;	/* everything right is above key */
			n = n->left;
		} else {
			n = n->right;
		}
	}
	if (n && key_cmp(iavl_key(n), n->key_len, key, key_len) > 0)
		return n;
	while (best && best->height)
		best = best->left;
	return best;
}

bool devnet_iavl_prove(struct px_err *err, struct px_buf *proof, bool *exists,
		       struct px_slice *value, const struct devnet_iavl *t, int64_t version,
		       const uint8_t *key, size_t key_len)
{
	const struct iavl_version *ver;
	struct px_buf msg = PX_BUF_INIT;
	struct px_slice v;
	bool found;
	size_t start = proof->len;

	*exists = false;
	if (value) {
		value->ptr = NULL;
		value->len = 0;
	}
	if (version == DEVNET_IAVL_WORKING)
		return px_err_set(err, PX_E_USAGE, "store %s: no proofs of uncommitted state",
				  t->name);
	if (!devnet_iavl_get(err, &v, &found, t, version, key, key_len))
		return false;
	ver = iavl_find_version(t, version);
	if (found) {
		put_existence(proof, 1, ver->root, key, key_len);
	} else {
		struct iavl_node *left = predecessor(ver->root, key, key_len);
		struct iavl_node *right = successor(ver->root, key, key_len);

		px_pb_put_bytes(&msg, 1, key, key_len);
		if (left)
			put_existence(&msg, 2, ver->root, iavl_key(left), left->key_len);
		if (right)
			put_existence(&msg, 3, ver->root, iavl_key(right), right->key_len);
		if (px_buf_ok(&msg))
			px_pb_put_bytes(proof, 2, msg.data, msg.len);
		else
			proof->failed = true;
		px_buf_free(&msg);
	}
	if (!px_buf_ok(proof)) {
		proof->len = start;
		return px_err_set(err, PX_E_NOMEM, "store %s: out of memory for a proof", t->name);
	}
	*exists = found;
	if (value && found)
		*value = v;
	return true;
}
