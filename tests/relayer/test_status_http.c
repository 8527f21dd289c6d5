/* Tests of relayer/status_http.c against real sockets on 127.0.0.1: a
 * server on a free port (port 0), fetched by a plain blocking socket client
 * on a second thread while the test's main thread runs the event loop (as
 * the daemon's loop thread would). Covers /metrics (body and content type),
 * /status, /packets (found, unknown, malformed in many ways), unknown
 * paths, non-GET methods, a failing callback, keep-alive, a server added to
 * a context made for websocket clients (the cmt_loop case) and freed while
 * a connection is open, a port already taken, and the refusal of
 * non-loopback and malformed listen addresses. Every wait is bounded. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "common/number.h"
#include "relayer/metrics.h"
#include "relayer/status_http.h"

#define DEADLINE_S 20

/* ---- a plain HTTP client --------------------------------------------------- */

struct reply {
	int status;
	char head[4096];	/* status line and headers, NUL-terminated */
	char body[65536];
	size_t body_len;
	bool eof;		/* the server closed the connection after it */
};

static int client_connect(int port)
{
	struct sockaddr_in a;
	struct timeval tv = { 5, 0 };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool send_all(int fd, const char *s)
{
	size_t len = strlen(s);

	while (len) {
		ssize_t n = send(fd, s, len, MSG_NOSIGNAL);

		if (n <= 0)
			return false;
		s += n;
		len -= (size_t)n;
	}
	return true;
}

/* A header's value (case-insensitive name), or "" when absent. */
static const char *header(const struct reply *r, const char *name, char *out, size_t cap)
{
	size_t nl = strlen(name);

	out[0] = 0;
	for (const char *line = strstr(r->head, "\r\n"); line && line[2]; line = strstr(line + 2, "\r\n")) {
		const char *l = line + 2, *end = strstr(l, "\r\n");

		if (strncasecmp(l, name, nl) == 0 && l[nl] == ':') {
			size_t n;

			l += nl + 1;
			while (*l == ' ')
				l++;
			n = end ? (size_t)(end - l) : strlen(l);
			if (n >= cap)
				n = cap - 1;
			memcpy(out, l, n);
			out[n] = 0;
			break;
		}
	}
	return out;
}

/* Reads one response: headers, then Content-Length bytes of body. */
static bool read_reply(int fd, struct reply *r)
{
	char buf[sizeof(r->head) + sizeof(r->body)];
	size_t have = 0, head_len = 0, want = 0;
	uint64_t code, clen;
	char cl[32];

	memset(r, 0, sizeof(*r));
	for (;;) {
		char *end;
		ssize_t n;

		buf[have] = 0;
		if (!head_len && (end = strstr(buf, "\r\n\r\n"))) {
			head_len = (size_t)(end - buf) + 4;
			if (head_len >= sizeof(r->head))
				return false;
			memcpy(r->head, buf, head_len);
			r->head[head_len] = 0;
			/* "HTTP/1.x NNN reason" */
			if (strncmp(r->head, "HTTP/1.", 7) != 0 || r->head[8] != ' ' ||
			    !px_parse_u64(NULL, &code, r->head + 9, 3))
				return false;
			r->status = (int)code;
			header(r, "content-length", cl, sizeof(cl));
			if (!cl[0])
				return false;
			if (!px_parse_u64(NULL, &clen, cl, strlen(cl)) || clen >= sizeof(r->body))
				return false;
			want = (size_t)clen;
			if (want >= sizeof(r->body))
				return false;
		}
		if (head_len && have - head_len >= want)
			break;
		if (have == sizeof(buf) - 1)
			return false;
		n = recv(fd, buf + have, sizeof(buf) - 1 - have, 0);
		if (n <= 0)
			return false;
		have += (size_t)n;
	}
	r->body_len = want;
	memcpy(r->body, buf + head_len, want);
	r->body[want] = 0;
	return true;
}

/* After a response: true when the server closes the connection. */
static bool closed_by_server(int fd)
{
	char c;
	return recv(fd, &c, 1, 0) == 0;
}

/* One request on a new connection; closes it. */
static bool request(int port, const char *raw, struct reply *r)
{
	int fd = client_connect(port);
	bool ok;

	if (fd < 0)
		return false;
	ok = send_all(fd, raw) && read_reply(fd, r);
	close(fd);
	return ok;
}

static bool get(int port, const char *path, struct reply *r)
{
	char raw[1024];

	snprintf(raw, sizeof(raw), "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
		 path);
	return request(port, raw, r);
}

/* ---- running the loop while a client thread works ------------------------- */

typedef void (*script_fn)(void *arg);

struct runner {
	script_fn fn;
	void *arg;
	atomic_int done;
};

static void *runner_main(void *p)
{
	struct runner *r = p;

	r->fn(r->arg);
	atomic_store(&r->done, 1);
	return NULL;
}

/* An lws context made the way cmt_loop_new makes its own: for clients, no
 * listener. */
struct client_ctx {
	struct lws_context *ctx;
	lws_sorted_usec_list_t wake;
};

static void wake_cb(lws_sorted_usec_list_t *sul)
{
	(void)sul;
}

static void client_ctx_service(struct client_ctx *c, int ms)
{
	lws_sul_schedule(c->ctx, 0, &c->wake, wake_cb, (lws_usec_t)ms * LWS_US_PER_MS);
	lws_service(c->ctx, 0);
	lws_sul_cancel(&c->wake);
}

/* Runs fn on a thread while servicing srv (own context) or cc (attached). */
static void run(struct rly_status_http *srv, struct client_ctx *cc, script_fn fn, void *arg)
{
	struct runner r = { .fn = fn, .arg = arg };
	pthread_t t;
	time_t start = time(NULL);

	atomic_init(&r.done, 0);
	assert_int_equal(pthread_create(&t, NULL, runner_main, &r), 0);
	while (!atomic_load(&r.done)) {
		if (time(NULL) - start > DEADLINE_S)
			fail_msg("client thread did not finish in %d s", DEADLINE_S);
		if (cc)
			client_ctx_service(cc, 20);
		else
			assert_true(rly_status_http_service(srv, 20));
	}
	assert_int_equal(pthread_join(t, NULL), 0);
}

/* ---- the daemon's side: callbacks ------------------------------------------ */

struct daemon {
	bool fail_status;
	int packet_calls;
	char last_chain[160], last_port[160], last_channel[160];
	uint64_t last_seq;
};

static json_t *status_cb(void *arg, struct px_err *err)
{
	struct daemon *d = arg;

	if (d->fail_status) {
		px_err_set(err, PX_E_RPC, "chain hub unreachable");
		return NULL;
	}
	return json_pack("{s:[{s:s, s:i}], s:i}", "chains", "id", "hub", "height", 42, "backlog", 3);
}

static json_t *packet_cb(void *arg, struct px_err *err, const struct rly_packet_ref *ref)
{
	struct daemon *d = arg;

	d->packet_calls++;
	snprintf(d->last_chain, sizeof(d->last_chain), "%s", ref->chain);
	snprintf(d->last_port, sizeof(d->last_port), "%s", ref->port);
	snprintf(d->last_channel, sizeof(d->last_channel), "%s", ref->channel);
	d->last_seq = ref->sequence;
	if (ref->sequence != 5) {
		px_err_set(err, PX_E_IBC_NOT_FOUND, "packet %s/%s/%" PRIu64 " is unknown", ref->port,
			   ref->channel, ref->sequence);
		return NULL;
	}
	return json_pack("{s:s, s:I}", "state", "acknowledged", "sequence", (json_int_t)ref->sequence);
}

/* ---- the script of the main test ------------------------------------------ */

#define N_BAD 13
static const char *const bad_paths[N_BAD] = {
	"/packets",
	"/packets/",
	"/packets/hub/transfer/channel-0",
	"/packets/hub/transfer/channel-0/5/extra",
	"/packets/hub/transfer/channel-0/5/",
	"/packets/hub//channel-0/5",
	"/packets/hub/transfer/channel-0/0",
	"/packets/hub/transfer/channel-0/007",
	"/packets/hub/transfer/channel-0/5a",
	"/packets/hub/transfer/channel-0/-5",
	"/packets/hub/transfer/channel-0/18446744073709551616",
	"/packets/h%24b/transfer/channel-0/5",
	"/packets/hub/trans%20fer/channel-0/5",
};

struct script {
	int port;
	bool ok[32];
	struct reply metrics, status, status_fail, packet, unknown, bad[N_BAD], long_seg;
	struct reply nope, root, metrics_slash, post, del, ka1, ka2;
	bool ka_closed, post_closed;
	atomic_int may_fail;	/* main thread flips the daemon's failure switch */
};

static void script_main(void *arg)
{
	struct script *s = arg;
	char path[512];
	int fd, i = 0;

	s->ok[i++] = get(s->port, "/metrics", &s->metrics);
	s->ok[i++] = get(s->port, "/status", &s->status);
	s->ok[i++] = get(s->port, "/packets/hub/transfer/channel-0/5", &s->packet);
	s->ok[i++] = get(s->port, "/packets/hub/transfer/channel-0/99", &s->unknown);
	for (int k = 0; k < N_BAD; k++)
		if (!get(s->port, bad_paths[k], &s->bad[k]))
			s->bad[k].status = -1;	/* reported per path by the checks */
	/* a 129-byte channel id */
	snprintf(path, sizeof(path), "/packets/hub/transfer/%0*d/5", RLY_HTTP_SEGMENT_MAX + 1, 7);
	s->ok[i++] = get(s->port, path, &s->long_seg);
	s->ok[i++] = get(s->port, "/nope", &s->nope);
	s->ok[i++] = get(s->port, "/", &s->root);
	s->ok[i++] = get(s->port, "/metrics/", &s->metrics_slash);

	/* POST with a body: 405, and the connection is closed */
	fd = client_connect(s->port);
	s->ok[i++] = fd >= 0 &&
		     send_all(fd, "POST /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				  "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}") &&
		     read_reply(fd, &s->post);
	s->post_closed = fd >= 0 && closed_by_server(fd);
	if (fd >= 0)
		close(fd);
	s->ok[i++] = request(s->port, "DELETE /status HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				      "Connection: close\r\n\r\n", &s->del);

	/* keep-alive: two requests on one connection */
	fd = client_connect(s->port);
	s->ok[i++] = fd >= 0 &&
		     send_all(fd, "GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") &&
		     read_reply(fd, &s->ka1) &&
		     send_all(fd, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				  "Connection: close\r\n\r\n") &&
		     read_reply(fd, &s->ka2);
	s->ka_closed = fd >= 0 && closed_by_server(fd);
	if (fd >= 0)
		close(fd);

	/* a failing status callback: ask the main thread to flip the switch */
	atomic_store(&s->may_fail, 1);
	while (atomic_load(&s->may_fail) != 2)
		usleep(1000);
	s->ok[i++] = get(s->port, "/status", &s->status_fail);
	while (i < 32)
		s->ok[i++] = true;
}

static void assert_json_error(const struct reply *r, int status, const char *name)
{
	json_error_t je;
	json_t *doc;
	char ct[128];

	if (r->status != status)
		fail_msg("status %d, want %d (%s)", r->status, status, r->body);
	assert_string_equal(header(r, "content-type", ct, sizeof(ct)), "application/json");
	doc = json_loadb(r->body, r->body_len, 0, &je);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "error")), name);
	assert_true(json_is_string(json_object_get(doc, "message")));
	json_decref(doc);
}

static struct rly_metrics *test_registry(void)
{
	struct px_err err = { 0 };
	struct rly_metrics *reg = NULL;
	struct rly_relayer_metrics rm;

	assert_true(rly_metrics_new(&err, &reg));
	assert_true(rly_relayer_metrics_register(&err, &rm, reg));
	assert_true(rly_metric_inc(rm.packets_relayed, RLY_LABELS("hub-osmo", "recv")));
	assert_true(rly_metric_observe(rm.tx_latency, RLY_LABELS("hub"), 0.75));
	assert_true(rly_metric_set(rm.journal_packets, NULL, 7));
	return reg;
}

static char *render_text(const struct rly_metrics *reg)
{
	struct px_buf b = PX_BUF_INIT;
	char *s;

	assert_true(rly_metrics_render(reg, &b));
	s = calloc(1, b.len + 1);
	assert_non_null(s);
	memcpy(s, b.data, b.len);
	px_buf_free(&b);
	return s;
}

/* The main thread services the server; the failure switch is flipped from
 * here (the loop thread), as the daemon's state would change. */
static void run_main_script(struct rly_status_http *srv, struct script *s, struct daemon *d)
{
	struct runner r = { .fn = script_main, .arg = s };
	pthread_t t;
	time_t start = time(NULL);

	atomic_init(&r.done, 0);
	assert_int_equal(pthread_create(&t, NULL, runner_main, &r), 0);
	while (!atomic_load(&r.done)) {
		if (time(NULL) - start > DEADLINE_S)
			fail_msg("client thread did not finish in %d s", DEADLINE_S);
		assert_true(rly_status_http_service(srv, 20));
		if (atomic_load(&s->may_fail) == 1) {
			d->fail_status = true;
			atomic_store(&s->may_fail, 2);
		}
	}
	assert_int_equal(pthread_join(t, NULL), 0);
}

static void test_endpoints(void **state)
{
	struct px_err err = { 0 };
	struct rly_metrics *reg = test_registry();
	struct daemon d;
	struct rly_status_http_opts o = {
		.name = "status", .listen = "127.0.0.1:0",
		.serve = RLY_HTTP_METRICS | RLY_HTTP_STATUS, .metrics = reg,
		.status = status_cb, .packet = packet_cb, .arg = &d,
	};
	struct rly_status_http *srv = NULL;
	struct script *s = calloc(1, sizeof(*s));
	char ct[128], *want;
	json_t *doc;
	json_error_t je;

	(void)state;
	assert_non_null(s);
	memset(&d, 0, sizeof(d));
	atomic_init(&s->may_fail, 0);
	if (!rly_status_http_new(&err, &srv, NULL, &o))
		fail_msg("%s", err.msg);
	s->port = rly_status_http_port(srv);
	assert_true(s->port > 0);
	run_main_script(srv, s, &d);
	for (int i = 0; i < 32; i++)
		if (!s->ok[i])
			fail_msg("request %d got no well-formed answer", i);

	/* /metrics: the registry's text, with Prometheus' content type */
	assert_int_equal(s->metrics.status, 200);
	assert_string_equal(header(&s->metrics, "content-type", ct, sizeof(ct)),
			    "text/plain; version=0.0.4");
	want = render_text(reg);
	assert_string_equal(s->metrics.body, want);
	assert_non_null(strstr(s->metrics.body,
			       "pontifex_tx_latency_seconds_bucket{chain=\"hub\",le=\"1\"} 1\n"));
	free(want);

	/* /status: the callback's JSON */
	assert_int_equal(s->status.status, 200);
	assert_string_equal(header(&s->status, "content-type", ct, sizeof(ct)), "application/json");
	assert_string_equal(header(&s->status, "cache-control", ct, sizeof(ct)), "no-store");
	assert_string_equal(s->status.body, "{\"backlog\":3,\"chains\":[{\"height\":42,\"id\":\"hub\"}]}\n");

	/* /packets: found and unknown, with the parsed reference */
	assert_int_equal(s->packet.status, 200);
	assert_string_equal(s->packet.body, "{\"sequence\":5,\"state\":\"acknowledged\"}\n");
	assert_json_error(&s->unknown, 404, "not_found");
	doc = json_loadb(s->unknown.body, s->unknown.body_len, 0, &je);
	assert_int_equal(json_integer_value(json_object_get(doc, "code")), PX_E_IBC_NOT_FOUND);
	assert_string_equal(json_string_value(json_object_get(doc, "message")),
			    "packet transfer/channel-0/99 is unknown");
	json_decref(doc);
	assert_int_equal(d.packet_calls, 2);	/* malformed paths never reach the daemon */
	assert_string_equal(d.last_chain, "hub");
	assert_string_equal(d.last_port, "transfer");
	assert_string_equal(d.last_channel, "channel-0");
	assert_true(d.last_seq == 99);

	for (int k = 0; k < N_BAD; k++) {
		if (s->bad[k].status != 400)
			fail_msg("%s: status %d, want 400 (%s)", bad_paths[k], s->bad[k].status,
				 s->bad[k].body);
		assert_json_error(&s->bad[k], 400, "bad_request");
	}
	assert_json_error(&s->long_seg, 400, "bad_request");
	assert_non_null(strstr(s->long_seg.body, "longer than 128"));

	assert_json_error(&s->nope, 404, "not_found");
	assert_json_error(&s->root, 404, "not_found");
	assert_json_error(&s->metrics_slash, 404, "not_found");

	assert_json_error(&s->post, 405, "method_not_allowed");
	assert_string_equal(header(&s->post, "allow", ct, sizeof(ct)), "GET");
	assert_true(s->post_closed);
	assert_json_error(&s->del, 405, "method_not_allowed");

	assert_int_equal(s->ka1.status, 200);
	assert_int_equal(s->ka2.status, 200);
	assert_non_null(strstr(s->ka2.body, "# TYPE pontifex_journal_packets gauge\n"));
	assert_true(s->ka_closed);

	assert_json_error(&s->status_fail, 500, "internal");
	assert_non_null(strstr(s->status_fail.body, "chain hub unreachable"));

	rly_status_http_free(srv);
	rly_metrics_free(reg);
	free(s);
}

/* ---- attached to a client context, freed with a connection open ---------- */

struct attach_script {
	int port;
	struct reply metrics, status;
	bool ok1, ok2;
	int idle_fd;
	bool late_ok;
};

static void attach_script_main(void *arg)
{
	struct attach_script *s = arg;

	s->ok1 = get(s->port, "/metrics", &s->metrics);
	s->ok2 = get(s->port, "/status", &s->status);
	s->idle_fd = client_connect(s->port);
}

static void late_script_main(void *arg)
{
	struct attach_script *s = arg;
	struct reply *r = malloc(sizeof(*r));

	s->late_ok = r && get(s->port, "/metrics", r);
	free(r);
}

static int client_proto_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
			   size_t len)
{
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols client_protocols[] = {
	{ "test-client", client_proto_cb, 0, 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 },
};

static void test_attached(void **state)
{
	struct px_err err = { 0 };
	struct rly_metrics *reg = test_registry();
	struct lws_context_creation_info info;
	struct client_ctx cc;
	struct rly_status_http *srv = NULL;
	struct attach_script s;
	struct rly_status_http_opts o = {
		.name = "telemetry", .listen = "localhost:0", .serve = RLY_HTTP_METRICS,
		.metrics = reg,
	};

	(void)state;
	memset(&s, 0, sizeof(s));
	memset(&cc, 0, sizeof(cc));
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = client_protocols;
	info.gid = -1;
	info.uid = -1;
	cc.ctx = lws_create_context(&info);
	assert_non_null(cc.ctx);
	client_ctx_service(&cc, 1);	/* the context is running before the server comes */

	if (!rly_status_http_new(&err, &srv, cc.ctx, &o))
		fail_msg("%s", err.msg);
	s.port = rly_status_http_port(srv);
	assert_true(s.port > 0);
	assert_false(rly_status_http_service(srv, 1));	/* the context's owner services it */
	run(NULL, &cc, attach_script_main, &s);
	assert_true(s.ok1 && s.ok2);
	assert_int_equal(s.metrics.status, 200);
	assert_non_null(strstr(s.metrics.body, "pontifex_journal_packets 7\n"));
	/* a telemetry server does not serve /status */
	assert_json_error(&s.status, 404, "not_found");
	assert_true(s.idle_fd >= 0);

	/* let lws accept the idle connection, then free the server under it;
	 * the loop goes on, and a request that still reaches the port (lws 4.1
	 * keeps the listening socket until the context goes) gets no answer */
	for (int i = 0; i < 5; i++)
		client_ctx_service(&cc, 10);
	rly_status_http_free(srv);
	run(NULL, &cc, late_script_main, &s);
	assert_false(s.late_ok);
	/* the context's end closes the idle connection and the port */
	lws_context_destroy(cc.ctx);
	assert_true(closed_by_server(s.idle_fd));
	close(s.idle_fd);
	assert_int_equal(client_connect(s.port), -1);
	rly_metrics_free(reg);
}

/* ---- addresses and options ------------------------------------------------- */

static void listen_ok(const char *in, const char *host, int port, bool ipv6)
{
	struct px_err err = { 0 };
	struct rly_listen l;

	if (!rly_listen_parse(&err, &l, "status", in))
		fail_msg("%s: %s", in, err.msg);
	assert_string_equal(l.host, host);
	assert_int_equal(l.port, port);
	assert_int_equal(l.ipv6, ipv6);
}

static void listen_bad(const char *in, const char *why)
{
	struct px_err err = { 0 };
	struct rly_listen l;

	memset(&l, 0x5a, sizeof(l));
	if (rly_listen_parse(&err, &l, "status", in))
		fail_msg("%s accepted", in);
	assert_int_equal(err.code, PX_E_CONFIG);
	if (!strstr(err.msg, why))
		fail_msg("%s: \"%s\" lacks \"%s\"", in, err.msg, why);
	assert_int_equal(l.port, 0x5a5a5a5a);	/* untouched */
}

static void test_listen_addresses(void **state)
{
	(void)state;
	listen_ok("127.0.0.1:3001", "127.0.0.1", 3001, false);
	listen_ok("127.1.2.3:0", "127.1.2.3", 0, false);
	listen_ok("localhost:65535", "127.0.0.1", 65535, false);
	listen_ok("[::1]:3002", "::1", 3002, true);
	listen_ok("[0:0:0:0:0:0:0:1]:3002", "::1", 3002, true);

	listen_bad("0.0.0.0:3001", "not a loopback address");
	listen_bad("192.168.1.10:3001", "not a loopback address");
	listen_bad("10.0.0.1:3001", "not a loopback address");
	listen_bad("128.0.0.1:3001", "not a loopback address");
	listen_bad("example.com:80", "not a loopback address");
	listen_bad("localhost.evil:80", "not a loopback address");
	listen_bad("[::]:3001", "not a loopback address");
	listen_bad("[2001:db8::1]:3001", "not a loopback address");
	listen_bad("[::ffff:127.0.0.1]:3001", "not a loopback address");
	listen_bad("127.0.0.01:3001", "not a loopback address");
	listen_bad("::1:3001", "write IPv6 hosts as [::1]:port");
	listen_bad("[::1:3001", "write IPv6 hosts as [::1]:port");
	listen_bad("127.0.0.1", "no port");
	listen_bad("127.0.0.1:", "no port");
	listen_bad("127.0.0.1:65536", "port must be");
	listen_bad("127.0.0.1:030", "port must be");
	listen_bad("127.0.0.1:-1", "port must be");
	listen_bad(":3001", "bad host");
	listen_bad("", "no listen address");
}

static void test_refused_servers(void **state)
{
	struct px_err err = { 0 };
	struct rly_metrics *reg = test_registry();
	struct daemon d;
	struct rly_status_http *a = NULL, *b = (struct rly_status_http *)1;
	struct rly_status_http_opts o = {
		.name = "status", .listen = "0.0.0.0:0", .serve = RLY_HTTP_STATUS,
		.status = status_cb, .packet = packet_cb, .arg = &d,
	};
	char addr[64];

	(void)state;
	/* a non-loopback address is refused before anything is bound */
	assert_false(rly_status_http_new(&err, &b, NULL, &o));
	assert_null(b);
	assert_int_equal(err.code, PX_E_CONFIG);
	assert_non_null(strstr(err.msg, "status: 0.0.0.0:0 is not a loopback address"));

	/* options that lack what they serve */
	o.listen = "127.0.0.1:0";
	o.packet = NULL;
	px_err_clear(&err);
	assert_false(rly_status_http_new(&err, &b, NULL, &o));
	assert_int_equal(err.code, PX_E_USAGE);
	o.packet = packet_cb;
	o.serve = RLY_HTTP_METRICS;
	px_err_clear(&err);
	assert_false(rly_status_http_new(&err, &b, NULL, &o));
	assert_int_equal(err.code, PX_E_USAGE);
	o.serve = 0;
	px_err_clear(&err);
	assert_false(rly_status_http_new(&err, &b, NULL, &o));
	assert_int_equal(err.code, PX_E_USAGE);

	/* a port already taken */
	o.serve = RLY_HTTP_STATUS;
	px_err_clear(&err);
	assert_true(rly_status_http_new(&err, &a, NULL, &o));
	snprintf(addr, sizeof(addr), "127.0.0.1:%d", rly_status_http_port(a));
	o.listen = addr;
	assert_false(rly_status_http_new(&err, &b, NULL, &o));
	assert_null(b);
	assert_int_equal(err.code, PX_E_IO);
	assert_non_null(strstr(err.msg, "cannot listen on"));
	rly_status_http_free(a);
	rly_status_http_free(NULL);
	assert_int_equal(rly_status_http_port(NULL), 0);
	assert_false(rly_status_http_service(NULL, 0));
	rly_metrics_free(reg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listen_addresses),
		cmocka_unit_test(test_refused_servers),
		cmocka_unit_test(test_endpoints),
		cmocka_unit_test(test_attached),
	};

	lws_set_log_level(LLL_ERR, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
