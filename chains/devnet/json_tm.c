/* JSON encoders of block data in CometBFT 0.38 shapes (see json_tm.h). */
#include "chains/devnet/json_tm.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/buf.h"
#include "common/encoding.h"

json_t *devnet_json_hex(const uint8_t *b, size_t len)
{
	char *s;
	json_t *v;

	if (len > (SIZE_MAX - 1) / 2)
		return NULL;
	s = malloc(2 * len + 1);
	if (!s)
		return NULL;
	px_hex_encode(s, 2 * len + 1, b, len, true);
	v = json_stringn(s, 2 * len);
	free(s);
	return v;
}

json_t *devnet_json_b64(const uint8_t *b, size_t len)
{
	struct px_buf s = PX_BUF_INIT;
	json_t *v = NULL;

	px_base64_encode(&s, b, len, PX_B64_STD, true);
	if (px_buf_ok(&s))
		v = json_stringn(s.data ? (const char *)s.data : "", s.len);
	px_buf_free(&s);
	return v;
}

json_t *devnet_json_i64(int64_t v)
{
	char s[24];

	snprintf(s, sizeof(s), "%" PRId64, v);
	return json_string(s);
}

json_t *devnet_json_time(struct px_time t)
{
	char s[PX_TIME_STR_MAX];

	if (!px_time_format(s, t))
		return json_string("0001-01-01T00:00:00Z");
	return json_string(s);
}

json_t *devnet_json_pubkey(const struct tm_pubkey *pk)
{
	return json_pack("{s:s, s:o}", "type",
			 pk->type == TM_KEY_ED25519 ? "tendermint/PubKeyEd25519" :
						      "tendermint/PubKeySecp256k1",
			 "value", devnet_json_b64(pk->bytes, pk->len));
}

json_t *devnet_json_block_id(const struct tm_block_id *id)
{
	return json_pack("{s:o, s:{s:o, s:I}}", "hash", devnet_json_hex(id->hash.b, id->hash.len),
			 "parts", "hash", devnet_json_hex(id->parts.hash.b, id->parts.hash.len),
			 "total", (json_int_t)id->parts.total);
}

static json_t *hexb(const struct tm_bytes *b)
{
	return devnet_json_hex(b->b, b->len);
}

json_t *devnet_json_header(const struct tm_header *h)
{
	char vb[24], va[24];

	snprintf(vb, sizeof(vb), "%" PRIu64, h->version_block);
	snprintf(va, sizeof(va), "%" PRIu64, h->version_app);
	return json_pack("{s:{s:s, s:s}, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
			 "s:o, s:o}",
			 "version", "block", vb, "app", va,
			 "chain_id", h->chain_id,
			 "height", devnet_json_i64(h->height),
			 "time", devnet_json_time(h->time),
			 "last_block_id", devnet_json_block_id(&h->last_block_id),
			 "last_commit_hash", hexb(&h->last_commit_hash),
			 "data_hash", hexb(&h->data_hash),
			 "validators_hash", hexb(&h->validators_hash),
			 "next_validators_hash", hexb(&h->next_validators_hash),
			 "consensus_hash", hexb(&h->consensus_hash),
			 "app_hash", hexb(&h->app_hash),
			 "last_results_hash", hexb(&h->last_results_hash),
			 "evidence_hash", hexb(&h->evidence_hash),
			 "proposer_address", hexb(&h->proposer_address));
}

static json_t *commit_sig(const struct tm_commit_sig *s)
{
	if (s->flag == TM_FLAG_ABSENT)
		return json_pack("{s:i, s:s, s:s, s:n}", "block_id_flag", (int)s->flag,
				 "validator_address", "", "timestamp", "0001-01-01T00:00:00Z",
				 "signature");
	return json_pack("{s:i, s:o, s:o, s:o}", "block_id_flag", (int)s->flag,
			 "validator_address", devnet_json_hex(s->validator_address, TM_ADDRESS_LEN),
			 "timestamp", devnet_json_time(s->timestamp),
			 "signature", devnet_json_b64(s->signature, s->signature_len));
}

json_t *devnet_json_commit(const struct tm_commit *c)
{
	json_t *sigs = json_array();

	if (!sigs)
		return NULL;
	for (size_t i = 0; i < c->len; i++) {
		if (json_array_append_new(sigs, commit_sig(&c->sigs[i])) != 0) {
			json_decref(sigs);
			return NULL;
		}
	}
	return json_pack("{s:o, s:o, s:i, s:o}", "height", devnet_json_i64(c->height), "block_id",
			 devnet_json_block_id(&c->block_id), "round", (int)c->round, "signatures",
			 sigs);
}

json_t *devnet_json_validators(const struct tm_validator_set *vs, size_t first, size_t count)
{
	json_t *arr = json_array();

	if (!arr)
		return NULL;
	for (size_t i = first; i < vs->len && i - first < count; i++) {
		const struct tm_validator *v = &vs->validators[i];
		json_t *o = json_pack("{s:o, s:o, s:o, s:o}", "address",
				      devnet_json_hex(v->address, TM_ADDRESS_LEN), "pub_key",
				      devnet_json_pubkey(&v->pub_key), "voting_power",
				      devnet_json_i64(v->voting_power), "proposer_priority",
				      devnet_json_i64(v->proposer_priority));

		if (json_array_append_new(arr, o) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

json_t *devnet_json_block(const struct devnet_block *blk)
{
	json_t *txs = json_array();

	for (size_t i = 0; txs && i < blk->n_txs; i++) {
		if (json_array_append_new(txs, devnet_json_b64(blk->txs[i].data, blk->txs[i].len))) {
			json_decref(txs);
			txs = NULL;
		}
	}
	return json_pack("{s:o, s:{s:o}, s:{s:[]}, s:o}", "header",
			 devnet_json_header(&blk->header), "data", "txs", txs, "evidence", "evidence",
			 "last_commit", devnet_json_commit(&blk->last_commit));
}
