/* Conformance runner for the CometBFT vectors in VECTORS/cosmos (see its
 * README.md). Every file of every folder below is used, in name order:
 *
 *   golden/cometbft_golden.json   every case by kind (an unknown kind fails);
 *   golden/ibc_golden.json        counted as skipped (a later IBC issue);
 *   cometbft/NAME.json              header hashes against the known hash
 *                                 (from a golden case with the same header,
 *                                 the file itself, or the README);
 *   rpc/VERSION/incoming/NAME.json  every fixture parses; every header found in
 *                                 a commit, block, block meta or NewBlock
 *                                 event hashes to its block id; commits are
 *                                 checked against a validator set found in
 *                                 the same folder (genesis, validators) when
 *                                 one hashes to the header's validators_hash;
 *                                 error responses are recognised;
 *   light_client/SUITE/NAME.json    every single-step case through tm_verify
 *                                 with trust 1/3 and clock drift 0.
 *
 * usage: cometbft_vectors VECTORS_DIR
 * Ends with "cometbft vectors: N cases, N passed, N failed". Exit 0 when
 * nothing failed, 1 otherwise, 77 (skipped) when VECTORS_DIR/cosmos is
 * missing or holds none of these folders. */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/buf.h"
#include "common/encoding.h"
#include "common/hash.h"
#include "common/json.h"
#include "common/number.h"
#include "lightclient/tendermint/crypto.h"
#include "lightclient/tendermint/hash.h"
#include "lightclient/tendermint/types.h"
#include "lightclient/tendermint/verify.h"

#define MAX_FAIL_LINES 20

struct cat {
	const char *name;
	unsigned cases, passed, failed;
};

enum {
	C_GOLDEN,
	C_KNOWN,
	C_RPC_PARSE,
	C_RPC_ERROR,
	C_RPC_COMMIT,
	C_RPC_BLOCK,
	C_RPC_META,
	C_RPC_NEWBLOCK,
	C_RPC_SIGS,
	C_LIGHT,
	C_COUNT
};

static struct cat cats[C_COUNT] = {
	[C_GOLDEN] = { "golden cases", 0, 0, 0 },
	[C_KNOWN] = { "known header hashes", 0, 0, 0 },
	[C_RPC_PARSE] = { "rpc fixtures parsed", 0, 0, 0 },
	[C_RPC_ERROR] = { "rpc error responses", 0, 0, 0 },
	[C_RPC_COMMIT] = { "rpc commit header hashes", 0, 0, 0 },
	[C_RPC_BLOCK] = { "rpc block header hashes", 0, 0, 0 },
	[C_RPC_META] = { "rpc block-meta header hashes", 0, 0, 0 },
	[C_RPC_NEWBLOCK] = { "rpc NewBlock header hashes (block_id, next event)", 0, 0, 0 },
	[C_RPC_SIGS] = { "rpc commit signatures", 0, 0, 0 },
	[C_LIGHT] = { "light client steps", 0, 0, 0 },
};

/* Things seen but not run, reported apart from the cases. */
static unsigned skipped_ibc, newblock_parse_only, sigs_skipped, known_no_expected;
static unsigned light_files_other_shape;
static const char *vectors_root;

static void PX_PRINTF(4, 5) result(int cat, bool ok, const char *file, const char *fmt, ...)
{
	struct cat *c = &cats[cat];
	va_list ap;

	c->cases++;
	if (ok) {
		c->passed++;
		return;
	}
	c->failed++;
	if (c->failed > MAX_FAIL_LINES)
		return;
	printf("FAIL [%s] %s: ", c->name, file);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* --- small helpers -------------------------------------------------------- */

/* snprintf for paths and labels: a truncated one is still a usable label,
 * and a truncated path simply fails to open. */
static void PX_PRINTF(3, 4) sfmt(char *out, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, cap, fmt, ap);
	va_end(ap);
}

static int name_order(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Names of dir's entries (files when want_dirs is false, folders
 * otherwise), sorted; returns the count and frees nothing on error. */
static int list_dir(const char *dir, bool want_dirs, const char *suffix, char ***out)
{
	struct dirent **ents;
	char **names;
	int n, k = 0;

	*out = NULL;
	n = scandir(dir, &ents, NULL, name_order);
	if (n < 0)
		return 0;
	names = calloc((size_t)n + 1, sizeof(*names));
	for (int i = 0; i < n; i++) {
		char path[4096];

		sfmt(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
		if (names && ents[i]->d_name[0] != '.' && is_dir(path) == want_dirs &&
		    (!suffix || ends_with(ents[i]->d_name, suffix)))
			names[k++] = strdup(ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
	*out = names;
	return names ? k : 0;
}

static void free_names(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static bool hash_eq_hex(const uint8_t h[TM_HASH_LEN], const char *hex)
{
	uint8_t want[TM_HASH_LEN];

	return hex && px_hex_decode_fixed(NULL, want, sizeof(want), hex, strlen(hex)) &&
	       memcmp(want, h, TM_HASH_LEN) == 0;
}

static bool hash_eq_bytes(const uint8_t h[TM_HASH_LEN], const struct tm_bytes *b)
{
	return b->len == TM_HASH_LEN && memcmp(b->b, h, TM_HASH_LEN) == 0;
}

static void hex32(char out[2 * TM_HASH_LEN + 1], const uint8_t h[TM_HASH_LEN])
{
	px_hex_encode(out, 2 * TM_HASH_LEN + 1, h, TM_HASH_LEN, true);
}

/* A hex string field (or null) decoded into buf. */
static bool json_hex(struct px_err *err, struct px_buf *buf, const json_t *obj, const char *field)
{
	const json_t *v = json_object_get(obj, field);

	if (json_is_null(v))
		return true;
	return px_json_get_hex(err, buf, obj, field);
}

/* --- golden/cometbft_golden.json ----------------------------------------- */

static bool golden_header_hash(struct px_err *err, const json_t *c)
{
	struct tm_header h;
	json_t *hj;
	const json_t *want = json_object_get(c, "expected_hash");
	uint8_t out[TM_HASH_LEN];
	bool have;

	if (!px_json_get_object(err, &hj, c, "header") || !tm_header_from_json(err, &h, hj))
		return false;
	have = tm_header_hash(err, out, &h);
	if (px_err_is_set(err))
		return false;
	if (json_is_null(want) || !want)
		return have ? px_err_set(err, PX_E_VERIFY, "hash computed, expected none") : true;
	if (!have)
		return px_err_set(err, PX_E_VERIFY, "no hash computed, expected %s",
				  json_string_value(want));
	if (!hash_eq_hex(out, json_string_value(want))) {
		char got[65];

		hex32(got, out);
		return px_err_set(err, PX_E_VERIFY, "hash %s, expected %s", got,
				  json_string_value(want));
	}
	return true;
}

static bool golden_vote(struct px_err *err, const json_t *c)
{
	struct px_buf got = PX_BUF_INIT, want = PX_BUF_INIT;
	struct tm_block_id bid;
	struct px_time ts = { 0, 0 };
	const char *chain_id;
	json_t *vote, *tsj;
	int64_t type, height, round, secs = 0, nanos = 0;
	bool ok = false;

	if (!px_json_get_string(err, &chain_id, c, "chain_id") ||
	    !px_json_get_object(err, &vote, c, "vote") ||
	    !px_json_get_i64(err, &type, vote, "type") ||
	    !px_json_get_i64(err, &height, vote, "height") ||
	    !px_json_get_i64(err, &round, vote, "round") ||
	    !px_json_get_object(err, &tsj, vote, "timestamp") ||
	    !px_json_get_i64(err, &secs, tsj, "seconds") ||
	    (json_object_get(tsj, "nanos") && !px_json_get_i64(err, &nanos, tsj, "nanos")) ||
	    !tm_block_id_from_json(err, &bid, json_object_get(vote, "block_id")) ||
	    !px_json_get_hex(err, &want, c, "expected_hex"))
		goto out;
	if (type < 0 || type > 32 || nanos < 0 || nanos > 999999999) {
		px_err_set(err, PX_E_MALFORMED, "vote type or nanos out of range");
		goto out;
	}
	ts.seconds = secs;
	ts.nanos = (int32_t)nanos;
	tm_vote_sign_bytes(&got, chain_id, (enum tm_vote_type)type, height, round, &bid, ts);
	if (!px_buf_ok(&got)) {
		px_err_set(err, PX_E_NOMEM, "out of memory");
		goto out;
	}
	if (got.len != want.len || memcmp(got.data, want.data, got.len) != 0) {
		char hex[512];

		px_hex_encode(hex, sizeof(hex), got.data, got.len < 255 ? got.len : 255, false);
		px_err_set(err, PX_E_VERIFY, "sign bytes %s", hex);
		goto out;
	}
	ok = true;
out:
	px_buf_free(&got);
	px_buf_free(&want);
	return ok;
}

static bool golden_merkle(struct px_err *err, const json_t *c, const char *kind)
{
	struct px_buf a = PX_BUF_INIT, b = PX_BUF_INIT;
	struct px_buf *items = NULL;
	struct px_iov *iov = NULL;
	const char *want;
	uint8_t out[TM_HASH_LEN];
	size_t n = 0;
	bool ok = false;

	if (!px_json_get_string(err, &want, c, "expected_hash"))
		return false;
	if (strcmp(kind, "merkle_leaf_hash") == 0) {
		if (!json_hex(err, &a, c, "leaf_hex"))
			goto out;
		tm_merkle_leaf_hash(out, a.data, a.len);
	} else if (strcmp(kind, "merkle_inner_hash") == 0) {
		/* RFC 6962 inputs need not be 32 bytes; the inner hash is the
		 * same formula over whatever the children are. */
		struct px_buf in = PX_BUF_INIT;

		if (!json_hex(err, &a, c, "left_hex") || !json_hex(err, &b, c, "right_hex"))
			goto out;
		px_buf_push(&in, 0x01);
		px_buf_append(&in, a.data, a.len);
		px_buf_append(&in, b.data, b.len);
		if (a.len == TM_HASH_LEN && b.len == TM_HASH_LEN)
			tm_merkle_inner_hash(out, a.data, b.data);
		else
			px_sha256(out, in.data, in.len);
		px_buf_free(&in);
	} else {
		const json_t *arr = json_object_get(c, "items_hex");

		if (arr && !json_is_null(arr) && !json_is_array(arr)) {
			px_err_set(err, PX_E_JSON, "field 'items_hex': expected array");
			goto out;
		}
		n = json_array_size(arr);
		items = calloc(n ? n : 1, sizeof(*items));
		iov = calloc(n ? n : 1, sizeof(*iov));
		if (!items || !iov) {
			px_err_set(err, PX_E_NOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < n; i++) {
			const json_t *s = json_array_get(arr, i);

			if (!json_is_string(s) ||
			    !px_hex_decode(err, &items[i], json_string_value(s), json_string_length(s),
					   false)) {
				px_err_set(err, PX_E_JSON, "items_hex[%zu]: bad hex", i);
				goto out;
			}
			iov[i].ptr = items[i].data;
			iov[i].len = items[i].len;
		}
		tm_merkle_root(out, iov, n);
	}
	if (!hash_eq_hex(out, want)) {
		char got[65];

		hex32(got, out);
		px_err_set(err, PX_E_VERIFY, "hash %s, expected %s", got, want);
		goto out;
	}
	ok = true;
out:
	for (size_t i = 0; items && i < n; i++)
		px_buf_free(&items[i]);
	free(items);
	free(iov);
	px_buf_free(&a);
	px_buf_free(&b);
	return ok;
}

static bool golden_secp_address(struct px_err *err, const json_t *c)
{
	struct px_buf pub = PX_BUF_INIT;
	struct tm_pubkey pk;
	const char *want;
	uint8_t addr[TM_ADDRESS_LEN], exp[TM_ADDRESS_LEN];
	bool ok = false;

	memset(&pk, 0, sizeof(pk));
	if (!px_json_get_hex(err, &pub, c, "pub_compressed_hex") ||
	    !px_json_get_string(err, &want, c, "expected_address_hex") ||
	    !px_hex_decode_fixed(err, exp, sizeof(exp), want, strlen(want)))
		goto out;
	if (pub.len != 33) {
		px_err_set(err, PX_E_MALFORMED, "pubkey of %zu bytes", pub.len);
		goto out;
	}
	pk.type = TM_KEY_SECP256K1;
	pk.len = 33;
	memcpy(pk.bytes, pub.data, 33);
	tm_pubkey_address(addr, &pk);
	if (memcmp(addr, exp, sizeof(exp)) != 0) {
		px_err_set(err, PX_E_VERIFY, "address differs");
		goto out;
	}
	ok = true;
out:
	px_buf_free(&pub);
	return ok;
}

static void run_golden_file(const char *path, const char *name)
{
	struct px_err err = { 0 };
	json_t *doc = px_json_load_file(&err, path), *cases;

	if (!doc || !px_json_get_array(&err, &cases, doc, "cases")) {
		result(C_GOLDEN, false, name, "%s", err.msg);
		json_decref(doc);
		return;
	}
	for (size_t i = 0; i < json_array_size(cases); i++) {
		const json_t *c = json_array_get(cases, i);
		const char *kind = json_string_value(json_object_get(c, "kind"));
		const char *cname = json_string_value(json_object_get(c, "name"));
		char where[512];
		bool ok;

		sfmt(where, sizeof(where), "%s #%zu (%s)", name, i, cname ? cname : "?");
		px_err_clear(&err);
		if (!kind)
			ok = px_err_set(&err, PX_E_JSON, "case without kind");
		else if (strcmp(kind, "header_hash") == 0)
			ok = golden_header_hash(&err, c);
		else if (strcmp(kind, "vote_sign_bytes") == 0)
			ok = golden_vote(&err, c);
		else if (strcmp(kind, "merkle_hash_from_byte_slices") == 0 ||
			 strcmp(kind, "merkle_leaf_hash") == 0 || strcmp(kind, "merkle_inner_hash") == 0)
			ok = golden_merkle(&err, c, kind);
		else if (strcmp(kind, "secp256k1_address") == 0)
			ok = golden_secp_address(&err, c);
		else
			ok = px_err_set(&err, PX_E_UNSUPPORTED, "unknown kind '%s'", kind);
		result(C_GOLDEN, ok, where, "%s: %s", kind ? kind : "?", err.msg);
	}
	json_decref(doc);
}

/* Cases of a file that belongs to another issue: counted, not run. */
static void skip_file(const char *path)
{
	json_t *doc = json_load_file(path, 0, NULL);
	size_t n = json_array_size(json_object_get(doc, "cases"));

	skipped_ibc += n ? (unsigned)n : 1;
	json_decref(doc);
}

static json_t *golden_doc;	/* for known header hashes */

static void run_golden(const char *dir)
{
	char **names;
	int n = list_dir(dir, false, ".json", &names);

	for (int i = 0; i < n; i++) {
		char path[4096];

		sfmt(path, sizeof(path), "%s/%s", dir, names[i]);
		if (strncmp(names[i], "ibc", 3) == 0) {
			skip_file(path);
			continue;
		}
		run_golden_file(path, names[i]);
		if (strcmp(names[i], "cometbft_golden.json") == 0 && !golden_doc)
			golden_doc = json_load_file(path, 0, NULL);
	}
	free_names(names, n);
}

/* --- cometbft/NAME.json: headers with a known hash ---------------------------- */

/* The expected hash of a header file: a golden header_hash case with the
 * same header, a hash the file carries itself, or the 64 hex digits that
 * follow the file's name in the vectors README. */
static bool known_hash_for(char out[65], const char *name, const json_t *doc, const json_t *header)
{
	const json_t *cases = json_object_get(golden_doc, "cases");
	const char *s;
	char path[4096];
	FILE *f;

	for (size_t i = 0; i < json_array_size(cases); i++) {
		const json_t *c = json_array_get(cases, i);

		if (json_equal(json_object_get(c, "header"), (json_t *)header) &&
		    (s = json_string_value(json_object_get(c, "expected_hash"))) && strlen(s) == 64) {
			memcpy(out, s, 65);
			return true;
		}
	}
	if ((s = json_string_value(json_object_get(doc, "expected_hash"))) && strlen(s) == 64) {
		memcpy(out, s, 65);
		return true;
	}
	sfmt(path, sizeof(path), "%s/README.md", vectors_root);
	f = fopen(path, "r");
	if (!f)
		return false;
	{
		char *text = NULL, *at;
		size_t cap = 0, len;

		len = (size_t)getdelim(&text, &cap, '\0', f);
		fclose(f);
		at = text && len != (size_t)-1 ? strstr(text, name) : NULL;
		while (at && *at) {
			size_t k = 0;

			while (k < 64 && ((at[k] >= '0' && at[k] <= '9') || (at[k] >= 'A' && at[k] <= 'F') ||
					  (at[k] >= 'a' && at[k] <= 'f')))
				k++;
			if (k == 64) {
				memcpy(out, at, 64);
				out[64] = 0;
				free(text);
				return true;
			}
			at++;
		}
		free(text);
	}
	return false;
}

static void run_known(const char *dir)
{
	char **names;
	int n = list_dir(dir, false, ".json", &names);

	for (int i = 0; i < n; i++) {
		struct px_err err = { 0 };
		struct tm_header h;
		char path[4096], want[65], got[65];
		json_t *doc, *hj;
		uint8_t out[TM_HASH_LEN];

		sfmt(path, sizeof(path), "%s/%s", dir, names[i]);
		doc = px_json_load_file(&err, path);
		hj = doc;
		/* a header, or something that holds one */
		if (json_is_object(json_object_get(doc, "header")))
			hj = json_object_get(doc, "header");
		if (!doc || !tm_header_from_json(&err, &h, hj)) {
			result(C_KNOWN, false, names[i], "%s", err.msg);
			json_decref(doc);
			continue;
		}
		if (!tm_header_hash(&err, out, &h)) {
			result(C_KNOWN, false, names[i], "no hash: %s", err.msg);
		} else if (!known_hash_for(want, names[i], doc, hj)) {
			known_no_expected++;
			hex32(got, out);
			printf("note: %s hashes to %s, no expected hash known\n", names[i], got);
		} else {
			hex32(got, out);
			result(C_KNOWN, hash_eq_hex(out, want), names[i], "hash %s, expected %s", got,
			       want);
		}
		json_decref(doc);
	}
	free_names(names, n);
}

/* --- rpc/VERSION/incoming/NAME.json --------------------------------------- */

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

static void run_rpc(const char *dir)
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

/* --- light_client/SUITE/NAME.json ----------------------------------------- */

static void light_step_result(bool ok, const char *where, const char *want, const char *got,
			      const char *msg)
{
	result(C_LIGHT, ok, where, "verdict %s, want %s (%s)", got, want, msg);
}

static void run_light_file(const char *path, const char *name)
{
	struct px_err err = { 0 };
	struct tm_light_block init;
	struct tm_trusted trusted;
	struct tm_options opts;
	json_t *doc = px_json_load_file(&err, path), *initial, *input;
	const char *period;
	bool have_trusted = false;

	memset(&trusted, 0, sizeof(trusted));
	if (!doc) {
		result(C_LIGHT, false, name, "%s", err.msg);
		return;
	}
	initial = json_object_get(doc, "initial");
	input = json_object_get(doc, "input");
	if (!json_is_object(initial) || !json_is_array(input)) {
		/* not a single-step case (another suite's shape) */
		light_files_other_shape++;
		json_decref(doc);
		return;
	}
	tm_options_default(&opts);
	opts.trust_num = 1;
	opts.trust_den = 3;
	opts.clock_drift_ns = 0;
	if (!px_json_get_string(&err, &period, initial, "trusting_period") ||
	    !px_parse_u64(&err, &opts.trusting_period_ns, period, strlen(period)) ||
	    !tm_light_block_from_json(&err, &init, initial)) {
		result(C_LIGHT, false, name, "initial: %s", err.msg);
		goto out;
	}
	if (!tm_trust_anchor(&err, &trusted, &init)) {
		tm_light_block_free(&init);
		result(C_LIGHT, false, name, "initial: trust anchor: %s", err.msg);
		goto out;
	}
	tm_light_block_free(&init);
	have_trusted = true;
	for (size_t i = 0; i < json_array_size(input); i++) {
		const json_t *step = json_array_get(input, i);
		const char *want = json_string_value(json_object_get(step, "verdict"));
		const char *now_s;
		struct tm_light_block lb;
		struct tm_trusted next;
		struct px_time now;
		char where[512];
		const char *got;

		sfmt(where, sizeof(where), "%s step %zu", name, i);
		px_err_clear(&err);
		if (!want || !px_json_get_string(&err, &now_s, step, "now") ||
		    !px_time_parse(&err, &now, now_s, strlen(now_s))) {
			result(C_LIGHT, false, where, "step: %s", want ? err.msg : "no verdict");
			continue;
		}
		if (!tm_light_block_from_json(&err, &lb, json_object_get(step, "block"))) {
			/* a block we cannot even decode is not valid */
			light_step_result(strcmp(want, "INVALID") == 0, where, want, "INVALID",
					  err.msg);
			if (strcmp(want, "INVALID") == 0)
				printf("note: %s: INVALID by decode failure: %s\n", where, err.msg);
			continue;
		}
		if (tm_verify(&err, &next, &trusted, &lb, &opts, now)) {
			got = "SUCCESS";
			tm_trusted_free(&trusted);
			trusted = next;
		} else {
			got = err.code == PX_E_NOT_ENOUGH_TRUST ? "NOT_ENOUGH_TRUST" : "INVALID";
		}
		light_step_result(strcmp(want, got) == 0, where, want, got, err.msg[0] ? err.msg : "ok");
		tm_light_block_free(&lb);
	}
out:
	if (have_trusted)
		tm_trusted_free(&trusted);
	json_decref(doc);
}

static void run_light(const char *dir)
{
	char **suites;
	int ns = list_dir(dir, true, NULL, &suites);

	for (int s = 0; s < ns; s++) {
		char sdir[4096];
		char **names;
		int n;

		sfmt(sdir, sizeof(sdir), "%s/%s", dir, suites[s]);
		n = list_dir(sdir, false, ".json", &names);
		for (int i = 0; i < n; i++) {
			char path[8192], name[600];

			sfmt(path, sizeof(path), "%s/%s", sdir, names[i]);
			sfmt(name, sizeof(name), "%s/%s", suites[s], names[i]);
			run_light_file(path, name);
		}
		free_names(names, n);
	}
	free_names(suites, ns);
}

/* --- main ----------------------------------------------------------------- */

int main(int argc, char **argv)
{
	char root[4096], path[8192];
	unsigned cases = 0, passed = 0, failed = 0;
	bool any = false;
	static const char *const parts[] = { "golden", "cometbft", "rpc", "light_client" };

	if (argc != 2) {
		fprintf(stderr, "usage: %s VECTORS_DIR\n", argv[0]);
		return 2;
	}
	sfmt(root, sizeof(root), "%s/cosmos", argv[1]);
	vectors_root = root;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		sfmt(path, sizeof(path), "%s/%s", root, parts[i]);
		any = any || is_dir(path);
	}
	if (!any) {
		printf("skipped: no CometBFT vectors under %s\n", root);
		return 77;
	}

	sfmt(path, sizeof(path), "%s/golden", root);
	run_golden(path);
	sfmt(path, sizeof(path), "%s/cometbft", root);
	run_known(path);
	sfmt(path, sizeof(path), "%s/rpc", root);
	run_rpc(path);
	sfmt(path, sizeof(path), "%s/light_client", root);
	run_light(path);
	json_decref(golden_doc);

	for (int c = 0; c < C_COUNT; c++) {
		const struct cat *k = &cats[c];

		if (c == C_LIGHT)
			printf("light client: %u steps, %u passed, %u failed\n", k->cases, k->passed,
			       k->failed);
		else
			printf("%s: %u cases, %u passed, %u failed\n", k->name, k->cases, k->passed,
			       k->failed);
		cases += k->cases;
		passed += k->passed;
		failed += k->failed;
	}
	printf("not run: %u ibc golden cases (skipped: later IBC issue), %u NewBlock events "
	       "without a next event (parsed only), %u commits without a known validator set "
	       "(hash only), %u known-hash files without an expected hash, %u light-client files "
	       "of another shape\n",
	       skipped_ibc, newblock_parse_only, sigs_skipped, known_no_expected,
	       light_files_other_shape);
	printf("cometbft vectors: %u cases, %u passed, %u failed\n", cases, passed, failed);
	px_hash_thread_cleanup();
	if (cases == 0) {
		printf("skipped: no cases found\n");
		return 77;
	}
	return failed ? 1 : 0;
}
