/* The devnet's IBC host table (ibc/core/host.h) over the app's write cache:
 * the `ibc` store, the host block, stored 07-tendermint clients behind the
 * generic light-client table, ibc-go's encodings of the ends, and the bank
 * for ICS-20. See app_ibc.h for the stored layout. */
#include "chains/devnet/app_ibc.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "chains/cosmos/bech32.h"
#include "chains/cosmos/tx.h"
#include "common/hash.h"
#include "ibc/core/paths.h"
#include "lightclient/tendermint/client.h"

#define PROCESSED_TIME "/processedTime"
#define PROCESSED_HEIGHT "/processedHeight"

bool app_refuse(struct app_refusal *ref, const char *space, uint32_t code, const char *fmt, ...)
{
	va_list ap;

	ref->code = code;
	ref->codespace = space;
	va_start(ap, fmt);
	vsnprintf(ref->log, sizeof(ref->log), fmt, ap);
	va_end(ap);
	return true;
}

/* ---- store ---- */

bool app_ibc_get(struct px_err *err, struct app_ibc_ctx *x, const char *key, size_t klen,
		 struct px_slice *v, bool *found)
{
	if (!app_cache_get(err, x->c, APP_ST_IBC, (const uint8_t *)key, klen, v, found)) {
		x->internal = true;
		return false;
	}
	return true;
}

bool app_ibc_put(struct px_err *err, struct app_ibc_ctx *x, const char *key, size_t klen,
		 const uint8_t *v, size_t vlen)
{
	if (!app_cache_put(err, x->c, APP_ST_IBC, (const uint8_t *)key, klen, v, vlen)) {
		x->internal = true;
		return false;
	}
	return true;
}

static bool internal(struct app_ibc_ctx *x, struct px_err *err, const char *what, const char *id)
{
	x->internal = true;
	return px_err_set(err, PX_E_INTERNAL, "stored %s of %s does not decode", what, id);
}

/* ---- clients ---- */

static struct lc_height lc_of(struct ibc_height h)
{
	struct lc_height out = { h.revision_number, h.revision_height };
	return out;
}

static struct ibc_height ibc_of(struct lc_height h)
{
	struct ibc_height out = { h.revision, h.height };
	return out;
}

static uint64_t time_ns(struct px_time t)
{
	return t.seconds <= 0 ? 0 : (uint64_t)t.seconds * 1000000000ull + (uint64_t)t.nanos;
}

static bool consensus_read(void *ctx, struct px_err *err, struct tm_ibc_consensus *out,
			   bool *found, struct lc_height h)
{
	struct app_ibc_client *cl = ctx;
	struct ibc_path p;
	struct px_slice v;
	struct ibc_msg m;

	*found = false;
	if (!ibc_path_consensus_state(err, &p, cl->id, ibc_of(h)))
		return false;
	if (!app_ibc_get(err, cl->x, p.s, p.len, &v, found))
		return false;
	if (!*found)
		return true;
	if (!ibc_msg_decode_any(err, &m, v.ptr, v.len) || m.kind != IBC_MSG_TM_CONSENSUS_STATE) {
		ibc_msg_free(&m);
		return internal(cl->x, err, "consensus state", cl->id);
	}
	memset(out, 0, sizeof(*out));
	out->time = m.u.tm_consensus_state.timestamp;
	out->root_len = m.u.tm_consensus_state.root_len;
	memcpy(out->root, m.u.tm_consensus_state.root, out->root_len);
	memcpy(out->next_validators_hash, m.u.tm_consensus_state.next_validators_hash,
	       TM_HASH_LEN);
	return true;
}

bool app_ibc_client_load(struct px_err *err, struct app_ibc_client *out, bool *found,
			 struct app_ibc_ctx *x, const char *client_id)
{
	struct tm_ibc_params *p = &out->tc.params;
	struct ibc_path path;
	struct px_slice v;
	struct ibc_msg m;

	struct px_err e = { 0 };

	memset(out, 0, sizeof(*out));
	*found = false;
	out->x = x;
	if (!ibc_id_check(&e, IBC_ID_CLIENT, client_id) || strlen(client_id) >= sizeof(out->id))
		return true;	/* not a client identifier: no such client */
	snprintf(out->id, sizeof(out->id), "%s", client_id);
	if (!ibc_path_client_state(err, &path, client_id))
		return true;
	if (!app_ibc_get(err, x, path.s, path.len, &v, found))
		return false;
	if (!*found)
		return true;
	if (!ibc_msg_decode_any(err, &m, v.ptr, v.len) || m.kind != IBC_MSG_TM_CLIENT_STATE) {
		ibc_msg_free(&m);
		return internal(x, err, "client state", client_id);
	}
	out->cs = m.u.tm_client_state;
	/* proof_specs point at static names; upgrade_path is copied */
	snprintf(p->chain_id, sizeof(p->chain_id), "%s", out->cs.chain_id);
	p->opts.trust_num = out->cs.trust_level.numerator;
	p->opts.trust_den = out->cs.trust_level.denominator;
	p->opts.trusting_period_ns = out->cs.trusting_period;
	p->opts.clock_drift_ns = out->cs.max_clock_drift;
	p->unbonding_ns = out->cs.unbonding_period;
	p->latest = lc_of(out->cs.latest_height);
	p->frozen = lc_of(out->cs.frozen_height);
	out->tc.consensus = consensus_read;
	out->tc.ctx = out;
	tm_ibc_lc_init(&out->lc, &out->tc);
	return true;
}

static bool put_any(struct px_err *err, struct app_ibc_ctx *x, const struct ibc_path *p,
		    const struct ibc_msg *m)
{
	struct px_buf b = PX_BUF_INIT;
	bool ok = ibc_msg_encode_any(err, &b, m);

	if (!ok)
		x->internal = true;
	ok = ok && app_ibc_put(err, x, p->s, p->len, b.data, b.len);
	px_buf_free(&b);
	return ok;
}

bool app_ibc_client_store(struct px_err *err, struct app_ibc_client *cl)
{
	struct ibc_msg m = { .kind = IBC_MSG_TM_CLIENT_STATE };
	struct ibc_path p;

	cl->cs.latest_height = ibc_of(cl->tc.params.latest);
	cl->cs.frozen_height = ibc_of(cl->tc.params.frozen);
	m.u.tm_client_state = cl->cs;
	return ibc_path_client_state(err, &p, cl->id) && put_any(err, cl->x, &p, &m);
}

bool app_ibc_consensus_store(struct px_err *err, struct app_ibc_client *cl, struct ibc_height h,
			     const struct tm_ibc_consensus *cons)
{
	struct ibc_msg m = { .kind = IBC_MSG_TM_CONSENSUS_STATE };
	struct ibc_tm_consensus_state *s = &m.u.tm_consensus_state;
	struct ibc_path p;
	char key[IBC_PATH_MAX + 32], hs[48];
	uint8_t be[8];
	uint64_t t = time_ns(cl->x->time);
	size_t n;

	s->timestamp = cons->time;
	s->root_len = cons->root_len > sizeof(s->root) ? sizeof(s->root) : cons->root_len;
	memcpy(s->root, cons->root, s->root_len);
	memcpy(s->next_validators_hash, cons->next_validators_hash, TM_HASH_LEN);
	if (!ibc_path_consensus_state(err, &p, cl->id, h) || !put_any(err, cl->x, &p, &m))
		return false;
	for (size_t i = 0; i < 8; i++)
		be[i] = (uint8_t)(t >> (56 - 8 * i));
	n = (size_t)snprintf(key, sizeof(key), "%s%s", p.s, PROCESSED_TIME);
	if (!app_ibc_put(err, cl->x, key, n, be, sizeof(be)))
		return false;
	n = (size_t)snprintf(key, sizeof(key), "%s%s", p.s, PROCESSED_HEIGHT);
	snprintf(hs, sizeof(hs), "%" PRIu64 "-%" PRId64, tm_chain_id_revision(cl->x->a->chain_id),
		 cl->x->height);
	return app_ibc_put(err, cl->x, key, n, (const uint8_t *)hs, strlen(hs));
}

enum ibc_client_status app_ibc_client_status(struct app_ibc_client *cl)
{
	switch (cl->lc.ops->status(cl->lc.impl, cl->x->time)) {
	case LC_STATUS_ACTIVE: return IBC_CLIENT_ACTIVE;
	case LC_STATUS_EXPIRED: return IBC_CLIENT_EXPIRED;
	case LC_STATUS_FROZEN: return IBC_CLIENT_FROZEN;
	}
	return IBC_CLIENT_UNKNOWN;
}

/* ---- host operations ---- */

static bool op_get(void *ctx, struct px_err *err, struct px_buf *out, bool *found,
		   const uint8_t *key, size_t key_len)
{
	struct px_slice v;

	if (!app_ibc_get(err, ctx, (const char *)key, key_len, &v, found))
		return false;
	if (*found)
		px_buf_append(out, v.ptr, v.len);
	return true;
}

static bool op_set(void *ctx, struct px_err *err, const uint8_t *key, size_t key_len,
		   const uint8_t *val, size_t val_len)
{
	if (val_len == 0) {
		((struct app_ibc_ctx *)ctx)->internal = true;
		return px_err_set(err, PX_E_INTERNAL, "ibc store: empty values are not stored");
	}
	return app_ibc_put(err, ctx, (const char *)key, key_len, val, val_len);
}

static bool op_del(void *ctx, struct px_err *err, const uint8_t *key, size_t key_len)
{
	return app_ibc_put(err, ctx, (const char *)key, key_len, NULL, 0);
}

static struct ibc_height op_self_height(void *ctx)
{
	struct app_ibc_ctx *x = ctx;
	struct ibc_height h = { tm_chain_id_revision(x->a->chain_id), (uint64_t)x->height };

	return h;
}

static uint64_t op_self_time(void *ctx)
{
	return time_ns(((struct app_ibc_ctx *)ctx)->time);
}

static struct px_slice op_self_prefix(void *ctx)
{
	struct px_slice s = { (const uint8_t *)"ibc", 3 };

	(void)ctx;
	return s;
}

static enum ibc_client_status op_client_status(void *ctx, const char *client_id)
{
	struct app_ibc_client cl;
	struct px_err e = { 0 };
	bool found;

	if (!app_ibc_client_load(&e, &cl, &found, ctx, client_id) || !found)
		return IBC_CLIENT_UNKNOWN;
	return app_ibc_client_status(&cl);
}

static bool load_known(struct px_err *err, struct app_ibc_client *cl, struct app_ibc_ctx *x,
		       const char *client_id)
{
	bool found;

	if (!app_ibc_client_load(err, cl, &found, x, client_id))
		return false;
	if (!found)
		return px_err_set(err, PX_E_IBC_NOT_FOUND, "light client %.64s not found", client_id);
	return true;
}

static bool op_latest_height(void *ctx, struct px_err *err, struct ibc_height *out,
			     const char *client_id)
{
	struct app_ibc_client cl;

	if (!load_known(err, &cl, ctx, client_id))
		return false;
	*out = cl.cs.latest_height;
	return true;
}

static bool consensus_at(struct px_err *err, struct app_ibc_client *cl, struct tm_ibc_consensus *out,
			 struct ibc_height h)
{
	bool found;

	if (!consensus_read(cl, err, out, &found, lc_of(h)))
		return false;
	if (!found)
		return px_err_set(err, PX_E_IBC_NOT_FOUND,
				  "client %s has no consensus state at %" PRIu64 "-%" PRIu64, cl->id,
				  h.revision_number, h.revision_height);
	return true;
}

static bool op_consensus_time(void *ctx, struct px_err *err, uint64_t *out, const char *client_id,
			      struct ibc_height h)
{
	struct app_ibc_client cl;
	struct tm_ibc_consensus cons;

	if (!load_known(err, &cl, ctx, client_id) || !consensus_at(err, &cl, &cons, h))
		return false;
	*out = time_ns(cons.time);
	return true;
}

/* ibc-go's delay period check: the consensus state was processed at least
 * delay_ns and ceil(delay_ns / expected block time) blocks ago. */
static bool check_delay(struct px_err *err, struct app_ibc_client *cl, struct ibc_height h,
			uint64_t delay_ns)
{
	struct ibc_path p;
	struct px_slice v;
	char key[IBC_PATH_MAX + 32];
	uint64_t processed = 0, blocks, ph = 0;
	const char *dash;
	size_t n;
	bool found;

	if (delay_ns == 0)
		return true;
	if (!ibc_path_consensus_state(err, &p, cl->id, h))
		return false;
	n = (size_t)snprintf(key, sizeof(key), "%s%s", p.s, PROCESSED_TIME);
	if (!app_ibc_get(err, cl->x, key, n, &v, &found))
		return false;
	if (!found || v.len != 8)
		return px_err_set(err, PX_E_IBC_NOT_FOUND, "no processed time for %s at %s", cl->id,
				  p.s);
	for (size_t i = 0; i < 8; i++)
		processed = processed << 8 | v.ptr[i];
	if (processed > UINT64_MAX - delay_ns || time_ns(cl->x->time) < processed + delay_ns)
		return px_err_set(err, PX_E_IBC_PROOF,
				  "delay period of %" PRIu64 " ns has not passed for the consensus "
				  "state of %s", delay_ns, cl->id);
	n = (size_t)snprintf(key, sizeof(key), "%s%s", p.s, PROCESSED_HEIGHT);
	if (!app_ibc_get(err, cl->x, key, n, &v, &found))
		return false;
	dash = found ? memchr(v.ptr, '-', v.len) : NULL;
	if (!dash)
		return px_err_set(err, PX_E_IBC_NOT_FOUND, "no processed height for %s", cl->id);
	for (const char *c = dash + 1; c < (const char *)v.ptr + v.len && *c >= '0' && *c <= '9';
	     c++)
		ph = ph * 10 + (uint64_t)(*c - '0');
	blocks = delay_ns / APP_IBC_EXPECTED_BLOCK_NS +
		 (delay_ns % APP_IBC_EXPECTED_BLOCK_NS ? 1 : 0);
	if ((uint64_t)cl->x->height < ph + blocks)
		return px_err_set(err, PX_E_IBC_PROOF,
				  "delay period of %" PRIu64 " blocks has not passed for the "
				  "consensus state of %s", blocks, cl->id);
	return true;
}

static bool verify(void *ctx, struct px_err *err, const char *client_id, struct ibc_height h,
		   uint64_t delay_ns, const uint8_t *proof, size_t proof_len, struct px_slice prefix,
		   const uint8_t *path, size_t path_len, const uint8_t *value, size_t value_len,
		   bool member)
{
	struct app_ibc_ctx *x = ctx;
	struct app_ibc_client cl;
	struct px_slice keys[2] = { prefix, { path, path_len } };

	if (!load_known(err, &cl, x, client_id) || !check_delay(err, &cl, h, delay_ns))
		return false;
	if (member)
		return lc_verify_membership(&cl.lc, err, lc_of(h), proof, proof_len, keys, 2, value,
					    value_len, x->time);
	return lc_verify_non_membership(&cl.lc, err, lc_of(h), proof, proof_len, keys, 2, x->time);
}

static bool op_verify_membership(void *ctx, struct px_err *err, const char *client_id,
				 struct ibc_height h, uint64_t delay_ns, const uint8_t *proof,
				 size_t proof_len, struct px_slice prefix, const uint8_t *path,
				 size_t path_len, const uint8_t *value, size_t value_len)
{
	return verify(ctx, err, client_id, h, delay_ns, proof, proof_len, prefix, path, path_len,
		      value, value_len, true);
}

static bool op_verify_non_membership(void *ctx, struct px_err *err, const char *client_id,
				     struct ibc_height h, uint64_t delay_ns, const uint8_t *proof,
				     size_t proof_len, struct px_slice prefix, const uint8_t *path,
				     size_t path_len)
{
	return verify(ctx, err, client_id, h, delay_ns, proof, proof_len, prefix, path, path_len,
		      NULL, 0, false);
}

static bool op_encode_connection(void *ctx, struct px_err *err, struct px_buf *out,
				 const struct ibc_connection_end *conn)
{
	(void)ctx;
	return ibc_connection_end_encode(err, out, conn);
}

static bool op_decode_connection(void *ctx, struct px_err *err, struct ibc_connection_end *out,
				 const uint8_t *buf, size_t len)
{
	(void)ctx;
	return ibc_connection_end_decode(err, out, buf, len);
}

static bool op_encode_channel(void *ctx, struct px_err *err, struct px_buf *out,
			      const struct ibc_channel *chan)
{
	(void)ctx;
	return ibc_channel_encode(err, out, chan);
}

static bool op_decode_channel(void *ctx, struct px_err *err, struct ibc_channel *out,
			      const uint8_t *buf, size_t len)
{
	(void)ctx;
	return ibc_channel_decode(err, out, buf, len);
}

/* ---- bank ---- */

static bool address_of(struct px_err *err, uint8_t out[COSMOS_ADDR_LEN], const struct devnet_app *a,
		       const char *address)
{
	size_t n = 0;

	if (!cosmos_address_decode(err, out, COSMOS_ADDR_LEN, &n, a->prefix, address,
				   strlen(address)) || n != COSMOS_ADDR_LEN)
		return px_err_set(err, PX_E_MALFORMED, "'%.80s' is not a %s1... account address",
				  address, a->prefix);
	return true;
}

static bool op_get_balance(void *ctx, struct px_err *err, struct ibc_u256 *out, const char *address,
			   const char *denom)
{
	struct app_ibc_ctx *x = ctx;
	uint8_t addr[COSMOS_ADDR_LEN];
	devnet_u128 v;

	if (!address_of(err, addr, x->a, address))
		return false;
	if (!app_balance_get(err, x->c, addr, cosmos_str(denom), &v)) {
		x->internal = true;
		return false;
	}
	memset(out, 0, sizeof(*out));
	out->w[0] = (uint64_t)v;
	out->w[1] = (uint64_t)(v >> 64);
	return true;
}

static bool op_set_balance(void *ctx, struct px_err *err, const char *address, const char *denom,
			   const struct ibc_u256 *amount)
{
	struct app_ibc_ctx *x = ctx;
	uint8_t addr[COSMOS_ADDR_LEN];
	struct devnet_account acc;
	bool found;

	if (!address_of(err, addr, x->a, address))
		return false;
	if (amount->w[2] || amount->w[3])
		return px_err_set(err, PX_E_IBC_OVERFLOW, "balance of %s in %s above 2^128 - 1",
				  address, denom);
	if (strlen(denom) > DEVNET_DENOM_MAX)
		return px_err_set(err, PX_E_MALFORMED, "denom longer than %d bytes",
				  DEVNET_DENOM_MAX);
	if (!app_account_get(err, x->c, addr, &acc, &found) ||
	    (!found && !app_account_create(err, x->c, addr, &acc)) ||
	    !app_balance_set(err, x->c, addr, cosmos_str(denom),
			     (devnet_u128)amount->w[1] << 64 | amount->w[0])) {
		x->internal = true;
		return false;
	}
	return true;
}

void app_ibc_escrow(uint8_t out[COSMOS_ADDR_LEN], const char *port, const char *channel)
{
	uint8_t pre[IBC_ID_MAX * 2 + 16], digest[PX_SHA256_LEN];
	int n = snprintf((char *)pre, sizeof(pre), "%s%c%s/%s", IBC_ICS20_VERSION, 0, port, channel);

	px_sha256(digest, pre, n < 0 ? 0 : (size_t)n);
	memcpy(out, digest, COSMOS_ADDR_LEN);
}

static bool op_escrow_address(void *ctx, struct px_err *err, char *out, size_t cap,
			      const char *port_id, const char *channel_id)
{
	struct app_ibc_ctx *x = ctx;
	uint8_t addr[COSMOS_ADDR_LEN];

	app_ibc_escrow(addr, port_id, channel_id);
	return cosmos_address_encode(err, out, cap, x->a->prefix, addr, sizeof(addr));
}

static const struct ibc_host_ops host_ops = {
	.get = op_get,
	.set = op_set,
	.del = op_del,
	.self_height = op_self_height,
	.self_time = op_self_time,
	.self_prefix = op_self_prefix,
	.client_status = op_client_status,
	.client_latest_height = op_latest_height,
	.client_consensus_time = op_consensus_time,
	.verify_membership = op_verify_membership,
	.verify_non_membership = op_verify_non_membership,
	.encode_connection = op_encode_connection,
	.decode_connection = op_decode_connection,
	.encode_channel = op_encode_channel,
	.decode_channel = op_decode_channel,
	.get_balance = op_get_balance,
	.set_balance = op_set_balance,
	.escrow_address = op_escrow_address,
};

void app_ibc_host(struct ibc_host *out, struct app_ibc_ctx *x)
{
	out->ops = &host_ops;
	out->ctx = x;
}

/* ---- events ---- */

static bool attrs_add(json_t *attrs, const char *k, const char *v)
{
	return json_array_append_new(attrs, json_pack("{s:s, s:s, s:b}", "key", k, "value", v,
						      "index", 1)) == 0;
}

static bool event_va(struct px_err *err, json_t *events, json_t *attrs, const char *type,
		     va_list ap)
{
	const char *k;
	json_t *ev;

	while (attrs && (k = va_arg(ap, const char *))) {
		const char *v = va_arg(ap, const char *);

		if (!attrs_add(attrs, k, v)) {
			json_decref(attrs);
			attrs = NULL;
		}
	}
	ev = attrs ? json_pack("{s:s, s:o}", "type", type, "attributes", attrs) : NULL;
	if (!ev || json_array_append_new(events, ev) != 0)
		return px_err_set(err, PX_E_NOMEM, "events: out of memory");
	return true;
}

bool app_ibc_event(struct px_err *err, json_t *events, const char *type, ...)
{
	va_list ap;
	bool ok;

	if (!events)
		return true;
	va_start(ap, type);
	ok = event_va(err, events, json_array(), type, ap);
	va_end(ap);
	return ok;
}

bool app_ibc_packet_event(struct px_err *err, json_t *events, const char *type,
			  const struct ibc_packet *pkt, const char *ordering, const char *connection,
			  bool with_data, ...)
{
	char th[48], ts[24], seq[24];
	json_t *attrs;
	va_list ap;
	bool ok = true;

	if (!events)
		return true;
	attrs = json_array();
	snprintf(th, sizeof(th), "%" PRIu64 "-%" PRIu64, pkt->timeout_height.revision_number,
		 pkt->timeout_height.revision_height);
	snprintf(ts, sizeof(ts), "%" PRIu64, pkt->timeout_timestamp);
	snprintf(seq, sizeof(seq), "%" PRIu64, pkt->sequence);
	if (attrs && with_data) {
		struct px_buf s = PX_BUF_INIT, hex = PX_BUF_INIT;
		static const char digits[] = "0123456789abcdef";

		px_buf_append(&s, pkt->data.ptr, pkt->data.len);
		px_buf_append(&s, (const uint8_t *)"", 1);
		for (size_t i = 0; i < pkt->data.len; i++) {
			uint8_t two[2] = { (uint8_t)digits[pkt->data.ptr[i] >> 4],
					   (uint8_t)digits[pkt->data.ptr[i] & 15] };
			px_buf_append(&hex, two, 2);
		}
		px_buf_append(&hex, (const uint8_t *)"", 1);
		ok = px_buf_ok(&s) && px_buf_ok(&hex) &&
		     attrs_add(attrs, "packet_data", (const char *)s.data) &&
		     attrs_add(attrs, "packet_data_hex", (const char *)hex.data);
		px_buf_free(&s);
		px_buf_free(&hex);
	}
	if (attrs && ok)
		ok = attrs_add(attrs, "packet_timeout_height", th) &&
		     attrs_add(attrs, "packet_timeout_timestamp", ts) &&
		     attrs_add(attrs, "packet_sequence", seq) &&
		     attrs_add(attrs, "packet_src_port", pkt->source_port) &&
		     attrs_add(attrs, "packet_src_channel", pkt->source_channel) &&
		     attrs_add(attrs, "packet_dst_port", pkt->destination_port) &&
		     attrs_add(attrs, "packet_dst_channel", pkt->destination_channel) &&
		     (!ordering || attrs_add(attrs, "packet_channel_ordering", ordering)) &&
		     attrs_add(attrs, "packet_connection", connection) &&
		     attrs_add(attrs, "connection_id", connection);
	if (!ok) {
		json_decref(attrs);
		attrs = NULL;
	}
	va_start(ap, with_data);
	ok = event_va(err, events, attrs, type, ap);
	va_end(ap);
	return ok;
}
