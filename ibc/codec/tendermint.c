/* 07-tendermint ClientState, ConsensusState, Header, Misbehaviour (ibc-go
 * proto/ibc/lightclients/tendermint/v1/tendermint.proto). Non-nullable
 * there, so always written: ClientState trust_level, the three durations,
 * frozen_height, latest_height; ConsensusState timestamp and root; Header
 * trusted_height. Nullable: Header signed_header, validator_set,
 * trusted_validators; Misbehaviour header_1, header_2. */
#include "ibc/codec/tendermint.h"

#include "ibc/codec/commitment.h"

/* ---- Fraction {uint64 numerator = 1; uint64 denominator = 2} */

static void fraction_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("numerator", "denominator");
	struct ibc_fraction *f = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, IBC_F(1) | IBC_F(2), &field, &wire);
		switch (field) {
		case 1: f->numerator = px_pb_read_uint64(c, wire); break;
		case 2: f->denominator = px_pb_read_uint64(c, wire); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "Fraction", names, IBC_COUNT(names), field);
	}
}

static void fraction_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_fraction *f = in;

	ibc_pb_put_u64(w, 1, f->numerator);
	ibc_pb_put_u64(w, 2, f->denominator);
}

/* ---- ClientState */

void ibc_tm_client_state_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("chain_id", "trust_level", "trusting_period", "unbonding_period",
		  "max_clock_drift", "frozen_height", "latest_height", "proof_specs",
		  "upgrade_path", "allow_update_after_expiry", "allow_update_after_misbehaviour");
	struct ibc_tm_client_state *cs = out;
	uint64_t seen = 0;
	const uint64_t singular = 0xffe & ~(IBC_F(8) | IBC_F(9));

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, singular, &field, &wire);
		switch (field) {
		case 1: ibc_pb_read_id(c, wire, cs->chain_id, sizeof(cs->chain_id)); break;
		case 2: ibc_pb_read_sub(c, w, wire, 64, fraction_read, &cs->trust_level); break;
		case 3: ibc_pb_read_duration(c, w, wire, &cs->trusting_period); break;
		case 4: ibc_pb_read_duration(c, w, wire, &cs->unbonding_period); break;
		case 5: ibc_pb_read_duration(c, w, wire, &cs->max_clock_drift); break;
		case 6: ibc_pb_read_height(c, w, wire, &cs->frozen_height); break;
		case 7: ibc_pb_read_height(c, w, wire, &cs->latest_height); break;
		case 8:
			if (cs->proof_specs_len == IBC_MAX_PROOF_SPECS)
				px_cursor_fail(c, "too many proof specs");
			else
				ibc_proof_spec_read(c, w, wire,
						    &cs->proof_specs[cs->proof_specs_len++]);
			break;
		case 9:
			if (cs->upgrade_path_len == IBC_MAX_UPGRADE_PATH)
				px_cursor_fail(c, "too many upgrade path keys");
			else
				ibc_pb_read_id(c, wire, cs->upgrade_path[cs->upgrade_path_len++],
					       IBC_ID_MAX + 1);
			break;
		case 10: cs->allow_update_after_expiry = px_pb_read_bool(c, wire); break;
		case 11: cs->allow_update_after_misbehaviour = px_pb_read_bool(c, wire); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "ClientState", names, IBC_COUNT(names), field);
	}
}

void ibc_tm_client_state_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_tm_client_state *cs = in;

	if (cs->proof_specs_len > IBC_MAX_PROOF_SPECS ||
	    cs->upgrade_path_len > IBC_MAX_UPGRADE_PATH) {
		ibc_pb_writer_fail(w, "proof_specs or upgrade_path over its array");
		return;
	}
	ibc_pb_put_id(w, 1, cs->chain_id, sizeof(cs->chain_id));
	ibc_pb_put_sub(w, 2, fraction_write, &cs->trust_level);
	ibc_pb_put_duration(w, 3, cs->trusting_period);
	ibc_pb_put_duration(w, 4, cs->unbonding_period);
	ibc_pb_put_duration(w, 5, cs->max_clock_drift);
	ibc_pb_put_height(w, 6, cs->frozen_height);
	ibc_pb_put_height(w, 7, cs->latest_height);
	for (size_t i = 0; i < cs->proof_specs_len; i++)
		ibc_proof_spec_put(w, 8, cs->proof_specs[i]);
	/* Repeated strings: every element is written, even an empty one. */
	for (size_t i = 0; i < cs->upgrade_path_len; i++) {
		size_t n = strnlen(cs->upgrade_path[i], IBC_ID_MAX + 1);

		if (n > IBC_ID_MAX) {
			ibc_pb_writer_fail(w, "upgrade_path key not terminated");
			return;
		}
		px_pb_put_bytes(w->b, 9, (const uint8_t *)cs->upgrade_path[i], n);
	}
	ibc_pb_put_bool(w, 10, cs->allow_update_after_expiry);
	ibc_pb_put_bool(w, 11, cs->allow_update_after_misbehaviour);
}

/* ---- ConsensusState {Timestamp timestamp = 1; MerkleRoot root = 2;
 * bytes next_validators_hash = 3} */

static void root_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	ibc_merkle_bytes_read(c, w, "MerkleRoot", out, sizeof(((struct ibc_tm_consensus_state *)0)->root));
}

void ibc_tm_consensus_state_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("timestamp", "root", "next_validators_hash");
	struct ibc_tm_consensus_state *cs = out;
	struct px_slice root = { NULL, 0 }, nvh = { NULL, 0 };
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, IBC_F(1) | IBC_F(2) | IBC_F(3), &field, &wire);
		switch (field) {
		case 1: ibc_pb_read_timestamp(c, w, wire, &cs->timestamp); break;
		case 2: ibc_pb_read_sub(c, w, wire, 64, root_read, &root); break;
		case 3:
			px_pb_read_bytes(c, wire, &nvh, sizeof(cs->next_validators_hash));
			if (px_cursor_ok(c) && nvh.len != sizeof(cs->next_validators_hash))
				px_cursor_fail(c, "not 32 bytes");
			break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "ConsensusState", names, IBC_COUNT(names), field);
	}
	if (!px_cursor_ok(c))
		return;
	if (nvh.len != sizeof(cs->next_validators_hash)) {
		px_cursor_fail(c, "missing");
		ibc_pb_note(w, c, "ConsensusState", names, IBC_COUNT(names), 3);
		return;
	}
	memcpy(cs->next_validators_hash, nvh.ptr, nvh.len);
	if (root.len)
		memcpy(cs->root, root.ptr, root.len);
	cs->root_len = root.len;
}

static void root_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_tm_consensus_state *cs = in;
	struct px_slice s = { cs->root, cs->root_len };

	ibc_merkle_bytes_write(w, &s);
}

void ibc_tm_consensus_state_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_tm_consensus_state *cs = in;

	if (cs->root_len > sizeof(cs->root)) {
		ibc_pb_writer_fail(w, "root_len over 32");
		return;
	}
	ibc_pb_put_timestamp(w, 1, cs->timestamp);
	ibc_pb_put_sub(w, 2, root_write, cs);
	px_pb_put_bytes(w->b, 3, cs->next_validators_hash, sizeof(cs->next_validators_hash));
}

/* ---- Header {SignedHeader signed_header = 1; ValidatorSet validator_set = 2;
 * Height trusted_height = 3; ValidatorSet trusted_validators = 4} */

void ibc_tm_header_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("signed_header", "validator_set", "trusted_height", "trusted_validators");
	struct ibc_tm_header *h = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, 0x1e, &field, &wire);
		switch (field) {
		case 1:
			ibc_pb_read_sub(c, w, wire, IBC_MAX_ANY_VALUE, ibc_cmt_signed_header_read,
					&h->signed_header);
			h->has_signed_header = true;
			break;
		case 2:
			ibc_pb_read_sub(c, w, wire, IBC_MAX_ANY_VALUE, ibc_cmt_validator_set_read,
					&h->validator_set);
			h->has_validator_set = true;
			break;
		case 3: ibc_pb_read_height(c, w, wire, &h->trusted_height); break;
		case 4:
			ibc_pb_read_sub(c, w, wire, IBC_MAX_ANY_VALUE, ibc_cmt_validator_set_read,
					&h->trusted_validators);
			h->has_trusted_validators = true;
			break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "tendermint.v1.Header", names, IBC_COUNT(names), field);
	}
}

void ibc_tm_header_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_tm_header *h = in;

	if (h->has_signed_header)
		ibc_pb_put_sub(w, 1, ibc_cmt_signed_header_write, &h->signed_header);
	if (h->has_validator_set)
		ibc_pb_put_sub(w, 2, ibc_cmt_validator_set_write, &h->validator_set);
	ibc_pb_put_height(w, 3, h->trusted_height);
	if (h->has_trusted_validators)
		ibc_pb_put_sub(w, 4, ibc_cmt_validator_set_write, &h->trusted_validators);
}

void ibc_tm_header_free(struct ibc_tm_header *h)
{
	ibc_cmt_signed_header_free(&h->signed_header);
	ibc_cmt_validator_set_free(&h->validator_set);
	ibc_cmt_validator_set_free(&h->trusted_validators);
	memset(h, 0, sizeof(*h));
}

/* ---- Misbehaviour {string client_id = 1; Header header_1 = 2;
 * Header header_2 = 3} */

void ibc_tm_misbehaviour_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("client_id", "header_1", "header_2");
	struct ibc_tm_misbehaviour *m = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, IBC_F(1) | IBC_F(2) | IBC_F(3), &field, &wire);
		switch (field) {
		case 1: ibc_pb_read_id(c, wire, m->client_id, sizeof(m->client_id)); break;
		case 2:
			ibc_pb_read_sub(c, w, wire, IBC_MAX_ANY_VALUE, ibc_tm_header_read,
					&m->header_1);
			m->has_header_1 = true;
			break;
		case 3:
			ibc_pb_read_sub(c, w, wire, IBC_MAX_ANY_VALUE, ibc_tm_header_read,
					&m->header_2);
			m->has_header_2 = true;
			break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "Misbehaviour", names, IBC_COUNT(names), field);
	}
}

void ibc_tm_misbehaviour_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_tm_misbehaviour *m = in;

	ibc_pb_put_id(w, 1, m->client_id, sizeof(m->client_id));
	if (m->has_header_1)
		ibc_pb_put_sub(w, 2, ibc_tm_header_write, &m->header_1);
	if (m->has_header_2)
		ibc_pb_put_sub(w, 3, ibc_tm_header_write, &m->header_2);
}

void ibc_tm_misbehaviour_free(struct ibc_tm_misbehaviour *m)
{
	ibc_tm_header_free(&m->header_1);
	ibc_tm_header_free(&m->header_2);
	memset(m, 0, sizeof(*m));
}

static void header_free_v(void *p)
{
	ibc_tm_header_free(p);
}

static void misbehaviour_free_v(void *p)
{
	ibc_tm_misbehaviour_free(p);
}

IBC_PB_DEFINE(ibc_tm_client_state, struct ibc_tm_client_state, "ClientState", NULL)
IBC_PB_DEFINE(ibc_tm_consensus_state, struct ibc_tm_consensus_state, "ConsensusState", NULL)
IBC_PB_DEFINE(ibc_tm_header, struct ibc_tm_header, "tendermint.v1.Header", header_free_v)
IBC_PB_DEFINE(ibc_tm_misbehaviour, struct ibc_tm_misbehaviour, "Misbehaviour",
	      misbehaviour_free_v)
