/* Benchmark: Ethereum light-client hot paths. Keccak-256 throughput on
 * 1 KiB inputs next to OpenSSL's SHA3-256 (the same permutation, FIPS
 * padding) measured in the same run, and eth_getProof verifications per
 * second (account proof + one storage proof) next to the Keccak-256 work
 * those proofs need done alone (same number of hashes, same sizes), so the
 * ratios show how close the hash is to OpenSSL and how much the verifier
 * adds on top of hashing.
 *
 * usage: bench_eth [GETPROOF_JSON] [SECONDS]
 * GETPROOF_JSON is {"stateRoot": "0x..", "proof": <eth_getProof result>}
 * (default ../shared/peers/inputs/getproof-with-storage.json). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "common/json.h"
#include "lightclient/ethereum/ethjson.h"
#include "lightclient/ethereum/getproof.h"
#include "lightclient/ethereum/keccak.h"
#include "lightclient/ethereum/mpt.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static volatile uint8_t sink;

typedef void (*bench_fn)(void *arg);

/* Calls fn in batches until secs have passed; returns calls per second. */
static double rate(double secs, unsigned batch, bench_fn fn, void *arg)
{
	double t0 = now(), t;
	unsigned long n = 0;

	do {
		for (unsigned i = 0; i < batch; i++)
			fn(arg);
		n += batch;
	} while ((t = now() - t0) < secs);
	return (double)n / t;
}

struct proof {
	struct px_buf bytes;
	size_t lens[MPT_MAX_PROOF_NODES];
	struct px_slice nodes[MPT_MAX_PROOF_NODES];
	size_t n;
};

static bool load_proof(struct proof *p, const json_t *arr)
{
	size_t i, off = 0;
	json_t *v;

	memset(p, 0, sizeof(*p));
	if (!json_is_array(arr) || json_array_size(arr) > MPT_MAX_PROOF_NODES)
		return false;
	json_array_foreach(arr, i, v) {
		size_t before = p->bytes.len;

		if (!json_is_string(v) || !eth_parse_data(NULL, &p->bytes, json_string_value(v),
							  json_string_length(v), MPT_MAX_NODE_BYTES))
			return false;
		p->lens[i] = p->bytes.len - before;
	}
	p->n = json_array_size(arr);
	for (i = 0; i < p->n; i++) {
		p->nodes[i].ptr = p->bytes.data + off;
		p->nodes[i].len = p->lens[i];
		off += p->lens[i];
	}
	return px_buf_ok(&p->bytes);
}

static uint8_t kib[1024];

static void keccak_1k(void *arg)
{
	uint8_t out[32];

	(void)arg;
	eth_keccak256(out, kib, sizeof(kib));
	sink ^= out[0];
}

struct sha3_ctx {
	EVP_MD_CTX *ctx;
	EVP_MD *md;
};

static void sha3_1k(void *arg)
{
	struct sha3_ctx *c = arg;
	uint8_t out[32];
	unsigned int olen;

	EVP_DigestInit_ex(c->ctx, c->md, NULL);
	EVP_DigestUpdate(c->ctx, kib, sizeof(kib));
	EVP_DigestFinal_ex(c->ctx, out, &olen);
	sink ^= out[0];
}

struct job {
	uint8_t root[32], addr[20], slot[32];
	struct proof acct, stor;
	const json_t *result;
};

static void verify_decoded(void *arg)
{
	struct job *j = arg;
	struct px_err err = { 0 };
	struct eth_account a;
	uint8_t value[32];
	bool exists;

	if (!mpt_verify_account(&err, &exists, &a, j->root, j->addr, j->acct.nodes, j->acct.n) ||
	    !mpt_verify_storage(&err, &exists, value, a.storage_root, j->slot, j->stor.nodes, j->stor.n))
		abort();
	sink ^= value[31];
}

static void verify_json(void *arg)
{
	struct job *j = arg;
	struct px_err err = { 0 };
	struct mpt_get_proof p;

	if (!mpt_get_proof_verify(&err, &p, j->root, j->result))
		abort();
	sink ^= p.account.code_hash[0];
	mpt_get_proof_free(&p);
}

static void keccak_work(void *arg)
{
	struct job *j = arg;
	uint8_t out[32];

	for (size_t i = 0; i < j->acct.n; i++)
		eth_keccak256(out, j->acct.nodes[i].ptr, j->acct.nodes[i].len);
	for (size_t i = 0; i < j->stor.n; i++)
		eth_keccak256(out, j->stor.nodes[i].ptr, j->stor.nodes[i].len);
	eth_keccak256(out, j->addr, 20);
	eth_keccak256(out, j->slot, 32);
	sink ^= out[0];
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "../shared/peers/inputs/getproof-with-storage.json";
	double secs = argc > 2 ? atof(argv[2]) : 2.0;
	struct px_err err = { 0 };
	static struct job j;
	struct sha3_ctx sc;
	json_t *doc, *result, *sp;
	double keccak_rate, sha3_rate, verify_rate, json_rate, hash_rate;

	if (secs <= 0)
		secs = 2.0;
	for (size_t i = 0; i < sizeof(kib); i++)
		kib[i] = (uint8_t)i;

	/* 1. Hash throughput on 1 KiB. */
	keccak_rate = rate(secs, 1000, keccak_1k, NULL);
	sc.ctx = EVP_MD_CTX_new();
	sc.md = EVP_MD_fetch(NULL, "SHA3-256", NULL);
	if (!sc.ctx || !sc.md) {
		fprintf(stderr, "OpenSSL SHA3-256 unavailable\n");
		return 1;
	}
	sha3_rate = rate(secs, 1000, sha3_1k, &sc);
	printf("Keccak-256 (pontifex), 1 KiB:   %8.1f MB/s\n", keccak_rate * 1024 / 1e6);
	printf("SHA3-256 (OpenSSL EVP), 1 KiB:  %8.1f MB/s\n", sha3_rate * 1024 / 1e6);
	printf("  ratio Keccak-256 / SHA3-256:  %8.2f\n", keccak_rate / sha3_rate);

	/* 2. eth_getProof: account + one storage slot. */
	doc = px_json_load_file(&err, path);
	result = json_object_get(doc, "proof");
	if (!doc || !json_is_object(result) ||
	    !eth_json_data_fixed(&err, j.root, 32, doc, "stateRoot") ||
	    !eth_json_data_fixed(&err, j.addr, 20, result, "address")) {
		fprintf(stderr, "%s: %s\n", path, err.msg[0] ? err.msg : "not a {stateRoot, proof} file");
		return 1;
	}
	j.result = result;
	sp = json_object_get(result, "storageProof");
	if (!load_proof(&j.acct, json_object_get(result, "accountProof")) ||
	    json_array_size(sp) < 1 ||
	    !load_proof(&j.stor, json_object_get(json_array_get(sp, 0), "proof")) ||
	    !eth_json_quantity(&err, j.slot, 32, json_array_get(sp, 0), "key")) {
		fprintf(stderr, "%s: no usable account and storage proof\n", path);
		return 1;
	}
	{
		struct mpt_get_proof p;

		if (!mpt_get_proof_verify(&err, &p, j.root, result)) {
			fprintf(stderr, "%s: does not verify: %s\n", path, err.msg);
			return 1;
		}
		mpt_get_proof_free(&p);
	}
	verify_rate = rate(secs, 100, verify_decoded, &j);
	json_rate = rate(secs, 100, verify_json, &j);
	/* The Keccak-256 calls those proofs need: every node, plus the two
	 * paths (address, slot). */
	hash_rate = rate(secs, 100, keccak_work, &j);
	{
		size_t bytes = 52;

		for (size_t i = 0; i < j.acct.n; i++)
			bytes += j.acct.nodes[i].len;
		for (size_t i = 0; i < j.stor.n; i++)
			bytes += j.stor.nodes[i].len;
		printf("\neth_getProof %s: account proof %zu nodes, storage proof %zu nodes, %zu bytes hashed\n",
		       path, j.acct.n, j.stor.n, bytes);
	}
	printf("verify (nodes decoded from hex once):  %10.0f /s\n", verify_rate);
	printf("verify from the JSON result (hex, claims): %6.0f /s\n", json_rate);
	printf("the same Keccak-256 work alone:        %10.0f /s\n", hash_rate);
	printf("  ratio verify / Keccak work:          %10.2f\n", verify_rate / hash_rate);
	printf("  ratio JSON verify / Keccak work:     %10.2f\n", json_rate / hash_rate);

	EVP_MD_free(sc.md);
	EVP_MD_CTX_free(sc.ctx);
	px_buf_free(&j.acct.bytes);
	px_buf_free(&j.stor.bytes);
	json_decref(doc);
	return 0;
}
