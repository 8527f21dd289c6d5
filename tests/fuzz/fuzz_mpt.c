/* Fuzz target: Merkle-Patricia proof verification. The input is a key
 * length byte, the key, then proof nodes as one RLP list of strings; the
 * root is the hash of the first node, so the walk gets past the root and
 * into the nodes (embedded children included). Results must be
 * consistent: a failure is 2xx or 3xx with found cleared, a success the
 * value inside one of the nodes. A found value is also decoded as an
 * account and as a storage value. Inputs starting with '{' are fed to the
 * eth_getProof JSON verifier against the hash of the first account node. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/protobuf.h"
#include "lightclient/ethereum/ethjson.h"
#include "lightclient/ethereum/getproof.h"
#include "lightclient/ethereum/keccak.h"
#include "lightclient/ethereum/mpt.h"
#include "lightclient/ethereum/rlp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void json_case(const uint8_t *data, size_t size)
{
	json_t *o = json_loadb((const char *)data, size, 0, NULL);
	const char *first;
	uint8_t root[32] = { 0 };
	struct px_buf node = PX_BUF_INIT;
	struct mpt_get_proof p;
	struct px_err err = { 0 };

	if (!o)
		return;
	first = json_string_value(json_array_get(json_object_get(o, "accountProof"), 0));
	if (first && eth_parse_data(NULL, &node, first, strlen(first), MPT_MAX_NODE_BYTES) &&
	    px_buf_ok(&node))
		eth_keccak256(root, node.data, node.len);
	if (mpt_get_proof_verify(&err, &p, root, o)) {
		mpt_get_proof_free(&p);
	} else if (err.code < 200 || err.code >= 400 || p.slots || p.nslots) {
		abort();
	}
	px_buf_free(&node);
	json_decref(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct px_slice nodes[MPT_MAX_PROOF_NODES + 2], v;
	struct px_cursor c, list;
	size_t n = 0, kl;
	uint8_t root[32];
	struct px_err err = { 0 };
	bool found;

	if (size > 0 && data[0] == '{') {
		json_case(data, size);
		return 0;
	}
	if (size < 1)
		return 0;
	kl = data[0] % 40;
	if (size < 1 + kl)
		return 0;
	c = px_cursor_init(data + 1 + kl, size - 1 - kl);
	rlp_read_list(&c, &list, RLP_MAX_ITEM);
	while (px_cursor_more(&list) && n < MPT_MAX_PROOF_NODES + 2)
		rlp_read_bytes(&list, &nodes[n++], RLP_MAX_ITEM);
	if (!px_cursor_ok(&c))
		return 0;
	if (n)
		eth_keccak256(root, nodes[0].ptr, nodes[0].len);
	else
		memcpy(root, mpt_empty_root, 32);
	if (mpt_verify(&err, &found, &v, root, data + 1, kl, nodes, n)) {
		bool inside = !found;

		for (size_t i = 0; i < n && !inside; i++)
			inside = v.ptr >= nodes[i].ptr && v.ptr + v.len <= nodes[i].ptr + nodes[i].len;
		if (!inside || (found && v.len == 0))
			abort();
		if (found) {
			struct eth_account a;

			if (!mpt_account_decode(&err, &a, v.ptr, v.len) && err.code / 100 != 2)
				abort();
		}
	} else if (found || v.len || err.code < 200 || err.code >= 400) {
		abort();
	}
	/* The same nodes as an account and a storage proof. */
	if (kl >= 20) {
		struct eth_account a;
		bool exists;
		uint8_t slot[32] = { 0 }, val[32];

		px_err_clear(&err);
		if (!mpt_verify_account(&err, &exists, &a, root, data + 1, nodes, n) && exists)
			abort();
		memcpy(slot, data + 1, kl < 32 ? kl : 32);
		px_err_clear(&err);
		if (!mpt_verify_storage(&err, &exists, val, root, slot, nodes, n) && exists)
			abort();
	}
	return 0;
}
