/* Error reporting shared by every layer: a code from a fixed range and the
 * message of the first failure. Later failures never overwrite the first, so
 * a chain of calls reports the root cause. */
#ifndef PX_COMMON_ERRORS_H
#define PX_COMMON_ERRORS_H

#include <stdbool.h>

#define PX_MUST_CHECK __attribute__((warn_unused_result))
#define PX_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Ranges: 1xx resources, 2xx malformed input, 3xx verification failed,
 * 4xx chain or RPC, 5xx configuration and usage. */
enum px_code {
	PX_OK = 0,

	PX_E_NOMEM = 100,
	PX_E_IO = 101,
	PX_E_INTERNAL = 102,

	PX_E_MALFORMED = 200,
	PX_E_TRUNCATED = 201,
	PX_E_NONCANONICAL = 202,
	PX_E_TOO_LARGE = 203,
	PX_E_ENCODING = 204,
	PX_E_NUMBER = 205,
	PX_E_TIME = 206,
	PX_E_JSON = 207,
	PX_E_UNSUPPORTED = 208,

	PX_E_VERIFY = 300,
	PX_E_ROOT_MISMATCH = 301,
	PX_E_KEY_MISMATCH = 302,
	PX_E_VALUE_MISMATCH = 303,
	PX_E_SPEC_MISMATCH = 304,
	PX_E_NEIGHBOUR = 305,
	PX_E_NO_PROOF_FOR_KEY = 306,
	PX_E_KEY_ORDER = 307,
	PX_E_PROOF_SHAPE = 308,

	/* Light-client rules: one code per rule. */
	PX_E_NOT_ENOUGH_TRUST = 320,
	PX_E_TRUST_EXPIRED = 321,
	PX_E_CHAIN_ID = 322,
	PX_E_HEIGHT = 323,
	PX_E_TIME_ORDER = 324,
	PX_E_FUTURE = 325,
	PX_E_VALSET_HASH = 326,
	PX_E_NEXT_VALSET = 327,
	PX_E_BLOCK_ID = 328,
	PX_E_BAD_SIGNATURE = 329,
	PX_E_INSUFFICIENT_POWER = 330,
	PX_E_DUPLICATE_VOTE = 331,
	PX_E_UNKNOWN_VALIDATOR = 332,
	PX_E_COMMIT_SHAPE = 333,
	PX_E_FROZEN = 334,
	PX_E_CONFLICT = 335,

	/* Ethereum execution-layer light client. */
	PX_E_HASH_MISMATCH = 340,
	PX_E_PARENT_MISMATCH = 341,
	PX_E_NOT_SUCCESSOR = 342,

	/* IBC protocol rules (ibc/core, ibc/transfer): one code per rule. */
	PX_E_IBC_NOT_FOUND = 360,
	PX_E_IBC_STATE = 362,
	PX_E_IBC_COUNTERPARTY = 363,
	PX_E_IBC_VERSION = 364,
	PX_E_IBC_PROOF = 365,
	PX_E_IBC_ALREADY_RECEIVED = 366,
	PX_E_IBC_SEQUENCE = 367,
	PX_E_IBC_TIMED_OUT = 368,
	PX_E_IBC_NOT_TIMED_OUT = 369,
	PX_E_IBC_NO_COMMITMENT = 370,
	PX_E_IBC_COMMITMENT_MISMATCH = 371,
	PX_E_IBC_ACK_EXISTS = 372,
	PX_E_IBC_FUNDS = 373,
	PX_E_IBC_OVERFLOW = 374,

	PX_E_RPC = 400,

	PX_E_USAGE = 500,
	PX_E_CONFIG = 501,
};

#define PX_ERR_MSG_MAX 256

struct px_err {
	int code;
	char msg[PX_ERR_MSG_MAX];
};

/* Records code and message unless an earlier failure is already recorded.
 * err may be NULL. Always returns false so callers can write
 * `return px_err_set(...)`. */
bool px_err_set(struct px_err *err, int code, const char *fmt, ...) PX_PRINTF(3, 4);

/* Adds context in front of the recorded message ("proof: " + msg). */
void px_err_prefix(struct px_err *err, const char *fmt, ...) PX_PRINTF(2, 3);

void px_err_clear(struct px_err *err);

bool px_err_is_set(const struct px_err *err);

/* A stable, lower-case name for a code ("malformed", "root_mismatch"). */
const char *px_code_name(int code);

/* The process exit code of the CLI contract for an error code:
 * 0 none, 1 verification failed, 2 usage/config/malformed, 3 I/O or RPC. */
int px_code_exit_status(int code);

#endif
