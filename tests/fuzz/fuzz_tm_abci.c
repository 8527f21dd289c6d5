/* Fuzz target: abci_query responses (JSON) through the parser and the
 * whole proof chain, and the raw input as an IBC MerkleProof. The app hash
 * is fixed, so a well-formed chain runs every check and fails only at the
 * last comparison. A result must be a clean yes or no: 2xx/3xx/4xx codes,
 * never a crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "lightclient/tendermint/abci.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void expect_clean(bool ok, const struct px_err *err)
{
	if (ok ? err->code != 0 : (err->code < 200 || err->code >= 500))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t app_hash[32] = { 1, 2, 3 };
	struct px_err err = { 0 };
	struct tm_abci_response r;
	struct tm_abci_result res;
	struct px_slice a, b;
	json_t *doc;
	bool ok;

	ok = tm_merkle_proof_split(&err, &a, &b, data, size);
	expect_clean(ok, &err);
	doc = px_json_load_buf(&err, data, size);
	if (!doc)
		return 0;
	px_err_clear(&err);
	ok = tm_abci_response_from_json(&err, &r, doc);
	expect_clean(ok, &err);
	if (ok) {
		ok = tm_abci_response_verify(&err, &res, &r, app_hash, sizeof(app_hash));
		expect_clean(ok, &err);
		tm_abci_response_free(&r);
	}
	json_decref(doc);
	return 0;
}
