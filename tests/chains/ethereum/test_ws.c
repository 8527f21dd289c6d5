/* Unit tests for chains/ethereum/ws.c: ws:// URL parsing and its
 * refusals, and a connection to a loopback port where nothing listens
 * (it keeps retrying with backoff, never reports open, and the loop's
 * deadline and free work while a retry is pending). The message path is
 * exercised against a real node by tests/eth. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "chains/ethereum/ws.h"

static void test_url(void **state)
{
	struct ethrpc_url u;
	struct px_err err = { 0 };

	(void)state;
	assert_true(ethrpc_url_parse(&err, &u, "ws://127.0.0.1:8545"));
	assert_string_equal(u.host, "127.0.0.1");
	assert_int_equal(u.port, 8545);
	assert_string_equal(u.path, "/");
	assert_true(ethrpc_url_parse(&err, &u, "ws://node.local/rpc/v1"));
	assert_string_equal(u.host, "node.local");
	assert_int_equal(u.port, 80);
	assert_string_equal(u.path, "/rpc/v1");
	assert_true(ethrpc_url_parse(&err, &u, "ws://[::1]:9000/x"));
	assert_string_equal(u.host, "::1");
	assert_int_equal(u.port, 9000);
	assert_string_equal(u.path, "/x");

	const char *bad[] = {
		"http://127.0.0.1:8545", "ws://", "ws://:80", "ws://h:0", "ws://h:65536",
		"ws://h:08", "ws://h:-1", "ws://h:12a", "ws://u@h:1", "ws://[::1", "ws://[::1]x",
		"127.0.0.1:8545", "",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		px_err_clear(&err);
		assert_false(ethrpc_url_parse(&err, &u, bad[i]));
		assert_int_equal(err.code, PX_E_CONFIG);
		assert_int_equal(u.port, 0);
	}
	px_err_clear(&err);
	assert_false(ethrpc_url_parse(&err, &u, "wss://example.org/"));
	assert_int_equal(err.code, PX_E_UNSUPPORTED);
}

struct counts {
	int open, close, message, tick;
};

static void ev_open(void *user) { ((struct counts *)user)->open++; }
static void ev_close(void *user, const char *why) { (void)why; ((struct counts *)user)->close++; }
static void ev_message(void *user, const char *t, size_t n)
{
	(void)t;
	(void)n;
	((struct counts *)user)->message++;
}
static void ev_tick(void *user, uint64_t now) { (void)now; ((struct counts *)user)->tick++; }

/* A loopback port nothing listens on (bound, then released). */
static uint16_t closed_port(void)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	close(fd);
	return ntohs(a.sin_port);
}

static void test_nothing_listening(void **state)
{
	struct ethrpc_loop *loop;
	struct ethrpc_ws *ws;
	struct ethrpc_ws_config cfg;
	struct counts n = { 0 };
	struct ethrpc_ws_events ev = { ev_open, ev_close, ev_message, ev_tick, &n };
	uint64_t t0;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.url.host, sizeof(cfg.url.host), "127.0.0.1");
	cfg.url.port = closed_port();
	snprintf(cfg.url.path, sizeof(cfg.url.path), "/");
	cfg.backoff_min_ms = 20;
	cfg.backoff_max_ms = 80;
	cfg.tick_ms = 20;
	assert_true(ethrpc_loop_new(NULL, &loop));
	assert_true(ethrpc_ws_new(NULL, &ws, loop, &cfg, &ev));
	assert_false(ethrpc_ws_connected(ws));
	assert_false(ethrpc_ws_send(ws, "{}", 2));
	t0 = ethrpc_now_ms();
	assert_false(ethrpc_loop_run(loop, 400));
	assert_true(ethrpc_now_ms() - t0 >= 390);
	assert_true(ethrpc_now_ms() - t0 < 5000);
	assert_int_equal(n.open, 0);
	assert_int_equal(n.close, 0);
	assert_int_equal(n.message, 0);
	assert_true(n.tick >= 5);
	assert_int_equal(ethrpc_ws_connects(ws), 0);
	ethrpc_ws_drop(ws, 10);
	ethrpc_ws_free(ws);
	ethrpc_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_nothing_listening),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
