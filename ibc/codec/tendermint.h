/* ibc.lightclients.tendermint.v1 (07-tendermint): ClientState,
 * ConsensusState, Header and Misbehaviour. ClientState and ConsensusState
 * map to the structs of ibc/types.h; Header embeds the CometBFT types of
 * cometbft.h. See base.h for the wire rules.
 *
 * ClientState.proof_specs must each be byte for byte a spec that
 * lightclient/ics23 knows (iavl, tendermint, smt: what ibc-go's
 * GetSDKSpecs writes); they decode to those names. ConsensusState's
 * next_validators_hash must be 32 bytes and its root at most 32.
 *
 * Memory: a decoded Header owns the commit signatures and both validator
 * lists; ibc_tm_header_free / ibc_tm_misbehaviour_free release them. */
#ifndef PX_IBC_CODEC_TENDERMINT_H
#define PX_IBC_CODEC_TENDERMINT_H

#include "ibc/codec/base.h"
#include "ibc/codec/cometbft.h"

/* Every embedded message here except trusted_height is nullable. */
struct ibc_tm_header {
	bool has_signed_header;
	struct ibc_cmt_signed_header signed_header;
	bool has_validator_set;
	struct ibc_cmt_validator_set validator_set;
	struct ibc_height trusted_height;
	bool has_trusted_validators;
	struct ibc_cmt_validator_set trusted_validators;
};

struct ibc_tm_misbehaviour {
	char client_id[IBC_ID_MAX + 1];		/* deprecated, usually empty */
	bool has_header_1;
	struct ibc_tm_header header_1;
	bool has_header_2;
	struct ibc_tm_header header_2;
};

bool ibc_tm_client_state_decode(struct px_err *err, struct ibc_tm_client_state *out,
				const uint8_t *buf, size_t len) PX_MUST_CHECK;
bool ibc_tm_client_state_encode(struct px_err *err, struct px_buf *out,
				const struct ibc_tm_client_state *in) PX_MUST_CHECK;
bool ibc_tm_consensus_state_decode(struct px_err *err, struct ibc_tm_consensus_state *out,
				   const uint8_t *buf, size_t len) PX_MUST_CHECK;
bool ibc_tm_consensus_state_encode(struct px_err *err, struct px_buf *out,
				   const struct ibc_tm_consensus_state *in) PX_MUST_CHECK;
bool ibc_tm_header_decode(struct px_err *err, struct ibc_tm_header *out, const uint8_t *buf,
			  size_t len) PX_MUST_CHECK;
bool ibc_tm_header_encode(struct px_err *err, struct px_buf *out,
			  const struct ibc_tm_header *in) PX_MUST_CHECK;
bool ibc_tm_misbehaviour_decode(struct px_err *err, struct ibc_tm_misbehaviour *out,
				const uint8_t *buf, size_t len) PX_MUST_CHECK;
bool ibc_tm_misbehaviour_encode(struct px_err *err, struct px_buf *out,
				const struct ibc_tm_misbehaviour *in) PX_MUST_CHECK;

void ibc_tm_header_free(struct ibc_tm_header *h);
void ibc_tm_misbehaviour_free(struct ibc_tm_misbehaviour *m);

/* Readers and writers for msg.c. */
void ibc_tm_client_state_read(struct px_cursor *c, struct ibc_where *w, void *out);
void ibc_tm_client_state_write(struct ibc_writer *w, const void *in);
void ibc_tm_consensus_state_read(struct px_cursor *c, struct ibc_where *w, void *out);
void ibc_tm_consensus_state_write(struct ibc_writer *w, const void *in);
void ibc_tm_header_read(struct px_cursor *c, struct ibc_where *w, void *out);
void ibc_tm_header_write(struct ibc_writer *w, const void *in);
void ibc_tm_misbehaviour_read(struct px_cursor *c, struct ibc_where *w, void *out);
void ibc_tm_misbehaviour_write(struct ibc_writer *w, const void *in);

#endif
