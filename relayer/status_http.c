/* The daemon's HTTP endpoints on a libwebsockets vhost (see status_http.h).
 *
 * Each answer is built whole (metrics text or a JSON document: small) into
 * a buffer that starts with LWS_PRE spare bytes, the headers are written at
 * once and the body in chunks when the socket is writable.
 *
 * A vhost can outlive the server struct: lws 4.1 keeps a vhost that was
 * asked to go away (and its listening socket) until its last connection
 * is gone or the context is destroyed, runs callbacks of its closing
 * connections meanwhile, and keeps pointers to the vhost name and the
 * interface string it was created with. So the vhost points at a small
 * block of its own (struct vh_data) holding those strings and the server
 * pointer; rly_status_http_free() clears the pointer, and the block is
 * freed by whichever of the server and the vhost's finalize callback lets
 * go of it last. */
#include "relayer/status_http.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "common/buf.h"
#include "common/number.h"

#define WRITE_CHUNK 65536

/* Shared by the server and its vhost; see the top of the file. */
struct vh_data {
	char name[32];
	char iface[RLY_HTTP_HOST_MAX];
	struct rly_status_http *srv;	/* NULL once the server is freed */
	bool lws_released;		/* the vhost's finalize ran */
	bool srv_released;
};

struct rly_status_http {
	struct lws_context *ctx;
	bool own_ctx;
	struct lws_vhost *vh;
	struct vh_data *vd;
	struct rly_status_http_opts o;
	int port;
	lws_sorted_usec_list_t wake;
	int depth;		/* > 0 inside rly_status_http_service */
};

/* Per connection; lws allocates it zeroed and frees it. */
struct pss {
	struct px_buf resp;		/* LWS_PRE bytes, then the body */
	size_t off;			/* body bytes sent */
	bool busy;			/* a response is being written */
	bool close_after;
};

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		    size_t len);

static const struct lws_protocols protocols[] = {
	{ "pontifex-status-http", callback, sizeof(struct pss), 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 },
};

/* --- listen addresses ------------------------------------------------------- */

bool rly_listen_parse(struct px_err *err, struct rly_listen *out, const char *name,
		      const char *listen)
{
	struct rly_listen l;
	const char *colon, *host = listen;
	size_t host_len;
	char tmp[RLY_HTTP_HOST_MAX];
	uint64_t port;

	memset(&l, 0, sizeof(l));
	if (!listen || !*listen)
		return px_err_set(err, PX_E_CONFIG, "%s: no listen address", name);
	colon = strrchr(listen, ':');
	if (!colon || colon[1] == 0)
		return px_err_set(err, PX_E_CONFIG, "%s: %s: no port (write host:port)", name, listen);
	if (!px_parse_u64(NULL, &port, colon + 1, strlen(colon + 1)) || port > 65535)
		return px_err_set(err, PX_E_CONFIG, "%s: %s: port must be 0 to 65535", name, listen);
	host_len = (size_t)(colon - listen);
	if (host_len >= 2 && host[0] == '[' && host[host_len - 1] == ']') {
		host++;
		host_len -= 2;
		l.ipv6 = true;
	}
	if (host_len == 0 || host_len >= sizeof(tmp))
		return px_err_set(err, PX_E_CONFIG, "%s: %s: bad host", name, listen);
	memcpy(tmp, host, host_len);
	tmp[host_len] = 0;
	if (l.ipv6) {
		struct in6_addr a6;

		if (inet_pton(AF_INET6, tmp, &a6) != 1)
			return px_err_set(err, PX_E_CONFIG, "%s: %s: bad IPv6 address", name, listen);
		if (memcmp(&a6, &in6addr_loopback, sizeof(a6)) != 0)
			goto not_loopback;
		snprintf(l.host, sizeof(l.host), "::1");
	} else {
		struct in_addr a4;

		if (strcmp(tmp, "localhost") == 0) {
			snprintf(l.host, sizeof(l.host), "127.0.0.1");
		} else if (inet_pton(AF_INET, tmp, &a4) == 1) {
			if ((ntohl(a4.s_addr) >> 24) != 127)
				goto not_loopback;
			inet_ntop(AF_INET, &a4, l.host, sizeof(l.host));
		} else if (strchr(tmp, ':')) {
			return px_err_set(err, PX_E_CONFIG, "%s: %s: write IPv6 hosts as [::1]:port",
					  name, listen);
		} else {
			goto not_loopback;	/* a name other than localhost, or 0.0.0.0-like junk */
		}
	}
	l.port = (int)port;
	*out = l;
	return true;
not_loopback:
	return px_err_set(err, PX_E_CONFIG,
			  "%s: %s is not a loopback address; the endpoints have no authentication, "
			  "so only 127.0.0.0/8, localhost and [::1] are allowed",
			  name, listen);
}

/* --- answers ---------------------------------------------------------------- */

static bool resp_start(struct pss *p)
{
	static const uint8_t pre[LWS_PRE];

	px_buf_reset(&p->resp);
	p->off = 0;
	px_buf_append(&p->resp, pre, sizeof(pre));
	return px_buf_ok(&p->resp);
}

/* Writes the headers now and queues the body already in p->resp. */
static int resp_send(struct lws *wsi, struct pss *p, unsigned status, const char *type,
		     bool allow_get)
{
	uint8_t hdr[LWS_PRE + 512], *start = hdr + LWS_PRE, *pos = start, *end = hdr + sizeof(hdr) - 1;
	size_t body = p->resp.len - LWS_PRE;

	if (!px_buf_ok(&p->resp))
		return -1;
	if (lws_add_http_common_headers(wsi, status, type, body, &pos, end))
		return -1;
	if (allow_get && lws_add_http_header_by_name(wsi, (const unsigned char *)"allow:",
						     (const unsigned char *)"GET", 3, &pos, end))
		return -1;
	if (lws_add_http_header_by_name(wsi, (const unsigned char *)"cache-control:",
					(const unsigned char *)"no-store", 8, &pos, end))
		return -1;
	if (lws_finalize_write_http_header(wsi, start, &pos, end))
		return -1;
	p->busy = true;
	lws_callback_on_writable(wsi);
	return 0;
}

/* doc is stolen. */
static int send_json(struct lws *wsi, struct pss *p, unsigned status, json_t *doc)
{
	char *text = doc ? json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS) : NULL;

	json_decref(doc);
	if (!text || !resp_start(p)) {
		free(text);
		return -1;
	}
	px_buf_append(&p->resp, text, strlen(text));
	px_buf_push(&p->resp, '\n');
	free(text);
	return resp_send(wsi, p, status, "application/json", status == 405);
}

static int send_error(struct lws *wsi, struct pss *p, unsigned status, const char *name,
		      const char *message, int code)
{
	json_t *doc = json_pack("{s:s, s:s}", "error", name, "message", message);

	if (doc && code && json_object_set_new(doc, "code", json_integer(code)) != 0) {
		json_decref(doc);
		doc = NULL;
	}
	return send_json(wsi, p, status, doc);
}

/* A callback's result: 200 with the document, or the error it reported. */
static int send_result(struct lws *wsi, struct pss *p, json_t *doc, const struct px_err *err,
		       const char *what)
{
	char msg[PX_ERR_MSG_MAX + 64];

	if (doc)
		return send_json(wsi, p, 200, doc);
	if (err->code == PX_E_IBC_NOT_FOUND)
		return send_error(wsi, p, 404, "not_found", err->msg[0] ? err->msg : "not found",
				  err->code);
	snprintf(msg, sizeof(msg), "%s: %s", what, err->msg[0] ? err->msg : "no answer");
	return send_error(wsi, p, 500, "internal", msg, err->code ? err->code : PX_E_INTERNAL);
}

static int serve_metrics(struct lws *wsi, struct pss *p, const struct rly_status_http *s)
{
	if (!resp_start(p) || !rly_metrics_render(s->o.metrics, &p->resp))
		return -1;
	return resp_send(wsi, p, 200, "text/plain; version=0.0.4", false);
}

static int serve_status(struct lws *wsi, struct pss *p, const struct rly_status_http *s)
{
	struct px_err err = { 0 };
	json_t *doc = s->o.status(s->o.arg, &err);

	if (!doc && !err.code)
		err.code = PX_E_INTERNAL;
	return send_result(wsi, p, doc, &err, "status");
}

/* ICS-24 identifier characters; chain ids use a subset of them. */
static bool ident_char(char c, bool chain)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '.' || c == '_' || c == '-')
		return true;
	return !chain && (c == '+' || c == '#' || c == '[' || c == ']' || c == '<' || c == '>');
}

/* /packets/{chain}/{port}/{channel}/{sequence}: the four segments, copied
 * into seg (each RLY_HTTP_SEGMENT_MAX + 1 bytes), or a reason in why. */
static bool packet_path_parse(struct rly_packet_ref *ref, char seg[4][RLY_HTTP_SEGMENT_MAX + 1],
			      const char *rest, const char **why)
{
	size_t n = 0;

	for (;;) {
		const char *slash = strchr(rest, '/');
		size_t len = slash ? (size_t)(slash - rest) : strlen(rest);

		if (n == 4) {
			*why = "expected /packets/{chain}/{port}/{channel}/{sequence}";
			return false;
		}
		if (len == 0 || len > RLY_HTTP_SEGMENT_MAX) {
			*why = len ? "a path segment is longer than 128 bytes"
				   : "expected /packets/{chain}/{port}/{channel}/{sequence}";
			return false;
		}
		memcpy(seg[n], rest, len);
		seg[n][len] = 0;
		if (n < 3) {
			for (size_t i = 0; i < len; i++) {
				if (!ident_char(seg[n][i], n == 0)) {
					*why = n == 0 ? "bad character in the chain id" :
					       n == 1 ? "bad character in the port id" :
							"bad character in the channel id";
					return false;
				}
			}
		}
		n++;
		if (!slash)
			break;
		rest = slash + 1;
	}
	if (n != 4) {
		*why = "expected /packets/{chain}/{port}/{channel}/{sequence}";
		return false;
	}
	if (!px_parse_u64(NULL, &ref->sequence, seg[3], strlen(seg[3])) || ref->sequence == 0) {
		*why = "the sequence must be a decimal number from 1, without leading zeros";
		return false;
	}
	ref->chain = seg[0];
	ref->port = seg[1];
	ref->channel = seg[2];
	return true;
}

static int serve_packet(struct lws *wsi, struct pss *p, const struct rly_status_http *s,
			const char *rest)
{
	char seg[4][RLY_HTTP_SEGMENT_MAX + 1];
	struct rly_packet_ref ref;
	struct px_err err = { 0 };
	const char *why = NULL;
	json_t *doc;

	memset(&ref, 0, sizeof(ref));
	if (!packet_path_parse(&ref, seg, rest, &why))
		return send_error(wsi, p, 400, "bad_request", why, 0);
	doc = s->o.packet(s->o.arg, &err, &ref);
	if (!doc && !err.code)
		err.code = PX_E_INTERNAL;
	return send_result(wsi, p, doc, &err, "packet");
}

static int on_request(struct lws *wsi, struct pss *p, const char *path)
{
	struct vh_data *vd = lws_vhost_user(lws_get_vhost(wsi));
	const struct rly_status_http *s = vd ? vd->srv : NULL;

	if (!s)
		return -1;	/* the server is going away */
	if (p->busy)
		return -1;	/* a request while the last answer is written */
	if (lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) <= 0) {
		/* a body may follow; do not wait for it */
		p->close_after = true;
		return send_error(wsi, p, 405, "method_not_allowed", "only GET is served", 0);
	}
	if ((s->o.serve & RLY_HTTP_METRICS) && strcmp(path, "/metrics") == 0)
		return serve_metrics(wsi, p, s);
	if ((s->o.serve & RLY_HTTP_STATUS) && strcmp(path, "/status") == 0)
		return serve_status(wsi, p, s);
	if ((s->o.serve & RLY_HTTP_STATUS) &&
	    (strcmp(path, "/packets") == 0 || strncmp(path, "/packets/", 9) == 0))
		return serve_packet(wsi, p, s, path[8] ? path + 9 : "");
	return send_error(wsi, p, 404, "not_found", "no such endpoint", 0);
}

static int on_writable(struct lws *wsi, struct pss *p)
{
	size_t body = p->resp.len - LWS_PRE, left, n;

	if (!p->busy)
		return 0;
	left = body - p->off;
	n = left < WRITE_CHUNK ? left : WRITE_CHUNK;
	/* lws_write wants LWS_PRE writable bytes before the data: the prefix,
	 * or the part of the body already sent. */
	if (lws_write(wsi, p->resp.data + LWS_PRE + p->off, n,
		      n == left ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) != (int)n)
		return -1;
	p->off += n;
	if (p->off < body) {
		lws_callback_on_writable(wsi);
		return 0;
	}
	p->busy = false;
	px_buf_free(&p->resp);
	if (p->close_after)
		return -1;
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		    size_t len)
{
	struct pss *p = user;

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		return on_request(wsi, p, in ? (const char *)in : "");
	case LWS_CALLBACK_HTTP_BODY:
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		return 0;	/* only non-GET requests have bodies: already answered 405 */
	case LWS_CALLBACK_HTTP_WRITEABLE:
		return p ? on_writable(wsi, p) : 0;
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
	case LWS_CALLBACK_CLOSED_HTTP:
		if (p)
			px_buf_free(&p->resp);
		return 0;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

/* --- the server ------------------------------------------------------------- */

static bool opts_check(struct px_err *err, const struct rly_status_http_opts *o)
{
	if (!o->name || !*o->name || strlen(o->name) >= 16)
		return px_err_set(err, PX_E_USAGE, "http server: a short name is needed");
	if (!o->serve || (o->serve & ~(RLY_HTTP_METRICS | RLY_HTTP_STATUS)))
		return px_err_set(err, PX_E_USAGE, "%s: nothing to serve", o->name);
	if ((o->serve & RLY_HTTP_METRICS) && !o->metrics)
		return px_err_set(err, PX_E_USAGE, "%s: /metrics needs a registry", o->name);
	if ((o->serve & RLY_HTTP_STATUS) && (!o->status || !o->packet))
		return px_err_set(err, PX_E_USAGE, "%s: /status needs its callbacks", o->name);
	return true;
}

static void vh_finalize(struct lws_vhost *vh, void *arg)
{
	struct vh_data *vd = arg;

	(void)vh;
	vd->lws_released = true;
	if (vd->srv_released)
		free(vd);
}

static void vh_data_release(struct vh_data *vd)
{
	vd->srv = NULL;
	vd->srv_released = true;
	if (vd->lws_released)
		free(vd);
}

bool rly_status_http_new(struct px_err *err, struct rly_status_http **out, struct lws_context *ctx,
			 const struct rly_status_http_opts *opts)
{
	struct lws_context_creation_info info;
	struct rly_listen l;
	struct rly_status_http *s;

	*out = NULL;
	if (!opts_check(err, opts) || !rly_listen_parse(err, &l, opts->name, opts->listen))
		return false;
	s = calloc(1, sizeof(*s));
	if (!s || !(s->vd = calloc(1, sizeof(*s->vd)))) {
		free(s);
		return px_err_set(err, PX_E_NOMEM, "%s: out of memory", opts->name);
	}
	s->o = *opts;
	s->vd->srv = s;
	snprintf(s->vd->name, sizeof(s->vd->name), "pontifex-%s", opts->name);
	snprintf(s->vd->iface, sizeof(s->vd->iface), "%s", l.host);
	s->ctx = ctx;
	if (!ctx) {
		memset(&info, 0, sizeof(info));
		info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
		info.port = CONTEXT_PORT_NO_LISTEN;
		info.gid = -1;
		info.uid = -1;
		s->ctx = lws_create_context(&info);
		if (!s->ctx) {
			px_err_set(err, PX_E_IO, "%s: cannot create the lws context", opts->name);
			goto fail;
		}
		s->own_ctx = true;
	}
	memset(&info, 0, sizeof(info));
	info.vhost_name = s->vd->name;
	info.iface = s->vd->iface;
	info.port = l.port;
	info.protocols = protocols;
	info.options = LWS_SERVER_OPTION_FAIL_UPON_UNABLE_TO_BIND |
		       (l.ipv6 ? 0 : LWS_SERVER_OPTION_DISABLE_IPV6);
	info.user = s->vd;
	info.finalize = vh_finalize;
	info.finalize_arg = s->vd;
	s->vh = lws_create_vhost(s->ctx, &info);
	if (!s->vh) {
		/* a vhost that failed is gone: its finalize ran or never will */
		s->vd->lws_released = true;
		px_err_set(err, PX_E_IO, "%s: cannot listen on %s", opts->name, opts->listen);
		goto fail;
	}
	s->port = lws_get_vhost_listen_port(s->vh);
	if (s->port <= 0) {
		px_err_set(err, PX_E_IO, "%s: cannot listen on %s", opts->name, opts->listen);
		goto fail;
	}
	*out = s;
	return true;
fail:
	if (s->vh && !s->own_ctx)
		lws_vhost_destroy(s->vh);
	if (s->own_ctx)
		lws_context_destroy(s->ctx);
	vh_data_release(s->vd);
	free(s);
	return false;
}

void rly_status_http_free(struct rly_status_http *s)
{
	if (!s)
		return;
	s->vd->srv = NULL;	/* callbacks that still come find no server */
	if (s->own_ctx)
		lws_context_destroy(s->ctx);
	else
		lws_vhost_destroy(s->vh);
	vh_data_release(s->vd);
	free(s);
}

int rly_status_http_port(const struct rly_status_http *s)
{
	return s ? s->port : 0;
}

static void wake_cb(lws_sorted_usec_list_t *sul)
{
	(void)sul;	/* firing is enough: lws_service returns after a timer */
}

bool rly_status_http_service(struct rly_status_http *s, int timeout_ms)
{
	int rc;

	if (!s || !s->own_ctx || s->depth > 0)
		return false;
	s->depth++;
	/* lws_service sleeps until its next timer whatever its timeout, so the
	 * wait is a timer; -1 asks for one pass without waiting. */
	if (timeout_ms > 0)
		lws_sul_schedule(s->ctx, 0, &s->wake, wake_cb, (lws_usec_t)timeout_ms * LWS_US_PER_MS);
	rc = lws_service(s->ctx, timeout_ms > 0 ? 0 : -1);
	lws_sul_cancel(&s->wake);
	s->depth--;
	return rc >= 0;
}
