/* Fuzz target: the Any dispatcher of ibc/codec over every message kind
 * (the input is an encoded Any; its type URL picks the decoder). */
#include "fuzz_ibc_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ibc_msg m;
	struct px_err err = { 0 };
	struct px_buf b = PX_BUF_INIT;

	if (!ibc_msg_decode_any(&err, &m, data, size)) {
		if (err.code < 100 || err.code >= 300 || m.kind != IBC_MSG_UNKNOWN)
			abort();
		return 0;
	}
	if (!ibc_msg_encode_any(&err, &b, &m))
		abort();
	if (m.kind != IBC_MSG_UNKNOWN)
		fuzz_ibc_check(m.kind, m.any.value.ptr, m.any.value.len);
	ibc_msg_free(&m);
	px_buf_free(&b);
	return 0;
}
