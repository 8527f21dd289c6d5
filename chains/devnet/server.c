/* libwebsockets transport of the devnet RPC (see server.h). One protocol
 * handles both HTTP and websocket connections, so clients need neither a
 * subprotocol nor a second port. Responses are built whole (they are
 * small) and written in chunks when the socket is writable. */
#include "chains/devnet/server.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libwebsockets.h>

#include "chains/devnet/rpc.h"
#include "chains/devnet/server_subs.h"
#include "common/buf.h"
#include "common/encoding.h"
#include "common/json.h"
#include "common/log.h"
#include "common/number.h"

#define MOD "devnet"
#define WRITE_CHUNK 65536
#define MAX_ARGS 16
#define MAX_ARG_LEN 16384

struct out_msg {
	struct out_msg *next;
	int64_t due_ms;		/* delay_ms fault: not sent before */
	size_t len;
	unsigned char data[];	/* LWS_PRE bytes, then the message */
};

/* Per connection; lws allocates it zeroed. */
struct pss {
	struct lws *wsi;
	/* HTTP */
	struct px_buf body;
	bool too_large;
	unsigned char *resp;	/* LWS_PRE + resp_len bytes */
	size_t resp_len, resp_off;
	bool close_after;
	/* delay_ms fault: the HTTP response held back, or (websocket) the
	 * wake-up for the next due message */
	lws_sorted_usec_list_t delay_sul;
	json_t *delayed;	/* owned */
	unsigned int delayed_status;
	/* websocket */
	bool is_ws;
	struct px_buf rx;
	bool rx_too_large;
	struct out_msg *head, *tail;
	size_t queued;
	uint64_t n_msgs;	/* outgoing messages, for the drop_ws=N fault */
	struct subs subs;
	struct pss *next_ws;
};

/* A broadcast_tx_commit waiting for its block. */
struct waiter {
	struct waiter *next;
	struct pss *p;
	json_t *response;	/* the whole response, its result pending; owned */
	int64_t deadline_ms;
};

static struct {
	struct lws_context *ctx;
	struct waiter *waiters;
	lws_sorted_usec_list_t wsul;
	struct devnet_rpc rpc;
	struct pss *ws;
	int n_ws;
	lws_sorted_usec_list_t sul;
	uint64_t block_time_ms;
} S;

void devnet_server_wake(void)
{
	if (S.ctx)
		lws_cancel_service(S.ctx);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool waiter_add(struct pss *p, json_t *response)
{
	struct waiter *w = calloc(1, sizeof(*w));

	if (!w)
		return false;
	w->p = p;
	w->response = response;
	w->deadline_ms = now_ms() + DEVNET_RPC_COMMIT_TIMEOUT_MS;
	w->next = S.waiters;
	S.waiters = w;
	return true;
}

/* Forgets the waiters of a closed connection. */
static void waiters_drop(const struct pss *p)
{
	struct waiter **pp = &S.waiters;

	while (*pp) {
		struct waiter *w = *pp;

		if (w->p == p) {
			*pp = w->next;
			json_decref(w->response);
			free(w);
		} else {
			pp = &w->next;
		}
	}
}

static char *dump(const json_t *v, size_t *len)
{
	char *s = v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS) : NULL;

	*len = s ? strlen(s) : 0;
	return s;
}

static uint64_t fault_delay_ms(void)
{
	return S.rpc.faults ? S.rpc.faults->delay_ms : 0;
}

/* The drop_ws fault: closes every websocket connection, once. */
static void faults_drop_ws(void)
{
	if (!S.rpc.faults || !S.rpc.faults->drop_ws_now)
		return;
	S.rpc.faults->drop_ws_now = false;
	px_info(MOD, "fault drop_ws: closing %d websocket connections", S.n_ws);
	for (struct pss *p = S.ws; p; p = p->next_ws)
		lws_set_timeout(p->wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
}

/* ---- HTTP ---- */

static int http_send(struct pss *p, unsigned int status, json_t *doc);

static void delay_fire(lws_sorted_usec_list_t *sul)
{
	struct pss *p = lws_container_of(sul, struct pss, delay_sul);
	json_t *doc = p->delayed;

	if (p->is_ws) {
		lws_callback_on_writable(p->wsi);
		return;
	}
	p->delayed = NULL;
	if (doc && http_send(p, p->delayed_status, doc) != 0)
		lws_set_timeout(p->wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
}

/* Sends doc (stolen) now, or after the delay_ms fault's delay. */
static int http_respond(struct pss *p, unsigned int status, json_t *doc)
{
	uint64_t delay = fault_delay_ms();

	if (!delay || !doc)
		return http_send(p, status, doc);
	json_decref(p->delayed);
	p->delayed = doc;
	p->delayed_status = status;
	lws_sul_schedule(S.ctx, 0, &p->delay_sul, delay_fire, (lws_usec_t)delay * LWS_US_PER_MS);
	return 0;
}

static int http_send(struct pss *p, unsigned int status, json_t *doc)
{
	unsigned char hdr[LWS_PRE + 512], *start = hdr + LWS_PRE, *pos = start,
		      *end = hdr + sizeof(hdr) - 1;
	size_t len;
	char *text = dump(doc, &len);

	json_decref(doc);
	if (!text)
		return -1;
	free(p->resp);
	p->resp = malloc(LWS_PRE + len + 1);
	if (!p->resp) {
		free(text);
		return -1;
	}
	memcpy(p->resp + LWS_PRE, text, len);
	p->resp[LWS_PRE + len] = '\n';
	p->resp_len = len + 1;
	p->resp_off = 0;
	free(text);
	if (lws_add_http_common_headers(p->wsi, status, "application/json", p->resp_len, &pos, end) ||
	    lws_finalize_write_http_header(p->wsi, start, &pos, end))
		return -1;
	lws_callback_on_writable(p->wsi);
	return 0;
}

static int http_error(struct pss *p, unsigned int status, int code, const char *data)
{
	return http_respond(p, status, devnet_rpc_error_response(NULL, code, data));
}

/* A GET argument value: "quoted" strings lose their quotes; for `data`, a
 * quoted string is raw bytes and becomes hex, 0x... stays hex. */
static json_t *arg_value(const char *name, const char *v)
{
	size_t len = strlen(v);

	if (len >= 2 && v[0] == '"' && v[len - 1] == '"') {
		if (strcmp(name, "data") == 0) {
			char *hex = malloc(2 * len + 1);
			json_t *r;

			if (!hex)
				return NULL;
			px_hex_encode(hex, 2 * len + 1, (const uint8_t *)v + 1, len - 2, false);
			r = json_string(hex);
			free(hex);
			return r;
		}
		return json_stringn(v + 1, len - 2);
	}
	return json_stringn(v, len);
}

static int http_get(struct pss *p, const char *path)
{
	struct devnet_rpc_error e;
	json_t *params = json_object(), *res;
	char *arg = malloc(MAX_ARG_LEN);
	int n;

	if (!params || !arg) {
		json_decref(params);
		free(arg);
		return -1;
	}
	for (int i = 0; i < MAX_ARGS + 1; i++) {
		char *eq;

		n = lws_hdr_copy_fragment(p->wsi, arg, MAX_ARG_LEN, WSI_TOKEN_HTTP_URI_ARGS, i);
		if (n < 0)
			break;
		if (i == MAX_ARGS) {
			json_decref(params);
			free(arg);
			return http_error(p, 400, DEVNET_RPC_INVALID_PARAMS, "too many arguments");
		}
		eq = strchr(arg, '=');
		if (!eq)
			continue;
		*eq = 0;
		if (json_object_set_new(params, arg, arg_value(arg, eq + 1)) != 0) {
			json_decref(params);
			free(arg);
			return http_error(p, 400, DEVNET_RPC_INVALID_PARAMS, "bad argument");
		}
	}
	free(arg);
	if (strcmp(path, "/") == 0 || strcmp(path, "/subscribe") == 0 ||
	    strcmp(path, "/unsubscribe") == 0) {
		json_decref(params);
		return http_error(p, 404, DEVNET_RPC_METHOD_NOT_FOUND,
				  "use POST / for JSON-RPC and a websocket for subscriptions");
	}
	res = devnet_rpc_call(&S.rpc, &e, path + 1, params);
	json_decref(params);
	faults_drop_ws();
	if (!res)
		return http_respond(p, e.code == DEVNET_RPC_METHOD_NOT_FOUND ? 404 : 200,
				    devnet_rpc_error_response(NULL, e.code, e.data));
	res = devnet_rpc_result_response(NULL, res);
	if (e.pending && res && waiter_add(p, res))
		return 0;
	return http_respond(p, 200, res);
}

static int http_post_done(struct pss *p)
{
	struct px_err err = { 0 };
	json_t *req, *res;
	bool pending = false;

	if (p->too_large) {
		char msg[96];

		p->close_after = true;
		snprintf(msg, sizeof(msg), "request body larger than %u bytes", DEVNET_SERVER_MAX_BODY);
		return http_error(p, 413, DEVNET_RPC_INVALID_REQUEST, msg);
	}
	req = px_json_load_buf(&err, p->body.data ? (const char *)p->body.data : "", p->body.len);
	px_buf_free(&p->body);
	if (!req)
		return http_error(p, 500, DEVNET_RPC_PARSE_ERROR, err.msg);
	if (json_is_array(req))
		res = devnet_rpc_error_response(NULL, DEVNET_RPC_INVALID_REQUEST,
						"batch requests are not served by the devnet");
	else
		res = devnet_rpc_handle_ex(&S.rpc, req, &pending);
	json_decref(req);
	faults_drop_ws();
	if (pending && res && waiter_add(p, res))
		return 0;	/* answered when the block arrives */
	return http_respond(p, 200, res);
}

static int http_writable(struct pss *p)
{
	size_t left = p->resp_len - p->resp_off, n = left < WRITE_CHUNK ? left : WRITE_CHUNK;
	enum lws_write_protocol wp = n == left ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP;

	if (!p->resp)
		return 0;
	/* lws_write needs LWS_PRE writable bytes before the data: the chunk
	 * before this one (already sent) or the reserved prefix. */
	if (lws_write(p->wsi, p->resp + LWS_PRE + p->resp_off, n, wp) != (int)n)
		return -1;
	p->resp_off += n;
	if (p->resp_off < p->resp_len) {
		lws_callback_on_writable(p->wsi);
		return 0;
	}
	free(p->resp);
	p->resp = NULL;
	if (p->close_after)
		return -1;
	return lws_http_transaction_completed(p->wsi) ? -1 : 0;
}

/* ---- websocket ---- */

static bool ws_queue(struct pss *p, const json_t *doc)
{
	size_t len;
	char *text = dump(doc, &len);
	struct out_msg *m;

	if (!text)
		return false;
	if (S.rpc.faults && S.rpc.faults->drop_ws_every &&
	    ++p->n_msgs % S.rpc.faults->drop_ws_every == 0) {
		free(text);
		px_info(MOD, "fault drop_ws: closing a websocket connection");
		return false;
	}
	if (p->queued + len > DEVNET_SERVER_MAX_QUEUE) {
		free(text);
		px_warn(MOD, "websocket client too slow: disconnecting");
		return false;
	}
	m = malloc(sizeof(*m) + LWS_PRE + len);
	if (!m) {
		free(text);
		return false;
	}
	m->next = NULL;
	m->due_ms = now_ms() + (int64_t)fault_delay_ms();
	m->len = len;
	memcpy(m->data + LWS_PRE, text, len);
	free(text);
	if (p->tail)
		p->tail->next = m;
	else
		p->head = m;
	p->tail = m;
	p->queued += len;
	lws_callback_on_writable(p->wsi);
	return true;
}

static bool ws_message(struct pss *p)
{
	struct px_err err = { 0 };
	struct devnet_rpc_error e = { 0 };
	json_t *req, *res = NULL, *r;
	const json_t *id, *m;
	bool ok;

	if (p->rx_too_large) {
		snprintf(e.data, sizeof(e.data), "message larger than %u bytes",
			 DEVNET_SERVER_MAX_BODY);
		res = devnet_rpc_error_response(NULL, DEVNET_RPC_INVALID_REQUEST, e.data);
		ws_queue(p, res);
		json_decref(res);
		return false;
	}
	req = px_json_load_buf(&err, p->rx.data ? (const char *)p->rx.data : "", p->rx.len);
	px_buf_reset(&p->rx);
	if (!req) {
		res = devnet_rpc_error_response(NULL, DEVNET_RPC_PARSE_ERROR, err.msg);
		goto send;
	}
	id = json_object_get(req, "id");
	m = json_object_get(req, "method");
	if (json_is_object(req) && json_is_string(m) &&
	    (strcmp(json_string_value(m), "subscribe") == 0 ||
	     strcmp(json_string_value(m), "unsubscribe") == 0 ||
	     strcmp(json_string_value(m), "unsubscribe_all") == 0)) {
		const char *name = json_string_value(m);
		const json_t *params = json_object_get(req, "params");

		if (strcmp(name, "subscribe") == 0)
			r = subs_subscribe(&p->subs, id, params, &e);
		else
			r = subs_unsubscribe(&p->subs, params, strcmp(name, "unsubscribe_all") == 0, &e);
		res = r ? devnet_rpc_result_response(id, r) :
			  devnet_rpc_error_response(id, e.code, e.data);
	} else {
		bool pending = false;

		res = devnet_rpc_handle_ex(&S.rpc, req, &pending);
		if (pending && res && waiter_add(p, res)) {
			json_decref(req);
			return true;
		}
	}
	json_decref(req);
send:
	ok = res && ws_queue(p, res);
	json_decref(res);
	faults_drop_ws();
	return ok;
}

static int ws_writable(struct pss *p)
{
	struct out_msg *m = p->head;

	if (!m)
		return 0;
	if (m->due_ms > now_ms()) {
		lws_sul_schedule(S.ctx, 0, &p->delay_sul, delay_fire,
				 (lws_usec_t)(m->due_ms - now_ms()) * LWS_US_PER_MS);
		return 0;
	}
	if (lws_write(p->wsi, m->data + LWS_PRE, m->len, LWS_WRITE_TEXT) < (int)m->len)
		return -1;
	p->head = m->next;
	if (!p->head)
		p->tail = NULL;
	p->queued -= m->len;
	free(m);
	if (p->head)
		lws_callback_on_writable(p->wsi);
	return 0;
}

static void ws_closed(struct pss *p)
{
	struct pss **pp = &S.ws;

	while (*pp && *pp != p)
		pp = &(*pp)->next_ws;
	if (*pp) {
		*pp = p->next_ws;
		S.n_ws--;
	}
	while (p->head) {
		struct out_msg *m = p->head;

		p->head = m->next;
		free(m);
	}
	p->tail = NULL;
	subs_clear(&p->subs);
	px_buf_free(&p->rx);
}

/* Sends the NewBlock event of height to every subscriber; a client whose
 * queue overflows is closed. */
static void broadcast_new_block(int64_t height)
{
	json_t *ev = NULL;

	for (struct pss *p = S.ws; p; p = p->next_ws) {
		for (size_t i = 0; i < p->subs.n; i++) {
			json_t *msg;

			if (strcmp(p->subs.s[i].event, "NewBlock") != 0)
				continue;
			if (!ev && !(ev = devnet_rpc_new_block_event(&S.rpc, height,
								     "tm.event = 'NewBlock'"))) {
				px_error(MOD, "NewBlock event %" PRId64 ": out of memory", height);
				return;
			}
			msg = devnet_rpc_result_response(p->subs.s[i].id, json_incref(ev));
			if (!msg || !ws_queue(p, msg))
				lws_set_timeout(p->wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
			json_decref(msg);
		}
	}
	json_decref(ev);
}

/* Sends the Tx events of height's transactions to their subscribers. */
static void broadcast_txs(int64_t height)
{
	json_t *evs = NULL;

	for (struct pss *p = S.ws; p; p = p->next_ws) {
		for (size_t i = 0; i < p->subs.n; i++) {
			size_t k;
			json_t *ev;

			if (strcmp(p->subs.s[i].event, "Tx") != 0)
				continue;
			if (!evs && !(evs = devnet_rpc_tx_events(&S.rpc, height))) {
				px_error(MOD, "Tx events %" PRId64 ": out of memory", height);
				return;
			}
			json_array_foreach(evs, k, ev) {
				json_t *msg = devnet_rpc_result_response(p->subs.s[i].id, json_incref(ev));
				bool ok = msg && ws_queue(p, msg);

				json_decref(msg);
				if (!ok) {
					lws_set_timeout(p->wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
					break;
				}
			}
		}
	}
	json_decref(evs);
}

static void answer(struct waiter *w)
{
	if (w->p->is_ws) {
		if (!ws_queue(w->p, w->response))
			lws_set_timeout(w->p->wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
		json_decref(w->response);
	} else if (http_respond(w->p, 200, w->response) != 0) {
		lws_set_timeout(w->p->wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
	}
	w->response = NULL;
}

/* Answers the broadcast_tx_commit calls whose transaction is now stored,
 * and those that waited too long (CometBFT's timeout error). */
static void waiters_poll(bool after_block)
{
	struct waiter **pp = &S.waiters;
	int64_t now = now_ms();

	while (*pp) {
		struct waiter *w = *pp;
		json_t *result = json_object_get(w->response, "result");

		if (after_block && devnet_rpc_commit_poll(&S.rpc, result)) {
			answer(w);
		} else if (now >= w->deadline_ms) {
			json_t *id = json_incref(json_object_get(w->response, "id"));

			json_decref(w->response);
			w->response = devnet_rpc_error_response(
				id, DEVNET_RPC_INTERNAL,
				"timed out waiting for tx to be included in a block");
			json_decref(id);
			if (w->response)
				answer(w);
		} else {
			pp = &w->next;
			continue;
		}
		*pp = w->next;
		json_decref(w->response);
		free(w);
	}
}

static void waiters_tick(lws_sorted_usec_list_t *sul)
{
	waiters_poll(false);
	lws_sul_schedule(S.ctx, 0, sul, waiters_tick, 200 * LWS_US_PER_MS);
}

/* ---- the callback ---- */

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		    size_t len)
{
	struct pss *p = user;
	char num[32];
	uint64_t clen;
	int n;
	struct px_err nerr = { 0 };

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		p->wsi = wsi;
		if (lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI) > 0) {
			n = lws_hdr_copy(wsi, num, sizeof(num), WSI_TOKEN_HTTP_CONTENT_LENGTH);
			if (n > 0 && px_parse_u64(&nerr, &clen, num, (size_t)n) &&
			    clen > DEVNET_SERVER_MAX_BODY)
				p->too_large = true;
			if (strcmp((const char *)in, "/") != 0) {
				p->close_after = true;
				return http_error(p, 404, DEVNET_RPC_METHOD_NOT_FOUND,
						  "POST JSON-RPC requests to /");
			}
			return 0;	/* the body follows */
		}
		return http_get(p, (const char *)in);
	case LWS_CALLBACK_HTTP_BODY:
		if (p->close_after)
			return 0;
		if (p->too_large || p->body.len + len > DEVNET_SERVER_MAX_BODY) {
			p->too_large = true;
			px_buf_free(&p->body);
			return 0;
		}
		px_buf_append(&p->body, in, len);
		return px_buf_ok(&p->body) ? 0 : -1;
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		if (p->close_after)
			return 0;
		return http_post_done(p);
	case LWS_CALLBACK_HTTP_WRITEABLE:
		return http_writable(p);
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
	case LWS_CALLBACK_CLOSED_HTTP:
		if (!p)	/* closed before any request: no per-session data */
			return 0;
		waiters_drop(p);
		lws_sul_cancel(&p->delay_sul);
		json_decref(p->delayed);
		p->delayed = NULL;
		px_buf_free(&p->body);
		free(p->resp);
		p->resp = NULL;
		return 0;
	case LWS_CALLBACK_ESTABLISHED:
		if (S.n_ws >= DEVNET_SERVER_MAX_WS) {
			px_warn(MOD, "refusing websocket client: %d connected", S.n_ws);
			return -1;
		}
		p->wsi = wsi;
		p->is_ws = true;
		p->next_ws = S.ws;
		S.ws = p;
		S.n_ws++;
		return 0;
	case LWS_CALLBACK_RECEIVE:
		if (!p->rx_too_large && p->rx.len + len <= DEVNET_SERVER_MAX_BODY)
			px_buf_append(&p->rx, in, len);
		else
			p->rx_too_large = true;
		if (!px_buf_ok(&p->rx))
			return -1;
		if (lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0) {
			if (!ws_message(p))
				lws_set_timeout(wsi, PENDING_TIMEOUT_CLOSE_SEND, 1);
		}
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return ws_writable(p);
	case LWS_CALLBACK_CLOSED:
		waiters_drop(p);
		lws_sul_cancel(&p->delay_sul);
		if (p->is_ws)
			ws_closed(p);
		return 0;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
	{ "cometbft-rpc", callback, sizeof(struct pss), 65536, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 },
};

/* ---- blocks ---- */

static void block_tick(lws_sorted_usec_list_t *sul)
{
	struct px_err err = { 0 };
	struct timespec ts;
	struct px_time now;

	clock_gettime(CLOCK_REALTIME, &ts);
	now.seconds = ts.tv_sec;
	now.nanos = (int32_t)ts.tv_nsec;
	if (!devnet_node_produce(&err, S.rpc.node, now)) {
		px_error(MOD, "block %" PRId64 ": %s (%s); retrying",
			 devnet_node_height(S.rpc.node) + 1, err.msg, px_code_name(err.code));
	} else {
		const struct devnet_block *b = devnet_node_latest(S.rpc.node);
		char hash[2 * TM_HASH_LEN + 1];

		px_hex_encode(hash, sizeof(hash), b->block_id.hash.b, TM_HASH_LEN, true);
		px_debug(MOD, "block %" PRId64 " %s", b->header.height, hash);
		broadcast_new_block(b->header.height);
		if (b->n_txs)
			broadcast_txs(b->header.height);
		waiters_poll(true);
	}
	lws_sul_schedule(S.ctx, 0, sul, block_tick, (lws_usec_t)S.block_time_ms * 1000);
}

static void lws_log_emit(int level, const char *line)
{
	size_t len = strlen(line);

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	px_log(level == LLL_ERR ? PX_LOG_ERROR : PX_LOG_WARN, "lws", "%.*s", (int)len, line);
}

bool devnet_server_run(struct px_err *err, struct devnet_node *n,
		       const struct devnet_server_opts *o, volatile sig_atomic_t *stop)
{
	struct lws_context_creation_info info;

	memset(&S, 0, sizeof(S));
	S.rpc.node = n;
	S.rpc.faults = o->faults;
	S.block_time_ms = o->block_time_ms;
	snprintf(S.rpc.listen_addr, sizeof(S.rpc.listen_addr), "tcp://%s:%d", o->host, o->port);
	lws_set_log_level(LLL_ERR | LLL_WARN, lws_log_emit);
	memset(&info, 0, sizeof(info));
	info.port = o->port;
	info.iface = o->host;
	info.protocols = protocols;
	info.max_http_header_data = 2 * MAX_ARG_LEN;
	info.options = LWS_SERVER_OPTION_DISABLE_IPV6 | LWS_SERVER_OPTION_VALIDATE_UTF8;
	S.ctx = lws_create_context(&info);
	if (!S.ctx)
		return px_err_set(err, PX_E_IO, "cannot listen on %s:%d", o->host, o->port);
	px_info(MOD, "chain %s at height %" PRId64 ", RPC on http://%s:%d, a block every %" PRIu64
		" ms", devnet_node_genesis(n)->chain_id, devnet_node_height(n), o->host, o->port,
		o->block_time_ms);
	lws_sul_schedule(S.ctx, 0, &S.sul, block_tick,
			 devnet_node_height(n) ? (lws_usec_t)o->block_time_ms * 1000 : 1);
	lws_sul_schedule(S.ctx, 0, &S.wsul, waiters_tick, 200 * LWS_US_PER_MS);
	while (!*stop) {
		if (lws_service(S.ctx, 0) < 0)
			break;
	}
	lws_sul_cancel(&S.sul);
	lws_sul_cancel(&S.wsul);
	lws_context_destroy(S.ctx);
	S.ctx = NULL;
	while (S.waiters) {
		struct waiter *w = S.waiters;

		S.waiters = w->next;
		json_decref(w->response);
		free(w);
	}
	return true;
}
