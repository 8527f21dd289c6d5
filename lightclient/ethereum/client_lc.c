/* The Ethereum client behind the generic light-client table (lc.h):
 * messages are claimed headers (one to add, two as misbehaviour), heights
 * are {0, block number}, consensus states carry the stateRoot as root and
 * the block timestamp as time, and membership proofs are eth_getProof
 * results (JSON text) over the path {address, slot} or {address},
 * checked against the stateRoot of the held header at the proof height. */
#include "lightclient/ethereum/client.h"

#include <stdlib.h>
#include <string.h>

static bool msg_is(struct px_err *err, const struct lc_message *msg, const char *type)
{
	if (!msg || !msg->type || !msg->body || strcmp(msg->type, type) != 0)
		return px_err_set(err, PX_E_USAGE, "%s client: message of type '%s', want '%s'",
				  ETH_LC_CLIENT_TYPE, msg && msg->type ? msg->type : "(none)", type);
	return true;
}

static bool lc_verify_header_eth(void *client, struct px_err *err, struct lc_consensus *out,
				 const struct lc_message *msg, struct px_time now)
{
	struct eth_client *c = client;
	const struct eth_lc_header *m;
	const struct eth_trusted_header *t;

	(void)now;
	if (!msg_is(err, msg, ETH_LC_MSG_HEADER))
		return false;
	m = msg->body;
	if (!m->header)
		return px_err_set(err, PX_E_USAGE, "header message without a header");
	if (!eth_client_update(err, c, &t, m->header))
		return false;
	memset(out, 0, sizeof(*out));
	out->height.revision = 0;
	out->height.height = t->header.number;
	/* eth_client_update refuses timestamps past INT64_MAX. */
	out->time.seconds = (int64_t)t->header.timestamp;
	memcpy(out->root, t->header.state_root, ETH_HASH_LEN);
	out->root_len = ETH_HASH_LEN;
	memcpy(out->hash, t->hash, ETH_HASH_LEN);
	return true;
}

static bool membership(const struct eth_client *c, struct px_err *err, struct lc_height height,
		       const uint8_t *proof, size_t proof_len, const struct px_slice *path,
		       size_t path_len, const uint8_t *value, size_t value_len)
{
	if (path_len != 1 && path_len != 2)
		return px_err_set(err, PX_E_USAGE,
				  "path of %zu parts, want 1 (address) or 2 (address, slot)",
				  path_len);
	if (path[0].len != ETH_ADDRESS_LEN)
		return px_err_set(err, PX_E_USAGE, "path: address of %zu bytes, want %u",
				  path[0].len, ETH_ADDRESS_LEN);
	if (path_len == 2 && path[1].len != ETH_U256_LEN)
		return px_err_set(err, PX_E_USAGE, "path: slot of %zu bytes, want %u", path[1].len,
				  ETH_U256_LEN);
	if (height.revision != 0)
		return px_err_set(err, PX_E_HEIGHT, "revision %llu: Ethereum heights have revision 0",
				  (unsigned long long)height.revision);
	return eth_client_verify_proof(err, c, height.height, proof, proof_len, path[0].ptr,
				       path_len == 2 ? path[1].ptr : NULL, value, value_len);
}

static bool lc_verify_membership_eth(void *client, struct px_err *err, struct lc_height height,
				     const uint8_t *proof, size_t proof_len,
				     const struct px_slice *path, size_t path_len,
				     const uint8_t *value, size_t value_len, struct px_time now)
{
	(void)now;
	/* A zero slot or an absent account is non-membership. */
	if (value_len == 0)
		return px_err_set(err, PX_E_USAGE, "membership of an empty value");
	return membership(client, err, height, proof, proof_len, path, path_len, value, value_len);
}

static bool lc_verify_non_membership_eth(void *client, struct px_err *err,
					 struct lc_height height, const uint8_t *proof,
					 size_t proof_len, const struct px_slice *path,
					 size_t path_len, struct px_time now)
{
	(void)now;
	return membership(client, err, height, proof, proof_len, path, path_len, NULL, 0);
}

static bool lc_check_misbehaviour_eth(void *client, struct px_err *err,
				      struct lc_misbehaviour *out, const struct lc_message *msg,
				      struct px_time now)
{
	struct eth_client *c = client;
	const struct eth_lc_misbehaviour *m;
	struct eth_evidence ev;

	(void)now;
	memset(out, 0, sizeof(*out));
	if (!msg_is(err, msg, ETH_LC_MSG_MISBEHAVIOUR))
		return false;
	m = msg->body;
	if (!m->a || !m->b)
		return px_err_set(err, PX_E_USAGE, "misbehaviour needs two headers");
	if (!eth_client_check_misbehaviour(err, c, &ev, m->a, m->b))
		return false;
	if (ev.found) {
		out->found = true;
		out->kind = "conflicting_headers";
		/* The header that is not held linked to the held one below. */
		out->common.height = ev.number - 1;
		out->height.height = ev.number;
		memcpy(out->trusted_hash, ev.trusted_hash, ETH_HASH_LEN);
		memcpy(out->conflicting_hash, ev.conflicting_hash, ETH_HASH_LEN);
	}
	return true;
}

static enum lc_status lc_status_eth(const void *client, struct px_time now)
{
	(void)now;
	return eth_client_status(client);
}

static void lc_free_eth(void *client)
{
	eth_client_free(client);
	free(client);
}

const struct lc_ops eth_lc_ops = {
	.client_type = ETH_LC_CLIENT_TYPE,
	.verify_header = lc_verify_header_eth,
	.verify_membership = lc_verify_membership_eth,
	.verify_non_membership = lc_verify_non_membership_eth,
	.check_misbehaviour = lc_check_misbehaviour_eth,
	.status = lc_status_eth,
	.free = lc_free_eth,
};

bool eth_lc_new(struct px_err *err, struct lc_client *out, const struct eth_header *checkpoint,
		const uint8_t checkpoint_hash[ETH_HASH_LEN])
{
	/* Hundreds of KiB (the header window): always on the heap. */
	struct eth_client *c = calloc(1, sizeof(*c));

	out->ops = NULL;
	out->impl = NULL;
	if (!c)
		return px_err_set(err, PX_E_NOMEM, "client: out of memory");
	if (!eth_client_init(err, c, checkpoint, checkpoint_hash)) {
		free(c);
		return false;
	}
	out->ops = &eth_lc_ops;
	out->impl = c;
	return true;
}
