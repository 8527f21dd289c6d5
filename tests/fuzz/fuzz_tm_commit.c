/* Fuzz target: the vote/commit path. The input is JSON
 *   {"chain_id": s, "validators": {validators: [...]}, "commit": {...},
 *    "trusted": {validators: [...]}?, "trust": [num, den]?}
 * and the commit is run through tm_commit_verify_light (for its own block
 * id and height) and tm_commit_verify_trusting (with the trusted set, or
 * the commit's own set, at the given or the default 1/3 level). Both must
 * return a clean yes or no: no code on yes, a 1xx-3xx code on no, and a
 * yes only for a commit with a vote for the block. The seeds are validly
 * signed, so mutations reach the tally and signature checks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lightclient/tendermint/types.h"
#include "lightclient/tendermint/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void expect_clean(bool ok, const struct px_err *err, const struct tm_commit *c)
{
	bool voted = false;

	if (ok ? err->code != 0 : (err->code < 100 || err->code >= 400 || err->msg[0] == 0))
		abort();
	for (size_t i = 0; i < c->len; i++)
		voted = voted || c->sigs[i].flag == TM_FLAG_COMMIT;
	if (ok && !voted)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	struct px_err err = { 0 };
	struct tm_validator_set vs, trusted;
	struct tm_commit c;
	const char *chain_id;
	const json_t *trust;
	uint64_t num = 1, den = 3;
	bool have_trusted = false, ok;

	if (!doc)
		return 0;
	chain_id = json_string_value(json_object_get(doc, "chain_id"));
	if (!chain_id || strlen(chain_id) > TM_MAX_CHAIN_ID ||
	    !tm_validator_set_from_json(&err, &vs, json_object_get(doc, "validators")))
		goto out;
	if (!tm_commit_from_json(&err, &c, json_object_get(doc, "commit"))) {
		tm_validator_set_free(&vs);
		goto out;
	}
	if (json_object_get(doc, "trusted"))
		have_trusted = tm_validator_set_from_json(&err, &trusted, json_object_get(doc, "trusted"));
	trust = json_object_get(doc, "trust");
	if (json_is_integer(json_array_get(trust, 0)) && json_is_integer(json_array_get(trust, 1))) {
		num = (uint64_t)json_integer_value(json_array_get(trust, 0));
		den = (uint64_t)json_integer_value(json_array_get(trust, 1));
		if (den == 0)
			den = 3;
	}

	px_err_clear(&err);
	ok = tm_commit_verify_light(&err, chain_id, &vs, &c.block_id, c.height, &c);
	expect_clean(ok, &err, &c);
	px_err_clear(&err);
	ok = tm_commit_verify_trusting(&err, chain_id, have_trusted ? &trusted : &vs, &c, num, den);
	expect_clean(ok, &err, &c);

	if (have_trusted)
		tm_validator_set_free(&trusted);
	tm_commit_free(&c);
	tm_validator_set_free(&vs);
out:
	json_decref(doc);
	return 0;
}
