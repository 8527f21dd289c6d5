/* Unit tests for lightclient/tendermint/verify.c. A small chain is built
 * in the test itself: ed25519 keys from OpenSSL and one secp256k1 key from
 * libsecp256k1, validator sets of them, headers whose commits are signed
 * over tm_commit_sign_bytes. Each rule is tested by changing ONE field of a
 * valid block (re-signing it when the change would otherwise break the
 * signatures first) and asserting the exact PX_E_* code, next to the valid
 * block that passes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <secp256k1.h>

#include "common/buf.h"
#include "common/hash.h"
#include "lightclient/tendermint/crypto.h"
#include "lightclient/tendermint/hash.h"
#include "lightclient/tendermint/types.h"
#include "lightclient/tendermint/verify.h"

#define NKEYS 10
#define SECP 9			/* index of the secp256k1 key */
#define T0 1700000000		/* trusted header time, seconds */
#define CHAIN "test-chain"

struct key {
	EVP_PKEY *ed;		/* ed25519, or NULL for secp256k1 */
	uint8_t sk[32];
	struct tm_pubkey pub;
	uint8_t address[TM_ADDRESS_LEN];
};

static struct key keys[NKEYS];
static secp256k1_context *sctx;

/* A validator: key index and voting power. */
struct member {
	int key;
	int64_t power;
};

/* --- keys and signing ----------------------------------------------------- */

static void key_ed25519(struct key *k)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
	size_t len = 32;

	assert_non_null(c);
	assert_int_equal(EVP_PKEY_keygen_init(c), 1);
	assert_int_equal(EVP_PKEY_keygen(c, &k->ed), 1);
	EVP_PKEY_CTX_free(c);
	assert_int_equal(EVP_PKEY_get_raw_public_key(k->ed, k->pub.bytes, &len), 1);
	k->pub.type = TM_KEY_ED25519;
	k->pub.len = 32;
	tm_pubkey_address(k->address, &k->pub);
}

static void key_secp256k1(struct key *k)
{
	secp256k1_pubkey pk;
	size_t len = 33;

	do
		assert_int_equal(RAND_bytes(k->sk, 32), 1);
	while (!secp256k1_ec_seckey_verify(sctx, k->sk));
	assert_true(secp256k1_ec_pubkey_create(sctx, &pk, k->sk));
	assert_true(secp256k1_ec_pubkey_serialize(sctx, k->pub.bytes, &len, &pk, SECP256K1_EC_COMPRESSED));
	k->pub.type = TM_KEY_SECP256K1;
	k->pub.len = 33;
	tm_pubkey_address(k->address, &k->pub);
}

static void sign(const struct key *k, uint8_t sig[64], const uint8_t *msg, size_t len)
{
	if (k->ed) {
		EVP_MD_CTX *ctx = EVP_MD_CTX_new();
		size_t slen = 64;

		assert_non_null(ctx);
		assert_int_equal(EVP_DigestSignInit(ctx, NULL, NULL, NULL, k->ed), 1);
		assert_int_equal(EVP_DigestSign(ctx, sig, &slen, msg, len), 1);
		assert_int_equal(slen, 64);
		EVP_MD_CTX_free(ctx);
	} else {
		secp256k1_ecdsa_signature s;
		uint8_t digest[32];

		px_sha256(digest, msg, len);
		assert_true(secp256k1_ecdsa_sign(sctx, &s, digest, k->sk, NULL, NULL));
		assert_true(secp256k1_ecdsa_signature_serialize_compact(sctx, sig, &s));
	}
}

static const struct key *key_by_address(const uint8_t addr[TM_ADDRESS_LEN])
{
	for (int i = 0; i < NKEYS; i++)
		if (memcmp(keys[i].address, addr, TM_ADDRESS_LEN) == 0)
			return &keys[i];
	return NULL;
}

static int setup(void **state)
{
	sctx = secp256k1_context_create(SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY);
	for (int i = 0; i < NKEYS; i++) {
		if (i == SECP)
			key_secp256k1(&keys[i]);
		else
			key_ed25519(&keys[i]);
	}
	return 0;
}

static int teardown(void **state)
{
	for (int i = 0; i < NKEYS; i++) {
		EVP_PKEY_free(keys[i].ed);
		OPENSSL_cleanse(keys[i].sk, sizeof(keys[i].sk));
	}
	secp256k1_context_destroy(sctx);
	px_hash_thread_cleanup();
	return 0;
}

/* --- building blocks ------------------------------------------------------ */

static void make_set(struct tm_validator_set *vs, const struct member *m, size_t n)
{
	struct px_err err = { 0 };

	memset(vs, 0, sizeof(*vs));
	vs->validators = calloc(n, sizeof(*vs->validators));
	assert_non_null(vs->validators);
	for (size_t i = 0; i < n; i++) {
		struct tm_validator *v = &vs->validators[i];

		memcpy(v->address, keys[m[i].key].address, TM_ADDRESS_LEN);
		v->pub_key = keys[m[i].key].pub;
		v->voting_power = m[i].power;
	}
	vs->len = n;
	assert_true(tm_validator_set_normalize(&err, vs));
}

static void set_hash(struct tm_bytes *out, const struct tm_validator_set *vs)
{
	struct px_err err = { 0 };

	assert_true(tm_validator_set_hash(&err, out->b, vs));
	out->len = TM_HASH_LEN;
}

static void filler(struct tm_bytes *b, uint8_t v)
{
	memset(b->b, v, TM_HASH_LEN);
	b->len = TM_HASH_LEN;
}

/* The header hash into the commit's block id, then every non-absent slot
 * signed again by the key its address names (chain id of the header). */
static void resign(struct tm_light_block *lb)
{
	struct tm_header *h = &lb->signed_header.header;
	struct tm_commit *c = &lb->signed_header.commit;
	struct px_err err = { 0 };
	struct px_buf msg = PX_BUF_INIT;

	assert_true(tm_header_hash(&err, c->block_id.hash.b, h));
	c->block_id.hash.len = TM_HASH_LEN;
	for (size_t i = 0; i < c->len; i++) {
		const struct key *k;

		if (c->sigs[i].flag == TM_FLAG_ABSENT)
			continue;
		k = key_by_address(c->sigs[i].validator_address);
		assert_non_null(k);
		px_buf_reset(&msg);
		tm_commit_sign_bytes(&msg, h->chain_id, c, i);
		assert_true(px_buf_ok(&msg));
		sign(k, c->sigs[i].signature, msg.data, msg.len);
		c->sigs[i].signature_len = 64;
	}
	px_buf_free(&msg);
}

/* Slot flags by validator position (sorted order): bit i of commit_mask
 * signs for the block, bit i of nil_mask votes nil, others are absent. */
static void make_block(struct tm_light_block *lb, int64_t height, int64_t secs,
		       const struct member *vals, size_t nvals, const struct member *next,
		       size_t nnext, unsigned commit_mask, unsigned nil_mask)
{
	struct tm_header *h;
	struct tm_commit *c;

	memset(lb, 0, sizeof(*lb));
	make_set(&lb->validators, vals, nvals);
	make_set(&lb->next_validators, next, nnext);
	lb->has_validators = lb->has_next_validators = true;

	h = &lb->signed_header.header;
	h->version_block = 11;
	h->version_app = 1;
	snprintf(h->chain_id, sizeof(h->chain_id), "%s", CHAIN);
	h->height = height;
	h->time.seconds = secs;
	h->time.nanos = 123456789;
	filler(&h->last_block_id.hash, 0x11);
	h->last_block_id.parts.total = 1;
	filler(&h->last_block_id.parts.hash, 0x12);
	filler(&h->last_commit_hash, 0x13);
	filler(&h->data_hash, 0x14);
	set_hash(&h->validators_hash, &lb->validators);
	set_hash(&h->next_validators_hash, &lb->next_validators);
	filler(&h->consensus_hash, 0x15);
	memset(h->app_hash.b, 0x16, 8);
	h->app_hash.len = 8;
	filler(&h->last_results_hash, 0x17);
	filler(&h->evidence_hash, 0x18);
	memcpy(h->proposer_address.b, lb->validators.validators[0].address, TM_ADDRESS_LEN);
	h->proposer_address.len = TM_ADDRESS_LEN;

	c = &lb->signed_header.commit;
	c->height = height;
	c->round = 1;
	c->block_id.parts.total = 1;
	filler(&c->block_id.parts.hash, 0x19);
	c->sigs = calloc(nvals, sizeof(*c->sigs));
	assert_non_null(c->sigs);
	c->len = nvals;
	for (size_t i = 0; i < nvals; i++) {
		struct tm_commit_sig *s = &c->sigs[i];

		if (commit_mask & (1u << i))
			s->flag = TM_FLAG_COMMIT;
		else if (nil_mask & (1u << i))
			s->flag = TM_FLAG_NIL;
		else
			s->flag = TM_FLAG_ABSENT;
		if (s->flag == TM_FLAG_ABSENT)
			continue;
		memcpy(s->validator_address, lb->validators.validators[i].address, TM_ADDRESS_LEN);
		s->timestamp = h->time;
		s->timestamp.seconds += 1;
	}
	resign(lb);
}

static const struct member set_a[] = { { 0, 10 }, { 1, 10 }, { 2, 10 }, { 3, 10 } };
static const struct member set_b[] = { { 0, 10 }, { 4, 10 }, { 5, 10 }, { 6, 10 } };
static const struct member set_c[] = { { 0, 10 }, { 1, 10 }, { 4, 10 }, { 5, 10 } };
static const struct member set_three[] = { { 0, 10 }, { 1, 10 }, { 2, 10 } };
static const struct member set_secp[] = { { 0, 10 }, { 1, 10 }, { 2, 10 }, { SECP, 10 } };
#define N(a) (sizeof(a) / sizeof((a)[0]))
#define ALL 0xffffffffu

static struct px_time at(int64_t secs)
{
	struct px_time t = { secs, 0 };
	return t;
}

/* Trusted state at height 1, time T0, next validators set_a. */
static void trusted_a(struct tm_trusted *t)
{
	struct tm_light_block lb;
	struct px_err err = { 0 };

	make_block(&lb, 1, T0, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	assert_true(tm_trust_anchor(&err, t, &lb));
	tm_light_block_free(&lb);
}

static struct tm_options opts(void)
{
	struct tm_options o;

	tm_options_default(&o);
	return o;
}

/* tm_verify of lb from trusted_a at now; returns the error code (0 on
 * success, where the new state is checked too). */
static int verify_at(struct tm_light_block *lb, const struct tm_options *o, struct px_time now)
{
	struct tm_trusted t, out;
	struct px_err err = { 0 };
	int code = 0;

	trusted_a(&t);
	memset(&out, 0xAB, sizeof(out));
	if (tm_verify(&err, &out, &t, lb, o, now)) {
		assert_int_equal(out.header.height, lb->signed_header.header.height);
		assert_memory_equal(out.hash, lb->signed_header.commit.block_id.hash.b, TM_HASH_LEN);
		assert_int_equal(out.next_validators.len, lb->next_validators.len);
		tm_trusted_free(&out);
	} else {
		code = err.code;
		assert_true(err.msg[0] != 0);
		/* out untouched on failure */
		for (size_t i = 0; i < sizeof(out); i++)
			assert_int_equal(((uint8_t *)&out)[i], 0xAB);
	}
	tm_trusted_free(&t);
	tm_light_block_free(lb);
	return code;
}

static int verify(struct tm_light_block *lb)
{
	struct tm_options o = opts();

	return verify_at(lb, &o, at(T0 + 100));
}

/* --- tests ----------------------------------------------------------------- */

static void test_valid_adjacent_and_skipping(void **state)
{
	struct tm_light_block lb;

	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	assert_int_equal(verify(&lb), 0);
	make_block(&lb, 7, T0 + 10, set_a, N(set_a), set_b, N(set_b), ALL, 0);
	assert_int_equal(verify(&lb), 0);
	/* skipping to another set holding half of the trusted power */
	make_block(&lb, 7, T0 + 10, set_c, N(set_c), set_c, N(set_c), ALL, 0);
	assert_int_equal(verify(&lb), 0);
}

static void test_chain_of_blocks(void **state)
{
	struct tm_trusted t, next;
	struct tm_options o = opts();
	struct px_err err = { 0 };
	const struct member *sets[] = { set_a, set_a, set_c, set_c, set_b };
	const size_t lens[] = { N(set_a), N(set_a), N(set_c), N(set_c), N(set_b) };

	trusted_a(&t);
	for (int i = 0; i + 1 < 5; i++) {
		struct tm_light_block lb;

		make_block(&lb, 2 + i, T0 + 10 + i, sets[i], lens[i], sets[i + 1], lens[i + 1], ALL, 0);
		assert_true(tm_verify(&err, &next, &t, &lb, &o, at(T0 + 100)));
		tm_trusted_free(&t);
		t = next;
		tm_light_block_free(&lb);
	}
	assert_int_equal(t.header.height, 5);
	tm_trusted_free(&t);
}

static void test_signature_byte(void **state)
{
	struct tm_light_block lb;

	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	lb.signed_header.commit.sigs[2].signature[17] ^= 0x01;
	assert_int_equal(verify(&lb), PX_E_BAD_SIGNATURE);
	/* a signature over another timestamp than the slot's */
	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	lb.signed_header.commit.sigs[0].timestamp.nanos += 1;
	assert_int_equal(verify(&lb), PX_E_BAD_SIGNATURE);
	/* non-adjacent: caught while tallying the trusted set */
	make_block(&lb, 9, T0 + 10, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	lb.signed_header.commit.sigs[3].signature[0] ^= 0x80;
	assert_int_equal(verify(&lb), PX_E_BAD_SIGNATURE);
}

static void test_voting_power_changed(void **state)
{
	struct tm_light_block lb;

	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	lb.validators.validators[1].voting_power += 1;
	lb.validators.total_power += 1;
	assert_int_equal(verify(&lb), PX_E_VALSET_HASH);
}

static void test_validators_hash(void **state)
{
	struct tm_light_block lb;

	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	lb.signed_header.header.validators_hash.b[5] ^= 0x01;
	resign(&lb);
	assert_int_equal(verify(&lb), PX_E_VALSET_HASH);
}

static void test_next_validators_hash(void **state)
{
	struct tm_light_block lb;

	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	lb.signed_header.header.next_validators_hash.b[31] ^= 0x01;
	resign(&lb);
	assert_int_equal(verify(&lb), PX_E_VALSET_HASH);
	/* the set the trusted header did not announce, at the next height */
	make_block(&lb, 2, T0 + 10, set_c, N(set_c), set_c, N(set_c), ALL, 0);
	assert_int_equal(verify(&lb), PX_E_NEXT_VALSET);
}

static void test_header_not_commit_block_id(void **state)
{
	struct tm_light_block lb;

	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	lb.signed_header.header.app_hash.b[0] ^= 0x01;
	assert_int_equal(verify(&lb), PX_E_BLOCK_ID);
}

static void test_chain_id(void **state)
{
	struct tm_light_block lb;

	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	snprintf(lb.signed_header.header.chain_id, sizeof(lb.signed_header.header.chain_id), "other-chain");
	resign(&lb);
	assert_int_equal(verify(&lb), PX_E_CHAIN_ID);
}

static void test_height(void **state)
{
	struct tm_light_block lb;

	/* not above the trusted height */
	make_block(&lb, 1, T0 + 10, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	assert_int_equal(verify(&lb), PX_E_HEIGHT);
	/* commit for another height than the header (signed for it) */
	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	lb.signed_header.commit.height = 3;
	resign(&lb);
	assert_int_equal(verify(&lb), PX_E_COMMIT_SHAPE);
}

static void test_time(void **state)
{
	struct tm_options o = opts();
	struct tm_light_block lb;

	/* not after the trusted time (equal) */
	make_block(&lb, 2, T0, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	assert_int_equal(verify(&lb), PX_E_TIME_ORDER);
	/* earlier */
	make_block(&lb, 2, T0 - 1, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	assert_int_equal(verify(&lb), PX_E_TIME_ORDER);
	/* from the future: now + drift (10 s) is excluded */
	make_block(&lb, 2, T0 + 60, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	lb.signed_header.header.time.nanos = 0;
	resign(&lb);
	assert_int_equal(verify_at(&lb, &o, at(T0 + 50)), PX_E_FUTURE);
	make_block(&lb, 2, T0 + 61, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	assert_int_equal(verify_at(&lb, &o, at(T0 + 50)), PX_E_FUTURE);
	/* within the drift */
	make_block(&lb, 2, T0 + 59, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	assert_int_equal(verify_at(&lb, &o, at(T0 + 50)), 0);
	/* no drift: the header must be strictly before now */
	o.clock_drift_ns = 0;
	make_block(&lb, 2, T0 + 50, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	lb.signed_header.header.time.nanos = 0;
	resign(&lb);
	assert_int_equal(verify_at(&lb, &o, at(T0 + 50)), PX_E_FUTURE);
}

static void test_expired_trust(void **state)
{
	struct tm_options o = opts();
	struct tm_light_block lb;

	o.trusting_period_ns = 100ull * 1000000000ull;
	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	/* trusted at T0 + 0.123456789 s: expired once now reaches T0 + 100.123456789 */
	assert_int_equal(verify_at(&lb, &o, at(T0 + 101)), PX_E_TRUST_EXPIRED);
	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	assert_int_equal(verify_at(&lb, &o, at(T0 + 100)), 0);
}

static void test_missing_signatures(void **state)
{
	struct tm_light_block lb;

	/* adjacent, 2 of 4 equal validators: not more than 2/3 */
	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), 0x3, 0);
	assert_int_equal(verify(&lb), PX_E_INSUFFICIENT_POWER);
	/* 3 of 4 is enough */
	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), 0xb, 0);
	assert_int_equal(verify(&lb), 0);
	/* non-adjacent, the trusted set holds 1/4 of the commit: not enough trust */
	make_block(&lb, 5, T0 + 10, set_b, N(set_b), set_b, N(set_b), ALL, 0);
	assert_int_equal(verify(&lb), PX_E_NOT_ENOUGH_TRUST);
	/* non-adjacent, same set, one of four signs: 1/4 of the trusted power */
	make_block(&lb, 5, T0 + 10, set_a, N(set_a), set_a, N(set_a), 0x1, 0);
	assert_int_equal(verify(&lb), PX_E_NOT_ENOUGH_TRUST);
	/* non-adjacent, 2 of 4 trusted: trust ok, then not 2/3 of its own */
	make_block(&lb, 5, T0 + 10, set_a, N(set_a), set_a, N(set_a), 0x3, 0);
	assert_int_equal(verify(&lb), PX_E_INSUFFICIENT_POWER);
}

static void test_exact_thresholds(void **state)
{
	struct px_err err = { 0 };
	struct tm_light_block lb;
	const struct tm_commit *c = &lb.signed_header.commit;

	/* exactly 2/3 is not more than 2/3 */
	make_block(&lb, 2, T0 + 10, set_three, N(set_three), set_three, N(set_three), 0x3, 0);
	assert_false(tm_commit_verify_light(&err, CHAIN, &lb.validators, &c->block_id, 2, c));
	assert_int_equal(err.code, PX_E_INSUFFICIENT_POWER);
	/* as trust level: exactly 2/3 is not more than 2/3 */
	px_err_clear(&err);
	assert_false(tm_commit_verify_trusting(&err, CHAIN, &lb.validators, c, 2, 3));
	assert_int_equal(err.code, PX_E_NOT_ENOUGH_TRUST);
	assert_true(tm_commit_verify_trusting(&err, CHAIN, &lb.validators, c, 1, 3));
	tm_light_block_free(&lb);

	/* exactly 1/3 is not more than 1/3 */
	make_block(&lb, 2, T0 + 10, set_three, N(set_three), set_three, N(set_three), 0x1, 0);
	px_err_clear(&err);
	assert_false(tm_commit_verify_trusting(&err, CHAIN, &lb.validators, c, 1, 3));
	assert_int_equal(err.code, PX_E_NOT_ENOUGH_TRUST);
	tm_light_block_free(&lb);
}

static void test_duplicate_vote(void **state)
{
	struct tm_light_block lb;
	struct tm_commit *c;

	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	c = &lb.signed_header.commit;
	memcpy(c->sigs[1].validator_address, c->sigs[0].validator_address, TM_ADDRESS_LEN);
	resign(&lb);
	assert_int_equal(verify(&lb), PX_E_DUPLICATE_VOTE);
	/* non-adjacent: caught in the trusted tally */
	make_block(&lb, 6, T0 + 10, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	c = &lb.signed_header.commit;
	memcpy(c->sigs[3].validator_address, c->sigs[2].validator_address, TM_ADDRESS_LEN);
	resign(&lb);
	assert_int_equal(verify(&lb), PX_E_DUPLICATE_VOTE);
}

static void test_unknown_validator(void **state)
{
	struct tm_light_block lb;

	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	memcpy(lb.signed_header.commit.sigs[3].validator_address, keys[7].address, TM_ADDRESS_LEN);
	resign(&lb);
	assert_int_equal(verify(&lb), PX_E_UNKNOWN_VALIDATOR);
}

static void test_nil_votes(void **state)
{
	struct tm_light_block lb;

	/* nil votes are checked but carry no power */
	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), 0x7, 0x8);
	assert_int_equal(verify(&lb), 0);
	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), 0x3, 0xc);
	assert_int_equal(verify(&lb), PX_E_INSUFFICIENT_POWER);
	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), 0x7, 0x8);
	lb.signed_header.commit.sigs[3].signature[9] ^= 0x04;
	assert_int_equal(verify(&lb), PX_E_BAD_SIGNATURE);
	/* a nil vote signed as a vote for the block does not verify */
	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	lb.signed_header.commit.sigs[3].flag = TM_FLAG_NIL;
	assert_int_equal(verify(&lb), PX_E_BAD_SIGNATURE);
}

static void test_absent_votes(void **state)
{
	struct tm_light_block lb;

	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), 0xe, 0);
	assert_int_equal(verify(&lb), 0);
	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), 0, 0);
	assert_int_equal(verify(&lb), PX_E_COMMIT_SHAPE);
}

static void test_commit_shape(void **state)
{
	struct px_err err = { 0 };
	struct tm_light_block lb;
	struct tm_commit *c = &lb.signed_header.commit;
	struct tm_block_id other;

	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	assert_true(tm_commit_verify_light(&err, CHAIN, &lb.validators, &c->block_id, 2, c));
	other = c->block_id;
	other.parts.total = 2;
	assert_false(tm_commit_verify_light(&err, CHAIN, &lb.validators, &other, 2, c));
	assert_int_equal(err.code, PX_E_BLOCK_ID);
	px_err_clear(&err);
	assert_false(tm_commit_verify_light(&err, CHAIN, &lb.validators, &c->block_id, 3, c));
	assert_int_equal(err.code, PX_E_COMMIT_SHAPE);
	/* one slot fewer than validators */
	px_err_clear(&err);
	c->len--;
	assert_false(tm_commit_verify_light(&err, CHAIN, &lb.validators, &c->block_id, 2, c));
	assert_int_equal(err.code, PX_E_COMMIT_SHAPE);
	c->len++;
	/* signed for another chain */
	px_err_clear(&err);
	assert_false(tm_commit_verify_light(&err, "other", &lb.validators, &c->block_id, 2, c));
	assert_int_equal(err.code, PX_E_BAD_SIGNATURE);
	tm_light_block_free(&lb);
	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	lb.signed_header.commit.len--;
	assert_int_equal(verify(&lb), PX_E_COMMIT_SHAPE);
}

static void test_options_check(void **state)
{
	struct px_err err = { 0 };
	struct tm_options o = opts();
	struct tm_light_block lb;
	static const uint64_t good[][2] = { { 1, 3 }, { 2, 3 }, { 1, 1 }, { 5, 5 },
					    { 1ull << 61, 3ull << 61 }, { UINT64_MAX, UINT64_MAX } };
	static const uint64_t bad[][2] = { { 1, 4 }, { 0, 3 }, { 1, 0 }, { 0, 0 }, { 2, 1 },
					   { 4, 3 }, { UINT64_MAX / 3 - 1, UINT64_MAX },
					   { UINT64_MAX, 1 } };

	for (size_t i = 0; i < N(good); i++) {
		o.trust_num = good[i][0];
		o.trust_den = good[i][1];
		assert_true(tm_options_check(&err, &o));
	}
	for (size_t i = 0; i < N(bad); i++) {
		px_err_clear(&err);
		o.trust_num = bad[i][0];
		o.trust_den = bad[i][1];
		assert_false(tm_options_check(&err, &o));
		assert_int_equal(err.code, PX_E_USAGE);
	}
	o = opts();
	o.trusting_period_ns = 0;
	px_err_clear(&err);
	assert_false(tm_options_check(&err, &o));
	assert_int_equal(err.code, PX_E_USAGE);
	/* tm_verify refuses them too */
	o = opts();
	o.trust_num = 1;
	o.trust_den = 4;
	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	assert_int_equal(verify_at(&lb, &o, at(T0 + 100)), PX_E_USAGE);
}

/* s -> n - s, the high-S twin of a valid secp256k1 signature. */
static void high_s(uint8_t sig[64])
{
	static const uint8_t n[32] = {
		0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
		0xBA, 0xAE, 0xDC, 0xE6, 0xAF, 0x48, 0xA0, 0x3B, 0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41,
	};
	int borrow = 0;

	for (int i = 31; i >= 0; i--) {
		int d = n[i] - sig[32 + i] - borrow;

		borrow = d < 0;
		sig[32 + i] = (uint8_t)(d + (borrow ? 256 : 0));
	}
}

static void test_secp256k1_validator(void **state)
{
	struct tm_light_block lb;
	size_t slot = SIZE_MAX;

	make_block(&lb, 2, T0 + 10, set_secp, N(set_secp), set_a, N(set_a), ALL, 0);
	assert_int_equal(verify(&lb), PX_E_NEXT_VALSET); /* trusted announced set_a */
	make_block(&lb, 9, T0 + 10, set_secp, N(set_secp), set_a, N(set_a), ALL, 0);
	assert_int_equal(verify(&lb), 0);

	make_block(&lb, 9, T0 + 10, set_secp, N(set_secp), set_a, N(set_a), ALL, 0);
	for (size_t i = 0; i < lb.validators.len; i++)
		if (lb.validators.validators[i].pub_key.type == TM_KEY_SECP256K1)
			slot = i;
	assert_true(slot != SIZE_MAX);
	high_s(lb.signed_header.commit.sigs[slot].signature);
	assert_int_equal(verify(&lb), PX_E_BAD_SIGNATURE);
}

/* Powers summing to TM_MAX_TOTAL_POWER, and thresholds in 128 bits. */
static void test_power_arithmetic(void **state)
{
	struct px_err err = { 0 };
	struct tm_light_block lb;
	const struct tm_commit *c = &lb.signed_header.commit;
	const int64_t third = TM_MAX_TOTAL_POWER / 3;
	/* TM_MAX_TOTAL_POWER is 3 * third */
	const struct member big[] = { { 0, third + 1 }, { 1, third }, { 2, third - 1 } };
	const struct member over[] = { { 0, third + 1 }, { 1, third }, { 2, third } };
	struct tm_validator_set vs;

	make_block(&lb, 2, T0 + 10, big, N(big), big, N(big), ALL, 0);
	assert_int_equal(lb.validators.total_power, TM_MAX_TOTAL_POWER);
	assert_true(tm_commit_verify_light(&err, CHAIN, &lb.validators, &c->block_id, 2, c));
	/* 1/3 as 2^61 / (3 * 2^61): products past 64 bits */
	assert_true(tm_commit_verify_trusting(&err, CHAIN, &lb.validators, c, 1ull << 61, 3ull << 61));
	tm_light_block_free(&lb);

	/* the two smaller ones sign: less than 2/3 of the total */
	make_block(&lb, 2, T0 + 10, big, N(big), big, N(big), 0, 0);
	for (size_t i = 0; i < lb.validators.len; i++)
		if (lb.validators.validators[i].voting_power != third + 1) {
			lb.signed_header.commit.sigs[i].flag = TM_FLAG_COMMIT;
			memcpy(lb.signed_header.commit.sigs[i].validator_address,
			       lb.validators.validators[i].address, TM_ADDRESS_LEN);
		}
	resign(&lb);
	assert_false(tm_commit_verify_light(&err, CHAIN, &lb.validators, &c->block_id, 2, c));
	assert_int_equal(err.code, PX_E_INSUFFICIENT_POWER);
	px_err_clear(&err);
	assert_true(tm_commit_verify_trusting(&err, CHAIN, &lb.validators, c, 1ull << 61, 3ull << 61));
	assert_false(tm_commit_verify_trusting(&err, CHAIN, &lb.validators, c, UINT64_MAX - 1,
					       UINT64_MAX));
	assert_int_equal(err.code, PX_E_NOT_ENOUGH_TRUST);
	tm_light_block_free(&lb);

	/* one over the cap */
	memset(&vs, 0, sizeof(vs));
	vs.validators = calloc(3, sizeof(*vs.validators));
	assert_non_null(vs.validators);
	for (size_t i = 0; i < 3; i++) {
		memcpy(vs.validators[i].address, keys[over[i].key].address, TM_ADDRESS_LEN);
		vs.validators[i].pub_key = keys[over[i].key].pub;
		vs.validators[i].voting_power = over[i].power;
	}
	vs.len = 3;
	px_err_clear(&err);
	assert_false(tm_validator_set_normalize(&err, &vs));
	assert_int_equal(err.code, PX_E_MALFORMED);
	/* a single validator at INT64_MAX */
	vs.validators[2].voting_power = INT64_MAX;
	px_err_clear(&err);
	assert_false(tm_validator_set_normalize(&err, &vs));
	tm_validator_set_free(&vs);
}

static void test_trust_anchor(void **state)
{
	struct px_err err = { 0 };
	struct tm_light_block lb;
	struct tm_trusted t;

	make_block(&lb, 1, T0, set_a, N(set_a), set_b, N(set_b), ALL, 0);
	assert_true(tm_trust_anchor(&err, &t, &lb));
	assert_int_equal(t.next_validators.len, 4);
	assert_memory_equal(t.hash, lb.signed_header.commit.block_id.hash.b, TM_HASH_LEN);
	tm_trusted_free(&t);
	/* next set not the announced one */
	tm_validator_set_free(&lb.next_validators);
	make_set(&lb.next_validators, set_c, N(set_c));
	assert_false(tm_trust_anchor(&err, &t, &lb));
	assert_int_equal(err.code, PX_E_VALSET_HASH);
	/* no next set */
	px_err_clear(&err);
	lb.has_next_validators = false;
	assert_false(tm_trust_anchor(&err, &t, &lb));
	assert_int_equal(err.code, PX_E_MALFORMED);
	tm_light_block_free(&lb);
	/* header changed after its commit */
	make_block(&lb, 1, T0, set_a, N(set_a), set_b, N(set_b), ALL, 0);
	lb.signed_header.header.height = 2;
	px_err_clear(&err);
	assert_false(tm_trust_anchor(&err, &t, &lb));
	assert_int_equal(err.code, PX_E_BLOCK_ID);
	tm_light_block_free(&lb);
}

static void test_missing_sets(void **state)
{
	struct tm_light_block lb;

	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_a, N(set_a), ALL, 0);
	lb.has_validators = false;
	assert_int_equal(verify(&lb), PX_E_MALFORMED);
}

/* The block without its next validator set, as an IBC header carries it. */
static void drop_next_set(struct tm_light_block *lb)
{
	tm_validator_set_free(&lb->next_validators);
	lb->has_next_validators = false;
}

static void test_no_next_set(void **state)
{
	struct tm_light_block lb, later;
	struct tm_trusted t, out, again;
	struct tm_options o = opts();
	struct px_err err = { 0 };

	/* adjacent and skipping, through the common checks of verify_at */
	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_b, N(set_b), ALL, 0);
	drop_next_set(&lb);
	assert_int_equal(verify(&lb), 0);
	make_block(&lb, 7, T0 + 10, set_c, N(set_c), set_b, N(set_b), ALL, 0);
	drop_next_set(&lb);
	assert_int_equal(verify(&lb), 0);
	/* the other rules still apply: trust level, signatures */
	make_block(&lb, 7, T0 + 10, set_b, N(set_b), set_b, N(set_b), ALL, 0);
	drop_next_set(&lb);
	assert_int_equal(verify(&lb), PX_E_NOT_ENOUGH_TRUST);
	make_block(&lb, 2, T0 + 10, set_a, N(set_a), set_b, N(set_b), ALL, 0);
	drop_next_set(&lb);
	lb.signed_header.commit.sigs[1].signature[9] ^= 0x10;
	assert_int_equal(verify(&lb), PX_E_BAD_SIGNATURE);

	/* the state it yields: the header, and an empty next set */
	trusted_a(&t);
	make_block(&lb, 3, T0 + 10, set_a, N(set_a), set_b, N(set_b), ALL, 0);
	drop_next_set(&lb);
	assert_true(tm_verify(&err, &out, &t, &lb, &o, at(T0 + 100)));
	assert_int_equal(out.header.height, 3);
	assert_int_equal(out.next_validators.len, 0);
	assert_null(out.next_validators.validators);
	assert_int_equal(out.next_validators.total_power, 0);
	assert_memory_equal(out.header.next_validators_hash.b,
			    lb.signed_header.header.next_validators_hash.b, TM_HASH_LEN);

	/* skipping from it cannot succeed, though set_b signed in full: the
	 * trusted side has no power to count */
	make_block(&later, 9, T0 + 20, set_b, N(set_b), set_b, N(set_b), ALL, 0);
	memset(&again, 0xAB, sizeof(again));
	assert_false(tm_verify(&err, &again, &out, &later, &o, at(T0 + 100)));
	assert_int_equal(err.code, PX_E_NOT_ENOUGH_TRUST);
	assert_int_equal(((uint8_t *)&again)[0], 0xAB);
	tm_light_block_free(&later);
	/* adjacent from it still works: it needs only the announced hash */
	make_block(&later, 4, T0 + 20, set_b, N(set_b), set_b, N(set_b), ALL, 0);
	px_err_clear(&err);
	assert_true(tm_verify(&err, &again, &out, &later, &o, at(T0 + 100)));
	assert_int_equal(again.next_validators.len, 4);
	tm_trusted_free(&again);
	tm_light_block_free(&later);
	/* and an adjacent block with another set is still refused */
	make_block(&later, 4, T0 + 20, set_c, N(set_c), set_c, N(set_c), ALL, 0);
	px_err_clear(&err);
	assert_false(tm_verify(&err, &again, &out, &later, &o, at(T0 + 100)));
	assert_int_equal(err.code, PX_E_NEXT_VALSET);
	tm_light_block_free(&later);

	tm_trusted_free(&out);
	tm_trusted_free(&t);
	tm_light_block_free(&lb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_adjacent_and_skipping),
		cmocka_unit_test(test_chain_of_blocks),
		cmocka_unit_test(test_signature_byte),
		cmocka_unit_test(test_voting_power_changed),
		cmocka_unit_test(test_validators_hash),
		cmocka_unit_test(test_next_validators_hash),
		cmocka_unit_test(test_header_not_commit_block_id),
		cmocka_unit_test(test_chain_id),
		cmocka_unit_test(test_height),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_expired_trust),
		cmocka_unit_test(test_missing_signatures),
		cmocka_unit_test(test_exact_thresholds),
		cmocka_unit_test(test_duplicate_vote),
		cmocka_unit_test(test_unknown_validator),
		cmocka_unit_test(test_nil_votes),
		cmocka_unit_test(test_absent_votes),
		cmocka_unit_test(test_commit_shape),
		cmocka_unit_test(test_options_check),
		cmocka_unit_test(test_secp256k1_validator),
		cmocka_unit_test(test_power_arithmetic),
		cmocka_unit_test(test_trust_anchor),
		cmocka_unit_test(test_missing_sets),
		cmocka_unit_test(test_no_next_set),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
