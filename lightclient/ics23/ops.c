/* The ICS-23 operations: HashOp and LengthOp, applying leaf and inner ops,
 * and checking each op against a ProofSpec. Hashes are taken over the
 * pieces in place (no concatenation buffer). */
#include "lightclient/ics23/ics23.h"

#include <string.h>

#include "common/hash.h"
#include "common/protobuf.h"

static bool hash_alg(enum ics23_hash_op op, enum px_hash_alg *alg)
{
	switch (op) {
	case ICS23_SHA256: *alg = PX_HASH_SHA256; return true;
	case ICS23_SHA512: *alg = PX_HASH_SHA512; return true;
	case ICS23_RIPEMD160: *alg = PX_HASH_RIPEMD160; return true;
	case ICS23_SHA512_256: *alg = PX_HASH_SHA512_256; return true;
	case ICS23_BLAKE2B_512: *alg = PX_HASH_BLAKE2B512; return true;
	case ICS23_BLAKE2S_256: *alg = PX_HASH_BLAKE2S256; return true;
	default: return false;
	}
}

/* HashOp over the concatenation of iov. BITCOIN is RIPEMD160(SHA256(x)).
 * NO_HASH, KECCAK256 and BLAKE3 are not hash functions the specification
 * supports here. */
static bool hash_iov(struct px_err *err, uint8_t out[64], size_t *out_len, enum ics23_hash_op op,
		     const struct px_iov *iov, size_t n)
{
	enum px_hash_alg alg;
	uint8_t joined[512];
	struct px_iov one;
	size_t total = 0;

	/* Proof preimages are short; one update over a joined copy costs less
	 * than an update per piece. */
	for (size_t i = 0; i < n; i++)
		total += iov[i].len;
	if (n > 1 && total <= sizeof(joined)) {
		size_t at = 0;

		for (size_t i = 0; i < n; i++) {
			if (iov[i].len)
				memcpy(joined + at, iov[i].ptr, iov[i].len);
			at += iov[i].len;
		}
		one.ptr = joined;
		one.len = total;
		iov = &one;
		n = 1;
	}

	if (op == ICS23_BITCOIN) {
		uint8_t mid[PX_SHA256_LEN];
		struct px_iov mid_iov = { mid, sizeof(mid) };

		px_sha256_iov(mid, iov, n);
		if (!px_hash_iov(err, out, PX_HASH_RIPEMD160, &mid_iov, 1))
			return false;
		*out_len = PX_RIPEMD160_LEN;
		return true;
	}
	if (!hash_alg(op, &alg))
		return px_err_set(err, PX_E_UNSUPPORTED, "unsupported hash op %d", (int)op);
	if (!px_hash_iov(err, out, alg, iov, n))
		return false;
	*out_len = px_hash_len(alg);
	return true;
}

bool ics23_do_hash(struct px_err *err, uint8_t out[64], size_t *out_len, enum ics23_hash_op op,
		   struct px_slice data)
{
	struct px_iov iov = { data.ptr, data.len };

	return hash_iov(err, out, out_len, op, &iov, 1);
}

/* One side of a leaf: optionally prehashed data and its length prefix.
 * `hashed` receives the prehash (it must outlive the iovs); `lenbuf` the
 * length prefix. Fills two iovs. */
static bool prepare_leaf_data(struct px_err *err, struct px_iov iov[2], uint8_t hashed[64],
			      uint8_t lenbuf[10], enum ics23_hash_op prehash,
			      enum ics23_length_op length, struct px_slice data)
{
	size_t n = data.len;
	const uint8_t *p = data.ptr;
	size_t lenlen = 0;

	if (prehash != ICS23_NO_HASH) {
		if (!ics23_do_hash(err, hashed, &n, prehash, data))
			return false;
		p = hashed;
	}
	switch (length) {
	case ICS23_NO_PREFIX:
		break;
	case ICS23_VAR_PROTO: {
		uint64_t v = n;

		while (v >= 0x80) {
			lenbuf[lenlen++] = (uint8_t)(v | 0x80);
			v >>= 7;
		}
		lenbuf[lenlen++] = (uint8_t)v;
		break;
	}
	case ICS23_REQUIRE_32_BYTES:
		if (n != 32)
			return px_err_set(err, PX_E_VERIFY, "data was %zu bytes, not 32", n);
		break;
	case ICS23_REQUIRE_64_BYTES:
		if (n != 64)
			return px_err_set(err, PX_E_VERIFY, "data was %zu bytes, not 64", n);
		break;
	case ICS23_FIXED32_BIG:
	case ICS23_FIXED32_LITTLE:
		if (n > UINT32_MAX)
			return px_err_set(err, PX_E_VERIFY, "data longer than 32-bit length");
		for (int i = 0; i < 4; i++) {
			int shift = length == ICS23_FIXED32_BIG ? 8 * (3 - i) : 8 * i;
			lenbuf[lenlen++] = (uint8_t)((uint64_t)n >> shift);
		}
		break;
	case ICS23_FIXED64_BIG:
	case ICS23_FIXED64_LITTLE:
		for (int i = 0; i < 8; i++) {
			int shift = length == ICS23_FIXED64_BIG ? 8 * (7 - i) : 8 * i;
			lenbuf[lenlen++] = (uint8_t)((uint64_t)n >> shift);
		}
		break;
	default:
		return px_err_set(err, PX_E_UNSUPPORTED, "unsupported length op %d", (int)length);
	}
	iov[0].ptr = lenbuf;
	iov[0].len = lenlen;
	iov[1].ptr = p;
	iov[1].len = n;
	return true;
}

bool ics23_leaf_apply(struct px_err *err, uint8_t out[64], size_t *out_len,
		      const struct ics23_leaf_op *op, struct px_slice key, struct px_slice value)
{
	uint8_t hkey[64], hval[64], lkey[10], lval[10];
	struct px_iov iov[5];

	if (key.len == 0)
		return px_err_set(err, PX_E_VERIFY, "leaf op needs key");
	if (value.len == 0)
		return px_err_set(err, PX_E_VERIFY, "leaf op needs value");
	iov[0].ptr = op->prefix.ptr;
	iov[0].len = op->prefix.len;
	if (!prepare_leaf_data(err, &iov[1], hkey, lkey, op->prehash_key, op->length, key)) {
		px_err_prefix(err, "prehash key: ");
		return false;
	}
	if (!prepare_leaf_data(err, &iov[3], hval, lval, op->prehash_value, op->length, value)) {
		px_err_prefix(err, "prehash value: ");
		return false;
	}
	return hash_iov(err, out, out_len, op->hash, iov, 5);
}

bool ics23_inner_apply(struct px_err *err, uint8_t out[64], size_t *out_len,
		       const struct ics23_inner_op *op, struct px_slice child)
{
	struct px_iov iov[3] = {
		{ op->prefix.ptr, op->prefix.len },
		{ child.ptr, child.len },
		{ op->suffix.ptr, op->suffix.len },
	};

	if (child.len == 0)
		return px_err_set(err, PX_E_VERIFY, "inner op needs child value");
	return hash_iov(err, out, out_len, op->hash, iov, 3);
}

/* Reads a zigzag varint as Go's binary.ReadVarint does: at most ten bytes,
 * overflow refused, shorter encodings not required. */
static bool read_zigzag(struct px_slice *s, int64_t *out)
{
	uint64_t v = 0;

	for (size_t i = 0; i < 10; i++) {
		uint8_t b;

		if (i >= s->len)
			return false;
		b = s->ptr[i];
		if (i == 9 && b > 1)
			return false;
		v |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80)) {
			s->ptr += i + 1;
			s->len -= i + 1;
			*out = (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
			return true;
		}
	}
	return false;
}

/* The IAVL prefix carries height, size and version as zigzag varints; at
 * layer b the height is at least b. A leaf prefix has nothing after them;
 * an inner prefix has the length byte of a left child (1 byte) or a whole
 * left child with its length byte (34 bytes), and hashes with SHA-256. */
static bool iavl_prefix_check(struct px_err *err, struct px_slice prefix, enum ics23_hash_op hash,
			      int layer)
{
	int64_t v[3];

	for (int i = 0; i < 3; i++) {
		if (!read_zigzag(&prefix, &v[i]))
			return px_err_set(err, PX_E_SPEC_MISMATCH, "IAVL prefix: bad varint");
		if (v[i] < 0)
			return px_err_set(err, PX_E_SPEC_MISMATCH, "IAVL prefix: negative value");
	}
	if (v[0] < layer)
		return px_err_set(err, PX_E_SPEC_MISMATCH,
				  "IAVL prefix: height %lld below layer %d", (long long)v[0], layer);
	if (layer == 0) {
		if (prefix.len != 0)
			return px_err_set(err, PX_E_SPEC_MISMATCH,
					  "IAVL leaf prefix: %zu unexpected trailing bytes",
					  prefix.len);
	} else {
		if (prefix.len != 1 && prefix.len != 34)
			return px_err_set(err, PX_E_SPEC_MISMATCH,
					  "IAVL inner prefix: %zu bytes after the varints, want 1 or 34",
					  prefix.len);
		if (hash != ICS23_SHA256)
			return px_err_set(err, PX_E_SPEC_MISMATCH, "IAVL inner op must hash with SHA-256");
	}
	return true;
}

bool ics23_leaf_check_spec(struct px_err *err, const struct ics23_leaf_op *op,
			   const struct ics23_spec *spec)
{
	const struct ics23_leaf_op *ls = &spec->leaf_spec;

	if (ics23_spec_equal(spec, &ics23_spec_iavl) &&
	    !iavl_prefix_check(err, op->prefix, op->hash, 0))
		return false;
	if (op->hash != ls->hash)
		return px_err_set(err, PX_E_SPEC_MISMATCH, "leaf: unexpected hash op %d", (int)op->hash);
	if (op->prehash_key != ls->prehash_key)
		return px_err_set(err, PX_E_SPEC_MISMATCH, "leaf: unexpected prehash key op %d",
				  (int)op->prehash_key);
	if (op->prehash_value != ls->prehash_value)
		return px_err_set(err, PX_E_SPEC_MISMATCH, "leaf: unexpected prehash value op %d",
				  (int)op->prehash_value);
	if (op->length != ls->length)
		return px_err_set(err, PX_E_SPEC_MISMATCH, "leaf: unexpected length op %d",
				  (int)op->length);
	if (!px_slice_has_prefix(op->prefix, ls->prefix))
		return px_err_set(err, PX_E_SPEC_MISMATCH, "leaf: prefix does not start with the spec's");
	return true;
}

bool ics23_inner_check_spec(struct px_err *err, const struct ics23_inner_op *op,
			    const struct ics23_spec *spec, int layer)
{
	const struct ics23_inner_spec *is = &spec->inner_spec;
	int64_t max_left;

	if (op->hash != is->hash)
		return px_err_set(err, PX_E_SPEC_MISMATCH, "inner: unexpected hash op %d", (int)op->hash);
	if (ics23_spec_equal(spec, &ics23_spec_iavl) &&
	    !iavl_prefix_check(err, op->prefix, op->hash, layer))
		return false;
	if (px_slice_has_prefix(op->prefix, spec->leaf_spec.prefix))
		return px_err_set(err, PX_E_SPEC_MISMATCH, "inner: prefix starts with the leaf prefix");
	if ((int64_t)op->prefix.len < is->min_prefix_length)
		return px_err_set(err, PX_E_SPEC_MISMATCH, "inner: prefix too short (%zu)",
				  op->prefix.len);
	max_left = ((int64_t)is->child_order_len - 1) * is->child_size;
	if ((int64_t)op->prefix.len > is->max_prefix_length + max_left)
		return px_err_set(err, PX_E_SPEC_MISMATCH, "inner: prefix too long (%zu)",
				  op->prefix.len);
	if (is->child_size <= 0)
		return px_err_set(err, PX_E_SPEC_MISMATCH, "spec: child size must be at least 1");
	if (op->suffix.len % (size_t)is->child_size != 0)
		return px_err_set(err, PX_E_SPEC_MISMATCH, "inner: suffix length %zu not a multiple of %d",
				  op->suffix.len, is->child_size);
	return true;
}

bool ics23_existence_check_spec(struct px_err *err, const struct ics23_existence_proof *p,
				const struct ics23_spec *spec)
{
	int32_t max_depth = spec->max_depth ? spec->max_depth : 128;

	if (!p->has_leaf)
		return px_err_set(err, PX_E_SPEC_MISMATCH, "existence proof has no leaf op");
	if (!ics23_leaf_check_spec(err, &p->leaf, spec))
		return false;
	if (spec->min_depth > 0 && p->path_len < (size_t)spec->min_depth)
		return px_err_set(err, PX_E_SPEC_MISMATCH, "path too short: %zu inner ops",
				  p->path_len);
	if ((int64_t)p->path_len > max_depth)
		return px_err_set(err, PX_E_SPEC_MISMATCH, "path too long: %zu inner ops", p->path_len);
	for (size_t i = 0; i < p->path_len; i++) {
		if (!ics23_inner_check_spec(err, &p->path[i], spec, (int)i + 1)) {
			px_err_prefix(err, "inner op %zu: ", i);
			return false;
		}
	}
	return true;
}
