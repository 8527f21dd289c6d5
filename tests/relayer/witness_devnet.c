/* Chain-side checks for the witness integration test
 * (test_witness_devnet.sh), read straight from a pontifex-devnet node
 * (unverified: the test compares them with what it expects):
 *
 *   witness_devnet height URL             the node's latest height
 *   witness_devnet hash URL H             the block hash at H (hex)
 *   witness_devnet client URL CLIENT_ID   "frozen R-H latest R-H" of a
 *                                         07-tendermint client
 *   witness_devnet misbehaviours URL FROM TO
 *                                         one line per MsgSubmitMisbehaviour in
 *                                         blocks FROM..TO: "CLIENT_ID CODE"
 *                                         (CODE: the transaction's result)
 * Exits 1 with a message on any failure. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chains/cometbft/client.h"
#include "common/encoding.h"
#include "common/log.h"
#include "common/number.h"
#include "ibc/codec/msg.h"
#include "tests/relayer/devnet_client.h"

static void die(const char *what, const struct px_err *err)
{
	fprintf(stderr, "witness_devnet: %s: %s\n", what, err ? err->msg : "failed");
	exit(1);
}

static struct dc_node node = { .die = die };

static int64_t i64_arg(const char *s)
{
	struct px_err err = { 0 };
	int64_t v;

	if (!px_parse_i64(&err, &v, s, strlen(s)))
		die(s, &err);
	return v;
}

static void block_hash(int64_t h)
{
	json_t *res = dc_call(&node, "commit", cmt_params_height(h));
	json_t *commit = json_object_get(json_object_get(res, "signed_header"), "commit");
	const char *hash = json_string_value(json_object_get(json_object_get(commit, "block_id"),
							     "hash"));

	if (!hash)
		die("commit: no block hash", NULL);
	printf("%s\n", hash);
	json_decref(res);
}

static void client_state(const char *id)
{
	char key[128];
	struct px_buf v = PX_BUF_INIT;
	struct px_err err = { 0 };
	struct ibc_msg m;
	const char *val;
	json_t *res;

	snprintf(key, sizeof(key), "clients/%s/clientState", id);
	res = dc_call(&node, "abci_query",
		      cmt_params_abci_query("/store/ibc/key", (const uint8_t *)key, strlen(key), 0,
					    false));
	val = json_string_value(json_object_get(json_object_get(res, "response"), "value"));
	if (!val || !val[0])
		die("client state", NULL);
	if (!px_base64_decode(&err, &v, val, strlen(val), PX_B64_STD) ||
	    !ibc_msg_decode_any(&err, &m, v.data, v.len))
		die("client state", &err);
	if (m.kind != IBC_MSG_TM_CLIENT_STATE)
		die("client state: not 07-tendermint", NULL);
	printf("frozen %" PRIu64 "-%" PRIu64 " latest %" PRIu64 "-%" PRIu64 "\n",
	       m.u.tm_client_state.frozen_height.revision_number,
	       m.u.tm_client_state.frozen_height.revision_height,
	       m.u.tm_client_state.latest_height.revision_number,
	       m.u.tm_client_state.latest_height.revision_height);
	ibc_msg_free(&m);
	px_buf_free(&v);
	json_decref(res);
}

/* The result code of the index-th transaction of a block_results reply. */
static int64_t tx_code(const json_t *results, size_t index)
{
	const json_t *r = json_array_get(json_object_get(results, "txs_results"), index);
	const json_t *c = json_object_get(r, "code");

	return json_is_integer(c) ? (int64_t)json_integer_value(c) : -1;
}

/* The block_results of the block being walked, fetched on the first
 * MsgSubmitMisbehaviour in it. */
struct walk {
	int64_t height;
	json_t *results;
};

static void print_misbehaviour(void *arg, int64_t height, size_t tx_index,
			       const struct ibc_msg *m)
{
	struct walk *w = arg;

	if (m->kind != IBC_MSG_SUBMIT_MISBEHAVIOUR)
		return;
	if (!w->results || w->height != height) {
		json_decref(w->results);
		w->results = dc_call(&node, "block_results", cmt_params_height(height));
		w->height = height;
	}
	printf("%s %" PRId64 "\n", m->u.submit_misbehaviour.client_id, tx_code(w->results, tx_index));
}

static void misbehaviours(int64_t from, int64_t to)
{
	struct walk w = { 0, NULL };

	dc_each_msg(&node, from, to, print_misbehaviour, &w);
	json_decref(w.results);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: witness_devnet height|hash|client|misbehaviours URL ...\n");
		return 2;
	}
	px_log_setup(PX_LOG_WARN, PX_LOG_TEXT, stderr);
	dc_connect(&node, argv[2]);
	if (strcmp(argv[1], "height") == 0 && argc == 3)
		printf("%" PRId64 "\n", dc_latest(&node));
	else if (strcmp(argv[1], "hash") == 0 && argc == 4)
		block_hash(i64_arg(argv[3]));
	else if (strcmp(argv[1], "client") == 0 && argc == 4)
		client_state(argv[3]);
	else if (strcmp(argv[1], "misbehaviours") == 0 && argc == 5)
		misbehaviours(i64_arg(argv[3]), i64_arg(argv[4]));
	else {
		fprintf(stderr, "witness_devnet: bad arguments\n");
		return 2;
	}
	dc_close(&node);
	return 0;
}
