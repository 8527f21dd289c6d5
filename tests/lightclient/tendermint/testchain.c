/* Deterministic signed light blocks for tests (see testchain.h). Any
 * internal failure aborts: a broken fixture must not pass as a rejected
 * block. */
#include "testchain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "common/encoding.h"
#include "common/hash.h"
#include "lightclient/tendermint/crypto.h"
#include "lightclient/tendermint/hash.h"

struct tc_key {
	EVP_PKEY *pkey;
	struct tm_pubkey pub;
	uint8_t address[TM_ADDRESS_LEN];
};

/* The key pool lives for the whole process (reachable, not leaked). */
static struct tc_key keys[TC_MAX_KEYS];
static bool keys_ready;

static void die(const char *what)
{
	fprintf(stderr, "testchain: %s\n", what);
	abort();
}

static void keys_init(void)
{
	if (keys_ready)
		return;
	for (int i = 0; i < TC_MAX_KEYS; i++) {
		char label[40];
		uint8_t seed[32];
		size_t len = 32;

		snprintf(label, sizeof(label), "pontifex test key %d", i);
		px_sha256(seed, label, strlen(label));
		keys[i].pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
		if (!keys[i].pkey)
			die("ed25519 key");
		keys[i].pub.type = TM_KEY_ED25519;
		if (EVP_PKEY_get_raw_public_key(keys[i].pkey, keys[i].pub.bytes, &len) != 1 ||
		    len != 32)
			die("ed25519 public key");
		keys[i].pub.len = 32;
		tm_pubkey_address(keys[i].address, &keys[i].pub);
		OPENSSL_cleanse(seed, sizeof(seed));
	}
	keys_ready = true;
}

static const struct tc_key *key_by_address(const uint8_t address[TM_ADDRESS_LEN])
{
	for (int i = 0; i < TC_MAX_KEYS; i++) {
		if (memcmp(keys[i].address, address, TM_ADDRESS_LEN) == 0)
			return &keys[i];
	}
	die("no key for a validator address");
	return NULL;
}

struct px_time tc_time(int64_t seconds)
{
	struct px_time t = { seconds, 0 };
	return t;
}

static void set_make(struct tm_validator_set *out, const struct tc_set *s)
{
	struct px_err err = { 0 };

	keys_init();
	memset(out, 0, sizeof(*out));
	out->validators = calloc(s->n, sizeof(*out->validators));
	if (!out->validators)
		die("out of memory");
	for (size_t i = 0; i < s->n; i++) {
		struct tm_validator *v = &out->validators[i];

		if (s->key[i] < 0 || s->key[i] >= TC_MAX_KEYS)
			die("key index out of range");
		memcpy(v->address, keys[s->key[i]].address, TM_ADDRESS_LEN);
		v->pub_key = keys[s->key[i]].pub;
		v->voting_power = s->power[i];
		out->len++;
	}
	if (!tm_validator_set_normalize(&err, out))
		die(err.msg);
}

static void set_hash(struct tm_bytes *out, const struct tm_validator_set *vs)
{
	struct px_err err = { 0 };

	if (!tm_validator_set_hash(&err, out->b, vs))
		die("validator set hash");
	out->len = TM_HASH_LEN;
}

static void label_hash(struct tm_bytes *out, const char *label, uint32_t seed, int64_t h)
{
	char s[64];

	snprintf(s, sizeof(s), "%s/%u/%lld", label, seed, (long long)h);
	px_sha256(out->b, s, strlen(s));
	out->len = TM_HASH_LEN;
}

static void sign(uint8_t sig[TM_SIGNATURE_LEN], const struct tc_key *k, const struct px_buf *msg)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t len = TM_SIGNATURE_LEN;

	if (!ctx || EVP_DigestSignInit(ctx, NULL, NULL, NULL, k->pkey) != 1 ||
	    EVP_DigestSign(ctx, sig, &len, msg->data, msg->len) != 1 || len != TM_SIGNATURE_LEN)
		die("ed25519 sign");
	EVP_MD_CTX_free(ctx);
}

/* Block id from the header, then every COMMIT slot signed again. */
static void resign(struct tm_light_block *lb)
{
	struct tm_signed_header *sh = &lb->signed_header;
	struct tm_commit *c = &sh->commit;
	struct px_err err = { 0 };

	if (!tm_header_hash(&err, c->block_id.hash.b, &sh->header))
		die("header hash");
	c->block_id.hash.len = TM_HASH_LEN;
	c->block_id.parts.total = 1;
	label_hash(&c->block_id.parts.hash, "parts", 0, sh->header.height);
	c->height = sh->header.height;
	for (size_t i = 0; i < c->len; i++) {
		struct px_buf msg = PX_BUF_INIT;

		if (c->sigs[i].flag != TM_FLAG_COMMIT)
			continue;
		tm_commit_sign_bytes(&msg, sh->header.chain_id, c, i);
		if (!px_buf_ok(&msg))
			die("sign bytes");
		sign(c->sigs[i].signature, key_by_address(c->sigs[i].validator_address), &msg);
		c->sigs[i].signature_len = TM_SIGNATURE_LEN;
		px_buf_free(&msg);
	}
}

static bool is_signer(const struct tc_set *s, uint32_t signers, const uint8_t *address)
{
	for (size_t i = 0; i < s->n; i++) {
		if (memcmp(keys[s->key[i]].address, address, TM_ADDRESS_LEN) == 0)
			return signers == 0 || (signers >> i & 1);
	}
	return false;
}

static void commit_slots(struct tm_light_block *lb, const struct tc_set *vals, uint32_t signers)
{
	struct tm_commit *c = &lb->signed_header.commit;
	const struct tm_validator_set *vs = &lb->validators;
	struct px_time ts;

	if (!px_time_add_ns(&ts, lb->signed_header.header.time, 1000000000ull))
		die("time");
	free(c->sigs);
	c->sigs = calloc(vs->len, sizeof(*c->sigs));
	if (!c->sigs)
		die("out of memory");
	c->len = vs->len;
	for (size_t i = 0; i < vs->len; i++) {
		struct tm_commit_sig *s = &c->sigs[i];

		if (!is_signer(vals, signers, vs->validators[i].address)) {
			s->flag = TM_FLAG_ABSENT;
			continue;
		}
		s->flag = TM_FLAG_COMMIT;
		memcpy(s->validator_address, vs->validators[i].address, TM_ADDRESS_LEN);
		s->timestamp = ts;
	}
}

void tc_block_make(struct tm_light_block *out, const struct tc_block_params *p)
{
	struct tm_header *h = &out->signed_header.header;

	keys_init();
	memset(out, 0, sizeof(*out));
	set_make(&out->validators, &p->vals);
	set_make(&out->next_validators, &p->next_vals);
	out->has_validators = true;
	out->has_next_validators = true;
	h->version_block = 11;
	snprintf(h->chain_id, sizeof(h->chain_id), "%s", p->chain_id);
	h->height = p->height;
	h->time = p->time;
	h->last_block_id = p->last_block_id;
	label_hash(&h->last_commit_hash, "last_commit", 0, p->height);
	label_hash(&h->data_hash, "data", 0, p->height);
	set_hash(&h->validators_hash, &out->validators);
	set_hash(&h->next_validators_hash, &out->next_validators);
	label_hash(&h->consensus_hash, "consensus", 0, 0);
	label_hash(&h->app_hash, "app", p->app_seed, p->height);
	if (p->app_hash)
		memcpy(h->app_hash.b, p->app_hash, TM_HASH_LEN);
	label_hash(&h->last_results_hash, "results", 0, p->height);
	label_hash(&h->evidence_hash, "evidence", 0, 0);
	memcpy(h->proposer_address.b, out->validators.validators[0].address, TM_ADDRESS_LEN);
	h->proposer_address.len = TM_ADDRESS_LEN;
	out->signed_header.commit.round = 0;
	commit_slots(out, &p->vals, p->signers);
	resign(out);
}

void tc_block_resign(struct tm_light_block *lb, const struct tc_set *vals, uint32_t signers)
{
	keys_init();
	if (vals)
		commit_slots(lb, vals, signers);
	resign(lb);
}

void tc_chain_set(struct tc_set *out, int64_t epoch, size_t set_size, int64_t h)
{
	int64_t e = (h - 1) / epoch;
	size_t shift = set_size / 2;

	memset(out, 0, sizeof(*out));
	if (set_size > TC_MAX_SET || shift == 0)
		die("set size");
	for (size_t i = 0; i < set_size; i++) {
		out->key[i] = (int)(((size_t)e * shift + i) % TC_MAX_KEYS);
		out->power[i] = 10;
	}
	out->n = set_size;
}

void tc_chain_params(struct tc_block_params *out, const struct tc_chain *c, int64_t h)
{
	memset(out, 0, sizeof(*out));
	out->chain_id = c->chain_id;
	out->height = h;
	out->time = tc_time(TC_T0 + 10 * h);
	tc_chain_set(&out->vals, c->epoch, c->set_size, h);
	tc_chain_set(&out->next_vals, c->epoch, c->set_size, h + 1);
	if (h > 1)
		out->last_block_id = c->blocks[h - 2].signed_header.commit.block_id;
}

void tc_chain_build(struct tc_chain *c, const char *chain_id, int64_t n, int64_t epoch,
		    size_t set_size)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->chain_id, sizeof(c->chain_id), "%s", chain_id);
	c->n = n;
	c->epoch = epoch;
	c->set_size = set_size;
	c->blocks = calloc((size_t)n, sizeof(*c->blocks));
	if (!c->blocks)
		die("out of memory");
	for (int64_t h = 1; h <= n; h++) {
		struct tc_block_params p;

		tc_chain_params(&p, c, h);
		tc_block_make(&c->blocks[h - 1], &p);
	}
}

void tc_chain_free(struct tc_chain *c)
{
	for (int64_t i = 0; i < c->n; i++)
		tm_light_block_free(&c->blocks[i]);
	free(c->blocks);
	memset(c, 0, sizeof(*c));
}

const struct tm_light_block *tc_chain_at(const struct tc_chain *c, int64_t h)
{
	if (h < 1 || h > c->n)
		die("height outside the chain");
	return &c->blocks[h - 1];
}

/* --- JSON ------------------------------------------------------------------ */

static json_t *hex(const uint8_t *b, size_t len)
{
	char s[2 * TM_MAX_BYTES + 1];

	px_hex_encode(s, sizeof(s), b, len, true);
	return json_string(s);
}

static json_t *b64(const uint8_t *b, size_t len)
{
	struct px_buf out = PX_BUF_INIT;
	json_t *v;

	px_base64_encode(&out, b, len, PX_B64_STD, true);
	if (!px_buf_ok(&out))
		die("out of memory");
	v = json_stringn(out.data ? (const char *)out.data : "", out.len);
	px_buf_free(&out);
	return v;
}

static json_t *num(int64_t v)
{
	char s[24];

	snprintf(s, sizeof(s), "%lld", (long long)v);
	return json_string(s);
}

static json_t *timestr(struct px_time t)
{
	char s[PX_TIME_STR_MAX];

	if (!px_time_format(s, t))
		die("time format");
	return json_string(s);
}

static json_t *block_id(const struct tm_block_id *id)
{
	return json_pack("{s:o, s:{s:i, s:o}}", "hash", hex(id->hash.b, id->hash.len), "parts",
			 "total", (json_int_t)id->parts.total, "hash",
			 hex(id->parts.hash.b, id->parts.hash.len));
}

static json_t *header_json(const struct tm_header *h)
{
	json_t *o = json_pack("{s:{s:o, s:o}, s:s, s:o, s:o, s:o}",
			      "version", "block", num((int64_t)h->version_block), "app",
			      num((int64_t)h->version_app), "chain_id", h->chain_id,
			      "height", num(h->height), "time", timestr(h->time),
			      "last_block_id", block_id(&h->last_block_id));
	const struct {
		const char *name;
		const struct tm_bytes *b;
	} f[] = {
		{ "last_commit_hash", &h->last_commit_hash },
		{ "data_hash", &h->data_hash },
		{ "validators_hash", &h->validators_hash },
		{ "next_validators_hash", &h->next_validators_hash },
		{ "consensus_hash", &h->consensus_hash },
		{ "app_hash", &h->app_hash },
		{ "last_results_hash", &h->last_results_hash },
		{ "evidence_hash", &h->evidence_hash },
		{ "proposer_address", &h->proposer_address },
	};

	if (!o)
		die("json");
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		json_object_set_new(o, f[i].name, hex(f[i].b->b, f[i].b->len));
	return o;
}

static json_t *commit_json(const struct tm_commit *c)
{
	json_t *sigs = json_array();

	for (size_t i = 0; i < c->len; i++) {
		const struct tm_commit_sig *s = &c->sigs[i];

		if (s->flag == TM_FLAG_ABSENT)
			json_array_append_new(sigs, json_pack("{s:i, s:s, s:s, s:n}", "block_id_flag", 1,
							      "validator_address", "", "timestamp",
							      "0001-01-01T00:00:00Z", "signature"));
		else
			json_array_append_new(sigs, json_pack("{s:i, s:o, s:o, s:o}", "block_id_flag",
							      (int)s->flag, "validator_address",
							      hex(s->validator_address, TM_ADDRESS_LEN),
							      "timestamp", timestr(s->timestamp),
							      "signature",
							      b64(s->signature, s->signature_len)));
	}
	return json_pack("{s:o, s:i, s:o, s:o}", "height", num(c->height), "round", (int)c->round,
			 "block_id", block_id(&c->block_id), "signatures", sigs);
}

static json_t *validator_json(const struct tm_validator *v)
{
	return json_pack("{s:o, s:{s:s, s:o}, s:o, s:o}", "address", hex(v->address, TM_ADDRESS_LEN),
			 "pub_key", "type", v->pub_key.type == TM_KEY_ED25519 ?
			 "tendermint/PubKeyEd25519" : "tendermint/PubKeySecp256k1",
			 "value", b64(v->pub_key.bytes, v->pub_key.len), "voting_power",
			 num(v->voting_power), "proposer_priority", num(v->proposer_priority));
}

static json_t *set_json(const struct tm_validator_set *vs)
{
	json_t *vals = json_array();

	for (size_t i = 0; i < vs->len; i++)
		json_array_append_new(vals, validator_json(&vs->validators[i]));
	return json_pack("{s:o, s:o, s:o}", "validators", vals, "proposer",
			 vs->len ? validator_json(&vs->validators[0]) : json_null(),
			 "total_voting_power", num(vs->total_power));
}

json_t *tc_block_to_json(const struct tm_light_block *lb)
{
	json_t *o = json_pack("{s:{s:o, s:o}}", "signed_header", "header",
			      header_json(&lb->signed_header.header), "commit",
			      commit_json(&lb->signed_header.commit));

	if (!o)
		die("json");
	if (lb->has_validators)
		json_object_set_new(o, "validator_set", set_json(&lb->validators));
	if (lb->has_next_validators)
		json_object_set_new(o, "next_validator_set", set_json(&lb->next_validators));
	return o;
}
