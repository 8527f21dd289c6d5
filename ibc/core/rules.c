/* Helpers shared by the IBC protocol rules: identifiers, ICS-24 paths,
 * store access through the host table, ends, sequences, client status,
 * proofs and ibc-go's commitments. See rules.h. */
#include "ibc/core/rules.h"

#include <stdio.h>
#include <string.h>

bool ibc_rules_check_id(struct px_err *err, enum ibc_id_kind kind, const char *id,
			const char *what)
{
	if (ibc_id_check(err, kind, id))
		return true;
	px_err_prefix(err, "%s: ", what);
	return false;
}

bool ibc_rules_host_failed(struct px_err *err, const char *op)
{
	if (!px_err_is_set(err))
		px_err_set(err, PX_E_INTERNAL, "host %s failed without a reason", op);
	return false;
}

bool ibc_rules_get(const struct ibc_host *h, struct px_err *err, struct px_buf *out,
		   bool *found, const struct ibc_path *p)
{
	*found = false;
	px_buf_reset(out);
	if (!h->ops->get(h->ctx, err, out, found, (const uint8_t *)p->s, p->len))
		return ibc_rules_host_failed(err, "store get");
	if (!px_buf_ok(out))
		return px_err_set(err, PX_E_NOMEM, "reading %s", p->s);
	return true;
}

bool ibc_rules_set(const struct ibc_host *h, struct px_err *err, const struct ibc_path *p,
		   const uint8_t *val, size_t len)
{
	if (!h->ops->set(h->ctx, err, (const uint8_t *)p->s, p->len, val, len))
		return ibc_rules_host_failed(err, "store set");
	return true;
}

bool ibc_rules_del(const struct ibc_host *h, struct px_err *err, const struct ibc_path *p)
{
	if (!h->ops->del(h->ctx, err, (const uint8_t *)p->s, p->len))
		return ibc_rules_host_failed(err, "store delete");
	return true;
}

bool ibc_rules_conn_load(const struct ibc_host *h, struct px_err *err,
			 struct ibc_rules_conn *out, const char *connection_id)
{
	struct ibc_path p;
	bool found;

	memset(&out->end, 0, sizeof(out->end));
	px_buf_init(&out->raw);
	if (!ibc_path_connection(err, &p, connection_id) ||
	    !ibc_rules_get(h, err, &out->raw, &found, &p))
		goto fail;
	if (!found) {
		px_err_set(err, PX_E_IBC_NOT_FOUND, "connection %s not found", connection_id);
		goto fail;
	}
	if (!h->ops->decode_connection(h->ctx, err, &out->end, out->raw.data, out->raw.len)) {
		ibc_rules_host_failed(err, "connection decode");
		px_err_prefix(err, "stored connection %s: ", connection_id);
		goto fail;
	}
	return true;
fail:
	ibc_rules_conn_free(out);
	return false;
}

void ibc_rules_conn_free(struct ibc_rules_conn *c)
{
	px_buf_free(&c->raw);
	memset(&c->end, 0, sizeof(c->end));
}

bool ibc_rules_conn_store(const struct ibc_host *h, struct px_err *err, const char *connection_id,
			  const struct ibc_connection_end *end)
{
	struct px_buf b = PX_BUF_INIT;
	struct ibc_path p;
	bool ok = false;

	if (!h->ops->encode_connection(h->ctx, err, &b, end)) {
		ibc_rules_host_failed(err, "connection encode");
		goto out;
	}
	if (!px_buf_ok(&b)) {
		px_err_set(err, PX_E_NOMEM, "encoding connection %s", connection_id);
		goto out;
	}
	ok = ibc_path_connection(err, &p, connection_id) &&
	     ibc_rules_set(h, err, &p, b.data, b.len);
out:
	px_buf_free(&b);
	return ok;
}

bool ibc_rules_chan_load(const struct ibc_host *h, struct px_err *err, struct ibc_channel *out,
			 const char *port, const char *channel)
{
	struct px_buf b = PX_BUF_INIT;
	struct ibc_path p;
	bool found, ok = false;

	memset(out, 0, sizeof(*out));
	if (!ibc_path_channel(err, &p, port, channel) ||
	    !ibc_rules_get(h, err, &b, &found, &p))
		goto out;
	if (!found) {
		px_err_set(err, PX_E_IBC_NOT_FOUND, "channel %s/%s not found", port, channel);
		goto out;
	}
	if (!h->ops->decode_channel(h->ctx, err, out, b.data, b.len)) {
		ibc_rules_host_failed(err, "channel decode");
		px_err_prefix(err, "stored channel %s/%s: ", port, channel);
		memset(out, 0, sizeof(*out));
		goto out;
	}
	ok = true;
out:
	px_buf_free(&b);
	return ok;
}

bool ibc_rules_chan_store(const struct ibc_host *h, struct px_err *err, const char *port,
			  const char *channel, const struct ibc_channel *chan)
{
	struct px_buf b = PX_BUF_INIT;
	struct ibc_path p;
	bool ok = false;

	if (!h->ops->encode_channel(h->ctx, err, &b, chan)) {
		ibc_rules_host_failed(err, "channel encode");
		goto out;
	}
	if (!px_buf_ok(&b)) {
		px_err_set(err, PX_E_NOMEM, "encoding channel %s/%s", port, channel);
		goto out;
	}
	ok = ibc_path_channel(err, &p, port, channel) &&
	     ibc_rules_set(h, err, &p, b.data, b.len);
out:
	px_buf_free(&b);
	return ok;
}

bool ibc_rules_chan_connection(const struct ibc_host *h, struct px_err *err,
			       struct ibc_rules_conn *out, const struct ibc_channel *chan)
{
	if (chan->connection_hops_len != 1) {
		memset(&out->end, 0, sizeof(out->end));
		px_buf_init(&out->raw);
		return px_err_set(err, PX_E_MALFORMED, "channel has %zu connection hops, want 1",
				  chan->connection_hops_len);
	}
	if (!ibc_rules_conn_load(h, err, out, chan->connection_hops[0]))
		return false;
	if (out->end.state != IBC_CONN_OPEN) {
		px_err_set(err, PX_E_IBC_STATE, "connection %s is in state %d, want OPEN",
			   chan->connection_hops[0], (int)out->end.state);
		ibc_rules_conn_free(out);
		return false;
	}
	return true;
}

void ibc_rules_be64(uint8_t out[8], uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--) {
		out[i] = (uint8_t)v;
		v >>= 8;
	}
}

static uint64_t be64_read(const uint8_t *b)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

bool ibc_rules_seq_load(const struct ibc_host *h, struct px_err *err, uint64_t *out,
			const struct ibc_path *p)
{
	struct px_buf b = PX_BUF_INIT;
	bool found, ok = false;

	if (!ibc_rules_get(h, err, &b, &found, p))
		goto out;
	if (!found) {
		px_err_set(err, PX_E_IBC_NOT_FOUND, "%s not found", p->s);
		goto out;
	}
	if (b.len != 8) {
		px_err_set(err, PX_E_MALFORMED, "%s: stored sequence has %zu bytes, want 8", p->s,
			   b.len);
		goto out;
	}
	*out = be64_read(b.data);
	ok = true;
out:
	px_buf_free(&b);
	return ok;
}

bool ibc_rules_seq_store(const struct ibc_host *h, struct px_err *err, const struct ibc_path *p,
			 uint64_t v)
{
	uint8_t b[8];

	ibc_rules_be64(b, v);
	return ibc_rules_set(h, err, p, b, sizeof(b));
}

bool ibc_rules_next_id(const struct ibc_host *h, struct px_err *err, char out[IBC_ID_MAX + 1],
		       const char *counter_key, const char *prefix)
{
	struct ibc_path p;
	struct px_buf b = PX_BUF_INIT;
	uint64_t n = 0;
	bool found, ok = false;

	p.len = strlen(counter_key);
	if (p.len >= sizeof(p.s))
		return px_err_set(err, PX_E_INTERNAL, "counter key too long");
	memcpy(p.s, counter_key, p.len + 1);
	if (!ibc_rules_get(h, err, &b, &found, &p))
		goto out;
	if (found) {
		if (b.len != 8) {
			px_err_set(err, PX_E_MALFORMED, "%s: stored counter has %zu bytes, want 8",
				   counter_key, b.len);
			goto out;
		}
		n = be64_read(b.data);
	}
	if (n == UINT64_MAX) {
		px_err_set(err, PX_E_IBC_OVERFLOW, "%s exhausted", counter_key);
		goto out;
	}
	snprintf(out, IBC_ID_MAX + 1, "%s-%llu", prefix, (unsigned long long)n);
	ok = ibc_rules_seq_store(h, err, &p, n + 1);
out:
	px_buf_free(&b);
	return ok;
}

bool ibc_rules_client_active(const struct ibc_host *h, struct px_err *err, const char *client_id)
{
	switch (h->ops->client_status(h->ctx, client_id)) {
	case IBC_CLIENT_ACTIVE:
		return true;
	case IBC_CLIENT_FROZEN:
		return px_err_set(err, PX_E_FROZEN, "client %s is frozen", client_id);
	case IBC_CLIENT_EXPIRED:
		return px_err_set(err, PX_E_TRUST_EXPIRED, "client %s is expired", client_id);
	case IBC_CLIENT_UNKNOWN:
		break;
	}
	return px_err_set(err, PX_E_IBC_NOT_FOUND, "client %s not found", client_id);
}

bool ibc_rules_verify(const struct ibc_host *h, struct px_err *err,
		      const struct ibc_connection_end *conn, struct ibc_height proof_height,
		      struct px_slice proof, const struct ibc_path *p, const uint8_t *value,
		      size_t value_len, const char *what)
{
	if (!ibc_rules_client_active(h, err, conn->client_id))
		return false;
	if (!h->ops->verify_membership(h->ctx, err, conn->client_id, proof_height,
				       conn->delay_period, proof.ptr, proof.len,
				       conn->counterparty.prefix, (const uint8_t *)p->s, p->len,
				       value, value_len)) {
		if (!px_err_is_set(err))
			px_err_set(err, PX_E_IBC_PROOF, "proof rejected");
		px_err_prefix(err, "proof of %s at %s, height %llu-%llu: ", what, p->s,
			      (unsigned long long)proof_height.revision_number,
			      (unsigned long long)proof_height.revision_height);
		return false;
	}
	return true;
}

bool ibc_rules_verify_absent(const struct ibc_host *h, struct px_err *err,
			     const struct ibc_connection_end *conn,
			     struct ibc_height proof_height, struct px_slice proof,
			     const struct ibc_path *p, const char *what)
{
	if (!ibc_rules_client_active(h, err, conn->client_id))
		return false;
	if (!h->ops->verify_non_membership(h->ctx, err, conn->client_id, proof_height,
					   conn->delay_period, proof.ptr, proof.len,
					   conn->counterparty.prefix, (const uint8_t *)p->s,
					   p->len)) {
		if (!px_err_is_set(err))
			px_err_set(err, PX_E_IBC_PROOF, "proof rejected");
		px_err_prefix(err, "proof of absence of %s at %s, height %llu-%llu: ", what, p->s,
			      (unsigned long long)proof_height.revision_number,
			      (unsigned long long)proof_height.revision_height);
		return false;
	}
	return true;
}
