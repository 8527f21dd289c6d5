/* Block building and CometBFT's block encodings (see block.h). Encodings
 * follow the gogoproto Marshal of cometbft/proto/tendermint/types:
 * zero scalars and empty bytes are left out, non-nullable messages
 * (version, time, block ids, data, evidence) are always written. */
#include "chains/devnet/block.h"

#include <stdlib.h>
#include <string.h>

#include "common/hash.h"
#include "common/protobuf.h"
#include "lightclient/tendermint/hash.h"

/* Go's zero time.Time as a protobuf Timestamp (0001-01-01T00:00:00Z): what
 * an absent CommitSig carries. */
#define GO_ZERO_TIME_SECONDS (-62135596800LL)

static void put_message(struct px_buf *b, uint32_t field, const struct px_buf *sub)
{
	px_pb_put_bytes(b, field, sub->data, sub->len);
	if (!px_buf_ok(sub))
		b->failed = true;
}

static void put_tm_bytes(struct px_buf *b, uint32_t field, const struct tm_bytes *v)
{
	if (v->len)
		px_pb_put_bytes(b, field, v->b, v->len);
}

void devnet_consensus_hash(uint8_t out[TM_HASH_LEN], int64_t max_bytes, int64_t max_gas)
{
	struct px_buf b = PX_BUF_INIT;

	if (max_bytes)
		px_pb_put_int64(&b, 1, max_bytes);
	if (max_gas)
		px_pb_put_int64(&b, 2, max_gas);
	/* Two varints fit in the first allocation or the process aborts on
	 * a broken allocator: hashing a failed buffer would hash nothing. */
	px_sha256(out, px_buf_ok(&b) ? b.data : NULL, px_buf_ok(&b) ? b.len : 0);
	px_buf_free(&b);
}

static void commit_sig_encode(struct px_buf *b, const struct tm_commit_sig *s)
{
	struct px_buf ts = PX_BUF_INIT;
	struct px_time t = s->timestamp;

	if (s->flag == TM_FLAG_ABSENT && t.seconds == 0 && t.nanos == 0)
		t.seconds = GO_ZERO_TIME_SECONDS;
	px_pb_put_uint64(b, 1, (uint64_t)s->flag);
	if (s->flag != TM_FLAG_ABSENT)
		px_pb_put_bytes(b, 2, s->validator_address, TM_ADDRESS_LEN);
	tm_timestamp_encode(&ts, t);
	put_message(b, 3, &ts);
	if (s->signature_len)
		px_pb_put_bytes(b, 4, s->signature, s->signature_len);
	px_buf_free(&ts);
}

bool devnet_commit_hash(struct px_err *err, uint8_t out[TM_HASH_LEN], const struct tm_commit *c)
{
	struct px_buf all = PX_BUF_INIT;
	struct px_iov *leaves = NULL;
	size_t *ends = NULL;
	bool ok = false;

	memset(out, 0, TM_HASH_LEN);
	if (c->len) {
		leaves = calloc(c->len, sizeof(*leaves));
		ends = calloc(c->len, sizeof(*ends));
		if (!leaves || !ends)
			goto out;
	}
	for (size_t i = 0; i < c->len; i++) {
		commit_sig_encode(&all, &c->sigs[i]);
		ends[i] = all.len;
	}
	if (!px_buf_ok(&all))
		goto out;
	for (size_t i = 0; i < c->len; i++) {
		size_t start = i ? ends[i - 1] : 0;

		leaves[i] = (struct px_iov){ all.data + start, ends[i] - start };
	}
	tm_merkle_root(out, leaves, c->len);
	ok = true;
out:
	if (!ok)
		px_err_set(err, PX_E_NOMEM, "commit hash: out of memory");
	free(leaves);
	free(ends);
	px_buf_free(&all);
	return ok;
}

void devnet_header_encode(struct px_buf *b, const struct tm_header *h)
{
	struct px_buf sub = PX_BUF_INIT;
	size_t clen = strlen(h->chain_id);

	if (h->version_block)
		px_pb_put_uint64(&sub, 1, h->version_block);
	if (h->version_app)
		px_pb_put_uint64(&sub, 2, h->version_app);
	put_message(b, 1, &sub);
	if (clen)
		px_pb_put_bytes(b, 2, (const uint8_t *)h->chain_id, clen);
	if (h->height)
		px_pb_put_int64(b, 3, h->height);
	px_buf_reset(&sub);
	tm_timestamp_encode(&sub, h->time);
	put_message(b, 4, &sub);
	px_buf_reset(&sub);
	tm_block_id_encode(&sub, &h->last_block_id);
	put_message(b, 5, &sub);
	put_tm_bytes(b, 6, &h->last_commit_hash);
	put_tm_bytes(b, 7, &h->data_hash);
	put_tm_bytes(b, 8, &h->validators_hash);
	put_tm_bytes(b, 9, &h->next_validators_hash);
	put_tm_bytes(b, 10, &h->consensus_hash);
	put_tm_bytes(b, 11, &h->app_hash);
	put_tm_bytes(b, 12, &h->last_results_hash);
	put_tm_bytes(b, 13, &h->evidence_hash);
	put_tm_bytes(b, 14, &h->proposer_address);
	px_buf_free(&sub);
}

void devnet_commit_encode(struct px_buf *b, const struct tm_commit *c)
{
	struct px_buf sub = PX_BUF_INIT;

	if (c->height)
		px_pb_put_int64(b, 1, c->height);
	if (c->round)
		px_pb_put_int64(b, 2, c->round);
	tm_block_id_encode(&sub, &c->block_id);
	put_message(b, 3, &sub);
	for (size_t i = 0; i < c->len; i++) {
		px_buf_reset(&sub);
		commit_sig_encode(&sub, &c->sigs[i]);
		put_message(b, 4, &sub);
	}
	px_buf_free(&sub);
}

void devnet_block_encode(struct px_buf *b, const struct devnet_block *blk)
{
	struct px_buf sub = PX_BUF_INIT;

	devnet_header_encode(&sub, &blk->header);
	put_message(b, 1, &sub);
	px_buf_reset(&sub);
	for (size_t i = 0; i < blk->n_txs; i++)	/* Data{txs = 1} */
		px_pb_put_bytes(&sub, 1, blk->txs[i].data, blk->txs[i].len);
	put_message(b, 2, &sub);
	px_pb_put_bytes(b, 3, NULL, 0);	/* EvidenceList{} */
	px_buf_reset(&sub);
	devnet_commit_encode(&sub, &blk->last_commit);
	put_message(b, 4, &sub);
	px_buf_free(&sub);
}

bool devnet_block_seal(struct px_err *err, struct devnet_block *blk)
{
	struct px_buf enc = PX_BUF_INIT;
	struct px_iov *parts = NULL;
	size_t n;
	bool ok = false;

	memset(&blk->block_id, 0, sizeof(blk->block_id));
	devnet_block_encode(&enc, blk);
	if (!px_buf_ok(&enc))
		goto out;
	n = (enc.len + DEVNET_BLOCK_PART_SIZE - 1) / DEVNET_BLOCK_PART_SIZE;
	parts = calloc(n ? n : 1, sizeof(*parts));
	if (!parts)
		goto out;
	for (size_t i = 0; i < n; i++) {
		size_t off = i * DEVNET_BLOCK_PART_SIZE;
		size_t len = enc.len - off < DEVNET_BLOCK_PART_SIZE ? enc.len - off :
								       DEVNET_BLOCK_PART_SIZE;

		parts[i] = (struct px_iov){ enc.data + off, len };
	}
	tm_merkle_root(blk->block_id.parts.hash.b, parts, n);
	blk->block_id.parts.hash.len = TM_HASH_LEN;
	blk->block_id.parts.total = (uint32_t)n;
	if (!tm_header_hash(err, blk->block_id.hash.b, &blk->header)) {
		px_err_set(err, PX_E_INTERNAL, "header hash: no validators hash");
		memset(&blk->block_id, 0, sizeof(blk->block_id));
		goto out;
	}
	blk->block_id.hash.len = TM_HASH_LEN;
	blk->size = enc.len;
	ok = true;
out:
	if (!ok)
		px_err_set(err, PX_E_NOMEM, "block encoding: out of memory");
	free(parts);
	px_buf_free(&enc);
	return ok;
}

bool devnet_txs_hash(struct px_err *err, uint8_t out[TM_HASH_LEN], const struct devnet_tx *txs,
		     size_t n)
{
	uint8_t(*hashes)[TM_HASH_LEN] = n ? calloc(n, TM_HASH_LEN) : NULL;
	struct px_iov *leaves = n ? calloc(n, sizeof(*leaves)) : NULL;

	if (n && (!hashes || !leaves)) {
		free(hashes);
		free(leaves);
		return px_err_set(err, PX_E_NOMEM, "txs hash: out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		px_sha256(hashes[i], txs[i].data, txs[i].len);
		leaves[i] = (struct px_iov){ hashes[i], TM_HASH_LEN };
	}
	tm_merkle_root(out, leaves, n);
	free(hashes);
	free(leaves);
	return true;
}

static void set_hash(struct tm_bytes *out, const uint8_t h[TM_HASH_LEN])
{
	memcpy(out->b, h, TM_HASH_LEN);
	out->len = TM_HASH_LEN;
}

bool devnet_block_make(struct px_err *err, struct devnet_block *out,
		       const struct devnet_block_params *p)
{
	struct tm_header *h = &out->header;
	uint8_t hash[TM_HASH_LEN];

	memset(out, 0, sizeof(*out));
	if (strlen(p->chain_id) > TM_MAX_CHAIN_ID || p->height <= 0 ||
	    p->app_hash_len > TM_MAX_BYTES || !p->validators || !p->validators->len ||
	    !p->next_validators || !p->next_validators->len)
		return px_err_set(err, PX_E_USAGE, "block: bad parameters for height %lld",
				  (long long)p->height);
	h->version_block = DEVNET_BLOCK_VERSION;
	h->version_app = p->version_app;
	memcpy(h->chain_id, p->chain_id, strlen(p->chain_id) + 1);
	h->height = p->height;
	h->time = p->time;
	if (p->last_block_id)
		h->last_block_id = *p->last_block_id;
	if (p->last_commit && !tm_commit_copy(err, &out->last_commit, p->last_commit))
		goto fail;
	if (!devnet_commit_hash(err, hash, &out->last_commit))
		goto fail;
	set_hash(&h->last_commit_hash, hash);
	if (p->n_txs) {
		out->txs = calloc(p->n_txs, sizeof(*out->txs));
		if (!out->txs) {
			px_err_set(err, PX_E_NOMEM, "block: out of memory");
			goto fail;
		}
		for (size_t i = 0; i < p->n_txs; i++) {
			out->txs[i].data = malloc(p->txs[i].len ? p->txs[i].len : 1);
			if (!out->txs[i].data) {
				px_err_set(err, PX_E_NOMEM, "block: out of memory");
				goto fail;
			}
			memcpy(out->txs[i].data, p->txs[i].data, p->txs[i].len);
			out->txs[i].len = p->txs[i].len;
			out->n_txs++;
		}
	}
	if (!devnet_txs_hash(err, hash, out->txs, out->n_txs))
		goto fail;
	set_hash(&h->data_hash, hash);
	px_sha256(hash, NULL, 0);	/* no evidence */
	set_hash(&h->evidence_hash, hash);
	if (p->last_results_hash)
		memcpy(hash, p->last_results_hash, TM_HASH_LEN);
	set_hash(&h->last_results_hash, hash);
	if (!tm_validator_set_hash(err, hash, p->validators))
		goto fail;
	set_hash(&h->validators_hash, hash);
	if (!tm_validator_set_hash(err, hash, p->next_validators))
		goto fail;
	set_hash(&h->next_validators_hash, hash);
	devnet_consensus_hash(hash, p->max_bytes, p->max_gas);
	set_hash(&h->consensus_hash, hash);
	if (p->app_hash_len)
		memcpy(h->app_hash.b, p->app_hash, p->app_hash_len);
	h->app_hash.len = p->app_hash_len;
	memcpy(h->proposer_address.b, p->proposer, TM_ADDRESS_LEN);
	h->proposer_address.len = TM_ADDRESS_LEN;
	if (!devnet_block_seal(err, out))
		goto fail;
	return true;
fail:
	devnet_block_free(out);
	return false;
}

void devnet_block_free(struct devnet_block *blk)
{
	for (size_t i = 0; i < blk->n_txs; i++)
		free(blk->txs[i].data);
	free(blk->txs);
	tm_commit_free(&blk->last_commit);
	memset(blk, 0, sizeof(*blk));
}

static const struct devnet_key *key_for(const struct devnet_key *keys, size_t n,
					const uint8_t address[TM_ADDRESS_LEN])
{
	for (size_t i = 0; i < n; i++) {
		if (memcmp(keys[i].address, address, TM_ADDRESS_LEN) == 0)
			return &keys[i];
	}
	return NULL;
}

bool devnet_commit_make(struct px_err *err, struct tm_commit *out, const char *chain_id,
			const struct devnet_block *blk, const struct tm_validator_set *vs,
			const struct devnet_key *keys, size_t n_keys, struct px_time ts)
{
	struct px_buf msg = PX_BUF_INIT;

	memset(out, 0, sizeof(*out));
	if (!vs->len || vs->len > TM_MAX_VALIDATORS)
		return px_err_set(err, PX_E_USAGE, "commit: %zu validators", vs->len);
	out->sigs = calloc(vs->len, sizeof(*out->sigs));
	if (!out->sigs)
		return px_err_set(err, PX_E_NOMEM, "commit: out of memory");
	out->len = vs->len;
	out->height = blk->header.height;
	out->round = 0;
	out->block_id = blk->block_id;
	for (size_t i = 0; i < vs->len; i++) {
		struct tm_commit_sig *s = &out->sigs[i];
		const struct devnet_key *k = key_for(keys, n_keys, vs->validators[i].address);

		if (!k) {
			px_err_set(err, PX_E_CONFIG, "commit: no key for validator %zu", i);
			goto fail;
		}
		s->flag = TM_FLAG_COMMIT;
		memcpy(s->validator_address, k->address, TM_ADDRESS_LEN);
		s->timestamp = ts;
		px_buf_reset(&msg);
		tm_commit_sign_bytes(&msg, chain_id, out, i);
		if (!px_buf_ok(&msg)) {
			px_err_set(err, PX_E_NOMEM, "commit: out of memory");
			goto fail;
		}
		if (!devnet_key_sign(err, s->signature, k, msg.data, msg.len))
			goto fail;
		s->signature_len = TM_SIGNATURE_LEN;
	}
	px_buf_free(&msg);
	return true;
fail:
	px_buf_free(&msg);
	tm_commit_free(out);
	return false;
}
