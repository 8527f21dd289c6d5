/* Journal benchmark: 10k packets recorded in blocks of 100 (one
 * transaction per block, as the watcher does), 10k transitions (one
 * transaction each, synchronous=FULL), then the restart path: reopen, read
 * the cursor, count the backlog and claim the first batch of work. Prints
 * figures; never fails on timing. Usage: bench_journal [DIR] (default a
 * fresh folder under /tmp). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "relayer/journal.h"

#define PACKETS 10000
#define BLOCK 100

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool count_backlog(void *arg, const struct rly_backlog *b)
{
	*(uint64_t *)arg += b->pending;
	return true;
}

int main(int argc, char **argv)
{
	char dir[PATH_MAX] = "/tmp/pontifex-bench-journal-XXXXXX", path[PATH_MAX + 32];
	static struct rly_packet_sent batch[BLOCK];
	static struct rly_packet_record work[BLOCK];
	struct rly_journal *j = NULL;
	struct px_err err = { 0 };
	uint64_t height = 0, backlog = 0;
	bool found = false;
	size_t b, i, n = 0;
	double t0, t1, t2, t3, t4;

	if (argc > 1)
		snprintf(dir, sizeof(dir), "%s", argv[1]);
	else if (!mkdtemp(dir))
		return perror("mkdtemp"), 1;
	snprintf(path, sizeof(path), "%s/journal.sqlite", dir);
	unlink(path);
	if (!rly_journal_open_sqlite(&err, &j, path))
		return fprintf(stderr, "%s\n", err.msg), 1;
	t0 = now_s();
	for (b = 0; b < PACKETS / BLOCK; b++) {
		for (i = 0; i < BLOCK; i++) {
			struct rly_packet_sent *p = &batch[i];

			memset(p, 0, sizeof(*p));
			snprintf(p->key.src_chain, sizeof(p->key.src_chain), "chain-a");
			snprintf(p->key.src_port, sizeof(p->key.src_port), "transfer");
			snprintf(p->key.src_channel, sizeof(p->key.src_channel), "channel-%zu", i % 2);
			p->key.sequence = b * BLOCK + i + 1;
			snprintf(p->dst_chain, sizeof(p->dst_chain), "chain-b");
			snprintf(p->dst_port, sizeof(p->dst_port), "transfer");
			snprintf(p->dst_channel, sizeof(p->dst_channel), "channel-7");
			p->send_height = b + 1;
			p->timeout_height = 100000;
		}
		if (!rly_journal_put_sent(j, &err, batch, BLOCK, NULL) ||
		    !rly_journal_cursor_set(j, &err, "chain-a", b + 1))
			return fprintf(stderr, "%s\n", err.msg), 1;
	}
	t1 = now_s();
	for (i = 0; i < PACKETS; i++) {
		struct rly_packet_key k = batch[0].key;
		struct rly_transition t = { RLY_PKT_RECV_SUBMITTED, "ABCDEF", 0, NULL };

		snprintf(k.src_channel, sizeof(k.src_channel), "channel-%zu", i % 2);
		k.sequence = i + 1;
		if (!rly_journal_transition(j, &err, &k, &t))
			return fprintf(stderr, "%s\n", err.msg), 1;
	}
	t2 = now_s();
	rly_journal_close(j);

	t3 = now_s();
	if (!rly_journal_open_sqlite(&err, &j, path) ||
	    !rly_journal_cursor_get(j, &err, "chain-a", &height, &found) ||
	    !rly_journal_backlog(j, &err, count_backlog, &backlog) ||
	    !rly_journal_claim(j, &err, NULL, "bench", 30000, work, BLOCK, &n))
		return fprintf(stderr, "%s\n", err.msg), 1;
	t4 = now_s();
	printf("journal: record %d packets in blocks of %d: %.1f ms (%.1f us/packet)\n", PACKETS,
	       BLOCK, (t1 - t0) * 1e3, (t1 - t0) * 1e6 / PACKETS);
	printf("journal: %d transitions, one transaction each (synchronous=FULL): %.1f ms (%.1f us each)\n",
	       PACKETS, (t2 - t1) * 1e3, (t2 - t1) * 1e6 / PACKETS);
	printf("journal: restart with %d packets (open, cursor %llu, backlog %llu, claim %zu): %.2f ms\n",
	       PACKETS, (unsigned long long)height, (unsigned long long)backlog, n, (t4 - t3) * 1e3);
	rly_journal_close(j);
	if (argc <= 1) {
		snprintf(path, sizeof(path), "rm -rf '%s'", dir);
		if (system(path) != 0)
			return 1;
	}
	return 0;
}
