/* The devnet helper programs' shared half (see devnet_client.h). */
#include "tests/relayer/devnet_client.h"

#include <stdlib.h>
#include <string.h>

#include "chains/cosmos/tx.h"
#include "common/encoding.h"
#include "common/number.h"
#include "common/protobuf.h"
#include "relayer/txsub.h"

int dc_checks, dc_failures;

void dc_connect(struct dc_node *n, const char *url)
{
	struct cmt_client_opts o = { 0 };
	struct px_err err = { 0 };

	o.url = url;
	if (!cmt_loop_new(&err, &n->loop) || !cmt_client_new(&err, &n->client, n->loop, &o))
		n->die("connect", &err);
	for (int i = 0; i < 200 && cmt_client_state(n->client) != CMT_CONNECTED; i++)
		(void)cmt_loop_service(n->loop, 50);
	if (cmt_client_state(n->client) != CMT_CONNECTED)
		n->die("connect", NULL);
}

void dc_close(struct dc_node *n)
{
	cmt_client_free(n->client);
	cmt_loop_free(n->loop);
	n->client = NULL;
	n->loop = NULL;
}

json_t *dc_call(struct dc_node *n, const char *method, json_t *params)
{
	struct px_err err = { 0 };
	json_t *res = NULL;

	if (!cmt_client_call_sync(&err, &res, n->client, method, params, 10000))
		n->die(method, &err);
	return res;
}

int64_t dc_latest(struct dc_node *n)
{
	json_t *st = dc_call(n, "status", NULL);
	const char *h = json_string_value(
		json_object_get(json_object_get(st, "sync_info"), "latest_block_height"));
	struct px_err err = { 0 };
	int64_t v = 0;

	if (h && !px_parse_i64(&err, &v, h, strlen(h)))
		n->die(h, &err);
	json_decref(st);
	return v;
}

void dc_each_msg(struct dc_node *n, int64_t from, int64_t to, dc_msg_fn fn, void *arg)
{
	static struct cosmos_tx tx;

	for (int64_t h = from; h <= to; h++) {
		json_t *res = dc_call(n, "block", cmt_params_height(h));
		json_t *txs = json_object_get(json_object_get(json_object_get(res, "block"), "data"),
					      "txs");
		size_t i;
		json_t *t;

		json_array_foreach(txs, i, t) {
			struct px_buf raw = PX_BUF_INIT;
			struct px_err err = { 0 };
			const char *s = json_string_value(t);

			if (!s || !px_base64_decode(&err, &raw, s, strlen(s), PX_B64_STD) ||
			    !cosmos_tx_decode(&err, &tx, raw.data, raw.len))
				n->die("tx", &err);
			for (size_t k = 0; k < tx.body.n_messages; k++) {
				const struct cosmos_any *a = &tx.body.messages[k];
				struct ibc_msg m;

				if (!ibc_msg_decode(&err, &m, a->type_url, a->value.ptr, a->value.len))
					n->die("message", &err);
				fn(arg, h, i, &m);
				ibc_msg_free(&m);
			}
			px_buf_free(&raw);
		}
		json_decref(res);
	}
}

uint64_t dc_balance(dc_die_fn die, struct cmt_client *c, const char *addr, const char *denom,
		    uint32_t timeout_ms)
{
	struct px_buf req = PX_BUF_INIT, value = PX_BUF_INIT;
	struct rly_abci_response ar;
	struct px_err err = { 0 };
	struct px_cursor cur, coin;
	struct px_slice amount = { 0 };
	json_t *res = NULL;
	uint64_t v = 0;

	px_pb_put_bytes(&req, 1, (const uint8_t *)addr, strlen(addr));
	px_pb_put_bytes(&req, 2, (const uint8_t *)denom, strlen(denom));
	if (!cmt_client_call_sync(&err, &res, c, "abci_query",
				  cmt_params_abci_query("/cosmos.bank.v1beta1.Query/Balance", req.data,
							req.len, 0, false), timeout_ms) ||
	    !rly_abci_reply(&err, &ar, &value, res) || ar.code)
		die("balance query", &err);
	cur = px_cursor_init(value.data, value.len);
	while (px_cursor_more(&cur)) {
		uint32_t f, w;

		px_pb_read_tag(&cur, &f, &w);
		if (f != 1) {
			px_pb_skip(&cur, w);
			continue;
		}
		px_pb_read_message(&cur, w, &coin, value.len);
		while (px_cursor_more(&coin)) {
			uint32_t cf, cw;

			px_pb_read_tag(&coin, &cf, &cw);
			if (cf == 2)
				px_pb_read_bytes(&coin, cw, &amount, 40);
			else
				px_pb_skip(&coin, cw);
		}
	}
	if (!px_cursor_ok(&cur) || !px_parse_u64(&err, &v, (const char *)amount.ptr, amount.len))
		die("balance reply", &err);
	json_decref(res);
	px_buf_free(&req);
	px_buf_free(&value);
	return v;
}

void dc_check_die(const char *what, const struct px_err *err)
{
	printf("FAIL %s: %s (code %d)\n", what, err ? err->msg : "", err ? err->code : 0);
	exit(1);
}

int dc_checks_done(void)
{
	printf("%d checks, %d failed\n", dc_checks, dc_failures);
	return dc_failures ? 1 : 0;
}
