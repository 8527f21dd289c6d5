/* ICS-04 packet rules (see packet.h). All checks run before the first
 * write, so a rejected message leaves the store as it was (short of a host
 * failure mid-write, see host.h). */
#include "ibc/core/packet.h"

#include <string.h>

#include "ibc/core/rules.h"

static const uint8_t RECEIPT_OK = IBC_RECEIPT_VALUE;

bool ibc_packet_check(struct px_err *err, const struct ibc_packet *pkt)
{
	if (!ibc_rules_check_id(err, IBC_ID_PORT, pkt->source_port, "packet source port") ||
	    !ibc_rules_check_id(err, IBC_ID_CHANNEL, pkt->source_channel,
				"packet source channel") ||
	    !ibc_rules_check_id(err, IBC_ID_PORT, pkt->destination_port,
				"packet destination port") ||
	    !ibc_rules_check_id(err, IBC_ID_CHANNEL, pkt->destination_channel,
				"packet destination channel"))
		return false;
	if (pkt->sequence == 0)
		return px_err_set(err, PX_E_MALFORMED, "packet sequence is 0");
	if (pkt->data.len == 0)
		return px_err_set(err, PX_E_MALFORMED, "packet data is empty");
	if (pkt->data.len > IBC_MAX_PACKET_DATA)
		return px_err_set(err, PX_E_TOO_LARGE, "packet data has %zu bytes, limit %u",
				  pkt->data.len, IBC_MAX_PACKET_DATA);
	if (ibc_height_is_zero(pkt->timeout_height) && pkt->timeout_timestamp == 0)
		return px_err_set(err, PX_E_MALFORMED,
				  "packet has neither a timeout height nor a timeout timestamp");
	return true;
}

bool ibc_packet_timed_out(const struct ibc_packet *pkt, struct ibc_height height,
			  uint64_t time_ns)
{
	if (!ibc_height_is_zero(pkt->timeout_height) &&
	    ibc_height_cmp(height, pkt->timeout_height) >= 0)
		return true;
	return pkt->timeout_timestamp != 0 && time_ns >= pkt->timeout_timestamp;
}

static bool timeout_error(struct px_err *err, int code, const struct ibc_packet *pkt,
			  struct ibc_height height, uint64_t time_ns, const char *where)
{
	return px_err_set(err, code,
			  "packet %llu: timeout (height %llu-%llu, timestamp %llu) %s at %s "
			  "height %llu-%llu, time %llu",
			  (unsigned long long)pkt->sequence,
			  (unsigned long long)pkt->timeout_height.revision_number,
			  (unsigned long long)pkt->timeout_height.revision_height,
			  (unsigned long long)pkt->timeout_timestamp,
			  code == PX_E_IBC_TIMED_OUT ? "passed" : "not reached", where,
			  (unsigned long long)height.revision_number,
			  (unsigned long long)height.revision_height,
			  (unsigned long long)time_ns);
}

/* The channel end at (port, channel), OPEN, and its OPEN connection. */
static bool open_channel(const struct ibc_host *h, struct px_err *err, struct ibc_channel *chan,
			 struct ibc_rules_conn *conn, const char *port, const char *channel)
{
	memset(&conn->end, 0, sizeof(conn->end));
	px_buf_init(&conn->raw);
	if (!ibc_rules_chan_load(h, err, chan, port, channel))
		return false;
	if (chan->state != IBC_CHAN_OPEN)
		return px_err_set(err, PX_E_IBC_STATE, "channel %s/%s is in state %d, want OPEN",
				  port, channel, (int)chan->state);
	return ibc_rules_chan_connection(h, err, conn, chan);
}

static bool counterparty_is(struct px_err *err, const struct ibc_channel *chan, const char *port,
			    const char *channel, const char *what)
{
	if (strcmp(chan->counterparty.port_id, port) != 0 ||
	    strcmp(chan->counterparty.channel_id, channel) != 0)
		return px_err_set(err, PX_E_IBC_COUNTERPARTY,
				  "packet %s %s/%s is not the channel's counterparty %s/%s", what,
				  port, channel, chan->counterparty.port_id,
				  chan->counterparty.channel_id);
	return true;
}

/* The stored commitment of a packet on its source channel must exist and
 * equal the packet's. */
static bool commitment_matches(const struct ibc_host *h, struct px_err *err,
			       const struct ibc_packet *pkt, struct ibc_path *p)
{
	uint8_t want[IBC_COMMITMENT_LEN];
	struct px_buf b = PX_BUF_INIT;
	bool found, ok = false;

	if (!ibc_path_packet_commitment(err, p, pkt->source_port, pkt->source_channel,
					pkt->sequence))
		goto out;
	if (!ibc_rules_get(h, err, &b, &found, p))
		goto out;
	if (!found || b.len == 0) {
		px_err_set(err, PX_E_IBC_NO_COMMITMENT,
			   "packet %llu on %s/%s has no commitment (never sent, or already "
			   "acknowledged or timed out)", (unsigned long long)pkt->sequence,
			   pkt->source_port, pkt->source_channel);
		goto out;
	}
	ibc_commit_packet_v1(want, pkt);
	if (b.len != sizeof(want) || memcmp(b.data, want, sizeof(want)) != 0) {
		px_err_set(err, PX_E_IBC_COMMITMENT_MISMATCH,
			   "packet %llu on %s/%s differs from the packet committed",
			   (unsigned long long)pkt->sequence, pkt->source_port,
			   pkt->source_channel);
		goto out;
	}
	ok = true;
out:
	px_buf_free(&b);
	return ok;
}

bool ibc_packet_send(const struct ibc_host *h, struct px_err *err, struct ibc_packet *out,
		     const char *source_port, const char *source_channel,
		     struct ibc_height timeout_height, uint64_t timeout_timestamp,
		     struct px_slice data)
{
	uint8_t commitment[IBC_COMMITMENT_LEN];
	struct ibc_rules_conn conn;
	struct ibc_channel chan;
	struct ibc_packet pkt;
	struct ibc_height latest;
	struct ibc_path seq_path, p;
	uint64_t seq, latest_time;
	bool ok = false;

	if (!ibc_rules_check_id(err, IBC_ID_PORT, source_port, "source port") ||
	    !ibc_rules_check_id(err, IBC_ID_CHANNEL, source_channel, "source channel"))
		return false;
	if (!open_channel(h, err, &chan, &conn, source_port, source_channel))
		goto out;
	if (!ibc_path_next_sequence_send(err, &seq_path, source_port, source_channel))
		goto out;
	if (!ibc_rules_seq_load(h, err, &seq, &seq_path))
		goto out;

	memset(&pkt, 0, sizeof(pkt));
	pkt.sequence = seq;
	memcpy(pkt.source_port, source_port, strlen(source_port) + 1);
	memcpy(pkt.source_channel, source_channel, strlen(source_channel) + 1);
	memcpy(pkt.destination_port, chan.counterparty.port_id, sizeof(pkt.destination_port));
	memcpy(pkt.destination_channel, chan.counterparty.channel_id,
	       sizeof(pkt.destination_channel));
	pkt.data = data;
	pkt.timeout_height = timeout_height;
	pkt.timeout_timestamp = timeout_timestamp;
	if (!ibc_packet_check(err, &pkt))
		goto out;

	if (!ibc_rules_client_active(h, err, conn.end.client_id))
		goto out;
	if (!h->ops->client_latest_height(h->ctx, err, &latest, conn.end.client_id) ||
	    !h->ops->client_consensus_time(h->ctx, err, &latest_time, conn.end.client_id,
					   latest)) {
		ibc_rules_host_failed(err, "client query");
		goto out;
	}
	if (ibc_packet_timed_out(&pkt, latest, latest_time)) {
		timeout_error(err, PX_E_IBC_TIMED_OUT, &pkt, latest, latest_time,
			      "the counterparty's latest known");
		goto out;
	}
	if (seq == UINT64_MAX) {
		px_err_set(err, PX_E_IBC_OVERFLOW, "nextSequenceSend exhausted");
		goto out;
	}

	ibc_commit_packet_v1(commitment, &pkt);
	if (!ibc_path_packet_commitment(err, &p, source_port, source_channel, seq))
		goto out;
	if (!ibc_rules_seq_store(h, err, &seq_path, seq + 1) ||
	    !ibc_rules_set(h, err, &p, commitment, sizeof(commitment)))
		goto out;
	*out = pkt;
	ok = true;
out:
	ibc_rules_conn_free(&conn);
	return ok;
}

/* Replay protection of RecvPacket, after the proof: ibc-go's order. */
static bool recv_replay(const struct ibc_host *h, struct px_err *err,
			const struct ibc_channel *chan, const struct ibc_packet *pkt)
{
	struct px_buf b = PX_BUF_INIT;
	struct ibc_path p;
	uint64_t next;
	bool found, ok = false;

	if (chan->ordering == IBC_ORDER_UNORDERED) {
		if (!ibc_path_packet_receipt(err, &p, pkt->destination_port,
					     pkt->destination_channel, pkt->sequence))
			goto out;
		if (!ibc_rules_get(h, err, &b, &found, &p))
			goto out;
		if (found) {
			px_err_set(err, PX_E_IBC_ALREADY_RECEIVED,
				   "packet %llu on %s/%s was already received",
				   (unsigned long long)pkt->sequence, pkt->destination_port,
				   pkt->destination_channel);
			goto out;
		}
		ok = ibc_rules_set(h, err, &p, &RECEIPT_OK, 1);
		goto out;
	}
	if (!ibc_path_next_sequence_recv(err, &p, pkt->destination_port,
					 pkt->destination_channel))
		goto out;
	if (!ibc_rules_seq_load(h, err, &next, &p))
		goto out;
	if (pkt->sequence < next) {
		px_err_set(err, PX_E_IBC_ALREADY_RECEIVED,
			   "packet %llu on ordered %s/%s was already received (next is %llu)",
			   (unsigned long long)pkt->sequence, pkt->destination_port,
			   pkt->destination_channel, (unsigned long long)next);
		goto out;
	}
	if (pkt->sequence != next) {
		px_err_set(err, PX_E_IBC_SEQUENCE,
			   "packet %llu on ordered %s/%s is out of order: next is %llu",
			   (unsigned long long)pkt->sequence, pkt->destination_port,
			   pkt->destination_channel, (unsigned long long)next);
		goto out;
	}
	if (next == UINT64_MAX) {
		px_err_set(err, PX_E_IBC_OVERFLOW, "nextSequenceRecv exhausted");
		goto out;
	}
	ok = ibc_rules_seq_store(h, err, &p, next + 1);
out:
	px_buf_free(&b);
	return ok;
}

bool ibc_packet_recv(const struct ibc_host *h, struct px_err *err, const struct ibc_packet *pkt,
		     struct px_slice proof, struct ibc_height proof_height)
{
	uint8_t commitment[IBC_COMMITMENT_LEN];
	struct ibc_rules_conn conn;
	struct ibc_channel chan;
	struct ibc_height self_h;
	struct ibc_path p;
	uint64_t self_t;
	bool ok = false;

	if (!ibc_packet_check(err, pkt))
		return false;
	if (!open_channel(h, err, &chan, &conn, pkt->destination_port, pkt->destination_channel) ||
	    !counterparty_is(err, &chan, pkt->source_port, pkt->source_channel, "source"))
		goto out;
	self_h = h->ops->self_height(h->ctx);
	self_t = h->ops->self_time(h->ctx);
	if (ibc_packet_timed_out(pkt, self_h, self_t)) {
		timeout_error(err, PX_E_IBC_TIMED_OUT, pkt, self_h, self_t, "this chain's");
		goto out;
	}
	ibc_commit_packet_v1(commitment, pkt);
	if (!ibc_path_packet_commitment(err, &p, pkt->source_port, pkt->source_channel,
					pkt->sequence))
		goto out;
	if (!ibc_rules_verify(h, err, &conn.end, proof_height, proof, &p, commitment,
			      sizeof(commitment), "packet commitment"))
		goto out;
	ok = recv_replay(h, err, &chan, pkt);
out:
	ibc_rules_conn_free(&conn);
	return ok;
}

bool ibc_packet_write_ack(const struct ibc_host *h, struct px_err *err,
			  const struct ibc_packet *pkt, const uint8_t *ack, size_t ack_len)
{
	uint8_t commitment[IBC_COMMITMENT_LEN];
	struct px_buf b = PX_BUF_INIT;
	struct ibc_channel chan;
	struct ibc_path p;
	bool found, ok = false;

	if (!ibc_packet_check(err, pkt))
		return false;
	if (ack_len == 0)
		return px_err_set(err, PX_E_MALFORMED, "acknowledgement is empty");
	if (!ibc_rules_chan_load(h, err, &chan, pkt->destination_port, pkt->destination_channel))
		return false;
	if (chan.state != IBC_CHAN_OPEN)
		return px_err_set(err, PX_E_IBC_STATE, "channel %s/%s is in state %d, want OPEN",
				  pkt->destination_port, pkt->destination_channel,
				  (int)chan.state);
	if (!ibc_path_packet_ack(err, &p, pkt->destination_port, pkt->destination_channel,
				 pkt->sequence))
		goto out;
	if (!ibc_rules_get(h, err, &b, &found, &p))
		goto out;
	if (found) {
		px_err_set(err, PX_E_IBC_ACK_EXISTS,
			   "packet %llu on %s/%s already has an acknowledgement",
			   (unsigned long long)pkt->sequence, pkt->destination_port,
			   pkt->destination_channel);
		goto out;
	}
	ibc_commit_ack_v1(commitment, ack, ack_len);
	ok = ibc_rules_set(h, err, &p, commitment, sizeof(commitment));
out:
	px_buf_free(&b);
	return ok;
}

bool ibc_packet_acknowledge(const struct ibc_host *h, struct px_err *err,
			    const struct ibc_packet *pkt, const uint8_t *ack, size_t ack_len,
			    struct px_slice proof, struct ibc_height proof_height)
{
	uint8_t ack_commitment[IBC_COMMITMENT_LEN];
	struct ibc_rules_conn conn;
	struct ibc_channel chan;
	struct ibc_path commit_path, p, seq_path;
	uint64_t next = 0;
	bool ok = false;

	if (!ibc_packet_check(err, pkt))
		return false;
	if (ack_len == 0)
		return px_err_set(err, PX_E_MALFORMED, "acknowledgement is empty");
	if (!open_channel(h, err, &chan, &conn, pkt->source_port, pkt->source_channel) ||
	    !counterparty_is(err, &chan, pkt->destination_port, pkt->destination_channel,
			     "destination") ||
	    !commitment_matches(h, err, pkt, &commit_path))
		goto out;
	ibc_commit_ack_v1(ack_commitment, ack, ack_len);
	if (!ibc_path_packet_ack(err, &p, pkt->destination_port, pkt->destination_channel,
				 pkt->sequence))
		goto out;
	if (!ibc_rules_verify(h, err, &conn.end, proof_height, proof, &p, ack_commitment,
			      sizeof(ack_commitment), "acknowledgement"))
		goto out;
	if (chan.ordering == IBC_ORDER_ORDERED) {
		if (!ibc_path_next_sequence_ack(err, &seq_path, pkt->source_port,
						pkt->source_channel))
			goto out;
		if (!ibc_rules_seq_load(h, err, &next, &seq_path))
			goto out;
		if (pkt->sequence != next) {
			px_err_set(err, PX_E_IBC_SEQUENCE,
				   "acknowledgement of packet %llu on ordered %s/%s is out of "
				   "order: next is %llu", (unsigned long long)pkt->sequence,
				   pkt->source_port, pkt->source_channel,
				   (unsigned long long)next);
			goto out;
		}
		if (next == UINT64_MAX) {
			px_err_set(err, PX_E_IBC_OVERFLOW, "nextSequenceAck exhausted");
			goto out;
		}
	}
	if (!ibc_rules_del(h, err, &commit_path))
		goto out;
	if (chan.ordering == IBC_ORDER_ORDERED && !ibc_rules_seq_store(h, err, &seq_path, next + 1))
		goto out;
	ok = true;
out:
	ibc_rules_conn_free(&conn);
	return ok;
}

bool ibc_packet_timeout(const struct ibc_host *h, struct px_err *err, const struct ibc_packet *pkt,
			struct px_slice proof, struct ibc_height proof_height,
			uint64_t next_sequence_recv)
{
	struct ibc_rules_conn conn;
	struct ibc_channel chan;
	struct ibc_path commit_path, p;
	uint64_t proof_time;
	uint8_t be[8];
	bool ok = false;

	if (!ibc_packet_check(err, pkt))
		return false;
	if (!open_channel(h, err, &chan, &conn, pkt->source_port, pkt->source_channel) ||
	    !counterparty_is(err, &chan, pkt->destination_port, pkt->destination_channel,
			     "destination"))
		goto out;
	if (!h->ops->client_consensus_time(h->ctx, err, &proof_time, conn.end.client_id,
					   proof_height)) {
		ibc_rules_host_failed(err, "client consensus time");
		goto out;
	}
	if (!ibc_packet_timed_out(pkt, proof_height, proof_time)) {
		timeout_error(err, PX_E_IBC_NOT_TIMED_OUT, pkt, proof_height, proof_time,
			      "the counterparty's proof");
		goto out;
	}
	if (!commitment_matches(h, err, pkt, &commit_path))
		goto out;
	if (chan.ordering == IBC_ORDER_ORDERED) {
		if (next_sequence_recv > pkt->sequence) {
			px_err_set(err, PX_E_IBC_ALREADY_RECEIVED,
				   "packet %llu was received on the ordered counterparty "
				   "(nextSequenceRecv %llu)", (unsigned long long)pkt->sequence,
				   (unsigned long long)next_sequence_recv);
			goto out;
		}
		ibc_rules_be64(be, next_sequence_recv);
		if (!ibc_path_next_sequence_recv(err, &p, pkt->destination_port,
						 pkt->destination_channel))
			goto out;
		if (!ibc_rules_verify(h, err, &conn.end, proof_height, proof, &p, be, sizeof(be),
				      "nextSequenceRecv"))
			goto out;
	} else {
		if (!ibc_path_packet_receipt(err, &p, pkt->destination_port,
					     pkt->destination_channel, pkt->sequence))
			goto out;
		if (!ibc_rules_verify_absent(h, err, &conn.end, proof_height, proof, &p,
					     "packet receipt"))
			goto out;
	}
	if (!ibc_rules_del(h, err, &commit_path))
		goto out;
	if (chan.ordering == IBC_ORDER_ORDERED) {
		chan.state = IBC_CHAN_CLOSED;
		if (!ibc_rules_chan_store(h, err, pkt->source_port, pkt->source_channel, &chan))
			goto out;
	}
	ok = true;
out:
	ibc_rules_conn_free(&conn);
	return ok;
}
