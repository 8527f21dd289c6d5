/* Sample messages and field dumps for the ibc/codec tests and the wire
 * check (see codec_samples.h). */
#include "codec_samples.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ID(dst, s) snprintf((dst), sizeof(dst), "%s", (s))
#define BYTES(s) ((struct px_slice){ (const uint8_t *)(s), sizeof(s) - 1 })

static const struct ibc_height H1 = { 1, 12345 };
static const struct ibc_height H2 = { 4, UINT64_MAX };

static void fill_bytes(struct tm_bytes *b, uint8_t seed, size_t len)
{
	for (size_t i = 0; i < len; i++)
		b->b[i] = (uint8_t)(seed + i * 7);
	b->len = len;
}

static void fill_packet(struct ibc_packet *p, int v)
{
	if (v)
		return;
	p->sequence = 7;
	ID(p->source_port, "transfer");
	ID(p->source_channel, "channel-0");
	ID(p->destination_port, "transfer");
	ID(p->destination_channel, "channel-12");
	p->data = BYTES("{\"amount\":\"100\",\"denom\":\"stake\",\"receiver\":\"cosmos1r\",\"sender\":\"cosmos1s\"}");
	p->timeout_height = H1;
	p->timeout_timestamp = UINT64_C(1700000000000000000);
}

static void fill_version(struct ibc_version *ver, const char *id)
{
	ID(ver->identifier, id);
	ID(ver->features[0], "ORDER_ORDERED");
	ID(ver->features[1], "ORDER_UNORDERED");
	ver->features_len = 2;
}

static void fill_conn_counterparty(struct ibc_connection_counterparty *cp, int v)
{
	if (v)
		return;
	ID(cp->client_id, "07-tendermint-0");
	ID(cp->connection_id, "connection-3");
	cp->prefix = BYTES("ibc");
}

static void fill_channel(struct ibc_channel *ch, int v)
{
	if (v)
		return;
	ch->state = IBC_CHAN_TRYOPEN;
	ch->ordering = IBC_ORDER_UNORDERED;
	ID(ch->counterparty.port_id, "transfer");
	ID(ch->counterparty.channel_id, "channel-9");
	ID(ch->connection_hops[0], "connection-0");
	ch->connection_hops_len = 1;
	ID(ch->version, "ics20-1");
}

static void fill_validator(struct tm_validator *val, int i)
{
	for (int k = 0; k < TM_ADDRESS_LEN; k++)
		val->address[k] = (uint8_t)(0x10 * i + k);
	if (i % 2) {
		val->pub_key.type = TM_KEY_SECP256K1;
		val->pub_key.len = 33;
		val->pub_key.bytes[0] = 0x02;
		for (int k = 1; k < 33; k++)
			val->pub_key.bytes[k] = (uint8_t)(0xa0 + k);
	} else {
		val->pub_key.type = TM_KEY_ED25519;
		val->pub_key.len = 32;
		for (int k = 0; k < 32; k++)
			val->pub_key.bytes[k] = (uint8_t)(0x30 + k + i);
	}
	val->voting_power = 1000 * (i + 1);
	val->proposer_priority = i % 2 ? -250 - i : 125 + i;
}

static void fill_valset(struct ibc_cmt_validator_set *vs, size_t n)
{
	vs->set.validators = calloc(n, sizeof(*vs->set.validators));
	if (!vs->set.validators)
		abort();
	vs->set.len = n;
	for (size_t i = 0; i < n; i++)
		fill_validator(&vs->set.validators[i], (int)i);
	vs->has_proposer = true;
	fill_validator(&vs->proposer, 0);
	vs->total_voting_power = n > 1 ? 3000 : 0;
}

static void fill_header(struct ibc_tm_header *h, int v, int seed)
{
	struct tm_header *hd = &h->signed_header.sh.header;
	struct tm_commit *cm = &h->signed_header.sh.commit;

	if (v)
		return;
	h->has_signed_header = true;
	h->signed_header.has_header = true;
	h->signed_header.has_commit = true;
	hd->version_block = 11;
	hd->version_app = 2;
	ID(hd->chain_id, "pontifex-a");
	hd->height = 1000 + seed;
	hd->time.seconds = 1700000000 + seed;
	hd->time.nanos = 123456789;
	fill_bytes(&hd->last_block_id.hash, 1, 32);
	hd->last_block_id.parts.total = 1;
	fill_bytes(&hd->last_block_id.parts.hash, 2, 32);
	fill_bytes(&hd->last_commit_hash, 3, 32);
	fill_bytes(&hd->data_hash, 4, 32);
	fill_bytes(&hd->validators_hash, 5, 32);
	fill_bytes(&hd->next_validators_hash, 6, 32);
	fill_bytes(&hd->consensus_hash, 7, 32);
	fill_bytes(&hd->app_hash, (uint8_t)(8 + seed), 32);
	fill_bytes(&hd->last_results_hash, 9, 32);
	fill_bytes(&hd->evidence_hash, 10, 32);
	fill_bytes(&hd->proposer_address, 11, 20);

	cm->height = hd->height;
	cm->round = 1;
	fill_bytes(&cm->block_id.hash, 12, 32);
	cm->block_id.parts.total = 3;
	fill_bytes(&cm->block_id.parts.hash, 13, 32);
	cm->sigs = calloc(3, sizeof(*cm->sigs));
	if (!cm->sigs)
		abort();
	cm->len = 3;
	for (int i = 0; i < 3; i++) {
		struct tm_commit_sig *s = &cm->sigs[i];

		s->flag = i == 0 ? TM_FLAG_COMMIT : i == 1 ? TM_FLAG_ABSENT : TM_FLAG_NIL;
		if (s->flag == TM_FLAG_ABSENT) {
			s->timestamp.seconds = INT64_C(-62135596800);	/* Go's zero time */
			continue;
		}
		for (int k = 0; k < TM_ADDRESS_LEN; k++)
			s->validator_address[k] = (uint8_t)(0x10 * i + k);
		s->timestamp.seconds = 1700000001;
		s->timestamp.nanos = 5 + i;
		for (int k = 0; k < TM_SIGNATURE_LEN; k++)
			s->signature[k] = (uint8_t)(k * 3 + i);
		s->signature_len = TM_SIGNATURE_LEN;
	}
	h->has_validator_set = true;
	fill_valset(&h->validator_set, 2);
	h->trusted_height = (struct ibc_height){ 0, 990 };
	h->has_trusted_validators = true;
	fill_valset(&h->trusted_validators, 1);
	h->trusted_validators.has_proposer = false;
}

static void fill_client_state(struct ibc_tm_client_state *cs, int v)
{
	if (v)
		return;
	ID(cs->chain_id, "pontifex-b");
	cs->trust_level = (struct ibc_fraction){ 1, 3 };
	cs->trusting_period = UINT64_C(1209600000000000);
	cs->unbonding_period = UINT64_C(1814400000000000);
	cs->max_clock_drift = UINT64_C(10000000001);
	cs->frozen_height = (struct ibc_height){ 0, 0 };
	cs->latest_height = H1;
	cs->proof_specs[0] = "iavl";
	cs->proof_specs[1] = "tendermint";
	cs->proof_specs_len = 2;
	ID(cs->upgrade_path[0], "upgrade");
	ID(cs->upgrade_path[1], "upgradedIBCState");
	cs->upgrade_path_len = 2;
	cs->allow_update_after_expiry = true;
	cs->allow_update_after_misbehaviour = true;
}

static void fill_consensus_state(struct ibc_tm_consensus_state *cs, int v)
{
	cs->root_len = v ? 0 : 32;
	for (int i = 0; i < 32; i++) {
		cs->root[i] = (uint8_t)(v ? 0 : 0xe0 + i);
		cs->next_validators_hash[i] = (uint8_t)(v ? 0 : 0x40 + i);
	}
	if (!v) {
		cs->timestamp.seconds = 1700000000;
		cs->timestamp.nanos = 999999999;
	}
}

static const struct ibc_any ANY_CS = {
	{ (const uint8_t *)IBC_URL_TM_CLIENT_STATE, sizeof(IBC_URL_TM_CLIENT_STATE) - 1 },
	{ (const uint8_t *)"\x0a\x03""abc", 5 },
};
static const struct ibc_any ANY_EMPTY = { { NULL, 0 }, { NULL, 0 } };

void sample_fill(struct ibc_msg *m, enum ibc_msg_kind kind, int v)
{
	const struct px_slice signer = v ? (struct px_slice){ NULL, 0 } : BYTES("cosmos1relayer0signer");
	const struct px_slice proof = v ? (struct px_slice){ NULL, 0 } : BYTES("\x0a\x04proof-bytes");

	memset(m, 0, sizeof(*m));
	m->kind = kind;
	switch (kind) {
	case IBC_MSG_CREATE_CLIENT:
		m->u.create_client.has_client_state = !v;
		m->u.create_client.client_state = ANY_CS;
		m->u.create_client.has_consensus_state = !v;
		m->u.create_client.consensus_state = ANY_EMPTY;	/* present but empty */
		m->u.create_client.signer = signer;
		break;
	case IBC_MSG_UPDATE_CLIENT:
		if (!v)
			ID(m->u.update_client.client_id, "07-tendermint-0");
		m->u.update_client.has_client_message = !v;
		m->u.update_client.client_message = ANY_CS;
		m->u.update_client.signer = signer;
		break;
	case IBC_MSG_SUBMIT_MISBEHAVIOUR:
		if (!v)
			ID(m->u.submit_misbehaviour.client_id, "07-tendermint-1");
		m->u.submit_misbehaviour.has_misbehaviour = !v;
		m->u.submit_misbehaviour.misbehaviour = ANY_CS;
		m->u.submit_misbehaviour.signer = signer;
		break;
	case IBC_MSG_CONNECTION_OPEN_INIT: {
		struct ibc_msg_connection_open_init *x = &m->u.connection_open_init;

		if (!v)
			ID(x->client_id, "07-tendermint-0");
		fill_conn_counterparty(&x->counterparty, v);
		x->counterparty.connection_id[0] = '\0';
		x->has_version = !v;
		fill_version(&x->version, "1");
		x->delay_period = v ? 0 : 30000000000u;
		x->signer = signer;
		break;
	}
	case IBC_MSG_CONNECTION_OPEN_TRY: {
		struct ibc_msg_connection_open_try *x = &m->u.connection_open_try;

		if (!v) {
			ID(x->client_id, "07-tendermint-2");
			ID(x->previous_connection_id, "connection-1");
			fill_version(&x->counterparty_versions[0], "1");
			fill_version(&x->counterparty_versions[1], "2");
			x->counterparty_versions_len = 2;
		}
		x->has_client_state = !v;
		x->client_state = ANY_CS;
		fill_conn_counterparty(&x->counterparty, v);
		x->delay_period = v ? 0 : 1;
		x->proof_height = v ? (struct ibc_height){ 0, 0 } : H1;
		x->proof_init = proof;
		x->proof_client = proof;
		x->proof_consensus = proof;
		x->consensus_height = v ? (struct ibc_height){ 0, 0 } : H2;
		x->signer = signer;
		x->host_consensus_state_proof = proof;
		break;
	}
	case IBC_MSG_CONNECTION_OPEN_ACK: {
		struct ibc_msg_connection_open_ack *x = &m->u.connection_open_ack;

		if (!v) {
			ID(x->connection_id, "connection-0");
			ID(x->counterparty_connection_id, "connection-7");
		}
		x->has_version = !v;
		fill_version(&x->version, "1");
		x->has_client_state = !v;
		x->client_state = ANY_CS;
		x->proof_height = v ? (struct ibc_height){ 0, 0 } : H1;
		x->proof_try = proof;
		x->proof_client = proof;
		x->proof_consensus = proof;
		x->consensus_height = v ? (struct ibc_height){ 0, 0 } : H2;
		x->signer = signer;
		x->host_consensus_state_proof = proof;
		break;
	}
	case IBC_MSG_CONNECTION_OPEN_CONFIRM: {
		struct ibc_msg_connection_open_confirm *x = &m->u.connection_open_confirm;

		if (!v)
			ID(x->connection_id, "connection-7");
		x->proof_ack = proof;
		x->proof_height = v ? (struct ibc_height){ 0, 0 } : H1;
		x->signer = signer;
		break;
	}
	case IBC_MSG_CHANNEL_OPEN_INIT:
		if (!v)
			ID(m->u.channel_open_init.port_id, "transfer");
		fill_channel(&m->u.channel_open_init.channel, v);
		m->u.channel_open_init.signer = signer;
		break;
	case IBC_MSG_CHANNEL_OPEN_TRY: {
		struct ibc_msg_channel_open_try *x = &m->u.channel_open_try;

		if (!v) {
			ID(x->port_id, "transfer");
			ID(x->previous_channel_id, "channel-2");
			x->counterparty_version = BYTES("ics20-1");
		}
		fill_channel(&x->channel, v);
		x->proof_init = proof;
		x->proof_height = v ? (struct ibc_height){ 0, 0 } : H1;
		x->signer = signer;
		break;
	}
	case IBC_MSG_CHANNEL_OPEN_ACK: {
		struct ibc_msg_channel_open_ack *x = &m->u.channel_open_ack;

		if (!v) {
			ID(x->port_id, "transfer");
			ID(x->channel_id, "channel-0");
			ID(x->counterparty_channel_id, "channel-5");
			x->counterparty_version = BYTES("ics20-1");
		}
		x->proof_try = proof;
		x->proof_height = v ? (struct ibc_height){ 0, 0 } : H1;
		x->signer = signer;
		break;
	}
	case IBC_MSG_CHANNEL_OPEN_CONFIRM: {
		struct ibc_msg_channel_open_confirm *x = &m->u.channel_open_confirm;

		if (!v) {
			ID(x->port_id, "transfer");
			ID(x->channel_id, "channel-5");
		}
		x->proof_ack = proof;
		x->proof_height = v ? (struct ibc_height){ 0, 0 } : H1;
		x->signer = signer;
		break;
	}
	case IBC_MSG_RECV_PACKET:
		fill_packet(&m->u.recv_packet.packet, v);
		m->u.recv_packet.proof_commitment = proof;
		m->u.recv_packet.proof_height = v ? (struct ibc_height){ 0, 0 } : H1;
		m->u.recv_packet.signer = signer;
		break;
	case IBC_MSG_ACKNOWLEDGEMENT:
		fill_packet(&m->u.acknowledgement.packet, v);
		if (!v)
			m->u.acknowledgement.acknowledgement = BYTES("{\"result\":\"AQ==\"}");
		m->u.acknowledgement.proof_acked = proof;
		m->u.acknowledgement.proof_height = v ? (struct ibc_height){ 0, 0 } : H1;
		m->u.acknowledgement.signer = signer;
		break;
	case IBC_MSG_TIMEOUT:
		fill_packet(&m->u.timeout.packet, v);
		m->u.timeout.proof_unreceived = proof;
		m->u.timeout.proof_height = v ? (struct ibc_height){ 0, 0 } : H2;
		m->u.timeout.next_sequence_recv = v ? 0 : 7;
		m->u.timeout.signer = signer;
		break;
	case IBC_MSG_TRANSFER: {
		struct ibc_msg_transfer *x = &m->u.transfer;

		if (!v) {
			ID(x->source_port, "transfer");
			ID(x->source_channel, "channel-0");
			x->token.denom = BYTES("ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2");
			x->token.amount = BYTES("115792089237316195423570985008687907853269984665640564039457584007913129639935");
			x->sender = BYTES("cosmos1sender");
			x->receiver = BYTES("osmo1receiver");
			x->timeout_height = H1;
			x->timeout_timestamp = 1;
			x->memo = BYTES("{\"forward\":{\"port\":\"transfer\"}}");
		}
		break;
	}
	case IBC_MSG_TM_CLIENT_STATE:
		fill_client_state(&m->u.tm_client_state, v);
		break;
	case IBC_MSG_TM_CONSENSUS_STATE:
		fill_consensus_state(&m->u.tm_consensus_state, v);
		break;
	case IBC_MSG_TM_HEADER:
		fill_header(&m->u.tm_header, v, 0);
		break;
	case IBC_MSG_TM_MISBEHAVIOUR:
		if (!v)
			ID(m->u.tm_misbehaviour.client_id, "07-tendermint-0");
		m->u.tm_misbehaviour.has_header_1 = !v;
		fill_header(&m->u.tm_misbehaviour.header_1, v, 0);
		m->u.tm_misbehaviour.has_header_2 = !v;
		fill_header(&m->u.tm_misbehaviour.header_2, v, 1);
		break;
	default:
		break;
	}
}
