/* Fuzz target: CommitmentProof decoding. Any input must decode or fail
 * cleanly; a decoded proof must have consistent counts. */
#include <stdint.h>
#include <stdlib.h>

#include "lightclient/ics23/ics23.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_exist(const struct ics23_existence_proof *e)
{
	if (!e)
		return;
	if (e->path_len > ICS23_MAX_PATH || (e->path_len && !e->path))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ics23_proof p;
	struct px_err err = { 0 };

	if (!ics23_proof_decode(&err, &p, data, size)) {
		if (err.code < 100 || err.code >= 300 || p.arena || p.kind)
			abort();
		return 0;
	}
	switch (p.kind) {
	case ICS23_PROOF_EXIST:
		check_exist(p.exist);
		break;
	case ICS23_PROOF_NONEXIST:
		check_exist(p.nonexist->left);
		check_exist(p.nonexist->right);
		break;
	case ICS23_PROOF_BATCH:
	case ICS23_PROOF_COMPRESSED:
		if (p.entries_len == 0 || p.entries_len > ICS23_MAX_BATCH)
			abort();
		for (size_t i = 0; i < p.entries_len; i++) {
			const struct ics23_batch_entry *e = &p.entries[i];

			if (e->kind == ICS23_ENTRY_EXIST)
				check_exist(e->exist);
			else if (e->kind == ICS23_ENTRY_NONEXIST)
				check_exist(e->nonexist->left), check_exist(e->nonexist->right);
			else
				abort();
		}
		break;
	default:
		abort();
	}
	ics23_proof_free(&p);
	return 0;
}
