/* Protobuf decoding of cosmos.ics23.v1.CommitmentProof into the structures
 * of ics23.h. Fields are read through the sticky-error cursor; repeated
 * fields are counted in a first pass so their arrays are sized exactly and
 * checked against the caps before anything is allocated. A singular field
 * that appears twice, a oneof with two members set and an unknown enum
 * value are refused: no honest prover writes them. */
#include "lightclient/ics23/ics23.h"

#include <stdlib.h>
#include <string.h>

#include "common/protobuf.h"

/* A compressed batch's shared table of inner ops. */
struct lookup {
	struct ics23_inner_op *ops;
	size_t len;
};

struct dec {
	struct px_arena *arena;
	const struct lookup *lookup;	/* while reading a compressed batch */
	bool nomem;
};

static void *dec_alloc(struct dec *d, struct px_cursor *c, size_t n, size_t size)
{
	void *p = px_arena_calloc(d->arena, n, size);

	if (!p) {
		d->nomem = true;
		px_cursor_fail(c, "out of memory");
	}
	return p;
}

/* Marks a singular field (1..last) as seen; a second occurrence is an
 * error. Unknown fields are not tracked: they may be repeated fields of a
 * newer schema. */
static void once(struct px_cursor *c, uint32_t *seen, uint32_t field, uint32_t last)
{
	if (field >= 1 && field <= last) {
		if (*seen & (1u << field))
			px_cursor_fail(c, "duplicate field");
		*seen |= 1u << field;
	}
}

static void leaf_op_read(struct px_cursor *c, struct ics23_leaf_op *op)
{
	uint32_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		px_pb_read_tag(c, &field, &wire);
		once(c, &seen, field, 5);
		switch (field) {
		case 1: op->hash = px_pb_read_enum(c, wire, ICS23_HASH_OP_MAX); break;
		case 2: op->prehash_key = px_pb_read_enum(c, wire, ICS23_HASH_OP_MAX); break;
		case 3: op->prehash_value = px_pb_read_enum(c, wire, ICS23_HASH_OP_MAX); break;
		case 4: op->length = px_pb_read_enum(c, wire, ICS23_LENGTH_OP_MAX); break;
		case 5: px_pb_read_bytes(c, wire, &op->prefix, ICS23_MAX_OP_BYTES); break;
		default: px_pb_skip(c, wire); break;
		}
	}
}

static void inner_op_read(struct px_cursor *c, struct ics23_inner_op *op)
{
	uint32_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		px_pb_read_tag(c, &field, &wire);
		once(c, &seen, field, 3);
		switch (field) {
		case 1: op->hash = px_pb_read_enum(c, wire, ICS23_HASH_OP_MAX); break;
		case 2: px_pb_read_bytes(c, wire, &op->prefix, ICS23_MAX_OP_BYTES); break;
		case 3: px_pb_read_bytes(c, wire, &op->suffix, ICS23_MAX_OP_BYTES); break;
		default: px_pb_skip(c, wire); break;
		}
	}
}

/* Counts occurrences of one field in a message without decoding them. */
static size_t count_field(struct px_cursor *c, uint32_t want)
{
	struct px_cursor scan = *c;
	size_t n = 0;

	scan.parent = c;
	while (px_cursor_more(&scan)) {
		uint32_t field, wire;

		px_pb_read_tag(&scan, &field, &wire);
		if (field == want)
			n++;
		px_pb_skip(&scan, wire);
	}
	return n;
}

static void existence_read(struct dec *d, struct px_cursor *c, struct ics23_existence_proof *p)
{
	size_t n = count_field(c, 4);
	uint32_t seen = 0;

	if (n > ICS23_MAX_PATH) {
		px_cursor_fail(c, "path longer than limit");
		return;
	}
	if (n) {
		p->path = dec_alloc(d, c, n, sizeof(*p->path));
		if (!p->path)
			return;
	}
	while (px_cursor_more(c)) {
		struct px_cursor sub;
		uint32_t field, wire;

		px_pb_read_tag(c, &field, &wire);
		once(c, &seen, field, 3);
		switch (field) {
		case 1: px_pb_read_bytes(c, wire, &p->key, ICS23_MAX_KEY); break;
		case 2: px_pb_read_bytes(c, wire, &p->value, ICS23_MAX_VALUE); break;
		case 3:
			px_pb_read_message(c, wire, &sub, ICS23_MAX_PROOF_BYTES);
			leaf_op_read(&sub, &p->leaf);
			p->has_leaf = true;
			break;
		case 4:
			px_pb_read_message(c, wire, &sub, ICS23_MAX_PROOF_BYTES);
			if (px_cursor_ok(c) && p->path_len < n)
				inner_op_read(&sub, &p->path[p->path_len++]);
			break;
		default: px_pb_skip(c, wire); break;
		}
	}
}

static struct ics23_existence_proof *existence_new(struct dec *d, struct px_cursor *c,
						   uint32_t wire)
{
	struct ics23_existence_proof *p;
	struct px_cursor sub;

	px_pb_read_message(c, wire, &sub, ICS23_MAX_PROOF_BYTES);
	p = dec_alloc(d, c, 1, sizeof(*p));
	if (p)
		existence_read(d, &sub, p);
	return p;
}

static void nonexistence_read(struct dec *d, struct px_cursor *c,
			      struct ics23_nonexistence_proof *p)
{
	uint32_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		px_pb_read_tag(c, &field, &wire);
		once(c, &seen, field, 3);
		switch (field) {
		case 1: px_pb_read_bytes(c, wire, &p->key, ICS23_MAX_KEY); break;
		case 2: p->left = existence_new(d, c, wire); break;
		case 3: p->right = existence_new(d, c, wire); break;
		default: px_pb_skip(c, wire); break;
		}
	}
}

static struct ics23_nonexistence_proof *nonexistence_new(struct dec *d, struct px_cursor *c,
							 uint32_t wire)
{
	struct ics23_nonexistence_proof *p;
	struct px_cursor sub;

	px_pb_read_message(c, wire, &sub, ICS23_MAX_PROOF_BYTES);
	p = dec_alloc(d, c, 1, sizeof(*p));
	if (p)
		nonexistence_read(d, &sub, p);
	return p;
}

/* BatchEntry and CompressedBatchEntry share their oneof layout: field 1 is
 * the existence form, field 2 the non-existence form. */
typedef void (*entry_reader)(struct dec *d, struct px_cursor *c, struct ics23_batch_entry *e,
			     uint32_t field, uint32_t wire);

static void entry_read(struct dec *d, struct px_cursor *c, struct ics23_batch_entry *e,
		       entry_reader read)
{
	while (px_cursor_more(c)) {
		uint32_t field, wire;

		px_pb_read_tag(c, &field, &wire);
		if (field == 1 || field == 2) {
			if (e->kind != ICS23_ENTRY_NONE) {
				px_cursor_fail(c, "batch entry has two proofs");
				return;
			}
			e->kind = field == 1 ? ICS23_ENTRY_EXIST : ICS23_ENTRY_NONEXIST;
			read(d, c, e, field, wire);
		} else {
			px_pb_skip(c, wire);
		}
	}
	if (px_cursor_ok(c) && e->kind == ICS23_ENTRY_NONE)
		px_cursor_fail(c, "empty batch entry");
}

static void plain_entry(struct dec *d, struct px_cursor *c, struct ics23_batch_entry *e,
			uint32_t field, uint32_t wire)
{
	if (field == 1)
		e->exist = existence_new(d, c, wire);
	else
		e->nonexist = nonexistence_new(d, c, wire);
}

/* Reads `count` entries (field 1 of a batch message) into a new array. */
static struct ics23_batch_entry *entries_read(struct dec *d, struct px_cursor *c, size_t *count,
					      entry_reader read)
{
	struct ics23_batch_entry *entries;
	size_t n = count_field(c, 1), i = 0;
	struct px_cursor scan = *c;

	scan.parent = c;
	*count = 0;
	if (!px_cursor_ok(c))
		return NULL;
	if (n == 0) {
		px_cursor_fail(c, "batch without entries");
		return NULL;
	}
	if (n > ICS23_MAX_BATCH) {
		px_cursor_fail(c, "batch larger than limit");
		return NULL;
	}
	entries = dec_alloc(d, c, n, sizeof(*entries));
	if (!entries)
		return NULL;
	while (px_cursor_more(&scan)) {
		struct px_cursor sub;
		uint32_t field, wire;

		px_pb_read_tag(&scan, &field, &wire);
		if (field != 1) {
			px_pb_skip(&scan, wire);
			continue;
		}
		px_pb_read_message(&scan, wire, &sub, ICS23_MAX_PROOF_BYTES);
		if (i < n)
			entry_read(d, &sub, &entries[i++], read);
	}
	*count = i;
	return entries;
}

static void batch_read(struct dec *d, struct px_cursor *c, struct ics23_proof *out)
{
	out->entries = entries_read(d, c, &out->entries_len, plain_entry);
}

/* Compressed batches: existence proofs whose path is a list of indices into
 * the batch's shared lookup table. */

static void path_index_add(struct px_cursor *c, struct ics23_existence_proof *p, size_t cap,
			   const struct lookup *lk, int64_t idx)
{
	if (idx < 0 || (uint64_t)idx >= lk->len) {
		px_cursor_fail(c, "path index outside lookup table");
		return;
	}
	if (p->path_len >= cap) {
		px_cursor_fail(c, "path longer than limit");
		return;
	}
	p->path[p->path_len++] = lk->ops[idx];
}

/* Number of path indices, packed or not. */
static size_t count_indices(struct px_cursor *c)
{
	struct px_cursor scan = *c;
	size_t n = 0;

	scan.parent = c;
	while (px_cursor_more(&scan)) {
		uint32_t field, wire;

		px_pb_read_tag(&scan, &field, &wire);
		if (field == 4 && wire == PX_WIRE_LEN) {
			struct px_cursor packed;

			px_pb_read_message(&scan, wire, &packed, ICS23_MAX_PROOF_BYTES);
			while (px_cursor_more(&packed)) {
				(void)px_pb_read_varint(&packed);
				n++;
			}
		} else {
			if (field == 4)
				n++;
			px_pb_skip(&scan, wire);
		}
	}
	return n;
}

static void compressed_existence_read(struct dec *d, struct px_cursor *c,
				      struct ics23_existence_proof *p, const struct lookup *lk)
{
	size_t n = count_indices(c);
	uint32_t seen = 0;

	if (n > ICS23_MAX_PATH) {
		px_cursor_fail(c, "path longer than limit");
		return;
	}
	if (n) {
		p->path = dec_alloc(d, c, n, sizeof(*p->path));
		if (!p->path)
			return;
	}
	while (px_cursor_more(c)) {
		struct px_cursor sub;
		uint32_t field, wire;

		px_pb_read_tag(c, &field, &wire);
		once(c, &seen, field, 3);
		switch (field) {
		case 1: px_pb_read_bytes(c, wire, &p->key, ICS23_MAX_KEY); break;
		case 2: px_pb_read_bytes(c, wire, &p->value, ICS23_MAX_VALUE); break;
		case 3:
			px_pb_read_message(c, wire, &sub, ICS23_MAX_PROOF_BYTES);
			leaf_op_read(&sub, &p->leaf);
			p->has_leaf = true;
			break;
		case 4:
			if (wire == PX_WIRE_LEN) {
				px_pb_read_message(c, wire, &sub, ICS23_MAX_PROOF_BYTES);
				while (px_cursor_more(&sub))
					path_index_add(&sub, p, n, lk,
						       px_pb_read_int32(&sub, PX_WIRE_VARINT));
			} else {
				path_index_add(c, p, n, lk, px_pb_read_int32(c, wire));
			}
			break;
		default: px_pb_skip(c, wire); break;
		}
	}
}

static struct ics23_existence_proof *compressed_existence_new(struct dec *d, struct px_cursor *c,
							      uint32_t wire,
							      const struct lookup *lk)
{
	struct ics23_existence_proof *p;
	struct px_cursor sub;

	px_pb_read_message(c, wire, &sub, ICS23_MAX_PROOF_BYTES);
	p = dec_alloc(d, c, 1, sizeof(*p));
	if (p)
		compressed_existence_read(d, &sub, p, lk);
	return p;
}

static void compressed_entry(struct dec *d, struct px_cursor *c, struct ics23_batch_entry *e,
			     uint32_t field, uint32_t wire)
{
	struct ics23_nonexistence_proof *np;
	struct px_cursor sub;
	uint32_t seen = 0;

	if (field == 1) {
		e->exist = compressed_existence_new(d, c, wire, d->lookup);
		return;
	}
	px_pb_read_message(c, wire, &sub, ICS23_MAX_PROOF_BYTES);
	np = dec_alloc(d, c, 1, sizeof(*np));
	e->nonexist = np;
	if (!np)
		return;
	while (px_cursor_more(&sub)) {
		uint32_t f, w;

		px_pb_read_tag(&sub, &f, &w);
		once(&sub, &seen, f, 3);
		switch (f) {
		case 1: px_pb_read_bytes(&sub, w, &np->key, ICS23_MAX_KEY); break;
		case 2: np->left = compressed_existence_new(d, &sub, w, d->lookup); break;
		case 3: np->right = compressed_existence_new(d, &sub, w, d->lookup); break;
		default: px_pb_skip(&sub, w); break;
		}
	}
}

static void compressed_read(struct dec *d, struct px_cursor *c, struct ics23_proof *out)
{
	struct px_cursor scan = *c;
	struct lookup lk = { NULL, 0 };
	size_t n = count_field(c, 2);

	scan.parent = c;
	if (n > ICS23_MAX_LOOKUP) {
		px_cursor_fail(c, "lookup table larger than limit");
		return;
	}
	if (n) {
		lk.ops = dec_alloc(d, c, n, sizeof(*lk.ops));
		if (!lk.ops)
			return;
	}
	/* The lookup table first, wherever it sits in the message. */
	while (px_cursor_more(&scan)) {
		struct px_cursor sub;
		uint32_t field, wire;

		px_pb_read_tag(&scan, &field, &wire);
		if (field == 2 && lk.len < n) {
			px_pb_read_message(&scan, wire, &sub, ICS23_MAX_PROOF_BYTES);
			inner_op_read(&sub, &lk.ops[lk.len++]);
		} else {
			px_pb_skip(&scan, wire);
		}
	}
	if (!px_cursor_ok(c))
		return;
	d->lookup = &lk;
	out->entries = entries_read(d, c, &out->entries_len, compressed_entry);
	d->lookup = NULL;
}

static void proof_read(struct dec *d, struct px_cursor *c, struct ics23_proof *out)
{
	while (px_cursor_more(c)) {
		struct px_cursor sub;
		uint32_t field, wire;

		px_pb_read_tag(c, &field, &wire);
		if (field < 1 || field > 4) {
			px_pb_skip(c, wire);
			continue;
		}
		if (out->kind) {
			px_cursor_fail(c, "proof has two kinds set");
			return;
		}
		out->kind = (enum ics23_proof_kind)field;
		switch (field) {
		case 1: out->exist = existence_new(d, c, wire); break;
		case 2: out->nonexist = nonexistence_new(d, c, wire); break;
		case 3:
			px_pb_read_message(c, wire, &sub, ICS23_MAX_PROOF_BYTES);
			batch_read(d, &sub, out);
			break;
		case 4:
			px_pb_read_message(c, wire, &sub, ICS23_MAX_PROOF_BYTES);
			compressed_read(d, &sub, out);
			break;
		}
	}
	if (px_cursor_ok(c) && !out->kind)
		px_cursor_fail(c, "empty commitment proof");
}

bool ics23_proof_decode(struct px_err *err, struct ics23_proof *out, const uint8_t *buf,
			size_t len)
{
	struct px_cursor c = px_cursor_init(buf, len);
	struct dec d;

	memset(out, 0, sizeof(*out));
	if (len > ICS23_MAX_PROOF_BYTES)
		return px_err_set(err, PX_E_TOO_LARGE, "commitment proof: %zu bytes, limit %u", len,
				  ICS23_MAX_PROOF_BYTES);
	d.lookup = NULL;
	d.nomem = false;
	d.arena = malloc(sizeof(*d.arena));
	if (!d.arena)
		return px_err_set(err, PX_E_NOMEM, "commitment proof: out of memory");
	px_arena_init(d.arena, 0);
	out->arena = d.arena;

	proof_read(&d, &c, out);
	if (!px_cursor_ok(&c)) {
		int code = d.nomem ? PX_E_NOMEM : PX_E_MALFORMED;

		ics23_proof_free(out);
		return px_err_set(err, code, "commitment proof: %s at byte %zu", px_cursor_error(&c),
				  px_cursor_offset(&c));
	}
	return true;
}

void ics23_proof_free(struct ics23_proof *proof)
{
	if (proof->arena) {
		px_arena_free(proof->arena);
		free(proof->arena);
	}
	memset(proof, 0, sizeof(*proof));
}
