/* Fuzz target: the devnet's JSON-RPC request handling (chains/devnet/rpc.c
 * and rpc_tx.c): the input is a request body, parsed as the server parses
 * it and dispatched by devnet_rpc_handle_ex to any method, including
 * broadcast_tx_*, tx_search's query parser and the gRPC-over-ABCI
 * queries. The node is a real one over a temporary home made once (one
 * validator, the genesis accounts, two blocks); what a request leaves in
 * the mempool stays, bounded by the mempool's caps. Every response must be
 * a JSON-RPC object with a result or an error. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chains/devnet/genesis.h"
#include "chains/devnet/node.h"
#include "chains/devnet/privval.h"
#include "chains/devnet/rpc.h"
#include "common/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char home[64];
static struct devnet_node *node;
static struct devnet_rpc rpc;

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void cleanup(void)
{
	devnet_node_close(node);
	node = NULL;
	if (home[0])
		nftw(home, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void make_node(void)
{
	struct px_err err = { 0 };
	struct devnet_key k;
	struct tm_validator_set vs;
	struct devnet_genesis_account acc = { { 1, 2, 3 }, "1000stake,1000token" };
	struct devnet_genesis_params gp = { 0 };
	char path[256];
	json_t *doc;

	snprintf(home, sizeof(home), "/tmp/px-fuzz-devnet-XXXXXX");
	if (!mkdtemp(home))
		abort();
	atexit(cleanup);
	snprintf(path, sizeof(path), "%s/config", home);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/config/keys", home);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/config/keys/validator_0.json", home);
	if (!devnet_key_from_test_seed(&err, &k, "fuzz", 0) || !devnet_key_save(&err, &k, path) ||
	    !devnet_valset_from_keys(&err, &vs, &k.pub, 1, 10))
		abort();
	devnet_key_free(&k);
	gp.chain_id = "fuzz-1";
	gp.genesis_time = (struct px_time){ 1700000000, 0 };
	gp.initial_height = 1;
	gp.validators = &vs;
	gp.accounts = &acc;
	gp.n_accounts = 1;
	doc = devnet_genesis_to_json(&err, &gp);
	snprintf(path, sizeof(path), "%s/" DEVNET_GENESIS_FILE, home);
	if (!doc || json_dump_file(doc, path, 0) != 0)
		abort();
	json_decref(doc);
	tm_validator_set_free(&vs);
	if (!devnet_node_open(&err, &node, home))
		abort();
	for (int i = 0; i < 2; i++) {
		if (!devnet_node_produce(&err, node, (struct px_time){ 1700000001 + i, 0 }))
			abort();
	}
	rpc.node = node;
	snprintf(rpc.listen_addr, sizeof(rpc.listen_addr), "tcp://127.0.0.1:26657");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *req, *res;
	bool pending = false;

	if (!node)
		make_node();
	if (size > (1u << 20))
		return 0;
	req = px_json_load_buf(NULL, data, size);
	if (!req)
		return 0;
	res = devnet_rpc_handle_ex(&rpc, req, &pending);
	if (!res || !json_is_object(res) ||
	    (!json_object_get(res, "result") && !json_object_get(res, "error")))
		abort();
	if (pending && !devnet_rpc_commit_poll(&rpc, json_object_get(res, "result")))
		(void)0;	/* not in a block yet: the server would wait */
	json_decref(res);
	json_decref(req);
	return 0;
}
