/* Fuzz target: the ICS-20 packet data JSON decoder. Whatever decodes must
 * re-encode in both of ibc-go's forms, and each encoding must decode back
 * to the same fields; the same bytes also go through the acknowledgement
 * decoder and, as a denomination, the trace parser (whose path must give
 * back the input). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ibc/transfer/ics20.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same(const char *a, const char *b)
{
	if (strcmp(a, b) != 0)
		abort();
}

static void roundtrip(const struct ibc_ics20_data *d, enum ibc_ics20_json form)
{
	struct px_buf b = PX_BUF_INIT;
	struct px_err err = { 0 };
	struct ibc_ics20_data back;

	if (!ibc_ics20_encode(&err, &b, d, form)) {
		/* Only memory or invalid UTF-8 (which JSON input cannot
		 * carry) may stop a decoded value from encoding. */
		if (err.code != PX_E_NOMEM)
			abort();
		px_buf_free(&b);
		return;
	}
	if (!ibc_ics20_decode(&err, &back, b.data, b.len))
		abort();
	same(d->denom, back.denom);
	same(d->amount, back.amount);
	same(d->sender, back.sender);
	same(d->receiver, back.receiver);
	same(d->memo, back.memo);
	ibc_ics20_data_free(&back);
	px_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ibc_ics20_data d;
	struct px_err err = { 0 };
	struct ibc_ack ack;
	struct ibc_denom den;

	if (ibc_ics20_decode(&err, &d, data, size)) {
		if (err.code != PX_OK)
			abort();
		roundtrip(&d, IBC_ICS20_JSON_SORTED);
		roundtrip(&d, IBC_ICS20_JSON_FIELDS);
		ibc_ics20_data_free(&d);
	} else if (err.code < 100 || err.code >= 300 || d.owned || d.denom) {
		abort();
	}

	px_err_clear(&err);
	if (ibc_ack_decode(&err, &ack, data, size))
		ibc_ack_free(&ack);
	else if (err.code < 100 || err.code >= 300 || ack.result.data || ack.error.data)
		abort();

	px_err_clear(&err);
	if (ibc_denom_parse(&err, &den, (const char *)data, size)) {
		struct px_buf p = PX_BUF_INIT;

		ibc_denom_path(&p, &den);
		if (px_buf_ok(&p) && (p.len != size || memcmp(p.data, data, size) != 0))
			abort();
		px_buf_reset(&p);
		ibc_denom_local(&p, &den);
		if (px_buf_ok(&p) && den.hops_len && p.len != IBC_DENOM_HASH_LEN)
			abort();
		px_buf_free(&p);
	}
	return 0;
}
