/* The two hex encodings of Ethereum JSON-RPC. A quantity is an integer
 * written "0x" + hex digits; the execution-apis spec wants no leading
 * zeros, but fixtures write "0x00" and "0x0a", so leading zeros and odd
 * lengths are accepted and only the value counts. Data (hashes, addresses,
 * proof nodes) are exact byte strings: "0x" + an even number of hex digits.
 * Upper and lower case digits are both accepted; the "0x" is required.
 *
 * The json forms name the field in their errors ("field 'balance': ...");
 * references are borrowed, nothing is kept. */
#ifndef PX_LIGHTCLIENT_ETH_ETHJSON_H
#define PX_LIGHTCLIENT_ETH_ETHJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/buf.h"
#include "common/errors.h"

/* Parses a quantity into out[0..out_len) big-endian, right-aligned and
 * zero-padded. PX_E_ENCODING for bad text, PX_E_NUMBER when the value
 * needs more than out_len bytes. out is zeroed on failure. */
bool eth_parse_quantity(struct px_err *err, uint8_t *out, size_t out_len, const char *s,
			size_t slen) PX_MUST_CHECK;
bool eth_parse_u64(struct px_err *err, uint64_t *out, const char *s, size_t slen) PX_MUST_CHECK;

/* Parses data of at most max bytes and appends it to out. */
bool eth_parse_data(struct px_err *err, struct px_buf *out, const char *s, size_t slen,
		    size_t max) PX_MUST_CHECK;
/* Parses data of exactly len bytes. out is zeroed on failure. */
bool eth_parse_data_fixed(struct px_err *err, uint8_t *out, size_t len, const char *s,
			  size_t slen) PX_MUST_CHECK;

/* The same reading obj[field], which must be a string. */
bool eth_json_quantity(struct px_err *err, uint8_t *out, size_t out_len, const json_t *obj,
		       const char *field) PX_MUST_CHECK;
bool eth_json_u64(struct px_err *err, uint64_t *out, const json_t *obj,
		  const char *field) PX_MUST_CHECK;
bool eth_json_data(struct px_err *err, struct px_buf *out, const json_t *obj, const char *field,
		   size_t max) PX_MUST_CHECK;
bool eth_json_data_fixed(struct px_err *err, uint8_t *out, size_t len, const json_t *obj,
			 const char *field) PX_MUST_CHECK;

/* Writes "0x" + the hex of buf and a NUL into out (out_cap >= 2*len+3). */
void eth_hex_format(char *out, size_t out_cap, const uint8_t *buf, size_t len);
/* Writes a big-endian integer as a quantity ("0x0", "0x1c2"). */
void eth_quantity_format(char *out, size_t out_cap, const uint8_t *be, size_t len);

#endif
