/* Fuzz target: the verify path. The input is a CommitmentProof; every
 * existence proof in it is verified against the root it computes (so the
 * spec checks, hashing and comparisons all run), and every absence proof
 * against the roots of its neighbours, under all three specs. A result
 * must be a clean yes or no with a 3xx code for no. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lightclient/ics23/ics23.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct ics23_spec *const specs[] = {
	&ics23_spec_iavl, &ics23_spec_tendermint, &ics23_spec_smt,
};

static void expect_clean(bool ok, const struct px_err *err)
{
	if (ok ? err->code != 0 : (err->code < 200 || err->code >= 400))
		abort();
}

static void exist(const struct ics23_existence_proof *e)
{
	uint8_t root[64];
	size_t n = 0;
	struct px_err err = { 0 };

	if (!e || !ics23_existence_calculate(&err, root, &n, e))
		return;
	for (size_t s = 0; s < 3; s++) {
		struct px_err e2 = { 0 };
		bool ok = ics23_existence_verify(&e2, e, specs[s], root, n, e->key, e->value);

		expect_clean(ok, &e2);
	}
}

static void nonexist(const struct ics23_nonexistence_proof *np)
{
	const struct ics23_existence_proof *side = np->left ? np->left : np->right;
	uint8_t root[64];
	size_t n = 0;
	struct px_err err = { 0 };

	exist(np->left);
	exist(np->right);
	if (!side || !ics23_existence_calculate(&err, root, &n, side))
		return;
	for (size_t s = 0; s < 3; s++) {
		struct px_err e2 = { 0 };
		bool ok = ics23_nonexistence_verify(&e2, np, specs[s], root, n, np->key);

		expect_clean(ok, &e2);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ics23_proof p;
	struct px_err err = { 0 };
	static const uint8_t key[] = "k", value[] = "v";
	uint8_t root[32];

	if (!ics23_proof_decode(&err, &p, data, size))
		return 0;
	if (p.kind == ICS23_PROOF_EXIST) {
		exist(p.exist);
	} else if (p.kind == ICS23_PROOF_NONEXIST) {
		nonexist(p.nonexist);
	} else {
		for (size_t i = 0; i < p.entries_len; i++) {
			if (p.entries[i].kind == ICS23_ENTRY_EXIST)
				exist(p.entries[i].exist);
			else
				nonexist(p.entries[i].nonexist);
		}
	}
	/* The public entry points with a root nobody can match. */
	memset(root, 0xab, sizeof(root));
	for (size_t s = 0; s < 3; s++) {
		struct px_err e1 = { 0 }, e2 = { 0 };
		bool ok;

		ok = ics23_verify_membership(&e1, specs[s], root, sizeof(root), &p, key, 1, value, 1);
		expect_clean(ok, &e1);
		ok = ics23_verify_non_membership(&e2, specs[s], root, sizeof(root), &p, key, 1);
		expect_clean(ok, &e2);
	}
	ics23_proof_free(&p);
	return 0;
}
