/* Integration test of relayer/txsub.c against a running pontifex-devnet
 * (started by test_txsub_devnet.sh): MsgSends submitted and waited for,
 * with the balances read back through the bank query; several in a row
 * without waiting (sequence tracked locally), with fixed and simulated
 * gas; a second submitter on the same key forcing a sequence mismatch
 * that is recovered from; refusals (insufficient funds, fee below the
 * node's minimum, memo too long, simulation refused) reported with code,
 * codespace and log and leaving the sequence alone; a wait that times
 * out; and, last, the node killed mid-way: every call then ends with a
 * 4xx error in bounded time.
 *
 * usage: txsub_devnet WS_URL DEVNET_HOME CHAIN_ID DEVNET_PID PX_HOME
 * Prints one line per failed check; exit status 1 when any failed. */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chains/cosmos/bech32.h"
#include "chains/devnet/account_keys.h"
#include "common/log.h"
#include "common/number.h"
#include "common/protobuf.h"
#include "relayer/keys.h"
#include "relayer/txsub.h"
#include "tests/relayer/devnet_client.h"

static struct cmt_loop *loop;
static struct cmt_client *client;
static const char *chain_id;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A devnet account key, stored in the relayer's key folder and read back
 * the way the daemon reads its keys. */
static void load_key(struct cosmos_key *out, const char *devnet_home, const char *px_home,
		     const char *name)
{
	struct devnet_account_key k;
	struct px_err err = { 0 };
	char path[4096];

	snprintf(path, sizeof(path), "%s/config/accounts/%s.json", devnet_home, name);
	if (!devnet_account_key_load(&err, &k, path) ||
	    !rly_keys_store(&err, NULL, px_home, chain_id, name, &k.key, "") ||
	    !rly_keys_load(&err, out, NULL, px_home, chain_id, name))
		dc_check_die(name, &err);
	devnet_account_key_wipe(&k);
}

static struct rly_txsub *open_sub(const struct cosmos_key *key, bool simulate, uint64_t price_units)
{
	struct rly_txsub_opts o = { 0 };
	struct rly_txsub *s;
	struct px_err err = { 0 };

	o.chain_id = chain_id;
	o.account_prefix = "cosmos";
	o.key = key;
	o.gas_denom = "stake";
	o.gas_price = (struct rly_decimal){ price_units, 3 };
	o.gas_default = 200000;
	o.gas_max = 400000;
	o.simulate = simulate;
	o.gas_adjustment = (struct rly_decimal){ 13, 1 };
	o.timeout_ms = 4000;
	o.poll_ms = 100;
	if (!rly_txsub_open(&err, &s, loop, client, &o))
		dc_check_die("open", &err);
	return s;
}

/* The encoded MsgSend; msg->value points into buf. */
static void msg_send(struct cosmos_any *msg, struct px_buf *buf, const char *from, const char *to,
		     const char *amount, const char *denom)
{
	struct px_buf coin = PX_BUF_INIT;

	px_buf_reset(buf);
	px_pb_put_bytes(buf, 1, (const uint8_t *)from, strlen(from));
	px_pb_put_bytes(buf, 2, (const uint8_t *)to, strlen(to));
	px_pb_put_bytes(&coin, 1, (const uint8_t *)denom, strlen(denom));
	px_pb_put_bytes(&coin, 2, (const uint8_t *)amount, strlen(amount));
	px_pb_put_bytes(buf, 3, coin.data, coin.len);
	px_buf_free(&coin);
	msg->type_url = cosmos_str("/cosmos.bank.v1beta1.MsgSend");
	msg->value = px_slice_of(buf);
}

/* /cosmos.bank.v1beta1.Query/Balance through the same client. */
static uint64_t balance(const char *addr, const char *denom)
{
	return dc_balance(dc_check_die, client, addr, denom, 4000);
}

static bool has_event(const json_t *events, const char *type)
{
	size_t i;
	json_t *e;

	json_array_foreach(events, i, e)
		if (json_is_string(json_object_get(e, "type")) &&
		    strcmp(json_string_value(json_object_get(e, "type")), type) == 0)
			return true;
	return false;
}

/* Submits one MsgSend and waits for its block; true when both worked. */
/* on_signed hook: records each hash it is shown; refuses when told to. */
struct hook {
	char hashes[4][RLY_TX_HASH_HEX_LEN + 1];
	int n;
	bool refuse;
};

static bool hook_signed(void *arg, struct px_err *err, const char *hash)
{
	struct hook *h = arg;

	if (h->n < 4)
		snprintf(h->hashes[h->n], sizeof(h->hashes[0]), "%s", hash);
	h->n++;
	if (h->refuse)
		return px_err_set(err, PX_E_IO, "hook refused");
	return true;
}

static bool send_and_wait(struct rly_txsub *s, struct rly_tx_result *t, const char *to,
			  const char *amount, const char *denom)
{
	struct px_buf buf = PX_BUF_INIT;
	struct cosmos_any msg;
	struct rly_tx_result sub;
	struct px_err err = { 0 };
	bool ok;

	msg_send(&msg, &buf, rly_txsub_address(s), to, amount, denom);
	ok = rly_txsub_submit(&err, &sub, s, &msg, 1, "pontifex txsub test");
	CHECK(ok, "submit: %s", err.msg);
	if (ok) {
		ok = rly_txsub_wait(&err, t, s, sub.hash, 20000);
		CHECK(ok, "wait: %s", err.msg);
		CHECK(!ok || t->gas_wanted == sub.gas_wanted, "gas wanted %" PRIu64 " vs %" PRIu64,
		      t->gas_wanted, sub.gas_wanted);
	}
	px_buf_free(&buf);
	return ok;
}

int main(int argc, char **argv)
{
	struct cmt_client_opts co = { 0 };
	struct cosmos_key user_k, relayer_k, poor_k;
	struct rly_txsub *user, *user2, *relayer, *poor, *poor_sim, *cheap;
	struct rly_tx_result t = { 0 }, subs[5];
	struct rly_txsub_state st, st2;
	struct px_buf buf = PX_BUF_INIT;
	struct cosmos_any msg;
	struct px_err err = { 0 };
	const char *to;
	uint64_t b0, b1, s0, s1;
	double t0;
	pid_t devnet_pid;
	char memo[300];

	if (argc != 6) {
		fprintf(stderr, "usage: txsub_devnet WS_URL DEVNET_HOME CHAIN_ID DEVNET_PID PX_HOME\n");
		return 2;
	}
	chain_id = argv[3];
	px_log_setup(PX_LOG_WARN, PX_LOG_TEXT, NULL);
	devnet_pid = (pid_t)atoi(argv[4]);
	co.url = argv[1];
	co.request_timeout_ms = 4000;
	co.backoff_min_ms = 100;
	co.backoff_max_ms = 500;
	if (!cmt_loop_new(&err, &loop) || !cmt_client_new(&err, &client, loop, &co))
		dc_check_die("client", &err);
	load_key(&user_k, argv[2], argv[5], "user");
	load_key(&relayer_k, argv[2], argv[5], "relayer");
	load_key(&poor_k, argv[2], argv[5], "poor");
	user = open_sub(&user_k, false, 25);
	user2 = open_sub(&user_k, false, 25);
	relayer = open_sub(&relayer_k, true, 25);
	poor = open_sub(&poor_k, false, 25);
	poor_sim = open_sub(&poor_k, true, 25);
	cheap = open_sub(&user_k, false, 1);	/* 0.001stake, below the node's minimum */
	cosmos_key_wipe(&user_k);
	cosmos_key_wipe(&relayer_k);
	cosmos_key_wipe(&poor_k);
	to = rly_txsub_address(relayer);

	/* --- one send: balance moves, fee paid is ceil(gas x price) ------ */
	b0 = balance(to, "token");
	s0 = balance(rly_txsub_address(user), "stake");
	if (send_and_wait(user, &t, to, "1000", "token")) {
		CHECK(t.code == 0 && t.height > 0, "code %u height %" PRId64, t.code, t.height);
		CHECK(t.gas_used > 0 && t.gas_used <= 200000, "gas used %" PRIu64, t.gas_used);
		CHECK(has_event(t.events, "transfer"), "no transfer event");
		CHECK(strlen(t.hash) == 64, "hash '%s'", t.hash);
	}
	rly_tx_result_clear(&t);
	b1 = balance(to, "token");
	s1 = balance(rly_txsub_address(user), "stake");
	CHECK(b1 == b0 + 1000, "token balance %" PRIu64 " -> %" PRIu64, b0, b1);
	CHECK(s0 - s1 == 5000, "fee paid %" PRIu64 ", want 200000 x 0.025", s0 - s1);
	rly_txsub_state(user, &st);
	CHECK(st.synced && st.sequence == 1 && st.resyncs == 0, "sequence %" PRIu64, st.sequence);

	/* --- five in a row without waiting -------------------------------- */
	b0 = balance(to, "token");
	for (int i = 0; i < 5; i++) {
		char amt[8];
		bool ok;

		snprintf(amt, sizeof(amt), "%d", 10 + i);
		msg_send(&msg, &buf, rly_txsub_address(user), to, amt, "token");
		ok = rly_txsub_submit(&err, &subs[i], user, &msg, 1, NULL);
		CHECK(ok, "submit %d: %s", i, err.msg);
		CHECK(subs[i].sequence == 1 + (uint64_t)i, "sequence %" PRIu64, subs[i].sequence);
		if (!ok)
			subs[i].hash[0] = 0;
	}
	for (int i = 0; i < 5; i++) {
		if (!subs[i].hash[0])
			continue;
		CHECK(rly_txsub_wait(&err, &t, user, subs[i].hash, 20000), "wait %d: %s", i, err.msg);
		rly_tx_result_clear(&t);
	}
	b1 = balance(to, "token");
	CHECK(b1 == b0 + 10 + 11 + 12 + 13 + 14, "after five: %" PRIu64 " -> %" PRIu64, b0, b1);
	rly_txsub_state(user, &st);
	CHECK(st.sequence == 6 && st.resyncs == 0, "sequence %" PRIu64 ", resyncs %" PRIu64,
	      st.sequence, st.resyncs);

	/* --- simulated gas, three in a row -------------------------------- */
	for (int i = 0; i < 3; i++) {
		msg_send(&msg, &buf, to, rly_txsub_address(user), "7", "stake");
		CHECK(rly_txsub_submit(&err, &subs[i], relayer, &msg, 1, NULL), "simulated %d: %s",
		      i, err.msg);
		CHECK(subs[i].gas_wanted != 200000 && subs[i].gas_wanted < 400000,
		      "simulated gas %" PRIu64, subs[i].gas_wanted);
	}
	for (int i = 0; i < 3; i++) {
		if (!rly_txsub_wait(&err, &t, relayer, subs[i].hash, 20000)) {
			CHECK(false, "wait simulated %d: %s", i, err.msg);
			continue;
		}
		/* the estimate x 1.3 covers what was used, with the margin */
		CHECK(t.gas_used <= t.gas_wanted && t.gas_wanted >= t.gas_used * 12 / 10,
		      "gas used %" PRIu64 " of %" PRIu64, t.gas_used, t.gas_wanted);
		rly_tx_result_clear(&t);
	}

	/* --- sequence mismatch: another submitter on the same key ---------- */
	CHECK(send_and_wait(user2, &t, to, "1", "token"), "second submitter");
	rly_tx_result_clear(&t);
	rly_txsub_state(user, &st);
	CHECK(send_and_wait(user, &t, to, "2", "token"), "after the other submitter");
	rly_tx_result_clear(&t);
	rly_txsub_state(user, &st2);
	CHECK(st2.resyncs == st.resyncs + 1, "resyncs %" PRIu64 " -> %" PRIu64, st.resyncs,
	      st2.resyncs);
	CHECK(st2.sequence == st.sequence + 2, "sequence %" PRIu64 " -> %" PRIu64, st.sequence,
	      st2.sequence);
	/* forgetting the state: the account is queried again */
	rly_txsub_resync(user);
	CHECK(send_and_wait(user, &t, to, "3", "token"), "after resync");
	rly_tx_result_clear(&t);
	rly_txsub_state(user, &st);
	CHECK(st.synced && st.sequence == st2.sequence + 1, "sequence %" PRIu64, st.sequence);

	/* --- the signed hook: the hash before the broadcast ---------------- */
	{
		struct hook hk = { .refuse = false };
		struct rly_txsub_state before;

		msg_send(&msg, &buf, rly_txsub_address(user), to, "4", "token");
		CHECK(rly_txsub_submit_ex(&err, &t, user, &msg, 1, NULL, hook_signed, &hk),
		      "submit_ex: %s", err.msg);
		CHECK(hk.n == 1 && strcmp(hk.hashes[0], t.hash) == 0,
		      "hook saw %d hash(es), first '%s', tx %s", hk.n, hk.hashes[0], t.hash);
		rly_tx_result_clear(&t);
		/* a hook that refuses: nothing is broadcast, the sequence stays */
		rly_txsub_state(user, &before);
		hk.n = 0;
		hk.refuse = true;
		px_err_clear(&err);
		CHECK(!rly_txsub_submit_ex(&err, &t, user, &msg, 1, NULL, hook_signed, &hk),
		      "a refusing hook let the tx through");
		CHECK(hk.n == 1 && strstr(err.msg, "hook refused"), "hook %d, err '%s'", hk.n,
		      err.msg);
		rly_txsub_state(user, &st);
		CHECK(st.sequence == before.sequence, "sequence moved: %" PRIu64 " -> %" PRIu64,
		      before.sequence, st.sequence);
		rly_tx_result_clear(&t);
		px_buf_free(&buf);
	}

	/* --- refusals ------------------------------------------------------ */
	rly_txsub_state(poor, &st);
	msg_send(&msg, &buf, rly_txsub_address(poor), to, "5000000", "stake");
	px_err_clear(&err);
	CHECK(!rly_txsub_submit(&err, &t, poor, &msg, 1, NULL), "insufficient funds accepted");
	CHECK(err.code >= 400 && err.code < 500, "code %d", err.code);
	CHECK(t.code == 5 && strcmp(t.codespace, "sdk") == 0, "code %u codespace '%s'", t.code,
	      t.codespace);
	CHECK(strstr(t.log, "insufficient funds") != NULL, "log '%s'", t.log);
	CHECK(strstr(err.msg, "code 5 (sdk)") && strstr(err.msg, "CheckTx"), "message '%s'",
	      err.msg);
	CHECK(strlen(t.hash) == 64, "refused tx hash '%s'", t.hash);
	rly_txsub_state(poor, &st2);
	CHECK(st2.sequence == st.sequence && st2.synced, "sequence moved on a refusal");
	/* the same with simulated gas: the simulation says no */
	msg_send(&msg, &buf, rly_txsub_address(poor), to, "5000000", "stake");
	px_err_clear(&err);
	CHECK(!rly_txsub_submit(&err, &t, poor_sim, &msg, 1, NULL), "simulation accepted");
	CHECK(err.code == PX_E_RPC && t.code == 5 && strstr(err.msg, "simulation"),
	      "code %d/%u: %s", err.code, t.code, err.msg);
	/* the refusals did not spend a sequence: a good send goes through */
	CHECK(send_and_wait(poor, &t, to, "1", "stake"), "poor's small send");
	rly_tx_result_clear(&t);
	/* a fee below the node's minimum gas price */
	msg_send(&msg, &buf, rly_txsub_address(user), to, "1", "token");
	px_err_clear(&err);
	CHECK(!rly_txsub_submit(&err, &t, cheap, &msg, 1, NULL), "cheap fee accepted");
	CHECK(t.code == 13 && strstr(t.log, "fee"), "code %u log '%s'", t.code, t.log);
	rly_txsub_state(user, &st);
	/* a memo the chain finds too long (ours allows 512) */
	memset(memo, 'm', 300);
	memo[300 - 1] = 0;
	px_err_clear(&err);
	CHECK(!rly_txsub_submit(&err, &t, user, &msg, 1, memo), "long memo accepted");
	CHECK(t.code == 12, "memo: code %u log '%s'", t.code, t.log);
	/* a message type the chain does not know */
	msg.type_url = cosmos_str("/pontifex.test.NoSuchMsg");
	px_err_clear(&err);
	CHECK(!rly_txsub_submit(&err, &t, user, &msg, 1, NULL), "unknown message accepted");
	CHECK(t.code != 0 && t.log[0], "unknown message: code %u log '%s'", t.code, t.log);
	rly_txsub_state(user, &st2);
	CHECK(st2.sequence == st.sequence, "user's sequence moved on refusals");

	/* --- a wait that times out ---------------------------------------- */
	t0 = now_s();
	px_err_clear(&err);
	CHECK(!rly_txsub_wait(&err, &t, user,
			      "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF", 800),
	      "unknown tx found");
	CHECK(err.code == PX_E_RPC && strstr(err.msg, "not in a block"), "'%s'", err.msg);
	CHECK(now_s() - t0 < 3.0, "timeout took %.1f s", now_s() - t0);

	/* --- the node dies mid-way ---------------------------------------- */
	msg_send(&msg, &buf, rly_txsub_address(user), to, "4", "token");
	CHECK(rly_txsub_submit(&err, &subs[0], user, &msg, 1, NULL), "last submit: %s", err.msg);
	if (kill(devnet_pid, SIGKILL) != 0)
		dc_check_die("kill the devnet", NULL);
	t0 = now_s();
	px_err_clear(&err);
	CHECK(!rly_txsub_wait(&err, &t, user, subs[0].hash, 60000), "waited on a dead node");
	CHECK(err.code >= 400 && err.code < 500, "wait on a dead node: %d %s", err.code, err.msg);
	CHECK(now_s() - t0 < 10.0, "wait took %.1f s", now_s() - t0);
	printf("dead node, wait: %s\n", err.msg);
	t0 = now_s();
	px_err_clear(&err);
	CHECK(!rly_txsub_submit(&err, &t, relayer, &msg, 1, NULL), "submitted to a dead node");
	CHECK(err.code >= 400 && err.code < 500, "submit to a dead node: %d %s", err.code, err.msg);
	CHECK(now_s() - t0 < 10.0, "submit took %.1f s", now_s() - t0);
	printf("dead node, submit: %s\n", err.msg);

	rly_txsub_close(user);
	rly_txsub_close(user2);
	rly_txsub_close(relayer);
	rly_txsub_close(poor);
	rly_txsub_close(poor_sim);
	rly_txsub_close(cheap);
	cmt_client_free(client);
	cmt_loop_free(loop);
	px_buf_free(&buf);
	return dc_checks_done();
}
