/* Unit tests for ibc/core/connection.c: the four handshake steps between
 * two in-memory chains, each accepted with the right state and rejected
 * for the right reason (wrong state, wrong counterparty, unsupported
 * version, bad proof, unknown / frozen / expired client), with the store
 * left untouched by a rejection; and version negotiation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ibc/core/connection.h"
#include "testnet.h"

static int setup(void **state)
{
	static struct testnet t;

	testnet_init(&t);
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	testnet_free(*state);
	return 0;
}

static struct ibc_connection_end load(struct memhost *m, const char *id, struct px_buf *raw)
{
	struct ibc_connection_end c;
	char key[128];

	snprintf(key, sizeof(key), "connections/%s", id);
	px_buf_reset(raw);
	assert_true(memhost_get(m, key, raw));
	assert_true(memhost_decode_connection(NULL, &c, raw->data, raw->len));
	return c;
}

static struct ibc_connection_counterparty cp_of(const char *client_id, const char *conn_id)
{
	struct ibc_connection_counterparty cp;

	memset(&cp, 0, sizeof(cp));
	snprintf(cp.client_id, sizeof(cp.client_id), "%s", client_id);
	snprintf(cp.connection_id, sizeof(cp.connection_id), "%s", conn_id);
	cp.prefix.ptr = (const uint8_t *)"ibc";
	cp.prefix.len = 3;
	return cp;
}

static struct ibc_msg_conn_open_init init_msg(void)
{
	struct ibc_msg_conn_open_init m;

	memset(&m, 0, sizeof(m));
	m.client_id = TN_CLIENT_ON_A;
	m.counterparty = cp_of(TN_CLIENT_ON_B, "");
	return m;
}

/* A try message for B answering A's conn_a, with proof at a fresh height. */
static struct ibc_msg_conn_open_try try_msg(struct testnet *t, struct ibc_version *versions)
{
	struct ibc_msg_conn_open_try m;

	memset(&m, 0, sizeof(m));
	m.client_id = TN_CLIENT_ON_B;
	m.counterparty = cp_of(TN_CLIENT_ON_A, t->conn_a);
	m.counterparty_versions = versions;
	m.counterparty_versions_len = ibc_conn_supported_versions(versions);
	m.proof_init = memhost_proof();
	m.proof_height = testnet_commit_a(t);
	return m;
}

static void handshake_step_by_step(void **state)
{
	struct testnet *t = *state;
	struct ibc_version versions[IBC_MAX_VERSIONS];
	struct ibc_msg_conn_open_init init = init_msg();
	struct ibc_msg_conn_open_try try_;
	struct ibc_msg_conn_open_ack ack;
	struct ibc_msg_conn_open_confirm confirm;
	struct px_buf raw = PX_BUF_INIT;
	struct ibc_connection_end c;
	struct px_err err = { 0 };

	assert_true(ibc_conn_open_init(t->ha, &err, t->conn_a, &init));
	assert_string_equal(t->conn_a, "connection-0");
	c = load(t->a, t->conn_a, &raw);
	assert_int_equal(c.state, IBC_CONN_INIT);
	assert_string_equal(c.client_id, TN_CLIENT_ON_A);
	assert_string_equal(c.counterparty.client_id, TN_CLIENT_ON_B);
	assert_string_equal(c.counterparty.connection_id, "");
	assert_int_equal(c.versions_len, 1);
	assert_string_equal(c.versions[0].identifier, "1");
	assert_int_equal(c.versions[0].features_len, 2);

	try_ = try_msg(t, versions);
	assert_true(ibc_conn_open_try(t->hb, &err, t->conn_b, &try_));
	assert_string_equal(t->conn_b, "connection-0");
	c = load(t->b, t->conn_b, &raw);
	assert_int_equal(c.state, IBC_CONN_TRYOPEN);
	assert_string_equal(c.client_id, TN_CLIENT_ON_B);
	assert_string_equal(c.counterparty.connection_id, t->conn_a);
	assert_int_equal(c.versions_len, 1);

	memset(&ack, 0, sizeof(ack));
	ack.connection_id = t->conn_a;
	ack.counterparty_connection_id = t->conn_b;
	ack.version = c.versions[0];
	ack.proof_try = memhost_proof();
	ack.proof_height = testnet_commit_b(t);
	assert_true(ibc_conn_open_ack(t->ha, &err, &ack));
	c = load(t->a, t->conn_a, &raw);
	assert_int_equal(c.state, IBC_CONN_OPEN);
	assert_string_equal(c.counterparty.connection_id, t->conn_b);

	/* Ack twice: the connection is no longer INIT. */
	assert_false(ibc_conn_open_ack(t->ha, &err, &ack));
	assert_int_equal(err.code, PX_E_IBC_STATE);
	px_err_clear(&err);

	memset(&confirm, 0, sizeof(confirm));
	confirm.connection_id = t->conn_b;
	confirm.proof_ack = memhost_proof();
	confirm.proof_height = testnet_commit_a(t);
	assert_true(ibc_conn_open_confirm(t->hb, &err, &confirm));
	c = load(t->b, t->conn_b, &raw);
	assert_int_equal(c.state, IBC_CONN_OPEN);

	/* Confirm twice: no longer TRYOPEN. */
	assert_false(ibc_conn_open_confirm(t->hb, &err, &confirm));
	assert_int_equal(err.code, PX_E_IBC_STATE);
	px_buf_free(&raw);
}

static void init_ids_increase(void **state)
{
	struct testnet *t = *state;
	struct ibc_msg_conn_open_init init = init_msg();
	char id[IBC_ID_MAX + 1];

	assert_true(ibc_conn_open_init(t->ha, NULL, id, &init));
	assert_string_equal(id, "connection-0");
	assert_true(ibc_conn_open_init(t->ha, NULL, id, &init));
	assert_string_equal(id, "connection-1");
}

static void init_rejections(void **state)
{
	struct testnet *t = *state;
	struct ibc_msg_conn_open_init init = init_msg();
	struct ibc_version v;
	struct px_err err = { 0 };
	char id[IBC_ID_MAX + 1] = "untouched";
	size_t before = memhost_store_size(t->a);

	init.client_id = "07-tendermint-9";
	assert_false(ibc_conn_open_init(t->ha, &err, id, &init));
	assert_int_equal(err.code, PX_E_IBC_NOT_FOUND);
	px_err_clear(&err);

	init = init_msg();
	init.counterparty = cp_of(TN_CLIENT_ON_B, "connection-3");
	assert_false(ibc_conn_open_init(t->ha, &err, id, &init));
	assert_int_equal(err.code, PX_E_IBC_COUNTERPARTY);
	px_err_clear(&err);

	init = init_msg();
	init.client_id = "07-tendermint/0";
	assert_false(ibc_conn_open_init(t->ha, &err, id, &init));
	assert_int_equal(err.code, PX_E_MALFORMED);
	px_err_clear(&err);

	init = init_msg();
	init.counterparty.prefix.len = 0;
	assert_false(ibc_conn_open_init(t->ha, &err, id, &init));
	assert_int_equal(err.code, PX_E_MALFORMED);
	px_err_clear(&err);

	memset(&v, 0, sizeof(v));
	snprintf(v.identifier, sizeof(v.identifier), "2");
	snprintf(v.features[0], sizeof(v.features[0]), "ORDER_ORDERED");
	v.features_len = 1;
	init = init_msg();
	init.version = &v;
	assert_false(ibc_conn_open_init(t->ha, &err, id, &init));
	assert_int_equal(err.code, PX_E_IBC_VERSION);
	px_err_clear(&err);

	snprintf(v.identifier, sizeof(v.identifier), "1");
	snprintf(v.features[0], sizeof(v.features[0]), "ORDER_DAG");
	assert_false(ibc_conn_open_init(t->ha, &err, id, &init));
	assert_int_equal(err.code, PX_E_IBC_VERSION);
	px_err_clear(&err);

	init = init_msg();
	memhost_set_client_status(t->a, TN_CLIENT_ON_A, IBC_CLIENT_FROZEN);
	assert_false(ibc_conn_open_init(t->ha, &err, id, &init));
	assert_int_equal(err.code, PX_E_FROZEN);
	px_err_clear(&err);
	memhost_set_client_status(t->a, TN_CLIENT_ON_A, IBC_CLIENT_EXPIRED);
	assert_false(ibc_conn_open_init(t->ha, &err, id, &init));
	assert_int_equal(err.code, PX_E_TRUST_EXPIRED);

	assert_string_equal(id, "untouched");
	assert_int_equal(memhost_store_size(t->a), before);
}

static void init_with_one_version(void **state)
{
	struct testnet *t = *state;
	struct ibc_msg_conn_open_init init = init_msg();
	struct px_buf raw = PX_BUF_INIT;
	struct ibc_connection_end c;
	struct ibc_version v;

	memset(&v, 0, sizeof(v));
	snprintf(v.identifier, sizeof(v.identifier), "1");
	snprintf(v.features[0], sizeof(v.features[0]), "ORDER_UNORDERED");
	v.features_len = 1;
	init.version = &v;
	assert_true(ibc_conn_open_init(t->ha, NULL, t->conn_a, &init));
	c = load(t->a, t->conn_a, &raw);
	assert_int_equal(c.versions_len, 1);
	assert_int_equal(c.versions[0].features_len, 1);
	assert_string_equal(c.versions[0].features[0], "ORDER_UNORDERED");
	px_buf_free(&raw);
}

static void try_rejections(void **state)
{
	struct testnet *t = *state;
	struct ibc_version versions[IBC_MAX_VERSIONS], other;
	struct ibc_msg_conn_open_init init = init_msg();
	struct ibc_msg_conn_open_try try_;
	struct ibc_height before_init = memhost_height(t->a);
	struct px_err err = { 0 };
	char id[IBC_ID_MAX + 1];
	size_t before;

	assert_true(ibc_conn_open_init(t->ha, NULL, t->conn_a, &init));
	try_ = try_msg(t, versions);
	before = memhost_store_size(t->b);

	/* Proof bytes that are not a proof. */
	try_.proof_init.ptr = (const uint8_t *)"garbage";
	try_.proof_init.len = 7;
	assert_false(ibc_conn_open_try(t->hb, &err, id, &try_));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);

	/* A proof at the height before A wrote its INIT end. */
	try_ = try_msg(t, versions);
	try_.proof_height = before_init;
	assert_false(ibc_conn_open_try(t->hb, &err, id, &try_));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);

	/* No consensus state at the proof height. */
	try_ = try_msg(t, versions);
	try_.proof_height.revision_height += 50;
	assert_false(ibc_conn_open_try(t->hb, &err, id, &try_));
	assert_int_equal(err.code, PX_E_IBC_NOT_FOUND);
	px_err_clear(&err);

	/* Wrong counterparty: A's end names another client on A. */
	try_ = try_msg(t, versions);
	snprintf(try_.counterparty.client_id, sizeof(try_.counterparty.client_id),
		 "07-tendermint-8");
	assert_false(ibc_conn_open_try(t->hb, &err, id, &try_));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);

	/* Wrong counterparty connection: A has no connection-7. */
	try_ = try_msg(t, versions);
	snprintf(try_.counterparty.connection_id, sizeof(try_.counterparty.connection_id),
		 "connection-7");
	assert_false(ibc_conn_open_try(t->hb, &err, id, &try_));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);

	/* Another delay period than A's end says (B's clock moved on, so
	 * the delay itself has passed). */
	try_ = try_msg(t, versions);
	try_.delay_period = 1;
	memhost_advance(t->b, 1, 10);
	assert_false(ibc_conn_open_try(t->hb, &err, id, &try_));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);

	/* The counterparty offers nothing this host supports. */
	try_ = try_msg(t, versions);
	memset(&other, 0, sizeof(other));
	snprintf(other.identifier, sizeof(other.identifier), "2");
	snprintf(other.features[0], sizeof(other.features[0]), "ORDER_ORDERED");
	other.features_len = 1;
	try_.counterparty_versions = &other;
	try_.counterparty_versions_len = 1;
	assert_false(ibc_conn_open_try(t->hb, &err, id, &try_));
	assert_int_equal(err.code, PX_E_IBC_VERSION);
	px_err_clear(&err);

	/* Unknown and frozen clients. */
	try_ = try_msg(t, versions);
	try_.client_id = "07-tendermint-77";
	assert_false(ibc_conn_open_try(t->hb, &err, id, &try_));
	assert_int_equal(err.code, PX_E_IBC_NOT_FOUND);
	px_err_clear(&err);
	try_ = try_msg(t, versions);
	memhost_set_client_status(t->b, TN_CLIENT_ON_B, IBC_CLIENT_FROZEN);
	assert_false(ibc_conn_open_try(t->hb, &err, id, &try_));
	assert_int_equal(err.code, PX_E_FROZEN);
	px_err_clear(&err);
	memhost_set_client_status(t->b, TN_CLIENT_ON_B, IBC_CLIENT_ACTIVE);

	assert_int_equal(memhost_store_size(t->b), before);

	/* And the untampered message goes through. */
	try_ = try_msg(t, versions);
	assert_true(ibc_conn_open_try(t->hb, &err, id, &try_));
}

/* The connection's delay period reaches the client: a proof of a
 * consensus state processed less than the delay ago is refused. */
static void delay_period_goes_to_the_client(void **state)
{
	struct testnet *t = *state;
	struct ibc_version versions[IBC_MAX_VERSIONS];
	struct ibc_msg_conn_open_init init = init_msg();
	struct ibc_msg_conn_open_try try_;
	struct px_err err = { 0 };
	char id[IBC_ID_MAX + 1];

	init.delay_period = 10000000000ull;
	assert_true(ibc_conn_open_init(t->ha, NULL, t->conn_a, &init));
	try_ = try_msg(t, versions);
	try_.delay_period = init.delay_period;
	memhost_advance(t->b, 1, init.delay_period - 1);
	assert_false(ibc_conn_open_try(t->hb, &err, id, &try_));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	memhost_advance(t->b, 1, 1);
	assert_true(ibc_conn_open_try(t->hb, NULL, id, &try_));
}

/* The client-state proofs are optional: this host has no self-client
 * hooks, so a message carrying them (even bogus ones) is judged on the
 * connection proof alone, as ibc-go v9 does. */
static void try_ignores_self_client_without_hooks(void **state)
{
	struct testnet *t = *state;
	struct ibc_version versions[IBC_MAX_VERSIONS];
	struct ibc_msg_conn_open_init init = init_msg();
	struct ibc_msg_conn_open_try try_;
	char id[IBC_ID_MAX + 1];

	assert_true(ibc_conn_open_init(t->ha, NULL, t->conn_a, &init));
	try_ = try_msg(t, versions);
	try_.self_client.client_state.ptr = (const uint8_t *)"x";
	try_.self_client.client_state.len = 1;
	try_.self_client.proof_client.ptr = (const uint8_t *)"bogus";
	try_.self_client.proof_client.len = 5;
	assert_true(ibc_conn_open_try(t->hb, NULL, id, &try_));
}

static void ack_rejections(void **state)
{
	struct testnet *t = *state;
	struct ibc_version versions[IBC_MAX_VERSIONS];
	struct ibc_msg_conn_open_init init = init_msg();
	struct ibc_msg_conn_open_try try_;
	struct ibc_msg_conn_open_ack ack;
	struct px_err err = { 0 };

	assert_true(ibc_conn_open_init(t->ha, NULL, t->conn_a, &init));
	try_ = try_msg(t, versions);
	assert_true(ibc_conn_open_try(t->hb, NULL, t->conn_b, &try_));

	memset(&ack, 0, sizeof(ack));
	ack.connection_id = t->conn_a;
	ack.counterparty_connection_id = t->conn_b;
	ack.version = versions[0];
	ack.proof_try = memhost_proof();
	/* A proof at the height A's client knew before B's TRYOPEN end. */
	ack.proof_height = memhost_height(t->b);
	assert_false(ibc_conn_open_ack(t->ha, &err, &ack));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);
	ack.proof_height = testnet_commit_b(t);

	ack.connection_id = "connection-9";
	assert_false(ibc_conn_open_ack(t->ha, &err, &ack));
	assert_int_equal(err.code, PX_E_IBC_NOT_FOUND);
	px_err_clear(&err);

	/* Ack on B's TRYOPEN end: wrong state. */
	ack.connection_id = t->conn_b;
	assert_false(ibc_conn_open_ack(t->hb, &err, &ack));
	assert_int_equal(err.code, PX_E_IBC_STATE);
	px_err_clear(&err);
	ack.connection_id = t->conn_a;

	/* A version A never offered. */
	snprintf(ack.version.features[0], sizeof(ack.version.features[0]), "ORDER_NONE");
	assert_false(ibc_conn_open_ack(t->ha, &err, &ack));
	assert_int_equal(err.code, PX_E_IBC_VERSION);
	px_err_clear(&err);

	/* A version A offered but B did not pick: the proof fails. */
	ack.version = versions[0];
	ack.version.features_len = 1;
	assert_false(ibc_conn_open_ack(t->ha, &err, &ack));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);
	ack.version = versions[0];

	/* Wrong counterparty connection id. */
	ack.counterparty_connection_id = "connection-5";
	assert_false(ibc_conn_open_ack(t->ha, &err, &ack));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);
	ack.counterparty_connection_id = t->conn_b;

	memhost_set_client_status(t->a, TN_CLIENT_ON_A, IBC_CLIENT_EXPIRED);
	assert_false(ibc_conn_open_ack(t->ha, &err, &ack));
	assert_int_equal(err.code, PX_E_TRUST_EXPIRED);
	px_err_clear(&err);
	memhost_set_client_status(t->a, TN_CLIENT_ON_A, IBC_CLIENT_ACTIVE);

	assert_true(ibc_conn_open_ack(t->ha, &err, &ack));
}

static void confirm_rejections(void **state)
{
	struct testnet *t = *state;
	struct ibc_version versions[IBC_MAX_VERSIONS];
	struct ibc_msg_conn_open_init init = init_msg();
	struct ibc_msg_conn_open_try try_;
	struct ibc_msg_conn_open_confirm confirm;
	struct px_err err = { 0 };

	assert_true(ibc_conn_open_init(t->ha, NULL, t->conn_a, &init));
	try_ = try_msg(t, versions);
	assert_true(ibc_conn_open_try(t->hb, NULL, t->conn_b, &try_));

	memset(&confirm, 0, sizeof(confirm));
	confirm.connection_id = t->conn_b;
	confirm.proof_ack = memhost_proof();
	/* A has not acked: its end is INIT, not OPEN. */
	confirm.proof_height = testnet_commit_a(t);
	assert_false(ibc_conn_open_confirm(t->hb, &err, &confirm));
	assert_int_equal(err.code, PX_E_IBC_PROOF);
	px_err_clear(&err);

	/* Confirm on A's INIT end: wrong state. */
	confirm.connection_id = t->conn_a;
	assert_false(ibc_conn_open_confirm(t->ha, &err, &confirm));
	assert_int_equal(err.code, PX_E_IBC_STATE);
}

static void host_write_failure_is_reported(void **state)
{
	struct testnet *t = *state;
	struct ibc_msg_conn_open_init init = init_msg();
	struct px_err err = { 0 };
	char id[IBC_ID_MAX + 1];

	memhost_fail_writes_after(t->a, 1);
	assert_false(ibc_conn_open_init(t->ha, &err, id, &init));
	assert_int_equal(err.code, PX_E_NOMEM);
	memhost_fail_writes_after(t->a, -1);
}

static void full_handshake_helper(void **state)
{
	struct testnet *t = *state;
	struct px_err err = { 0 };

	assert_true(testnet_open_connection(t, &err));
	assert_int_equal(err.code, PX_OK);
}

static void version_negotiation(void **state)
{
	struct ibc_version ours[IBC_MAX_VERSIONS], theirs[2], picked;
	size_t n = ibc_conn_supported_versions(ours);
	struct px_err err = { 0 };

	memset(theirs, 0, sizeof(theirs));
	snprintf(theirs[0].identifier, sizeof(theirs[0].identifier), "3");
	snprintf(theirs[0].features[0], sizeof(theirs[0].features[0]), "ORDER_ORDERED");
	theirs[0].features_len = 1;
	snprintf(theirs[1].identifier, sizeof(theirs[1].identifier), "1");
	snprintf(theirs[1].features[0], sizeof(theirs[1].features[0]), "ORDER_DAG");
	snprintf(theirs[1].features[1], sizeof(theirs[1].features[1]), "ORDER_UNORDERED");
	theirs[1].features_len = 2;
	assert_true(ibc_version_pick(&err, &picked, ours, n, theirs, 2));
	assert_string_equal(picked.identifier, "1");
	assert_int_equal(picked.features_len, 1);
	assert_string_equal(picked.features[0], "ORDER_UNORDERED");

	/* Same identifier, no common feature. */
	theirs[1].features_len = 1;
	assert_false(ibc_version_pick(&err, &picked, ours, n, theirs, 2));
	assert_int_equal(err.code, PX_E_IBC_VERSION);

	assert_true(ibc_version_is_supported(ours, n, &ours[0]));
	assert_false(ibc_version_is_supported(ours, n, &theirs[0]));
	picked = ours[0];
	picked.features_len = 0;
	assert_false(ibc_version_is_supported(ours, n, &picked));
	assert_true(ibc_version_has_feature(&ours[0], "ORDER_ORDERED"));
	assert_false(ibc_version_has_feature(&ours[0], "ORDER_DAG"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(handshake_step_by_step),
		T(init_ids_increase),
		T(init_rejections),
		T(init_with_one_version),
		T(try_rejections),
		T(delay_period_goes_to_the_client),
		T(try_ignores_self_client_without_hooks),
		T(ack_rejections),
		T(confirm_rejections),
		T(host_write_failure_is_reported),
		T(full_handshake_helper),
		cmocka_unit_test(version_negotiation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
