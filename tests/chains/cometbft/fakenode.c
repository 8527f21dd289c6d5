/* A fake CometBFT websocket endpoint for the client tests (see fakenode.h). */
#include "fakenode.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

struct outmsg {
	struct outmsg *next;
	bool drop;
	size_t len;
	unsigned char *buf;	/* LWS_PRE + len */
};

struct fakenode {
	struct lws_context *ctx;
	pthread_t thread;
	pthread_mutex_t mu;
	atomic_int stop;
	fakenode_handler handler;
	void *arg;
	char url[64];
	/* under mu */
	struct lws *cur;
	struct outmsg *head, *tail;
	unsigned connections;
	/* server thread only */
	unsigned char *rx;
	size_t rx_len;
};

static void die(const char *what)
{
	fprintf(stderr, "fakenode: %s\n", what);
	abort();
}

static void queue(struct fakenode *fn, struct outmsg *m)
{
	pthread_mutex_lock(&fn->mu);
	if (fn->tail)
		fn->tail->next = m;
	else
		fn->head = m;
	fn->tail = m;
	pthread_mutex_unlock(&fn->mu);
	lws_cancel_service(fn->ctx);
}

void fakenode_send(struct fakenode *fn, const char *text, size_t len)
{
	struct outmsg *m = calloc(1, sizeof(*m));

	if (!m || !(m->buf = malloc(LWS_PRE + len + 1)))
		die("out of memory");
	memcpy(m->buf + LWS_PRE, text, len);
	m->len = len;
	queue(fn, m);
}

void fakenode_send_json(struct fakenode *fn, const json_t *msg)
{
	char *s = json_dumps(msg, JSON_COMPACT);

	if (!s)
		die("json_dumps");
	fakenode_send(fn, s, strlen(s));
	free(s);
}

void fakenode_reply(struct fakenode *fn, const json_t *id, json_t *result)
{
	json_t *msg = json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id", id, "result", result);

	if (!msg)
		die("json_pack");
	fakenode_send_json(fn, msg);
	json_decref(msg);
}

void fakenode_reply_error(struct fakenode *fn, const json_t *id, int code, const char *message,
			  const char *data)
{
	json_t *msg = json_pack("{s:s, s:O, s:{s:i, s:s, s:s}}", "jsonrpc", "2.0", "id", id, "error",
				"code", code, "message", message, "data", data ? data : "");

	if (!msg)
		die("json_pack");
	fakenode_send_json(fn, msg);
	json_decref(msg);
}

void fakenode_drop(struct fakenode *fn)
{
	struct outmsg *m;

	pthread_mutex_lock(&fn->mu);
	if (!fn->cur) {
		pthread_mutex_unlock(&fn->mu);
		return;
	}
	pthread_mutex_unlock(&fn->mu);
	m = calloc(1, sizeof(*m));
	if (!m)
		die("out of memory");
	m->drop = true;
	queue(fn, m);
}

unsigned fakenode_connections(struct fakenode *fn)
{
	unsigned n;

	pthread_mutex_lock(&fn->mu);
	n = fn->connections;
	pthread_mutex_unlock(&fn->mu);
	return n;
}

int fakenode_idle(struct fakenode *fn)
{
	int idle;

	pthread_mutex_lock(&fn->mu);
	idle = fn->cur && !fn->head;
	pthread_mutex_unlock(&fn->mu);
	return idle;
}

static void free_queue(struct fakenode *fn)
{
	while (fn->head) {
		struct outmsg *m = fn->head;

		fn->head = m->next;
		free(m->buf);
		free(m);
	}
	fn->tail = NULL;
}

static int writeable(struct fakenode *fn, struct lws *wsi)
{
	struct outmsg *m;
	int more;

	pthread_mutex_lock(&fn->mu);
	m = fn->head;
	if (!m || fn->cur != wsi) {
		pthread_mutex_unlock(&fn->mu);
		return 0;
	}
	fn->head = m->next;
	if (!fn->head)
		fn->tail = NULL;
	more = fn->head != NULL;
	if (m->drop)
		fn->cur = NULL;
	pthread_mutex_unlock(&fn->mu);
	if (m->drop) {
		free(m);
		return -1;
	}
	if (lws_write(wsi, m->buf + LWS_PRE, m->len, LWS_WRITE_TEXT) < (int)m->len) {
		free(m->buf);
		free(m);
		return -1;
	}
	free(m->buf);
	free(m);
	if (more)
		lws_callback_on_writable(wsi);
	return 0;
}

static void receive(struct fakenode *fn, struct lws *wsi, const void *in, size_t len)
{
	unsigned char *nrx = realloc(fn->rx, fn->rx_len + len + 1);
	json_t *req;

	if (!nrx)
		die("out of memory");
	fn->rx = nrx;
	memcpy(fn->rx + fn->rx_len, in, len);
	fn->rx_len += len;
	if (lws_remaining_packet_payload(wsi) || !lws_is_final_fragment(wsi))
		return;
	req = json_loadb((const char *)fn->rx, fn->rx_len, 0, NULL);
	fn->rx_len = 0;
	if (req) {
		fn->handler(fn->arg, fn, req);
		json_decref(req);
	}
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		    size_t len)
{
	struct fakenode *fn = lws_context_user(lws_get_context(wsi));

	(void)user;
	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		pthread_mutex_lock(&fn->mu);
		fn->cur = wsi;
		fn->connections++;
		fn->rx_len = 0;
		pthread_mutex_unlock(&fn->mu);
		lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_RECEIVE:
		receive(fn, wsi, in, len);
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return writeable(fn, wsi);
	case LWS_CALLBACK_CLOSED:
		pthread_mutex_lock(&fn->mu);
		if (fn->cur == wsi)
			fn->cur = NULL;
		pthread_mutex_unlock(&fn->mu);
		break;
	case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
		pthread_mutex_lock(&fn->mu);
		if (fn->cur && fn->head)
			lws_callback_on_writable(fn->cur);
		pthread_mutex_unlock(&fn->mu);
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ .name = "fake-cometbft", .callback = callback, .rx_buffer_size = 65536 },
	{ .name = NULL },
};

static void *run(void *arg)
{
	struct fakenode *fn = arg;

	while (!fn->stop)
		lws_service(fn->ctx, 0);
	return NULL;
}

struct fakenode *fakenode_start(fakenode_handler handler, void *arg)
{
	struct lws_context_creation_info info;
	struct fakenode *fn = calloc(1, sizeof(*fn));
	int port;

	if (!fn)
		die("out of memory");
	fn->handler = handler;
	fn->arg = arg;
	pthread_mutex_init(&fn->mu, NULL);
	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof(info));
	info.port = 0;	/* the kernel picks one */
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	info.gid = -1;
	info.uid = -1;
	info.user = fn;
	fn->ctx = lws_create_context(&info);
	if (!fn->ctx)
		die("lws_create_context");
	port = lws_get_vhost_listen_port(lws_get_vhost_by_name(fn->ctx, "default"));
	if (port <= 0)
		die("no listen port");
	snprintf(fn->url, sizeof(fn->url), "ws://127.0.0.1:%d/websocket", port);
	if (pthread_create(&fn->thread, NULL, run, fn))
		die("pthread_create");
	return fn;
}

void fakenode_stop(struct fakenode *fn)
{
	if (!fn)
		return;
	fn->stop = 1;
	lws_cancel_service(fn->ctx);
	pthread_join(fn->thread, NULL);
	lws_context_destroy(fn->ctx);
	free_queue(fn);
	free(fn->rx);
	pthread_mutex_destroy(&fn->mu);
	free(fn);
}

const char *fakenode_url(const struct fakenode *fn)
{
	return fn->url;
}
