/* CometBFT hashing and sign bytes. The header hash is the Merkle root of
 * the header's fields, each encoded as CometBFT encodes it: small protobuf
 * messages for version, time and last block id, and the gogoproto wrapper
 * types (StringValue, Int64Value, BytesValue: field 1, omitted when empty
 * or zero) for the rest. */
#include "lightclient/tendermint/hash.h"

#include <stdlib.h>
#include <string.h>

#include "common/protobuf.h"

void tm_merkle_leaf_hash(uint8_t out[TM_HASH_LEN], const uint8_t *leaf, size_t len)
{
	static const uint8_t prefix = 0x00;
	struct px_iov iov[2] = { { &prefix, 1 }, { leaf, len } };

	px_sha256_iov(out, iov, 2);
}

void tm_merkle_inner_hash(uint8_t out[TM_HASH_LEN], const uint8_t left[TM_HASH_LEN],
			  const uint8_t right[TM_HASH_LEN])
{
	uint8_t buf[1 + 2 * TM_HASH_LEN];

	buf[0] = 0x01;
	memcpy(buf + 1, left, TM_HASH_LEN);
	memcpy(buf + 1 + TM_HASH_LEN, right, TM_HASH_LEN);
	px_sha256(out, buf, sizeof(buf));
}

static size_t split_point(size_t n)
{
	size_t k = 1;

	while (k * 2 < n)
		k *= 2;
	return k;
}

void tm_merkle_root(uint8_t out[TM_HASH_LEN], const struct px_iov *leaves, size_t n)
{
	uint8_t l[TM_HASH_LEN], r[TM_HASH_LEN];
	size_t k;

	if (n == 0) {
		px_sha256(out, NULL, 0);
		return;
	}
	if (n == 1) {
		tm_merkle_leaf_hash(out, leaves[0].ptr, leaves[0].len);
		return;
	}
	k = split_point(n);
	tm_merkle_root(l, leaves, k);
	tm_merkle_root(r, leaves + k, n - k);
	tm_merkle_inner_hash(out, l, r);
}

void tm_timestamp_encode(struct px_buf *b, struct px_time t)
{
	if (t.seconds != 0)
		px_pb_put_int64(b, 1, t.seconds);
	if (t.nanos != 0)
		px_pb_put_int64(b, 2, t.nanos);
}

static void part_set_header_encode(struct px_buf *b, const struct tm_part_set_header *p)
{
	if (p->total)
		px_pb_put_uint64(b, 1, p->total);
	if (p->hash.len)
		px_pb_put_bytes(b, 2, p->hash.b, p->hash.len);
}

/* BlockID: hash (1) and the non-nullable PartSetHeader (2), which is
 * written even when empty. */
void tm_block_id_encode(struct px_buf *b, const struct tm_block_id *id)
{
	struct px_buf psh = PX_BUF_INIT;

	if (id->hash.len)
		px_pb_put_bytes(b, 1, id->hash.b, id->hash.len);
	part_set_header_encode(&psh, &id->parts);
	px_pb_put_bytes(b, 2, psh.data, psh.len);
	if (!px_buf_ok(&psh))
		b->failed = true;
	px_buf_free(&psh);
}

static void bytes_value(struct px_buf *b, const struct tm_bytes *v)
{
	if (v->len)
		px_pb_put_bytes(b, 1, v->b, v->len);
}

bool tm_header_hash(struct px_err *err, uint8_t out[TM_HASH_LEN], const struct tm_header *h)
{
	struct px_buf f[14];
	struct px_iov leaves[14];
	size_t clen = strlen(h->chain_id);
	bool ok = true;

	memset(out, 0, TM_HASH_LEN);
	if (h->validators_hash.len == 0)
		return false;
	for (int i = 0; i < 14; i++)
		px_buf_init(&f[i]);
	if (h->version_block)
		px_pb_put_uint64(&f[0], 1, h->version_block);
	if (h->version_app)
		px_pb_put_uint64(&f[0], 2, h->version_app);
	if (clen)
		px_pb_put_bytes(&f[1], 1, (const uint8_t *)h->chain_id, clen);
	if (h->height)
		px_pb_put_int64(&f[2], 1, h->height);
	tm_timestamp_encode(&f[3], h->time);
	tm_block_id_encode(&f[4], &h->last_block_id);
	bytes_value(&f[5], &h->last_commit_hash);
	bytes_value(&f[6], &h->data_hash);
	bytes_value(&f[7], &h->validators_hash);
	bytes_value(&f[8], &h->next_validators_hash);
	bytes_value(&f[9], &h->consensus_hash);
	bytes_value(&f[10], &h->app_hash);
	bytes_value(&f[11], &h->last_results_hash);
	bytes_value(&f[12], &h->evidence_hash);
	bytes_value(&f[13], &h->proposer_address);
	for (int i = 0; i < 14; i++) {
		ok = ok && px_buf_ok(&f[i]);
		leaves[i].ptr = f[i].data;
		leaves[i].len = f[i].len;
	}
	if (ok)
		tm_merkle_root(out, leaves, 14);
	else
		px_err_set(err, PX_E_NOMEM, "header hash: out of memory");
	for (int i = 0; i < 14; i++)
		px_buf_free(&f[i]);
	return ok;
}

/* SimpleValidator { PublicKey pub_key = 1; int64 voting_power = 2; } with
 * PublicKey a oneof: ed25519 = 1, secp256k1 = 2. */
static void simple_validator_encode(struct px_buf *b, const struct tm_validator *v)
{
	uint8_t pk[2 + 33];
	size_t n = 0;

	pk[n++] = (uint8_t)((v->pub_key.type == TM_KEY_ED25519 ? 1 : 2) << 3 | PX_WIRE_LEN);
	pk[n++] = (uint8_t)v->pub_key.len;
	memcpy(pk + n, v->pub_key.bytes, v->pub_key.len);
	n += v->pub_key.len;
	px_pb_put_bytes(b, 1, pk, n);
	if (v->voting_power)
		px_pb_put_int64(b, 2, v->voting_power);
}

bool tm_validator_set_hash(struct px_err *err, uint8_t out[TM_HASH_LEN],
			   const struct tm_validator_set *vs)
{
	struct px_buf all = PX_BUF_INIT;
	struct px_iov *leaves = NULL;
	size_t *ends = NULL;
	bool ok = false;

	memset(out, 0, TM_HASH_LEN);
	if (vs->len) {
		leaves = calloc(vs->len, sizeof(*leaves));
		ends = calloc(vs->len, sizeof(*ends));
		if (!leaves || !ends)
			goto out;
	}
	for (size_t i = 0; i < vs->len; i++) {
		simple_validator_encode(&all, &vs->validators[i]);
		ends[i] = all.len;
	}
	if (!px_buf_ok(&all))
		goto out;
	for (size_t i = 0; i < vs->len; i++) {
		size_t start = i ? ends[i - 1] : 0;

		leaves[i].ptr = all.data + start;
		leaves[i].len = ends[i] - start;
	}
	tm_merkle_root(out, leaves, vs->len);
	ok = true;
out:
	if (!ok)
		px_err_set(err, PX_E_NOMEM, "validator set hash: out of memory");
	free(leaves);
	free(ends);
	px_buf_free(&all);
	return ok;
}

bool tm_block_id_is_zero(const struct tm_block_id *id)
{
	return id->hash.len == 0 && id->parts.total == 0 && id->parts.hash.len == 0;
}

static bool bytes_equal(const struct tm_bytes *a, const struct tm_bytes *b)
{
	return a->len == b->len && memcmp(a->b, b->b, a->len) == 0;
}

bool tm_block_id_equal(const struct tm_block_id *a, const struct tm_block_id *b)
{
	return bytes_equal(&a->hash, &b->hash) && a->parts.total == b->parts.total &&
	       bytes_equal(&a->parts.hash, &b->parts.hash);
}

void tm_vote_sign_bytes(struct px_buf *out, const char *chain_id, enum tm_vote_type type,
			int64_t height, int64_t round, const struct tm_block_id *block_id,
			struct px_time timestamp)
{
	struct px_buf msg = PX_BUF_INIT;
	struct px_buf sub = PX_BUF_INIT;
	size_t clen = strlen(chain_id);

	if (type)
		px_pb_put_uint64(&msg, 1, (uint64_t)type);
	if (height)
		px_pb_put_sfixed64(&msg, 2, height);
	if (round)
		px_pb_put_sfixed64(&msg, 3, round);
	if (block_id && !tm_block_id_is_zero(block_id)) {
		/* CanonicalBlockID: hash (1), CanonicalPartSetHeader (2,
		 * always written) */
		if (block_id->hash.len)
			px_pb_put_bytes(&sub, 1, block_id->hash.b, block_id->hash.len);
		{
			struct px_buf psh = PX_BUF_INIT;

			part_set_header_encode(&psh, &block_id->parts);
			px_pb_put_bytes(&sub, 2, psh.data, psh.len);
			if (!px_buf_ok(&psh))
				sub.failed = true;
			px_buf_free(&psh);
		}
		px_pb_put_bytes(&msg, 4, sub.data, sub.len);
	}
	px_buf_reset(&sub);
	tm_timestamp_encode(&sub, timestamp);
	px_pb_put_bytes(&msg, 5, sub.data, sub.len);
	if (clen)
		px_pb_put_bytes(&msg, 6, (const uint8_t *)chain_id, clen);
	if (!px_buf_ok(&msg) || !px_buf_ok(&sub))
		out->failed = true;
	px_pb_put_varint(out, msg.len);
	px_buf_append(out, msg.data, msg.len);
	px_buf_free(&msg);
	px_buf_free(&sub);
}

void tm_commit_sign_bytes(struct px_buf *out, const char *chain_id, const struct tm_commit *c,
			  size_t idx)
{
	const struct tm_commit_sig *s = &c->sigs[idx];
	struct tm_block_id nil;

	memset(&nil, 0, sizeof(nil));
	tm_vote_sign_bytes(out, chain_id, TM_VOTE_PRECOMMIT, c->height, c->round,
			   s->flag == TM_FLAG_COMMIT ? &c->block_id : &nil, s->timestamp);
}
