/* ICS-04 channel handshake rules (see channel.h), checks in ibc-go v8's
 * order. */
#include "ibc/core/channel.h"

#include <string.h>

#include "ibc/core/connection.h"
#include "ibc/core/rules.h"

#define NEXT_CHANNEL_KEY "nextChannelSequence"

static bool check_version_str(struct px_err *err, const char *v, const char *what)
{
	if (!v)
		return px_err_set(err, PX_E_MALFORMED, "%s: missing", what);
	if (strnlen(v, IBC_ID_MAX + 1) > IBC_ID_MAX)
		return px_err_set(err, PX_E_MALFORMED, "%s: longer than %d bytes", what,
				  IBC_ID_MAX);
	return true;
}

static const char *order_feature(enum ibc_order o)
{
	return o == IBC_ORDER_ORDERED ? IBC_FEATURE_ORDERED : IBC_FEATURE_UNORDERED;
}

static bool check_ordering(struct px_err *err, enum ibc_order o)
{
	if (o != IBC_ORDER_ORDERED && o != IBC_ORDER_UNORDERED)
		return px_err_set(err, PX_E_MALFORMED,
				  "channel ordering %d is neither ORDERED nor UNORDERED", (int)o);
	return true;
}

/* The connection a new channel runs on: it exists, is OPEN, has settled
 * on one version offering the ordering, and its client is active. */
static bool open_connection(const struct ibc_host *h, struct px_err *err,
			    struct ibc_rules_conn *c, const char *connection_id,
			    enum ibc_order ordering)
{
	if (!ibc_rules_conn_load(h, err, c, connection_id))
		return false;
	if (c->end.state != IBC_CONN_OPEN) {
		px_err_set(err, PX_E_IBC_STATE, "connection %s is in state %d, want OPEN",
			   connection_id, (int)c->end.state);
		goto fail;
	}
	if (c->end.versions_len != 1 ||
	    !ibc_version_has_feature(&c->end.versions[0], order_feature(ordering))) {
		px_err_set(err, PX_E_IBC_VERSION, "connection %s does not support %s",
			   connection_id, order_feature(ordering));
		goto fail;
	}
	if (!ibc_rules_client_active(h, err, c->end.client_id))
		goto fail;
	return true;
fail:
	ibc_rules_conn_free(c);
	return false;
}

static void copy_id(char dst[IBC_ID_MAX + 1], const char *src)
{
	size_t n = strnlen(src, IBC_ID_MAX);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Stores a new channel under a fresh id with its three sequences at 1. */
static bool chan_create(const struct ibc_host *h, struct px_err *err, char out_id[IBC_ID_MAX + 1],
			const char *port, const struct ibc_channel *chan)
{
	static bool (*const seqs[])(struct px_err *, struct ibc_path *, const char *,
				    const char *) = {
		ibc_path_next_sequence_send, ibc_path_next_sequence_recv,
		ibc_path_next_sequence_ack,
	};
	char id[IBC_ID_MAX + 1];
	struct ibc_path p;
	size_t i;

	if (!ibc_rules_next_id(h, err, id, NEXT_CHANNEL_KEY, "channel") ||
	    !ibc_rules_chan_store(h, err, port, id, chan))
		return false;
	for (i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
		if (!seqs[i](err, &p, port, id) || !ibc_rules_seq_store(h, err, &p, 1))
			return false;
	}
	memcpy(out_id, id, sizeof(id));
	return true;
}

/* Proves that the counterparty stores `expected` at its channel path. */
static bool verify_counterparty_chan(const struct ibc_host *h, struct px_err *err,
				     const struct ibc_connection_end *conn,
				     const struct ibc_channel *expected, const char *cp_port,
				     const char *cp_channel, struct ibc_height proof_height,
				     struct px_slice proof, const char *what)
{
	struct px_buf b = PX_BUF_INIT;
	struct ibc_path p;
	bool ok = false;

	if (!h->ops->encode_channel(h->ctx, err, &b, expected)) {
		ibc_rules_host_failed(err, "channel encode");
		goto out;
	}
	if (!px_buf_ok(&b)) {
		px_err_set(err, PX_E_NOMEM, "encoding the expected counterparty channel");
		goto out;
	}
	ok = ibc_path_channel(err, &p, cp_port, cp_channel) &&
	     ibc_rules_verify(h, err, conn, proof_height, proof, &p, b.data, b.len, what);
out:
	px_buf_free(&b);
	return ok;
}

bool ibc_chan_open_init(const struct ibc_host *h, struct px_err *err, char out_id[IBC_ID_MAX + 1],
			const struct ibc_msg_chan_open_init *msg)
{
	struct ibc_rules_conn c;
	struct ibc_channel chan;
	bool ok;

	if (!ibc_rules_check_id(err, IBC_ID_PORT, msg->port_id, "port") ||
	    !ibc_rules_check_id(err, IBC_ID_CONNECTION, msg->connection_id, "connection") ||
	    !ibc_rules_check_id(err, IBC_ID_PORT, msg->counterparty_port_id,
				"counterparty port") ||
	    !check_ordering(err, msg->ordering) ||
	    !check_version_str(err, msg->version, "channel version"))
		return false;
	if (!open_connection(h, err, &c, msg->connection_id, msg->ordering))
		return false;
	memset(&chan, 0, sizeof(chan));
	chan.state = IBC_CHAN_INIT;
	chan.ordering = msg->ordering;
	copy_id(chan.counterparty.port_id, msg->counterparty_port_id);
	copy_id(chan.connection_hops[0], msg->connection_id);
	chan.connection_hops_len = 1;
	copy_id(chan.version, msg->version);
	ok = chan_create(h, err, out_id, msg->port_id, &chan);
	ibc_rules_conn_free(&c);
	return ok;
}

bool ibc_chan_open_try(const struct ibc_host *h, struct px_err *err, char out_id[IBC_ID_MAX + 1],
		       const struct ibc_msg_chan_open_try *msg)
{
	struct ibc_rules_conn c;
	struct ibc_channel chan, expected;
	bool ok = false;

	if (!ibc_rules_check_id(err, IBC_ID_PORT, msg->port_id, "port") ||
	    !ibc_rules_check_id(err, IBC_ID_CONNECTION, msg->connection_id, "connection") ||
	    !ibc_rules_check_id(err, IBC_ID_PORT, msg->counterparty_port_id,
				"counterparty port") ||
	    !ibc_rules_check_id(err, IBC_ID_CHANNEL, msg->counterparty_channel_id,
				"counterparty channel") ||
	    !check_ordering(err, msg->ordering) ||
	    !check_version_str(err, msg->version, "channel version") ||
	    !check_version_str(err, msg->counterparty_version, "counterparty version"))
		return false;
	if (!open_connection(h, err, &c, msg->connection_id, msg->ordering))
		return false;

	memset(&expected, 0, sizeof(expected));
	expected.state = IBC_CHAN_INIT;
	expected.ordering = msg->ordering;
	copy_id(expected.counterparty.port_id, msg->port_id);
	copy_id(expected.connection_hops[0], c.end.counterparty.connection_id);
	expected.connection_hops_len = 1;
	copy_id(expected.version, msg->counterparty_version);
	if (!verify_counterparty_chan(h, err, &c.end, &expected, msg->counterparty_port_id,
				      msg->counterparty_channel_id, msg->proof_height,
				      msg->proof_init, "counterparty channel (INIT)"))
		goto out;

	memset(&chan, 0, sizeof(chan));
	chan.state = IBC_CHAN_TRYOPEN;
	chan.ordering = msg->ordering;
	copy_id(chan.counterparty.port_id, msg->counterparty_port_id);
	copy_id(chan.counterparty.channel_id, msg->counterparty_channel_id);
	copy_id(chan.connection_hops[0], msg->connection_id);
	chan.connection_hops_len = 1;
	copy_id(chan.version, msg->version);
	ok = chan_create(h, err, out_id, msg->port_id, &chan);
out:
	ibc_rules_conn_free(&c);
	return ok;
}

bool ibc_chan_open_ack(const struct ibc_host *h, struct px_err *err,
		       const struct ibc_msg_chan_open_ack *msg)
{
	struct ibc_rules_conn c;
	struct ibc_channel chan, expected;
	bool ok = false;

	if (!ibc_rules_check_id(err, IBC_ID_PORT, msg->port_id, "port") ||
	    !ibc_rules_check_id(err, IBC_ID_CHANNEL, msg->channel_id, "channel") ||
	    !ibc_rules_check_id(err, IBC_ID_CHANNEL, msg->counterparty_channel_id,
				"counterparty channel") ||
	    !check_version_str(err, msg->counterparty_version, "counterparty version"))
		return false;
	if (!ibc_rules_chan_load(h, err, &chan, msg->port_id, msg->channel_id))
		return false;
	if (chan.state != IBC_CHAN_INIT)
		return px_err_set(err, PX_E_IBC_STATE, "channel %s/%s is in state %d, want INIT",
				  msg->port_id, msg->channel_id, (int)chan.state);
	if (!ibc_rules_chan_connection(h, err, &c, &chan))
		return false;

	memset(&expected, 0, sizeof(expected));
	expected.state = IBC_CHAN_TRYOPEN;
	expected.ordering = chan.ordering;
	copy_id(expected.counterparty.port_id, msg->port_id);
	copy_id(expected.counterparty.channel_id, msg->channel_id);
	copy_id(expected.connection_hops[0], c.end.counterparty.connection_id);
	expected.connection_hops_len = 1;
	copy_id(expected.version, msg->counterparty_version);
	if (!verify_counterparty_chan(h, err, &c.end, &expected, chan.counterparty.port_id,
				      msg->counterparty_channel_id, msg->proof_height,
				      msg->proof_try, "counterparty channel (TRYOPEN)"))
		goto out;

	chan.state = IBC_CHAN_OPEN;
	copy_id(chan.version, msg->counterparty_version);
	copy_id(chan.counterparty.channel_id, msg->counterparty_channel_id);
	ok = ibc_rules_chan_store(h, err, msg->port_id, msg->channel_id, &chan);
out:
	ibc_rules_conn_free(&c);
	return ok;
}

bool ibc_chan_open_confirm(const struct ibc_host *h, struct px_err *err,
			   const struct ibc_msg_chan_open_confirm *msg)
{
	struct ibc_rules_conn c;
	struct ibc_channel chan, expected;
	bool ok = false;

	if (!ibc_rules_check_id(err, IBC_ID_PORT, msg->port_id, "port") ||
	    !ibc_rules_check_id(err, IBC_ID_CHANNEL, msg->channel_id, "channel"))
		return false;
	if (!ibc_rules_chan_load(h, err, &chan, msg->port_id, msg->channel_id))
		return false;
	if (chan.state != IBC_CHAN_TRYOPEN)
		return px_err_set(err, PX_E_IBC_STATE,
				  "channel %s/%s is in state %d, want TRYOPEN", msg->port_id,
				  msg->channel_id, (int)chan.state);
	if (!ibc_rules_chan_connection(h, err, &c, &chan))
		return false;

	memset(&expected, 0, sizeof(expected));
	expected.state = IBC_CHAN_OPEN;
	expected.ordering = chan.ordering;
	copy_id(expected.counterparty.port_id, msg->port_id);
	copy_id(expected.counterparty.channel_id, msg->channel_id);
	copy_id(expected.connection_hops[0], c.end.counterparty.connection_id);
	expected.connection_hops_len = 1;
	copy_id(expected.version, chan.version);
	if (!verify_counterparty_chan(h, err, &c.end, &expected, chan.counterparty.port_id,
				      chan.counterparty.channel_id, msg->proof_height,
				      msg->proof_ack, "counterparty channel (OPEN)"))
		goto out;
	chan.state = IBC_CHAN_OPEN;
	ok = ibc_rules_chan_store(h, err, msg->port_id, msg->channel_id, &chan);
out:
	ibc_rules_conn_free(&c);
	return ok;
}
