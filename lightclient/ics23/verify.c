/* ICS-23 verification: existence proofs (recompute the root), absence
 * proofs (two neighbouring existence proofs, or one at an edge of the
 * tree, around the key), and the lookup of the right entry in a batch. */
#include "lightclient/ics23/ics23.h"

#include <string.h>

/* Root computed from an existence proof. With a spec, no intermediate hash
 * may be longer than a child (when children are at least 32 bytes), as the
 * specification requires while verifying. */
static bool calculate(struct px_err *err, uint8_t out[64], size_t *out_len,
		      const struct ics23_existence_proof *p, const struct ics23_spec *spec)
{
	int32_t cs = spec ? spec->inner_spec.child_size : 0;
	uint8_t cur[64];
	size_t n = 0;

	if (!p->has_leaf)
		return px_err_set(err, PX_E_SPEC_MISMATCH, "existence proof has no leaf op");
	if (!ics23_leaf_apply(err, cur, &n, &p->leaf, p->key, p->value)) {
		px_err_prefix(err, "leaf: ");
		return false;
	}
	for (size_t i = 0; i < p->path_len; i++) {
		struct px_slice child = { cur, n };
		uint8_t next[64];

		if (!ics23_inner_apply(err, next, &n, &p->path[i], child)) {
			px_err_prefix(err, "inner op %zu: ", i);
			return false;
		}
		if (cs >= 32 && n > (size_t)cs)
			return px_err_set(err, PX_E_SPEC_MISMATCH,
					  "inner op %zu: hash of %zu bytes exceeds child size %d", i,
					  n, cs);
		memcpy(cur, next, n);
	}
	memcpy(out, cur, n);
	*out_len = n;
	return true;
}

bool ics23_existence_calculate(struct px_err *err, uint8_t out[64], size_t *out_len,
			       const struct ics23_existence_proof *p)
{
	return calculate(err, out, out_len, p, NULL);
}

bool ics23_existence_verify(struct px_err *err, const struct ics23_existence_proof *p,
			    const struct ics23_spec *spec, const uint8_t *root, size_t root_len,
			    struct px_slice key, struct px_slice value)
{
	struct px_slice r = { root, root_len };
	struct px_slice calc;
	uint8_t out[64];
	size_t n = 0;

	if (!ics23_existence_check_spec(err, p, spec))
		return false;
	if (!px_slice_eq(key, p->key))
		return px_err_set(err, PX_E_KEY_MISMATCH, "provided key does not match the proof's");
	if (!px_slice_eq(value, p->value))
		return px_err_set(err, PX_E_VALUE_MISMATCH,
				  "provided value does not match the proof's");
	if (!calculate(err, out, &n, p, spec))
		return false;
	calc.ptr = out;
	calc.len = n;
	if (!px_slice_eq(r, calc))
		return px_err_set(err, PX_E_ROOT_MISMATCH, "calculated root does not match the root");
	return true;
}

/* Index of `branch` in the child order, or -1. */
static int position(const struct ics23_inner_spec *spec, int32_t branch)
{
	for (size_t i = 0; i < spec->child_order_len; i++) {
		if (spec->child_order[i] == branch)
			return (int)i;
	}
	return -1;
}

struct padding {
	int64_t min_prefix;
	int64_t max_prefix;
	int64_t suffix;
};

static bool get_padding(const struct ics23_inner_spec *spec, int32_t branch, struct padding *pad)
{
	int idx = position(spec, branch);
	int64_t prefix;

	if (idx < 0)
		return false;
	prefix = (int64_t)idx * spec->child_size;
	pad->min_prefix = prefix + spec->min_prefix_length;
	pad->max_prefix = prefix + spec->max_prefix_length;
	pad->suffix = ((int64_t)spec->child_order_len - 1 - idx) * spec->child_size;
	return true;
}

static bool has_padding(const struct ics23_inner_op *op, const struct padding *pad)
{
	int64_t pl = (int64_t)op->prefix.len;

	return pl >= pad->min_prefix && pl <= pad->max_prefix &&
	       (int64_t)op->suffix.len == pad->suffix;
}

/* Which child of its parent the op's hash is, read off its padding. */
static int order_from_padding(const struct ics23_inner_spec *spec, const struct ics23_inner_op *op)
{
	for (size_t b = 0; b < spec->child_order_len; b++) {
		struct padding pad;

		if (get_padding(spec, (int32_t)b, &pad) && has_padding(op, &pad))
			return (int)b;
	}
	return -1;
}

static bool is_empty_child(const struct ics23_inner_spec *spec, const uint8_t *p)
{
	/* An empty EmptyChild never equals a child of child_size >= 1. */
	return spec->empty_child.len == (size_t)spec->child_size &&
	       memcmp(spec->empty_child.ptr, p, spec->empty_child.len) == 0;
}

bool ics23_left_branches_empty(const struct ics23_inner_spec *spec, const struct ics23_inner_op *op)
{
	int idx = order_from_padding(spec, op);
	int64_t actual;

	if (idx <= 0 || spec->child_size <= 0)
		return false;
	actual = (int64_t)op->prefix.len - (int64_t)idx * spec->child_size;
	if (actual < 0)
		return false;
	for (int i = 0; i < idx; i++) {
		int pos = position(spec, i);
		int64_t from;

		if (pos < 0)
			return false;
		from = actual + (int64_t)pos * spec->child_size;
		if (from + spec->child_size > (int64_t)op->prefix.len)
			return false;
		if (!is_empty_child(spec, op->prefix.ptr + from))
			return false;
	}
	return true;
}

bool ics23_right_branches_empty(const struct ics23_inner_spec *spec, const struct ics23_inner_op *op)
{
	int idx = order_from_padding(spec, op);
	int64_t right;

	if (idx < 0 || spec->child_size <= 0)
		return false;
	right = (int64_t)spec->child_order_len - 1 - idx;
	if (right == 0)
		return false;
	if ((int64_t)op->suffix.len != right * spec->child_size)
		return false;
	for (int i = 0; i < right; i++) {
		int pos = position(spec, i);
		int64_t from;

		if (pos < 0)
			return false;
		from = (int64_t)pos * spec->child_size;
		if (from + spec->child_size > (int64_t)op->suffix.len)
			return false;
		if (!is_empty_child(spec, op->suffix.ptr + from))
			return false;
	}
	return true;
}

static bool is_left_most(const struct ics23_inner_spec *spec, const struct ics23_inner_op *path,
			 size_t n)
{
	struct padding pad;

	if (!get_padding(spec, 0, &pad))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!has_padding(&path[i], &pad) && !ics23_left_branches_empty(spec, &path[i]))
			return false;
	}
	return true;
}

static bool is_right_most(const struct ics23_inner_spec *spec, const struct ics23_inner_op *path,
			  size_t n)
{
	struct padding pad;

	if (spec->child_order_len == 0 ||
	    !get_padding(spec, (int32_t)spec->child_order_len - 1, &pad))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!has_padding(&path[i], &pad) && !ics23_right_branches_empty(spec, &path[i]))
			return false;
	}
	return true;
}

static bool is_left_step(const struct ics23_inner_spec *spec, const struct ics23_inner_op *left,
			 const struct ics23_inner_op *right)
{
	int li = order_from_padding(spec, left);
	int ri = order_from_padding(spec, right);

	return li >= 0 && ri >= 0 && ri == li + 1;
}

/* Right is the next path after left: strip the common part near the root,
 * then the first differing nodes must be adjacent children, everything
 * below them on the left right-most and on the right left-most. */
static bool is_left_neighbour(const struct ics23_inner_spec *spec,
			      const struct ics23_inner_op *left, size_t ln,
			      const struct ics23_inner_op *right, size_t rn)
{
	while (ln > 0 && rn > 0 && px_slice_eq(left[ln - 1].prefix, right[rn - 1].prefix) &&
	       px_slice_eq(left[ln - 1].suffix, right[rn - 1].suffix)) {
		ln--;
		rn--;
	}
	if (ln == 0 || rn == 0)
		return false;
	if (!is_left_step(spec, &left[ln - 1], &right[rn - 1]))
		return false;
	return is_right_most(spec, left, ln - 1) && is_left_most(spec, right, rn - 1);
}

/* The key as ordered in the tree: prehashed when the spec says so. */
static bool comparison_key(struct px_err *err, uint8_t buf[64], struct px_slice *out,
			   const struct ics23_spec *spec, struct px_slice key)
{
	size_t n;

	if (!spec->prehash_key_before_comparison || spec->leaf_spec.prehash_key == ICS23_NO_HASH) {
		*out = key;
		return true;
	}
	if (!ics23_do_hash(err, buf, &n, spec->leaf_spec.prehash_key, key))
		return false;
	out->ptr = buf;
	out->len = n;
	return true;
}

/* -1, 0, 1 as a compares to b in tree order; 2 on a hashing failure. */
static int key_cmp(struct px_err *err, const struct ics23_spec *spec, struct px_slice a,
		   struct px_slice b)
{
	uint8_t ha[64], hb[64];
	struct px_slice ca, cb;

	if (!comparison_key(err, ha, &ca, spec, a) || !comparison_key(err, hb, &cb, spec, b))
		return 2;
	return px_slice_cmp(ca, cb);
}

bool ics23_nonexistence_verify(struct px_err *err, const struct ics23_nonexistence_proof *p,
			       const struct ics23_spec *spec, const uint8_t *root,
			       size_t root_len, struct px_slice key)
{
	const struct ics23_inner_spec *is = &spec->inner_spec;
	int c;

	if (!p->left && !p->right)
		return px_err_set(err, PX_E_PROOF_SHAPE, "both left and right proofs missing");
	/* The proof names the key it is about; one naming another key is not
	 * a proof about this one. (The key may be written prehashed.) */
	if (p->key.len) {
		uint8_t hk[64];
		struct px_slice ck;

		if (!comparison_key(err, hk, &ck, spec, key))
			return false;
		if (!px_slice_eq(p->key, key) && !px_slice_eq(p->key, ck))
			return px_err_set(err, PX_E_KEY_MISMATCH,
					  "provided key does not match the proof's");
	}
	if (p->left && !ics23_existence_verify(err, p->left, spec, root, root_len, p->left->key,
					       p->left->value)) {
		px_err_prefix(err, "left proof: ");
		return false;
	}
	if (p->right && !ics23_existence_verify(err, p->right, spec, root, root_len,
						p->right->key, p->right->value)) {
		px_err_prefix(err, "right proof: ");
		return false;
	}
	if (p->right) {
		c = key_cmp(err, spec, key, p->right->key);
		if (c == 2)
			return false;
		if (c >= 0)
			return px_err_set(err, PX_E_KEY_ORDER, "key is not left of the right proof");
	}
	if (p->left) {
		c = key_cmp(err, spec, key, p->left->key);
		if (c == 2)
			return false;
		if (c <= 0)
			return px_err_set(err, PX_E_KEY_ORDER, "key is not right of the left proof");
	}
	if (!p->left) {
		if (!is_left_most(is, p->right->path, p->right->path_len))
			return px_err_set(err, PX_E_NEIGHBOUR,
					  "left proof missing, right proof must be left-most");
	} else if (!p->right) {
		if (!is_right_most(is, p->left->path, p->left->path_len))
			return px_err_set(err, PX_E_NEIGHBOUR,
					  "right proof missing, left proof must be right-most");
	} else if (!is_left_neighbour(is, p->left->path, p->left->path_len, p->right->path,
				      p->right->path_len)) {
		return px_err_set(err, PX_E_NEIGHBOUR, "left and right proofs are not neighbours");
	}
	return true;
}

/* Batch lookups follow the specification: the first existence entry with
 * the key, the first non-existence entry whose neighbours bracket it. */
static const struct ics23_existence_proof *exist_for_key(const struct ics23_proof *proof,
							 struct px_slice key)
{
	if (proof->kind == ICS23_PROOF_EXIST)
		return px_slice_eq(proof->exist->key, key) ? proof->exist : NULL;
	if (proof->kind != ICS23_PROOF_BATCH && proof->kind != ICS23_PROOF_COMPRESSED)
		return NULL;
	for (size_t i = 0; i < proof->entries_len; i++) {
		const struct ics23_batch_entry *e = &proof->entries[i];

		if (e->kind == ICS23_ENTRY_EXIST && px_slice_eq(e->exist->key, key))
			return e->exist;
	}
	return NULL;
}

static bool brackets(struct px_err *err, const struct ics23_spec *spec,
		     const struct ics23_nonexistence_proof *np, struct px_slice key)
{
	if (np->left && key_cmp(err, spec, np->left->key, key) != -1)
		return false;
	if (np->right && key_cmp(err, spec, np->right->key, key) != 1)
		return false;
	return true;
}

static const struct ics23_nonexistence_proof *
nonexist_for_key(struct px_err *err, const struct ics23_spec *spec, const struct ics23_proof *proof,
		 struct px_slice key)
{
	if (proof->kind == ICS23_PROOF_NONEXIST)
		return brackets(err, spec, proof->nonexist, key) ? proof->nonexist : NULL;
	if (proof->kind != ICS23_PROOF_BATCH && proof->kind != ICS23_PROOF_COMPRESSED)
		return NULL;
	for (size_t i = 0; i < proof->entries_len; i++) {
		const struct ics23_batch_entry *e = &proof->entries[i];

		if (e->kind == ICS23_ENTRY_NONEXIST && brackets(err, spec, e->nonexist, key))
			return e->nonexist;
	}
	return NULL;
}

bool ics23_verify_membership(struct px_err *err, const struct ics23_spec *spec,
			     const uint8_t *root, size_t root_len, const struct ics23_proof *proof,
			     const uint8_t *key, size_t key_len, const uint8_t *value,
			     size_t value_len)
{
	struct px_slice k = { key, key_len }, v = { value, value_len };
	const struct ics23_existence_proof *ep;

	if (key_len == 0)
		return px_err_set(err, PX_E_VERIFY, "membership: empty key");
	if (value_len == 0)
		return px_err_set(err, PX_E_VERIFY, "membership: empty value");
	ep = exist_for_key(proof, k);
	if (!ep) {
		if (proof->kind == ICS23_PROOF_EXIST)
			return px_err_set(err, PX_E_KEY_MISMATCH,
					  "provided key does not match the proof's");
		return px_err_set(err, PX_E_NO_PROOF_FOR_KEY, "proof has no existence proof for the key");
	}
	return ics23_existence_verify(err, ep, spec, root, root_len, k, v);
}

bool ics23_verify_non_membership(struct px_err *err, const struct ics23_spec *spec,
				 const uint8_t *root, size_t root_len,
				 const struct ics23_proof *proof, const uint8_t *key,
				 size_t key_len)
{
	struct px_slice k = { key, key_len };
	const struct ics23_nonexistence_proof *np;
	struct px_err herr = { 0 };

	if (key_len == 0)
		return px_err_set(err, PX_E_VERIFY, "non-membership: empty key");
	np = nonexist_for_key(&herr, spec, proof, k);
	if (herr.code)
		return px_err_set(err, herr.code, "%s", herr.msg);
	if (!np) {
		if (proof->kind == ICS23_PROOF_NONEXIST)
			return px_err_set(err, PX_E_KEY_ORDER,
					  "key is not between the proof's neighbours");
		return px_err_set(err, PX_E_NO_PROOF_FOR_KEY,
				  "proof has no non-existence proof for the key");
	}
	return ics23_nonexistence_verify(err, np, spec, root, root_len, k);
}
