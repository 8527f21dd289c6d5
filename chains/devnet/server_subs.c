/* Subscription table of a websocket client (see server_subs.h). */
#include "chains/devnet/server_subs.h"

#include <stdio.h>
#include <string.h>

static void sub_free(struct sub *s)
{
	json_decref(s->id);
	memset(s, 0, sizeof(*s));
}

json_t *subs_subscribe(struct subs *t, const json_t *id, const json_t *params,
		       struct devnet_rpc_error *e)
{
	const json_t *q = json_is_object(params) ? json_object_get(params, "query") :
			  json_array_get(params, 0);
	char name[32];
	struct sub *s;

	memset(e, 0, sizeof(*e));
	if (!json_is_string(q) || json_string_length(q) >= sizeof(s->query)) {
		e->code = DEVNET_RPC_INVALID_PARAMS;
		snprintf(e->data, sizeof(e->data), "query: want a string of at most %zu bytes",
			 sizeof(s->query) - 1);
		return NULL;
	}
	if (!devnet_rpc_parse_query(e, name, sizeof(name), json_string_value(q)))
		return NULL;
	if (t->n == DEVNET_SERVER_MAX_SUBS) {
		e->code = DEVNET_RPC_INTERNAL;
		snprintf(e->data, sizeof(e->data), "at most %d subscriptions per client",
			 DEVNET_SERVER_MAX_SUBS);
		return NULL;
	}
	for (size_t i = 0; i < t->n; i++) {
		if (strcmp(t->s[i].event, name) == 0) {
			e->code = DEVNET_RPC_INTERNAL;
			snprintf(e->data, sizeof(e->data), "already subscribed");
			return NULL;
		}
	}
	s = &t->s[t->n++];
	s->id = id ? json_incref((json_t *)id) : json_integer(-1);
	snprintf(s->event, sizeof(s->event), "%s", name);
	snprintf(s->query, sizeof(s->query), "tm.event = '%s'", name);
	return json_object();
}

json_t *subs_unsubscribe(struct subs *t, const json_t *params, bool all,
			 struct devnet_rpc_error *e)
{
	const json_t *q = json_is_object(params) ? json_object_get(params, "query") :
			  json_array_get(params, 0);
	char name[32];
	bool found = false;

	memset(e, 0, sizeof(*e));
	if (!all && (!json_is_string(q) ||
		     !devnet_rpc_parse_query(e, name, sizeof(name), json_string_value(q)))) {
		if (!e->code) {
			e->code = DEVNET_RPC_INVALID_PARAMS;
			snprintf(e->data, sizeof(e->data), "query: want a string");
		}
		return NULL;
	}
	for (size_t i = 0; i < t->n;) {
		if (all || strcmp(t->s[i].event, name) == 0) {
			sub_free(&t->s[i]);
			t->s[i] = t->s[--t->n];
			memset(&t->s[t->n], 0, sizeof(t->s[0]));
			found = true;
		} else {
			i++;
		}
	}
	if (!found) {
		e->code = DEVNET_RPC_INTERNAL;
		snprintf(e->data, sizeof(e->data), "subscription not found");
		return NULL;
	}
	return json_object();
}

void subs_clear(struct subs *t)
{
	for (size_t i = 0; i < t->n; i++)
		sub_free(&t->s[i]);
	t->n = 0;
}
