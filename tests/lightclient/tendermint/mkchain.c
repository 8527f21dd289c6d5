/* mkchain OUTDIR: writes the input files of tests/cli/test_verify_header.sh
 * from the signed test chain (testchain.c) and the test state
 * (testproofs.c). Built for tests only. Files:
 *   trusted.json        block 1 without validator_set (an anchor)
 *   adjacent.json       block 2;  skip.json  block 9 (same validators)
 *   far.json            block 40 (too few trusted validators: bisection)
 *   chain.json          blocks 2..40 as one array;  chain/  one file each
 *   envelope.json       block 2 inside a JSON-RPC response
 *   other-chain.json    block 2 of a chain with another id
 *   tampered.json       block 2 with one signature bit flipped
 *   bad-height.json     block 2 with a height that is not a number
 *   abci-member.json, abci-absent.json, app-hash.txt (abci_query) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/encoding.h"
#include "testchain.h"
#include "testproofs.h"

static const char *out_dir;

static void put(const char *name, json_t *doc)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", out_dir, name);
	if (!doc || json_dump_file(doc, path, JSON_INDENT(1)) != 0) {
		fprintf(stderr, "mkchain: cannot write %s\n", path);
		exit(1);
	}
	json_decref(doc);
}

int main(int argc, char **argv)
{
	struct tc_chain c, other;
	struct tm_light_block lb;
	struct px_err err = { 0 };
	struct tp_state st;
	char path[4096], hex[65];
	json_t *arr, *doc;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: mkchain OUTDIR\n");
		return 2;
	}
	out_dir = argv[1];
	snprintf(path, sizeof(path), "%s/chain", out_dir);
	mkdir(out_dir, 0755);
	mkdir(path, 0755);
	tc_chain_build(&c, "test-chain-1", 40, 10, 4);
	tc_chain_build(&other, "other-chain", 2, 10, 4);

	doc = tc_block_to_json(tc_chain_at(&c, 1));
	json_object_del(doc, "validator_set");
	put("trusted.json", doc);
	put("adjacent.json", tc_block_to_json(tc_chain_at(&c, 2)));
	put("skip.json", tc_block_to_json(tc_chain_at(&c, 9)));
	put("far.json", tc_block_to_json(tc_chain_at(&c, 40)));
	arr = json_array();
	for (int64_t h = 2; h <= 40; h++) {
		char name[64];

		json_array_append_new(arr, tc_block_to_json(tc_chain_at(&c, h)));
		snprintf(name, sizeof(name), "chain/block-%02lld.json", (long long)h);
		put(name, tc_block_to_json(tc_chain_at(&c, h)));
	}
	put("chain.json", arr);
	put("envelope.json", json_pack("{s:s, s:i, s:o}", "jsonrpc", "2.0", "id", 1, "result",
				       tc_block_to_json(tc_chain_at(&c, 2))));
	put("other-chain.json", tc_block_to_json(tc_chain_at(&other, 2)));
	if (!tm_light_block_copy(&err, &lb, tc_chain_at(&c, 2)))
		return 1;
	lb.signed_header.commit.sigs[0].signature[7] ^= 0x20;
	put("tampered.json", tc_block_to_json(&lb));
	tm_light_block_free(&lb);
	doc = tc_block_to_json(tc_chain_at(&c, 2));
	json_object_set_new(json_object_get(json_object_get(doc, "signed_header"), "header"),
			    "height", json_string("2x"));
	put("bad-height.json", doc);

	tp_state_build(&st);
	put("abci-member.json",
	    tp_abci_response(&st, "commitments/ports/transfer/channels/channel-0/sequences/3", 41));
	put("abci-absent.json",
	    tp_abci_response(&st, "commitments/ports/transfer/channels/channel-0/sequences/45", 41));
	px_hex_encode(hex, sizeof(hex), st.app_hash, 32, false);
	snprintf(path, sizeof(path), "%s/app-hash.txt", out_dir);
	f = fopen(path, "w");
	if (!f || fprintf(f, "%s\n", hex) < 0 || fclose(f) != 0) {
		fprintf(stderr, "mkchain: cannot write %s\n", path);
		return 1;
	}
	tc_chain_free(&c);
	tc_chain_free(&other);
	return 0;
}
