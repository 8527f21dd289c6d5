/* The pure half of the relaying engine (relay.h): reading packet events,
 * assembling a chain's heights for the journal, and the per-packet
 * decisions and batch sizes. No network, no clock, no journal: the engine
 * (relay.c) feeds it what it observed and proved. */
#include "relayer/relay.h"

#include <stdlib.h>
#include <string.h>

#include "common/encoding.h"
#include "common/log.h"
#include "common/number.h"
#include "ibc/core/packet.h"
#include "ibc/core/paths.h"

#define MOD "relay"

/* --- events --------------------------------------------------------------- */

enum {
	A_SEQ, A_SRC_PORT, A_SRC_CHAN, A_DST_PORT, A_DST_CHAN, A_TO_HEIGHT, A_TO_TIME, A_DATA_HEX,
	A_ACK_HEX, A_COUNT
};

static const char *const attr_names[A_COUNT] = {
	"packet_sequence", "packet_src_port", "packet_src_channel", "packet_dst_port",
	"packet_dst_channel", "packet_timeout_height", "packet_timeout_timestamp",
	"packet_data_hex", "packet_ack_hex",
};

void rly_ev_free(struct rly_ev *ev)
{
	if (!ev)
		return;
	px_buf_free(&ev->data);
	px_buf_free(&ev->ack);
	memset(ev, 0, sizeof(*ev));
}

static bool id_copy(struct px_err *err, char out[IBC_ID_MAX + 1], enum ibc_id_kind kind,
		    const char *name, const char *v)
{
	size_t len = strlen(v);

	if (!ibc_id_validate(err, kind, v, len)) {
		px_err_prefix(err, "%s: ", name);
		return false;
	}
	memcpy(out, v, len + 1);
	return true;
}

/* "R-H" strictly: two decimal uint64 joined by one '-'. */
static bool height_parse(struct px_err *err, struct ibc_height *out, const char *v)
{
	const char *dash = strchr(v, '-');

	if (!dash || dash == v || !dash[1] ||
	    !px_parse_u64(err, &out->revision_number, v, (size_t)(dash - v)) ||
	    !px_parse_u64(err, &out->revision_height, dash + 1, strlen(dash + 1)))
		return px_err_set(err, PX_E_MALFORMED, "packet_timeout_height: want R-H, got '%.40s'",
				  v);
	return true;
}

static bool ev_fields(struct px_err *err, struct rly_ev *out, const char *const v[A_COUNT])
{
	struct ibc_packet *p = &out->packet;
	size_t need = out->kind == RLY_EV_WRITE_ACK ? A_COUNT : A_ACK_HEX;

	for (size_t i = 0; i < need; i++)
		if (!v[i])
			return px_err_set(err, PX_E_MALFORMED, "%s: missing", attr_names[i]);
	if (!px_parse_u64(err, &p->sequence, v[A_SEQ], strlen(v[A_SEQ])) || p->sequence == 0) {
		px_err_clear(err);
		return px_err_set(err, PX_E_MALFORMED, "packet_sequence: not a sequence: '%.40s'",
				  v[A_SEQ]);
	}
	if (!id_copy(err, p->source_port, IBC_ID_PORT, "packet_src_port", v[A_SRC_PORT]) ||
	    !id_copy(err, p->source_channel, IBC_ID_CHANNEL, "packet_src_channel", v[A_SRC_CHAN]) ||
	    !id_copy(err, p->destination_port, IBC_ID_PORT, "packet_dst_port", v[A_DST_PORT]) ||
	    !id_copy(err, p->destination_channel, IBC_ID_CHANNEL, "packet_dst_channel",
		     v[A_DST_CHAN]))
		return false;
	if (!height_parse(err, &p->timeout_height, v[A_TO_HEIGHT]))
		return false;
	if (!px_parse_u64(err, &p->timeout_timestamp, v[A_TO_TIME], strlen(v[A_TO_TIME]))) {
		px_err_clear(err);
		return px_err_set(err, PX_E_MALFORMED, "packet_timeout_timestamp: not a number: "
				  "'%.40s'", v[A_TO_TIME]);
	}
	if (ibc_height_is_zero(p->timeout_height) && p->timeout_timestamp == 0)
		return px_err_set(err, PX_E_MALFORMED, "packet %llu has no timeout",
				  (unsigned long long)p->sequence);
	if (strlen(v[A_DATA_HEX]) > 2 * (size_t)IBC_MAX_PACKET_DATA ||
	    !px_hex_decode(err, &out->data, v[A_DATA_HEX], strlen(v[A_DATA_HEX]), false)) {
		px_err_prefix(err, "packet_data_hex: ");
		return px_err_set(err, PX_E_MALFORMED, "packet_data_hex: too large");
	}
	if (out->data.len == 0)
		return px_err_set(err, PX_E_MALFORMED, "packet_data_hex: empty");
	if (out->kind == RLY_EV_WRITE_ACK) {
		if (strlen(v[A_ACK_HEX]) > 2 * (size_t)RLY_EV_ACK_MAX ||
		    !px_hex_decode(err, &out->ack, v[A_ACK_HEX], strlen(v[A_ACK_HEX]), false)) {
			px_err_prefix(err, "packet_ack_hex: ");
			return px_err_set(err, PX_E_MALFORMED, "packet_ack_hex: too large");
		}
		if (out->ack.len == 0)
			return px_err_set(err, PX_E_MALFORMED, "packet_ack_hex: empty");
	}
	p->data = px_slice_of(&out->data);
	return true;
}

bool rly_ev_parse(struct px_err *err, struct rly_ev *out, const json_t *event)
{
	const char *v[A_COUNT] = { 0 };
	const char *type;
	const json_t *attrs, *a;
	size_t i;

	memset(out, 0, sizeof(*out));
	type = json_string_value(json_object_get(event, "type"));
	if (!json_is_object(event) || !type)
		return px_err_set(err, PX_E_MALFORMED, "event: no type");
	if (strcmp(type, "send_packet") == 0)
		out->kind = RLY_EV_SEND;
	else if (strcmp(type, "write_acknowledgement") == 0)
		out->kind = RLY_EV_WRITE_ACK;
	else
		return true;
	attrs = json_object_get(event, "attributes");
	if (!json_is_array(attrs)) {
		out->kind = RLY_EV_OTHER;
		return px_err_set(err, PX_E_MALFORMED, "%s: no attributes", type);
	}
	json_array_foreach(attrs, i, a) {
		const char *key = json_string_value(json_object_get(a, "key"));
		const json_t *val = json_object_get(a, "value");

		if (!key)
			continue;
		for (size_t k = 0; k < A_COUNT; k++) {
			if (strcmp(key, attr_names[k]) != 0)
				continue;
			if (v[k] || !json_is_string(val)) {
				out->kind = RLY_EV_OTHER;
				return px_err_set(err, PX_E_MALFORMED, "%s: attribute %s %s", type,
						  key, v[k] ? "repeated" : "is not a string");
			}
			v[k] = json_string_value(val);
		}
	}
	if (!ev_fields(err, out, v)) {
		/* Bad numbers, ids or hex inside an event are all one thing to
		 * the watcher: a malformed event (out of memory stays so). */
		if (err && err->code != PX_E_NOMEM)
			err->code = PX_E_MALFORMED;
		px_err_prefix(err, "%s: ", type);
		rly_ev_free(out);
		return false;
	}
	return true;
}

/* --- heights ------------------------------------------------------------- */

void rly_height_free(struct rly_height *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n_sent; i++)
		free((void *)h->sent[i].data);
	for (size_t i = 0; i < h->n_acks; i++)
		free((void *)h->acks[i].ack);
	free(h->sent);
	free(h->acks);
	free(h);
}

static void *grow(void *arr, size_t *cap, size_t n, size_t size)
{
	size_t nc = *cap ? *cap * 2 : 4;
	void *p;

	if (n < *cap)
		return arr;
	p = realloc(arr, nc * size);
	if (p)
		*cap = nc;
	return p;
}

static uint8_t *dup_bytes(const uint8_t *p, size_t len)
{
	uint8_t *d = malloc(len ? len : 1);

	if (d && len)
		memcpy(d, p, len);
	return d;
}

/* Copies s into out (cap bytes with the NUL), cut to fit: the ids here
 * matched configured ones, which fit the journal's sizes. */
static void cpy(char *out, size_t cap, const char *s)
{
	size_t len = strnlen(s, cap - 1);

	memcpy(out, s, len);
	out[len] = 0;
}

static void key_set(struct rly_packet_key *k, const char *chain, const char *port,
		    const char *channel, uint64_t sequence)
{
	memset(k, 0, sizeof(*k));
	cpy(k->src_chain, sizeof(k->src_chain), chain);
	cpy(k->src_port, sizeof(k->src_port), port);
	cpy(k->src_channel, sizeof(k->src_channel), channel);
	k->sequence = sequence;
}

static bool add_sent(struct rly_height *h, const struct rly_route *r, int side,
		     const struct ibc_packet *p, uint64_t height)
{
	struct rly_packet_sent *s, *arr;
	uint8_t *data;

	arr = grow(h->sent, &h->cap_sent, h->n_sent, sizeof(*arr));
	if (!arr)
		return false;
	h->sent = arr;
	data = dup_bytes(p->data.ptr, p->data.len);
	if (!data)
		return false;
	s = &h->sent[h->n_sent++];
	memset(s, 0, sizeof(*s));
	key_set(&s->key, r->chain[side], p->source_port, p->source_channel, p->sequence);
	cpy(s->dst_chain, sizeof(s->dst_chain), r->chain[1 - side]);
	cpy(s->dst_port, sizeof(s->dst_port), p->destination_port);
	cpy(s->dst_channel, sizeof(s->dst_channel), p->destination_channel);
	s->send_height = height;
	s->timeout_revision = p->timeout_height.revision_number;
	s->timeout_height = p->timeout_height.revision_height;
	s->timeout_timestamp = p->timeout_timestamp;
	s->data = data;
	s->data_len = p->data.len;
	return true;
}

static bool add_ack(struct rly_height *h, const struct rly_route *r, int side,
		    const struct rly_ev *ev, uint64_t height)
{
	struct rly_packet_ack *a, *arr;
	uint8_t *ack;

	arr = grow(h->acks, &h->cap_acks, h->n_acks, sizeof(*arr));
	if (!arr)
		return false;
	h->acks = arr;
	ack = dup_bytes(ev->ack.data, ev->ack.len);
	if (!ack)
		return false;
	a = &h->acks[h->n_acks++];
	memset(a, 0, sizeof(*a));
	/* The packet came from the other side of the route. */
	key_set(&a->key, r->chain[1 - side], ev->packet.source_port, ev->packet.source_channel,
		ev->packet.sequence);
	a->height = height;
	a->ack = ack;
	a->ack_len = ev->ack.len;
	return true;
}

static bool str_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

bool rly_watch_take(struct rly_height *h, const char *chain_id, const struct rly_route *routes,
		    size_t n_routes, const struct rly_config *cfg, const struct rly_ev *ev,
		    uint64_t height)
{
	const struct ibc_packet *p = &ev->packet;

	if (ev->kind == RLY_EV_OTHER)
		return true;
	for (size_t i = 0; i < n_routes; i++) {
		const struct rly_route *r = &routes[i];

		for (int side = 0; side < 2; side++) {
			if (!str_eq(r->chain[side], chain_id))
				continue;
			if (ev->kind == RLY_EV_SEND && str_eq(p->source_port, r->port[side]) &&
			    str_eq(p->source_channel, r->channel[side]) &&
			    str_eq(p->destination_port, r->port[1 - side]) &&
			    str_eq(p->destination_channel, r->channel[1 - side])) {
				if (cfg && !rly_config_filter_allows(cfg, p->source_port,
								     p->source_channel))
					return true;
				return add_sent(h, r, side, p, height);
			}
			if (ev->kind == RLY_EV_WRITE_ACK &&
			    str_eq(p->destination_port, r->port[side]) &&
			    str_eq(p->destination_channel, r->channel[side]) &&
			    str_eq(p->source_port, r->port[1 - side]) &&
			    str_eq(p->source_channel, r->channel[1 - side]))
				return add_ack(h, r, side, ev, height);
		}
	}
	return true;
}

void rly_watch_init(struct rly_watch *w, const char *chain_id, const struct rly_route *routes,
		    size_t n_routes, const struct rly_config *cfg)
{
	memset(w, 0, sizeof(*w));
	w->chain_id = chain_id;
	w->routes = routes;
	w->n_routes = n_routes;
	w->cfg = cfg;
}

static bool height_empty(const struct rly_height *h)
{
	return h->n_sent == 0 && h->n_acks == 0;
}

/* Moves the assembled height to the queue; empty heights behind an
 * empty tail only move the tail's height. */
static void height_done(struct rly_watch *w)
{
	struct rly_height *h = w->cur;

	w->cur = NULL;
	if (height_empty(h) && w->tail && height_empty(w->tail)) {
		w->tail->height = h->height;
		rly_height_free(h);
		return;
	}
	if (w->tail)
		w->tail->next = h;
	else
		w->head = h;
	w->tail = h;
	w->queued++;
}

static void tx_events(struct rly_watch *w, const json_t *tx_result, uint64_t height)
{
	const json_t *result = json_object_get(tx_result, "result");
	const json_t *events = json_object_get(result, "events");
	const json_t *code = json_object_get(result, "code");
	const json_t *e;
	size_t i;

	/* A failed transaction's events were reverted with its state. */
	if (code && !(json_is_integer(code) && json_integer_value(code) == 0)) {
		w->failed_tx++;
		return;
	}
	json_array_foreach(events, i, e) {
		struct px_err err = { 0 };
		struct rly_ev ev;

		if (!rly_ev_parse(&err, &ev, e)) {
			/* Nothing can be relayed from it; the height goes on. */
			w->malformed++;
			px_warn(MOD, "%s: height %llu: %s", w->chain_id, (unsigned long long)height,
				err.msg);
			continue;
		}
		if (!rly_watch_take(w->cur, w->chain_id, w->routes, w->n_routes, w->cfg, &ev,
				    height))
			w->oom = true;
		rly_ev_free(&ev);
	}
}

void rly_watch_event(void *arg, const struct cmt_event *ev)
{
	struct rly_watch *w = arg;

	if (w->oom || ev->height <= 0)
		return;
	if (ev->kind == CMT_EVENT_NEW_BLOCK) {
		const json_t *txs = json_object_get(json_object_get(ev->block, "data"), "txs");

		if (w->cur) {	/* the client promises whole heights; be safe */
			px_warn(MOD, "%s: height %llu ended early", w->chain_id,
				(unsigned long long)w->cur->height);
			height_done(w);
		}
		w->cur = calloc(1, sizeof(*w->cur));
		if (!w->cur) {
			w->oom = true;
			return;
		}
		w->cur->height = (uint64_t)ev->height;
		w->cur_ntx = json_is_array(txs) ? json_array_size(txs) : 0;
		w->cur_seen = 0;
	} else if (ev->kind == CMT_EVENT_TX) {
		if (!w->cur || w->cur->height != (uint64_t)ev->height)
			return;
		tx_events(w, ev->tx_result, w->cur->height);
		w->cur_seen++;
	}
	if (w->cur && w->cur_seen >= w->cur_ntx && !w->oom)
		height_done(w);
}

struct rly_height *rly_watch_pop(struct rly_watch *w)
{
	struct rly_height *h = w->head;

	if (!h)
		return NULL;
	w->head = h->next;
	if (!w->head)
		w->tail = NULL;
	h->next = NULL;
	w->queued--;
	return h;
}

void rly_watch_free(struct rly_watch *w)
{
	struct rly_height *h;

	while ((h = rly_watch_pop(w)))
		rly_height_free(h);
	rly_height_free(w->cur);
	w->cur = NULL;
}

/* --- decisions ------------------------------------------------------------ */

const char *rly_action_name(enum rly_action a)
{
	static const char *const names[] = { "wait", "recv", "ack", "timeout", "mark_received",
					     "mark_acked", "none" };

	return (unsigned)a < sizeof(names) / sizeof(names[0]) ? names[a] : "unknown";
}

enum rly_action rly_plan_action(enum rly_packet_state state, const struct rly_facts *f)
{
	switch (state) {
	case RLY_PKT_SENT:
	case RLY_PKT_RECV_SUBMITTED:
	case RLY_PKT_TIMEOUT_SUBMITTED:
		/* The receipt is the truth on the destination: whatever we
		 * submitted before, a received packet is not sent again. */
		if (f->received)
			return RLY_ACT_MARK_RECEIVED;
		if (f->fresh && state != RLY_PKT_SENT)
			return RLY_ACT_WAIT;
		if (f->timed_out)
			return RLY_ACT_TIMEOUT;
		/* A recv landing after the timeout fails the whole batch; wait
		 * for the timeout instead. */
		if (f->near_timeout)
			return RLY_ACT_WAIT;
		return RLY_ACT_RECV;
	case RLY_PKT_RECEIVED:
	case RLY_PKT_ACK_SUBMITTED:
		if (!f->committed)
			return RLY_ACT_MARK_ACKED;
		if (f->fresh && state == RLY_PKT_ACK_SUBMITTED)
			return RLY_ACT_WAIT;
		return f->has_ack ? RLY_ACT_ACK : RLY_ACT_WAIT;
	default:
		return RLY_ACT_NONE;
	}
}

bool rly_plan_timed_out(const struct rly_packet_sent *p, uint64_t revision, uint64_t height,
			uint64_t time_ns)
{
	struct ibc_packet pkt;

	memset(&pkt, 0, sizeof(pkt));
	pkt.timeout_height.revision_number = p->timeout_revision;
	pkt.timeout_height.revision_height = p->timeout_height;
	pkt.timeout_timestamp = p->timeout_timestamp;
	return ibc_packet_timed_out(&pkt, (struct ibc_height){ revision, height }, time_ns);
}

size_t rly_plan_batch(size_t n_pending, size_t n_update, size_t max_msgs)
{
	size_t room;

	if (max_msgs == 0)
		max_msgs = 1;
	if (n_update >= max_msgs)
		return 0;
	room = max_msgs - n_update;
	return n_pending < room ? n_pending : room;
}

bool rly_plan_fresh(enum rly_packet_state state, int64_t updated_ms, int64_t now_ms,
		    int64_t window_ms)
{
	if (state != RLY_PKT_RECV_SUBMITTED && state != RLY_PKT_ACK_SUBMITTED &&
	    state != RLY_PKT_TIMEOUT_SUBMITTED)
		return false;
	return now_ms - updated_ms < window_ms;
}

/* refresh x period, rounded down, without overflow (num < den). */
static uint64_t share_of(uint64_t period, uint64_t num, uint64_t den)
{
	return period / den * num + (uint64_t)((long double)(period % den) * num / den);
}

void rly_plan_refresh(struct rly_refresh_verdict *out, uint64_t cs_time_ns,
		      uint64_t trusting_ns, uint64_t refresh_num, uint64_t refresh_den,
		      uint64_t now_ns)
{
	/* A consensus time in the future (clock drift) is as young as can be. */
	uint64_t age = now_ns > cs_time_ns ? now_ns - cs_time_ns : 0;

	memset(out, 0, sizeof(*out));
	if (trusting_ns == 0 || age >= trusting_ns) {
		out->expired = true;
		out->low = true;
		return;
	}
	out->left_ns = trusting_ns - age;
	out->low = out->left_ns < trusting_ns / 3;
	if (refresh_num && refresh_den && refresh_num < refresh_den)
		out->refresh = age >= share_of(trusting_ns, refresh_num, refresh_den);
}
