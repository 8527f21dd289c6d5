/* Chain-side cases of the Ethereum conformance runner: header hashes
 * (fixtures, JSON-RPC blocks, chain.rlp linked from genesis), body roots,
 * eth_getProof results against the state root of their block, the proof
 * edge cases, receipts roots, derived negatives and the CLI. */
#include "eth_vectors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/protobuf.h"
#include "lightclient/ethereum/ethjson.h"
#include "lightclient/ethereum/getproof.h"
#include "lightclient/ethereum/header.h"
#include "lightclient/ethereum/keccak.h"
#include "lightclient/ethereum/rlp.h"
#include "lightclient/ethereum/trie.h"

static struct block *chain;
static size_t chain_len;

static const struct block *block_by_hash(const uint8_t h[32])
{
	for (size_t i = 0; i < chain_len; i++)
		if (memcmp(chain[i].t.hash, h, 32) == 0)
			return &chain[i];
	return NULL;
}

static const struct block *block_by_number(uint64_t n)
{
	for (size_t i = 0; i < chain_len; i++)
		if (chain[i].t.header.number == n)
			return &chain[i];
	return NULL;
}

/* The block a JSON-RPC block parameter names: "latest" (or absent, or
 * safe/finalized: the recorded chain's head is all three), "earliest", a
 * number or a 32-byte hash. */
const struct block *block_by_param(const json_t *p)
{
	const char *s;
	size_t len;

	if (!p || json_is_null(p) || !json_is_string(p))
		return chain_len ? &chain[chain_len - 1] : NULL;
	s = json_string_value(p);
	len = json_string_length(p);
	if (strcmp(s, "latest") == 0 || strcmp(s, "safe") == 0 || strcmp(s, "finalized") == 0 ||
	    strcmp(s, "pending") == 0)
		return chain_len ? &chain[chain_len - 1] : NULL;
	if (strcmp(s, "earliest") == 0)
		return block_by_number(0);
	if (len == 66) {
		uint8_t h[32];

		if (!eth_parse_data_fixed(NULL, h, 32, s, len))
			return NULL;
		return block_by_hash(h);
	}
	{
		uint64_t n;

		if (!eth_parse_u64(NULL, &n, s, len))
			return NULL;
		return block_by_number(n);
	}
}

/* ---- headers.json ---- */

static void header_negatives(const struct eth_header *h, const char *what)
{
	struct eth_header m = *h;
	struct eth_trusted_header t;
	struct px_err err = { 0 };
	uint8_t wrong[32];

	/* A changed field: the claimed hash no longer matches. */
	m.state_root[5] ^= 0x40;
	check(C_HEADER_NEG, !eth_header_verify_checkpoint(&err, &t, &m, h->claimed_hash) &&
	      px_code_exit_status(err.code) == 1, "%s: changed stateRoot accepted", what);
	m = *h;
	m.timestamp++;
	px_err_clear(&err);
	check(C_HEADER_NEG, !eth_header_verify_checkpoint(&err, &t, &m, h->claimed_hash) &&
	      err.code == PX_E_HASH_MISMATCH, "%s: changed timestamp accepted", what);
	/* The right header under another checkpoint hash. */
	memcpy(wrong, h->claimed_hash, 32);
	wrong[31] ^= 0x01;
	px_err_clear(&err);
	check(C_HEADER_NEG, !eth_header_verify_checkpoint(&err, &t, h, wrong) &&
	      err.code == PX_E_HASH_MISMATCH, "%s: wrong checkpoint accepted", what);
}

static void run_headers(const char *vectors)
{
	char path[4096];
	json_t *doc, *cases, *c;
	size_t i;

	snprintf(path, sizeof(path), "%s/headers/headers.json", vectors);
	doc = load_json(path);
	cases = json_object_get(doc, "cases");
	if (!json_is_array(cases)) {
		if (doc)
			check(C_HEADER, false, "%s: no cases", path);
		json_decref(doc);
		return;
	}
	json_array_foreach(cases, i, c) {
		struct eth_header h;
		struct eth_trusted_header t;
		struct px_err err = { 0 };
		char what[256];
		const char *net = json_string_value(json_object_get(c, "network"));

		snprintf(what, sizeof(what), "headers.json case %zu (%s)", i, net ? net : "?");
		if (!eth_header_from_json(&err, &h, json_object_get(c, "header"), ETH_NAMING_FIXTURE)) {
			check(C_HEADER, false, "%s: %s", what, err.msg);
			continue;
		}
		if (!h.has_claimed_hash) {
			check(C_HEADER, false, "%s: no hash to check", what);
			continue;
		}
		check(C_HEADER, eth_header_verify_checkpoint(&err, &t, &h, h.claimed_hash),
		      "%s: %s", what, err.msg);
		header_negatives(&h, what);
	}
	json_decref(doc);
}

/* ---- chain.rlp ---- */

/* Root of the trie RLP(index) -> value for the items of a list. */
static bool index_trie_root(uint8_t out[32], struct px_slice list, bool typed_as_bytes)
{
	struct px_cursor c = px_cursor_init(list.ptr, list.len);
	struct mpt_kv *kv = NULL;
	struct px_buf keys = PX_BUF_INIT;
	size_t n = 0, cap = 0, i;
	size_t koff[4096];
	bool ok = false;

	while (px_cursor_more(&c) && n < 4096) {
		struct rlp_item it;

		rlp_read_item(&c, &it, RLP_MAX_ITEM);
		if (!px_cursor_ok(&c))
			goto out;
		if (n == cap) {
			struct mpt_kv *p = realloc(kv, (cap = cap ? 2 * cap : 16) * sizeof(*kv));

			if (!p)
				goto out;
			kv = p;
		}
		koff[n] = keys.len;
		rlp_put_u64(&keys, n);
		/* Typed transactions are byte strings: the trie holds the bytes
		 * themselves; legacy ones (lists) their RLP. */
		kv[n].value = typed_as_bytes && !it.is_list ? it.payload.ptr : it.raw.ptr;
		kv[n].value_len = typed_as_bytes && !it.is_list ? it.payload.len : it.raw.len;
		n++;
	}
	if (px_cursor_more(&c) || !px_buf_ok(&keys))
		goto out;
	for (i = 0; i < n; i++) {
		kv[i].key = keys.data + koff[i];
		kv[i].key_len = (i + 1 < n ? koff[i + 1] : keys.len) - koff[i];
	}
	ok = mpt_trie_root(NULL, out, kv, n, false);
out:
	free(kv);
	px_buf_free(&keys);
	return ok;
}

static void run_chain_rlp(const char *vectors)
{
	char path[4096];
	struct px_buf b = PX_BUF_INIT;
	struct px_cursor c;
	json_t *fcu;
	size_t cap = 0;

	snprintf(path, sizeof(path), "%s/rpc/chain.rlp", vectors);
	if (!read_file(&b, path)) {
		note("%s: missing, chain cases skipped", path);
		px_buf_free(&b);
		return;
	}
	c = px_cursor_init(b.data, b.len);
	while (px_cursor_more(&c)) {
		struct px_cursor blk;
		struct rlp_item hdr, txs, uncles, wds;
		struct eth_header h;
		struct px_err err = { 0 };
		uint8_t root[32];
		bool has_wd;

		rlp_read_list(&c, &blk, RLP_MAX_ITEM);
		rlp_read_item(&blk, &hdr, RLP_MAX_ITEM);
		rlp_read_item(&blk, &txs, RLP_MAX_ITEM);
		rlp_read_item(&blk, &uncles, RLP_MAX_ITEM);
		has_wd = px_cursor_more(&blk);
		if (has_wd)
			rlp_read_item(&blk, &wds, RLP_MAX_ITEM);
		rlp_read_end(&blk);
		if (!px_cursor_ok(&c)) {
			check(C_CHAIN, false, "chain.rlp block %zu: %s at byte %zu", chain_len,
			      px_cursor_error(&c), px_cursor_offset(&c));
			break;
		}
		if (!eth_header_decode(&err, &h, hdr.raw.ptr, hdr.raw.len)) {
			check(C_CHAIN, false, "chain.rlp block %zu: %s", chain_len, err.msg);
			break;
		}
		if (chain_len == cap) {
			struct block *p = realloc(chain, (cap = cap ? 2 * cap : 64) * sizeof(*chain));

			if (!p)
				break;
			chain = p;
		}
		if (chain_len == 0 && h.number == 0) {
			uint8_t hh[32];

			eth_header_hash(hh, &h);
			check(C_CHAIN, eth_header_verify_checkpoint(&err, &chain[0].t, &h, hh),
			      "chain.rlp genesis: %s", err.msg);
		} else if (chain_len == 0) {
			/* chain.rlp starts after genesis: rebuild genesis from
			 * genesis.json (state root from the alloc) and use the
			 * hash block 1 names as the operator's checkpoint. */
			struct eth_header g;

			if (!genesis_header(&g, vectors)) {
				note("genesis.json missing or unreadable; block %llu is its own checkpoint",
				     (unsigned long long)h.number);
				check(C_CHAIN, eth_header_verify_checkpoint(&err, &chain[0].t, &h,
									    (eth_header_hash(root, &h), root)),
				      "chain.rlp first block: %s", err.msg);
				chain_len++;
				continue;
			}
			check(C_CHAIN, eth_header_verify_checkpoint(&err, &chain[0].t, &g, h.parent_hash),
			      "genesis.json rebuilt (state root from alloc) does not hash to block %llu's parentHash: %s",
			      (unsigned long long)h.number, err.msg);
			chain_len = 1;
			if (chain_len == cap) {
				struct block *p = realloc(chain, (cap = 2 * cap) * sizeof(*chain));

				if (!p)
					break;
				chain = p;
			}
			px_err_clear(&err);
			check(C_CHAIN, eth_header_verify_child(&err, &chain[chain_len].t,
							       &chain[chain_len - 1].t, &h),
			      "chain.rlp block %llu: %s", (unsigned long long)h.number, err.msg);
		} else {
			check(C_CHAIN, eth_header_verify_child(&err, &chain[chain_len].t,
							       &chain[chain_len - 1].t, &h),
			      "chain.rlp block %llu: %s", (unsigned long long)h.number, err.msg);
		}
		/* Body roots. */
		check(C_BODY, index_trie_root(root, txs.payload, true) &&
		      memcmp(root, h.transactions_root, 32) == 0,
		      "block %llu: transactionsRoot", (unsigned long long)h.number);
		eth_keccak256(root, uncles.raw.ptr, uncles.raw.len);
		check(C_BODY, memcmp(root, h.uncles_hash, 32) == 0, "block %llu: sha3Uncles",
		      (unsigned long long)h.number);
		if (has_wd || h.nfields >= ETH_FIELDS_SHANGHAI)
			check(C_BODY, has_wd && h.nfields >= ETH_FIELDS_SHANGHAI &&
			      index_trie_root(root, wds.payload, false) &&
			      memcmp(root, h.withdrawals_root, 32) == 0,
			      "block %llu: withdrawalsRoot", (unsigned long long)h.number);
		chain_len++;
	}
	px_buf_free(&b);
	/* A link from a wrong parent must fail. */
	if (chain_len > 2) {
		struct eth_trusted_header t;
		struct px_err err = { 0 };

		check(C_HEADER_NEG, !eth_header_verify_child(&err, &t, &chain[0].t, &chain[2].t.header) &&
		      err.code == PX_E_PARENT_MISMATCH, "chain: block 2 accepted as child of block 0");
	}
	/* The head the recorded fork choice names is the last block. */
	snprintf(path, sizeof(path), "%s/rpc/headfcu.json", vectors);
	fcu = load_json(path);
	if (fcu && chain_len) {
		json_t *p0 = json_array_get(json_object_get(fcu, "params"), 0);
		uint8_t head[32];

		check(C_CHAIN, eth_json_data_fixed(NULL, head, 32, p0, "headBlockHash") &&
		      memcmp(head, chain[chain_len - 1].t.hash, 32) == 0,
		      "chain.rlp: last block is not headfcu.json's head");
	}
	json_decref(fcu);
}

/* ---- JSON-RPC blocks ---- */

static void cli_header(const char *file, const char *hash_hex, int want, const char *what)
{
	const char *args[] = { "verify", "eth-header", file, hash_hex ? "--expect-hash" : NULL,
			       hash_hex, NULL };
	int got;

	if (!pontifex)
		return;
	got = run_cli(args);
	check(C_CLI, got == want, "%s: pontifex verify eth-header exit %d, want %d", what, got, want);
}

static void rpc_block_file(const char *path)
{
	json_t *req, *resp, *result;
	struct eth_header h;
	struct eth_trusted_header t;
	struct px_err err = { 0 };
	const char *base = strrchr(path, '/') + 1;

	if (!io_load(path, &req, &resp)) {
		check(C_RPC_BLOCK, false, "%s: no request/response pair", base);
		goto out;
	}
	result = json_object_get(resp, "result");
	if (!result || json_is_null(result)) {
		note("%s: result is null (no such block), not a header case", base);
		goto out;
	}
	if (!eth_header_from_json(&err, &h, result, ETH_NAMING_RPC) || !h.has_claimed_hash) {
		check(C_RPC_BLOCK, false, "%s: %s", base, err.msg);
		goto out;
	}
	check(C_RPC_BLOCK, eth_header_verify_checkpoint(&err, &t, &h, h.claimed_hash), "%s: %s", base,
	      err.msg);
	/* The same header is in the recorded chain. */
	check(C_RPC_BLOCK, block_by_hash(t.hash) != NULL || chain_len == 0,
	      "%s: block not in chain.rlp", base);
	header_negatives(&h, base);
	if (pontifex) {
		char file[256], hx[80];
		char *text = json_dumps(resp, JSON_COMPACT);

		snprintf(file, sizeof(file), "%s/block.json", tmpdir);
		if (text && write_file(file, text, strlen(text))) {
			eth_hex_format(hx, sizeof(hx), h.claimed_hash, 32);
			cli_header(file, NULL, 0, base);
			cli_header(file, hx, 0, base);
			hx[20] = hx[20] == '0' ? '1' : '0';
			cli_header(file, hx, 1, base);
		}
		free(text);
	}
out:
	json_decref(req);
	json_decref(resp);
}

/* ---- eth_getProof ---- */

static bool proof_ok(const uint8_t root[32], const json_t *result, int *code)
{
	struct mpt_get_proof p;
	struct px_err err = { 0 };
	bool ok = mpt_get_proof_verify(&err, &p, root, result);

	*code = err.code;
	mpt_get_proof_free(&p);
	return ok;
}

/* Variants of a valid result that must all be refused. */
static void proof_negatives(const uint8_t root[32], const json_t *result, const char *what)
{
	json_t *m;
	uint8_t wrong[32];
	int code;
	json_t *ap = json_object_get(result, "accountProof");
	json_t *sp = json_object_get(result, "storageProof");
	size_t i, j;

	memcpy(wrong, root, 32);
	wrong[0] ^= 0x80;
	check(C_PROOF_NEG, !proof_ok(wrong, result, &code) && code / 100 == 3, "%s: wrong root accepted",
	      what);
	/* One byte changed in each account proof node (a few positions). */
	for (i = 0; i < json_array_size(ap); i++) {
		const char *node = json_string_value(json_array_get(ap, i));
		size_t len = node ? strlen(node) : 0;
		size_t pos[3] = { 2, len / 2, len - 1 };

		for (j = 0; j < 3 && len > 4; j++) {
			char *copy = strdup(node);

			m = json_deep_copy(result);
			if (!copy || !m) {
				free(copy);
				json_decref(m);
				continue;
			}
			copy[pos[j]] = copy[pos[j]] == 'f' ? 'e' : 'f';
			json_array_set_new(json_object_get(m, "accountProof"), i, json_string(copy));
			check(C_PROOF_NEG, !proof_ok(root, m, &code),
			      "%s: accountProof[%zu] changed at %zu accepted", what, i, pos[j]);
			free(copy);
			json_decref(m);
		}
	}
	/* Claimed balance changed. */
	m = json_deep_copy(result);
	json_object_set_new(m, "balance", json_string("0x123456789"));
	check(C_PROOF_NEG, !proof_ok(root, m, &code) && code == PX_E_VALUE_MISMATCH,
	      "%s: changed balance accepted", what);
	json_decref(m);
	/* Per slot: another key, another value, a changed node. */
	for (i = 0; i < json_array_size(sp); i++) {
		json_t *s;

		const char *val = json_string_value(json_object_get(json_array_get(sp, i), "value"));
		uint8_t vb[32], zero[32] = { 0 };

		/* An absence proof may well prove other keys absent too; only a
		 * present slot's proof must fail for another key. */
		if (val && eth_parse_quantity(NULL, vb, 32, val, strlen(val)) && memcmp(vb, zero, 32) != 0) {
			m = json_deep_copy(result);
			s = json_array_get(json_object_get(m, "storageProof"), i);
			json_object_set_new(s, "key", json_string("0xdeadbeef"));
			check(C_PROOF_NEG, !proof_ok(root, m, &code),
			      "%s: slot %zu under another key accepted", what, i);
			json_decref(m);
		}
		m = json_deep_copy(result);
		s = json_array_get(json_object_get(m, "storageProof"), i);
		json_object_set_new(s, "value", json_string("0x4242"));
		check(C_PROOF_NEG, !proof_ok(root, m, &code) && code == PX_E_VALUE_MISMATCH,
		      "%s: slot %zu with another value accepted", what, i);
		json_decref(m);
		{
			json_t *pr = json_object_get(json_array_get(sp, i), "proof");

			for (j = 0; j < json_array_size(pr); j++) {
				const char *node = json_string_value(json_array_get(pr, j));
				char *copy = node ? strdup(node) : NULL;
				size_t len = copy ? strlen(copy) : 0;

				if (len < 6) {
					free(copy);
					continue;
				}
				copy[len - 3] = copy[len - 3] == 'a' ? 'b' : 'a';
				m = json_deep_copy(result);
				s = json_array_get(json_object_get(m, "storageProof"), i);
				json_array_set_new(json_object_get(s, "proof"), j, json_string(copy));
				check(C_PROOF_NEG, !proof_ok(root, m, &code),
				      "%s: slot %zu proof node %zu changed accepted", what, i, j);
				json_decref(m);
				free(copy);
			}
		}
	}
}

static void cli_proof(const uint8_t root[32], const json_t *doc, int want, const char *what)
{
	char file[256], hx[80];
	char *text;

	if (!pontifex)
		return;
	text = json_dumps(doc, JSON_COMPACT);
	snprintf(file, sizeof(file), "%s/proof.json", tmpdir);
	eth_hex_format(hx, sizeof(hx), root, 32);
	if (text && write_file(file, text, strlen(text))) {
		const char *args[] = { "verify", "eth-proof", "--state-root", hx, "--proof", file, NULL };
		int got = run_cli(args);

		check(C_CLI, got == want, "%s: pontifex verify eth-proof exit %d, want %d", what, got, want);
	}
	free(text);
}

static void rpc_proof_file(const char *path)
{
	json_t *req, *resp, *result, *params;
	const struct block *b;
	const char *base = strrchr(path, '/') + 1;
	int code;

	if (!io_load(path, &req, &resp)) {
		check(C_PROOF, false, "%s: no request/response pair", base);
		goto out;
	}
	result = json_object_get(resp, "result");
	params = json_object_get(req, "params");
	if (!result || json_is_null(result)) {
		note("%s: result is null, not a proof case", base);
		goto out;
	}
	b = block_by_param(json_array_get(params, 2));
	if (!b) {
		check(C_PROOF, false, "%s: block of the request not in chain.rlp", base);
		goto out;
	}
	{
		struct mpt_get_proof p;
		struct px_err err = { 0 };

		check(C_PROOF, mpt_get_proof_verify_header(&err, &p, &b->t, result), "%s: %s", base,
		      err.msg);
		mpt_get_proof_free(&p);
	}
	proof_negatives(b->t.header.state_root, result, base);
	cli_proof(b->t.header.state_root, resp, 0, base);
	{
		uint8_t wrong[32];

		memcpy(wrong, b->t.header.state_root, 32);
		wrong[7] ^= 0x10;
		cli_proof(wrong, result, 1, base);
	}
	(void)code;
out:
	json_decref(req);
	json_decref(resp);
}

static void run_edge_cases(const char *vectors)
{
	char path[4096];
	json_t *doc, *cases, *c;
	uint8_t root[32];
	size_t i;

	snprintf(path, sizeof(path), "%s/proofs", vectors);
	{
		char **files;
		size_t n = list_dir(path, ".json", &files);

		for (size_t f = 0; f < n; f++) {
			doc = load_json(files[f]);
			cases = json_object_get(doc, "cases");
			if (!json_is_array(cases) ||
			    !eth_json_data_fixed(NULL, root, 32, doc, "stateRoot")) {
				check(C_PROOF_EDGE, false, "%s: no cases or stateRoot", files[f]);
				json_decref(doc);
				free(files[f]);
				continue;
			}
			json_array_foreach(cases, i, c) {
				const char *expect = json_string_value(json_object_get(c, "expect"));
				const char *what = json_string_value(json_object_get(c, "what"));
				json_t *r = json_object_get(c, "result");
				bool valid = expect && strcmp(expect, "valid") == 0;
				int code;
				bool ok = proof_ok(root, r, &code);
				char name[256];

				snprintf(name, sizeof(name), "edge case %zu (%s)", i, what ? what : "?");
				check(C_PROOF_EDGE, ok == valid && (valid || code / 100 == 3),
				      "%s: %s (code %d)", name, ok ? "accepted" : "refused", code);
				if (valid) {
					proof_negatives(root, r, name);
					if (i < 2 || strstr(name, "absent"))
						cli_proof(root, r, 0, name);
				} else if (i % 2 == 0) {
					cli_proof(root, r, 1, name);
				}
			}
			json_decref(doc);
			free(files[f]);
		}
		free(files);
	}
}

static void each_io(const char *vectors, const char *sub, void (*fn)(const char *))
{
	char dir[4096];
	char **files;
	size_t n;

	snprintf(dir, sizeof(dir), "%s/rpc/%s", vectors, sub);
	n = list_dir(dir, ".io", &files);
	for (size_t i = 0; i < n; i++) {
		fn(files[i]);
		free(files[i]);
	}
	free(files);
}

void run_chain(const char *vectors)
{
	run_headers(vectors);
	run_chain_rlp(vectors);
	each_io(vectors, "eth_getBlockByNumber", rpc_block_file);
	each_io(vectors, "eth_getBlockByHash", rpc_block_file);
	each_io(vectors, "eth_getProof", rpc_proof_file);
	each_io(vectors, "eth_getBlockReceipts", receipts_file);
	run_edge_cases(vectors);
	free(chain);
	chain = NULL;
	chain_len = 0;
}
