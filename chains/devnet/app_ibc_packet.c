/* The devnet's IBC packet messages, as ibc-go v8's msg server runs them:
 * MsgRecvPacket (with the ICS-20 OnRecv callback and the acknowledgement
 * written in the same message), MsgAcknowledgement, MsgTimeout and the
 * transfer module's MsgTransfer. A packet relayed twice is a no-op, not a
 * failure (result NOOP), as in ibc-go. */
#include "chains/devnet/app_ibc.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/protobuf.h"
#include "ibc/core/packet.h"

/* MsgRecvPacket/Acknowledgement/TimeoutResponse.result (ibc-go
 * ResponseResultType). */
#define RESULT_NOOP 1
#define RESULT_SUCCESS 2

static const char *order_name(enum ibc_order o)
{
	return o == IBC_ORDER_ORDERED ? "ORDER_ORDERED" : o == IBC_ORDER_UNORDERED
							  ? "ORDER_UNORDERED" : "ORDER_NONE_UNSPECIFIED";
}

static void put_result(struct px_buf *resp, uint64_t result)
{
	px_pb_put_uint64(resp, 1, result);
}

/* The channel a packet message works on (this chain's end): ordering and
 * connection for the events. Absent: the rule reports it. */
static bool packet_end(struct px_err *err, struct app_ibc_ctx *x, struct ibc_channel *out,
		       const char *port, const char *channel)
{
	bool found;

	memset(out, 0, sizeof(*out));
	if (!app_ibc_chan_load(err, x, out, &found, port, channel))
		return false;
	if (!found || out->connection_hops_len == 0) {
		memset(out, 0, sizeof(*out));
		out->connection_hops_len = 1;
	}
	return true;
}

bool app_ibc_recv(struct px_err *err, struct app_refusal *ref, struct app_ibc_ctx *x,
			json_t *events, const struct ibc_msg_recv_packet *m, struct px_buf *resp)
{
	const struct ibc_packet *pkt = &m->packet;
	struct app_cache app_c, *outer = x->c;
	struct px_buf ack = PX_BUF_INIT;
	struct ibc_channel chan;
	struct ibc_host h;
	struct px_err e = { 0 };
	json_t *app_events = NULL;
	bool ok = false, success;
	char ack_hex[2 * 1024 + 1];

	if (!packet_end(err, x, &chan, pkt->destination_port, pkt->destination_channel))
		return false;
	app_ibc_host(&h, x);
	if (!ibc_packet_recv(&h, &e, pkt, m->proof_commitment, m->proof_height)) {
		if (e.code == PX_E_IBC_ALREADY_RECEIVED && !x->internal) {
			/* ibc-go: a packet relayed twice is a no-op, not a failure */
			put_result(resp, RESULT_NOOP);
			return true;
		}
		return app_ibc_rule_failed(err, ref, x, "channel", &e, "MsgRecvPacket");
	}
	if (!app_ibc_port_bound(ref, pkt->destination_port))
		return true;
	/* The app's writes are kept only for a successful acknowledgement. */
	if (events && !(app_events = json_array()))
		return px_err_set(err, PX_E_NOMEM, "events: out of memory");
	app_cache_init(&app_c, x->a, outer, outer->version);
	x->c = &app_c;
	if (!app_transfer_on_recv(err, x, app_events, pkt, &ack))
		goto out;
	x->c = outer;
	success = ibc_ack_is_ics20_success(ack.data, ack.len);
	if (success && !app_cache_merge(err, &app_c))
		goto out;
	if (!px_buf_ok(&ack)) {
		px_err_set(err, PX_E_NOMEM, "ack: out of memory");
		goto out;
	}
	if (!ibc_packet_write_ack(&h, &e, pkt, ack.data, ack.len)) {
		ok = app_ibc_rule_failed(err, ref, x, "channel", &e, "MsgRecvPacket");
		goto out;
	}
	for (size_t i = 0; i < ack.len && i < 1024; i++)
		snprintf(ack_hex + 2 * i, 3, "%02x", ack.data[i]);
	ack_hex[2 * (ack.len < 1024 ? ack.len : 1024)] = 0;
	px_buf_append(&ack, (const uint8_t *)"", 1);
	if (!app_ibc_packet_event(err, events, "recv_packet", pkt, order_name(chan.ordering),
				  chan.connection_hops[0], true, NULL))
		goto out;
	if (events && json_array_extend(events, app_events) != 0) {
		px_err_set(err, PX_E_NOMEM, "events: out of memory");
		goto out;
	}
	if (!app_ibc_packet_event(err, events, "write_acknowledgement", pkt, NULL,
				  chan.connection_hops[0], true, "packet_ack", (const char *)ack.data,
				  "packet_ack_hex", ack_hex, NULL))
		goto out;
	put_result(resp, RESULT_SUCCESS);
	ok = true;
out:
	x->c = outer;
	app_cache_free(&app_c);
	json_decref(app_events);
	px_buf_free(&ack);
	return ok;
}

/* MsgAcknowledgement (ack) or MsgTimeout (to; ack NULL): the packet ends
 * at its source. A commitment already gone is a no-op (another relayer
 * was first); then the transfer app refunds or not. */
static bool packet_close(struct px_err *err, struct app_refusal *ref, struct app_ibc_ctx *x,
			 json_t *events, const struct ibc_packet *pkt,
			 const struct ibc_msg_acknowledgement *ack, const struct ibc_msg_timeout *to,
			 struct px_buf *resp)
{
	struct ibc_channel chan;
	struct ibc_host h;
	struct px_err e = { 0 };
	bool ok;

	if (!packet_end(err, x, &chan, pkt->source_port, pkt->source_channel))
		return false;
	app_ibc_host(&h, x);
	if (ack)
		ok = ibc_packet_acknowledge(&h, &e, pkt, ack->acknowledgement.ptr,
					    ack->acknowledgement.len, ack->proof_acked,
					    ack->proof_height);
	else
		ok = ibc_packet_timeout(&h, &e, pkt, to->proof_unreceived, to->proof_height,
					to->next_sequence_recv);
	if (!ok) {
		if (e.code == PX_E_IBC_NO_COMMITMENT && !x->internal) {
			put_result(resp, RESULT_NOOP);
			return true;
		}
		return app_ibc_rule_failed(err, ref, x, "channel", &e,
					   ack ? "MsgAcknowledgement" : "MsgTimeout");
	}
	if (!app_ibc_port_bound(ref, pkt->source_port))
		return true;
	if (!app_ibc_packet_event(err, events, ack ? "acknowledge_packet" : "timeout_packet", pkt,
				  order_name(chan.ordering), chan.connection_hops[0], false, NULL))
		return false;
	if (ack ? !app_transfer_on_ack(err, ref, x, events, pkt, ack->acknowledgement.ptr,
				       ack->acknowledgement.len)
		: !app_transfer_on_timeout(err, ref, x, events, pkt))
		return false;
	if (!ref->code)
		put_result(resp, RESULT_SUCCESS);
	return true;
}

bool app_ibc_ack(struct px_err *err, struct app_refusal *ref, struct app_ibc_ctx *x,
		       json_t *events, const struct ibc_msg_acknowledgement *m, struct px_buf *resp)
{
	return packet_close(err, ref, x, events, &m->packet, m, NULL, resp);
}

bool app_ibc_timeout(struct px_err *err, struct app_refusal *ref, struct app_ibc_ctx *x,
			   json_t *events, const struct ibc_msg_timeout *m, struct px_buf *resp)
{
	return packet_close(err, ref, x, events, &m->packet, NULL, m, resp);
}

bool app_ibc_transfer(struct px_err *err, struct app_refusal *ref, struct app_ibc_ctx *x,
		     json_t *events, const struct ibc_msg_transfer *m, struct px_buf *resp)
{
	uint64_t seq = 0;

	if (!app_ibc_port_bound(ref, m->source_port))
		return true;
	if (!app_transfer_send(err, ref, x, events, m, &seq))
		return false;
	if (!ref->code)
		px_pb_put_uint64(resp, 1, seq);
	return true;
}

