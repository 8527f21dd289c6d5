/* What the devnet helper programs of the relayer tests share
 * (relay_devnet, witness_devnet: one node's websocket client, plain calls,
 * the IBC messages of a range of blocks; path_devnet, txsub_devnet: the
 * CHECK counters and the bank balance). Everything here is unverified
 * chain data for tests to compare with what they expect; a failure goes
 * to the program's die function, which exits. */
#ifndef PX_TESTS_RELAYER_DEVNET_CLIENT_H
#define PX_TESTS_RELAYER_DEVNET_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "chains/cometbft/client.h"
#include "common/errors.h"
#include "ibc/codec/msg.h"

/* Reports what failed and exits; err may be NULL. */
typedef void (*dc_die_fn)(const char *what, const struct px_err *err);

/* One IBC message of the index-th transaction of block `height`. */
typedef void (*dc_msg_fn)(void *arg, int64_t height, size_t tx_index, const struct ibc_msg *m);

struct dc_node {
	dc_die_fn die;
	struct cmt_loop *loop;
	struct cmt_client *client;
};

/* Connects to url (waits up to 10 s). */
void dc_connect(struct dc_node *n, const char *url);
void dc_close(struct dc_node *n);

/* The result of one JSON-RPC call (new reference); params is stolen. */
json_t *dc_call(struct dc_node *n, const char *method, json_t *params);

/* The node's latest height (0 when the status does not say). */
int64_t dc_latest(struct dc_node *n);

/* Every message of every transaction in blocks from..to, decoded, in
 * order. */
void dc_each_msg(struct dc_node *n, int64_t from, int64_t to, dc_msg_fn fn, void *arg);

/* The bank balance of addr in denom at the latest height, through
 * abci_query on c. */
uint64_t dc_balance(dc_die_fn die, struct cmt_client *c, const char *addr, const char *denom,
		    uint32_t timeout_ms);

/* Checks that count and go on: "FAIL line N: COND: MESSAGE" for each
 * failed one; dc_checks_done prints the totals and gives the exit status. */
extern int dc_checks, dc_failures;

#define CHECK(cond, ...)                                                  \
	do {                                                              \
		dc_checks++;                                              \
		if (!(cond)) {                                            \
			dc_failures++;                                    \
			printf("FAIL line %d: %s: ", __LINE__, #cond);    \
			printf(__VA_ARGS__);                              \
			printf("\n");                                     \
		}                                                         \
	} while (0)

/* A failure that ends the checks: "FAIL WHAT: MESSAGE (code N)", exit 1. */
void dc_check_die(const char *what, const struct px_err *err);

int dc_checks_done(void);

#endif
