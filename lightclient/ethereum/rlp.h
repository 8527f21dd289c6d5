/* RLP (Recursive Length Prefix), the serialisation under every hash Ethereum
 * commits to: block headers, trie nodes, accounts. Because hashes are taken
 * over the encoding, the decoder accepts only the one canonical encoding of
 * each item: a single byte below 0x80 is never wrapped as a one-byte string,
 * lengths below 56 never use the long form, length fields have no leading
 * zeros, and nothing runs past the input or the enclosing list.
 *
 * Reading goes through the sticky-error px_cursor of common/protobuf.h: the
 * first failure is kept (with its offset) and every later read returns
 * nothing, so a decoder checks once at the end. Items are borrowed from the
 * input buffer.
 *
 * Writing appends to a px_buf and inherits its sticky failure. */
#ifndef PX_LIGHTCLIENT_ETH_RLP_H
#define PX_LIGHTCLIENT_ETH_RLP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/errors.h"
#include "common/protobuf.h"

/* Nesting accepted by rlp_check (lists within lists). Headers, trie nodes
 * and accounts nest at most 3 deep. */
#define RLP_MAX_DEPTH 64u
/* Items larger than this are refused whatever the caller's cap. */
#define RLP_MAX_ITEM (64u << 20)

struct rlp_item {
	bool is_list;
	struct px_slice payload;	/* string bytes, or the list's encoded items */
	struct px_slice raw;		/* the whole encoding, prefix included */
};

/* Reads one item of at most max payload bytes. */
void rlp_read_item(struct px_cursor *c, struct rlp_item *out, size_t max);

/* Reads a list and opens a sub-cursor over its items; a failure inside sub
 * is also recorded in c. */
void rlp_read_list(struct px_cursor *c, struct px_cursor *sub, size_t max);

/* Reads a string (not a list) of at most max bytes. */
void rlp_read_bytes(struct px_cursor *c, struct px_slice *out, size_t max);

/* Reads a string of exactly len bytes into out (zeroed on failure). */
void rlp_read_fixed(struct px_cursor *c, uint8_t *out, size_t len);

/* Reads an integer: a string of at most 8 bytes with no leading zero byte
 * (zero is the empty string). */
uint64_t rlp_read_u64(struct px_cursor *c);

/* Reads an integer of at most max_len bytes (big-endian, no leading zero)
 * and writes it right-aligned into out[0..out_len) (zero-padded on the
 * left); out_len >= max_len. */
void rlp_read_uint_be(struct px_cursor *c, uint8_t *out, size_t out_len, size_t max_len);

/* Fails the cursor unless it is at its end ("trailing bytes"). */
void rlp_read_end(struct px_cursor *c);

/* Checks that buf holds exactly one canonical item, nested at most
 * max_depth lists deep (0: RLP_MAX_DEPTH). PX_E_TRUNCATED,
 * PX_E_NONCANONICAL, PX_E_TOO_LARGE or PX_E_MALFORMED with the offset. */
bool rlp_check(struct px_err *err, const uint8_t *buf, size_t len, unsigned max_depth) PX_MUST_CHECK;

/* The px_err code for a cursor's failure message (truncation, non-canonical
 * form, size cap or other). */
int rlp_error_code(const struct px_cursor *c);

/* Writing. */
void rlp_put_bytes(struct px_buf *b, const uint8_t *data, size_t len);
void rlp_put_u64(struct px_buf *b, uint64_t v);
/* A big-endian integer of any length; leading zero bytes are dropped. */
void rlp_put_uint_be(struct px_buf *b, const uint8_t *be, size_t len);
/* The prefix of a list whose items take payload_len bytes. */
void rlp_put_list_header(struct px_buf *b, size_t payload_len);
/* A list written in place: remember rlp_list_begin's result, append the
 * items, then rlp_list_end moves them behind the right prefix. */
size_t rlp_list_begin(const struct px_buf *b);
void rlp_list_end(struct px_buf *b, size_t start);
/* Bytes of the prefix for a string or list payload of len bytes. */
size_t rlp_prefix_len(size_t len);
/* Writes the prefix of a string (list false) or list payload of len bytes
 * into out; returns its length (1..9). For encoders that hash as they go
 * or write into fixed buffers. */
size_t rlp_encode_prefix(uint8_t out[9], bool list, size_t len);

#endif
