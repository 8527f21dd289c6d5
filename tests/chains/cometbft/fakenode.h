/* Test helper: a fake CometBFT websocket endpoint on 127.0.0.1 (an
 * ephemeral port), run by libwebsockets on its own thread so that the
 * client under test can block in its own loop (the light-block provider
 * does). Each request is parsed and handed to the test's handler on the
 * server thread; the handler answers with fakenode_reply* or
 * fakenode_send, or not at all. Anything may also be sent from the test
 * thread (events, raw text), and the connection can be dropped between two
 * messages. One connection is served at a time: the most recent. */
#ifndef PX_TESTS_COMETBFT_FAKENODE_H
#define PX_TESTS_COMETBFT_FAKENODE_H

#include <stddef.h>

#include <jansson.h>

struct fakenode;

/* Runs on the server thread; req is borrowed. */
typedef void (*fakenode_handler)(void *arg, struct fakenode *fn, const json_t *req);

/* Aborts the test program when the server cannot start. */
struct fakenode *fakenode_start(fakenode_handler handler, void *arg);
void fakenode_stop(struct fakenode *fn);

/* "ws://127.0.0.1:PORT/websocket" */
const char *fakenode_url(const struct fakenode *fn);

/* Thread-safe; messages go out in the order they were queued. */
void fakenode_send(struct fakenode *fn, const char *text, size_t len);
void fakenode_send_json(struct fakenode *fn, const json_t *msg);
/* {"jsonrpc":"2.0","id":id,"result":result}; result is stolen. */
void fakenode_reply(struct fakenode *fn, const json_t *id, json_t *result);
void fakenode_reply_error(struct fakenode *fn, const json_t *id, int code, const char *message,
			  const char *data);
/* Closes the current connection once everything queued before has gone
 * out. Ignored when no client is connected. */
void fakenode_drop(struct fakenode *fn);

/* Connections accepted so far. */
unsigned fakenode_connections(struct fakenode *fn);
/* True when a client is connected and nothing is queued. */
int fakenode_idle(struct fakenode *fn);

#endif
