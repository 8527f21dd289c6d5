/* In-memory IBC host for the rule tests (see memhost.h): sorted store,
 * snapshot-based fake light clients, a bank, and connection ends and
 * channels stored in ibc-go's protobuf (ibc/codec). */
#include "memhost.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ibc/codec/channel.h"
#include "ibc/codec/connection.h"
#include "ibc/transfer/ics20.h"

struct kv {
	char *key;
	uint8_t *val;
	size_t len;
};

struct store {
	struct kv *e;
	size_t n, cap;
};

struct consensus {
	struct ibc_height height;
	uint64_t time_ns;
	uint64_t processed_ns;		/* host time when it was stored */
	struct store snap;
};

struct client {
	char id[IBC_ID_MAX + 1];
	struct memhost *other;
	enum ibc_client_status status;
	struct consensus *cs;
	size_t ncs;
};

struct balance {
	char *addr, *denom;
	struct ibc_u256 amount;
};

struct memhost {
	char chain_id[IBC_CHAIN_ID_MAX + 1];
	struct ibc_height height;
	uint64_t time_ns;
	struct store store;
	struct client clients[8];
	size_t nclients;
	struct balance *bal;
	size_t nbal;
	int fail_after;
	struct ibc_host host;
};

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		abort();
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

/* ---- store ------------------------------------------------------------ */

/* Index of key, or where it would go (*found false). */
static size_t store_find(const struct store *s, const char *key, size_t klen, bool *found)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		size_t ml = strlen(s->e[mid].key);
		int c = memcmp(s->e[mid].key, key, ml < klen ? ml : klen);

		if (c == 0)
			c = ml < klen ? -1 : ml > klen ? 1 : 0;
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

static void store_put(struct store *s, const char *key, size_t klen, const uint8_t *val, size_t len)
{
	bool found;
	size_t i = store_find(s, key, klen, &found);
	uint8_t *v = xmalloc(len);

	if (len)
		memcpy(v, val, len);
	if (found) {
		free(s->e[i].val);
		s->e[i].val = v;
		s->e[i].len = len;
		return;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->e = xrealloc(s->e, s->cap * sizeof(*s->e));
	}
	memmove(&s->e[i + 1], &s->e[i], (s->n - i) * sizeof(*s->e));
	s->e[i].key = xmalloc(klen + 1);
	memcpy(s->e[i].key, key, klen);
	s->e[i].key[klen] = '\0';
	s->e[i].val = v;
	s->e[i].len = len;
	s->n++;
}

static void store_del(struct store *s, const char *key, size_t klen)
{
	bool found;
	size_t i = store_find(s, key, klen, &found);

	if (!found)
		return;
	free(s->e[i].key);
	free(s->e[i].val);
	memmove(&s->e[i], &s->e[i + 1], (s->n - i - 1) * sizeof(*s->e));
	s->n--;
}

static void store_free(struct store *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->e[i].key);
		free(s->e[i].val);
	}
	free(s->e);
	memset(s, 0, sizeof(*s));
}

static void store_copy(struct store *dst, const struct store *src)
{
	memset(dst, 0, sizeof(*dst));
	for (size_t i = 0; i < src->n; i++)
		store_put(dst, src->e[i].key, strlen(src->e[i].key), src->e[i].val, src->e[i].len);
}

/* ---- host operations -------------------------------------------------- */

static bool op_get(void *ctx, struct px_err *err, struct px_buf *out, bool *found,
		   const uint8_t *key, size_t key_len)
{
	struct memhost *m = ctx;
	size_t i = store_find(&m->store, (const char *)key, key_len, found);

	if (*found)
		px_buf_append(out, m->store.e[i].val, m->store.e[i].len);
	return true;
}

static bool write_allowed(struct memhost *m, struct px_err *err)
{
	if (m->fail_after < 0)
		return true;
	if (m->fail_after == 0)
		return px_err_set(err, PX_E_NOMEM, "memhost: injected write failure");
	m->fail_after--;
	return true;
}

static bool op_set(void *ctx, struct px_err *err, const uint8_t *key, size_t key_len,
		   const uint8_t *val, size_t val_len)
{
	struct memhost *m = ctx;

	if (!write_allowed(m, err))
		return false;
	store_put(&m->store, (const char *)key, key_len, val, val_len);
	return true;
}

static bool op_del(void *ctx, struct px_err *err, const uint8_t *key, size_t key_len)
{
	struct memhost *m = ctx;

	if (!write_allowed(m, err))
		return false;
	store_del(&m->store, (const char *)key, key_len);
	return true;
}

static struct ibc_height op_self_height(void *ctx)
{
	return ((struct memhost *)ctx)->height;
}

static uint64_t op_self_time(void *ctx)
{
	return ((struct memhost *)ctx)->time_ns;
}

static struct px_slice op_self_prefix(void *ctx)
{
	struct px_slice s = { (const uint8_t *)"ibc", 3 };

	return s;
}

static struct client *client_find(struct memhost *m, const char *id)
{
	for (size_t i = 0; i < m->nclients; i++)
		if (strcmp(m->clients[i].id, id) == 0)
			return &m->clients[i];
	return NULL;
}

static enum ibc_client_status op_client_status(void *ctx, const char *client_id)
{
	struct client *c = client_find(ctx, client_id);

	return c ? c->status : IBC_CLIENT_UNKNOWN;
}

static bool op_latest_height(void *ctx, struct px_err *err, struct ibc_height *out,
			     const char *client_id)
{
	struct client *c = client_find(ctx, client_id);

	if (!c || c->ncs == 0)
		return px_err_set(err, PX_E_IBC_NOT_FOUND, "memhost: no client %s", client_id);
	*out = c->cs[c->ncs - 1].height;
	return true;
}

static struct consensus *consensus_at(struct client *c, struct ibc_height h)
{
	for (size_t i = 0; i < c->ncs; i++)
		if (ibc_height_cmp(c->cs[i].height, h) == 0)
			return &c->cs[i];
	return NULL;
}

static bool op_consensus_time(void *ctx, struct px_err *err, uint64_t *out, const char *client_id,
			      struct ibc_height h)
{
	struct client *c = client_find(ctx, client_id);
	struct consensus *cs = c ? consensus_at(c, h) : NULL;

	if (!cs)
		return px_err_set(err, PX_E_IBC_NOT_FOUND,
				  "memhost: client %s has no consensus state at %llu-%llu",
				  client_id, (unsigned long long)h.revision_number,
				  (unsigned long long)h.revision_height);
	*out = cs->time_ns;
	return true;
}

/* The snapshot a proof is checked against, after the fake client's checks:
 * proof bytes, consensus state, prefix, delay period. */
static const struct store *proof_store(struct memhost *m, struct px_err *err, const char *client_id,
				       struct ibc_height h, uint64_t delay_ns,
				       const uint8_t *proof, size_t proof_len,
				       struct px_slice prefix)
{
	struct client *c = client_find(m, client_id);
	struct consensus *cs;

	if (!c) {
		px_err_set(err, PX_E_IBC_NOT_FOUND, "memhost: no client %s", client_id);
		return NULL;
	}
	if (proof_len != strlen(MEMHOST_PROOF) || memcmp(proof, MEMHOST_PROOF, proof_len) != 0) {
		px_err_set(err, PX_E_IBC_PROOF, "memhost: proof bytes are not a memhost proof");
		return NULL;
	}
	cs = consensus_at(c, h);
	if (!cs) {
		px_err_set(err, PX_E_IBC_NOT_FOUND, "memhost: no consensus state at %llu-%llu",
			   (unsigned long long)h.revision_number,
			   (unsigned long long)h.revision_height);
		return NULL;
	}
	if (prefix.len != 3 || memcmp(prefix.ptr, "ibc", 3) != 0) {
		px_err_set(err, PX_E_IBC_PROOF, "memhost: wrong commitment prefix");
		return NULL;
	}
	if (m->time_ns - cs->processed_ns < delay_ns) {
		px_err_set(err, PX_E_IBC_PROOF, "memhost: delay period has not passed");
		return NULL;
	}
	return &cs->snap;
}

static bool op_verify_membership(void *ctx, struct px_err *err, const char *client_id,
				 struct ibc_height h, uint64_t delay_ns, const uint8_t *proof,
				 size_t proof_len, struct px_slice prefix, const uint8_t *path,
				 size_t path_len, const uint8_t *value, size_t value_len)
{
	const struct store *s = proof_store(ctx, err, client_id, h, delay_ns, proof, proof_len,
					    prefix);
	bool found;
	size_t i;

	if (!s)
		return false;
	i = store_find(s, (const char *)path, path_len, &found);
	if (!found)
		return px_err_set(err, PX_E_IBC_PROOF, "memhost: key absent in the counterparty");
	if (s->e[i].len != value_len || memcmp(s->e[i].val, value, value_len) != 0)
		return px_err_set(err, PX_E_IBC_PROOF,
				  "memhost: the counterparty stores another value");
	return true;
}

static bool op_verify_non_membership(void *ctx, struct px_err *err, const char *client_id,
				     struct ibc_height h, uint64_t delay_ns, const uint8_t *proof,
				     size_t proof_len, struct px_slice prefix,
				     const uint8_t *path, size_t path_len)
{
	const struct store *s = proof_store(ctx, err, client_id, h, delay_ns, proof, proof_len,
					    prefix);
	bool found;

	if (!s)
		return false;
	store_find(s, (const char *)path, path_len, &found);
	if (found)
		return px_err_set(err, PX_E_IBC_PROOF, "memhost: key present in the counterparty");
	return true;
}

/* Stored ends in ibc-go's protobuf, through ibc/codec, as the devnet
 * stores them. */
bool memhost_encode_connection(struct px_err *err, struct px_buf *out,
			       const struct ibc_connection_end *c)
{
	return ibc_connection_end_encode(err, out, c);
}

bool memhost_decode_connection(struct px_err *err, struct ibc_connection_end *out,
			       const uint8_t *buf, size_t len)
{
	return ibc_connection_end_decode(err, out, buf, len);
}

bool memhost_encode_channel(struct px_err *err, struct px_buf *out, const struct ibc_channel *c)
{
	return ibc_channel_encode(err, out, c);
}

bool memhost_decode_channel(struct px_err *err, struct ibc_channel *out, const uint8_t *buf,
			    size_t len)
{
	return ibc_channel_decode(err, out, buf, len);
}

static bool op_encode_connection(void *ctx, struct px_err *err, struct px_buf *out,
				 const struct ibc_connection_end *c)
{
	return memhost_encode_connection(err, out, c);
}

static bool op_decode_connection(void *ctx, struct px_err *err, struct ibc_connection_end *out,
				 const uint8_t *buf, size_t len)
{
	return memhost_decode_connection(err, out, buf, len);
}

static bool op_encode_channel(void *ctx, struct px_err *err, struct px_buf *out,
			      const struct ibc_channel *c)
{
	return memhost_encode_channel(err, out, c);
}

static bool op_decode_channel(void *ctx, struct px_err *err, struct ibc_channel *out,
			      const uint8_t *buf, size_t len)
{
	return memhost_decode_channel(err, out, buf, len);
}

static struct balance *balance_find(const struct memhost *m, const char *addr, const char *denom)
{
	for (size_t i = 0; i < m->nbal; i++)
		if (strcmp(m->bal[i].addr, addr) == 0 && strcmp(m->bal[i].denom, denom) == 0)
			return &m->bal[i];
	return NULL;
}

static bool op_get_balance(void *ctx, struct px_err *err, struct ibc_u256 *out, const char *addr,
			   const char *denom)
{
	struct balance *b = balance_find(ctx, addr, denom);

	memset(out, 0, sizeof(*out));
	if (b)
		*out = b->amount;
	return true;
}

static void balance_put(struct memhost *m, const char *addr, const char *denom,
			const struct ibc_u256 *v)
{
	struct balance *b = balance_find(m, addr, denom);

	if (!b) {
		m->bal = xrealloc(m->bal, (m->nbal + 1) * sizeof(*m->bal));
		b = &m->bal[m->nbal++];
		b->addr = xstrdup(addr);
		b->denom = xstrdup(denom);
	}
	b->amount = *v;
}

static bool op_set_balance(void *ctx, struct px_err *err, const char *addr, const char *denom,
			   const struct ibc_u256 *amount)
{
	if (!write_allowed(ctx, err))
		return false;
	balance_put(ctx, addr, denom, amount);
	return true;
}

static bool op_escrow_address(void *ctx, struct px_err *err, char *out, size_t cap,
			      const char *port, const char *channel)
{
	int n = snprintf(out, cap, "escrow:%s/%s", port, channel);

	if (n < 0 || (size_t)n >= cap)
		return px_err_set(err, PX_E_INTERNAL, "memhost: escrow address too long");
	return true;
}

static const struct ibc_host_ops memhost_ops = {
	.get = op_get,
	.set = op_set,
	.del = op_del,
	.self_height = op_self_height,
	.self_time = op_self_time,
	.self_prefix = op_self_prefix,
	.client_status = op_client_status,
	.client_latest_height = op_latest_height,
	.client_consensus_time = op_consensus_time,
	.verify_membership = op_verify_membership,
	.verify_non_membership = op_verify_non_membership,
	.encode_connection = op_encode_connection,
	.decode_connection = op_decode_connection,
	.encode_channel = op_encode_channel,
	.decode_channel = op_decode_channel,
	.validate_self_client = NULL,
	.self_consensus_state = NULL,
	.get_balance = op_get_balance,
	.set_balance = op_set_balance,
	.escrow_address = op_escrow_address,
};

/* ---- public ----------------------------------------------------------- */

struct memhost *memhost_new(const char *chain_id, uint64_t revision, uint64_t height,
			    uint64_t time_ns)
{
	struct memhost *m = xmalloc(sizeof(*m));

	memset(m, 0, sizeof(*m));
	snprintf(m->chain_id, sizeof(m->chain_id), "%s", chain_id);
	m->height.revision_number = revision;
	m->height.revision_height = height;
	m->time_ns = time_ns;
	m->fail_after = -1;
	m->host.ops = &memhost_ops;
	m->host.ctx = m;
	return m;
}

void memhost_free(struct memhost *m)
{
	if (!m)
		return;
	store_free(&m->store);
	for (size_t i = 0; i < m->nclients; i++) {
		for (size_t j = 0; j < m->clients[i].ncs; j++)
			store_free(&m->clients[i].cs[j].snap);
		free(m->clients[i].cs);
	}
	for (size_t i = 0; i < m->nbal; i++) {
		free(m->bal[i].addr);
		free(m->bal[i].denom);
	}
	free(m->bal);
	free(m);
}

const struct ibc_host *memhost_host(struct memhost *m)
{
	return &m->host;
}

struct ibc_height memhost_height(const struct memhost *m)
{
	return m->height;
}

uint64_t memhost_time(const struct memhost *m)
{
	return m->time_ns;
}

void memhost_advance(struct memhost *m, uint64_t blocks, uint64_t ns)
{
	m->height.revision_height += blocks;
	m->time_ns += ns;
}

void memhost_add_client(struct memhost *m, const char *client_id, struct memhost *other)
{
	struct client *c;

	if (m->nclients == sizeof(m->clients) / sizeof(m->clients[0]))
		abort();
	c = &m->clients[m->nclients++];
	memset(c, 0, sizeof(*c));
	snprintf(c->id, sizeof(c->id), "%s", client_id);
	c->other = other;
	c->status = IBC_CLIENT_ACTIVE;
	memhost_update_client(m, client_id);
}

struct ibc_height memhost_update_client(struct memhost *m, const char *client_id)
{
	struct client *c = client_find(m, client_id);
	struct consensus *cs;

	if (!c)
		abort();
	cs = consensus_at(c, c->other->height);
	if (cs) {
		store_free(&cs->snap);
	} else {
		c->cs = xrealloc(c->cs, (c->ncs + 1) * sizeof(*c->cs));
		cs = &c->cs[c->ncs++];
	}
	cs->height = c->other->height;
	cs->time_ns = c->other->time_ns;
	cs->processed_ns = m->time_ns;
	store_copy(&cs->snap, &c->other->store);
	return cs->height;
}

void memhost_set_client_status(struct memhost *m, const char *client_id,
			       enum ibc_client_status status)
{
	struct client *c = client_find(m, client_id);

	if (!c)
		abort();
	c->status = status;
}

bool memhost_has(const struct memhost *m, const char *key)
{
	bool found;

	store_find(&m->store, key, strlen(key), &found);
	return found;
}

bool memhost_get(const struct memhost *m, const char *key, struct px_buf *out)
{
	bool found;
	size_t i = store_find(&m->store, key, strlen(key), &found);

	if (found)
		px_buf_append(out, m->store.e[i].val, m->store.e[i].len);
	return found;
}

void memhost_put(struct memhost *m, const char *key, const uint8_t *val, size_t len)
{
	store_put(&m->store, key, strlen(key), val, len);
}

void memhost_delete(struct memhost *m, const char *key)
{
	store_del(&m->store, key, strlen(key));
}

size_t memhost_store_size(const struct memhost *m)
{
	return m->store.n;
}

void memhost_fail_writes_after(struct memhost *m, int n)
{
	m->fail_after = n;
}

void memhost_set_balance(struct memhost *m, const char *addr, const char *denom,
			 const char *amount)
{
	struct ibc_u256 v;

	if (!ibc_u256_parse(NULL, &v, amount, strlen(amount)))
		abort();
	balance_put(m, addr, denom, &v);
}

void memhost_balance(const struct memhost *m, char out[80], const char *addr, const char *denom)
{
	struct balance *b = balance_find(m, addr, denom);
	struct ibc_u256 zero;

	memset(&zero, 0, sizeof(zero));
	ibc_u256_format(out, b ? &b->amount : &zero);
}

struct px_slice memhost_proof(void)
{
	struct px_slice s = { (const uint8_t *)MEMHOST_PROOF, strlen(MEMHOST_PROOF) };

	return s;
}
