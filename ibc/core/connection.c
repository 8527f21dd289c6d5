/* ICS-03 connection handshake rules (see connection.h). The order of the
 * checks follows ibc-go v8's keeper so that a message rejected there is
 * rejected here for the same first reason. */
#include "ibc/core/connection.h"

#include <stdio.h>
#include <string.h>

#include "ibc/core/rules.h"

#define NEXT_CONNECTION_KEY "nextConnectionSequence"

size_t ibc_conn_supported_versions(struct ibc_version out[IBC_MAX_VERSIONS])
{
	memset(&out[0], 0, sizeof(out[0]));
	snprintf(out[0].identifier, sizeof(out[0].identifier), "%s", IBC_VERSION_ID);
	snprintf(out[0].features[0], sizeof(out[0].features[0]), "%s", IBC_FEATURE_ORDERED);
	snprintf(out[0].features[1], sizeof(out[0].features[1]), "%s", IBC_FEATURE_UNORDERED);
	out[0].features_len = 2;
	return 1;
}

bool ibc_version_has_feature(const struct ibc_version *v, const char *feature)
{
	size_t i;

	for (i = 0; i < v->features_len && i < IBC_MAX_FEATURES; i++)
		if (strcmp(v->features[i], feature) == 0)
			return true;
	return false;
}

bool ibc_version_is_supported(const struct ibc_version *supported, size_t n,
			      const struct ibc_version *v)
{
	size_t i, j;

	if (v->features_len == 0 || v->features_len > IBC_MAX_FEATURES)
		return false;
	for (i = 0; i < n; i++) {
		if (strcmp(supported[i].identifier, v->identifier) != 0)
			continue;
		for (j = 0; j < v->features_len; j++)
			if (!ibc_version_has_feature(&supported[i], v->features[j]))
				return false;
		return true;
	}
	return false;
}

bool ibc_version_pick(struct px_err *err, struct ibc_version *out,
		      const struct ibc_version *supported, size_t n,
		      const struct ibc_version *counterparty, size_t cn)
{
	struct ibc_version v;
	size_t i, j, k;

	for (i = 0; i < n; i++) {
		for (j = 0; j < cn; j++) {
			if (strcmp(supported[i].identifier, counterparty[j].identifier) != 0)
				continue;
			memset(&v, 0, sizeof(v));
			memcpy(v.identifier, supported[i].identifier, sizeof(v.identifier));
			for (k = 0; k < supported[i].features_len && k < IBC_MAX_FEATURES; k++) {
				if (!ibc_version_has_feature(&counterparty[j],
							     supported[i].features[k]))
					continue;
				memcpy(v.features[v.features_len++], supported[i].features[k],
				       sizeof(v.features[0]));
			}
			if (v.features_len > 0) {
				*out = v;
				return true;
			}
		}
	}
	return px_err_set(err, PX_E_IBC_VERSION,
			  "no version in common with the counterparty's %zu versions", cn);
}

/* The counterparty's client of this chain: checked only when the message
 * proves it and the host can describe itself (see connection.h). */
static bool verify_self_client(const struct ibc_host *h, struct px_err *err,
			       const struct ibc_connection_end *ours,
			       struct ibc_height proof_height,
			       const struct ibc_self_client_proofs *sc)
{
	struct px_buf cons = PX_BUF_INIT;
	struct ibc_height self = h->ops->self_height(h->ctx);
	struct ibc_path p;
	bool ok = false;

	if (sc->proof_client.len == 0 || !h->ops->validate_self_client ||
	    !h->ops->self_consensus_state)
		return true;
	if (!h->ops->validate_self_client(h->ctx, err, sc->client_state.ptr,
					  sc->client_state.len)) {
		ibc_rules_host_failed(err, "validate_self_client");
		px_err_prefix(err, "counterparty's client of this chain: ");
		goto out;
	}
	if (!ibc_path_client_state(err, &p, ours->counterparty.client_id) ||
	    !ibc_rules_verify(h, err, ours, proof_height, sc->proof_client, &p,
			      sc->client_state.ptr, sc->client_state.len, "counterparty client"))
		goto out;
	if (ibc_height_cmp(sc->consensus_height, self) >= 0) {
		px_err_set(err, PX_E_HEIGHT, "consensus height %llu-%llu is not below the host's",
			   (unsigned long long)sc->consensus_height.revision_number,
			   (unsigned long long)sc->consensus_height.revision_height);
		goto out;
	}
	if (!h->ops->self_consensus_state(h->ctx, err, &cons, sc->consensus_height)) {
		ibc_rules_host_failed(err, "self_consensus_state");
		goto out;
	}
	ok = ibc_path_consensus_state(err, &p, ours->counterparty.client_id,
				      sc->consensus_height) &&
	     ibc_rules_verify(h, err, ours, proof_height, sc->proof_consensus, &p, cons.data,
			      cons.len,
			      "counterparty consensus state");
out:
	px_buf_free(&cons);
	return ok;
}

/* Encodes the end the counterparty must hold and proves it at
 * connections/{cp_id} through our end's client. */
static bool verify_counterparty_end(const struct ibc_host *h, struct px_err *err,
				    const struct ibc_connection_end *ours,
				    const struct ibc_connection_end *expected, const char *cp_id,
				    struct ibc_height proof_height, struct px_slice proof,
				    const char *what)
{
	struct px_buf b = PX_BUF_INIT;
	struct ibc_path p;
	bool ok = false;

	if (!h->ops->encode_connection(h->ctx, err, &b, expected)) {
		ibc_rules_host_failed(err, "connection encode");
		goto out;
	}
	if (!px_buf_ok(&b)) {
		px_err_set(err, PX_E_NOMEM, "encoding the expected counterparty connection");
		goto out;
	}
	ok = ibc_path_connection(err, &p, cp_id) &&
	     ibc_rules_verify(h, err, ours, proof_height, proof, &p, b.data, b.len, what);
out:
	px_buf_free(&b);
	return ok;
}

static bool check_counterparty_ids(struct px_err *err, const struct ibc_connection_counterparty *cp)
{
	if (!ibc_rules_check_id(err, IBC_ID_CLIENT, cp->client_id, "counterparty client"))
		return false;
	if (cp->prefix.len == 0)
		return px_err_set(err, PX_E_MALFORMED, "counterparty commitment prefix is empty");
	return true;
}

bool ibc_conn_open_init(const struct ibc_host *h, struct px_err *err, char out_id[IBC_ID_MAX + 1],
			const struct ibc_msg_conn_open_init *msg)
{
	struct ibc_version supported[IBC_MAX_VERSIONS];
	struct ibc_connection_end end;
	char id[IBC_ID_MAX + 1];
	size_t n = ibc_conn_supported_versions(supported);

	if (!ibc_rules_check_id(err, IBC_ID_CLIENT, msg->client_id, "client") ||
	    !check_counterparty_ids(err, &msg->counterparty))
		return false;
	if (msg->counterparty.connection_id[0] != '\0')
		return px_err_set(err, PX_E_IBC_COUNTERPARTY,
				  "counterparty connection id must be empty in OpenInit");
	memset(&end, 0, sizeof(end));
	if (msg->version) {
		if (!ibc_version_is_supported(supported, n, msg->version))
			return px_err_set(err, PX_E_IBC_VERSION,
					  "version %.32s with %zu features is not supported",
					  msg->version->identifier, msg->version->features_len);
		end.versions[0] = *msg->version;
		end.versions_len = 1;
	} else {
		memcpy(end.versions, supported, n * sizeof(supported[0]));
		end.versions_len = n;
	}
	if (!ibc_rules_client_active(h, err, msg->client_id))
		return false;
	memcpy(end.client_id, msg->client_id, strlen(msg->client_id) + 1);
	end.state = IBC_CONN_INIT;
	end.counterparty = msg->counterparty;
	end.delay_period = msg->delay_period;
	if (!ibc_rules_next_id(h, err, id, NEXT_CONNECTION_KEY, "connection") ||
	    !ibc_rules_conn_store(h, err, id, &end))
		return false;
	memcpy(out_id, id, sizeof(id));
	return true;
}

bool ibc_conn_open_try(const struct ibc_host *h, struct px_err *err, char out_id[IBC_ID_MAX + 1],
		       const struct ibc_msg_conn_open_try *msg)
{
	struct ibc_version supported[IBC_MAX_VERSIONS];
	struct ibc_connection_end ours, expected;
	char id[IBC_ID_MAX + 1];
	size_t n = ibc_conn_supported_versions(supported);

	if (!ibc_rules_check_id(err, IBC_ID_CLIENT, msg->client_id, "client") ||
	    !check_counterparty_ids(err, &msg->counterparty) ||
	    !ibc_rules_check_id(err, IBC_ID_CONNECTION, msg->counterparty.connection_id,
				"counterparty connection"))
		return false;
	if (msg->counterparty_versions_len == 0 ||
	    msg->counterparty_versions_len > IBC_MAX_VERSIONS)
		return px_err_set(err, PX_E_MALFORMED, "counterparty offers %zu versions (1..%d)",
				  msg->counterparty_versions_len, IBC_MAX_VERSIONS);
	if (!ibc_rules_client_active(h, err, msg->client_id))
		return false;

	memset(&ours, 0, sizeof(ours));
	memcpy(ours.client_id, msg->client_id, strlen(msg->client_id) + 1);
	ours.state = IBC_CONN_TRYOPEN;
	ours.counterparty = msg->counterparty;
	ours.delay_period = msg->delay_period;
	ours.versions_len = 1;
	if (!ibc_version_pick(err, &ours.versions[0], supported, n, msg->counterparty_versions,
			      msg->counterparty_versions_len))
		return false;
	if (!verify_self_client(h, err, &ours, msg->proof_height, &msg->self_client))
		return false;

	memset(&expected, 0, sizeof(expected));
	memcpy(expected.client_id, msg->counterparty.client_id,
	       strlen(msg->counterparty.client_id) + 1);
	memcpy(expected.versions, msg->counterparty_versions,
	       msg->counterparty_versions_len * sizeof(expected.versions[0]));
	expected.versions_len = msg->counterparty_versions_len;
	expected.state = IBC_CONN_INIT;
	memcpy(expected.counterparty.client_id, msg->client_id, strlen(msg->client_id) + 1);
	expected.counterparty.prefix = h->ops->self_prefix(h->ctx);
	expected.delay_period = msg->delay_period;
	if (!verify_counterparty_end(h, err, &ours, &expected, msg->counterparty.connection_id,
				     msg->proof_height, msg->proof_init,
				     "counterparty connection (INIT)"))
		return false;

	if (!ibc_rules_next_id(h, err, id, NEXT_CONNECTION_KEY, "connection") ||
	    !ibc_rules_conn_store(h, err, id, &ours))
		return false;
	memcpy(out_id, id, sizeof(id));
	return true;
}

bool ibc_conn_open_ack(const struct ibc_host *h, struct px_err *err,
		       const struct ibc_msg_conn_open_ack *msg)
{
	struct ibc_rules_conn c;
	struct ibc_connection_end expected;
	bool ok = false;

	if (!ibc_rules_check_id(err, IBC_ID_CONNECTION, msg->connection_id, "connection") ||
	    !ibc_rules_check_id(err, IBC_ID_CONNECTION, msg->counterparty_connection_id,
				"counterparty connection"))
		return false;
	if (!ibc_rules_conn_load(h, err, &c, msg->connection_id))
		return false;
	if (c.end.state != IBC_CONN_INIT) {
		px_err_set(err, PX_E_IBC_STATE, "connection %s is in state %d, want INIT",
			   msg->connection_id, (int)c.end.state);
		goto out;
	}
	if (!ibc_version_is_supported(c.end.versions, c.end.versions_len, &msg->version)) {
		px_err_set(err, PX_E_IBC_VERSION,
			   "version %.32s is not one connection %s offered",
			   msg->version.identifier, msg->connection_id);
		goto out;
	}
	if (!ibc_rules_client_active(h, err, c.end.client_id) ||
	    !verify_self_client(h, err, &c.end, msg->proof_height, &msg->self_client))
		goto out;

	memset(&expected, 0, sizeof(expected));
	memcpy(expected.client_id, c.end.counterparty.client_id, sizeof(expected.client_id));
	expected.versions[0] = msg->version;
	expected.versions_len = 1;
	expected.state = IBC_CONN_TRYOPEN;
	memcpy(expected.counterparty.client_id, c.end.client_id, sizeof(c.end.client_id));
	memcpy(expected.counterparty.connection_id, msg->connection_id,
	       strlen(msg->connection_id) + 1);
	expected.counterparty.prefix = h->ops->self_prefix(h->ctx);
	expected.delay_period = c.end.delay_period;
	if (!verify_counterparty_end(h, err, &c.end, &expected, msg->counterparty_connection_id,
				     msg->proof_height, msg->proof_try,
				     "counterparty connection (TRYOPEN)"))
		goto out;

	c.end.state = IBC_CONN_OPEN;
	c.end.versions[0] = msg->version;
	c.end.versions_len = 1;
	memcpy(c.end.counterparty.connection_id, msg->counterparty_connection_id,
	       strlen(msg->counterparty_connection_id) + 1);
	ok = ibc_rules_conn_store(h, err, msg->connection_id, &c.end);
out:
	ibc_rules_conn_free(&c);
	return ok;
}

bool ibc_conn_open_confirm(const struct ibc_host *h, struct px_err *err,
			   const struct ibc_msg_conn_open_confirm *msg)
{
	struct ibc_rules_conn c;
	struct ibc_connection_end expected;
	bool ok = false;

	if (!ibc_rules_check_id(err, IBC_ID_CONNECTION, msg->connection_id, "connection"))
		return false;
	if (!ibc_rules_conn_load(h, err, &c, msg->connection_id))
		return false;
	if (c.end.state != IBC_CONN_TRYOPEN) {
		px_err_set(err, PX_E_IBC_STATE, "connection %s is in state %d, want TRYOPEN",
			   msg->connection_id, (int)c.end.state);
		goto out;
	}
	memset(&expected, 0, sizeof(expected));
	memcpy(expected.client_id, c.end.counterparty.client_id, sizeof(expected.client_id));
	memcpy(expected.versions, c.end.versions, sizeof(expected.versions));
	expected.versions_len = c.end.versions_len;
	expected.state = IBC_CONN_OPEN;
	memcpy(expected.counterparty.client_id, c.end.client_id, sizeof(c.end.client_id));
	memcpy(expected.counterparty.connection_id, msg->connection_id,
	       strlen(msg->connection_id) + 1);
	expected.counterparty.prefix = h->ops->self_prefix(h->ctx);
	expected.delay_period = c.end.delay_period;
	if (!verify_counterparty_end(h, err, &c.end, &expected, c.end.counterparty.connection_id,
				     msg->proof_height, msg->proof_ack,
				     "counterparty connection (OPEN)"))
		goto out;
	c.end.state = IBC_CONN_OPEN;
	ok = ibc_rules_conn_store(h, err, msg->connection_id, &c.end);
out:
	ibc_rules_conn_free(&c);
	return ok;
}
