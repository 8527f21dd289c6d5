/* The SQLite journal backend (see journal.h): HOME/journal.sqlite in WAL
 * mode with synchronous=FULL, so a transition that returned is on disk.
 * Each operation that writes is one BEGIN IMMEDIATE ... COMMIT; on any
 * failure inside it the transaction is rolled back whole.
 *
 * Tables: packets (one row per packet, keyed by source chain, port,
 * channel and sequence), packet_events (every transition, for audits and
 * `query packet` history), cursors (processed height per chain), acks
 * (the acknowledgement bytes a destination wrote, by the packet's source
 * key). States are stored by name so the file reads well in the sqlite3
 * shell.
 *
 * Schema versions (PRAGMA user_version): 1 had no packet data and no acks;
 * 2 adds packets.data and the acks table; 3 adds the paths table (the ids
 * `start` made for paths whose config says "create"). An older file is
 * upgraded in place when opened (version 1 packets keep an empty data
 * column: they were recorded by a pontifex that did not relay them; the
 * paths table of a version 1 or 2 file starts empty). */
#include "relayer/journal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#define SCHEMA_VERSION 3
#define SQL_MAX 1024
#define PX_STR_(x) #x
#define PX_STR(x) PX_STR_(x)

struct sq_journal {
	struct rly_journal base;	/* first: the public handle */
	sqlite3 *db;
	sqlite3_stmt *begin, *commit, *rollback;
	sqlite3_stmt *get_state, *update, *event, *insert, *cursor_get, *cursor_set;
	sqlite3_stmt *ack_insert, *data_get, *ack_get;
};

#define ACKS_TABLE \
	"CREATE TABLE IF NOT EXISTS acks (" \
	" src_chain TEXT NOT NULL, src_port TEXT NOT NULL, src_channel TEXT NOT NULL," \
	" sequence INTEGER NOT NULL, ack BLOB NOT NULL, height INTEGER NOT NULL," \
	" at_ms INTEGER NOT NULL," \
	" PRIMARY KEY (src_chain, src_port, src_channel, sequence)) WITHOUT ROWID;"

#define PATHS_TABLE \
	"CREATE TABLE IF NOT EXISTS paths (" \
	" name TEXT PRIMARY KEY, port TEXT NOT NULL," \
	" a_chain TEXT NOT NULL, a_client TEXT NOT NULL, a_connection TEXT NOT NULL," \
	" a_channel TEXT NOT NULL," \
	" b_chain TEXT NOT NULL, b_client TEXT NOT NULL, b_connection TEXT NOT NULL," \
	" b_channel TEXT NOT NULL, updated_ms INTEGER NOT NULL);"

/* From version 1: the data column and the acks table. Versions 1 and 2
 * get the paths table from the schema below (CREATE ... IF NOT EXISTS). */
static const char upgrade_1_2[] = "ALTER TABLE packets ADD COLUMN data BLOB;" ACKS_TABLE;

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS packets ("
	" src_chain TEXT NOT NULL, src_port TEXT NOT NULL, src_channel TEXT NOT NULL,"
	" sequence INTEGER NOT NULL CHECK (sequence > 0),"
	" dst_chain TEXT NOT NULL, dst_port TEXT NOT NULL, dst_channel TEXT NOT NULL,"
	" send_height INTEGER NOT NULL, timeout_revision INTEGER NOT NULL,"
	" timeout_height INTEGER NOT NULL, timeout_timestamp INTEGER NOT NULL,"
	" state TEXT NOT NULL CHECK (state IN ('sent','recv_submitted','received',"
	"  'ack_submitted','acked','timeout_submitted','timed_out','failed')),"
	" reason TEXT, recv_tx TEXT, recv_height INTEGER, ack_tx TEXT, ack_height INTEGER,"
	" timeout_tx TEXT, timeout_tx_height INTEGER,"
	" created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL,"
	" transitions INTEGER NOT NULL DEFAULT 0, claimed_by TEXT, claim_until_ms INTEGER,"
	" data BLOB,"
	" PRIMARY KEY (src_chain, src_port, src_channel, sequence)) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS packets_state ON packets (state, updated_ms);"
	"CREATE TABLE IF NOT EXISTS packet_events ("
	" src_chain TEXT NOT NULL, src_port TEXT NOT NULL, src_channel TEXT NOT NULL,"
	" sequence INTEGER NOT NULL, n INTEGER NOT NULL, from_state TEXT, to_state TEXT NOT NULL,"
	" tx_hash TEXT, height INTEGER, reason TEXT, at_ms INTEGER NOT NULL,"
	" PRIMARY KEY (src_chain, src_port, src_channel, sequence, n)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS cursors ("
	" chain TEXT PRIMARY KEY, height INTEGER NOT NULL, updated_ms INTEGER NOT NULL);"
	ACKS_TABLE PATHS_TABLE;

#define RECORD_COLUMNS \
	"src_chain, src_port, src_channel, sequence, dst_chain, dst_port, dst_channel," \
	" send_height, timeout_revision, timeout_height, timeout_timestamp, state, reason," \
	" recv_tx, recv_height, ack_tx, ack_height, timeout_tx, timeout_tx_height," \
	" created_ms, updated_ms, transitions, claimed_by, claim_until_ms"

static struct sq_journal *sq(struct rly_journal *j)
{
	return (struct sq_journal *)j;
}

static int64_t now_ms(struct rly_journal *j)
{
	struct timespec ts;

	if (j->clock)
		return j->clock(j->clock_arg);
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool db_fail(struct px_err *err, sqlite3 *db, const char *what)
{
	int code = db ? sqlite3_errcode(db) : SQLITE_ERROR;

	return px_err_set(err, code == SQLITE_NOMEM ? PX_E_NOMEM : PX_E_IO, "journal: %s: %s%s", what,
			  db ? sqlite3_errmsg(db) : "no database",
			  code == SQLITE_BUSY ? " (another process holds the journal)" : "");
}

static bool step_done(struct sq_journal *s, struct px_err *err, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(err, s->db, what);
	return true;
}

static bool tx_begin(struct sq_journal *s, struct px_err *err)
{
	return step_done(s, err, s->begin, "begin");
}

static bool tx_end(struct sq_journal *s, struct px_err *err, bool ok)
{
	if (ok && step_done(s, err, s->commit, "commit"))
		return true;
	/* A failed COMMIT leaves the transaction open; roll it back too. */
	if (!sqlite3_get_autocommit(s->db))
		(void)step_done(s, NULL, s->rollback, "rollback");
	return false;
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void bind_key(sqlite3_stmt *st, const struct rly_packet_key *k)
{
	sqlite3_bind_text(st, 1, k->src_chain, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, k->src_port, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, k->src_channel, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, (int64_t)k->sequence);
}

static void col_text(char *out, size_t cap, sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	snprintf(out, cap, "%s", t ? (const char *)t : "");
}

static uint64_t col_u64(sqlite3_stmt *st, int i)
{
	int64_t v = sqlite3_column_int64(st, i);

	return v < 0 ? 0 : (uint64_t)v;
}

static void read_record(struct rly_packet_record *r, sqlite3_stmt *st)
{
	char state[32];
	int s;

	memset(r, 0, sizeof(*r));
	col_text(r->packet.key.src_chain, sizeof(r->packet.key.src_chain), st, 0);
	col_text(r->packet.key.src_port, sizeof(r->packet.key.src_port), st, 1);
	col_text(r->packet.key.src_channel, sizeof(r->packet.key.src_channel), st, 2);
	r->packet.key.sequence = col_u64(st, 3);
	col_text(r->packet.dst_chain, sizeof(r->packet.dst_chain), st, 4);
	col_text(r->packet.dst_port, sizeof(r->packet.dst_port), st, 5);
	col_text(r->packet.dst_channel, sizeof(r->packet.dst_channel), st, 6);
	r->packet.send_height = col_u64(st, 7);
	r->packet.timeout_revision = col_u64(st, 8);
	r->packet.timeout_height = col_u64(st, 9);
	r->packet.timeout_timestamp = col_u64(st, 10);
	col_text(state, sizeof(state), st, 11);
	s = rly_packet_state_parse(state);
	r->state = s < 0 ? RLY_PKT_FAILED : (enum rly_packet_state)s;
	col_text(r->reason, sizeof(r->reason), st, 12);
	col_text(r->recv_tx, sizeof(r->recv_tx), st, 13);
	r->recv_height = col_u64(st, 14);
	col_text(r->ack_tx, sizeof(r->ack_tx), st, 15);
	r->ack_height = col_u64(st, 16);
	col_text(r->timeout_tx, sizeof(r->timeout_tx), st, 17);
	r->timeout_tx_height = col_u64(st, 18);
	r->created_ms = sqlite3_column_int64(st, 19);
	r->updated_ms = sqlite3_column_int64(st, 20);
	r->transitions = (uint32_t)sqlite3_column_int64(st, 21);
	col_text(r->claimed_by, sizeof(r->claimed_by), st, 22);
	r->claim_until_ms = sqlite3_column_int64(st, 23);
}

/* ---- writes --------------------------------------------------------------- */

/* Inserts packets inside an open transaction; counts the new ones. */
static bool insert_sent(struct sq_journal *s, struct px_err *err, const struct rly_packet_sent *p,
			size_t n, int64_t now, size_t *count)
{
	size_t i;
	bool ok = true;

	for (i = 0; i < n && ok; i++) {
		sqlite3_stmt *st = s->insert;

		bind_key(st, &p[i].key);
		sqlite3_bind_text(st, 5, p[i].dst_chain, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 6, p[i].dst_port, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 7, p[i].dst_channel, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 8, (int64_t)p[i].send_height);
		sqlite3_bind_int64(st, 9, (int64_t)p[i].timeout_revision);
		sqlite3_bind_int64(st, 10, (int64_t)p[i].timeout_height);
		sqlite3_bind_int64(st, 11, (int64_t)p[i].timeout_timestamp);
		sqlite3_bind_int64(st, 12, now);
		if (p[i].data_len)
			sqlite3_bind_blob(st, 13, p[i].data, (int)p[i].data_len, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 13);
		ok = step_done(s, err, st, "record packet");
		sqlite3_bind_null(st, 13);
		if (ok && sqlite3_changes(s->db) == 1) {
			(*count)++;
			st = s->event;
			bind_key(st, &p[i].key);
			sqlite3_bind_int64(st, 5, 0);
			sqlite3_bind_null(st, 6);
			sqlite3_bind_text(st, 7, "sent", -1, SQLITE_STATIC);
			sqlite3_bind_null(st, 8);
			sqlite3_bind_int64(st, 9, (int64_t)p[i].send_height);
			sqlite3_bind_null(st, 10);
			sqlite3_bind_int64(st, 11, now);
			ok = step_done(s, err, st, "record event");
		}
	}
	return ok;
}

static bool sent_fits(struct px_err *err, const struct rly_packet_sent *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i].send_height > INT64_MAX || p[i].timeout_revision > INT64_MAX ||
		    p[i].timeout_height > INT64_MAX || p[i].timeout_timestamp > INT64_MAX)
			return px_err_set(err, PX_E_USAGE, "journal: height or timeout above 2^63-1");
	return true;
}

static bool sq_put_sent(struct rly_journal *j, struct px_err *err, const struct rly_packet_sent *p,
			size_t n, size_t *inserted)
{
	struct sq_journal *s = sq(j);
	size_t count = 0;
	bool ok;

	if (!sent_fits(err, p, n) || !tx_begin(s, err))
		return false;
	ok = insert_sent(s, err, p, n, now_ms(j), &count);
	if (!tx_end(s, err, ok))
		return false;
	if (inserted)
		*inserted = count;
	return true;
}

static bool sq_transition(struct rly_journal *j, struct px_err *err, const struct rly_packet_key *k,
			  const struct rly_transition *t)
{
	struct sq_journal *s = sq(j);
	sqlite3_stmt *st = s->get_state;
	enum rly_packet_state from = RLY_PKT_SENT;
	int64_t now = now_ms(j), n_events = 0;
	bool ok = false, recv, ack, tmo;
	int rc, f;

	if (!tx_begin(s, err))
		return false;
	bind_key(st, k);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *name = sqlite3_column_text(st, 0);

		f = rly_packet_state_parse((const char *)name);
		from = f < 0 ? RLY_PKT_STATE_COUNT : (enum rly_packet_state)f;
		n_events = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE) {
		px_err_set(err, PX_E_IBC_NOT_FOUND, "journal: no packet %s/%s/%s/%llu", k->src_chain,
			   k->src_port, k->src_channel, (unsigned long long)k->sequence);
		goto out;
	}
	if (rc != SQLITE_ROW) {
		db_fail(err, s->db, "read packet");
		goto out;
	}
	if (!rly_packet_transition_allowed(from, t->to)) {
		px_err_set(err, PX_E_IBC_STATE, "journal: packet %s/%s/%s/%llu cannot go from %s to %s",
			   k->src_chain, k->src_port, k->src_channel, (unsigned long long)k->sequence,
			   rly_packet_state_name(from), rly_packet_state_name(t->to));
		goto out;
	}
	recv = t->to == RLY_PKT_RECV_SUBMITTED || t->to == RLY_PKT_RECEIVED;
	ack = t->to == RLY_PKT_ACK_SUBMITTED || t->to == RLY_PKT_ACKED;
	tmo = t->to == RLY_PKT_TIMEOUT_SUBMITTED || t->to == RLY_PKT_TIMED_OUT;
	st = s->update;
	bind_key(st, k);
	sqlite3_bind_text(st, 5, rly_packet_state_name(t->to), -1, SQLITE_STATIC);
	bind_text_or_null(st, 6, t->reason);
	sqlite3_bind_int64(st, 7, now);
	bind_text_or_null(st, 8, recv ? t->tx_hash : NULL);
	if (recv && t->height)
		sqlite3_bind_int64(st, 9, (int64_t)t->height);
	else
		sqlite3_bind_null(st, 9);
	bind_text_or_null(st, 10, ack ? t->tx_hash : NULL);
	if (ack && t->height)
		sqlite3_bind_int64(st, 11, (int64_t)t->height);
	else
		sqlite3_bind_null(st, 11);
	bind_text_or_null(st, 12, tmo ? t->tx_hash : NULL);
	if (tmo && t->height)
		sqlite3_bind_int64(st, 13, (int64_t)t->height);
	else
		sqlite3_bind_null(st, 13);
	if (!step_done(s, err, st, "update packet"))
		goto out;
	st = s->event;
	bind_key(st, k);
	sqlite3_bind_int64(st, 5, n_events + 1);
	sqlite3_bind_text(st, 6, rly_packet_state_name(from), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, rly_packet_state_name(t->to), -1, SQLITE_STATIC);
	bind_text_or_null(st, 8, t->tx_hash);
	if (t->height)
		sqlite3_bind_int64(st, 9, (int64_t)t->height);
	else
		sqlite3_bind_null(st, 9);
	bind_text_or_null(st, 10, t->reason);
	sqlite3_bind_int64(st, 11, now);
	ok = step_done(s, err, st, "record event");
out:
	return tx_end(s, err, ok);
}

static bool sq_cursor_get(struct rly_journal *j, struct px_err *err, const char *chain,
			  uint64_t *height, bool *found)
{
	struct sq_journal *s = sq(j);
	sqlite3_stmt *st = s->cursor_get;
	int rc;

	sqlite3_bind_text(st, 1, chain, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*height = col_u64(st, 0);
		*found = true;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(err, s->db, "read cursor");
	return true;
}

static bool sq_cursor_set(struct rly_journal *j, struct px_err *err, const char *chain,
			  uint64_t height)
{
	struct sq_journal *s = sq(j);
	uint64_t old = 0;
	bool found = false, ok;

	if (!tx_begin(s, err))
		return false;
	ok = sq_cursor_get(j, err, chain, &old, &found);
	if (ok && found && height < old)
		ok = px_err_set(err, PX_E_USAGE, "journal: cursor of %s cannot go back from %llu to %llu",
				chain, (unsigned long long)old, (unsigned long long)height);
	if (ok) {
		sqlite3_bind_text(s->cursor_set, 1, chain, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(s->cursor_set, 2, (int64_t)height);
		sqlite3_bind_int64(s->cursor_set, 3, now_ms(j));
		ok = step_done(s, err, s->cursor_set, "write cursor");
	}
	return tx_end(s, err, ok);
}

static bool sq_record_height(struct rly_journal *j, struct px_err *err, const char *chain,
			     uint64_t height, const struct rly_packet_sent *sent, size_t n_sent,
			     const struct rly_packet_ack *acks, size_t n_acks, size_t *inserted)
{
	struct sq_journal *s = sq(j);
	int64_t now = now_ms(j);
	uint64_t old = 0;
	size_t count = 0, i;
	bool found = false, ok;

	if (!sent_fits(err, sent, n_sent) || !tx_begin(s, err))
		return false;
	ok = insert_sent(s, err, sent, n_sent, now, &count);
	for (i = 0; ok && i < n_acks; i++) {
		sqlite3_stmt *st = s->ack_insert;

		bind_key(st, &acks[i].key);
		sqlite3_bind_blob(st, 5, acks[i].ack, (int)acks[i].ack_len, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, (int64_t)acks[i].height);
		sqlite3_bind_int64(st, 7, now);
		ok = step_done(s, err, st, "record ack");
		sqlite3_bind_null(st, 5);
	}
	if (ok && chain)
		ok = sq_cursor_get(j, err, chain, &old, &found);
	if (ok && found && height < old)
		ok = px_err_set(err, PX_E_USAGE, "journal: cursor of %s cannot go back from %llu to %llu",
				chain, (unsigned long long)old, (unsigned long long)height);
	if (ok && chain) {
		sqlite3_bind_text(s->cursor_set, 1, chain, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(s->cursor_set, 2, (int64_t)height);
		sqlite3_bind_int64(s->cursor_set, 3, now);
		ok = step_done(s, err, s->cursor_set, "write cursor");
	}
	if (!tx_end(s, err, ok))
		return false;
	if (inserted)
		*inserted = count;
	return true;
}

static void blob_append(struct px_buf *out, sqlite3_stmt *st, int i)
{
	const void *p = sqlite3_column_blob(st, i);
	int n = sqlite3_column_bytes(st, i);

	if (p && n > 0)
		px_buf_append(out, p, (size_t)n);
}

static bool sq_payload(struct rly_journal *j, struct px_err *err, const struct rly_packet_key *k,
		       struct px_buf *data, struct px_buf *ack, uint64_t *ack_height, bool *found)
{
	struct sq_journal *s = sq(j);
	sqlite3_stmt *st = s->data_get;
	size_t data_len0 = data->len;
	bool ok = true;
	int rc;

	bind_key(st, k);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*found = true;
		blob_append(data, st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(err, s->db, "read packet data");
	if (ack) {
		st = s->ack_get;
		bind_key(st, k);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			blob_append(ack, st, 0);
			if (ack_height)
				*ack_height = col_u64(st, 1);
		}
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			ok = db_fail(err, s->db, "read ack");
	}
	if (ok && (!px_buf_ok(data) || (ack && !px_buf_ok(ack))))
		ok = px_err_set(err, PX_E_NOMEM, "journal: out of memory");
	if (!ok) {
		data->len = data_len0;
		*found = false;
	}
	return ok;
}

/* ---- queries ------------------------------------------------------------- */

/* Appends " AND ..." conditions for f to sql; binds go from ?1 to ?3 in
 * the order chain, port, channel (absent ones are bound NULL and the
 * condition passes). */
static void filter_sql(char *sql, size_t cap, const struct rly_packet_filter *f)
{
	size_t len = strlen(sql);
	unsigned mask = f ? f->state_mask : 0;
	int i;
	bool first = true;

	len += (size_t)snprintf(sql + len, cap - len,
				" (?1 IS NULL OR src_chain = ?1) AND (?2 IS NULL OR src_port = ?2)"
				" AND (?3 IS NULL OR src_channel = ?3)");
	if (!mask)
		return;
	len += (size_t)snprintf(sql + len, cap - len, " AND state IN (");
	for (i = 0; i < RLY_PKT_STATE_COUNT; i++) {
		if (!(mask & RLY_PKT_MASK(i)))
			continue;
		len += (size_t)snprintf(sql + len, cap - len, "%s'%s'", first ? "" : ",",
					rly_packet_state_name((enum rly_packet_state)i));
		first = false;
	}
	snprintf(sql + len, cap - len, ")");
}

static void bind_filter(sqlite3_stmt *st, const struct rly_packet_filter *f)
{
	bind_text_or_null(st, 1, f ? f->src_chain : NULL);
	bind_text_or_null(st, 2, f ? f->src_port : NULL);
	bind_text_or_null(st, 3, f ? f->src_channel : NULL);
}

static bool sq_get(struct rly_journal *j, struct px_err *err, const struct rly_packet_key *k,
		   struct rly_packet_record *out, bool *found)
{
	struct sq_journal *s = sq(j);
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT " RECORD_COLUMNS " FROM packets WHERE src_chain = ?1 AND"
			       " src_port = ?2 AND src_channel = ?3 AND sequence = ?4",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(err, s->db, "query packet");
	bind_key(st, k);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_record(out, st);
		*found = true;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(err, s->db, "query packet");
	return true;
}

static bool sq_list(struct rly_journal *j, struct px_err *err, const struct rly_packet_filter *f,
		    uint64_t after_sequence, size_t limit, rly_packet_fn fn, void *arg)
{
	struct sq_journal *s = sq(j);
	char sql[SQL_MAX] = "SELECT " RECORD_COLUMNS " FROM packets WHERE";
	struct rly_packet_record rec;
	sqlite3_stmt *st = NULL;
	int rc;

	filter_sql(sql, sizeof(sql), f);
	snprintf(sql + strlen(sql), sizeof(sql) - strlen(sql),
		 " AND sequence > ?4 ORDER BY src_chain, src_port, src_channel, sequence LIMIT ?5");
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(err, s->db, "list packets");
	bind_filter(st, f);
	sqlite3_bind_int64(st, 4, (int64_t)after_sequence);
	sqlite3_bind_int64(st, 5, limit && limit <= INT64_MAX ? (int64_t)limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_record(&rec, st);
		if (!fn(arg, &rec)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(err, s->db, "list packets");
	return true;
}

static bool sq_counts(struct rly_journal *j, struct px_err *err, const struct rly_packet_filter *f,
		      uint64_t counts[RLY_PKT_STATE_COUNT])
{
	struct sq_journal *s = sq(j);
	char sql[SQL_MAX] = "SELECT state, count(*) FROM packets WHERE";
	sqlite3_stmt *st = NULL;
	int rc;

	filter_sql(sql, sizeof(sql), f);
	snprintf(sql + strlen(sql), sizeof(sql) - strlen(sql), " GROUP BY state");
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(err, s->db, "count packets");
	bind_filter(st, f);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int state = rly_packet_state_parse((const char *)sqlite3_column_text(st, 0));

		if (state >= 0)
			counts[state] = col_u64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(err, s->db, "count packets");
	return true;
}

static bool sq_backlog(struct rly_journal *j, struct px_err *err, rly_backlog_fn fn, void *arg)
{
	struct sq_journal *s = sq(j);
	struct rly_packet_filter f = { NULL, NULL, NULL, RLY_PKT_PENDING };
	char sql[SQL_MAX] = "SELECT src_chain, src_port, src_channel, count(*), min(sequence)"
			    " FROM packets WHERE";
	sqlite3_stmt *st = NULL;
	int rc;

	filter_sql(sql, sizeof(sql), &f);
	snprintf(sql + strlen(sql), sizeof(sql) - strlen(sql),
		 " GROUP BY src_chain, src_port, src_channel ORDER BY 1, 2, 3");
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(err, s->db, "backlog");
	bind_filter(st, &f);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct rly_backlog b = {
			(const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
			(const char *)sqlite3_column_text(st, 2), col_u64(st, 3), col_u64(st, 4),
		};

		if (!fn(arg, &b)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(err, s->db, "backlog");
	return true;
}

/* ---- paths --------------------------------------------------------------- */

static bool sq_path_get(struct rly_journal *j, struct px_err *err, const char *name,
			struct rly_path_ids *out, bool *found)
{
	struct sq_journal *s = sq(j);
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT port, a_chain, a_client, a_connection, a_channel,"
			       " b_chain, b_client, b_connection, b_channel FROM paths WHERE name = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(err, s->db, "read path");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		col_text(out->port, sizeof(out->port), st, 0);
		for (int i = 0; i < 2; i++) {
			col_text(out->chain[i], sizeof(out->chain[i]), st, 1 + 4 * i);
			col_text(out->client[i], sizeof(out->client[i]), st, 2 + 4 * i);
			col_text(out->connection[i], sizeof(out->connection[i]), st, 3 + 4 * i);
			col_text(out->channel[i], sizeof(out->channel[i]), st, 4 + 4 * i);
		}
		*found = true;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(err, s->db, "read path");
	return true;
}

static bool sq_path_put(struct rly_journal *j, struct px_err *err, const char *name,
			const struct rly_path_ids *ids)
{
	struct sq_journal *s = sq(j);
	sqlite3_stmt *st = NULL;
	bool ok = false;

	if (!tx_begin(s, err))
		return false;
	if (sqlite3_prepare_v2(s->db, "INSERT INTO paths (name, port, a_chain, a_client,"
			       " a_connection, a_channel, b_chain, b_client, b_connection, b_channel,"
			       " updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
			       " ON CONFLICT (name) DO UPDATE SET port = excluded.port,"
			       " a_chain = excluded.a_chain, a_client = excluded.a_client,"
			       " a_connection = excluded.a_connection, a_channel = excluded.a_channel,"
			       " b_chain = excluded.b_chain, b_client = excluded.b_client,"
			       " b_connection = excluded.b_connection, b_channel = excluded.b_channel,"
			       " updated_ms = excluded.updated_ms", -1, &st, NULL) != SQLITE_OK) {
		db_fail(err, s->db, "record path");
		goto out;
	}
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, ids->port, -1, SQLITE_TRANSIENT);
	for (int i = 0; i < 2; i++) {
		sqlite3_bind_text(st, 3 + 4 * i, ids->chain[i], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4 + 4 * i, ids->client[i], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 5 + 4 * i, ids->connection[i], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 6 + 4 * i, ids->channel[i], -1, SQLITE_TRANSIENT);
	}
	sqlite3_bind_int64(st, 11, now_ms(j));
	ok = step_done(s, err, st, "record path");
out:
	sqlite3_finalize(st);
	return tx_end(s, err, ok);
}

/* ---- claims --------------------------------------------------------------- */

static bool sq_claim(struct rly_journal *j, struct px_err *err, const struct rly_packet_filter *f,
		     const char *owner, int64_t lease_ms, struct rly_packet_record *out, size_t cap,
		     size_t *n)
{
	struct sq_journal *s = sq(j);
	struct rly_packet_filter af = f ? *f : (struct rly_packet_filter){ NULL, NULL, NULL, 0 };
	char sql[SQL_MAX] = "SELECT " RECORD_COLUMNS " FROM packets WHERE";
	sqlite3_stmt *st = NULL, *up = NULL;
	int64_t now = now_ms(j);
	size_t got = 0, i;
	bool ok = false;
	int rc = SQLITE_DONE;

	af.state_mask = (af.state_mask ? af.state_mask : RLY_PKT_ACTIONABLE) & RLY_PKT_ACTIONABLE;
	filter_sql(sql, sizeof(sql), &af);
	snprintf(sql + strlen(sql), sizeof(sql) - strlen(sql),
		 " AND (claim_until_ms IS NULL OR claim_until_ms < ?4) ORDER BY updated_ms,"
		 " src_chain, src_port, src_channel, sequence LIMIT ?5");
	if (cap == 0)
		return true;
	if (!tx_begin(s, err))
		return false;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db,
			       "UPDATE packets SET claimed_by = ?5, claim_until_ms = ?6 WHERE"
			       " src_chain = ?1 AND src_port = ?2 AND src_channel = ?3 AND sequence = ?4",
			       -1, &up, NULL) != SQLITE_OK) {
		db_fail(err, s->db, "claim");
		goto out;
	}
	bind_filter(st, &af);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, cap <= INT64_MAX ? (int64_t)cap : INT64_MAX);
	while (got < cap && (rc = sqlite3_step(st)) == SQLITE_ROW)
		read_record(&out[got++], st);
	if (got < cap && rc != SQLITE_DONE) {
		db_fail(err, s->db, "claim");
		goto out;
	}
	for (i = 0; i < got; i++) {
		bind_key(up, &out[i].packet.key);
		sqlite3_bind_text(up, 5, owner, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(up, 6, now + lease_ms);
		if (!step_done(s, err, up, "claim"))
			goto out;
		snprintf(out[i].claimed_by, sizeof(out[i].claimed_by), "%s", owner);
		out[i].claim_until_ms = now + lease_ms;
	}
	ok = true;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	ok = tx_end(s, err, ok);
	if (ok)
		*n = got;
	else
		memset(out, 0, cap * sizeof(*out));
	return ok;
}

static bool sq_release(struct rly_journal *j, struct px_err *err, const char *owner)
{
	struct sq_journal *s = sq(j);
	sqlite3_stmt *st = NULL;
	bool ok;

	if (sqlite3_prepare_v2(s->db,
			       "UPDATE packets SET claimed_by = NULL, claim_until_ms = NULL"
			       " WHERE claimed_by = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(err, s->db, "release");
	sqlite3_bind_text(st, 1, owner, -1, SQLITE_TRANSIENT);
	ok = step_done(s, err, st, "release");
	sqlite3_finalize(st);
	return ok;
}

/* ---- open and close ---------------------------------------------------- */

static void sq_close(struct rly_journal *j)
{
	struct sq_journal *s = sq(j);
	sqlite3_stmt **sts[] = { &s->begin, &s->commit, &s->rollback, &s->get_state, &s->update,
				 &s->event, &s->insert, &s->cursor_get, &s->cursor_set,
				 &s->ack_insert, &s->data_get, &s->ack_get };
	size_t i;

	for (i = 0; i < sizeof(sts) / sizeof(sts[0]); i++)
		sqlite3_finalize(*sts[i]);
	sqlite3_close(s->db);
	free(s);
}

static const struct rly_journal_ops sqlite_ops = {
	"sqlite", sq_close, sq_put_sent, sq_transition, sq_claim, sq_release,
	sq_cursor_get, sq_cursor_set, sq_get, sq_list, sq_counts, sq_backlog,
	sq_record_height, sq_payload, sq_path_get, sq_path_put,
};

static bool prepare_all(struct sq_journal *s, struct px_err *err)
{
	static const char *const sql[] = {
		"BEGIN IMMEDIATE",
		"COMMIT",
		"ROLLBACK",
		"SELECT state, transitions FROM packets WHERE src_chain = ?1 AND src_port = ?2"
		" AND src_channel = ?3 AND sequence = ?4",
		"UPDATE packets SET state = ?5, reason = ?6, updated_ms = ?7,"
		" transitions = transitions + 1, claimed_by = NULL, claim_until_ms = NULL,"
		" recv_tx = COALESCE(?8, recv_tx), recv_height = COALESCE(?9, recv_height),"
		" ack_tx = COALESCE(?10, ack_tx), ack_height = COALESCE(?11, ack_height),"
		" timeout_tx = COALESCE(?12, timeout_tx),"
		" timeout_tx_height = COALESCE(?13, timeout_tx_height)"
		" WHERE src_chain = ?1 AND src_port = ?2 AND src_channel = ?3 AND sequence = ?4",
		"INSERT INTO packet_events (src_chain, src_port, src_channel, sequence, n,"
		" from_state, to_state, tx_hash, height, reason, at_ms)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
		"INSERT OR IGNORE INTO packets (src_chain, src_port, src_channel, sequence,"
		" dst_chain, dst_port, dst_channel, send_height, timeout_revision, timeout_height,"
		" timeout_timestamp, state, created_ms, updated_ms, data)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'sent', ?12, ?12, ?13)",
		"SELECT height FROM cursors WHERE chain = ?1",
		"INSERT INTO cursors (chain, height, updated_ms) VALUES (?1, ?2, ?3)"
		" ON CONFLICT (chain) DO UPDATE SET height = excluded.height,"
		" updated_ms = excluded.updated_ms",
		"INSERT OR IGNORE INTO acks (src_chain, src_port, src_channel, sequence, ack, height,"
		" at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		"SELECT data FROM packets WHERE src_chain = ?1 AND src_port = ?2 AND src_channel = ?3"
		" AND sequence = ?4",
		"SELECT ack, height FROM acks WHERE src_chain = ?1 AND src_port = ?2 AND"
		" src_channel = ?3 AND sequence = ?4",
	};
	sqlite3_stmt **sts[] = { &s->begin, &s->commit, &s->rollback, &s->get_state, &s->update,
				 &s->event, &s->insert, &s->cursor_get, &s->cursor_set,
				 &s->ack_insert, &s->data_get, &s->ack_get };
	size_t i;

	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
		if (sqlite3_prepare_v3(s->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, sts[i], NULL) !=
		    SQLITE_OK)
			return db_fail(err, s->db, "prepare");
	return true;
}

static bool exec(struct sq_journal *s, struct px_err *err, const char *sql, const char *what)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(err, s->db, what);
	return true;
}

static bool setup(struct sq_journal *s, struct px_err *err)
{
	sqlite3_stmt *st = NULL;
	const unsigned char *mode;
	int version = -1;
	bool wal;

	sqlite3_busy_timeout(s->db, 5000);
	if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode=WAL", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_fail(err, s->db, "WAL mode");
	}
	mode = sqlite3_column_text(st, 0);
	wal = mode && strcmp((const char *)mode, "wal") == 0;
	sqlite3_finalize(st);
	if (!wal)
		return px_err_set(err, PX_E_IO, "journal: the file system does not support WAL mode");
	if (!exec(s, err, "PRAGMA synchronous=FULL", "synchronous") ||
	    !exec(s, err, "BEGIN IMMEDIATE", "schema"))
		return false;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version > SCHEMA_VERSION) {
		exec(s, NULL, "ROLLBACK", "");
		return px_err_set(err, PX_E_CONFIG,
				  "journal: schema version %d is newer than this pontifex (%d)",
				  version, SCHEMA_VERSION);
	}
	/* A file with the tables of version 1 is upgraded; a new file (0)
	 * gets the current schema at once. */
	if (version == 1 && !exec(s, err, upgrade_1_2, "schema upgrade")) {
		exec(s, NULL, "ROLLBACK", "");
		return px_err_set(err, PX_E_IO, "journal: cannot upgrade the schema from version 1");
	}
	if (version < 0 || !exec(s, err, schema, "schema") ||
	    !exec(s, err, "PRAGMA user_version=" PX_STR(SCHEMA_VERSION), "schema") ||
	    !exec(s, err, "COMMIT", "schema")) {
		exec(s, NULL, "ROLLBACK", "");
		return px_err_set(err, PX_E_IO, "journal: cannot create the schema");
	}
	return prepare_all(s, err);
}

bool rly_journal_open_sqlite(struct px_err *err, struct rly_journal **out, const char *path)
{
	struct sq_journal *s;

	if (!out)
		return px_err_set(err, PX_E_USAGE, "journal: NULL output");
	*out = NULL;
	if (!path)
		return px_err_set(err, PX_E_USAGE, "journal: NULL path");
	s = calloc(1, sizeof(*s));
	if (!s)
		return px_err_set(err, PX_E_NOMEM, "journal: out of memory");
	s->base.ops = &sqlite_ops;
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		px_err_set(err, PX_E_IO, "journal: %s: %s", path,
			   s->db ? sqlite3_errmsg(s->db) : "cannot open");
		sq_close(&s->base);
		return false;
	}
	if (!setup(s, err)) {
		px_err_prefix(err, "%s: ", path);
		sq_close(&s->base);
		return false;
	}
	*out = &s->base;
	return true;
}
