/* The Ethereum client's state machine: the window of trusted headers,
 * updates by parent hash, misbehaviour and freezing, and eth_getProof
 * results against a held stateRoot. The generic interface over it is in
 * client_lc.c. */
#include "lightclient/ethereum/client.h"

#include <string.h>

#include <jansson.h>

#include "common/json.h"
#include "lightclient/ethereum/getproof.h"
#include "lightclient/ethereum/mpt.h"

static struct eth_trusted_header *slot_of(struct eth_client *c, uint64_t number)
{
	return &c->headers[number % ETH_CLIENT_MAX_HEADERS];
}

bool eth_client_init(struct px_err *err, struct eth_client *c, const struct eth_header *checkpoint,
		     const uint8_t checkpoint_hash[ETH_HASH_LEN])
{
	struct eth_trusted_header t;

	memset(c, 0, sizeof(*c));
	if (!eth_header_verify_checkpoint(err, &t, checkpoint, checkpoint_hash)) {
		px_err_prefix(err, "checkpoint: ");
		return false;
	}
	if (t.header.timestamp > INT64_MAX)
		return px_err_set(err, PX_E_TIME, "checkpoint: timestamp %llu out of range",
				  (unsigned long long)t.header.timestamp);
	*slot_of(c, t.header.number) = t;
	c->lowest = c->highest = t.header.number;
	return true;
}

void eth_client_free(struct eth_client *c)
{
	/* Nothing is allocated; cleared so a freed client holds nothing. */
	memset(c, 0, sizeof(*c));
}

enum lc_status eth_client_status(const struct eth_client *c)
{
	return c->frozen ? LC_STATUS_FROZEN : LC_STATUS_ACTIVE;
}

const struct eth_trusted_header *eth_client_header_at(const struct eth_client *c,
						      uint64_t number)
{
	if (number < c->lowest || number > c->highest)
		return NULL;
	return &c->headers[number % ETH_CLIENT_MAX_HEADERS];
}

const struct eth_trusted_header *eth_client_latest(const struct eth_client *c)
{
	return eth_client_header_at(c, c->highest);
}

static const struct eth_trusted_header *find_hash(const struct eth_client *c,
						   const uint8_t hash[ETH_HASH_LEN])
{
	/* Counted, not compared with highest, which may be UINT64_MAX. */
	for (uint64_t i = 0; i <= c->highest - c->lowest; i++) {
		const struct eth_trusted_header *t =
			&c->headers[(c->lowest + i) % ETH_CLIENT_MAX_HEADERS];

		if (memcmp(t->hash, hash, ETH_HASH_LEN) == 0)
			return t;
	}
	return NULL;
}

/* Trusts h either as the header already held at its height (*held set) or
 * as the child of the held header below it. Nothing is stored. */
static bool link_header(struct px_err *err, const struct eth_client *c, bool *held,
			struct eth_trusted_header *out, const struct eth_header *h)
{
	const struct eth_trusted_header *same, *parent;
	uint8_t hash[ETH_HASH_LEN];

	*held = false;
	if (!h->has_claimed_hash)
		return px_err_set(err, PX_E_USAGE, "header %llu: no claimed hash",
				  (unsigned long long)h->number);
	if (h->timestamp > INT64_MAX)
		return px_err_set(err, PX_E_TIME, "header %llu: timestamp %llu out of range",
				  (unsigned long long)h->number, (unsigned long long)h->timestamp);
	eth_header_hash(hash, h);
	if (memcmp(hash, h->claimed_hash, ETH_HASH_LEN) != 0)
		return px_err_set(err, PX_E_HASH_MISMATCH,
				  "header %llu: does not hash to its claimed hash",
				  (unsigned long long)h->number);
	same = eth_client_header_at(c, h->number);
	if (same && memcmp(same->hash, hash, ETH_HASH_LEN) == 0) {
		*held = true;
		*out = *same;
		return true;
	}
	/* The parent it names when held (a wrong number is then reported as
	 * such), else the held header below it (a wrong parent hash). */
	parent = find_hash(c, h->parent_hash);
	if (!parent && h->number > 0)
		parent = eth_client_header_at(c, h->number - 1);
	if (!parent)
		return px_err_set(err, PX_E_NOT_ENOUGH_TRUST,
				  "header %llu: no trusted header at its parent height (trusted %llu..%llu)",
				  (unsigned long long)h->number, (unsigned long long)c->lowest,
				  (unsigned long long)c->highest);
	if (!eth_header_verify_child(err, out, parent, h)) {
		px_err_prefix(err, "header %llu: ", (unsigned long long)h->number);
		return false;
	}
	return true;
}

static bool refuse_frozen(struct px_err *err, const struct eth_client *c)
{
	return px_err_set(err, PX_E_FROZEN, "client is frozen by misbehaviour at height %llu",
			  (unsigned long long)c->evidence.number);
}

static void freeze(struct eth_client *c, uint64_t number, const uint8_t trusted[ETH_HASH_LEN],
		   const uint8_t conflicting[ETH_HASH_LEN])
{
	c->frozen = true;
	c->evidence.found = true;
	c->evidence.number = number;
	memcpy(c->evidence.trusted_hash, trusted, ETH_HASH_LEN);
	memcpy(c->evidence.conflicting_hash, conflicting, ETH_HASH_LEN);
}

bool eth_client_update(struct px_err *err, struct eth_client *c,
		       const struct eth_trusted_header **out, const struct eth_header *h)
{
	struct eth_trusted_header t;
	bool held;

	if (out)
		*out = NULL;
	if (c->frozen)
		return refuse_frozen(err, c);
	if (!link_header(err, c, &held, &t, h))
		return false;
	if (!held && t.header.number <= c->highest) {
		freeze(c, t.header.number, eth_client_header_at(c, t.header.number)->hash, t.hash);
		return px_err_set(err, PX_E_CONFLICT,
				  "misbehaviour (conflicting_headers) at height %llu: client frozen",
				  (unsigned long long)t.header.number);
	}
	if (!held) {
		/* A new tip (its parent is the highest held header). */
		if (c->highest - c->lowest + 1 >= ETH_CLIENT_MAX_HEADERS)
			c->lowest++;
		c->highest = t.header.number;
		*slot_of(c, t.header.number) = t;
	}
	if (out)
		*out = eth_client_header_at(c, t.header.number);
	return true;
}

bool eth_client_check_misbehaviour(struct px_err *err, struct eth_client *c,
				   struct eth_evidence *out, const struct eth_header *a,
				   const struct eth_header *b)
{
	struct eth_trusted_header ta, tb;
	bool held_a, held_b;

	if (out)
		memset(out, 0, sizeof(*out));
	if (c->frozen)
		return refuse_frozen(err, c);
	if (!link_header(err, c, &held_a, &ta, a)) {
		px_err_prefix(err, "misbehaviour, first header: ");
		return false;
	}
	if (!link_header(err, c, &held_b, &tb, b)) {
		px_err_prefix(err, "misbehaviour, second header: ");
		return false;
	}
	if (ta.header.number != tb.header.number || memcmp(ta.hash, tb.hash, ETH_HASH_LEN) == 0)
		return true;
	/* At most one of them is held (one header per held height). */
	if (held_b)
		freeze(c, tb.header.number, tb.hash, ta.hash);
	else
		freeze(c, ta.header.number, ta.hash, tb.hash);
	if (out)
		*out = c->evidence;
	return true;
}

/* The slot value claimed, as the 32-byte word the proof shows. */
static bool claimed_word(struct px_err *err, uint8_t word[ETH_U256_LEN], const uint8_t *value,
			 size_t value_len)
{
	memset(word, 0, ETH_U256_LEN);
	if (value_len > ETH_U256_LEN)
		return px_err_set(err, PX_E_TOO_LARGE, "slot value of %zu bytes, more than %u",
				  value_len, ETH_U256_LEN);
	if (value_len > 0 && value[0] == 0)
		return px_err_set(err, PX_E_NONCANONICAL, "slot value has a leading zero byte");
	if (value_len > 0)
		memcpy(word + ETH_U256_LEN - value_len, value, value_len);
	return true;
}

static bool account_equal(const struct eth_account *x, const struct eth_account *y)
{
	return x->nonce == y->nonce && memcmp(x->balance, y->balance, ETH_U256_LEN) == 0 &&
	       memcmp(x->storage_root, y->storage_root, ETH_HASH_LEN) == 0 &&
	       memcmp(x->code_hash, y->code_hash, ETH_HASH_LEN) == 0;
}

static bool check_slot(struct px_err *err, const struct mpt_get_proof *p, const uint8_t *slot,
		       const uint8_t word[ETH_U256_LEN])
{
	for (size_t i = 0; i < p->nslots; i++) {
		if (memcmp(p->slots[i].key, slot, ETH_U256_LEN) != 0)
			continue;
		if (memcmp(p->slots[i].value, word, ETH_U256_LEN) != 0)
			return px_err_set(err, PX_E_VALUE_MISMATCH,
					  "slot: proven value differs from the value claimed");
		return true;
	}
	return px_err_set(err, PX_E_KEY_MISMATCH, "result has no proof of the slot");
}

static bool check_account(struct px_err *err, const struct mpt_get_proof *p,
			  const struct eth_account *claimed)
{
	if (!claimed) {
		if (p->account_exists)
			return px_err_set(err, PX_E_VALUE_MISMATCH,
					  "account: exists, claimed absent");
		return true;
	}
	if (!p->account_exists)
		return px_err_set(err, PX_E_VALUE_MISMATCH, "account: absent, claimed present");
	if (!account_equal(&p->account, claimed))
		return px_err_set(err, PX_E_VALUE_MISMATCH,
				  "account: proven account differs from the account claimed");
	return true;
}

bool eth_client_verify_proof(struct px_err *err, const struct eth_client *c, uint64_t number,
			     const uint8_t *proof, size_t proof_len,
			     const uint8_t address[ETH_ADDRESS_LEN], const uint8_t *slot,
			     const uint8_t *value, size_t value_len)
{
	const struct eth_trusted_header *t;
	struct mpt_get_proof p = { 0 };
	struct eth_account claimed;
	uint8_t word[ETH_U256_LEN];
	json_t *result = NULL;
	bool ok = false;

	if (c->frozen)
		return refuse_frozen(err, c);
	t = eth_client_header_at(c, number);
	if (!t)
		return px_err_set(err, PX_E_HEIGHT, "no trusted header at height %llu (trusted %llu..%llu)",
				  (unsigned long long)number, (unsigned long long)c->lowest,
				  (unsigned long long)c->highest);
	if (!proof || proof_len == 0)
		return px_err_set(err, PX_E_USAGE, "no proof");
	if (!address || (value_len > 0 && !value))
		return px_err_set(err, PX_E_USAGE, "no address or no value");
	if (proof_len > ETH_CLIENT_MAX_PROOF)
		return px_err_set(err, PX_E_TOO_LARGE, "proof of %zu bytes, more than %u", proof_len,
				  ETH_CLIENT_MAX_PROOF);
	/* The claim is checked first: a malformed claim is reported as such
	 * whatever the proof holds. */
	if (slot && !claimed_word(err, word, value, value_len))
		return false;
	if (!slot && value_len > 0 && !mpt_account_decode(err, &claimed, value, value_len)) {
		px_err_prefix(err, "claimed account: ");
		return false;
	}
	result = px_json_load_buf(err, proof, proof_len);
	if (!result)
		goto out;
	if (!json_is_object(result)) {
		px_err_set(err, PX_E_JSON, "proof: expected an eth_getProof result object, got %s",
			   px_json_type_name(result));
		goto out;
	}
	if (!mpt_get_proof_verify_header(err, &p, t, result))
		goto out;
	if (memcmp(p.address, address, ETH_ADDRESS_LEN) != 0) {
		px_err_set(err, PX_E_KEY_MISMATCH, "result is for another address");
		goto out;
	}
	ok = slot ? check_slot(err, &p, slot, word)
		  : check_account(err, &p, value_len > 0 ? &claimed : NULL);
out:
	mpt_get_proof_free(&p);
	json_decref(result);
	return ok;
}
