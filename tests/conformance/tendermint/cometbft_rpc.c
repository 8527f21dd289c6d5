/* The RPC part of the CometBFT conformance runner: every fixture in
 * rpc/VERSION/incoming/ must parse; every header found in a commit, block,
 * block meta or NewBlock event must hash to its block id (a NewBlock event
 * without one is linked to the next height's last_block_id); commits are
 * checked against a validator set of the same folder (genesis or a
 * /validators result) that hashes to the header's validators_hash; JSON-RPC
 * error responses are recognised. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/json.h"
#include "lightclient/tendermint/hash.h"
#include "lightclient/tendermint/types.h"
#include "lightclient/tendermint/verify.h"
#include "tests/conformance/tendermint/cometbft_vectors.h"

#define MAX_SETS 16
#define MAX_EVENTS 256

struct newblock {
	char file[256];
	int64_t height;
	uint8_t hash[TM_HASH_LEN];
	bool have_hash;
	bool have_block_id;	/* already compared with its own block id */
	struct tm_bytes last_block_id;
};

struct rpc_folder {
	const char *version;
	struct tm_validator_set sets[MAX_SETS];
	uint8_t set_hash[MAX_SETS][TM_HASH_LEN];
	size_t nsets;
	struct newblock *events;
	size_t nevents;
};

/* A validator set from genesis ({address, pub_key, power}) or a
 * /validators result ({address, pub_key, voting_power}). */
static void add_set(struct rpc_folder *rf, const json_t *vals, const char *file)
{
	struct px_err err = { 0 };
	json_t *arr = json_array(), *wrap;
	struct tm_validator_set vs;

	if (rf->nsets >= MAX_SETS || !arr) {
		json_decref(arr);
		return;
	}
	for (size_t i = 0; i < json_array_size(vals); i++) {
		const json_t *v = json_array_get(vals, i);
		json_t *o = json_object();

		json_object_set(o, "pub_key", json_object_get(v, "pub_key"));
		if (json_object_get(v, "address"))
			json_object_set(o, "address", json_object_get(v, "address"));
		json_object_set(o, "voting_power", json_object_get(v, "voting_power")
							 ? json_object_get(v, "voting_power")
							 : json_object_get(v, "power"));
		json_array_append_new(arr, o);
	}
	wrap = json_pack("{s:o}", "validators", arr);
	if (wrap && tm_validator_set_from_json(&err, &vs, wrap) &&
	    tm_validator_set_hash(&err, rf->set_hash[rf->nsets], &vs))
		rf->sets[rf->nsets++] = vs;
	else
		printf("note: %s/%s: validator set not usable: %s\n", rf->version, file, err.msg);
	json_decref(wrap);
}

static const struct tm_validator_set *set_for(const struct rpc_folder *rf, const struct tm_bytes *vh)
{
	for (size_t i = 0; i < rf->nsets; i++)
		if (hash_eq_bytes(rf->set_hash[i], vh))
			return &rf->sets[i];
	return NULL;
}

/* Checks a commit's signatures with the set whose hash is the carrying
 * header's validators_hash (a kvstore chain keeps one set throughout). */
static void check_sigs(const struct rpc_folder *rf, const char *where, const struct tm_header *h,
		       const struct tm_commit *c, const struct tm_block_id *bid, int64_t height)
{
	struct px_err err = { 0 };
	const struct tm_validator_set *vs;

	if (c->len == 0 || height <= 0)
		return;
	vs = set_for(rf, &h->validators_hash);
	if (!vs) {
		sigs_skipped++;
		printf("note: %s: no validator set for the commit at height %lld, hash only\n", where,
		       (long long)height);
		return;
	}
	result(C_RPC_SIGS, tm_commit_verify_light(&err, h->chain_id, vs, bid, height, c), where, "%s",
	       err.msg);
}

static void hash_check(int cat, const char *where, const struct tm_header *h,
		       const struct tm_bytes *want)
{
	struct px_err err = { 0 };
	uint8_t out[TM_HASH_LEN];
	char got[65];

	if (!tm_header_hash(&err, out, h)) {
		result(cat, false, where, "no header hash: %s", err.msg);
		return;
	}
	hex32(got, out);
	result(cat, hash_eq_bytes(out, want), where, "header hash %s is not the block id", got);
}

static void rpc_signed_header(struct rpc_folder *rf, const char *where, const json_t *sh)
{
	struct px_err err = { 0 };
	struct tm_signed_header s;

	if (!tm_signed_header_from_json(&err, &s, sh)) {
		result(C_RPC_COMMIT, false, where, "decode: %s", err.msg);
		return;
	}
	hash_check(C_RPC_COMMIT, where, &s.header, &s.commit.block_id.hash);
	check_sigs(rf, where, &s.header, &s.commit, &s.commit.block_id, s.commit.height);
	tm_signed_header_free(&s);
}

/* obj holds "block" (header + last_commit) and, except in NewBlock
 * events of 0.34 and 0.37, its "block_id". A NewBlock event is also kept
 * to be linked with the next height's event. */
static void rpc_block(struct rpc_folder *rf, const char *where, const char *file, const json_t *obj,
		      bool event)
{
	struct px_err err = { 0 };
	const json_t *block_id = json_object_get(obj, "block_id");
	int cat = event ? C_RPC_NEWBLOCK : C_RPC_BLOCK;
	struct tm_header h;
	struct tm_commit lc;
	struct tm_block_id bid;

	if (!tm_block_from_json(&err, &h, &lc, obj)) {
		result(cat, false, where, "decode: %s", err.msg);
		return;
	}
	if (json_is_object(block_id)) {
		if (!tm_block_id_from_json(&err, &bid, block_id))
			result(cat, false, where, "block_id: %s", err.msg);
		else
			hash_check(cat, where, &h, &bid.hash);
	}
	if (event && rf->nevents < MAX_EVENTS) {
		struct newblock *e = &rf->events[rf->nevents++];

		sfmt(e->file, sizeof(e->file), "%s", file);
		e->height = h.height;
		e->have_hash = tm_header_hash(&err, e->hash, &h);
		e->have_block_id = json_is_object(block_id);
		e->last_block_id = h.last_block_id.hash;
	}
	check_sigs(rf, where, &h, &lc, &h.last_block_id, h.height - 1);
	tm_commit_free(&lc);
}

static void rpc_meta(const char *where, const json_t *obj)
{
	struct px_err err = { 0 };
	struct tm_header h;
	struct tm_block_id bid;

	if (!tm_header_from_json(&err, &h, json_object_get(obj, "header")) ||
	    !tm_block_id_from_json(&err, &bid, json_object_get(obj, "block_id"))) {
		result(C_RPC_META, false, where, "decode: %s", err.msg);
		return;
	}
	hash_check(C_RPC_META, where, &h, &bid.hash);
}

/* Finds every header-carrying object under v. */
static void rpc_walk(struct rpc_folder *rf, const char *file, const json_t *v, unsigned depth)
{
	char where[512];
	const char *key;
	json_t *child;
	size_t i;

	sfmt(where, sizeof(where), "%s/%s", rf->version, file);
	if (depth > 64)
		return;
	if (json_is_array(v)) {
		json_array_foreach(v, i, child)
			rpc_walk(rf, file, child, depth + 1);
		return;
	}
	if (!json_is_object(v))
		return;
	if (json_is_object(json_object_get(v, "signed_header"))) {
		rpc_signed_header(rf, where, json_object_get(v, "signed_header"));
		return;
	}
	if (json_is_string(json_object_get(v, "type")) &&
	    strcmp(json_string_value(json_object_get(v, "type")), "tendermint/event/NewBlock") == 0 &&
	    json_is_object(json_object_get(json_object_get(v, "value"), "block"))) {
		rpc_block(rf, where, file, json_object_get(v, "value"), true);
		return;
	}
	if (json_is_object(json_object_get(v, "block")) &&
	    json_is_object(json_object_get(json_object_get(v, "block"), "header"))) {
		rpc_block(rf, where, file, v, false);
		return;
	}
	if (json_is_object(json_object_get(v, "header")) && json_is_object(json_object_get(v, "block_id"))) {
		rpc_meta(where, v);
		return;
	}
	json_object_foreach((json_t *)v, key, child)
		rpc_walk(rf, file, child, depth + 1);
}

/* Validator sets first, so every commit can use any of them. */
static void rpc_collect_sets(struct rpc_folder *rf, const char *dir, char **names, int n)
{
	for (int i = 0; i < n; i++) {
		char path[4096];
		json_t *doc, *r, *g;

		sfmt(path, sizeof(path), "%s/%s", dir, names[i]);
		doc = json_load_file(path, 0, NULL);
		r = json_object_get(doc, "result");
		g = json_object_get(r, "genesis");
		if (json_is_array(json_object_get(g, "validators")))
			add_set(rf, json_object_get(g, "validators"), names[i]);
		else if (json_is_array(json_object_get(r, "validators")) && json_object_get(r, "block_height"))
			add_set(rf, json_object_get(r, "validators"), names[i]);
		json_decref(doc);
	}
}

/* A NewBlock event's hash is the next height's last_block_id, when that
 * event is among the fixtures; otherwise it was only parsed. */
static void rpc_link_events(const struct rpc_folder *rf)
{
	for (size_t i = 0; i < rf->nevents; i++) {
		const struct newblock *e = &rf->events[i], *next = NULL;
		char where[512];

		for (size_t j = 0; j < rf->nevents && !next; j++)
			if (rf->events[j].height == e->height + 1)
				next = &rf->events[j];
		if (!next) {
			if (!e->have_block_id)
				newblock_parse_only++;
			continue;
		}
		sfmt(where, sizeof(where), "%s/%s", rf->version, e->file);
		result(C_RPC_NEWBLOCK, e->have_hash && hash_eq_bytes(e->hash, &next->last_block_id), where,
		       "header hash is not %s's last_block_id", next->file);
	}
}

static void run_rpc_version(const char *dir, const char *version)
{
	struct rpc_folder rf;
	char **names;
	int n = list_dir(dir, false, ".json", &names);

	memset(&rf, 0, sizeof(rf));
	rf.version = version;
	rf.events = calloc(MAX_EVENTS, sizeof(*rf.events));
	if (!rf.events) {
		result(C_RPC_PARSE, false, version, "out of memory");
		free_names(names, n);
		return;
	}
	rpc_collect_sets(&rf, dir, names, n);
	for (int i = 0; i < n; i++) {
		struct px_err err = { 0 };
		char path[4096], where[512];
		json_t *doc, *e;

		sfmt(path, sizeof(path), "%s/%s", dir, names[i]);
		sfmt(where, sizeof(where), "%s/%s", version, names[i]);
		doc = px_json_load_file(&err, path);
		result(C_RPC_PARSE, doc != NULL, where, "%s", err.msg);
		if (!doc)
			continue;
		e = json_object_get(doc, "error");
		if (e) {
			/* JSON-RPC 2.0: an error object with an integer code and
			 * a message, and no result. */
			result(C_RPC_ERROR,
			       json_is_object(e) && json_is_integer(json_object_get(e, "code")) &&
				       json_is_string(json_object_get(e, "message")) &&
				       !json_object_get(doc, "result"),
			       where, "not a well-formed JSON-RPC error");
		} else {
			rpc_walk(&rf, names[i], json_object_get(doc, "result"), 0);
		}
		json_decref(doc);
	}
	rpc_link_events(&rf);
	for (size_t i = 0; i < rf.nsets; i++)
		tm_validator_set_free(&rf.sets[i]);
	free(rf.events);
	free_names(names, n);
}

void run_rpc(const char *dir)
{
	char **versions;
	int n = list_dir(dir, true, NULL, &versions);

	for (int i = 0; i < n; i++) {
		char path[4096];

		sfmt(path, sizeof(path), "%s/%s/incoming", dir, versions[i]);
		if (is_dir(path))
			run_rpc_version(path, versions[i]);
	}
	free_names(versions, n);
}

