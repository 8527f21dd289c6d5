/* CometBFT protobuf <-> lightclient/tendermint structs (cometbft
 * proto/tendermint/types/types.proto, validator.proto, crypto/keys.proto,
 * version/types.proto). Non-nullable there, so always written here:
 * Header.version, Header.time, Header.last_block_id,
 * BlockID.part_set_header, Commit.block_id, CommitSig.timestamp,
 * Validator.pub_key. Nullable: SignedHeader.header and .commit,
 * ValidatorSet.proposer. */
#include "ibc/codec/cometbft.h"

#include <stdlib.h>

static void tm_bytes_read(struct px_cursor *c, uint32_t wire, struct tm_bytes *out)
{
	struct px_slice s;

	px_pb_read_bytes(c, wire, &s, TM_MAX_BYTES);
	if (!px_cursor_ok(c))
		return;
	if (s.len)
		memcpy(out->b, s.ptr, s.len);
	out->len = s.len;
}

static void tm_bytes_put(struct ibc_writer *w, uint32_t field, const struct tm_bytes *b)
{
	if (b->len > TM_MAX_BYTES) {
		ibc_pb_writer_fail(w, "hash field over TM_MAX_BYTES");
		return;
	}
	if (b->len)
		px_pb_put_bytes(w->b, field, b->b, b->len);
}

/* ---- tendermint.version.Consensus {uint64 block = 1; uint64 app = 2} */

static void consensus_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("block", "app");
	struct tm_header *h = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, IBC_F(1) | IBC_F(2), &field, &wire);
		switch (field) {
		case 1: h->version_block = px_pb_read_uint64(c, wire); break;
		case 2: h->version_app = px_pb_read_uint64(c, wire); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "Consensus", names, IBC_COUNT(names), field);
	}
}

static void consensus_write(struct ibc_writer *w, const void *in)
{
	const struct tm_header *h = in;

	ibc_pb_put_u64(w, 1, h->version_block);
	ibc_pb_put_u64(w, 2, h->version_app);
}

/* ---- PartSetHeader {uint32 total = 1; bytes hash = 2} and
 * BlockID {bytes hash = 1; PartSetHeader part_set_header = 2} */

static void part_set_header_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("total", "hash");
	struct tm_part_set_header *p = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;
		uint64_t v;

		ibc_pb_key(c, &seen, IBC_F(1) | IBC_F(2), &field, &wire);
		switch (field) {
		case 1:
			v = px_pb_read_uint64(c, wire);
			if (v > UINT32_MAX)
				px_cursor_fail(c, "uint32 out of range");
			p->total = (uint32_t)v;
			break;
		case 2: tm_bytes_read(c, wire, &p->hash); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "PartSetHeader", names, IBC_COUNT(names), field);
	}
}

static void part_set_header_write(struct ibc_writer *w, const void *in)
{
	const struct tm_part_set_header *p = in;

	ibc_pb_put_u64(w, 1, p->total);
	tm_bytes_put(w, 2, &p->hash);
}

static void block_id_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("hash", "part_set_header");
	struct tm_block_id *id = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, IBC_F(1) | IBC_F(2), &field, &wire);
		switch (field) {
		case 1: tm_bytes_read(c, wire, &id->hash); break;
		case 2: ibc_pb_read_sub(c, w, wire, 256, part_set_header_read, &id->parts); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "BlockID", names, IBC_COUNT(names), field);
	}
}

static void block_id_write(struct ibc_writer *w, const void *in)
{
	const struct tm_block_id *id = in;

	tm_bytes_put(w, 1, &id->hash);
	ibc_pb_put_sub(w, 2, part_set_header_write, &id->parts);
}

/* ---- Header */

static void header_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("version", "chain_id", "height", "time", "last_block_id", "last_commit_hash",
		  "data_hash", "validators_hash", "next_validators_hash", "consensus_hash",
		  "app_hash", "last_results_hash", "evidence_hash", "proposer_address");
	struct tm_header *h = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, 0x7ffe, &field, &wire);
		switch (field) {
		case 1: ibc_pb_read_sub(c, w, wire, 64, consensus_read, h); break;
		case 2: ibc_pb_read_id(c, wire, h->chain_id, sizeof(h->chain_id)); break;
		case 3: h->height = px_pb_read_int64(c, wire); break;
		case 4: ibc_pb_read_timestamp(c, w, wire, &h->time); break;
		case 5: ibc_pb_read_sub(c, w, wire, 512, block_id_read, &h->last_block_id); break;
		case 6: tm_bytes_read(c, wire, &h->last_commit_hash); break;
		case 7: tm_bytes_read(c, wire, &h->data_hash); break;
		case 8: tm_bytes_read(c, wire, &h->validators_hash); break;
		case 9: tm_bytes_read(c, wire, &h->next_validators_hash); break;
		case 10: tm_bytes_read(c, wire, &h->consensus_hash); break;
		case 11: tm_bytes_read(c, wire, &h->app_hash); break;
		case 12: tm_bytes_read(c, wire, &h->last_results_hash); break;
		case 13: tm_bytes_read(c, wire, &h->evidence_hash); break;
		case 14: tm_bytes_read(c, wire, &h->proposer_address); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "Header", names, IBC_COUNT(names), field);
	}
}

static void header_write(struct ibc_writer *w, const void *in)
{
	const struct tm_header *h = in;

	ibc_pb_put_sub(w, 1, consensus_write, h);
	ibc_pb_put_id(w, 2, h->chain_id, sizeof(h->chain_id));
	ibc_pb_put_i64(w, 3, h->height);
	ibc_pb_put_timestamp(w, 4, h->time);
	ibc_pb_put_sub(w, 5, block_id_write, &h->last_block_id);
	tm_bytes_put(w, 6, &h->last_commit_hash);
	tm_bytes_put(w, 7, &h->data_hash);
	tm_bytes_put(w, 8, &h->validators_hash);
	tm_bytes_put(w, 9, &h->next_validators_hash);
	tm_bytes_put(w, 10, &h->consensus_hash);
	tm_bytes_put(w, 11, &h->app_hash);
	tm_bytes_put(w, 12, &h->last_results_hash);
	tm_bytes_put(w, 13, &h->evidence_hash);
	tm_bytes_put(w, 14, &h->proposer_address);
}

/* ---- CommitSig {BlockIDFlag block_id_flag = 1; bytes validator_address = 2;
 * Timestamp timestamp = 3; bytes signature = 4} and Commit */

static void commit_sig_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("block_id_flag", "validator_address", "timestamp", "signature");
	struct tm_commit_sig *s = out;
	struct px_slice addr = { NULL, 0 }, sig;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, 0x1e, &field, &wire);
		switch (field) {
		case 1: s->flag = (enum tm_block_id_flag)px_pb_read_enum(c, wire, TM_FLAG_NIL); break;
		case 2: px_pb_read_bytes(c, wire, &addr, TM_ADDRESS_LEN); break;
		case 3: ibc_pb_read_timestamp(c, w, wire, &s->timestamp); break;
		case 4:
			px_pb_read_bytes(c, wire, &sig, TM_SIGNATURE_LEN);
			if (px_cursor_ok(c) && sig.len) {
				memcpy(s->signature, sig.ptr, sig.len);
				s->signature_len = sig.len;
			}
			break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "CommitSig", names, IBC_COUNT(names), field);
	}
	if (!px_cursor_ok(c))
		return;
	if (s->flag == 0) {
		px_cursor_fail(c, "block_id_flag missing");
		ibc_pb_note(w, c, "CommitSig", names, IBC_COUNT(names), 1);
	} else if (s->flag == TM_FLAG_ABSENT ? addr.len != 0 : addr.len != TM_ADDRESS_LEN) {
		px_cursor_fail(c, "address length does not fit the flag");
		ibc_pb_note(w, c, "CommitSig", names, IBC_COUNT(names), 2);
	} else if (addr.len) {
		memcpy(s->validator_address, addr.ptr, addr.len);
	}
}

static void commit_sig_write(struct ibc_writer *w, const void *in)
{
	const struct tm_commit_sig *s = in;

	if (s->flag < TM_FLAG_ABSENT || s->flag > TM_FLAG_NIL ||
	    s->signature_len > TM_SIGNATURE_LEN) {
		ibc_pb_writer_fail(w, "CommitSig flag or signature length out of range");
		return;
	}
	ibc_pb_put_u64(w, 1, (uint64_t)s->flag);
	if (s->flag != TM_FLAG_ABSENT)
		px_pb_put_bytes(w->b, 2, s->validator_address, TM_ADDRESS_LEN);
	ibc_pb_put_timestamp(w, 3, s->timestamp);
	if (s->signature_len)
		px_pb_put_bytes(w->b, 4, s->signature, s->signature_len);
}

static void commit_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("height", "round", "block_id", "signatures");
	struct tm_commit *cm = out;
	uint64_t seen = 0;
	size_t n = ibc_pb_count(c, 4, TM_MAX_VALIDATORS);

	if (n && px_cursor_ok(c)) {
		cm->sigs = calloc(n, sizeof(*cm->sigs));
		if (!cm->sigs)
			px_cursor_fail(c, ibc_pb_nomem);
	}
	ibc_pb_note(w, c, "Commit", names, IBC_COUNT(names), 4);
	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, IBC_F(1) | IBC_F(2) | IBC_F(3), &field, &wire);
		switch (field) {
		case 1: cm->height = px_pb_read_int64(c, wire); break;
		case 2: cm->round = px_pb_read_int32(c, wire); break;
		case 3: ibc_pb_read_sub(c, w, wire, 512, block_id_read, &cm->block_id); break;
		case 4:
			if (cm->len >= n)
				px_cursor_fail(c, "signature count changed");
			else
				ibc_pb_read_sub(c, w, wire, 512, commit_sig_read, &cm->sigs[cm->len++]);
			break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "Commit", names, IBC_COUNT(names), field);
	}
}

static void commit_write(struct ibc_writer *w, const void *in)
{
	const struct tm_commit *cm = in;

	if (cm->len > TM_MAX_VALIDATORS) {
		ibc_pb_writer_fail(w, "too many signatures");
		return;
	}
	ibc_pb_put_i64(w, 1, cm->height);
	ibc_pb_put_i64(w, 2, cm->round);
	ibc_pb_put_sub(w, 3, block_id_write, &cm->block_id);
	for (size_t i = 0; i < cm->len; i++)
		ibc_pb_put_sub(w, 4, commit_sig_write, &cm->sigs[i]);
}

/* ---- SignedHeader {Header header = 1; Commit commit = 2} */

void ibc_cmt_signed_header_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("header", "commit");
	struct ibc_cmt_signed_header *sh = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, IBC_F(1) | IBC_F(2), &field, &wire);
		switch (field) {
		case 1:
			ibc_pb_read_sub(c, w, wire, 4096, header_read, &sh->sh.header);
			sh->has_header = true;
			break;
		case 2:
			ibc_pb_read_sub(c, w, wire, IBC_MAX_ANY_VALUE, commit_read, &sh->sh.commit);
			sh->has_commit = true;
			break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "SignedHeader", names, IBC_COUNT(names), field);
	}
}

void ibc_cmt_signed_header_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_cmt_signed_header *sh = in;

	if (sh->has_header)
		ibc_pb_put_sub(w, 1, header_write, &sh->sh.header);
	if (sh->has_commit)
		ibc_pb_put_sub(w, 2, commit_write, &sh->sh.commit);
}

/* ---- PublicKey {oneof sum {bytes ed25519 = 1; bytes secp256k1 = 2}},
 * Validator {bytes address = 1; PublicKey pub_key = 2;
 * int64 voting_power = 3; int64 proposer_priority = 4} */

static void pubkey_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("ed25519", "secp256k1");
	struct tm_pubkey *k = out;
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;
		struct px_slice s;

		/* One oneof: a second member counts as a duplicate. */
		ibc_pb_key(c, &seen, 0, &field, &wire);
		if (field == 1 || field == 2) {
			size_t want = field == 1 ? 32 : 33;

			px_pb_read_bytes(c, wire, &s, want);
			if (!px_cursor_ok(c))
				;
			else if (k->type)
				px_cursor_fail(c, "two keys in one PublicKey");
			else if (s.len != want)
				px_cursor_fail(c, "wrong key length");
			else {
				k->type = field == 1 ? TM_KEY_ED25519 : TM_KEY_SECP256K1;
				memcpy(k->bytes, s.ptr, s.len);
				k->len = s.len;
			}
		} else {
			px_pb_skip(c, wire);
		}
		ibc_pb_note(w, c, "PublicKey", names, IBC_COUNT(names), field);
	}
	if (px_cursor_ok(c) && !k->type) {
		px_cursor_fail(c, "no ed25519 or secp256k1 key");
		ibc_pb_note(w, c, "PublicKey", names, IBC_COUNT(names), 1);
	}
}

static void pubkey_write(struct ibc_writer *w, const void *in)
{
	const struct tm_pubkey *k = in;

	if (k->type == TM_KEY_ED25519 && k->len == 32)
		px_pb_put_bytes(w->b, 1, k->bytes, 32);
	else if (k->type == TM_KEY_SECP256K1 && k->len == 33)
		px_pb_put_bytes(w->b, 2, k->bytes, 33);
	else
		ibc_pb_writer_fail(w, "public key type or length");
}

static void validator_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("address", "pub_key", "voting_power", "proposer_priority");
	struct tm_validator *v = out;
	struct px_slice addr = { NULL, 0 };
	uint64_t seen = 0;

	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, 0x1e, &field, &wire);
		switch (field) {
		case 1:
			px_pb_read_bytes(c, wire, &addr, TM_ADDRESS_LEN);
			if (px_cursor_ok(c) && addr.len != TM_ADDRESS_LEN)
				px_cursor_fail(c, "address is not 20 bytes");
			else if (px_cursor_ok(c))
				memcpy(v->address, addr.ptr, TM_ADDRESS_LEN);
			break;
		case 2: ibc_pb_read_sub(c, w, wire, 128, pubkey_read, &v->pub_key); break;
		case 3: v->voting_power = px_pb_read_int64(c, wire); break;
		case 4: v->proposer_priority = px_pb_read_int64(c, wire); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "Validator", names, IBC_COUNT(names), field);
	}
	if (!px_cursor_ok(c))
		return;
	if (!(seen & IBC_F(1)))
		px_cursor_fail(c, "address missing");
	else if (!(seen & IBC_F(2)))
		px_cursor_fail(c, "pub_key missing");
	ibc_pb_note(w, c, "Validator", names, IBC_COUNT(names), seen & IBC_F(1) ? 2 : 1);
}

static void validator_write(struct ibc_writer *w, const void *in)
{
	const struct tm_validator *v = in;

	px_pb_put_bytes(w->b, 1, v->address, TM_ADDRESS_LEN);
	ibc_pb_put_sub(w, 2, pubkey_write, &v->pub_key);
	ibc_pb_put_i64(w, 3, v->voting_power);
	ibc_pb_put_i64(w, 4, v->proposer_priority);
}

/* ---- ValidatorSet {repeated Validator validators = 1;
 * Validator proposer = 2; int64 total_voting_power = 3} */

void ibc_cmt_validator_set_read(struct px_cursor *c, struct ibc_where *w, void *out)
{
	IBC_NAMES("validators", "proposer", "total_voting_power");
	struct ibc_cmt_validator_set *vs = out;
	uint64_t seen = 0;
	size_t n = ibc_pb_count(c, 1, TM_MAX_VALIDATORS);

	if (n && px_cursor_ok(c)) {
		vs->set.validators = calloc(n, sizeof(*vs->set.validators));
		if (!vs->set.validators)
			px_cursor_fail(c, ibc_pb_nomem);
	}
	ibc_pb_note(w, c, "ValidatorSet", names, IBC_COUNT(names), 1);
	while (px_cursor_more(c)) {
		uint32_t field, wire;

		ibc_pb_key(c, &seen, IBC_F(2) | IBC_F(3), &field, &wire);
		switch (field) {
		case 1:
			if (vs->set.len >= n)
				px_cursor_fail(c, "validator count changed");
			else
				ibc_pb_read_sub(c, w, wire, 256, validator_read,
						&vs->set.validators[vs->set.len++]);
			break;
		case 2:
			ibc_pb_read_sub(c, w, wire, 256, validator_read, &vs->proposer);
			vs->has_proposer = true;
			break;
		case 3: vs->total_voting_power = px_pb_read_int64(c, wire); break;
		default: px_pb_skip(c, wire); break;
		}
		ibc_pb_note(w, c, "ValidatorSet", names, IBC_COUNT(names), field);
	}
	/* the light client counts with set.total_power: the sum of the powers
	 * read (the wire's total_voting_power is kept as it came) */
	vs->set.total_power = 0;
	for (size_t i = 0; i < vs->set.len && px_cursor_ok(c); i++) {
		int64_t p = vs->set.validators[i].voting_power;

		if (p < 0 || p > TM_MAX_TOTAL_POWER - vs->set.total_power)
			px_cursor_fail(c, "validator voting power out of range");
		else
			vs->set.total_power += p;
	}
}

void ibc_cmt_validator_set_write(struct ibc_writer *w, const void *in)
{
	const struct ibc_cmt_validator_set *vs = in;

	if (vs->set.len > TM_MAX_VALIDATORS) {
		ibc_pb_writer_fail(w, "too many validators");
		return;
	}
	for (size_t i = 0; i < vs->set.len; i++)
		ibc_pb_put_sub(w, 1, validator_write, &vs->set.validators[i]);
	if (vs->has_proposer)
		ibc_pb_put_sub(w, 2, validator_write, &vs->proposer);
	ibc_pb_put_i64(w, 3, vs->total_voting_power);
}

/* ---- public entry points */

void ibc_cmt_signed_header_free(struct ibc_cmt_signed_header *sh)
{
	tm_commit_free(&sh->sh.commit);
	memset(sh, 0, sizeof(*sh));
}

void ibc_cmt_validator_set_free(struct ibc_cmt_validator_set *vs)
{
	free(vs->set.validators);
	memset(vs, 0, sizeof(*vs));
}

static void commit_free_v(void *p)
{
	tm_commit_free(p);
}

static void signed_header_free_v(void *p)
{
	ibc_cmt_signed_header_free(p);
}

static void validator_set_free_v(void *p)
{
	ibc_cmt_validator_set_free(p);
}

#define ibc_cmt_header_read header_read
#define ibc_cmt_header_write header_write
#define ibc_cmt_block_id_read block_id_read
#define ibc_cmt_block_id_write block_id_write
#define ibc_cmt_commit_read commit_read
#define ibc_cmt_commit_write commit_write
#define ibc_cmt_validator_read validator_read
#define ibc_cmt_validator_write validator_write

IBC_PB_DEFINE(ibc_cmt_header, struct tm_header, "Header", NULL)
IBC_PB_DEFINE(ibc_cmt_block_id, struct tm_block_id, "BlockID", NULL)
IBC_PB_DEFINE(ibc_cmt_commit, struct tm_commit, "Commit", commit_free_v)
IBC_PB_DEFINE(ibc_cmt_signed_header, struct ibc_cmt_signed_header, "SignedHeader",
	      signed_header_free_v)
IBC_PB_DEFINE(ibc_cmt_validator, struct tm_validator, "Validator", NULL)
IBC_PB_DEFINE(ibc_cmt_validator_set, struct ibc_cmt_validator_set, "ValidatorSet",
	      validator_set_free_v)
