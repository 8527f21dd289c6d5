/* The subscription table of one websocket client of the devnet server
 * (server.c): subscribe / unsubscribe / unsubscribe_all for queries
 * tm.event = 'NAME', at most DEVNET_SERVER_MAX_SUBS, one per event name.
 * Not a public header. */
#ifndef PX_CHAINS_DEVNET_SERVER_SUBS_H
#define PX_CHAINS_DEVNET_SERVER_SUBS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "chains/devnet/rpc.h"
#include "chains/devnet/server.h"

struct sub {
	json_t *id;		/* the subscribe request's id, owned */
	char query[128];
	char event[32];
};

struct subs {
	struct sub s[DEVNET_SERVER_MAX_SUBS];
	size_t n;
};

/* Each returns the result ({}, new reference), or NULL with e set. */
json_t *subs_subscribe(struct subs *t, const json_t *id, const json_t *params,
		       struct devnet_rpc_error *e);
json_t *subs_unsubscribe(struct subs *t, const json_t *params, bool all,
			 struct devnet_rpc_error *e);
/* Frees every subscription. */
void subs_clear(struct subs *t);

#endif
