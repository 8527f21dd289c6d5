/* The devnet's IBC message handlers, as ibc-go v8's msg server runs them:
 * 02-client (create, update with a Header or a Misbehaviour, submit
 * misbehaviour), the connection and channel handshakes, and the packet
 * messages with the ICS-20 callbacks (app_transfer.c). The protocol rules
 * are ibc/core's over the host of app_ibc_host.c; this file decodes,
 * picks the callbacks, maps errors to ibc-go's codespaces and codes, and
 * emits ibc-go's events. The packet messages are in app_ibc_packet.c.
 * app.c decodes the transaction and calls in. */
#include "chains/devnet/app_ibc.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "chains/cosmos/bech32.h"
#include "common/protobuf.h"
#include "ibc/core/channel.h"
#include "ibc/core/connection.h"
#include "ibc/core/packet.h"
#include "ibc/core/paths.h"
#include "lightclient/tendermint/client.h"

#define NEXT_CLIENT_SEQ_KEY "nextClientSequence"


bool app_ibc_handles(struct px_slice type_url)
{
	enum ibc_msg_kind k = ibc_msg_kind_of(type_url);

	return k >= IBC_MSG_CREATE_CLIENT && k <= IBC_MSG_TRANSFER;
}

const char *app_ibc_module(enum ibc_msg_kind k)
{
	if (k <= IBC_MSG_SUBMIT_MISBEHAVIOUR)
		return "ibc_client";
	if (k <= IBC_MSG_CONNECTION_OPEN_CONFIRM)
		return "ibc_connection";
	if (k == IBC_MSG_TRANSFER)
		return "transfer";
	return "ibc_channel";
}

const char *app_ibc_response_url(const struct ibc_msg *m)
{
	static const char *const urls[] = {
		[IBC_MSG_CREATE_CLIENT] = "/ibc.core.client.v1.MsgCreateClientResponse",
		[IBC_MSG_UPDATE_CLIENT] = "/ibc.core.client.v1.MsgUpdateClientResponse",
		[IBC_MSG_SUBMIT_MISBEHAVIOUR] = "/ibc.core.client.v1.MsgSubmitMisbehaviourResponse",
		[IBC_MSG_CONNECTION_OPEN_INIT] = "/ibc.core.connection.v1.MsgConnectionOpenInitResponse",
		[IBC_MSG_CONNECTION_OPEN_TRY] = "/ibc.core.connection.v1.MsgConnectionOpenTryResponse",
		[IBC_MSG_CONNECTION_OPEN_ACK] = "/ibc.core.connection.v1.MsgConnectionOpenAckResponse",
		[IBC_MSG_CONNECTION_OPEN_CONFIRM] =
			"/ibc.core.connection.v1.MsgConnectionOpenConfirmResponse",
		[IBC_MSG_CHANNEL_OPEN_INIT] = "/ibc.core.channel.v1.MsgChannelOpenInitResponse",
		[IBC_MSG_CHANNEL_OPEN_TRY] = "/ibc.core.channel.v1.MsgChannelOpenTryResponse",
		[IBC_MSG_CHANNEL_OPEN_ACK] = "/ibc.core.channel.v1.MsgChannelOpenAckResponse",
		[IBC_MSG_CHANNEL_OPEN_CONFIRM] = "/ibc.core.channel.v1.MsgChannelOpenConfirmResponse",
		[IBC_MSG_RECV_PACKET] = "/ibc.core.channel.v1.MsgRecvPacketResponse",
		[IBC_MSG_ACKNOWLEDGEMENT] = "/ibc.core.channel.v1.MsgAcknowledgementResponse",
		[IBC_MSG_TIMEOUT] = "/ibc.core.channel.v1.MsgTimeoutResponse",
		[IBC_MSG_TRANSFER] = "/ibc.applications.transfer.v1.MsgTransferResponse",
	};

	return m->kind > 0 && m->kind <= IBC_MSG_TRANSFER ? urls[m->kind] : "";
}

static struct px_slice signer_of(const struct ibc_msg *m)
{
	switch (m->kind) {
	case IBC_MSG_CREATE_CLIENT: return m->u.create_client.signer;
	case IBC_MSG_UPDATE_CLIENT: return m->u.update_client.signer;
	case IBC_MSG_SUBMIT_MISBEHAVIOUR: return m->u.submit_misbehaviour.signer;
	case IBC_MSG_CONNECTION_OPEN_INIT: return m->u.connection_open_init.signer;
	case IBC_MSG_CONNECTION_OPEN_TRY: return m->u.connection_open_try.signer;
	case IBC_MSG_CONNECTION_OPEN_ACK: return m->u.connection_open_ack.signer;
	case IBC_MSG_CONNECTION_OPEN_CONFIRM: return m->u.connection_open_confirm.signer;
	case IBC_MSG_CHANNEL_OPEN_INIT: return m->u.channel_open_init.signer;
	case IBC_MSG_CHANNEL_OPEN_TRY: return m->u.channel_open_try.signer;
	case IBC_MSG_CHANNEL_OPEN_ACK: return m->u.channel_open_ack.signer;
	case IBC_MSG_CHANNEL_OPEN_CONFIRM: return m->u.channel_open_confirm.signer;
	case IBC_MSG_RECV_PACKET: return m->u.recv_packet.signer;
	case IBC_MSG_ACKNOWLEDGEMENT: return m->u.acknowledgement.signer;
	case IBC_MSG_TIMEOUT: return m->u.timeout.signer;
	case IBC_MSG_TRANSFER: return m->u.transfer.sender;
	default: break;
	}
	return (struct px_slice){ NULL, 0 };
}

void app_ibc_decode(struct app_refusal *ref, struct ibc_msg *out, uint8_t signer[COSMOS_ADDR_LEN],
		    const struct devnet_app *a, struct px_slice type_url, struct px_slice value)
{
	struct px_err e = { 0 };
	struct px_slice s;
	size_t n = 0;

	if (!ibc_msg_decode(&e, out, type_url, value.ptr, value.len)) {
		app_refuse(ref, "sdk", DEVNET_CODE_TX_DECODE, "%s: tx parse error", e.msg);
		return;
	}
	s = signer_of(out);
	if (!cosmos_address_decode(&e, signer, COSMOS_ADDR_LEN, &n, a->prefix, (const char *)s.ptr,
				   s.len) || n != COSMOS_ADDR_LEN)
		app_refuse(ref, "sdk", DEVNET_CODE_INVALID_ADDRESS,
			   "invalid signer address: %s: invalid address", e.msg);
}

/* ---- errors ---- */

/* The refusal ibc-go gives for a failed rule (module: "connection" or
 * "channel"); the log carries pontifex's code and message. */
static bool refuse_err(struct app_refusal *ref, const char *module, const struct px_err *e,
		       const char *what)
{
	bool chan = strcmp(module, "channel") == 0;
	const char *space = module;
	uint32_t code;

	switch (e->code) {
	case PX_E_IBC_NOT_FOUND: code = 3; break;
	case PX_E_IBC_STATE: code = chan ? 5 : 6; break;
	case PX_E_IBC_COUNTERPARTY: code = 7; break;
	case PX_E_IBC_VERSION: code = chan ? 24 : 9; break;
	case PX_E_IBC_ALREADY_RECEIVED: code = 19; space = "channel"; break;
	case PX_E_IBC_SEQUENCE: code = 21; space = "channel"; break;
	case PX_E_IBC_TIMED_OUT:
	case PX_E_IBC_NOT_TIMED_OUT: code = 14; space = "channel"; break;
	case PX_E_IBC_NO_COMMITMENT: code = 20; space = "channel"; break;
	case PX_E_IBC_COMMITMENT_MISMATCH: code = 13; space = "channel"; break;
	case PX_E_IBC_ACK_EXISTS: code = 17; space = "channel"; break;
	case PX_E_IBC_FUNDS: code = 5; space = "sdk"; break;	/* insufficient funds */
	case PX_E_FROZEN: code = APP_IBC_CODE_CLIENT_FROZEN; space = "client"; break;
	case PX_E_TRUST_EXPIRED: code = APP_IBC_CODE_CLIENT_NOT_ACTIVE; space = "client"; break;
	default:
		if (e->code == PX_E_IBC_PROOF || (e->code >= 300 && e->code < 320)) {
			code = 2;	/* 23-commitment: invalid proof */
			space = "commitment";
		} else if (e->code >= 320 && e->code < 360) {
			code = APP_IBC_CODE_HEADER_INVALID;
			space = "client";
		} else {
			code = 18;	/* sdk: invalid request */
			space = "sdk";
		}
	}
	return app_refuse(ref, space, code, "%s failed (pontifex code %d): %s", what, (int)e->code,
			  e->msg);
}

/* A rule failed: internal (false, err set) or refused (true). */
bool app_ibc_rule_failed(struct px_err *err, struct app_refusal *ref, struct app_ibc_ctx *x,
			 const char *module, const struct px_err *e, const char *what)
{
	if (x->internal || e->code == PX_E_NOMEM || e->code == PX_E_INTERNAL) {
		*err = *e;
		return false;
	}
	return refuse_err(ref, module, e, what);
}

static void height_str(char out[48], struct ibc_height h)
{
	snprintf(out, 48, "%" PRIu64 "-%" PRIu64, h.revision_number, h.revision_height);
}

/* ---- 02-client ---- */

static bool client_event(struct px_err *err, json_t *events, const char *type, const char *id,
			 struct ibc_height h, bool update)
{
	char hs[48];

	height_str(hs, h);
	if (update)
		return app_ibc_event(err, events, type, "client_id", id, "client_type",
				     TM_LC_CLIENT_TYPE, "consensus_height", hs, "consensus_heights",
				     hs, NULL);
	return app_ibc_event(err, events, type, "client_id", id, "client_type", TM_LC_CLIENT_TYPE,
			     "consensus_height", hs, NULL);
}

static bool create_client(struct px_err *err, struct app_refusal *ref, struct app_ibc_ctx *x,
			  json_t *events, const struct ibc_msg_create_client *m)
{
	struct app_ibc_client cl;
	struct ibc_tm_client_state cs;
	struct ibc_tm_consensus_state cons;
	struct tm_ibc_consensus tc;
	struct px_err e = { 0 };
	struct px_slice v;
	uint8_t seq_be[8];
	uint64_t seq = 0;
	char id[IBC_ID_MAX + 1];
	bool found;

	if (!m->has_client_state || !m->has_consensus_state ||
	    ibc_msg_kind_of(m->client_state.type_url) != IBC_MSG_TM_CLIENT_STATE ||
	    ibc_msg_kind_of(m->consensus_state.type_url) != IBC_MSG_TM_CONSENSUS_STATE)
		return app_refuse(ref, "client", APP_IBC_CODE_CLIENT_INVALID,
				  "the devnet hosts 07-tendermint clients only: light client is "
				  "invalid");
	if (!ibc_tm_client_state_decode(&e, &cs, m->client_state.value.ptr,
					m->client_state.value.len) ||
	    !ibc_tm_consensus_state_decode(&e, &cons, m->consensus_state.value.ptr,
					   m->consensus_state.value.len))
		return app_refuse(ref, "sdk", DEVNET_CODE_TX_DECODE, "%s: tx parse error", e.msg);
	if (!ibc_height_is_zero(cs.frozen_height) || cons.root_len == 0)
		return app_refuse(ref, "client", APP_IBC_CODE_CLIENT_INVALID,
				  "a new client must not be frozen and needs a root: light client "
				  "is invalid");
	if (!app_ibc_get(err, x, NEXT_CLIENT_SEQ_KEY, strlen(NEXT_CLIENT_SEQ_KEY), &v, &found))
		return false;
	if (found && v.len == 8) {
		for (size_t i = 0; i < 8; i++)
			seq = seq << 8 | v.ptr[i];
	}
	snprintf(id, sizeof(id), "%s-%" PRIu64, TM_LC_CLIENT_TYPE, seq);
	for (size_t i = 0; i < 8; i++)
		seq_be[i] = (uint8_t)((seq + 1) >> (56 - 8 * i));

	/* the client as it will be loaded, to check it before storing */
	memset(&cl, 0, sizeof(cl));
	cl.x = x;
	snprintf(cl.id, sizeof(cl.id), "%s", id);
	cl.cs = cs;
	snprintf(cl.tc.params.chain_id, sizeof(cl.tc.params.chain_id), "%s", cs.chain_id);
	cl.tc.params.opts.trust_num = cs.trust_level.numerator;
	cl.tc.params.opts.trust_den = cs.trust_level.denominator;
	cl.tc.params.opts.trusting_period_ns = cs.trusting_period;
	cl.tc.params.opts.clock_drift_ns = cs.max_clock_drift;
	cl.tc.params.unbonding_ns = cs.unbonding_period;
	cl.tc.params.latest.revision = cs.latest_height.revision_number;
	cl.tc.params.latest.height = cs.latest_height.revision_height;
	if (!tm_ibc_params_check(&e, &cl.tc.params))
		return app_refuse(ref, "client", APP_IBC_CODE_CLIENT_INVALID,
				  "client state not valid: %s: light client is invalid", e.msg);
	memset(&tc, 0, sizeof(tc));
	tc.time = cons.timestamp;
	tc.root_len = cons.root_len;
	memcpy(tc.root, cons.root, cons.root_len);
	memcpy(tc.next_validators_hash, cons.next_validators_hash, TM_HASH_LEN);
	if (!app_ibc_client_store(err, &cl) ||
	    !app_ibc_consensus_store(err, &cl, cs.latest_height, &tc) ||
	    !app_ibc_put(err, x, NEXT_CLIENT_SEQ_KEY, strlen(NEXT_CLIENT_SEQ_KEY), seq_be,
			 sizeof(seq_be)))
		return false;
	/* reload through the store, as every later message sees it */
	if (!app_ibc_client_load(err, &cl, &found, x, id))
		return false;
	if (!found || app_ibc_client_status(&cl) != IBC_CLIENT_ACTIVE)
		return app_refuse(ref, "client", APP_IBC_CODE_CLIENT_NOT_ACTIVE,
				  "cannot create client with status %s: client state is not active",
				  found ? "Expired" : "Unknown");
	return client_event(err, events, "create_client", id, cs.latest_height, false);
}

static bool load_active(struct px_err *err, struct app_refusal *ref, struct app_ibc_client *cl,
			struct app_ibc_ctx *x, const char *client_id, bool *go)
{
	bool found;

	*go = false;
	if (!app_ibc_client_load(err, cl, &found, x, client_id))
		return false;
	if (!found)
		return app_refuse(ref, "client", APP_IBC_CODE_CLIENT_NOT_FOUND,
				  "client %.64s: light client not found", client_id);
	switch (app_ibc_client_status(cl)) {
	case IBC_CLIENT_ACTIVE:
		*go = true;
		return true;
	case IBC_CLIENT_FROZEN:
		return app_refuse(ref, "client", APP_IBC_CODE_CLIENT_FROZEN,
				  "cannot update client %s with status Frozen: client is not active",
				  client_id);
	default:
		return app_refuse(ref, "client", APP_IBC_CODE_CLIENT_NOT_ACTIVE,
				  "cannot update client %s with status Expired: client is not active",
				  client_id);
	}
}

static void ibc_header_view(struct tm_ibc_header *out, const struct ibc_tm_header *h)
{
	out->signed_header = &h->signed_header.sh;
	out->validators = &h->validator_set.set;
	out->trusted_height.revision = h->trusted_height.revision_number;
	out->trusted_height.height = h->trusted_height.revision_height;
	out->trusted_validators = &h->trusted_validators.set;
}

static bool header_complete(const struct ibc_tm_header *h)
{
	return h->has_signed_header && h->has_validator_set && h->has_trusted_validators &&
	       h->signed_header.has_header && h->signed_header.has_commit;
}

static bool freeze(struct px_err *err, struct app_ibc_client *cl, json_t *events)
{
	struct ibc_height h = cl->cs.latest_height;

	cl->tc.params.frozen.revision = 0;
	cl->tc.params.frozen.height = 1;
	return app_ibc_client_store(err, cl) &&
	       client_event(err, events, "client_misbehaviour", cl->id, h, false);
}

static bool misbehaviour(struct px_err *err, struct app_refusal *ref, struct app_ibc_ctx *x,
			 json_t *events, const char *client_id, const struct ibc_any *any)
{
	struct app_ibc_client cl;
	struct ibc_tm_misbehaviour mb;
	struct tm_ibc_misbehaviour view;
	struct lc_misbehaviour found;
	struct lc_message msg = { TM_IBC_MSG_MISBEHAVIOUR, &view };
	struct px_err e = { 0 };
	bool go, ok = false;

	if (!load_active(err, ref, &cl, x, client_id, &go) || !go)
		return !go && ref->code;
	if (ibc_msg_kind_of(any->type_url) != IBC_MSG_TM_MISBEHAVIOUR)
		return app_refuse(ref, "client", APP_IBC_CODE_MISBEHAVIOUR_INVALID,
				  "want a 07-tendermint Misbehaviour: invalid misbehaviour");
	if (!ibc_tm_misbehaviour_decode(&e, &mb, any->value.ptr, any->value.len))
		return app_refuse(ref, "sdk", DEVNET_CODE_TX_DECODE, "%s: tx parse error", e.msg);
	if (!mb.has_header_1 || !mb.has_header_2 || !header_complete(&mb.header_1) ||
	    !header_complete(&mb.header_2)) {
		app_refuse(ref, "client", APP_IBC_CODE_MISBEHAVIOUR_INVALID,
			   "misbehaviour needs two complete headers: invalid misbehaviour");
		goto done;
	}
	ibc_header_view(&view.h1, &mb.header_1);
	ibc_header_view(&view.h2, &mb.header_2);
	if (!cl.lc.ops->check_misbehaviour(cl.lc.impl, &e, &found, &msg, x->time)) {
		if (x->internal) {
			*err = e;
			goto out;
		}
		app_refuse(ref, "client", APP_IBC_CODE_MISBEHAVIOUR_INVALID,
			   "misbehaviour does not verify (pontifex code %d): %s: invalid "
			   "misbehaviour", (int)e.code, e.msg);
		goto done;
	}
	if (!found.found) {
		app_refuse(ref, "client", APP_IBC_CODE_MISBEHAVIOUR_INVALID,
			   "the two headers do not conflict: invalid misbehaviour");
		goto done;
	}
	if (!freeze(err, &cl, events))
		goto out;
done:
	ok = true;
out:
	ibc_tm_misbehaviour_free(&mb);
	return ok;
}

static bool update_client(struct px_err *err, struct app_refusal *ref, struct app_ibc_ctx *x,
			  json_t *events, const struct ibc_msg_update_client *m)
{
	struct app_ibc_client cl;
	struct ibc_tm_header hd;
	struct tm_ibc_header view;
	struct tm_ibc_consensus held;
	struct lc_message msg = { TM_IBC_MSG_HEADER, &view };
	struct lc_consensus out;
	struct ibc_height hh;
	struct px_err e = { 0 };
	bool go, ok = false, exists;

	if (!load_active(err, ref, &cl, x, m->client_id, &go) || !go)
		return !go && ref->code;
	if (!m->has_client_message)
		return app_refuse(ref, "client", APP_IBC_CODE_HEADER_INVALID,
				  "no client message: invalid client header");
	if (ibc_msg_kind_of(m->client_message.type_url) == IBC_MSG_TM_MISBEHAVIOUR)
		return misbehaviour(err, ref, x, events, m->client_id, &m->client_message);
	if (ibc_msg_kind_of(m->client_message.type_url) != IBC_MSG_TM_HEADER)
		return app_refuse(ref, "client", APP_IBC_CODE_HEADER_INVALID,
				  "want a 07-tendermint Header: invalid client header");
	if (!ibc_tm_header_decode(&e, &hd, m->client_message.value.ptr,
				  m->client_message.value.len))
		return app_refuse(ref, "sdk", DEVNET_CODE_TX_DECODE, "%s: tx parse error", e.msg);
	if (!header_complete(&hd)) {
		app_refuse(ref, "client", APP_IBC_CODE_HEADER_INVALID,
			   "header lacks signed_header, validator_set or trusted_validators: "
			   "invalid client header");
		goto done;
	}
	ibc_header_view(&view, &hd);
	if (!lc_verify_header(&cl.lc, &e, &out, &msg, x->time)) {
		if (x->internal) {
			*err = e;
			goto out;
		}
		if (e.code == PX_E_CONFLICT && (cl.tc.params.frozen.height || cl.tc.params.frozen.revision)) {
			/* ibc-go: a conflicting header freezes the client and the
			 * message succeeds */
			if (!freeze(err, &cl, events))
				goto out;
			goto done;
		}
		app_refuse(ref, "client", APP_IBC_CODE_HEADER_INVALID,
			   "failed to verify header (pontifex code %d): %s: invalid client header",
			   (int)e.code, e.msg);
		goto done;
	}
	hh.revision_number = out.height.revision;
	hh.revision_height = out.height.height;
	if (!cl.tc.consensus(&cl, err, &held, &exists, out.height))
		goto out;
	if (!exists && !app_ibc_consensus_store(err, &cl, hh, &cl.tc.last))
		goto out;
	if (ibc_height_cmp(hh, cl.cs.latest_height) > 0) {
		cl.tc.params.latest = out.height;
		if (!app_ibc_client_store(err, &cl))
			goto out;
	}
	if (!client_event(err, events, "update_client", m->client_id, hh, true))
		goto out;
done:
	ok = true;
out:
	ibc_tm_header_free(&hd);
	return ok;
}

/* ---- 03-connection ---- */

static bool conn_event(struct px_err *err, json_t *events, const char *type,
		       struct app_ibc_ctx *x, const char *connection_id)
{
	struct ibc_connection_end end;
	struct ibc_path p;
	struct px_slice v;
	struct px_err e = { 0 };
	bool found;

	if (!events)
		return true;
	if (!ibc_path_connection(&e, &p, connection_id) ||
	    !app_ibc_get(err, x, p.s, p.len, &v, &found))
		return x->internal ? false : px_err_set(err, PX_E_INTERNAL, "%s", e.msg);
	if (!found || !ibc_connection_end_decode(&e, &end, v.ptr, v.len))
		return px_err_set(err, PX_E_INTERNAL, "connection %s not stored", connection_id);
	return app_ibc_event(err, events, type, "connection_id", connection_id, "client_id",
			     end.client_id, "counterparty_client_id", end.counterparty.client_id,
			     "counterparty_connection_id", end.counterparty.connection_id, NULL);
}

static bool connection_msg(struct px_err *err, struct app_refusal *ref, struct app_ibc_ctx *x,
			   json_t *events, const struct ibc_msg *m)
{
	struct ibc_host h;
	struct px_err e = { 0 };
	char id[IBC_ID_MAX + 1] = "";
	const char *type = "";
	bool ok = false;

	app_ibc_host(&h, x);
	switch (m->kind) {
	case IBC_MSG_CONNECTION_OPEN_INIT: {
		const struct ibc_msg_connection_open_init *c = &m->u.connection_open_init;
		struct ibc_msg_conn_open_init r = {
			.client_id = c->client_id,
			.counterparty = c->counterparty,
			.version = c->has_version ? &c->version : NULL,
			.delay_period = c->delay_period,
		};

		type = "connection_open_init";
		ok = ibc_conn_open_init(&h, &e, id, &r);
		break;
	}
	case IBC_MSG_CONNECTION_OPEN_TRY: {
		const struct ibc_msg_connection_open_try *c = &m->u.connection_open_try;
		struct ibc_msg_conn_open_try r = {
			.client_id = c->client_id,
			.counterparty = c->counterparty,
			.delay_period = c->delay_period,
			.counterparty_versions = c->counterparty_versions,
			.counterparty_versions_len = c->counterparty_versions_len,
			.proof_init = c->proof_init,
			.proof_height = c->proof_height,
		};

		type = "connection_open_try";
		ok = ibc_conn_open_try(&h, &e, id, &r);
		break;
	}
	case IBC_MSG_CONNECTION_OPEN_ACK: {
		const struct ibc_msg_connection_open_ack *c = &m->u.connection_open_ack;
		struct ibc_msg_conn_open_ack r = {
			.connection_id = c->connection_id,
			.counterparty_connection_id = c->counterparty_connection_id,
			.proof_try = c->proof_try,
			.proof_height = c->proof_height,
		};

		if (!c->has_version)
			return app_refuse(ref, "connection", 9, "no version: invalid connection "
					  "version");
		r.version = c->version;
		type = "connection_open_ack";
		snprintf(id, sizeof(id), "%s", c->connection_id);
		ok = ibc_conn_open_ack(&h, &e, &r);
		break;
	}
	default: {
		const struct ibc_msg_connection_open_confirm *c = &m->u.connection_open_confirm;
		struct ibc_msg_conn_open_confirm r = {
			.connection_id = c->connection_id,
			.proof_ack = c->proof_ack,
			.proof_height = c->proof_height,
		};

		type = "connection_open_confirm";
		snprintf(id, sizeof(id), "%s", c->connection_id);
		ok = ibc_conn_open_confirm(&h, &e, &r);
		break;
	}
	}
	if (!ok)
		return app_ibc_rule_failed(err, ref, x, "connection", &e, ibc_msg_kind_name(m->kind));
	return conn_event(err, events, type, x, id);
}

/* ---- 04-channel handshake ---- */

bool app_ibc_chan_load(struct px_err *err, struct app_ibc_ctx *x, struct ibc_channel *out,
		      bool *found, const char *port, const char *channel)
{
	struct ibc_path p;
	struct px_slice v;
	struct px_err e = { 0 };

	*found = false;
	if (!ibc_path_channel(&e, &p, port, channel))
		return true;
	if (!app_ibc_get(err, x, p.s, p.len, &v, found))
		return false;
	if (*found && !ibc_channel_decode(&e, out, v.ptr, v.len)) {
		x->internal = true;
		return px_err_set(err, PX_E_INTERNAL, "stored channel %s/%s: %s", port, channel,
				  e.msg);
	}
	return true;
}

static bool chan_event(struct px_err *err, json_t *events, const char *type,
		       struct app_ibc_ctx *x, const char *port, const char *channel, bool version)
{
	struct ibc_channel c;
	bool found;

	if (!events)
		return true;
	if (!app_ibc_chan_load(err, x, &c, &found, port, channel))
		return false;
	if (!found)
		return px_err_set(err, PX_E_INTERNAL, "channel %s/%s not stored", port, channel);
	/* without version, its key ends the list */
	return app_ibc_event(err, events, type, "port_id", port, "channel_id", channel,
			     "counterparty_port_id", c.counterparty.port_id,
			     "counterparty_channel_id", c.counterparty.channel_id, "connection_id",
			     c.connection_hops[0], version ? "version" : NULL, c.version, NULL);
}

bool app_ibc_port_bound(struct app_refusal *ref, const char *port)
{
	if (strcmp(port, IBC_ICS20_PORT) == 0)
		return true;
	app_refuse(ref, "port", 3, "port %.64s is not bound (the devnet binds %s): port not found",
		   port, IBC_ICS20_PORT);
	return false;
}

static void put_string(struct px_buf *b, uint32_t field, const char *s)
{
	px_pb_put_bytes(b, field, (const uint8_t *)s, strlen(s));
}

/* The counterparty's version of TRY and ACK as a string (cut at
 * IBC_ID_MAX: longer is not "ics20-1" either). */
static void counterparty_version(char out[IBC_ID_MAX + 1], struct px_slice v)
{
	snprintf(out, IBC_ID_MAX + 1, "%.*s", (int)(v.len > IBC_ID_MAX ? IBC_ID_MAX : v.len),
		 (const char *)v.ptr);
}

/* A new channel end (INIT, TRY) on a port the devnet binds, as the
 * transfer app wants it (cver: the counterparty's version on TRY, else
 * NULL), over one connection. False: refused, ref says why. */
static bool chan_new_ok(struct app_refusal *ref, const char *port, const struct ibc_channel *ch,
			const char *cver)
{
	if (!app_ibc_port_bound(ref, port) ||
	    (cver && !app_transfer_check_channel(ref, ch->ordering, cver)) ||
	    !app_transfer_check_channel(ref, ch->ordering, ch->version))
		return false;
	if (ch->connection_hops_len != 1) {
		app_refuse(ref, "channel", 15, "want one connection hop: too many connection hops");
		return false;
	}
	return true;
}

static bool channel_msg(struct px_err *err, struct app_refusal *ref, struct app_ibc_ctx *x,
			json_t *events, const struct ibc_msg *m, struct px_buf *resp)
{
	struct ibc_host h;
	struct px_err e = { 0 };
	char id[IBC_ID_MAX + 1] = "", ver[IBC_ID_MAX + 1] = "";
	const char *port = "", *type = "";
	bool ok = false, with_version = false;

	app_ibc_host(&h, x);
	switch (m->kind) {
	case IBC_MSG_CHANNEL_OPEN_INIT: {
		const struct ibc_msg_channel_open_init *c = &m->u.channel_open_init;
		struct ibc_msg_chan_open_init r = {
			.port_id = c->port_id,
			.ordering = c->channel.ordering,
			.connection_id = c->channel.connection_hops[0],
			.counterparty_port_id = c->channel.counterparty.port_id,
			.version = c->channel.version,
		};

		port = c->port_id;
		if (!chan_new_ok(ref, port, &c->channel, NULL))
			return true;
		type = "channel_open_init";
		with_version = true;
		snprintf(ver, sizeof(ver), "%s", c->channel.version);
		ok = ibc_chan_open_init(&h, &e, id, &r);
		if (ok) {
			put_string(resp, 1, id);
			put_string(resp, 2, ver);
		}
		break;
	}
	case IBC_MSG_CHANNEL_OPEN_TRY: {
		const struct ibc_msg_channel_open_try *c = &m->u.channel_open_try;
		char cver[IBC_ID_MAX + 1];
		struct ibc_msg_chan_open_try r = {
			.port_id = c->port_id,
			.ordering = c->channel.ordering,
			.connection_id = c->channel.connection_hops[0],
			.counterparty_port_id = c->channel.counterparty.port_id,
			.counterparty_channel_id = c->channel.counterparty.channel_id,
			.version = c->channel.version,
			.counterparty_version = cver,
			.proof_init = c->proof_init,
			.proof_height = c->proof_height,
		};

		port = c->port_id;
		counterparty_version(cver, c->counterparty_version);
		if (!chan_new_ok(ref, port, &c->channel, cver))
			return true;
		type = "channel_open_try";
		with_version = true;
		snprintf(ver, sizeof(ver), "%s", c->channel.version);
		ok = ibc_chan_open_try(&h, &e, id, &r);
		if (ok) {
			put_string(resp, 1, ver);
			put_string(resp, 2, id);
		}
		break;
	}
	case IBC_MSG_CHANNEL_OPEN_ACK: {
		const struct ibc_msg_channel_open_ack *c = &m->u.channel_open_ack;
		char cver[IBC_ID_MAX + 1];
		struct ibc_msg_chan_open_ack r = {
			.port_id = c->port_id,
			.channel_id = c->channel_id,
			.counterparty_channel_id = c->counterparty_channel_id,
			.counterparty_version = cver,
			.proof_try = c->proof_try,
			.proof_height = c->proof_height,
		};

		port = c->port_id;
		counterparty_version(cver, c->counterparty_version);
		if (!app_ibc_port_bound(ref, port) ||
		    !app_transfer_check_channel(ref, IBC_ORDER_UNORDERED, cver))
			return true;
		type = "channel_open_ack";
		snprintf(id, sizeof(id), "%s", c->channel_id);
		ok = ibc_chan_open_ack(&h, &e, &r);
		break;
	}
	default: {
		const struct ibc_msg_channel_open_confirm *c = &m->u.channel_open_confirm;
		struct ibc_msg_chan_open_confirm r = {
			.port_id = c->port_id,
			.channel_id = c->channel_id,
			.proof_ack = c->proof_ack,
			.proof_height = c->proof_height,
		};

		port = c->port_id;
		if (!app_ibc_port_bound(ref, port))
			return true;
		type = "channel_open_confirm";
		snprintf(id, sizeof(id), "%s", c->channel_id);
		ok = ibc_chan_open_confirm(&h, &e, &r);
		break;
	}
	}
	if (!ok)
		return app_ibc_rule_failed(err, ref, x, "channel", &e, ibc_msg_kind_name(m->kind));
	return chan_event(err, events, type, x, port, id, with_version);
}

bool app_ibc_run(struct px_err *err, struct app_refusal *ref, struct devnet_app *a,
		 struct app_cache *c, json_t *events, const struct ibc_msg *m, int64_t height,
		 struct px_buf *resp)
{
	struct app_ibc_ctx x = { .a = a, .c = c, .height = height, .time = a->block_time };

	switch (m->kind) {
	case IBC_MSG_CREATE_CLIENT:
		return create_client(err, ref, &x, events, &m->u.create_client);
	case IBC_MSG_UPDATE_CLIENT:
		return update_client(err, ref, &x, events, &m->u.update_client);
	case IBC_MSG_SUBMIT_MISBEHAVIOUR:
		return misbehaviour(err, ref, &x, events, m->u.submit_misbehaviour.client_id,
				    &m->u.submit_misbehaviour.misbehaviour);
	case IBC_MSG_CONNECTION_OPEN_INIT:
	case IBC_MSG_CONNECTION_OPEN_TRY:
	case IBC_MSG_CONNECTION_OPEN_ACK:
	case IBC_MSG_CONNECTION_OPEN_CONFIRM:
		return connection_msg(err, ref, &x, events, m);
	case IBC_MSG_CHANNEL_OPEN_INIT:
	case IBC_MSG_CHANNEL_OPEN_TRY:
	case IBC_MSG_CHANNEL_OPEN_ACK:
	case IBC_MSG_CHANNEL_OPEN_CONFIRM:
		return channel_msg(err, ref, &x, events, m, resp);
	case IBC_MSG_RECV_PACKET:
		return app_ibc_recv(err, ref, &x, events, &m->u.recv_packet, resp);
	case IBC_MSG_ACKNOWLEDGEMENT:
		return app_ibc_ack(err, ref, &x, events, &m->u.acknowledgement, resp);
	case IBC_MSG_TIMEOUT:
		return app_ibc_timeout(err, ref, &x, events, &m->u.timeout, resp);
	case IBC_MSG_TRANSFER:
		return app_ibc_transfer(err, ref, &x, events, &m->u.transfer, resp);
	default:
		return px_err_set(err, PX_E_INTERNAL, "not an IBC message");
	}
}
