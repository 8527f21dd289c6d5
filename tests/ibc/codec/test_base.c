/* Tests of ibc/codec/base.c: Height, Any, Timestamp and Duration rules,
 * the writer's non-nullable sub-messages and its failure contract. */
#include "codec_check.h"

#include "ibc/codec/tendermint.h"

#define BYTES_OF(s) (const uint8_t *)(s), sizeof(s) - 1

static void height(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	struct ibc_height h = { 1, 2 }, d;
	struct px_err err = { 0 };

	(void)state;
	/* Height {uint64 revision_number = 1; uint64 revision_height = 2}. */
	assert_true(ibc_height_encode(&err, &b, &h));
	assert_buf_eq(&b, BYTES_OF("\x08\x01\x10\x02"));
	assert_true(ibc_height_decode(&err, &d, b.data, b.len));
	assert_int_equal(d.revision_number, 1);
	assert_int_equal(d.revision_height, 2);
	/* Zero height: nothing at all. */
	px_buf_reset(&b);
	h = (struct ibc_height){ 0, 0 };
	assert_true(ibc_height_encode(&err, &b, &h));
	assert_int_equal(b.len, 0);
	/* 2^64-1 takes ten bytes. */
	assert_true(ibc_height_decode(&err, &d,
				      BYTES_OF("\x10\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01")));
	assert_true(d.revision_height == UINT64_MAX);
	assert_false(ibc_height_decode(&err, &d, BYTES_OF("\x08\x01\x08\x01")));
	assert_int_equal(err.code, PX_E_MALFORMED);
	assert_non_null(strstr(err.msg, "Height.revision_number: duplicate field"));
	assert_int_equal(d.revision_number, 0);	/* zeroed on failure */
	px_buf_free(&b);
}

static void any(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	struct ibc_any a = { ibc_str("/a"), { (const uint8_t *)"\x01", 1 } }, d;
	struct px_err err = { 0 };

	(void)state;
	/* Any {string type_url = 1; bytes value = 2}. */
	assert_true(ibc_any_encode(&err, &b, &a));
	assert_buf_eq(&b, BYTES_OF("\x0a\x02/a\x12\x01\x01"));
	assert_true(ibc_any_decode(&err, &d, b.data, b.len));
	assert_true(px_slice_eq(d.type_url, a.type_url));
	assert_true(px_slice_eq(d.value, a.value));
	assert_false(ibc_any_decode(&err, &d, BYTES_OF("\x10\x01")));
	assert_non_null(strstr(err.msg, "Any.value: unexpected wire type"));
	px_buf_free(&b);
}

/* Timestamps and durations go through ConsensusState and ClientState. */
static void timestamps_and_durations(void **state)
{
	struct ibc_tm_consensus_state cs;
	struct ibc_tm_client_state cl;
	struct px_err err = { 0 };
	/* Timestamp seconds = INT64_MIN, before year 1. */
	static const uint8_t early[] = { 0x0a, 0x0b, 0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
					 0x80, 0x80, 0x80, 0x01 };
	(void)state;
	assert_false(ibc_tm_consensus_state_decode(&err, &cs, early, sizeof(early)));
	assert_non_null(strstr(err.msg, "Timestamp.seconds: time outside years 0001..9999"));
	px_err_clear(&err);
	/* nanos = 1e9 */
	assert_false(ibc_tm_consensus_state_decode(&err, &cs,
						   BYTES_OF("\x0a\x06\x10\x80\x94\xeb\xdc\x03")));
	assert_non_null(strstr(err.msg, "Timestamp.nanos: nanos out of range"));
	px_err_clear(&err);
	/* negative duration seconds (trusting_period) */
	assert_false(ibc_tm_client_state_decode(&err, &cl,
		BYTES_OF("\x1a\x0b\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01")));
	assert_non_null(strstr(err.msg, "Duration"));
	px_err_clear(&err);
	/* a duration past int64 nanoseconds: 9223372037 s */
	assert_false(ibc_tm_client_state_decode(&err, &cl, BYTES_OF("\x1a\x06\x08\x85\xfa\x85\xae\x22")));
	assert_non_null(strstr(err.msg, "past int64 nanoseconds"));
}

/* Encoders refuse what ibc-go could not have written and leave the
 * output as it was. */
static void encoder_failures(void **state)
{
	struct px_buf b = PX_BUF_INIT;
	struct px_err err = { 0 };
	struct ibc_tm_client_state cs;
	struct ibc_tm_consensus_state cons;

	(void)state;
	px_buf_append(&b, "keep", 4);
	memset(&cs, 0, sizeof(cs));
	cs.trusting_period = UINT64_MAX;
	assert_false(ibc_tm_client_state_encode(&err, &b, &cs));
	assert_int_equal(err.code, PX_E_MALFORMED);
	assert_int_equal(b.len, 4);
	px_err_clear(&err);
	cs.trusting_period = 0;
	cs.proof_specs[0] = "nope";
	cs.proof_specs_len = 1;
	assert_false(ibc_tm_client_state_encode(&err, &b, &cs));
	assert_non_null(strstr(err.msg, "unknown proof spec name"));
	assert_int_equal(b.len, 4);
	px_err_clear(&err);
	memset(&cons, 0, sizeof(cons));
	cons.timestamp.seconds = INT64_MAX;
	assert_false(ibc_tm_consensus_state_encode(&err, &b, &cons));
	assert_non_null(strstr(err.msg, "time out of range"));
	assert_int_equal(b.len, 4);
	px_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(height),
		cmocka_unit_test(any),
		cmocka_unit_test(timestamps_and_durations),
		cmocka_unit_test(encoder_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
