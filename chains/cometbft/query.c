/* Queries on top of the client: request params in the shapes CometBFT
 * expects, the blocking call that runs the loop until a reply arrives, and
 * the light-block provider the bisection code pulls blocks from
 * (/commit + every page of /validators at h and h + 1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chains/cometbft/internal.h"
#include "common/buf.h"
#include "common/encoding.h"
#include "common/json.h"
#include "common/log.h"

/* --- params ------------------------------------------------------------------ */

static json_t *height_string(int64_t h)
{
	char s[24];

	snprintf(s, sizeof(s), "%lld", (long long)h);
	return json_string(s);
}

json_t *cmt_params_height(int64_t height)
{
	json_t *p = json_object();

	if (p && height > 0 && json_object_set_new(p, "height", height_string(height))) {
		json_decref(p);
		return NULL;
	}
	return p;
}

json_t *cmt_params_validators(int64_t height, uint32_t page, uint32_t per_page)
{
	json_t *p = cmt_params_height(height);

	if (p && (json_object_set_new(p, "page", height_string(page)) ||
		  json_object_set_new(p, "per_page", height_string(per_page)))) {
		json_decref(p);
		return NULL;
	}
	return p;
}

static json_t *hex_string(const uint8_t *b, size_t len, bool upper)
{
	char *s = malloc(2 * len + 1);
	json_t *v;

	if (!s)
		return NULL;
	px_hex_encode(s, 2 * len + 1, b, len, upper);
	v = json_string(s);
	free(s);
	return v;
}

json_t *cmt_params_abci_query(const char *path, const uint8_t *data, size_t data_len, int64_t height,
			      bool prove)
{
	json_t *p = cmt_params_height(height);

	if (p && (json_object_set_new(p, "path", json_string(path ? path : "")) ||
		  json_object_set_new(p, "data", hex_string(data, data_len, false)) ||
		  json_object_set_new(p, "prove", json_boolean(prove)))) {
		json_decref(p);
		return NULL;
	}
	return p;
}

static json_t *base64_string(const uint8_t *b, size_t len)
{
	struct px_buf out = PX_BUF_INIT;
	json_t *v = NULL;

	px_base64_encode(&out, b, len, PX_B64_STD, true);
	if (px_buf_ok(&out))
		v = json_stringn(out.len ? (const char *)out.data : "", out.len);
	px_buf_free(&out);
	return v;
}

json_t *cmt_params_tx(const uint8_t *hash, size_t hash_len, bool prove)
{
	/* The JSON-RPC form of tx takes the hash as base64 bytes. */
	return json_pack("{s:o, s:b}", "hash", base64_string(hash, hash_len), "prove", prove);
}

json_t *cmt_params_broadcast_tx(const uint8_t *tx, size_t tx_len)
{
	return json_pack("{s:o}", "tx", base64_string(tx, tx_len));
}

json_t *cmt_params_subscribe(const char *query)
{
	return json_pack("{s:s}", "query", query);
}

/* --- blocking calls ------------------------------------------------------------ */

struct sync_wait {
	bool done;
	json_t *result;
	struct px_err err;
};

static void sync_reply(void *arg, const struct px_err *err, const json_t *result)
{
	struct sync_wait *w = arg;

	w->done = true;
	if (err)
		w->err = *err;
	else
		w->result = json_incref((json_t *)result);
}

bool cmt_client_call_sync(struct px_err *err, json_t **result, struct cmt_client *c,
			  const char *method, json_t *params, uint32_t timeout_ms)
{
	struct sync_wait w;
	uint64_t id;
	int64_t give_up;

	*result = NULL;
	if (c->loop->depth > 0) {
		json_decref(params);
		return px_err_set(err, PX_E_USAGE,
				  "%s: blocking call from inside the event loop", method);
	}
	memset(&w, 0, sizeof(w));
	if (!timeout_ms)
		timeout_ms = c->opts.request_timeout_ms;
	if (!cmt_client_call(err, c, &id, method, params, timeout_ms, sync_reply, &w))
		return false;
	/* The request's own timeout ends the wait; the second deadline only
	 * guards against a loop that stopped ticking. */
	give_up = cmt_now_us() + ((int64_t)timeout_ms + 1000) * 1000;
	while (!w.done) {
		if (!cmt_loop_service(c->loop, 50) || cmt_now_us() > give_up) {
			cmt_client_cancel(c, id);
			return px_err_set(err, PX_E_RPC, "%s: the event loop stopped", method);
		}
	}
	if (!w.result) {
		px_err_set(err, w.err.code, "%s", w.err.msg);
		return false;
	}
	*result = w.result;
	return true;
}

/* --- validators and light blocks ------------------------------------------------ */

bool cmt_validators_fetch(struct px_err *err, json_t **out, struct cmt_client *c, int64_t height,
			  uint32_t timeout_ms)
{
	json_t *all = json_array();
	json_t *res = NULL, *vals;
	uint64_t total = 0, count;
	int64_t at;
	bool ok = false;

	*out = NULL;
	if (!all)
		return px_err_set(err, PX_E_NOMEM, "out of memory");
	for (uint32_t page = 1;; page++) {
		uint64_t page_total;

		if (!cmt_client_call_sync(err, &res, c, "validators",
					  cmt_params_validators(height, page, CMT_VALIDATORS_PER_PAGE),
					  timeout_ms))
			goto out;
		if (!px_json_get_i64(err, &at, res, "block_height") ||
		    !px_json_get_u64(err, &page_total, res, "total") ||
		    !px_json_get_u64(err, &count, res, "count") ||
		    !px_json_get_array(err, &vals, res, "validators"))
			goto out;
		if (at != height) {
			px_err_set(err, PX_E_RPC, "validators: asked for height %lld, got %lld",
				   (long long)height, (long long)at);
			goto out;
		}
		if (page == 1)
			total = page_total;
		if (page_total != total || total > TM_MAX_VALIDATORS) {
			px_err_set(err, PX_E_MALFORMED, "validators: total %llu (page 1 said %llu, cap %d)",
				   (unsigned long long)page_total, (unsigned long long)total,
				   TM_MAX_VALIDATORS);
			goto out;
		}
		if (count != json_array_size(vals) || !count ||
		    json_array_size(all) + count > total) {
			px_err_set(err, PX_E_MALFORMED, "validators: page %u has %zu validators (count %llu, total %llu)",
				   page, json_array_size(vals), (unsigned long long)count,
				   (unsigned long long)total);
			goto out;
		}
		if (json_array_extend(all, vals)) {
			px_err_set(err, PX_E_NOMEM, "out of memory");
			goto out;
		}
		json_decref(res);
		res = NULL;
		if (json_array_size(all) == total)
			break;
	}
	*out = all;
	all = NULL;
	ok = true;
out:
	json_decref(res);
	json_decref(all);
	return ok;
}

bool cmt_light_block_fetch(struct px_err *err, struct tm_light_block *out, struct cmt_client *c,
			   int64_t height, uint32_t timeout_ms)
{
	json_t *commit = NULL, *sh, *header, *vals = NULL, *next = NULL, *doc = NULL;
	int64_t h;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	if (height < 0 || height == INT64_MAX)
		return px_err_set(err, PX_E_USAGE, "light block: height %lld", (long long)height);
	if (!cmt_client_call_sync(err, &commit, c, "commit", cmt_params_height(height), timeout_ms))
		goto out;
	if (!px_json_get_object(err, &sh, commit, "signed_header") ||
	    !px_json_get_object(err, &header, sh, "header") ||
	    !px_json_get_i64(err, &h, header, "height"))
		goto out;
	if ((height && h != height) || h <= 0 || h == INT64_MAX) {
		px_err_set(err, PX_E_RPC, "commit: asked for height %lld, got %lld", (long long)height,
			   (long long)h);
		goto out;
	}
	if (!cmt_validators_fetch(err, &vals, c, h, timeout_ms) ||
	    !cmt_validators_fetch(err, &next, c, h + 1, timeout_ms))
		goto out;
	doc = json_pack("{s:O, s:{s:O}, s:{s:O}}", "signed_header", sh, "validator_set", "validators",
			vals, "next_validator_set", "validators", next);
	if (!doc) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto out;
	}
	if (!tm_light_block_from_json(err, out, doc)) {
		px_err_prefix(err, "light block %lld: ", (long long)h);
		goto out;
	}
	ok = true;
out:
	json_decref(commit);
	json_decref(vals);
	json_decref(next);
	json_decref(doc);
	return ok;
}

static bool provider_light_block(void *ctx, struct px_err *err, struct tm_light_block *out,
				 int64_t height)
{
	return cmt_light_block_fetch(err, out, ctx, height, 0);
}

struct tm_provider cmt_client_provider(struct cmt_client *c)
{
	struct tm_provider p = { .ctx = c, .light_block = provider_light_block };

	return p;
}
