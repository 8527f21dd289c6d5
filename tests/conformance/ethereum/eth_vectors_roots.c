/* Roots rebuilt by the Ethereum conformance runner: the genesis header
 * from genesis.json (its state root from the alloc) and the receipts root
 * of a block from its eth_getBlockReceipts result. */
#include "eth_vectors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lightclient/ethereum/ethjson.h"
#include "lightclient/ethereum/keccak.h"
#include "lightclient/ethereum/mpt.h"
#include "lightclient/ethereum/rlp.h"
#include "lightclient/ethereum/trie.h"

/* The genesis header rebuilt from genesis.json: its state root from the
 * alloc (a secure trie of accounts, each with a secure storage trie),
 * empty transaction and receipt tries, no uncles. */
bool genesis_header(struct eth_header *h, const char *vectors)
{
	char path[4096];
	json_t *g, *alloc, *acct;
	const char *addr;
	struct mpt_kv *kv = NULL;
	struct px_buf *vals = NULL, keys = PX_BUF_INIT;
	size_t n, i = 0;
	bool ok = false;

	memset(h, 0, sizeof(*h));
	snprintf(path, sizeof(path), "%s/rpc/genesis.json", vectors);
	g = json_load_file(path, 0, NULL);
	alloc = json_object_get(g, "alloc");
	if (!json_is_object(alloc))
		goto out;
	n = json_object_size(alloc);
	kv = calloc(n + 1, sizeof(*kv));
	vals = calloc(n + 1, sizeof(*vals));
	if (!kv || !vals)
		goto out;
	px_buf_reset(&keys);
	px_buf_append(&keys, "", 0);
	{
		uint8_t *ak = calloc(n + 1, 20);

		if (!ak)
			goto out;
		json_object_foreach(alloc, addr, acct) {
			char a[64];
			json_t *st = json_object_get(acct, "storage"), *sv;
			const char *sk;
			uint8_t bal[32], storage_root[32], code_hash[32];
			uint64_t nonce = 0;
			struct px_buf code = PX_BUF_INIT;
			size_t start;

			snprintf(a, sizeof(a), "%s%s", strncmp(addr, "0x", 2) ? "0x" : "", addr);
			if (!eth_parse_data_fixed(NULL, ak + 20 * i, 20, a, strlen(a)) ||
			    !eth_json_quantity(NULL, bal, 32, acct, "balance") ||
			    (json_object_get(acct, "nonce") && !eth_json_u64(NULL, &nonce, acct, "nonce")) ||
			    (json_object_get(acct, "code") && !eth_json_data(NULL, &code, acct, "code", 1u << 20))) {
				px_buf_free(&code);
				free(ak);
				goto out;
			}
			eth_keccak256(code_hash, code.data, code.len);
			px_buf_free(&code);
			memcpy(storage_root, mpt_empty_root, 32);
			if (json_is_object(st)) {
				size_t sn = json_object_size(st), j = 0;
				struct mpt_kv *skv = calloc(sn + 1, sizeof(*skv));
				uint8_t *sbuf = calloc(sn + 1, 64 + 40);
				bool sok = skv && sbuf;

				json_object_foreach(st, sk, sv) {
					uint8_t *k = sbuf + j * 104, *v = k + 32, *enc = k + 64;
					struct px_buf e = PX_BUF_INIT;

					if (!sok || !eth_parse_quantity(NULL, k, 32, sk, strlen(sk)) ||
					    !json_is_string(sv) ||
					    !eth_parse_quantity(NULL, v, 32, json_string_value(sv), json_string_length(sv))) {
						sok = false;
						break;
					}
					rlp_put_uint_be(&e, v, 32);
					if (!px_buf_ok(&e) || e.len > 40) {
						px_buf_free(&e);
						sok = false;
						break;
					}
					memcpy(enc, e.data, e.len);
					skv[j].key = k;
					skv[j].key_len = 32;
					skv[j].value = enc;
					/* A zero slot is not stored. */
					skv[j].value_len = e.len == 1 && e.data[0] == 0x80 ? 0 : e.len;
					px_buf_free(&e);
					j++;
				}
				sok = sok && mpt_trie_root(NULL, storage_root, skv, j, true);
				free(skv);
				free(sbuf);
				if (!sok) {
					free(ak);
					goto out;
				}
			}
			start = rlp_list_begin(&vals[i]);
			rlp_put_u64(&vals[i], nonce);
			rlp_put_uint_be(&vals[i], bal, 32);
			rlp_put_bytes(&vals[i], storage_root, 32);
			rlp_put_bytes(&vals[i], code_hash, 32);
			rlp_list_end(&vals[i], start);
			if (!px_buf_ok(&vals[i])) {
				free(ak);
				goto out;
			}
			kv[i].key = ak + 20 * i;
			kv[i].key_len = 20;
			kv[i].value = vals[i].data;
			kv[i].value_len = vals[i].len;
			i++;
		}
		ok = mpt_trie_root(NULL, h->state_root, kv, i, true);
		free(ak);
	}
	if (!ok)
		goto out;
	ok = false;
	{
		static const uint8_t empty_list = 0xc0;
		uint8_t nonce_be[32];

		eth_keccak256(h->uncles_hash, &empty_list, 1);
		memcpy(h->transactions_root, mpt_empty_root, 32);
		memcpy(h->receipts_root, mpt_empty_root, 32);
		if (!eth_json_data_fixed(NULL, h->parent_hash, 32, g, "parentHash") ||
		    !eth_json_data_fixed(NULL, h->miner, 20, g, "coinbase") ||
		    !eth_json_quantity(NULL, h->difficulty, 32, g, "difficulty") ||
		    !eth_json_u64(NULL, &h->number, g, "number") ||
		    !eth_json_u64(NULL, &h->gas_limit, g, "gasLimit") ||
		    !eth_json_u64(NULL, &h->gas_used, g, "gasUsed") ||
		    !eth_json_u64(NULL, &h->timestamp, g, "timestamp") ||
		    !eth_json_data_fixed(NULL, h->mix_hash, 32, g, "mixHash") ||
		    !eth_json_quantity(NULL, nonce_be, 8, g, "nonce"))
			goto out;
		memcpy(h->nonce, nonce_be, 8);
		{
			struct px_buf e = PX_BUF_INIT;

			if (eth_json_data(NULL, &e, g, "extraData", ETH_EXTRA_MAX) && px_buf_ok(&e)) {
				memcpy(h->extra_data, e.data, e.len);
				h->extra_data_len = e.len;
				ok = true;
			}
			px_buf_free(&e);
		}
		/* A genesis with London or later fields active would carry
		 * them; this chain starts at Homestead. */
		h->nfields = ETH_FIELDS_FRONTIER;
	}
out:
	for (size_t k = 0; vals && k <= n && k < i + 1; k++)
		px_buf_free(&vals[k]);
	free(vals);
	free(kv);
	px_buf_free(&keys);
	json_decref(g);
	return ok;
}

/* ---- receipts ---- */

/* The consensus encoding of one JSON-RPC receipt. */
static bool receipt_encode(struct px_buf *out, const json_t *r)
{
	uint64_t type = 0;
	uint8_t bloom[256];
	json_t *logs = json_object_get(r, "logs"), *l;
	size_t start, ls, i;
	struct px_buf tmp = PX_BUF_INIT;
	bool ok = false;

	if (json_object_get(r, "type") && !eth_json_u64(NULL, &type, r, "type"))
		return false;
	if (type != 0)
		px_buf_push(out, (uint8_t)type);
	start = rlp_list_begin(out);
	if (json_object_get(r, "root") && !json_is_null(json_object_get(r, "root"))) {
		uint8_t root[32];

		if (!eth_json_data_fixed(NULL, root, 32, r, "root"))
			goto out;
		rlp_put_bytes(out, root, 32);
	} else {
		uint64_t status;

		if (!eth_json_u64(NULL, &status, r, "status"))
			goto out;
		rlp_put_u64(out, status);
	}
	{
		uint64_t cum;

		if (!eth_json_u64(NULL, &cum, r, "cumulativeGasUsed") ||
		    !eth_json_data_fixed(NULL, bloom, 256, r, "logsBloom") || !json_is_array(logs))
			goto out;
		rlp_put_u64(out, cum);
		rlp_put_bytes(out, bloom, 256);
	}
	ls = rlp_list_begin(out);
	json_array_foreach(logs, i, l) {
		uint8_t addr[20];
		json_t *topics = json_object_get(l, "topics"), *t;
		size_t ts, k, s2 = rlp_list_begin(out);

		if (!eth_json_data_fixed(NULL, addr, 20, l, "address") || !json_is_array(topics))
			goto out;
		rlp_put_bytes(out, addr, 20);
		ts = rlp_list_begin(out);
		json_array_foreach(topics, k, t) {
			uint8_t topic[32];

			if (!eth_parse_data_fixed(NULL, topic, 32, json_string_value(t) ? json_string_value(t) : "",
						  json_string_length(t)))
				goto out;
			rlp_put_bytes(out, topic, 32);
		}
		rlp_list_end(out, ts);
		px_buf_reset(&tmp);
		if (!eth_json_data(NULL, &tmp, l, "data", 1u << 20))
			goto out;
		rlp_put_bytes(out, tmp.data, tmp.len);
		rlp_list_end(out, s2);
	}
	rlp_list_end(out, ls);
	rlp_list_end(out, start);
	ok = px_buf_ok(out);
out:
	px_buf_free(&tmp);
	return ok;
}

void receipts_file(const char *path)
{
	json_t *req, *resp, *result, *r;
	const char *base = strrchr(path, '/') + 1;
	const struct block *b;
	size_t n, i;
	struct px_buf enc = PX_BUF_INIT, keys = PX_BUF_INIT;
	struct mpt_kv *kv = NULL;
	size_t *off = NULL, *koff = NULL;
	uint8_t root[32];
	bool ok = true;

	if (!io_load(path, &req, &resp)) {
		check(C_RECEIPTS, false, "%s: no request/response pair", base);
		goto out;
	}
	result = json_object_get(resp, "result");
	if (!json_is_array(result)) {
		note("%s: result is not a list (no such block), not a receipts case", base);
		goto out;
	}
	b = block_by_param(json_array_get(json_object_get(req, "params"), 0));
	if (!b) {
		check(C_RECEIPTS, false, "%s: block not in chain.rlp", base);
		goto out;
	}
	n = json_array_size(result);
	kv = calloc(n + 1, sizeof(*kv));
	off = calloc(n + 1, sizeof(*off));
	koff = calloc(n + 1, sizeof(*koff));
	if (!kv || !off || !koff)
		goto out;
	json_array_foreach(result, i, r) {
		off[i] = enc.len;
		koff[i] = keys.len;
		ok = ok && receipt_encode(&enc, r);
		rlp_put_u64(&keys, i);
	}
	off[n] = enc.len;
	koff[n] = keys.len;
	for (i = 0; ok && i < n; i++) {
		kv[i].key = keys.data + koff[i];
		kv[i].key_len = koff[i + 1] - koff[i];
		kv[i].value = enc.data + off[i];
		kv[i].value_len = off[i + 1] - off[i];
	}
	check(C_RECEIPTS, ok && px_buf_ok(&keys) && mpt_trie_root(NULL, root, kv, n, false) &&
	      memcmp(root, b->t.header.receipts_root, 32) == 0, "%s: receipts root differs", base);
out:
	free(kv);
	free(off);
	free(koff);
	px_buf_free(&enc);
	px_buf_free(&keys);
	json_decref(req);
	json_decref(resp);
}

