/* Unit tests for lightclient/tendermint/decode.c. Light blocks are built
 * here as JSON in each shape the decoder meets: the CometBFT RPC /commit
 * and /validators results (0.34, 0.37 and 0.38 write the same fields; the
 * block id has "parts"), the light-client fixture shape ("part_set_header",
 * `last_block_id: null`, empty hashes, round as a JSON number), /block
 * results and NewBlock events. Then one field at a time is broken and the
 * exact error code is asserted, with the output zeroed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/encoding.h"
#include "common/hash.h"
#include "lightclient/tendermint/crypto.h"
#include "lightclient/tendermint/hash.h"
#include "lightclient/tendermint/types.h"

#define H32(c) c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c

static const char *const hash_a = H32("A1");
static const char *const hash_b = H32("B2");
static const char *const sig64 =
	"AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/QA==";

/* Validator i: an ed25519 key of 32 bytes of i (secp256k1 for i >= 100:
 * 02 then 32 bytes of i), and the address derived from it. */
static struct tm_pubkey key_of(int i)
{
	struct tm_pubkey pk;

	memset(&pk, 0, sizeof(pk));
	if (i >= 100) {
		pk.type = TM_KEY_SECP256K1;
		pk.len = 33;
		pk.bytes[0] = 0x02;
		memset(pk.bytes + 1, i, 32);
	} else {
		pk.type = TM_KEY_ED25519;
		pk.len = 32;
		memset(pk.bytes, i, 32);
	}
	return pk;
}

static void address_hex(char out[41], int i)
{
	struct tm_pubkey pk = key_of(i);
	uint8_t a[20];

	tm_pubkey_address(a, &pk);
	px_hex_encode(out, 41, a, 20, true);
}

static json_t *validator_json(int i, const char *power)
{
	struct tm_pubkey pk = key_of(i);
	struct px_buf b64 = PX_BUF_INIT;
	char addr[41];
	json_t *v;

	address_hex(addr, i);
	px_base64_encode(&b64, pk.bytes, pk.len, PX_B64_STD, true);
	px_buf_push(&b64, 0);
	assert_true(px_buf_ok(&b64));
	v = json_pack("{s:s, s:{s:s, s:s}, s:s, s:s}", "address", addr, "pub_key", "type",
		      i >= 100 ? "tendermint/PubKeySecp256k1" : "tendermint/PubKeyEd25519", "value",
		      (const char *)b64.data, "voting_power", power, "proposer_priority", "-5");
	px_buf_free(&b64);
	assert_non_null(v);
	return v;
}

/* A validator set of validators 1, 2, 3 with powers 10, 30, 20 (file
 * order is not CometBFT order). */
static json_t *set_json(void)
{
	return json_pack("{s:[o,o,o]}", "validators", validator_json(1, "10"),
			 validator_json(2, "30"), validator_json(3, "20"));
}

static json_t *sig_json(int flag, int val)
{
	char addr[41];

	if (flag == 1)
		return json_pack("{s:i, s:s, s:s, s:n}", "block_id_flag", 1, "validator_address", "",
				 "timestamp", "0001-01-01T00:00:00Z", "signature");
	address_hex(addr, val);
	return json_pack("{s:i, s:s, s:s, s:s}", "block_id_flag", flag, "validator_address", addr,
			 "timestamp", "2023-05-17T14:12:53.088875124Z", "signature", sig64);
}

/* RPC shape (parts; strings) unless fixture (part_set_header, null and
 * empty hashes). */
static json_t *signed_header_json(bool fixture)
{
	json_t *h, *c;
	const char *parts = fixture ? "part_set_header" : "parts";

	h = json_pack("{s:{s:s, s:s}, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
		      "version", "block", "11", "app", "1", "chain_id", "dockerchain", "height", "10",
		      "time", "2023-05-17T14:12:53.088875124Z", "last_block_id",
		      fixture ? json_null()
			      : json_pack("{s:s, s:{s:i, s:s}}", "hash", hash_a, parts, "total", 1,
					  "hash", hash_b),
		      "last_commit_hash", fixture ? "" : hash_a, "data_hash", fixture ? "" : hash_b,
		      "validators_hash", hash_a, "next_validators_hash", hash_b, "consensus_hash", hash_a,
		      "app_hash", fixture ? "" : "0000000000000000", "last_results_hash", fixture ? "" : hash_a,
		      "evidence_hash", fixture ? "" : hash_b, "proposer_address", "");
	c = json_pack("{s:s, s:i, s:{s:s, s:{s:i, s:s}}, s:[o,o,o]}", "height", "10", "round", 0,
		      "block_id", "hash", hash_b, parts, "total", 1, "hash", hash_a, "signatures",
		      sig_json(2, 2), sig_json(1, 0), sig_json(3, 3));
	assert_non_null(h);
	assert_non_null(c);
	if (fixture)
		json_object_set_new(h, "proposer_address", json_null());
	return json_pack("{s:o, s:o}", "header", h, "commit", c);
}

/* The light-client fixture's light block. */
static json_t *fixture_json(void)
{
	return json_pack("{s:o, s:o, s:o, s:s}", "signed_header", signed_header_json(true),
			 "validator_set", set_json(), "next_validator_set", set_json(), "provider",
			 "BADFADAD0BEFEEDC0C0ADEADBEEFC0FFEEFACADE");
}

/* Sets the value at a dotted path ("signed_header.commit.signatures.0.x");
 * NULL removes the field. Takes the reference to v. */
static void set_path(json_t *root, const char *path, json_t *v)
{
	char buf[256], *seg, *save = NULL, *next;
	json_t *cur = root;

	snprintf(buf, sizeof(buf), "%s", path);
	seg = strtok_r(buf, ".", &save);
	while (seg) {
		next = strtok_r(NULL, ".", &save);
		if (!next) {
			if (json_is_array(cur)) {
				assert_int_equal(json_array_set_new(cur, (size_t)atoi(seg), v), 0);
			} else if (v) {
				assert_int_equal(json_object_set_new(cur, seg, v), 0);
			} else {
				assert_int_equal(json_object_del(cur, seg), 0);
			}
			return;
		}
		cur = json_is_array(cur) ? json_array_get(cur, (size_t)atoi(seg)) : json_object_get(cur, seg);
		assert_non_null(cur);
		seg = next;
	}
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/* Decodes doc (taking it) as a light block; returns the error code. */
static int decode_lb(json_t *doc)
{
	struct px_err err = { 0 };
	struct tm_light_block lb;
	int code = 0;

	assert_non_null(doc);
	memset(&lb, 0x5a, sizeof(lb));
	if (tm_light_block_from_json(&err, &lb, doc)) {
		tm_light_block_free(&lb);
	} else {
		code = err.code;
		assert_true(err.msg[0] != 0);
		assert_true(all_zero(&lb, sizeof(lb)));
	}
	json_decref(doc);
	return code;
}

/* A fixture light block with one change. */
static int decode_with(const char *path, json_t *v)
{
	json_t *doc = fixture_json();

	set_path(doc, path, v);
	return decode_lb(doc);
}

/* --- shapes ------------------------------------------------------------------ */

static void test_fixture_shape(void **state)
{
	struct px_err err = { 0 };
	struct tm_light_block lb;
	json_t *doc = fixture_json();
	const struct tm_header *h = &lb.signed_header.header;
	const struct tm_commit *c = &lb.signed_header.commit;
	const struct tm_validator_set *vs = &lb.validators;

	assert_true(tm_light_block_from_json(&err, &lb, doc));
	assert_int_equal(h->version_block, 11);
	assert_int_equal(h->version_app, 1);
	assert_string_equal(h->chain_id, "dockerchain");
	assert_int_equal(h->height, 10);
	assert_int_equal(h->time.seconds, 1684332773);
	assert_int_equal(h->time.nanos, 88875124);
	assert_true(tm_block_id_is_zero(&h->last_block_id));	/* null */
	assert_int_equal(h->last_commit_hash.len, 0);		/* "" */
	assert_int_equal(h->app_hash.len, 0);
	assert_int_equal(h->proposer_address.len, 0);		/* null */
	assert_int_equal(h->validators_hash.len, 32);
	assert_int_equal(h->validators_hash.b[0], 0xa1);
	assert_int_equal(c->height, 10);
	assert_int_equal(c->round, 0);
	assert_int_equal(c->block_id.parts.total, 1);		/* part_set_header */
	assert_int_equal(c->block_id.parts.hash.b[31], 0xa1);
	assert_int_equal(c->len, 3);
	assert_int_equal(c->sigs[0].flag, TM_FLAG_COMMIT);
	assert_int_equal(c->sigs[0].signature_len, 64);
	assert_int_equal(c->sigs[0].signature[63], 0x40);
	assert_int_equal(c->sigs[1].flag, TM_FLAG_ABSENT);
	assert_int_equal(c->sigs[1].signature_len, 0);
	assert_int_equal(c->sigs[2].flag, TM_FLAG_NIL);
	/* sorted by power, then address; total computed */
	assert_true(lb.has_validators && lb.has_next_validators);
	assert_int_equal(vs->len, 3);
	assert_int_equal(vs->validators[0].voting_power, 30);
	assert_int_equal(vs->validators[1].voting_power, 20);
	assert_int_equal(vs->validators[2].voting_power, 10);
	assert_int_equal(vs->validators[0].proposer_priority, -5);
	assert_int_equal(vs->total_power, 60);
	assert_int_equal(vs->validators[0].pub_key.type, TM_KEY_ED25519);
	assert_int_equal(tm_validator_set_find(vs, c->sigs[0].validator_address), 0);
	assert_int_equal(tm_validator_set_find(vs, c->sigs[1].validator_address), -1);
	tm_light_block_free(&lb);
	assert_true(all_zero(&lb, sizeof(lb)));
	json_decref(doc);
}

/* A /commit response: {"jsonrpc", "id", "result": {"signed_header",
 * "canonical"}} without validator sets. */
static void test_rpc_commit_shape(void **state)
{
	struct px_err err = { 0 };
	struct tm_light_block lb;
	json_t *doc = json_pack("{s:s, s:i, s:{s:o, s:b}}", "jsonrpc", "2.0", "id", 1, "result",
				"signed_header", signed_header_json(false), "canonical", 1);

	assert_true(tm_light_block_from_json(&err, &lb, doc));
	assert_false(lb.has_validators);
	assert_false(lb.has_next_validators);
	assert_int_equal(lb.signed_header.header.last_block_id.parts.total, 1);
	assert_int_equal(lb.signed_header.header.last_block_id.hash.b[0], 0xa1);
	assert_int_equal(lb.signed_header.header.app_hash.len, 8);
	assert_int_equal(lb.signed_header.commit.block_id.hash.b[0], 0xb2);
	tm_light_block_free(&lb);
	json_decref(doc);
}

/* A /validators result (block_height, count, total). */
static void test_rpc_validators_shape(void **state)
{
	struct px_err err = { 0 };
	struct tm_validator_set vs;
	json_t *doc = json_pack("{s:s, s:[o,o], s:s, s:s}", "block_height", "10", "validators",
				validator_json(5, "7"), validator_json(101, "7"), "count", "2",
				"total", "2");
	uint8_t a5[20];
	struct tm_pubkey k5 = key_of(5);

	assert_true(tm_validator_set_from_json(&err, &vs, doc));
	assert_int_equal(vs.len, 2);
	assert_int_equal(vs.total_power, 14);
	/* equal powers: ascending address */
	assert_true(memcmp(vs.validators[0].address, vs.validators[1].address, 20) < 0);
	tm_pubkey_address(a5, &k5);
	assert_true(tm_validator_set_find(&vs, a5) >= 0);
	assert_int_equal(vs.validators[tm_validator_set_find(&vs, a5) == 0 ? 1 : 0].pub_key.type,
			 TM_KEY_SECP256K1);
	tm_validator_set_free(&vs);
	json_decref(doc);
}

/* A /block result (0.37/0.38: block_id beside block) and a NewBlock
 * event (result.data.value.block). */
static void test_block_shapes(void **state)
{
	struct px_err err = { 0 };
	struct tm_header h;
	struct tm_commit lc;
	json_t *sh = signed_header_json(false);
	json_t *block = json_pack("{s:O, s:{s:[]}, s:{s:[]}, s:O}", "header", json_object_get(sh, "header"),
				  "data", "txs", "evidence", "evidence", "last_commit",
				  json_object_get(sh, "commit"));
	json_t *rpc = json_pack("{s:s, s:{s:O, s:O}}", "jsonrpc", "2.0", "result", "block_id",
				json_object_get(json_object_get(sh, "commit"), "block_id"), "block", block);
	json_t *ev = json_pack("{s:{s:s, s:{s:s, s:{s:O}}}}", "result", "query", "tm.event='NewBlock'",
			       "data", "type", "tendermint/event/NewBlock", "value", "block", block);

	assert_true(tm_block_from_json(&err, &h, &lc, rpc));
	assert_int_equal(h.height, 10);
	assert_int_equal(lc.len, 3);
	tm_commit_free(&lc);
	assert_true(tm_block_from_json(&err, &h, &lc, ev));
	assert_string_equal(h.chain_id, "dockerchain");
	tm_commit_free(&lc);
	/* no block at all */
	assert_false(tm_block_from_json(&err, &h, &lc, sh));
	assert_int_equal(err.code, PX_E_JSON);
	json_decref(rpc);
	json_decref(ev);
	json_decref(block);
	json_decref(sh);
}

static void test_accepted_variants(void **state)
{
	char chain50[51];

	/* integers as JSON numbers or strings; app version left out */
	assert_int_equal(decode_with("signed_header.header.height", json_integer(10)), 0);
	assert_int_equal(decode_with("signed_header.commit.round", json_string("0")), 0);
	assert_int_equal(decode_with("signed_header.header.version.app", NULL), 0);
	/* a 50-byte chain id is the longest allowed */
	memset(chain50, 'c', 50);
	chain50[50] = 0;
	assert_int_equal(decode_with("signed_header.header.chain_id", json_string(chain50)), 0);
	/* lower-case hex */
	assert_int_equal(decode_with("signed_header.header.validators_hash", json_string(H32("ab"))), 0);
	/* a signature shorter than 64 bytes decodes (CometBFT bounds it by
	 * MaxSignatureSize only); it can never verify */
	assert_int_equal(decode_with("signed_header.commit.signatures.0.signature",
				     json_string("AQID")), 0);
	/* next_validator_set may be left out */
	assert_int_equal(decode_with("next_validator_set", NULL), 0);
	assert_int_equal(decode_with("validator_set", json_null()), 0);
}

/* --- failure paths ------------------------------------------------------------ */

static void test_bad_encodings(void **state)
{
	/* odd hex */
	assert_int_equal(decode_with("signed_header.header.data_hash", json_string("ABC")), PX_E_ENCODING);
	/* not hex */
	assert_int_equal(decode_with("signed_header.header.app_hash", json_string("ZZ")), PX_E_ENCODING);
	/* a hash of 31 bytes */
	assert_int_equal(decode_with("signed_header.header.validators_hash",
				     json_string(&H32("AB")[2])), PX_E_MALFORMED);
	/* bad base64: wrong alphabet, missing padding */
	assert_int_equal(decode_with("signed_header.commit.signatures.0.signature",
				     json_string("AQID*A==")), PX_E_ENCODING);
	assert_int_equal(decode_with("signed_header.commit.signatures.0.signature", json_string("AQI")),
			 PX_E_ENCODING);
	assert_int_equal(decode_with("validator_set.validators.0.pub_key.value", json_string("@@@@")),
			 PX_E_ENCODING);
	/* a bad time */
	assert_int_equal(decode_with("signed_header.header.time", json_string("2023-13-01T00:00:00Z")),
			 PX_E_TIME);
	/* leading zero, sign surprises */
	assert_int_equal(decode_with("signed_header.header.height", json_string("010")), PX_E_NUMBER);
	assert_int_equal(decode_with("signed_header.header.height", json_string("+10")), PX_E_NUMBER);
}

static void test_bad_values(void **state)
{
	char chain51[52];

	memset(chain51, 'c', 51);
	chain51[51] = 0;
	assert_int_equal(decode_with("signed_header.header.chain_id", json_string(chain51)), PX_E_MALFORMED);
	assert_int_equal(decode_with("signed_header.header.height", json_string("-1")), PX_E_MALFORMED);
	assert_int_equal(decode_with("signed_header.commit.height", json_integer(-10)), PX_E_MALFORMED);
	assert_int_equal(decode_with("signed_header.commit.round", json_integer(-1)), PX_E_MALFORMED);
	assert_int_equal(decode_with("signed_header.commit.round", json_integer((json_int_t)INT32_MAX + 1)),
			 PX_E_MALFORMED);
	assert_int_equal(decode_with("signed_header.commit.block_id.part_set_header.total",
				     json_integer((json_int_t)UINT32_MAX + 1)), PX_E_MALFORMED);
	/* unknown block_id_flag */
	assert_int_equal(decode_with("signed_header.commit.signatures.0.block_id_flag", json_integer(4)),
			 PX_E_MALFORMED);
	assert_int_equal(decode_with("signed_header.commit.signatures.0.block_id_flag", json_integer(0)),
			 PX_E_MALFORMED);
	/* signature of 65 bytes */
	assert_int_equal(decode_with("signed_header.commit.signatures.0.signature",
				     json_string("AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/QEE=")),
			 PX_E_MALFORMED);
	/* a vote for the block without a signature, an absent one with one */
	assert_int_equal(decode_with("signed_header.commit.signatures.0.signature", json_null()),
			 PX_E_MALFORMED);
	assert_int_equal(decode_with("signed_header.commit.signatures.1.signature", json_string(sig64)),
			 PX_E_MALFORMED);
	assert_int_equal(decode_with("signed_header.commit.signatures.2.validator_address", json_string("")),
			 PX_E_MALFORMED);
	/* proposer address of 19 bytes */
	assert_int_equal(decode_with("signed_header.header.proposer_address",
				     json_string("00112233445566778899AABBCCDDEEFF001122")), PX_E_MALFORMED);
}

static void test_bad_validators(void **state)
{
	char addr[41];

	/* address not derived from the key */
	address_hex(addr, 9);
	assert_int_equal(decode_with("validator_set.validators.0.address", json_string(addr)), PX_E_MALFORMED);
	/* the same validator twice */
	assert_int_equal(decode_with("validator_set.validators.2", validator_json(1, "20")), PX_E_MALFORMED);
	/* zero and negative power */
	assert_int_equal(decode_with("validator_set.validators.0.voting_power", json_string("0")),
			 PX_E_MALFORMED);
	assert_int_equal(decode_with("next_validator_set.validators.1.voting_power", json_string("-30")),
			 PX_E_MALFORMED);
	/* total over the cap */
	assert_int_equal(decode_with("validator_set.validators.1.voting_power",
				     json_string("1152921504606846970")), PX_E_MALFORMED);
	/* key types and lengths */
	assert_int_equal(decode_with("validator_set.validators.0.pub_key.type",
				     json_string("tendermint/PubKeySr25519")), PX_E_UNSUPPORTED);
	assert_int_equal(decode_with("validator_set.validators.0.pub_key.value",
				     json_string("AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHw==")), PX_E_MALFORMED);
	assert_int_equal(decode_with("validator_set.validators.0.pub_key.type",
				     json_string("tendermint/PubKeySecp256k1")), PX_E_MALFORMED);
	/* an empty address is derived from the key; a missing one is an error */
	assert_int_equal(decode_with("validator_set.validators.0.address", NULL), PX_E_JSON);
	assert_int_equal(decode_with("validator_set.validators.0.address", json_string("")), 0);
}

static void test_too_many(void **state)
{
	json_t *doc = fixture_json(), *sigs = json_array(), *vals = json_array();

	for (int i = 0; i <= TM_MAX_VALIDATORS; i++) {
		json_array_append_new(sigs, sig_json(1, 0));
		json_array_append_new(vals, json_null());
	}
	set_path(doc, "signed_header.commit.signatures", sigs);
	assert_int_equal(decode_lb(doc), PX_E_TOO_LARGE);
	doc = fixture_json();
	set_path(doc, "validator_set.validators", vals);
	assert_int_equal(decode_lb(doc), PX_E_TOO_LARGE);
}

static void test_missing_and_wrong_types(void **state)
{
	static const char *const required[] = {
		"signed_header",
		"signed_header.header",
		"signed_header.commit",
		"signed_header.header.version",
		"signed_header.header.chain_id",
		"signed_header.header.height",
		"signed_header.header.time",
		"signed_header.header.last_block_id",
		"signed_header.header.validators_hash",
		"signed_header.header.evidence_hash",
		"signed_header.commit.block_id",
		"signed_header.commit.signatures",
		"signed_header.commit.round",
		"signed_header.commit.signatures.0.block_id_flag",
		"validator_set.validators",
		"validator_set.validators.0.pub_key",
		"validator_set.validators.0.voting_power",
	};

	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		assert_int_equal(decode_with(required[i], NULL), PX_E_JSON);
	assert_int_equal(decode_with("signed_header.header.height", json_object()), PX_E_JSON);
	assert_int_equal(decode_with("signed_header.header.chain_id", json_integer(5)), PX_E_JSON);
	assert_int_equal(decode_with("signed_header.header.data_hash", json_integer(5)), PX_E_JSON);
	assert_int_equal(decode_with("signed_header.commit.signatures", json_null()), PX_E_JSON);
	assert_int_equal(decode_with("signed_header.commit.signatures.0", json_string("x")), PX_E_JSON);
	assert_int_equal(decode_with("signed_header.commit.block_id", json_string("x")), PX_E_JSON);
	assert_int_equal(decode_with("signed_header.header.version.block", json_real(11.0)), PX_E_JSON);
	assert_int_equal(decode_lb(json_array()), PX_E_JSON);
}

static void test_error_names_field(void **state)
{
	struct px_err err = { 0 };
	struct tm_light_block lb;
	json_t *doc = fixture_json();

	set_path(doc, "signed_header.header.consensus_hash", json_string("XYZ"));
	assert_false(tm_light_block_from_json(&err, &lb, doc));
	assert_non_null(strstr(err.msg, "consensus_hash"));
	json_decref(doc);
}

/* Copies are deep and free separately. */
static void test_copies(void **state)
{
	struct px_err err = { 0 };
	struct tm_light_block lb, copy;
	json_t *doc = fixture_json();

	assert_true(tm_light_block_from_json(&err, &lb, doc));
	assert_true(tm_light_block_copy(&err, &copy, &lb));
	assert_ptr_not_equal(copy.signed_header.commit.sigs, lb.signed_header.commit.sigs);
	assert_ptr_not_equal(copy.validators.validators, lb.validators.validators);
	assert_memory_equal(copy.signed_header.commit.sigs, lb.signed_header.commit.sigs,
			    lb.signed_header.commit.len * sizeof(*lb.signed_header.commit.sigs));
	assert_int_equal(copy.validators.total_power, 60);
	tm_light_block_free(&lb);
	assert_int_equal(copy.next_validators.len, 3);
	tm_light_block_free(&copy);
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_shape),
		cmocka_unit_test(test_rpc_commit_shape),
		cmocka_unit_test(test_rpc_validators_shape),
		cmocka_unit_test(test_block_shapes),
		cmocka_unit_test(test_accepted_variants),
		cmocka_unit_test(test_bad_encodings),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_bad_validators),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_missing_and_wrong_types),
		cmocka_unit_test(test_error_names_field),
		cmocka_unit_test(test_copies),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	px_hash_thread_cleanup();
	return rc;
}
