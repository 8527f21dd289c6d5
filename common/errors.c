/* First-failure-wins error records and the mapping from error codes to the
 * CLI's exit statuses. */
#include "common/errors.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

bool px_err_set(struct px_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->code != PX_OK)
		return false;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return false;
}

void px_err_prefix(struct px_err *err, const char *fmt, ...)
{
	char out[PX_ERR_MSG_MAX];
	size_t hlen, olen;
	va_list ap;
	int n;

	if (!err || err->code == PX_OK)
		return;
	va_start(ap, fmt);
	n = vsnprintf(out, sizeof(out), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	/* The message is cut at the buffer's end; the head is kept whole when
	 * it fits, since it names where the failure happened. */
	hlen = strlen(out);
	olen = strnlen(err->msg, sizeof(err->msg) - 1);
	if (olen > sizeof(out) - 1 - hlen)
		olen = sizeof(out) - 1 - hlen;
	memcpy(out + hlen, err->msg, olen);
	out[hlen + olen] = '\0';
	memcpy(err->msg, out, sizeof(out));
}

void px_err_clear(struct px_err *err)
{
	if (!err)
		return;
	err->code = PX_OK;
	err->msg[0] = '\0';
}

bool px_err_is_set(const struct px_err *err)
{
	return err && err->code != PX_OK;
}

const char *px_code_name(int code)
{
	switch (code) {
	case PX_OK: return "ok";
	case PX_E_NOMEM: return "out_of_memory";
	case PX_E_IO: return "io";
	case PX_E_INTERNAL: return "internal";
	case PX_E_MALFORMED: return "malformed";
	case PX_E_TRUNCATED: return "truncated";
	case PX_E_NONCANONICAL: return "non_canonical";
	case PX_E_TOO_LARGE: return "too_large";
	case PX_E_ENCODING: return "bad_encoding";
	case PX_E_NUMBER: return "bad_number";
	case PX_E_TIME: return "bad_time";
	case PX_E_JSON: return "bad_json";
	case PX_E_UNSUPPORTED: return "unsupported";
	case PX_E_VERIFY: return "not_verified";
	case PX_E_ROOT_MISMATCH: return "root_mismatch";
	case PX_E_KEY_MISMATCH: return "key_mismatch";
	case PX_E_VALUE_MISMATCH: return "value_mismatch";
	case PX_E_SPEC_MISMATCH: return "spec_mismatch";
	case PX_E_NEIGHBOUR: return "not_neighbours";
	case PX_E_NO_PROOF_FOR_KEY: return "no_proof_for_key";
	case PX_E_KEY_ORDER: return "key_order";
	case PX_E_PROOF_SHAPE: return "proof_shape";
	case PX_E_NOT_ENOUGH_TRUST: return "not_enough_trust";
	case PX_E_TRUST_EXPIRED: return "trust_expired";
	case PX_E_CHAIN_ID: return "chain_id_mismatch";
	case PX_E_HEIGHT: return "height_not_increasing";
	case PX_E_TIME_ORDER: return "time_not_increasing";
	case PX_E_FUTURE: return "header_from_future";
	case PX_E_VALSET_HASH: return "validator_set_mismatch";
	case PX_E_NEXT_VALSET: return "next_validator_set_mismatch";
	case PX_E_BLOCK_ID: return "block_id_mismatch";
	case PX_E_BAD_SIGNATURE: return "bad_signature";
	case PX_E_INSUFFICIENT_POWER: return "insufficient_voting_power";
	case PX_E_DUPLICATE_VOTE: return "duplicate_vote";
	case PX_E_UNKNOWN_VALIDATOR: return "unknown_validator";
	case PX_E_COMMIT_SHAPE: return "commit_mismatch";
	case PX_E_FROZEN: return "client_frozen";
	case PX_E_CONFLICT: return "conflicting_headers";
	case PX_E_HASH_MISMATCH: return "hash_mismatch";
	case PX_E_PARENT_MISMATCH: return "parent_mismatch";
	case PX_E_NOT_SUCCESSOR: return "not_successor";
	case PX_E_IBC_NOT_FOUND: return "ibc_not_found";
	case PX_E_IBC_STATE: return "ibc_wrong_state";
	case PX_E_IBC_COUNTERPARTY: return "ibc_wrong_counterparty";
	case PX_E_IBC_VERSION: return "ibc_unsupported_version";
	case PX_E_IBC_PROOF: return "ibc_bad_proof";
	case PX_E_IBC_ALREADY_RECEIVED: return "ibc_already_received";
	case PX_E_IBC_SEQUENCE: return "ibc_wrong_sequence";
	case PX_E_IBC_TIMED_OUT: return "ibc_timed_out";
	case PX_E_IBC_NOT_TIMED_OUT: return "ibc_not_timed_out";
	case PX_E_IBC_NO_COMMITMENT: return "ibc_commitment_missing";
	case PX_E_IBC_COMMITMENT_MISMATCH: return "ibc_commitment_mismatch";
	case PX_E_IBC_ACK_EXISTS: return "ibc_ack_exists";
	case PX_E_IBC_FUNDS: return "ibc_insufficient_funds";
	case PX_E_IBC_OVERFLOW: return "ibc_amount_overflow";
	case PX_E_RPC: return "rpc";
	case PX_E_USAGE: return "usage";
	case PX_E_CONFIG: return "config";
	default: break;
	}
	if (code >= 100 && code < 200)
		return "resource";
	if (code >= 200 && code < 300)
		return "malformed";
	if (code >= 300 && code < 400)
		return "not_verified";
	if (code >= 400 && code < 500)
		return "rpc";
	if (code >= 500 && code < 600)
		return "config";
	return "unknown";
}

int px_code_exit_status(int code)
{
	if (code == PX_OK)
		return 0;
	if (code >= 300 && code < 400)
		return 1;
	if ((code >= 200 && code < 300) || (code >= 500 && code < 600))
		return 2;
	return 3;
}
