/* Benchmark of the devnet's transaction path, in one process (no HTTP):
 * COUNT MsgSends signed beforehand (from 10 accounts, so sequences
 * interleave as with several wallets) go through CheckTx into the mempool
 * (accepted per second), then blocks are produced and stored in SQLite
 * until the mempool is empty (included per second: DeliverTx with the
 * signature checks again, state commit, block and results rows). Prints
 * the figures and the process's peak RSS; never fails on timing.
 *
 * usage: bench_devnet [COUNT]   (default 5000, the mempool's size) */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "chains/cosmos/bech32.h"
#include "chains/cosmos/tx.h"
#include "chains/devnet/account_keys.h"
#include "chains/devnet/genesis.h"
#include "chains/devnet/node.h"
#include "chains/devnet/privval.h"
#include "common/protobuf.h"

#define SENDERS 10

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_kib(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;

	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, field, strlen(field)) == 0)
			v = strtol(line + strlen(field) + 1, NULL, 10);
	}
	if (f)
		fclose(f);
	return v;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void die(const struct px_err *err)
{
	fprintf(stderr, "bench_devnet: %s\n", err->msg);
	exit(1);
}

int main(int argc, char **argv)
{
	struct px_err err = { 0 };
	struct devnet_account_key keys[SENDERS];
	struct devnet_genesis_account accs[SENDERS];
	struct devnet_key vk;
	struct tm_validator_set vs;
	struct devnet_genesis_params gp = { 0 };
	struct devnet_node *n;
	char home[64], path[256], from[SENDERS][96], to[96];
	struct px_buf *txs;
	long count = argc > 1 ? strtol(argv[1], NULL, 10) : 5000;
	long accepted = 0, t_blocks = 0;
	double t0, t1, t2;
	json_t *doc;
	int64_t h0;

	if (count < 1 || count > 100000)
		count = 5000;
	snprintf(home, sizeof(home), "/tmp/px-bench-devnet-XXXXXX");
	if (!mkdtemp(home))
		return 1;
	snprintf(path, sizeof(path), "%s/config", home);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/config/keys", home);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/config/keys/validator_0.json", home);
	if (!devnet_key_from_test_seed(&err, &vk, "bench", 0) || !devnet_key_save(&err, &vk, path) ||
	    !devnet_valset_from_keys(&err, &vs, &vk.pub, 1, 10))
		die(&err);
	devnet_key_free(&vk);
	for (int i = 0; i < SENDERS; i++) {
		char name[16];

		snprintf(name, sizeof(name), "sender%d", i);
		if (!devnet_account_key_make(&err, &keys[i], name, "bench") ||
		    !cosmos_address_encode(&err, from[i], sizeof(from[i]), "cosmos", keys[i].address, 20))
			die(&err);
		memcpy(accs[i].address, keys[i].address, 20);
		accs[i].coins = "1000000000000stake,1000000000000token";
	}
	snprintf(to, sizeof(to), "%s", from[0]);
	gp.chain_id = "bench-1";
	gp.genesis_time = (struct px_time){ 1700000000, 0 };
	gp.initial_height = 1;
	gp.validators = &vs;
	gp.accounts = accs;
	gp.n_accounts = SENDERS;
	doc = devnet_genesis_to_json(&err, &gp);
	snprintf(path, sizeof(path), "%s/" DEVNET_GENESIS_FILE, home);
	if (!doc || json_dump_file(doc, path, 0) != 0)
		return 1;
	json_decref(doc);
	tm_validator_set_free(&vs);
	if (!devnet_node_open(&err, &n, home) ||
	    !devnet_node_produce(&err, n, (struct px_time){ 1700000001, 0 }))
		die(&err);

	txs = calloc((size_t)count, sizeof(*txs));
	for (long i = 0; txs && i < count; i++) {
		int s = (int)(i % SENDERS);
		struct px_buf msg = PX_BUF_INIT, coin = PX_BUF_INIT;
		struct cosmos_any any = { cosmos_str(DEVNET_MSG_SEND_URL), { NULL, 0 } };
		struct cosmos_coin fee = { cosmos_str("stake"), cosmos_str("2000") };
		struct cosmos_tx_params p = { 0 };

		px_pb_put_bytes(&msg, 1, (const uint8_t *)from[s], strlen(from[s]));
		px_pb_put_bytes(&msg, 2, (const uint8_t *)to, strlen(to));
		px_pb_put_bytes(&coin, 1, (const uint8_t *)"token", 5);
		px_pb_put_bytes(&coin, 2, (const uint8_t *)"1", 1);
		px_pb_put_bytes(&msg, 3, coin.data, coin.len);
		any.value = px_slice_of(&msg);
		p.messages = &any;
		p.n_messages = 1;
		p.fee = &fee;
		p.n_fee = 1;
		p.gas_limit = 200000;
		p.chain_id = cosmos_str("bench-1");
		p.account_number = (uint64_t)s + 1;	/* after the fee collector */
		p.sequence = (uint64_t)(i / SENDERS);
		if (!cosmos_tx_sign_direct(&err, &txs[i], NULL, &keys[s].key, &p))
			die(&err);
		px_buf_free(&msg);
		px_buf_free(&coin);
	}
	t0 = now_s();
	for (long i = 0; txs && i < count; i++) {
		struct devnet_tx_result r;
		uint8_t hash[32];

		if (!devnet_node_broadcast(&err, n, &r, hash, txs[i].data, txs[i].len))
			break;
		accepted += r.code == 0;
		devnet_tx_result_free(&r);
	}
	t1 = now_s();
	h0 = devnet_node_height(n);
	while (devnet_node_mempool_size(n) > 0 && t_blocks < 1000) {
		if (!devnet_node_produce(&err, n, (struct px_time){ 1700000100 + t_blocks, 0 }))
			die(&err);
		t_blocks++;
	}
	t2 = now_s();
	printf("devnet: %ld MsgSends (%ld accepted by CheckTx) from %d accounts\n", count, accepted,
	       SENDERS);
	printf("  CheckTx into the mempool:      %8.0f tx/s\n", (double)accepted / (t1 - t0));
	printf("  blocks (DeliverTx + SQLite):   %8.0f tx/s  (%" PRId64 " blocks, %.1f ms each)\n",
	       (double)accepted / (t2 - t1), devnet_node_height(n) - h0,
	       1000.0 * (t2 - t1) / (double)(t_blocks ? t_blocks : 1));
	printf("  RSS: %ld KiB now, %ld KiB peak\n", rss_kib("VmRSS:"), rss_kib("VmHWM:"));
	for (long i = 0; txs && i < count; i++)
		px_buf_free(&txs[i]);
	free(txs);
	for (int i = 0; i < SENDERS; i++)
		devnet_account_key_wipe(&keys[i]);
	devnet_node_close(n);
	nftw(home, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
