/* The three standard proof specs: iavl (Cosmos SDK stores), tendermint
 * (the multistore's simple Merkle tree) and smt (sparse Merkle trees). */
#include "lightclient/ics23/ics23.h"

#include <string.h>

static const int32_t binary_order[] = { 0, 1 };
static const uint8_t leaf_prefix[] = { 0 };
static const uint8_t zero32[32];

const struct ics23_spec ics23_spec_iavl = {
	.leaf_spec = {
		.hash = ICS23_SHA256,
		.prehash_key = ICS23_NO_HASH,
		.prehash_value = ICS23_SHA256,
		.length = ICS23_VAR_PROTO,
		.prefix = { leaf_prefix, 1 },
	},
	.inner_spec = {
		.child_order = binary_order,
		.child_order_len = 2,
		.child_size = 33,
		.min_prefix_length = 4,
		.max_prefix_length = 12,
		.empty_child = { NULL, 0 },
		.hash = ICS23_SHA256,
	},
};

const struct ics23_spec ics23_spec_tendermint = {
	.leaf_spec = {
		.hash = ICS23_SHA256,
		.prehash_key = ICS23_NO_HASH,
		.prehash_value = ICS23_SHA256,
		.length = ICS23_VAR_PROTO,
		.prefix = { leaf_prefix, 1 },
	},
	.inner_spec = {
		.child_order = binary_order,
		.child_order_len = 2,
		.child_size = 32,
		.min_prefix_length = 1,
		.max_prefix_length = 1,
		.empty_child = { NULL, 0 },
		.hash = ICS23_SHA256,
	},
};

const struct ics23_spec ics23_spec_smt = {
	.leaf_spec = {
		.hash = ICS23_SHA256,
		.prehash_key = ICS23_SHA256,
		.prehash_value = ICS23_SHA256,
		.length = ICS23_NO_PREFIX,
		.prefix = { leaf_prefix, 1 },
	},
	.inner_spec = {
		.child_order = binary_order,
		.child_order_len = 2,
		.child_size = 32,
		.min_prefix_length = 1,
		.max_prefix_length = 1,
		.empty_child = { zero32, 32 },
		.hash = ICS23_SHA256,
	},
	.max_depth = 256,
	.prehash_key_before_comparison = true,
};

const struct ics23_spec *ics23_spec_by_name(const char *name)
{
	if (strcmp(name, "iavl") == 0)
		return &ics23_spec_iavl;
	if (strcmp(name, "tendermint") == 0)
		return &ics23_spec_tendermint;
	if (strcmp(name, "smt") == 0)
		return &ics23_spec_smt;
	return NULL;
}

/* The fields ICS-23 compares: the leaf's hash ops and length op, the inner
 * spec's hash, prefix bounds, child size and number of children. */
bool ics23_spec_equal(const struct ics23_spec *a, const struct ics23_spec *b)
{
	const struct ics23_leaf_op *la = &a->leaf_spec, *lb = &b->leaf_spec;
	const struct ics23_inner_spec *ia = &a->inner_spec, *ib = &b->inner_spec;

	if (a == b)
		return true;
	return la->hash == lb->hash && la->prehash_key == lb->prehash_key &&
	       la->prehash_value == lb->prehash_value && la->length == lb->length &&
	       ia->hash == ib->hash && ia->min_prefix_length == ib->min_prefix_length &&
	       ia->max_prefix_length == ib->max_prefix_length &&
	       ia->child_size == ib->child_size && ia->child_order_len == ib->child_order_len;
}
