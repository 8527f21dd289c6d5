/* MerkleRoot, MerklePrefix, MerkleProof and the ClientState's ProofSpecs. */
#include "ibc/codec/commitment.h"

#include "lightclient/ics23/ics23.h"

#define MAX_PREFIX 256u		/* a store prefix such as "ibc" */
#define MAX_ROOT 64u
#define MAX_PROOF_SPEC 1024u

static const char *const spec_names[] = { "iavl", "tendermint", "smt" };

void ibc_merkle_bytes_read(struct px_cursor *c, struct ibc_where *w, const char *msg,
			   struct px_slice *out, size_t max)
{
	static const char *const names[] = { "key", "bytes" };
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, IBC_F(1), &field, &wire);
		if (field == 1)
			px_pb_read_bytes(c, wire, out, max);
		else
			px_pb_skip(c, wire);
		ibc_pb_note(w, c, msg, names, IBC_COUNT(names), field);
	}
}

void ibc_merkle_bytes_write(struct ibc_writer *w, const void *slice)
{
	ibc_pb_put_bytes(w, 1, *(const struct px_slice *)slice);
}

static void root_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	ibc_merkle_bytes_read(c, w, "MerkleRoot", out, MAX_ROOT);
}

static void prefix_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	ibc_merkle_bytes_read(c, w, "MerklePrefix", out, MAX_PREFIX);
}

bool ibc_merkle_root_decode(struct px_err *err, struct px_slice *hash, const uint8_t *buf,
			    size_t len)
{
	return ibc_pb_decode(err, "MerkleRoot", root_read, NULL, hash, sizeof(*hash), buf, len);
}

bool ibc_merkle_root_encode(struct px_err *err, struct px_buf *out, struct px_slice hash)
{
	return ibc_pb_encode(err, "MerkleRoot", ibc_merkle_bytes_write, out, &hash);
}

bool ibc_merkle_prefix_decode(struct px_err *err, struct px_slice *key_prefix, const uint8_t *buf,
			      size_t len)
{
	return ibc_pb_decode(err, "MerklePrefix", prefix_read, NULL, key_prefix,
			     sizeof(*key_prefix), buf, len);
}

bool ibc_merkle_prefix_encode(struct px_err *err, struct px_buf *out, struct px_slice key_prefix)
{
	return ibc_pb_encode(err, "MerklePrefix", ibc_merkle_bytes_write, out, &key_prefix);
}

static void proofs_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	static const char *const names[] = { "key", "proofs" };
	struct ibc_merkle_proofs *p = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, 0, &field, &wire);
		if (field == 1) {
			if (p->len == IBC_MAX_MERKLE_PROOFS)
				px_cursor_fail(c, "too many proofs");
			else
				px_pb_read_bytes(c, wire, &p->proofs[p->len++], IBC_MAX_PROOF);
		} else {
			px_pb_skip(c, wire);
		}
		ibc_pb_note(w, c, "MerkleProof", names, IBC_COUNT(names), field);
	}
}

static void proofs_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_merkle_proofs *p = in;

	if (p->len > IBC_MAX_MERKLE_PROOFS) {
		ibc_pb_writer_fail(w, "too many proofs");
		return;
	}
	/* A CommitmentProof is a message: written even when empty. */
	for (size_t i = 0; i < p->len; i++)
		px_pb_put_bytes(w->b, 1, p->proofs[i].ptr, p->proofs[i].len);
}

bool ibc_merkle_proofs_decode(struct px_err *err, struct ibc_merkle_proofs *out, const uint8_t *buf,
			      size_t len)
{
	return ibc_pb_decode(err, "MerkleProof", proofs_read, NULL, out, sizeof(*out), buf, len);
}

bool ibc_merkle_proofs_encode(struct px_err *err, struct px_buf *out,
			      const struct ibc_merkle_proofs *in)
{
	return ibc_pb_encode(err, "MerkleProof", proofs_write, out, in);
}

/* ---- ProofSpec, as cosmos/ics23 (gogoproto) writes it: LeafOp = 1,
 * InnerSpec = 2, max_depth = 3, min_depth = 4,
 * prehash_key_before_comparison = 5; InnerSpec's child_order packed. */

static void leaf_write(struct ibc_writer *w, const void *in)
{
	const struct ics23_leaf_op *l = in;

	ibc_pb_put_u64(w, 1, (uint64_t)l->hash);
	ibc_pb_put_u64(w, 2, (uint64_t)l->prehash_key);
	ibc_pb_put_u64(w, 3, (uint64_t)l->prehash_value);
	ibc_pb_put_u64(w, 4, (uint64_t)l->length);
	ibc_pb_put_bytes(w, 5, l->prefix);
}

static void inner_write(struct ibc_writer *w, const void *in)
{
	const struct ics23_inner_spec *s = in;

	if (s->child_order_len) {
		size_t n = 0;

		for (size_t i = 0; i < s->child_order_len; i++)
			n += px_pb_varint_len((uint64_t)(int64_t)s->child_order[i]);
		px_pb_put_tag(w->b, 1, PX_WIRE_LEN);
		px_pb_put_varint(w->b, n);
		for (size_t i = 0; i < s->child_order_len; i++)
			px_pb_put_varint(w->b, (uint64_t)(int64_t)s->child_order[i]);
	}
	ibc_pb_put_i64(w, 2, s->child_size);
	ibc_pb_put_i64(w, 3, s->min_prefix_length);
	ibc_pb_put_i64(w, 4, s->max_prefix_length);
	ibc_pb_put_bytes(w, 5, s->empty_child);
	ibc_pb_put_u64(w, 6, (uint64_t)s->hash);
}

static void spec_write(struct ibc_writer *w, const void *in)
{
	const struct ics23_spec *s = in;

	ibc_pb_put_sub(w, 1, leaf_write, &s->leaf_spec);
	ibc_pb_put_sub(w, 2, inner_write, &s->inner_spec);
	ibc_pb_put_i64(w, 3, s->max_depth);
	ibc_pb_put_i64(w, 4, s->min_depth);
	ibc_pb_put_bool(w, 5, s->prehash_key_before_comparison);
}

void ibc_proof_spec_put(struct ibc_writer *w, uint32_t field, const char *name)
{
	const struct ics23_spec *s = name ? ics23_spec_by_name(name) : NULL;

	if (!s) {
		ibc_pb_writer_fail(w, "unknown proof spec name");
		return;
	}
	ibc_pb_put_sub(w, field, spec_write, s);
}

void ibc_proof_spec_read(struct px_cursor *c, struct ibc_where *w, uint32_t wire,
			 const char **name)
{
	struct px_slice got;

	px_pb_read_bytes(c, wire, &got, MAX_PROOF_SPEC);
	if (!px_cursor_ok(c))
		return;
	for (size_t i = 0; i < IBC_COUNT(spec_names); i++) {
		struct px_buf b = PX_BUF_INIT;
		struct ibc_writer wr = { &b, NULL };
		bool same;

		spec_write(&wr, ics23_spec_by_name(spec_names[i]));
		if (!px_buf_ok(&b)) {
			px_buf_free(&b);
			px_cursor_fail(c, ibc_pb_nomem);
			return;
		}
		same = px_slice_eq(px_slice_of(&b), got);
		px_buf_free(&b);
		if (same) {
			*name = spec_names[i];
			return;
		}
	}
	(void)w;
	px_cursor_fail(c, "unknown or non-canonical proof spec");
}
