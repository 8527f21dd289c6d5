/* The Tendermint client behind the generic light-client table (lc.h):
 * messages are traces or pairs of light blocks, membership proofs are IBC
 * MerkleProofs (the ics23:iavl store proof, then the ics23:simple
 * multistore proof) over the path {store, key}, checked against the app
 * hash of the held state at the proof height. */
#include "lightclient/tendermint/client.h"

#include <stdlib.h>
#include <string.h>

#include "lightclient/tendermint/client_ibc.h"

uint64_t tm_chain_id_revision(const char *chain_id)
{
	const char *dash = strrchr(chain_id, '-');
	uint64_t n = 0;

	/* IBC: "{name}-{N}" with N a number without leading zeros. */
	if (!dash || dash == chain_id || dash[1] < '1' || dash[1] > '9')
		return 0;
	for (const char *p = dash + 1; *p; p++) {
		if (*p < '0' || *p > '9' || n > (UINT64_MAX - 9) / 10)
			return 0;
		n = n * 10 + (uint64_t)(*p - '0');
	}
	return n;
}

static struct lc_height height_of(const struct tm_header *h)
{
	struct lc_height out = { tm_chain_id_revision(h->chain_id), (uint64_t)h->height };
	return out;
}

static bool msg_is(struct px_err *err, const struct lc_message *msg, const char *type)
{
	if (!msg || !msg->type || !msg->body || strcmp(msg->type, type) != 0)
		return px_err_set(err, PX_E_USAGE, "%s client: message of type '%s', want '%s'",
				  TM_LC_CLIENT_TYPE, msg && msg->type ? msg->type : "(none)", type);
	return true;
}

static bool lc_verify_header_tm(void *client, struct px_err *err, struct lc_consensus *out,
				const struct lc_message *msg, struct px_time now)
{
	struct tm_client *c = client;
	const struct tm_lc_header *m;
	const struct tm_trusted *t;

	if (!msg_is(err, msg, TM_LC_MSG_HEADER))
		return false;
	m = msg->body;
	if (!tm_client_update(err, c, m->blocks, m->len, now))
		return false;
	t = tm_client_state_at(c, m->blocks[m->len - 1].signed_header.header.height);
	if (!t)
		return px_err_set(err, PX_E_INTERNAL, "verified state not held");
	memset(out, 0, sizeof(*out));
	out->height = height_of(&t->header);
	out->time = t->header.time;
	memcpy(out->root, t->header.app_hash.b, t->header.app_hash.len);
	out->root_len = t->header.app_hash.len;
	memcpy(out->hash, t->hash, TM_HASH_LEN);
	return true;
}

static bool membership(struct tm_client *c, struct px_err *err, struct lc_height height,
		       const uint8_t *proof, size_t proof_len, const struct px_slice *path,
		       size_t path_len, const uint8_t *value, size_t value_len, struct px_time now)
{
	const struct tm_trusted *latest = tm_client_latest(c);
	struct tm_ibc_proof p;

	/* path and proof shape first, then the height, as the IBC client */
	if (!tm_ibc_proof_split(err, &p, proof, proof_len, path, path_len))
		return false;
	if (latest && height.revision != tm_chain_id_revision(latest->header.chain_id))
		return px_err_set(err, PX_E_HEIGHT, "revision %llu is not the client's",
				  (unsigned long long)height.revision);
	if (height.height == 0 || height.height > INT64_MAX)
		return px_err_set(err, PX_E_HEIGHT, "proof height %llu",
				  (unsigned long long)height.height);
	return tm_client_verify_abci(err, c, (int64_t)height.height, p.store.ptr, p.store.len,
				     p.key.ptr, p.key.len, value, value_len, p.iavl.ptr, p.iavl.len,
				     p.simple.ptr, p.simple.len, now);
}

static bool lc_verify_membership_tm(void *client, struct px_err *err, struct lc_height height,
				    const uint8_t *proof, size_t proof_len,
				    const struct px_slice *path, size_t path_len,
				    const uint8_t *value, size_t value_len, struct px_time now)
{
	if (value_len == 0)
		return px_err_set(err, PX_E_USAGE, "membership of an empty value");
	return membership(client, err, height, proof, proof_len, path, path_len, value, value_len,
			  now);
}

static bool lc_verify_non_membership_tm(void *client, struct px_err *err, struct lc_height height,
					const uint8_t *proof, size_t proof_len,
					const struct px_slice *path, size_t path_len,
					struct px_time now)
{
	return membership(client, err, height, proof, proof_len, path, path_len, NULL, 0, now);
}

static bool lc_check_misbehaviour_tm(void *client, struct px_err *err, struct lc_misbehaviour *out,
				     const struct lc_message *msg, struct px_time now)
{
	struct tm_client *c = client;
	const struct tm_lc_misbehaviour *m;
	struct tm_evidence ev;

	memset(out, 0, sizeof(*out));
	if (!msg_is(err, msg, TM_LC_MSG_MISBEHAVIOUR))
		return false;
	m = msg->body;
	if (!m->a || !m->b)
		return px_err_set(err, PX_E_USAGE, "misbehaviour needs two light blocks");
	if (!tm_client_check_misbehaviour(err, c, &ev, m->a, m->b, now))
		return false;
	if (ev.kind != TM_EVIDENCE_NONE) {
		out->found = true;
		out->kind = tm_evidence_kind_name(ev.kind);
		out->common.revision = tm_chain_id_revision(m->a->signed_header.header.chain_id);
		out->common.height = (uint64_t)ev.common_height;
		out->height.revision = out->common.revision;
		out->height.height = (uint64_t)ev.conflicting_height;
		memcpy(out->trusted_hash, ev.trusted_hash, TM_HASH_LEN);
		memcpy(out->conflicting_hash, ev.conflicting_hash, TM_HASH_LEN);
	}
	tm_evidence_free(&ev);
	return true;
}

static enum lc_status lc_status_tm(const void *client, struct px_time now)
{
	switch (tm_client_status(client, now)) {
	case TM_STATUS_ACTIVE: return LC_STATUS_ACTIVE;
	case TM_STATUS_EXPIRED: return LC_STATUS_EXPIRED;
	case TM_STATUS_FROZEN: return LC_STATUS_FROZEN;
	}
	return LC_STATUS_FROZEN;
}

static void lc_free_tm(void *client)
{
	tm_client_free(client);
	free(client);
}

const struct lc_ops tm_lc_ops = {
	.client_type = TM_LC_CLIENT_TYPE,
	.verify_header = lc_verify_header_tm,
	.verify_membership = lc_verify_membership_tm,
	.verify_non_membership = lc_verify_non_membership_tm,
	.check_misbehaviour = lc_check_misbehaviour_tm,
	.status = lc_status_tm,
	.free = lc_free_tm,
};

bool tm_lc_new(struct px_err *err, struct lc_client *out, const struct tm_trusted *anchor,
	       const struct tm_options *opts)
{
	struct tm_client *c = calloc(1, sizeof(*c));

	out->ops = NULL;
	out->impl = NULL;
	if (!c)
		return px_err_set(err, PX_E_NOMEM, "client: out of memory");
	if (!tm_client_init(err, c, anchor, opts)) {
		free(c);
		return false;
	}
	out->ops = &tm_lc_ops;
	out->impl = c;
	return true;
}
