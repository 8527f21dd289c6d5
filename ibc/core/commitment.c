/* Packet and acknowledgement commitments (v1 and v2) and the MerkleProof
 * checks built on lightclient/tendermint/abci.h's proof chain. */
#include "ibc/core/commitment.h"

#include <string.h>

#include "common/hash.h"
#include "lightclient/tendermint/abci.h"

const uint8_t ibc_v2_error_ack[IBC_COMMITMENT_LEN] = {
	0x47, 0x74, 0xd4, 0xa5, 0x75, 0x99, 0x3f, 0x96, 0x3b, 0x1c, 0x06, 0x57, 0x37, 0x36, 0x61, 0x7a,
	0x45, 0x7a, 0xbe, 0xf8, 0x58, 0x91, 0x78, 0xdb, 0x8d, 0x10, 0xc9, 0x4b, 0x4a, 0xb5, 0x11, 0xab,
};

static void be64(uint8_t out[8], uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		out[i] = (uint8_t)v;
		v >>= 8;
	}
}

void ibc_commit_packet_v1_parts(uint8_t out[IBC_COMMITMENT_LEN], uint64_t timeout_timestamp,
				struct ibc_height timeout_height, const uint8_t *data,
				size_t data_len)
{
	uint8_t pre[24 + PX_SHA256_LEN];

	be64(pre, timeout_timestamp);
	be64(pre + 8, timeout_height.revision_number);
	be64(pre + 16, timeout_height.revision_height);
	px_sha256(pre + 24, data_len ? data : (const uint8_t *)"", data_len);
	px_sha256(out, pre, sizeof(pre));
}

void ibc_commit_packet_v1(uint8_t out[IBC_COMMITMENT_LEN], const struct ibc_packet *packet)
{
	ibc_commit_packet_v1_parts(out, packet->timeout_timestamp, packet->timeout_height,
				   packet->data.ptr, packet->data.len);
}

void ibc_commit_ack_v1(uint8_t out[IBC_COMMITMENT_LEN], const uint8_t *ack, size_t ack_len)
{
	px_sha256(out, ack_len ? ack : (const uint8_t *)"", ack_len);
}

static void sha_slice(uint8_t out[PX_SHA256_LEN], struct px_slice s)
{
	px_sha256(out, s.len ? s.ptr : (const uint8_t *)"", s.len);
}

static void payload_hash(uint8_t out[PX_SHA256_LEN], const struct ibc_v2_payload *p)
{
	uint8_t h[5][PX_SHA256_LEN];

	sha_slice(h[0], p->source_port);
	sha_slice(h[1], p->destination_port);
	sha_slice(h[2], p->version);
	sha_slice(h[3], p->encoding);
	sha_slice(h[4], p->value);
	px_sha256(out, h, sizeof(h));
}

bool ibc_commit_packet_v2(struct px_err *err, uint8_t out[IBC_COMMITMENT_LEN],
			  const struct ibc_v2_packet *packet)
{
	uint8_t hashes[IBC_V2_MAX_PAYLOADS][PX_SHA256_LEN];
	uint8_t pre[1 + 3 * PX_SHA256_LEN];
	uint8_t ts[8];

	memset(out, 0, IBC_COMMITMENT_LEN);
	if (packet->payloads_len == 0 || packet->payloads_len > IBC_V2_MAX_PAYLOADS || !packet->payloads)
		return px_err_set(err, PX_E_MALFORMED, "v2 packet with %zu payloads (1-%d)",
				  packet->payloads_len, IBC_V2_MAX_PAYLOADS);
	for (size_t i = 0; i < packet->payloads_len; i++)
		payload_hash(hashes[i], &packet->payloads[i]);
	pre[0] = 0x02;
	sha_slice(pre + 1, packet->destination_client);
	be64(ts, packet->timeout_timestamp);
	px_sha256(pre + 1 + PX_SHA256_LEN, ts, sizeof(ts));
	px_sha256(pre + 1 + 2 * PX_SHA256_LEN, hashes, packet->payloads_len * PX_SHA256_LEN);
	px_sha256(out, pre, sizeof(pre));
	return true;
}

bool ibc_commit_ack_v2(struct px_err *err, uint8_t out[IBC_COMMITMENT_LEN],
		       const struct px_slice *app_acks, size_t n)
{
	uint8_t pre[1 + IBC_V2_MAX_PAYLOADS * PX_SHA256_LEN];

	memset(out, 0, IBC_COMMITMENT_LEN);
	if (n == 0 || n > IBC_V2_MAX_PAYLOADS || !app_acks)
		return px_err_set(err, PX_E_MALFORMED, "v2 acknowledgement with %zu app acks (1-%d)",
				  n, IBC_V2_MAX_PAYLOADS);
	pre[0] = 0x02;
	for (size_t i = 0; i < n; i++)
		sha_slice(pre + 1 + i * PX_SHA256_LEN, app_acks[i]);
	px_sha256(out, pre, 1 + n * PX_SHA256_LEN);
	return true;
}

bool ibc_merkle_proof_decode(struct px_err *err, struct ibc_merkle_proof *out, const uint8_t *buf,
			     size_t len)
{
	memset(out, 0, sizeof(*out));
	if (!tm_merkle_proof_split(err, &out->iavl, &out->simple, buf, len)) {
		memset(out, 0, sizeof(*out));
		return false;
	}
	return true;
}

static bool check_args(struct px_err *err, const struct ibc_merkle_path *path,
		       const struct ibc_merkle_proof *proof)
{
	size_t plen;

	if (!path || !proof)
		return px_err_set(err, PX_E_INTERNAL, "ibc verify: missing path or proof");
	plen = strnlen(path->prefix, sizeof(path->prefix));
	if (plen == 0 || plen >= sizeof(path->prefix))
		return px_err_set(err, PX_E_MALFORMED, "merkle path: empty prefix");
	if (path->key.len == 0 || path->key.len >= IBC_PATH_MAX)
		return px_err_set(err, PX_E_MALFORMED, "merkle path: empty key");
	if (proof->iavl.len == 0 || proof->simple.len == 0)
		return px_err_set(err, PX_E_PROOF_SHAPE, "merkle proof: empty commitment proof");
	return true;
}

static bool chain(struct px_err *err, const uint8_t *app_hash, size_t app_hash_len,
		  const struct ibc_merkle_path *path, const uint8_t *value, size_t value_len,
		  const struct ibc_merkle_proof *proof)
{
	struct tm_abci_result res;

	if (!check_args(err, path, proof))
		return false;
	if (!tm_abci_verify(err, &res, app_hash, app_hash_len, (const uint8_t *)path->prefix,
			    strlen(path->prefix), (const uint8_t *)path->key.s, path->key.len, value,
			    value_len, proof->iavl.ptr, proof->iavl.len, proof->simple.ptr,
			    proof->simple.len)) {
		px_err_prefix(err, "%s/%s: ", path->prefix, path->key.s);
		return false;
	}
	return true;
}

bool ibc_verify_membership(struct px_err *err, const uint8_t *app_hash, size_t app_hash_len,
			   const struct ibc_merkle_path *path, const uint8_t *value,
			   size_t value_len, const struct ibc_merkle_proof *proof)
{
	if (!value || value_len == 0)
		return px_err_set(err, PX_E_MALFORMED, "membership of an empty value");
	return chain(err, app_hash, app_hash_len, path, value, value_len, proof);
}

bool ibc_verify_non_membership(struct px_err *err, const uint8_t *app_hash, size_t app_hash_len,
			       const struct ibc_merkle_path *path,
			       const struct ibc_merkle_proof *proof)
{
	return chain(err, app_hash, app_hash_len, path, NULL, 0, proof);
}

bool ibc_verify_packet_commitment(struct px_err *err, const uint8_t *app_hash,
				  size_t app_hash_len, const char *prefix,
				  const struct ibc_packet *packet,
				  const struct ibc_merkle_proof *proof)
{
	struct ibc_merkle_path mp;
	struct ibc_path key;
	uint8_t value[IBC_COMMITMENT_LEN];

	if (!ibc_path_packet_commitment(err, &key, packet->source_port, packet->source_channel,
					packet->sequence) ||
	    !ibc_merkle_path_make(err, &mp, prefix, &key))
		return false;
	ibc_commit_packet_v1(value, packet);
	return ibc_verify_membership(err, app_hash, app_hash_len, &mp, value, sizeof(value),
				     proof);
}

bool ibc_verify_packet_ack(struct px_err *err, const uint8_t *app_hash, size_t app_hash_len,
			   const char *prefix, const struct ibc_packet *packet, const uint8_t *ack,
			   size_t ack_len, const struct ibc_merkle_proof *proof)
{
	struct ibc_merkle_path mp;
	struct ibc_path key;
	uint8_t value[IBC_COMMITMENT_LEN];

	if (ack_len == 0)
		return px_err_set(err, PX_E_MALFORMED, "empty acknowledgement");
	if (!ibc_path_packet_ack(err, &key, packet->destination_port,
				 packet->destination_channel, packet->sequence) ||
	    !ibc_merkle_path_make(err, &mp, prefix, &key))
		return false;
	ibc_commit_ack_v1(value, ack, ack_len);
	return ibc_verify_membership(err, app_hash, app_hash_len, &mp, value, sizeof(value),
				     proof);
}

bool ibc_verify_packet_receipt_absence(struct px_err *err, const uint8_t *app_hash,
				       size_t app_hash_len, const char *prefix,
				       const struct ibc_packet *packet,
				       const struct ibc_merkle_proof *proof)
{
	struct ibc_merkle_path mp;
	struct ibc_path key;

	if (!ibc_path_packet_receipt(err, &key, packet->destination_port,
				     packet->destination_channel, packet->sequence) ||
	    !ibc_merkle_path_make(err, &mp, prefix, &key))
		return false;
	return ibc_verify_non_membership(err, app_hash, app_hash_len, &mp, proof);
}

bool ibc_verify_next_sequence_recv(struct px_err *err, const uint8_t *app_hash,
				   size_t app_hash_len, const char *prefix,
				   const struct ibc_packet *packet, uint64_t next_seq,
				   const struct ibc_merkle_proof *proof)
{
	struct ibc_merkle_path mp;
	struct ibc_path key;
	uint8_t value[8];

	if (!ibc_path_next_sequence_recv(err, &key, packet->destination_port,
					 packet->destination_channel) ||
	    !ibc_merkle_path_make(err, &mp, prefix, &key))
		return false;
	be64(value, next_seq);
	return ibc_verify_membership(err, app_hash, app_hash_len, &mp, value, sizeof(value),
				     proof);
}
