/* CometBFT protobuf (tendermint.types, tendermint.version,
 * tendermint.crypto) to and from the light client's structs in
 * lightclient/tendermint/types.h: Consensus, PartSetHeader, BlockID,
 * Header, CommitSig, Commit, SignedHeader, PublicKey, Validator and
 * ValidatorSet, as a 07-tendermint Header carries them.
 *
 * The structs cannot hold everything the wire can, so decoding refuses what
 * they cannot represent and CometBFT would reject anyway: a validator
 * address that is not 20 bytes, a public key that is neither a 32-byte
 * ed25519 nor a 33-byte secp256k1 key (or has both), a CommitSig whose
 * flag is not ABSENT/COMMIT/NIL, an ABSENT CommitSig with an address, or a
 * COMMIT/NIL one without a 20-byte address. Hash-like fields hold at most
 * TM_MAX_BYTES. Validators keep their wire order (a header's sets are
 * hashed in that order; tm_validator_set_normalize sorts a copy when a
 * verifier needs it). See base.h for the wire rules.
 *
 * Memory: a decoded Commit owns sigs and a decoded ValidatorSet owns
 * validators (malloc); ibc_cmt_*_free release them and zero the struct.
 * Encoders do not take ownership. */
#ifndef PX_IBC_CODEC_COMETBFT_H
#define PX_IBC_CODEC_COMETBFT_H

#include "ibc/codec/base.h"
#include "lightclient/tendermint/types.h"

/* tendermint.types.ValidatorSet. set.total_power is not on the wire: the
 * decoder sets it to the sum of the validators' powers (refusing negative
 * powers and sums past TM_MAX_TOTAL_POWER); total_voting_power is the wire
 * field, which CometBFT's ToProto writes as 0. The proposer is nullable. */
struct ibc_cmt_validator_set {
	struct tm_validator_set set;	/* validators owned */
	bool has_proposer;
	struct tm_validator proposer;
	int64_t total_voting_power;
};

/* tendermint.types.SignedHeader: header and commit are nullable. */
struct ibc_cmt_signed_header {
	bool has_header;
	bool has_commit;
	struct tm_signed_header sh;	/* sh.commit.sigs owned */
};

bool ibc_cmt_header_decode(struct px_err *err, struct tm_header *out, const uint8_t *buf,
			   size_t len) PX_MUST_CHECK;
bool ibc_cmt_header_encode(struct px_err *err, struct px_buf *out,
			   const struct tm_header *in) PX_MUST_CHECK;
bool ibc_cmt_block_id_decode(struct px_err *err, struct tm_block_id *out, const uint8_t *buf,
			     size_t len) PX_MUST_CHECK;
bool ibc_cmt_block_id_encode(struct px_err *err, struct px_buf *out,
			     const struct tm_block_id *in) PX_MUST_CHECK;
bool ibc_cmt_commit_decode(struct px_err *err, struct tm_commit *out, const uint8_t *buf,
			   size_t len) PX_MUST_CHECK;
bool ibc_cmt_commit_encode(struct px_err *err, struct px_buf *out,
			   const struct tm_commit *in) PX_MUST_CHECK;
bool ibc_cmt_signed_header_decode(struct px_err *err, struct ibc_cmt_signed_header *out,
				  const uint8_t *buf, size_t len) PX_MUST_CHECK;
bool ibc_cmt_signed_header_encode(struct px_err *err, struct px_buf *out,
				  const struct ibc_cmt_signed_header *in) PX_MUST_CHECK;
bool ibc_cmt_validator_decode(struct px_err *err, struct tm_validator *out, const uint8_t *buf,
			      size_t len) PX_MUST_CHECK;
bool ibc_cmt_validator_encode(struct px_err *err, struct px_buf *out,
			      const struct tm_validator *in) PX_MUST_CHECK;
bool ibc_cmt_validator_set_decode(struct px_err *err, struct ibc_cmt_validator_set *out,
				  const uint8_t *buf, size_t len) PX_MUST_CHECK;
bool ibc_cmt_validator_set_encode(struct px_err *err, struct px_buf *out,
				  const struct ibc_cmt_validator_set *in) PX_MUST_CHECK;

void ibc_cmt_signed_header_free(struct ibc_cmt_signed_header *sh);
void ibc_cmt_validator_set_free(struct ibc_cmt_validator_set *vs);

/* Readers and writers for tendermint.c. */
void ibc_cmt_signed_header_read(struct px_cursor *c, struct ibc_where *w, void *out);
void ibc_cmt_signed_header_write(struct ibc_writer *w, const void *in);
void ibc_cmt_validator_set_read(struct px_cursor *c, struct ibc_where *w, void *out);
void ibc_cmt_validator_set_write(struct ibc_writer *w, const void *in);

#endif
