/* Unit tests for relayer/config.c: a full good configuration and its
 * values and defaults, the example `config init` writes, and every key
 * made wrong once, each refused with PX_E_CONFIG naming the file, the line
 * (and for some the column) and the key path. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relayer/config.h"

#define HASH "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* One line per entry, so a case can replace line N (1-based). */
static const char *const good[] = {
	/* 1 */ "chains:",
	/* 2 */ "  - id: chain-a",
	/* 3 */ "    rpc: ws://127.0.0.1:26657/websocket",
	/* 4 */ "    witnesses: [ \"http://127.0.0.1:26660\", \"wss://w.example.org/websocket\" ]",
	/* 5 */ "    account_prefix: cosmos",
	/* 6 */ "    gas_price: 0.025stake",
	/* 7 */ "    gas_limit: 500000",
	/* 8 */ "    gas_adjustment: 1.5",
	/* 9 */ "    key: relayer",
	/* 10 */ "    trusting_period: 336h",
	/* 11 */ "    trust_level: 1/3",
	/* 12 */ "    clock_drift: 10s",
	/* 13 */ "    trusted_height: 5",
	/* 14 */ "    trusted_hash: " HASH,
	/* 15 */ "  - id: chain-b",
	/* 16 */ "    rpc: wss://b.example.com:443/websocket",
	/* 17 */ "    account_prefix: osmo",
	/* 18 */ "    gas_price: 0.0025uosmo",
	/* 19 */ "    key: relayer",
	/* 20 */ "    trust_level: 2/3",
	/* 21 */ "paths:",
	/* 22 */ "  - name: a-b",
	/* 23 */ "    a: { chain: chain-a, client: 07-tendermint-0, connection: connection-0, channel: channel-0 }",
	/* 24 */ "    b: { chain: chain-b, client: 07-tendermint-1, connection: connection-2, channel: channel-3 }",
	/* 25 */ "    port: transfer",
	/* 26 */ "packet_filter:",
	/* 27 */ "  allow:",
	/* 28 */ "    - { port: transfer, channel: channel-0 }",
	/* 29 */ "max_msgs: 30",
	/* 30 */ "clear_interval: 100",
	/* 31 */ "telemetry: 127.0.0.1:3001",
	/* 32 */ "status: 127.0.0.1:3002",
};
#define GOOD_LINES (sizeof(good) / sizeof(good[0]))

/* The good file with line `line` replaced by `with` (NULL: removed; line
 * 0: nothing replaced, `with` appended). */
static char *variant(size_t line, const char *with)
{
	size_t cap = 8192, len = 0, i;
	char *s = malloc(cap);

	assert_non_null(s);
	for (i = 1; i <= GOOD_LINES; i++) {
		const char *l = i == line ? with : good[i - 1];

		if (l)
			len += (size_t)snprintf(s + len, cap - len, "%s\n", l);
	}
	if (line == 0 && with)
		len += (size_t)snprintf(s + len, cap - len, "%s\n", with);
	assert_true(len < cap);
	return s;
}

static bool parse(struct px_err *err, struct rly_config *cfg, const char *text)
{
	return rly_config_parse(err, cfg, "config.yaml", (const uint8_t *)text, strlen(text));
}

static void test_good(void **state)
{
	char *text = variant(0, NULL);
	struct rly_config cfg;
	struct px_err err = { 0 };
	const struct rly_config_chain *a, *b;

	(void)state;
	if (!parse(&err, &cfg, text))
		fail_msg("%s", err.msg);
	assert_int_equal(cfg.n_chains, 2);
	a = rly_config_chain_find(&cfg, "chain-a");
	b = rly_config_chain_find(&cfg, "chain-b");
	assert_non_null(a);
	assert_non_null(b);
	assert_null(rly_config_chain_find(&cfg, "chain-c"));
	assert_string_equal(a->rpc, "ws://127.0.0.1:26657/websocket");
	assert_int_equal(a->n_witnesses, 2);
	assert_string_equal(a->witnesses[1], "wss://w.example.org/websocket");
	assert_string_equal(a->account_prefix, "cosmos");
	assert_int_equal(a->gas_price_amount.units, 25);
	assert_int_equal(a->gas_price_amount.decimals, 3);
	assert_string_equal(a->gas_denom, "stake");
	assert_int_equal(a->gas_limit, 500000);
	assert_int_equal(a->gas_adjustment.units, 15);
	assert_int_equal(a->gas_adjustment.decimals, 1);
	assert_string_equal(a->key, "relayer");
	assert_true(a->trusting_period_ns == 336ull * 3600 * 1000000000ull);
	assert_int_equal(a->trust_num, 1);
	assert_int_equal(a->trust_den, 3);
	assert_true(a->clock_drift_ns == 10ull * 1000000000ull);
	assert_true(a->has_trusted);
	assert_int_equal(a->trusted_height, 5);
	assert_int_equal(a->trusted_hash[0], 0x01);
	assert_int_equal(a->line, 2);
	/* chain-b: defaults */
	assert_int_equal(b->n_witnesses, 0);
	assert_int_equal(b->gas_limit, 400000);
	assert_int_equal(b->gas_adjustment.units, 13);
	assert_int_equal(b->trust_num, 2);
	assert_int_equal(b->refresh_num, 1);
	assert_int_equal(b->refresh_den, 3);
	assert_false(b->has_trusted);
	assert_string_equal(b->gas_denom, "uosmo");
	assert_int_equal(cfg.n_paths, 1);
	assert_string_equal(cfg.paths[0].b.channel, "channel-3");
	assert_string_equal(cfg.paths[0].port, "transfer");
	assert_int_equal(cfg.filter_policy, RLY_FILTER_ALLOW);
	assert_true(rly_config_filter_allows(&cfg, "transfer", "channel-0"));
	assert_false(rly_config_filter_allows(&cfg, "transfer", "channel-1"));
	assert_int_equal(cfg.max_msgs, 30);
	assert_int_equal(cfg.clear_interval, 100);
	assert_string_equal(cfg.telemetry, "127.0.0.1:3001");
	rly_config_free(&cfg);
	free(text);
}

static void test_defaults_and_deny(void **state)
{
	const char *text = "chains:\n"
			   "  - { id: x-1, rpc: 'wss://x:1', account_prefix: x, gas_price: 1ux1, key: k }\n"
			   "packet_filter:\n"
			   "  deny: [ { port: '*', channel: channel-7 } ]\n";
	struct rly_config cfg;
	struct px_err err = { 0 };

	(void)state;
	if (!parse(&err, &cfg, text))
		fail_msg("%s", err.msg);
	assert_int_equal(cfg.n_paths, 0);
	assert_int_equal(cfg.max_msgs, 30);
	assert_int_equal(cfg.clear_interval, 100);
	assert_string_equal(cfg.telemetry, "127.0.0.1:3001");
	assert_string_equal(cfg.status, "127.0.0.1:3002");
	assert_true(cfg.chains[0].trusting_period_ns == 336ull * 3600 * 1000000000ull);
	assert_int_equal(cfg.filter_policy, RLY_FILTER_DENY);
	assert_false(rly_config_filter_allows(&cfg, "anything", "channel-7"));
	assert_true(rly_config_filter_allows(&cfg, "transfer", "channel-8"));
	rly_config_free(&cfg);
}

/* `refresh`: a fraction in (0, 1) or off; the default is 1/3. */
static void test_refresh(void **state)
{
	static const struct {
		const char *line;
		uint64_t num, den;
	} ok[] = {
		{ "    refresh: 1/2", 1, 2 },
		{ "    refresh: 99/100", 99, 100 },
		{ "    refresh: off", 0, 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char *text = variant(12, ok[i].line);
		struct rly_config cfg;
		struct px_err err = { 0 };

		if (!parse(&err, &cfg, text))
			fail_msg("%s: %s", ok[i].line, err.msg);
		assert_int_equal(cfg.chains[0].refresh_num, ok[i].num);
		assert_int_equal(cfg.chains[0].refresh_den, ok[i].den);
		assert_int_equal(cfg.chains[1].refresh_num, 1);
		assert_int_equal(cfg.chains[1].refresh_den, 3);
		rly_config_free(&cfg);
		free(text);
	}
}

static void test_example_parses(void **state)
{
	struct rly_config cfg;
	struct px_err err = { 0 };

	(void)state;
	if (!parse(&err, &cfg, rly_config_example))
		fail_msg("the init example does not parse: %s", err.msg);
	assert_int_equal(cfg.n_chains, 2);
	assert_int_equal(cfg.n_paths, 1);
	assert_string_equal(cfg.paths[0].a.client, "create");
	rly_config_free(&cfg);
}

struct bad_case {
	size_t line;		/* replaced line, 0: appended */
	const char *with;	/* NULL: line removed */
	const char *want;	/* fragment of the message */
};

static const struct bad_case bad_cases[] = {
	/* top level */
	{ 0, "colour: blue", "config.yaml:33:1: colour: unknown key" },
	{ 0, "max_msgs: 5", "config.yaml:33:1: max_msgs: duplicate key" },
	{ 29, "max_msgs: 0", "config.yaml:29:11: max_msgs: 0 is outside 1..100" },
	{ 29, "max_msgs: 101", "max_msgs: 101 is outside 1..100" },
	{ 29, "max_msgs: thirty", "config.yaml:29:11: max_msgs: thirty is not a whole number" },
	{ 29, "max_msgs: '30'", "max_msgs: must be an integer, not a quoted string" },
	{ 29, "max_msgs: !!int 30", "max_msgs: explicit YAML tags" },
	{ 29, "max_msgs: [30]", "max_msgs: must be a scalar, not a list" },
	{ 30, "clear_interval: -1", "config.yaml:30:17: clear_interval: -1 is not a whole number" },
	{ 30, "clear_interval: 2000000", "clear_interval: 2000000 is outside 0..1000000" },
	{ 31, "telemetry: localhost", "config.yaml:31:12: telemetry: localhost: no port" },
	{ 31, "telemetry: 127.0.0.1:70000", "telemetry: 127.0.0.1:70000: port must be 1 to 65535" },
	{ 32, "status: 127.0.0.1:3001", "config.yaml:32:9: status: must differ from telemetry" },
	{ 32, "status: a b:1", "status: a b:1: bad character" },
	/* chains[0] */
	{ 2, "  - id: ../evil", "config.yaml:2:9: chains[0].id:" },
	{ 2, "  - id: ~", "chains[0].id: must be a string" },
	{ 2, "  - name: chain-a", "config.yaml:2:5: chains[0].name: unknown key" },
	{ 3, "    rpc: http://127.0.0.1:26657/websocket", "config.yaml:3:10: chains[0].rpc: http://127.0.0.1:26657/websocket: URL must start with ws:// or wss://" },
	{ 3, "    rpc: ws://:26657/websocket", "chains[0].rpc: ws://:26657/websocket: no host" },
	{ 3, "    rpc: ws://127.0.0.1:0/websocket", "chains[0].rpc: ws://127.0.0.1:0/websocket: port must be 1 to 65535" },
	{ 3, "    rpc: ws://user@127.0.0.1:1/websocket", "chains[0].rpc: ws://user@127.0.0.1:1/websocket: credentials" },
	{ 3, NULL, "config.yaml:2:5: chains[0].rpc: missing (required)" },
	{ 4, "    witnesses: [ ftp://x ]", "config.yaml:4:18: chains[0].witnesses[0]: ftp://x: URL must start with" },
	{ 4, "    witnesses: http://x:1", "config.yaml:4:16: chains[0].witnesses: must be a list" },
	{ 4, "    witnesses: [ \"ws://127.0.0.1:26657/websocket\" ]", "chains[0].witnesses[0]: is the primary rpc" },
	{ 4, "    witnesses: [ \"http://w:1\", \"http://w:1\" ]", "chains[0].witnesses[1]: repeats witnesses[0]" },
	{ 5, "    account_prefix: Cosmos", "config.yaml:5:21: chains[0].account_prefix: must be 1 to 83 lower-case" },
	{ 6, "    gas_price: 0.025", "config.yaml:6:16: chains[0].gas_price: denomination of 0.025 must be 3 to 128" },
	{ 6, "    gas_price: stake", "chains[0].gas_price: stake is not an amount" },
	{ 6, "    gas_price: 0.025st", "chains[0].gas_price: denomination of 0.025st must be 3 to 128" },
	{ 6, "    gas_price: 0.025 stake", "chains[0].gas_price: denomination of 0.025 stake is not a valid" },
	{ 6, "    gas_price: 00.025stake", "chains[0].gas_price: 00.025 has a leading zero" },
	{ 7, "    gas_limit: 0", "config.yaml:7:16: chains[0].gas_limit: 0 is outside 1..10000000000" },
	{ 7, "    gas_limit: 4e5", "chains[0].gas_limit: 4e5 is not a whole number" },
	{ 7, "    gas: 5", "config.yaml:7:5: chains[0].gas: unknown key" },
	{ 8, "    gas_limit: 5", "config.yaml:8:5: chains[0].gas_limit: duplicate key" },
	{ 8, "    gas_adjustment: 0.5", "config.yaml:8:21: chains[0].gas_adjustment: 0.5 is outside 1..10" },
	{ 8, "    gas_adjustment: 11", "chains[0].gas_adjustment: 11 is outside 1..10" },
	{ 8, "    gas_adjustment: lots", "chains[0].gas_adjustment: lots is not a decimal number" },
	{ 9, "    key: my/key", "config.yaml:9:10: chains[0].key:" },
	{ 10, "    trusting_period: 14 days", "config.yaml:10:22: chains[0].trusting_period: 14 days is not a duration" },
	{ 10, "    trusting_period: 0s", "chains[0].trusting_period: must be longer than 0" },
	{ 11, "    trust_level: 1/4", "config.yaml:11:18: chains[0].trust_level: 1/4 is below 1/3" },
	{ 11, "    trust_level: 4/3", "chains[0].trust_level: 4/3 is above 1" },
	{ 11, "    trust_level: 0.33", "chains[0].trust_level: 0.33 is not a fraction like 1/3" },
	{ 11, "    trust_level: 1/0", "chains[0].trust_level: 1/0 is not a fraction" },
	{ 12, "    clock_drift: 10", "config.yaml:12:18: chains[0].clock_drift: 10 is not a duration" },
	{ 12, "    clock_drift: 400h", "chains[0].clock_drift: must be shorter than trusting_period" },
	{ 12, "    refresh: 1/0", "config.yaml:12:14: chains[0].refresh: 1/0 is not a fraction like 1/3 or off" },
	{ 12, "    refresh: never", "config.yaml:12:14: chains[0].refresh: never is not a fraction like 1/3 or off" },
	{ 12, "    refresh: 0/3", "chains[0].refresh: 0/3 must be above 0 and below 1 (or off)" },
	{ 12, "    refresh: 3/3", "chains[0].refresh: 3/3 must be above 0 and below 1 (or off)" },
	{ 12, "    refresh: 0.5", "chains[0].refresh: 0.5 is not a fraction" },
	{ 20, "    refresh: [off]", "config.yaml:20:14: chains[1].refresh:" },
	{ 13, "    trusted_height: 0", "config.yaml:13:21: chains[0].trusted_height: 0 is outside" },
	{ 13, NULL, "chains[0].trusted_hash: trusted_height and trusted_hash go together" },
	{ 14, "    trusted_hash: abcd", "config.yaml:14:19: chains[0].trusted_hash: must be 64 hex digits" },
	/* chains[1] */
	{ 15, "  - id: chain-a", "chains[1].id: chain-a is also chains[0]" },
	{ 19, NULL, "config.yaml:15:5: chains[1].key: missing (required)" },
	{ 20, "    trust_level: 1/4", "config.yaml:20:18: chains[1].trust_level: 1/4 is below 1/3" },
	{ 17, "    account_prefix: 1abc", "chains[1].account_prefix: must be" },
	/* paths */
	{ 22, "  - name: a b", "config.yaml:22:11: paths[0].name:" },
	{ 23, "    a: { chain: chain-x, client: 07-tendermint-0, connection: connection-0, channel: channel-0 }", "config.yaml:23:17: paths[0].a.chain: chain-x is not one of the chains" },
	{ 23, "    a: { chain: chain-a, client: tendermint, connection: connection-0, channel: channel-0 }", "paths[0].a.client: tendermint is not a client id" },
	{ 23, "    a: { chain: chain-a, client: 07-tendermint-0, connection: conn-0, channel: channel-0 }", "paths[0].a.connection: conn-0 is not a connection id" },
	{ 23, "    a: { chain: chain-a, client: 07-tendermint-0, connection: connection-0, channel: chan-0 }", "paths[0].a.channel: chan-0 is not a channel id" },
	{ 23, "    a: { chain: chain-a, client: create, connection: connection-0, channel: channel-0 }", "paths[0].a.connection: must be \"create\" when client is \"create\"" },
	{ 23, "    a: { chain: chain-a, client: 07-tendermint-0, connection: create, channel: channel-0 }", "paths[0].a.channel: must be \"create\" when connection is \"create\"" },
	{ 23, "    a: { chain: chain-a, client: 07-tendermint-0, connection: connection-0 }", "config.yaml:23:8: paths[0].a.channel: missing (required)" },
	{ 23, "    a: { chain: chain-a, client: 07-tendermint-0, connection: connection-0, channel: channel-0, fee: 1 }", "paths[0].a.fee: unknown key" },
	{ 23, "    a: chain-a", "config.yaml:23:8: paths[0].a: must be a mapping, not a scalar" },
	{ 24, "    b: { chain: chain-a, client: 07-tendermint-1, connection: connection-2, channel: channel-3 }", "paths[0].b: b.chain must differ from a.chain" },
	{ 24, "    b: { chain: chain-b, client: 07-tendermint-1, connection: create, channel: create }", "paths[0].b: connection must be \"create\" on both ends" },
	{ 24, "    c: 1", "config.yaml:24:5: paths[0].c: unknown key" },
	{ 25, "    port: x", "config.yaml:25:11: paths[0].port: x is not a valid port id" },
	{ 25, "    port: a/b", "paths[0].port: a/b is not a valid port id" },
	{ 25, "    port: transfer\n  - { name: a-b, a: { chain: chain-a, client: create, connection: create, channel: create }, b: { chain: chain-b, client: create, connection: create, channel: create } }", "config.yaml:26:5: paths[1].name: a-b is also paths[0]" },
	/* packet filter */
	{ 27, "  permit:", "config.yaml:27:3: packet_filter.permit: unknown key" },
	{ 28, "    - { port: transfer, channel: ch }", "config.yaml:28:34: packet_filter.allow[0].channel: ch is not a channel id" },
	{ 28, "    - { port: '', channel: channel-0 }", "packet_filter.allow[0].port: must not be empty" },
	{ 28, "    - { port: transfer }", "packet_filter.allow[0].channel: missing (required)" },
	{ 28, "    deny: []", "config.yaml:28:5: packet_filter.allow: must be a list" },
	/* YAML itself */
	{ 2, "  - id: [chain-a", "YAML syntax" },
	{ 0, "---\nchains: []", "a second YAML document" },
};

static void test_every_key_wrong_once(void **state)
{
	size_t i, failures = 0;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		char *text = variant(c->line, c->with);
		struct rly_config cfg;
		struct px_err err = { 0 };

		if (parse(&err, &cfg, text)) {
			printf("case %zu (line %zu: %s) was accepted\n", i, c->line,
			       c->with ? c->with : "(removed)");
			rly_config_free(&cfg);
			failures++;
		} else if (err.code != PX_E_CONFIG || !strstr(err.msg, c->want)) {
			printf("case %zu: code %d, message \"%s\" lacks \"%s\"\n", i, err.code, err.msg,
			       c->want);
			failures++;
		} else {
			assert_int_equal(cfg.n_chains, 0);
			assert_null(cfg.chains);
		}
		free(text);
	}
	assert_int_equal(failures, 0);
	printf("config: %zu bad configurations refused\n", i);
}

static void bad_text(const char *text, const char *want)
{
	struct rly_config cfg;
	struct px_err err = { 0 };

	if (parse(&err, &cfg, text))
		fail_msg("accepted: %s", text);
	assert_int_equal(err.code, PX_E_CONFIG);
	if (!strstr(err.msg, want))
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, want);
}

static void test_whole_files(void **state)
{
	(void)state;
	bad_text("", "config.yaml: empty");
	bad_text("# only a comment\n", "config.yaml: empty");
	bad_text("max_msgs: 3\n", "config.yaml:1:1: chains: missing (required)");
	bad_text("chains: 5\n", "config.yaml:1:9: chains: must be a list, not a scalar");
	bad_text("chains: [ { id: x, rpc: 'ws://x:1', account_prefix: x, gas_price: 1uxx, key: k } ]\n"
		 "paths: {}\n", "config.yaml:2:8: paths: must be a list, not a mapping");
	bad_text("chains: []\n", "config.yaml:1:9: chains: needs at least one chain");
	bad_text("- a\n- b\n", "config.yaml:1:1: (top): must be a mapping");
	bad_text("chains:\n  - 5\n", "config.yaml:2:5: chains[0]: must be a mapping, not a scalar");
	bad_text("? [a]\n: b\n", "keys must be plain names");
	bad_text("chains: [\n", "YAML syntax");
}

static void test_values(void **state)
{
	struct px_err err = { 0 };
	struct rly_decimal d;
	size_t off = 0;

	(void)state;
	assert_true(rly_decimal_parse(&err, &d, "0"));
	assert_true(rly_decimal_parse(&err, &d, "18446744073709551615"));
	assert_false(rly_decimal_parse(&err, &d, "18446744073709551616"));
	assert_false(rly_decimal_parse(&err, &d, ".5"));
	assert_false(rly_decimal_parse(&err, &d, "5."));
	assert_false(rly_decimal_parse(&err, &d, "1.2.3"));
	assert_false(rly_decimal_parse(&err, &d, "0.1234567890123456789"));
	assert_true(rly_gas_price_parse(&err, &d, &off, "1ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2"));
	assert_int_equal(off, 1);
	assert_true(rly_url_check(&err, "ws://[::1]:26657/websocket", RLY_URL_WS));
	assert_false(rly_url_check(&err, "ws://[::1/websocket", RLY_URL_WS));
	assert_true(rly_listen_check(&err, "off"));
	assert_true(rly_listen_check(&err, "[::]:3001"));
	assert_false(rly_listen_check(&err, ":3001"));
}

static void test_home(void **state)
{
	struct px_err err = { 0 };
	char out[64];

	(void)state;
	assert_true(rly_home_dir(&err, out, sizeof(out), "/x/y"));
	assert_string_equal(out, "/x/y");
	setenv("HOME", "/home/op", 1);
	assert_true(rly_home_dir(&err, out, sizeof(out), NULL));
	assert_string_equal(out, "/home/op/.pontifex");
	assert_true(rly_config_file(&err, out, sizeof(out), NULL, NULL));
	assert_string_equal(out, "/home/op/.pontifex/config.yaml");
	assert_true(rly_config_file(&err, out, sizeof(out), "/h", "/etc/p.yaml"));
	assert_string_equal(out, "/etc/p.yaml");
	unsetenv("HOME");
	assert_false(rly_home_dir(&err, out, sizeof(out), NULL));
	assert_int_equal(err.code, PX_E_CONFIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_defaults_and_deny),
		cmocka_unit_test(test_refresh),
		cmocka_unit_test(test_example_parses),
		cmocka_unit_test(test_every_key_wrong_once),
		cmocka_unit_test(test_whole_files),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_home),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
