/* Fuzz target: Ethereum block header decoding. As RLP, any header the
 * decoder accepts must re-encode to the same bytes and hash to the
 * Keccak-256 of the input; as JSON (inputs starting with '{'), the JSON
 * decoder must either fail with a 2xx code and a zeroed header or give a
 * header whose field count is a fork's. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/buf.h"
#include "lightclient/ethereum/header.h"
#include "lightclient/ethereum/keccak.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct eth_header h;
	struct px_err err = { 0 };

	if (size > 0 && data[0] == '{') {
		json_t *o = json_loadb((const char *)data, size, 0, NULL);

		if (o) {
			for (int naming = 0; naming < 2; naming++) {
				px_err_clear(&err);
				if (eth_header_from_json(&err, &h, o, (enum eth_header_naming)naming)) {
					struct eth_trusted_header t;
					uint8_t hh[32];

					if (h.nfields < ETH_FIELDS_FRONTIER || h.nfields > ETH_FIELDS_MAX)
						abort();
					eth_header_hash(hh, &h);
					if (eth_header_verify_checkpoint(&err, &t, &h, hh) != (!h.has_claimed_hash ||
					    memcmp(hh, h.claimed_hash, 32) == 0))
						abort();
				} else if (err.code < 200 || err.code >= 300 || !zero(&h, sizeof(h))) {
					abort();
				}
			}
			json_decref(o);
		}
		return 0;
	}
	if (eth_header_decode(&err, &h, data, size)) {
		struct px_buf b = PX_BUF_INIT;
		uint8_t h1[32], h2[32];

		eth_header_encode(&b, &h);
		if (!px_buf_ok(&b) || b.len != size || memcmp(b.data, data, size) != 0)
			abort();
		eth_header_hash(h1, &h);
		eth_keccak256(h2, data, size);
		if (memcmp(h1, h2, 32) != 0)
			abort();
		px_buf_free(&b);
	} else if (err.code < 200 || err.code >= 300 || !zero(&h, sizeof(h))) {
		abort();
	}
	return 0;
}
