/* ICS-20 fungible token transfer: the v1 packet data JSON, amounts up to
 * 256 bits, denomination traces and ibc/HASH denoms, the prefix rules of
 * send and receive, and the acknowledgement bytes.
 *
 * Packet data is committed as bytes, so the relayer never re-encodes a
 * packet it relays; encoding matters for packets we create (devnet host,
 * `pontifex tx transfer`). ibc-go has written two byte forms:
 *   - IBC_ICS20_JSON_SORTED: sdk.MustSortJSON(proto JSON) of ibc-go up to
 *     v7: keys sorted (amount, denom, memo, receiver, sender);
 *   - IBC_ICS20_JSON_FIELDS: json.Marshal(struct) of later ibc-go
 *     (cosmos/ibc-go#3915, the v10 code the golden vectors come from): keys
 *     in field order (denom, amount, sender, receiver, memo).
 * Both have no spaces, leave out empty fields (memo in practice) and
 * escape strings as Go's encoding/json does: \" \\ \n \r \t \b \f, other
 * control bytes as \u00XX, and the HTML-safe \u003c \u003e \u0026 and
 * \u2028 \u2029. Non-ASCII UTF-8 is written as is; invalid UTF-8 is
 * refused (Go would write \ufffd).
 *
 * Decoding accepts either key order and is strict: one JSON object of
 * string fields, no unknown or duplicate keys, denom, amount, sender and
 * receiver present and not blank, memo optional, amount a positive
 * decimal without sign or leading zeros below 2^256, caps on every field.
 * Errors are 2xx: PX_E_JSON (shape, fields), PX_E_NUMBER (amount),
 * PX_E_TOO_LARGE (caps), PX_E_MALFORMED (denomination trace). */
#ifndef PX_IBC_TRANSFER_ICS20_H
#define PX_IBC_TRANSFER_ICS20_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/errors.h"
#include "ibc/types.h"

/* Caps (bytes). ibc-go limits receivers to 2048 and memos to 32768 bytes
 * when it sends; denominations are bounded here by what a trace of
 * IBC_DENOM_MAX_HOPS hops can hold. */
#define IBC_ICS20_MAX_DENOM 4096
#define IBC_ICS20_MAX_AMOUNT 78		/* digits of 2^256 - 1 */
#define IBC_ICS20_MAX_ADDRESS 2048
#define IBC_ICS20_MAX_MEMO 32768
#define IBC_DENOM_MAX_HOPS 32

#define IBC_ICS20_VERSION "ics20-1"
#define IBC_ICS20_PORT "transfer"
/* "ibc/" + 64 upper-case hex digits. */
#define IBC_DENOM_HASH_LEN 68
/* The success acknowledgement bytes: {"result":"AQ=="} (result = [0x01]). */
#define IBC_ICS20_ACK_SUCCESS "{\"result\":\"AQ==\"}"

enum ibc_ics20_json {
	IBC_ICS20_JSON_SORTED,
	IBC_ICS20_JSON_FIELDS,
};

/* FungibleTokenPacketData. For encoding the strings are borrowed from the
 * caller (memo may be NULL or ""). A decoded value owns one block, `owned`,
 * that holds all five NUL-terminated strings; free it with
 * ibc_ics20_data_free. */
struct ibc_ics20_data {
	const char *denom;
	const char *amount;
	const char *sender;
	const char *receiver;
	const char *memo;	/* "" when absent */
	char *owned;
};

/* An unsigned 256-bit integer, least significant limb first. */
struct ibc_u256 {
	uint64_t w[4];
};

/* Strict decimal: digits only, no sign, no leading zero (but "0"), at most
 * 78 digits, below 2^256. PX_E_NUMBER otherwise. */
bool ibc_u256_parse(struct px_err *err, struct ibc_u256 *out, const char *s,
		    size_t len) PX_MUST_CHECK;
bool ibc_u256_is_zero(const struct ibc_u256 *v);
/* Decimal form, NUL-terminated; out holds IBC_ICS20_MAX_AMOUNT + 1 bytes. */
void ibc_u256_format(char out[IBC_ICS20_MAX_AMOUNT + 1], const struct ibc_u256 *v);

/* Appends the packet data bytes to out. The fields are validated as the
 * decoder validates them (so every encoding decodes back). */
bool ibc_ics20_encode(struct px_err *err, struct px_buf *out, const struct ibc_ics20_data *d,
		      enum ibc_ics20_json form) PX_MUST_CHECK;
/* Decodes packet data; on failure out is zeroed and holds nothing. */
bool ibc_ics20_decode(struct px_err *err, struct ibc_ics20_data *out, const uint8_t *buf,
		      size_t len) PX_MUST_CHECK;
void ibc_ics20_data_free(struct ibc_ics20_data *d);

/* Appends s as a JSON string literal with Go's encoding/json escaping
 * (the quotes included). False (PX_E_ENCODING) on invalid UTF-8. */
bool ibc_json_quote_go(struct px_err *err, struct px_buf *out, const char *s,
		       size_t len) PX_MUST_CHECK;

/* A denomination trace, as ibc-go's ExtractDenomFromPath reads one: pairs
 * "port/channel" from the front for as long as the second element is a
 * channel identifier ("channel-N") or a client identifier ("type-N"), the
 * rest is the base denomination ("gamm/pool/1" stays whole). Slices borrow
 * from the parsed string. */
struct ibc_denom_hop {
	struct px_slice port;
	struct px_slice channel;
};

struct ibc_denom {
	struct ibc_denom_hop hops[IBC_DENOM_MAX_HOPS];
	size_t hops_len;
	struct px_slice base;
};

/* Parses and validates (base not blank, every hop's port a valid port
 * identifier). PX_E_MALFORMED or PX_E_TOO_LARGE otherwise. */
bool ibc_denom_parse(struct px_err *err, struct ibc_denom *out, const char *path,
		     size_t len) PX_MUST_CHECK;
/* Appends the full path "port/channel/.../base" (the base alone when
 * native). */
void ibc_denom_path(struct px_buf *out, const struct ibc_denom *d);
/* The denom a chain holds for it: the base when native, otherwise "ibc/" +
 * upper-hex sha256(path). Appended to out. */
void ibc_denom_local(struct px_buf *out, const struct ibc_denom *d);
/* "ibc/" + upper-hex sha256(trace + "/" + base), NUL-terminated (the
 * legacy DenomTrace.IBCDenom); trace may be empty, then the hash is of the
 * base alone. */
void ibc_denom_hash(char out[IBC_DENOM_HASH_LEN + 1], const char *trace, size_t trace_len,
		    const char *base, size_t base_len);
/* True when the trace's first hop is port/channel. */
bool ibc_denom_has_prefix(const struct ibc_denom *d, const char *port, const char *channel);

/* Sending chain, denom path d over (source_port, source_channel): true
 * when this chain is the token's source (escrow; the receiver will add a
 * prefix), false when the token returns home (burn the voucher; the
 * receiver removes the prefix). */
bool ibc_ics20_sender_is_source(const struct ibc_denom *d, const char *source_port,
				const char *source_channel);

/* Receiving chain: the denom path it records for packet data denom
 * packet_denom received in packet. When the packet's source port/channel
 * is the trace's first hop the receiver is the source and the hop is
 * removed (*receiver_is_source = true, unescrow); otherwise the receiver
 * prefixes destination_port/destination_channel (mint a voucher). The
 * result path is appended to out; pass it to ibc_denom_parse and
 * ibc_denom_local for the bank denom. */
bool ibc_ics20_recv_denom(struct px_err *err, struct px_buf *out, bool *receiver_is_source,
			  const char *packet_denom, size_t len,
			  const struct ibc_packet *packet) PX_MUST_CHECK;

/* Acknowledgements (channel v1 Acknowledgement JSON). The error form is
 * {"error":"msg"} with Go escaping; ibc-go writes msg as
 * "ABCI code: N: error handling packet: see events for details". */
bool ibc_ack_error_encode(struct px_err *err, struct px_buf *out, const char *msg,
			  size_t len) PX_MUST_CHECK;

struct ibc_ack {
	bool success;
	struct px_buf result;	/* decoded "result" bytes (success) */
	struct px_buf error;	/* the "error" text, NUL-terminated (failure) */
};

/* Strictly decodes {"result":"<base64>"} or {"error":"<string>"} (exactly
 * one key, nothing else). ack->success is true for a result. An ICS-20
 * success carries the result bytes [0x01]; see ibc_ack_is_ics20_success. */
bool ibc_ack_decode(struct px_err *err, struct ibc_ack *out, const uint8_t *buf,
		    size_t len) PX_MUST_CHECK;
void ibc_ack_free(struct ibc_ack *a);
bool ibc_ack_is_ics20_success(const uint8_t *buf, size_t len);

#endif
