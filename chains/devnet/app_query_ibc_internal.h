/* What the two halves of the devnet's IBC query services share:
 * app_query_ibc.c (request decoding, dispatch, the single-object and
 * packet queries) and app_query_ibc_list.c (the SDK's pagination over a
 * store prefix, and the ClientStates, Connections and Channels listings).
 * Not a public header. */
#ifndef PX_CHAINS_DEVNET_APP_QUERY_IBC_INTERNAL_H
#define PX_CHAINS_DEVNET_APP_QUERY_IBC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chains/devnet/app_query_ibc.h"
#include "ibc/types.h"

#define APP_QI_REQ_FIELDS 5	/* request field numbers 1..4 */

/* cosmos.base.query.v1beta1.PageRequest. has_key: the field was present
 * (even empty), which is what the SDK's "offset and key" check looks at. */
struct app_qpage {
	bool has_key;
	struct px_slice key;
	uint64_t offset;
	uint64_t limit;
	bool count_total;
	bool reverse;
};

/* A decoded request, by field number; strings borrow from the request. */
struct app_qreq {
	struct px_slice str[APP_QI_REQ_FIELDS];
	uint64_t u64[APP_QI_REQ_FIELDS];
	bool flag[APP_QI_REQ_FIELDS];
	struct app_qpage page;
	uint64_t *seqs;		/* the repeated uint64 field, owned */
	size_t n_seqs;
	size_t cap_seqs;
};

/* One query being answered. */
struct app_qctx {
	struct px_err *err;
	struct devnet_app *a;
	struct devnet_app_query *q;
	int64_t version;
	struct ibc_height self;		/* proof_height / height of responses */
	struct app_qreq r;
	char id[IBC_ID_MAX + 1];	/* client or connection id */
	char port[IBC_ID_MAX + 1];
	char chan[IBC_ID_MAX + 1];
};

/* One key under a scanned prefix: key relative to the prefix (as an SDK
 * prefix store gives it and next_key carries it), borrowed from the store
 * like the value. hit: the key counts for FilteredPaginate (always, for
 * Paginate); seq: what the classifier read from the key, if anything. */
struct app_qent {
	struct px_slice key;
	struct px_slice val;
	uint64_t seq;
	bool hit;
};

/* Sorts a key of the scan: sets e->hit (and e->seq); NULL when the key
 * belongs there, else a static reason that stops the scan. */
typedef const char *(*app_qi_classify_fn)(struct app_qent *e);

/* Writes one listed entry into the response; false with x->err set. */
typedef bool (*app_qi_emit_fn)(struct app_qctx *x, void *ctx, const struct app_qent *e);

struct app_qscan {
	struct px_slice prefix;
	app_qi_classify_fn classify;
	struct app_qent *v;	/* owned: app_qi_scan_free */
	size_t n, cap;
	const char *bad;	/* static: why the scan stopped early */
};

/* The PageResponse of a listing: next_key borrows from the scan. */
struct app_qpage_out {
	struct px_slice next_key;
	uint64_t total;		/* 0: not counted (or nothing there) */
};

/* ---- app_query_ibc.c ---- */

/* Writes sub as field of b and frees it. */
void app_qi_put_sub(struct px_buf *b, uint32_t field, struct px_buf *sub);
/* A string field, omitted when empty (proto3). */
void app_qi_put_str(struct px_buf *b, uint32_t field, const char *s);
/* ibc.core.client.v1.Height: non-nullable, so always written. */
void app_qi_put_height(struct px_buf *b, uint32_t field, struct ibc_height h);

/* ---- app_query_ibc_list.c ---- */

/* Every key of the ibc store under prefix (plen bytes) at x->version,
 * classified, into s (which the caller zeroed; app_qi_scan_free). More
 * than DEVNET_QUERY_MAX_SCAN keys is PX_E_TOO_LARGE. */
bool app_qi_scan(struct app_qctx *x, struct app_qscan *s, const char *prefix, size_t plen,
		 app_qi_classify_fn classify) PX_MUST_CHECK;
void app_qi_scan_free(struct app_qscan *s);

/* The SDK's query.FilteredPaginate over the scanned keys (Paginate when
 * every key is a hit) with the request's PageRequest: emits the page's
 * entries in order and fills *out. A request with both offset and key is
 * refused (true, x->q->code set, nothing emitted). */
bool app_qi_paginate(struct app_qctx *x, struct app_qpage_out *out, const struct app_qscan *s,
		     app_qi_emit_fn emit, void *ctx) PX_MUST_CHECK;
/* PageResponse{next_key = 1, total = 2} as field of b (always written). */
void app_qi_put_page(struct px_buf *b, uint32_t field, const struct app_qpage_out *p);

/* QueryClientStates, QueryConnections and QueryChannels: field 1 of the
 * request is the PageRequest. */
bool app_qi_client_states(struct app_qctx *x) PX_MUST_CHECK;
bool app_qi_connections(struct app_qctx *x) PX_MUST_CHECK;
bool app_qi_channels(struct app_qctx *x) PX_MUST_CHECK;

#endif
