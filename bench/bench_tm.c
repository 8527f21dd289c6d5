/* Benchmark: Tendermint commit verification (tm_commit_verify_light) per
 * second for 4, 50 and 150 validators with every validator signing, beside
 * the raw ed25519 verifications the same commit needs, measured in the same
 * run: OpenSSL EVP one-shot verify over the same sign bytes with keys
 * created once. The ratio cost(commit) / cost(its signatures alone) shows
 * what the light client adds on top of the signature checks (goal <= 1.1).
 *
 * usage: bench_tm [SECONDS_PER_FIGURE]   (default 2) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "common/buf.h"
#include "common/hash.h"
#include "lightclient/tendermint/crypto.h"
#include "lightclient/tendermint/hash.h"
#include "lightclient/tendermint/verify.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct fixture {
	size_t n;
	EVP_PKEY **keys;
	struct tm_validator_set vs;
	struct tm_commit commit;
	struct px_buf *sign_bytes;	/* per slot, for the raw figure */
};

static void die(const char *what)
{
	fprintf(stderr, "bench_tm: %s\n", what);
	exit(1);
}

static EVP_PKEY *keygen(void)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
	EVP_PKEY *k = NULL;

	if (!c || EVP_PKEY_keygen_init(c) != 1 || EVP_PKEY_keygen(c, &k) != 1)
		die("keygen");
	EVP_PKEY_CTX_free(c);
	return k;
}

static void sign(EVP_PKEY *k, uint8_t sig[64], const uint8_t *msg, size_t len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t slen = 64;

	if (!ctx || EVP_DigestSignInit(ctx, NULL, NULL, NULL, k) != 1 ||
	    EVP_DigestSign(ctx, sig, &slen, msg, len) != 1)
		die("sign");
	EVP_MD_CTX_free(ctx);
}

/* Puts keys in the order of the (sorted) validator set. */
static void align_keys(struct fixture *f)
{
	EVP_PKEY **sorted = calloc(f->n, sizeof(*sorted));

	if (!sorted)
		die("out of memory");
	for (size_t i = 0; i < f->n; i++)
		for (size_t j = 0; j < f->n && !sorted[i]; j++) {
			uint8_t pk[32];
			size_t len = 32;

			if (EVP_PKEY_get_raw_public_key(f->keys[j], pk, &len) == 1 &&
			    memcmp(pk, f->vs.validators[i].pub_key.bytes, 32) == 0)
				sorted[i] = f->keys[j];
		}
	for (size_t i = 0; i < f->n; i++)
		if (!sorted[i])
			die("key not found");
	free(f->keys);
	f->keys = sorted;
}

/* n validators of equal power, all signing a commit for one block. */
static void fixture_make(struct fixture *f, size_t n)
{
	struct px_err err = { 0 };

	memset(f, 0, sizeof(*f));
	f->n = n;
	f->keys = calloc(n, sizeof(*f->keys));
	f->vs.validators = calloc(n, sizeof(*f->vs.validators));
	f->commit.sigs = calloc(n, sizeof(*f->commit.sigs));
	f->sign_bytes = calloc(n, sizeof(*f->sign_bytes));
	if (!f->keys || !f->vs.validators || !f->commit.sigs || !f->sign_bytes)
		die("out of memory");
	for (size_t i = 0; i < n; i++) {
		struct tm_validator *v = &f->vs.validators[i];
		size_t len = 32;

		f->keys[i] = keygen();
		if (EVP_PKEY_get_raw_public_key(f->keys[i], v->pub_key.bytes, &len) != 1)
			die("public key");
		v->pub_key.type = TM_KEY_ED25519;
		v->pub_key.len = 32;
		tm_pubkey_address(v->address, &v->pub_key);
		v->voting_power = 100;
	}
	f->vs.len = n;
	if (!tm_validator_set_normalize(&err, &f->vs))
		die(err.msg);
	f->commit.height = 1000000;
	f->commit.round = 0;
	memset(f->commit.block_id.hash.b, 0x42, 32);
	f->commit.block_id.hash.len = 32;
	f->commit.block_id.parts.total = 1;
	memset(f->commit.block_id.parts.hash.b, 0x43, 32);
	f->commit.block_id.parts.hash.len = 32;
	f->commit.len = n;
	align_keys(f);
	for (size_t i = 0; i < n; i++) {
		struct tm_commit_sig *s = &f->commit.sigs[i];

		s->flag = TM_FLAG_COMMIT;
		memcpy(s->validator_address, f->vs.validators[i].address, TM_ADDRESS_LEN);
		s->timestamp.seconds = 1763900000 + (int64_t)i;
		s->timestamp.nanos = 123456789;
		tm_commit_sign_bytes(&f->sign_bytes[i], "bench-chain", &f->commit, i);
		if (!px_buf_ok(&f->sign_bytes[i]))
			die("out of memory");
		sign(f->keys[i], s->signature, f->sign_bytes[i].data, f->sign_bytes[i].len);
		s->signature_len = 64;
	}
}

static void fixture_free(struct fixture *f)
{
	for (size_t i = 0; i < f->n; i++) {
		EVP_PKEY_free(f->keys[i]);
		px_buf_free(&f->sign_bytes[i]);
	}
	free(f->keys);
	free(f->sign_bytes);
	tm_validator_set_free(&f->vs);
	tm_commit_free(&f->commit);
}

/* Commits verified per second. */
static double bench_commit(const struct fixture *f, double secs)
{
	struct px_err err = { 0 };
	double start = now(), t;
	unsigned long ops = 0;

	do {
		for (int i = 0; i < 4; i++) {
			if (!tm_commit_verify_light(&err, "bench-chain", &f->vs, &f->commit.block_id,
						    f->commit.height, &f->commit))
				die(err.msg);
			ops++;
		}
		t = now() - start;
	} while (t < secs);
	return (double)ops / t;
}

/* Raw ed25519 verifications per second: one EVP one-shot per signature,
 * keys made once, the sign bytes already built. */
static double bench_raw(const struct fixture *f, double secs)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	double start = now(), t;
	unsigned long ops = 0;

	if (!ctx)
		die("out of memory");
	do {
		for (size_t i = 0; i < f->n; i++) {
			EVP_MD_CTX_reset(ctx);
			if (EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, f->keys[i]) != 1 ||
			    EVP_DigestVerify(ctx, f->commit.sigs[i].signature, 64, f->sign_bytes[i].data,
					     f->sign_bytes[i].len) != 1)
				die("raw verify");
			ops++;
		}
		t = now() - start;
	} while (t < secs);
	EVP_MD_CTX_free(ctx);
	return (double)ops / t;
}

/* The two figures are measured in alternating short rounds and the best
 * round of each is kept, so load from other processes on a shared machine
 * skews neither side of the ratio. */
#define ROUNDS 10

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 4, 50, 150 };
	double secs = argc > 1 ? atof(argv[1]) : 2.0;

	if (secs <= 0)
		secs = 2.0;
	printf("%-10s %14s %16s %18s %8s\n", "validators", "commits/s", "raw ed25519/s",
	       "raw/s / validators", "ratio");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct fixture f;
		double commit = 0, raw = 0, ratio;

		fixture_make(&f, sizes[i]);
		(void)bench_commit(&f, secs / ROUNDS);	/* warm up */
		for (int r = 0; r < ROUNDS; r++) {
			double c = bench_commit(&f, secs / ROUNDS), w = bench_raw(&f, secs / ROUNDS);

			commit = c > commit ? c : commit;
			raw = w > raw ? w : raw;
		}
		/* cost(commit) / cost(n signatures) = (1/commit) / (n/raw) */
		ratio = raw / (commit * (double)f.n);
		printf("%-10zu %14.1f %16.1f %18.1f %8.3f\n", f.n, commit, raw, raw / (double)f.n,
		       ratio);
		fixture_free(&f);
	}
	px_hash_thread_cleanup();
	return 0;
}
