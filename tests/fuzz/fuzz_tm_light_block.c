/* Fuzz target: the JSON light-block decoder. Arbitrary bytes go through
 * jansson and tm_light_block_from_json (also as a /block result and as a
 * bare validator set); whatever decodes is hashed (header, both validator
 * sets, every signature's sign bytes), copied and freed. A failure must
 * carry a 1xx/2xx code and leave the output zeroed; a success must hold
 * what the decoder promises (caps, CometBFT order, total power). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/buf.h"
#include "lightclient/tendermint/hash.h"
#include "lightclient/tendermint/types.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

static void expect_decode_error(const struct px_err *err)
{
	if (err->code < 100 || err->code >= 300 || err->msg[0] == 0)
		abort();
}

static void check_set(const struct tm_validator_set *vs)
{
	struct px_err err = { 0 };
	uint8_t h[TM_HASH_LEN];
	int64_t total = 0;

	if (vs->len > TM_MAX_VALIDATORS || (vs->len && !vs->validators))
		abort();
	for (size_t i = 0; i < vs->len; i++) {
		const struct tm_validator *v = &vs->validators[i];

		if (v->voting_power <= 0 || (v->pub_key.len != 32 && v->pub_key.len != 33))
			abort();
		total += v->voting_power;
		if (i && (vs->validators[i - 1].voting_power < v->voting_power ||
			  (vs->validators[i - 1].voting_power == v->voting_power &&
			   memcmp(vs->validators[i - 1].address, v->address, TM_ADDRESS_LEN) >= 0)))
			abort();
		if (tm_validator_set_find(vs, v->address) != (ptrdiff_t)i)
			abort();
	}
	if (total != vs->total_power || total > TM_MAX_TOTAL_POWER)
		abort();
	if (!tm_validator_set_hash(&err, h, vs))
		abort();
}

static void check_commit(const char *chain_id, const struct tm_commit *c)
{
	struct px_buf b = PX_BUF_INIT;

	if (c->len > TM_MAX_VALIDATORS || (c->len && !c->sigs) || c->height < 0 || c->round < 0)
		abort();
	for (size_t i = 0; i < c->len; i++) {
		if (c->sigs[i].signature_len > TM_SIGNATURE_LEN)
			abort();
		px_buf_reset(&b);
		tm_commit_sign_bytes(&b, chain_id, c, i);
		if (!px_buf_ok(&b) || b.len == 0)
			abort();
	}
	px_buf_free(&b);
}

static void check_header(const struct tm_header *h)
{
	struct px_err err = { 0 };
	uint8_t out[TM_HASH_LEN];

	if (strlen(h->chain_id) > TM_MAX_CHAIN_ID || h->height < 0)
		abort();
	/* no hash only when validators_hash is empty, and never an error */
	if (!tm_header_hash(&err, out, h) && (h->validators_hash.len != 0 || err.code != 0))
		abort();
}

static void light_block(const json_t *doc)
{
	struct px_err err = { 0 };
	struct tm_light_block lb, copy;

	if (!tm_light_block_from_json(&err, &lb, doc)) {
		expect_decode_error(&err);
		if (!all_zero(&lb, sizeof(lb)))
			abort();
		return;
	}
	check_header(&lb.signed_header.header);
	check_commit(lb.signed_header.header.chain_id, &lb.signed_header.commit);
	check_set(&lb.validators);
	check_set(&lb.next_validators);
	if (!tm_light_block_copy(&err, &copy, &lb))
		abort();
	tm_light_block_free(&lb);
	tm_light_block_free(&copy);
}

static void block(const json_t *doc)
{
	struct px_err err = { 0 };
	struct tm_header h;
	struct tm_commit lc;

	if (!tm_block_from_json(&err, &h, &lc, doc)) {
		expect_decode_error(&err);
		return;
	}
	check_header(&h);
	check_commit(h.chain_id, &lc);
	tm_commit_free(&lc);
}

static void validator_set(const json_t *doc)
{
	struct px_err err = { 0 };
	struct tm_validator_set vs;

	if (!tm_validator_set_from_json(&err, &vs, doc)) {
		expect_decode_error(&err);
		if (!all_zero(&vs, sizeof(vs)))
			abort();
		return;
	}
	check_set(&vs);
	tm_validator_set_free(&vs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);

	if (!doc)
		return 0;
	light_block(doc);
	block(doc);
	validator_set(doc);
	validator_set(json_object_get(doc, "validator_set"));
	json_decref(doc);
	return 0;
}
