/* Unit tests for common/errors.c: the first failure wins, a NULL record is
 * allowed everywhere, prefixes are cut at PX_ERR_MSG_MAX without overflow,
 * and every code has a stable name and the CLI exit status of its range. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "common/errors.h"

static void set_records_code_and_message(void **state)
{
	struct px_err err = { 0 };

	assert_false(px_err_is_set(&err));
	assert_false(px_err_set(&err, PX_E_MALFORMED, "bad %s at %d", "tag", 7));
	assert_true(px_err_is_set(&err));
	assert_int_equal(err.code, PX_E_MALFORMED);
	assert_string_equal(err.msg, "bad tag at 7");
}

static void first_failure_wins(void **state)
{
	struct px_err err = { 0 };

	assert_false(px_err_set(&err, PX_E_TRUNCATED, "first"));
	assert_false(px_err_set(&err, PX_E_VERIFY, "second"));
	assert_false(px_err_set(&err, PX_E_IO, "third %d", 3));
	assert_int_equal(err.code, PX_E_TRUNCATED);
	assert_string_equal(err.msg, "first");
}

static void clear_allows_a_new_failure(void **state)
{
	struct px_err err = { 0 };

	assert_false(px_err_set(&err, PX_E_IO, "disk"));
	px_err_clear(&err);
	assert_false(px_err_is_set(&err));
	assert_int_equal(err.code, PX_OK);
	assert_string_equal(err.msg, "");
	assert_false(px_err_set(&err, PX_E_RPC, "node down"));
	assert_int_equal(err.code, PX_E_RPC);
	assert_string_equal(err.msg, "node down");
}

static void null_record_is_allowed(void **state)
{
	assert_false(px_err_set(NULL, PX_E_IO, "ignored %s", "x"));
	px_err_prefix(NULL, "ctx: ");
	px_err_clear(NULL);
	assert_false(px_err_is_set(NULL));
}

static void long_message_is_cut_and_terminated(void **state)
{
	struct px_err err = { 0 };
	char big[PX_ERR_MSG_MAX * 2];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_false(px_err_set(&err, PX_E_MALFORMED, "%s", big));
	assert_int_equal(strlen(err.msg), PX_ERR_MSG_MAX - 1);
	assert_int_equal(err.msg[PX_ERR_MSG_MAX - 2], 'x');
}

static void prefix_adds_context_in_front(void **state)
{
	struct px_err err = { 0 };

	assert_false(px_err_set(&err, PX_E_ROOT_MISMATCH, "root differs"));
	px_err_prefix(&err, "proof %d: ", 2);
	px_err_prefix(&err, "packet: ");
	assert_int_equal(err.code, PX_E_ROOT_MISMATCH);
	assert_string_equal(err.msg, "packet: proof 2: root differs");
}

static void prefix_without_failure_does_nothing(void **state)
{
	struct px_err err = { 0 };

	px_err_prefix(&err, "context: ");
	assert_false(px_err_is_set(&err));
	assert_string_equal(err.msg, "");
}

/* A full message keeps its head whole and loses its tail. */
static void prefix_truncates_the_old_message(void **state)
{
	struct px_err err = { 0 };
	char body[PX_ERR_MSG_MAX];
	const char *head = "outer context: ";
	size_t hlen = strlen(head);

	memset(body, 'b', sizeof(body) - 1);
	body[sizeof(body) - 1] = '\0';
	assert_false(px_err_set(&err, PX_E_MALFORMED, "%s", body));
	assert_int_equal(strlen(err.msg), PX_ERR_MSG_MAX - 1);

	px_err_prefix(&err, "%s", head);
	assert_int_equal(strlen(err.msg), PX_ERR_MSG_MAX - 1);
	assert_memory_equal(err.msg, head, hlen);
	for (size_t i = hlen; i < PX_ERR_MSG_MAX - 1; i++)
		assert_int_equal(err.msg[i], 'b');
	assert_int_equal(err.code, PX_E_MALFORMED);
}

/* A head longer than the record pushes the old message out entirely. */
static void prefix_longer_than_record(void **state)
{
	struct px_err err = { 0 };
	char head[PX_ERR_MSG_MAX * 2];

	memset(head, 'h', sizeof(head) - 1);
	head[sizeof(head) - 1] = '\0';
	assert_false(px_err_set(&err, PX_E_IO, "root cause"));
	px_err_prefix(&err, "%s", head);
	assert_int_equal(strlen(err.msg), PX_ERR_MSG_MAX - 1);
	assert_null(strchr(err.msg, 'r'));
	assert_int_equal(err.code, PX_E_IO);
}

/* A head exactly one byte short of the record leaves no room for the old
 * message; the boundary must still be terminated. */
static void prefix_exactly_fills_record(void **state)
{
	struct px_err err = { 0 };
	char head[PX_ERR_MSG_MAX];

	memset(head, 'h', sizeof(head) - 1);
	head[sizeof(head) - 1] = '\0';
	assert_false(px_err_set(&err, PX_E_IO, "cause"));
	px_err_prefix(&err, "%s", head);
	assert_string_equal(err.msg, head);

	px_err_clear(&err);
	head[sizeof(head) - 2] = '\0';
	assert_false(px_err_set(&err, PX_E_IO, "cause"));
	px_err_prefix(&err, "%s", head);
	assert_int_equal(strlen(err.msg), PX_ERR_MSG_MAX - 1);
	assert_int_equal(err.msg[PX_ERR_MSG_MAX - 2], 'c');
}

static void prefix_with_empty_message(void **state)
{
	struct px_err err = { 0 };

	assert_false(px_err_set(&err, PX_E_INTERNAL, "%s", ""));
	px_err_prefix(&err, "where");
	assert_string_equal(err.msg, "where");
	px_err_prefix(&err, "%s", "");
	assert_string_equal(err.msg, "where");
}

struct code_case {
	int code;
	const char *name;
	int exit_status;
};

static const struct code_case known_codes[] = {
	{ PX_OK, "ok", 0 },
	{ PX_E_NOMEM, "out_of_memory", 3 },
	{ PX_E_IO, "io", 3 },
	{ PX_E_INTERNAL, "internal", 3 },
	{ PX_E_MALFORMED, "malformed", 2 },
	{ PX_E_TRUNCATED, "truncated", 2 },
	{ PX_E_NONCANONICAL, "non_canonical", 2 },
	{ PX_E_TOO_LARGE, "too_large", 2 },
	{ PX_E_ENCODING, "bad_encoding", 2 },
	{ PX_E_NUMBER, "bad_number", 2 },
	{ PX_E_TIME, "bad_time", 2 },
	{ PX_E_JSON, "bad_json", 2 },
	{ PX_E_UNSUPPORTED, "unsupported", 2 },
	{ PX_E_VERIFY, "not_verified", 1 },
	{ PX_E_ROOT_MISMATCH, "root_mismatch", 1 },
	{ PX_E_KEY_MISMATCH, "key_mismatch", 1 },
	{ PX_E_VALUE_MISMATCH, "value_mismatch", 1 },
	{ PX_E_SPEC_MISMATCH, "spec_mismatch", 1 },
	{ PX_E_NEIGHBOUR, "not_neighbours", 1 },
	{ PX_E_NO_PROOF_FOR_KEY, "no_proof_for_key", 1 },
	{ PX_E_KEY_ORDER, "key_order", 1 },
	{ PX_E_PROOF_SHAPE, "proof_shape", 1 },
	{ PX_E_RPC, "rpc", 3 },
	{ PX_E_USAGE, "usage", 2 },
	{ PX_E_CONFIG, "config", 2 },
};

static void known_codes_have_names_and_statuses(void **state)
{
	for (size_t i = 0; i < sizeof(known_codes) / sizeof(known_codes[0]); i++) {
		const struct code_case *k = &known_codes[i];

		if (strcmp(px_code_name(k->code), k->name) != 0)
			fail_msg("code %d: name %s, want %s", k->code, px_code_name(k->code),
				 k->name);
		if (px_code_exit_status(k->code) != k->exit_status)
			fail_msg("code %d: exit %d, want %d", k->code,
				 px_code_exit_status(k->code), k->exit_status);
	}
}

static void names_are_distinct(void **state)
{
	size_t n = sizeof(known_codes) / sizeof(known_codes[0]);

	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			assert_string_not_equal(px_code_name(known_codes[i].code),
						px_code_name(known_codes[j].code));
}

/* Codes without their own name fall back to the name of their range. */
static void unnamed_codes_use_range_names(void **state)
{
	assert_string_equal(px_code_name(150), "resource");
	assert_string_equal(px_code_name(199), "resource");
	assert_string_equal(px_code_name(299), "malformed");
	assert_string_equal(px_code_name(250), "malformed");
	assert_string_equal(px_code_name(399), "not_verified");
	assert_string_equal(px_code_name(401), "rpc");
	assert_string_equal(px_code_name(499), "rpc");
	assert_string_equal(px_code_name(502), "config");
	assert_string_equal(px_code_name(599), "config");
	assert_string_equal(px_code_name(1), "unknown");
	assert_string_equal(px_code_name(99), "unknown");
	assert_string_equal(px_code_name(600), "unknown");
	assert_string_equal(px_code_name(-1), "unknown");
}

static void exit_status_follows_ranges(void **state)
{
	/* Each range's edges, including codes that have no name. */
	assert_int_equal(px_code_exit_status(0), 0);
	assert_int_equal(px_code_exit_status(100), 3);
	assert_int_equal(px_code_exit_status(199), 3);
	assert_int_equal(px_code_exit_status(200), 2);
	assert_int_equal(px_code_exit_status(299), 2);
	assert_int_equal(px_code_exit_status(300), 1);
	assert_int_equal(px_code_exit_status(399), 1);
	assert_int_equal(px_code_exit_status(400), 3);
	assert_int_equal(px_code_exit_status(499), 3);
	assert_int_equal(px_code_exit_status(500), 2);
	assert_int_equal(px_code_exit_status(599), 2);
	/* Anything outside the ranges is treated as an environment failure,
	 * never as success and never as "not verified". */
	assert_int_equal(px_code_exit_status(1), 3);
	assert_int_equal(px_code_exit_status(600), 3);
	assert_int_equal(px_code_exit_status(-300), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(set_records_code_and_message),
		cmocka_unit_test(first_failure_wins),
		cmocka_unit_test(clear_allows_a_new_failure),
		cmocka_unit_test(null_record_is_allowed),
		cmocka_unit_test(long_message_is_cut_and_terminated),
		cmocka_unit_test(prefix_adds_context_in_front),
		cmocka_unit_test(prefix_without_failure_does_nothing),
		cmocka_unit_test(prefix_truncates_the_old_message),
		cmocka_unit_test(prefix_longer_than_record),
		cmocka_unit_test(prefix_exactly_fills_record),
		cmocka_unit_test(prefix_with_empty_message),
		cmocka_unit_test(known_codes_have_names_and_statuses),
		cmocka_unit_test(names_are_distinct),
		cmocka_unit_test(unnamed_codes_use_range_names),
		cmocka_unit_test(exit_status_follows_ranges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
