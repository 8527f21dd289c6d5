/* Unit tests for relayer/journal.c and journal_sqlite.c: the transition
 * table (every pair), transitions through the database (allowed ones
 * stored with their tx hashes and heights, refused ones leaving the packet
 * as it was), cursors, claims with leases, queries and counts, 10k packets
 * surviving a reopen, and crash safety: a child killed with SIGKILL in the
 * middle of a stream of transitions leaves a journal that holds every
 * transition it reported committed and no half of one. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "common/number.h"
#include "relayer/journal.h"

static char dir[64], db_path[PATH_MAX]; /* dir short, so paths on it fit */
static int64_t fake_now = 1000000;

static int64_t fake_clock(void *arg)
{
	(void)arg;
	return fake_now;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/pontifex-test-journal-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(db_path, sizeof(db_path), "%s/journal.sqlite", dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct rly_journal *open_at(const char *path)
{
	struct rly_journal *j = NULL;
	struct px_err err = { 0 };

	if (!rly_journal_open_sqlite(&err, &j, path))
		fail_msg("open: %s", err.msg);
	j->clock = fake_clock;
	return j;
}

static struct rly_packet_sent pkt(const char *chain, const char *channel, uint64_t seq)
{
	struct rly_packet_sent p;

	memset(&p, 0, sizeof(p));
	snprintf(p.key.src_chain, sizeof(p.key.src_chain), "%s", chain);
	snprintf(p.key.src_port, sizeof(p.key.src_port), "transfer");
	snprintf(p.key.src_channel, sizeof(p.key.src_channel), "%s", channel);
	p.key.sequence = seq;
	snprintf(p.dst_chain, sizeof(p.dst_chain), "chain-b");
	snprintf(p.dst_port, sizeof(p.dst_port), "transfer");
	snprintf(p.dst_channel, sizeof(p.dst_channel), "channel-9");
	p.send_height = 100 + seq;
	p.timeout_height = 5000;
	p.timeout_timestamp = 1700000000000000000ull;
	return p;
}

static bool move(struct rly_journal *j, struct px_err *err, const struct rly_packet_key *k,
		 enum rly_packet_state to, const char *tx, uint64_t height)
{
	struct rly_transition t = { to, tx, height, to == RLY_PKT_FAILED ? "gave up" : NULL };

	return rly_journal_transition(j, err, k, &t);
}

static void test_transition_table(void **state)
{
	/* The allowed moves, written out independently of journal.c. */
	static const char *const allowed[] = {
		"sent>recv_submitted", "sent>received", "sent>acked", "sent>timeout_submitted",
		"sent>timed_out", "sent>failed",
		"recv_submitted>sent", "recv_submitted>received", "recv_submitted>timeout_submitted",
		"recv_submitted>failed",
		"received>ack_submitted", "received>acked", "received>failed",
		"ack_submitted>received", "ack_submitted>acked", "ack_submitted>failed",
		"timeout_submitted>sent", "timeout_submitted>received", "timeout_submitted>timed_out",
		"timeout_submitted>failed",
		"failed>sent",
	};
	int from, to;
	size_t i, n_allowed = 0;

	(void)state;
	for (from = 0; from < RLY_PKT_STATE_COUNT; from++)
		for (to = 0; to < RLY_PKT_STATE_COUNT; to++) {
			char name[64];
			bool want = false;

			snprintf(name, sizeof(name), "%s>%s", rly_packet_state_name(from),
				 rly_packet_state_name(to));
			for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
				want = want || strcmp(allowed[i], name) == 0;
			if (rly_packet_transition_allowed(from, to) != want)
				fail_msg("%s: allowed should be %d", name, want);
			n_allowed += want;
		}
	assert_int_equal(n_allowed, sizeof(allowed) / sizeof(allowed[0]));
	assert_false(rly_packet_transition_allowed(RLY_PKT_ACKED, RLY_PKT_SENT));
	assert_false(rly_packet_transition_allowed(RLY_PKT_STATE_COUNT, RLY_PKT_SENT));
	for (from = 0; from < RLY_PKT_STATE_COUNT; from++)
		assert_int_equal(rly_packet_state_parse(rly_packet_state_name(from)), from);
	assert_int_equal(rly_packet_state_parse("bogus"), -1);
}

static void test_lifecycle(void **state)
{
	struct rly_journal *j = open_at(db_path);
	struct rly_packet_sent p[3] = { pkt("chain-a", "channel-0", 1), pkt("chain-a", "channel-0", 2),
					pkt("chain-a", "channel-0", 3) };
	struct rly_packet_record r;
	struct px_err err = { 0 };
	size_t inserted = 0;
	bool found = false;

	(void)state;
	assert_true(rly_journal_put_sent(j, &err, p, 3, &inserted));
	assert_int_equal(inserted, 3);
	/* Replayed events change nothing. */
	assert_true(rly_journal_put_sent(j, &err, p, 2, &inserted));
	assert_int_equal(inserted, 0);

	fake_now += 10;
	assert_true(move(j, &err, &p[0].key, RLY_PKT_RECV_SUBMITTED, "AA11", 0));
	assert_true(move(j, &err, &p[0].key, RLY_PKT_RECEIVED, "AA11", 77));
	assert_true(move(j, &err, &p[0].key, RLY_PKT_ACK_SUBMITTED, "BB22", 0));
	assert_true(move(j, &err, &p[0].key, RLY_PKT_ACKED, "BB22", 140));
	assert_true(rly_journal_get(j, &err, &p[0].key, &r, &found));
	assert_true(found);
	assert_int_equal(r.state, RLY_PKT_ACKED);
	assert_string_equal(r.recv_tx, "AA11");
	assert_int_equal(r.recv_height, 77);
	assert_string_equal(r.ack_tx, "BB22");
	assert_int_equal(r.ack_height, 140);
	assert_int_equal(r.transitions, 4);
	assert_int_equal(r.packet.send_height, 101);
	assert_int_equal(r.packet.timeout_height, 5000);
	assert_true(r.packet.timeout_timestamp == 1700000000000000000ull);
	assert_string_equal(r.packet.dst_channel, "channel-9");
	assert_true(r.updated_ms > r.created_ms);

	/* Refused: acked is final; state and count unchanged. */
	assert_false(move(j, &err, &p[0].key, RLY_PKT_SENT, NULL, 0));
	assert_int_equal(err.code, PX_E_IBC_STATE);
	assert_non_null(strstr(err.msg, "cannot go from acked to sent"));
	px_err_clear(&err);
	assert_true(rly_journal_get(j, &err, &p[0].key, &r, &found));
	assert_int_equal(r.state, RLY_PKT_ACKED);
	assert_int_equal(r.transitions, 4);

	/* Timeout path, failure with a reason, and a retry of a failed one. */
	assert_true(move(j, &err, &p[1].key, RLY_PKT_TIMEOUT_SUBMITTED, "CC33", 0));
	assert_false(move(j, &err, &p[1].key, RLY_PKT_ACKED, NULL, 0));
	px_err_clear(&err);
	assert_true(move(j, &err, &p[1].key, RLY_PKT_TIMED_OUT, "CC33", 90));
	assert_true(rly_journal_get(j, &err, &p[1].key, &r, &found));
	assert_string_equal(r.timeout_tx, "CC33");
	assert_int_equal(r.timeout_tx_height, 90);
	assert_true(move(j, &err, &p[2].key, RLY_PKT_FAILED, NULL, 0));
	assert_true(rly_journal_get(j, &err, &p[2].key, &r, &found));
	assert_string_equal(r.reason, "gave up");
	assert_true(move(j, &err, &p[2].key, RLY_PKT_SENT, NULL, 0));

	/* Misuse and unknown packets. */
	{
		struct rly_transition t = { RLY_PKT_FAILED, NULL, 0, NULL };
		struct rly_packet_sent missing = pkt("chain-a", "channel-0", 99), zero = pkt("c", "ch", 0);

		assert_false(rly_journal_transition(j, &err, &p[2].key, &t));
		assert_int_equal(err.code, PX_E_USAGE);
		px_err_clear(&err);
		assert_false(move(j, &err, &missing.key, RLY_PKT_RECEIVED, NULL, 0));
		assert_int_equal(err.code, PX_E_IBC_NOT_FOUND);
		px_err_clear(&err);
		assert_false(rly_journal_put_sent(j, &err, &zero, 1, NULL));
		assert_int_equal(err.code, PX_E_USAGE);
		px_err_clear(&err);
		assert_true(rly_journal_get(j, &err, &missing.key, &r, &found));
		assert_false(found);
	}
	rly_journal_close(j);
}

static void test_cursors(void **state)
{
	struct rly_journal *j = open_at(db_path);
	struct px_err err = { 0 };
	uint64_t h = 1;
	bool found = true;

	(void)state;
	assert_true(rly_journal_cursor_get(j, &err, "chain-a", &h, &found));
	assert_false(found);
	assert_int_equal(h, 0);
	assert_true(rly_journal_cursor_set(j, &err, "chain-a", 10));
	assert_true(rly_journal_cursor_set(j, &err, "chain-a", 12));
	assert_false(rly_journal_cursor_set(j, &err, "chain-a", 11));
	assert_int_equal(err.code, PX_E_USAGE);
	rly_journal_close(j);
	j = open_at(db_path);
	assert_true(rly_journal_cursor_get(j, &err, "chain-a", &h, &found));
	assert_true(found);
	assert_int_equal(h, 12);
	rly_journal_close(j);
}

static bool count_rec(void *arg, const struct rly_packet_record *rec)
{
	size_t *n = arg;

	(void)rec;
	(*n)++;
	return true;
}

static bool backlog_rec(void *arg, const struct rly_backlog *b)
{
	char *out = arg;
	size_t len = strlen(out);

	snprintf(out + len, 256 - len, "%s/%s:%llu@%llu;", b->src_chain, b->src_channel,
		 (unsigned long long)b->pending, (unsigned long long)b->oldest_sequence);
	return true;
}

static void test_claims_and_queries(void **state)
{
	struct rly_journal *j = open_at(db_path);
	struct rly_packet_sent p[5];
	struct rly_packet_record out[8];
	struct rly_packet_filter f = { "chain-c", NULL, NULL, 0 };
	struct px_err err = { 0 };
	uint64_t counts[RLY_PKT_STATE_COUNT];
	char backlog[256] = "";
	size_t n = 0, i;

	(void)state;
	for (i = 0; i < 5; i++)
		p[i] = pkt("chain-c", i < 3 ? "channel-1" : "channel-2", i + 1);
	assert_true(rly_journal_put_sent(j, &err, p, 5, NULL));
	assert_true(rly_journal_claim(j, &err, &f, "relayer-1", 1000, out, 3, &n));
	assert_int_equal(n, 3);
	assert_string_equal(out[0].claimed_by, "relayer-1");
	assert_true(rly_journal_claim(j, &err, &f, "relayer-2", 1000, out, 8, &n));
	assert_int_equal(n, 2);
	assert_true(rly_journal_claim(j, &err, &f, "relayer-2", 1000, out, 8, &n));
	assert_int_equal(n, 0);
	/* A transition releases its packet's claim. */
	assert_true(move(j, &err, &p[0].key, RLY_PKT_RECV_SUBMITTED, "DD", 0));
	assert_true(rly_journal_claim(j, &err, &f, "relayer-2", 1000, out, 8, &n));
	assert_int_equal(n, 1);
	assert_int_equal(out[0].packet.key.sequence, 1);
	/* Leases run out. */
	fake_now += 1001;
	assert_true(rly_journal_claim(j, &err, &f, "relayer-3", 1000, out, 8, &n));
	assert_int_equal(n, 5);
	assert_true(rly_journal_release(j, &err, "relayer-3"));
	assert_true(rly_journal_claim(j, &err, &f, "relayer-4", 1000, out, 8, &n));
	assert_int_equal(n, 5);
	/* Final states are never handed out. */
	assert_true(move(j, &err, &p[1].key, RLY_PKT_TIMED_OUT, NULL, 0));
	fake_now += 2000;
	assert_true(rly_journal_claim(j, &err, &f, "relayer-5", 1000, out, 8, &n));
	assert_int_equal(n, 4);

	/* Queries. */
	n = 0;
	f.src_channel = "channel-1";
	assert_true(rly_journal_list(j, &err, &f, 0, 0, count_rec, &n));
	assert_int_equal(n, 3);
	n = 0;
	f.state_mask = RLY_PKT_PENDING;
	assert_true(rly_journal_list(j, &err, &f, 0, 0, count_rec, &n));
	assert_int_equal(n, 2);
	n = 0;
	assert_true(rly_journal_list(j, &err, &f, 1, 0, count_rec, &n));
	assert_int_equal(n, 1);
	n = 0;
	f.state_mask = 0;
	assert_true(rly_journal_list(j, &err, &f, 0, 2, count_rec, &n));
	assert_int_equal(n, 2);
	f.src_channel = NULL;
	assert_true(rly_journal_counts(j, &err, &f, counts));
	assert_int_equal(counts[RLY_PKT_SENT], 3);
	assert_int_equal(counts[RLY_PKT_RECV_SUBMITTED], 1);
	assert_int_equal(counts[RLY_PKT_TIMED_OUT], 1);
	assert_int_equal(counts[RLY_PKT_ACKED], 0);
	assert_true(rly_journal_backlog(j, &err, backlog_rec, backlog));
	assert_non_null(strstr(backlog, "chain-c/channel-1:2@1;chain-c/channel-2:2@4;"));
	rly_journal_close(j);
}

static void test_10k_reopen(void **state)
{
	char path[PATH_MAX];
	struct rly_journal *j;
	struct rly_packet_sent batch[100];
	struct px_err err = { 0 };
	uint64_t counts[RLY_PKT_STATE_COUNT];
	struct timespec t0, t1;
	size_t b, i;

	(void)state;
	snprintf(path, sizeof(path), "%s/big.sqlite", dir);
	j = open_at(path);
	for (b = 0; b < 100; b++) {
		for (i = 0; i < 100; i++)
			batch[i] = pkt("chain-a", "channel-0", b * 100 + i + 1);
		assert_true(rly_journal_put_sent(j, &err, batch, 100, NULL));
	}
	rly_journal_close(j);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	j = open_at(path);
	assert_true(rly_journal_counts(j, &err, NULL, counts));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(counts[RLY_PKT_SENT], 10000);
	printf("journal: reopen + count of 10k packets: %.1f ms\n",
	       (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	rly_journal_close(j);
}

/* The child records packets and moves each through two more states,
 * reporting "seq state" on the pipe only after each call returned. */
static void crash_child(int fd, const char *path)
{
	struct rly_journal *j = NULL;
	struct px_err err = { 0 };
	uint64_t seq;
	char line[64];

	if (!rly_journal_open_sqlite(&err, &j, path))
		_exit(3);
	for (seq = 1;; seq++) {
		struct rly_packet_sent p = pkt("chain-k", "channel-0", seq);
		struct rly_transition t1 = { RLY_PKT_RECV_SUBMITTED, "EE", 0, NULL };
		struct rly_transition t2 = { RLY_PKT_RECEIVED, "EE", seq, NULL };
		int len;

		if (!rly_journal_put_sent(j, &err, &p, 1, NULL))
			_exit(4);
		len = snprintf(line, sizeof(line), "%llu 0\n", (unsigned long long)seq);
		if (write(fd, line, (size_t)len) != len)
			_exit(5);
		if (!rly_journal_transition(j, &err, &p.key, &t1))
			_exit(4);
		len = snprintf(line, sizeof(line), "%llu 1\n", (unsigned long long)seq);
		if (write(fd, line, (size_t)len) != len)
			_exit(5);
		if (!rly_journal_transition(j, &err, &p.key, &t2))
			_exit(4);
		len = snprintf(line, sizeof(line), "%llu 2\n", (unsigned long long)seq);
		if (write(fd, line, (size_t)len) != len)
			_exit(5);
	}
}

static void test_crash_safety(void **state)
{
	char path[PATH_MAX], buf[4096];
	int fds[2], status;
	pid_t pid;
	uint64_t last_seq = 0, last_state = 0, seq;
	size_t lines = 0, have = 0;
	struct rly_journal *j;
	struct px_err err = { 0 };
	sqlite3 *db;
	sqlite3_stmt *st;
	int rc;

	(void)state;
	snprintf(path, sizeof(path), "%s/crash.sqlite", dir);
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		crash_child(fds[1], path);
	}
	close(fds[1]);
	/* Read until 150 transitions are reported, then kill mid-stream. */
	while (lines < 150) {
		ssize_t n = read(fds[0], buf + have, sizeof(buf) - 1 - have);
		char *p, *nl;

		if (n <= 0)
			fail_msg("child stopped early");
		have += (size_t)n;
		buf[have] = '\0';
		p = buf;
		while ((nl = strchr(p, '\n')) != NULL) {
			char *sp = strchr(p, ' ');

			*nl = '\0';
			assert_non_null(sp);
			assert_true(px_parse_u64(NULL, &last_seq, p, (size_t)(sp - p)));
			assert_true(px_parse_u64(NULL, &last_state, sp + 1, strlen(sp + 1)));
			lines++;
			p = nl + 1;
		}
		have = strlen(p);
		memmove(buf, p, have);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	assert_true(WIFSIGNALED(status));
	close(fds[0]);

	/* Every reported step is there: the journal may be ahead of the
	 * reports (committed, killed before writing), never behind. */
	j = open_at(path);
	for (seq = 1; seq <= last_seq; seq++) {
		struct rly_packet_sent p = pkt("chain-k", "channel-0", seq);
		struct rly_packet_record r;
		bool found = false;
		unsigned want = seq < last_seq ? RLY_PKT_RECEIVED
				: last_state == 0  ? RLY_PKT_SENT
				: last_state == 1  ? RLY_PKT_RECV_SUBMITTED
						   : RLY_PKT_RECEIVED;

		assert_true(rly_journal_get(j, &err, &p.key, &r, &found));
		assert_true(found);
		/* sent < recv_submitted < received in the enum, as on this path. */
		if ((unsigned)r.state < want)
			fail_msg("packet %llu: state %s, reported %u", (unsigned long long)seq,
				 rly_packet_state_name(r.state), want);
	}
	rly_journal_close(j);

	/* No half transitions: each packet's state, transition count and
	 * event rows agree, and the file is intact. */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT p.sequence, p.state, p.transitions, (SELECT count(*) FROM packet_events e"
		" WHERE e.src_chain = p.src_chain AND e.src_port = p.src_port AND"
		" e.src_channel = p.src_channel AND e.sequence = p.sequence) FROM packets p", -1, &st,
		NULL), SQLITE_OK);
	lines = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 1);
		int64_t transitions = sqlite3_column_int64(st, 2), events = sqlite3_column_int64(st, 3);
		int64_t want = strcmp(s, "sent") == 0 ? 0 : strcmp(s, "recv_submitted") == 0 ? 1 : 2;

		assert_int_equal(transitions, want);
		assert_int_equal(events, transitions + 1);
		lines++;
	}
	assert_int_equal(rc, SQLITE_DONE);
	assert_true(lines >= last_seq && lines <= last_seq + 1);
	sqlite3_finalize(st);
	sqlite3_close(db);
	printf("journal: child killed after %llu packets; all committed transitions found\n",
	       (unsigned long long)last_seq);
}

static void test_open_errors(void **state)
{
	struct rly_journal *j = (struct rly_journal *)1;
	struct px_err err = { 0 };

	(void)state;
	assert_false(rly_journal_open_sqlite(&err, &j, "/nonexistent-dir/x/journal.sqlite"));
	assert_null(j);
	assert_int_equal(err.code, PX_E_IO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transition_table),
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_cursors),
		cmocka_unit_test(test_claims_and_queries),
		cmocka_unit_test(test_10k_reopen),
		cmocka_unit_test(test_crash_safety),
		cmocka_unit_test(test_open_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
