/* JSON-RPC request table and reply matching (see rpc.h). Replies are
 * looked up by id in a fixed table; the table is small (a follower has a
 * handful of requests in flight), so a linear scan is the simple choice. */
#include "chains/ethereum/rpc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"

/* jansson keeps integers as json_int_t; ids stay far below its range. */
#define ID_MAX ((uint64_t)1 << 52)

void ethrpc_init(struct ethrpc *r, ethrpc_send_fn send, void *transport)
{
	memset(r, 0, sizeof(*r));
	r->send = send;
	r->transport = transport;
	r->next_id = 1;
}

void ethrpc_set_notify(struct ethrpc *r, ethrpc_notify_fn notify, void *user)
{
	r->notify = notify;
	r->notify_user = user;
}

size_t ethrpc_pending_count(const struct ethrpc *r)
{
	return r->npending;
}

static struct ethrpc_pending *find_id(struct ethrpc *r, uint64_t id)
{
	for (size_t i = 0; i < ETHRPC_MAX_PENDING; i++)
		if (r->pending[i].used && r->pending[i].id == id)
			return &r->pending[i];
	return NULL;
}

/* Takes the request out of the table; the copy is what the callback needs. */
static struct ethrpc_pending take(struct ethrpc *r, struct ethrpc_pending *p)
{
	struct ethrpc_pending copy = *p;

	memset(p, 0, sizeof(*p));
	r->npending--;
	return copy;
}

bool ethrpc_call(struct ethrpc *r, struct px_err *err, uint64_t *id_out, const char *method,
		 json_t *params, uint64_t now_ms, uint64_t timeout_ms, ethrpc_reply_fn cb,
		 void *user)
{
	struct ethrpc_pending *slot = NULL;
	json_t *req = NULL;
	char *text = NULL;
	bool ok = false;
	uint64_t id;

	if (!params)
		params = json_array();
	if (!params) {
		px_err_set(err, PX_E_NOMEM, "%s: out of memory", method);
		goto out;
	}
	for (size_t i = 0; i < ETHRPC_MAX_PENDING && !slot; i++)
		if (!r->pending[i].used)
			slot = &r->pending[i];
	if (!slot) {
		json_decref(params);
		px_err_set(err, PX_E_TOO_LARGE, "%s: %u requests already pending", method,
			   ETHRPC_MAX_PENDING);
		goto out;
	}
	id = r->next_id;
	r->next_id = r->next_id >= ID_MAX ? 1 : r->next_id + 1;
	req = json_pack("{s:s, s:I, s:s, s:o}", "jsonrpc", "2.0", "id", (json_int_t)id,
			"method", method, "params", params);
	if (!req || !(text = json_dumps(req, JSON_COMPACT))) {
		px_err_set(err, PX_E_NOMEM, "%s: out of memory", method);
		goto out;
	}
	if (!r->send(r->transport, text, strlen(text))) {
		px_err_set(err, PX_E_IO, "%s: not connected", method);
		goto out;
	}
	slot->used = true;
	slot->id = id;
	slot->deadline_ms = now_ms + timeout_ms;
	slot->cb = cb;
	slot->user = user;
	snprintf(slot->method, sizeof(slot->method), "%s", method);
	r->npending++;
	r->stats.sent++;
	if (id_out)
		*id_out = id;
	ok = true;
out:
	free(text);
	json_decref(req);
	return ok;
}

/* Copies a node-supplied message, keeping printable ASCII only, so that a
 * hostile node cannot put control characters into our logs. */
static void printable(char *out, size_t cap, const char *s)
{
	size_t n = 0;

	for (; s && *s && n + 1 < cap; s++)
		out[n++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
	out[n] = '\0';
}

static void reply_error(struct px_err *e, const char *method, const json_t *error)
{
	json_t *code = json_object_get(error, "code");
	json_t *msg = json_object_get(error, "message");
	char text[160];

	printable(text, sizeof(text), json_is_string(msg) ? json_string_value(msg) : "");
	if (json_is_integer(code))
		px_err_set(e, PX_E_RPC, "%s: node error %" JSON_INTEGER_FORMAT ": %s", method,
			   json_integer_value(code), text);
	else
		px_err_set(e, PX_E_RPC, "%s: node error: %s", method, text);
}

static bool handle_reply(struct ethrpc *r, struct px_err *err, json_t *msg, json_t *idv)
{
	struct ethrpc_pending *p, req;
	json_t *result = json_object_get(msg, "result");
	json_t *error = json_object_get(msg, "error");
	struct px_err e = { 0 };
	json_int_t id;

	if (!json_is_integer(idv) || (id = json_integer_value(idv)) <= 0 ||
	    !(p = find_id(r, (uint64_t)id))) {
		r->stats.unknown_ids++;
		return px_err_set(err, PX_E_RPC, "reply to no pending request");
	}
	req = take(r, p);
	r->stats.replies++;
	if (error && !json_is_null(error)) {
		r->stats.error_replies++;
		reply_error(&e, req.method, error);
		req.cb(req.user, &e, NULL);
	} else if (!result) {
		px_err_set(&e, PX_E_JSON, "%s: reply has neither result nor error", req.method);
		req.cb(req.user, &e, NULL);
	} else {
		req.cb(req.user, NULL, result);
	}
	return true;
}

static bool handle_notification(struct ethrpc *r, struct px_err *err, json_t *msg)
{
	json_t *params, *sub, *result;

	if (!json_is_string(json_object_get(msg, "method")) ||
	    strcmp(json_string_value(json_object_get(msg, "method")), "eth_subscription") != 0) {
		r->stats.malformed++;
		return px_err_set(err, PX_E_JSON, "unexpected request from the node");
	}
	params = json_object_get(msg, "params");
	sub = json_object_get(params, "subscription");
	result = json_object_get(params, "result");
	if (!json_is_string(sub) || !result || strlen(json_string_value(sub)) > ETHRPC_SUB_ID_MAX) {
		r->stats.malformed++;
		return px_err_set(err, PX_E_JSON,
				  "eth_subscription: field 'params' needs 'subscription' and 'result'");
	}
	r->stats.notifications++;
	if (r->notify)
		r->notify(r->notify_user, json_string_value(sub), result);
	return true;
}

bool ethrpc_receive(struct ethrpc *r, struct px_err *err, const char *text, size_t len)
{
	json_t *msg = px_json_load_buf(err, text, len);
	json_t *idv;
	bool ok;

	if (!msg) {
		r->stats.malformed++;
		return false;
	}
	if (json_is_array(msg)) {
		r->stats.malformed++;
		ok = px_err_set(err, PX_E_UNSUPPORTED, "batch replies are not used");
	} else if (!json_is_object(msg)) {
		r->stats.malformed++;
		ok = px_err_set(err, PX_E_JSON, "message is %s, not an object",
				px_json_type_name(msg));
	} else if ((idv = json_object_get(msg, "id")) && !json_is_null(idv)) {
		ok = handle_reply(r, err, msg, idv);
	} else {
		ok = handle_notification(r, err, msg);
	}
	json_decref(msg);
	return ok;
}

size_t ethrpc_expire(struct ethrpc *r, uint64_t now_ms)
{
	size_t n = 0;

	for (size_t i = 0; i < ETHRPC_MAX_PENDING; i++) {
		struct ethrpc_pending req;
		struct px_err e = { 0 };

		if (!r->pending[i].used || r->pending[i].deadline_ms > now_ms)
			continue;
		req = take(r, &r->pending[i]);
		r->stats.timeouts++;
		px_err_set(&e, PX_E_RPC, "%s: timeout", req.method);
		req.cb(req.user, &e, NULL);
		n++;
	}
	return n;
}

void ethrpc_fail_all(struct ethrpc *r, const char *why)
{
	/* Requests issued by the callbacks get ids from `first` on (ids only
	 * grow until they wrap at ID_MAX, far beyond a connection's life). */
	uint64_t first = r->next_id;

	for (size_t i = 0; i < ETHRPC_MAX_PENDING; i++) {
		struct ethrpc_pending req;
		struct px_err e = { 0 };

		if (!r->pending[i].used || r->pending[i].id >= first)
			continue;
		req = take(r, &r->pending[i]);
		px_err_set(&e, PX_E_RPC, "%s: %s", req.method, why);
		req.cb(req.user, &e, NULL);
	}
}

bool ethrpc_cancel(struct ethrpc *r, uint64_t id)
{
	struct ethrpc_pending *p = find_id(r, id);

	if (!p)
		return false;
	(void)take(r, p);
	return true;
}
