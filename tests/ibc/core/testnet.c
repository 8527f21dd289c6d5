/* Two wired in-memory chains and the handshakes between them (see
 * testnet.h). */
#include "testnet.h"

#include <stdio.h>
#include <string.h>

#include "ibc/core/channel.h"
#include "ibc/core/connection.h"

void testnet_init(struct testnet *t)
{
	memset(t, 0, sizeof(*t));
	t->a = memhost_new("chain-a", 1, 100, TN_T0);
	t->b = memhost_new("chain-b", 2, 200, TN_T0 + 1000);
	t->ha = memhost_host(t->a);
	t->hb = memhost_host(t->b);
	memhost_add_client(t->a, TN_CLIENT_ON_A, t->b);
	memhost_add_client(t->b, TN_CLIENT_ON_B, t->a);
}

void testnet_free(struct testnet *t)
{
	memhost_free(t->a);
	memhost_free(t->b);
	memset(t, 0, sizeof(*t));
}

struct ibc_height testnet_commit_a(struct testnet *t)
{
	memhost_advance(t->a, 1, TN_BLOCK_NS);
	return memhost_update_client(t->b, TN_CLIENT_ON_B);
}

struct ibc_height testnet_commit_b(struct testnet *t)
{
	memhost_advance(t->b, 1, TN_BLOCK_NS);
	return memhost_update_client(t->a, TN_CLIENT_ON_A);
}

static struct ibc_connection_counterparty cp_of(const char *client_id, const char *conn_id)
{
	struct ibc_connection_counterparty cp;

	memset(&cp, 0, sizeof(cp));
	snprintf(cp.client_id, sizeof(cp.client_id), "%s", client_id);
	snprintf(cp.connection_id, sizeof(cp.connection_id), "%s", conn_id);
	cp.prefix.ptr = (const uint8_t *)"ibc";
	cp.prefix.len = 3;
	return cp;
}

bool testnet_open_connection(struct testnet *t, struct px_err *err)
{
	struct ibc_version versions[IBC_MAX_VERSIONS];
	struct ibc_msg_conn_open_init init;
	struct ibc_msg_conn_open_try try_;
	struct ibc_msg_conn_open_ack ack;
	struct ibc_msg_conn_open_confirm confirm;
	size_t n = ibc_conn_supported_versions(versions);

	memset(&init, 0, sizeof(init));
	init.client_id = TN_CLIENT_ON_A;
	init.counterparty = cp_of(TN_CLIENT_ON_B, "");
	if (!ibc_conn_open_init(t->ha, err, t->conn_a, &init))
		return false;

	memset(&try_, 0, sizeof(try_));
	try_.client_id = TN_CLIENT_ON_B;
	try_.counterparty = cp_of(TN_CLIENT_ON_A, t->conn_a);
	try_.counterparty_versions = versions;
	try_.counterparty_versions_len = n;
	try_.proof_init = memhost_proof();
	try_.proof_height = testnet_commit_a(t);
	if (!ibc_conn_open_try(t->hb, err, t->conn_b, &try_))
		return false;

	memset(&ack, 0, sizeof(ack));
	ack.connection_id = t->conn_a;
	ack.counterparty_connection_id = t->conn_b;
	ack.version = versions[0];
	ack.proof_try = memhost_proof();
	ack.proof_height = testnet_commit_b(t);
	if (!ibc_conn_open_ack(t->ha, err, &ack))
		return false;

	memset(&confirm, 0, sizeof(confirm));
	confirm.connection_id = t->conn_b;
	confirm.proof_ack = memhost_proof();
	confirm.proof_height = testnet_commit_a(t);
	return ibc_conn_open_confirm(t->hb, err, &confirm);
}

bool testnet_open_channel(struct testnet *t, struct px_err *err, enum ibc_order order)
{
	struct ibc_msg_chan_open_init init = {
		.port_id = TN_PORT, .ordering = order, .connection_id = t->conn_a,
		.counterparty_port_id = TN_PORT, .version = "ics20-1",
	};
	struct ibc_msg_chan_open_try try_ = {
		.port_id = TN_PORT, .ordering = order, .connection_id = t->conn_b,
		.counterparty_port_id = TN_PORT, .version = "ics20-1",
		.counterparty_version = "ics20-1", .proof_init = memhost_proof(),
	};
	struct ibc_msg_chan_open_ack ack = {
		.port_id = TN_PORT, .counterparty_version = "ics20-1",
		.proof_try = memhost_proof(),
	};
	struct ibc_msg_chan_open_confirm confirm = {
		.port_id = TN_PORT, .proof_ack = memhost_proof(),
	};

	if (!ibc_chan_open_init(t->ha, err, t->chan_a, &init))
		return false;
	try_.counterparty_channel_id = t->chan_a;
	try_.proof_height = testnet_commit_a(t);
	if (!ibc_chan_open_try(t->hb, err, t->chan_b, &try_))
		return false;
	ack.channel_id = t->chan_a;
	ack.counterparty_channel_id = t->chan_b;
	ack.proof_height = testnet_commit_b(t);
	if (!ibc_chan_open_ack(t->ha, err, &ack))
		return false;
	confirm.channel_id = t->chan_b;
	confirm.proof_height = testnet_commit_a(t);
	return ibc_chan_open_confirm(t->hb, err, &confirm);
}
