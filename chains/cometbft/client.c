/* The connection side of the CometBFT client: the lws loop, connecting and
 * reconnecting with backoff, the send queue and the table of pending
 * requests matched to replies by id, and the classification of incoming
 * messages into replies and events (events go to events.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chains/cometbft/internal.h"
#include "common/json.h"
#include "common/log.h"
#include "common/number.h"

int64_t cmt_now_us(void)
{
	return (int64_t)lws_now_usecs();
}

/* --- the loop ------------------------------------------------------------ */

static int lws_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		  size_t len);

static const struct lws_protocols protocols[] = {
	{ .name = "pontifex-cometbft", .callback = lws_cb, .rx_buffer_size = 65536 },
	{ .name = NULL },
};

struct lws_context *cmt_loop_lws_context(struct cmt_loop *loop)
{
	return loop->ctx;
}

bool cmt_loop_new(struct px_err *err, struct cmt_loop **out)
{
	struct lws_context_creation_info info;
	struct cmt_loop *loop;

	*out = NULL;
	loop = calloc(1, sizeof(*loop));
	if (!loop)
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.gid = -1;
	info.uid = -1;
	loop->ctx = lws_create_context(&info);
	if (!loop->ctx) {
		free(loop);
		return px_err_set(err, PX_E_IO, "websocket: cannot create the lws context");
	}
	*out = loop;
	return true;
}

void cmt_loop_free(struct cmt_loop *loop)
{
	if (!loop)
		return;
	if (loop->clients)
		px_error(CMT_LOG, "loop freed with %zu clients attached", loop->clients);
	lws_context_destroy(loop->ctx);
	free(loop);
}

static void wake_cb(lws_sorted_usec_list_t *sul)
{
	(void)sul;	/* firing is enough: lws_service returns after it */
}

bool cmt_loop_service(struct cmt_loop *loop, int timeout_ms)
{
	int rc;

	if (loop->depth > 0)
		return false;
	loop->depth++;
	/* lws_service ignores its timeout and sleeps until the next timer, so
	 * the timeout is a timer; -1 asks for a pass that does not wait. */
	if (timeout_ms > 0)
		lws_sul_schedule(loop->ctx, 0, &loop->wake, wake_cb,
				 (lws_usec_t)timeout_ms * LWS_US_PER_MS);
	rc = lws_service(loop->ctx, timeout_ms > 0 ? 0 : -1);
	lws_sul_cancel(&loop->wake);
	loop->depth--;
	return rc >= 0;
}

/* --- pending requests ------------------------------------------------------ */

static struct cmt_pending *pending_find(struct cmt_client *c, uint64_t id)
{
	for (size_t i = 0; i < c->npend; i++)
		if (c->pend[i].id == id)
			return &c->pend[i];
	return NULL;
}

/* Removes the entry (copied to out; out->msg is freed). */
static void pending_take(struct cmt_client *c, struct cmt_pending *p, struct cmt_pending *out)
{
	*out = *p;
	free(out->msg);
	out->msg = NULL;
	*p = c->pend[--c->npend];
}

static void pending_finish(struct cmt_client *c, struct cmt_pending *p, const struct px_err *err,
			   const json_t *result)
{
	if (p->ifn)
		p->ifn(c, err, result, p->tag);
	else if (p->fn)
		p->fn(p->arg, err, result);
}

static bool queue_request(struct px_err *err, struct cmt_client *c, uint64_t *id_out,
			  const char *method, json_t *params, uint32_t timeout_ms, cmt_reply_fn fn,
			  void *arg, cmt_internal_fn ifn, int64_t tag)
{
	struct cmt_pending *p;
	json_t *req = NULL;
	char *text = NULL;
	size_t len;
	bool ok = false;

	if (!params)
		params = json_object();
	if (!params || !method || strlen(method) >= CMT_METHOD_MAX) {
		px_err_set(err, params ? PX_E_USAGE : PX_E_NOMEM, "bad request method");
		goto out;
	}
	if (c->npend >= CMT_MAX_PENDING) {
		px_err_set(err, PX_E_TOO_LARGE, "%d requests pending, limit reached", CMT_MAX_PENDING);
		goto out;
	}
	if (c->npend == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 16;
		struct cmt_pending *np = realloc(c->pend, ncap * sizeof(*np));

		if (!np) {
			px_err_set(err, PX_E_NOMEM, "out of memory");
			goto out;
		}
		c->pend = np;
		c->cap = ncap;
	}
	req = json_pack("{s:s, s:I, s:s, s:O}", "jsonrpc", "2.0", "id", (json_int_t)(c->next_id + 1),
			"method", method, "params", params);
	text = req ? json_dumps(req, JSON_COMPACT) : NULL;
	if (!text) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto out;
	}
	len = strlen(text);
	p = &c->pend[c->npend];
	memset(p, 0, sizeof(*p));
	p->msg = malloc(LWS_PRE + len);
	if (!p->msg) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto out;
	}
	memcpy(p->msg + LWS_PRE, text, len);
	p->msg_len = len;
	p->id = ++c->next_id;
	snprintf(p->method, sizeof(p->method), "%s", method);
	p->timeout_ms = timeout_ms ? timeout_ms : c->opts.request_timeout_ms;
	p->deadline_us = cmt_now_us() + (int64_t)p->timeout_ms * 1000;
	p->fn = fn;
	p->arg = arg;
	p->ifn = ifn;
	p->tag = tag;
	c->npend++;
	if (id_out)
		*id_out = p->id;
	if (c->wsi && c->open)
		lws_callback_on_writable(c->wsi);
	ok = true;
out:
	free(text);
	json_decref(req);
	json_decref(params);
	return ok;
}

bool cmt_client_call(struct px_err *err, struct cmt_client *c, uint64_t *id_out, const char *method,
		     json_t *params, uint32_t timeout_ms, cmt_reply_fn fn, void *arg)
{
	if (!fn) {
		json_decref(params);
		return px_err_set(err, PX_E_USAGE, "cmt_client_call: no callback");
	}
	return queue_request(err, c, id_out, method, params, timeout_ms, fn, arg, NULL, 0);
}

bool cmt_internal_call(struct px_err *err, struct cmt_client *c, const char *method, json_t *params,
		       cmt_internal_fn ifn, int64_t tag)
{
	return queue_request(err, c, NULL, method, params, 0, NULL, NULL, ifn, tag);
}

bool cmt_client_cancel(struct cmt_client *c, uint64_t id)
{
	struct cmt_pending *p = pending_find(c, id);
	struct cmt_pending gone;

	if (!p)
		return false;
	pending_take(c, p, &gone);
	return true;
}

/* Fails the entries that match (sent ones, or all), each callback once.
 * Entries are taken out first so callbacks may queue new requests. */
static void pending_fail(struct cmt_client *c, bool all, int code, const char *why)
{
	struct cmt_pending *list;
	size_t n = 0;
	struct px_err err;

	if (!c->npend)
		return;
	list = calloc(c->npend, sizeof(*list));
	if (!list) {
		px_error(CMT_LOG, "out of memory failing requests");
		return;
	}
	for (size_t i = 0; i < c->npend;) {
		struct cmt_pending *p = &c->pend[i];

		if (all || p->sent || p->ifn)
			pending_take(c, p, &list[n++]);
		else
			i++;
	}
	for (size_t i = 0; i < n; i++) {
		px_err_clear(&err);
		px_err_set(&err, code, "%s: %s", list[i].method, why);
		pending_finish(c, &list[i], &err, NULL);
	}
	free(list);
}

static void pending_expire(struct cmt_client *c, int64_t now)
{
	for (size_t i = 0; i < c->npend;) {
		struct cmt_pending *p = &c->pend[i];
		struct cmt_pending gone;
		struct px_err err;

		if (p->deadline_us > now) {
			i++;
			continue;
		}
		pending_take(c, p, &gone);
		c->stats.timeouts++;
		px_err_clear(&err);
		px_err_set(&err, PX_E_RPC, "%s: no reply within %u ms (request %llu)", gone.method,
			   gone.timeout_ms, (unsigned long long)gone.id);
		pending_finish(c, &gone, &err, NULL);
		i = 0;	/* the callback may have changed the table */
	}
}

/* --- connection ---------------------------------------------------------- */

static void set_state(struct cmt_client *c, enum cmt_conn_state s, const struct px_err *why)
{
	c->state = s;
	if (c->opts.on_state && !c->freeing)
		c->opts.on_state(c->opts.state_arg, s, why);
}

static void conn_start(struct cmt_client *c)
{
	struct lws_client_connect_info i;
	struct lws *wsi;

	memset(&i, 0, sizeof(i));
	i.context = c->loop->ctx;
	i.address = c->host;
	i.port = c->port;
	i.path = c->path;
	i.host = c->host;
	i.origin = c->host;
	i.ssl_connection = c->tls ? LCCSCF_USE_SSL : 0;
	i.local_protocol_name = protocols[0].name;
	i.userdata = c;
	c->wsi = NULL;
	c->close_requested = false;
	c->subs_acked = 0;
	set_state(c, CMT_CONNECTING, NULL);
	wsi = lws_client_connect_via_info(&i);
	/* A failure may already have been reported from inside the call. */
	if (c->state != CMT_CONNECTING)
		return;
	if (!wsi) {
		struct px_err err;

		px_err_clear(&err);
		px_err_set(&err, PX_E_IO, "cannot start a connection to %s", c->url);
		c->reconnect_at_us = cmt_now_us() + (int64_t)c->backoff_ms * 1000;
		c->backoff_ms = c->backoff_ms * 2 > c->opts.backoff_max_ms ? c->opts.backoff_max_ms
									  : c->backoff_ms * 2;
		set_state(c, CMT_DISCONNECTED, &err);
		return;
	}
	c->wsi = wsi;
}

void cmt_conn_drop(struct cmt_client *c, const char *why)
{
	if (!c->wsi || c->close_requested)
		return;
	px_warn(CMT_LOG, "%s: dropping the connection: %s", c->url, why);
	c->close_requested = true;
	lws_callback_on_writable(c->wsi);
}

static void on_closed(struct cmt_client *c, struct lws *wsi, const char *why)
{
	struct px_err err;

	if (c->state == CMT_DISCONNECTED || (c->wsi && c->wsi != wsi))
		return;
	c->wsi = NULL;
	if (c->open)
		c->stats.disconnects++;
	c->open = false;
	px_buf_reset(&c->rx);
	c->rx_over = false;
	c->rx_head_len = 0;
	px_err_clear(&err);
	px_err_set(&err, PX_E_RPC, "%s: %s", c->url, why);
	c->state = CMT_DISCONNECTED;
	if (!c->freeing) {
		c->reconnect_at_us = cmt_now_us() + (int64_t)c->backoff_ms * 1000;
		c->backoff_ms = c->backoff_ms * 2 > c->opts.backoff_max_ms ? c->opts.backoff_max_ms
									  : c->backoff_ms * 2;
		px_info(CMT_LOG, "%s: disconnected (%s), reconnecting in %lld ms", c->url, why,
			(long long)((c->reconnect_at_us - cmt_now_us()) / 1000));
	}
	pending_fail(c, c->freeing, PX_E_RPC, c->freeing ? "client closed" : "connection lost");
	set_state(c, CMT_DISCONNECTED, &err);
}

static void sub_reply(struct cmt_client *c, const struct px_err *err, const json_t *result, int64_t tag);

static void status_reply(struct cmt_client *c, const struct px_err *err, const json_t *result,
			 int64_t tag)
{
	json_t *sync;
	int64_t latest;
	struct px_err perr;

	(void)tag;
	if (c->state != CMT_CONNECTING || !c->wsi)
		return;
	px_err_clear(&perr);
	if (err) {
		cmt_conn_drop(c, err->msg);
		return;
	}
	if (!px_json_get_object(&perr, &sync, result, "sync_info") ||
	    !px_json_get_i64(&perr, &latest, sync, "latest_block_height") || latest < 0 ||
	    latest > CMT_HEIGHT_MAX) {
		cmt_conn_drop(c, perr.msg[0] ? perr.msg : "status: height out of range");
		return;
	}
	cmt_events_latest(c, latest);
	cmt_conn_ready(c);
}

void cmt_conn_ready(struct cmt_client *c)
{
	c->backoff_ms = c->opts.backoff_min_ms;
	set_state(c, CMT_CONNECTED, NULL);
	cmt_events_advance(c);
}

static void on_established(struct cmt_client *c, struct lws *wsi)
{
	struct px_err err;

	c->wsi = wsi;
	c->open = true;
	c->stats.connects++;
	px_info(CMT_LOG, "%s: connected", c->url);
	px_err_clear(&err);
	if (!c->opts.subscribe) {
		cmt_conn_ready(c);
	} else if (!cmt_internal_call(&err, c, "subscribe",
				      cmt_params_subscribe("tm.event='NewBlock'"), sub_reply, 0) ||
		   !cmt_internal_call(&err, c, "subscribe", cmt_params_subscribe("tm.event='Tx'"),
				      sub_reply, 1)) {
		cmt_conn_drop(c, err.msg);
	}
	if (c->npend)
		lws_callback_on_writable(wsi);
}

static void sub_reply(struct cmt_client *c, const struct px_err *err, const json_t *result, int64_t tag)
{
	struct px_err qerr;

	(void)result;
	if (c->state != CMT_CONNECTING || !c->wsi)
		return;
	if (err) {
		px_warn(CMT_LOG, "%s: subscribe %s failed: %s", c->url, tag ? "Tx" : "NewBlock", err->msg);
		cmt_conn_drop(c, "subscription failed");
		return;
	}
	if (++c->subs_acked < 2)
		return;
	/* Subscribed first, then asked for the latest height: every height
	 * after it arrives live, every height up to it is backfilled. */
	px_err_clear(&qerr);
	if (!cmt_internal_call(&qerr, c, "status", NULL, status_reply, 0))
		cmt_conn_drop(c, qerr.msg);
}

static int on_writeable(struct cmt_client *c, struct lws *wsi)
{
	struct cmt_pending *next = NULL;
	bool more = false;

	if (c->close_requested)
		return -1;
	for (size_t i = 0; i < c->npend; i++) {
		struct cmt_pending *p = &c->pend[i];

		if (p->sent)
			continue;
		if (!next || p->id < next->id) {
			if (next)
				more = true;
			next = p;
		} else {
			more = true;
		}
	}
	if (!next)
		return 0;
	if (lws_write(wsi, next->msg + LWS_PRE, next->msg_len, LWS_WRITE_TEXT) < (int)next->msg_len)
		return -1;
	free(next->msg);
	next->msg = NULL;
	next->sent = true;
	if (more)
		lws_callback_on_writable(wsi);
	return 0;
}

/* --- incoming messages --------------------------------------------------- */

/* The id of a message we could not parse, read from its first bytes, so
 * that the request it answers fails now instead of timing out. Only used
 * to fail a request, never to accept data. */
static bool peek_id(uint64_t *out, const uint8_t *buf, size_t len)
{
	static const char key[] = "\"id\"";
	size_t k = sizeof(key) - 1;

	for (size_t i = 0; i + k <= len; i++) {
		size_t j, start;
		struct px_err err;

		if (memcmp(buf + i, key, k))
			continue;
		j = i + k;
		while (j < len && (buf[j] == ' ' || buf[j] == '\t' || buf[j] == '\n' || buf[j] == '\r'))
			j++;
		if (j >= len || buf[j] != ':')
			continue;
		j++;
		while (j < len && (buf[j] == ' ' || buf[j] == '\t' || buf[j] == '\n' || buf[j] == '\r'))
			j++;
		start = j;
		while (j < len && buf[j] >= '0' && buf[j] <= '9')
			j++;
		if (j == start || j == len)
			return false;
		px_err_clear(&err);
		return px_parse_u64(&err, out, (const char *)buf + start, j - start);
	}
	return false;
}

static void fail_by_peek(struct cmt_client *c, int code, const char *why)
{
	uint64_t id;
	struct cmt_pending *p;
	struct cmt_pending gone;
	struct px_err err;

	if (!peek_id(&id, c->rx_head, c->rx_head_len) || !(p = pending_find(c, id)))
		return;
	pending_take(c, p, &gone);
	px_err_clear(&err);
	px_err_set(&err, code, "%s: %s", gone.method, why);
	pending_finish(c, &gone, &err, NULL);
}

static void handle_reply(struct cmt_client *c, json_t *msg)
{
	json_t *idv = json_object_get(msg, "id");
	json_t *result = json_object_get(msg, "result");
	json_t *error = json_object_get(msg, "error");
	struct cmt_pending *p = NULL;
	struct cmt_pending gone;
	struct px_err err;

	if (json_is_integer(idv) && json_integer_value(idv) > 0)
		p = pending_find(c, (uint64_t)json_integer_value(idv));
	if (!p) {
		c->stats.unknown_ids++;
		px_debug(CMT_LOG, "%s: reply with an unknown id ignored", c->url);
		return;
	}
	pending_take(c, p, &gone);
	px_err_clear(&err);
	if (error) {
		json_t *code = json_object_get(error, "code");
		const char *m = json_string_value(json_object_get(error, "message"));
		const char *data = json_string_value(json_object_get(error, "data"));

		px_err_set(&err, PX_E_RPC, "%s: rpc error %lld: %s%s%s", gone.method,
			   json_is_integer(code) ? (long long)json_integer_value(code) : 0LL,
			   m ? m : "(no message)", data ? ": " : "", data ? data : "");
		pending_finish(c, &gone, &err, NULL);
	} else if (!result) {
		px_err_set(&err, PX_E_JSON, "%s: reply has neither result nor error", gone.method);
		pending_finish(c, &gone, &err, NULL);
	} else {
		pending_finish(c, &gone, NULL, result);
	}
}

static void handle_message(struct cmt_client *c, const uint8_t *buf, size_t len)
{
	json_t *msg, *result, *data, *value;
	const char *type;
	struct px_err err;

	px_err_clear(&err);
	msg = px_json_load_buf(&err, buf, len);
	if (!msg || !json_is_object(msg)) {
		c->stats.malformed++;
		px_warn(CMT_LOG, "%s: malformed message ignored: %s", c->url,
			msg ? "not an object" : err.msg);
		fail_by_peek(c, PX_E_JSON, msg ? "reply is not a JSON object" : err.msg);
		json_decref(msg);
		return;
	}
	/* Events are told apart by shape: their id repeats the subscribe
	 * request's (0.34 even appends "#event"). */
	result = json_object_get(msg, "result");
	data = json_is_object(result) ? json_object_get(result, "data") : NULL;
	type = json_is_object(data) ? json_string_value(json_object_get(data, "type")) : NULL;
	if (type && !strncmp(type, "tendermint/event/", 17)) {
		value = json_object_get(data, "value");
		if (!strcmp(type + 17, "NewBlock"))
			cmt_events_new_block(c, value);
		else if (!strcmp(type + 17, "Tx"))
			cmt_events_tx(c, value);
	} else {
		handle_reply(c, msg);
	}
	json_decref(msg);
	cmt_events_advance(c);
}

/* One fragment of a message; final: the message is complete. */
static void rx_fragment(struct cmt_client *c, const uint8_t *in, size_t len, bool final)
{
	size_t head = CMT_RX_HEAD - c->rx_head_len;

	if (head > len)
		head = len;
	memcpy(c->rx_head + c->rx_head_len, in, head);
	c->rx_head_len += head;
	if (!c->rx_over && len > c->opts.max_message - c->rx.len) {
		c->rx_over = true;
		px_buf_free(&c->rx);
	}
	if (!c->rx_over)
		px_buf_append(&c->rx, in, len);
	if (!final)
		return;
	if (c->rx_over) {
		c->stats.oversized++;
		px_warn(CMT_LOG, "%s: message over %zu bytes dropped", c->url, c->opts.max_message);
		fail_by_peek(c, PX_E_TOO_LARGE, "reply over the message size cap");
	} else if (!px_buf_ok(&c->rx)) {
		px_error(CMT_LOG, "%s: out of memory receiving a message", c->url);
		fail_by_peek(c, PX_E_NOMEM, "out of memory");
	} else {
		handle_message(c, c->rx.data, c->rx.len);
	}
	px_buf_reset(&c->rx);
	c->rx_over = false;
	c->rx_head_len = 0;
}

static void on_receive(struct cmt_client *c, struct lws *wsi, const uint8_t *in, size_t len)
{
	rx_fragment(c, in, len, !lws_remaining_packet_payload(wsi) && lws_is_final_fragment(wsi));
}

void cmt_client_feed(struct cmt_client *c, const uint8_t *buf, size_t len)
{
	rx_fragment(c, buf, len, true);
}

static int lws_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		  size_t len)
{
	struct cmt_client *c = user;

	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		if (c)
			on_established(c, wsi);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (c && c->wsi == wsi)
			on_receive(c, wsi, in, len);
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (c && c->wsi == wsi)
			return on_writeable(c, wsi);
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		if (c)
			on_closed(c, wsi, in && len ? (const char *)in : "connection failed");
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		if (c)
			on_closed(c, wsi, "connection closed");
		break;
	default:
		break;
	}
	return 0;
}

static void tick_cb(lws_sorted_usec_list_t *sul)
{
	struct cmt_client *c = lws_container_of(sul, struct cmt_client, tick);
	int64_t now = cmt_now_us();

	pending_expire(c, now);
	if (c->state == CMT_DISCONNECTED && now >= c->reconnect_at_us)
		conn_start(c);
	cmt_events_advance(c);
	lws_sul_schedule(c->loop->ctx, 0, &c->tick, tick_cb, CMT_TICK_US);
}

/* --- lifecycle ----------------------------------------------------------- */

static bool parse_url(struct px_err *err, struct cmt_client *c, const char *url)
{
	const char *p, *host_end, *port_s = NULL;
	size_t hlen;

	if (!url || strlen(url) > CMT_MAX_URL)
		return px_err_set(err, PX_E_CONFIG, "websocket url missing or longer than %d", CMT_MAX_URL);
	snprintf(c->url, sizeof(c->url), "%s", url);
	if (!strncmp(url, "ws://", 5)) {
		p = url + 5;
		c->port = 80;
	} else if (!strncmp(url, "wss://", 6)) {
		p = url + 6;
		c->port = 443;
		c->tls = true;
	} else {
		return px_err_set(err, PX_E_CONFIG, "websocket url '%s': expected ws:// or wss://", url);
	}
	if (*p == '[') {
		host_end = strchr(p, ']');
		if (!host_end)
			return px_err_set(err, PX_E_CONFIG, "websocket url '%s': unclosed '['", url);
		p++;
		hlen = (size_t)(host_end - p);
		host_end++;
	} else {
		host_end = p + strcspn(p, ":/");
		hlen = (size_t)(host_end - p);
	}
	if (!hlen || hlen >= sizeof(c->host))
		return px_err_set(err, PX_E_CONFIG, "websocket url '%s': bad host", url);
	memcpy(c->host, p, hlen);
	c->host[hlen] = 0;
	p = host_end;
	if (*p == ':') {
		uint64_t port;
		size_t plen;

		port_s = p + 1;
		plen = strcspn(port_s, "/");
		if (!px_parse_u64(NULL, &port, port_s, plen) || !port || port > 65535)
			return px_err_set(err, PX_E_CONFIG, "websocket url '%s': bad port", url);
		c->port = (int)port;
		p = port_s + plen;
	} else if (*p && *p != '/') {
		return px_err_set(err, PX_E_CONFIG, "websocket url '%s': bad host", url);
	}
	if (strlen(*p ? p : "/") >= sizeof(c->path))
		return px_err_set(err, PX_E_CONFIG, "websocket url '%s': path too long", url);
	snprintf(c->path, sizeof(c->path), "%s", *p ? p : "/");
	return true;
}

/* The client without a connection (cmt_client_new starts one). */
static bool client_init(struct px_err *err, struct cmt_client **out, struct cmt_loop *loop,
			const struct cmt_client_opts *opts)
{
	struct cmt_client *c;

	*out = NULL;
	if (!opts->on_event && opts->subscribe)
		return px_err_set(err, PX_E_USAGE, "cometbft client: subscribe without on_event");
	if (opts->max_message > CMT_MAX_MESSAGE_LIMIT || opts->start_height < 0 ||
	    opts->start_height > CMT_HEIGHT_MAX)
		return px_err_set(err, PX_E_CONFIG, "cometbft client: max_message or start_height out of range");
	c = calloc(1, sizeof(*c));
	if (!c)
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	c->opts = *opts;
	if (!parse_url(err, c, opts->url)) {
		free(c);
		return false;
	}
	c->opts.url = c->url;
	if (!c->opts.max_message)
		c->opts.max_message = CMT_MAX_MESSAGE_DEFAULT;
	if (!c->opts.request_timeout_ms)
		c->opts.request_timeout_ms = 10000;
	if (!c->opts.backoff_min_ms)
		c->opts.backoff_min_ms = 100;
	if (!c->opts.backoff_max_ms)
		c->opts.backoff_max_ms = 30000;
	if (c->opts.backoff_max_ms < c->opts.backoff_min_ms)
		c->opts.backoff_max_ms = c->opts.backoff_min_ms;
	if (!c->opts.tx_wait_ms)
		c->opts.tx_wait_ms = 2000;
	c->backoff_ms = c->opts.backoff_min_ms;
	c->loop = loop;
	px_buf_init(&c->rx);
	cmt_events_init(c);
	if (loop)
		loop->clients++;
	c->state = CMT_DISCONNECTED;
	c->reconnect_at_us = 0;
	*out = c;
	return true;
}

bool cmt_client_new(struct px_err *err, struct cmt_client **out, struct cmt_loop *loop,
		    const struct cmt_client_opts *opts)
{
	if (!client_init(err, out, loop, opts))
		return false;
	conn_start(*out);
	lws_sul_schedule(loop->ctx, 0, &(*out)->tick, tick_cb, CMT_TICK_US);
	return true;
}

bool cmt_client_new_offline(struct px_err *err, struct cmt_client **out,
			    const struct cmt_client_opts *opts)
{
	return client_init(err, out, NULL, opts);
}

void cmt_client_free(struct cmt_client *c)
{
	if (!c)
		return;
	c->freeing = true;
	lws_sul_cancel(&c->tick);
	if (c->wsi) {
		struct lws *wsi = c->wsi;

		/* Closes now, through on_closed, which fails what is pending. */
		lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_SYNC);
	}
	/* Whatever lws reported, fail what is left (an unsent queue too). */
	c->wsi = NULL;
	c->state = CMT_CONNECTING;
	on_closed(c, NULL, "client closed");
	cmt_events_free(c);
	px_buf_free(&c->rx);
	free(c->pend);
	if (c->loop)
		c->loop->clients--;
	free(c);
}

enum cmt_conn_state cmt_client_state(const struct cmt_client *c)
{
	return c->state;
}

int64_t cmt_client_height(const struct cmt_client *c)
{
	return c->have_base ? c->last : 0;
}

void cmt_client_stats(const struct cmt_client *c, struct cmt_stats *out)
{
	*out = c->stats;
}
