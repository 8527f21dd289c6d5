/* The devnet application's state (see app.h): write caches over the IAVL
 * stores, accounts (x/auth's BaseAccount in an Any) and balances (x/bank),
 * checked 128-bit amounts and the minimum gas price. */
#include "chains/devnet/app_internal.h"

#include <stdlib.h>
#include <string.h>

#include "chains/cosmos/bech32.h"
#include "chains/cosmos/tx.h"
#include "common/hash.h"
#include "common/protobuf.h"

#define CACHE_MIN_CAP 16u

/* ---- amounts ---- */

void devnet_u128_format(char out[48], devnet_u128 v)
{
	char tmp[48];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = 0;
}

bool devnet_u128_parse(devnet_u128 *out, const char *s, size_t len)
{
	const devnet_u128 max = ~(devnet_u128)0;
	devnet_u128 v = 0;

	*out = 0;
	if (len == 0 || len > 39 || (len > 1 && s[0] == '0'))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (s[i] < '0' || s[i] > '9' || v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static bool denom_ok(const char *s, size_t len)
{
	/* The SDK's [a-zA-Z][a-zA-Z0-9/:._-]{2,127} */
	if (len < 3 || len > DEVNET_DENOM_MAX ||
	    !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return false;
	for (size_t i = 1; i < len; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '/' || ch == ':' || ch == '.' || ch == '_' || ch == '-'))
			return false;
	}
	return true;
}

bool devnet_gas_price_parse(struct px_err *err, struct devnet_gas_price *out, const char *s)
{
	devnet_u128 ip = 0, frac = 0, scale = 1;
	size_t i = 0, n_int = 0, n_frac = 0;

	memset(out, 0, sizeof(*out));
	while (s[i] >= '0' && s[i] <= '9' && n_int < 10) {
		ip = ip * 10 + (unsigned)(s[i++] - '0');
		n_int++;
	}
	if (s[i] == '.') {
		i++;
		while (s[i] >= '0' && s[i] <= '9' && n_frac < DEVNET_GAS_PRICE_DECIMALS) {
			frac = frac * 10 + (unsigned)(s[i++] - '0');
			n_frac++;
		}
		if (n_frac == 0)
			goto bad;
	}
	if (n_int == 0 || (s[i] >= '0' && s[i] <= '9') || !denom_ok(s + i, strlen(s + i)))
		goto bad;
	for (size_t k = 0; k < DEVNET_GAS_PRICE_DECIMALS; k++)
		scale *= 10;
	for (size_t k = n_frac; k < DEVNET_GAS_PRICE_DECIMALS; k++)
		frac *= 10;
	out->scaled = ip * scale + frac;
	memcpy(out->denom, s + i, strlen(s + i) + 1);
	return true;
bad:
	memset(out, 0, sizeof(*out));
	return px_err_set(err, PX_E_USAGE,
			  "gas price '%.60s': want AMOUNTDENOM, e.g. 0.025stake (at most 10 "
			  "integer and 18 decimal digits)", s);
}

void devnet_module_address(uint8_t out[COSMOS_ADDR_LEN], const char *name)
{
	uint8_t h[PX_SHA256_LEN];

	px_sha256(h, name, strlen(name));
	memcpy(out, h, COSMOS_ADDR_LEN);
}

void app_address_string(const struct devnet_app *a, char out[DEVNET_ADDR_STR_MAX],
			const uint8_t addr[COSMOS_ADDR_LEN])
{
	/* The prefix was checked when the app was opened: cannot fail. */
	if (!cosmos_address_encode(NULL, out, DEVNET_ADDR_STR_MAX, a->prefix, addr, COSMOS_ADDR_LEN))
		out[0] = 0;
}

/* ---- caches ---- */

void app_cache_init(struct app_cache *c, struct devnet_app *a, struct app_cache *parent,
		    int64_t version)
{
	memset(c, 0, sizeof(*c));
	c->app = a;
	c->parent = parent;
	c->version = version;
}

void app_cache_free(struct app_cache *c)
{
	for (size_t i = 0; i < c->cap; i++) {
		free(c->slots[i].key);
		free(c->slots[i].val);
	}
	free(c->slots);
	c->slots = NULL;
	c->cap = c->n = 0;
}

static uint64_t kv_hash(int store, const uint8_t *key, size_t klen)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)store;

	for (size_t i = 0; i < klen; i++) {
		h ^= key[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static struct app_kv *slot_find(const struct app_cache *c, int store, const uint8_t *key,
				size_t klen, bool *hit)
{
	size_t i;

	*hit = false;
	if (!c->cap)
		return NULL;
	i = (size_t)kv_hash(store, key, klen) & (c->cap - 1);
	for (;;) {
		struct app_kv *s = &c->slots[i];

		if (!s->used)
			return s;
		if (s->store == store && s->klen == klen && memcmp(s->key, key, klen) == 0) {
			*hit = true;
			return s;
		}
		i = (i + 1) & (c->cap - 1);
	}
}

static bool cache_grow(struct app_cache *c)
{
	size_t cap = c->cap ? 2 * c->cap : CACHE_MIN_CAP;
	struct app_kv *old = c->slots, *slots = calloc(cap, sizeof(*slots));
	size_t old_cap = c->cap;

	if (!slots)
		return false;
	c->slots = slots;
	c->cap = cap;
	for (size_t i = 0; i < old_cap; i++) {
		bool hit;
		struct app_kv *s;

		if (!old[i].used)
			continue;
		s = slot_find(c, old[i].store, old[i].key, old[i].klen, &hit);
		*s = old[i];
	}
	free(old);
	return true;
}

bool app_cache_get(struct px_err *err, struct app_cache *c, int store, const uint8_t *key,
		   size_t klen, struct px_slice *value, bool *found)
{
	const struct app_cache *x;

	*found = false;
	value->ptr = NULL;
	value->len = 0;
	for (x = c; x; x = x->parent) {
		bool hit;
		struct app_kv *s = slot_find(x, store, key, klen, &hit);

		if (hit) {
			*found = s->val != NULL;
			if (s->val) {
				value->ptr = s->val;
				value->len = s->vlen;
			}
			return true;
		}
		if (!x->parent)
			break;
	}
	return devnet_iavl_get(err, value, found, c->app->stores[store], x ? x->version : c->version,
			       key, klen);
}

bool app_cache_put(struct px_err *err, struct app_cache *c, int store, const uint8_t *key,
		   size_t klen, const uint8_t *val, size_t vlen)
{
	struct app_kv *s;
	uint8_t *v = NULL;
	bool hit;

	if ((c->n + 1) * 2 > c->cap && !cache_grow(c))
		return px_err_set(err, PX_E_NOMEM, "app cache: out of memory");
	if (vlen) {
		v = malloc(vlen);
		if (!v)
			return px_err_set(err, PX_E_NOMEM, "app cache: out of memory");
		memcpy(v, val, vlen);
	}
	s = slot_find(c, store, key, klen, &hit);
	if (!hit) {
		s->key = malloc(klen);
		if (!s->key) {
			free(v);
			return px_err_set(err, PX_E_NOMEM, "app cache: out of memory");
		}
		memcpy(s->key, key, klen);
		s->klen = klen;
		s->store = (uint8_t)store;
		s->used = true;
		c->n++;
	}
	free(s->val);
	s->val = v;
	s->vlen = vlen;
	return true;
}

bool app_cache_merge(struct px_err *err, struct app_cache *c)
{
	for (size_t i = 0; i < c->cap; i++) {
		const struct app_kv *s = &c->slots[i];

		if (s->used && !app_cache_put(err, c->parent, s->store, s->key, s->klen, s->val, s->vlen))
			return false;
	}
	return true;
}

static int kv_cmp(const void *pa, const void *pb)
{
	const struct app_kv *a = *(const struct app_kv *const *)pa, *b = *(const struct app_kv *const *)pb;
	size_t n = a->klen < b->klen ? a->klen : b->klen;
	int r;

	if (a->store != b->store)
		return a->store < b->store ? -1 : 1;
	r = memcmp(a->key, b->key, n);
	if (r)
		return r;
	return a->klen < b->klen ? -1 : a->klen > b->klen;
}

bool app_cache_flush(struct px_err *err, struct app_cache *c)
{
	const struct app_kv **order;
	size_t n = 0;
	bool ok = true;

	if (!c->n)
		return true;
	order = calloc(c->n, sizeof(*order));
	if (!order)
		return px_err_set(err, PX_E_NOMEM, "app cache: out of memory");
	for (size_t i = 0; i < c->cap; i++) {
		if (c->slots[i].used)
			order[n++] = &c->slots[i];
	}
	/* Sorted, as the SDK's cache store writes: the tree's shape depends
	 * on the order of writes, and the hash table's order is not a
	 * property of the block. */
	qsort(order, n, sizeof(*order), kv_cmp);
	for (size_t i = 0; ok && i < n; i++) {
		const struct app_kv *s = order[i];
		struct devnet_iavl *t = c->app->stores[s->store];

		ok = s->val ? devnet_iavl_set(err, t, s->key, s->klen, s->val, s->vlen) :
			      devnet_iavl_delete(err, t, NULL, s->key, s->klen);
	}
	free(order);
	return ok;
}

/* ---- accounts ---- */

static void put_any(struct px_buf *b, uint32_t field, const char *url, const struct px_buf *value)
{
	struct px_buf any = PX_BUF_INIT;

	px_pb_put_bytes(&any, 1, (const uint8_t *)url, strlen(url));
	if (value->len)
		px_pb_put_bytes(&any, 2, value->data, value->len);
	px_pb_put_bytes(b, field, any.data, any.len);
	if (!px_buf_ok(&any) || !px_buf_ok(value))
		b->failed = true;
	px_buf_free(&any);
}

void app_account_encode(struct px_buf *out, const struct devnet_app *a,
			const struct devnet_account *acc)
{
	struct px_buf base = PX_BUF_INIT, pk = PX_BUF_INIT;
	char addr[DEVNET_ADDR_STR_MAX];

	app_address_string(a, addr, acc->address);
	px_pb_put_bytes(&base, 1, (const uint8_t *)addr, strlen(addr));
	if (acc->has_pub_key) {
		px_pb_put_bytes(&pk, 1, acc->pub_key, COSMOS_PUBKEY_LEN);
		put_any(&base, 2, COSMOS_SECP256K1_PUBKEY_URL, &pk);
	}
	if (acc->number)
		px_pb_put_uint64(&base, 3, acc->number);
	if (acc->sequence)
		px_pb_put_uint64(&base, 4, acc->sequence);
	/* An Any, as the SDK's codec.MarshalInterface stores accounts. */
	px_pb_put_bytes(out, 1, (const uint8_t *)DEVNET_BASE_ACCOUNT_URL,
			strlen(DEVNET_BASE_ACCOUNT_URL));
	px_pb_put_bytes(out, 2, base.data, base.len);
	if (!px_buf_ok(&base) || !px_buf_ok(&pk))
		out->failed = true;
	px_buf_free(&base);
	px_buf_free(&pk);
}

static void pubkey_read(struct px_cursor *c, struct devnet_account *acc)
{
	struct px_slice url = { 0 }, val = { 0 }, key = { 0 };
	struct px_cursor pc;

	while (px_cursor_more(c)) {
		uint32_t f, w;

		px_pb_read_tag(c, &f, &w);
		if (f == 1)
			px_pb_read_bytes(c, w, &url, 256);
		else if (f == 2)
			px_pb_read_bytes(c, w, &val, 256);
		else
			px_pb_skip(c, w);
	}
	pc = px_cursor_init(val.ptr, val.len);
	while (px_cursor_more(&pc)) {
		uint32_t f, w;

		px_pb_read_tag(&pc, &f, &w);
		if (f == 1)
			px_pb_read_bytes(&pc, w, &key, COSMOS_PUBKEY_LEN);
		else
			px_pb_skip(&pc, w);
	}
	if (!px_cursor_ok(&pc) || key.len != COSMOS_PUBKEY_LEN ||
	    !px_slice_eq(url, cosmos_str(COSMOS_SECP256K1_PUBKEY_URL))) {
		px_cursor_fail(c, "account public key");
		return;
	}
	memcpy(acc->pub_key, key.ptr, COSMOS_PUBKEY_LEN);
	acc->has_pub_key = true;
}

static bool account_decode(struct px_err *err, struct devnet_account *acc, struct px_slice v)
{
	struct px_cursor c = px_cursor_init(v.ptr, v.len), base;
	struct px_slice url = { 0 };
	bool have_base = false;

	while (px_cursor_more(&c)) {
		uint32_t f, w;

		px_pb_read_tag(&c, &f, &w);
		if (f == 1) {
			px_pb_read_bytes(&c, w, &url, 256);
		} else if (f == 2) {
			px_pb_read_message(&c, w, &base, v.len);
			have_base = true;
			while (px_cursor_more(&base)) {
				struct px_cursor pk;

				px_pb_read_tag(&base, &f, &w);
				switch (f) {
				case 2:
					px_pb_read_message(&base, w, &pk, 512);
					pubkey_read(&pk, acc);
					break;
				case 3: acc->number = px_pb_read_uint64(&base, w); break;
				case 4: acc->sequence = px_pb_read_uint64(&base, w); break;
				default: px_pb_skip(&base, w); break;
				}
			}
		} else {
			px_pb_skip(&c, w);
		}
	}
	if (!px_cursor_ok(&c) || !have_base || !px_slice_eq(url, cosmos_str(DEVNET_BASE_ACCOUNT_URL)))
		return px_err_set(err, PX_E_MALFORMED, "stored account: %s",
				  px_cursor_ok(&c) ? "not a BaseAccount" : px_cursor_error(&c));
	return true;
}

static void account_key(uint8_t key[1 + COSMOS_ADDR_LEN], const uint8_t addr[COSMOS_ADDR_LEN])
{
	key[0] = APP_ACC_PREFIX;
	memcpy(key + 1, addr, COSMOS_ADDR_LEN);
}

bool app_account_get(struct px_err *err, struct app_cache *c, const uint8_t addr[COSMOS_ADDR_LEN],
		     struct devnet_account *out, bool *found)
{
	uint8_t key[1 + COSMOS_ADDR_LEN];
	struct px_slice v;

	memset(out, 0, sizeof(*out));
	account_key(key, addr);
	if (!app_cache_get(err, c, APP_ST_ACC, key, sizeof(key), &v, found))
		return false;
	memcpy(out->address, addr, COSMOS_ADDR_LEN);
	return !*found || account_decode(err, out, v);
}

bool app_account_set(struct px_err *err, struct app_cache *c, const struct devnet_account *acc)
{
	uint8_t key[1 + COSMOS_ADDR_LEN];
	struct px_buf v = PX_BUF_INIT;
	bool ok;

	account_key(key, acc->address);
	app_account_encode(&v, c->app, acc);
	ok = px_buf_ok(&v) ? app_cache_put(err, c, APP_ST_ACC, key, sizeof(key), v.data, v.len) :
			     px_err_set(err, PX_E_NOMEM, "account: out of memory");
	px_buf_free(&v);
	return ok;
}

bool app_account_create(struct px_err *err, struct app_cache *c, const uint8_t addr[COSMOS_ADDR_LEN],
			struct devnet_account *out)
{
	const uint8_t nkey[1] = { APP_ACC_NUMBER_KEY };
	uint8_t be[8];
	uint64_t next = 0;
	struct px_slice v;
	bool found;

	memset(out, 0, sizeof(*out));
	if (!app_cache_get(err, c, APP_ST_ACC, nkey, 1, &v, &found))
		return false;
	if (found) {
		if (v.len != 8)
			return px_err_set(err, PX_E_MALFORMED, "stored account number");
		for (int i = 0; i < 8; i++)
			next = next << 8 | v.ptr[i];
	}
	memcpy(out->address, addr, COSMOS_ADDR_LEN);
	out->number = next;
	next++;
	for (int i = 7; i >= 0; i--, next >>= 8)
		be[i] = (uint8_t)next;
	return app_cache_put(err, c, APP_ST_ACC, nkey, 1, be, 8) && app_account_set(err, c, out);
}

/* ---- balances ---- */

size_t app_balance_key(uint8_t *key, const uint8_t addr[COSMOS_ADDR_LEN], struct px_slice denom)
{
	key[0] = APP_BALANCE_PREFIX;
	key[1] = COSMOS_ADDR_LEN;
	memcpy(key + 2, addr, COSMOS_ADDR_LEN);
	memcpy(key + 2 + COSMOS_ADDR_LEN, denom.ptr, denom.len);
	return 2 + COSMOS_ADDR_LEN + denom.len;
}

bool app_balance_get(struct px_err *err, struct app_cache *c, const uint8_t addr[COSMOS_ADDR_LEN],
		     struct px_slice denom, devnet_u128 *out)
{
	uint8_t key[2 + COSMOS_ADDR_LEN + DEVNET_DENOM_MAX];
	struct px_slice v;
	bool found;

	*out = 0;
	if (denom.len == 0 || denom.len > DEVNET_DENOM_MAX)
		return true;	/* no such balance can exist */
	if (!app_cache_get(err, c, APP_ST_BANK, key, app_balance_key(key, addr, denom), &v, &found))
		return false;
	if (found && !devnet_u128_parse(out, (const char *)v.ptr, v.len))
		return px_err_set(err, PX_E_MALFORMED, "stored balance");
	return true;
}

bool app_balance_set(struct px_err *err, struct app_cache *c, const uint8_t addr[COSMOS_ADDR_LEN],
		     struct px_slice denom, devnet_u128 amount)
{
	uint8_t key[2 + COSMOS_ADDR_LEN + DEVNET_DENOM_MAX];
	char text[48];
	size_t klen;

	if (denom.len == 0 || denom.len > DEVNET_DENOM_MAX)
		return px_err_set(err, PX_E_USAGE, "balance: bad denom");
	klen = app_balance_key(key, addr, denom);
	/* A zero balance is removed, as x/bank does. */
	if (!amount)
		return app_cache_put(err, c, APP_ST_BANK, key, klen, NULL, 0);
	devnet_u128_format(text, amount);
	return app_cache_put(err, c, APP_ST_BANK, key, klen, (const uint8_t *)text, strlen(text));
}

/* ---- reads at committed versions ---- */

bool devnet_app_balance(struct px_err *err, devnet_u128 *out, struct devnet_app *a,
			int64_t version, const uint8_t addr[COSMOS_ADDR_LEN], const char *denom)
{
	struct app_cache c;
	bool ok;

	app_cache_init(&c, a, NULL, version);
	ok = app_balance_get(err, &c, addr, cosmos_str(denom), out);
	app_cache_free(&c);
	return ok;
}

bool devnet_app_account(struct px_err *err, struct devnet_account *out, bool *found,
			struct devnet_app *a, int64_t version, const uint8_t addr[COSMOS_ADDR_LEN])
{
	struct app_cache c;
	bool ok;

	app_cache_init(&c, a, NULL, version);
	ok = app_account_get(err, &c, addr, out, found);
	app_cache_free(&c);
	return ok;
}
