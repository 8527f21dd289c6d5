/* JSON dumps of decoded ibc/codec messages (see codec_samples.h): every
 * field, named as cosmjs-types names it. */
#include "codec_samples.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "lightclient/ics23/ics23.h"

static json_t *hex(const uint8_t *p, size_t n)
{
	static const char d[] = "0123456789abcdef";
	char *s = malloc(2 * n + 1);
	json_t *j;

	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		s[2 * i] = d[p[i] >> 4];
		s[2 * i + 1] = d[p[i] & 15];
	}
	s[2 * n] = '\0';
	j = json_string(s);
	free(s);
	return j;
}

static json_t *sl(struct px_slice s)
{
	return hex(s.ptr, s.len);
}

static json_t *txt(struct px_slice s)
{
	return json_stringn(s.len ? (const char *)s.ptr : "", s.len);
}

static json_t *u64(uint64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "%" PRIu64, v);
	return json_string(b);
}

static json_t *i64(int64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "%" PRId64, v);
	return json_string(b);
}

static void set(json_t *o, const char *k, json_t *v)
{
	json_object_set_new(o, k, v);
}

static json_t *height(struct ibc_height h)
{
	json_t *o = json_object();

	set(o, "revisionNumber", u64(h.revision_number));
	set(o, "revisionHeight", u64(h.revision_height));
	return o;
}

static json_t *time_(struct px_time t)
{
	json_t *o = json_object();

	set(o, "seconds", i64(t.seconds));
	set(o, "nanos", json_integer(t.nanos));
	return o;
}

static json_t *duration(uint64_t ns)
{
	json_t *o = json_object();

	set(o, "seconds", u64(ns / 1000000000u));
	set(o, "nanos", json_integer((json_int_t)(ns % 1000000000u)));
	return o;
}

static json_t *any(const struct ibc_any *a)
{
	json_t *o = json_object();

	set(o, "typeUrl", txt(a->type_url));
	set(o, "value", sl(a->value));
	return o;
}

static void opt_any(json_t *o, const char *k, bool has, const struct ibc_any *a)
{
	if (has)
		set(o, k, any(a));
}

static json_t *packet(const struct ibc_packet *p)
{
	json_t *o = json_object();

	set(o, "sequence", u64(p->sequence));
	set(o, "sourcePort", json_string(p->source_port));
	set(o, "sourceChannel", json_string(p->source_channel));
	set(o, "destinationPort", json_string(p->destination_port));
	set(o, "destinationChannel", json_string(p->destination_channel));
	set(o, "data", sl(p->data));
	set(o, "timeoutHeight", height(p->timeout_height));
	set(o, "timeoutTimestamp", u64(p->timeout_timestamp));
	return o;
}

static json_t *version(const struct ibc_version *v)
{
	json_t *o = json_object(), *f = json_array();

	set(o, "identifier", json_string(v->identifier));
	for (size_t i = 0; i < v->features_len; i++)
		json_array_append_new(f, json_string(v->features[i]));
	set(o, "features", f);
	return o;
}

static json_t *versions(const struct ibc_version *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, version(&v[i]));
	return a;
}

static json_t *conn_cp(const struct ibc_connection_counterparty *cp)
{
	json_t *o = json_object(), *p = json_object();

	set(o, "clientId", json_string(cp->client_id));
	set(o, "connectionId", json_string(cp->connection_id));
	set(p, "keyPrefix", sl(cp->prefix));
	set(o, "prefix", p);
	return o;
}

static json_t *channel(const struct ibc_channel *ch)
{
	json_t *o = json_object(), *cp = json_object(), *hops = json_array();

	set(o, "state", json_integer(ch->state));
	set(o, "ordering", json_integer(ch->ordering));
	set(cp, "portId", json_string(ch->counterparty.port_id));
	set(cp, "channelId", json_string(ch->counterparty.channel_id));
	set(o, "counterparty", cp);
	for (size_t i = 0; i < ch->connection_hops_len; i++)
		json_array_append_new(hops, json_string(ch->connection_hops[i]));
	set(o, "connectionHops", hops);
	set(o, "version", json_string(ch->version));
	/* Not in cosmjs-types 0.11 (ibc-go v10 dropped it); the wire check
	 * ignores it. */
	set(o, "upgradeSequence", u64(ch->upgrade_sequence));
	return o;
}

static json_t *tmb(const struct tm_bytes *b)
{
	return hex(b->b, b->len);
}

static json_t *block_id(const struct tm_block_id *id)
{
	json_t *o = json_object(), *p = json_object();

	set(o, "hash", tmb(&id->hash));
	set(p, "total", json_integer(id->parts.total));
	set(p, "hash", tmb(&id->parts.hash));
	set(o, "partSetHeader", p);
	return o;
}

static json_t *tm_header(const struct tm_header *h)
{
	json_t *o = json_object(), *v = json_object();

	set(v, "block", u64(h->version_block));
	set(v, "app", u64(h->version_app));
	set(o, "version", v);
	set(o, "chainId", json_string(h->chain_id));
	set(o, "height", i64(h->height));
	set(o, "time", time_(h->time));
	set(o, "lastBlockId", block_id(&h->last_block_id));
	set(o, "lastCommitHash", tmb(&h->last_commit_hash));
	set(o, "dataHash", tmb(&h->data_hash));
	set(o, "validatorsHash", tmb(&h->validators_hash));
	set(o, "nextValidatorsHash", tmb(&h->next_validators_hash));
	set(o, "consensusHash", tmb(&h->consensus_hash));
	set(o, "appHash", tmb(&h->app_hash));
	set(o, "lastResultsHash", tmb(&h->last_results_hash));
	set(o, "evidenceHash", tmb(&h->evidence_hash));
	set(o, "proposerAddress", tmb(&h->proposer_address));
	return o;
}

static json_t *commit(const struct tm_commit *c)
{
	json_t *o = json_object(), *sigs = json_array();

	set(o, "height", i64(c->height));
	set(o, "round", json_integer(c->round));
	set(o, "blockId", block_id(&c->block_id));
	for (size_t i = 0; i < c->len; i++) {
		const struct tm_commit_sig *s = &c->sigs[i];
		json_t *j = json_object();

		set(j, "blockIdFlag", json_integer(s->flag));
		set(j, "validatorAddress",
		    hex(s->validator_address, s->flag == TM_FLAG_ABSENT ? 0 : TM_ADDRESS_LEN));
		set(j, "timestamp", time_(s->timestamp));
		set(j, "signature", hex(s->signature, s->signature_len));
		json_array_append_new(sigs, j);
	}
	set(o, "signatures", sigs);
	return o;
}

static json_t *validator(const struct tm_validator *v)
{
	json_t *o = json_object(), *k = json_object();

	set(o, "address", hex(v->address, TM_ADDRESS_LEN));
	set(k, v->pub_key.type == TM_KEY_ED25519 ? "ed25519" : "secp256k1",
	    hex(v->pub_key.bytes, v->pub_key.len));
	set(o, "pubKey", k);
	set(o, "votingPower", i64(v->voting_power));
	set(o, "proposerPriority", i64(v->proposer_priority));
	return o;
}

static json_t *valset(const struct ibc_cmt_validator_set *vs)
{
	json_t *o = json_object(), *a = json_array();

	for (size_t i = 0; i < vs->set.len; i++)
		json_array_append_new(a, validator(&vs->set.validators[i]));
	set(o, "validators", a);
	if (vs->has_proposer)
		set(o, "proposer", validator(&vs->proposer));
	set(o, "totalVotingPower", i64(vs->total_voting_power));
	return o;
}

static json_t *header(const struct ibc_tm_header *h)
{
	json_t *o = json_object();

	if (h->has_signed_header) {
		json_t *sh = json_object();

		if (h->signed_header.has_header)
			set(sh, "header", tm_header(&h->signed_header.sh.header));
		if (h->signed_header.has_commit)
			set(sh, "commit", commit(&h->signed_header.sh.commit));
		set(o, "signedHeader", sh);
	}
	if (h->has_validator_set)
		set(o, "validatorSet", valset(&h->validator_set));
	set(o, "trustedHeight", height(h->trusted_height));
	if (h->has_trusted_validators)
		set(o, "trustedValidators", valset(&h->trusted_validators));
	return o;
}

static json_t *proof_spec(const char *name)
{
	const struct ics23_spec *s = ics23_spec_by_name(name);
	json_t *o = json_object(), *l = json_object(), *in = json_object(), *co = json_array();

	if (!s)
		return json_string(name);
	set(l, "hash", json_integer(s->leaf_spec.hash));
	set(l, "prehashKey", json_integer(s->leaf_spec.prehash_key));
	set(l, "prehashValue", json_integer(s->leaf_spec.prehash_value));
	set(l, "length", json_integer(s->leaf_spec.length));
	set(l, "prefix", sl(s->leaf_spec.prefix));
	set(o, "leafSpec", l);
	for (size_t i = 0; i < s->inner_spec.child_order_len; i++)
		json_array_append_new(co, json_integer(s->inner_spec.child_order[i]));
	set(in, "childOrder", co);
	set(in, "childSize", json_integer(s->inner_spec.child_size));
	set(in, "minPrefixLength", json_integer(s->inner_spec.min_prefix_length));
	set(in, "maxPrefixLength", json_integer(s->inner_spec.max_prefix_length));
	set(in, "emptyChild", sl(s->inner_spec.empty_child));
	set(in, "hash", json_integer(s->inner_spec.hash));
	set(o, "innerSpec", in);
	set(o, "maxDepth", json_integer(s->max_depth));
	set(o, "minDepth", json_integer(s->min_depth));
	set(o, "prehashKeyBeforeComparison", json_boolean(s->prehash_key_before_comparison));
	return o;
}

static json_t *client_state(const struct ibc_tm_client_state *cs)
{
	json_t *o = json_object(), *tl = json_object(), *ps = json_array(), *up = json_array();

	set(o, "chainId", json_string(cs->chain_id));
	set(tl, "numerator", u64(cs->trust_level.numerator));
	set(tl, "denominator", u64(cs->trust_level.denominator));
	set(o, "trustLevel", tl);
	set(o, "trustingPeriod", duration(cs->trusting_period));
	set(o, "unbondingPeriod", duration(cs->unbonding_period));
	set(o, "maxClockDrift", duration(cs->max_clock_drift));
	set(o, "frozenHeight", height(cs->frozen_height));
	set(o, "latestHeight", height(cs->latest_height));
	for (size_t i = 0; i < cs->proof_specs_len; i++)
		json_array_append_new(ps, proof_spec(cs->proof_specs[i]));
	set(o, "proofSpecs", ps);
	for (size_t i = 0; i < cs->upgrade_path_len; i++)
		json_array_append_new(up, json_string(cs->upgrade_path[i]));
	set(o, "upgradePath", up);
	set(o, "allowUpdateAfterExpiry", json_boolean(cs->allow_update_after_expiry));
	set(o, "allowUpdateAfterMisbehaviour", json_boolean(cs->allow_update_after_misbehaviour));
	return o;
}

static json_t *consensus_state(const struct ibc_tm_consensus_state *cs)
{
	json_t *o = json_object(), *r = json_object();

	set(o, "timestamp", time_(cs->timestamp));
	set(r, "hash", hex(cs->root, cs->root_len));
	set(o, "root", r);
	set(o, "nextValidatorsHash", hex(cs->next_validators_hash, 32));
	return o;
}

/* Messages whose fields are mostly strings, proofs and heights. */
static json_t *msg_fields(const struct ibc_msg *m)
{
	json_t *o = json_object();

	switch (m->kind) {
	case IBC_MSG_CREATE_CLIENT: {
		const struct ibc_msg_create_client *x = &m->u.create_client;

		opt_any(o, "clientState", x->has_client_state, &x->client_state);
		opt_any(o, "consensusState", x->has_consensus_state, &x->consensus_state);
		set(o, "signer", txt(x->signer));
		break;
	}
	case IBC_MSG_UPDATE_CLIENT: {
		const struct ibc_msg_update_client *x = &m->u.update_client;

		set(o, "clientId", json_string(x->client_id));
		opt_any(o, "clientMessage", x->has_client_message, &x->client_message);
		set(o, "signer", txt(x->signer));
		break;
	}
	case IBC_MSG_SUBMIT_MISBEHAVIOUR: {
		const struct ibc_msg_submit_misbehaviour *x = &m->u.submit_misbehaviour;

		set(o, "clientId", json_string(x->client_id));
		opt_any(o, "misbehaviour", x->has_misbehaviour, &x->misbehaviour);
		set(o, "signer", txt(x->signer));
		break;
	}
	case IBC_MSG_CONNECTION_OPEN_INIT: {
		const struct ibc_msg_connection_open_init *x = &m->u.connection_open_init;

		set(o, "clientId", json_string(x->client_id));
		set(o, "counterparty", conn_cp(&x->counterparty));
		if (x->has_version)
			set(o, "version", version(&x->version));
		set(o, "delayPeriod", u64(x->delay_period));
		set(o, "signer", txt(x->signer));
		break;
	}
	case IBC_MSG_CONNECTION_OPEN_TRY: {
		const struct ibc_msg_connection_open_try *x = &m->u.connection_open_try;

		set(o, "clientId", json_string(x->client_id));
		set(o, "previousConnectionId", json_string(x->previous_connection_id));
		opt_any(o, "clientState", x->has_client_state, &x->client_state);
		set(o, "counterparty", conn_cp(&x->counterparty));
		set(o, "delayPeriod", u64(x->delay_period));
		set(o, "counterpartyVersions",
		    versions(x->counterparty_versions, x->counterparty_versions_len));
		set(o, "proofHeight", height(x->proof_height));
		set(o, "proofInit", sl(x->proof_init));
		set(o, "proofClient", sl(x->proof_client));
		set(o, "proofConsensus", sl(x->proof_consensus));
		set(o, "consensusHeight", height(x->consensus_height));
		set(o, "signer", txt(x->signer));
		set(o, "hostConsensusStateProof", sl(x->host_consensus_state_proof));
		break;
	}
	case IBC_MSG_CONNECTION_OPEN_ACK: {
		const struct ibc_msg_connection_open_ack *x = &m->u.connection_open_ack;

		set(o, "connectionId", json_string(x->connection_id));
		set(o, "counterpartyConnectionId", json_string(x->counterparty_connection_id));
		if (x->has_version)
			set(o, "version", version(&x->version));
		opt_any(o, "clientState", x->has_client_state, &x->client_state);
		set(o, "proofHeight", height(x->proof_height));
		set(o, "proofTry", sl(x->proof_try));
		set(o, "proofClient", sl(x->proof_client));
		set(o, "proofConsensus", sl(x->proof_consensus));
		set(o, "consensusHeight", height(x->consensus_height));
		set(o, "signer", txt(x->signer));
		set(o, "hostConsensusStateProof", sl(x->host_consensus_state_proof));
		break;
	}
	case IBC_MSG_CONNECTION_OPEN_CONFIRM: {
		const struct ibc_msg_connection_open_confirm *x = &m->u.connection_open_confirm;

		set(o, "connectionId", json_string(x->connection_id));
		set(o, "proofAck", sl(x->proof_ack));
		set(o, "proofHeight", height(x->proof_height));
		set(o, "signer", txt(x->signer));
		break;
	}
	case IBC_MSG_CHANNEL_OPEN_INIT:
		set(o, "portId", json_string(m->u.channel_open_init.port_id));
		set(o, "channel", channel(&m->u.channel_open_init.channel));
		set(o, "signer", txt(m->u.channel_open_init.signer));
		break;
	case IBC_MSG_CHANNEL_OPEN_TRY: {
		const struct ibc_msg_channel_open_try *x = &m->u.channel_open_try;

		set(o, "portId", json_string(x->port_id));
		set(o, "previousChannelId", json_string(x->previous_channel_id));
		set(o, "channel", channel(&x->channel));
		set(o, "counterpartyVersion", txt(x->counterparty_version));
		set(o, "proofInit", sl(x->proof_init));
		set(o, "proofHeight", height(x->proof_height));
		set(o, "signer", txt(x->signer));
		break;
	}
	case IBC_MSG_CHANNEL_OPEN_ACK: {
		const struct ibc_msg_channel_open_ack *x = &m->u.channel_open_ack;

		set(o, "portId", json_string(x->port_id));
		set(o, "channelId", json_string(x->channel_id));
		set(o, "counterpartyChannelId", json_string(x->counterparty_channel_id));
		set(o, "counterpartyVersion", txt(x->counterparty_version));
		set(o, "proofTry", sl(x->proof_try));
		set(o, "proofHeight", height(x->proof_height));
		set(o, "signer", txt(x->signer));
		break;
	}
	case IBC_MSG_CHANNEL_OPEN_CONFIRM: {
		const struct ibc_msg_channel_open_confirm *x = &m->u.channel_open_confirm;

		set(o, "portId", json_string(x->port_id));
		set(o, "channelId", json_string(x->channel_id));
		set(o, "proofAck", sl(x->proof_ack));
		set(o, "proofHeight", height(x->proof_height));
		set(o, "signer", txt(x->signer));
		break;
	}
	default:
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *sample_dump(const struct ibc_msg *m)
{
	json_t *o = msg_fields(m);

	if (o)
		return o;
	o = json_object();
	switch (m->kind) {
	case IBC_MSG_RECV_PACKET: {
		const struct ibc_msg_recv_packet *x = &m->u.recv_packet;

		set(o, "packet", packet(&x->packet));
		set(o, "proofCommitment", sl(x->proof_commitment));
		set(o, "proofHeight", height(x->proof_height));
		set(o, "signer", txt(x->signer));
		break;
	}
	case IBC_MSG_ACKNOWLEDGEMENT: {
		const struct ibc_msg_acknowledgement *x = &m->u.acknowledgement;

		set(o, "packet", packet(&x->packet));
		set(o, "acknowledgement", sl(x->acknowledgement));
		set(o, "proofAcked", sl(x->proof_acked));
		set(o, "proofHeight", height(x->proof_height));
		set(o, "signer", txt(x->signer));
		break;
	}
	case IBC_MSG_TIMEOUT: {
		const struct ibc_msg_timeout *x = &m->u.timeout;

		set(o, "packet", packet(&x->packet));
		set(o, "proofUnreceived", sl(x->proof_unreceived));
		set(o, "proofHeight", height(x->proof_height));
		set(o, "nextSequenceRecv", u64(x->next_sequence_recv));
		set(o, "signer", txt(x->signer));
		break;
	}
	case IBC_MSG_TRANSFER: {
		const struct ibc_msg_transfer *x = &m->u.transfer;
		json_t *t = json_object();

		set(o, "sourcePort", json_string(x->source_port));
		set(o, "sourceChannel", json_string(x->source_channel));
		set(t, "denom", txt(x->token.denom));
		set(t, "amount", txt(x->token.amount));
		set(o, "token", t);
		set(o, "sender", txt(x->sender));
		set(o, "receiver", txt(x->receiver));
		set(o, "timeoutHeight", height(x->timeout_height));
		set(o, "timeoutTimestamp", u64(x->timeout_timestamp));
		set(o, "memo", txt(x->memo));
		break;
	}
	case IBC_MSG_TM_CLIENT_STATE:
		json_decref(o);
		return client_state(&m->u.tm_client_state);
	case IBC_MSG_TM_CONSENSUS_STATE:
		json_decref(o);
		return consensus_state(&m->u.tm_consensus_state);
	case IBC_MSG_TM_HEADER:
		json_decref(o);
		return header(&m->u.tm_header);
	case IBC_MSG_TM_MISBEHAVIOUR: {
		const struct ibc_tm_misbehaviour *x = &m->u.tm_misbehaviour;

		set(o, "clientId", json_string(x->client_id));
		if (x->has_header_1)
			set(o, "header1", header(&x->header_1));
		if (x->has_header_2)
			set(o, "header2", header(&x->header_2));
		break;
	}
	default:
		set(o, "typeUrl", txt(m->any.type_url));
		set(o, "value", sl(m->any.value));
		break;
	}
	return o;
}
