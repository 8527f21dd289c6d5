/* Unit tests for the pure parts of relayer/path.c: message batches (copies
 * owned, the 100-message cap, bad URLs refused and the batch left as it
 * was, IBC messages encoded under their type URL and decoding back), the
 * ends a config path gives ("create" becomes empty, the port defaults to
 * transfer), and the argument checks that fail before any network traffic:
 * an empty batch, a chain without trust, a missing key. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ibc/codec/msg.h"
#include "relayer/path.h"

static void test_msgs_add(void **state)
{
	struct rly_msgs *m = malloc(sizeof(*m));
	struct cosmos_any anys[3];
	struct px_err err = { 0 };
	uint8_t v[3] = { 1, 2, 3 };

	(void)state;
	assert_non_null(m);
	rly_msgs_init(m);
	assert_true(rly_msgs_add(&err, m, "/a.B", v, sizeof(v)));
	v[0] = 9;	/* a copy was taken */
	assert_true(rly_msgs_add(&err, m, "/c.D", NULL, 0));
	assert_int_equal(m->n, 2);
	assert_string_equal(m->urls[0], "/a.B");
	assert_int_equal(m->vals[0].len, 3);
	assert_int_equal(m->vals[0].data[0], 1);
	assert_int_equal(m->vals[1].len, 0);

	rly_msgs_any(m, anys);
	assert_int_equal(anys[0].type_url.len, 4);
	assert_memory_equal(anys[0].type_url.ptr, "/a.B", 4);
	assert_int_equal(anys[0].value.len, 3);
	assert_ptr_equal(anys[0].value.ptr, m->vals[0].data);
	assert_int_equal(anys[1].value.len, 0);

	/* refused: no URL, a URL too long, a length without bytes */
	{
		char long_url[RLY_URL_MAX + 1];

		memset(long_url, 'x', RLY_URL_MAX);
		long_url[RLY_URL_MAX] = 0;
		assert_false(rly_msgs_add(&err, m, "", v, 1));
		assert_int_equal(err.code, PX_E_USAGE);
		px_err_clear(&err);
		assert_false(rly_msgs_add(&err, m, NULL, v, 1));
		px_err_clear(&err);
		assert_false(rly_msgs_add(&err, m, long_url, v, 1));
		assert_int_equal(err.code, PX_E_USAGE);
		px_err_clear(&err);
		long_url[RLY_URL_MAX - 1] = 0;	/* RLY_URL_MAX - 1 bytes fit */
		assert_true(rly_msgs_add(&err, m, long_url, v, 1));
		assert_false(rly_msgs_add(&err, m, "/x", NULL, 4));
		assert_int_equal(err.code, PX_E_USAGE);
		px_err_clear(&err);
	}
	assert_int_equal(m->n, 3);

	rly_msgs_clear(m);
	assert_int_equal(m->n, 0);
	assert_null(m->vals[0].data);
	rly_msgs_clear(m);	/* twice is fine */
	free(m);
}

static void test_msgs_cap(void **state)
{
	struct rly_msgs *m = malloc(sizeof(*m));
	struct px_err err = { 0 };
	struct ibc_msg x;
	uint8_t b = 7;

	(void)state;
	assert_non_null(m);
	rly_msgs_init(m);
	for (int i = 0; i < RLY_MSGS_MAX; i++)
		assert_true(rly_msgs_add(&err, m, "/a.B", &b, 1));
	assert_false(rly_msgs_add(&err, m, "/a.B", &b, 1));
	assert_int_equal(err.code, PX_E_TOO_LARGE);
	assert_int_equal(m->n, RLY_MSGS_MAX);

	px_err_clear(&err);
	memset(&x, 0, sizeof(x));
	x.kind = IBC_MSG_CONNECTION_OPEN_CONFIRM;
	snprintf(x.u.connection_open_confirm.connection_id, IBC_ID_MAX + 1, "connection-0");
	assert_false(rly_msgs_add_ibc(&err, m, &x));
	assert_int_equal(err.code, PX_E_TOO_LARGE);
	assert_int_equal(m->n, RLY_MSGS_MAX);
	rly_msgs_clear(m);
	free(m);
}

static void test_msgs_add_ibc(void **state)
{
	struct rly_msgs *m = malloc(sizeof(*m));
	struct px_err err = { 0 };
	struct ibc_msg x, d;
	static const uint8_t proof[] = { 0x0a, 0x01, 0x02 };

	(void)state;
	assert_non_null(m);
	rly_msgs_init(m);
	memset(&x, 0, sizeof(x));
	x.kind = IBC_MSG_CONNECTION_OPEN_CONFIRM;
	snprintf(x.u.connection_open_confirm.connection_id, IBC_ID_MAX + 1, "connection-7");
	x.u.connection_open_confirm.proof_ack = (struct px_slice){ proof, sizeof(proof) };
	x.u.connection_open_confirm.proof_height = (struct ibc_height){ 1, 42 };
	x.u.connection_open_confirm.signer = cosmos_str("cosmos1signer");
	assert_true(rly_msgs_add_ibc(&err, m, &x));
	assert_int_equal(m->n, 1);
	assert_string_equal(m->urls[0], IBC_URL_MSG_CONNECTION_OPEN_CONFIRM);
	assert_true(ibc_msg_decode(&err, &d, cosmos_str(m->urls[0]), m->vals[0].data,
				   m->vals[0].len));
	assert_int_equal(d.kind, IBC_MSG_CONNECTION_OPEN_CONFIRM);
	assert_string_equal(d.u.connection_open_confirm.connection_id, "connection-7");
	assert_int_equal(d.u.connection_open_confirm.proof_height.revision_height, 42);
	assert_int_equal(d.u.connection_open_confirm.proof_ack.len, sizeof(proof));
	ibc_msg_free(&d);

	/* an unknown kind keeps its own type URL; without one it is refused */
	memset(&x, 0, sizeof(x));
	x.kind = IBC_MSG_UNKNOWN;
	x.any.type_url = cosmos_str("/cosmos.bank.v1beta1.MsgSend");
	x.any.value = (struct px_slice){ proof, sizeof(proof) };
	assert_true(rly_msgs_add_ibc(&err, m, &x));
	assert_string_equal(m->urls[1], "/cosmos.bank.v1beta1.MsgSend");
	assert_int_equal(m->vals[1].len, sizeof(proof));
	x.any.type_url = cosmos_str("");
	assert_false(rly_msgs_add_ibc(&err, m, &x));
	assert_int_equal(err.code, PX_E_USAGE);
	assert_int_equal(m->n, 2);
	rly_msgs_clear(m);
	free(m);
}

static void test_path_from_config(void **state)
{
	struct rly_config_path cfg = {
		.name = "a-b",
		.a = { "deva-1", "07-tendermint-3", "connection-4", "channel-5" },
		.b = { "devb-1", "create", "create", "create" },
		.port = "transfer",
	};
	struct rly_chain ca = { 0 }, cb = { 0 };
	struct rly_path p;

	(void)state;
	memset(&p, 0x5a, sizeof(p));
	rly_path_from_config(&p, &cfg, &ca, &cb);
	assert_ptr_equal(p.a.chain, &ca);
	assert_ptr_equal(p.b.chain, &cb);
	assert_string_equal(p.a.client_id, "07-tendermint-3");
	assert_string_equal(p.a.connection_id, "connection-4");
	assert_string_equal(p.a.channel_id, "channel-5");
	assert_string_equal(p.a.port_id, "transfer");
	assert_string_equal(p.b.client_id, "");
	assert_string_equal(p.b.connection_id, "");
	assert_string_equal(p.b.channel_id, "");
	assert_string_equal(p.b.port_id, "transfer");

	/* another port on both ends; a missing port is transfer */
	cfg.port = "mytransfer";
	rly_path_from_config(&p, &cfg, &ca, &cb);
	assert_string_equal(p.a.port_id, "mytransfer");
	assert_string_equal(p.b.port_id, "mytransfer");
	cfg.port = NULL;
	rly_path_from_config(&p, &cfg, &ca, &cb);
	assert_string_equal(p.b.port_id, "transfer");
}

static void test_checks_before_network(void **state)
{
	struct rly_msgs m;
	struct rly_tx_result r;
	struct rly_end e = { 0 };
	struct rly_chain c;
	struct rly_chain_opts o = { 0 };
	struct rly_config_chain cc = { 0 };
	struct cmt_loop *loop = NULL;
	struct px_err err = { 0 };
	struct rly_path p;
	char home[] = "/tmp/px-test-path-XXXXXX";

	(void)state;
	/* an empty batch is not submitted */
	rly_msgs_init(&m);
	assert_false(rly_end_submit(&err, &r, &e, &m, 1000));
	assert_int_equal(err.code, PX_E_USAGE);

	/* handshakes need what comes before them */
	memset(&p, 0, sizeof(p));
	px_err_clear(&err);
	assert_false(rly_path_open_connection(&err, &p));
	assert_int_equal(err.code, PX_E_USAGE);
	snprintf(p.a.client_id, sizeof(p.a.client_id), "07-tendermint-0");
	snprintf(p.b.client_id, sizeof(p.b.client_id), "07-tendermint-0");
	px_err_clear(&err);
	assert_false(rly_path_open_channel(&err, &p));
	assert_int_equal(err.code, PX_E_USAGE);
	/* half of a connection is not resumed */
	snprintf(p.a.connection_id, sizeof(p.a.connection_id), "connection-0");
	px_err_clear(&err);
	assert_false(rly_path_open_connection(&err, &p));
	assert_int_equal(err.code, PX_E_USAGE);
	/* both set: nothing to do */
	snprintf(p.b.connection_id, sizeof(p.b.connection_id), "connection-0");
	px_err_clear(&err);
	assert_true(rly_path_open_connection(&err, &p));
	snprintf(p.a.channel_id, sizeof(p.a.channel_id), "channel-0");
	snprintf(p.b.channel_id, sizeof(p.b.channel_id), "channel-0");
	assert_true(rly_path_open_channel(&err, &p));
	assert_false(px_err_is_set(&err));

	/* a chain without trust, and one without its key: configuration
	 * errors, out zeroed, nothing contacted (the URL is not served) */
	assert_non_null(mkdtemp(home));
	assert_true(cmt_loop_new(&err, &loop));
	cc.id = "nokey-1";
	cc.rpc = "ws://127.0.0.1:1/websocket";
	cc.account_prefix = "cosmos";
	cc.key = "relayer";
	o.home = home;
	memset(&c, 0x5a, sizeof(c));
	assert_false(rly_chain_open(&err, &c, loop, &cc, &o, 1000));
	assert_int_equal(err.code, PX_E_CONFIG);
	assert_non_null(strstr(err.msg, "trusted_height"));
	assert_null(c.rpc);
	assert_null(c.cfg);
	o.trust_height = 1;
	px_err_clear(&err);
	memset(&c, 0x5a, sizeof(c));
	assert_false(rly_chain_open(&err, &c, loop, &cc, &o, 1000));
	assert_int_equal(err.code, PX_E_CONFIG);
	assert_null(c.rpc);
	assert_null(c.tx);
	o.home = NULL;
	px_err_clear(&err);
	assert_false(rly_chain_open(&err, &c, loop, &cc, &o, 1000));
	assert_int_equal(err.code, PX_E_USAGE);
	rly_chain_close(&c);	/* closing a zeroed chain is fine */
	cmt_loop_free(loop);
	assert_int_equal(rmdir(home), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_msgs_add),
		cmocka_unit_test(test_msgs_cap),
		cmocka_unit_test(test_msgs_add_ibc),
		cmocka_unit_test(test_path_from_config),
		cmocka_unit_test(test_checks_before_network),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
