/* Unit tests for lightclient/tendermint/client_ibc.c: the 07-tendermint
 * client as an IBC host keeps it. A small fake host stores consensus
 * states by height and writes back what a successful update produced.
 * Headers come from a signed test chain (testchain.h); each refusal is
 * asserted with its exact code and leaves the client as it was; a second
 * consensus state for a height freezes the client and the same one again
 * is accepted; misbehaviour is found (fork, time violation) or not;
 * membership proofs (testproofs.h) are checked against the stored root,
 * and every single flipped byte of a proof is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "common/protobuf.h"
#include "lightclient/lc.h"
#include "lightclient/tendermint/abci.h"
#include "lightclient/tendermint/client.h"
#include "lightclient/tendermint/client_ibc.h"
#include "testchain.h"
#include "testproofs.h"

#define CHAIN "test-chain-7"
#define REV 7
#define KEY3 "commitments/ports/transfer/channels/channel-0/sequences/3"
#define KEY_ABSENT "commitments/ports/transfer/channels/channel-0/sequences/45"
#define HOURS(n) ((uint64_t)(n) * 3600 * 1000000000ull)

static struct tc_chain chain;
static struct px_time now;

static void assert_code(const struct px_err *err, int code)
{
	if (err->code != code)
		fail_msg("code %d (%s: %s), want %d (%s)", err->code, px_code_name(err->code),
			 err->msg, code, px_code_name(code));
}

/* --- a fake host ----------------------------------------------------------- */

#define HOST_MAX 16

enum host_fail { HOST_OK, HOST_FAIL_IO, HOST_FAIL_SILENT };

struct host {
	struct lc_height h[HOST_MAX];
	struct tm_ibc_consensus cs[HOST_MAX];
	size_t n;
	enum host_fail fail;
	unsigned reads;
};

static bool host_read(void *ctx, struct px_err *err, struct tm_ibc_consensus *out, bool *found,
		      struct lc_height h)
{
	struct host *host = ctx;

	host->reads++;
	*found = false;
	if (host->fail == HOST_FAIL_IO)
		return px_err_set(err, PX_E_IO, "store unreadable");
	if (host->fail == HOST_FAIL_SILENT)
		return false;
	for (size_t i = 0; i < host->n; i++) {
		if (host->h[i].revision == h.revision && host->h[i].height == h.height) {
			*out = host->cs[i];
			*found = true;
			break;
		}
	}
	return true;
}

static void host_put(struct host *host, struct lc_height h, const struct tm_ibc_consensus *cs)
{
	for (size_t i = 0; i < host->n; i++) {
		if (host->h[i].revision == h.revision && host->h[i].height == h.height) {
			host->cs[i] = *cs;
			return;
		}
	}
	assert_true(host->n < HOST_MAX);
	host->h[host->n] = h;
	host->cs[host->n] = *cs;
	host->n++;
}

static struct lc_height ht(uint64_t h)
{
	struct lc_height out = { REV, h };
	return out;
}

/* The consensus state header h of a block yields. */
static void cs_of(struct tm_ibc_consensus *out, const struct tm_light_block *b)
{
	const struct tm_header *h = &b->signed_header.header;

	memset(out, 0, sizeof(*out));
	out->time = h->time;
	memcpy(out->root, h->app_hash.b, h->app_hash.len);
	out->root_len = h->app_hash.len;
	assert_int_equal(h->next_validators_hash.len, TM_HASH_LEN);
	memcpy(out->next_validators_hash, h->next_validators_hash.b, TM_HASH_LEN);
}

static void host_put_block(struct host *host, int64_t h)
{
	struct tm_ibc_consensus cs;

	cs_of(&cs, tc_chain_at(&chain, h));
	host_put(host, ht((uint64_t)h), &cs);
}

static void params_default(struct tm_ibc_params *p, uint64_t latest)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->chain_id, sizeof(p->chain_id), "%s", CHAIN);
	tm_options_default(&p->opts);
	p->unbonding_ns = HOURS(504);
	p->latest = ht(latest);
}

/* A client over host holding the chain's consensus state at height 1. */
static void client_new(struct tm_ibc_client *c, struct lc_client *lc, struct host *host)
{
	struct px_err err = { 0 };

	memset(host, 0, sizeof(*host));
	host_put_block(host, 1);
	memset(c, 0, sizeof(*c));
	params_default(&c->params, 1);
	assert_true(tm_ibc_params_check(&err, &c->params));
	c->consensus = host_read;
	c->ctx = host;
	tm_ibc_lc_init(lc, c);
}

/* An IBC header of block b, trusted from height th of the chain. */
static struct tm_ibc_header header_of(const struct tm_light_block *b, int64_t th)
{
	struct tm_ibc_header h;

	h.signed_header = &b->signed_header;
	h.validators = &b->validators;
	h.trusted_height = ht((uint64_t)th);
	h.trusted_validators = &tc_chain_at(&chain, th)->next_validators;
	return h;
}

/* Submits h; on success the host writes back what the client produced,
 * as a real host does. Returns the error code (0 on success). */
static int update(struct tm_ibc_client *c, struct lc_client *lc, struct host *host,
		  const struct tm_ibc_header *h, struct lc_consensus *out, struct px_time at)
{
	struct lc_message m = { TM_IBC_MSG_HEADER, h };
	struct px_err err = { 0 };

	if (!lc_verify_header(lc, &err, out, &m, at)) {
		assert_true(err.msg[0] != 0);
		return err.code;
	}
	host_put(host, out->height, &c->last);
	return 0;
}

/* A block of the chain at height h made again with changed parameters. */
static void block_variant(struct tm_light_block *out, int64_t h, const char *chain_id,
			  uint32_t app_seed, int64_t secs, uint32_t signers)
{
	struct tc_block_params p;

	tc_chain_params(&p, &chain, h);
	if (chain_id)
		p.chain_id = chain_id;
	p.app_seed = app_seed;
	if (secs)
		p.time = tc_time(secs);
	p.signers = signers;
	tc_block_make(out, &p);
}

static int setup(void **state)
{
	(void)state;
	tc_chain_build(&chain, CHAIN, 40, 10, 4);
	now = tc_time(TC_T0 + 10 * 40 + 60);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tc_chain_free(&chain);
	return 0;
}

/* --- tests ----------------------------------------------------------------- */

static void test_params_check(void **state)
{
	struct tm_ibc_params p;
	struct px_err err = { 0 };

	(void)state;
	params_default(&p, 5);
	assert_true(tm_ibc_params_check(&err, &p));
	assert_int_equal(err.code, 0);

#define REFUSED(change, field)                                                         \
	do {                                                                           \
		params_default(&p, 5);                                                 \
		change;                                                                \
		px_err_clear(&err);                                                    \
		assert_false(tm_ibc_params_check(&err, &p));                           \
		assert_code(&err, PX_E_USAGE);                                         \
		if (!strstr(err.msg, field))                                           \
			fail_msg("'%s' does not name %s", err.msg, field);             \
	} while (0)

	REFUSED(p.chain_id[0] = 0, "chain_id");
	REFUSED(memset(p.chain_id, 'a', sizeof(p.chain_id)), "chain_id");
	REFUSED((p.opts.trust_num = 1, p.opts.trust_den = 4), "trust level");
	REFUSED((p.opts.trust_num = 4, p.opts.trust_den = 3), "trust level");
	REFUSED(p.opts.trusting_period_ns = 0, "trusting period");
	REFUSED(p.opts.clock_drift_ns = 0, "max_clock_drift");
	REFUSED(p.unbonding_ns = p.opts.trusting_period_ns, "trusting_period");
	REFUSED(p.unbonding_ns = 0, "trusting_period");
	REFUSED(p.latest.height = 0, "latest_height");
	REFUSED(p.latest.revision = 6, "latest_height");
#undef REFUSED

	/* a chain id without revision has revision 0 */
	params_default(&p, 5);
	snprintf(p.chain_id, sizeof(p.chain_id), "devnet");
	p.latest.revision = 0;
	px_err_clear(&err);
	assert_true(tm_ibc_params_check(&err, &p));
	/* the boundary: one nanosecond below the unbonding period is fine */
	params_default(&p, 5);
	p.unbonding_ns = p.opts.trusting_period_ns + 1;
	assert_true(tm_ibc_params_check(&err, &p));
}

static void test_update_adjacent_and_skipping(void **state)
{
	struct tm_ibc_client c;
	struct lc_client lc;
	struct host host;
	struct lc_consensus out;
	struct tm_ibc_header h;
	const struct tm_light_block *b2 = tc_chain_at(&chain, 2);

	(void)state;
	client_new(&c, &lc, &host);
	assert_string_equal(lc.ops->client_type, "07-tendermint");
	assert_int_equal(lc_status(&lc, now), LC_STATUS_ACTIVE);

	/* adjacent: 2 from 1 */
	h = header_of(b2, 1);
	memset(&c.last, 0, sizeof(c.last));
	assert_int_equal(update(&c, &lc, &host, &h, &out, now), 0);
	assert_int_equal(out.height.revision, REV);
	assert_int_equal(out.height.height, 2);
	assert_int_equal(px_time_cmp(out.time, b2->signed_header.header.time), 0);
	assert_int_equal(out.root_len, b2->signed_header.header.app_hash.len);
	assert_memory_equal(out.root, b2->signed_header.header.app_hash.b, out.root_len);
	assert_memory_equal(out.hash, b2->signed_header.commit.block_id.hash.b, TM_HASH_LEN);
	assert_memory_equal(c.last.next_validators_hash,
			    b2->signed_header.header.next_validators_hash.b, TM_HASH_LEN);
	assert_memory_equal(c.last.root, out.root, out.root_len);
	assert_int_equal(c.params.latest.height, 2);

	/* skipping into the next validator epoch: 15 from 2 (half the
	 * trusted power signed) */
	h = header_of(tc_chain_at(&chain, 15), 2);
	assert_int_equal(update(&c, &lc, &host, &h, &out, now), 0);
	assert_int_equal(out.height.height, 15);
	assert_int_equal(c.params.latest.height, 15);
	/* and from 15, adjacent again: the next set came from host storage */
	h = header_of(tc_chain_at(&chain, 16), 15);
	assert_int_equal(update(&c, &lc, &host, &h, &out, now), 0);
	assert_int_equal(c.params.latest.height, 16);

	/* filling in below the latest height leaves latest alone */
	h = header_of(tc_chain_at(&chain, 5), 2);
	assert_int_equal(update(&c, &lc, &host, &h, &out, now), 0);
	assert_int_equal(out.height.height, 5);
	assert_int_equal(c.params.latest.height, 16);
	assert_int_equal(c.params.frozen.height, 0);
	assert_int_equal(host.n, 5);
	lc_client_free(&lc);
}

/* Each refusal of one header, with the client unchanged after it. */
static void expect_refused(struct tm_ibc_client *c, struct lc_client *lc, struct host *host,
			   const struct tm_ibc_header *h, struct px_time at, int code)
{
	struct lc_consensus out;
	struct tm_ibc_consensus last_before = c->last;
	struct tm_ibc_params before = c->params;
	size_t n = host->n;
	int got;

	memset(&out, 0xAB, sizeof(out));
	got = update(c, lc, host, h, &out, at);
	if (got != code)
		fail_msg("code %d (%s), want %d (%s)", got, px_code_name(got), code,
			 px_code_name(code));
	assert_memory_equal(&c->params, &before, sizeof(before));
	assert_memory_equal(&c->last, &last_before, sizeof(last_before));
	assert_int_equal(host->n, n);
	for (size_t i = 0; i < sizeof(out); i++)
		assert_int_equal(((const uint8_t *)&out)[i], 0xAB);
}

static void test_update_refusals(void **state)
{
	struct tm_ibc_client c;
	struct lc_client lc;
	struct host host;
	struct tm_ibc_header h;
	struct tm_light_block b;
	struct tm_validator_set vs;
	struct tm_ibc_consensus cs;
	struct px_err err = { 0 };
	const struct tm_light_block *b2 = tc_chain_at(&chain, 2);

	(void)state;
	client_new(&c, &lc, &host);
	host_put_block(&host, 2);

	/* a bad signature */
	assert_true(tm_light_block_copy(&err, &b, b2));
	b.signed_header.commit.sigs[1].signature[7] ^= 1;
	h = header_of(&b, 1);
	expect_refused(&c, &lc, &host, &h, now, PX_E_BAD_SIGNATURE);
	tm_light_block_free(&b);

	/* two of four signers: not more than 2/3 of its own set */
	block_variant(&b, 3, NULL, 0, 0, 0x3);
	h = header_of(&b, 2);
	expect_refused(&c, &lc, &host, &h, now, PX_E_INSUFFICIENT_POWER);
	tm_light_block_free(&b);

	/* skipping two epochs: none of the trusted power signed */
	h = header_of(tc_chain_at(&chain, 25), 2);
	expect_refused(&c, &lc, &host, &h, now, PX_E_NOT_ENOUGH_TRUST);

	/* adjacent with a set the trusted state did not announce: 11 is the
	 * first height of the next epoch, so from 10 it is adjacent; stored
	 * at 10 is block 9's next set instead of block 10's */
	cs_of(&cs, tc_chain_at(&chain, 10));
	memcpy(cs.next_validators_hash,
	       tc_chain_at(&chain, 9)->signed_header.header.next_validators_hash.b, TM_HASH_LEN);
	host_put(&host, ht(10), &cs);
	h = header_of(tc_chain_at(&chain, 11), 10);
	h.trusted_validators = &tc_chain_at(&chain, 9)->next_validators;
	expect_refused(&c, &lc, &host, &h, now, PX_E_NEXT_VALSET);

	/* another chain of the same revision */
	block_variant(&b, 3, "other-chain-7", 0, 0, 0);
	h = header_of(&b, 2);
	expect_refused(&c, &lc, &host, &h, now, PX_E_CHAIN_ID);
	tm_light_block_free(&b);

	/* no consensus state at the trusted height */
	h = header_of(tc_chain_at(&chain, 5), 3);
	expect_refused(&c, &lc, &host, &h, now, PX_E_IBC_NOT_FOUND);

	/* trusted validators that are not the stored next set */
	h = header_of(tc_chain_at(&chain, 5), 2);
	h.trusted_validators = &tc_chain_at(&chain, 25)->validators;
	expect_refused(&c, &lc, &host, &h, now, PX_E_VALSET_HASH);

	/* not above the trusted height */
	h = header_of(b2, 2);
	expect_refused(&c, &lc, &host, &h, now, PX_E_HEIGHT);
	h = header_of(tc_chain_at(&chain, 1), 2);
	expect_refused(&c, &lc, &host, &h, now, PX_E_HEIGHT);

	/* trusted height in another revision (its consensus state exists) */
	cs_of(&cs, tc_chain_at(&chain, 1));
	host_put(&host, (struct lc_height){ 6, 1 }, &cs);
	h = header_of(b2, 1);
	h.trusted_height.revision = 6;
	expect_refused(&c, &lc, &host, &h, now, PX_E_HEIGHT);

	/* the trusted state is out of its trusting period */
	h = header_of(tc_chain_at(&chain, 3), 2);
	expect_refused(&c, &lc, &host, &h, tc_time(TC_T0 + 20 + 336 * 3600), PX_E_TRUST_EXPIRED);
	/* one second earlier it was not */
	{
		struct tm_ibc_client c2;
		struct lc_client lc2;
		struct host host2;
		struct lc_consensus out;

		client_new(&c2, &lc2, &host2);
		host_put_block(&host2, 2);
		assert_int_equal(update(&c2, &lc2, &host2, &h, &out,
					tc_time(TC_T0 + 19 + 336 * 3600)),
				 0);
	}

	/* from the future: past now + clock drift */
	h = header_of(tc_chain_at(&chain, 3), 2);
	expect_refused(&c, &lc, &host, &h, tc_time(TC_T0 + 30 - 10), PX_E_FUTURE);

	/* not later than the trusted time */
	block_variant(&b, 3, NULL, 0, TC_T0 + 20, 0);
	h = header_of(&b, 2);
	expect_refused(&c, &lc, &host, &h, now, PX_E_TIME_ORDER);
	tm_light_block_free(&b);

	/* a trusted set whose total power is not its sum would count wrong */
	assert_true(tm_validator_set_copy(&err, &vs, &b2->next_validators));
	vs.total_power = 1;
	h = header_of(tc_chain_at(&chain, 3), 2);
	h.trusted_validators = &vs;
	expect_refused(&c, &lc, &host, &h, now, PX_E_MALFORMED);
	tm_validator_set_free(&vs);

	/* missing parts and foreign messages */
	h = header_of(tc_chain_at(&chain, 3), 2);
	h.validators = NULL;
	expect_refused(&c, &lc, &host, &h, now, PX_E_USAGE);
	{
		struct lc_message m = { TM_LC_MSG_HEADER, &h };
		struct lc_consensus out;

		px_err_clear(&err);
		assert_false(lc_verify_header(&lc, &err, &out, &m, now));
		assert_code(&err, PX_E_USAGE);
	}

	/* the same header is fine, and the client moved on */
	h = header_of(tc_chain_at(&chain, 3), 2);
	{
		struct lc_consensus out;

		assert_int_equal(update(&c, &lc, &host, &h, &out, now), 0);
		assert_int_equal(c.params.latest.height, 3);
	}
}

static void test_host_failures(void **state)
{
	struct tm_ibc_client c;
	struct lc_client lc;
	struct host host;
	struct tm_ibc_header h;

	(void)state;
	client_new(&c, &lc, &host);
	h = header_of(tc_chain_at(&chain, 2), 1);
	host.fail = HOST_FAIL_IO;
	expect_refused(&c, &lc, &host, &h, now, PX_E_IO);
	host.fail = HOST_FAIL_SILENT;
	expect_refused(&c, &lc, &host, &h, now, PX_E_INTERNAL);
	/* status cannot show the latest state is in its period */
	assert_int_equal(lc_status(&lc, now), LC_STATUS_EXPIRED);
	host.fail = HOST_OK;
	assert_int_equal(lc_status(&lc, now), LC_STATUS_ACTIVE);
	/* a stored root longer than a root can be */
	host.cs[0].root_len = sizeof(host.cs[0].root) + 1;
	expect_refused(&c, &lc, &host, &h, now, PX_E_MALFORMED);
	host.cs[0].root_len = TM_HASH_LEN;
	/* no reader at all */
	c.consensus = NULL;
	expect_refused(&c, &lc, &host, &h, now, PX_E_USAGE);
}

static void test_conflict_freezes(void **state)
{
	struct tm_ibc_client c;
	struct lc_client lc;
	struct host host;
	struct tm_ibc_header h;
	struct tm_light_block fork;
	struct lc_consensus out;
	struct px_err err = { 0 };
	unsigned reads;

	(void)state;
	client_new(&c, &lc, &host);
	h = header_of(tc_chain_at(&chain, 5), 1);
	assert_int_equal(update(&c, &lc, &host, &h, &out, now), 0);

	/* the same consensus state again: accepted, nothing changes */
	assert_int_equal(update(&c, &lc, &host, &h, &out, now), 0);
	assert_int_equal(out.height.height, 5);
	assert_int_equal(c.params.frozen.height, 0);
	assert_int_equal(host.n, 2);
	/* also when it comes from another trusted height */
	h = header_of(tc_chain_at(&chain, 5), 2);
	host_put_block(&host, 2);
	assert_int_equal(update(&c, &lc, &host, &h, &out, now), 0);
	assert_int_equal(c.params.frozen.height, 0);

	/* a fork at 5 that does not verify does not freeze */
	block_variant(&fork, 5, NULL, 3, 0, 0);
	fork.signed_header.commit.sigs[0].signature[0] ^= 0x80;
	h = header_of(&fork, 1);
	expect_refused(&c, &lc, &host, &h, now, PX_E_BAD_SIGNATURE);
	tm_light_block_free(&fork);

	/* a verified fork at 5 (another app hash) freezes the client */
	block_variant(&fork, 5, NULL, 3, 0, 0);
	h = header_of(&fork, 1);
	memset(&out, 0xAB, sizeof(out));
	assert_int_equal(update(&c, &lc, &host, &h, &out, now), PX_E_CONFLICT);
	assert_int_equal(c.params.frozen.revision, 0);
	assert_int_equal(c.params.frozen.height, 1);
	assert_int_equal(lc_status(&lc, now), LC_STATUS_FROZEN);
	/* the stored state is the first one */
	assert_int_equal(host.n, 3);
	assert_memory_equal(host.cs[1].root, tc_chain_at(&chain, 5)->signed_header.header.app_hash.b,
			    TM_HASH_LEN);

	/* frozen: every header is refused before anything is read */
	reads = host.reads;
	h = header_of(tc_chain_at(&chain, 6), 5);
	{
		struct lc_message m = { TM_IBC_MSG_HEADER, &h };

		px_err_clear(&err);
		assert_false(lc_verify_header(&lc, &err, &out, &m, now));
		assert_code(&err, PX_E_FROZEN);
	}
	assert_int_equal(host.reads, reads);
	tm_light_block_free(&fork);

	/* a time change alone is a different consensus state too */
	client_new(&c, &lc, &host);
	host_put_block(&host, 5);
	block_variant(&fork, 5, NULL, 0, TC_T0 + 10 * 5 + 1, 0);
	h = header_of(&fork, 1);
	assert_int_equal(update(&c, &lc, &host, &h, &out, now), PX_E_CONFLICT);
	assert_int_equal(c.params.frozen.height, 1);
	tm_light_block_free(&fork);
}

static int misbehaviour(struct lc_client *lc, struct lc_misbehaviour *out,
			const struct tm_ibc_header *h1, const struct tm_ibc_header *h2,
			struct px_time at)
{
	struct tm_ibc_misbehaviour mb = { *h1, *h2 };
	struct lc_message m = { TM_IBC_MSG_MISBEHAVIOUR, &mb };
	struct px_err err = { 0 };

	if (!lc_check_misbehaviour(lc, &err, out, &m, at)) {
		assert_true(err.msg[0] != 0);
		return err.code;
	}
	return 0;
}

static void test_misbehaviour(void **state)
{
	struct tm_ibc_client c;
	struct lc_client lc;
	struct host host;
	struct lc_misbehaviour mb;
	struct tm_ibc_header h1, h2;
	struct tm_light_block fork, late;
	const struct tm_light_block *b5 = tc_chain_at(&chain, 5), *b8 = tc_chain_at(&chain, 8);

	(void)state;
	block_variant(&fork, 5, NULL, 3, 0, 0);
	/* height 8 timed at height 5's time */
	block_variant(&late, 8, NULL, 0, TC_T0 + 10 * 5, 0);

	/* no misbehaviour: an honest pair, the same header twice */
	client_new(&c, &lc, &host);
	h1 = header_of(b8, 1);
	h2 = header_of(b5, 1);
	memset(&mb, 0xAB, sizeof(mb));
	assert_int_equal(misbehaviour(&lc, &mb, &h1, &h2, now), 0);
	assert_false(mb.found);
	h1 = header_of(b5, 1);
	assert_int_equal(misbehaviour(&lc, &mb, &h1, &h2, now), 0);
	assert_false(mb.found);
	assert_int_equal(c.params.frozen.height, 0);
	assert_int_equal(lc_status(&lc, now), LC_STATUS_ACTIVE);

	/* refusals: order, a bad signature, no trust, absent trusted state,
	 * expired trusted state; none freezes */
	h1 = header_of(b5, 1);
	h2 = header_of(b8, 1);
	assert_int_equal(misbehaviour(&lc, &mb, &h1, &h2, now), PX_E_MALFORMED);
	{
		struct tm_light_block bad;
		struct px_err err = { 0 };

		assert_true(tm_light_block_copy(&err, &bad, &fork));
		bad.signed_header.commit.sigs[2].signature[5] ^= 4;
		h1 = header_of(&bad, 1);
		h2 = header_of(b5, 1);
		assert_int_equal(misbehaviour(&lc, &mb, &h1, &h2, now), PX_E_BAD_SIGNATURE);
		assert_int_equal(misbehaviour(&lc, &mb, &h2, &h1, now), PX_E_BAD_SIGNATURE);
		tm_light_block_free(&bad);
	}
	h1 = header_of(tc_chain_at(&chain, 25), 1);
	h2 = header_of(b5, 1);
	assert_int_equal(misbehaviour(&lc, &mb, &h1, &h2, now), PX_E_NOT_ENOUGH_TRUST);
	h1 = header_of(&fork, 3);
	assert_int_equal(misbehaviour(&lc, &mb, &h1, &h2, now), PX_E_IBC_NOT_FOUND);
	h1 = header_of(&fork, 1);
	h1.trusted_validators = &tc_chain_at(&chain, 25)->validators;
	assert_int_equal(misbehaviour(&lc, &mb, &h1, &h2, now), PX_E_VALSET_HASH);
	h1 = header_of(&fork, 1);
	assert_int_equal(misbehaviour(&lc, &mb, &h1, &h2, tc_time(TC_T0 + 10 + 336 * 3600)),
			 PX_E_TRUST_EXPIRED);
	{
		struct tm_light_block other;

		block_variant(&other, 5, "other-chain-7", 3, 0, 0);
		h1 = header_of(&other, 1);
		assert_int_equal(misbehaviour(&lc, &mb, &h1, &h2, now), PX_E_CHAIN_ID);
		tm_light_block_free(&other);
	}
	{
		struct lc_message m = { TM_IBC_MSG_HEADER, &h1 };
		struct px_err err = { 0 };

		assert_false(lc_check_misbehaviour(&lc, &err, &mb, &m, now));
		assert_code(&err, PX_E_USAGE);
	}
	assert_int_equal(c.params.frozen.height, 0);

	/* a fork at one height, even timed in the future (evidence needs no
	 * clock drift check) */
	h1 = header_of(&fork, 1);
	h2 = header_of(b5, 1);
	assert_int_equal(misbehaviour(&lc, &mb, &h1, &h2, tc_time(TC_T0 + 20)), 0);
	assert_true(mb.found);
	assert_string_equal(mb.kind, "conflicting_headers");
	assert_int_equal(mb.height.revision, REV);
	assert_int_equal(mb.height.height, 5);
	assert_int_equal(mb.common.height, 1);
	assert_memory_equal(mb.conflicting_hash, fork.signed_header.commit.block_id.hash.b,
			    TM_HASH_LEN);
	assert_memory_equal(mb.trusted_hash, b5->signed_header.commit.block_id.hash.b, TM_HASH_LEN);
	assert_int_equal(c.params.frozen.revision, 0);
	assert_int_equal(c.params.frozen.height, 1);
	assert_int_equal(lc_status(&lc, now), LC_STATUS_FROZEN);
	/* frozen: refused */
	assert_int_equal(misbehaviour(&lc, &mb, &h1, &h2, now), PX_E_FROZEN);

	/* time violation: 8 not later than 5, each from its own trusted state */
	client_new(&c, &lc, &host);
	host_put_block(&host, 2);
	h1 = header_of(&late, 2);
	h2 = header_of(b5, 1);
	assert_int_equal(misbehaviour(&lc, &mb, &h1, &h2, now), 0);
	assert_true(mb.found);
	assert_string_equal(mb.kind, "time_monotonicity");
	assert_int_equal(mb.height.height, 8);
	assert_int_equal(mb.common.height, 1);
	assert_int_equal(c.params.frozen.height, 1);
	/* one second later it is not */
	client_new(&c, &lc, &host);
	{
		struct tm_light_block ok8;

		block_variant(&ok8, 8, NULL, 0, TC_T0 + 10 * 5 + 1, 0);
		h1 = header_of(&ok8, 1);
		assert_int_equal(misbehaviour(&lc, &mb, &h1, &h2, now), 0);
		assert_false(mb.found);
		tm_light_block_free(&ok8);
	}
	assert_int_equal(c.params.frozen.height, 0);
	tm_light_block_free(&fork);
	tm_light_block_free(&late);
}

/* A state whose app hash is the test proof state's, stored as the
 * consensus state at 6 by an update from 1. */
struct proofs {
	struct tp_state st;
	struct tm_light_block b6;
	struct px_buf mp, mp_absent;
	struct px_slice path[2], path_absent[2];
	const char *value;
};

static void proofs_make(struct proofs *p)
{
	struct px_buf iavl = PX_BUF_INIT, store = PX_BUF_INIT, absent = PX_BUF_INIT;
	struct tc_block_params bp;

	memset(p, 0, sizeof(*p));
	tp_state_build(&p->st);
	p->value = p->st.items[2].value;
	tp_iavl_exist(&iavl, &p->st, 2);
	tp_store_exist(&store, &p->st, p->st.ibc);
	tp_iavl_absent(&absent, &p->st, KEY_ABSENT);
	px_buf_init(&p->mp);
	px_buf_init(&p->mp_absent);
	px_pb_put_bytes(&p->mp, 1, iavl.data, iavl.len);
	px_pb_put_bytes(&p->mp, 1, store.data, store.len);
	px_pb_put_bytes(&p->mp_absent, 1, absent.data, absent.len);
	px_pb_put_bytes(&p->mp_absent, 1, store.data, store.len);
	assert_true(px_buf_ok(&p->mp) && px_buf_ok(&p->mp_absent));
	px_buf_free(&iavl);
	px_buf_free(&store);
	px_buf_free(&absent);
	p->path[0] = (struct px_slice){ (const uint8_t *)"ibc", 3 };
	p->path[1] = (struct px_slice){ (const uint8_t *)KEY3, strlen(KEY3) };
	p->path_absent[0] = p->path[0];
	p->path_absent[1] = (struct px_slice){ (const uint8_t *)KEY_ABSENT, strlen(KEY_ABSENT) };
	tc_chain_params(&bp, &chain, 6);
	bp.app_hash = p->st.app_hash;
	tc_block_make(&p->b6, &bp);
}

static void proofs_free(struct proofs *p)
{
	px_buf_free(&p->mp);
	px_buf_free(&p->mp_absent);
	tm_light_block_free(&p->b6);
}

static int member(struct lc_client *lc, uint64_t height, const struct px_buf *mp,
		  const struct px_slice *path, size_t path_len, const char *value,
		  struct px_time at)
{
	struct px_err err = { 0 };
	bool ok;

	if (value)
		ok = lc_verify_membership(lc, &err, ht(height), mp->data, mp->len, path, path_len,
					  (const uint8_t *)value, strlen(value), at);
	else
		ok = lc_verify_non_membership(lc, &err, ht(height), mp->data, mp->len, path,
					      path_len, at);
	if (!ok)
		assert_true(err.msg[0] != 0);
	return ok ? 0 : err.code;
}

static void test_membership(void **state)
{
	struct tm_ibc_client c;
	struct lc_client lc;
	struct host host;
	struct tm_ibc_header h;
	struct lc_consensus out;
	struct proofs p;

	(void)state;
	proofs_make(&p);
	client_new(&c, &lc, &host);
	h = header_of(&p.b6, 1);
	assert_int_equal(update(&c, &lc, &host, &h, &out, now), 0);

	assert_int_equal(member(&lc, 6, &p.mp, p.path, 2, p.value, now), 0);
	assert_int_equal(member(&lc, 6, &p.mp_absent, p.path_absent, 2, NULL, now), 0);
	/* a wrong value; absence of a present key; presence of an absent one */
	assert_int_equal(member(&lc, 6, &p.mp, p.path, 2, "forged", now), PX_E_VALUE_MISMATCH);
	assert_int_equal(member(&lc, 6, &p.mp, p.path, 2, NULL, now), PX_E_NO_PROOF_FOR_KEY);
	assert_int_equal(member(&lc, 6, &p.mp_absent, p.path_absent, 2, p.value, now),
			 PX_E_NO_PROOF_FOR_KEY);
	/* another key than the proof's */
	assert_int_equal(member(&lc, 6, &p.mp, p.path_absent, 2, p.value, now),
			 PX_E_KEY_MISMATCH);
	/* another root: the consensus state at 1 */
	assert_int_equal(member(&lc, 1, &p.mp, p.path, 2, p.value, now), PX_E_ROOT_MISMATCH);
	/* no consensus state at the height, or in another revision */
	assert_int_equal(member(&lc, 7, &p.mp, p.path, 2, p.value, now), PX_E_IBC_NOT_FOUND);
	{
		struct px_err err = { 0 };
		struct lc_height other = { 6, 6 };

		assert_false(lc_verify_membership(&lc, &err, other, p.mp.data, p.mp.len, p.path, 2,
						  (const uint8_t *)p.value, strlen(p.value), now));
		assert_code(&err, PX_E_IBC_NOT_FOUND);
	}
	/* shape: one path part, an empty value, a proof of one level */
	assert_int_equal(member(&lc, 6, &p.mp, p.path, 1, p.value, now), PX_E_USAGE);
	assert_int_equal(member(&lc, 6, &p.mp, p.path, 2, "", now), PX_E_USAGE);
	{
		struct px_buf one = PX_BUF_INIT;

		/* field 1 of 200 bytes where 3 follow */
		px_buf_append(&one, (const uint8_t *)"\x0a\xc8\x01\x01\x02\x03", 6);
		assert_int_equal(member(&lc, 6, &one, p.path, 2, p.value, now), PX_E_MALFORMED);
		px_buf_reset(&one);
		/* the first proof alone (its bytes are the field 1 of mp) */
		{
			struct px_slice iavl, simple;
			struct px_err err = { 0 };

			assert_true(tm_merkle_proof_split(&err, &iavl, &simple, p.mp.data, p.mp.len));
			px_pb_put_bytes(&one, 1, iavl.ptr, iavl.len);
		}
		assert_int_equal(member(&lc, 6, &one, p.path, 2, p.value, now), PX_E_PROOF_SHAPE);
		px_buf_free(&one);
	}

	/* every single flipped bit of the proof is refused */
	for (size_t i = 0; i < p.mp.len; i++) {
		for (int bit = 0; bit < 8; bit += 3) {
			int code;

			p.mp.data[i] ^= (uint8_t)(1u << bit);
			code = member(&lc, 6, &p.mp, p.path, 2, p.value, now);
			p.mp.data[i] ^= (uint8_t)(1u << bit);
			if (code == 0)
				fail_msg("proof with byte %zu bit %d flipped verifies", i, bit);
		}
	}
	assert_int_equal(member(&lc, 6, &p.mp, p.path, 2, p.value, now), 0);

	/* expired: the latest consensus state (6) is out of its period */
	assert_int_equal(member(&lc, 6, &p.mp, p.path, 2, p.value,
				tc_time(TC_T0 + 60 + 336 * 3600)),
			 PX_E_TRUST_EXPIRED);
	assert_int_equal(member(&lc, 6, &p.mp, p.path, 2, p.value,
				tc_time(TC_T0 + 59 + 336 * 3600)),
			 0);

	/* frozen */
	c.params.frozen = ht(1);
	c.params.frozen.revision = 0;
	assert_int_equal(member(&lc, 6, &p.mp, p.path, 2, p.value, now), PX_E_FROZEN);
	assert_int_equal(member(&lc, 6, &p.mp_absent, p.path_absent, 2, NULL, now), PX_E_FROZEN);
	proofs_free(&p);
}

static void test_status(void **state)
{
	struct tm_ibc_client c;
	struct lc_client lc;
	struct host host;
	struct tm_ibc_header h;
	struct lc_consensus out;

	(void)state;
	client_new(&c, &lc, &host);
	/* the consensus state at latest (1, at TC_T0 + 10) decides */
	assert_int_equal(lc_status(&lc, tc_time(TC_T0 + 9 + 336 * 3600)), LC_STATUS_ACTIVE);
	assert_int_equal(lc_status(&lc, tc_time(TC_T0 + 10 + 336 * 3600)), LC_STATUS_EXPIRED);
	/* an update moves latest and with it the end of the period */
	h = header_of(tc_chain_at(&chain, 4), 1);
	assert_int_equal(update(&c, &lc, &host, &h, &out, now), 0);
	assert_int_equal(lc_status(&lc, tc_time(TC_T0 + 10 + 336 * 3600)), LC_STATUS_ACTIVE);
	assert_int_equal(lc_status(&lc, tc_time(TC_T0 + 40 + 336 * 3600)), LC_STATUS_EXPIRED);
	/* latest without a consensus state */
	c.params.latest = ht(9);
	assert_int_equal(lc_status(&lc, now), LC_STATUS_EXPIRED);
	c.params.latest = ht(4);
	assert_int_equal(lc_status(&lc, now), LC_STATUS_ACTIVE);
	/* frozen wins over everything, at any frozen height */
	c.params.frozen = ht(3);
	assert_int_equal(lc_status(&lc, now), LC_STATUS_FROZEN);
	assert_int_equal(lc_status(&lc, tc_time(TC_T0 + 40 + 336 * 3600)), LC_STATUS_FROZEN);
	/* free leaves the caller's client alone */
	lc_client_free(&lc);
	assert_null(lc.impl);
	assert_int_equal(c.params.frozen.height, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_params_check),
		cmocka_unit_test(test_update_adjacent_and_skipping),
		cmocka_unit_test(test_update_refusals),
		cmocka_unit_test(test_host_failures),
		cmocka_unit_test(test_conflict_freezes),
		cmocka_unit_test(test_misbehaviour),
		cmocka_unit_test(test_membership),
		cmocka_unit_test(test_status),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
