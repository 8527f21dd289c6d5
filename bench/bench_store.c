/* Benchmark: the devnet's IAVL store with 10k keys. Sets per second into
 * the working tree, commits (hashing, and with SQLite writing, in one
 * transaction), blocks of sets and a commit as the devnet makes them,
 * reads, and ICS-23 proofs per second (membership and absence), beside
 * the verification of those proofs for scale. Prints figures only.
 *
 * usage: bench_store [KEYS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chains/devnet/store_iavl.h"
#include "chains/devnet/store_multi.h"
#include "common/hash.h"
#include "common/number.h"
#include "lightclient/ics23/ics23.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static size_t make_key(char *out, size_t cap, uint64_t i)
{
	/* IBC-like keys, spread over the key space */
	return (size_t)snprintf(out, cap, "commitments/ports/transfer/channels/channel-%u/"
				"sequences/%llu", (unsigned)(i % 7),
				(unsigned long long)(i * 2654435761u % 1000003u));
}

static void report(const char *what, double n, double secs)
{
	printf("%-56s %10.0f /s  (%.0f in %.3f s)\n", what, n / secs, n, secs);
}

#define CHECK(x)                                                              \
	do {                                                                  \
		if (!(x)) {                                                   \
			fprintf(stderr, "bench_store: %s: %s\n", #x, err.msg); \
			return 1;                                             \
		}                                                             \
	} while (0)

/* With m, t is m's "ibc" store and commits go through the multistore
 * (every store, the app hash, one SQLite transaction). */
static bool commit(struct px_err *err, uint8_t root[32], struct devnet_iavl *t,
		   struct devnet_multi *m)
{
	int64_t v;

	if (m)
		return devnet_multi_commit(err, root, &v, m);
	return devnet_iavl_commit(err, root, &v, t);
}

static int bench_tree(size_t keys, struct devnet_multi *m, const char *label)
{
	struct px_err err = { 0 };
	struct devnet_iavl *t = NULL;
	struct px_buf proof = PX_BUF_INIT;
	uint8_t value[32], root[32];
	char key[128], name[96];
	double t0, secs;
	size_t proofs = 0, bytes = 0;

	if (m)
		t = devnet_multi_store(m, "ibc");
	else
		CHECK(devnet_iavl_open(&err, &t, NULL, "ibc", NULL));
	t0 = now();
	for (size_t i = 0; i < keys; i++) {
		size_t kl = make_key(key, sizeof(key), i);

		px_sha256(value, key, kl);
		CHECK(devnet_iavl_set(&err, t, (uint8_t *)key, kl, value, sizeof(value)));
	}
	secs = now() - t0;
	snprintf(name, sizeof(name), "%s: set into the working tree", label);
	report(name, (double)keys, secs);
	t0 = now();
	CHECK(commit(&err, root, t, m));
	secs = now() - t0;
	snprintf(name, sizeof(name), "%s: first commit (nodes hashed/written)", label);
	report(name, 2.0 * (double)keys - 1, secs);

	/* 100 blocks of 100 updates each, committed: what the devnet does */
	t0 = now();
	for (int b = 0; b < 100; b++) {
		for (int i = 0; i < 100; i++) {
			size_t kl = make_key(key, sizeof(key), rnd() % keys);

			value[0] = (uint8_t)b;
			CHECK(devnet_iavl_set(&err, t, (uint8_t *)key, kl, value, sizeof(value)));
		}
		CHECK(commit(&err, root, t, m));
	}
	secs = now() - t0;
	snprintf(name, sizeof(name), "%s: sets in blocks of 100 + commit", label);
	report(name, 10000, secs);
	snprintf(name, sizeof(name), "%s: commits of 100 sets", label);
	report(name, 100, secs);

	t0 = now();
	for (size_t i = 0; i < 100000; i++) {
		size_t kl = make_key(key, sizeof(key), rnd() % keys);
		struct px_slice val;
		bool found;

		CHECK(devnet_iavl_get(&err, &val, &found, t, 0, (uint8_t *)key, kl) && found);
	}
	secs = now() - t0;
	snprintf(name, sizeof(name), "%s: get (latest version)", label);
	report(name, 100000, secs);

	t0 = now();
	for (size_t i = 0; i < 20000; i++) {
		size_t kl = make_key(key, sizeof(key), rnd() % keys);
		bool exists;

		px_buf_reset(&proof);
		CHECK(devnet_iavl_prove(&err, &proof, &exists, NULL, t, 0, (uint8_t *)key, kl));
		proofs++;
		bytes += proof.len;
	}
	secs = now() - t0;
	snprintf(name, sizeof(name), "%s: membership proofs (%zu B avg)", label,
		 bytes / proofs);
	report(name, (double)proofs, secs);

	proofs = bytes = 0;
	t0 = now();
	for (size_t i = 0; i < 20000; i++) {
		size_t kl = make_key(key, sizeof(key), rnd() % keys);
		bool exists;

		key[kl++] = 'x';	/* absent (keys end in digits), between two */
		key[kl] = '\0';
		px_buf_reset(&proof);
		CHECK(devnet_iavl_prove(&err, &proof, &exists, NULL, t, 0, (uint8_t *)key, kl));
		proofs++;
		bytes += proof.len;
	}
	secs = now() - t0;
	snprintf(name, sizeof(name), "%s: absence proofs (%zu B avg)", label, bytes / proofs);
	report(name, (double)proofs, secs);

	/* for scale: verifying the last absence proof */
	{
		struct ics23_proof p;
		size_t n = 20000;

		CHECK(devnet_iavl_root(&err, root, t, 0));
		CHECK(ics23_proof_decode(&err, &p, proof.data, proof.len));
		t0 = now();
		for (size_t i = 0; i < n; i++)
			CHECK(ics23_verify_non_membership(&err, &ics23_spec_iavl, root, 32, &p,
							  (uint8_t *)key, strlen(key)));
		secs = now() - t0;
		snprintf(name, sizeof(name), "%s: absence proof verify (for scale)", label);
		report(name, (double)n, secs);
		ics23_proof_free(&p);
	}
	px_buf_free(&proof);
	if (!m)
		devnet_iavl_close(t);
	return 0;
}

static void remove_home(const char *home)
{
	static const char *const files[] = {
		"/data/" DEVNET_MULTI_DB_FILE, "/data/" DEVNET_MULTI_DB_FILE "-wal",
		"/data/" DEVNET_MULTI_DB_FILE "-shm", "/data",
	};
	char path[160];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", home, files[i]);
		if (unlink(path) != 0)
			rmdir(path);
	}
	rmdir(home);
}

int main(int argc, char **argv)
{
	struct px_err err = { 0 };
	uint64_t keys = 10000;
	char home[] = "/tmp/px-bench-store-XXXXXX";
	struct devnet_multi *m;
	int rc;

	if (argc > 1 && !px_parse_u64(&err, &keys, argv[1], strlen(argv[1]))) {
		fprintf(stderr, "usage: bench_store [KEYS]\n");
		return 2;
	}
	printf("devnet IAVL store, %llu keys\n", (unsigned long long)keys);
	rc = bench_tree((size_t)keys, NULL, "memory");
	if (rc == 0 && mkdtemp(home)) {
		if (devnet_multi_open(&err, &m, home, NULL)) {
			rc = bench_tree((size_t)keys, m, "multistore+sqlite");
			devnet_multi_close(m);
		} else {
			fprintf(stderr, "bench_store: %s\n", err.msg);
			rc = 1;
		}
		remove_home(home);
	}
	px_hash_thread_cleanup();
	return rc;
}
