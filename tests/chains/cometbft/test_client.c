/* Tests of chains/cometbft/ against a fake node (fakenode.c): request ids
 * and out-of-order replies, unknown ids, error replies, timeouts,
 * malformed and oversized messages, a dropped connection with reconnect,
 * resubscription and backfill (every height delivered exactly once, in
 * order), and the light-block provider feeding tm_bisect.
 *
 * The node serves real CometBFT 0.38 responses read at test time from
 * ../shared/vectors/cosmos/rpc/v0_38/incoming (the program exits 77 when
 * they are missing) and blocks signed by testchain.c. Generated blocks
 * carry made-up txs (h % 3 per height) that the header does not commit to:
 * the client does not check data_hash, the light client does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "chains/cometbft/client.h"
#include "chains/cometbft/internal.h"
#include "common/buf.h"
#include "common/encoding.h"
#include "common/json.h"
#include "fakenode.h"
#include "lightclient/tendermint/bisection.h"
#include "testchain.h"

static const char *vdir;

static json_t *vector(const char *name)
{
	char path[1024];
	struct px_err err;
	json_t *v;

	snprintf(path, sizeof(path), "%s/%s", vdir, name);
	px_err_clear(&err);
	v = px_json_load_file(&err, path);
	if (!v)
		fail_msg("%s", err.msg);
	return v;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* --- the fake chain the node serves --------------------------------------- */

struct fake {
	struct tc_chain chain;
	struct fakenode *fn;
	atomic_llong tip;
	int per_page;			/* validators page cap */
	atomic_llong sub_newblock;	/* ids of the latest subscribe requests */
	atomic_llong sub_tx;
	atomic_int subscribes;
	atomic_int tamper_power;	/* validators replies lie about a power */
	atomic_int commit_off;		/* commit replies for another height */
	size_t hold_n;			/* "hold": reply once this many arrived */
	json_t *held[8];		/* server thread only */
	size_t nheld;
};

static json_t *height_str(int64_t h)
{
	char s[24];

	snprintf(s, sizeof(s), "%lld", (long long)h);
	return json_string(s);
}

static json_t *tx_bytes(int64_t h, size_t i)
{
	char raw[48];
	struct px_buf b = PX_BUF_INIT;
	json_t *v;

	snprintf(raw, sizeof(raw), "tx-%lld-%zu", (long long)h, i);
	px_base64_encode(&b, (const uint8_t *)raw, strlen(raw), PX_B64_STD, true);
	v = json_stringn((const char *)b.data, b.len);
	px_buf_free(&b);
	return v;
}

static json_t *tx_result(int64_t h, size_t i)
{
	json_t *seq = height_str(h * 10 + (int64_t)i);
	json_t *r = json_pack("{s:i, s:s, s:s, s:s, s:[{s:s, s:[{s:s, s:o, s:b}]}]}", "code", 0,
			      "log", "", "gas_wanted", "0", "gas_used", "0", "events", "type",
			      "send_packet", "attributes", "key", "packet_sequence", "value", seq,
			      "index", 1);
	assert_non_null(r);
	return r;
}

static size_t ntx(int64_t h)
{
	return (size_t)(h % 3);
}

/* {block_id, block} as /block returns it. */
static json_t *block_json(struct fake *f, int64_t h)
{
	json_t *j = tc_block_to_json(tc_chain_at(&f->chain, h));
	json_t *sh = json_object_get(j, "signed_header");
	json_t *last, *txs = json_array(), *out;

	if (h > 1) {
		json_t *pj = tc_block_to_json(tc_chain_at(&f->chain, h - 1));

		last = json_incref(json_object_get(json_object_get(pj, "signed_header"), "commit"));
		json_decref(pj);
	} else {
		last = json_pack("{s:s, s:i, s:{s:s, s:{s:i, s:s}}, s:[]}", "height", "0", "round", 0,
				 "block_id", "hash", "", "parts", "total", 0, "hash", "", "signatures");
	}
	for (size_t i = 0; i < ntx(h); i++)
		json_array_append_new(txs, tx_bytes(h, i));
	out = json_pack("{s:O, s:{s:O, s:{s:o}, s:{s:[]}, s:o}}", "block_id",
			json_object_get(json_object_get(sh, "commit"), "block_id"), "block", "header",
			json_object_get(sh, "header"), "data", "txs", txs, "evidence", "evidence",
			"last_commit", last);
	assert_non_null(out);
	json_decref(j);
	return out;
}

static json_t *block_results_json(int64_t h)
{
	json_t *res = ntx(h) ? json_array() : json_null();

	for (size_t i = 0; i < ntx(h); i++)
		json_array_append_new(res, tx_result(h, i));
	return json_pack("{s:o, s:o, s:[], s:n, s:n, s:s}", "height", height_str(h), "txs_results",
			 res, "finalize_block_events", "validator_updates", "consensus_param_updates",
			 "app_hash", "");
}

static int64_t param_height(const json_t *params, int64_t dflt)
{
	const char *s = json_string_value(json_object_get(params, "height"));

	return s ? strtoll(s, NULL, 10) : dflt;
}

static void serve_validators(struct fake *f, const json_t *id, const json_t *params)
{
	int64_t h = param_height(params, f->tip);
	const char *ps = json_string_value(json_object_get(params, "page"));
	const char *pp = json_string_value(json_object_get(params, "per_page"));
	size_t page = ps ? strtoul(ps, NULL, 10) : 1, per = pp ? strtoul(pp, NULL, 10) : 30;
	json_t *j, *all, *slice = json_array();
	const char *set = "validator_set";

	if (h == f->chain.n + 1) {
		h = f->chain.n;
		set = "next_validator_set";
	}
	j = tc_block_to_json(tc_chain_at(&f->chain, h));
	all = json_object_get(json_object_get(j, set), "validators");
	if (per > (size_t)f->per_page)
		per = (size_t)f->per_page;
	for (size_t i = (page - 1) * per; i < page * per && i < json_array_size(all); i++) {
		json_t *v = json_deep_copy(json_array_get(all, i));

		if (f->tamper_power && i == 0)
			json_object_set_new(v, "voting_power", json_string("11"));
		json_array_append_new(slice, v);
	}
	fakenode_reply(f->fn, id, json_pack("{s:o, s:o, s:o, s:o}", "block_height",
					    height_str(param_height(params, f->tip)), "validators",
					    slice, "count", height_str((int64_t)json_array_size(slice)),
					    "total", height_str((int64_t)json_array_size(all))));
	json_decref(j);
}

/* Replaces "$ID" in text with the request id. */
static void send_raw(struct fake *f, const json_t *id, const char *text)
{
	char out[4096];
	const char *at = strstr(text, "$ID");

	if (at)
		snprintf(out, sizeof(out), "%.*s%lld%s", (int)(at - text), text,
			 (long long)json_integer_value(id), at + 3);
	else
		snprintf(out, sizeof(out), "%s", text);
	fakenode_send(f->fn, out, strlen(out));
}

static void handler(void *arg, struct fakenode *fn, const json_t *req)
{
	struct fake *f = arg;
	const char *m = json_string_value(json_object_get(req, "method"));
	const json_t *id = json_object_get(req, "id");
	const json_t *params = json_object_get(req, "params");

	if (!m) {
		return;
	} else if (!strcmp(m, "subscribe")) {
		const char *q = json_string_value(json_object_get(params, "query"));

		if (q && strstr(q, "NewBlock"))
			f->sub_newblock = json_integer_value(id);
		else
			f->sub_tx = json_integer_value(id);
		f->subscribes++;
		fakenode_reply(fn, id, json_object());
	} else if (!strcmp(m, "status")) {
		json_t *v = vector("status.json");
		json_t *r = json_deep_copy(json_object_get(v, "result"));

		json_object_set_new(json_object_get(r, "sync_info"), "latest_block_height",
				    height_str(f->tip));
		fakenode_reply(fn, id, r);
		json_decref(v);
	} else if (!strcmp(m, "commit")) {
		int64_t h = param_height(params, f->tip) + f->commit_off;
		json_t *j = tc_block_to_json(tc_chain_at(&f->chain, h));

		fakenode_reply(fn, id, json_pack("{s:O, s:b}", "signed_header",
						 json_object_get(j, "signed_header"), "canonical", 1));
		json_decref(j);
	} else if (!strcmp(m, "validators")) {
		serve_validators(f, id, params);
	} else if (!strcmp(m, "block")) {
		fakenode_reply(fn, id, block_json(f, param_height(params, f->tip)));
	} else if (!strcmp(m, "block_results")) {
		fakenode_reply(fn, id, block_results_json(param_height(params, f->tip)));
	} else if (!strcmp(m, "abci_query") || !strcmp(m, "broadcast_tx_sync") ||
		   !strcmp(m, "vector_error")) {
		json_t *v = vector(!strcmp(m, "abci_query") ? "abci_query_with_existing_key.json" :
				   !strcmp(m, "broadcast_tx_sync") ? "broadcast_tx_sync.json" :
								    "subscribe_malformed.json");

		json_object_set(v, "id", (json_t *)id);
		fakenode_send_json(fn, v);
		json_decref(v);
	} else if (!strcmp(m, "echo")) {
		fakenode_reply(fn, id, json_pack("{s:O}", "echo", params));
	} else if (!strcmp(m, "hold")) {
		f->held[f->nheld++] = json_pack("{s:O, s:O}", "id", id, "n",
						json_object_get(params, "n"));
		if (f->nheld == f->hold_n) {
			while (f->nheld) {
				json_t *h = f->held[--f->nheld];

				fakenode_reply(fn, json_object_get(h, "id"),
					       json_pack("{s:O}", "n", json_object_get(h, "n")));
				json_decref(h);
			}
		}
	} else if (!strcmp(m, "raw")) {
		json_t *texts = json_object_get(params, "texts");

		for (size_t i = 0; i < json_array_size(texts); i++)
			send_raw(f, id, json_string_value(json_array_get(texts, i)));
	} else if (!strcmp(m, "big")) {
		size_t n = (size_t)json_integer_value(json_object_get(params, "size"));
		char *blob = malloc(n + 1);

		assert_non_null(blob);
		memset(blob, 'x', n);
		blob[n] = 0;
		fakenode_reply(fn, id, json_pack("{s:s}", "blob", blob));
		free(blob);
	}
	/* "hang" and anything else: no reply */
}

/* Events as a node publishes them. */
static void publish_block(struct fake *f, int64_t h)
{
	json_t *b = block_json(f, h);
	json_t *trs = json_array();
	json_t *msg;

	for (size_t i = 0; i < ntx(h); i++)
		json_array_append_new(trs, tx_result(h, i));
	msg = json_pack("{s:s, s:I, s:{s:s, s:{s:s, s:{s:O, s:O, s:{s:[], s:o}}}, s:{s:[s]}}}",
			"jsonrpc", "2.0", "id", (json_int_t)f->sub_newblock, "result", "query",
			"tm.event='NewBlock'", "data", "type", "tendermint/event/NewBlock", "value",
			"block", json_object_get(b, "block"), "block_id",
			json_object_get(b, "block_id"), "result_finalize_block", "events",
			"tx_results", trs, "events", "tm.event", "NewBlock");
	assert_non_null(msg);
	fakenode_send_json(f->fn, msg);
	json_decref(msg);
	json_decref(b);
}

static void publish_tx(struct fake *f, int64_t h, size_t i)
{
	json_t *txr = json_pack("{s:o, s:o, s:o}", "height", height_str(h), "tx", tx_bytes(h, i),
				"result", tx_result(h, i));
	json_t *msg;

	if (i)	/* CometBFT omits a zero index */
		json_object_set_new(txr, "index", json_integer((json_int_t)i));
	msg = json_pack("{s:s, s:I, s:{s:s, s:{s:s, s:{s:o}}, s:{s:[s]}}}", "jsonrpc", "2.0", "id",
			(json_int_t)f->sub_tx, "result", "query", "tm.event='Tx'", "data", "type",
			"tendermint/event/Tx", "value", "TxResult", txr, "events", "tm.event", "Tx");
	assert_non_null(msg);
	fakenode_send_json(f->fn, msg);
	json_decref(msg);
}

static void publish_height(struct fake *f, int64_t h, bool txs_first)
{
	f->tip = h;
	if (txs_first)
		for (size_t i = ntx(h); i-- > 0;)
			publish_tx(f, h, i);
	publish_block(f, h);
	if (!txs_first)
		for (size_t i = 0; i < ntx(h); i++)
			publish_tx(f, h, i);
}

static struct fake *fake_new(int64_t n, int64_t epoch, size_t set_size)
{
	struct fake *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	tc_chain_build(&f->chain, "fake-chain", n, epoch, set_size);
	f->per_page = 100;
	f->hold_n = 5;
	f->fn = fakenode_start(handler, f);
	return f;
}

static void fake_free(struct fake *f)
{
	fakenode_stop(f->fn);
	for (size_t i = 0; i < f->nheld; i++)
		json_decref(f->held[i]);
	tc_chain_free(&f->chain);
	free(f);
}

/* --- client side ---------------------------------------------------------------- */

struct rec {
	enum cmt_event_kind kind;
	int64_t height;
	uint32_t index;
	bool backfilled;
	bool content_ok;
};

struct recorder {
	struct rec r[512];
	size_t n;
	bool decoded;		/* tm_block_from_json accepted the last NewBlock */
};

static void on_event(void *arg, const struct cmt_event *ev)
{
	struct recorder *rc = arg;
	struct rec *r;

	assert_true(rc->n < 512);
	r = &rc->r[rc->n++];
	r->kind = ev->kind;
	r->height = ev->height;
	r->index = ev->tx_index;
	r->backfilled = ev->backfilled;
	if (ev->kind == CMT_EVENT_NEW_BLOCK) {
		struct tm_header hdr;
		struct tm_commit lc;
		json_t *wrap = json_pack("{s:O}", "block", ev->block);
		struct px_err err;

		px_err_clear(&err);
		rc->decoded = tm_block_from_json(&err, &hdr, &lc, wrap);
		if (rc->decoded)
			tm_commit_free(&lc);
		r->content_ok = rc->decoded && hdr.height == ev->height;
		json_decref(wrap);
	} else {
		json_t *want = tx_bytes(ev->height, ev->tx_index);
		json_t *res = json_object_get(ev->tx_result, "result");
		json_t *attr = json_array_get(json_object_get(json_array_get(json_object_get(res, "events"), 0),
							      "attributes"), 0);
		char seq[24];

		snprintf(seq, sizeof(seq), "%lld", (long long)(ev->height * 10 + ev->tx_index));
		r->content_ok = json_equal(want, json_object_get(ev->tx_result, "tx")) &&
				!strcmp(json_string_value(json_object_get(attr, "value")), seq);
		json_decref(want);
	}
}

struct env {
	struct fake *f;
	struct cmt_loop *loop;
	struct cmt_client *c;
	struct recorder rec;
};

static void env_open(struct env *e, struct cmt_client_opts *o)
{
	struct px_err err;

	px_err_clear(&err);
	assert_true(cmt_loop_new(&err, &e->loop));
	o->url = fakenode_url(e->f->fn);
	o->on_event = on_event;
	o->event_arg = &e->rec;
	assert_true(cmt_client_new(&err, &e->c, e->loop, o));
}

static void env_close(struct env *e)
{
	cmt_client_free(e->c);
	cmt_loop_free(e->loop);
	fake_free(e->f);
}

typedef bool (*cond_fn)(struct env *e, void *arg);

static bool pump(struct env *e, cond_fn cond, void *arg, int ms)
{
	int64_t end = now_ms() + ms;

	while (!cond(e, arg)) {
		if (now_ms() > end)
			return false;
		assert_true(cmt_loop_service(e->loop, 10));
	}
	return true;
}

static bool at_height(struct env *e, void *arg)
{
	return cmt_client_height(e->c) >= *(int64_t *)arg;
}

struct reply {
	bool done;
	int code;
	char msg[PX_ERR_MSG_MAX];
	json_t *result;
	int64_t at_ms;
};

static void on_reply(void *arg, const struct px_err *err, const json_t *result)
{
	struct reply *r = arg;

	assert_false(r->done);	/* exactly once */
	r->done = true;
	r->at_ms = now_ms();
	if (err) {
		r->code = err->code;
		snprintf(r->msg, sizeof(r->msg), "%s", err->msg);
	} else {
		r->result = json_incref((json_t *)result);
	}
}

static bool replied(struct env *e, void *arg)
{
	(void)e;
	return ((struct reply *)arg)->done;
}

static void call(struct env *e, struct reply *r, const char *method, json_t *params, uint32_t timeout_ms)
{
	struct px_err err;

	memset(r, 0, sizeof(*r));
	px_err_clear(&err);
	assert_true(cmt_client_call(&err, e->c, NULL, method, params, timeout_ms, on_reply, r));
	assert_true(pump(e, replied, r, 3000));
}

static json_t *raw_params(const char *first, ...)
{
	json_t *texts = json_array();
	va_list ap;

	va_start(ap, first);
	for (const char *t = first; t; t = va_arg(ap, const char *))
		json_array_append_new(texts, json_string(t));
	va_end(ap);
	return json_pack("{s:o}", "texts", texts);
}

/* --- tests --------------------------------------------------------------------- */

static void test_queries(void **state)
{
	struct env e = { .f = fake_new(12, 100, 4) };
	struct cmt_client_opts o = { .request_timeout_ms = 2000 };
	struct px_err err;
	json_t *res;
	const char *s;

	(void)state;
	e.f->tip = 12;
	env_open(&e, &o);
	px_err_clear(&err);
	assert_true(cmt_client_call_sync(&err, &res, e.c, "status", NULL, 0));
	assert_string_equal(json_string_value(json_object_get(json_object_get(res, "sync_info"),
							      "latest_block_height")), "12");
	json_decref(res);

	assert_true(cmt_client_call_sync(&err, &res, e.c, "abci_query",
					 cmt_params_abci_query("/key", (const uint8_t *)"tx0", 3, 0, true), 0));
	assert_true(px_json_get_string(&err, &s, json_object_get(res, "response"), "value"));
	assert_string_equal(s, "dmFsdWU=");
	json_decref(res);

	assert_true(cmt_client_call_sync(&err, &res, e.c, "broadcast_tx_sync",
					 cmt_params_broadcast_tx((const uint8_t *)"abc", 3), 0));
	assert_int_equal(json_integer_value(json_object_get(res, "code")), 0);
	json_decref(res);

	assert_true(cmt_client_call_sync(&err, &res, e.c, "block_results", cmt_params_height(5), 0));
	assert_int_equal(json_array_size(json_object_get(res, "txs_results")), 2);
	json_decref(res);

	/* the id counter goes on; a request the node never answers times out */
	assert_false(cmt_client_call_sync(&err, &res, e.c, "hang", NULL, 150));
	assert_int_equal(err.code, PX_E_RPC);
	assert_null(res);
	env_close(&e);
}

static void test_out_of_order(void **state)
{
	struct env e = { .f = fake_new(4, 100, 4) };
	struct cmt_client_opts o = { 0 };
	struct reply r[5];
	struct px_err err;

	(void)state;
	env_open(&e, &o);
	px_err_clear(&err);
	memset(r, 0, sizeof(r));
	for (int i = 0; i < 5; i++)
		assert_true(cmt_client_call(&err, e.c, NULL, "hold", json_pack("{s:i}", "n", i), 0,
					    on_reply, &r[i]));
	for (int i = 0; i < 5; i++) {
		assert_true(pump(&e, replied, &r[i], 3000));
		assert_int_equal(json_integer_value(json_object_get(r[i].result, "n")), i);
		json_decref(r[i].result);
	}
	/* the node answered the last first */
	assert_true(r[4].at_ms <= r[0].at_ms);
	env_close(&e);
}

static void test_unknown_ids(void **state)
{
	struct env e = { .f = fake_new(4, 100, 4) };
	struct cmt_client_opts o = { 0 };
	struct cmt_stats st;
	struct reply r;

	(void)state;
	env_open(&e, &o);
	call(&e, &r, "raw", raw_params("{\"jsonrpc\":\"2.0\",\"id\":987654,\"result\":{}}",
				       "{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"result\":{}}",
				       "{\"jsonrpc\":\"2.0\",\"result\":{}}",
				       "{\"jsonrpc\":\"2.0\",\"id\":-1,\"result\":{}}",
				       "{\"jsonrpc\":\"2.0\",\"id\":$ID,\"result\":{\"ok\":true}}",
				       "{\"jsonrpc\":\"2.0\",\"id\":$ID,\"result\":{\"again\":true}}", NULL),
	     0);
	assert_int_equal(r.code, 0);
	assert_true(json_is_true(json_object_get(r.result, "ok")));
	json_decref(r.result);
	call(&e, &r, "echo", NULL, 0);	/* after the duplicate reply */
	json_decref(r.result);
	cmt_client_stats(e.c, &st);
	assert_int_equal(st.unknown_ids, 5);
	env_close(&e);
}

static void test_error_reply(void **state)
{
	struct env e = { .f = fake_new(4, 100, 4) };
	struct cmt_client_opts o = { 0 };
	struct reply r;

	(void)state;
	env_open(&e, &o);
	call(&e, &r, "vector_error", NULL, 0);
	assert_int_equal(r.code, PX_E_RPC);
	assert_null(r.result);
	assert_non_null(strstr(r.msg, "-32603"));
	assert_non_null(strstr(r.msg, "Internal error"));
	assert_non_null(strstr(r.msg, "failed to parse query"));
	env_close(&e);
}

static void test_timeout(void **state)
{
	struct env e = { .f = fake_new(4, 100, 4) };
	struct cmt_client_opts o = { 0 };
	struct cmt_stats st;
	struct reply r;
	struct px_err err;
	uint64_t id;
	int64_t t0;
	char late[128];

	(void)state;
	env_open(&e, &o);
	px_err_clear(&err);
	memset(&r, 0, sizeof(r));
	t0 = now_ms();
	assert_true(cmt_client_call(&err, e.c, &id, "hang", NULL, 200, on_reply, &r));
	assert_true(pump(&e, replied, &r, 3000));
	assert_int_equal(r.code, PX_E_RPC);
	assert_non_null(strstr(r.msg, "no reply within 200 ms"));
	assert_true(r.at_ms - t0 >= 195 && r.at_ms - t0 < 1500);
	/* the late reply finds nobody waiting */
	snprintf(late, sizeof(late), "{\"jsonrpc\":\"2.0\",\"id\":%llu,\"result\":{}}",
		 (unsigned long long)id);
	fakenode_send(e.f->fn, late, strlen(late));
	call(&e, &r, "echo", NULL, 0);
	assert_int_equal(r.code, 0);
	json_decref(r.result);
	cmt_client_stats(e.c, &st);
	assert_int_equal(st.timeouts, 1);
	assert_int_equal(st.unknown_ids, 1);
	/* a cancelled request never calls back */
	memset(&r, 0, sizeof(r));
	assert_true(cmt_client_call(&err, e.c, &id, "hang", NULL, 50, on_reply, &r));
	assert_true(cmt_client_cancel(e.c, id));
	assert_false(cmt_client_cancel(e.c, id));
	assert_false(pump(&e, replied, &r, 200));
	env_close(&e);
}

static void test_malformed(void **state)
{
	struct env e = { .f = fake_new(4, 100, 4) };
	struct cmt_client_opts o = { 0 };
	struct cmt_stats st;
	struct reply r;

	(void)state;
	env_open(&e, &o);
	call(&e, &r, "raw", raw_params("{\"jsonrpc\":\"2.0\",\"id\":$ID,\"result\":{\"a\":", NULL), 0);
	assert_int_equal(r.code, PX_E_JSON);
	call(&e, &r, "raw", raw_params("{\"jsonrpc\":\"2.0\",\"id\":$ID}", NULL), 0);
	assert_int_equal(r.code, PX_E_JSON);
	assert_non_null(strstr(r.msg, "neither result nor error"));
	call(&e, &r, "raw", raw_params("{\"id\":$ID,\"id\":$ID,\"result\":{}}", NULL), 0);
	assert_int_equal(r.code, PX_E_JSON);	/* duplicate keys are refused */
	call(&e, &r, "raw", raw_params("not json", "[1,2]", "\"id\":", "{\"result\":{\"data\":{\"type\":\"tendermint/event/NewBlock\",\"value\":7}}}",
				       "{\"result\":{\"data\":{\"type\":\"tendermint/event/Tx\",\"value\":{\"TxResult\":{\"height\":\"x\"}}}}}",
				       "{\"jsonrpc\":\"2.0\",\"id\":$ID,\"result\":{\"fine\":1}}", NULL),
	     0);
	assert_int_equal(r.code, 0);
	json_decref(r.result);
	cmt_client_stats(e.c, &st);
	assert_int_equal(st.malformed, 7);
	assert_int_equal(st.connects, 1);
	env_close(&e);
}

static void test_oversized(void **state)
{
	struct env e = { .f = fake_new(4, 100, 4) };
	struct cmt_client_opts o = { .max_message = 64 * 1024 };
	struct cmt_stats st;
	struct reply r;

	(void)state;
	env_open(&e, &o);
	call(&e, &r, "big", json_pack("{s:i}", "size", 300 * 1024), 0);
	assert_int_equal(r.code, PX_E_TOO_LARGE);
	call(&e, &r, "big", json_pack("{s:i}", "size", 60 * 1024), 0);
	assert_int_equal(r.code, 0);
	assert_int_equal(json_string_length(json_object_get(r.result, "blob")), 60 * 1024);
	json_decref(r.result);
	cmt_client_stats(e.c, &st);
	assert_int_equal(st.oversized, 1);
	assert_int_equal(st.connects, 1);
	env_close(&e);
}

/* Heights lo..hi each exactly once, in order, each NewBlock followed by its
 * txs by index, with the content the node published. */
static void check_stream(const struct recorder *rc, int64_t lo, int64_t hi)
{
	size_t k = 0;

	for (int64_t h = lo; h <= hi; h++) {
		assert_true(k < rc->n);
		assert_int_equal(rc->r[k].kind, CMT_EVENT_NEW_BLOCK);
		assert_int_equal(rc->r[k].height, h);
		assert_true(rc->r[k].content_ok);
		k++;
		for (size_t i = 0; i < ntx(h); i++, k++) {
			assert_true(k < rc->n);
			assert_int_equal(rc->r[k].kind, CMT_EVENT_TX);
			assert_int_equal(rc->r[k].height, h);
			assert_int_equal(rc->r[k].index, i);
			assert_true(rc->r[k].content_ok);
		}
	}
	assert_int_equal(k, rc->n);
}

static const struct rec *find_block(const struct recorder *rc, int64_t h)
{
	for (size_t i = 0; i < rc->n; i++)
		if (rc->r[i].kind == CMT_EVENT_NEW_BLOCK && rc->r[i].height == h)
			return &rc->r[i];
	return NULL;
}

static bool subscribed_n(struct env *e, void *arg)
{
	return e->f->subscribes >= *(int *)arg && cmt_client_state(e->c) == CMT_CONNECTED;
}

static void test_reconnect_backfill(void **state)
{
	struct env e = { .f = fake_new(40, 1000, 4) };
	struct cmt_client_opts o = { .subscribe = true, .backoff_min_ms = 50, .backoff_max_ms = 200,
				     .tx_wait_ms = 300, .request_timeout_ms = 2000 };
	struct cmt_stats st;
	int64_t want;
	int subs = 2;

	(void)state;
	e.f->tip = 3;
	env_open(&e, &o);
	assert_true(pump(&e, subscribed_n, &subs, 3000));
	assert_int_equal(cmt_client_height(e.c), 3);	/* live from the node's latest */
	for (int64_t h = 4; h <= 10; h++)
		publish_height(e.f, h, h == 8);		/* 8: Tx events before the block */
	want = 10;
	assert_true(pump(&e, at_height, &want, 3000));
	/* 11 arrives in part, then the socket drops mid-stream */
	e.f->tip = 11;
	publish_block(e.f, 11);
	publish_tx(e.f, 11, 0);
	fakenode_drop(e.f->fn);
	e.f->tip = 16;		/* 12..16 happen while the client is away */
	subs = 4;
	assert_true(pump(&e, subscribed_n, &subs, 3000));
	want = 16;
	assert_true(pump(&e, at_height, &want, 3000));
	publish_height(e.f, 16, false);	/* a duplicate, dropped */
	for (int64_t h = 17; h <= 20; h++)
		publish_height(e.f, h, false);
	want = 20;
	assert_true(pump(&e, at_height, &want, 3000));
	check_stream(&e.rec, 4, 20);
	for (int64_t h = 4; h <= 20; h++)
		assert_int_equal(find_block(&e.rec, h)->backfilled, h >= 12 && h <= 16);
	cmt_client_stats(e.c, &st);
	assert_int_equal(st.connects, 2);
	assert_int_equal(st.disconnects, 1);
	assert_int_equal(st.backfilled, 5);
	assert_int_equal(st.delivered, 17);
	assert_true(st.duplicates >= 1);
	env_close(&e);
}

static void test_start_height(void **state)
{
	struct env e = { .f = fake_new(40, 1000, 4) };
	struct cmt_client_opts o = { .subscribe = true, .start_height = 5, .tx_wait_ms = 300 };
	int64_t want = 30;

	(void)state;
	e.f->tip = 30;		/* 25 heights behind: more than the fetch limit at once */
	env_open(&e, &o);
	assert_true(pump(&e, at_height, &want, 4000));
	publish_height(e.f, 31, false);
	want = 31;
	assert_true(pump(&e, at_height, &want, 3000));
	check_stream(&e.rec, 6, 31);
	assert_true(find_block(&e.rec, 6)->backfilled);
	assert_false(find_block(&e.rec, 31)->backfilled);
	env_close(&e);
}

static void test_vector_event(void **state)
{
	struct env e = { .f = fake_new(4, 100, 4) };
	struct cmt_client_opts o = { .subscribe = true };
	json_t *v = vector("subscribe_newblock_0.json");
	int64_t want = 235;
	int subs = 2;
	char *text = json_dumps(v, JSON_COMPACT);

	(void)state;
	e.f->tip = 234;
	env_open(&e, &o);
	assert_true(pump(&e, subscribed_n, &subs, 3000));
	/* a real 0.38 NewBlock with a uuid for its id */
	fakenode_send(e.f->fn, text, strlen(text));
	assert_true(pump(&e, at_height, &want, 3000));
	assert_int_equal(e.rec.n, 1);
	assert_int_equal(e.rec.r[0].height, 235);
	assert_true(e.rec.decoded);
	free(text);
	json_decref(v);
	env_close(&e);
}

static void reenter(void *arg, const struct px_err *err, const json_t *result)
{
	struct env *e = arg;
	json_t *res;
	struct px_err rerr;

	(void)err;
	(void)result;
	px_err_clear(&rerr);
	assert_false(cmt_client_call_sync(&rerr, &res, e->c, "status", NULL, 0));
	assert_int_equal(rerr.code, PX_E_USAGE);
	assert_false(cmt_loop_service(e->loop, 0));
	e->rec.decoded = true;
}

static bool flag_set(struct env *e, void *arg)
{
	(void)arg;
	return e->rec.decoded;
}

static void test_provider(void **state)
{
	struct env e = { .f = fake_new(20, 5, 8) };
	struct cmt_client_opts o = { .request_timeout_ms = 3000 };
	struct tm_light_block lb;
	struct tm_trusted trusted, next;
	struct tm_trace tr;
	struct tm_options opts;
	struct tm_provider p;
	struct px_time now = tc_time(TC_T0 + 10 * 20 + 60);
	struct px_err err;
	json_t *vals;

	(void)state;
	e.f->tip = 20;
	e.f->per_page = 3;	/* 8 validators: pages of 3, 3, 2 */
	env_open(&e, &o);
	tm_options_default(&opts);
	px_err_clear(&err);

	assert_true(cmt_validators_fetch(&err, &vals, e.c, 7, 0));
	assert_int_equal(json_array_size(vals), 8);
	json_decref(vals);

	assert_true(cmt_light_block_fetch(&err, &lb, e.c, 10, 0));
	assert_int_equal(lb.signed_header.header.height, 10);
	assert_int_equal(lb.validators.len, 8);
	assert_true(lb.has_next_validators);
	assert_true(tm_trust_anchor(&err, &trusted, tc_chain_at(&e.f->chain, 9)));
	assert_true(tm_verify(&err, &next, &trusted, &lb, &opts, now));
	tm_trusted_free(&next);
	tm_light_block_free(&lb);

	/* the latest block, and one past the chain's validators (h + 1) */
	assert_true(cmt_light_block_fetch(&err, &lb, e.c, 0, 0));
	assert_int_equal(lb.signed_header.header.height, 20);
	tm_light_block_free(&lb);
	tm_trusted_free(&trusted);

	/* bisection from height 1 to 20 over the network */
	assert_true(tm_trust_anchor(&err, &trusted, tc_chain_at(&e.f->chain, 1)));
	p = cmt_client_provider(e.c);
	assert_true(tm_bisect(&err, &tr, &trusted, &p, 20, &opts, now, 0));
	assert_int_equal(tr.blocks[tr.len - 1].signed_header.header.height, 20);
	assert_true(tr.len >= 2);
	tm_trace_free(&tr);

	/* a node that lies about a voting power is caught by the light client */
	e.f->tamper_power = 1;
	assert_false(tm_bisect(&err, &tr, &trusted, &p, 20, &opts, now, 0));
	assert_true(err.code >= 300 && err.code < 400);
	e.f->tamper_power = 0;

	/* a commit for another height is refused by the provider */
	e.f->commit_off = 1;
	px_err_clear(&err);
	assert_false(cmt_light_block_fetch(&err, &lb, e.c, 10, 0));
	assert_int_equal(err.code, PX_E_RPC);
	e.f->commit_off = 0;
	tm_trusted_free(&trusted);

	/* blocking from inside a callback is refused, not deadlocked */
	assert_true(cmt_client_call(&err, e.c, NULL, "echo", NULL, 0, reenter, &e));
	assert_true(pump(&e, flag_set, NULL, 3000));
	env_close(&e);
}

static void test_bad_urls(void **state)
{
	struct cmt_loop *loop;
	struct cmt_client *c;
	struct px_err err;
	const char *bad[] = { "http://x:1/", "ws://", "ws://h:0/", "ws://h:65536/", "ws://h:12a/",
			      "ws://[::1/", "ws://h:-1/" };

	(void)state;
	px_err_clear(&err);
	assert_true(cmt_loop_new(&err, &loop));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cmt_client_opts o = { .url = bad[i] };

		px_err_clear(&err);
		assert_false(cmt_client_new(&err, &c, loop, &o));
		assert_int_equal(err.code, PX_E_CONFIG);
		assert_null(c);
	}
	cmt_loop_free(loop);
}

static void count_event(void *arg, const struct cmt_event *ev)
{
	if (ev->kind == CMT_EVENT_NEW_BLOCK)
		(*(int64_t *)arg) = ev->height;
}

/* Heights near INT64_MAX are refused (they overflowed last + 1 before; a
 * finding of fuzz_cmt_message); the same event at a normal height is
 * delivered. Offline client, messages fed directly. */
static void test_height_cap(void **state)
{
	static const char fmt[] = "{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":{\"data\":{"
				  "\"type\":\"tendermint/event/NewBlock\",\"value\":{\"block\":"
				  "{\"header\":{\"height\":\"%s\"},\"data\":{\"txs\":[]}}}}}}";
	const char *heights[] = { "9223372036854775807", "4611686018427387904", "12" };
	struct cmt_client_opts o = { .url = "ws://127.0.0.1:1/", .subscribe = true };
	struct cmt_client *c;
	struct cmt_stats st;
	struct px_err err;
	int64_t got = 0;
	char msg[512];

	(void)state;
	o.on_event = count_event;
	o.event_arg = &got;
	px_err_clear(&err);
	o.start_height = CMT_HEIGHT_MAX + 1;
	assert_false(cmt_client_new_offline(&err, &c, &o));
	assert_int_equal(err.code, PX_E_CONFIG);
	o.start_height = 0;
	assert_true(cmt_client_new_offline(&err, &c, &o));
	for (size_t i = 0; i < 3; i++) {
		snprintf(msg, sizeof(msg), fmt, heights[i]);
		cmt_client_feed(c, (const uint8_t *)msg, strlen(msg));
	}
	cmt_client_stats(c, &st);
	assert_int_equal(st.malformed, 2);
	assert_int_equal(st.delivered, 1);
	assert_int_equal(got, 12);
	assert_int_equal(cmt_client_height(c), 12);
	cmt_client_free(c);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_urls),
		cmocka_unit_test(test_height_cap),
		cmocka_unit_test(test_queries),
		cmocka_unit_test(test_out_of_order),
		cmocka_unit_test(test_unknown_ids),
		cmocka_unit_test(test_error_reply),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_oversized),
		cmocka_unit_test(test_vector_event),
		cmocka_unit_test(test_reconnect_backfill),
		cmocka_unit_test(test_start_height),
		cmocka_unit_test(test_provider),
	};
	struct stat st;

	if (argc < 2 || stat(argv[1], &st) || !S_ISDIR(st.st_mode)) {
		printf("skipped: no CometBFT RPC vectors at %s\n", argc < 2 ? "(no path)" : argv[1]);
		return 77;
	}
	vdir = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
