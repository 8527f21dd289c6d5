/* The start-up backfill of a long backlog, made visible (relay.c calls
 * the hooks). When `pontifex start` resumes from a journal cursor far
 * behind a chain's head, the websocket client reads the missed heights
 * with block_results before anything new; on a big backlog that takes a
 * while and the daemon would look stuck. Each such chain gets:
 *   - on a terminal (stderr is a tty): one line rewritten in place, with
 *     every chain still backfilling side by side (heights scanned / to
 *     go, packets and acks found, heights per second);
 *   - otherwise: an info line at the start, then every 5 s or every tenth
 *     of the backlog, whichever comes first;
 * and one summary line per chain when it reaches the head it had at
 * start. Nothing here touches the journal or the chains beyond one
 * `status` call per chain at start. */
#include "relayer/relay_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"

#define PROGRESS_MIN_GAP 20		/* heights behind before it is shown */
#define PROGRESS_LOG_MS 5000		/* log lines at least this often ... */
#define PROGRESS_STEPS 10		/* ... and at each tenth of the backlog */
#define PROGRESS_TTY_MS 200		/* terminal redraws at most this often */

struct relay_progress {
	uint64_t from;			/* the journal cursor: heights after it */
	uint64_t target;		/* the node's latest height at start */
	uint64_t at;			/* the last height written */
	size_t found;			/* packets and acks in those heights */
	int64_t t0_ms, last_ms;
	unsigned step;			/* tenths already logged */
	bool tty;
};

/* Heights per second since the start (0 before any time has passed). */
static uint64_t rate_of(const struct relay_progress *p, int64_t now)
{
	int64_t ms = now - p->t0_ms;

	return ms > 0 ? (p->at - p->from) * 1000 / (uint64_t)ms : 0;
}

/* Every chain still backfilling, on one terminal line. */
static void tty_draw(struct relay *r, int64_t now)
{
	char line[512];
	size_t len = 0;

	for (size_t i = 0; i < r->n_chains; i++) {
		const struct relay_progress *p = r->chains[i].prog;
		int n;

		if (!p)
			continue;
		n = snprintf(line + len, sizeof(line) - len,
			     "%s%s: %" PRIu64 "/%" PRIu64 " heights, %" PRIu64 " to go, %zu found, %"
			     PRIu64 "/s", len ? " | " : "", r->chains[i].c.cfg->id, p->at - p->from,
			     p->target - p->from, p->target > p->at ? p->target - p->at : 0, p->found,
			     rate_of(p, now));
		if (n < 0 || (size_t)n >= sizeof(line) - len) {
			len = sizeof(line) - 1;
			break;
		}
		len += (size_t)n;
	}
	if (len)
		fprintf(stderr, "\r\033[Kbackfill %s", line);
	fflush(stderr);
}

static void tty_clear(void)
{
	fprintf(stderr, "\r\033[K");
	fflush(stderr);
}

void relay_progress_start(struct relay *r)
{
	bool tty = isatty(STDERR_FILENO) == 1;

	if (!px_log_enabled(PX_LOG_INFO))
		return;
	for (size_t i = 0; i < r->n_chains; i++) {
		struct r_chain *ch = &r->chains[i];
		struct px_err err = { 0 };
		int64_t head = 0;

		if (ch->cursor == 0 || ch->prog)
			continue;
		if (!rly_fetch_head(&err, &head, ch->c.fetch))
			continue;	/* nothing to show against */
		head++;			/* the node's latest height */
		if (head <= 0 || (uint64_t)head <= ch->cursor + PROGRESS_MIN_GAP)
			continue;
		ch->prog = calloc(1, sizeof(*ch->prog));
		if (!ch->prog)
			continue;	/* only the display is lost */
		ch->prog->from = ch->prog->at = ch->cursor;
		ch->prog->target = (uint64_t)head;
		ch->prog->t0_ms = ch->prog->last_ms = relay_mono_ms();
		ch->prog->tty = tty;
		px_info(MOD, "chain %s: backfilling %" PRIu64 " heights (%" PRIu64 "..%" PRIu64
			") behind the journal cursor", ch->c.cfg->id, ch->prog->target - ch->cursor,
			ch->cursor + 1, ch->prog->target);
	}
}

static void finish(struct relay *r, struct r_chain *ch, int64_t now, bool stopped)
{
	struct relay_progress *p = ch->prog;
	int64_t ms = now - p->t0_ms;

	if (p->tty)
		tty_clear();
	if (stopped)
		px_info(MOD, "chain %s: backfill stopped at height %" PRIu64 " of %" PRIu64 " (%" PRIu64
			" heights in %" PRId64 ".%01" PRId64 " s, %zu packet(s) and ack(s) found)",
			ch->c.cfg->id, p->at, p->target, p->at - p->from, ms / 1000, ms % 1000 / 100,
			p->found);
	else
		px_info(MOD, "chain %s: backfill done: %" PRIu64 " heights (%" PRIu64 "..%" PRIu64
			") in %" PRId64 ".%01" PRId64 " s, %zu packet(s) and ack(s) found, %" PRIu64
			" heights/s", ch->c.cfg->id, p->at - p->from, p->from + 1, p->at, ms / 1000,
			ms % 1000 / 100, p->found, rate_of(p, now));
	free(p);
	ch->prog = NULL;
	if (!stopped) {
		bool more = false;

		for (size_t i = 0; i < r->n_chains; i++)
			more = more || (r->chains[i].prog && r->chains[i].prog->tty);
		if (more)
			tty_draw(r, now);
	}
}

void relay_progress_height(struct relay *r, struct r_chain *ch, uint64_t height, size_t found)
{
	struct relay_progress *p = ch->prog;
	uint64_t total;
	unsigned step;
	int64_t now;

	if (!p || height <= p->at)
		return;
	p->at = height;
	p->found += found;
	now = relay_mono_ms();
	if (p->at >= p->target) {
		finish(r, ch, now, false);
		return;
	}
	if (p->tty) {
		if (now - p->last_ms >= PROGRESS_TTY_MS) {
			p->last_ms = now;
			tty_draw(r, now);
		}
		return;
	}
	total = p->target - p->from;
	step = (unsigned)((p->at - p->from) * PROGRESS_STEPS / total);
	if (step <= p->step && now - p->last_ms < PROGRESS_LOG_MS)
		return;
	p->step = step > p->step ? step : p->step;
	p->last_ms = now;
	px_info(MOD, "chain %s: backfill %" PRIu64 "/%" PRIu64 " heights, %" PRIu64 " to go, %zu "
		"packet(s) and ack(s) found, %" PRIu64 " heights/s", ch->c.cfg->id, p->at - p->from,
		total, p->target - p->at, p->found, rate_of(p, now));
}

void relay_progress_stop(struct relay *r)
{
	int64_t now = relay_mono_ms();

	for (size_t i = 0; i < r->n_chains; i++)
		if (r->chains[i].prog)
			finish(r, &r->chains[i], now, true);
}
