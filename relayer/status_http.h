/* The daemon's HTTP endpoints (DESIGN.md; documented in docs/metrics.md):
 *
 *   GET /metrics                                     Prometheus text 0.0.4
 *   GET /status                                      JSON from a callback
 *   GET /packets/{chain}/{port}/{channel}/{sequence} JSON from a callback
 *
 * One server listens on one address and serves the endpoints its opts ask
 * for: the daemon makes one for the `telemetry` address (/metrics) and one
 * for `status` (/status and /packets). Anything else is 404, a method
 * other than GET is 405, a malformed /packets path is 400; every error body
 * is JSON {"error": NAME, "message": TEXT}.
 *
 * Only loopback addresses are accepted (127.0.0.0/8, localhost, [::1]): the
 * endpoints have no authentication and /status tells about keys' balances
 * and traffic; a reverse proxy or an SSH tunnel is the way to expose them.
 *
 * Event loop: the server is a libwebsockets vhost. Given an lws context (the
 * cmt_loop's, so that the daemon keeps its single event-loop thread and a
 * single poll), it adds its listening vhost to it, and its callbacks run
 * inside that loop's service call. Given none, it makes its own context,
 * which the caller services with rly_status_http_service() from the same
 * thread. Nothing here takes a lock; no function may be called from
 * another thread, nor from inside one of this server's callbacks.
 *
 * Two servers in one context on the same address would share one socket
 * (lws does that on purpose), so the daemon compares the rly_listen_parse()
 * results of `telemetry` and `status` and, when they are equal, starts one
 * server that serves both. With lws 4.1 an attached server's listening
 * socket is only closed when the context is destroyed; until then
 * connections to it are closed without an answer.
 *
 * Memory: the metrics registry and the callbacks' arg are borrowed and must
 * outlive the server. Callback results are new references, stolen. */
#ifndef PX_RELAYER_STATUS_HTTP_H
#define PX_RELAYER_STATUS_HTTP_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "common/errors.h"
#include "relayer/metrics.h"

#define RLY_HTTP_METRICS 1u	/* serve /metrics */
#define RLY_HTTP_STATUS 2u	/* serve /status and /packets/... */

#define RLY_HTTP_SEGMENT_MAX 128	/* bytes of one /packets path segment */
#define RLY_HTTP_HOST_MAX 64

struct lws_context;
struct rly_status_http;

/* The packet a /packets request names; strings are borrowed for the call.
 * chain and port/channel are checked for their character sets only. */
struct rly_packet_ref {
	const char *chain;
	const char *port;
	const char *channel;
	uint64_t sequence;	/* >= 1 */
};

/* Return a JSON value (new reference) for the body of a 200 answer, or NULL
 * with err set: PX_E_IBC_NOT_FOUND answers 404 {"error":"not_found"}, any
 * other code 500 {"error":"internal"}. */
typedef json_t *(*rly_status_fn)(void *arg, struct px_err *err);
typedef json_t *(*rly_packet_json_fn)(void *arg, struct px_err *err,
				     const struct rly_packet_ref *ref);

struct rly_status_http_opts {
	const char *name;		/* "telemetry" or "status": messages, vhost name */
	const char *listen;		/* "host:port"; port 0 takes a free port (tests) */
	unsigned serve;			/* RLY_HTTP_METRICS | RLY_HTTP_STATUS */
	const struct rly_metrics *metrics; /* needed for RLY_HTTP_METRICS */
	rly_status_fn status;		/* needed for RLY_HTTP_STATUS */
	rly_packet_json_fn packet;	/* needed for RLY_HTTP_STATUS */
	void *arg;
};

/* A parsed listen address. */
struct rly_listen {
	char host[RLY_HTTP_HOST_MAX];	/* numeric: "127.0.0.1" or "::1" */
	int port;			/* 0..65535 */
	bool ipv6;
};

/* Parses "host:port" ("[::1]:port" for IPv6) and refuses a host that is not
 * loopback, with PX_E_CONFIG naming `name` (the config key). "off" is not a
 * listen address here: the caller does not start a server for it. */
bool rly_listen_parse(struct px_err *err, struct rly_listen *out, const char *name,
		      const char *listen) PX_MUST_CHECK;

/* Starts listening. ctx: an lws context to add the server's vhost to (for
 * the daemon, the cmt_loop's); NULL to make the server's own context.
 * PX_E_CONFIG for a bad or non-loopback address, PX_E_USAGE for opts that
 * lack what serve needs, PX_E_IO when the address cannot be bound. */
bool rly_status_http_new(struct px_err *err, struct rly_status_http **out, struct lws_context *ctx,
			 const struct rly_status_http_opts *opts) PX_MUST_CHECK;

/* Stops listening and closes the server's connections. With an attached
 * server, call it before the lws context is destroyed. NULL is allowed. */
void rly_status_http_free(struct rly_status_http *s);

/* The port the server listens on (the chosen one when 0 was asked). */
int rly_status_http_port(const struct rly_status_http *s);

/* For a server with its own context: runs its loop once, waiting up to
 * timeout_ms (0: no wait) for activity. False for an attached server (its
 * loop's owner services it) or on an lws failure. */
bool rly_status_http_service(struct rly_status_http *s, int timeout_ms);

#endif
