/* Unit tests for chains/ethereum/rpc.c over a fake transport that records
 * what is sent: request framing, replies matched by id in any order,
 * replies to no request (unknown, repeated, non-integer ids), error
 * replies (with the node's text sanitised), malformed messages, batches,
 * timeouts, connection loss (including callbacks that send again), a
 * refusing transport, a full table, and subscription notifications. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chains/ethereum/rpc.h"

struct fake {
	bool refuse;
	size_t nsent;
	char *sent[16];
};

static bool fake_send(void *transport, const char *text, size_t len)
{
	struct fake *f = transport;

	if (f->refuse)
		return false;
	if (f->nsent < 16)
		f->sent[f->nsent] = strndup(text, len);
	f->nsent++;
	return true;
}

static void fake_free(struct fake *f)
{
	for (size_t i = 0; i < 16; i++)
		free(f->sent[i]);
}

/* What one callback saw. */
struct seen {
	int calls;
	int code;		/* 0: success */
	char msg[PX_ERR_MSG_MAX];
	char result[128];	/* compact JSON of the result */
	int order;		/* global call order */
};

static int call_counter;

static void record(void *user, const struct px_err *err, json_t *result)
{
	struct seen *s = user;
	char *txt;

	s->calls++;
	s->order = ++call_counter;
	s->code = err ? err->code : 0;
	snprintf(s->msg, sizeof(s->msg), "%s", err ? err->msg : "");
	s->result[0] = '\0';
	if (result) {
		txt = json_dumps(result, JSON_COMPACT | JSON_ENCODE_ANY);
		snprintf(s->result, sizeof(s->result), "%s", txt ? txt : "");
		free(txt);
	}
}

static bool feed(struct ethrpc *r, struct px_err *err, const char *text)
{
	px_err_clear(err);
	return ethrpc_receive(r, err, text, strlen(text));
}

static void test_request_framing(void **state)
{
	struct fake f = { 0 };
	struct ethrpc r;
	struct seen s = { 0 };
	uint64_t id = 0;
	json_t *msg;

	(void)state;
	ethrpc_init(&r, fake_send, &f);
	assert_true(ethrpc_call(&r, NULL, &id, "eth_getBlockByNumber",
				json_pack("[s, b]", "latest", 0), 1000, 500, record, &s));
	assert_int_equal(f.nsent, 1);
	msg = json_loads(f.sent[0], 0, NULL);
	assert_non_null(msg);
	assert_string_equal(json_string_value(json_object_get(msg, "jsonrpc")), "2.0");
	assert_int_equal(json_integer_value(json_object_get(msg, "id")), (json_int_t)id);
	assert_string_equal(json_string_value(json_object_get(msg, "method")),
			    "eth_getBlockByNumber");
	assert_int_equal(json_array_size(json_object_get(msg, "params")), 2);
	json_decref(msg);
	/* NULL params are sent as [] */
	assert_true(ethrpc_call(&r, NULL, NULL, "eth_blockNumber", NULL, 1000, 500, record, &s));
	msg = json_loads(f.sent[1], 0, NULL);
	assert_true(json_is_array(json_object_get(msg, "params")));
	assert_int_equal(json_array_size(json_object_get(msg, "params")), 0);
	json_decref(msg);
	assert_int_equal(ethrpc_pending_count(&r), 2);
	assert_int_equal(r.stats.sent, 2);
	fake_free(&f);
}

static void test_out_of_order(void **state)
{
	struct fake f = { 0 };
	struct ethrpc r;
	struct seen s[3] = { { 0 } };
	uint64_t id[3];
	struct px_err err = { 0 };
	char reply[128];
	const int order[3] = { 2, 0, 1 };

	(void)state;
	call_counter = 0;
	ethrpc_init(&r, fake_send, &f);
	for (int i = 0; i < 3; i++)
		assert_true(ethrpc_call(&r, &err, &id[i], "m", NULL, 0, 1000, record, &s[i]));
	assert_true(id[0] != id[1] && id[1] != id[2]);
	for (int k = 0; k < 3; k++) {
		int i = order[k];

		snprintf(reply, sizeof(reply), "{\"jsonrpc\":\"2.0\",\"result\":\"r%d\",\"id\":%llu}",
			 i, (unsigned long long)id[i]);
		assert_true(feed(&r, &err, reply));
	}
	for (int i = 0; i < 3; i++) {
		char want[8];

		snprintf(want, sizeof(want), "\"r%d\"", i);
		assert_int_equal(s[i].calls, 1);
		assert_int_equal(s[i].code, 0);
		assert_string_equal(s[i].result, want);
	}
	assert_int_equal(s[2].order, 1);
	assert_int_equal(s[0].order, 2);
	assert_int_equal(s[1].order, 3);
	assert_int_equal(ethrpc_pending_count(&r), 0);
	assert_int_equal(r.stats.replies, 3);
	fake_free(&f);
}

static void test_unknown_ids(void **state)
{
	struct fake f = { 0 };
	struct ethrpc r;
	struct seen s = { 0 };
	uint64_t id;
	struct px_err err = { 0 };
	char reply[128];

	(void)state;
	ethrpc_init(&r, fake_send, &f);
	assert_true(ethrpc_call(&r, &err, &id, "m", NULL, 0, 1000, record, &s));
	assert_false(feed(&r, &err, "{\"jsonrpc\":\"2.0\",\"id\":999,\"result\":1}"));
	assert_int_equal(err.code, PX_E_RPC);
	assert_false(feed(&r, &err, "{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"result\":1}"));
	assert_int_equal(err.code, PX_E_RPC);
	assert_false(feed(&r, &err, "{\"jsonrpc\":\"2.0\",\"id\":-1,\"result\":1}"));
	assert_false(feed(&r, &err, "{\"jsonrpc\":\"2.0\",\"id\":1.0,\"result\":1}"));
	assert_int_equal(s.calls, 0);
	assert_int_equal(ethrpc_pending_count(&r), 1);
	/* the real reply still matches, once */
	snprintf(reply, sizeof(reply), "{\"jsonrpc\":\"2.0\",\"id\":%llu,\"result\":true}",
		 (unsigned long long)id);
	assert_true(feed(&r, &err, reply));
	assert_int_equal(s.calls, 1);
	assert_false(feed(&r, &err, reply));
	assert_int_equal(s.calls, 1);
	assert_int_equal(r.stats.unknown_ids, 5);
	fake_free(&f);
}

static void test_error_replies(void **state)
{
	struct fake f = { 0 };
	struct ethrpc r;
	struct seen s = { 0 }, s2 = { 0 }, s3 = { 0 };
	uint64_t id, id2, id3;
	struct px_err err = { 0 };
	char reply[256];

	(void)state;
	ethrpc_init(&r, fake_send, &f);
	assert_true(ethrpc_call(&r, &err, &id, "eth_getProof", NULL, 0, 1000, record, &s));
	assert_true(ethrpc_call(&r, &err, &id2, "eth_call", NULL, 0, 1000, record, &s2));
	assert_true(ethrpc_call(&r, &err, &id3, "eth_x", NULL, 0, 1000, record, &s3));
	snprintf(reply, sizeof(reply),
		 "{\"jsonrpc\":\"2.0\",\"id\":%llu,\"error\":{\"code\":-32602,"
		 "\"message\":\"bad\\nslot\\u001b[31m\"}}", (unsigned long long)id);
	assert_true(feed(&r, &err, reply));
	assert_int_equal(s.calls, 1);
	assert_int_equal(s.code, PX_E_RPC);
	assert_non_null(strstr(s.msg, "eth_getProof"));
	assert_non_null(strstr(s.msg, "-32602"));
	assert_non_null(strstr(s.msg, "bad?slot?[31m"));
	assert_null(strchr(s.msg, '\n'));
	/* error without a code */
	snprintf(reply, sizeof(reply), "{\"jsonrpc\":\"2.0\",\"id\":%llu,\"error\":{}}",
		 (unsigned long long)id2);
	assert_true(feed(&r, &err, reply));
	assert_int_equal(s2.code, PX_E_RPC);
	/* neither result nor error: the request fails as malformed */
	snprintf(reply, sizeof(reply), "{\"jsonrpc\":\"2.0\",\"id\":%llu}", (unsigned long long)id3);
	assert_true(feed(&r, &err, reply));
	assert_int_equal(s3.code, PX_E_JSON);
	assert_int_equal(r.stats.error_replies, 2);
	assert_int_equal(ethrpc_pending_count(&r), 0);
	fake_free(&f);
}

static void test_malformed(void **state)
{
	struct fake f = { 0 };
	struct ethrpc r;
	struct seen s = { 0 };
	struct px_err err = { 0 };

	(void)state;
	ethrpc_init(&r, fake_send, &f);
	assert_true(ethrpc_call(&r, &err, NULL, "m", NULL, 0, 1000, record, &s));
	assert_false(feed(&r, &err, "not json"));
	assert_int_equal(err.code, PX_E_JSON);
	assert_false(feed(&r, &err, "{\"id\":1,\"result\":1} trailing"));
	assert_int_equal(err.code, PX_E_JSON);
	assert_false(feed(&r, &err, "42"));
	assert_int_equal(err.code, PX_E_JSON);
	assert_false(feed(&r, &err, "[{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1}]"));
	assert_int_equal(err.code, PX_E_UNSUPPORTED);
	assert_false(feed(&r, &err, "{\"jsonrpc\":\"2.0\",\"method\":\"eth_foo\",\"params\":[]}"));
	assert_int_equal(err.code, PX_E_JSON);
	assert_false(feed(&r, &err, "{\"jsonrpc\":\"2.0\",\"method\":\"eth_subscription\","
				    "\"params\":{\"result\":1}}"));
	assert_false(ethrpc_receive(&r, &err, "", 0));
	assert_int_equal(s.calls, 0);
	assert_int_equal(ethrpc_pending_count(&r), 1);
	assert_int_equal(r.stats.malformed, 7);
	fake_free(&f);
}

static void test_timeouts(void **state)
{
	struct fake f = { 0 };
	struct ethrpc r;
	struct seen a = { 0 }, b = { 0 };
	struct px_err err = { 0 };

	(void)state;
	ethrpc_init(&r, fake_send, &f);
	assert_true(ethrpc_call(&r, &err, NULL, "slow", NULL, 1000, 100, record, &a));
	assert_true(ethrpc_call(&r, &err, NULL, "slower", NULL, 1000, 500, record, &b));
	assert_int_equal(ethrpc_expire(&r, 1099), 0);
	assert_int_equal(ethrpc_expire(&r, 1100), 1);
	assert_int_equal(a.calls, 1);
	assert_int_equal(a.code, PX_E_RPC);
	assert_non_null(strstr(a.msg, "timeout"));
	assert_int_equal(b.calls, 0);
	assert_int_equal(ethrpc_expire(&r, 5000), 1);
	assert_int_equal(b.calls, 1);
	assert_int_equal(r.stats.timeouts, 2);
	assert_int_equal(ethrpc_pending_count(&r), 0);
	fake_free(&f);
}

struct resend {
	struct ethrpc *r;
	int calls;
	struct seen inner;
};

/* A callback that sends a new request at once (as a client retrying). */
static void resend_cb(void *user, const struct px_err *err, json_t *result)
{
	struct resend *rs = user;

	(void)err;
	(void)result;
	rs->calls++;
	assert_true(ethrpc_call(rs->r, NULL, NULL, "again", NULL, 0, 1000, record, &rs->inner));
}

static void test_fail_all(void **state)
{
	struct fake f = { 0 };
	struct ethrpc r;
	struct seen a = { 0 };
	struct resend rs = { .r = &r };
	struct px_err err = { 0 };

	(void)state;
	ethrpc_init(&r, fake_send, &f);
	assert_true(ethrpc_call(&r, &err, NULL, "a", NULL, 0, 1000, record, &a));
	assert_true(ethrpc_call(&r, &err, NULL, "b", NULL, 0, 1000, resend_cb, &rs));
	ethrpc_fail_all(&r, "connection closed");
	assert_int_equal(a.calls, 1);
	assert_int_equal(a.code, PX_E_RPC);
	assert_non_null(strstr(a.msg, "connection closed"));
	assert_int_equal(rs.calls, 1);
	/* the request made from the callback stays */
	assert_int_equal(rs.inner.calls, 0);
	assert_int_equal(ethrpc_pending_count(&r), 1);
	fake_free(&f);
}

static void test_send_refused_and_full(void **state)
{
	struct fake f = { .refuse = true };
	struct ethrpc r;
	struct seen s = { 0 };
	struct px_err err = { 0 };
	uint64_t id, first;

	(void)state;
	ethrpc_init(&r, fake_send, &f);
	assert_false(ethrpc_call(&r, &err, NULL, "m", json_array(), 0, 1000, record, &s));
	assert_int_equal(err.code, PX_E_IO);
	assert_int_equal(ethrpc_pending_count(&r), 0);
	f.refuse = false;
	assert_true(ethrpc_call(&r, NULL, &first, "m", NULL, 0, 1000, record, &s));
	for (unsigned i = 1; i < ETHRPC_MAX_PENDING; i++)
		assert_true(ethrpc_call(&r, NULL, NULL, "m", NULL, 0, 1000, record, &s));
	px_err_clear(&err);
	assert_false(ethrpc_call(&r, &err, NULL, "m", NULL, 0, 1000, record, &s));
	assert_int_equal(err.code, PX_E_TOO_LARGE);
	/* cancel frees a slot without a callback */
	assert_true(ethrpc_cancel(&r, first));
	assert_false(ethrpc_cancel(&r, first));
	assert_true(ethrpc_call(&r, NULL, &id, "m", NULL, 0, 1000, record, &s));
	ethrpc_fail_all(&r, "bye");
	assert_int_equal(s.calls, (int)ETHRPC_MAX_PENDING);
	fake_free(&f);
}

struct notes {
	int n;
	char sub[64];
	char result[64];
};

static void on_note(void *user, const char *sub, json_t *result)
{
	struct notes *n = user;
	char *txt = json_dumps(result, JSON_COMPACT | JSON_ENCODE_ANY);

	n->n++;
	snprintf(n->sub, sizeof(n->sub), "%s", sub);
	snprintf(n->result, sizeof(n->result), "%s", txt);
	free(txt);
}

static void test_notifications(void **state)
{
	struct fake f = { 0 };
	struct ethrpc r;
	struct notes n = { 0 };
	struct px_err err = { 0 };

	(void)state;
	ethrpc_init(&r, fake_send, &f);
	/* without a handler, notifications are accepted and dropped */
	assert_true(feed(&r, &err, "{\"jsonrpc\":\"2.0\",\"method\":\"eth_subscription\","
				   "\"params\":{\"subscription\":\"0xab\",\"result\":{\"a\":1}}}"));
	ethrpc_set_notify(&r, on_note, &n);
	assert_true(feed(&r, &err, "{\"jsonrpc\":\"2.0\",\"method\":\"eth_subscription\","
				   "\"params\":{\"subscription\":\"0xcd\",\"result\":{\"a\":2}}}"));
	assert_int_equal(n.n, 1);
	assert_string_equal(n.sub, "0xcd");
	assert_string_equal(n.result, "{\"a\":2}");
	/* id null is a notification, not a reply */
	assert_true(feed(&r, &err, "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"eth_subscription\","
				   "\"params\":{\"subscription\":\"0xcd\",\"result\":3}}"));
	assert_int_equal(n.n, 2);
	assert_int_equal(r.stats.notifications, 3);
	fake_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_framing),
		cmocka_unit_test(test_out_of_order),
		cmocka_unit_test(test_unknown_ids),
		cmocka_unit_test(test_error_replies),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_timeouts),
		cmocka_unit_test(test_fail_all),
		cmocka_unit_test(test_send_refused_and_full),
		cmocka_unit_test(test_notifications),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
