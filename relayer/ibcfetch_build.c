/* The pure half of ibcfetch.h: turning verified light-client states plus
 * data fetched from the node into what the counterparty chain receives
 * (a MerkleProof with its proof height, ClientState / ConsensusState /
 * Header Anys). Every function checks that the fetched data belongs to the
 * verified state before it encodes anything; nothing here touches the
 * network or the clock, so the refusals can be tested with made-up
 * blocks. */
#include <stdio.h>
#include <string.h>

#include "ibc/codec/commitment.h"
#include "ibc/codec/msg.h"
#include "lightclient/tendermint/hash.h"
#include "relayer/ibcfetch.h"

/* The verifier's options with the defaults filled in. */
static void opts_tm(struct tm_options *out, const struct rly_fetch_opts *o)
{
	*out = o->tm;
	if (!out->trust_num && !out->trust_den && !out->trusting_period_ns && !out->clock_drift_ns)
		tm_options_default(out);
}

void rly_proof_free(struct rly_proof *p)
{
	if (!p)
		return;
	px_buf_free(&p->value);
	px_buf_free(&p->proof);
	memset(p, 0, sizeof(*p));
}

bool rly_proof_build(struct px_err *err, struct rly_proof *out,
		     const struct tm_abci_response *r, const struct tm_header *verified_next,
		     const char *store, const uint8_t *key, size_t key_len, int64_t query_height,
		     uint64_t revision)
{
	struct rly_proof p;
	struct tm_abci_result res;
	struct ibc_merkle_proofs mp;
	int64_t ph;
	size_t store_len = store ? strlen(store) : 0;

	if (!store_len || store_len > TM_ABCI_MAX_STORE || !key || !key_len ||
	    key_len > RLY_FETCH_MAX_KEY || !tm_abci_proof_height(&ph, query_height))
		return px_err_set(err, PX_E_USAGE, "proof: bad store, key or query height");
	if (verified_next->height != ph)
		return px_err_set(err, PX_E_USAGE, "proof: header %lld does not prove height %lld",
				  (long long)verified_next->height, (long long)query_height);
	/* What the node says it answered must be what was asked: a reply for
	 * another height, key or store would prove something else. */
	if (r->height != query_height)
		return px_err_set(err, PX_E_HEIGHT, "proof: asked for height %lld, reply is for %lld",
				  (long long)query_height, (long long)r->height);
	if (r->key.len != key_len || memcmp(r->key.data, key, key_len) != 0)
		return px_err_set(err, PX_E_KEY_MISMATCH, "proof: the reply is for another key");
	if (r->store.len != store_len || memcmp(r->store.data, store, store_len) != 0)
		return px_err_set(err, PX_E_KEY_MISMATCH, "proof: the reply is for another store");
	if (!tm_abci_verify(err, &res, verified_next->app_hash.b, verified_next->app_hash.len,
			    (const uint8_t *)store, store_len, key, key_len, r->value.data,
			    r->value.len, r->iavl_proof.data, r->iavl_proof.len,
			    r->simple_proof.data, r->simple_proof.len)) {
		px_err_prefix(err, "proof at %lld against app hash of %lld: ", (long long)query_height,
			      (long long)ph);
		return false;
	}
	memset(&p, 0, sizeof(p));
	memset(&mp, 0, sizeof(mp));
	mp.proofs[0].ptr = r->iavl_proof.data;
	mp.proofs[0].len = r->iavl_proof.len;
	mp.proofs[1].ptr = r->simple_proof.data;
	mp.proofs[1].len = r->simple_proof.len;
	mp.len = 2;
	if (!ibc_merkle_proofs_encode(err, &p.proof, &mp))
		goto fail;
	px_buf_append(&p.value, r->value.data, r->value.len);
	if (!px_buf_ok(&p.value)) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto fail;
	}
	p.exists = res.exists;
	p.proof_height.revision_number = revision;
	p.proof_height.revision_height = (uint64_t)ph;
	*out = p;
	return true;
fail:
	rly_proof_free(&p);
	return false;
}

static bool encode_any(struct px_err *err, struct px_buf *out, const struct ibc_msg *m)
{
	struct px_buf b = PX_BUF_INIT;

	if (!ibc_msg_encode_any(err, &b, m)) {
		px_buf_free(&b);
		return false;
	}
	px_buf_append(out, b.data, b.len);
	px_buf_free(&b);
	if (!px_buf_ok(out))
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	return true;
}

bool rly_create_client_build(struct px_err *err, struct px_buf *client_state,
			     struct px_buf *consensus_state, const struct tm_header *h,
			     const struct rly_fetch_opts *opts)
{
	struct ibc_msg cs, cons;
	struct tm_options o;
	struct px_buf a = PX_BUF_INIT, b = PX_BUF_INIT;
	uint64_t unbonding = opts->unbonding_ns ? opts->unbonding_ns : RLY_FETCH_UNBONDING_DEFAULT_NS;
	bool ok = false;

	opts_tm(&o, opts);
	if (!opts->chain_id)
		return px_err_set(err, PX_E_USAGE, "create client: no chain id");
	if (!tm_options_check(err, &o))
		return false;
	if (o.trusting_period_ns >= unbonding)
		return px_err_set(err, PX_E_USAGE, "create client: trusting period not below the "
				  "unbonding period");
	if (strcmp(h->chain_id, opts->chain_id) != 0)
		return px_err_set(err, PX_E_CHAIN_ID, "create client: header of chain '%s', want '%s'",
				  h->chain_id, opts->chain_id);
	if (h->app_hash.len > sizeof(cons.u.tm_consensus_state.root) ||
	    h->next_validators_hash.len != TM_HASH_LEN || h->height <= 0)
		return px_err_set(err, PX_E_MALFORMED, "create client: header %lld: app hash of %zu "
				  "bytes, next validators hash of %zu", (long long)h->height,
				  h->app_hash.len, h->next_validators_hash.len);

	memset(&cs, 0, sizeof(cs));
	cs.kind = IBC_MSG_TM_CLIENT_STATE;
	{
		struct ibc_tm_client_state *s = &cs.u.tm_client_state;

		snprintf(s->chain_id, sizeof(s->chain_id), "%s", h->chain_id);
		s->trust_level.numerator = o.trust_num;
		s->trust_level.denominator = o.trust_den;
		s->trusting_period = o.trusting_period_ns;
		s->unbonding_period = unbonding;
		s->max_clock_drift = o.clock_drift_ns;
		s->latest_height.revision_number = tm_chain_id_revision(h->chain_id);
		s->latest_height.revision_height = (uint64_t)h->height;
		/* ibc-go's commitmenttypes.GetSDKSpecs() and its default
		 * upgrade path (upgradetypes.StoreKey, KeyUpgradedIBCState). */
		s->proof_specs[0] = "iavl";
		s->proof_specs[1] = "tendermint";
		s->proof_specs_len = 2;
		snprintf(s->upgrade_path[0], sizeof(s->upgrade_path[0]), "upgrade");
		snprintf(s->upgrade_path[1], sizeof(s->upgrade_path[1]), "upgradedIBCState");
		s->upgrade_path_len = 2;
	}
	memset(&cons, 0, sizeof(cons));
	cons.kind = IBC_MSG_TM_CONSENSUS_STATE;
	cons.u.tm_consensus_state.timestamp = h->time;
	memcpy(cons.u.tm_consensus_state.root, h->app_hash.b, h->app_hash.len);
	cons.u.tm_consensus_state.root_len = h->app_hash.len;
	memcpy(cons.u.tm_consensus_state.next_validators_hash, h->next_validators_hash.b, TM_HASH_LEN);
	if (!encode_any(err, &a, &cs) || !encode_any(err, &b, &cons))
		goto out;
	px_buf_append(client_state, a.data, a.len);
	px_buf_append(consensus_state, b.data, b.len);
	if (!px_buf_ok(client_state) || !px_buf_ok(consensus_state)) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto out;
	}
	ok = true;
out:
	px_buf_free(&a);
	px_buf_free(&b);
	return ok;
}

/* The proposer CometBFT's ValidatorSet.GetProposer would name: the highest
 * proposer priority, ties to the lower address; the header's own
 * proposer_address wins when it is in the set. Nothing hashes the
 * proposer, but ibc-go refuses a validator set without one. */
static size_t pick_proposer(const struct tm_validator_set *vs, const uint8_t *address)
{
	size_t best = 0;

	if (address) {
		ptrdiff_t i = tm_validator_set_find(vs, address);

		if (i >= 0)
			return (size_t)i;
	}
	for (size_t i = 1; i < vs->len; i++) {
		const struct tm_validator *a = &vs->validators[i], *b = &vs->validators[best];

		if (a->proposer_priority > b->proposer_priority ||
		    (a->proposer_priority == b->proposer_priority &&
		     memcmp(a->address, b->address, TM_ADDRESS_LEN) < 0))
			best = i;
	}
	return best;
}

static void wire_set(struct ibc_cmt_validator_set *out, const struct tm_validator_set *vs,
		     const uint8_t *proposer)
{
	memset(out, 0, sizeof(*out));
	out->set = *vs;	/* borrowed: the encoder does not take ownership */
	out->has_proposer = true;
	out->proposer = vs->validators[pick_proposer(vs, proposer)];
	/* CometBFT's ToProto writes 0; receivers recompute it. */
	out->total_voting_power = 0;
}

static bool set_matches(struct px_err *err, const struct tm_validator_set *vs,
			const struct tm_bytes *want, const char *what, int64_t h)
{
	uint8_t got[TM_HASH_LEN];

	if (!vs->len)
		return px_err_set(err, PX_E_VALSET_HASH, "%s at %lld: empty validator set", what,
				  (long long)h);
	if (!tm_validator_set_hash(err, got, vs))
		return false;
	if (want->len != TM_HASH_LEN || memcmp(got, want->b, TM_HASH_LEN) != 0)
		return px_err_set(err, PX_E_VALSET_HASH, "%s at %lld: the set does not hash to the "
				  "verified header's hash", what, (long long)h);
	return true;
}

bool rly_update_header_build(struct px_err *err, struct px_buf *out, const char *chain_id,
			     const struct tm_trusted *target, const struct tm_light_block *block,
			     const struct tm_trusted *trusted,
			     const struct tm_validator_set *trusted_vals)
{
	const struct tm_signed_header *sh = &block->signed_header;
	const struct tm_header *h = &sh->header;
	uint8_t hash[TM_HASH_LEN];
	struct ibc_msg m;
	struct ibc_tm_header *th;

	if (!chain_id)
		return px_err_set(err, PX_E_USAGE, "update header: no chain id");
	if (strcmp(target->header.chain_id, chain_id) != 0 || strcmp(h->chain_id, chain_id) != 0 ||
	    strcmp(trusted->header.chain_id, chain_id) != 0)
		return px_err_set(err, PX_E_CHAIN_ID, "update header: not all of chain '%s'", chain_id);
	if (trusted->header.height >= target->header.height)
		return px_err_set(err, PX_E_HEIGHT, "update header: trusted height %lld is not below "
				  "%lld", (long long)trusted->header.height,
				  (long long)target->header.height);
	/* The fetched block must be the verified one, and its commit one the
	 * counterparty will accept: checked here rather than paying for a
	 * transaction that fails. */
	if (h->height != target->header.height || !tm_header_hash(err, hash, h) ||
	    memcmp(hash, target->hash, TM_HASH_LEN) != 0) {
		px_err_set(err, PX_E_BLOCK_ID, "update header: the fetched header %lld is not the "
			   "verified one", (long long)h->height);
		return false;
	}
	if (!block->has_validators ||
	    !set_matches(err, &block->validators, &h->validators_hash, "validator set", h->height) ||
	    !set_matches(err, trusted_vals, &trusted->header.next_validators_hash,
			 "trusted validators", trusted->header.height + 1))
		return false;
	if (sh->commit.block_id.hash.len != TM_HASH_LEN ||
	    memcmp(sh->commit.block_id.hash.b, hash, TM_HASH_LEN) != 0)
		return px_err_set(err, PX_E_BLOCK_ID, "update header: the commit is for another block");
	if (!tm_commit_verify_light(err, chain_id, &block->validators, &sh->commit.block_id,
				    h->height, &sh->commit)) {
		px_err_prefix(err, "update header %lld: ", (long long)h->height);
		return false;
	}

	memset(&m, 0, sizeof(m));
	m.kind = IBC_MSG_TM_HEADER;
	th = &m.u.tm_header;
	th->has_signed_header = true;
	th->signed_header.has_header = true;
	th->signed_header.has_commit = true;
	th->signed_header.sh = *sh;	/* borrowed */
	th->has_validator_set = true;
	wire_set(&th->validator_set, &block->validators, h->proposer_address.len == TM_ADDRESS_LEN ?
		 h->proposer_address.b : NULL);
	th->trusted_height.revision_number = tm_chain_id_revision(chain_id);
	th->trusted_height.revision_height = (uint64_t)trusted->header.height;
	th->has_trusted_validators = true;
	wire_set(&th->trusted_validators, trusted_vals, NULL);
	return encode_any(err, out, &m);
}
