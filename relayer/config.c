/* config.yaml: libyaml builds the node tree, this file walks it against
 * the schema (see docs/config.md) and fills a struct rly_config. Every
 * error names the file, the line and column of the offending node, and the
 * key path ("chains[1].trust_level"); the first error wins. */
#include "relayer/config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <yaml.h>

#include "common/encoding.h"
#include "common/number.h"
#include "ibc/core/paths.h"
#include "relayer/keys.h"

#define KEYPATH_MAX 96
#define STRING_MAX 512

struct walk {
	struct px_err *err;
	const char *file;
	yaml_document_t *doc;
	struct rly_config *cfg;
};

static bool fail_at(struct walk *w, const yaml_node_t *node, const char *keypath, const char *fmt,
		    ...) PX_PRINTF(4, 5);

static bool fail_at(struct walk *w, const yaml_node_t *node, const char *keypath, const char *fmt,
		    ...)
{
	char msg[PX_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return px_err_set(w->err, PX_E_CONFIG, "%s:%zu:%zu: %s: %s", w->file,
			  node->start_mark.line + 1, node->start_mark.column + 1,
			  keypath[0] ? keypath : "(top)", msg);
}

static yaml_node_t *node_at(struct walk *w, int id)
{
	return yaml_document_get_node(w->doc, id);
}

static const char *kind_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_MAPPING_NODE: return "a mapping";
	case YAML_SEQUENCE_NODE: return "a list";
	default: return "a scalar";
	}
}

static bool explicit_tag(const yaml_node_t *n)
{
	const char *tag = (const char *)n->tag;
	const char *def = n->type == YAML_SCALAR_NODE ? YAML_DEFAULT_SCALAR_TAG
			  : n->type == YAML_SEQUENCE_NODE ? YAML_DEFAULT_SEQUENCE_TAG
							  : YAML_DEFAULT_MAPPING_TAG;

	return tag && strcmp(tag, def) != 0;
}

static bool want_kind(struct walk *w, const yaml_node_t *n, const char *kp, yaml_node_type_t t)
{
	const char *want = t == YAML_MAPPING_NODE ? "a mapping" : t == YAML_SEQUENCE_NODE ? "a list"
											    : "a scalar";

	if (explicit_tag(n))
		return fail_at(w, n, kp, "explicit YAML tags (%s) are not supported", n->tag);
	if (n->type != t)
		return fail_at(w, n, kp, "must be %s, not %s", want, kind_name(n));
	return true;
}

/* Key paths longer than KEYPATH_MAX (a long unknown key) are cut short:
 * the line and column still point at the spot. */
static void kp_printf(char out[KEYPATH_MAX], const char *fmt, ...) PX_PRINTF(2, 3);

static void kp_printf(char out[KEYPATH_MAX], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, KEYPATH_MAX, fmt, ap);
	va_end(ap);
}

static void sub_key(char out[KEYPATH_MAX], const char *parent, const char *key)
{
	if (parent[0])
		kp_printf(out, "%s.%s", parent, key);
	else
		kp_printf(out, "%s", key);
}

/* Matches the keys of a mapping against names[]; vals[i] gets the value
 * node of names[i] or NULL. Unknown and repeated keys are refused. */
static bool map_fields(struct walk *w, const yaml_node_t *map, const char *kp,
		       const char *const *names, size_t n, yaml_node_t **vals)
{
	yaml_node_pair_t *p;
	size_t i;

	memset(vals, 0, n * sizeof(*vals));
	if (!want_kind(w, map, kp, YAML_MAPPING_NODE))
		return false;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(w, p->key), *v = node_at(w, p->value);
		char sub[KEYPATH_MAX];
		const char *ks;

		if (k->type != YAML_SCALAR_NODE || explicit_tag(k))
			return fail_at(w, k, kp, "keys must be plain names");
		ks = (const char *)k->data.scalar.value;
		sub_key(sub, kp, ks);
		for (i = 0; i < n && strcmp(names[i], ks) != 0; i++)
			;
		if (i == n)
			return fail_at(w, k, sub, "unknown key");
		if (vals[i])
			return fail_at(w, k, sub, "duplicate key");
		vals[i] = v;
	}
	return true;
}

static bool need(struct walk *w, const yaml_node_t *map, const char *kp, const char *key,
		 const yaml_node_t *val)
{
	char sub[KEYPATH_MAX];

	if (val)
		return true;
	sub_key(sub, kp, key);
	return fail_at(w, map, sub, "missing (required)");
}

/* A scalar as a string copied into the arena. Plain null and booleans are
 * refused: they are YAML's other types, not strings. */
static bool get_string(struct walk *w, const yaml_node_t *n, const char *kp, const char **out)
{
	const char *s;
	char *copy;
	size_t len;

	if (!want_kind(w, n, kp, YAML_SCALAR_NODE))
		return false;
	s = (const char *)n->data.scalar.value;
	len = n->data.scalar.length;
	if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (len == 0 || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "true") == 0 ||
	     strcmp(s, "false") == 0))
		return fail_at(w, n, kp, "must be a string");
	if (len == 0)
		return fail_at(w, n, kp, "must not be empty");
	if (len > STRING_MAX || strlen(s) != len)
		return fail_at(w, n, kp, "longer than %d characters or holds a NUL", STRING_MAX);
	copy = px_arena_alloc(&w->cfg->arena, len + 1);
	if (!copy)
		return px_err_set(w->err, PX_E_NOMEM, "config: out of memory");
	memcpy(copy, s, len + 1);
	*out = copy;
	return true;
}

static bool get_u64(struct walk *w, const yaml_node_t *n, const char *kp, uint64_t *out,
		    uint64_t min, uint64_t max)
{
	struct px_err e = { 0 };
	uint64_t v;

	if (!want_kind(w, n, kp, YAML_SCALAR_NODE))
		return false;
	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return fail_at(w, n, kp, "must be an integer, not a quoted string");
	if (!px_parse_u64(&e, &v, (const char *)n->data.scalar.value, n->data.scalar.length))
		return fail_at(w, n, kp, "%s is not a whole number (%s)",
			       (const char *)n->data.scalar.value, e.msg);
	if (v < min || v > max)
		return fail_at(w, n, kp, "%s is outside %llu..%llu", (const char *)n->data.scalar.value,
			       (unsigned long long)min, (unsigned long long)max);
	*out = v;
	return true;
}

static bool get_duration(struct walk *w, const yaml_node_t *n, const char *kp, uint64_t *out_ns)
{
	struct px_err e = { 0 };
	const char *s;

	if (!get_string(w, n, kp, &s))
		return false;
	if (!px_parse_duration(&e, out_ns, s, strlen(s)))
		return fail_at(w, n, kp, "%s is not a duration like 336h, 10s or 1h30m", s);
	return true;
}

/* The config's rule on top of the checks inside each value parser. */
#define CHECK(cond, ...) \
	do { \
		if (!(cond)) \
			return fail_at(w, n, kp, __VA_ARGS__); \
	} while (0)

static bool get_trust_level(struct walk *w, const yaml_node_t *n, const char *kp, uint64_t *num,
			    uint64_t *den)
{
	struct px_err e = { 0 };
	const char *s;

	if (!get_string(w, n, kp, &s))
		return false;
	CHECK(px_parse_fraction(&e, num, den, s, strlen(s)), "%s is not a fraction like 1/3", s);
	CHECK(*num <= *den, "%s is above 1", s);
	/* num <= den, so num * 3 overflows only when it is surely >= den. */
	CHECK(*num > UINT64_MAX / 3 || *num * 3 >= *den, "%s is below 1/3", s);
	return true;
}

/* `off`, or a fraction of the trusting period strictly between 0 and 1:
 * at 1 the client would already have expired. */
static bool get_refresh(struct walk *w, const yaml_node_t *n, const char *kp, uint64_t *num,
			uint64_t *den)
{
	struct px_err e = { 0 };
	const char *s;

	if (!get_string(w, n, kp, &s))
		return false;
	if (strcmp(s, "off") == 0) {
		*num = 0;
		*den = 1;
		return true;
	}
	CHECK(px_parse_fraction(&e, num, den, s, strlen(s)), "%s is not a fraction like 1/3 or off",
	      s);
	CHECK(*num > 0 && *num < *den, "%s must be above 0 and below 1 (or off)", s);
	return true;
}

static bool get_decimal_in(struct walk *w, const yaml_node_t *n, const char *kp,
			   struct rly_decimal *out, uint64_t lo, uint64_t hi)
{
	struct px_err e = { 0 };
	const char *s;
	uint64_t scale = 1;
	uint32_t i;

	if (!want_kind(w, n, kp, YAML_SCALAR_NODE))
		return false;
	s = (const char *)n->data.scalar.value;
	CHECK(n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE, "must be a number, not a quoted string");
	CHECK(rly_decimal_parse(&e, out, s), "%s", e.msg);
	for (i = 0; i < out->decimals; i++)
		scale *= 10;
	/* lo, hi <= 10 and decimals <= 18, so hi * scale fits in uint64_t. */
	CHECK(out->units >= lo * scale && out->units <= hi * scale,
	      "%s is outside %llu..%llu", s, (unsigned long long)lo, (unsigned long long)hi);
	return true;
}

static bool want_seq(struct walk *w, const yaml_node_t *n, const char *kp, size_t max)
{
	size_t count;

	if (!want_kind(w, n, kp, YAML_SEQUENCE_NODE))
		return false;
	count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (count > max)
		return fail_at(w, n, kp, "more than %zu entries", max);
	return true;
}

static size_t seq_len(const yaml_node_t *n)
{
	return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

static void *arena_array(struct walk *w, size_t n, size_t size)
{
	void *p = px_arena_calloc(&w->cfg->arena, n ? n : 1, size);

	if (!p)
		px_err_set(w->err, PX_E_NOMEM, "config: out of memory");
	return p;
}

/* ---- chains ---------------------------------------------------------- */

enum {
	C_ID, C_RPC, C_WITNESSES, C_PREFIX, C_GAS_PRICE, C_GAS_LIMIT, C_GAS_ADJ, C_KEY,
	C_TRUSTING, C_TRUST_LEVEL, C_DRIFT, C_THEIGHT, C_THASH, C_REFRESH, C_COUNT
};

static const char *const chain_keys[C_COUNT] = {
	"id", "rpc", "witnesses", "account_prefix", "gas_price", "gas_limit", "gas_adjustment",
	"key", "trusting_period", "trust_level", "clock_drift", "trusted_height", "trusted_hash",
	"refresh",
};

static bool prefix_ok(const char *s)
{
	size_t i, len = strlen(s);

	if (len == 0 || len > 83 || s[0] < 'a' || s[0] > 'z')
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

static bool chain_witnesses(struct walk *w, struct rly_config_chain *c, const yaml_node_t *n,
			    const char *kp)
{
	size_t i, j, count;

	if (!want_seq(w, n, kp, RLY_CONFIG_WITNESSES_MAX))
		return false;
	count = seq_len(n);
	c->witnesses = arena_array(w, count, sizeof(*c->witnesses));
	if (!c->witnesses)
		return false;
	for (i = 0; i < count; i++) {
		const yaml_node_t *item = node_at(w, n->data.sequence.items.start[i]);
		struct px_err e = { 0 };
		char sub[KEYPATH_MAX];

		kp_printf(sub, "%s[%zu]", kp, i);
		if (!get_string(w, item, sub, &c->witnesses[i]))
			return false;
		if (!rly_url_check(&e, c->witnesses[i],
				   RLY_URL_WS | RLY_URL_WSS | RLY_URL_HTTP | RLY_URL_HTTPS))
			return fail_at(w, item, sub, "%s", e.msg);
		if (strcmp(c->witnesses[i], c->rpc) == 0)
			return fail_at(w, item, sub, "is the primary rpc; a witness must be another node");
		for (j = 0; j < i; j++)
			if (strcmp(c->witnesses[i], c->witnesses[j]) == 0)
				return fail_at(w, item, sub, "repeats witnesses[%zu]", j);
	}
	c->n_witnesses = count;
	return true;
}

static bool parse_chain(struct walk *w, struct rly_config_chain *c, const yaml_node_t *n,
			const char *kp)
{
	yaml_node_t *v[C_COUNT];
	char sub[C_COUNT][KEYPATH_MAX];
	struct px_err e = { 0 };
	size_t denom_off = 0, i;

	if (!map_fields(w, n, kp, chain_keys, C_COUNT, v))
		return false;
	for (i = 0; i < C_COUNT; i++)
		sub_key(sub[i], kp, chain_keys[i]);
	c->line = (int)n->start_mark.line + 1;
	c->gas_limit = 400000;
	c->gas_adjustment = (struct rly_decimal){ 13, 1 };
	c->trusting_period_ns = 336ull * 3600 * 1000000000ull;
	c->trust_num = 1;
	c->trust_den = 3;
	c->clock_drift_ns = 10ull * 1000000000ull;
	c->refresh_num = 1;
	c->refresh_den = 3;
	if (!need(w, n, kp, "id", v[C_ID]) || !get_string(w, v[C_ID], sub[C_ID], &c->id))
		return false;
	if (!rly_name_check(&e, "a chain id", c->id))
		return fail_at(w, v[C_ID], sub[C_ID], "%s", e.msg);
	if (!need(w, n, kp, "rpc", v[C_RPC]) || !get_string(w, v[C_RPC], sub[C_RPC], &c->rpc))
		return false;
	if (!rly_url_check(&e, c->rpc, RLY_URL_WS | RLY_URL_WSS))
		return fail_at(w, v[C_RPC], sub[C_RPC], "%s", e.msg);
	if (v[C_WITNESSES] && !chain_witnesses(w, c, v[C_WITNESSES], sub[C_WITNESSES]))
		return false;
	if (!need(w, n, kp, "account_prefix", v[C_PREFIX]) ||
	    !get_string(w, v[C_PREFIX], sub[C_PREFIX], &c->account_prefix))
		return false;
	if (!prefix_ok(c->account_prefix))
		return fail_at(w, v[C_PREFIX], sub[C_PREFIX],
			       "must be 1 to 83 lower-case letters and digits, starting with a letter");
	if (!need(w, n, kp, "gas_price", v[C_GAS_PRICE]) ||
	    !get_string(w, v[C_GAS_PRICE], sub[C_GAS_PRICE], &c->gas_price))
		return false;
	if (!rly_gas_price_parse(&e, &c->gas_price_amount, &denom_off, c->gas_price))
		return fail_at(w, v[C_GAS_PRICE], sub[C_GAS_PRICE], "%s", e.msg);
	c->gas_denom = c->gas_price + denom_off;
	if (v[C_GAS_LIMIT] &&
	    !get_u64(w, v[C_GAS_LIMIT], sub[C_GAS_LIMIT], &c->gas_limit, 1, 10000000000ull))
		return false;
	if (v[C_GAS_ADJ] && !get_decimal_in(w, v[C_GAS_ADJ], sub[C_GAS_ADJ], &c->gas_adjustment, 1, 10))
		return false;
	if (!need(w, n, kp, "key", v[C_KEY]) || !get_string(w, v[C_KEY], sub[C_KEY], &c->key))
		return false;
	if (!rly_name_check(&e, "a key name", c->key))
		return fail_at(w, v[C_KEY], sub[C_KEY], "%s", e.msg);
	if (v[C_TRUSTING] && !get_duration(w, v[C_TRUSTING], sub[C_TRUSTING], &c->trusting_period_ns))
		return false;
	if (c->trusting_period_ns == 0)
		return fail_at(w, v[C_TRUSTING], sub[C_TRUSTING], "must be longer than 0");
	if (v[C_TRUST_LEVEL] &&
	    !get_trust_level(w, v[C_TRUST_LEVEL], sub[C_TRUST_LEVEL], &c->trust_num, &c->trust_den))
		return false;
	if (v[C_DRIFT] && !get_duration(w, v[C_DRIFT], sub[C_DRIFT], &c->clock_drift_ns))
		return false;
	if (c->clock_drift_ns >= c->trusting_period_ns)
		return fail_at(w, v[C_DRIFT] ? v[C_DRIFT] : n, sub[C_DRIFT],
			       "must be shorter than trusting_period");
	if (v[C_REFRESH] &&
	    !get_refresh(w, v[C_REFRESH], sub[C_REFRESH], &c->refresh_num, &c->refresh_den))
		return false;
	if (!v[C_THEIGHT] != !v[C_THASH])
		return fail_at(w, v[C_THEIGHT] ? v[C_THEIGHT] : v[C_THASH],
			       sub[v[C_THEIGHT] ? C_THEIGHT : C_THASH],
			       "trusted_height and trusted_hash go together");
	if (v[C_THEIGHT]) {
		const char *hash;

		if (!get_u64(w, v[C_THEIGHT], sub[C_THEIGHT], &c->trusted_height, 1, INT64_MAX) ||
		    !get_string(w, v[C_THASH], sub[C_THASH], &hash))
			return false;
		if (!px_hex_decode_fixed(NULL, c->trusted_hash, sizeof(c->trusted_hash), hash,
					 strlen(hash)))
			return fail_at(w, v[C_THASH], sub[C_THASH], "must be 64 hex digits (a block hash)");
		c->has_trusted = true;
	}
	return true;
}

static bool parse_chains(struct walk *w, const yaml_node_t *n, const char *kp)
{
	struct rly_config *cfg = w->cfg;
	size_t i, j, count;

	if (!want_seq(w, n, kp, RLY_CONFIG_CHAINS_MAX))
		return false;
	count = seq_len(n);
	if (count == 0)
		return fail_at(w, n, kp, "needs at least one chain");
	cfg->chains = arena_array(w, count, sizeof(*cfg->chains));
	if (!cfg->chains)
		return false;
	for (i = 0; i < count; i++) {
		const yaml_node_t *item = node_at(w, n->data.sequence.items.start[i]);
		char sub[KEYPATH_MAX];

		kp_printf(sub, "%s[%zu]", kp, i);
		if (!parse_chain(w, &cfg->chains[i], item, sub))
			return false;
		for (j = 0; j < i; j++)
			if (strcmp(cfg->chains[i].id, cfg->chains[j].id) == 0) {
				kp_printf(sub, "%s[%zu].id", kp, i);
				return fail_at(w, item, sub, "%s is also chains[%zu]", cfg->chains[i].id, j);
			}
		cfg->n_chains = i + 1;
	}
	return true;
}

/* ---- paths ----------------------------------------------------------- */

static const char *const end_keys[] = { "chain", "client", "connection", "channel" };

static bool is_create(const char *s)
{
	return strcmp(s, "create") == 0;
}

static bool parse_end(struct walk *w, struct rly_config_end *e, const yaml_node_t *n,
		      const char *kp)
{
	yaml_node_t *v[4];
	char sub[4][KEYPATH_MAX];
	struct px_err er = { 0 };
	const char **fields[4] = { &e->chain, &e->client, &e->connection, &e->channel };
	uint64_t seq;
	size_t i;

	if (!map_fields(w, n, kp, end_keys, 4, v))
		return false;
	for (i = 0; i < 4; i++) {
		sub_key(sub[i], kp, end_keys[i]);
		if (!need(w, n, kp, end_keys[i], v[i]) || !get_string(w, v[i], sub[i], fields[i]))
			return false;
	}
	if (!rly_config_chain_find(w->cfg, e->chain))
		return fail_at(w, v[0], sub[0], "%s is not one of the chains", e->chain);
	if (!is_create(e->client) &&
	    !ibc_client_id_parse(&er, NULL, &seq, e->client, strlen(e->client)))
		return fail_at(w, v[1], sub[1], "%s is not a client id like 07-tendermint-0 or \"create\"",
			       e->client);
	if (!is_create(e->connection) &&
	    !ibc_connection_id_parse(&er, &seq, e->connection, strlen(e->connection)))
		return fail_at(w, v[2], sub[2], "%s is not a connection id like connection-0 or \"create\"",
			       e->connection);
	if (!is_create(e->channel) && !ibc_channel_id_parse(&er, &seq, e->channel, strlen(e->channel)))
		return fail_at(w, v[3], sub[3], "%s is not a channel id like channel-0 or \"create\"",
			       e->channel);
	if (is_create(e->client) && !is_create(e->connection))
		return fail_at(w, v[2], sub[2], "must be \"create\" when client is \"create\"");
	if (is_create(e->connection) && !is_create(e->channel))
		return fail_at(w, v[3], sub[3], "must be \"create\" when connection is \"create\"");
	return true;
}

static const char *const path_keys[] = { "name", "a", "b", "port" };

static bool parse_path(struct walk *w, struct rly_config_path *p, const yaml_node_t *n,
		       const char *kp)
{
	yaml_node_t *v[4];
	char sub[4][KEYPATH_MAX];
	struct px_err e = { 0 };
	size_t i;

	if (!map_fields(w, n, kp, path_keys, 4, v))
		return false;
	for (i = 0; i < 4; i++)
		sub_key(sub[i], kp, path_keys[i]);
	p->line = (int)n->start_mark.line + 1;
	p->port = "transfer";
	if (!need(w, n, kp, "name", v[0]) || !get_string(w, v[0], sub[0], &p->name))
		return false;
	if (!rly_name_check(&e, "a path name", p->name))
		return fail_at(w, v[0], sub[0], "%s", e.msg);
	if (!need(w, n, kp, "a", v[1]) || !parse_end(w, &p->a, v[1], sub[1]) ||
	    !need(w, n, kp, "b", v[2]) || !parse_end(w, &p->b, v[2], sub[2]))
		return false;
	if (strcmp(p->a.chain, p->b.chain) == 0)
		return fail_at(w, v[2], sub[2], "b.chain must differ from a.chain");
	if (is_create(p->a.connection) != is_create(p->b.connection))
		return fail_at(w, v[2], sub[2],
			       "connection must be \"create\" on both ends or on neither");
	if (is_create(p->a.channel) != is_create(p->b.channel))
		return fail_at(w, v[2], sub[2], "channel must be \"create\" on both ends or on neither");
	if (v[3]) {
		if (!get_string(w, v[3], sub[3], &p->port))
			return false;
		if (!ibc_id_check(&e, IBC_ID_PORT, p->port))
			return fail_at(w, v[3], sub[3], "%s is not a valid port id", p->port);
	}
	return true;
}

static bool parse_paths(struct walk *w, const yaml_node_t *n, const char *kp)
{
	struct rly_config *cfg = w->cfg;
	size_t i, j, count;

	if (!want_seq(w, n, kp, RLY_CONFIG_PATHS_MAX))
		return false;
	count = seq_len(n);
	cfg->paths = arena_array(w, count, sizeof(*cfg->paths));
	if (!cfg->paths)
		return false;
	for (i = 0; i < count; i++) {
		const yaml_node_t *item = node_at(w, n->data.sequence.items.start[i]);
		char sub[KEYPATH_MAX];

		kp_printf(sub, "%s[%zu]", kp, i);
		if (!parse_path(w, &cfg->paths[i], item, sub))
			return false;
		for (j = 0; j < i; j++)
			if (strcmp(cfg->paths[i].name, cfg->paths[j].name) == 0) {
				kp_printf(sub, "%s[%zu].name", kp, i);
				return fail_at(w, item, sub, "%s is also paths[%zu]", cfg->paths[i].name, j);
			}
		cfg->n_paths = i + 1;
	}
	return true;
}

/* ---- packet filter ------------------------------------------------------ */

static bool parse_filter_entry(struct walk *w, struct rly_filter_entry *f, const yaml_node_t *n,
			       const char *kp)
{
	static const char *const keys[] = { "port", "channel" };
	yaml_node_t *v[2];
	char sub[2][KEYPATH_MAX];
	struct px_err e = { 0 };
	uint64_t seq;

	if (!map_fields(w, n, kp, keys, 2, v))
		return false;
	sub_key(sub[0], kp, "port");
	sub_key(sub[1], kp, "channel");
	if (!need(w, n, kp, "port", v[0]) || !get_string(w, v[0], sub[0], &f->port) ||
	    !need(w, n, kp, "channel", v[1]) || !get_string(w, v[1], sub[1], &f->channel))
		return false;
	if (strcmp(f->port, "*") != 0 && !ibc_id_check(&e, IBC_ID_PORT, f->port))
		return fail_at(w, v[0], sub[0], "%s is not a port id or \"*\"", f->port);
	if (strcmp(f->channel, "*") != 0 &&
	    !ibc_channel_id_parse(&e, &seq, f->channel, strlen(f->channel)))
		return fail_at(w, v[1], sub[1], "%s is not a channel id like channel-0 or \"*\"",
			       f->channel);
	return true;
}

static bool parse_filter(struct walk *w, const yaml_node_t *n, const char *kp)
{
	static const char *const keys[] = { "allow", "deny" };
	struct rly_config *cfg = w->cfg;
	yaml_node_t *v[2], *list;
	char sub[KEYPATH_MAX];
	size_t i, count;

	if (!map_fields(w, n, kp, keys, 2, v))
		return false;
	if (v[0] && v[1])
		return fail_at(w, v[1], kp, "give allow or deny, not both");
	if (!v[0] && !v[1])
		return fail_at(w, n, kp, "needs allow or deny");
	list = v[0] ? v[0] : v[1];
	sub_key(sub, kp, v[0] ? "allow" : "deny");
	if (!want_seq(w, list, sub, RLY_CONFIG_FILTER_MAX))
		return false;
	count = seq_len(list);
	cfg->filter = arena_array(w, count, sizeof(*cfg->filter));
	if (!cfg->filter)
		return false;
	for (i = 0; i < count; i++) {
		char item_kp[KEYPATH_MAX];

		kp_printf(item_kp, "%s[%zu]", sub, i);
		if (!parse_filter_entry(w, &cfg->filter[i], node_at(w, list->data.sequence.items.start[i]),
					item_kp))
			return false;
	}
	cfg->n_filter = count;
	cfg->filter_policy = v[0] ? RLY_FILTER_ALLOW : RLY_FILTER_DENY;
	return true;
}

/* ---- top level ------------------------------------------------------- */

static const char *const top_keys[] = {
	"chains", "paths", "packet_filter", "max_msgs", "clear_interval", "telemetry", "status",
};

static bool parse_listen(struct walk *w, const yaml_node_t *n, const char *kp, const char **out)
{
	struct px_err e = { 0 };

	if (!get_string(w, n, kp, out))
		return false;
	if (!rly_listen_check(&e, *out))
		return fail_at(w, n, kp, "%s (write host:port, or off)", e.msg);
	return true;
}

static bool parse_top(struct walk *w, const yaml_node_t *root)
{
	struct rly_config *cfg = w->cfg;
	yaml_node_t *v[7];

	if (!map_fields(w, root, "", top_keys, 7, v))
		return false;
	cfg->max_msgs = 30;
	cfg->clear_interval = 100;
	cfg->telemetry = "127.0.0.1:3001";
	cfg->status = "127.0.0.1:3002";
	if (!need(w, root, "", "chains", v[0]) || !parse_chains(w, v[0], "chains"))
		return false;
	if (v[1] && !parse_paths(w, v[1], "paths"))
		return false;
	if (v[2] && !parse_filter(w, v[2], "packet_filter"))
		return false;
	if (v[3] && !get_u64(w, v[3], "max_msgs", &cfg->max_msgs, 1, RLY_CONFIG_MAX_MSGS_MAX))
		return false;
	if (v[4] && !get_u64(w, v[4], "clear_interval", &cfg->clear_interval, 0, 1000000))
		return false;
	if (v[5] && !parse_listen(w, v[5], "telemetry", &cfg->telemetry))
		return false;
	if (v[6] && !parse_listen(w, v[6], "status", &cfg->status))
		return false;
	if (strcmp(cfg->telemetry, "off") != 0 && strcmp(cfg->telemetry, cfg->status) == 0)
		return fail_at(w, v[6] ? v[6] : root, "status", "must differ from telemetry");
	return true;
}

bool rly_config_parse(struct px_err *err, struct rly_config *out, const char *name,
		      const uint8_t *buf, size_t len)
{
	yaml_parser_t parser;
	yaml_document_t doc, extra;
	struct walk w = { err, name, &doc, out };
	yaml_node_t *root;
	bool have_doc = false, ok = false;

	memset(out, 0, sizeof(*out));
	px_arena_init(&out->arena, 0);
	if (len > RLY_CONFIG_FILE_MAX)
		return px_err_set(err, PX_E_CONFIG, "%s: larger than %u bytes", name,
				  RLY_CONFIG_FILE_MAX);
	if (!yaml_parser_initialize(&parser))
		return px_err_set(err, PX_E_NOMEM, "%s: cannot start the YAML parser", name);
	yaml_parser_set_input_string(&parser, buf, len);
	if (!yaml_parser_load(&parser, &doc)) {
		px_err_set(err, PX_E_CONFIG, "%s:%zu:%zu: YAML syntax: %s%s%s", name,
			   parser.problem_mark.line + 1, parser.problem_mark.column + 1,
			   parser.problem ? parser.problem : "error",
			   parser.context ? " " : "", parser.context ? parser.context : "");
		goto out;
	}
	have_doc = true;
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		px_err_set(err, PX_E_CONFIG, "%s: empty (see pontifex config init)", name);
		goto out;
	}
	if (!parse_top(&w, root))
		goto out;
	if (!yaml_parser_load(&parser, &extra)) {
		px_err_set(err, PX_E_CONFIG, "%s:%zu:%zu: YAML syntax: %s", name,
			   parser.problem_mark.line + 1, parser.problem_mark.column + 1,
			   parser.problem ? parser.problem : "error");
		goto out;
	}
	if (yaml_document_get_root_node(&extra)) {
		px_err_set(err, PX_E_CONFIG, "%s:%zu:%zu: a second YAML document (one is allowed)", name,
			   extra.start_mark.line + 1, extra.start_mark.column + 1);
		yaml_document_delete(&extra);
		goto out;
	}
	yaml_document_delete(&extra);
	ok = true;
out:
	if (have_doc)
		yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (!ok)
		rly_config_free(out);
	return ok;
}

bool rly_config_load(struct px_err *err, struct rly_config *out, const char *path)
{
	struct px_buf buf = PX_BUF_INIT;
	uint8_t chunk[8192];
	const char *base = strrchr(path, '/');
	FILE *f;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOENT)
			return px_err_set(err, PX_E_CONFIG, "%s: no such file (run pontifex config init)",
					  path);
		return px_err_set(err, PX_E_IO, "%s: %s", path, strerror(errno));
	}
	for (;;) {
		size_t n = fread(chunk, 1, sizeof(chunk), f);

		if (n == 0)
			break;
		if (buf.len + n > RLY_CONFIG_FILE_MAX) {
			px_err_set(err, PX_E_CONFIG, "%s: larger than %u bytes", path, RLY_CONFIG_FILE_MAX);
			goto out;
		}
		px_buf_append(&buf, chunk, n);
	}
	if (ferror(f) || !px_buf_ok(&buf)) {
		px_err_set(err, ferror(f) ? PX_E_IO : PX_E_NOMEM, "%s: read error", path);
		goto out;
	}
	ok = rly_config_parse(err, out, base ? base + 1 : path, buf.data ? buf.data : chunk, buf.len);
out:
	fclose(f);
	px_buf_free(&buf);
	return ok;
}

void rly_config_free(struct rly_config *cfg)
{
	if (!cfg)
		return;
	px_arena_free(&cfg->arena);
	memset(cfg, 0, sizeof(*cfg));
}
