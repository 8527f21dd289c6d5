/* Cosmos SDK transactions (cosmos.tx.v1beta1): TxRaw, TxBody, AuthInfo,
 * SignerInfo, ModeInfo, Fee, Tip, Coin, Any and SignDoc, encoded byte for
 * byte as the SDK's gogoproto code does (fields in number order, proto3
 * defaults left out, nullable embedded messages written whenever present,
 * even empty, and Coin.amount always written), and decoded strictly.
 *
 * The relayer builds and signs its MsgUpdateClient/MsgRecvPacket batches
 * here in SIGN_MODE_DIRECT; the devnet decodes and verifies every
 * transaction it receives here.
 *
 * Decoding rejects what the SDK's encoder would not have written
 * (ADR-027): fields out of order or repeated when singular, default values
 * written out, non-minimal varints, unknown fields (except, in TxBody, the
 * non-critical numbers with bit 11 set, which the SDK lets through), strings
 * that are not UTF-8, coins that do not look like coins, and anything past
 * the caps below. Decoded slices borrow from the input buffer; the structs
 * own no memory. */
#ifndef PX_CHAINS_COSMOS_TX_H
#define PX_CHAINS_COSMOS_TX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "chains/cosmos/keys.h"
#include "common/buf.h"
#include "common/errors.h"

/* Caps on untrusted input. CometBFT's default max_tx_bytes is 1 MiB;
 * chains raise it, and relayer batches of MsgUpdateClient with large
 * validator sets are big, hence 4 MiB. */
#define COSMOS_TX_MAX_BYTES (4u << 20)
#define COSMOS_TX_MAX_MSGS 128
#define COSMOS_TX_MAX_EXT_OPTIONS 8
#define COSMOS_TX_MAX_SIGNERS 8		/* SDK default TxSigLimit is 7 */
#define COSMOS_TX_MAX_COINS 16
#define COSMOS_TX_MAX_MEMO 512		/* SDK default MaxMemoCharacters is 256 */
#define COSMOS_TX_MAX_TYPE_URL 256
#define COSMOS_TX_MAX_ADDR_STR 128	/* payer, granter, tipper */
#define COSMOS_TX_MAX_DENOM 128		/* SDK denom regex: 3..128 characters */
#define COSMOS_TX_MAX_AMOUNT_DIGITS 78	/* sdk.Int is at most 256 bits */
#define COSMOS_TX_MAX_SIG_BYTES 128
#define COSMOS_CHAIN_ID_MAX 50		/* CometBFT MaxChainIDLen */

#define COSMOS_SECP256K1_PUBKEY_URL "/cosmos.crypto.secp256k1.PubKey"

/* cosmos.tx.signing.v1beta1.SignMode values that have names. */
enum cosmos_sign_mode {
	COSMOS_SIGN_MODE_UNSPECIFIED = 0,
	COSMOS_SIGN_MODE_DIRECT = 1,
	COSMOS_SIGN_MODE_TEXTUAL = 2,
	COSMOS_SIGN_MODE_DIRECT_AUX = 3,
	COSMOS_SIGN_MODE_LEGACY_AMINO_JSON = 127,
	COSMOS_SIGN_MODE_EIP_191 = 191,
};

/* google.protobuf.Any: type_url non-empty when decoded. */
struct cosmos_any {
	struct px_slice type_url;
	struct px_slice value;
};

/* cosmos.base.v1beta1.Coin: denom as the SDK's regex allows, amount a
 * decimal integer without sign or leading zeros. */
struct cosmos_coin {
	struct px_slice denom;
	struct px_slice amount;
};

struct cosmos_tx_body {
	struct cosmos_any messages[COSMOS_TX_MAX_MSGS];
	size_t n_messages;
	struct px_slice memo;
	uint64_t timeout_height;
	struct cosmos_any extension_options[COSMOS_TX_MAX_EXT_OPTIONS];
	size_t n_extension_options;
	struct cosmos_any non_critical_extension_options[COSMOS_TX_MAX_EXT_OPTIONS];
	size_t n_non_critical_extension_options;
	/* Decoding only: unknown fields with bit 11 set were skipped. Such a
	 * body does not re-encode to the same bytes (the signature covers the
	 * original bytes, so that is harmless). */
	bool has_unknown_non_critical;
};

struct cosmos_signer_info {
	bool has_public_key;
	struct cosmos_any public_key;
	/* Set when public_key is a /cosmos.crypto.secp256k1.PubKey. */
	bool has_secp256k1_key;
	uint8_t secp256k1_key[COSMOS_PUBKEY_LEN];
	bool has_mode_info;	/* ModeInfo present */
	bool has_single;	/* ModeInfo.single present (multi is refused) */
	uint32_t mode;		/* ModeInfo.Single.mode */
	uint64_t sequence;
};

struct cosmos_fee {
	struct cosmos_coin amount[COSMOS_TX_MAX_COINS];
	size_t n_amount;
	uint64_t gas_limit;
	struct px_slice payer;
	struct px_slice granter;
};

/* Deprecated by the SDK; decoded so that a tip is seen, never built. */
struct cosmos_tip {
	struct cosmos_coin amount[COSMOS_TX_MAX_COINS];
	size_t n_amount;
	struct px_slice tipper;
};

struct cosmos_auth_info {
	struct cosmos_signer_info signer_infos[COSMOS_TX_MAX_SIGNERS];
	size_t n_signer_infos;
	bool has_fee;
	struct cosmos_fee fee;
	bool has_tip;
	struct cosmos_tip tip;
};

struct cosmos_sign_doc {
	struct px_slice body_bytes;
	struct px_slice auth_info_bytes;
	struct px_slice chain_id;
	uint64_t account_number;
};

struct cosmos_tx_raw {
	struct px_slice body_bytes;
	struct px_slice auth_info_bytes;
	struct px_slice signatures[COSMOS_TX_MAX_SIGNERS];
	size_t n_signatures;
};

/* A TxRaw with its body and auth info decoded. */
struct cosmos_tx {
	struct cosmos_tx_raw raw;
	struct cosmos_tx_body body;
	struct cosmos_auth_info auth_info;
};

static inline struct px_slice cosmos_str(const char *s)
{
	struct px_slice r = { (const uint8_t *)s, s ? strlen(s) : 0 };
	return r;
}

/* Encoders append to out and check the same rules the decoders do, so
 * that only decodable bytes are ever produced (PX_E_USAGE otherwise;
 * PX_E_NOMEM when the buffer fails). On failure out keeps its old length. */
bool cosmos_tx_body_encode(struct px_err *err, struct px_buf *out,
			   const struct cosmos_tx_body *body) PX_MUST_CHECK;
bool cosmos_auth_info_encode(struct px_err *err, struct px_buf *out,
			     const struct cosmos_auth_info *ai) PX_MUST_CHECK;
bool cosmos_sign_doc_encode(struct px_err *err, struct px_buf *out,
			    const struct cosmos_sign_doc *doc) PX_MUST_CHECK;
bool cosmos_tx_raw_encode(struct px_err *err, struct px_buf *out,
			  const struct cosmos_tx_raw *raw) PX_MUST_CHECK;

/* Decoders: *out is zeroed first and again on failure. Errors are
 * PX_E_TRUNCATED, PX_E_NONCANONICAL, PX_E_TOO_LARGE, PX_E_UNSUPPORTED
 * (multisig) or PX_E_MALFORMED, with the byte offset. */
bool cosmos_tx_body_decode(struct px_err *err, struct cosmos_tx_body *out, const uint8_t *buf,
			   size_t len) PX_MUST_CHECK;
bool cosmos_auth_info_decode(struct px_err *err, struct cosmos_auth_info *out, const uint8_t *buf,
			     size_t len) PX_MUST_CHECK;
bool cosmos_sign_doc_decode(struct px_err *err, struct cosmos_sign_doc *out, const uint8_t *buf,
			    size_t len) PX_MUST_CHECK;
bool cosmos_tx_raw_decode(struct px_err *err, struct cosmos_tx_raw *out, const uint8_t *buf,
			  size_t len) PX_MUST_CHECK;
/* TxRaw, then its body and auth info. */
bool cosmos_tx_decode(struct px_err *err, struct cosmos_tx *out, const uint8_t *buf,
		      size_t len) PX_MUST_CHECK;

/* What the relayer signs: already-encoded messages, a fee, and the signer's
 * account state. payer, granter and memo may be empty. */
struct cosmos_tx_params {
	const struct cosmos_any *messages;
	size_t n_messages;
	struct px_slice memo;
	uint64_t timeout_height;
	const struct cosmos_coin *fee;
	size_t n_fee;
	uint64_t gas_limit;
	struct px_slice payer;
	struct px_slice granter;
	struct px_slice chain_id;
	uint64_t account_number;
	uint64_t sequence;
};

/* Builds a one-signer TxRaw in SIGN_MODE_DIRECT: the body, an AuthInfo
 * with the key's secp256k1 PubKey, mode DIRECT and the sequence, the
 * SignDoc, and the signature over SHA-256(SignDoc). tx_raw receives the
 * transaction and sign_bytes (may be NULL) the SignDoc bytes; both are
 * replaced on success and left as they were on failure. */
bool cosmos_tx_sign_direct(struct px_err *err, struct px_buf *tx_raw, struct px_buf *sign_bytes,
			   const struct cosmos_key *key,
			   const struct cosmos_tx_params *params) PX_MUST_CHECK;

/* The rules the SDK applies before looking at signatures: at least one
 * message, a fee, at least one signer, as many signatures as signer infos,
 * and no tip. PX_E_MALFORMED or PX_E_UNSUPPORTED (tip). */
bool cosmos_tx_check_basic(struct px_err *err, const struct cosmos_tx *tx) PX_MUST_CHECK;

/* Checks signature `index` of a decoded tx in SIGN_MODE_DIRECT: the signer
 * info must carry a secp256k1 public key and mode DIRECT, and the
 * signature must be a low-S signature of the SignDoc built from the raw
 * body and auth info bytes, chain_id and account_number. The caller
 * checks that the key belongs to the account (cosmos_tx_signer_address)
 * and that the sequence is the account's. Verification failures are
 * PX_E_BAD_SIGNATURE; an unusable signer info is PX_E_UNSUPPORTED or
 * PX_E_MALFORMED. */
bool cosmos_tx_verify_signature(struct px_err *err, const struct cosmos_tx *tx, size_t index,
				struct px_slice chain_id, uint64_t account_number) PX_MUST_CHECK;

/* The address of signer `index`'s secp256k1 key; false when it has none. */
bool cosmos_tx_signer_address(struct px_err *err, uint8_t out[COSMOS_ADDR_LEN],
			      const struct cosmos_tx *tx, size_t index) PX_MUST_CHECK;

#endif
