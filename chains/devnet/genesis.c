/* genesis.json: reading, checking and writing (see genesis.h). */
#include "chains/devnet/genesis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chains/cosmos/bech32.h"
#include "chains/devnet/block.h"
#include "chains/devnet/json_tm.h"
#include "common/buf.h"
#include "common/json.h"
#include "lightclient/tendermint/crypto.h"

bool devnet_valset_from_keys(struct px_err *err, struct tm_validator_set *out,
			     const struct tm_pubkey *keys, size_t n, int64_t power)
{
	memset(out, 0, sizeof(*out));
	if (n == 0 || n > DEVNET_MAX_VALIDATORS)
		return px_err_set(err, PX_E_USAGE, "validator set: %zu validators (1..%u)", n,
				  DEVNET_MAX_VALIDATORS);
	out->validators = calloc(n, sizeof(*out->validators));
	if (!out->validators)
		return px_err_set(err, PX_E_NOMEM, "validator set: out of memory");
	for (size_t i = 0; i < n; i++) {
		out->validators[i].pub_key = keys[i];
		tm_pubkey_address(out->validators[i].address, &keys[i]);
		out->validators[i].voting_power = power;
	}
	out->len = n;
	if (!tm_validator_set_normalize(err, out)) {
		tm_validator_set_free(out);
		return false;
	}
	return true;
}

static bool validator_from_json(struct px_err *err, struct tm_validator *out, const json_t *o)
{
	struct px_buf key = PX_BUF_INIT, addr = PX_BUF_INIT;
	json_t *pk;
	const char *type;
	bool ok = false;

	if (!json_is_object(o)) {
		px_err_set(err, PX_E_JSON, "expected object, got %s", px_json_type_name(o));
		goto out;
	}
	if (!px_json_get_object(err, &pk, o, "pub_key") || !px_json_get_string(err, &type, pk, "type") ||
	    !px_json_get_base64(err, &key, pk, "value") ||
	    !px_json_get_i64(err, &out->voting_power, o, "power") ||
	    !px_json_get_hex(err, &addr, o, "address"))
		goto out;
	if (strcmp(type, "tendermint/PubKeyEd25519") != 0 || key.len != 32) {
		px_err_set(err, PX_E_UNSUPPORTED, "pub_key: want a 32-byte tendermint/PubKeyEd25519");
		goto out;
	}
	out->pub_key.type = TM_KEY_ED25519;
	out->pub_key.len = 32;
	memcpy(out->pub_key.bytes, key.data, 32);
	tm_pubkey_address(out->address, &out->pub_key);
	if (addr.len != TM_ADDRESS_LEN || memcmp(addr.data, out->address, TM_ADDRESS_LEN) != 0) {
		px_err_set(err, PX_E_MALFORMED, "address does not derive from pub_key");
		goto out;
	}
	ok = true;
out:
	px_buf_free(&key);
	px_buf_free(&addr);
	return ok;
}

static bool valset_from_json(struct px_err *err, struct tm_validator_set *out, const json_t *arr,
			     const char *what)
{
	size_t i;
	json_t *v;

	memset(out, 0, sizeof(*out));
	if (!json_is_array(arr))
		return px_err_set(err, PX_E_JSON, "%s: expected array, got %s", what,
				  px_json_type_name(arr));
	if (json_array_size(arr) == 0 || json_array_size(arr) > DEVNET_MAX_VALIDATORS)
		return px_err_set(err, PX_E_MALFORMED, "%s: %zu validators (1..%u)", what,
				  json_array_size(arr), DEVNET_MAX_VALIDATORS);
	out->validators = calloc(json_array_size(arr), sizeof(*out->validators));
	if (!out->validators)
		return px_err_set(err, PX_E_NOMEM, "%s: out of memory", what);
	json_array_foreach(arr, i, v) {
		if (!validator_from_json(err, &out->validators[i], v)) {
			px_err_prefix(err, "%s %zu: ", what, i);
			tm_validator_set_free(out);
			return false;
		}
		out->len++;
	}
	if (!tm_validator_set_normalize(err, out)) {
		px_err_prefix(err, "%s: ", what);
		tm_validator_set_free(out);
		return false;
	}
	return true;
}

static bool changes_from_json(struct px_err *err, struct devnet_genesis *g, const json_t *app)
{
	json_t *dev = json_object_get(app, "devnet"), *arr, *c, *prefix;
	size_t i;

	snprintf(g->account_prefix, sizeof(g->account_prefix), "cosmos");
	if (!dev || json_is_null(dev))
		return true;
	if (!json_is_object(dev))
		return px_err_set(err, PX_E_JSON, "app_state.devnet: expected object");
	prefix = json_object_get(dev, "account_prefix");
	if (prefix) {
		if (!json_is_string(prefix) || json_string_length(prefix) == 0 ||
		    json_string_length(prefix) >= sizeof(g->account_prefix))
			return px_err_set(err, PX_E_JSON,
					  "app_state.devnet.account_prefix: want a string of 1..32");
		memcpy(g->account_prefix, json_string_value(prefix), json_string_length(prefix) + 1);
	}
	arr = json_object_get(dev, "valset_changes");
	if (!arr || json_is_null(arr))
		return true;
	if (!json_is_array(arr) || json_array_size(arr) > DEVNET_MAX_CHANGES)
		return px_err_set(err, PX_E_MALFORMED,
				  "app_state.devnet.valset_changes: want an array of at most %u",
				  DEVNET_MAX_CHANGES);
	if (json_array_size(arr) == 0)
		return true;
	g->changes = calloc(json_array_size(arr), sizeof(*g->changes));
	if (!g->changes)
		return px_err_set(err, PX_E_NOMEM, "genesis: out of memory");
	json_array_foreach(arr, i, c) {
		struct devnet_valset_change *ch = &g->changes[i];
		int64_t prev = i ? g->changes[i - 1].height : g->initial_height;
		json_t *vals;

		if (!json_is_object(c) || !px_json_get_i64(err, &ch->height, c, "height") ||
		    !px_json_get_array(err, &vals, c, "validators") ||
		    !valset_from_json(err, &ch->validators, vals, "validators")) {
			px_err_set(err, PX_E_JSON, "expected an object");
			px_err_prefix(err, "valset_changes %zu: ", i);
			return false;
		}
		g->n_changes++;
		if (ch->height <= prev)
			return px_err_set(err, PX_E_MALFORMED,
					  "valset_changes %zu: height %lld, want above %lld", i,
					  (long long)ch->height, (long long)prev);
	}
	return true;
}

bool devnet_genesis_from_json(struct px_err *err, struct devnet_genesis *out, const json_t *doc)
{
	const char *chain_id, *t;
	json_t *cp, *blk, *vals, *app;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(doc))
		return px_err_set(err, PX_E_JSON, "genesis: expected an object");
	if (!px_json_get_string(err, &chain_id, doc, "chain_id") ||
	    !px_json_get_string(err, &t, doc, "genesis_time") ||
	    !px_json_get_i64(err, &out->initial_height, doc, "initial_height") ||
	    !px_json_get_object(err, &cp, doc, "consensus_params") ||
	    !px_json_get_object(err, &blk, cp, "block") ||
	    !px_json_get_i64(err, &out->max_bytes, blk, "max_bytes") ||
	    !px_json_get_i64(err, &out->max_gas, blk, "max_gas") ||
	    !px_json_get_array(err, &vals, doc, "validators") ||
	    !px_json_get_object(err, &app, doc, "app_state"))
		goto fail;
	if (strlen(chain_id) == 0 || strlen(chain_id) > TM_MAX_CHAIN_ID) {
		px_err_set(err, PX_E_MALFORMED, "chain_id: 1..%d bytes", TM_MAX_CHAIN_ID);
		goto fail;
	}
	memcpy(out->chain_id, chain_id, strlen(chain_id) + 1);
	if (!px_time_parse(err, &out->genesis_time, t, strlen(t)))
		goto fail;
	if (out->initial_height < 1 || out->initial_height > INT64_MAX / 2) {
		px_err_set(err, PX_E_MALFORMED, "initial_height: %lld", (long long)out->initial_height);
		goto fail;
	}
	if (!valset_from_json(err, &out->validators, vals, "validators") ||
	    !changes_from_json(err, out, app))
		goto fail;
	out->doc = json_incref((json_t *)doc);
	return true;
fail:
	px_err_prefix(err, "genesis: ");
	devnet_genesis_free(out);
	return false;
}

bool devnet_genesis_load(struct px_err *err, struct devnet_genesis *out, const char *path)
{
	json_t *doc = px_json_load_file(err, path);
	bool ok;

	memset(out, 0, sizeof(*out));
	if (!doc)
		return false;
	ok = devnet_genesis_from_json(err, out, doc);
	json_decref(doc);
	return ok;
}

void devnet_genesis_free(struct devnet_genesis *g)
{
	tm_validator_set_free(&g->validators);
	for (size_t i = 0; i < g->n_changes; i++)
		tm_validator_set_free(&g->changes[i].validators);
	free(g->changes);
	json_decref(g->doc);
	memset(g, 0, sizeof(*g));
}

const struct tm_validator_set *devnet_genesis_valset(const struct devnet_genesis *g, int64_t h)
{
	const struct tm_validator_set *vs = &g->validators;

	for (size_t i = 0; i < g->n_changes && g->changes[i].height <= h; i++)
		vs = &g->changes[i].validators;
	return vs;
}

static json_t *genesis_validators(const struct tm_validator_set *vs)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < vs->len; i++) {
		const struct tm_validator *v = &vs->validators[i];

		if (json_array_append_new(arr, json_pack("{s:o, s:o, s:o, s:s}", "address",
							 devnet_json_hex(v->address, TM_ADDRESS_LEN),
							 "pub_key", devnet_json_pubkey(&v->pub_key),
							 "power", devnet_json_i64(v->voting_power),
							 "name", "")) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

/* coins "100stake,5token" as [{denom, amount}]. */
static json_t *coins_json(const char *s)
{
	json_t *arr = json_array();

	while (arr && *s) {
		const char *end = strchr(s, ','), *d = s;
		size_t len = end ? (size_t)(end - s) : strlen(s);

		while ((size_t)(d - s) < len && *d >= '0' && *d <= '9')
			d++;
		if (d == s || (size_t)(d - s) == len ||
		    json_array_append_new(arr, json_pack("{s:s#, s:s#}", "denom", d,
							 (int)(len - (size_t)(d - s)), "amount", s,
							 (int)(d - s))) != 0) {
			json_decref(arr);
			return NULL;
		}
		s += len + (end ? 1 : 0);
	}
	return arr;
}

static bool accounts_json(struct px_err *err, json_t **accounts, json_t **balances,
			  const struct devnet_genesis_params *p, const char *prefix)
{
	*accounts = json_array();
	*balances = json_array();
	for (size_t i = 0; *accounts && *balances && i < p->n_accounts; i++) {
		char addr[COSMOS_BECH32_MAX_LEN + 1];
		json_t *coins = coins_json(p->accounts[i].coins);

		if (!coins || !cosmos_address_encode(err, addr, sizeof(addr), prefix,
						     p->accounts[i].address, 20)) {
			json_decref(coins);
			return px_err_set(err, PX_E_USAGE, "account %zu: bad coins or prefix", i);
		}
		if (json_array_append_new(*accounts,
					  json_pack("{s:s, s:s, s:n, s:s, s:s}", "@type",
						    "/cosmos.auth.v1beta1.BaseAccount", "address", addr,
						    "pub_key", "account_number", "0", "sequence", "0")) ||
		    json_array_append_new(*balances, json_pack("{s:s, s:o}", "address", addr, "coins",
							       coins)))
			return px_err_set(err, PX_E_NOMEM, "genesis: out of memory");
	}
	if (!*accounts || !*balances)
		return px_err_set(err, PX_E_NOMEM, "genesis: out of memory");
	return true;
}

json_t *devnet_genesis_to_json(struct px_err *err, const struct devnet_genesis_params *p)
{
	const char *prefix = p->account_prefix ? p->account_prefix : "cosmos";
	json_t *changes = json_array(), *doc, *accounts = NULL, *balances = NULL;

	if (!accounts_json(err, &accounts, &balances, p, prefix)) {
		json_decref(accounts);
		json_decref(balances);
		json_decref(changes);
		return NULL;
	}

	for (size_t i = 0; changes && i < p->n_changes; i++) {
		if (json_array_append_new(changes, json_pack("{s:o, s:o}", "height",
							     devnet_json_i64(p->changes[i].height),
							     "validators",
							     genesis_validators(&p->changes[i].validators))) != 0) {
			json_decref(changes);
			changes = NULL;
		}
	}
	doc = json_pack("{s:o, s:s, s:o, s:{s:{s:s, s:s}, s:{s:s, s:s, s:s}, s:{s:[s]}, s:{s:s}, "
			"s:{s:s}}, s:o, s:s, s:{s:{s:o}, s:{s:o}, s:{s:o, s:s}}}",
			"genesis_time", devnet_json_time(p->genesis_time),
			"chain_id", p->chain_id,
			"initial_height", devnet_json_i64(p->initial_height),
			"consensus_params",
			"block", "max_bytes", "22020096", "max_gas", "-1",
			"evidence", "max_age_num_blocks", "100000", "max_age_duration",
			"172800000000000", "max_bytes", "1048576",
			"validator", "pub_key_types", "ed25519",
			"version", "app", "0",
			"abci", "vote_extensions_enable_height", "0",
			"validators", genesis_validators(p->validators),
			"app_hash", "",
			"app_state", "auth", "accounts", accounts, "bank", "balances", balances,
			"devnet", "valset_changes", changes, "account_prefix", prefix);
	if (!doc)
		px_err_set(err, PX_E_NOMEM, "genesis: out of memory");
	return doc;
}
