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
#include "chains/cosmos/tx.h"
#include "common/encoding.h"
#include "common/log.h"
#include "common/number.h"
#include "ibc/codec/msg.h"

static struct cmt_loop *loop;
static struct cmt_client *client;

static void die(const char *what, const struct px_err *err)
{
	fprintf(stderr, "witness_devnet: %s: %s\n", what, err ? err->msg : "failed");
	exit(1);
}

static void connect_to(const char *url)
{
	struct cmt_client_opts o = { 0 };
	struct px_err err = { 0 };

	o.url = url;
	if (!cmt_loop_new(&err, &loop) || !cmt_client_new(&err, &client, loop, &o))
		die("connect", &err);
	for (int i = 0; i < 200 && cmt_client_state(client) != CMT_CONNECTED; i++)
		(void)cmt_loop_service(loop, 50);
	if (cmt_client_state(client) != CMT_CONNECTED)
		die("connect", NULL);
}

static json_t *call(const char *method, json_t *params)
{
	struct px_err err = { 0 };
	json_t *res = NULL;

	if (!cmt_client_call_sync(&err, &res, client, method, params, 10000))
		die(method, &err);
	return res;
}

static int64_t i64_arg(const char *s)
{
	struct px_err err = { 0 };
	int64_t v;

	if (!px_parse_i64(&err, &v, s, strlen(s)))
		die(s, &err);
	return v;
}

static int64_t latest(void)
{
	json_t *st = call("status", NULL);
	const char *h = json_string_value(
		json_object_get(json_object_get(st, "sync_info"), "latest_block_height"));
	int64_t v = h ? i64_arg(h) : 0;

	json_decref(st);
	return v;
}

static void block_hash(int64_t h)
{
	json_t *res = call("commit", cmt_params_height(h));
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
	res = call("abci_query", cmt_params_abci_query("/store/ibc/key", (const uint8_t *)key,
							strlen(key), 0, false));
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

static void misbehaviours(int64_t from, int64_t to)
{
	static struct cosmos_tx tx;

	for (int64_t h = from; h <= to; h++) {
		json_t *res = call("block", cmt_params_height(h)), *results = NULL, *t;
		json_t *txs = json_object_get(json_object_get(json_object_get(res, "block"), "data"),
					      "txs");
		size_t i;

		json_array_foreach(txs, i, t) {
			struct px_buf raw = PX_BUF_INIT;
			struct px_err err = { 0 };
			const char *s = json_string_value(t);

			if (!s || !px_base64_decode(&err, &raw, s, strlen(s), PX_B64_STD) ||
			    !cosmos_tx_decode(&err, &tx, raw.data, raw.len))
				die("tx", &err);
			for (size_t k = 0; k < tx.body.n_messages; k++) {
				struct ibc_msg m;

				if (!ibc_msg_decode(&err, &m, tx.body.messages[k].type_url,
						    tx.body.messages[k].value.ptr,
						    tx.body.messages[k].value.len))
					die("message", &err);
				if (m.kind == IBC_MSG_SUBMIT_MISBEHAVIOUR) {
					if (!results)
						results = call("block_results", cmt_params_height(h));
					printf("%s %" PRId64 "\n", m.u.submit_misbehaviour.client_id,
					       tx_code(results, i));
				}
				ibc_msg_free(&m);
			}
			px_buf_free(&raw);
		}
		json_decref(results);
		json_decref(res);
	}
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: witness_devnet height|hash|client|misbehaviours URL ...\n");
		return 2;
	}
	px_log_setup(PX_LOG_WARN, PX_LOG_TEXT, stderr);
	connect_to(argv[2]);
	if (strcmp(argv[1], "height") == 0 && argc == 3)
		printf("%" PRId64 "\n", latest());
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
	cmt_client_free(client);
	cmt_loop_free(loop);
	return 0;
}
