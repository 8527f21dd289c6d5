/* Fuzz target: the Cosmos SDK transaction decoders of chains/cosmos/. The
 * input is tried as a TxRaw (with its body and auth info), and on its own
 * as a TxBody, an AuthInfo and a SignDoc. Because decoding accepts only the
 * canonical encoding, whatever decodes must re-encode to exactly the input
 * bytes; a difference means the decoder lets through something the SDK's
 * encoder would not have written. A decoded transaction is also run
 * through check_basic and signature verification, which must not crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chains/cosmos/tx.h"
#include "common/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The structs are a few KiB each: static keeps the fuzzer's stack small. */
static struct cosmos_tx tx;
static struct cosmos_tx_body body;
static struct cosmos_auth_info auth_info;

static void same_bytes(const struct px_buf *b, const uint8_t *want, size_t len)
{
	if (!px_buf_ok(b) || b->len != len || (len && memcmp(b->data, want, len) != 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct px_buf b = PX_BUF_INIT;
	struct cosmos_sign_doc doc;

	if (cosmos_tx_decode(NULL, &tx, data, size)) {
		if (!cosmos_tx_raw_encode(NULL, &b, &tx.raw))
			abort();
		same_bytes(&b, data, size);
		if (cosmos_tx_check_basic(NULL, &tx)) {
			/* The verdict does not matter here, only that it is
			 * reached safely. */
			for (size_t i = 0; i < tx.auth_info.n_signer_infos; i++) {
				if (!cosmos_tx_verify_signature(NULL, &tx, i, cosmos_str("test-1"), 7))
					continue;
			}
		}
	}

	if (cosmos_tx_body_decode(NULL, &body, data, size) && !body.has_unknown_non_critical) {
		px_buf_reset(&b);
		if (!cosmos_tx_body_encode(NULL, &b, &body))
			abort();
		same_bytes(&b, data, size);
	}

	if (cosmos_auth_info_decode(NULL, &auth_info, data, size)) {
		px_buf_reset(&b);
		if (!cosmos_auth_info_encode(NULL, &b, &auth_info))
			abort();
		same_bytes(&b, data, size);
	}

	if (cosmos_sign_doc_decode(NULL, &doc, data, size)) {
		px_buf_reset(&b);
		if (!cosmos_sign_doc_encode(NULL, &b, &doc))
			abort();
		same_bytes(&b, data, size);
	}
	px_buf_free(&b);
	return 0;
}
