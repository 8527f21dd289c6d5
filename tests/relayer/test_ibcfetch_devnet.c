/* Integration test of relayer/ibcfetch against a real pontifex-devnet
 * (three validators replaced by a disjoint set at height 12, so that a
 * skip across the change needs bisection), started on a free 127.0.0.1
 * port and stopped at the end:
 *   - the light client opens from height 1 on trust (and by hash), refuses
 *     another chain id and a wrong trusted hash, and verifies up to the head;
 *   - a bank balance (present) and an unfunded address (absent) are proven
 *     at H against the verified header H+1, and the MerkleProof checks on
 *     its own;
 *   - ClientState / ConsensusState Anys and Header Anys (one step, and a
 *     bisection trace across the validator change) decode with ibc/codec
 *     and verify with tm_verify the way ibc-go's 07-tendermint does;
 *   - fault switches: corrupt_proof makes prove fail with a 3xx code,
 *     wrong_key_header makes the light client update fail with a 3xx code,
 *     and clearing them restores both.
 * usage: test_relayer_ibcfetch_devnet PONTIFEX_DEVNET */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "chains/cosmos/bech32.h"
#include "common/json.h"
#include "ibc/codec/msg.h"
#include "lightclient/tendermint/abci.h"
#include "relayer/ibcfetch.h"

#define CHAIN "fetch-1"
#define CHANGE_AT 12

extern char **environ;

static const char *devnet_path;
static char home[64];
static pid_t node = -1;
static struct cmt_loop *loop;
static struct cmt_client *client;
static struct rly_fetch *fetch;

static void assert_code(const struct px_err *err, int code)
{
	if (err->code != code)
		fail_msg("code %d (%s: %s), want %d (%s)", err->code, px_code_name(err->code),
			 err->msg, code, px_code_name(code));
}

static void assert_verify_code(const struct px_err *err)
{
	if (err->code < 300 || err->code >= 400)
		fail_msg("code %d (%s: %s), want a 3xx verification failure", err->code,
			 px_code_name(err->code), err->msg);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Runs the devnet binary with args, output to home/../NAME.log; waits
 * when wait is set. Returns the pid, or the exit status when waited. */
static int spawn(const char *const *args, const char *log, bool wait)
{
	posix_spawn_file_actions_t fa;
	char *argv[24];
	pid_t pid;
	int st, n = 0;

	argv[n++] = (char *)devnet_path;
	for (; args[n - 1] && n < 23; n++)
		argv[n] = (char *)args[n - 1];
	argv[n] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	if (posix_spawn(&pid, devnet_path, &fa, NULL, argv, environ) != 0)
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	if (pid < 0 || !wait)
		return pid;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int free_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s >= 0 && bind(s, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(s, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (s >= 0)
		close(s);
	return port;
}

static int64_t head(void)
{
	struct px_err err = { 0 };
	int64_t h = 0;

	if (!rly_fetch_head(&err, &h, fetch))
		fail_msg("head: %s", err.msg);
	return h;
}

/* Latest height of the node (no light client needed), 0 on failure. */
static int64_t node_height(void)
{
	struct px_err err = { 0 };
	json_t *res = NULL, *sync;
	int64_t h = 0;

	if (cmt_client_call_sync(&err, &res, client, "status", NULL, 2000) &&
	    px_json_get_object(&err, &sync, res, "sync_info") &&
	    px_json_get_i64(&err, &h, sync, "latest_block_height")) {
		json_decref(res);
		return h;
	}
	json_decref(res);
	return 0;
}

static bool wait_height(int64_t want, int seconds)
{
	for (int i = 0; i < seconds * 10; i++) {
		if (node_height() >= want)
			return true;
		sleep_ms(100);
	}
	return false;
}

static void set_fault(const char *name, const char *value)
{
	struct px_err err = { 0 };
	json_t *res = NULL;

	if (!cmt_client_call_sync(&err, &res, client, "devnet_fault",
				  json_pack("{s:s, s:s}", "name", name, "value", value), 5000))
		fail_msg("devnet_fault %s=%s: %s", name, value, err.msg);
	json_decref(res);
}

static void stop_node(void)
{
	int st;

	if (node <= 0)
		return;
	kill(node, SIGTERM);
	for (int i = 0; i < 100; i++) {
		if (waitpid(node, &st, WNOHANG) == node) {
			node = -1;
			return;
		}
		sleep_ms(50);
	}
	kill(node, SIGKILL);
	waitpid(node, &st, 0);
	node = -1;
}

static int teardown(void **state);

static int setup_failed(const char *why)
{
	char log[128];

	snprintf(log, sizeof(log), "tail -n 20 '%s/devnet.log' >&2", home);
	fprintf(stderr, "setup: %s\n", why);
	if (system(log) != 0)
		fprintf(stderr, "(no devnet log)\n");
	teardown(NULL);
	return -1;
}

static int setup(void **state)
{
	char log[128], rpc[64], url[96];
	struct cmt_client_opts co;
	struct px_err err = { 0 };
	int port;

	(void)state;
	snprintf(home, sizeof(home), "/tmp/pontifex-ibcfetch-XXXXXX");
	if (!mkdtemp(home))
		return -1;
	snprintf(log, sizeof(log), "%s/devnet.log", home);
	{
		char h[96];
		const char *args[] = { "--log-level", "warn", "init", "--home", h, "--chain-id",
				       CHAIN, "--seed", "ibcfetch", "--validators", "3",
				       "--valset-change", "12:3-5", NULL };

		snprintf(h, sizeof(h), "%s/node", home);
		if (spawn(args, log, true) != 0)
			return setup_failed("devnet init failed");
	}
	port = free_port();
	if (port <= 0)
		return setup_failed("no free port");
	snprintf(rpc, sizeof(rpc), "127.0.0.1:%d", port);
	{
		char h[96];
		const char *args[] = { "--log-level", "warn", "start", "--home", h, "--rpc", rpc,
				       "--block-time", "150", "--admin", NULL };

		snprintf(h, sizeof(h), "%s/node", home);
		node = spawn(args, log, false);
		if (node <= 0)
			return setup_failed("devnet start failed");
	}
	if (!cmt_loop_new(&err, &loop))
		return setup_failed(err.msg);
	snprintf(url, sizeof(url), "ws://127.0.0.1:%d/websocket", port);
	memset(&co, 0, sizeof(co));
	co.url = url;
	co.request_timeout_ms = 5000;
	co.backoff_max_ms = 500;
	if (!cmt_client_new(&err, &client, loop, &co))
		return setup_failed(err.msg);
	/* Far enough past the validator change for skips across it. */
	if (!wait_height(CHANGE_AT + 8, 60))
		return setup_failed("the devnet did not reach its height");
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	rly_fetch_free(fetch);
	fetch = NULL;
	if (client)
		cmt_client_free(client);
	client = NULL;
	if (loop)
		cmt_loop_free(loop);
	loop = NULL;
	stop_node();
	if (!home[0])
		return 0;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", home);
	home[0] = 0;
	return system(cmd) == 0 ? 0 : -1;
}

static void opts_init(struct rly_fetch_opts *o, const char *chain_id)
{
	memset(o, 0, sizeof(*o));
	o->chain_id = chain_id;
	o->timeout_ms = 5000;
}

/* ---- the light client ------------------------------------------------------ */

static void test_open_refusals(void **state)
{
	struct rly_fetch_opts o;
	struct rly_fetch_anchor a;
	struct rly_fetch *f = NULL;
	struct px_err err = { 0 };
	bool on_trust = true;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.height = 1;
	a.on_trust = true;
	opts_init(&o, "other-1");
	assert_false(rly_fetch_open(&err, &f, &on_trust, client, &o, &a));
	assert_code(&err, PX_E_CHAIN_ID);
	assert_null(f);
	/* a hash the operator trusts that is not the block's */
	opts_init(&o, CHAIN);
	a.on_trust = false;
	memset(a.hash, 0xAB, sizeof(a.hash));
	px_err_clear(&err);
	assert_false(rly_fetch_open(&err, &f, &on_trust, client, &o, &a));
	assert_verify_code(&err);
	assert_false(on_trust);
	assert_null(f);
}

static void test_open_update(void **state)
{
	struct rly_fetch_opts o;
	struct rly_fetch_anchor a;
	struct rly_fetch *f2 = NULL;
	const struct tm_trusted *t;
	struct px_err err = { 0 };
	bool on_trust = false;
	int64_t h;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.height = 1;
	a.on_trust = true;
	opts_init(&o, CHAIN);
	if (!rly_fetch_open(&err, &fetch, &on_trust, client, &o, &a))
		fail_msg("open: %s", err.msg);
	assert_true(on_trust);
	assert_int_equal(rly_fetch_revision(fetch), 1);
	h = head();
	assert_true(h > CHANGE_AT);
	if (!rly_fetch_update_to(&err, &t, fetch, h))
		fail_msg("update to %lld: %s", (long long)h, err.msg);
	assert_int_equal(t->header.height, h);
	assert_string_equal(t->header.chain_id, CHAIN);
	assert_ptr_equal(rly_fetch_verified(fetch, h), t);
	/* an already verified height is answered from the held states */
	assert_true(rly_fetch_update_to(&err, &t, fetch, h));
	assert_int_equal(t->header.height, h);

	/* by hash: the hash of block 1 as this client verified it */
	t = rly_fetch_verified(fetch, 1);
	assert_non_null(t);
	a.on_trust = false;
	memcpy(a.hash, t->hash, sizeof(a.hash));
	assert_true(rly_fetch_open(&err, &f2, &on_trust, client, &o, &a));
	assert_false(on_trust);
	assert_true(rly_fetch_update_to(&err, NULL, f2, CHANGE_AT + 2));
	rly_fetch_free(f2);
}

/* ---- proofs ----------------------------------------------------------------- */

static size_t bank_key(uint8_t *out, const uint8_t addr[20], const char *denom)
{
	out[0] = 0x02;
	out[1] = 20;
	memcpy(out + 2, addr, 20);
	memcpy(out + 22, denom, strlen(denom));
	return 22 + strlen(denom);
}

static void user_address(uint8_t out[20])
{
	char path[128];
	struct px_err err = { 0 };
	json_error_t je;
	json_t *doc;
	const char *addr;
	size_t len = 0;

	snprintf(path, sizeof(path), "%s/node/config/accounts/user.json", home);
	doc = json_load_file(path, 0, &je);
	assert_non_null(doc);
	assert_true(px_json_get_string(&err, &addr, doc, "address"));
	assert_true(cosmos_address_decode(&err, out, 20, &len, "cosmos", addr, strlen(addr)));
	assert_int_equal(len, 20);
	json_decref(doc);
}

static void test_prove(void **state)
{
	uint8_t addr[20], key[64], absent[20];
	size_t kl;
	struct rly_proof p;
	struct px_err err = { 0 };
	struct px_slice iavl, simple;
	struct tm_abci_result res;
	const struct tm_trusted *t;
	int64_t q = head() - 1;

	(void)state;
	user_address(addr);
	kl = bank_key(key, addr, "stake");
	if (!rly_fetch_prove(&err, &p, fetch, "bank", key, kl, q))
		fail_msg("prove: %s", err.msg);
	assert_true(p.exists);
	assert_int_equal(p.value.len, strlen("100000000000"));
	assert_memory_equal(p.value.data, "100000000000", p.value.len);
	assert_int_equal(p.proof_height.revision_number, 1);
	assert_int_equal(p.proof_height.revision_height, q + 1);
	/* the MerkleProof checks on its own against the verified header q+1 */
	t = rly_fetch_verified(fetch, q + 1);
	assert_non_null(t);
	assert_true(tm_merkle_proof_split(&err, &iavl, &simple, p.proof.data, p.proof.len));
	assert_true(tm_abci_verify(&err, &res, t->header.app_hash.b, t->header.app_hash.len,
				   (const uint8_t *)"bank", 4, key, kl, p.value.data, p.value.len,
				   iavl.ptr, iavl.len, simple.ptr, simple.len));
	assert_true(res.exists);
	/* and not against the header of q (the app hash of q - 1) */
	t = rly_fetch_verified(fetch, q);
	if (t)
		assert_false(tm_abci_verify(&err, &res, t->header.app_hash.b, t->header.app_hash.len,
					    (const uint8_t *)"bank", 4, key, kl, p.value.data,
					    p.value.len, iavl.ptr, iavl.len, simple.ptr, simple.len));
	rly_proof_free(&p);

	/* an address nobody funded: absence */
	memset(absent, 0xEE, sizeof(absent));
	kl = bank_key(key, absent, "stake");
	px_err_clear(&err);
	if (!rly_fetch_prove(&err, &p, fetch, "bank", key, kl, q))
		fail_msg("prove absent: %s", err.msg);
	assert_false(p.exists);
	assert_int_equal(p.value.len, 0);
	assert_true(p.proof.len > 0);
	rly_proof_free(&p);
}

/* ---- client material ----------------------------------------------------------- */

static void test_create_client(void **state)
{
	struct px_buf cs = PX_BUF_INIT, cons = PX_BUF_INIT;
	struct px_err err = { 0 };
	struct ibc_msg m;
	int64_t h = head();
	const struct tm_trusted *t;

	(void)state;
	if (!rly_fetch_create_client(&err, &cs, &cons, fetch, h))
		fail_msg("create client: %s", err.msg);
	t = rly_fetch_verified(fetch, h);
	assert_non_null(t);
	assert_true(ibc_msg_decode_any(&err, &m, cs.data, cs.len));
	assert_int_equal(m.kind, IBC_MSG_TM_CLIENT_STATE);
	assert_string_equal(m.u.tm_client_state.chain_id, CHAIN);
	assert_int_equal(m.u.tm_client_state.latest_height.revision_number, 1);
	assert_int_equal(m.u.tm_client_state.latest_height.revision_height, h);
	ibc_msg_free(&m);
	assert_true(ibc_msg_decode_any(&err, &m, cons.data, cons.len));
	assert_int_equal(m.kind, IBC_MSG_TM_CONSENSUS_STATE);
	assert_memory_equal(m.u.tm_consensus_state.root, t->header.app_hash.b, t->header.app_hash.len);
	assert_memory_equal(m.u.tm_consensus_state.next_validators_hash,
			    t->header.next_validators_hash.b, 32);
	ibc_msg_free(&m);
	px_buf_free(&cs);
	px_buf_free(&cons);
}

/* Verifies a Header Any as ibc-go does from the trusted header (*trusted
 * header and hash; its next set comes from the Header's
 * trusted_validators), then moves *trusted to the new header. Returns the
 * error code, 0 when verified. */
static int verify_like_ibc_go(const struct px_buf *any, struct tm_header *trusted_header,
			      uint8_t trusted_hash[32])
{
	struct px_err err = { 0 };
	struct ibc_msg m;
	struct tm_trusted trusted, out;
	struct tm_light_block u;
	struct tm_options o;
	struct timespec ts;
	struct px_time now;

	clock_gettime(CLOCK_REALTIME, &ts);
	now.seconds = ts.tv_sec;
	now.nanos = 0;
	tm_options_default(&o);
	assert_true(ibc_msg_decode_any(&err, &m, any->data, any->len));
	assert_int_equal(m.kind, IBC_MSG_TM_HEADER);
	assert_int_equal(m.u.tm_header.trusted_height.revision_number, 1);
	assert_int_equal(m.u.tm_header.trusted_height.revision_height, trusted_header->height);
	memset(&trusted, 0, sizeof(trusted));
	trusted.header = *trusted_header;
	memcpy(trusted.hash, trusted_hash, 32);
	assert_true(tm_validator_set_copy(&err, &trusted.next_validators,
					  &m.u.tm_header.trusted_validators.set));
	assert_true(tm_validator_set_normalize(&err, &trusted.next_validators));
	memset(&u, 0, sizeof(u));
	u.signed_header.header = m.u.tm_header.signed_header.sh.header;
	assert_true(tm_commit_copy(&err, &u.signed_header.commit, &m.u.tm_header.signed_header.sh.commit));
	assert_true(tm_validator_set_copy(&err, &u.validators, &m.u.tm_header.validator_set.set));
	assert_true(tm_validator_set_normalize(&err, &u.validators));
	u.has_validators = true;
	if (tm_verify(&err, &out, &trusted, &u, &o, now)) {
		*trusted_header = out.header;
		memcpy(trusted_hash, out.hash, 32);
		tm_trusted_free(&out);
	}
	tm_light_block_free(&u);
	tm_trusted_free(&trusted);
	ibc_msg_free(&m);
	return err.code;
}

static void test_update_header(void **state)
{
	struct px_buf any = PX_BUF_INIT;
	struct px_err err = { 0 };
	struct tm_header th;
	uint8_t thash[32];
	const struct tm_trusted *t;
	int64_t h = head(), from = CHANGE_AT + 1;

	(void)state;
	/* one step, inside the second validator set */
	if (!rly_fetch_update_header(&err, &any, fetch, from, h))
		fail_msg("update header %lld..%lld: %s", (long long)from, (long long)h, err.msg);
	t = rly_fetch_verified(fetch, from);
	assert_non_null(t);
	th = t->header;
	memcpy(thash, t->hash, 32);
	assert_int_equal(verify_like_ibc_go(&any, &th, thash), 0);
	assert_int_equal(th.height, h);
	px_buf_free(&any);

	/* across the validator change, one step cannot reach */
	px_err_clear(&err);
	assert_false(rly_fetch_update_header(&err, &any, fetch, 2, h));
	assert_code(&err, PX_E_NOT_ENOUGH_TRUST);
	assert_int_equal(any.len, 0);
}

static void test_update_trace(void **state)
{
	struct rly_trace tr;
	struct px_err err = { 0 };
	struct tm_header th;
	uint8_t thash[32];
	const struct tm_trusted *t;
	int64_t h = head();

	(void)state;
	if (!rly_fetch_update_trace(&err, &tr, fetch, 2, h))
		fail_msg("trace 2..%lld: %s", (long long)h, err.msg);
	/* the sets before and after the change share nobody: the walk
	 * needs at least the step across it */
	assert_true(tr.len >= 2);
	assert_int_equal(tr.heights[tr.len - 1], h);
	t = rly_fetch_verified(fetch, 2);
	assert_non_null(t);
	th = t->header;
	memcpy(thash, t->hash, 32);
	for (size_t i = 0; i < tr.len; i++) {
		if (i)
			assert_true(tr.heights[i] > tr.heights[i - 1]);
		assert_int_equal(verify_like_ibc_go(&tr.anys[i], &th, thash), 0);
		assert_int_equal(th.height, tr.heights[i]);
	}
	rly_trace_free(&tr);

	/* a trace inside one set is one header */
	px_err_clear(&err);
	assert_true(rly_fetch_update_trace(&err, &tr, fetch, CHANGE_AT + 1, h));
	assert_int_equal(tr.len, 1);
	rly_trace_free(&tr);
}

/* ---- faults ----------------------------------------------------------------------- */

static void test_fault_corrupt_proof(void **state)
{
	uint8_t addr[20], key[64];
	size_t kl;
	struct rly_proof p;
	struct px_err err = { 0 };
	int64_t q = head() - 1;

	(void)state;
	user_address(addr);
	kl = bank_key(key, addr, "stake");
	set_fault("corrupt_proof", "on");
	memset(&p, 0, sizeof(p));
	assert_false(rly_fetch_prove(&err, &p, fetch, "bank", key, kl, q));
	set_fault("corrupt_proof", "off");
	assert_verify_code(&err);
	assert_null(p.proof.data);
	px_err_clear(&err);
	assert_true(rly_fetch_prove(&err, &p, fetch, "bank", key, kl, q));
	rly_proof_free(&p);
}

static void test_fault_wrong_key_header(void **state)
{
	struct px_err err = { 0 };
	const struct tm_trusted *t;
	int64_t before = head(), h;

	(void)state;
	set_fault("wrong_key_header", "on");
	assert_true(wait_height(before + 4, 30));
	h = head();
	assert_false(rly_fetch_update_to(&err, &t, fetch, h));
	set_fault("wrong_key_header", "off");
	assert_verify_code(&err);
	assert_null(rly_fetch_verified(fetch, h));
	/* and a nearer height too */
	px_err_clear(&err);
	set_fault("wrong_key_header", "on");
	assert_false(rly_fetch_update_to(&err, &t, fetch, before + 1));
	set_fault("wrong_key_header", "off");
	assert_verify_code(&err);
	/* cleared: the same heights verify */
	px_err_clear(&err);
	if (!rly_fetch_update_to(&err, &t, fetch, h))
		fail_msg("update after clearing: %s", err.msg);
	assert_int_equal(t->header.height, h);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_refusals),
		cmocka_unit_test(test_open_update),
		cmocka_unit_test(test_prove),
		cmocka_unit_test(test_create_client),
		cmocka_unit_test(test_update_header),
		cmocka_unit_test(test_update_trace),
		cmocka_unit_test(test_fault_corrupt_proof),
		cmocka_unit_test(test_fault_wrong_key_header),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s PONTIFEX_DEVNET\n", argv[0]);
		return 2;
	}
	devnet_path = argv[1];
	signal(SIGPIPE, SIG_IGN);
	/* however the run ends, the node it started goes with it */
	atexit(stop_node);
	return cmocka_run_group_tests(tests, setup, teardown);
}
