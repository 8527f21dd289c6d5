/* libwebsockets client connections with reconnect (see ws.h). Every
 * callback runs on the loop's thread. A connection is found from its wsi
 * through lws's opaque user pointer, which is cleared before the
 * connection object goes away, so late lws callbacks find nothing. */
#include "chains/ethereum/ws.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libwebsockets.h>

#include "common/buf.h"
#include "common/log.h"
#include "common/number.h"

struct ethrpc_loop {
	struct lws_context *ctx;
	bool stop;
	bool timed_out;
	lws_sorted_usec_list_t deadline;
};

struct out_msg {
	uint8_t *buf;	/* LWS_PRE bytes of headroom, then the text */
	size_t len;
};

struct ethrpc_ws {
	struct ethrpc_loop *loop;
	struct ethrpc_ws_config cfg;
	struct ethrpc_ws_events ev;
	struct lws *wsi;
	bool connected;
	bool closing;		/* drop requested: close at the next writable */
	bool reconnect_scheduled;
	uint64_t backoff_ms;
	uint64_t hold_until_ms;
	uint64_t connects;
	struct px_buf rx;
	bool rx_overflow;
	struct out_msg queue[ETHRPC_WS_MAX_QUEUE];
	size_t qhead, qlen;
	lws_sorted_usec_list_t sul_reconnect;
	lws_sorted_usec_list_t sul_tick;
};

#define MOD "ethrpc"

uint64_t ethrpc_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- URLs ---- */

bool ethrpc_url_parse(struct px_err *err, struct ethrpc_url *out, const char *url)
{
	const char *p, *host, *host_end, *port = NULL, *port_end = NULL;
	uint64_t port_v = 80;
	size_t hlen;

	memset(out, 0, sizeof(*out));
	if (strncmp(url, "wss://", 6) == 0)
		return px_err_set(err, PX_E_UNSUPPORTED, "url '%.64s': wss:// is not supported", url);
	if (strncmp(url, "ws://", 5) != 0)
		return px_err_set(err, PX_E_CONFIG, "url '%.64s': expected ws://host:port/path", url);
	p = url + 5;
	if (*p == '[') {
		host = p + 1;
		host_end = strchr(host, ']');
		if (!host_end)
			return px_err_set(err, PX_E_CONFIG, "url '%.64s': unclosed '['", url);
		p = host_end + 1;
	} else {
		host = p;
		while (*p && *p != ':' && *p != '/' && *p != '@')
			p++;
		host_end = p;
	}
	if (*p == '@' || strchr(host, '@'))
		return px_err_set(err, PX_E_CONFIG, "url '%.64s': credentials are not supported", url);
	if (*p == ':') {
		port = ++p;
		while (*p && *p != '/')
			p++;
		port_end = p;
	}
	if (*p && *p != '/')
		return px_err_set(err, PX_E_CONFIG, "url '%.64s': bad host", url);
	hlen = (size_t)(host_end - host);
	if (hlen == 0 || hlen >= sizeof(out->host))
		return px_err_set(err, PX_E_CONFIG, "url '%.64s': bad host length", url);
	if (port && (!px_parse_u64(NULL, &port_v, port, (size_t)(port_end - port)) ||
		     port_v == 0 || port_v > 65535))
		return px_err_set(err, PX_E_CONFIG, "url '%.64s': bad port", url);
	if (strlen(p) >= sizeof(out->path))
		return px_err_set(err, PX_E_CONFIG, "url '%.64s': path too long", url);
	memcpy(out->host, host, hlen);
	out->port = (uint16_t)port_v;
	snprintf(out->path, sizeof(out->path), "%s", *p ? p : "/");
	return true;
}

/* ---- the loop ---- */

static void lws_log_emit(int level, const char *line)
{
	size_t n = strlen(line);

	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	px_debug("lws", "%.*s", (int)n, line);
	(void)level;
}

static int ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
		       void *in, size_t len);

static const struct lws_protocols protocols[] = {
	{ .name = "ethrpc", .callback = ws_callback, .rx_buffer_size = 65536 },
	{ .name = NULL },
};

bool ethrpc_loop_new(struct px_err *err, struct ethrpc_loop **out)
{
	struct lws_context_creation_info info;
	struct ethrpc_loop *loop = calloc(1, sizeof(*loop));

	*out = NULL;
	if (!loop)
		return px_err_set(err, PX_E_NOMEM, "event loop: out of memory");
	lws_set_log_level(px_log_enabled(PX_LOG_DEBUG) ? (LLL_ERR | LLL_WARN) : 0, lws_log_emit);
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.gid = -1;
	info.uid = -1;
	/* Without a limit lws sizes its tables by the process's fd limit. */
	info.fd_limit_per_thread = 256;
	info.user = loop;
	loop->ctx = lws_create_context(&info);
	if (!loop->ctx) {
		free(loop);
		return px_err_set(err, PX_E_IO, "event loop: cannot create a libwebsockets context");
	}
	*out = loop;
	return true;
}

void ethrpc_loop_free(struct ethrpc_loop *loop)
{
	if (!loop)
		return;
	lws_sul_cancel(&loop->deadline);
	lws_context_destroy(loop->ctx);
	free(loop);
}

static void loop_deadline(lws_sorted_usec_list_t *sul)
{
	struct ethrpc_loop *loop = lws_container_of(sul, struct ethrpc_loop, deadline);

	loop->timed_out = true;
}

bool ethrpc_loop_run(struct ethrpc_loop *loop, uint64_t ms)
{
	loop->stop = false;
	loop->timed_out = false;
	lws_sul_schedule(loop->ctx, 0, &loop->deadline, loop_deadline, (lws_usec_t)ms * 1000);
	while (!loop->stop && !loop->timed_out)
		if (lws_service(loop->ctx, 0) < 0)
			break;
	lws_sul_cancel(&loop->deadline);
	return loop->stop;
}

void ethrpc_loop_stop(struct ethrpc_loop *loop)
{
	loop->stop = true;
}

/* ---- one connection ---- */

static void queue_clear(struct ethrpc_ws *ws)
{
	while (ws->qlen) {
		free(ws->queue[ws->qhead].buf);
		ws->queue[ws->qhead].buf = NULL;
		ws->qhead = (ws->qhead + 1) % ETHRPC_WS_MAX_QUEUE;
		ws->qlen--;
	}
	ws->qhead = 0;
}

static void reconnect_now(lws_sorted_usec_list_t *sul);

static void schedule_reconnect(struct ethrpc_ws *ws)
{
	uint64_t now = ethrpc_now_ms(), delay = ws->backoff_ms;

	if (ws->reconnect_scheduled)
		return;
	if (ws->hold_until_ms > now && ws->hold_until_ms - now > delay)
		delay = ws->hold_until_ms - now;
	ws->reconnect_scheduled = true;
	lws_sul_schedule(ws->loop->ctx, 0, &ws->sul_reconnect, reconnect_now,
			 (lws_usec_t)delay * 1000);
	ws->backoff_ms = ws->backoff_ms * 2 > ws->cfg.backoff_max_ms ? ws->cfg.backoff_max_ms
								      : ws->backoff_ms * 2;
}

static void start_connect(struct ethrpc_ws *ws)
{
	struct lws_client_connect_info ci;

	memset(&ci, 0, sizeof(ci));
	ci.context = ws->loop->ctx;
	ci.address = ws->cfg.url.host;
	ci.port = ws->cfg.url.port;
	ci.path = ws->cfg.url.path;
	ci.host = ws->cfg.url.host;
	ci.origin = ws->cfg.url.host;
	ci.local_protocol_name = protocols[0].name;
	ci.opaque_user_data = ws;
	ci.pwsi = &ws->wsi;
	ws->closing = false;
	if (!lws_client_connect_via_info(&ci)) {
		ws->wsi = NULL;
		schedule_reconnect(ws);
	}
}

static void reconnect_now(lws_sorted_usec_list_t *sul)
{
	struct ethrpc_ws *ws = lws_container_of(sul, struct ethrpc_ws, sul_reconnect);

	ws->reconnect_scheduled = false;
	if (!ws->wsi)
		start_connect(ws);
}

static void tick(lws_sorted_usec_list_t *sul)
{
	struct ethrpc_ws *ws = lws_container_of(sul, struct ethrpc_ws, sul_tick);

	lws_sul_schedule(ws->loop->ctx, 0, &ws->sul_tick, tick, (lws_usec_t)ws->cfg.tick_ms * 1000);
	if (ws->ev.tick)
		ws->ev.tick(ws->ev.user, ethrpc_now_ms());
}

/* The connection failed or closed: tell the owner, then try again later. */
static void lost(struct ethrpc_ws *ws, const char *why)
{
	bool was_connected = ws->connected;

	ws->wsi = NULL;
	ws->connected = false;
	ws->closing = false;
	queue_clear(ws);
	px_buf_reset(&ws->rx);
	if (was_connected && ws->ev.close)
		ws->ev.close(ws->ev.user, why);
	else
		px_debug(MOD, "connect to %s:%u failed: %s", ws->cfg.url.host,
			 (unsigned)ws->cfg.url.port, why);
	schedule_reconnect(ws);
}

static int on_receive(struct ethrpc_ws *ws, struct lws *wsi, const void *in, size_t len)
{
	if (lws_is_first_fragment(wsi)) {
		px_buf_reset(&ws->rx);
		ws->rx_overflow = false;
	}
	if (!ws->rx_overflow && ws->rx.len + len > ws->cfg.max_message) {
		/* Closing would lose every pending request; skipping the message
		 * loses one, whose request then times out. */
		px_warn(MOD, "message over %zu bytes dropped", ws->cfg.max_message);
		ws->rx_overflow = true;
	}
	if (!ws->rx_overflow)
		px_buf_append(&ws->rx, in, len);
	if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi) != 0)
		return 0;
	if (!ws->rx_overflow && !px_buf_ok(&ws->rx)) {
		px_warn(MOD, "message dropped: out of memory");
	} else if (!ws->rx_overflow && ws->ev.message) {
		ws->ev.message(ws->ev.user, (const char *)ws->rx.data, ws->rx.len);
	}
	px_buf_reset(&ws->rx);
	ws->rx_overflow = false;
	return 0;
}

static int on_writeable(struct ethrpc_ws *ws, struct lws *wsi)
{
	struct out_msg *m;
	int n;

	if (ws->closing) {
		lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
		return -1;
	}
	if (!ws->qlen)
		return 0;
	m = &ws->queue[ws->qhead];
	n = lws_write(wsi, m->buf + LWS_PRE, m->len, LWS_WRITE_TEXT);
	free(m->buf);
	m->buf = NULL;
	ws->qhead = (ws->qhead + 1) % ETHRPC_WS_MAX_QUEUE;
	ws->qlen--;
	if (n < 0 || (size_t)n < m->len)
		return -1;
	if (ws->qlen)
		lws_callback_on_writable(wsi);
	return 0;
}

static int ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
		       void *in, size_t len)
{
	struct ethrpc_ws *ws = wsi ? lws_get_opaque_user_data(wsi) : NULL;
	char why[128];

	if (!ws)
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		ws->wsi = wsi;
		ws->connected = true;
		ws->backoff_ms = ws->cfg.backoff_min_ms;
		ws->connects++;
		px_buf_reset(&ws->rx);
		if (ws->ev.open)
			ws->ev.open(ws->ev.user);
		return 0;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		return on_receive(ws, wsi, in, len);
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return on_writeable(ws, wsi);
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		snprintf(why, sizeof(why), "%.100s", in ? (const char *)in : "connection error");
		lws_set_opaque_user_data(wsi, NULL);
		lost(ws, why);
		return 0;
	case LWS_CALLBACK_CLIENT_CLOSED:
		lws_set_opaque_user_data(wsi, NULL);
		lost(ws, "connection closed");
		return 0;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

bool ethrpc_ws_new(struct px_err *err, struct ethrpc_ws **out, struct ethrpc_loop *loop,
		   const struct ethrpc_ws_config *cfg, const struct ethrpc_ws_events *ev)
{
	struct ethrpc_ws *ws = calloc(1, sizeof(*ws));

	*out = NULL;
	if (!ws)
		return px_err_set(err, PX_E_NOMEM, "websocket: out of memory");
	ws->loop = loop;
	ws->cfg = *cfg;
	if (!ws->cfg.backoff_min_ms)
		ws->cfg.backoff_min_ms = 100;
	if (!ws->cfg.backoff_max_ms)
		ws->cfg.backoff_max_ms = 10000;
	if (ws->cfg.backoff_max_ms < ws->cfg.backoff_min_ms)
		ws->cfg.backoff_max_ms = ws->cfg.backoff_min_ms;
	if (!ws->cfg.tick_ms)
		ws->cfg.tick_ms = 100;
	if (!ws->cfg.max_message)
		ws->cfg.max_message = ETHRPC_WS_MAX_MESSAGE;
	ws->ev = *ev;
	ws->backoff_ms = ws->cfg.backoff_min_ms;
	px_buf_init(&ws->rx);
	lws_sul_schedule(loop->ctx, 0, &ws->sul_tick, tick, (lws_usec_t)ws->cfg.tick_ms * 1000);
	start_connect(ws);
	*out = ws;
	return true;
}

void ethrpc_ws_free(struct ethrpc_ws *ws)
{
	if (!ws)
		return;
	lws_sul_cancel(&ws->sul_reconnect);
	lws_sul_cancel(&ws->sul_tick);
	if (ws->wsi) {
		struct lws *wsi = ws->wsi;

		/* Detach first: the close callbacks then find no connection. */
		lws_set_opaque_user_data(wsi, NULL);
		ws->wsi = NULL;
		lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_SYNC);
	}
	queue_clear(ws);
	px_buf_free(&ws->rx);
	free(ws);
}

bool ethrpc_ws_send(struct ethrpc_ws *ws, const char *text, size_t len)
{
	struct out_msg *m;

	if (!ws->connected || ws->closing || !ws->wsi || ws->qlen == ETHRPC_WS_MAX_QUEUE)
		return false;
	m = &ws->queue[(ws->qhead + ws->qlen) % ETHRPC_WS_MAX_QUEUE];
	m->buf = malloc(LWS_PRE + len);
	if (!m->buf)
		return false;
	memcpy(m->buf + LWS_PRE, text, len);
	m->len = len;
	ws->qlen++;
	lws_callback_on_writable(ws->wsi);
	return true;
}

bool ethrpc_ws_connected(const struct ethrpc_ws *ws)
{
	return ws->connected && !ws->closing;
}

void ethrpc_ws_drop(struct ethrpc_ws *ws, uint64_t hold_ms)
{
	ws->hold_until_ms = ethrpc_now_ms() + hold_ms;
	if (ws->wsi && !ws->closing) {
		ws->closing = true;
		lws_callback_on_writable(ws->wsi);
	}
}

uint64_t ethrpc_ws_connects(const struct ethrpc_ws *ws)
{
	return ws->connects;
}

/* ---- JSON-RPC over one connection ---- */

static bool conn_send(void *transport, const char *text, size_t len)
{
	struct ethrpc_conn *c = transport;

	return c->ws && ethrpc_ws_send(c->ws, text, len);
}

static void conn_on_open(void *user)
{
	struct ethrpc_conn *c = user;

	if (c->open)
		c->open(c->user);
}

static void conn_on_close(void *user, const char *why)
{
	struct ethrpc_conn *c = user;

	ethrpc_fail_all(&c->rpc, why);
	if (c->close)
		c->close(c->user, why);
}

static void conn_on_message(void *user, const char *text, size_t len)
{
	struct ethrpc_conn *c = user;
	struct px_err err = { 0 };

	if (!ethrpc_receive(&c->rpc, &err, text, len))
		px_warn(MOD, "ignored a message: %s", err.msg);
}

static void conn_on_tick(void *user, uint64_t now_ms)
{
	struct ethrpc_conn *c = user;

	(void)ethrpc_expire(&c->rpc, now_ms);
}

bool ethrpc_conn_open(struct px_err *err, struct ethrpc_conn *c, struct ethrpc_loop *loop,
		      const struct ethrpc_ws_config *cfg, void (*open)(void *user),
		      void (*close)(void *user, const char *why), void *user)
{
	struct ethrpc_ws_events ev = {
		.open = conn_on_open,
		.close = conn_on_close,
		.message = conn_on_message,
		.tick = conn_on_tick,
		.user = c,
	};

	memset(c, 0, sizeof(*c));
	ethrpc_init(&c->rpc, conn_send, c);
	c->open = open;
	c->close = close;
	c->user = user;
	return ethrpc_ws_new(err, &c->ws, loop, cfg, &ev);
}

void ethrpc_conn_close(struct ethrpc_conn *c)
{
	struct ethrpc_ws *ws = c->ws;

	/* Detach the transport first so that callbacks of failed requests
	 * cannot send on a connection being torn down. */
	c->ws = NULL;
	ethrpc_fail_all(&c->rpc, "closed");
	ethrpc_ws_free(ws);
}
