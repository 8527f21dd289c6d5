/* Benchmark: ICS-23 IAVL membership (and non-membership) verification per
 * second on the shared vectors, beside the SHA-256 work the same proof
 * needs done alone (same number of hashes, same input sizes), so the
 * ratio shows how much the verifier adds on top of hashing.
 *
 * usage: bench_ics23 VECTORS/cosmos/ics23/vectors [SECONDS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "common/hash.h"
#include "common/json.h"
#include "lightclient/ics23/ics23.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct vec {
	struct px_buf root, key, value, proof;
};

static bool load(const char *path, struct vec *v)
{
	struct px_err err = { 0 };
	json_t *doc = px_json_load_file(&err, path);
	bool ok = doc && px_json_get_hex(&err, &v->root, doc, "root") &&
		  px_json_get_hex(&err, &v->key, doc, "key") &&
		  px_json_get_hex(&err, &v->value, doc, "value") &&
		  px_json_get_hex(&err, &v->proof, doc, "proof");

	if (!ok)
		fprintf(stderr, "%s: %s\n", path, err.msg);
	json_decref(doc);
	return ok;
}

/* Sizes of the SHA-256 inputs one existence proof needs. */
static size_t exist_hash_sizes(const struct ics23_existence_proof *e, size_t *sizes, size_t cap)
{
	size_t n = 0;

	sizes[n++] = e->value.len; /* prehash of the value */
	sizes[n++] = e->leaf.prefix.len + 1 + e->key.len + 1 + 32;
	for (size_t i = 0; i < e->path_len && n < cap; i++)
		sizes[n++] = e->path[i].prefix.len + 32 + e->path[i].suffix.len;
	return n;
}

static double rate(double ops, double secs)
{
	return ops / secs;
}

static void bench_one(const char *dir, const char *name, double seconds)
{
	char path[1024];
	struct vec v = { PX_BUF_INIT, PX_BUF_INIT, PX_BUF_INIT, PX_BUF_INIT };
	struct ics23_proof p;
	struct px_err err = { 0 };
	size_t sizes[2 * ICS23_MAX_PATH + 8], nsizes = 0;
	uint8_t scratch[4096], out[32];
	double t0, t, verify_rate, full_rate, hash_rate;
	unsigned long n;
	bool member;

	snprintf(path, sizeof(path), "%s/iavl/%s", dir, name);
	if (!load(path, &v))
		goto out;
	member = v.value.len > 0;
	if (!ics23_proof_decode(&err, &p, v.proof.data, v.proof.len)) {
		fprintf(stderr, "%s: %s\n", path, err.msg);
		goto out;
	}
	if (p.kind == ICS23_PROOF_EXIST) {
		nsizes = exist_hash_sizes(p.exist, sizes, sizeof(sizes) / sizeof(sizes[0]));
	} else if (p.kind == ICS23_PROOF_NONEXIST) {
		if (p.nonexist->left)
			nsizes += exist_hash_sizes(p.nonexist->left, sizes, 256);
		if (p.nonexist->right)
			nsizes += exist_hash_sizes(p.nonexist->right, sizes + nsizes, 256);
	}
	memset(scratch, 0x5a, sizeof(scratch));

	/* Verification of a decoded proof. */
	n = 0;
	t0 = now();
	do {
		for (int i = 0; i < 256; i++) {
			bool ok = member ? ics23_verify_membership(&err, &ics23_spec_iavl, v.root.data,
								   v.root.len, &p, v.key.data,
								   v.key.len, v.value.data,
								   v.value.len)
					 : ics23_verify_non_membership(&err, &ics23_spec_iavl,
								       v.root.data, v.root.len, &p,
								       v.key.data, v.key.len);
			if (!ok) {
				fprintf(stderr, "%s: does not verify: %s\n", path, err.msg);
				ics23_proof_free(&p);
				goto out;
			}
		}
		n += 256;
		t = now() - t0;
	} while (t < seconds);
	verify_rate = rate((double)n, t);
	ics23_proof_free(&p);

	/* Decoding and verification, as a relayer does per proof. */
	n = 0;
	t0 = now();
	do {
		for (int i = 0; i < 256; i++) {
			struct ics23_proof q;
			bool ok = ics23_proof_decode(&err, &q, v.proof.data, v.proof.len);

			ok = ok && (member ? ics23_verify_membership(&err, &ics23_spec_iavl,
								     v.root.data, v.root.len, &q,
								     v.key.data, v.key.len,
								     v.value.data, v.value.len)
					   : ics23_verify_non_membership(&err, &ics23_spec_iavl,
									 v.root.data, v.root.len,
									 &q, v.key.data, v.key.len));
			ics23_proof_free(&q);
			if (!ok)
				goto out;
		}
		n += 256;
		t = now() - t0;
	} while (t < seconds);
	full_rate = rate((double)n, t);

	/* The SHA-256 work alone: the same hashes over same-sized inputs. */
	n = 0;
	t0 = now();
	do {
		for (int i = 0; i < 256; i++) {
			for (size_t k = 0; k < nsizes; k++)
				px_sha256(out, scratch, sizes[k] < sizeof(scratch) ? sizes[k] : sizeof(scratch));
			scratch[0] ^= out[0];
		}
		n += 256;
		t = now() - t0;
	} while (t < seconds);
	hash_rate = rate((double)n, t);

	printf("%-22s %zu SHA-256 per proof\n", name, nsizes);
	printf("  verify (decoded)      %10.0f /s\n", verify_rate);
	printf("  decode + verify       %10.0f /s\n", full_rate);
	printf("  SHA-256 work alone    %10.0f /s\n", hash_rate);
	printf("  verify / hash work    %10.2f (target >= 0.80)\n", verify_rate / hash_rate);
	printf("  decode+verify / hash  %10.2f\n", full_rate / hash_rate);
out:
	px_buf_free(&v.root);
	px_buf_free(&v.key);
	px_buf_free(&v.value);
	px_buf_free(&v.proof);
}

int main(int argc, char **argv)
{
	double seconds = argc > 2 ? strtod(argv[2], NULL) : 1.0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s VECTORS/cosmos/ics23/vectors [SECONDS]\n", argv[0]);
		return 2;
	}
	if (seconds <= 0 || seconds > 60)
		seconds = 1.0;
	printf("ICS-23 iavl verification, %.1f s per figure\n", seconds);
	bench_one(argv[1], "exist_middle.json", seconds);
	bench_one(argv[1], "nonexist_middle.json", seconds);
	return 0;
}
